#include "redisworker.h"

#include "commandpolicy.h"
#include "threadcheck.h"

#include <QFile>
#include <QLocalSocket>
#include <QSslConfiguration>
#include <QSslKey>
#include <QSslSocket>

namespace {
constexpr int MaxBackoffMs = 30000;
// With sentinels, asking them again is cheap and a failover completes within seconds of
// the master's death: retries stay this frequent, so the new master is found soon.
constexpr int MaxSentinelBackoffMs = 2000;
// Each sentinel gets this long (or the connect timeout, if shorter) to connect and answer.
constexpr int SentinelTimeoutMs = 1000;
constexpr quint64 HandshakeId = 0;

QByteArray utf8(const QString &s)
{
    return s.toUtf8();
}

RedisCommand authCommand(const QString &username, const QString &password)
{
    RedisCommand auth{"AUTH"};
    if (!username.isEmpty())
        auth.argv.append(utf8(username));
    auth.argv.append(utf8(password));
    return auth;
}

// Aborts and deletes a socket without a word from it: it is forgotten at once.
void abandon(QAbstractSocket *socket, QObject *receiver)
{
    socket->disconnect(receiver);
    socket->abort();
    socket->deleteLater();
}
} // namespace

std::optional<std::pair<RedisResult::Failure, QString>> requestRefusal(const RedisRequest &request,
                                                                       bool readOnly)
{
    using Failure = RedisResult::Failure;
    if (request.iterate
        && (request.commands.size() != 1 || request.commands.first().argv.size() < 2)) {
        return std::pair{Failure::ProtocolError,
                         QStringLiteral("A cursor walk is one command with its cursor as the "
                                        "first argument: nothing was sent")};
    }
    for (const RedisCommand &c : request.commands) {
        if (c.argv.isEmpty()) { // would encode as "*0", which Redis never answers
            return std::pair{Failure::ProtocolError,
                             QStringLiteral("An empty command cannot be sent: nothing was sent")};
        }
    }
    if (readOnly) {
        for (const RedisCommand &c : request.commands) {
            if (!isReadOnlyCommand(c.argv)) {
                return std::pair{Failure::ReadOnly,
                                 QStringLiteral("%1 changes data, and this connection is "
                                                "read-only: nothing was sent")
                                     .arg(QString::fromUtf8(c.argv.value(0).toUpper()))};
            }
        }
    }
    return std::nullopt;
}

RedisWorker::RedisWorker(const ConnectionOptions &options, QObject *parent)
    : QObject(parent)
    , m_options(options)
{
    m_connectTimer.setSingleShot(true);
    m_deadlineTimer.setSingleShot(true);
    m_reconnectTimer.setSingleShot(true);
    connect(&m_connectTimer, &QTimer::timeout, this, [this] {
        connectionLost(QStringLiteral("Timed out connecting to %1 after %2 ms")
                           .arg(m_options.endpoint())
                           .arg(m_options.connectTimeoutMs),
                       RedisResult::Failure::Timeout);
    });
    connect(&m_deadlineTimer, &QTimer::timeout, this, &RedisWorker::onDeadline);
    connect(&m_reconnectTimer, &QTimer::timeout, this, &RedisWorker::connectSocket);
    m_sentinelTimer.setSingleShot(true);
    connect(&m_sentinelTimer, &QTimer::timeout, this, [this] {
        sentinelFailed(QStringLiteral("no answer within %1 ms").arg(m_sentinelTimer.interval()));
    });
    m_watchTimer.setSingleShot(true);
    connect(&m_watchTimer, &QTimer::timeout, this, &RedisWorker::watchLost);
    m_watchRetryTimer.setSingleShot(true);
    connect(&m_watchRetryTimer, &QTimer::timeout, this, &RedisWorker::watchSwitches);
    if (m_options.usesSentinel()) {
        m_configured = m_options.endpoint();
        m_sentinels = m_options.sentinels;
        m_options.sentinels.clear();
    }
}

QString RedisWorker::target() const
{
    return usesSentinel() ? m_configured : m_options.endpoint();
}

RedisWorker::~RedisWorker()
{
    close();
}

void RedisWorker::open(bool autoReconnect)
{
    WEIR_ASSERT_OBJECT_THREAD(this);
    m_autoReconnect = autoReconnect;
    m_backoffMs = 500;
    if (m_state == ConnectionState::Connected || m_state == ConnectionState::Connecting)
        return;
    // Waiting to reconnect: try now instead, and only once (the pending retry would
    // otherwise drop the connection this attempt makes).
    m_reconnectTimer.stop();
    setState(ConnectionState::Connecting, QStringLiteral("Connecting to %1").arg(target()));
    if ((m_socket && m_connectTimer.isActive()) || m_sentinelIndex >= 0)
        return; // a retry is already under way
    connectSocket();
}

