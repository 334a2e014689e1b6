#include "mainwindow.h"

#include "alertlogmodel.h"
#include "alertrules.h"
#include "alertspane.h"
#include "commandlogdock.h"
#include "connectioncommands.h"
#include "connectionprofiles.h"
#include "connectionsession.h"
#include "errorhint.h"
#include "historystore.h"
#include "notifier.h"
#include "preferencesdialog.h"
#include "profilestate.h"
#include "sessionmanager.h"
#include "sessionworkspace.h"
#include "streaminspector.h"
#include "streamlistmodel.h"
#include "streamspane.h"
#include "viewstate.h"
#include "windowgeometry.h"

#include <QAction>
#include <QActionGroup>
#include <QFileInfo>
#include <QLabel>
#include <QListView>
#include <QMenuBar>
#include <QSettings>
#include <QSplitter>
#include <QStatusBar>
#include <QStyle>
#include <QTabBar>
#include <QTabWidget>
#include <QTimer>
#include <QToolBar>
#include <QToolButton>

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
    , m_profiles(new ProfileState(settings, credentials, this))
    , m_sessions(new SessionManager(m_profiles, this))
    , m_commands(
          new ConnectionCommands(m_profiles, m_sessions, this, [this] { return currentId(); }))
    , m_connectionsView(new QListView(this))
    , m_streams(new StreamsPane(this))
    , m_tabs(new QTabWidget(this))
    , m_commandLogDock(new CommandLogDock(m_sessions->commandLog(), this))
    , m_alertsPane(new AlertsPane(m_sessions->alertLog(), this))
    , m_alertNotifier(new AlertNotifier(this, this))
    , m_stateLabel(new QLabel(this))
    , m_serverLabel(new QLabel(this))
    , m_autoRefresh(new QTimer(this))
    , m_autoRefreshButton(new QToolButton(this))
{
    Q_INIT_RESOURCE(weir); // the icons, compiled into a static library
    m_sessions->setHistoryDirectory(historyDirectory(*settings));
    m_sessions->setHistoryRetention(PreferencesDialog::loadRetention(*settings));
    setWindowTitle(tr("Weir"));
    setWindowIcon(QIcon(QStringLiteral(":/icons/weir.svg")));
    createActions();
    createMenus();
    createLayout();

    connect(m_sessions, &SessionManager::sessionStarted, this, &MainWindow::onSessionStarted);
    connect(m_sessions, &SessionManager::sessionEnding, this, &MainWindow::onSessionEnding);
    connect(m_sessions, &SessionManager::sessionEnded, this, [this](const QString &id) {
        m_profiles->list()->setStatus(id, ConnectionState::Disconnected, {});
        updateActions();
        updateStatus();
    });
    connect(m_commands, &ConnectionCommands::created, this, &MainWindow::select);
    connect(m_sessions->alertLog(), &AlertLogModel::activeChanged, this,
            [this] { m_alertNotifier->setActiveCount(m_sessions->alertLog()->activeCount()); });
    connect(m_streams, &StreamsPane::retryRequested, this, [this] {
        m_sessions->end(currentId());
        connectSelected();
    });
    connect(m_streams, &StreamsPane::countsChanged, this, &MainWindow::updateStatus);
    connect(m_streams, &StreamsPane::streamActivated, this, [this](const QByteArray &key) {
        if (SessionWorkspace *w = workspace(currentId()))
            w->inspect(key);
    });

    restoreWindowGeometry(this, *m_settings);
    setAutoRefreshSeconds(m_settings->value(QStringLiteral("view/autoRefreshSeconds"), 5).toInt());
    showSession();
}

// The workspaces (and with them the inspectors) go while the window is whole, before the
// sessions they use.
MainWindow::~MainWindow()
{
    setColumnWidthSettings(nullptr);
    saveWindowGeometry(this, *m_settings);
    m_sessions->endAll();
}

void MainWindow::createActions()
{
    const auto action = [this](QStyle::StandardPixmap icon, const QString &text, auto slot) {
        auto *a = new QAction(style()->standardIcon(icon), text, this);
        connect(a, &QAction::triggered, this, slot);
        return a;
    };
    m_connectAction = action(QStyle::SP_MediaPlay, tr("&Connect"), [this] { connectSelected(); });
    m_disconnectAction = action(QStyle::SP_MediaStop, tr("&Disconnect"), [this] {
        m_sessions->end(currentId());
        showSession();
    });
    // F5 refreshes what is in front: the overview, or the stream being inspected.
    m_refreshAction =
        action(QStyle::SP_BrowserReload, tr("&Refresh"), [this] { refreshInFront(false); });
    m_refreshAction->setShortcut(QKeySequence::Refresh);
    m_refreshAction->setToolTip(tr("Read again what is shown: the streams, or the stream being "
                                   "inspected (F5)"));
    m_preferencesAction = new QAction(tr("&Preferences…"), this);
    // The platform's key, or Ctrl+, as GNOME and KDE applications have it where the platform
    // names none.
    m_preferencesAction->setShortcut(QKeySequence::keyBindings(QKeySequence::Preferences).isEmpty()
                                         ? QKeySequence(Qt::CTRL | Qt::Key_Comma)
                                         : QKeySequence(QKeySequence::Preferences));
    m_preferencesAction->setMenuRole(QAction::PreferencesRole);
    m_preferencesAction->setToolTip(tr("How long the monitoring history is kept, and its size "
                                       "on disk"));
    connect(m_preferencesAction, &QAction::triggered, this, &MainWindow::openPreferences);
    m_quitAction = new QAction(tr("&Quit"), this);
    m_quitAction->setShortcut(QKeySequence::Quit);
    connect(m_quitAction, &QAction::triggered, this, &QWidget::close);
    connect(m_alertsPane, &AlertsPane::rulesRequested, m_commands,
            &ConnectionCommands::editAlertRules);
}

