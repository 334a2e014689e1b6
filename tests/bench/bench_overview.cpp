// Lists the streams of a large keyspace through Weir's overview model and, in the same
// run, through raw hiredis (redis-cli 7.0 cannot scan by type), and prints the figures.
//
//   bench_overview [total-keys] [streams] [rounds]     (default 1000000 100000 3)
//
// Output: one `name value unit` line per figure.
#include "benchsupport.h"
#include "localredisserver.h"
#include "redisconnection.h"
#include "streamlistmodel.h"
#include "streamsortproxy.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>

#include <hiredis/hiredis.h>

#include <algorithm>
#include <cstdio>
#include <malloc.h>

namespace {

// All threads allocate from one arena (see main), so this counts the worker's
// allocations too (the keys are parsed on the connection's thread).
size_t heapInUse()
{
    malloc_trim(0);
    return mallinfo2().uordblks;
}

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

// The reference: SCAN ... TYPE stream COUNT 1000 in a loop on one hiredis connection.
double rawHiredisScan(quint16 port, qint64 *found)
{
    redisContext *c = redisConnect("127.0.0.1", port);
    QElapsedTimer timer;
    timer.start();
    QByteArray cursor = "0";
    *found = 0;
    do {
        auto *r = static_cast<redisReply *>(
            redisCommand(c, "SCAN %s TYPE stream COUNT 1000", cursor.constData()));
        cursor = QByteArray(r->element[0]->str, qsizetype(r->element[0]->len));
        // Keep the keys, as a client that lists them must.
        QList<QByteArray> keys;
        keys.reserve(qsizetype(r->element[1]->elements));
        for (size_t i = 0; i < r->element[1]->elements; ++i)
            keys.append(QByteArray(r->element[1]->element[i]->str,
                                   qsizetype(r->element[1]->element[i]->len)));
        *found += keys.size();
        freeReplyObject(r);
    } while (cursor != "0");
    const double ms = timer.nsecsElapsed() / 1e6;
    redisFree(c);
    return ms;
}

struct ModelRun
{
    double totalMs = 0;
    double firstRowsMs = -1;
    qint64 rows = 0;
    double bytesPerStream = 0;
    double peakBytesPerStream = 0;
};

// sorted: behind a proxy sorted by name, as the overview table shows it.
ModelRun modelScan(RedisConnection *connection, bool sorted, double *lastSortMs = nullptr)
{
    ModelRun run;
    const size_t before = heapInUse();
    auto *model = new StreamListModel;
    model->setConnection(connection);
    std::unique_ptr<StreamSortProxy> proxy;
    if (sorted) {
        proxy = std::make_unique<StreamSortProxy>();
        proxy->setSourceModel(model);
        proxy->sort(StreamListModel::Name);
    }
    QElapsedTimer timer;
    QEventLoop loop;
    size_t peak = 0;
    QObject::connect(model, &QAbstractItemModel::rowsInserted, &loop, [&] {
        if (run.firstRowsMs < 0)
            run.firstRowsMs = timer.nsecsElapsed() / 1e6;
    });
    QObject::connect(model, &StreamListModel::scanProgressChanged, &loop, [&] {
        peak = std::max(peak, size_t(mallinfo2().uordblks));
    });
    QObject::connect(model, &StreamListModel::scanFinished, &loop, [&] {
        if (proxy)
            proxy->resortNow(); // as the overview does: listed and sorted
        run.totalMs = timer.nsecsElapsed() / 1e6;
        loop.quit();
    });
    timer.start();
    model->refresh();
    loop.exec();
    run.rows = model->rowCount();
    if (proxy && proxy->rowCount() != run.rows)
        run.rows = -1;
    const size_t after = heapInUse();
    run.bytesPerStream = double(after - before) / double(std::max<qint64>(1, run.rows));
    run.peakBytesPerStream = double(std::max(peak, after) - before)
        / double(std::max<qint64>(1, run.rows));
    if (proxy && lastSortMs)
        *lastSortMs = double(proxy->lastSortMs());
    proxy.reset();
    delete model;
    return run;
}

} // namespace

int main(int argc, char *argv[])
{
    mallopt(M_ARENA_MAX, 1);
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    const int totalKeys = args.value(1, QStringLiteral("1000000")).toInt();
    const int streams = args.value(2, QStringLiteral("100000")).toInt();
    const int rounds = args.value(3, QStringLiteral("3")).toInt();

    LocalRedisServer server;
    QString error;
    if (!server.start(&error)) {
        std::fprintf(stderr, "%s\n", qPrintable(error));
        return 1;
    }
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
    {
        QEventLoop loop;
        QObject::connect(&connection, &RedisConnection::stateChanged, &loop,
                         [&](ConnectionState s) {
            if (s == ConnectionState::Connected || s == ConnectionState::Failed)
                loop.quit();
        });
        connection.open(false);
        loop.exec();
    }

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
    return weirFound == rawFound ? 0 : 2;
}
