#include "clustertopology.h"

#include "keyslot.h"

#include <algorithm>

namespace {

bool fail(QString *error, const QString &why)
{
    if (error)
        *error = why;
    return false;
}

bool isText(const RedisValue &v)
{
    return v.isString() || v.isStatus();
}

// An integer reply, or a string of decimal digits (some versions and proxies send slot
// numbers and ports as strings).
bool readInt(const RedisValue &v, qint64 *out)
{
    if (v.isInteger()) {
        *out = v.toInteger();
        return true;
    }
    if (isText(v)) {
        bool ok = false;
        *out = v.bytes().trimmed().toLongLong(&ok);
        return ok;
    }
    return false;
}

bool readSlot(const RedisValue &v, quint16 *out)
{
    qint64 n = 0;
    if (!readInt(v, &n) || n < 0 || n >= ClusterTopology::SlotCount)
        return false;
    *out = quint16(n);
    return true;
}

bool readPort(const RedisValue &v, quint16 *out)
{
    qint64 n = 0;
    if (!readInt(v, &n) || n < 0 || n > 65535)
        return false;
    *out = quint16(n);
    return true;
}

QString text(const RedisValue &v)
{
    return QString::fromUtf8(v.bytes());
}

// Where to connect, from an endpoint field (or CLUSTER SLOTS' host): nil or empty means
// "where this reply came from"; "?" means the node did not say, so its IP if known.
QString resolveHost(const RedisValue &endpoint, const QString &ip, const QString &connectedHost)
{
    if (endpoint.isNil() || endpoint.bytes().isEmpty())
        return connectedHost;
    if (endpoint.bytes() == "?")
        return ip.isEmpty() ? connectedHost : ip;
    return text(endpoint);
}

QString slotText(const ClusterSlotRange &r)
{
    return r.first == r.last ? QString::number(r.first)
                             : QStringLiteral("%1-%2").arg(r.first).arg(r.last);
}

// Walks a flat [name, value, ...] list, the RESP2 shape of a map.
template<typename Visit>
bool forEachField(const RedisValue &list, const QString &what, QString *error, Visit visit)
{
    if (!list.isArray())
        return fail(error, QStringLiteral("%1: expected a field list").arg(what));
    if (list.size() % 2 != 0)
        return fail(error, QStringLiteral("%1: odd number of elements in a field list").arg(what));
    for (qsizetype i = 0; i < list.size(); i += 2) {
        if (!isText(list.at(i)))
            return fail(error, QStringLiteral("%1: a field name is not a string").arg(what));
        if (!visit(list.at(i).bytes(), list.at(i + 1)))
            return fail(
                error,
                QStringLiteral("%1: unexpected value for \"%2\"").arg(what, text(list.at(i))));
    }
    return true;
}

bool parseShardNode(const RedisValue &v, const QString &what, const QString &connectedHost,
                    ClusterNode *node, QString *error)
{
    RedisValue endpoint;
    bool sawEndpoint = false, sawPort = false, sawRole = false;
    quint16 tlsPort = 0;
    const bool ok =
        forEachField(v, what, error, [&](const QByteArray &name, const RedisValue &value) {
            if (name == "id") {
                node->id = value.bytes();
                return isText(value) && !value.bytes().isEmpty();
            }
            if (name == "port")
                return sawPort = readPort(value, &node->port);
            if (name == "tls-port")
                return readPort(value, &tlsPort);
            if (name == "ip") {
                node->ip = text(value);
                return isText(value);
            }
            if (name == "hostname") {
                node->hostname = text(value);
                return isText(value);
            }
            if (name == "endpoint") {
                endpoint = value;
                return sawEndpoint = value.isNil() || isText(value);
            }
            if (name == "role") {
                if (value.bytes() == "master")
                    node->role = ClusterNode::Role::Master;
                else if (value.bytes() == "replica" || value.bytes() == "slave")
                    node->role = ClusterNode::Role::Replica;
                else
                    return false;
                return sawRole = isText(value);
            }
            if (name == "replication-offset")
                return readInt(value, &node->replicationOffset);
            if (name == "health") {
                const QByteArray &h = value.bytes();
                node->health = h == "online"                    ? ClusterNode::Health::Online
                               : h == "loading"                 ? ClusterNode::Health::Loading
                               : (h == "fail" || h == "failed") ? ClusterNode::Health::Failed
                                                                : ClusterNode::Health::Unknown;
                return isText(value);
            }
            return true; // fields of newer versions are ignored
        });
    if (!ok)
        return false;
    if (node->id.isEmpty())
        return fail(error, QStringLiteral("%1: no \"id\"").arg(what));
    if (!sawPort && tlsPort == 0)
        return fail(error, QStringLiteral("%1: no \"port\"").arg(what));
    if (!sawPort || node->port == 0)
        node->port = tlsPort;
    if (!sawRole)
        return fail(error, QStringLiteral("%1: no \"role\"").arg(what));
    if (sawEndpoint)
        node->host = resolveHost(endpoint, node->ip, connectedHost);
    else
        node->host = node->ip.isEmpty() ? connectedHost : node->ip;
    return true;
}

// One [host, port, id?, metadata?] element of CLUSTER SLOTS.
bool parseSlotsNode(const RedisValue &v, const QString &what, const QString &connectedHost,
                    ClusterNode *node, QString *error)
{
    if (!v.isArray() || v.size() < 2)
        return fail(error, QStringLiteral("%1: expected [host, port, ...]").arg(what));
    if (!v.at(0).isNil() && !isText(v.at(0)))
        return fail(error, QStringLiteral("%1: the host is not a string").arg(what));
    if (!readPort(v.at(1), &node->port))
        return fail(error,
                    QStringLiteral("%1: the port is not a number from 0 to 65535").arg(what));
    if (v.size() > 2) {
        if (!isText(v.at(2)))
            return fail(error, QStringLiteral("%1: the node id is not a string").arg(what));
        node->id = v.at(2).bytes();
    }
    if (v.size() > 3 && v.at(3).isArray()) {
        const bool ok = forEachField(v.at(3), what + QStringLiteral(" metadata"), error,
                                     [&](const QByteArray &name, const RedisValue &value) {
            if (name == "ip")
                node->ip = text(value);
            else if (name == "hostname")
                node->hostname = text(value);
            return true;
        });
        if (!ok)
            return false;
    }
    node->host = resolveHost(v.at(0), node->ip, connectedHost);
    return true;
}

bool sameNode(const ClusterNode &a, const ClusterNode &b)
{
    if (!a.id.isEmpty() || !b.id.isEmpty())
        return a.id == b.id;
    return a.host == b.host && a.port == b.port;
}

} // namespace

