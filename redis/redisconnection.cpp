#include "redisconnection.h"

namespace {
void registerTypes()
{
    static const bool done = [] {
        qRegisterMetaType<RedisRequest>();
        qRegisterMetaType<RedisResult>();
        qRegisterMetaType<ServerInfo>();
        qRegisterMetaType<ConnectionState>();
        return true;
    }();
    Q_UNUSED(done);
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
    QMetaObject::invokeMethod(m_worker, [w = m_worker, id] { w->cancel(id); });
}

void RedisConnection::onFinished(const RedisResult &result)
{
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
