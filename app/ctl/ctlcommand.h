#pragma once

#include <QCommandLineOption>
#include <QList>
#include <QString>
#include <QStringList>

#include <memory>
#include <vector>

class CtlRun;

// weirctl's exit codes. `check` has its own, the Nagios plugin convention (0 OK,
// 1 WARNING, 2 CRITICAL, 3 UNKNOWN); elsewhere 0 means done and 1 that Redis refused or
// some items failed; the others follow sysexits.h.
namespace CtlExit {
constexpr int Ok = 0;
constexpr int Failed = 1;        // a Redis error, or some items of a write failed
constexpr int Warning = 1;       // check
constexpr int Critical = 2;      // check
constexpr int Unknown = 3;       // check: the connection failed
constexpr int Usage = 64;        // EX_USAGE: bad arguments
constexpr int Unavailable = 69;  // EX_UNAVAILABLE: the connection failed
constexpr int Refused = 77;      // EX_NOPERM: a write not confirmed, or read-only
constexpr int Interrupted = 130; // stopped by Ctrl-C, after the report
} // namespace CtlExit

// One subcommand of weirctl. main parses the command line, lets the command check its
// arguments (configure), connects, then calls run(); the command reads or writes through
// the models' objects and ends with CtlRun::finish(). Everything is asynchronous: run()
// returns at once, the event loop does the rest.
class CtlCommand
{
public:
    struct Spec
    {
        QString name;        // "pending"
        QString arguments;   // "STREAM GROUP", for the usage line
        QString summary;     // one line, for `weirctl --help`
        QString description; // paragraphs, for `weirctl NAME --help`
        QStringList examples;
        bool writes = false; // asks for confirmation, honours --yes, --dry-run, read-only
    };

    virtual ~CtlCommand() = default;
    virtual Spec spec() const = 0;
    // The options of this command alone (the connection's are global).
    virtual QList<QCommandLineOption> options() const { return {}; }
    // Reads the command's arguments (those after its name) and options from `parsed`;
    // returns why they cannot be used (a usage error, exit 64), or an empty string.
    virtual QString configure(const class QCommandLineParser &parsed,
                              const QStringList &arguments) = 0;
    // Starts the work on a connected run; ends with run.finish().
    virtual void run(CtlRun &run) = 0;
    // What exit code a failed connection gives (check: 3).
    virtual int connectionFailedExit() const { return CtlExit::Unavailable; }
    // Called when the connection failed, after the error went to stderr and before the run
    // ends with connectionFailedExit() (check prints its UNKNOWN line on stdout).
    virtual void connectionFailed(CtlRun &, const QString & /*endpoint*/, const QString & /*error*/)
    {}
};

// Every subcommand, in the order `weirctl --help` lists them (commands.cpp).
std::vector<std::unique_ptr<CtlCommand>> makeCommands();
