#pragma once

#include <QElapsedTimer>
#include <QSortFilterProxyModel>
#include <QTimer>

#include <vector>

class StreamListModel;

// The overview's sorting and filtering.
//
// Sorting is redone in bulk rather than row by row: QSortFilterProxyModel's dynamic
// sort places each inserted or changed row on its own, at O(rows) each, which makes a
// 100,000-stream scan take seconds. Here new and changed rows first show where they
// land, and the whole table is re-sorted at most every few hundred milliseconds (and at
// once by resortNow(), e.g. when a scan ends). Filtering stays immediate.
//
// Names compare case-insensitively on their bytes (the base class would convert each
// to a QString per comparison); other columns by their numbers, read straight from
// the StreamListModel rather than through QVariants. Names are ranked incrementally: the
// rows appended since the last sort by name are sorted on their own and merged into the
// names' order, so a sort by name compares two integers (a scan's last sort, of 100,000
// rows, is the one the overview waits for).
class StreamSortProxy : public QSortFilterProxyModel
{
    Q_OBJECT
public:
    explicit StreamSortProxy(QObject *parent = nullptr);

    void setSourceModel(QAbstractItemModel *source) override;
    void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;
    // Re-sorts now if rows arrived or changed since the last sort.
    void resortNow();
    // How long the last full sort took, which sets how often it is redone.
    qint64 lastSortMs() const { return m_lastSortMs; }

protected:
    bool lessThan(const QModelIndex &left, const QModelIndex &right) const override;

private:
    void scheduleResort();
    void rankNames(); // ranks the rows appended since the last time
    bool nameLess(int left, int right) const;

    StreamListModel *m_streams = nullptr; // the source, when it is one (fast comparisons)
    QTimer m_resortTimer;
    qint64 m_lastSortMs = 0;
    bool m_unsorted = false;
    std::vector<int> m_byName;   // the source's rows in name order (with a StreamListModel)
    std::vector<int> m_nameRank; // each source row's place in m_byName
};
