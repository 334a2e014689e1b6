// weirctl move-to-dlq: poison messages of a group to a dead-letter stream, through the
// DeadLetterActions and BulkRunner the Groups pane's "Move to dead letters" uses, so a
// dead letter written here is the one Weir writes (and replays).

#include "bulkreport.h"
#include "ctlcommand.h"
#include "ctlrun.h"
#include "ctlsettings.h"
#include "deadletteractions.h"
#include "pendingactions.h"

#include <QCommandLineParser>
#include <QCoreApplication>

namespace {

using namespace DeadLetterActions;

QString text(const QByteArray &bytes)
{
    return QString::fromUtf8(bytes);
}

class MoveCommand : public CtlCommand
{
public:
    Spec spec() const override
    {
        Spec s;
        s.name = QStringLiteral("move-to-dlq");
        s.arguments = QStringLiteral("STREAM GROUP (ID...|--min-deliveries N|--min-idle MS)");
        s.summary = QStringLiteral("Move poison messages of a group to a dead-letter stream");
        s.description = QStringLiteral(
            "Moves pending entries of GROUP on STREAM to a dead-letter stream, as Weir's\n"
            "\"Move to dead letters\" does: the entries named by ID, or every pending entry\n"
            "delivered at least N times (--min-deliveries) and/or idle at least MS ms\n"
            "(--min-idle). Each dead letter holds the metadata Weir's dead-letter conventions\n"
            "name (original stream, id, group, reason, delivery count, time; the field names of\n"
            "the --profile's settings, else originalTopicName, originalMessageId,\n"
            "consumerGroupId, failureReason, retryCount, failedAt), then the entry's own fields\n"
            "unchanged; the entry is then acknowledged in the group (and, with --delete,\n"
            "deleted from STREAM).\n\n"
            "The dead-letter stream is --to, else the first of the conventions' names\n"
            "(<stream>:dlq, <stream>.dlq, <stream>:dead, dlq:<stream>, <stream>_dlq) that is a\n"
            "stream already, else <stream>:dlq (the first pattern).\n\n"
            "Each entry is moved by one Lua script, atomically; an entry no longer pending is\n"
            "skipped, so a run can be started again over what is left. On a cluster with the\n"
            "two keys in different slots the dead letter is written first and the entry acked\n"
            "only once it is known written: never lost, at worst twice (the report names them).\n"
            "Ctrl-C stops after the chunks under way and prints the report.\n\n"
            "Prints a weirctl.report document (total, done, not_done, failed, unknown,\n"
            "first_phase_only, reasons, ids; see weirctl(1)). --dry-run prints every command\n"
            "on stdout as redis-cli takes them (SCRIPT LOAD, then one EVALSHA of Weir's move\n"
            "script per entry) and writes nothing.");
        s.examples = {
            QStringLiteral("weirctl move-to-dlq orders billing --min-deliveries 5 "
                           "--reason 'amount is not a number'"),
            QStringLiteral("weirctl move-to-dlq orders billing 1700000000000-0 1700000000001-0 "
                           "--to orders:dead --yes"),
            QStringLiteral("weirctl move-to-dlq orders billing --min-deliveries 3 --min-idle "
                           "600000 --dry-run")};
        s.writes = true;
        return s;
    }

    QList<QCommandLineOption> options() const override
    {
        return {m_minDeliveriesOption, m_minIdleOption, m_toOption,
                m_reasonOption,        m_deleteOption,  bulkRateOption()};
    }

    QString configure(const QCommandLineParser &parsed, const QStringList &arguments) override
    {
        if (arguments.size() < 2)
            return QStringLiteral("give the stream and the group: move-to-dlq STREAM GROUP ...");
        m_options.stream = arguments.at(0).toUtf8();
        m_options.group = arguments.at(1).toUtf8();
        QString error;
        if (!idArguments(arguments.mid(2), &m_ids, &error))
            return error;
        const bool filtered = parsed.isSet(m_minDeliveriesOption) || parsed.isSet(m_minIdleOption);
        if (m_ids.isEmpty() && !filtered)
            return QStringLiteral("say which pending entries: their ids, or --min-deliveries N "
                                  "and/or --min-idle MS");
        if (!m_ids.isEmpty() && filtered)
            return QStringLiteral("give either ids or --min-deliveries/--min-idle, not both");
        if (parsed.isSet(m_minDeliveriesOption)) {
            bool ok = false;
            m_minDeliveries = parsed.value(m_minDeliveriesOption).toLongLong(&ok);
            if (!ok || m_minDeliveries < 1)
                return QStringLiteral("--min-deliveries: not a whole number, 1 or more: %1")
                    .arg(parsed.value(m_minDeliveriesOption));
        }
        if (!millisecondsOption(parsed, QStringLiteral("min-idle"), &m_minIdleMs, &error)
            || !rateFromOption(parsed, &m_rate, &error))
            return error;
        m_options.deadLetterStream = parsed.value(m_toOption).toUtf8();
        m_options.deleteFromSource = parsed.isSet(m_deleteOption);
        m_options.reason = parsed.isSet(m_reasonOption)
                               ? parsed.value(m_reasonOption)
                               : (m_minDeliveries > 0 ? QStringLiteral("delivered at least %1 "
                                                                       "times")
                                                            .arg(m_minDeliveries)
                                                      : QStringLiteral("moved by hand"));
        m_profile = parsed.value(QStringLiteral("profile"));
        if (m_options.deadLetterStream.isEmpty())
            return {}; // validated once the conventions name it
        return DeadLetterActions::validate(m_options);
    }

