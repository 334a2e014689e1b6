// decodeValue(): what a stream entry's field value is detected as and how it is shown;
// hexDump() and the redis-cli quoting of redisCliXaddCommand(). Compressed samples come
// from the real `gzip` tool and from qCompress(), not from the code under test.
// (tests/integration/tst_xaddcommand.cpp feeds the XADD lines to a real redis-cli.)

#include "gziptool.h"
#include "valuedecoder.h"

#include <QElapsedTimer>
#include <QJsonDocument>
#include <QProcess>
#include <QRegularExpression>
#include <QtTest>

using Kind = DecodedValue::Kind;
Q_DECLARE_METATYPE(DecodedValue::Kind)

namespace {

// A zlib stream: qCompress() without the 4-byte length it puts in front.
QByteArray zlibOf(const QByteArray &data)
{
    return qCompress(data).mid(4);
}

// Base64 wrapped at 76 columns, as the base64 tool and MIME write it.
QByteArray wrapped(const QByteArray &base64)
{
    QByteArray out;
    for (qsizetype i = 0; i < base64.size(); i += 76)
        out += base64.mid(i, 76) + '\n';
    return out;
}

// The bytes a hexDump() shows, read back from its hex columns.
QByteArray bytesOfHexDump(const QString &dump)
{
    QByteArray out;
    for (const QString &line : dump.split(QLatin1Char('\n'), Qt::SkipEmptyParts)) {
        const QString hex = line.mid(10, 49).simplified().remove(QLatin1Char(' '));
        out += QByteArray::fromHex(hex.toLatin1());
    }
    return out;
}

const QByteArray SampleJson = R"({"event":"task.done","id":42,"tags":["a","b"],"meta":{}})";
const QString SamplePretty = QStringLiteral(R"({
  "event": "task.done",
  "id": 42,
  "tags": [
    "a",
    "b"
  ],
  "meta": {}
})");

// A JSON array of objects of about `size` bytes.
QByteArray bigJson(qint64 size)
{
    QByteArray json = "[";
    for (int i = 0; json.size() < size; ++i) {
        if (i > 0)
            json += ',';
        json += R"({"id":)" + QByteArray::number(i) + R"(,"name":"item )" + QByteArray::number(i)
                + R"(","price":12.50,"tags":["x","y"]})";
    }
    return json + ']';
}

} // namespace

class TestValueDecoder : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void decode_data();
    void decode();
    void notInflated_data();
    void notInflated();
    void everyTruncatedGzipIsBinary();
    void zipBomb_data();
    void zipBomb();
    void inflatesUpToTheBound();
    void truncation_data();
    void truncation();
    void loadAllOfBigJson();
    void hexDumpFormat_data();
    void hexDumpFormat();
    void hexDumpKeepsEveryByte();
    void redisCliQuote_data();
    void redisCliQuote();
    void xaddCommand();
    void nested_data();
    void nested();
    void nestedDesign004();
    void notDecodedInside_data();
    void notDecodedInside();
    void nestedZipBomb();
    void nestedTooDeep();
    void nestedTooMany();
    void nestedBudgetSharedByAllStrings();
    void layersForSearch();
    void previewDecodesOnlyWhatItShows();
};

