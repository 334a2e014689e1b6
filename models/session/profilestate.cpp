#include "profilestate.h"

#include "credentialstore.h"

#include <QSettings>
#include <QUuid>

namespace {

QString groupOf(const QString &id)
{
    return QStringLiteral("connections/") + id;
}

} // namespace

ProfileState::ProfileState(QSettings *settings, CredentialStore *credentials, QObject *parent)
    : QObject(parent)
    , m_settings(settings)
    , m_credentials(credentials)
    , m_store(settings)
    , m_list(new ConnectionListModel(this))
{
    m_list->setProfiles(m_store.load());
}

const ConnectionProfile *ProfileState::find(const QString &id) const
{
    const int row = m_list->rowOf(id);
    return row < 0 ? nullptr : &m_list->profileAt(row);
}

bool ProfileState::isSaved(const QString &id) const
{
    const ConnectionProfile *p = find(id);
    return p && !p->ephemeral;
}

QString ProfileState::keyOf(const QString &id, bool sentinel)
{
    return sentinel ? CredentialStore::sentinelKey(id) : id;
}

ConnectionProfile ProfileState::addEphemeral(const ConnectionOptions &options, const QString &id)
{
    ConnectionProfile profile;
    profile.id = !id.isEmpty() ? id
                               : QStringLiteral("ephemeral-")
                                     + QUuid::createUuid().toString(QUuid::WithoutBraces);
    profile.options = options;
    profile.options.password.clear();
    profile.options.sentinelPassword.clear();
    profile.ephemeral = true;
    m_ephemeralPasswords.insert(keyOf(profile.id, false), options.password);
    m_ephemeralPasswords.insert(keyOf(profile.id, true), options.sentinelPassword);
    m_list->upsert(profile);
    return profile;
}

void ProfileState::save(ConnectionProfile profile, const QString &password,
                        const QString &sentinelPassword, bool remember, bool keepPassword,
                        bool keepSentinel)
{
    if (profile.ephemeral) {
        m_ephemeralPasswords.insert(keyOf(profile.id, false), password);
        m_ephemeralPasswords.insert(keyOf(profile.id, true), sentinelPassword);
        m_list->upsert(profile);
        return;
    }
    if (const ConnectionProfile *old = find(profile.id)) {
        if (keepPassword) {
            profile.passwordInKeychain = old->passwordInKeychain;
            profile.askPassword = old->askPassword;
        }
        if (keepSentinel) {
            profile.sentinelPasswordInKeychain = old->sentinelPasswordInKeychain;
            profile.askSentinelPassword = old->askSentinelPassword;
        }
    }
    store(profile);
    m_list->upsert(profile);
    if (!keepPassword)
        keepSecret(profile, false, password, remember);
    if (!keepSentinel)
        keepSecret(profile, true, sentinelPassword, remember);
}

void ProfileState::remove(const QString &id)
{
    const ConnectionProfile *listed = find(id);
    if (!listed)
        return;
    const bool ephemeral = listed->ephemeral;
    m_deadLetters.remove(id);
    m_alertRules.remove(id);
    for (const bool sentinel : {false, true}) {
        if (ephemeral)
            m_ephemeralPasswords.remove(keyOf(id, sentinel));
        else
            m_credentials->deletePassword(keyOf(id, sentinel), [](bool, const QString &) {});
    }
    if (!ephemeral)
        m_store.remove(id);
    m_list->remove(id);
}

void ProfileState::store(const ConnectionProfile &profile)
{
    const QString group = groupOf(profile.id);
    const bool hadDeadLetters =
        m_settings->contains(group + QStringLiteral("/deadLetters/patterns"));
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

void ProfileState::keepSecret(const ConnectionProfile &profile, bool sentinel,
                              const QString &secret, bool remember)
{
    const QString key = keyOf(profile.id, sentinel);
    if (!remember || secret.isEmpty()) {
        m_credentials->deletePassword(key, [](bool, const QString &) {});
        return;
    }
    m_credentials->writePassword(key, secret,
                                 [this, id = profile.id, sentinel](bool ok, const QString &error) {
        const ConnectionProfile *listed = find(id);
        if (ok || !listed)
            return;
        // No keychain: keep the profile (as it is now), but ask for the password on connect.
        ConnectionProfile p = *listed;
        (sentinel ? p.sentinelPasswordInKeychain : p.passwordInKeychain) = false;
        (sentinel ? p.askSentinelPassword : p.askPassword) = true;
        store(p);
        m_list->upsert(p);
        Q_EMIT secretNotSaved(p, sentinel, error);
    });
}

void ProfileState::readSecret(const ConnectionProfile &profile, bool sentinel,
                              const std::function<void(const QString &, const QString &)> &done)
{
    const QString key = keyOf(profile.id, sentinel);
    if (profile.ephemeral) {
        done(m_ephemeralPasswords.value(key), {});
    } else if (sentinel ? profile.sentinelPasswordInKeychain : profile.passwordInKeychain) {
        m_credentials->readPassword(
            key, [done](const std::optional<QString> &secret, const QString &error) {
                done(secret.value_or(QString()), error);
            });
    } else {
        done({}, {});
    }
}

DeadLetterConventions ProfileState::deadLetterConventions(const QString &id) const
{
    const auto known = m_deadLetters.constFind(id);
    if (known != m_deadLetters.constEnd())
        return *known;
    if (!isSaved(id))
        return DeadLetterConventions::defaults();
    DeadLetterConventions loaded = DeadLetterConventions::load(*m_settings, groupOf(id));
    m_deadLetters.insert(id, loaded);
    return loaded;
}

void ProfileState::setDeadLetterConventions(const QString &id,
                                            const DeadLetterConventions &conventions)
{
    m_deadLetters.insert(id, conventions);
    if (isSaved(id)) {
        conventions.save(*m_settings, groupOf(id));
        m_settings->sync();
    }
    Q_EMIT deadLetterConventionsChanged(id, conventions);
}

AlertRules ProfileState::alertRules(const QString &id) const
{
    const auto known = m_alertRules.constFind(id);
    if (known != m_alertRules.constEnd())
        return *known;
    if (!isSaved(id))
        return AlertRules::defaults();
    AlertRules loaded = AlertRules::load(*m_settings, groupOf(id));
    m_alertRules.insert(id, loaded);
    return loaded;
}

void ProfileState::setAlertRules(const QString &id, const AlertRules &rules)
{
    m_alertRules.insert(id, rules);
    if (isSaved(id)) {
        rules.save(*m_settings, groupOf(id));
        m_settings->sync();
    }
    Q_EMIT alertRulesChanged(id, rules);
}
