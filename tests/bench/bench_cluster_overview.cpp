// Lists the streams of a Redis Cluster (3 masters, each with a replica) through Weir's
// overview model on a connection opened on one master and, in the same run, through raw
// hiredis SCAN on each master, and prints the figures.
//
//   bench_cluster_overview [--quick] [total-keys] [streams] [rounds] [replicas-per-master]
//                                 (default 1000000 100000 5 1; --quick: 300000 30000 5 1)
//
// The streams (queue:<n>:events) are written to the master serving their slot; the other
// keys are strings, a third on each master (DEBUG POPULATE under a hash tag of a slot the
// master serves). The reference walks the masters one after the other, as Weir does; the
// time of the three walked at once is printed too.
//
// Output: one `name value unit` line per figure (medians of rounds run in alternation, with
// their spread), then BENCH lines: the listing within 1.3x the raw total (issue 7's
// target), sorted by name within 1.1x (issue 22), first rows within 10 ms and at most 200
// bytes per listed stream.
#include "clustertopology.h"
#include "keyslot.h"
#include "localrediscluster.h"
#include "overviewbench.h"

#include <QCoreApplication>

#include <cstdio>
#include <thread>
#include <vector>

namespace {

struct Master
{
    quint16 port = 0;
    redisContext *context = nullptr;
    int streams = 0;
};

bool fail(const QString &why)
{
    std::fprintf(stderr, "bench_cluster_overview: %s\n", qPrintable(why));
    return false;
}

// The masters serving slots, as the seed's slot map has them, in the map's order.
bool readMasters(const LocalRedisCluster &cluster, int seed, std::vector<Master> *masters,
                 ClusterTopology *topology)
{
    QString error;
    const auto map = cluster.slotMap(seed, &error);
    if (!map)
        return fail(QStringLiteral("no slot map: %1").arg(error));
    *topology = *map;
    for (const ClusterNode &m : map->masters()) {
        if (!m.slots.isEmpty())
            masters->push_back(Master{m.port, nullptr, 0});
    }
    return true;
}

int masterIndex(const std::vector<Master> &masters, const ClusterTopology &topology,
                const QByteArray &key)
{
    const ClusterNode *owner = topology.masterForKey(key);
    for (size_t i = 0; owner && i < masters.size(); ++i) {
        if (masters[i].port == owner->port)
            return int(i);
    }
    return -1;
}

bool readReplies(redisContext *c, int count)
{
    for (int i = 0; i < count; ++i) {
        void *reply = nullptr;
        if (redisGetReply(c, &reply) != REDIS_OK)
            return fail(QStringLiteral("127.0.0.1: %1").arg(QString::fromUtf8(c->errstr)));
        const bool error = static_cast<redisReply *>(reply)->type == REDIS_REPLY_ERROR;
        const QString text =
            error ? QString::fromUtf8(static_cast<redisReply *>(reply)->str) : QString();
        freeReplyObject(reply);
        if (error)
            return fail(text);
    }
    return true;
}

// Pipelined on one raw connection per master, each key to the master serving its slot;
// then waits until every master's replicas have it all.
bool fill(std::vector<Master> &masters, const ClusterTopology &topology, int totalKeys, int streams,
          int replicas)
{
    for (Master &m : masters) {
        m.context = redisConnect("127.0.0.1", m.port);
        if (!m.context || m.context->err)
            return fail(QStringLiteral("cannot connect to 127.0.0.1:%1").arg(m.port));
    }
    // Fillers: one hash tag per master, found by trying tags until each master has one.
    const int fillers = totalKeys - streams;
    std::vector<QByteArray> tags(masters.size());
    for (int n = 0, found = 0; found < int(masters.size()); ++n) {
        const QByteArray tag = "{t" + QByteArray::number(n) + "}";
        const int i = masterIndex(masters, topology, tag);
        if (i >= 0 && tags[size_t(i)].isEmpty()) {
            tags[size_t(i)] = tag;
            ++found;
        }
    }
    for (size_t i = 0; fillers > 0 && i < masters.size(); ++i) {
        const int share =
            fillers / int(masters.size()) + (int(i) < fillers % int(masters.size()) ? 1 : 0);
        const QByteArray prefix = "filler" + tags[i];
        redisAppendCommand(masters[i].context, "DEBUG POPULATE %d %s 16", share,
                           prefix.constData());
        if (!readReplies(masters[i].context, 1))
            return false;
    }
    for (int n = 0; n < streams; ++n) {
        const QByteArray key = "queue:" + QByteArray::number(n) + ":events";
        const int i = masterIndex(masters, topology, key);
        if (i < 0)
            return fail(QStringLiteral("no master serves %1").arg(QString::fromUtf8(key)));
        redisAppendCommand(masters[size_t(i)].context, "XADD %b * data {\"n\":%d}", key.constData(),
                           size_t(key.size()), n);
        ++masters[size_t(i)].streams;
    }
    for (Master &m : masters) {
        if (!readReplies(m.context, m.streams))
            return false;
    }
    for (Master &m : masters) {
        if (replicas > 0) {
            auto *r = static_cast<redisReply *>(redisCommand(m.context, "WAIT %d 60000", replicas));
            const bool synced = r && r->type == REDIS_REPLY_INTEGER && r->integer >= replicas;
            freeReplyObject(r);
            if (!synced)
                return fail(QStringLiteral("the replicas of 127.0.0.1:%1 lag behind").arg(m.port));
        }
        redisFree(m.context);
        m.context = nullptr;
    }
    return true;
}

struct RawRun
{
    double totalMs = 0;    // the masters one after the other
    double parallelMs = 0; // all of them at once
    qint64 found = 0;
};

RawRun rawScans(const std::vector<Master> &masters)
{
    RawRun run;
    for (const Master &m : masters) {
        qint64 found = 0;
        run.totalMs += rawHiredisScan(m.port, &found);
        run.found = found < 0 || run.found < 0 ? -1 : run.found + found;
    }
    std::vector<double> ms(masters.size());
    std::vector<qint64> found(masters.size());
    std::vector<std::thread> threads;
    QElapsedTimer timer;
    timer.start();
    for (size_t i = 0; i < masters.size(); ++i)
        threads.emplace_back([&, i] { ms[i] = rawHiredisScan(masters[i].port, &found[i]); });
    for (std::thread &t : threads)
        t.join();
    run.parallelMs = timer.nsecsElapsed() / 1e6;
    return run;
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
    const int rounds = qMax(1, args.value(2, QString::number(Rounds::Minimum)).toInt());
    const int replicas = qMax(0, args.value(3, QStringLiteral("1")).toInt());

    LocalRedisCluster::Config config;
    config.masters = 3;
    config.replicasPerMaster = replicas;
    LocalRedisCluster cluster(config);
    QString error;
    QElapsedTimer startTimer;
    startTimer.start();
    if (!cluster.start(&error)) {
        fail(error);
        return 1;
    }
    const QList<int> masterNodes = cluster.masters(&error);
    if (masterNodes.isEmpty()) {
        fail(QStringLiteral("no master: %1").arg(error));
        return 1;
    }
    const int seed = masterNodes.first();
    std::vector<Master> masters;
    ClusterTopology topology;
    if (!readMasters(cluster, seed, &masters, &topology))
        return 1;
    figure("cluster_masters", double(masters.size()), "nodes");
    figure("cluster_replicas_per_master", replicas, "nodes");
    figure("cluster_start_time", startTimer.elapsed() / 1000.0, "s");

    QElapsedTimer fillTimer;
    fillTimer.start();
    if (!fill(masters, topology, totalKeys, streams, replicas))
        return 1;
    figure("keys", totalKeys, "keys");
    figure("streams", streams, "streams");
    for (size_t i = 0; i < masters.size(); ++i)
        figure("streams_on_master_" + QByteArray::number(qulonglong(i) + 1), masters[i].streams,
               "streams");
    figure("fill_time", fillTimer.elapsed() / 1000.0, "s");

    RedisConnection connection(cluster.options(seed));
    if (!openConnection(&connection))
        return 1;
    if (!connection.isCluster()) {
        fail(QStringLiteral("Weir does not see a cluster"));
        return 1;
    }

    // Rounds in alternation: raw hiredis, Weir's model alone, Weir's model behind the sorted
    // proxy; each ratio is the median of the rounds' own ratios.
    Rounds raw, parallel, weir, sorted, first, bytes, peaks;
    qint64 rawFound = 0, weirFound = 0, sortedFound = 0;
    for (int i = 0; i < rounds; ++i) {
        const RawRun r = rawScans(masters);
        raw.add(r.totalMs);
        parallel.add(r.parallelMs);
        rawFound = r.found;
        const ModelRun run = modelScan(&connection, false);
        const ModelRun sortedRun = modelScan(&connection, true);
        if (!run.error.isEmpty() || !sortedRun.error.isEmpty())
            fail(QStringLiteral("the scan failed: %1").arg(run.error + sortedRun.error));
        sorted.add(sortedRun.totalMs);
        weir.add(run.totalMs);
        first.add(run.firstRowsMs);
        bytes.add(run.bytesPerStream);
        peaks.add(run.peakBytesPerStream);
        weirFound = run.rows;
        sortedFound = sortedRun.rows;
        if (rawFound != streams || weirFound != streams || sortedFound != streams)
            break; // reported below
    }
    figure("cluster_overview_raw_total_ms", raw, "ms");
    figure("cluster_overview_raw_parallel_ms", parallel, "ms");
    figure("cluster_overview_weir_ms", weir, "ms");
    figure("cluster_overview_ratio", weir.over(raw), "x");
    figure("cluster_overview_weir_sorted_ms", sorted, "ms");
    figure("cluster_overview_sorted_ratio", sorted.over(raw), "x");
    figure("cluster_overview_first_rows", first, "ms");
    figure("cluster_overview_memory_per_stream", bytes, "bytes");
    figure("cluster_overview_peak_memory_per_stream", peaks, "bytes");
    figure("streams_found_raw", double(rawFound), "streams");
    figure("streams_found_weir", double(weirFound), "streams");
    figure("streams_found_weir_sorted", double(sortedFound), "streams");
    if (rawFound != streams || weirFound != streams || sortedFound != streams) {
        fail(QStringLiteral("MISMATCH: %1 streams written, raw hiredis found %2, Weir %3 "
                            "(%4 behind the sorted proxy)")
                 .arg(streams)
                 .arg(rawFound)
                 .arg(weirFound)
                 .arg(sortedFound));
        return 2;
    }
    BenchLines bench;
    bench.atMost("cluster_overview_ratio", weir.over(raw), "x_raw", 1.30);
    bench.atMost("cluster_overview_sorted_ratio", sorted.over(raw), "x_raw", 1.10);
    bench.atMost("cluster_overview_first_rows", first, "ms", 10);
    bench.atMost("cluster_overview_bytes_per_stream", bytes.median(), "bytes", 200);
    bench.atMost("cluster_overview_peak_bytes_per_stream", peaks.median(), "bytes", 200);
    bench.print();
    return 0;
}
