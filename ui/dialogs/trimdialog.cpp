#include "trimdialog.h"

#include "bulkactiondialog.h"
#include "connectionsession.h"
#include "formhint.h"
#include "palette.h"
#include "pendingactions.h"

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
#include <QScrollArea>
#include <QSpinBox>
#include <QTimer>
#include <QVBoxLayout>

#include <climits>

using namespace TrimActions;

namespace {
enum Strategy { KeepNewest, KeepFromId, KeepFromTime };
}

TrimDialog::TrimDialog(ConnectionSession *session, const QByteArray &key, QWidget *parent)
    : QDialog(parent)
    , m_session(session)
    , m_key(key)
    , m_strategy(new QComboBox(this))
    , m_threshold(new QLineEdit(this))
    , m_time(new QDateTimeEdit(QDateTime::currentDateTime().addDays(-7), this))
    , m_exactness(new QComboBox(this))
    , m_limit(new QSpinBox(this))
    , m_preview(new QLabel(this))
    , m_hint(new QLabel(this))
    , m_previewer(new TrimPreviewer(this))
    , m_debounce(new QTimer(this))
{
    setWindowTitle(tr("Trim %1 (XTRIM)").arg(QString::fromUtf8(key)));
    setMinimumWidth(560);
    m_strategy->setObjectName(QStringLiteral("trimStrategy"));
    m_strategy->addItem(tr("Keep the newest entries (MAXLEN)"), KeepNewest);
    m_strategy->addItem(tr("Keep entries from an id on (MINID)"), KeepFromId);
    m_strategy->addItem(tr("Keep entries from a time on (MINID)"), KeepFromTime);
    m_threshold->setObjectName(QStringLiteral("trimThreshold"));
    m_time->setObjectName(QStringLiteral("trimTime"));
    m_time->setDisplayFormat(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
    m_time->setCalendarPopup(true);
    m_time->hide();
    m_exactness->setObjectName(QStringLiteral("trimExactness"));
    m_exactness->addItem(tr("= exactly"));
    m_exactness->addItem(tr("~ whole nodes only (cheaper; may keep a few more)"));
    m_limit->setObjectName(QStringLiteral("trimLimit"));
    m_limit->setRange(0, 100'000'000);
    m_limit->setGroupSeparatorShown(true);
    m_limit->setSpecialValueText(tr("Redis's default (100 nodes)"));
    m_limit->setSuffix(tr(" entries a call"));
    m_limit->setEnabled(false);
    m_limit->setToolTip(tr("With ~, each XTRIM call removes at most this many entries, so that "
                           "no call blocks the server for long; Weir calls again until the "
                           "target is reached"));
    m_preview->setObjectName(QStringLiteral("trimPreview"));
    m_preview->setWordWrap(true);
    m_preview->setTextFormat(Qt::RichText);
    m_preview->setMinimumHeight(m_preview->fontMetrics().lineSpacing() * 4);
    m_threshold->setFocus();
    m_preview->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    m_hint->setObjectName(QStringLiteral("trimHint"));
    m_hint->setWordWrap(true);
    m_debounce->setSingleShot(true);
    m_debounce->setInterval(300);

    auto *thresholdRow = new QHBoxLayout;
    thresholdRow->addWidget(m_threshold, 1);
    thresholdRow->addWidget(m_time, 1);
    auto *form = new QFormLayout;
    form->addRow(tr("&Keep:"), m_strategy);
    form->addRow(QString(), thresholdRow);
    form->addRow(tr("&How:"), m_exactness);
    form->addRow(tr("&LIMIT:"), m_limit);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_ok = buttons->button(QDialogButtonBox::Ok);
    m_ok->setText(tr("Review…"));
    m_ok->setObjectName(QStringLiteral("trimOk"));
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    // The preview has a line per group: the dialog grows to show them, up to a point, and
    // scrolls beyond it.
    m_previewArea = new QScrollArea(this);
    m_previewArea->setWidget(m_preview);
    m_previewArea->setWidgetResizable(true);
    m_previewArea->setFrameShape(QFrame::NoFrame);
    layout->addWidget(m_previewArea, 1);
    layout->addWidget(m_hint);
    layout->addWidget(buttons);

    connect(buttons, &QDialogButtonBox::accepted, this, &TrimDialog::review);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_strategy, &QComboBox::currentIndexChanged, this, [this] {
        const int s = m_strategy->currentData().toInt();
        m_threshold->setVisible(s != KeepFromTime);
        m_time->setVisible(s == KeepFromTime);
        m_threshold->setPlaceholderText(s == KeepNewest
                                            ? tr("entries to keep, e.g. 100000")
                                            : tr("oldest id to keep, e.g. 1700000000000-0"));
        optionsChanged();
    });
    connect(m_exactness, &QComboBox::currentIndexChanged, this, [this] {
        m_limit->setEnabled(m_exactness->currentIndex() == 1);
        optionsChanged();
    });
    connect(m_threshold, &QLineEdit::textEdited, this, [this] { m_touched = true; });
    connect(m_threshold, &QLineEdit::returnPressed, this, [this] {
        m_touched = true;
        validate();
    });
    connect(m_threshold, &QLineEdit::textChanged, this, &TrimDialog::optionsChanged);
    connect(m_time, &QDateTimeEdit::dateTimeChanged, this, &TrimDialog::optionsChanged);
    connect(m_limit, &QSpinBox::valueChanged, this, &TrimDialog::optionsChanged);
    connect(m_debounce, &QTimer::timeout, this, &TrimDialog::startPreview);
    connect(m_previewer, &TrimPreviewer::progress, this, [this](qint64 read) {
        m_preview->setText(
            tr("Counting… %Ln entries read", nullptr, int(qMin<qint64>(read, INT_MAX))));
    });
    connect(m_previewer, &TrimPreviewer::finished, this, &TrimDialog::showPreview);
    m_strategy->currentIndexChanged(0); // placeholders
}

