#pragma once

#include "alertrules.h"
#include "connectionprofiles.h"
#include "deadletters.h"

#include <QHash>
#include <QObject>

#include <functional>

class CredentialStore;
class QSettings;

// The connections Weir knows (the list the window shows) and what it keeps per connection
// beyond a session: the passwords of ephemeral connections (in memory only, for as long as
// the connection is listed, so Connect after Disconnect works), and each connection's
// dead-letter conventions and alert rules (saved with the profile unless it is ephemeral).
// Saved passwords live in the keychain; reading them is asynchronous.
// GUI thread only.
class ProfileState : public QObject
{
    Q_OBJECT
public:
    // Lists the profiles saved in `settings`.
    ProfileState(QSettings *settings, CredentialStore *credentials, QObject *parent = nullptr);

    ConnectionListModel *list() const { return m_list; }
    // The listed profile of `id`, or nullptr.
    const ConnectionProfile *find(const QString &id) const;

    // Lists a connection that is not saved (the demo, a URL from the command line), its
    // passwords kept in memory; returns its profile (passwords left out). Its id is `id`
    // when given (the same one every run finds the connection's history on disk again),
    // else a new one.
    ConnectionProfile addEphemeral(const ConnectionOptions &options, const QString &id = {});
    // Saves a new or edited profile and keeps its passwords: an ephemeral one's in memory,
    // else in the keychain when `remember` (else forgotten). keepPassword/keepSentinel: a
    // saved password that could not be read and was not typed anew stays as it is kept.
    // When the keychain refuses a password, the profile asks for it on connect instead and
    // secretNotSaved() says so.
    void save(ConnectionProfile profile, const QString &password, const QString &sentinelPassword,
              bool remember, bool keepPassword = false, bool keepSentinel = false);
    // Forgets the connection: its profile, passwords, conventions and rules.
    void remove(const QString &id);

    // A saved password (sentinel: the sentinels') as kept: from memory (ephemeral) or the
    // keychain; empty when none is kept, with the keychain's error when it failed. `done`
    // may be called before this returns.
    void readSecret(const ConnectionProfile &profile, bool sentinel,
                    const std::function<void(const QString &secret, const QString &error)> &done);

    // The conventions in force for a connection: set this run, saved, or the defaults.
    DeadLetterConventions deadLetterConventions(const QString &id) const;
    void setDeadLetterConventions(const QString &id, const DeadLetterConventions &conventions);
    // Likewise the alert rules.
    AlertRules alertRules(const QString &id) const;
    void setAlertRules(const QString &id, const AlertRules &rules);

Q_SIGNALS:
    void deadLetterConventionsChanged(const QString &id, const DeadLetterConventions &conventions);
    void alertRulesChanged(const QString &id, const AlertRules &rules);
    // The keychain refused the password (sentinel: the sentinels') of `profile`.
    void secretNotSaved(const ConnectionProfile &profile, bool sentinel, const QString &error);

private:
    bool isSaved(const QString &id) const;
    static QString keyOf(const QString &id, bool sentinel);
    // ProfileStore::save rewrites the profile's group: its conventions and rules are
    // written again after it.
    void store(const ConnectionProfile &profile);
    void keepSecret(const ConnectionProfile &profile, bool sentinel, const QString &secret,
                    bool remember);

    QSettings *m_settings;
    CredentialStore *m_credentials;
    ProfileStore m_store;
    ConnectionListModel *m_list;
    // By profile id, and the sentinels' by CredentialStore::sentinelKey.
    QHash<QString, QString> m_ephemeralPasswords;
    // Read or set this run, by profile id (the only copy for ephemeral connections).
    mutable QHash<QString, DeadLetterConventions> m_deadLetters;
    mutable QHash<QString, AlertRules> m_alertRules;
};
