// The fault test of moving and replaying: 10,000 messages, and a redis-server (with AOF)
// killed and restarted at random points of the run, at least 50 times. After each crash
// the run is started again over what is left, as an operator would, and every message
// must be accounted for: exactly once on the atomic path; at least once on the copy-then-
// remove path, where a message may be written twice, but never more often than the
// reports said it might be.
#include "deadletteractions.h"
#include "localredisserver.h"
#include "localserverbuild.h"
#include "redisconnection.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QRandomGenerator>
#include <QSet>
#include <QSignalSpy>
#include <QTest>
#include <QTimer>

#include <memory>

using namespace DeadLetterActions;

namespace {

constexpr int Messages = 10000;
constexpr int Kills = 50;
constexpr int RatePerSecond = 1000; // slow enough for the kills to land all through

struct Tally
{
    int rounds = 0;
    int kills = 0;
    // Runs a kill cut short, with chunks in flight. A kill between two paced chunks is
    // survived without a word: the next chunk waits for the reconnection, unsent.
    int interrupted = 0;
    qint64 done = 0;
    qint64 possibleDuplicates = 0; // what the reports named
};

} // namespace

class TestDeadLetterFaults : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void replaySurvivesCrashes_data();
    void replaySurvivesCrashes();
    void moveSurvivesCrashes_data();
    void moveSurvivesCrashes();

private:
    QList<RedisValue> run(const QList<RedisCommand> &commands);
    QList<StreamEntry> entries(const QByteArray &key);
    QList<QByteArray> pending();
    // Runs `chunks` on a fresh runner, at RatePerSecond, killing and restarting the server
    // at random moments until the run ends. Returns the report of the run.
    bool restart(QString *error);
    BulkRunner::Report runWithCrashes(QList<BulkRunner::Chunk> chunks,
                                      BulkRunner::Verifier verifier,
                                      BulkRunner::SecondPhase secondPhase, Tally *tally);
    QByteArray numberOf(const StreamEntry &e) const;
    // `seen` counts the copies of each message (keyed by its number and `suffix`): each must
    // be there at least once; exactly once on the atomic path, and no more duplicates than
    // the reports named on the other.
    void checkAccounted(const QHash<QByteArray, int> &seen, const QByteArray &suffix, Path path,
                        const Tally &tally);

    std::unique_ptr<LocalRedisServer> m_server;
    std::unique_ptr<RedisConnection> m_connection;
    QRandomGenerator m_random{20241130};
    int m_repairs = 0; // torn AOF files repaired over the test
    DeadLetterConventions m_conventions = DeadLetterConventions::defaults();
};

void TestDeadLetterFaults::init()
{
    LocalRedisServer::Config config;
    // What the server acknowledged must survive the kill, as the test counts on it: with
    // appendfsync everysec a busy disk lets the server reply before it writes the AOF.
    // And a kill can land in the middle of the server's write of a script's effects (a
    // MULTI block): with aof-load-truncated yes, Redis 7.4.1 and Valkey 8.0.1 cut the torn
    // EXEC but keep its MULTI, and a later restart applies the half-written effects with the
    // next transaction (dead letters written twice that Weir never wrote twice). So the
    // server refuses a torn file, and restart() repairs it as the server's message says.
    config.extraLines = {QStringLiteral("appendonly yes"), QStringLiteral("appendfsync always"),
                         QStringLiteral("aof-load-truncated no")};
    m_server = std::make_unique<LocalRedisServer>(config);
    QString error;
    QVERIFY2(m_server->start(&error), qPrintable(error));
    m_connection = std::make_unique<RedisConnection>(m_server->options());
    m_connection->open(true);
    QTRY_COMPARE(m_connection->state(), ConnectionState::Connected);
}

