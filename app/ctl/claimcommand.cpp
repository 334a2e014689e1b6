#include "bulkreport.h"
#include "ctlcommand.h"
#include "ctlrun.h"
#include "pendingactions.h"
#include "streamparsers.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QJsonObject>

namespace {

QCommandLineOption minIdleOption()
{
    return QCommandLineOption(QStringLiteral("min-idle"),
                              QStringLiteral("Claim only entries idle at least <ms>: an entry "
                                             "another consumer is still working on is left "
                                             "alone (required; 0 claims any)."),
                              QStringLiteral("ms"));
}

// STREAM GROUP CONSUMER and --min-idle, shared by claim and autoclaim; the rest of the
// arguments stay in `rest`.
QString claimTarget(const QCommandLineParser &parsed, const QStringList &arguments, QByteArray *key,
                    QByteArray *group, PendingActions::ClaimOptions *options, QStringList *rest)
{
    if (arguments.size() < 3)
        return QStringLiteral("name the stream, the group and the consumer that takes the "
                              "entries over");
    *key = arguments.at(0).toUtf8();
    *group = arguments.at(1).toUtf8();
    options->consumer = arguments.at(2).toUtf8();
    *rest = arguments.mid(3);
    if (!parsed.isSet(QStringLiteral("min-idle")))
        return QStringLiteral("give --min-idle MS: entries idle less than that are still being "
                              "worked on (--min-idle 0 claims them all the same)");
    QString error;
    if (!millisecondsOption(parsed, QStringLiteral("min-idle"), &options->minIdleMs, &error))
        return error;
    return PendingActions::validate(*options);
}

QString text(const QByteArray &bytes)
{
    return QString::fromUtf8(bytes);
}

void writeIds(RecordWriter &writer, const QString &table, const QList<QByteArray> &ids)
{
    writer.beginTable(table, {{QStringLiteral("id"), QStringLiteral("ID")}});
    for (const QByteArray &id : ids)
        writer.row({{QStringLiteral("id"), QString::fromLatin1(id)}});
    writer.endTable();
}

// weirctl claim: XCLAIM in chunks, as the Groups page's "Claim" does, on the ids given or
// on every pending entry of the group (of one consumer with --from).
class ClaimCommand : public CtlCommand
{
public:
    Spec spec() const override
    {
        Spec s;
        s.name = QStringLiteral("claim");
        s.arguments = QStringLiteral("STREAM GROUP CONSUMER --min-idle MS (ID...|--all)");
        s.summary = QStringLiteral("Hand pending entries over to a consumer (XCLAIM).");
        s.description = QStringLiteral(
            "Makes the entries given, or with --all every pending entry of the group (those\n"
            "of one consumer with --from), pending entries of CONSUMER, which is created if\n"
            "it does not exist. Only entries idle at least --min-idle when their chunk\n"
            "arrives are claimed; the others, and ids no longer pending, are reported not\n"
            "done. XCLAIM goes in chunks of 1000 ids, each applied whole; Ctrl-C stops\n"
            "between chunks and prints what was done.\n"
            "Exits 0 when every id is done, 1 when some are not (or failed, or are of\n"
            "unknown fate), 130 when stopped by Ctrl-C.\n\n"
            "Output: a weirctl.report document (see weirctl(1)).");
        s.examples = {QStringLiteral("weirctl claim orders billing worker-2 --min-idle 60000 "
                                     "1700000000000-0"),
                      QStringLiteral("weirctl claim orders billing worker-2 --min-idle 60000 --all "
                                     "--from worker-7 --yes")};
        s.writes = true;
        return s;
    }

    QList<QCommandLineOption> options() const override
    {
        return {minIdleOption(),
                QCommandLineOption(QStringLiteral("all"),
                                   QStringLiteral("Claim every pending entry of the group idle "
                                                  "at least --min-idle, instead of ids.")),
                QCommandLineOption(QStringLiteral("from"),
                                   QStringLiteral("With --all: only the entries pending for "
                                                  "<consumer> (one that died, say)."),
                                   QStringLiteral("consumer")),
                bulkRateOption()};
    }

