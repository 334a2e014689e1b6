// MainWindow on a real redis-server holding a few streams and other keys: the streams
// table lists exactly the streams, filters and sorts as a user asks, and shows details
// once they are loaded; the status bar shows the server.

#include "guitestsupport.h"
#include "serverversion.h"

#include "commandlogdock.h"
#include "commandlogmodel.h"
#include "connectionsession.h"
#include "credentialstore.h"
#include "dashboardmodel.h"
#include "dashboardview.h"
#include "entrylistmodel.h"
#include "localsentinelset.h"
#include "mainwindow.h"
#include "serieshistory.h"
#include "sessionworkspace.h"
#include "streamchart.h"
#include "streaminspector.h"
#include "streamlistmodel.h"
#include "streammonitor.h"
#include "streamspane.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QHeaderView>
#include <QLineEdit>
#include <QListView>
#include <QLocale>
#include <QMenu>
#include <QMenuBar>
#include <QPushButton>
#include <QScreen>
#include <QScrollBar>
#include <QSettings>
#include <QSortFilterProxyModel>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QToolBar>
#include <QToolButton>
#include <QtTest>

using gui::retype;

class TestMainWindow : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void doubleClickOpensInspector();
    void dashboardRowOpensItsCharts();
    void cleanupTestCase();
    void init();
    void cleanup();

    void firstStartFitsTheScreen();
    void keptGeometryIsRestoredAndFitted();
    void listsExactlyTheStreams();
    void statusBarShowsServer();
    void filterIsCaseInsensitive();
    void headerClickSorts();
    void lengthColumnShowsXlen();
    void overviewColumnsShowWholeValues();
    void refusedConnectionShowsBanner();
    void refreshFindsNewStreams();
    void switchingConnectionsSwitchesTables();
    void eachSessionKeepsItsTabs();
    void ephemeralPasswordSurvivesReconnect();
    void commandLogShowsEveryRequest();
    void dashboardSetsHowTheMonitorSamples();
    void dashboardSaysWhyItCountsFewerStreams();
    void failoverIsShownInTheStatusBar();
    void autoRefreshReadsWhatIsInFront(); // last: adds entries, and deletes them again

private:
    // Opens the test server and waits until its streams are listed.
    void openAndWaitForStreams();
    QTableView *table() const;
    QAbstractItemModel *shown() const { return table()->model(); }
    // The Name column as shown, top to bottom.
    QStringList shownNames() const;
    void clickHeader(int column);
    // Clicks the toolbar button of the action whose text contains `text`.
    QLabel *label(const char *name) const;

    // Streams and their lengths, as created by initTestCase.
    const QMap<QString, int> m_streams = {
        {QStringLiteral("orders:eu"), 3},
        {QStringLiteral("orders:us"), 5},
        {QStringLiteral("shipping:Orders"), 2},
        {QStringLiteral("audit"), 0}, // made by XGROUP CREATE ... MKSTREAM
    };
    std::unique_ptr<LocalRedisServer> m_server;
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<QSettings> m_settings;
    std::unique_ptr<CredentialStore> m_credentials;
    std::unique_ptr<MainWindow> m_window;
};

void TestMainWindow::initTestCase()
{
    m_server = std::make_unique<LocalRedisServer>();
    GUI_START_SERVER(*m_server);
    gui::SetupClient client(m_server->options());
    QVERIFY2(client.isConnected(), qPrintable(client.stateMessage()));

    QList<RedisCommand> setup;
    for (auto it = m_streams.cbegin(); it != m_streams.cend(); ++it) {
        for (int i = 0; i < it.value(); ++i)
            setup.append(RedisCommand{"XADD", it.key().toUtf8(), "*", "n", QByteArray::number(i)});
    }
    setup.append(RedisCommand{"XGROUP", "CREATE", "orders:eu", "billing", "0"});
    setup.append(RedisCommand{"XGROUP", "CREATE", "audit", "auditors", "$", "MKSTREAM"});
    // Not streams: never listed.
    setup.append(RedisCommand{"SET", "orders:count", "8"});
    setup.append(RedisCommand{"HSET", "orders:meta", "owner", "team-a"});
    setup.append(RedisCommand{"LPUSH", "orders:queue", "job-1"});
    const auto replies = client.run(setup);
    QVERIFY2(replies.has_value(), "setting up the test data failed");
    for (const RedisValue &reply : *replies)
        QVERIFY2(!reply.isError(), reply.bytes().constData());
    const auto types = client.run({RedisCommand{"TYPE", "audit"}, RedisCommand{"DBSIZE"}});
    QVERIFY(types.has_value());
    QCOMPARE(types->at(0).bytes(), QByteArray("stream"));
    QCOMPARE(types->at(1).toInteger(), qint64(m_streams.size() + 3));
}

void TestMainWindow::cleanupTestCase()
{
    m_server.reset();
}

