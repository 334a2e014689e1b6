// Weir against a real sentinel set (1 master, 1 replica, 3 sentinels on 127.0.0.1): found by
// master name, through unreachable, silent and lying sentinels, with every sentinel's answer
// in the error when none leads to the master, and followed through a failover (the master
// killed, or moved by the sentinels while it stays up), with the monitor sampling on after it.
#include "integrationsupport.h"
#include "localsentinelset.h"
#include "localserverbuild.h"
#include "streammonitor.h"

#include <QElapsedTimer>
#include <QTcpServer>
#include <QTcpSocket>

using namespace integration;

namespace {

// A RedisConnection for `options`, opened and connected, or the test fails.
#define OPEN_SENTINEL_CONNECTED(connection)                                                        \
    do {                                                                                           \
        (connection).open(true);                                                                   \
        QTRY_VERIFY2_WITH_TIMEOUT((connection).state() == ConnectionState::Connected,              \
                                  qPrintable((connection).stateMessage()), 15000);                 \
    } while (false)

#define START_SENTINELS(set)                                                                       \
    do {                                                                                           \
        QString startError_;                                                                       \
        QVERIFY2((set).start(&startError_), qPrintable(startError_));                              \
    } while (false)

// The TCP port the connection's server listens on, from INFO server.
int serverPort(RedisConnection &connection)
{
    return infoField(command(connection, {"INFO", "server"}), "tcp_port").toInt();
}

// How long a failover after killMaster() may take: the sentinels' down-after, then an
// election; when the votes split (it happens on a loaded machine) the sentinels try again
// only after twice the failover timeout; then the promotion, with margin for a busy CI.
int failoverBudgetMs(const LocalSentinelSet &set)
{
    return set.config().downAfterMs + 2 * set.config().failoverTimeoutMs + 15000;
}

// One reply from a server of the set, asked directly (nil when none came).
RedisValue ask(quint16 port, const QList<QByteArray> &argv)
{
    return LocalSentinelSet::query(port, argv).value_or(RedisValue());
}

QString local(quint16 port)
{
    return QStringLiteral("127.0.0.1:%1").arg(port);
}

// BLPOP on "jobs", which nobody pushes to: it blocks until the connection loses its server.
// Its result lands in *result, and *calls counts how often one came.
void blockOnJobs(RedisConnection &connection, QObject *context, std::optional<RedisResult> *result,
                 int *calls)
{
    connection.send(
        {RedisCommand{"BLPOP", "jobs", "0"}}, context,
        [result, calls](const RedisResult &r) {
        *result = r;
        ++*calls;
        },
        120000);
}

// Sets *role to what the server at `port` says it is (ROLE) whenever `connection` reports a
// new master: the old master's, to tell whether the connection moved before the sentinels
// turned it into a replica.
void recordRoleOnMasterChanged(RedisConnection &connection, quint16 port, QObject *context,
                               QByteArray *role)
{
    QObject::connect(&connection, &RedisConnection::masterChanged, context, [port, role] {
        const RedisValue reply = ask(port, {"ROLE"});
        *role = reply.isArray() ? reply.at(0).bytes() : QByteArray("no answer");
    });
}

} // namespace

class TestSentinel : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void connectsByMasterName();
    void skipsUnreachableSentinels();
    void skipsSilentSentinel();
    void checksRoleOfTheNamedServer();
    void unknownMasterNamesEverySentinel();
    void refusedSentinelAuthIsQuotedNotLogged();
    void followsFailover();
    void followsSwitchMaster();
    void resubscribesWhenItsSentinelDies();
    void monitorSamplesAfterFailover();

private:
    LocalSentinelSet m_set; // never failed over: the failover tests have sets of their own
};

void TestSentinel::initTestCase()
{
    QVERIFY2(LocalServerBuild::current().isValid(), qPrintable(LocalServerBuild::current().error));
    START_SENTINELS(m_set);
}

