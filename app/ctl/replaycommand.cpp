// weirctl replay: dead letters back to their streams, through the planReplay(),
// replayChunks() and BulkRunner Weir's Replay dialog uses, so the copies written and the
// dry run are the dialog's.

#include "bulkreport.h"
#include "ctlcommand.h"
#include "ctlrun.h"
#include "ctlsettings.h"
#include "deadletteractions.h"
#include "entryreader.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QMap>

namespace {

using namespace DeadLetterActions;

QString text(const QByteArray &bytes)
{
    return QString::fromUtf8(bytes);
}

// Dead letters read for one run at most; the report says when there were more.
constexpr qint64 ReadCap = 1'000'000;

class ReplayCommand : public CtlCommand
{
public:
    Spec spec() const override
    {
        Spec s;
        s.name = QStringLiteral("replay");
        s.arguments = QStringLiteral("DLQ (ID...|--all)");
        s.summary = QStringLiteral("Replay dead letters to their streams");
        s.description = QStringLiteral(
            "Writes dead letters of the dead-letter stream DLQ back, as Weir's Replay dialog\n"
            "does: the ones named by ID, or --all. Each goes to its original stream (the field\n"
            "the dead-letter conventions name, originalTopicName by default), or to --to\n"
            "STREAM, as a new entry: the dead-letter fields stripped (unless --keep), the\n"
            "message unpacked from the content field when it holds the whole entry, and with\n"
            "--counter FIELD a replay count. A dead letter is removed from DLQ only together\n"
            "with its copy written (one Lua script each), so it is in exactly one of the two;\n"
            "on a cluster with the keys in different slots the copy is written first and the\n"
            "dead letter removed once it is known written (never lost, at worst twice: the\n"
            "report names them). A dead letter with no original stream recorded is skipped\n"
            "(give --to). Ctrl-C stops after the chunks under way and prints the report.\n\n"
            "Prints a weirctl.report document (total, done, not_done, failed, unknown,\n"
            "first_phase_only, reasons, ids; see weirctl(1)); dead letters skipped beforehand\n"
            "count as not_done with their reason. --dry-run prints every command on stdout as\n"
            "redis-cli takes them (SCRIPT LOAD, then one EVALSHA of Weir's replay script per\n"
            "dead letter, with the fields its copy gets) and writes nothing.");
        s.examples = {QStringLiteral("weirctl replay orders:dlq --all --dry-run"),
                      QStringLiteral("weirctl replay orders:dlq 1700000000000-0 --to orders-retry"),
                      QStringLiteral("weirctl replay orders:dlq --all --counter replayCount "
                                     "--rate 500 --yes")};
        s.writes = true;
        return s;
    }

    QList<QCommandLineOption> options() const override
    {
        return {m_toOption, m_allOption, m_keepOption, m_counterOption, bulkRateOption()};
    }

    QString configure(const QCommandLineParser &parsed, const QStringList &arguments) override
    {
        if (arguments.isEmpty())
            return QStringLiteral("name the dead-letter stream: replay DLQ (ID...|--all)");
        m_options.deadLetterStream = arguments.first().toUtf8();
        QString error;
        if (!idArguments(arguments.mid(1), &m_ids, &error))
            return error;
        m_all = parsed.isSet(m_allOption);
        if (m_ids.isEmpty() && !m_all)
            return QStringLiteral("say which dead letters: their ids, or --all");
        if (!m_ids.isEmpty() && m_all)
            return QStringLiteral("give either ids or --all, not both");
        m_options.target = parsed.value(m_toOption).toUtf8();
        m_options.stripMetadata = !parsed.isSet(m_keepOption);
        m_options.counterField = parsed.value(m_counterOption).toUtf8();
        if (!rateFromOption(parsed, &m_rate, &error))
            return error;
        m_profile = parsed.value(QStringLiteral("profile"));
        return DeadLetterActions::validate(m_options);
    }