QString ClusterNode::address() const
{
    if (host.contains(QLatin1Char(':')))
        return QStringLiteral("[%1]:%2").arg(host).arg(port);
    return QStringLiteral("%1:%2").arg(host).arg(port);
}

std::optional<ClusterTopology> ClusterTopology::fromNodes(QList<ClusterNode> nodes, QString *error)
{
    ClusterTopology t;
    for (qsizetype i = 0; i < nodes.size(); ++i) {
        for (qsizetype k = 0; k < i; ++k) {
            if (sameNode(nodes.at(i), nodes.at(k))) {
                fail(error, QStringLiteral("node %1 is listed twice").arg(nodes.at(i).address()));
                return std::nullopt;
            }
        }
        ClusterNode &node = nodes[i];
        if (!node.isMaster()) {
            node.slots.clear();
            continue;
        }
        for (const ClusterSlotRange &r : std::as_const(node.slots)) {
            if (r.first > r.last || r.last >= SlotCount) {
                fail(error, QStringLiteral("node %1: slot range %2-%3 is not within 0-16383")
                                .arg(node.address())
                                .arg(r.first)
                                .arg(r.last));
                return std::nullopt;
            }
            t.m_ranges.append(Owned{r, int(i)});
        }
        std::sort(node.slots.begin(), node.slots.end(),
                  [](const ClusterSlotRange &a, const ClusterSlotRange &b) {
            return a.first < b.first;
        });
    }
    std::sort(t.m_ranges.begin(), t.m_ranges.end(),
              [](const Owned &a, const Owned &b) { return a.range.first < b.range.first; });
    for (qsizetype i = 1; i < t.m_ranges.size(); ++i) {
        const Owned &before = t.m_ranges.at(i - 1);
        const Owned &here = t.m_ranges.at(i);
        if (here.range.first <= before.range.last) {
            fail(error, QStringLiteral("slots %1 and %2 overlap (nodes %3 and %4)")
                            .arg(slotText(before.range), slotText(here.range),
                                 nodes.at(before.node).address(), nodes.at(here.node).address()));
            return std::nullopt;
        }
    }
    t.m_nodes = std::move(nodes);
    return t;
}

