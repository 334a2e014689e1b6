// The reply parsers on recorded replies: each reply is the RESP a server sent (recorded
// from Redis 7.0.15, or shaped as Redis 6.2 sends it) and goes through RespDecoder first,
// so the codec and the parsers are tested together. Malformed replies must give
// std::nullopt and a message, never a crash.

#include "resptestutil.h"

#include "replyparsers.h"

#include <QtTest>

using namespace wire;

namespace {

// A field list: name, value, name, value, ... with the values already in RESP.
QByteArray fields(const QList<QPair<QByteArray, QByteArray>> &pairs)
{
    QByteArray out = arr(int(pairs.size() * 2));
    for (const auto &p : pairs)
        out += bulk(p.first) + p.second;
    return out;
}

// ---- Recorded from Redis 7.0.15 (raw bytes as read from the socket).

// XINFO STREAM s: three entries, two groups.
const QByteArray streamInfo70 =
    "*20\r\n$6\r\nlength\r\n:3\r\n$15\r\nradix-tree-keys\r\n:1\r\n$16\r\nradix-tree-nodes\r\n"
    ":2\r\n$17\r\nlast-generated-id\r\n$15\r\n1700000000002-0\r\n$20\r\nmax-deleted-entry-id"
    "\r\n$3\r\n0-0\r\n$13\r\nentries-added\r\n:3\r\n$23\r\nrecorded-first-entry-id\r\n$15\r\n"
    "1700000000000-0\r\n$6\r\ngroups\r\n:2\r\n$11\r\nfirst-entry\r\n*2\r\n$15\r\n"
    "1700000000000-0\r\n*2\r\n$1\r\nf\r\n$1\r\nv\r\n$10\r\nlast-entry\r\n*2\r\n$15\r\n"
    "1700000000002-0\r\n*4\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n";

// XINFO STREAM s after XDEL of the middle entry and a third group.
const QByteArray streamInfo70AfterDelete =
    "*20\r\n$6\r\nlength\r\n:2\r\n$15\r\nradix-tree-keys\r\n:1\r\n$16\r\nradix-tree-nodes\r\n"
    ":2\r\n$17\r\nlast-generated-id\r\n$15\r\n1700000000002-0\r\n$20\r\nmax-deleted-entry-id"
    "\r\n$15\r\n1700000000001-0\r\n$13\r\nentries-added\r\n:3\r\n$23\r\nrecorded-first-entry-"
    "id\r\n$15\r\n1700000000000-0\r\n$6\r\ngroups\r\n:3\r\n$11\r\nfirst-entry\r\n*2\r\n$15\r\n"
    "1700000000000-0\r\n*2\r\n$1\r\nf\r\n$1\r\nv\r\n$10\r\nlast-entry\r\n*2\r\n$15\r\n"
    "1700000000002-0\r\n*4\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n";

// XINFO STREAM e: its only entry deleted, so first-entry and last-entry are nil.
const QByteArray streamInfo70Empty =
    "*20\r\n$6\r\nlength\r\n:0\r\n$15\r\nradix-tree-keys\r\n:0\r\n$16\r\nradix-tree-nodes\r\n"
    ":1\r\n$17\r\nlast-generated-id\r\n$3\r\n1-1\r\n$20\r\nmax-deleted-entry-id\r\n$3\r\n1-1\r\n"
    "$13\r\nentries-added\r\n:1\r\n$23\r\nrecorded-first-entry-id\r\n$3\r\n0-0\r\n$6\r\ngroups"
    "\r\n:0\r\n$11\r\nfirst-entry\r\n$-1\r\n$10\r\nlast-entry\r\n$-1\r\n";

// XINFO GROUPS s: g1 has read one entry; g2 was created at "$" (entries-read nil, lag 0).
const QByteArray groupsInfo70 =
    "*2\r\n*12\r\n$4\r\nname\r\n$2\r\ng1\r\n$9\r\nconsumers\r\n:1\r\n$7\r\npending\r\n:1\r\n"
    "$17\r\nlast-delivered-id\r\n$15\r\n1700000000000-0\r\n$12\r\nentries-read\r\n:1\r\n$3\r\n"
    "lag\r\n:2\r\n*12\r\n$4\r\nname\r\n$2\r\ng2\r\n$9\r\nconsumers\r\n:0\r\n$7\r\npending\r\n"
    ":0\r\n$17\r\nlast-delivered-id\r\n$15\r\n1700000000002-0\r\n$12\r\nentries-read\r\n$-1\r\n"
    "$3\r\nlag\r\n:0\r\n";

// XINFO GROUPS s after XDEL: a deleted entry lies ahead of g1 and g3, so Redis cannot tell
// their lag (nil); g3 was created at an arbitrary id (entries-read nil).
const QByteArray groupsInfo70AfterDelete =
    "*3\r\n*12\r\n$4\r\nname\r\n$2\r\ng1\r\n$9\r\nconsumers\r\n:1\r\n$7\r\npending\r\n:1\r\n"
    "$17\r\nlast-delivered-id\r\n$15\r\n1700000000000-0\r\n$12\r\nentries-read\r\n:1\r\n$3\r\n"
    "lag\r\n$-1\r\n*12\r\n$4\r\nname\r\n$2\r\ng2\r\n$9\r\nconsumers\r\n:0\r\n$7\r\npending\r\n"
    ":0\r\n$17\r\nlast-delivered-id\r\n$15\r\n1700000000002-0\r\n$12\r\nentries-read\r\n$-1\r\n"
    "$3\r\nlag\r\n:0\r\n*12\r\n$4\r\nname\r\n$2\r\ng3\r\n$9\r\nconsumers\r\n:0\r\n$7\r\npending"
    "\r\n:0\r\n$17\r\nlast-delivered-id\r\n$15\r\n1700000000001-0\r\n$12\r\nentries-read\r\n"
    "$-1\r\n$3\r\nlag\r\n$-1\r\n";

const QByteArray scan70 = "*2\r\n$1\r\n0\r\n*3\r\n$3\r\nstr\r\n$1\r\ns\r\n$1\r\ne\r\n";
const QByteArray role70 = "*3\r\n$6\r\nmaster\r\n:0\r\n*0\r\n";

// INFO server, recorded (the bulk header is computed from the text).
const QByteArray infoServer70Text =
    "# Server\r\nredis_version:7.0.15\r\nredis_git_sha1:00000000\r\nredis_git_dirty:0\r\n"
    "redis_build_id:ae4d7c971a948f0\r\nredis_mode:standalone\r\nos:Linux 6.18.44-fc-v657 "
    "x86_64\r\narch_bits:64\r\nmonotonic_clock:POSIX clock_gettime\r\nmultiplexing_api:epoll\r\n"
    "atomicvar_api:c11-builtin\r\ngcc_version:12.2.0\r\nprocess_id:6205\r\nprocess_supervised:"
    "no\r\nrun_id:3849124c106f53c422a4825b40c981a399f45cdb\r\ntcp_port:0\r\nserver_time_usec:"
    "1795317459895086\r\nuptime_in_seconds:9\r\nuptime_in_days:0\r\nhz:10\r\nconfigured_hz:10"
    "\r\nlru_clock:155347\r\nexecutable:/tmp/hx/redis-server\r\nconfig_file:\r\n"
    "io_threads_active:0\r\n\r\n";

// ---- Shaped as Redis 6.2 sends them: no max-deleted-entry-id, entries-added,
// recorded-first-entry-id, entries-read or lag.

QByteArray streamInfo62()
{
    return fields({{"length", num(2)},
                   {"radix-tree-keys", num(1)},
                   {"radix-tree-nodes", num(2)},
                   {"last-generated-id", bulk("1638125141232-0")},
                   {"groups", num(1)},
                   {"first-entry",
                    arr(2) + bulk("1638125133432-0") + arr(2) + bulk("message") + bulk("apple")},
                   {"last-entry",
                    arr(2) + bulk("1638125141232-0") + arr(2) + bulk("message") + bulk("banana")}});
}

QByteArray groupsInfo62()
{
    return arr(2)
           + fields({{"name", bulk("mygroup")},
                     {"consumers", num(2)},
                     {"pending", num(2)},
                     {"last-delivered-id", bulk("1638126030001-0")}})
           + fields({{"name", bulk("some-other-group")},
                     {"consumers", num(1)},
                     {"pending", num(0)},
                     {"last-delivered-id", bulk("1638126028070-0")}});
}

QByteArray optionalId(const std::optional<StreamId> &id)
{
    return id ? id->toByteArray() : QByteArray("none");
}

QByteArray optionalInt(const std::optional<qint64> &n)
{
    return n ? QByteArray::number(*n) : QByteArray("nil");
}

QByteArray summary(const GroupInfo &g)
{
    return g.name + " consumers=" + QByteArray::number(g.consumers) + " pending="
           + QByteArray::number(g.pending) + " last=" + g.lastDeliveredId.toByteArray()
           + " read=" + optionalInt(g.entriesRead) + " lag=" + optionalInt(g.lag);
}

} // namespace