void RedisWorker::close()
{
    WEIR_ASSERT_OBJECT_THREAD(this);
    m_autoReconnect = false;
    m_reconnectTimer.stop();
    m_connectTimer.stop();
    m_sentinelTimer.stop();
    dropSocket();
    dropSentinelSocket();
    stopWatching();
    m_sentinelIndex = -1;
    m_candidate = false;
    const QString why = QStringLiteral("The connection was closed");
    failAll(m_inflight, RedisResult::Failure::Closed, why);
    failAll(m_waiting, RedisResult::Failure::Closed, why);
    m_handshaking = false;
    if (m_state != ConnectionState::Disconnected)
        setState(ConnectionState::Disconnected, why);
}

void RedisWorker::submit(const RedisRequest &request)
{
    WEIR_ASSERT_OBJECT_THREAD(this);
    Pending p;
    p.request = request;
    p.elapsed.start();
    p.deadline = deadlineFor(request);
    if (request.commands.isEmpty()) {
        RedisResult r;
        r.id = request.id;
        Q_EMIT finished(r);
        return;
    }
    if (const auto refused = requestRefusal(request, m_options.readOnly)) {
        fail(p, refused->first, refused->second);
        return;
    }
    if (m_state == ConnectionState::Connected && !m_handshaking) {
        writeRequest(p);
        m_inflight.push_back(std::move(p));
    } else if (m_state == ConnectionState::Connecting || m_state == ConnectionState::Reconnecting
               || m_state == ConnectionState::Connected) {
        m_waiting.push_back(std::move(p)); // sent once connected, unless its deadline passes
    } else {
        fail(p, RedisResult::Failure::NotConnected,
             QStringLiteral("Not connected to %1").arg(target()));
        return;
    }
    armDeadlineTimer();
}

void RedisWorker::connectSocket()
{
    // Whatever was written on an older socket can no longer be answered.
    dropSocket();
    m_handshaking = false;
    failAll(m_inflight, RedisResult::Failure::ConnectionLost,
            QStringLiteral("The connection was replaced by a new one before the reply arrived"));
    m_decoder.reset();
    m_sslErrors.clear();
    m_candidate = false;
    if (usesSentinel()) {
        dropSentinelSocket();
        m_connectTimer.stop();
        m_sentinelIndex = -1;
        m_sentinelFailures.clear();
        askNextSentinel();
        return;
    }
    connectTransport();
}

QAbstractSocket *RedisWorker::newTcpSocket()
{
    if (!m_options.tls)
        return new QTcpSocket(this);
    auto *ssl = new QSslSocket(this);
    QSslConfiguration config = QSslConfiguration::defaultConfiguration();
    if (!m_options.caFile.isEmpty())
        config.setCaCertificates(QSslCertificate::fromPath(m_options.caFile));
    if (!m_options.certFile.isEmpty()) {
        config.setLocalCertificateChain(QSslCertificate::fromPath(m_options.certFile));
        QFile keyFile(m_options.keyFile);
        if (keyFile.open(QIODevice::ReadOnly)) {
            const QByteArray pem = keyFile.readAll();
            QSslKey key(pem, QSsl::Rsa);
            if (key.isNull())
                key = QSslKey(pem, QSsl::Ec);
            config.setPrivateKey(key);
        }
    }
    config.setPeerVerifyMode(m_options.verifyPeer ? QSslSocket::VerifyPeer
                                                  : QSslSocket::VerifyNone);
    ssl->setSslConfiguration(config);
    return ssl;
}

