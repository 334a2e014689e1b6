// The live monitor at issue 22's scale: 10,000 streams with 3 groups each (one group caught
// up, one with 25 pending entries of a consumer, one that never read) on one connection,
// sampled at 1 Hz, and the same sampling batch pipelined on raw hiredis in the same run as
// the reference.
//
//   bench_monitor [--quick] [seconds] [streams]     (default 60 10000; --quick: 30 10000)
//
// --quick keeps the full 10,000 streams (the scale is the point) and runs fewer ticks.
//
// The queues move: after each tick, one stream in ten (a different tenth each time) is
// appended an entry that its g1 reads (1,000 entries a second at full size), pipelined on
// the reference's connection; its time is taken out of Weir's figures like the
// reference's.
//
// Rounds: after every second tick's figures (the monitor idle, its tick done), the
// reference sends the commands that tick sent, pipelined on hiredis: TIME; XINFO STREAM,
// XINFO GROUPS and XLEN of the dead-letter stream of every stream; XINFO CONSUMERS and
// XPENDING for as many groups as the monitor details a tick, in turns; then the XRANGE of
// the next undelivered entry of every group whose entry may have moved (the monitor keeps
// the others' from the last tick) of every stream moved before the tick: g1, and g0 the
// first time its stream moves, or every time when Redis gives g0 no lag (then counted, up
// to StreamMonitor::LagCountLimit). The bench counts the rounds where the monitor sent
// another number of XRANGEs. Each round pairs that tick's
// batch (first request sent to last reply, through Weir's connection) with the reference's;
// the ratio is the median of the per-round ratios. The reference blocks this (the GUI)
// thread; its CPU and wall time are taken out of Weir's figures.
//
// The figures go, as in Weir, to the session's history, alert engine and dashboard model
// (behind its worst-first proxy) on the GUI thread. Printed:
// - monitor_batch (rounds) and its ratio to the reference (target <= 1.2x);
// - the GUI thread's CPU from one tick's figures to the next's (event dispatch, the
//   connection's callbacks, the consumers, the proxy's resort), median and p95 (targets
//   5 and 10 ms), the consumers' share each, and the monitor's own part (asking its
//   thread, sending the requests, taking the figures: wall time), monitor_gui_per_tick;
// - the CPU of each of Weir's threads per tick (the monitor's: building requests, parsing,
//   deriving; the connection's worker: encoding, RESP decoding) and the whole process's in
//   % of one core (target 15%), the reference's time taken out; the redis-server child is
//   another process;
// - the resident memory the run added per series of the history, against what
//   SeriesHistory says a series costs at most once its ring is full (bytesPerSeries()).
#include "alertrules.h"
#include "bulkbench.h"
#include "dashboardmodel.h"
#include "redisconnection.h"
#include "serieshistory.h"
#include "streammonitor.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QTimer>

#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include <cstring>
#include <vector>

