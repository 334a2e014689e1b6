// A RedisConnection opened on one node of a real Redis Cluster (LocalRedisCluster: 3
// masters, 3 replicas), used as the rest of Weir uses it: pipelined requests whose keys
// live on every master, the overview's stream listing and the live monitor, a slot
// migration (ASK, then MOVED), a redirect loop, and a killed master replaced by its replica.
// The functions run in order and share the cluster; the failover comes last.

#include "integrationsupport.h"

#include "clustertopology.h"
#include "keyslot.h"
#include "localrediscluster.h"
#include "monitorfigures.h"
#include "respcodec.h"
#include "streamlistmodel.h"
#include "streammonitor.h"

#include <QAbstractItemModelTester>
#include <QElapsedTimer>
#include <QTcpServer>
#include <QTcpSocket>
#include <QtTest>

#include <memory>
#include <optional>

using namespace integration;

namespace {

// A server that says it is a cluster node (INFO) and answers every other command with MOVED
// to itself, as a node with a broken slot map would: a client that follows redirects without
// a bound never gets an answer.
class MovedToItself : public QObject
{
public:
    MovedToItself()
    {
        m_server.listen(QHostAddress::LocalHost, 0);
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            QTcpSocket *socket = m_server.nextPendingConnection();
            auto decoder = std::make_shared<RespDecoder>();
            connect(socket, &QIODevice::readyRead, socket, [this, socket, decoder] {
                decoder->feed(socket->readAll());
                RedisValue command;
                while (decoder->next(&command) == RespDecoder::Result::Reply) {
                    const QByteArray name = command.size() > 0 ? command.at(0).bytes() : "";
                    if (name == "INFO") {
                        const QByteArray info = "redis_version:7.0.15\r\nredis_mode:cluster\r\n";
                        socket->write("$" + QByteArray::number(info.size()) + "\r\n" + info
                                      + "\r\n");
                        continue;
                    }
                    gets += name == "GET" ? 1 : 0;
                    socket->write("-MOVED 3999 127.0.0.1:" + QByteArray::number(port()) + "\r\n");
                }
            });
        });
    }
    quint16 port() const { return m_server.serverPort(); }
    int gets = 0;

private:
    QTcpServer m_server;
};

// How many entries of the command log name `command`.
int requestsLogged(const QSignalSpy &spy, QLatin1String command)
{
    int n = 0;
    for (const QList<QVariant> &args : spy)
        n += args.at(0).value<CommandLogEntry>().command.contains(command) ? 1 : 0;
    return n;
}

// The streams the overview's model lists through `connection`, how many its scan said it
// found, and the progress it reported on the way; nullopt (with a warning) when the scan
// did not finish cleanly in time.
std::optional<QSet<QByteArray>> listStreams(RedisConnection &connection, int *found = nullptr,
                                            QList<double> *progress = nullptr)
{
    StreamListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setConnection(&connection);
    QSignalSpy finished(&model, &StreamListModel::scanFinished);
    QSignalSpy progressed(&model, &StreamListModel::scanProgressChanged);
    model.refresh();
    if (!QTest::qWaitFor([&finished] { return !finished.isEmpty(); }, 15000)
        || !finished.at(0).at(2).toString().isEmpty()) {
        qWarning() << "the scan did not finish:" << finished;
        return std::nullopt;
    }
    if (found)
        *found = finished.at(0).at(0).toInt();
    for (const QList<QVariant> &args : std::as_const(progressed)) {
        if (progress)
            progress->append(args.at(0).toDouble());
    }
    QSet<QByteArray> listed;
    for (int row = 0; row < model.rowCount(); ++row)
        listed.insert(model.data(model.index(row, 0), StreamListModel::KeyRole).toByteArray());
    return listed;
}

} // namespace

