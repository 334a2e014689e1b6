// weirctl's dead-letter and file commands (move-to-dlq, replay, export, import) run as a
// process against a real server the test fills: a move writes exactly Weir's dead letters
// and acks exactly the entries chosen, a replay puts them back, nothing is written unless
// confirmed (every key's DUMP compared), a move and a replay stopped with Ctrl-C half-way
// lose and duplicate nothing, and an export imported into a new stream gives the same ids
// and fields.

#include "../integration/integrationsupport.h"
#include "connectionprofiles.h"
#include "ctlcommand.h"
#include "ctltestsupport.h"
#include "deadletterfixtures.h"
#include "keyslot.h"
#include "localrediscluster.h"

#include <QFile>
#include <QJsonArray>
#include <QSet>
#include <QSettings>

#include <csignal>

using namespace ctltest;

namespace {

using Fields = QList<QPair<QByteArray, QByteArray>>;

struct Entry
{
    QByteArray id;
    Fields fields;
    bool operator==(const Entry &o) const { return id == o.id && fields == o.fields; }
};

QByteArray fieldValue(const Fields &fields, const QByteArray &name)
{
    for (const auto &[n, v] : fields) {
        if (n == name)
            return v;
    }
    return {};
}

} // namespace

class tst_CtlRepair : public QObject
{
    Q_OBJECT

private:
    LocalRedisServer m_server;
    std::unique_ptr<RedisConnection> m_connection;
    QTemporaryDir m_dir;

    RedisValue command(QList<QByteArray> argv)
    {
        return integration::command(*m_connection, RedisCommand{std::move(argv)});
    }

    QStringList args(const QList<QByteArray> &rest) const
    {
        QStringList out = serverArgs(m_server);
        out << QStringLiteral("--format") << QStringLiteral("json");
        for (const QByteArray &arg : rest)
            out << QString::fromUtf8(arg);
        return out;
    }

    Snapshot snapshot() { return ctltest::snapshot(*m_connection); }

    QList<Entry> entries(const QByteArray &key)
    {
        QList<Entry> out;
        const RedisValue range = command({"XRANGE", key, "-", "+"});
        for (const RedisValue &e : range.elements()) {
            Entry entry{e.at(0).bytes(), {}};
            const RedisValue &f = e.at(1);
            for (qsizetype i = 0; i + 1 < f.size(); i += 2)
                entry.fields.append({f.at(i).bytes(), f.at(i + 1).bytes()});
            out.append(entry);
        }
        return out;
    }

    QList<QByteArray> pendingIds(const QByteArray &key, const QByteArray &group)
    {
        QList<QByteArray> ids;
        const RedisValue pending = command({"XPENDING", key, group, "-", "+", "1000000"});
        for (const RedisValue &e : pending.elements())
            ids << e.at(0).bytes();
        return ids;
    }

    // `n` entries 1-1 .. n-1 in `key` (fields: n, a JSON value, bytes that are not UTF-8, and
    // a name that occurs twice), all delivered to consumer c1 of group `billing`; the first
    // `twice` of them delivered a second time.
    void fill(const QByteArray &key, int n, int twice = 0)
    {
        const QByteArray add =
            "for i = 1, tonumber(ARGV[1]) do redis.call('XADD', KEYS[1], i .. '-1', 'n', i, "
            "'value', '{\"amount\":' .. i .. '}', 'blob', '\\0\\255' .. i, 'tag', 'a', 'tag', "
            "'b') end return redis.call('XLEN', KEYS[1])";
        const RedisValue added = command({"EVAL", add, "1", key, QByteArray::number(n)});
        QCOMPARE(added.toInteger(), n);
        QCOMPARE(command({"XGROUP", "CREATE", key, "billing", "0"}).toDisplayString(),
                 QStringLiteral("OK"));
        const QByteArray read = "return #redis.call('XREADGROUP', 'GROUP', 'billing', 'c1', "
                                "'COUNT', ARGV[1], 'STREAMS', KEYS[1], ARGV[2])[1][2]";
        QCOMPARE(command({"EVAL", read, "1", key, QByteArray::number(n), ">"}).toInteger(), n);
        if (twice > 0)
            QCOMPARE(command({"EVAL", read, "1", key, QByteArray::number(twice), "0"}).toInteger(),
                     twice);
    }

