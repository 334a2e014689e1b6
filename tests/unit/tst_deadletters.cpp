// Dead-letter conventions: key patterns both ways, detection over a key list, reading a
// dead letter with absent fields and the three failed-at formats, settings round trip.

#include "deadletterfixtures.h"
#include "deadletters.h"
#include "gzip.h"
#include "jsonmembers.h"
#include "streamparsers.h"

#include <QSettings>
#include <QTemporaryDir>
#include <QtTest>

using Fields = QList<QPair<QByteArray, QByteArray>>;
using Pairs = QList<QPair<QByteArray, QByteArray>>; // source -> dead-letter stream, sorted

static QStringList strings(std::initializer_list<const char *> list)
{
    QStringList out;
    for (const char *s : list)
        out.append(QString::fromUtf8(s));
    return out;
}

class TestDeadLetters : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void apply_data();
    void apply();
    void sourceOf_data();
    void sourceOf();
    void patternProblem_data();
    void patternProblem();
    void detect_data();
    void detect();
    void metadataFields();
    void parse();
    void parseAbsentFields();
    void parseRenamedAndDuplicateFields();
    void failedAt_data();
    void failedAt();
    void settingsRoundTrip();
    void settingsMissingFallBack();
    void streamFieldsRoundTrip();
    void forStream();
    void proposeMapping_data();
    void proposeMapping();
    void proposeMappingCountsMatches();
    void proposeMappingNothingKnown();
    void contentUnpacked_data();
    void contentUnpacked();
    void contentNotAMessage_data();
    void contentNotAMessage();
    void jsonMembersKeepSourceText();
};

void TestDeadLetters::apply_data()
{
    QTest::addColumn<QString>("pattern");
    QTest::addColumn<QByteArray>("stream");
    QTest::addColumn<QByteArray>("expected");
    QTest::newRow("suffix colon") << "{stream}:dlq" << QByteArray("orders")
                                  << QByteArray("orders:dlq");
    QTest::newRow("suffix dot") << "{stream}.dlq" << QByteArray("orders")
                                << QByteArray("orders.dlq");
    QTest::newRow("prefix") << "dlq:{stream}" << QByteArray("orders") << QByteArray("dlq:orders");
    QTest::newRow("key with colons")
        << "{stream}:dead" << QByteArray("app:orders:v2") << QByteArray("app:orders:v2:dead");
    QTest::newRow("key with hash tag")
        << "{stream}_dlq" << QByteArray("{orders}.p1") << QByteArray("{orders}.p1_dlq");
    QTest::newRow("pattern with hash tag")
        << "{{stream}}:dlq" << QByteArray("orders") << QByteArray("{orders}:dlq");
    QTest::newRow("binary key") << "{stream}:dlq" << QByteArray("a\0b", 3)
                                << QByteArray("a\0b:dlq", 7);
    QTest::newRow("non-ASCII pattern")
        << "{stream}:tot✝" << QByteArray("q") << QByteArray("q:tot\xe2\x9c\x9d");
    QTest::newRow("no placeholder") << "dlq" << QByteArray("orders") << QByteArray();
    QTest::newRow("two placeholders") << "{stream}:{stream}" << QByteArray("o") << QByteArray();
}

void TestDeadLetters::apply()
{
    QFETCH(QString, pattern);
    QFETCH(QByteArray, stream);
    QFETCH(QByteArray, expected);
    QCOMPARE(DeadLetterConventions::apply(pattern, stream), expected);
}

