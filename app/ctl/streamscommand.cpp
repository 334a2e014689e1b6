// weirctl streams [--match PATTERN]: the overview of every stream, as the dashboard lists
// them, printed as the scan goes.

#include "streamscommand.h"

#include "ctlcommand.h"
#include "ctlrun.h"
#include "streamoverview.h"

#include <QCommandLineParser>
#include <QJsonObject>

// movecommand.cpp: the conventions of the saved connection --profile names, else defaults.
DeadLetterConventions ctlDeadLetterConventions(CtlRun &run, const QString &profile);

QCommandLineOption CtlDeadLetters::patternOption()
{
    return QCommandLineOption(
        QStringLiteral("dead-letter-pattern"),
        QStringLiteral("How dead-letter streams are named, {stream} standing for the source's "
                       "key (repeat for several, tried in order). Default: the patterns of the "
                       "--profile, else {stream}:dlq, {stream}.dlq, {stream}:dead, "
                       "dlq:{stream}, {stream}_dlq."),
        QStringLiteral("pattern"));
}

QStringList CtlDeadLetters::patterns(const QCommandLineParser &parsed, QString *error)
{
    const QStringList given = parsed.values(patternOption());
    for (const QString &pattern : given) {
        const QString problem = DeadLetterConventions::patternProblem(pattern);
        if (!problem.isEmpty()) {
            *error = QStringLiteral("--dead-letter-pattern %1: %2").arg(pattern, problem);
            return {};
        }
    }
    return given;
}

DeadLetterConventions CtlDeadLetters::conventions(CtlRun &run, const QString &profile,
                                                  const QStringList &patterns)
{
    DeadLetterConventions conventions = ctlDeadLetterConventions(run, profile);
    if (!patterns.isEmpty())
        conventions.patterns = patterns;
    return conventions;
}

namespace {

QJsonValue orNull(const std::optional<qint64> &value)
{
    return value ? QJsonValue(*value) : QJsonValue(QJsonValue::Null);
}

QJsonValue keyOrNull(const QByteArray &key)
{
    return key.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(QString::fromUtf8(key));
}

QJsonValue idOrNull(const std::optional<StreamId> &id)
{
    return id ? QJsonValue(id->toString()) : QJsonValue(QJsonValue::Null);
}

class StreamsCommand : public CtlCommand
{
public:
    Spec spec() const override
    {
        Spec s;
        s.name = QStringLiteral("streams");
        s.summary = QStringLiteral("Every stream: length, groups, pending, lag, dead letters.");
        s.description = QStringLiteral(
            "The overview of Weir's dashboard, one row per stream, printed as the scan goes\n"
            "(SCAN ... TYPE stream, on every master of a cluster): length, consumer groups,\n"
            "pending entries over all groups, max_lag (the highest lag over the groups, as\n"
            "XINFO GROUPS reports it), time_lag (seconds: the age of the oldest entry not yet\n"
            "delivered to the slowest group), dead_letters (the length of the stream's\n"
            "dead-letter stream, paired by the connection's dead-letter patterns), the first\n"
            "and last ids and when the last entry was added (UTC, from its id).\n\n"
            "max_lag is null, and lag_unknown_reason says why, when there is no group, when\n"
            "Redis cannot tell the lag of a group (nil: entries deleted after its position, or\n"
            "a position set to an arbitrary id), and before Redis 7.0, which has no lag.");
        s.examples = {
            QStringLiteral("weirctl streams"),
            QStringLiteral("weirctl streams --match 'orders:*' --format csv > streams.csv"),
            QStringLiteral("weirctl -u redis://queue-host:6379 streams --format json | jq -c "
                           "'.streams[] | select(.max_lag > 1000) | {name, max_lag}'")};
        return s;
    }

    QList<QCommandLineOption> options() const override
    {
        return {m_match, CtlDeadLetters::patternOption()};
    }

    QString configure(const QCommandLineParser &parsed, const QStringList &arguments) override
    {
        if (!arguments.isEmpty())
            return QStringLiteral("no arguments expected (a pattern goes with --match)");
        m_pattern = parsed.value(m_match).toUtf8();
        QString error;
        m_patterns = CtlDeadLetters::patterns(parsed, &error);
        m_profile = parsed.value(QStringLiteral("profile"));
        return error;
    }

