// BulkRunner and the pending-entry acks against a real redis-server: chunks, progress,
// cancel, a connection killed half-way (the report matches what Redis holds), atomic
// chunks, errors verbatim, and a read-only connection that sends nothing.
#include "bulkrunner.h"
#include "entryactions.h"
#include "localredisserver.h"
#include "pendingactions.h"
#include "runcommands.h"
#include "serverversion.h"

#include <QSet>
#include <QSignalSpy>
#include <QTest>
#include <QTimer>

#include <memory>

static QList<QByteArray> idRange(int from, int to);

class TestBulkRunner : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void acksEveryPendingEntryOfAConsumer();
    void collectsByIdleTime();
    void collectsByDeliveryCount();
    void cancelLeavesTheRestPending();
    void connectionKilledHalfWayIsReportedExactly();
    void chunkOfSeveralCommandsAppliesWholeOrNotAtAll();
    void redisErrorStopsTheRunVerbatim();
    void readOnlyConnectionSendsNothing();
    void userWithoutWritePermissionChangesNothing();
    void redisCliLinesQuoteArguments();
    void redisCliScriptLoadsEachPreludeOnce();
    void claimsToANewConsumer();
    void claimTakesOnlyEntriesIdleLongEnough();
    void claimDropsDeletedEntries();
    void claimOptionsSetIdleAndDeliveries();
    void claimOptionsAreValidated();
    void deleteFindsPendingReferences();
    void autoClaimSweepsTheWholeList();
    void autoClaimCancelStopsBetweenCalls();
    void deleteLeavesOrphansUnlessAlsoAcked();

private:
    // Entries 1-0 .. n-0 in s, group g; c1 reads the first `c1` of them, c2 the rest.
    void prepare(int n, int c1);
    QList<RedisValue> run(const QList<RedisCommand> &commands);
    QSet<QByteArray> pendingIds(const QByteArray &consumer = {});
    QList<QByteArray> collect(const QByteArray &consumer, qint64 minIdleMs,
                              qint64 minDeliveries = 0);
    BulkRunner::Report runToEnd(BulkRunner &runner, QList<BulkRunner::Chunk> chunks,
                                BulkRunner::Verifier verifier = {});

    std::unique_ptr<LocalRedisServer> m_server;
    std::unique_ptr<RedisConnection> m_admin; // set-up and checks
    std::unique_ptr<RedisConnection> m_weir;  // what the actions run on (reconnects)
};

void TestBulkRunner::init()
{
    m_server = std::make_unique<LocalRedisServer>();
    QString error;
    QVERIFY2(m_server->start(&error), qPrintable(error));
    m_admin = std::make_unique<RedisConnection>(m_server->options());
    m_admin->open(false);
    m_weir = std::make_unique<RedisConnection>(m_server->options());
    m_weir->open(true);
    QTRY_COMPARE(m_admin->state(), ConnectionState::Connected);
    QTRY_COMPARE(m_weir->state(), ConnectionState::Connected);
}

void TestBulkRunner::cleanup()
{
    m_weir.reset();
    m_admin.reset();
    m_server.reset();
}

QList<RedisValue> TestBulkRunner::run(const QList<RedisCommand> &commands)
{
    return runCommands(m_admin.get(), commands, 30000);
}

void TestBulkRunner::prepare(int n, int c1)
{
    for (int first = 1; first <= n; first += 10000) {
        QList<RedisCommand> adds;
        for (int i = first; i < first + 10000 && i <= n; ++i)
            adds.append(RedisCommand{{"XADD", "s", QByteArray::number(i) + "-0", "n", "x"}});
        run(adds);
    }
    run({RedisCommand{{"XGROUP", "CREATE", "s", "g", "0"}},
         RedisCommand{{"XREADGROUP", "GROUP", "g", "c1", "COUNT", QByteArray::number(c1), "STREAMS",
                       "s", ">"}},
         RedisCommand{{"XREADGROUP", "GROUP", "g", "c2", "STREAMS", "s", ">"}}});
}

