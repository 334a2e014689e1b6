#pragma once

#include "alertrules.h"
#include "connectionprofiles.h"
#include "deadletters.h"
#include "redisworker.h"

#include <QHash>
#include <QMainWindow>

class AlertEngine;
class AlertLogModel;
class AlertNotifier;
class AlertsPane;
class CommandLogDock;
class CommandLogModel;
class ConnectionSession;
class ConnectionProbe;
class NodesView;
class CredentialStore;
class QAction;
class QLabel;
class QListView;
class QMenu;
class QSettings;
class QTabWidget;
class QTimer;
class QToolButton;
class RedisConnection;
class StreamListModel;
class SeriesHistory;
class StreamMonitor;
class StreamsPane;

// Connections on the left, the selected connection's streams on the right. Each
// connection that was opened keeps a session (its RedisConnection and overview model)
// until it is disconnected or removed.
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    MainWindow(QSettings *settings, CredentialStore *credentials, QWidget *parent = nullptr);
    ~MainWindow() override;

    // Adds a connection that is not saved (the demo, or a URL from the command line),
    // selects it and connects.
    void openEphemeral(const ConnectionOptions &options);
    StreamsPane *streamsPane() const { return m_streams; }
    QListView *connectionsView() const { return m_connectionsView; }
    QTabWidget *tabs() const { return m_tabs; }
    // Every request of every session (and of connection tests), in a dock hidden at first.
    CommandLogModel *commandLog() const { return m_commandLog; }
    CommandLogDock *commandLogDock() const { return m_commandLogDock; }
    // Alerts of every connection: the log (with the alerts active now), its dock, and what
    // tells the user when the window is not active.
    AlertLogModel *alertLog() const { return m_alertLog; }
    AlertsPane *alertsPane() const { return m_alertsPane; }
    AlertNotifier *alertNotifier() const { return m_alertNotifier; }
    // The alert engine of a connection (by profile id) while it has a session, else null.
    // It evaluates every tick of the connection's monitor; its changes go to the log and
    // the notifier.
    AlertEngine *alertEngine(const QString &connectionId) const
    {
        return m_alertEngines.value(connectionId);
    }
    // A connection's alert rules (saved with its profile unless it is ephemeral).
    AlertRules alertRules(const QString &connectionId) const;
    void setAlertRules(const QString &connectionId, const AlertRules &rules);
    // Connection > Alert rules…: edits the selected connection's rules.
    QAction *alertRulesAction() const { return m_alertRulesAction; }
    // Every `seconds` (0: never), what is in front is read again as F5 would: the details
    // of the listed streams, or the stream being inspected. Saved in the settings.
    void setAutoRefreshSeconds(int seconds);
    int autoRefreshSeconds() const { return m_autoRefreshSeconds; }
    // The dead-letter conventions in force for a connection (by profile id): its saved
    // ones, an ephemeral connection's in-memory ones, or the defaults.
    DeadLetterConventions deadLetterConventions(const QString &connectionId) const;
    // Replaces them (saved with the profile unless it is ephemeral) and applies them to
    // the connection's overview and inspectors.
    void setDeadLetterConventions(const QString &connectionId,
                                  const DeadLetterConventions &conventions);
    // Connection > Dead letters…: edits the selected connection's conventions.
    QAction *deadLettersAction() const { return m_deadLettersAction; }
    // The live monitor of a connection (by profile id) while it has a session, else null.
    // Each session's monitor samples on a connection of its own (same options, not in the
    // command log, never queued behind the operator's requests), watches every stream up
    // to its cap with the overview's dead-letter pairing, and starts once connected.
    // It is deleted when the session ends (QObject::destroyed).
    StreamMonitor *monitor(const QString &connectionId) const;
    // The selected connection's monitor, or null.
    StreamMonitor *currentMonitor() const { return monitor(currentId()); }
    // The history of a connection's monitor (24 h of the charted figures), fed by its
    // sampled() while the session lasts; null without a session. Inspectors draw their
    // Charts page from it.
    SeriesHistory *history(const QString &connectionId) const
    {
        return m_histories.value(connectionId);
    }
    // Inspects `stream` of the selected connection with its Charts page shown (a
    // dashboard row's charts).
    void openCharts(const QByteArray &stream);
    // The Nodes tab of a session on a cluster, or nullptr.
    NodesView *nodesView(const QString &id) const;

Q_SIGNALS:
    // A session began: its monitor exists now (not started until its connection is up).
    void monitorCreated(const QString &connectionId, StreamMonitor *monitor);