class TestClusterConnection : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void pipelinedRequestSpansEveryMaster();
    void transactionGoesWholeToItsNode();
    void transactionAcrossSlotsIsRefused();
    void streamListingCoversEveryShard();
    void cancelledWalkStops();
    void failedPartFailsTheRequest();
    void monitorSamplesEveryMaster();
    void slotMigrationIsFollowed();
    void redirectLoopIsBounded();
    void openedOnReplica();
    void sendToNodeReachesThatNode();
    void failoverIsFollowed();
    void openedNodeFailoverIsFollowed();

private:
    // Kills master `victim` and waits until a request on its slots succeeds through the
    // connection; returns the replica that took over, or -1 (a failed check).
    int killAndRecover(int victim, const QByteArray &key);
    // A key (with `prefix`) whose slot the master `node` serves, as the cluster says now.
    QByteArray keyOn(int node, const QByteArray &prefix) const;

    LocalRedisCluster m_cluster;
    std::unique_ptr<RedisConnection> m_connection;
    QList<int> m_masters; // cluster node indexes; the first is where the connection opened
};

void TestClusterConnection::initTestCase()
{
    QString error;
    QVERIFY2(m_cluster.start(&error), qPrintable(error));
    m_masters = m_cluster.masters(&error);
    QCOMPARE(m_masters.size(), 3);
    ConnectionOptions o = m_cluster.options(m_masters.first());
    o.connectTimeoutMs = 3000;
    o.commandTimeoutMs = 5000;
    m_connection = std::make_unique<RedisConnection>(o);
    QSignalSpy topologyChanged(m_connection.get(), &RedisConnection::topologyChanged);
    OPEN_CONNECTED(*m_connection);
    // Connected comes with the slot map.
    QCOMPARE(topologyChanged.size(), 1);
    QVERIFY(m_connection->isCluster());
    QVERIFY(m_connection->topology().coversAllSlots());
    QVERIFY2(m_connection->stateMessage().contains(QLatin1String("a cluster of 3 masters")),
             qPrintable(m_connection->stateMessage()));
}

void TestClusterConnection::cleanupTestCase()
{
    m_connection.reset();
    m_cluster.stop();
}

QByteArray TestClusterConnection::keyOn(int node, const QByteArray &prefix) const
{
    QString error;
    const auto topology = m_cluster.slotMap(node, &error);
    if (!topology) {
        qWarning() << "no slot map:" << error;
        return {};
    }
    for (int i = 0;; ++i) {
        const QByteArray key = prefix + ':' + QByteArray::number(i);
        if (topology->masterForKey(key)->port == m_cluster.port(node))
            return key;
    }
}

void TestClusterConnection::pipelinedRequestSpansEveryMaster()
{
    QList<QByteArray> keys;
    for (int node : std::as_const(m_masters))
        keys.append(keyOn(node, "spread"));
    QSignalSpy logged(m_connection.get(), &RedisConnection::requestLogged);
    QSignalSpy topologyChanged(m_connection.get(), &RedisConnection::topologyChanged);
    // Interleaved, so that putting the replies back in order matters.
    QList<RedisCommand> commands;
    for (int round = 1; round <= 2; ++round) {
        for (const QByteArray &key : std::as_const(keys))
            commands.append(
                RedisCommand({"XADD", key, "*", "round", QByteArray::number(round)}, key));
        for (const QByteArray &key : std::as_const(keys))
            commands.append(RedisCommand({"XLEN", key}, key));
    }
    commands.append(RedisCommand{"PING"});
    const auto result = exec(*m_connection, commands);
    QVERIFY(result);
    QVERIFY2(result->ok(), qPrintable(result->error));
    QCOMPARE(result->replies.size(), commands.size());
    for (int round = 0; round < 2; ++round) {
        for (int k = 0; k < keys.size(); ++k) {
            const RedisValue &id = result->replies.at(round * 6 + k);
            QVERIFY2(id.isString() && id.bytes().contains('-'), qPrintable(id.toDisplayString()));
            QCOMPARE(result->replies.at(round * 6 + 3 + k), RedisValue::integer(round + 1));
        }
    }
    QCOMPARE(result->replies.last(), RedisValue::status("PONG"));
    // Each stream is on its own master, where the slot map says.
    for (int k = 0; k < keys.size(); ++k)
        QCOMPARE(m_cluster.command(m_masters.at(k), {"XLEN", keys.at(k)}), RedisValue::integer(2));
    // One log entry for the request (the others: handshakes of the masters it reached).
    QTRY_COMPARE(requestsLogged(logged, QLatin1String("XLEN")), 1);
    // Sent where the slot map said: no MOVED, no second map.
    QCOMPARE(topologyChanged.size(), 0);
}

