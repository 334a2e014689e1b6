// ConnectionOptions: URLs as redis-cli -u takes them (plus unix://), back to URLs, and
// validate()'s reasons.

#include "connectionoptions.h"

#include <QTemporaryFile>
#include <QtTest>

using Transport = ConnectionOptions::Transport;

class TestConnectionOptions : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();

    void fromUrl_data();
    void fromUrl();
    void fromUrlRejects_data();
    void fromUrlRejects();
    void fromUrlKeepsBase();
    void fromUrlSentinel_data();
    void fromUrlSentinel();
    void parseHostPort_data();
    void parseHostPort();
    void toUrl_data();
    void toUrl();
    void roundTrip_data();
    void roundTrip();
    void endpoint_data();
    void endpoint();
    void validate_data();
    void validate();

private:
    QTemporaryFile m_readable;
};

void TestConnectionOptions::initTestCase()
{
    QVERIFY(m_readable.open());
    m_readable.write("-----BEGIN CERTIFICATE-----\n");
    m_readable.flush();
}

// ---------------------------------------------------------------------------- fromUrl

void TestConnectionOptions::fromUrl_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<bool>("isUnix");
    QTest::addColumn<QString>("host");
    QTest::addColumn<int>("port");
    QTest::addColumn<QString>("socketPath");
    QTest::addColumn<QString>("username");
    QTest::addColumn<QString>("password");
    QTest::addColumn<int>("database");
    QTest::addColumn<bool>("tls");

    auto tcp = [](const char *name, const char *url, const char *host, int port, const char *user,
                  const char *password, int db, bool tls = false) {
        QTest::newRow(name) << QString::fromUtf8(url) << false << QString::fromUtf8(host) << port
                            << QString() << QString::fromUtf8(user) << QString::fromUtf8(password)
                            << db << tls;
    };
    auto local = [](const char *name, const char *url, const char *path, const char *user,
                    const char *password, int db) {
        QTest::newRow(name) << QString::fromUtf8(url) << true << QStringLiteral("127.0.0.1") << 6379
                            << QString::fromUtf8(path) << QString::fromUtf8(user)
                            << QString::fromUtf8(password) << db << false;
    };
    tcp("host only", "redis://localhost", "localhost", 6379, "", "", 0);
    tcp("host and port", "redis://127.0.0.1:6380", "127.0.0.1", 6380, "", "", 0);
    tcp("database", "redis://redis.example.com:6380/3", "redis.example.com", 6380, "", "", 3);
    tcp("database, default port", "redis://h/15", "h", 6379, "", "", 15);
    tcp("trailing slash", "redis://h/", "h", 6379, "", "", 0);
    tcp("database 0", "redis://h:7000/0", "h", 7000, "", "", 0);
    tcp("database in the query", "redis://h?db=4", "h", 6379, "", "", 4);
    tcp("lowest port", "redis://h:1", "h", 1, "", "", 0);
    tcp("highest port", "redis://h:65535", "h", 65535, "", "", 0);
    tcp("empty port: the default", "redis://h:", "h", 6379, "", "", 0);
    tcp("surrounding spaces", "  redis://h:6381  ", "h", 6381, "", "", 0);
    tcp("scheme in capitals", "REDIS://h:6381", "h", 6381, "", "", 0);

    // User info as redis-cli reads it: "password@" or "user:password@".
    tcp("password only", "redis://secret@h", "h", 6379, "", "secret", 0);
    tcp("empty user, password", "redis://:secret@h:6380", "h", 6380, "", "secret", 0);
    tcp("user and password", "redis://alice:secret@h:6390/2", "h", 6390, "alice", "secret", 2);
    tcp("user, empty password", "redis://alice:@h", "h", 6379, "alice", "", 0);
    tcp("percent-encoded user and password", "redis://al%20ice:p%40ss%3Aw%2Fd%25@h", "h", 6379,
        "al ice", "p@ss:w/d%", 0);
    tcp("'@' and ':' in the password, not encoded", "redis://alice:p@ss:w@h:6380", "h", 6380,
        "alice", "p@ss:w", 0);
    tcp("'/' and '?' in the password, not encoded", "redis://:a/b?c@h/1", "h", 6379, "", "a/b?c",
        1);
    tcp("UTF-8 password", "redis://:gr%C3%BC%C3%9F@h", "h", 6379, "", "gr\xc3\xbc\xc3\x9f", 0);

    // IPv6 in brackets.
    tcp("IPv6 loopback", "redis://[::1]", "::1", 6379, "", "", 0);
    tcp("IPv6 with port and database", "redis://[::1]:6380/1", "::1", 6380, "", "", 1);
    tcp("IPv6 with credentials", "redis://alice:pw@[2001:db8::7]:7000/4", "2001:db8::7", 7000,
        "alice", "pw", 4);

    // TLS.
    tcp("rediss", "rediss://h:6380", "h", 6380, "", "", 0, true);
    tcp("rediss with everything", "rediss://alice:pw@[::1]:6390/9", "::1", 6390, "alice", "pw", 9,
        true);

    // Unix sockets.
    local("unix socket", "unix:///tmp/redis.sock", "/tmp/redis.sock", "", "", 0);
    local("unix socket with database", "unix:///run/redis/redis-server.sock?db=3",
          "/run/redis/redis-server.sock", "", "", 3);
    local("unix socket with credentials", "unix://alice:secret@/run/redis.sock?db=1",
          "/run/redis.sock", "alice", "secret", 1);
    local("unix socket, password only", "unix://secret@/run/redis.sock", "/run/redis.sock", "",
          "secret", 0);
    local("unix socket, encoded path", "unix:///tmp/my%20redis%3F.sock", "/tmp/my redis?.sock", "",
          "", 0);
}

