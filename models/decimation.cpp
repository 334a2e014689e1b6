#include "decimation.h"

#include <cmath>

namespace {

// The samples of one pixel column seen so far.
struct Column
{
    int index = -1;
    qint64 minTime = 0;
    float minValue = 0;
    qint64 maxTime = 0;
    float maxValue = 0;

    void flushInto(QList<QPointF> &points)
    {
        if (index < 0)
            return;
        if (minTime == maxTime || minValue == maxValue) {
            points.append(QPointF(double(minTime), double(minValue)));
        } else if (minTime < maxTime) {
            points.append(QPointF(double(minTime), double(minValue)));
            points.append(QPointF(double(maxTime), double(maxValue)));
        } else {
            points.append(QPointF(double(maxTime), double(maxValue)));
            points.append(QPointF(double(minTime), double(minValue)));
        }
        index = -1;
    }
};

} // namespace

Segments decimate(const QList<qint64> &timesMs, const QList<float> &values, qint64 fromMs,
                  qint64 toMs, int pixels)
{
    Segments segments;
    const qsizetype n = qMin(timesMs.size(), values.size());
    if (n == 0 || pixels <= 0)
        return segments;
    const double span = double(qMax<qint64>(1, toMs - fromMs));
    QList<QPointF> current;
    Column column;
    for (qsizetype i = 0; i < n; ++i) {
        const float value = values.at(i);
        if (std::isnan(value)) {
            column.flushInto(current);
            if (!current.isEmpty()) {
                segments.append(current);
                current.clear();
            }
            continue;
        }
        const qint64 time = timesMs.at(i);
        const int index = qBound(0, int(std::floor(double(time - fromMs) * pixels / span)),
                                 pixels - 1);
        if (index != column.index) {
            column.flushInto(current);
            column.index = index;
            column.minTime = column.maxTime = time;
            column.minValue = column.maxValue = value;
            continue;
        }
        if (value < column.minValue) {
            column.minValue = value;
            column.minTime = time;
        }
        if (value > column.maxValue) {
            column.maxValue = value;
            column.maxTime = time;
        }
    }
    column.flushInto(current);
    if (!current.isEmpty())
        segments.append(current);
    return segments;
}

qsizetype pointCount(const Segments &segments)
{
    qsizetype count = 0;
    for (const QList<QPointF> &segment : segments)
        count += segment.size();
    return count;
}
