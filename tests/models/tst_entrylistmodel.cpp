// EntryListModel against a real redis-server, under QAbstractItemModelTester.
#include "entrylistmodel.h"
#include "livemodeltest.h"

#include <QAbstractItemModelTester>
#include <QItemSelectionModel>
#include <QSignalSpy>
#include <QTest>

class TestEntryListModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void firstPageIsNewest();
    void pagesDownThroughTheWholeStreamInABoundedWindow();
    void pagesBackUpAfterEviction();
    void oldestFirst();
    void jumps_data();
    void jumps();
    void gapsFromDeletionAndTrimming();
    void emptyAndMissingStreams();
    void liveTailKeepsSelection();
    void keyChangesType();

private:
    // Entries 1-0 .. n-0 in `key` (ms = i, so entry i's time is i ms after the epoch).
    void fill(const QByteArray &key, int n);
    void open(EntryListModel &model, const QByteArray &key);
    static QList<quint64> ids(const EntryListModel &model);

    LiveRedis m_redis;
};

void TestEntryListModel::init()
{
    m_redis.start();
}

void TestEntryListModel::cleanup()
{
    m_redis.stop();
}

void TestEntryListModel::fill(const QByteArray &key, int n)
{
    QList<RedisCommand> commands;
    for (int i = 1; i <= n; ++i)
        commands.append(RedisCommand{
            {"XADD", key, QByteArray::number(i) + "-0", "n", QByteArray::number(i)}, key});
    for (qsizetype at = 0; at < commands.size(); at += 5000)
        m_redis.run(commands.mid(at, 5000));
}

void TestEntryListModel::open(EntryListModel &model, const QByteArray &key)
{
    QSignalSpy loaded(&model, &EntryListModel::loaded);
    model.setStream(m_redis.connection(), key);
    QTRY_COMPARE(loaded.size(), 1);
}

QList<quint64> TestEntryListModel::ids(const EntryListModel &model)
{
    QList<quint64> out;
    for (int row = 0; row < model.rowCount(); ++row)
        out.append(model.entryAt(row).id.ms);
    return out;
}

