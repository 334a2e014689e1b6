#include "decimation.h"

#include <limits>

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
