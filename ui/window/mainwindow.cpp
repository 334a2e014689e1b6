#include "mainwindow.h"

#include "alertlogmodel.h"
#include "alertrulesdialog.h"
#include "alertspane.h"
#include "commandlogdock.h"
#include "commandlogmodel.h"
#include "connectiondialog.h"
#include "connectionprobe.h"
#include "credentialstore.h"
#include "dashboardmodel.h"
#include "dashboardview.h"
#include "deadlettersettingsdialog.h"
#include "clusternodesmodel.h"
#include "deadletterview.h"
#include "errorhint.h"
#include "groupspane.h"
#include "connectionsession.h"
#include "redisconnection.h"
#include "replaydialog.h"
#include "streamlistmodel.h"
#include "streammonitor.h"
#include "serieshistory.h"
#include "streaminspector.h"
#include "streamspane.h"
#include "viewstate.h"
#include "keyformat.h"
#include "nodesview.h"
#include "notifier.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QInputDialog>
#include <QLabel>
#include <QListView>
#include <QMenuBar>
#include <QMessageBox>
#include <QPointer>
#include <QScreen>
#include <QSet>
#include <QSettings>
#include <QSplitter>
#include <QStatusBar>
#include <QStyle>
#include <QTabBar>
#include <QTabWidget>
#include <QTimer>
#include <QToolBar>
#include <QToolButton>
#include <QUuid>

namespace {

// The panes built in the initializer list keep their column widths in the window's
// settings: those must be in place before the first pane is.
QSettings *keepingColumnWidths(QSettings *settings)
{
    setColumnWidthSettings(settings);
    return settings;
}

} // namespace

