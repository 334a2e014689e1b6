#pragma once

#include "bulkrunner.h"
#include "replyguard.h"

#include <QObject>
#include <QPointer>

#include <limits>
#include <optional>

// The acks an operator makes on a group's pending entries, as bulk runs: the chunks of
// XACK to send, how to verify them afterwards, and the ids to ack when they are "every
// pending entry of a consumer" or "every one idle at least so long".
namespace PendingActions {

constexpr int IdsPerChunk = 1000;

// XACK key group id... in chunks of `perChunk` ids.
QList<BulkRunner::Chunk> ackChunks(const QByteArray &key, const QByteArray &group,
                                   const QList<QByteArray> &ids, int perChunk = IdsPerChunk);
// An id counts as acked when the group no longer holds it as pending (XPENDING over just
// that id is empty).
BulkRunner::Verifier ackVerifier(const QByteArray &key, const QByteArray &group);

// XCLAIM's target and options.
struct ClaimOptions
{
    QByteArray consumer;              // the new owner; created by the claim if it does not exist
    qint64 minIdleMs = 0;             // only entries idle at least this long are claimed
    std::optional<qint64> idleMs;     // IDLE: the idle time to set (default: reset to 0)
    std::optional<qint64> retryCount; // RETRYCOUNT: the delivery count to set
    bool force = false;               // FORCE: create pending entries for ids not pending
    bool justId = false;              // JUSTID: do not return entries (nor count a delivery)
};
// Why `options` cannot be sent (empty when they can).
QString validate(const ClaimOptions &options);
// XCLAIM key group consumer min-idle id... [IDLE] [RETRYCOUNT] [FORCE] [JUSTID].
QList<BulkRunner::Chunk> claimChunks(const QByteArray &key, const QByteArray &group,
                                     const QList<QByteArray> &ids, const ClaimOptions &options,
                                     int perChunk = IdsPerChunk);
// An id counts as claimed when `consumer` owns it as a pending entry.
BulkRunner::Verifier claimVerifier(const QByteArray &key, const QByteArray &group,
                                   const QByteArray &consumer);

// The commands of `chunks` as redis-cli lines: the first `max`, one per line, each cut
// after `maxArguments` arguments with a count of the rest ("… (+995 more)").
QStringList redisCliLines(const QList<BulkRunner::Chunk> &chunks, int max,
                          int maxArguments = std::numeric_limits<int>::max());
// All of them, one per line: what "Copy as redis-cli commands" copies. A chunk's prelude
// (SCRIPT LOAD) comes before its commands, once while the chunks share it, so that the
// lines run as they are in redis-cli.
QString redisCliScript(const QList<BulkRunner::Chunk> &chunks);

} // namespace PendingActions

// XAUTOCLAIM over the whole pending entries list of a group: one call of COUNT entries at
// a time, each from the cursor the last returned, until the cursor is 0-0. Each call is a
// write, so a call that fails after it was sent is not repeated: the sweep stops and says
// that call's outcome is unknown.
class AutoClaimSweep : public QObject
{
    Q_OBJECT
public:
    struct Result
    {
        QList<QByteArray> claimed; // ids now owned by the consumer
        QList<QByteArray> deleted; // 7.0+: pending ids whose entries were gone, dropped
        // Before 7.0: entries claimed though gone from the stream; Redis names each by a
        // nil, not by its id, and they stay pending, now the consumer's.
        int claimedGone = 0;
        int calls = 0;
        bool cancelled = false;
        bool lastCallUnknown = false; // the connection failed after the last call was sent
        QString error;
    };

    explicit AutoClaimSweep(QObject *parent = nullptr);
    // Uses options.consumer, minIdleMs and justId (XAUTOCLAIM has no IDLE, RETRYCOUNT or
    // FORCE). Emits finished() once.
    void start(RedisConnection *connection, const QByteArray &key, const QByteArray &group,
               const PendingActions::ClaimOptions &options, int count = 1000);
    // Sends no further call; the one on its way finishes.
    void cancel();
    bool isRunning() const { return m_running; }
    // The first call, as redis-cli would take it.
    static RedisCommand firstCommand(const QByteArray &key, const QByteArray &group,
                                     const PendingActions::ClaimOptions &options, int count);

Q_SIGNALS:
    void progress(qint64 claimed, qint64 deleted);
    void finished(const AutoClaimSweep::Result &result);

private:
    void call(const QByteArray &cursor);
    void finish();

    QPointer<RedisConnection> m_connection;
    QByteArray m_key;
    QByteArray m_group;
    PendingActions::ClaimOptions m_options;
    int m_count = 1000;
    Result m_result;
    bool m_running = false;
    bool m_stop = false;
};

// Collects the ids of a group's pending entries that match a filter (consumer, minimum
// idle time, minimum delivery count), reading the whole PEL in pages of XPENDING. Reads
// only.
class PendingCollector : public QObject
{
    Q_OBJECT
public:
    explicit PendingCollector(QObject *parent = nullptr);

    // Emits finished() once; a new start() or cancel() drops what was under way.
    void start(RedisConnection *connection, const QByteArray &key, const QByteArray &group,
               const QByteArray &consumer, qint64 minIdleMs, int pageSize = 1000);
    void cancel();
    bool isRunning() const { return m_running; }
    // Only entries delivered at least this many times (XPENDING's delivery count; Redis
    // has no such filter, so every page is read and filtered here). 0: any. Applies from
    // the next start().
    void setMinDeliveries(qint64 deliveries) { m_minDeliveries = qMax<qint64>(0, deliveries); }
    qint64 minDeliveries() const { return m_minDeliveries; }

Q_SIGNALS:
    void progress(qint64 found);
    // The ids in PEL order; error is a Redis or connection error, in words.
    void finished(const QList<QByteArray> &ids, bool cancelled, const QString &error);

private:
    void read(const QByteArray &start);

    QPointer<RedisConnection> m_connection;
    QByteArray m_key;
    QByteArray m_group;
    QByteArray m_consumer;
    qint64 m_minIdleMs = 0;
    qint64 m_minDeliveries = 0;
    int m_pageSize = 1000;
    QList<QByteArray> m_ids;
    ReplyGuard m_replies; // a cancelled collection's pages are dropped
    bool m_running = false;
};

Q_DECLARE_METATYPE(AutoClaimSweep::Result)
