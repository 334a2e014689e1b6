#include "bulkactiondialog.h"

#include "connectionsession.h"
#include "errorhint.h"
#include "exportdialog.h"
#include "palette.h"
#include "pendingactions.h"
#include "valuedecoder.h"

#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QDateTime>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFontDatabase>
#include <QLabel>
#include <QLocale>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSaveFile>
#include <QVBoxLayout>

QString errorWithHintHtml(const QString &error)
{
    if (error.isEmpty())
        return {};
    const QString hint = errorHint(error);
    return error.toHtmlEscaped()
           + (hint.isEmpty() ? QString() : QStringLiteral("<br>") + hint.toHtmlEscaped());
}

namespace {
enum Stage { Collecting, Confirm, Running, Report };

QLabel *wrapping(const QString &name, QWidget *parent)
{
    auto *label = new QLabel(parent);
    label->setObjectName(name);
    label->setWordWrap(true);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    return label;
}

// The reasons of `ids`, most frequent first (then by reason), with their counts.
QList<QPair<QString, qsizetype>> grouped(const QList<QByteArray> &ids,
                                         const QHash<QByteArray, QString> &reasons)
{
    QHash<QString, qsizetype> counts;
    for (const QByteArray &id : ids)
        ++counts[reasons.value(id)];
    QList<QPair<QString, qsizetype>> out;
    for (auto it = counts.cbegin(); it != counts.cend(); ++it)
        out.append({it.key(), it.value()});
    std::sort(out.begin(), out.end(), [](const auto &a, const auto &b) {
        return a.second != b.second ? a.second > b.second : a.first < b.first;
    });
    return out;
}

// What a report's ids fall into, each id in one class.
struct Classes
{
    QList<QByteArray> skipped; // not done, with a reason that is not an error
    QList<QByteArray> failed;  // refused with an error
    QList<QByteArray> unsent;  // not done, no reason: never sent, or verified not done
};

Classes classify(const BulkRunner::Report &report)
{
    Classes c;
    c.failed = report.failed;
    for (const QByteArray &id : report.notDone) {
        if (report.failed.contains(id))
            continue;
        (report.reasons.contains(id) ? c.skipped : c.unsent).append(id);
    }
    return c;
}

// The commands of a chunk's prelude, each once, as the copy and the confirmation show
// them: what the commands that follow rely on (SCRIPT LOAD before EVALSHA).
QList<RedisCommand> distinctPrelude(const QList<BulkRunner::Chunk> &chunks)
{
    QList<RedisCommand> out;
    for (const BulkRunner::Chunk &chunk : chunks) {
        for (const RedisCommand &command : chunk.prelude) {
            const bool known = std::any_of(out.cbegin(), out.cend(), [&](const RedisCommand &c) {
                return c.argv == command.argv;
            });
            if (!known)
                out.append(command);
        }
    }
    return out;
}

// A prelude command in one line of the confirmation: a long argument (a script) is cut
// to its first line and its size.
QString shortLine(const RedisCommand &command)
{
    QStringList parts;
    for (const QByteArray &arg : command.argv) {
        if (arg.size() <= 40 && !arg.contains('\n')) {
            parts << QString::fromUtf8(redisCliQuote(arg));
            continue;
        }
        parts << QString::fromUtf8(redisCliQuote(arg.left(arg.indexOf('\n')).left(40)))
                     + BulkActionDialog::tr("… (%1 bytes)").arg(QLocale().toString(arg.size()));
    }
    return parts.join(QLatin1Char(' '));
}
} // namespace

