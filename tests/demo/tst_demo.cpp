// The demo behind `weir --demo`: it starts its own redis-server, seeds queues shaped like
// those in docs QUEUES.md and runs a live workload. These tests look at the server through
// a separate connection, the way Weir's views will.
#include "demoenvironment.h"
#include "gzip.h"
#include "localredisserver.h"
#include "localserverbuild.h"
#include "redisconnection.h"
#include "replyparsers.h"
#include "serverversion.h"
#include "workload.h"

#include <QDateTime>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTemporaryFile>
#include <QTest>

#include <memory>
#include <optional>

using FieldMap = QHash<QByteArray, QByteArray>;

namespace {

// Whether `pid` is a live process: a zombie (dead, not yet reaped by whoever inherited
// it) counts as gone, since it neither runs nor holds the port.
bool processAlive(qint64 pid)
{
    QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!stat.open(QIODevice::ReadOnly))
        return false;
    const QByteArray text = stat.readAll();
    const qsizetype paren = text.lastIndexOf(')');
    if (paren < 0 || paren + 2 >= text.size())
        return false;
    const char state = text.at(paren + 2);
    return state != 'Z' && state != 'X';
}

bool portRefuses(quint16 port)
{
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, port);
    return !socket.waitForConnected(2000);
}

// Runs a filter program on `input`; nullopt when it fails.
std::optional<QByteArray> filter(const QString &program, const QStringList &args,
                                 const QByteArray &input)
{
    QProcess p;
    p.start(program, args);
    if (!p.waitForStarted(5000))
        return std::nullopt;
    p.write(input);
    p.closeWriteChannel();
    if (!p.waitForFinished(20000) || p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0)
        return std::nullopt;
    return p.readAllStandardOutput();
}

std::optional<QByteArray> gunzipWithGzip(const QByteArray &gz)
{
    return filter(QStringLiteral("gzip"), {QStringLiteral("-dc")}, gz);
}

FieldMap fieldMap(const RedisValue &fields)
{
    FieldMap map;
    for (qsizetype i = 0; i + 1 < fields.size(); i += 2)
        map.insert(fields.at(i).bytes(), fields.at(i + 1).bytes());
    return map;
}

QJsonObject jsonObject(const QByteArray &text)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(text, &error);
    return doc.isObject() ? doc.object() : QJsonObject();
}

qint64 idMs(const QByteArray &id)
{
    return qint64(StreamId::parse(id).value_or(StreamId{}).ms);
}

} // namespace

class TestDemo : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();

    void gzipIsRealGzip_data();
    void gzipIsRealGzip();
    void builtInWorkloadParses();
    void rejectsBadWorkload_data();
    void rejectsBadWorkload();
    void startFailsOnBadWorkloadFile();

    void streamsAndGroupsExist_data();
    void streamsAndGroupsExist();
    void seededEntryCounts();
    void taskEntries();
    void dashboardPayloadIsGzipJson();
    void orderEntries();
    void seededDeadLetters();
    void liveDeadLetters();
    void crashedConsumerLeavesPending();
    void nilLagOnAuditGroup();
    void liveProducersAdd_data();
    void liveProducersAdd();
    void liveConsumersRead_data();
    void liveConsumersRead();
    void metricsTrimmed();

    void stopEndsServer();
    void serverDiesWithParent();
    void olderServerIsNamed();

private:
    // Sends one pipelined request on the test's own connection and waits for it.
    QList<RedisValue> call(const QList<RedisCommand> &commands);
    RedisValue call(const RedisCommand &command);
    qint64 xlen(const QByteArray &key);
    std::optional<StreamInfo> streamInfo(const QByteArray &key);
    std::optional<GroupInfo> groupInfo(const QByteArray &key, const QByteArray &group);
    std::optional<qint64> consumerPending(const QByteArray &key, const QByteArray &group,
                                          const QByteArray &consumer);

    std::unique_ptr<DemoEnvironment> m_demo;
    std::unique_ptr<RedisConnection> m_client;
    qint64 m_readyMs = 0;
};

