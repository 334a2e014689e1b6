#include "streaminspector.h"

#include "bulkactiondialog.h"
#include "connectionsession.h"
#include "deadletterview.h"
#include "entryactions.h"
#include "entrylistmodel.h"
#include "exportdialog.h"
#include "groupspane.h"
#include "historystore.h"
#include "importdialog.h"
#include "keyformat.h"
#include "palette.h"
#include "publishdialog.h"
#include "redrivedialog.h"
#include "searchpane.h"
#include "streamchart.h"
#include "streamsummary.h"
#include "trimdialog.h"
#include "valuedecoder.h"

#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QDateTimeEdit>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QLocale>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollBar>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>

StreamInspector::StreamInspector(ConnectionSession *session, const QByteArray &key, QWidget *parent)
    : QWidget(parent)
    , m_key(key)
    , m_entries(new EntryListModel(this))
    , m_view(new QTableView(this))
    , m_order(new QComboBox(this))
    , m_idEdit(new QLineEdit(this))
    // To the second: milliseconds the user never typed must not move a jump.
    , m_timeEdit(new QDateTimeEdit(
          QDateTime::fromSecsSinceEpoch(QDateTime::currentSecsSinceEpoch()), this))
    , m_live(new QCheckBox(tr("&Live"), this))
    , m_status(new QLabel(this))
    , m_error(new StatusLabel(this))
    , m_fields(new QListWidget(this))
    , m_fieldLabel(new QLabel(this))
    , m_value(new QPlainTextEdit(this))
    , m_loadAll(new QPushButton(tr("Load &all"), this))
    , m_pages(new QTabWidget(this))
    , m_summary(new QLabel(this))
    , m_summaryLoader(new StreamSummaryLoader(this))
    , m_session(session)
    , m_groupsPane(new GroupsPane(session, key, this))
    , m_searchPane(new SearchPane(session, key, this))
{
    auto *newest = new QPushButton(tr("&Newest"), this);
    auto *oldest = new QPushButton(tr("&Oldest"), this);
    auto *goId = new QPushButton(tr("Go to &id"), this);
    auto *goTime = new QPushButton(tr("Go to ti&me"), this);
    m_order->addItems({tr("Newest first"), tr("Oldest first")});
    m_order->setObjectName(QStringLiteral("order"));
    m_idEdit->setObjectName(QStringLiteral("idEdit"));
    m_idEdit->setPlaceholderText(tr("entry id, e.g. 1763800000000-0"));
    m_idEdit->setClearButtonEnabled(true);
    m_timeEdit->setObjectName(QStringLiteral("timeEdit"));
    // The Time column's own format, so that a time copied from the list is typed or
    // pasted here as it is, to the millisecond.
    m_timeEdit->setDisplayFormat(EntryListModel::timeFormat());
    m_timeEdit->setToolTip(tr("Local time, to the millisecond, as the Time column shows it"));
    m_timeEdit->setCalendarPopup(true);
    m_live->setObjectName(QStringLiteral("live"));
    m_live->setToolTip(tr("Show new entries as they arrive (while the newest end is shown)"));
    newest->setObjectName(QStringLiteral("newest"));
    oldest->setObjectName(QStringLiteral("oldest"));
    goId->setObjectName(QStringLiteral("goId"));
    goTime->setObjectName(QStringLiteral("goTime"));
    m_status->setObjectName(QStringLiteral("entriesStatus"));
    m_error->setObjectName(QStringLiteral("entriesError"));

    auto *toolbar = new QHBoxLayout;
    toolbar->addWidget(m_order);
    toolbar->addWidget(newest);
    toolbar->addWidget(oldest);
    toolbar->addSpacing(12);
    toolbar->addWidget(m_idEdit, 1);
    toolbar->addWidget(goId);
    toolbar->addSpacing(12);
    toolbar->addWidget(m_timeEdit);
    toolbar->addWidget(goTime);
    toolbar->addSpacing(12);
    toolbar->addWidget(m_live);
    // The status has a line of its own: in the bar, each change of its length ("1,000
    // entries shown (from the newest)", "54 entries shown (all)") moved every control
    // and a click meant for Go to id landed elsewhere. Its width comes from the page,
    // never from its text, which is elided to fit (the whole of it in the tooltip).
    m_status->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Fixed);
    m_status->setMinimumHeight(m_status->fontMetrics().height());
    m_status->installEventFilter(this);

    m_view->setObjectName(QStringLiteral("entriesView"));
    // Rows dropped above the view (the window sliding down) must not move what is on
    // screen either. Where the view stood is noted before the view itself reacts to the
    // removal (so connected before the view is given the model), and restored after.
    connect(m_entries, &QAbstractItemModel::rowsAboutToBeRemoved, this,
            [this](const QModelIndex &, int first, int last) {
        if (first == 0)
            m_topBeforeRemoval = m_view->verticalScrollBar()->value() - (last + 1);
    });
    m_view->setModel(m_entries);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_view->setWordWrap(false);
    m_view->setAlternatingRowColors(true);
    m_view->setVerticalScrollMode(QAbstractItemView::ScrollPerItem); // value = top row
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 6);
    m_view->horizontalHeader()->setStretchLastSection(true);
    const int idWidth =
        m_view->fontMetrics().horizontalAdvance(QStringLiteral("1763000000000-000"));
    m_view->setColumnWidth(EntryListModel::Id, idWidth + 16);
    m_view->setColumnWidth(EntryListModel::Time,
                           m_view->fontMetrics().horizontalAdvance(
                               QDateTime::currentDateTime().toString(EntryListModel::timeFormat()))
                               + 16);

    const QFont mono = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    m_fields->setObjectName(QStringLiteral("fieldList"));
    m_fieldLabel->setObjectName(QStringLiteral("fieldLabel"));
    m_fieldLabel->setWordWrap(true);
    m_value->setObjectName(QStringLiteral("fieldValue"));
    m_value->setReadOnly(true);
    m_value->setFont(mono);
    m_value->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_loadAll->setObjectName(QStringLiteral("loadAll"));
    m_loadAll->hide();
    auto *copyValue = new QPushButton(tr("&Copy value"), this);
    auto *copyXadd = new QPushButton(tr("Copy as &XADD"), this);
    auto *remove = new QPushButton(tr("&Delete…"), this);
    auto *publishCopy = new QPushButton(tr("Publish cop&y…"), this);
    publishCopy->setObjectName(QStringLiteral("publishCopy"));
    publishCopy->setToolTip(session->isReadOnly()
                                ? tr("This connection is read-only")
                                : tr("Publish a new entry with the fields of this one"));
    publishCopy->setEnabled(false);
    auto *publish = new QPushButton(tr("&Publish…"), this);
    publish->setObjectName(QStringLiteral("publish"));
    publish->setToolTip(session->isReadOnly() ? tr("This connection is read-only")
                                              : tr("XADD an entry to this stream (or another)"));
    publish->setEnabled(!session->isReadOnly());
    auto *trim = new QPushButton(tr("&Trim…"), this);
    trim->setObjectName(QStringLiteral("trim"));
    trim->setToolTip(session->isReadOnly()
                         ? tr("This connection is read-only")
                         : tr("XTRIM: remove the oldest entries, with a preview of what goes"));
    trim->setEnabled(!session->isReadOnly());
    auto *redrive = new QPushButton(tr("Redri&ve…"), this);
    redrive->setObjectName(QStringLiteral("redrive"));
    redrive->setToolTip(session->isReadOnly()
                            ? tr("This connection is read-only")
                            : tr("Copy a range of entries to another stream, for reprocessing"));
    redrive->setEnabled(!session->isReadOnly());
    auto *exportEntries = new QPushButton(tr("Expo&rt…"), this);
    exportEntries->setObjectName(QStringLiteral("export"));
    exportEntries->setToolTip(tr("Save entries (all, a range, or the selected ones) to a JSON "
                                 "Lines file"));
    auto *importEntries = new QPushButton(tr("Import…"), this);
    importEntries->setObjectName(QStringLiteral("import"));
    importEntries->setToolTip(session->isReadOnly()
                                  ? tr("This connection is read-only")
                                  : tr("Add the entries of an exported file to this stream (or "
                                       "another)"));
    importEntries->setEnabled(!session->isReadOnly());
    remove->setObjectName(QStringLiteral("deleteEntries"));
    remove->setToolTip(
        session->isReadOnly()
            ? tr("This connection is read-only")
            : tr("XDEL the selected entries (Shift or Ctrl-click to select several)"));
    remove->setEnabled(false);
    copyValue->setObjectName(QStringLiteral("copyValue"));
    copyXadd->setObjectName(QStringLiteral("copyXadd"));
    copyXadd->setToolTip(tr("The entry as a redis-cli command, byte for byte"));

    auto *detail = new QWidget(this);
    auto *detailLayout = new QVBoxLayout(detail);
    detailLayout->setContentsMargins(0, 0, 0, 0);
    detailLayout->addWidget(m_fields, 1);
    detailLayout->addWidget(m_fieldLabel);
    detailLayout->addWidget(m_value, 4);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_loadAll);
    buttons->addWidget(remove);
    buttons->addWidget(publishCopy);
    buttons->addStretch(1);
    buttons->addWidget(copyValue);
    buttons->addWidget(copyXadd);
    detailLayout->addLayout(buttons);

    auto *splitter = new QSplitter(this);
    splitter->addWidget(m_view);
    splitter->addWidget(detail);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);

    auto *entriesPage = new QWidget(this);
    auto *entriesLayout = new QVBoxLayout(entriesPage);
    entriesLayout->addLayout(toolbar);
    entriesLayout->addWidget(m_status);
    entriesLayout->addWidget(m_error);
    entriesLayout->addWidget(splitter, 1);

    m_pages->setObjectName(QStringLiteral("inspectorPages"));
    m_pages->addTab(entriesPage, tr("&Entries"));
    m_pages->addTab(m_groupsPane, tr("&Groups"));
    m_pages->addTab(m_searchPane, tr("Searc&h")); // Alt+S is the Search button
    connect(m_searchPane, &SearchPane::entryActivated, this, &StreamInspector::showEntryId);
    m_summary->setObjectName(QStringLiteral("streamSummary"));
    m_summary->setWordWrap(true);
    // Two lines kept from the start, so the page below does not move down when the summary
    // arrives (at the widths Weir is used at it takes one or two).
    m_summary->setMinimumHeight(2 * m_summary->fontMetrics().lineSpacing());
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 4, 0, 0);
    auto *summaryRow = new QHBoxLayout;
    summaryRow->addWidget(m_summary, 1);
    summaryRow->addWidget(publish);
    summaryRow->addWidget(trim);
    summaryRow->addWidget(redrive);
    summaryRow->addSpacing(8);
    summaryRow->addWidget(exportEntries);
    summaryRow->addWidget(importEntries);
    m_deadLettersButton = new QPushButton(this);
    m_deadLettersButton->setObjectName(QStringLiteral("openDeadLetters"));
    m_deadLettersButton->hide();
    summaryRow->addWidget(m_deadLettersButton);
    connect(m_deadLettersButton, &QPushButton::clicked, this,
            [this] { Q_EMIT openStreamRequested(m_deadLetterStream); });
    layout->addLayout(summaryRow);
    layout->addWidget(m_pages);
    connect(m_summaryLoader, &StreamSummaryLoader::loaded, this, &StreamInspector::showSummary);
    connect(m_summaryLoader, &StreamSummaryLoader::failed, this, [this](const QString &message) {
        m_summary->setText(
            tr("<b>%1</b>: %2").arg(displayKey(m_key).toHtmlEscaped(), message.toHtmlEscaped()));
    });

    connect(newest, &QPushButton::clicked, m_entries, &EntryListModel::jumpToNewest);
    connect(oldest, &QPushButton::clicked, m_entries, &EntryListModel::jumpToOldest);
    connect(goId, &QPushButton::clicked, this, &StreamInspector::jumpToId);
    // Nothing typed yet: the placeholder says what goes there, no error says it is wrong.
    goId->setEnabled(false);
    connect(m_idEdit, &QLineEdit::textChanged, goId, [this, goId](const QString &text) {
        goId->setEnabled(!text.trimmed().isEmpty());
        if (text.trimmed().isEmpty() && std::exchange(m_idErrorShown, false))
            m_error->hide(); // the complaint was about what was typed
    });
    connect(m_idEdit, &QLineEdit::returnPressed, this, &StreamInspector::jumpToId);
    connect(goTime, &QPushButton::clicked, this,
            [this] { m_entries->jumpToTime(m_timeEdit->dateTime()); });
    connect(m_order, &QComboBox::currentIndexChanged, this,
            [this](int index) { m_entries->setNewestFirst(index == 0); });
    connect(m_live, &QCheckBox::toggled, this, [this](bool on) { m_entries->setLiveTail(on); });
    // Scrolled to the top: read the page above (fetchMore covers the bottom).
    connect(m_view->verticalScrollBar(), &QScrollBar::valueChanged, this, [this](int value) {
        if (value == m_view->verticalScrollBar()->minimum())
            readAbove();
    });
    connect(m_entries, &EntryListModel::loaded, this, [this] {
        m_keepTopOnInsert = false; // whatever the read brought is in
        updateStatus();
        // At the top of a window that does not reach the top of the stream (after a jump),
        // read on: a wheel turned at the top moves nothing, so it would never ask.
        if (m_view->verticalScrollBar()->value() == 0)
            readAbove();
    });
    connect(m_entries, &QAbstractItemModel::modelReset, this, &StreamInspector::afterReset);
    // Rows read above the top (scrolling up, or live tail while the user looks further
    // down) must not push what is on screen down: keep the same rows in view. Only a
    // user at the very top of the newest end sees the new entries arrive there.
    connect(m_entries, &QAbstractItemModel::rowsInserted, this,
            [this](const QModelIndex &, int first, int last) {
        QScrollBar *bar = m_view->verticalScrollBar();
        if (first == 0 && (m_keepTopOnInsert || bar->value() > 0)) {
            // The bar's range catches up with the new rows only later: widen it first.
            const int value = bar->value() + last - first + 1;
            bar->setMaximum(qMax(bar->maximum(), value));
            bar->setValue(value);
        }
        m_keepTopOnInsert = false;
    });
    connect(m_entries, &QAbstractItemModel::rowsRemoved, this, [this] {
        if (m_topBeforeRemoval >= 0)
            m_view->verticalScrollBar()->setValue(m_topBeforeRemoval);
        m_topBeforeRemoval = -1;
    });
    connect(m_entries, &EntryListModel::errorOccurred, this, [this](const QString &message) {
        m_error->setText(message);
        m_idErrorShown = false;
        m_error->show();
    });
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &StreamInspector::showEntry);
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this, [this, remove] {
        remove->setEnabled(!m_session->isReadOnly() && m_view->selectionModel()->hasSelection());
    });
    connect(remove, &QPushButton::clicked, this, &StreamInspector::deleteSelected);
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            [this, publishCopy] {
        const QModelIndexList rows = m_view->selectionModel()->selectedRows();
        publishCopy->setEnabled(!m_session->isReadOnly() && rows.size() == 1
                                && !m_entries->entryAt(rows.first().row()).deleted);
    });
    connect(publish, &QPushButton::clicked, this, [this] { openPublish(false); });
    connect(publishCopy, &QPushButton::clicked, this, [this] { openPublish(true); });
    connect(trim, &QPushButton::clicked, this, [this] {
        auto *dialog = new TrimDialog(m_session, m_key, this);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        dialog->setObjectName(QStringLiteral("trimDialog"));
        connect(dialog, &TrimDialog::trimmed, this, &StreamInspector::refresh);
        dialog->open();
    });
    connect(redrive, &QPushButton::clicked, this, [this] {
        auto *dialog = new RedriveDialog(m_session, m_key, this);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        dialog->setObjectName(QStringLiteral("redriveDialog"));
        dialog->open();
    });
    connect(exportEntries, &QPushButton::clicked, this, &StreamInspector::openExport);
    connect(importEntries, &QPushButton::clicked, this, [this] {
        auto *dialog = new ImportDialog(m_session, m_key, this);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        dialog->setObjectName(QStringLiteral("importDialog"));
        connect(dialog, &ImportDialog::imported, this, [this](const QByteArray &stream) {
            if (stream == m_key)
                refresh();
        });
        dialog->open();
    });
    connect(m_fields, &QListWidget::currentRowChanged, this, [this] {
        m_showAll = false;
        showField();
    });
    connect(m_loadAll, &QPushButton::clicked, this, [this] {
        m_showAll = true;
        showField();
    });
    connect(copyValue, &QPushButton::clicked, this, [this] {
        const QModelIndex current = m_view->currentIndex();
        const int field = m_fields->currentRow();
        if (!current.isValid() || field < 0)
            return;
        const QByteArray raw = m_entries->entryAt(current.row()).fields.at(field).second;
        const DecodedValue decoded = decodeValue(raw, NoDisplayLimit);
        // JSON shown with strings decoded inside is no longer JSON: copy it as stored.
        QApplication::clipboard()->setText(
            decoded.kind == DecodedValue::Kind::Binary ? QString::fromLatin1(raw.toHex())
            : decoded.kind == DecodedValue::Kind::Json && !decoded.nested.isEmpty()
                ? QString::fromUtf8(raw)
                : decoded.text);
    });
    connect(copyXadd, &QPushButton::clicked, this, [this] {
        const QModelIndex current = m_view->currentIndex();
        if (!current.isValid())
            return;
        const StreamEntry &e = m_entries->entryAt(current.row());
        QApplication::clipboard()->setText(
            QString::fromLatin1(redisCliXaddCommand(m_key, e.id.toByteArray(), e.fields)));
    });

    m_entries->setStream(session->connection(), key);
    m_summaryLoader->load(session->connection(), key);
    updateStatus();
}

