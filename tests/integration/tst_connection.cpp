// RedisConnection against real redis-server processes: transports, handshake,
// authentication, timeouts, pipelining, the read-only mode and recovery.

#include "integrationsupport.h"
#include "localserverbuild.h"
#include "serverversion.h"

#include "errorhint.h"
#include "respcodec.h"

#include <QElapsedTimer>
#include <QFile>
#include <QSet>
#include <QTcpServer>
#include <QTcpSocket>
#include <QtTest>

#include <memory>

using namespace integration;

class TestConnection : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void tcpReportsServerInfo();
    void unixSocket();
    void unixSocketMissing_data();
    void unixSocketMissing();
    void selectDatabase();
    void databaseOutOfRange();
    void serverClosesConnection();
    void maxClientsReached();
    void aclUserWithLimitedPermissions();
    void wrongPassword();
    void passwordRequired();
    void passwordOnServerWithoutOne();
    void emptyCommandIsRefused();
    void cursorWalk();
    void cursorWalkCancelled();
    void callbackWithoutContext();
    void connectionRefused();
    void connectTimeout();
    void commandTimeout();
    void slowRequestDoesNotStallLaterDeadline();
    void requestsWhileConnecting();
    void closeAndReopen();
    void binarySafeValues();
    void pipelining();
    void readOnlyRefusesWrites();
    void reconnectAfterServerRestart_data();
    void reconnectAfterServerRestart();
    void openWhileReconnecting();
    void deeplyNestedReply();
    void destroyWithRequestsInFlight();
    void destroyWhileConnecting();
};

void TestConnection::initTestCase()
{
    QVERIFY2(LocalServerBuild::current().isValid(), qPrintable(LocalServerBuild::current().error));
}

void TestConnection::tcpReportsServerInfo()
{
    LocalRedisServer server;
    START_SERVER(server);
    RedisConnection connection(quickOptions(server));
    QSignalSpy states(&connection, &RedisConnection::stateChanged);
    QSignalSpy infos(&connection, &RedisConnection::serverInfoChanged);
    OPEN_CONNECTED(connection);

    QCOMPARE(integration::states(states),
             (QList<ConnectionState>{ConnectionState::Connecting, ConnectionState::Connected}));
    QCOMPARE(infos.count(), 1);
    // The server is identified as `redis-server --version` names it: "Valkey 8.0.1", with
    // the Redis version it stands for (7.2.4) switching features on.
    const ServerInfo info = connection.serverInfo();
    const ServerInfo &expected = testserver::info();
    QCOMPARE(info.displayName(), expected.displayName());
    QCOMPARE(int(info.product), int(expected.product));
    QCOMPARE(info.major, expected.major);
    QCOMPARE(info.minor, expected.minor);
    QCOMPARE(info.redisVersion.isEmpty(), false);
    QCOMPARE(info.mode, QStringLiteral("standalone"));
    QCOMPARE(info.role, QStringLiteral("master"));
    QVERIFY(!info.os.isEmpty()); // from INFO server
    QCOMPARE(info.hasGroupLag(), testserver::isAtLeast(7, 0));
    QVERIFY2(connection.stateMessage().contains(info.displayName()),
             qPrintable(connection.stateMessage()));

    // The handshake named the connection.
    QCOMPARE(command(connection, {"CLIENT", "GETNAME"}), RedisValue::string("weir"));
    QCOMPARE(command(connection, {"PING"}), RedisValue::status("PONG"));
}

void TestConnection::unixSocket()
{
    LocalRedisServer::Config config;
    config.unixSocket = true;
    LocalRedisServer server(config);
    START_SERVER(server);
    RedisConnection connection(quickOptions(server, true));
    QCOMPARE(connection.options().transport, ConnectionOptions::Transport::Unix);
    OPEN_CONNECTED(connection);
    QCOMPARE(connection.serverInfo().role, QStringLiteral("master"));
    QVERIFY(!connection.serverInfo().version.isEmpty());

    // It really is the socket: the server sees a unix client.
    const RedisValue info = command(connection, {"CLIENT", "INFO"});
    QVERIFY2(info.bytes().contains("addr=" + server.socketPath().toUtf8())
                 || info.bytes().contains("addr=/"),
             info.bytes().constData());
    QCOMPARE(command(connection, {"SET", "k", "v"}), RedisValue::status("OK"));
    QCOMPARE(command(connection, {"GET", "k"}), RedisValue::string("v"));
}

void TestConnection::selectDatabase()
{
    LocalRedisServer server;
    START_SERVER(server);
    ConnectionOptions options = quickOptions(server);
    options.database = 3;
    RedisConnection db3(options);
    RedisConnection db0(quickOptions(server));
    OPEN_CONNECTED(db3);
    OPEN_CONNECTED(db0);

    QVERIFY(command(db3, {"CLIENT", "INFO"}).bytes().contains(" db=3 "));
    QCOMPARE(command(db3, {"SET", "only-in-3", "x"}), RedisValue::status("OK"));
    QCOMPARE(command(db0, {"EXISTS", "only-in-3"}), RedisValue::integer(0));
    QCOMPARE(command(db0, {"SELECT", "3"}), RedisValue::status("OK"));
    QCOMPARE(command(db0, {"EXISTS", "only-in-3"}), RedisValue::integer(1));
}

void TestConnection::unixSocketMissing_data()
{
    QTest::addColumn<bool>("staleFile");
    QTest::addColumn<QString>("expected");
    QTest::addColumn<QString>("hint");
    QTest::newRow("no such file") << false << QStringLiteral("not found")
                                  << QStringLiteral("No such socket");
    QTest::newRow("stale socket file")
        << true << QStringLiteral("refused") << QStringLiteral("Nothing is listening");
}

