// weirctl check run as a monitoring system runs it: exit codes for each threshold, the
// plugin's first line and perfdata, rules from Weir's preferences and from a rules file,
// nil lag, an unreachable server, and --watch.

#include "../integration/integrationsupport.h"
#include "alertrules.h"
#include "connectionprofiles.h"
#include "ctltestsupport.h"
#include "deadletters.h"
#include "runcommands.h"

#include <QDateTime>
#include <QRegularExpression>
#include <QSettings>

#include <csignal>

using namespace ctltest;

namespace {

// label=value[UOM];warn;crit;min, as the first line's perfdata has them.
QHash<QString, QStringList> parsePerfdata(const QByteArray &firstLine, bool *ok)
{
    QHash<QString, QStringList> perf;
    const qsizetype bar = firstLine.indexOf(" | ");
    *ok = bar > 0;
    if (!*ok)
        return perf;
    static const QRegularExpression item(
        QStringLiteral(R"(^([a-z_]+)=(U|-?[0-9]+(?:\.[0-9]+)?)(s?);([0-9.]*);([0-9.]*);0$)"));
    const QStringList items =
        QString::fromUtf8(firstLine.mid(bar + 3)).split(QLatin1Char(' '), Qt::SkipEmptyParts);
    for (const QString &text : items) {
        const QRegularExpressionMatch m = item.match(text);
        if (!m.hasMatch() && !text.contains(QLatin1Char(';'))) {
            // streams=N and the like: label=value only.
            const QStringList kv = text.split(QLatin1Char('='));
            if (kv.size() == 2) {
                perf.insert(kv[0], {kv[1]});
                continue;
            }
        }
        if (!m.hasMatch()) {
            qWarning("perfdata item does not parse: %s", qPrintable(text));
            *ok = false;
            continue;
        }
        perf.insert(m.captured(1), {m.captured(2), m.captured(4), m.captured(5), m.captured(3)});
    }
    return perf;
}

QList<QByteArray> outputLines(const CtlResult &r)
{
    QList<QByteArray> lines = r.out.split('\n');
    while (!lines.isEmpty() && lines.last().isEmpty())
        lines.removeLast();
    return lines;
}

} // namespace

class TestCtlCheck : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanupTestCase();

    void thresholds_data();
    void thresholds();
    void jsonMatchesXinfo();
    void unreachableServerIsUnknown();
    void redisErrorIsUnknown();
    void rulesFromPreferences();
    void rulesFromFile();
    void nilLagIsNotZero();
    void idleConsumer();
    void narrowedToStreamsAndGroup();
    void watchPrintsChanges();

private:
    // orders: 5 entries, the first 120 s old; group workers read 2 of them (pending 2,
    // lag 3); orders:dlq, its dead-letter stream, holds 3.
    void fillQueue();
    bool hasLagField() const { return m_connection->serverInfo().isAtLeast(7, 0); }
    QStringList args(const QStringList &more) const { return serverArgs(*m_server) + more; }

    std::unique_ptr<LocalRedisServer> m_server;
    std::unique_ptr<RedisConnection> m_connection;
};

void TestCtlCheck::initTestCase()
{
    m_server = std::make_unique<LocalRedisServer>();
    START_SERVER(*m_server);
    m_connection = std::make_unique<RedisConnection>(integration::quickOptions(*m_server));
    OPEN_CONNECTED(*m_connection);
    QTRY_VERIFY(m_connection->serverInfo().isKnown());
}

void TestCtlCheck::init()
{
    runCommands(m_connection.get(), {{"FLUSHALL"}});
}

void TestCtlCheck::cleanupTestCase()
{
    m_connection.reset();
    m_server.reset();
}

