#pragma once

#include "monitorfigures.h"

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QObject>
#include <QSet>

#include <memory>
#include <vector>

class ColumnReducer;

// The samples of one series over a time range, oldest first: times (ms since the epoch)
// and values, NaN where the series had no value (a gap).
struct SeriesSamples
{
    QList<qint64> timesMs;
    QList<float> values;
};

// What the monitor measured at the tick, kept per series for the raw window (1 h by
// default: HistoryRetention::rawMs, which the session passes) so the charts can draw the
// recent past at full resolution: a ring buffer per series, fed once per tick by record()
// (connect it to StreamMonitor::sampled). Older figures are the HistoryStore's, on disk, in
// buckets; the ring never grows past its span, whatever the retention.
//
// Storage. Every tick takes one slot. The tick times are kept once, in a ring shared by
// all series (8 bytes a tick); each series keeps only its values, as floats (4 bytes a
// tick; exact up to 16,777,216, about 7 significant digits beyond). A series' ring is cut
// into pages of pageSize() ticks, allocated when a value is written into them and freed
// when every slot in them is a gap again, so a series costs at most bytesPerSeries():
// 4 bytes a tick rounded up to whole pages, 16 bytes a page for the page table, its key
// and bookkeeping and its share of the staging blocks (below). A page holds 900 ticks, a
// quarter of an hour at 1 s, so the raw windows the preferences offer (whole quarters of
// an hour) fill their pages to the last slot. The 1 h default at 1 s: 3,600 ticks in 4
// pages, 14,400 bytes of values, 64 of page table, 256 of staging and some 500 for the
// key, its names and its place in the index, about 14.9 KiB a series (13,000 series:
// 189 MiB); less while it is young or has long gaps. The shared time ring costs 8 *
// capacity() bytes (28 KiB at 1 s). (A 24 h span, as Weir kept before history went to
// disk, cost 342 KiB a series.) Pages come from slabs of 64 (225 KiB) and pages freed are
// kept for reuse, so the history holds at most one slab more than its series need, plus
// what series since dropped had.
//
// Staging. A tick writes one value into every series, and each series' cell lies on a
// page of its own: thousands of series meant thousands of scattered writes a tick, each
// waiting on memory. So the newest ticks are first written side by side, series after
// series, into a staging block of StageTicks ticks, and only later copied to the pages:
// over the next StageTicks ticks, a share of the series at a time, each series' run of
// StageTicks values in one go. Two blocks (the ticks being written and the ticks being
// copied) cost 2 * StageTicks * 4 = 256 bytes a series more.
//
// Gaps. A tick with no value for a series (a rate's first tick, a stream deleted while
// watched) and a failed tick (MonitorFigures::ok false: a reconnect) store NaN for it;
// ticks that did not happen (more than 2.5 intervals since the previous one) get one gap
// tick, so a line never bridges a time Weir was not watching.
//
// A series with no value for dropAfterMs() (by default the whole span, i.e. once nothing
// of it is left) is dropped. GUI thread only.
class SeriesHistory : public QObject
{
    Q_OBJECT
public:
    // The raw window of HistoryRetention's defaults (1 h); the session passes the
    // retention's own.
    static constexpr qint64 DefaultSpanMs = 3600 * 1000;
    static constexpr int PageSize = 900;
    static constexpr int StageTicks = 32;

    explicit SeriesHistory(int intervalMs = 1000, qint64 spanMs = DefaultSpanMs,
                           QObject *parent = nullptr);
    ~SeriesHistory() override;

    // The expected time between ticks. Changing it changes the capacity (span / interval);
    // the newest ticks that fit are kept.
    void setInterval(int intervalMs);
    int intervalMs() const { return m_intervalMs; }
    // The window kept (the retention's raw window). Changing it changes the capacity; the
    // newest ticks that fit are kept.
    void setSpanMs(qint64 spanMs);
    qint64 spanMs() const { return m_spanMs; }
    int capacity() const { return m_capacity; }
    int pageSize() const { return PageSize; }

    // The metrics kept; figures of other metrics are not recorded. By default those the
    // charts draw: AddedPerSecond, Lag, TimeLagMs, Pending, ReadPerSecond.
    void setRecordedMetrics(const QSet<Metric> &metrics);
    QSet<Metric> recordedMetrics() const { return m_metrics; }
    static QSet<Metric> chartedMetrics();

    void setDropAfterMs(qint64 ms) { m_dropAfterMs = ms; }
    qint64 dropAfterMs() const { return m_dropAfterMs; }

    // Feeds one tick. Figures older than the newest tick are ignored.
    void record(const MonitorFigures &figures);
    void clear();

    // Ticks held, the oldest and newest tick's time (0 when empty).
    int tickCount() const;
    qint64 firstTimeMs() const;
    qint64 lastTimeMs() const;

    QList<SeriesKey> keys() const;
    bool contains(const SeriesKey &key) const { return m_index.contains(key); }
    // The groups that have a series of `stream`, sorted.
    QList<QByteArray> groupsOf(const QByteArray &stream) const;
    // The newest value of `key` (NaN when it had none on the newest tick).
    double latest(const SeriesKey &key) const;
    bool isEstimated(const SeriesKey &key) const;

