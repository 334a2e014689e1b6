#include "replaydialog.h"

#include "bulkactiondialog.h"
#include "connectionsession.h"
#include "deadlettermodel.h"
#include "formhint.h"
#include "keyformat.h"
#include "palette.h"
#include "valuedecoder.h"

#include <QButtonGroup>
#include <QCheckBox>
#include <QComboBox>
#include <QCompleter>
#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QScreen>
#include <QSpinBox>
#include <QSplitter>
#include <QStandardItemModel>
#include <QTableWidget>
#include <QVBoxLayout>

using namespace DeadLetterActions;

ReplayDialog::ReplayDialog(const Source &source, QWidget *parent)
    : QDialog(parent)
    , m_source(source)
    , m_scope(new QComboBox(this))
    , m_toOriginal(new QRadioButton(tr("Each dead letter's &original stream"), this))
    , m_toStream(new QRadioButton(tr("&This stream:"), this))
    , m_target(new QLineEdit(this))
    , m_strip(new QCheckBox(this))
    , m_counter(new QLineEdit(this))
    , m_rate(new QSpinBox(this))
    , m_path(new QLabel(this))
    , m_status(new QLabel(this))
    , m_preview(new QTableWidget(this))
    , m_counts(new QLabel(this))
    , m_hint(new QLabel(this))
    , m_fields(new QPlainTextEdit(this))
    , m_dryRun(new QPushButton(tr("&Dry run"), this))
    , m_reader(new EntryReader(this))
{
    setWindowTitle(tr("Replay dead letters from %1").arg(displayKey(source.key)));
    m_scope->setObjectName(QStringLiteral("replayScope"));
    m_toOriginal->setObjectName(QStringLiteral("replayToOriginal"));
    m_toStream->setObjectName(QStringLiteral("replayToStream"));
    m_target->setObjectName(QStringLiteral("replayTarget"));
    m_strip->setObjectName(QStringLiteral("replayStrip"));
    m_counter->setObjectName(QStringLiteral("replayCounter"));
    m_rate->setObjectName(QStringLiteral("replayRate"));
    m_path->setObjectName(QStringLiteral("replayPath"));
    m_status->setObjectName(QStringLiteral("replayStatus"));
    m_preview->setObjectName(QStringLiteral("replayPreview"));
    m_counts->setObjectName(QStringLiteral("replayCounts"));
    m_hint->setObjectName(QStringLiteral("replayHint"));
    m_dryRun->setObjectName(QStringLiteral("replayDryRun"));
    m_fields->setObjectName(QStringLiteral("replayFields"));

    const bool filtered = source.reason || source.from.isValid() || source.to.isValid();
    m_scope->addItem(
        source.selected.size() == 1
            ? tr("The selected dead letter")
            : tr("The %1 selected dead letters").arg(QLocale().toString(source.selected.size())),
        Selected);
    QStringList filter;
    if (source.reason)
        filter << tr("reason \"%1\"")
                      .arg(source.reason->isEmpty() ? tr("(none recorded)")
                                                    : displayKey(*source.reason));
    const QString timeFormat = QStringLiteral("yyyy-MM-dd HH:mm:ss");
    if (source.from.isValid())
        filter << tr("from %1").arg(source.from.toLocalTime().toString(timeFormat));
    if (source.to.isValid())
        filter << tr("to %1").arg(source.to.toLocalTime().toString(timeFormat));
    m_scope->addItem(tr("Those matching the view's filter (%1)").arg(filter.join(tr(", "))),
                     Filtered);
    m_scope->addItem(tr("All dead letters in %1").arg(displayKey(source.key)), All);
    // A scope that holds nothing cannot be chosen.
    if (auto *items = qobject_cast<QStandardItemModel *>(m_scope->model())) {
        items->item(Selected)->setEnabled(!source.selected.isEmpty());
        items->item(Filtered)->setEnabled(filtered);
    }
    m_scope->setCurrentIndex(!source.selected.isEmpty() ? 0 : filtered ? 1 : 2);

    m_toOriginal->setChecked(true);
    auto *targets = new QButtonGroup(this);
    targets->addButton(m_toOriginal);
    targets->addButton(m_toStream);
    m_target->setPlaceholderText(tr("stream key, e.g. orders-retry"));
    m_target->setEnabled(false);
    const QList<QByteArray> meta = source.conventions.metadataFields();
    QStringList metaNames;
    for (const QByteArray &name : meta)
        metaNames << displayKey(name);
    m_strip->setText(tr("&Strip the dead-letter fields"));
    // The names wrap under the box: a stream's own names can be long, and the dialog must
    // fit a small screen.
    auto *stripNames = new QLabel(metaNames.join(tr(", ")), this);
    stripNames->setObjectName(QStringLiteral("replayStripNames"));
    stripNames->setWordWrap(true);
    stripNames->setEnabled(false); // drawn as a note
    m_strip->setToolTip(tr("Leave out the fields the dead-letter conventions name, so the copy "
                           "is the message as it was before it failed"));
    m_strip->setChecked(true);
    m_counter->setPlaceholderText(tr("none; e.g. replayCount (set to 1, or counted up)"));
    m_counter->setToolTip(tr("A field the copy gets: 1, or one more than the dead letter "
                             "holds, so consumers can tell a replayed message"));
    m_rate->setRange(0, 1'000'000);
    m_rate->setGroupSeparatorShown(true);
    m_rate->setSpecialValueText(tr("no limit"));
    m_rate->setSuffix(tr(" dead letters a second"));
    m_path->setWordWrap(true);
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_counts->setWordWrap(true);
    m_counts->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_hint->setWordWrap(true);
    m_dryRun->setToolTip(tr("Show exactly what would be written, and where; nothing is sent"));

    m_preview->setColumnCount(3);
    m_preview->setHorizontalHeaderLabels({tr("Dead letter"), tr("Goes to"), tr("Fields written")});
    m_preview->verticalHeader()->hide();
    m_preview->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_preview->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_preview->setWordWrap(false);
    m_preview->setTextElideMode(Qt::ElideMiddle); // a replay counter comes last
    m_preview->setAlternatingRowColors(true);
    m_preview->horizontalHeader()->setStretchLastSection(true);
    const int chars = fontMetrics().averageCharWidth();
    m_preview->setColumnWidth(0, fontMetrics().horizontalAdvance(QStringLiteral("1700000000000-00"))
                                     + 3 * chars);
    m_preview->setColumnWidth(1, 18 * chars);
    m_preview->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 6);
    m_preview->setMinimumHeight(fontMetrics().lineSpacing() * 6);
    m_fields->setReadOnly(true);
    m_fields->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_fields->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_fields->setPlaceholderText(tr("Dry run, then pick a dead letter: its fields are shown "
                                    "here exactly as they would be written."));
    // The counts take their lines from the start, so nothing below them moves when the
    // dry run fills them in.
    m_counts->setMinimumHeight(fontMetrics().lineSpacing() * 3);
    m_counts->setAlignment(Qt::AlignLeft | Qt::AlignTop);

    auto *targetRow = new QHBoxLayout;
    targetRow->addWidget(m_toOriginal);
    targetRow->addSpacing(12);
    targetRow->addWidget(m_toStream);
    targetRow->addWidget(m_target, 1);
    auto *form = new QFormLayout;
    form->addRow(tr("&Replay:"), m_scope);
    auto *toLabel = new QLabel(tr("To:"), this);
    form->addRow(toLabel, targetRow);
    auto *strip = new QVBoxLayout;
    strip->setSpacing(0);
    strip->addWidget(m_strip);
    strip->addWidget(stripNames);
    form->addRow(tr("Metadata:"), strip);
    form->addRow(tr("Replay &counter:"), m_counter);
    form->addRow(tr("R&ate:"), m_rate);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_review = buttons->button(QDialogButtonBox::Ok);
    m_review->setText(tr("Re&view…"));
    m_review->setObjectName(QStringLiteral("replayReview"));
    buttons->addButton(m_dryRun, QDialogButtonBox::ActionRole);
    auto *dryRun = new QSplitter(Qt::Vertical, this);
    dryRun->setChildrenCollapsible(false);
    dryRun->addWidget(m_preview);
    dryRun->addWidget(m_fields);
    dryRun->setStretchFactor(0, 3);
    dryRun->setStretchFactor(1, 2);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_path);
    layout->addWidget(m_status);
    layout->addWidget(m_counts);
    layout->addWidget(dryRun, 1);
    layout->addWidget(m_hint);
    layout->addWidget(buttons);

    connect(buttons, &QDialogButtonBox::accepted, this, &ReplayDialog::review);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_scope, &QComboBox::currentIndexChanged, this, &ReplayDialog::scopeChanged);
    connect(m_toStream, &QRadioButton::toggled, this, [this](bool on) {
        m_target->setEnabled(on);
        if (on)
            m_target->setFocus();
        optionsChanged();
    });
    for (QLineEdit *edit : {m_target, m_counter}) {
        connect(edit, &QLineEdit::textEdited, this, [this] { m_typed = true; });
        connect(edit, &QLineEdit::textChanged, this, &ReplayDialog::optionsChanged);
        // Enter with Review… disabled does nothing but say, as an error, what is wrong.
        connect(edit, &QLineEdit::returnPressed, this, [this] {
            m_typed = true;
            validate();
        });
    }
    connect(m_strip, &QCheckBox::toggled, this, &ReplayDialog::optionsChanged);
    connect(m_dryRun, &QPushButton::clicked, this, [this] {
        m_dryRunShown = true;
        showPreview();
        if (m_preview->rowCount() > 0 && !m_preview->currentIndex().isValid())
            m_preview->setCurrentCell(0, 0);
    });
    connect(m_preview, &QTableWidget::currentCellChanged, this, &ReplayDialog::showFields);
    m_reader->setPageSize(500);
    connect(m_reader, &EntryReader::progress, this, [this](qint64, qint64 read) {
        m_status->setText(tr("Reading the dead letters… %1 so far").arg(QLocale().toString(read)));
    });
    connect(m_reader, &EntryReader::finished, this, &ReplayDialog::onRead);
    scopeChanged();
    // Room for a dozen rows of the dry run from the start, within the screen it opens on:
    // the dialog never grows (and its buttons never leave the screen) when the dry run runs.
    QSize size(960, 680);
    if (const QScreen *on = parent ? parent->screen() : screen())
        size = size.boundedTo(on->availableGeometry().size() - QSize(48, 64));
    resize(size.expandedTo(minimumSizeHint()).boundedTo(size));
}

