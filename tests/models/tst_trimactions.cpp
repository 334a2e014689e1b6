// Trimming against a real redis-server: the preview's counts (entries removed, pending
// entries orphaned per group, groups with unread entries going) equal what XTRIM then
// removes and what the groups then hold, whichever end the preview counts from and across
// page boundaries; the ~ loop gets as near the target as whole nodes allow; cancel.
#include "livemodeltest.h"
#include "trimactions.h"

#include <QSignalSpy>
#include <QTest>

#include <memory>

using namespace TrimActions;

class TestTrimActions : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void validation_data();
    void validation();
    void commands();
    void previewEqualsWhatXtrimRemoves_data();
    void previewEqualsWhatXtrimRemoves();
    void previewOfAnEmptyOrMissingStream();
    void approximateLoopReachesTheTarget();
    void approximateLoopExplainsWhatWholeNodesKeep();
    void cancelStopsTheLoopBetweenCalls();
    void errorsAreVerbatim();

private:
    QList<RedisValue> run(const QList<RedisCommand> &commands) { return m_redis.run(commands); }
    void fill(const QByteArray &key, int entries);
    TrimPreviewer::Preview preview(const Options &options, int pageSize = 5000);
    TrimRun::Result trim(const Options &options);
    qint64 pendingUpTo(const QByteArray &group, const QByteArray &id);
    std::optional<qint64> beyondTarget(const Options &options);

    LiveRedis m_redis;
};

void TestTrimActions::initTestCase()
{
    m_redis.start();
}

void TestTrimActions::cleanupTestCase()
{
    m_redis.stop();
}

// Entries with ids 10-0, 20-0, ... (every tenth millisecond, so MINID can fall between).
void TestTrimActions::fill(const QByteArray &key, int entries)
{
    run({RedisCommand{{"DEL", key}}});
    for (int first = 1; first <= entries; first += 10000) {
        QList<RedisCommand> adds;
        for (int i = first; i < first + 10000 && i <= entries; ++i)
            adds.append(RedisCommand{{"XADD", key, QByteArray::number(i * 10) + "-0", "n", "x"}});
        run(adds);
    }
}

TrimPreviewer::Preview TestTrimActions::preview(const Options &options, int pageSize)
{
    TrimPreviewer previewer;
    previewer.setPageSize(pageSize);
    QSignalSpy finished(&previewer, &TrimPreviewer::finished);
    previewer.start(m_redis.connection(), options);
    [&] { QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 30000); }();
    return finished.isEmpty() ? TrimPreviewer::Preview{}
                              : finished.first().first().value<TrimPreviewer::Preview>();
}

TrimRun::Result TestTrimActions::trim(const Options &options)
{
    TrimRun run;
    QSignalSpy finished(&run, &TrimRun::finished);
    run.start(m_redis.connection(), options);
    [&] { QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 30000); }();
    return finished.isEmpty() ? TrimRun::Result{}
                              : finished.first().first().value<TrimRun::Result>();
}

qint64 TestTrimActions::pendingUpTo(const QByteArray &group, const QByteArray &id)
{
    return run({RedisCommand{{"XPENDING", "s", group, "-", id, "1000000"}}}).first().size();
}

std::optional<qint64> TestTrimActions::beyondTarget(const Options &options)
{
    bool done = false;
    std::optional<qint64> beyond;
    readBeyondTarget(m_redis.connection(), options, this, [&](std::optional<qint64> left) {
        beyond = left;
        done = true;
    });
    [&] { QTRY_VERIFY(done); }();
    return beyond;
}

