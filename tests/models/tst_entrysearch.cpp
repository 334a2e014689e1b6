// EntrySearchModel against a real redis-server, under QAbstractItemModelTester.
#include "entrysearch.h"
#include "gziptool.h"
#include "livemodeltest.h"
#include "valuedecoder.h"

#include <QAbstractItemModelTester>
#include <QProcess>
#include <QSignalSpy>
#include <QTest>

using EntrySearch::Query;

class TestEntrySearch : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void matches_data();
    void matches();
    void ranges_data();
    void ranges();
    void binaryValues();
    void invalidQueriesAreRefusedBeforeSending_data();
    void invalidQueriesAreRefusedBeforeSending();
    void cancelFromProgress();
    void cancelDropsTheReplyOnItsWay();
    void newStartCancelsTheRunningSearch();
    void maxResultsTruncates();
    void keyDisappearsMidSearch();
    void keyChangesTypeMidSearch();
    void decodedValues_data();
    void decodedValues();
    void decodedValuesCancelAsPlainOnes();

private:
    // 20,000 entries i-0 (i = 1..20000), fields:
    //   n    = i as text
    //   kind = "Alpha" (i % 4 == 0), "alpha" (1), "alphabet" (2), "gamma" (3)
    //   tag  = "ALPHA-tag" when i % 100 == 0, else "t"
    void fill();
    // Starts `query` on "s" and waits for finished(); returns its arguments.
    QList<QVariant> run(EntrySearchModel &model, const Query &query, const QByteArray &key = "s");
    qint64 commandCalls(const QByteArray &command);

    LiveRedis m_redis;
};

static Query query(Query::Match match, const char *pattern, bool caseSensitive = true,
                   const QByteArray &field = {});

static Query query(Query::Match match, const QString &pattern, bool caseSensitive = true,
                   const QByteArray &field = {})
{
    Query q;
    q.match = match;
    q.pattern = pattern;
    q.caseSensitive = caseSensitive;
    q.field = field;
    q.maxResults = 100000;
    return q;
}

static Query query(Query::Match match, const char *pattern, bool caseSensitive,
                   const QByteArray &field)
{
    return query(match, QString::fromUtf8(pattern), caseSensitive, field);
}

void TestEntrySearch::init()
{
    m_redis.start();
}

void TestEntrySearch::cleanup()
{
    m_redis.stop();
}

void TestEntrySearch::fill()
{
    static const QByteArray kinds[] = {"Alpha", "alpha", "alphabet", "gamma"};
    QList<RedisCommand> commands;
    for (int i = 1; i <= 20000; ++i) {
        commands.append(RedisCommand{{"XADD", "s", QByteArray::number(i) + "-0", "n",
                                      QByteArray::number(i), "kind", kinds[i % 4], "tag",
                                      i % 100 == 0 ? QByteArray("ALPHA-tag") : QByteArray("t")},
                                     "s"});
    }
    for (qsizetype at = 0; at < commands.size(); at += 5000)
        m_redis.run(commands.mid(at, 5000));
}

QList<QVariant> TestEntrySearch::run(EntrySearchModel &model, const Query &q, const QByteArray &key)
{
    QSignalSpy finished(&model, &EntrySearchModel::finished);
    QString error;
    const bool started = model.start(m_redis.connection(), key, q, &error);
    [&] {
        QVERIFY2(started, qPrintable(error));
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 20000);
        }();
    return finished.isEmpty() ? QList<QVariant>() : finished.first();
}

qint64 TestEntrySearch::commandCalls(const QByteArray &command)
{
    const QList<RedisValue> replies = m_redis.run({RedisCommand{{"INFO", "commandstats"}}});
    if (replies.isEmpty())
        return -1;
    for (const QByteArray &line : replies.first().bytes().split('\n')) {
        const QByteArray prefix = "cmdstat_" + command + ":calls=";
        if (line.startsWith(prefix))
            return line.mid(prefix.size()).split(',').first().toLongLong();
    }
    return 0;
}

