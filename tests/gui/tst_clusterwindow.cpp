// The main window on a real Redis Cluster (LocalRedisCluster: 3 masters, 3 replicas), used
// as an operator uses it: the overview lists streams from every shard, inspectors and
// actions work on streams of different masters, moving dead letters and replaying them
// say which safety level applies, the dashboard samples every master and keeps doing so
// through a slot migration, and a killed master is followed with the views intact.
// The functions run in order and share the cluster and the window; the failover comes last.

#include "guitestsupport.h"

#include "bulkactiondialog.h"
#include "claimdialog.h"
#include "clustertopology.h"
#include "connectionsession.h"
#include "credentialstore.h"
#include "dashboardmodel.h"
#include "deadlettermodel.h"
#include "deadletterview.h"
#include "entrylistmodel.h"
#include "keyslot.h"
#include "localrediscluster.h"
#include "mainwindow.h"
#include "monitorfigures.h"
#include "movedeadlettersdialog.h"
#include "publishdialog.h"
#include "replaydialog.h"
#include "streaminspector.h"
#include "streamlistmodel.h"
#include "streammonitor.h"
#include "streamspane.h"
#include "trimdialog.h"

#include <QComboBox>
#include <QElapsedTimer>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QStatusBar>
#include <QTabBar>
#include <QTabWidget>
#include <QTableView>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QtTest>

#include <memory>

class TestClusterWindow : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void overviewListsEveryShard();
    void inspectorsOnTwoMasters();
    void actionsLandOnTheirNodes();
    void moveAndReplayDeadLetters_data();
    void moveAndReplayDeadLetters();
    void dashboardFollowsSlotMigration();
    void failoverKeepsTheViews();

private:
    // The master serving `key` as the cluster says now; -1 when no node answers.
    int nodeOf(const QByteArray &key) const;
    // A key (with `prefix`) on master `node`.
    QByteArray keyOn(int node, const QByteArray &prefix) const;
    // Asked of the node that serves `key`, bypassing the window's connections.
    RedisValue raw(const QByteArray &key, QList<QByteArray> argv) const;
    qint64 pendingOn(const QByteArray &key, const QByteArray &group) const;
    QStringList listed() const;
    // Opens (or shows) the inspector of `key`, as the overview's activation does, on the
    // Groups page's pending list when `pending`.
    StreamInspector *inspect(const QByteArray &key, bool pending = false);
    // Clicks the rows of `view`, the first plainly, the others with Ctrl.
    static void clickRows(QTableView *view, const QList<int> &rows);
    double figure(const QByteArray &key, Metric metric) const;
    // Clicks the overview's tab.
    void showOverview();

    LocalRedisCluster m_cluster;
    QList<int> m_masters;
    std::unique_ptr<gui::SetupClient> m_client;
    QList<QByteArray> m_shards; // one stream per master, in m_masters' order
    QTemporaryDir m_dir;
    std::unique_ptr<QSettings> m_settings;
    std::unique_ptr<CredentialStore> m_credentials;
    std::unique_ptr<MainWindow> m_window;
};

