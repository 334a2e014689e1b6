#pragma once

#include "historystore.h"

#include <QHash>
#include <QObject>

class AlertLogModel;
class CommandLogModel;
class ConnectionSession;
class ProfileState;
class RedisConnection;
struct ConnectionOptions;

// The open connections, one ConnectionSession each, by profile id. A session gets the
// profile's dead-letter conventions and alert rules (and every later change of them),
// its history on disk in historyDirectory() kept for historyRetention() (and every later
// change of that), logs its requests to the command log and its alerts to the alert log,
// and ends when asked to, or with the manager.
// GUI thread only.
class SessionManager : public QObject
{
    Q_OBJECT
public:
    explicit SessionManager(ProfileState *profiles, QObject *parent = nullptr);
    ~SessionManager() override;

    // Every request of every session (and of connection tests).
    CommandLogModel *commandLog() const { return m_commandLog; }
    // The alerts of every session, with those active now.
    AlertLogModel *alertLog() const { return m_alertLog; }

    // Ends the profile's session if it has one, starts a new one with `options` (passwords
    // included) and opens it.
    ConnectionSession *start(const QString &profileId, const ConnectionOptions &options);
    // Nothing happens when the profile has no session.
    void end(const QString &profileId);
    void endAll();
    ConnectionSession *session(const QString &profileId) const
    {
        return m_sessions.value(profileId);
    }
    QList<ConnectionSession *> sessions() const { return m_sessions.values(); }

    // The handshake of a connection test (the connection dialog's) goes to the command log.
    void logConnectionTest(RedisConnection *connection);

    // Where the sessions started from now on keep their history (one store a profile, see
    // HistoryStore::pathFor); empty (the default): in memory only, for the raw window.
    void setHistoryDirectory(const QString &directory) { m_historyDirectory = directory; }
    QString historyDirectory() const { return m_historyDirectory; }
    // How long the history is kept: by the sessions started from now on, and at once by
    // the open ones.
    void setHistoryRetention(const HistoryRetention &retention);
    HistoryRetention historyRetention() const { return m_historyRetention; }

Q_SIGNALS:
    // Before the session opens: whoever shows it binds to it now.
    void sessionStarted(ConnectionSession *session);
    // The session is about to be deleted: whatever uses it goes now.
    void sessionEnding(ConnectionSession *session);
    void sessionEnded(const QString &profileId);

private:
    ProfileState *m_profiles;
    CommandLogModel *m_commandLog;
    AlertLogModel *m_alertLog;
    QHash<QString, ConnectionSession *> m_sessions;
    QString m_historyDirectory;
    HistoryRetention m_historyRetention;
};