class TestReplyParsers : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void serverInfo_data();
    void serverInfo();
    void serverInfoMemory();
    void serverInfoRejects_data();
    void serverInfoRejects();
    void features_data();
    void features();
    void identity_data();
    void identity();
    void helloRejects();

    void role_data();
    void role();
    void roleRejects_data();
    void roleRejects();

    void streamInfo_data();
    void streamInfo();
    void streamInfoRejects_data();
    void streamInfoRejects();

    void groupsInfo_data();
    void groupsInfo();
    void groupsInfoRejects_data();
    void groupsInfoRejects();

    void scanPage_data();
    void scanPage();
    void scanPageRejects_data();
    void scanPageRejects();

    void neverCrash_data();
    void neverCrash();
};

// ---------------------------------------------------------------------------- INFO

void TestReplyParsers::serverInfo_data()
{
    QTest::addColumn<QByteArray>("wire");
    QTest::addColumn<QString>("version");
    QTest::addColumn<int>("major");
    QTest::addColumn<int>("minor");
    QTest::addColumn<int>("patch");
    QTest::addColumn<QString>("mode");
    QTest::addColumn<QString>("role");
    QTest::addColumn<QString>("os");
    QTest::addColumn<qint64>("uptime");

    auto row = [](const char *name, const QByteArray &wire, const char *version, int major,
                  int minor, int patch, const char *mode, const char *role, const char *os,
                  qint64 uptime) {
        QTest::newRow(name) << wire << QString::fromLatin1(version) << major << minor << patch
                            << QString::fromLatin1(mode) << QString::fromLatin1(role)
                            << QString::fromLatin1(os) << uptime;
    };
    row("Redis 7.0 INFO server", bulk(infoServer70Text), "7.0.15", 7, 0, 15, "standalone", "",
        "Linux 6.18.44-fc-v657 x86_64", 9);
    row("Redis 6.2 replica, two sections",
        bulk("# Server\r\nredis_version:6.2.14\r\nredis_mode:standalone\r\nos:Linux 5.10.0 "
             "x86_64\r\nuptime_in_seconds:86400\r\n\r\n# Replication\r\nrole:slave\r\n"
             "master_host:10.0.0.1\r\nmaster_port:6379\r\n"),
        "6.2.14", 6, 2, 14, "standalone", "slave", "Linux 5.10.0 x86_64", 86400);
    row("cluster node", bulk("redis_version:7.2.4\r\nredis_mode:cluster\r\nrole:master\r\n"),
        "7.2.4", 7, 2, 4, "cluster", "master", "", 0);
    row("sentinel", bulk("# Server\r\nredis_version:7.0.15\r\nredis_mode:sentinel\r\n"), "7.0.15",
        7, 0, 15, "sentinel", "", "", 0);
    row("LF line ends", bulk("redis_version:5.0.14\nredis_mode:standalone\nrole:master\n"),
        "5.0.14", 5, 0, 14, "standalone", "master", "", 0);
    row("no redis_mode (very old servers)", bulk("redis_version:2.8.24\r\n"), "2.8.24", 2, 8, 24,
        "standalone", "", "", 0);
    row("two-part version", bulk("redis_version:7.2\r\n"), "7.2", 7, 2, 0, "standalone", "", "", 0);
    row("values with colons",
        bulk("executable:/usr/bin/redis-server\r\nredis_version:7.0.0\r\n"
             "config_file:/etc/redis/redis.conf\r\n"),
        "7.0.0", 7, 0, 0, "standalone", "", "", 0);
    row("lines without colons are skipped",
        bulk("garbage\r\n:\r\nredis_version:6.0.9\r\n\r\n#\r\n"), "6.0.9", 6, 0, 9, "standalone",
        "", "", 0);
}

