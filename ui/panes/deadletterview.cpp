#include "deadletterview.h"

#include "connectionsession.h"
#include "deadletterfieldsdialog.h"
#include "deadlettermodel.h"
#include "errorhint.h"
#include "keyformat.h"
#include "palette.h"
#include "valuedecoder.h"
#include "viewstate.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDateTimeEdit>
#include <QFontDatabase>
#include <QFrame>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QListWidget>
#include <QLocale>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

namespace {
constexpr qint64 ReasonCountCap = 100000;
constexpr int ReasonRole = Qt::UserRole + 1;     // the reason's bytes
constexpr int AllReasonsRole = Qt::UserRole + 2; // the "every reason" item
const QString TimeFormat = QStringLiteral("yyyy-MM-dd HH:mm:ss");
} // namespace

DeadLetterView::DeadLetterView(ConnectionSession *session, const QByteArray &key,
                               const DeadLetterConventions &conventions, QWidget *parent)
    : QWidget(parent)
    , m_session(session)
    , m_key(key)
    , m_conventions(conventions)
    , m_model(new DeadLetterModel(this))
    , m_reasons(new QListWidget(this))
    , m_reasonsNote(new QLabel(this))
    , m_fromOn(new QCheckBox(tr("&From"), this))
    , m_from(new QDateTimeEdit(this))
    , m_toOn(new QCheckBox(tr("&To"), this))
    , m_to(new QDateTimeEdit(this))
    , m_order(new QComboBox(this))
    , m_rangeHint(new StatusLabel(this))
    , m_status(new QLabel(this))
    , m_error(new StatusLabel(this))
    , m_table(new QTableView(this))
    , m_detail(new QPlainTextEdit(this))
    , m_replay(new QPushButton(tr("&Replay…"), this))
    , m_export(new QPushButton(tr("E&xport…"), this))
    , m_fieldNames(new QPushButton(tr("Field &names…"), this))
    , m_noMatch(new QLabel(this))
    , m_detect(new QPushButton(tr("&Detect field names…"), this))
{
    setObjectName(QStringLiteral("deadLetterView"));
    m_reasons->setObjectName(QStringLiteral("deadLetterReasons"));
    m_reasonsNote->setObjectName(QStringLiteral("deadLetterReasonsNote"));
    m_fromOn->setObjectName(QStringLiteral("deadLetterFromOn"));
    m_from->setObjectName(QStringLiteral("deadLetterFrom"));
    m_toOn->setObjectName(QStringLiteral("deadLetterToOn"));
    m_to->setObjectName(QStringLiteral("deadLetterTo"));
    m_order->setObjectName(QStringLiteral("deadLetterOrder"));
    m_rangeHint->setObjectName(QStringLiteral("deadLetterRangeHint"));
    m_status->setObjectName(QStringLiteral("deadLetterStatus"));
    m_error->setObjectName(QStringLiteral("deadLetterError"));
    m_table->setObjectName(QStringLiteral("deadLetterTable"));
    m_detail->setObjectName(QStringLiteral("deadLetterDetail"));
    m_replay->setObjectName(QStringLiteral("deadLetterReplay"));
    m_export->setObjectName(QStringLiteral("deadLetterExport"));
    m_fieldNames->setObjectName(QStringLiteral("deadLetterFieldNames"));
    m_noMatch->setObjectName(QStringLiteral("deadLetterNoMatch"));
    m_detect->setObjectName(QStringLiteral("deadLetterDetect"));
    m_fieldNames->setToolTip(tr("The names of the fields these dead letters keep their "
                                "metadata in (where from, why, when), for this stream"));
    m_noMatch->setWordWrap(true);

    // Times are shown and typed in local time, to the second.
    const QDateTime now = QDateTime::currentDateTime();
    for (QDateTimeEdit *edit : {m_from, m_to}) {
        edit->setDisplayFormat(TimeFormat);
        edit->setCalendarPopup(true);
        edit->setEnabled(false);
    }
    m_from->setDateTime(now.addDays(-1));
    m_to->setDateTime(now);
    m_fromOn->setToolTip(tr("Only dead letters written at or after this time (read as an id "
                            "range by Redis)"));
    m_toOn->setToolTip(tr("Only dead letters written up to this time, the whole second "
                          "included"));
    m_order->addItems({tr("Newest first"), tr("Oldest first")});
    m_rangeHint->setWordWrap(false); // it sits in the tool bar
    m_error->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_reasonsNote->setWordWrap(true);
    m_reasons->setWordWrap(true); // reasons are often whole sentences
    m_replay->setToolTip(tr("Send the selected dead letters, or those the filter shows, back "
                            "to their streams"));
    m_export->setToolTip(tr("Save the selected dead letters, or those the filter shows"));

    m_rangeTimer.setSingleShot(true);
    m_rangeTimer.setInterval(400);
    connect(&m_rangeTimer, &QTimer::timeout, this, &DeadLetterView::applyTimeRange);
    connect(m_fromOn, &QCheckBox::toggled, m_from, &QWidget::setEnabled);
    connect(m_toOn, &QCheckBox::toggled, m_to, &QWidget::setEnabled);
    for (QCheckBox *box : {m_fromOn, m_toOn})
        connect(box, &QCheckBox::toggled, this, &DeadLetterView::applyTimeRange);
    for (QDateTimeEdit *edit : {m_from, m_to})
        connect(edit, &QDateTimeEdit::dateTimeChanged, this, [this] { m_rangeTimer.start(); });
    connect(m_order, &QComboBox::currentIndexChanged, this,
            [this](int index) { m_model->setNewestFirst(index == 0); });

    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setWordWrap(false);
    m_table->setAlternatingRowColors(true);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 6);
    keepColumnWidths(m_table, QStringLiteral("deadLetters"));
    m_detail->setReadOnly(true);
    m_detail->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_detail->setPlaceholderText(tr("Select a dead letter to see it in full"));

    connect(m_model, &DeadLetterModel::loaded, this, &DeadLetterView::updateStatus);
    connect(m_model, &DeadLetterModel::loaded, this, &DeadLetterView::reselect);
    connect(m_model, &QAbstractItemModel::rowsInserted, this, &DeadLetterView::updateStatus);
    connect(m_model, &QAbstractItemModel::modelReset, this, &DeadLetterView::updateStatus);
    connect(m_model, &QAbstractItemModel::modelReset, this, &DeadLetterView::showDetail);
    connect(m_model, &DeadLetterModel::errorOccurred, this, &DeadLetterView::showError);
    connect(m_model, &DeadLetterModel::reasonsChanged, this, &DeadLetterView::updateReasons);
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &DeadLetterView::showDetail);
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &DeadLetterView::updateStatus);
    connect(m_reasons, &QListWidget::currentRowChanged, this, &DeadLetterView::onReasonChosen);
    connect(m_replay, &QPushButton::clicked, this, &DeadLetterView::replayRequested);
    connect(m_export, &QPushButton::clicked, this, &DeadLetterView::exportRequested);
    connect(m_fieldNames, &QPushButton::clicked, this, [this] { editFieldNames(false); });
    connect(m_detect, &QPushButton::clicked, this, [this] { editFieldNames(true); });
    connect(m_model, &DeadLetterModel::loaded, this, &DeadLetterView::updateNoMatch);

    auto *bar = new QHBoxLayout;
    bar->addWidget(m_fromOn);
    bar->addWidget(m_from);
    bar->addWidget(m_toOn);
    bar->addWidget(m_to);
    bar->addWidget(m_order);
    bar->addWidget(m_rangeHint);
    bar->addStretch(1);
    bar->addWidget(m_fieldNames);
    bar->addWidget(m_replay);
    bar->addWidget(m_export);

    // Said over the table, never a table of empty columns that looks like data.
    auto *frame = new QFrame(this);
    frame->setObjectName(QStringLiteral("deadLetterNoMatchBar"));
    frame->setFrameShape(QFrame::StyledPanel);
    m_noMatchBar = frame;
    auto *noMatch = new QHBoxLayout(m_noMatchBar);
    noMatch->addWidget(m_noMatch, 1);
    noMatch->addWidget(m_detect, 0, Qt::AlignVCenter);
    m_noMatchBar->hide();

    auto *reasonsPane = new QWidget(this);
    auto *reasonsLayout = new QVBoxLayout(reasonsPane);
    reasonsLayout->setContentsMargins(0, 0, 0, 0);
    auto *reasonsTitle = new QLabel(tr("&Reasons"), reasonsPane);
    reasonsTitle->setBuddy(m_reasons);
    reasonsLayout->addWidget(reasonsTitle);
    reasonsLayout->addWidget(m_reasons, 1);
    reasonsLayout->addWidget(m_reasonsNote);

    auto *right = new QSplitter(Qt::Vertical, this);
    right->addWidget(m_table);
    right->addWidget(m_detail);
    right->setStretchFactor(0, 3);
    right->setStretchFactor(1, 2);

    auto *splitter = new QSplitter(this);
    splitter->addWidget(reasonsPane);
    splitter->addWidget(right);
    splitter->setStretchFactor(0, 1);
    splitter->setStretchFactor(1, 4);
    splitter->setSizes({260, 1000});

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(bar);
    layout->addWidget(m_error);
    layout->addWidget(m_noMatchBar);
    layout->addWidget(splitter, 1);
    layout->addWidget(m_status);

    m_model->setStream(session->connection(), key, conventions);
    m_model->countReasons(ReasonCountCap);
    updateReasons();
    updateStatus();
}

