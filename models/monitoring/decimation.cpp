#include "decimation.h"

#include <algorithm>
#include <cmath>
#include <limits>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

Decimator::Decimator(qint64 fromMs, qint64 toMs, int pixels)
    : m_from(fromMs)
    , m_span(double(qMax<qint64>(1, toMs - fromMs)))
    , m_pixels(qMax(1, pixels))
{}

void Decimator::flushColumn()
{
    if (m_column < 0)
        return;
    const QPointF min{double(m_minTime), double(m_minValue)};
    const QPointF max{double(m_maxTime), double(m_maxValue)};
    if (m_minTime == m_maxTime || m_minValue == m_maxValue) {
        m_current.append(min);
    } else if (m_minTime < m_maxTime) {
        m_current.append(min);
        m_current.append(max);
    } else {
        m_current.append(max);
        m_current.append(min);
    }
    m_column = -1;
}

namespace {

// The smallest and largest of `count` values and *min, *max, into *min and *max; false when
// a value is NaN (then *min and *max mean nothing). Four lanes at a time where the CPU has
// them: the compiler cannot vectorise a float minimum itself (NaN's rules forbid it).
bool scanRun(const float *values, qsizetype count, float *min, float *max)
{
    qsizetype k = 0;
#if defined(__SSE2__)
    if (count >= 8) {
        __m128 low = _mm_set1_ps(*min);
        __m128 high = _mm_set1_ps(*max);
        __m128 nan = _mm_setzero_ps();
        for (; k + 4 <= count; k += 4) {
            const __m128 v = _mm_loadu_ps(values + k);
            nan = _mm_or_ps(nan, _mm_cmpunord_ps(v, v));
            low = _mm_min_ps(low, v);
            high = _mm_max_ps(high, v);
        }
        if (_mm_movemask_ps(nan) != 0)
            return false;
        alignas(16) float lanes[4];
        _mm_store_ps(lanes, low);
        *min = std::min({lanes[0], lanes[1], lanes[2], lanes[3]});
        _mm_store_ps(lanes, high);
        *max = std::max({lanes[0], lanes[1], lanes[2], lanes[3]});
    }
#endif
    for (; k < count; ++k) {
        const float v = values[k];
        if (v != v)
            return false;
        *min = v < *min ? v : *min;
        *max = v > *max ? v : *max;
    }
    return true;
}

} // namespace

int Decimator::columnOf(qint64 timeMs) const
{
    return qBound(0, int(std::floor(double(timeMs - m_from) * m_pixels / m_span)), m_pixels - 1);
}

void Decimator::addSlow(qint64 timeMs, float value)
{
    if (std::isnan(value)) {
        flushColumn();
        if (!m_current.isEmpty()) {
            m_segments.append(m_current);
            m_current.clear();
        }
        return;
    }
    const int column = columnOf(timeMs);
    if (column != m_column) {
        flushColumn();
        m_column = column;
        // The first whole ms that columnOf() puts in a later column.
        if (column == m_pixels - 1) {
            m_columnEnd = std::numeric_limits<qint64>::max();
        } else {
            qint64 end = m_from + qint64(std::ceil((column + 1) * m_span / m_pixels));
            while (columnOf(end - 1) > column)
                --end;
            while (columnOf(end) <= column)
                ++end;
            m_columnEnd = end;
        }
        m_minTime = m_maxTime = timeMs;
        m_minValue = m_maxValue = value;
        return;
    }
    if (value < m_minValue) {
        m_minValue = value;
        m_minTime = timeMs;
    }
    if (value > m_maxValue) {
        m_maxValue = value;
        m_maxTime = timeMs;
    }
}

