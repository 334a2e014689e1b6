#pragma once

#include "historychunk.h"
#include "historydb.h"
#include "historystore.h"
#include "monitorfigures.h"

#include <QElapsedTimer>
#include <QHash>
#include <QMutex>
#include <QObject>
#include <QSet>
#include <QSqlDatabase>
#include <QSqlQuery>

#include <deque>
#include <memory>
#include <optional>
#include <vector>

class QLockFile;
class QTimer;

// The history store's writer (historystore.h): lives in the store's writer thread, owns the
// lock file and the writing connection, turns ticks into chunks and writes them.
//
// State. The ticks of the open raw chunk (their times once, each series' values as floats),
// and per series a minute accumulator with the open minute chunk (this hour's buckets) and
// an hour accumulator with the open hour chunk (this day's buckets). When a tick passes a
// chunk's end, that tier's chunks of every series are written in one transaction; the
// journal keeps the ticks of the open raw chunk. Closing writes the open chunks as they
// stand, so the next start finds them on disk and reads them back without writing; after a
// crash, it rebuilds them from the journal and writes them first. Everything but enqueue()
// and shared() runs in the writer thread.
class HistoryWriter : public QObject
{
    Q_OBJECT
public:
    // A series dropped from memory after this long without a value (its rows stay).
    static constexpr qint64 ForgetAfterMs = qint64(24) * 3600 * 1000;
    // Tick time between two housekeeping runs.
    static constexpr qint64 HousekeepingEveryMs = qint64(5) * 60 * 1000;

    HistoryWriter(const QString &path, const HistoryRetention &retention,
                  std::shared_ptr<HistoryShared> shared, std::shared_ptr<std::atomic<int>> backlog);
    ~HistoryWriter() override;

    // Any thread: copies the tick and hands it to the writer thread.
    void enqueue(const MonitorFigures &figures);
    const std::shared_ptr<HistoryShared> &shared() const { return m_shared; }

    // The memory a series costs the writer at a tick of `intervalMs`.
    static qint64 bytesPerSeries(int intervalMs);

    // Writer thread.
    void open();
    void drain();
    // Takes in every tick handed over and commits them (journal included).
    void flush();
    void setRetention(const HistoryRetention &retention);
    // Deletes every series and chunk; a store that stopped writing on a fault writes again
    // once that succeeds.
    void clear();
    // Writes the open chunks as partial ones, commits, closes the file and releases the
    // lock.
    void shutdown();

Q_SIGNALS:
    void modeChanged(HistoryStore::Mode mode, const QString &statusText);
    void problem(const QString &message);
    void cleared();

private:
    struct Series
    {
        SeriesKey key;
        qint64 id = 0;   // in the store's series table
        int number = -1; // in the figures' catalog (-1: none)
        qint64 lastValueMs = 0;
        bool rawHasValue = false;
        std::vector<float> raw; // a value per tick of the open raw chunk (NaN: a gap)
        qint64 minuteStart = 0;
        BucketAccumulator minute;
        HistoryBuckets minutes; // the open minute chunk
        qint64 hourStart = 0;
        BucketAccumulator hour;
        HistoryBuckets hours; // the open hour chunk
    };
    struct ChunkWrite
    {
        qint64 series;
        HistoryTier tier;
        qint64 startMs;
        QByteArray data;
    };
    struct SeriesRow
    {
        qint64 id;
        SeriesKey key;
        qint64 lastMs;
    };
    enum Fault { OpenFault = 1, WriteFault = 2 };

    bool openDatabase(QString *failure);
    bool prepareSchema(QSqlError *error);
    bool loadSeries(QSqlError *error);
    bool replay(QSqlError *error);
    bool setAside(const QSqlError &why);
    void closeDatabase();
    void resetState();

    void ingest(const MonitorFigures &figures);
    void mapNumbers(const SeriesCatalog &catalog);
    int addSeries(const SeriesKey &key, qint64 timeMs);
    // Appends one tick: m_values holds its value per series (NaN: a gap).
    void appendTick(qint64 timeMs, bool ok, bool journal);
    // Closes the chunks the tick at `timeMs` passes the end of and queues their writes.
    bool advance(qint64 timeMs);
    void addSample(Series &series, qint64 timeMs, float value);
    void closeMinute(Series &series);
    void addToHour(Series &series, const HistoryBucket &bucket);
    void closeHour(Series &series);
    void queueRaw(Series &series);
    void queueMinutes(const Series &series, bool partial);
    void queueHours(const Series &series, bool partial);
    void queuePartialChunks();
    void forgetQuietSeries(qint64 nowMs);

    // Writes what is pending in one transaction. A failure is reported (and history goes to
    // memory) unless `failure` takes it.
    bool commit(QSqlError *failure = nullptr);
    // The ticks of the open raw chunk not yet in the journal, read from the series' values
    // (the journal keeps nothing of its own in memory).
    std::vector<JournalTick> unjournaledTicks() const;
    void housekeep(qint64 nowMs);
    bool exec(QSqlQuery &query, QSqlError *error);
    void fail(Fault kind, const QString &message, const QString &status);
    void writeFailed(const QSqlError &error);
    void setMode(HistoryStore::Mode mode, const QString &statusText);

    QString m_path;
    HistoryRetention m_retention;
    std::shared_ptr<HistoryShared> m_shared;
    std::shared_ptr<std::atomic<int>> m_backlog;

    QMutex m_queueMutex;
    std::deque<MonitorFigures> m_queue;

    HistoryStore::Mode m_mode = HistoryStore::Mode::Opening;
    QString m_statusText;
    int m_reported = 0; // Fault flags
    std::unique_ptr<QLockFile> m_lock;
    QSqlDatabase m_db;
    std::optional<QSqlQuery> m_insertSeries;
    std::optional<QSqlQuery> m_insertChunk;
    std::optional<QSqlQuery> m_updateLastMs;
    std::optional<QSqlQuery> m_insertJournal;
    std::optional<QSqlQuery> m_setMeta;
    QTimer *m_flushTimer = nullptr;
    QElapsedTimer m_sinceCommit;

    // Series in memory, by place; their places by store id and by key; every key in the
    // series table and its id.
    std::vector<Series> m_series;
    QHash<qint64, int> m_placeById;
    QHash<SeriesKey, qint64> m_idByKey;
    qint64 m_nextId = 1;
    QSet<Metric> m_metrics;
    SeriesCatalogReader m_catalogReader;
    std::vector<int> m_placeByNumber; // -1: not in memory; -2: a metric not kept
    std::vector<float> m_values;      // the tick being appended, by place

    qint64 m_lastTickMs = 0; // 0: none yet
    qint64 m_rawStart = 0;
    qint64 m_minuteChunkStart = 0;
    qint64 m_hourChunkStart = 0;
    // The newest tick the open chunks on disk hold (written as partial chunks at open and
    // at close); when it is the last tick, reopening need not write them again.
    qint64 m_partialMs = 0;
    qint64 m_housekeptMs = 0;
    std::vector<qint64> m_rawTimes;
    std::vector<bool> m_rawOk; // false: a failed tick, or one that did not happen

    // What the next commit writes.
    std::vector<SeriesRow> m_newSeries;
    std::vector<ChunkWrite> m_chunkWrites;
    std::vector<std::pair<qint64, qint64>> m_lastMsUpdates;
    size_t m_journaled = 0; // ticks of the open raw chunk in the journal (committed)
    bool m_journalReset = false;
    bool m_metaDirty = false;
};