void StreamInspector::setDeadLetters(const DeadLetterConventions &conventions,
                                     const QByteArray &deadLetterStream, bool isDeadLetterStream)
{
    m_deadLetterStream = deadLetterStream;
    m_deadLettersButton->setText(tr("Dead letters: %1 →").arg(displayKey(deadLetterStream)));
    m_deadLettersButton->setToolTip(tr("Open this stream's dead-letter stream"));
    m_deadLettersButton->setVisible(!deadLetterStream.isEmpty());
    if (m_deadLetterView) {
        m_deadLetterView->setConventions(conventions);
        return;
    }
    if (!isDeadLetterStream)
        return;
    m_deadLetterView = new DeadLetterView(m_session, m_key, conventions, m_pages);
    connect(m_deadLetterView, &DeadLetterView::replayRequested, this,
            &StreamInspector::replayRequested);
    m_pages->addTab(m_deadLetterView, tr("&Dead letters"));
    m_pages->setCurrentWidget(m_deadLetterView);
}

void StreamInspector::refresh()
{
    m_summaryLoader->load(m_session->connection(), m_key);
    m_groupsPane->refresh();
    if (m_deadLetterView)
        m_deadLetterView->refresh();
    if (m_entries->isLoading())
        return; // a page or jump is on its way: it brings fresh rows anyway
    // The top row on screen stays on top, unless it is the first row of the newest end:
    // a user looking there wants to see what is new.
    const int top = m_view->rowAt(0);
    m_refreshState = ViewState::save(m_view, EntryListModel::EntryIdRole);
    if (top <= 0)
        m_refreshState->top.clear();
    if (top < 0 || (m_entries->showsNewest() && top < m_entries->pageSize() / 2))
        m_entries->jumpToNewest();
    else
        m_entries->jumpToId(m_entries->entryAt(top).id);
}

