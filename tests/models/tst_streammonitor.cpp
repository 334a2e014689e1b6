// StreamMonitor: the derived-figure arithmetic on its own, then the monitor against a real
// redis-server with a scripted workload whose rates and lag the test knows.
#include "livemodeltest.h"
#include "serverversion.h"
#include "streammonitor.h"

#include <QDateTime>
#include <QSemaphore>
#include <QSignalSpy>
#include <QTest>
#include <QTimer>

#include <cmath>

namespace {

StreamInfo streamInfo(qint64 length, StreamId lastId, std::optional<qint64> added)
{
    StreamInfo s;
    s.length = length;
    s.lastGeneratedId = lastId;
    s.entriesAdded = added;
    if (length > 0)
        s.firstEntryId = StreamId{1, 0};
    return s;
}

GroupInfo groupInfo(StreamId lastDelivered, std::optional<qint64> read, std::optional<qint64> lag)
{
    GroupInfo g;
    g.name = "g";
    g.lastDeliveredId = lastDelivered;
    g.entriesRead = read;
    g.lag = lag;
    return g;
}

SeriesKey series(const QByteArray &stream, const QByteArray &group, Metric metric,
                 const QByteArray &consumer = {})
{
    return SeriesKey{stream, group, consumer, metric};
}

} // namespace

Q_DECLARE_METATYPE(StreamInfo)
Q_DECLARE_METATYPE(GroupInfo)
Q_DECLARE_METATYPE(monitormath::NextEntries)

class TestStreamMonitor : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // Pure functions.
    void addedPerSecond_data();
    void addedPerSecond();
    void groupLag_data();
    void groupLag();
    void timeLag();
    void readPerSecond_data();
    void readPerSecond();
    void drainSeconds_data();
    void drainSeconds();

    // Against redis-server.
    void init();
    void cleanup();
    void intervalBounds();
    void scriptedWorkload();
    void nilLagIsEstimatedAndMarked();
    void consumersAndOldestPending();
    void streamDeletedWhileWatched();
    void serverRestartedWhileWatched();
    void oneTickInFlight();
    void detailsInTurns();
    void unmovedGroupsAreNotAskedAgain();
    void workedOffTheGuiThread();

private:
    void run(const QList<QByteArray> &argv) { m_redis.run({RedisCommand{argv, argv.value(1)}}); }
    // Waits for the next ok tick that has `key` and returns it.
    MonitorFigures nextWith(StreamMonitor &monitor, const SeriesKey &key, int timeoutMs = 10000);

    LiveRedis m_redis;
};

void TestStreamMonitor::addedPerSecond_data()
{
    QTest::addColumn<StreamInfo>("before");
    QTest::addColumn<StreamInfo>("after");
    QTest::addColumn<double>("seconds");
    QTest::addColumn<double>("expected"); // NaN: none
    QTest::addColumn<bool>("estimated");
    const double none = std::nan("");
    QTest::newRow("entries-added delta")
        << streamInfo(10, {5, 0}, 10) << streamInfo(40, {9, 0}, 40) << 2.0 << 15.0 << false;
    QTest::newRow("trimmed: the counter still counts")
        << streamInfo(100, {5, 0}, 1000) << streamInfo(100, {9, 0}, 1300) << 1.0 << 300.0 << false;
    QTest::newRow("nothing added")
        << streamInfo(3, {5, 0}, 3) << streamInfo(3, {5, 0}, 3) << 1.0 << 0.0 << false;
    QTest::newRow("counter went back (deleted, created again)")
        << streamInfo(50, {5, 0}, 50) << streamInfo(2, {9, 0}, 2) << 1.0 << none << false;
    QTest::newRow("no time passed")
        << streamInfo(1, {5, 0}, 1) << streamInfo(2, {6, 0}, 2) << 0.0 << none << false;
    QTest::newRow("before 7.0: same millisecond, sequence delta")
        << streamInfo(5, {7, 2}, {}) << streamInfo(9, {7, 8}, {}) << 2.0 << 3.0 << false;
    QTest::newRow("before 7.0: length growth, estimated")
        << streamInfo(5, {7, 2}, {}) << streamInfo(25, {9, 0}, {}) << 4.0 << 5.0 << true;
    QTest::newRow("before 7.0: trimmed, at least one")
        << streamInfo(100, {7, 2}, {}) << streamInfo(100, {9, 0}, {}) << 1.0 << 1.0 << true;
}

void TestStreamMonitor::addedPerSecond()
{
    QFETCH(StreamInfo, before);
    QFETCH(StreamInfo, after);
    QFETCH(double, seconds);
    QFETCH(double, expected);
    QFETCH(bool, estimated);
    bool wasEstimated = !estimated;
    const auto rate = monitormath::addedPerSecond(before, after, seconds, &wasEstimated);
    if (std::isnan(expected)) {
        QVERIFY(!rate);
        return;
    }
    QVERIFY(rate);
    QCOMPARE(*rate, expected);
    QCOMPARE(wasEstimated, estimated);
}