void TestEntryListModel::firstPageIsNewest()
{
    fill("s", 2500);
    EntryListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setPageSize(1000);
    open(model, "s");
    QCOMPARE(model.rowCount(), 1000);
    QCOMPARE(model.entryAt(0).id.ms, 2500u);
    QCOMPARE(model.entryAt(999).id.ms, 1501u);
    QVERIFY(model.showsNewest());
    QVERIFY(!model.showsOldest());
    QVERIFY(model.canFetchMore({}));
    QCOMPARE(model.index(0, EntryListModel::Id).data().toString(), QStringLiteral("2500-0"));
    QCOMPARE(model.index(0, EntryListModel::Fields).data().toString(), QStringLiteral("n=2500"));
    QCOMPARE(model.index(0, EntryListModel::Time).data().toString(),
             QDateTime::fromMSecsSinceEpoch(2500, Qt::UTC)
                 .toLocalTime()
                 .toString(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz")));
}

void TestEntryListModel::pagesDownThroughTheWholeStreamInABoundedWindow()
{
    fill("s", 12000);
    EntryListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setPageSize(1000);
    model.setWindowLimit(3000);
    QList<quint64> seen;
    connect(&model, &QAbstractItemModel::rowsInserted, this,
            [&](const QModelIndex &, int first, int last) {
        for (int row = first; row <= last; ++row)
            seen.append(model.entryAt(row).id.ms);
    });
    open(model, "s");
    seen = ids(model); // the first page came as a reset
    int peak = model.rowCount();
    while (model.canFetchMore({})) {
        QSignalSpy loaded(&model, &EntryListModel::loaded);
        model.fetchMore({});
        QTRY_COMPARE(loaded.size(), 1);
        peak = qMax(peak, model.rowCount());
    }
    QVERIFY(model.showsOldest());
    QVERIFY(!model.showsNewest()); // the newest rows were evicted on the way
    QCOMPARE(peak, 3000);
    // Every entry exactly once, newest to oldest, no gaps or repeats between pages.
    QCOMPARE(seen.size(), 12000);
    for (int i = 0; i < seen.size(); ++i)
        QCOMPARE(seen.at(i), quint64(12000 - i));
    QCOMPARE(model.entryAt(model.rowCount() - 1).id.ms, 1u);
}

void TestEntryListModel::pagesBackUpAfterEviction()
{
    fill("s", 5000);
    EntryListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setPageSize(1000);
    model.setWindowLimit(2000);
    open(model, "s");
    for (int i = 0; i < 3; ++i) {
        QSignalSpy loaded(&model, &EntryListModel::loaded);
        model.fetchMore({});
        QTRY_COMPARE(loaded.size(), 1);
    }
    // Pages 5000-4001, 4000-3001, 3000-2001, 2000-1001 were read; the window keeps the
    // last 2000 rows.
    QCOMPARE(model.rowCount(), 2000);
    QCOMPARE(model.entryAt(0).id.ms, 3000u);
    QCOMPARE(model.entryAt(1999).id.ms, 1001u);
    QVERIFY(!model.showsNewest());
    QVERIFY(model.canFetchUpward());
    for (int pages = 0; model.canFetchUpward() && pages < 10; ++pages) {
        model.fetchUpward();
        QTRY_VERIFY(!model.isLoading());
    }
    QVERIFY(model.showsNewest());
    QCOMPARE(model.entryAt(0).id.ms, 5000u);
    QCOMPARE(model.rowCount(), 2000);
    const QList<quint64> window = ids(model);
    for (int i = 1; i < window.size(); ++i)
        QCOMPARE(window.at(i), window.at(i - 1) - 1);
}

void TestEntryListModel::oldestFirst()
{
    fill("s", 1500);
    EntryListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setPageSize(1000);
    model.setStream(m_redis.connection(), "s");
    QSignalSpy loaded(&model, &EntryListModel::loaded);
    model.setNewestFirst(false); // reloads at the newest end, oldest on top
    QTRY_VERIFY(!loaded.isEmpty() && !model.isLoading());
    QCOMPARE(model.rowCount(), 1000);
    QCOMPARE(model.entryAt(0).id.ms, 501u);
    QCOMPARE(model.entryAt(999).id.ms, 1500u);
    QVERIFY(model.showsNewest());
    loaded.clear();
    model.fetchUpward();
    QTRY_COMPARE(loaded.size(), 1);
    QCOMPARE(model.rowCount(), 1500);
    QCOMPARE(model.entryAt(0).id.ms, 1u);
    QVERIFY(model.showsOldest());
}

void TestEntryListModel::jumps_data()
{
    QTest::addColumn<bool>("newestFirst");
    QTest::addColumn<QString>("jump");
    QTest::addColumn<quint64>("top");
    QTest::addColumn<quint64>("bottom");
    QTest::addColumn<quint64>("landed"); // the entry a view selects and scrolls to
    // 3000 entries with ids 1-0 .. 3000-0, pages of 1000.
    QTest::newRow("oldest, newest first")
        << true << "oldest" << quint64(1000) << quint64(1) << quint64(1);
    QTest::newRow("newest, newest first")
        << true << "newest" << quint64(3000) << quint64(2001) << quint64(3000);
    QTest::newRow("to id") << true << "id 1700-0" << quint64(1700) << quint64(701) << quint64(1700);
    QTest::newRow("to id between entries")
        << true << "id 1700-5" << quint64(1700) << quint64(701) << quint64(1700);
    QTest::newRow("to time") << true << "time 1700" << quint64(1700) << quint64(701)
                             << quint64(1700);
    QTest::newRow("to id, oldest first")
        << false << "id 1700-0" << quint64(1700) << quint64(2699) << quint64(1700);
    QTest::newRow("to time, oldest first")
        << false << "time 1700" << quint64(1700) << quint64(2699) << quint64(1700);
    QTest::newRow("oldest, oldest first")
        << false << "oldest" << quint64(1) << quint64(1000) << quint64(1);
    QTest::newRow("newest, oldest first")
        << false << "newest" << quint64(2001) << quint64(3000) << quint64(3000);
}

void TestEntryListModel::jumps()
{
    QFETCH(bool, newestFirst);
    QFETCH(QString, jump);
    QFETCH(quint64, top);
    QFETCH(quint64, bottom);
    QFETCH(quint64, landed);
    fill("s", 3000);
    EntryListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setPageSize(1000);
    open(model, "s");
    model.setNewestFirst(newestFirst);
    QTRY_VERIFY(!model.isLoading());
    QSignalSpy loaded(&model, &EntryListModel::loaded);
    if (jump == QLatin1String("oldest"))
        model.jumpToOldest();
    else if (jump == QLatin1String("newest"))
        model.jumpToNewest();
    else if (jump.startsWith(QLatin1String("id ")))
        model.jumpToId(*StreamId::parse(jump.mid(3).toLatin1()));
    else
        model.jumpToTime(QDateTime::fromMSecsSinceEpoch(jump.mid(5).toLongLong(), Qt::UTC));
    QTRY_COMPARE(loaded.size(), 1);
    QCOMPARE(model.entryAt(0).id.ms, top);
    QCOMPARE(model.entryAt(model.rowCount() - 1).id.ms, bottom);
    QVERIFY(model.jumpedTo());
    QCOMPARE(model.jumpedTo()->ms, landed);
    QVERIFY(model.rowOf(*model.jumpedTo()) >= 0);
}

void TestEntryListModel::gapsFromDeletionAndTrimming()
{
    fill("s", 3000);
    QList<RedisCommand> dels;
    for (int i = 1200; i <= 1800; ++i) // a hole across a page boundary
        dels.append(RedisCommand{{"XDEL", "s", QByteArray::number(i) + "-0"}, "s"});
    dels.append(RedisCommand{{"XTRIM", "s", "MINID", "101"}, "s"});
    m_redis.run(dels);
    EntryListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setPageSize(500);
    open(model, "s");
    while (model.canFetchMore({})) {
        QSignalSpy loaded(&model, &EntryListModel::loaded);
        model.fetchMore({});
        QTRY_COMPARE(loaded.size(), 1);
    }
    const QList<quint64> all = ids(model);
    QCOMPARE(all.size(), 3000 - 601 - 100);
    QCOMPARE(all.first(), 3000u);
    QCOMPARE(all.last(), 101u);
    QVERIFY(!all.contains(1500));
}

void TestEntryListModel::emptyAndMissingStreams()
{
    m_redis.run({RedisCommand{{"XADD", "empty", "MAXLEN", "0", "*", "k", "v"}, "empty"}});
    for (const QByteArray &key : {QByteArray("empty"), QByteArray("missing")}) {
        EntryListModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        open(model, key);
        QCOMPARE(model.rowCount(), 0);
        QVERIFY(!model.canFetchMore({}));
        QVERIFY(model.showsNewest() && model.showsOldest());
    }
}

void TestEntryListModel::liveTailKeepsSelection()
{
    fill("s", 100);
    EntryListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QItemSelectionModel selection(&model);
    open(model, "s");
    selection.setCurrentIndex(model.index(10, 0), QItemSelectionModel::SelectCurrent);
    const StreamId selected = model.entryAt(10).id;
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    model.setLiveTail(true, 50);
    QList<RedisCommand> adds;
    for (int i = 101; i <= 130; ++i)
        adds.append(RedisCommand{{"XADD", "s", QByteArray::number(i) + "-0", "n", "x"}, "s"});
    m_redis.run(adds);
    QTRY_COMPARE(model.rowCount(), 130);
    QCOMPARE(model.entryAt(0).id.ms, 130u);
    // The new entries came in a few batched insertions, not one per entry.
    QVERIFY2(inserted.size() <= 5, qPrintable(QString::number(inserted.size())));
    QCOMPARE(model.entryAt(selection.currentIndex().row()).id, selected);
    model.setLiveTail(false);
}

void TestEntryListModel::keyChangesType()
{
    fill("s", 2000);
    EntryListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    open(model, "s");
    m_redis.run({RedisCommand{{"DEL", "s"}, "s"}, RedisCommand{{"SET", "s", "text"}, "s"}});
    QSignalSpy errors(&model, &EntryListModel::errorOccurred);
    model.fetchMore({});
    QTRY_COMPARE(errors.size(), 1);
    QVERIFY2(errors.at(0).at(0).toString().startsWith(QLatin1String("WRONGTYPE")),
             qPrintable(errors.at(0).at(0).toString()));
    QCOMPARE(model.rowCount(), 1000); // what was shown stays
}

QTEST_GUILESS_MAIN(TestEntryListModel)
#include "tst_entrylistmodel.moc"