    // Waits until weirctl shows progress on stderr (kept in `err`), then sends it Ctrl-C.
    // The runs it stops are given a --rate that makes them last seconds, so that Ctrl-C lands
    // in the middle however busy the machine; stopped early, they take no longer for it.
    void interruptOnProgress(QProcess &process, const QByteArray &progress, QByteArray *err)
    {
        QVERIFY(process.waitForStarted(10000));
        QTRY_VERIFY_WITH_TIMEOUT((*err += process.readAllStandardError()).contains(progress),
                                 20000);
        ::kill(pid_t(process.processId()), SIGINT);
    }

private Q_SLOTS:
    void initTestCase()
    {
        START_SERVER(m_server);
        m_connection = std::make_unique<RedisConnection>(integration::quickOptions(m_server));
        OPEN_CONNECTED(*m_connection);
    }

    void init() { QCOMPARE(command({"FLUSHALL"}).toDisplayString(), QStringLiteral("OK")); }

    // The entries delivered twice go to orders:dlq (the first name of Weir's conventions)
    // with Weir's metadata and their own fields, and leave the pending list; replaying them
    // writes the messages back as they were and empties the dead-letter stream.
    void moveThenReplay()
    {
        fill("orders", 20, 5);
        const QList<Entry> before = entries("orders");
        const CtlResult moved = runCtl(args({"move-to-dlq", "orders", "billing", "--min-deliveries",
                                             "2", "--reason", "amount is not a number", "--yes"}));
        QVERIFY2(moved.exitCode == CtlExit::Ok, moved.describe());
        QVERIFY2(moved.err.contains("Move 5 pending entries of group billing on orders delivered "
                                    "at least 2 times to the dead-letter stream orders:dlq"),
                 moved.err);
        const QJsonObject report = moved.json();
        QCOMPARE(report.value(QLatin1String("schema")).toString(),
                 QStringLiteral("weirctl.report"));
        QCOMPARE(report.value(QLatin1String("command")).toString(), QStringLiteral("move-to-dlq"));
        QCOMPARE(report.value(QLatin1String("total")).toInt(), 5);
        QCOMPARE(report.value(QLatin1String("done")).toInt(), 5);
        QCOMPARE(report.value(QLatin1String("not_done")).toInt(), 0);

        QCOMPARE(entries("orders"), before); // acked, not deleted
        QList<QByteArray> stillPending;
        for (int i = 6; i <= 20; ++i)
            stillPending << QByteArray::number(i) + "-1";
        QCOMPARE(pendingIds("orders", "billing"), stillPending);
        const QList<Entry> dead = entries("orders:dlq");
        QCOMPARE(dead.size(), 5);
        for (int i = 0; i < 5; ++i) {
            const Fields &f = dead.at(i).fields;
            QCOMPARE(f.size(), 6 + before.at(i).fields.size());
            QCOMPARE(f.at(0), qMakePair(QByteArray("originalTopicName"), QByteArray("orders")));
            QCOMPARE(f.at(1), qMakePair(QByteArray("originalMessageId"), before.at(i).id));
            QCOMPARE(f.at(2), qMakePair(QByteArray("consumerGroupId"), QByteArray("billing")));
            QCOMPARE(f.at(3),
                     qMakePair(QByteArray("failureReason"), QByteArray("amount is not a number")));
            QCOMPARE(f.at(4), qMakePair(QByteArray("retryCount"), QByteArray("2")));
            QCOMPARE(f.at(5).first, QByteArray("failedAt"));
            QVERIFY2(QDateTime::fromString(QString::fromUtf8(f.at(5).second), Qt::ISODateWithMs)
                         .isValid(),
                     f.at(5).second);
            QCOMPARE(f.mid(6), before.at(i).fields);
        }

        const CtlResult replayed = runCtl(args({"replay", "orders:dlq", "--all", "--yes"}));
        QVERIFY2(replayed.exitCode == CtlExit::Ok, replayed.describe());
        QVERIFY2(replayed.err.contains("Replay 5 dead letters from orders:dlq to orders (5)"),
                 replayed.err);
        QCOMPARE(replayed.json().value(QLatin1String("done")).toInt(), 5);
        QCOMPARE(command({"XLEN", "orders:dlq"}).toInteger(), 0);
        const QList<Entry> after = entries("orders");
        QCOMPARE(after.size(), 25);
        QCOMPARE(after.mid(0, 20), before); // the originals untouched
        for (int i = 0; i < 5; ++i) {
            QCOMPARE(after.at(20 + i).fields, before.at(i).fields); // the message as it was
            QVERIFY(*StreamId::parse(before.last().id) < *StreamId::parse(after.at(20 + i).id));
        }
        QCOMPARE(pendingIds("orders", "billing"), stillPending);
    }

