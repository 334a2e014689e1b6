// weirctl's repairing commands (ack, claim, autoclaim, trim, delete) run as a process
// against a real server the test fills: each does what it says (the pending lists, lengths
// and entries compared before and after), writes nothing unless confirmed (every key's DUMP
// compared), says Redis's errors verbatim, asks on a terminal, and stops cleanly on Ctrl-C.

#include "../integration/integrationsupport.h"
#include "ctlcommand.h"
#include "ctltestsupport.h"
#include "runcommands.h"

#include <QJsonArray>
#include <QRegularExpression>

#include <csignal>

using namespace ctltest;
using namespace Qt::StringLiterals;

namespace {

QByteArray shellQuoted(const QString &arg)
{
    QString quoted = arg;
    quoted.replace(QLatin1Char('\''), QLatin1String("'\\''"));
    return '\'' + quoted.toUtf8() + '\'';
}

} // namespace

class tst_CtlWrites : public QObject
{
    Q_OBJECT

private:
    LocalRedisServer m_server;
    std::unique_ptr<RedisConnection> m_connection;

    RedisValue command(QList<QByteArray> argv)
    {
        return integration::command(*m_connection, RedisCommand{std::move(argv)});
    }

    QStringList args(const QStringList &rest) const
    {
        return serverArgs(m_server) + QStringList{u"--format"_s, u"json"_s} + rest;
    }

    Snapshot snapshot() { return ctltest::snapshot(*m_connection); }

    // The ids pending in `group`, with their consumers and delivery counts, in id order.
    QList<QByteArray> pending(const QByteArray &key, const QByteArray &group,
                              const QByteArray &consumer = {})
    {
        QList<QByteArray> argv{"XPENDING", key, group, "-", "+", "1000000"};
        if (!consumer.isEmpty())
            argv << consumer;
        QList<QByteArray> out;
        const RedisValue reply = command(argv);
        for (const RedisValue &e : reply.elements())
            out << e.at(0).bytes() + ' ' + e.at(1).bytes() + ' '
                       + QByteArray::number(e.at(3).toInteger());
        return out;
    }

    QList<QByteArray> pendingIds(const QByteArray &key, const QByteArray &group,
                                 const QByteArray &consumer = {})
    {
        QList<QByteArray> ids;
        for (const QByteArray &line : pending(key, group, consumer))
            ids << line.left(line.indexOf(' '));
        return ids;
    }

    QList<QByteArray> entryIds(const QByteArray &key)
    {
        QList<QByteArray> ids;
        const RedisValue reply = command({"XRANGE", key, "-", "+"});
        for (const RedisValue &e : reply.elements())
            ids << e.at(0).bytes();
        return ids;
    }

    // `entries` entries with ids 1-1, 2-1, ...; `read` of them delivered to consumer `c1`
    // of group `billing`, the next `read2` to `c2`.
    void fill(const QByteArray &key, int entries, int read, int read2 = 0)
    {
        const QByteArray addScript =
            "for i = 1, tonumber(ARGV[1]) do redis.call('XADD', KEYS[1], i .. '-1', 'n', i) end "
            "return redis.call('XLEN', KEYS[1])";
        const RedisValue added =
            command({"EVAL", addScript, "1", key, QByteArray::number(entries)});
        QCOMPARE(added.toInteger(), entries);
        QCOMPARE(command({"XGROUP", "CREATE", key, "billing", "0"}).toDisplayString(),
                 QStringLiteral("OK"));
        const QByteArray readScript =
            "return #redis.call('XREADGROUP', 'GROUP', 'billing', ARGV[1], 'COUNT', ARGV[2], "
            "'STREAMS', KEYS[1], '>')[1][2]";
        if (read > 0)
            QCOMPARE(
                command({"EVAL", readScript, "1", key, "c1", QByteArray::number(read)}).toInteger(),
                read);
        if (read2 > 0)
            QCOMPARE(command({"EVAL", readScript, "1", key, "c2", QByteArray::number(read2)})
                         .toInteger(),
                     read2);
    }

