#include "bulkreport.h"

#include "ctlcommand.h"
#include "ctlrun.h"
#include "pendingactions.h"
#include "streamid.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QJsonObject>
#include <QMap>
#include <QSet>

namespace {
constexpr int ShownCommands = 5;
constexpr int ShownArguments = 8; // per command; --dry-run prints them all
} // namespace

bool confirmBulkRun(CtlRun &run, const QString &what, const QList<BulkRunner::Chunk> &chunks,
                    const BulkRunner &runner)
{
    qint64 commands = 0;
    qint64 ids = 0;
    bool transactions = false;
    QList<RedisCommand> prelude;
    for (const BulkRunner::Chunk &c : chunks) {
        commands += c.commands.size();
        ids += c.ids.size();
        transactions = transactions || c.prelude.size() + c.commands.size() > 1;
        if (!c.prelude.isEmpty() && prelude.isEmpty())
            prelude = c.prelude;
    }
    QString plan = what.trimmed() + QLatin1Char('\n');
    const QStringList preludeLines =
        PendingActions::redisCliLines({BulkRunner::Chunk{prelude, {}}}, ShownCommands, 2);
    for (const QString &line : preludeLines)
        plan += QStringLiteral("  ") + line + QLatin1Char('\n');
    const QStringList lines = PendingActions::redisCliLines(chunks, ShownCommands, ShownArguments);
    for (const QString &line : lines)
        plan += QStringLiteral("  ") + line + QLatin1Char('\n');
    if (commands > ShownCommands)
        plan += QStringLiteral("  … and %1 more: ").arg(commands - ShownCommands);
    else
        plan += QStringLiteral("  ");
    plan += QCoreApplication::translate("weirctl", "%n commands", nullptr, int(commands))
            + QLatin1Char(' ')
            + QCoreApplication::translate("weirctl", "for %n ids", nullptr, int(ids))
            + QLatin1Char(' ')
            + QCoreApplication::translate("weirctl", "in %n chunks", nullptr, int(chunks.size()))
            + QStringLiteral(", up to %1 at once").arg(runner.window());
    if (transactions)
        plan += QStringLiteral("; each chunk in MULTI/EXEC, applied whole or not at all");
    if (!prelude.isEmpty())
        plan += QStringLiteral("; each chunk loads its script first");
    plan += QStringLiteral(".\n");
    if (run.confirmWrite(plan))
        return true;
    if (run.dryRun()) {
        run.out() << PendingActions::redisCliScript(chunks);
        run.out().flush();
    }
    run.finishRefused();
    return false;
}

QCommandLineOption bulkRateOption()
{
    return QCommandLineOption(QStringLiteral("rate"),
                              QStringLiteral("Write at most <n> ids a second (default: as fast "
                                             "as the server takes them)."),
                              QStringLiteral("n"));
}

bool rateFromOption(const QCommandLineParser &parsed, double *idsPerSecond, QString *error)
{
    *idsPerSecond = 0;
    if (!parsed.isSet(QStringLiteral("rate")))
        return true;
    bool ok = false;
    *idsPerSecond = parsed.value(QStringLiteral("rate")).toDouble(&ok);
    if (!ok || *idsPerSecond <= 0) {
        *error = QStringLiteral("--rate: not a positive number of ids a second: %1")
                     .arg(parsed.value(QStringLiteral("rate")));
        return false;
    }
    return true;
}

bool idArguments(const QStringList &arguments, QList<QByteArray> *ids, QString *error)
{
    ids->clear();
    for (const QString &argument : arguments) {
        const std::optional<StreamId> id = StreamId::parse(argument.toLatin1());
        if (!id || argument.isEmpty() || !argument.front().isDigit()) {
            *error =
                QStringLiteral("not an entry id (<milliseconds>-<sequence>): %1").arg(argument);
            return false;
        }
        ids->append(id->toByteArray());
    }
    return true;
}

