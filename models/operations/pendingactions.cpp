#include "pendingactions.h"

#include "pendingmodel.h"
#include "streamparsers.h"
#include "valuedecoder.h"

#include <QSet>

#include <algorithm>

namespace PendingActions {

QList<BulkRunner::Chunk> ackChunks(const QByteArray &key, const QByteArray &group,
                                   const QList<QByteArray> &ids, int perChunk)
{
    return BulkRunner::chunked(ids, perChunk, [&](const QList<QByteArray> &part) {
        QList<QByteArray> argv{"XACK", key, group};
        argv += part;
        return QList<RedisCommand>{RedisCommand{argv, key}};
    });
}

BulkRunner::Verifier ackVerifier(const QByteArray &key, const QByteArray &group)
{
    BulkRunner::Verifier v;
    v.commands = [key, group](const QList<QByteArray> &ids) {
        QList<RedisCommand> commands;
        commands.reserve(ids.size());
        for (const QByteArray &id : ids)
            commands.append(RedisCommand{{"XPENDING", key, group, id, id, "1"}, key});
        return commands;
    };
    v.applied = [](const QList<QByteArray> &ids, const QList<RedisValue> &replies) {
        QList<bool> acked;
        for (qsizetype i = 0; i < ids.size() && i < replies.size(); ++i) {
            if (!replies.at(i).isArray())
                return QList<bool>(); // an error: nothing learnt
            acked.append(replies.at(i).size() == 0);
        }
        return acked;
    };
    return v;
}

QString validate(const ClaimOptions &options)
{
    if (options.consumer.isEmpty())
        return QObject::tr("Name the consumer that takes the entries over.");
    if (options.minIdleMs < 0)
        return QObject::tr("The minimum idle time cannot be negative.");
    if (options.idleMs && *options.idleMs < 0)
        return QObject::tr("IDLE cannot be negative.");
    if (options.retryCount && *options.retryCount < 0)
        return QObject::tr("RETRYCOUNT cannot be negative.");
    return {};
}

QList<BulkRunner::Chunk> claimChunks(const QByteArray &key, const QByteArray &group,
                                     const QList<QByteArray> &ids, const ClaimOptions &options,
                                     int perChunk)
{
    return BulkRunner::chunked(ids, perChunk, [&](const QList<QByteArray> &part) {
        QList<QByteArray> argv{"XCLAIM", key, group, options.consumer,
                               QByteArray::number(options.minIdleMs)};
        argv += part;
        if (options.idleMs)
            argv << "IDLE" << QByteArray::number(*options.idleMs);
        if (options.retryCount)
            argv << "RETRYCOUNT" << QByteArray::number(*options.retryCount);
        if (options.force)
            argv << "FORCE";
        if (options.justId)
            argv << "JUSTID";
        return QList<RedisCommand>{RedisCommand{argv, key}};
    });
}

BulkRunner::Verifier claimVerifier(const QByteArray &key, const QByteArray &group,
                                   const QByteArray &consumer)
{
    BulkRunner::Verifier v = ackVerifier(key, group); // the same reads: XPENDING per id
    v.applied = [consumer](const QList<QByteArray> &ids, const QList<RedisValue> &replies) {
        QList<bool> claimed;
        for (qsizetype i = 0; i < ids.size() && i < replies.size(); ++i) {
            const RedisValue &r = replies.at(i);
            if (!r.isArray())
                return QList<bool>();
            claimed.append(r.size() == 1 && r.at(0).size() >= 2
                           && r.at(0).at(1).bytes() == consumer);
        }
        return claimed;
    };
    // XCLAIM returns the entries it claimed ([id, fields], or the bare id with JUSTID).
    // Before 7.0 it claims an entry deleted from the stream too, and names it by a nil:
    // which id that was, only the pending list tells.
    v.fromReply = [](const QList<QByteArray> &ids, const RedisValue &reply) {
        QSet<QByteArray> claimed;
        for (const RedisValue &e : reply.elements()) {
            if (e.isNil())
                return QList<bool>();
            claimed.insert(e.isArray() && e.size() > 0 ? e.at(0).bytes() : e.bytes());
        }
        QList<bool> done;
        for (const QByteArray &id : ids)
            done.append(claimed.contains(id));
        return done;
    };
    return v;
}

QStringList redisCliLines(const QList<BulkRunner::Chunk> &chunks, int max, int maxArguments)
{
    QStringList lines;
    for (const BulkRunner::Chunk &chunk : chunks) {
        for (const RedisCommand &command : chunk.commands) {
            if (lines.size() >= max)
                return lines;
            QByteArrayList quoted;
            for (const QByteArray &arg : command.argv.mid(0, maxArguments))
                quoted.append(redisCliQuote(arg));
            if (command.argv.size() > maxArguments)
                quoted.append("\xe2\x80\xa6 (+"
                              + QByteArray::number(command.argv.size() - maxArguments) + " more)");
            lines.append(QString::fromUtf8(quoted.join(' ')));
        }
    }
    return lines;
}

QString redisCliScript(const QList<BulkRunner::Chunk> &chunks)
{
    // A chunk's prelude (SCRIPT LOAD) goes before its commands, once for as long as the
    // chunks share it: the EVALSHA lines that follow then find their script.
    QStringList lines;
    QList<RedisCommand> lastPrelude;
    for (const BulkRunner::Chunk &chunk : chunks) {
        const bool samePrelude =
            chunk.prelude.size() == lastPrelude.size()
            && std::equal(chunk.prelude.cbegin(), chunk.prelude.cend(), lastPrelude.cbegin(),
                          [](const RedisCommand &a, const RedisCommand &b) {
            return a.argv == b.argv;
               });
        if (!samePrelude) {
            lines += redisCliLines({BulkRunner::Chunk{chunk.prelude, {}}},
                                   std::numeric_limits<int>::max());
            lastPrelude = chunk.prelude;
        }
        lines += redisCliLines({chunk}, std::numeric_limits<int>::max());
    }
    return lines.join(QLatin1Char('\n')) + QLatin1Char('\n');
}

} // namespace PendingActions