void TestValueDecoder::decode_data()
{
    QTest::addColumn<QByteArray>("raw");
    QTest::addColumn<Kind>("kind");
    QTest::addColumn<QString>("label");
    QTest::addColumn<QString>("text");
    QTest::addColumn<qint64>("decodedSize");

    auto row = [](const char *name, const QByteArray &raw, Kind kind, const char *label,
                  const QString &text, qint64 decodedSize = -1) {
        QTest::newRow(name) << raw << kind << QString::fromUtf8(label) << text
                            << (decodedSize < 0 ? raw.size() : decodedSize);
    };
    auto text = [&row](const char *name, const QByteArray &raw) {
        row(name, raw, Kind::Text, "UTF-8 text", QString::fromUtf8(raw));
    };
    auto binary = [&row](const char *name, const QByteArray &raw) {
        row(name, raw, Kind::Binary, "binary (hex)", hexDump(raw));
    };

    row("empty", "", Kind::Empty, "empty", QString());

    // JSON: objects and arrays, re-indented with keys, numbers and escapes as stored.
    row("object", SampleJson, Kind::Json, "JSON", SamplePretty);
    row("array of objects, spaced", " [ {\"id\": 1} ,\n\t{\"id\" : 2} ] \n", Kind::Json, "JSON",
        QStringLiteral("[\n  {\n    \"id\": 1\n  },\n  {\n    \"id\": 2\n  }\n]"));
    row("nested arrays", "[[[1,[]]],{}]", Kind::Json, "JSON",
        QStringLiteral("[\n  [\n    [\n      1,\n      []\n    ]\n  ],\n  {}\n]"));
    row("empty object with spaces", "{ }", Kind::Json, "JSON", QStringLiteral("{}"));
    row("empty array", "[]", Kind::Json, "JSON", QStringLiteral("[]"));
    row("numbers, key order and duplicate keys as stored",
        R"({"z":18446744073709551616,"price":1.50,"e":1E+2,"z":-0})", Kind::Json, "JSON",
        QStringLiteral("{\n  \"z\": 18446744073709551616,\n  \"price\": 1.50,\n  \"e\": 1E+2,"
                       "\n  \"z\": -0\n}"));
    row("unicode and escapes", R"({"名前":"café ☕ 😀","esc":"\u00e9\n\"q\" \\"})", Kind::Json,
        "JSON",
        QStringLiteral("{\n  \"名前\": \"café ☕ 😀\",\n  \"esc\": \"\\u00e9\\n\\\"q\\\" \\\\\"\n}"));
    row("punctuation inside strings", R"({"s":"a,b:{c}[d] \"e\""})", Kind::Json, "JSON",
        QStringLiteral(R"({
  "s": "a,b:{c}[d] \"e\""
})"));

    // Valid JSON that is not a document reads as what it is: text.
    text("bare number", "42");
    text("bare string", "\"hello\"");
    text("true", "true");
    text("null", "null");
    // JSON-looking but invalid.
    text("unquoted key", "{not json}");
    text("trailing comma", R"({"a":1,})");
    text("unclosed array", "[1, 2");
    text("leading zero", R"({"a":01})");
    text("single quotes", "{'a':1}");
    text("two documents", "{}{}");

    // Text.
    text("base64 that is not compressed", "aGVsbG8gd29ybGQ=");
    text("lines, tabs, CRLF", "line 1\r\nline\t2\n");
    text("emoji with a joiner", "\xf0\x9f\x91\xa8\xe2\x80\x8d\xf0\x9f\x91\xa9"
                                " fam\xc3\xad"
                                "lia");
    text("begins like a zlib header", "x^2 + 1");
    text("begins like base64 zlib", "eJust a sentence");

    // Binary.
    binary("escape sequence", "\x1b[31mred");
    binary("NUL", QByteArray("a\0b", 3));
    binary("latin-1", "caf\xe9");
    binary("C1 control", "\xc2\x85");
    binary("overlong", "\xc0\xaf");
    binary("surrogate", "\xed\xa0\x80");
    binary("cut UTF-8", "abc\xe2\x82");
    binary("beyond U+10FFFF", "\xf4\x90\x80\x80");
    binary("protobuf-like", QByteArray::fromHex("0a0568656c6c6f10961a"));

    // Compressed: the gzip tool, qCompress, raw and base64.
    const QByteArray json = SampleJson;
    const QByteArray words = "Lorem ipsum dolor sit amet\nconsectetur adipiscing elit\n";
    const qint64 jsonSize = json.size();
    row("zlib JSON (qCompress)", zlibOf(json), Kind::CompressedJson, "zlib → JSON", SamplePretty,
        jsonSize);
    row("zlib text", zlibOf(words), Kind::CompressedText, "zlib → text", QString::fromUtf8(words),
        words.size());
    row("zlib + base64 JSON", zlibOf(json).toBase64(), Kind::CompressedJson, "zlib + base64 → JSON",
        SamplePretty, jsonSize);
    row("zlib best speed", qCompress(json, 1).mid(4), Kind::CompressedJson, "zlib → JSON",
        SamplePretty, jsonSize);
    row("gzip JSON (gzip tool)", gzipTool(json), Kind::CompressedJson, "gzip → JSON", SamplePretty,
        jsonSize);
    row("gzip + base64 JSON (design 004)", gzipTool(json).toBase64(), Kind::CompressedJson,
        "gzip + base64 → JSON", SamplePretty, jsonSize);
    QByteArray numbers;
    for (int i = 0; i < 200; ++i)
        numbers += QByteArray::number(i * 7919 % 1000) + ' ';
    const QByteArray longGzip = wrapped(gzipTool(numbers).toBase64());
    QVERIFY(longGzip.count('\n') > 2);
    row("gzip + base64 with line breaks", longGzip, Kind::CompressedText, "gzip + base64 → text",
        QString::fromLatin1(numbers), numbers.size());
    row("gzip + base64url", gzipTool(json).toBase64(QByteArray::Base64UrlEncoding),
        Kind::CompressedJson, "gzip + base64 → JSON", SamplePretty, jsonSize);
    row("gzip text", gzipTool(words), Kind::CompressedText, "gzip → text", QString::fromUtf8(words),
        words.size());
    row("gzip unicode text", gzipTool("日本語のテキスト"), Kind::CompressedText, "gzip → text",
        QStringLiteral("日本語のテキスト"), QByteArray("日本語のテキスト").size());
    row("gzip of nothing", gzipTool(""), Kind::CompressedText, "gzip → text", QString(), 0);
    row("gzip, two members", gzipTool("{\"a\":") + gzipTool("[1]}"), Kind::CompressedJson,
        "gzip → JSON", QStringLiteral("{\n  \"a\": [\n    1\n  ]\n}"), 9);
}

