// RecordWriter, the one way weirctl prints rows: aligned tables with "-" for null, CSV
// as RFC 4180 quotes it, and JSON documents that parse, carry their schema and version,
// and keep numbers as numbers. No server: the writer is fed rows and its text read back.

#include "recordwriter.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTextStream>
#include <QtTest>

namespace {

using Column = RecordWriter::Column;

const QList<Column> streamColumns = {
    {QStringLiteral("stream"), QStringLiteral("STREAM"), false},
    {QStringLiteral("length"), QStringLiteral("LENGTH"), true},
    {QStringLiteral("lag"), QStringLiteral("LAG"), true},
    {QStringLiteral("last_id"), QStringLiteral("LAST ID"), false},
};

QJsonObject streamRow(const QString &stream, const QJsonValue &length, const QJsonValue &lag,
                      const QJsonValue &lastId)
{
    return {{QStringLiteral("stream"), stream},
            {QStringLiteral("length"), length},
            {QStringLiteral("lag"), lag},
            {QStringLiteral("last_id"), lastId}};
}

// Runs `write` on a writer in `format` and returns everything it printed.
template<typename Write> QString written(OutputFormat format, Write write)
{
    QString text;
    {
        QTextStream out(&text);
        RecordWriter writer(format, out, QStringLiteral("weirctl.test"), 3);
        write(writer);
    }
    return text;
}

} // namespace

class TestRecordWriter : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void parseFormat();
    void tableAlignsColumns();
    void tableAlignsWideCharacters();
    void tableKeepsACellOnItsLine();
    void tableFieldsAndSeveralTables();
    void tableWidthsFromTheFirstRowsThenStreams();
    void csvQuoting_data();
    void csvQuoting();
    void csvFieldsAndSeveralTables();
    void jsonSeveralTablesAndFields();
    void jsonWithoutTables();
    void jsonNumbersStayNumbers_data();
    void jsonNumbersStayNumbers();
    void jsonStringsAndNesting_data();
    void jsonStringsAndNesting();
    void rowInOrderAsARowObject_data();
    void rowInOrderAsARowObject();
    void cellText();
};

void TestRecordWriter::parseFormat()
{
    OutputFormat format = OutputFormat::Table;
    QVERIFY(RecordWriter::parseFormat(QStringLiteral("json"), &format));
    QCOMPARE(format, OutputFormat::Json);
    QVERIFY(RecordWriter::parseFormat(QStringLiteral("csv"), &format));
    QCOMPARE(format, OutputFormat::Csv);
    QVERIFY(RecordWriter::parseFormat(QStringLiteral("table"), &format));
    QCOMPARE(format, OutputFormat::Table);
    QVERIFY(!RecordWriter::parseFormat(QStringLiteral("yaml"), &format));
    QVERIFY(!RecordWriter::parseFormat(QStringLiteral("JSON"), &format));
    QCOMPARE(format, OutputFormat::Table);
}

void TestRecordWriter::tableAlignsColumns()
{
    const QString text = written(OutputFormat::Table, [](RecordWriter &w) {
        w.beginTable(QStringLiteral("streams"), streamColumns);
        w.row(streamRow(QStringLiteral("orders"), 1250, 12, QStringLiteral("1700000000000-0")));
        w.row(
            streamRow(QStringLiteral("payments:dlq"), 3, QJsonValue::Null, QStringLiteral("1-1")));
        w.row(streamRow(QStringLiteral("q"), 0, 0, QJsonValue::Null));
        w.endTable();
    });
    // Text left-aligned, numbers right-aligned, two blanks between columns, null as "-",
    // no trailing blanks.
    const QString expected = QStringLiteral("STREAM        LENGTH  LAG  LAST ID\n"
                                            "orders          1250   12  1700000000000-0\n"
                                            "payments:dlq       3    -  1-1\n"
                                            "q                  0    0  -\n");
    QCOMPARE(text, expected);
}

