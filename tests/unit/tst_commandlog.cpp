// How the command log writes requests and replies: arguments quoted and escaped as
// redis-cli would, long ones cut, secrets redacted, pipelines and replies summed up in a
// bounded line.

#include "commandlog.h"

#include <QtTest>

using namespace commandlog;

Q_DECLARE_METATYPE(RedisCommand)

class TestCommandLog : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void argument_data();
    void argument();
    void redaction_data();
    void redaction();
    void manyArgumentsAreCounted();
    void pipeline_data();
    void pipeline();
    void reply_data();
    void reply();
    void result_data();
    void result();
};

void TestCommandLog::argument_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("shown");

    QTest::newRow("plain") << QByteArray("orders:eu") << QStringLiteral("orders:eu");
    QTest::newRow("empty") << QByteArray() << QStringLiteral("\"\"");
    QTest::newRow("space") << QByteArray("a b") << QStringLiteral("\"a b\"");
    QTest::newRow("quote") << QByteArray("say \"hi\"") << QStringLiteral("\"say \\\"hi\\\"\"");
    QTest::newRow("backslash") << QByteArray("a\\b") << QStringLiteral("\"a\\\\b\"");
    QTest::newRow("controls") << QByteArray("l1\nl2\r\t") << QStringLiteral("\"l1\\nl2\\r\\t\"");
    QTest::newRow("nul") << QByteArray("a\0b", 3) << QStringLiteral("\"a\\x00b\"");
    QTest::newRow("binary") << QByteArray("\xff\xfe\x01z")
                            << QStringLiteral("\"\\xff\\xfe\\x01z\"");
    QTest::newRow("utf-8 text") << QByteArray("caf\xc3\xa9") << QStringLiteral("café");
    QTest::newRow("utf-8 and space") << QByteArray("\xe2\x82\xac 5") << QStringLiteral("\"€ 5\"");
    QTest::newRow("long") << QByteArray(100, 'x')
                          << QString(64, QLatin1Char('x')) + QStringLiteral("…(100 bytes)");
    // Cut before a character, never inside it: é is two bytes, at 63 and 64.
    QTest::newRow("long utf-8") << QByteArray(63, 'a') + QByteArray("\xc3\xa9") + "tail"
                                << QString(63, QLatin1Char('a')) + QStringLiteral("…(69 bytes)");
    QTest::newRow("long binary") << QByteArray(70, '\0')
                                 << QLatin1Char('"') + QStringLiteral("\\x00").repeated(64)
                                        + QStringLiteral("\"…(70 bytes)");
}

void TestCommandLog::argument()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QString, shown);
    QCOMPARE(formatArgument(bytes), shown);
}

void TestCommandLog::redaction_data()
{
    QTest::addColumn<QByteArrayList>("argv");
    QTest::addColumn<QString>("shown");

    auto row = [](const char *name, const QByteArrayList &argv, const char *shown) {
        QTest::newRow(name) << argv << QString::fromUtf8(shown);
    };
    row("AUTH password", {"AUTH", "s3cret-pw"}, "AUTH (redacted)");
    row("auth lower case", {"auth", "s3cret-pw"}, "AUTH (redacted)");
    row("AUTH user password", {"AUTH", "alice", "s3cret-pw"}, "AUTH alice (redacted)");
    row("AUTH too many", {"AUTH", "alice", "s3cret-pw", "s3cret-pw"},
        "AUTH alice (redacted) (redacted)");
    row("HELLO AUTH", {"HELLO", "3", "AUTH", "alice", "s3cret-pw"},
        "HELLO 3 AUTH alice (redacted)");
    row("HELLO AUTH SETNAME", {"hello", "2", "auth", "alice", "s3cret-pw", "SETNAME", "weir"},
        "HELLO 2 auth alice (redacted) SETNAME weir");
    row("HELLO SETNAME first", {"HELLO", "3", "SETNAME", "AUTH", "AUTH", "bob", "s3cret-pw"},
        "HELLO 3 SETNAME AUTH AUTH bob (redacted)");
    row("HELLO AUTH without user", {"HELLO", "3", "AUTH", "s3cret-pw"}, "HELLO 3 AUTH (redacted)");
    row("HELLO no AUTH", {"HELLO", "2", "SETNAME", "weir"}, "HELLO 2 SETNAME weir");
    row("MIGRATE AUTH", {"MIGRATE", "h", "6379", "", "0", "5000", "COPY", "AUTH", "s3cret-pw"},
        "MIGRATE h 6379 \"\" 0 5000 COPY AUTH (redacted)");
    row("MIGRATE AUTH2",
        {"MIGRATE", "h", "6379", "", "0", "5000", "AUTH2", "u", "s3cret-pw", "KEYS", "k1", "k2"},
        "MIGRATE h 6379 \"\" 0 5000 AUTH2 u (redacted) KEYS … (+2 more arguments)");
    row("CONFIG SET requirepass", {"CONFIG", "SET", "maxmemory", "1gb", "requirepass", "s3cret-pw"},
        "CONFIG SET maxmemory 1gb requirepass (redacted)");
    row("CONFIG SET masterauth", {"config", "set", "MasterAuth", "s3cret-pw"},
        "CONFIG set MasterAuth (redacted)");
    row("CONFIG GET requirepass", {"CONFIG", "GET", "requirepass"}, "CONFIG GET requirepass");
    row("ACL SETUSER",
        {"ACL", "SETUSER", "bob", "on", ">s3cret-pw", "~*", "+@all", "#4a5b", "<s3cret-pw"},
        "ACL SETUSER bob on (redacted) ~* +@all (redacted) (redacted)");
    row("SENTINEL SET auth-pass", {"SENTINEL", "SET", "mymaster", "auth-pass", "s3cret-pw"},
        "SENTINEL SET mymaster auth-pass (redacted)");
    row("SENTINEL CONFIG SET", {"SENTINEL", "CONFIG", "SET", "sentinel-pass", "s3cret-pw"},
        "SENTINEL CONFIG SET sentinel-pass (redacted)");
    // Nothing else is a secret, even where it looks like one.
    row("SET", {"SET", "AUTH", "password"}, "SET AUTH password");
    row("XADD", {"XADD", "s", "*", "auth", "x"}, "XADD s * auth x");
}