QList<ClusterNode> ClusterTopology::masters() const
{
    QList<ClusterNode> out;
    for (const ClusterNode &n : m_nodes) {
        if (n.isMaster())
            out.append(n);
    }
    return out;
}

QList<ClusterNode> ClusterTopology::replicasOf(const ClusterNode &master) const
{
    QList<ClusterNode> out;
    if (master.id.isEmpty())
        return out;
    for (const ClusterNode &n : m_nodes) {
        if (!n.isMaster() && n.masterId == master.id)
            out.append(n);
    }
    return out;
}

const ClusterNode *ClusterTopology::nodeAt(const QString &host, quint16 port) const
{
    for (const ClusterNode &n : m_nodes) {
        if (n.port == port && n.host == host)
            return &n;
    }
    return nullptr;
}

const ClusterNode *ClusterTopology::nodeForSlot(int slot) const
{
    if (slot < 0 || slot >= SlotCount)
        return nullptr;
    // The last range that starts at or before the slot.
    auto it = std::upper_bound(m_ranges.cbegin(), m_ranges.cend(), slot,
                               [](int s, const Owned &o) { return s < o.range.first; });
    if (it == m_ranges.cbegin())
        return nullptr;
    --it;
    return slot <= it->range.last ? &m_nodes.at(it->node) : nullptr;
}

const ClusterNode *ClusterTopology::masterForKey(const QByteArray &key) const
{
    return nodeForSlot(keySlot(key));
}

int ClusterTopology::coveredSlots() const
{
    int n = 0;
    for (const Owned &o : m_ranges)
        n += o.range.count();
    return n;
}

std::optional<ClusterTopology> parseClusterShards(const RedisValue &reply,
                                                  const QString &connectedHost, QString *error,
                                                  bool *ambiguous, QList<ClusterNode> *listed)
{
    if (ambiguous)
        *ambiguous = false;
    QString unclear; // the first shard whose serving master is not plain
    if (reply.isError()) {
        fail(error, text(reply));
        return std::nullopt;
    }
    if (!reply.isArray()) {
        fail(error, QStringLiteral("CLUSTER SHARDS: expected an array reply"));
        return std::nullopt;
    }
    QList<ClusterNode> nodes;
    for (qsizetype s = 0; s < reply.size(); ++s) {
        const QString what = QStringLiteral("CLUSTER SHARDS: shard %1").arg(s + 1);
        QList<ClusterSlotRange> slots;
        QList<ClusterNode> shardNodes;
        bool sawSlots = false, sawNodes = false;
        QString nodeError;
        const bool ok = forEachField(reply.at(s), what, error,
                                     [&](const QByteArray &name, const RedisValue &value) {
            if (name == "slots") {
                if (!value.isArray() || value.size() % 2 != 0)
                    return false;
                for (qsizetype i = 0; i < value.size(); i += 2) {
                    ClusterSlotRange r;
                    if (!readSlot(value.at(i), &r.first) || !readSlot(value.at(i + 1), &r.last)
                        || r.first > r.last)
                        return false;
                    slots.append(r);
                }
                return sawSlots = true;
            }
            if (name == "nodes") {
                if (!value.isArray())
                    return false;
                for (qsizetype i = 0; i < value.size(); ++i) {
                    ClusterNode node;
                    if (!parseShardNode(value.at(i), what + QStringLiteral(", node %1").arg(i + 1),
                                        connectedHost, &node, &nodeError))
                        return false;
                    shardNodes.append(node);
                }
                return sawNodes = true;
            }
            return true;
        });
        if (!ok) {
            if (!nodeError.isEmpty())
                fail(error, nodeError);
            return std::nullopt;
        }
        if (!sawSlots || !sawNodes) {
            fail(error, QStringLiteral("%1: no \"%2\"")
                            .arg(what, QLatin1String(sawSlots ? "nodes" : "slots")));
            return std::nullopt;
        }
        // The master that serves the shard's slots. After a failover, for as long as the
        // old master stays down, newer servers (7.2 on) list it as a second master of the
        // shard: then the one whose health is online serves. The shard's slots may then be
        // the failed master's (none: Redis 7.2.6 does so), and only CLUSTER SLOTS tells.
        const auto isMaster = [](const ClusterNode &n) { return n.isMaster(); };
        const auto masterCount = std::count_if(shardNodes.cbegin(), shardNodes.cend(), isMaster);
        qsizetype serving =
            std::find_if(shardNodes.cbegin(), shardNodes.cend(), isMaster) - shardNodes.cbegin();
        if (masterCount > 1) {
            const auto online = [](const ClusterNode &n) {
                return n.isMaster() && n.health == ClusterNode::Health::Online;
            };
            if (slots.isEmpty()
                || std::count_if(shardNodes.cbegin(), shardNodes.cend(), online) != 1) {
                if (unclear.isEmpty())
                    unclear = QStringLiteral("%1: %2 masters, and which one serves is not "
                                             "plain")
                                  .arg(what)
                                  .arg(masterCount);
                for (ClusterNode &n : shardNodes) // known, but not what they serve
                    n.slots.clear();
                nodes.append(shardNodes);
                continue;
            }
            serving =
                std::find_if(shardNodes.cbegin(), shardNodes.cend(), online) - shardNodes.cbegin();
        } else if (masterCount == 0 && !slots.isEmpty()) {
            fail(error, QStringLiteral("%1: no master").arg(what));
            return std::nullopt;
        }
        QByteArray masterId;
        if (serving < shardNodes.size()) {
            shardNodes[serving].slots = slots;
            masterId = shardNodes.at(serving).id;
        }
        for (ClusterNode &n : shardNodes) {
            if (!n.isMaster())
                n.masterId = masterId;
        }
        nodes.append(shardNodes);
    }
    if (!unclear.isEmpty()) {
        if (ambiguous)
            *ambiguous = true;
        if (listed)
            *listed = nodes;
        fail(error, unclear);
        return std::nullopt;
    }
    QString why;
    auto topology = ClusterTopology::fromNodes(std::move(nodes), &why);
    if (!topology)
        fail(error, QStringLiteral("CLUSTER SHARDS: ") + why);
    return topology;
}

