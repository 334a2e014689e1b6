// weirctl check: the queues against thresholds, as a Nagios/Icinga plugin.

#include "alertrules.h"
#include "ctlcommand.h"
#include "ctlrun.h"
#include "ctlsettings.h"
#include "deadletters.h"
#include "keyformat.h"
#include "profilestate.h"
#include "redisconnection.h"
#include "replyguard.h"
#include "streammonitor.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDateTime>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSettings>
#include <QTimer>

#include <algorithm>
#include <climits>
#include <cmath>
#include <optional>
#include <tuple>

namespace {

// What check compares. Each has a flag; four are also alert rules of Weir's preferences.
enum class Check : quint8 { Lag, TimeLag, Pending, Length, DeadLetters, Idle };
constexpr int CheckCount = 6;

struct CheckInfo
{
    const char *option; // the flag, without "--"
    const char *metric; // JSON "metric"
    const char *label;  // perfdata label: the largest value over the streams or groups
    const char *words;  // in the text lines
    const char *uom;    // perfdata unit ("s" or none)
    bool wholeNumber;
    std::optional<AlertRule> rule;
};

const CheckInfo &info(Check check)
{
    static const CheckInfo infos[CheckCount] = {
        {"max-lag", "lag", "max_lag", "lag", "", true, AlertRule::Backlog},
        {"max-time-lag", "time_lag", "max_time_lag", "time lag", "s", false, AlertRule::TimeLag},
        {"max-pending", "pending", "max_pending", "pending", "", true, std::nullopt},
        {"max-length", "length", "max_length", "length", "", true, std::nullopt},
        {"max-dead-letters", "dead_letters", "max_dead_letters", "dead letters", "", true,
         AlertRule::DeadLetter},
        {"max-idle", "idle", "max_idle", "idle (holding pending entries)", "s", false,
         AlertRule::IdleConsumer},
    };
    return infos[int(check)];
}

// Thresholds in the plugin's sense: a value above `warning` is a WARNING, above
// `critical` CRITICAL (so 0 means "any").
struct Limits
{
    std::optional<double> warning;
    std::optional<double> critical;
    bool isSet() const { return warning || critical; }
};

enum class Status : quint8 { Ok, Warning, Critical, Unknown };

const char *statusWord(Status s)
{
    switch (s) {
    case Status::Ok:
        return "OK";
    case Status::Warning:
        return "WARNING";
    case Status::Critical:
        return "CRITICAL";
    case Status::Unknown:
        return "UNKNOWN";
    }
    return "UNKNOWN";
}

int exitCode(Status s)
{
    switch (s) {
    case Status::Ok:
        return CtlExit::Ok;
    case Status::Warning:
        return CtlExit::Warning;
    case Status::Critical:
        return CtlExit::Critical;
    case Status::Unknown:
        return CtlExit::Unknown;
    }
    return CtlExit::Unknown;
}

// A number as plugins print it: no exponent, no group separators, at most 3 decimals.
QString num(double value)
{
    if (std::abs(value - std::round(value)) < 1e-9 && std::abs(value) < 9e15)
        return QString::number(qint64(std::llround(value)));
    QString text = QString::number(value, 'f', 3);
    while (text.endsWith(QLatin1Char('0')))
        text.chop(1);
    if (text.endsWith(QLatin1Char('.')))
        text.chop(1);
    return text;
}

QJsonValue jsonNumber(const std::optional<double> &value)
{
    return value ? QJsonValue(*value) : QJsonValue(QJsonValue::Null);
}

// "WARN:CRIT", "CRIT" or "WARN:" as the flags take them.
std::optional<Limits> parseLimits(Check check, const QString &text, QString *why)
{
    const QStringList parts = text.split(QLatin1Char(':'));
    if (parts.size() > 2) {
        *why = QStringLiteral("--%1: give CRIT or WARN:CRIT, not \"%2\"")
                   .arg(QLatin1String(info(check).option), text);
        return std::nullopt;
    }
    auto parse = [&](const QString &part) -> std::optional<double> {
        bool ok = false;
        const double v = part.trimmed().toDouble(&ok);
        if (!ok || !std::isfinite(v) || v < 0
            || (info(check).wholeNumber && std::abs(v - std::round(v)) > 1e-9)) {
            *why = QStringLiteral("--%1: \"%2\" is not %3")
                       .arg(QLatin1String(info(check).option), part,
                            info(check).wholeNumber ? QStringLiteral("a whole number of 0 or more")
                                                    : QStringLiteral("a number of 0 or more"));
            return std::nullopt;
        }
        return v;
    };
    Limits limits;
    if (parts.size() == 1) {
        limits.critical = parse(parts[0]);
        if (!limits.critical)
            return std::nullopt;
        return limits;
    }
    limits.warning = parse(parts[0]);
    if (!limits.warning)
        return std::nullopt;
    if (!parts[1].trimmed().isEmpty()) {
        limits.critical = parse(parts[1]);
        if (!limits.critical)
            return std::nullopt;
        if (*limits.critical < *limits.warning) {
            *why = QStringLiteral("--%1: the warning threshold (%2) is above the critical one "
                                  "(%3)")
                       .arg(QLatin1String(info(check).option), parts[0], parts[1]);
            return std::nullopt;
        }
    }
    return limits;
}

// A glob as SCAN MATCH takes it (*, ?, [abc], [^a-c] or [!a-c], a backslash before a
// character taken as it is), for the keys a scan found: the dead-letter streams are paired over
// every key, so the pattern narrows afterwards.
QRegularExpression globPattern(const QString &glob)
{
    QString re = QStringLiteral("\\A");
    for (qsizetype i = 0; i < glob.size(); ++i) {
        const QChar c = glob.at(i);
        if (c == QLatin1Char('*')) {
            re += QStringLiteral(".*");
        } else if (c == QLatin1Char('?')) {
            re += QLatin1Char('.');
        } else if (c == QLatin1Char('\\') && i + 1 < glob.size()) {
            re += QRegularExpression::escape(glob.at(++i));
        } else if (c == QLatin1Char('[') && glob.indexOf(QLatin1Char(']'), i + 1) > i + 1) {
            const qsizetype close = glob.indexOf(QLatin1Char(']'), i + 1);
            QString set = glob.mid(i + 1, close - i - 1);
            const bool negated =
                set.startsWith(QLatin1Char('^')) || set.startsWith(QLatin1Char('!'));
            if (negated)
                set.remove(0, 1);
            set.replace(QLatin1Char('\\'), QStringLiteral("\\\\"));
            set.replace(QLatin1Char('['), QStringLiteral("\\["));
            re += QLatin1Char('[') + (negated ? QStringLiteral("^") : QString()) + set
                  + QLatin1Char(']');
            i = close;
        } else {
            re += QRegularExpression::escape(c);
        }
    }
    return QRegularExpression(re + QStringLiteral("\\z"),
                              QRegularExpression::DotMatchesEverythingOption);
}

// One figure beyond its threshold, or a lag Redis could not tell.
struct Breach
{
    Status severity = Status::Warning; // Warning or Critical; Ok for an unknown lag
    bool lagUnknown = false;
    Check check = Check::Lag;
    QByteArray stream, group, consumer;
    std::optional<double> value;    // in the check's unit (seconds for times)
    std::optional<double> limit;    // the threshold crossed
    Limits limits;                  // both thresholds in force there
    std::optional<double> estimate; // unknown lag: what Weir estimates
    QString reason;                 // unknown lag: why Redis cannot tell

