#pragma once

#include <QObject>

#include <functional>

class ConnectionProbe;
class ProfileState;
class QAction;
class QWidget;
class SessionManager;
struct ConnectionProfile;

// What the Connection menu does to one connection (by profile id): the dialogs that create,
// edit and remove it and edit its dead-letter conventions and alert rules, and connecting
// with the passwords it needs (typed just now, kept in memory or the keychain, or asked).
// Dialogs and questions open over `window`; the actions act on the connection `current`
// returns (the selected one).
class ConnectionCommands : public QObject
{
    Q_OBJECT
public:
    ConnectionCommands(ProfileState *profiles, SessionManager *sessions, QWidget *window,
                       std::function<QString()> current);

    QAction *newAction() const { return m_newAction; }
    QAction *editAction() const { return m_editAction; }
    QAction *removeAction() const { return m_removeAction; }
    QAction *deadLettersAction() const { return m_deadLettersAction; }
    QAction *alertRulesAction() const { return m_alertRulesAction; }

    // New connection…: saved, then connected (created() comes first).
    void create();
    // Edit connection…: saved; a connection that is open opens again with the new settings.
    void editCurrent();
    // Asks first; ends its session and forgets the connection with its passwords.
    void removeCurrent();
    void editDeadLetters();
    void editAlertRules();
    // Starts the connection's session once its passwords are known; nothing when the user
    // cancels a question for one.
    void connectTo(const QString &id);

Q_SIGNALS:
    // A connection was created and is about to connect.
    void created(const QString &id);

private:
    using Go = std::function<void(const QString &password, const QString &sentinelPassword)>;
    // Calls go with the profile's password and sentinels' password: the ones typed just now
    // when not empty, else from memory (ephemeral), the keychain, or asked for.
    void withPasswords(const ConnectionProfile &profile, const Go &go, const QString &typed = {},
                       const QString &typedSentinel = {});
    void withSecret(const ConnectionProfile &profile, bool sentinel, const QString &typed,
                    const std::function<void(const QString &secret)> &go);
    void start(const ConnectionProfile &profile, const QString &password,
               const QString &sentinelPassword);
    // The overview's keys of the connection's session, if it has one.
    QList<QByteArray> streamKeys(const QString &id) const;

    ProfileState *m_profiles;
    SessionManager *m_sessions;
    QWidget *m_window;
    std::function<QString()> m_current;
    ConnectionProbe *m_probe;
    QAction *m_newAction;
    QAction *m_editAction;
    QAction *m_removeAction;
    QAction *m_deadLettersAction;
    QAction *m_alertRulesAction;
};
