#include "searchpane.h"

#include "connectionsession.h"
#include "errorhint.h"
#include "palette.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDateTimeEdit>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QStackedWidget>
#include <QTableView>
#include <QVBoxLayout>

#include <limits>

namespace {
constexpr int ProgressSteps = 1000;

// tr()'s %n takes an int: a count beyond it (a stream of billions) is said as a number.
QString entriesText(qint64 n)
{
    if (n > std::numeric_limits<int>::max())
        return SearchPane::tr("%1 entries").arg(QLocale().toString(n));
    return SearchPane::tr("%Ln entries", nullptr, int(n));
}

QString matchesText(qint64 n)
{
    if (n > std::numeric_limits<int>::max())
        return SearchPane::tr("%1 matches").arg(QLocale().toString(n));
    return SearchPane::tr("%Ln matches", nullptr, int(n));
}

// The date-time edits show whole seconds; what they hold may carry milliseconds.
qint64 wholeSecondMs(const QDateTime &time)
{
    return qMax<qint64>(0, time.toSecsSinceEpoch()) * 1000;
}
} // namespace

SearchPane::SearchPane(ConnectionSession *session, const QByteArray &key, QWidget *parent)
    : QWidget(parent)
    , m_session(session)
    , m_key(key)
    , m_results(new EntrySearchModel(this))
    , m_field(new QLineEdit(this))
    , m_match(new QComboBox(this))
    , m_pattern(new QLineEdit(this))
    , m_case(new QCheckBox(tr("Match &case"), this))
    , m_range(new QComboBox(this))
    , m_rangeInputs(new QStackedWidget(this))
    , m_fromId(new QLineEdit(this))
    , m_toId(new QLineEdit(this))
    , m_fromTime(new QDateTimeEdit(this))
    , m_toTime(new QDateTimeEdit(this))
    , m_limit(new QSpinBox(this))
    , m_start(new QPushButton(tr("&Search"), this))
    , m_cancel(new QPushButton(tr("Cancel"), this))
    , m_error(new StatusLabel(this))
    , m_progress(new QProgressBar(this))
    , m_status(new QLabel(this))
    , m_view(new QTableView(this))
{
    const QFontMetrics metrics = fontMetrics();

    auto *fieldLabel = new QLabel(tr("Fiel&d:"), this);
    fieldLabel->setBuddy(m_field);
    m_field->setObjectName(QStringLiteral("searchField"));
    m_field->setPlaceholderText(tr("any field"));
    m_field->setClearButtonEnabled(true);
    m_field->setToolTip(tr("Search only this field's values; empty: every field"));
    m_field->setMinimumWidth(metrics.horizontalAdvance(QLatin1Char('x')) * 18);
    m_match->setObjectName(QStringLiteral("searchMatch"));
    m_match->addItem(tr("contains"), int(EntrySearch::Query::Contains));
    m_match->addItem(tr("equals"), int(EntrySearch::Query::Equals));
    m_match->addItem(tr("matches regex"), int(EntrySearch::Query::Regex));
    m_pattern->setObjectName(QStringLiteral("searchPattern"));
    m_pattern->setPlaceholderText(tr("text to find in the values"));
    m_pattern->setClearButtonEnabled(true);
    m_case->setObjectName(QStringLiteral("searchCase"));
    m_start->setObjectName(QStringLiteral("searchStart"));
    m_start->setDefault(true);
    m_start->setToolTip(tr("Search the stream (a search under way starts over)"));
    m_cancel->setObjectName(QStringLiteral("searchCancel"));
    m_cancel->setEnabled(false);

    auto *rangeLabel = new QLabel(tr("&Range:"), this);
    rangeLabel->setBuddy(m_range);
    m_range->setObjectName(QStringLiteral("searchRange"));
    m_range->addItems({tr("whole stream"), tr("id range"), tr("time range")}); // RangeKind
    m_rangeInputs->setObjectName(QStringLiteral("searchRangeInputs"));
    const int idWidth = metrics.horizontalAdvance(QStringLiteral("1763000000000-000")) + 40;
    m_fromId->setObjectName(QStringLiteral("searchFromId"));
    m_fromId->setPlaceholderText(tr("first"));
    m_fromId->setMinimumWidth(idWidth);
    m_fromId->setToolTip(tr("An entry id, or just its milliseconds; empty: the first entry"));
    m_toId->setObjectName(QStringLiteral("searchToId"));
    m_toId->setPlaceholderText(tr("last"));
    m_toId->setMinimumWidth(idWidth);
    m_toId->setToolTip(tr("An entry id, or just its milliseconds (all of that millisecond); "
                          "empty: the last entry"));
    const QDateTime now = QDateTime::fromSecsSinceEpoch(QDateTime::currentSecsSinceEpoch());
    for (QDateTimeEdit *edit : {m_fromTime, m_toTime}) {
        edit->setDisplayFormat(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
        edit->setCalendarPopup(true);
        edit->setMinimumDateTime(QDateTime::fromMSecsSinceEpoch(0));
    }
    m_fromTime->setObjectName(QStringLiteral("searchFromTime"));
    m_fromTime->setDateTime(now.addSecs(-3600));
    m_toTime->setObjectName(QStringLiteral("searchToTime"));
    m_toTime->setDateTime(now);
    m_toTime->setToolTip(tr("Up to the end of this second"));

    const auto rangePage = [this](QWidget *from, QWidget *to) {
        auto *page = new QWidget(m_rangeInputs);
        auto *row = new QHBoxLayout(page);
        row->setContentsMargins(0, 0, 0, 0);
        auto *fromLabel = new QLabel(tr("&from"), page);
        fromLabel->setBuddy(from);
        auto *toLabel = new QLabel(tr("&to"), page);
        toLabel->setBuddy(to);
        row->addWidget(fromLabel);
        row->addWidget(from);
        row->addWidget(toLabel);
        row->addWidget(to);
        row->addStretch(1);
        return page;
    };
    m_rangeInputs->addWidget(new QWidget(m_rangeInputs)); // WholeStream: nothing to enter
    m_rangeInputs->addWidget(rangePage(m_fromId, m_toId));
    m_rangeInputs->addWidget(rangePage(m_fromTime, m_toTime));

    auto *limitLabel = new QLabel(tr("Stop &after:"), this);
    limitLabel->setBuddy(m_limit);
    m_limit->setObjectName(QStringLiteral("searchLimit"));
    m_limit->setRange(1, 1000000);
    m_limit->setValue(10000);
    m_limit->setGroupSeparatorShown(true);
    m_limit->setSuffix(tr(" matches"));
    m_limit->setToolTip(tr("The search stops when it has found this many entries"));

    m_error->setObjectName(QStringLiteral("searchError"));
    m_error->setTextFormat(Qt::PlainText); // Redis errors verbatim, whatever they contain
    m_error->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_progress->setObjectName(QStringLiteral("searchProgress"));
    m_progress->setRange(0, ProgressSteps);
    m_progress->setValue(0);
    m_progress->setMaximumWidth(metrics.horizontalAdvance(QLatin1Char('x')) * 30);
    m_status->setObjectName(QStringLiteral("searchStatus"));
    m_status->setTextFormat(Qt::PlainText);
    m_status->setText(tr("Not searched yet"));
    auto *hint = new QLabel(tr("Double-click a result to show it among the entries"), this);
    hint->setObjectName(QStringLiteral("searchHint"));
    hint->setEnabled(false); // drawn as secondary text
    // Values are matched as the entry view shows them, decoded, not only as stored.
    auto *decodedHint = new QLabel(tr("Also searches inside base64, gzip and zlib values, and "
                                      "inside JSON strings holding them"),
                                   this);
    decodedHint->setObjectName(QStringLiteral("searchDecodedHint"));
    decodedHint->setEnabled(false);
    decodedHint->setToolTip(tr("A value matches when its stored bytes or what they decode to "
                               "contain the text; a match found decoded says where"));

    m_view->setObjectName(QStringLiteral("searchResults"));
    m_view->setModel(m_results);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setWordWrap(false);
    m_view->setAlternatingRowColors(true);
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 6);
    m_view->horizontalHeader()->setStretchLastSection(true);
    const QFontMetrics viewMetrics = m_view->fontMetrics();
    m_view->setColumnWidth(EntrySearchModel::Id,
                           viewMetrics.horizontalAdvance(QStringLiteral("1763000000000-000")) + 16);
    m_view->setColumnWidth(EntrySearchModel::Time,
                           viewMetrics.horizontalAdvance(QStringLiteral("2026-11-22 04:26:41.000"))
                               + 16);
    m_view->setColumnWidth(EntrySearchModel::Field, 140);
    m_view->setToolTip(tr("Double-click a result (or press Enter) to show it among the entries"));

    auto *queryRow = new QHBoxLayout;
    queryRow->addWidget(fieldLabel);
    queryRow->addWidget(m_field);
    queryRow->addWidget(m_match);
    queryRow->addWidget(m_pattern, 1);
    queryRow->addWidget(m_case);
    queryRow->addWidget(m_start);
    queryRow->addWidget(m_cancel);
    auto *rangeRow = new QHBoxLayout;
    rangeRow->addWidget(rangeLabel);
    rangeRow->addWidget(m_range);
    rangeRow->addWidget(m_rangeInputs);
    rangeRow->addStretch(1);
    rangeRow->addWidget(limitLabel);
    rangeRow->addWidget(m_limit);
    auto *decodedRow = new QHBoxLayout;
    decodedRow->addWidget(decodedHint);
    decodedRow->addStretch(1);
    auto *statusRow = new QHBoxLayout;
    statusRow->addWidget(m_progress);
    statusRow->addWidget(m_status, 1);
    statusRow->addWidget(hint);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(queryRow);
    layout->addLayout(rangeRow);
    layout->addLayout(decodedRow);
    layout->addWidget(m_error);
    layout->addLayout(statusRow);
    layout->addWidget(m_view, 1);

    connect(m_range, &QComboBox::currentIndexChanged, m_rangeInputs,
            &QStackedWidget::setCurrentIndex);
    connect(m_start, &QPushButton::clicked, this, &SearchPane::startSearch);
    for (QLineEdit *edit : {m_field, m_pattern, m_fromId, m_toId})
        connect(edit, &QLineEdit::returnPressed, this, &SearchPane::startSearch);
    connect(m_cancel, &QPushButton::clicked, m_results, &EntrySearchModel::cancel);
    connect(m_results, &EntrySearchModel::progress, this, &SearchPane::onProgress);
    connect(m_results, &EntrySearchModel::finished, this, &SearchPane::onFinished);
    connect(m_view, &QAbstractItemView::activated, this, [this](const QModelIndex &index) {
        if (index.isValid())
            Q_EMIT entryActivated(m_results->hitAt(index.row()).id);
    });
}