void TestRecordWriter::tableAlignsWideCharacters()
{
    const QList<Column> columns = {{QStringLiteral("name"), QStringLiteral("NAME"), false},
                                   {QStringLiteral("n"), QStringLiteral("N"), true}};
    const QString text = written(OutputFormat::Table, [&columns](RecordWriter &w) {
        w.beginTable(QStringLiteral("t"), columns);
        // Four CJK characters take eight columns on a terminal.
        w.row({{QStringLiteral("name"), QStringLiteral("任务队列")}, {QStringLiteral("n"), 1}});
        w.row({{QStringLiteral("name"), QStringLiteral("tasks")}, {QStringLiteral("n"), 22}});
        w.endTable();
    });
    QCOMPARE(text, QStringLiteral("NAME       N\n"
                                  "任务队列   1\n"
                                  "tasks     22\n"));
}

void TestRecordWriter::tableKeepsACellOnItsLine()
{
    const QList<Column> columns = {{QStringLiteral("data"), QStringLiteral("DATA"), false},
                                   {QStringLiteral("id"), QStringLiteral("ID"), false}};
    const QString text = written(OutputFormat::Table, [&columns](RecordWriter &w) {
        w.beginTable(QStringLiteral("entries"), columns);
        w.row({{QStringLiteral("data"), QStringLiteral("a\nb\tc")},
               {QStringLiteral("id"), QStringLiteral("1-0")}});
        w.endTable();
    });
    QCOMPARE(text, QStringLiteral("DATA     ID\n"
                                  "a\\nb\\tc  1-0\n"));
}

void TestRecordWriter::tableFieldsAndSeveralTables()
{
    const QList<Column> histogram = {
        {QStringLiteral("deliveries"), QStringLiteral("DELIVERIES"), true},
        {QStringLiteral("entries"), QStringLiteral("ENTRIES"), true}};
    const QString text = written(OutputFormat::Table, [&histogram](RecordWriter &w) {
        w.field(QStringLiteral("stream"), QStringLiteral("orders"));
        w.field(QStringLiteral("lag"), QJsonValue::Null);
        w.field(QStringLiteral("complete"), true);
        w.beginTable(QStringLiteral("histogram"), histogram);
        w.row({{QStringLiteral("deliveries"), 1}, {QStringLiteral("entries"), 40}});
        w.endTable();
        w.field(QStringLiteral("total"), 40);
        w.beginTable(QStringLiteral("again"), histogram);
        w.endTable();
    });
    QCOMPARE(text, QStringLiteral("stream: orders\n"
                                  "lag: -\n"
                                  "complete: yes\n"
                                  "\n"
                                  "DELIVERIES  ENTRIES\n"
                                  "         1       40\n"
                                  "\n"
                                  "total: 40\n"
                                  "\n"
                                  "DELIVERIES  ENTRIES\n"));
}

void TestRecordWriter::tableWidthsFromTheFirstRowsThenStreams()
{
    // A long scan must show rows before it ends: the first hundred size the columns, the
    // later ones go out as they come, in those widths.
    QString text;
    QTextStream out(&text);
    RecordWriter writer(OutputFormat::Table, out, QStringLiteral("weirctl.test"), 1);
    writer.beginTable(QStringLiteral("streams"), streamColumns);
    for (int i = 0; i < 100; ++i)
        writer.row(streamRow(QStringLiteral("s%1").arg(i), i, i, QStringLiteral("1-0")));
    QCOMPARE(text, QString()); // still held: the widths are not known yet
    writer.row(streamRow(QStringLiteral("s100"), 100, 100, QStringLiteral("1-0")));
    QCOMPARE(text.count(QLatin1Char('\n')), 102); // header and 101 rows
    writer.row(streamRow(QStringLiteral("after"), 5, 5, QStringLiteral("1-0")));
    QCOMPARE(text.count(QLatin1Char('\n')), 103);
    const QStringList lines = text.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    QCOMPARE(lines.first(), QStringLiteral("STREAM  LENGTH  LAG  LAST ID"));
    QCOMPARE(lines.at(101), QStringLiteral("s100       100  100  1-0"));
    QCOMPARE(lines.last(), QStringLiteral("after        5    5  1-0"));
}