void TestCtlCheck::fillQueue()
{
    const qint64 start = QDateTime::currentMSecsSinceEpoch() - 120000;
    QList<RedisCommand> commands;
    for (int i = 0; i < 5; ++i)
        commands.append(
            {"XADD", "orders", QByteArray::number(start + i) + "-1", "n", QByteArray::number(i)});
    commands.append({"XGROUP", "CREATE", "orders", "workers", "0"});
    commands.append(
        {"XREADGROUP", "GROUP", "workers", "w1", "COUNT", "2", "STREAMS", "orders", ">"});
    for (int i = 0; i < 3; ++i)
        commands.append({"XADD", "orders:dlq", "*", "reason", "poison"});
    const QList<RedisValue> replies = runCommands(m_connection.get(), commands);
    QCOMPARE(replies.size(), commands.size());
    for (const RedisValue &r : replies)
        QVERIFY2(!r.isError(), r.bytes().constData());
}

void TestCtlCheck::thresholds_data()
{
    QTest::addColumn<QString>("option");
    QTest::addColumn<QString>("limits");
    QTest::addColumn<int>("exit");
    QTest::addColumn<QString>("label"); // perfdata label and its value
    QTest::addColumn<QString>("value");

    // Each figure under its thresholds, between warning and critical, and above critical.
    const struct
    {
        const char *name, *option, *label, *value, *under, *between, *over;
    } rows[] = {
        {"lag", "--max-lag", "max_lag", "3", "5:10", "2:10", "1:2"},
        {"time lag", "--max-time-lag", "max_time_lag", "", "200:300", "60:300", "30:60"},
        {"pending", "--max-pending", "max_pending", "2", "5:10", "1:10", "0:1"},
        {"length", "--max-length", "max_length", "5", "10:20", "3:10", "1:4"},
        {"dead letters", "--max-dead-letters", "max_dead_letters", "3", "5:10", "1:5", "0:2"},
    };
    for (const auto &r : rows) {
        QTest::addRow("%s under", r.name) << r.option << r.under << 0 << r.label << r.value;
        QTest::addRow("%s between", r.name) << r.option << r.between << 1 << r.label << r.value;
        QTest::addRow("%s over", r.name) << r.option << r.over << 2 << r.label << r.value;
    }
    QTest::addRow("dead letters, any") << "--dead-letters"
                                       << "" << 2 << "max_dead_letters"
                                       << "3";
    QTest::addRow("critical only") << "--max-length"
                                   << "4" << 2 << "max_length"
                                   << "5";
    QTest::addRow("warning only") << "--max-length"
                                  << "4:" << 1 << "max_length"
                                  << "5";
}