void MainWindow::createMenus()
{
    QMenu *fileMenu = menuBar()->addMenu(tr("&Connection"));
    fileMenu->addActions(
        {m_commands->newAction(), m_commands->editAction(), m_commands->removeAction()});
    fileMenu->addSeparator();
    fileMenu->addActions({m_connectAction, m_disconnectAction});
    fileMenu->addSeparator();
    fileMenu->addActions({m_commands->deadLettersAction(), m_commands->alertRulesAction()});
    fileMenu->addSeparator();
    fileMenu->addAction(m_preferencesAction);
    fileMenu->addSeparator();
    fileMenu->addAction(m_quitAction);
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
    connect(m_autoRefresh, &QTimer::timeout, this, [this] { refreshInFront(true); });
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
    toolbar->addActions({m_commands->newAction(), m_connectAction, m_disconnectAction});
    toolbar->addSeparator();
    toolbar->addAction(m_refreshAction);
    m_autoRefreshButton->setObjectName(QStringLiteral("autoRefreshButton"));
    m_autoRefreshButton->setMenu(m_autoRefreshMenu);
    m_autoRefreshButton->setPopupMode(QToolButton::InstantPopup);
    m_autoRefreshButton->setToolTip(m_autoRefreshMenu->toolTip());
    toolbar->addWidget(m_autoRefreshButton);
}

