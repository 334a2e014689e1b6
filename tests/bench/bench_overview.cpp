// Lists the streams of a large keyspace through Weir's overview model and, in the same
// run, through raw hiredis (redis-cli 7.0 cannot scan by type), and prints the figures.
//
//   bench_overview [--quick] [total-keys] [streams] [rounds]
//                                      (default 1000000 100000 3; --quick: 300000 30000 3)
//
// Output: one `name value unit` line per figure, then BENCH lines against issue 2's
// targets: the listing within 1.3x raw hiredis (alone and sorted), first rows within
// 100 ms, at most 200 bytes per listed stream (after the scan and at its peak).
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
    const int rounds = std::max(1, args.value(2, QStringLiteral("3")).toInt());

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

    QList<double> raw, weir, sorted, first, bytes, peaks;
    double sortMs = 0;
    qint64 rawFound = 0, weirFound = 0;
    for (int i = 0; i < rounds; ++i) {
        raw.append(rawHiredisScan(server.port(), &rawFound));
        const ModelRun run = modelScan(&connection, false);
        sorted.append(modelScan(&connection, true, &sortMs).totalMs);
        weir.append(run.totalMs);
        first.append(run.firstRowsMs);
        bytes.append(run.bytesPerStream);
        peaks.append(run.peakBytesPerStream);
        weirFound = run.rows;
    }
    figure("raw_hiredis_listing", median(raw), "ms");
    figure("weir_model_listing", median(weir), "ms");
    figure("weir_vs_raw_hiredis", median(weir) / median(raw), "x");
    figure("weir_sorted_proxy_listing", median(sorted), "ms");
    figure("weir_sorted_proxy_vs_raw_hiredis", median(sorted) / median(raw), "x");
    figure("weir_first_rows", median(first), "ms");
    figure("weir_full_sort_by_name", sortMs, "ms");
    figure("weir_memory_per_stream", median(bytes), "bytes");
    figure("weir_peak_memory_per_stream", median(peaks), "bytes");
    figure("streams_found_raw", double(rawFound), "streams");
    figure("streams_found_weir", double(weirFound), "streams");
    if (weirFound != rawFound) {
        std::fprintf(stderr, "Weir listed %lld streams, raw hiredis %lld\n", qlonglong(weirFound),
                     qlonglong(rawFound));
        return 2;
    }
    BenchLines bench;
    bench.atMost("overview_ratio", median(weir) / median(raw), "x_raw", 1.30);
    bench.atMost("overview_sorted_ratio", median(sorted) / median(raw), "x_raw", 1.30);
    bench.atMost("overview_first_rows", median(first), "ms", 100);
    bench.atMost("overview_bytes_per_stream", median(bytes), "bytes", 200);
    bench.atMost("overview_peak_bytes_per_stream", median(peaks), "bytes", 200);
    bench.print();
    return 0;
}