DeadLetterActions::ReplayOptions ReplayDialog::options() const
{
    ReplayOptions o;
    o.deadLetterStream = m_source.key;
    o.target = m_toStream->isChecked() ? m_target->text().toUtf8() : QByteArray();
    o.stripMetadata = m_strip->isChecked();
    o.counterField = m_counter->text().toUtf8();
    // Copy then remove as soon as one dead letter's target lies where no script reaches both.
    o.path = replayPath(m_plan, o, m_source.cluster);
    return o;
}

void ReplayDialog::scopeChanged()
{
    m_plan.clear();
    m_status->setText(tr("Reading the dead letters…"));
    if (!m_source.session) {
        plan();
        return;
    }
    const int scope = m_scope->currentData().toInt();
    if (scope == Selected) {
        m_reader->readIds(m_source.session->connection(), m_source.key, m_source.selected);
    } else {
        // The time range, as the view sends it: an id range.
        const bool filtered = scope == Filtered;
        StreamId from;
        StreamId to = StreamId::max();
        if (filtered && m_source.from.isValid())
            from = StreamId{quint64(qMax<qint64>(0, m_source.from.toMSecsSinceEpoch())), 0};
        if (filtered && m_source.to.isValid())
            to = m_source.to.toMSecsSinceEpoch() < 0
                     ? StreamId{}
                     : StreamId::lastOf(quint64(m_source.to.toMSecsSinceEpoch()));
        EntryReader::Filter filter;
        if (filtered && m_source.reason) {
            filter = [reason = *m_source.reason,
                      conventions = m_source.conventions](const StreamEntry &e) {
                return parseDeadLetter(e, conventions).reason == reason;
            };
        }
        m_reader->readRange(m_source.session->connection(), m_source.key, from, to, filter,
                            ReadCap);
    }
    if (m_reader->isRunning()) // else it is read already
        plan();
}

