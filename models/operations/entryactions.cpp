#include "entryactions.h"

#include "pendingactions.h"
#include "streamparsers.h"

#include <QSet>

namespace EntryActions {

QList<BulkRunner::Chunk> deleteChunks(const QByteArray &key, const QList<QByteArray> &ids,
                                      const PendingRefs &refs, bool alsoAck, int perChunk)
{
    return BulkRunner::chunked(ids, perChunk, [&](const QList<QByteArray> &part) {
        QList<QByteArray> xdel{"XDEL", key};
        xdel += part;
        QList<RedisCommand> commands{RedisCommand{xdel, key}};
        if (!alsoAck)
            return commands;
        const QSet<QByteArray> inPart(part.cbegin(), part.cend());
        QList<QByteArray> groups = refs.keys();
        std::sort(groups.begin(), groups.end());
        for (const QByteArray &group : std::as_const(groups)) {
            QList<QByteArray> xack{"XACK", key, group};
            for (const QByteArray &id : refs.value(group)) {
                if (inPart.contains(id))
                    xack.append(id);
            }
            if (xack.size() > 3)
                commands.append(RedisCommand{xack, key});
        }
        return commands;
    });
}

BulkRunner::Verifier deleteVerifier(const QByteArray &key)
{
    BulkRunner::Verifier v;
    v.commands = [key](const QList<QByteArray> &ids) {
        QList<RedisCommand> commands;
        for (const QByteArray &id : ids)
            commands.append(RedisCommand{{"XRANGE", key, id, id}, key});
        return commands;
    };
    v.applied = [](const QList<QByteArray> &ids, const QList<RedisValue> &replies) {
        QList<bool> gone;
        for (qsizetype i = 0; i < ids.size() && i < replies.size(); ++i) {
            if (!replies.at(i).isArray())
                return QList<bool>();
            gone.append(replies.at(i).size() == 0);
        }
        return gone;
    };
    return v;
}

} // namespace EntryActions

PendingRefFinder::PendingRefFinder(QObject *parent)
    : QObject(parent)
{
    qRegisterMetaType<EntryActions::PendingRefs>();
}

void PendingRefFinder::start(RedisConnection *connection, const QByteArray &key,
                             const QList<QByteArray> &ids)
{
    m_connection = connection;
    connection->send({RedisCommand{{"XINFO", "GROUPS", key}, key}}, this,
                     [this, key, ids](const RedisResult &r) {
        QString error = r.error;
        const auto groups = r.ok() ? parseGroupsInfo(r.replies.first(), &error) : std::nullopt;
        if (!groups) {
            Q_EMIT finished({}, error);
            return;
        }
        QList<RedisCommand> commands;
        QList<QPair<QByteArray, QByteArray>> asked; // (group, id) per command
        for (const GroupInfo &g : *groups) {
            for (const QByteArray &id : ids) {
                commands.append(RedisCommand{{"XPENDING", key, g.name, id, id, "1"}, key});
                asked.append({g.name, id});
            }
        }
        if (commands.isEmpty() || !m_connection) {
            Q_EMIT finished({}, QString());
            return;
        }
        m_connection->send(commands, this, [this, asked](const RedisResult &pending) {
            if (!pending.ok()) {
                Q_EMIT finished({}, pending.error);
                return;
            }
            EntryActions::PendingRefs refs;
            for (qsizetype i = 0; i < asked.size() && i < pending.replies.size(); ++i) {
                const RedisValue &reply = pending.replies.at(i);
                if (reply.isError()) {
                    Q_EMIT finished({}, QString::fromUtf8(reply.bytes()));
                    return;
                }
                if (reply.size() > 0)
                    refs[asked.at(i).first].append(asked.at(i).second);
            }
            Q_EMIT finished(refs, QString());
        });
    });
}