void TestConnection::unixSocketMissing()
{
    QFETCH(bool, staleFile);
    QFETCH(QString, expected);
    QFETCH(QString, hint);
    LocalRedisServer::Config config;
    config.unixSocket = true;
    LocalRedisServer server(config);
    if (staleFile) {
        START_SERVER(server);
        server.kill(); // no clean shutdown: the socket file stays
        QVERIFY(QFile::exists(server.socketPath()));
    }
    ConnectionOptions options = quickOptions(server, true);
    RedisConnection connection(options);
    connection.open(false);
    QTRY_COMPARE(connection.state(), ConnectionState::Failed);
    const QString message = connection.stateMessage();
    QVERIFY2(message.contains(options.socketPath), qPrintable(message));
    QVERIFY2(message.contains(expected, Qt::CaseInsensitive), qPrintable(message));
    QVERIFY2(errorHint(message).contains(hint), qPrintable(message));
}

void TestConnection::databaseOutOfRange()
{
    LocalRedisServer server;
    START_SERVER(server);
    ConnectionOptions options = quickOptions(server);
    options.database = 99; // the default server has 16
    RedisConnection connection(options);
    QSignalSpy states(&connection, &RedisConnection::stateChanged);
    connection.open(true);
    QTRY_COMPARE(connection.state(), ConnectionState::Failed);
    const QString message = connection.stateMessage();
    QVERIFY2(message.contains(QLatin1String("DB index is out of range")), qPrintable(message));
    QVERIFY2(message.contains(QLatin1String("99")), qPrintable(message));
    QVERIFY(!errorHint(message).isEmpty());
    QVERIFY(!integration::states(states).contains(ConnectionState::Reconnecting));

    // Requests on a failed connection fail at once, unsent.
    const auto r = exec(connection, {{"PING"}});
    QVERIFY(r);
    QCOMPARE(r->failure, RedisResult::Failure::NotConnected);
    QVERIFY(!r->sent);
}

// The server drops the client (CLIENT KILL, a restart, an idle timeout): Weir reconnects,
// with the same database selected again.
void TestConnection::serverClosesConnection()
{
    LocalRedisServer server;
    START_SERVER(server);
    RedisConnection admin(quickOptions(server));
    ConnectionOptions options = quickOptions(server);
    options.database = 2;
    RedisConnection connection(options);
    OPEN_CONNECTED(admin);
    OPEN_CONNECTED(connection);
    QSignalSpy states(&connection, &RedisConnection::stateChanged);
    const RedisValue id = command(connection, {"CLIENT", "ID"});
    QVERIFY(id.isInteger());
    QCOMPARE(command(admin, {"CLIENT", "KILL", "ID", QByteArray::number(id.toInteger())}),
             RedisValue::integer(1));
    QTRY_COMPARE(connection.state(), ConnectionState::Reconnecting);
    QVERIFY2(connection.stateMessage().contains(QLatin1String("closed the connection")),
             qPrintable(connection.stateMessage()));
    QTRY_COMPARE(connection.state(), ConnectionState::Connected);
    QVERIFY(command(connection, {"CLIENT", "ID"}) != id);
    QVERIFY(command(connection, {"CLIENT", "INFO"}).bytes().contains(" db=2 "));
    QCOMPARE(integration::states(states),
             (QList<ConnectionState>{ConnectionState::Reconnecting, ConnectionState::Connected}));
}

// The server accepts the connection, answers with an error and hangs up: the error is
// what the user needs to see, not just "closed".
void TestConnection::maxClientsReached()
{
    LocalRedisServer::Config config;
    config.extraLines << QStringLiteral("maxclients 1");
    LocalRedisServer server(config);
    START_SERVER(server);
    RedisConnection first(quickOptions(server));
    OPEN_CONNECTED(first);
    RedisConnection second(quickOptions(server));
    second.open(false);
    QTRY_COMPARE(second.state(), ConnectionState::Failed);
    const QString message = second.stateMessage();
    QVERIFY2(message.contains(QLatin1String("max number of clients reached")), qPrintable(message));
    QVERIFY2(errorHint(message).contains(QLatin1String("maxclients")), qPrintable(message));
    QCOMPARE(command(first, {"PING"}), RedisValue::status("PONG"));
}