void TestStreamMonitor::groupLag_data()
{
    QTest::addColumn<StreamInfo>("stream");
    QTest::addColumn<GroupInfo>("group");
    QTest::addColumn<monitormath::NextEntries>("next");
    QTest::addColumn<qint64>("expected"); // -1: unknown
    QTest::addColumn<bool>("estimated");
    const monitormath::NextEntries notAsked;
    QTest::newRow("Redis's lag") << streamInfo(10, {10, 0}, 10) << groupInfo({4, 0}, 4, 6)
                                 << notAsked << qint64(6) << false;
    QTest::newRow("nil, all delivered") << streamInfo(10, {10, 0}, 12) << groupInfo({10, 0}, {}, {})
                                        << notAsked << qint64(0) << true;
    QTest::newRow("nil, added minus read")
        << streamInfo(9, {10, 0}, 10) << groupInfo({3, 0}, 3, {}) << notAsked << qint64(7) << true;
    QTest::newRow("nil, added minus read, at most the length")
        << streamInfo(4, {10, 0}, 100) << groupInfo({3, 0}, 3, {}) << notAsked << qint64(4) << true;
    monitormath::NextEntries counted;
    counted.asked = true;
    counted.limit = 100;
    counted.count = 6;
    counted.first = StreamId{4, 0};
    counted.last = StreamId{10, 0};
    QTest::newRow("nil, counted") << streamInfo(9, {10, 0}, {}) << groupInfo({3, 0}, {}, {})
                                  << counted << qint64(6) << true;
    // 100 counted up to id time 1000 of a stream whose ids span 1..2000 and that holds
    // 1000 entries: about half of them lie after, so ~100 + 500.
    monitormath::NextEntries full;
    full.asked = true;
    full.limit = 100;
    full.count = 100;
    full.first = StreamId{901, 0};
    full.last = StreamId{1000, 0};
    QTest::newRow("nil, count at its limit, spread")
        << streamInfo(1000, {2000, 0}, {}) << groupInfo({900, 0}, {}, {}) << full << qint64(600)
        << true;
    QTest::newRow("nil, nothing to go on")
        << streamInfo(9, {10, 0}, {}) << groupInfo({3, 0}, {}, {}) << notAsked << qint64(-1)
        << true;
}

void TestStreamMonitor::groupLag()
{
    QFETCH(StreamInfo, stream);
    QFETCH(GroupInfo, group);
    QFETCH(monitormath::NextEntries, next);
    QFETCH(qint64, expected);
    QFETCH(bool, estimated);
    const monitormath::Lag lag = monitormath::groupLag(stream, group, next);
    QCOMPARE(lag.entries.value_or(-1), expected);
    QCOMPARE(lag.estimated, estimated);
}

void TestStreamMonitor::timeLag()
{
    QCOMPARE(monitormath::timeLagMs(5000, std::nullopt), qint64(0));
    QCOMPARE(monitormath::timeLagMs(5000, StreamId{3500, 7}), qint64(1500));
    // An id from a clock ahead of the server's: not negative.
    QCOMPARE(monitormath::timeLagMs(5000, StreamId{6000, 0}), qint64(0));
}

void TestStreamMonitor::readPerSecond_data()
{
    QTest::addColumn<qint64>("readBefore"); // -1: unknown
    QTest::addColumn<qint64>("readAfter");
    QTest::addColumn<qint64>("lagBefore");
    QTest::addColumn<qint64>("lagAfter");
    QTest::addColumn<double>("added");    // NaN: unknown
    QTest::addColumn<double>("expected"); // NaN: none
    QTest::addColumn<bool>("estimated");
    const double none = std::nan("");
    QTest::newRow("entries-read delta")
        << qint64(10) << qint64(30) << qint64(-1) << qint64(-1) << none << 10.0 << false;
    QTest::newRow("from the lag: added 8/s, lag grew by 6 in 2 s")
        << qint64(-1) << qint64(-1) << qint64(10) << qint64(16) << 8.0 << 5.0 << true;
    QTest::newRow("never negative")
        << qint64(-1) << qint64(-1) << qint64(10) << qint64(40) << 1.0 << 0.0 << true;
    QTest::newRow("nothing known")
        << qint64(-1) << qint64(-1) << qint64(-1) << qint64(3) << 1.0 << none << false;
}