void TestConnectionOptions::fromUrl()
{
    QFETCH(QString, url);
    QFETCH(bool, isUnix);
    QFETCH(QString, host);
    QFETCH(int, port);
    QFETCH(QString, socketPath);
    QFETCH(QString, username);
    QFETCH(QString, password);
    QFETCH(int, database);
    QFETCH(bool, tls);

    ConnectionOptions o;
    QString error;
    QVERIFY2(ConnectionOptions::fromUrl(url, &o, &error), qPrintable(error));
    QCOMPARE(o.transport, isUnix ? Transport::Unix : Transport::Tcp);
    QCOMPARE(o.host, host);
    QCOMPARE(int(o.port), port);
    QCOMPARE(o.socketPath, socketPath);
    QCOMPARE(o.username, username);
    QCOMPARE(o.password, password);
    QCOMPARE(o.database, database);
    QCOMPARE(o.tls, tls);
    QVERIFY2(o.validate().isEmpty(), qPrintable(o.validate()));
}

void TestConnectionOptions::fromUrlRejects_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("message");

    auto row = [](const char *name, const char *url, const char *message) {
        QTest::newRow(name) << QString::fromUtf8(url) << QString::fromUtf8(message);
    };
    row("empty", "", "redis://");
    row("no scheme", "localhost:6379", "redis://");
    row("http", "http://localhost:6379", "Unknown scheme \"http\"");
    row("redis-cli host-port syntax", "-h localhost -p 6379", "redis://");
    row("port 0", "redis://h:0", "port must be a number from 1 to 65535, not \"0\"");
    row("port too large", "redis://h:65536", "not \"65536\"");
    row("port far too large", "redis://h:99999999999", "not \"99999999999\"");
    row("negative port", "redis://h:-1", "not \"-1\"");
    row("port with letters", "redis://h:63a9", "not \"63a9\"");
    row("service name as port", "redis://h:redis", "not \"redis\"");
    row("IPv6 port 0", "redis://[::1]:0", "not \"0\"");
    row("IPv6 without ']'", "redis://[::1:6379", "']'");
    row("text after IPv6 address", "redis://[::1]6379", "Unexpected \"6379\"");
    row("database with letters", "redis://h/abc",
        "database must be a number of 0 or more, "
        "not \"abc\"");
    row("negative database", "redis://h/-1", "not \"-1\"");
    row("fractional database", "redis://h/1.5", "not \"1.5\"");
    row("database with a path", "redis://h/1/2", "not \"1/2\"");
    row("database too large", "redis://h/99999999999", "not \"99999999999\"");
    row("bad database in the query", "unix:///tmp/r.sock?db=x", "not \"x\"");
    row("negative database in the query", "unix:///tmp/r.sock?db=-2", "not \"-2\"");
    row("relative unix path", "unix://tmp/redis.sock", "absolute socket path");
    row("unix without a path", "unix://", "absolute socket path");
    row("sentinel without a master", "redis-sentinel://h:26379", "names the master");
    row("sentinel, empty master", "redis-sentinel://h:26379/", "names the master");
    row("sentinel port 0", "redis-sentinel://h:0/m",
        "Sentinel \"h:0\": The port must be a number from 1 to 65535, not \"0\"");
    row("second sentinel's port", "redis-sentinel://a:26379,b:x/m", "Sentinel \"b:x\"");
    row("empty sentinel in the list", "redis-sentinel://a,,b/m", "Sentinel \"\" has no host");
    row("sentinel without a host", "redis-sentinel://:26379/m", "has no host name");
    row("sentinel, bad database", "redis-sentinel://h/m/x", "not \"x\"");
    row("sentinel, IPv6 without ']'", "redis-sentinel://[::1/m", "']'");
}