// Starts the killed server again; when it refuses an AOF torn by the kill, repairs it with
// redis-check-aof --fix (the server's own program under that name), which cuts the file
// before the torn MULTI, and starts it once more.
bool TestDeadLetterFaults::restart(QString *error)
{
    if (m_server->start(error))
        return true;
    if (!error->contains(QLatin1String("check-aof")))
        return false;
    const QDir dir(m_server->directory());
    const QString checker = dir.filePath(QStringLiteral("redis-check-aof"));
    QFile::remove(checker);
    QFile::link(LocalServerBuild::current().serverProgram, checker);
    // Redis 7.0 on: a manifest in appendonlydir; before, one file.
    QString aof = dir.filePath(QStringLiteral("appendonlydir/appendonly.aof.manifest"));
    if (!QFile::exists(aof))
        aof = dir.filePath(QStringLiteral("appendonly.aof"));
    QProcess fix;
    fix.setProcessChannelMode(QProcess::MergedChannels);
    fix.start(checker, {QStringLiteral("--fix"), aof});
    fix.write("y\n");
    fix.closeWriteChannel();
    if (!fix.waitForFinished(10000) || fix.exitCode() != 0) {
        *error += QStringLiteral("; redis-check-aof --fix: ") + QString::fromUtf8(fix.readAll());
        return false;
    }
    ++m_repairs;
    return m_server->start(error);
}

void TestDeadLetterFaults::cleanup()
{
    qInfo("%d torn AOF files repaired", m_repairs);
    m_repairs = 0;
    m_connection.reset();
    m_server.reset();
}

QList<RedisValue> TestDeadLetterFaults::run(const QList<RedisCommand> &commands)
{
    QList<RedisValue> replies;
    bool done = false;
    m_connection->send(commands, nullptr, [&](const RedisResult &r) {
        replies = r.replies;
        done = r.ok();
        if (!done)
            qWarning("%s", qPrintable(r.error));
    });
    [&] { QTRY_VERIFY_WITH_TIMEOUT(done, 20000); }();
    return replies;
}

QList<StreamEntry> TestDeadLetterFaults::entries(const QByteArray &key)
{
    const QList<RedisValue> replies = run({RedisCommand{{"XRANGE", key, "-", "+"}}});
    QString error;
    return parseEntries(replies.value(0), &error).value_or(QList<StreamEntry>());
}

QList<QByteArray> TestDeadLetterFaults::pending()
{
    const QList<RedisValue> replies =
        run({RedisCommand{{"XPENDING", "orders", "g", "-", "+", QByteArray::number(Messages)}}});
    const RedisValue reply = replies.value(0);
    QList<QByteArray> ids;
    for (const RedisValue &e : reply.elements())
        ids.append(e.at(0).bytes());
    return ids;
}

QByteArray TestDeadLetterFaults::numberOf(const StreamEntry &e) const
{
    for (const auto &[name, value] : e.fields) {
        if (name == "n")
            return value;
    }
    return {};
}

BulkRunner::Report TestDeadLetterFaults::runWithCrashes(QList<BulkRunner::Chunk> chunks,
                                                        BulkRunner::Verifier verifier,
                                                        BulkRunner::SecondPhase secondPhase,
                                                        Tally *tally)
{
    BulkRunner runner;
    runner.setStopOnError(false);
    runner.setSecondPhase(std::move(secondPhase));
    runner.setRate(RatePerSecond);
    QSignalSpy finished(&runner, &BulkRunner::finished);
    // Kills the server at a random moment of the run, starts it again a moment later, and
    // again, until the run ends or enough kills were made.
    // The restart is timed on the killer, so it can never outlive this run; the run waits for
    // a pending restart before it returns.
    QTimer killer;
    killer.setSingleShot(true);
    bool restarting = false;
    connect(&killer, &QTimer::timeout, this, [&] {
        if (!runner.isRunning() || tally->kills >= Kills)
            return;
        ++tally->kills;
        m_server->kill();
        restarting = true;
        QTimer::singleShot(m_random.bounded(2, 30), &killer, [&] {
            QString error;
            if (!restart(&error))
                qWarning("restart: %s", qPrintable(error));
            m_connection->open(true); // reconnect now rather than after the backoff
            restarting = false;
            killer.start(m_random.bounded(2, 30));
        });
    });
    killer.start(m_random.bounded(1, 30));
    ++tally->rounds;
    [&] { QVERIFY(runner.start(m_connection.get(), std::move(chunks), std::move(verifier))); }();
    [&] { QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 60000); }();
    [&] { QTRY_VERIFY_WITH_TIMEOUT(!restarting, 20000); }();
    killer.stop();
    [&] { QTRY_COMPARE_WITH_TIMEOUT(m_connection->state(), ConnectionState::Connected, 20000); }();
    const auto report = finished.value(0).value(0).value<BulkRunner::Report>();
    tally->done += report.done.size();
    tally->interrupted += report.error.isEmpty() ? 0 : 1;
    tally->possibleDuplicates += report.unknown.size() + report.firstPhaseOnly.size();
    return report;
}