MainWindow::MainWindow(QSettings *settings, CredentialStore *credentials, QWidget *parent)
    : QMainWindow(parent)
    , m_settings(keepingColumnWidths(settings))
    , m_credentials(credentials)
    , m_store(settings)
    , m_connections(new ConnectionListModel(this))
    , m_probe(new ConnectionProbe(this))
    , m_connectionsView(new QListView(this))
    , m_streams(new StreamsPane(this))
    , m_tabs(new QTabWidget(this))
    , m_commandLog(new CommandLogModel(this))
    , m_commandLogDock(new CommandLogDock(m_commandLog, this))
    , m_stateLabel(new QLabel(this))
    , m_serverLabel(new QLabel(this))
    , m_autoRefresh(new QTimer(this))
    , m_autoRefreshButton(new QToolButton(this))
    , m_alertLog(new AlertLogModel(this))
    , m_alertsPane(new AlertsPane(m_alertLog, this))
    , m_alertNotifier(new AlertNotifier(this, this))
{
    Q_INIT_RESOURCE(weir); // the icons, compiled into a static library
    setWindowTitle(tr("Weir"));
    setWindowIcon(QIcon(QStringLiteral(":/icons/weir.svg")));
    m_connections->setProfiles(m_store.load());

    QStyle *s = style();
    m_newAction = new QAction(s->standardIcon(QStyle::SP_FileDialogNewFolder),
                              tr("&New connection…"), this);
    m_newAction->setShortcut(QKeySequence::New);
    m_editAction = new QAction(s->standardIcon(QStyle::SP_FileDialogDetailedView),
                               tr("&Edit connection…"), this);
    m_removeAction = new QAction(s->standardIcon(QStyle::SP_TrashIcon),
                                 tr("&Remove connection"), this);
    m_connectAction = new QAction(s->standardIcon(QStyle::SP_MediaPlay), tr("&Connect"), this);
    m_disconnectAction =
        new QAction(s->standardIcon(QStyle::SP_MediaStop), tr("&Disconnect"), this);
    m_refreshAction = new QAction(s->standardIcon(QStyle::SP_BrowserReload), tr("&Refresh"), this);
    m_refreshAction->setShortcut(QKeySequence::Refresh);
    m_refreshAction->setToolTip(tr("Read again what is shown: the streams, or the stream being "
                                   "inspected (F5)"));
    m_deadLettersAction = new QAction(tr("Dead &letters…"), this);
    m_deadLettersAction->setToolTip(tr("How this connection's dead-letter streams are named and "
                                       "which fields a dead letter has"));
    m_alertRulesAction = new QAction(tr("&Alert rules…"), this);
    m_alertRulesAction->setToolTip(tr("When this connection's queues raise an alert: thresholds "
                                      "globally and per stream or group"));
    auto *quit = new QAction(tr("&Quit"), this);
    quit->setShortcut(QKeySequence::Quit);

    connect(m_newAction, &QAction::triggered, this, &MainWindow::newConnection);
    connect(m_editAction, &QAction::triggered, this, &MainWindow::editConnection);
    connect(m_removeAction, &QAction::triggered, this, &MainWindow::removeConnection);
    connect(m_deadLettersAction, &QAction::triggered, this, &MainWindow::editDeadLetters);
    connect(m_connectAction, &QAction::triggered, this, &MainWindow::connectSelected);
    connect(m_disconnectAction, &QAction::triggered, this, &MainWindow::disconnectSelected);
    // F5 refreshes what is in front: the overview, or the stream being inspected.
    connect(m_refreshAction, &QAction::triggered, this, [this] {
        if (auto *inspector = qobject_cast<StreamInspector *>(m_tabs->currentWidget()))
            inspector->refresh();
        else
            m_streams->refresh();
    });
    connect(quit, &QAction::triggered, this, &QWidget::close);

    QMenu *fileMenu = menuBar()->addMenu(tr("&Connection"));
    fileMenu->addActions({m_newAction, m_editAction, m_removeAction});
    fileMenu->addSeparator();
    fileMenu->addActions({m_connectAction, m_disconnectAction});
    fileMenu->addSeparator();
    fileMenu->addAction(m_deadLettersAction);
    fileMenu->addAction(m_alertRulesAction);
    fileMenu->addSeparator();
    fileMenu->addAction(quit);
    // Auto-refresh: one exclusive choice of interval, in the View menu and on the toolbar.
    m_autoRefreshMenu = new QMenu(tr("&Auto-refresh"), this);
    auto *intervals = new QActionGroup(this);
    for (const int seconds : {0, 2, 5, 10, 30, 60}) {
        QAction *choice = m_autoRefreshMenu->addAction(
            seconds == 0 ? tr("&Off") : tr("Every %n s", nullptr, seconds));
        choice->setCheckable(true);
        choice->setData(seconds);
        intervals->addAction(choice);
        connect(choice, &QAction::triggered, this,
                [this, seconds] { setAutoRefreshSeconds(seconds); });
    }
    m_autoRefreshMenu->setToolTip(
        tr("Read again what is in front at this interval: the details of up to %1 listed "
           "streams, or the stream being inspected. Selection and scroll position stay.")
            .arg(StreamsPane::AutoRefreshMaxStreams));
    m_autoRefreshMenu->setToolTipsVisible(true);
    connect(m_autoRefresh, &QTimer::timeout, this, &MainWindow::autoRefresh);
    QMenu *viewMenu = menuBar()->addMenu(tr("&View"));
    viewMenu->addAction(m_refreshAction);
    viewMenu->addMenu(m_autoRefreshMenu);
    viewMenu->addSeparator();
    QAction *showLog = m_commandLogDock->toggleViewAction();
    showLog->setText(tr("Command &log"));
    showLog->setToolTip(tr("Every command Weir sent: time, connection, command, duration and "
                           "result"));
    viewMenu->addAction(showLog);
    QAction *showAlerts = m_alertsPane->toggleViewAction();
    showAlerts->setText(tr("&Alerts"));
    showAlerts->setToolTip(tr("Alerts that fired and cleared, on every connection"));
    viewMenu->addAction(showAlerts);

    QToolBar *toolbar = addToolBar(tr("Main"));
    toolbar->setObjectName(QStringLiteral("mainToolbar"));
    toolbar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    toolbar->addActions({m_newAction, m_connectAction, m_disconnectAction});
    toolbar->addSeparator();
    toolbar->addAction(m_refreshAction);
    m_autoRefreshButton->setObjectName(QStringLiteral("autoRefreshButton"));
    m_autoRefreshButton->setMenu(m_autoRefreshMenu);
    m_autoRefreshButton->setPopupMode(QToolButton::InstantPopup);
    m_autoRefreshButton->setToolTip(m_autoRefreshMenu->toolTip());
    toolbar->addWidget(m_autoRefreshButton);

    m_connectionsView->setObjectName(QStringLiteral("connectionList"));
    m_connectionsView->setModel(m_connections);
    m_connectionsView->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_connectionsView->setContextMenuPolicy(Qt::ActionsContextMenu);
    m_connectionsView->addActions({m_connectAction, m_disconnectAction, m_editAction,
                                   m_removeAction, m_deadLettersAction});
    connect(m_connectionsView->selectionModel(), &QItemSelectionModel::currentChanged, this,
            &MainWindow::onSelectionChanged);
    connect(m_connectionsView, &QListView::activated, this, &MainWindow::connectSelected);

    // The overview first, then one closable tab per stream being inspected.
    m_tabs->setObjectName(QStringLiteral("tabs"));
    m_tabs->setDocumentMode(true);
    m_tabs->setTabsClosable(true);
    m_tabs->addTab(m_streams, tr("Streams"));
    m_tabs->tabBar()->setTabButton(0, QTabBar::RightSide, nullptr);
    connect(m_tabs, &QTabWidget::tabCloseRequested, this, [this](int index) {
        if (index > 0)
            delete m_tabs->widget(index);
    });

    auto *splitter = new QSplitter(this);
    splitter->addWidget(m_connectionsView);
    splitter->addWidget(m_tabs);
    splitter->setStretchFactor(1, 1);
    splitter->setSizes({220, 900});
    setCentralWidget(splitter);
    addDockWidget(Qt::BottomDockWidgetArea, m_commandLogDock);
    m_commandLogDock->hide();
    addDockWidget(Qt::BottomDockWidgetArea, m_alertsPane);
    resizeDocks({m_alertsPane}, {170}, Qt::Vertical);
    connect(m_alertRulesAction, &QAction::triggered, this, &MainWindow::editAlertRules);
    connect(m_alertsPane, &AlertsPane::rulesRequested, this, &MainWindow::editAlertRules);
    connect(m_alertLog, &AlertLogModel::activeChanged, this,
            [this] { m_alertNotifier->setActiveCount(m_alertLog->activeCount()); });
    // Each session's alert engine evaluates every tick of the session's monitor.
    connect(this, &MainWindow::monitorCreated, this,
            [this](const QString &id, StreamMonitor *monitor) {
        if (AlertEngine *engine = m_alertEngines.value(id))
            connect(monitor, &StreamMonitor::sampled, engine, &AlertEngine::evaluate);
    });
    // Each session's history records every tick of the session's monitor, for the charts.
    connect(this, &MainWindow::monitorCreated, this,
            [this](const QString &id, StreamMonitor *monitor) {
        auto *history = new SeriesHistory(monitor->interval(), SeriesHistory::DefaultSpanMs, this);
        connect(monitor, &StreamMonitor::sampled, history, &SeriesHistory::record);
        delete m_histories.take(id);
        m_histories.insert(id, history);
    });
    // "Test connection" in the connection dialog: its handshake is logged too.
    connect(m_probe, &ConnectionProbe::connectionCreated, this, [this](RedisConnection *c) {
        m_commandLog->attach(c, tr("%1 (test)").arg(c->options().name.isEmpty()
                                                          ? c->options().endpoint()
                                                          : c->options().name));
    });

    connect(m_streams, &StreamsPane::retryRequested, this, [this] {
        const QString id = currentId();
        endSession(id);
        connectSelected();
    });
    connect(m_streams, &StreamsPane::countsChanged, this, &MainWindow::updateStatus);
    connect(m_streams, &StreamsPane::streamActivated, this, &MainWindow::inspect);

    // Each session's dashboard: a tab of its own (closed with the session), fed by every tick
    // of the session's monitor and showing the alerts active on its rows; a row's charts
    // open in the session's inspector of that stream.
    connect(this, &MainWindow::monitorCreated, this,
            [this](const QString &id, StreamMonitor *monitor) {
        auto *dashboard = new DashboardView(m_tabs);
        dashboard->setObjectName(QStringLiteral("dashboard"));
        dashboard->setProperty("sessionId", id);
        connect(monitor, &StreamMonitor::sampled, dashboard, &DashboardView::showFigures);
        // The overview lists the dead-letter streams the monitor leaves out: the dashboard
        // says so, so that its count of streams is not taken for a missing one.
        if (StreamListModel *model = m_sessions.value(id).model) {
            const auto leftOut = [model, dashboard] {
                const QList<QByteArray> dlqs = model->deadLetterStreams().values();
                dashboard->setDeadLetterStreamsLeftOut(
                    int(QSet<QByteArray>(dlqs.cbegin(), dlqs.cend()).size()));
            };
            connect(model, &StreamListModel::deadLetterStreamsChanged, dashboard, leftOut);
            leftOut();
        }
        if (AlertEngine *engine = m_alertEngines.value(id)) {
            connect(engine, &AlertEngine::changed, dashboard, [engine, dashboard] {
                QHash<QPair<QByteArray, QByteArray>, QStringList> active;
                // Short, for the cell: the rule and its value (the Alerts pane has the rest).
                for (const AlertEvent &alert : engine->activeAlerts()) {
                    QString text = alertRuleName(alert.rule);
                    if (!alert.consumer.isEmpty())
                        text += QLatin1Char(' ') + displayKey(alert.consumer);
                    active[{alert.stream, alert.group}].append(
                        text + QStringLiteral(": ") + formatAlertValue(alert.rule, alert.value));
                }
                dashboard->model()->replaceActiveAlerts(active);
            });
        }
        connect(dashboard, &DashboardView::samplingChanged, monitor,
                [this, id, monitor](int intervalMs, int cap, const QList<QByteArray> &streams) {
            monitor->setInterval(intervalMs);
            if (SeriesHistory *history = m_histories.value(id))
                history->setInterval(monitor->interval());
            monitor->setWatchCap(cap);
            monitor->setWatched(streams);
        });
        connect(dashboard, &DashboardView::chartRequested, this,
                [this, id](const QByteArray &stream) {
            m_connectionsView->setCurrentIndex(m_connections->index(m_connections->rowOf(id)));
            openCharts(stream);
        });
        const int row = m_connections->rowOf(id);
        const QString name = row >= 0 ? m_connections->profileAt(row).options.name : QString();
        const int index = m_tabs->insertTab(1, dashboard, tr("Dashboard · %1").arg(name));
        m_tabs->setTabToolTip(index, tr("Every watched stream and group of %1, worst first")
                                         .arg(name));
        m_tabs->tabBar()->setTabButton(index, QTabBar::RightSide, nullptr);
    });

    m_stateLabel->setObjectName(QStringLiteral("connectionState"));
    m_serverLabel->setObjectName(QStringLiteral("serverInfo"));
    m_stateLabel->setContentsMargins(12, 0, 4, 0);
    statusBar()->addPermanentWidget(m_serverLabel);
    statusBar()->addPermanentWidget(m_stateLabel);
    if (!restoreGeometry(m_settings->value(QStringLiteral("window/geometry")).toByteArray()))
        openAtDefaultSize();
    fitIntoScreen();
    restoreState(m_settings->value(QStringLiteral("window/state")).toByteArray());
    setAutoRefreshSeconds(m_settings->value(QStringLiteral("view/autoRefreshSeconds"), 5).toInt());
    showSession({});
}

