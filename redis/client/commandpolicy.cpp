#include "commandpolicy.h"

#include <QSet>

bool isReadOnlyCommand(const QList<QByteArray> &argv)
{
    if (argv.isEmpty())
        return false;
    static const QSet<QByteArray> reads = {
        "PING",     "ECHO",       "INFO",        "ROLE",      "HELLO",  "AUTH",      "SELECT",
        "TIME",     "DBSIZE",     "LASTSAVE",    "SCAN",      "TYPE",   "EXISTS",    "TTL",
        "PTTL",     "EXPIRETIME", "PEXPIRETIME", "RANDOMKEY", "XRANGE", "XREVRANGE", "XLEN",
        "XPENDING", "XREAD",      "GET",         "MGET",      "STRLEN", "GETRANGE",  "HGET",
        "HGETALL",  "HLEN",       "HKEYS",       "HSCAN",     "LRANGE", "LLEN",      "SMEMBERS",
        "SCARD",    "SSCAN",      "ZRANGE",      "ZCARD",     "ZSCAN",  "READONLY",  "ASKING",
        "QUIT",     "COMMAND"};
    // Commands that read with some subcommands and write (or administer) with others.
    static const QSet<QByteArray> readSubcommands = {"XINFO STREAM",
                                                     "XINFO GROUPS",
                                                     "XINFO CONSUMERS",
                                                     "XINFO HELP",
                                                     "MEMORY USAGE",
                                                     "MEMORY STATS",
                                                     "MEMORY DOCTOR",
                                                     "CLIENT SETNAME",
                                                     "CLIENT GETNAME",
                                                     "CLIENT ID",
                                                     "CLIENT INFO",
                                                     "CLIENT LIST",
                                                     "CLUSTER SLOTS",
                                                     "CLUSTER SHARDS",
                                                     "CLUSTER NODES",
                                                     "CLUSTER INFO",
                                                     "CLUSTER KEYSLOT",
                                                     "CLUSTER MYID",
                                                     "CLUSTER COUNTKEYSINSLOT",
                                                     "SENTINEL GET-MASTER-ADDR-BY-NAME",
                                                     "SENTINEL MASTERS",
                                                     "SENTINEL MASTER",
                                                     "SENTINEL REPLICAS",
                                                     "SENTINEL SLAVES",
                                                     "SENTINEL SENTINELS",
                                                     "CONFIG GET",
                                                     "SLOWLOG GET",
                                                     "SLOWLOG LEN",
                                                     "OBJECT ENCODING",
                                                     "OBJECT FREQ",
                                                     "OBJECT IDLETIME",
                                                     "OBJECT REFCOUNT",
                                                     "ACL WHOAMI",
                                                     "LATENCY LATEST"};
    const QByteArray name = argv.first().toUpper();
    if (reads.contains(name))
        return true;
    if (argv.size() < 2)
        return false;
    return readSubcommands.contains(name + ' ' + argv.at(1).toUpper());
}
