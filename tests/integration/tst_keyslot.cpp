// keySlot() against what a real cluster-enabled redis-server answers to CLUSTER KEYSLOT,
// for keys with and without hash tags, empty tags, nested braces and binary bytes.
#include "integrationsupport.h"
#include "keyslot.h"

#include <QRandomGenerator>

class TestKeySlot : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void matchesTheServer();
};

void TestKeySlot::matchesTheServer()
{
    LocalRedisServer::Config config;
    config.extraLines = {QStringLiteral("cluster-enabled yes"),
                         QStringLiteral("cluster-config-file nodes.conf")};
    LocalRedisServer server(config);
    QString error;
    QVERIFY2(server.start(&error), qPrintable(error));
    RedisConnection connection(server.options());
    connection.open(false);
    QTRY_COMPARE(connection.state(), ConnectionState::Connected);

    QList<QByteArray> keys{"",
                           "foo",
                           "orders",
                           "orders:dlq",
                           "{orders}:dlq",
                           "{user1000}.following",
                           "foo{}{bar}",
                           "foo{{bar}}zap",
                           "foo{bar}{zap}",
                           "{",
                           "}",
                           "a{b",
                           "{}"};
    QRandomGenerator random(20240115);
    const char alphabet[] = "ab{}:\x00\xff";
    for (int i = 0; i < 2000; ++i) {
        QByteArray key;
        const int length = random.bounded(12);
        for (int k = 0; k < length; ++k)
            key.append(alphabet[random.bounded(int(sizeof alphabet) - 1)]);
        keys.append(key);
    }
    QList<RedisCommand> commands;
    for (const QByteArray &key : keys)
        commands.append(RedisCommand{{"CLUSTER", "KEYSLOT", key}});
    const auto result = integration::exec(connection, commands);
    QVERIFY(result && result->ok());
    QCOMPARE(result->replies.size(), keys.size());
    for (qsizetype i = 0; i < keys.size(); ++i) {
        QVERIFY2(result->replies.at(i).isInteger(), keys.at(i).toHex().constData());
        QCOMPARE(qint64(keySlot(keys.at(i))), result->replies.at(i).toInteger());
    }
}

QTEST_GUILESS_MAIN(TestKeySlot)
#include "tst_keyslot.moc"
