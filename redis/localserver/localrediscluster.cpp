#include "localrediscluster.h"

#include "clustertopology.h"
#include "localserverbuild.h"
#include "respcodec.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QEventLoop>
#include <QProcess>
#include <QRandomGenerator>
#include <QTcpServer>
#include <QTcpSocket>
#include <QThread>
#include <QTimer>

#include <csignal>
#include <sys/prctl.h>
#include <unistd.h>

namespace {

// A free port whose port + 10000 is free too, for a node's cluster bus before Redis 7.0
// (ephemeral ports are too high for that, so one is picked below them); 0 if none is found.
quint16 freePortWithBus()
{
    for (int attempt = 0; attempt < 100; ++attempt) {
        const auto port = quint16(20000 + QRandomGenerator::global()->bounded(25000));
        QTcpServer client, bus;
        if (client.listen(QHostAddress::LocalHost, port)
            && bus.listen(QHostAddress::LocalHost, port + 10000))
            return port;
    }
    return 0;
}

// Lets the calling thread's event loop run for about `ms` (a plain wait without one).
void pause(int ms)
{
    if (QCoreApplication::instance()) {
        QEventLoop loop;
        QTimer::singleShot(ms, &loop, &QEventLoop::quit);
        loop.exec();
    } else {
        QThread::msleep(ulong(ms));
    }
}

// Asks `done` every 50 ms until it says yes or the deadline passes.
template<typename Done> bool pollUntil(int timeoutMs, Done done)
{
    const QDeadlineTimer deadline(timeoutMs);
    for (;;) {
        if (done())
            return true;
        if (deadline.hasExpired())
            return false;
        pause(int(qMin<qint64>(50, deadline.remainingTime())));
    }
}

bool fail(QString *error, const QString &why)
{
    if (error)
        *error = why;
    return false;
}

QByteArray infoField(const RedisValue &info, const QByteArray &name)
{
    for (const QByteArray &line : info.bytes().split('\n')) {
        const QByteArray l = line.trimmed();
        if (l.startsWith(name + ':'))
            return l.mid(name.size() + 1);
    }
    return {};
}

QString describeError(const RedisValue &v)
{
    return v.isError() ? QString::fromUtf8(v.bytes()) : v.toDisplayString();
}

} // namespace

LocalRedisCluster::LocalRedisCluster()
    : LocalRedisCluster(Config{})
{}

LocalRedisCluster::LocalRedisCluster(Config config)
    : m_config(std::move(config))
{}

LocalRedisCluster::~LocalRedisCluster()
{
    stop();
}

quint16 LocalRedisCluster::port(int node) const
{
    return m_nodes.at(size_t(node))->port();
}

QList<quint16> LocalRedisCluster::ports() const
{
    QList<quint16> out;
    for (const auto &n : m_nodes)
        out.append(n->port());
    return out;
}

ConnectionOptions LocalRedisCluster::options(int node) const
{
    ConnectionOptions o = m_nodes.at(size_t(node))->options();
    o.name = QStringLiteral("cluster node %1").arg(node + 1);
    return o;
}

bool LocalRedisCluster::isRunning(int node) const
{
    return m_nodes.at(size_t(node))->isRunning();
}

void LocalRedisCluster::kill(int node)
{
    m_nodes.at(size_t(node))->kill();
}

int LocalRedisCluster::nodeWithPort(quint16 port) const
{
    for (size_t i = 0; i < m_nodes.size(); ++i) {
        if (m_nodes.at(i)->port() == port)
            return int(i);
    }
    return -1;
}

void LocalRedisCluster::stop()
{
    for (auto &n : m_nodes)
        n->stop();
    m_nodes.clear();
}

bool LocalRedisCluster::start(QString *error, int timeoutMs)
{
    const QDeadlineTimer deadline(timeoutMs);
    if (m_config.masters < 3)
        return fail(error, QStringLiteral("Redis Cluster needs at least 3 masters"));
    if (LocalServerBuild::current().cliProgram.isEmpty())
        return fail(error,
                    QStringLiteral("redis-cli is not installed (apt-get install redis-tools)"));
    if (!startNodes(error))
        return false;
    if (!createCluster(error, int(deadline.remainingTime())))
        return false;
    if (!waitForClusterOk(int(deadline.remainingTime()), error))
        return false;
    return waitForReplicas(int(deadline.remainingTime()), error);
}