    // The standard data set: orders has 20 entries; billing delivered 1..6 to c1, 7..10 to
    // c2, and 1..3 have been idle for ten minutes; audit has read nothing.
    void fillOrders()
    {
        fill("orders", 20, 6, 4);
        const RedisValue claimed = command({"XCLAIM", "orders", "billing", "c1", "0", "1-1", "2-1",
                                            "3-1", "IDLE", "600000", "JUSTID"});
        QCOMPARE(claimed.size(), 3);
        QCOMPARE(command({"XGROUP", "CREATE", "orders", "audit", "0"}).toDisplayString(),
                 QStringLiteral("OK"));
    }

    // weirctl run under `script`, which gives it a terminal, with `answer` typed in.
    CtlResult runOnTerminal(const QStringList &arguments, const QByteArray &answer)
    {
        QByteArray line = shellQuoted(QStringLiteral(WEIRCTL_PATH)) + " --settings "
                          + shellQuoted(privateSettingsFile());
        for (const QString &a : arguments)
            line += ' ' + shellQuoted(a);
        QProcess process;
        process.setProcessEnvironment(ctlEnvironment());
        process.start(QStringLiteral("script"), {QStringLiteral("-qec"), QString::fromUtf8(line),
                                                 QStringLiteral("/dev/null")});
        CtlResult result;
        if (!process.waitForStarted(10000))
            return result;
        // Typed once weirctl asks, as a person would (a Ctrl-C typed earlier would hit
        // whatever runs then, not the prompt).
        const bool asked = QTest::qWaitFor(
            [&] {
            result.out += process.readAllStandardOutput();
            return result.out.contains("Proceed? [y/N]");
            },
            20000);
        if (asked)
            process.write(answer);
        result.finished = process.waitForFinished(30000);
        if (!result.finished) {
            process.kill();
            process.waitForFinished(5000);
        }
        result.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
        result.out += process.readAllStandardOutput(); // stdout and stderr, as on a terminal
        result.err = process.readAllStandardError();
        return result;
    }

private Q_SLOTS:
    void initTestCase()
    {
        START_SERVER(m_server);
        m_connection = std::make_unique<RedisConnection>(integration::quickOptions(m_server));
        OPEN_CONNECTED(*m_connection);
    }

    void init() { QCOMPARE(command({"FLUSHALL"}).toDisplayString(), QStringLiteral("OK")); }

    void ackIds()
    {
        fillOrders();
        const QList<QByteArray> before = pending("orders", "billing");
        const CtlResult r = runCtl(
            args({u"ack"_s, u"orders"_s, u"billing"_s, u"2-1"_s, u"8-1"_s, u"15-1"_s, u"--yes"_s}));
        QVERIFY2(r.exitCode == CtlExit::Ok, r.describe());
        const QJsonObject report = r.json();
        QCOMPARE(report.value(u"schema").toString(), QStringLiteral("weirctl.report"));
        QCOMPARE(report.value(u"command").toString(), QStringLiteral("ack"));
        QCOMPARE(report.value(u"total").toInt(), 3);
        QCOMPARE(report.value(u"done").toInt(), 3);
        QCOMPARE(report.value(u"affected").toInt(), 2); // 15-1 was never delivered
        QCOMPARE(report.value(u"not_done").toInt(), 0);
        QVERIFY(report.value(u"error").isNull());
        QList<QByteArray> expected = before;
        expected.removeAt(7); // 8-1
        expected.removeAt(1); // 2-1
        QCOMPARE(pending("orders", "billing"), expected);
        QVERIFY2(r.err.contains("XACK orders billing 2-1 8-1 15-1"), r.err);
    }

    // One id: every count in the plan and the report in the singular.
    void ackOne()
    {
        fillOrders();
        const CtlResult r =
            runCtl(args({u"ack"_s, u"orders"_s, u"billing"_s, u"2-1"_s, u"--yes"_s}));
        QVERIFY2(r.exitCode == CtlExit::Ok, r.describe());
        QVERIFY2(r.err.contains("Ack 1 pending entry of group billing on stream orders, first "
                                "2-1, last 2-1."),
                 r.err);
        QVERIFY2(r.err.contains("1 command for 1 id in 1 chunk, up to "), r.err);
        QVERIFY2(r.err.contains("weirctl ack: 1 of 1 id done\n"), r.err);
        QCOMPARE(r.json().value(u"done").toInt(), 1);
        QCOMPARE(pendingIds("orders", "billing").size(), 9);
    }