void ReplayDialog::onRead()
{
    const QLocale locale;
    if (!m_reader->error().isEmpty()) {
        m_status->setText(
            tr("Reading the dead letters failed: %1").arg(errorWithHintHtml(m_reader->error())));
    } else {
        QString text = tr("%Ln dead letters read.", nullptr, int(m_reader->entries().size()));
        if (!m_reader->missing().isEmpty())
            text += QLatin1Char(' ')
                    + tr("%Ln of the selected are no longer in the dead-letter stream.", nullptr,
                         int(m_reader->missing().size()));
        if (m_reader->isCapped())
            text += QLatin1Char(' ')
                    + tr("The first %1 only: replay them, then the rest.")
                          .arg(locale.toString(ReadCap));
        m_status->setText(text);
    }
    // The original streams read, offered as targets too.
    QStringList streams;
    for (const StreamEntry &e : m_reader->entries()) {
        const QString s =
            QString::fromUtf8(parseDeadLetter(e, m_source.conventions).originalStream);
        if (!s.isEmpty() && !streams.contains(s))
            streams << s;
    }
    streams.sort();
    delete m_target->completer();
    m_target->setCompleter(new QCompleter(streams, m_target));
    plan();
}

void ReplayDialog::optionsChanged()
{
    plan();
}