// After a refresh: the entries that were selected are selected again and the row that
// was on top is on top again, where they are still in the window. After a jump: its
// entry (a search result), or else the first row, is selected.
void StreamInspector::afterReset()
{
    if (m_refreshState) {
        const ViewState state = *std::exchange(m_refreshState, std::nullopt);
        if (!state.restore(m_view, EntryListModel::EntryIdRole) && !state.selected.isEmpty()
            && m_entries->rowCount() > 0)
            m_view->selectRow(0);
        return;
    }
    const auto reselect = StreamId::parse(std::exchange(m_reselect, {}));
    int row = reselect ? m_entries->rowOf(*reselect) : -1;
    if (row < 0 && m_entries->jumpedTo())
        row = m_entries->rowOf(*m_entries->jumpedTo());
    if (row <= 0) {
        m_view->scrollToTop();
        if (m_entries->rowCount() > 0)
            m_view->selectRow(0);
        return;
    }
    // Oldest in newest-first order (Newest in oldest-first) lands on the bottom row. The
    // view would lay the new rows out only later, and scroll within the old range meanwhile.
    m_view->doItemsLayout();
    m_view->selectRow(row);
    m_view->scrollTo(m_entries->index(row, 0));
}

void StreamInspector::readAbove()
{
    if (m_entries->rowCount() == 0 || !m_entries->canFetchUpward())
        return;
    m_keepTopOnInsert = true;
    m_entries->fetchUpward();
}