void TestSentinel::connectsByMasterName()
{
    RedisConnection connection(m_set.options());
    QSignalSpy changed(&connection, &RedisConnection::masterChanged);
    OPEN_SENTINEL_CONNECTED(connection);
    QVERIFY2(
        connection.stateMessage().contains(
            QStringLiteral("master %1 at %2").arg(m_set.masterName(), local(m_set.masterPort()))),
        qPrintable(connection.stateMessage()));
    QCOMPARE(serverPort(connection), int(m_set.masterPort()));
    const RedisValue role = command(connection, {"ROLE"});
    QCOMPARE(role.at(0).bytes(), QByteArray("master"));
    QVERIFY(command(connection, {"XADD", "orders", "*", "n", "1"}).isString());
    QCOMPARE(command(connection, {"XLEN", "orders"}).toInteger(), 1);
    QCOMPARE(connection.serverInfo().role, QStringLiteral("master"));
    QCOMPARE(changed.size(), 0); // the first master found is no failover
}

// Refused ports are passed over at once; the one sentinel left is enough.
void TestSentinel::skipsUnreachableSentinels()
{
    ConnectionOptions o = m_set.options();
    o.sentinels = {local(freeLoopbackPort()), local(freeLoopbackPort()), o.sentinels.last()};
    RedisConnection connection(o);
    OPEN_SENTINEL_CONNECTED(connection);
    QCOMPARE(serverPort(connection), int(m_set.masterPort()));
}

// A sentinel that accepts the connection but never answers costs its timeout (1 s), no more.
void TestSentinel::skipsSilentSentinel()
{
    QTcpServer silent;
    QVERIFY(silent.listen(QHostAddress::LocalHost, 0));
    ConnectionOptions o = m_set.options();
    o.sentinels = {local(silent.serverPort()), o.sentinels.first()};
    RedisConnection connection(o);
    QElapsedTimer timer;
    timer.start();
    OPEN_SENTINEL_CONNECTED(connection);
    const qint64 took = timer.elapsed();
    QVERIFY2(took >= 900 && took < 4000, qPrintable(QString::number(took)));
    QCOMPARE(serverPort(connection), int(m_set.masterPort()));
}

// A sentinel that names the replica (as one that lags behind a failover would): ROLE shows
// it is no master, and the next sentinel is asked.
void TestSentinel::checksRoleOfTheNamedServer()
{
    QTcpServer liar;
    QVERIFY(liar.listen(QHostAddress::LocalHost, 0));
    int asked = 0;
    const QByteArray port = QByteArray::number(m_set.replicaPort());
    connect(&liar, &QTcpServer::newConnection, this, [&] {
        while (QTcpSocket *s = liar.nextPendingConnection()) {
            connect(s, &QTcpSocket::readyRead, s, [&asked, s, port] {
                if (!s->readAll().contains("get-master-addr-by-name"))
                    return;
                ++asked;
                s->write("*2\r\n$9\r\n127.0.0.1\r\n$" + QByteArray::number(port.size()) + "\r\n"
                         + port + "\r\n");
            });
        }
    });
    ConnectionOptions o = m_set.options();
    o.sentinels = {local(liar.serverPort()), o.sentinels.first()};
    RedisConnection connection(o);
    OPEN_SENTINEL_CONNECTED(connection);
    QCOMPARE(asked, 1);
    QCOMPARE(serverPort(connection), int(m_set.masterPort()));

    // With only the liar, the error says what the replica's ROLE was.
    o.sentinels = {local(liar.serverPort())};
    RedisConnection fooled(o);
    fooled.open(false);
    QTRY_COMPARE_WITH_TIMEOUT(fooled.state(), ConnectionState::Failed, 10000);
    QVERIFY2(fooled.stateMessage().contains(
                 QStringLiteral("named %1, but its ROLE is slave").arg(local(m_set.replicaPort()))),
             qPrintable(fooled.stateMessage()));
}

