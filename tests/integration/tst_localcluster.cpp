// A real Redis Cluster (LocalRedisCluster: 3 masters, 3 replicas) read node by node through
// RedisConnection (ConnectionOptions::singleNode: redirects come back as replies): the slot
// map from CLUSTER SHARDS and CLUSTER SLOTS, keySlot() picking the node that takes a write,
// MOVED and ASK read by the redirect parser during and after a slot migration, and a
// replica taking over from a killed master.
// The functions run in order and share the cluster; the failover comes last of those. A
// second cluster, in a child process killed with SIGKILL, must not outlive it.

#include "integrationsupport.h"
#include "serverversion.h"

#include "clustertopology.h"
#include "keyslot.h"
#include "localrediscluster.h"

#include <QElapsedTimer>
#include <QProcess>
#include <QSet>
#include <QtTest>

#include <cstdio>
#include <map>
#include <memory>

using namespace integration;

namespace {

const QString Host = QStringLiteral("127.0.0.1");

QByteArray describe(const ClusterRedirect &r)
{
    return (QStringLiteral("%1 %2 %3:%4")
                .arg(QLatin1String(r.kind == ClusterRedirect::Kind::Moved ? "MOVED" : "ASK"))
                .arg(r.slot)
                .arg(r.host)
                .arg(r.port))
        .toUtf8();
}

constexpr char ChildVariable[] = "WEIR_TEST_CLUSTER_CHILD";

// The child mode of this program: start a cluster, print its server pids, wait to be killed.
int runClusterChild(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    LocalRedisCluster cluster;
    QString error;
    if (!cluster.start(&error)) {
        std::fprintf(stderr, "%s\n", qPrintable(error));
        return 1;
    }
    QByteArrayList pids;
    for (int i = 0; i < cluster.nodeCount(); ++i)
        pids.append(QByteArray::number(cluster.server(i).pid()));
    std::printf("%s\n", pids.join(' ').constData());
    waitToBeKilled();
}

} // namespace

class TestLocalCluster : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void mapDescribesTheCluster();
    void slotsAgreeWithShards();
    void keySlotPicksTheNodeThatWrites();
    void slotMigrationAsksThenMoves();
    void killedMasterIsReplacedByItsReplica();
    void nodesDieWithTheProcess();

private:
    RedisConnection &connection(int node);
    std::optional<ClusterTopology> readTopology(int node, const QByteArray &subcommand,
                                                QString *error);

    LocalRedisCluster m_cluster;
    std::map<int, std::unique_ptr<RedisConnection>> m_connections;
};

void TestLocalCluster::initTestCase()
{
    QElapsedTimer timer;
    timer.start();
    QString error;
    QVERIFY2(m_cluster.start(&error), qPrintable(error));
    qInfo("cluster of %d nodes ready in %lld ms", m_cluster.nodeCount(), timer.elapsed());
    QCOMPARE(m_cluster.nodeCount(), 6);
    QCOMPARE(m_cluster.masters(&error).size(), 3);
}

void TestLocalCluster::cleanupTestCase()
{
    m_connections.clear();
    m_cluster.stop();
}

RedisConnection &TestLocalCluster::connection(int node)
{
    auto &c = m_connections[node];
    if (!c) {
        ConnectionOptions o = m_cluster.options(node);
        o.singleNode = true; // the replies of this node, redirects included
        o.connectTimeoutMs = 3000;
        o.commandTimeoutMs = 5000;
        c = std::make_unique<RedisConnection>(o);
        c->open(false);
        if (!QTest::qWaitFor([&c] { return c->state() == ConnectionState::Connected; }, 10000))
            qWarning() << "node" << node + 1 << "not connected:" << c->stateMessage();
    }
    return *c;
}

std::optional<ClusterTopology>
TestLocalCluster::readTopology(int node, const QByteArray &subcommand, QString *error)
{
    const RedisValue reply = command(connection(node), {"CLUSTER", subcommand});
    return subcommand == "SHARDS" ? parseClusterShards(reply, Host, error)
                                  : parseClusterSlots(reply, Host, error);
}