void TestEntrySearch::matches_data()
{
    QTest::addColumn<Query>("q");
    QTest::addColumn<int>("expected");
    QTest::addColumn<QByteArray>("firstId");
    QTest::newRow("equals") << query(Query::Equals, "alpha") << 5000 << QByteArray("1-0");
    QTest::newRow("equals, any case")
        << query(Query::Equals, "ALPHA", false) << 10000 << QByteArray("1-0");
    QTest::newRow("equals, number") << query(Query::Equals, "12345") << 1 << QByteArray("12345-0");
    QTest::newRow("contains") << query(Query::Contains, "alpha") << 10000 << QByteArray("1-0");
    QTest::newRow("contains, any case")
        << query(Query::Contains, "alpha", false) << 15000 << QByteArray("1-0");
    // "ALPHA" in capitals is only in tag, on every 100th entry.
    QTest::newRow("contains, any field")
        << query(Query::Contains, "ALPHA") << 200 << QByteArray("100-0");
    QTest::newRow("contains, field tag")
        << query(Query::Contains, "ALPHA", true, "tag") << 200 << QByteArray("100-0");
    QTest::newRow("contains, field kind")
        << query(Query::Contains, "ALPHA", true, "kind") << 0 << QByteArray("");
    QTest::newRow("contains, field kind, any case")
        << query(Query::Contains, "ALPHA", false, "kind") << 15000 << QByteArray("1-0");
    QTest::newRow("contains, no such field")
        << query(Query::Contains, "a", false, "nope") << 0 << QByteArray("");
    QTest::newRow("regex") << query(Query::Regex, "^alpha") << 10000 << QByteArray("1-0");
    QTest::newRow("regex, any case")
        << query(Query::Regex, "^alpha$", false) << 10000 << QByteArray("1-0");
    QTest::newRow("regex, field n")
        << query(Query::Regex, "^[0-9]*7$", true, "n") << 2000 << QByteArray("7-0");
    QTest::newRow("regex, digits anywhere")
        << query(Query::Regex, "^1999\\d$") << 10 << QByteArray("19990-0");
}

void TestEntrySearch::matches()
{
    QFETCH(Query, q);
    QFETCH(int, expected);
    QFETCH(QByteArray, firstId);
    fill();
    EntrySearchModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy progress(&model, &EntrySearchModel::progress);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    const QList<QVariant> done = run(model, q);
    QCOMPARE(done.value(0).toBool(), false);
    QCOMPARE(done.value(1).toString(), QString());
    QCOMPARE(model.rowCount(), expected);
    QVERIFY(!model.truncated());
    QCOMPARE(model.scanned(), 20000);
    // Several batches, one insertion at most per batch, ids in stream order.
    QVERIFY2(progress.size() >= 20, qPrintable(QString::number(progress.size())));
    QVERIFY(inserted.size() <= progress.size());
    for (int row = 1; row < model.rowCount(); ++row)
        QVERIFY(model.hitAt(row - 1).id < model.hitAt(row).id);
    if (expected > 0)
        QCOMPARE(model.hitAt(0).id.toByteArray(), firstId);
    // Progress: scanned grows by a batch, matches never fall, the fraction only grows
    // and ends at 1.
    double fraction = 0;
    for (int i = 0; i < progress.size(); ++i) {
        const double f = progress.at(i).at(2).toDouble();
        QVERIFY2(f >= fraction && f <= 1.0, qPrintable(QString::number(f)));
        fraction = f;
        QCOMPARE(progress.at(i).at(0).toLongLong(), qMin<qint64>(20000, 1000 * (i + 1)));
    }
    QCOMPARE(progress.last().at(1).toLongLong(), qint64(expected));
    QCOMPARE(fraction, 1.0);
    QVERIFY(progress.at(9).at(2).toDouble() > 0.45 && progress.at(9).at(2).toDouble() < 0.55);
}