    void run(CtlRun &run) override
    {
        m_run = &run;
        m_conventions =
            ctlDeadLetterConventions(run, m_profile).forStream(m_options.deadLetterStream);
        if (m_conventions.metadataFields().contains(m_options.counterField)) {
            run.printError(QStringLiteral("replay"),
                           QStringLiteral("\"%1\" is a dead-letter metadata field: name the "
                                          "replay counter something else")
                               .arg(text(m_options.counterField)));
            run.finish(CtlExit::Usage);
            return;
        }
        m_reader = new EntryReader(&run);
        m_reader->setPageSize(1000);
        QObject::connect(m_reader, &EntryReader::progress, &run, [this](qint64 read, qint64) {
            m_run->progress(
                QStringLiteral("replay: reading the dead letters, %1 so far").arg(read));
        });
        QObject::connect(m_reader, &EntryReader::finished, &run, [this] { onRead(); });
        if (m_all)
            m_reader->readRange(run.connection(), m_options.deadLetterStream, StreamId{},
                                StreamId::max(), {}, ReadCap);
        else
            m_reader->readIds(run.connection(), m_options.deadLetterStream, m_ids);
    }

private:
    void onRead()
    {
        m_run->endProgress();
        if (!m_reader->error().isEmpty()) {
            m_run->fail(QStringLiteral("cannot read the dead letters of %1")
                            .arg(text(m_options.deadLetterStream)),
                        m_reader->error());
            return;
        }
        m_plan.reserve(m_reader->entries().size());
        for (const StreamEntry &e : m_reader->entries())
            m_plan.append(planReplay(e, m_options, m_conventions));
        // The dialog's choice, for the same dead letters.
        m_options.path = replayPath(m_plan, m_options, m_run->connection()->isCluster());
        ReplaySelection selection = selectReplay(m_plan, m_reader->missing());
        m_toSend = std::move(selection.toSend);
        m_skipped = std::move(selection.skipped);

        if (m_toSend.isEmpty()) {
            m_run->err() << "weirctl replay: nothing to replay from "
                         << text(m_options.deadLetterStream)
                         << (m_plan.isEmpty() && m_skipped.isEmpty()
                                 ? QStringLiteral(": it holds no dead letters")
                                 : QStringLiteral(": every dead letter named would be skipped"))
                         << ".\n";
            m_run->finish(reportBulkRun(*m_run, QStringLiteral("replay"), withSkipped({})));
            return;
        }
        auto *runner = new BulkRunner(m_run);
        runner->setStopOnError(false); // one refused dead letter does not hold back the others
        runner->setRate(m_rate);
        if (m_options.path == Path::CopyThenRemove)
            runner->setSecondPhase(replaySecondPhase(m_options));
        // With a rate, chunks of a quarter second's worth, so that the rate holds.
        const int perChunk =
            m_rate > 0 ? qBound(1, int(m_rate / 4), EntriesPerChunk) : EntriesPerChunk;
        const QList<BulkRunner::Chunk> chunks = replayChunks(m_plan, m_options, perChunk);
        if (!confirmBulkRun(*m_run, plan(), chunks, *runner))
            return;
        watchBulkRun(*m_run, runner, QStringLiteral("replay"));
        QObject::connect(runner, &BulkRunner::finished, m_run,
                         [this](const BulkRunner::Report &report) {
            m_run->finish(reportBulkRun(*m_run, QStringLiteral("replay"), withSkipped(report)));
        });
        runner->start(m_run->connection(), chunks,
                      m_options.path == Path::Atomic ? replayVerifier(m_options)
                                                     : BulkRunner::Verifier{});
    }

    // The run's report with the dead letters skipped before it (planned out, or missing)
    // as not done, each with its reason.
    BulkRunner::Report withSkipped(BulkRunner::Report report) const
    {
        for (const auto &[id, reason] : m_skipped) {
            report.notDone.append(id);
            report.reasons.insert(id, reason);
        }
        return report;
    }

    QString plan() const
    {
        QStringList where;
        const QList<QPair<QByteArray, qsizetype>> targets = replayTargets(m_plan);
        for (const auto &[target, count] : targets)
            where << QStringLiteral("%1 (%2)").arg(text(target)).arg(count);
        QString out =
            QCoreApplication::translate("weirctl", "Replay %n dead letters from %1 to %2.\n",
                                        nullptr, int(m_toSend.size()))
                .arg(text(m_options.deadLetterStream), where.join(QStringLiteral(", ")));
        QStringList metadata;
        for (const QByteArray &name : m_conventions.metadataFields())
            metadata << text(name);
        out += m_options.stripMetadata ? QStringLiteral("The dead-letter fields (%1) are stripped")
                                             .arg(metadata.join(QStringLiteral(", ")))
                                       : QStringLiteral("The dead-letter fields are kept");
        out +=
            m_options.counterField.isEmpty()
                ? QStringLiteral("; no replay counter")
                : QStringLiteral("; the field %1 counts replays").arg(text(m_options.counterField));
        out += m_rate > 0 ? QStringLiteral("; at most %1 a second.\n").arg(m_rate)
                          : QStringLiteral("; as fast as Redis takes them.\n");
        if (!m_skipped.isEmpty()) {
            QMap<QString, qint64> byReason;
            for (const auto &skipped : m_skipped)
                ++byReason[skipped.second];
            QStringList parts;
            for (auto it = byReason.cbegin(); it != byReason.cend(); ++it)
                parts << QStringLiteral("%1 × %2").arg(it.value()).arg(it.key());
            out += QStringLiteral("Left out: %1.\n").arg(parts.join(QStringLiteral("; ")));
        }
        if (m_reader->isCapped())
            out +=
                QCoreApplication::translate("weirctl",
                                            "Only the first %n dead letters were read: run again "
                                            "for the rest.\n",
                                            nullptr, int(ReadCap));
        out += QStringLiteral("How: %1 Each dead letter is removed from %2 only once its copy is "
                              "written.")
                   .arg(describe(m_options.path), text(m_options.deadLetterStream));
        return out;
    }

    const QCommandLineOption m_toOption{
        QStringLiteral("to"),
        QStringLiteral("Replay every dead letter to <stream> (default: each one's original)."),
        QStringLiteral("stream")};
    const QCommandLineOption m_allOption{QStringLiteral("all"),
                                         QStringLiteral("Every dead letter in DLQ.")};
    const QCommandLineOption m_keepOption{
        QStringLiteral("keep"),
        QStringLiteral("Keep the dead-letter fields in the copies (default: stripped, so each "
                       "copy is the message as it was).")};
    const QCommandLineOption m_counterOption{
        QStringLiteral("counter"),
        QStringLiteral("A field the copies get: 1, or one more than the dead letter holds."),
        QStringLiteral("field")};

    ReplayOptions m_options;
    QList<QByteArray> m_ids;
    bool m_all = false;
    double m_rate = 0;
    QString m_profile;
    DeadLetterConventions m_conventions;
    CtlRun *m_run = nullptr;
    EntryReader *m_reader = nullptr;
    QList<ReplayItem> m_plan;
    QList<QByteArray> m_toSend;
    QList<QPair<QByteArray, QString>> m_skipped;
};

} // namespace

std::unique_ptr<CtlCommand> makeReplayCommand()
{
    return std::make_unique<ReplayCommand>();
}
