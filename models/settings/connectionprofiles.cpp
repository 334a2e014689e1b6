#include "connectionprofiles.h"

#include <QIcon>
#include <QPainter>
#include <QPixmap>
#include <QSettings>
#include <QUuid>

ProfileStore::ProfileStore(QSettings *settings)
    : m_settings(settings)
{}

QList<ConnectionProfile> ProfileStore::load() const
{
    QList<ConnectionProfile> profiles;
    m_settings->beginGroup(QStringLiteral("connections"));
    const QStringList ids = m_settings->childGroups();
    for (const QString &id : ids) {
        m_settings->beginGroup(id);
        ConnectionProfile p;
        p.id = id;
        ConnectionOptions &o = p.options;
        o.name = m_settings->value(QStringLiteral("name")).toString();
        o.transport =
            m_settings->value(QStringLiteral("transport")).toString() == QLatin1String("unix")
                ? ConnectionOptions::Transport::Unix
                : ConnectionOptions::Transport::Tcp;
        o.host = m_settings->value(QStringLiteral("host"), o.host).toString();
        o.port = quint16(m_settings->value(QStringLiteral("port"), o.port).toUInt());
        o.socketPath = m_settings->value(QStringLiteral("socketPath")).toString();
        o.username = m_settings->value(QStringLiteral("username")).toString();
        o.database = m_settings->value(QStringLiteral("database"), 0).toInt();
        o.tls = m_settings->value(QStringLiteral("tls"), false).toBool();
        o.caFile = m_settings->value(QStringLiteral("caFile")).toString();
        o.certFile = m_settings->value(QStringLiteral("certFile")).toString();
        o.keyFile = m_settings->value(QStringLiteral("keyFile")).toString();
        o.sniName = m_settings->value(QStringLiteral("sniName")).toString();
        o.verifyPeer = m_settings->value(QStringLiteral("verifyPeer"), true).toBool();
        o.connectTimeoutMs =
            m_settings->value(QStringLiteral("connectTimeoutMs"), o.connectTimeoutMs).toInt();
        o.commandTimeoutMs =
            m_settings->value(QStringLiteral("commandTimeoutMs"), o.commandTimeoutMs).toInt();
        o.readOnly = m_settings->value(QStringLiteral("readOnly"), false).toBool();
        o.sentinels = m_settings->value(QStringLiteral("sentinels")).toStringList();
        o.masterName = m_settings->value(QStringLiteral("masterName")).toString();
        o.sentinelUsername = m_settings->value(QStringLiteral("sentinelUsername")).toString();
        p.sentinelPasswordInKeychain =
            m_settings->value(QStringLiteral("sentinelPasswordInKeychain")).toBool();
        p.askSentinelPassword = m_settings->value(QStringLiteral("askSentinelPassword")).toBool();
        p.passwordInKeychain = m_settings->value(QStringLiteral("passwordInKeychain")).toBool();
        p.askPassword = m_settings->value(QStringLiteral("askPassword")).toBool();
        m_settings->endGroup();
        profiles.append(p);
    }
    m_settings->endGroup();
    std::sort(profiles.begin(), profiles.end(), [](const auto &a, const auto &b) {
        return a.options.name.localeAwareCompare(b.options.name) < 0;
    });
    return profiles;
}

void ProfileStore::save(const ConnectionProfile &profile)
{
    Q_ASSERT(!profile.id.isEmpty() && !profile.ephemeral);
    const ConnectionOptions &o = profile.options;
    m_settings->beginGroup(QStringLiteral("connections/") + profile.id);
    m_settings->remove(QString());
    m_settings->setValue(QStringLiteral("name"), o.name);
    m_settings->setValue(QStringLiteral("transport"),
                         o.transport == ConnectionOptions::Transport::Unix ? QStringLiteral("unix")
                                                                           : QStringLiteral("tcp"));
    m_settings->setValue(QStringLiteral("host"), o.host);
    m_settings->setValue(QStringLiteral("port"), o.port);
    m_settings->setValue(QStringLiteral("socketPath"), o.socketPath);
    m_settings->setValue(QStringLiteral("username"), o.username);
    m_settings->setValue(QStringLiteral("database"), o.database);
    m_settings->setValue(QStringLiteral("tls"), o.tls);
    m_settings->setValue(QStringLiteral("caFile"), o.caFile);
    m_settings->setValue(QStringLiteral("certFile"), o.certFile);
    m_settings->setValue(QStringLiteral("keyFile"), o.keyFile);
    m_settings->setValue(QStringLiteral("sniName"), o.sniName);
    m_settings->setValue(QStringLiteral("verifyPeer"), o.verifyPeer);
    m_settings->setValue(QStringLiteral("connectTimeoutMs"), o.connectTimeoutMs);
    m_settings->setValue(QStringLiteral("commandTimeoutMs"), o.commandTimeoutMs);
    m_settings->setValue(QStringLiteral("readOnly"), o.readOnly);
    if (o.usesSentinel()) {
        m_settings->setValue(QStringLiteral("sentinels"), o.sentinels);
        m_settings->setValue(QStringLiteral("masterName"), o.masterName);
        m_settings->setValue(QStringLiteral("sentinelUsername"), o.sentinelUsername);
        m_settings->setValue(QStringLiteral("sentinelPasswordInKeychain"),
                             profile.sentinelPasswordInKeychain);
        m_settings->setValue(QStringLiteral("askSentinelPassword"), profile.askSentinelPassword);
    }
    m_settings->setValue(QStringLiteral("passwordInKeychain"), profile.passwordInKeychain);
    m_settings->setValue(QStringLiteral("askPassword"), profile.askPassword);
    // Deliberately no "password" nor "sentinelPassword" key: see CredentialStore.
    m_settings->endGroup();
    m_settings->sync();
}

