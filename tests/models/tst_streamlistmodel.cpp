// StreamListModel against a real redis-server, under QAbstractItemModelTester.
#include "livemodeltest.h"
#include "serverversion.h"
#include "streamlistmodel.h"
#include "weirtranslations.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

class TestStreamListModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QVERIFY(installWeirTranslations()); } // "1 dead letter", as shown
    void init();
    void cleanup();
    void listsOnlyStreams();
    void appendsRowsWhileScanning();
    void loadsDetailsOnDemand();
    void nilLagIsUnknownNotZero();
    void keyGoneOrRetypedAfterScan();
    void cancelKeepsRowsAndStops();
    void refreshDuringScanStartsOver();
    void deadLetterColumn();
    void deadLetterConventionsChange();
    void deadLettersPairedAcrossScanPages();
    void progressEstimate_data();
    void progressEstimate();

private:
    void fillKeys(int streams, int others);
    void loadAllDetails(StreamListModel &model);
    int rowOf(const StreamListModel &model, const QByteArray &key) const;

    LiveRedis m_redis;
};

void TestStreamListModel::init()
{
    m_redis.start();
}

void TestStreamListModel::cleanup()
{
    m_redis.stop();
}

void TestStreamListModel::fillKeys(int streams, int others)
{
    QList<RedisCommand> commands;
    for (int i = 0; i < streams; ++i) {
        const QByteArray key = "stream:" + QByteArray::number(i);
        commands.append(RedisCommand{{"XADD", key, "*", "n", QByteArray::number(i)}, key});
    }
    for (int i = 0; i < others; ++i) {
        const QByteArray key = "other:" + QByteArray::number(i);
        commands.append(RedisCommand{{"SET", key, "x"}, key});
    }
    for (qsizetype at = 0; at < commands.size(); at += 5000)
        m_redis.run(commands.mid(at, 5000));
}

void TestStreamListModel::loadAllDetails(StreamListModel &model)
{
    // What a view does for the rows it shows.
    for (int row = 0; row < model.rowCount(); ++row)
        model.data(model.index(row, StreamListModel::Length));
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
        for (int row = 0; row < model.rowCount(); ++row) {
            if (model.data(model.index(row, 0), StreamListModel::StatusRole).toInt()
                == int(StreamListModel::RowStatus::Loading))
                return false;
        }
        return true;
        }(),
        10000);
}

int TestStreamListModel::rowOf(const StreamListModel &model, const QByteArray &key) const
{
    for (int row = 0; row < model.rowCount(); ++row) {
        if (model.data(model.index(row, 0), StreamListModel::KeyRole).toByteArray() == key)
            return row;
    }
    return -1;
}

void TestStreamListModel::listsOnlyStreams()
{
    fillKeys(300, 700);
    StreamListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setConnection(m_redis.connection());
    QSignalSpy finished(&model, &StreamListModel::scanFinished);
    model.refresh();
    QVERIFY(model.isScanning());
    QTRY_COMPARE(finished.size(), 1);
    QCOMPARE(finished.at(0).at(0).toInt(), 300);
    QCOMPARE(finished.at(0).at(1).toBool(), false);
    QCOMPARE(finished.at(0).at(2).toString(), QString());
    QCOMPARE(model.rowCount(), 300);
    QSet<QByteArray> keys;
    for (int row = 0; row < model.rowCount(); ++row)
        keys.insert(model.data(model.index(row, 0), StreamListModel::KeyRole).toByteArray());
    QCOMPARE(keys.size(), 300);
    QVERIFY(keys.contains("stream:0") && keys.contains("stream:299"));
    QCOMPARE(model.scanProgress(), 1.0);
}

void TestStreamListModel::appendsRowsWhileScanning()
{
    fillKeys(2000, 18000);
    StreamListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setConnection(m_redis.connection());
    QList<bool> scanningAtInsert;
    connect(&model, &QAbstractItemModel::rowsInserted, this,
            [&] { scanningAtInsert.append(model.isScanning()); });
    QSignalSpy progress(&model, &StreamListModel::scanProgressChanged);
    QSignalSpy finished(&model, &StreamListModel::scanFinished);
    model.refresh();
    // The first page's rows are inserted at once, while the scan goes on.
    QTRY_VERIFY(!scanningAtInsert.isEmpty());
    QCOMPARE(scanningAtInsert.first(), true);
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 20000);
    QCOMPARE(model.rowCount(), 2000);
    // Later pages are batched (at most one insertion per 100 ms tick, plus the rest at
    // the end), not inserted page by page: 20 pages make far fewer insertions.
    QVERIFY2(scanningAtInsert.size() >= 2, qPrintable(QString::number(scanningAtInsert.size())));
    QVERIFY2(scanningAtInsert.size() < 20, qPrintable(QString::number(scanningAtInsert.size())));
    QVERIFY(progress.size() >= 10);
    double last = 0;
    for (const QList<QVariant> &p : progress) {
        QVERIFY2(p.at(0).toDouble() >= last, "progress never goes back");
        last = p.at(0).toDouble();
        QVERIFY(last >= 0 && last < 1);
    }
}