void TestCtlCheck::thresholds()
{
    QFETCH(QString, option);
    QFETCH(QString, limits);
    QFETCH(int, exit);
    QFETCH(QString, label);
    QFETCH(QString, value);
    fillQueue();

    QStringList more{QStringLiteral("check"), option};
    if (!limits.isEmpty())
        more << limits;
    const CtlResult r = runCtl(args(more));
    QVERIFY2(r.finished, r.describe().constData());
    const QList<QByteArray> lines = outputLines(r);
    QVERIFY2(!lines.isEmpty(), r.describe().constData());

    // Before Redis 7.0 there is no lag: never a breach, but said on a line of its own.
    const bool lagUnknown = option == QLatin1String("--max-lag") && !hasLagField();
    const int expected = lagUnknown ? 0 : exit;
    QVERIFY2(r.exitCode == expected, r.describe().constData());
    const char *words[] = {"WEIR OK - ", "WEIR WARNING - ", "WEIR CRITICAL - "};
    QVERIFY2(lines.first().startsWith(words[expected]), r.describe().constData());

    bool ok = false;
    const QHash<QString, QStringList> perf = parsePerfdata(lines.first(), &ok);
    QVERIFY2(ok, lines.first().constData());
    QCOMPARE(perf.value(QStringLiteral("streams")).value(0), QStringLiteral("1"));
    QCOMPARE(perf.value(QStringLiteral("groups")).value(0), QStringLiteral("1"));
    const QStringList mine = perf.value(label);
    QCOMPARE(mine.size(), 4);
    if (lagUnknown) {
        QCOMPARE(mine[0], QStringLiteral("U"));
        QCOMPARE(perf.value(QStringLiteral("lag_unknown")).value(0), QStringLiteral("1"));
    } else if (label == QLatin1String("max_time_lag")) {
        QCOMPARE(mine[3], QStringLiteral("s"));
        const double seconds = mine[0].toDouble();
        QVERIFY2(seconds > 119 && seconds < 150, qPrintable(mine[0])); // entry 3 is ~120 s old
    } else {
        QCOMPARE(mine[0], value);
    }
    // The thresholds in force, as given (--dead-letters is critical above 0).
    const QStringList parts = limits.split(QLatin1Char(':'));
    if (limits.isEmpty()) {
        QCOMPARE(mine[1], QString());
        QCOMPARE(mine[2], QStringLiteral("0"));
    } else if (parts.size() == 1) {
        QCOMPARE(mine[1], QString());
        QCOMPARE(mine[2], parts[0]);
    } else {
        QCOMPARE(mine[1], parts[0]);
        QCOMPARE(mine[2], parts[1]);
    }
    // Figures not flagged are reported without thresholds.
    const QString other = label == QLatin1String("max_length") ? QStringLiteral("max_pending")
                                                               : QStringLiteral("max_length");
    QCOMPARE(perf.value(other).value(1), QString());
    QCOMPARE(perf.value(other).value(2), QString());

    // A line per breach; none when OK.
    if (lagUnknown) {
        QCOMPARE(lines.size(), 2);
        QVERIFY2(lines[1].startsWith("LAG UNKNOWN: orders › workers: lag unknown"),
                 lines[1].constData());
        QVERIFY2(lines[1].contains("has no lag field"), lines[1].constData());
        QVERIFY2(lines[1].contains("Weir estimates 3"), lines[1].constData());
    } else if (expected == 0) {
        QCOMPARE(lines.size(), 1);
    } else {
        QCOMPARE(lines.size(), 2);
        const QByteArray where =
            label == QLatin1String("max_length") || label == QLatin1String("max_dead_letters")
                ? "orders: "
                : "orders › workers: ";
        QVERIFY2(lines[1].startsWith((expected == 2 ? "CRITICAL: " : "WARNING: ") + where),
                 lines[1].constData());
        QVERIFY2(lines[1].contains(expected == 2 ? "above the critical threshold"
                                                 : "above the warning threshold"),
                 lines[1].constData());
    }
}

