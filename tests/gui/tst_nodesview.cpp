// The nodes view, offscreen, driven as a user would: the nodes shown as masters with their
// replicas, a node clicked to list its streams, a stream double-clicked for its inspector,
// Refresh clicked; a new slot map (a failover) keeps the selected node selected; a map with
// unserved slots says so. Last, Weir's main window on a real local cluster (3 masters, 3
// replicas): its Nodes tab, every node's version asked of the node itself, the streams
// counted where they live, and a stream opened from there.
#include "guitestsupport.h"

#include "../models/clusternodesupport.h"
#include "clusternodesmodel.h"
#include "credentialstore.h"
#include "keyslot.h"
#include "localrediscluster.h"
#include "localserverbuild.h"
#include "mainwindow.h"
#include "nodesview.h"
#include "serverversion.h"
#include "streaminspector.h"

#include <QListView>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTreeView>
#include <QtTest>

namespace {

using namespace clusternodes;

QStringList listed(const QListView *list)
{
    QStringList names;
    for (int r = 0; r < list->model()->rowCount(); ++r)
        names << list->model()->index(r, 0).data().toString();
    return names;
}

void clickRow(QTreeView *tree, const QModelIndex &index)
{
    const QRect rect = tree->visualRect(index);
    QVERIFY(rect.isValid());
    QTest::mouseClick(tree->viewport(), Qt::LeftButton, {}, rect.center());
}

// A main window shown at 1300 × 800, with settings and a keychain service of its own.
struct ClusterWindow
{
    ClusterWindow()
    {
        window.resize(1300, 800);
        window.show();
    }
    QTemporaryDir dir;
    QSettings settings{dir.filePath(QStringLiteral("weir.ini")), QSettings::IniFormat};
    CredentialStore credentials{QStringLiteral("weir-test-nodes")};
    MainWindow window{&settings, &credentials};
};

} // namespace

class TestNodesView : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void nodeStreamsFollowTheSelection();
    void failoverKeepsTheSelection();
    void unservedSlotsAreSaid();
    void mainWindowShowsTheClusterNodes();
    void mixedVersionsAreShownPerNode();
};

void TestNodesView::nodeStreamsFollowTheSelection()
{
    NodesView view;
    view.resize(1000, 500);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    view.model()->setTopology(threeShards());
    QList<QByteArray> streams;
    for (int i = 0; i < 30; ++i)
        streams.append("orders:" + QByteArray::number(i));
    view.model()->setStreams(streams);
    QVERIFY2(view.summaryText().contains(QStringLiteral("3 masters · 3 replicas · all")),
             qPrintable(view.summaryText()));
    QVERIFY(view.summaryText().contains(QLatin1String("30 streams")));

    QTreeView *tree = view.tree();
    // Shown whole: every replica row is visible under its master.
    QVERIFY(tree->isExpanded(tree->model()->index(1, 0)));
    const QModelIndex second = tree->model()->index(1, 0);
    clickRow(tree, second);
    QList<QByteArray> expected;
    for (const QByteArray &s : std::as_const(streams)) {
        if (keySlot(s) >= 5461 && keySlot(s) <= 10922)
            expected.append(s);
    }
    std::sort(expected.begin(), expected.end());
    QStringList expectedNames;
    for (const QByteArray &s : std::as_const(expected))
        expectedNames << QString::fromUtf8(s);
    QVERIFY(!expectedNames.isEmpty());
    QCOMPARE(listed(view.streamList()), expectedNames);
    // The replica of that master lists the same streams.
    clickRow(tree, tree->model()->index(0, 0, second));
    QCOMPARE(listed(view.streamList()), expectedNames);

    QSignalSpy activated(&view, &NodesView::streamActivated);
    QListView *list = view.streamList();
    const QRect first = list->visualRect(list->model()->index(0, 0));
    // A double click, as the window system delivers it: a click, then the second press.
    QTest::mouseClick(list->viewport(), Qt::LeftButton, {}, first.center());
    QCOMPARE(activated.count(), 0);
    QTest::mouseDClick(list->viewport(), Qt::LeftButton, {}, first.center());
    QCOMPARE(activated.count(), 1);
    QCOMPARE(activated.at(0).at(0).toByteArray(), expected.first());

    QSignalSpy refresh(&view, &NodesView::refreshRequested);
    QTest::mouseClick(gui::child<QPushButton>(&view, "nodesRefresh"), Qt::LeftButton);
    QCOMPARE(refresh.count(), 1);
}