// Every node describes the cluster the same: three masters with a replica each, all of
// them online where the map says so (CLUSTER SLOTS tells no health).
void TestLocalCluster::mapDescribesTheCluster()
{
    const auto expectedHealth = testserver::info().hasClusterShards()
                                    ? ClusterNode::Health::Online
                                    : ClusterNode::Health::Unknown;
    for (int node = 0; node < m_cluster.nodeCount(); ++node) {
        QString error;
        const auto topology = m_cluster.slotMap(node, &error);
        QVERIFY2(topology, qPrintable(error));
        QVERIFY(topology->coversAllSlots());
        QCOMPARE(topology->nodes().size(), 6);
        const QList<ClusterNode> masters = topology->masters();
        QCOMPARE(masters.size(), 3);
        for (const ClusterNode &m : masters) {
            const int index = m_cluster.nodeWithPort(m.port);
            QVERIFY2(index >= 0, qPrintable(m.address()));
            QVERIFY(m_cluster.isMaster(index));
            QCOMPARE(m.host, Host);
            QCOMPARE(m.id, m_cluster.nodeId(index));
            QCOMPARE(m.health, expectedHealth);
            QVERIFY(!m.slots.isEmpty());
            const QList<ClusterNode> replicas = topology->replicasOf(m);
            QCOMPARE(replicas.size(), 1);
            const int replica = m_cluster.nodeWithPort(replicas.first().port);
            QVERIFY(replica >= 0 && replica != index);
            QCOMPARE(m_cluster.masterOf(replica), index);
            QCOMPARE(replicas.first().health, expectedHealth);
        }
    }
}

void TestLocalCluster::slotsAgreeWithShards()
{
    REQUIRE_REDIS(7, 0, "CLUSTER SHARDS");
    QString error;
    const auto shards = readTopology(1, "SHARDS", &error);
    QVERIFY2(shards, qPrintable(error));
    const auto slots = readTopology(1, "SLOTS", &error);
    QVERIFY2(slots, qPrintable(error));
    QVERIFY(slots->coversAllSlots());
    QCOMPARE(slots->nodes().size(), 6);
    QCOMPARE(slots->masters().size(), 3);
    for (int slot = 0; slot < ClusterTopology::SlotCount; ++slot) {
        const ClusterNode *a = shards->nodeForSlot(slot);
        const ClusterNode *b = slots->nodeForSlot(slot);
        QVERIFY(a && b);
        if (a->port != b->port || a->id != b->id)
            QFAIL(qPrintable(
                QStringLiteral("slot %1: %2 and %3").arg(slot).arg(a->address(), b->address())));
    }
    for (const ClusterNode &m : slots->masters()) {
        const QList<ClusterNode> replicas = slots->replicasOf(m);
        QCOMPARE(replicas.size(), 1);
        const ClusterNode *same = shards->nodeAt(m.host, m.port);
        QVERIFY(same);
        QCOMPARE(shards->replicasOf(*same).first().id, replicas.first().id);
    }
}

void TestLocalCluster::keySlotPicksTheNodeThatWrites()
{
    QString error;
    const auto topology = m_cluster.slotMap(0, &error);
    QVERIFY2(topology, qPrintable(error));
    const QList<QByteArray> keys{"orders",   "orders:dlq",  "{orders}:dlq",
                                 "payments", "events:2024", "{user1000}.following",
                                 "a",        "b",           "c",
                                 "weir"};
    QSet<quint16> ownersSeen;
    for (const QByteArray &key : keys) {
        const ClusterNode *owner = topology->masterForKey(key);
        QVERIFY(owner);
        ownersSeen.insert(owner->port);
        for (const ClusterNode &m : topology->masters()) {
            const int node = m_cluster.nodeWithPort(m.port);
            const RedisValue reply =
                command(connection(node), RedisCommand({"SET", key, "v:" + key}, key));
            if (m.port == owner->port) {
                QCOMPARE(reply, RedisValue::status("OK"));
                continue;
            }
            QVERIFY2(reply.isError(), qPrintable(reply.toDisplayString()));
            const auto redirect = parseClusterRedirect(reply, Host, &error);
            QVERIFY2(redirect, qPrintable(error));
            QCOMPARE(redirect->kind, ClusterRedirect::Kind::Moved);
            QCOMPARE(redirect->slot, keySlot(key));
            QCOMPARE(redirect->host, owner->host);
            QCOMPARE(redirect->port, owner->port);
        }
    }
    // The keys are spread, so a topology that sent everything to one node would fail.
    QVERIFY(ownersSeen.size() >= 2);
}