    void ackAllPending_data()
    {
        QTest::addColumn<QStringList>("filter");
        QTest::addColumn<QList<QByteArray>>("left");
        QTest::newRow("every") << QStringList{} << QList<QByteArray>{};
        QTest::newRow("consumer") << QStringList{u"--consumer"_s, u"c2"_s}
                                  << QList<QByteArray>{"1-1", "2-1", "3-1", "4-1", "5-1", "6-1"};
        QTest::newRow("idle") << QStringList{u"--idle"_s, u"300000"_s}
                              << QList<QByteArray>{"4-1", "5-1", "6-1", "7-1",
                                                   "8-1", "9-1", "10-1"};
        QTest::newRow("consumer and idle")
            << QStringList{u"--consumer"_s, u"c2"_s, u"--idle"_s, u"300000"_s}
            << QList<QByteArray>{"1-1", "2-1", "3-1", "4-1", "5-1",
                                 "6-1", "7-1", "8-1", "9-1", "10-1"};
    }

    void ackAllPending()
    {
        QFETCH(QStringList, filter);
        QFETCH(QList<QByteArray>, left);
        fillOrders();
        const CtlResult r = runCtl(
            args(QStringList{u"ack"_s, u"orders"_s, u"billing"_s, u"--all-pending"_s, u"--yes"_s}
                 + filter));
        QVERIFY2(r.exitCode == CtlExit::Ok, r.describe());
        const qint64 acked = 10 - left.size();
        QCOMPARE(r.json().value(u"done").toInt(), acked);
        QCOMPARE(r.json().value(u"affected").toInt(), acked);
        QCOMPARE(pendingIds("orders", "billing"), left);
        QCOMPARE(command({"XLEN", "orders"}).toInteger(), 20); // the entries stay
    }

    // Nothing matches: said, an empty report, exit 0, nothing written.
    void nothingToAck()
    {
        fillOrders();
        const Snapshot before = snapshot();
        const CtlResult r = runCtl(args(
            {u"ack"_s, u"orders"_s, u"billing"_s, u"--all-pending"_s, u"--consumer"_s, u"c9"_s}));
        QVERIFY2(r.exitCode == CtlExit::Ok, r.describe());
        QVERIFY2(r.err.contains("nothing to ack: group billing on orders has no pending entries "
                                "of consumer c9"),
                 r.err);
        QCOMPARE(r.json().value(u"total").toInt(), 0);
        QCOMPARE(snapshot(), before);
    }

    void claimIds()
    {
        fillOrders();
        const CtlResult r = runCtl(args({u"claim"_s, u"orders"_s, u"billing"_s, u"c3"_s,
                                         u"--min-idle"_s, u"0"_s, u"2-1"_s, u"7-1"_s, u"--yes"_s}));
        QVERIFY2(r.exitCode == CtlExit::Ok, r.describe());
        QCOMPARE(r.json().value(u"done").toInt(), 2);
        QCOMPARE(pendingIds("orders", "billing", "c3"), (QList<QByteArray>{"2-1", "7-1"}));
        QCOMPARE(pendingIds("orders", "billing").size(), 10);
    }

    // Entries idle less than --min-idle are not claimed: not done, exit 1, and they stay
    // with their consumer.
    void claimNotIdleEnough()
    {
        fillOrders();
        const CtlResult r =
            runCtl(args({u"claim"_s, u"orders"_s, u"billing"_s, u"c3"_s, u"--min-idle"_s,
                         u"300000"_s, u"3-1"_s, u"4-1"_s, u"--yes"_s}));
        QVERIFY2(r.exitCode == CtlExit::Failed, r.describe());
        QCOMPARE(r.json().value(u"done").toInt(), 1);
        QCOMPARE(r.json().value(u"not_done").toInt(), 1);
        QCOMPARE(pendingIds("orders", "billing", "c3"), QList<QByteArray>{"3-1"});
        QCOMPARE(pendingIds("orders", "billing", "c1"),
                 (QList<QByteArray>{"1-1", "2-1", "4-1", "5-1", "6-1"}));
    }

    void claimAll_data()
    {
        QTest::addColumn<QStringList>("filter");
        QTest::addColumn<QList<QByteArray>>("claimed");
        QTest::newRow("idle") << QStringList{u"--min-idle"_s, u"300000"_s}
                              << QList<QByteArray>{"1-1", "2-1", "3-1"};
        QTest::newRow("from c2") << QStringList{u"--min-idle"_s, u"0"_s, u"--from"_s, u"c2"_s}
                                 << QList<QByteArray>{"7-1", "8-1", "9-1", "10-1"};
    }