void MainWindow::createLayout()
{
    m_connectionsView->setObjectName(QStringLiteral("connectionList"));
    m_connectionsView->setModel(m_profiles->list());
    m_connectionsView->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_connectionsView->setContextMenuPolicy(Qt::ActionsContextMenu);
    m_connectionsView->addActions({m_connectAction, m_disconnectAction, m_commands->editAction(),
                                   m_commands->removeAction(), m_commands->deadLettersAction()});
    connect(m_connectionsView->selectionModel(), &QItemSelectionModel::currentChanged, this,
            &MainWindow::showSession);
    connect(m_connectionsView, &QListView::activated, this, &MainWindow::connectSelected);

    // The overview first, then the sessions' tabs.
    m_tabs->setObjectName(QStringLiteral("tabs"));
    m_tabs->setDocumentMode(true);
    m_tabs->setTabsClosable(true);
    m_tabs->addTab(m_streams, tr("Streams"));
    m_tabs->tabBar()->setTabButton(0, QTabBar::RightSide, nullptr);
    connect(m_tabs, &QTabWidget::tabCloseRequested, this, [this](int index) {
        if (index > 0)
            delete m_tabs->widget(index); // only inspectors have a close button
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

    m_stateLabel->setObjectName(QStringLiteral("connectionState"));
    m_serverLabel->setObjectName(QStringLiteral("serverInfo"));
    m_stateLabel->setContentsMargins(12, 0, 4, 0);
    statusBar()->addPermanentWidget(m_serverLabel);
    statusBar()->addPermanentWidget(m_stateLabel);
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

SessionWorkspace *MainWindow::inspectorInFront() const
{
    for (SessionWorkspace *w : m_workspaces) {
        if (w->inspectorOf(m_tabs->currentWidget()))
            return w;
    }
    return nullptr;
}

// F5 (or an auto-refresh tick) reads what is in front. A tick reads only while the
// connection is up: it never queues requests behind a reconnect.
void MainWindow::refreshInFront(bool tick)
{
    if (SessionWorkspace *w = inspectorInFront()) {
        if (!tick || w->session()->state() == ConnectionState::Connected)
            w->inspectorOf(m_tabs->currentWidget())->refresh();
    } else if (tick) {
        m_streams->refreshDetails();
    } else {
        m_streams->refresh();
    }
}

QString MainWindow::currentId() const
{
    const QModelIndex index = m_connectionsView->currentIndex();
    return index.isValid() ? index.data(ConnectionListModel::IdRole).toString() : QString();
}

ConnectionSession *MainWindow::currentSession() const
{
    return m_sessions->session(currentId());
}

void MainWindow::select(const QString &id)
{
    m_connectionsView->setCurrentIndex(m_profiles->list()->index(m_profiles->list()->rowOf(id)));
}

QString MainWindow::historyDirectory(const QSettings &settings)
{
    QString set = settings.value(QStringLiteral("history/directory")).toString();
    if (!set.isEmpty())
        return set;
    if (settings.format() == QSettings::IniFormat)
        return QFileInfo(settings.fileName()).absolutePath() + QStringLiteral("/history");
    return HistoryStore::defaultDirectory();
}

void MainWindow::openPreferences()
{
    if (!m_preferences) {
        m_preferences = new PreferencesDialog(m_settings, m_sessions, currentSession(), this);
        m_preferences->setAttribute(Qt::WA_DeleteOnClose);
        m_preferences->open();
    }
    m_preferences->raise();
    m_preferences->activateWindow();
}

void MainWindow::openEphemeral(const ConnectionOptions &options, const QString &id)
{
    const ConnectionProfile profile = m_profiles->addEphemeral(options, id);
    select(profile.id);
    m_sessions->start(profile.id, options);
}

void MainWindow::connectSelected()
{
    if (currentSession())
        showSession();
    else
        m_commands->connectTo(currentId());
}

void MainWindow::onSessionStarted(ConnectionSession *session)
{
    const QString id = session->profileId();
    auto *workspace = new SessionWorkspace(session, m_profiles, m_tabs, this);
    m_workspaces.insert(id, workspace);
    connect(workspace, &SessionWorkspace::activated, this, [this, id] { select(id); });
    connect(session->alertEngine(), &AlertEngine::changed, m_alertNotifier, &AlertNotifier::notify);
    connect(session, &ConnectionSession::historyNoticeChanged, this, [this, session] {
        showHistoryNotice(session);
        if (session == currentSession())
            showSession();
    });
    connect(session, &ConnectionSession::stateChanged, this,
            [this, id](ConnectionState state, const QString &message) {
        m_profiles->list()->setStatus(id, state, message);
        if (id == currentId())
            showSession();
    });
    // A failover the connection followed: said in the status bar until something else is
    // (the connection's tooltip keeps it too, in its state message).
    connect(session, &ConnectionSession::masterChanged, this,
            [this, master = session->options().masterName](const QString &from, const QString &to) {
        statusBar()->showMessage(
            master.isEmpty() ? tr("Failover: cluster master %1 replaced by %2").arg(from, to)
                             : tr("Failover: master %1 moved from %2 to %3").arg(master, from, to));
    });
    showSession();
}

void MainWindow::showHistoryNotice(ConnectionSession *session)
{
    if (!session->historyNotice().isEmpty())
        statusBar()->showMessage(
            tr("History of %1: %2").arg(session->name(), session->historyNotice()));
}

void MainWindow::onSessionEnding(ConnectionSession *session)
{
    delete m_workspaces.take(session->profileId());
    if (m_streams->model() == session->overview())
        m_streams->setModel(nullptr);
}

// The overview shows the selected connection's streams, or says why there are none.
void MainWindow::showSession()
{
    const ConnectionSession *session = currentSession();
    if (!session) {
        m_streams->setModel(nullptr);
        if (m_profiles->find(currentId()))
            m_streams->setBanner(tr("Not connected. Double-click the connection or press "
                                    "Connect."));
        else if (m_profiles->list()->rowCount() == 0)
            m_streams->setBanner(
                tr("No connections yet. Add one with New connection… (%1), "
                   "or start Weir with --demo to try it on a live demo "
                   "queue.")
                    .arg(m_commands->newAction()->shortcut().toString(QKeySequence::NativeText)));
        else
            m_streams->setBanner({});
    } else {
        if (m_streams->model() != session->overview())
            m_streams->setModel(session->overview());
        const ConnectionState state = session->state();
        const QString message = session->stateMessage();
        if (state == ConnectionState::Failed || state == ConnectionState::Reconnecting)
            m_streams->setBanner(message, errorHint(message), StreamsPane::Banner::Problem);
        else // the history's notice, if any: monitoring goes on, so only a note
            m_streams->setBanner(session->historyNotice(), session->historyHint());
    }
    updateActions();
    updateStatus();
}

void MainWindow::updateActions()
{
    const bool selected = !currentId().isEmpty();
    const ConnectionSession *session = currentSession();
    for (QAction *a : {m_commands->editAction(), m_commands->deadLettersAction(),
                       m_commands->alertRulesAction(), m_commands->removeAction()})
        a->setEnabled(selected);
    m_connectAction->setEnabled(selected && !session);
    m_disconnectAction->setEnabled(session != nullptr);
    m_refreshAction->setEnabled(session != nullptr
                                && session->state() == ConnectionState::Connected);
}

void MainWindow::updateStatus()
{
    const ConnectionSession *session = currentSession();
    if (!session) {
        m_stateLabel->setText(tr("Not connected"));
        m_serverLabel->clear();
        return;
    }
    m_stateLabel->setText(connectionStateName(session->state()) + QStringLiteral(" · ")
                          + session->options().endpoint());
    const ServerInfo &info = session->serverInfo();
    if (!info.isKnown()) {
        m_serverLabel->clear();
    } else {
        m_serverLabel->setText(tr("%1 · %2 · %3%4")
                                   .arg(info.displayName(), info.mode, info.role,
                                        session->isReadOnly() ? tr(" · read-only") : QString()));
        m_serverLabel->setToolTip(info.displayName() + info.compatibilityNote());
    }
}