bool LocalRedisCluster::startNodes(QString *error)
{
    stop();
    const int total = m_config.masters * (1 + m_config.replicasPerMaster);
    for (int i = 0; i < total; ++i) {
        QString why;
        bool started = false;
        // The bus port is chosen here, so it cannot land above 65535 as port + 10000 can;
        // another process may take it first, hence the attempts.
        for (int attempt = 0; attempt < 5 && !started; ++attempt) {
            LocalRedisServer::Config c;
            c.extraLines = {
                QStringLiteral("cluster-enabled yes"),
                QStringLiteral("cluster-config-file nodes.conf"),
                QStringLiteral("cluster-node-timeout %1").arg(m_config.nodeTimeoutMs),
                // A replica may always take over, however long ago it last heard its master.
                QStringLiteral("cluster-replica-validity-factor 0"),
                // Replication offsets move soon after the sync, so replicas are reported
                // online (and listed by CLUSTER SLOTS) within a second.
                QStringLiteral("repl-ping-replica-period 1"),
                // The first sync of each replica starts at once instead of after 5 s.
                QStringLiteral("repl-diskless-sync-delay 0"),
            };
            c.serverDir = m_config.serverDirs.value(i);
            const bool clusterPort =
                c.serverDir.isEmpty()
                    ? LocalServerBuild::current().knowsClusterPortOption()
                    : LocalServerBuild::find(c.serverDir).knowsClusterPortOption();
            if (clusterPort)
                c.extraLines << QStringLiteral("cluster-port %1").arg(freeLoopbackPort());
            else // before 7.0 the bus is always on the port + 10000
                c.port = freePortWithBus();
            c.extraLines << m_config.extraLines;
            auto server = std::make_unique<LocalRedisServer>(c);
            started = server->start(&why);
            if (started)
                m_nodes.push_back(std::move(server));
        }
        if (!started) {
            stop();
            return fail(error, QStringLiteral("cluster node %1: %2").arg(i + 1).arg(why));
        }
    }
    return true;
}

bool LocalRedisCluster::createCluster(QString *error, int timeoutMs)
{
    QStringList args{QStringLiteral("--cluster"), QStringLiteral("create")};
    for (const auto &n : m_nodes)
        args << QStringLiteral("127.0.0.1:%1").arg(n->port());
    args << QStringLiteral("--cluster-replicas") << QString::number(m_config.replicasPerMaster)
         << QStringLiteral("--cluster-yes");
    QProcess cli;
    cli.setProgram(LocalServerBuild::current().cliProgram);
    cli.setArguments(args);
    cli.setProcessChannelMode(QProcess::MergedChannels);
    cli.setStandardInputFile(QProcess::nullDevice());
    const pid_t parent = ::getpid();
    cli.setChildProcessModifier([parent] {
        ::prctl(PR_SET_PDEATHSIG, SIGTERM);
        if (::getppid() != parent)
            ::_exit(1);
    });
    cli.start();
    if (!cli.waitForStarted(5000))
        return fail(error, QStringLiteral("Cannot start redis-cli: %1").arg(cli.errorString()));
    if (!cli.waitForFinished(qMax(1000, timeoutMs))) {
        cli.kill();
        cli.waitForFinished(2000);
        return fail(error, QStringLiteral("redis-cli --cluster create did not finish in time: %1")
                               .arg(QString::fromUtf8(cli.readAll().right(600))));
    }
    const QByteArray output = cli.readAll();
    if (cli.exitStatus() != QProcess::NormalExit || cli.exitCode() != 0
        || !output.contains("All 16384 slots covered"))
        return fail(error, QStringLiteral("redis-cli --cluster create failed: %1")
                               .arg(QString::fromUtf8(output.right(600))));
    return true;
}

bool LocalRedisCluster::waitForClusterOk(int timeoutMs, QString *error) const
{
    QString last;
    const bool ok = pollUntil(timeoutMs, [&] {
        for (size_t i = 0; i < m_nodes.size(); ++i) {
            if (!m_nodes.at(i)->isRunning())
                continue;
            QString why;
            const RedisValue info = command(int(i), {"CLUSTER", "INFO"}, &why, 2000);
            if (!info.isString()) {
                last = QStringLiteral("node %1: %2")
                           .arg(i + 1)
                           .arg(why.isEmpty() ? describeError(info) : why);
                return false;
            }
            const QByteArray state = infoField(info, "cluster_state");
            const QByteArray slots = infoField(info, "cluster_slots_ok");
            if (state != "ok" || slots != "16384") {
                last = QStringLiteral("node %1: cluster_state:%2, cluster_slots_ok:%3")
                           .arg(i + 1)
                           .arg(QString::fromUtf8(state), QString::fromUtf8(slots));
                return false;
            }
        }
        return true;
    });
    return ok || fail(error, QStringLiteral("The cluster is not ok in time (%1)").arg(last));
}