void TestClusterWindow::initTestCase()
{
    QString error;
    QVERIFY2(m_cluster.start(&error), qPrintable(error));
    m_masters = m_cluster.masters(&error);
    QCOMPARE(m_masters.size(), 3);
    m_client = std::make_unique<gui::SetupClient>(m_cluster.options(m_masters.first()));
    QVERIFY2(m_client->isConnected(), qPrintable(m_client->stateMessage()));

    // Per master a stream of three entries, all read (so pending) by w1 of workers; and the
    // streams whose poison messages are moved to dead letters.
    QList<RedisCommand> setup;
    const auto fill = [&setup](const QByteArray &key, const QByteArray &group, int n) {
        for (int i = 1; i <= n; ++i)
            setup.append(RedisCommand(
                {"XADD", key, QByteArray::number(i) + "-0", "n", QByteArray::number(i)}, key));
        setup.append(RedisCommand({"XGROUP", "CREATE", key, group, "0"}, key));
        setup.append(RedisCommand({"XREADGROUP", "GROUP", group, "w1", "STREAMS", key, ">"}, key));
    };
    for (int node : std::as_const(m_masters)) {
        m_shards.append(keyOn(node, "shard"));
        fill(m_shards.last(), "workers", 3);
    }
    fill("orders", "billing", 4);
    fill("{orders}", "billing", 4);
    const auto replies = m_client->run(setup);
    QVERIFY2(replies, "setting up the test data failed");
    for (const RedisValue &reply : *replies)
        QVERIFY2(!reply.isError(), reply.bytes().constData());
    QCOMPARE(raw(m_shards.at(1), {"XLEN", m_shards.at(1)}), RedisValue::integer(3));

    QVERIFY(m_dir.isValid());
    m_settings = std::make_unique<QSettings>(m_dir.filePath(QStringLiteral("weir.ini")),
                                             QSettings::IniFormat);
    m_credentials = std::make_unique<CredentialStore>(QStringLiteral("weir-test-gui"));
    m_window = std::make_unique<MainWindow>(m_settings.get(), m_credentials.get());
    m_window->resize(1400, 800);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    m_window->openEphemeral(m_cluster.options(m_masters.first()));
}

void TestClusterWindow::cleanupTestCase()
{
    m_window.reset();
    m_client.reset();
    m_cluster.stop();
}

int TestClusterWindow::nodeOf(const QByteArray &key) const
{
    for (int node = 0; node < m_cluster.nodeCount(); ++node) {
        if (!m_cluster.isRunning(node))
            continue;
        const auto topology = m_cluster.slotMap(node);
        if (topology && topology->masterForKey(key))
            return m_cluster.nodeWithPort(topology->masterForKey(key)->port);
    }
    return -1;
}

QByteArray TestClusterWindow::keyOn(int node, const QByteArray &prefix) const
{
    for (int i = 0; i < 1000; ++i) {
        const QByteArray key = prefix + ':' + QByteArray::number(i);
        if (nodeOf(key) == node)
            return key;
    }
    return {};
}

RedisValue TestClusterWindow::raw(const QByteArray &key, QList<QByteArray> argv) const
{
    return m_cluster.command(nodeOf(key), argv);
}

qint64 TestClusterWindow::pendingOn(const QByteArray &key, const QByteArray &group) const
{
    const RedisValue summary = raw(key, {"XPENDING", key, group});
    return summary.isArray() ? summary.at(0).toInteger() : -1;
}

QStringList TestClusterWindow::listed() const
{
    QStringList names;
    const QAbstractItemModel *shown = m_window->streamsPane()->model();
    for (int row = 0; shown && row < shown->rowCount(); ++row)
        names << shown->index(row, StreamListModel::Name).data().toString();
    names.sort();
    return names;
}

StreamInspector *TestClusterWindow::inspect(const QByteArray &key, bool pending)
{
    Q_EMIT m_window->streamsPane()->streamActivated(key);
    auto *inspector = qobject_cast<StreamInspector *>(m_window->tabs()->currentWidget());
    if (!inspector || inspector->key() != key)
        return nullptr;
    if (pending) {
        QTabBar *pages = inspector->pages()->tabBar();
        QTest::mouseClick(pages, Qt::LeftButton, {}, pages->tabRect(1).center());
        auto *details = gui::child<QTabWidget>(inspector, "groupDetails");
        QTest::mouseClick(details->tabBar(), Qt::LeftButton, {},
                          details->tabBar()->tabRect(1).center());
    }
    return inspector;
}

void TestClusterWindow::clickRows(QTableView *view, const QList<int> &rows)
{
    for (int i = 0; i < rows.size(); ++i) {
        const QPoint at = view->visualRect(view->model()->index(rows.at(i), 0)).center();
        QTest::mouseClick(view->viewport(), Qt::LeftButton,
                          i == 0 ? Qt::KeyboardModifiers() : Qt::ControlModifier, at);
    }
}

void TestClusterWindow::showOverview()
{
    QTabBar *tabs = m_window->tabs()->tabBar();
    QTest::mouseClick(tabs, Qt::LeftButton, {}, tabs->tabRect(0).center());
    QCOMPARE(m_window->tabs()->currentIndex(), 0);
}