void TestMainWindow::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_settings = std::make_unique<QSettings>(m_dir->filePath(QStringLiteral("weir.ini")),
                                             QSettings::IniFormat);
    m_credentials = std::make_unique<CredentialStore>(QStringLiteral("weir-test-gui"));
    m_window = std::make_unique<MainWindow>(m_settings.get(), m_credentials.get());
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
}

void TestMainWindow::cleanup()
{
    m_window.reset();
    m_credentials.reset();
    m_settings.reset();
    m_dir.reset();
}

QTableView *TestMainWindow::table() const
{
    auto *view = m_window->findChild<QTableView *>(QStringLiteral("streamTable"));
    if (!view)
        qFatal("MainWindow has no streamTable");
    return view;
}

QStringList TestMainWindow::shownNames() const
{
    QStringList names;
    for (int row = 0; row < shown()->rowCount(); ++row)
        names << shown()->index(row, StreamListModel::Name).data().toString();
    return names;
}

void TestMainWindow::clickHeader(int column)
{
    QHeaderView *header = table()->horizontalHeader();
    const QPoint at(header->sectionViewportPosition(column) + header->sectionSize(column) / 2,
                    header->height() / 2);
    QTest::mouseClick(header->viewport(), Qt::LeftButton, {}, at);
}

QLabel *TestMainWindow::label(const char *name) const
{
    auto *l = m_window->findChild<QLabel *>(QLatin1String(name));
    if (!l)
        qFatal("MainWindow has no label %s", name);
    return l;
}

void TestMainWindow::openAndWaitForStreams()
{
    m_window->openEphemeral(m_server->options());
    QTRY_COMPARE_WITH_TIMEOUT(shown()->rowCount(), int(m_streams.size()), 5000);
    QVERIFY(table()->isVisible());
}

void TestMainWindow::doubleClickOpensInspector()
{
    openAndWaitForStreams();
    QTRY_VERIFY(shownNames().contains(QStringLiteral("orders:us")));
    const auto open = [this] {
        const int row = int(shownNames().indexOf(QStringLiteral("orders:us")));
        const QRect cell = table()->visualRect(shown()->index(row, StreamListModel::Name));
        // A double click, as the window system delivers it: a click, then the second press.
        QTest::mouseClick(table()->viewport(), Qt::LeftButton, {}, cell.center());
        QTest::mouseDClick(table()->viewport(), Qt::LeftButton, {}, cell.center());
    };
    // The overview, and the session's dashboard, open from the start.
    QTabWidget *tabs = m_window->tabs();
    QTRY_COMPARE(tabs->count(), 2);
    QCOMPARE(tabs->widget(1)->objectName(), QStringLiteral("dashboard"));
    open();
    QTRY_COMPARE(tabs->count(), 3);
    QCOMPARE(tabs->tabText(2), QStringLiteral("orders:us"));
    auto *inspector = qobject_cast<StreamInspector *>(tabs->currentWidget());
    QVERIFY(inspector);
    QTRY_COMPARE(inspector->entries()->rowCount(), 5);
    // Again: the same tab is shown, not a second one.
    tabs->setCurrentIndex(0);
    open();
    QCOMPARE(tabs->count(), 3);
    QCOMPARE(tabs->currentIndex(), 2);
    // Disconnecting closes the connection's inspectors and its dashboard.
    gui::clickToolButton(m_window.get(), QStringLiteral("Disconnect"));
    QCOMPARE(tabs->count(), 1);
}

// With no settings yet, the window opens centred on its screen and inside it (the
// offscreen screen is 800×800, smaller than the window Weir would like).
void TestMainWindow::firstStartFitsTheScreen()
{
    const QRect available = m_window->screen()->availableGeometry();
    QVERIFY2(available.contains(m_window->frameGeometry()),
             qPrintable(QStringLiteral("%1×%2+%3+%4 on a screen of %5×%6")
                            .arg(m_window->width())
                            .arg(m_window->height())
                            .arg(m_window->x())
                            .arg(m_window->y())
                            .arg(available.width())
                            .arg(available.height())));
    QVERIFY(m_window->width() >= available.width() * 8 / 10);
    // Centred, give or take the title bar a window manager adds above it.
    QVERIFY(qAbs(m_window->frameGeometry().center().x() - available.center().x()) <= 20);
    QVERIFY(qAbs(m_window->frameGeometry().center().y() - available.center().y()) <= 20);
    // Its status bar is on the screen.
    const QRect statusBar(m_window->statusBar()->mapToGlobal(QPoint(0, 0)),
                          m_window->statusBar()->size());
    QVERIFY(available.contains(statusBar));
}