void TestValueDecoder::decode()
{
    QFETCH(QByteArray, raw);
    QFETCH(Kind, kind);
    QFETCH(QString, label);
    QFETCH(QString, text);
    QFETCH(qint64, decodedSize);

    const DecodedValue value = decodeValue(raw);
    QCOMPARE(value.kind, kind);
    QCOMPARE(value.label, label);
    QCOMPARE(value.text, text);
    QCOMPARE(value.decodedSize, decodedSize);
    QCOMPARE(value.originalSize, raw.size());
    QVERIFY(!value.truncated);
    QCOMPARE(value.note, QString());
}

void TestValueDecoder::notInflated_data()
{
    QTest::addColumn<QByteArray>("raw");
    QTest::addColumn<Kind>("kind");
    QTest::addColumn<QString>("note"); // a pattern the note matches

    const QByteArray gz = gzipTool(SampleJson);
    QByteArray flipped = gz;
    flipped[14] = char(flipped[14] ^ 0x55);
    QByteArray badCrc = gz;
    badCrc[badCrc.size() - 6] = char(badCrc[badCrc.size() - 6] ^ 1);
    QByteArray badLength = gz;
    badLength[badLength.size() - 1] = char(badLength[badLength.size() - 1] ^ 1);
    const QByteArray binary = QByteArray::fromHex("00ff10e0c0de");

    auto row = [](const char *name, const QByteArray &raw, Kind kind, const char *note) {
        QTest::newRow(name) << raw << kind << QString::fromUtf8(note);
    };
    row("gzip magic only", "\x1f\x8b\x08", Kind::Binary, "^gzip data that does not inflate");
    row("gzip header only", gz.left(10), Kind::Binary, "data ends early");
    row("gzip without its trailer", gz.left(gz.size() - 8), Kind::Binary, "ends early");
    row("gzip, a corrupted byte", flipped, Kind::Binary, "does not inflate");
    row("gzip, bad CRC", badCrc, Kind::Binary, "incorrect data check");
    row("gzip, bad length", badLength, Kind::Binary, "incorrect length check");
    row("gzip, trailing garbage", gz + "xyz", Kind::Binary, "unexpected data after");
    row("gzip magic then garbage", "\x1f\x8b\x08garbage\xff\xff\xff\xff", Kind::Binary,
        "does not inflate");
    row("zlib cut short", zlibOf(SampleJson).left(12), Kind::Binary,
        "^zlib data that does not inflate");
    row("zlib, bad Adler-32", zlibOf(SampleJson).chopped(1) + 'x', Kind::Binary,
        "incorrect data check");
    row("gzip + base64, cut short", gz.left(20).toBase64(), Kind::Text,
        "^gzip \\+ base64 data that does not inflate");
    row("gzip + base64, corrupted", flipped.toBase64(), Kind::Text, "does not inflate");
    row("gzip of binary", gzipTool(binary), Kind::Binary,
        "^gzip data inflating to 6 bytes of binary: shown as stored$");
    row("zlib + base64 of binary", zlibOf(binary).toBase64(), Kind::Text,
        "inflating to 6 bytes of binary");
}

// Compressed-looking data that does not inflate to JSON or text is shown as stored, with a
// note that says why.
void TestValueDecoder::notInflated()
{
    QFETCH(QByteArray, raw);
    QFETCH(Kind, kind);
    QFETCH(QString, note);

    const DecodedValue value = decodeValue(raw);
    QCOMPARE(value.kind, kind);
    QVERIFY2(value.note.contains(QRegularExpression(note)), qPrintable(value.note));
    QCOMPARE(value.text, kind == Kind::Binary ? hexDump(raw) : QString::fromLatin1(raw));
    QCOMPARE(value.originalSize, raw.size());
    QCOMPARE(value.decodedSize, raw.size());
}

void TestValueDecoder::everyTruncatedGzipIsBinary()
{
    const QByteArray gz = gzipTool(bigJson(4000));
    for (qsizetype n = 3; n < gz.size(); ++n) {
        const QByteArray cut = gz.left(n);
        const DecodedValue value = decodeValue(cut);
        QCOMPARE(value.kind, Kind::Binary);
        QVERIFY2(!value.note.isEmpty(), qPrintable(QString::number(n)));
        QCOMPARE(value.text, hexDump(cut));
    }
    QCOMPARE(decodeValue(gz).kind, Kind::CompressedJson);
}

void TestValueDecoder::zipBomb_data()
{
    QTest::addColumn<QByteArray>("raw");
    QTest::addColumn<Kind>("kind");

    const QByteArray zeros(MaxDecodedSize + 1, '\0');
    const QByteArray gz = gzipTool(zeros);
    QTest::newRow("gzip") << gz << Kind::Binary;
    QTest::newRow("gzip + base64") << gz.toBase64() << Kind::Text;
    QTest::newRow("zlib") << zlibOf(zeros) << Kind::Binary;
}

