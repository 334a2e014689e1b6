#include "viewstate.h"

#include <QHeaderView>

#include <QEvent>
#include <QHash>
#include <QItemSelectionModel>
#include <QPointer>
#include <QScrollBar>
#include <QSettings>
#include <QTableView>
#include <QTimer>

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
    const int currentRow = rowOf.value(current, -1);
    if (currentRow >= 0)
        selectionModel->setCurrentIndex(model->index(currentRow, 0), QItemSelectionModel::NoUpdate);
    selectionModel->select(selection, QItemSelectionModel::ClearAndSelect);
    const int topRow = rowOf.value(top, -1);
    if (topRow >= 0) {
        // The bar's range may not have caught up with the rows yet: widen it first.
        QScrollBar *bar = view->verticalScrollBar();
        bar->setMaximum(qMax(bar->maximum(), topRow));
        if (view->verticalScrollMode() == QAbstractItemView::ScrollPerItem)
            bar->setValue(topRow);
        else
            view->scrollTo(model->index(topRow, 0), QAbstractItemView::PositionAtTop);
    } else if (currentRow >= 0) {
        view->scrollTo(model->index(currentRow, 0));
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

namespace {

QPointer<QSettings> g_columnWidthSettings;

// Sizing to contents measures this many rows (the visible ones first): enough to see the
// widest of a page of entries, few enough that a stream of 100 000 opens at once.
constexpr int MeasuredRows = 100;

// Lives on the view's header as long as the view does; keeps one view's widths.
class ColumnWidthKeeper : public QObject
{
public:
    ColumnWidthKeeper(QTableView *view, const QString &key)
        : QObject(view->horizontalHeader())
        , m_view(view)
        , m_key(key)
    {
        setObjectName(QStringLiteral("columnWidthKeeper"));
        QHeaderView *header = view->horizontalHeader();
        header->setStretchLastSection(true);
        header->setResizeContentsPrecision(MeasuredRows);
        view->verticalHeader()->setResizeContentsPrecision(MeasuredRows);
        header->viewport()->installEventFilter(this);
        connect(header, &QHeaderView::sectionResized, this, [this] {
            if (m_dragging)
                m_resizedByUser = true;
        });
        // A double click on a column's edge sizes it to its contents: the user's choice too.
        connect(header, &QHeaderView::sectionHandleDoubleClicked, this,
                [this] { QTimer::singleShot(0, this, [this] { save(); }); });
        if (QAbstractItemModel *model = view->model()) {
            // Queued and coalesced: rows announced in several steps, and details filled in
            // cell by cell, are measured once.
            const auto later = [this] { widenLater(); };
            connect(model, &QAbstractItemModel::rowsInserted, this, later);
            connect(model, &QAbstractItemModel::modelReset, this, later);
            connect(model, &QAbstractItemModel::layoutChanged, this, later);
            connect(model, &QAbstractItemModel::columnsInserted, this, later);
            connect(model, &QAbstractItemModel::dataChanged, this, later);
        }
        settle();
        widen(); // the titles, and the rows the model already has
    }

protected:
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (event->type() == QEvent::MouseButtonPress) {
            m_dragging = true;
            m_resizedByUser = false;
        } else if (event->type() == QEvent::MouseButtonRelease) {
            if (m_dragging && m_resizedByUser)
                save();
            m_dragging = false;
            m_resizedByUser = false;
        }
        return QObject::eventFilter(watched, event);
    }

private:
    static QSettings *settings()
    {
        if (g_columnWidthSettings)
            return g_columnWidthSettings;
        static QSettings fallback;
        return &fallback;
    }

    void settle()
    {
        if (m_settled || !m_view || !m_view->model())
            return;
        QHeaderView *header = m_view->horizontalHeader();
        const int columns = header->count();
        if (columns == 0)
            return;
        const QVariantList kept = settings()->value(m_key).toList();
        if (kept.isEmpty())
            return;
        m_settled = true;
        // The last column stretches; its kept width is only its least.
        for (int column = 0; column < qMin(columns, int(kept.size())); ++column) {
            const int width = kept.at(column).toInt();
            if (width > 0)
                header->resizeSection(column, width);
        }
    }

    void widenLater()
    {
        if (m_settled || m_widenPending)
            return;
        m_widenPending = true;
        QTimer::singleShot(0, this, [this] {
            m_widenPending = false;
            widen();
        });
    }

    // Until the user sizes a column, each column fits its title and what its first rows
    // show, and then grows as they change (a scan lists the streams first and fills their
    // details in later); it never shrinks after the first rows, so columns do not jump
    // about while figures change.
    void widen()
    {
        settle();
        if (m_settled || !m_view || !m_view->model())
            return;
        QHeaderView *header = m_view->horizontalHeader();
        const QAbstractItemView *cells = m_view; // QTableView hides sizeHintForColumn()
        const bool hasRows = m_view->model()->rowCount() > 0;
        for (int column = 0; column < header->count(); ++column) {
            if (header->isSectionHidden(column))
                continue;
            const int needed = qMax(header->sectionSizeHint(column),
                                    hasRows ? cells->sizeHintForColumn(column) : 0);
            // The first fit may narrow a column (from Qt's default width); later ones don't.
            if (needed > header->sectionSize(column)
                || (!m_fittedRows && needed < header->sectionSize(column)))
                header->resizeSection(column, needed);
        }
        m_fittedRows = m_fittedRows || hasRows;
    }

    void save()
    {
        if (!m_view)
            return;
        m_settled = true; // the user's widths win over a later first sizing
        const QHeaderView *header = m_view->horizontalHeader();
        QVariantList widths;
        for (int column = 0; column < header->count(); ++column)
            widths.append(header->sectionSize(column));
        settings()->setValue(m_key, widths);
    }

    QPointer<QTableView> m_view;
    QString m_key;
    bool m_settled = false; // the widths are the user's: kept, or just set
    bool m_widenPending = false;
    bool m_fittedRows = false; // the columns were fitted to rows once
    bool m_dragging = false;
    bool m_resizedByUser = false;
};

} // namespace

void keepColumnWidths(QTableView *view, const QString &settingsKey)
{
    new ColumnWidthKeeper(view, settingsKey);
}

void setColumnWidthSettings(QSettings *settings)
{
    g_columnWidthSettings = settings;
}