QList<RedisValue> TestDemo::call(const QList<RedisCommand> &commands)
{
    // Shared, so that a reply arriving after a timeout writes to something alive.
    auto result = std::make_shared<std::optional<RedisResult>>();
    m_client->send(commands, this, [result](const RedisResult &r) { *result = r; });
    if (!QTest::qWaitFor([result] { return result->has_value(); }, 10000)) {
        qWarning("no reply within 10 s");
        return {};
    }
    if (!(*result)->ok()) {
        qWarning() << "request failed:" << (*result)->error;
        return {};
    }
    return (*result)->replies;
}

RedisValue TestDemo::call(const RedisCommand &command)
{
    const QList<RedisValue> replies = call(QList<RedisCommand>{command});
    return replies.isEmpty() ? RedisValue::error("no reply") : replies.constFirst();
}

qint64 TestDemo::xlen(const QByteArray &key)
{
    return call(RedisCommand{"XLEN", key}).toInteger();
}

std::optional<StreamInfo> TestDemo::streamInfo(const QByteArray &key)
{
    QString error;
    return parseStreamInfo(call(RedisCommand{"XINFO", "STREAM", key}), &error);
}

std::optional<GroupInfo> TestDemo::groupInfo(const QByteArray &key, const QByteArray &group)
{
    QString error;
    const auto groups = parseGroupsInfo(call(RedisCommand{"XINFO", "GROUPS", key}), &error);
    if (!groups)
        return std::nullopt;
    for (const GroupInfo &g : *groups) {
        if (g.name == group)
            return g;
    }
    return std::nullopt;
}

std::optional<qint64> TestDemo::consumerPending(const QByteArray &key, const QByteArray &group,
                                                const QByteArray &consumer)
{
    const RedisValue reply = call(RedisCommand{"XINFO", "CONSUMERS", key, group});
    for (const RedisValue &c : reply.elements()) {
        const FieldMap fields = fieldMap(c);
        // XINFO CONSUMERS mixes strings and integers; read them apart.
        QByteArray name;
        std::optional<qint64> pending;
        for (qsizetype i = 0; i + 1 < c.size(); i += 2) {
            if (c.at(i).bytes() == "name")
                name = c.at(i + 1).bytes();
            else if (c.at(i).bytes() == "pending")
                pending = c.at(i + 1).toInteger();
        }
        if (name == consumer)
            return pending;
    }
    return std::nullopt;
}

void TestDemo::initTestCase()
{
    QVERIFY2(LocalServerBuild::current().isValid(), qPrintable(LocalServerBuild::current().error));
    m_demo = std::make_unique<DemoEnvironment>();
    QSignalSpy failed(m_demo.get(), &DemoEnvironment::failed);
    QString error;
    QVERIFY2(m_demo->start(&error), qPrintable(error));
    QCOMPARE(m_demo->options().name, QStringLiteral("Demo"));
    QCOMPARE(m_demo->options().host, QStringLiteral("127.0.0.1"));
    QVERIFY(m_demo->isRunning());
    QTRY_VERIFY_WITH_TIMEOUT(m_demo->isReady() || !failed.isEmpty(), 30000);
    QVERIFY2(failed.isEmpty(),
             failed.isEmpty() ? "" : qPrintable(failed.first().first().toString()));
    m_readyMs = QDateTime::currentMSecsSinceEpoch();

    m_client = std::make_unique<RedisConnection>(m_demo->options());
    m_client->open(false);
    QTRY_COMPARE_WITH_TIMEOUT(m_client->state(), ConnectionState::Connected, 10000);
}

void TestDemo::cleanupTestCase()
{
    m_client.reset();
    m_demo.reset();
}

// ---- Pieces without a server ------------------------------------------------------------

void TestDemo::gzipIsRealGzip_data()
{
    QTest::addColumn<QByteArray>("data");
    QTest::newRow("empty") << QByteArray();
    QTest::newRow("one byte") << QByteArray("x");
    QTest::newRow("json") << QByteArray(R"({"event":"session_update","data":{"users":42}})");
    QTest::newRow("binary with NULs") << QByteArray("\x00\x01\xff\x00\x1f\x8b", 6);
    QByteArray repetitive;
    while (repetitive.size() < 1 << 20)
        repetitive += R"({"metric":"p95_latency_ms","value":123.5},)";
    QTest::newRow("1 MiB repetitive") << repetitive;
    QByteArray noise(300 * 1024, Qt::Uninitialized);
    QRandomGenerator rng(42);
    rng.fillRange(reinterpret_cast<quint32 *>(noise.data()), noise.size() / 4);
    QTest::newRow("300 KiB incompressible") << noise;
}