// Inflating stops at MaxDecodedSize: the value is shown as stored, with a note.
void TestValueDecoder::zipBomb()
{
    QFETCH(QByteArray, raw);
    QFETCH(Kind, kind);

    QVERIFY(raw.size() < 1024 * 1024);
    const DecodedValue value = decodeValue(raw);
    QCOMPARE(value.kind, kind);
    QVERIFY2(value.note.contains(QLatin1String("inflating to more than 64")),
             qPrintable(value.note));
    QCOMPARE(value.decodedSize, raw.size());
    QCOMPARE(value.text, kind == Kind::Binary ? hexDump(raw) : QString::fromLatin1(raw));
}

void TestValueDecoder::inflatesUpToTheBound()
{
    const QByteArray text(MaxDecodedSize, 'a');
    const DecodedValue value = decodeValue(zlibOf(text));
    QCOMPARE(value.kind, Kind::CompressedText);
    QCOMPARE(value.decodedSize, MaxDecodedSize);
    QVERIFY(value.truncated);
    QCOMPARE(qint64(value.text.size()), DefaultDisplayLimit);
    QVERIFY(value.note.isEmpty());
}

void TestValueDecoder::truncation_data()
{
    QTest::addColumn<QByteArray>("raw");
    QTest::addColumn<qint64>("limit");
    QTest::addColumn<Kind>("kind");
    QTest::addColumn<QByteArray>("shown"); // the bytes `text` shows, truncated

    const qint64 mib = 1024 * 1024;
    QByteArray text = "0123456789"; // puts byte 1 MiB inside a 日
    while (text.size() < 3 * mib)
        text += "héllo wörld, 日本語\n"; // 1-, 2- and 3-byte characters
    QByteArray binary(3 * mib, Qt::Uninitialized);
    for (qsizetype i = 0; i < binary.size(); ++i)
        binary[i] = char((i * 7919) >> 3);

    // The 1 MiB cut falls inside a character: back to its start.
    qsizetype cut = mib;
    while ((uchar(text[cut]) & 0xc0) == 0x80)
        --cut;
    QVERIFY(cut < mib);
    QTest::newRow("3 MiB text") << text << DefaultDisplayLimit << Kind::Text << text.left(cut);
    QTest::newRow("3 MiB binary") << binary << DefaultDisplayLimit << Kind::Binary
                                  << binary.left(mib);
    QTest::newRow("gzip 3 MiB text")
        << gzipTool(text) << DefaultDisplayLimit << Kind::CompressedText << text.left(cut);
    QTest::newRow("inside a character")
        << QByteArray("aé日") << qint64(2) << Kind::Text << QByteArray("a");
    QTest::newRow("one byte over")
        << QByteArray("abcd") << qint64(3) << Kind::Text << QByteArray("abc");
    QTest::newRow("binary, 17 of 40 bytes")
        << QByteArray(40, '\x01') << qint64(17) << Kind::Binary << QByteArray(17, '\x01');
    QTest::newRow("limit 0") << QByteArray("abc") << qint64(0) << Kind::Text << QByteArray();
}

// Over the limit, only the first part is shown; the same call with NoDisplayLimit (the
// UI's "load all") shows everything.
void TestValueDecoder::truncation()
{
    QFETCH(QByteArray, raw);
    QFETCH(qint64, limit);
    QFETCH(Kind, kind);
    QFETCH(QByteArray, shown);

    const DecodedValue part = decodeValue(raw, limit);
    QCOMPARE(part.kind, kind);
    QVERIFY(part.truncated);
    QCOMPARE(part.originalSize, raw.size());
    const DecodedValue all = decodeValue(raw, NoDisplayLimit);
    QCOMPARE(all.kind, kind);
    QVERIFY(!all.truncated);
    if (kind == Kind::Binary) {
        QCOMPARE(part.text, hexDump(shown));
        QCOMPARE(part.text.count(QLatin1Char('\n')), (shown.size() + 15) / 16);
        QCOMPARE(bytesOfHexDump(all.text), raw);
    } else {
        QCOMPARE(part.text.toUtf8(), shown);
        QCOMPARE(all.text.toUtf8().size(), all.decodedSize);
        QVERIFY(all.text.startsWith(part.text));
    }
    // A limit as large as the value shows it all too.
    QVERIFY(!decodeValue(raw, all.decodedSize).truncated);
}

