#pragma once

#include "bulkrunner.h"
#include "streamexport.h"

#include <QDialog>

#include <functional>

class ConnectionSession;
class QCheckBox;
class QDialogButtonBox;
class QLabel;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;

// A Redis or connection error as rich text: verbatim, with the hint of what to do under it.
QString errorWithHintHtml(const QString &error);

// Runs one bulk write the safe way, in the stages an operator sees:
//   collecting  (optional) the ids are being gathered: a count and Cancel;
//   confirm     what will be done, the exact commands (the first few, and how many in
//               all), "Copy as redis-cli commands", and a button that names the action;
//   running     progress, Pause/Resume and Cancel (the chunks in flight finish, nothing
//               more is sent until Resume, or ever after Cancel);
//   report      what was done, what was not (skipped and failed, with their reasons grouped
//               and counted), what may be written twice, what could not be learnt, the error
//               verbatim with a hint, the ids not done to copy, and Save report… to keep it
//               all in a text file.
// The dialog owns its BulkRunner; it never talks to Redis by itself otherwise.
class BulkActionDialog : public QDialog
{
    Q_OBJECT
public:
    BulkActionDialog(ConnectionSession *session, const QString &title, QWidget *parent = nullptr);

    // Shows the collecting stage; setCollected() updates its count. cancelRequested()
    // is emitted if the user cancels it.
    void showCollecting(const QString &what);
    void setCollected(qint64 ids);
    // Shows the confirmation of `chunks`: `what` says in words what will happen and
    // `action` labels the button that starts it ("Ack 3 entries").
    void confirm(const QString &what, const QString &action, QList<BulkRunner::Chunk> chunks,
                 BulkRunner::Verifier verifier = {});
    // A run that is not a BulkRunner's (a cursor loop such as XAUTOCLAIM's): the
    // confirmation shows `commands` and `note`; the button calls start(), and while it runs
    // Cancel emits cancelRequested(). The caller reports with setProgressText() and
    // showOutcome().
    void confirmLoop(const QString &what, const QString &action, const QString &commands,
                     const QString &note, std::function<void()> start);
    void setProgressText(const QString &text);
    void showOutcome(const QString &html, const QString &error);
    // Adds a check box to the confirmation (unchecked): checked, `chunks` run instead of the
    // ones given to confirm(), and the commands shown follow. Call after confirm().
    void setAlternative(const QString &text, QList<BulkRunner::Chunk> chunks);
    // What the run's items are called ("copies"), when they are not ids; the report then
    // offers no ids to copy unless `idsCopyable` (the items are ids, such as dead letters).
    void setUnit(const QString &plural, bool idsCopyable = false);
    // Puts the report of a BulkRunner run in the action's own words (a run of one command,
    // such as XGROUP DESTROY, is no count of ids) instead of the counts of ids done and not
    // done; the error, verbatim with its hint, follows it as always.
    void setReportText(std::function<QString(const BulkRunner::Report &)> text)
    {
        m_reportText = std::move(text);
    }
    // Ids left out before the run (a dry run found nothing to do for them), with why: the
    // report counts them as skipped, with their reasons, after the run's own.
    void setSkippedBeforehand(QList<QPair<QByteArray, QString>> skipped)
    {
        m_skippedBeforehand = std::move(skipped);
    }
    // Offers "Back up first…" on the confirmation: it opens the export dialog set to
    // `entries`, the entries the action is about to touch, so they can be saved to a file.
    void offerBackup(const StreamExport::Selection &entries);
    // Shows why nothing can be done (nothing to ack, a read failed), with Close only.
    void showProblem(const QString &text);

    BulkRunner *runner() const { return m_runner; }
    // The report of the last run as a text file: what the report says, then the ids of
    // each class (done, skipped and failed with their reasons, possibly duplicated,
    // unknown, never sent). Save report… asks for a file and writes this.
    QString reportText() const;
    // Writes reportText() to `path` (replacing it whole). Returns why not, or empty.
    QString saveReport(const QString &path) const;
    // Escape, Cancel, the close button: while running, cancels the run (the dialog stays
    // to show the report); otherwise closes.
    void reject() override;
    static constexpr int ShownCommands = 5;
    static constexpr int ShownArguments = 8; // per command; the copy has them all

Q_SIGNALS:
    void cancelRequested();
    // The run ended (the report is on screen): views of the data can refresh.
    void ran(const BulkRunner::Report &report);

private:
    void setStage(int stage);
    void showConfirmation(const QString &what, const QString &action);
    void showCommands();
    void run();
    void showReport(const BulkRunner::Report &run);
    void togglePause();
    void showProgress();
    void askReportPath();

    ConnectionSession *m_session;
    BulkRunner *m_runner;
    QList<BulkRunner::Chunk> m_chunks;
    QList<BulkRunner::Chunk> m_alternative; // swapped with m_chunks by the check box
    BulkRunner::Verifier m_verifier;
    QWidget *m_stages;
    QList<QWidget *> m_pages; // one per stage
    int m_stage = 0;
    QLabel *m_collecting;
    QLabel *m_what;
    QCheckBox *m_option;
    QPlainTextEdit *m_commands;
    QLabel *m_count;
    QProgressBar *m_progress;
    QLabel *m_progressText;
    QLabel *m_report;
    QLabel *m_error;
    QPushButton *m_copyNotDone;
    QPushButton *m_saveReport;
    QLabel *m_saveNote;
    QPushButton *m_pause;
    QDialogButtonBox *m_buttons;
    QPushButton *m_go;
    QPushButton *m_close;
    QPushButton *m_backUp;
    std::optional<StreamExport::Selection> m_backup; // set by offerBackup()
    QList<QByteArray> m_notDone;
    std::optional<BulkRunner::Report> m_lastReport; // what Save report… writes
    QList<QPair<QByteArray, QString>> m_skippedBeforehand;
    qint64 m_progressDone = 0;
    qint64 m_progressTotal = 0;
    QString m_unit = tr("ids");
    // The unit for `count` of them: the plural, or its singular for one.
    QString unitFor(qint64 count) const;
    bool m_idsCopyable = true;
    std::function<void()> m_startLoop; // set by confirmLoop()
    std::function<QString(const BulkRunner::Report &)> m_reportText;
    bool m_loopRunning = false;
};