    // The samples of `key` whose time lies in [fromMs, toMs], oldest first; NaN for gaps.
    // An unknown series gives the ticks in the range with every value NaN.
    SeriesSamples samples(const SeriesKey &key, qint64 fromMs, qint64 toMs) const;
    // Feeds the samples of `key` whose time lies in [fromMs, toMs] to `reducer`, oldest
    // first, a run of gap ticks as one gap bucket (at the first one's time); nothing for an
    // unknown series. Reads the ring a page at a time, not tick by tick: for the 1 h window,
    // well under a millisecond a series.
    void reduce(const SeriesKey &key, qint64 fromMs, qint64 toMs, ColumnReducer *reducer) const;
    // The time of the tick nearest to `timeMs`; false when there is no tick.
    bool nearestTick(qint64 timeMs, qint64 *tickTimeMs) const;
    // The value of `key` on the tick at exactly `tickTimeMs` (NaN when none).
    double valueAt(const SeriesKey &key, qint64 tickTimeMs) const;

    // Bytes a series takes once its ring is full, and bytes held now by every series and
    // the time ring together.
    qint64 bytesPerSeries() const;
    qint64 memoryBytes() const;

Q_SIGNALS:
    // After each record(): the charts redraw on their own timer when they see it.
    void recorded(qint64 timeMs);
    // A series was dropped (it had no value for dropAfterMs()).
    void seriesDropped(const SeriesKey &key);

private:
    struct Page
    {
        float *values = nullptr; // PageSize floats from the slabs, or none
        int filled = 0;          // slots holding a number
    };
    // Kept in one array, in the order they appeared (which is the order of their numbers,
    // so a tick writes them front to back, into the staging block). Their page tables are
    // in another, page by page: the entries of every series for one page lie side by side,
    // in the order copyStaged() reads them; the pages themselves are scattered, and are
    // fetched ahead there.
    struct Series
    {
        SeriesKey key;
        qint64 lastValueTick = -1; // the last tick with a number
        qint64 createdTick = 0;
        qint64 writtenTick = -1; // the last tick written
        int id = -1;             // its number in the figures' catalog (-1: none)
        bool estimated = false;  // on the newest tick
        bool live = false;       // false: a free place, reused by the next series
    };

    static qint64 seriesOverhead(const SeriesKey &key, int pages);
    void appendTick(qint64 timeMs, const MonitorFigures *figures);
    // Maps the catalog's numbers that are new to this history to its series.
    void mapNumbers(const SeriesCatalog &catalog);
    int addSeries(const SeriesKey &key, qint64 tick);
    void dropSeries(int index);
    int indexOf(const SeriesKey &key) const { return m_index.value(key, -1); }
    int pagesPerSeries() const;
    Page &page(int index, int page)
    {
        return m_pages[size_t(page) * size_t(m_seriesCapacity) + size_t(index)];
    }
    const Page &page(int index, int page) const
    {
        return m_pages[size_t(page) * size_t(m_seriesCapacity) + size_t(index)];
    }
    // Lays the page tables out anew for `seriesCapacity` series of `pages` pages each.
    void relayout(int seriesCapacity, int pages, int oldPages);
    // Page values are cut from slabs of SlabPages pages, in the order they are first
    // needed: every series starts a new page on the same tick, so the cells one tick writes
    // lie close together (a few hundred memory pages rather than one a series). Pages given
    // back are reused.
    static constexpr int SlabPages = 64;
    float *takePage();
    void givePage(Page &page);
    // Writes a value into the series' page (not the staging block).
    void writePage(int index, qint64 tick, float value);
    float read(int index, qint64 tick) const;
    // The staging block's cell of a series on a tick (of the newest two stage periods).
    float &stageCell(int index, qint64 tick)
    {
        return m_stage[stageRow(tick) * size_t(m_seriesCapacity) + size_t(index)];
    }
    static size_t stageRow(qint64 tick)
    {
        return size_t((tick / StageTicks) % 2 * StageTicks + tick % StageTicks);
    }
    // The first tick of the series still read from the staging block, not its pages.
    qint64 stagedFrom(int index) const;
    // Copies the staged values of series [m_copied, end) of the stage period before the
    // newest to their pages.
    void copyStaged(size_t end);
    qint64 firstTick() const { return qMax(m_kept, m_ticks - m_capacity); }
    // The first tick at or after `timeMs` (m_ticks when none).
    qint64 tickAtOrAfter(qint64 timeMs) const;
    qint64 timeOf(qint64 tick) const { return m_times[size_t(tick % m_capacity)]; }
    void resize(int capacity);

    int m_intervalMs;
    qint64 m_spanMs;
    int m_capacity;
    qint64 m_dropAfterMs;
    qint64 m_ticks = 0; // ticks recorded ever; tick t lives in slot t % m_capacity
    qint64 m_kept = 0;  // the first tick a change of interval kept
    std::vector<qint64> m_times;
    std::vector<Series> m_series;
    std::vector<Page> m_pages; // pagesPerSeries() * m_seriesCapacity
    std::vector<std::unique_ptr<float[]>> m_slabs;
    std::vector<float *> m_freePages;
    int m_slabUsed = SlabPages; // pages of the newest slab handed out
    int m_seriesCapacity = 0;
    std::vector<int> m_free; // places of dropped series
    QHash<SeriesKey, int> m_index;
    QSet<Metric> m_metrics;
    // By the number of a key in the figures' catalog: whether its metric is recorded, and
    // its series (null until it had a value).
    SeriesCatalogReader m_catalogReader;
    std::vector<bool> m_recordedNumber;
    std::vector<int> m_byNumber; // -1: none
    // Two blocks of StageTicks rows, a row holding a tick's value of every series (by its
    // place; m_seriesCapacity floats). The series before m_copied have had the block of
    // the stage period before the newest copied to their pages.
    std::vector<float> m_stage;
    size_t m_copied = 0;
};
