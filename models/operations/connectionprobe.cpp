#include "connectionprobe.h"

#include "redisconnection.h"

ConnectionProbe::ConnectionProbe(QObject *parent)
    : QObject(parent)
{}

ConnectionProbe::~ConnectionProbe() = default;

void ConnectionProbe::test(const ConnectionOptions &options)
{
    cancel();
    m_connection = std::make_unique<RedisConnection>(options);
    connect(m_connection.get(), &RedisConnection::stateChanged, this,
            [this](ConnectionState state, const QString &message) {
        if (state == ConnectionState::Connected)
            done(true, {});
        else if (state == ConnectionState::Failed)
            done(false, message);
    });
    Q_EMIT connectionCreated(m_connection.get());
    m_connection->open(false);
}

void ConnectionProbe::cancel()
{
    if (m_connection) {
        m_connection->disconnect(this);
        m_connection.release()->deleteLater();
    }
}

void ConnectionProbe::done(bool ok, const QString &error)
{
    const ServerInfo info = m_connection->serverInfo();
    cancel();
    Q_EMIT finished(ok, info, error);
}