void TestCtlCheck::jsonMatchesXinfo()
{
    fillQueue();
    // A second stream with a busier group, so that the maxima are not those of one group.
    runCommands(m_connection.get(), {{"XADD", "invoices", "*", "n", "1"},
                                     {"XADD", "invoices", "*", "n", "2"},
                                     {"XGROUP", "CREATE", "invoices", "billing", "0"},
                                     {"XREADGROUP", "GROUP", "billing", "b1", "COUNT", "1",
                                      "STREAMS", "invoices", ">"}});
    const CtlResult r =
        runCtl(args({QStringLiteral("--format"), QStringLiteral("json"), QStringLiteral("check"),
                     QStringLiteral("--max-pending"), QStringLiteral("1:5"),
                     QStringLiteral("--max-lag"), QStringLiteral("100")}));
    QVERIFY2(r.finished, r.describe().constData());
    const QJsonObject doc = r.json();
    QCOMPARE(doc.value(QStringLiteral("schema")).toString(), QStringLiteral("weirctl.check"));
    QCOMPARE(doc.value(QStringLiteral("version")).toInt(), 1);
    QCOMPARE(doc.value(QStringLiteral("status")).toString(), QStringLiteral("WARNING"));
    QCOMPARE(doc.value(QStringLiteral("exit_code")).toInt(), 1);
    QCOMPARE(r.exitCode, 1);
    QCOMPARE(doc.value(QStringLiteral("streams")).toInt(), 2); // orders:dlq is a dead-letter stream
    QCOMPARE(doc.value(QStringLiteral("groups")).toInt(), 2);
    QCOMPARE(doc.value(QStringLiteral("thresholds_from")).toString(), QStringLiteral("flags"));

    // The largest pending and lag, as XINFO GROUPS says them.
    qint64 maxPending = 0;
    std::optional<qint64> maxLag;
    for (const QByteArray &stream : {QByteArray("orders"), QByteArray("invoices")}) {
        const RedisValue groups = integration::command(*m_connection, {"XINFO", "GROUPS", stream});
        const auto parsed = parseGroupsInfo(groups, nullptr);
        QVERIFY(parsed);
        for (const GroupInfo &g : *parsed) {
            maxPending = std::max(maxPending, g.pending);
            if (g.lag)
                maxLag = std::max(maxLag.value_or(0), *g.lag);
        }
    }
    QJsonObject pendingPerf, lagPerf;
    for (const QJsonValue &p : doc.value(QStringLiteral("perfdata")).toArray()) {
        if (p[QStringLiteral("label")].toString() == QLatin1String("max_pending"))
            pendingPerf = p.toObject();
        if (p[QStringLiteral("label")].toString() == QLatin1String("max_lag"))
            lagPerf = p.toObject();
    }
    QCOMPARE(pendingPerf.value(QStringLiteral("value")).toInteger(), maxPending);
    QCOMPARE(pendingPerf.value(QStringLiteral("warning")).toInteger(), qint64(1));
    QCOMPARE(pendingPerf.value(QStringLiteral("critical")).toInteger(), qint64(5));
    QCOMPARE(lagPerf.value(QStringLiteral("critical")).toInteger(), qint64(100));
    QVERIFY(lagPerf.value(QStringLiteral("warning")).isNull());
    if (hasLagField())
        QCOMPARE(lagPerf.value(QStringLiteral("value")).toInteger(), *maxLag);
    else
        QVERIFY(lagPerf.value(QStringLiteral("value")).isNull());

    // orders › workers (2 pending) breaches the warning; billing (1) does not.
    const QJsonArray breaches = doc.value(QStringLiteral("breaches")).toArray();
    const QJsonObject first = breaches.at(0).toObject();
    QCOMPARE(first.value(QStringLiteral("severity")).toString(), QStringLiteral("warning"));
    QCOMPARE(first.value(QStringLiteral("metric")).toString(), QStringLiteral("pending"));
    QCOMPARE(first.value(QStringLiteral("stream")).toString(), QStringLiteral("orders"));
    QCOMPARE(first.value(QStringLiteral("group")).toString(), QStringLiteral("workers"));
    QVERIFY(first.value(QStringLiteral("consumer")).isNull());
    QCOMPARE(first.value(QStringLiteral("value")).toInteger(), qint64(2));
    QCOMPARE(first.value(QStringLiteral("threshold")).toInteger(), qint64(1));
    QCOMPARE(breaches.size(), hasLagField() ? 1 : 3); // before 7.0: two lags unknown
}

void TestCtlCheck::unreachableServerIsUnknown()
{
    const quint16 port = freeLoopbackPort();
    const CtlResult r =
        runCtl({QStringLiteral("-h"), QStringLiteral("127.0.0.1"), QStringLiteral("-p"),
                QString::number(port), QStringLiteral("check"), QStringLiteral("--max-lag"),
                QStringLiteral("10")});
    QVERIFY2(r.finished, r.describe().constData());
    QCOMPARE(r.exitCode, 3);
    const QList<QByteArray> lines = outputLines(r);
    QCOMPARE(lines.size(), 1);
    QVERIFY2(lines.first().startsWith(
                 "WEIR UNKNOWN - cannot connect to 127.0.0.1:" + QByteArray::number(port) + ": "),
             r.describe().constData());
    QVERIFY2(r.err.contains("cannot connect"), r.describe().constData());

    const CtlResult json =
        runCtl({QStringLiteral("-p"), QString::number(port), QStringLiteral("--format"),
                QStringLiteral("json"), QStringLiteral("check")});
    QCOMPARE(json.exitCode, 3);
    QCOMPARE(json.json().value(QStringLiteral("status")).toString(), QStringLiteral("UNKNOWN"));
    QVERIFY(json.json()
                .value(QStringLiteral("error"))
                .toString()
                .contains(QLatin1String("cannot connect")));
}