// Every running node's view: all nodes known, every one of them online (which is also
// when CLUSTER SLOTS starts listing the replicas, from 7.0 on), and each in its role.
bool LocalRedisCluster::waitForReplicas(int timeoutMs, QString *error) const
{
    QString last;
    const qsizetype total = qsizetype(m_nodes.size());
    const bool ok = pollUntil(timeoutMs, [&] {
        for (size_t i = 0; i < m_nodes.size(); ++i) {
            if (!m_nodes.at(i)->isRunning())
                continue;
            QString why;
            // CLUSTER SHARDS says each node's health; before 7.0, CLUSTER SLOTS lists the
            // nodes and a replica's ROLE says whether it is connected to its master.
            const bool shards = LocalServerBuild::current().server.hasClusterShards();
            const RedisValue reply =
                command(int(i), {"CLUSTER", shards ? "SHARDS" : "SLOTS"}, &why, 2000);
            const auto topology = shards
                                      ? parseClusterShards(reply, QStringLiteral("127.0.0.1"), &why)
                                      : parseClusterSlots(reply, QStringLiteral("127.0.0.1"), &why);
            if (!topology) {
                last = QStringLiteral("node %1: %2").arg(i + 1).arg(why);
                return false;
            }
            const QList<ClusterNode> &nodes = topology->nodes();
            const bool allOnline = std::all_of(nodes.cbegin(), nodes.cend(), [&](const auto &n) {
                if (shards)
                    return n.health == ClusterNode::Health::Online;
                if (n.isMaster())
                    return true;
                const int node = nodeWithPort(n.port);
                const RedisValue role = node < 0 ? RedisValue() : command(node, {"ROLE"});
                return role.isArray() && role.size() > 3 && role.at(3).bytes() == "connected";
            });
            // A replica is a master of no slots until its master's gossip says otherwise:
            // a view still listing it so would show the cluster with an empty shard.
            const qsizetype masters = topology->masters().size();
            if (nodes.size() != total || !allOnline || masters != m_config.masters) {
                last = QStringLiteral("node %1 knows %2 of %3 nodes, %4 of them masters, %5")
                           .arg(i + 1)
                           .arg(nodes.size())
                           .arg(total)
                           .arg(masters)
                           .arg(QLatin1String(allOnline ? "all online" : "not all online"));
                return false;
            }
        }
        return true;
    });
    return ok || fail(error, QStringLiteral("The replicas are not online in time (%1)").arg(last));
}

std::optional<ClusterTopology> LocalRedisCluster::slotMap(int node, QString *error,
                                                          QByteArray *from) const
{
    const QString host = QStringLiteral("127.0.0.1");
    QByteArray subcommand = "SLOTS";
    std::optional<ClusterTopology> topology;
    QList<ClusterNode> listed;
    if (LocalServerBuild::current().server.hasClusterShards()) {
        bool ambiguous = false;
        topology = parseClusterShards(command(node, {"CLUSTER", "SHARDS"}, error), host, error,
                                      &ambiguous, &listed);
        subcommand = ambiguous ? "SLOTS" : "SHARDS";
    }
    if (subcommand == "SLOTS") {
        topology = parseClusterSlots(command(node, {"CLUSTER", "SLOTS"}, error), host, error);
        if (topology && !listed.isEmpty())
            topology = topology->withNodesFrom(listed);
    }
    if (from)
        *from = subcommand;
    return topology;
}

RedisValue LocalRedisCluster::command(int node, const QList<QByteArray> &argv, QString *error,
                                      int timeoutMs) const
{
    const QDeadlineTimer deadline(timeoutMs);
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, port(node));
    if (!socket.waitForConnected(int(deadline.remainingTime()))) {
        fail(error, QStringLiteral("127.0.0.1:%1: %2").arg(port(node)).arg(socket.errorString()));
        return {};
    }
    socket.write(encodeCommand(argv));
    while (socket.bytesToWrite() > 0) {
        if (!socket.waitForBytesWritten(int(qMax<qint64>(1, deadline.remainingTime())))) {
            fail(error,
                 QStringLiteral("127.0.0.1:%1: %2").arg(port(node)).arg(socket.errorString()));
            return {};
        }
    }
    RespDecoder decoder;
    RedisValue reply;
    for (;;) {
        if (!socket.waitForReadyRead(int(qMax<qint64>(1, deadline.remainingTime())))) {
            fail(error, QStringLiteral("127.0.0.1:%1: no reply to %2 (%3)")
                            .arg(port(node))
                            .arg(QString::fromUtf8(argv.value(0)), socket.errorString()));
            return {};
        }
        decoder.feed(socket.readAll());
        switch (decoder.next(&reply)) {
        case RespDecoder::Result::Reply:
            return reply;
        case RespDecoder::Result::Error:
            fail(error, decoder.errorString());
            return {};
        case RespDecoder::Result::NeedMore:
            break;
        }
    }
}