void TestConnectionOptions::fromUrlRejects()
{
    QFETCH(QString, url);
    QFETCH(QString, message);

    ConnectionOptions o;
    o.name = QStringLiteral("untouched");
    o.port = 1234;
    QString error;
    QVERIFY(!ConnectionOptions::fromUrl(url, &o, &error));
    QVERIFY2(error.contains(message), qPrintable(error));
    // A rejected URL changes nothing.
    QCOMPARE(o.name, QStringLiteral("untouched"));
    QCOMPARE(o.port, quint16(1234));
    // A null error pointer is allowed.
    QVERIFY(!ConnectionOptions::fromUrl(url, &o, nullptr));
}

// The URL sets the endpoint, credentials, database and TLS; the rest comes from `base`.
void TestConnectionOptions::fromUrlKeepsBase()
{
    ConnectionOptions base;
    base.name = QStringLiteral("production");
    base.port = 7000;
    base.username = QStringLiteral("old-user");
    base.password = QStringLiteral("old-password");
    base.database = 5;
    base.tls = true;
    base.caFile = QStringLiteral("/etc/ssl/ca.pem");
    base.sniName = QStringLiteral("redis.internal");
    base.verifyPeer = false;
    base.connectTimeoutMs = 1500;
    base.commandTimeoutMs = 30000;
    base.readOnly = true;

    ConnectionOptions o;
    QString error;
    QVERIFY2(ConnectionOptions::fromUrl(QStringLiteral("redis://h"), &o, &error, base),
             qPrintable(error));
    QCOMPARE(o.host, QStringLiteral("h"));
    QCOMPARE(o.port, quint16(6379)); // a URL without a port means 6379, as for redis-cli
    QCOMPARE(o.username, QString()); // credentials are never carried over to another URL
    QCOMPARE(o.password, QString());
    QCOMPARE(o.database, 0);
    QCOMPARE(o.tls, false); // redis:// says: no TLS
    QCOMPARE(o.name, base.name);
    QCOMPARE(o.caFile, base.caFile);
    QCOMPARE(o.sniName, base.sniName);
    QCOMPARE(o.verifyPeer, false);
    QCOMPARE(o.connectTimeoutMs, 1500);
    QCOMPARE(o.commandTimeoutMs, 30000);
    QCOMPARE(o.readOnly, true);

    // Sentinels and their credentials belong to the endpoint: a redis:// URL has none.
    ConnectionOptions viaSentinels = base;
    viaSentinels.sentinels = {QStringLiteral("s1:26379")};
    viaSentinels.masterName = QStringLiteral("mymaster");
    viaSentinels.sentinelUsername = QStringLiteral("watcher");
    viaSentinels.sentinelPassword = QStringLiteral("sentinel-secret");
    QVERIFY(ConnectionOptions::fromUrl(QStringLiteral("redis://h"), &o, &error, viaSentinels));
    QVERIFY(!o.usesSentinel());
    QCOMPARE(o.masterName, QString());
    QCOMPARE(o.sentinelUsername, QString());
    QCOMPARE(o.sentinelPassword, QString());
    QVERIFY2(o.validate().isEmpty(), qPrintable(o.validate()));
    QVERIFY(ConnectionOptions::fromUrl(QStringLiteral("redis-sentinel://s2/other"), &o, &error,
                                       viaSentinels));
    QCOMPARE(o.sentinels, QStringList{QStringLiteral("s2:26379")});
    QCOMPARE(o.sentinelPassword, QString()); // not carried over either
    QCOMPARE(o.name, base.name);
    QCOMPARE(o.readOnly, true);

    QVERIFY(ConnectionOptions::fromUrl(QStringLiteral("unix:///tmp/r.sock"), &o, &error, base));
    QCOMPARE(o.transport, Transport::Unix);
    QCOMPARE(o.tls, false);
    QCOMPARE(o.name, base.name);
    QCOMPARE(o.readOnly, true);
}