Options TrimDialog::options() const
{
    Options o;
    o.key = m_key;
    const int s = m_strategy->currentData().toInt();
    o.strategy = s == KeepNewest ? Options::Strategy::MaxLen : Options::Strategy::MinId;
    o.threshold = s == KeepFromTime
                      ? QByteArray::number(m_time->dateTime().toMSecsSinceEpoch()) + "-0"
                      : m_threshold->text().trimmed().toUtf8();
    o.approximate = m_exactness->currentIndex() == 1;
    o.limit = o.approximate ? m_limit->value() : 0;
    return o;
}

void TrimDialog::optionsChanged()
{
    m_shown.reset();
    m_previewer->cancel();
    validate();
    if (TrimActions::validate(options()).isEmpty()) {
        m_preview->setText(tr("Counting…"));
        m_debounce->start();
    } else {
        m_debounce->stop();
        m_preview->clear();
    }
}

void TrimDialog::startPreview()
{
    m_previewer->start(m_session->connection(), options());
}

void TrimDialog::showPreview(const TrimPreviewer::Preview &p)
{
    if (!p.error.isEmpty()) {
        m_preview->setText(tr("The preview failed: %1").arg(errorWithHintHtml(p.error)));
        validate();
        return;
    }
    m_shown = p;
    const QLocale locale;
    const bool approximate = options().approximate;
    QStringList lines;
    if (p.removed == 0) {
        lines << tr("Nothing to remove: all %Ln entries are within the limit.", nullptr,
                    int(qMin<qint64>(p.length, INT_MAX)));
    } else {
        lines << (approximate ? tr("<b>Up to %1 of %2 entries go</b> (~ removes whole nodes only, "
                                   "so a few of them may stay)")
                              : tr("<b>%1 of %2 entries go</b>"))
                         .arg(locale.toString(p.removed), locale.toString(p.length))
                     + tr(": the oldest up to %1; %2.")
                           .arg(p.lastRemoved ? p.lastRemoved->toString() : QString(),
                                p.firstKept
                                    ? tr("the stream keeps %1 on").arg(p.firstKept->toString())
                                    : tr("nothing stays"));
        for (const TrimPreviewer::Group &g : p.groups) {
            QString line = tr("Group <b>%1</b>: ").arg(QString::fromUtf8(g.name).toHtmlEscaped());
            line += g.orphaned > 0
                        ? tr("%1 of its %2 pending entries would point at deleted entries (ack or "
                             "claim "
                             "them first, or move them to a dead-letter stream)")
                              .arg(locale.toString(g.orphaned), locale.toString(g.pending))
                        : tr("no pending entry is affected");
            if (g.unread)
                line += QStringLiteral("; ")
                        + statusHtml(Status::Error, tr("it has not read all the entries that "
                                                       "go: they will never reach it"));
            lines << line + QLatin1Char('.');
        }
        if (p.groups.isEmpty())
            lines << tr("The stream has no consumer groups.");
    }
    m_preview->setText(lines.join(QStringLiteral("<br>")));
    const int wanted = height() + m_preview->heightForWidth(m_previewArea->viewport()->width())
                       - m_previewArea->viewport()->height();
    if (wanted > height())
        resize(width(), qMin(wanted, 640));
    validate();
}

