#pragma once

#include "recordwriter.h"

#include <QElapsedTimer>
#include <QObject>
#include <QTextStream>

#include <memory>

class QSettings;
class RedisConnection;
struct RedisResult;

// What a weirctl command runs with: the connection (connected when run() is called),
// stdout and stderr, the output format, the write safety flags, Ctrl-C, and how the run
// ends. One per process; lives on the main thread.
class CtlRun : public QObject
{
    Q_OBJECT
public:
    struct Flags
    {
        OutputFormat format = OutputFormat::Table;
        bool assumeYes = false; // --yes
        bool dryRun = false;    // --dry-run
    };

    CtlRun(const Flags &flags, QObject *parent = nullptr);
    ~CtlRun() override;

    QTextStream &out() { return m_out; }
    QTextStream &err() { return m_err; }
    OutputFormat format() const { return m_flags.format; }
    // A writer of rows on stdout, in the format asked for.
    std::unique_ptr<RecordWriter> makeWriter(const QString &schema, int version);

    // Set by main, connected, before the command runs.
    RedisConnection *connection() const { return m_connection; }
    void setConnection(RedisConnection *connection) { m_connection = connection; }

    // Weir's settings (or those --settings named): profiles, preferences, alert rules.
    QSettings *settings() const { return m_settings; }
    void setSettings(QSettings *settings) { m_settings = settings; }

    bool dryRun() const { return m_flags.dryRun; }
    // For a write: says `plan` on stderr, then, unless --yes, asks on a terminal. With
    // --dry-run, read-only, no answer "y", or no terminal without --yes, it says why
    // not and returns false: the command then ends with finishRefused() (or, for a dry
    // run, prints what it would write and finishes with CtlExit::Ok).
    bool confirmWrite(const QString &plan);
    void finishRefused();

    // Ctrl-C (and SIGTERM alike). By default the first one ends the run at once (exit 130:
    // fine for reads).
    // A command that writes in chunks calls handleInterrupts(): Ctrl-C then only sets
    // interrupted() and emits interruptRequested(); the command stops between chunks,
    // prints its report and finishes with CtlExit::Interrupted.
    void handleInterrupts();
    bool interrupted() const { return m_interrupted; }

    // Progress of a long run on stderr: on a terminal one line rewritten at most ten
    // times a second, elsewhere a line at most once a second. endProgress() clears it.
    // With `done` (0 to 1) known, a terminal shows a bar in front of the text.
    void progress(const QString &text, double done = -1);
    void endProgress();

    // Prints "weirctl: <what>: <error>" and Weir's hint for it on stderr; the error as
    // Redis or the connection said it, verbatim.
    void printError(const QString &what, const QString &error);
    // The failure of a request, or the first error reply in it; empty when neither.
    static QString resultError(const RedisResult &result);
    // printError() for a failed request (or one with an error reply), then
    // finish(CtlExit::Failed).
    void fail(const QString &what, const RedisResult &result);
    void fail(const QString &what, const QString &error);
    // Ends the process's event loop with `code` (once; later calls are ignored).
    void finish(int code);
    bool isFinished() const { return m_finished; }

    static bool stdoutIsTerminal();
    static bool stdinIsTerminal();
    static bool stderrIsTerminal();

Q_SIGNALS:
    void interruptRequested();

private:
    void onSignal();

    Flags m_flags;
    QTextStream m_out;
    QTextStream m_err;
    RedisConnection *m_connection = nullptr;
    QSettings *m_settings = nullptr;
    bool m_handlesInterrupts = false;
    bool m_interrupted = false;
    bool m_finished = false;
    bool m_progressShown = false;
    QElapsedTimer m_sinceProgress;
    class QSocketNotifier *m_signalNotifier = nullptr;
};