void TestEntrySearch::ranges_data()
{
    QTest::addColumn<Query>("q");
    QTest::addColumn<int>("expected");
    QTest::addColumn<QByteArray>("firstId");
    QTest::addColumn<QByteArray>("lastId");
    Query byId = query(Query::Contains, "alpha", false, "kind");
    byId.from = {100, 0};
    byId.to = {199, 0};
    QTest::newRow("id range") << byId << 75 << QByteArray("100-0") << QByteArray("198-0");
    Query open = query(Query::Equals, "gamma");
    open.from = {19000, 0};
    QTest::newRow("from an id to the end")
        << open << 250 << QByteArray("19003-0") << QByteArray("19999-0");
    Query upTo = query(Query::Equals, "gamma");
    upTo.to = {1000, 0};
    QTest::newRow("from the start to an id")
        << upTo << 250 << QByteArray("3-0") << QByteArray("999-0");
    Query time = query(Query::Equals, "gamma");
    time.from = {5000, 0};
    time.to = StreamId::lastOf(5999);
    QTest::newRow("time range") << time << 250 << QByteArray("5003-0") << QByteArray("5999-0");
    Query across = query(Query::Regex, "^\\d+$", true, "n");
    across.from = {1500, 0};
    across.to = {4499, 0};
    QTest::newRow("across batches")
        << across << 3000 << QByteArray("1500-0") << QByteArray("4499-0");
    Query single = query(Query::Equals, "4242");
    single.from = single.to = {4242, 0};
    QTest::newRow("one id") << single << 1 << QByteArray("4242-0") << QByteArray("4242-0");
    Query past = query(Query::Contains, "a");
    past.from = {30000, 0};
    QTest::newRow("past the end") << past << 0 << QByteArray("") << QByteArray("");
}

void TestEntrySearch::ranges()
{
    QFETCH(Query, q);
    QFETCH(int, expected);
    QFETCH(QByteArray, firstId);
    QFETCH(QByteArray, lastId);
    fill();
    EntrySearchModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy progress(&model, &EntrySearchModel::progress);
    const QList<QVariant> done = run(model, q);
    QCOMPARE(done.value(0).toBool(), false);
    QCOMPARE(done.value(1).toString(), QString());
    QCOMPARE(model.rowCount(), expected);
    if (expected > 0) {
        QCOMPARE(model.hitAt(0).id.toByteArray(), firstId);
        QCOMPARE(model.index(expected - 1, EntrySearchModel::Id)
                     .data(EntrySearchModel::EntryIdRole)
                     .toByteArray(),
                 lastId);
    }
    QVERIFY(!progress.isEmpty());
    QCOMPARE(progress.last().at(2).toDouble(), 1.0);
}