QSet<QByteArray> TestBulkRunner::pendingIds(const QByteArray &consumer)
{
    QList<QByteArray> argv{"XPENDING", "s", "g", "-", "+", "10000000"};
    if (!consumer.isEmpty())
        argv.append(consumer);
    const QList<RedisValue> replies = run({RedisCommand{argv}});
    QSet<QByteArray> ids;
    for (const RedisValue &e : replies.first().elements())
        ids.insert(e.at(0).bytes());
    return ids;
}

QList<QByteArray> TestBulkRunner::collect(const QByteArray &consumer, qint64 minIdleMs,
                                          qint64 minDeliveries)
{
    PendingCollector collector;
    collector.setMinDeliveries(minDeliveries);
    QSignalSpy finished(&collector, &PendingCollector::finished);
    collector.start(m_weir.get(), "s", "g", consumer, minIdleMs, 700);
    [&] { QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 20000); }();
    if (finished.isEmpty())
        return {};
    [&] {
        QCOMPARE(finished.first().at(1).toBool(), false);
        QCOMPARE(finished.first().at(2).toString(), QString());
        }();
    return finished.first().at(0).value<QList<QByteArray>>();
}

BulkRunner::Report TestBulkRunner::runToEnd(BulkRunner &runner, QList<BulkRunner::Chunk> chunks,
                                            BulkRunner::Verifier verifier)
{
    QSignalSpy finished(&runner, &BulkRunner::finished);
    [&] { QVERIFY(runner.start(m_weir.get(), std::move(chunks), std::move(verifier))); }();
    [&] { QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 30000); }();
    return finished.isEmpty() ? BulkRunner::Report{}
                              : finished.first().at(0).value<BulkRunner::Report>();
}

static QSet<QByteArray> toSet(const QList<QByteArray> &ids)
{
    return QSet<QByteArray>(ids.cbegin(), ids.cend());
}

void TestBulkRunner::acksEveryPendingEntryOfAConsumer()
{
    prepare(5000, 3000);
    const QList<QByteArray> ids = collect("c1", 0);
    QCOMPARE(ids.size(), 3000);
    QCOMPARE(ids.first(), QByteArray("1-0"));
    QCOMPARE(ids.last(), QByteArray("3000-0"));

    BulkRunner runner;
    QSignalSpy progress(&runner, &BulkRunner::progress);
    const auto chunks = PendingActions::ackChunks("s", "g", ids, 500);
    QCOMPARE(chunks.size(), 6);
    const BulkRunner::Report report =
        runToEnd(runner, chunks, PendingActions::ackVerifier("s", "g"));
    QCOMPARE(report.done.size(), 3000);
    QCOMPARE(report.affected, 3000);
    QVERIFY(report.notDone.isEmpty() && report.unknown.isEmpty());
    QVERIFY(report.error.isEmpty());
    QVERIFY(!report.cancelled);
    QVERIFY(progress.size() >= 7); // the start, then a chunk at a time
    QCOMPARE(progress.last().at(0).toLongLong(), 3000);
    QVERIFY(pendingIds("c1").isEmpty());
    QCOMPARE(pendingIds("c2").size(), 2000);
}

void TestBulkRunner::collectsByIdleTime()
{
    prepare(100, 100);
    for (int i : {7, 42, 99})
        run({RedisCommand{{"XCLAIM", "s", "g", "c1", "0", QByteArray::number(i) + "-0", "IDLE",
                           "900000", "JUSTID"}}});
    QCOMPARE(collect({}, 600000), (QList<QByteArray>{"7-0", "42-0", "99-0"}));
    QCOMPARE(collect("c2", 600000), QList<QByteArray>());
}