void TestReplyParsers::serverInfo()
{
    QFETCH(QByteArray, wire);
    QFETCH(QString, version);
    QFETCH(int, major);
    QFETCH(int, minor);
    QFETCH(int, patch);
    QFETCH(QString, mode);
    QFETCH(QString, role);
    QFETCH(QString, os);
    QFETCH(qint64, uptime);

    RedisValue reply;
    DECODE_ONE(wire, reply);
    QString error;
    const std::optional<ServerInfo> info = parseServerInfo(reply, &error);
    QVERIFY2(info, qPrintable(error));
    QCOMPARE(info->version, version);
    QCOMPARE(info->major, major);
    QCOMPARE(info->minor, minor);
    QCOMPARE(info->patch, patch);
    QCOMPARE(info->mode, mode);
    QCOMPARE(info->role, role);
    QCOMPARE(info->os, os);
    QCOMPARE(info->uptimeSeconds, uptime);
}

void TestReplyParsers::serverInfoMemory()
{
    RedisValue reply;
    DECODE_ONE(bulk("# Server\r\nredis_version:7.0.15\r\n\r\n# Memory\r\nused_memory:1234567"
                    "\r\nused_memory_human:1.18M\r\nused_memory_rss:9999999\r\n"),
               reply);
    QCOMPARE(parseServerInfo(reply, nullptr)->usedMemoryBytes, 1234567);
    DECODE_ONE(bulk(infoServer70Text), reply);
    QCOMPARE(parseServerInfo(reply, nullptr)->usedMemoryBytes, -1); // no memory section
}

void TestReplyParsers::serverInfoRejects_data()
{
    QTest::addColumn<QByteArray>("wire");
    QTest::addColumn<QString>("message");

    auto row = [](const char *name, const QByteArray &wire, const char *message) {
        QTest::newRow(name) << wire << QString::fromLatin1(message);
    };
    row("error reply", "-NOPERM User viewer has no permissions to run the 'info' command\r\n",
        "NOPERM User viewer has no permissions to run the 'info' command");
    row("status", "+OK\r\n", "expected a bulk string");
    row("integer", ":1\r\n", "expected a bulk string");
    row("nil", "$-1\r\n", "expected a bulk string");
    row("array", "*1\r\n$20\r\nredis_version:7.0.15\r\n", "expected a bulk string");
    row("empty", "$0\r\n\r\n", "no redis_version");
    row("other sections only", bulk("# Clients\r\nconnected_clients:1\r\n"), "no redis_version");
    row("empty redis_version", bulk("redis_version:\r\n"), "no redis_version");
}

void TestReplyParsers::serverInfoRejects()
{
    QFETCH(QByteArray, wire);
    QFETCH(QString, message);
    RedisValue reply;
    DECODE_ONE(wire, reply);
    QString error;
    QVERIFY(!parseServerInfo(reply, &error));
    QVERIFY2(error.contains(message), qPrintable(error));
    QVERIFY(!parseServerInfo(reply, nullptr));
}

void TestReplyParsers::features_data()
{
    QTest::addColumn<QByteArray>("version");
    QTest::addColumn<bool>("scanType");
    QTest::addColumn<bool>("exclusiveRanges");
    QTest::addColumn<bool>("groupLag");
    QTest::addColumn<bool>("consumerInactive");

    QTest::newRow("5.0.14") << QByteArray("5.0.14") << false << false << false << false;
    QTest::newRow("6.0.0") << QByteArray("6.0.0") << true << false << false << false;
    QTest::newRow("6.0.20") << QByteArray("6.0.20") << true << false << false << false;
    QTest::newRow("6.2.0") << QByteArray("6.2.0") << true << true << false << false;
    QTest::newRow("6.2.14") << QByteArray("6.2.14") << true << true << false << false;
    QTest::newRow("6.10.0, minor compared as a number")
        << QByteArray("6.10.0") << true << true << false << false;
    QTest::newRow("7.0.0") << QByteArray("7.0.0") << true << true << true << false;
    QTest::newRow("7.0.15") << QByteArray("7.0.15") << true << true << true << false;
    QTest::newRow("7.2.0") << QByteArray("7.2.0") << true << true << true << true;
    QTest::newRow("7.4.1") << QByteArray("7.4.1") << true << true << true << true;
    QTest::newRow("8.0.0, major first") << QByteArray("8.0.0") << true << true << true << true;
    QTest::newRow("10.0.0") << QByteArray("10.0.0") << true << true << true << true;
    QTest::newRow("255.255.255 (unstable)")
        << QByteArray("255.255.255") << true << true << true << true;
}

void TestReplyParsers::features()
{
    QFETCH(QByteArray, version);
    QFETCH(bool, scanType);
    QFETCH(bool, exclusiveRanges);
    QFETCH(bool, groupLag);
    QFETCH(bool, consumerInactive);

    RedisValue reply;
    DECODE_ONE(bulk("redis_version:" + version + "\r\n"), reply);
    const std::optional<ServerInfo> info = parseServerInfo(reply, nullptr);
    QVERIFY(info);
    QCOMPARE(info->hasScanType(), scanType);
    QCOMPARE(info->hasExclusiveRanges(), exclusiveRanges);
    QCOMPARE(info->hasGroupLag(), groupLag);
    QCOMPARE(info->hasConsumerInactive(), consumerInactive);
    QVERIFY(info->isAtLeast(info->major, info->minor, info->patch));
    QVERIFY(!info->isAtLeast(info->major, info->minor, info->patch + 1));
}