void TestSentinel::unknownMasterNamesEverySentinel()
{
    ConnectionOptions o = m_set.options();
    const quint16 closed = freeLoopbackPort();
    o.sentinels.append(local(closed));
    o.masterName = QStringLiteral("nosuchmaster");
    RedisConnection connection(o);
    QObject context;
    std::optional<RedisResult> queued;
    connection.open(false);
    connection.send({RedisCommand{"PING"}}, &context, [&](const RedisResult &r) { queued = r; });
    QTRY_COMPARE_WITH_TIMEOUT(connection.state(), ConnectionState::Failed, 10000);
    const QString message = connection.stateMessage();
    QVERIFY2(message.contains(QStringLiteral("No sentinel led to the master nosuchmaster")),
             qPrintable(message));
    for (const QString &sentinel : m_set.sentinelAddresses()) {
        const QString answer =
            QStringLiteral("sentinel %1: it knows no master named \"nosuchmaster\"").arg(sentinel);
        QVERIFY2(message.contains(answer), qPrintable(message));
    }
    QVERIFY2(message.contains(QStringLiteral("sentinel %1: Connection refused").arg(local(closed))),
             qPrintable(message));
    // A request made while it tried was never sent, and says why.
    QTRY_VERIFY(queued.has_value());
    QCOMPARE(queued->failure, RedisResult::Failure::NotConnected);
    QVERIFY(!queued->sent);
    QCOMPARE(queued->error, message);
}

// These sentinels have no password: AUTH is refused, and the refusal is quoted as the
// sentinel worded it; the password appears neither there nor in the command log.
void TestSentinel::refusedSentinelAuthIsQuotedNotLogged()
{
    ConnectionOptions o = m_set.options();
    o.sentinelPassword = QStringLiteral("sentinel-secret-4711");
    RedisConnection connection(o);
    QSignalSpy logged(&connection, &RedisConnection::requestLogged);
    connection.open(false);
    QTRY_COMPARE_WITH_TIMEOUT(connection.state(), ConnectionState::Failed, 10000);
    const QString message = connection.stateMessage();
    QVERIFY2(message.count(QStringLiteral("ERR AUTH")) == m_set.sentinelAddresses().size(),
             qPrintable(message));
    QVERIFY(!message.contains(o.sentinelPassword));
    QCOMPARE(logged.size(), m_set.sentinelAddresses().size()); // one per sentinel asked
    for (const QList<QVariant> &args : logged) {
        const auto entry = args.at(0).value<CommandLogEntry>();
        QVERIFY2(entry.command.contains(QStringLiteral("SENTINEL get-master-addr-by-name")),
                 qPrintable(entry.command));
        QVERIFY2(!entry.command.contains(o.sentinelPassword), qPrintable(entry.command));
        QVERIFY2(!entry.result.contains(o.sentinelPassword), qPrintable(entry.result));
    }
}

