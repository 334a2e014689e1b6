// RESP2 on hiredis 0.14: encodeCommand's exact bytes, and RespDecoder on every reply type,
// on input that arrives byte by byte or pipelined, and on malformed or too deep input.

#include "resptestutil.h"

#include "respcodec.h"

#include <QtTest>

using Result = RespDecoder::Result;
using wire::bulk;

namespace {

QByteArray allBytes()
{
    QByteArray bytes;
    for (int i = 0; i < 256; ++i)
        bytes.append(char(i));
    return bytes;
}

// `depth` arrays of one element each, around `leaf`.
QByteArray nestedWire(int depth, const QByteArray &leaf)
{
    return QByteArray("*1\r\n").repeated(depth) + leaf;
}

RedisValue nestedValue(int depth, const RedisValue &leaf)
{
    RedisValue v = leaf;
    for (int i = 0; i < depth; ++i)
        v = RedisValue::array({v});
    return v;
}

RedisValue strings(const QByteArrayList &items)
{
    QList<RedisValue> elements;
    for (const QByteArray &s : items)
        elements.append(RedisValue::string(s));
    return RedisValue::array(elements);
}

} // namespace

class TestRespCodec : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void encodeCommand_data();
    void encodeCommand();
    void encodeThenDecode_data();
    void encodeThenDecode();

    void decode_data();
    void decode();
    void decodeByteByByte_data();
    void decodeByteByByte();
    void decodeSplitAnywhere_data();
    void decodeSplitAnywhere();
    void pipelined_data();
    void pipelined();
    void pipelinedArrivingInPieces();
    void largeBulkString();
    void repeatedShortStringsShareOneCopy();
    void feedFromDevice();

    void malformed_data();
    void malformed();
    void malformedByteByByte_data();
    void malformedByteByByte();
    void nesting_data();
    void nesting();
    void resetDropsBufferedBytes();
};

// ---------------------------------------------------------------------------- encoding

void TestRespCodec::encodeCommand_data()
{
    QTest::addColumn<QByteArrayList>("argv");
    QTest::addColumn<QByteArray>("expected");

    QTest::newRow("one word") << QByteArrayList{"PING"} << QByteArray("*1\r\n$4\r\nPING\r\n");
    QTest::newRow("SET k v") << QByteArrayList{"SET", "k", "v"}
                             << QByteArray("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n");
    QTest::newRow("empty argument")
        << QByteArrayList{"SET", "k", ""} << QByteArray("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$0\r\n\r\n");
    QTest::newRow("CRLF inside an argument")
        << QByteArrayList{"SET", "a\r\nb", "\r\n"}
        << QByteArray("*3\r\n$3\r\nSET\r\n$4\r\na\r\nb\r\n$2\r\n\r\n\r\n");
    QTest::newRow("NUL bytes") << QByteArrayList{"SET", raw("k\0ey"), raw("\0")}
                               << raw("*3\r\n$3\r\nSET\r\n$4\r\nk\0ey\r\n$1\r\n\0\r\n");
    QTest::newRow("spaces and quotes are not split or escaped")
        << QByteArrayList{"XADD", "my stream", "*", "say", "\"hi there\""}
        << QByteArray("*5\r\n$4\r\nXADD\r\n$9\r\nmy stream\r\n$1\r\n*\r\n$3\r\nsay\r\n"
                      "$10\r\n\"hi there\"\r\n");
    QTest::newRow("UTF-8") << QByteArrayList{"GET", "gr\xc3\xbc\xc3\x9f"}
                           << QByteArray("*2\r\n$3\r\nGET\r\n$6\r\ngr\xc3\xbc\xc3\x9f\r\n");
    QTest::newRow("every byte value")
        << QByteArrayList{"SET", "k", allBytes()}
        << QByteArray("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$256\r\n") + allBytes() + "\r\n";
    const QByteArray big(100000, 'x');
    QTest::newRow("100 kB argument")
        << QByteArrayList{"SET", "k", big}
        << QByteArray("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$100000\r\n") + big + "\r\n";
    QTest::newRow("twelve arguments")
        << QByteArrayList{"XADD", "s", "*", "a", "1", "b", "2", "c", "3", "d", "4", "e"}
        << QByteArray("*12\r\n$4\r\nXADD\r\n$1\r\ns\r\n$1\r\n*\r\n$1\r\na\r\n$1\r\n1\r\n"
                      "$1\r\nb\r\n$1\r\n2\r\n$1\r\nc\r\n$1\r\n3\r\n$1\r\nd\r\n$1\r\n4\r\n"
                      "$1\r\ne\r\n");
}

