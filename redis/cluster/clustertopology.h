#pragma once

#include "redisvalue.h"

#include <QByteArray>
#include <QList>
#include <QMetaType>
#include <QString>

#include <optional>

// The slot map of a Redis Cluster as one node described it: which master serves each of
// the 16384 hash slots, and which replicas follow each master. A value, cheap to copy and
// safe to hand across threads; it is a snapshot, so after MOVED or a failover Weir reads
// a new one instead of patching this one.

struct ClusterSlotRange
{
    quint16 first = 0;
    quint16 last = 0; // inclusive

    int count() const { return int(last) - int(first) + 1; }
    bool operator==(const ClusterSlotRange &o) const { return first == o.first && last == o.last; }
};

struct ClusterNode
{
    enum class Role : quint8 { Master, Replica };
    // What CLUSTER SHARDS says of the node; Unknown with CLUSTER SLOTS, which only lists
    // nodes the answering node thinks reachable.
    enum class Health : quint8 { Unknown, Online, Loading, Failed };

    QByteArray id; // 40 hex digits; empty when the reply did not give it
    QString host;  // where Weir connects: the endpoint, resolved as the parsers say
    quint16 port = 0;
    QString ip;       // the announced IP, when the reply gives it
    QString hostname; // the announced hostname (7.0+), when set
    Role role = Role::Master;
    QByteArray masterId;           // a replica's master; empty for masters or when unknown
    QList<ClusterSlotRange> slots; // a master's slots, sorted; empty for replicas
    Health health = Health::Unknown;
    qint64 replicationOffset = -1; // -1 when unknown

    bool isMaster() const { return role == Role::Master; }
    // "host:port" ("[::1]:port" for IPv6), for status lines and logs.
    QString address() const;
};

class ClusterTopology
{
public:
    static constexpr int SlotCount = 16384;

    ClusterTopology() = default;
    // Fails (with the reason in `error`) when two nodes claim the same slot or a slot is
    // out of range; nodes are matched by id, or by host:port when a node has no id.
    static std::optional<ClusterTopology> fromNodes(QList<ClusterNode> nodes, QString *error);

    bool isEmpty() const { return m_nodes.isEmpty(); }
    const QList<ClusterNode> &nodes() const { return m_nodes; }
    QList<ClusterNode> masters() const;
    QList<ClusterNode> replicasOf(const ClusterNode &master) const;
    // The node with that address, or nullptr.
    const ClusterNode *nodeAt(const QString &host, quint16 port) const;

    // The master serving `slot`, or nullptr when no node serves it (a gap in the map, or
    // a slot above 16383). The pointer is valid while this topology lives unchanged.
    const ClusterNode *nodeForSlot(int slot) const;
    // The master serving the key's slot (keySlot(): CRC16 with hash tags), or nullptr.
    const ClusterNode *masterForKey(const QByteArray &key) const;

    int coveredSlots() const;

    // This map (slots, masters and replicas as they are) with what `listed` says of each
    // node: health, replication offset, announced names; a listed node this map lacks (a
    // failed master CLUSTER SLOTS leaves out) is added, serving nothing.
    ClusterTopology withNodesFrom(const QList<ClusterNode> &listed) const;
    bool coversAllSlots() const { return coveredSlots() == SlotCount; }

private:
    struct Owned
    {
        ClusterSlotRange range;
        int node = 0; // index into m_nodes
    };
    QList<ClusterNode> m_nodes;
    QList<Owned> m_ranges; // sorted by first slot, never overlapping
};

// CLUSTER SHARDS (Redis 7.0+): shards as field lists ("slots", "nodes"), each node a field
// list (id, port, ip, endpoint, hostname, role, replication-offset, health). Slot numbers
// may be integers or strings. A node's host is its endpoint; an empty or nil endpoint means
// the host the reply came from (`connectedHost`), "?" (unknown) its ip if given, else
// `connectedHost`. Replicas follow the master of their shard. A shard that lists several
// masters (newer servers keep the old one listed after a failover) is served by the one
// whose health is online, the others kept as masters without slots; when that is not one
// node, or the shard lists no slots, the parse fails with `ambiguous` set: ask CLUSTER SLOTS,
// and add what this reply said of the nodes (`listed`) with ClusterTopology::withNodesFrom().
std::optional<ClusterTopology> parseClusterShards(const RedisValue &reply,
                                                  const QString &connectedHost, QString *error,
                                                  bool *ambiguous = nullptr,
                                                  QList<ClusterNode> *listed = nullptr);

// CLUSTER SLOTS (every version): [first, last, master, replica, ...] per range, each node
// [host, port, id?, metadata?]. Slot numbers and ports may be integers or strings. Host
// rules as for CLUSTER SHARDS ("?" falls back to the "ip" in the metadata). A master
// serving several ranges appears once, with all of them.
std::optional<ClusterTopology> parseClusterSlots(const RedisValue &reply,
                                                 const QString &connectedHost, QString *error);

// The redirect in a MOVED or ASK error reply: "MOVED 3999 127.0.0.1:6381".
struct ClusterRedirect
{
    enum class Kind : quint8 { Moved, Ask };
    Kind kind = Kind::Moved;
    quint16 slot = 0;
    QString host; // an empty host in the error means `connectedHost`
    quint16 port = 0;
};

// Splits on the last colon, so IPv6 hosts ("::1:6381", "[::1]:6381") work. Any other
// reply, or a malformed redirect, gives nullopt and the reason.
std::optional<ClusterRedirect> parseClusterRedirect(const RedisValue &reply,
                                                    const QString &connectedHost, QString *error);
std::optional<ClusterRedirect> parseClusterRedirect(const QByteArray &errorText,
                                                    const QString &connectedHost, QString *error);

// INFO (with the cluster section): whether cluster_enabled is 1.
std::optional<bool> parseClusterEnabled(const RedisValue &reply, QString *error);

Q_DECLARE_METATYPE(ClusterTopology)
