#include "clusternodesmodel.h"

#include "keyslot.h"
#include "streamsummary.h"

#include <QBrush>
#include <QLocale>

#include <algorithm>

namespace {

constexpr quintptr TopLevel = 0; // internal id of a master's row; a replica's is shard + 1

QString healthText(ClusterNode::Health health)
{
    switch (health) {
    case ClusterNode::Health::Online:
        return ClusterNodesModel::tr("online");
    case ClusterNode::Health::Loading:
        return ClusterNodesModel::tr("loading");
    case ClusterNode::Health::Failed:
        return ClusterNodesModel::tr("failed");
    case ClusterNode::Health::Unknown:
        break;
    }
    return QStringLiteral("—");
}

} // namespace

QString slotRangesText(const QList<ClusterSlotRange> &slots, int maxRanges)
{
    QStringList parts;
    for (const ClusterSlotRange &r : slots) {
        if (parts.size() == maxRanges) {
            parts.append(QStringLiteral("…"));
            break;
        }
        parts.append(r.first == r.last ? QString::number(r.first)
                                       : QStringLiteral("%1-%2").arg(r.first).arg(r.last));
    }
    return parts.join(QStringLiteral(", "));
}

ClusterNodesModel::ClusterNodesModel(QObject *parent)
    : QAbstractItemModel(parent)
{}

void ClusterNodesModel::setTopology(const ClusterTopology &topology)
{
    beginResetModel();
    m_topology = topology;
    m_shards.clear();
    for (const ClusterNode &master : topology.masters())
        m_shards.append(Shard{master, topology.replicasOf(master), {}});
    // In slot order; masters without slots last, by address.
    std::stable_sort(m_shards.begin(), m_shards.end(), [](const Shard &a, const Shard &b) {
        if (a.master.slots.isEmpty() != b.master.slots.isEmpty())
            return b.master.slots.isEmpty();
        if (a.master.slots.isEmpty())
            return a.master.address() < b.master.address();
        return a.master.slots.first().first < b.master.slots.first().first;
    });
    countStreams();
    endResetModel();
}

void ClusterNodesModel::setDetails(const QString &address, const Details &details)
{
    m_details.insert(address, details);
    for (int s = 0; s < m_shards.size(); ++s) {
        const Shard &shard = m_shards.at(s);
        if (shard.master.address() == address) {
            const QModelIndex row = index(s, 0);
            Q_EMIT dataChanged(row.siblingAtColumn(VersionColumn),
                               row.siblingAtColumn(MemoryColumn));
        }
        for (int r = 0; r < shard.replicas.size(); ++r) {
            if (shard.replicas.at(r).address() == address) {
                const QModelIndex row = index(r, 0, index(s, 0));
                Q_EMIT dataChanged(row.siblingAtColumn(VersionColumn),
                                   row.siblingAtColumn(MemoryColumn));
            }
        }
    }
}

void ClusterNodesModel::setStreams(const QList<QByteArray> &streams)
{
    m_streams = streams;
    countStreams();
    for (int s = 0; s < m_shards.size(); ++s)
        rowsChanged(s, StreamsColumn, StreamsColumn);
}

void ClusterNodesModel::countStreams()
{
    QHash<QByteArray, int> shardOfMaster; // by node id, or address when it has none
    auto masterKey = [](const ClusterNode &n) {
        return n.id.isEmpty() ? n.address().toUtf8() : n.id;
    };
    for (int s = 0; s < m_shards.size(); ++s) {
        m_shards[s].streams.clear();
        shardOfMaster.insert(masterKey(m_shards.at(s).master), s);
    }
    for (const QByteArray &stream : std::as_const(m_streams)) {
        if (const ClusterNode *node = m_topology.nodeForSlot(keySlot(stream))) {
            const int s = shardOfMaster.value(masterKey(*node), -1);
            if (s >= 0)
                m_shards[s].streams.append(stream);
        }
    }
    for (Shard &shard : m_shards)
        std::sort(shard.streams.begin(), shard.streams.end());
}

void ClusterNodesModel::rowsChanged(int shard, int firstColumn, int lastColumn)
{
    const QModelIndex master = index(shard, 0);
    Q_EMIT dataChanged(master.siblingAtColumn(firstColumn), master.siblingAtColumn(lastColumn));
    const int replicas = rowCount(master);
    if (replicas > 0) {
        Q_EMIT dataChanged(index(0, firstColumn, master), index(replicas - 1, lastColumn, master));
    }
}

QList<QByteArray> ClusterNodesModel::streamsOf(const QString &address) const
{
    for (const Shard &shard : m_shards) {
        if (shard.master.address() == address)
            return shard.streams;
        for (const ClusterNode &replica : shard.replicas) {
            if (replica.address() == address)
                return shard.streams;
        }
    }
    return {};
}