    // Ids name exactly the entries moved, into the stream --to names; one not pending is
    // skipped and the report says why.
    void moveByIds()
    {
        fill("orders", 10);
        QCOMPARE(command({"XACK", "orders", "billing", "4-1"}).toInteger(), 1);
        const CtlResult r = runCtl(args({"move-to-dlq", "orders", "billing", "2-1", "4-1", "7-1",
                                         "--to", "poison", "--reason", "bad", "--yes"}));
        QVERIFY2(r.exitCode == CtlExit::Failed, r.describe()); // one id was not done
        const QJsonObject report = r.json();
        QCOMPARE(report.value(QLatin1String("done")).toInt(), 2);
        QCOMPARE(report.value(QLatin1String("not_done")).toInt(), 1);
        const QJsonArray ids = report.value(QLatin1String("ids")).toArray();
        QCOMPARE(ids.size(), 1);
        QCOMPARE(ids.at(0).toObject().value(QLatin1String("id")).toString(), QStringLiteral("4-1"));
        QCOMPARE(ids.at(0).toObject().value(QLatin1String("reason")).toString(),
                 QStringLiteral("no longer pending in the group"));
        const QList<Entry> dead = entries("poison");
        QCOMPARE(dead.size(), 2);
        QCOMPARE(fieldValue(dead.at(0).fields, "originalMessageId"), QByteArray("2-1"));
        QCOMPARE(fieldValue(dead.at(1).fields, "originalMessageId"), QByteArray("7-1"));
        QCOMPARE(command({"EXISTS", "orders:dlq"}).toInteger(), 0);
        const QList<QByteArray> pending = pendingIds("orders", "billing");
        QCOMPARE(pending.size(), 7);
        QVERIFY(!pending.contains("2-1") && !pending.contains("7-1"));
    }

    // Without --to, the dead letters go to the stream of Weir's dead-letter names that
    // exists already (here the last of them), not to a new one.
    void moveFindsTheExistingDeadLetterStream()
    {
        fill("orders", 3);
        QVERIFY(!command({"XADD", "orders_dlq", "*", "note", "older dead letter"}).isError());
        const CtlResult r =
            runCtl(args({"move-to-dlq", "orders", "billing", "3-1", "--reason", "bad", "--yes"}));
        QVERIFY2(r.exitCode == CtlExit::Ok, r.describe());
        QVERIFY2(r.err.contains("to the dead-letter stream orders_dlq (the existing stream"),
                 r.err);
        const QList<Entry> dead = entries("orders_dlq");
        QCOMPARE(dead.size(), 2);
        QCOMPARE(fieldValue(dead.at(1).fields, "originalMessageId"), QByteArray("3-1"));
        QCOMPARE(command({"EXISTS", "orders:dlq"}).toInteger(), 0);
    }

    // With --profile, the dead letters are named and laid out as that connection's
    // dead-letter settings in Weir say, and replayed by the same names.
    void profileConventions()
    {
        {
            QSettings settings(privateSettingsFile(), QSettings::IniFormat);
            ConnectionProfile profile;
            profile.id = QStringLiteral("repair-test");
            profile.options = m_server.options();
            profile.options.name = QStringLiteral("queues");
            ProfileStore(&settings).save(profile);
            DeadLetterConventions conventions = DeadLetterConventions::defaults();
            static_cast<DeadLetterFields &>(conventions) = snakeCaseDeadLetterFields();
            conventions.patterns = {QStringLiteral("dead-letters:{stream}")};
            conventions.save(settings, QStringLiteral("connections/repair-test"));
            settings.sync();
        }
        fill("orders", 4, 2);
        const QList<Entry> before = entries("orders");
        const CtlResult moved =
            runCtl(args({"--profile", "queues", "move-to-dlq", "orders", "billing",
                         "--min-deliveries", "2", "--reason", "schema", "--yes"}));
        QVERIFY2(moved.exitCode == CtlExit::Ok, moved.describe());
        const QList<Entry> dead = entries("dead-letters:orders");
        QCOMPARE(dead.size(), 2);
        QCOMPARE(dead.at(1).fields.at(0),
                 qMakePair(QByteArray("original_topic_name"), QByteArray("orders")));
        QCOMPARE(dead.at(1).fields.at(1),
                 qMakePair(QByteArray("original_message_id"), QByteArray("2-1")));
        QCOMPARE(dead.at(1).fields.at(3),
                 qMakePair(QByteArray("failure_reason"), QByteArray("schema")));
        QCOMPARE(command({"EXISTS", "orders:dlq"}).toInteger(), 0);

        const CtlResult replayed = runCtl(
            args({"--profile", "queues", "replay", "dead-letters:orders", "--all", "--yes"}));
        QVERIFY2(replayed.exitCode == CtlExit::Ok, replayed.describe());
        const QList<Entry> after = entries("orders");
        QCOMPARE(after.size(), 6);
        QCOMPARE(after.at(4).fields, before.at(0).fields);
        QCOMPARE(after.at(5).fields, before.at(1).fields);
        QCOMPARE(command({"XLEN", "dead-letters:orders"}).toInteger(), 0);
    }

