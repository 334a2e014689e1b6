// TLS connections to a real redis-server with certificates made at test time by the
// openssl command-line tool: verification, SNI, client certificates, rediss:// URLs.

#include "integrationsupport.h"
#include "localserverbuild.h"
#include "serverversion.h"

#include "errorhint.h"

#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

using namespace integration;

class TestTls : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void verifiedWithCa();
    void verifiedWithCa_data();
    void untrustedWithoutCa();
    void verificationOff();
    void hostNameMismatch();
    void clientCertificateMissing();
    void clientCertificate();
    void clientCertificate_data();
    void redissUrl();
    void plainClientOnTlsPort();

private:
    bool openssl(const QStringList &arguments);
    bool makeCertificate(const QString &name, const QString &subject, const QString &extensions,
                         const QStringList &keyOptions);
    QString file(const QString &name) const { return m_dir.filePath(name); }
    LocalRedisServer::Config serverConfig(bool authClients = false) const;
    ConnectionOptions tlsOptions(const LocalRedisServer &server) const;
    // Opens a connection that is expected to fail, and returns its final state message.
    QString failedMessage(const ConnectionOptions &options);

    QTemporaryDir m_dir;
    QString m_openssl;
};

bool TestTls::openssl(const QStringList &arguments)
{
    QProcess process;
    process.setProcessChannelMode(QProcess::MergedChannels);
    process.start(m_openssl, arguments);
    if (!process.waitForFinished(30000) || process.exitStatus() != QProcess::NormalExit
        || process.exitCode() != 0) {
        qWarning().noquote() << "openssl" << arguments.join(QLatin1Char(' '))
                             << "failed:" << process.readAll();
        return false;
    }
    return true;
}

// A key and a certificate signed by the test CA: <name>.key, <name>.crt.
bool TestTls::makeCertificate(const QString &name, const QString &subject,
                              const QString &extensions, const QStringList &keyOptions)
{
    const QString ext = file(name + QStringLiteral(".ext"));
    QFile extFile(ext);
    if (!extFile.open(QIODevice::WriteOnly))
        return false;
    extFile.write(extensions.toUtf8());
    extFile.close();
    return openssl(
               QStringList{QStringLiteral("req"), QStringLiteral("-new"), QStringLiteral("-nodes")}
               + keyOptions
               + QStringList{QStringLiteral("-keyout"), file(name + QStringLiteral(".key")),
                             QStringLiteral("-out"), file(name + QStringLiteral(".csr")),
                             QStringLiteral("-subj"), subject})
           && openssl({QStringLiteral("x509"), QStringLiteral("-req"), QStringLiteral("-in"),
                       file(name + QStringLiteral(".csr")), QStringLiteral("-CA"),
                       file(QStringLiteral("ca.crt")), QStringLiteral("-CAkey"),
                       file(QStringLiteral("ca.key")), QStringLiteral("-CAcreateserial"),
                       QStringLiteral("-days"), QStringLiteral("2"), QStringLiteral("-sha256"),
                       QStringLiteral("-extfile"), ext, QStringLiteral("-out"),
                       file(name + QStringLiteral(".crt"))});
}

void TestTls::initTestCase()
{
    QVERIFY2(LocalServerBuild::current().isValid(), qPrintable(LocalServerBuild::current().error));
    m_openssl = QStandardPaths::findExecutable(QStringLiteral("openssl"));
    QVERIFY2(!m_openssl.isEmpty(), "the openssl command-line tool is not installed");
    QVERIFY(m_dir.isValid());
    const QStringList rsa = {QStringLiteral("-newkey"), QStringLiteral("rsa:2048")};
    const QStringList ec = {QStringLiteral("-newkey"), QStringLiteral("ec"),
                            QStringLiteral("-pkeyopt"),
                            QStringLiteral("ec_paramgen_curve:prime256v1")};
    QVERIFY(openssl(QStringList{QStringLiteral("req"), QStringLiteral("-x509"),
                                QStringLiteral("-new"), QStringLiteral("-nodes")}
                    + rsa
                    + QStringList{QStringLiteral("-keyout"), file(QStringLiteral("ca.key")),
                                  QStringLiteral("-out"), file(QStringLiteral("ca.crt")),
                                  QStringLiteral("-days"), QStringLiteral("2"),
                                  QStringLiteral("-subj"), QStringLiteral("/CN=Weir Test CA")}));
    QVERIFY(makeCertificate(QStringLiteral("server"), QStringLiteral("/CN=localhost"),
                            QStringLiteral("basicConstraints=CA:FALSE\n"
                                           "keyUsage=digitalSignature,keyEncipherment\n"
                                           "extendedKeyUsage=serverAuth\n"
                                           "subjectAltName=DNS:localhost,IP:127.0.0.1\n"),
                            rsa));
    const QString clientExtensions = QStringLiteral("basicConstraints=CA:FALSE\n"
                                                    "keyUsage=digitalSignature,keyEncipherment\n"
                                                    "extendedKeyUsage=clientAuth\n");
    QVERIFY(makeCertificate(QStringLiteral("client"), QStringLiteral("/CN=weir-client"),
                            clientExtensions, rsa));
    QVERIFY(makeCertificate(QStringLiteral("client-ec"), QStringLiteral("/CN=weir-client-ec"),
                            clientExtensions, ec));
}

