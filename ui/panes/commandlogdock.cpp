#include "commandlogdock.h"

#include "commandlogmodel.h"
#include "viewstate.h"

#include <climits>

#include <QAction>
#include <QBoxLayout>
#include <QCheckBox>
#include <QClipboard>
#include <QGuiApplication>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QScrollBar>
#include <QTableView>
#include <QTimer>

CommandLogDock::CommandLogDock(CommandLogModel *model, QWidget *parent)
    : QDockWidget(tr("Command log"), parent)
    , m_model(model)
    , m_filter(new CommandLogFilter(this))
    , m_filterEdit(new QLineEdit(this))
    , m_errorsOnly(new QCheckBox(tr("&Errors only"), this))
    , m_count(new QLabel(this))
    , m_copy(new QPushButton(tr("&Copy"), this))
    , m_clear(new QPushButton(tr("C&lear"), this))
    , m_view(new QTableView(this))
{
    setObjectName(QStringLiteral("commandLogDock"));
    m_filter->setSourceModel(m_model);

    m_filterEdit->setObjectName(QStringLiteral("commandLogFilter"));
    m_filterEdit->setPlaceholderText(tr("Filter commands and results"));
    m_filterEdit->setClearButtonEnabled(true);
    m_errorsOnly->setObjectName(QStringLiteral("commandLogErrorsOnly"));
    m_errorsOnly->setToolTip(tr("Show only failed requests and error replies"));
    m_count->setObjectName(QStringLiteral("commandLogCount"));
    m_copy->setObjectName(QStringLiteral("commandLogCopy"));
    m_copy->setToolTip(
        tr("Copy the selected rows as tab-separated text (%1)")
            .arg(QKeySequence(QKeySequence::Copy).toString(QKeySequence::NativeText)));
    m_clear->setObjectName(QStringLiteral("commandLogClear"));
    m_clear->setToolTip(tr("Empty the log, for every connection"));

    m_view->setObjectName(QStringLiteral("commandLogView"));
    m_view->setModel(m_filter);
    setUpLogTable(m_view);
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    QHeaderView *columns = m_view->horizontalHeader();
    columns->setStretchLastSection(true);
    columns->setHighlightSections(false);
    const int pad = 2 * fontMetrics().averageCharWidth() + 8;
    m_view->setColumnWidth(CommandLogModel::Time,
                           fontMetrics().horizontalAdvance(QStringLiteral("00:00:00.000")) + pad);
    m_view->setColumnWidth(CommandLogModel::Connection, 16 * fontMetrics().averageCharWidth());
    m_view->setColumnWidth(CommandLogModel::Command, 60 * fontMetrics().averageCharWidth());
    m_view->setColumnWidth(CommandLogModel::Duration,
                           fontMetrics().horizontalAdvance(QStringLiteral("00000 ms")) + pad);

    auto *copyAction = new QAction(tr("&Copy"), m_view);
    copyAction->setShortcut(QKeySequence::Copy);
    copyAction->setShortcutContext(Qt::WidgetShortcut);
    auto *selectAll = new QAction(tr("Select &all"), m_view);
    selectAll->setShortcut(QKeySequence::SelectAll);
    selectAll->setShortcutContext(Qt::WidgetShortcut);
    auto *clearAction = new QAction(tr("C&lear the log"), m_view);
    m_view->addActions({copyAction, selectAll, clearAction});
    m_view->setContextMenuPolicy(Qt::ActionsContextMenu);
    connect(copyAction, &QAction::triggered, this, &CommandLogDock::copySelection);
    connect(selectAll, &QAction::triggered, m_view, &QTableView::selectAll);
    connect(clearAction, &QAction::triggered, m_model, &CommandLogModel::clear);

    auto *toolbar = new QHBoxLayout;
    toolbar->addWidget(m_filterEdit, 1);
    toolbar->addWidget(m_errorsOnly);
    toolbar->addSpacing(8);
    toolbar->addWidget(m_count);
    toolbar->addSpacing(8);
    toolbar->addWidget(m_copy);
    toolbar->addWidget(m_clear);
    auto *content = new QWidget(this);
    auto *layout = new QVBoxLayout(content);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(toolbar);
    layout->addWidget(m_view);
    setWidget(content);

    connect(m_filterEdit, &QLineEdit::textChanged, m_filter, &CommandLogFilter::setText);
    connect(m_errorsOnly, &QCheckBox::toggled, m_filter, &CommandLogFilter::setErrorsOnly);
    connect(m_copy, &QPushButton::clicked, this, &CommandLogDock::copySelection);
    connect(m_clear, &QPushButton::clicked, m_model, &CommandLogModel::clear);

    // Follow the newest row while the user is at the bottom; stay put once they scroll up.
    connect(m_filter, &QAbstractItemModel::rowsAboutToBeInserted, this, [this] {
        const QScrollBar *bar = m_view->verticalScrollBar();
        m_following = bar->value() >= bar->maximum();
    });
    connect(m_filter, &QAbstractItemModel::rowsInserted, this, [this] {
        if (m_following)
            m_view->scrollToBottom();
    });
    for (const auto signal : {&QAbstractItemModel::rowsInserted, &QAbstractItemModel::rowsRemoved})
        connect(m_filter, signal, this, &CommandLogDock::updateWidgets);
    connect(m_filter, &QAbstractItemModel::modelReset, this, &CommandLogDock::updateWidgets);
    connect(m_filter, &QAbstractItemModel::layoutChanged, this, &CommandLogDock::updateWidgets);
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &CommandLogDock::updateWidgets);
    updateWidgets();
}

void CommandLogDock::showEvent(QShowEvent *event)
{
    QDockWidget::showEvent(event);
    if (!m_columnsSized) {
        m_columnsSized = true;
        // Once the layout has given the view its width.
        QTimer::singleShot(0, this, &CommandLogDock::sizeColumns);
    }
}

void CommandLogDock::sizeColumns()
{
    const int narrow = m_view->columnWidth(CommandLogModel::Time)
                       + m_view->columnWidth(CommandLogModel::Connection)
                       + m_view->columnWidth(CommandLogModel::Duration);
    const int left = m_view->viewport()->width() - narrow;
    m_view->setColumnWidth(CommandLogModel::Command,
                           qMax(left * 11 / 20, 30 * fontMetrics().averageCharWidth()));
}

void CommandLogDock::copySelection()
{
    QList<int> rows;
    const QModelIndexList selected = m_view->selectionModel()->selectedRows();
    for (const QModelIndex &index : selected)
        rows.append(m_filter->mapToSource(index).row());
    if (rows.isEmpty())
        return;
    std::sort(rows.begin(), rows.end());
    QGuiApplication::clipboard()->setText(m_model->rowsAsText(rows));
}

void CommandLogDock::updateWidgets()
{
    const int shown = m_filter->rowCount();
    const int all = m_model->rowCount();
    const QString entries = tr("%Ln entries", nullptr, all);
    m_count->setText(shown == all ? entries : tr("%1 of %2").arg(shown).arg(entries));
    m_count->setToolTip(m_model->droppedCount() > 0
                            ? tr("The log keeps the newest %1 entries; %2 older ones were dropped.")
                                  .arg(m_model->maxRows())
                                  .arg(m_model->droppedCount())
                            : tr("The log keeps the newest %1 entries.").arg(m_model->maxRows()));
    m_copy->setEnabled(m_view->selectionModel()->hasSelection());
    m_clear->setEnabled(all > 0);
}