void TestDeadLetters::sourceOf_data()
{
    QTest::addColumn<QStringList>("patterns");
    QTest::addColumn<QByteArray>("key");
    QTest::addColumn<bool>("matches");
    QTest::addColumn<QByteArray>("source");
    const QStringList defaults = DeadLetterConventions::defaults().patterns;
    QTest::newRow("suffix") << defaults << QByteArray("orders:dlq") << true << QByteArray("orders");
    QTest::newRow("prefix") << defaults << QByteArray("dlq:orders") << true << QByteArray("orders");
    QTest::newRow("underscore") << defaults << QByteArray("billing_dlq") << true
                                << QByteArray("billing");
    QTest::newRow("colons inside")
        << defaults << QByteArray("app:orders:v2:dead") << true << QByteArray("app:orders:v2");
    QTest::newRow("braces inside")
        << defaults << QByteArray("{orders}:dlq") << true << QByteArray("{orders}");
    // "dlq:x:dlq" matches both the first and the fourth pattern: the first wins.
    QTest::newRow("first pattern wins")
        << defaults << QByteArray("dlq:x:dlq") << true << QByteArray("dlq:x");
    QTest::newRow("order matters") << strings({"dlq:{stream}", "{stream}:dlq"})
                                   << QByteArray("dlq:x:dlq") << true << QByteArray("x:dlq");
    QTest::newRow("pattern with hash tag")
        << strings({"{{stream}}:dlq"}) << QByteArray("{orders}:dlq") << true
        << QByteArray("orders");
    QTest::newRow("plain stream") << defaults << QByteArray("orders") << false << QByteArray();
    QTest::newRow("suffix alone is no source")
        << defaults << QByteArray(":dlq") << false << QByteArray();
    QTest::newRow("bad patterns skipped")
        << strings({"dlq", "{stream}"}) << QByteArray("dlq") << false << QByteArray();
    QTest::newRow("no patterns") << QStringList() << QByteArray("orders:dlq") << false
                                 << QByteArray();
}

void TestDeadLetters::sourceOf()
{
    QFETCH(QStringList, patterns);
    QFETCH(QByteArray, key);
    QFETCH(bool, matches);
    QFETCH(QByteArray, source);
    DeadLetterConventions c = DeadLetterConventions::defaults();
    c.patterns = patterns;
    const std::optional<QByteArray> got = c.sourceOf(key);
    QCOMPARE(got.has_value(), matches);
    if (matches) {
        QCOMPARE(*got, source);
        // Both ways: some pattern gives the key back from its source.
        bool roundTrip = false;
        for (const QString &p : patterns)
            roundTrip = roundTrip || DeadLetterConventions::apply(p, source) == key;
        QVERIFY(roundTrip);
    }
}

void TestDeadLetters::patternProblem_data()
{
    QTest::addColumn<QString>("pattern");
    QTest::addColumn<bool>("usable");
    QTest::newRow("default") << "{stream}:dlq" << true;
    QTest::newRow("prefix") << "dead:{stream}" << true;
    QTest::newRow("hash tag") << "{{stream}}:dlq" << true;
    QTest::newRow("empty") << "" << false;
    QTest::newRow("no placeholder") << "orders:dlq" << false;
    QTest::newRow("misspelt") << "{Stream}:dlq" << false;
    QTest::newRow("twice") << "{stream}:{stream}" << false;
    QTest::newRow("only the placeholder") << "{stream}" << false;
}

void TestDeadLetters::patternProblem()
{
    QFETCH(QString, pattern);
    QFETCH(bool, usable);
    const QString problem = DeadLetterConventions::patternProblem(pattern);
    QCOMPARE(problem.isEmpty(), usable);
}

static Pairs sorted(const QHash<QByteArray, QByteArray> &map)
{
    Pairs out;
    for (auto it = map.cbegin(); it != map.cend(); ++it)
        out.append({it.key(), it.value()});
    std::sort(out.begin(), out.end());
    return out;
}