void MainWindow::setAutoRefreshSeconds(int seconds)
{
    m_autoRefreshSeconds = qBound(0, seconds, 3600);
    m_settings->setValue(QStringLiteral("view/autoRefreshSeconds"), m_autoRefreshSeconds);
    for (QAction *choice : m_autoRefreshMenu->actions())
        choice->setChecked(choice->data().toInt() == m_autoRefreshSeconds);
    m_autoRefreshButton->setText(m_autoRefreshSeconds == 0
                                     ? tr("Auto-refresh: off")
                                     : tr("Auto-refresh: %n s", nullptr, m_autoRefreshSeconds));
    if (m_autoRefreshSeconds == 0)
        m_autoRefresh->stop();
    else
        m_autoRefresh->start(m_autoRefreshSeconds * 1000);
}

// A tick reads only what is in front, and only while its connection is up: a tick never
// queues requests behind a reconnect.
void MainWindow::autoRefresh()
{
    if (auto *inspector = qobject_cast<StreamInspector *>(m_tabs->currentWidget())) {
        if (inspector->connection()->state() == ConnectionState::Connected)
            inspector->refresh();
    } else {
        m_streams->refreshDetails();
    }
}

namespace {

// What a window manager's frame and title bar add around the window, before it is shown
// and its own frame is known: generous, so that a window that fits with it fits with the
// usual frames.
const QMargins AssumedFrame(8, 40, 8, 8);

QMargins frameMargins(const QWidget *window)
{
    if (!window->isVisible())
        return AssumedFrame;
    const QRect frame = window->frameGeometry();
    const QRect inner = window->geometry();
    return QMargins(inner.left() - frame.left(), inner.top() - frame.top(),
                    frame.right() - inner.right(), frame.bottom() - inner.bottom());
}

} // namespace

// Roomy enough for the overview's columns, never larger than the screen the window opens
// on (a 1280×800 laptop included), with some of the desktop left around it.
void MainWindow::openAtDefaultSize()
{
    const QRect room = screen()->availableGeometry().marginsRemoved(AssumedFrame)
                           .marginsRemoved(QMargins(16, 16, 16, 16));
    const QSize size = QSize(1320, 760).boundedTo(room.size());
    setGeometry(QStyle::alignedRect(Qt::LeftToRight, Qt::AlignCenter, size, room));
}