void RedisWorker::connectTransport()
{
    m_connectTimer.start(m_options.connectTimeoutMs);

    if (m_options.transport == ConnectionOptions::Transport::Unix) {
        auto *socket = new QLocalSocket(this);
        m_socket = socket;
        connect(socket, &QLocalSocket::connected, this, &RedisWorker::onTransportConnected);
        connect(socket, &QLocalSocket::errorOccurred, this, [this] {
            connectionLost(transportLostReason(), RedisResult::Failure::ConnectionLost);
        });
        connect(socket, &QIODevice::readyRead, this, &RedisWorker::onReadyRead);
        socket->connectToServer(m_options.socketPath);
        return;
    }

    QAbstractSocket *socket = newTcpSocket();
    if (auto *ssl = qobject_cast<QSslSocket *>(socket)) {
        connect(ssl, &QSslSocket::encrypted, this, &RedisWorker::onTransportConnected);
        connect(ssl, &QSslSocket::sslErrors, this, [this](const QList<QSslError> &errors) {
            for (const QSslError &e : errors)
                m_sslErrors.append(e.errorString());
        });
    } else {
        connect(socket, &QAbstractSocket::connected, this, &RedisWorker::onTransportConnected);
    }
    m_socket = socket;
    socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    socket->setSocketOption(QAbstractSocket::KeepAliveOption, 1);
    connect(socket, &QAbstractSocket::errorOccurred, this, [this] {
        connectionLost(transportLostReason(), RedisResult::Failure::ConnectionLost);
    });
    connect(socket, &QIODevice::readyRead, this, &RedisWorker::onReadyRead);
    if (auto *ssl = qobject_cast<QSslSocket *>(socket)) {
        const QString peer = m_options.sniName.isEmpty() ? m_options.host : m_options.sniName;
        ssl->connectToHostEncrypted(m_options.host, m_options.port, peer);
    } else {
        socket->connectToHost(m_options.host, m_options.port);
    }
}

// A server that turns a client away (maxclients reached, protected mode) answers with an
// error reply and hangs up: that reply, not the hang-up, is what the user needs to read.
QString RedisWorker::transportLostReason() const
{
    QString socketError = socketErrorString();
    if (m_handshaking && !m_inflight.empty()) {
        for (const RedisValue &reply : m_inflight.front().replies) {
            if (reply.isError())
                return QString::fromUtf8(reply.bytes()) + QLatin1String("; ") + socketError;
        }
    }
    return socketError;
}

QString RedisWorker::socketErrorString() const
{
    if (!m_socket)
        return QStringLiteral("Connection lost");
    QString text = m_socket->errorString();
    // QSslSocket's error string is often the first of its sslErrors: say each one once.
    QStringList more;
    for (const QString &e : m_sslErrors) {
        if (!text.contains(e) && !more.contains(e))
            more.append(e);
    }
    if (!more.isEmpty())
        text += QLatin1String(": ") + more.join(QLatin1String("; "));
    if (auto *tcp = qobject_cast<QAbstractSocket *>(m_socket.data())) {
        if (tcp->error() == QAbstractSocket::RemoteHostClosedError)
            text = QStringLiteral("The server closed the connection");
    } else if (auto *local = qobject_cast<QLocalSocket *>(m_socket.data())) {
        // QLocalSocket words these as "QLocalSocket::connectToServer: Invalid name" and the
        // like, which does not say what is wrong with the path.
        switch (local->error()) {
        case QLocalSocket::PeerClosedError:
            text = QStringLiteral("The server closed the connection");
            break;
        case QLocalSocket::ServerNotFoundError:
            text = QStringLiteral("Socket not found");
            break;
        case QLocalSocket::ConnectionRefusedError:
            text = QStringLiteral("Connection refused: nobody listens on this socket file");
            break;
        case QLocalSocket::SocketAccessError:
            text = QStringLiteral("Permission denied to open the socket");
            break;
        default:
            break;
        }
    }
    return QStringLiteral("%1 (%2)").arg(text, m_options.endpoint());
}

// The handshake is one pipelined request: AUTH, HELLO (version, mode and role even for
// users without INFO permission), SELECT, INFO server (for servers without HELLO).
void RedisWorker::onTransportConnected()
{
    Pending hs;
    hs.request.id = HandshakeId;
    if (!m_options.password.isEmpty())
        hs.request.commands.append(authCommand(m_options.username, m_options.password));
    hs.request.commands.append(RedisCommand{"HELLO", "2", "SETNAME", "weir"});
    if (m_options.database != 0)
        hs.request.commands.append(RedisCommand{"SELECT", QByteArray::number(m_options.database)});
    hs.request.commands.append(RedisCommand{"INFO", "server"});
    if (usesSentinel())
        hs.request.commands.append(RedisCommand{"ROLE"}); // is it still the master?
    hs.elapsed.start();
    hs.deadline = QDeadlineTimer(m_connectTimer.remainingTime());
    m_handshaking = true;
    writeRequest(hs);
    m_inflight.push_front(std::move(hs));
}