// Poison messages: the entries delivered at least so many times, on every page of the
// pending list (pages of 700), alone or with a minimum idle time.
void TestBulkRunner::collectsByDeliveryCount()
{
    prepare(2000, 1000);
    for (int i : {3, 701, 1400, 1999})
        run({RedisCommand{{"XCLAIM", "s", "g", "c1", "0", QByteArray::number(i) + "-0",
                           "RETRYCOUNT", "5", "JUSTID"}}});
    run({RedisCommand{{"XCLAIM", "s", "g", "c2", "0", "1400-0", "IDLE", "900000", "RETRYCOUNT", "5",
                       "JUSTID"}},
         RedisCommand{{"XCLAIM", "s", "g", "c2", "0", "1500-0", "IDLE", "900000", "RETRYCOUNT", "4",
                       "JUSTID"}}});
    QCOMPARE(collect({}, 0, 5), (QList<QByteArray>{"3-0", "701-0", "1400-0", "1999-0"}));
    QCOMPARE(collect({}, 0, 6), QList<QByteArray>());
    QCOMPARE(collect({}, 0, 4).size(), 5); // 1500-0 too
    QCOMPARE(collect({}, 600000, 5), QList<QByteArray>{"1400-0"});
    QCOMPARE(collect("c1", 0, 5), (QList<QByteArray>{"3-0", "701-0", "1999-0"}));
    QCOMPARE(collect({}, 0, 0).size(), 2000);
}

void TestBulkRunner::cancelLeavesTheRestPending()
{
    prepare(20000, 20000);
    const QList<QByteArray> ids = collect("c1", 0);
    BulkRunner runner;
    runner.setWindow(2);
    QSignalSpy finished(&runner, &BulkRunner::finished);
    connect(&runner, &BulkRunner::progress, &runner, [&runner](qint64 done) {
        if (done > 0)
            runner.cancel();
    });
    QVERIFY(runner.start(m_weir.get(), PendingActions::ackChunks("s", "g", ids, 100),
                         PendingActions::ackVerifier("s", "g")));
    QTRY_COMPARE(finished.size(), 1);
    const auto report = finished.first().at(0).value<BulkRunner::Report>();
    QVERIFY(report.cancelled);
    QVERIFY(report.done.size() >= 100);
    QVERIFY2(report.done.size() < 20000, "the cancel came too late to mean anything");
    QCOMPARE(report.done.size() + report.notDone.size(), 20000);
    QCOMPARE(pendingIds(), toSet(report.notDone));
}

// Weir's connection is killed by the server while chunks are in flight. Whatever was
// written is read back once the connection is up again: the report's done and not-done
// ids are exactly what Redis holds, and nothing was sent twice.
void TestBulkRunner::connectionKilledHalfWayIsReportedExactly()
{
    prepare(60000, 60000);
    const QList<QByteArray> ids = collect("c1", 0);
    QCOMPARE(ids.size(), 60000);
    const QList<RedisValue> idReply = run({RedisCommand{{"CLIENT", "LIST"}}});
    QByteArray weirId;
    for (const QByteArray &line : idReply.first().bytes().split('\n')) {
        // The command running: "client|list" from 7.0 on, "client" before.
        if (line.contains(" name=weir ") && !line.contains(" cmd=client|list")
            && !line.contains(" cmd=client ")) {
            weirId = line.mid(3, line.indexOf(' ') - 3);
        }
    }
    // Both connections are named weir; the admin one is the one running CLIENT LIST.
    QVERIFY(!weirId.isEmpty());

    BulkRunner runner;
    runner.setWindow(4);
    // Two seconds for the whole run: the pause lands long before it could end, however
    // busy the machine.
    runner.setRate(30000);
    QSignalSpy finished(&runner, &BulkRunner::finished);
    bool killed = false;
    // Writes are paused first, and the kill waits until Weir has written chunks that wait
    // unexecuted on the server: their fate is unknown to Weir.
    connect(&runner, &BulkRunner::progress, this, [&](qint64 done) {
        if (done >= 2000 && !killed) {
            killed = true;
            m_admin->send({RedisCommand{{"CLIENT", "PAUSE", "10000", "WRITE"}}}, this,
                          [&](const RedisResult &) {
                QTimer::singleShot(100, &runner, [&] {
                    m_admin->send({RedisCommand{{"CLIENT", "KILL", "ID", weirId}},
                                   RedisCommand{{"CLIENT", "UNPAUSE"}}},
                                  nullptr, {});
                });
            });
        }
    });
    QVERIFY(runner.start(m_weir.get(), PendingActions::ackChunks("s", "g", ids, 200),
                         PendingActions::ackVerifier("s", "g")));
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 30000);
    QVERIFY(killed);
    const auto report = finished.first().at(0).value<BulkRunner::Report>();
    QVERIFY2(!report.error.isEmpty(), "the run went through the kill unharmed");
    QVERIFY(!report.cancelled);
    QVERIFY2(report.unknown.isEmpty(), "every chunk in flight is verified");
    QVERIFY2(report.verified > 0, "no chunk was in flight at the kill");
    QCOMPARE(report.done.size() + report.notDone.size(), 60000);
    QVERIFY(report.notDone.size() > 0);
    const QSet<QByteArray> stillPending = pendingIds();
    QCOMPARE(stillPending, toSet(report.notDone));
    QVERIFY(!toSet(report.done).intersects(stillPending));
}