    void claimAll()
    {
        QFETCH(QStringList, filter);
        QFETCH(QList<QByteArray>, claimed);
        fillOrders();
        const CtlResult r = runCtl(
            args(QStringList{u"claim"_s, u"orders"_s, u"billing"_s, u"c3"_s, u"--all"_s, u"--yes"_s}
                 + filter));
        QVERIFY2(r.exitCode == CtlExit::Ok, r.describe());
        QCOMPARE(r.json().value(u"done").toInt(), claimed.size());
        QCOMPARE(pendingIds("orders", "billing", "c3"), claimed);
        QCOMPARE(pendingIds("orders", "billing").size(), 10);
    }

    void autoclaim()
    {
        fillOrders();
        const CtlResult r =
            runCtl(args({u"autoclaim"_s, u"orders"_s, u"billing"_s, u"c3"_s, u"--min-idle"_s,
                         u"300000"_s, u"--count"_s, u"2"_s, u"--yes"_s}));
        QVERIFY2(r.exitCode == CtlExit::Ok, r.describe());
        const QJsonObject doc = r.json();
        QCOMPARE(doc.value(u"schema").toString(), QStringLiteral("weirctl.autoclaim"));
        QCOMPARE(doc.value(u"claimed").toInt(), 3);
        QVERIFY2(doc.value(u"calls").toInt() >= 2, r.out); // COUNT 2: the cursor was followed
        QCOMPARE(doc.value(u"deleted").toInt(), 0);
        QJsonArray expected;
        for (const char *id : {"1-1", "2-1", "3-1"})
            expected.append(QJsonObject{{u"id"_s, QString::fromLatin1(id)}});
        QCOMPARE(doc.value(u"claimed_ids").toArray(), expected);
        QCOMPARE(pendingIds("orders", "billing", "c3"), (QList<QByteArray>{"1-1", "2-1", "3-1"}));
        QCOMPARE(pendingIds("orders", "billing").size(), 10);
    }

    void trimExact()
    {
        fillOrders();
        const QList<QByteArray> entries = entryIds("orders");
        const CtlResult r = runCtl(
            args({u"trim"_s, u"orders"_s, u"--maxlen"_s, u"12"_s, u"--exact"_s, u"--yes"_s}));
        QVERIFY2(r.exitCode == CtlExit::Ok, r.describe());
        QCOMPARE(entryIds("orders"), entries.mid(8));
        const QJsonObject doc = r.json();
        QCOMPARE(doc.value(u"schema").toString(), QStringLiteral("weirctl.trim"));
        QCOMPARE(doc.value(u"length").toInt(), 20);
        QCOMPARE(doc.value(u"to_remove").toInt(), 8);
        QCOMPARE(doc.value(u"removed").toInt(), 8);
        QVERIFY(doc.value(u"beyond_target").isNull());
        // The preview warned: billing has 8 of its 10 pending among the entries that went;
        // audit had read none of them.
        QVERIFY2(r.err.contains("8 of 20 entries go"), r.err);
        QVERIFY2(r.err.contains("Group billing: WARNING: 8 of its 10 pending entries would point "
                                "at deleted entries"),
                 r.err);
        QVERIFY2(r.err.contains("Group audit: no pending entry is affected; WARNING: it has not "
                                "read all the entries that go"),
                 r.err);
        QVERIFY2(r.err.contains("XTRIM orders MAXLEN = 12"), r.err);
    }

    void trimApproximate()
    {
        fill("events", 1000, 0);
        const CtlResult r =
            runCtl(args({u"trim"_s, u"events"_s, u"--minid"_s, u"901-1"_s, u"--yes"_s}));
        QVERIFY2(r.exitCode == CtlExit::Ok, r.describe());
        const qint64 length = command({"XLEN", "events"}).toInteger();
        const QJsonObject doc = r.json();
        QCOMPARE(doc.value(u"exact").toBool(), false);
        QCOMPARE(doc.value(u"to_remove").toInt(), 900);
        QCOMPARE(doc.value(u"removed").toInt(), 1000 - length);
        // ~ keeps whole nodes: what is left is the newest 100 and the rest of their node.
        QCOMPARE(doc.value(u"beyond_target").toInt(), length - 100);
        QCOMPARE(entryIds("events").constLast(), QByteArray("1000-1"));
        QVERIFY2(length >= 100 && length < 1000, QByteArray::number(length));
    }