// What each server of the test matrix calls itself, as recorded from INFO server (its first
// lines) and HELLO 2. Valkey is Valkey 8.0.1 whatever redis_version says, and its features
// are those of the Redis it reports; a server known only from HELLO is identified too.
void TestReplyParsers::identity_data()
{
    QTest::addColumn<QByteArray>("wire");
    QTest::addColumn<bool>("hello");
    QTest::addColumn<int>("product");
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("redisVersion");
    QTest::addColumn<QString>("mode");
    QTest::addColumn<QString>("note");

    const auto info = [](const QByteArray &lines) { return bulk("# Server\r\n" + lines); };
    const auto hello = [](const QByteArray &server, const QByteArray &version) {
        return fields({{"server", bulk(server)},
                       {"version", bulk(version)},
                       {"proto", num(2)},
                       {"id", num(3)},
                       {"mode", bulk("standalone")},
                       {"role", bulk("master")},
                       {"modules", arr(0)}});
    };
    using P = ServerInfo::Product;
    const QString none;
    QTest::newRow("Redis 6.2.16, INFO")
        << info("redis_version:6.2.16\r\nredis_git_sha1:00000000\r\nredis_mode:standalone\r\n")
        << false << int(P::Redis) << "Redis 6.2.16"
        << "6.2.16"
        << "standalone" << none;
    QTest::newRow("Redis 7.4.1, INFO")
        << info("redis_version:7.4.1\r\nredis_git_sha1:00000000\r\nredis_mode:cluster\r\n") << false
        << int(P::Redis) << "Redis 7.4.1"
        << "7.4.1"
        << "cluster" << none;
    QTest::newRow("Valkey 8.0.1, INFO")
        << info("redis_version:7.2.4\r\nserver_name:valkey\r\nvalkey_version:8.0.1\r\n"
                "redis_git_sha1:00000000\r\nserver_mode:standalone\r\n")
        << false << int(P::Valkey) << "Valkey 8.0.1"
        << "7.2.4"
        << "standalone"
        << ", compatible with Redis 7.2.4";
    QTest::newRow("Valkey cluster node, INFO")
        << info("redis_version:7.2.4\r\nserver_name:valkey\r\nvalkey_version:8.0.1\r\n"
                "server_mode:cluster\r\n")
        << false << int(P::Valkey) << "Valkey 8.0.1"
        << "7.2.4"
        << "cluster"
        << ", compatible with Redis 7.2.4";
    QTest::newRow("another product, INFO")
        << info("redis_version:7.0.0\r\nserver_name:kvstore\r\nkvstore_version:2.1\r\n") << false
        << int(P::Other) << "kvstore 2.1"
        << "7.0.0"
        << "standalone"
        << ", compatible with Redis 7.0.0";
    QTest::newRow("Redis 7.2.6, HELLO")
        << hello("redis", "7.2.6") << true << int(P::Redis) << "Redis 7.2.6"
        << "7.2.6"
        << "standalone" << none;
    QTest::newRow("Valkey 8.0.1, HELLO")
        << hello("valkey", "8.0.1") << true << int(P::Valkey) << "Valkey 8.0.1"
        << "7.2.4"
        << "standalone"
        << ", compatible with Redis 7.2.4";
    QTest::newRow("Valkey 7.2.5, HELLO")
        << hello("valkey", "7.2.5") << true << int(P::Valkey) << "Valkey 7.2.5"
        << "7.2.5"
        << "standalone" << none;
}

void TestReplyParsers::identity()
{
    QFETCH(QByteArray, wire);
    QFETCH(bool, hello);
    QFETCH(int, product);
    QFETCH(QString, name);
    QFETCH(QString, redisVersion);
    QFETCH(QString, mode);
    QFETCH(QString, note);

    RedisValue reply;
    DECODE_ONE(wire, reply);
    QString error;
    const std::optional<ServerInfo> info =
        hello ? parseHello(reply, &error) : parseServerInfo(reply, &error);
    QVERIFY2(info, qPrintable(error));
    QCOMPARE(int(info->product), product);
    QCOMPARE(info->displayName(), name);
    QCOMPARE(info->redisVersion, redisVersion);
    QCOMPARE(info->mode, mode);
    QCOMPARE(info->compatibilityNote(), note);
    // Features follow the Redis version, whatever the product.
    const QStringList parts = redisVersion.split(QLatin1Char('.'));
    QCOMPARE(info->major, parts.value(0).toInt());
    QCOMPARE(info->minor, parts.value(1).toInt());
    QCOMPARE(info->hasConsumerInactive(), info->isAtLeast(7, 2));
}

void TestReplyParsers::helloRejects()
{
    QString error;
    RedisValue reply;
    DECODE_ONE("-NOPERM this user has no permissions to run the 'hello' command\r\n", reply);
    QVERIFY(!parseHello(reply, &error));
    QVERIFY2(error.startsWith(QLatin1String("NOPERM")), qPrintable(error));
    DECODE_ONE(fields({{"server", bulk("redis")}, {"proto", num(2)}}), reply);
    QVERIFY(!parseHello(reply, &error));
    QVERIFY2(error.contains(QLatin1String("no version")), qPrintable(error));
    DECODE_ONE(arr(1) + bulk("server"), reply);
    QVERIFY(!parseHello(reply, &error));
    QVERIFY(ServerInfo().displayName().isEmpty());
}

// ---------------------------------------------------------------------------- ROLE

void TestReplyParsers::role_data()
{
    QTest::addColumn<QByteArray>("wire");
    QTest::addColumn<QString>("role");

    QTest::newRow("master (recorded)") << role70 << QStringLiteral("master");
    QTest::newRow("master with replicas")
        << QByteArray(arr(3) + bulk("master") + num(3129659) + arr(1) + arr(3) + bulk("127.0.0.1")
                      + bulk("9001") + bulk("3129242"))
        << QStringLiteral("master");
    QTest::newRow("replica") << QByteArray(arr(5) + bulk("slave") + bulk("127.0.0.1") + num(9000)
                                           + bulk("connected") + num(3167038))
                             << QStringLiteral("slave");
    QTest::newRow("sentinel") << QByteArray(arr(2) + bulk("sentinel") + arr(1) + bulk("mymaster"))
                              << QStringLiteral("sentinel");
}