void TestDemo::gzipIsRealGzip()
{
    QFETCH(QByteArray, data);
    const QByteArray gz = gzipCompress(data);
    QVERIFY(gz.size() >= 18);
    QCOMPARE(gz.left(3), QByteArray("\x1f\x8b\x08", 3));

    const std::optional<QByteArray> viaGzip = gunzipWithGzip(gz);
    QVERIFY2(viaGzip, "gzip -dc rejected the member (bad deflate data, CRC32 or ISIZE)");
    QCOMPARE(*viaGzip, data);

    const QString python = QStandardPaths::findExecutable(QStringLiteral("python3"));
    if (python.isEmpty())
        QSKIP("python3 is not installed; checked with gzip only");
    const auto viaPython = filter(
        python,
        {QStringLiteral("-c"),
         QStringLiteral("import gzip, sys; "
                        "sys.stdout.buffer.write(gzip.decompress(sys.stdin.buffer.read()))")},
        gz);
    QVERIFY2(viaPython, "python's gzip module rejected the member");
    QCOMPARE(*viaPython, data);
}

void TestDemo::builtInWorkloadParses()
{
    QFile file(Workload::builtInPath());
    QVERIFY2(file.open(QIODevice::ReadOnly), qPrintable(file.errorString()));
    QString error;
    const auto workload = Workload::fromJson(file.readAll(), &error);
    QVERIFY2(workload, qPrintable(error));
    QCOMPARE(workload->streams.size(), 4);
    QCOMPARE(workload->deadLetterStreams(), QList<QByteArray>{"orders:dlq"});
}

void TestDemo::rejectsBadWorkload_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("why");
    QTest::newRow("not json") << QByteArray("{") << QStringLiteral("not JSON");
    QTest::newRow("no streams") << QByteArray(R"({"streams": []})") << QStringLiteral("no streams");
    QTest::newRow("misspelt field")
        << QByteArray(R"({"streams": [{"key": "a", "shape": "task", "producr": {}}]})")
        << QStringLiteral("unknown field \"producr\"");
    QTest::newRow("unknown shape") << QByteArray(R"({"streams": [{"key": "a", "shape": "xml"}]})")
                                   << QStringLiteral("unknown shape");
    QTest::newRow("backlog beyond seed")
        << QByteArray(R"({"streams": [{"key": "a", "shape": "task", "seed": {"entries": 5},
                          "groups": [{"name": "g", "seed": {"backlog": 6}}]}]})")
        << QStringLiteral("more entries than the stream is seeded with");
    QTest::newRow("poison without dead letters")
        << QByteArray(R"({"streams": [{"key": "a", "shape": "order", "groups": [{"name": "g",
                          "consumers": [{"name": "c", "failOnPoison": true}]}]}]})")
        << QStringLiteral("needs a \"deadLetterStream\"");
    QTest::newRow("negative rate") << QByteArray(R"({"streams": [{"key": "a", "shape": "task",
                          "producer": {"perSecond": -1}}]})")
                                   << QStringLiteral("\"perSecond\" must be a number");
    QTest::newRow("duplicate stream") << QByteArray(R"({"streams": [{"key": "a", "shape": "task"},
                                      {"key": "a", "shape": "metric"}]})")
                                      << QStringLiteral("appears twice");
}

void TestDemo::rejectsBadWorkload()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, why);
    QString error;
    QVERIFY(!Workload::fromJson(json, &error));
    QVERIFY2(error.contains(why), qPrintable(error));
}

void TestDemo::startFailsOnBadWorkloadFile()
{
    QTemporaryFile file;
    QVERIFY(file.open());
    file.write(R"({"streams": [{"key": "a", "shape": "nonsense"}]})");
    file.close();
    DemoEnvironment demo(file.fileName());
    QString error;
    QVERIFY(!demo.start(&error));
    QVERIFY2(error.contains(QStringLiteral("unknown shape")), qPrintable(error));
    QCOMPARE(demo.serverPid(), 0); // no server was started for a workload it cannot run

    DemoEnvironment missing(QStringLiteral("/nonexistent/workload.json"));
    QVERIFY(!missing.start(&error));
    QVERIFY2(error.contains(QStringLiteral("/nonexistent/workload.json")), qPrintable(error));
}