void TestRespCodec::encodeCommand()
{
    QFETCH(QByteArrayList, argv);
    QFETCH(QByteArray, expected);
    QCOMPARE(::encodeCommand(argv), expected);
}

// A command is itself a RESP array of bulk strings: decoding it gives the arguments back.
void TestRespCodec::encodeThenDecode_data()
{
    encodeCommand_data();
}

void TestRespCodec::encodeThenDecode()
{
    QFETCH(QByteArrayList, argv);
    RedisValue decoded;
    DECODE_ONE(::encodeCommand(argv), decoded);
    QCOMPARE(decoded, strings(argv));
}

// ---------------------------------------------------------------------------- decoding

void TestRespCodec::decode_data()
{
    QTest::addColumn<QByteArray>("wire");
    QTest::addColumn<RedisValue>("expected");

    // Simple strings (status), errors, integers.
    QTest::newRow("status") << QByteArray("+OK\r\n") << RedisValue::status("OK");
    QTest::newRow("status, empty") << QByteArray("+\r\n") << RedisValue::status("");
    QTest::newRow("status with a lone CR") << QByteArray("+a\rb\r\n") << RedisValue::status("a\rb");
    QTest::newRow("error") << QByteArray("-ERR unknown command 'FOO'\r\n")
                           << RedisValue::error("ERR unknown command 'FOO'");
    QTest::newRow("error, WRONGTYPE")
        << QByteArray("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n")
        << RedisValue::error("WRONGTYPE Operation against a key holding the wrong kind of value");
    QTest::newRow("integer 0") << QByteArray(":0\r\n") << RedisValue::integer(0);
    QTest::newRow("integer 42") << QByteArray(":42\r\n") << RedisValue::integer(42);
    QTest::newRow("integer negative") << QByteArray(":-7\r\n") << RedisValue::integer(-7);
    QTest::newRow("integer max") << QByteArray(":9223372036854775807\r\n")
                                 << RedisValue::integer(std::numeric_limits<qint64>::max());
    QTest::newRow("integer min") << QByteArray(":-9223372036854775808\r\n")
                                 << RedisValue::integer(std::numeric_limits<qint64>::min());

    // Bulk strings, binary safe.
    QTest::newRow("bulk") << QByteArray("$5\r\nhello\r\n") << RedisValue::string("hello");
    QTest::newRow("bulk, empty (not nil)") << QByteArray("$0\r\n\r\n") << RedisValue::string("");
    QTest::newRow("bulk with CRLF inside")
        << QByteArray("$8\r\na\r\nb\r\n\r\n\r\n") << RedisValue::string("a\r\nb\r\n\r\n");
    QTest::newRow("bulk with NUL inside")
        << raw("$5\r\na\0b\0c\r\n") << RedisValue::string(raw("a\0b\0c"));
    QTest::newRow("bulk of NULs only")
        << raw("$3\r\n\0\0\0\r\n") << RedisValue::string(QByteArray(3, '\0'));
    QTest::newRow("bulk that looks like RESP") << QByteArray("$13\r\n*1\r\n$3\r\nfoo\r\n\r\n")
                                               << RedisValue::string("*1\r\n$3\r\nfoo\r\n");
    QTest::newRow("bulk, every byte value") << bulk(allBytes()) << RedisValue::string(allBytes());
    QTest::newRow("bulk, UTF-8") << QByteArray("$4\r\n\xe2\x82\xac!\r\n")
                                 << RedisValue::string("\xe2\x82\xac!");

    // Nil, and the difference between nil and empty.
    QTest::newRow("nil bulk") << QByteArray("$-1\r\n") << RedisValue::nil();
    QTest::newRow("nil array") << QByteArray("*-1\r\n") << RedisValue::nil();
    QTest::newRow("empty array") << QByteArray("*0\r\n") << RedisValue::array({});

    // Arrays.
    QTest::newRow("array of every type")
        << QByteArray("*6\r\n:1\r\n$3\r\nfoo\r\n+OK\r\n-ERR no\r\n$-1\r\n*-1\r\n")
        << RedisValue::array({RedisValue::integer(1), RedisValue::string("foo"),
                              RedisValue::status("OK"), RedisValue::error("ERR no"),
                              RedisValue::nil(), RedisValue::nil()});
    QTest::newRow("array with empty array and empty bulk")
        << QByteArray("*3\r\n*0\r\n$0\r\n\r\n*0\r\n")
        << RedisValue::array(
               {RedisValue::array({}), RedisValue::string(""), RedisValue::array({})});
    // XRANGE s - + COUNT 1, recorded from Redis 7.0.
    QTest::newRow("nested: XRANGE")
        << QByteArray("*1\r\n*2\r\n$15\r\n1700000000000-0\r\n*2\r\n$1\r\nf\r\n$1\r\nv\r\n")
        << RedisValue::array(
               {RedisValue::array({RedisValue::string("1700000000000-0"), strings({"f", "v"})})});
    // XREADGROUP GROUP g1 c1 COUNT 1 STREAMS s >, recorded from Redis 7.0.
    QTest::newRow("nested: XREADGROUP")
        << QByteArray("*1\r\n*2\r\n$1\r\ns\r\n*1\r\n*2\r\n$15\r\n1700000000000-0\r\n*2\r\n$1\r\n"
                      "f\r\n$1\r\nv\r\n")
        << RedisValue::array({RedisValue::array(
               {RedisValue::string("s"),
                RedisValue::array({RedisValue::array(
                    {RedisValue::string("1700000000000-0"), strings({"f", "v"})})})})});
    // XREADGROUP ... STREAMS s 0 (the pending history) after the entry was deleted.
    QTest::newRow("nested: deleted entry with nil fields")
        << QByteArray("*1\r\n*2\r\n$1\r\ns\r\n*1\r\n*2\r\n$3\r\n1-1\r\n*-1\r\n")
        << RedisValue::array({RedisValue::array(
               {RedisValue::string("s"), RedisValue::array({RedisValue::array(
                                             {RedisValue::string("1-1"), RedisValue::nil()})})})});
    QTest::newRow("nested: binary inside arrays")
        << raw("*2\r\n*1\r\n$4\r\n\r\n\0x\r\n$2\r\n\0\0\r\n")
        << RedisValue::array({RedisValue::array({RedisValue::string(raw("\r\n\0x"))}),
                              RedisValue::string(QByteArray(2, '\0'))});
    QTest::newRow("nested: 8 levels, the most hiredis 0.14 reads")
        << nestedWire(8, ":1\r\n") << nestedValue(8, RedisValue::integer(1));
}

