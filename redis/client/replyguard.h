#pragma once

#include "redisconnection.h"

#include <QList>
#include <QObject>
#include <QPointer>

// Weir's one way to drop stale replies. A model or an operation sends through its guard,
// and when what it asked for no longer matters (the user picked another stream, refreshed,
// cancelled, or the owner goes away) it calls reset(): every request the guard has on its
// way is cancelled on its connection, so none of their callbacks ever runs and the
// connection does not write what it still held back. A write already sent may still apply,
// as with RedisConnection::cancel(); the command log shows each as cancelled.
//
// The guard is the requests' context: destroying it (with its owner, as a member) drops
// their replies too. Callbacks run on the connection's thread, and the guard is used from
// that thread only.
class ReplyGuard : public QObject
{
public:
    using Callback = RedisConnection::Callback;

    explicit ReplyGuard(QObject *parent = nullptr);
    ~ReplyGuard() override;

    // As RedisConnection's functions of the same names, with the guard as the context.
    quint64 send(RedisConnection *connection, QList<RedisCommand> commands, Callback onResult,
                 int timeoutMs = -1);
    quint64 sendToNode(RedisConnection *connection, const QString &node,
                       QList<RedisCommand> commands, Callback onResult, int timeoutMs = -1);
    quint64 iterate(RedisConnection *connection, const RedisCommand &command, Callback onPage);

    // Cancels every request sent through the guard that has not been answered yet.
    void reset();
    // A request sent through the guard has not been answered (or its walk not ended) yet.
    bool isBusy() const { return !m_inFlight.isEmpty(); }

private:
    struct InFlight
    {
        QPointer<RedisConnection> connection;
        quint64 id = 0;
    };

    Callback tracked(RedisConnection *connection, Callback callback);
    quint64 remember(RedisConnection *connection, quint64 id);

    QList<InFlight> m_inFlight;
};
