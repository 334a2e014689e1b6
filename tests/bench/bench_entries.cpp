// Opens, jumps through and pages one large stream through Weir's entry model and, in the
// same run, pages the same entries with raw hiredis, and prints the figures.
//
//   bench_entries [--quick] [entries] [paged-entries] [rounds]
//                                  (default 10000000 1000000 5; --quick: 500000 200000 5)
//
// The model is driven as a view drives it: a call (setStream, a jump, fetchMore), then a
// QEventLoop that runs until loaded(). Paging is measured in both orders, Weir's rounds
// and raw hiredis's in alternation; each ratio is the median of the rounds' own ratios.
// Output: one `name value unit` line per figure, then BENCH lines against the targets of
// issues 3 and 22: first page and jumps within 100 ms, paging at least 0.9x raw hiredis in
// both orders, RSS growth while paging under 100 MB.
#include "benchsupport.h"
#include "entrylistmodel.h"
#include "localredisserver.h"
#include "redisconnection.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QRandomGenerator>

#include <hiredis/hiredis.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <malloc.h>
#include <vector>

namespace {

constexpr char Key[] = "orders:events";
constexpr quint64 BaseMs = 1700000000000; // entry i has the id (BaseMs + i)-0
constexpr int PageSize = 1000;
constexpr int FillBatch = 10000;

StreamId idOf(qint64 index)
{
    return StreamId{BaseMs + quint64(index), 0};
}

// VmRSS of this process, in MB (the worker thread's memory included).
double rssMb()
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').first().toDouble() / 1024.0;
    }
    return -1;
}

// XADD with explicit increasing ids, pipelined in batches. Each entry carries about
// 100 bytes of realistic fields: a uuid-like message id, a small JSON body, a timestamp.
bool fill(quint16 port, qint64 entries)
{
    redisContext *c = redisConnect("127.0.0.1", port);
    if (!c || c->err)
        return false;
    char id[48], messageId[48], data[96], timestamp[24];
    bool ok = true;
    for (qint64 first = 0; ok && first < entries; first += FillBatch) {
        const qint64 last = std::min(entries, first + FillBatch);
        for (qint64 i = first; i < last; ++i) {
            const quint64 h = quint64(i) * 0x9E3779B97F4A7C15ull;
            std::snprintf(id, sizeof id, "%llu-0", qulonglong(BaseMs + quint64(i)));
            std::snprintf(messageId, sizeof messageId, "%08x-%04x-4%03x-a%03x-%012llx",
                          unsigned(h >> 32), unsigned(h >> 16) & 0xffff, unsigned(h >> 4) & 0xfff,
                          unsigned(h >> 52), qulonglong(quint64(i) & 0xffffffffffffull));
            std::snprintf(data, sizeof data, "{\"order\":%lld,\"sku\":\"SKU-%04u\",\"qty\":%u}",
                          qlonglong(i), unsigned(h >> 40) % 10000, unsigned(h >> 60) + 1);
            std::snprintf(timestamp, sizeof timestamp, "%llu", qulonglong(BaseMs + quint64(i)));
            redisAppendCommand(c, "XADD %s %s message_id %s data %s timestamp %s", Key, id,
                               messageId, data, timestamp);
        }
        for (qint64 i = first; i < last; ++i) {
            void *reply = nullptr;
            if (redisGetReply(c, &reply) != REDIS_OK) {
                ok = false;
                break;
            }
            if (static_cast<redisReply *>(reply)->type == REDIS_REPLY_ERROR) {
                std::fprintf(stderr, "XADD: %s\n", static_cast<redisReply *>(reply)->str);
                ok = false;
            }
            freeReplyObject(reply);
        }
    }
    redisFree(c);
    return ok;
}

