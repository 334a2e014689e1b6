#pragma once

#include "connectioncommands.h"
#include "preferencesdialog.h"
#include "sessionmanager.h"

#include <QHash>
#include <QMainWindow>
#include <QPointer>

class AlertNotifier;
class AlertsPane;
class CommandLogDock;
class ConnectionSession;
class CredentialStore;
class ProfileState;
class QAction;
class QLabel;
class QListView;
class QMenu;
class QSettings;
class QTabWidget;
class QTimer;
class QToolButton;
class SessionWorkspace;
class StreamsPane;
struct ConnectionOptions;

// Connections on the left; on the right the overview of the selected connection's streams,
// then the tabs of every open session (see SessionWorkspace); the command log and the alerts
// in docks; the selected connection's state and server in the status bar. Sessions belong
// to sessions() (a SessionManager), what is kept per connection to profiles(). The
// sessions keep their history in historyDirectory(settings), for the retention the
// preferences keep in the settings.
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    MainWindow(QSettings *settings, CredentialStore *credentials, QWidget *parent = nullptr);
    ~MainWindow() override;

    // Adds a connection that is not saved (the demo, or a URL from the command line),
    // selects it and connects. `id`: its profile id, the same every run (so that its
    // history on disk is found again), or empty for a new one.
    void openEphemeral(const ConnectionOptions &options, const QString &id = {});

    // Where the sessions keep their history: the settings' history/directory when set;
    // else beside the settings file when Weir was given one of its own (--settings, and
    // the tests: their runs never mix their history with the user's); else the user's
    // data location (HistoryStore::defaultDirectory()).
    static QString historyDirectory(const QSettings &settings);

    SessionManager *sessions() const { return m_sessions; }
    ProfileState *profiles() const { return m_profiles; }
    // The selected connection's session, or null.
    ConnectionSession *currentSession() const;
    // The tabs of a session (by profile id), or null.
    SessionWorkspace *workspace(const QString &id) const { return m_workspaces.value(id); }

    StreamsPane *streamsPane() const { return m_streams; }
    QListView *connectionsView() const { return m_connectionsView; }
    QTabWidget *tabs() const { return m_tabs; }
    // Every request of every session (and of connection tests), in a dock hidden at first.
    CommandLogModel *commandLog() const { return m_sessions->commandLog(); }
    CommandLogDock *commandLogDock() const { return m_commandLogDock; }
    // Alerts of every connection: the log (with the alerts active now), its dock, and what
    // tells the user when the window is not active.
    AlertLogModel *alertLog() const { return m_sessions->alertLog(); }
    AlertsPane *alertsPane() const { return m_alertsPane; }
    AlertNotifier *alertNotifier() const { return m_alertNotifier; }
    // Connection > Alert rules… and Dead letters…: edit the selected connection's.
    QAction *alertRulesAction() const { return m_commands->alertRulesAction(); }
    QAction *deadLettersAction() const { return m_commands->deadLettersAction(); }
    // Connection > Preferences… (the history's retention and size): opens the dialog, or
    // brings it to the front.
    QAction *preferencesAction() const { return m_preferencesAction; }
    PreferencesDialog *preferencesDialog() const { return m_preferences; }
    void openPreferences();
    // Every `seconds` (0: never), what is in front is read again as F5 would: the details
    // of the listed streams, or the stream being inspected. Saved in the settings.
    void setAutoRefreshSeconds(int seconds);
    int autoRefreshSeconds() const { return m_autoRefreshSeconds; }

private:
    void createActions();
    void createMenus();
    void createLayout();
    QString currentId() const;
    void select(const QString &id);
    void connectSelected();
    void onSessionStarted(ConnectionSession *session);
    void onSessionEnding(ConnectionSession *session);
    // The session's history is not recorded on disk as usual: said once, in the status bar.
    void showHistoryNotice(ConnectionSession *session);
    // The workspace whose inspector is in front, or null.
    SessionWorkspace *inspectorInFront() const;
    void refreshInFront(bool tick);
    void showSession();
    void updateActions();
    void updateStatus();

    QSettings *m_settings;
    ProfileState *m_profiles;
    SessionManager *m_sessions;
    ConnectionCommands *m_commands;
    QHash<QString, SessionWorkspace *> m_workspaces; // by profile id
    QListView *m_connectionsView;
    StreamsPane *m_streams;
    QTabWidget *m_tabs;
    CommandLogDock *m_commandLogDock;
    AlertsPane *m_alertsPane;
    AlertNotifier *m_alertNotifier;
    QLabel *m_stateLabel;
    QLabel *m_serverLabel;
    QAction *m_connectAction = nullptr;
    QAction *m_disconnectAction = nullptr;
    QAction *m_refreshAction = nullptr;
    QAction *m_quitAction = nullptr;
    QAction *m_preferencesAction = nullptr;
    QPointer<PreferencesDialog> m_preferences;
    QTimer *m_autoRefresh;
    int m_autoRefreshSeconds = 0;
    QMenu *m_autoRefreshMenu = nullptr;
    QToolButton *m_autoRefreshButton;
};