void StreamInspector::showSummary(const StreamSummary &summary)
{
    const StreamInfo &i = summary.info;
    const QLocale locale;
    QStringList parts = {
        tr("<b>%1</b>").arg(displayKey(m_key).toHtmlEscaped()),
        tr("length %1").arg(locale.toString(i.length)),
        tr("%n groups", nullptr, int(i.groups)),
        tr("memory %1").arg(formatBytes(summary.memoryBytes)),
        tr("last generated id %1").arg(i.lastGeneratedId.toString()),
    };
    m_lastGeneratedId = i.lastGeneratedId.toByteArray();
    if (i.entriesAdded)
        parts << tr("entries added %1").arg(locale.toString(*i.entriesAdded));
    if (i.firstEntryId)
        parts << tr("first %1").arg(i.firstEntryId->toString());
    if (i.maxDeletedEntryId && !i.maxDeletedEntryId->isZero())
        parts << tr("max deleted id %1").arg(i.maxDeletedEntryId->toString());
    if (i.recordedFirstEntryId)
        parts << tr("recorded first id %1").arg(i.recordedFirstEntryId->toString());
    parts << tr("radix tree %1 keys, %2 nodes").arg(i.radixTreeKeys).arg(i.radixTreeNodes);
    m_summary->setText(parts.join(QStringLiteral(" · ")));
}