void TestStreamListModel::loadsDetailsOnDemand()
{
    const QList<RedisValue> ids = m_redis.run({
        RedisCommand{{"XADD", "orders", "1000-1", "k", "a"}, "orders"},
        RedisCommand{{"XADD", "orders", "2000-0", "k", "b"}, "orders"},
        RedisCommand{{"XADD", "orders", "3000-5", "k", "c"}, "orders"},
        RedisCommand{{"XGROUP", "CREATE", "orders", "billing", "0"}, "orders"},
        RedisCommand{{"XGROUP", "CREATE", "orders", "shipping", "0"}, "orders"},
        RedisCommand{
            {"XREADGROUP", "GROUP", "billing", "c1", "COUNT", "2", "STREAMS", "orders", ">"},
            "orders"},
        RedisCommand{
            {"XREADGROUP", "GROUP", "shipping", "c1", "COUNT", "1", "STREAMS", "orders", ">"},
            "orders"},
        RedisCommand{{"XACK", "orders", "shipping", "1000-1"}, "orders"},
        RedisCommand{{"XADD", "empty", "MAXLEN", "0", "*", "k", "v"}, "empty"},
    });
    QCOMPARE(ids.size(), 9);
    StreamListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setConnection(m_redis.connection());
    QSignalSpy finished(&model, &StreamListModel::scanFinished);
    model.refresh();
    QTRY_COMPARE(finished.size(), 1);
    QCOMPARE(model.rowCount(), 2);
    const int orders = rowOf(model, "orders");
    QVERIFY(orders >= 0);
    auto cell = [&](int row, int column, int role = Qt::DisplayRole) {
        return model.data(model.index(row, column), role);
    };
    // Nothing is fetched until someone asks.
    QCOMPARE(cell(orders, 0, StreamListModel::StatusRole).toInt(),
             int(StreamListModel::RowStatus::Loading));
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    loadAllDetails(model);
    QVERIFY(!changed.isEmpty());
    QCOMPARE(cell(orders, StreamListModel::Length, StreamListModel::SortRole).toLongLong(), 3);
    QCOMPARE(cell(orders, StreamListModel::Groups, StreamListModel::SortRole).toLongLong(), 2);
    QCOMPARE(cell(orders, StreamListModel::Pending, StreamListModel::SortRole).toLongLong(), 2);
    if (testserver::isAtLeast(7, 0)) {
        // billing read 2 of 3 (lag 1), shipping 1 of 3 (lag 2): the highest is 2.
        QCOMPARE(cell(orders, StreamListModel::MaxLag, StreamListModel::SortRole).toLongLong(), 2);
        QCOMPARE(cell(orders, StreamListModel::MaxLag).toString(), QStringLiteral("2"));
    } else {
        // Before 7.0 Redis reports no lag: unknown, never 0, and the tooltip says why.
        QCOMPARE(cell(orders, StreamListModel::MaxLag, StreamListModel::SortRole).toLongLong(), -1);
        QCOMPARE(cell(orders, StreamListModel::MaxLag).toString(), QStringLiteral("unknown"));
        const QString tip = cell(orders, StreamListModel::MaxLag, Qt::ToolTipRole).toString();
        QVERIFY2(tip.contains(testserver::info().displayName())
                     && tip.contains(QLatin1String("Redis 7.0")),
                 qPrintable(tip));
    }
    QCOMPARE(cell(orders, StreamListModel::FirstId).toString(), QStringLiteral("1000-1"));
    QCOMPARE(cell(orders, StreamListModel::LastId).toString(), QStringLiteral("3000-5"));
    QCOMPARE(cell(orders, StreamListModel::LastEntry, StreamListModel::SortRole).toLongLong(),
             3000);
    const int empty = rowOf(model, "empty");
    QCOMPARE(cell(empty, StreamListModel::Length).toString(), QStringLiteral("0"));
    QCOMPARE(cell(empty, StreamListModel::FirstId).toString(), QString());
    QCOMPARE(cell(empty, StreamListModel::MaxLag).toString(), QStringLiteral("–"));
}