void TestBulkRunner::chunkOfSeveralCommandsAppliesWholeOrNotAtAll()
{
    const auto add = [](const QByteArray &id) {
        return QList<RedisCommand>{RedisCommand{{"XADD", "t", id, "n", "x"}}};
    };
    QList<BulkRunner::Chunk> chunks;
    chunks.append(BulkRunner::Chunk{add("1-0") + add("2-0"), {"1-0", "2-0"}});
    // XADD with no field is refused while queueing: EXEC then aborts (EXECABORT) and the
    // whole chunk is dropped. The report gives the reason, the refused command's error.
    chunks.append(BulkRunner::Chunk{
        add("3-0") + QList<RedisCommand>{RedisCommand{{"XADD", "t", "4-0"}}}, {"3-0", "4-0"}});
    chunks.append(BulkRunner::Chunk{add("5-0"), {"5-0"}});
    BulkRunner runner;
    runner.setWindow(1);
    const BulkRunner::Report report = runToEnd(runner, chunks);
    QCOMPARE(report.done, (QList<QByteArray>{"1-0", "2-0"}));
    QCOMPARE(report.notDone, (QList<QByteArray>{"3-0", "4-0", "5-0"}));
    QVERIFY2(report.error.startsWith(QLatin1String("ERR wrong number of arguments")),
             qPrintable(report.error));
    QCOMPARE(run({RedisCommand{{"XLEN", "t"}}}).first().toInteger(), 2);
}

void TestBulkRunner::redisErrorStopsTheRunVerbatim()
{
    prepare(10, 10);
    BulkRunner runner;
    const BulkRunner::Report report =
        runToEnd(runner, PendingActions::ackChunks("s", "nosuchgroup", {"1-0", "2-0"}, 1));
    // XACK on a missing group acks nothing (0), it is not an error; XCLAIM is.
    QCOMPARE(report.affected, 0);
    BulkRunner claim;
    const BulkRunner::Report failed = runToEnd(
        claim, BulkRunner::chunked({"1-0", "2-0", "3-0"}, 1, [](const QList<QByteArray> &part) {
            return QList<RedisCommand>{
                RedisCommand{{"XCLAIM", "s", "nosuchgroup", "c9", "0", part.first()}}};
        }));
    QVERIFY2(failed.error.startsWith(QLatin1String("NOGROUP")), qPrintable(failed.error));
    QCOMPARE(failed.done.size(), 0);
    QCOMPARE(failed.notDone.size(), 3);
}