BulkActionDialog::BulkActionDialog(ConnectionSession *session, const QString &title,
                                   QWidget *parent)
    : QDialog(parent)
    , m_session(session)
    , m_runner(new BulkRunner(this))
    , m_stages(new QWidget(this))
    , m_collecting(wrapping(QStringLiteral("collecting"), this))
    , m_what(wrapping(QStringLiteral("what"), this))
    , m_option(new QCheckBox(this))
    , m_commands(new QPlainTextEdit(this))
    , m_count(wrapping(QStringLiteral("commandCount"), this))
    , m_progress(new QProgressBar(this))
    , m_progressText(wrapping(QStringLiteral("progressText"), this))
    , m_report(wrapping(QStringLiteral("report"), this))
    , m_error(wrapping(QStringLiteral("error"), this))
    , m_copyNotDone(new QPushButton(tr("Copy the ids &not done"), this))
    , m_saveReport(new QPushButton(tr("&Save report…"), this))
    , m_saveNote(wrapping(QStringLiteral("saveNote"), this))
    , m_pause(new QPushButton(tr("&Pause"), this))
    , m_buttons(new QDialogButtonBox(this))
    , m_go(new QPushButton(this))
    , m_close(new QPushButton(tr("Cancel"), this))
    , m_backUp(new QPushButton(tr("&Back up first…"), this))
{
    setWindowTitle(title);
    setMinimumWidth(640);
    m_commands->setObjectName(QStringLiteral("commands"));
    m_commands->setReadOnly(true);
    m_commands->setLineWrapMode(QPlainTextEdit::WidgetWidth);
    m_commands->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_commands->setFixedHeight(m_commands->fontMetrics().lineSpacing() * (ShownCommands + 1) + 12);
    auto *copy = new QPushButton(tr("Copy as &redis-cli commands"), this);
    copy->setObjectName(QStringLiteral("copyCommands"));
    copy->setToolTip(tr("Every command, one per line, to run or keep"));
    m_progress->setObjectName(QStringLiteral("progress"));
    m_progress->setRange(0, 1000);
    m_error->setObjectName(QStringLiteral("error"));
    m_error->setStyleSheet(statusStyleSheet(Status::Error));
    m_copyNotDone->setObjectName(QStringLiteral("copyNotDone"));
    m_saveReport->setObjectName(QStringLiteral("saveReport"));
    m_saveReport->setToolTip(tr("Write this report, with the ids of each kind, to a text file"));
    m_pause->setObjectName(QStringLiteral("pause"));
    m_pause->setToolTip(tr("Send no further chunk until Resume; the ones already sent finish"));
    m_go->setObjectName(QStringLiteral("go"));
    m_close->setObjectName(QStringLiteral("close"));
    m_buttons->addButton(m_go, QDialogButtonBox::ActionRole);
    m_buttons->addButton(m_pause, QDialogButtonBox::ActionRole);
    m_pause->hide();
    m_buttons->addButton(m_close, QDialogButtonBox::RejectRole);
    m_backUp->setObjectName(QStringLiteral("backUp"));
    m_backUp->setToolTip(tr("Export the entries this touches to a file before going on"));
    m_buttons->addButton(m_backUp, QDialogButtonBox::ResetRole); // apart from the others
    m_backUp->hide();

    auto *collecting = new QWidget(this);
    (new QVBoxLayout(collecting))->addWidget(m_collecting);
    auto *confirm = new QWidget(this);
    auto *confirmLayout = new QVBoxLayout(confirm);
    confirmLayout->addWidget(m_what);
    confirmLayout->addWidget(m_option);
    confirmLayout->addWidget(m_commands);
    auto *countRow = new QHBoxLayout;
    countRow->addWidget(m_count, 1);
    countRow->addWidget(copy);
    confirmLayout->addLayout(countRow);
    auto *running = new QWidget(this);
    auto *runningLayout = new QVBoxLayout(running);
    runningLayout->addWidget(m_progress);
    runningLayout->addWidget(m_progressText);
    auto *report = new QWidget(this);
    auto *reportLayout = new QVBoxLayout(report);
    reportLayout->addWidget(m_report);
    reportLayout->addWidget(m_error);
    auto *reportButtons = new QHBoxLayout;
    reportButtons->addWidget(m_copyNotDone);
    reportButtons->addWidget(m_saveReport);
    reportButtons->addWidget(m_saveNote, 1);
    reportLayout->addLayout(reportButtons);
    // One page per stage, only the current one shown: the dialog fits it (a stacked
    // widget would keep the height of the tallest).
    auto *stages = new QVBoxLayout(m_stages);
    stages->setContentsMargins(0, 0, 0, 0);
    for (QWidget *page : {collecting, confirm, running, report}) {
        page->layout()->setContentsMargins(0, 0, 0, 0);
        page->hide();
        stages->addWidget(page);
        m_pages.append(page);
    }
    stages->addStretch(1); // content at the top
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_stages, 1);
    layout->addWidget(m_buttons);

    connect(copy, &QPushButton::clicked, this, [this] {
        // A loop's first command is all there is to copy: the next depend on its reply.
        QApplication::clipboard()->setText(m_startLoop
                                               ? m_commands->toPlainText() + QLatin1Char('\n')
                                               : PendingActions::redisCliScript(m_chunks));
    });
    connect(m_pause, &QPushButton::clicked, this, &BulkActionDialog::togglePause);
    connect(m_saveReport, &QPushButton::clicked, this, &BulkActionDialog::askReportPath);
    connect(m_copyNotDone, &QPushButton::clicked, this, [this] {
        QApplication::clipboard()->setText(QString::fromLatin1(m_notDone.join('\n')));
    });
    connect(m_go, &QPushButton::clicked, this, &BulkActionDialog::run);
    connect(m_backUp, &QPushButton::clicked, this, [this] {
        auto *dialog = new ExportDialog(m_session, m_backup->key, this);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        dialog->setObjectName(QStringLiteral("backupDialog"));
        dialog->setSelection(*m_backup);
        dialog->open();
    });
    connect(m_close, &QPushButton::clicked, this, &BulkActionDialog::reject);
    connect(m_runner, &BulkRunner::progress, this, [this](qint64 done, qint64 total) {
        m_progress->setValue(total > 0 ? int(1000 * done / total) : 0);
        m_progressDone = done;
        m_progressTotal = total;
        showProgress();
    });
    connect(m_runner, &BulkRunner::finished, this, &BulkActionDialog::showReport);
    m_go->hide();
    m_option->setObjectName(QStringLiteral("option"));
    m_option->hide();
    connect(m_option, &QCheckBox::toggled, this, [this] {
        std::swap(m_chunks, m_alternative);
        showCommands();
    });
}

