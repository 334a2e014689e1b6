// weirctl streams [--match PATTERN]: the overview of every stream, as the dashboard lists
// them, printed as the scan goes.

#include "streamscommand.h"

#include "ctlcommand.h"
#include "ctlrun.h"
#include "ctlsettings.h"
#include "streamoverview.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDate>
#include <QDateTime>

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
    QStringList given = parsed.values(patternOption());
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

// "2026-12-07T09:03:22.123Z": the time an id was generated, in UTC. Written digit by digit:
// QDateTime::toString() was a tenth of weirctl's time over 100,000 streams.
QString isoUtc(quint64 ms)
{
    const auto days = qint64(ms / 86'400'000);
    const auto inDay = int(ms % 86'400'000);
    int year = 0, month = 0, day = 0;
    QDate(1970, 1, 1).addDays(days).getDate(&year, &month, &day);
    if (year < 1970 || year > 9999) // an id set by hand far out: QDateTime says it as it can
        return QDateTime::fromMSecsSinceEpoch(qint64(ms), Qt::UTC).toString(Qt::ISODateWithMs);
    char text[32];
    char *p = text;
    const auto put = [&p](int value, int digits) {
        for (int i = digits - 1; i >= 0; --i) {
            p[i] = char('0' + value % 10);
            value /= 10;
        }
        p += digits;
    };
    put(year, 4);
    *p++ = '-';
    put(month, 2);
    *p++ = '-';
    put(day, 2);
    *p++ = 'T';
    put(inDay / 3'600'000, 2);
    *p++ = ':';
    put(inDay / 60'000 % 60, 2);
    *p++ = ':';
    put(inDay / 1000 % 60, 2);
    *p++ = '.';
    put(inDay % 1000, 3);
    *p++ = 'Z';
    return QString::fromLatin1(text, p - text);
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
            "XINFO GROUPS reports it), time_lag_ms (the age of the oldest entry not yet\n"
            "delivered to the slowest group), dead_letters (the length of the stream's\n"
            "dead-letter stream, paired by the connection's dead-letter patterns), the first\n"
            "and last ids and when the last entry was added (UTC, from its id).\n\n"
            "max_lag is null without a group, and also, with lag_unknown_reason saying why,\n"
            "when Redis cannot tell the lag of a group (nil: entries deleted after its\n"
            "position, or a position set to an arbitrary id) and before Redis 7.0, which has\n"
            "no lag.");
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
             {QStringLiteral("time_lag_ms"), QStringLiteral("TIME LAG MS"), true},
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
            m_writer->holdFlush(true);
            for (const StreamOverviewRow &row : rows)
                print(run, row);
            m_writer->holdFlush(false);
            // On a terminal the rows themselves show the scan going on; progress there
            // would land in the middle of the table.
            if (CtlRun::stderrIsTerminal() && !CtlRun::stdoutIsTerminal())
                run.progress(QCoreApplication::translate("weirctl", "%n streams listed", nullptr,
                                                         int(m_overview->rowsHandedOn())));
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
        // In the order of the columns (run()).
        m_writer->rowInOrder({
            QString::fromUtf8(row.key),
            f.length,
            f.groups,
            f.pending,
            row.lag == LagKnowledge::Known ? QJsonValue(f.maxLag) : QJsonValue(),
            orNull(row.timeLagMs),
            orNull(row.deadLetters),
            keyOrNull(row.deadLetterStream),
            keyOrNull(row.deadLetterOf),
            idOrNull(f.firstId),
            idOrNull(f.lastId),
            f.lastId ? QJsonValue(isoUtc(f.lastId->ms)) : QJsonValue(),
            row.lagUnknownReason.isEmpty() ? QJsonValue() : QJsonValue(row.lagUnknownReason),
        });
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
