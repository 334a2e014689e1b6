#include "ctlcommand.h"
#include "ctlrun.h"
#include "pendingactions.h"
#include "trimactions.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QJsonObject>

using namespace TrimActions;

namespace {

QString text(const QByteArray &bytes)
{
    return QString::fromUtf8(bytes);
}

// weirctl trim: the trim dialog's preview, then its run (TrimRun: one XTRIM exactly, or
// XTRIM ~ again while it removes something).
class TrimCommand : public CtlCommand
{
public:
    Spec spec() const override
    {
        Spec s;
        s.name = QStringLiteral("trim");
        s.arguments = QStringLiteral("STREAM (--maxlen N|--minid ID)");
        s.summary = QStringLiteral("Trim a stream to a length or an oldest id (XTRIM).");
        s.description = QStringLiteral(
            "Removes the oldest entries of STREAM: all but the newest N (--maxlen), or all\n"
            "before ID (--minid). First it reads what an exact trim would remove: how many\n"
            "entries go, and for each consumer group how many of its pending entries would\n"
            "point at deleted entries and whether it has yet to read entries that go.\n"
            "By default the trim is approximate (XTRIM ~, whole nodes only, cheap for the\n"
            "server), repeated while it removes something; --exact removes exactly, in one\n"
            "call. XTRIM cannot be undone.\n"
            "Exits 0 when done, 1 when Redis refused or a call's outcome is unknown, 130\n"
            "when stopped by Ctrl-C.\n\n"
            "Output: a weirctl.trim document (version 1): stream, strategy (\"maxlen\" or\n"
            "\"minid\"), threshold (string), exact (boolean), length (entries before),\n"
            "to_remove (what an exact trim removes), removed, calls (numbers), beyond_target\n"
            "(number, or null when exact or not read), interrupted, last_call_unknown\n"
            "(booleans), error (string or null), and the table groups of {group, pending,\n"
            "orphaned (numbers), unread (boolean)}.");
        s.examples = {QStringLiteral("weirctl trim events --maxlen 100000"),
                      QStringLiteral("weirctl trim events --minid 1700000000000-0 --exact --yes")};
        s.writes = true;
        return s;
    }

    QList<QCommandLineOption> options() const override
    {
        return {QCommandLineOption(QStringLiteral("maxlen"),
                                   QStringLiteral("Keep the newest <n> entries."),
                                   QStringLiteral("n")),
                QCommandLineOption(QStringLiteral("minid"),
                                   QStringLiteral("Keep the entries from <id> on."),
                                   QStringLiteral("id")),
                QCommandLineOption(QStringLiteral("exact"),
                                   QStringLiteral("Trim exactly (=), in one call, instead of "
                                                  "whole nodes (~).")),
                QCommandLineOption(QStringLiteral("limit"),
                                   QStringLiteral("Without --exact: remove at most <n> entries "
                                                  "a call (default: Redis's, 100 nodes)."),
                                   QStringLiteral("n"))};
    }

    QString configure(const QCommandLineParser &parsed, const QStringList &arguments) override
    {
        if (arguments.size() != 1)
            return QStringLiteral("name one stream");
        m_options.key = arguments.first().toUtf8();
        const bool maxLen = parsed.isSet(QStringLiteral("maxlen"));
        if (maxLen == parsed.isSet(QStringLiteral("minid")))
            return QStringLiteral("give one of --maxlen N and --minid ID");
        m_options.strategy = maxLen ? Options::Strategy::MaxLen : Options::Strategy::MinId;
        m_options.threshold =
            parsed.value(maxLen ? QStringLiteral("maxlen") : QStringLiteral("minid")).toUtf8();
        m_options.approximate = !parsed.isSet(QStringLiteral("exact"));
        if (parsed.isSet(QStringLiteral("limit"))) {
            bool ok = false;
            m_options.limit = parsed.value(QStringLiteral("limit")).toLongLong(&ok);
            if (!ok)
                return QStringLiteral("--limit: not a number: %1")
                    .arg(parsed.value(QStringLiteral("limit")));
        }
        return validate(m_options);
    }