    void run(CtlRun &run) override
    {
        m_writer = run.makeWriter(QStringLiteral("weirctl.streams"), 1);
        m_writer->beginTable(
            QStringLiteral("streams"),
            {{QStringLiteral("name"), QStringLiteral("STREAM")},
             {QStringLiteral("length"), QStringLiteral("LENGTH"), true},
             {QStringLiteral("groups"), QStringLiteral("GROUPS"), true},
             {QStringLiteral("pending"), QStringLiteral("PENDING"), true},
             {QStringLiteral("max_lag"), QStringLiteral("MAX LAG"), true},
             {QStringLiteral("time_lag"), QStringLiteral("TIME LAG S"), true},
             {QStringLiteral("dead_letters"), QStringLiteral("DEAD LETTERS"), true},
             {QStringLiteral("dead_letter_stream"), QStringLiteral("DEAD-LETTER STREAM")},
             {QStringLiteral("dead_letter_of"), QStringLiteral("DEAD LETTERS OF")},
             {QStringLiteral("first_id"), QStringLiteral("FIRST ID")},
             {QStringLiteral("last_id"), QStringLiteral("LAST ID")},
             {QStringLiteral("last_entry_time"), QStringLiteral("LAST ENTRY (UTC)")},
             {QStringLiteral("lag_unknown_reason"), QStringLiteral("NO LAG BECAUSE")}});
        m_overview = std::make_unique<StreamOverview>(run.connection());
        m_overview->setMatch(m_pattern);
        m_overview->setDeadLetterConventions(
            CtlDeadLetters::conventions(run, m_profile, m_patterns));
        QObject::connect(m_overview.get(), &StreamOverview::rowsReady, m_overview.get(),
                         [this, &run](const QList<StreamOverviewRow> &rows) {
            for (const StreamOverviewRow &row : rows)
                print(run, row);
            if (CtlRun::stderrIsTerminal())
                run.progress(QStringLiteral("%1 streams listed").arg(m_overview->rowsHandedOn()));
        });
        QObject::connect(m_overview.get(), &StreamOverview::finished, m_overview.get(),
                         [this, &run](const QString &error) {
            m_writer->finish();
            if (!error.isEmpty()) {
                run.fail(QStringLiteral("listing streams"), error);
                return;
            }
            run.finish(m_failedRows ? CtlExit::Failed : CtlExit::Ok);
        });
        m_overview->start();
    }

private:
    void print(CtlRun &run, const StreamOverviewRow &row)
    {
        switch (row.status) {
        case StreamReadStatus::Ok:
            break;
        case StreamReadStatus::Gone:
        case StreamReadStatus::NotStream:
            return; // no longer a stream: not one to list
        case StreamReadStatus::Error:
            ++m_failedRows;
            run.printError(QStringLiteral("XINFO of %1").arg(QString::fromUtf8(row.key)),
                           row.error);
            return;
        }
        const StreamFigures &f = row.figures;
        const bool lagKnown = row.lag == LagKnowledge::Known;
        QJsonObject r{
            {QStringLiteral("name"), QString::fromUtf8(row.key)},
            {QStringLiteral("length"), f.length},
            {QStringLiteral("groups"), f.groups},
            {QStringLiteral("pending"), f.pending},
            {QStringLiteral("max_lag"), lagKnown ? QJsonValue(f.maxLag) : QJsonValue()},
            {QStringLiteral("lag_unknown_reason"),
             lagKnown ? QJsonValue() : QJsonValue(row.lagUnknownReason)},
            {QStringLiteral("time_lag"),
             row.timeLagMs ? QJsonValue(double(*row.timeLagMs) / 1000.0) : QJsonValue()},
            {QStringLiteral("dead_letters"), orNull(row.deadLetters)},
            {QStringLiteral("dead_letter_stream"), keyOrNull(row.deadLetterStream)},
            {QStringLiteral("dead_letter_of"), keyOrNull(row.deadLetterOf)},
            {QStringLiteral("first_id"), idOrNull(f.firstId)},
            {QStringLiteral("last_id"), idOrNull(f.lastId)},
            {QStringLiteral("last_entry_time"),
             f.lastId ? QJsonValue(f.lastId->time().toString(Qt::ISODateWithMs)) : QJsonValue()},
        };
        m_writer->row(r);
    }

    QCommandLineOption m_match{QStringLiteral("match"),
                               QStringLiteral("Only streams whose key matches <pattern> (a glob, "
                                              "as SCAN's MATCH takes it)."),
                               QStringLiteral("pattern")};
    QByteArray m_pattern;
    QStringList m_patterns;
    QString m_profile;
    std::unique_ptr<RecordWriter> m_writer;
    std::unique_ptr<StreamOverview> m_overview;
    int m_failedRows = 0;
};

} // namespace

std::unique_ptr<CtlCommand> makeStreamsCommand()
{
    return std::make_unique<StreamsCommand>();
}