void TestConnectionOptions::fromUrlSentinel_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QStringList>("sentinels");
    QTest::addColumn<QString>("master");
    QTest::addColumn<QString>("username");
    QTest::addColumn<QString>("password");
    QTest::addColumn<QString>("sentinelUsername");
    QTest::addColumn<QString>("sentinelPassword");
    QTest::addColumn<int>("database");
    QTest::addColumn<bool>("tls");

    const QString none;
    QTest::newRow("one sentinel") << QStringLiteral("redis-sentinel://s1:26380/mymaster")
                                  << QStringList{QStringLiteral("s1:26380")}
                                  << QStringLiteral("mymaster") << none << none << none << none << 0
                                  << false;
    QTest::newRow("default port") << QStringLiteral("redis-sentinel://s1/mymaster")
                                  << QStringList{QStringLiteral("s1:26379")}
                                  << QStringLiteral("mymaster") << none << none << none << none << 0
                                  << false;
    QTest::newRow("three sentinels, IPv6, database")
        << QStringLiteral("redis-sentinel://s1:26379,[::1]:26380,s3/queues/4")
        << QStringList{QStringLiteral("s1:26379"), QStringLiteral("[::1]:26380"),
                       QStringLiteral("s3:26379")}
        << QStringLiteral("queues") << none << none << none << none << 4 << false;
    QTest::newRow("data credentials, TLS")
        << QStringLiteral("rediss-sentinel://alice:pw@s1:26379/m")
        << QStringList{QStringLiteral("s1:26379")} << QStringLiteral("m") << QStringLiteral("alice")
        << QStringLiteral("pw") << none << none << 0 << true;
    QTest::newRow("sentinel credentials")
        << QStringLiteral("redis-sentinel://s1/m?sentinel_username=watch%20er&"
                          "sentinel_password=p%26w%3Dd&db=2")
        << QStringList{QStringLiteral("s1:26379")} << QStringLiteral("m") << none << none
        << QStringLiteral("watch er") << QStringLiteral("p&w=d") << 2 << false;
    QTest::newRow("encoded master name")
        << QStringLiteral("REDIS-SENTINEL://s1/my%2Fmaster")
        << QStringList{QStringLiteral("s1:26379")} << QStringLiteral("my/master") << none << none
        << none << none << 0 << false;
}