    void run(CtlRun &run) override
    {
        auto *previewer = new TrimPreviewer(&run);
        QObject::connect(previewer, &TrimPreviewer::progress, &run, [&run](qint64 read) {
            run.progress(QStringLiteral("counting the entries that go: %1 read").arg(read));
        });
        QObject::connect(previewer, &TrimPreviewer::finished, &run,
                         [this, &run](const TrimPreviewer::Preview &preview) {
            run.endProgress();
            if (!preview.error.isEmpty()) {
                run.fail(QStringLiteral("reading stream %1").arg(text(m_options.key)),
                         preview.error);
                return;
            }
            m_preview = preview;
            confirmAndTrim(run);
        });
        previewer->start(run.connection(), m_options);
    }

private:
    // The preview in words, as the trim dialog shows it.
    QString previewText() const
    {
        const TrimPreviewer::Preview &p = m_preview;
        if (p.removed == 0)
            return QCoreApplication::translate(
                       "weirctl", "Nothing to remove: all %n entries of %1 are within the limit.\n",
                       nullptr, int(p.length))
                .arg(text(m_options.key));
        QString t =
            (m_options.approximate ? QCoreApplication::translate(
                 "weirctl",
                 "Up to %1 of %n entries go (~ removes whole nodes only, so a "
                 "few of them may stay)",
                 nullptr, int(p.length))
                                   : QCoreApplication::translate("weirctl", "%1 of %n entries go",
                                                                 nullptr, int(p.length)))
                .arg(p.removed);
        t += QStringLiteral(": the oldest up to %1; %2.\n")
                 .arg(p.lastRemoved ? p.lastRemoved->toString() : QString(),
                      p.firstKept
                          ? QStringLiteral("the stream keeps %1 on").arg(p.firstKept->toString())
                          : QStringLiteral("nothing stays"));
        for (const TrimPreviewer::Group &g : p.groups) {
            t += QStringLiteral("  Group %1: ").arg(text(g.name));
            t += g.orphaned > 0
                     ? QCoreApplication::translate("weirctl",
                                                   "WARNING: %1 of its %n pending entries would "
                                                   "point at deleted entries (ack or claim "
                                                   "them first, or move them to a "
                                                   "dead-letter stream)",
                                                   nullptr, int(g.pending))
                           .arg(g.orphaned)
                     : QStringLiteral("no pending entry is affected");
            if (g.unread)
                t += QStringLiteral("; WARNING: it has not read all the entries that go: they "
                                    "will never reach it");
            t += QStringLiteral(".\n");
        }
        if (p.groups.isEmpty())
            t += QStringLiteral("  The stream has no consumer groups.\n");
        return t;
    }

    void confirmAndTrim(CtlRun &run)
    {
        const QString preview = previewText();
        if (m_preview.removed == 0) {
            run.err() << preview;
            report(run, TrimRun::Result{}, std::nullopt);
            return;
        }
        const QString line =
            PendingActions::redisCliLines({BulkRunner::Chunk{{command(m_options)}, {}}}, 1)
                .constFirst();
        const QString calls =
            !m_options.approximate
                ? QStringLiteral("One call.")
                : QStringLiteral("Repeated while it removes something: ~ removes at most %1 a "
                                 "call.")
                      .arg(m_options.limit > 0
                               ? QCoreApplication::translate("weirctl", "%n entries", nullptr,
                                                             int(m_options.limit))
                               : QStringLiteral("100 nodes' worth of entries (10000 with the "
                                                "default node size)"));
        const QString plan = QStringLiteral("Trim stream %1:\n  %2\n%3%4 XTRIM cannot be undone.\n")
                                 .arg(text(m_options.key), line, preview, calls);
        if (!run.confirmWrite(plan)) {
            if (run.dryRun())
                run.out() << line << '\n';
            run.finishRefused();
            return;
        }
        run.handleInterrupts();
        auto *trim = new TrimRun(&run);
        QObject::connect(&run, &CtlRun::interruptRequested, trim, &TrimRun::cancel);
        QObject::connect(trim, &TrimRun::progress, &run, [this, &run](qint64 removed, int n) {
            run.progress(QStringLiteral("trim: %1 ").arg(removed)
                             + QCoreApplication::translate("weirctl", "of about %n entries removed",
                                                           nullptr, int(m_preview.removed))
                             + QStringLiteral(", ")
                             + QCoreApplication::translate("weirctl", "%n calls", nullptr, n),
                         qMin(1.0, double(removed) / double(m_preview.removed)));
        });
        QObject::connect(trim, &TrimRun::finished, &run, [this, &run](const TrimRun::Result &r) {
            if (!m_options.approximate || !r.error.isEmpty() || r.cancelled) {
                report(run, r, std::nullopt);
                return;
            }
            // What ~ left above the target: whole nodes that also hold entries to keep.
            readBeyondTarget(run.connection(), m_options, &run,
                             [this, &run, r](std::optional<qint64> beyond) {
                report(run, r, beyond);
            });
        });
        trim->start(run.connection(), m_options);
    }