// The size the user gave the window comes back with it; a size kept from a bigger
// screen is shrunk onto this one.
void TestMainWindow::keptGeometryIsRestoredAndFitted()
{
    const QRect available = m_window->screen()->availableGeometry();
    m_window->setGeometry(available.left() + 30, available.top() + 40, 600, 420);
    m_window.reset();
    m_window = std::make_unique<MainWindow>(m_settings.get(), m_credentials.get());
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    QCOMPARE(m_window->size(), QSize(600, 420));
    QCOMPARE(m_window->geometry().topLeft(), QPoint(available.left() + 30, available.top() + 40));

    m_window->setGeometry(available.left() + 200, available.top() + 100, available.width() * 2,
                          available.height() * 2);
    m_window.reset();
    m_window = std::make_unique<MainWindow>(m_settings.get(), m_credentials.get());
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    QVERIFY2(available.contains(m_window->frameGeometry()), qPrintable(QStringLiteral("%1×%2+%3+%4")
                                                                           .arg(m_window->width())
                                                                           .arg(m_window->height())
                                                                           .arg(m_window->x())
                                                                           .arg(m_window->y())));
}

void TestMainWindow::listsExactlyTheStreams()
{
    openAndWaitForStreams();
    QStringList names = shownNames();
    names.sort();
    QStringList expected = m_streams.keys();
    expected.sort();
    QCOMPARE(names, expected);

    // The scan has ended and found nothing more.
    auto *pane = m_window->streamsPane();
    QTRY_VERIFY_WITH_TIMEOUT(pane->model() && !pane->model()->isScanning(), 5000);
    QCOMPARE(shown()->rowCount(), int(m_streams.size()));
    auto *count = m_window->findChild<QLabel *>(QStringLiteral("streamCount"));
    QVERIFY(count);
    QVERIFY2(count->text().contains(QString::number(m_streams.size())), qPrintable(count->text()));

    // The ephemeral connection is in the list, and selected.
    auto *connections = m_window->findChild<QListView *>(QStringLiteral("connectionList"));
    QVERIFY(connections);
    QCOMPARE(connections->model()->rowCount(), 1);
    QCOMPARE(connections->currentIndex().row(), 0);
    QCOMPARE(connections->currentIndex().data().toString(), QStringLiteral("local"));
}

void TestMainWindow::statusBarShowsServer()
{
    gui::SetupClient client(m_server->options());
    QVERIFY2(client.isConnected(), qPrintable(client.stateMessage()));
    // "Valkey 8.0.1", not the Redis version it is compatible with.
    const QString version = client.serverInfo().displayName();
    QCOMPARE(version, testserver::info().displayName());

    auto *state = m_window->findChild<QLabel *>(QStringLiteral("connectionState"));
    auto *server = m_window->findChild<QLabel *>(QStringLiteral("serverInfo"));
    QVERIFY(state);
    QVERIFY(server);
    QCOMPARE(state->text(), QStringLiteral("Not connected"));

    openAndWaitForStreams();
    QTRY_VERIFY_WITH_TIMEOUT(server->text().contains(version), 5000);
    QVERIFY2(server->text().contains(QLatin1String("standalone")), qPrintable(server->text()));
    QVERIFY2(server->text().contains(QLatin1String("master")), qPrintable(server->text()));
    QVERIFY2(state->text().contains(QLatin1String("Connected")), qPrintable(state->text()));
    QVERIFY2(state->text().contains(m_server->options().endpoint()), qPrintable(state->text()));
}

void TestMainWindow::filterIsCaseInsensitive()
{
    openAndWaitForStreams();
    auto *filter = m_window->findChild<QLineEdit *>(QStringLiteral("streamFilter"));
    QVERIFY(filter);

    QTest::keyClicks(filter, QStringLiteral("ORDERS"));
    QTRY_COMPARE_WITH_TIMEOUT(shown()->rowCount(), 3, 2000);
    QStringList names = shownNames();
    names.sort();
    QCOMPARE(names, (QStringList{QStringLiteral("orders:eu"), QStringLiteral("orders:us"),
                                 QStringLiteral("shipping:Orders")}));
    auto *count = m_window->findChild<QLabel *>(QStringLiteral("streamCount"));
    QVERIFY2(count->text().contains(QLatin1String("3 of 4")), qPrintable(count->text()));

    retype(filter, QStringLiteral("Us"));
    QTRY_COMPARE_WITH_TIMEOUT(shownNames(), QStringList{QStringLiteral("orders:us")}, 2000);

    retype(filter, QStringLiteral("no-such-stream"));
    QTRY_COMPARE_WITH_TIMEOUT(shown()->rowCount(), 0, 2000);

    retype(filter, QString());
    QTRY_COMPARE_WITH_TIMEOUT(shown()->rowCount(), int(m_streams.size()), 2000);
}