    QString where() const { return alertPlace(stream, group, consumer); }
    QString text() const
    {
        const QString uom = QLatin1String(info(check).uom);
        if (lagUnknown) {
            QString t = QStringLiteral("LAG UNKNOWN: %1: lag unknown, not checked against the "
                                       "lag threshold: %2")
                            .arg(where(), reason);
            if (estimate)
                t += QStringLiteral("; Weir estimates %1").arg(num(*estimate));
            return t;
        }
        return QStringLiteral("%1: %2: %3 %4%5 above the %6 threshold %7%5")
            .arg(QLatin1String(statusWord(severity)), where(), QLatin1String(info(check).words),
                 num(value.value_or(0)), uom,
                 severity == Status::Critical ? QStringLiteral("critical")
                                              : QStringLiteral("warning"),
                 num(limit.value_or(0)));
    }
    // What --watch compares: which figures breach, not by how much.
    auto identity() const
    {
        return std::make_tuple(int(severity), lagUnknown, int(check), stream, group, consumer);
    }
};

// One check's result.
struct Outcome
{
    Status status = Status::Ok;
    QString error; // UNKNOWN: why
    int streams = 0;
    int groups = 0;
    int lagUnknown = 0;
    std::optional<double> max[CheckCount]; // the largest value seen per check
    Limits globalLimits[CheckCount];       // for perfdata
    QList<Breach> breaches;                // most severe first