void TestNodesView::failoverKeepsTheSelection()
{
    NodesView view;
    view.resize(1000, 500);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    view.model()->setTopology(threeShards());
    view.model()->setStreams({"a", "b", "c", "orders", "tasks", "x", "y", "z"});
    QTreeView *tree = view.tree();
    clickRow(tree, tree->model()->index(2, 0)); // 7003
    const QStringList before = listed(view.streamList());

    // 7003 fails; 7004 takes its slots. The selection stays on 7003, now a failed replica.
    ClusterNode failed = node("c", 7003, Replica, {}, "d");
    failed.health = ClusterNode::Health::Failed;
    view.model()->setTopology(
        topology({node("a", 7001, Master, {{0, 5460}}), node("b", 7002, Master, {{5461, 10922}}),
                  node("d", 7004, Master, {{10923, 16383}}), failed,
                  node("e", 7005, Replica, {}, "a"), node("f", 7006, Replica, {}, "b")}));
    const QModelIndex current = tree->currentIndex();
    QCOMPARE(current.data(ClusterNodesModel::AddressRole).toString(),
             QStringLiteral("127.0.0.1:7003"));
    QCOMPARE(current.parent().data(ClusterNodesModel::AddressRole).toString(),
             QStringLiteral("127.0.0.1:7004"));
    QCOMPARE(listed(view.streamList()), before);
    QVERIFY2(view.summaryText().startsWith(
                 QStringLiteral("3 masters · 2 replicas · 1 node failed · all")),
             qPrintable(view.summaryText()));
}

void TestNodesView::unservedSlotsAreSaid()
{
    NodesView view;
    QVERIFY(view.summaryText().contains(QLatin1String("Reading")));
    view.model()->setTopology(
        topology({node("a", 7001, Master, {{0, 5460}}), node("b", 7002, Master, {{5461, 10922}})}));
    const QString served = QStringLiteral("%1 of %2 slots served")
                               .arg(QLocale().toString(10923), QLocale().toString(16384));
    QVERIFY2(view.summaryText().contains(served), qPrintable(view.summaryText()));
    QVERIFY(view.summaryText().contains(QStringLiteral("2 masters · 0 replicas")));
}

void TestNodesView::mainWindowShowsTheClusterNodes()
{
    LocalRedisCluster cluster;
    QString error;
    QVERIFY2(cluster.start(&error), qPrintable(error));
    // Streams on every master: names picked by the master serving their slot.
    const QList<int> masters = cluster.masters(&error);
    QCOMPARE(masters.size(), 3);
    QList<RedisCommand> adds;
    QStringList created;
    for (int i = 0; i < 24; ++i) {
        const QByteArray name = "queue:" + QByteArray::number(i);
        adds.append(RedisCommand{{"XADD", name, "*", "n", "1"}, name});
        created << QString::fromUtf8(name);
    }
    gui::SetupClient client(cluster.options(0));
    QVERIFY2(client.isConnected(), qPrintable(client.stateMessage()));
    QVERIFY(client.run(adds).has_value());

    ClusterWindow shown;
    MainWindow &window = shown.window;
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    window.openEphemeral(cluster.options(0));

    // The Nodes tab comes with the first slot map, after the dashboard.
    NodesView *nodes = nullptr;
    QTRY_VERIFY_WITH_TIMEOUT((nodes = window.findChild<NodesView *>(QStringLiteral("nodes"))),
                             15000);
    QTabWidget *tabs = window.tabs();
    QCOMPARE(tabs->widget(tabs->indexOf(nodes) - 1)->objectName(), QStringLiteral("dashboard"));
    ClusterNodesModel *model = nodes->model();
    QCOMPARE(model->rowCount(), 3);
    int replicas = 0;
    for (int row = 0; row < 3; ++row)
        replicas += model->rowCount(model->index(row, 0));
    QCOMPARE(replicas, 3);
    // Every node's version, as the node itself says it (INFO), and its memory.
    const auto version = [model](const QModelIndex &row) {
        return row.siblingAtColumn(ClusterNodesModel::VersionColumn).data().toString();
    };
    for (int row = 0; row < 3; ++row) {
        const QModelIndex master = model->index(row, 0);
        QTRY_COMPARE_WITH_TIMEOUT(version(master), client.serverInfo().displayName(), 10000);
        QTRY_COMPARE_WITH_TIMEOUT(version(model->index(0, 0, master)),
                                  client.serverInfo().displayName(), 10000);
        QVERIFY(master.siblingAtColumn(ClusterNodesModel::MemoryColumn).data().toString()
                != QStringLiteral("…"));
    }
    // Every stream counted on the master serving it, once the overview has listed them.
    const auto counted = [model] {
        int total = 0;
        for (int row = 0; row < model->rowCount(); ++row)
            total += model->index(row, ClusterNodesModel::StreamsColumn).data().toInt();
        return total;
    };
    QTRY_COMPARE_WITH_TIMEOUT(counted(), int(created.size()), 10000);
    QVERIFY2(nodes->summaryText().contains(QStringLiteral("3 masters · 3 replicas · all")),
             qPrintable(nodes->summaryText()));

    // A master clicked: its streams, exactly those whose slot it serves.
    tabs->setCurrentWidget(nodes);
    QTreeView *tree = nodes->tree();
    const QModelIndex second = model->index(1, 0);
    clickRow(tree, second);
    const ClusterNode *owner = nullptr;
    QStringList expected;
    for (const QString &name : std::as_const(created)) {
        owner = model->topology().masterForKey(name.toUtf8());
        if (owner && owner->address() == second.data(ClusterNodesModel::AddressRole).toString())
            expected << name;
    }
    std::sort(expected.begin(), expected.end());
    QVERIFY(!expected.isEmpty());
    QCOMPARE(listed(nodes->streamList()), expected);

    // One double-clicked: its inspector opens.
    QListView *list = nodes->streamList();
    const QRect first = list->visualRect(list->model()->index(0, 0));
    QTest::mouseClick(list->viewport(), Qt::LeftButton, {}, first.center());
    QTest::mouseDClick(list->viewport(), Qt::LeftButton, {}, first.center());
    auto *inspector = qobject_cast<StreamInspector *>(tabs->currentWidget());
    QVERIFY(inspector);
    QCOMPARE(inspector->key(), expected.first().toUtf8());
}