    void run(CtlRun &run) override
    {
        m_run = &run;
        m_conventions = ctlDeadLetterConventions(run, m_profile);
        if (!m_options.deadLetterStream.isEmpty()) {
            m_conventions = m_conventions.forStream(m_options.deadLetterStream);
            m_dlqHow = QStringLiteral("named with --to");
            collect();
            return;
        }
        // The conventions' names, the first one that is a stream already.
        QList<QByteArray> candidates;
        QList<RedisCommand> types;
        for (const QString &pattern : std::as_const(m_conventions.patterns)) {
            const QByteArray key = DeadLetterConventions::apply(pattern, m_options.stream);
            if (key.isEmpty())
                continue;
            candidates.append(key);
            types.append(RedisCommand{{"TYPE", key}, key});
        }
        if (candidates.isEmpty()) {
            run.printError(QStringLiteral("move-to-dlq"),
                           QStringLiteral("the dead-letter conventions name no dead-letter stream; "
                                          "give one with --to"));
            run.finish(CtlExit::Usage);
            return;
        }
        run.connection()->send(types, &run, [this, candidates](const RedisResult &r) {
            if (const QString error = CtlRun::resultError(r); !error.isEmpty()) {
                m_run->fail(QStringLiteral("cannot look for the dead-letter stream"), error);
                return;
            }
            m_options.deadLetterStream = candidates.first();
            m_dlqHow = QStringLiteral("Weir's first dead-letter name (%1); it does not exist yet: "
                                      "the first dead letter creates it")
                           .arg(m_conventions.patterns.first());
            for (qsizetype i = 0; i < candidates.size() && i < r.replies.size(); ++i) {
                if (r.replies.at(i).bytes() == "stream") {
                    m_options.deadLetterStream = candidates.at(i);
                    m_dlqHow = QStringLiteral("the existing stream Weir's conventions name");
                    break;
                }
            }
            if (const QString why = DeadLetterActions::validate(m_options); !why.isEmpty()) {
                m_run->printError(QStringLiteral("move-to-dlq"), why);
                m_run->finish(CtlExit::Usage);
                return;
            }
            m_conventions = m_conventions.forStream(m_options.deadLetterStream);
            collect();
        });
    }

private:
    void collect()
    {
        m_options.path =
            pathFor(m_options.stream, m_options.deadLetterStream, m_run->connection()->isCluster());
        if (!m_ids.isEmpty()) {
            confirm(m_ids);
            return;
        }
        m_which = m_minDeliveries > 0 ? QCoreApplication::translate(
                      "weirctl", "delivered at least %n times", nullptr, int(m_minDeliveries))
                                      : QString();
        if (m_minIdleMs > 0)
            m_which += (m_which.isEmpty() ? QString() : QStringLiteral(" and "))
                       + QStringLiteral("idle at least %1 ms").arg(m_minIdleMs);
        PendingRead read;
        read.minIdleMs = m_minIdleMs;
        read.minDeliveries = m_minDeliveries;
        read.progress = QStringLiteral("move-to-dlq: reading the pending entries, %1 ") + m_which
                        + QStringLiteral(" so far");
        read.failure = QStringLiteral("cannot read the pending entries of %1 in %2")
                           .arg(text(m_options.group), text(m_options.stream));
        collectPending(*m_run, m_options.stream, m_options.group, read,
                       [this](const QList<QByteArray> &ids) { confirm(ids); });
    }