void TestConnectionOptions::fromUrlSentinel()
{
    QFETCH(QString, url);
    QFETCH(QStringList, sentinels);
    QFETCH(QString, master);
    QFETCH(QString, username);
    QFETCH(QString, password);
    QFETCH(QString, sentinelUsername);
    QFETCH(QString, sentinelPassword);
    QFETCH(int, database);
    QFETCH(bool, tls);

    ConnectionOptions o;
    QString error;
    QVERIFY2(ConnectionOptions::fromUrl(url, &o, &error), qPrintable(error));
    QVERIFY(o.usesSentinel());
    QCOMPARE(o.transport, Transport::Tcp);
    QCOMPARE(o.sentinels, sentinels);
    QCOMPARE(o.masterName, master);
    QCOMPARE(o.username, username);
    QCOMPARE(o.password, password);
    QCOMPARE(o.sentinelUsername, sentinelUsername);
    QCOMPARE(o.sentinelPassword, sentinelPassword);
    QCOMPARE(o.database, database);
    QCOMPARE(o.tls, tls);
    QVERIFY2(o.validate().isEmpty(), qPrintable(o.validate()));
    // Neither password is ever written back into a URL.
    const QString written = o.toUrl();
    if (!password.isEmpty())
        QVERIFY2(!written.contains(password), qPrintable(written));
    if (!sentinelPassword.isEmpty()) {
        QVERIFY2(!written.contains(QStringLiteral("sentinel_password")), qPrintable(written));
        const QString encoded = QString::fromUtf8(QUrl::toPercentEncoding(sentinelPassword));
        QVERIFY2(!written.contains(encoded), qPrintable(written));
    }
}

void TestConnectionOptions::parseHostPort_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<QString>("host");
    QTest::addColumn<int>("port");

    QTest::newRow("host and port")
        << QStringLiteral("s1:26380") << true << QStringLiteral("s1") << 26380;
    QTest::newRow("host only") << QStringLiteral("s1") << true << QStringLiteral("s1") << 26379;
    QTest::newRow("spaces around") << QStringLiteral(" s1:7 ") << true << QStringLiteral("s1") << 7;
    QTest::newRow("IPv6") << QStringLiteral("[::1]:26381") << true << QStringLiteral("::1")
                          << 26381;
    QTest::newRow("IPv6 without port")
        << QStringLiteral("[::1]") << true << QStringLiteral("::1") << 26379;
    QTest::newRow("empty port") << QStringLiteral("s1:") << true << QStringLiteral("s1") << 26379;
    QTest::newRow("port 0") << QStringLiteral("s1:0") << false << QString() << 0;
    QTest::newRow("port too large") << QStringLiteral("s1:65536") << false << QString() << 0;
    QTest::newRow("port with letters") << QStringLiteral("s1:2637x") << false << QString() << 0;
    QTest::newRow("IPv6 without ']'") << QStringLiteral("[::1:26379") << false << QString() << 0;
}

void TestConnectionOptions::parseHostPort()
{
    QFETCH(QString, text);
    QFETCH(bool, ok);
    QFETCH(QString, host);
    QFETCH(int, port);
    QString gotHost = QStringLiteral("untouched");
    quint16 gotPort = 1;
    QString error;
    QCOMPARE(ConnectionOptions::parseHostPort(text, 26379, &gotHost, &gotPort, &error), ok);
    if (ok) {
        QCOMPARE(gotHost, host);
        QCOMPARE(int(gotPort), port);
    } else {
        QVERIFY(!error.isEmpty());
        QCOMPARE(gotHost, QStringLiteral("untouched"));
        QCOMPARE(int(gotPort), 1);
    }
}

// ---------------------------------------------------------------------------- toUrl