QTEST_MAIN(TestNodesView)
// A rolling upgrade: one replica runs the newer server build in WEIR_TEST_OTHER_SERVER_DIR
// (scripts/test.sh sets it where ../shared/servers has one: Redis 6.2 to 7.0, 7.0 to 7.2,
// 7.2 to Valkey 8). Each node's row shows the product and version that node says of itself.
void TestNodesView::mixedVersionsAreShownPerNode()
{
    const QString otherDir = qEnvironmentVariable("WEIR_TEST_OTHER_SERVER_DIR");
    if (otherDir.isEmpty())
        QSKIP("needs a newer server build to upgrade to, in WEIR_TEST_OTHER_SERVER_DIR");
    const LocalServerBuild other = LocalServerBuild::find(otherDir);
    QVERIFY2(other.isValid(), qPrintable(other.error));
    QVERIFY2(other.server.displayName() != testserver::info().displayName(),
             "the second build is the same as the first");
    LocalRedisCluster::Config config;
    constexpr int Upgraded = 5; // the last node: a replica
    config.serverDirs.insert(Upgraded, otherDir);
    LocalRedisCluster cluster(config);
    QString error;
    QVERIFY2(cluster.start(&error), qPrintable(error));
    QVERIFY(cluster.masterOf(Upgraded, &error) >= 0);
    const QString upgraded = QStringLiteral("127.0.0.1:%1").arg(cluster.port(Upgraded));
    qInfo().noquote() << "node" << upgraded << "runs" << other.describe();

    ClusterWindow shown;
    MainWindow &window = shown.window;
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    window.openEphemeral(cluster.options(0));
    NodesView *nodes = nullptr;
    QTRY_VERIFY_WITH_TIMEOUT((nodes = window.findChild<NodesView *>(QStringLiteral("nodes"))),
                             15000);
    ClusterNodesModel *model = nodes->model();
    QTRY_COMPARE_WITH_TIMEOUT(model->rowCount(), 3, 15000);
    int seen = 0;
    for (int row = 0; row < 3; ++row) {
        const QModelIndex master = model->index(row, 0);
        QList<QModelIndex> rows{master};
        for (int r = 0; r < model->rowCount(master); ++r)
            rows << model->index(r, 0, master);
        for (const QModelIndex &node : std::as_const(rows)) {
            const QString address = node.data(ClusterNodesModel::AddressRole).toString();
            const QString expected =
                address == upgraded ? other.server.displayName() : testserver::info().displayName();
            QTRY_COMPARE_WITH_TIMEOUT(
                node.siblingAtColumn(ClusterNodesModel::VersionColumn).data().toString(), expected,
                10000);
            ++seen;
        }
    }
    QCOMPARE(seen, 6);
}

#include "tst_nodesview.moc"