void RedisWorker::onHandshakeReplies(const QList<RedisValue> &replies)
{
    m_handshaking = false;
    m_connectTimer.stop();
    int i = 0;
    if (!m_options.password.isEmpty()) {
        const RedisValue &auth = replies.at(i++);
        if (auth.isError()) {
            // Wrong credentials will not fix themselves: no automatic retry.
            m_autoReconnect = false;
            connectionLost(QString::fromUtf8(auth.bytes()), RedisResult::Failure::NotConnected);
            return;
        }
    }
    const RedisValue &hello = replies.at(i++);
    const RedisValue select = m_options.database != 0 ? replies.at(i++) : RedisValue::status("OK");
    const RedisValue &info = replies.at(i++);
    const RedisValue role = usesSentinel() ? replies.at(i++) : RedisValue();
    for (const RedisValue *v : {&hello, &select, &info, &role}) {
        if (v->isError() && (v->errorCode() == "NOAUTH" || v->errorCode() == "WRONGPASS")) {
            m_autoReconnect = false;
            connectionLost(QString::fromUtf8(v->bytes()), RedisResult::Failure::NotConnected);
            return;
        }
    }
    if (select.isError()) {
        m_autoReconnect = false;
        connectionLost(QStringLiteral("SELECT %1: %2")
                           .arg(m_options.database)
                           .arg(QString::fromUtf8(select.bytes())),
                       RedisResult::Failure::NotConnected);
        return;
    }

    // INFO identifies the server best (Valkey's Redis-compatible version is only there);
    // HELLO still does for a user who may not run INFO, and knows mode and role.
    QString error;
    const std::optional<ServerInfo> fromInfo = parseServerInfo(info, &error);
    const std::optional<ServerInfo> fromHello = parseHello(hello, &error);
    ServerInfo server = fromInfo ? *fromInfo : fromHello.value_or(ServerInfo{});
    if (fromHello) {
        if (!fromHello->mode.isEmpty())
            server.mode = fromHello->mode;
        if (!fromHello->role.isEmpty())
            server.role = fromHello->role;
    }
    if (server.role.isEmpty() && server.mode == QLatin1String("sentinel"))
        server.role = QStringLiteral("sentinel");
    const QString version =
        server.isKnown() ? server.displayName() : QStringLiteral("version unknown");
    QString connected = QStringLiteral("Connected to %1 (%2)").arg(m_options.endpoint(), version);
    if (usesSentinel()) {
        // ROLE answers [role, ...]; a user not allowed ROLE still has HELLO's "role".
        const QString actual =
            role.isArray() && role.size() > 0 ? QString::fromUtf8(role.at(0).bytes()) : server.role;
        if (actual != QLatin1String("master")) {
            // Not fatal: a failover is under way, or this sentinel is behind. The candidate
            // path of connectionLost() goes on with the next sentinel.
            connectionLost(QStringLiteral("its ROLE is %1, not master")
                               .arg(actual.isEmpty() ? QStringLiteral("unknown") : actual),
                           RedisResult::Failure::ConnectionLost);
            return;
        }
        // A connection that will not reconnect has no failover to follow.
        if (m_autoReconnect && !m_watchSocket && !m_watchRetryTimer.isActive()) {
            m_watchIndex = m_sentinelIndex - 1; // the sentinel that answered first
            watchSwitches();
        }
        m_candidate = false;
        m_sentinelIndex = -1;
        const QString now = m_options.endpoint();
        connected = QStringLiteral("Connected to master %1 at %2 (%3)")
                        .arg(m_options.masterName, now, version);
        if (!m_master.isEmpty() && m_master != now) {
            connected += QStringLiteral(". Failover: master %1 moved from %2 to %3")
                             .arg(m_options.masterName, m_master, now);
            Q_EMIT masterChanged(m_master, now);
        }
        m_master = now;
    }
    m_backoffMs = 500;
    Q_EMIT serverInfoChanged(server);
    setState(ConnectionState::Connected, connected);
    flushWaiting();
}