namespace {

constexpr int Entries = 50;
constexpr int Read = 25;

QByteArray streamKey(int i)
{
    return "queue:" + QByteArray::number(i);
}

bool fill(redisContext *c, int streams)
{
    int appended = 0;
    auto append = [&](const QList<QByteArray> &argv) {
        appendArgv(c, RedisCommand{argv});
        ++appended;
    };
    for (int i = 0; i < streams; ++i) {
        const QByteArray k = streamKey(i);
        for (int e = 1; e <= Entries; ++e)
            append({"XADD", k, "*", "data", "{\"n\":" + QByteArray::number(e) + "}"});
        append({"XGROUP", "CREATE", k, "g0", "$"});
        append({"XGROUP", "CREATE", k, "g1", "0"});
        append({"XGROUP", "CREATE", k, "g2", "0"});
        append({"XREADGROUP", "GROUP", "g1", "worker-1", "COUNT", QByteArray::number(Read),
                "STREAMS", k, ">"});
        append({"XADD", k + ":dlq", "*", "reason", "poison"});
    }
    for (int i = 0; i < appended; ++i) {
        void *reply = nullptr;
        if (redisGetReply(c, &reply) != REDIS_OK
            || !check(static_cast<redisReply *>(reply), "fill"))
            return false;
    }
    return true;
}

// Streams [from, from + count) of `streams`, wrapping around.
bool inWindow(int i, int from, int count, int streams)
{
    return (i - from + streams) % streams < count;
}

// The workload between two ticks: streams [from, from + count) are appended an entry that
// their g1 reads.
bool move(redisContext *c, int streams, int from, int count)
{
    for (int n = 0; n < count; ++n) {
        const QByteArray k = streamKey((from + n) % streams);
        appendArgv(c, RedisCommand{"XADD", k, "*", "data", "{\"n\":0}"});
        appendArgv(c, RedisCommand{"XREADGROUP", "GROUP", "g1", "worker-1", "COUNT", "1", "STREAMS",
                                   k, ">"});
    }
    for (int n = 0; n < 2 * count; ++n) {
        void *reply = nullptr;
        if (redisGetReply(c, &reply) != REDIS_OK
            || !check(static_cast<redisReply *>(reply), "move"))
            return false;
    }
    return true;
}

// The next id after a group's last-delivered one, from one group of an XINFO GROUPS reply.
QByteArray undeliveredFrom(const redisReply *group)
{
    for (size_t f = 0; f + 1 < group->elements; f += 2) {
        if (std::strcmp(group->element[f]->str, "last-delivered-id") == 0) {
            const auto id = StreamId::parse(QByteArray(group->element[f + 1]->str));
            const std::optional<StreamId> next = id ? id->next() : std::nullopt;
            return next ? next->toByteArray() : "-";
        }
    }
    return "-";
}

// Whether one group of an XINFO GROUPS reply has no lag (nil, or none before Redis 7.0).
bool lagUnknown(const redisReply *group)
{
    for (size_t f = 0; f + 1 < group->elements; f += 2) {
        if (std::strcmp(group->element[f]->str, "lag") == 0)
            return group->element[f + 1]->type == REDIS_REPLY_NIL;
    }
    return true;
}

// What one tick of the monitor sends, pipelined on hiredis (see the comment at the top):
// `detailFrom` is the first group (counted stream by stream) whose details are read, for
// `detailGroups` groups in turn; streams [movedFrom, movedFrom + moved) moved before the
// tick, and `askG0` says which of them had their g0 asked for (the first time they moved).
// Returns the batch's wall time in ms, and the XRANGEs sent in `ranges`.
double rawBatch(redisContext *c, int streams, int detailFrom, int detailGroups, int movedFrom,
                int moved, const std::vector<bool> &askG0, int *ranges)
{
    constexpr int Groups = 3;
    const int totalGroups = streams * Groups;
    auto detailed = [&](int flat) {
        return detailGroups >= totalGroups
               || (flat - detailFrom + totalGroups) % totalGroups < detailGroups;
    };
    QElapsedTimer timer;
    timer.start();
    int sent = 0;
    appendArgv(c, RedisCommand{"TIME"});
    ++sent;
    std::vector<int> groupsReplyAt(size_t(streams), -1); // of the moved streams
    for (int i = 0; i < streams; ++i) {
        const QByteArray k = streamKey(i);
        appendArgv(c, RedisCommand{"XINFO", "STREAM", k});
        if (inWindow(i, movedFrom, moved, streams))
            groupsReplyAt[size_t(i)] = sent + 1;
        appendArgv(c, RedisCommand{"XINFO", "GROUPS", k});
        appendArgv(c, RedisCommand{"XLEN", k + ":dlq"});
        sent += 3;
        for (int g = 0; g < Groups; ++g) {
            if (!detailed(i * Groups + g))
                continue;
            const QByteArray group = "g" + QByteArray::number(g);
            appendArgv(c, RedisCommand{"XINFO", "CONSUMERS", k, group});
            appendArgv(c, RedisCommand{"XPENDING", k, group, "-", "+", "1"});
            sent += 2;
        }
    }
    // The moved streams' XRANGEs, built as their XINFO GROUPS replies come.
    QList<RedisCommand> next;
    int stream = 0;
    for (int n = 0; n < sent; ++n) {
        void *reply = nullptr;
        if (redisGetReply(c, &reply) != REDIS_OK)
            return -1;
        auto *r = static_cast<redisReply *>(reply);
        while (stream < streams && groupsReplyAt[size_t(stream)] < n)
            ++stream;
        if (stream < streams && groupsReplyAt[size_t(stream)] == n && r->type == REDIS_REPLY_ARRAY
            && r->elements >= 2) {
            const QByteArray k = streamKey(stream);
            // Redis may give g0 (created at $) no lag: the monitor counts its entries.
            if (lagUnknown(r->element[0])) {
                next.append(RedisCommand{"XRANGE", k, undeliveredFrom(r->element[0]), "+", "COUNT",
                                         QByteArray::number(StreamMonitor::LagCountLimit)});
            } else if (askG0[size_t(stream)]) {
                next.append(
                    RedisCommand{"XRANGE", k, undeliveredFrom(r->element[0]), "+", "COUNT", "1"});
            }
            next.append(
                RedisCommand{"XRANGE", k, undeliveredFrom(r->element[1]), "+", "COUNT", "1"});
        }
        freeReplyObject(reply);
    }
    for (const RedisCommand &command : std::as_const(next))
        appendArgv(c, command);
    for (qsizetype n = 0; n < next.size(); ++n) {
        void *reply = nullptr;
        if (redisGetReply(c, &reply) != REDIS_OK)
            return -1;
        freeReplyObject(reply);
    }
    *ranges = int(next.size());
    return timer.nsecsElapsed() / 1e6;
}

double cpuSeconds()
{
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return double(u.ru_utime.tv_sec + u.ru_stime.tv_sec)
           + double(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

// CPU time of the calling thread.
double threadCpuSeconds()
{
    timespec t{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return double(t.tv_sec) + double(t.tv_nsec) / 1e9;
}

// CPU seconds of each of this process's threads, by thread name.
QHash<QByteArray, double> threadsCpuSeconds()
{
    QHash<QByteArray, double> cpu;
    const double tick = double(sysconf(_SC_CLK_TCK));
    for (const QString &tid : QDir(QStringLiteral("/proc/self/task")).entryList(QDir::Dirs)) {
        QFile stat(QStringLiteral("/proc/self/task/%1/stat").arg(tid));
        if (!stat.open(QIODevice::ReadOnly))
            continue;
        const QByteArray line = stat.readAll();
        const qsizetype open = line.indexOf('('), close = line.lastIndexOf(')');
        if (open < 0 || close < open)
            continue;
        const QList<QByteArray> fields = line.mid(close + 2).split(' ');
        if (fields.size() < 13)
            continue;
        // utime and stime are fields 14 and 15 of the line, 12 and 13 after the name.
        cpu[line.mid(open + 1, close - open - 1)] +=
            (fields.at(11).toDouble() + fields.at(12).toDouble()) / tick;
    }
    return cpu;
}

qint64 residentBytes()
{
    QFile statm(QStringLiteral("/proc/self/statm"));
    if (!statm.open(QIODevice::ReadOnly))
        return 0;
    return statm.readAll().split(' ').value(1).toLongLong() * sysconf(_SC_PAGESIZE);
}

double percentile(QList<double> values, double p)
{
    std::sort(values.begin(), values.end());
    return values.at(qMin(values.size() - 1, qsizetype(p * double(values.size()))));
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QStringList args = app.arguments().mid(1);
    const bool quick = takeQuick(&args);
    const int seconds =
        std::max(5, args.value(0, quick ? QStringLiteral("30") : QStringLiteral("60")).toInt());
    const int streams = std::max(1, args.value(1, QStringLiteral("10000")).toInt());

    LocalRedisServer server;
    redisContext *raw = startServer(server);
    if (!raw || !fill(raw, streams))
        return 1;

    RedisConnection connection(server.options());
    if (!openConnection(&connection))
        return 1;
    StreamMonitor monitor;
    monitor.setConnection(&connection);
    QHash<QByteArray, QByteArray> deadLetters;
    for (int i = 0; i < streams; ++i)
        deadLetters.insert(streamKey(i), streamKey(i) + ":dlq");
    monitor.setDeadLetterStreams(deadLetters);
    monitor.setWatchCap(streams);
    monitor.setInterval(1000);

    // What the figures feed in Weir, on this (the GUI) thread.
    SeriesHistory history(1000);
    AlertEngine alerts(QStringLiteral("bench"), QStringLiteral("bench"));
    DashboardModel dashboard;
    DashboardSortProxy worstFirst;
    worstFirst.setSourceModel(&dashboard);
    QList<double> consumersMs, historyMs, alertsMs, dashboardMs;
    // The GUI thread's CPU from one tick's figures to the next's, the reference's taken out.
    QList<double> tickCpuMs;
    double tickCpuBefore = -1;
    double referenceSinceTick = 0;

    Rounds weirBatch, rawBatchMs;
    QList<double> batchMs, workerMs, monitorGuiMs;
    double referenceCpu = 0; // the reference's CPU (on this thread) and wall time
    double referenceWall = 0;
    qint64 failed = 0;
    int values = 0;
    int measured = 0;
    int detailCursor = 0; // the monitor's turn of details, mirrored by the reference
    int totalTicks = 0;
    // The workload: a tenth of the streams move between two ticks, a window at a time.
    const int moved = std::max(1, streams / 10);
    int movedBefore = -1; // the window moved before the tick whose figures come next
    int nextWindow = 0;
    std::vector<bool> g0Asked(size_t(streams), false);
    int rangesMismatched = 0;
    QList<double> rangesPerTick;
    auto untimed = [&](const auto &work) {
        QElapsedTimer wall;
        wall.start();
        const double before = threadCpuSeconds();
        work();
        const double cpu = threadCpuSeconds() - before;
        referenceCpu += cpu;
        referenceSinceTick += cpu;
        referenceWall += wall.nsecsElapsed() / 1e9;
    };
    QObject::connect(&monitor, &StreamMonitor::sampled, &monitor, [&](const MonitorFigures &f) {
        if (!f.ok) {
            ++failed;
            return;
        }
        const int groups = 3 * streams;
        const int detailGroups = monitor.stats().detailGroupsPerTick;
        const int detailFrom = detailCursor;
        if (monitor.stats().streams == streams)
            detailCursor = (detailCursor + detailGroups) % groups;
        ++totalTicks;
        if (monitor.stats().streams < streams || totalTicks < 3)
            return; // the scan had not finished yet, or rates not yet there
        // Which g0s of the streams moved before this tick were asked for the first time.
        std::vector<bool> askG0(size_t(streams), false);
        for (int n = 0; movedBefore >= 0 && n < moved; ++n) {
            const auto i = size_t((movedBefore + n) % streams);
            askG0[i] = !g0Asked[i];
            g0Asked[i] = true;
        }
        rangesPerTick.append(monitor.stats().lastRanges);
        const double t0 = threadCpuSeconds();
        history.record(f);
        const double t1 = threadCpuSeconds();
        alerts.evaluate(f);
        const double t2 = threadCpuSeconds();
        dashboard.update(f);
        const double t3 = threadCpuSeconds();
        historyMs.append(1000.0 * (t1 - t0));
        alertsMs.append(1000.0 * (t2 - t1));
        dashboardMs.append(1000.0 * (t3 - t2));
        consumersMs.append(1000.0 * (t3 - t0));
        batchMs.append(monitor.stats().lastBatchMs);
        if (tickCpuBefore >= 0)
            tickCpuMs.append(1000.0 * (t3 - tickCpuBefore - referenceSinceTick));
        tickCpuBefore = t3;
        referenceSinceTick = 0;
        workerMs.append(monitor.stats().lastWorkerMs);
        monitorGuiMs.append(monitor.stats().lastGuiMs);
        values = f.values.count();
        // Every second tick, the reference: the monitor is idle (its tick is done, the next
        // one not yet due), so the two never share the server.
        if (++measured % 2 == 0) {
            untimed([&] {
                int ranges = 0;
                const double rawMs = rawBatch(raw, streams, detailFrom, detailGroups, movedBefore,
                                              movedBefore >= 0 ? moved : 0, askG0, &ranges);
                if (rawMs > 0) {
                    weirBatch.add(monitor.stats().lastBatchMs);
                    rawBatchMs.add(rawMs);
                }
                if (ranges != monitor.stats().lastRanges)
                    ++rangesMismatched;
            });
        }
        untimed([&] {
            if (!move(raw, streams, nextWindow, moved))
                ++failed;
        });
        movedBefore = nextWindow;
        nextWindow = (nextWindow + moved) % streams;
    });

    const qint64 rssBefore = residentBytes();
    const double cpuBefore = cpuSeconds();
    const QHash<QByteArray, double> threadsBefore = threadsCpuSeconds();
    QElapsedTimer wall;
    wall.start();
    monitor.start();
    QEventLoop loop;
    QTimer::singleShot(seconds * 1000, &loop, &QEventLoop::quit);
    loop.exec();
    const qint64 ticksRun = monitor.stats().ticks;
    monitor.stop();
    const double weirSeconds = wall.nsecsElapsed() / 1e9 - referenceWall;
    const double cpu = cpuSeconds() - cpuBefore - referenceCpu;
    const QHash<QByteArray, double> threadsAfter = threadsCpuSeconds();
    const qint64 rssGrowth = residentBytes() - rssBefore;
    const qsizetype series = history.keys().size();

    if (batchMs.isEmpty() || weirBatch.count() < Rounds::Minimum) {
        std::fprintf(stderr, "%lld complete ticks, %d rounds in %d s (%lld failed)\n",
                     qlonglong(batchMs.size()), weirBatch.count(), seconds, qlonglong(failed));
        return 1;
    }
    if (rangesMismatched > 0) {
        std::fprintf(stderr,
                     "warning: in %d rounds the reference sent another number of XRANGEs than "
                     "the monitor: the batch ratio compares unlike batches\n",
                     rangesMismatched);
    }
    figure("monitor_streams", streams, "streams");
    figure("monitor_groups", monitor.stats().groups, "groups");
    figure("monitor_series_per_tick", values, "series");
    figure("monitor_ticks", double(ticksRun), "ticks");
    figure("monitor_skipped_ticks", double(monitor.stats().skippedTicks), "ticks");
    figure("monitor_failed_ticks", double(failed), "ticks");
    figure("monitor_detail_groups_per_tick", monitor.stats().detailGroupsPerTick, "groups");
    figure("monitor_streams_moved_per_tick", moved, "streams");
    figure("monitor_ranges_per_tick_median", median(rangesPerTick), "commands");
    figure("reference_ranges_unlike_monitor", rangesMismatched, "rounds");
    figure("monitor_batch_all_ticks_median", median(batchMs), "ms");
    figure("monitor_batch_all_ticks_p95", percentile(batchMs, 0.95), "ms");
    figure("monitor_batch", weirBatch, "ms");
    figure("raw_hiredis_batch", rawBatchMs, "ms");
    const Rounds ratio = weirBatch.over(rawBatchMs);
    figure("monitor_batch_ratio", ratio, "x_raw");
    figure("consumers_gui_per_tick_median", median(consumersMs), "ms");
    figure("consumers_gui_per_tick_p95", percentile(consumersMs, 0.95), "ms");
    figure("history_gui_per_tick_median", median(historyMs), "ms");
    figure("alerts_gui_per_tick_median", median(alertsMs), "ms");
    figure("dashboard_gui_per_tick_median", median(dashboardMs), "ms");
    figure("gui_thread_cpu_per_tick_median", median(tickCpuMs), "ms");
    figure("gui_thread_cpu_per_tick_p95", percentile(tickCpuMs, 0.95), "ms");
    figure("dashboard_resorts", worstFirst.sortCount(), "sorts");
    figure("monitor_gui_per_tick_median", median(monitorGuiMs), "ms");
    figure("monitor_thread_per_tick_median", median(workerMs), "ms");
    figure("monitor_thread_per_tick_p95", percentile(workerMs, 0.95), "ms");
    // Every thread's CPU over the run, per tick (the GUI thread's with the reference's).
    for (auto it = threadsAfter.cbegin(); it != threadsAfter.cend(); ++it) {
        const double used = it.value() - threadsBefore.value(it.key());
        if (used > 0.01) {
            figure("thread_cpu_per_tick[" + it.key() + "]",
                   1000.0 * used / double(std::max<qint64>(1, ticksRun)), "ms");
        }
    }
    const double processCpu = 100.0 * cpu / weirSeconds;
    figure("monitor_process_cpu", processCpu, "%_of_one_core");
    figure("history_series", double(series), "series");
    figure("history_bytes_per_series_claimed", double(history.bytesPerSeries()), "bytes");
    figure("history_memory_bytes", double(history.memoryBytes()), "bytes");
    figure("rss_growth", double(rssGrowth) / 1048576.0, "MiB");
    const double rssPerSeries = series > 0 ? double(rssGrowth) / double(series) : 0;
    redisFree(raw);

    BenchLines bench;
    bench.atMost("monitor_batch_ratio", ratio, "x_raw", 1.20);
    bench.atMost("monitor_gui_tick_median", median(tickCpuMs), "ms", 5);
    bench.atMost("monitor_gui_tick_p95", percentile(tickCpuMs, 0.95), "ms", 10);
    bench.atMost("monitor_process_cpu", processCpu, "%_of_one_core", 15);
    bench.atMost("monitor_rss_per_series", rssPerSeries, "bytes", double(history.bytesPerSeries()));
    bench.print();
    return 0;
}
