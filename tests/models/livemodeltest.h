#pragma once

// What the model tests share: a real redis-server of their own on a free loopback
// port, a connection to it, and a way to run set-up commands and wait for them.

#include "localredisserver.h"
#include "redisconnection.h"
#include "runcommands.h"

#include <QTest>

#include <memory>

class LiveRedis
{
public:
    // Starts the server and connects; call from a test's init() and check connected().
    void start()
    {
        m_server = std::make_unique<LocalRedisServer>();
        QString error;
        QVERIFY2(m_server->start(&error), qPrintable(error));
        m_connection = std::make_unique<RedisConnection>(m_server->options());
        m_connection->open(false);
        QTRY_COMPARE(m_connection->state(), ConnectionState::Connected);
    }
    void stop()
    {
        m_connection.reset();
        m_server.reset();
    }
    RedisConnection *connection() const { return m_connection.get(); }
    LocalRedisServer *server() const { return m_server.get(); }

    // Runs commands (one pipelined request) and waits up to 20 s for their replies.
    QList<RedisValue> run(const QList<RedisCommand> &commands)
    {
        return runCommands(m_connection.get(), commands);
    }

private:
    std::unique_ptr<LocalRedisServer> m_server;
    std::unique_ptr<RedisConnection> m_connection;
};
