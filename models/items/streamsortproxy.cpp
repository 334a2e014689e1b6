#include "streamsortproxy.h"

#include "streamlistmodel.h"

#include <algorithm>
#include <iterator>
#include <numeric>

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
    m_byName.clear();
    m_nameRank.clear();
    if (m_streams) {
        // Rows are only ever appended, or all replaced. New rows are ranked before the base
        // class sees them (it is connected after this), as it sorts them among themselves.
        connect(source, &QAbstractItemModel::modelAboutToBeReset, this, [this] {
            m_byName.clear();
            m_nameRank.clear();
        });
        connect(source, &QAbstractItemModel::rowsInserted, this, [this] {
            if (sortColumn() == StreamListModel::Name)
                rankNames();
        });
    }
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
    if (column == StreamListModel::Name)
        rankNames();
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
        // Sorting takes at most a tenth of the GUI thread while rows pour in (it shares the
        // machine with the scan it is sorting), and a large table is re-sorted at most
        // once a second, as often as its rows arrive.
        m_resortTimer.start(int(std::max({qint64(MinResortIntervalMs), 10 * m_lastSortMs,
                                          qMin<qint64>(sourceModel()->rowCount() / 100, 1000)})));
}

namespace {

// ASCII lowercase, as QByteArray::compare(Qt::CaseInsensitive) folds.
constexpr uchar asciiLower(uchar c)
{
    return c >= 'A' && c <= 'Z' ? uchar(c | 0x20) : c;
}

// Case-insensitive order on bytes, then the bytes themselves. Keys share long prefixes
// ("queue:", "orders:events:"), which are skipped without folding.
bool keyLess(const QByteArray &a, const QByteArray &b)
{
    const auto *x = reinterpret_cast<const uchar *>(a.constData());
    const auto *y = reinterpret_cast<const uchar *>(b.constData());
    const qsizetype n = qMin(a.size(), b.size());
    qsizetype i = 0;
    int tie = 0; // the first difference in case only
    while (true) {
        while (i < n && x[i] == y[i])
            ++i;
        if (i == n)
            return a.size() != b.size() ? a.size() < b.size() : tie < 0;
        const uchar fx = asciiLower(x[i]), fy = asciiLower(y[i]);
        if (fx != fy)
            return fx < fy;
        if (tie == 0)
            tie = x[i] < y[i] ? -1 : 1;
        ++i;
    }
}

} // namespace

bool StreamSortProxy::nameLess(int left, int right) const
{
    return keyLess(m_streams->key(left), m_streams->key(right));
}

void StreamSortProxy::rankNames()
{
    const int first = int(m_byName.size());
    if (!m_streams || m_streams->rowCount() <= first)
        return;
    std::vector<int> added(size_t(m_streams->rowCount() - first));
    std::iota(added.begin(), added.end(), first);
    const auto less = [this](int a, int b) { return nameLess(a, b); };
    std::sort(added.begin(), added.end(), less);
    std::vector<int> merged;
    merged.reserve(m_byName.size() + added.size());
    std::merge(m_byName.begin(), m_byName.end(), added.begin(), added.end(),
               std::back_inserter(merged), less);
    m_byName = std::move(merged);
    m_nameRank.resize(m_byName.size());
    for (size_t i = 0; i < m_byName.size(); ++i)
        m_nameRank[size_t(m_byName[i])] = int(i);
}

bool StreamSortProxy::lessThan(const QModelIndex &left, const QModelIndex &right) const
{
    if (!m_streams)
        return QSortFilterProxyModel::lessThan(left, right);
    if (left.column() != StreamListModel::Name)
        return m_streams->sortValue(left.row(), left.column())
               < m_streams->sortValue(right.row(), right.column());
    // Rows not ranked yet: inserted while sorted by another column.
    const auto l = size_t(left.row()), r = size_t(right.row());
    if (l < m_nameRank.size() && r < m_nameRank.size())
        return m_nameRank[l] < m_nameRank[r];
    return nameLess(left.row(), right.row());
}