void TestConnection::aclUserWithLimitedPermissions()
{
    LocalRedisServer server;
    START_SERVER(server);
    RedisConnection admin(quickOptions(server));
    OPEN_CONNECTED(admin);
    // Reads and connection commands, but not INFO: the handshake's INFO fails, HELLO works.
    QCOMPARE(command(admin, {"ACL", "SETUSER", "reader", "on", ">readerpw", "~*", "+@read",
                             "+@connection", "-info"}),
             RedisValue::status("OK"));
    QCOMPARE(command(admin, {"SET", "greeting", "hello"}), RedisValue::status("OK"));

    ConnectionOptions options = quickOptions(server);
    options.username = QStringLiteral("reader");
    options.password = QStringLiteral("readerpw");
    RedisConnection reader(options);
    OPEN_CONNECTED(reader);
    // HELLO alone identifies it as INFO did for the admin (Valkey's Redis version too).
    const ServerInfo info = reader.serverInfo();
    QCOMPARE(info.displayName(), admin.serverInfo().displayName());
    QCOMPARE(info.redisVersion, admin.serverInfo().redisVersion);
    QCOMPARE(info.major, testserver::info().major);
    QCOMPARE(info.mode, QStringLiteral("standalone"));
    QCOMPARE(info.role, QStringLiteral("master"));

    QCOMPARE(command(reader, {"ACL", "WHOAMI"}).type(), RedisValue::Type::Error); // not @read
    QCOMPARE(command(reader, {"GET", "greeting"}), RedisValue::string("hello"));

    // A command outside the user's permissions: the error reply comes back verbatim, as a
    // reply (not a failure), and the connection stays up.
    const auto r = exec(reader, {{"SET", "greeting", "bye"}});
    QVERIFY(r);
    QVERIFY2(r->ok(), qPrintable(r->error));
    QCOMPARE(r->replies.size(), 1);
    const RedisValue denied = r->replies.first();
    QVERIFY(denied.isError());
    // The wording differs between servers ("User reader has no permissions…", "this user
    // has no permissions…"): the class and the command are what every one of them says.
    QCOMPARE(denied.errorCode(), QByteArray("NOPERM"));
    QVERIFY2(denied.bytes().contains("'set'"), denied.bytes().constData());
    QVERIFY(errorHint(QString::fromUtf8(denied.bytes())).contains(QLatin1String("ACL")));
    QCOMPARE(reader.state(), ConnectionState::Connected);
    QCOMPARE(command(admin, {"GET", "greeting"}), RedisValue::string("hello"));
}

void TestConnection::wrongPassword()
{
    LocalRedisServer::Config config;
    config.extraLines << QStringLiteral("requirepass secret");
    LocalRedisServer server(config);
    START_SERVER(server);

    ConnectionOptions good = quickOptions(server);
    good.password = QStringLiteral("secret");
    RedisConnection admin(good);
    OPEN_CONNECTED(admin);

    ConnectionOptions bad = quickOptions(server);
    bad.password = QStringLiteral("not-the-secret");
    RedisConnection connection(bad);
    QSignalSpy states(&connection, &RedisConnection::stateChanged);
    connection.open(true); // even with automatic reconnection
    QTRY_COMPARE(connection.state(), ConnectionState::Failed);
    const QString message = connection.stateMessage();
    QVERIFY2(message.startsWith(QLatin1String("WRONGPASS")), qPrintable(message));
    QVERIFY(errorHint(message).contains(QLatin1String("password")));

    // Wrong credentials do not fix themselves: no retries. Give a retry (500 ms backoff)
    // more than enough time to happen, then check that none did.
    const RedisValue before = command(admin, {"INFO", "stats"});
    QTest::qWait(1500);
    const RedisValue after = command(admin, {"INFO", "stats"});
    // The admin's INFO opens no connection, so any difference would be a retry.
    QCOMPARE(infoField(after, "total_connections_received"),
             infoField(before, "total_connections_received"));
    QCOMPARE(integration::states(states),
             (QList<ConnectionState>{ConnectionState::Connecting, ConnectionState::Failed}));
}

void TestConnection::passwordOnServerWithoutOne()
{
    LocalRedisServer server;
    START_SERVER(server);
    ConnectionOptions options = quickOptions(server);
    options.password = QStringLiteral("needless");
    RedisConnection connection(options);
    connection.open(false);
    QTRY_COMPARE(connection.state(), ConnectionState::Failed);
    const QString message = connection.stateMessage();
    QVERIFY2(message.contains(QLatin1String("without any password configured")),
             qPrintable(message));
    QVERIFY(errorHint(message).contains(QLatin1String("no password set")));
}

void TestConnection::emptyCommandIsRefused()
{
    LocalRedisServer server;
    START_SERVER(server);
    RedisConnection connection(quickOptions(server));
    OPEN_CONNECTED(connection);
    // "*0" would be sent and never answered: it is refused at once instead.
    QElapsedTimer timer;
    timer.start();
    const auto r = integration::exec(connection, {RedisCommand{{"PING"}}, RedisCommand{}});
    QVERIFY(r);
    QCOMPARE(r->failure, RedisResult::Failure::ProtocolError);
    QVERIFY(!r->sent);
    QVERIFY2(timer.elapsed() < 1000, qPrintable(QString::number(timer.elapsed())));
    QCOMPARE(command(connection, {"PING"}), RedisValue::status("PONG"));
}

void TestConnection::cursorWalk()
{
    LocalRedisServer server;
    START_SERVER(server);
    RedisConnection connection(quickOptions(server));
    OPEN_CONNECTED(connection);
    QCOMPARE(command(connection, {"DEBUG", "POPULATE", "3000", "key"}), RedisValue::status("OK"));

    QSet<QByteArray> keys;
    QList<bool> more;
    connection.iterate(RedisCommand{"SCAN", "0", "COUNT", "100"}, this, [&](const RedisResult &r) {
        QVERIFY(r.ok());
        for (const RedisValue &k : r.replies.at(0).at(1).elements())
            keys.insert(k.bytes());
        more.append(r.more);
    });
    QTRY_VERIFY(!more.isEmpty() && !more.last());
    QCOMPARE(keys.size(), 3000);
    QVERIFY2(more.size() > 10, qPrintable(QString::number(more.size())));
    QCOMPARE(more.count(false), 1); // only the last page says it is the last

    // A walk is one command with a cursor: anything else is refused unsent.
    RedisRequest bad;
    bad.commands = {RedisCommand{"SCAN", "0"}, RedisCommand{"PING"}};
    bad.iterate = true;
    QSignalSpy finished(&connection, &RedisConnection::finished);
    const quint64 id = connection.send(bad);
    QTRY_COMPARE(finished.size(), 1);
    const auto r = finished.at(0).at(0).value<RedisResult>();
    QCOMPARE(r.id, id);
    QCOMPARE(r.failure, RedisResult::Failure::ProtocolError);
    QVERIFY(!r.sent);
}