void TestBulkRunner::readOnlyConnectionSendsNothing()
{
    prepare(10, 10);
    ConnectionOptions options = m_server->options();
    options.readOnly = true;
    RedisConnection readOnly(options);
    readOnly.open(false);
    QTRY_COMPARE(readOnly.state(), ConnectionState::Connected);
    BulkRunner runner;
    QSignalSpy finished(&runner, &BulkRunner::finished);
    QVERIFY(runner.start(&readOnly, PendingActions::ackChunks("s", "g", {"1-0", "2-0"}, 1)));
    QTRY_COMPARE(finished.size(), 1);
    const auto report = finished.first().at(0).value<BulkRunner::Report>();
    QCOMPARE(report.notDone.size(), 2);
    QVERIFY(report.done.isEmpty() && report.unknown.isEmpty());
    QVERIFY2(report.error.contains(QLatin1String("read-only")), qPrintable(report.error));
    QCOMPARE(pendingIds().size(), 10);
}

// An ACL user who may read streams but not write them: the server refuses the first
// chunk with NOPERM, the run stops there, and nothing changed.
void TestBulkRunner::userWithoutWritePermissionChangesNothing()
{
    prepare(10, 10);
    run({RedisCommand{{"ACL", "SETUSER", "reader", "on", ">reader-secret", "~*", "+@read",
                       "+@connection", "-@write"}}});
    ConnectionOptions options = m_server->options();
    options.username = QStringLiteral("reader");
    options.password = QStringLiteral("reader-secret");
    RedisConnection reader(options);
    reader.open(false);
    QTRY_COMPARE(reader.state(), ConnectionState::Connected);
    BulkRunner runner;
    QSignalSpy finished(&runner, &BulkRunner::finished);
    QVERIFY(runner.start(&reader, PendingActions::ackChunks("s", "g", idRange(1, 6), 2)));
    QTRY_COMPARE(finished.size(), 1);
    const auto report = finished.first().at(0).value<BulkRunner::Report>();
    QVERIFY2(report.error.startsWith(QLatin1String("NOPERM")), qPrintable(report.error));
    QVERIFY(report.done.isEmpty());
    QCOMPARE(report.notDone.size(), 6);
    QCOMPARE(pendingIds().size(), 10);
}

void TestBulkRunner::redisCliLinesQuoteArguments()
{
    const auto chunks = PendingActions::ackChunks("orders events", "g", {"1-0", "2-0", "3-0"}, 2);
    QCOMPARE(PendingActions::redisCliLines(chunks, 1),
             QStringList{QStringLiteral("XACK \"orders events\" g 1-0 2-0")});
    QCOMPARE(PendingActions::redisCliScript(chunks),
             QStringLiteral("XACK \"orders events\" g 1-0 2-0\nXACK \"orders events\" g 3-0\n"));
}

// Copied for redis-cli, EVALSHA finds its script: the SCRIPT LOAD of the chunks' prelude
// comes first, and again only where a chunk's prelude differs from the one before.
void TestBulkRunner::redisCliScriptLoadsEachPreludeOnce()
{
    const RedisCommand load{{"SCRIPT", "LOAD", "return 1"}};
    const RedisCommand other{{"SCRIPT", "LOAD", "return 2"}};
    const QList<BulkRunner::Chunk> chunks{
        BulkRunner::Chunk{{RedisCommand{{"EVALSHA", "a", "0"}}}, {"1-0"}, {load}},
        BulkRunner::Chunk{{RedisCommand{{"EVALSHA", "a", "0"}}}, {"2-0"}, {load}},
        BulkRunner::Chunk{{RedisCommand{{"EVALSHA", "b", "0"}}}, {"3-0"}, {other}},
        BulkRunner::Chunk{{RedisCommand{{"XACK", "s", "g", "4-0"}}}, {"4-0"}},
    };
    QCOMPARE(PendingActions::redisCliScript(chunks),
             QStringLiteral("SCRIPT LOAD \"return 1\"\nEVALSHA a 0\nEVALSHA a 0\n"
                            "SCRIPT LOAD \"return 2\"\nEVALSHA b 0\nXACK s g 4-0\n"));
    // What the confirmation shows is the commands themselves.
    QCOMPARE(PendingActions::redisCliLines(chunks, 2),
             (QStringList{QStringLiteral("EVALSHA a 0"), QStringLiteral("EVALSHA a 0")}));
}