void TestStreamMonitor::readPerSecond()
{
    QFETCH(qint64, readBefore);
    QFETCH(qint64, readAfter);
    QFETCH(qint64, lagBefore);
    QFETCH(qint64, lagAfter);
    QFETCH(double, added);
    QFETCH(double, expected);
    QFETCH(bool, estimated);
    auto opt = [](qint64 v) { return v < 0 ? std::nullopt : std::optional<qint64>(v); };
    bool wasEstimated = !estimated;
    const auto rate = monitormath::readPerSecond(
        opt(readBefore), opt(readAfter), opt(lagBefore), opt(lagAfter),
        std::isnan(added) ? std::nullopt : std::optional<double>(added), 2.0, &wasEstimated);
    if (std::isnan(expected)) {
        QVERIFY(!rate);
        return;
    }
    QVERIFY(rate);
    QCOMPARE(*rate, expected);
    QCOMPARE(wasEstimated, estimated);
}

void TestStreamMonitor::drainSeconds_data()
{
    QTest::addColumn<double>("lag");
    QTest::addColumn<double>("read");
    QTest::addColumn<double>("added");
    QTest::addColumn<double>("expected");
    QTest::newRow("no lag") << 0.0 << 0.0 << 5.0 << 0.0;
    QTest::newRow("draining") << 100.0 << 30.0 << 10.0 << 5.0;
    QTest::newRow("growing") << 100.0 << 10.0 << 30.0 << Never;
    QTest::newRow("standing still") << 100.0 << 10.0 << 10.0 << Never;
    QTest::newRow("no consumer") << 1.0 << 0.0 << 0.0 << Never;
}

void TestStreamMonitor::drainSeconds()
{
    QFETCH(double, lag);
    QFETCH(double, read);
    QFETCH(double, added);
    QFETCH(double, expected);
    QCOMPARE(monitormath::drainSeconds(lag, read, added), expected);
}

void TestStreamMonitor::init()
{
    static const QList<QByteArray> pure = {"addedPerSecond", "groupLag",     "timeLag",
                                           "readPerSecond",  "drainSeconds", "intervalBounds"};
    if (pure.contains(QTest::currentTestFunction()))
        return;
    m_redis.start();
}

void TestStreamMonitor::cleanup()
{
    m_redis.stop();
}

MonitorFigures TestStreamMonitor::nextWith(StreamMonitor &monitor, const SeriesKey &key,
                                           int timeoutMs)
{
    MonitorFigures found;
    bool done = false;
    auto c = connect(&monitor, &StreamMonitor::sampled, this, [&](const MonitorFigures &f) {
        if (!done && f.ok && f.values.contains(key)) {
            found = f;
            done = true;
        }
    });
    [&] { QTRY_VERIFY_WITH_TIMEOUT(done, timeoutMs); }();
    disconnect(c);
    return found;
}

void TestStreamMonitor::intervalBounds()
{
    StreamMonitor monitor;
    QCOMPARE(monitor.interval(), 1000);
    monitor.setInterval(50);
    QCOMPARE(monitor.interval(), StreamMonitor::MinIntervalMs);
    monitor.setInterval(10 * 60 * 1000);
    QCOMPARE(monitor.interval(), StreamMonitor::MaxIntervalMs);
    monitor.setInterval(750);
    QCOMPARE(monitor.interval(), 750);
}