    // Off a terminal without --yes, and on a read-only connection, nothing is written (exit
    // 77); --dry-run prints exactly what would be written and exits 0, writing nothing.
    void nothingWrittenUnlessConfirmed()
    {
        fill("orders", 12, 4);
        QVERIFY(runCtl(args({"move-to-dlq", "orders", "billing", "1-1", "--yes"})).exitCode == 0);
        QVERIFY(m_dir.isValid());
        const QString file = m_dir.filePath(QStringLiteral("orders.jsonl"));
        QCOMPARE(runCtl(args({"export", "orders", file.toUtf8()})).exitCode, CtlExit::Ok);
        const Snapshot before = snapshot();

        const QList<QList<QByteArray>> writes{
            {"move-to-dlq", "orders", "billing", "--min-deliveries", "2"},
            {"replay", "orders:dlq", "--all"},
            {"import", file.toUtf8(), "--to", "copy"}};
        for (const QList<QByteArray> &write : writes) {
            const CtlResult refused = runCtl(args(write));
            QVERIFY2(refused.exitCode == CtlExit::Refused, refused.describe());
            QVERIFY2(refused.err.contains("not on a terminal"), refused.err);
            const CtlResult readOnly =
                runCtl(args(write + QList<QByteArray>{"--read-only", "--yes"}));
            QVERIFY2(readOnly.exitCode == CtlExit::Refused, readOnly.describe());
            QVERIFY2(readOnly.err.contains("read-only"), readOnly.err);
            QCOMPARE(snapshot(), before);
        }

        // The dry runs print every command as redis-cli takes it, and write nothing.
        const CtlResult move = runCtl(args(writes.at(0) + QList<QByteArray>{"--dry-run"}));
        QVERIFY2(move.exitCode == CtlExit::Ok, move.describe());
        QVERIFY2(move.err.contains("Dry run: nothing was written."), move.err);
        QList<QByteArray> lines = move.out.trimmed().split('\n');
        QCOMPARE(lines.size(), 4); // 2-1 .. 4-1: 1-1 is a dead letter already
        QVERIFY2(lines.at(0).startsWith("SCRIPT LOAD \"-- Weir: move one pending entry"),
                 lines.at(0));
        for (int i = 1; i <= 3; ++i) {
            const QByteArray id = QByteArray::number(i + 1) + "-1";
            QVERIFY2(lines.at(i).startsWith("EVALSHA ")
                         && lines.at(i).contains(" 2 orders orders:dlq billing " + id + " 0 "),
                     lines.at(i));
        }

        const CtlResult replay = runCtl(args(writes.at(1) + QList<QByteArray>{"--dry-run"}));
        QVERIFY2(replay.exitCode == CtlExit::Ok, replay.describe());
        lines = replay.out.trimmed().split('\n');
        QCOMPARE(lines.size(), 2);
        const QByteArray deadId = entries("orders:dlq").value(0).id;
        QVERIFY2(lines.at(1).contains(" 2 orders:dlq orders " + deadId
                                      + " n 1 value \"{\\\"amount\\\":1}\" blob "),
                 lines.at(1));

        const CtlResult import = runCtl(args(writes.at(2) + QList<QByteArray>{"--dry-run"}));
        QVERIFY2(import.exitCode == CtlExit::Ok, import.describe());
        lines = import.out.trimmed().split('\n');
        QCOMPARE(lines.size(), 12);
        QVERIFY2(lines.at(11).startsWith("XADD copy 12-1 n 12 value "), lines.at(11));
        QCOMPARE(snapshot(), before);

        // What the move's dry run printed is what the move writes: redis-cli, given it,
        // moves the same entries.
        QProcess cli;
        cli.start(QStringLiteral("redis-cli"),
                  {QStringLiteral("-p"), QString::number(m_server.port())});
        QVERIFY(cli.waitForStarted(10000));
        cli.write(move.out);
        cli.closeWriteChannel();
        QVERIFY(cli.waitForFinished(10000));
        QCOMPARE(pendingIds("orders", "billing").size(), 12 - 4);
        const QList<Entry> dead = entries("orders:dlq");
        QCOMPARE(dead.size(), 4);
        QCOMPARE(fieldValue(dead.at(3).fields, "originalMessageId"), QByteArray("4-1"));
        QCOMPARE(fieldValue(dead.at(3).fields, "retryCount"), QByteArray("2"));
        QCOMPARE(dead.at(3).fields.mid(6), entries("orders").at(3).fields);
    }