// A 3 MB JSON value: detected as JSON although only about 1 MiB of it is shown, and shown
// whole, re-indented but otherwise the same document, on "load all".
void TestValueDecoder::loadAllOfBigJson()
{
    const QByteArray json = bigJson(3'000'000);
    QVERIFY(json.size() > 3'000'000);

    const DecodedValue part = decodeValue(json);
    QCOMPARE(part.kind, Kind::Json);
    QCOMPARE(part.label, QStringLiteral("JSON"));
    QVERIFY(part.truncated);
    QCOMPARE(part.originalSize, json.size());
    const qint64 shown = part.text.toUtf8().size();
    QVERIFY2(shown <= DefaultDisplayLimit && shown > DefaultDisplayLimit - 4096,
             qPrintable(QString::number(shown)));
    QVERIFY(part.text.endsWith(QLatin1Char(','))); // cut at a line break

    const DecodedValue all = decodeValue(json, NoDisplayLimit);
    QCOMPARE(all.kind, Kind::Json);
    QVERIFY(!all.truncated);
    QVERIFY(all.text.startsWith(part.text + QLatin1Char('\n')));
    QVERIFY(
        all.text.startsWith(QLatin1String("[\n  {\n    \"id\": 0,\n    \"name\": \"item 0\",")));
    QVERIFY(all.text.contains(QLatin1String("\"price\": 12.50,")));
    QCOMPARE(QJsonDocument::fromJson(all.text.toUtf8()), QJsonDocument::fromJson(json));
    QString compact = all.text;
    compact.remove(QRegularExpression(QStringLiteral("\n *")))
        .replace(QLatin1String(": "), QLatin1String(":"));
    QCOMPARE(compact.toUtf8(), json);
}

void TestValueDecoder::hexDumpFormat_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<qint64>("maxBytes");
    QTest::addColumn<QString>("dump"); // as `hexdump -C` prints it

    QTest::newRow("nothing") << QByteArray() << NoDisplayLimit << QString();
    QTest::newRow("one byte") << QByteArray("A") << NoDisplayLimit
                              << QStringLiteral("00000000  41                      "
                                                "                          |A|\n");
    QTest::newRow("sixteen") << QByteArray("0123456789abcdef") << NoDisplayLimit
                             << QStringLiteral(
                                    "00000000  30 31 32 33 34 35 36 37  38 39 61 62 63 64 65 66  "
                                    "|0123456789abcdef|\n");
    QTest::newRow("seventeen, unprintable")
        << QByteArray("\x00\x01\x7f\x80\xff hi\n\t\"\\|~ \x1f\x41", 17) << NoDisplayLimit
        << QStringLiteral("00000000  00 01 7f 80 ff 20 68 69  0a 09 22 5c 7c 7e 20 1f  "
                          "|..... hi..\"\\|~ .|\n"
                          "00000010  41                      "
                          "                          |A|\n");
    QTest::newRow("first 9 of 32") << QByteArray(32, 'z') << qint64(9)
                                   << QStringLiteral("00000000  7a 7a 7a 7a 7a 7a 7a 7a  7a    "
                                                     "                   |zzzzzzzzz|\n");
    QTest::newRow("offsets") << QByteArray(0x120, 'q') << qint64(0x120)
                             << QString(); // checked below
}

void TestValueDecoder::hexDumpFormat()
{
    QFETCH(QByteArray, bytes);
    QFETCH(qint64, maxBytes);
    QFETCH(QString, dump);

    const QString out = hexDump(bytes, maxBytes);
    if (QByteArray(QTest::currentDataTag()) == "offsets") {
        const QStringList lines = out.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 0x12);
        QVERIFY(lines.at(1).startsWith(QLatin1String("00000010  71")));
        QVERIFY(lines.last().startsWith(QLatin1String("00000110  71")));
        for (const QString &line : lines)
            QCOMPARE(line.size(), 78);
        return;
    }
    QCOMPARE(out, dump);
}

// Every byte value, in every position on a line, comes back from the dump.
void TestValueDecoder::hexDumpKeepsEveryByte()
{
    QByteArray bytes;
    for (int round = 0; round < 17; ++round)
        for (int b = 0; b < 256; ++b)
            bytes += char((b + round) & 0xff);
    const DecodedValue value = decodeValue(bytes, NoDisplayLimit);
    QCOMPARE(value.kind, Kind::Binary);
    QCOMPARE(bytesOfHexDump(value.text), bytes);
    QCOMPARE(bytesOfHexDump(hexDump(bytes, 100)), bytes.left(100));
}