void TestCommandLog::redaction()
{
    QFETCH(QByteArrayList, argv);
    QFETCH(QString, shown);
    const QString text = describeCommand(argv);
    QCOMPARE(text, shown);
    QVERIFY(!text.contains(QLatin1String("s3cret")));
    // The same command in a pipeline, long or short.
    QVERIFY(!describeRequest({argv, RedisCommand{"PING"}}).contains(QLatin1String("s3cret")));
    QList<RedisCommand> many(20, RedisCommand(argv));
    QVERIFY(!describeRequest(many).contains(QLatin1String("s3cret")));
}

void TestCommandLog::manyArgumentsAreCounted()
{
    QList<QByteArray> argv{"XACK", "orders", "g"};
    for (int i = 0; i < 1000; ++i)
        argv.append(QByteArray::number(i + 1) + "-0");
    QCOMPARE(describeCommand(argv),
             QStringLiteral("XACK orders g 1-0 2-0 3-0 4-0 5-0 6-0 7-0 … (+993 more arguments)"));
    // Cut to MaxArguments even when every argument is as long as allowed.
    QList<QByteArray> wide{"SET"};
    for (int i = 0; i < 100; ++i)
        wide.append(QByteArray(1000, 'v'));
    QVERIFY(describeCommand(wide).size() < MaxArguments * (MaxArgumentBytes + 20));
}

void TestCommandLog::pipeline_data()
{
    QTest::addColumn<QList<RedisCommand>>("commands");
    QTest::addColumn<QString>("shown");

    QTest::newRow("one") << QList<RedisCommand>{{"xlen", "orders"}}
                         << QStringLiteral("XLEN orders");
    QTest::newRow("four") << QList<RedisCommand>{{"MULTI"},
                                                 {"SET", "a", "1"},
                                                 {"GET", "a"},
                                                 {"EXEC"}}
                          << QStringLiteral("MULTI ; SET a 1 ; GET a ; EXEC");
    QList<RedisCommand> acks;
    for (int i = 0; i < 1000; ++i)
        acks.append(RedisCommand{"XACK", "orders", "g", QByteArray::number(i + 1) + "-0"});
    QTest::newRow("1000 alike") << acks
                                << QStringLiteral("XACK orders g 1-0 ; … (1000 commands: XACK)");
    QList<RedisCommand> mixed{{"MULTI"}};
    mixed += acks.mid(0, 5);
    mixed.append({"EXEC"});
    QTest::newRow("mixed") << mixed
                           << QStringLiteral("MULTI ; … (7 commands: MULTI, XACK ×5, EXEC)");
    QList<RedisCommand> names;
    for (const char *name : {"A", "B", "C", "D", "E", "F", "G"})
        names.append(RedisCommand{QByteArray(name)});
    QList<RedisCommand> info;
    for (const char *key : {"a", "b", "c"}) {
        info.append(RedisCommand{"XINFO", "STREAM", QByteArray(key)});
        info.append(RedisCommand{"xinfo", "groups", QByteArray(key)});
    }
    QTest::newRow("subcommands") << info
                                 << QStringLiteral("XINFO STREAM a ; … (6 commands: XINFO STREAM "
                                                   "×3, XINFO GROUPS ×3)");
    QTest::newRow("many names") << names << QStringLiteral("A ; … (7 commands: A, B, C, D, E, …)");
}

void TestCommandLog::pipeline()
{
    QFETCH(QList<RedisCommand>, commands);
    QFETCH(QString, shown);
    QCOMPARE(describeRequest(commands), shown);
}