    void deleteEntries()
    {
        fillOrders();
        const CtlResult r =
            runCtl(args({u"delete"_s, u"orders"_s, u"2-1"_s, u"15-1"_s, u"99-1"_s, u"--yes"_s}));
        QVERIFY2(r.exitCode == CtlExit::Ok, r.describe());
        QCOMPARE(r.json().value(u"done").toInt(), 3);
        QCOMPARE(r.json().value(u"affected").toInt(), 2);
        QList<QByteArray> left = entryIds("orders");
        QCOMPARE(left.size(), 18);
        QVERIFY(!left.contains("2-1") && !left.contains("15-1"));
        // 2-1 was pending in billing: XDEL leaves it there, and the plan said so.
        QVERIFY2(r.err.contains("WARNING: pending entries among them: 1 in billing"), r.err);
        QVERIFY(pendingIds("orders", "billing").contains("2-1"));
    }

    void deleteAndAck()
    {
        fillOrders();
        const CtlResult r =
            runCtl(args({u"delete"_s, u"orders"_s, u"2-1"_s, u"8-1"_s, u"--ack"_s, u"--yes"_s}));
        QVERIFY2(r.exitCode == CtlExit::Ok, r.describe());
        QVERIFY2(r.err.contains("MULTI/EXEC"), r.err);
        QCOMPARE(entryIds("orders").size(), 18);
        const QList<QByteArray> stillPending = pendingIds("orders", "billing");
        QCOMPARE(stillPending.size(), 8);
        QVERIFY(!stillPending.contains("2-1") && !stillPending.contains("8-1"));
    }

    // Every write, refused three ways: nothing is written (every key's DUMP is the same).
    void refused_data()
    {
        QTest::addColumn<QStringList>("command");
        QTest::addColumn<QString>("planned"); // a line of the plan, as redis-cli takes it
        QTest::addColumn<QString>("counted"); // the plan's counts, in words
        QTest::newRow("ack") << QStringList{u"ack"_s, u"orders"_s, u"billing"_s, u"1-1"_s, u"2-1"_s}
                             << QStringLiteral("XACK orders billing 1-1 2-1")
                             << QStringLiteral("1 command for 2 ids in 1 chunk");
        QTest::newRow("ack all") << QStringList{u"ack"_s, u"orders"_s, u"billing"_s,
                                                u"--all-pending"_s}
                                 << QStringLiteral("XACK orders billing 1-1 2-1 3-1 4-1 5-1")
                                 << QStringLiteral("Ack 10 pending entries of group billing");
        QTest::newRow("claim") << QStringList{u"claim"_s,      u"orders"_s, u"billing"_s, u"c3"_s,
                                              u"--min-idle"_s, u"0"_s,      u"1-1"_s}
                               << QStringLiteral("XCLAIM orders billing c3 0 1-1")
                               << QStringLiteral("Claim 1 pending entry of group billing");
        QTest::newRow("autoclaim")
            << QStringList{u"autoclaim"_s, u"orders"_s,     u"billing"_s,
                           u"c3"_s,        u"--min-idle"_s, u"0"_s}
            << QStringLiteral("XAUTOCLAIM orders billing c3 0 0-0 COUNT 1000")
            << QStringLiteral("it holds 10 entries, 1-1 to 10-1");
        QTest::newRow("trim") << QStringList{u"trim"_s, u"orders"_s, u"--maxlen"_s, u"5"_s}
                              << QStringLiteral("XTRIM orders MAXLEN ~ 5")
                              << QStringLiteral("Up to 15 of 20 entries go");
        QTest::newRow("delete") << QStringList{u"delete"_s, u"orders"_s, u"1-1"_s}
                                << QStringLiteral("XDEL orders 1-1")
                                << QStringLiteral("Delete 1 entry from stream orders");
    }