    QString summary() const
    {
        if (status == Status::Unknown)
            return error;
        QString text = QCoreApplication::translate("weirctl", "%n streams", nullptr, streams)
                       + QStringLiteral(", ")
                       + QCoreApplication::translate("weirctl", "%n groups", nullptr, groups);
        if (max[int(Check::Lag)])
            text += QStringLiteral(", max lag %1").arg(num(*max[int(Check::Lag)]));
        if (lagUnknown > 0)
            text += QStringLiteral(", %1 with lag unknown").arg(lagUnknown);
        int critical = 0, warning = 0;
        for (const Breach &b : breaches) {
            critical += !b.lagUnknown && b.severity == Status::Critical;
            warning += !b.lagUnknown && b.severity == Status::Warning;
        }
        if (critical + warning == 0)
            return text;
        const Breach &worst = breaches.first();
        QString head = QStringLiteral("%1 critical, %2 warning: %3 %4 %5%6")
                           .arg(critical)
                           .arg(warning)
                           .arg(worst.where(), QLatin1String(info(worst.check).words),
                                num(worst.value.value_or(0)), QLatin1String(info(worst.check).uom));
        return head + QStringLiteral("; ") + text;
    }
    QList<QPair<QString, QString>> perfdata() const
    {
        QList<QPair<QString, QString>> out;
        out.append({QStringLiteral("streams"), QString::number(streams)});
        out.append({QStringLiteral("groups"), QString::number(groups)});
        out.append({QStringLiteral("lag_unknown"), QString::number(lagUnknown)});
        for (int c = 0; c < CheckCount; ++c) {
            const CheckInfo &i = info(Check(c));
            const Limits &l = globalLimits[c];
            const QString value =
                max[c] ? num(*max[c]) + QLatin1String(i.uom) : QStringLiteral("U");
            out.append(
                {QLatin1String(i.label), QStringLiteral("%1;%2;%3;0")
                                             .arg(value, l.warning ? num(*l.warning) : QString(),
                                                  l.critical ? num(*l.critical) : QString())});
        }
        return out;
    }
    QString firstLine() const
    {
        QString line = QStringLiteral("WEIR %1 - %2")
                           .arg(QLatin1String(statusWord(status)),
                                summary().replace(QLatin1Char('|'), QLatin1Char('/')));
        if (status == Status::Unknown)
            return line;
        QStringList perf;
        for (const auto &p : perfdata())
            perf << p.first + QLatin1Char('=') + p.second;
        return line + QStringLiteral(" | ") + perf.join(QLatin1Char(' '));
    }
};

class CheckCommand : public CtlCommand
{
public:
    Spec spec() const override
    {
        Spec s;
        s.name = QStringLiteral("check");
        s.summary = QStringLiteral("Checks the queues against thresholds, as a Nagios/Icinga "
                                   "plugin (exit 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN).");
        s.description = QStringLiteral(
            "Reads every stream (SCAN ... TYPE stream) with Weir's monitor, pairs the dead-\n"
            "letter streams with their sources, and compares each figure with its thresholds:\n"
            "  lag           entries not yet delivered to a group (per group)\n"
            "  time lag      seconds since the oldest entry not yet delivered (per group)\n"
            "  pending       entries delivered but not acknowledged (per group)\n"
            "  length        entries in the stream (per stream)\n"
            "  dead letters  entries in the stream's dead-letter stream (per stream)\n"
            "  idle          seconds a consumer holding pending entries has been idle\n\n"
            "Thresholds, in this order of precedence:\n"
            "  - the flags below: only the figures flagged are checked. Each takes CRIT or\n"
            "    WARN:CRIT (or WARN: for a warning only): WARNING when a figure is above WARN,\n"
            "    CRITICAL when above CRIT; so 0 means any. This is not Nagios' range syntax:\n"
            "    1000:5000 means warn above 1000, critical above 5000.\n"
            "  - --rules FILE: Weir's alert rules in an INI file, as below.\n"
            "  - the alert rules Weir's preferences keep for the connection --profile names\n"
            "    (in Weir's settings, or the --settings file); without --profile, Weir's\n"
            "    default rules: lag above 1000, time lag above 60 s, any dead letter, a\n"
            "    consumer idle above 300 s while it holds pending entries.\n"
            "A rule's threshold is the critical one (rules have no warning level); its\n"
            "overrides per stream and per group apply. The dead-letter rule counts the dead\n"
            "letters there are (a check has no baseline): threshold 1 means any.\n\n"
            "Rules file (--rules), the format Weir saves its rules in; missing keys take the\n"
            "defaults, rules are backlog, timeLag, deadLetter, idleConsumer:\n"
            "  [alerts]\n"
            "  backlog\\enabled=true\n"
            "  backlog\\threshold=1000\n"
            "  timeLag\\threshold=60\n"
            "  deadLetter\\threshold=1\n"
            "  idleConsumer\\enabled=false\n"
            "  overrides\\1\\stream=orders\n"
            "  overrides\\1\\group=billing\n"
            "  overrides\\1\\rule=backlog\n"
            "  overrides\\1\\threshold=5000\n"
            "  overrides\\size=1\n\n"
            "Lag: where Redis reports none (nil: entries deleted after a group's position, or\n"
            "a position set by hand; before Redis 7.0, never), the lag is unknown. It is not\n"
            "taken as 0 and does not breach the lag threshold; it is listed as \"LAG\n"
            "UNKNOWN\" with the reason and Weir's estimate, and counted in lag_unknown.\n\n"
            "Output (the plugin convention), first line:\n"
            "  WEIR <STATUS> - <summary> | <perfdata>\n"
            "perfdata: label=value[UOM];warn;crit;min, labels streams, groups, lag_unknown,\n"
            "max_lag, max_time_lag (s), max_pending, max_length, max_dead_letters, max_idle\n"
            "(s): the largest value over the streams or groups, U when none is known; warn\n"
            "and crit are the thresholds in force (empty when none). Then a line per breach,\n"
            "most severe first:\n"
            "  CRITICAL: <stream> › <group>: lag 6000 above the critical threshold 5000\n"
            "  LAG UNKNOWN: <stream> › <group>: lag unknown, not checked ...: <reason>\n"
            "UNKNOWN (exit 3): the connection failed, or Redis answered an error; the line\n"
            "says why. A '|' in the summary (in a Redis error) is printed as '/', as plugins\n"
            "must. The plugin text is printed on a terminal or not; --format json prints the\n"
            "same as one document (schema weirctl.check), --format csv as CSV.\n\n"
            "--watch SECONDS checks again every SECONDS and prints the result only when the\n"
            "status or the set of breaches changed (each first line then starts with the\n"
            "time; with --format json, one document a line). Ctrl-C ends it with the last\n"
            "status as the exit code.");
        s.examples = {
            QStringLiteral(
                "weirctl check --max-lag 1000:5000 --max-time-lag 60:300 --dead-letters"),
            QStringLiteral("weirctl --profile production check"),
            QStringLiteral("weirctl check --rules /etc/weir/alerts.ini --stream 'orders*'"),
            QStringLiteral("weirctl check --max-pending 100 --group billing --watch 10")};
        return s;
    }

