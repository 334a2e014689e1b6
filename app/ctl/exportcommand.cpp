// weirctl export and import: a stream to a file of Weir's export format and back, through
// the StreamExporter, StreamFileScanner and StreamImporter the Export and Import dialogs
// use, so the files are the ones the GUI writes and reads.

#include "ctlarguments.h"
#include "ctlcommand.h"
#include "ctlrun.h"
#include "pendingactions.h"
#include "streamexport.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonObject>

namespace {

QString text(const QByteArray &bytes)
{
    return QString::fromUtf8(bytes);
}

// What export and import report when they end, in the shape of the bulk writes' report
// (bulkreport.h): a line on stderr, and on stdout a "weirctl.report" document with the
// same members, plus those of the command's own (`extra`). Returns the exit code.
struct TransferOutcome
{
    QString command;
    qint64 total = 0;
    qint64 done = 0;
    qint64 notDone = 0;
    qint64 unknown = 0;
    QString error;
    QList<QPair<QString, QJsonValue>> extra;
};

int reportTransfer(CtlRun &run, const TransferOutcome &o, const QString &summary)
{
    run.endProgress();
    if (!o.error.isEmpty())
        run.printError(o.command, o.error);
    run.err() << "weirctl " << o.command << ": " << summary;
    if (run.interrupted())
        run.err() << "; stopped by Ctrl-C";
    run.err() << '\n';
    run.err().flush();
    {
        std::unique_ptr<RecordWriter> writer = run.makeWriter(QStringLiteral("weirctl.report"), 1);
        writer->field(QStringLiteral("command"), o.command);
        writer->field(QStringLiteral("total"), o.total);
        writer->field(QStringLiteral("done"), o.done);
        writer->field(QStringLiteral("not_done"), o.notDone);
        writer->field(QStringLiteral("failed"), 0);
        writer->field(QStringLiteral("unknown"), o.unknown);
        writer->field(QStringLiteral("first_phase_only"), 0);
        writer->field(QStringLiteral("affected"), o.done);
        writer->field(QStringLiteral("verified"), 0);
        writer->field(QStringLiteral("interrupted"), run.interrupted());
        writer->field(QStringLiteral("error"), o.error.isEmpty() ? QJsonValue() : o.error);
        for (const auto &[key, value] : o.extra)
            writer->field(key, value);
    }
    if (run.interrupted())
        return CtlExit::Interrupted;
    return o.error.isEmpty() && o.notDone == 0 && o.unknown == 0 ? CtlExit::Ok : CtlExit::Failed;
}

// ---- export

class ExportCommand : public CtlCommand
{
public:
    Spec spec() const override
    {
        Spec s;
        s.name = QStringLiteral("export");
        s.arguments = QStringLiteral("STREAM FILE");
        s.summary = QStringLiteral("Write a stream's entries to a file (Weir's JSON Lines export)");
        s.description = QStringLiteral(
            "Writes the entries of STREAM, oldest first, to FILE in the format Weir's Export\n"
            "dialog writes and `weirctl import` and Weir's Import dialog read: one JSON object a\n"
            "line, {\"id\": \"<ms>-<seq>\", \"fields\": [[name, value], ...]}, a name or value\n"
            "that is not UTF-8 as {\"base64\": \"...\"}. The file is written under a temporary\n"
            "name and put in place only when complete: an export that fails or is stopped with\n"
            "Ctrl-C leaves no partial file, and an existing FILE as it was. Reads only; an\n"
            "existing FILE is replaced only with --force.\n\n"
            "Prints a weirctl.report document (command \"export\"; file, bytes, first_id,\n"
            "last_id besides the counts).");
        s.examples = {QStringLiteral("weirctl export orders orders-backup.jsonl"),
                      QStringLiteral("weirctl export orders last-hour.jsonl --from -1h"),
                      QStringLiteral("weirctl export orders first.jsonl --count 1000 --force")};
        return s;
    }

    QList<QCommandLineOption> options() const override { return {m_from, m_to, m_count, m_force}; }

    QString configure(const QCommandLineParser &parsed, const QStringList &arguments) override
    {
        if (arguments.size() != 2)
            return QStringLiteral("give the stream and the file: export STREAM FILE");
        m_selection.key = arguments.at(0).toUtf8();
        m_path = arguments.at(1);
        QString error;
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        if (!CtlArguments::rangeBoundOption(parsed, m_from, false, now, &m_selection.start, &error)
            || !CtlArguments::rangeBoundOption(parsed, m_to, true, now, &m_selection.end, &error)
            || !CtlArguments::numberOption(parsed, m_count, 1, &m_selection.count, &error))
            return error;
        m_overwrite = parsed.isSet(m_force);
        return StreamExport::validate(m_selection);
    }