void TestMainWindow::headerClickSorts()
{
    openAndWaitForStreams();
    QHeaderView *header = table()->horizontalHeader();
    QVERIFY(header->isSortIndicatorShown());
    QCOMPARE(header->sortIndicatorSection(), int(StreamListModel::Name));
    QCOMPARE(header->sortIndicatorOrder(), Qt::AscendingOrder);
    const QStringList ascending = {QStringLiteral("audit"), QStringLiteral("orders:eu"),
                                   QStringLiteral("orders:us"), QStringLiteral("shipping:Orders")};
    QCOMPARE(shownNames(), ascending);

    clickHeader(StreamListModel::Name);
    QCOMPARE(header->sortIndicatorOrder(), Qt::DescendingOrder);
    QStringList descending = ascending;
    std::reverse(descending.begin(), descending.end());
    QCOMPARE(shownNames(), descending);

    clickHeader(StreamListModel::Name);
    QCOMPARE(header->sortIndicatorOrder(), Qt::AscendingOrder);
    QCOMPARE(shownNames(), ascending);

    // By length: the lengths are loaded for the sort, and the rows follow them.
    const QStringList byLength = {QStringLiteral("audit"), QStringLiteral("shipping:Orders"),
                                  QStringLiteral("orders:eu"), QStringLiteral("orders:us")};
    QStringList byLengthDescending = byLength;
    std::reverse(byLengthDescending.begin(), byLengthDescending.end());
    clickHeader(StreamListModel::Length);
    QCOMPARE(header->sortIndicatorSection(), int(StreamListModel::Length));
    QTRY_COMPARE_WITH_TIMEOUT(
        shownNames(),
        header->sortIndicatorOrder() == Qt::AscendingOrder ? byLength : byLengthDescending, 5000);
    const Qt::SortOrder first = header->sortIndicatorOrder();
    clickHeader(StreamListModel::Length);
    QVERIFY(header->sortIndicatorOrder() != first);
    QTRY_COMPARE_WITH_TIMEOUT(
        shownNames(),
        header->sortIndicatorOrder() == Qt::AscendingOrder ? byLength : byLengthDescending, 5000);
}

void TestMainWindow::lengthColumnShowsXlen()
{
    openAndWaitForStreams();
    gui::SetupClient client(m_server->options());
    QVERIFY2(client.isConnected(), qPrintable(client.stateMessage()));
    for (int row = 0; row < shown()->rowCount(); ++row) {
        const QString name = shown()->index(row, StreamListModel::Name).data().toString();
        const auto xlen = client.run({RedisCommand{"XLEN", name.toUtf8()}});
        QVERIFY(xlen.has_value());
        QCOMPARE(xlen->at(0).toInteger(), qint64(m_streams.value(name)));
        const QModelIndex length = shown()->index(row, StreamListModel::Length);
        QTRY_COMPARE_WITH_TIMEOUT(length.data().toString(),
                                  QLocale().toString(xlen->at(0).toInteger()), 5000);
    }
    // The group made on orders:eu is counted too.
    for (int row = 0; row < shown()->rowCount(); ++row) {
        const QString name = shown()->index(row, StreamListModel::Name).data().toString();
        const QString groups = shown()->index(row, StreamListModel::Groups).data().toString();
        QCOMPARE(groups, (name == QLatin1String("orders:eu") || name == QLatin1String("audit"))
                             ? QStringLiteral("1")
                             : QStringLiteral("0"));
    }
}

// Once the details are in, no column of the overview cuts its values with "…", and the
// last one ends on screen when the table is scrolled fully right.
void TestMainWindow::overviewColumnsShowWholeValues()
{
    openAndWaitForStreams();
    auto loaded = [this] {
        for (int row = 0; row < shown()->rowCount(); ++row) {
            const auto status = shown()->index(row, 0).data(StreamListModel::StatusRole).toInt();
            if (status != int(StreamListModel::RowStatus::Ok))
                return false;
        }
        return true;
    };
    QTRY_VERIFY_WITH_TIMEOUT(loaded(), 5000);
    QTableView *view = table();
    QHeaderView *header = view->horizontalHeader();
    QTRY_COMPARE(gui::cutColumn(view), QString());
    view->horizontalScrollBar()->setValue(view->horizontalScrollBar()->maximum());
    QTRY_VERIFY(header->sectionViewportPosition(StreamListModel::LastEntry)
                    + header->sectionSize(StreamListModel::LastEntry)
                <= view->viewport()->width());
}