// The reference: XREVRANGE key <id> - COUNT 1000 (newest first; XRANGE key <id> + oldest
// first) in a loop on one hiredis connection, each page started at the id next to the
// previous page's last one. A raw client keeps hiredis's reply as its page of entries: every
// entry's id is parsed and every field's bytes are read (a checksum, so none of it can be
// skipped), and the reply is freed when the next page replaces it. Returns the elapsed ms;
// *count and *lastId say what was read.
double rawHiredisPaging(quint16 port, StreamId start, bool newestFirst, qint64 entries,
                        qint64 *count, StreamId *lastId)
{
    redisContext *c = redisConnect("127.0.0.1", port);
    QElapsedTimer timer;
    timer.start();
    *count = 0;
    unsigned long long ms = start.ms, seq = start.seq;
    char from[48];
    unsigned checksum = 0;
    redisReply *page = nullptr;
    while (*count < entries) {
        std::snprintf(from, sizeof from, "%llu-%llu", ms, seq);
        auto *r = static_cast<redisReply *>(
            redisCommand(c, newestFirst ? "XREVRANGE %s %s - COUNT %d" : "XRANGE %s %s + COUNT %d",
                         Key, from, PageSize));
        freeReplyObject(page);
        page = r;
        if (!r || r->type != REDIS_REPLY_ARRAY || r->elements == 0)
            break;
        for (size_t i = 0; i < r->elements; ++i) {
            const redisReply *e = r->element[i];
            char *dash = nullptr;
            ms = std::strtoull(e->element[0]->str, &dash, 10);
            seq = std::strtoull(dash + 1, nullptr, 10);
            const redisReply *f = e->element[1];
            for (size_t j = 0; j < f->elements; ++j) {
                for (size_t b = 0; b < f->element[j]->len; ++b)
                    checksum += unsigned(uchar(f->element[j]->str[b]));
            }
        }
        *count += qint64(r->elements);
        lastId->ms = ms;
        lastId->seq = seq;
        // The next page starts just past the last id (ms-seq minus or plus one).
        if (newestFirst) {
            if (seq > 0) {
                --seq;
            } else {
                --ms;
                seq = ~0ull;
            }
        } else if (seq < ~0ull) {
            ++seq;
        } else {
            ++ms;
            seq = 0;
        }
    }
    const double elapsed = timer.nsecsElapsed() / 1e6;
    freeReplyObject(page);
    redisFree(c);
    if (checksum == 1) // keeps the reads from being optimized away; (almost) never true
        std::fprintf(stderr, "checksum %u\n", checksum);
    return elapsed;
}

// Runs the event loop until the model says loaded(), and returns the ms since `timer`.
double waitLoaded(EntryListModel *model, const QElapsedTimer &timer)
{
    QEventLoop loop;
    QObject::connect(model, &EntryListModel::loaded, &loop, &QEventLoop::quit);
    loop.exec();
    return timer.nsecsElapsed() / 1e6;
}

struct PagingRun
{
    double ms = 0;
    qint64 count = 0;
    StreamId lastId;
    int window = 0; // rows in the model at the end
};

// From a window at the newest end, fetchMore() until `entries` more have been read.
PagingRun weirPaging(EntryListModel *model, qint64 entries)
{
    PagingRun run;
    QEventLoop loop;
    QObject::connect(model, &EntryListModel::loaded, &loop, &QEventLoop::quit);
    QObject::connect(model, &QAbstractItemModel::rowsInserted, &loop,
                     [&](const QModelIndex &, int first, int last) {
        run.count += last - first + 1;
    });
    QElapsedTimer timer;
    timer.start();
    while (run.count < entries && model->canFetchMore({})) {
        model->fetchMore({});
        loop.exec();
    }
    run.ms = timer.nsecsElapsed() / 1e6;
    run.window = model->rowCount();
    if (run.window > 0)
        run.lastId = model->entryAt(run.window - 1).id;
    return run;
}

} // namespace