void TestTrimActions::validation_data()
{
    QTest::addColumn<QByteArray>("strategy");
    QTest::addColumn<QByteArray>("threshold");
    QTest::addColumn<bool>("approximate");
    QTest::addColumn<qint64>("limit");
    QTest::addColumn<QString>("hint");
    QTest::newRow("maxlen") << QByteArray("MAXLEN") << QByteArray("100") << false << qint64(0)
                            << QString();
    QTest::newRow("maxlen 0") << QByteArray("MAXLEN") << QByteArray("0") << false << qint64(0)
                              << QString();
    QTest::newRow("maxlen negative") << QByteArray("MAXLEN") << QByteArray("-1") << false
                                     << qint64(0) << QStringLiteral("0 or more");
    QTest::newRow("maxlen empty") << QByteArray("MAXLEN") << QByteArray() << false << qint64(0)
                                  << QStringLiteral("whole number");
    QTest::newRow("minid") << QByteArray("MINID") << QByteArray("1700000000000-3") << false
                           << qint64(0) << QString();
    QTest::newRow("minid bad") << QByteArray("MINID") << QByteArray("yesterday") << false
                               << qint64(0) << QStringLiteral("oldest id to keep");
    QTest::newRow("limit with ~") << QByteArray("MAXLEN") << QByteArray("10") << true << qint64(500)
                                  << QString();
    QTest::newRow("limit exact") << QByteArray("MAXLEN") << QByteArray("10") << false << qint64(500)
                                 << QStringLiteral("LIMIT works only with ~");
    QTest::newRow("limit negative") << QByteArray("MAXLEN") << QByteArray("10") << true
                                    << qint64(-1) << QStringLiteral("cannot be negative");
}

void TestTrimActions::validation()
{
    QFETCH(QByteArray, strategy);
    QFETCH(QByteArray, threshold);
    QFETCH(bool, approximate);
    QFETCH(qint64, limit);
    QFETCH(QString, hint);
    Options o{"s", strategy == "MAXLEN" ? Options::Strategy::MaxLen : Options::Strategy::MinId,
              threshold, approximate, limit};
    const QString why = validate(o);
    if (hint.isEmpty())
        QVERIFY2(why.isEmpty(), qPrintable(why));
    else
        QVERIFY2(why.contains(hint), qPrintable(why));
}

void TestTrimActions::commands()
{
    QCOMPARE(command({"s", Options::Strategy::MaxLen, "100", false, 0}).argv,
             (QList<QByteArray>{"XTRIM", "s", "MAXLEN", "=", "100"}));
    QCOMPARE(command({"s", Options::Strategy::MinId, "5-0", true, 2000}).argv,
             (QList<QByteArray>{"XTRIM", "s", "MINID", "~", "5-0", "LIMIT", "2000"}));
}

void TestTrimActions::previewEqualsWhatXtrimRemoves_data()
{
    QTest::addColumn<QByteArray>("strategy");
    QTest::addColumn<QByteArray>("threshold");
    QTest::addColumn<int>("pageSize");
    QTest::addColumn<qint64>("removed");
    // 1,000 entries 10-0 .. 10000-0. Group early read 300 (pending), late read all and
    // acked the first 900 (100 pending), idle was created at $ and has nothing pending.
    QTest::newRow("maxlen, few go (walks the head)")
        << QByteArray("MAXLEN") << QByteArray("750") << 37 << qint64(250);
    QTest::newRow("maxlen, most go (walks the tail)")
        << QByteArray("MAXLEN") << QByteArray("100") << 37 << qint64(900);
    QTest::newRow("maxlen, all go")
        << QByteArray("MAXLEN") << QByteArray("0") << 5000 << qint64(1000);
    QTest::newRow("maxlen, none go")
        << QByteArray("MAXLEN") << QByteArray("1000") << 5000 << qint64(0);
    QTest::newRow("maxlen, page-sized halves")
        << QByteArray("MAXLEN") << QByteArray("500") << 100 << qint64(500);
    QTest::newRow("minid between ids")
        << QByteArray("MINID") << QByteArray("3005-0") << 37 << qint64(300);
    QTest::newRow("minid on an id")
        << QByteArray("MINID") << QByteArray("9000-0") << 37 << qint64(899);
    QTest::newRow("minid before all") << QByteArray("MINID") << QByteArray("5") << 37 << qint64(0);
    QTest::newRow("minid after all")
        << QByteArray("MINID") << QByteArray("99999-0") << 37 << qint64(1000);
    QTest::newRow("minid, one page each")
        << QByteArray("MINID") << QByteArray("5000-1") << 500 << qint64(500);
}