void TestRespCodec::decode()
{
    QFETCH(QByteArray, wire);
    QFETCH(RedisValue, expected);

    RespDecoder decoder;
    RedisValue value;
    QCOMPARE(decoder.next(&value), Result::NeedMore); // nothing fed yet
    decoder.feed(wire);
    QCOMPARE(decoder.next(&value), Result::Reply);
    QCOMPARE(value, expected);
    QCOMPARE(value.type(), expected.type());
    QCOMPARE(decoder.next(&value), Result::NeedMore);
    QVERIFY(decoder.errorString().isEmpty());
}

void TestRespCodec::decodeByteByByte_data()
{
    decode_data();
}

void TestRespCodec::decodeByteByByte()
{
    QFETCH(QByteArray, wire);
    QFETCH(RedisValue, expected);

    RespDecoder decoder;
    RedisValue value;
    for (qsizetype i = 0; i + 1 < wire.size(); ++i) {
        decoder.feed(wire.constData() + i, 1);
        QVERIFY2(
            decoder.next(&value) == Result::NeedMore,
            qPrintable(QStringLiteral("a reply after %1 of %2 bytes").arg(i + 1).arg(wire.size())));
    }
    decoder.feed(wire.constData() + wire.size() - 1, 1);
    QCOMPARE(decoder.next(&value), Result::Reply);
    QCOMPARE(value, expected);
    QCOMPARE(decoder.next(&value), Result::NeedMore);
}