void TestValueDecoder::redisCliQuote_data()
{
    QTest::addColumn<QByteArray>("argument");
    QTest::addColumn<QByteArray>("quoted");

    QTest::newRow("plain") << QByteArray("orders") << QByteArray("orders");
    QTest::newRow("id") << QByteArray("1700000000000-0") << QByteArray("1700000000000-0");
    QTest::newRow("star") << QByteArray("*") << QByteArray("*");
    QTest::newRow("punctuation") << QByteArray("a:b{c}[d]=e,f") << QByteArray("a:b{c}[d]=e,f");
    QTest::newRow("empty") << QByteArray() << QByteArray(R"("")");
    QTest::newRow("space") << QByteArray("a b") << QByteArray(R"("a b")");
    QTest::newRow("double quotes") << QByteArray(R"(say "hi")") << QByteArray(R"("say \"hi\"")");
    QTest::newRow("single quote") << QByteArray("it's") << QByteArray(R"("it's")");
    QTest::newRow("backslash") << QByteArray(R"(C:\x41)") << QByteArray(R"("C:\\x41")");
    QTest::newRow("controls") << QByteArray("\n\r\t\a\b\0\x1b\x7f", 8)
                              << QByteArray(R"("\n\r\t\a\b\x00\x1b\x7f")");
    QTest::newRow("UTF-8") << QByteArray("café") << QByteArray(R"("caf\xc3\xa9")");
    QTest::newRow("high bytes") << QByteArray("\x80\xff") << QByteArray(R"("\x80\xff")");
    QTest::newRow("JSON") << QByteArray(R"({"a":[1,"b c"]})")
                          << QByteArray(R"("{\"a\":[1,\"b c\"]}")");
}

void TestValueDecoder::redisCliQuote()
{
    QFETCH(QByteArray, argument);
    QFETCH(QByteArray, quoted);
    QCOMPARE(::redisCliQuote(argument), quoted);
}

void TestValueDecoder::xaddCommand()
{
    QCOMPARE(
        redisCliXaddCommand("orders", "*", {{"data", R"({"a":1})"}, {"timestamp", "1700000000"}}),
        QByteArray(R"(XADD orders * data "{\"a\":1}" timestamp 1700000000)"));
    QCOMPARE(redisCliXaddCommand("my stream", "1-1", {{"", ""}}),
             QByteArray(R"(XADD "my stream" 1-1 "" "")"));
}

// Strings inside JSON that are base64 of gzip, zlib, JSON or text are shown decoded in
// their place, with the decoders applied and where.
void TestValueDecoder::nested_data()
{
    QTest::addColumn<QByteArray>("raw");
    QTest::addColumn<QStringList>("found"); // "path: chain", in document order
    QTest::addColumn<QString>("text");

    const QByteArray inner = R"({"cpu":12.5,"id":12345678901234567890})";
    QTest::newRow("zlib + base64 text in an array")
        << R"({"items":["plain",")" + zlibOf("hello from zlib").toBase64() + R"("]})"
        << QStringList{QStringLiteral("$.items[1]: base64 → zlib → text")}
        << QStringLiteral("{\n  \"items\": [\n    \"plain\",\n"
                          "    /* base64 → zlib → text */ \"hello from zlib\"\n  ]\n}");
    QTest::newRow("plain base64 of JSON, key with a space")
        << R"({"a b":")" + QByteArray(R"({"k":[1,2]})").toBase64() + R"("})"
        << QStringList{QStringLiteral(R"($["a b"]: base64 → JSON)")}
        << QStringLiteral("{\n  \"a b\": /* base64 → JSON */ {\n    \"k\": [\n      1,\n"
                          "      2\n    ]\n  }\n}");
    QTest::newRow("plain base64 of text with a line break")
        << R"({"m":")" + QByteArray("line one\nline two").toBase64() + R"("})"
        << QStringList{QStringLiteral("$.m: base64 → text")}
        << QStringLiteral("{\n  \"m\": /* base64 → text */ \"line one\\nline two\"\n}");
    QByteArray inner2 = inner;
    while (!gzipTool(inner2).toBase64().contains('/'))
        inner2.insert(1, ' ');
    QByteArray escaped = gzipTool(inner2).toBase64();
    escaped.replace("/", "\\/"); // as PHP's json_encode writes it
    QVERIFY(escaped.contains("\\/"));
    QTest::newRow("gzip + base64 with escaped slashes")
        << R"({"d":")" + escaped + R"("})"
        << QStringList{QStringLiteral("$.d: base64 → gzip → JSON")}
        << QStringLiteral("{\n  \"d\": /* base64 → gzip → JSON */ {\n    \"cpu\": 12.5,\n"
                          "    \"id\": 12345678901234567890\n  }\n}");
    const QByteArray level2 =
        R"({"inner":")" + QByteArray(R"(["x", "level two"])").toBase64() + R"(","note":"inside"})";
    QTest::newRow("two levels") << R"({"data":")" + gzipTool(level2).toBase64() + R"("})"
                                << QStringList{QStringLiteral("$.data: base64 → gzip → JSON"),
                                               QStringLiteral("$.data.inner: base64 → JSON")}
                                << QStringLiteral(
                                       "{\n  \"data\": /* base64 → gzip → JSON */ {\n"
                                       "    \"inner\": /* base64 → JSON */ [\n      \"x\",\n"
                                       "      \"level two\"\n"
                                       "    ],\n"
                                       "    \"note\": \"inside\"\n  }\n}");
}

void TestValueDecoder::nested()
{
    QFETCH(QByteArray, raw);
    QFETCH(QStringList, found);
    QFETCH(QString, text);

    const DecodedValue value = decodeValue(raw);
    QCOMPARE(value.kind, Kind::Json);
    QStringList got;
    for (const NestedDecoding &n : value.nested)
        got << n.path + QStringLiteral(": ") + n.chain;
    QCOMPARE(got, found);
    QCOMPARE(value.text, text);
    QCOMPARE(value.note, QString());
    QCOMPARE(value.originalSize, raw.size());
    QVERIFY(value.label.startsWith(QLatin1String("JSON, with ")));
}

// Design 004's broadcast payload: {"data":"H4sI…"} inside a JSON entry, and the whole
// value itself gzip + base64.
void TestValueDecoder::nestedDesign004()
{
    const QByteArray stats = R"({"sessions":3,"userId":456})";
    const QByteArray raw =
        R"({"type":"metrics","stats":{"data":")" + gzipTool(stats).toBase64() + R"("}})";
    QVERIFY(raw.contains("\"H4sI"));
    const DecodedValue value = decodeValue(raw);
    QCOMPARE(value.kind, Kind::Json);
    QCOMPARE(value.label, QStringLiteral("JSON, with base64 → gzip → JSON at $.stats.data"));
    QCOMPARE(value.text, QStringLiteral("{\n  \"type\": \"metrics\",\n  \"stats\": {\n"
                                        "    \"data\": /* base64 → gzip → JSON */ {\n"
                                        "      \"sessions\": 3,\n      \"userId\": 456\n"
                                        "    }\n  }\n}"));

    // The same entry stored as gzip + base64 itself: both levels are decoded.
    const DecodedValue outer = decodeValue(gzipTool(raw).toBase64());
    QCOMPARE(outer.kind, Kind::CompressedJson);
    QCOMPARE(outer.label,
             QStringLiteral("gzip + base64 → JSON, with base64 → gzip → JSON at $.stats.data"));
    QCOMPARE(outer.text, value.text);
    QCOMPARE(outer.decodedSize, raw.size());
}

// Strings that merely look like base64 stay as they are.
void TestValueDecoder::notDecodedInside_data()
{
    QTest::addColumn<QByteArray>("raw");
    QTest::newRow("words and ids")
        << QByteArray(R"({"state":"internationalization","sha":")"
                      R"(e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",)"
                      R"("uuid":"550e8400-e29b-41d4-a716-446655440000","n":"1234567890123456"})");
    QTest::newRow("short base64") << QByteArray(R"({"s":"aGVsbG8="})");
    QTest::newRow("base64 of binary")
        << R"({"b":")" + QByteArray::fromHex("00ff10e08899aabbccddeeff01020304").toBase64()
               + R"("})";
    QTest::newRow("base64 as a key") << R"({")" + QByteArray(R"({"k":1})").toBase64() + R"(":1})";
}