double TestClusterWindow::figure(const QByteArray &key, Metric metric) const
{
    const MonitorFigures &f = m_window->currentSession()->monitor()->lastFigures();
    return f.ok ? f.values.value(SeriesKey{key, {}, {}, metric}, -1.0) : -1.0;
}

void TestClusterWindow::overviewListsEveryShard()
{
    // Each stream on its own master.
    QSet<int> nodes;
    for (const QByteArray &key : std::as_const(m_shards))
        nodes.insert(nodeOf(key));
    QCOMPARE(nodes, QSet<int>(m_masters.cbegin(), m_masters.cend()));
    QCOMPARE(nodes.size(), 3);
    QVERIFY(keySlot("orders") != keySlot("orders:dlq"));
    QCOMPARE(keySlot("{orders}"), keySlot("{orders}:dlq"));

    QStringList expected = {QStringLiteral("orders"), QStringLiteral("{orders}")};
    for (const QByteArray &key : std::as_const(m_shards))
        expected << QString::fromUtf8(key);
    expected.sort();
    QTRY_COMPARE_WITH_TIMEOUT(listed(), expected, 15000);
    QTRY_VERIFY_WITH_TIMEOUT(!m_window->streamsPane()->model()->isScanning(), 15000);
    QCOMPARE(listed(), expected);
    auto *server = m_window->findChild<QLabel *>(QStringLiteral("serverInfo"));
    QVERIFY(server);
    QVERIFY2(server->text().contains(QLatin1String("cluster")), qPrintable(server->text()));
}

void TestClusterWindow::inspectorsOnTwoMasters()
{
    for (const QByteArray &key : {m_shards.at(1), m_shards.at(2)}) {
        StreamInspector *inspector = inspect(key);
        QVERIFY2(inspector, key.constData());
        QTRY_COMPARE_WITH_TIMEOUT(inspector->entries()->rowCount(), 3, 10000);
        QTabBar *pages = inspector->pages()->tabBar();
        QTest::mouseClick(pages, Qt::LeftButton, {}, pages->tabRect(1).center());
        QTRY_COMPARE_WITH_TIMEOUT(
            gui::child<QTableView>(inspector, "groupsView")->model()->rowCount(), 1, 10000);
        auto *details = gui::child<QTabWidget>(inspector, "groupDetails");
        QTest::mouseClick(details->tabBar(), Qt::LeftButton, {},
                          details->tabBar()->tabRect(0).center());
        const QAbstractItemModel *consumers =
            gui::child<QTableView>(inspector, "consumersView")->model();
        QTRY_COMPARE_WITH_TIMEOUT(consumers->rowCount(), 1, 10000);
        QCOMPARE(consumers->index(0, 0).data().toString(), QStringLiteral("w1"));
        QTest::mouseClick(details->tabBar(), Qt::LeftButton, {},
                          details->tabBar()->tabRect(1).center());
        QTRY_COMPARE_WITH_TIMEOUT(
            gui::child<QTableView>(inspector, "pendingView")->model()->rowCount(), 3, 10000);
    }
    // The overview, the dashboard, the nodes, two inspectors.
    QCOMPARE(m_window->tabs()->count(), 5);
    QCOMPARE(m_window->tabs()->widget(2)->objectName(), QStringLiteral("nodes"));
}