void SearchPane::startSearch()
{
    const std::optional<EntrySearch::Query> query = queryFromForm();
    if (!query)
        return;
    QString error;
    if (!m_results->start(m_session ? m_session->connection() : nullptr, m_key, *query, &error)) {
        showError(error, m_pattern);
        return;
    }
    m_error->hide();
    m_progress->setValue(0);
    m_status->setText(tr("Searching…"));
    updateButtons();
}

std::optional<EntrySearch::Query> SearchPane::queryFromForm()
{
    using EntrySearch::Query;
    Query query;
    query.field = m_field->text().toUtf8(); // field names are bytes; no trimming
    query.match = Query::Match(m_match->currentData().toInt());
    query.pattern = m_pattern->text();
    query.caseSensitive = m_case->isChecked();
    query.maxResults = m_limit->value();

    switch (RangeKind(m_range->currentIndex())) {
    case WholeStream:
        break;
    case IdRange: {
        const auto from = typedId(m_fromId, StreamId{0, 0}, false);
        if (!from)
            return std::nullopt;
        const auto to = typedId(m_toId, StreamId::max(), true);
        if (!to)
            return std::nullopt;
        if (*to < *from) {
            showError(tr("The range starts after it ends: %1 is after %2.")
                          .arg(m_fromId->text().trimmed(), m_toId->text().trimmed()),
                      m_fromId);
            return std::nullopt;
        }
        query.from = *from;
        query.to = *to;
        break;
    }
    case TimeRange: {
        const qint64 fromMs = wholeSecondMs(m_fromTime->dateTime());
        const qint64 toMs = wholeSecondMs(m_toTime->dateTime()) + 999; // the whole second
        if (toMs < fromMs) {
            const QString format = m_fromTime->displayFormat();
            showError(tr("The range starts after it ends: %1 is after %2.")
                          .arg(m_fromTime->dateTime().toString(format),
                               m_toTime->dateTime().toString(format)),
                      m_fromTime);
            return std::nullopt;
        }
        query.from = StreamId{quint64(fromMs), 0};
        query.to = StreamId::lastOf(quint64(toMs));
        break;
    }
    }

    const QString why = EntrySearch::validate(query);
    if (!why.isEmpty()) {
        showError(why, m_pattern); // the range was checked above
        return std::nullopt;
    }
    return query;
}