ClusterTopology ClusterTopology::withNodesFrom(const QList<ClusterNode> &listed) const
{
    ClusterTopology t = *this;
    for (const ClusterNode &other : listed) {
        const auto same =
            std::find_if(t.m_nodes.begin(), t.m_nodes.end(),
                         [&other](const ClusterNode &n) { return sameNode(n, other); });
        if (same == t.m_nodes.end()) {
            ClusterNode absent = other; // serving no slot in this map
            absent.slots.clear();
            t.m_nodes.append(absent);
            continue;
        }
        same->health = other.health;
        same->replicationOffset = other.replicationOffset;
        if (same->hostname.isEmpty())
            same->hostname = other.hostname;
        if (same->ip.isEmpty())
            same->ip = other.ip;
    }
    return t;
}

std::optional<ClusterTopology> parseClusterSlots(const RedisValue &reply,
                                                 const QString &connectedHost, QString *error)
{
    if (reply.isError()) {
        fail(error, text(reply));
        return std::nullopt;
    }
    if (!reply.isArray()) {
        fail(error, QStringLiteral("CLUSTER SLOTS: expected an array reply"));
        return std::nullopt;
    }
    QList<ClusterNode> nodes;
    auto find = [&nodes](const ClusterNode &n) -> ClusterNode * {
        for (ClusterNode &known : nodes) {
            if (sameNode(known, n))
                return &known;
        }
        return nullptr;
    };
    for (qsizetype e = 0; e < reply.size(); ++e) {
        const QString what = QStringLiteral("CLUSTER SLOTS: range %1").arg(e + 1);
        const RedisValue &entry = reply.at(e);
        ClusterSlotRange range;
        if (!entry.isArray() || entry.size() < 3) {
            fail(error, QStringLiteral("%1: expected [first, last, master, ...]").arg(what));
            return std::nullopt;
        }
        if (!readSlot(entry.at(0), &range.first) || !readSlot(entry.at(1), &range.last)
            || range.first > range.last) {
            fail(error, QStringLiteral("%1: the slots are not a range within 0-16383").arg(what));
            return std::nullopt;
        }
        ClusterNode master;
        if (!parseSlotsNode(entry.at(2), what + QStringLiteral(", master"), connectedHost, &master,
                            error))
            return std::nullopt;
        if (ClusterNode *known = find(master)) {
            if (!known->isMaster()) {
                fail(error, QStringLiteral("%1: %2 is listed as a master and as a replica")
                                .arg(what, master.address()));
                return std::nullopt;
            }
            known->slots.append(range);
        } else {
            master.slots = {range};
            nodes.append(master);
        }
        for (qsizetype r = 3; r < entry.size(); ++r) {
            ClusterNode replica;
            if (!parseSlotsNode(entry.at(r), what + QStringLiteral(", replica %1").arg(r - 2),
                                connectedHost, &replica, error))
                return std::nullopt;
            replica.role = ClusterNode::Role::Replica;
            replica.masterId = master.id;
            if (ClusterNode *known = find(replica)) {
                if (known->isMaster()) {
                    fail(error, QStringLiteral("%1: %2 is listed as a master and as a replica")
                                    .arg(what, replica.address()));
                    return std::nullopt;
                }
                if (known->masterId != replica.masterId) {
                    fail(error, QStringLiteral("%1: replica %2 follows two masters")
                                    .arg(what, replica.address()));
                    return std::nullopt;
                }
            } else {
                nodes.append(replica);
            }
        }
    }
    QString why;
    auto topology = ClusterTopology::fromNodes(std::move(nodes), &why);
    if (!topology)
        fail(error, QStringLiteral("CLUSTER SLOTS: ") + why);
    return topology;
}

