#include "redrivedialog.h"

#include "bulkactiondialog.h"
#include "connectionsession.h"
#include "deadletteractions.h"
#include "keyformat.h"
#include "palette.h"

#include <QComboBox>
#include <QDateTimeEdit>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPointer>
#include <QPushButton>
#include <QStackedWidget>
#include <QVBoxLayout>

#include <climits>

namespace {
enum Kind { ById, ByTime };

// One end of an id range: "-" / "+" (or empty) for the stream's ends, "<ms>" (the whole
// millisecond) or "<ms>-<seq>".
std::optional<StreamId> bound(const QString &text, bool isEnd)
{
    const QByteArray t = text.trimmed().toLatin1();
    if (t.isEmpty() || t == (isEnd ? "+" : "-"))
        return isEnd ? StreamId::max() : StreamId{0, 0};
    std::optional<StreamId> id = StreamId::parse(t);
    if (id && isEnd && !t.contains('-'))
        id = StreamId::lastOf(id->ms);
    return id;
}
} // namespace

RedriveDialog::RedriveDialog(ConnectionSession *session, const QByteArray &key, QWidget *parent)
    : QDialog(parent)
    , m_session(session)
    , m_key(key)
    , m_kind(new QComboBox(this))
    , m_fromId(new QLineEdit(this))
    , m_toId(new QLineEdit(this))
    , m_from(new QDateTimeEdit(QDateTime::currentDateTime().addSecs(-3600), this))
    , m_to(new QDateTimeEdit(QDateTime::currentDateTime(), this))
    , m_field(new QLineEdit(this))
    , m_text(new QLineEdit(this))
    , m_target(new QLineEdit(this))
    , m_count(new QLabel(this))
    , m_hint(new QLabel(this))
    , m_dryRun(new QPushButton(tr("&Dry run"), this))
    , m_reader(new EntryReader(this))
{
    setWindowTitle(tr("Redrive entries of %1").arg(displayKey(key)));
    setMinimumWidth(680);
    m_kind->setObjectName(QStringLiteral("redriveKind"));
    m_fromId->setObjectName(QStringLiteral("redriveFromId"));
    m_toId->setObjectName(QStringLiteral("redriveToId"));
    m_from->setObjectName(QStringLiteral("redriveFrom"));
    m_to->setObjectName(QStringLiteral("redriveTo"));
    m_field->setObjectName(QStringLiteral("redriveField"));
    m_text->setObjectName(QStringLiteral("redriveText"));
    m_target->setObjectName(QStringLiteral("redriveTarget"));
    m_count->setObjectName(QStringLiteral("redriveCount"));
    m_hint->setObjectName(QStringLiteral("redriveHint"));
    m_dryRun->setObjectName(QStringLiteral("redriveDryRun"));

    m_kind->addItem(tr("Between two ids"), ById);
    m_kind->addItem(tr("Between two times"), ByTime);
    m_fromId->setPlaceholderText(tr("- (the first), or an id"));
    m_toId->setPlaceholderText(tr("+ (the last), or an id"));
    m_fromId->setToolTip(tr("<milliseconds>-<sequence>, or <milliseconds> for all of that "
                            "millisecond; empty or - from the first entry"));
    m_toId->setToolTip(tr("<milliseconds>-<sequence>, or <milliseconds> for all of that "
                          "millisecond; empty or + up to the last entry"));
    for (QDateTimeEdit *edit : {m_from, m_to}) {
        edit->setDisplayFormat(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
        edit->setCalendarPopup(true);
    }
    m_field->setPlaceholderText(tr("any field"));
    m_text->setPlaceholderText(tr("contains (case-sensitive); empty: every entry"));
    m_target->setPlaceholderText(tr("the stream to copy to, e.g. %1-retry").arg(displayKey(key)));
    m_count->setWordWrap(true);
    m_count->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_hint->setWordWrap(true);
    // Room for a two-line hint is kept, so the form does not jump as it comes and goes.
    m_hint->setMinimumHeight(m_hint->fontMetrics().lineSpacing() * 2);
    m_hint->setAlignment(Qt::AlignLeft | Qt::AlignTop);
    m_dryRun->setToolTip(tr("Count the entries that would be copied; nothing is written"));

    auto *ids = new QWidget(this);
    auto *idRow = new QHBoxLayout(ids);
    idRow->setContentsMargins(0, 0, 0, 0);
    idRow->addWidget(m_fromId, 1);
    idRow->addWidget(new QLabel(tr("to"), ids));
    idRow->addWidget(m_toId, 1);
    auto *times = new QWidget(this);
    auto *timeRow = new QHBoxLayout(times);
    timeRow->setContentsMargins(0, 0, 0, 0);
    timeRow->addWidget(m_from, 1);
    timeRow->addWidget(new QLabel(tr("to"), times));
    timeRow->addWidget(m_to, 1);
    auto *range = new QStackedWidget(this);
    range->addWidget(ids);
    range->addWidget(times);
    range->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Fixed);
    auto *filterRow = new QHBoxLayout;
    filterRow->addWidget(m_field, 1);
    filterRow->addWidget(m_text, 2);

    auto *form = new QFormLayout;
    form->addRow(tr("&Entries:"), m_kind);
    form->addRow(QString(), range);
    auto *filterLabel = new QLabel(tr("&Only where:"), this);
    filterLabel->setBuddy(m_field);
    form->addRow(filterLabel, filterRow);
    form->addRow(tr("Copy &to:"), m_target);
    auto *dryRunRow = new QHBoxLayout;
    dryRunRow->addWidget(m_dryRun, 0, Qt::AlignTop);
    dryRunRow->addWidget(m_count, 1);
    auto *note = new QLabel(tr("Each entry is added to the target with a new id and its fields "
                               "as they are (XADD); the stream itself is left as it is."),
                            this);
    note->setWordWrap(true);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_review = buttons->button(QDialogButtonBox::Ok);
    m_review->setText(tr("Re&view…"));
    m_review->setObjectName(QStringLiteral("redriveReview"));
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(note);
    layout->addLayout(dryRunRow);
    layout->addWidget(m_hint);
    layout->addStretch(1);
    layout->addWidget(buttons);

    connect(buttons, &QDialogButtonBox::accepted, this, &RedriveDialog::review);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_dryRun, &QPushButton::clicked, this, &RedriveDialog::dryRun);
    connect(m_kind, &QComboBox::currentIndexChanged, this, [this, range](int index) {
        range->setCurrentIndex(index);
        optionsChanged();
    });
    for (QLineEdit *edit : {m_fromId, m_toId, m_field, m_text, m_target}) {
        connect(edit, &QLineEdit::textEdited, this, [this] { m_typed = true; });
        connect(edit, &QLineEdit::textChanged, this, &RedriveDialog::optionsChanged);
        // Enter with Review… disabled says, as an error, what is missing.
        connect(edit, &QLineEdit::returnPressed, this, [this] {
            m_typed = true;
            validate();
        });
    }
    for (QDateTimeEdit *edit : {m_from, m_to})
        connect(edit, &QDateTimeEdit::dateTimeChanged, this, &RedriveDialog::optionsChanged);
    connect(m_reader, &EntryReader::progress, this, [this](qint64 scanned) {
        if (m_onProgress)
            m_onProgress(scanned);
    });
    connect(m_reader, &EntryReader::finished, this, [this] {
        if (auto done = std::exchange(m_afterRead, nullptr))
            done();
    });
    m_target->setFocus();
    validate();
}