void BulkActionDialog::setStage(int stage)
{
    m_stage = stage;
    for (int i = 0; i < m_pages.size(); ++i)
        m_pages.at(i)->setVisible(i == stage);
    m_backUp->setVisible(stage == Confirm && m_backup.has_value());
    m_pause->setVisible(stage == Running && !m_startLoop);
    layout()->activate();
    resize(width(), layout()->hasHeightForWidth() ? layout()->totalHeightForWidth(width())
                                                  : sizeHint().height());
}

void BulkActionDialog::showCollecting(const QString &what)
{
    m_collecting->setText(what);
    setStage(Collecting);
    m_go->hide();
}

void BulkActionDialog::setCollected(qint64 ids)
{
    m_collecting->setText(tr("Reading the pending entries… %1 found").arg(QLocale().toString(ids)));
}

void BulkActionDialog::confirm(const QString &what, const QString &action,
                               QList<BulkRunner::Chunk> chunks, BulkRunner::Verifier verifier)
{
    m_chunks = std::move(chunks);
    m_verifier = std::move(verifier);
    showCommands();
    showConfirmation(what, action);
}

void BulkActionDialog::showConfirmation(const QString &what, const QString &action)
{
    m_what->setText(what);
    m_option->setVisible(!m_alternative.isEmpty());
    m_go->setText(action);
    m_go->show();
    m_go->setDefault(true);
    m_go->setFocus();
    m_close->setText(tr("Cancel"));
    setStage(Confirm);
}

void BulkActionDialog::setAlternative(const QString &text, QList<BulkRunner::Chunk> chunks)
{
    m_alternative = std::move(chunks);
    const QSignalBlocker blocker(m_option);
    m_option->setChecked(false);
    m_option->setText(text);
    m_option->show();
    setStage(m_stage); // room for the check box
}

void BulkActionDialog::offerBackup(const StreamExport::Selection &entries)
{
    m_backup = entries;
    if (m_stage == Confirm)
        setStage(Confirm); // shows the button
}

