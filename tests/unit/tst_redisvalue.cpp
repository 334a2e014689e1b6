// RedisValue: construction, type tests, equality, error codes and redis-cli style display.

#include "resptestutil.h"

#include "redisvalue.h"

#include <QVariant>
#include <QtTest>

class TestRedisValue : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void types_data();
    void types();
    void equality_data();
    void equality();
    void errorCode_data();
    void errorCode();
    void toDisplayString_data();
    void toDisplayString();
    void accessors();
    void variantRoundTrip();
};

void TestRedisValue::types_data()
{
    QTest::addColumn<RedisValue>("value");
    QTest::addColumn<RedisValue::Type>("type");
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<qint64>("integer");

    QTest::newRow("default") << RedisValue() << RedisValue::Type::Nil << QByteArray() << 0ll;
    QTest::newRow("nil") << RedisValue::nil() << RedisValue::Type::Nil << QByteArray() << 0ll;
    QTest::newRow("integer") << RedisValue::integer(-12) << RedisValue::Type::Integer
                             << QByteArray() << -12ll;
    QTest::newRow("string") << RedisValue::string(raw("a\0b")) << RedisValue::Type::String
                            << raw("a\0b") << 0ll;
    QTest::newRow("empty string") << RedisValue::string("") << RedisValue::Type::String
                                  << QByteArray("") << 0ll;
    QTest::newRow("status") << RedisValue::status("OK") << RedisValue::Type::Status
                            << QByteArray("OK") << 0ll;
    QTest::newRow("error") << RedisValue::error("ERR x") << RedisValue::Type::Error
                           << QByteArray("ERR x") << 0ll;
    QTest::newRow("array") << RedisValue::array({RedisValue::integer(1)}) << RedisValue::Type::Array
                           << QByteArray() << 0ll;
}

void TestRedisValue::types()
{
    QFETCH(RedisValue, value);
    QFETCH(RedisValue::Type, type);
    QFETCH(QByteArray, bytes);
    QFETCH(qint64, integer);

    QCOMPARE(value.type(), type);
    QCOMPARE(value.isNil(), type == RedisValue::Type::Nil);
    QCOMPARE(value.isInteger(), type == RedisValue::Type::Integer);
    QCOMPARE(value.isString(), type == RedisValue::Type::String);
    QCOMPARE(value.isStatus(), type == RedisValue::Type::Status);
    QCOMPARE(value.isError(), type == RedisValue::Type::Error);
    QCOMPARE(value.isArray(), type == RedisValue::Type::Array);
    QCOMPARE(value.bytes(), bytes);
    QCOMPARE(value.toInteger(), integer);
    if (!value.isArray())
        QCOMPARE(value.size(), 0);
}

void TestRedisValue::equality_data()
{
    QTest::addColumn<RedisValue>("a");
    QTest::addColumn<RedisValue>("b");
    QTest::addColumn<bool>("equal");

    const RedisValue entry =
        RedisValue::array({RedisValue::string("1-1"),
                           RedisValue::array({RedisValue::string("f"), RedisValue::string("v")})});
    QTest::newRow("nil, nil") << RedisValue::nil() << RedisValue() << true;
    QTest::newRow("nil, empty string") << RedisValue::nil() << RedisValue::string("") << false;
    QTest::newRow("nil, empty array") << RedisValue::nil() << RedisValue::array({}) << false;
    QTest::newRow("nil, integer 0") << RedisValue::nil() << RedisValue::integer(0) << false;
    QTest::newRow("empty string, empty array")
        << RedisValue::string("") << RedisValue::array({}) << false;
    QTest::newRow("same integers") << RedisValue::integer(5) << RedisValue::integer(5) << true;
    QTest::newRow("different integers")
        << RedisValue::integer(5) << RedisValue::integer(6) << false;
    QTest::newRow("integer, its text")
        << RedisValue::integer(5) << RedisValue::string("5") << false;
    QTest::newRow("same strings") << RedisValue::string("x") << RedisValue::string("x") << true;
    QTest::newRow("string, status")
        << RedisValue::string("OK") << RedisValue::status("OK") << false;
    QTest::newRow("status, error")
        << RedisValue::status("ERR") << RedisValue::error("ERR") << false;
    QTest::newRow("strings differing after NUL")
        << RedisValue::string(raw("a\0b")) << RedisValue::string(raw("a\0c")) << false;
    QTest::newRow("same nested arrays") << entry << RedisValue(entry) << true;
    QTest::newRow("nested arrays differing deep inside")
        << entry
        << RedisValue::array(
               {RedisValue::string("1-1"),
                RedisValue::array({RedisValue::string("f"), RedisValue::string("w")})})
        << false;
    QTest::newRow("arrays of different length")
        << RedisValue::array({RedisValue::integer(1)})
        << RedisValue::array({RedisValue::integer(1), RedisValue::integer(1)}) << false;
}

void TestRedisValue::equality()
{
    QFETCH(RedisValue, a);
    QFETCH(RedisValue, b);
    QFETCH(bool, equal);
    QCOMPARE(a == b, equal);
    QCOMPARE(b == a, equal);
    QCOMPARE(a != b, !equal);
}