void TestConnectionOptions::toUrl_data()
{
    QTest::addColumn<ConnectionOptions>("options");
    QTest::addColumn<QString>("url");

    ConnectionOptions o;
    QTest::newRow("defaults") << o << QStringLiteral("redis://127.0.0.1:6379");
    o.host = QStringLiteral("redis.example.com");
    o.port = 6380;
    o.database = 2;
    QTest::newRow("host, port, database")
        << o << QStringLiteral("redis://redis.example.com:6380/2");
    o.tls = true;
    QTest::newRow("TLS") << o << QStringLiteral("rediss://redis.example.com:6380/2");
    o.password = QStringLiteral("secret");
    QTest::newRow("password left out") << o << QStringLiteral("rediss://redis.example.com:6380/2");
    o.username = QStringLiteral("alice");
    QTest::newRow("user, password left out")
        << o << QStringLiteral("rediss://alice:@redis.example.com:6380/2");
    o.username = QStringLiteral("a:l@i ce");
    QTest::newRow("user with special characters")
        << o << QStringLiteral("rediss://a%3Al%40i%20ce:@redis.example.com:6380/2");

    ConnectionOptions v6;
    v6.host = QStringLiteral("::1");
    v6.port = 6390;
    QTest::newRow("IPv6") << v6 << QStringLiteral("redis://[::1]:6390");

    ConnectionOptions u;
    u.transport = Transport::Unix;
    u.socketPath = QStringLiteral("/run/redis/redis-server.sock");
    QTest::newRow("unix socket") << u << QStringLiteral("unix:///run/redis/redis-server.sock");
    u.database = 3;
    u.username = QStringLiteral("alice");
    u.password = QStringLiteral("secret");
    QTest::newRow("unix socket, user and database")
        << u << QStringLiteral("unix://alice:@/run/redis/redis-server.sock?db=3");
    u.username.clear();
    u.database = 0;
    u.socketPath = QStringLiteral("/tmp/my redis?@%.sock");
    QTest::newRow("unix socket, odd path")
        << u << QStringLiteral("unix:///tmp/my%20redis%3F%40%25.sock");

    ConnectionOptions s;
    s.sentinels = {QStringLiteral("s1:26379"), QStringLiteral("s2"), QStringLiteral("[::1]:7")};
    s.masterName = QStringLiteral("mymaster");
    QTest::newRow("sentinels") << s
                               << QStringLiteral(
                                      "redis-sentinel://s1:26379,s2:26379,[::1]:7/mymaster");
    s.database = 3;
    s.tls = true;
    s.username = QStringLiteral("alice");
    s.password = QStringLiteral("secret");
    s.sentinelUsername = QStringLiteral("watch er");
    s.sentinelPassword = QStringLiteral("sentinel-secret");
    QTest::newRow("sentinels, TLS, users, database, passwords left out")
        << s
        << QStringLiteral("rediss-sentinel://alice:@s1:26379,s2:26379,[::1]:7/mymaster/3"
                          "?sentinel_username=watch%20er");
}

void TestConnectionOptions::toUrl()
{
    QFETCH(ConnectionOptions, options);
    QFETCH(QString, url);
    QCOMPARE(options.toUrl(), url);
    QVERIFY(options.password.isEmpty() || !options.toUrl().contains(options.password));
    QVERIFY(options.sentinelPassword.isEmpty()
            || !options.toUrl().contains(options.sentinelPassword));
}

// fromUrl(toUrl(o)) gives o back, apart from the password toUrl leaves out.
void TestConnectionOptions::roundTrip_data()
{
    QTest::addColumn<QString>("url");

    for (const char *url :
         {"redis://h:6379", "redis://h:6380/7", "rediss://h:6380", "redis://alice:pw@h:6379/1",
          "redis://al%20ice:pw@h:6379", "redis://%40dmin%3A:pw@h:6379", "redis://[::1]:6390/2",
          "rediss://alice:pw@[2001:db8::7]:7000/4", "unix:///tmp/redis.sock",
          "unix:///tmp/redis.sock?db=3", "unix://alice:pw@/run/redis.sock?db=1",
          "unix:///tmp/my%20redis%3F%40%25.sock", "redis-sentinel://s1:26379/mymaster",
          "rediss-sentinel://alice:pw@s1:26379,[::1]:26380/my%20master/2",
          "redis-sentinel://s1:26379,s2:26379/m?sentinel_username=w%40tch&sentinel_password=x"})
        QTest::newRow(url) << QString::fromLatin1(url);
}