// Two feeds, split at every position, with next() called in between.
void TestRespCodec::decodeSplitAnywhere_data()
{
    decode_data();
}

void TestRespCodec::decodeSplitAnywhere()
{
    QFETCH(QByteArray, wire);
    QFETCH(RedisValue, expected);

    for (qsizetype split = 0; split <= wire.size(); ++split) {
        RespDecoder decoder;
        RedisValue value;
        decoder.feed(wire.left(split));
        const Result first = decoder.next(&value);
        if (split < wire.size()) {
            QVERIFY2(first == Result::NeedMore, qPrintable(QString::number(split)));
            decoder.feed(wire.mid(split));
            QCOMPARE(decoder.next(&value), Result::Reply);
        } else {
            QCOMPARE(first, Result::Reply);
        }
        QCOMPARE(value, expected);
        QCOMPARE(decoder.next(&value), Result::NeedMore);
    }
}

void TestRespCodec::pipelined_data()
{
    QTest::addColumn<QByteArray>("wire");
    QTest::addColumn<QList<RedisValue>>("expected");

    QTest::newRow("three statuses")
        << QByteArray("+OK\r\n+OK\r\n+PONG\r\n")
        << QList<RedisValue>{RedisValue::status("OK"), RedisValue::status("OK"),
                             RedisValue::status("PONG")};
    // AUTH, SELECT 2, XLEN s, XINFO GROUPS missing: one write, replies in one read.
    QTest::newRow("handshake-like mix")
        << QByteArray("+OK\r\n+OK\r\n:3\r\n-ERR no such key\r\n")
        << QList<RedisValue>{RedisValue::status("OK"), RedisValue::status("OK"),
                             RedisValue::integer(3), RedisValue::error("ERR no such key")};
    QTest::newRow("nil, empty and binary back to back")
        << raw("$-1\r\n*0\r\n$0\r\n\r\n*-1\r\n$3\r\n\r\n\0\r\n")
        << QList<RedisValue>{RedisValue::nil(), RedisValue::array({}), RedisValue::string(""),
                             RedisValue::nil(), RedisValue::string(raw("\r\n\0"))};
    QTest::newRow("arrays back to back")
        << QByteArray("*2\r\n:1\r\n:2\r\n*1\r\n*1\r\n$1\r\nx\r\n*0\r\n")
        << QList<RedisValue>{RedisValue::array({RedisValue::integer(1), RedisValue::integer(2)}),
                             RedisValue::array({strings({"x"})}), RedisValue::array({})};
    QList<RedisValue> hundred;
    QByteArray hundredWire;
    for (int i = 0; i < 100; ++i) {
        hundred.append(RedisValue::integer(i));
        hundredWire += ':' + QByteArray::number(i) + "\r\n";
    }
    QTest::newRow("a hundred integers") << hundredWire << hundred;
}

void TestRespCodec::pipelined()
{
    QFETCH(QByteArray, wire);
    QFETCH(QList<RedisValue>, expected);

    RespDecoder decoder;
    decoder.feed(wire);
    QList<RedisValue> got;
    RedisValue value;
    while (decoder.next(&value) == Result::Reply)
        got.append(value);
    QVERIFY2(decoder.errorString().isEmpty(), qPrintable(decoder.errorString()));
    QCOMPARE(got, expected);
    QCOMPARE(decoder.next(&value), Result::NeedMore);
}

