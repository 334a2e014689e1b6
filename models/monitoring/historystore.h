#pragma once

#include "historychunk.h"
#include "monitorfigures.h"

#include <QMetaType>
#include <QObject>
#include <QString>

#include <atomic>
#include <memory>

class HistoryWriter;
class HistoryReader;
class QThread;

// How long each tier is kept (the preferences set it; these are the defaults).
struct HistoryRetention
{
    qint64 rawMs = qint64(3600) * 1000;             // 1 h of samples at the tick
    qint64 minuteMs = qint64(7) * 24 * 3600 * 1000; // 7 days of minute buckets
    qint64 hourMs = qint64(90) * 24 * 3600 * 1000;  // 90 days of hour buckets

    qint64 forTier(HistoryTier tier) const;
    friend bool operator==(const HistoryRetention &a, const HistoryRetention &b)
    {
        return a.rawMs == b.rawMs && a.minuteMs == b.minuteMs && a.hourMs == b.hourMs;
    }
    friend bool operator!=(const HistoryRetention &a, const HistoryRetention &b)
    {
        return !(a == b);
    }
};

// One series over a time range as a chart of `pixels` columns draws it, read from the store.
struct HistoryView
{
    SeriesKey key;
    qint64 fromMs = 0;
    qint64 toMs = 0;
    int pixels = 0;
    HistoryTier tier = HistoryTier::Raw; // the finest tier the range was read from
    HistoryRuns runs;                    // per column: min, max, mean, last
    // Why the read failed (the runs are then empty), or which damaged chunks it left out
    // (the runs hold the rest).
    QString error;
};
Q_DECLARE_METATYPE(HistoryView)

// The monitor's history on disk, for one connection profile: tiered (raw samples, minute
// and hour buckets; see historychunk.h), kept for the retention of each tier, in one SQLite
// file in WAL mode.
//
// Threads. The GUI thread only hands ticks over (record() copies the charted values of a
// tick, a few microseconds for thousands of series) and asks for ranges (load()); a writer
// thread turns ticks into chunks and writes them in batched transactions, a reader thread
// answers load() with its own connection, so a long write never delays a chart.
//
// Durability. Every tick is appended to a journal, committed at least every
// FlushIntervalMs; whole chunks are written when their span ends and the journal up to
// them is dropped. Opening a store replays its journal, so a Weir killed with SIGKILL loses
// at most the ticks of the last FlushIntervalMs.
//
// Sharing. The writer holds a lock file beside the store. A second Weir on the same
// profile gets a read-only view (its charts read what the first one writes) and keeps its
// own recent ticks in memory only; mode() and statusText() say so.
//
// Faults. A store that cannot be created, opened or written (an unwritable directory, a
// full disk, a corrupt file) is reported once through problem(), with SQLite's own text;
// monitoring then goes on in memory (mode MemoryOnly). A corrupt chunk met by a read is
// set aside (left out of that read, and named in HistoryView::error), never a crash.
//
// Memory. The writer keeps, per series, its open chunks (10 min of raw samples, the hour's
// minute buckets, the day's hour buckets: about 5 KB a series); see bytesPerSeries().
class HistoryStore : public QObject
{
    Q_OBJECT
public:
    enum class Mode { Opening, Writing, ReadOnly, MemoryOnly };
    Q_ENUM(Mode)
    static constexpr int FlushIntervalMs = 2000;

    // Opens (or creates) the store at `path` in the background: mode() is Opening until
    // ready(). `intervalMs` is the monitor's tick, for telling a missed tick from a gap.
    HistoryStore(const QString &path, const HistoryRetention &retention, int intervalMs,
                 QObject *parent = nullptr);
    // Commits what was handed over and joins the threads (waits on the disk, never on the
    // network).
    ~HistoryStore() override;

    // Where a profile's store lives: <AppDataLocation>/history/<profile id>.sqlite.
    static QString defaultDirectory();
    static QString pathFor(const QString &directory, const QString &profileId);

    QString path() const { return m_path; }
    Mode mode() const { return m_mode; }
    // Why the store is read-only or in memory only (empty while writing).
    QString statusText() const { return m_statusText; }

    void setRetention(const HistoryRetention &retention);
    HistoryRetention retention() const { return m_retention; }
    void setInterval(int intervalMs);

    // Records one tick: connect StreamMonitor::sampled. The metrics kept are those the charts
    // draw (SeriesHistory::chartedMetrics()).
    void record(const MonitorFigures &figures);
    // Ticks handed over that the writer has not taken in yet.
    int backlog() const { return m_backlog->load(); }

    // Reads one series over [fromMs, toMs], reduced to `pixels` columns, on the reader
    // thread; answered by loaded() with the number returned. Each part of the range is read
    // from the finest tier that still holds it and is not finer than a column needs.
    quint64 load(const SeriesKey &key, qint64 fromMs, qint64 toMs, int pixels);
    // The tier a range of `pixels` columns is read from: the coarsest whose bucket is not
    // wider than a column, or a coarser one where that tier's retention no longer reaches.
    static HistoryTier tierFor(qint64 fromMs, qint64 toMs, int pixels,
                               const HistoryRetention &retention, qint64 nowMs);

    // The store's size on disk (the file, its WAL and its journal), answered by sizeKnown().
    void requestSize();
    // Forgets every series and sample on disk; answered by cleared().
    void clear();

    // Blocks until every tick handed over is committed: for tests and benchmarks only (it
    // waits on the disk).
    void waitForWrites();

    // What the writer keeps in memory per series it has seen.
    static qint64 bytesPerSeries();

Q_SIGNALS:
    void ready();
    void modeChanged(HistoryStore::Mode mode, const QString &statusText);
    // A fault, once per kind (open, write, read), with SQLite's or the system's text.
    void problem(const QString &message);
    void loaded(quint64 request, const HistoryView &view);
    void sizeKnown(qint64 bytes);
    void cleared();

private:
    void setMode(Mode mode, const QString &statusText);

    QString m_path;
    HistoryRetention m_retention;
    int m_intervalMs;
    Mode m_mode = Mode::Opening;
    QString m_statusText;
    quint64 m_nextRequest = 0;
    std::shared_ptr<std::atomic<int>> m_backlog;
    QThread *m_writerThread = nullptr;
    QThread *m_readerThread = nullptr;
    HistoryWriter *m_writer = nullptr; // lives in m_writerThread
    HistoryReader *m_reader = nullptr; // lives in m_readerThread
};