DeadLetterView::~DeadLetterView() = default;

void DeadLetterView::setConventions(const DeadLetterConventions &conventions)
{
    if (m_conventions == conventions)
        return;
    m_conventions = conventions;
    m_model->setConventions(conventions);
    m_model->countReasons(ReasonCountCap);
}

void DeadLetterView::updateNoMatch()
{
    const QList<StreamEntry> &sample = m_model->sample();
    const DeadLetterConventions &read = m_model->conventions();
    const bool none =
        !m_model->isLoading() && !sample.isEmpty() && countMatching(sample, read) == 0;
    if (none) {
        QStringList names;
        for (const QByteArray &name : read.metadataFields())
            names << displayKey(name);
        m_noMatch->setText(
            tr("None of the %n dead letters read has a field these dead letters are read "
               "with (%1), so the table cannot say where they came from or why they failed. "
               "Detect finds the names they use.",
               nullptr, int(sample.size()))
                .arg(names.join(tr(", "))));
    }
    m_noMatchBar->setVisible(none);
}

void DeadLetterView::editFieldNames(bool detect)
{
    auto *dialog = new DeadLetterFieldsDialog(m_key, m_conventions, m_model->sample(), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    if (detect)
        dialog->detect();
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        DeadLetterConventions edited = m_conventions;
        edited.setFieldsFor(m_key, dialog->fields());
        if (edited == m_conventions)
            return;
        setConventions(edited);
        Q_EMIT conventionsEdited(edited);
    });
    dialog->open();
}