void TestClusterConnection::transactionGoesWholeToItsNode()
{
    // On a master other than the one opened, with keyless SCRIPT LOAD inside, as BulkRunner
    // sends its chunks.
    const QByteArray key = keyOn(m_masters.last(), "bulk");
    const auto result = exec(
        *m_connection, {RedisCommand{"MULTI"}, RedisCommand{"SCRIPT", "LOAD", "return 1"},
                        RedisCommand({"XADD", key, "*", "n", "1"}, key),
                        RedisCommand({"XADD", key, "*", "n", "2"}, key), RedisCommand{"EXEC"}});
    QVERIFY(result);
    QVERIFY2(result->ok(), qPrintable(result->error));
    QCOMPARE(result->replies.size(), 5);
    QCOMPARE(result->replies.at(0), RedisValue::status("OK"));
    QCOMPARE(result->replies.at(2), RedisValue::status("QUEUED"));
    const RedisValue exec = result->replies.at(4);
    QVERIFY2(exec.isArray() && exec.size() == 3, qPrintable(exec.toDisplayString()));
    QCOMPARE(m_cluster.command(m_masters.last(), {"XLEN", key}), RedisValue::integer(2));
}

void TestClusterConnection::transactionAcrossSlotsIsRefused()
{
    const QByteArray a = keyOn(m_masters.at(1), "across"), b = keyOn(m_masters.at(2), "across");
    const auto result =
        exec(*m_connection, {RedisCommand{"MULTI"}, RedisCommand({"XADD", a, "*", "n", "1"}, a),
                             RedisCommand({"XADD", b, "*", "n", "1"}, b), RedisCommand{"EXEC"}});
    QVERIFY(result);
    QCOMPARE(result->failure, RedisResult::Failure::ProtocolError);
    QVERIFY(!result->sent);
    QVERIFY2(result->error.contains(QLatin1String("different cluster slots")),
             qPrintable(result->error));
    // A script whose two keys are in different slots, likewise.
    const auto script = exec(*m_connection, {RedisCommand({"EVAL", "return 1", "2", a, b}, a)});
    QVERIFY(script);
    QCOMPARE(script->failure, RedisResult::Failure::ProtocolError);
    QCOMPARE(m_cluster.command(m_masters.at(1), {"EXISTS", a}), RedisValue::integer(0));
}

void TestClusterConnection::streamListingCoversEveryShard()
{
    QSet<QByteArray> streams;
    for (int node : std::as_const(m_masters)) {
        for (int i = 0; i < 5; ++i) {
            const QByteArray key = keyOn(node, "listed:" + QByteArray::number(i));
            QCOMPARE(
                command(*m_connection, RedisCommand({"XADD", key, "*", "n", "1"}, key)).isString(),
                true);
            const QByteArray other = "plain-" + key;
            QCOMPARE(command(*m_connection, RedisCommand({"SET", other, "1"}, other)),
                     RedisValue::status("OK"));
            streams.insert(key);
        }
    }
    // The streams written by the functions before.
    QSet<QByteArray> earlier;
    for (int node : std::as_const(m_masters)) {
        const RedisValue keys = m_cluster.command(node, {"KEYS", "*"});
        for (const RedisValue &k : keys.elements()) {
            if (m_cluster.command(node, {"TYPE", k.bytes()}) == RedisValue::status("stream"))
                earlier.insert(k.bytes());
        }
    }
    QVERIFY(earlier.contains(streams));

    int found = -1;
    QList<double> progress;
    const auto listed = listStreams(*m_connection, &found, &progress);
    QVERIFY(listed);
    QCOMPARE(*listed, earlier);
    QCOMPARE(found, earlier.size());
    // Each master's few keys come in one page: the progress says when a master is done.
    QCOMPARE(progress, (QList<double>{1.0 / 3, 2.0 / 3}));
}