// What replaying the dead letters read would write, with the options on screen.
void ReplayDialog::plan()
{
    m_plan.clear();
    const ReplayOptions o = options();
    if (!m_reader->isRunning() && m_reader->error().isEmpty()) {
        m_plan.reserve(m_reader->entries().size());
        for (const StreamEntry &e : m_reader->entries())
            m_plan.append(planReplay(e, o, m_source.conventions));
    }
    const Path path = options().path;
    m_path->setText(tr("<b>How:</b> %1 Each dead letter is removed from %2 only once its copy "
                       "is written.")
                        .arg(describe(path), displayKey(m_source.key).toHtmlEscaped()));
    if (m_dryRunShown) // the dry run follows the options
        showPreview();
    else
        m_counts->setText(tr("Dry run shows what each dead letter would become and where it "
                             "would go; nothing is sent."));
    validate();
}

QString ReplayDialog::targetsInWords() const
{
    const QList<QPair<QByteArray, qsizetype>> targets = replayTargets(m_plan);
    QStringList parts;
    for (qsizetype i = 0; i < targets.size() && i < 5; ++i)
        parts << QStringLiteral("<b>%1</b> (%2)")
                     .arg(displayKey(targets.at(i).first).toHtmlEscaped(),
                          QLocale().toString(targets.at(i).second));
    if (targets.size() > 5)
        parts << tr("%n more streams", nullptr, int(targets.size() - 5));
    return parts.join(tr(", "));
}