void TestEntrySearch::binaryValues()
{
    const QByteArray values[] = {QByteArray("a\0b\xffz", 5), QByteArray("a b"),
                                 QByteArray("\0b", 2), QByteArray("\xff\xfe", 2),
                                 QByteArray("caf\xc3\xa9 \xc3\x89T\xc3\x89")};
    QList<RedisCommand> adds;
    for (int i = 0; i < 5; ++i)
        adds.append(RedisCommand{
            {"XADD", "b", QByteArray::number(i + 1) + "-0", QByteArray("f\0", 2), values[i]}, "b"});
    m_redis.run(adds);
    EntrySearchModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    auto ids = [&] {
        QStringList out;
        for (int row = 0; row < model.rowCount(); ++row)
            out << model.hitAt(row).id.toString();
        return out.join(QLatin1Char(' '));
    };
    const QString nulB = QString(QChar(0)) + QLatin1Char('b');
    run(model, query(Query::Contains, nulB), "b");
    QCOMPARE(ids(), QStringLiteral("1-0 3-0"));
    QCOMPARE(model.index(0, EntrySearchModel::Value).data().toString(),
             QStringLiteral("a\\x00b\\xffz"));
    QCOMPARE(model.index(0, EntrySearchModel::Field).data().toString(), QStringLiteral("f\\x00"));
    QCOMPARE(model.hitAt(0).field, QByteArray("f\0", 2));
    run(model, query(Query::Equals, nulB), "b");
    QCOMPARE(ids(), QStringLiteral("3-0"));
    // The field restriction is binary-safe too.
    run(model, query(Query::Contains, nulB, true, QByteArray("f")), "b");
    QCOMPARE(ids(), QString());
    run(model, query(Query::Contains, nulB, true, QByteArray("f\0", 2)), "b");
    QCOMPARE(ids(), QStringLiteral("1-0 3-0"));
    // A regex only looks at UTF-8 values: entry 1 (with \xff) is skipped.
    run(model, query(Query::Regex, QStringLiteral("b")), "b");
    QCOMPARE(ids(), QStringLiteral("2-0 3-0"));
    run(model, query(Query::Regex, QStringLiteral("^\\x{00}")), "b");
    QCOMPARE(ids(), QStringLiteral("3-0"));
    // Case folding of a non-ASCII pattern works on UTF-8 text.
    run(model, query(Query::Contains, QStringLiteral("CAFÉ é"), false), "b");
    QCOMPARE(ids(), QStringLiteral("5-0"));
    run(model, query(Query::Contains, QStringLiteral("CAFÉ é")), "b");
    QCOMPARE(ids(), QString());
    run(model, query(Query::Regex, QStringLiteral("été$"), false), "b");
    QCOMPARE(ids(), QStringLiteral("5-0"));
}

void TestEntrySearch::invalidQueriesAreRefusedBeforeSending_data()
{
    QTest::addColumn<Query>("q");
    QTest::addColumn<QByteArray>("reason");
    QTest::newRow("bad regex") << query(Query::Regex, "(unclosed")
                               << QByteArray("regular expression");
    QTest::newRow("bad regex 2") << query(Query::Regex, "a**") << QByteArray("regular expression");
    QTest::newRow("empty contains") << query(Query::Contains, "") << QByteArray("empty");
    QTest::newRow("empty regex") << query(Query::Regex, "") << QByteArray("empty");
    Query backwards = query(Query::Contains, "a");
    backwards.from = {10, 0};
    backwards.to = {9, 5};
    QTest::newRow("from after to") << backwards << QByteArray("starts after");
    Query none = query(Query::Contains, "a");
    none.maxResults = 0;
    QTest::newRow("no results allowed") << none << QByteArray("limit");
}

void TestEntrySearch::invalidQueriesAreRefusedBeforeSending()
{
    QFETCH(Query, q);
    QFETCH(QByteArray, reason);
    fill();
    EntrySearchModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    // The rows of an earlier search stay.
    run(model, query(Query::Equals, "12345"));
    QCOMPARE(model.rowCount(), 1);
    const qint64 xrangeBefore = commandCalls("xrange");
    const qint64 xinfoBefore = commandCalls("xinfo");
    QVERIFY(xrangeBefore > 0);
    QSignalSpy finished(&model, &EntrySearchModel::finished);
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    QString error;
    QVERIFY(!model.start(m_redis.connection(), "s", q, &error));
    QVERIFY2(error.contains(QString::fromLatin1(reason)), qPrintable(error));
    QCOMPARE(EntrySearch::validate(q), error);
    QVERIFY(!model.isRunning());
    QCOMPARE(model.rowCount(), 1);
    QVERIFY(finished.isEmpty());
    QVERIFY(reset.isEmpty());
    // Nothing went to the server (INFO commandstats is read after whatever was queued).
    QCOMPARE(commandCalls("xrange"), xrangeBefore);
    QCOMPARE(commandCalls("xinfo"), xinfoBefore);
    QVERIFY(finished.isEmpty());
}