private:
    void openAtDefaultSize();
    void fitIntoScreen();
    struct Session
    {
        RedisConnection *connection = nullptr; // owned by session
        ConnectionSession *session = nullptr;
        StreamListModel *model = nullptr;
        bool listed = false; // the first scan has been started
        RedisConnection *monitorConnection = nullptr;
        StreamMonitor *monitor = nullptr;
    };

    void newConnection();
    void editConnection();
    void removeConnection();
    void connectSelected();
    void disconnectSelected();
    void onSelectionChanged();
    void startSession(const ConnectionProfile &profile, const QString &password,
                      const QString &sentinelPassword);
    // Calls go with the profile's password and sentinels' password: the ones typed just now
    // when not empty, else from memory (ephemeral), the keychain, or asked for. go is not
    // called when the user cancels a question.
    void withPasswords(const ConnectionProfile &profile,
                       const std::function<void(const QString &password,
                                                const QString &sentinelPassword)> &go,
                       const QString &typed = {}, const QString &typedSentinel = {});
    void withSecret(const ConnectionProfile &profile, bool sentinel, const QString &typed,
                    const std::function<void(const QString &secret)> &go);
    // A saved password (sentinel: the sentinels') as kept: from memory (ephemeral) or the
    // keychain; empty when none is kept, with the keychain's error when it failed.
    void readSecret(const ConnectionProfile &profile, bool sentinel,
                    const std::function<void(const QString &secret, const QString &error)> &done);
    void endSession(const QString &id);
    // Opens (or shows) a tab inspecting `key` of the selected connection.
    void inspect(const QByteArray &key);
    void showNodes(const QString &id);
    void onStateChanged(const QString &id, ConnectionState state, const QString &message);
    void showSession(const QString &id);
    void updateActions();
    void updateStatus();
    void autoRefresh();
    QString currentId() const;
    void saveProfile(const ConnectionProfile &profile, const QString &password,
                     const QString &sentinelPassword, bool remember);
    // Writes a password (sentinel: the sentinels') to the keychain, or deletes the one kept
    // when it is not to be remembered; when the keychain refuses, the profile asks for it on
    // connect instead.
    void keepSecret(const ConnectionProfile &profile, bool sentinel, const QString &secret,
                    bool remember);
    // ProfileStore::save rewrites the profile's group: its dead-letter conventions are
    // written again after it.
    void storeProfile(const ConnectionProfile &profile);
    void editDeadLetters();
    // Gives a session's open inspectors their dead-letter stream and conventions again.
    void updateInspectorsDeadLetters(const QString &id);

    QSettings *m_settings;
    CredentialStore *m_credentials;
    ProfileStore m_store;
    ConnectionListModel *m_connections;
    ConnectionProbe *m_probe;
    QListView *m_connectionsView;
    StreamsPane *m_streams;
    QTabWidget *m_tabs;
    CommandLogModel *m_commandLog;
    CommandLogDock *m_commandLogDock;
    QHash<QString, Session> m_sessions;
    // Passwords of ephemeral connections, by profile id (and the sentinels' by
    // CredentialStore::sentinelKey): never saved, kept in memory for as long as the
    // connection is listed, so Connect after Disconnect (or Retry) works.
    QHash<QString, QString> m_ephemeralPasswords;
    // Dead-letter conventions read or set this run, by profile id (the only copy for
    // ephemeral connections).
    mutable QHash<QString, DeadLetterConventions> m_deadLetters;
    QLabel *m_stateLabel;
    QLabel *m_serverLabel;
    QAction *m_newAction;
    QAction *m_editAction;
    QAction *m_removeAction;
    QAction *m_connectAction;
    QAction *m_disconnectAction;
    QAction *m_refreshAction;
    QAction *m_deadLettersAction;
    QTimer *m_autoRefresh;
    int m_autoRefreshSeconds = 0;
    QMenu *m_autoRefreshMenu;
    QToolButton *m_autoRefreshButton;

    // Alerts.
    void startAlerts(const QString &id, const QString &name);
    void endAlerts(const QString &id);
    void editAlertRules();
    AlertLogModel *m_alertLog;
    AlertsPane *m_alertsPane;
    AlertNotifier *m_alertNotifier;
    QAction *m_alertRulesAction;
    QHash<QString, AlertEngine *> m_alertEngines; // by profile id, while it has a session
    QHash<QString, SeriesHistory *> m_histories; // by profile id, while it has a session
    mutable QHash<QString, AlertRules> m_alertRules; // read or set this run, by profile id
};
