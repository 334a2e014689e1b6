// PendingModel against a real redis-server, under QAbstractItemModelTester.
#include "livemodeltest.h"
#include "pendingmodel.h"

#include <QAbstractItemModelTester>
#include <QColor>
#include <QSignalSpy>
#include <QTest>

class TestPendingModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void pagesThroughMoreThanTwoPages();
    void filters_data();
    void filters();
    void orphansAfterXdelAndXtrim();
    void histogram_data();
    void histogram();
    void histogramOfLoadedRows();
    void idleFilterNeedsAKnownRecentServer();
    void refreshReplacesTheLoadedRowsInOneGo();
    void countsWhatIsPendingBeyondTheLoadedPages();

private:
    // Entries 1-0 .. n-0 in s, group g created at 0.
    void prepare(int n);
    void run(const QList<QByteArray> &argv) { m_redis.run({RedisCommand{argv, "s"}}); }
    void readAs(const QByteArray &consumer, int count);
    // Sets an entry's idle time and delivery count without changing its owner or waiting.
    void claim(const QByteArray &consumer, int id, qint64 idleMs, qint64 deliveries);
    void open(PendingModel &model);
    void fetchAll(PendingModel &model);
    static QList<quint64> ids(const PendingModel &model);

    LiveRedis m_redis;
};

void TestPendingModel::init()
{
    m_redis.start();
}

void TestPendingModel::cleanup()
{
    m_redis.stop();
}

void TestPendingModel::prepare(int n)
{
    QList<RedisCommand> adds;
    for (int i = 1; i <= n; ++i)
        adds.append(RedisCommand{{"XADD", "s", QByteArray::number(i) + "-0", "n", "x"}, "s"});
    m_redis.run(adds);
    run({"XGROUP", "CREATE", "s", "g", "0"});
}

void TestPendingModel::readAs(const QByteArray &consumer, int count)
{
    run({"XREADGROUP", "GROUP", "g", consumer, "COUNT", QByteArray::number(count), "STREAMS", "s",
         ">"});
}

void TestPendingModel::claim(const QByteArray &consumer, int id, qint64 idleMs, qint64 deliveries)
{
    const QList<RedisValue> r = m_redis.run({RedisCommand{
        {"XCLAIM", "s", "g", consumer, "0", QByteArray::number(id) + "-0", "IDLE",
         QByteArray::number(idleMs), "RETRYCOUNT", QByteArray::number(deliveries), "JUSTID"},
        "s"}});
    QCOMPARE(r.first().size(), 1);
}

void TestPendingModel::open(PendingModel &model)
{
    QSignalSpy loaded(&model, &PendingModel::loaded);
    model.setGroup(m_redis.connection(), "s", "g");
    QTRY_COMPARE(loaded.size(), 1);
}

void TestPendingModel::fetchAll(PendingModel &model)
{
    while (model.canFetchMore({})) {
        QSignalSpy loaded(&model, &PendingModel::loaded);
        model.fetchMore({});
        QTRY_COMPARE(loaded.size(), 1);
    }
    QVERIFY(!model.isLoading());
}

QList<quint64> TestPendingModel::ids(const PendingModel &model)
{
    QList<quint64> out;
    for (int row = 0; row < model.rowCount(); ++row)
        out.append(model.entryAt(row).id.ms);
    return out;
}

void TestPendingModel::pagesThroughMoreThanTwoPages()
{
    prepare(260);
    readAs("c1", 100);
    readAs("c2", 150); // 10 entries never delivered
    PendingModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setPageSize(40);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    open(model);
    QCOMPARE(model.rowCount(), 40);
    QVERIFY(model.canFetchMore({}));
    fetchAll(model);
    QVERIFY(model.atEnd());
    QCOMPARE(inserted.size(), 7); // 6 full pages and one of 10
    const QList<quint64> all = ids(model);
    QCOMPARE(all.size(), 250);
    for (int i = 0; i < all.size(); ++i)
        QCOMPARE(all.at(i), quint64(i + 1));
    QCOMPARE(model.index(0, PendingModel::Consumer).data().toString(), QStringLiteral("c1"));
    QCOMPARE(model.index(249, PendingModel::Consumer).data().toString(), QStringLiteral("c2"));
    QCOMPARE(model.index(0, PendingModel::Id).data().toString(), QStringLiteral("1-0"));
    QCOMPARE(model.index(0, PendingModel::Deliveries).data().toLongLong(), 1);
    QCOMPARE(model.index(0, PendingModel::Exists).data().toString(), QStringLiteral("yes"));
    QCOMPARE(model.orphanCount(), 0);
}