void TestEntrySearch::cancelFromProgress()
{
    fill();
    EntrySearchModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy finished(&model, &EntrySearchModel::finished);
    QSignalSpy progress(&model, &EntrySearchModel::progress);
    connect(&model, &EntrySearchModel::progress, &model, [&](qint64 scanned) {
        if (scanned >= 5000)
            model.cancel();
    });
    QVERIFY(model.start(m_redis.connection(), "s", query(Query::Contains, "alpha", false)));
    QTRY_COMPARE(finished.size(), 1);
    QCOMPARE(finished.first().at(0).toBool(), true);
    QCOMPARE(finished.first().at(1).toString(), QString());
    QVERIFY(!model.isRunning());
    // Entries 1..5000, of which three in four match.
    QCOMPARE(model.rowCount(), 3750);
    QCOMPARE(model.scanned(), 5000);
    QVERIFY(!model.truncated());
    // Nothing more comes: a command sent now is answered after anything asked before it.
    const qint64 calls = commandCalls("xrange");
    QCOMPARE(calls, 5); // no sixth batch was asked for
    QCOMPARE(model.rowCount(), 3750);
    QCOMPARE(finished.size(), 1);
    QCOMPARE(progress.size(), 5);
    model.cancel(); // not running: nothing happens
    QCOMPARE(finished.size(), 1);
}

void TestEntrySearch::cancelDropsTheReplyOnItsWay()
{
    fill();
    EntrySearchModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy finished(&model, &EntrySearchModel::finished);
    QSignalSpy progress(&model, &EntrySearchModel::progress);
    connect(&model, &EntrySearchModel::progress, &model, [&](qint64 scanned) {
        // Posted now, before the next batch is even asked for, so it runs before that
        // batch's reply can arrive.
        if (scanned == 3000)
            QMetaObject::invokeMethod(&model, &EntrySearchModel::cancel, Qt::QueuedConnection);
    });
    QVERIFY(model.start(m_redis.connection(), "s", query(Query::Contains, "alpha", false)));
    QTRY_COMPARE(finished.size(), 1);
    QCOMPARE(finished.first().at(0).toBool(), true);
    QCOMPARE(model.rowCount(), 2250);
    // The fourth batch was asked for; whether the worker had written it before the cancel
    // reached it or not, its rows never came in.
    const qint64 calls = commandCalls("xrange");
    QVERIFY2(calls == 3 || calls == 4, qPrintable(QString::number(calls)));
    QCOMPARE(model.rowCount(), 2250);
    QCOMPARE(model.scanned(), 3000);
    QCOMPARE(progress.size(), 3);
    QCOMPARE(finished.size(), 1);
}

void TestEntrySearch::newStartCancelsTheRunningSearch()
{
    fill();
    EntrySearchModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy finished(&model, &EntrySearchModel::finished);
    QVERIFY(model.start(m_redis.connection(), "s", query(Query::Contains, "alpha", false)));
    QVERIFY(model.isRunning());
    QVERIFY(model.start(m_redis.connection(), "s", query(Query::Equals, "gamma")));
    QCOMPARE(finished.size(), 1);
    QCOMPARE(finished.first().at(0).toBool(), true);
    QTRY_COMPARE(finished.size(), 2);
    QCOMPARE(finished.at(1).at(0).toBool(), false);
    QCOMPARE(model.rowCount(), 5000);
    for (int row = 0; row < model.rowCount(); ++row)
        QVERIFY(model.hitAt(row).id.ms % 4 == 3);
}

