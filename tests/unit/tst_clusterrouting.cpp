// routeUnits: how a request is cut into the pieces that must reach one cluster node together.

#include "clusterrouting.h"
#include "keyslot.h"

#include <QtTest>

Q_DECLARE_METATYPE(QList<RedisCommand>)

namespace {
// Units written as "first+count@slot", for readable comparisons.
QStringList describe(const QList<RoutedUnit> &units)
{
    QStringList out;
    for (const RoutedUnit &u : units)
        out.append(QStringLiteral("%1+%2@%3").arg(u.first).arg(u.count).arg(u.slot));
    return out;
}

QString unit(int first, int count, const QByteArray &key)
{
    return QStringLiteral("%1+%2@%3").arg(first).arg(count).arg(key.isEmpty() ? -1 : keySlot(key));
}
} // namespace

class TestClusterRouting : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void units_data();
    void units();
    void withoutClusterNoSlots();
    void tooManyRedirectsSaysSo();
};

void TestClusterRouting::units_data()
{
    QTest::addColumn<QList<RedisCommand>>("commands");
    QTest::addColumn<QStringList>("expected"); // empty: refused

    QTest::newRow("one command each")
        << QList<RedisCommand>{RedisCommand({"XLEN", "a"}, "a"), RedisCommand{"PING"},
                               RedisCommand({"XLEN", "b"}, "b")}
        << QStringList{unit(0, 1, "a"), unit(1, 1, {}), unit(2, 1, "b")};
    QTest::newRow("transaction with a keyless prelude")
        << QList<RedisCommand>{RedisCommand({"XLEN", "x"}, "x"),
                               RedisCommand{"multi"},
                               RedisCommand{"SCRIPT", "LOAD", "return 1"},
                               RedisCommand({"XADD", "{s}:a", "*", "f", "v"}, "{s}:a"),
                               RedisCommand({"XADD", "{s}:b", "*", "f", "v"}, "{s}:b"),
                               RedisCommand{"EXEC"},
                               RedisCommand{"PING"}}
        << QStringList{unit(0, 1, "x"), unit(1, 5, "s"), unit(6, 1, {})};
    QTest::newRow("transaction across slots")
        << QList<RedisCommand>{RedisCommand{"MULTI"}, RedisCommand({"XADD", "a", "*"}, "a"),
                               RedisCommand({"XADD", "b", "*"}, "b"), RedisCommand{"EXEC"}}
        << QStringList{};
    QTest::newRow("script keys in one slot")
        << QList<RedisCommand>{RedisCommand({"EVALSHA", "sha", "2", "{q}", "{q}:dlq", "x"}, "{q}")}
        << QStringList{unit(0, 1, "q")};
    QTest::newRow("script keys in two slots")
        << QList<RedisCommand>{RedisCommand({"EVALSHA", "sha", "2", "q", "q:dlq", "x"}, "q")}
        << QStringList{};
    QTest::newRow("script key other than the command's key")
        << QList<RedisCommand>{RedisCommand({"FCALL", "f", "1", "b"}, "a")} << QStringList{};
    QTest::newRow("script without keys")
        << QList<RedisCommand>{RedisCommand{"EVAL", "return 1", "0"}}
        << QStringList{unit(0, 1, {})};
    QTest::newRow("MULTI without EXEC runs to the end")
        << QList<RedisCommand>{RedisCommand{"MULTI"}, RedisCommand({"GET", "k"}, "k")}
        << QStringList{unit(0, 2, "k")};
}

void TestClusterRouting::units()
{
    QFETCH(QList<RedisCommand>, commands);
    QFETCH(QStringList, expected);
    QString error;
    const auto units = routeUnits(commands, true, &error);
    if (expected.isEmpty()) {
        QVERIFY(!units);
        QVERIFY2(error.contains(QLatin1String("different cluster slots")), qPrintable(error));
        QVERIFY2(error.contains(QLatin1String("nothing was sent")), qPrintable(error));
        return;
    }
    QVERIFY2(units, qPrintable(error));
    QCOMPARE(describe(*units), expected);
}

void TestClusterRouting::withoutClusterNoSlots()
{
    QString error;
    const auto units = routeUnits({RedisCommand{"MULTI"}, RedisCommand({"SET", "a", "1"}, "a"),
                                   RedisCommand({"SET", "b", "1"}, "b"), RedisCommand{"EXEC"},
                                   RedisCommand({"GET", "a"}, "a")},
                                  false, &error);
    QVERIFY(units);
    QCOMPARE(describe(*units), (QStringList{QStringLiteral("0+4@-1"), QStringLiteral("4+1@-1")}));
}

void TestClusterRouting::tooManyRedirectsSaysSo()
{
    const RedisValue reply = tooManyRedirects("MOVED 12 127.0.0.1:7001");
    QVERIFY(reply.isError());
    QCOMPARE(reply.errorCode(), QByteArray("ERR"));
    QVERIFY(reply.bytes().contains("followed 5 cluster redirects"));
    QVERIFY(reply.bytes().contains("MOVED 12 127.0.0.1:7001"));
}

QTEST_APPLESS_MAIN(TestClusterRouting)

#include "tst_clusterrouting.moc"