StreamInspector::~StreamInspector() = default;

void StreamInspector::setHistory(SeriesHistory *history)
{
    if (m_chart || !history)
        return;
    m_chart = new StreamChart(history, m_historyStore, m_key, m_pages);
    m_chart->setObjectName(QStringLiteral("streamChart"));
    m_pages->addTab(m_chart, tr("Ch&arts"));
}

void StreamInspector::setHistoryStore(HistoryStore *store)
{
    m_historyStore = store;
    if (m_chart)
        m_chart->setHistoryStore(store);
}

void StreamInspector::showCharts()
{
    if (m_chart)
        m_pages->setCurrentWidget(m_chart);
}

void StreamInspector::jumpToId()
{
    if (m_idEdit->text().trimmed().isEmpty())
        return;
    const auto id = StreamId::parse(m_idEdit->text().trimmed().toLatin1());
    if (!id) {
        m_error->setText(tr("\"%1\" is not an entry id: use <milliseconds>-<sequence>, e.g. "
                            "1763800000000-0, or just the milliseconds.")
                             .arg(m_idEdit->text()));
        m_error->show();
        m_idErrorShown = true;
        return;
    }
    m_error->hide();
    m_idErrorShown = false;
    m_entries->jumpToId(*id);
}

void StreamInspector::showEntryId(StreamId id)
{
    m_pages->setCurrentIndex(0);
    m_reselect = id.toByteArray();
    m_entries->jumpToId(id);
}