    QList<QCommandLineOption> options() const override
    {
        QList<QCommandLineOption> list;
        list << QCommandLineOption(QStringLiteral("rules"),
                                   QStringLiteral("Read the thresholds from Weir's alert rules in "
                                                  "the INI <file> (format above)."),
                                   QStringLiteral("file"));
        const char *descriptions[CheckCount] = {
            "Lag of a group, in entries.",
            "Time lag of a group, in seconds.",
            "Pending entries of a group.",
            "Length of a stream, in entries.",
            "Dead letters of a stream.",
            "Idle time, in seconds, of a consumer holding pending entries.",
        };
        for (int c = 0; c < CheckCount; ++c)
            list << QCommandLineOption(QLatin1String(info(Check(c)).option),
                                       QLatin1String(descriptions[c]),
                                       QStringLiteral("[warn:]crit"));
        list << QCommandLineOption(QStringLiteral("dead-letters"),
                                   QStringLiteral("Any dead letter is CRITICAL (as "
                                                  "--max-dead-letters 0)."));
        list << QCommandLineOption(QStringLiteral("stream"),
                                   QStringLiteral("Only the streams whose key matches the glob "
                                                  "<pattern> (*, ?, [abc], as SCAN MATCH)."),
                                   QStringLiteral("pattern"));
        list << QCommandLineOption(QStringLiteral("group"),
                                   QStringLiteral("Only the groups named <name>, and the streams "
                                                  "that have one."),
                                   QStringLiteral("name"));
        list << QCommandLineOption(QStringLiteral("watch"),
                                   QStringLiteral("Check every <seconds>, printing changes only, "
                                                  "until Ctrl-C."),
                                   QStringLiteral("seconds"));
        return list;
    }

    QString configure(const QCommandLineParser &parsed, const QStringList &arguments) override
    {
        if (!arguments.isEmpty())
            return QStringLiteral("no arguments, only options: %1")
                .arg(arguments.join(QLatin1Char(' ')));
        m_json = parsed.isSet(QStringLiteral("format"))
                 && parsed.value(QStringLiteral("format")) != QLatin1String("table");
        m_profile = parsed.isSet(QStringLiteral("profile"))
                        ? parsed.value(QStringLiteral("profile"))
                        : QString();
        for (int c = 0; c < CheckCount; ++c) {
            const QString option = QLatin1String(info(Check(c)).option);
            if (!parsed.isSet(option))
                continue;
            QString why;
            const auto limits = parseLimits(Check(c), parsed.value(option), &why);
            if (!limits)
                return why;
            m_flags[c] = *limits;
            m_fromFlags = true;
        }
        if (parsed.isSet(QStringLiteral("dead-letters"))) {
            if (m_flags[int(Check::DeadLetters)].isSet())
                return QStringLiteral("--dead-letters or --max-dead-letters, not both");
            m_flags[int(Check::DeadLetters)].critical = 0;
            m_fromFlags = true;
        }
        if (parsed.isSet(QStringLiteral("rules"))) {
            if (m_fromFlags)
                return QStringLiteral("--rules or threshold flags, not both");
            m_rulesFile = parsed.value(QStringLiteral("rules"));
            if (!QFileInfo(m_rulesFile).isReadable())
                return QStringLiteral("--rules: cannot read %1").arg(m_rulesFile);
            QSettings file(m_rulesFile, QSettings::IniFormat);
            if (file.status() != QSettings::NoError)
                return QStringLiteral("--rules: %1 is not an INI file").arg(m_rulesFile);
        }
        if (parsed.isSet(QStringLiteral("stream"))) {
            m_streamPattern = globPattern(parsed.value(QStringLiteral("stream")));
            if (!m_streamPattern.isValid())
                return QStringLiteral("--stream: not a pattern: %1")
                    .arg(parsed.value(QStringLiteral("stream")));
            m_streamPatternText = parsed.value(QStringLiteral("stream"));
        }
        if (parsed.isSet(QStringLiteral("group")))
            m_group = parsed.value(QStringLiteral("group")).toUtf8();
        if (parsed.isSet(QStringLiteral("watch"))) {
            bool ok = false;
            const double seconds = parsed.value(QStringLiteral("watch")).toDouble(&ok);
            if (!ok || !(seconds >= 0.2) || seconds > 86400)
                return QStringLiteral("--watch: a number of seconds from 0.2 to 86400, not %1")
                    .arg(parsed.value(QStringLiteral("watch")));
            m_watchMs = int(std::lround(seconds * 1000));
        }
        return {};
    }

