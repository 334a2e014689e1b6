#pragma once

#include "deadletters.h"
#include "redisconnection.h"
#include "replyguard.h"
#include "streamlistmodel.h"

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QSet>

#include <deque>
#include <memory>
#include <optional>

// One stream of the overview, as StreamOverview hands it on.
struct StreamOverviewRow
{
    QByteArray key;
    StreamReadStatus status = StreamReadStatus::Ok;
    QString error; // status Error: Redis's text, verbatim
    StreamFigures figures;
    LagKnowledge lag = LagKnowledge::NoGroups;
    // Why maxLag says nothing (lag Nil or NotReported), in words; empty otherwise.
    QString lagUnknownReason;
    // Age of the oldest entry not yet delivered to the slowest group, by the server's
    // clock (0: every group is up to date); nullopt when the stream has no group.
    std::optional<qint64> timeLagMs;
    QByteArray deadLetterStream;       // its dead-letter stream, by the conventions; or empty
    std::optional<qint64> deadLetters; // XLEN of deadLetterStream
    QByteArray deadLetterOf;           // the source it is the dead-letter stream of; or empty
};

// The overview of every stream of a connection without a view: what the dashboard's
// stream list shows, read as the scan goes and handed on in batches (rowsReady()), kept
// nowhere after. For `weirctl streams` and `weirctl deadletters`.
//
// SCAN ... TYPE stream walks the keyspace (every master of a cluster, through
// RedisConnection::iterate), on a second connection with the same options, opened by
// start(), so that its pages do not queue behind the batches. The keys found are read in batches,
// each one pipelined request of the commands the dashboard sends (streamFigureCommands(),
// readStreamFigures()), then a second one with, for every group that has entries not yet delivered,
// the first of them (XRANGE from monitormath::undeliveredFrom() COUNT 1), which gives the time lag
// as the monitor computes it (monitormath::timeLagMs(), against the server's TIME).
//
// Dead letters are paired as the dashboard pairs them (detectDeadLetterStreams()). Once
// the scan is over every stream is known, and the batches left are paired from the keys
// found (their XLEN sent with their figures), at no cost to Redis. A row read while the scan
// goes on cannot wait for its end to know whether its dead-letter stream exists, so its
// batch asks Redis: EXISTS over every key the conventions could pair with the batch's keys
// (one command per batch outside a cluster, one per key in one), narrowed down to the rows
// it concerns where something is there, then TYPE and XLEN of those keys only. Batches are
// full ones, several in flight, but for keys that waited ShortBatchAfterMs with nothing in
// flight. With a MATCH pattern the scan does not see every stream, and every batch asks.
//
// Memory: the keys seen (SCAN may return a key twice), the keys waiting to be read, and the
// batches in flight; never the rows handed on.
class StreamOverview : public QObject
{
    Q_OBJECT
public:
    static constexpr int DefaultBatchSize = 200;
    static constexpr int MaxBatchesInFlight = 4;
    // While the scan goes on, keys wait this long for a full batch.
    static constexpr int ShortBatchAfterMs = 200;

    // `connection` (not owned) must be connected when start() is called.
    explicit StreamOverview(RedisConnection *connection, QObject *parent = nullptr);
    ~StreamOverview() override;

    // SCAN's MATCH pattern (glob); empty: every stream.
    void setMatch(const QByteArray &pattern) { m_match = pattern; }
    void setDeadLetterConventions(const DeadLetterConventions &conventions);
    void setBatchSize(int streams) { m_batchSize = qMax(1, streams); }

    void start();
    // Stops: no more rows, no finished().
    void cancel();
    bool isRunning() const { return m_running; }

    qint64 streamsFound() const { return m_found; }
    qint64 rowsHandedOn() const { return m_rowsOut; }

    // The keys (other than `key`) that the conventions could pair with `key`, either way,
    // and those that could claim them first: every key detectDeadLetterStreams() would
    // look at to pair `key` in a keyspace that holds it.
    static QList<QByteArray> pairingCandidates(const QByteArray &key,
                                               const DeadLetterConventions &conventions);
    // The same with the conventions' usable patterns split around "{stream}" beforehand.
    struct Affixes
    {
        QByteArray prefix;
        QByteArray suffix;
    };
    static QList<Affixes> affixesOf(const DeadLetterConventions &conventions);
    static QList<QByteArray> pairingCandidates(const QByteArray &key,
                                               const QList<Affixes> &patterns);
    // "a*b" matching exactly the key "a*b": the glob's special characters escaped.
    static QByteArray globEscape(const QByteArray &key);

Q_SIGNALS:
    // Rows in the order of their batch's keys; every key found is in exactly one.
    void rowsReady(const QList<StreamOverviewRow> &rows);
    // The scan and every batch are done (error empty), or the walk or a request failed:
    // the error as Redis or the connection said it.
    void finished(const QString &error);

private:
    struct Batch;

    void onPage(const RedisResult &result);
    void pump();
    void startBatch();
    void sendStep(const std::shared_ptr<Batch> &batch);
    void onStep(const std::shared_ptr<Batch> &batch, const RedisResult &result);
    void completeBatch(const std::shared_ptr<Batch> &batch);
    void fail(const QString &error);
    qint64 serverNowMs() const;

    QPointer<RedisConnection> m_connection;
    DeadLetterConventions m_conventions = DeadLetterConventions::defaults();
    QList<Affixes> m_affixes; // of m_conventions, for pairingCandidates()
    QByteArray m_match;
    int m_batchSize = DefaultBatchSize;
    bool m_running = false;
    bool m_scanDone = false;
    bool m_pairedAll = false; // m_deadLettersOf and m_sourceOf hold every pair
    int m_inFlight = 0;
    qint64 m_found = 0;
    qint64 m_rowsOut = 0;
    QSet<QByteArray> m_seen; // during the scan
    // Once the scan is over: the pairs of all the streams it found, both ways.
    QHash<QByteArray, QByteArray> m_deadLettersOf;
    QHash<QByteArray, QByteArray> m_sourceOf;
    std::deque<QByteArray> m_waiting;
    QElapsedTimer m_waitingSince; // since the oldest key of m_waiting was found
    qint64 m_serverTimeMs = 0;    // TIME when the run started
    QElapsedTimer m_sinceTime;
    std::unique_ptr<RedisConnection> m_scanConnection; // the walk's own
    bool m_scanStarted = false;
    ReplyGuard m_replies;
};