    void run(CtlRun &run) override
    {
        if (QFileInfo::exists(m_path) && !m_overwrite) {
            run.printError(QStringLiteral("export"),
                           QStringLiteral("%1 exists already; give --force to replace it")
                               .arg(QDir::toNativeSeparators(m_path)));
            run.finish(CtlExit::Refused);
            return;
        }
        m_run = &run;
        run.handleInterrupts();
        QObject::connect(&run, &CtlRun::interruptRequested, &m_exporter, &StreamExporter::cancel);
        QObject::connect(&m_exporter, &StreamExporter::progress, &run,
                         [this, &run](qint64 written, qint64 total) {
            m_total = total;
            if (total > 0)
                run.progress(QStringLiteral("export: %1 ").arg(written)
                                 + QCoreApplication::translate("weirctl", "of %n entries written",
                                                               nullptr, int(total))
                                 + QStringLiteral(" (%1%)").arg(100 * written / total),
                             double(written) / double(total));
            else
                run.progress(QStringLiteral("export: ")
                             + QCoreApplication::translate("weirctl", "%n entries written", nullptr,
                                                           int(written)));
        });
        QObject::connect(&m_exporter, &StreamExporter::finished, &run,
                         [this](const StreamExporter::Result &r) { onFinished(r); });
        m_exporter.start(run.connection(), m_selection, m_path);
    }

private:
    void onFinished(const StreamExporter::Result &r)
    {
        // The first and last ids written, from the file itself (its first and last line).
        QJsonValue firstId, lastId;
        if (r.ok() && r.entries > 0) {
            QFile file(r.path);
            if (file.open(QIODevice::ReadOnly)) {
                StreamEntry entry;
                if (StreamExport::decodeLine(file.readLine().trimmed(), &entry).isEmpty())
                    firstId = entry.id.toString();
                const qint64 tail = qMin<qint64>(file.size(), 1 << 20);
                file.seek(file.size() - tail);
                const QList<QByteArray> lines = file.read(tail).trimmed().split('\n');
                if (StreamExport::decodeLine(lines.constLast(), &entry).isEmpty())
                    lastId = entry.id.toString();
            }
        }
        TransferOutcome o;
        o.command = QStringLiteral("export");
        o.done = r.ok() ? r.entries : 0;
        // Stopped half-way: the entries the exporter knew were to come (the stream's length,
        // the count), when it knew them.
        o.total = r.ok() ? r.entries + r.missing : qMax(m_total, r.entries + r.missing);
        o.notDone = o.total - o.done;
        o.error = r.error;
        o.extra = {{QStringLiteral("stream"), text(m_selection.key)},
                   {QStringLiteral("file"), QFileInfo(m_path).absoluteFilePath()},
                   {QStringLiteral("bytes"), r.ok() ? r.bytes : 0},
                   {QStringLiteral("first_id"), firstId},
                   {QStringLiteral("last_id"), lastId}};
        QString summary;
        if (r.ok())
            summary = QCoreApplication::translate("weirctl", "%n entries", nullptr, int(r.entries))
                      + QStringLiteral(" of %1 written to %2 (%3 bytes)")
                            .arg(text(m_selection.key), QDir::toNativeSeparators(m_path))
                            .arg(r.bytes);
        else
            summary =
                QStringLiteral("nothing written: ")
                + QCoreApplication::translate("weirctl", "%n entries read", nullptr, int(r.entries))
                + QStringLiteral(", no file left behind%1")
                      .arg(QFileInfo::exists(m_path)
                               ? QStringLiteral(" (%1 is as it was)").arg(m_path)
                               : QString());
        m_run->finish(reportTransfer(*m_run, o, summary));
    }