void TestEntrySearch::maxResultsTruncates()
{
    fill();
    EntrySearchModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    Query q = query(Query::Contains, "alpha", false);
    q.maxResults = 2500;
    const QList<QVariant> done = run(model, q);
    QCOMPARE(done.value(0).toBool(), false);
    QCOMPARE(done.value(1).toString(), QString());
    QCOMPARE(model.rowCount(), 2500);
    QVERIFY(model.truncated());
    // The 2500th match is entry 3333: the scan stopped there, inside the fourth batch.
    QCOMPARE(model.hitAt(2499).id.ms, 3333u);
    QCOMPARE(model.scanned(), 3333);
    QCOMPARE(commandCalls("xrange"), 4);
    // The default limit.
    QCOMPARE(Query().maxResults, 10000);
    q.maxResults = 10000;
    run(model, q);
    QCOMPARE(model.rowCount(), 10000);
    QVERIFY(model.truncated());
    // A limit above the number of matches: not truncated.
    q.maxResults = 15001;
    run(model, q);
    QCOMPARE(model.rowCount(), 15000);
    QVERIFY(!model.truncated());
}

void TestEntrySearch::keyDisappearsMidSearch()
{
    fill();
    EntrySearchModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    connect(&model, &EntrySearchModel::progress, &model, [&](qint64 scanned) {
        // Queued on the same connection before the next batch: it runs first.
        if (scanned == 2000)
            m_redis.connection()->send({RedisCommand{{"DEL", "s"}, "s"}}, nullptr, {});
    });
    const QList<QVariant> done = run(model, query(Query::Contains, "alpha", false));
    QCOMPARE(done.value(0).toBool(), false);
    QCOMPARE(done.value(1).toString(), QString());
    QCOMPARE(model.rowCount(), 1500);
    QCOMPARE(model.scanned(), 2000);
    // A key that is missing from the start: an empty result, no error.
    const QList<QVariant> missing = run(model, query(Query::Contains, "alpha", false));
    QCOMPARE(missing.value(0).toBool(), false);
    QCOMPARE(missing.value(1).toString(), QString());
    QCOMPARE(model.rowCount(), 0);
}

void TestEntrySearch::keyChangesTypeMidSearch()
{
    fill();
    EntrySearchModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    connect(&model, &EntrySearchModel::progress, &model, [&](qint64 scanned) {
        if (scanned == 2000)
            m_redis.connection()->send(
                {RedisCommand{{"DEL", "s"}, "s"}, RedisCommand{{"SET", "s", "alpha"}, "s"}},
                nullptr, {});
    });
    const QList<QVariant> done = run(model, query(Query::Contains, "alpha", false));
    QCOMPARE(done.value(0).toBool(), false);
    QVERIFY2(done.value(1).toString().startsWith(QLatin1String("WRONGTYPE")),
             qPrintable(done.value(1).toString()));
    QCOMPARE(model.rowCount(), 1500);
}

// Entries of the shapes design 004 and others write, for the decoded searches:
//   1: JSON whose stats.data is gzip + base64 of JSON holding "needle is here"
//   2: plain text holding "needle"
//   3: gzip + base64 of the text "Another Needle inside"
//   4: nothing to find
//   5: raw zlib of "zlib needle"
//   6: JSON holding a base64 gzip bomb (more than search decodes) and nothing else
//   7: base64 of the text "needle" (not compressed: as stored, it is not decoded)
static void fillDecoded(LiveRedis &redis)
{
    const QByteArray nested = R"({"type":"metrics","stats":{"data":")"
                              + gzipTool(R"({"note":"needle is here","n":1})").toBase64()
                              + R"("}})";
    const QByteArray bomb =
        R"({"d":")" + gzipTool(QByteArray(MaxSearchDecodedSize + 1, 'n')).toBase64() + R"("})";
    const QList<QByteArray> values{nested,
                                   "a plain needle",
                                   gzipTool("Another Needle inside").toBase64(),
                                   "hay",
                                   qCompress("zlib needle").mid(4),
                                   bomb,
                                   QByteArray("a needle, in base64").toBase64()};
    QList<RedisCommand> adds;
    for (int i = 0; i < values.size(); ++i)
        adds.append(RedisCommand{
            {"XADD", "d", QByteArray::number(i + 1) + "-0", "payload", values.at(i)}, "d"});
    redis.run(adds);
}