void TestTrimActions::previewEqualsWhatXtrimRemoves()
{
    QFETCH(QByteArray, strategy);
    QFETCH(QByteArray, threshold);
    QFETCH(int, pageSize);
    QFETCH(qint64, removed);
    fill("s", 1000);
    run({RedisCommand{{"XGROUP", "CREATE", "s", "early", "0"}},
         RedisCommand{{"XREADGROUP", "GROUP", "early", "c", "COUNT", "300", "STREAMS", "s", ">"}},
         RedisCommand{{"XGROUP", "CREATE", "s", "late", "0"}},
         RedisCommand{{"XREADGROUP", "GROUP", "late", "c", "STREAMS", "s", ">"}},
         RedisCommand{{"XGROUP", "CREATE", "s", "idle", "$"}}});
    QList<QByteArray> ack{"XACK", "s", "late"};
    for (int i = 1; i <= 900; ++i)
        ack.append(QByteArray::number(i * 10) + "-0");
    run({RedisCommand{ack}});

    const Options options{
        "s", strategy == "MAXLEN" ? Options::Strategy::MaxLen : Options::Strategy::MinId, threshold,
        false, 0};
    const TrimPreviewer::Preview p = preview(options, pageSize);
    QVERIFY2(p.error.isEmpty(), qPrintable(p.error));
    QCOMPARE(p.length, 1000);
    QCOMPARE(p.removed, removed);
    QCOMPARE(p.groups.size(), 3);
    // What the preview says each group loses, counted before the trim. (XINFO GROUPS lists
    // the groups by name.)
    QCOMPARE(p.groups.at(0).name, QByteArray("early"));
    QCOMPARE(p.groups.at(1).name, QByteArray("idle"));
    QCOMPARE(p.groups.at(2).name, QByteArray("late"));
    for (const TrimPreviewer::Group &g : p.groups)
        QCOMPARE(g.orphaned, p.lastRemoved ? pendingUpTo(g.name, p.lastRemoved->toByteArray()) : 0);
    QCOMPARE(p.groups.at(1).orphaned, 0);
    // early has read up to 3000-0, late all, idle nothing (it started at the end).
    QCOMPARE(p.groups.at(0).unread, bool(p.lastRemoved && StreamId{3000, 0} < *p.lastRemoved));
    QVERIFY(!p.groups.at(1).unread);
    QVERIFY(!p.groups.at(2).unread);
    if (removed > 0 && removed < 1000) {
        QCOMPARE(p.lastRemoved->ms, quint64(removed * 10));
        QCOMPARE(p.firstKept->ms, quint64(removed * 10 + 10));
    }

    const TrimRun::Result result = trim(options);
    QVERIFY2(result.error.isEmpty(), qPrintable(result.error));
    QCOMPARE(result.removed, removed); // the preview's number is what XTRIM removed
    QCOMPARE(result.calls, 1);
    QCOMPARE(run({RedisCommand{{"XLEN", "s"}}}).first().toInteger(), 1000 - removed);
    // The orphans: pending entries whose entries are gone.
    for (const TrimPreviewer::Group &g : p.groups) {
        const RedisValue pel =
            run({RedisCommand{{"XPENDING", "s", g.name, "-", "+", "1000000"}}}).first();
        QList<RedisCommand> lookups;
        for (const RedisValue &e : pel.elements())
            lookups.append(RedisCommand{{"XRANGE", "s", e.at(0).bytes(), e.at(0).bytes()}});
        qint64 orphans = 0;
        for (const RedisValue &entry : lookups.isEmpty() ? QList<RedisValue>() : run(lookups))
            orphans += entry.size() == 0 ? 1 : 0;
        QCOMPARE(g.orphaned, orphans);
    }
}

void TestTrimActions::previewOfAnEmptyOrMissingStream()
{
    run({RedisCommand{{"DEL", "s"}}, RedisCommand{{"XADD", "s", "1-0", "a", "b"}},
         RedisCommand{{"XDEL", "s", "1-0"}}});
    TrimPreviewer::Preview p = preview({"s", Options::Strategy::MaxLen, "0", false, 0});
    QVERIFY(p.error.isEmpty());
    QCOMPARE(p.length, 0);
    QCOMPARE(p.removed, 0);
    p = preview({"missing", Options::Strategy::MaxLen, "0", false, 0});
    QCOMPARE(p.error, QStringLiteral("ERR no such key"));
}