    int connectionFailedExit() const override { return CtlExit::Unknown; }

    void connectionFailed(CtlRun &run, const QString &endpoint, const QString &error) override
    {
        Outcome outcome;
        outcome.status = Status::Unknown;
        outcome.error = QStringLiteral("cannot connect to %1: %2").arg(endpoint, error);
        print(run, outcome);
    }

    void run(CtlRun &run) override
    {
        m_run = &run;
        loadThresholds(run);
        m_monitor = new StreamMonitor(&run);
        m_monitor->setConnection(run.connection());
        // Every group's consumers in one round when idle consumers are checked (a check sees
        // them all at once); else as few as the monitor reads, which spares a large
        // keyspace an XINFO CONSUMERS and an XPENDING per group.
        m_monitor->setDetailGroupsPerTick(idleChecked() ? INT_MAX : 1);
        QObject::connect(m_monitor, &StreamMonitor::sampled, m_monitor,
                         [this](const MonitorFigures &figures) { onFigures(figures); });
        m_scan = new ReplyGuard(&run);
        if (m_watchMs > 0) {
            run.handleInterrupts();
            QObject::connect(&run, &CtlRun::interruptRequested, &run,
                             [this] { m_run->finish(exitCode(m_last.status)); });
            auto *timer = new QTimer(&run);
            timer->setInterval(m_watchMs);
            QObject::connect(timer, &QTimer::timeout, &run, [this] {
                if (!m_roundInFlight)
                    startRound();
            });
            timer->start();
        }
        startRound();
    }

private:
    void loadThresholds(CtlRun &run)
    {
        // The saved connection's dead-letter conventions pair the streams whatever the
        // thresholds come from.
        m_conventions = ctlDeadLetterConventions(run, m_profile);
        const QString profileId = ctlProfileId(run, m_profile);
        if (m_fromFlags) {
            for (int c = 0; c < CheckCount; ++c)
                m_globalLimits[c] = m_flags[c];
            return;
        }
        if (!m_rulesFile.isEmpty()) {
            QSettings file(m_rulesFile, QSettings::IniFormat);
            m_rules = AlertRules::load(file, QString());
        } else if (!profileId.isEmpty()) {
            m_rules = ProfileState(run.settings(), nullptr).alertRules(profileId);
        } else {
            m_rules = AlertRules::defaults();
        }
        for (int c = 0; c < CheckCount; ++c) {
            const auto rule = info(Check(c)).rule;
            if (rule && m_rules->globalEnabled(*rule))
                m_globalLimits[c].critical = alertRuleLimit(*rule, m_rules->globalThreshold(*rule));
        }
    }

    // The thresholds for one stream (group empty) or group.
    Limits limitsFor(Check check, const QByteArray &stream, const QByteArray &group) const
    {
        if (!m_rules)
            return m_flags[int(check)];
        const auto rule = info(check).rule;
        if (!rule || !m_rules->isEnabled(*rule, stream, group))
            return {};
        Limits l;
        l.critical = alertRuleLimit(*rule, m_rules->threshold(*rule, stream, group));
        return l;
    }

    void startRound()
    {
        m_roundInFlight = true;
        m_found.clear();
        RedisConnection *connection = m_run->connection();
        if (connection->state() != ConnectionState::Connected) {
            // Lost while watching: say so, and try again at the next round.
            endRound(
                unknown(QStringLiteral("not connected to %1: %2")
                            .arg(connection->options().endpoint(), connection->stateMessage())));
            if (connection->state() == ConnectionState::Failed
                || connection->state() == ConnectionState::Disconnected)
                connection->open(false);
            return;
        }
        m_scan->reset();
        m_scan->iterate(connection, RedisCommand{"SCAN", "0", "TYPE", "stream", "COUNT", "1000"},
                        [this](const RedisResult &r) { onScanPage(r); });
    }

    void onScanPage(const RedisResult &r)
    {
        QString error = CtlRun::resultError(r);
        std::optional<ScanPage> page;
        if (error.isEmpty())
            page = parseScanPage(r.replies.value(0), &error);
        if (!page) {
            m_scan->reset();
            endRound(unknown(QStringLiteral("SCAN: %1").arg(error), error));
            return;
        }
        m_found.append(page->keys);
        if (r.more)
            return;
        std::sort(m_found.begin(), m_found.end());
        m_found.erase(std::unique(m_found.begin(), m_found.end()), m_found.end());
        const QHash<QByteArray, QByteArray> pairs = detectDeadLetterStreams(m_found, m_conventions);
        QSet<QByteArray> deadLetterStreams;
        for (const QByteArray &d : pairs)
            deadLetterStreams.insert(d);
        QList<QByteArray> sources;
        QHash<QByteArray, QByteArray> watchedPairs;
        for (const QByteArray &key : std::as_const(m_found)) {
            if (deadLetterStreams.contains(key))
                continue;
            if (!m_streamPatternText.isEmpty()
                && !m_streamPattern.match(QString::fromUtf8(key)).hasMatch())
                continue;
            sources.append(key);
            if (pairs.contains(key))
                watchedPairs.insert(key, pairs.value(key));
        }
        if (sources.isEmpty()) {
            if (!m_streamPatternText.isEmpty())
                endRound(unknown(QStringLiteral("no stream matches %1").arg(m_streamPatternText)));
            else
                endRound(evaluate(MonitorFigures()));
            return;
        }
        m_monitor->setWatched(sources);
        m_monitor->setDeadLetterStreams(watchedPairs);
        m_ticks = 0;
        m_monitor->tickNow();
    }