void TestConnectionOptions::roundTrip()
{
    QFETCH(QString, url);
    ConnectionOptions first;
    QString error;
    QVERIFY2(ConnectionOptions::fromUrl(url, &first, &error), qPrintable(error));
    ConnectionOptions second;
    const QString written = first.toUrl();
    QVERIFY2(ConnectionOptions::fromUrl(written, &second, &error), qPrintable(error));
    QCOMPARE(second.transport, first.transport);
    QCOMPARE(second.host, first.host);
    QCOMPARE(second.port, first.port);
    QCOMPARE(second.socketPath, first.socketPath);
    QCOMPARE(second.username, first.username);
    QCOMPARE(second.password, QString());
    QCOMPARE(second.database, first.database);
    QCOMPARE(second.tls, first.tls);
    QCOMPARE(second.sentinels, first.sentinels);
    QCOMPARE(second.masterName, first.masterName);
    QCOMPARE(second.sentinelUsername, first.sentinelUsername);
    QCOMPARE(second.sentinelPassword, QString());
    QCOMPARE(second.toUrl(), written);
}

void TestConnectionOptions::endpoint_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("endpoint");
    QTest::newRow("host") << QStringLiteral("redis://:pw@h:6380/2") << QStringLiteral("h:6380");
    QTest::newRow("IPv6") << QStringLiteral("rediss://[::1]") << QStringLiteral("[::1]:6379");
    QTest::newRow("unix") << QStringLiteral("unix:///tmp/r.sock?db=2")
                          << QStringLiteral("/tmp/r.sock");
    QTest::newRow("sentinels") << QStringLiteral("redis-sentinel://s1,s2:7/mymaster")
                               << QStringLiteral("mymaster via s1:26379,s2:7");
}

void TestConnectionOptions::endpoint()
{
    QFETCH(QString, url);
    QFETCH(QString, endpoint);
    ConnectionOptions o;
    QVERIFY(ConnectionOptions::fromUrl(url, &o, nullptr));
    QCOMPARE(o.endpoint(), endpoint);
}

// ---------------------------------------------------------------------------- validate