void TestCtlCheck::redisErrorIsUnknown()
{
    fillQueue();
    // Users who may not read the streams (XINFO) or list them (SCAN).
    runCommands(m_connection.get(),
                {{"ACL", "SETUSER", "noxinfo", "on", ">secret", "~*", "+@all", "-xinfo"},
                 {"ACL", "SETUSER", "noscan", "on", ">secret", "~*", "+@all", "-scan"}});
    QProcessEnvironment env = ctlEnvironment();
    env.insert(QStringLiteral("REDISCLI_AUTH"), QStringLiteral("secret"));
    for (const char *user : {"noxinfo", "noscan"}) {
        const CtlResult r =
            runCtl(args({QStringLiteral("--user"), QLatin1String(user), QStringLiteral("check"),
                         QStringLiteral("--max-lag"), QStringLiteral("1000")}),
                   env);
        QVERIFY2(r.exitCode == 3, r.describe().constData());
        const QList<QByteArray> lines = outputLines(r);
        QCOMPARE(lines.size(), 1);
        // Redis's words, verbatim, on stdout for monitoring and on stderr with Weir's hint.
        const QByteArray command = qstrcmp(user, "noscan") == 0 ? "SCAN" : "XINFO STREAM";
        QVERIFY2(lines[0].startsWith("WEIR UNKNOWN - " + command + ": NOPERM"),
                 lines[0].constData());
        QVERIFY2(r.err.contains("NOPERM"), r.describe().constData());
    }
    runCommands(m_connection.get(), {{"ACL", "DELUSER", "noxinfo", "noscan"}});
}

void TestCtlCheck::rulesFromPreferences()
{
    fillQueue();
    // A connection saved in Weir, and its alert rules as Weir's preferences keep them: dead
    // letters fire at 5 (orders:dlq holds 3), except on orders where they fire at 3.
    ConnectionProfile profile;
    profile.id = QStringLiteral("check-test-profile");
    profile.options = m_server->options();
    profile.options.name = QStringLiteral("queues under test");
    AlertRules rules;
    rules.setGlobalEnabled(AlertRule::Backlog, false);
    rules.setGlobalEnabled(AlertRule::TimeLag, false);
    rules.setGlobalEnabled(AlertRule::IdleConsumer, false);
    rules.setGlobalThreshold(AlertRule::DeadLetter, 5);
    {
        QSettings settings(privateSettingsFile(), QSettings::IniFormat);
        settings.clear();
        ProfileStore(&settings).save(profile);
        rules.save(settings, QStringLiteral("connections/") + profile.id);
        settings.sync();
    }
    const QStringList check{QStringLiteral("--profile"), profile.options.name,
                            QStringLiteral("check")};
    CtlResult r = runCtl(check);
    QVERIFY2(r.exitCode == 0, r.describe().constData());
    QVERIFY2(r.out.contains(" max_dead_letters=3;;4;0"), r.out.constData());

    rules.setOverride({"orders", {}, AlertRule::DeadLetter}, AlertOverride{{}, 3.0});
    {
        QSettings settings(privateSettingsFile(), QSettings::IniFormat);
        rules.save(settings, QStringLiteral("connections/") + profile.id);
        settings.sync();
    }
    r = runCtl(check);
    QVERIFY2(r.exitCode == 2, r.describe().constData());
    const QList<QByteArray> lines = outputLines(r);
    QVERIFY2(lines.first().startsWith("WEIR CRITICAL - 1 critical, 0 warning: orders dead "
                                      "letters 3"),
             r.describe().constData());
    QCOMPARE(lines.size(), 2);
    QCOMPARE(lines[1],
             QByteArray("CRITICAL: orders: dead letters 3 above the critical threshold 2"));

    // Without --profile: Weir's default rules, dead letters among them.
    r = runCtl(args({QStringLiteral("check")}));
    QVERIFY2(r.exitCode == 2, r.describe().constData());
    QVERIFY2(r.out.contains("\nCRITICAL: orders: dead letters 3 above the critical threshold 0"),
             r.out.constData());

    // The connection's dead-letter conventions pair the streams, with flags too: here
    // graveyard.orders is the dead-letter stream, and orders:dlq a stream of its own.
    DeadLetterConventions conventions = DeadLetterConventions::defaults();
    conventions.patterns = QStringList{QStringLiteral("graveyard.{stream}")};
    {
        QSettings settings(privateSettingsFile(), QSettings::IniFormat);
        conventions.save(settings, QStringLiteral("connections/") + profile.id);
        settings.sync();
    }
    runCommands(m_connection.get(), {{"XADD", "graveyard.orders", "*", "n", "1"}});
    r = runCtl({QStringLiteral("--profile"), profile.options.name, QStringLiteral("check"),
                QStringLiteral("--max-dead-letters"), QStringLiteral("0")});
    QVERIFY2(r.exitCode == 2, r.describe().constData());
    QVERIFY2(r.out.contains(" streams=2 "), r.out.constData());
    QVERIFY2(r.out.contains("\nCRITICAL: orders: dead letters 1 above the critical threshold 0\n"),
             r.out.constData());
    QSettings(privateSettingsFile(), QSettings::IniFormat).clear();
}

