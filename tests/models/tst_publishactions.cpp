// Publishing (XADD) against a real redis-server: what the options let through, the exact
// command they make, N copies through the bulk runner (ids, trimming, NOMKSTREAM, the
// rate limit, cancel), Redis's own refusals verbatim, and fields to and from JSON.
#include "bulkrunner.h"
#include "errorhint.h"
#include "livemodeltest.h"
#include "publishactions.h"
#include "serverversion.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTest>

#include <memory>

using namespace PublishActions;

class TestPublishActions : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void init();
    void validation_data();
    void validation();
    void commandHasEveryOption();
    void publishOneSaysWhatItCameTo();
    void publishesCopies();
    void copiesWithMillisecondIdsShareTheTime();
    void copiesTrimAsTheyGo();
    void noMkStreamPublishesNothingToAMissingStream();
    void explicitIdNotAboveTheLastIsRefusedVerbatim();
    void rateLimitPacesTheChunks();
    void cancelReportsExactlyWhatWasPublished();
    void replicaRefusesWithAHint();
    void jsonFields();
    void jsonValuesExactlyAsTyped_data();
    void jsonValuesExactlyAsTyped();

private:
    QList<RedisValue> run(const QList<RedisCommand> &commands) { return m_redis.run(commands); }
    BulkRunner::Report publish(const Options &options, BulkRunner *runner = nullptr);
    Options entry(qint64 copies = 1) const;

    LiveRedis m_redis;
};

void TestPublishActions::initTestCase()
{
    m_redis.start();
}

void TestPublishActions::cleanupTestCase()
{
    m_redis.stop();
}

void TestPublishActions::init()
{
    run({RedisCommand{{"FLUSHALL"}}});
}

Options TestPublishActions::entry(qint64 copies) const
{
    Options o;
    o.key = "orders";
    o.fields = {{"type", "order.created"}, {"payload", QByteArray("\x00\xff{\"a\":1}", 9)}};
    o.copies = copies;
    return o;
}

BulkRunner::Report TestPublishActions::publish(const Options &options, BulkRunner *runner)
{
    BulkRunner own;
    BulkRunner *r = runner ? runner : &own;
    r->setRate(options.perSecond);
    QSignalSpy finished(r, &BulkRunner::finished);
    r->start(m_redis.connection(), copyChunks(options, 100));
    [&] { QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 60000); }();
    return finished.isEmpty() ? BulkRunner::Report{}
                              : finished.first().first().value<BulkRunner::Report>();
}

void TestPublishActions::validation_data()
{
    QTest::addColumn<QByteArray>("change");
    QTest::addColumn<QString>("hint"); // empty: valid

    QTest::newRow("fine") << QByteArray() << QString();
    QTest::newRow("no stream") << QByteArray("key=") << QStringLiteral("Name the stream");
    QTest::newRow("no field") << QByteArray("fields=") << QStringLiteral("at least one field");
    QTest::newRow("explicit id") << QByteArray("id=1700000000000-5") << QString();
    QTest::newRow("explicit ms only") << QByteArray("id=1700000000000") << QString();
    QTest::newRow("id with letters")
        << QByteArray("id=17x-0") << QStringLiteral("two whole numbers");
    QTest::newRow("id 0-0") << QByteArray("id=0-0") << QStringLiteral("greater than 0-0");
    QTest::newRow("id below last")
        << QByteArray("id=900-0") << QStringLiteral("greater than the stream's last id, 1000-0");
    QTest::newRow("id equal to last")
        << QByteArray("id=1000-0") << QStringLiteral("greater than the stream's last id");
    QTest::newRow("explicit id copies")
        << QByteArray("id=2000-0 copies=2") << QStringLiteral("explicit id names one entry");
    QTest::newRow("ms auto") << QByteArray("ms=1000") << QString();
    QTest::newRow("ms auto with seq") << QByteArray("ms=1000-1") << QStringLiteral("whole number");
    QTest::newRow("ms auto older") << QByteArray("ms=999") << QStringLiteral("must not be less");
    QTest::newRow("ms auto on 6.2") << QByteArray("ms=1000 version=6.2")
                                    << QStringLiteral("need Redis 7.0; this server is Redis 6.2.0");
    QTest::newRow("maxlen") << QByteArray("maxlen=10") << QString();
    QTest::newRow("maxlen 0") << QByteArray("maxlen=0") << QString();
    QTest::newRow("maxlen negative") << QByteArray("maxlen=-1") << QStringLiteral("0 or more");
    QTest::newRow("maxlen text") << QByteArray("maxlen=ten") << QStringLiteral("whole number");
    QTest::newRow("maxlen empty") << QByteArray("maxlen=") << QStringLiteral("whole number");
    QTest::newRow("minid") << QByteArray("minid=1500-0") << QString();
    QTest::newRow("minid bad") << QByteArray("minid=15-") << QStringLiteral("oldest id to keep");
    QTest::newRow("copies 0") << QByteArray("copies=0") << QStringLiteral("from 1 to 10,000,000");
    QTest::newRow("copies too many")
        << QByteArray("copies=10000001") << QStringLiteral("from 1 to");
    QTest::newRow("negative rate")
        << QByteArray("copies=2 rate=-1") << QStringLiteral("cannot be negative");
}