void TestPendingModel::filters_data()
{
    QTest::addColumn<QByteArray>("consumer");
    QTest::addColumn<qint64>("minIdleMs");
    QTest::addColumn<QList<quint64>>("expected");
    QTest::addColumn<qint64>("matching"); // -1: not known without reading them all
    // c1 has 1..10, c2 11..20; 3, 5 (c1) and 15 (c2) have been idle for 10 minutes.
    QList<quint64> c2;
    for (quint64 i = 11; i <= 20; ++i)
        c2.append(i);
    QTest::newRow("none") << QByteArray() << qint64(0) << QList<quint64>() << qint64(20);
    QTest::newRow("consumer") << QByteArray("c2") << qint64(0) << c2 << qint64(10);
    QTest::newRow("idle") << QByteArray() << qint64(300000) << QList<quint64>{3, 5, 15}
                          << qint64(-1);
    QTest::newRow("consumer and idle")
        << QByteArray("c1") << qint64(300000) << QList<quint64>{3, 5} << qint64(-1);
    QTest::newRow("unknown consumer")
        << QByteArray("nobody") << qint64(0) << QList<quint64>() << qint64(0);
}

void TestPendingModel::filters()
{
    QFETCH(QByteArray, consumer);
    QFETCH(qint64, minIdleMs);
    QFETCH(QList<quint64>, expected);
    QFETCH(qint64, matching);
    prepare(20);
    readAs("c1", 10);
    readAs("c2", 10);
    claim("c1", 3, 600000, 1);
    claim("c1", 5, 600000, 1);
    claim("c2", 15, 600000, 1);
    if (consumer.isEmpty() && minIdleMs == 0) {
        for (quint64 i = 1; i <= 20; ++i)
            expected.append(i);
    }
    PendingModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setPageSize(4); // the filters hold across pages
    open(model);
    QSignalSpy loaded(&model, &PendingModel::loaded);
    QString error;
    QVERIFY2(model.setFilter(consumer, minIdleMs, &error), qPrintable(error));
    QTRY_COMPARE(loaded.size(), 1);
    // Known from the first page of 4 on, however many there are to read.
    QCOMPARE(model.matchingCount().value_or(-1), matching);
    QCOMPARE(model.groupPendingCount(), std::optional<qint64>(20));
    fetchAll(model);
    QCOMPARE(ids(model), expected);
    for (int row = 0; row < model.rowCount(); ++row) {
        if (!consumer.isEmpty())
            QCOMPARE(model.entryAt(row).consumer, consumer);
        QVERIFY(model.entryAt(row).idleMs >= minIdleMs);
    }
    if (minIdleMs > 0) {
        QVERIFY(model.index(0, PendingModel::Idle).data(PendingModel::ValueRole).toLongLong()
                >= 600000);
        QCOMPARE(model.index(0, PendingModel::Idle).data().toString(),
                 QStringLiteral("10 min 0 s"));
    }
    QVERIFY(!model.canFetchMore({}));
}

void TestPendingModel::orphansAfterXdelAndXtrim()
{
    prepare(20);
    readAs("c1", 20);
    run({"XDEL", "s", "5-0", "6-0"});
    run({"XTRIM", "s", "MINID", "3"}); // trims 1-0 and 2-0
    PendingModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setPageSize(8);
    open(model);
    fetchAll(model);
    QCOMPARE(model.rowCount(), 20); // still pending, all of them
    QList<quint64> orphans;
    for (int row = 0; row < model.rowCount(); ++row) {
        const QModelIndex exists = model.index(row, PendingModel::Exists);
        if (model.isOrphaned(row)) {
            orphans.append(model.entryAt(row).id.ms);
            QCOMPARE(exists.data().toString(), QStringLiteral("orphaned"));
            QCOMPARE(exists.data(Qt::ForegroundRole).value<QColor>(), QColor(Qt::red));
            QCOMPARE(exists.data(PendingModel::ValueRole).toBool(), false);
            QVERIFY(!exists.data(Qt::ToolTipRole).toString().isEmpty());
            QVERIFY(model.index(row, PendingModel::Id).data(PendingModel::OrphanedRole).toBool());
        } else {
            QCOMPARE(exists.data().toString(), QStringLiteral("yes"));
            QVERIFY(!exists.data(Qt::ForegroundRole).isValid());
        }
    }
    QCOMPARE(orphans, (QList<quint64>{1, 2, 5, 6}));
    QCOMPARE(model.orphanCount(), 4);
}

void TestPendingModel::histogram_data()
{
    QTest::addColumn<QList<qint64>>("deliveries");
    QTest::addColumn<QList<qint64>>("buckets");
    QTest::newRow("empty") << QList<qint64>() << QList<qint64>{0, 0, 0, 0, 0};
    QTest::newRow("edges") << QList<qint64>{0, 1, 2, 3, 5, 6, 10, 11, 1000}
                           << QList<qint64>{2, 1, 2, 2, 2};
    QTest::newRow("all first") << QList<qint64>{1, 1, 1} << QList<qint64>{3, 0, 0, 0, 0};
}

void TestPendingModel::histogram()
{
    QFETCH(QList<qint64>, deliveries);
    QFETCH(QList<qint64>, buckets);
    const QList<PendingModel::DeliveryBucket> h = PendingModel::deliveryHistogram(deliveries);
    QCOMPARE(h.size(), 5);
    QStringList labels;
    QList<qint64> counts;
    for (const auto &b : h) {
        labels.append(b.label);
        counts.append(b.entries);
    }
    QCOMPARE(labels, (QStringList{QStringLiteral("1"), QStringLiteral("2"), QStringLiteral("3-5"),
                                  QStringLiteral("6-10"), QStringLiteral("11+")}));
    QCOMPARE(counts, buckets);
}