void TestDeadLetterFaults::checkAccounted(const QHash<QByteArray, int> &seen,
                                          const QByteArray &suffix, Path path, const Tally &tally)
{
    qint64 extra = 0;
    for (int n = 1; n <= Messages; ++n) {
        const int copies = seen.value(QByteArray::number(n) + suffix);
        QVERIFY2(copies >= 1, qPrintable(QStringLiteral("message %1 is lost").arg(n)));
        extra += copies - 1;
    }
    QCOMPARE(seen.size(), Messages);
    if (path == Path::Atomic)
        QCOMPARE(extra, 0);
    else
        QVERIFY2(extra <= tally.possibleDuplicates,
                 qPrintable(QStringLiteral("%1 duplicates, %2 reported possible")
                                .arg(extra)
                                .arg(tally.possibleDuplicates)));
}

void TestDeadLetterFaults::replaySurvivesCrashes_data()
{
    QTest::addColumn<Path>("path");
    QTest::newRow("atomic") << Path::Atomic;
    QTest::newRow("copy then remove") << Path::CopyThenRemove;
}

void TestDeadLetterFaults::replaySurvivesCrashes()
{
    QFETCH(Path, path);
    for (int first = 1; first <= Messages; first += 1000) {
        QList<RedisCommand> adds;
        for (int n = first; n < first + 1000; ++n) {
            adds.append(
                RedisCommand{{"XADD", "orders:dlq", "*", "originalTopicName", "orders",
                              "originalMessageId", QByteArray::number(n) + "-0", "failureReason",
                              "amount is not a number", "n", QByteArray::number(n)}});
        }
        run(adds);
    }
    const ReplayOptions options{"orders:dlq", {}, true, "replayCount", path};
    Tally tally;
    QElapsedTimer clock;
    clock.start();
    while (true) {
        const QList<StreamEntry> left = entries("orders:dlq");
        if (left.isEmpty())
            break;
        QList<ReplayItem> items;
        for (const StreamEntry &e : left)
            items.append(planReplay(e, options, m_conventions));
        const auto report = runWithCrashes(
            replayChunks(items, options, 50),
            path == Path::Atomic ? replayVerifier(options) : BulkRunner::Verifier{},
            path == Path::Atomic ? BulkRunner::SecondPhase{} : replaySecondPhase(options), &tally);
        QVERIFY2(report.failed.isEmpty(), qPrintable(report.reasons.value(report.failed.value(0))));

        // After each recovery: every message is in the target or still a dead letter.
        QHash<QByteArray, int> seen;
        for (const StreamEntry &e : entries("orders"))
            ++seen[numberOf(e)];
        for (const StreamEntry &e : entries("orders:dlq"))
            ++seen[numberOf(e)];
        checkAccounted(seen, "", path, tally);
        if (QTest::currentTestFailed())
            return;
        QVERIFY(tally.rounds < 10 * Kills);
    }
    QVERIFY2(tally.kills >= Kills, qPrintable(QString::number(tally.kills)));
    QVERIFY2(tally.interrupted >= 1, qPrintable(QString::number(tally.interrupted)));
    const qint64 written = entries("orders").size();
    qInfo("%d rounds (%d cut short), %d kills, %lld written to the target, %lld possible "
          "duplicates reported, "
          "%lld actual, %lld ms",
          tally.rounds, tally.interrupted, tally.kills, written, tally.possibleDuplicates,
          written - Messages, clock.elapsed());
    if (path == Path::Atomic)
        QCOMPARE(written, Messages);
}