void TestCtlCheck::rulesFromFile()
{
    fillQueue();
    QTemporaryDir dir;
    const QString file = dir.filePath(QStringLiteral("alerts.ini"));
    AlertRules rules;
    rules.setGlobalEnabled(AlertRule::Backlog, false);
    rules.setGlobalEnabled(AlertRule::DeadLetter, false);
    rules.setGlobalEnabled(AlertRule::IdleConsumer, false);
    rules.setGlobalThreshold(AlertRule::TimeLag, 200);
    auto write = [&] {
        QSettings settings(file, QSettings::IniFormat);
        rules.save(settings, QString());
        settings.sync();
    };
    write();
    CtlResult r = runCtl(args({QStringLiteral("check"), QStringLiteral("--rules"), file}));
    QVERIFY2(r.exitCode == 0, r.describe().constData());
    QVERIFY2(r.out.contains(" max_time_lag="), r.out.constData());
    QVERIFY2(r.out.contains("s;;200;0"), r.out.constData());

    // Down to 100 s for the group alone: its 120 s are critical.
    rules.setOverride({"orders", "workers", AlertRule::TimeLag}, AlertOverride{{}, 100.0});
    write();
    QFile text(file);
    QVERIFY(text.open(QIODevice::ReadOnly));
    QVERIFY2(text.readAll().startsWith("[alerts]"), "the rules file has an [alerts] section");
    r = runCtl(args({QStringLiteral("check"), QStringLiteral("--rules"), file}));
    QVERIFY2(r.exitCode == 2, r.describe().constData());
    QVERIFY2(r.out.contains("\nCRITICAL: orders › workers: time lag "), r.out.constData());
    QVERIFY2(r.out.contains("s above the critical threshold 100s\n"), r.out.constData());

    // Rules and flags together: a usage error.
    r = runCtl(args({QStringLiteral("check"), QStringLiteral("--rules"), file,
                     QStringLiteral("--max-lag"), QStringLiteral("1")}));
    QCOMPARE(r.exitCode, 64);
}