void TrimDialog::validate()
{
    QString why = TrimActions::validate(options());
    if (why.isEmpty() && m_shown && m_shown->removed == 0)
        why = tr("Nothing to trim with these options.");
    showFormProblem(m_hint, why, m_touched);
    m_ok->setEnabled(why.isEmpty() && m_shown.has_value());
}

void TrimDialog::review()
{
    if (!m_shown || !TrimActions::validate(options()).isEmpty())
        return;
    const Options o = options();
    const TrimPreviewer::Preview p = *m_shown;
    auto *dialog = new BulkActionDialog(m_session, tr("Trim"), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setObjectName(QStringLiteral("trimRun"));
    auto *run = new TrimRun(dialog);
    connect(dialog, &BulkActionDialog::cancelRequested, run, &TrimRun::cancel);
    connect(run, &TrimRun::progress, dialog, [dialog, p](qint64 removed, int calls) {
        dialog->setProgressText(tr("%1 of about %2 entries removed, %3 calls")
                                    .arg(QLocale().toString(removed), QLocale().toString(p.removed))
                                    .arg(calls));
    });
    const QPointer<ConnectionSession> session = m_session;
    connect(run, &TrimRun::finished, dialog, [this, dialog, o, session](const TrimRun::Result &r) {
        const QLocale locale;
        const QString removed =
            tr("<b>Removed %Ln entries</b>", nullptr, int(qMin<qint64>(r.removed, INT_MAX)));
        QStringList lines{tr("%1 in %Ln calls.", nullptr, int(r.calls)).arg(removed)};
        if (r.cancelled)
            lines << tr("Cancelled: no further call was sent.");
        if (r.lastCallUnknown)
            lines << tr("The last call was sent when the connection failed: it may have removed "
                        "more. Look at the stream before trimming again.");
        Q_EMIT trimmed();
        optionsChanged(); // the preview shows what is left
        if (!o.approximate || !r.error.isEmpty() || r.cancelled || !session) {
            dialog->showOutcome(lines.join(QStringLiteral("<br>")), r.error);
            return;
        }
        // What ~ left above the target: whole nodes that also hold entries to keep.
        readBeyondTarget(session->connection(), o, dialog,
                         [dialog, lines](std::optional<qint64> left) mutable {
            if (left == 0)
                lines << tr("The target is reached.");
            else if (left)
                lines << tr("%Ln entries beyond the target remain: ~ "
                            "removes whole nodes only, and they share a "
                            "node with entries that stay (a node holds up "
                            "to stream-node-max-entries entries, 100 by "
                            "default). Trim with = to remove them too.",
                            nullptr, int(qMin<qint64>(*left, INT_MAX)));
            dialog->showOutcome(lines.join(QStringLiteral("<br>")), QString());
        });
    });
    const QString what = tr("Trim <b>%1</b>: %2<br>XTRIM cannot be undone.")
                             .arg(QString::fromUtf8(o.key).toHtmlEscaped(), m_preview->text());
    const QString perCall =
        o.limit > 0 ? tr("%Ln entries", nullptr, int(qMin<qint64>(o.limit, INT_MAX)))
                    : tr("100 nodes' worth of entries (10,000 with the default node size)");
    const QString note =
        o.approximate
            ? tr("Repeated while it removes something: ~ removes at most %1 a call.").arg(perCall)
            : tr("One call.");
    dialog->open();
    dialog->confirmLoop(
        what, tr("Trim %Ln entries", nullptr, int(qMin<qint64>(p.removed, INT_MAX))),
        PendingActions::redisCliLines({BulkRunner::Chunk{{command(o)}, {}}}, 1).constFirst(), note,
        [this, run, o] { run->start(m_session->connection(), o); });
    if (p.lastRemoved) // what an exact trim removes; ~ removes no more
        dialog->offerBackup(StreamExport::Selection{o.key, "-", p.lastRemoved->toByteArray(), {}});
}
