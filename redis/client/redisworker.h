#pragma once

#include "commandlog.h"
#include "connectionoptions.h"
#include "connectionstate.h"
#include "redisrequest.h"
#include "replyparsers.h"
#include "respcodec.h"

#include <QDeadlineTimer>
#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <deque>
#include <functional>
#include <optional>
#include <utility>

class QAbstractSocket;
class QIODevice;
class QSslError;

// Why a request is refused before any of it is sent (a malformed cursor walk, an empty
// command, a write on a read-only connection): the failure and the words for it, or
// nullopt when it may go.
std::optional<std::pair<RedisResult::Failure, QString>> requestRefusal(const RedisRequest &request,
                                                                       bool readOnly);

// Does all socket I/O and RESP coding of one connection. Lives on the connection's
// own thread (see RedisConnection); every member is touched only there, and it talks
// to the rest of Weir only through queued signals and slots.
class RedisWorker : public QObject
{
    Q_OBJECT
public:
    explicit RedisWorker(const ConnectionOptions &options, QObject *parent = nullptr);
    ~RedisWorker() override;

public Q_SLOTS:
    // Connects; with autoReconnect, a lost or refused connection is retried with
    // backoff (500 ms doubling to 30 s) until close().
    void open(bool autoReconnect);
    void close();
    void submit(const RedisRequest &request);
    // Stops an iterating request: no further pages are asked for or reported.
    void cancel(quint64 id);

Q_SIGNALS:
    void finished(const RedisResult &result);
    void stateChanged(ConnectionState state, const QString &message);
    void serverInfoChanged(const ServerInfo &info);
    // The connection handshake (AUTH, HELLO, SELECT, INFO) when its replies arrive or it
    // fails, described for the command log: the password is redacted here, on this thread.
    void handshakeLogged(const CommandLogEntry &entry);
    // With sentinels: the master is now at `to`, no longer at `from` where this connection
    // last had it (a failover). Emitted just before the Connected state change, whose
    // message says the same.
    void masterChanged(const QString &from, const QString &to);

private:
    struct Pending
    {
        RedisRequest request;
        QList<RedisValue> replies;
        QDeadlineTimer deadline;
        QElapsedTimer elapsed;
        bool sent = false;
        // Failed already: its deadline passed while it waited behind a slower request.
        // It stays in m_inflight so that its replies, when they come, are read and dropped.
        bool abandoned = false;
    };

    void connectSocket();
    void connectTransport();
    QAbstractSocket *newTcpSocket();
    void onTransportConnected();
    void onReadyRead();
    void onHandshakeReplies(const QList<RedisValue> &replies);
    void connectionLost(const QString &why, RedisResult::Failure headFailure);
    void failAll(std::deque<Pending> &queue, RedisResult::Failure failure, const QString &why);
    void fail(Pending &p, RedisResult::Failure failure, const QString &why);
    void writeRequest(Pending &p);
    void logHandshake(const Pending &p, const RedisResult &result);
    bool continueIteration(const Pending &page);
    QDeadlineTimer deadlineFor(const RedisRequest &request) const;
    void flushWaiting();
    void armDeadlineTimer();
    void onDeadline();
    void setState(ConnectionState state, const QString &message = {});
    void scheduleReconnect(const QString &why);
    void dropSocket();
    QString transportLostReason() const;
    QString socketErrorString() const;
    // Sentinel discovery: ask each sentinel in turn for the master's address, connect there
    // (the handshake checks ROLE), and on any failure go on with the next sentinel.
    void askNextSentinel();
    void onSentinelConnected();
    void onSentinelReadyRead();
    void sentinelFailed(const QString &why);
    void resolutionFailed();
    void dropSentinelSocket();
    // Connects `socket` to the sentinel at `index` (TLS as for the data nodes); false, with
    // the reason, when its address cannot be used.
    bool connectSentinel(QPointer<QAbstractSocket> &socket, int index,
                         void (RedisWorker::*onConnected)(), void (RedisWorker::*onData)(),
                         const std::function<void(const QString &)> &onError, QString *why);
    // Not connected, and not trying again: what is waiting fails, the state says why.
    void giveUp(const QString &why);
    // +switch-master: while connected through sentinels (and reconnecting), one sentinel at
    // a time is subscribed to, on a socket of its own; when it goes away the next one is,
    // after a backoff. A switch of our master elsewhere drops the connection (requests in
    // flight fail, none is sent again) and finds the master anew at once.
    void watchSwitches();
    void onWatchConnected();
    void onWatchReadyRead();
    void watchLost();
    void stopWatching();
    void onSwitchMaster(const QString &host, quint16 port);
    // connectionLost(), then, if it is to reconnect, a new attempt now instead of later.
    void reconnectAtOnce(const QString &why, RedisResult::Failure headFailure);
    bool usesSentinel() const { return !m_sentinels.isEmpty(); }
    QString target() const;

    ConnectionOptions m_options;
    bool m_autoReconnect = false;
    ConnectionState m_state = ConnectionState::Disconnected;
    QPointer<QIODevice> m_socket;
    RespDecoder m_decoder;
    std::deque<Pending> m_inflight; // written, awaiting replies, in order
    std::deque<Pending> m_waiting;  // accepted while not connected; not yet written
    bool m_handshaking = false;     // the head of m_inflight is the handshake (id 0)
    QStringList m_sslErrors;
    // Children, so that they move to the worker thread with it.
    QTimer m_connectTimer{this};
    QTimer m_deadlineTimer{this};
    QTimer m_reconnectTimer{this};
    int m_backoffMs = 500;

    // Sentinel discovery (see ConnectionOptions::sentinels). m_options then holds the
    // master's address as last found, and no sentinels.
    QStringList m_sentinels;
    QString m_configured;     // the endpoint() of the options as given, for messages
    int m_sentinelIndex = -1; // the sentinel being asked; -1 while none is
    QPointer<QAbstractSocket> m_sentinelSocket;
    RespDecoder m_sentinelDecoder;
    Pending m_sentinelQuery;
    QStringList m_sentinelFailures; // this round: "sentinel: what went wrong", in order
    bool m_candidate = false;       // connecting to the address a sentinel named, unchecked yet
    QString m_master;               // where the master was when last connected
    QTimer m_sentinelTimer{this};

    // The +switch-master subscription (see watchSwitches()).
    QPointer<QAbstractSocket> m_watchSocket;
    RespDecoder m_watchDecoder;
    int m_watchIndex = -1;          // the sentinel subscribed to, or tried last
    QTimer m_watchTimer{this};      // no confirmation in time: try the next sentinel
    QTimer m_watchRetryTimer{this}; // the backoff before the next sentinel is tried
    int m_watchBackoffMs = 500;
};