    void onFigures(const MonitorFigures &figures)
    {
        if (!m_roundInFlight)
            return;
        if (!figures.ok) {
            endRound(unknown(figures.error, figures.error));
            return;
        }
        // The monitor reads a group's consumers from the tick after the one that found the
        // group: a round that checks them takes one tick more when a group is new.
        if (++m_ticks == 1 && idleChecked() && consumersMissing(figures)) {
            m_monitor->tickNow();
            return;
        }
        // A stream found by the scan that the monitor could not read: gone meanwhile, or
        // refused (an ACL). Only Redis can tell which.
        QList<RedisCommand> asks;
        for (const WatchedStream &w : m_monitor->watched())
            if (!w.exists)
                asks.append(RedisCommand{{"XINFO", "STREAM", w.key}, w.key});
        if (asks.isEmpty()) {
            endRound(evaluate(figures));
            return;
        }
        m_run->connection()->send(asks, m_monitor, [this, figures](const RedisResult &r) {
            const QString error = CtlRun::resultError(r);
            const bool gone = error.isEmpty() || error.startsWith(QLatin1String("ERR no such key"))
                              || error.startsWith(QLatin1String("WRONGTYPE"));
            if (gone)
                endRound(evaluate(figures));
            else
                endRound(unknown(QStringLiteral("XINFO STREAM: %1").arg(error), error));
        });
    }

    bool idleChecked() const
    {
        if (!m_rules)
            return m_flags[int(Check::Idle)].isSet();
        if (m_rules->globalEnabled(AlertRule::IdleConsumer))
            return true;
        const QList<AlertRules::Scope> scopes = m_rules->overriddenScopes();
        return std::any_of(scopes.begin(), scopes.end(), [this](const AlertRules::Scope &s) {
            return s.rule == AlertRule::IdleConsumer
                   && m_rules->override(s).enabled.value_or(false);
        });
    }

    // Whether a group with consumers has none of their figures in `figures`.
    static bool consumersMissing(const MonitorFigures &figures)
    {
        QSet<QPair<QByteArray, QByteArray>> withConsumers, measured;
        figures.values.forEach([&](const SeriesKey &key, double value, bool) {
            if (key.metric == Metric::Consumers && value > 0)
                withConsumers.insert({key.stream, key.group});
            else if (key.metric == Metric::ConsumerIdleMs)
                measured.insert({key.stream, key.group});
        });
        return !withConsumers.subtract(measured).isEmpty();
    }

    Outcome unknown(const QString &why, const QString &redisError = QString())
    {
        Outcome o;
        o.status = Status::Unknown;
        o.error = why;
        m_redisError = redisError;
        return o;
    }

    QString lagUnknownReason() const
    {
        const ServerInfo &server = m_run->connection()->serverInfo();
        if (server.isKnown() && !server.isAtLeast(7, 0))
            return QStringLiteral("%1 has no lag field (XINFO GROUPS reports lag from Redis 7.0)")
                .arg(server.displayName());
        return QStringLiteral("Redis reports it as nil (entries deleted after the group's "
                              "position, or the position set to an arbitrary id)");
    }