void TestDeadLetterFaults::moveSurvivesCrashes_data()
{
    QTest::addColumn<Path>("path");
    QTest::newRow("atomic") << Path::Atomic;
    QTest::newRow("copy then remove") << Path::CopyThenRemove;
}

void TestDeadLetterFaults::moveSurvivesCrashes()
{
    QFETCH(Path, path);
    for (int first = 1; first <= Messages; first += 1000) {
        QList<RedisCommand> adds;
        for (int n = first; n < first + 1000; ++n)
            adds.append(RedisCommand{
                {"XADD", "orders", QByteArray::number(n) + "-0", "n", QByteArray::number(n)}});
        run(adds);
    }
    run({RedisCommand{{"XGROUP", "CREATE", "orders", "g", "0"}},
         RedisCommand{{"XREADGROUP", "GROUP", "g", "c", "STREAMS", "orders", ">"}}});
    const MoveOptions options{"orders", "g", "orders:dlq", QStringLiteral("poison"), false, path};
    const QDateTime failedAt = QDateTime::currentDateTimeUtc();
    Tally tally;
    QElapsedTimer clock;
    clock.start();
    while (true) {
        const QList<QByteArray> left = pending();
        if (left.isEmpty())
            break;
        QList<BulkRunner::Chunk> chunks;
        if (path == Path::Atomic) {
            chunks = moveChunks(left, options, m_conventions, failedAt, 50);
        } else { // read what is to be copied first
            QList<PendingToMove> toMove;
            const QSet<QByteArray> stillPending(left.cbegin(), left.cend());
            for (const StreamEntry &e : entries("orders")) {
                if (stillPending.contains(e.id.toByteArray()))
                    toMove.append({e, 1});
            }
            chunks = moveCopyChunks(toMove, options, m_conventions, failedAt, 50);
        }
        const auto report = runWithCrashes(
            chunks, path == Path::Atomic ? moveVerifier(options) : BulkRunner::Verifier{},
            path == Path::Atomic ? BulkRunner::SecondPhase{} : moveSecondPhase(options), &tally);
        QVERIFY2(report.failed.isEmpty(), qPrintable(report.reasons.value(report.failed.value(0))));

        // Every message is still pending or a dead letter.
        QHash<QByteArray, int> seen;
        for (const QByteArray &id : pending())
            ++seen[id];
        for (const StreamEntry &e : entries("orders:dlq"))
            ++seen[parseDeadLetter(e, m_conventions).originalId];
        checkAccounted(seen, "-0", path, tally);
        if (QTest::currentTestFailed())
            return;
        QVERIFY(tally.rounds < 10 * Kills);
    }
    QVERIFY2(tally.kills >= Kills, qPrintable(QString::number(tally.kills)));
    QVERIFY2(tally.interrupted >= 1, qPrintable(QString::number(tally.interrupted)));
    const QList<StreamEntry> dead = entries("orders:dlq");
    qInfo(
        "%d rounds (%d cut short), %d kills, %lld dead letters, %lld possible duplicates reported, "
        "%lld actual, %lld ms",
        tally.rounds, tally.interrupted, tally.kills, qint64(dead.size()), tally.possibleDuplicates,
        qint64(dead.size()) - Messages, clock.elapsed());
    if (path == Path::Atomic)
        QCOMPARE(dead.size(), Messages);
    QCOMPARE(entries("orders").size(), Messages); // moved, not deleted
}

QTEST_GUILESS_MAIN(TestDeadLetterFaults)
#include "tst_deadletterfaults.moc"