// A producer adds 20 entries/s, a consumer reads and acks 40/s, over a backlog of 200
// entries made a minute ago: the lag falls at 20/s and drains in lag/20 s; the oldest
// undelivered entry is about a minute old.
void TestStreamMonitor::scriptedWorkload()
{
    // Before 7.0 a lag of more than LagCountLimit entries is an estimate (marked so: see
    // nilLagIsEstimatedAndMarked), not the exact figure this test follows.
    REQUIRE_REDIS(7, 0, "XINFO GROUPS reports lag");
    const qint64 start = QDateTime::currentMSecsSinceEpoch();
    QList<RedisCommand> fill;
    for (int i = 0; i < 200; ++i) {
        fill.append(RedisCommand{{"XADD", "jobs", QByteArray::number(start - 60000 + i) + "-0", "n",
                                  QByteArray::number(i)},
                                 "jobs"});
    }
    fill.append(RedisCommand{{"XGROUP", "CREATE", "jobs", "workers", "0"}, "jobs"});
    m_redis.run(fill);

    qint64 produced = 200;
    qint64 consumed = 0;
    QTimer producer;
    producer.setInterval(50);
    connect(&producer, &QTimer::timeout, this, [&] {
        m_redis.connection()->send({RedisCommand{{"XADD", "jobs", "*", "n", "x"}, "jobs"}}, nullptr,
                                   [&](const RedisResult &r) {
            if (r.ok())
                ++produced;
        });
    });
    QTimer consumer;
    consumer.setInterval(100);
    connect(&consumer, &QTimer::timeout, this, [&] {
        m_redis.connection()->send({RedisCommand{{"XREADGROUP", "GROUP", "workers", "w1", "COUNT",
                                                  "4", "STREAMS", "jobs", ">"},
                                                 "jobs"}},
                                   nullptr,
                                   [&](const RedisResult &r) {
            const auto read = r.ok() ? parseStreamRead(r.replies.at(0), nullptr) : std::nullopt;
            if (!read || read->isEmpty())
                return;
            RedisCommand ack{{"XACK", "jobs", "workers"}, "jobs"};
            for (const StreamEntry &e : read->first().entries)
                ack.argv.append(e.id.toByteArray());
            consumed += read->first().entries.size();
            m_redis.connection()->send({ack}, nullptr, [](const RedisResult &) {});
        });
    });

    StreamMonitor monitor;
    monitor.setConnection(m_redis.connection());
    monitor.setInterval(500);
    monitor.start();
    producer.start();
    consumer.start();

    const SeriesKey drainKey = series("jobs", "workers", Metric::DrainSeconds);
    // Let the rates settle over a few ticks, then average them over the next ones.
    nextWith(monitor, drainKey);
    nextWith(monitor, drainKey);
    double added = 0, read = 0;
    const int samples = 6;
    for (int i = 0; i < samples; ++i) {
        const MonitorFigures f = nextWith(monitor, drainKey);
        const qint64 lag = qint64(f.values.value(series("jobs", "workers", Metric::Lag)));
        // The test's own count, give or take the commands in flight around the tick.
        QVERIFY2(
            std::abs(lag - (produced - consumed)) <= 12,
            qPrintable(
                QStringLiteral("lag %1, expected about %2").arg(lag).arg(produced - consumed)));
        QVERIFY(!f.values.isEstimated(series("jobs", "workers", Metric::Lag)));
        added += f.values.value(series("jobs", {}, Metric::AddedPerSecond));
        const double r = f.values.value(series("jobs", "workers", Metric::ReadPerSecond));
        read += r;
        const double a = f.values.value(series("jobs", {}, Metric::AddedPerSecond));
        // Drain time: as the figures of the same tick say, and about lag / 20.
        const double drain = f.values.value(drainKey);
        if (r > a)
            QCOMPARE(drain, double(lag) / (r - a));
        else
            QCOMPARE(drain, Never);
        const double timeLag = f.values.value(series("jobs", "workers", Metric::TimeLagMs));
        const qint64 elapsed = QDateTime::currentMSecsSinceEpoch() - start;
        // The next undelivered entry is one of the backlog's: made 60 s before `start`.
        QVERIFY2(timeLag >= 60000 - 1000 && timeLag <= 60000 + elapsed + 1000,
                 qPrintable(QString::number(timeLag)));
        QCOMPARE(f.values.value(series("jobs", "workers", Metric::Consumers)), 1.0);
        QVERIFY(f.values.value(series("jobs", "workers", Metric::Pending)) <= 8);
    }
    added /= samples;
    read /= samples;
    QVERIFY2(added > 20 * 0.8 && added < 20 * 1.2, qPrintable(QString::number(added)));
    QVERIFY2(read > 40 * 0.8 && read < 40 * 1.2, qPrintable(QString::number(read)));
    const MonitorFigures f = nextWith(monitor, drainKey);
    const double lag = f.values.value(series("jobs", "workers", Metric::Lag));
    const double drain = f.values.value(drainKey);
    QVERIFY2(lag > 0 && drain > lag / 20 / 1.5 && drain < lag / 20 * 1.5,
             qPrintable(QStringLiteral("lag %1 drain %2").arg(lag).arg(drain)));

    // The producer alone: the lag grows, it never drains.
    consumer.stop();
    nextWith(monitor, drainKey);
    const MonitorFigures growing = nextWith(monitor, drainKey);
    QCOMPARE(growing.values.value(drainKey), Never);
    QCOMPARE(growing.values.value(series("jobs", "workers", Metric::ReadPerSecond)), 0.0);
    producer.stop();
}