void TestLocalCluster::slotMigrationAsksThenMoves()
{
    QString error;
    const auto original = m_cluster.slotMap(0, &error);
    QVERIFY2(original, qPrintable(error));
    const QByteArray a = "{weir-migration}:a", b = "{weir-migration}:b";
    const quint16 slot = keySlot(a);
    const int from = m_cluster.nodeWithPort(original->nodeForSlot(slot)->port);
    int to = -1;
    for (const ClusterNode &m : original->masters()) {
        if (m_cluster.nodeWithPort(m.port) != from)
            to = m_cluster.nodeWithPort(m.port);
    }
    QVERIFY(from >= 0 && to >= 0);
    RedisConnection &source = connection(from);
    RedisConnection &target = connection(to);
    QCOMPARE(command(source, {"SET", a, "1"}), RedisValue::status("OK"));
    QCOMPARE(command(source, {"SET", b, "2"}), RedisValue::status("OK"));

    QVERIFY2(m_cluster.beginSlotMigration(slot, from, to, &error), qPrintable(error));
    // Keys still on the source are served there.
    QCOMPARE(command(source, {"GET", a}), RedisValue::string("1"));
    QCOMPARE(m_cluster.migrateSlotKeys(slot, from, to, 100, &error), 2);

    // Gone from the source: it answers ASK, naming the target.
    RedisValue reply = command(source, {"GET", a});
    auto redirect = parseClusterRedirect(reply, Host, &error);
    QVERIFY2(redirect, qPrintable(error + QLatin1Char(' ') + reply.toDisplayString()));
    QVERIFY2(redirect->kind == ClusterRedirect::Kind::Ask, describe(*redirect).constData());
    QCOMPARE(redirect->slot, slot);
    QCOMPARE(redirect->port, m_cluster.port(to));
    // The target serves it after ASKING, and without it still sends clients to the source.
    const auto asked = exec(target, {RedisCommand{"ASKING"}, RedisCommand{"GET", a}});
    QVERIFY(asked && asked->ok());
    QCOMPARE(asked->replies.at(0), RedisValue::status("OK"));
    QCOMPARE(asked->replies.at(1), RedisValue::string("1"));
    reply = command(target, {"GET", a});
    redirect = parseClusterRedirect(reply, Host, &error);
    QVERIFY2(redirect, qPrintable(error + QLatin1Char(' ') + reply.toDisplayString()));
    QVERIFY2(redirect->kind == ClusterRedirect::Kind::Moved, describe(*redirect).constData());
    QCOMPARE(redirect->port, m_cluster.port(from));

    QVERIFY2(m_cluster.finishSlotMigration(slot, from, to, &error), qPrintable(error));
    reply = command(source, {"GET", b});
    redirect = parseClusterRedirect(reply, Host, &error);
    QVERIFY2(redirect, qPrintable(error + QLatin1Char(' ') + reply.toDisplayString()));
    QVERIFY2(redirect->kind == ClusterRedirect::Kind::Moved, describe(*redirect).constData());
    QCOMPARE(redirect->slot, slot);
    QCOMPARE(redirect->port, m_cluster.port(to));
    QCOMPARE(command(target, {"GET", b}), RedisValue::string("2"));

    // Every node's map moves the slot, and only that slot (masters learn it from SETSLOT,
    // replicas from gossip).
    const int neighbour = slot > 0 ? slot - 1 : slot + 1;
    for (int node = 0; node < m_cluster.nodeCount(); ++node) {
        std::optional<ClusterTopology> topology;
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
            topology = m_cluster.slotMap(node, &error);
            return topology && topology->coversAllSlots()
                   && topology->nodeForSlot(slot)->port == m_cluster.port(to);
            }(),
            10000);
        QCOMPARE(topology->nodeForSlot(neighbour)->id, original->nodeForSlot(neighbour)->id);
    }
}

