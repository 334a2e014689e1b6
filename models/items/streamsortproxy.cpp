#include "streamsortproxy.h"

#include "streamlistmodel.h"

namespace {
constexpr int MinResortIntervalMs = 300;
}

StreamSortProxy::StreamSortProxy(QObject *parent)
    : QSortFilterProxyModel(parent)
{
    setDynamicSortFilter(false);
    setSortRole(StreamListModel::SortRole);
    setFilterKeyColumn(StreamListModel::Name);
    setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_resortTimer.setSingleShot(true);
    connect(&m_resortTimer, &QTimer::timeout, this, &StreamSortProxy::resortNow);
}

void StreamSortProxy::setSourceModel(QAbstractItemModel *source)
{
    if (sourceModel())
        sourceModel()->disconnect(this);
    // Before the base class resets: the reset may already sort the new rows.
    m_streams = qobject_cast<StreamListModel *>(source);
    const int column = sortColumn();
    const Qt::SortOrder order = sortOrder();
    QSortFilterProxyModel::setSourceModel(source);
    m_resortTimer.stop();
    if (!source)
        return;
    // Without dynamic sorting, the base class maps new sources unsorted.
    if (column >= 0)
        sort(column, order);
    connect(source, &QAbstractItemModel::rowsInserted, this, &StreamSortProxy::scheduleResort);
    connect(source, &QAbstractItemModel::dataChanged, this,
            [this](const QModelIndex &topLeft, const QModelIndex &bottomRight) {
        if (sortColumn() > StreamListModel::Name && topLeft.column() <= sortColumn()
            && sortColumn() <= bottomRight.column())
            scheduleResort();
    });
}

void StreamSortProxy::sort(int column, Qt::SortOrder order)
{
    QElapsedTimer timer;
    timer.start();
    QSortFilterProxyModel::sort(column, order);
    m_lastSortMs = timer.elapsed();
    m_unsorted = false;
    m_resortTimer.stop();
}

void StreamSortProxy::resortNow()
{
    if (m_unsorted && sortColumn() >= 0)
        sort(sortColumn(), sortOrder());
}

void StreamSortProxy::scheduleResort()
{
    m_unsorted = true;
    if (sortColumn() >= 0 && !m_resortTimer.isActive())
        m_resortTimer.start(int(qMax<qint64>(MinResortIntervalMs, 4 * m_lastSortMs)));
}

bool StreamSortProxy::lessThan(const QModelIndex &left, const QModelIndex &right) const
{
    if (!m_streams)
        return QSortFilterProxyModel::lessThan(left, right);
    if (left.column() != StreamListModel::Name)
        return m_streams->sortValue(left.row(), left.column())
               < m_streams->sortValue(right.row(), right.column());
    const QByteArray &a = m_streams->key(left.row());
    const QByteArray &b = m_streams->key(right.row());
    const int c = a.compare(b, Qt::CaseInsensitive);
    return c != 0 ? c < 0 : a < b;
}