void TestPublishActions::validation()
{
    QFETCH(QByteArray, change);
    QFETCH(QString, hint);
    Options o = entry();
    ServerInfo server;
    server.identify({}, QStringLiteral("7.0.15"), QStringLiteral("7.0.15"));
    for (const QByteArray &part : change.split(' ')) {
        if (part.isEmpty())
            continue;
        const QByteArray name = part.left(part.indexOf('='));
        const QByteArray value = part.mid(part.indexOf('=') + 1);
        if (name == "key")
            o.key = value;
        else if (name == "fields")
            o.fields.clear();
        else if (name == "id") {
            o.idMode = Options::Id::Explicit;
            o.id = value;
        } else if (name == "ms") {
            o.idMode = Options::Id::MillisecondsAuto;
            o.id = value;
        } else if (name == "maxlen") {
            o.trim = Options::Trim::MaxLen;
            o.threshold = value;
        } else if (name == "minid") {
            o.trim = Options::Trim::MinId;
            o.threshold = value;
        } else if (name == "copies")
            o.copies = value.toLongLong();
        else if (name == "rate")
            o.perSecond = value.toDouble();
        else if (name == "version")
            server.identify({}, QStringLiteral("6.2.0"), QStringLiteral("6.2.0"));
        else
            QFAIL(part.constData());
    }
    const QString why = validate(o, server, "1000-0");
    if (hint.isEmpty())
        QVERIFY2(why.isEmpty(), qPrintable(why));
    else
        QVERIFY2(why.contains(hint), qPrintable(why));
}

void TestPublishActions::commandHasEveryOption()
{
    Options o = entry();
    o.noMkStream = true;
    o.trim = Options::Trim::MinId;
    o.approximate = true;
    o.threshold = "1500-0";
    o.idMode = Options::Id::MillisecondsAuto;
    o.id = "2000";
    QCOMPARE(command(o).argv, (QList<QByteArray>{"XADD", "orders", "NOMKSTREAM", "MINID", "~",
                                                 "1500-0", "2000-*", "type", "order.created",
                                                 "payload", QByteArray("\x00\xff{\"a\":1}", 9)}));
    o.trim = Options::Trim::MaxLen;
    o.approximate = false;
    o.threshold = "10";
    o.noMkStream = false;
    o.idMode = Options::Id::Auto;
    QCOMPARE(command(o).argv.mid(0, 6),
             (QList<QByteArray>{"XADD", "orders", "MAXLEN", "=", "10", "*"}));
}

