// isReadOnlyCommand: the allow-list a read-only connection checks before sending.

#include "commandpolicy.h"

#include <QtTest>

class TestCommandPolicy : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void readOnly_data();
    void readOnly();
};

void TestCommandPolicy::readOnly_data()
{
    QTest::addColumn<QByteArrayList>("argv");
    QTest::addColumn<bool>("readOnly");

    auto row = [](const QByteArrayList &argv, bool readOnly) {
        QTest::newRow(argv.join(' ').constData()) << argv << readOnly;
    };
    // What Weir itself sends to look at streams.
    row({"PING"}, true);
    row({"HELLO", "3"}, true);
    row({"AUTH", "alice", "secret"}, true);
    row({"SELECT", "2"}, true);
    row({"INFO", "server"}, true);
    row({"ROLE"}, true);
    row({"SCAN", "0", "MATCH", "*", "COUNT", "1000", "TYPE", "stream"}, true);
    row({"TYPE", "orders"}, true);
    row({"XLEN", "orders"}, true);
    row({"XRANGE", "orders", "-", "+", "COUNT", "100"}, true);
    row({"XREVRANGE", "orders", "+", "-", "COUNT", "1"}, true);
    row({"XREAD", "COUNT", "10", "STREAMS", "orders", "0"}, true);
    row({"XPENDING", "orders", "g1", "-", "+", "10"}, true);
    row({"XINFO", "STREAM", "orders"}, true);
    row({"XINFO", "STREAM", "orders", "FULL"}, true);
    row({"XINFO", "GROUPS", "orders"}, true);
    row({"XINFO", "CONSUMERS", "orders", "g1"}, true);
    row({"MEMORY", "USAGE", "orders"}, true);
    row({"OBJECT", "ENCODING", "orders"}, true);
    row({"CONFIG", "GET", "databases"}, true);
    row({"CLIENT", "SETNAME", "weir"}, true);
    row({"CLIENT", "LIST"}, true);
    row({"CLUSTER", "SLOTS"}, true);
    row({"SENTINEL", "GET-MASTER-ADDR-BY-NAME", "mymaster"}, true);
    row({"SLOWLOG", "GET", "10"}, true);
    row({"COMMAND"}, true);

    // Case does not matter, in the command or the subcommand.
    row({"xrange", "orders", "-", "+"}, true);
    row({"XInfo", "groups", "orders"}, true);
    row({"config", "get", "maxmemory"}, true);

    // Writes, to streams and to anything else.
    row({"XADD", "orders", "*", "f", "v"}, false);
    row({"XDEL", "orders", "1-1"}, false);
    row({"XTRIM", "orders", "MAXLEN", "0"}, false);
    row({"XACK", "orders", "g1", "1-1"}, false);
    row({"XCLAIM", "orders", "g1", "c1", "0", "1-1"}, false);
    row({"XAUTOCLAIM", "orders", "g1", "c1", "0", "0", "JUSTID"}, false);
    row({"XREADGROUP", "GROUP", "g1", "c1", "STREAMS", "orders", ">"}, false); // moves the PEL
    row({"XREADGROUP", "GROUP", "g1", "c1", "STREAMS", "orders", "0"}, false);
    row({"XGROUP", "CREATE", "orders", "g1", "$"}, false);
    row({"XGROUP", "DESTROY", "orders", "g1"}, false);
    row({"XGROUP", "SETID", "orders", "g1", "0"}, false);
    row({"XSETID", "orders", "5-0"}, false);
    row({"xadd", "orders", "*", "f", "v"}, false);
    row({"SET", "k", "v"}, false);
    row({"DEL", "orders"}, false);
    row({"UNLINK", "orders"}, false);
    row({"EXPIRE", "orders", "10"}, false);
    row({"RENAME", "a", "b"}, false);
    row({"FLUSHALL"}, false);
    row({"FLUSHDB"}, false);
    row({"EVAL", "return redis.call('DEL', 'k')", "0"}, false);
    row({"EVALSHA", "abc", "0"}, false);
    row({"FCALL", "f", "0"}, false);
    row({"MULTI"}, false);
    row({"SWAPDB", "0", "1"}, false);
    row({"MOVE", "k", "1"}, false);
    row({"SHUTDOWN"}, false);
    row({"DEBUG", "SLEEP", "1"}, false);
    row({"SAVE"}, false);
    row({"GETDEL", "k"}, false);
    row({"GETEX", "k", "EX", "10"}, false);

    // Subcommands that administer, under commands that also read.
    row({"CONFIG", "SET", "maxmemory", "1"}, false);
    row({"CONFIG", "REWRITE"}, false);
    row({"CLIENT", "KILL", "ID", "5"}, false);
    row({"CLIENT", "PAUSE", "1000"}, false);
    row({"CLUSTER", "FAILOVER"}, false);
    row({"CLUSTER", "RESET"}, false);
    row({"SENTINEL", "FAILOVER", "mymaster"}, false);
    row({"SENTINEL", "SET", "mymaster", "quorum", "1"}, false);
    row({"SLOWLOG", "RESET"}, false);
    row({"MEMORY", "PURGE"}, false);
    row({"ACL", "SETUSER", "eve", "on"}, false);
    row({"ACL", "DELUSER", "alice"}, false);
    row({"XINFO"}, false);                      // no subcommand
    row({"CONFIG"}, false);                     // no subcommand
    row({"XINFO", "DESTROY", "orders"}, false); // not a real subcommand: not allowed

    // Unknown or odd input counts as a write.
    auto named = [](const char *name, const QByteArrayList &argv, bool readOnly) {
        QTest::newRow(name) << argv << readOnly;
    };
    named("no arguments", {}, false);
    named("empty command name", {""}, false);
    named("unknown command", {"NOSUCHCOMMAND"}, false);
    named("leading space", {" XLEN", "orders"}, false);
    named("command and subcommand in one argument", {"XINFO STREAM", "orders"}, false);
    named("NUL after the name", {QByteArray("XLEN\0", 5), "orders"}, false);
}

void TestCommandPolicy::readOnly()
{
    QFETCH(QByteArrayList, argv);
    QFETCH(bool, readOnly);
    QCOMPARE(isReadOnlyCommand(argv), readOnly);
}

QTEST_APPLESS_MAIN(TestCommandPolicy)
#include "tst_commandpolicy.moc"