void TestDeadLetters::detect_data()
{
    QTest::addColumn<QStringList>("patterns");
    QTest::addColumn<QList<QByteArray>>("keys");
    QTest::addColumn<Pairs>("expected");
    const QStringList defaults = DeadLetterConventions::defaults().patterns;
    QTest::newRow("each default pattern")
        << defaults << QList<QByteArray>{"a", "a:dlq", "b", "b.dlq", "c", "c:dead",
                                         "d", "dlq:d", "e", "e_dlq", "f"}
        << Pairs{{"a", "a:dlq"}, {"b", "b.dlq"}, {"c", "c:dead"}, {"d", "dlq:d"}, {"e", "e_dlq"}};
    QTest::newRow("dead-letter stream without its source")
        << defaults << QList<QByteArray>{"orders", "payments:dlq"} << Pairs{};
    QTest::newRow("keys with colons and braces")
        << defaults
        << QList<QByteArray>{"app:orders:v2", "app:orders:v2:dlq", "{t}:p0", "{t}:p0.dlq"}
        << Pairs{{"app:orders:v2", "app:orders:v2:dlq"}, {"{t}:p0", "{t}:p0.dlq"}};
    // "x" has two candidates: the earlier pattern wins and "dlq:x" stays a plain stream.
    QTest::newRow("two candidates for one source")
        << defaults << QList<QByteArray>{"x", "dlq:x", "x:dlq"} << Pairs{{"x", "x:dlq"}};
    // "dlq:y.dlq" is "dlq:y" + ".dlq" and "dlq:" + "y.dlq": the earlier pattern's source
    // takes it; the other keeps looking ("y.dlq" has no other, "dlq:y" is y's).
    QTest::newRow("one dead-letter stream, two sources")
        << defaults << QList<QByteArray>{"y", "dlq:y", "y.dlq", "dlq:y.dlq"}
        << Pairs{{"dlq:y", "dlq:y.dlq"}, {"y", "y.dlq"}};
    // A dead-letter stream of a dead-letter stream is still paired, by the same rules.
    QTest::newRow("chain") << defaults << QList<QByteArray>{"o", "o:dlq", "o:dlq:dlq"}
                           << Pairs{{"o", "o:dlq"}, {"o:dlq", "o:dlq:dlq"}};
    QTest::newRow("custom order") << strings({"dlq:{stream}", "{stream}:dlq"})
                                  << QList<QByteArray>{"x", "dlq:x", "x:dlq"}
                                  << Pairs{{"x", "dlq:x"}};
    QTest::newRow("bad pattern ignored")
        << strings({"dlq", "{stream}:dlq"}) << QList<QByteArray>{"dlq", "x", "x:dlq"}
        << Pairs{{"x", "x:dlq"}};
    QTest::newRow("no patterns") << QStringList() << QList<QByteArray>{"x", "x:dlq"} << Pairs{};
    // Prefix and suffix never overlap: "qq" is not "q" + "{stream}" + "q" around a source.
    QTest::newRow("affixes alone")
        << strings({"q{stream}q"}) << QList<QByteArray>{"q", "qq", "qqq"} << Pairs{{"q", "qqq"}};
    QTest::newRow("empty key") << defaults << QList<QByteArray>{"", ":dlq", "x"}
                               << Pairs{{"", ":dlq"}};
    QTest::newRow("duplicate keys")
        << defaults << QList<QByteArray>{"x", "x", "x:dlq"} << Pairs{{"x", "x:dlq"}};
}

void TestDeadLetters::detect()
{
    QFETCH(QStringList, patterns);
    QFETCH(QList<QByteArray>, keys);
    QFETCH(Pairs, expected);
    DeadLetterConventions c = DeadLetterConventions::defaults();
    c.patterns = patterns;
    const QHash<QByteArray, QByteArray> got = detectDeadLetterStreams(keys, c);
    QCOMPARE(sorted(got), expected);
    // Whatever the key order, the answer is the same.
    QList<QByteArray> reversed(keys.crbegin(), keys.crend());
    QCOMPARE(sorted(detectDeadLetterStreams(reversed, c)), expected);
}

void TestDeadLetters::metadataFields()
{
    DeadLetterConventions c = DeadLetterConventions::defaults();
    QCOMPARE(c.metadataFields(),
             (QList<QByteArray>{"originalTopicName", "originalMessageId", "consumerGroupId",
                                "failureReason", "retryCount", "failedAt"}));
    c.groupField.clear();
    c.retryCountField.clear();
    QCOMPARE(c.metadataFields(), (QList<QByteArray>{"originalTopicName", "originalMessageId",
                                                    "failureReason", "failedAt"}));
}

static StreamEntry entry(const QByteArray &id, const Fields &fields)
{
    StreamEntry e;
    e.id = *StreamId::parse(id);
    e.fields = fields;
    return e;
}

