#pragma once

#include <QWidget>

class ClusterNodesModel;
class QLabel;
class QListView;
class QPushButton;
class QStringListModel;
class QTreeView;

// The nodes of a Redis Cluster connection (see ClusterNodesModel): every master with its
// replicas, their roles, slots, addresses, health, version and memory, how many streams
// live on each, and, beside them, the streams of the selected node. A summary line says
// how many masters and replicas there are and whether every slot is served.
//
// Feed model() with the slot map, each node's details and the overview's streams.
// Double-click or Enter on a stream asks for its inspector; Refresh asks for the map and
// the nodes' details anew.
class NodesView : public QWidget
{
    Q_OBJECT
public:
    explicit NodesView(QWidget *parent = nullptr);

    ClusterNodesModel *model() const { return m_model; }
    QTreeView *tree() const { return m_tree; }
    QListView *streamList() const { return m_streams; }
    QString summaryText() const;

Q_SIGNALS:
    void streamActivated(const QByteArray &stream);
    void refreshRequested();

private:
    void showStreamsOfSelected();
    void updateSummary();

    ClusterNodesModel *m_model;
    QLabel *m_summary;
    QPushButton *m_refresh;
    QTreeView *m_tree;
    QLabel *m_streamsLabel;
    QListView *m_streams;
    QStringListModel *m_streamNames;
    QString m_selected; // the address of the selected node, kept across a new slot map
};