static QList<QByteArray> idRange(int from, int to)
{
    QList<QByteArray> ids;
    for (int i = from; i <= to; ++i)
        ids.append(QByteArray::number(i) + "-0");
    return ids;
}

void TestBulkRunner::claimsToANewConsumer()
{
    prepare(100, 100);
    PendingActions::ClaimOptions options;
    options.consumer = "rescuer";
    BulkRunner runner;
    const auto report =
        runToEnd(runner, PendingActions::claimChunks("s", "g", idRange(1, 10), options, 4),
                 PendingActions::claimVerifier("s", "g", "rescuer"));
    QCOMPARE(report.done, idRange(1, 10));
    QCOMPARE(report.affected, 10);
    QVERIFY(report.error.isEmpty());
    QCOMPARE(pendingIds("rescuer"), toSet(idRange(1, 10)));
    QCOMPARE(pendingIds("c1").size(), 90);
}

void TestBulkRunner::claimTakesOnlyEntriesIdleLongEnough()
{
    prepare(10, 10);
    for (int i : {3, 5})
        run({RedisCommand{{"XCLAIM", "s", "g", "c1", "0", QByteArray::number(i) + "-0", "IDLE",
                           "900000", "JUSTID"}}});
    PendingActions::ClaimOptions options;
    options.consumer = "rescuer";
    options.minIdleMs = 600000;
    BulkRunner runner;
    const auto report =
        runToEnd(runner, PendingActions::claimChunks("s", "g", idRange(1, 6), options),
                 PendingActions::claimVerifier("s", "g", "rescuer"));
    QCOMPARE(report.done, (QList<QByteArray>{"3-0", "5-0"}));
    QCOMPARE(report.notDone, (QList<QByteArray>{"1-0", "2-0", "4-0", "6-0"}));
    QCOMPARE(report.affected, 2);
    QCOMPARE(pendingIds("rescuer"), (QSet<QByteArray>{"3-0", "5-0"}));
}

// Redis 7 drops a pending entry whose stream entry is gone when XCLAIM meets it: it is
// not claimed, and it leaves the pending list. Before 7.0 XCLAIM claims it all the same and
// names it by a nil: the report reads the pending list back, and counts it claimed.
void TestBulkRunner::claimDropsDeletedEntries()
{
    prepare(10, 10);
    run({RedisCommand{{"XDEL", "s", "2-0", "4-0"}}});
    PendingActions::ClaimOptions options;
    options.consumer = "rescuer";
    BulkRunner runner;
    const auto report =
        runToEnd(runner, PendingActions::claimChunks("s", "g", idRange(1, 5), options),
                 PendingActions::claimVerifier("s", "g", "rescuer"));
    if (!testserver::info().hasClaimDropsDeleted()) {
        QCOMPARE(report.done, idRange(1, 5));
        QVERIFY(report.notDone.isEmpty());
        QCOMPARE(report.verified, 5);
        QCOMPARE(pendingIds("rescuer"), toSet(idRange(1, 5)));
        return;
    }
    QCOMPARE(report.done, (QList<QByteArray>{"1-0", "3-0", "5-0"}));
    QCOMPARE(report.notDone, (QList<QByteArray>{"2-0", "4-0"}));
    QVERIFY(!pendingIds().contains("2-0"));
    QVERIFY(!pendingIds().contains("4-0"));
}