void ReplayDialog::showPreview()
{
    const QLocale locale;
    if (m_reader->isRunning() || !m_reader->error().isEmpty()) {
        m_preview->setRowCount(0);
        showFields();
        m_counts->setText(m_reader->isRunning()
                              ? tr("The dry run follows once the dead letters are read.")
                              : QString());
        return;
    }
    qsizetype toWrite = 0;
    QList<QByteArray> skipped;
    QHash<QByteArray, QString> reasons;
    for (const ReplayItem &item : std::as_const(m_plan)) {
        if (item.skipReason.isEmpty()) {
            ++toWrite;
        } else {
            skipped.append(item.id);
            reasons.insert(item.id, item.skipReason);
        }
    }
    for (const QByteArray &id : m_reader->missing()) {
        skipped.append(id);
        reasons.insert(id, tr("no longer in the dead-letter stream"));
    }
    QStringList lines;
    lines << (toWrite == 0 ? tr("<b>Nothing would be written.</b>")
                           : tr("<b>%1 would be written</b> to %2.")
                                 .arg(tr("%Ln copies", nullptr, int(toWrite)), targetsInWords()));
    if (!skipped.isEmpty()) {
        QHash<QString, qsizetype> byReason;
        for (const QByteArray &id : std::as_const(skipped))
            ++byReason[reasons.value(id)];
        QStringList parts;
        for (auto it = byReason.cbegin(); it != byReason.cend(); ++it)
            parts << tr("%1 × %2").arg(locale.toString(it.value()), it.key().toHtmlEscaped());
        parts.sort();
        lines << tr("%1 skipped: %2.")
                     .arg(tr("%Ln dead letters", nullptr, int(skipped.size())),
                          parts.join(QStringLiteral("; ")));
    }
    lines << tr("Dry run: nothing was sent.");
    m_counts->setText(lines.join(QStringLiteral("<br>")));

    const qsizetype rows = qMin<qsizetype>(m_plan.size(), PreviewRows);
    m_preview->setRowCount(int(rows));
    for (int row = 0; row < rows; ++row) {
        const ReplayItem &item = m_plan.at(row);
        auto *id = new QTableWidgetItem(QString::fromLatin1(item.id));
        auto *target = new QTableWidgetItem(item.skipReason.isEmpty() ? displayKey(item.target)
                                                                      : tr("(skipped)"));
        QString fields;
        if (item.skipReason.isEmpty()) {
            fields = DeadLetterModel::payloadSummary(item.fields);
        } else {
            fields = item.skipReason;
            target->setForeground(statusColor(Status::Error, m_preview->palette()));
        }
        auto *fieldsItem = new QTableWidgetItem(fields);
        m_preview->setItem(row, 0, id);
        m_preview->setItem(row, 1, target);
        m_preview->setItem(row, 2, fieldsItem);
    }
    if (m_plan.size() > rows)
        m_counts->setText(m_counts->text() + QStringLiteral("<br>")
                          + tr("The table shows the first %1.").arg(locale.toString(rows)));
    showFields();
}

// The current row's dead letter as it would be written: where, each field and value
// exactly (bytes that are not printable text escaped as \xNN), how the message was
// unpacked from its content, and what is left out.
void ReplayDialog::showFields()
{
    const int row = m_preview->currentRow();
    if (row < 0 || row >= m_preview->rowCount() || row >= m_plan.size()) {
        m_fields->clear();
        return;
    }
    const ReplayItem &item = m_plan.at(row);
    QString text = tr("Dead letter %1").arg(QString::fromLatin1(item.id)) + QLatin1Char('\n');
    if (!item.skipReason.isEmpty()) {
        m_fields->setPlainText(text + tr("Skipped: %1").arg(item.skipReason));
        return;
    }
    text += tr("Goes to %1 as a new entry with %n fields:", nullptr, int(item.fields.size()))
                .arg(displayKey(item.target))
            + QLatin1Char('\n');
    if (!item.unpacked.isEmpty())
        text += tr("(the message unpacked from %1: %2)")
                    .arg(displayKey(m_source.conventions.contentField), item.unpacked)
                + QLatin1Char('\n');
    text += QLatin1Char('\n');
    int width = 0;
    for (const auto &field : item.fields)
        width = qMax(width, int(displayKey(field.first).size()));
    width = qMin(width, 32);
    for (const auto &[name, value] : item.fields) {
        text += displayKey(name).leftJustified(width) + QStringLiteral("  ")
                + displayKey(value.left(MaxFieldShown));
        if (value.size() > MaxFieldShown)
            text += tr(" … (%1 bytes in all)").arg(QLocale().toString(value.size()));
        text += QLatin1Char('\n');
    }
    if (!item.leftOut.isEmpty()) {
        QStringList names;
        for (const QByteArray &name : item.leftOut)
            names << displayKey(name);
        text += QLatin1Char('\n')
                + tr("Not written (fields of the dead letter, not of the message): %1")
                      .arg(names.join(tr(", ")));
    }
    m_fields->setPlainText(text);
}

