#include "replyguard.h"

#include "threadcheck.h"

#include <utility>

ReplyGuard::ReplyGuard(QObject *parent)
    : QObject(parent)
{}

ReplyGuard::~ReplyGuard()
{
    reset();
}

quint64 ReplyGuard::send(RedisConnection *connection, QList<RedisCommand> commands,
                         Callback onResult, int timeoutMs)
{
    return remember(connection,
                    connection->send(std::move(commands), this,
                                     tracked(connection, std::move(onResult)), timeoutMs));
}

quint64 ReplyGuard::sendToNode(RedisConnection *connection, const QString &node,
                               QList<RedisCommand> commands, Callback onResult, int timeoutMs)
{
    return remember(connection,
                    connection->sendToNode(node, std::move(commands), this,
                                           tracked(connection, std::move(onResult)), timeoutMs));
}

quint64 ReplyGuard::iterate(RedisConnection *connection, const RedisCommand &command,
                            Callback onPage)
{
    return remember(connection,
                    connection->iterate(command, this, tracked(connection, std::move(onPage))));
}

void ReplyGuard::reset()
{
    // Taken first: cancel() reports to the command log at once, and what that reaches may
    // use this guard again.
    const QList<InFlight> inFlight = std::exchange(m_inFlight, {});
    for (const InFlight &request : inFlight) {
        if (request.connection)
            request.connection->cancel(request.id);
    }
}

quint64 ReplyGuard::remember(RedisConnection *connection, quint64 id)
{
    WEIR_ASSERT_OBJECT_THREAD(connection);
    m_inFlight.append({connection, id});
    return id;
}

RedisConnection::Callback ReplyGuard::tracked(RedisConnection *connection, Callback callback)
{
    // A connection never calls back from within send(), so the id is remembered by then.
    return [this, connection, callback = std::move(callback)](const RedisResult &result) {
        if (!result.more) {
            m_inFlight.removeIf([&](const InFlight &request) {
                return request.id == result.id && request.connection == connection;
            });
        }
        callback(result);
    };
}
