// Lists the streams of a large keyspace through Weir's overview model and, in the same
// run, through raw hiredis (redis-cli 7.0 cannot scan by type), and prints the figures.
//
//   bench_overview [--quick] [total-keys] [streams] [rounds]
//                                      (default 1000000 100000 5; --quick: 300000 30000 5)
//
// Output: one `name value unit` line per figure (medians of the rounds, with their
// spread), then BENCH lines against the targets of issues 2 and 22: the listing within
// 1.3x raw hiredis, and sorted by name (as the overview shows it) within 1.05x; first rows
// within 10 ms; at most 200 bytes per listed stream (after the scan and at its peak).
#include "localredisserver.h"
#include "overviewbench.h"

#include <QCoreApplication>

#include <cstdio>

namespace {

bool fill(quint16 port, int totalKeys, int streams)
{
    redisContext *c = redisConnect("127.0.0.1", port);
    if (!c || c->err)
        return false;
    auto *r = static_cast<redisReply *>(
        redisCommand(c, "DEBUG POPULATE %d filler 16", totalKeys - streams));
    freeReplyObject(r);
    for (int i = 0; i < streams; ++i)
        redisAppendCommand(c, "XADD queue:%d:events * data {\"n\":%d}", i, i);
    for (int i = 0; i < streams; ++i) {
        void *reply = nullptr;
        if (redisGetReply(c, &reply) != REDIS_OK)
            return false;
        freeReplyObject(reply);
    }
    redisFree(c);
    return true;
}

} // namespace

int main(int argc, char *argv[])
{
    mallopt(M_ARENA_MAX, 1);
    QCoreApplication app(argc, argv);
    QStringList args = app.arguments().mid(1);
    const bool quick = takeQuick(&args);
    const int totalKeys =
        args.value(0, quick ? QStringLiteral("300000") : QStringLiteral("1000000")).toInt();
    const int streams =
        args.value(1, quick ? QStringLiteral("30000") : QStringLiteral("100000")).toInt();
    const int rounds = std::max(1, args.value(2, QString::number(Rounds::Minimum)).toInt());

    LocalRedisServer server;
    if (!startLocalServer(server))
        return 1;
    QElapsedTimer fillTimer;
    fillTimer.start();
    if (!fill(server.port(), totalKeys, streams)) {
        std::fprintf(stderr, "could not fill the server\n");
        return 1;
    }
    figure("keys", totalKeys, "keys");
    figure("streams", streams, "streams");
    figure("fill_time", fillTimer.elapsed() / 1000.0, "s");

    RedisConnection connection(server.options());
    if (!openConnection(&connection))
        return 1;

    // Rounds in alternation: raw hiredis, Weir's model alone, Weir's model behind the sorted
    // proxy; each ratio is the median of the rounds' own ratios.
    Rounds raw, weir, sorted, first, bytes, peaks, weirCpu, sortedCpu;
    double sortMs = 0;
    qint64 rawFound = 0, weirFound = 0;
    for (int i = 0; i < rounds; ++i) {
        raw.add(rawHiredisScan(server.port(), &rawFound));
        const ModelRun run = modelScan(&connection, false);
        const ModelRun sortedRun = modelScan(&connection, true, &sortMs);
        sorted.add(sortedRun.totalMs);
        sortedCpu.add(sortedRun.guiCpuMs);
        weirCpu.add(run.guiCpuMs);
        weir.add(run.totalMs);
        first.add(run.firstRowsMs);
        bytes.add(run.bytesPerStream);
        peaks.add(run.peakBytesPerStream);
        weirFound = run.rows;
    }
    figure("raw_hiredis_listing", raw, "ms");
    figure("weir_model_listing", weir, "ms");
    figure("weir_vs_raw_hiredis", weir.over(raw), "x");
    figure("weir_sorted_proxy_listing", sorted, "ms");
    figure("weir_sorted_proxy_vs_raw_hiredis", sorted.over(raw), "x");
    figure("weir_first_rows", first, "ms");
    figure("weir_gui_thread_cpu", weirCpu, "ms");
    figure("weir_sorted_gui_thread_cpu", sortedCpu, "ms");
    figure("weir_last_sort_by_name", sortMs, "ms");
    figure("weir_memory_per_stream", bytes, "bytes");
    figure("weir_peak_memory_per_stream", peaks, "bytes");
    figure("streams_found_raw", double(rawFound), "streams");
    figure("streams_found_weir", double(weirFound), "streams");
    if (weirFound != rawFound) {
        std::fprintf(stderr, "Weir listed %lld streams, raw hiredis %lld\n", qlonglong(weirFound),
                     qlonglong(rawFound));
        return 2;
    }
    BenchLines bench;
    bench.atMost("overview_ratio", weir.over(raw), "x_raw", 1.30);
    bench.atMost("overview_sorted_ratio", sorted.over(raw), "x_raw", 1.05);
    bench.atMost("overview_first_rows", first, "ms", 10);
    bench.atMost("overview_bytes_per_stream", bytes.median(), "bytes", 200);
    bench.atMost("overview_peak_bytes_per_stream", peaks.median(), "bytes", 200);
    bench.print();
    return 0;
}