// Reads rarely end on a reply boundary: complete replies come out, the rest waits.
void TestRespCodec::pipelinedArrivingInPieces()
{
    const QByteArray wire("+OK\r\n$5\r\nhello\r\n*2\r\n:1\r\n$2\r\nab\r\n:9\r\n");
    const QList<RedisValue> expected{
        RedisValue::status("OK"), RedisValue::string("hello"),
        RedisValue::array({RedisValue::integer(1), RedisValue::string("ab")}),
        RedisValue::integer(9)};
    for (int chunk = 1; chunk <= int(wire.size()); ++chunk) {
        RespDecoder decoder;
        QList<RedisValue> got;
        RedisValue value;
        for (qsizetype at = 0; at < wire.size(); at += chunk) {
            decoder.feed(wire.mid(at, chunk));
            Result r;
            while ((r = decoder.next(&value)) == Result::Reply)
                got.append(value);
            QCOMPARE(r, Result::NeedMore);
        }
        QCOMPARE(got, expected);
    }
}

void TestRespCodec::largeBulkString()
{
    QByteArray payload(4 * 1024 * 1024, 'x');
    payload[0] = '\r';
    payload[1] = '\n';
    payload[payload.size() - 1] = '\0';
    const QByteArray wire = bulk(payload) + ":1\r\n";
    RespDecoder decoder;
    RedisValue value;
    for (qsizetype at = 0; at < wire.size(); at += 65536) { // socket-sized reads
        decoder.feed(wire.mid(at, 65536));
        if (at + 65536 < wire.size() - 4)
            QCOMPARE(decoder.next(&value), Result::NeedMore);
    }
    QCOMPARE(decoder.next(&value), Result::Reply);
    QVERIFY(value.isString());
    QCOMPARE(value.bytes().size(), payload.size());
    QVERIFY(value.bytes() == payload);
    QCOMPARE(decoder.next(&value), Result::Reply);
    QCOMPARE(value, RedisValue::integer(1));
}

// Entries' field names repeat: each one decoded again shares the copy decoded before,
// while a thousand distinct short strings (most of them meeting others in the decoder's
// table) still come out exact.
void TestRespCodec::repeatedShortStringsShareOneCopy()
{
    QByteArrayList items;
    for (int i = 0; i < 1000; ++i)
        items << "type" << QByteArray::number(i) << "data" << QByteArray(40, char('a' + i % 26));
    QByteArray wire = "*" + QByteArray::number(items.size()) + "\r\n";
    for (const QByteArray &item : std::as_const(items))
        wire += bulk(item);
    RespDecoder decoder;
    decoder.feed(wire);
    RedisValue value;
    QCOMPARE(decoder.next(&value), Result::Reply);
    QCOMPARE(value, strings(items));
    // A distinct string can take a name's place in the table, so the next entry's name is
    // a copy of its own; the one after shares again.
    int shared = 0;
    for (qsizetype i = 4; i < items.size(); i += 4) {
        shared += value.at(i).bytes().isSharedWith(value.at(i - 4).bytes());
        shared += value.at(i + 2).bytes().isSharedWith(value.at(i - 2).bytes());
    }
    QVERIFY2(shared >= 1900, QByteArray::number(shared));
    QVERIFY(!value.at(3).bytes().isSharedWith(value.at(107).bytes())); // longer: not shared
}

// Read straight from a device: more than one read's worth, several replies, the last one
// cut short until the rest arrives.
void TestRespCodec::feedFromDevice()
{
    const QByteArray payload(200 * 1024, 'p');
    const QByteArray wire = bulk(payload) + ":7\r\n" + bulk("tail");
    QBuffer device;
    device.open(QIODevice::ReadWrite);
    device.write(wire.left(wire.size() - 3));
    device.seek(0);
    RespDecoder decoder;
    decoder.feed(&device);
    QCOMPARE(device.bytesAvailable(), 0);
    RedisValue value;
    QCOMPARE(decoder.next(&value), Result::Reply);
    QVERIFY(value.bytes() == payload);
    QCOMPARE(decoder.next(&value), Result::Reply);
    QCOMPARE(value, RedisValue::integer(7));
    QCOMPARE(decoder.next(&value), Result::NeedMore);
    const qint64 at = device.pos();
    device.write(wire.right(3));
    device.seek(at);
    decoder.feed(&device);
    QCOMPARE(decoder.next(&value), Result::Reply);
    QCOMPARE(value, RedisValue::string("tail"));
}

