#pragma once

#include <QObject>
#include <QString>

#include <functional>
#include <optional>

// Passwords in the OS keychain (Secret Service, KWallet, ...) through QtKeychain,
// keyed by connection profile id. All calls are asynchronous and never touch a file:
// when no keychain is available, they fail and say so, and nothing is stored.
class CredentialStore : public QObject
{
    Q_OBJECT
public:
    explicit CredentialStore(const QString &service = QStringLiteral("Weir"),
                             QObject *parent = nullptr);

    using Done = std::function<void(bool ok, const QString &error)>;
    using Read = std::function<void(std::optional<QString> password, const QString &error)>;

    void writePassword(const QString &profileId, const QString &password, Done done);
    // password is nullopt when none is stored or the keychain failed (error says which).
    void readPassword(const QString &profileId, Read done);
    void deletePassword(const QString &profileId, Done done);

    // The key the sentinels' password of a profile is kept under, apart from the data
    // nodes' password (pass it as profileId to the calls above).
    static QString sentinelKey(const QString &profileId)
    {
        return profileId + QStringLiteral("/sentinel");
    }

private:
    QString m_service;
};