void TestRecordWriter::csvQuoting_data()
{
    QTest::addColumn<QJsonValue>("value");
    QTest::addColumn<QString>("cell");
    QTest::newRow("plain") << QJsonValue(QStringLiteral("orders")) << QStringLiteral("orders");
    QTest::newRow("comma") << QJsonValue(QStringLiteral("a,b")) << QStringLiteral("\"a,b\"");
    QTest::newRow("quote") << QJsonValue(QStringLiteral("say \"hi\""))
                           << QStringLiteral("\"say \"\"hi\"\"\"");
    QTest::newRow("newline") << QJsonValue(QStringLiteral("a\nb")) << QStringLiteral("\"a\nb\"");
    QTest::newRow("carriage return")
        << QJsonValue(QStringLiteral("a\rb")) << QStringLiteral("\"a\rb\"");
    QTest::newRow("null") << QJsonValue(QJsonValue::Null) << QString();
    QTest::newRow("empty") << QJsonValue(QString()) << QString();
    QTest::newRow("integer") << QJsonValue(qint64(1700000000123))
                             << QStringLiteral("1700000000123");
    QTest::newRow("fraction") << QJsonValue(0.25) << QStringLiteral("0.25");
    QTest::newRow("true") << QJsonValue(true) << QStringLiteral("true");
    QTest::newRow("false") << QJsonValue(false) << QStringLiteral("false");
    QTest::newRow("object") << QJsonValue(QJsonObject{{QStringLiteral("k"), 1}})
                            << QStringLiteral("\"{\"\"k\"\":1}\"");
}

void TestRecordWriter::csvQuoting()
{
    QFETCH(QJsonValue, value);
    QFETCH(QString, cell);
    const QList<Column> columns = {{QStringLiteral("id"), QStringLiteral("ID"), false},
                                   {QStringLiteral("value"), QStringLiteral("VALUE"), false}};
    const QString text = written(OutputFormat::Csv, [&](RecordWriter &w) {
        w.beginTable(QStringLiteral("t"), columns);
        w.row({{QStringLiteral("id"), QStringLiteral("1-0")}, {QStringLiteral("value"), value}});
        w.endTable();
    });
    // The header names the JSON members; lines end with CRLF.
    QCOMPARE(text, QStringLiteral("id,value\r\n1-0,") + cell + QStringLiteral("\r\n"));
}

void TestRecordWriter::csvFieldsAndSeveralTables()
{
    const QList<Column> columns = {{QStringLiteral("name"), QStringLiteral("NAME"), false},
                                   {QStringLiteral("pending"), QStringLiteral("PENDING"), true}};
    const QString text = written(OutputFormat::Csv, [&columns](RecordWriter &w) {
        w.field(QStringLiteral("stream"), QStringLiteral("orders"));
        w.beginTable(QStringLiteral("groups"), columns);
        w.row({{QStringLiteral("name"), QStringLiteral("g1")}, {QStringLiteral("pending"), 2}});
        w.endTable();
        w.field(QStringLiteral("complete"), false);
        w.beginTable(QStringLiteral("more"), columns);
        w.row({{QStringLiteral("name"), QStringLiteral("g2")}});
        w.endTable();
        w.field(QStringLiteral("lag"), QJsonValue::Null);
    });
    QCOMPARE(text, QStringLiteral("field,value\r\n"
                                  "stream,orders\r\n"
                                  "\r\n"
                                  "name,pending\r\n"
                                  "g1,2\r\n"
                                  "\r\n"
                                  "field,value\r\n"
                                  "complete,false\r\n"
                                  "\r\n"
                                  "name,pending\r\n"
                                  "g2,\r\n"
                                  "\r\n"
                                  "field,value\r\n"
                                  "lag,\r\n"));
}