void TestReplyParsers::role()
{
    QFETCH(QByteArray, wire);
    QFETCH(QString, role);
    RedisValue reply;
    DECODE_ONE(wire, reply);
    QString error;
    const std::optional<QString> parsed = parseRole(reply, &error);
    QVERIFY2(parsed, qPrintable(error));
    QCOMPARE(*parsed, role);
}

void TestReplyParsers::roleRejects_data()
{
    QTest::addColumn<QByteArray>("wire");
    QTest::addColumn<QString>("message");

    QTest::newRow("error reply") << QByteArray(
        "-NOPERM User viewer has no permissions to run the 'role' command\r\n")
                                 << QStringLiteral("NOPERM User viewer");
    QTest::newRow("unknown command (Redis < 2.8.12)")
        << QByteArray("-ERR unknown command 'ROLE'\r\n") << QStringLiteral("unknown command");
    QTest::newRow("empty array") << QByteArray("*0\r\n") << QStringLiteral("ROLE:");
    QTest::newRow("nil") << QByteArray("*-1\r\n") << QStringLiteral("ROLE:");
    QTest::newRow("bulk string") << bulk("master") << QStringLiteral("ROLE:");
    QTest::newRow("role is an integer") << QByteArray("*1\r\n:1\r\n") << QStringLiteral("ROLE:");
    QTest::newRow("role is nil") << QByteArray("*2\r\n$-1\r\n:0\r\n") << QStringLiteral("ROLE:");
    QTest::newRow("role is an array") << QByteArray("*1\r\n*0\r\n") << QStringLiteral("ROLE:");
}

void TestReplyParsers::roleRejects()
{
    QFETCH(QByteArray, wire);
    QFETCH(QString, message);
    RedisValue reply;
    DECODE_ONE(wire, reply);
    QString error;
    QVERIFY(!parseRole(reply, &error));
    QVERIFY2(error.contains(message), qPrintable(error));
    QVERIFY(!parseRole(reply, nullptr));
}

// ---------------------------------------------------------------------------- XINFO STREAM

void TestReplyParsers::streamInfo_data()
{
    QTest::addColumn<QByteArray>("wire");
    QTest::addColumn<qint64>("length");
    QTest::addColumn<qint64>("radixKeys");
    QTest::addColumn<qint64>("radixNodes");
    QTest::addColumn<qint64>("groups");
    QTest::addColumn<QByteArray>("lastGenerated");
    QTest::addColumn<QByteArray>("maxDeleted");    // "none" when absent
    QTest::addColumn<QByteArray>("entriesAdded");  // "nil" when absent
    QTest::addColumn<QByteArray>("recordedFirst"); // "none" when absent
    QTest::addColumn<QByteArray>("firstEntry");    // "none" when the stream is empty
    QTest::addColumn<QByteArray>("lastEntry");

    QTest::newRow("Redis 7.0") << streamInfo70 << 3ll << 1ll << 2ll << 2ll
                               << QByteArray("1700000000002-0") << QByteArray("0-0")
                               << QByteArray("3") << QByteArray("1700000000000-0")
                               << QByteArray("1700000000000-0") << QByteArray("1700000000002-0");
    QTest::newRow("Redis 7.0, after XDEL")
        << streamInfo70AfterDelete << 2ll << 1ll << 2ll << 3ll << QByteArray("1700000000002-0")
        << QByteArray("1700000000001-0") << QByteArray("3") << QByteArray("1700000000000-0")
        << QByteArray("1700000000000-0") << QByteArray("1700000000002-0");
    QTest::newRow("Redis 7.0, empty stream: nil first and last entry")
        << streamInfo70Empty << 0ll << 0ll << 1ll << 0ll << QByteArray("1-1") << QByteArray("1-1")
        << QByteArray("1") << QByteArray("0-0") << QByteArray("none") << QByteArray("none");
    QTest::newRow("Redis 6.2 shape: no 7.0 fields")
        << streamInfo62() << 2ll << 1ll << 2ll << 1ll << QByteArray("1638125141232-0")
        << QByteArray("none") << QByteArray("nil") << QByteArray("none")
        << QByteArray("1638125133432-0") << QByteArray("1638125141232-0");
    QTest::newRow("Redis 6.2 shape, empty stream")
        << fields({{"length", num(0)},
                   {"radix-tree-keys", num(0)},
                   {"radix-tree-nodes", num(1)},
                   {"last-generated-id", bulk("0-0")},
                   {"groups", num(0)},
                   {"first-entry", nil},
                   {"last-entry", nil}})
        << 0ll << 0ll << 1ll << 0ll << QByteArray("0-0") << QByteArray("none") << QByteArray("nil")
        << QByteArray("none") << QByteArray("none") << QByteArray("none");
    QTest::newRow("fields of a future version are ignored")
        << fields({{"length", num(1)},
                   {"last-generated-id", bulk("5-0")},
                   {"some-future-field", arr(2) + num(1) + nil},
                   {"another-one", nil}})
        << 1ll << 0ll << 0ll << 0ll << QByteArray("5-0") << QByteArray("none") << QByteArray("nil")
        << QByteArray("none") << QByteArray("none") << QByteArray("none");
    QTest::newRow("numbers sent as bulk strings")
        << fields({{"length", bulk("12")},
                   {"groups", bulk("3")},
                   {"last-generated-id", bulk("9-9")},
                   {"entries-added", bulk("40")}})
        << 12ll << 0ll << 0ll << 3ll << QByteArray("9-9") << QByteArray("none") << QByteArray("40")
        << QByteArray("none") << QByteArray("none") << QByteArray("none");
    QTest::newRow("field names as status replies")
        << QByteArray("*4\r\n+length\r\n:7\r\n+last-generated-id\r\n$3\r\n7-0\r\n") << 7ll << 0ll
        << 0ll << 0ll << QByteArray("7-0") << QByteArray("none") << QByteArray("nil")
        << QByteArray("none") << QByteArray("none") << QByteArray("none");
}

