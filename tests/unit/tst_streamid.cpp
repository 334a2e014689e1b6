// StreamId: parsing as strictly as Redis does, formatting, ordering, time, and the ids
// next to an id (up to the top id and down to 0-0, where there are none).

#include "streamid.h"

#include <QtTest>

class TestStreamId : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void parse_data();
    void parse();
    void ordering_data();
    void ordering();
    void time_data();
    void time();
    void neighbours_data();
    void neighbours();
    void ends();
};

void TestStreamId::parse_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<quint64>("ms");
    QTest::addColumn<quint64>("seq");
    QTest::addColumn<QByteArray>("formatted"); // toByteArray() of the parsed id

    const quint64 max = std::numeric_limits<quint64>::max();
    auto ok = [](const char *name, const QByteArray &text, quint64 ms, quint64 seq,
                 const QByteArray &formatted) {
        QTest::newRow(name) << text << true << ms << seq << formatted;
    };
    auto bad = [](const char *name, const QByteArray &text) {
        QTest::newRow(name) << text << false << quint64(0) << quint64(0) << QByteArray();
    };
    ok("zero", "0-0", 0, 0, "0-0");
    ok("first possible", "0-1", 0, 1, "0-1");
    ok("typical", "1700000000000-0", 1700000000000, 0, "1700000000000-0");
    ok("sequence", "1700000000000-42", 1700000000000, 42, "1700000000000-42");
    ok("largest", "18446744073709551615-18446744073709551615", max, max,
       "18446744073709551615-18446744073709551615");
    ok("milliseconds only: sequence 0", "1526919030474", 1526919030474, 0, "1526919030474-0");
    ok("leading zeros", "007-01", 7, 1, "7-1");

    bad("empty", "");
    bad("dash only", "-");
    bad("no milliseconds", "-1");
    bad("no sequence", "1-");
    bad("letters", "abc");
    bad("letters in milliseconds", "1a-0");
    bad("letters in sequence", "1-0b");
    bad("two dashes", "1-2-3");
    bad("decimal point", "1.5-0");
    bad("hex", "0x10-0");
    bad("leading space", " 1-2");
    bad("trailing space", "1-2 ");
    bad("space after dash", "1- 2");
    bad("plus sign", "+1-2");
    bad("plus sign in sequence", "1-+2");
    bad("XRANGE's '-'", "-");
    bad("XRANGE's '+'", "+");
    bad("XADD's '*'", "*");
    bad("XADD's partial '1-*'", "1-*");
    bad("XREAD's '$'", "$");
    bad("XREADGROUP's '>'", ">");
    bad("milliseconds overflow", "18446744073709551616-0");
    bad("sequence overflows", "0-18446744073709551616");
    bad("NUL inside", QByteArray("1\0-2", 4));
}

void TestStreamId::parse()
{
    QFETCH(QByteArray, text);
    QFETCH(bool, valid);
    QFETCH(quint64, ms);
    QFETCH(quint64, seq);
    QFETCH(QByteArray, formatted);

    const std::optional<StreamId> id = StreamId::parse(text);
    QCOMPARE(id.has_value(), valid);
    if (!valid)
        return;
    QCOMPARE(id->ms, ms);
    QCOMPARE(id->seq, seq);
    QCOMPARE(id->toByteArray(), formatted);
    QCOMPARE(id->toString(), QString::fromLatin1(formatted));
    QCOMPARE(id->isZero(), ms == 0 && seq == 0);
    // What toByteArray() writes, parse() reads back.
    QCOMPARE(StreamId::parse(id->toByteArray()), id);
}

void TestStreamId::ordering_data()
{
    QTest::addColumn<QByteArray>("a");
    QTest::addColumn<QByteArray>("b");
    QTest::addColumn<int>("order"); // -1: a < b, 0: equal, 1: a > b

    QTest::newRow("equal") << QByteArray("5-5") << QByteArray("5-5") << 0;
    QTest::newRow("by milliseconds") << QByteArray("4-9") << QByteArray("5-0") << -1;
    QTest::newRow("by sequence") << QByteArray("5-1") << QByteArray("5-2") << -1;
    QTest::newRow("numerically, not as text") << QByteArray("9-0") << QByteArray("10-0") << -1;
    QTest::newRow("sequence numerically") << QByteArray("1-10") << QByteArray("1-9") << 1;
    QTest::newRow("largest") << QByteArray("18446744073709551615-18446744073709551615")
                             << QByteArray("18446744073709551615-18446744073709551614") << 1;
    QTest::newRow("zero is least") << QByteArray("0-0") << QByteArray("0-1") << -1;
}

