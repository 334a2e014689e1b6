// LocalRedisServer, the fixture the other tests, the demo and the GUI tests stand on:
// ports, restarts, configuration lines, and that the server never outlives its parent.

#include "integrationsupport.h"

#include <QProcess>
#include <QTcpServer>
#include <QTcpSocket>
#include <QtTest>

#include <cstdio>

using namespace integration;

namespace {

// Whether something accepts TCP connections on the loopback port.
bool accepts(quint16 port)
{
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, port);
    return socket.waitForConnected(1000);
}

constexpr char ChildVariable[] = "WEIR_TEST_SERVER_CHILD";

// The child mode of this program: start a server, print "<pid> <port>", wait to be killed.
int runServerChild(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    LocalRedisServer server;
    QString error;
    if (!server.start(&error)) {
        std::fprintf(stderr, "%s\n", qPrintable(error));
        return 1;
    }
    std::printf("%lld %u\n", static_cast<long long>(server.pid()), unsigned(server.port()));
    waitToBeKilled();
}

} // namespace

class TestLocalRedisServer : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void startAndStop();
    void restartOnFixedPort();
    void fixedPortInUse();
    void extraLines();
    void badConfigurationFailsFast();
    void diesWithParent();
};

void TestLocalRedisServer::startAndStop()
{
    LocalRedisServer server;
    QVERIFY(!server.isRunning());
    START_SERVER(server);
    QVERIFY(server.isRunning());
    QVERIFY(server.port() != 0);
    QVERIFY(server.pid() > 0);
    QVERIFY(accepts(server.port()));
    QVERIFY(server.log().contains(QLatin1String("Ready to accept connections")));
    const qint64 pid = server.pid();

    server.stop();
    QVERIFY(!server.isRunning());
    QVERIFY(processEnded(pid));
    QVERIFY(!accepts(server.port()));
}

void TestLocalRedisServer::restartOnFixedPort()
{
    LocalRedisServer::Config config;
    config.port = freeLoopbackPort();
    LocalRedisServer server(config);
    START_SERVER(server);
    const qint64 first = server.pid();
    server.kill();
    QVERIFY(!server.isRunning());
    QVERIFY(processEnded(first));
    START_SERVER(server);
    QCOMPARE(server.port(), config.port);
    QVERIFY(server.pid() != first);
    RedisConnection connection(quickOptions(server));
    OPEN_CONNECTED(connection);
    QCOMPARE(command(connection, {"PING"}), RedisValue::status("PONG"));
}

void TestLocalRedisServer::fixedPortInUse()
{
    QTcpServer squatter;
    QVERIFY(squatter.listen(QHostAddress::LocalHost, 0));
    LocalRedisServer::Config config;
    config.port = squatter.serverPort();
    LocalRedisServer server(config);
    QElapsedTimer clock;
    clock.start();
    QString error;
    QVERIFY(!server.start(&error));
    QVERIFY2(error.contains(QLatin1String("Address already in use")), qPrintable(error));
    QVERIFY2(clock.elapsed() < 5000, qPrintable(QString::number(clock.elapsed())));
    QVERIFY(!server.isRunning());
}

void TestLocalRedisServer::extraLines()
{
    LocalRedisServer::Config config;
    config.extraLines << QStringLiteral("databases 4") << QStringLiteral("maxclients 77");
    LocalRedisServer server(config);
    START_SERVER(server);
    RedisConnection connection(quickOptions(server));
    OPEN_CONNECTED(connection);
    QCOMPARE(command(connection, {"CONFIG", "GET", "databases"}),
             RedisValue::array({RedisValue::string("databases"), RedisValue::string("4")}));
    QCOMPARE(command(connection, {"CONFIG", "GET", "maxclients"}),
             RedisValue::array({RedisValue::string("maxclients"), RedisValue::string("77")}));
    QCOMPARE(command(connection, {"SELECT", "4"}).errorCode(), QByteArray("ERR"));
}

void TestLocalRedisServer::badConfigurationFailsFast()
{
    LocalRedisServer::Config config;
    config.extraLines << QStringLiteral("no-such-directive yes");
    LocalRedisServer server(config);
    QElapsedTimer clock;
    clock.start();
    QString error;
    QVERIFY(!server.start(&error));
    QVERIFY2(error.contains(QLatin1String("no-such-directive")), qPrintable(error));
    QVERIFY2(clock.elapsed() < 5000, qPrintable(QString::number(clock.elapsed())));
    QVERIFY(!server.isRunning());
}

// A crashed Weir or test must not leave a redis-server behind.
void TestLocalRedisServer::diesWithParent()
{
    QProcess child;
    const QList<QByteArray> fields = startChild(child, ChildVariable, 10000);
    QCOMPARE(fields.size(), 2);
    const qint64 pid = fields.at(0).toLongLong();
    const quint16 port = quint16(fields.at(1).toUInt());
    QVERIFY(pid > 0 && port > 0);
    QVERIFY(!processEnded(pid));
    QVERIFY(accepts(port));

    child.kill(); // SIGKILL: no destructor runs, as in a crash
    QVERIFY(child.waitForFinished(5000));
    QTRY_VERIFY_WITH_TIMEOUT(processEnded(pid), 5000);
    QVERIFY(!accepts(port));
}

int main(int argc, char *argv[])
{
    if (qEnvironmentVariableIsSet(ChildVariable))
        return runServerChild(argc, argv);
    QCoreApplication app(argc, argv);
    TestLocalRedisServer test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}

#include "tst_localredisserver.moc"
