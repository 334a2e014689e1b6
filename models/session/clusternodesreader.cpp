#include "clusternodesreader.h"

#include "clusternodesmodel.h"
#include "connectionsession.h"
#include "errorhint.h"
#include "redisconnection.h"
#include "streamlistmodel.h"

#include <QTimer>

ClusterNodesReader::ClusterNodesReader(ConnectionSession *session, ClusterNodesModel *model,
                                       QObject *parent)
    : QObject(parent)
    , m_session(session)
    , m_model(model)
    , m_recount(new QTimer(this))
{
    connect(session, &ConnectionSession::topologyChanged, this, &ClusterNodesReader::read);
    m_recount->setSingleShot(true);
    m_recount->setInterval(500);
    connect(m_recount, &QTimer::timeout, this, &ClusterNodesReader::countStreams);
    if (const StreamListModel *overview = session->overview()) {
        const auto later = [this] { m_recount->start(); };
        connect(overview, &QAbstractItemModel::rowsInserted, m_recount, later);
        connect(overview, &QAbstractItemModel::rowsRemoved, m_recount, later);
        connect(overview, &QAbstractItemModel::modelReset, m_recount, later);
        m_recount->start();
    }
    read();
}

void ClusterNodesReader::refresh()
{
    m_session->refreshTopology();
}

void ClusterNodesReader::read()
{
    RedisConnection *connection = m_session->connection();
    const ClusterTopology topology = connection->topology();
    m_model->setTopology(topology);
    for (const ClusterNode &node : topology.nodes()) {
        const QString address = node.address();
        if (node.health == ClusterNode::Health::Failed) {
            m_model->setDetails(address, {{}, -1, tr("The cluster marks this node failed")});
            continue;
        }
        connection->sendToNode(
            address, {RedisCommand{"INFO"}}, this,
            [model = m_model, address](const RedisResult &result) {
            ClusterNodesModel::Details details;
            QString error = result.error;
            const std::optional<ServerInfo> info =
                result.ok() ? parseServerInfo(result.replies.first(), &error) : std::nullopt;
            if (info) {
                details.version = info->displayName();
                details.usedMemoryBytes = info->usedMemoryBytes;
            } else {
                const QString hint = errorHint(error);
                details.error = hint.isEmpty() ? error : error + QLatin1Char('\n') + hint;
            }
            model->setDetails(address, details);
            },
            NodeTimeoutMs);
    }
}

void ClusterNodesReader::countStreams()
{
    const StreamListModel *overview = m_session->overview();
    QList<QByteArray> streams;
    streams.reserve(overview->rowCount());
    for (int row = 0; row < overview->rowCount(); ++row)
        streams.append(overview->key(row));
    m_model->setStreams(streams);
}