void Decimator::addRun(const qint64 *timesMs, const float *values, qsizetype count)
{
    qsizetype i = 0;
    while (i < count) {
        if (m_column < 0 || timesMs[i] >= m_columnEnd) {
            addSlow(timesMs[i], values[i]); // a gap, or a column's first sample
            ++i;
            continue;
        }
        // The rest of the run that falls in this column.
        const qsizetype end = std::lower_bound(timesMs + i, timesMs + count, m_columnEnd) - timesMs;
        float min = m_minValue;
        float max = m_maxValue;
        if (!scanRun(values + i, end - i, &min, &max)) {
            // A gap ends the segment where it is: sample by sample.
            for (; i < end; ++i)
                add(timesMs[i], values[i]);
            continue;
        }
        // The first sample holding the new smallest (largest) value, as add() would keep.
        if (min < m_minValue) {
            m_minValue = min;
            m_minTime = timesMs[std::find(values + i, values + end, min) - values];
        }
        if (max > m_maxValue) {
            m_maxValue = max;
            m_maxTime = timesMs[std::find(values + i, values + end, max) - values];
        }
        i = end;
    }
}

Segments Decimator::finish()
{
    flushColumn();
    if (!m_current.isEmpty()) {
        m_segments.append(m_current);
        m_current.clear();
    }
    return std::move(m_segments);
}

Segments decimate(const QList<qint64> &timesMs, const QList<float> &values, qint64 fromMs,
                  qint64 toMs, int pixels)
{
    if (pixels <= 0)
        return {};
    Decimator decimator(fromMs, toMs, pixels);
    const qsizetype n = qMin(timesMs.size(), values.size());
    for (qsizetype i = 0; i < n; ++i)
        decimator.add(timesMs.at(i), values.at(i));
    return decimator.finish();
}

void mergeFlatColumns(Segments *segments, qint64 fromMs, qint64 toMs, int pixels, double tolerance)
{
    if (pixels <= 0 || !(tolerance > 0))
        return;
    const double span = double(qMax<qint64>(1, toMs - fromMs));
    const auto column = [&](double x) {
        return qBound(0, int(std::floor((x - double(fromMs)) * pixels / span)), pixels - 1);
    };
    for (QList<QPointF> &segment : *segments) {
        qsizetype out = 0;
        for (qsizetype i = 0; i < segment.size(); ++i) {
            const QPointF p = segment.at(i);
            if (i + 1 < segment.size()) {
                const QPointF next = segment.at(i + 1);
                if (std::abs(next.y() - p.y()) < tolerance && column(p.x()) == column(next.x()))
                    ++i; // the pair's second point adds nothing
            }
            segment[out++] = p;
        }
        segment.resize(out);
    }
}

void simplifyStraightRuns(Segments *segments, qint64 fromMs, qint64 toMs, int pixels,
                          double tolerance)
{
    if (pixels <= 0 || !(tolerance > 0))
        return;
    const double pixelsPerMs = pixels / double(qMax<qint64>(1, toMs - fromMs));
    constexpr double Infinity = std::numeric_limits<double>::infinity();
    for (QList<QPointF> &segment : *segments) {
        if (segment.size() < 3)
            continue;
        // From the last point kept (the anchor), the slopes (value per pixel) of a line that
        // passes within `tolerance` of every point since: a cone, narrowed by each point.
        // A point whose own slope leaves the cone cannot be reached in one straight line, so
        // the point before it is kept and becomes the anchor.
        QPointF anchor = segment.first();
        QPointF last = anchor;
        double low = -Infinity;
        double high = Infinity;
        qsizetype out = 1;
        for (qsizetype i = 1; i < segment.size(); ++i) {
            const QPointF p = segment.at(i);
            double dx = (p.x() - anchor.x()) * pixelsPerMs;
            if (i > 1
                && !(dx > 0 && low <= (p.y() - anchor.y()) / dx
                     && (p.y() - anchor.y()) / dx <= high)) {
                segment[out++] = last;
                anchor = last;
                low = -Infinity;
                high = Infinity;
                dx = (p.x() - anchor.x()) * pixelsPerMs;
            }
            if (dx > 0) {
                low = qMax(low, (p.y() - tolerance - anchor.y()) / dx);
                high = qMin(high, (p.y() + tolerance - anchor.y()) / dx);
            } else {
                low = Infinity; // the same time as the anchor: the next point starts anew
                high = -Infinity;
            }
            last = p;
        }
        segment[out++] = last;
        segment.resize(out);
    }
}

qsizetype pointCount(const Segments &segments)
{
    qsizetype count = 0;
    for (const QList<QPointF> &segment : segments)
        count += segment.size();
    return count;
}