    QString plan(qint64 entries) const
    {
        const MoveOptions &o = m_options;
        QString text =
            QStringLiteral("Move ")
            + QCoreApplication::translate("weirctl", "%n pending entries", nullptr, int(entries))
            + QStringLiteral(" of group %1 on %2%3 to the dead-letter stream %4 (%5), "
                             "with the reason \"%6\".\n")
                  .arg(::text(o.group), ::text(o.stream),
                       m_which.isEmpty() ? QString() : QLatin1Char(' ') + m_which,
                       ::text(o.deadLetterStream), m_dlqHow, o.reason);
        QStringList names;
        for (const QByteArray &name : m_conventions.metadataFields())
            names << ::text(name);
        text += QStringLiteral("Each dead letter holds %1, then the entry's own fields "
                               "unchanged; the entry is then acknowledged in %2%3.\n")
                    .arg(names.isEmpty() ? QStringLiteral("no metadata (the conventions name no "
                                                          "fields)")
                                         : names.join(QStringLiteral(", ")),
                         ::text(o.group),
                         o.deleteFromSource ? QStringLiteral(" and deleted from %1: its payload "
                                                             "then lives only in %2")
                                                  .arg(::text(o.stream), ::text(o.deadLetterStream))
                                            : QString());
        text += QStringLiteral("How: %1").arg(describe(o.path));
        if (m_rate > 0)
            // --rate takes fractions (0.5: one entry every two seconds).
            text += QStringLiteral("\nAt most ")
                    + (m_rate == int(m_rate) ? QCoreApplication::translate(
                           "weirctl", "%n entries a second", nullptr, int(m_rate))
                                             : QStringLiteral("%1 entries a second").arg(m_rate))
                    + QLatin1Char('.');
        return text;
    }

    void confirm(const QList<QByteArray> &ids)
    {
        if (ids.isEmpty()) {
            m_run->err() << "weirctl move-to-dlq: no pending entry of group "
                         << text(m_options.group) << " on " << text(m_options.stream)
                         << (m_which.isEmpty() ? QString() : QLatin1Char(' ') + m_which)
                         << ": nothing to move.\n";
            m_run->finish(reportBulkRun(*m_run, QStringLiteral("move-to-dlq"), {}));
            return;
        }
        auto *runner = new BulkRunner(m_run);
        runner->setRate(m_rate);
        // With a rate, chunks of a quarter second's worth, so that the rate holds.
        const int perChunk =
            m_rate > 0 ? qBound(1, int(m_rate / 4), EntriesPerChunk) : EntriesPerChunk;
        // The time recorded in the dead letters is the confirmation's: the commands shown
        // are the ones sent.
        const QDateTime now = QDateTime::currentDateTimeUtc();
        if (m_options.path == Path::Atomic) {
            start(runner, moveChunks(ids, m_options, m_conventions, now, perChunk),
                  moveVerifier(m_options), ids.size());
            return;
        }
        // Copy then remove: the copies come from the entries (and delivery counts) as read
        // now; one no longer there, or no longer pending, is left out.
        readPendingToMove(m_run->connection(), m_options, ids, m_run,
                          [this, runner, now, perChunk](const QList<PendingToMove> &entries,
                                                        const QString &error) {
            if (!error.isEmpty()) {
                m_run->fail(QStringLiteral("cannot read the entries to move"), error);
                return;
            }
            runner->setSecondPhase(moveSecondPhase(m_options));
            start(runner, moveCopyChunks(entries, m_options, m_conventions, now, perChunk), {},
                  entries.size());
        });
    }

    void start(BulkRunner *runner, const QList<BulkRunner::Chunk> &chunks,
               const BulkRunner::Verifier &verifier, qint64 entries)
    {
        if (!confirmBulkRun(*m_run, plan(entries), chunks, *runner))
            return;
        startBulkRun(*m_run, runner, QStringLiteral("move-to-dlq"), chunks, verifier);
    }

    const QCommandLineOption m_minDeliveriesOption{
        QStringLiteral("min-deliveries"),
        QStringLiteral("Every pending entry delivered at least <n> times."), QStringLiteral("n")};
    const QCommandLineOption m_minIdleOption{
        QStringLiteral("min-idle"),
        QStringLiteral("Every pending entry idle at least <ms> (with --min-deliveries: both)."),
        QStringLiteral("ms")};
    const QCommandLineOption m_toOption{
        QStringLiteral("to"),
        QStringLiteral("The dead-letter stream (default: by Weir's dead-letter conventions)."),
        QStringLiteral("dlq")};
    const QCommandLineOption m_reasonOption{
        QStringLiteral("reason"),
        QStringLiteral("Why the messages are dead, kept in each dead letter (default: "
                       "\"delivered at least N times\", or \"moved by hand\")."),
        QStringLiteral("text")};
    const QCommandLineOption m_deleteOption{
        QStringLiteral("delete"),
        QStringLiteral("Also XDEL each entry from STREAM after acking it.")};

    MoveOptions m_options;
    QList<QByteArray> m_ids;
    qint64 m_minDeliveries = 0;
    qint64 m_minIdleMs = 0;
    double m_rate = 0;
    QString m_profile;
    QString m_which;  // the filter in words, for the plan
    QString m_dlqHow; // how the dead-letter stream was chosen, for the plan
    DeadLetterConventions m_conventions;
    CtlRun *m_run = nullptr;
};

} // namespace

std::unique_ptr<CtlCommand> makeMoveToDlqCommand()
{
    return std::make_unique<MoveCommand>();
}
