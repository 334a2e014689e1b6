// GroupsModel against a real redis-server, under QAbstractItemModelTester.
#include "groupsmodel.h"
#include "livemodeltest.h"
#include "serverversion.h"

#include <QAbstractItemModelTester>
#include <QDateTime>
#include <QItemSelectionModel>
#include <QSignalSpy>
#include <QTest>

class TestGroupsModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void columns();
    void nilLagAfterXdelIsEstimated();
    void estimateStopsAtTheLimit();
    void lagAfterSetIdToAnArbitraryId();
    void timeLagIsTheAgeOfTheOldestUndeliveredEntry();
    void refreshKeepsRowsAndSelection();
    void missingStream();

private:
    // Entries 1-0 .. n-0 in `key`.
    void fill(const QByteArray &key, int n);
    void run(const QList<QByteArray> &argv) { m_redis.run({RedisCommand{argv, "s"}}); }
    void open(GroupsModel &model, const QByteArray &key);
    void refresh(GroupsModel &model);
    static QVariant cell(const GroupsModel &model, const QByteArray &group, int column,
                         int role = Qt::DisplayRole);
    static qint64 shownLag(const GroupsModel &model, const QByteArray &group);

    LiveRedis m_redis;
};

void TestGroupsModel::init()
{
    m_redis.start();
}

void TestGroupsModel::cleanup()
{
    m_redis.stop();
}

void TestGroupsModel::fill(const QByteArray &key, int n)
{
    QList<RedisCommand> commands;
    for (int i = 1; i <= n; ++i)
        commands.append(RedisCommand{
            {"XADD", key, QByteArray::number(i) + "-0", "n", QByteArray::number(i)}, key});
    m_redis.run(commands);
}

void TestGroupsModel::open(GroupsModel &model, const QByteArray &key)
{
    QSignalSpy loaded(&model, &GroupsModel::loaded);
    model.setStream(m_redis.connection(), key);
    QTRY_COMPARE(loaded.size(), 1);
    QVERIFY(!model.isLoading());
}

void TestGroupsModel::refresh(GroupsModel &model)
{
    QSignalSpy loaded(&model, &GroupsModel::loaded);
    model.refresh();
    QTRY_COMPARE(loaded.size(), 1);
    QVERIFY(!model.isLoading());
}

QVariant TestGroupsModel::cell(const GroupsModel &model, const QByteArray &group, int column,
                               int role)
{
    const int row = model.rowOf(group);
    return row < 0 ? QVariant() : model.index(row, column).data(role);
}

// The lag the Groups tab shows: Redis' own from 7.0 on; before, the entries Weir counted,
// and no value said to be Redis' own (-1 if there is one, so the comparison fails).
qint64 TestGroupsModel::shownLag(const GroupsModel &model, const QByteArray &group)
{
    const QVariant own = cell(model, group, GroupsModel::Lag, GroupsModel::ValueRole);
    if (testserver::isAtLeast(7, 0))
        return own.isValid() ? own.toLongLong() : -1;
    const QVariant counted = cell(model, group, GroupsModel::Lag, GroupsModel::LagEstimateRole);
    return own.isValid() || !counted.isValid() ? -1 : counted.toLongLong();
}