LocalRedisServer::Config TestTls::serverConfig(bool authClients) const
{
    LocalRedisServer::Config config;
    config.tls = true;
    config.tlsCert = file(QStringLiteral("server.crt"));
    config.tlsKey = file(QStringLiteral("server.key"));
    config.tlsCa = file(QStringLiteral("ca.crt"));
    config.tlsAuthClients = authClients;
    return config;
}

ConnectionOptions TestTls::tlsOptions(const LocalRedisServer &server) const
{
    ConnectionOptions o = quickOptions(server);
    o.caFile = file(QStringLiteral("ca.crt"));
    return o;
}

QString TestTls::failedMessage(const ConnectionOptions &options)
{
    RedisConnection connection(options);
    QSignalSpy states(&connection, &RedisConnection::stateChanged);
    connection.open(false);
    if (!QTest::qWaitFor([&] { return connection.state() == ConnectionState::Failed; }, 10000)) {
        qWarning() << "still" << connectionStateName(connection.state())
                   << connection.stateMessage();
        return {};
    }
    if (integration::states(states).contains(ConnectionState::Connected)) {
        qWarning() << "connected before failing:" << connection.stateMessage();
        return {};
    }
    qInfo().noquote() << "failed as expected:" << connection.stateMessage();
    return connection.stateMessage();
}

void TestTls::verifiedWithCa_data()
{
    QTest::addColumn<QString>("host");
    QTest::addColumn<QString>("sniName");
    QTest::newRow("IP address in subjectAltName") << QStringLiteral("127.0.0.1") << QString();
    QTest::newRow("SNI localhost") << QStringLiteral("127.0.0.1") << QStringLiteral("localhost");
}

void TestTls::verifiedWithCa()
{
    QFETCH(QString, host);
    QFETCH(QString, sniName);
    LocalRedisServer server(serverConfig());
    START_SERVER(server);
    ConnectionOptions options = tlsOptions(server);
    QVERIFY(options.tls);
    QVERIFY(options.verifyPeer);
    options.host = host;
    options.sniName = sniName;
    RedisConnection connection(options);
    OPEN_CONNECTED(connection);
    QCOMPARE(connection.serverInfo().displayName(), testserver::info().displayName());
    QCOMPARE(connection.serverInfo().role, QStringLiteral("master"));
    QCOMPARE(command(connection, {"SET", "k", "over tls"}), RedisValue::status("OK"));
    QCOMPARE(command(connection, {"GET", "k"}), RedisValue::string("over tls"));

    // A larger reply, so that it arrives in several TLS records.
    const QByteArray big(1 << 20, 'x');
    QCOMPARE(command(connection, {"SET", "big", big}), RedisValue::status("OK"));
    QCOMPARE(command(connection, {"GET", "big"}), RedisValue::string(big));
}

void TestTls::untrustedWithoutCa()
{
    LocalRedisServer server(serverConfig());
    START_SERVER(server);
    ConnectionOptions options = tlsOptions(server);
    options.caFile.clear(); // the system's CAs, which do not know the test CA
    const QString message = failedMessage(options);
    QVERIFY2(!message.isEmpty(), "the connection did not fail");
    QVERIFY2(message.contains(QLatin1String("issuer certificate"), Qt::CaseInsensitive)
                 || message.contains(QLatin1String("untrusted"), Qt::CaseInsensitive),
             qPrintable(message));
    QVERIFY2(errorHint(message).contains(QLatin1String("not trusted")), qPrintable(message));
    QVERIFY2(message.count(QLatin1String("untrusted")) + message.count(QLatin1String("issuer"))
                 == 1,
             qPrintable(message)); // said once, not once per source
    QVERIFY(message.endsWith(QLatin1Char('(') + options.endpoint() + QLatin1Char(')')));
}