// ---------------------------------------------------------------------------- errors

void TestRespCodec::malformed_data()
{
    QTest::addColumn<QByteArray>("wire");
    QTest::addColumn<int>("goodRepliesFirst");
    QTest::addColumn<QString>("message");

    auto row = [](const char *name, const QByteArray &wire, int good, const char *message) {
        QTest::newRow(name) << wire << good << QString::fromLatin1(message);
    };
    row("bad type byte", "!oops\r\n", 0, "\"!\" as reply type byte");
    row("bad type byte after a good reply", ":1\r\n?\r\n", 1, "\"?\" as reply type byte");
    row("bad type byte inside an array", "*3\r\n:1\r\n@x\r\n:3\r\n", 0, "\"@\" as reply type byte");
    row("lower-case text, not RESP", "hello\r\n", 0, "\"h\" as reply type byte");
    row("HTTP answer", "HTTP/1.1 400 Bad Request\r\n\r\n", 0, "\"H\" as reply type byte");
    row("RESP3 map", "%1\r\n$1\r\na\r\n:1\r\n", 0, "\"%\" as reply type byte");
    row("RESP3 null", "_\r\n", 0, "\"_\" as reply type byte");
    row("RESP3 boolean", "#t\r\n", 0, "\"#\" as reply type byte");
    row("letters in a bulk length", "$abc\r\nabc\r\n", 0, "Bad bulk string length");
    row("empty bulk length", "$\r\n\r\n", 0, "Bad bulk string length");
    row("negative bulk length", "$-5\r\n", 0, "Bulk string length out of range");
    row("bulk length overflows", "$99999999999999999999\r\n", 0, "Bad bulk string length");
    row("letters in an array length", "*x\r\n", 0, "Bad multi-bulk length");
    row("negative array length", "*-2\r\n", 0, "Multi-bulk length out of range");
    row("bad array length inside an array", "*2\r\n*1x\r\n:1\r\n", 0, "Bad multi-bulk length");
    row("letters in an integer", ":12a\r\n", 0, "Bad integer value");
    row("empty integer", ":\r\n", 0, "Bad integer value");
    row("integer overflows", ":9223372036854775808\r\n", 0, "Bad integer value");
    row("bulk longer than its length", "$2\r\nabc\r\n", 0, "length does not match");
    row("bulk shorter than its length", "$4\r\nabc\r\n:1\r\n", 0, "length does not match");
    row("bulk without its CRLF", "$3\r\nabcXY:1\r\n", 0, "length does not match");
    row("bad bulk after good ones", "$1\r\na\r\n$1\r\nbc\r\n", 1, "length does not match");
    row("bad bulk inside an array", "*2\r\n$1\r\na\r\n$1\r\nbc\r\n", 0, "length does not match");
}

void TestRespCodec::malformed()
{
    QFETCH(QByteArray, wire);
    QFETCH(int, goodRepliesFirst);
    QFETCH(QString, message);

    RespDecoder decoder;
    decoder.feed(wire);
    RedisValue value;
    for (int i = 0; i < goodRepliesFirst; ++i)
        QCOMPARE(decoder.next(&value), Result::Reply);
    QCOMPARE(decoder.next(&value), Result::Error);
    const QString error = decoder.errorString();
    QVERIFY2(error.startsWith(QLatin1String("Protocol error: ")), qPrintable(error));
    QVERIFY2(error.contains(message), qPrintable(error));
    QVERIFY2(!error.contains(QLatin1String("Protocol error: Protocol error")), qPrintable(error));

    // Failed for good: more bytes, even a perfectly good reply, change nothing.
    QCOMPARE(decoder.next(&value), Result::Error);
    decoder.feed(QByteArray("+OK\r\n"));
    QCOMPARE(decoder.next(&value), Result::Error);
    QCOMPARE(decoder.errorString(), error);

    // Until reset(): then it reads again from a clean buffer.
    decoder.reset();
    QVERIFY(decoder.errorString().isEmpty());
    QCOMPARE(decoder.next(&value), Result::NeedMore);
    decoder.feed(QByteArray("+OK\r\n"));
    QCOMPARE(decoder.next(&value), Result::Reply);
    QCOMPARE(value, RedisValue::status("OK"));
}