void TestDeadLetters::parse()
{
    // A record as the design 003 platform writes it.
    const StreamEntry e = entry("1700000000123-4", {{"originalTopicName", "orders"},
                                                    {"originalMessageId", "1699999999000-0"},
                                                    {"consumerGroupId", "billing"},
                                                    {"failureReason", "amount must be positive"},
                                                    {"retryCount", "5"},
                                                    {"messageContent", "{\"amount\":-1}"},
                                                    {"headers", "{}"},
                                                    {"failedAt", "2023-11-14T22:13:20.123Z"}});
    const DeadLetter d = parseDeadLetter(e, DeadLetterConventions::defaults());
    QCOMPARE(d.id.toByteArray(), QByteArray("1700000000123-4"));
    QCOMPARE(d.originalStream, QByteArray("orders"));
    QCOMPARE(d.originalId, QByteArray("1699999999000-0"));
    QCOMPARE(d.group, QByteArray("billing"));
    QCOMPARE(d.reason, QByteArray("amount must be positive"));
    QCOMPARE(d.retryCount, 5);
    QCOMPARE(d.failedAt, QDateTime::fromMSecsSinceEpoch(1700000000123, Qt::UTC));
    QCOMPARE(d.failedAt.timeSpec(), Qt::UTC);
    QCOMPARE(d.payload, (Fields{{"messageContent", "{\"amount\":-1}"}, {"headers", "{}"}}));
}

void TestDeadLetters::parseAbsentFields()
{
    // A dead letter from a queue that records only the reason: the rest stays empty.
    const StreamEntry e = entry("5-0", {{"data", "hello"}, {"failureReason", "timeout"}});
    const DeadLetter d = parseDeadLetter(e, DeadLetterConventions::defaults());
    QCOMPARE(d.reason, QByteArray("timeout"));
    QVERIFY(d.originalStream.isEmpty());
    QVERIFY(d.originalId.isEmpty());
    QVERIFY(d.group.isEmpty());
    QCOMPARE(d.retryCount, -1);
    QVERIFY(!d.failedAt.isValid());
    QCOMPARE(d.payload, (Fields{{"data", "hello"}}));

    // Unreadable numbers and times are treated as absent, not as zero.
    const DeadLetter bad =
        parseDeadLetter(entry("6-0", {{"retryCount", "many"}, {"failedAt", "yesterday"}}),
                        DeadLetterConventions::defaults());
    QCOMPARE(bad.retryCount, -1);
    QVERIFY(!bad.failedAt.isValid());
    QVERIFY(bad.payload.isEmpty());

    // An entry with no fields at all (deleted while pending).
    const DeadLetter empty = parseDeadLetter(entry("7-0", {}), DeadLetterConventions::defaults());
    QCOMPARE(empty.id.toByteArray(), QByteArray("7-0"));
    QVERIFY(empty.payload.isEmpty());
}

void TestDeadLetters::parseRenamedAndDuplicateFields()
{
    DeadLetterConventions c = DeadLetterConventions::defaults();
    c.originalStreamField = "source";
    c.reasonField = "error";
    c.groupField.clear(); // not recorded: a "consumerGroupId" field is payload then
    const StreamEntry e = entry("9-1", {{"source", "tasks"},
                                        {"error", "first"},
                                        {"consumerGroupId", "g"},
                                        {"error", "second"},
                                        {"originalTopicName", "ignored"}});
    const DeadLetter d = parseDeadLetter(e, c);
    QCOMPARE(d.originalStream, QByteArray("tasks"));
    QCOMPARE(d.reason, QByteArray("first"));
    QVERIFY(d.group.isEmpty());
    QCOMPARE(
        d.payload,
        (Fields{{"consumerGroupId", "g"}, {"error", "second"}, {"originalTopicName", "ignored"}}));
}

void TestDeadLetters::failedAt_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<qint64>("msecs"); // -1: invalid
    const qint64 t = 1700000000000;
    QTest::newRow("ISO with Z") << QByteArray("2023-11-14T22:13:20Z") << t;
    QTest::newRow("ISO with ms") << QByteArray("2023-11-14T22:13:20.250Z") << t + 250;
    QTest::newRow("ISO with offset") << QByteArray("2023-11-15T00:13:20+02:00") << t;
    QTest::newRow("ISO without offset is UTC") << QByteArray("2023-11-14T22:13:20") << t;
    QTest::newRow("epoch seconds") << QByteArray("1700000000") << t;
    QTest::newRow("epoch seconds, fraction") << QByteArray("1700000000.5") << t + 500;
    QTest::newRow("epoch milliseconds") << QByteArray("1700000000123") << t + 123;
    QTest::newRow("spaces") << QByteArray(" 1700000000 ") << t;
    QTest::newRow("zero") << QByteArray("0") << qint64(0);
    QTest::newRow("empty") << QByteArray() << qint64(-1);
    QTest::newRow("negative") << QByteArray("-5") << qint64(-1);
    QTest::newRow("words") << QByteArray("last tuesday") << qint64(-1);
    QTest::newRow("bad ISO") << QByteArray("2023-13-45T99:00:00Z") << qint64(-1);
}

