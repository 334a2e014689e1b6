#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

#include <limits>
#include <utility>
#include <vector>

// The history's tiers, the buckets a tier keeps, and how a series' block of them is stored
// (a chunk). Pure functions and value types: the store's threads and the charts use them.
//
// Tiers. Raw keeps a sample per monitor tick for the recent window (1 h by default); Minute
// keeps a bucket per minute for 7 days, Hour a bucket per hour for 90 days. A bucket holds
// the min, max, mean and last of the samples in it, so a spike of lag a second wide
// survives into the hour tier and a chart can draw it as a band. Minute buckets are made of
// raw samples, hour buckets of minute buckets (the mean weighted by the samples counted).
//
// Chunks. The store keeps each series' samples or buckets in blocks covering a fixed span
// (historyChunkMs()), aligned to whole multiples of it since the epoch, so every series'
// chunk of a tier starts and ends on the same times.

enum class HistoryTier : quint8 { Raw = 0, Minute = 1, Hour = 2 };
inline constexpr int HistoryTierCount = 3;

// The width of a tier's bucket: 0 for Raw (one sample per tick), 60 s, 3,600 s.
qint64 historyBucketMs(HistoryTier tier);
// The span of one chunk of a tier: 10 min of raw samples, 1 h of minute buckets, 1 day of
// hour buckets.
qint64 historyChunkMs(HistoryTier tier);
// The start of the span of `spanMs` (a bucket or a chunk) that holds `timeMs`.
qint64 historyAlign(qint64 timeMs, qint64 spanMs);

// What a stretch of one series reduces to. A raw sample is a bucket of one: min, max, mean
// and last are its value. A gap (a tick without a value: a failed tick, a series not
// measured, or a time Weir was not watching) has count 0 and NaN everywhere.
struct HistoryBucket
{
    qint64 timeMs = 0; // the sample's time, or the bucket's start
    float min = std::numeric_limits<float>::quiet_NaN();
    float max = std::numeric_limits<float>::quiet_NaN();
    float mean = std::numeric_limits<float>::quiet_NaN();
    float last = std::numeric_limits<float>::quiet_NaN();
    quint32 count = 0; // samples with a number

    bool isGap() const { return count == 0; }
    // A sample of NaN (no number) is a gap.
    static HistoryBucket sample(qint64 timeMs, float value);
    static HistoryBucket gap(qint64 timeMs);
};

// A chunk's content: samples or buckets of one series, oldest first.
using HistoryBuckets = std::vector<HistoryBucket>;

// Adds samples or finer buckets up into one bucket. NaN samples and gap buckets count for
// nothing; an accumulator that saw only those is empty.
class BucketAccumulator
{
public:
    void add(float value);
    void add(const HistoryBucket &bucket);
    bool isEmpty() const { return m_count == 0; }
    // What was added, as the bucket starting at `startMs` (a gap when empty).
    HistoryBucket bucket(qint64 startMs) const;
    void reset() { *this = BucketAccumulator(); }

private:
    double m_sum = 0;
    // NaN until a value is added: the first one replaces them whatever it is.
    float m_min = std::numeric_limits<float>::quiet_NaN();
    float m_max = std::numeric_limits<float>::quiet_NaN();
    float m_last = std::numeric_limits<float>::quiet_NaN();
    quint32 m_count = 0;
};

// A chunk as stored: self-describing (a format byte first), compact (times as delta of
// delta, values XOR-encoded against the previous one, as time-series stores do), exact
// (every float and count comes back bit for bit, NaN included). A chunk holds at most 65,536
// entries (a raw chunk at the fastest tick holds 3,000); decoding rejects more. A gap
// (count 0) comes back as HistoryBucket::gap(), and a raw sample's min, max and mean as its
// `last`: raw chunks keep only that.
QByteArray encodeHistoryChunk(HistoryTier tier, const HistoryBuckets &buckets);
// False, with why in `error`, for data that is truncated, corrupt or of another format;
// `out` is then empty. Never reads outside `data`, whatever it holds.
bool decodeHistoryChunk(const QByteArray &data, HistoryTier tier, HistoryBuckets *out,
                        QString *error);

// The journal: ticks recorded since the last raw chunks were written, so a Weir killed
// mid-chunk loses only the ticks of the last flush. Values are by the store's series number.
struct JournalTick
{
    qint64 timeMs = 0;
    bool ok = true; // false: a failed tick (every series has a gap)
    std::vector<std::pair<qint64, float>> values;
};
QByteArray encodeJournal(const std::vector<JournalTick> &ticks);
bool decodeJournal(const QByteArray &data, std::vector<JournalTick> *out, QString *error);

// What a chart of `pixels` columns over [fromMs, toMs] draws of a series: per column, one
// bucket of every sample or bucket that falls in it (min of the mins, max of the maxes, mean
// weighted by count, the last last; timeMs the column's middle, or the single input's time
// when only one fell in it), in runs that break at gaps.
using HistoryRuns = QList<QList<HistoryBucket>>;

// Builds HistoryRuns from samples or buckets fed oldest first, from one or several tiers.
// A gap bucket ends the current run; so does a step from one input to the next longer than
// `gapMs` (a time with no data: Weir was closed). Inputs outside [fromMs, toMs] count in the
// first or last column.
class ColumnReducer
{
public:
    ColumnReducer(qint64 fromMs, qint64 toMs, int pixels, qint64 gapMs);
    void add(const HistoryBucket &bucket);
    // Sets the longest step between inputs that is not a gap, from the next input on (the
    // inputs of a coarser tier are farther apart). The step between the last input before
    // the change and the first after it is judged by the longer of the two rules, so a
    // switch of tiers is not a gap in itself, in either order.
    void setGapMs(qint64 gapMs) { m_gapMs = gapMs; }
    HistoryRuns finish();

private:
    void flushColumn();
    void endRun();
    int columnOf(qint64 timeMs) const;

    qint64 m_from;
    qint64 m_to;
    int m_pixels;
    qint64 m_gapMs;
    qint64 m_previousGapMs; // m_gapMs when the previous input was added
    quint64 m_span = 1;     // m_to - m_from, at least 1
    bool m_narrow = true;   // m_span * m_pixels fits in 64 bits
    HistoryRuns m_runs;
    QList<HistoryBucket> m_run;
    int m_column = -1;
    int m_inColumn = 0;                                         // the inputs in m_accumulator
    qint64 m_previousTime = std::numeric_limits<qint64>::min(); // min: none since a gap
    BucketAccumulator m_accumulator;
    qint64 m_singleTime = 0; // the time of the column's last input
};