void BulkActionDialog::showCommands()
{
    qint64 commands = 0;
    qint64 ids = 0;
    for (const BulkRunner::Chunk &c : std::as_const(m_chunks)) {
        commands += c.commands.size();
        ids += c.ids.size();
    }
    const QLocale locale;
    // What the commands rely on comes first, cut short: a script is no line to read.
    QStringList lines;
    const QList<RedisCommand> prelude = distinctPrelude(m_chunks);
    for (const RedisCommand &command : prelude)
        lines << shortLine(command);
    lines += PendingActions::redisCliLines(m_chunks, ShownCommands, ShownArguments);
    m_commands->setPlainText(lines.join(QLatin1Char('\n')));
    const QString preludeNote =
        prelude.isEmpty()
            ? QString()
            : tr(" Each chunk loads the script first (SCRIPT LOAD in the same MULTI/EXEC), so "
                 "EVALSHA never meets NOSCRIPT; the copied commands load it too.");
    m_count->setText(
        (commands > ShownCommands
             ? tr("… and %1 more: %2 commands for %3 %4, sent in chunks, up to %5 chunks at once.")
                   .arg(locale.toString(commands - ShownCommands), locale.toString(commands),
                        locale.toString(ids), unitFor(ids))
                   .arg(m_runner->window())
             : tr("%1 %2 for %3 %4.")
                   .arg(commands)
                   .arg(commands == 1 ? tr("command") : tr("commands"), locale.toString(ids),
                        unitFor(ids)))
        + preludeNote);
}

QString BulkActionDialog::unitFor(qint64 count) const
{
    if (count != 1)
        return m_unit;
    if (m_unit.endsWith(QLatin1String("ies")))
        return m_unit.chopped(3) + QLatin1Char('y');
    return m_unit.endsWith(QLatin1Char('s')) ? m_unit.chopped(1) : m_unit;
}

void BulkActionDialog::setUnit(const QString &plural, bool idsCopyable)
{
    m_unit = plural;
    m_idsCopyable = idsCopyable;
}

void BulkActionDialog::showProblem(const QString &text)
{
    m_report->setText(text);
    m_error->clear();
    m_copyNotDone->hide();
    m_saveReport->hide();
    m_saveNote->clear();
    m_go->hide();
    m_close->setText(tr("Close"));
    setStage(Report);
}

void BulkActionDialog::run()
{
    m_go->hide();
    m_close->setText(tr("Cancel"));
    m_progress->setValue(0);
    m_pause->setText(tr("&Pause"));
    setStage(Running);
    if (m_startLoop) {
        m_progress->setRange(0, 0); // a loop does not know its length
        m_loopRunning = true;
        m_startLoop();
    } else {
        m_runner->start(m_session->connection(), m_chunks, m_verifier);
    }
}

void BulkActionDialog::confirmLoop(const QString &what, const QString &action,
                                   const QString &commands, const QString &note,
                                   std::function<void()> start)
{
    m_startLoop = std::move(start);
    m_commands->setPlainText(commands);
    m_count->setText(note);
    showConfirmation(what, action);
}

void BulkActionDialog::setProgressText(const QString &text)
{
    m_progressText->setText(text);
}

void BulkActionDialog::showOutcome(const QString &html, const QString &error)
{
    m_loopRunning = false;
    m_report->setText(html);
    m_error->setText(errorWithHintHtml(error));
    m_copyNotDone->hide();
    m_saveReport->hide();
    m_saveNote->clear();
    m_close->setText(tr("Close"));
    setStage(Report);
    Q_EMIT ran({});
}

void BulkActionDialog::togglePause()
{
    if (!m_runner->isRunning())
        return;
    if (m_runner->isPaused())
        m_runner->resume();
    else
        m_runner->pause();
    m_pause->setText(m_runner->isPaused() ? tr("&Resume") : tr("&Pause"));
    m_pause->setToolTip(m_runner->isPaused()
                            ? tr("Go on sending chunks")
                            : tr("Send no further chunk until Resume; the ones already sent "
                                 "finish"));
    showProgress();
}