void TestDeadLetters::failedAt()
{
    QFETCH(QByteArray, text);
    QFETCH(qint64, msecs);
    const QDateTime got = parseFailedAt(text);
    if (msecs < 0) {
        QVERIFY2(!got.isValid(), qPrintable(got.toString(Qt::ISODateWithMs)));
        return;
    }
    QVERIFY(got.isValid());
    QCOMPARE(got.toMSecsSinceEpoch(), msecs);
    QCOMPARE(got.timeSpec(), Qt::UTC);
}

void TestDeadLetters::settingsRoundTrip()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("weir.ini"));
    DeadLetterConventions c;
    c.patterns = {QStringLiteral("{{stream}}:dead"), QStringLiteral("failed/{stream}")};
    c.originalStreamField = "topic";
    c.originalIdField = "msgId";
    c.groupField = "";
    c.reasonField = "why";
    c.retryCountField = "tries";
    c.failedAtField = "at";
    QVERIFY(!(c == DeadLetterConventions::defaults()));
    {
        QSettings s(path, QSettings::IniFormat);
        c.save(s, QStringLiteral("connections/abc"));
        DeadLetterConventions::defaults().save(s, QStringLiteral("connections/other"));
    }
    QSettings s(path, QSettings::IniFormat);
    QCOMPARE(DeadLetterConventions::load(s, QStringLiteral("connections/abc")), c);
    QCOMPARE(DeadLetterConventions::load(s, QStringLiteral("connections/other")),
             DeadLetterConventions::defaults());

    // No patterns at all is a choice, kept as such.
    DeadLetterConventions none = DeadLetterConventions::defaults();
    none.patterns.clear();
    none.save(s, QStringLiteral("connections/none"));
    s.sync();
    QSettings again(path, QSettings::IniFormat);
    QCOMPARE(DeadLetterConventions::load(again, QStringLiteral("connections/none")).patterns,
             QStringList());
}

void TestDeadLetters::settingsMissingFallBack()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QSettings s(dir.filePath(QStringLiteral("weir.ini")), QSettings::IniFormat);
    QCOMPARE(DeadLetterConventions::load(s, QStringLiteral("connections/nobody")),
             DeadLetterConventions::defaults());
    // Only one value written: the rest come from the defaults.
    s.setValue(QStringLiteral("connections/x/deadLetters/fields/reason"), QStringLiteral("err"));
    DeadLetterConventions expected = DeadLetterConventions::defaults();
    expected.reasonField = "err";
    QCOMPARE(DeadLetterConventions::load(s, QStringLiteral("connections/x")), expected);
}

void TestDeadLetters::streamFieldsRoundTrip()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("weir.ini"));
    DeadLetterConventions c = DeadLetterConventions::defaults();
    c.setFieldsFor("orders:dlq", snakeCaseDeadLetterFields());
    DeadLetterFields odd = snakeCaseDeadLetterFields();
    odd.reasonField = "error";
    c.setFieldsFor(QByteArray("bin\0/key:dlq", 12), odd);
    QCOMPARE(c.streamFields.size(), 2);
    {
        QSettings s(path, QSettings::IniFormat);
        c.save(s, QStringLiteral("connections/abc"));
    }
    QSettings s(path, QSettings::IniFormat);
    const DeadLetterConventions loaded =
        DeadLetterConventions::load(s, QStringLiteral("connections/abc"));
    QCOMPARE(loaded, c);
    QCOMPARE(loaded.fieldsFor("orders:dlq"), snakeCaseDeadLetterFields());
    QCOMPARE(loaded.fieldsFor(QByteArray("bin\0/key:dlq", 12)).reasonField, QByteArray("error"));

    // Forgetting one (its fields back to the connection's) is saved too.
    DeadLetterConventions fewer = loaded;
    fewer.setFieldsFor("orders:dlq", fewer);
    QCOMPARE(fewer.streamFields.size(), 1);
    fewer.save(s, QStringLiteral("connections/abc"));
    s.sync();
    QSettings again(path, QSettings::IniFormat);
    QCOMPARE(DeadLetterConventions::load(again, QStringLiteral("connections/abc")), fewer);
}

