#pragma once

#include "connectionoptions.h"
#include "redisworker.h"

#include <QAbstractListModel>
#include <QList>

class QSettings;

// A saved connection. options.password and options.sentinelPassword are always empty
// here: a saved password lives in the OS keychain under the profile's id, the sentinels'
// under CredentialStore::sentinelKey(id) (see CredentialStore), never in settings.
struct ConnectionProfile
{
    QString id; // stable, generated once
    ConnectionOptions options;
    bool passwordInKeychain = false;         // a password was stored in the keychain
    bool askPassword = false;                // a password is needed but not stored: ask on connect
    bool sentinelPasswordInKeychain = false; // the sentinels' password, likewise
    bool askSentinelPassword = false;        // and likewise asked for on connect
    bool ephemeral = false;                  // not saved (the demo)
};

// Profiles in QSettings, under "connections/<id>/".
class ProfileStore
{
public:
    explicit ProfileStore(QSettings *settings);
    QList<ConnectionProfile> load() const;
    void save(const ConnectionProfile &profile);
    void remove(const QString &id);

private:
    QSettings *m_settings;
};

// The connections pane: saved profiles, then any ephemeral ones.
class ConnectionListModel : public QAbstractListModel
{
    Q_OBJECT
public:
    enum Role { IdRole = Qt::UserRole + 1, EndpointRole };
    explicit ConnectionListModel(QObject *parent = nullptr);

    void setProfiles(const QList<ConnectionProfile> &profiles);
    // Adds or replaces (same id) a profile; returns its row.
    int upsert(const ConnectionProfile &profile);
    void remove(const QString &id);
    int rowOf(const QString &id) const;
    const ConnectionProfile &profileAt(int row) const { return m_profiles.at(row); }
    // The state of a profile's connection, for its icon and tooltip.
    void setStatus(const QString &id, ConnectionState state, const QString &message);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;

private:
    QList<ConnectionProfile> m_profiles;
    struct Status
    {
        ConnectionState state = ConnectionState::Disconnected;
        QString message;
    };
    QHash<QString, Status> m_status;
};