// Kill the master: the connection finds the promoted replica by itself, says so, and writes
// go there. A request in flight at the time fails and is not sent again.
void TestSentinel::followsFailover()
{
    LocalSentinelSet set;
    START_SENTINELS(set);
    RedisConnection connection(set.options());
    QSignalSpy changed(&connection, &RedisConnection::masterChanged);
    OPEN_SENTINEL_CONNECTED(connection);
    QCOMPARE(serverPort(connection), int(set.masterPort()));

    // Blocks on the master until it dies; a resend would block on the new master, or pop.
    QObject context;
    std::optional<RedisResult> blocked;
    int calls = 0;
    blockOnJobs(connection, &context, &blocked, &calls);
    QTRY_COMPARE(infoField(ask(set.masterPort(), {"INFO", "clients"}), "blocked_clients"),
                 QByteArray("1"));

    QElapsedTimer sinceKill;
    set.killMaster();
    sinceKill.start();
    QTRY_VERIFY_WITH_TIMEOUT(blocked.has_value(), 5000);
    QCOMPARE(blocked->failure, RedisResult::Failure::ConnectionLost);
    QVERIFY(blocked->sent);

    const int budgetMs = failoverBudgetMs(set);
    QTRY_VERIFY2_WITH_TIMEOUT(changed.size() == 1, qPrintable(connection.stateMessage()), budgetMs);
    const qint64 followedMs = sinceKill.elapsed();
    QTRY_COMPARE(connection.state(), ConnectionState::Connected);
    qInfo("failover followed %lld ms after the master was killed (budget %d ms)", followedMs,
          budgetMs);
    QCOMPARE(changed.at(0).at(0).toString(), local(set.masterPort()));
    QCOMPARE(changed.at(0).at(1).toString(), local(set.replicaPort()));
    QVERIFY2(connection.stateMessage().contains(
                 QStringLiteral("Failover: master %1 moved from %2 to %3")
                     .arg(set.masterName(), local(set.masterPort()), local(set.replicaPort()))),
             qPrintable(connection.stateMessage()));

    QCOMPARE(serverPort(connection), int(set.replicaPort()));
    QCOMPARE(command(connection, {"ROLE"}).at(0).bytes(), QByteArray("master"));
    QVERIFY(command(connection, {"XADD", "orders", "*", "n", "2"}).isString());
    // The BLPOP was not sent again: nobody waits on "jobs", and a pushed job stays.
    QCOMPARE(infoField(command(connection, {"INFO", "clients"}), "blocked_clients"),
             QByteArray("0"));
    QCOMPARE(command(connection, {"RPUSH", "jobs", "j1"}).toInteger(), 1);
    QCOMPARE(command(connection, {"LLEN", "jobs"}).toInteger(), 1);
    QCOMPARE(calls, 1);
}

// SENTINEL FAILOVER, as an operator would start it: the old master stays up and keeps Weir's
// connection, and takes writes until the sentinels turn it into a replica (8 s or more after
// the switch). Weir hears +switch-master and moves at once: the request in flight fails and
// is not sent again, and the next write lands on the new master while the old one still
// calls itself master.
void TestSentinel::followsSwitchMaster()
{
    LocalSentinelSet set;
    START_SENTINELS(set);
    RedisConnection connection(set.options());
    QSignalSpy changed(&connection, &RedisConnection::masterChanged);
    OPEN_SENTINEL_CONNECTED(connection);
    QCOMPARE(serverPort(connection), int(set.masterPort()));
    QTRY_VERIFY_WITH_TIMEOUT(set.subscribers() > 0, 10000);

    QObject context;
    std::optional<RedisResult> blocked;
    int calls = 0;
    blockOnJobs(connection, &context, &blocked, &calls);
    QTRY_COMPARE(infoField(ask(set.masterPort(), {"INFO", "clients"}), "blocked_clients"),
                 QByteArray("1"));
    QByteArray oldRoleAtSwitch;
    recordRoleOnMasterChanged(connection, set.masterPort(), &context, &oldRoleAtSwitch);

    QElapsedTimer sinceFailover;
    QVERIFY(set.startFailover());
    sinceFailover.start();

    QTRY_VERIFY2_WITH_TIMEOUT(changed.size() == 1, qPrintable(connection.stateMessage()),
                              set.config().failoverTimeoutMs + 20000);
    const qint64 followedMs = sinceFailover.elapsed();
    qInfo("master followed %lld ms after SENTINEL FAILOVER", followedMs);
    QCOMPARE(changed.at(0).at(0).toString(), local(set.masterPort()));
    QCOMPARE(changed.at(0).at(1).toString(), local(set.replicaPort()));
    QCOMPARE(oldRoleAtSwitch, QByteArray("master"));
    QTRY_COMPARE(connection.state(), ConnectionState::Connected);
    QVERIFY2(connection.stateMessage().contains(
                 QStringLiteral("Failover: master %1 moved from %2 to %3")
                     .arg(set.masterName(), local(set.masterPort()), local(set.replicaPort()))),
             qPrintable(connection.stateMessage()));

    QVERIFY(blocked.has_value());
    QCOMPARE(blocked->failure, RedisResult::Failure::ConnectionLost);
    QVERIFY(blocked->sent);
    QVERIFY2(blocked->error.contains(QStringLiteral("the sentinels moved master %1 to %2")
                                         .arg(set.masterName(), local(set.replicaPort()))),
             qPrintable(blocked->error));

    QCOMPARE(serverPort(connection), int(set.replicaPort()));
    QVERIFY(command(connection, {"XADD", "orders", "*", "n", "1"}).isString());
    QCOMPARE(ask(set.replicaPort(), {"XLEN", "orders"}).toInteger(), 1);
    QCOMPARE(infoField(command(connection, {"INFO", "clients"}), "blocked_clients"),
             QByteArray("0"));
    QCOMPARE(calls, 1);
}