void TestReplyParsers::streamInfo()
{
    QFETCH(QByteArray, wire);
    QFETCH(qint64, length);
    QFETCH(qint64, radixKeys);
    QFETCH(qint64, radixNodes);
    QFETCH(qint64, groups);
    QFETCH(QByteArray, lastGenerated);
    QFETCH(QByteArray, maxDeleted);
    QFETCH(QByteArray, entriesAdded);
    QFETCH(QByteArray, recordedFirst);
    QFETCH(QByteArray, firstEntry);
    QFETCH(QByteArray, lastEntry);

    RedisValue reply;
    DECODE_ONE(wire, reply);
    QString error;
    const std::optional<StreamInfo> info = parseStreamInfo(reply, &error);
    QVERIFY2(info, qPrintable(error));
    QCOMPARE(info->length, length);
    QCOMPARE(info->radixTreeKeys, radixKeys);
    QCOMPARE(info->radixTreeNodes, radixNodes);
    QCOMPARE(info->groups, groups);
    QCOMPARE(info->lastGeneratedId.toByteArray(), lastGenerated);
    QCOMPARE(optionalId(info->maxDeletedEntryId), maxDeleted);
    QCOMPARE(optionalInt(info->entriesAdded), entriesAdded);
    QCOMPARE(optionalId(info->recordedFirstEntryId), recordedFirst);
    QCOMPARE(optionalId(info->firstEntryId), firstEntry);
    QCOMPARE(optionalId(info->lastEntryId), lastEntry);
}

void TestReplyParsers::streamInfoRejects_data()
{
    QTest::addColumn<QByteArray>("wire");
    QTest::addColumn<QString>("message");

    auto row = [](const char *name, const QByteArray &wire, const char *message) {
        QTest::newRow(name) << wire << QString::fromLatin1(message);
    };
    const QByteArray id = bulk("last-generated-id") + bulk("1-0");
    // Error replies, recorded from Redis 7.0: their text is the message.
    row("no such key", "-ERR no such key\r\n", "ERR no such key");
    row("not a stream", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n",
        "WRONGTYPE Operation against a key holding the wrong kind of value");
    row("no permission",
        "-NOPERM User viewer has no permissions to run the 'xinfo|stream' "
        "command\r\n",
        "NOPERM");

    row("nil", nil, "XINFO STREAM: expected an array reply");
    row("nil array", "*-1\r\n", "XINFO STREAM: expected an array reply");
    row("integer", ":3\r\n", "XINFO STREAM: expected an array reply");
    row("bulk string", bulk("length"), "XINFO STREAM: expected an array reply");
    row("odd number of elements", arr(3) + bulk("length") + num(3) + bulk("groups"),
        "odd number of elements");
    row("one element", arr(1) + bulk("length"), "odd number of elements");
    row("field name is an integer", arr(4) + num(1) + num(3) + id, "field name is not a string");
    row("field name is nil", arr(4) + nil + num(3) + id, "field name is not a string");
    row("field name is an array", arr(4) + arr(0) + num(3) + id, "field name is not a string");
    row("length is nil", arr(4) + bulk("length") + nil + id, "unexpected value for \"length\"");
    row("length is text", arr(4) + bulk("length") + bulk("many") + id,
        "unexpected value for \"length\"");
    row("length is an array", arr(4) + bulk("length") + arr(1) + num(3) + id,
        "unexpected value for \"length\"");
    row("length is an error", arr(4) + bulk("length") + "-ERR x\r\n" + id,
        "unexpected value for \"length\"");
    row("groups is text", arr(6) + bulk("length") + num(1) + id + bulk("groups") + bulk("two"),
        "unexpected value for \"groups\"");
    row("last-generated-id is not an id",
        arr(4) + bulk("length") + num(1) + bulk("last-generated-id") + bulk("yesterday"),
        "unexpected value for \"last-generated-id\"");
    row("last-generated-id is nil",
        arr(4) + bulk("length") + num(1) + bulk("last-generated-id") + nil,
        "unexpected value for \"last-generated-id\"");
    row("last-generated-id is an integer",
        arr(4) + bulk("length") + num(1) + bulk("last-generated-id") + num(5),
        "unexpected value for \"last-generated-id\"");
    row("max-deleted-entry-id is not an id",
        arr(6) + bulk("length") + num(1) + id + bulk("max-deleted-entry-id") + bulk("0-x"),
        "unexpected value for \"max-deleted-entry-id\"");
    row("entries-added is an array",
        arr(6) + bulk("length") + num(1) + id + bulk("entries-added") + arr(0),
        "unexpected value for \"entries-added\"");
    row("first-entry is a bare id",
        arr(6) + bulk("length") + num(1) + id + bulk("first-entry") + bulk("1-0"),
        "unexpected value for \"first-entry\"");
    row("first-entry has no fields",
        arr(6) + bulk("length") + num(1) + id + bulk("first-entry") + arr(1) + bulk("1-0"),
        "unexpected value for \"first-entry\"");
    row("first-entry id is nil",
        arr(6) + bulk("length") + num(1) + id + bulk("first-entry") + arr(2) + nil + arr(0),
        "unexpected value for \"first-entry\"");
    row("last-entry id is not an id",
        arr(6) + bulk("length") + num(1) + id + bulk("last-entry") + arr(2) + bulk("x") + arr(0),
        "unexpected value for \"last-entry\"");
    row("empty field list", "*0\r\n", "no length field");
    row("no length", arr(4) + id + bulk("groups") + num(0), "no length field");
    row("no last-generated-id", arr(4) + bulk("length") + num(1) + bulk("groups") + num(0),
        "no last-generated-id field");
    row("XINFO STREAM FULL (groups is a list)",
        arr(6) + bulk("length") + num(0) + id + bulk("groups") + arr(0),
        "unexpected value for \"groups\"");
}

void TestReplyParsers::streamInfoRejects()
{
    QFETCH(QByteArray, wire);
    QFETCH(QString, message);
    RedisValue reply;
    DECODE_ONE(wire, reply);
    QString error;
    QVERIFY(!parseStreamInfo(reply, &error));
    QVERIFY2(error.contains(message), qPrintable(error));
    QVERIFY(!parseStreamInfo(reply, nullptr));
}

// ---------------------------------------------------------------------------- XINFO GROUPS