bool millisecondsOption(const QCommandLineParser &parsed, const QString &name, qint64 *ms,
                        QString *error)
{
    if (!parsed.isSet(name))
        return true;
    bool ok = false;
    const qint64 value = parsed.value(name).toLongLong(&ok);
    if (!ok || value < 0) {
        *error =
            QStringLiteral("--%1: not a number of milliseconds: %2").arg(name, parsed.value(name));
        return false;
    }
    *ms = value;
    return true;
}

void watchBulkRun(CtlRun &run, BulkRunner *runner, const QString &verb)
{
    run.handleInterrupts();
    QObject::connect(runner, &BulkRunner::progress, &run, [&run, verb](qint64 done, qint64 total) {
        if (total > 0 && done < total)
            run.progress(
                QStringLiteral("%1: %2 ").arg(verb).arg(done)
                    + QCoreApplication::translate("weirctl", "of %n ids", nullptr, int(total))
                    + QStringLiteral(" (%1%)").arg(100 * done / total),
                double(done) / double(total));
    });
    QObject::connect(&run, &CtlRun::interruptRequested, runner, &BulkRunner::cancel);
}

void collectPending(CtlRun &run, const QByteArray &key, const QByteArray &group,
                    const PendingRead &read,
                    const std::function<void(const QList<QByteArray> &ids)> &onIds)
{
    auto *collector = new PendingCollector(&run);
    collector->setMinDeliveries(read.minDeliveries);
    QObject::connect(collector, &PendingCollector::progress, &run,
                     [&run, progress = read.progress](qint64 found) {
        run.progress(progress.arg(found));
    });
    const QString failure = !read.failure.isEmpty()
                                ? read.failure
                                : QStringLiteral("reading the pending entries of group %1 on %2")
                                      .arg(QString::fromUtf8(group), QString::fromUtf8(key));
    QObject::connect(
        collector, &PendingCollector::finished, &run,
        [&run, failure, onIds](const QList<QByteArray> &ids, bool cancelled, const QString &error) {
        run.endProgress();
        if (cancelled)
            return;
        if (!error.isEmpty()) {
            run.fail(failure, error);
            return;
        }
        onIds(ids);
        });
    collector->start(run.connection(), key, group, read.consumer, read.minIdleMs);
}

void startBulkRun(CtlRun &run, BulkRunner *runner, const QString &verb,
                  const QList<BulkRunner::Chunk> &chunks, const BulkRunner::Verifier &verifier)
{
    watchBulkRun(run, runner, verb);
    QObject::connect(runner, &BulkRunner::finished, &run,
                     [&run, verb](const BulkRunner::Report &report) {
        run.finish(reportBulkRun(run, verb, report));
    });
    runner->start(run.connection(), chunks, verifier);
}