void BulkActionDialog::showProgress()
{
    const QLocale locale;
    QString text = tr("%1 of %2 %3")
                       .arg(locale.toString(m_progressDone), locale.toString(m_progressTotal),
                            unitFor(m_progressTotal));
    if (m_runner->isPaused())
        text += tr(" · <b>paused</b>: the chunks already sent finish, nothing more is sent "
                   "until Resume");
    m_progressText->setText(text);
}

void BulkActionDialog::reject()
{
    if (m_runner->isRunning()) {
        m_pause->hide();
        m_runner->cancel();
        m_progressText->setText(
            tr("Cancelling: the chunks already sent finish, nothing more is sent…"));
        return;
    }
    if (m_loopRunning) {
        Q_EMIT cancelRequested();
        m_progressText->setText(
            tr("Cancelling: the call already sent finishes, nothing more is sent…"));
        return;
    }
    if (m_stage == Collecting)
        Q_EMIT cancelRequested();
    QDialog::reject();
}

void BulkActionDialog::showReport(const BulkRunner::Report &run)
{
    BulkRunner::Report report = run;
    for (const auto &[id, reason] : std::as_const(m_skippedBeforehand)) {
        report.notDone.append(id);
        report.reasons.insert(id, reason);
    }
    m_lastReport = report;
    const QLocale locale;
    const Classes classes = classify(report);
    QStringList lines;
    lines << tr("<b>Done: %1 %2</b> (Redis counted %3).")
                 .arg(locale.toString(report.done.size()), unitFor(report.done.size()),
                      locale.toString(report.affected));
    if (!report.notDone.isEmpty())
        lines << tr("Not done: %1 %2%3.")
                     .arg(locale.toString(report.notDone.size()), unitFor(report.notDone.size()),
                          report.cancelled ? tr(", cancelled before they were sent") : QString());
    // Skips and failures by reason, most frequent first; failures verbatim with a hint.
    const auto reasonList = [&](const QList<QByteArray> &ids, bool errors) {
        QString list = QStringLiteral("<ul style='margin-top:0; margin-bottom:0'>");
        for (const auto &[reason, count] : grouped(ids, report.reasons)) {
            list += QStringLiteral("<li>%1 × %2</li>")
                        .arg(locale.toString(count),
                             errors ? errorWithHintHtml(reason) : reason.toHtmlEscaped());
        }
        return list + QStringLiteral("</ul>");
    };
    if (!classes.skipped.isEmpty())
        lines << tr("Skipped: %1 %2, by reason:")
                         .arg(locale.toString(classes.skipped.size()),
                              unitFor(classes.skipped.size()))
                     + reasonList(classes.skipped, false);
    if (!classes.failed.isEmpty())
        lines << tr("<span style='color:%3'>Failed: %1 %2</span>, refused by Redis:")
                         .arg(locale.toString(classes.failed.size()),
                              unitFor(classes.failed.size()), statusColor(Status::Error).name())
                     + reasonList(classes.failed, true);
    if (!report.firstPhaseOnly.isEmpty())
        lines << tr("<b>Possibly duplicated: %1 %2</b> were copied but not removed: they are in "
                    "both places now, and running this again copies them again. Save the "
                    "report to know which.")
                     .arg(locale.toString(report.firstPhaseOnly.size()),
                          unitFor(report.firstPhaseOnly.size()));
    if (!report.unknown.isEmpty())
        lines << tr("Unknown: %1 %2 were sent when the connection failed, and could not be "
                    "read back; check them before acting again.")
                     .arg(locale.toString(report.unknown.size()), unitFor(report.unknown.size()));
    if (report.verified > 0)
        lines << tr("%1 ids sent just before the connection failed were read back from Redis "
                    "and are counted above as they stand.")
                     .arg(locale.toString(report.verified));
    m_report->setText(m_reportText ? m_reportText(report) : lines.join(QStringLiteral("<br>")));
    m_error->setText(errorWithHintHtml(report.error));
    m_notDone = report.notDone + report.firstPhaseOnly + report.unknown;
    m_copyNotDone->setVisible(m_idsCopyable && !m_notDone.isEmpty());
    m_saveReport->show();
    m_saveNote->clear();
    m_pause->hide();
    m_close->setText(tr("Close"));
    setStage(Report);
    Q_EMIT ran(report);
}