void TestDeadLetters::forStream()
{
    DeadLetterConventions c = DeadLetterConventions::defaults();
    c.setFieldsFor("orders:dlq", snakeCaseDeadLetterFields());
    const DeadLetterConventions orders = c.forStream("orders:dlq");
    QCOMPARE(static_cast<const DeadLetterFields &>(orders), snakeCaseDeadLetterFields());
    QCOMPARE(orders.patterns, c.patterns);
    QCOMPARE(static_cast<const DeadLetterFields &>(c.forStream("billing:dlq")),
             static_cast<const DeadLetterFields &>(c));

    // A snake_case dead letter read with its stream's fields has all its metadata.
    const StreamEntry e = entry("5-0", {{"original_topic_name", "orders"},
                                        {"original_message_id", "4-0"},
                                        {"consumer_group_id", "billing"},
                                        {"failure_reason", "timeout"},
                                        {"retry_count", "3"},
                                        {"message_content", "{}"},
                                        {"failed_at", "2026-01-02T03:04:05Z"}});
    const DeadLetter d = parseDeadLetter(e, orders);
    QCOMPARE(d.originalStream, QByteArray("orders"));
    QCOMPARE(d.reason, QByteArray("timeout"));
    QCOMPARE(d.retryCount, 3);
    QVERIFY(d.failedAt.isValid());
    QCOMPARE(parseDeadLetter(e, c).reason, QByteArray()); // the connection's names miss it
}

void TestDeadLetters::proposeMapping_data()
{
    QTest::addColumn<Fields>("record");
    QTest::addColumn<QList<QByteArray>>("expected"); // the eight names, in order
    QTest::addColumn<QString>("naming");
    QTest::newRow("snake_case (bson)")
        << Fields{{"original_topic_name", "orders"},
                  {"original_message_id", "1-0"},
                  {"consumer_group_id", "g"},
                  {"failure_reason", "x"},
                  {"retry_count", "3"},
                  {"message_content", "{}"},
                  {"headers", "{}"},
                  {"failed_at", "1700000000"},
                  {"created_at", "1700000000"}}
        << QList<QByteArray>{"original_topic_name", "original_message_id",
                             "consumer_group_id",   "failure_reason",
                             "retry_count",         "failed_at",
                             "message_content",     "value"}
        << "snake_case";
    QTest::newRow("camelCase (json)") << Fields{{"originalTopicName", "orders"},
                                                {"originalMessageId", "1-0"},
                                                {"consumerGroupId", "g"},
                                                {"failureReason", "x"},
                                                {"retryCount", "3"},
                                                {"messageContent", "{}"},
                                                {"failedAt", "1700000000"}}
                                      << QList<QByteArray>{"originalTopicName", "originalMessageId",
                                                           "consumerGroupId",   "failureReason",
                                                           "retryCount",        "failedAt",
                                                           "messageContent",    "value"}
                                      << "camelCase";
    QTest::newRow("kebab-case") << Fields{{"original-topic-name", "orders"},
                                          {"original-message-id", "1-0"},
                                          {"failure-reason", "x"},
                                          {"retry-count", "3"},
                                          {"failed-at", "1700000000"},
                                          {"message-content", "{}"}}
                                << QList<QByteArray>{"original-topic-name",
                                                     "original-message-id",
                                                     "",
                                                     "failure-reason",
                                                     "retry-count",
                                                     "failed-at",
                                                     "message-content",
                                                     "value"}
                                << "kebab-case";
    QTest::newRow("synonyms") << Fields{{"source", "orders"}, {"original_id", "1-0"},
                                        {"group", "g"},       {"error", "boom"},
                                        {"attempts", "4"},    {"payload", "{}"}}
                              << QList<QByteArray>{"source",  "original_id", "group",
                                                   "error",   "attempts",    "",
                                                   "payload", "payload"}
                              << "snake_case";
    QTest::newRow("more synonyms")
        << Fields{{"topic", "orders"},
                  {"exception", "NullPointer"},
                  {"retries", "2"},
                  {"body", "hello"}}
        << QList<QByteArray>{"topic", "", "", "exception", "retries", "", "body", "body"}
        << "one-word names";
    QTest::newRow("stream, reason, data")
        << Fields{{"stream", "orders"}, {"reason", "bad"}, {"data", "x"}}
        << QList<QByteArray>{"stream", "", "", "reason", "", "", "data", "data"}
        << "one-word names";
}