bool LocalRedisCluster::isMaster(int node, QString *error) const
{
    const RedisValue role = command(node, {"ROLE"}, error);
    return role.isArray() && role.size() > 0 && role.at(0).bytes() == "master";
}

QList<int> LocalRedisCluster::masters(QString *error) const
{
    QList<int> out;
    for (int i = 0; i < nodeCount(); ++i) {
        if (isRunning(i) && isMaster(i, error))
            out.append(i);
    }
    return out;
}

int LocalRedisCluster::masterOf(int replica, QString *error) const
{
    // ["slave", host, port, state, offset]
    const RedisValue role = command(replica, {"ROLE"}, error);
    if (!role.isArray() || role.size() < 3 || role.at(0).bytes() != "slave") {
        fail(error, QStringLiteral("node %1 is not a replica: %2")
                        .arg(replica + 1)
                        .arg(role.toDisplayString()));
        return -1;
    }
    return nodeWithPort(quint16(role.at(2).toInteger()));
}

QByteArray LocalRedisCluster::nodeId(int node, QString *error) const
{
    const RedisValue id = command(node, {"CLUSTER", "MYID"}, error);
    if (!id.isString()) {
        fail(error, QStringLiteral("CLUSTER MYID: %1").arg(describeError(id)));
        return {};
    }
    return id.bytes();
}

bool LocalRedisCluster::beginSlotMigration(int slot, int from, int to, QString *error)
{
    const QByteArray fromId = nodeId(from, error);
    const QByteArray toId = nodeId(to, error);
    if (fromId.isEmpty() || toId.isEmpty())
        return false;
    const QByteArray s = QByteArray::number(slot);
    // The target first: then no moment exists in which the source sends ASK to a node
    // that would refuse the key.
    const RedisValue importing = command(to, {"CLUSTER", "SETSLOT", s, "IMPORTING", fromId}, error);
    if (!importing.isStatus())
        return fail(error, QStringLiteral("SETSLOT IMPORTING: %1").arg(describeError(importing)));
    const RedisValue migrating = command(from, {"CLUSTER", "SETSLOT", s, "MIGRATING", toId}, error);
    if (!migrating.isStatus())
        return fail(error, QStringLiteral("SETSLOT MIGRATING: %1").arg(describeError(migrating)));
    return true;
}

int LocalRedisCluster::migrateSlotKeys(int slot, int from, int to, int count, QString *error)
{
    const RedisValue keys = command(
        from, {"CLUSTER", "GETKEYSINSLOT", QByteArray::number(slot), QByteArray::number(count)},
        error);
    if (!keys.isArray()) {
        fail(error, QStringLiteral("GETKEYSINSLOT: %1").arg(describeError(keys)));
        return -1;
    }
    if (keys.size() == 0)
        return 0;
    QList<QByteArray> argv{"MIGRATE", "127.0.0.1", QByteArray::number(port(to)), "", "0",
                           "5000",    "KEYS"};
    for (const RedisValue &k : keys.elements())
        argv.append(k.bytes());
    const RedisValue migrated = command(from, argv, error, 10000);
    if (!migrated.isStatus()) {
        fail(error, QStringLiteral("MIGRATE: %1").arg(describeError(migrated)));
        return -1;
    }
    return int(keys.size());
}

bool LocalRedisCluster::finishSlotMigration(int slot, int from, int to, QString *error)
{
    const QByteArray toId = nodeId(to, error);
    if (toId.isEmpty())
        return false;
    const QList<QByteArray> setNode{"CLUSTER", "SETSLOT", QByteArray::number(slot), "NODE", toId};
    // Target, then source, then the other masters, as Redis' own resharding does.
    QList<int> order{to, from};
    for (int m : masters(error)) {
        if (m != to && m != from)
            order.append(m);
    }
    for (int node : order) {
        const RedisValue r = command(node, setNode, error);
        if (!r.isStatus())
            return fail(
                error,
                QStringLiteral("SETSLOT NODE on node %1: %2").arg(node + 1).arg(describeError(r)));
    }
    return true;
}