void RedisWorker::onReadyRead()
{
    if (!m_socket)
        return;
    m_decoder.feed(m_socket);
    RedisValue reply;
    while (true) {
        const RespDecoder::Result r = m_decoder.next(&reply);
        if (r == RespDecoder::Result::NeedMore)
            break;
        if (r == RespDecoder::Result::Error || m_inflight.empty()) {
            // The byte stream cannot be trusted any more: drop the connection and start a
            // fresh one (the request that caused it gets the error, the others "lost").
            const QString why =
                r == RespDecoder::Result::Error
                    ? m_decoder.errorString()
                    : QStringLiteral("Protocol error: a reply arrived that nothing asked for");
            reconnectAtOnce(why, RedisResult::Failure::ProtocolError); // the server is fine
            return;
        }
        Pending &head = m_inflight.front();
        head.replies.append(reply);
        if (head.replies.size() < head.request.commands.size())
            continue;
        Pending done = std::move(head);
        m_inflight.pop_front();
        if (done.abandoned)
            continue; // its result went out when its deadline passed
        if (done.request.id == HandshakeId && m_handshaking) {
            RedisResult handshake;
            handshake.sent = true;
            handshake.elapsedMs = done.elapsed.elapsed();
            handshake.replies = done.replies;
            logHandshake(done, handshake);
            onHandshakeReplies(done.replies);
            if (!m_socket)
                return;
            continue;
        }
        RedisResult result;
        result.id = done.request.id;
        result.sent = true;
        result.elapsedMs = done.elapsed.elapsed();
        // The next page is asked for before this one is handed on, so the walk runs
        // at the server's pace, not at the pace of whoever reads the pages.
        result.more = done.request.iterate && continueIteration(done);
        result.replies = std::move(done.replies);
        Q_EMIT finished(result);
    }
    armDeadlineTimer();
}

bool RedisWorker::continueIteration(const Pending &page)
{
    const RedisValue &reply = page.replies.first();
    if (!reply.isArray() || reply.size() != 2 || !reply.at(0).isString())
        return false; // an error reply (or no cursor) ends the walk
    const QByteArray cursor = reply.at(0).bytes();
    if (cursor == "0" || !m_socket)
        return false;
    Pending next;
    next.request = page.request;
    next.request.commands.first().argv[1] = cursor;
    next.elapsed.start();
    next.deadline = deadlineFor(next.request);
    writeRequest(next);
    m_inflight.push_back(std::move(next));
    return true;
}

QDeadlineTimer RedisWorker::deadlineFor(const RedisRequest &request) const
{
    return QDeadlineTimer(request.timeoutMs > 0 ? request.timeoutMs : m_options.commandTimeoutMs);
}

void RedisWorker::cancel(quint64 id)
{
    WEIR_ASSERT_OBJECT_THREAD(this);
    for (auto it = m_waiting.begin(); it != m_waiting.end();)
        it = it->request.id == id ? m_waiting.erase(it) : it + 1;
    for (Pending &p : m_inflight) {
        if (p.request.id == id)
            p.abandoned = true; // its reply is read and dropped, and asks for no more
    }
    armDeadlineTimer();
}

void RedisWorker::writeRequest(Pending &p)
{
    QByteArray bytes;
    for (const RedisCommand &c : p.request.commands)
        bytes += encodeCommand(c.argv);
    m_socket->write(bytes);
    p.sent = true;
}

void RedisWorker::flushWaiting()
{
    if (m_waiting.empty() || !m_socket)
        return;
    QByteArray bytes;
    while (!m_waiting.empty()) {
        Pending p = std::move(m_waiting.front());
        m_waiting.pop_front();
        for (const RedisCommand &c : p.request.commands)
            bytes += encodeCommand(c.argv);
        p.sent = true;
        m_inflight.push_back(std::move(p));
    }
    m_socket->write(bytes);
    armDeadlineTimer();
}

void RedisWorker::fail(Pending &p, RedisResult::Failure failure, const QString &why)
{
    if (p.abandoned)
        return; // failed once already
    RedisResult r;
    r.id = p.request.id;
    r.failure = failure;
    r.error = why;
    r.sent = p.sent;
    r.elapsedMs = p.elapsed.isValid() ? p.elapsed.elapsed() : 0;
    if (r.id != HandshakeId)
        Q_EMIT finished(r);
    else
        logHandshake(p, r);
}

void RedisWorker::logHandshake(const Pending &p, const RedisResult &result)
{
    CommandLogEntry entry;
    entry.time = QDateTime::currentDateTime().addMSecs(-result.elapsedMs);
    entry.command = commandlog::describeRequest(p.request.commands);
    entry.result = commandlog::describeResult(result, &entry.error);
    entry.durationMs = result.elapsedMs;
    Q_EMIT handshakeLogged(entry);
}

void RedisWorker::failAll(std::deque<Pending> &queue, RedisResult::Failure failure,
                          const QString &why)
{
    std::deque<Pending> doomed;
    doomed.swap(queue);
    for (Pending &p : doomed)
        fail(p, failure, why);
}