void TestBulkRunner::claimOptionsSetIdleAndDeliveries()
{
    prepare(5, 5);
    PendingActions::ClaimOptions options;
    options.consumer = "rescuer";
    options.idleMs = 120000;
    options.retryCount = 7;
    options.justId = true;
    const auto chunks = PendingActions::claimChunks("s", "g", {"2-0"}, options);
    QCOMPARE(
        PendingActions::redisCliLines(chunks, 1),
        QStringList{QStringLiteral("XCLAIM s g rescuer 0 2-0 IDLE 120000 RETRYCOUNT 7 JUSTID")});
    BulkRunner runner;
    const auto report =
        runToEnd(runner, chunks, PendingActions::claimVerifier("s", "g", "rescuer"));
    QCOMPARE(report.done, QList<QByteArray>{"2-0"});
    const auto entry = run({RedisCommand{{"XPENDING", "s", "g", "2-0", "2-0", "1"}}}).first().at(0);
    QCOMPARE(entry.at(1).bytes(), QByteArray("rescuer"));
    QVERIFY(entry.at(2).toInteger() >= 120000);
    QCOMPARE(entry.at(3).toInteger(), 7);
}

void TestBulkRunner::claimOptionsAreValidated()
{
    PendingActions::ClaimOptions options;
    QVERIFY(PendingActions::validate(options).contains(QLatin1String("consumer")));
    options.consumer = "c";
    QVERIFY(PendingActions::validate(options).isEmpty());
    options.minIdleMs = -1;
    QVERIFY(!PendingActions::validate(options).isEmpty());
}

void TestBulkRunner::deleteFindsPendingReferences()
{
    prepare(10, 4); // c1 holds 1..4, c2 holds 5..10
    run({RedisCommand{{"XGROUP", "CREATE", "s", "audit", "0"}},
         RedisCommand{{"XREADGROUP", "GROUP", "audit", "a1", "COUNT", "2", "STREAMS", "s", ">"}}});
    PendingRefFinder finder;
    QSignalSpy finished(&finder, &PendingRefFinder::finished);
    finder.start(m_weir.get(), "s", {"2-0", "3-0", "6-0"});
    QTRY_COMPARE(finished.size(), 1);
    const auto refs = finished.first().at(0).value<EntryActions::PendingRefs>();
    QCOMPARE(finished.first().at(1).toString(), QString());
    QCOMPARE(refs.value("g"), (QList<QByteArray>{"2-0", "3-0", "6-0"}));
    QCOMPARE(refs.value("audit"), QList<QByteArray>{"2-0"}); // audit read 1-0 and 2-0
}

void TestBulkRunner::deleteLeavesOrphansUnlessAlsoAcked()
{
    prepare(10, 10);
    const EntryActions::PendingRefs refs{{"g", {"2-0", "3-0", "5-0", "6-0"}}};
    BulkRunner plain;
    auto report = runToEnd(plain, EntryActions::deleteChunks("s", {"2-0", "3-0"}, refs, false),
                           EntryActions::deleteVerifier("s"));
    QCOMPARE(report.done, (QList<QByteArray>{"2-0", "3-0"}));
    QCOMPARE(report.affected, 2);
    QVERIFY(pendingIds().contains("2-0")); // the orphans stay
    const auto chunks = EntryActions::deleteChunks("s", {"5-0", "6-0", "7-0"}, refs, true);
    QCOMPARE(
        PendingActions::redisCliLines(chunks, 5),
        (QStringList{QStringLiteral("XDEL s 5-0 6-0 7-0"), QStringLiteral("XACK s g 5-0 6-0")}));
    BulkRunner acking;
    report = runToEnd(acking, chunks, EntryActions::deleteVerifier("s"));
    QCOMPARE(report.done, (QList<QByteArray>{"5-0", "6-0", "7-0"}));
    QCOMPARE(report.affected, 3);
    QVERIFY(report.error.isEmpty());
    const QSet<QByteArray> left = pendingIds();
    QVERIFY(!left.contains("5-0") && !left.contains("6-0"));
    QVERIFY(left.contains("7-0")); // pending, but not listed in refs: left alone
    QCOMPARE(run({RedisCommand{{"XLEN", "s"}}}).first().toInteger(), 5);
}