void TestTls::verificationOff()
{
    LocalRedisServer server(serverConfig());
    START_SERVER(server);
    ConnectionOptions options = tlsOptions(server);
    options.caFile.clear();
    options.verifyPeer = false;
    options.sniName = QStringLiteral("wrong.example"); // not checked either
    RedisConnection connection(options);
    OPEN_CONNECTED(connection);
    QCOMPARE(command(connection, {"PING"}), RedisValue::status("PONG"));
}

void TestTls::hostNameMismatch()
{
    LocalRedisServer server(serverConfig());
    START_SERVER(server);
    ConnectionOptions options = tlsOptions(server);
    options.sniName = QStringLiteral("wrong.example");
    const QString message = failedMessage(options);
    QVERIFY2(!message.isEmpty(), "the connection did not fail");
    QVERIFY2(message.contains(QLatin1String("host name"), Qt::CaseInsensitive),
             qPrintable(message));
    QVERIFY2(errorHint(message).contains(QLatin1String("SNI")), qPrintable(message));
    QCOMPARE(message.count(QLatin1String("host name")), 1);
}

void TestTls::clientCertificateMissing()
{
    LocalRedisServer server(serverConfig(true));
    START_SERVER(server);
    const QString message = failedMessage(tlsOptions(server));
    QVERIFY2(!message.isEmpty(), "the connection did not fail");
    QVERIFY2(message.contains(QLatin1String("certificate"), Qt::CaseInsensitive),
             qPrintable(message));
    QVERIFY2(errorHint(message).contains(QLatin1String("client certificate")), qPrintable(message));
}

void TestTls::clientCertificate_data()
{
    QTest::addColumn<QString>("name");
    QTest::newRow("RSA key") << QStringLiteral("client");
    QTest::newRow("EC key") << QStringLiteral("client-ec");
}

void TestTls::clientCertificate()
{
    QFETCH(QString, name);
    LocalRedisServer server(serverConfig(true));
    START_SERVER(server);
    ConnectionOptions options = tlsOptions(server);
    options.certFile = file(name + QStringLiteral(".crt"));
    options.keyFile = file(name + QStringLiteral(".key"));
    QVERIFY(options.validate().isEmpty());
    RedisConnection connection(options);
    OPEN_CONNECTED(connection);
    QCOMPARE(command(connection, {"PING"}), RedisValue::status("PONG"));
}

void TestTls::redissUrl()
{
    LocalRedisServer server(serverConfig());
    START_SERVER(server);
    RedisConnection seed(tlsOptions(server));
    OPEN_CONNECTED(seed);
    QCOMPARE(command(seed, {"SELECT", "2"}), RedisValue::status("OK"));
    QCOMPARE(command(seed, {"SET", "where", "db2"}), RedisValue::status("OK"));

    ConnectionOptions base;
    base.caFile = file(QStringLiteral("ca.crt"));
    ConnectionOptions options;
    QString error;
    const QString url = QStringLiteral("rediss://127.0.0.1:%1/2").arg(server.port());
    QVERIFY2(ConnectionOptions::fromUrl(url, &options, &error, base), qPrintable(error));
    QVERIFY(options.tls);
    QCOMPARE(options.port, server.port());
    QCOMPARE(options.database, 2);
    QCOMPARE(options.caFile, base.caFile);
    QVERIFY2(options.validate().isEmpty(), qPrintable(options.validate()));
    QCOMPARE(options.toUrl(), url);

    RedisConnection connection(options);
    OPEN_CONNECTED(connection);
    QCOMPARE(command(connection, {"GET", "where"}), RedisValue::string("db2"));
}

// redis:// to a TLS port: the server hangs up, and the hint suggests TLS.
void TestTls::plainClientOnTlsPort()
{
    LocalRedisServer server(serverConfig());
    START_SERVER(server);
    ConnectionOptions options = tlsOptions(server);
    options.tls = false;
    const QString message = failedMessage(options);
    QVERIFY2(!message.isEmpty(), "the connection did not fail");
    QVERIFY2(errorHint(message).contains(QLatin1String("TLS")), qPrintable(message));
}

QTEST_GUILESS_MAIN(TestTls)
#include "tst_tls.moc"