    Outcome evaluate(const MonitorFigures &figures) const
    {
        Outcome o;
        for (int c = 0; c < CheckCount; ++c)
            o.globalLimits[c] = m_globalLimits[c];
        struct Figure
        {
            double value = 0;
            bool estimated = false;
        };
        // By (stream, group, consumer): the figures of each.
        QMap<std::tuple<QByteArray, QByteArray, QByteArray>, QHash<int, Figure>> scopes;
        QSet<QByteArray> streamsWithGroup;
        figures.values.forEach([&](const SeriesKey &key, double value, bool estimated) {
            if (!m_group.isEmpty() && !key.group.isEmpty() && key.group != m_group)
                return;
            if (!key.group.isEmpty())
                streamsWithGroup.insert(key.stream);
            scopes[{key.stream, key.group, key.consumer}].insert(int(key.metric),
                                                                 Figure{value, estimated});
        });
        auto note = [&](Check check, double value) {
            auto &m = o.max[int(check)];
            m = m ? std::max(*m, value) : value;
        };
        auto judge = [&](Check check, const QByteArray &stream, const QByteArray &group,
                         const QByteArray &consumer, double value) {
            note(check, value);
            const Limits limits = limitsFor(check, stream, group);
            Breach b;
            b.check = check;
            b.stream = stream;
            b.group = group;
            b.consumer = consumer;
            b.value = value;
            b.limits = limits;
            if (limits.critical && value > *limits.critical) {
                b.severity = Status::Critical;
                b.limit = limits.critical;
            } else if (limits.warning && value > *limits.warning) {
                b.severity = Status::Warning;
                b.limit = limits.warning;
            } else {
                return;
            }
            o.breaches.append(b);
        };
        QSet<QByteArray> streams;
        for (auto it = scopes.cbegin(); it != scopes.cend(); ++it) {
            const auto &[stream, group, consumer] = it.key();
            if (!m_group.isEmpty() && !streamsWithGroup.contains(stream))
                continue;
            const QHash<int, Figure> &f = it.value();
            auto has = [&f](Metric m) { return f.contains(int(m)); };
            auto value = [&f](Metric m) { return f.value(int(m)).value; };
            if (group.isEmpty()) {
                streams.insert(stream);
                if (has(Metric::Length))
                    judge(Check::Length, stream, {}, {}, value(Metric::Length));
                if (has(Metric::DeadLetters))
                    judge(Check::DeadLetters, stream, {}, {}, value(Metric::DeadLetters));
            } else if (consumer.isEmpty()) {
                ++o.groups;
                const Limits lagLimits = limitsFor(Check::Lag, stream, group);
                if (has(Metric::Lag) && !f.value(int(Metric::Lag)).estimated) {
                    judge(Check::Lag, stream, group, {}, value(Metric::Lag));
                } else {
                    ++o.lagUnknown;
                    if (lagLimits.isSet()) {
                        Breach b;
                        b.severity = Status::Ok;
                        b.lagUnknown = true;
                        b.check = Check::Lag;
                        b.stream = stream;
                        b.group = group;
                        b.limits = lagLimits;
                        b.reason = lagUnknownReason();
                        if (has(Metric::Lag))
                            b.estimate = value(Metric::Lag);
                        o.breaches.append(b);
                    }
                }
                if (has(Metric::TimeLagMs))
                    judge(Check::TimeLag, stream, group, {}, value(Metric::TimeLagMs) / 1000.0);
                if (has(Metric::Pending))
                    judge(Check::Pending, stream, group, {}, value(Metric::Pending));
            } else if (has(Metric::ConsumerIdleMs) && has(Metric::ConsumerPending)
                       && value(Metric::ConsumerPending) > 0) {
                judge(Check::Idle, stream, group, consumer, value(Metric::ConsumerIdleMs) / 1000.0);
            }
        }
        o.streams = int(streams.size());
        if (!m_group.isEmpty() && o.groups == 0) {
            Outcome none = o;
            none.status = Status::Unknown;
            none.error = QStringLiteral("no group named %1").arg(displayKey(m_group));
            none.breaches.clear();
            return none;
        }
        std::stable_sort(o.breaches.begin(), o.breaches.end(),
                         [](const Breach &a, const Breach &b) {
            const int ra = a.lagUnknown ? 0 : int(a.severity);
            const int rb = b.lagUnknown ? 0 : int(b.severity);
            return ra > rb;
        });
        for (const Breach &b : std::as_const(o.breaches))
            if (!b.lagUnknown)
                o.status = std::max(o.status, b.severity);
        return o;
    }

    void endRound(const Outcome &outcome)
    {
        m_roundInFlight = false;
        if (m_watchMs <= 0) {
            if (outcome.status == Status::Unknown && !m_redisError.isEmpty())
                m_run->printError(QStringLiteral("check"), m_redisError);
            print(*m_run, outcome);
            m_run->finish(exitCode(outcome.status));
            return;
        }
        if (m_printedOnce && sameState(outcome, m_last)) {
            m_last = outcome;
            return;
        }
        m_printedOnce = true;
        m_last = outcome;
        print(*m_run, outcome);
    }

    static bool sameState(const Outcome &a, const Outcome &b)
    {
        if (a.status != b.status || a.error != b.error || a.breaches.size() != b.breaches.size())
            return false;
        for (qsizetype i = 0; i < a.breaches.size(); ++i)
            if (a.breaches[i].identity() != b.breaches[i].identity())
                return false;
        return true;
    }

