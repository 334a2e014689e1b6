#pragma once

#include <QObject>

class ClusterNodesModel;
class ConnectionSession;
class QTimer;

// Keeps the nodes of a cluster session up to date in a ClusterNodesModel: the slot map
// each time the connection reads one, what every node says of itself (INFO, asked of that
// node; a node the cluster marks failed is not asked), and the session's listed streams,
// counted again when the overview's rows change (at most twice a second while a large
// keyspace is being listed).
// GUI thread only.
class ClusterNodesReader : public QObject
{
    Q_OBJECT
public:
    // Reads at once what the session knows, then follows it. Neither is owned.
    ClusterNodesReader(ConnectionSession *session, ClusterNodesModel *model,
                       QObject *parent = nullptr);

    // Reads the slot map anew, and with it every node's details.
    void refresh();

    // How long a node has to answer INFO.
    static constexpr int NodeTimeoutMs = 3000;

private:
    void read();
    void countStreams();

    ConnectionSession *m_session;
    ClusterNodesModel *m_model;
    QTimer *m_recount;
};