void TestClusterConnection::cancelledWalkStops()
{
    int pages = 0;
    bool last = false;
    quint64 id = 0;
    QObject context;
    // Cancelled at its first page, while the first master's walk has more to go.
    id = m_connection->iterate(RedisCommand{"SCAN", "0", "COUNT", "1"}, &context,
                               [&](const RedisResult &r) {
        ++pages;
        last = !r.more;
        m_connection->cancel(id);
    });
    QTRY_VERIFY(pages > 0);
    const int atCancel = pages;
    // A request to every master after the cancel: answered after any page that was under way.
    QList<RedisCommand> pings;
    for (int node : std::as_const(m_masters)) {
        const QByteArray key = keyOn(node, "ping");
        pings.append(RedisCommand({"EXISTS", key}, key));
    }
    const auto result = exec(*m_connection, pings);
    QVERIFY(result && result->ok());
    QCOMPARE(pages, atCancel);
    QVERIFY(!last);
}

// One master does not answer in time: the whole request fails as Timeout, sent, and
// nothing is sent again; the connection stays usable and the master is used again after.
void TestClusterConnection::failedPartFailsTheRequest()
{
    const int paused = m_masters.at(2);
    const QByteArray a = keyOn(m_masters.at(0), "part"), b = keyOn(paused, "part");
    QSignalSpy states(m_connection.get(), &RedisConnection::stateChanged);
    QCOMPARE(m_cluster.command(paused, {"CLIENT", "PAUSE", "1500", "ALL"}),
             RedisValue::status("OK"));
    const auto result = exec(
        *m_connection,
        {RedisCommand({"XADD", a, "*", "n", "1"}, a), RedisCommand({"XADD", b, "*", "n", "1"}, b)},
        500);
    QVERIFY(result);
    QCOMPARE(result->failure, RedisResult::Failure::Timeout);
    QVERIFY(result->sent);
    QVERIFY(result->replies.isEmpty());
    QCOMPARE(m_cluster.command(m_masters.at(0), {"XLEN", a}), RedisValue::integer(1));

    // Once the pause is over, the same master serves the connection again, and the state
    // message says the node is back.
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
        const auto r = exec(*m_connection, {RedisCommand({"XLEN", b}, b)});
        return r && r->ok();
        }(),
        15000);
    QVERIFY(command(*m_connection, RedisCommand({"XLEN", b}, b)).toInteger() <= 1);
    QCOMPARE(m_connection->topology().masterForKey(b)->port, m_cluster.port(paused));
    QTRY_VERIFY_WITH_TIMEOUT(m_connection->stateMessage().contains(QLatin1String("(after: ")),
                             10000);
    QCOMPARE(m_connection->state(), ConnectionState::Connected);
    for (const QList<QVariant> &args : std::as_const(states))
        QCOMPARE(args.at(0).value<ConnectionState>(), ConnectionState::Connected);
}