// XDEL of an entry the group has not read yet makes Redis report the lag as nil: Weir
// estimates it from entries-added minus entries-read; a group set to an arbitrary id has no
// entries-read either, and its lag is counted.
void TestStreamMonitor::nilLagIsEstimatedAndMarked()
{
    QList<RedisCommand> setup;
    for (int i = 1; i <= 10; ++i)
        setup.append(RedisCommand{{"XADD", "s", QByteArray::number(i) + "-0", "n", "v"}, "s"});
    setup.append(RedisCommand{{"XGROUP", "CREATE", "s", "g", "0"}, "s"});
    setup.append(
        RedisCommand{{"XREADGROUP", "GROUP", "g", "c", "COUNT", "3", "STREAMS", "s", ">"}, "s"});
    setup.append(RedisCommand{{"XDEL", "s", "7-0"}, "s"});
    setup.append(RedisCommand{{"XGROUP", "CREATE", "s", "g2", "3-0"}, "s"});
    const QList<RedisValue> replies = m_redis.run(setup);
    // What Redis itself says: nil for both.
    const auto groups = parseGroupsInfo(
        m_redis.run({RedisCommand{{"XINFO", "GROUPS", "s"}, "s"}}).value(0), nullptr);
    QVERIFY(groups);
    QCOMPARE(groups->size(), 2);
    QVERIFY(!groups->at(0).lag && !groups->at(1).lag);

    StreamMonitor monitor;
    monitor.setConnection(m_redis.connection());
    monitor.setWatched({"s"});
    monitor.start();
    const MonitorFigures f = nextWith(monitor, series("s", "g2", Metric::Lag));
    // g: 10 added, 3 read (the deleted entry still counts: an estimate). Before 7.0 Redis
    // counts neither, and Weir counts the 6 entries left after 3-0.
    QCOMPARE(f.values.value(series("s", "g", Metric::Lag)),
             testserver::isAtLeast(7, 0) ? 7.0 : 6.0);
    QVERIFY(f.values.isEstimated(series("s", "g", Metric::Lag)));
    // g2: after 3-0 the stream holds 4, 5, 6, 8, 9, 10.
    QCOMPARE(f.values.value(series("s", "g2", Metric::Lag)), 6.0);
    QVERIFY(f.values.isEstimated(series("s", "g2", Metric::Lag)));
    QVERIFY(!f.values.isEstimated(series("s", {}, Metric::Length)));
    QCOMPARE(f.values.value(series("s", {}, Metric::Length)), 9.0);
    // Ids 1-0 .. 10-0 are from 1970: the time lag is the age of entry 4-0.
    const double timeLag = f.values.value(series("s", "g", Metric::TimeLagMs));
    QVERIFY(std::abs(timeLag - double(QDateTime::currentMSecsSinceEpoch() - 4)) < 5000);
}

void TestStreamMonitor::consumersAndOldestPending()
{
    QList<RedisCommand> setup;
    for (int i = 1; i <= 5; ++i)
        setup.append(RedisCommand{{"XADD", "q", "*", "n", "v"}, "q"});
    setup.append(RedisCommand{{"XGROUP", "CREATE", "q", "g", "0"}, "q"});
    setup.append(RedisCommand{
        {"XREADGROUP", "GROUP", "g", "alice", "COUNT", "2", "STREAMS", "q", ">"}, "q"});
    setup.append(RedisCommand{{"XADD", "q:dlq", "*", "dead", "1"}, "q:dlq"});
    setup.append(RedisCommand{{"XADD", "q:dlq", "*", "dead", "2"}, "q:dlq"});
    m_redis.run(setup);
    QTest::qWait(0);
    QElapsedTimer sinceRead;
    sinceRead.start();

    StreamMonitor monitor;
    monitor.setConnection(m_redis.connection());
    monitor.setDeadLetterStreams({{"q", "q:dlq"}});
    QSignalSpy watched(&monitor, &StreamMonitor::watchedChanged);
    monitor.start();
    // Watching all: q is found by the scan, q:dlq is counted as its dead letters.
    const SeriesKey idle = series("q", "g", Metric::ConsumerIdleMs, "alice");
    MonitorFigures f = nextWith(monitor, idle);
    QCOMPARE(f.values.value(series("q", "g", Metric::ConsumerPending, "alice")), 2.0);
    // Idle since the read (the server times it from its own reading of the clock, which
    // may be some ms before the setup's reply reached the test on a loaded machine).
    const double slackMs = 250;
    QVERIFY2(f.values.value(idle) <= double(sinceRead.elapsed()) + slackMs,
             qPrintable(QString::number(f.values.value(idle))));
    QCOMPARE(f.values.value(series("q", {}, Metric::DeadLetters)), 2.0);
    QVERIFY(!f.values.contains(series("q:dlq", {}, Metric::Length)));
    QCOMPARE(f.values.value(series("q", "g", Metric::Pending)), 2.0);
    QCOMPARE(f.values.value(series("q", "g", Metric::Lag)), 3.0);
    const double oldest = f.values.value(series("q", "g", Metric::OldestPendingIdleMs));
    QVERIFY(oldest >= 0 && oldest <= double(sinceRead.elapsed()) + slackMs);

    QVERIFY(!watched.isEmpty());
    const QList<WatchedStream> w = monitor.watched();
    QCOMPARE(w.size(), 1);
    QCOMPARE(w.first().key, QByteArray("q"));
    QCOMPARE(w.first().deadLetterStream, QByteArray("q:dlq"));
    QCOMPARE(w.first().groups.size(), 1);
    QCOMPARE(w.first().groups.first().consumers, QList<QByteArray>{"alice"});

    // A new dead letter shows on the next ticks.
    run({"XADD", "q:dlq", "*", "dead", "3"});
    QTRY_COMPARE(monitor.lastFigures().values.value(series("q", {}, Metric::DeadLetters)), 3.0);
    // Idle grows while alice does nothing.
    QTest::qWait(1200);
    f = nextWith(monitor, idle);
    QVERIFY(f.values.value(idle) >= 1000);
}