void TestConnection::cursorWalkCancelled()
{
    LocalRedisServer server;
    START_SERVER(server);
    RedisConnection connection(quickOptions(server));
    OPEN_CONNECTED(connection);
    QCOMPARE(command(connection, {"DEBUG", "POPULATE", "20000", "key"}), RedisValue::status("OK"));
    QCOMPARE(command(connection, {"CONFIG", "RESETSTAT"}), RedisValue::status("OK"));

    int pages = 0;
    quint64 id = 0;
    // COUNT 1: the whole walk would take some 20,000 pages.
    id =
        connection.iterate(RedisCommand{"SCAN", "0", "COUNT", "1"}, this, [&](const RedisResult &) {
            if (++pages == 1)
                connection.cancel(id);
        });
    QTRY_COMPARE(pages, 1);
    const auto scanCalls = [&connection] {
        const QByteArray stat =
            infoField(command(connection, {"INFO", "commandstats"}), "cmdstat_scan");
        return stat.mid(stat.indexOf("calls=") + 6).split(',').first().toInt();
    };
    // The worker ran ahead of the callback for a few pages, then stopped for good.
    const int calls = scanCalls();
    QVERIFY2(calls >= 1 && calls < 10000, qPrintable(QString::number(calls)));
    QCOMPARE(command(connection, {"PING"}), RedisValue::status("PONG"));
    QCOMPARE(scanCalls(), calls);
    QCOMPARE(pages, 1);
}

void TestConnection::callbackWithoutContext()
{
    LocalRedisServer server;
    START_SERVER(server);
    RedisConnection connection(quickOptions(server));
    OPEN_CONNECTED(connection);
    bool called = false;
    connection.send({RedisCommand{"PING"}}, nullptr,
                    [&called](const RedisResult &r) { called = r.ok(); });
    QTRY_VERIFY(called);
}

void TestConnection::passwordRequired()
{
    LocalRedisServer::Config config;
    config.extraLines << QStringLiteral("requirepass secret");
    LocalRedisServer server(config);
    START_SERVER(server);
    RedisConnection connection(quickOptions(server));
    QSignalSpy states(&connection, &RedisConnection::stateChanged);
    connection.open(true);
    QTRY_COMPARE(connection.state(), ConnectionState::Failed);
    const QString message = connection.stateMessage();
    QVERIFY2(message.startsWith(QLatin1String("NOAUTH")), qPrintable(message));
    QVERIFY(errorHint(message).contains(QLatin1String("requires authentication")));
    QVERIFY(!integration::states(states).contains(ConnectionState::Reconnecting));
}

void TestConnection::connectionRefused()
{
    ConnectionOptions options;
    options.host = QStringLiteral("127.0.0.1");
    options.port = freeLoopbackPort();
    QVERIFY(options.port != 0);

    {
        RedisConnection connection(options);
        connection.open(false);
        QTRY_COMPARE(connection.state(), ConnectionState::Failed);
        const QString message = connection.stateMessage();
        QVERIFY2(message.contains(QLatin1String("refused"), Qt::CaseInsensitive),
                 qPrintable(message));
        QVERIFY2(message.contains(options.endpoint()), qPrintable(message));
        QVERIFY(errorHint(message).contains(QLatin1String("Nothing is listening")));
    }
    {
        // With automatic reconnection it keeps trying, and says why.
        RedisConnection connection(options);
        QSignalSpy states(&connection, &RedisConnection::stateChanged);
        connection.open(true);
        QTRY_COMPARE(connection.state(), ConnectionState::Reconnecting);
        QVERIFY2(connection.stateMessage().contains(QLatin1String("refused"), Qt::CaseInsensitive),
                 qPrintable(connection.stateMessage()));
        QVERIFY(connection.stateMessage().contains(QLatin1String("Retrying")));
        QVERIFY(!errorHint(connection.stateMessage()).isEmpty());
        // A request sent meanwhile waits for its deadline, then fails unsent.
        const auto r = exec(connection, {{"PING"}}, 300);
        QVERIFY(r);
        QCOMPARE(r->failure, RedisResult::Failure::NotConnected);
        QVERIFY(!r->sent);
    }
}

void TestConnection::connectTimeout()
{
    // Accepts connections (the kernel completes them) but never says a word.
    QTcpServer silent;
    QVERIFY(silent.listen(QHostAddress::LocalHost, 0));
    ConnectionOptions options;
    options.host = QStringLiteral("127.0.0.1");
    options.port = silent.serverPort();
    options.connectTimeoutMs = 400;
    RedisConnection connection(options);
    QElapsedTimer clock;
    clock.start();
    connection.open(false);
    std::optional<RedisResult> pending;
    QObject context;
    connection.send({{"PING"}}, &context, [&pending](const RedisResult &r) { pending = r; });
    QTRY_COMPARE_WITH_TIMEOUT(connection.state(), ConnectionState::Failed, 5000);
    const qint64 took = clock.elapsed();
    QVERIFY2(took >= 380 && took < 2000, qPrintable(QString::number(took)));
    const QString message = connection.stateMessage();
    QVERIFY2(message.contains(QLatin1String("Timed out connecting")), qPrintable(message));
    QVERIFY(message.contains(options.endpoint()));
    QVERIFY(!errorHint(message).isEmpty());
    QTRY_VERIFY(pending.has_value());
    QCOMPARE(pending->failure, RedisResult::Failure::NotConnected);
    QVERIFY(!pending->sent);
}

