#include "consumersmodel.h"

#include "inspectorcells.h"
#include "keyformat.h"

#include <QSet>

namespace {
const QList<int> ChangeRoles{Qt::DisplayRole, Qt::ToolTipRole, ConsumersModel::ValueRole};
}

ConsumersModel::ConsumersModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

ConsumersModel::~ConsumersModel() = default;

void ConsumersModel::setGroup(RedisConnection *connection, const QByteArray &key,
                              const QByteArray &group)
{
    m_replies.reset();
    m_connection = connection;
    m_key = key;
    m_group = group;
    beginResetModel();
    m_rows.clear();
    endResetModel();
    refresh();
}

void ConsumersModel::refresh()
{
    if (!m_connection)
        return;
    m_replies.reset();
    m_loading = true;
    const RedisCommand command{{"XINFO", "CONSUMERS", m_key, m_group}, m_key};
    m_replies.send(m_connection, {command}, [this](const RedisResult &r) {
        QString error = r.error;
        auto consumers = r.ok() ? parseConsumersInfo(r.replies.first(), &error) : std::nullopt;
        if (consumers)
            merge(std::move(*consumers));
        m_loading = false;
        if (!consumers)
            Q_EMIT errorOccurred(error);
        Q_EMIT loaded();
    });
}

void ConsumersModel::merge(QList<ConsumerInfo> consumers)
{
    QSet<QByteArray> names;
    for (const ConsumerInfo &c : consumers)
        names.insert(c.name);
    for (int row = int(m_rows.size()) - 1; row >= 0; --row) {
        if (!names.contains(m_rows[size_t(row)].name)) {
            beginRemoveRows({}, row, row);
            m_rows.erase(m_rows.begin() + row);
            endRemoveRows();
        }
    }
    std::vector<ConsumerInfo> added;
    for (ConsumerInfo &c : consumers) {
        const int row = rowOf(c.name);
        if (row < 0) {
            added.push_back(std::move(c));
            continue;
        }
        const RowSnapshot before = snapshotRow(*this, row, ChangeRoles);
        m_rows[size_t(row)] = std::move(c);
        announceChanges(*this, row, before, ChangeRoles);
    }
    if (!added.empty()) {
        const int first = rowCount();
        beginInsertRows({}, first, first + int(added.size()) - 1);
        m_rows.insert(m_rows.end(), std::make_move_iterator(added.begin()),
                      std::make_move_iterator(added.end()));
        endInsertRows();
    }
}

int ConsumersModel::rowOf(const QByteArray &name) const
{
    for (size_t i = 0; i < m_rows.size(); ++i) {
        if (m_rows[i].name == name)
            return int(i);
    }
    return -1;
}

int ConsumersModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int ConsumersModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ConsumersModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const ConsumerInfo &c = m_rows[size_t(index.row())];
    if (role == ConsumerNameRole)
        return c.name;
    switch (index.column()) {
    case Name:
        if (role == Qt::DisplayRole || role == Qt::ToolTipRole)
            return displayKey(c.name);
        if (role == ValueRole)
            return c.name;
        break;
    case Pending:
        if (role == Qt::DisplayRole || role == ValueRole)
            return c.pending;
        break;
    case Idle:
        if (role == Qt::DisplayRole)
            return formatDurationMs(c.idleMs);
        if (role == ValueRole)
            return c.idleMs;
        if (role == Qt::ToolTipRole)
            return tr("Time since the consumer's last attempted interaction (read or claim): "
                      "%1 ms")
                .arg(c.idleMs);
        break;
    case Inactive: {
        const bool available =
            c.inactiveMs.has_value()
            || (m_connection && m_connection->serverInfo().hasConsumerInactive());
        if (!available) {
            if (role == Qt::DisplayRole)
                return tr("n/a (Redis < 7.2)");
            if (role == Qt::ToolTipRole)
                return tr("Redis reports a consumer's inactive time from version 7.2 on.");
            break;
        }
        const qint64 inactive = c.inactiveMs.value_or(-1);
        if (role == Qt::DisplayRole)
            return inactive < 0 ? tr("never active") : formatDurationMs(inactive);
        if (role == ValueRole)
            return inactive;
        if (role == Qt::ToolTipRole)
            return inactive < 0
                       ? tr("The consumer never read an entry successfully.")
                       : tr("Time since the consumer's last successful read: %1 ms").arg(inactive);
        break;
    }
    }
    return {};
}

QVariant ConsumersModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Name:
        return tr("Consumer");
    case Pending:
        return tr("Pending");
    case Idle:
        return tr("Idle");
    case Inactive:
        return tr("Inactive");
    }
    return {};
}