void StreamInspector::showEntry()
{
    const QModelIndex current = m_view->currentIndex();
    const QByteArray id =
        current.isValid() ? m_entries->entryAt(current.row()).id.toByteArray() : QByteArray();
    if (!id.isEmpty() && id == m_shownId)
        return; // the same entry again (after a refresh): leave the field and scroll alone
    m_shownId = id;
    m_fields->clear();
    m_value->clear();
    m_fieldLabel->clear();
    if (!current.isValid())
        return;
    const StreamEntry &e = m_entries->entryAt(current.row());
    if (e.deleted) {
        m_fieldLabel->setText(tr("This entry was deleted from the stream."));
        return;
    }
    for (const auto &[name, value] : e.fields)
        m_fields->addItem(tr("%1  (%Ln bytes)", nullptr, int(value.size())).arg(displayKey(name)));
    if (m_fields->count() > 0)
        m_fields->setCurrentRow(0);
}

void StreamInspector::showField()
{
    const QModelIndex current = m_view->currentIndex();
    const int field = m_fields->currentRow();
    if (!current.isValid() || field < 0) {
        m_value->clear();
        m_fieldLabel->clear();
        m_loadAll->hide();
        return;
    }
    const QByteArray &raw = m_entries->entryAt(current.row()).fields.at(field).second;
    const DecodedValue decoded = decodeValue(raw, m_showAll ? NoDisplayLimit : DefaultDisplayLimit);
    QString label = tr("<b>%1</b> · %Ln bytes", nullptr, int(decoded.originalSize))
                        .arg(decoded.label.toHtmlEscaped());
    if (decoded.decodedSize != decoded.originalSize)
        label += tr(" · %Ln bytes decoded", nullptr, int(decoded.decodedSize));
    if (decoded.truncated)
        label += tr(" · <i>shortened</i>");
    if (!decoded.note.isEmpty())
        label += QStringLiteral("<br>") + decoded.note.toHtmlEscaped();
    m_fieldLabel->setText(label);
    m_value->setPlainText(decoded.text);
    m_loadAll->setVisible(decoded.truncated);
}