void TestConnection::commandTimeout()
{
    LocalRedisServer server;
    START_SERVER(server);
    ConnectionOptions options = quickOptions(server);
    options.commandTimeoutMs = 500;
    RedisConnection connection(options);
    OPEN_CONNECTED(connection);
    QSignalSpy states(&connection, &RedisConnection::stateChanged);

    QElapsedTimer clock;
    clock.start();
    const auto r = exec(connection, {{"DEBUG", "SLEEP", "2"}});
    QVERIFY(r);
    QCOMPARE(r->failure, RedisResult::Failure::Timeout);
    QVERIFY(r->sent);
    QVERIFY2(clock.elapsed() < 1500, qPrintable(QString::number(clock.elapsed())));
    QVERIFY2(r->error.contains(QLatin1String("No reply")), qPrintable(r->error));
    QVERIFY(!errorHint(r->error).isEmpty());

    // The stuck connection was dropped and is rebuilt once the server answers again.
    QTRY_COMPARE_WITH_TIMEOUT(connection.state(), ConnectionState::Connected, 10000);
    const QList<ConnectionState> seen = integration::states(states);
    QVERIFY(seen.contains(ConnectionState::Reconnecting));
    QCOMPARE(seen.last(), ConnectionState::Connected);
    QCOMPARE(command(connection, {"PING"}), RedisValue::status("PONG"));
}

// A request with a short deadline behind a slow one fails at its own deadline; it does not
// wait for the slow one to finish.
void TestConnection::slowRequestDoesNotStallLaterDeadline()
{
    LocalRedisServer server;
    START_SERVER(server);
    RedisConnection connection(quickOptions(server));
    OPEN_CONNECTED(connection);

    const RedisValue id = command(connection, {"CLIENT", "ID"});
    QVERIFY(id.isInteger());
    std::optional<RedisResult> slow, quick;
    QObject context;
    QElapsedTimer clock;
    clock.start();
    connection.send(
        {{"DEBUG", "SLEEP", "2"}}, &context, [&slow](const RedisResult &r) { slow = r; }, 10000);
    connection.send(
        {{"PING"}}, &context, [&quick](const RedisResult &r) { quick = r; }, 300);
    QTRY_VERIFY_WITH_TIMEOUT(quick.has_value(), 5000);
    const qint64 took = clock.elapsed();
    QCOMPARE(quick->failure, RedisResult::Failure::Timeout);
    QVERIFY(quick->sent);
    QVERIFY2(took < 1500, qPrintable(QString::number(took)));
    QVERIFY2(errorHint(quick->error).contains(QLatin1String("stays up")), qPrintable(quick->error));
    QCOMPARE(connection.state(), ConnectionState::Connected);
    // The slow request itself is within its deadline and completes.
    QTRY_VERIFY_WITH_TIMEOUT(slow.has_value(), 10000);
    QVERIFY2(slow->ok(), qPrintable(slow->error));
    QCOMPARE(slow->replies.value(0), RedisValue::status("OK"));
    // The same connection all along, and its replies still match their requests.
    QCOMPARE(command(connection, {"CLIENT", "ID"}), id);
    QCOMPARE(command(connection, {"ECHO", "in order"}), RedisValue::string("in order"));
}

// Requests sent before the handshake is done wait for it, and go out in order.
void TestConnection::requestsWhileConnecting()
{
    LocalRedisServer server;
    START_SERVER(server);
    RedisConnection connection(quickOptions(server));
    connection.open(true);
    QList<RedisResult> results;
    QObject context;
    for (int i = 0; i < 50; ++i) {
        connection.send({{"INCR", "n"}}, &context,
                        [&results](const RedisResult &r) { results.append(r); });
    }
    QTRY_COMPARE(results.size(), 50);
    for (int i = 0; i < 50; ++i) {
        QVERIFY2(results.at(i).ok(), qPrintable(results.at(i).error));
        QVERIFY(results.at(i).sent);
        QCOMPARE(results.at(i).replies.value(0), RedisValue::integer(i + 1));
    }
    QCOMPARE(connection.state(), ConnectionState::Connected);
}

void TestConnection::closeAndReopen()
{
    LocalRedisServer server;
    START_SERVER(server);
    RedisConnection connection(quickOptions(server));
    OPEN_CONNECTED(connection);
    std::optional<RedisResult> inFlight;
    QObject context;
    connection.send({{"BLPOP", "never", "0"}}, &context,
                    [&inFlight](const RedisResult &r) { inFlight = r; });
    connection.close();
    QTRY_COMPARE(connection.state(), ConnectionState::Disconnected);
    QTRY_VERIFY(inFlight.has_value());
    QCOMPARE(inFlight->failure, RedisResult::Failure::Closed);
    QVERIFY(inFlight->sent);

    // Closed means closed: no request goes out, no reconnection happens.
    const auto refused = exec(connection, {{"PING"}});
    QVERIFY(refused);
    QCOMPARE(refused->failure, RedisResult::Failure::NotConnected);
    QVERIFY(!refused->sent);

    OPEN_CONNECTED(connection);
    QCOMPARE(command(connection, {"PING"}), RedisValue::status("PONG"));
}