void TestValueDecoder::notDecodedInside()
{
    QFETCH(QByteArray, raw);
    const DecodedValue value = decodeValue(raw);
    QCOMPARE(value.kind, Kind::Json);
    QCOMPARE(value.label, QStringLiteral("JSON"));
    QVERIFY(value.nested.isEmpty());
    QVERIFY(!value.text.contains(QLatin1String("/*")));
    QVERIFY(decodedLayers(raw).isEmpty());
}

// A gzip bomb inside JSON is not inflated beyond the bound: shown as stored, and said.
void TestValueDecoder::nestedZipBomb()
{
    const QByteArray bomb = gzipTool(QByteArray(MaxNestedDecodedSize + 1, '\0')).toBase64();
    const QByteArray raw = R"({"id":7,"data":")" + bomb + R"("})";
    QVERIFY(raw.size() < 1024 * 1024);
    const DecodedValue value = decodeValue(raw);
    QCOMPARE(value.kind, Kind::Json);
    QCOMPARE(value.label, QStringLiteral("JSON"));
    QVERIFY(value.nested.isEmpty());
    QVERIFY2(value.note.startsWith(QStringLiteral("$.data: base64 → gzip data inflating to more "
                                                  "than 64")),
             qPrintable(value.note));
    QVERIFY(value.text.contains(QString::fromLatin1(bomb.left(64))));
    QVERIFY(decodedLayers(raw).isEmpty());
}

// JSON in base64 in JSON… stops after MaxNestedDepth levels, and says so.
void TestValueDecoder::nestedTooDeep()
{
    QByteArray raw = R"({"bottom":true})";
    for (int level = 0; level < MaxNestedDepth + 2; ++level)
        raw = R"({"d":")" + zlibOf(raw).toBase64() + R"("})";
    const DecodedValue value = decodeValue(raw);
    QCOMPARE(value.kind, Kind::Json);
    QCOMPARE(value.nested.size(), MaxNestedDepth);
    QCOMPARE(value.nested.last().path, QStringLiteral("$.d.d.d.d"));
    QVERIFY2(value.note
                 == QStringLiteral("$.d.d.d.d.d: base64 → zlib nested more than 4 levels "
                                   "deep: shown as stored"),
             qPrintable(value.note));
    QCOMPARE(value.text.count(QStringLiteral("/* base64 → zlib → JSON */")), MaxNestedDepth);
    QVERIFY(!value.text.contains(QLatin1String("bottom")));
}