void TestRedisValue::errorCode_data()
{
    QTest::addColumn<RedisValue>("value");
    QTest::addColumn<QByteArray>("code");

    QTest::newRow("ERR") << RedisValue::error("ERR no such key") << QByteArray("ERR");
    QTest::newRow("WRONGTYPE") << RedisValue::error(
        "WRONGTYPE Operation against a key holding the wrong kind of value")
                               << QByteArray("WRONGTYPE");
    QTest::newRow("NOPERM") << RedisValue::error("NOPERM User alice has no permissions")
                            << QByteArray("NOPERM");
    QTest::newRow("code only") << RedisValue::error("BUSYGROUP") << QByteArray("BUSYGROUP");
    QTest::newRow("empty error") << RedisValue::error("") << QByteArray();
    QTest::newRow("not an error: status") << RedisValue::status("OK done") << QByteArray();
    QTest::newRow("not an error: string") << RedisValue::string("ERR x") << QByteArray();
    QTest::newRow("not an error: nil") << RedisValue::nil() << QByteArray();
}

void TestRedisValue::errorCode()
{
    QFETCH(RedisValue, value);
    QFETCH(QByteArray, code);
    QCOMPARE(value.errorCode(), code);
}

void TestRedisValue::toDisplayString_data()
{
    QTest::addColumn<RedisValue>("value");
    QTest::addColumn<QString>("display");

    auto s = [](const char *text) { return QString::fromUtf8(text); };
    QTest::newRow("nil") << RedisValue::nil() << s("(nil)");
    QTest::newRow("integer") << RedisValue::integer(-3) << s("(integer) -3");
    QTest::newRow("string") << RedisValue::string("hello") << s("\"hello\"");
    QTest::newRow("status") << RedisValue::status("OK") << s("OK");
    QTest::newRow("error") << RedisValue::error("ERR no such key") << s("(error) ERR no such key");
    QTest::newRow("empty array") << RedisValue::array({}) << s("(empty array)");
    QTest::newRow("flat array") << RedisValue::array(
        {RedisValue::string("a"), RedisValue::integer(2), RedisValue::nil()})
                                << s("1) \"a\"\n2) (integer) 2\n3) (nil)");
    // Laid out as redis-cli lays out XRANGE s - +.
    QTest::newRow("nested array") << RedisValue::array(
        {RedisValue::array({RedisValue::string("1-1"),
                            RedisValue::array({RedisValue::string("f"), RedisValue::string("v")})}),
         RedisValue::array({RedisValue::string("2-1"), RedisValue::array({})})})
                                  << s("1) 1) \"1-1\"\n"
                                       "   2) 1) \"f\"\n"
                                       "      2) \"v\"\n"
                                       "2) 1) \"2-1\"\n"
                                       "   2) (empty array)");
    QTest::newRow("array at position 10")
        << RedisValue::array(
               {RedisValue::integer(1), RedisValue::integer(2), RedisValue::integer(3),
                RedisValue::integer(4), RedisValue::integer(5), RedisValue::integer(6),
                RedisValue::integer(7), RedisValue::integer(8), RedisValue::integer(9),
                RedisValue::array({RedisValue::string("a"), RedisValue::string("b")})})
        << s("1) (integer) 1\n2) (integer) 2\n3) (integer) 3\n4) (integer) 4\n"
             "5) (integer) 5\n6) (integer) 6\n7) (integer) 7\n8) (integer) 8\n"
             "9) (integer) 9\n10) 1) \"a\"\n    2) \"b\"");
}

void TestRedisValue::toDisplayString()
{
    QFETCH(RedisValue, value);
    QFETCH(QString, display);
    QCOMPARE(value.toDisplayString(), display);
}

void TestRedisValue::accessors()
{
    const RedisValue v =
        RedisValue::array({RedisValue::string("a"), RedisValue::array({RedisValue::integer(7)})});
    QCOMPARE(v.size(), 2);
    QCOMPARE(v.elements().size(), 2);
    QCOMPARE(v.at(0), RedisValue::string("a"));
    QCOMPARE(v.at(1).at(0).toInteger(), 7);
    QVERIFY(v.bytes().isEmpty());

    // A copy is independent of the original (implicit sharing, not aliasing).
    RedisValue copy = v;
    copy = RedisValue::integer(1);
    QCOMPARE(v.size(), 2);
}

// Replies cross threads in queued signals, inside QVariants.
void TestRedisValue::variantRoundTrip()
{
    const RedisValue v = RedisValue::array({RedisValue::error("ERR x"), RedisValue::nil()});
    const QVariant variant = QVariant::fromValue(v);
    QVERIFY(variant.canConvert<RedisValue>());
    QCOMPARE(variant.value<RedisValue>(), v);
    QVERIFY(QMetaType::fromType<RedisValue>().isValid());
}

QTEST_APPLESS_MAIN(TestRedisValue)
#include "tst_redisvalue.moc"
