#pragma once

#include "connectionstate.h"

#include <QObject>

class RedisConnection;
struct ConnectionOptions;
struct ServerInfo;

// One open connection and everything Weir keeps for it while it is open. Widgets hold a
// session, never the connection itself: they read what the server is and can do from
// here, and hand connection() on to the models and operations they create.
// GUI thread only.
class ConnectionSession : public QObject
{
    Q_OBJECT
public:
    // Takes `connection` over (it becomes a child of the session).
    explicit ConnectionSession(RedisConnection *connection, QObject *parent = nullptr);
    ~ConnectionSession() override;

    // For the models and operations of this session: widgets pass it on, never use it.
    RedisConnection *connection() const { return m_connection; }

    const ConnectionOptions &options() const;
    // Known once connected; empty version before.
    const ServerInfo &serverInfo() const;
    ConnectionState state() const;
    bool isReadOnly() const;
    bool isCluster() const;

Q_SIGNALS:
    void stateChanged(ConnectionState state, const QString &message);

private:
    RedisConnection *m_connection;
};