void TestStreamId::ordering()
{
    QFETCH(QByteArray, a);
    QFETCH(QByteArray, b);
    QFETCH(int, order);
    const StreamId x = *StreamId::parse(a);
    const StreamId y = *StreamId::parse(b);
    QCOMPARE(x < y, order < 0);
    QCOMPARE(y<x, order> 0);
    QCOMPARE(x == y, order == 0);
    QCOMPARE(x != y, order != 0);
}

void TestStreamId::time_data()
{
    QTest::addColumn<QByteArray>("id");
    QTest::addColumn<QDateTime>("time");

    QTest::newRow("epoch") << QByteArray("0-0")
                           << QDateTime(QDate(1970, 1, 1), QTime(0, 0), Qt::UTC);
    QTest::newRow("2023-11-14") << QByteArray("1700000000000-7")
                                << QDateTime(QDate(2023, 11, 14), QTime(22, 13, 20), Qt::UTC);
    QTest::newRow("milliseconds kept")
        << QByteArray("1700000000123-0")
        << QDateTime(QDate(2023, 11, 14), QTime(22, 13, 20, 123), Qt::UTC);
}

void TestStreamId::time()
{
    QFETCH(QByteArray, id);
    QFETCH(QDateTime, time);
    const QDateTime t = StreamId::parse(id)->time();
    QCOMPARE(t, time);
    QCOMPARE(t.timeSpec(), Qt::UTC);
}

void TestStreamId::neighbours_data()
{
    QTest::addColumn<QByteArray>("id");
    QTest::addColumn<QByteArray>("next"); // empty: none
    QTest::addColumn<QByteArray>("previous");

    QTest::newRow("within a millisecond")
        << QByteArray("5-3") << QByteArray("5-4") << QByteArray("5-2");
    QTest::newRow("first of a millisecond")
        << QByteArray("5-0") << QByteArray("5-1") << QByteArray("4-18446744073709551615");
    QTest::newRow("last of a millisecond")
        << QByteArray("5-18446744073709551615") << QByteArray("6-0")
        << QByteArray("5-18446744073709551614");
    QTest::newRow("0-0: nothing before") << QByteArray("0-0") << QByteArray("0-1") << QByteArray();
    QTest::newRow("0-1") << QByteArray("0-1") << QByteArray("0-2") << QByteArray("0-0");
    // Nothing after the top id: it does not wrap round to 0-0.
    QTest::newRow("top id: nothing after")
        << QByteArray("18446744073709551615-18446744073709551615") << QByteArray()
        << QByteArray("18446744073709551615-18446744073709551614");
    QTest::newRow("last of the top millisecond's predecessor")
        << QByteArray("18446744073709551614-18446744073709551615")
        << QByteArray("18446744073709551615-0")
        << QByteArray("18446744073709551614-18446744073709551614");
    QTest::newRow("first of the top millisecond")
        << QByteArray("18446744073709551615-0") << QByteArray("18446744073709551615-1")
        << QByteArray("18446744073709551614-18446744073709551615");
}

void TestStreamId::neighbours()
{
    QFETCH(QByteArray, id);
    QFETCH(QByteArray, next);
    QFETCH(QByteArray, previous);
    const StreamId x = *StreamId::parse(id);

    const std::optional<StreamId> after = x.next();
    QCOMPARE(after.has_value(), !next.isEmpty());
    if (after) {
        QCOMPARE(after->toByteArray(), next);
        QVERIFY(x < *after);
        QCOMPARE(after->previous(), x); // one step there and back
    }
    const std::optional<StreamId> before = x.previous();
    QCOMPARE(before.has_value(), !previous.isEmpty());
    if (before) {
        QCOMPARE(before->toByteArray(), previous);
        QVERIFY(*before < x);
        QCOMPARE(before->next(), x);
    }
}

void TestStreamId::ends()
{
    QCOMPARE(StreamId::max().toByteArray(),
             QByteArray("18446744073709551615-18446744073709551615"));
    QCOMPARE(StreamId::parse("18446744073709551615-18446744073709551615"), StreamId::max());
    QVERIFY(!StreamId::max().next());
    QVERIFY(!StreamId{}.previous());
    QVERIFY(StreamId{}.isZero());
    // "<ms>" as the end of a range: every id of that millisecond, and none after it.
    QCOMPARE(StreamId::lastOf(1700000000000).toByteArray(),
             QByteArray("1700000000000-18446744073709551615"));
    QCOMPARE(StreamId::lastOf(1700000000000).next(), (StreamId{1700000000001, 0}));
    QCOMPARE(StreamId::lastOf(StreamId::max().ms), StreamId::max());
}

QTEST_APPLESS_MAIN(TestStreamId)
#include "tst_streamid.moc"