void TestGroupsModel::columns()
{
    fill("s", 10);
    run({"XGROUP", "CREATE", "s", "g", "0"});
    run({"XREADGROUP", "GROUP", "g", "c1", "COUNT", "4", "STREAMS", "s", ">"});
    run({"XGROUP", "CREATE", "s", "done", "$"});
    GroupsModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    open(model, "s");
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.columnCount(), int(GroupsModel::ColumnCount));
    QCOMPARE(cell(model, "g", GroupsModel::Name).toString(), QStringLiteral("g"));
    QCOMPARE(cell(model, "g", GroupsModel::Consumers).toLongLong(), 1);
    QCOMPARE(cell(model, "g", GroupsModel::Pending).toLongLong(), 4);
    QCOMPARE(cell(model, "g", GroupsModel::LastDeliveredId).toString(), QStringLiteral("4-0"));
    QCOMPARE(shownLag(model, "g"), 6);
    QCOMPARE(shownLag(model, "done"), 0);
    if (testserver::isAtLeast(7, 0)) {
        QCOMPARE(cell(model, "g", GroupsModel::EntriesRead).toLongLong(), 4);
        QCOMPARE(cell(model, "g", GroupsModel::Lag).toLongLong(), 6);
        QVERIFY(!cell(model, "g", GroupsModel::Lag, GroupsModel::LagEstimateRole).isValid());
    } else {
        // Before 7.0 Redis reports neither: the entries read are not available, and the
        // lag is counted, shown as such, with the reason.
        QCOMPARE(cell(model, "g", GroupsModel::EntriesRead).toString(),
                 QStringLiteral("n/a (Redis < 7.0)"));
        QCOMPARE(cell(model, "g", GroupsModel::Lag).toString(),
                 QStringLiteral("unknown · ≈ 6 (estimated)"));
        const QString tip = cell(model, "g", GroupsModel::Lag, Qt::ToolTipRole).toString();
        QVERIFY2(tip.contains(testserver::info().displayName() + QStringLiteral(" reports no lag"))
                     && tip.contains(QLatin1String("counted 6 entries")),
                 qPrintable(tip));
    }
    QCOMPARE(cell(model, "done", GroupsModel::TimeLag, GroupsModel::ValueRole).toLongLong(), 0);
    QVERIFY(cell(model, "done", GroupsModel::TimeLag, Qt::ToolTipRole)
                .toString()
                .contains(QLatin1String("Every entry")));
    QCOMPARE(model.streamInfo().length, 10);
}

void TestGroupsModel::nilLagAfterXdelIsEstimated()
{
    REQUIRE_REDIS(7, 0, "XINFO GROUPS reports lag");
    fill("s", 100);
    run({"XGROUP", "CREATE", "s", "g", "0"});
    run({"XREADGROUP", "GROUP", "g", "c1", "COUNT", "30", "STREAMS", "s", ">"});
    run({"XDEL", "s", "50-0", "60-0", "70-0", "20-0"});
    GroupsModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setEstimateBatch(10); // several batches
    open(model, "s");
    // The real count of entries the group has not been given.
    const QList<RedisValue> real = m_redis.run({RedisCommand{{"XRANGE", "s", "31-0", "+"}, "s"}});
    const qint64 undelivered = real.first().size();
    QCOMPARE(undelivered, 67);
    QVERIFY(!cell(model, "g", GroupsModel::Lag, GroupsModel::ValueRole).isValid());
    QCOMPARE(cell(model, "g", GroupsModel::Lag, GroupsModel::LagEstimateRole).toLongLong(),
             undelivered);
    QCOMPARE(cell(model, "g", GroupsModel::Lag, GroupsModel::LagIsLowerBoundRole).toBool(), false);
    const QString shown = cell(model, "g", GroupsModel::Lag).toString();
    QVERIFY2(shown.startsWith(QLatin1String("unknown")), qPrintable(shown));
    QVERIFY2(shown.contains(QStringLiteral("≈ 67 (estimated)")), qPrintable(shown));
    const QString tip = cell(model, "g", GroupsModel::Lag, Qt::ToolTipRole).toString();
    QVERIFY2(tip.contains(QLatin1String("XDEL")) && tip.contains(QLatin1String("70-0")),
             qPrintable(tip));
    QCOMPARE(cell(model, "g", GroupsModel::EntriesRead).toLongLong(), 30);

    // Reading past the deleted range makes the lag known again; the estimate goes.
    run({"XREADGROUP", "GROUP", "g", "c1", "COUNT", "100", "STREAMS", "s", ">"});
    refresh(model);
    QCOMPARE(cell(model, "g", GroupsModel::Lag).toLongLong(), 0);
    QVERIFY(!cell(model, "g", GroupsModel::Lag, GroupsModel::LagEstimateRole).isValid());
}

