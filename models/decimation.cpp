#include "decimation.h"

#include <cmath>
#include <limits>

Decimator::Decimator(qint64 fromMs, qint64 toMs, int pixels)
    : m_from(fromMs)
    , m_span(double(qMax<qint64>(1, toMs - fromMs)))
    , m_pixels(qMax(1, pixels))
{
}

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

int Decimator::columnOf(qint64 timeMs) const
{
    return qBound(0, int(std::floor(double(timeMs - m_from) * m_pixels / m_span)),
                  m_pixels - 1);
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

void mergeFlatColumns(Segments *segments, qint64 fromMs, qint64 toMs, int pixels,
                      double tolerance)
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

qsizetype pointCount(const Segments &segments)
{
    qsizetype count = 0;
    for (const QList<QPointF> &segment : segments)
        count += segment.size();
    return count;
}
