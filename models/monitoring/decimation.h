#pragma once

#include <QList>
#include <QPointF>

// The lines the charts draw, and thinning them to what a plot of a given pixel width can
// show. Pure functions. (A series is cut into columns first, by ColumnReducer in
// historychunk.h: the one way Weir reduces a series to a plot's width.)

// A line cut at its gaps: the points of each unbroken run, oldest first; x is the time in
// ms since the epoch, y the value.
using Segments = QList<QList<QPointF>>;

// Drops, from each segment, the points the line would pass within `tolerance` of anyway
// (on the caller's y axis, half a pixel say): long straight or smooth runs then take a
// few points instead of one a column, and nothing drawn moves by more than `tolerance`.
// A segment's first and last point stay, and so does every point farther than that from
// the line between the points kept around it: spikes, steps, a noisy line's every turn.
// `fromMs`, `toMs` and `pixels` give the x scale.
void simplifyStraightRuns(Segments *segments, qint64 fromMs, qint64 toMs, int pixels,
                          double tolerance);
