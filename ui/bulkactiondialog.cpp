#include "bulkactiondialog.h"

#include "errorhint.h"
#include "exportdialog.h"
#include "pendingactions.h"

#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QLabel>
#include <QLocale>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QVBoxLayout>

QString errorWithHintHtml(const QString &error)
{
    if (error.isEmpty())
        return {};
    const QString hint = errorHint(error);
    return error.toHtmlEscaped() +
           (hint.isEmpty() ? QString() : QStringLiteral("<br>") + hint.toHtmlEscaped());
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
} // namespace

BulkActionDialog::BulkActionDialog(RedisConnection *connection, const QString &title,
                                   QWidget *parent)
    : QDialog(parent)
    , m_connection(connection)
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
    m_error->setStyleSheet(QStringLiteral("color: #b42318"));
    m_copyNotDone->setObjectName(QStringLiteral("copyNotDone"));
    m_go->setObjectName(QStringLiteral("go"));
    m_close->setObjectName(QStringLiteral("close"));
    m_buttons->addButton(m_go, QDialogButtonBox::ActionRole);
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
    reportLayout->addWidget(m_copyNotDone, 0, Qt::AlignLeft);
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
    connect(m_copyNotDone, &QPushButton::clicked, this, [this] {
        QApplication::clipboard()->setText(QString::fromLatin1(m_notDone.join('\n')));
    });
    connect(m_go, &QPushButton::clicked, this, &BulkActionDialog::run);
    connect(m_backUp, &QPushButton::clicked, this, [this] {
        auto *dialog = new ExportDialog(m_connection, m_backup->key, this);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        dialog->setObjectName(QStringLiteral("backupDialog"));
        dialog->setSelection(*m_backup);
        dialog->open();
    });
    connect(m_close, &QPushButton::clicked, this, &BulkActionDialog::reject);
    connect(m_runner, &BulkRunner::progress, this, [this](qint64 done, qint64 total) {
        m_progress->setValue(total > 0 ? int(1000 * done / total) : 0);
        const QLocale locale;
        m_progressText->setText(
            tr("%1 of %2 %3").arg(locale.toString(done), locale.toString(total), m_unit));
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
    m_commands->setPlainText(PendingActions::redisCliLines(m_chunks, ShownCommands, ShownArguments)
                                 .join(QLatin1Char('\n')));
    m_count->setText(
        commands > ShownCommands
            ? tr("… and %1 more: %2 commands for %3 %4, sent in chunks, up to %5 chunks at once.")
                  .arg(locale.toString(commands - ShownCommands), locale.toString(commands),
                       locale.toString(ids), m_unit)
                  .arg(m_runner->window())
            : tr("%1 %2 for %3 %4.")
                  .arg(commands)
                  .arg(commands == 1 ? tr("command") : tr("commands"), locale.toString(ids),
                       m_unit));
}

void BulkActionDialog::setUnit(const QString &plural)
{
    m_unit = plural;
    m_idsCopyable = false;
}

void BulkActionDialog::showProblem(const QString &text)
{
    m_report->setText(text);
    m_error->clear();
    m_copyNotDone->hide();
    m_go->hide();
    m_close->setText(tr("Close"));
    setStage(Report);
}

void BulkActionDialog::run()
{
    m_go->hide();
    m_close->setText(tr("Cancel"));
    m_progress->setValue(0);
    setStage(Running);
    if (m_startLoop) {
        m_progress->setRange(0, 0); // a loop does not know its length
        m_loopRunning = true;
        m_startLoop();
    } else {
        m_runner->start(m_connection, m_chunks, m_verifier);
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
    m_close->setText(tr("Close"));
    setStage(Report);
    Q_EMIT ran({});
}

void BulkActionDialog::reject()
{
    if (m_runner->isRunning()) {
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

void BulkActionDialog::showReport(const BulkRunner::Report &report)
{
    const QLocale locale;
    QStringList lines;
    lines << tr("<b>Done: %1 %2</b> (Redis counted %3).")
                 .arg(locale.toString(report.done.size()), m_unit,
                      locale.toString(report.affected));
    if (!report.notDone.isEmpty())
        lines << tr("Not done: %1 %2%3.")
                     .arg(locale.toString(report.notDone.size()), m_unit,
                          report.cancelled ? tr(", cancelled before they were sent") : QString());
    if (!report.unknown.isEmpty())
        lines << tr("Unknown: %1 %2 were sent when the connection failed, and could not be "
                    "read back; check them before acting again.")
                     .arg(locale.toString(report.unknown.size()), m_unit);
    if (report.verified > 0)
        lines << tr("%1 ids sent just before the connection failed were read back from Redis "
                    "and are counted above as they stand.")
                     .arg(locale.toString(report.verified));
    m_report->setText(m_reportText ? m_reportText(report) : lines.join(QStringLiteral("<br>")));
    m_error->setText(errorWithHintHtml(report.error));
    m_notDone = report.notDone + report.unknown;
    m_copyNotDone->setVisible(m_idsCopyable && !m_notDone.isEmpty());
    m_close->setText(tr("Close"));
    setStage(Report);
    Q_EMIT ran(report);
}