void TestCtlCheck::nilLagIsNotZero()
{
    // A deleted entry after the group's position: Redis 7 cannot tell the lag (nil).
    runCommands(m_connection.get(), {{"XADD", "legacy", "1-1", "n", "1"},
                                     {"XADD", "legacy", "1-2", "n", "2"},
                                     {"XADD", "legacy", "1-3", "n", "3"},
                                     {"XADD", "legacy", "1-4", "n", "4"},
                                     {"XGROUP", "CREATE", "legacy", "old", "1-1"},
                                     {"XDEL", "legacy", "1-3"}});
    const RedisValue groups = integration::command(*m_connection, {"XINFO", "GROUPS", "legacy"});
    const auto parsed = parseGroupsInfo(groups, nullptr);
    QVERIFY(parsed && parsed->size() == 1);
    QVERIFY2(!parsed->first().lag, "the server reports a lag for the group");

    // Any known lag would breach --max-lag 0; an unknown one does not, and is listed.
    CtlResult r =
        runCtl(args({QStringLiteral("check"), QStringLiteral("--max-lag"), QStringLiteral("0")}));
    QVERIFY2(r.exitCode == 0, r.describe().constData());
    const QList<QByteArray> lines = outputLines(r);
    QCOMPARE(lines.size(), 2);
    QVERIFY2(lines[0].contains(" max_lag=U;;0;0 "), lines[0].constData());
    QVERIFY2(lines[0].contains(" lag_unknown=1 "), lines[0].constData());
    QVERIFY2(lines[1].startsWith("LAG UNKNOWN: legacy › old: lag unknown, not checked"),
             lines[1].constData());
    QVERIFY2(lines[1].contains(hasLagField() ? "nil" : "has no lag field"), lines[1].constData());

    r = runCtl(args({QStringLiteral("--format"), QStringLiteral("json"), QStringLiteral("check"),
                     QStringLiteral("--max-lag"), QStringLiteral("0")}));
    const QJsonObject breach =
        r.json().value(QStringLiteral("breaches")).toArray().at(0).toObject();
    QCOMPARE(breach.value(QStringLiteral("severity")).toString(), QStringLiteral("lag_unknown"));
    QVERIFY(breach.value(QStringLiteral("value")).isNull());
    QVERIFY(!breach.value(QStringLiteral("lag_unknown_reason")).toString().isEmpty());
    // Two entries after 1-1 remain: Weir's estimate, not a lag.
    QCOMPARE(breach.value(QStringLiteral("lag_estimate")).toInteger(), qint64(2));
}

void TestCtlCheck::idleConsumer()
{
    fillQueue(); // w1 holds 2 pending entries
    CtlResult r = runCtl(
        args({QStringLiteral("check"), QStringLiteral("--max-idle"), QStringLiteral("3600")}));
    QVERIFY2(r.exitCode == 0, r.describe().constData());
    bool ok = false;
    const QStringList idle =
        parsePerfdata(outputLines(r).value(0), &ok).value(QStringLiteral("max_idle"));
    QVERIFY(ok);
    QCOMPARE(idle.value(3), QStringLiteral("s"));
    QVERIFY2(idle.value(0).toDouble() < 60, qPrintable(idle.value(0)));

    // Idle at all while holding entries: critical above 0 s.
    r = runCtl(args({QStringLiteral("check"), QStringLiteral("--max-idle"), QStringLiteral("0")}));
    QVERIFY2(r.exitCode == 2, r.describe().constData());
    QVERIFY2(r.out.contains("\nCRITICAL: orders › workers › w1: idle (holding pending entries) "),
             r.out.constData());

    // Once it holds nothing, however idle, it breaches nothing.
    const RedisValue pending =
        integration::command(*m_connection, {"XPENDING", "orders", "workers", "-", "+", "10"});
    QList<QByteArray> ack{"XACK", "orders", "workers"};
    for (const RedisValue &entry : pending.elements())
        ack.append(entry.at(0).bytes());
    QCOMPARE(ack.size(), 5);
    runCommands(m_connection.get(), {RedisCommand(ack)});
    r = runCtl(args({QStringLiteral("check"), QStringLiteral("--max-idle"), QStringLiteral("0")}));
    QVERIFY2(r.exitCode == 0, r.describe().constData());
}

