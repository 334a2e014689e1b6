#include "nodesview.h"

#include "clusternodesmodel.h"
#include "palette.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QListView>
#include <QLocale>
#include <QPushButton>
#include <QSplitter>
#include <QStringListModel>
#include <QTreeView>
#include <QVBoxLayout>

NodesView::NodesView(QWidget *parent)
    : QWidget(parent)
    , m_model(new ClusterNodesModel(this))
    , m_summary(new QLabel(this))
    , m_refresh(new QPushButton(tr("Refresh"), this))
    , m_tree(new QTreeView(this))
    , m_streamsLabel(new QLabel(this))
    , m_streams(new QListView(this))
    , m_streamNames(new QStringListModel(this))
{
    m_summary->setObjectName(QStringLiteral("nodesSummary"));
    m_summary->setTextFormat(Qt::PlainText);
    m_refresh->setObjectName(QStringLiteral("nodesRefresh"));
    m_refresh->setToolTip(tr("Read the slot map and every node's details again"));
    connect(m_refresh, &QPushButton::clicked, this, &NodesView::refreshRequested);

    m_tree->setObjectName(QStringLiteral("nodesTree"));
    m_tree->setModel(m_model);
    m_tree->setRootIsDecorated(true);
    m_tree->setAlternatingRowColors(true);
    m_tree->setUniformRowHeights(true);
    m_tree->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_tree->setSelectionMode(QAbstractItemView::SingleSelection);
    m_tree->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_tree->header()->setStretchLastSection(false);
    m_tree->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_tree->header()->setSectionResizeMode(ClusterNodesModel::SlotsColumn, QHeaderView::Stretch);

    m_streamsLabel->setObjectName(QStringLiteral("nodeStreamsLabel"));
    m_streamsLabel->setTextFormat(Qt::PlainText);
    m_streams->setObjectName(QStringLiteral("nodeStreams"));
    m_streams->setModel(m_streamNames);
    m_streams->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_streams->setUniformItemSizes(true);
    connect(m_streams, &QListView::activated, this, [this](const QModelIndex &index) {
        Q_EMIT streamActivated(index.data().toString().toUtf8());
    });

    // A new slot map resets the model: show it whole and keep the selected node selected.
    connect(m_model, &QAbstractItemModel::modelReset, this, [this] {
        m_tree->expandAll();
        const QModelIndexList match =
            m_model->match(m_model->index(0, 0), ClusterNodesModel::AddressRole, m_selected, 1,
                           Qt::MatchExactly | Qt::MatchRecursive);
        const QModelIndex row = match.isEmpty() ? m_model->index(0, 0) : match.first();
        if (row.isValid()) {
            m_tree->selectionModel()->setCurrentIndex(row, QItemSelectionModel::ClearAndSelect
                                                               | QItemSelectionModel::Rows);
        }
        showStreamsOfSelected();
        updateSummary();
    });
    connect(m_tree->selectionModel(), &QItemSelectionModel::currentChanged, this,
            [this](const QModelIndex &current) {
        m_selected = current.data(ClusterNodesModel::AddressRole).toString();
        showStreamsOfSelected();
    });
    connect(m_model, &QAbstractItemModel::dataChanged, this,
            [this](const QModelIndex &topLeft, const QModelIndex &bottomRight) {
        if (topLeft.column() <= ClusterNodesModel::StreamsColumn
            && bottomRight.column() >= ClusterNodesModel::StreamsColumn) {
            showStreamsOfSelected();
            updateSummary();
        }
    });

    auto *top = new QHBoxLayout;
    top->addWidget(m_summary, 1);
    top->addWidget(m_refresh);

    auto *side = new QWidget(this);
    auto *sideLayout = new QVBoxLayout(side);
    sideLayout->setContentsMargins(0, 0, 0, 0);
    sideLayout->addWidget(m_streamsLabel);
    sideLayout->addWidget(m_streams, 1);

    auto *splitter = new QSplitter(this);
    splitter->addWidget(m_tree);
    splitter->addWidget(side);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 1);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(splitter, 1);
    updateSummary();
    showStreamsOfSelected();
}

QString NodesView::summaryText() const
{
    return m_summary->text();
}

void NodesView::showStreamsOfSelected()
{
    if (m_selected.isEmpty()) {
        m_streamsLabel->setText(tr("Select a node to see its streams."));
        m_streamNames->setStringList({});
        return;
    }
    const QList<QByteArray> streams = m_model->streamsOf(m_selected);
    QStringList names;
    names.reserve(streams.size());
    for (const QByteArray &s : streams)
        names.append(QString::fromUtf8(s));
    m_streamNames->setStringList(names);
    m_streamsLabel->setText(
        tr("Streams on %1's slots: %2").arg(m_selected, QLocale().toString(streams.size())));
}

void NodesView::updateSummary()
{
    const ClusterTopology &topology = m_model->topology();
    if (topology.isEmpty()) {
        m_summary->setText(tr("Reading the cluster's slot map…"));
        return;
    }
    // A failed node is counted apart, whatever role it last had.
    int masters = 0;
    int replicas = 0;
    int failed = 0;
    for (const ClusterNode &node : topology.nodes()) {
        if (node.health == ClusterNode::Health::Failed)
            ++failed;
        else
            ++(node.isMaster() ? masters : replicas);
    }
    int streams = 0;
    for (int row = 0; row < m_model->rowCount(); ++row)
        streams += int(m_model->index(row, 0)
                           .data(ClusterNodesModel::StreamsRole)
                           .value<QList<QByteArray>>()
                           .size());
    const int served = topology.coveredSlots();
    const QString slots =
        served == ClusterTopology::SlotCount
            ? tr("all %1 slots served").arg(QLocale().toString(ClusterTopology::SlotCount))
            : tr("%1 of %2 slots served: the cluster cannot take every key")
                  .arg(QLocale().toString(served), QLocale().toString(ClusterTopology::SlotCount));
    QStringList parts{tr("%Ln masters", nullptr, masters), tr("%Ln replicas", nullptr, replicas)};
    if (failed > 0)
        parts.append(tr("%Ln nodes failed", nullptr, failed));
    parts << slots << tr("%Ln streams", nullptr, streams);
    m_summary->setText(parts.join(QStringLiteral(" · ")));
    m_summary->setStyleSheet(
        served == ClusterTopology::SlotCount ? QString() : statusStyleSheet(Status::Error));
}