std::optional<ClusterRedirect> parseClusterRedirect(const QByteArray &errorText,
                                                    const QString &connectedHost, QString *error)
{
    const QList<QByteArray> parts = errorText.trimmed().split(' ');
    ClusterRedirect r;
    if (parts.value(0) == "MOVED") {
        r.kind = ClusterRedirect::Kind::Moved;
    } else if (parts.value(0) == "ASK") {
        r.kind = ClusterRedirect::Kind::Ask;
    } else {
        fail(error, QStringLiteral("not a MOVED or ASK redirect: %1")
                        .arg(QString::fromUtf8(errorText.left(80))));
        return std::nullopt;
    }
    const QString what = QString::fromLatin1(parts.first());
    if (parts.size() != 3) {
        fail(error, QStringLiteral("%1: expected \"%1 <slot> <host>:<port>\"").arg(what));
        return std::nullopt;
    }
    bool ok = false;
    const uint slot = parts.at(1).toUInt(&ok);
    if (!ok || slot >= uint(ClusterTopology::SlotCount)) {
        fail(error, QStringLiteral("%1: the slot \"%2\" is not a number from 0 to 16383")
                        .arg(what, QString::fromUtf8(parts.at(1).left(20))));
        return std::nullopt;
    }
    r.slot = quint16(slot);
    const QByteArray &address = parts.at(2);
    const qsizetype colon = address.lastIndexOf(':');
    if (colon < 0) {
        fail(error, QStringLiteral("%1: the address \"%2\" has no port")
                        .arg(what, QString::fromUtf8(address.left(80))));
        return std::nullopt;
    }
    const uint port = address.mid(colon + 1).toUInt(&ok);
    if (!ok || port == 0 || port > 65535) {
        fail(error, QStringLiteral("%1: the port in \"%2\" is not a number from 1 to 65535")
                        .arg(what, QString::fromUtf8(address.left(80))));
        return std::nullopt;
    }
    r.port = quint16(port);
    QByteArray host = address.left(colon);
    if (host.startsWith('[') && host.endsWith(']'))
        host = host.mid(1, host.size() - 2);
    r.host = host.isEmpty() ? connectedHost : QString::fromUtf8(host);
    return r;
}

std::optional<ClusterRedirect> parseClusterRedirect(const RedisValue &reply,
                                                    const QString &connectedHost, QString *error)
{
    if (!reply.isError()) {
        fail(error, QStringLiteral("not a redirect: the reply is not an error"));
        return std::nullopt;
    }
    return parseClusterRedirect(reply.bytes(), connectedHost, error);
}

std::optional<bool> parseClusterEnabled(const RedisValue &reply, QString *error)
{
    if (reply.isError()) {
        fail(error, text(reply));
        return std::nullopt;
    }
    if (!reply.isString()) {
        fail(error, QStringLiteral("INFO: expected a bulk string reply"));
        return std::nullopt;
    }
    for (const QByteArray &line : reply.bytes().split('\n')) {
        const QByteArray l = line.trimmed();
        if (!l.startsWith("cluster_enabled:"))
            continue;
        const QByteArray value = l.mid(int(sizeof "cluster_enabled:") - 1);
        if (value == "1")
            return true;
        if (value == "0")
            return false;
        fail(error, QStringLiteral("INFO: cluster_enabled is \"%1\", not 0 or 1")
                        .arg(QString::fromUtf8(value.left(20))));
        return std::nullopt;
    }
    fail(error, QStringLiteral("INFO: no cluster_enabled field (INFO cluster has it)"));
    return std::nullopt;
}
