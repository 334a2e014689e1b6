#pragma once

// Cluster nodes as a slot map describes them, for tests of what shows a cluster's nodes.

#include "clustertopology.h"

#include <QtTest>

namespace clusternodes {

constexpr auto Master = ClusterNode::Role::Master;
constexpr auto Replica = ClusterNode::Role::Replica;

// An online node on 127.0.0.1:`port` whose id (and its master's) is `id` padded to 40.
inline ClusterNode node(const char *id, quint16 port, ClusterNode::Role role,
                        QList<ClusterSlotRange> slots = {}, const char *master = "")
{
    ClusterNode n;
    n.id = QByteArray(id).leftJustified(40, '0');
    n.host = QStringLiteral("127.0.0.1");
    n.port = port;
    n.role = role;
    n.slots = std::move(slots);
    if (*master)
        n.masterId = QByteArray(master).leftJustified(40, '0');
    n.health = ClusterNode::Health::Online;
    return n;
}

inline ClusterTopology topology(QList<ClusterNode> nodes)
{
    QString error;
    auto t = ClusterTopology::fromNodes(std::move(nodes), &error);
    if (!t)
        qFatal("%s", qPrintable(error));
    return *t;
}

// Three masters (listed out of slot order) and a replica each, as `redis-cli --cluster
// create` lays them out: 7001-7003 serve the slots, 7004-7006 follow them.
inline ClusterTopology threeShards()
{
    return topology({node("c", 7003, Master, {{10923, 16383}}),
                     node("a", 7001, Master, {{0, 5460}}), node("b", 7002, Master, {{5461, 10922}}),
                     node("d", 7004, Replica, {}, "c"), node("e", 7005, Replica, {}, "a"),
                     node("f", 7006, Replica, {}, "b")});
}

} // namespace clusternodes