void TestLocalCluster::killedMasterIsReplacedByItsReplica()
{
    QString error;
    const auto before = m_cluster.slotMap(0, &error);
    QVERIFY2(before, qPrintable(error));
    // The master of the last slot, so that the node we keep reading from survives.
    const ClusterNode victim = *before->nodeForSlot(ClusterTopology::SlotCount - 1);
    const QList<ClusterNode> replicas = before->replicasOf(victim);
    QCOMPARE(replicas.size(), 1);
    const ClusterNode heir = replicas.first();
    const int victimNode = m_cluster.nodeWithPort(victim.port);
    int reader = -1;
    for (const ClusterNode &m : before->masters()) {
        if (m.port != victim.port)
            reader = m_cluster.nodeWithPort(m.port);
    }
    QVERIFY(victimNode >= 0 && reader >= 0);
    const QList<ClusterSlotRange> victimSlots = victim.slots;

    QElapsedTimer timer;
    timer.start();
    m_cluster.kill(victimNode);
    QVERIFY(!m_cluster.isRunning(victimNode));
    std::optional<ClusterTopology> after;
    QByteArray from;
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
        after = m_cluster.slotMap(reader, &error, &from);
        if (!after)
            return false;
        const ClusterNode *owner = after->nodeForSlot(ClusterTopology::SlotCount - 1);
        return owner && owner->id == heir.id;
        }(),
        30000);
    const qint64 promotedMs = timer.elapsed();
    QVERIFY2(m_cluster.waitForClusterOk(30000, &error), qPrintable(error));
    qInfo("replica promoted %lld ms after the kill, cluster ok after %lld ms", promotedMs,
          timer.elapsed());

    QVERIFY(after->coversAllSlots());
    const ClusterNode *promoted = after->nodeAt(heir.host, heir.port);
    QVERIFY(promoted);
    QVERIFY(promoted->isMaster());
    QCOMPARE(promoted->slots, victimSlots);
    QVERIFY(m_cluster.isMaster(m_cluster.nodeWithPort(heir.port)));
    // The dead master stays listed, failed and without slots (CLUSTER SLOTS leaves it out;
    // CLUSTER SHARDS, asked first, lists it).
    const ClusterNode *dead = after->nodeAt(victim.host, victim.port);
    qInfo() << "the slots after the failover came from CLUSTER" << from.constData();
    if (testserver::info().hasClusterShards()) {
        QVERIFY(dead);
        QCOMPARE(dead->health, ClusterNode::Health::Failed);
    }
    QVERIFY(!dead || dead->slots.isEmpty());
    // Writes to the promoted master's slots land there.
    QByteArray key = "after-failover";
    for (int i = 0; after->masterForKey(key)->id != heir.id; ++i)
        key = "after-failover:" + QByteArray::number(i);
    QCOMPARE(command(connection(m_cluster.nodeWithPort(heir.port)), {"SET", key, "1"}),
             RedisValue::status("OK"));
}

// A crashed Weir or test must not leave cluster nodes behind.
void TestLocalCluster::nodesDieWithTheProcess()
{
    QProcess child;
    const QList<QByteArray> fields = startChild(child, ChildVariable, 60000);
    QCOMPARE(fields.size(), 6);
    QList<qint64> pids;
    for (const QByteArray &f : fields) {
        pids.append(f.toLongLong());
        QVERIFY(pids.last() > 0);
        QVERIFY(!processEnded(pids.last()));
    }

    child.kill(); // SIGKILL: no destructor runs, as in a crash
    QVERIFY(child.waitForFinished(5000));
    for (qint64 pid : std::as_const(pids))
        QTRY_VERIFY_WITH_TIMEOUT(processEnded(pid), 5000);
}

int main(int argc, char *argv[])
{
    if (qEnvironmentVariableIsSet(ChildVariable))
        return runClusterChild(argc, argv);
    QCoreApplication app(argc, argv);
    TestLocalCluster test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}

#include "tst_localcluster.moc"