void TestStreamMonitor::streamDeletedWhileWatched()
{
    m_redis.run({RedisCommand{{"XADD", "a", "*", "n", "1"}, "a"},
                 RedisCommand{{"XGROUP", "CREATE", "a", "ga", "0"}, "a"},
                 RedisCommand{{"XADD", "b", "*", "n", "1"}, "b"}});
    StreamMonitor monitor;
    monitor.setConnection(m_redis.connection());
    monitor.setInterval(200);
    monitor.start();
    nextWith(monitor, series("a", "ga", Metric::Lag));
    QCOMPARE(monitor.watched().size(), 2);

    QSignalSpy watched(&monitor, &StreamMonitor::watchedChanged);
    run({"DEL", "a"});
    // The next ticks have b and none of a's series.
    MonitorFigures f;
    QTRY_VERIFY_WITH_TIMEOUT(
        (f = monitor.lastFigures(), f.ok && !f.values.contains(series("a", {}, Metric::Length))),
        5000);
    QVERIFY(f.values.contains(series("b", {}, Metric::Length)));
    f.values.forEach([](const SeriesKey &key, double, bool) { QVERIFY(key.stream != "a"); });
    QTRY_VERIFY(!watched.isEmpty());
    QTRY_COMPARE(monitor.watched().size(), 1);
    QCOMPARE(monitor.watched().first().key, QByteArray("b"));

    // A stream named by the operator stays watched while it is away, and is back when it is.
    monitor.setWatched({"a", "b"});
    f = nextWith(monitor, series("b", {}, Metric::Length));
    QVERIFY(!f.values.contains(series("a", {}, Metric::Length)));
    QTRY_VERIFY(monitor.watched().size() == 2 && !monitor.watched().first().exists);
    run({"XADD", "a", "*", "n", "2"});
    nextWith(monitor, series("a", {}, Metric::Length));
    QTRY_VERIFY(monitor.watched().first().exists);
}

// The server is killed while watched: a failed tick, then (the connection reconnects by
// itself) figures again.
void TestStreamMonitor::serverRestartedWhileWatched()
{
    run({"XADD", "s", "*", "n", "1"});
    RedisConnection connection(m_redis.server()->options());
    connection.open(true);
    QTRY_COMPARE(connection.state(), ConnectionState::Connected);
    StreamMonitor monitor;
    monitor.setConnection(&connection);
    monitor.setWatched({"s"});
    monitor.setInterval(200);
    monitor.start();
    nextWith(monitor, series("s", {}, Metric::Length));

    QSignalSpy sampled(&monitor, &StreamMonitor::sampled);
    m_redis.stop(); // the fixture's connection goes first, then the server (SIGTERM)
    QTRY_VERIFY_WITH_TIMEOUT(
        std::any_of(
            sampled.cbegin(), sampled.cend(),
            [](const QList<QVariant> &args) { return !args.at(0).value<MonitorFigures>().ok; }),
        5000);
    const auto failed =
        std::find_if(sampled.cbegin(), sampled.cend(), [](const QList<QVariant> &args) {
            return !args.at(0).value<MonitorFigures>().ok;
        });
    const MonitorFigures gap = failed->at(0).value<MonitorFigures>();
    QVERIFY(!gap.error.isEmpty());
    QVERIFY(gap.values.isEmpty());

    // Same port, fresh data.
    LocalRedisServer::Config config;
    config.port = connection.options().port;
    LocalRedisServer server(config);
    QString error;
    QVERIFY2(server.start(&error), qPrintable(error));
    RedisConnection setup(server.options());
    setup.open(false);
    QTRY_COMPARE(setup.state(), ConnectionState::Connected);
    bool written = false;
    setup.send({RedisCommand{{"XADD", "s", "*", "n", "1"}, "s"},
                RedisCommand{{"XADD", "s", "*", "n", "2"}, "s"}},
               nullptr, [&](const RedisResult &r) { written = r.ok(); });
    QTRY_VERIFY(written);
    const MonitorFigures back = nextWith(monitor, series("s", {}, Metric::Length), 20000);
    QCOMPARE(back.values.value(series("s", {}, Metric::Length)), 2.0);
    // Rates never span the gap: they need two good ticks after it.
    QVERIFY(!back.values.contains(series("s", {}, Metric::AddedPerSecond)));
    nextWith(monitor, series("s", {}, Metric::AddedPerSecond));
}

