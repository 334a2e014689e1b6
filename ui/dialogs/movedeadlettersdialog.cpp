#include "movedeadlettersdialog.h"

#include "formhint.h"
#include "palette.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMap>

#include <QPushButton>
#include <QRadioButton>
#include <QSpinBox>
#include <QVBoxLayout>
#include <climits>

#include <limits>

using namespace DeadLetterActions;

static QString html(const QByteArray &bytes)
{
    return QString::fromUtf8(bytes).toHtmlEscaped();
}

// A label whose room stays when it is hidden: the form does not jump as it comes and goes.
static QLabel *note(const QString &name, const QString &color, QWidget *parent)
{
    auto *label = new QLabel(parent);
    label->setObjectName(name);
    label->setWordWrap(true);
    if (!color.isEmpty())
        label->setStyleSheet(QStringLiteral("color: %1").arg(color));
    QSizePolicy policy = label->sizePolicy();
    policy.setRetainSizeWhenHidden(true);
    label->setSizePolicy(policy);
    return label;
}

MoveDeadLettersDialog::MoveDeadLettersDialog(const QByteArray &stream, const QByteArray &group,
                                             int selected, const QByteArray &deadLetterStream,
                                             bool cluster, QWidget *parent)
    : QDialog(parent)
    , m_stream(stream)
    , m_group(group)
    , m_cluster(cluster)
    , m_selected(new QRadioButton(this))
    , m_delivered(
          new QRadioButton(tr("Every pending entry of the group &delivered at least"), this))
    , m_minDeliveries(new QLineEdit(QStringLiteral("3"), this))
    , m_setIdle(new QCheckBox(tr("and &idle at least"), this))
    , m_minIdle(new QSpinBox(this))
    , m_deadLetterStream(new QLineEdit(QString::fromUtf8(deadLetterStream), this))
    , m_reason(new QLineEdit(this))
    , m_delete(new QCheckBox(tr("Also d&elete the entries from %1").arg(QString::fromUtf8(stream)),
                             this))
    , m_deleteWarning(
          note(QStringLiteral("moveDeleteWarning"), statusColor(Status::Warning).name(), this))
    , m_path(note(QStringLiteral("movePath"), {}, this))
    , m_hint(note(QStringLiteral("moveHint"), {}, this))
{
    setWindowTitle(tr("Move pending entries of %1 to dead letters").arg(QString::fromUtf8(group)));
    setMinimumWidth(560);
    m_selected->setObjectName(QStringLiteral("moveSelected"));
    m_selected->setText(selected == 0
                            ? tr("The &selected pending entries (none is selected)")
                            : tr("The %Ln &selected pending entries", nullptr, int(selected)));
    m_selected->setEnabled(selected > 0);
    m_delivered->setObjectName(QStringLiteral("moveDelivered"));
    (selected > 0 ? m_selected : m_delivered)->setChecked(true);
    m_minDeliveries->setObjectName(QStringLiteral("moveMinDeliveries"));
    m_minDeliveries->setMaximumWidth(80);
    m_minDeliveries->setToolTip(tr("Entries delivered this many times or more: the poison "
                                   "messages no consumer gets through"));
    m_setIdle->setObjectName(QStringLiteral("moveSetIdle"));
    m_minIdle->setObjectName(QStringLiteral("moveMinIdle"));
    m_minIdle->setRange(1, 30 * 24 * 3600);
    m_minIdle->setValue(60);
    m_minIdle->setSuffix(tr(" s"));
    m_minIdle->setGroupSeparatorShown(true);
    m_minIdle->setEnabled(false);
    m_minIdle->setToolTip(tr("Leaves alone an entry a consumer may still be working on"));
    m_deadLetterStream->setObjectName(QStringLiteral("moveDeadLetterStream"));
    m_deadLetterStream->setToolTip(tr("Created by the first dead letter if it does not exist"));
    m_reason->setObjectName(QStringLiteral("moveReason"));
    m_reason->setPlaceholderText(tr("why these messages are dead, e.g. amount is not a number"));
    m_delete->setObjectName(QStringLiteral("moveDelete"));
    m_deleteWarning->setText(
        tr("XDEL after the ack: the payload then lives only in the dead-letter stream, and "
           "replaying it writes a new entry with a new id."));
    m_deleteWarning->hide();
    m_path->setTextFormat(Qt::RichText);

    auto *deliveredRow = new QHBoxLayout;
    deliveredRow->addWidget(m_delivered);
    deliveredRow->addWidget(m_minDeliveries);
    deliveredRow->addWidget(new QLabel(tr("times"), this));
    deliveredRow->addStretch(1);
    auto *idleRow = new QHBoxLayout;
    idleRow->addSpacing(24);
    idleRow->addWidget(m_setIdle);
    idleRow->addWidget(m_minIdle);
    idleRow->addStretch(1);
    auto *form = new QFormLayout;
    form->addRow(tr("Dead-letter s&tream:"), m_deadLetterStream);
    form->addRow(tr("&Reason:"), m_reason);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_ok = buttons->button(QDialogButtonBox::Ok);
    m_ok->setText(tr("Review…"));
    m_ok->setObjectName(QStringLiteral("moveOk"));
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(new QLabel(
        tr("Move from <b>%1</b>, group <b>%2</b>:").arg(html(stream), html(group)), this));
    layout->addWidget(m_selected);
    layout->addLayout(deliveredRow);
    layout->addLayout(idleRow);
    layout->addSpacing(6);
    layout->addLayout(form);
    layout->addWidget(m_delete);
    layout->addWidget(m_deleteWarning);
    layout->addWidget(m_path);
    layout->addWidget(m_hint);
    layout->addStretch(1);
    layout->addWidget(buttons);

    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_setIdle, &QCheckBox::toggled, m_minIdle, &QWidget::setEnabled);
    connect(m_delete, &QCheckBox::toggled, m_deleteWarning, &QWidget::setVisible);
    for (QLineEdit *edit : {m_minDeliveries, m_deadLetterStream, m_reason}) {
        connect(edit, &QLineEdit::textEdited, this, [this] { m_typed = true; });
        connect(edit, &QLineEdit::textChanged, this, &MoveDeadLettersDialog::validate);
        // Enter with Review… disabled says, as an error, what is missing.
        connect(edit, &QLineEdit::returnPressed, this, [this] {
            m_typed = true;
            validate();
        });
    }
    for (QAbstractButton *b : std::initializer_list<QAbstractButton *>{m_selected, m_delivered})
        connect(b, &QAbstractButton::toggled, this, &MoveDeadLettersDialog::validate);
    m_reason->setFocus();
    validate();
}