void TestDeadLetters::proposeMapping()
{
    QFETCH(Fields, record);
    QFETCH(QList<QByteArray>, expected);
    QFETCH(QString, naming);
    const FieldMappingProposal p = proposeFieldMapping({entry("1-0", record), entry("2-0", record)},
                                                       DeadLetterConventions::defaults());
    const DeadLetterFields &f = p.fields;
    const QList<QByteArray> got{f.originalStreamField, f.originalIdField,     f.groupField,
                                f.reasonField,         f.retryCountField,     f.failedAtField,
                                f.contentField,        f.contentOriginalField};
    QCOMPARE(got, expected);
    QCOMPARE(p.naming, naming);
    QCOMPARE(p.sampled, 2);
    QCOMPARE(p.matched, 2);
    QCOMPARE(p.entryMatches,
             (QList<int>{int(f.metadataFields().size()), int(f.metadataFields().size())}));
}

void TestDeadLetters::proposeMappingCountsMatches()
{
    // Most dead letters are snake_case; one was written by a client using `error`, and
    // one is not a dead letter at all.
    const QList<StreamEntry> sample{
        entry("1-0", {{"original_topic_name", "a"}, {"failure_reason", "x"}, {"data", "1"}}),
        entry("2-0", {{"original_topic_name", "a"}, {"failure_reason", "y"}, {"data", "2"}}),
        entry("3-0", {{"original_topic_name", "a"}, {"error", "z"}, {"data", "3"}}),
        entry("4-0", {{"hello", "world"}}),
    };
    const FieldMappingProposal p = proposeFieldMapping(sample, DeadLetterConventions::defaults());
    QCOMPARE(p.fields.originalStreamField, QByteArray("original_topic_name"));
    QCOMPARE(p.fields.reasonField, QByteArray("failure_reason")); // 2 beats `error`'s 1
    QCOMPARE(p.fieldCounts.at(0), 3);
    QCOMPARE(p.fieldCounts.at(3), 2);
    QCOMPARE(p.fieldCounts.at(6), 3); // data
    QCOMPARE(p.entryMatches, (QList<int>{2, 2, 1, 0}));
    QCOMPARE(p.matched, 3);
    QCOMPARE(countMatching(sample, p.fields), 3);
    QCOMPARE(countMatching(sample, DeadLetterConventions::defaults()), 0);
}

void TestDeadLetters::proposeMappingNothingKnown()
{
    const FieldMappingProposal p = proposeFieldMapping({entry("1-0", {{"a", "1"}, {"b", "2"}})},
                                                       DeadLetterConventions::defaults());
    QVERIFY(p.fields.metadataFields().isEmpty());
    QCOMPARE(p.matched, 0);
    QCOMPARE(p.naming, QString());
}

static QByteArray gzipped(const QByteArray &data)
{
    return gzipCompress(data);
}