void TestMainWindow::refusedConnectionShowsBanner()
{
    ConnectionOptions options = m_server->options();
    options.port = freeLoopbackPort();
    QVERIFY(options.port != 0);
    m_window->openEphemeral(options);

    auto *banner = m_window->findChild<QWidget *>(QStringLiteral("connectionBanner"));
    QVERIFY(banner);
    QTRY_VERIFY_WITH_TIMEOUT(banner->isVisible(), 5000);
    QLabel *text = nullptr;
    QPushButton *retry = nullptr;
    for (QLabel *l : banner->findChildren<QLabel *>())
        text = l;
    for (QPushButton *b : banner->findChildren<QPushButton *>())
        retry = b;
    QVERIFY(text);
    QVERIFY(retry);
    const QString bannerText = gui::shownText(text);
    QVERIFY2(bannerText.contains(QLatin1String("refused"), Qt::CaseInsensitive),
             qPrintable(bannerText));
    QVERIFY2(bannerText.contains(options.endpoint()), qPrintable(bannerText));
    QVERIFY2(bannerText.contains(QLatin1String("Nothing is listening")), qPrintable(bannerText));
    QVERIFY(retry->isVisible());
    QCOMPARE(shown()->rowCount(), 0);
    QVERIFY2(!label("connectionState")->text().startsWith(QLatin1String("Connected")),
             qPrintable(label("connectionState")->text()));
    QVERIFY(label("serverInfo")->text().isEmpty());
}

void TestMainWindow::refreshFindsNewStreams()
{
    openAndWaitForStreams();
    auto *pane = m_window->streamsPane();
    QTRY_VERIFY_WITH_TIMEOUT(pane->model() && !pane->model()->isScanning(), 5000);
    gui::SetupClient client(m_server->options());
    QVERIFY2(client.isConnected(), qPrintable(client.stateMessage()));
    QVERIFY(client.run({RedisCommand{"XADD", "late:arrival", "*", "k", "v"}}));

    gui::clickToolButton(m_window.get(), QStringLiteral("Refresh"));
    QTRY_COMPARE_WITH_TIMEOUT(shown()->rowCount(), int(m_streams.size()) + 1, 5000);
    QVERIFY(shownNames().contains(QStringLiteral("late:arrival")));
    QVERIFY(client.run({RedisCommand{"DEL", "late:arrival"}}));
}

// Two connections (databases 0 and 1 of the server): selecting one in the list shows
// its streams and its status.
void TestMainWindow::switchingConnectionsSwitchesTables()
{
    ConnectionOptions db1 = m_server->options();
    db1.database = 1;
    db1.name = QStringLiteral("db one");
    {
        gui::SetupClient client(db1);
        QVERIFY2(client.isConnected(), qPrintable(client.stateMessage()));
        QVERIFY(client.run({RedisCommand{"XADD", "only:in:db1", "*", "k", "v"}}));
    }
    openAndWaitForStreams();
    m_window->openEphemeral(db1);
    QTRY_COMPARE_WITH_TIMEOUT(shownNames(), QStringList{QStringLiteral("only:in:db1")}, 5000);
    QTRY_VERIFY_WITH_TIMEOUT(
        label("connectionState")->text().startsWith(QLatin1String("Connected")), 5000);

    auto *list = m_window->findChild<QListView *>(QStringLiteral("connectionList"));
    QCOMPARE(list->model()->rowCount(), 2);
    const auto clickRow = [list](int row) {
        const QModelIndex index = list->model()->index(row, 0);
        QTest::mouseClick(list->viewport(), Qt::LeftButton, {}, list->visualRect(index).center());
    };
    clickRow(0);
    QCOMPARE(list->currentIndex().row(), 0);
    QTRY_COMPARE_WITH_TIMEOUT(shown()->rowCount(), int(m_streams.size()), 5000);
    QVERIFY(label("connectionState")->text().startsWith(QLatin1String("Connected")));
    QVERIFY(!label("serverInfo")->text().isEmpty());
    clickRow(1);
    QTRY_COMPARE_WITH_TIMEOUT(shownNames(), QStringList{QStringLiteral("only:in:db1")}, 5000);

    // The filter stays as typed and applies to whichever table is shown.
    auto *filter = m_window->findChild<QLineEdit *>(QStringLiteral("streamFilter"));
    QTest::keyClicks(filter, QStringLiteral("EU"));
    QTRY_COMPARE_WITH_TIMEOUT(shown()->rowCount(), 0, 2000);
    clickRow(0);
    QTRY_COMPARE_WITH_TIMEOUT(shownNames(), QStringList{QStringLiteral("orders:eu")}, 2000);
    auto *count = m_window->findChild<QLabel *>(QStringLiteral("streamCount"));
    QVERIFY2(count->text().contains(QLatin1String("1 of 4")), qPrintable(count->text()));
}