void RedisWorker::connectionLost(const QString &why, RedisResult::Failure headFailure)
{
    if (!m_socket && m_state != ConnectionState::Connecting && !m_connectTimer.isActive())
        return; // already handled (sockets report an error and a disconnect)
    // The address a sentinel named cannot be reached or is no master (a failover under way,
    // or this sentinel lags): ask the next sentinel. Refused credentials or database
    // (Failure::NotConnected from the handshake) will not get better there: they end it.
    if (m_candidate && m_sentinelIndex >= 0 && headFailure != RedisResult::Failure::NotConnected) {
        dropSocket();
        m_connectTimer.stop();
        m_handshaking = false;
        failAll(m_inflight, RedisResult::Failure::ConnectionLost, why); // the handshake only
        m_candidate = false;
        sentinelFailed(QStringLiteral("named %1, but %2").arg(m_options.endpoint(), why));
        return;
    }
    m_candidate = false;
    m_sentinelIndex = -1;
    dropSocket();
    m_connectTimer.stop();
    m_handshaking = false;
    // The first request still waiting for its reply gets headFailure, the others
    // ConnectionLost; abandoned ones failed already.
    std::deque<Pending> doomed;
    doomed.swap(m_inflight);
    bool first = true;
    for (Pending &p : doomed) {
        if (p.abandoned)
            continue;
        if (first)
            fail(p, headFailure, why);
        else
            fail(p, RedisResult::Failure::ConnectionLost,
                 QStringLiteral("Connection lost before the reply arrived (%1)").arg(why));
        first = false;
    }
    if (m_autoReconnect)
        scheduleReconnect(why);
    else
        giveUp(why);
}

void RedisWorker::reconnectAtOnce(const QString &why, RedisResult::Failure headFailure)
{
    const bool keep = m_autoReconnect;
    connectionLost(why, headFailure);
    if (keep && m_state == ConnectionState::Reconnecting) {
        m_reconnectTimer.stop();
        connectSocket();
    }
}

void RedisWorker::giveUp(const QString &why)
{
    stopWatching();
    failAll(m_waiting, RedisResult::Failure::NotConnected, why);
    setState(ConnectionState::Failed, why);
}

void RedisWorker::scheduleReconnect(const QString &why)
{
    setState(ConnectionState::Reconnecting,
             QStringLiteral("%1. Retrying in %2 s").arg(why).arg(m_backoffMs / 1000.0, 0, 'f', 1));
    m_reconnectTimer.start(m_backoffMs);
    m_backoffMs = qMin(m_backoffMs * 2, usesSentinel() ? MaxSentinelBackoffMs : MaxBackoffMs);
    armDeadlineTimer();
}

void RedisWorker::dropSocket()
{
    if (!m_socket)
        return;
    QIODevice *socket = m_socket;
    m_socket = nullptr;
    socket->disconnect(this);
    if (auto *tcp = qobject_cast<QAbstractSocket *>(socket))
        tcp->abort();
    else if (auto *local = qobject_cast<QLocalSocket *>(socket))
        local->abort();
    socket->deleteLater();
}

void RedisWorker::dropSentinelSocket()
{
    m_sentinelTimer.stop();
    if (m_sentinelSocket)
        abandon(m_sentinelSocket, this);
    m_sentinelSocket = nullptr;
}

bool RedisWorker::connectSentinel(QPointer<QAbstractSocket> &slot, int index,
                                  void (RedisWorker::*onConnected)(), void (RedisWorker::*onData)(),
                                  const std::function<void(const QString &)> &onError, QString *why)
{
    QString host;
    quint16 port = 0;
    if (!ConnectionOptions::parseHostPort(
            m_sentinels.at(index), ConnectionOptions::DefaultSentinelPort, &host, &port, why))
        return false;
    QAbstractSocket *socket = newTcpSocket();
    slot = socket;
    if (auto *ssl = qobject_cast<QSslSocket *>(socket))
        connect(ssl, &QSslSocket::encrypted, this, onConnected);
    else
        connect(socket, &QAbstractSocket::connected, this, onConnected);
    connect(socket, &QAbstractSocket::errorOccurred, this,
            [socket, onError] { onError(socket->errorString()); });
    connect(socket, &QIODevice::readyRead, this, onData);
    socket->setSocketOption(QAbstractSocket::KeepAliveOption, 1);
    if (auto *ssl = qobject_cast<QSslSocket *>(socket))
        ssl->connectToHostEncrypted(host, port);
    else
        socket->connectToHost(host, port);
    return true;
}

void RedisWorker::askNextSentinel()
{
    dropSentinelSocket();
    if (++m_sentinelIndex >= m_sentinels.size()) {
        resolutionFailed();
        return;
    }
    m_sentinelDecoder.reset();
    m_sentinelQuery = Pending{};
    m_sentinelTimer.start(qMin(SentinelTimeoutMs, m_options.connectTimeoutMs));
    QString why;
    if (!connectSentinel(
            m_sentinelSocket, m_sentinelIndex, &RedisWorker::onSentinelConnected,
            &RedisWorker::onSentinelReadyRead,
            [this](const QString &error) { sentinelFailed(error); }, &why))
        sentinelFailed(why);
}