void TestCtlCheck::narrowedToStreamsAndGroup()
{
    fillQueue();
    runCommands(m_connection.get(), {{"XADD", "invoices", "*", "n", "1"},
                                     {"XGROUP", "CREATE", "invoices", "billing", "0"},
                                     {"XGROUP", "CREATE", "orders", "audit", "$"}});
    // invoices (1 entry) and orders (5): --max-length 2 breaches on orders only.
    CtlResult r =
        runCtl(args({QStringLiteral("check"), QStringLiteral("--max-length"), QStringLiteral("2"),
                     QStringLiteral("--stream"), QStringLiteral("inv*")}));
    QVERIFY2(r.exitCode == 0, r.describe().constData());
    QVERIFY2(r.out.startsWith("WEIR OK - 1 stream, 1 group"), r.out.constData());
    r = runCtl(args({QStringLiteral("check"), QStringLiteral("--max-length"), QStringLiteral("2"),
                     QStringLiteral("--stream"), QStringLiteral("[o]rd?rs")}));
    QVERIFY2(r.exitCode == 2, r.describe().constData());
    QVERIFY2(r.out.startsWith("WEIR CRITICAL - "), r.out.constData());
    QVERIFY2(r.out.contains(" 1 stream, 2 groups"), r.out.constData());

    // A pattern that matches nothing is not "all is well".
    r = runCtl(
        args({QStringLiteral("check"), QStringLiteral("--stream"), QStringLiteral("nope*")}));
    QCOMPARE(r.exitCode, 3);
    QVERIFY2(r.out.startsWith("WEIR UNKNOWN - no stream matches nope*"), r.out.constData());

    // --group: that group only (audit has nothing pending), and the streams that have one.
    r = runCtl(args({QStringLiteral("check"), QStringLiteral("--max-pending"), QStringLiteral("0"),
                     QStringLiteral("--group"), QStringLiteral("audit")}));
    QVERIFY2(r.exitCode == 0, r.describe().constData());
    QVERIFY2(r.out.startsWith("WEIR OK - 1 stream, 1 group"), r.out.constData());
    r = runCtl(args({QStringLiteral("check"), QStringLiteral("--max-pending"), QStringLiteral("0"),
                     QStringLiteral("--group"), QStringLiteral("workers")}));
    QVERIFY2(r.exitCode == 2, r.describe().constData());
    r = runCtl(
        args({QStringLiteral("check"), QStringLiteral("--group"), QStringLiteral("nobody")}));
    QCOMPARE(r.exitCode, 3);
    QVERIFY2(r.out.startsWith("WEIR UNKNOWN - no group named nobody"), r.out.constData());
}

void TestCtlCheck::watchPrintsChanges()
{
    runCommands(m_connection.get(), {{"XADD", "orders", "*", "n", "1"},
                                     {"XADD", "orders", "*", "n", "2"},
                                     {"XADD", "orders", "*", "n", "3"},
                                     {"XGROUP", "CREATE", "orders", "workers", "0"}});
    std::unique_ptr<QProcess> process =
        startCtl(args({QStringLiteral("check"), QStringLiteral("--max-pending"),
                       QStringLiteral("2:5"), QStringLiteral("--watch"), QStringLiteral("0.3")}));
    QVERIFY(process->waitForStarted(10000));
    QByteArray out;
    auto lines = [&] {
        out += process->readAllStandardOutput();
        return out.count('\n');
    };
    QTRY_VERIFY_WITH_TIMEOUT(lines() >= 1, 10000);
    static const QRegularExpression stamp(
        QStringLiteral(R"(^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ WEIR OK - )"));
    QVERIFY2(stamp.match(QString::fromUtf8(out)).hasMatch(), out.constData());

    // Unchanged rounds print nothing.
    QTest::qWait(1000);
    QCOMPARE(lines(), 1);

    // The queue backs up: 3 pending is a warning.
    runCommands(m_connection.get(),
                {{"XREADGROUP", "GROUP", "workers", "w1", "COUNT", "3", "STREAMS", "orders", ">"}});
    QTRY_VERIFY_WITH_TIMEOUT(lines() >= 3, 10000);
    const QList<QByteArray> all = out.split('\n');
    QVERIFY2(all[1].contains(" WEIR WARNING - "), out.constData());
    QCOMPARE(all[2],
             QByteArray("WARNING: orders › workers: pending 3 above the warning threshold 2"));

    ::kill(pid_t(process->processId()), SIGINT);
    QVERIFY(process->waitForFinished(10000));
    QCOMPARE(process->exitStatus(), QProcess::NormalExit);
    QCOMPARE(process->exitCode(), 1); // the last status
    out += process->readAllStandardOutput();
    QCOMPARE(out.count('\n'), 3);
}

QTEST_GUILESS_MAIN(TestCtlCheck)
#include "tst_ctlcheck.moc"