// ---- The seeded queues ------------------------------------------------------------------

void TestDemo::streamsAndGroupsExist_data()
{
    QTest::addColumn<QByteArray>("key");
    QTest::addColumn<QList<QByteArray>>("groups");
    QTest::newRow("tasks") << QByteArray("tasks") << QList<QByteArray>{"tasks_group"};
    QTest::newRow("dashboard-updates")
        << QByteArray("dashboard-updates") << QList<QByteArray>{"dashboard-workers"};
    QTest::newRow("orders") << QByteArray("orders")
                            << QList<QByteArray>{"audit", "billing", "shipping"};
    QTest::newRow("orders:dlq") << QByteArray("orders:dlq") << QList<QByteArray>{};
    QTest::newRow("metrics") << QByteArray("metrics") << QList<QByteArray>{};
}

void TestDemo::streamsAndGroupsExist()
{
    QFETCH(QByteArray, key);
    QFETCH(QList<QByteArray>, groups);
    QCOMPARE(call(RedisCommand{"TYPE", key}).bytes(), QByteArray("stream"));
    QString error;
    const auto infos = parseGroupsInfo(call(RedisCommand{"XINFO", "GROUPS", key}), &error);
    QVERIFY2(infos, qPrintable(error));
    QList<QByteArray> names;
    for (const GroupInfo &g : *infos)
        names.append(g.name);
    std::sort(names.begin(), names.end());
    QCOMPARE(names, groups);

    // Weir discovers streams by type; every one of them must show up that way.
    const RedisValue scan =
        call(RedisCommand{"SCAN", "0", "MATCH", key, "TYPE", "stream", "COUNT", "1000"});
    QVERIFY(scan.size() == 2 && scan.at(1).elements().contains(RedisValue::string(key)));
}

void TestDemo::seededEntryCounts()
{
    // "A few thousand entries so views have content", and XDEL left its mark.
    QVERIFY(xlen("tasks") >= 1500);
    QVERIFY(xlen("dashboard-updates") >= 800);
    QVERIFY(xlen("orders") >= 1198);
    const auto orders = streamInfo("orders");
    QVERIFY(orders);
    // Redis reports the last deleted id from 7.0 on.
    if (testserver::isAtLeast(7, 0))
        QVERIFY(orders->maxDeletedEntryId && !orders->maxDeletedEntryId->isZero());
    QVERIFY(xlen("orders:dlq") >= 10);
}

void TestDemo::taskEntries()
{
    // Design 000/001: message_id (uuid), data (JSON), timestamp (unix seconds).
    static const QRegularExpression uuid(
        QStringLiteral("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$"));
    const qint64 nowS = QDateTime::currentSecsSinceEpoch();
    for (const QByteArray &range : {QByteArray("XRANGE"), QByteArray("XREVRANGE")}) {
        const bool forward = range == "XRANGE";
        const RedisValue entries = call(
            RedisCommand{range, "tasks", forward ? "-" : "+", forward ? "+" : "-", "COUNT", "20"});
        QCOMPARE(entries.size(), 20);
        for (const RedisValue &e : entries.elements()) {
            const FieldMap f = fieldMap(e.at(1));
            QCOMPARE(f.size(), 3);
            QVERIFY2(uuid.match(QString::fromLatin1(f.value("message_id"))).hasMatch(),
                     f.value("message_id").constData());
            const QJsonObject data = jsonObject(f.value("data"));
            QVERIFY2(data.contains(QStringLiteral("task_type")), f.value("data").constData());
            bool ok = false;
            const qint64 ts = f.value("timestamp").toLongLong(&ok);
            QVERIFY(ok);
            QVERIFY(ts > nowS - 2 * 3600 && ts <= nowS + 60);
            QVERIFY(qAbs(ts - idMs(e.at(0).bytes()) / 1000) <= 2);
        }
    }
}