// A geometry kept from a bigger screen (or a screen since unplugged) is shrunk and moved
// onto the screen the window opens on, so that its status bar and right columns show.
void MainWindow::fitIntoScreen()
{
    if (isMaximized() || isFullScreen())
        return;
    const QRect room = screen()->availableGeometry().marginsRemoved(frameMargins(this));
    if (room.contains(geometry()))
        return;
    QRect fitted(geometry().topLeft(), geometry().size().boundedTo(room.size()));
    fitted.moveLeft(qBound(room.left(), fitted.left(), room.right() - fitted.width() + 1));
    fitted.moveTop(qBound(room.top(), fitted.top(), room.bottom() - fitted.height() + 1));
    setGeometry(fitted);
}

MainWindow::~MainWindow()
{
    setColumnWidthSettings(nullptr);
    m_settings->setValue(QStringLiteral("window/geometry"), saveGeometry());
    m_settings->setValue(QStringLiteral("window/state"), saveState());
    const QStringList ids = m_sessions.keys();
    for (const QString &id : ids)
        endSession(id);
}

QString MainWindow::currentId() const
{
    const QModelIndex index = m_connectionsView->currentIndex();
    return index.isValid() ? index.data(ConnectionListModel::IdRole).toString() : QString();
}

void MainWindow::openEphemeral(const ConnectionOptions &options)
{
    ConnectionProfile profile;
    profile.id = QStringLiteral("ephemeral-") + QUuid::createUuid().toString(QUuid::WithoutBraces);
    profile.options = options;
    profile.options.password.clear();
    profile.options.sentinelPassword.clear();
    profile.ephemeral = true;
    m_ephemeralPasswords.insert(profile.id, options.password);
    m_ephemeralPasswords.insert(CredentialStore::sentinelKey(profile.id), options.sentinelPassword);
    const int row = m_connections->upsert(profile);
    m_connectionsView->setCurrentIndex(m_connections->index(row));
    startSession(profile, options.password, options.sentinelPassword);
}

void MainWindow::saveProfile(const ConnectionProfile &profile, const QString &password,
                             const QString &sentinelPassword, bool remember)
{
    storeProfile(profile);
    m_connections->upsert(profile);
    keepSecret(profile, false, password, remember);
    keepSecret(profile, true, sentinelPassword, remember);
}

void MainWindow::keepSecret(const ConnectionProfile &profile, bool sentinel,
                            const QString &secret, bool remember)
{
    const QString key = sentinel ? CredentialStore::sentinelKey(profile.id) : profile.id;
    if (!remember || secret.isEmpty()) {
        m_credentials->deletePassword(key, [](bool, const QString &) {});
        return;
    }
    m_credentials->writePassword(key, secret, [this, id = profile.id, sentinel](
                                                  bool ok, const QString &error) {
        const int row = m_connections->rowOf(id);
        if (ok || row < 0)
            return;
        // No keychain: keep the profile (as it is now), but ask for the password on connect.
        ConnectionProfile p = m_connections->profileAt(row);
        (sentinel ? p.sentinelPasswordInKeychain : p.passwordInKeychain) = false;
        (sentinel ? p.askSentinelPassword : p.askPassword) = true;
        storeProfile(p);
        m_connections->upsert(p);
        const QString which = sentinel ? tr("The sentinels' password") : tr("The password");
        QMessageBox::warning(this, tr("Password not saved"),
                             tr("%1\n\n%2 was not saved anywhere. Weir will ask for it when "
                                "connecting to %3.")
                                 .arg(error, which, p.options.name));
    });
}