void TestStreamListModel::nilLagIsUnknownNotZero()
{
    m_redis.run({
        RedisCommand{{"XADD", "tasks", "1-0", "k", "a"}, "tasks"},
        RedisCommand{{"XADD", "tasks", "2-0", "k", "b"}, "tasks"},
        RedisCommand{{"XADD", "tasks", "3-0", "k", "c"}, "tasks"},
        RedisCommand{{"XGROUP", "CREATE", "tasks", "tasks_group", "0"}, "tasks"},
        RedisCommand{
            {"XREADGROUP", "GROUP", "tasks_group", "w", "COUNT", "1", "STREAMS", "tasks", ">"},
            "tasks"},
        // Deleting an entry the group has not read yet makes its lag unknowable.
        RedisCommand{{"XDEL", "tasks", "2-0"}, "tasks"},
    });
    StreamListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setConnection(m_redis.connection());
    QSignalSpy finished(&model, &StreamListModel::scanFinished);
    model.refresh();
    QTRY_COMPARE(finished.size(), 1);
    loadAllDetails(model);
    const QModelIndex lag = model.index(0, StreamListModel::MaxLag);
    QCOMPARE(lag.data().toString(), QStringLiteral("unknown"));
    QCOMPARE(lag.data(StreamListModel::SortRole).toLongLong(), -1);
    QVERIFY(lag.data(Qt::ToolTipRole)
                .toString()
                .contains(
                    QLatin1String(testserver::isAtLeast(7, 0) ? "cannot tell" : "reports no lag")));
}

void TestStreamListModel::keyGoneOrRetypedAfterScan()
{
    fillKeys(5, 0);
    StreamListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setConnection(m_redis.connection());
    QSignalSpy finished(&model, &StreamListModel::scanFinished);
    model.refresh();
    QTRY_COMPARE(finished.size(), 1);
    loadAllDetails(model);
    m_redis.run({RedisCommand{{"DEL", "stream:1"}, "stream:1"},
                 RedisCommand{{"DEL", "stream:2"}, "stream:2"},
                 RedisCommand{{"SET", "stream:2", "now a string"}, "stream:2"}});
    model.reloadDetails();
    // Old values stay on screen until the new ones arrive.
    QCOMPARE(model.data(model.index(rowOf(model, "stream:3"), StreamListModel::Length)).toString(),
             QStringLiteral("1"));
    loadAllDetails(model);
    QTRY_COMPARE(
        model.data(model.index(rowOf(model, "stream:1"), 0), StreamListModel::StatusRole).toInt(),
        int(StreamListModel::RowStatus::Gone));
    QCOMPARE(
        model.data(model.index(rowOf(model, "stream:2"), 0), StreamListModel::StatusRole).toInt(),
        int(StreamListModel::RowStatus::NotStream));
    QCOMPARE(model.data(model.index(rowOf(model, "stream:1"), StreamListModel::Length)).toString(),
             QStringLiteral("deleted since the scan"));
    QCOMPARE(model.data(model.index(rowOf(model, "stream:2"), StreamListModel::Length)).toString(),
             QStringLiteral("no longer a stream"));
    QCOMPARE(
        model.data(model.index(rowOf(model, "stream:3"), 0), StreamListModel::StatusRole).toInt(),
        int(StreamListModel::RowStatus::Ok));
    QCOMPARE(model.rowCount(), 5);
}

void TestStreamListModel::cancelKeepsRowsAndStops()
{
    fillKeys(5000, 45000);
    StreamListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setConnection(m_redis.connection());
    QSignalSpy finished(&model, &StreamListModel::scanFinished);
    // Cancel as the second page arrives: the scan is surely under way then.
    int pages = 0;
    connect(&model, &StreamListModel::scanProgressChanged, this, [&] {
        if (++pages == 2)
            model.cancel();
    });
    model.refresh();
    QTRY_COMPARE(finished.size(), 1);
    QCOMPARE(finished.at(0).at(1).toBool(), true);
    QVERIFY(!model.isScanning());
    const int rows = model.rowCount();
    QVERIFY(rows > 0 && rows < 5000);
    // A page already on its way is dropped: let the connection drain, then compare.
    m_redis.run({RedisCommand{"PING"}});
    QCOMPARE(model.rowCount(), rows);
}