void TestConnection::binarySafeValues()
{
    LocalRedisServer server;
    START_SERVER(server);
    RedisConnection connection(quickOptions(server));
    OPEN_CONNECTED(connection);
    QByteArray all;
    for (int i = 0; i < 256; ++i)
        all.append(char(i));
    const QByteArray tricky = all + "\r\n$3\r\nfoo\r\n*1\r\n" + all;
    const QByteArray key("key with spaces\r\n\0and a NUL", 29);
    QCOMPARE(command(connection, {"SET", key, tricky}), RedisValue::status("OK"));
    QCOMPARE(command(connection, {"GET", key}), RedisValue::string(tricky));
    QCOMPARE(command(connection, {"STRLEN", key}), RedisValue::integer(tricky.size()));
    QCOMPARE(command(connection, {"SET", "empty", ""}), RedisValue::status("OK"));
    QCOMPARE(command(connection, {"GET", "empty"}), RedisValue::string(""));
    QCOMPARE(command(connection, {"GET", "missing"}), RedisValue::nil());
    // A reply larger than any single read.
    const QByteArray big(8 << 20, 'b');
    QCOMPARE(command(connection, {"SET", "big", big}), RedisValue::status("OK"));
    QCOMPARE(command(connection, {"GET", "big"}), RedisValue::string(big));
}

void TestConnection::pipelining()
{
    LocalRedisServer server;
    START_SERVER(server);
    RedisConnection connection(quickOptions(server));
    OPEN_CONNECTED(connection);

    // One request of 1000 commands: 1000 replies, in order.
    QList<RedisCommand> commands;
    for (int i = 0; i < 1000; ++i) {
        if (i % 2)
            commands.append(RedisCommand{"INCR", "counter"});
        else
            commands.append(RedisCommand{"ECHO", "echo-" + QByteArray::number(i)});
    }
    const auto r = exec(connection, commands);
    QVERIFY(r);
    QVERIFY2(r->ok(), qPrintable(r->error));
    QCOMPARE(r->replies.size(), 1000);
    for (int i = 0; i < 1000; ++i) {
        const RedisValue expected = i % 2 ? RedisValue::integer((i + 1) / 2)
                                          : RedisValue::string("echo-" + QByteArray::number(i));
        QCOMPARE(r->replies.at(i), expected);
    }

    // Many requests in a burst: each gets its own replies, and they finish in order.
    QList<quint64> sentIds;
    QList<RedisResult> results;
    QObject context;
    for (int i = 0; i < 200; ++i) {
        sentIds.append(
            connection.send({{"ECHO", QByteArray::number(i)}, {"INCR", "burst"}}, &context,
                            [&results](const RedisResult &res) { results.append(res); }));
    }
    QTRY_COMPARE(results.size(), 200);
    for (int i = 0; i < 200; ++i) {
        QCOMPARE(results.at(i).id, sentIds.at(i));
        QCOMPARE(results.at(i).replies,
                 (QList<RedisValue>{RedisValue::string(QByteArray::number(i)),
                                    RedisValue::integer(i + 1)}));
    }
}

void TestConnection::readOnlyRefusesWrites()
{
    LocalRedisServer server;
    START_SERVER(server);
    RedisConnection admin(quickOptions(server));
    OPEN_CONNECTED(admin);
    QVERIFY(command(admin, {"XADD", "orders", "1-1", "item", "book"}).isString());
    QCOMPARE(command(admin, {"SET", "keep", "me"}), RedisValue::status("OK"));
    QCOMPARE(command(admin, {"CONFIG", "RESETSTAT"}), RedisValue::status("OK"));

    ConnectionOptions options = quickOptions(server);
    options.readOnly = true;
    RedisConnection viewer(options);
    OPEN_CONNECTED(viewer);

    const QList<QList<RedisCommand>> refused = {
        {{"XADD", "orders", "*", "item", "pen"}},
        {{"xadd", "orders", "*", "item", "pen"}},
        {{"DEL", "keep"}},
        {{"NOSUCHCOMMAND", "orders"}},
        {{"XGROUP", "DESTROY", "orders", "workers"}},
        {{"EVAL", "return redis.call('DEL', 'keep')", "0"}},
        // One write spoils the whole request: nothing of it is sent.
        {{"XLEN", "orders"}, {"XTRIM", "orders", "MAXLEN", "0"}},
    };
    for (const QList<RedisCommand> &commands : refused) {
        const auto r = exec(viewer, commands);
        QVERIFY(r);
        QCOMPARE(r->failure, RedisResult::Failure::ReadOnly);
        QVERIFY(!r->sent);
        QVERIFY(r->replies.isEmpty());
        QVERIFY2(r->error.contains(QLatin1String("read-only")), qPrintable(r->error));
        QVERIFY(!errorHint(r->error).isEmpty());
    }
    QCOMPARE(viewer.state(), ConnectionState::Connected);

    // Reads work.
    const auto reads = exec(viewer, {{"XRANGE", "orders", "-", "+"},
                                     {"XINFO", "STREAM", "orders"},
                                     {"SCAN", "0"},
                                     {"XLEN", "orders"}});
    QVERIFY(reads);
    QVERIFY2(reads->ok(), qPrintable(reads->error));
    QCOMPARE(reads->replies.size(), 4);
    QCOMPARE(reads->replies.at(0).size(), 1);
    QCOMPARE(reads->replies.at(0).at(0).at(0), RedisValue::string("1-1"));
    QVERIFY(reads->replies.at(1).isArray());
    QCOMPARE(reads->replies.at(2).size(), 2);
    QCOMPARE(reads->replies.at(2).at(1).size(), 2); // orders, keep
    QCOMPARE(reads->replies.at(3), RedisValue::integer(1));

    // Nothing reached the server: the data is unchanged and it saw no such command.
    QCOMPARE(command(admin, {"XLEN", "orders"}), RedisValue::integer(1));
    QCOMPARE(command(admin, {"GET", "keep"}), RedisValue::string("me"));
    const RedisValue stats = command(admin, {"INFO", "commandstats"});
    QVERIFY2(infoField(stats, "cmdstat_xrange").startsWith("calls=1,"), stats.bytes().constData());
    for (const char *name : {"cmdstat_xadd", "cmdstat_del", "cmdstat_eval", "cmdstat_xtrim",
                             "cmdstat_xgroup|destroy"}) {
        QVERIFY2(infoField(stats, name).isEmpty(), name);
    }
    // The viewer's XLEN read and the admin's check above; never the refused request's.
    QVERIFY2(infoField(stats, "cmdstat_xlen").startsWith("calls=2,"), stats.bytes().constData());
    const RedisValue errors = command(admin, {"INFO", "errorstats"});
    QVERIFY2(infoField(errors, "errorstat_ERR").isEmpty(), errors.bytes().constData());
}