    // Ctrl-C half-way through a large move: the chunks under way finish, the report is
    // printed, exit 130; every message is in exactly one place (still pending, or a dead
    // letter), none twice. Run again, the move finishes what is left.
    void interruptedMoveLosesNothing()
    {
        static constexpr int Total = 50000;
        fill("big", Total);
        std::unique_ptr<QProcess> process =
            startCtl(args({"move-to-dlq", "big", "billing", "--min-idle", "0", "--reason",
                           "load test", "--rate", "10000", "--yes"}));
        QByteArray err;
        interruptOnProgress(*process, "of 50000 ids", &err);
        const CtlResult r = finishCtl(*process, 20000);
        err += r.err;
        QVERIFY2(r.exitCode == CtlExit::Interrupted, r.describe() + "\nstderr before: " + err);
        QVERIFY2(err.contains("stopping after the chunk under way"), err);
        const QJsonObject report = r.json();
        QCOMPARE(report.value(QLatin1String("interrupted")).toBool(), true);
        const int done = report.value(QLatin1String("done")).toInt();
        QVERIFY2(done > 0 && done < Total, QByteArray::number(done));
        QCOMPARE(done + report.value(QLatin1String("not_done")).toInt(), Total);
        QCOMPARE(report.value(QLatin1String("unknown")).toInt(), 0);

        const auto checkOnePlace = [this](int movedExpected) {
            const QList<QByteArray> pending = pendingIds("big", "billing");
            QSet<QByteArray> where(pending.cbegin(), pending.cend());
            const QList<Entry> dead = entries("big:dlq");
            QCOMPARE(dead.size(), movedExpected);
            for (const Entry &e : dead) {
                const QByteArray id = fieldValue(e.fields, "originalMessageId");
                QVERIFY2(!where.contains(id), id + " is both pending and a dead letter");
                where.insert(id);
            }
            QCOMPARE(where.size(), Total);
            QCOMPARE(command({"XLEN", "big"}).toInteger(), Total);
        };
        checkOnePlace(done);
        if (QTest::currentTestFailed())
            return;

        const CtlResult rest = runCtl(args({"move-to-dlq", "big", "billing", "--min-idle", "0",
                                            "--reason", "load test", "--yes"}));
        QVERIFY2(rest.exitCode == CtlExit::Ok, rest.describe());
        QCOMPARE(rest.json().value(QLatin1String("done")).toInt(), Total - done);
        checkOnePlace(Total);
        QCOMPARE(pendingIds("big", "billing").size(), 0);
    }

