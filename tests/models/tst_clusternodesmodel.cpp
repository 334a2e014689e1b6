// The nodes view's model: masters in slot order with their replicas below, the streams
// counted on the master serving their slot, what each node said of itself, and a
// failover (the slot map read anew), all under QAbstractItemModelTester.

#include "clusternodesmodel.h"
#include "clusternodesupport.h"
#include "keyslot.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QtTest>

namespace {

using namespace clusternodes;

QString text(const QAbstractItemModel &m, int row, int column, const QModelIndex &parent = {})
{
    return m.index(row, column, parent).data().toString();
}

} // namespace

class TestClusterNodesModel : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void mastersInSlotOrderWithTheirReplicas();
    void streamsAreCountedOnTheirMaster();
    void detailsFillTheirRows();
    void failoverMovesTheStreams();
    void slotRanges();
};

void TestClusterNodesModel::mastersInSlotOrderWithTheirReplicas()
{
    ClusterNodesModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(model.rowCount(), 0);
    model.setTopology(threeShards());
    QCOMPARE(model.rowCount(), 3);
    QCOMPARE(text(model, 0, ClusterNodesModel::NodeColumn), QStringLiteral("127.0.0.1:7001"));
    QCOMPARE(text(model, 1, ClusterNodesModel::NodeColumn), QStringLiteral("127.0.0.1:7002"));
    QCOMPARE(text(model, 2, ClusterNodesModel::NodeColumn), QStringLiteral("127.0.0.1:7003"));
    QCOMPARE(text(model, 0, ClusterNodesModel::RoleColumn), QStringLiteral("master"));
    const QString count = QLocale().toString(5461);
    QCOMPARE(text(model, 0, ClusterNodesModel::SlotsColumn), count + QStringLiteral(" (0-5460)"));
    QCOMPARE(text(model, 2, ClusterNodesModel::SlotsColumn),
             count + QStringLiteral(" (10923-16383)"));
    QCOMPARE(text(model, 0, ClusterNodesModel::HealthColumn), QStringLiteral("online"));
    for (int s = 0; s < 3; ++s) {
        const QModelIndex master = model.index(s, 0);
        QCOMPARE(model.rowCount(master), 1);
        QCOMPARE(text(model, 0, ClusterNodesModel::RoleColumn, master), QStringLiteral("replica"));
        QCOMPARE(text(model, 0, ClusterNodesModel::SlotsColumn, master), QStringLiteral("—"));
        QCOMPARE(model.index(0, 0, master).parent(), master);
    }
    QCOMPARE(text(model, 0, ClusterNodesModel::NodeColumn, model.index(0, 0)),
             QStringLiteral("127.0.0.1:7005"));
    QVERIFY(model.index(0, 0, model.index(0, 0))
                .data(Qt::ToolTipRole)
                .toString()
                .contains(QLatin1String("node id e000")));
}

void TestClusterNodesModel::streamsAreCountedOnTheirMaster()
{
    ClusterNodesModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setTopology(threeShards());
    // Streams with hash tags land where their tag's slot says; count them by hand.
    QList<QByteArray> streams;
    int perMaster[3] = {0, 0, 0};
    for (int i = 0; i < 60; ++i) {
        const QByteArray name = "orders:" + QByteArray::number(i);
        streams.append(name);
        const quint16 slot = keySlot(name);
        ++perMaster[slot <= 5460 ? 0 : slot <= 10922 ? 1 : 2];
    }
    streams.append("{orders:1}:dlq"); // the same slot as orders:1
    ++perMaster[keySlot("orders:1") <= 5460 ? 0 : keySlot("orders:1") <= 10922 ? 1 : 2];
    QVERIFY(perMaster[0] > 0 && perMaster[1] > 0 && perMaster[2] > 0);

    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    model.setStreams(streams);
    QVERIFY(!changed.isEmpty());
    for (int s = 0; s < 3; ++s) {
        QCOMPARE(text(model, s, ClusterNodesModel::StreamsColumn), QString::number(perMaster[s]));
        // A replica shows its master's streams.
        QCOMPARE(text(model, 0, ClusterNodesModel::StreamsColumn, model.index(s, 0)),
                 QString::number(perMaster[s]));
    }
    const QString holder = QStringLiteral("127.0.0.1:%1")
                               .arg(keySlot("orders:1") <= 5460    ? 7001
                                    : keySlot("orders:1") <= 10922 ? 7002
                                                                   : 7003);
    const QList<QByteArray> onHolder = model.streamsOf(holder);
    QVERIFY(onHolder.contains("orders:1"));
    QVERIFY(onHolder.contains("{orders:1}:dlq"));
    QVERIFY(std::is_sorted(onHolder.cbegin(), onHolder.cend()));
    QCOMPARE(model.streamsOf(QStringLiteral("127.0.0.1:9999")), QList<QByteArray>{});
}