void TestConnection::reconnectAfterServerRestart_data()
{
    QTest::addColumn<bool>("viaSocket");
    QTest::newRow("tcp") << false;
    QTest::newRow("unix socket") << true;
}

void TestConnection::reconnectAfterServerRestart()
{
    QFETCH(bool, viaSocket);
    LocalRedisServer::Config config;
    config.port = freeLoopbackPort();
    config.unixSocket = viaSocket;
    LocalRedisServer server(config);
    START_SERVER(server);
    QCOMPARE(server.port(), config.port);
    RedisConnection admin(quickOptions(server));
    RedisConnection connection(quickOptions(server, viaSocket));
    OPEN_CONNECTED(admin);
    OPEN_CONNECTED(connection);
    QSignalSpy states(&connection, &RedisConnection::stateChanged);

    // Two requests the server has received but not answered: the first blocks the client,
    // so the INCRs behind it sit unexecuted in the server's query buffer.
    std::optional<RedisResult> first, second;
    QObject context;
    connection.send(
        {{"BLPOP", "never", "0"}, {"INCR", "counter"}}, &context,
        [&first](const RedisResult &r) { first = r; }, 30000);
    connection.send(
        {{"INCR", "counter"}}, &context, [&second](const RedisResult &r) { second = r; }, 30000);
    // The blocked client's line of CLIENT LIST (flags "b", and "U" on a unix socket).
    auto blockedClient = [&admin] {
        for (const QByteArray &line : command(admin, {"CLIENT", "LIST"}).bytes().split('\n')) {
            const qsizetype flags = line.indexOf(" flags=");
            if (flags >= 0
                && line.mid(flags + 7, line.indexOf(' ', flags + 1) - flags - 7).contains('b'))
                return line;
        }
        return QByteArray();
    };
    const qsizetype queued =
        2 * encodeCommand({"INCR", "counter"}).size(); // what the server holds unread
    const QByteArray expectQbuf = " qbuf=" + QByteArray::number(queued) + ' ';
    QTRY_VERIFY_WITH_TIMEOUT(blockedClient().contains(expectQbuf), 5000);
    QVERIFY(!first && !second);

    server.kill();
    QTRY_VERIFY(first.has_value() && second.has_value());
    for (const std::optional<RedisResult> &r : {first, second}) {
        QCOMPARE(r->failure, RedisResult::Failure::ConnectionLost);
        QVERIFY(r->sent);
        QVERIFY(r->replies.isEmpty());
    }
    QTRY_COMPARE(connection.state(), ConnectionState::Reconnecting);
    QVERIFY(!errorHint(connection.stateMessage()).isEmpty());

    // Requests sent while the server is down wait for the connection.
    std::optional<RedisResult> later;
    connection.send(
        {{"SET", "after", "restart"}}, &context, [&later](const RedisResult &r) { later = r; },
        20000);

    START_SERVER(server);
    QCOMPARE(server.port(), config.port);
    QTRY_COMPARE_WITH_TIMEOUT(connection.state(), ConnectionState::Connected, 15000);
    const QList<ConnectionState> seen = integration::states(states);
    const qsizetype reconnecting = seen.indexOf(ConnectionState::Reconnecting);
    QVERIFY(reconnecting >= 0);
    QVERIFY(reconnecting < seen.lastIndexOf(ConnectionState::Connected));
    QVERIFY(!seen.contains(ConnectionState::Failed));
    QTRY_VERIFY(later.has_value());
    QVERIFY2(later->ok(), qPrintable(later->error));
    QCOMPARE(later->replies.value(0), RedisValue::status("OK"));

    // The INCRs in flight at the kill were not resent to the new server.
    QCOMPARE(command(connection, {"GET", "counter"}), RedisValue::nil());
    QCOMPARE(command(connection, {"GET", "after"}), RedisValue::string("restart"));
    QCOMPARE(command(connection, {"INCR", "counter"}), RedisValue::integer(1));
}