// Publish, ack, claim, trim and delete on the streams of two masters; each is checked on
// the node that holds the stream.
void TestClusterWindow::actionsLandOnTheirNodes()
{
    for (const QByteArray &key : {m_shards.at(1), m_shards.at(2)}) {
        StreamInspector *inspector = inspect(key);
        QVERIFY2(inspector, key.constData());
        QTabBar *pages = inspector->pages()->tabBar();
        QTest::mouseClick(pages, Qt::LeftButton, {}, pages->tabRect(0).center());
        QTRY_COMPARE_WITH_TIMEOUT(inspector->entries()->rowCount(), 3, 10000);

        // Publish one entry.
        QTest::mouseClick(gui::child<QPushButton>(inspector, "publish"), Qt::LeftButton);
        auto *publish = inspector->findChild<PublishDialog *>(QStringLiteral("publishDialog"));
        QVERIFY(publish);
        QVERIFY(QTest::qWaitForWindowExposed(publish));
        auto *fields = gui::child<QTableWidget>(publish, "publishFields");
        gui::typeInCell(fields, 0, 0, QStringLiteral("n"));
        gui::typeInCell(fields, 0, 1, QStringLiteral("published"));
        QTest::mouseClick(gui::child<QPushButton>(publish, "publishOk"), Qt::LeftButton);
        QTRY_VERIFY2_WITH_TIMEOUT(gui::shownText(gui::child<QLabel>(publish, "publishResult"))
                                      .startsWith(QLatin1String("Published ")),
                                  qPrintable(gui::child<QLabel>(publish, "publishResult")->text()),
                                  10000);
        publish->close();
        QCOMPARE(raw(key, {"XLEN", key}), RedisValue::integer(4));
        const RedisValue last = raw(key, {"XREVRANGE", key, "+", "-", "COUNT", "1"});
        QCOMPARE(last.at(0).at(1).at(1).bytes(), QByteArray("published"));

        // Ack 1-0, claim 2-0 for a new consumer.
        inspect(key, true);
        auto *pending = gui::child<QTableView>(inspector, "pendingView");
        QTRY_COMPARE_WITH_TIMEOUT(pending->model()->rowCount(), 3, 10000);
        clickRows(pending, {0});
        QTest::mouseClick(gui::child<QPushButton>(inspector, "ackSelected"), Qt::LeftButton);
        auto *ack = inspector->findChild<BulkActionDialog *>(QStringLiteral("ackDialog"));
        QVERIFY(ack && ack->isVisible());
        QCOMPARE(gui::child<QPlainTextEdit>(ack, "commands")->toPlainText(),
                 QStringLiteral("XACK %1 workers 1-0").arg(QString::fromUtf8(key)));
        QTest::mouseClick(gui::child<QPushButton>(ack, "go"), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(
            gui::shownText(gui::child<QLabel>(ack, "report")).contains(QLatin1String("Done: 1 id")),
            10000);
        QTest::mouseClick(gui::child<QPushButton>(ack, "close"), Qt::LeftButton);
        QCOMPARE(pendingOn(key, "workers"), qint64(2));
        QTRY_COMPARE_WITH_TIMEOUT(pending->model()->rowCount(), 2, 10000);

        clickRows(pending, {0});
        QTest::mouseClick(gui::child<QPushButton>(inspector, "claimSelected"), Qt::LeftButton);
        auto *claim = inspector->findChild<ClaimDialog *>(QStringLiteral("claimDialog"));
        QVERIFY(claim && claim->isVisible());
        QTest::keyClicks(gui::child<QComboBox>(claim, "claimConsumer")->lineEdit(),
                         QStringLiteral("rescuer"));
        gui::retype(gui::child<QSpinBox>(claim, "claimMinIdle"), QStringLiteral("0"));
        QTest::mouseClick(gui::child<QPushButton>(claim, "claimOk"), Qt::LeftButton);
        auto *run = inspector->findChild<BulkActionDialog *>(QStringLiteral("claimRunDialog"));
        QVERIFY(run && run->isVisible());
        QTest::mouseClick(gui::child<QPushButton>(run, "go"), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(
            gui::shownText(gui::child<QLabel>(run, "report")).contains(QLatin1String("Done: 1 id")),
            10000);
        QTest::mouseClick(gui::child<QPushButton>(run, "close"), Qt::LeftButton);
        const RedisValue owned = raw(key, {"XPENDING", key, "workers", "-", "+", "10", "rescuer"});
        QCOMPARE(owned.size(), 1);
        QCOMPARE(owned.at(0).at(0).bytes(), QByteArray("2-0"));

        // Delete the newest entry (the one published), then trim to two.
        QTest::mouseClick(pages, Qt::LeftButton, {}, pages->tabRect(0).center());
        QTRY_COMPARE_WITH_TIMEOUT(inspector->entries()->rowCount(), 4, 10000);
        clickRows(inspector->entriesView(), {0});
        QTest::mouseClick(gui::child<QPushButton>(inspector, "deleteEntries"), Qt::LeftButton);
        auto *del = inspector->findChild<BulkActionDialog *>(QStringLiteral("deleteDialog"));
        QVERIFY(del);
        QTRY_VERIFY(gui::child<QPushButton>(del, "go")->isVisible());
        QCOMPARE(gui::child<QPlainTextEdit>(del, "commands")->toPlainText(),
                 QStringLiteral("XDEL %1 %2")
                     .arg(QString::fromUtf8(key), QString::fromUtf8(last.at(0).at(0).bytes())));
        QTest::mouseClick(gui::child<QPushButton>(del, "go"), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(
            gui::shownText(gui::child<QLabel>(del, "report")).contains(QLatin1String("Done: 1 id")),
            10000);
        QTest::mouseClick(gui::child<QPushButton>(del, "close"), Qt::LeftButton);
        QCOMPARE(raw(key, {"XLEN", key}), RedisValue::integer(3));
        QTRY_COMPARE_WITH_TIMEOUT(inspector->entries()->rowCount(), 3, 10000);

        QTest::mouseClick(gui::child<QPushButton>(inspector, "trim"), Qt::LeftButton);
        auto *trim = inspector->findChild<TrimDialog *>(QStringLiteral("trimDialog"));
        QVERIFY(trim);
        QVERIFY(QTest::qWaitForWindowExposed(trim));
        QTest::keyClicks(gui::child<QLineEdit>(trim, "trimThreshold"), QStringLiteral("2"));
        auto *ok = gui::child<QPushButton>(trim, "trimOk");
        QTRY_VERIFY_WITH_TIMEOUT(ok->isEnabled(), 10000);
        QTest::mouseClick(ok, Qt::LeftButton);
        auto *trimRun = trim->findChild<BulkActionDialog *>(QStringLiteral("trimRun"));
        QVERIFY(trimRun);
        QTRY_VERIFY(trimRun->isVisible());
        QCOMPARE(gui::child<QPlainTextEdit>(trimRun, "commands")->toPlainText(),
                 QStringLiteral("XTRIM %1 MAXLEN = 2").arg(QString::fromUtf8(key)));
        QTest::mouseClick(gui::child<QPushButton>(trimRun, "go"), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(gui::shownText(gui::child<QLabel>(trimRun, "report"))
                                     .contains(QLatin1String("Removed 1 entry in 1 call.")),
                                 10000);
        trim->close();
        QCOMPARE(raw(key, {"XLEN", key}), RedisValue::integer(2));
        QCOMPARE(raw(key, {"XRANGE", key, "-", "+"}).at(0).at(0).bytes(), QByteArray("2-0"));
    }
}

void TestClusterWindow::moveAndReplayDeadLetters_data()
{
    QTest::addColumn<QByteArray>("stream");
    QTest::addColumn<QString>("path"); // words the dialogs use for the safety level
    QTest::newRow("different slots")
        << QByteArray("orders") << QStringLiteral("different cluster slots");
    QTest::newRow("same slot") << QByteArray("{orders}") << QStringLiteral("atomically");
}

// The four pending entries of the stream are moved to `stream`:dlq, then replayed back.
void TestClusterWindow::moveAndReplayDeadLetters()
{
    QFETCH(QByteArray, stream);
    QFETCH(QString, path);
    const QByteArray dlq = stream + ":dlq";
    const RedisValue originals = raw(stream, {"XRANGE", stream, "-", "+"});
    QCOMPARE(originals.size(), 4);

    StreamInspector *inspector = inspect(stream, true);
    QVERIFY(inspector);
    auto *pending = gui::child<QTableView>(inspector, "pendingView");
    QTRY_COMPARE_WITH_TIMEOUT(pending->model()->rowCount(), 4, 10000);
    clickRows(pending, {0, 1, 2, 3});
    QTest::mouseClick(gui::child<QPushButton>(inspector, "moveDeadLetters"), Qt::LeftButton);
    auto *options =
        inspector->findChild<MoveDeadLettersDialog *>(QStringLiteral("moveDeadLettersDialog"));
    QVERIFY(options && options->isVisible());
    QCOMPARE(gui::child<QLineEdit>(options, "moveDeadLetterStream")->text(),
             QString::fromUtf8(dlq));
    const QString movePath = gui::shownText(gui::child<QLabel>(options, "movePath"));
    QVERIFY2(movePath.contains(path), qPrintable(movePath));
    gui::retype(gui::child<QLineEdit>(options, "moveReason"), QStringLiteral("poison"));
    QTest::mouseClick(gui::child<QPushButton>(options, "moveOk"), Qt::LeftButton);
    auto *run = inspector->findChild<BulkActionDialog *>(QStringLiteral("moveDeadLettersRun"));
    QVERIFY(run);
    QTRY_VERIFY(gui::child<QPushButton>(run, "go")->isVisible());
    QTest::mouseClick(gui::child<QPushButton>(run, "go"), Qt::LeftButton);
    auto *report = gui::child<QLabel>(run, "report");
    QTRY_VERIFY2_WITH_TIMEOUT(gui::shownText(report).contains(QLatin1String("Moved to ")
                                                              + QString::fromUtf8(dlq)
                                                              + QLatin1String(": 4 entries")),
                              qPrintable(gui::shownText(report)), 20000);
    QTest::mouseClick(gui::child<QPushButton>(run, "close"), Qt::LeftButton);

    // Nothing lost: four dead letters, each with its original's fields; none pending.
    QCOMPARE(pendingOn(stream, "billing"), qint64(0));
    const RedisValue letters = raw(dlq, {"XRANGE", dlq, "-", "+"});
    QCOMPARE(letters.size(), 4);
    QCOMPARE(raw(stream, {"XLEN", stream}), RedisValue::integer(4));
    for (int i = 0; i < 4; ++i) {
        const QList<RedisValue> fields = letters.at(i).at(1).elements();
        QCOMPARE(fields.at(fields.size() - 1).bytes(), QByteArray::number(i + 1));
    }

    // Replay them from the dead-letter stream's own inspector, as found by a refresh.
    showOverview();
    gui::clickToolButton(m_window.get(), QStringLiteral("Refresh"));
    QTRY_VERIFY_WITH_TIMEOUT(listed().contains(QString::fromUtf8(dlq)), 15000);
    QTRY_VERIFY_WITH_TIMEOUT(m_window->streamsPane()->model()->deadLetterSourceOf(dlq) == stream,
                             15000);
    StreamInspector *letterInspector = inspect(dlq);
    QVERIFY(letterInspector);
    DeadLetterView *view = letterInspector->deadLetterView();
    QVERIFY(view);
    QTRY_COMPARE_WITH_TIMEOUT(view->model()->rowCount(), 4, 10000);
    QTest::mouseClick(gui::child<QPushButton>(view, "deadLetterReplay"), Qt::LeftButton);
    auto *replay = m_window->findChild<ReplayDialog *>(QStringLiteral("replayDialog"));
    QVERIFY(replay);
    QVERIFY(QTest::qWaitForWindowExposed(replay));
    auto *status = gui::child<QLabel>(replay, "replayStatus");
    QTRY_COMPARE_WITH_TIMEOUT(gui::shownText(status), QStringLiteral("4 dead letters read."),
                              10000);
    const QString replayPath = gui::shownText(gui::child<QLabel>(replay, "replayPath"));
    QVERIFY2(replayPath.contains(
                 path == QLatin1String("atomically") ? QStringLiteral("one Lua script") : path),
             qPrintable(replayPath));
    auto *review = gui::child<QPushButton>(replay, "replayReview");
    QVERIFY2(review->isEnabled(), qPrintable(gui::child<QLabel>(replay, "replayHint")->text()));
    QTest::mouseClick(review, Qt::LeftButton);
    auto *replayRun = replay->findChild<BulkActionDialog *>(QStringLiteral("replayRun"));
    QVERIFY(replayRun);
    QTest::mouseClick(gui::child<QPushButton>(replayRun, "go"), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(gui::shownText(gui::child<QLabel>(replayRun, "report"))
                                 .contains(QLatin1String("Done: 4 dead letters")),
                             20000);
    replay->close();
    // Back in the stream, after the originals, with their fields; the dead letters gone.
    QCOMPARE(raw(dlq, {"XLEN", dlq}), RedisValue::integer(0));
    const RedisValue after = raw(stream, {"XRANGE", stream, "-", "+"});
    QCOMPARE(after.size(), 8);
    for (int i = 0; i < 4; ++i)
        QCOMPARE(after.at(4 + i).at(1).at(1), originals.at(i).at(1).at(1));
}

// The dashboard has figures of every master's stream; the slot of one that is watched and
// inspected moves to another master (ASK while under way, MOVED after), and both keep up.
void TestClusterWindow::dashboardFollowsSlotMigration()
{
    StreamMonitor *monitor = m_window->currentSession()->monitor();
    QVERIFY(monitor);
    monitor->setInterval(300);
    QTRY_VERIFY_WITH_TIMEOUT(figure(m_shards.at(0), Metric::Length) == 3.0
                                 && figure(m_shards.at(1), Metric::Length) == 2.0
                                 && figure(m_shards.at(2), Metric::Length) == 2.0,
                             20000);

    const QByteArray key = m_shards.at(1);
    StreamInspector *inspector = inspect(key);
    QVERIFY(inspector);
    const int from = nodeOf(key), to = m_masters.at(2);
    const quint16 slot = keySlot(key);
    QString error;
    QVERIFY2(m_cluster.beginSlotMigration(slot, from, to, &error), qPrintable(error));
    QVERIFY2(m_cluster.migrateSlotKeys(slot, from, to, 100, &error) == 1, qPrintable(error));

    // ASK: the stream is on `to`, the map still says `from`.
    const auto asked = m_client->run({RedisCommand({"XADD", key, "*", "n", "ask"}, key)});
    QVERIFY(asked && asked->first().isString());
    QTRY_COMPARE_WITH_TIMEOUT(figure(key, Metric::Length), 3.0, 20000);
    inspector->refresh();
    QTRY_COMPARE_WITH_TIMEOUT(inspector->entries()->rowCount(), 3, 10000);

    // MOVED: the slot is `to`'s now.
    QSignalSpy sampled(monitor, &StreamMonitor::sampled);
    QVERIFY2(m_cluster.finishSlotMigration(slot, from, to, &error), qPrintable(error));
    const auto moved = m_client->run({RedisCommand({"XADD", key, "*", "n", "moved"}, key)});
    QVERIFY(moved && moved->first().isString());
    QCOMPARE(m_cluster.command(to, {"XLEN", key}), RedisValue::integer(4));
    QTRY_COMPARE_WITH_TIMEOUT(figure(key, Metric::Length), 4.0, 20000);
    const auto failed = [&sampled] {
        int n = 0;
        for (const QList<QVariant> &args : std::as_const(sampled))
            n += args.at(0).value<MonitorFigures>().ok ? 0 : 1;
        return n;
    };
    const int settled = int(sampled.size());
    QTRY_VERIFY_WITH_TIMEOUT(sampled.size() >= settled + 3, 20000);
    QCOMPARE(failed(), 0);
    QCOMPARE(figure(m_shards.at(0), Metric::Length), 3.0);
    qInfo("%d ticks from the end of the migration on, %d failed", int(sampled.size()), failed());

    // The dashboard's table follows: an entry acked on the new node leaves its pending count.
    auto *table = gui::child<QTableView>(m_window->tabs()->widget(1), "dashboardTable");
    const auto pendingShown = [table, &key] {
        const QAbstractItemModel *rows = table->model();
        for (int r = 0; r < rows->rowCount(); ++r) {
            const QModelIndex pending = rows->index(r, DashboardModel::Pending);
            if (pending.data(DashboardModel::StreamRole).toByteArray() == key
                && pending.data(DashboardModel::GroupRole).toByteArray() == "workers")
                return pending.data(DashboardModel::SortRole).toDouble();
        }
        return -1.0;
    };
    QTRY_COMPARE_WITH_TIMEOUT(pendingShown(), 2.0, 20000);
    QVERIFY(m_client->run({RedisCommand({"XACK", key, "workers", "2-0"}, key)}));
    QCOMPARE(pendingOn(key, "workers"), qint64(1));
    QTRY_COMPARE_WITH_TIMEOUT(pendingShown(), 1.0, 20000);

    // The inspector pages the entries from the new node.
    inspector->refresh();
    QTRY_COMPARE_WITH_TIMEOUT(inspector->entries()->rowCount(), 4, 10000);
    QCOMPARE(inspector->entries()->index(0, 0).data().toString(),
             QString::fromLatin1(moved->first().bytes()));
}

// The master of an inspected and watched stream is killed; once its replica took over,
// the status bar says so, and the overview, the inspector and the dashboard work again.
void TestClusterWindow::failoverKeepsTheViews()
{
    const QByteArray key = m_shards.at(2);
    const int victim = nodeOf(key);
    QVERIFY(victim >= 0 && victim != m_masters.first());
    StreamInspector *inspector = inspect(key);
    QVERIFY(inspector);
    QTRY_COMPARE_WITH_TIMEOUT(inspector->entries()->rowCount(), 2, 10000);
    // The replica has everything before its master dies.
    QCOMPARE(m_cluster.command(victim, {"WAIT", "1", "5000"}), RedisValue::integer(1));

    QElapsedTimer timer;
    timer.start();
    m_cluster.kill(victim);
    QTRY_VERIFY_WITH_TIMEOUT(nodeOf(key) >= 0 && nodeOf(key) != victim, 40000);
    const int heir = nodeOf(key);
    const qint64 failoverMs = timer.elapsed();
    qInfo("replica %d serves the stream %lld ms after the kill", heir, failoverMs);
    const QString said = QStringLiteral("Failover: cluster master 127.0.0.1:%1 replaced by "
                                        "127.0.0.1:%2")
                             .arg(m_cluster.port(victim))
                             .arg(m_cluster.port(heir));
    QTRY_COMPARE_WITH_TIMEOUT(m_window->statusBar()->currentMessage(), said, 30000);
    qInfo("the status bar says so %lld ms after the kill", timer.elapsed());

    // Once written, never again (a QTRY would evaluate it more than once).
    QVERIFY(QTest::qWaitFor(
        [&] {
        const auto added = m_client->run({RedisCommand({"XADD", key, "*", "n", "after"}, key)});
        return added && added->first().isString();
        },
        20000));
    const RedisValue length = m_cluster.command(heir, {"XLEN", key});
    QVERIFY2(length == RedisValue::integer(3), qPrintable(length.toDisplayString()));

    showOverview();
    gui::clickToolButton(m_window.get(), QStringLiteral("Refresh"));
    QTRY_VERIFY_WITH_TIMEOUT(!m_window->streamsPane()->model()->isScanning(), 20000);
    QStringList expected = {QStringLiteral("orders"), QStringLiteral("orders:dlq"),
                            QStringLiteral("{orders}"), QStringLiteral("{orders}:dlq")};
    for (const QByteArray &shard : std::as_const(m_shards))
        expected << QString::fromUtf8(shard);
    expected.sort();
    QTRY_COMPARE_WITH_TIMEOUT(listed(), expected, 20000);

    inspector->refresh();
    QTRY_COMPARE_WITH_TIMEOUT(inspector->entries()->rowCount(), 3, 20000);
    QTRY_COMPARE_WITH_TIMEOUT(figure(key, Metric::Length), 3.0, 30000);
    const qint64 backMs = timer.elapsed();
    qInfo("views working again %lld ms after the kill", backMs);
    // Back on the new master within the cluster's own failover time and 5 s.
    QVERIFY2(backMs - failoverMs <= 5000,
             qPrintable(QStringLiteral("%1 ms after the failover").arg(backMs - failoverMs)));
}

QTEST_MAIN(TestClusterWindow)

#include "tst_clusterwindow.moc"
