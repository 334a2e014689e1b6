#include "redisconnection.h"

#include <QMetaMethod>

#include <limits>

namespace {
void registerTypes()
{
    static const bool done = [] {
        qRegisterMetaType<RedisRequest>();
        qRegisterMetaType<RedisResult>();
        qRegisterMetaType<ServerInfo>();
        qRegisterMetaType<ConnectionState>();
        qRegisterMetaType<CommandLogEntry>();
        return true;
    }();
    Q_UNUSED(done);
}

QString pagesText(int pages)
{
    return pages == 1 ? QStringLiteral("1 page") : QStringLiteral("%1 pages").arg(pages);
}
} // namespace

RedisConnection::RedisConnection(const ConnectionOptions &options, QObject *parent)
    : QObject(parent)
    , m_options(options)
{
    registerTypes();
    m_thread.setObjectName(QStringLiteral("redis:") + options.endpoint());
    m_worker = new RedisWorker(options);
    m_worker->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    connect(m_worker, &RedisWorker::finished, this, &RedisConnection::onFinished);
    connect(m_worker, &RedisWorker::stateChanged, this,
            [this](ConnectionState state, const QString &message) {
        m_state = state;
        m_stateMessage = message;
        Q_EMIT stateChanged(state, message);
    });
    connect(m_worker, &RedisWorker::handshakeLogged, this, &RedisConnection::emitLogged);
    connect(m_worker, &RedisWorker::masterChanged, this, &RedisConnection::masterChanged);
    connect(m_worker, &RedisWorker::serverInfoChanged, this, [this](const ServerInfo &info) {
        m_serverInfo = info;
        Q_EMIT serverInfoChanged(info);
    });
    m_thread.start();
}

RedisConnection::~RedisConnection()
{
    QMetaObject::invokeMethod(m_worker, &RedisWorker::close, Qt::BlockingQueuedConnection);
    m_thread.quit();
    m_thread.wait();
}

void RedisConnection::open(bool autoReconnect)
{
    QMetaObject::invokeMethod(m_worker, [w = m_worker, autoReconnect] { w->open(autoReconnect); });
}

void RedisConnection::close()
{
    QMetaObject::invokeMethod(m_worker, &RedisWorker::close);
}

quint64 RedisConnection::send(RedisRequest request)
{
    request.id = m_nextId++;
    static const QMetaMethod logSignal = QMetaMethod::fromSignal(&RedisConnection::requestLogged);
    if (!request.commands.isEmpty() && isSignalConnected(logSignal)) {
        m_logged.insert(request.id, Logged{commandlog::describeRequest(request.commands),
                                           QDateTime::currentMSecsSinceEpoch(), request.iterate});
    }
    QMetaObject::invokeMethod(m_worker, [w = m_worker, request] { w->submit(request); });
    return request.id;
}

quint64 RedisConnection::send(QList<RedisCommand> commands, QObject *context, Callback onResult,
                              int timeoutMs)
{
    RedisRequest request;
    request.commands = std::move(commands);
    request.timeoutMs = timeoutMs;
    const quint64 id = send(std::move(request));
    m_callbacks.insert(id, Pending{context, context != nullptr, std::move(onResult)});
    return id;
}

quint64 RedisConnection::iterate(const RedisCommand &command, QObject *context, Callback onPage)
{
    RedisRequest request;
    request.commands = {command};
    request.iterate = true;
    const quint64 id = send(std::move(request));
    m_callbacks.insert(id, Pending{context, context != nullptr, std::move(onPage)});
    return id;
}

void RedisConnection::cancel(quint64 id)
{
    m_callbacks.remove(id);
    if (const auto it = m_logged.constFind(id); it != m_logged.cend()) {
        CommandLogEntry entry;
        entry.time = QDateTime::fromMSecsSinceEpoch(it->sentMs);
        entry.command = it->command;
        entry.result = it->pages > 0 ? QStringLiteral("(cancelled after %1, %2 items)")
                                           .arg(pagesText(it->pages))
                                           .arg(it->items)
                                     : QStringLiteral("(cancelled)");
        entry.durationMs = QDateTime::currentMSecsSinceEpoch() - it->sentMs;
        m_logged.erase(it);
        emitLogged(std::move(entry));
    }
    QMetaObject::invokeMethod(m_worker, [w = m_worker, id] { w->cancel(id); });
}

void RedisConnection::onFinished(const RedisResult &result)
{
    logResult(result);
    const auto it = m_callbacks.find(result.id);
    if (it != m_callbacks.end()) {
        // Iterating requests keep their callback until the last page.
        Pending p = result.more ? it.value() : std::move(it.value());
        if (!result.more)
            m_callbacks.erase(it);
        if ((p.context || !p.hasContext) && p.callback)
            p.callback(result);
    }
    Q_EMIT finished(result);
}

void RedisConnection::logResult(const RedisResult &result)
{
    const auto it = m_logged.find(result.id);
    if (it == m_logged.end())
        return;
    // A cursor page: [cursor, [items]].
    const RedisValue page = result.replies.value(0);
    const qint64 items = it->walk && page.isArray() && page.size() == 2 ? page.at(1).size() : 0;
    if (result.more) {
        ++it->pages;
        it->items += items;
        it->elapsedMs += result.elapsedMs;
        return;
    }
    const Logged logged = std::move(it.value());
    m_logged.erase(it);
    CommandLogEntry entry;
    entry.time = QDateTime::fromMSecsSinceEpoch(logged.sentMs);
    entry.command = logged.command;
    entry.durationMs = logged.elapsedMs + result.elapsedMs;
    entry.result = commandlog::describeResult(result, &entry.error);
    if (logged.walk && !entry.error) {
        entry.result = QStringLiteral("(cursor walk: %1, %2 items)")
                           .arg(pagesText(logged.pages + 1))
                           .arg(logged.items + items);
    } else if (logged.walk && logged.pages > 0) {
        entry.result += QStringLiteral(" (after %1)").arg(pagesText(logged.pages));
    }
    emitLogged(std::move(entry));
}

// The redaction in describeCommand() is what keeps secrets out; this is a second line
// for the secrets known here (the server's and the sentinels' passwords), should a server
// ever echo one back in an error.
void RedisConnection::emitLogged(CommandLogEntry entry)
{
    for (const QString *password : {&m_options.password, &m_options.sentinelPassword}) {
        if (password->size() < 4)
            continue;
        for (QString *text : {&entry.command, &entry.result}) {
            text->replace(*password, commandlog::redacted());
            text->replace(commandlog::formatArgument(password->toUtf8(),
                                                     std::numeric_limits<int>::max()),
                          commandlog::redacted());
        }
    }
    Q_EMIT requestLogged(entry);
}

QString connectionStateName(ConnectionState state)
{
    switch (state) {
    case ConnectionState::Disconnected:
        return QStringLiteral("Disconnected");
    case ConnectionState::Connecting:
        return QStringLiteral("Connecting");
    case ConnectionState::Connected:
        return QStringLiteral("Connected");
    case ConnectionState::Reconnecting:
        return QStringLiteral("Reconnecting");
    case ConnectionState::Failed:
        return QStringLiteral("Failed");
    }
    return {};
}