QString ReplayDialog::problem(bool *fromInput) const
{
    if (!m_source.session)
        return tr("There is no connection.");
    if (m_source.session->isReadOnly())
        return tr("This connection is read-only.");
    if (fromInput)
        *fromInput = true;
    if (m_toStream->isChecked() && m_target->text().isEmpty())
        return tr("Name the stream to replay to.");
    const QString counter = m_counter->text();
    if (!counter.isEmpty()) {
        if (counter.trimmed() != counter)
            return tr("The replay counter's field name must not start or end with a space.");
        if (m_source.conventions.metadataFields().contains(counter.toUtf8()))
            return tr("\"%1\" is a dead-letter metadata field: name the replay counter something "
                      "else.")
                .arg(counter);
    }
    if (QString why = DeadLetterActions::validate(options()); !why.isEmpty())
        return why;
    if (fromInput)
        *fromInput = false;
    if (m_reader->isRunning())
        return tr("Reading the dead letters…");
    if (!m_reader->error().isEmpty())
        return tr("The dead letters could not be read.");
    if (m_plan.isEmpty() && !m_reader->missing().isEmpty())
        return tr("Nothing left to replay: the selected dead letters are no longer in the "
                  "dead-letter stream.");
    if (m_plan.isEmpty())
        return tr("There are no dead letters to replay here.");
    const bool any = std::any_of(m_plan.cbegin(), m_plan.cend(),
                                 [](const ReplayItem &i) { return i.skipReason.isEmpty(); });
    if (!any)
        return tr("Nothing to replay: every dead letter here would be skipped (Dry run says "
                  "why).");
    return {};
}

void ReplayDialog::validate()
{
    bool fromInput = false;
    const QString why = problem(&fromInput);
    // What the operator typed wrong is an error; anything else (reading, nothing to
    // replay, a target not named yet) is said plainly.
    showFormProblem(m_hint, why, fromInput && m_typed);
    m_review->setEnabled(why.isEmpty());
    m_dryRun->setEnabled(!m_reader->isRunning() && m_reader->error().isEmpty());
}

void ReplayDialog::review()
{
    m_typed = true; // an attempt to go on shows what is wrong as an error
    validate();
    if (!problem().isEmpty())
        return;
    const ReplayOptions o = options();
    const ReplaySelection selection = selectReplay(m_plan, m_reader->missing());
    const QList<QByteArray> &toSend = selection.toSend;
    const QList<QPair<QByteArray, QString>> &skipped = selection.skipped;

    auto *dialog = new BulkActionDialog(m_source.session, tr("Replay dead letters"), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setObjectName(QStringLiteral("replayRun"));
    dialog->setUnit(tr("dead letters"), true);
    dialog->setSkippedBeforehand(skipped);
    BulkRunner *runner = dialog->runner();
    runner->setStopOnError(false); // one refused dead letter does not hold back the others
    runner->setRate(m_rate->value());
    // The rate is kept chunk by chunk: with a limit, chunks of a quarter second's worth.
    const int perChunk =
        m_rate->value() > 0 ? qBound(1, m_rate->value() / 4, EntriesPerChunk) : EntriesPerChunk;
    if (o.path == Path::CopyThenRemove)
        runner->setSecondPhase(replaySecondPhase(o));
    connect(dialog, &BulkActionDialog::ran, this, [this] {
        Q_EMIT replayed();
        scopeChanged(); // what is left
    });

    const QLocale locale;
    QStringList what;
    what << tr("Replay %1 from <b>%2</b> to %3.")
                .arg(tr("<b>%Ln dead letters</b>", nullptr, int(toSend.size())),
                     displayKey(o.deadLetterStream).toHtmlEscaped(), targetsInWords());
    QStringList how;
    how << (o.stripMetadata ? tr("The dead-letter fields are stripped")
                            : tr("The dead-letter fields are kept"));
    how << (o.counterField.isEmpty() ? tr("no replay counter")
                                     : tr("the field <b>%1</b> counts replays")
                                           .arg(displayKey(o.counterField).toHtmlEscaped()));
    how << (m_rate->value() > 0 ? tr("at most %1 a second").arg(locale.toString(m_rate->value()))
                                : tr("as fast as Redis takes them"));
    what << how.join(tr("; ")) + QLatin1Char('.');
    if (!skipped.isEmpty())
        what << tr("%Ln dead letters are left out (the report says why).", nullptr,
                   int(skipped.size()));
    what << m_path->text();
    dialog->open();
    dialog->confirm(what.join(QStringLiteral("<br>")),
                    tr("Replay %Ln dead letters", nullptr, int(toSend.size())),
                    replayChunks(m_plan, o, perChunk),
                    o.path == Path::Atomic ? replayVerifier(o) : BulkRunner::Verifier{});
    dialog->offerBackup(StreamExport::Selection{o.deadLetterStream, "-", "+", toSend});
}
