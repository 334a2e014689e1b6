#include "pendingactions.h"

#include "inspectorcells.h"
#include "streamparsers.h"
#include "valuedecoder.h"

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
                quoted.append("\xe2\x80\xa6 (+" + QByteArray::number(command.argv.size() - maxArguments)
                              + " more)");
            lines.append(QString::fromUtf8(quoted.join(' ')));
        }
    }
    return lines;
}

QString redisCliScript(const QList<BulkRunner::Chunk> &chunks)
{
    return redisCliLines(chunks, std::numeric_limits<int>::max()).join(QLatin1Char('\n'))
        + QLatin1Char('\n');
}

} // namespace PendingActions

PendingCollector::PendingCollector(QObject *parent)
    : QObject(parent)
{}

void PendingCollector::start(RedisConnection *connection, const QByteArray &key,
                             const QByteArray &group, const QByteArray &consumer,
                             qint64 minIdleMs, int pageSize)
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
    ++m_generation;
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
    QList<QByteArray> argv{"XPENDING", m_key, m_group};
    if (m_minIdleMs > 0)
        argv << "IDLE" << QByteArray::number(m_minIdleMs);
    argv << start << "+" << QByteArray::number(m_pageSize);
    if (!m_consumer.isEmpty())
        argv << m_consumer;
    const quint64 generation = m_generation;
    m_connection->send({RedisCommand{argv, m_key}}, this, [this, generation](const RedisResult &r) {
        if (generation != m_generation)
            return;
        QString error = r.error;
        const auto page = r.ok() ? parsePendingEntries(r.replies.first(), &error) : std::nullopt;
        if (!page) {
            m_running = false;
            Q_EMIT finished(m_ids, false, error);
            return;
        }
        for (const PendingEntry &e : *page)
            m_ids.append(e.id.toByteArray());
        Q_EMIT progress(m_ids.size());
        const std::optional<StreamId> next =
            page->isEmpty() ? std::nullopt : idAfter(page->constLast().id);
        if (page->size() < m_pageSize || !next) {
            m_running = false;
            Q_EMIT finished(m_ids, false, {});
            return;
        }
        read(next->toByteArray());
    });
}
