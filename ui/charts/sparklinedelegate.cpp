#include "sparklinedelegate.h"

#include "dashboardmodel.h"

#include <QApplication>
#include <QPainter>
#include <QPainterPath>

#include <cmath>

SparklineDelegate::SparklineDelegate(int capacity, QObject *parent)
    : QStyledItemDelegate(parent)
    , m_capacity(qMax(2, capacity))
{}

void SparklineDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option,
                              const QModelIndex &index) const
{
    // Background, selection and focus as for any cell (the cell has no text).
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    opt.text.clear();
    const QWidget *widget = option.widget;
    QStyle *style = widget ? widget->style() : QApplication::style();
    style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, widget);

    const QList<double> points = index.data(DashboardModel::SparklineRole).value<QList<double>>();
    if (points.isEmpty())
        return;
    double top = 0;
    for (double p : points) {
        if (!std::isnan(p))
            top = std::max(top, p);
    }
    const QRectF area = QRectF(option.rect).adjusted(4, 4, -4, -4);
    if (area.width() < 4 || area.height() < 2)
        return;
    const double dx = area.width() / (m_capacity - 1);
    const qsizetype n = points.size();
    auto at = [&](qsizetype i) {
        const double x = area.right() - double(n - 1 - i) * dx;
        const double y = top > 0 ? area.bottom() - points[i] / top * area.height() : area.bottom();
        return QPointF(x, y);
    };

    const bool selected = option.state & QStyle::State_Selected;
    QColor color = selected ? option.palette.color(QPalette::HighlightedText)
                            : option.palette.color(QPalette::Link);
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    painter->setClipRect(option.rect);
    QPen pen(color, 1.5);
    pen.setJoinStyle(Qt::RoundJoin);
    painter->setPen(pen);
    painter->setBrush(Qt::NoBrush);
    QPainterPath path;
    for (qsizetype i = 0; i < n; ++i) {
        if (std::isnan(points[i]) || at(i).x() < area.left() - 0.5)
            continue;
        const bool joined =
            i > 0 && !std::isnan(points[i - 1]) && at(i - 1).x() >= area.left() - 0.5;
        const bool continues = i + 1 < n && !std::isnan(points[i + 1]);
        if (joined) {
            path.lineTo(at(i));
        } else if (continues) {
            path.moveTo(at(i));
        } else {
            // Alone between gaps: a dot.
            painter->setBrush(color);
            painter->drawEllipse(at(i), 1.5, 1.5);
            painter->setBrush(Qt::NoBrush);
        }
    }
    painter->drawPath(path);
    // The newest point, marked.
    if (!std::isnan(points.last())) {
        painter->setBrush(color);
        painter->drawEllipse(at(n - 1), 2, 2);
    }
    painter->restore();
}

QSize SparklineDelegate::sizeHint(const QStyleOptionViewItem &option,
                                  const QModelIndex &index) const
{
    const QSize base = QStyledItemDelegate::sizeHint(option, index);
    return QSize(qMax(base.width(), m_capacity + 16), base.height());
}