MoveDeadLettersDialog::Scope MoveDeadLettersDialog::scope() const
{
    return m_selected->isChecked() ? Scope::Selected : Scope::Delivered;
}

qint64 MoveDeadLettersDialog::minDeliveries() const
{
    bool ok = false;
    const qint64 n = m_minDeliveries->text().trimmed().toLongLong(&ok);
    return ok && n >= 1 ? n : 0;
}

qint64 MoveDeadLettersDialog::minIdleMs() const
{
    return m_setIdle->isChecked() ? qint64(m_minIdle->value()) * 1000 : 0;
}

MoveOptions MoveDeadLettersDialog::options() const
{
    MoveOptions o;
    o.stream = m_stream;
    o.group = m_group;
    o.deadLetterStream = m_deadLetterStream->text().trimmed().toUtf8();
    o.reason = m_reason->text().trimmed();
    o.deleteFromSource = m_delete->isChecked();
    o.path = pathFor(o.stream, o.deadLetterStream, m_cluster);
    return o;
}

void MoveDeadLettersDialog::validate()
{
    const bool delivered = scope() == Scope::Delivered;
    m_minDeliveries->setEnabled(delivered);
    m_setIdle->setEnabled(delivered);
    m_minIdle->setEnabled(delivered && m_setIdle->isChecked());
    const MoveOptions o = options();
    QString why;
    if (delivered && minDeliveries() < 1)
        why = tr("Type how many deliveries make an entry a poison message: a whole number, "
                 "1 or more.");
    else
        why = DeadLetterActions::validate(o);
    showFormProblem(m_hint, why, m_typed);
    m_ok->setEnabled(why.isEmpty());
    m_path->setText(o.deadLetterStream.isEmpty()
                        ? QString()
                        : tr("<b>How:</b> %1").arg(describe(o.path).toHtmlEscaped()));
}

QString MoveDeadLettersDialog::actionText(qint64 entries)
{
    return tr("Move %Ln entries", nullptr, int(qMin<qint64>(entries, INT_MAX)));
}