void TestDeadLetters::contentUnpacked_data()
{
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<Fields>("expected");
    QTest::addColumn<QString>("how");
    const QByteArray object =
        R"({"order_id": 9007199254740993123, "amount": 1.0, "note": "caf\u00e9 \"x\"\n", "ok": true, "none": null, "b": "2"})";
    const Fields fields{{"order_id", "9007199254740993123"},
                        {"amount", "1.0"},
                        {"note", "caf\xc3\xa9 \"x\"\n"},
                        {"ok", "true"},
                        {"none", "null"},
                        {"b", "2"}};
    QTest::newRow("flat JSON object") << object << fields << "JSON object";
    QTest::newRow("gzip + base64")
        << gzipped(object).toBase64() << fields << "gzip + base64 → JSON object";
    QTest::newRow("zlib + base64")
        << qCompress(object).mid(4).toBase64() << fields << "zlib + base64 → JSON object";
    QTest::newRow("raw gzip") << gzipped(object) << fields << "gzip → JSON object";
    QTest::newRow("pairs") << QByteArray(R"([["b","2"],["a","1"],["a","3"]])")
                           << Fields{{"b", "2"}, {"a", "1"}, {"a", "3"}} << "[name, value] pairs";
    QTest::newRow("Weir export line")
        << QByteArray(R"({"id":"1-0","fields":[["k","v"],["n","{\"x\":1}"]]})")
        << Fields{{"k", "v"}, {"n", "{\"x\":1}"}} << "an exported entry";
}

void TestDeadLetters::contentUnpacked()
{
    QFETCH(QByteArray, content);
    QFETCH(Fields, expected);
    QFETCH(QString, how);
    QString said;
    const std::optional<Fields> got = originalFieldsFromContent(content, &said);
    QVERIFY(got);
    QCOMPARE(*got, expected);
    QCOMPARE(said, how);
}

void TestDeadLetters::contentNotAMessage_data()
{
    QTest::addColumn<QByteArray>("content");
    QTest::newRow("nested object") << QByteArray(R"({"a":{"b":1}})");
    QTest::newRow("array inside") << QByteArray(R"({"a":[1,2]})");
    QTest::newRow("empty object") << QByteArray("{}");
    QTest::newRow("plain text") << QByteArray("hello world");
    QTest::newRow("number") << QByteArray("42");
    QTest::newRow("broken JSON") << QByteArray(R"({"a":1,})");
    QTest::newRow("trailing garbage") << QByteArray(R"({"a":1} x)");
    QTest::newRow("array of numbers") << QByteArray("[1,2]");
    QTest::newRow("base64 of text") << QByteArray("aGVsbG8gd29ybGQ=");
    QTest::newRow("corrupt gzip") << gzipped("{\"a\":\"b\"}").left(12).toBase64();
}

void TestDeadLetters::contentNotAMessage()
{
    QFETCH(QByteArray, content);
    QVERIFY(!originalFieldsFromContent(content));
}

void TestDeadLetters::jsonMembersKeepSourceText()
{
    const auto members = rawJsonObjectMembers(
        R"( { "z" : 12345678901234567890123 , "a":-0.50e+3, "s":"\ud83d\ude00", "o":{"x":[1, {"y":2}]} } )");
    QVERIFY(members);
    QCOMPARE(members->size(), 4);
    QCOMPARE(members->at(0).name, QByteArray("z"));
    QCOMPARE(members->at(0).raw, QByteArray("12345678901234567890123"));
    QCOMPARE(members->at(1).raw, QByteArray("-0.50e+3"));
    QCOMPARE(members->at(2).text(), QByteArray("\xf0\x9f\x98\x80"));
    QCOMPARE(members->at(3).raw, QByteArray(R"({"x":[1, {"y":2}]})"));
    QCOMPARE(members->at(3).kind, RawJsonMember::Kind::Object);
    QVERIFY(!rawJsonObjectMembers("{\"a\":01}"));
    QVERIFY(!rawJsonObjectMembers("{\"a\":\"tab\there\"}"));
    QByteArray deep;
    for (int i = 0; i < MaxJsonDepth + 2; ++i)
        deep += "[";
    QVERIFY(!rawJsonObjectMembers("{\"a\":" + deep + "}"));

    // jsonQuote() and jsonUnquote() undo each other for any UTF-8 text, controls included.
    QByteArray every;
    for (int c = 1; c < 128; ++c)
        every += char(c);
    every += "\xe6\xb1\x89 caf\xc3\xa9";
    QCOMPARE(jsonQuote("a\"b\\c\n\x01"), QByteArray("\"a\\\"b\\\\c\\n\\u0001\""));
    QCOMPARE(jsonUnquote(jsonQuote(every)), std::optional<QByteArray>(every));
}

QTEST_APPLESS_MAIN(TestDeadLetters)
#include "tst_deadletters.moc"