void DeadLetterView::refresh()
{
    m_error->hide();
    // The selection comes back once its rows are read again.
    m_reselect.clear();
    for (const DeadLetter &d : selectedDeadLetters())
        m_reselect.insert(d.id.toByteArray());
    m_model->reload();
    // A count that stopped at its cap is not walked again on every refresh.
    if (!m_model->reasonsCapped() && !m_model->isCountingReasons())
        m_model->countReasons(ReasonCountCap);
}

void DeadLetterView::reselect()
{
    if (m_reselect.isEmpty() || m_model->isLoading())
        return;
    QItemSelection selection;
    for (int row = 0; row < m_model->rowCount(); ++row) {
        if (m_reselect.contains(m_model->deadLetterAt(row).id.toByteArray()))
            selection.select(m_model->index(row, 0),
                             m_model->index(row, DeadLetterModel::ColumnCount - 1));
    }
    m_reselect.clear();
    if (!selection.isEmpty()) {
        m_table->selectionModel()->setCurrentIndex(selection.first().topLeft(),
                                                   QItemSelectionModel::NoUpdate);
        m_table->selectionModel()->select(selection, QItemSelectionModel::ClearAndSelect);
    }
}

QList<DeadLetter> DeadLetterView::selectedDeadLetters() const
{
    QList<int> rows;
    for (const QModelIndex &index : m_table->selectionModel()->selectedRows())
        rows.append(index.row());
    std::sort(rows.begin(), rows.end());
    QList<DeadLetter> out;
    out.reserve(rows.size());
    for (int row : std::as_const(rows))
        out.append(m_model->deadLetterAt(row));
    return out;
}