// One entry, as the publish dialog sends it: the new id, NOMKSTREAM's nothing, Redis's
// refusal verbatim.
void TestPublishActions::publishOneSaysWhatItCameTo()
{
    const auto publishOne = [this](const Options &o) {
        std::optional<Published> published;
        PublishActions::publish(m_redis.connection(), o, this,
                                [&](const Published &p) { published = p; });
        [&] { QTRY_VERIFY(published.has_value()); }();
        return published.value_or(Published{});
    };
    Options o = entry();
    o.idMode = Options::Id::Explicit;
    o.id = "1000-7";
    Published p = publishOne(o);
    QCOMPARE(p.id, QByteArray("1000-7"));
    QVERIFY(p.error.isEmpty());
    QVERIFY(!p.notCreated());
    const QList<RedisValue> written = run({RedisCommand{{"XRANGE", "orders", "-", "+"}}});
    QCOMPARE(written.first().size(), 1);
    QCOMPARE(written.first().at(0).at(1).at(3).bytes(), QByteArray("\x00\xff{\"a\":1}", 9));

    o.idMode = Options::Id::Auto;
    p = publishOne(o);
    QVERIFY(StreamId::parse(p.id).has_value());
    QVERIFY(!(*StreamId::parse(p.id) < StreamId{1000, 8}));

    o.key = "missing";
    o.noMkStream = true;
    p = publishOne(o);
    QVERIFY(p.notCreated());
    QCOMPARE(run({RedisCommand{{"EXISTS", "missing"}}}).first().toInteger(), 0);

    o = entry();
    o.idMode = Options::Id::Explicit;
    o.id = "5-0";
    p = publishOne(o);
    QVERIFY(p.id.isEmpty());
    QCOMPARE(p.error, QStringLiteral("ERR The ID specified in XADD is equal or smaller than the "
                                     "target stream top item"));
    QVERIFY(!p.maybeApplied); // Redis answered: nothing is in doubt
}

void TestPublishActions::publishesCopies()
{
    const BulkRunner::Report report = publish(entry(1050));
    QVERIFY2(report.error.isEmpty(), qPrintable(report.error));
    QCOMPARE(report.done.size(), 1050);
    QCOMPARE(report.done.first(), QByteArray("1"));
    QCOMPARE(report.done.last(), QByteArray("1050"));
    QCOMPARE(report.chunks, 11);
    QCOMPARE(run({RedisCommand{{"XLEN", "orders"}}}).first().toInteger(), 1050);
    // Every copy has the fields byte for byte, binary value included.
    const QList<RedisValue> last =
        run({RedisCommand{{"XREVRANGE", "orders", "+", "-", "COUNT", "1"}}});
    const RedisValue fields = last.first().at(0).at(1);
    QCOMPARE(fields.size(), 4);
    QCOMPARE(fields.at(3).bytes(), QByteArray("\x00\xff{\"a\":1}", 9));
}

void TestPublishActions::copiesWithMillisecondIdsShareTheTime()
{
    REQUIRE_REDIS(7, 0, "<ms>-* ids");
    Options o = entry(3);
    o.idMode = Options::Id::MillisecondsAuto;
    o.id = "5000";
    QVERIFY(publish(o).error.isEmpty());
    const QList<RedisValue> range = run({RedisCommand{{"XRANGE", "orders", "-", "+"}}});
    QCOMPARE(range.first().size(), 3);
    QCOMPARE(range.first().at(0).at(0).bytes(), QByteArray("5000-0"));
    QCOMPARE(range.first().at(2).at(0).bytes(), QByteArray("5000-2"));
}

void TestPublishActions::copiesTrimAsTheyGo()
{
    Options o = entry(250);
    o.trim = Options::Trim::MaxLen;
    o.threshold = "40";
    const BulkRunner::Report report = publish(o);
    QCOMPARE(report.done.size(), 250);
    QCOMPARE(run({RedisCommand{{"XLEN", "orders"}}}).first().toInteger(), 40);
}

void TestPublishActions::noMkStreamPublishesNothingToAMissingStream()
{
    Options o = entry(5);
    o.noMkStream = true;
    const BulkRunner::Report report = publish(o);
    QVERIFY(report.done.isEmpty());
    QCOMPARE(report.notDone.size(), 5);
    QCOMPARE(run({RedisCommand{{"EXISTS", "orders"}}}).first().toInteger(), 0);
}