void TestConnectionOptions::validate_data()
{
    QTest::addColumn<ConnectionOptions>("options");
    QTest::addColumn<QString>("problem"); // empty: valid

    const QString readable = m_readable.fileName();
    const QString missing = QStringLiteral("/nonexistent/weir/ca.pem");
    ConnectionOptions o;
    QTest::newRow("defaults") << o << QString();

    o = {};
    o.host = QString();
    QTest::newRow("no host") << o << QStringLiteral("host name");
    o.host = QStringLiteral("   ");
    QTest::newRow("blank host") << o << QStringLiteral("host name");
    o.host = QStringLiteral("my host");
    QTest::newRow("space in host") << o << QStringLiteral("spaces");
    o = {};
    o.port = 0;
    QTest::newRow("port 0") << o << QStringLiteral("port");
    o = {};
    o.database = -1;
    QTest::newRow("negative database") << o << QStringLiteral("database");
    o = {};
    o.connectTimeoutMs = 99;
    QTest::newRow("connect timeout too short") << o << QStringLiteral("100 ms");
    o = {};
    o.commandTimeoutMs = 0;
    QTest::newRow("command timeout 0") << o << QStringLiteral("100 ms");
    o = {};
    o.connectTimeoutMs = 100;
    o.commandTimeoutMs = 100;
    QTest::newRow("shortest timeouts") << o << QString();

    o = {};
    o.transport = Transport::Unix;
    QTest::newRow("unix, no path") << o << QStringLiteral("path");
    o.socketPath = QStringLiteral("redis.sock");
    QTest::newRow("unix, relative path") << o << QStringLiteral("absolute");
    o.socketPath = QStringLiteral("/tmp/redis.sock");
    QTest::newRow("unix") << o << QString();
    o.host = QString(); // the host does not matter for a socket
    QTest::newRow("unix, no host") << o << QString();
    o.tls = true;
    QTest::newRow("unix with TLS") << o << QStringLiteral("TLS is for TCP");

    o = {};
    o.tls = true;
    QTest::newRow("TLS, system CAs") << o << QString();
    o.caFile = readable;
    QTest::newRow("TLS, CA file") << o << QString();
    o.caFile = missing;
    QTest::newRow("TLS, missing CA file") << o << QStringLiteral("Cannot read the file");
    o.caFile.clear();
    o.certFile = readable;
    QTest::newRow("TLS, certificate without key") << o << QStringLiteral("private key");
    o.keyFile = readable;
    QTest::newRow("TLS, certificate and key") << o << QString();
    o.certFile.clear();
    QTest::newRow("TLS, key without certificate") << o << QStringLiteral("private key");
    o.certFile = missing;
    QTest::newRow("TLS, missing certificate") << o << QStringLiteral("Cannot read the file");

    o = {};
    o.caFile = missing; // ignored without TLS
    QTest::newRow("no TLS, missing CA file ignored") << o << QString();

    o = {};
    o.sentinels = {QStringLiteral("s1:26379"), QStringLiteral("s2")};
    o.masterName = QStringLiteral("mymaster");
    QTest::newRow("sentinels") << o << QString();
    o.host.clear(); // the master's address comes from the sentinels
    o.port = 0;
    QTest::newRow("sentinels, no host") << o << QString();
    o.masterName.clear();
    QTest::newRow("sentinels, no master name") << o << QStringLiteral("name of the master");
    o.masterName = QStringLiteral("   ");
    QTest::newRow("sentinels, blank master name") << o << QStringLiteral("name of the master");
    o.masterName = QStringLiteral("my master");
    QTest::newRow("sentinels, space in master name") << o << QStringLiteral("spaces");
    o.masterName = QStringLiteral("mymaster");
    o.sentinels = {QStringLiteral("s1:26379"), QStringLiteral("s2:0")};
    QTest::newRow("sentinel port 0") << o << QStringLiteral("Sentinel \"s2:0\": The port");
    o.sentinels = {QStringLiteral("s1:abc")};
    QTest::newRow("sentinel port with letters") << o << QStringLiteral("not \"abc\"");
    o.sentinels = {QStringLiteral(":26379")};
    QTest::newRow("sentinel without host") << o << QStringLiteral("enter a host name");
    o.sentinels = {QString()};
    QTest::newRow("empty sentinel") << o << QStringLiteral("enter a host name");
    o.sentinels = {QStringLiteral("my host:26379")};
    QTest::newRow("space in sentinel host") << o << QStringLiteral("spaces");
    o.sentinels = {QStringLiteral("[::1:26379")};
    QTest::newRow("sentinel IPv6 without ']'") << o << QStringLiteral("']'");
    o.sentinels = {QStringLiteral("s1")};
    o.transport = Transport::Unix;
    o.socketPath = QStringLiteral("/tmp/redis.sock");
    QTest::newRow("sentinels over a unix socket") << o << QStringLiteral("over TCP");
    o = {};
    o.masterName = QStringLiteral("mymaster");
    QTest::newRow("master name without sentinels") << o << QStringLiteral("at least one sentinel");
}

void TestConnectionOptions::validate()
{
    QFETCH(ConnectionOptions, options);
    QFETCH(QString, problem);
    const QString why = options.validate();
    if (problem.isEmpty())
        QVERIFY2(why.isEmpty(), qPrintable(why));
    else
        QVERIFY2(why.contains(problem), qPrintable(why));
}

QTEST_APPLESS_MAIN(TestConnectionOptions)
#include "tst_connectionoptions.moc"