std::optional<QByteArray> DeadLetterView::reasonFilter() const
{
    return m_model->reasonFilter();
}

QDateTime DeadLetterView::filterFrom() const
{
    return m_model->from();
}

QDateTime DeadLetterView::filterTo() const
{
    return m_model->to();
}

void DeadLetterView::applyTimeRange()
{
    m_rangeTimer.stop();
    const QDateTime from = m_fromOn->isChecked() ? m_from->dateTime() : QDateTime();
    // "To" takes in its whole second.
    const QDateTime to = m_toOn->isChecked() ? m_to->dateTime().addMSecs(999) : QDateTime();
    if (from.isValid() && to.isValid() && from > to) {
        m_rangeHint->setText(tr("From is after To: the range holds nothing. Nothing changed."));
        m_rangeHint->show();
        return;
    }
    m_rangeHint->hide();
    if (from == m_model->from() && to == m_model->to())
        return;
    m_error->hide();
    m_model->setTimeRange(from, to);
    m_model->countReasons(ReasonCountCap);
}

void DeadLetterView::onReasonChosen()
{
    QListWidgetItem *item = m_reasons->currentItem();
    if (!item || item->data(AllReasonsRole).toBool())
        m_model->setReasonFilter(std::nullopt);
    else
        m_model->setReasonFilter(item->data(ReasonRole).toByteArray());
}

void DeadLetterView::updateReasons()
{
    const QLocale locale;
    const std::optional<QByteArray> chosen = m_model->reasonFilter();
    const QList<DeadLetterModel::ReasonCount> reasons = m_model->reasons();
    QSignalBlocker block(m_reasons);
    m_reasons->clear();
    auto *all = new QListWidgetItem(
        m_model->isCountingReasons() && m_model->reasonsCounted() == 0
            ? tr("All reasons")
            : tr("All reasons (%1)").arg(locale.toString(m_model->reasonsCounted())),
        m_reasons);
    all->setData(AllReasonsRole, true);
    QFont bold = all->font();
    bold.setBold(true);
    all->setFont(bold);
    int current = 0;
    for (const DeadLetterModel::ReasonCount &r : reasons) {
        const QString name = r.reason.isEmpty() ? tr("(no reason recorded)") : displayKey(r.reason);
        auto *item = new QListWidgetItem(
            QStringLiteral("%1 (%2)").arg(name, locale.toString(r.count)), m_reasons);
        item->setData(ReasonRole, r.reason);
        item->setToolTip(name);
        if (chosen && *chosen == r.reason)
            current = m_reasons->count() - 1;
    }
    // A chosen reason the count has not reached (yet) stays listed, so it stays chosen.
    if (chosen && current == 0) {
        auto *item = new QListWidgetItem(
            chosen->isEmpty() ? tr("(no reason recorded)") : displayKey(*chosen), m_reasons);
        item->setData(ReasonRole, *chosen);
        current = m_reasons->count() - 1;
    }
    m_reasons->setCurrentRow(current);

    QString note;
    if (m_model->isCountingReasons())
        note = tr("Counting… %1 read").arg(locale.toString(m_model->reasonsCounted()));
    else if (m_model->reasonsCapped())
        note = tr("Counted the first %1 dead letters of the range only")
                   .arg(locale.toString(m_model->reasonsCounted()));
    m_reasonsNote->setText(note);
    m_reasonsNote->setVisible(!note.isEmpty());
}

