#pragma once

#include "commandlog.h"
#include "connectionoptions.h"
#include "redisrequest.h"
#include "redisworker.h"
#include "replyparsers.h"

#include <QHash>
#include <QObject>
#include <QPointer>
#include <QThread>

#include <functional>

// The GUI-side handle of one Redis connection. It owns a RedisWorker on a thread of
// its own, so nothing here ever waits on the network: send() returns at once and the
// result arrives later as a signal (or callback) on this object's thread.
// Use it from the thread that created it.
class RedisConnection : public QObject
{
    Q_OBJECT
public:
    using Callback = std::function<void(const RedisResult &)>;

    explicit RedisConnection(const ConnectionOptions &options, QObject *parent = nullptr);
    // Closes the connection (pending requests fail as Closed) and joins the thread.
    ~RedisConnection() override;

    const ConnectionOptions &options() const { return m_options; }
    ConnectionState state() const { return m_state; }
    QString stateMessage() const { return m_stateMessage; }
    // Known once connected; empty version before.
    const ServerInfo &serverInfo() const { return m_serverInfo; }

    // autoReconnect: keep trying with backoff after a failure or a lost connection.
    void open(bool autoReconnect = true);
    void close();

    // Queues the request; its result comes back through finished() with the returned id.
    quint64 send(RedisRequest request);
    // The same, and calls onResult with the result, unless context was destroyed first
    // (with a null context, onResult is always called).
    quint64 send(QList<RedisCommand> commands, QObject *context, Callback onResult,
                 int timeoutMs = -1);
    // A cursor walk (see RedisRequest::iterate): onPage is called for every page.
    quint64 iterate(const RedisCommand &command, QObject *context, Callback onPage);

    // Forgets a request: its callback is not called any more and, for an iterating
    // request, no further pages are asked for. (A write already sent may still apply.)
    void cancel(quint64 id);

Q_SIGNALS:
    void finished(const RedisResult &result);
    void stateChanged(ConnectionState state, const QString &message);
    void serverInfoChanged(const ServerInfo &info);
    // For the command log, one entry per request: when its result arrives (failures
    // included), when it is cancelled, and for a cursor walk once, when its last page
    // arrives; also one per connection handshake. Secrets are redacted, and the
    // connection's own password never appears. Requests sent while nothing was connected
    // to this signal are not described (describing costs a little) and never reported.
    void requestLogged(const CommandLogEntry &entry);
    // With sentinels (ConnectionOptions::sentinels): the connection found the master at
    // `to` ("host:port") after having had it at `from`, i.e. a failover happened. Comes
    // just before the stateChanged(Connected) whose message says so too. Requests that
    // were in flight when the old master went away failed; none is sent again.
    void masterChanged(const QString &from, const QString &to);

private:
    void onFinished(const RedisResult &result);
    void logResult(const RedisResult &result);
    void emitLogged(CommandLogEntry entry);

    ConnectionOptions m_options;
    QThread m_thread;
    RedisWorker *m_worker = nullptr; // lives on m_thread
    ConnectionState m_state = ConnectionState::Disconnected;
    QString m_stateMessage;
    ServerInfo m_serverInfo;
    quint64 m_nextId = 1;
    struct Pending
    {
        QPointer<QObject> context;
        bool hasContext = false;
        Callback callback;
    };
    QHash<quint64, Pending> m_callbacks;
    // What the command log needs of a request until its result arrives: a bounded text,
    // not the request itself.
    struct Logged
    {
        QString command;
        qint64 sentMs = 0; // since the epoch
        bool walk = false;
        // A cursor walk's pages so far, the items they held and the time they took.
        int pages = 0;
        qint64 items = 0;
        qint64 elapsedMs = 0;
    };
    QHash<quint64, Logged> m_logged;
};

QString connectionStateName(ConnectionState state);