    QString configure(const QCommandLineParser &parsed, const QStringList &arguments) override
    {
        QStringList rest;
        QString error = claimTarget(parsed, arguments, &m_key, &m_group, &m_options, &rest);
        if (!error.isEmpty())
            return error;
        m_all = parsed.isSet(QStringLiteral("all"));
        if (!idArguments(rest, &m_ids, &error))
            return error;
        if (m_all == !m_ids.isEmpty())
            return m_all ? QStringLiteral("give either ids or --all, not both")
                         : QStringLiteral("give the ids to claim, or --all");
        if (!m_all && parsed.isSet(QStringLiteral("from")))
            return QStringLiteral("--from chooses among the pending entries: it goes with --all");
        m_from = parsed.value(QStringLiteral("from")).toUtf8();
        if (!rateFromOption(parsed, &m_rate, &error))
            return error;
        return {};
    }

    void run(CtlRun &run) override
    {
        if (!m_all) {
            claim(run, m_ids, QString());
            return;
        }
        const QString which =
            m_from.isEmpty() ? QString() : QStringLiteral("pending for %1").arg(text(m_from));
        // Entries idle less than --min-idle now will be so still when XCLAIM arrives: not
        // worth listing.
        PendingRead read;
        read.consumer = m_from;
        read.minIdleMs = m_options.minIdleMs;
        collectPending(run, m_key, m_group, read,
                       [this, &run, which](const QList<QByteArray> &ids) {
            if (ids.isEmpty()) {
                run.err() << "weirctl claim: nothing to claim: group " << m_group << " on " << m_key
                          << " has no pending entries idle at least " << m_options.minIdleMs
                          << " ms" << (which.isEmpty() ? "" : " ") << which << ".\n";
                run.finish(reportBulkRun(run, QStringLiteral("claim"), BulkRunner::Report{}));
                return;
            }
            claim(run, ids, which);
        });
    }

private:
    void claim(CtlRun &run, const QList<QByteArray> &ids, const QString &which)
    {
        auto *runner = new BulkRunner(&run);
        runner->setRate(m_rate);
        const QList<BulkRunner::Chunk> chunks =
            PendingActions::claimChunks(m_key, m_group, ids, m_options);
        QString what =
            QStringLiteral("Claim ")
            + QCoreApplication::translate("weirctl", "%n pending entries", nullptr, int(ids.size()))
            + QStringLiteral(" of group %1 on stream %2").arg(text(m_group), text(m_key));
        if (!which.isEmpty())
            what += QStringLiteral(" (%1)").arg(which);
        what += QStringLiteral(", first %1, last %2, for consumer %3:\nthey become its pending "
                               "entries, those idle at least %4 ms when claimed.")
                    .arg(QString::fromLatin1(ids.constFirst()),
                         QString::fromLatin1(ids.constLast()), text(m_options.consumer))
                    .arg(m_options.minIdleMs);
        if (!confirmBulkRun(run, what, chunks, *runner))
            return;
        startBulkRun(run, runner, QStringLiteral("claim"), chunks,
                     PendingActions::claimVerifier(m_key, m_group, m_options.consumer));
    }

    QByteArray m_key;
    QByteArray m_group;
    QByteArray m_from;
    PendingActions::ClaimOptions m_options;
    QList<QByteArray> m_ids;
    double m_rate = 0;
    bool m_all = false;
};

// weirctl autoclaim: the Groups page's "Sweep", XAUTOCLAIM from cursor to cursor over the
// whole pending list.
class AutoClaimCommand : public CtlCommand
{
public:
    Spec spec() const override
    {
        Spec s;
        s.name = QStringLiteral("autoclaim");
        s.arguments = QStringLiteral("STREAM GROUP CONSUMER --min-idle MS");
        s.summary = QStringLiteral("Sweep a group's pending list for a consumer (XAUTOCLAIM).");
        s.description = QStringLiteral(
            "Hands every pending entry of the group idle at least --min-idle to CONSUMER:\n"
            "XAUTOCLAIM COUNT N from cursor 0-0, then again from each cursor it returns,\n"
            "until it returns 0-0. From Redis 7.0 pending entries whose stream entries were\n"
            "deleted are dropped from the list; before, they are claimed too. Needs Redis\n"
            "6.2. Ctrl-C stops after the call under way.\n"
            "Exits 0 when done, 1 when Redis refused or a call's outcome is unknown, 130\n"
            "when stopped by Ctrl-C.\n\n"
            "Output: a weirctl.autoclaim document (version 1): consumer, claimed, deleted,\n"
            "claimed_gone, calls (numbers), interrupted, last_call_unknown (booleans), error\n"
            "(string or null), and the tables claimed_ids and deleted_ids of {id} (not in\n"
            "the table format).");
        s.examples = {QStringLiteral("weirctl autoclaim orders billing worker-2 --min-idle 300000"),
                      QStringLiteral("weirctl autoclaim orders billing worker-2 --min-idle 300000 "
                                     "--count 500 --yes --format json")};
        s.writes = true;
        return s;
    }