// A batch that takes longer than the interval: the ticks meanwhile are skipped (and
// counted), never queued behind it.
void TestStreamMonitor::oneTickInFlight()
{
    run({"XADD", "s", "*", "n", "1"});
    StreamMonitor monitor;
    monitor.setConnection(m_redis.connection());
    monitor.setWatched({"s"});
    monitor.setInterval(200);
    monitor.start();
    nextWith(monitor, series("s", {}, Metric::Length));

    // Hold every client for 1.5 s, from a connection of its own.
    RedisConnection pauser(m_redis.server()->options());
    pauser.open(false);
    QTRY_COMPARE(pauser.state(), ConnectionState::Connected);
    bool paused = false;
    pauser.send({RedisCommand{"CLIENT", "PAUSE", "1500", "ALL"}}, nullptr,
                [&](const RedisResult &r) { paused = r.ok(); });
    QTRY_VERIFY(paused);
    // The next tick is sent after the pause began: it is held.
    const qint64 ticksBefore = monitor.stats().ticks;
    QTRY_VERIFY(monitor.stats().ticks > ticksBefore);
    const MonitorStats held = monitor.stats();
    QVERIFY(monitor.isTickInFlight());
    QSignalSpy sampled(&monitor, &StreamMonitor::sampled);
    qint64 ticksAtFirstSample = -1;
    connect(&monitor, &StreamMonitor::sampled, this, [&] {
        if (ticksAtFirstSample < 0)
            ticksAtFirstSample = monitor.stats().ticks;
    });
    QTest::qWait(800); // the pause holds; the monitor's own timer keeps firing meanwhile
    QVERIFY(monitor.isTickInFlight());
    QCOMPARE(sampled.size(), 0);
    QCOMPARE(monitor.stats().ticks, held.ticks);
    QVERIFY(monitor.stats().skippedTicks >= held.skippedTicks + 3);
    // The held tick's figures come when the pause ends, before any other tick is sent.
    QTRY_VERIFY_WITH_TIMEOUT(sampled.size() >= 1, 3000);
    QVERIFY(sampled.first().at(0).value<MonitorFigures>().ok);
    QCOMPARE(ticksAtFirstSample, held.ticks);
    QVERIFY(monitor.stats().lastBatchMs >= 400);
}

// Over the budget, consumers and oldest pending are read in turns; the figures of the
// groups not read this tick repeat their last values.
void TestStreamMonitor::detailsInTurns()
{
    QList<RedisCommand> setup;
    for (int i = 0; i < 6; ++i) {
        const QByteArray k = "s" + QByteArray::number(i);
        setup.append(RedisCommand{{"XADD", k, "*", "n", "1"}, k});
        setup.append(RedisCommand{{"XGROUP", "CREATE", k, "g", "0"}, k});
        setup.append(RedisCommand{
            {"XREADGROUP", "GROUP", "g", "c" + QByteArray::number(i), "STREAMS", k, ">"}, k});
    }
    m_redis.run(setup);
    StreamMonitor monitor;
    monitor.setConnection(m_redis.connection());
    monitor.setDetailGroupsPerTick(2);
    monitor.setInterval(200);
    monitor.start();
    // After three ticks every group has been read once; from then on all have figures.
    const SeriesKey last = series("s5", "g", Metric::ConsumerPending, "c5");
    MonitorFigures f = nextWith(monitor, last);
    QCOMPARE(monitor.stats().detailGroupsPerTick, 2);
    f = nextWith(monitor, last);
    for (int i = 0; i < 6; ++i) {
        const QByteArray k = "s" + QByteArray::number(i);
        QCOMPARE(
            f.values.value(series(k, "g", Metric::ConsumerPending, "c" + QByteArray::number(i))),
            1.0);
        QVERIFY(f.values.contains(series(k, "g", Metric::OldestPendingIdleMs)));
    }
}