std::optional<RedriveDialog::Range> RedriveDialog::range(QString *why) const
{
    Range r;
    if (m_kind->currentData().toInt() == ById) {
        const std::optional<StreamId> from = bound(m_fromId->text(), false);
        const std::optional<StreamId> to = bound(m_toId->text(), true);
        if (!from || !to) {
            if (why)
                *why = tr("%1 is not a stream id: write <milliseconds>-<sequence>, "
                          "<milliseconds>, or %2.")
                           .arg(!from ? tr("From") : tr("To"),
                                !from ? QStringLiteral("-") : QStringLiteral("+"));
            return std::nullopt;
        }
        r.from = *from;
        r.to = *to;
    } else {
        r.from = StreamId{quint64(qMax<qint64>(0, m_from->dateTime().toMSecsSinceEpoch())), 0};
        // The whole second "To" shows.
        r.to =
            StreamId::lastOf(quint64(qMax<qint64>(0, m_to->dateTime().toMSecsSinceEpoch() + 999)));
    }
    if (r.to < r.from) {
        if (why)
            *why = tr("From is after To: the range holds nothing.");
        return std::nullopt;
    }
    r.field = m_field->text().toUtf8();
    r.text = m_text->text().toUtf8();
    if (!r.field.isEmpty() && r.text.isEmpty()) {
        if (why)
            *why = tr("Say what the field \"%1\" must contain, or clear the field name.")
                       .arg(m_field->text());
        return std::nullopt;
    }
    return r;
}

QByteArray RedriveDialog::target() const
{
    return m_target->text().toUtf8();
}

QString RedriveDialog::problem() const
{
    if (m_session->isReadOnly())
        return tr("This connection is read-only.");
    QString why;
    if (!range(&why))
        return why;
    if (target().isEmpty())
        return tr("Name the stream to copy the entries to.");
    if (target() == m_key)
        return tr("The target must be another stream: copying %1 into itself would add every "
                  "entry again at its end.")
            .arg(displayKey(m_key));
    return {};
}