void TestClusterNodesModel::detailsFillTheirRows()
{
    ClusterNodesModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setTopology(threeShards());
    QCOMPARE(text(model, 1, ClusterNodesModel::VersionColumn), QStringLiteral("…"));
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    model.setDetails(QStringLiteral("127.0.0.1:7002"), {QStringLiteral("7.0.15"), 2'500'000, {}});
    QCOMPARE(changed.count(), 1);
    QCOMPARE(changed.at(0).at(0).toModelIndex().row(), 1);
    QCOMPARE(text(model, 1, ClusterNodesModel::VersionColumn), QStringLiteral("7.0.15"));
    QVERIFY(!text(model, 1, ClusterNodesModel::MemoryColumn).isEmpty());
    QVERIFY(text(model, 1, ClusterNodesModel::MemoryColumn) != QStringLiteral("…"));
    // A replica that could not be asked says so, with the reason in the tooltip.
    const QModelIndex replica = model.index(0, 0, model.index(2, 0));
    model.setDetails(QStringLiteral("127.0.0.1:7004"),
                     {{}, -1, QStringLiteral("Connection refused")});
    QCOMPARE(text(model, 0, ClusterNodesModel::VersionColumn, model.index(2, 0)),
             QStringLiteral("unreachable"));
    QCOMPARE(replica.siblingAtColumn(ClusterNodesModel::VersionColumn).data(Qt::ToolTipRole),
             QVariant(QStringLiteral("Connection refused")));
}

void TestClusterNodesModel::failoverMovesTheStreams()
{
    ClusterNodesModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setTopology(threeShards());
    const QList<QByteArray> streams{"a", "b", "c", "orders", "tasks"};
    model.setStreams(streams);
    const QList<QByteArray> onFirst = model.streamsOf(QStringLiteral("127.0.0.1:7001"));

    // 7001 failed; its replica 7005 took its slots.
    QString error;
    ClusterNode failed = node("a", 7001, Replica, {}, "e");
    failed.health = ClusterNode::Health::Failed;
    const auto after = ClusterTopology::fromNodes(
        {node("e", 7005, Master, {{0, 5460}}), node("b", 7002, Master, {{5461, 10922}}),
         node("c", 7003, Master, {{10923, 16383}}), failed, node("d", 7004, Replica, {}, "c"),
         node("f", 7006, Replica, {}, "b")},
        &error);
    QVERIFY2(after, qPrintable(error));
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    model.setTopology(*after);
    QCOMPARE(reset.count(), 1);
    QCOMPARE(text(model, 0, ClusterNodesModel::NodeColumn), QStringLiteral("127.0.0.1:7005"));
    QCOMPARE(model.streamsOf(QStringLiteral("127.0.0.1:7005")), onFirst);
    const QModelIndex old = model.index(0, 0, model.index(0, 0));
    QCOMPARE(old.data().toString(), QStringLiteral("127.0.0.1:7001"));
    QCOMPARE(old.siblingAtColumn(ClusterNodesModel::HealthColumn).data().toString(),
             QStringLiteral("failed"));
    QVERIFY(old.data(Qt::ForegroundRole).isValid());
}

void TestClusterNodesModel::slotRanges()
{
    QCOMPARE(slotRangesText({{0, 5460}, {10923, 10923}}), QStringLiteral("0-5460, 10923"));
    QCOMPARE(slotRangesText({{0, 1}, {3, 4}, {6, 7}, {9, 10}}), QStringLiteral("0-1, 3-4, 6-7, …"));
    QCOMPARE(slotRangesText({}), QString());
}

QTEST_GUILESS_MAIN(TestClusterNodesModel)
#include "tst_clusternodesmodel.moc"
