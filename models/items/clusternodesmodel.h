#pragma once

#include "clustertopology.h"

#include <QAbstractItemModel>
#include <QHash>
#include <QList>

// The nodes of a Redis Cluster, for the nodes view: each master at the top level with its
// replicas below it, in slot order (masters without slots last). Fed with the slot map,
// what each node said of itself (INFO), and the streams the overview listed, which are
// counted on the master serving their slot (a replica shows its master's).
class ClusterNodesModel : public QAbstractItemModel
{
    Q_OBJECT
public:
    enum Column {
        NodeColumn,
        RoleColumn,
        SlotsColumn,
        HealthColumn,
        VersionColumn,
        MemoryColumn,
        StreamsColumn,
        ColumnCount
    };
    enum Role {
        AddressRole = Qt::UserRole + 1, // "host:port" (QString)
        StreamsRole,                    // the streams on the node's slots, sorted (QByteArrayList)
    };

    // What a node said of itself; `error` when it could not be asked.
    struct Details
    {
        QString version;
        qint64 usedMemoryBytes = -1;
        QString error;
    };

    explicit ClusterNodesModel(QObject *parent = nullptr);

    void setTopology(const ClusterTopology &topology);
    const ClusterTopology &topology() const { return m_topology; }
    void setDetails(const QString &address, const Details &details);
    void setStreams(const QList<QByteArray> &streams);
    // The streams on the slots of the node at `address` (its master's, for a replica).
    QList<QByteArray> streamsOf(const QString &address) const;

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    struct Shard
    {
        ClusterNode master;
        QList<ClusterNode> replicas;
        QList<QByteArray> streams; // sorted
    };
    const ClusterNode *nodeAt(const QModelIndex &index) const;
    const Shard *shardOf(const QModelIndex &index) const;
    void countStreams();
    // Emits dataChanged for the rows of the node at `address` (and, for streams, the
    // replicas below a master).
    void rowsChanged(int shard, int firstColumn, int lastColumn);

    ClusterTopology m_topology;
    QList<Shard> m_shards;
    QHash<QString, Details> m_details;
    QList<QByteArray> m_streams;
};

// "0-5460, 10923" (ranges of a master's slots), shortened after `maxRanges` with "…".
QString slotRangesText(const QList<ClusterSlotRange> &slots, int maxRanges = 3);