void TestPublishActions::explicitIdNotAboveTheLastIsRefusedVerbatim()
{
    run({RedisCommand{{"XADD", "orders", "1000-0", "a", "b"}}});
    Options o = entry();
    o.idMode = Options::Id::Explicit;
    o.id = "999-0"; // as a stale view would allow: Redis has the last word
    const BulkRunner::Report report = publish(o);
    QCOMPARE(report.notDone.size(), 1);
    QCOMPARE(report.error, QStringLiteral("ERR The ID specified in XADD is equal or smaller than "
                                          "the target stream top item"));
    QCOMPARE(run({RedisCommand{{"XLEN", "orders"}}}).first().toInteger(), 1);
}

void TestPublishActions::rateLimitPacesTheChunks()
{
    Options o = entry(20);
    o.perSecond = 40; // four copies a chunk, a chunk every 100 ms: the last goes at 400 ms
    QCOMPARE(copyChunks(o).size(), 5);
    QElapsedTimer clock;
    clock.start();
    const BulkRunner::Report report = publish(o);
    QCOMPARE(report.done.size(), 20);
    QVERIFY2(clock.elapsed() >= 400, qPrintable(QString::number(clock.elapsed())));
    QCOMPARE(run({RedisCommand{{"XLEN", "orders"}}}).first().toInteger(), 20);
}

void TestPublishActions::cancelReportsExactlyWhatWasPublished()
{
    Options o = entry(100);
    o.perSecond = 100; // ten a chunk, a chunk every 100 ms
    BulkRunner runner;
    runner.setRate(o.perSecond);
    QSignalSpy progress(&runner, &BulkRunner::progress);
    QSignalSpy finished(&runner, &BulkRunner::finished);
    runner.start(m_redis.connection(), copyChunks(o));
    QTRY_VERIFY(!progress.isEmpty() && progress.last().at(0).toLongLong() >= 20);
    runner.cancel(); // between two paced chunks, or with one in flight
    QTRY_COMPARE(finished.size(), 1);
    const auto report = finished.first().first().value<BulkRunner::Report>();
    QVERIFY(report.cancelled);
    QCOMPARE(report.done.size() + report.notDone.size(), 100);
    QVERIFY(report.notDone.size() > 0);
    QCOMPARE(run({RedisCommand{{"XLEN", "orders"}}}).first().toInteger(), report.done.size());
}

// A real replica of the test server: Redis refuses the write (READONLY), the run reports it
// verbatim, and the hint says where to write instead.
void TestPublishActions::replicaRefusesWithAHint()
{
    LocalRedisServer::Config config;
    config.extraLines << QStringLiteral("replicaof 127.0.0.1 %1").arg(m_redis.server()->port());
    LocalRedisServer replicaServer(config);
    QString error;
    QVERIFY2(replicaServer.start(&error), qPrintable(error));
    RedisConnection replica(replicaServer.options());
    replica.open(false);
    QTRY_COMPARE(replica.state(), ConnectionState::Connected);
    BulkRunner runner;
    QSignalSpy finished(&runner, &BulkRunner::finished);
    runner.start(&replica, copyChunks(entry(3)));
    QTRY_COMPARE(finished.size(), 1);
    const auto report = finished.first().first().value<BulkRunner::Report>();
    QCOMPARE(report.error, QStringLiteral("READONLY You can't write against a read only replica."));
    QCOMPARE(report.notDone.size(), 3);
    QVERIFY(errorHint(report.error).contains(QLatin1String("Connect to the master")));
    QCOMPARE(run({RedisCommand{{"EXISTS", "orders"}}}).first().toInteger(), 0);
}