    const QCommandLineOption m_from{QStringLiteral("from"),
                                    QStringLiteral("First entry (default -, the oldest): an id, "
                                                   "a time (ISO 8601) or -15m; included."),
                                    QStringLiteral("id")};
    const QCommandLineOption m_to{QStringLiteral("to"),
                                  QStringLiteral("Last entry (default +, the newest); "
                                                 "included."),
                                  QStringLiteral("id")};
    const QCommandLineOption m_count{QStringLiteral("count"),
                                     QStringLiteral("At most this many entries (from the first)."),
                                     QStringLiteral("n")};
    const QCommandLineOption m_force{QStringLiteral("force"),
                                     QStringLiteral("Replace FILE if it exists.")};
    StreamExport::Selection m_selection;
    QString m_path;
    bool m_overwrite = false;
    qint64 m_total = 0; // as the exporter's progress last said
    CtlRun *m_run = nullptr;
    StreamExporter m_exporter;
};

// ---- import

class ImportCommand : public CtlCommand
{
public:
    Spec spec() const override
    {
        Spec s;
        s.name = QStringLiteral("import");
        s.arguments = QStringLiteral("FILE --to STREAM");
        s.summary = QStringLiteral("Add the entries of an export file to a stream");
        s.description = QStringLiteral(
            "Reads FILE (Weir's export format, as `weirctl export` and Weir's Export dialog\n"
            "write it), checks every line, then adds each entry to STREAM with one XADD, in\n"
            "MULTI/EXEC chunks of 500 (a chunk goes in whole or not at all). By default the\n"
            "entries keep the file's ids, so an export imported into a new stream gives the\n"
            "same ids and fields: this needs the file's ids in order and its first id greater\n"
            "than STREAM's last; otherwise nothing is written. --new-ids lets Redis give new\n"
            "ids instead. Ctrl-C stops after the chunks under way; the report says how many\n"
            "went in.\n\n"
            "Prints a weirctl.report document (command \"import\"; stream, file, first_id,\n"
            "last_id of the entries added, error_line besides the counts). --dry-run prints\n"
            "every XADD on stdout as redis-cli takes them and writes nothing.");
        s.examples = {QStringLiteral("weirctl import orders-backup.jsonl --to orders-restored"),
                      QStringLiteral("weirctl import orders-backup.jsonl --to orders --new-ids "
                                     "--yes"),
                      QStringLiteral("weirctl import orders-backup.jsonl --to orders --dry-run")};
        s.writes = true;
        return s;
    }

    QList<QCommandLineOption> options() const override { return {m_to, m_newIds}; }

    QString configure(const QCommandLineParser &parsed, const QStringList &arguments) override
    {
        if (arguments.size() != 1)
            return QStringLiteral("give one file: import FILE --to STREAM");
        m_options.path = arguments.first();
        if (!parsed.isSet(m_to) || parsed.value(m_to).isEmpty())
            return QStringLiteral("name the stream to import into with --to STREAM (an export "
                                  "file holds entries, not the stream's name)");
        m_options.key = parsed.value(m_to).toUtf8();
        m_options.originalIds = !parsed.isSet(m_newIds);
        if (!QFileInfo::exists(m_options.path))
            return QStringLiteral("there is no file %1").arg(m_options.path);
        return {};
    }

    void run(CtlRun &run) override
    {
        m_run = &run;
        QObject::connect(&m_scanner, &StreamFileScanner::finished, &run,
                         [this](const StreamFileScanner::Summary &s) { onScanned(s); });
        m_scanner.start(m_options.path);
    }

private:
    void onScanned(const StreamFileScanner::Summary &s)
    {
        if (!s.ok()) {
            m_run->fail(QStringLiteral("import: %1").arg(m_options.path),
                        s.badLine > 0 ? QStringLiteral("line %1: %2").arg(s.badLine).arg(s.error)
                                      : s.error);
            return;
        }
        m_summary = s;
        if (!m_options.originalIds || s.entries == 0) {
            confirm();
            return;
        }
        if (s.unorderedLine > 0) {
            m_run->printError(QStringLiteral("import"),
                              QStringLiteral("line %1 of %2: its id is not greater than the one "
                                             "before it, so the file's ids cannot all go in; "
                                             "import with --new-ids")
                                  .arg(s.unorderedLine)
                                  .arg(m_options.path));
            m_run->finish(CtlExit::Failed);
            return;
        }
        StreamExport::readLastId(m_run->connection(), m_options.key, m_run,
                                 [this](std::optional<StreamId> lastId, const QString &error) {
            if (!lastId) {
                m_run->fail(
                    QStringLiteral("cannot read the last id of %1").arg(text(m_options.key)),
                    error);
                return;
            }
            if (!(*lastId < *m_summary.firstId)) {
                m_run->printError(
                    QStringLiteral("import"),
                    QStringLiteral("the file's first id, %1, is not greater than the last id of "
                                   "%2, %3: Redis only adds entries with greater ids. Import "
                                   "with --new-ids, or into another stream")
                        .arg(m_summary.firstId->toString(), text(m_options.key),
                             lastId->toString()));
                m_run->finish(CtlExit::Failed);
                return;
            }
            confirm();
        });
    }