void TestStreamListModel::refreshDuringScanStartsOver()
{
    fillKeys(2000, 18000);
    StreamListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setConnection(m_redis.connection());
    QSignalSpy finished(&model, &StreamListModel::scanFinished);
    // Refresh as the second page of the first scan arrives.
    int pages = 0;
    connect(&model, &StreamListModel::scanProgressChanged, this, [&] {
        if (++pages == 2)
            model.refresh();
    });
    model.refresh();
    QTRY_VERIFY(!finished.isEmpty());
    QCOMPARE(finished.at(0).at(1).toBool(), true); // the first scan, reported as cancelled
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 2, 20000);
    QCOMPARE(finished.at(1).at(1).toBool(), false);
    QCOMPARE(model.rowCount(), 2000);
}

void TestStreamListModel::deadLetterColumn()
{
    m_redis.run({
        RedisCommand{{"XADD", "orders", "*", "k", "a"}, "orders"},
        RedisCommand{{"XADD", "orders:dlq", "*", "failureReason", "bad"}, "orders:dlq"},
        RedisCommand{{"XADD", "orders:dlq", "*", "failureReason", "worse"}, "orders:dlq"},
        RedisCommand{{"XADD", "{t}:p0", "*", "k", "a"}, "{t}:p0"},
        RedisCommand{{"XADD", "dlq:{t}:p0", "*", "k", "a"}, "dlq:{t}:p0"},
        RedisCommand{{"XADD", "lonely:dlq", "*", "k", "a"}, "lonely:dlq"},
        RedisCommand{{"XADD", "plain", "*", "k", "a"}, "plain"},
        RedisCommand{{"XADD", "empty", "*", "k", "a"}, "empty"},
        RedisCommand{{"XADD", "empty_dlq", "MAXLEN", "0", "*", "k", "a"}, "empty_dlq"},
    });
    StreamListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setConnection(m_redis.connection());
    QSignalSpy finished(&model, &StreamListModel::scanFinished);
    model.refresh();
    QTRY_COMPARE(finished.size(), 1);
    QCOMPARE(model.rowCount(), 8);
    const QHash<QByteArray, QByteArray> expected{
        {"orders", "orders:dlq"}, {"{t}:p0", "dlq:{t}:p0"}, {"empty", "empty_dlq"}};
    QCOMPARE(model.deadLetterStreams(), expected);
    auto cell = [&](const QByteArray &key, int column, int role = Qt::DisplayRole) {
        return model.data(model.index(rowOf(model, key), column), role);
    };
    const int dl = StreamListModel::DeadLetters;
    QCOMPARE(cell("orders", 0, StreamListModel::DeadLetterStreamRole).toByteArray(),
             QByteArray("orders:dlq"));
    QCOMPARE(cell("orders:dlq", 0, StreamListModel::DeadLetterSourceRole).toByteArray(),
             QByteArray("orders"));
    QVERIFY(cell("orders", 0, StreamListModel::DeadLetterSourceRole).toByteArray().isEmpty());
    QVERIFY(cell("lonely:dlq", 0, StreamListModel::DeadLetterSourceRole).toByteArray().isEmpty());
    QCOMPARE(model.deadLetterSourceOf("dlq:{t}:p0"), QByteArray("{t}:p0"));

    loadAllDetails(model);
    // The counts come with the details (XLEN in the same batch).
    QTRY_COMPARE(cell("orders", dl).toString(), QStringLiteral("2"));
    QCOMPARE(cell("orders", dl, StreamListModel::SortRole).toLongLong(), 2);
    QCOMPARE(cell("{t}:p0", dl).toString(), QStringLiteral("1"));
    QCOMPARE(cell("empty", dl).toString(), QStringLiteral("0"));
    QCOMPARE(cell("plain", dl).toString(), QString());
    QCOMPARE(cell("plain", dl, StreamListModel::SortRole).toLongLong(), -1);
    QVERIFY(cell("orders", dl, Qt::ToolTipRole).toString().contains(QStringLiteral("orders:dlq")));
    QCOMPARE(cell("{t}:p0", dl, Qt::ToolTipRole).toString(),
             QStringLiteral("1 dead letter in dlq:{t}:p0"));
    // A dead-letter stream's row names its source.
    QCOMPARE(cell("orders:dlq", dl).toString(), QStringLiteral("of orders"));
    QVERIFY(cell("orders:dlq", 0, Qt::ToolTipRole)
                .toString()
                .contains(QStringLiteral("dead letters of orders")));
    QCOMPARE(cell("lonely:dlq", dl).toString(), QString());

    // New dead letters show on the next details reload.
    m_redis.run(
        {RedisCommand{{"XADD", "orders:dlq", "*", "failureReason", "again"}, "orders:dlq"}});
    model.reloadDetails();
    loadAllDetails(model);
    QTRY_COMPARE(cell("orders", dl).toString(), QStringLiteral("3"));
}