    // Ctrl-C half-way through a large replay: each message is back in its stream or still a
    // dead letter, never both, never lost.
    void interruptedReplayLosesNothing()
    {
        static constexpr int Total = 50000;
        // Dead letters as Weir writes them, their messages numbered by n.
        const QByteArray add =
            "for i = 1, tonumber(ARGV[1]) do redis.call('XADD', KEYS[1], i .. '-1', "
            "'originalTopicName', 'jobs', 'originalMessageId', i .. '-0', 'failureReason', "
            "'timeout', 'n', i, 'value', 'x' .. i) end return redis.call('XLEN', KEYS[1])";
        const RedisValue added = command({"EVAL", add, "1", "jobs:dlq", QByteArray::number(Total)});
        QCOMPARE(added.toInteger(), Total);
        std::unique_ptr<QProcess> process =
            startCtl(args({"replay", "jobs:dlq", "--all", "--rate", "10000", "--yes"}));
        QByteArray err;
        interruptOnProgress(*process, "of 50000 ids", &err);
        const CtlResult r = finishCtl(*process, 20000);
        err += r.err;
        QVERIFY2(r.exitCode == CtlExit::Interrupted, r.describe() + "\nstderr before: " + err);
        const QJsonObject report = r.json();
        QCOMPARE(report.value(QLatin1String("interrupted")).toBool(), true);
        const int done = report.value(QLatin1String("done")).toInt();
        QVERIFY2(done > 0 && done < Total, QByteArray::number(done));
        QCOMPARE(done + report.value(QLatin1String("not_done")).toInt(), Total);

        QSet<QByteArray> seen;
        const QList<Entry> back = entries("jobs");
        QCOMPARE(back.size(), done);
        for (const Entry &e : back) {
            QCOMPARE(e.fields.size(), 2); // metadata stripped: n and value
            QVERIFY2(!seen.contains(e.fields.at(0).second), "replayed twice");
            seen.insert(e.fields.at(0).second);
        }
        const QList<Entry> left = entries("jobs:dlq");
        QCOMPARE(left.size(), Total - done);
        for (const Entry &e : left) {
            const QByteArray n = fieldValue(e.fields, "n");
            QVERIFY2(!seen.contains(n), n + " is both replayed and a dead letter");
            seen.insert(n);
        }
        QCOMPARE(seen.size(), Total);
    }

    // On a cluster, where a stream and its dead-letter stream lie in different slots, the
    // move and the replay copy first and remove once the copy is written (two requests,
    // each to its own node), and end as on one server.
    void clusterCopiesThenRemoves()
    {
        QCOMPARE_NE(keySlot("orders"), keySlot("orders:dlq"));
        LocalRedisCluster::Config config;
        config.replicasPerMaster = 0;
        LocalRedisCluster cluster(config);
        QString error;
        QVERIFY2(cluster.start(&error), qPrintable(error));
        ConnectionOptions options = cluster.options(0);
        options.connectTimeoutMs = 3000;
        options.commandTimeoutMs = 5000;
        RedisConnection connection(options);
        OPEN_CONNECTED(connection);
        QVERIFY(connection.isCluster());
        const auto on = [&connection](QList<QByteArray> argv, const QByteArray &key) {
            return integration::command(connection, RedisCommand{std::move(argv), key});
        };
        const auto range = [&on](const QByteArray &key) {
            QList<Fields> out;
            const RedisValue entries = on({"XRANGE", key, "-", "+"}, key);
            for (const RedisValue &e : entries.elements()) {
                Fields fields;
                for (qsizetype i = 0; i + 1 < e.at(1).size(); i += 2)
                    fields.append({e.at(1).at(i).bytes(), e.at(1).at(i + 1).bytes()});
                out.append(fields);
            }
            return out;
        };
        const QByteArray add = "for i = 1, 300 do redis.call('XADD', KEYS[1], i .. '-1', 'n', i) "
                               "end return redis.call('XLEN', KEYS[1])";
        QCOMPARE(on({"EVAL", add, "1", "orders"}, "orders").toInteger(), 300);
        QCOMPARE(on({"XGROUP", "CREATE", "orders", "billing", "0"}, "orders").toDisplayString(),
                 QStringLiteral("OK"));
        QCOMPARE(on({"XREADGROUP", "GROUP", "billing", "c1", "STREAMS", "orders", ">"}, "orders")
                     .at(0)
                     .at(1)
                     .size(),
                 300);
        const QList<Fields> before = range("orders");
        const QStringList server{QStringLiteral("-h"),       QStringLiteral("127.0.0.1"),
                                 QStringLiteral("-p"),       QString::number(cluster.port(0)),
                                 QStringLiteral("--format"), QStringLiteral("json")};

        const CtlResult moved =
            runCtl(server
                   + QStringList{QStringLiteral("move-to-dlq"), QStringLiteral("orders"),
                                 QStringLiteral("billing"), QStringLiteral("--min-idle"),
                                 QStringLiteral("0"), QStringLiteral("--yes")});
        QVERIFY2(moved.exitCode == CtlExit::Ok, moved.describe());
        QVERIFY2(moved.err.contains("different cluster slots"), moved.err);
        QCOMPARE(moved.json().value(QLatin1String("done")).toInt(), 300);
        QCOMPARE(on({"XPENDING", "orders", "billing"}, "orders").at(0).toInteger(), 0);
        const QList<Fields> dead = range("orders:dlq");
        QCOMPARE(dead.size(), 300);
        QCOMPARE(fieldValue(dead.at(299), "originalMessageId"), QByteArray("300-1"));
        QCOMPARE(dead.at(299).mid(6), before.at(299));

        const CtlResult replayed =
            runCtl(server
                   + QStringList{QStringLiteral("replay"), QStringLiteral("orders:dlq"),
                                 QStringLiteral("--all"), QStringLiteral("--yes")});
        QVERIFY2(replayed.exitCode == CtlExit::Ok, replayed.describe());
        QCOMPARE(replayed.json().value(QLatin1String("done")).toInt(), 300);
        QCOMPARE(on({"XLEN", "orders:dlq"}, "orders:dlq").toInteger(), 0);
        const QList<Fields> after = range("orders");
        QCOMPARE(after.size(), 600);
        QCOMPARE(after.mid(300), before);
    }