void RedriveDialog::optionsChanged()
{
    // A count of other options is no count of these.
    if (!m_readRange || !range() || !(*m_readRange == *range())) {
        m_reader->cancel();
        m_readRange.reset();
        m_afterRead = nullptr;
        m_count->clear();
    }
    validate();
}

void RedriveDialog::validate()
{
    const QString why = problem();
    // Its room is kept (setMinimumHeight above), so only its text and colour change.
    m_hint->setText(why);
    m_hint->setStyleSheet(m_typed ? statusStyleSheet(Status::Error) : QString());
    m_review->setEnabled(why.isEmpty());
    m_dryRun->setEnabled(range().has_value());
}

void RedriveDialog::read(const Range &r, std::function<void()> done)
{
    if (m_readRange && *m_readRange == r && m_reader->isDone()) {
        done();
        return;
    }
    m_readRange = r;
    m_afterRead = std::move(done);
    EntryReader::Filter filter;
    if (!r.text.isEmpty()) {
        filter = [field = r.field, text = r.text](const StreamEntry &e) {
            return std::any_of(e.fields.cbegin(), e.fields.cend(), [&](const auto &f) {
                return (field.isEmpty() || f.first == field) && f.second.contains(text);
            });
        };
    }
    m_reader->readRange(m_session->connection(), m_key, r.from, r.to, filter, ReadCap);
}

void RedriveDialog::dryRun()
{
    const std::optional<Range> r = range();
    if (!r)
        return;
    m_count->setText(tr("Counting…"));
    m_onProgress = [this](qint64 scanned) {
        m_count->setText(
            tr("Counting… %Ln entries read", nullptr, int(qMin<qint64>(scanned, INT_MAX))));
    };
    read(*r, [this] {
        const QLocale locale;
        if (!m_reader->error().isEmpty()) {
            m_count->setText(tr("Reading failed: %1").arg(errorWithHintHtml(m_reader->error())));
            return;
        }
        const QList<StreamEntry> &entries = m_reader->entries();
        QString text =
            m_readRange->text.isEmpty()
                ? tr("<b>%Ln entries</b> in the range would be copied.", nullptr,
                     int(entries.size()))
                : tr("<b>%1 of the %2 entries</b> in the range match and would be "
                     "copied.")
                      .arg(locale.toString(entries.size()), locale.toString(m_reader->scanned()));
        if (m_reader->isCapped())
            text += QLatin1Char(' ')
                    + tr("A run copies the first %1 only.").arg(locale.toString(ReadCap));
        m_count->setText(text + QLatin1Char(' ') + tr("Dry run: nothing was written."));
    });
}

void RedriveDialog::review()
{
    const std::optional<Range> r = range();
    if (!r || !problem().isEmpty())
        return;
    const QByteArray target = this->target();
    auto *dialog = new BulkActionDialog(m_session, tr("Redrive"), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setObjectName(QStringLiteral("redriveRun"));
    dialog->setUnit(tr("entries"), true);
    connect(dialog, &BulkActionDialog::ran, this, [this, target] { Q_EMIT redriven(target); });
    connect(dialog, &BulkActionDialog::cancelRequested, this, [this] {
        m_reader->cancel(); // the read stops; what it read is dropped
        m_readRange.reset();
        m_afterRead = nullptr;
    });
    dialog->showCollecting(tr("Reading the entries to copy…"));
    dialog->open();
    const QPointer<BulkActionDialog> guard = dialog;
    m_onProgress = [guard](qint64 scanned) {
        if (guard)
            guard->showCollecting(
                tr("Reading the entries to copy… %1 read").arg(QLocale().toString(scanned)));
    };
    read(*r, [this, guard, target] {
        if (!guard)
            return;
        if (!m_reader->error().isEmpty()) {
            guard->showProblem(
                tr("The entries could not be read: %1").arg(errorWithHintHtml(m_reader->error())));
            return;
        }
        const QList<StreamEntry> &entries = m_reader->entries();
        if (entries.isEmpty()) {
            guard->showProblem(tr("No entry in this range matches: nothing to copy."));
            return;
        }
        const QLocale locale;
        QString what =
            tr("Copy <b>%Ln entries</b> of <b>%1</b> (%2 to %3) to <b>%4</b>, each "
               "with a new id and its fields unchanged. %1 is left as it is.",
               nullptr, int(entries.size()))
                .arg(displayKey(m_key).toHtmlEscaped(), entries.constFirst().id.toString(),
                     entries.constLast().id.toString(), displayKey(target).toHtmlEscaped());
        if (m_reader->isCapped())
            what += QStringLiteral("<br>")
                    + tr("The range holds more: these are the first %1; redrive the rest "
                         "afterwards.")
                          .arg(locale.toString(ReadCap));
        guard->confirm(what, tr("Copy %Ln entries", nullptr, int(entries.size())),
                       DeadLetterActions::copyChunks(entries, target));
    });
}