// The sentinel Weir listens to for +switch-master dies: Weir subscribes on another one, and
// hears of the next failover from there.
void TestSentinel::resubscribesWhenItsSentinelDies()
{
    LocalSentinelSet set;
    START_SENTINELS(set);
    RedisConnection connection(set.options());
    QSignalSpy changed(&connection, &RedisConnection::masterChanged);
    OPEN_SENTINEL_CONNECTED(connection);
    // The sentinel that led to the master, the first, is the one listened to.
    QTRY_COMPARE_WITH_TIMEOUT(set.subscribers(0), 1, 10000);
    QCOMPARE(set.subscribers(), 1);
    set.killSentinel(0);
    QTRY_COMPARE_WITH_TIMEOUT(set.subscribers(1) + set.subscribers(2), 1, 10000);
    QCOMPARE(connection.state(), ConnectionState::Connected);

    QObject context;
    QByteArray oldRoleAtSwitch;
    recordRoleOnMasterChanged(connection, set.masterPort(), &context, &oldRoleAtSwitch);
    QVERIFY(set.startFailover());
    QTRY_VERIFY2_WITH_TIMEOUT(changed.size() == 1, qPrintable(connection.stateMessage()),
                              set.config().failoverTimeoutMs + 20000);
    QCOMPARE(oldRoleAtSwitch, QByteArray("master"));
    QTRY_COMPARE(connection.state(), ConnectionState::Connected);
    QCOMPARE(serverPort(connection), int(set.replicaPort()));
}

// The stream monitor, left running, samples the new master after a failover.
void TestSentinel::monitorSamplesAfterFailover()
{
    LocalSentinelSet set;
    START_SENTINELS(set);
    RedisConnection connection(set.options());
    QSignalSpy changed(&connection, &RedisConnection::masterChanged);
    OPEN_SENTINEL_CONNECTED(connection);
    QVERIFY(command(connection, {"XADD", "s", "*", "n", "1"}).isString());

    StreamMonitor monitor;
    monitor.setConnection(&connection);
    monitor.setWatched({"s"});
    monitor.setInterval(200);
    QSignalSpy sampled(&monitor, &StreamMonitor::sampled);
    monitor.start();
    const SeriesKey length{"s", {}, {}, Metric::Length};
    auto lengthSeen = [&sampled, &length](double want) {
        return std::any_of(sampled.cbegin(), sampled.cend(), [&](const QList<QVariant> &args) {
            const auto f = args.at(0).value<MonitorFigures>();
            return f.ok && f.values.value(length, -1) == want;
        });
    };
    QTRY_VERIFY_WITH_TIMEOUT(lengthSeen(1), 5000);
    // The replica has the entry before the master goes.
    QTRY_COMPARE(ask(set.replicaPort(), {"XLEN", "s"}).toInteger(), 1);

    set.killMaster();
    const int budgetMs = failoverBudgetMs(set);
    QTRY_VERIFY2_WITH_TIMEOUT(changed.size() == 1, qPrintable(connection.stateMessage()), budgetMs);
    sampled.clear();
    QVERIFY(command(connection, {"XADD", "s", "*", "n", "2"}).isString());
    QVERIFY(command(connection, {"XADD", "s", "*", "n", "3"}).isString());
    QTRY_VERIFY_WITH_TIMEOUT(lengthSeen(3), 5000);
    QVERIFY(monitor.isRunning());
}

QTEST_GUILESS_MAIN(TestSentinel)
#include "tst_sentinel.moc"
