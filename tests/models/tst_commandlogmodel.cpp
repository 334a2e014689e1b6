// CommandLogModel against a real redis-server, under QAbstractItemModelTester: what a
// RedisConnection sends shows up as one bounded, redacted row per request, with its result
// and duration; the bound drops the oldest rows; no password ever reaches the log.
#include "commandlogmodel.h"
#include "livemodeltest.h"

#include <QAbstractItemModelTester>
#include <QColor>
#include <QSignalSpy>
#include <QTest>

static QStringList strings(std::initializer_list<const char *> texts)
{
    QStringList list;
    for (const char *text : texts)
        list.append(QString::fromUtf8(text));
    return list;
}

class TestCommandLogModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void commandsAppearWithResultAndDuration();
    void errorsAreShownVerbatim_data();
    void errorsAreShownVerbatim();
    void pipelineOfThousandIsOneBoundedLine();
    void cursorWalkIsOneLine();
    void cancelledRequestIsLogged();
    void failuresAreLogged();
    void boundDropsTheOldest();
    void burstIsInsertedInOneGo();
    void clearEmpties();
    void passwordsNeverReachTheLog();
    void wrongPasswordNeverReachesTheLog();

private:
    // Sends one request through the live connection and waits for its result.
    RedisResult send(const QList<RedisCommand> &commands, RedisConnection *connection = nullptr);
    // Every cell of every row, as shown and as a tooltip, and the rows as copied.
    QString everything() const;
    QStringList column(int column) const;

    LiveRedis m_redis;
    std::unique_ptr<CommandLogModel> m_model;
    std::unique_ptr<QAbstractItemModelTester> m_tester;
};