QString MoveDeadLettersDialog::confirmationHtml(const MoveOptions &o,
                                                const DeadLetterConventions &conventions,
                                                qint64 entries, const QString &which)
{
    QStringList fields;
    for (const QByteArray &name : conventions.metadataFields())
        fields.append(html(name));
    QStringList lines;
    lines << tr("Move %1 of group <b>%2</b> on <b>%3</b>%4 to the dead-letter stream <b>%5</b>, "
                "with the reason “%6”.")
                 .arg(tr("%Ln pending entries", nullptr, int(qMin<qint64>(entries, INT_MAX))),
                      html(o.group), html(o.stream),
                      which.isEmpty() ? QString() : QLatin1Char(' ') + which,
                      html(o.deadLetterStream), o.reason.toHtmlEscaped());
    lines << tr("Each dead letter holds the metadata (%1: the original stream, id and group, "
                "the reason, the delivery count, the time), then the entry's own fields "
                "unchanged. The entry is then acknowledged in the group%2.")
                 .arg(fields.isEmpty() ? tr("none: the conventions name no fields")
                                       : fields.join(QStringLiteral(", ")),
                      o.deleteFromSource
                          ? tr(" and <b>deleted from %1</b>: its payload then lives only in "
                               "the dead-letter stream")
                                .arg(html(o.stream))
                          : QString());
    QString how = tr("<b>How:</b> %1").arg(describe(o.path).toHtmlEscaped());
    if (o.path == Path::Atomic)
        how += tr(" Each EVALSHA below runs Weir's move script for one entry: it skips an "
                  "entry no longer pending, else XADDs the dead letter and XACKs%1 the entry.")
                   .arg(o.deleteFromSource ? tr(" and XDELs") : QString());
    return QStringLiteral("<p>%1</p><p>%2</p>").arg(lines.join(QStringLiteral(" ")), how);
}

// "1-0, 2-0, 3-0" or "1-0, 2-0, 3-0, 4-0, 5-0 … (+7 more)".
static QString idList(const QList<QByteArray> &ids)
{
    constexpr int Shown = 5;
    QStringList shown;
    for (const QByteArray &id : ids.mid(0, Shown))
        shown.append(html(id));
    QString text = shown.join(QStringLiteral(", "));
    if (ids.size() > Shown)
        text +=
            MoveDeadLettersDialog::tr(" … (+%1 more)").arg(QLocale().toString(ids.size() - Shown));
    return text;
}

static QString entriesText(qint64 n)
{
    return MoveDeadLettersDialog::tr("%Ln entries", nullptr, int(qMin<qint64>(n, INT_MAX)));
}

QString MoveDeadLettersDialog::reportHtml(const MoveOptions &o, const BulkRunner::Report &r)
{
    QStringList lines;
    lines << tr("<b>Moved to %1: %2</b> (acknowledged in group %3%4).")
                 .arg(html(o.deadLetterStream), entriesText(r.done.size()), html(o.group),
                      o.deleteFromSource ? tr(" and deleted from %1").arg(html(o.stream))
                                         : QString());
    // Skipped ones by reason; failed ones by their error (shown in full below as well).
    QMap<QString, QList<QByteArray>> skipped;
    QList<QByteArray> unsent;
    for (const QByteArray &id : r.notDone) {
        if (r.failed.contains(id))
            continue;
        if (const QString why = r.reasons.value(id); !why.isEmpty())
            skipped[why].append(id);
        else
            unsent.append(id);
    }
    for (auto it = skipped.cbegin(); it != skipped.cend(); ++it)
        lines << tr("Skipped %1, %2: %3.")
                     .arg(entriesText(it.value().size()), it.key().toHtmlEscaped(),
                          idList(it.value()));
    if (!r.failed.isEmpty())
        lines << tr("Failed %1, refused by Redis (nothing of them changed): %2.")
                     .arg(entriesText(r.failed.size()), idList(r.failed));
    if (!unsent.isEmpty())
        lines << tr("Not done %1%2: still pending.")
                     .arg(entriesText(unsent.size()),
                          r.cancelled          ? tr(", cancelled before they were sent")
                          : !r.error.isEmpty() ? tr(", stopped by the failure")
                                               : QString());
    if (!r.firstPhaseOnly.isEmpty())
        lines << tr("Copied but not removed %1: each is in the dead-letter stream and still "
                    "pending; moving it again writes a second dead letter: %2.")
                     .arg(entriesText(r.firstPhaseOnly.size()), idList(r.firstPhaseOnly));
    if (!r.unknown.isEmpty())
        lines << tr("Unknown %1: sent when the connection failed and not read back. Look at "
                    "the group's pending entries before moving them again (an entry moved "
                    "already is skipped): %2.")
                     .arg(entriesText(r.unknown.size()), idList(r.unknown));
    if (r.verified > 0)
        lines << tr("%1 sent just before the connection failed were read back from Redis and "
                    "are counted above as they stand.")
                     .arg(entriesText(r.verified));
    return lines.join(QStringLiteral("<br>"));
}