QModelIndex ClusterNodesModel::index(int row, int column, const QModelIndex &parent) const
{
    if (column < 0 || column >= ColumnCount || row < 0)
        return {};
    if (!parent.isValid())
        return row < m_shards.size() ? createIndex(row, column, TopLevel) : QModelIndex();
    if (parent.internalId() != TopLevel || parent.row() >= m_shards.size()
        || row >= m_shards.at(parent.row()).replicas.size())
        return {};
    return createIndex(row, column, quintptr(parent.row()) + 1);
}

QModelIndex ClusterNodesModel::parent(const QModelIndex &child) const
{
    if (!child.isValid() || child.internalId() == TopLevel)
        return {};
    return createIndex(int(child.internalId() - 1), 0, TopLevel);
}

int ClusterNodesModel::rowCount(const QModelIndex &parent) const
{
    if (!parent.isValid())
        return int(m_shards.size());
    if (parent.column() != 0 || parent.internalId() != TopLevel)
        return 0;
    return int(m_shards.at(parent.row()).replicas.size());
}

int ClusterNodesModel::columnCount(const QModelIndex &) const
{
    return ColumnCount;
}

const ClusterNodesModel::Shard *ClusterNodesModel::shardOf(const QModelIndex &index) const
{
    if (!index.isValid())
        return nullptr;
    const int shard = index.internalId() == TopLevel ? index.row() : int(index.internalId() - 1);
    return &m_shards.at(shard);
}

const ClusterNode *ClusterNodesModel::nodeAt(const QModelIndex &index) const
{
    const Shard *shard = shardOf(index);
    if (!shard)
        return nullptr;
    return index.internalId() == TopLevel ? &shard->master : &shard->replicas.at(index.row());
}

QVariant ClusterNodesModel::data(const QModelIndex &index, int role) const
{
    const ClusterNode *node = nodeAt(index);
    if (!node)
        return {};
    const Shard &shard = *shardOf(index);
    const QString address = node->address();
    const auto details = m_details.constFind(address);
    const bool known = details != m_details.cend();
    switch (role) {
    case AddressRole:
        return address;
    case StreamsRole:
        return QVariant::fromValue(shard.streams);
    case Qt::ForegroundRole:
        if (node->health == ClusterNode::Health::Failed
            || (known && !details->error.isEmpty() && index.column() >= VersionColumn))
            return QBrush(Qt::darkRed);
        return {};
    case Qt::TextAlignmentRole:
        if (index.column() == MemoryColumn || index.column() == StreamsColumn)
            return int(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case Qt::ToolTipRole:
        switch (index.column()) {
        case NodeColumn:
            return node->id.isEmpty()
                       ? address
                       : tr("%1\nnode id %2").arg(address, QString::fromLatin1(node->id));
        case SlotsColumn:
            return node->isMaster() ? slotRangesText(node->slots, 64) : QVariant();
        case VersionColumn:
        case MemoryColumn:
            return known && !details->error.isEmpty() ? details->error : QVariant();
        case StreamsColumn: {
            QStringList names;
            for (const QByteArray &s : shard.streams.mid(0, 20))
                names.append(QString::fromUtf8(s));
            if (shard.streams.size() > 20)
                names.append(tr("… and %n more", nullptr, int(shard.streams.size() - 20)));
            return names.join(QLatin1Char('\n'));
        }
        }
        return {};
    case Qt::DisplayRole:
        break;
    default:
        return {};
    }
    switch (index.column()) {
    case NodeColumn:
        return node->hostname.isEmpty() || node->hostname == node->host
                   ? address
                   : tr("%1 (%2)").arg(address, node->hostname);
    case RoleColumn:
        return node->isMaster() ? tr("master") : tr("replica");
    case SlotsColumn: {
        if (!node->isMaster())
            return QStringLiteral("—");
        int count = 0;
        for (const ClusterSlotRange &r : node->slots)
            count += r.count();
        return count == 0
                   ? tr("none")
                   : tr("%1 (%2)").arg(QLocale().toString(count), slotRangesText(node->slots));
    }
    case HealthColumn:
        return healthText(node->health);
    case VersionColumn:
        if (!known)
            return QStringLiteral("…");
        return details->error.isEmpty() ? details->version : tr("unreachable");
    case MemoryColumn:
        if (!known || details->usedMemoryBytes < 0)
            return known && !details->error.isEmpty() ? QStringLiteral("—") : QStringLiteral("…");
        return formatBytes(details->usedMemoryBytes);
    case StreamsColumn:
        return QLocale().toString(shard.streams.size());
    }
    return {};
}

QVariant ClusterNodesModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case NodeColumn:
        return tr("Node");
    case RoleColumn:
        return tr("Role");
    case SlotsColumn:
        return tr("Slots");
    case HealthColumn:
        return tr("Health");
    case VersionColumn:
        return tr("Version");
    case MemoryColumn:
        return tr("Memory");
    case StreamsColumn:
        return tr("Streams");
    }
    return {};
}