void TestReplyParsers::groupsInfo_data()
{
    QTest::addColumn<QByteArray>("wire");
    QTest::addColumn<QByteArrayList>("groups"); // summary() of each group

    QTest::newRow("Redis 7.0, entries-read nil")
        << groupsInfo70
        << QByteArrayList{"g1 consumers=1 pending=1 last=1700000000000-0 read=1 lag=2",
                          "g2 consumers=0 pending=0 last=1700000000002-0 read=nil lag=0"};
    QTest::newRow("Redis 7.0 after XDEL, lag nil")
        << groupsInfo70AfterDelete
        << QByteArrayList{"g1 consumers=1 pending=1 last=1700000000000-0 read=1 lag=nil",
                          "g2 consumers=0 pending=0 last=1700000000002-0 read=nil lag=0",
                          "g3 consumers=0 pending=0 last=1700000000001-0 read=nil lag=nil"};
    QTest::newRow("Redis 6.2 shape, no entries-read or lag")
        << groupsInfo62()
        << QByteArrayList{"mygroup consumers=2 pending=2 last=1638126030001-0 read=nil lag=nil",
                          "some-other-group consumers=1 pending=0 last=1638126028070-0 read=nil "
                          "lag=nil"};
    QTest::newRow("no groups (recorded)") << QByteArray("*0\r\n") << QByteArrayList{};
    QTest::newRow("binary group name, fields in another order, unknown field")
        << QByteArray(arr(1)
                      + fields({{"lag", num(0)},
                                {"future-field", arr(0)},
                                {"last-delivered-id", bulk("3-4")},
                                {"pending", num(10)},
                                {"name", bulk(raw("g\r\n\0"))},
                                {"entries-read", num(99)},
                                {"consumers", num(5)}}))
        << QByteArrayList{raw("g\r\n\0") + " consumers=5 pending=10 last=3-4 read=99 lag=0"};
}

void TestReplyParsers::groupsInfo()
{
    QFETCH(QByteArray, wire);
    QFETCH(QByteArrayList, groups);
    RedisValue reply;
    DECODE_ONE(wire, reply);
    QString error;
    const std::optional<QList<GroupInfo>> parsed = parseGroupsInfo(reply, &error);
    QVERIFY2(parsed, qPrintable(error));
    QByteArrayList got;
    for (const GroupInfo &g : *parsed)
        got.append(summary(g));
    QCOMPARE(got, groups);
}

void TestReplyParsers::groupsInfoRejects_data()
{
    QTest::addColumn<QByteArray>("wire");
    QTest::addColumn<QString>("message");

    auto row = [](const char *name, const QByteArray &wire, const char *message) {
        QTest::newRow(name) << wire << QString::fromLatin1(message);
    };
    auto group = [](const QByteArray &name, const QByteArray &extra = {}, int extraFields = 0) {
        return arr(8 + 2 * extraFields) + bulk("name") + name + bulk("consumers") + num(0)
               + bulk("pending") + num(0) + bulk("last-delivered-id") + bulk("0-0") + extra;
    };
    row("no such key (recorded)", "-ERR no such key\r\n", "ERR no such key");
    row("not a stream", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n",
        "WRONGTYPE");
    row("nil", nil, "XINFO GROUPS: expected an array reply");
    row("integer", ":0\r\n", "XINFO GROUPS: expected an array reply");
    row("group is an integer", arr(1) + num(1), "XINFO GROUPS: expected an array reply");
    row("group is nil", arr(2) + group(bulk("g1")) + nil, "XINFO GROUPS: expected an array");
    row("group is an error", arr(1) + "-ERR inner\r\n", "ERR inner");
    row("group with an odd field count", arr(1) + arr(3) + bulk("name") + bulk("g") + bulk("x"),
        "odd number of elements");
    row("field name is an integer", arr(1) + arr(2) + num(1) + bulk("g"),
        "field name is not a string");
    row("name is nil", arr(1) + group(nil), "unexpected value for \"name\"");
    row("name is an integer", arr(1) + group(num(7)), "unexpected value for \"name\"");
    row("consumers is text",
        arr(1) + arr(4) + bulk("name") + bulk("g") + bulk("consumers") + bulk("some"),
        "unexpected value for \"consumers\"");
    row("pending is nil", arr(1) + arr(4) + bulk("name") + bulk("g") + bulk("pending") + nil,
        "unexpected value for \"pending\"");
    row("last-delivered-id is not an id",
        arr(1) + arr(4) + bulk("name") + bulk("g") + bulk("last-delivered-id") + bulk("latest"),
        "unexpected value for \"last-delivered-id\"");
    row("entries-read is text", arr(1) + group(bulk("g"), bulk("entries-read") + bulk("x"), 1),
        "unexpected value for \"entries-read\"");
    row("lag is an array", arr(1) + group(bulk("g"), bulk("lag") + arr(1) + num(1), 1),
        "unexpected value for \"lag\"");
    row("lag is an error", arr(1) + group(bulk("g"), bulk("lag") + "-ERR x\r\n", 1),
        "unexpected value for \"lag\"");
    row("no name",
        arr(1) + arr(6) + bulk("consumers") + num(0) + bulk("pending") + num(0)
            + bulk("last-delivered-id") + bulk("0-0"),
        "a group without a name");
    row("empty group", arr(1) + arr(0), "a group without a name");
    row("no last-delivered-id",
        arr(1) + arr(6) + bulk("name") + bulk("g") + bulk("consumers") + num(0) + bulk("pending")
            + num(0),
        "group \"g\" lacks");
    row("no pending",
        arr(1) + arr(6) + bulk("name") + bulk("g") + bulk("consumers") + num(0)
            + bulk("last-delivered-id") + bulk("0-0"),
        "group \"g\" lacks");
    row("a name and nothing else", arr(1) + arr(2) + bulk("name") + bulk("g"), "group \"g\" lacks");
    row("second group broken", arr(2) + group(bulk("g1")) + arr(1) + bulk("name"),
        "odd number of elements");
}

void TestReplyParsers::groupsInfoRejects()
{
    QFETCH(QByteArray, wire);
    QFETCH(QString, message);
    RedisValue reply;
    DECODE_ONE(wire, reply);
    QString error;
    QVERIFY(!parseGroupsInfo(reply, &error));
    QVERIFY2(error.contains(message), qPrintable(error));
    QVERIFY(!parseGroupsInfo(reply, nullptr));
}

