#include "connectionsession.h"

#include "redisconnection.h"

ConnectionSession::ConnectionSession(RedisConnection *connection, QObject *parent)
    : QObject(parent)
    , m_connection(connection)
{
    Q_ASSERT(connection);
    connection->setParent(this);
    connect(connection, &RedisConnection::stateChanged, this, &ConnectionSession::stateChanged);
}

ConnectionSession::~ConnectionSession() = default;

const ConnectionOptions &ConnectionSession::options() const
{
    return m_connection->options();
}

const ServerInfo &ConnectionSession::serverInfo() const
{
    return m_connection->serverInfo();
}

ConnectionState ConnectionSession::state() const
{
    return m_connection->state();
}

bool ConnectionSession::isReadOnly() const
{
    return m_connection->options().readOnly;
}

bool ConnectionSession::isCluster() const
{
    return m_connection->isCluster();
}
