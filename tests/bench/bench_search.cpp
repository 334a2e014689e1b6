// Searches one stream of plain values (nothing in them decodes: uuids, short JSON bodies,
// words, timestamps) through Weir's EntrySearchModel, and prints the figures, so that
// looking inside encoded values can be seen not to slow down the search of plain ones.
//
//   bench_search [--quick] [entries] [rounds]     (default 1000000 3; --quick: 100000 3)
//
// Each round is a fresh start() to finished(), searching for text that no value holds
// (every value is read and matched), case-sensitive, then ignoring case, then a regex;
// each of them as stored only, and also decoded (what Weir does by default).
// Output: one `name value unit` line per figure.
#include "benchsupport.h"
#include "bulkbench.h"
#include "entrysearch.h"
#include "localredisserver.h"
#include "redisconnection.h"
#include "valuedecoder.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>

#include <hiredis/hiredis.h>

#include <cstdio>
#include <ctime>

namespace {

constexpr char Key[] = "orders:events";
constexpr int FillBatch = 10000;
// Searching decoded text too costs plain values at most half again the CPU time of
// searching stored bytes only (measured in the same run, rounds alternating).
constexpr double MaxDecodedCost = 1.50;

bool fill(quint16 port, qint64 entries)
{
    redisContext *c = redisConnect("127.0.0.1", port);
    if (!c || c->err)
        return false;
    static const char *const words[] = {"created", "paid", "shipped", "delivered", "refunded"};
    char messageId[48], data[128], timestamp[24];
    bool ok = true;
    for (qint64 first = 0; first < entries && ok; first += FillBatch) {
        const qint64 end = std::min(entries, first + FillBatch);
        for (qint64 i = first; i < end; ++i) {
            std::snprintf(messageId, sizeof messageId, "%08x-%04x-4%03x-a%03x-%012llx",
                          unsigned(i * 2654435761u), unsigned(i & 0xffff), unsigned(i % 4096),
                          unsigned((i * 7) % 4096), qulonglong(i * 11400714819ull));
            std::snprintf(data, sizeof data,
                          "{\"order\":%lld,\"sku\":\"SKU-%04u\",\"qty\":%u,\"state\":\"%s\"}", i,
                          unsigned(i % 10000), unsigned(i % 7 + 1), words[i % 5]);
            std::snprintf(timestamp, sizeof timestamp, "%lld", 1700000000000LL + i);
            redisAppendCommand(c, "XADD %s * message_id %s data %s note %s timestamp %s", Key,
                               messageId, data, words[(i + 2) % 5], timestamp);
        }
        for (qint64 i = first; i < end; ++i) {
            void *reply = nullptr;
            if (redisGetReply(c, &reply) != REDIS_OK)
                ok = false;
            freeReplyObject(reply);
        }
    }
    redisFree(c);
    return ok;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QStringList args = app.arguments().mid(1);
    const bool quick = takeQuick(&args);
    const qint64 entries =
        args.value(0, quick ? QStringLiteral("100000") : QStringLiteral("1000000")).toLongLong();
    const int rounds = std::max(1, args.value(1, QStringLiteral("3")).toInt());

    // What the look inside costs a plain value by itself: decodedLayers() on the values
    // the stream holds, without the network.
    {
        QList<QByteArray> values;
        for (qint64 i = 0; i < 1000; ++i) {
            const QByteArray words[] = {"created", "paid", "shipped", "delivered", "refunded"};
            values << QByteArray::number(i * 2654435761u, 16).rightJustified(8, '0')
                          + "-0000-4000-a000-" + QByteArray::number(i * 11400714819ull, 16)
                   << "{\"order\":" + QByteArray::number(i) + ",\"sku\":\"SKU-"
                          + QByteArray::number(i % 10000).rightJustified(4, '0') + "\",\"qty\":"
                          + QByteArray::number(i % 7 + 1) + ",\"state\":\"" + words[i % 5] + "\"}"
                   << words[(i + 2) % 5] << QByteArray::number(1700000000000LL + i);
        }
        qsizetype found = 0;
        QElapsedTimer timer;
        timer.start();
        constexpr int Passes = 250;
        for (int pass = 0; pass < Passes; ++pass) {
            for (const QByteArray &value : std::as_const(values))
                found += decodedLayers(value).size();
        }
        figure("decoded_layers_plain_value",
               double(timer.nsecsElapsed()) / (Passes * values.size()), "ns");
        if (found != 0) {
            std::fprintf(stderr, "plain values decoded\n");
            return 1;
        }
    }

    LocalRedisServer server;
    if (!startLocalServer(server))
        return 1;
    if (!fill(server.port(), entries)) {
        std::fprintf(stderr, "could not fill the server\n");
        return 1;
    }
    figure("entries", double(entries), "entries");

    RedisConnection connection(server.options());
    if (!openConnection(&connection))
        return 1;

    struct Case
    {
        const char *name;
        EntrySearch::Query::Match match;
        bool caseSensitive;
    };
    const Case cases[] = {{"contains", EntrySearch::Query::Contains, true},
                          {"contains_nocase", EntrySearch::Query::Contains, false},
                          {"regex", EntrySearch::Query::Regex, true}};
    // Each case runs with and without searching decoded values (Query::searchDecoded), in
    // alternating rounds, so that both see the same machine; cpu is this process's time
    // (the matching and the reply parsing; the server is another process).
    BenchLines costs; // decoded CPU time / stored-only, per case
    for (const Case &c : cases) {
        QList<double> times[2], cpu[2]; // [searchDecoded]
        for (int round = 0; round < rounds; ++round) {
            for (const bool decoded : {false, true}) {
                EntrySearchModel model;
                EntrySearch::Query query;
                query.match = c.match;
                query.caseSensitive = c.caseSensitive;
                query.searchDecoded = decoded;
                query.pattern = c.match == EntrySearch::Query::Regex
                                    ? QStringLiteral("zz[0-9]+q")
                                    : QStringLiteral("no-such-text");
                QEventLoop loop;
                QObject::connect(&model, &EntrySearchModel::finished, &loop, &QEventLoop::quit);
                QElapsedTimer timer;
                timer.start();
                const std::clock_t cpuStart = std::clock();
                QString error;
                if (!model.start(&connection, Key, query, &error)) {
                    std::fprintf(stderr, "%s\n", qPrintable(error));
                    return 1;
                }
                loop.exec();
                times[decoded].append(timer.nsecsElapsed() / 1e9);
                cpu[decoded].append(double(std::clock() - cpuStart) / CLOCKS_PER_SEC);
                if (model.scanned() != entries || model.rowCount() != 0) {
                    std::fprintf(stderr, "%s: scanned %lld, %d rows\n", c.name,
                                 qlonglong(model.scanned()), model.rowCount());
                    return 1;
                }
            }
        }
        for (const bool decoded : {false, true}) {
            const QByteArray name =
                QByteArray("search_") + c.name + (decoded ? "_decoded" : "_stored_only");
            const double t = median(times[decoded]);
            figure(name + "_time", t, "s");
            figure(name + "_cpu", median(cpu[decoded]), "s");
            figure(name + "_rate", entries / t / 1000.0, "k entries/s");
        }
        costs.atMost(QByteArray("search_") + c.name + "_decoded_cost",
                     median(cpu[true]) / median(cpu[false]), "x_stored_only", MaxDecodedCost);
    }
    costs.print();
    return 0;
}