int main(int argc, char *argv[])
{
    // One arena: the worker thread's allocations land where the main thread's do, as
    // in bench_overview (and the RSS figures do not count per-thread arenas' slack).
    mallopt(M_ARENA_MAX, 1);
    QCoreApplication app(argc, argv);
    QStringList args = app.arguments().mid(1);
    const bool quick = takeQuick(&args);
    const qint64 entries =
        args.value(0, quick ? QStringLiteral("500000") : QStringLiteral("10000000")).toLongLong();
    const qint64 paged = std::min<qint64>(
        args.value(1, quick ? QStringLiteral("200000") : QStringLiteral("1000000")).toLongLong(),
        (entries - PageSize) / PageSize * PageSize);
    const int rounds = std::max(1, args.value(2, QString::number(Rounds::Minimum)).toInt());
    if (entries < 4 * PageSize || paged <= 0) {
        std::fprintf(stderr, "need at least %d entries\n", 4 * PageSize);
        return 1;
    }

    LocalRedisServer server;
    if (!startLocalServer(server))
        return 1;
    QElapsedTimer fillTimer;
    fillTimer.start();
    if (!fill(server.port(), entries)) {
        std::fprintf(stderr, "could not fill the server\n");
        return 1;
    }
    figure("entries", double(entries), "entries");
    figure("fill_time", fillTimer.elapsed() / 1000.0, "s");
    {
        redisContext *c = redisConnect("127.0.0.1", server.port());
        auto *r = static_cast<redisReply *>(redisCommand(c, "INFO memory"));
        const QByteArray info(r->str, qsizetype(r->len));
        for (const QByteArray &line : info.split('\n')) {
            if (line.startsWith("used_memory:"))
                figure("redis_used_memory", line.mid(12).trimmed().toDouble() / 1048576.0, "MB");
        }
        freeReplyObject(r);
        redisFree(c);
    }

    RedisConnection connection(server.options());
    if (!openConnection(&connection))
        return 1;

    const int jumpRounds = 2 * rounds + 1;
    QRandomGenerator random(20240611);
    auto middle = [&] { return entries / 4 + qint64(random.bounded(quint64(entries / 2))); };

    // Opening: a fresh model each time, setStream() to the first loaded().
    QList<double> open;
    for (int i = 0; i < jumpRounds; ++i) {
        EntryListModel model;
        model.setPageSize(PageSize);
        QElapsedTimer timer;
        timer.start();
        model.setStream(&connection, Key);
        open.append(waitLoaded(&model, timer));
        if (model.rowCount() != PageSize || model.entryAt(0).id != idOf(entries - 1)) {
            std::fprintf(stderr, "first page: unexpected rows\n");
            return 2;
        }
    }
    figure("weir_open_first_page", median(open), "ms");

    // Jumps, each from somewhere else in the stream.
    EntryListModel model;
    model.setPageSize(PageSize);
    {
        QElapsedTimer timer;
        model.setStream(&connection, Key);
        waitLoaded(&model, timer);
    }
    QList<double> toNewest, toOldest, toId, toTime;
    for (int i = 0; i < jumpRounds; ++i) {
        QElapsedTimer timer;
        timer.start();
        model.jumpToOldest();
        toOldest.append(waitLoaded(&model, timer));
        // Newest first: the oldest entry is the bottom row.
        if (model.entryAt(model.rowCount() - 1).id != idOf(0)) {
            std::fprintf(stderr, "jumpToOldest: unexpected rows\n");
            return 2;
        }

        timer.start();
        model.jumpToNewest();
        toNewest.append(waitLoaded(&model, timer));
        if (model.entryAt(0).id != idOf(entries - 1)) {
            std::fprintf(stderr, "jumpToNewest: unexpected rows\n");
            return 2;
        }

        const qint64 target = middle();
        timer.start();
        model.jumpToId(idOf(target));
        toId.append(waitLoaded(&model, timer));
        if (model.entryAt(0).id != idOf(target)) {
            std::fprintf(stderr, "jumpToId: unexpected rows\n");
            return 2;
        }

        const qint64 when = middle();
        timer.start();
        model.jumpToTime(QDateTime::fromMSecsSinceEpoch(qint64(idOf(when).ms), Qt::UTC));
        toTime.append(waitLoaded(&model, timer));
        if (model.entryAt(0).id != idOf(when)) {
            std::fprintf(stderr, "jumpToTime: unexpected rows\n");
            return 2;
        }
    }
    figure("weir_jump_to_end", median(toNewest), "ms");
    figure("weir_jump_to_oldest", median(toOldest), "ms");
    figure("weir_jump_to_id", median(toId), "ms");
    figure("weir_jump_to_time", median(toTime), "ms");

    // Paging, in both orders: the same entries, past the first page, through the model
    // (default window limit) and through raw hiredis, in alternating rounds.
    struct Order
    {
        const char *name;
        bool newestFirst;
        StreamId rawStart; // the first id past the model's first page
        Rounds weir, raw;
    };
    Order orders[] = {{"newest_first", true, idOf(entries - 1 - PageSize), {}, {}},
                      {"oldest_first", false, idOf(PageSize), {}, {}}};
    double rssBefore = -1, rssAfter = -1;
    int window = 0;
    for (int i = 0; i < rounds; ++i) {
        for (Order &order : orders) {
            QElapsedTimer timer;
            model.setNewestFirst(order.newestFirst); // a reload, replaced by the jump below
            if (order.newestFirst)
                model.jumpToNewest();
            else
                model.jumpToOldest();
            waitLoaded(&model, timer);
            if (i == 0 && order.newestFirst)
                rssBefore = rssMb();
            const PagingRun run = weirPaging(&model, paged);
            if (i == 0 && order.newestFirst)
                rssAfter = rssMb();
            order.weir.add(double(run.count) / (run.ms / 1000.0));
            window = run.window;

            qint64 rawCount = 0;
            StreamId rawLast;
            const double rawMs = rawHiredisPaging(server.port(), order.rawStart, order.newestFirst,
                                                  paged, &rawCount, &rawLast);
            order.raw.add(double(rawCount) / (rawMs / 1000.0));
            if (run.count != rawCount || rawCount != paged || run.lastId != rawLast) {
                std::fprintf(stderr, "paging %s: weir read %lld entries to %s, raw %lld to %s\n",
                             order.name, qlonglong(run.count), run.lastId.toByteArray().constData(),
                             qlonglong(rawCount), rawLast.toByteArray().constData());
                return 2;
            }
        }
    }
    figure("paged_entries", double(paged), "entries");
    for (const Order &order : orders) {
        const QByteArray name(order.name);
        figure("weir_paging_rate_" + name, order.weir, "entries/s");
        figure("raw_hiredis_paging_rate_" + name, order.raw, "entries/s");
        figure("weir_vs_raw_paging_" + name, order.weir.over(order.raw), "x");
    }
    figure("weir_window_rows", window, "rows");
    figure("rss_before_paging", rssBefore, "MB");
    figure("rss_after_paging", rssAfter, "MB");
    figure("rss_growth", rssAfter - rssBefore, "MB");

    BenchLines bench;
    bench.atMost("entries_open_first_page", median(open), "ms", 100);
    bench.atMost("entries_jump_to_end", median(toNewest), "ms", 100);
    bench.atMost("entries_jump_to_oldest", median(toOldest), "ms", 100);
    bench.atMost("entries_jump_to_id", median(toId), "ms", 100);
    bench.atMost("entries_jump_to_time", median(toTime), "ms", 100);
    for (const Order &order : orders) {
        bench.atLeast(QByteArray("entries_paging_ratio_") + order.name, order.weir.over(order.raw),
                      "x_raw", 0.90);
    }
    bench.atMost("entries_rss_growth", rssAfter - rssBefore, "MB", 100);
    bench.print();
    return 0;
}