void DeadLetterView::updateStatus()
{
    const QLocale locale;
    const int rows = m_model->rowCount();
    QString text = tr("%n dead letters shown", nullptr, rows);
    if (m_model->isLoading())
        text += tr(" · reading…");
    else if (m_model->limitReached())
        text += tr(" · the first %1 only: narrow the reason or time range to see others")
                    .arg(locale.toString(m_model->rowLimit()));
    else if (!m_model->allLoaded())
        text += tr(" · scroll down for more");
    if (m_model->reasonFilter() && m_model->entriesRead() > rows)
        text += tr(" · %1 read to find them").arg(locale.toString(m_model->entriesRead()));
    const int selected = int(m_table->selectionModel()->selectedRows().size());
    if (selected > 0)
        text += tr(" · %n selected", nullptr, selected);
    text += QStringLiteral(" · ") + displayKey(m_key);
    m_status->setText(text);
    const bool any = rows > 0;
    m_replay->setEnabled(any);
    m_export->setEnabled(any);
}

void DeadLetterView::showDetail()
{
    const QModelIndexList rows = m_table->selectionModel()->selectedRows();
    const QModelIndex current = m_table->currentIndex();
    if (rows.isEmpty() || !current.isValid()) {
        m_detail->clear();
        return;
    }
    const DeadLetter &d = m_model->deadLetterAt(current.row());
    auto line = [](const QString &name, const QString &value) {
        return name.leftJustified(16) + value + QLatin1Char('\n');
    };
    QString text;
    text += line(tr("Dead letter"),
                 d.id.toString()
                     + tr("  (written %1)").arg(d.id.time().toLocalTime().toString(TimeFormat)));
    text += line(tr("Failed at"), d.failedAt.isValid()
                                      ? d.failedAt.toLocalTime().toString(Qt::ISODateWithMs)
                                      : tr("(not recorded)"));
    auto orNone = [this](const QByteArray &value) {
        return value.isEmpty() ? tr("(not recorded)") : displayKey(value);
    };
    text += line(tr("Original stream"), orNone(d.originalStream));
    text += line(tr("Original id"), orNone(d.originalId));
    text += line(tr("Group"), orNone(d.group));
    text += line(tr("Reason"), orNone(d.reason));
    text += line(tr("Retries"),
                 d.retryCount < 0 ? tr("(not recorded)") : QString::number(d.retryCount));
    for (const auto &[name, value] : d.payload) {
        const DecodedValue decoded = decodeValue(value);
        text += QStringLiteral("\n── %1 · %2 · %3 bytes")
                    .arg(displayKey(name), decoded.label)
                    .arg(decoded.originalSize);
        if (decoded.truncated)
            text += tr(" · shortened");
        if (!decoded.note.isEmpty())
            text += QStringLiteral(" · ") + decoded.note;
        text += QLatin1Char('\n') + decoded.text + QLatin1Char('\n');
    }
    m_detail->setPlainText(text);
}

void DeadLetterView::showError(const QString &message)
{
    const QString hint = errorHint(message);
    m_error->setText(hint.isEmpty() ? message : message + QStringLiteral("\n") + hint);
    m_error->show();
    updateStatus();
}

ReplayDialog::Source DeadLetterView::replaySource() const
{
    ReplayDialog::Source s;
    s.session = m_session;
    s.cluster = m_session && m_session->isCluster();
    s.key = key();
    s.conventions = model()->conventions(); // the stream's own field names
    for (const DeadLetter &d : selectedDeadLetters())
        s.selected.append(d.id.toByteArray());
    s.reason = reasonFilter();
    s.from = filterFrom();
    s.to = filterTo();
    return s;
}