    void refused()
    {
        QFETCH(QStringList, command);
        QFETCH(QString, planned);
        QFETCH(QString, counted);
        fillOrders();
        const Snapshot before = snapshot();

        // Not on a terminal, without --yes.
        CtlResult r = runCtl(args(command));
        QVERIFY2(r.exitCode == CtlExit::Refused, r.describe());
        QVERIFY2(r.err.contains(planned.toUtf8()), r.err);
        QVERIFY2(r.err.contains("give --yes"), r.err);
        QCOMPARE(snapshot(), before);

        // --dry-run: the plan on stderr, the commands on stdout, exit 0.
        r = runCtl(args(command + QStringList{u"--dry-run"_s}));
        QVERIFY2(r.exitCode == CtlExit::Ok, r.describe());
        QVERIFY2(r.err.contains("Dry run: nothing was written."), r.err);
        QVERIFY2(r.err.contains(counted.toUtf8()), r.err);
        QVERIFY2(r.out.startsWith(planned.toUtf8()), r.out);
        QCOMPARE(snapshot(), before);

        // Read-only, even with --yes.
        r = runCtl(args(command + QStringList{u"--read-only"_s, u"--yes"_s}));
        QVERIFY2(r.exitCode == CtlExit::Refused, r.describe());
        QVERIFY2(r.err.contains("read-only"), r.err);
        QCOMPARE(snapshot(), before);
    }

    void dryRunPrintsEveryCommand()
    {
        fill("big", 2500, 2500);
        const CtlResult r =
            runCtl(args({u"ack"_s, u"big"_s, u"billing"_s, u"--all-pending"_s, u"--dry-run"_s}));
        QVERIFY2(r.exitCode == CtlExit::Ok, r.describe());
        const QList<QByteArray> lines = r.out.trimmed().split('\n');
        QCOMPARE(lines.size(), 3); // chunks of 1000
        QCOMPARE(lines.at(2).split(' ').size(), 3 + 500);
        QVERIFY(lines.at(2).endsWith(" 2500-1"));
        QVERIFY2(r.err.contains("3 commands for 2500 ids in 3 chunks"), r.err);
        QCOMPARE(pendingIds("big", "billing").size(), 2500);
    }

    void redisErrors_data()
    {
        QTest::addColumn<QStringList>("command");
        QTest::addColumn<QString>("error");
        QTest::newRow("ack, no group")
            << QStringList{u"ack"_s, u"orders"_s, u"nosuch"_s, u"--all-pending"_s, u"--yes"_s}
            << QStringLiteral("NOGROUP");
        QTest::newRow("claim, no group")
            << QStringList{u"claim"_s,      u"orders"_s, u"nosuch"_s, u"c3"_s,
                           u"--min-idle"_s, u"0"_s,      u"1-1"_s,    u"--yes"_s}
            << QStringLiteral("NOGROUP");
        QTest::newRow("autoclaim, no group")
            << QStringList{u"autoclaim"_s,  u"orders"_s, u"nosuch"_s, u"c3"_s,
                           u"--min-idle"_s, u"0"_s,      u"--yes"_s}
            << QStringLiteral("NOGROUP");
        QTest::newRow("trim, not a stream")
            << QStringList{u"trim"_s, u"plain"_s, u"--maxlen"_s, u"1"_s, u"--yes"_s}
            << QStringLiteral("WRONGTYPE");
        QTest::newRow("delete, not a stream")
            << QStringList{u"delete"_s, u"plain"_s, u"1-1"_s, u"--yes"_s}
            << QStringLiteral("WRONGTYPE");
    }

    // A Redis error reaches the user verbatim with Weir's hint, exit 1, nothing written.
    void redisErrors()
    {
        QFETCH(QStringList, command);
        QFETCH(QString, error);
        fillOrders();
        QCOMPARE(this->command({"SET", "plain", "x"}).toDisplayString(), QStringLiteral("OK"));
        const Snapshot before = snapshot();
        const CtlResult r = runCtl(args(command));
        QVERIFY2(r.exitCode == CtlExit::Failed, r.describe());
        QVERIFY2(r.err.contains("weirctl: ") && r.err.contains(error.toUtf8()), r.err);
        QVERIFY2(r.err.contains("\nhint: "), r.err);
        QCOMPARE(snapshot(), before);
    }

