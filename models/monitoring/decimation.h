#pragma once

#include <QList>
#include <QPointF>

// Reducing a long series to what a plot of a given pixel width can show. Pure functions.

// A line cut at its gaps: the points of each unbroken run, oldest first; x is the time in
// ms since the epoch, y the value.
using Segments = QList<QList<QPointF>>;

// What decimate() does (below), fed one sample at a time (oldest first), for a caller that walks
// its own storage: add() every sample, then finish() once.
class Decimator
{
public:
    Decimator(qint64 fromMs, qint64 toMs, int pixels);
    void add(qint64 timeMs, float value)
    {
        // Most samples fall in the column of the one before: no division for them.
        if (m_column >= 0 && timeMs < m_columnEnd && value == value) {
            if (value < m_minValue) {
                m_minValue = value;
                m_minTime = timeMs;
            }
            if (value > m_maxValue) {
                m_maxValue = value;
                m_maxTime = timeMs;
            }
            return;
        }
        addSlow(timeMs, value);
    }
    // add() for each of `count` samples in turn, faster: each column's run is searched for
    // its smallest and largest value in one pass.
    void addRun(const qint64 *timesMs, const float *values, qsizetype count);
    Segments finish();

private:
    void addSlow(qint64 timeMs, float value);
    int columnOf(qint64 timeMs) const;
    void flushColumn();

    qint64 m_from;
    double m_span;
    int m_pixels;
    Segments m_segments;
    QList<QPointF> m_current;
    int m_column = -1;
    qint64 m_columnEnd = 0; // the first time in a later column
    qint64 m_minTime = 0;
    float m_minValue = 0;
    qint64 m_maxTime = 0;
    float m_maxValue = 0;
};

// Cuts [fromMs, toMs] into `pixels` columns and keeps, per column, the smallest and the
// largest value in the order they came (one point when they are the same sample or equal),
// so a spike one sample wide still shows at any width: at most 2 * pixels points. A NaN
// value is a gap: it ends the current segment. Samples outside [fromMs, toMs] count in
// the first or last column. `timesMs` must be sorted; `values` has the same size.
Segments decimate(const QList<qint64> &timesMs, const QList<float> &values, qint64 fromMs,
                  qint64 toMs, int pixels);

// Merges, in each column of decimate()'s [fromMs, toMs] and `pixels`, a min and max pair
// whose values are less than `tolerance` apart (one pixel on the caller's y axis) into
// one point, the first: the pair draws nothing more. Spikes of a pixel or more stay.
void mergeFlatColumns(Segments *segments, qint64 fromMs, qint64 toMs, int pixels, double tolerance);

// Drops, from each segment, the points the line would pass within `tolerance` of anyway
// (on the caller's y axis, half a pixel say): long straight or smooth runs then take a
// few points instead of two a column, and nothing drawn moves by more than `tolerance`.
// A segment's first and last point stay, and so does every point farther than that from
// the line between the points kept around it: spikes, steps, a noisy line's every turn.
// `fromMs`, `toMs` and `pixels` give the x scale.
void simplifyStraightRuns(Segments *segments, qint64 fromMs, qint64 toMs, int pixels,
                          double tolerance);

// The number of points in all segments.
qsizetype pointCount(const Segments &segments);