// 2,500 pending entries, 1,000 of them idle for ten minutes; 3 of those and one that is
// not idle deleted from the stream. A sweep in calls of 300 claims the 997 idle ones left
// and reports the deleted ones it dropped from the list: Redis drops a deleted entry it
// meets whether it is idle or not.
void TestBulkRunner::autoClaimSweepsTheWholeList()
{
    prepare(2500, 2500);
    QList<RedisCommand> idle;
    for (int i = 1; i <= 2500; i += 1)
        if (i % 5 < 2)
            idle.append(RedisCommand{{"XCLAIM", "s", "g", "c1", "0", QByteArray::number(i) + "-0",
                                      "IDLE", "600000", "JUSTID"}});
    run(idle);
    QCOMPARE(idle.size(), 1000);
    run({RedisCommand{{"XDEL", "s", "1-0", "3-0", "5-0", "2500-0"}}}); // 3-0 is not idle
    PendingActions::ClaimOptions options;
    options.consumer = "sweeper";
    options.minIdleMs = 300000;
    AutoClaimSweep sweep;
    QSignalSpy finished(&sweep, &AutoClaimSweep::finished);
    QSignalSpy progress(&sweep, &AutoClaimSweep::progress);
    sweep.start(m_weir.get(), "s", "g", options, 300);
    QTRY_COMPARE(finished.size(), 1);
    const auto result = finished.first().at(0).value<AutoClaimSweep::Result>();
    QVERIFY2(result.error.isEmpty(), qPrintable(result.error));
    if (!testserver::info().hasClaimDropsDeleted()) {
        // Before 7.0 the three idle deleted ones are claimed too, each named by a nil, and
        // every entry stays pending.
        QCOMPARE(result.claimed.size(), 997);
        QCOMPARE(result.claimedGone, 3);
        QVERIFY(result.deleted.isEmpty());
        QCOMPARE(pendingIds("sweeper").size(), 1000);
        QVERIFY(pendingIds("sweeper").contains(toSet(result.claimed)));
        QCOMPARE(pendingIds().size(), 2500);
        return;
    }
    QCOMPARE(result.claimedGone, 0);
    QCOMPARE(result.claimed.size(), 997);
    QCOMPARE(result.deleted, (QList<QByteArray>{"1-0", "3-0", "5-0", "2500-0"}));
    QVERIFY(result.calls >= 4); // at most 300 claimed per call
    QCOMPARE(progress.size(), result.calls);
    QCOMPARE(pendingIds("sweeper"), toSet(result.claimed));
    QVERIFY(!pendingIds().intersects(toSet(result.deleted)));
    QCOMPARE(pendingIds().size(), 2500 - 4);
}

void TestBulkRunner::autoClaimCancelStopsBetweenCalls()
{
    prepare(3000, 3000);
    PendingActions::ClaimOptions options;
    options.consumer = "sweeper";
    AutoClaimSweep sweep;
    QSignalSpy finished(&sweep, &AutoClaimSweep::finished);
    connect(&sweep, &AutoClaimSweep::progress, &sweep, &AutoClaimSweep::cancel);
    sweep.start(m_weir.get(), "s", "g", options, 100);
    QTRY_COMPARE(finished.size(), 1);
    const auto result = finished.first().at(0).value<AutoClaimSweep::Result>();
    QVERIFY(result.cancelled);
    QCOMPARE(result.calls, 1);
    QCOMPARE(result.claimed.size(), 100);
    QCOMPARE(pendingIds("sweeper").size(), 100);
}

QTEST_GUILESS_MAIN(TestBulkRunner)
#include "tst_bulkrunner.moc"