void TestCommandLog::reply_data()
{
    QTest::addColumn<RedisValue>("reply");
    QTest::addColumn<QString>("shown");

    QTest::newRow("nil") << RedisValue::nil() << QStringLiteral("(nil)");
    QTest::newRow("integer") << RedisValue::integer(-5) << QStringLiteral("(integer) -5");
    QTest::newRow("status") << RedisValue::status("OK") << QStringLiteral("OK");
    QTest::newRow("string") << RedisValue::string("v1") << QStringLiteral("\"v1\"");
    QTest::newRow("binary string")
        << RedisValue::string(QByteArray("\x00\x01", 2)) << QStringLiteral("\"\\x00\\x01\"");
    QTest::newRow("long string") << RedisValue::string(QByteArray(5000, 'a'))
                                 << QLatin1Char('"') + QString(64, QLatin1Char('a'))
                                        + QStringLiteral("\"…(5000 bytes)");
    QTest::newRow("error") << RedisValue::error("WRONGTYPE Operation against a key holding "
                                                "the wrong kind of value")
                           << QStringLiteral("(error) WRONGTYPE Operation against a key "
                                             "holding the wrong kind of value");
    QTest::newRow("empty array") << RedisValue::array({}) << QStringLiteral("(empty array)");
    QTest::newRow("array 1") << RedisValue::array({RedisValue::nil()})
                             << QStringLiteral("(array, 1 item)");
    QTest::newRow("array 3") << RedisValue::array(QList<RedisValue>(3))
                             << QStringLiteral("(array, 3 items)");
}

void TestCommandLog::reply()
{
    QFETCH(RedisValue, reply);
    QFETCH(QString, shown);
    QCOMPARE(describeReply(reply), shown);
}

void TestCommandLog::result_data()
{
    QTest::addColumn<RedisResult>("result");
    QTest::addColumn<QString>("shown");
    QTest::addColumn<bool>("error");

    auto ok = [](QList<RedisValue> replies) {
        RedisResult r;
        r.replies = std::move(replies);
        return r;
    };
    RedisResult timeout;
    timeout.failure = RedisResult::Failure::Timeout;
    timeout.error = QStringLiteral("No reply from 127.0.0.1:1 within 10000 ms");
    QTest::newRow("timeout") << timeout
                             << QStringLiteral("(timeout) No reply from 127.0.0.1:1 within "
                                               "10000 ms")
                             << true;
    RedisResult readOnly;
    readOnly.failure = RedisResult::Failure::ReadOnly;
    readOnly.error = QStringLiteral("SET changes data");
    QTest::newRow("read-only") << readOnly
                               << QStringLiteral("(refused: read-only) SET changes data") << true;
    QTest::newRow("one") << ok({RedisValue::integer(3)}) << QStringLiteral("(integer) 3") << false;
    QTest::newRow("one error") << ok({RedisValue::error("ERR no")})
                               << QStringLiteral("(error) ERR no") << true;
    QTest::newRow("few") << ok({RedisValue::status("OK"), RedisValue::string("1")})
                         << QStringLiteral("OK ; \"1\"") << false;
    QTest::newRow("alike") << ok(QList<RedisValue>(1000, RedisValue::integer(1)))
                           << QStringLiteral("(integer) 1 ×1000") << false;
    QList<RedisValue> different;
    for (int i = 0; i < 1000; ++i)
        different.append(RedisValue::integer(i));
    QTest::newRow("different") << ok(
        different) << QStringLiteral("(integer) 0 ; (integer) 1 ; (integer) 2 ; … (1000 replies)")
                               << false;
    QList<RedisValue> errors = different;
    errors[4] = RedisValue::error("WRONGTYPE first");
    QTest::newRow("an error") << ok(errors)
                              << QStringLiteral("(error) WRONGTYPE first (reply 5 of 1000)")
                              << true;
    // EXEC: the errors of the commands it ran are inside its reply.
    const RedisValue exec =
        RedisValue::array({RedisValue::integer(1), RedisValue::error("WRONGTYPE in exec"),
                           RedisValue::nil(), RedisValue::error("ERR in exec")});
    QTest::newRow("exec") << ok({RedisValue::status("OK"), RedisValue::status("QUEUED"),
                                 RedisValue::status("QUEUED"), exec})
                          << QStringLiteral("(error) WRONGTYPE in exec (reply 4 of 4; 2 errors "
                                            "in all)")
                          << true;
    QTest::newRow("exec alone") << ok({RedisValue::array({RedisValue::error("ERR in exec")})})
                                << QStringLiteral("(error) ERR in exec") << true;
    QTest::newRow("exec fine") << ok({RedisValue::array({RedisValue::integer(1)})})
                               << QStringLiteral("(array, 1 item)") << false;
    errors[900] = RedisValue::error("WRONGTYPE second");
    errors[901] = RedisValue::error("ERR third");
    QTest::newRow("errors") << ok(errors)
                            << QStringLiteral("(error) WRONGTYPE first (reply 5 of 1000; 3 "
                                              "errors in all)")
                            << true;
}

void TestCommandLog::result()
{
    QFETCH(RedisResult, result);
    QFETCH(QString, shown);
    QFETCH(bool, error);
    bool failed = !error;
    QCOMPARE(describeResult(result, &failed), shown);
    QCOMPARE(failed, error);
}

QTEST_APPLESS_MAIN(TestCommandLog)
#include "tst_commandlog.moc"
