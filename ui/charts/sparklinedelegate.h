#pragma once

#include <QStyledItemDelegate>

// Paints a row's recent values (DashboardModel::SparklineRole: a QList<double>, oldest
// first, NaN for gaps) as a small line: scaled from 0 to the largest value shown, the
// newest point at the right edge, `capacity` points across the cell so that lines of rows
// that appeared later line up in time with the others. A gap breaks the line; a point
// with no neighbour is drawn as a dot.
class SparklineDelegate : public QStyledItemDelegate
{
    Q_OBJECT
public:
    explicit SparklineDelegate(int capacity, QObject *parent = nullptr);

    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;

private:
    int m_capacity;
};