// Two sessions side by side: each has its dashboard, a stream opened from the overview is
// inspected on the selected connection, and disconnecting one closes its tabs only.
void TestMainWindow::eachSessionKeepsItsTabs()
{
    ConnectionOptions db1 = m_server->options();
    db1.database = 1;
    db1.name = QStringLiteral("db one");
    openAndWaitForStreams();
    const QString first = m_window->currentSession()->profileId();
    Q_EMIT m_window->streamsPane()->streamActivated("orders:us");
    QTabWidget *tabs = m_window->tabs();
    QTRY_COMPARE(tabs->count(), 3);
    QWidget *inspector = tabs->currentWidget();
    QVERIFY(m_window->workspace(first)->inspectorOf(inspector));

    m_window->openEphemeral(db1);
    const QString second = m_window->currentSession()->profileId();
    QVERIFY(second != first);
    QCOMPARE(tabs->count(), 4);
    // The newest dashboard first, after the overview.
    QCOMPARE(tabs->widget(1), m_window->workspace(second)->dashboard());
    QCOMPARE(tabs->widget(2), m_window->workspace(first)->dashboard());
    QCOMPARE(tabs->tabText(1), QStringLiteral("Dashboard · db one"));
    QVERIFY(!m_window->workspace(second)->inspectorOf(inspector));
    QTRY_VERIFY_WITH_TIMEOUT(
        label("connectionState")->text().startsWith(QLatin1String("Connected")), 5000);

    gui::clickToolButton(m_window.get(), QStringLiteral("Disconnect"));
    QVERIFY(!m_window->workspace(second));
    QCOMPARE(tabs->count(), 3);
    QCOMPARE(tabs->widget(2), inspector);
    QCOMPARE(tabs->widget(1), m_window->workspace(first)->dashboard());
    QCOMPARE(label("connectionState")->text(), QStringLiteral("Not connected"));
}

// A connection opened with a password that is not saved anywhere (a URL given on the
// command line) keeps it for as long as it is listed: Disconnect, then Connect, works.
void TestMainWindow::ephemeralPasswordSurvivesReconnect()
{
    LocalRedisServer::Config config;
    config.extraLines << QStringLiteral("requirepass eph-secret");
    LocalRedisServer guarded(config);
    GUI_START_SERVER(guarded);
    {
        ConnectionOptions admin = guarded.options();
        admin.password = QStringLiteral("eph-secret");
        gui::SetupClient client(admin);
        QVERIFY2(client.isConnected(), qPrintable(client.stateMessage()));
        QVERIFY(client.run({RedisCommand{"XADD", "guarded:events", "*", "k", "v"}}));
    }

    ConnectionOptions options = guarded.options();
    options.password = QStringLiteral("eph-secret");
    m_window->openEphemeral(options);
    QTRY_VERIFY2_WITH_TIMEOUT(
        label("connectionState")->text().startsWith(QLatin1String("Connected")),
        qPrintable(label("connectionState")->text()), 5000);
    QTRY_COMPARE_WITH_TIMEOUT(shown()->rowCount(), 1, 5000);

    gui::clickToolButton(m_window.get(), QStringLiteral("Disconnect"));
    QCOMPARE(label("connectionState")->text(), QStringLiteral("Not connected"));
    QCOMPARE(shown()->rowCount(), 0);

    gui::clickToolButton(m_window.get(), QStringLiteral("Connect"));
    QTRY_VERIFY2_WITH_TIMEOUT(
        label("connectionState")->text().startsWith(QLatin1String("Connected")),
        qPrintable(label("connectionState")->text()), 5000);
    QTRY_COMPARE_WITH_TIMEOUT(shown()->rowCount(), 1, 5000);
    QCOMPARE(shown()->index(0, StreamListModel::Name).data().toString(),
             QStringLiteral("guarded:events"));
}

// The interval picked from the toolbar is saved, and each tick reads what is in front:
// the overview's lengths, then the inspected stream, with no F5.
// View > Command log shows the dock; it lists the session's requests, its handshake first,
// under the connection's name, and is shown again in the next window.
void TestMainWindow::commandLogShowsEveryRequest()
{
    auto logAction = [this]() -> QAction * {
        for (QAction *menu : m_window->menuBar()->actions()) {
            if (menu->text() != QStringLiteral("&View"))
                continue;
            for (QAction *action : menu->menu()->actions()) {
                if (action->text() == QStringLiteral("Command &log"))
                    return action;
            }
        }
        return nullptr;
    };
    CommandLogDock *dock = m_window->commandLogDock();
    QCOMPARE(dock->objectName(), QStringLiteral("commandLogDock"));
    QVERIFY(!dock->isVisible());
    QVERIFY(logAction());
    logAction()->trigger();
    QVERIFY(dock->isVisible());
    QCOMPARE(m_window->dockWidgetArea(dock), Qt::BottomDockWidgetArea);

    openAndWaitForStreams();
    const QAbstractItemModel *log = dock->view()->model();
    QTRY_VERIFY(log->rowCount() >= 2);
    QCOMPARE(log->index(0, CommandLogModel::Command).data().toString(),
             QStringLiteral("HELLO 2 SETNAME weir ; INFO server"));
    QStringList commands;
    for (int row = 0; row < log->rowCount(); ++row) {
        QCOMPARE(log->index(row, CommandLogModel::Connection).data().toString(),
                 QStringLiteral("local"));
        commands.append(log->index(row, CommandLogModel::Command).data().toString());
    }
    QVERIFY2(commands.filter(QRegularExpression(QStringLiteral("^SCAN 0 .*TYPE stream"))).size()
                 == 1,
             qPrintable(commands.join(QLatin1Char('\n'))));

    // Kept for the next window, and so is hiding it again.
    m_window.reset();
    m_window = std::make_unique<MainWindow>(m_settings.get(), m_credentials.get());
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    QVERIFY(m_window->commandLogDock()->isVisible());
    QCOMPARE(m_window->commandLogDock()->view()->model()->rowCount(), 0);
    logAction()->trigger();
    QVERIFY(!m_window->commandLogDock()->isVisible());
    m_window.reset();
    m_window = std::make_unique<MainWindow>(m_settings.get(), m_credentials.get());
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    QVERIFY(!m_window->commandLogDock()->isVisible());
}

