// Times `weirctl streams --format json`, run as a process as scripts run it, over a large
// keyspace and, in the same run, the raw hiredis reference: SCAN ... TYPE stream COUNT 1000
// with every page's XINFO STREAM and XINFO GROUPS pipelined (with the next SCAN).
//
//   bench_weirctl [--quick] [total-keys] [streams] [rounds]
//                                      (default 1000000 100000 3; --quick: 100000 10000 3)
//
// The keyspace: total-keys keys of which `streams` are streams of 1 to 3 entries. Every
// tenth stream has a consumer group created at 0 (so it lags, and weirctl reads its oldest
// undelivered entry for the time lag); one stream in a thousand is the dead-letter stream
// (<stream>:dlq) of another. The rest are plain strings (DEBUG POPULATE).
//
// Output: `name value unit` lines (medians over the rounds), then BENCH lines against
// issue 20's targets: weirctl within 1.2x the raw reference's time, and its peak resident
// memory (VmHWM, read from /proc every 20 ms while it runs) under 100 MB. The program fails when
// weirctl does not exit 0 or prints another number of rows than there are streams.
#include "benchsupport.h"
#include "localredisserver.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <hiredis/hiredis.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

namespace {

constexpr double MaxRatio = 1.20;
constexpr double MaxRssMb = 100;

bool drain(redisContext *c, qint64 replies)
{
    for (qint64 i = 0; i < replies; ++i) {
        void *reply = nullptr;
        if (redisGetReply(c, &reply) != REDIS_OK)
            return false;
        freeReplyObject(reply);
    }
    return true;
}

bool fill(quint16 port, int totalKeys, int streams)
{
    redisContext *c = redisConnect("127.0.0.1", port);
    if (!c || c->err)
        return false;
    auto *r = static_cast<redisReply *>(
        redisCommand(c, "DEBUG POPULATE %d filler 16", totalKeys - streams));
    const bool populated = r && r->type == REDIS_REPLY_STATUS;
    freeReplyObject(r);
    if (!populated) {
        redisFree(c);
        return false;
    }
    const int deadLetters = streams / 1000;
    const int sources = streams - deadLetters;
    qint64 pending = 0;
    for (int i = 0; i < sources; ++i) {
        for (int e = 0; e <= i % 3; ++e) {
            redisAppendCommand(c, "XADD queue:%d:events * data {\"n\":%d}", i, e);
            ++pending;
        }
        if (i % 10 == 0) {
            redisAppendCommand(c, "XGROUP CREATE queue:%d:events workers 0", i);
            ++pending;
        }
        if (i < deadLetters) {
            redisAppendCommand(c, "XADD queue:%d:events:dlq * failureReason timeout data x", i);
            ++pending;
        }
        if (pending >= 10000) {
            if (!drain(c, pending)) {
                redisFree(c);
                return false;
            }
            pending = 0;
        }
    }
    const bool ok = drain(c, pending);
    redisFree(c);
    return ok;
}

// The reference: its elapsed milliseconds, and the streams it read in *rows (-1 on error).
double rawOverview(quint16 port, qint64 *rows)
{
    *rows = -1;
    redisContext *c = redisConnect("127.0.0.1", port);
    if (!c || c->err) {
        redisFree(c);
        return 0;
    }
    QElapsedTimer timer;
    timer.start();
    qint64 read = 0;
    redisAppendCommand(c, "SCAN 0 TYPE stream COUNT 1000");
    for (;;) {
        redisReply *page = nullptr;
        if (redisGetReply(c, reinterpret_cast<void **>(&page)) != REDIS_OK || !page
            || page->type != REDIS_REPLY_ARRAY || page->elements != 2) {
            freeReplyObject(page);
            redisFree(c);
            return 0;
        }
        const QByteArray cursor(page->element[0]->str, qsizetype(page->element[0]->len));
        const redisReply *keys = page->element[1];
        // This page's details and the next page in one pipeline.
        for (size_t i = 0; i < keys->elements; ++i) {
            const char *argvStream[] = {"XINFO", "STREAM", keys->element[i]->str};
            const char *argvGroups[] = {"XINFO", "GROUPS", keys->element[i]->str};
            const size_t lengths[] = {5, 6, keys->element[i]->len};
            redisAppendCommandArgv(c, 3, argvStream, lengths);
            redisAppendCommandArgv(c, 3, argvGroups, lengths);
        }
        if (cursor != "0")
            redisAppendCommand(c, "SCAN %s TYPE stream COUNT 1000", cursor.constData());
        const qint64 details = qint64(keys->elements) * 2;
        read += qint64(keys->elements);
        freeReplyObject(page);
        if (!drain(c, details)) {
            redisFree(c);
            return 0;
        }
        if (cursor == "0")
            break;
    }
    const double ms = timer.nsecsElapsed() / 1e6;
    redisFree(c);
    *rows = read;
    return ms;
}

// VmHWM of a running process, in MB (0 once it is gone).
double peakRssMb(pid_t pid)
{
    FILE *status =
        std::fopen(QByteArray("/proc/" + QByteArray::number(pid) + "/status").constData(), "r");
    if (!status)
        return 0;
    char line[256];
    double kb = 0;
    while (std::fgets(line, sizeof line, status)) {
        if (std::strncmp(line, "VmHWM:", 6) == 0)
            kb = std::atof(line + 6);
    }
    std::fclose(status);
    return kb / 1024.0;
}

struct CtlTiming
{
    double ms = 0;
    double peakRssMb = 0;
    qint64 rows = -1;
    int exitCode = -1;
    QByteArray err;
};

// weirctl streams --format json with its stdout on a pipe this program drains (and keeps,
// to count the rows once it has exited).
CtlTiming runWeirctl(quint16 port)
{
    CtlTiming run;
    int out[2];
    if (::pipe(out) != 0)
        return run;
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
    posix_spawn_file_actions_addclose(&actions, out[0]);
    posix_spawn_file_actions_addclose(&actions, out[1]);
    const QByteArray portText = QByteArray::number(port);
    const char *argv[] = {WEIRCTL_PATH, "-p",   portText.constData(), "streams", "--format",
                          "json",       nullptr};
    QElapsedTimer timer;
    timer.start();
    pid_t pid = 0;
    const int spawned =
        posix_spawn(&pid, WEIRCTL_PATH, &actions, nullptr, const_cast<char **>(argv), environ);
    posix_spawn_file_actions_destroy(&actions);
    ::close(out[1]);
    if (spawned != 0) {
        ::close(out[0]);
        return run;
    }
    // Peak RSS from VmHWM while it runs: wait4's ru_maxrss would also count this program's
    // own memory, which the child shared until it exec'd.
    QByteArray text;
    char buffer[1 << 16];
    struct pollfd readable = {out[0], POLLIN, 0};
    QElapsedTimer sinceRss;
    sinceRss.start();
    for (;;) {
        // Every 20 ms at most, so that this program takes little of the CPU weirctl and
        // the server share; and in big reads, not a wake-up per line.
        const int ready = ::poll(&readable, 1, 20);
        if (sinceRss.elapsed() >= 20 || ready == 0) {
            run.peakRssMb = std::max(run.peakRssMb, peakRssMb(pid));
            sinceRss.start();
        }
        if (ready == 0)
            continue;
        const ssize_t n = ::read(out[0], buffer, sizeof buffer);
        if (n <= 0)
            break;
        text.append(buffer, qsizetype(n));
        if (size_t(n) < sizeof buffer / 2)
            ::usleep(2000); // let the pipe fill
    }
    ::close(out[0]);
    int status = 0;
    ::waitpid(pid, &status, 0);
    run.ms = timer.nsecsElapsed() / 1e6;
    run.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    const QJsonDocument doc = QJsonDocument::fromJson(text);
    if (doc.isObject())
        run.rows = doc.object().value(QStringLiteral("streams")).toArray().size();
    return run;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QStringList args = app.arguments().mid(1);
    const bool quick = takeQuick(&args);
    const int totalKeys =
        args.value(0, quick ? QStringLiteral("100000") : QStringLiteral("1000000")).toInt();
    const int streams =
        args.value(1, quick ? QStringLiteral("10000") : QStringLiteral("100000")).toInt();
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

    QList<double> raw, ctl, ratios, rss;
    for (int i = 0; i < rounds; ++i) {
        qint64 rawRows = 0;
        raw.append(rawOverview(server.port(), &rawRows));
        if (rawRows != streams) {
            std::fprintf(stderr, "the raw reference read %lld streams, not %d\n",
                         static_cast<long long>(rawRows), streams);
            return 1;
        }
        const CtlTiming run = runWeirctl(server.port());
        if (run.exitCode != 0 || run.rows != streams) {
            std::fprintf(stderr, "weirctl exited %d and printed %lld rows, not %d\n", run.exitCode,
                         static_cast<long long>(run.rows), streams);
            return 1;
        }
        ctl.append(run.ms);
        rss.append(run.peakRssMb);
        ratios.append(run.ms / raw.constLast());
        figure("raw_ms_round", raw.constLast(), "ms");
        figure("weirctl_ms_round", run.ms, "ms");
    }
    figure("weirctl_rows", streams, "rows");
    figure("raw_ms", median(raw), "ms");
    figure("weirctl_ms", median(ctl), "ms");
    figure("weirctl_peak_rss", median(rss), "MB");

    BenchLines lines;
    lines.atMost("weirctl_streams_ratio", median(ratios), "x_raw", MaxRatio);
    lines.atMost("weirctl_streams_rss", *std::max_element(rss.cbegin(), rss.cend()), "MB",
                 MaxRssMb);
    lines.print();
    return 0;
}