void TestEntrySearch::decodedValues_data()
{
    QTest::addColumn<Query>("q");
    QTest::addColumn<QString>("ids");
    QTest::addColumn<QStringList>("where"); // the hits' decodedWhere

    const QString nested = QStringLiteral("$.stats.data: base64 → gzip → JSON");
    const QString text = QStringLiteral("gzip + base64 → text");
    QTest::newRow("contains, ignoring case")
        << query(Query::Contains, "needle", false) << QStringLiteral("1-0 2-0 3-0 5-0")
        << QStringList{nested, QString(), text, QStringLiteral("zlib → text")};
    QTest::newRow("contains, case-sensitive")
        << query(Query::Contains, "Needle") << QStringLiteral("3-0") << QStringList{text};
    QTest::newRow("equals the decoded text") << query(Query::Equals, "Another Needle inside")
                                             << QStringLiteral("3-0") << QStringList{text};
    QTest::newRow("regex") << query(Query::Regex, QStringLiteral("needle is \\w+"))
                           << QStringLiteral("1-0") << QStringList{nested};
    Query stored = query(Query::Contains, "needle", false);
    stored.searchDecoded = false;
    QTest::newRow("stored bytes only") << stored << QStringLiteral("2-0") << QStringList{QString()};
}

// A value matches by its stored bytes or by what they decode to (nested too), and the
// hit says where it was found.
void TestEntrySearch::decodedValues()
{
    QFETCH(Query, q);
    QFETCH(QString, ids);
    QFETCH(QStringList, where);

    fillDecoded(m_redis);
    EntrySearchModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    const QList<QVariant> finished = run(model, q, "d");
    QCOMPARE(finished.value(1).toString(), QString());
    QStringList gotIds, gotWhere;
    for (int row = 0; row < model.rowCount(); ++row) {
        gotIds << model.hitAt(row).id.toString();
        gotWhere << model.hitAt(row).decodedWhere;
    }
    QCOMPARE(gotIds.join(QLatin1Char(' ')), ids);
    QCOMPARE(gotWhere, where);
    QCOMPARE(model.scanned(), 7);
    if (!where.first().isEmpty()) {
        QVERIFY(model.index(0, EntrySearchModel::Value)
                    .data()
                    .toString()
                    .startsWith(QStringLiteral("/* ") + where.first() + QStringLiteral(" */ ")));
        QVERIFY(model.index(0, EntrySearchModel::Value)
                    .data(Qt::ToolTipRole)
                    .toString()
                    .contains(where.first()));
    }
}

// Decoding happens batch by batch, inside the same progress and cancel.
void TestEntrySearch::decodedValuesCancelAsPlainOnes()
{
    fillDecoded(m_redis);
    EntrySearchModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setBatchSize(3);
    QSignalSpy finished(&model, &EntrySearchModel::finished);
    QSignalSpy progress(&model, &EntrySearchModel::progress);
    connect(&model, &EntrySearchModel::progress, &model, [&](qint64 scanned) {
        if (scanned >= 3)
            model.cancel();
    });
    QVERIFY(model.start(m_redis.connection(), "d", query(Query::Contains, "needle", false)));
    QTRY_COMPARE(finished.size(), 1);
    QCOMPARE(finished.first().at(0).toBool(), true);
    QCOMPARE(progress.size(), 1);
    QCOMPARE(progress.first().at(0).toLongLong(), 3);
    QCOMPARE(progress.first().at(1).toLongLong(), 3); // 1-0 and 3-0 decoded, 2-0 as stored
    QCOMPARE(model.rowCount(), 3);
    QCOMPARE(model.scanned(), 3);
}

QTEST_GUILESS_MAIN(TestEntrySearch)
#include "tst_entrysearch.moc"
