#pragma once

// What the bulk benchmarks share: a bulk run through Weir's BulkRunner, and the same
// commands pipelined on a raw hiredis connection as the reference.

#include "benchsupport.h"
#include "bulkrunner.h"
#include "localredisserver.h"

#include <QElapsedTimer>
#include <QEventLoop>

#include <hiredis/hiredis.h>

#include <cstdio>
#include <vector>

// Starts `server` and connects raw hiredis to it (nullptr, said on stderr, on failure).
inline redisContext *startServer(LocalRedisServer &server)
{
    if (!startLocalServer(server))
        return nullptr;
    redisContext *c = redisConnect("127.0.0.1", server.options().port);
    if (!c || c->err) {
        std::fprintf(stderr, "hiredis: %s\n", c ? c->errstr : "no context");
        return nullptr;
    }
    return c;
}

// Frees the reply; false (and says so) when there is none or it is an error.
inline bool check(redisReply *reply, const char *what)
{
    const bool ok = reply && reply->type != REDIS_REPLY_ERROR;
    if (!ok)
        std::fprintf(stderr, "%s: %s\n", what, reply ? reply->str : "no reply");
    freeReplyObject(reply);
    return ok;
}

inline void appendArgv(redisContext *c, const RedisCommand &command)
{
    std::vector<const char *> args;
    std::vector<size_t> lengths;
    for (const QByteArray &a : command.argv) {
        args.push_back(a.constData());
        lengths.push_back(size_t(a.size()));
    }
    redisAppendCommandArgv(c, int(args.size()), args.data(), lengths.data());
}

// The reference: the chunks' commands (without MULTI/EXEC, and each distinct prelude once,
// as a hand-written pipeline would load a script once), all appended, then every reply
// read. Returns milliseconds, or -1 when a reply is an error.
inline double rawRun(redisContext *c, const QList<BulkRunner::Chunk> &chunks)
{
    QElapsedTimer timer;
    timer.start();
    qsizetype commands = 0;
    QList<RedisCommand> lastPrelude;
    for (const BulkRunner::Chunk &chunk : chunks) {
        if (!chunk.prelude.isEmpty()
            && (lastPrelude.isEmpty()
                || chunk.prelude.constFirst().argv != lastPrelude.constFirst().argv)) {
            for (const RedisCommand &command : chunk.prelude) {
                appendArgv(c, command);
                ++commands;
            }
            lastPrelude = chunk.prelude;
        }
        for (const RedisCommand &command : chunk.commands) {
            appendArgv(c, command);
            ++commands;
        }
    }
    bool ok = true;
    for (qsizetype i = 0; i < commands; ++i) {
        void *reply = nullptr;
        if (redisGetReply(c, &reply) != REDIS_OK)
            return -1;
        if (static_cast<redisReply *>(reply)->type == REDIS_REPLY_ERROR && ok) {
            std::fprintf(stderr, "raw run: %s\n", static_cast<redisReply *>(reply)->str);
            ok = false;
        }
        freeReplyObject(reply);
    }
    return ok ? double(timer.nsecsElapsed()) / 1e6 : -1;
}

// Weir's bulk path: a BulkRunner over `chunks`, waited for in an event loop. Returns
// milliseconds; the run's report goes to *report.
inline double weirRun(RedisConnection *connection, const QList<BulkRunner::Chunk> &chunks,
                      const BulkRunner::Verifier &verifier, BulkRunner::Report *report)
{
    BulkRunner runner;
    QEventLoop loop;
    QObject::connect(&runner, &BulkRunner::finished, &loop, [&](const BulkRunner::Report &r) {
        *report = r;
        loop.quit();
    });
    QElapsedTimer timer;
    timer.start();
    runner.start(connection, chunks, verifier);
    loop.exec();
    const double ms = double(timer.nsecsElapsed()) / 1e6;
    if (!report->error.isEmpty())
        std::fprintf(stderr, "Weir's run: %s\n", qPrintable(report->error));
    return ms;
}

inline qint64 streamLength(redisContext *c, const char *key)
{
    auto *r = static_cast<redisReply *>(redisCommand(c, "XLEN %s", key));
    const qint64 n = r && r->type == REDIS_REPLY_INTEGER ? r->integer : -1;
    freeReplyObject(r);
    return n;
}

inline qint64 pendingCount(redisContext *c, const char *key, const char *group)
{
    auto *r = static_cast<redisReply *>(redisCommand(c, "XPENDING %s %s", key, group));
    const qint64 n = r && r->type == REDIS_REPLY_ARRAY ? r->element[0]->integer : -1;
    freeReplyObject(r);
    return n;
}

// The figures of one action: Weir's and the reference's times and rates, and their ratio.
// Returns Weir's speed as a share of raw hiredis's (raw time / Weir's time, per round).
inline Rounds printComparison(const QByteArray &name, qint64 entries, const Rounds &weirMs,
                              const Rounds &rawMs)
{
    figure("weir_" + name + "_time", weirMs, "ms");
    figure("raw_hiredis_" + name + "_time", rawMs, "ms");
    figure("weir_" + name + "_rate", double(entries) / weirMs.median() * 1000.0, "entries/s");
    figure("raw_hiredis_" + name + "_rate", double(entries) / rawMs.median() * 1000.0, "entries/s");
    Rounds ratio = rawMs.over(weirMs);
    figure("weir_vs_raw_" + name, ratio, "x");
    return ratio;
}