    void print(CtlRun &run, const Outcome &o) const
    {
        const QString time = QDateTime::currentDateTimeUtc().toString(Qt::ISODate);
        if (!m_json) {
            run.out() << (m_watchMs > 0 ? time + QLatin1Char(' ') : QString()) << o.firstLine()
                      << '\n';
            for (const Breach &b : o.breaches)
                run.out() << b.text() << '\n';
            run.out().flush();
            return;
        }
        std::unique_ptr<RecordWriter> writer = run.makeWriter(QStringLiteral("weirctl.check"), 1);
        writer->field(QStringLiteral("time"), time);
        writer->field(QStringLiteral("status"), QLatin1String(statusWord(o.status)));
        writer->field(QStringLiteral("exit_code"), exitCode(o.status));
        writer->field(QStringLiteral("summary"), o.summary());
        writer->field(QStringLiteral("error"),
                      o.status == Status::Unknown ? QJsonValue(o.error) : QJsonValue());
        writer->field(QStringLiteral("thresholds_from"), thresholdsFrom());
        writer->field(QStringLiteral("streams"), o.streams);
        writer->field(QStringLiteral("groups"), o.groups);
        writer->field(QStringLiteral("lag_unknown"), o.lagUnknown);
        QJsonArray perf;
        if (o.status != Status::Unknown) {
            for (int c = 0; c < CheckCount; ++c) {
                const CheckInfo &i = info(Check(c));
                perf.append(QJsonObject{
                    {QStringLiteral("label"), QLatin1String(i.label)},
                    {QStringLiteral("metric"), QLatin1String(i.metric)},
                    {QStringLiteral("value"), jsonNumber(o.max[c])},
                    {QStringLiteral("unit"), QLatin1String(i.uom)},
                    {QStringLiteral("warning"), jsonNumber(o.globalLimits[c].warning)},
                    {QStringLiteral("critical"), jsonNumber(o.globalLimits[c].critical)},
                });
            }
        }
        writer->field(QStringLiteral("perfdata"), perf);
        writer->beginTable(QStringLiteral("breaches"),
                           {{QStringLiteral("severity"), QStringLiteral("SEVERITY")},
                            {QStringLiteral("metric"), QStringLiteral("METRIC")},
                            {QStringLiteral("stream"), QStringLiteral("STREAM")},
                            {QStringLiteral("group"), QStringLiteral("GROUP")},
                            {QStringLiteral("consumer"), QStringLiteral("CONSUMER")},
                            {QStringLiteral("value"), QStringLiteral("VALUE"), true},
                            {QStringLiteral("unit"), QStringLiteral("UNIT")},
                            {QStringLiteral("threshold"), QStringLiteral("THRESHOLD"), true},
                            {QStringLiteral("warning"), QStringLiteral("WARNING"), true},
                            {QStringLiteral("critical"), QStringLiteral("CRITICAL"), true},
                            {QStringLiteral("lag_unknown_reason"), QStringLiteral("LAG UNKNOWN")},
                            {QStringLiteral("lag_estimate"), QStringLiteral("ESTIMATE"), true},
                            {QStringLiteral("text"), QStringLiteral("TEXT")}});
        for (const Breach &b : o.breaches) {
            auto text = [](const QByteArray &bytes) {
                return bytes.isEmpty() ? QJsonValue() : QJsonValue(displayKey(bytes));
            };
            writer->row(QJsonObject{
                {QStringLiteral("severity"),
                 b.lagUnknown ? QStringLiteral("lag_unknown")
                              : QString::fromLatin1(statusWord(b.severity)).toLower()},
                {QStringLiteral("metric"), QLatin1String(info(b.check).metric)},
                {QStringLiteral("stream"), displayKey(b.stream)},
                {QStringLiteral("group"), text(b.group)},
                {QStringLiteral("consumer"), text(b.consumer)},
                {QStringLiteral("value"), jsonNumber(b.value)},
                {QStringLiteral("unit"),
                 QLatin1String(*info(b.check).uom              ? info(b.check).uom
                               : b.check == Check::DeadLetters ? "dead letters"
                                                               : "entries")},
                {QStringLiteral("threshold"), jsonNumber(b.limit)},
                {QStringLiteral("warning"), jsonNumber(b.limits.warning)},
                {QStringLiteral("critical"), jsonNumber(b.limits.critical)},
                {QStringLiteral("lag_unknown_reason"),
                 b.lagUnknown ? QJsonValue(b.reason) : QJsonValue()},
                {QStringLiteral("lag_estimate"), jsonNumber(b.estimate)},
                {QStringLiteral("text"), b.text()},
            });
        }
        writer->endTable();
        writer->finish();
        run.out().flush();
    }

    QString thresholdsFrom() const
    {
        if (m_fromFlags)
            return QStringLiteral("flags");
        if (!m_rulesFile.isEmpty())
            return QStringLiteral("rules_file");
        return m_profile.isEmpty() ? QStringLiteral("defaults") : QStringLiteral("profile");
    }

    // Options.
    bool m_json = false;
    QString m_profile;
    bool m_fromFlags = false;
    Limits m_flags[CheckCount];
    QString m_rulesFile;
    QRegularExpression m_streamPattern;
    QString m_streamPatternText;
    QByteArray m_group;
    int m_watchMs = 0;

    // The run.
    CtlRun *m_run = nullptr;
    std::optional<AlertRules> m_rules; // null: the flags' thresholds
    Limits m_globalLimits[CheckCount];
    DeadLetterConventions m_conventions;
    StreamMonitor *m_monitor = nullptr;
    ReplyGuard *m_scan = nullptr;
    QList<QByteArray> m_found;
    bool m_roundInFlight = false;
    int m_ticks = 0; // of the round under way
    QString m_redisError;
    bool m_printedOnce = false;
    Outcome m_last;
};

} // namespace

std::unique_ptr<CtlCommand> makeCheckCommand()
{
    return std::make_unique<CheckCommand>();
}