    void confirm()
    {
        const StreamImporter::Options o = m_options;
        QString plan =
            QStringLiteral("Add ")
            + QCoreApplication::translate("weirctl", "%n entries", nullptr, int(m_summary.entries))
            + QStringLiteral(" from %1 to the stream %2, %3")
                  .arg(QDir::toNativeSeparators(o.path), text(o.key),
                       o.originalIds ? QStringLiteral("with the file's ids")
                                     : QStringLiteral("with "
                                                      "new "
                                                      "ids"));
        if (m_summary.firstId)
            plan += QStringLiteral(" (the file's %1 … %2)")
                        .arg(m_summary.firstId->toString(), m_summary.lastId->toString());
        plan +=
            QStringLiteral(
                ".\nOne XADD a line, in MULTI/EXEC chunks of %1 (each goes in whole or not at "
                "all), up to ")
                .arg(o.perChunk)
            + QCoreApplication::translate("weirctl", "%n chunks at once", nullptr, int(o.window))
            + QStringLiteral("; a chunk that fails stops the import.");
        if (!m_run->confirmWrite(plan)) {
            if (m_run->dryRun())
                printDryRun();
            m_run->finishRefused();
            return;
        }
        m_run->handleInterrupts();
        QObject::connect(m_run, &CtlRun::interruptRequested, &m_importer, &StreamImporter::cancel);
        const qint64 total = m_summary.entries;
        QObject::connect(&m_importer, &StreamImporter::progress, m_run,
                         [this, total](qint64 added, qint64) {
            if (total > 0)
                m_run->progress(QStringLiteral("import: %1 ").arg(added)
                                    + QCoreApplication::translate("weirctl", "of %n entries added",
                                                                  nullptr, int(total))
                                    + QStringLiteral(" (%1%)").arg(100 * added / total),
                                double(added) / double(total));
        });
        QObject::connect(&m_importer, &StreamImporter::finished, m_run,
                         [this](const StreamImporter::Result &r) { onImported(r); });
        if (m_run->interrupted()) { // Ctrl-C came while the question was open
            onImported(StreamImporter::Result{0, total, 0, {}, {}, true, {}, 0});
            return;
        }
        m_importer.start(m_run->connection(), o);
    }

    // Every XADD the import would send, as redis-cli takes them (as the bulk writes' dry
    // runs print theirs), read from the file as the importer reads it.
    void printDryRun()
    {
        QFile file(m_options.path);
        if (!file.open(QIODevice::ReadOnly))
            return;
        while (!file.atEnd()) {
            const QByteArray line = file.readLine().trimmed();
            StreamEntry entry;
            if (line.isEmpty() || !StreamExport::decodeLine(line, &entry).isEmpty())
                continue;
            const BulkRunner::Chunk xadd{
                {StreamImporter::command(m_options.key, entry, m_options.originalIds)}, {}};
            m_run->out() << PendingActions::redisCliLines({xadd}, 1).constFirst() << '\n';
        }
        m_run->out().flush();
    }

    void onImported(const StreamImporter::Result &r)
    {
        TransferOutcome o;
        o.command = QStringLiteral("import");
        o.total = m_summary.entries;
        o.done = r.added;
        o.notDone = r.notAdded;
        o.unknown = r.unknown;
        o.error = r.error;
        o.extra = {{QStringLiteral("stream"), text(m_options.key)},
                   {QStringLiteral("file"), QFileInfo(m_options.path).absoluteFilePath()},
                   {QStringLiteral("original_ids"), m_options.originalIds},
                   {QStringLiteral("first_id"),
                    r.firstId.isEmpty() ? QJsonValue() : QJsonValue(text(r.firstId))},
                   {QStringLiteral("last_id"),
                    r.lastId.isEmpty() ? QJsonValue() : QJsonValue(text(r.lastId))},
                   {QStringLiteral("error_line"),
                    r.errorLine > 0 ? QJsonValue(r.errorLine) : QJsonValue()}};
        QString summary = QStringLiteral("%1 ").arg(r.added)
                          + QCoreApplication::translate("weirctl", "of %n entries added", nullptr,
                                                        int(m_summary.entries))
                          + QStringLiteral(" to %1").arg(text(m_options.key));
        if (r.added > 0)
            summary += QStringLiteral(", ids %1 … %2").arg(text(r.firstId), text(r.lastId));
        if (r.notAdded > 0)
            summary += QStringLiteral("; %1 not added").arg(r.notAdded);
        if (r.unknown > 0)
            summary += QStringLiteral("; %1 unknown (sent when the connection failed: look at the "
                                      "stream before importing again)")
                           .arg(r.unknown);
        if (r.errorLine > 0)
            summary += QStringLiteral("; the file is at fault on line %1").arg(r.errorLine);
        m_run->finish(reportTransfer(*m_run, o, summary));
    }

    const QCommandLineOption m_to{QStringLiteral("to"),
                                  QStringLiteral("The stream to add the entries to."),
                                  QStringLiteral("stream")};
    const QCommandLineOption m_newIds{QStringLiteral("new-ids"),
                                      QStringLiteral("Let Redis give new ids (default: keep "
                                                     "the file's).")};
    StreamImporter::Options m_options;
    StreamFileScanner::Summary m_summary;
    CtlRun *m_run = nullptr;
    StreamFileScanner m_scanner;
    StreamImporter m_importer;
};

} // namespace

std::unique_ptr<CtlCommand> makeExportCommand()
{
    return std::make_unique<ExportCommand>();
}

std::unique_ptr<CtlCommand> makeImportCommand()
{
    return std::make_unique<ImportCommand>();
}