void TestGroupsModel::estimateStopsAtTheLimit()
{
    fill("s", 300);
    run({"XGROUP", "CREATE", "s", "g", "0"});
    run({"XREADGROUP", "GROUP", "g", "c1", "COUNT", "10", "STREAMS", "s", ">"});
    run({"XDEL", "s", "100-0"});
    GroupsModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setEstimateBatch(40);
    model.setEstimateLimit(100);
    open(model, "s");
    QCOMPARE(cell(model, "g", GroupsModel::Lag, GroupsModel::LagEstimateRole).toLongLong(), 100);
    QCOMPARE(cell(model, "g", GroupsModel::Lag, GroupsModel::LagIsLowerBoundRole).toBool(), true);
    const QString shown = cell(model, "g", GroupsModel::Lag).toString();
    QVERIFY2(shown.contains(QStringLiteral("≥ 100 (estimated)")), qPrintable(shown));
}

void TestGroupsModel::lagAfterSetIdToAnArbitraryId()
{
    REQUIRE_REDIS(7, 0, "ENTRIESREAD");
    fill("s", 100);
    run({"XGROUP", "CREATE", "s", "g", "0"});
    run({"XGROUP", "SETID", "s", "g", "40-0"});
    GroupsModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    open(model, "s");
    QCOMPARE(cell(model, "g", GroupsModel::LastDeliveredId).toString(), QStringLiteral("40-0"));
    QCOMPARE(cell(model, "g", GroupsModel::EntriesRead).toString(), QStringLiteral("unknown"));
    QVERIFY(!cell(model, "g", GroupsModel::Lag, GroupsModel::ValueRole).isValid());
    QCOMPARE(cell(model, "g", GroupsModel::Lag, GroupsModel::LagEstimateRole).toLongLong(), 60);
    QVERIFY(
        cell(model, "g", GroupsModel::Lag).toString().contains(QStringLiteral("≈ 60 (estimated)")));
    const QString tip = cell(model, "g", GroupsModel::Lag, Qt::ToolTipRole).toString();
    QVERIFY2(tip.contains(QLatin1String("arbitrary id")), qPrintable(tip));
    QVERIFY2(!tip.contains(QLatin1String("XDEL")), qPrintable(tip));

    // With ENTRIESREAD Redis knows again; the change comes as dataChanged on the lag cell.
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    run({"XGROUP", "SETID", "s", "g", "40-0", "ENTRIESREAD", "40"});
    refresh(model);
    QCOMPARE(cell(model, "g", GroupsModel::Lag).toLongLong(), 60);
    QCOMPARE(cell(model, "g", GroupsModel::EntriesRead).toLongLong(), 40);
    QVERIFY(!cell(model, "g", GroupsModel::Lag, GroupsModel::LagEstimateRole).isValid());
    bool lagChanged = false;
    for (const QList<QVariant> &args : changed) {
        const auto index = args.at(0).value<QModelIndex>();
        const auto roles = args.at(2).value<QList<int>>();
        QCOMPARE(index, args.at(1).value<QModelIndex>()); // one cell at a time
        QVERIFY(!roles.isEmpty());
        QVERIFY(index.column() != GroupsModel::Name && index.column() != GroupsModel::Pending);
        if (index.column() == GroupsModel::Lag) {
            lagChanged = true;
            QVERIFY(roles.contains(Qt::DisplayRole) && roles.contains(GroupsModel::ValueRole));
        }
    }
    QVERIFY(lagChanged);
}

void TestGroupsModel::timeLagIsTheAgeOfTheOldestUndeliveredEntry()
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const QByteArray oldest = QByteArray::number(now - 90000) + "-0";
    const QByteArray second = QByteArray::number(now - 30000) + "-0";
    const QByteArray third = QByteArray::number(now - 10000) + "-0";
    run({"XADD", "s", oldest, "n", "1"});
    run({"XADD", "s", second, "n", "2"});
    run({"XADD", "s", third, "n", "3"});
    run({"XGROUP", "CREATE", "s", "g", "0"});
    run({"XREADGROUP", "GROUP", "g", "c1", "COUNT", "1", "STREAMS", "s", ">"});
    run({"XGROUP", "CREATE", "s", "fresh", "0"});
    GroupsModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    open(model, "s");
    const qint64 after = QDateTime::currentMSecsSinceEpoch();
    // g has had the oldest entry: its oldest undelivered one is 30 s old.
    const qint64 g = cell(model, "g", GroupsModel::TimeLag, GroupsModel::ValueRole).toLongLong();
    QVERIFY2(g >= 30000 && g <= after - now + 30000, qPrintable(QString::number(g)));
    QVERIFY(cell(model, "g", GroupsModel::TimeLag, Qt::ToolTipRole)
                .toString()
                .contains(QString::fromLatin1(second)));
    QCOMPARE(cell(model, "g", GroupsModel::TimeLag).toString().right(2), QStringLiteral(" s"));
    const qint64 fresh =
        cell(model, "fresh", GroupsModel::TimeLag, GroupsModel::ValueRole).toLongLong();
    QVERIFY2(fresh >= 90000 && fresh <= after - now + 90000, qPrintable(QString::number(fresh)));
    QCOMPARE(cell(model, "fresh", GroupsModel::TimeLag).toString(), QStringLiteral("1 min 30 s"));
}