// A connection through sentinels whose master the sentinels move elsewhere: the status bar
// says so, naming the master and both addresses.
void TestMainWindow::failoverIsShownInTheStatusBar()
{
    LocalSentinelSet set;
    QString error;
    QVERIFY2(set.start(&error), qPrintable(error));
    m_window->openEphemeral(set.options());
    QLabel *state = label("connectionState");
    QTRY_VERIFY2_WITH_TIMEOUT(state->text().startsWith(QLatin1String("Connected")),
                              qPrintable(state->text()), 10000);
    QTRY_VERIFY_WITH_TIMEOUT(set.subscribers() > 0, 10000);

    QVERIFY(set.startFailover());
    const QString expected = QStringLiteral("Failover: master %1 moved from 127.0.0.1:%2 to "
                                            "127.0.0.1:%3")
                                 .arg(set.masterName())
                                 .arg(set.masterPort())
                                 .arg(set.replicaPort());
    QTRY_COMPARE_WITH_TIMEOUT(m_window->statusBar()->currentMessage(), expected, 20000);
    QTRY_VERIFY2_WITH_TIMEOUT(state->text().startsWith(QLatin1String("Connected")),
                              qPrintable(state->text()), 10000);
}

void TestMainWindow::autoRefreshReadsWhatIsInFront()
{
    openAndWaitForStreams();
    auto *button = m_window->findChild<QToolButton *>(QStringLiteral("autoRefreshButton"));
    QVERIFY(button && button->menu());
    QCOMPARE(button->text(), QStringLiteral("Auto-refresh: 5 s")); // the default
    const QList<QAction *> choices = button->menu()->actions();
    const auto pick = [&choices](const QString &text) {
        for (QAction *choice : choices) {
            if (choice->text().remove(QLatin1Char('&')) == text)
                choice->trigger();
        }
    };
    pick(QStringLiteral("Every 2 s"));
    QCOMPARE(m_window->autoRefreshSeconds(), 2);
    QCOMPARE(m_settings->value(QStringLiteral("view/autoRefreshSeconds")).toInt(), 2);
    QCOMPARE(button->text(), QStringLiteral("Auto-refresh: 2 s"));

    gui::SetupClient client(m_server->options());
    const auto added = client.run({RedisCommand{"XADD", "orders:us", "*", "n", "tick"}});
    QVERIFY(added.has_value());
    const int row = int(shownNames().indexOf(QStringLiteral("orders:us")));
    QTRY_COMPARE_WITH_TIMEOUT(shown()->index(row, StreamListModel::Length).data().toString(),
                              QStringLiteral("6"), 5000);

    Q_EMIT m_window->streamsPane()->streamActivated("orders:us");
    auto *inspector = qobject_cast<StreamInspector *>(m_window->tabs()->currentWidget());
    QVERIFY(inspector);
    QTRY_COMPARE(inspector->entries()->rowCount(), 6);
    const auto again = client.run({RedisCommand{"XADD", "orders:us", "*", "n", "tock"}});
    QVERIFY(again.has_value());
    QTRY_COMPARE_WITH_TIMEOUT(inspector->entries()->rowCount(), 7, 5000);
    auto *summary = inspector->findChild<QLabel *>(QStringLiteral("streamSummary"));
    QTRY_VERIFY(gui::shownText(summary).contains(QLatin1String("length 7")));

    pick(QStringLiteral("Off"));
    QCOMPARE(m_window->autoRefreshSeconds(), 0);
    QCOMPARE(button->text(), QStringLiteral("Auto-refresh: off"));
    QVERIFY(client.run(
        {RedisCommand{"XDEL", "orders:us", added->at(0).bytes(), again->at(0).bytes()}}));
}