PendingCollector::PendingCollector(QObject *parent)
    : QObject(parent)
{}

void PendingCollector::start(RedisConnection *connection, const QByteArray &key,
                             const QByteArray &group, const QByteArray &consumer, qint64 minIdleMs,
                             int pageSize)
{
    cancel();
    m_connection = connection;
    m_key = key;
    m_group = group;
    m_consumer = consumer;
    m_minIdleMs = minIdleMs;
    m_pageSize = qMax(1, pageSize);
    m_ids.clear();
    m_running = true;
    read("-");
}

void PendingCollector::cancel()
{
    if (!m_running)
        return;
    m_replies.reset();
    m_running = false;
    Q_EMIT finished(m_ids, true, {});
}

void PendingCollector::read(const QByteArray &start)
{
    if (!m_connection) {
        m_running = false;
        Q_EMIT finished(m_ids, false, tr("The connection is gone."));
        return;
    }
    const RedisCommand command =
        PendingModel::rangeCommand(m_key, m_group, m_consumer, m_minIdleMs, start, m_pageSize);
    m_replies.send(m_connection, {command}, [this](const RedisResult &r) {
        QString error = r.error;
        const auto page = r.ok() ? parsePendingEntries(r.replies.first(), &error) : std::nullopt;
        if (!page) {
            m_running = false;
            Q_EMIT finished(m_ids, false, error);
            return;
        }
        for (const PendingEntry &e : *page) {
            if (e.deliveries >= m_minDeliveries)
                m_ids.append(e.id.toByteArray());
        }
        Q_EMIT progress(m_ids.size());
        const std::optional<StreamId> next =
            page->isEmpty() ? std::nullopt : page->constLast().id.next();
        if (page->size() < m_pageSize || !next) {
            m_running = false;
            Q_EMIT finished(m_ids, false, {});
            return;
        }
        read(next->toByteArray());
    });
}

AutoClaimSweep::AutoClaimSweep(QObject *parent)
    : QObject(parent)
{
    qRegisterMetaType<AutoClaimSweep::Result>();
}

RedisCommand AutoClaimSweep::firstCommand(const QByteArray &key, const QByteArray &group,
                                          const PendingActions::ClaimOptions &options, int count)
{
    QList<QByteArray> argv{"XAUTOCLAIM",
                           key,
                           group,
                           options.consumer,
                           QByteArray::number(options.minIdleMs),
                           "0-0",
                           "COUNT",
                           QByteArray::number(count)};
    if (options.justId)
        argv << "JUSTID";
    return RedisCommand{argv, key};
}

void AutoClaimSweep::start(RedisConnection *connection, const QByteArray &key,
                           const QByteArray &group, const PendingActions::ClaimOptions &options,
                           int count)
{
    if (m_running)
        return;
    m_connection = connection;
    m_key = key;
    m_group = group;
    m_options = options;
    m_count = qMax(1, count);
    m_result = Result{};
    m_running = true;
    m_stop = false;
    call("0-0");
}

void AutoClaimSweep::cancel()
{
    if (m_running && !m_stop) {
        m_stop = true;
        m_result.cancelled = true;
    }
}

void AutoClaimSweep::call(const QByteArray &cursor)
{
    if (!m_connection) {
        m_result.error = tr("The connection is gone.");
        finish();
        return;
    }
    RedisCommand command = firstCommand(m_key, m_group, m_options, m_count);
    command.argv[5] = cursor;
    m_connection->send({command}, this, [this](const RedisResult &r) {
        ++m_result.calls;
        if (!r.ok()) {
            m_result.error = r.error;
            m_result.lastCallUnknown = r.sent;
            finish();
            return;
        }
        const RedisValue &reply = r.replies.first();
        if (reply.isError()) {
            m_result.error = QString::fromUtf8(reply.bytes());
            finish();
            return;
        }
        if (!reply.isArray() || reply.size() < 2 || !reply.at(1).isArray()) {
            m_result.error = tr("XAUTOCLAIM sent a reply Weir does not understand.");
            finish();
            return;
        }
        for (const RedisValue &e : reply.at(1).elements()) {
            if (e.isArray() && e.size() > 0)
                m_result.claimed.append(e.at(0).bytes());
            else if (e.isString())
                m_result.claimed.append(e.bytes());
            else if (e.isNil())
                ++m_result.claimedGone;
        }
        if (reply.size() > 2) {
            for (const RedisValue &id : reply.at(2).elements())
                m_result.deleted.append(id.bytes());
        }
        Q_EMIT progress(m_result.claimed.size(), m_result.deleted.size());
        const QByteArray next = reply.at(0).bytes();
        if (next == "0-0" || m_stop)
            finish();
        else
            call(next);
    });
}

void AutoClaimSweep::finish()
{
    m_running = false;
    Q_EMIT finished(m_result);
}