    void report(CtlRun &run, const TrimRun::Result &r, std::optional<qint64> beyond)
    {
        run.endProgress();
        if (!r.error.isEmpty())
            run.printError(QStringLiteral("trim"), r.error);
        QTextStream &err = run.err();
        err << "weirctl trim: "
            << QCoreApplication::translate("weirctl", "%n entries removed", nullptr, int(r.removed))
            << " from " << m_options.key << " in "
            << QCoreApplication::translate("weirctl", "%n calls", nullptr, int(r.calls));
        if (beyond == 0)
            err << "; the target is reached";
        else if (beyond)
            err << "; "
                << QCoreApplication::translate("weirctl", "%n entries beyond the target remain",
                                               nullptr, int(*beyond))
                << ": ~ removes whole nodes only, and they "
                   "share a node with entries that stay (trim with --exact to remove them too)";
        if (run.interrupted())
            err << "; stopped by Ctrl-C: no further call was sent";
        if (r.lastCallUnknown)
            err << "; the last call was sent when the connection failed: it may have removed "
                   "more, look at the stream before trimming again";
        err << '\n';
        err.flush();
        {
            std::unique_ptr<RecordWriter> writer =
                run.makeWriter(QStringLiteral("weirctl.trim"), 1);
            writer->field(QStringLiteral("stream"), text(m_options.key));
            writer->field(QStringLiteral("strategy"),
                          m_options.strategy == Options::Strategy::MaxLen
                              ? QStringLiteral("maxlen")
                              : QStringLiteral("minid"));
            writer->field(QStringLiteral("threshold"), text(m_options.threshold));
            writer->field(QStringLiteral("exact"), !m_options.approximate);
            writer->field(QStringLiteral("length"), m_preview.length);
            writer->field(QStringLiteral("to_remove"), m_preview.removed);
            writer->field(QStringLiteral("removed"), r.removed);
            writer->field(QStringLiteral("calls"), r.calls);
            writer->field(QStringLiteral("beyond_target"),
                          beyond ? QJsonValue(*beyond) : QJsonValue());
            writer->field(QStringLiteral("interrupted"), run.interrupted());
            writer->field(QStringLiteral("last_call_unknown"), r.lastCallUnknown);
            writer->field(QStringLiteral("error"),
                          r.error.isEmpty() ? QJsonValue() : QJsonValue(r.error));
            writer->beginTable(QStringLiteral("groups"),
                               {{QStringLiteral("group"), QStringLiteral("GROUP")},
                                {QStringLiteral("pending"), QStringLiteral("PENDING"), true},
                                {QStringLiteral("orphaned"), QStringLiteral("ORPHANED"), true},
                                {QStringLiteral("unread"), QStringLiteral("UNREAD")}});
            for (const TrimPreviewer::Group &g : std::as_const(m_preview.groups))
                writer->row({{QStringLiteral("group"), text(g.name)},
                             {QStringLiteral("pending"), g.pending},
                             {QStringLiteral("orphaned"), g.orphaned},
                             {QStringLiteral("unread"), g.unread}});
            writer->endTable();
        }
        if (run.interrupted())
            run.finish(CtlExit::Interrupted);
        else
            run.finish(r.error.isEmpty() && !r.lastCallUnknown ? CtlExit::Ok : CtlExit::Failed);
    }

    Options m_options;
    TrimPreviewer::Preview m_preview;
};

} // namespace

std::unique_ptr<CtlCommand> makeTrimCommand()
{
    return std::make_unique<TrimCommand>();
}