// The same errors when the bad input trickles in: never a wrong reply first.
void TestRespCodec::malformedByteByByte_data()
{
    malformed_data();
}

void TestRespCodec::malformedByteByByte()
{
    QFETCH(QByteArray, wire);
    QFETCH(int, goodRepliesFirst);
    QFETCH(QString, message);

    RespDecoder decoder;
    RedisValue value;
    int replies = 0;
    bool failed = false;
    for (qsizetype i = 0; i < wire.size() && !failed; ++i) {
        decoder.feed(wire.constData() + i, 1);
        Result r;
        while ((r = decoder.next(&value)) == Result::Reply)
            ++replies;
        failed = r == Result::Error;
    }
    QVERIFY2(failed, "no error");
    QCOMPARE(replies, goodRepliesFirst);
    QVERIFY2(decoder.errorString().contains(message), qPrintable(decoder.errorString()));
}

void TestRespCodec::nesting_data()
{
    QTest::addColumn<int>("depth");
    QTest::addColumn<QByteArray>("leaf");
    QTest::addColumn<bool>("readable");

    for (int depth = 1; depth <= 8; ++depth)
        QTest::addRow("%d levels", depth) << depth << QByteArray(":1\r\n") << true;
    QTest::newRow("8 levels around an empty array") << 8 << QByteArray("*0\r\n") << false;
    QTest::newRow("8 levels around a nil array") << 8 << QByteArray("*-1\r\n") << false;
    for (int depth : {9, 10, 16, 100})
        QTest::addRow("%d levels", depth) << depth << QByteArray(":1\r\n") << false;
}

// hiredis 0.14 reads arrays nested 8 deep (its "depth 7", counted from 0) and no deeper.
void TestRespCodec::nesting()
{
    QFETCH(int, depth);
    QFETCH(QByteArray, leaf);
    QFETCH(bool, readable);

    RespDecoder decoder;
    decoder.feed(nestedWire(depth, leaf));
    RedisValue value;
    if (readable) {
        QCOMPARE(decoder.next(&value), Result::Reply);
        QCOMPARE(value, nestedValue(depth, RedisValue::integer(1)));
        return;
    }
    QCOMPARE(decoder.next(&value), Result::Error);
    const QString error = decoder.errorString();
    QVERIFY2(error.contains(QLatin1String("nested deeper than 8 levels")), qPrintable(error));
    QVERIFY2(error.contains(QLatin1String("hiredis")), qPrintable(error));
    QCOMPARE(decoder.next(&value), Result::Error);
    decoder.reset();
    decoder.feed(QByteArray(":5\r\n"));
    QCOMPARE(decoder.next(&value), Result::Reply);
    QCOMPARE(value, RedisValue::integer(5));
}

void TestRespCodec::resetDropsBufferedBytes()
{
    RespDecoder decoder;
    RedisValue value;
    decoder.feed(QByteArray("*2\r\n$5\r\nhel")); // half a reply from the old connection
    QCOMPARE(decoder.next(&value), Result::NeedMore);
    decoder.reset();
    decoder.feed(QByteArray(":7\r\n"));
    QCOMPARE(decoder.next(&value), Result::Reply);
    QCOMPARE(value, RedisValue::integer(7));
    QCOMPARE(decoder.next(&value), Result::NeedMore);
}

QTEST_APPLESS_MAIN(TestRespCodec)
#include "tst_respcodec.moc"