std::optional<StreamId> SearchPane::typedId(QLineEdit *edit, StreamId fallback, bool upper)
{
    const QString text = edit->text().trimmed();
    if (text.isEmpty())
        return fallback;
    // Redis's own names for the ends of a stream.
    if (text == QLatin1String("-"))
        return StreamId{0, 0};
    if (text == QLatin1String("+"))
        return StreamId::max();
    std::optional<StreamId> id = StreamId::parse(text.toLatin1());
    if (!id) {
        showError(tr("\"%1\" is not an entry id: use <milliseconds>-<sequence>, e.g. "
                     "1763800000000-0, or just the milliseconds.")
                      .arg(text),
                  edit);
        return std::nullopt;
    }
    if (upper && !text.contains(QLatin1Char('-')))
        id = StreamId::lastOf(id->ms); // every entry of that millisecond
    return id;
}

void SearchPane::onProgress(qint64 scanned, qint64 matches, double fraction)
{
    m_progress->setValue(qRound(fraction * ProgressSteps));
    m_status->setText(tr("Scanned %1 · %2").arg(entriesText(scanned), matchesText(matches)));
}

void SearchPane::onFinished(bool cancelled, const QString &error)
{
    const QString scanned = entriesText(m_results->scanned());
    const QString matches = matchesText(m_results->rowCount());
    if (!error.isEmpty()) {
        QString hint = errorHint(error);
        if (hint.isEmpty() && (!m_session || m_session->state() != ConnectionState::Connected))
            hint = tr("The connection is down: reconnect, then search again.");
        showError(hint.isEmpty() ? error : error + QLatin1Char('\n') + hint);
        m_status->setText(tr("Failed after scanning %1 (%2)").arg(scanned, matches));
    } else if (cancelled) {
        m_status->setText(tr("Cancelled after scanning %1 (%2)").arg(scanned, matches));
    } else if (m_results->truncated()) {
        m_status->setText(tr("Stopped at the limit of %1 after scanning %2; there may be more")
                              .arg(matchesText(m_results->query().maxResults), scanned));
    } else {
        m_progress->setValue(ProgressSteps);
        m_status->setText(tr("Done: scanned %1, %2").arg(scanned, matches));
    }
    updateButtons();
}

void SearchPane::showError(const QString &message, QWidget *focus)
{
    m_error->setText(message);
    m_error->show();
    if (focus) {
        focus->setFocus(Qt::OtherFocusReason);
        if (auto *edit = qobject_cast<QLineEdit *>(focus))
            edit->selectAll();
    }
}

void SearchPane::updateButtons()
{
    m_cancel->setEnabled(m_results->isRunning());
}