// ---------------------------------------------------------------------------- SCAN

void TestReplyParsers::scanPage_data()
{
    QTest::addColumn<QByteArray>("wire");
    QTest::addColumn<QByteArray>("cursor");
    QTest::addColumn<QByteArrayList>("keys");

    QTest::newRow("last page (recorded)")
        << scan70 << QByteArray("0") << QByteArrayList{"str", "s", "e"};
    QTest::newRow("more to come, no keys on this page")
        << QByteArray(arr(2) + bulk("1572864") + arr(0)) << QByteArray("1572864")
        << QByteArrayList{};
    QTest::newRow("largest cursor")
        << QByteArray(arr(2) + bulk("18446744073709551615") + arr(1) + bulk("k"))
        << QByteArray("18446744073709551615") << QByteArrayList{"k"};
    QTest::newRow("binary keys") << QByteArray(arr(2) + bulk("17") + arr(3) + bulk(raw("a\r\nb"))
                                               + bulk(raw("\0")) + bulk(""))
                                 << QByteArray("17") << QByteArrayList{"a\r\nb", raw("\0"), ""};
}

void TestReplyParsers::scanPage()
{
    QFETCH(QByteArray, wire);
    QFETCH(QByteArray, cursor);
    QFETCH(QByteArrayList, keys);
    RedisValue reply;
    DECODE_ONE(wire, reply);
    QString error;
    const std::optional<ScanPage> page = parseScanPage(reply, &error);
    QVERIFY2(page, qPrintable(error));
    QCOMPARE(page->cursor, cursor);
    QCOMPARE(page->keys, keys);
}

void TestReplyParsers::scanPageRejects_data()
{
    QTest::addColumn<QByteArray>("wire");
    QTest::addColumn<QString>("message");

    auto row = [](const char *name, const QByteArray &wire, const char *message) {
        QTest::newRow(name) << wire << QString::fromLatin1(message);
    };
    row("error reply", "-ERR invalid cursor\r\n", "ERR invalid cursor");
    row("no permission", "-NOPERM User viewer has no permissions to run the 'scan' command\r\n",
        "NOPERM");
    row("nil", nil, "SCAN: expected [cursor, [keys...]]");
    row("empty array", "*0\r\n", "SCAN: expected");
    row("cursor only", arr(1) + bulk("0"), "SCAN: expected");
    row("three elements", arr(3) + bulk("0") + arr(0) + arr(0), "SCAN: expected");
    row("cursor is an integer", arr(2) + num(0) + arr(0), "SCAN: expected");
    row("cursor is nil", arr(2) + nil + arr(0), "SCAN: expected");
    row("keys are nil", arr(2) + bulk("0") + "*-1\r\n", "SCAN: expected");
    row("keys are a string", arr(2) + bulk("0") + bulk("k"), "SCAN: expected");
    row("cursor is not a number", arr(2) + bulk("next") + arr(0), "cursor is not a number");
    row("cursor is negative", arr(2) + bulk("-1") + arr(0), "cursor is not a number");
    row("cursor is empty", arr(2) + bulk("") + arr(0), "cursor is not a number");
    row("cursor overflows", arr(2) + bulk("18446744073709551616") + arr(0),
        "cursor is not a number");
    row("a key is nil", arr(2) + bulk("0") + arr(2) + bulk("a") + nil, "not a string");
    row("a key is an integer", arr(2) + bulk("0") + arr(1) + num(5), "not a string");
    row("a key is an array", arr(2) + bulk("0") + arr(1) + arr(0), "not a string");
}

void TestReplyParsers::scanPageRejects()
{
    QFETCH(QByteArray, wire);
    QFETCH(QString, message);
    RedisValue reply;
    DECODE_ONE(wire, reply);
    QString error;
    QVERIFY(!parseScanPage(reply, &error));
    QVERIFY2(error.contains(message), qPrintable(error));
    QVERIFY(!parseScanPage(reply, nullptr));
}

// ---------------------------------------------------------------------------- robustness

void TestReplyParsers::neverCrash_data()
{
    QTest::addColumn<QByteArray>("wire");
    QTest::newRow("XINFO STREAM 7.0") << streamInfo70;
    QTest::newRow("XINFO STREAM 7.0, empty") << streamInfo70Empty;
    QTest::newRow("XINFO STREAM 6.2") << streamInfo62();
    QTest::newRow("XINFO GROUPS 7.0") << groupsInfo70AfterDelete;
    QTest::newRow("XINFO GROUPS 6.2") << groupsInfo62();
    QTest::newRow("SCAN") << scan70;
    QTest::newRow("ROLE") << role70;
    QTest::newRow("INFO") << bulk(infoServer70Text);
}

// Every one-place change of a real reply, through every parser: a value or nullopt with
// a message, never a crash (run under ASan/UBSan to catch out-of-bounds reads too).
void TestReplyParsers::neverCrash()
{
    QFETCH(QByteArray, wire);
    RedisValue reply;
    DECODE_ONE(wire, reply);
    const QList<RedisValue> variants = mutations(reply) << reply;
    QVERIFY(variants.size() > 10);
    int rejected = 0;
    for (const RedisValue &v : variants) {
        auto check = [&](bool ok, const QString &error) {
            if (!ok) {
                ++rejected;
                QVERIFY2(!error.isEmpty(), describe(v).constData());
            }
        };
        QString e1, e2, e3, e4, e5;
        check(parseServerInfo(v, &e1).has_value(), e1);
        check(parseRole(v, &e2).has_value(), e2);
        check(parseStreamInfo(v, &e3).has_value(), e3);
        check(parseGroupsInfo(v, &e4).has_value(), e4);
        check(parseScanPage(v, &e5).has_value(), e5);
        parseServerInfo(v, nullptr);
        parseRole(v, nullptr);
        parseStreamInfo(v, nullptr);
        parseGroupsInfo(v, nullptr);
        parseScanPage(v, nullptr);
    }
    QVERIFY(rejected > 0);
}

QTEST_APPLESS_MAIN(TestReplyParsers)
#include "tst_replyparsers.moc"
