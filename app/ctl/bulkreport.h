#pragma once

#include "bulkrunner.h"

#include <QCommandLineOption>
#include <QString>

#include <functional>

class CtlRun;
class QCommandLineParser;

// What every bulk write of weirctl (ack, claim, delete, move-to-dlq, replay, ...) does
// around its BulkRunner, so that they all show progress, stop on Ctrl-C and report alike.

// Before a bulk write: says `what` on stderr, then the first commands of `chunks` as
// redis-cli takes them and how many there are in all, then asks (CtlRun::confirmWrite).
// True: go ahead. False: the run is already finished, refused (exit 77) or, for
// --dry-run, after printing every command on stdout, one per line as redis-cli reads them
// (whatever --format says: `weirctl ... --dry-run | redis-cli` runs them), exit 0.
bool confirmBulkRun(CtlRun &run, const QString &what, const QList<BulkRunner::Chunk> &chunks,
                    const BulkRunner &runner);

// --rate N: at most N ids a second, so that a big repair does not crowd out the queue's
// own traffic. rateFromOption() reads it: false (with the reason) when it is no number.
QCommandLineOption bulkRateOption();
bool rateFromOption(const QCommandLineParser &parsed, double *idsPerSecond, QString *error);

// Entry ids from the command line, each as Redis writes it ("5" -> "5-0"); false with the
// first one that is not an id.
bool idArguments(const QStringList &arguments, QList<QByteArray> *ids, QString *error);
// A whole number of milliseconds, 0 or more, from the option `name` when it is set
// (otherwise *ms is left alone); false with the reason when it is not one.
bool millisecondsOption(const QCommandLineParser &parsed, const QString &name, qint64 *ms,
                        QString *error);

// Before runner->start(): shows the runner's progress on stderr ("<verb>: 1200 of 5000
// ids"), and makes Ctrl-C stop the runner between chunks (run.handleInterrupts()): the
// chunks in flight finish and are reported. If run.interrupted() is already set (Ctrl-C
// came while the command was still reading), do not start the runner.
void watchBulkRun(CtlRun &run, BulkRunner *runner, const QString &verb);

// Which pending entries collectPending() reads, and what it says meanwhile.
struct PendingRead
{
    QByteArray consumer;      // only this consumer's; empty: every consumer's
    qint64 minIdleMs = 0;     // only entries idle at least this long
    qint64 minDeliveries = 0; // only entries delivered at least this many times
    // Shown on stderr while reading, %1 standing for the ids found so far.
    QString progress = QStringLiteral("reading the pending entries: %1 found");
    // What run.fail() says weirctl was doing when Redis fails; empty: "reading the pending
    // entries of group <group> on <stream>".
    QString failure;
};

// Before a bulk write on "every pending entry that ...": reads the ids of `group`'s
// pending entries on `key` that match `read` with PendingCollector, showing its progress,
// then calls onIds with them in PEL order (perhaps none). A Redis error fails the run
// instead, verbatim with Weir's hint.
void collectPending(CtlRun &run, const QByteArray &key, const QByteArray &group,
                    const PendingRead &read,
                    const std::function<void(const QList<QByteArray> &ids)> &onIds);

// Once confirmBulkRun() said yes: watchBulkRun(), then runner->start(); its report ends
// the run (reportBulkRun()).
void startBulkRun(CtlRun &run, BulkRunner *runner, const QString &verb,
                  const QList<BulkRunner::Chunk> &chunks, const BulkRunner::Verifier &verifier);

// After the runner's finished(): prints the outcome, a summary on stderr (the run's error
// verbatim with Weir's hint) and on stdout a "weirctl.report" document (version 1):
//   command           string  the verb
//   total             number  ids the run was given
//   done              number  ids applied (or verified applied)
//   not_done          number  ids never sent (Ctrl-C, a failure before them), verified not
//                             applied, or skipped by the server (with a reason)
//   failed            number  ids whose command Redis refused with an error
//   unknown           number  ids whose fate could not be learnt (connection lost)
//   first_phase_only  number  two-phase writes: copied but not removed
//   affected          number  what Redis counted (XACK, XDEL: entries it removed)
//   verified          number  ids of unknown fate read back afterwards
//   interrupted       bool    stopped by Ctrl-C
//   error             string|null  the first failure, verbatim
//   reasons: [{state: "failed"|"not_done", reason: string, count: number}]
//   ids:     [{id: string, state: "failed"|"not_done"|"unknown"|"first_phase_only",
//              reason: string|null}]  ids refused, skipped with a reason, of unknown
//                                     fate or copied only (not those merely never sent)
// done + not_done + failed + unknown + first_phase_only = total. Returns the exit code:
// CtlExit::Interrupted after Ctrl-C, Ok when every id is done, Failed otherwise.
int reportBulkRun(CtlRun &run, const QString &verb, const BulkRunner::Report &report);