    QList<QCommandLineOption> options() const override
    {
        return {minIdleOption(),
                QCommandLineOption(QStringLiteral("count"),
                                   QStringLiteral("Entries a call claims at most (default "
                                                  "1000)."),
                                   QStringLiteral("n"))};
    }

    QString configure(const QCommandLineParser &parsed, const QStringList &arguments) override
    {
        QStringList rest;
        QString error = claimTarget(parsed, arguments, &m_key, &m_group, &m_options, &rest);
        if (!error.isEmpty())
            return error;
        if (!rest.isEmpty())
            return QStringLiteral("autoclaim takes no ids: it sweeps the whole pending list "
                                  "(claim takes ids)");
        if (parsed.isSet(QStringLiteral("count"))) {
            bool ok = false;
            m_count = parsed.value(QStringLiteral("count")).toInt(&ok);
            if (!ok || m_count <= 0)
                return QStringLiteral("--count: not a positive number: %1")
                    .arg(parsed.value(QStringLiteral("count")));
        }
        return {};
    }

    void run(CtlRun &run) override
    {
        // What the group holds, for the plan; NOGROUP shows here, before anything is asked.
        run.connection()->send({RedisCommand{{"XPENDING", m_key, m_group}, m_key}}, &run,
                               [this, &run](const RedisResult &r) {
            QString error = CtlRun::resultError(r);
            const std::optional<PendingSummary> summary =
                error.isEmpty() ? parsePendingSummary(r.replies.first(), &error) : std::nullopt;
            if (!summary) {
                run.fail(QStringLiteral("reading the pending entries of group %1 on %2")
                             .arg(text(m_group), text(m_key)),
                         error);
                return;
            }
            confirmAndSweep(run, *summary);
        });
    }

private:
    void confirmAndSweep(CtlRun &run, const PendingSummary &summary)
    {
        const RedisCommand first = AutoClaimSweep::firstCommand(m_key, m_group, m_options, m_count);
        const QString firstLine =
            PendingActions::redisCliLines({BulkRunner::Chunk{{first}, {}}}, 1).constFirst();
        QString plan =
            QStringLiteral("Hand every pending entry of group %1 on stream %2 idle at least %3 ms "
                           "to consumer %4, across the whole pending list: it holds ")
                .arg(text(m_group), text(m_key))
                .arg(m_options.minIdleMs)
                .arg(text(m_options.consumer))
            + QCoreApplication::translate("weirctl", "%n entries", nullptr, int(summary.count));
        if (summary.smallest && summary.largest)
            plan += QStringLiteral(", %1 to %2")
                        .arg(summary.smallest->toString(), summary.largest->toString());
        plan += QStringLiteral(".\n  %1\n  … then again from each cursor it returns, until the "
                               "cursor is 0-0.\n")
                    .arg(firstLine);
        const ServerInfo &server = run.connection()->serverInfo();
        plan += server.hasClaimDropsDeleted()
                    ? QStringLiteral("Pending entries whose stream entries were deleted are "
                                     "dropped from the list.\n")
                    : QStringLiteral("Pending entries whose stream entries were deleted are "
                                     "claimed too and stay pending (%1 drops none; Redis 7.0 "
                                     "does).\n")
                          .arg(server.displayName());
        if (!run.confirmWrite(plan)) {
            if (run.dryRun())
                run.out() << firstLine << '\n';
            run.finishRefused();
            return;
        }
        run.handleInterrupts();
        auto *sweep = new AutoClaimSweep(&run);
        QObject::connect(&run, &CtlRun::interruptRequested, sweep, &AutoClaimSweep::cancel);
        QObject::connect(sweep, &AutoClaimSweep::progress, &run,
                         [&run](qint64 claimed, qint64 deleted) {
            run.progress(QStringLiteral("autoclaim: %1 claimed, ").arg(claimed)
                         + QCoreApplication::translate("weirctl", "%n deleted entries dropped",
                                                       nullptr, int(deleted)));
        });
        QObject::connect(sweep, &AutoClaimSweep::finished, &run,
                         [this, &run](const AutoClaimSweep::Result &result) {
            report(run, result);
        });
        sweep->start(run.connection(), m_key, m_group, m_options, m_count);
    }

