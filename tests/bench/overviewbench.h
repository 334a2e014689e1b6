#pragma once

// What the overview benchmarks share: listing streams through Weir's overview model
// (alone or behind the sorted table's proxy), and the raw hiredis reference, SCAN ...
// TYPE stream COUNT 1000 in a loop on one connection.

#include "benchsupport.h"
#include "redisconnection.h"
#include "streamlistmodel.h"
#include "streamsortproxy.h"

#include <QElapsedTimer>
#include <QEventLoop>

#include <hiredis/hiredis.h>

#include <algorithm>
#include <malloc.h>
#include <memory>
#include <time.h>

// All threads allocate from one arena (main calls mallopt(M_ARENA_MAX, 1)), so this counts
// the workers' allocations too (the keys are parsed on the connection's threads).
inline size_t heapInUse()
{
    malloc_trim(0);
    return mallinfo2().uordblks;
}

// The reference on one server: its elapsed milliseconds; the streams it saw in `found`
// (-1 when the server could not be reached or answered an error).
inline double rawHiredisScan(quint16 port, qint64 *found)
{
    *found = -1;
    redisContext *c = redisConnect("127.0.0.1", port);
    if (!c || c->err) {
        redisFree(c);
        return 0;
    }
    QElapsedTimer timer;
    timer.start();
    QByteArray cursor = "0";
    qint64 seen = 0;
    do {
        auto *r = static_cast<redisReply *>(
            redisCommand(c, "SCAN %s TYPE stream COUNT 1000", cursor.constData()));
        if (!r || r->type != REDIS_REPLY_ARRAY || r->elements != 2) {
            freeReplyObject(r);
            redisFree(c);
            return 0;
        }
        cursor = QByteArray(r->element[0]->str, qsizetype(r->element[0]->len));
        // Keep the keys, as a client that lists them must.
        QList<QByteArray> keys;
        keys.reserve(qsizetype(r->element[1]->elements));
        for (size_t i = 0; i < r->element[1]->elements; ++i)
            keys.append(QByteArray(r->element[1]->element[i]->str,
                                   qsizetype(r->element[1]->element[i]->len)));
        seen += keys.size();
        freeReplyObject(r);
    } while (cursor != "0");
    const double ms = timer.nsecsElapsed() / 1e6;
    redisFree(c);
    *found = seen;
    return ms;
}

struct ModelRun
{
    double totalMs = 0;
    double firstRowsMs = -1;
    qint64 rows = 0; // -1 when the proxy's count differs from the model's
    double bytesPerStream = 0;
    double peakBytesPerStream = 0;
    double guiCpuMs = 0; // the GUI thread's CPU time from refresh() to the end
    QString error;       // what scanFinished said, if the scan failed
};

// Lists every stream through a new StreamListModel, timed until scanFinished.
// sorted: behind a proxy sorted by name, as the overview table shows it.
inline ModelRun modelScan(RedisConnection *connection, bool sorted, double *lastSortMs = nullptr)
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
    QObject::connect(model, &StreamListModel::scanProgressChanged, &loop,
                     [&] { peak = std::max(peak, size_t(mallinfo2().uordblks)); });
    QObject::connect(model, &StreamListModel::scanFinished, &loop,
                     [&](int, bool, const QString &error) {
        if (proxy)
            proxy->resortNow(); // as the overview does: listed and sorted
        run.totalMs = timer.nsecsElapsed() / 1e6;
        run.error = error;
        loop.quit();
    });
    timespec cpu0{}, cpu1{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &cpu0);
    timer.start();
    model->refresh();
    loop.exec();
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &cpu1);
    run.guiCpuMs =
        double(cpu1.tv_sec - cpu0.tv_sec) * 1e3 + double(cpu1.tv_nsec - cpu0.tv_nsec) / 1e6;
    run.rows = model->rowCount();
    if (proxy && proxy->rowCount() != run.rows)
        run.rows = -1;
    const size_t after = heapInUse();
    run.bytesPerStream = double(after - before) / double(std::max<qint64>(1, run.rows));
    run.peakBytesPerStream =
        double(std::max(peak, after) - before) / double(std::max<qint64>(1, run.rows));
    if (proxy && lastSortMs)
        *lastSortMs = double(proxy->lastSortMs());
    proxy.reset();
    delete model;
    return run;
}