// 25,000 small entries sit in nodes of 100 (stream-node-max-entries): ~ removes whole
// nodes, at most 10,000 entries a call, so the loop needs three calls to keep 1,000.
void TestTrimActions::approximateLoopReachesTheTarget()
{
    fill("s", 25000);
    const Options options{"s", Options::Strategy::MaxLen, "1000", true, 0};
    const TrimPreviewer::Preview p = preview(options);
    QCOMPARE(p.removed, 24000);
    TrimRun runner;
    QSignalSpy progress(&runner, &TrimRun::progress);
    QSignalSpy finished(&runner, &TrimRun::finished);
    runner.start(m_redis.connection(), options);
    QTRY_COMPARE(finished.size(), 1);
    const auto result = finished.first().first().value<TrimRun::Result>();
    QVERIFY(result.error.isEmpty());
    QCOMPARE(result.removed, 24000);
    QCOMPARE(result.calls, 4); // 10,000 + 10,000 + 4,000, then one that removes nothing
    QCOMPARE(progress.size(), 4);
    QCOMPARE(progress.at(0).at(0).toLongLong(), 10000);
    QCOMPARE(run({RedisCommand{{"XLEN", "s"}}}).first().toInteger(), 1000);
    // With a LIMIT, smaller steps.
    fill("s", 2500);
    const TrimRun::Result limited = trim({"s", Options::Strategy::MinId, "20010-0", true, 300});
    QCOMPARE(limited.removed, 2000);
    QCOMPARE(limited.calls, 8); // six of 300, one of 200, then one that removes nothing
}

void TestTrimActions::approximateLoopExplainsWhatWholeNodesKeep()
{
    fill("s", 2500);
    const Options options{"s", Options::Strategy::MaxLen, "1050", true, 0};
    const TrimPreviewer::Preview p = preview(options);
    QCOMPARE(p.removed, 1450); // what = would remove
    const TrimRun::Result result = trim(options);
    QCOMPARE(result.removed, 1400); // the node of 1,401..1,500 keeps its 50 extra entries
    QCOMPARE(run({RedisCommand{{"XLEN", "s"}}}).first().toInteger(), 1100);
    QCOMPARE(beyondTarget(options), std::optional<qint64>(50));
    // MINID: the entries before the oldest id to keep that share its node.
    fill("s", 2500);
    const Options minId{"s", Options::Strategy::MinId, "10510-0", true, 0};
    QCOMPARE(trim(minId).removed, 1000);
    QCOMPARE(beyondTarget(minId), std::optional<qint64>(50));
    // An exact trim reaches its target.
    const Options exact{"s", Options::Strategy::MinId, "10510-0", false, 0};
    QCOMPARE(trim(exact).removed, 50);
    QCOMPARE(beyondTarget(exact), std::optional<qint64>(0));
    // Not a stream: unknown.
    run({RedisCommand{{"SET", "plain", "x"}}});
    QVERIFY(!beyondTarget({"plain", Options::Strategy::MaxLen, "0", true, 0}).has_value());
}

void TestTrimActions::cancelStopsTheLoopBetweenCalls()
{
    fill("s", 5000);
    TrimRun runner;
    QSignalSpy progress(&runner, &TrimRun::progress);
    QSignalSpy finished(&runner, &TrimRun::finished);
    runner.start(m_redis.connection(), {"s", Options::Strategy::MaxLen, "0", true, 100});
    runner.cancel(); // the first call is on its way; no other follows
    QTRY_COMPARE(finished.size(), 1);
    const auto result = finished.first().first().value<TrimRun::Result>();
    QVERIFY(result.cancelled);
    QCOMPARE(result.calls, 1);
    QCOMPARE(result.removed, 100);
    QCOMPARE(run({RedisCommand{{"XLEN", "s"}}}).first().toInteger(), 4900);
}

void TestTrimActions::errorsAreVerbatim()
{
    run({RedisCommand{{"SET", "plain", "x"}}});
    const TrimRun::Result result = trim({"plain", Options::Strategy::MaxLen, "0", false, 0});
    QCOMPARE(result.error,
             QStringLiteral("WRONGTYPE Operation against a key holding the wrong kind of value"));
    QCOMPARE(result.calls, 1);
    QCOMPARE(preview({"plain", Options::Strategy::MaxLen, "0", false, 0}).error,
             QStringLiteral("WRONGTYPE Operation against a key holding the wrong kind of value"));
}

QTEST_GUILESS_MAIN(TestTrimActions)
#include "tst_trimactions.moc"