void RedisWorker::onSentinelConnected()
{
    Pending &q = m_sentinelQuery;
    q.request.id = HandshakeId;
    if (!m_options.sentinelPassword.isEmpty())
        q.request.commands.append(
            authCommand(m_options.sentinelUsername, m_options.sentinelPassword));
    q.request.commands.append(
        RedisCommand{"SENTINEL", "get-master-addr-by-name", utf8(m_options.masterName)});
    q.elapsed.start();
    QByteArray bytes;
    for (const RedisCommand &c : q.request.commands)
        bytes += encodeCommand(c.argv);
    m_sentinelSocket->write(bytes);
    q.sent = true;
}

void RedisWorker::onSentinelReadyRead()
{
    if (!m_sentinelSocket)
        return;
    Pending &q = m_sentinelQuery;
    m_sentinelDecoder.feed(m_sentinelSocket->readAll());
    RedisValue reply;
    while (q.replies.size() < q.request.commands.size()) {
        const RespDecoder::Result r = m_sentinelDecoder.next(&reply);
        if (r == RespDecoder::Result::NeedMore)
            return;
        if (r == RespDecoder::Result::Error) {
            sentinelFailed(m_sentinelDecoder.errorString());
            return;
        }
        q.replies.append(reply);
    }
    if (q.request.commands.isEmpty())
        return; // nothing asked yet: the sentinel spoke first, ignore it
    m_sentinelTimer.stop();
    RedisResult result;
    result.sent = true;
    result.elapsedMs = q.elapsed.elapsed();
    result.replies = q.replies;
    logHandshake(q, result);
    for (const RedisValue &v : std::as_const(q.replies)) {
        if (v.isError()) { // verbatim: NOAUTH, WRONGPASS, an unknown command, ...
            sentinelFailed(QString::fromUtf8(v.bytes()));
            return;
        }
    }
    const RedisValue &address = q.replies.last();
    if (address.isNil()) {
        sentinelFailed(QStringLiteral("it knows no master named \"%1\"").arg(m_options.masterName));
        return;
    }
    bool ok = false;
    const uint port =
        address.isArray() && address.size() == 2 ? address.at(1).bytes().toUInt(&ok) : 0;
    if (!ok || port == 0 || port > 65535 || address.at(0).bytes().isEmpty()) {
        sentinelFailed(QStringLiteral("unexpected answer %1").arg(address.toDisplayString()));
        return;
    }
    dropSentinelSocket();
    m_options.host = QString::fromUtf8(address.at(0).bytes());
    m_options.port = quint16(port);
    m_candidate = true;
    connectTransport();
}

void RedisWorker::sentinelFailed(const QString &why)
{
    dropSentinelSocket();
    m_sentinelFailures.append(
        QStringLiteral("sentinel %1: %2").arg(m_sentinels.value(m_sentinelIndex).trimmed(), why));
    askNextSentinel();
}

void RedisWorker::resolutionFailed()
{
    m_sentinelIndex = -1;
    const QString why =
        QStringLiteral("No sentinel led to the master %1 (%2)")
            .arg(m_options.masterName, m_sentinelFailures.join(QLatin1String("; ")));
    if (m_autoReconnect)
        scheduleReconnect(why);
    else
        giveUp(why);
}

void RedisWorker::watchSwitches()
{
    if (m_watchSocket)
        abandon(m_watchSocket, this);
    m_watchSocket = nullptr;
    m_watchIndex = (m_watchIndex + 1) % int(m_sentinels.size());
    m_watchDecoder.reset();
    m_watchTimer.start(qMin(SentinelTimeoutMs, m_options.connectTimeoutMs));
    if (!connectSentinel(
            m_watchSocket, m_watchIndex, &RedisWorker::onWatchConnected,
            &RedisWorker::onWatchReadyRead, [this](const QString &) { watchLost(); }, nullptr))
        watchLost();
}

void RedisWorker::onWatchConnected()
{
    QByteArray bytes;
    if (!m_options.sentinelPassword.isEmpty())
        bytes +=
            encodeCommand(authCommand(m_options.sentinelUsername, m_options.sentinelPassword).argv);
    bytes += encodeCommand({"SUBSCRIBE", "+switch-master"});
    m_watchSocket->write(bytes);
}