// open() on a connection that waits to reconnect connects now, and only once: the
// pending retry must not drop the new connection later.
void TestConnection::openWhileReconnecting()
{
    LocalRedisServer::Config config;
    config.port = freeLoopbackPort();
    LocalRedisServer server(config);
    RedisConnection connection(quickOptions(server));
    QSignalSpy states(&connection, &RedisConnection::stateChanged);
    connection.open(true); // nothing listens yet: refused, retried in 0.5 s, 1 s, 2 s...
    QTRY_VERIFY(integration::states(states).count(ConnectionState::Reconnecting) >= 2);

    START_SERVER(server);
    states.clear();
    connection.open(true);
    QTRY_COMPARE(connection.state(), ConnectionState::Connected);
    const RedisValue id = command(connection, {"CLIENT", "ID"});
    QVERIFY(id.isInteger());
    // A request in flight across the time the stale retry would fire.
    const auto r = exec(connection, {{"DEBUG", "SLEEP", "2.5"}, {"CLIENT", "ID"}});
    QVERIFY(r);
    QVERIFY2(r->ok(), qPrintable(r->error));
    QCOMPARE(r->replies.value(1), id);
    QCOMPARE(command(connection, {"CLIENT", "ID"}), id);
    QCOMPARE(integration::states(states),
             (QList<ConnectionState>{ConnectionState::Connecting, ConnectionState::Connected}));
}

void TestConnection::deeplyNestedReply()
{
    LocalRedisServer server;
    START_SERVER(server);
    RedisConnection connection(quickOptions(server));
    OPEN_CONNECTED(connection);

    // hiredis 0.14 reads arrays nested 8 deep (its "depth" counts from 0, and it refuses
    // a depth above 7), so the reply of {{{{{{{{1}}}}}}}} still comes back whole.
    const RedisValue eight = command(connection, {"EVAL", "return {{{{{{{{1}}}}}}}}", "0"});
    RedisValue inner = eight;
    for (int depth = 0; depth < 8; ++depth) {
        QVERIFY2(inner.isArray() && inner.size() == 1, qPrintable(eight.toDisplayString()));
        inner = inner.at(0);
    }
    QCOMPARE(inner, RedisValue::integer(1));

    QSignalSpy states(&connection, &RedisConnection::stateChanged);
    // Nine levels it cannot read: that request fails with a protocol error.
    std::optional<RedisResult> r, behind;
    QObject context;
    connection.send({{"EVAL", "return {{{{{{{{{1}}}}}}}}}", "0"}}, &context,
                    [&r](const RedisResult &res) { r = res; });
    // A write right behind it: written before the bad reply arrived, it is lost with the
    // connection (and not resent); written after, it waits for the new connection.
    connection.send({{"INCR", "behind"}}, &context,
                    [&behind](const RedisResult &res) { behind = res; });
    QTRY_VERIFY(r.has_value() && behind.has_value());
    QCOMPARE(r->failure, RedisResult::Failure::ProtocolError);
    QVERIFY(r->sent);
    QVERIFY2(r->error.contains(QLatin1String("nested")), qPrintable(r->error));
    QVERIFY(!errorHint(r->error).isEmpty());

    // The connection is rebuilt and works.
    QTRY_COMPARE(connection.state(), ConnectionState::Connected);
    QCOMPARE(command(connection, {"PING"}), RedisValue::status("PONG"));
    const RedisValue applied = command(connection, {"GET", "behind"});
    if (behind->ok()) {
        QCOMPARE(behind->replies.value(0), RedisValue::integer(1));
        QCOMPARE(applied, RedisValue::string("1"));
    } else {
        // Lost in flight: the server may or may not have run it, but it never ran twice.
        QCOMPARE(behind->failure, RedisResult::Failure::ConnectionLost);
        QVERIFY(behind->sent);
        QVERIFY2(applied.isNil() || applied == RedisValue::string("1"),
                 qPrintable(applied.toDisplayString()));
    }
    QVERIFY(!integration::states(states).contains(ConnectionState::Failed));
}

void TestConnection::destroyWithRequestsInFlight()
{
    LocalRedisServer server;
    START_SERVER(server);
    int called = 0;
    QObject context;
    auto connection = std::make_unique<RedisConnection>(quickOptions(server));
    OPEN_CONNECTED(*connection);
    connection->send({{"DEBUG", "SLEEP", "2"}}, &context,
                     [&called](const RedisResult &) { ++called; });
    for (int i = 0; i < 100; ++i)
        connection->send({{"INCR", "n"}}, &context, [&called](const RedisResult &) { ++called; });
    QElapsedTimer clock;
    clock.start();
    connection.reset();
    QVERIFY2(clock.elapsed() < 1000, qPrintable(QString::number(clock.elapsed())));
    // Callbacks of a destroyed connection are never called, not even later.
    QCoreApplication::processEvents();
    QCOMPARE(called, 0);

    // The server is unharmed once the sleep ends.
    RedisConnection other(quickOptions(server));
    OPEN_CONNECTED(other);
    QCOMPARE(command(other, {"PING"}), RedisValue::status("PONG"));
}

void TestConnection::destroyWhileConnecting()
{
    QTcpServer silent;
    QVERIFY(silent.listen(QHostAddress::LocalHost, 0));
    ConnectionOptions options;
    options.host = QStringLiteral("127.0.0.1");
    options.port = silent.serverPort();
    QElapsedTimer clock;
    clock.start();
    for (int i = 0; i < 20; ++i) {
        RedisConnection connection(options);
        connection.open(true);
        connection.send(RedisRequest{0, {{"PING"}}, -1});
        if (i % 2)
            QTRY_COMPARE(connection.state(), ConnectionState::Connecting);
    }
    {
        // And while it waits to reconnect.
        ConnectionOptions refused = options;
        refused.port = freeLoopbackPort();
        RedisConnection connection(refused);
        connection.open(true);
        QTRY_COMPARE(connection.state(), ConnectionState::Reconnecting);
        connection.send(RedisRequest{0, {{"PING"}}, -1});
    }
    QVERIFY2(clock.elapsed() < 5000, qPrintable(QString::number(clock.elapsed())));
}

QTEST_GUILESS_MAIN(TestConnection)
#include "tst_connection.moc"
