#include "viewstate.h"

#include <QHeaderView>

#include <QHash>
#include <QItemSelectionModel>
#include <QScrollBar>
#include <QTableView>

ViewState ViewState::save(const QTableView *view, int idRole)
{
    ViewState state;
    const QModelIndex current = view->currentIndex();
    if (current.isValid())
        state.current = current.siblingAtColumn(0).data(idRole).toByteArray();
    const QModelIndexList rows = view->selectionModel()->selectedRows();
    for (const QModelIndex &row : rows)
        state.selected.append(row.data(idRole).toByteArray());
    const int top = view->rowAt(0);
    if (top >= 0)
        state.top = view->model()->index(top, 0).data(idRole).toByteArray();
    return state;
}

bool ViewState::restore(QTableView *view, int idRole) const
{
    const QAbstractItemModel *model = view->model();
    QHash<QByteArray, int> rowOf;
    rowOf.reserve(model->rowCount());
    for (int row = 0; row < model->rowCount(); ++row)
        rowOf.insert(model->index(row, 0).data(idRole).toByteArray(), row);
    QItemSelection selection;
    for (const QByteArray &id : selected) {
        const int row = rowOf.value(id, -1);
        if (row >= 0)
            selection.select(model->index(row, 0), model->index(row, model->columnCount() - 1));
    }
    QItemSelectionModel *selectionModel = view->selectionModel();
    const int current = rowOf.value(this->current, -1);
    if (current >= 0)
        selectionModel->setCurrentIndex(model->index(current, 0), QItemSelectionModel::NoUpdate);
    selectionModel->select(selection, QItemSelectionModel::ClearAndSelect);
    const int top = rowOf.value(this->top, -1);
    if (top >= 0) {
        // The bar's range may not have caught up with the rows yet: widen it first.
        QScrollBar *bar = view->verticalScrollBar();
        bar->setMaximum(qMax(bar->maximum(), top));
        if (view->verticalScrollMode() == QAbstractItemView::ScrollPerItem)
            bar->setValue(top);
        else
            view->scrollTo(model->index(top, 0), QAbstractItemView::PositionAtTop);
    } else if (current >= 0) {
        view->scrollTo(model->index(current, 0));
    }
    return !selection.isEmpty();
}

void setUpLogTable(QTableView *view)
{
    view->setSelectionBehavior(QAbstractItemView::SelectRows);
    view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    view->setAlternatingRowColors(true);
    view->setWordWrap(false);
    view->setHorizontalScrollMode(QAbstractItemView::ScrollPerPixel);
    QHeaderView *rows = view->verticalHeader();
    rows->hide();
    rows->setSectionResizeMode(QHeaderView::Fixed);
    rows->setDefaultSectionSize(view->fontMetrics().height() + 6);
}
