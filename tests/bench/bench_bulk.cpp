// Acks, claims and deletes 100,000 entries, and publishes 100,000, through Weir's bulk path
// (BulkRunner, chunks of XACK, XCLAIM or XDEL, or of XADDs in MULTI/EXEC) and, in the same
// run, the same commands pipelined on a raw hiredis connection, and prints the figures.
//
//   bench_bulk [--quick] [pending-entries] [rounds]     (default 100000 9; --quick: 20000 9)
//
// Each round starts from the same state: a stream of N entries and a group whose one
// consumer has read them all, so all N are pending; publishing starts from no stream.
// Weir's and raw's runs alternate, after one uncounted round of each. Output: `name value unit`
// lines (medians of the rounds, with their spread), then one BENCH line per action: Weir's speed as
// a share of raw's (the median of the rounds' own ratios), at least 0.95 (issue 22's target).
#include "benchsupport.h"
#include "bulkbench.h"
#include "bulkrunner.h"
#include "entryactions.h"
#include "localredisserver.h"
#include "pendingactions.h"
#include "publishactions.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>

#include <hiredis/hiredis.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>

namespace {

constexpr char Key[] = "orders";
constexpr char Group[] = "billing";
constexpr char Published[] = "published";
// Every bulk action through Weir at no less than 95% of the same commands pipelined raw.
constexpr double MinRatio = 0.95;

// Entries 1-0 .. n-0 (filled once), then a fresh group whose consumer reads them all.
bool makePending(redisContext *c, qint64 entries, bool fill)
{
    if (fill) {
        freeReplyObject(redisCommand(c, "DEL %s", Key));
        for (qint64 first = 1; first <= entries; first += 10000) {
            const qint64 last = std::min(entries, first + 9999);
            for (qint64 i = first; i <= last; ++i)
                redisAppendCommand(c, "XADD %s %lld-0 data {\"order\":%lld}", Key, qlonglong(i),
                                   qlonglong(i));
            for (qint64 i = first; i <= last; ++i) {
                void *reply = nullptr;
                if (redisGetReply(c, &reply) != REDIS_OK
                    || !check(static_cast<redisReply *>(reply), "XADD"))
                    return false;
            }
        }
    }
    freeReplyObject(redisCommand(c, "XGROUP DESTROY %s %s", Key, Group));
    return check(static_cast<redisReply *>(redisCommand(c, "XGROUP CREATE %s %s 0", Key, Group)),
                 "XGROUP CREATE")
           && check(static_cast<redisReply *>(
                        redisCommand(c, "XREADGROUP GROUP %s worker COUNT %lld STREAMS %s >", Group,
                                     qlonglong(entries), Key)),
                    "XREADGROUP");
}

// How many pending entries `consumer` still owns.
qint64 ownedBy(redisContext *c, const char *consumer)
{
    auto *r = static_cast<redisReply *>(redisCommand(c, "XPENDING %s %s", Key, Group));
    qint64 n = -1;
    if (r && r->type == REDIS_REPLY_ARRAY && r->elements == 4) {
        n = 0;
        const redisReply *owners = r->element[3];
        for (size_t i = 0; owners->type == REDIS_REPLY_ARRAY && i < owners->elements; ++i) {
            if (std::string(owners->element[i]->element[0]->str) == consumer)
                n = std::atoll(owners->element[i]->element[1]->str);
        }
    }
    freeReplyObject(r);
    return n;
}

QList<QByteArray> ids(qint64 entries)
{
    QList<QByteArray> out;
    out.reserve(entries);
    for (qint64 i = 1; i <= entries; ++i)
        out.append(QByteArray::number(i) + "-0");
    return out;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QStringList args = app.arguments().mid(1);
    const bool quick = takeQuick(&args);
    const qint64 entries =
        args.value(0, quick ? QStringLiteral("20000") : QStringLiteral("100000")).toLongLong();
    // More than the minimum: a bulk run is short, and one round in four meets a busy machine.
    const int rounds = std::max(1, args.value(1, QStringLiteral("9")).toInt());

    LocalRedisServer server;
    redisContext *c = startServer(server);
    if (!c || !makePending(c, entries, true))
        return 1;
    RedisConnection connection(server.options());
    if (!openConnection(&connection))
        return 1;

    figure("pending_entries", double(entries), "entries");
    figure("chunk_ids", PendingActions::IdsPerChunk, "ids");
    PendingActions::ClaimOptions claim;
    claim.consumer = "rescuer";
    PublishActions::Options publish;
    publish.key = Published;
    publish.fields = {{"type", "order.created"}, {"data", "{\"order\":42,\"total\":\"19.90\"}"}};
    publish.copies = entries;
    struct Action
    {
        const char *name;
        QList<BulkRunner::Chunk> chunks;
        BulkRunner::Verifier verifier;
        std::function<qint64()> left; // what must be 0 afterwards
        std::function<bool()> prepare;
    };
    const auto pending = [c, entries] { return makePending(c, entries, false); };
    const QList<Action> actions{
        {"ack", PendingActions::ackChunks(Key, Group, ids(entries)),
         PendingActions::ackVerifier(Key, Group), [c] { return pendingCount(c, Key, Group); },
         pending},
        {"claim", PendingActions::claimChunks(Key, Group, ids(entries), claim),
         PendingActions::claimVerifier(Key, Group, claim.consumer),
         [c] { return ownedBy(c, "worker"); }, pending},
        {"delete", EntryActions::deleteChunks(Key, ids(entries), {}, false),
         EntryActions::deleteVerifier(Key), [c] { return streamLength(c, Key); },
         [c, entries] { return makePending(c, entries, true); }},
        {"publish",
         PublishActions::copyChunks(publish),
         {},
         [c, entries] { return entries - streamLength(c, Published); },
         [c] {
        return check(static_cast<redisReply *>(redisCommand(c, "DEL %s", Published)), "DEL");
         }},
        };
    BenchLines bench;
    for (const Action &action : actions) {
        Rounds weirMs, rawMs;
        const auto weir = [&]() -> double {
            if (!action.prepare())
                return -1;
            BulkRunner::Report report;
            const double ms = weirRun(&connection, action.chunks, action.verifier, &report);
            if (report.affected != entries || action.left() != 0) {
                std::fprintf(stderr, "Weir's %s did %lld of %lld\n", action.name,
                             qlonglong(report.affected), qlonglong(entries));
                return -1;
            }
            return ms;
        };
        const auto raw = [&]() -> double {
            if (!action.prepare())
                return -1;
            const double ms = rawRun(c, action.chunks);
            if (ms >= 0 && action.left() != 0) {
                std::fprintf(stderr, "raw %s left entries\n", action.name);
                return -1;
            }
            return ms;
        };
        // One round of each first, not counted: the server's and this process's memory
        // grow to their working size in it. Then the rounds, each pair in the other order
        // from the last, so that neither side always follows the other.
        if (weir() < 0 || raw() < 0)
            return 1;
        for (int round = 0; round < rounds; ++round) {
            const bool weirFirst = round % 2 == 0;
            const double first = weirFirst ? weir() : raw();
            const double second = weirFirst ? raw() : weir();
            if (first < 0 || second < 0)
                return 1;
            weirMs.add(weirFirst ? first : second);
            rawMs.add(weirFirst ? second : first);
        }
        bench.atLeast(QByteArray(action.name) + "_ratio",
                      printComparison(action.name, entries, weirMs, rawMs), "x_raw", MinRatio);
    }
    redisFree(c);
    bench.print();
    return 0;
}