void TestDemo::dashboardPayloadIsGzipJson()
{
    // Design 004: data is JSON gzipped, then base64; timestamp is in milliseconds.
    for (const QByteArray &range : {QByteArray("XRANGE"), QByteArray("XREVRANGE")}) {
        const bool forward = range == "XRANGE";
        const RedisValue entries = call(RedisCommand{
            range, "dashboard-updates", forward ? "-" : "+", forward ? "+" : "-", "COUNT", "3"});
        QCOMPARE(entries.size(), 3);
        for (const RedisValue &e : entries.elements()) {
            const FieldMap f = fieldMap(e.at(1));
            QCOMPARE(f.size(), 2);
            const auto decoded = QByteArray::fromBase64Encoding(
                f.value("data"), QByteArray::AbortOnBase64DecodingErrors);
            QVERIFY(decoded);
            QCOMPARE(decoded.decoded.left(2), QByteArray("\x1f\x8b"));
            const auto json = gunzipWithGzip(decoded.decoded);
            QVERIFY2(json, "gzip -dc rejected the payload");
            const QJsonObject message = jsonObject(*json);
            QVERIFY2(message.contains(QStringLiteral("event")), json->constData());
            QVERIFY(qAbs(f.value("timestamp").toLongLong() - idMs(e.at(0).bytes())) < 2000);
        }
    }
}

void TestDemo::orderEntries()
{
    // Design 003: key, value (JSON), headers, messageType, retryCount.
    const RedisValue entries = call(RedisCommand{"XRANGE", "orders", "-", "+", "COUNT", "120"});
    QCOMPARE(entries.size(), 120);
    int poison = 0;
    for (const RedisValue &e : entries.elements()) {
        const FieldMap f = fieldMap(e.at(1));
        QCOMPARE(QSet<QByteArray>(f.keyBegin(), f.keyEnd()),
                 (QSet<QByteArray>{"key", "value", "headers", "messageType", "retryCount"}));
        const QJsonObject value = jsonObject(f.value("value"));
        QVERIFY2(value.contains(QStringLiteral("orderId")), f.value("value").constData());
        QVERIFY(!jsonObject(f.value("headers")).isEmpty());
        QVERIFY(
            (QList<QByteArray>{"normal", "delay", "transaction"}).contains(f.value("messageType")));
        bool ok = false;
        f.value("retryCount").toInt(&ok);
        QVERIFY(ok);
        if (!value.value(QStringLiteral("amount")).isDouble())
            ++poison;
    }
    QCOMPARE(poison, 3); // every 40th order is poison
}

void TestDemo::seededDeadLetters()
{
    // Design 003's dead-letter record, for poison orders billing gave up on before the demo.
    const RedisValue entries = call(RedisCommand{"XRANGE", "orders:dlq", "-", "+", "COUNT", "5"});
    QCOMPARE(entries.size(), 5);
    for (const RedisValue &e : entries.elements()) {
        const FieldMap f = fieldMap(e.at(1));
        QCOMPARE(f.value("originalTopicName"), QByteArray("orders"));
        QCOMPARE(f.value("consumerGroupId"), QByteArray("billing"));
        QVERIFY(f.value("failureReason").startsWith("amount is not a number"));
        QVERIFY(f.value("retryCount").toInt() >= 1);
        QVERIFY(!jsonObject(f.value("headers")).isEmpty());
        QVERIFY(QDateTime::fromString(QString::fromLatin1(f.value("failedAt")), Qt::ISODateWithMs)
                    .isValid());
        // The original is still in the topic (acked), with the same content.
        const QByteArray original = f.value("originalMessageId");
        const RedisValue source = call(RedisCommand{"XRANGE", "orders", original, original});
        QCOMPARE(source.size(), 1);
        QCOMPARE(fieldMap(source.at(0).at(1)).value("value"), f.value("messageContent"));
        QVERIFY(idMs(e.at(0).bytes()) > idMs(original));
    }
}