void TestValueDecoder::nestedTooMany()
{
    QByteArray raw = "[";
    const QByteArray item = '"' + QByteArray("hello, world, again").toBase64() + '"';
    for (int i = 0; i < MaxNestedValues + 5; ++i)
        raw += (i ? "," : "") + item;
    raw += ']';
    const DecodedValue value = decodeValue(raw);
    QCOMPARE(value.nested.size(), MaxNestedValues);
    QCOMPARE(value.label, QStringLiteral("JSON, with 1000 strings inside decoded"));
    QCOMPARE(value.note, QStringLiteral("more than 1000 strings inside hold encoded data: the "
                                        "rest are shown as stored"));
}

// All the strings of one value share MaxNestedDecodedSize.
void TestValueDecoder::nestedBudgetSharedByAllStrings()
{
    const QByteArray half = gzipTool(QByteArray(MaxNestedDecodedSize / 2 + 10, 'a')).toBase64();
    const QByteArray raw = R"({"a":")" + half + R"(","b":")" + half + R"("})";
    const DecodedValue value = decodeValue(raw, NoDisplayLimit);
    QCOMPARE(value.nested.size(), 1);
    QCOMPARE(value.nested.first().path, QStringLiteral("$.a"));
    QVERIFY2(value.note.startsWith(QStringLiteral("$.b: base64 → gzip data inflating to more "
                                                  "than the 32")),
             qPrintable(value.note));
    QVERIFY(!value.truncated);
    QVERIFY(value.text.startsWith(QStringLiteral("{\n  \"a\": /* base64 → gzip → text */ \"aaaa")));
    QVERIFY(value.text.endsWith(QStringLiteral("aaa\",\n  \"b\": \"") + QString::fromLatin1(half)
                                + QStringLiteral("\"\n}")));
}

void TestValueDecoder::layersForSearch()
{
    const QByteArray stats = R"({"sessions":3,"needle":"found me"})";
    const QByteArray raw =
        R"({"type":"metrics","stats":{"data":")" + gzipTool(stats).toBase64() + R"("}})";
    QList<DecodedLayer> layers = decodedLayers(raw);
    QCOMPARE(layers.size(), 1);
    QCOMPARE(layers.first().where, QStringLiteral("$.stats.data: base64 → gzip → JSON"));
    QCOMPARE(layers.first().bytes, stats);

    layers = decodedLayers(gzipTool(raw).toBase64());
    QCOMPARE(layers.size(), 2);
    QCOMPARE(layers.at(0).where, QStringLiteral("gzip + base64 → JSON"));
    QCOMPARE(layers.at(0).bytes, raw);
    QCOMPARE(layers.at(1).bytes, stats);

    QCOMPARE(decodedLayers(zlibOf("some text")).value(0).bytes, QByteArray("some text"));
    for (const QByteArray &plain :
         {QByteArray("hello"), QByteArray(SampleJson), QByteArray("aGVsbG8gd29ybGQ="), QByteArray(),
          QByteArray("\x1f\x8b\x08garbage")})
        QVERIFY(decodedLayers(plain).isEmpty());
    // Search decodes less than the display: a stream of bombs must not stall it.
    const QByteArray big = gzipTool(QByteArray(MaxSearchDecodedSize + 1, 'x')).toBase64();
    QVERIFY(decodedLayers(big).isEmpty());
    QVERIFY(decodedLayers(R"({"d":")" + big + R"("})").isEmpty());
}

// A short preview (the dead-letter table's) does not inflate strings it cannot show: a
// bomb at the end of a long value costs it nothing, and the full view still says so.
void TestValueDecoder::previewDecodesOnlyWhatItShows()
{
    const QByteArray first = R"({"n":1,"s":"first"})";
    QByteArray raw = R"({"a":")" + zlibOf(first).toBase64() + R"(","pad":")"
                     + QByteArray(20000, 'p') + R"(","z":")"
                     + gzipTool(QByteArray(MaxNestedDecodedSize + 1, '\0')).toBase64() + R"("})";
    QElapsedTimer timer;
    timer.start();
    const DecodedValue preview = decodeValue(raw, 300);
    const qint64 previewMs = timer.elapsed();
    QVERIFY(preview.truncated);
    QCOMPARE(preview.nested.size(), 1);
    QCOMPARE(preview.nested.first().path, QStringLiteral("$.a"));
    QVERIFY(preview.text.contains(QStringLiteral("/* base64 → zlib → JSON */ {")));
    QCOMPARE(preview.note, QString()); // the bomb was not looked at
    const DecodedValue all = decodeValue(raw, NoDisplayLimit);
    QCOMPARE(all.nested.size(), 1);
    QVERIFY2(all.note.startsWith(QStringLiteral("$.z: base64 → gzip data inflating")),
             qPrintable(all.note));
    qInfo("preview %lld ms", previewMs);
}

QTEST_GUILESS_MAIN(TestValueDecoder)
#include "tst_valuedecoder.moc"