void ProfileStore::remove(const QString &id)
{
    m_settings->remove(QStringLiteral("connections/") + id);
    m_settings->sync();
}

ConnectionListModel::ConnectionListModel(QObject *parent)
    : QAbstractListModel(parent)
{}

void ConnectionListModel::setProfiles(const QList<ConnectionProfile> &profiles)
{
    beginResetModel();
    m_profiles = profiles;
    endResetModel();
}

int ConnectionListModel::upsert(const ConnectionProfile &profile)
{
    const int row = rowOf(profile.id);
    if (row >= 0) {
        m_profiles[row] = profile;
        Q_EMIT dataChanged(index(row), index(row));
        return row;
    }
    const int at = int(m_profiles.size());
    beginInsertRows({}, at, at);
    m_profiles.append(profile);
    endInsertRows();
    return at;
}

void ConnectionListModel::remove(const QString &id)
{
    const int row = rowOf(id);
    if (row < 0)
        return;
    beginRemoveRows({}, row, row);
    m_profiles.removeAt(row);
    m_status.remove(id);
    endRemoveRows();
}

int ConnectionListModel::rowOf(const QString &id) const
{
    for (int i = 0; i < m_profiles.size(); ++i) {
        if (m_profiles.at(i).id == id)
            return i;
    }
    return -1;
}

void ConnectionListModel::setStatus(const QString &id, ConnectionState state,
                                    const QString &message)
{
    m_status.insert(id, Status{state, message});
    const int row = rowOf(id);
    if (row >= 0)
        Q_EMIT dataChanged(index(row), index(row), {Qt::ToolTipRole, Qt::DecorationRole});
}

// A dot in the state's colour: grey idle, amber on the way, green connected, red failed.
static QIcon stateIcon(ConnectionState state)
{
    static QHash<int, QIcon> cache;
    const auto it = cache.constFind(int(state));
    if (it != cache.constEnd())
        return *it;
    QColor color(0x9a, 0x9a, 0x9a);
    switch (state) {
    case ConnectionState::Connected:
        color = QColor(0x2d, 0xa4, 0x4e);
        break;
    case ConnectionState::Connecting:
    case ConnectionState::Reconnecting:
        color = QColor(0xe3, 0xa0, 0x08);
        break;
    case ConnectionState::Failed:
        color = QColor(0xcf, 0x22, 0x2e);
        break;
    case ConnectionState::Disconnected:
        break;
    }
    QPixmap pixmap(16, 16);
    pixmap.fill(Qt::transparent);
    QPainter painter(&pixmap);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setPen(color.darker(130));
    painter.setBrush(color);
    painter.drawEllipse(QRectF(3.5, 3.5, 9, 9));
    painter.end();
    return cache.insert(int(state), QIcon(pixmap)).value();
}

int ConnectionListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_profiles.size());
}

QVariant ConnectionListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const ConnectionProfile &p = m_profiles.at(index.row());
    switch (role) {
    case Qt::DisplayRole: {
        QString text = p.options.name.isEmpty() ? p.options.endpoint() : p.options.name;
        if (p.options.readOnly)
            text += tr(" (read-only)");
        return text;
    }
    case Qt::ToolTipRole: {
        const QString status = m_status.value(p.id).message;
        return p.options.toUrl() + (status.isEmpty() ? QString() : QLatin1Char('\n') + status);
    }
    case Qt::DecorationRole:
        return stateIcon(m_status.value(p.id).state);
    case IdRole:
        return p.id;
    case EndpointRole:
        return p.options.endpoint();
    }
    return {};
}