void TestRecordWriter::jsonSeveralTablesAndFields()
{
    const QList<Column> consumers = {{QStringLiteral("name"), QStringLiteral("NAME"), false},
                                     {QStringLiteral("idle_ms"), QStringLiteral("IDLE"), true}};
    const QString awkward = QStringLiteral("q\"uo\\te\n\t任务 \x01");
    const QString text = written(OutputFormat::Json, [&](RecordWriter &w) {
        w.field(QStringLiteral("stream"), awkward);
        w.field(QStringLiteral("lag"), QJsonValue::Null);
        w.field(QStringLiteral("lag_unknown_reason"), QStringLiteral("entries deleted"));
        w.beginTable(QStringLiteral("groups"), streamColumns);
        w.row(streamRow(QStringLiteral("g1"), 10, 0, QStringLiteral("1-0")));
        w.row(streamRow(QStringLiteral("g2"), 11, QJsonValue::Null, QJsonValue::Null));
        w.endTable();
        w.field(QStringLiteral("complete"), true);
        w.beginTable(QStringLiteral("consumers"), consumers);
        w.endTable();
        w.beginTable(QStringLiteral("histogram"), consumers);
        w.row({{QStringLiteral("name"), QStringLiteral("c")},
               {QStringLiteral("idle_ms"), 5},
               {QStringLiteral("nested"), QJsonArray{1, QStringLiteral("x")}}});
        w.endTable();
    });
    QVERIFY2(text.endsWith(QLatin1Char('\n')), qPrintable(text));
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(text.toUtf8(), &error);
    QVERIFY2(doc.isObject(), qPrintable(error.errorString() + QLatin1Char('\n') + text));
    const QJsonObject o = doc.object();
    QCOMPARE(o.value(QStringLiteral("schema")), QJsonValue(QStringLiteral("weirctl.test")));
    QVERIFY(o.value(QStringLiteral("version")).isDouble());
    QCOMPARE(o.value(QStringLiteral("version")).toInt(), 3);
    QCOMPARE(o.value(QStringLiteral("stream")).toString(), awkward);
    QVERIFY(o.value(QStringLiteral("lag")).isNull());
    QCOMPARE(o.value(QStringLiteral("complete")), QJsonValue(true));
    const QJsonArray groups = o.value(QStringLiteral("groups")).toArray();
    QCOMPARE(groups.size(), 2);
    QCOMPARE(groups.at(0).toObject(),
             streamRow(QStringLiteral("g1"), 10, 0, QStringLiteral("1-0")));
    QVERIFY(groups.at(0).toObject().value(QStringLiteral("lag")).isDouble());
    QVERIFY(groups.at(1).toObject().value(QStringLiteral("lag")).isNull());
    QVERIFY(groups.at(1).toObject().contains(QStringLiteral("last_id")));
    QVERIFY(o.value(QStringLiteral("consumers")).isArray());
    QVERIFY(o.value(QStringLiteral("consumers")).toArray().isEmpty());
    const QJsonObject row = o.value(QStringLiteral("histogram")).toArray().at(0).toObject();
    QCOMPARE(row.value(QStringLiteral("nested")).toArray(), (QJsonArray{1, QStringLiteral("x")}));
    QCOMPARE(o.keys().size(), 9);
}

void TestRecordWriter::jsonWithoutTables()
{
    const QString text = written(OutputFormat::Json, [](RecordWriter &) {});
    const QJsonDocument doc = QJsonDocument::fromJson(text.toUtf8());
    QVERIFY2(doc.isObject(), qPrintable(text));
    QCOMPARE(doc.object(), (QJsonObject{{QStringLiteral("schema"), QStringLiteral("weirctl.test")},
                                        {QStringLiteral("version"), 3}}));
}

