#pragma once

#include "connectionoptions.h"
#include "replyparsers.h"

#include <QObject>

#include <memory>

class RedisConnection;

// One connection attempt, for "Test connection": connects once (no retries), reports
// what it found, and disconnects. Asynchronous; a new test() cancels the one under way.
class ConnectionProbe : public QObject
{
    Q_OBJECT
public:
    explicit ConnectionProbe(QObject *parent = nullptr);
    ~ConnectionProbe() override;

    void test(const ConnectionOptions &options);
    void cancel();
    bool isRunning() const { return m_connection != nullptr; }

Q_SIGNALS:
    // ok: connected; info says what the server is. Otherwise error is the exact error.
    void finished(bool ok, const ServerInfo &info, const QString &error);
    // A test's connection was made and is about to connect (for the command log). It is
    // destroyed once the test ends.
    void connectionCreated(RedisConnection *connection);

private:
    void done(bool ok, const QString &error);

    std::unique_ptr<RedisConnection> m_connection;
};