void TestPendingModel::histogramOfLoadedRows()
{
    prepare(30);
    readAs("c1", 30);
    // 1-10 delivered once, 11-14 twice, 15-19 four times, 20-25 eight, 26-30 twenty.
    for (int id = 11; id <= 30; ++id)
        claim("c1", id, 0, id <= 14 ? 2 : id <= 19 ? 4 : id <= 25 ? 8 : 20);
    PendingModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setPageSize(7);
    open(model);
    QList<qint64> counts;
    for (const auto &b : model.deliveryHistogram())
        counts.append(b.entries);
    QCOMPARE(counts, (QList<qint64>{7, 0, 0, 0, 0})); // the rows loaded so far
    fetchAll(model);
    counts.clear();
    for (const auto &b : model.deliveryHistogram())
        counts.append(b.entries);
    QCOMPARE(counts, (QList<qint64>{10, 4, 5, 6, 5}));
    QCOMPARE(model.index(29, PendingModel::Deliveries).data().toLongLong(), 20);
}

void TestPendingModel::idleFilterNeedsAKnownRecentServer()
{
    // Without a connected server the version is unknown: the idle filter is refused before
    // anything is sent, and the model keeps its filter.
    RedisConnection offline(m_redis.connection()->options());
    PendingModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setGroup(&offline, "s", "g");
    QSignalSpy errors(&model, &PendingModel::errorOccurred);
    QString error;
    QVERIFY(!model.setFilter("c1", 1000, &error));
    QVERIFY2(error.contains(QLatin1String("6.2")), qPrintable(error));
    QCOMPARE(errors.size(), 1);
    QCOMPARE(model.consumerFilter(), QByteArray());
    QCOMPARE(model.minIdleFilter(), 0);
    // A consumer filter alone works everywhere.
    QVERIFY(model.setFilter("c1", 0));
    QCOMPARE(model.consumerFilter(), QByteArray("c1"));
}

// A refresh (F5, auto-refresh) reads as many rows as were loaded and swaps them in with
// one reset once the answer is in: acked entries go, newly delivered ones come, and the
// rows never go missing meanwhile.
void TestPendingModel::refreshReplacesTheLoadedRowsInOneGo()
{
    prepare(100);
    readAs("c1", 90);
    PendingModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setPageSize(30);
    open(model);
    QSignalSpy loaded(&model, &PendingModel::loaded);
    model.fetchMore({});
    QTRY_COMPARE(loaded.size(), 1);
    QCOMPARE(model.rowCount(), 60);

    run({"XACK", "s", "g", "2-0", "3-0"});
    readAs("c2", 5); // 91-0 .. 95-0: past the loaded rows, so not among them
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    loaded.clear();
    model.refresh();
    QCOMPARE(model.rowCount(), 60); // nothing is taken away before the answer is in
    QVERIFY(model.isLoading());
    QTRY_COMPARE(loaded.size(), 1);
    QCOMPARE(reset.size(), 1);
    QCOMPARE(model.rowCount(), 60);
    const QList<quint64> shown = ids(model);
    QCOMPARE(shown.first(), 1u);
    QVERIFY(!shown.contains(2u) && !shown.contains(3u));
    QCOMPARE(shown.last(), 62u);
    QVERIFY(!model.atEnd());
    fetchAll(model);
    QCOMPARE(model.rowCount(), 93); // 90 + 5 - 2
}

// The first page is not all there is: the model says how many are pending in all from
// the first page on, reads the rest page by page from after the last id, and counts again
// with each read.
void TestPendingModel::countsWhatIsPendingBeyondTheLoadedPages()
{
    prepare(130);
    readAs("c1", 126);
    PendingModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(model.pageSize(), 100);
    QCOMPARE(model.matchingCount(), std::nullopt);
    open(model);
    QCOMPARE(model.rowCount(), 100);
    QCOMPARE(model.matchingCount(), std::optional<qint64>(126));
    QCOMPARE(model.groupPendingCount(), std::optional<qint64>(126));
    QVERIFY(model.canFetchMore({}));
    fetchAll(model);
    QCOMPARE(model.rowCount(), 126);
    QVERIFY(model.atEnd());
    const QList<quint64> all = ids(model);
    for (int i = 0; i < all.size(); ++i)
        QCOMPARE(all.at(i), quint64(i + 1)); // no entry twice, none left out

    run({"XACK", "s", "g", "1-0", "126-0"});
    QSignalSpy loaded(&model, &PendingModel::loaded);
    model.refresh();
    QTRY_COMPARE(loaded.size(), 1);
    QCOMPARE(model.matchingCount(), std::optional<qint64>(124));
    QCOMPARE(model.rowCount(), 124);
    model.setGroup(m_redis.connection(), "s", "g");
    QCOMPARE(model.matchingCount(), std::nullopt); // until the new first page is in
}

QTEST_GUILESS_MAIN(TestPendingModel)
#include "tst_pendingmodel.moc"