int reportBulkRun(CtlRun &run, const QString &verb, const BulkRunner::Report &report)
{
    run.endProgress();
    const QSet<QByteArray> failed(report.failed.cbegin(), report.failed.cend());
    // Ids not done that need a look: refused, skipped with a reason, or of unknown fate.
    // Those merely never sent are many after Ctrl-C and say nothing: counted, not listed.
    QList<QPair<QByteArray, QString>> listed;      // id, state
    QMap<QPair<QString, QString>, qint64> reasons; // (state, reason) -> ids
    qint64 notDone = 0;
    for (const QByteArray &id : report.notDone) {
        const QString state =
            failed.contains(id) ? QStringLiteral("failed") : QStringLiteral("not_done");
        if (!failed.contains(id))
            ++notDone;
        const auto reason = report.reasons.constFind(id);
        if (reason != report.reasons.cend()) {
            listed.append({id, state});
            ++reasons[{state, *reason}];
        }
    }
    for (const QByteArray &id : report.unknown)
        listed.append({id, QStringLiteral("unknown")});
    for (const QByteArray &id : report.firstPhaseOnly)
        listed.append({id, QStringLiteral("first_phase_only")});
    const qint64 total = report.done.size() + report.notDone.size() + report.unknown.size()
                         + report.firstPhaseOnly.size();

    QTextStream &err = run.err();
    if (!report.error.isEmpty())
        run.printError(verb, report.error);
    err << "weirctl " << verb << ": " << report.done.size() << ' '
        << QCoreApplication::translate("weirctl", "of %n ids done", nullptr, int(total));
    if (notDone > 0)
        err << ", " << notDone << " not done";
    if (!failed.isEmpty())
        err << ", " << failed.size() << " failed";
    if (!report.unknown.isEmpty())
        err << ", " << report.unknown.size() << " unknown (the connection was lost; check "
            << "them before writing them again)";
    if (!report.firstPhaseOnly.isEmpty())
        err << ", " << report.firstPhaseOnly.size() << " copied but not removed";
    if (report.affected != report.done.size())
        err << " (Redis counted " << report.affected << ")";
    if (run.interrupted())
        err << "; stopped by Ctrl-C";
    err << '\n';
    for (auto r = reasons.cbegin(); r != reasons.cend(); ++r)
        err << "  " << r.value() << ' ' << r.key().first << ": " << r.key().second << '\n';
    err.flush();

    {
        std::unique_ptr<RecordWriter> writer = run.makeWriter(QStringLiteral("weirctl.report"), 1);
        writer->field(QStringLiteral("command"), verb);
        writer->field(QStringLiteral("total"), total);
        writer->field(QStringLiteral("done"), qint64(report.done.size()));
        writer->field(QStringLiteral("not_done"), notDone);
        writer->field(QStringLiteral("failed"), qint64(failed.size()));
        writer->field(QStringLiteral("unknown"), qint64(report.unknown.size()));
        writer->field(QStringLiteral("first_phase_only"), qint64(report.firstPhaseOnly.size()));
        writer->field(QStringLiteral("affected"), report.affected);
        writer->field(QStringLiteral("verified"), report.verified);
        writer->field(QStringLiteral("interrupted"), run.interrupted());
        writer->field(QStringLiteral("error"),
                      report.error.isEmpty() ? QJsonValue() : QJsonValue(report.error));
        // A person reads no empty table; a script finds the array empty.
        const bool emptyTables = writer->format() == OutputFormat::Json;
        if (!reasons.isEmpty() || emptyTables) {
            writer->beginTable(QStringLiteral("reasons"),
                               {{QStringLiteral("state"), QStringLiteral("STATE")},
                                {QStringLiteral("reason"), QStringLiteral("REASON")},
                                {QStringLiteral("count"), QStringLiteral("IDS"), true}});
            for (auto r = reasons.cbegin(); r != reasons.cend(); ++r)
                writer->row({{QStringLiteral("state"), r.key().first},
                             {QStringLiteral("reason"), r.key().second},
                             {QStringLiteral("count"), r.value()}});
            writer->endTable();
        }
        if (!listed.isEmpty() || emptyTables) {
            writer->beginTable(QStringLiteral("ids"),
                               {{QStringLiteral("id"), QStringLiteral("ID")},
                                {QStringLiteral("state"), QStringLiteral("STATE")},
                                {QStringLiteral("reason"), QStringLiteral("REASON")}});
            for (const auto &[id, state] : std::as_const(listed)) {
                const auto reason = report.reasons.constFind(id);
                writer->row(
                    {{QStringLiteral("id"), QString::fromUtf8(id)},
                     {QStringLiteral("state"), state},
                     {QStringLiteral("reason"),
                      reason != report.reasons.cend() ? QJsonValue(*reason) : QJsonValue()}});
            }
            writer->endTable();
        }
    }

    if (run.interrupted())
        return CtlExit::Interrupted;
    const bool allDone = report.error.isEmpty() && report.notDone.isEmpty()
                         && report.unknown.isEmpty() && report.firstPhaseOnly.isEmpty();
    return allDone ? CtlExit::Ok : CtlExit::Failed;
}