// A group's next undelivered entry is asked for again only when it may have moved: the
// group read, or entries were deleted. Entries appended after it leave it where it was.
void TestStreamMonitor::unmovedGroupsAreNotAskedAgain()
{
    run({"XADD", "s", "1000-1", "n", "1"});
    run({"XADD", "s", "2000-1", "n", "2"});
    run({"XADD", "s", "3000-1", "n", "3"});
    run({"XGROUP", "CREATE", "s", "g", "0"});
    StreamMonitor monitor;
    monitor.setConnection(m_redis.connection());
    monitor.setWatched({"s"});
    monitor.setInterval(200);
    monitor.start();
    const SeriesKey timeLag = series("s", "g", Metric::TimeLagMs);
    // The figures of a tick sent after the last change.
    auto settled = [&] {
        nextWith(monitor, timeLag);
        return nextWith(monitor, timeLag);
    };
    // The time part of the group's next undelivered entry, from its time lag.
    auto nextEntryMs = [&](const MonitorFigures &f) {
        return double(f.timeMs) - f.values.value(timeLag);
    };
    // (Redis counts the entries trimmed away into the lag it gives: no lag after XTRIM.)
    auto check = [&](double expectedMs, std::optional<double> lag) {
        const MonitorFigures f = settled();
        QVERIFY2(qAbs(nextEntryMs(f) - expectedMs) < 500,
                 qPrintable(QString::number(nextEntryMs(f))));
        if (lag)
            QCOMPARE(f.values.value(series("s", "g", Metric::Lag)), *lag);
        QCOMPARE(monitor.stats().lastRanges, 0);
    };
    check(1000, 3);
    run({"XADD", "s", "4000-1", "n", "4"});
    check(1000, 4);
    run({"XDEL", "s", "1000-1"});
    check(2000, 3);
    run({"XREADGROUP", "GROUP", "g", "c", "COUNT", "1", "STREAMS", "s", ">"});
    check(3000, 2);
    run({"XTRIM", "s", "MAXLEN", "1"});
    check(4000, std::nullopt);
}

// The figures are derived on the monitor's own thread and handed on on the GUI thread; a
// setter called from the GUI thread while a tick is being worked on takes effect after it.
void TestStreamMonitor::workedOffTheGuiThread()
{
    m_redis.run({RedisCommand{{"XADD", "a", "*", "n", "1"}, "a"},
                 RedisCommand{{"XADD", "b", "*", "n", "1"}, "b"},
                 RedisCommand{{"XADD", "b", "*", "n", "2"}, "b"},
                 RedisCommand{{"XGROUP", "CREATE", "b", "gb", "0"}, "b"}});
    StreamMonitor monitor;
    QVERIFY(monitor.workThread() != monitor.thread());
    QVERIFY(monitor.workThread()->isRunning());
    monitor.setConnection(m_redis.connection());
    monitor.setWatched({"a"});
    monitor.setInterval(200);
    QList<QThread *> deliveredOn;
    connect(&monitor, &StreamMonitor::sampled, this,
            [&] { deliveredOn.append(QThread::currentThread()); });
    QList<QThread *> watchedOn;
    connect(&monitor, &StreamMonitor::watchedChanged, this,
            [&] { watchedOn.append(QThread::currentThread()); });
    monitor.start();
    nextWith(monitor, series("a", {}, Metric::Length));
    QVERIFY(monitor.stats().lastWorkerMs > 0);

    // Hold the monitor's thread: ticks are still sent (the GUI thread goes on), but no
    // figures come until it is free again, so they are worked out there.
    auto *blocker = new QObject;
    blocker->moveToThread(const_cast<QThread *>(monitor.workThread()));
    QSemaphore held, release;
    QMetaObject::invokeMethod(blocker, [&held, &release, blocker] {
        held.release();
        release.acquire();
        blocker->deleteLater();
    });
    QTRY_VERIFY(held.available() == 1);
    QSignalSpy sampled(&monitor, &StreamMonitor::sampled);
    const qint64 ticks = monitor.stats().ticks;
    QTRY_VERIFY(monitor.stats().ticks > ticks);
    QVERIFY(monitor.isTickInFlight());
    // Setters from the GUI thread meanwhile: they apply in order once the thread is free.
    monitor.setWatched({"b"});
    monitor.setDeadLetterStreams({{"b", "b:dlq"}});
    QTest::qWait(600); // the monitor's timer fires meanwhile; those ticks are skipped
    QCOMPARE(sampled.size(), 0);
    QVERIFY(monitor.isTickInFlight());
    QVERIFY(monitor.stats().skippedTicks > 0);
    release.release();
    const MonitorFigures f = nextWith(monitor, series("b", "gb", Metric::Lag));
    QCOMPARE(f.values.value(series("b", "gb", Metric::Lag)), 2.0);
    QVERIFY(!f.values.contains(series("a", {}, Metric::Length)));
    QCOMPARE(monitor.watched().size(), 1);
    QCOMPARE(monitor.watched().first().key, QByteArray("b"));
    QCOMPARE(monitor.watched().first().deadLetterStream, QByteArray("b:dlq"));
    QCOMPARE(monitor.lastFigures().values, f.values);

    QVERIFY(!deliveredOn.isEmpty());
    for (QThread *t : std::as_const(deliveredOn))
        QCOMPARE(t, QThread::currentThread());
    QVERIFY(!watchedOn.isEmpty());
    for (QThread *t : std::as_const(watchedOn))
        QCOMPARE(t, QThread::currentThread());
}

QTEST_GUILESS_MAIN(TestStreamMonitor)
#include "tst_streammonitor.moc"