void TestClusterConnection::monitorSamplesEveryMaster()
{
    QList<QByteArray> keys;
    QList<RedisCommand> setup;
    for (int node : std::as_const(m_masters)) {
        const QByteArray key = keyOn(node, "monitored" + QByteArray::number(node));
        keys.append(key);
        setup.append(RedisCommand({"XADD", key, "*", "n", "1"}, key));
        setup.append(RedisCommand({"XGROUP", "CREATE", key, "workers", "0"}, key));
    }
    const auto written = exec(*m_connection, setup);
    QVERIFY(written && written->ok());

    StreamMonitor monitor;
    monitor.setConnection(m_connection.get());
    monitor.setInterval(200); // every stream: it finds them with SCAN on every master
    monitor.start();
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
        const MonitorFigures &f = monitor.lastFigures();
        if (!f.ok)
            return false;
        for (const QByteArray &key : std::as_const(keys)) {
            if (f.values.value(SeriesKey{key, {}, {}, Metric::Length}) != 1.0
                || !f.values.contains(SeriesKey{key, "workers", {}, Metric::Lag}))
                return false;
        }
        return true;
        }(),
        15000);
}

void TestClusterConnection::slotMigrationIsFollowed()
{
    const int from = m_masters.at(1), to = m_masters.at(2);
    const QByteArray base = keyOn(from, "migrating");
    const QByteArray key = "{" + base + "}:jobs";
    const quint16 slot = keySlot(key);
    QVERIFY(command(*m_connection, RedisCommand({"XADD", key, "1-1", "n", "1"}, key)).isString());
    QString error;
    QVERIFY2(m_cluster.beginSlotMigration(slot, from, to, &error), qPrintable(error));
    QCOMPARE(m_cluster.migrateSlotKeys(slot, from, to, 100, &error), 1);

    // The stream is on `to`, the map still says `from`: ASK, followed without a map read.
    QSignalSpy topologyChanged(m_connection.get(), &RedisConnection::topologyChanged);
    QSignalSpy logged(m_connection.get(), &RedisConnection::requestLogged);
    auto result = exec(*m_connection, {RedisCommand({"XADD", key, "1-2", "n", "2"}, key),
                                       RedisCommand({"XRANGE", key, "-", "+"}, key)});
    QVERIFY(result);
    QVERIFY2(result->ok(), qPrintable(result->error));
    QCOMPARE(result->replies.at(0), RedisValue::string("1-2"));
    QCOMPARE(result->replies.at(1).size(), 2);
    QCOMPARE(topologyChanged.size(), 0);
    QTRY_COMPARE(requestsLogged(logged, QLatin1String("XRANGE")), 1);
    QCOMPARE(m_connection->topology().nodeForSlot(slot)->port, m_cluster.port(from));

    // Done: `from` answers MOVED, the command goes to `to`, and the map is read again.
    QVERIFY2(m_cluster.finishSlotMigration(slot, from, to, &error), qPrintable(error));
    result = exec(*m_connection, {RedisCommand({"XADD", key, "1-3", "n", "3"}, key),
                                  RedisCommand({"XLEN", key}, key)});
    QVERIFY(result);
    QVERIFY2(result->ok(), qPrintable(result->error));
    QCOMPARE(result->replies.at(0), RedisValue::string("1-3"));
    QCOMPARE(result->replies.at(1), RedisValue::integer(3));
    QTRY_VERIFY_WITH_TIMEOUT(!topologyChanged.isEmpty(), 10000);
    QTRY_COMPARE_WITH_TIMEOUT(m_connection->topology().nodeForSlot(slot)->port, m_cluster.port(to),
                              10000);
    QCOMPARE(m_cluster.command(to, {"XLEN", key}), RedisValue::integer(3));
}

void TestClusterConnection::redirectLoopIsBounded()
{
    MovedToItself server;
    ConnectionOptions o;
    o.host = QStringLiteral("127.0.0.1");
    o.port = server.port();
    o.connectTimeoutMs = 3000;
    o.commandTimeoutMs = 5000;
    RedisConnection connection(o);
    OPEN_CONNECTED(connection);
    QVERIFY(connection.isCluster());
    const RedisValue reply = command(connection, RedisCommand({"GET", "k"}, "k"));
    QVERIFY2(reply.isError(), qPrintable(reply.toDisplayString()));
    QVERIFY2(reply.bytes().contains("followed 5 cluster redirects")
                 && reply.bytes().contains("MOVED 3999"),
             reply.bytes().constData());
    QCOMPARE(server.gets, 1 + MaxClusterRedirects);
}