void MainWindow::newConnection()
{
    ConnectionDialog dialog(m_probe, this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    const ConnectionProfile profile = dialog.profile();
    saveProfile(profile, dialog.password(), dialog.sentinelPassword(), dialog.rememberPassword());
    m_connectionsView->setCurrentIndex(m_connections->index(m_connections->rowOf(profile.id)));
    startSession(profile, dialog.password(), dialog.sentinelPassword());
}

void MainWindow::editConnection()
{
    const int row = m_connections->rowOf(currentId());
    if (row < 0)
        return;
    const ConnectionProfile old = m_connections->profileAt(row);
    // An error: the saved password could not be read; it is then kept as it is unless a
    // new one is typed.
    auto open = [this, old](const QString &password, const QString &error,
                            const QString &sentinelPassword, const QString &sentinelError) {
        for (const QString &e : {error, sentinelError}) {
            if (!e.isEmpty())
                QMessageBox::warning(this, tr("Keychain"),
                                     tr("%1\n\nThe saved password is kept unless you type a "
                                        "new one.")
                                         .arg(e));
        }
        ConnectionDialog dialog(m_probe, this);
        dialog.setProfile(old, password, sentinelPassword);
        if (dialog.exec() != QDialog::Accepted)
            return;
        ConnectionProfile profile = dialog.profile();
        profile.ephemeral = old.ephemeral;
        const QString typed = dialog.password();
        const QString typedSentinel = dialog.sentinelPassword();
        if (profile.ephemeral) {
            m_ephemeralPasswords.insert(profile.id, typed);
            m_ephemeralPasswords.insert(CredentialStore::sentinelKey(profile.id), typedSentinel);
            m_connections->upsert(profile);
        } else {
            const bool keepPassword = !error.isEmpty() && typed.isEmpty();
            const bool keepSentinel = !sentinelError.isEmpty() && typedSentinel.isEmpty();
            if (keepPassword) {
                profile.passwordInKeychain = old.passwordInKeychain;
                profile.askPassword = old.askPassword;
            }
            if (keepSentinel) {
                profile.sentinelPasswordInKeychain = old.sentinelPasswordInKeychain;
                profile.askSentinelPassword = old.askSentinelPassword;
            }
            storeProfile(profile);
            m_connections->upsert(profile);
            if (!keepPassword)
                keepSecret(profile, false, typed, dialog.rememberPassword());
            if (!keepSentinel)
                keepSecret(profile, true, typedSentinel, dialog.rememberPassword());
        }
        if (m_sessions.contains(profile.id)) {
            endSession(profile.id);
            withPasswords(profile, [this, profile](const QString &password,
                                                   const QString &sentinelPassword) {
                startSession(profile, password, sentinelPassword);
            }, typed, typedSentinel);
        }
    };
    readSecret(old, false, [this, old, open](const QString &password, const QString &error) {
        readSecret(old, true, [open, password, error](const QString &sentinelPassword,
                                                      const QString &sentinelError) {
            open(password, error, sentinelPassword, sentinelError);
        });
    });
}

void MainWindow::removeConnection()
{
    const QString id = currentId();
    const int row = m_connections->rowOf(id);
    if (row < 0)
        return;
    const ConnectionProfile profile = m_connections->profileAt(row);
    if (QMessageBox::question(this, tr("Remove connection"),
                              tr("Remove the connection \"%1\" and its saved password?")
                                  .arg(profile.options.name))
        != QMessageBox::Yes)
        return;
    endSession(id);
    m_deadLetters.remove(id);
    m_alertRules.remove(id);
    for (const QString &key : {id, CredentialStore::sentinelKey(id)}) {
        if (profile.ephemeral)
            m_ephemeralPasswords.remove(key);
        else
            m_credentials->deletePassword(key, [](bool, const QString &) {});
    }
    if (!profile.ephemeral)
        m_store.remove(id);
    m_connections->remove(id);
}

void MainWindow::readSecret(const ConnectionProfile &profile, bool sentinel,
                            const std::function<void(const QString &, const QString &)> &done)
{
    const QString key = sentinel ? CredentialStore::sentinelKey(profile.id) : profile.id;
    if (profile.ephemeral) {
        done(m_ephemeralPasswords.value(key), {});
    } else if (sentinel ? profile.sentinelPasswordInKeychain : profile.passwordInKeychain) {
        m_credentials->readPassword(key, [done](std::optional<QString> secret,
                                                const QString &error) {
            done(secret.value_or(QString()), error);
        });
    } else {
        done({}, {});
    }
}

void MainWindow::withSecret(const ConnectionProfile &profile, bool sentinel,
                            const QString &typed, const std::function<void(const QString &)> &go)
{
    auto ask = [this, profile, sentinel, go](const QString &why) {
        bool ok = false;
        const QString what = sentinel ? tr("Sentinels' password for %1:").arg(profile.options.name)
                                      : tr("Password for %1:").arg(profile.options.name);
        const QString label = why.isEmpty() ? what : tr("%1\n\n%2").arg(why, what);
        const QString password = QInputDialog::getText(this, tr("Password"), label,
                                                       QLineEdit::Password, {}, &ok);
        if (ok)
            go(password);
    };
    if (!typed.isEmpty() || profile.ephemeral) {
        go(typed.isEmpty() ? m_ephemeralPasswords.value(sentinel
                                 ? CredentialStore::sentinelKey(profile.id) : profile.id)
                           : typed);
    } else if (sentinel ? profile.sentinelPasswordInKeychain : profile.passwordInKeychain) {
        readSecret(profile, sentinel, [ask, go](const QString &secret, const QString &error) {
            if (!secret.isEmpty())
                go(secret);
            else
                ask(error.isEmpty() ? tr("The keychain holds no such password for this "
                                         "connection.")
                                    : error);
        });
    } else if (sentinel ? profile.askSentinelPassword : profile.askPassword) {
        ask({});
    } else {
        go({});
    }
}

void MainWindow::withPasswords(
    const ConnectionProfile &profile,
    const std::function<void(const QString &, const QString &)> &go, const QString &typed,
    const QString &typedSentinel)
{
    withSecret(profile, false, typed, [this, profile, go, typedSentinel](const QString &password) {
        withSecret(profile, true, typedSentinel, [go, password](const QString &sentinelPassword) {
            go(password, sentinelPassword);
        });
    });
}

void MainWindow::connectSelected()
{
    const int row = m_connections->rowOf(currentId());
    if (row < 0)
        return;
    const ConnectionProfile profile = m_connections->profileAt(row);
    if (m_sessions.contains(profile.id)) {
        showSession(profile.id);
        return;
    }
    withPasswords(profile, [this, profile](const QString &password,
                                           const QString &sentinelPassword) {
        startSession(profile, password, sentinelPassword);
    });
}

void MainWindow::disconnectSelected()
{
    endSession(currentId());
    showSession(currentId());
}

void MainWindow::startSession(const ConnectionProfile &profile, const QString &password,
                               const QString &sentinelPassword)
{
    endSession(profile.id);
    ConnectionOptions options = profile.options;
    options.password = password;
    options.sentinelPassword = sentinelPassword;
    Session session;
    session.connection = new RedisConnection(options, this);
    session.session = new ConnectionSession(session.connection, this);
    session.model = new StreamListModel(this);
    session.model->setConnection(session.connection);
    session.model->setDeadLetterConventions(deadLetterConventions(profile.id));
    // Attached before anything is sent, so the log misses nothing; a destroyed connection
    // detaches itself.
    m_commandLog->attach(session.connection,
                         options.name.isEmpty() ? options.endpoint() : options.name);
    startAlerts(profile.id, options.name.isEmpty() ? options.endpoint() : options.name);
    const QString id = profile.id;
    connect(session.connection, &RedisConnection::stateChanged, this,
            [this, id](ConnectionState state, const QString &message) {
        onStateChanged(id, state, message);
    });
    connect(session.model, &StreamListModel::deadLetterStreamsChanged, this,
            [this, id] { updateInspectorsDeadLetters(id); });
    // A failover the connection followed: said in the status bar until something else is
    // (the connection's tooltip keeps it too, in its state message).
    connect(session.connection, &RedisConnection::masterChanged, this,
            [this, master = options.masterName](const QString &from, const QString &to) {
        statusBar()->showMessage(
            master.isEmpty()
                ? tr("Failover: cluster master %1 replaced by %2").arg(from, to)
                : tr("Failover: master %1 moved from %2 to %3").arg(master, from, to));
    });
    // On a cluster, a Nodes tab, fed with every slot map the connection reads.
    connect(session.connection, &RedisConnection::topologyChanged, this,
            [this, id] { showNodes(id); });
    // The live monitor, on a connection of its own.
    session.monitorConnection = new RedisConnection(options, this);
    session.monitor = new StreamMonitor(this);
    session.monitor->setConnection(session.monitorConnection);
    StreamMonitor *monitor = session.monitor;
    connect(session.monitorConnection, &RedisConnection::stateChanged, monitor,
            [monitor](ConnectionState state) {
        if (state == ConnectionState::Connected && !monitor->isRunning())
            monitor->start();
    });
    connect(session.model, &StreamListModel::deadLetterStreamsChanged, monitor,
            [monitor, model = session.model] {
        monitor->setDeadLetterStreams(model->deadLetterStreams());
    });
    m_sessions.insert(id, session);
    session.connection->open(true);
    session.monitorConnection->open(true);
    Q_EMIT monitorCreated(id, session.monitor);
    showSession(id);
}

NodesView *MainWindow::nodesView(const QString &id) const
{
    for (int i = 1; i < m_tabs->count(); ++i) {
        QWidget *tab = m_tabs->widget(i);
        if (tab->objectName() == QLatin1String("nodes")
            && tab->property("sessionId").toString() == id)
            return static_cast<NodesView *>(tab);
    }
    return nullptr;
}

// The session's Nodes tab (made on the first slot map, after its dashboard), shown with
// the connection's slot map; every node is asked what it says of itself.
void MainWindow::showNodes(const QString &id)
{
    const auto session = m_sessions.constFind(id);
    if (session == m_sessions.constEnd())
        return;
    RedisConnection *connection = session->connection;
    NodesView *view = nodesView(id);
    if (!view) {
        view = new NodesView(m_tabs);
        view->setObjectName(QStringLiteral("nodes"));
        view->setProperty("sessionId", id);
        connect(view, &NodesView::streamActivated, this, [this, id](const QByteArray &stream) {
            m_connectionsView->setCurrentIndex(m_connections->index(m_connections->rowOf(id)));
            inspect(stream);
        });
        connect(view, &NodesView::refreshRequested, connection,
                &RedisConnection::refreshTopology);
        // The overview's streams, counted on their nodes again when its rows change (at
        // most twice a second while a large keyspace is being listed).
        auto *recount = new QTimer(view);
        recount->setSingleShot(true);
        recount->setInterval(500);
        StreamListModel *model = session->model;
        connect(recount, &QTimer::timeout, view, [view, model] {
            QList<QByteArray> streams;
            streams.reserve(model->rowCount());
            for (int row = 0; row < model->rowCount(); ++row)
                streams.append(model->key(row));
            view->model()->setStreams(streams);
        });
        const auto later = [recount] { recount->start(); };
        connect(model, &QAbstractItemModel::rowsInserted, recount, later);
        connect(model, &QAbstractItemModel::rowsRemoved, recount, later);
        connect(model, &QAbstractItemModel::modelReset, recount, later);
        recount->start();
        int index = 1;
        for (int i = 1; i < m_tabs->count(); ++i) {
            if (m_tabs->widget(i)->objectName() == QLatin1String("dashboard")
                && m_tabs->widget(i)->property("sessionId").toString() == id)
                index = i + 1;
        }
        const int row = m_connections->rowOf(id);
        const QString name = row >= 0 ? m_connections->profileAt(row).options.name : QString();
        index = m_tabs->insertTab(index, view, tr("Nodes · %1").arg(name));
        m_tabs->setTabToolTip(index, tr("The nodes of the cluster %1, and the streams on each")
                                         .arg(name));
        m_tabs->tabBar()->setTabButton(index, QTabBar::RightSide, nullptr);
    }
    const ClusterTopology topology = connection->topology();
    view->model()->setTopology(topology);
    for (const ClusterNode &node : topology.nodes()) {
        const QString address = node.address();
        if (node.health == ClusterNode::Health::Failed) {
            view->model()->setDetails(address, {{}, -1, tr("The cluster marks this node failed")});
            continue;
        }
        connection->sendToNode(address, {RedisCommand{"INFO"}}, view,
                               [view, address](const RedisResult &result) {
            ClusterNodesModel::Details details;
            QString error = result.error;
            const std::optional<ServerInfo> info =
                result.ok() ? parseServerInfo(result.replies.first(), &error) : std::nullopt;
            if (info) {
                details.version = info->displayName();
                details.usedMemoryBytes = info->usedMemoryBytes;
            } else {
                const QString hint = errorHint(error);
                details.error = hint.isEmpty() ? error : error + QLatin1Char('\n') + hint;
            }
            view->model()->setDetails(address, details);
        }, 3000);
    }
}

void MainWindow::openCharts(const QByteArray &stream)
{
    inspect(stream);
    if (auto *inspector = qobject_cast<StreamInspector *>(m_tabs->currentWidget());
        inspector && inspector->key() == stream)
        inspector->showCharts();
}

StreamMonitor *MainWindow::monitor(const QString &connectionId) const
{
    const auto it = m_sessions.constFind(connectionId);
    return it == m_sessions.constEnd() ? nullptr : it->monitor;
}

void MainWindow::inspect(const QByteArray &key)
{
    const QString id = currentId();
    const auto session = m_sessions.constFind(id);
    if (session == m_sessions.constEnd() || key.isEmpty())
        return;
    for (int i = 1; i < m_tabs->count(); ++i) {
        auto *inspector = qobject_cast<StreamInspector *>(m_tabs->widget(i)); // or a dashboard
        if (inspector && inspector->property("sessionId").toString() == id
            && inspector->key() == key) {
            m_tabs->setCurrentIndex(i);
            return;
        }
    }
    auto *inspector = new StreamInspector(session->connection, key, m_tabs);
    inspector->setProperty("sessionId", id);
    const int row = m_connections->rowOf(id);
    const QString connectionName = row >= 0 ? m_connections->profileAt(row).options.name : QString();
    const int index = m_tabs->addTab(inspector, displayKey(key));
    m_tabs->setTabToolTip(index, tr("%1 on %2").arg(displayKey(key), connectionName));
    inspector->setDeadLetters(deadLetterConventions(id),
                              session->model->deadLetterStreams().value(key),
                              !session->model->deadLetterSourceOf(key).isEmpty());
    inspector->groupsPane()->setDeadLetters(deadLetterConventions(id),
                                            session->model->deadLetterStreams().value(key));
    inspector->setHistory(history(id));
    connect(inspector, &StreamInspector::openStreamRequested, this, &MainWindow::inspect);
    // Replay from the Dead letters page: the view's selection and filter are the scope.
    connect(inspector, &StreamInspector::replayRequested, this, [this, inspector] {
        DeadLetterView *view = inspector->deadLetterView();
        if (!view)
            return;
        auto *dialog = new ReplayDialog(view->replaySource(), this);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        dialog->setObjectName(QStringLiteral("replayDialog"));
        const QString id = inspector->property("sessionId").toString();
        const QPointer<StreamInspector> shown = inspector; // its tab may be closed meanwhile
        connect(dialog, &ReplayDialog::replayed, this, [this, shown, id] {
            if (shown)
                shown->refresh(); // what is left of the dead letters
            if (const auto session = m_sessions.constFind(id); session != m_sessions.constEnd())
                session->model->reloadDetails(); // dead-letter counts, the targets' lengths
        });
        dialog->open();
    });
    // Field names kept for one dead-letter stream are the connection's to save.
    if (DeadLetterView *view = inspector->deadLetterView()) {
        connect(view, &DeadLetterView::conventionsEdited, this,
                [this, id](const DeadLetterConventions &c) { setDeadLetterConventions(id, c); });
    }
    m_tabs->setCurrentIndex(index);
}

DeadLetterConventions MainWindow::deadLetterConventions(const QString &connectionId) const
{
    const auto known = m_deadLetters.constFind(connectionId);
    if (known != m_deadLetters.constEnd())
        return *known;
    const int row = m_connections->rowOf(connectionId);
    if (row < 0 || m_connections->profileAt(row).ephemeral)
        return DeadLetterConventions::defaults();
    const DeadLetterConventions loaded = DeadLetterConventions::load(
        *m_settings, QStringLiteral("connections/") + connectionId);
    m_deadLetters.insert(connectionId, loaded);
    return loaded;
}

void MainWindow::setDeadLetterConventions(const QString &connectionId,
                                          const DeadLetterConventions &conventions)
{
    m_deadLetters.insert(connectionId, conventions);
    const int row = m_connections->rowOf(connectionId);
    if (row >= 0 && !m_connections->profileAt(row).ephemeral) {
        conventions.save(*m_settings, QStringLiteral("connections/") + connectionId);
        m_settings->sync();
    }
    const auto session = m_sessions.constFind(connectionId);
    if (session != m_sessions.constEnd())
        session->model->setDeadLetterConventions(conventions); // updates the inspectors too
    updateInspectorsDeadLetters(connectionId);
}

void MainWindow::updateInspectorsDeadLetters(const QString &id)
{
    const auto session = m_sessions.constFind(id);
    if (session == m_sessions.constEnd())
        return;
    for (int i = 1; i < m_tabs->count(); ++i) {
        auto *inspector = qobject_cast<StreamInspector *>(m_tabs->widget(i));
        if (!inspector || inspector->property("sessionId").toString() != id)
            continue;
        const QByteArray key = inspector->key();
        inspector->setDeadLetters(deadLetterConventions(id),
                                  session->model->deadLetterStreams().value(key),
                                  !session->model->deadLetterSourceOf(key).isEmpty());
        inspector->groupsPane()->setDeadLetters(deadLetterConventions(id),
                                                session->model->deadLetterStreams().value(key));
    }
}

void MainWindow::storeProfile(const ConnectionProfile &profile)
{
    const QString group = QStringLiteral("connections/") + profile.id;
    const bool hadDeadLetters = m_settings->contains(group + QStringLiteral("/deadLetters/patterns"));
    const DeadLetterConventions deadLetters = deadLetterConventions(profile.id);
    const bool hadAlerts = m_settings->contains(group + QStringLiteral("/alerts/backlog/enabled"));
    const AlertRules alerts = alertRules(profile.id);
    m_store.save(profile);
    if (hadDeadLetters) {
        deadLetters.save(*m_settings, group);
        m_settings->sync();
    }
    if (hadAlerts) {
        alerts.save(*m_settings, group);
        m_settings->sync();
    }
}

void MainWindow::editDeadLetters()
{
    const QString id = currentId();
    const int row = m_connections->rowOf(id);
    if (row < 0)
        return;
    DeadLetterSettingsDialog dialog(m_connections->profileAt(row).options.name,
                                    deadLetterConventions(id), this);
    dialog.setObjectName(QStringLiteral("deadLetterSettings"));
    const auto session = m_sessions.constFind(id);
    if (session != m_sessions.constEnd()) {
        QList<QByteArray> keys;
        for (int r = 0; r < session->model->rowCount(); ++r)
            keys.append(session->model->key(r));
        dialog.setStreamKeys(keys);
        dialog.setConnection(session->connection); // Detect samples the dead letters
    }
    if (dialog.exec() == QDialog::Accepted)
        setDeadLetterConventions(id, dialog.conventions());
}

void MainWindow::endSession(const QString &id)
{
    const auto it = m_sessions.find(id);
    if (it == m_sessions.end())
        return;
    const Session session = it.value();
    m_sessions.erase(it);
    endAlerts(id);
    // Its inspectors go first: they use its connection (and its history).
    for (int i = m_tabs->count() - 1; i > 0; --i) {
        if (m_tabs->widget(i)->property("sessionId").toString() == id)
            delete m_tabs->widget(i);
    }
    if (m_streams->model() == session.model)
        m_streams->setModel(nullptr);
    delete session.monitor;
    delete m_histories.take(id);
    delete session.monitorConnection;
    delete session.model;
    delete session.session; // closes its connection; joins its thread (never blocks)
    m_connections->setStatus(id, ConnectionState::Disconnected, {});
    updateActions();
    updateStatus();
}

void MainWindow::onStateChanged(const QString &id, ConnectionState state, const QString &message)
{
    auto it = m_sessions.find(id);
    if (it == m_sessions.end())
        return;
    m_connections->setStatus(id, state, message);
    if (state == ConnectionState::Connected) {
        // First time: list the streams. After a reconnect: refresh what is shown.
        if (!it->listed) {
            it->listed = true;
            it->model->refresh();
        } else {
            it->model->reloadDetails();
        }
    }
    if (id == currentId())
        showSession(id);
}

void MainWindow::onSelectionChanged()
{
    showSession(currentId());
}

void MainWindow::showSession(const QString &id)
{
    const auto it = m_sessions.constFind(id);
    if (it == m_sessions.constEnd()) {
        m_streams->setModel(nullptr);
        const bool known = m_connections->rowOf(id) >= 0;
        if (known)
            m_streams->setBanner(tr("Not connected. Double-click the connection or press "
                                    "Connect."));
        else if (m_connections->rowCount() == 0)
            m_streams->setBanner(tr("No connections yet. Add one with New connection… (%1), "
                                    "or start Weir with --demo to try it on a live demo "
                                    "queue.")
                                     .arg(m_newAction->shortcut().toString(
                                         QKeySequence::NativeText)));
        else
            m_streams->setBanner({});
    } else {
        if (m_streams->model() != it->model)
            m_streams->setModel(it->model);
        const ConnectionState state = it->connection->state();
        const QString message = it->connection->stateMessage();
        if (state == ConnectionState::Failed)
            m_streams->setBanner(message, errorHint(message), StreamsPane::Banner::Problem);
        else if (state == ConnectionState::Reconnecting)
            m_streams->setBanner(message, errorHint(message), StreamsPane::Banner::Problem);
        else
            m_streams->setBanner({});
    }
    updateActions();
    updateStatus();
}

void MainWindow::updateActions()
{
    const QString id = currentId();
    const bool selected = !id.isEmpty();
    const bool open = m_sessions.contains(id);
    m_editAction->setEnabled(selected);
    m_deadLettersAction->setEnabled(selected);
    m_alertRulesAction->setEnabled(selected);
    m_removeAction->setEnabled(selected);
    m_connectAction->setEnabled(selected && !open);
    m_disconnectAction->setEnabled(open);
    m_refreshAction->setEnabled(open
                                && m_sessions.value(id).connection->state()
                                    == ConnectionState::Connected);
}

void MainWindow::updateStatus()
{
    const auto it = m_sessions.constFind(currentId());
    if (it == m_sessions.constEnd()) {
        m_stateLabel->setText(tr("Not connected"));
        m_serverLabel->clear();
        return;
    }
    const RedisConnection *c = it->connection;
    m_stateLabel->setText(connectionStateName(c->state()) + QStringLiteral(" · ")
                          + c->options().endpoint());
    const ServerInfo &info = c->serverInfo();
    if (!info.isKnown()) {
        m_serverLabel->clear();
    } else {
        m_serverLabel->setText(tr("%1 · %2 · %3%4")
                                   .arg(info.displayName(), info.mode, info.role,
                                        c->options().readOnly ? tr(" · read-only") : QString()));
        m_serverLabel->setToolTip(info.displayName() + info.compatibilityNote());
    }
}

void MainWindow::startAlerts(const QString &id, const QString &name)
{
    endAlerts(id);
    auto *engine = new AlertEngine(id, name, this);
    engine->setRules(alertRules(id));
    connect(engine, &AlertEngine::changed, m_alertLog, &AlertLogModel::append);
    connect(engine, &AlertEngine::changed, m_alertNotifier, &AlertNotifier::notify);
    m_alertEngines.insert(id, engine);
}

void MainWindow::endAlerts(const QString &id)
{
    delete m_alertEngines.take(id);
    m_alertLog->endConnection(id); // not watched any more: its alerts are not active
}

AlertRules MainWindow::alertRules(const QString &connectionId) const
{
    const auto known = m_alertRules.constFind(connectionId);
    if (known != m_alertRules.constEnd())
        return *known;
    const int row = m_connections->rowOf(connectionId);
    if (row < 0 || m_connections->profileAt(row).ephemeral)
        return AlertRules::defaults();
    const AlertRules loaded =
        AlertRules::load(*m_settings, QStringLiteral("connections/") + connectionId);
    m_alertRules.insert(connectionId, loaded);
    return loaded;
}

void MainWindow::setAlertRules(const QString &connectionId, const AlertRules &rules)
{
    m_alertRules.insert(connectionId, rules);
    const int row = m_connections->rowOf(connectionId);
    if (row >= 0 && !m_connections->profileAt(row).ephemeral) {
        rules.save(*m_settings, QStringLiteral("connections/") + connectionId);
        m_settings->sync();
    }
    if (AlertEngine *engine = m_alertEngines.value(connectionId))
        engine->setRules(rules); // in force from the next tick
}

void MainWindow::editAlertRules()
{
    const QString id = currentId();
    const int row = m_connections->rowOf(id);
    if (row < 0)
        return;
    auto *dialog = new AlertRulesDialog(m_connections->profileAt(row).options.name,
                                        alertRules(id), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setObjectName(QStringLiteral("alertRulesDialog"));
    const auto session = m_sessions.constFind(id);
    if (session != m_sessions.constEnd()) {
        QList<QByteArray> keys;
        for (int r = 0; r < session->model->rowCount(); ++r)
            keys.append(session->model->key(r));
        dialog->setStreamKeys(keys);
    }
    connect(dialog, &QDialog::accepted, this,
            [this, id, dialog] { setAlertRules(id, dialog->rules()); });
    dialog->open();
}