    void report(CtlRun &run, const AutoClaimSweep::Result &r)
    {
        run.endProgress();
        if (!r.error.isEmpty())
            run.printError(QStringLiteral("autoclaim"), r.error);
        QTextStream &err = run.err();
        err << "weirctl autoclaim: "
            << QCoreApplication::translate("weirctl", "%n entries claimed", nullptr,
                                           int(r.claimed.size()))
            << " for " << m_options.consumer << " in "
            << QCoreApplication::translate("weirctl", "%n calls", nullptr, int(r.calls));
        if (!r.deleted.isEmpty())
            err << "; "
                << QCoreApplication::translate("weirctl", "%n pending entries dropped", nullptr,
                                               int(r.deleted.size()))
                << ", their stream entries being gone";
        if (r.claimedGone > 0)
            err << "; " << r.claimedGone
                << " claimed though gone from the stream: they stay pending (Redis names no id "
                   "for them), ack them";
        if (run.interrupted())
            err << "; stopped by Ctrl-C: the rest of the pending list was not swept";
        if (r.lastCallUnknown)
            err << "; the last call was sent when the connection failed: up to "
                << QCoreApplication::translate("weirctl", "%n more entries may have been claimed",
                                               nullptr, int(m_count))
                << ", look at the pending list before sweeping again";
        err << '\n';
        err.flush();
        {
            std::unique_ptr<RecordWriter> writer =
                run.makeWriter(QStringLiteral("weirctl.autoclaim"), 1);
            writer->field(QStringLiteral("consumer"), text(m_options.consumer));
            writer->field(QStringLiteral("claimed"), qint64(r.claimed.size()));
            writer->field(QStringLiteral("deleted"), qint64(r.deleted.size()));
            writer->field(QStringLiteral("claimed_gone"), r.claimedGone);
            writer->field(QStringLiteral("calls"), r.calls);
            writer->field(QStringLiteral("interrupted"), run.interrupted());
            writer->field(QStringLiteral("last_call_unknown"), r.lastCallUnknown);
            writer->field(QStringLiteral("error"),
                          r.error.isEmpty() ? QJsonValue() : QJsonValue(r.error));
            // A person at a terminal gets the counts; the ids, maybe thousands, are for
            // scripts (json, csv).
            if (writer->format() != OutputFormat::Table) {
                writeIds(*writer, QStringLiteral("claimed_ids"), r.claimed);
                writeIds(*writer, QStringLiteral("deleted_ids"), r.deleted);
            }
        }
        if (run.interrupted())
            run.finish(CtlExit::Interrupted);
        else
            run.finish(r.error.isEmpty() ? CtlExit::Ok : CtlExit::Failed);
    }

    QByteArray m_key;
    QByteArray m_group;
    PendingActions::ClaimOptions m_options;
    int m_count = 1000;
};

} // namespace

std::unique_ptr<CtlCommand> makeClaimCommand()
{
    return std::make_unique<ClaimCommand>();
}

std::unique_ptr<CtlCommand> makeAutoClaimCommand()
{
    return std::make_unique<AutoClaimCommand>();
}