void TestStreamListModel::deadLetterConventionsChange()
{
    m_redis.run({
        RedisCommand{{"XADD", "orders", "*", "k", "a"}, "orders"},
        RedisCommand{{"XADD", "orders:dlq", "*", "k", "a"}, "orders:dlq"},
        RedisCommand{{"XADD", "failed/orders", "*", "k", "a"}, "failed/orders"},
        RedisCommand{{"XADD", "failed/orders", "*", "k", "b"}, "failed/orders"},
    });
    StreamListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setConnection(m_redis.connection());
    QSignalSpy finished(&model, &StreamListModel::scanFinished);
    model.refresh();
    QTRY_COMPARE(finished.size(), 1);
    loadAllDetails(model);
    const int orders = rowOf(model, "orders");
    const QModelIndex count = model.index(orders, StreamListModel::DeadLetters);
    QTRY_COMPARE(count.data().toString(), QStringLiteral("1"));

    QSignalSpy paired(&model, &StreamListModel::deadLetterStreamsChanged);
    DeadLetterConventions custom = DeadLetterConventions::defaults();
    custom.patterns = QStringList{QStringLiteral("failed/{stream}")};
    model.setDeadLetterConventions(custom);
    QCOMPARE(paired.size(), 1);
    QCOMPARE(model.deadLetterStreams(),
             (QHash<QByteArray, QByteArray>{{"orders", "failed/orders"}}));
    QVERIFY(model.deadLetterSourceOf("orders:dlq").isEmpty());
    // The count is read again, from the new dead-letter stream.
    QTRY_COMPARE(count.data().toString(), QStringLiteral("2"));
    // The same conventions again change nothing.
    model.setDeadLetterConventions(custom);
    QCOMPARE(paired.size(), 1);

    custom.patterns.clear();
    model.setDeadLetterConventions(custom);
    QCOMPARE(paired.size(), 2);
    QVERIFY(model.deadLetterStreams().isEmpty());
    QCOMPARE(count.data().toString(), QString());
}

void TestStreamListModel::deadLettersPairedAcrossScanPages()
{
    // SCAN returns keys in hash order, over several pages: a source and its dead-letter
    // stream often arrive in different pages.
    fillKeys(3000, 0);
    QList<RedisCommand> dlqs;
    for (int i = 0; i < 3000; i += 7) {
        const QByteArray key = "stream:" + QByteArray::number(i) + ":dlq";
        dlqs.append(RedisCommand{{"XADD", key, "*", "n", "1"}, key});
    }
    m_redis.run(dlqs);
    StreamListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setConnection(m_redis.connection());
    QSignalSpy finished(&model, &StreamListModel::scanFinished);
    model.refresh();
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 20000);
    QCOMPARE(model.rowCount(), 3000 + int(dlqs.size()));
    const QHash<QByteArray, QByteArray> pairs = model.deadLetterStreams();
    QCOMPARE(pairs.size(), dlqs.size());
    for (int i = 0; i < 3000; i += 7) {
        const QByteArray source = "stream:" + QByteArray::number(i);
        QCOMPARE(pairs.value(source), source + ":dlq");
    }
}

void TestStreamListModel::progressEstimate_data()
{
    QTest::addColumn<quint64>("cursor");
    QTest::addColumn<qint64>("keys");
    QTest::addColumn<double>("expected");
    // A table of 8 buckets (3 bits) is walked 0,4,2,6,1,5,3,7.
    QTest::newRow("done") << quint64(0) << qint64(8) << 1.0;
    QTest::newRow("after first bucket") << quint64(4) << qint64(8) << 1.0 / 8;
    QTest::newRow("half") << quint64(1) << qint64(8) << 4.0 / 8;
    QTest::newRow("last") << quint64(7) << qint64(8) << 7.0 / 8;
    // A cursor wider than the guessed table widens the estimate.
    QTest::newRow("wider cursor") << quint64(8) << qint64(8) << 1.0 / 16;
}

void TestStreamListModel::progressEstimate()
{
    QFETCH(quint64, cursor);
    QFETCH(qint64, keys);
    QFETCH(double, expected);
    QCOMPARE(StreamListModel::estimateScanProgress(cursor, keys), expected);
}

QTEST_GUILESS_MAIN(TestStreamListModel)
#include "tst_streamlistmodel.moc"