void TestRecordWriter::jsonNumbersStayNumbers_data()
{
    QTest::addColumn<QJsonValue>("value");
    QTest::addColumn<QString>("text");
    QTest::newRow("zero") << QJsonValue(0) << QStringLiteral("0");
    QTest::newRow("negative") << QJsonValue(-42) << QStringLiteral("-42");
    QTest::newRow("milliseconds") << QJsonValue(qint64(1700000000123))
                                  << QStringLiteral("1700000000123");
    QTest::newRow("2^53") << QJsonValue(qint64(9007199254740992))
                          << QStringLiteral("9007199254740992");
    QTest::newRow("fraction") << QJsonValue(1.5) << QStringLiteral("1.5");
    QTest::newRow("from double") << QJsonValue(double(86400000)) << QStringLiteral("86400000");
}

void TestRecordWriter::jsonNumbersStayNumbers()
{
    QFETCH(QJsonValue, value);
    QFETCH(QString, text);
    const QList<Column> columns = {{QStringLiteral("n"), QStringLiteral("N"), true}};
    const QString json = written(OutputFormat::Json, [&](RecordWriter &w) {
        w.field(QStringLiteral("total"), value);
        w.beginTable(QStringLiteral("rows"), columns);
        w.row({{QStringLiteral("n"), value}});
        w.endTable();
    });
    // Written as a bare JSON number, as jq and every JSON reader expect, in full.
    QVERIFY2(json.contains(QStringLiteral("\"total\":") + text + QLatin1Char(',')),
             qPrintable(json));
    QVERIFY2(json.contains(QStringLiteral("{\"n\":") + text + QLatin1Char('}')), qPrintable(json));
    const QJsonObject o = QJsonDocument::fromJson(json.toUtf8()).object();
    QVERIFY(o.value(QStringLiteral("total")).isDouble());
    QCOMPARE(o.value(QStringLiteral("total")).toDouble(), value.toDouble());
    // And the same digits in a table.
    const QString table = written(OutputFormat::Table, [&](RecordWriter &w) {
        w.beginTable(QStringLiteral("rows"), columns);
        w.row({{QStringLiteral("n"), value}});
        w.endTable();
    });
    QCOMPARE(table.split(QLatin1Char('\n')).at(1).trimmed(), text);
}

void TestRecordWriter::jsonStringsAndNesting_data()
{
    QTest::addColumn<QJsonValue>("value");
    QTest::addColumn<QString>("text"); // how it is written; empty: only read back
    QTest::newRow("plain") << QJsonValue(QStringLiteral("orders:dlq"))
                           << QStringLiteral("\"orders:dlq\"");
    QTest::newRow("quote and backslash") << QJsonValue(QStringLiteral("say \"hi\" \\o/"))
                                         << QStringLiteral("\"say \\\"hi\\\" \\\\o/\"");
    QTest::newRow("line breaks and tab")
        << QJsonValue(QStringLiteral("a\nb\r\tc")) << QStringLiteral("\"a\\nb\\r\\tc\"");
    QTest::newRow("control") << QJsonValue(QString(QChar(1)) + QStringLiteral("x") + QChar(0x1f))
                             << QStringLiteral("\"\\u0001x\\u001f\"");
    QTest::newRow("non-ASCII as it is")
        << QJsonValue(QStringLiteral("订单 ☃ 🚀")) << QStringLiteral("\"订单 ☃ 🚀\"");
    QTest::newRow("empty") << QJsonValue(QString()) << QStringLiteral("\"\"");
    QTest::newRow("bools and null") << QJsonValue(QJsonArray{true, false, QJsonValue::Null})
                                    << QStringLiteral("[true,false,null]");
    QTest::newRow("nested") << QJsonValue(QJsonObject{
        {QStringLiteral("fields"), QJsonObject{{QStringLiteral("a\""), QStringLiteral("1")},
                                               {QStringLiteral("b"), QJsonArray{1, 2.25}}}}})
                            << QStringLiteral("{\"fields\":{\"a\\\"\":\"1\",\"b\":[1,2.25]}}");
}