QTEST_MAIN(TestMainWindow)
// The dashboard's sampling row drives the session's monitor (and the history's tick).
// The overview lists a dead-letter stream that the dashboard does not chart: the
// dashboard's status line says so, instead of a count that looks one short.
void TestMainWindow::dashboardSaysWhyItCountsFewerStreams()
{
    gui::SetupClient client(m_server->options());
    QVERIFY2(client.isConnected(), qPrintable(client.stateMessage()));
    QVERIFY(client.run({RedisCommand{"XADD", "orders:eu:dlq", "*", "failureReason", "timeout"}}));
    m_window->openEphemeral(m_server->options());
    QTRY_COMPARE_WITH_TIMEOUT(shown()->rowCount(), int(m_streams.size()) + 1, 5000);
    auto *dashboard = qobject_cast<DashboardView *>(m_window->tabs()->widget(1));
    QVERIFY(dashboard);
    const QString expected = QStringLiteral("%1 streams (and 1 dead-letter stream, counted in "
                                            "its source's Dead letters)")
                                 .arg(m_streams.size());
    QTRY_VERIFY2_WITH_TIMEOUT(dashboard->statusText().contains(expected),
                              qPrintable(dashboard->statusText()), 10000);
    QVERIFY(client.run({RedisCommand{"DEL", "orders:eu:dlq"}}));
}

void TestMainWindow::dashboardSetsHowTheMonitorSamples()
{
    openAndWaitForStreams();
    QVERIFY(m_window->currentSession());
    StreamMonitor *monitor = m_window->currentSession()->monitor();
    QVERIFY(monitor);
    auto *dashboard = m_window->tabs()->widget(1);
    QCOMPARE(dashboard->objectName(), QStringLiteral("dashboard"));
    auto *interval = dashboard->findChild<QDoubleSpinBox *>(QStringLiteral("dashboardInterval"));
    QVERIFY(interval);
    interval->selectAll();
    QTest::keyClicks(interval, QStringLiteral("2.5"));
    QTest::keyClick(interval, Qt::Key_Return);
    QCOMPARE(monitor->interval(), 2500);
    QCOMPARE(m_window->workspace(m_window->currentSession()->profileId())->dashboard(), dashboard);
    QCOMPARE(m_window->currentSession()->history()->intervalMs(), 2500);

    // Only the named streams; an empty list is refused with a hint and changes nothing.
    auto *watch = dashboard->findChild<QComboBox *>(QStringLiteral("dashboardWatch"));
    auto *chosen = dashboard->findChild<QLineEdit *>(QStringLiteral("dashboardChosen"));
    auto *hint = dashboard->findChild<QLabel *>(QStringLiteral("dashboardSamplingHint"));
    watch->setCurrentIndex(1);
    QCOMPARE(hint->text(), QStringLiteral("Name at least one stream."));
    QVERIFY(chosen->isVisibleTo(dashboard));
    chosen->setFocus();
    QTest::keyClicks(chosen, QStringLiteral("orders:us"));
    QTest::keyClick(chosen, Qt::Key_Return);
    QCOMPARE(hint->text(), QString());
    monitor->tickNow();
    QTRY_VERIFY(monitor->watched().size() == 1
                && monitor->watched().constFirst().key == "orders:us");
}

// A row of the dashboard, double-clicked, opens its stream's inspector on the charts, and
// the charts draw what the session's monitor samples.
void TestMainWindow::dashboardRowOpensItsCharts()
{
    openAndWaitForStreams();
    QTabWidget *tabs = m_window->tabs();
    QTRY_COMPARE(tabs->count(), 2);
    auto *dashboard = tabs->widget(1);
    tabs->setCurrentWidget(dashboard);
    auto *view = dashboard->findChild<QTableView *>(QStringLiteral("dashboardTable"));
    QVERIFY(view);
    QAbstractItemModel *rows = view->model();
    const auto rowOf = [rows](const QByteArray &stream) {
        for (int r = 0; r < rows->rowCount(); ++r) {
            if (rows->index(r, 0).data(DashboardModel::StreamRole).toByteArray() == stream)
                return r;
        }
        return -1;
    };
    QTRY_VERIFY(rowOf("orders:us") >= 0);
    const QRect cell = view->visualRect(rows->index(rowOf("orders:us"), 0));
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, cell.center());
    QTest::mouseDClick(view->viewport(), Qt::LeftButton, {}, cell.center());

    QTRY_COMPARE(tabs->count(), 3);
    auto *inspector = qobject_cast<StreamInspector *>(tabs->currentWidget());
    QVERIFY(inspector);
    QCOMPARE(inspector->key(), QByteArray("orders:us"));
    QVERIFY(inspector->chart());
    QTRY_VERIFY(inspector->chart()->isVisible());
    QVERIFY(m_window->currentSession());
    SeriesHistory *history = m_window->currentSession()->history();
    QVERIFY(history);
    QTRY_VERIFY(history->contains(SeriesKey{"orders:us", {}, {}, Metric::AddedPerSecond}));
}

#include "tst_mainwindow.moc"