void TestCommandLogModel::init()
{
    m_model = std::make_unique<CommandLogModel>();
    m_tester = std::make_unique<QAbstractItemModelTester>(
        m_model.get(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    m_redis.start();
    m_model->attach(m_redis.connection(), QStringLiteral("live"));
}

void TestCommandLogModel::cleanup()
{
    m_tester.reset();
    m_model.reset();
    m_redis.stop();
}

RedisResult TestCommandLogModel::send(const QList<RedisCommand> &commands,
                                      RedisConnection *connection)
{
    std::optional<RedisResult> result;
    (connection ? connection : m_redis.connection())
        ->send(commands, nullptr, [&result](const RedisResult &r) { result = r; });
    [&] { QTRY_VERIFY_WITH_TIMEOUT(result.has_value(), 20000); }();
    return result.value_or(RedisResult{});
}

QString TestCommandLogModel::everything() const
{
    QString text;
    QList<int> rows;
    for (int row = 0; row < m_model->rowCount(); ++row) {
        rows.append(row);
        for (int column = 0; column < m_model->columnCount(); ++column) {
            const QModelIndex index = m_model->index(row, column);
            text += index.data().toString() + QLatin1Char('\n');
            text += index.data(Qt::ToolTipRole).toString() + QLatin1Char('\n');
        }
    }
    return text + m_model->rowsAsText(rows);
}

QStringList TestCommandLogModel::column(int column) const
{
    QStringList texts;
    for (int row = 0; row < m_model->rowCount(); ++row)
        texts.append(m_model->index(row, column).data().toString());
    return texts;
}

void TestCommandLogModel::commandsAppearWithResultAndDuration()
{
    const QDateTime before = QDateTime::currentDateTime().addMSecs(-1);
    send({{"SET", "greeting", "hello world"}});
    send({{"get", "greeting"}});
    send({{"INCR", "n"}});
    send({{"GET", "missing"}});
    send({{"RPUSH", "list", "a", "b", "c"}});
    send({{"LRANGE", "list", "0", "-1"}});
    send({{"SET", "bin", QByteArray("\x00\xff", 2)}});
    QTRY_COMPARE(m_model->rowCount(), 7);

    QCOMPARE(column(CommandLogModel::Command),
             strings({"SET greeting \"hello world\"", "GET greeting", "INCR n", "GET missing",
                      "RPUSH list a b c", "LRANGE list 0 -1", "SET bin \"\\x00\\xff\""}));
    QCOMPARE(column(CommandLogModel::Result),
             strings({"OK", "\"hello world\"", "(integer) 1", "(nil)", "(integer) 3",
                      "(array, 3 items)", "OK"}));
    for (int row = 0; row < m_model->rowCount(); ++row) {
        const CommandLogEntry &entry = m_model->entryAt(row);
        QCOMPARE(entry.connection, QStringLiteral("live"));
        QCOMPARE(m_model->index(row, CommandLogModel::Connection).data().toString(),
                 QStringLiteral("live"));
        QVERIFY(!entry.error);
        QVERIFY(!m_model->index(row, CommandLogModel::Result).data(Qt::ForegroundRole).isValid());
        QVERIFY(entry.durationMs >= 0);
        QCOMPARE(m_model->index(row, CommandLogModel::Duration).data().toString(),
                 QStringLiteral("%1 ms").arg(entry.durationMs));
        QVERIFY(entry.time >= before && entry.time <= QDateTime::currentDateTime());
        QCOMPARE(m_model->index(row, CommandLogModel::Time).data().toString(),
                 entry.time.toString(QStringLiteral("HH:mm:ss.zzz")));
    }
    // Oldest first.
    for (int row = 1; row < m_model->rowCount(); ++row)
        QVERIFY(m_model->entryAt(row - 1).time <= m_model->entryAt(row).time);
}

void TestCommandLogModel::errorsAreShownVerbatim_data()
{
    QTest::addColumn<QByteArrayList>("argv");
    QTest::addColumn<QByteArray>("code");

    QTest::newRow("wrong type") << QByteArrayList{"LPUSH", "text", "x"} << QByteArray("WRONGTYPE");
    QTest::newRow("unknown command")
        << QByteArrayList{"NOSUCHCOMMAND", "a", "b"} << QByteArray("ERR");
    QTest::newRow("no group") << QByteArrayList{"XREADGROUP", "GROUP",    "nogroup", "c",
                                                "STREAMS",    "nostream", ">"}
                              << QByteArray("NOGROUP");
    QTest::newRow("arity") << QByteArrayList{"GET"} << QByteArray("ERR");
}

void TestCommandLogModel::errorsAreShownVerbatim()
{
    QFETCH(QByteArrayList, argv);
    QFETCH(QByteArray, code);
    send({{"SET", "text", "t"}});
    const RedisResult result = send({RedisCommand(argv)});
    QCOMPARE(result.replies.size(), 1);
    const RedisValue reply = result.replies.first();
    QVERIFY(reply.isError());
    QCOMPARE(reply.errorCode(), code);
    QTRY_COMPARE(m_model->rowCount(), 2);

    const QModelIndex cell = m_model->index(1, CommandLogModel::Result);
    QCOMPARE(cell.data().toString(), QStringLiteral("(error) ") + QString::fromUtf8(reply.bytes()));
    QVERIFY(m_model->entryAt(1).error);
    QVERIFY(cell.data(CommandLogModel::ErrorRole).toBool());
    // Errors are marked in red, in every column.
    for (int column = 0; column < m_model->columnCount(); ++column) {
        const QColor color = m_model->index(1, column).data(Qt::ForegroundRole).value<QColor>();
        QVERIFY(color.isValid());
        QVERIFY2(color.red() > 2 * qMax(color.green(), color.blue()), qPrintable(color.name()));
    }
    QVERIFY(!m_model->index(0, 0).data(Qt::ForegroundRole).isValid());
}

void TestCommandLogModel::pipelineOfThousandIsOneBoundedLine()
{
    QList<RedisCommand> adds;
    for (int i = 1; i <= 1000; ++i)
        adds.append(RedisCommand{"XADD", "orders", QByteArray::number(i) + "-0", "payload",
                                 QByteArray(200, 'p')});
    send(adds);
    QList<RedisCommand> wrong(1000, RedisCommand{"SET", "k", "v"});
    wrong[10] = RedisCommand{"XLEN", "k"};
    QList<QByteArray> ack{"XACK", "k", "g"};
    for (int i = 1; i <= 1000; ++i)
        ack.append(QByteArray::number(i) + "-0");
    wrong[11] = RedisCommand(ack); // an error too: k is no stream
    send(wrong);
    QTRY_COMPARE(m_model->rowCount(), 2);

    const CommandLogEntry adding = m_model->entryAt(0);
    QCOMPARE(adding.command, QStringLiteral("XADD orders 1-0 payload ")
                                 + QString(64, QLatin1Char('p'))
                                 + QStringLiteral("…(200 bytes) ; … (1000 commands: XADD)"));
    QVERIFY2(adding.result.startsWith(QStringLiteral("\"1-0\" ; \"2-0\" ; \"3-0\" ; …")),
             qPrintable(adding.result));
    QVERIFY(adding.result.endsWith(QLatin1String("(1000 replies)")));
    QVERIFY(!adding.error);

    const CommandLogEntry failing = m_model->entryAt(1);
    QCOMPARE(failing.command, QStringLiteral("SET k v ; … (1000 commands: SET ×998, XLEN, XACK)"));
    QVERIFY2(failing.result.startsWith(QLatin1String("(error) WRONGTYPE ")),
             qPrintable(failing.result));
    QVERIFY2(failing.result.endsWith(QLatin1String(" (reply 11 of 1000; 2 errors in all)")),
             qPrintable(failing.result));
    QVERIFY(failing.error);
    for (const CommandLogEntry &entry : {adding, failing}) {
        QVERIFY2(entry.command.size() < 400, qPrintable(entry.command));
        QVERIFY2(entry.result.size() < 400, qPrintable(entry.result));
    }
}

void TestCommandLogModel::cursorWalkIsOneLine()
{
    QList<RedisCommand> sets;
    for (int i = 0; i < 50; ++i)
        sets.append(RedisCommand{"SET", "key:" + QByteArray::number(i), "v"});
    send(sets);
    QTRY_COMPARE(m_model->rowCount(), 1);

    int pages = 0;
    bool last = false;
    m_redis.connection()->iterate(RedisCommand{"SCAN", "0", "MATCH", "key:*", "COUNT", "7"},
                                  nullptr, [&](const RedisResult &r) {
                                      ++pages;
                                      last = !r.more;
                                  });
    QTRY_VERIFY(last);
    QVERIFY(pages > 2);
    QTRY_COMPARE(m_model->rowCount(), 2);
    QCOMPARE(m_model->entryAt(1).command, QStringLiteral("SCAN 0 MATCH key:* COUNT 7"));
    QCOMPARE(m_model->entryAt(1).result,
             QStringLiteral("(cursor walk: %1 pages, 50 items)").arg(pages));
    QVERIFY(!m_model->entryAt(1).error);
}

void TestCommandLogModel::cancelledRequestIsLogged()
{
    const quint64 id = m_redis.connection()->send({RedisCommand{"BLPOP", "nothing", "1"}}, nullptr,
                                                  [](const RedisResult &) {});
    m_redis.connection()->cancel(id);
    QTRY_COMPARE(m_model->rowCount(), 1);
    QCOMPARE(m_model->entryAt(0).command, QStringLiteral("BLPOP nothing 1"));
    QCOMPARE(m_model->entryAt(0).result, QStringLiteral("(cancelled)"));
    QVERIFY(!m_model->entryAt(0).error);
    // Once: the reply that comes later is dropped, and so is its log line.
    send({{"PING"}});
    QTRY_COMPARE(m_model->rowCount(), 2);
    QCOMPARE(m_model->entryAt(1).command, QStringLiteral("PING"));
}

void TestCommandLogModel::failuresAreLogged()
{
    // Refused before sending, on a read-only connection.
    ConnectionOptions options = m_redis.connection()->options();
    options.readOnly = true;
    RedisConnection readOnly(options);
    m_model->attach(&readOnly, QStringLiteral("reader"));
    readOnly.open(false);
    QTRY_COMPARE(readOnly.state(), ConnectionState::Connected);
    QTRY_COMPARE(m_model->rowCount(), 1); // its handshake
    QCOMPARE(m_model->entryAt(0).command, QStringLiteral("HELLO 2 SETNAME weir ; INFO server"));
    QVERIFY2(m_model->entryAt(0).result.startsWith(QLatin1String("(array, ")),
             qPrintable(m_model->entryAt(0).result));
    const RedisResult refused = send({{"DEL", "x"}}, &readOnly);
    QCOMPARE(refused.failure, RedisResult::Failure::ReadOnly);
    // Not connected.
    RedisConnection closed(options);
    m_model->attach(&closed, QStringLiteral("closed"));
    const RedisResult notConnected = send({{"GET", "x"}}, &closed);
    QCOMPARE(notConnected.failure, RedisResult::Failure::NotConnected);
    QTRY_COMPARE(m_model->rowCount(), 3);

    QCOMPARE(m_model->entryAt(1).connection, QStringLiteral("reader"));
    QCOMPARE(m_model->entryAt(1).command, QStringLiteral("DEL x"));
    QCOMPARE(m_model->entryAt(1).result, QStringLiteral("(refused: read-only) ") + refused.error);
    QVERIFY(m_model->entryAt(1).error);
    QCOMPARE(m_model->entryAt(2).connection, QStringLiteral("closed"));
    QCOMPARE(m_model->entryAt(2).result, QStringLiteral("(not connected) ") + notConnected.error);
    QVERIFY(m_model->entryAt(2).error);

    // Detached: no more rows from it.
    m_model->detach(&readOnly);
    send({{"GET", "x"}}, &readOnly);
    send({{"PING"}});
    QTRY_COMPARE(m_model->rowCount(), 4);
    QCOMPARE(m_model->entryAt(3).connection, QStringLiteral("live"));
}

void TestCommandLogModel::boundDropsTheOldest()
{
    m_model->setMaxRows(5);
    for (int i = 0; i < 8; ++i)
        send({{"ECHO", QByteArray::number(i)}});
    QTRY_COMPARE(column(CommandLogModel::Command),
                 strings({"ECHO 3", "ECHO 4", "ECHO 5", "ECHO 6", "ECHO 7"}));
    QCOMPARE(m_model->droppedCount(), 3);
    // A burst larger than the bound, all in one flush.
    bool done = false;
    for (int i = 8; i < 20; ++i) {
        m_redis.connection()->send({RedisCommand{"ECHO", QByteArray::number(i)}}, nullptr,
                                   [&done, i](const RedisResult &) { done = i == 19; });
    }
    QTRY_VERIFY(done);
    QTRY_COMPARE(column(CommandLogModel::Command),
                 strings({"ECHO 15", "ECHO 16", "ECHO 17", "ECHO 18", "ECHO 19"}));
    QCOMPARE(m_model->droppedCount(), 15);
    // A smaller bound keeps the newest.
    m_model->setMaxRows(2);
    QCOMPARE(column(CommandLogModel::Command), strings({"ECHO 18", "ECHO 19"}));
    QCOMPARE(m_model->droppedCount(), 18);
}

void TestCommandLogModel::burstIsInsertedInOneGo()
{
    QSignalSpy inserted(m_model.get(), &QAbstractItemModel::rowsInserted);
    int done = 0;
    for (int i = 0; i < 500; ++i)
        m_redis.connection()->send({RedisCommand{"INCR", "n"}}, nullptr,
                                   [&done](const RedisResult &) { ++done; });
    QTRY_COMPARE(done, 500);
    QTRY_COMPARE(m_model->rowCount(), 500);
    // Coalesced: a few insertions at most (one per flush), not one per request.
    QVERIFY2(inserted.size() <= 5, qPrintable(QString::number(inserted.size())));
    QCOMPARE(m_model->entryAt(499).result, QStringLiteral("(integer) 500"));
}

void TestCommandLogModel::clearEmpties()
{
    send({{"PING"}});
    QTRY_COMPARE(m_model->rowCount(), 1);
    m_model->clear();
    QCOMPARE(m_model->rowCount(), 0);
    // Entries still queued go too.
    m_model->append(
        CommandLogEntry{QDateTime::currentDateTime(), {}, QStringLiteral("X"), {}, 1, false});
    m_model->clear();
    send({{"PING"}});
    QTRY_COMPARE(m_model->rowCount(), 1);
    QCOMPARE(m_model->entryAt(0).command, QStringLiteral("PING"));
}

void TestCommandLogModel::passwordsNeverReachTheLog()
{
    const QString adminPassword = QStringLiteral("admin-pass-7Qx9");
    const QByteArray alicePassword = "alice-pass-K2m4";
    const QByteArray bobPassword = "bob-pass-Z8w1";
    const QByteArray wrongPassword = "wrong-pass-J5t3";
    LocalRedisServer::Config config;
    config.extraLines
        << QStringLiteral("requirepass ") + adminPassword
        << QStringLiteral("user alice on >%1 ~* +@all").arg(QString::fromUtf8(alicePassword));
    LocalRedisServer server(config);
    QString error;
    QVERIFY2(server.start(&error), qPrintable(error));

    ConnectionOptions options = server.options();
    options.password = adminPassword;
    RedisConnection admin(options);
    m_model->attach(&admin, QStringLiteral("admin"));
    admin.open(false);
    QTRY_COMPARE(admin.state(), ConnectionState::Connected);
    ConnectionOptions asAlice = server.options();
    asAlice.username = QStringLiteral("alice");
    asAlice.password = QString::fromUtf8(alicePassword);
    RedisConnection alice(asAlice);
    m_model->attach(&alice, QStringLiteral("alice"));
    alice.open(false);
    QTRY_COMPARE(alice.state(), ConnectionState::Connected);
    QTRY_COMPARE(m_model->rowCount(), 2);
    QStringList handshakes = column(CommandLogModel::Command);
    handshakes.sort();
    QCOMPARE(handshakes, strings({"AUTH (redacted) ; HELLO 2 SETNAME weir ; INFO server",
                                  "AUTH alice (redacted) ; HELLO 2 SETNAME weir ; INFO "
                                  "server"}));

    // Sent by hand, with passwords the admin connection does not know of.
    const QList<QList<QByteArray>> sent = {
        {"AUTH", adminPassword.toUtf8()},
        {"AUTH", "alice", alicePassword},
        {"HELLO", "2", "AUTH", "alice", alicePassword, "SETNAME", "weir-test"},
        {"AUTH", "alice", wrongPassword},
        {"HELLO", "3", "AUTH", "alice", wrongPassword},
        {"AUTH", wrongPassword},
        {"ACL", "SETUSER", "bob", "on", ">" + bobPassword, "~*", "+@all"},
        {"AUTH", "bob", bobPassword},
        {"CONFIG", "SET", "requirepass", adminPassword.toUtf8()},
        {"AUTH", "default", adminPassword.toUtf8()},
    };
    for (const QList<QByteArray> &argv : sent)
        send({RedisCommand(argv)}, &admin);
    // And as one pipeline.
    QList<RedisCommand> pipeline;
    for (const QList<QByteArray> &argv : sent)
        pipeline.append(RedisCommand(argv));
    send(pipeline, &admin);
    QTRY_COMPARE(m_model->rowCount(), 2 + int(sent.size()) + 1);

    QCOMPARE(m_model->entryAt(3).command, QStringLiteral("AUTH alice (redacted)"));
    QCOMPARE(m_model->entryAt(3).result, QStringLiteral("OK"));
    QCOMPARE(m_model->entryAt(4).command,
             QStringLiteral("HELLO 2 AUTH alice (redacted) SETNAME weir-test"));
    QCOMPARE(m_model->entryAt(5).result.left(17), QStringLiteral("(error) WRONGPASS"));
    const QString all = everything();
    QVERIFY(all.contains(QLatin1String("alice")));
    for (const QByteArray &password :
         {adminPassword.toUtf8(), alicePassword, bobPassword, wrongPassword}) {
        QVERIFY2(!all.contains(QString::fromUtf8(password)), password.constData());
        // Nor any long part of one.
        QVERIFY2(!all.contains(QString::fromUtf8(password.left(8))), password.constData());
    }
}

void TestCommandLogModel::wrongPasswordNeverReachesTheLog()
{
    LocalRedisServer::Config config;
    config.extraLines << QStringLiteral("requirepass right-pass-4Hs8");
    LocalRedisServer server(config);
    QString error;
    QVERIFY2(server.start(&error), qPrintable(error));

    ConnectionOptions options = server.options();
    options.username = QStringLiteral("default");
    options.password = QStringLiteral("wrong-pass-9Lp2");
    RedisConnection connection(options);
    m_model->attach(&connection, QStringLiteral("wrong"));
    connection.open(true);
    QTRY_COMPARE(connection.state(), ConnectionState::Failed);
    QTRY_COMPARE(m_model->rowCount(), 1);
    QCOMPARE(m_model->entryAt(0).command,
             QStringLiteral("AUTH default (redacted) ; HELLO 2 SETNAME weir ; INFO server"));
    QVERIFY2(m_model->entryAt(0).result.startsWith(QLatin1String("(error) WRONGPASS")),
             qPrintable(m_model->entryAt(0).result));
    QVERIFY(m_model->entryAt(0).error);
    QVERIFY(!everything().contains(QLatin1String("wrong-pass")));
}

QTEST_GUILESS_MAIN(TestCommandLogModel)
#include "tst_commandlogmodel.moc"