// Opened on a replica: writes, keyless commands and the listing go to the masters.
// What a node says of itself is asked of that node, replicas included, whatever the keys.
void TestClusterConnection::sendToNodeReachesThatNode()
{
    const ClusterTopology topology = m_connection->topology();
    QCOMPARE(topology.nodes().size(), 6);
    for (const ClusterNode &node : topology.nodes()) {
        std::optional<RedisResult> result;
        QObject context;
        m_connection->sendToNode(node.address(),
                                 {RedisCommand{"INFO", "server"}, RedisCommand{"ROLE"}}, &context,
                                 [&result](const RedisResult &r) { result = r; });
        QTRY_VERIFY_WITH_TIMEOUT(result.has_value(), 10000);
        QVERIFY2(result->ok(), qPrintable(result->error));
        QCOMPARE(infoField(result->replies.at(0), "tcp_port"), QByteArray::number(node.port));
        const QByteArray role = result->replies.at(1).elements().value(0).bytes();
        QCOMPARE(role, node.isMaster() ? QByteArray("master") : QByteArray("slave"));
    }
}

void TestClusterConnection::openedOnReplica()
{
    int replica = -1;
    for (int node = 0; node < m_cluster.nodeCount() && replica < 0; ++node)
        replica = m_masters.contains(node) ? -1 : node;
    QVERIFY(replica >= 0);
    ConnectionOptions o = m_cluster.options(replica);
    o.connectTimeoutMs = 3000;
    o.commandTimeoutMs = 5000;
    RedisConnection connection(o);
    OPEN_CONNECTED(connection);
    QVERIFY(connection.isCluster());
    QList<RedisCommand> commands;
    for (int node : std::as_const(m_masters)) {
        const QByteArray key = keyOn(node, "via-replica");
        commands.append(RedisCommand({"XADD", key, "*", "n", "1"}, key));
    }
    // Keyless, and refused by replicas ("WAIT cannot be used with replica instances").
    commands.append(RedisCommand{"WAIT", "0", "0"});
    const auto result = exec(connection, commands);
    QVERIFY(result);
    QVERIFY2(result->ok(), qPrintable(result->error));
    for (int i = 0; i < m_masters.size(); ++i) {
        QVERIFY2(result->replies.at(i).isString(),
                 qPrintable(result->replies.at(i).toDisplayString()));
    }
    QVERIFY2(result->replies.last().isInteger(),
             qPrintable(result->replies.last().toDisplayString()));

    const auto listed = listStreams(connection);
    QVERIFY(listed);
    for (const RedisCommand &c : std::as_const(commands)) {
        if (!c.key.isEmpty())
            QVERIFY2(listed->contains(c.key), c.key.constData());
    }
}

int TestClusterConnection::killAndRecover(int victim, const QByteArray &key)
{
    int heir = -1;
    for (int node = 0; node < m_cluster.nodeCount(); ++node) {
        if (node != victim && m_cluster.isRunning(node) && m_cluster.masterOf(node) == victim)
            heir = node;
    }
    if (heir < 0) {
        qWarning("master %d has no replica", victim);
        return -1;
    }
    // The replica has the entry before its master dies.
    if (command(*m_connection, RedisCommand({"XADD", key, "*", "n", "1"}, key)).isError()
        || command(*m_connection, RedisCommand({"WAIT", "1", "5000"}, key))
               != RedisValue::integer(1)) {
        qWarning("the replica did not get the entry");
        return -1;
    }
    QElapsedTimer timer;
    timer.start();
    m_cluster.kill(victim);
    int failed = 0;
    const bool recovered = QTest::qWaitFor(
        [&] {
        const auto r =
            exec(*m_connection, {RedisCommand({"XADD", key, "*", "n", "2"}, key),
                                 RedisCommand({"XLEN", key}, key), RedisCommand{"PING"}});
        const bool ok = r && r->ok() && r->replies.at(1).isInteger()
                        && r->replies.at(2) == RedisValue::status("PONG");
        failed += ok ? 0 : 1;
        return ok;
        },
        40000);
    if (!recovered) {
        qWarning("no success within 40 s of the kill");
        return -1;
    }
    qInfo("requests on the killed master's slots succeed again %lld ms after the kill "
          "(%d failed before)",
          timer.elapsed(), failed);
    return heir;
}

