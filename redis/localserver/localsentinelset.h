#pragma once

#include "connectionoptions.h"
#include "localredisserver.h"
#include "redisvalue.h"

#include <QList>
#include <QString>

#include <memory>
#include <optional>
#include <vector>

// A private sentinel set on 127.0.0.1, for Weir's tests: one master, one replica of it
// and three sentinels watching the master under masterName(), every one a LocalRedisServer
// on a free port in its own temporary directory, so they all die with this process.
// The sentinels are told to declare the master down after downAfterMs, so that killMaster()
// leads to the replica's promotion within a few seconds.
// Blocking like LocalRedisServer: use it from one thread, at start-up or in tests.
class LocalSentinelSet
{
public:
    struct Config
    {
        QString masterName = QStringLiteral("weirmaster");
        int sentinels = 3;
        int quorum = 2;
        int downAfterMs = 1000;
        int failoverTimeoutMs = 3000;
    };

    LocalSentinelSet();
    explicit LocalSentinelSet(Config config);
    ~LocalSentinelSet();

    // Starts the master, the replica (waiting until it is in sync) and the sentinels, then
    // waits until every sentinel knows the replica (in good health) and the other
    // sentinels. Gives up after timeoutMs.
    bool start(QString *error = nullptr, int timeoutMs = 30000);
    void stop();

    const Config &config() const { return m_config; }
    QString masterName() const { return m_config.masterName; }
    quint16 masterPort() const { return m_master.port(); }
    quint16 replicaPort() const { return m_replica ? m_replica->port() : 0; }
    QList<quint16> sentinelPorts() const;
    // "127.0.0.1:port" of every sentinel.
    QStringList sentinelAddresses() const;
    // Options that reach the master through the sentinels, with short timeouts.
    ConnectionOptions options() const;

    // The servers as started: after a failover, replica() is the master.
    // SIGKILL to the master, as a crash would; the sentinels promote the replica.
    void killMaster();
    // SIGKILL to one sentinel.
    void killSentinel(int index);

    LocalRedisServer &master() { return m_master; }
    LocalRedisServer &replica() { return *m_replica; }
    LocalRedisServer &sentinel(int index) { return *m_sentinels.at(size_t(index)); }

    // Where the sentinel at index says the master is ("127.0.0.1:port"), or an empty
    // string when it does not answer within timeoutMs or knows no such master.
    QString masterAddress(int index, int timeoutMs = 1000) const;
    // How many clients of the sentinel at index (of all sentinels, by default) are
    // subscribed to a channel (CLIENT LIST's "sub=1"), such as Weir's connections waiting for
    // +switch-master. A sentinel that does not answer counts none.
    int subscribers(int index = -1) const;
    // Starts a failover as an operator would (SENTINEL FAILOVER, to the first sentinel that
    // answers): the master stays up, and becomes a replica once the sentinels get round to
    // it. False unless a sentinel took it on.
    bool startFailover() const;

    // One command to a server on 127.0.0.1, blocking for at most timeoutMs: its reply, or
    // nullopt when none came.
    static std::optional<RedisValue> query(quint16 port, const QList<QByteArray> &argv,
                                           int timeoutMs = 1000);

private:
    bool everySentinelReady(QString *why) const;

    Config m_config;
    LocalRedisServer m_master;
    std::unique_ptr<LocalRedisServer> m_replica; // made once the master's port is known
    std::vector<std::unique_ptr<LocalRedisServer>> m_sentinels;
};