void RedisWorker::onWatchReadyRead()
{
    if (!m_watchSocket)
        return;
    m_watchDecoder.feed(m_watchSocket->readAll());
    RedisValue reply;
    while (m_watchSocket) {
        const RespDecoder::Result r = m_watchDecoder.next(&reply);
        if (r == RespDecoder::Result::NeedMore)
            return;
        if (r == RespDecoder::Result::Error || reply.isError()) { // a refused AUTH, ...
            watchLost();
            return;
        }
        if (!reply.isArray() || reply.size() != 3)
            continue; // AUTH's OK
        const QByteArray kind = reply.at(0).bytes();
        if (kind == "subscribe") {
            m_watchTimer.stop();
            m_watchBackoffMs = 500;
            continue;
        }
        // "<master name> <old ip> <old port> <new ip> <new port>"
        const QList<QByteArray> fields = reply.at(2).bytes().split(' ');
        bool ok = false;
        const uint port = fields.value(4).toUInt(&ok);
        if (kind == "message" && fields.size() == 5 && fields.at(0) == utf8(m_options.masterName)
            && ok && port > 0 && port <= 65535)
            onSwitchMaster(QString::fromUtf8(fields.at(3)), quint16(port));
    }
}

void RedisWorker::watchLost()
{
    const int backoffMs = m_watchBackoffMs;
    stopWatching();
    m_watchRetryTimer.start(backoffMs);
    m_watchBackoffMs = qMin(backoffMs * 2, MaxSentinelBackoffMs);
}

void RedisWorker::stopWatching()
{
    m_watchTimer.stop();
    m_watchRetryTimer.stop();
    if (m_watchSocket)
        abandon(m_watchSocket, this);
    m_watchSocket = nullptr;
    m_watchBackoffMs = 500;
}

void RedisWorker::onSwitchMaster(const QString &host, quint16 port)
{
    if (m_state == ConnectionState::Connected) {
        if (host == m_options.host && port == m_options.port)
            return; // found there already
        reconnectAtOnce(QStringLiteral("Failover: the sentinels moved master %1 to %2:%3")
                            .arg(m_options.masterName, host)
                            .arg(port),
                        RedisResult::Failure::ConnectionLost);
    } else if (m_state == ConnectionState::Connecting || m_state == ConnectionState::Reconnecting) {
        // What this attempt was told, or is about to try, may be the old master.
        m_reconnectTimer.stop();
        connectSocket();
    }
}

void RedisWorker::armDeadlineTimer()
{
    qint64 earliest = -1;
    auto consider = [&earliest](const std::deque<Pending> &q) {
        for (const Pending &p : q) {
            if (p.abandoned)
                continue;
            const qint64 left = qMax<qint64>(0, p.deadline.remainingTime());
            if (earliest < 0 || left < earliest)
                earliest = left;
        }
    };
    consider(m_inflight);
    consider(m_waiting);
    if (earliest < 0)
        m_deadlineTimer.stop();
    else
        m_deadlineTimer.start(int(qMin<qint64>(earliest + 1, 24 * 3600 * 1000)));
}

void RedisWorker::onDeadline()
{
    // Requests still waiting for a connection fail on their own.
    for (auto it = m_waiting.begin(); it != m_waiting.end();) {
        if (it->deadline.hasExpired()) {
            fail(*it, RedisResult::Failure::NotConnected,
                 QStringLiteral("Not connected to %1 within the command timeout").arg(target()));
            it = m_waiting.erase(it);
        } else {
            ++it;
        }
    }
    // A written request without its reply in time, with no request ahead of it still within
    // its own deadline, means the connection is stuck: replies can only be matched in order,
    // so the connection is dropped and rebuilt. One that only waits behind a slower request
    // fails on its own; its replies are read and dropped when they come.
    bool runningAhead = false;
    for (Pending &p : m_inflight) {
        if (m_handshaking || p.abandoned)
            continue;
        if (!p.deadline.hasExpired()) {
            runningAhead = true;
            continue;
        }
        const QString why = QStringLiteral("No reply from %1 within %2 ms")
                                .arg(m_options.endpoint())
                                .arg(p.elapsed.elapsed());
        if (!runningAhead) {
            connectionLost(why, RedisResult::Failure::Timeout);
            return;
        }
        fail(p, RedisResult::Failure::Timeout,
             why + QStringLiteral(": it waited behind a slower request"));
        p.abandoned = true;
    }
    armDeadlineTimer();
}

void RedisWorker::setState(ConnectionState state, const QString &message)
{
    m_state = state;
    Q_EMIT stateChanged(state, message);
}