void TestGroupsModel::refreshKeepsRowsAndSelection()
{
    fill("s", 10);
    run({"XGROUP", "CREATE", "s", "a", "0"});
    run({"XGROUP", "CREATE", "s", "c", "0"});
    run({"XGROUP", "CREATE", "s", "d", "0"});
    GroupsModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QItemSelectionModel selection(&model);
    open(model, "s");
    QCOMPARE(model.rowCount(), 3);
    selection.setCurrentIndex(model.index(model.rowOf("c"), GroupsModel::Name),
                              QItemSelectionModel::SelectCurrent | QItemSelectionModel::Rows);

    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    run({"XGROUP", "CREATE", "s", "b", "0"}); // created while the model is open
    run({"XGROUP", "DESTROY", "s", "a"});
    run({"XREADGROUP", "GROUP", "c", "worker", "COUNT", "2", "STREAMS", "s", ">"});
    refresh(model);

    QCOMPARE(reset.size(), 0);
    QCOMPARE(inserted.size(), 1);
    QCOMPARE(removed.size(), 1);
    QCOMPARE(model.rowCount(), 3);
    QVERIFY(model.rowOf("a") < 0);
    QVERIFY(model.rowOf("b") >= 0);
    QCOMPARE(shownLag(model, "b"), 10);
    // The selection stayed on c, which moved up a row when a went.
    QCOMPARE(selection.currentIndex().data(GroupsModel::GroupNameRole).toByteArray(),
             QByteArray("c"));
    QCOMPARE(selection.selectedRows().size(), 1);
    QCOMPARE(selection.selectedRows().first().row(), model.rowOf("c"));
    QCOMPARE(cell(model, "c", GroupsModel::Pending).toLongLong(), 2);
    // c's changed cells were announced, with their roles; d did not change except its
    // time lag (which ages).
    QSet<int> cColumns;
    for (const QList<QVariant> &args : changed) {
        const auto index = args.at(0).value<QModelIndex>();
        const auto roles = args.at(2).value<QList<int>>();
        QVERIFY(!roles.isEmpty());
        QVERIFY(!roles.contains(GroupsModel::GroupNameRole));
        if (index.data(GroupsModel::GroupNameRole).toByteArray() == "c")
            cColumns.insert(index.column());
        else if (index.data(GroupsModel::GroupNameRole).toByteArray() == "d")
            QCOMPARE(index.column(), int(GroupsModel::TimeLag));
    }
    QVERIFY(cColumns.contains(GroupsModel::Consumers));
    QVERIFY(cColumns.contains(GroupsModel::Pending));
    QVERIFY(cColumns.contains(GroupsModel::LastDeliveredId));
    QVERIFY(cColumns.contains(GroupsModel::Lag));
    QVERIFY(!cColumns.contains(GroupsModel::Name));
}

void TestGroupsModel::missingStream()
{
    GroupsModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy errors(&model, &GroupsModel::errorOccurred);
    open(model, "missing");
    QCOMPARE(model.rowCount(), 0);
    QCOMPARE(errors.size(), 1);
    QVERIFY2(errors.at(0).at(0).toString().contains(QLatin1String("no such key")),
             qPrintable(errors.at(0).at(0).toString()));
}

QTEST_GUILESS_MAIN(TestGroupsModel)
#include "tst_groupsmodel.moc"
