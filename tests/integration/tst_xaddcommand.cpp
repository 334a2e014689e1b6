// redisCliXaddCommand() against the real tools: the line it makes, fed to redis-cli as an
// operator would paste it, recreates the entry byte for byte (read back with XRANGE
// through RedisConnection, not through redis-cli's own escaping).

#include "integrationsupport.h"
#include "localserverbuild.h"

#include "valuedecoder.h"

#include <QProcess>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QtTest>

#include <memory>

using namespace integration;

using Fields = QList<QPair<QByteArray, QByteArray>>;

class TestXaddCommand : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void roundTrip_data();
    void roundTrip();
    void badLineIsRefused();

private:
    // What redis-cli prints for `line` given on its standard input.
    QByteArray runRedisCli(const QByteArray &line);

    std::unique_ptr<LocalRedisServer> m_server;
    std::unique_ptr<RedisConnection> m_connection;
};

void TestXaddCommand::initTestCase()
{
    QVERIFY2(LocalServerBuild::current().isValid(), qPrintable(LocalServerBuild::current().error));
    QVERIFY2(!LocalServerBuild::current().cliProgram.isEmpty(), "redis-cli is not installed");
    m_server = std::make_unique<LocalRedisServer>();
    START_SERVER(*m_server);
    m_connection = std::make_unique<RedisConnection>(quickOptions(*m_server));
    OPEN_CONNECTED(*m_connection);
}

void TestXaddCommand::cleanupTestCase()
{
    m_connection.reset();
    m_server.reset(); // stops the server (by its PID)
}

QByteArray TestXaddCommand::runRedisCli(const QByteArray &line)
{
    QProcess cli;
    cli.start(LocalServerBuild::current().cliProgram,
              {QStringLiteral("-h"), QStringLiteral("127.0.0.1"), QStringLiteral("-p"),
               QString::number(m_server->port())});
    if (!cli.waitForStarted(10000))
        return "(redis-cli did not start)";
    cli.write(line + '\n');
    cli.closeWriteChannel();
    if (!cli.waitForFinished(30000))
        return "(redis-cli did not finish)";
    return cli.readAllStandardOutput() + cli.readAllStandardError();
}

void TestXaddCommand::roundTrip_data()
{
    QTest::addColumn<QByteArray>("stream");
    QTest::addColumn<QByteArray>("id");
    QTest::addColumn<Fields>("fields");

    QByteArray everyByte;
    for (int b = 0; b < 256; ++b)
        everyByte += char(b);
    QByteArray random(64 * 1024, Qt::Uninitialized);
    QRandomGenerator generator(20240607);
    for (char &c : random)
        c = char(generator.bounded(256));
    const QByteArray json = R"({"名前":"café ☕","n":1,"s":"a \"q\" \\ b"})";

    QTest::newRow("every byte value")
        << QByteArray("rt:bytes") << QByteArray("*") << Fields{{"bytes", everyByte}};
    QTest::newRow("empty field and value")
        << QByteArray("rt:empty") << QByteArray("*") << Fields{{"", ""}, {"data", ""}};
    QTest::newRow("quotes and backslashes") << QByteArray("rt:quotes") << QByteArray("*")
                                            << Fields{{"q", R"("quoted" 'single' it's)"},
                                                      {"b", R"(\x41 \\ \" \n)"},
                                                      {"end", "\\"},
                                                      {"start", "\"x"}};
    QTest::newRow("spaces, line breaks, controls")
        << QByteArray("rt:space") << QByteArray("*")
        << Fields{{"a b", " lead\r\nmid\tend "}, {"ctl", QByteArray("\a\b\x1b\0\x7f", 5)}};
    QTest::newRow("UTF-8 JSON (designs 000-003)")
        << QByteArray("rt:json") << QByteArray("*")
        << Fields{{"message_id", "3f2b8c1e-0d6a-4c55-9a57-2f1f0b6c9d11"},
                  {"data", json},
                  {"timestamp", "1700000000"}};
    QTest::newRow("gzip + base64 and raw zlib (design 004)")
        << QByteArray("dashboard-updates") << QByteArray("*")
        << Fields{{"data", qCompress(json).mid(4).toBase64()}, {"raw", qCompress(json).mid(4)}};
    QTest::newRow("duplicate fields, in order")
        << QByteArray("rt:dup") << QByteArray("*") << Fields{{"a", "1"}, {"b", "2"}, {"a", "3"}};
    QTest::newRow("explicit id") << QByteArray("rt:id") << QByteArray("1700000000000-7")
                                 << Fields{{"k", "v"}};
    QTest::newRow("binary stream name")
        << QByteArray("queue:\xff \"name\"") << QByteArray("*") << Fields{{"f", "v"}};
    QTest::newRow("64 KiB of random bytes")
        << QByteArray("rt:random") << QByteArray("*") << Fields{{"blob", random}};
}

void TestXaddCommand::roundTrip()
{
    QFETCH(QByteArray, stream);
    QFETCH(QByteArray, id);
    QFETCH(Fields, fields);

    const QByteArray line = redisCliXaddCommand(stream, id, fields);
    QVERIFY(std::all_of(line.begin(), line.end(), [](char c) { return c >= 0x20 && c < 0x7f; }));
    const QByteArray output = runRedisCli(line);
    const QByteArray newId = output.trimmed();
    QVERIFY2(QRegularExpression(QStringLiteral("^\\d+-\\d+$"))
                 .match(QString::fromLatin1(newId))
                 .hasMatch(),
             output.constData());
    if (id != "*")
        QCOMPARE(newId, id);

    const RedisValue range = command(*m_connection, {"XRANGE", stream, newId, newId});
    QVERIFY2(range.isArray() && range.size() == 1, qPrintable(range.toDisplayString()));
    const RedisValue &entry = range.at(0);
    QCOMPARE(entry.at(0).bytes(), newId);
    const RedisValue &values = entry.at(1);
    QCOMPARE(values.size(), fields.size() * 2);
    for (qsizetype i = 0; i < fields.size(); ++i) {
        QCOMPARE(values.at(2 * i).bytes(), fields.at(i).first);
        QCOMPARE(values.at(2 * i + 1).bytes(), fields.at(i).second);
    }
}

// The test would notice a line redis-cli does not accept: this one it refuses.
void TestXaddCommand::badLineIsRefused()
{
    QCOMPARE(runRedisCli(R"(XADD rt:bad * f "unterminated)"), QByteArray("Invalid argument(s)\n"));
    QCOMPARE(command(*m_connection, {"EXISTS", "rt:bad"}).toInteger(), 0);
}

QTEST_GUILESS_MAIN(TestXaddCommand)
#include "tst_xaddcommand.moc"
