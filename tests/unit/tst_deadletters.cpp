// Dead-letter conventions: key patterns both ways, detection over a key list, reading a
// dead letter with absent fields and the three failed-at formats, settings round trip.

#include "deadletters.h"
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
    QTest::newRow("key with colons") << "{stream}:dead" << QByteArray("app:orders:v2")
                                     << QByteArray("app:orders:v2:dead");
    QTest::newRow("key with hash tag") << "{stream}_dlq" << QByteArray("{orders}.p1")
                                       << QByteArray("{orders}.p1_dlq");
    QTest::newRow("pattern with hash tag") << "{{stream}}:dlq" << QByteArray("orders")
                                           << QByteArray("{orders}:dlq");
    QTest::newRow("binary key") << "{stream}:dlq" << QByteArray("a\0b", 3)
                                << QByteArray("a\0b:dlq", 7);
    QTest::newRow("non-ASCII pattern") << "{stream}:tot✝" << QByteArray("q")
                                       << QByteArray("q:tot\xe2\x9c\x9d");
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
    QTest::newRow("suffix") << defaults << QByteArray("orders:dlq") << true
                            << QByteArray("orders");
    QTest::newRow("prefix") << defaults << QByteArray("dlq:orders") << true
                            << QByteArray("orders");
    QTest::newRow("underscore") << defaults << QByteArray("billing_dlq") << true
                                << QByteArray("billing");
    QTest::newRow("colons inside") << defaults << QByteArray("app:orders:v2:dead") << true
                                   << QByteArray("app:orders:v2");
    QTest::newRow("braces inside") << defaults << QByteArray("{orders}:dlq") << true
                                   << QByteArray("{orders}");
    // "dlq:x:dlq" matches both the first and the fourth pattern: the first wins.
    QTest::newRow("first pattern wins") << defaults << QByteArray("dlq:x:dlq") << true
                                        << QByteArray("dlq:x");
    QTest::newRow("order matters") << strings({"dlq:{stream}", "{stream}:dlq"})
                                   << QByteArray("dlq:x:dlq") << true << QByteArray("x:dlq");
    QTest::newRow("pattern with hash tag") << strings({"{{stream}}:dlq"})
                                           << QByteArray("{orders}:dlq") << true
                                           << QByteArray("orders");
    QTest::newRow("plain stream") << defaults << QByteArray("orders") << false << QByteArray();
    QTest::newRow("suffix alone is no source") << defaults << QByteArray(":dlq") << false
                                               << QByteArray();
    QTest::newRow("bad patterns skipped") << strings({"dlq", "{stream}"})
                                          << QByteArray("dlq") << false << QByteArray();
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
        << defaults
        << QList<QByteArray>{"a", "a:dlq", "b", "b.dlq", "c", "c:dead", "d", "dlq:d", "e",
                             "e_dlq", "f"}
        << Pairs{{"a", "a:dlq"}, {"b", "b.dlq"}, {"c", "c:dead"}, {"d", "dlq:d"},
                 {"e", "e_dlq"}};
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
    QTest::newRow("custom order")
        << strings({"dlq:{stream}", "{stream}:dlq"})
        << QList<QByteArray>{"x", "dlq:x", "x:dlq"} << Pairs{{"x", "dlq:x"}};
    QTest::newRow("bad pattern ignored")
        << strings({"dlq", "{stream}:dlq"}) << QList<QByteArray>{"dlq", "x", "x:dlq"}
        << Pairs{{"x", "x:dlq"}};
    QTest::newRow("no patterns") << QStringList() << QList<QByteArray>{"x", "x:dlq"}
                                 << Pairs{};
    // Prefix and suffix never overlap: "qq" is not "q" + "{stream}" + "q" around a source.
    QTest::newRow("affixes alone")
        << strings({"q{stream}q"}) << QList<QByteArray>{"q", "qq", "qqq"}
        << Pairs{{"q", "qqq"}};
    QTest::newRow("empty key") << defaults << QList<QByteArray>{"", ":dlq", "x"}
                               << Pairs{{"", ":dlq"}};
    QTest::newRow("duplicate keys") << defaults << QList<QByteArray>{"x", "x", "x:dlq"}
                                    << Pairs{{"x", "x:dlq"}};
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
    const StreamEntry e = entry("1700000000123-4",
                                {{"originalTopicName", "orders"},
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
    QCOMPARE(d.payload,
             (Fields{{"messageContent", "{\"amount\":-1}"}, {"headers", "{}"}}));
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
    const DeadLetter bad = parseDeadLetter(
        entry("6-0", {{"retryCount", "many"}, {"failedAt", "yesterday"}}),
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
    QCOMPARE(d.payload, (Fields{{"consumerGroupId", "g"},
                                {"error", "second"},
                                {"originalTopicName", "ignored"}}));
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

QTEST_APPLESS_MAIN(TestDeadLetters)
#include "tst_deadletters.moc"