void TestDemo::liveDeadLetters()
{
    // Billing keeps failing on the poison orders it holds, reclaims them, and after its
    // fourth try writes them to orders:dlq and acks them.
    auto latest = [this]() -> FieldMap {
        const RedisValue last =
            call(RedisCommand{"XREVRANGE", "orders:dlq", "+", "-", "COUNT", "1"});
        return last.size() == 1 ? fieldMap(last.at(0).at(1)) : FieldMap();
    };
    auto failedAt = [](const FieldMap &f) {
        return QDateTime::fromString(QString::fromLatin1(f.value("failedAt")), Qt::ISODateWithMs)
            .toMSecsSinceEpoch();
    };
    QTRY_VERIFY_WITH_TIMEOUT(failedAt(latest()) >= m_readyMs - 100, 15000);
    const FieldMap record = latest();
    QCOMPARE(record.value("retryCount"), QByteArray("4"));
    QCOMPARE(record.value("consumerGroupId"), QByteArray("billing"));
    // Acked: no longer pending in billing.
    const QByteArray id = record.value("originalMessageId");
    const RedisValue pending = call(RedisCommand{"XPENDING", "orders", "billing", id, id, "1"});
    QCOMPARE(pending.size(), 0);
    QVERIFY(m_demo->counters().deadLettered >= 1);
}

void TestDemo::crashedConsumerLeavesPending()
{
    // worker-crashed reads 15 tasks without acking, then stops for good.
    QTRY_COMPARE_WITH_TIMEOUT(consumerPending("tasks", "tasks_group", "worker-crashed"),
                              std::optional<qint64>(15), 15000);
    const RedisValue pending =
        call(RedisCommand{"XPENDING", "tasks", "tasks_group", "-", "+", "100", "worker-crashed"});
    QCOMPARE(pending.size(), 15);
    for (const RedisValue &p : pending.elements())
        QCOMPARE(p.at(3).toInteger(), 1); // delivered once, never acked
    QVERIFY(call(RedisCommand{"XLEN", "tasks"}).toInteger() > 0);

    // And one that died long ago: audit-1 holds five orders, idle for ninety minutes.
    const RedisValue old =
        call(RedisCommand{"XPENDING", "orders", "audit", "-", "+", "100", "audit-1"});
    QCOMPARE(old.size(), 5);
    for (const RedisValue &p : old.elements())
        QVERIFY(p.at(2).toInteger() >= 5400000);
}

void TestDemo::nilLagOnAuditGroup()
{
    REQUIRE_REDIS(7, 0, "XINFO GROUPS reports lag");
    // XDEL inside audit's undelivered range: Redis cannot count its lag, and says nil.
    const auto audit = groupInfo("orders", "audit");
    QVERIFY(audit);
    QVERIFY(!audit->lag.has_value());
    QCOMPARE(audit->consumers, 1);
    QCOMPARE(audit->pending, 5);
    // The groups ahead of the deletions keep a known lag.
    for (const QByteArray &group : {QByteArray("billing"), QByteArray("shipping")}) {
        const auto g = groupInfo("orders", group);
        QVERIFY(g);
        QVERIFY2(g->lag.has_value(), group.constData());
    }
    const auto tasks = groupInfo("tasks", "tasks_group");
    QVERIFY(tasks && tasks->lag.has_value());
}

// ---- The live workload ------------------------------------------------------------------

void TestDemo::liveProducersAdd_data()
{
    QTest::addColumn<QByteArray>("key");
    QTest::newRow("tasks") << QByteArray("tasks");
    QTest::newRow("dashboard-updates") << QByteArray("dashboard-updates");
    QTest::newRow("orders") << QByteArray("orders");
    QTest::newRow("metrics") << QByteArray("metrics");
}

void TestDemo::liveProducersAdd()
{
    QFETCH(QByteArray, key);
    const auto before = streamInfo(key);
    QVERIFY(before);
    const StreamId last = before->lastGeneratedId;
    // At 2 to 5 entries a second, some appear within about two seconds.
    QTRY_VERIFY_WITH_TIMEOUT(last < streamInfo(key).value_or(StreamInfo{}).lastGeneratedId, 3000);
}

void TestDemo::liveConsumersRead_data()
{
    QTest::addColumn<QByteArray>("key");
    QTest::addColumn<QByteArray>("group");
    QTest::newRow("tasks_group") << QByteArray("tasks") << QByteArray("tasks_group");
    QTest::newRow("dashboard-workers")
        << QByteArray("dashboard-updates") << QByteArray("dashboard-workers");
    QTest::newRow("billing") << QByteArray("orders") << QByteArray("billing");
    QTest::newRow("shipping") << QByteArray("orders") << QByteArray("shipping");
}