QString BulkActionDialog::reportText() const
{
    if (!m_lastReport)
        return {};
    const BulkRunner::Report &r = *m_lastReport;
    const Classes classes = classify(r);
    QString out;
    out += tr("Weir: %1").arg(windowTitle()) + QLatin1Char('\n');
    out += tr("Finished at %1").arg(QDateTime::currentDateTime().toString(Qt::ISODate))
           + QLatin1Char('\n');
    out += QLatin1Char('\n');
    const auto count = [&](const QString &what, qsizetype n) {
        out += QStringLiteral("%1: %2\n").arg(what).arg(n);
    };
    count(tr("Done"), r.done.size());
    count(tr("Skipped"), classes.skipped.size());
    count(tr("Failed"), classes.failed.size());
    count(tr("Possibly duplicated (copied, not removed)"), r.firstPhaseOnly.size());
    count(tr("Unknown"), r.unknown.size());
    count(tr("Not done otherwise (not sent, or Redis did nothing)"), classes.unsent.size());
    if (r.cancelled)
        out += tr("Cancelled: what was not sent yet was not sent.") + QLatin1Char('\n');
    if (!r.error.isEmpty()) {
        out += tr("Error: %1").arg(r.error) + QLatin1Char('\n');
        if (const QString hint = errorHint(r.error); !hint.isEmpty())
            out += tr("Hint: %1").arg(hint) + QLatin1Char('\n');
    }
    const auto reasons = [&](const QString &title, const QList<QByteArray> &ids, bool errors) {
        if (ids.isEmpty())
            return;
        out += QLatin1Char('\n') + title + QLatin1Char('\n');
        for (const auto &[reason, n] : grouped(ids, r.reasons)) {
            out += QStringLiteral("  %1 × %2\n").arg(n).arg(reason);
            if (const QString hint = errors ? errorHint(reason) : QString(); !hint.isEmpty())
                out += QStringLiteral("      ") + hint + QLatin1Char('\n');
        }
    };
    reasons(tr("Skipped, by reason:"), classes.skipped, false);
    reasons(tr("Failed, by reason:"), classes.failed, true);
    const auto ids = [&](const QString &title, const QList<QByteArray> &list, bool withReason) {
        if (list.isEmpty())
            return;
        out += QLatin1Char('\n') + title + QLatin1Char('\n');
        for (const QByteArray &id : list) {
            out += QString::fromLatin1(id);
            if (withReason)
                out += QLatin1Char('\t') + r.reasons.value(id);
            out += QLatin1Char('\n');
        }
    };
    ids(tr("Done:"), r.done, false);
    ids(tr("Skipped:"), classes.skipped, true);
    ids(tr("Failed:"), classes.failed, true);
    ids(tr("Possibly duplicated:"), r.firstPhaseOnly, false);
    ids(tr("Unknown:"), r.unknown, false);
    ids(tr("Not done otherwise:"), classes.unsent, false);
    return out;
}

QString BulkActionDialog::saveReport(const QString &path) const
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return file.errorString();
    file.write(reportText().toUtf8());
    if (!file.commit())
        return file.errorString();
    return {};
}

// Qt's own file dialog (not the platform's), so that it is driven like any other widget.
void BulkActionDialog::askReportPath()
{
    auto *dialog = new QFileDialog(this, tr("Save report"), QString(),
                                   tr("Text files (*.txt);;All files (*)"));
    dialog->setObjectName(QStringLiteral("saveReportFileDialog"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setOption(QFileDialog::DontUseNativeDialog);
    dialog->setAcceptMode(QFileDialog::AcceptSave);
    dialog->setDefaultSuffix(QStringLiteral("txt"));
    dialog->selectFile(
        QStringLiteral("weir-report-%1.txt")
            .arg(QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmmss"))));
    connect(dialog, &QFileDialog::fileSelected, this, [this](const QString &path) {
        const QString error = saveReport(path);
        m_saveNote->setText(error.isEmpty() ? tr("Saved to %1").arg(QDir::toNativeSeparators(path))
                                            : tr("Could not save the report: %1").arg(error));
    });
    dialog->open();
}