    // An error from the write itself: the report says which ids failed and why.
    void failedChunk()
    {
        QCOMPARE(command({"SET", "plain", "x"}).toDisplayString(), QStringLiteral("OK"));
        const CtlResult r =
            runCtl(args({u"ack"_s, u"plain"_s, u"g"_s, u"1-1"_s, u"2-1"_s, u"--yes"_s}));
        QVERIFY2(r.exitCode == CtlExit::Failed, r.describe());
        const QJsonObject report = r.json();
        QCOMPARE(report.value(u"failed").toInt(), 2);
        QCOMPARE(report.value(u"done").toInt(), 0);
        QVERIFY(report.value(u"error").toString().startsWith(u"WRONGTYPE"));
        const QJsonArray reasons = report.value(u"reasons").toArray();
        QCOMPARE(reasons.size(), 1);
        QCOMPARE(reasons.at(0).toObject().value(u"state").toString(), QStringLiteral("failed"));
        QCOMPARE(reasons.at(0).toObject().value(u"count").toInt(), 2);
        QVERIFY(reasons.at(0).toObject().value(u"reason").toString().startsWith(u"WRONGTYPE"));
        QCOMPARE(report.value(u"ids").toArray().size(), 2);
        QVERIFY2(r.err.contains("weirctl: ack: WRONGTYPE") && r.err.contains("hint: "), r.err);
    }

    void usageErrors_data()
    {
        QTest::addColumn<QStringList>("command");
        QTest::newRow("ack without ids") << QStringList{u"ack"_s, u"orders"_s, u"billing"_s};
        QTest::newRow("ack ids and all")
            << QStringList{u"ack"_s, u"orders"_s, u"billing"_s, u"1-1"_s, u"--all-pending"_s};
        QTest::newRow("ack bad id") << QStringList{u"ack"_s, u"orders"_s, u"billing"_s, u"x-1"_s};
        QTest::newRow("claim without min-idle")
            << QStringList{u"claim"_s, u"orders"_s, u"billing"_s, u"c3"_s, u"1-1"_s};
        QTest::newRow("trim both")
            << QStringList{u"trim"_s, u"orders"_s, u"--maxlen"_s, u"1"_s, u"--minid"_s, u"1-1"_s};
        QTest::newRow("trim limit exact") << QStringList{
            u"trim"_s, u"orders"_s, u"--maxlen"_s, u"1"_s, u"--exact"_s, u"--limit"_s, u"10"_s};
        QTest::newRow("delete without ids") << QStringList{u"delete"_s, u"orders"_s};
    }

    void usageErrors()
    {
        QFETCH(QStringList, command);
        const CtlResult r = runCtl(args(command + QStringList{u"--yes"_s}));
        QVERIFY2(r.exitCode == CtlExit::Usage, r.describe());
    }

    void terminalConfirmation_data()
    {
        QTest::addColumn<QByteArray>("answer");
        QTest::addColumn<int>("exitCode");
        QTest::newRow("yes") << QByteArray("y\n") << CtlExit::Ok;
        QTest::newRow("no") << QByteArray("n\n") << CtlExit::Refused;
        QTest::newRow("enter") << QByteArray("\n") << CtlExit::Refused;
        // Ctrl-C at the prompt (or before it) ends weirctl at once, nothing written.
        QTest::newRow("ctrl-c") << QByteArray("\x03") << CtlExit::Interrupted;
    }

    void terminalConfirmation()
    {
        QFETCH(QByteArray, answer);
        QFETCH(int, exitCode);
        fillOrders();
        const Snapshot before = snapshot();
        const CtlResult r = runOnTerminal(
            serverArgs(m_server)
                + QStringList{u"ack"_s, u"orders"_s, u"billing"_s, u"4-1"_s, u"9-1"_s},
            answer);
        QVERIFY2(r.finished && r.exitCode == exitCode, r.describe());
        QVERIFY2(r.out.contains("Proceed? [y/N]"), r.out);
        if (exitCode == CtlExit::Ok) {
            QCOMPARE(pendingIds("orders", "billing").size(), 8);
            QVERIFY(!pendingIds("orders", "billing").contains("4-1"));
            QVERIFY2(r.out.contains("weirctl ack: 2 of 2 ids done"), r.out);
        } else {
            if (exitCode == CtlExit::Refused)
                QVERIFY2(r.out.contains("Nothing was written."), r.out);
            QCOMPARE(snapshot(), before);
        }
    }