void TestDemo::liveConsumersRead()
{
    QFETCH(QByteArray, key);
    QFETCH(QByteArray, group);
    const auto before = groupInfo(key, group);
    QVERIFY(before);
    const StreamId delivered = before->lastDeliveredId;
    QTRY_VERIFY_WITH_TIMEOUT(
        delivered < groupInfo(key, group).value_or(GroupInfo{}).lastDeliveredId, 4000);
}

void TestDemo::metricsTrimmed()
{
    // Seeded past 10000 and trimmed with XTRIM MAXLEN ~ 10000 every 5 s: whole nodes of
    // 100 entries go, so the length settles just above 10000.
    // 10,400 entries were seeded: below 10,200, at least 200 went.
    QTRY_VERIFY_WITH_TIMEOUT(xlen("metrics") < 10200, 8000);
    const auto info = streamInfo("metrics");
    QVERIFY(info);
    QVERIFY(info->length >= 10000);
    // Redis counts the entries ever added from 7.0 on.
    if (testserver::isAtLeast(7, 0)) {
        QVERIFY(info->entriesAdded);
        QVERIFY(*info->entriesAdded - info->length >= 300);
    }
}

// ---- The server's lifetime --------------------------------------------------------------

void TestDemo::stopEndsServer()
{
    const qint64 pid = m_demo->serverPid();
    const quint16 port = m_demo->options().port;
    QVERIFY(pid > 0);
    QVERIFY(processAlive(pid));
    m_client.reset();
    m_demo->stop();
    QVERIFY(!m_demo->isRunning());
    QCOMPARE(m_demo->serverPid(), 0);
    QTRY_VERIFY_WITH_TIMEOUT(!processAlive(pid), 2000);
    QVERIFY(portRefuses(port));
    m_demo->stop(); // twice is fine
}

void TestDemo::serverDiesWithParent()
{
    // Weir killed with SIGKILL has no chance to stop its demo server; PR_SET_PDEATHSIG
    // makes the kernel send it SIGTERM instead.
    QProcess child;
    child.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    child.start(QStringLiteral(DEMO_CHILD));
    QVERIFY2(child.waitForStarted(5000), qPrintable(child.errorString()));
    QTRY_VERIFY_WITH_TIMEOUT(child.canReadLine() || child.state() != QProcess::Running, 30000);
    const QList<QByteArray> words = child.readLine().trimmed().split(' ');
    QCOMPARE(words.size(), 2);
    const qint64 pid = words.at(0).toLongLong();
    const quint16 port = quint16(words.at(1).toUInt());
    QVERIFY(pid > 0 && port > 0);
    QVERIFY(processAlive(pid));

    child.kill(); // SIGKILL
    QVERIFY(child.waitForFinished(5000));
    QTRY_VERIFY_WITH_TIMEOUT(!processAlive(pid), 2000);
    QVERIFY(portRefuses(port));
}

// On a machine whose redis-server is older than the demo needs (Ubuntu 22.04 ships 6.0),
// the demo says which version it needs and which it found, and starts nothing.
void TestDemo::olderServerIsNamed()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QFile fake(dir.filePath(QStringLiteral("redis-server")));
    QVERIFY(fake.open(QIODevice::WriteOnly));
    fake.write("#!/bin/sh\necho 'Redis server v=6.0.16 sha=00000000:0 malloc=jemalloc-5.2.1'\n");
    fake.close();
    QVERIFY(fake.setPermissions(fake.permissions() | QFileDevice::ExeOwner));

    QProcess child;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("WEIR_TEST_SERVER_DIR"), dir.path());
    child.setProcessEnvironment(env);
    child.start(QStringLiteral(DEMO_CHILD));
    QVERIFY2(child.waitForFinished(20000), qPrintable(child.errorString()));
    QCOMPARE(child.exitCode(), 1);
    const QString error = QString::fromUtf8(child.readAllStandardError());
    QVERIFY2(error.contains(QLatin1String("needs redis-server 6.2 or later"))
                 && error.contains(QLatin1String("Redis 6.0.16")),
             qPrintable(error));
}

QTEST_GUILESS_MAIN(TestDemo)
#include "tst_demo.moc"