void TestPublishActions::jsonFields()
{
    Fields fields;
    QVERIFY(
        fieldsFromJson(
            R"({"type": "a", "n": 42, "ok": true, "nested": {"x": [1, 2]}, "none": null})", &fields)
            .isEmpty());
    // In the order typed, each value as typed (the nested object with its spaces).
    QCOMPARE(fields, (Fields{{"type", "a"},
                             {"n", "42"},
                             {"ok", "true"},
                             {"nested", R"({"x": [1, 2]})"},
                             {"none", "null"}}));
    QVERIFY(fieldsFromJson("[1, 2]", &fields).contains(QLatin1String("must be an object")));
    QVERIFY(fieldsFromJson("{}", &fields).contains(QLatin1String("at least one field")));
    QVERIFY(fieldsFromJson(" \n", &fields).contains(QLatin1String("at least one field")));
    const QString bad = fieldsFromJson(R"({"type": "a",})", &fields);
    QCOMPARE(bad, QStringLiteral("The JSON is not valid: object is missing after a comma at "
                                 "character 15."));
    bool exact = false;
    const QByteArray json = fieldsToJson({{"type", "a"}, {"body", "é \"q\"\n"}}, &exact);
    QVERIFY(exact);
    QCOMPARE(json, QByteArray("{\n    \"type\": \"a\",\n    \"body\": \"é \\\"q\\\"\\n\"\n}\n"));
    QVERIFY(fieldsFromJson(json, &fields).isEmpty());
    QCOMPARE(fields, (Fields{{"type", "a"}, {"body", "é \"q\"\n"}}));
    fieldsToJson({{"blob", QByteArray("\xff\xfe", 2)}}, &exact);
    QVERIFY(!exact);
    // A repeated field is a member twice, in its place.
    QCOMPARE(fieldsToJson({{"a", "1"}, {"b", "x"}, {"a", "2"}}, &exact),
             QByteArray("{\n    \"a\": \"1\",\n    \"b\": \"x\",\n    \"a\": \"2\"\n}\n"));
    QVERIFY(exact);
    QVERIFY(fieldsFromJson(R"({"a":"1","a":"2"})", &fields).isEmpty());
    QCOMPARE(fields, (Fields{{"a", "1"}, {"a", "2"}}));
}

// What QJsonDocument would change: a 19-digit id (rounded beyond 2^53), 1.0 (written 1),
// key order (sorted), and escapes (\u00e9, \n, \") are kept as typed, or unescaped to the
// string's value.
void TestPublishActions::jsonValuesExactlyAsTyped_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<Fields>("expected");

    QTest::newRow("19-digit id") << QByteArray(R"({"id": 1234567890123456789})")
                                 << Fields{{"id", "1234567890123456789"}};
    QTest::newRow("beyond 64 bits")
        << QByteArray(R"({"id":18446744073709551617})") << Fields{{"id", "18446744073709551617"}};
    QTest::newRow("1.0 and 1") << QByteArray(R"({"a": 1.0, "b": 1, "c": -0.50e+2})")
                               << Fields{{"a", "1.0"}, {"b", "1"}, {"c", "-0.50e+2"}};
    QTest::newRow("keys in typed order") << QByteArray(R"({"zeta": "z", "alpha": "a", "mid": "m"})")
                                         << Fields{{"zeta", "z"}, {"alpha", "a"}, {"mid", "m"}};
    QTest::newRow("nested object as typed")
        << QByteArray("{\"order\": {\"id\": 9007199254740993, \"lines\": [ 1.0 ,2 ],\n"
                      "  \"note\": \"}\"}, \"after\": true}")
        << Fields{{"order", "{\"id\": 9007199254740993, \"lines\": [ 1.0 ,2 ],\n"
                            "  \"note\": \"}\"}"},
                  {"after", "true"}};
    QTest::newRow("escaped strings")
        << QByteArray(R"({"caf\u00e9": "caf\u00e9", "lines": "a\nb", "q": "say \"hi\"", )"
                      R"("path": "a\/b\\c", "emoji": "\ud83d\ude00"})")
        << Fields{{"café", "café"},
                  {"lines", "a\nb"},
                  {"q", "say \"hi\""},
                  {"path", "a/b\\c"},
                  {"emoji", "😀"}};
}

void TestPublishActions::jsonValuesExactlyAsTyped()
{
    QFETCH(QByteArray, json);
    QFETCH(Fields, expected);
    Fields fields;
    const QString why = fieldsFromJson(json, &fields);
    QVERIFY2(why.isEmpty(), qPrintable(why));
    QCOMPARE(fields, expected);
    // The XADD carries those bytes.
    Options o;
    o.key = "k";
    o.fields = fields;
    QList<QByteArray> argv{"XADD", "k", "*"};
    for (const auto &[field, value] : expected)
        argv << field << value;
    QCOMPARE(command(o).argv, argv);
}

QTEST_GUILESS_MAIN(TestPublishActions)
#include "tst_publishactions.moc"