// JSON that any reader takes back as the very value written.
void TestRecordWriter::jsonStringsAndNesting()
{
    QFETCH(QJsonValue, value);
    QFETCH(QString, text);
    const QList<Column> columns = {{QStringLiteral("v"), QStringLiteral("V"), false}};
    const QString json = written(OutputFormat::Json, [&](RecordWriter &w) {
        w.field(QStringLiteral("field"), value);
        w.beginTable(QStringLiteral("rows"), columns);
        w.row({{QStringLiteral("v"), value}});
        w.endTable();
    });
    QVERIFY2(json.contains(QStringLiteral("\"field\":") + text + QLatin1Char(',')),
             qPrintable(json));
    QVERIFY2(json.contains(QStringLiteral("{\"v\":") + text + QLatin1Char('}')), qPrintable(json));
    QJsonParseError error;
    const QJsonObject o = QJsonDocument::fromJson(json.toUtf8(), &error).object();
    QVERIFY2(error.error == QJsonParseError::NoError, qPrintable(error.errorString()));
    QCOMPARE(o.value(QStringLiteral("field")), value);
    QCOMPARE(o.value(QStringLiteral("rows")).toArray().at(0).toObject().value(QStringLiteral("v")),
             value);
}

void TestRecordWriter::rowInOrderAsARowObject_data()
{
    QTest::addColumn<OutputFormat>("format");
    QTest::newRow("table") << OutputFormat::Table;
    QTest::newRow("csv") << OutputFormat::Csv;
    QTest::newRow("json") << OutputFormat::Json;
}

// The values in column order print what the same row as an object prints; in JSON the
// members come in the columns' order.
void TestRecordWriter::rowInOrderAsARowObject()
{
    QFETCH(OutputFormat, format);
    const QList<QList<QJsonValue>> rows = {
        {QStringLiteral("orders"), 1250, 12, QStringLiteral("1700000000000-0")},
        {QStringLiteral("say \"x\",\n"), 3, QJsonValue::Null, QJsonValue::Null},
    };
    const auto print = [&](bool inOrder) {
        return written(format, [&](RecordWriter &w) {
            w.beginTable(QStringLiteral("streams"), streamColumns);
            for (const QList<QJsonValue> &r : rows) {
                if (inOrder)
                    w.rowInOrder(r);
                else
                    w.row(streamRow(r[0].toString(), r[1], r[2], r[3]));
            }
            w.endTable();
        });
    };
    const QString inOrder = print(true);
    const QString asObjects = print(false);
    if (format != OutputFormat::Json) {
        QCOMPARE(inOrder, asObjects);
        return;
    }
    QCOMPARE(QJsonDocument::fromJson(inOrder.toUtf8()),
             QJsonDocument::fromJson(asObjects.toUtf8()));
    QVERIFY2(
        inOrder.contains(QStringLiteral(
            "{\"stream\":\"orders\",\"length\":1250,\"lag\":12,\"last_id\":\"1700000000000-0\"}")),
        qPrintable(inOrder));
}

void TestRecordWriter::cellText()
{
    QCOMPARE(RecordWriter::cellText(QJsonValue::Null, QStringLiteral("-")), QStringLiteral("-"));
    QCOMPARE(RecordWriter::cellText(QJsonValue(), QStringLiteral("-")), QStringLiteral("-"));
    QCOMPARE(RecordWriter::cellText(QStringLiteral("x"), QStringLiteral("-")), QStringLiteral("x"));
    QCOMPARE(RecordWriter::cellText(true, QString()), QStringLiteral("yes"));
    QCOMPARE(RecordWriter::cellText(QJsonValue(qint64(1700000000123)), QString()),
             QStringLiteral("1700000000123"));
    QCOMPARE(RecordWriter::cellText(QJsonArray{1, 2}, QString()), QStringLiteral("[1,2]"));
}

QTEST_APPLESS_MAIN(TestRecordWriter)
#include "tst_recordwriter.moc"