    // Ctrl-C half-way through a large ack: the chunks in flight finish, no other is sent,
    // the report is printed, exit 130; the ids acked are exactly the first `done` (chunks
    // go in id order, each whole), every other one is still pending.
    void interruptedAck()
    {
        constexpr int Total = 200000;
        fill("big", Total, Total);
        QCOMPARE(command({"XPENDING", "big", "billing"}).at(0).toInteger(), Total);
        std::unique_ptr<QProcess> process =
            startCtl(args({u"ack"_s, u"big"_s, u"billing"_s, u"--all-pending"_s, u"--rate"_s,
                           u"100000"_s, u"--yes"_s}));
        QVERIFY(process->waitForStarted(10000));
        // Once a good part is acked, and well before the end.
        QTRY_VERIFY_WITH_TIMEOUT(
            command({"XPENDING", "big", "billing"}).at(0).toInteger() < Total - 20000, 20000);
        ::kill(pid_t(process->processId()), SIGINT);
        const CtlResult r = finishCtl(*process, 20000);
        QVERIFY2(r.exitCode == CtlExit::Interrupted, r.describe());
        QVERIFY2(r.err.contains("stopping after the chunk under way"), r.err);
        QVERIFY2(r.err.contains(QByteArray("of ") + QByteArray::number(Total) + " ids"), r.err);
        const QJsonObject report = r.json();
        QCOMPARE(report.value(u"interrupted").toBool(), true);
        const int done = report.value(u"done").toInt();
        QCOMPARE(done + report.value(u"not_done").toInt(), Total);
        QCOMPARE(report.value(u"unknown").toInt(), 0);
        QCOMPARE(report.value(u"failed").toInt(), 0);
        QVERIFY2(done >= 20000 && done < Total, QByteArray::number(done));
        QCOMPARE(done % 1000, 0); // whole chunks
        const RedisValue left = command({"XPENDING", "big", "billing"});
        QCOMPARE(left.at(0).toInteger(), Total - done);
        QCOMPARE(left.at(1).bytes(), QByteArray::number(done + 1) + "-1");
        QCOMPARE(left.at(2).bytes(), QByteArray::number(Total) + "-1");
    }

    // Ctrl-C during a sweep: the call under way finishes, no other is sent; every entry
    // is pending either for the sweeping consumer (and listed as claimed) or for its
    // first one.
    void interruptedAutoclaim()
    {
        constexpr int Total = 20000;
        fill("sweep", Total, Total);
        std::unique_ptr<QProcess> process =
            startCtl(args({u"autoclaim"_s, u"sweep"_s, u"billing"_s, u"c3"_s, u"--min-idle"_s,
                           u"0"_s, u"--count"_s, u"1"_s, u"--yes"_s}));
        QVERIFY(process->waitForStarted(10000));
        const auto claimedSoFar = [this] {
            const RedisValue summary = command({"XPENDING", "sweep", "billing"});
            for (const RedisValue &consumer : summary.at(3).elements())
                if (consumer.at(0).bytes() == "c3")
                    return consumer.at(1).bytes().toInt();
            return 0;
        };
        QTRY_VERIFY_WITH_TIMEOUT(claimedSoFar() > 500, 20000);
        ::kill(pid_t(process->processId()), SIGINT);
        const CtlResult r = finishCtl(*process, 20000);
        QVERIFY2(r.exitCode == CtlExit::Interrupted, r.describe());
        const QJsonObject doc = r.json();
        QCOMPARE(doc.value(u"interrupted").toBool(), true);
        QCOMPARE(doc.value(u"last_call_unknown").toBool(), false);
        QList<QByteArray> listed;
        const QJsonArray claimed = doc.value(u"claimed_ids").toArray();
        for (const auto &row : claimed)
            listed << row.toObject().value(u"id").toString().toUtf8();
        QCOMPARE(doc.value(u"claimed").toInt(), listed.size());
        QVERIFY2(listed.size() > 500 && listed.size() < Total, QByteArray::number(listed.size()));
        QCOMPARE(pendingIds("sweep", "billing", "c3"), listed);
        QCOMPARE(pendingIds("sweep", "billing", "c1").size() + listed.size(), Total);
    }
};

QTEST_GUILESS_MAIN(tst_CtlWrites)
#include "tst_ctlwrites.moc"