void TestClusterConnection::failoverIsFollowed()
{
    // A master other than the one opened, and a stream on it.
    const int victim = m_masters.at(1);
    const QByteArray key = keyOn(victim, "failover");
    QSignalSpy states(m_connection.get(), &RedisConnection::stateChanged);
    QSignalSpy masterChanged(m_connection.get(), &RedisConnection::masterChanged);
    const int heir = killAndRecover(victim, key);
    QVERIFY(heir >= 0);
    QCOMPARE(m_connection->state(), ConnectionState::Connected);
    QCOMPARE(m_connection->topology().masterForKey(key)->port, m_cluster.port(heir));
    // Said once, with both addresses.
    QTRY_COMPARE(masterChanged.size(), 1);
    QCOMPARE(masterChanged.at(0),
             (QList<QVariant>{QStringLiteral("127.0.0.1:%1").arg(m_cluster.port(victim)),
                              QStringLiteral("127.0.0.1:%1").arg(m_cluster.port(heir))}));
    for (const QList<QVariant> &args : std::as_const(states))
        QCOMPARE(args.at(0).value<ConnectionState>(), ConnectionState::Connected);
    QTRY_VERIFY(std::any_of(states.cbegin(), states.cend(), [](const QList<QVariant> &args) {
        return args.at(1).toString().contains(QLatin1String("Failover"));
    }));
    QVERIFY(m_cluster.command(heir, {"XLEN", key}).toInteger() >= 2);

    // Asked of the dead node itself, INFO fails: no other node answers in its place.
    std::optional<RedisResult> asked;
    QObject context;
    m_connection->sendToNode(
        QStringLiteral("127.0.0.1:%1").arg(m_cluster.port(victim)),
        {RedisCommand{"INFO", "server"}}, &context, [&asked](const RedisResult &r) { asked = r; },
        3000);
    QTRY_VERIFY_WITH_TIMEOUT(asked.has_value(), 10000);
    QVERIFY2(!asked->ok(),
             infoField(asked->replies.value(0), "tcp_port").prepend("answered by ").constData());
}

// The node the connection was opened on dies: keyless commands, the slot map and the walk
// over every master go on through the others.
void TestClusterConnection::openedNodeFailoverIsFollowed()
{
    const int victim = m_masters.first();
    const QByteArray key = keyOn(victim, "opened-failover");
    QSignalSpy states(m_connection.get(), &RedisConnection::stateChanged);
    const int heir = killAndRecover(victim, key);
    QVERIFY(heir >= 0);
    QCOMPARE(m_connection->state(), ConnectionState::Connected);
    QTRY_COMPARE_WITH_TIMEOUT(m_connection->topology().masterForKey(key)->port,
                              m_cluster.port(heir), 10000);
    for (const QList<QVariant> &args : std::as_const(states))
        QCOMPARE(args.at(0).value<ConnectionState>(), ConnectionState::Connected);

    const auto listed = listStreams(*m_connection);
    QVERIFY(listed);
    QVERIFY(listed->contains(key));
    QVERIFY(listed->contains(keyOn(m_masters.at(2), "listed:0")));
}

QTEST_GUILESS_MAIN(TestClusterConnection)

#include "tst_clusterconnection.moc"