    // An export imported into a new stream gives the same ids and fields; an existing file
    // is replaced only with --force; --from, --to and --count choose the entries.
    void exportThenImport()
    {
        fill("orders", 2500);
        QVERIFY(m_dir.isValid());
        const QString file = m_dir.filePath(QStringLiteral("backup.jsonl"));
        QFile::remove(file);
        const CtlResult exported = runCtl(args({"export", "orders", file.toUtf8()}));
        QVERIFY2(exported.exitCode == CtlExit::Ok, exported.describe());
        QJsonObject report = exported.json();
        QCOMPARE(report.value(QLatin1String("command")).toString(), QStringLiteral("export"));
        QCOMPARE(report.value(QLatin1String("done")).toInt(), 2500);
        QCOMPARE(report.value(QLatin1String("first_id")).toString(), QStringLiteral("1-1"));
        QCOMPARE(report.value(QLatin1String("last_id")).toString(), QStringLiteral("2500-1"));
        QCOMPARE(report.value(QLatin1String("bytes")).toInteger(), QFileInfo(file).size());

        const CtlResult again = runCtl(args({"export", "orders", file.toUtf8(), "--count", "2"}));
        QVERIFY2(again.exitCode == CtlExit::Refused, again.describe());
        QVERIFY2(again.err.contains("--force"), again.err);
        QCOMPARE(report.value(QLatin1String("bytes")).toInteger(), QFileInfo(file).size());

        const CtlResult imported =
            runCtl(args({"import", file.toUtf8(), "--to", "restored", "--yes"}));
        QVERIFY2(imported.exitCode == CtlExit::Ok, imported.describe());
        report = imported.json();
        QCOMPARE(report.value(QLatin1String("command")).toString(), QStringLiteral("import"));
        QCOMPARE(report.value(QLatin1String("done")).toInt(), 2500);
        QCOMPARE(entries("restored"), entries("orders"));

        // Into a stream whose last id is not below the file's first: nothing goes in.
        const Snapshot before = snapshot();
        const CtlResult refused =
            runCtl(args({"import", file.toUtf8(), "--to", "restored", "--yes"}));
        QVERIFY2(refused.exitCode == CtlExit::Failed, refused.describe());
        QVERIFY2(refused.err.contains("--new-ids"), refused.err);
        QCOMPARE(snapshot(), before);

        const CtlResult slice = runCtl(args({"export", "orders", file.toUtf8(), "--from", "10",
                                             "--to", "2400", "--count", "1500", "--force"}));
        QVERIFY2(slice.exitCode == CtlExit::Ok, slice.describe());
        QCOMPARE(slice.json().value(QLatin1String("done")).toInt(), 1500);
        QCOMPARE(runCtl(args({"import", file.toUtf8(), "--to", "part", "--yes"})).exitCode,
                 CtlExit::Ok);
        QCOMPARE(entries("part"), entries("orders").mid(9, 1500));
    }
};

QTEST_GUILESS_MAIN(tst_CtlRepair)
#include "tst_ctlrepair.moc"
