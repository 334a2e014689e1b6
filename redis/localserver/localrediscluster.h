#pragma once

#include "clustertopology.h"
#include "connectionoptions.h"
#include "localredisserver.h"
#include "redisvalue.h"

#include <QHash>
#include <QList>
#include <QString>

#include <memory>
#include <vector>

// A private Redis Cluster for tests (and perhaps the demo): masters x (1 + replicas)
// LocalRedisServer processes with cluster-enabled on free 127.0.0.1 ports, joined by
// `redis-cli --cluster create`. Every process dies with this one, as LocalRedisServer's
// does, and the destructor stops them.
//
// Everything here blocks the calling thread, with a deadline on every wait: use it at
// start-up or from tests, never while a window is live. Between polls it lets the calling
// thread's event loop run, so RedisConnections on that thread keep working. Use it from
// one thread that lives as long as the cluster (see LocalRedisServer).
class LocalRedisCluster
{
public:
    struct Config
    {
        int masters = 3;
        int replicasPerMaster = 1;
        // Low, so that a killed master is failed over within a few seconds.
        int nodeTimeoutMs = 1000;
        QStringList extraLines; // more redis.conf lines for every node
        // Nodes (by index; the last ones become replicas) that run another server build,
        // from the folder given, as during a rolling upgrade.
        QHash<int, QString> serverDirs;
    };

    LocalRedisCluster();
    explicit LocalRedisCluster(Config config);
    ~LocalRedisCluster();

    // Starts the nodes, creates the cluster and waits (up to timeoutMs) until every node
    // says cluster_state:ok with all 16384 slots served, and every master has its
    // replicas online.
    bool start(QString *error = nullptr, int timeoutMs = 60000);
    void stop();

    int nodeCount() const { return int(m_nodes.size()); }
    quint16 port(int node) const;
    QList<quint16> ports() const;
    ConnectionOptions options(int node) const;
    LocalRedisServer &server(int node) { return *m_nodes.at(size_t(node)); }
    bool isRunning(int node) const;
    // SIGKILL, as a crash would; its replica takes over after the node timeout.
    void kill(int node);

    // Asked of the nodes now (ROLE), so they are right after a failover; false, empty or
    // -1 (with `error`) when a node does not answer.
    bool isMaster(int node, QString *error = nullptr) const;
    QList<int> masters(QString *error = nullptr) const;
    int masterOf(int replica, QString *error = nullptr) const;
    QByteArray nodeId(int node, QString *error = nullptr) const;
    int nodeWithPort(quint16 port) const;

    // Until every running node says cluster_state:ok and serves all slots.
    bool waitForClusterOk(int timeoutMs, QString *error = nullptr) const;

    // Moves one slot from master `from` to master `to`, in the three steps Redis does it,
    // so a test can watch each: begin (IMPORTING on `to`, MIGRATING on `from`: `from` now
    // answers ASK for keys it no longer has), migrateKeys (MIGRATE up to `count` of the
    // slot's keys; returns how many moved, -1 on error), finish (SETSLOT NODE on every
    // master: the others answer MOVED for it).
    bool beginSlotMigration(int slot, int from, int to, QString *error = nullptr);
    int migrateSlotKeys(int slot, int from, int to, int count, QString *error = nullptr);
    bool finishSlotMigration(int slot, int from, int to, QString *error = nullptr);

    // The slot map as `node` gives it, read as Weir reads it: CLUSTER SHARDS from 7.0 on,
    // CLUSTER SLOTS before, and when a shard does not say plainly which master serves it
    // (7.2 on, after a failover; with what SHARDS said of the nodes). `from` is set to the
    // subcommand that gave the slots.
    std::optional<ClusterTopology> slotMap(int node, QString *error = nullptr,
                                           QByteArray *from = nullptr) const;

    // One command to one node over a short-lived blocking socket; an error reply is a
    // value too. Nil and `error` set when the node cannot be reached in time.
    RedisValue command(int node, const QList<QByteArray> &argv, QString *error = nullptr,
                       int timeoutMs = 5000) const;

private:
    bool startNodes(QString *error);
    bool createCluster(QString *error, int timeoutMs);
    bool waitForReplicas(int timeoutMs, QString *error) const;

    Config m_config;
    std::vector<std::unique_ptr<LocalRedisServer>> m_nodes;
};