void StreamInspector::updateStatus()
{
    QString text = tr("%n entries shown", nullptr, m_entries->rowCount());
    if (m_entries->showsNewest() && m_entries->showsOldest())
        text += tr(" (all)");
    else if (m_entries->showsNewest())
        text += tr(" (from the newest)");
    else if (m_entries->showsOldest())
        text += tr(" (to the oldest)");
    m_statusText = text;
    m_status->setToolTip(text);
    elideStatus();
}

void StreamInspector::elideStatus()
{
    m_status->setText(
        m_status->fontMetrics().elidedText(m_statusText, Qt::ElideRight, m_status->width()));
}

bool StreamInspector::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_status && event->type() == QEvent::Resize)
        elideStatus();
    return QWidget::eventFilter(watched, event);
}

void StreamInspector::deleteSelected()
{
    QList<QByteArray> ids;
    const QModelIndexList rows = m_view->selectionModel()->selectedRows();
    for (const QModelIndex &row : rows)
        ids.append(m_entries->entryAt(row.row()).id.toByteArray());
    if (ids.isEmpty())
        return;
    std::sort(ids.begin(), ids.end(), [](const QByteArray &a, const QByteArray &b) {
        return *StreamId::parse(a) < *StreamId::parse(b);
    });
    auto *dialog = new BulkActionDialog(m_session, tr("Delete entries"), this);
    dialog->setObjectName(QStringLiteral("deleteDialog"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->showCollecting(tr("Looking for the groups where these entries are pending…"));
    connect(dialog, &BulkActionDialog::ran, this, &StreamInspector::refresh);
    auto *finder = new PendingRefFinder(dialog);
    connect(finder, &PendingRefFinder::finished, dialog,
            [this, dialog, ids](const EntryActions::PendingRefs &refs, const QString &error) {
        if (!error.isEmpty()) {
            dialog->showProblem(errorWithHintHtml(error));
            return;
        }
        QString what = tr("Delete %Ln entries from <b>%1</b>. XDEL cannot be undone.", nullptr,
                          int(ids.size()))
                           .arg(displayKey(m_key).toHtmlEscaped());
        QStringList where;
        QList<QByteArray> groups = refs.keys();
        std::sort(groups.begin(), groups.end());
        for (const QByteArray &group : std::as_const(groups))
            where << tr("%1 in <b>%2</b>")
                         .arg(refs.value(group).size())
                         .arg(QString::fromUtf8(group).toHtmlEscaped());
        if (!where.isEmpty())
            what += tr("<br>Pending entries among them: %1. XDEL leaves those in the groups' "
                       "pending lists as orphans that no consumer can process.")
                        .arg(where.join(QLatin1String(", ")));
        dialog->confirm(what, tr("Delete %Ln entries", nullptr, int(ids.size())),
                        EntryActions::deleteChunks(m_key, ids, refs, false),
                        EntryActions::deleteVerifier(m_key));
        dialog->offerBackup(StreamExport::Selection{m_key, "-", "+", ids});
        if (!refs.isEmpty())
            dialog->setAlternative(tr("Also &ack them in those groups (XACK with each XDEL)"),
                                   EntryActions::deleteChunks(m_key, ids, refs, true));
    });
    dialog->open();
    finder->start(m_session->connection(), m_key, ids);
}

void StreamInspector::openExport()
{
    auto *dialog = new ExportDialog(m_session, m_key, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setObjectName(QStringLiteral("exportDialog"));
    QList<QByteArray> ids;
    const QModelIndexList rows = m_view->selectionModel()->selectedRows();
    for (const QModelIndex &row : rows) {
        const StreamEntry &e = m_entries->entryAt(row.row());
        if (!e.deleted)
            ids.append(e.id.toByteArray());
    }
    std::sort(ids.begin(), ids.end(), [](const QByteArray &a, const QByteArray &b) {
        return *StreamId::parse(a) < *StreamId::parse(b);
    });
    // Several rows selected: those are most likely what is meant.
    dialog->setSelectedIds(ids, ids.size() > 1);
    dialog->open();
}

void StreamInspector::openPublish(bool copySelected)
{
    auto *dialog = new PublishDialog(m_session, {QString::fromUtf8(m_key)}, m_key, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setObjectName(QStringLiteral("publishDialog"));
    dialog->setLastId(m_key, m_lastGeneratedId);
    const QModelIndexList rows = m_view->selectionModel()->selectedRows();
    if (copySelected && rows.size() == 1)
        dialog->setFields(m_entries->entryAt(rows.first().row()).fields);
    connect(dialog, &PublishDialog::published, this, [this](const QByteArray &key) {
        if (key == m_key)
            refresh();
    });
    dialog->open();
}
