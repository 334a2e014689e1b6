// Moves 100,000 pending entries to a dead-letter stream and replays 100,000 dead letters
// through Weir's bulk path (the atomic path: chunks of EVALSHA in MULTI/EXEC, each chunk
// loading its script first) and, in the same run, the same Lua calls pipelined on a raw
// hiredis connection, and prints the figures.
//
//   bench_deadletters [--quick] [entries] [rounds]     (default 100000 5; --quick: 20000 5)
//
// Moving starts each round from a stream of N entries whose group's one consumer has read
// them all; replaying from a dead-letter stream of N dead letters in the default layout.
// Output: `name value unit` lines, then BENCH lines against issue 5's targets: Weir's speed
// at least 0.70 of raw's, and at least 50,000 entries per second, for each action.
#include "benchsupport.h"
#include "bulkbench.h"
#include "deadletteractions.h"
#include "localredisserver.h"

#include <QCoreApplication>

#include <cstdlib>
#include <functional>

using namespace DeadLetterActions;

namespace {

constexpr char Key[] = "orders";
constexpr char Group[] = "billing";
constexpr char DeadLetters[] = "orders:dlq";
// Moving and replaying through Weir at no less than 70% of the same scripts pipelined raw,
// and at no less than 50,000 entries a second.
constexpr double MinRatio = 0.70;
constexpr double MinRate = 50000;

bool fill(redisContext *c, const QList<RedisCommand> &commands)
{
    for (qsizetype first = 0; first < commands.size(); first += 10000) {
        const qsizetype last = std::min(commands.size(), first + 10000);
        for (qsizetype i = first; i < last; ++i)
            appendArgv(c, commands.at(i));
        for (qsizetype i = first; i < last; ++i) {
            void *reply = nullptr;
            if (redisGetReply(c, &reply) != REDIS_OK
                || !check(static_cast<redisReply *>(reply), "fill"))
                return false;
        }
    }
    return true;
}

// The entries, as a producer of design 003 would write them.
QList<StreamEntry> orders(qint64 n)
{
    QList<StreamEntry> out;
    out.reserve(n);
    for (qint64 i = 1; i <= n; ++i) {
        out.append(StreamEntry{
            StreamId{quint64(i), 0},
            {{"key", "order-" + QByteArray::number(i)},
             {"value", "{\"order\":" + QByteArray::number(i) + ",\"amount\":\"19.90\"}"},
             {"headers", "{\"source\":\"checkout\"}"},
             {"retryCount", "0"}}});
    }
    return out;
}

QList<RedisCommand> adds(const QByteArray &key, const QList<StreamEntry> &entries)
{
    QList<RedisCommand> commands;
    commands.reserve(entries.size());
    for (const StreamEntry &e : entries) {
        QList<QByteArray> argv{"XADD", key, e.id.toByteArray()};
        for (const auto &[name, value] : e.fields)
            argv << name << value;
        commands.append(RedisCommand{argv});
    }
    return commands;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QStringList args = app.arguments().mid(1);
    const bool quick = takeQuick(&args);
    const qint64 entries =
        args.value(0, quick ? QStringLiteral("20000") : QStringLiteral("100000")).toLongLong();
    const int rounds = std::max(1, args.value(1, QString::number(Rounds::Minimum)).toInt());

    LocalRedisServer server;
    redisContext *c = startServer(server);
    if (!c)
        return 1;
    RedisConnection connection(server.options());
    if (!openConnection(&connection))
        return 1;

    const DeadLetterConventions conventions = DeadLetterConventions::defaults();
    const QDateTime failedAt = QDateTime::currentDateTimeUtc();
    const QList<StreamEntry> source = orders(entries);
    QList<QByteArray> ids;
    for (const StreamEntry &e : source)
        ids.append(e.id.toByteArray());

    // Moving: all N pending in the group, no dead letters yet.
    const MoveOptions move{Key, Group, DeadLetters, QStringLiteral("amount is not a number")};
    const auto preparePending = [&] {
        freeReplyObject(redisCommand(c, "DEL %s %s", Key, DeadLetters));
        return fill(c, adds(Key, source))
               && check(
                   static_cast<redisReply *>(redisCommand(c, "XGROUP CREATE %s %s 0", Key, Group)),
                   "XGROUP CREATE")
               && check(static_cast<redisReply *>(
                            redisCommand(c, "XREADGROUP GROUP %s worker COUNT %lld STREAMS %s >",
                                         Group, qlonglong(entries), Key)),
                        "XREADGROUP");
    };
    // Replaying: N dead letters (as Weir's move writes them), back to their stream.
    QList<StreamEntry> deadLetters;
    for (const StreamEntry &e : source)
        deadLetters.append(StreamEntry{e.id, deadLetterFields(e, 5, move, conventions, failedAt)});
    const ReplayOptions replay{DeadLetters, {}, true, "replayCount"};
    QList<ReplayItem> plan;
    for (const StreamEntry &e : deadLetters)
        plan.append(planReplay(e, replay, conventions));
    const auto prepareDeadLetters = [&] {
        freeReplyObject(redisCommand(c, "DEL %s %s", Key, DeadLetters));
        return fill(c, adds(DeadLetters, deadLetters));
    };

    figure("entries", double(entries), "entries");
    figure("chunk_entries", EntriesPerChunk, "entries");
    struct Action
    {
        const char *name;
        QList<BulkRunner::Chunk> chunks;
        BulkRunner::Verifier verifier;
        std::function<bool()> prepare;
        std::function<bool()> finished; // all N moved or replayed
    };
    const QList<Action> actions{
        {"move", moveChunks(ids, move, conventions, failedAt), moveVerifier(move), preparePending,
         [&] {
        return pendingCount(c, Key, Group) == 0 && streamLength(c, DeadLetters) == entries;
         }},
        {"replay", replayChunks(plan, replay), replayVerifier(replay), prepareDeadLetters,
         [&] { return streamLength(c, DeadLetters) == 0 && streamLength(c, Key) == entries; }},
        };
    BenchLines bench;
    for (const Action &action : actions) {
        Rounds weirMs, rawMs;
        for (int round = 0; round < rounds; ++round) {
            if (!action.prepare())
                return 1;
            BulkRunner::Report report;
            weirMs.add(weirRun(&connection, action.chunks, action.verifier, &report));
            if (report.done.size() != entries || !action.finished()) {
                std::fprintf(stderr, "Weir's %s did %lld of %lld\n", action.name,
                             qlonglong(report.done.size()), qlonglong(entries));
                return 1;
            }
            if (!action.prepare())
                return 1;
            const double ms = rawRun(c, action.chunks);
            rawMs.add(ms);
            if (ms < 0 || !action.finished()) {
                std::fprintf(stderr, "raw %s did not finish\n", action.name);
                return 1;
            }
        }
        const QByteArray name = action.name;
        bench.atLeast(name + "_ratio", printComparison(name, entries, weirMs, rawMs), "x_raw",
                      MinRatio);
        bench.atLeast(name + "_rate", double(entries) / weirMs.median() * 1000.0, "entries/s",
                      MinRate);
    }
    redisFree(c);
    bench.print();
    return 0;
}
