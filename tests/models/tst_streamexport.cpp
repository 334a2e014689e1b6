// Export and import of streams as JSON Lines: the format round-trips any bytes (text as
// strings, the rest as base64), keeps field order and duplicate names, and says which line
// is wrong and why; against a real redis-server, an exported range or selection imported
// into another stream gives the same entries byte for byte, with new ids or the original
// ones (refused before anything is sent when they cannot go in); cancel leaves no file.
#include "livemodeltest.h"
#include "streamexport.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace StreamExport;

class TestStreamExport : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void roundTrip_data();
    void roundTrip();
    void writesTextAsStringsAndTheRestAsBase64();
    void badLines_data();
    void badLines();
    void scannerReportsTheFirstBadLine();
    void scannerNotesIdsOutOfOrder();
    void selectionValidation_data();
    void selectionValidation();
    void exportedRangeImportsByteForByte();
    void exportsAnIdRangeAndATimeRange();
    void exportsSelectedIdsAndCountsMissingOnes();
    void importsWithOriginalIds();
    void originalIdsNotGreaterAreRefusedBeforeSending();
    void importStopsAtABadLine();
    void cancelExportLeavesNoFile();
    void cancelImportStopsBetweenChunks();
    void redisErrorsAreVerbatim();

private:
    QList<RedisValue> run(const QList<RedisCommand> &commands) { return m_redis.run(commands); }
    QList<StreamEntry> entries(const QByteArray &key);
    StreamExporter::Result exportTo(const Selection &selection, const QString &path,
                                    int pageSize = 1000);
    StreamImporter::Result importFrom(const StreamImporter::Options &options);
    StreamFileScanner::Summary scan(const QString &path);
    QString file(const QString &name) const { return m_dir.filePath(name); }
    void writeFile(const QString &path, const QByteArray &text);
    void fill(const QByteArray &key, int count);

    LiveRedis m_redis;
    QTemporaryDir m_dir;
};

void TestStreamExport::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_redis.start();
}

void TestStreamExport::cleanupTestCase()
{
    m_redis.stop();
}

// Every entry of `key`, read with one XRANGE.
QList<StreamEntry> TestStreamExport::entries(const QByteArray &key)
{
    const QList<RedisValue> replies = run({RedisCommand{{"XRANGE", key, "-", "+"}}});
    QString error;
    const auto parsed = parseEntries(replies.value(0), &error);
    if (!parsed)
        qWarning("%s", qPrintable(error));
    return parsed.value_or(QList<StreamEntry>());
}

StreamExporter::Result TestStreamExport::exportTo(const Selection &selection, const QString &path,
                                                  int pageSize)
{
    StreamExporter exporter;
    exporter.setPageSize(pageSize);
    QSignalSpy finished(&exporter, &StreamExporter::finished);
    if (!exporter.start(m_redis.connection(), selection, path))
        return {};
    [&] { QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 30000); }();
    return finished.isEmpty() ? StreamExporter::Result{}
                              : finished.first().first().value<StreamExporter::Result>();
}

StreamImporter::Result TestStreamExport::importFrom(const StreamImporter::Options &options)
{
    StreamImporter importer;
    QSignalSpy finished(&importer, &StreamImporter::finished);
    if (!importer.start(m_redis.connection(), options))
        return {};
    [&] { QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 30000); }();
    return finished.isEmpty() ? StreamImporter::Result{}
                              : finished.first().first().value<StreamImporter::Result>();
}

StreamFileScanner::Summary TestStreamExport::scan(const QString &path)
{
    StreamFileScanner scanner;
    QSignalSpy finished(&scanner, &StreamFileScanner::finished);
    scanner.start(path);
    [&] { QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 30000); }();
    return finished.isEmpty() ? StreamFileScanner::Summary{}
                              : finished.first().first().value<StreamFileScanner::Summary>();
}

void TestStreamExport::writeFile(const QString &path, const QByteArray &text)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    QCOMPARE(f.write(text), text.size());
}

// `count` entries whose fields hold every kind of bytes: text, unicode, binary, empty
// values, and a duplicate field name, with ids 1000-0, 1001-0, ...
void TestStreamExport::fill(const QByteArray &key, int count)
{
    run({RedisCommand{{"DEL", key}}});
    QList<RedisCommand> adds;
    for (int i = 0; i < count; ++i) {
        QByteArray binary(8, '\0');
        for (int b = 0; b < binary.size(); ++b)
            binary[b] = char((i * 31 + b * 97) & 0xff);
        adds.append(RedisCommand{{"XADD", key, QByteArray::number(1000 + i) + "-0", "n",
                                  QByteArray::number(i), "blob", binary, "text",
                                  QStringLiteral("grüße \"%1\"\n😀").arg(i).toUtf8(), "empty", "",
                                  "n", "again"}});
        if (adds.size() == 1000 || i == count - 1) {
            run(adds);
            adds.clear();
        }
    }
}

void TestStreamExport::roundTrip_data()
{
    QTest::addColumn<QByteArray>("id");
    QTest::addColumn<Fields>("fields");
    QTest::newRow("text") << QByteArray("1700000000000-0") << Fields{{"type", "order.created"}};
    QTest::newRow("empty value") << QByteArray("1-1") << Fields{{"k", ""}, {"", "v"}};
    QTest::newRow("unicode") << QByteArray("2-0")
                             << Fields{{"名前", "Grüße, 😀"}, {"ß", "\xe2\x80\xa8"}};
    QTest::newRow("json escapes") << QByteArray("3-0")
                                  << Fields{{"q", "\"quoted\" \\ back\tslash\r\n\b\f\x01\x1f\x7f"}};
    QTest::newRow("nul bytes") << QByteArray("4-0") << Fields{{"z", QByteArray("a\0b", 3)}};
    QTest::newRow("binary") << QByteArray("5-0")
                            << Fields{{"bin", QByteArray::fromHex("00ff80fe1f8b0800")}};
    QTest::newRow("binary name") << QByteArray("6-0")
                                 << Fields{{QByteArray::fromHex("c3"), "lone lead byte"}};
    QTest::newRow("byte order mark")
        << QByteArray("7-0") << Fields{{"bom", "\xef\xbb\xbf{\"a\":1}"}};
    QTest::newRow("overlong and surrogate")
        << QByteArray("8-0") << Fields{{"o", "\xc0\xaf"}, {"s", "\xed\xa0\x80"}};
    QTest::newRow("duplicate names, in order")
        << QByteArray("9-0") << Fields{{"n", "1"}, {"m", "2"}, {"n", "3"}};
}

void TestStreamExport::roundTrip()
{
    QFETCH(QByteArray, id);
    QFETCH(Fields, fields);
    const QByteArray line = encodeLine(id, fields);
    QVERIFY(!line.contains('\n'));
    StreamEntry entry;
    const QString why = decodeLine(line, &entry);
    QVERIFY2(why.isEmpty(), qPrintable(why + QLatin1Char(' ') + QString::fromUtf8(line)));
    QCOMPARE(entry.id.toByteArray(), id);
    QCOMPARE(entry.fields, fields);
}

void TestStreamExport::writesTextAsStringsAndTheRestAsBase64()
{
    QCOMPARE(encodeLine("1-0", {{"a", "b"}, {"bin", QByteArray::fromHex("00ff")}}),
             QByteArray(R"({"id":"1-0","fields":[["a","b"],["bin",{"base64":"AP8="}]]})"));
    QCOMPARE(encodeLine("2-0", {{"é", "line\nnext"}}),
             QByteArray("{\"id\":\"2-0\",\"fields\":[[\"\xc3\xa9\",\"line\\nnext\"]]}"));
    // Other JSON writers' output is read too: escaped unicode, spaces, extra members.
    StreamEntry e;
    QCOMPARE(decodeLine(R"( { "fields" : [ ["\u00e9", {"base64": "AP8="}] ], "id": "3-4",
                        "note": 1 } )",
                        &e),
             QString());
    QCOMPARE(e.id.toByteArray(), QByteArray("3-4"));
    QCOMPARE(e.fields, (Fields{{"\xc3\xa9", QByteArray::fromHex("00ff")}}));
}

void TestStreamExport::badLines_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<QString>("why");
    QTest::newRow("not json") << QByteArray("{\"id\":") << QStringLiteral("not JSON");
    QTest::newRow("array") << QByteArray("[1,2]") << QStringLiteral("not a JSON object");
    QTest::newRow("no id") << QByteArray(R"({"fields":[["a","b"]]})") << QStringLiteral("\"id\"");
    QTest::newRow("bad id") << QByteArray(R"({"id":"abc","fields":[["a","b"]]})")
                            << QStringLiteral("\"id\" must be an entry id");
    QTest::newRow("id without sequence") << QByteArray(R"({"id":"5","fields":[["a","b"]]})")
                                         << QStringLiteral("\"id\" must be an entry id");
    QTest::newRow("numeric id") << QByteArray(R"({"id":5,"fields":[["a","b"]]})")
                                << QStringLiteral("\"id\" must be an entry id");
    QTest::newRow("no fields") << QByteArray(R"({"id":"1-0"})")
                               << QStringLiteral("\"fields\" must be an array");
    QTest::newRow("fields object") << QByteArray(R"({"id":"1-0","fields":{"a":"b"}})")
                                   << QStringLiteral("\"fields\" must be an array");
    QTest::newRow("empty fields") << QByteArray(R"({"id":"1-0","fields":[]})")
                                  << QStringLiteral("\"fields\" is empty");
    QTest::newRow("triple") << QByteArray(R"({"id":"1-0","fields":[["a","b"],["a","b","c"]]})")
                            << QStringLiteral("field 2 must be [name, value]");
    QTest::newRow("number value") << QByteArray(R"({"id":"1-0","fields":[["a",1]]})")
                                  << QStringLiteral("field 1 must be [name, value]");
    QTest::newRow("bad base64") << QByteArray(R"({"id":"1-0","fields":[["a",{"base64":"*!"}]]})")
                                << QStringLiteral("field 1 must be [name, value]");
    QTest::newRow("invalid utf-8 in the line")
        << QByteArray("{\"id\":\"1-0\",\"fields\":[[\"a\",\"\xff\"]]}")
        << QStringLiteral("not JSON");
}

void TestStreamExport::badLines()
{
    QFETCH(QByteArray, line);
    QFETCH(QString, why);
    StreamEntry entry;
    const QString error = decodeLine(line, &entry);
    QVERIFY2(error.contains(why), qPrintable(error));
}

void TestStreamExport::scannerReportsTheFirstBadLine()
{
    const QString path = file(QStringLiteral("bad.jsonl"));
    QByteArray text;
    for (int i = 1; i <= 3; ++i)
        text += encodeLine(QByteArray::number(i) + "-0", {{"n", "x"}}) + '\n';
    text += "\n"; // line 4: empty, skipped
    text += R"({"id":"9-0","fields":[["n"]]})"
            "\n";        // line 5
    text += "garbage\n"; // line 6
    writeFile(path, text);
    const StreamFileScanner::Summary s = scan(path);
    QCOMPARE(s.badLine, 5);
    QVERIFY2(s.error.startsWith(QLatin1String("Line 5: field 1 must be [name, value]")),
             qPrintable(s.error));

    const StreamFileScanner::Summary missing = scan(file(QStringLiteral("nothing-here.jsonl")));
    QVERIFY2(missing.error.startsWith(QLatin1String("Cannot read")), qPrintable(missing.error));
    writeFile(file(QStringLiteral("empty.jsonl")), "\n\n");
    QCOMPARE(scan(file(QStringLiteral("empty.jsonl"))).error,
             QStringLiteral("The file holds no entries."));

    // A long good file (several slices of the event loop), CRLF line ends.
    QByteArray good;
    for (int i = 1; i <= 5000; ++i)
        good += encodeLine(QByteArray::number(i) + "-0", {{"n", "x"}}) + "\r\n";
    writeFile(file(QStringLiteral("good.jsonl")), good);
    const StreamFileScanner::Summary ok = scan(file(QStringLiteral("good.jsonl")));
    QVERIFY2(ok.ok(), qPrintable(ok.error));
    QCOMPARE(ok.entries, 5000);
    QCOMPARE(ok.firstId->toByteArray(), QByteArray("1-0"));
    QCOMPARE(ok.lastId->toByteArray(), QByteArray("5000-0"));
    QCOMPARE(ok.unorderedLine, 0);
}

void TestStreamExport::scannerNotesIdsOutOfOrder()
{
    const QString path = file(QStringLiteral("unordered.jsonl"));
    writeFile(path, encodeLine("5-0", {{"n", "x"}}) + '\n' + encodeLine("6-0", {{"n", "x"}}) + '\n'
                        + encodeLine("6-0", {{"n", "x"}}) + '\n' + encodeLine("2-0", {{"n", "x"}})
                        + '\n');
    const StreamFileScanner::Summary s = scan(path);
    QVERIFY(s.ok());
    QCOMPARE(s.entries, 4);
    QCOMPARE(s.unorderedLine, 3);
}

void TestStreamExport::selectionValidation_data()
{
    QTest::addColumn<QByteArray>("start");
    QTest::addColumn<QByteArray>("end");
    QTest::addColumn<QString>("why");
    QTest::newRow("all") << QByteArray("-") << QByteArray("+") << QString();
    QTest::newRow("ids") << QByteArray("5-1") << QByteArray("7-0") << QString();
    QTest::newRow("one millisecond") << QByteArray("5") << QByteArray("5") << QString();
    QTest::newRow("bad start") << QByteArray("x") << QByteArray("+")
                               << QStringLiteral("The first id must be");
    QTest::newRow("bad end") << QByteArray("-") << QByteArray("5-")
                             << QStringLiteral("The last id");
    QTest::newRow("reversed") << QByteArray("7-0") << QByteArray("5-9")
                              << QStringLiteral("The range ends before it starts");
}

void TestStreamExport::selectionValidation()
{
    QFETCH(QByteArray, start);
    QFETCH(QByteArray, end);
    QFETCH(QString, why);
    Selection s{"s", start, end, {}};
    const QString error = validate(s);
    QVERIFY2(why.isEmpty() ? error.isEmpty() : error.startsWith(why), qPrintable(error));
    QCOMPARE(validate(Selection{"", "-", "+", {}}), QStringLiteral("Name the stream to export."));
    QVERIFY(validate(Selection{"s", "-", "+", {"1-0", "nope"}}).contains(QLatin1String("nope")));
}

void TestStreamExport::exportedRangeImportsByteForByte()
{
    fill("src", 2500);
    const QString path = file(QStringLiteral("all.jsonl"));
    StreamExporter exporter;
    exporter.setPageSize(300); // pages end mid-way and on the last entry
    QSignalSpy progress(&exporter, &StreamExporter::progress);
    QSignalSpy finished(&exporter, &StreamExporter::finished);
    QVERIFY(exporter.start(m_redis.connection(), Selection{"src"}, path));
    QVERIFY(exporter.isRunning());
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 30000);
    const auto r = finished.first().first().value<StreamExporter::Result>();
    QVERIFY2(r.ok(), qPrintable(r.error));
    QCOMPARE(r.entries, 2500);
    QCOMPARE(r.bytes, QFileInfo(path).size());
    QCOMPARE(progress.size(), 9); // ceil(2500 / 300)
    QCOMPARE(progress.last().at(0).toLongLong(), 2500);
    QCOMPARE(progress.first().at(1).toLongLong(), 2500); // the total, from XLEN

    run({RedisCommand{{"DEL", "dst"}}});
    const StreamImporter::Result imported = importFrom({path, "dst", false, 400, 3});
    QVERIFY2(imported.error.isEmpty(), qPrintable(imported.error));
    QCOMPARE(imported.added, 2500);
    QCOMPARE(imported.notAdded, 0);
    const QList<StreamEntry> source = entries("src");
    const QList<StreamEntry> copy = entries("dst");
    QCOMPARE(copy.size(), source.size());
    for (int i = 0; i < source.size(); ++i) {
        QCOMPARE(copy.at(i).fields, source.at(i).fields);
        QVERIFY(source.at(i).id < copy.at(i).id); // new ids, from now
    }
    QCOMPARE(imported.firstId, copy.first().id.toByteArray());
    QCOMPARE(imported.lastId, copy.last().id.toByteArray());
}

void TestStreamExport::exportsAnIdRangeAndATimeRange()
{
    fill("src", 500);
    const QString path = file(QStringLiteral("range.jsonl"));
    StreamExporter::Result r = exportTo(Selection{"src", "1100-0", "1199-0", {}}, path, 30);
    QVERIFY2(r.ok(), qPrintable(r.error));
    QCOMPARE(r.entries, 100);
    StreamFileScanner::Summary s = scan(path);
    QCOMPARE(s.entries, 100);
    QCOMPARE(s.firstId->toByteArray(), QByteArray("1100-0"));
    QCOMPARE(s.lastId->toByteArray(), QByteArray("1199-0"));
    // A time range: milliseconds as bounds, the end inclusive of its whole millisecond.
    run({RedisCommand{{"XADD", "src", "1499-1", "n", "late"}}});
    r = exportTo(Selection{"src", "1450", "1499", {}}, path, 7);
    QCOMPARE(r.entries, 51);
    s = scan(path);
    QCOMPARE(s.lastId->toByteArray(), QByteArray("1499-1"));
    // An empty range is an empty file.
    r = exportTo(Selection{"src", "1", "999", {}}, path);
    QVERIFY(r.ok());
    QCOMPARE(r.entries, 0);
    QCOMPARE(QFileInfo(path).size(), 0);
}

void TestStreamExport::exportsSelectedIdsAndCountsMissingOnes()
{
    fill("src", 100);
    run({RedisCommand{{"XDEL", "src", "1050-0"}}});
    const QList<QByteArray> ids{"1003-0", "1050-0", "1010-0", "1099-0"};
    const QString path = file(QStringLiteral("selected.jsonl"));
    const StreamExporter::Result r = exportTo(Selection{"src", "-", "+", ids}, path, 2);
    QVERIFY2(r.ok(), qPrintable(r.error));
    QCOMPARE(r.entries, 3);
    QCOMPARE(r.missing, 1);
    QFile f(path);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QList<QByteArray> lines = f.readAll().split('\n');
    QCOMPARE(lines.size(), 4); // three lines, and after the last "\n" nothing
    QVERIFY(lines.last().isEmpty());
    const QList<StreamEntry> source = entries("src");
    const QList<QByteArray> expected{"1003-0", "1010-0", "1099-0"};
    for (int i = 0; i < 3; ++i) {
        StreamEntry e;
        QCOMPARE(decodeLine(lines.at(i), &e), QString());
        QCOMPARE(e.id.toByteArray(), expected.at(i));
        const auto it = std::find_if(source.cbegin(), source.cend(),
                                     [&](const StreamEntry &s) { return s.id == e.id; });
        QVERIFY(it != source.cend());
        QCOMPARE(e.fields, it->fields);
    }
}

void TestStreamExport::importsWithOriginalIds()
{
    fill("src", 1200);
    const QString path = file(QStringLiteral("orig.jsonl"));
    QCOMPARE(exportTo(Selection{"src"}, path).entries, 1200);
    run({RedisCommand{{"DEL", "copy"}}});
    const StreamImporter::Result r = importFrom({path, "copy", true, 250, 4});
    QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
    QCOMPARE(r.added, 1200);
    const QList<StreamEntry> source = entries("src");
    const QList<StreamEntry> copy = entries("copy");
    QCOMPARE(copy.size(), 1200);
    for (int i = 0; i < source.size(); ++i) {
        QCOMPARE(copy.at(i).id, source.at(i).id);
        QCOMPARE(copy.at(i).fields, source.at(i).fields);
    }
}

void TestStreamExport::originalIdsNotGreaterAreRefusedBeforeSending()
{
    fill("src", 10); // 1000-0 .. 1009-0
    const QString path = file(QStringLiteral("again.jsonl"));
    QCOMPARE(exportTo(Selection{"src"}, path).entries, 10);
    // A stream whose entries are gone but whose last id is past the file's first.
    run({RedisCommand{{"DEL", "target"}}, RedisCommand{{"XADD", "target", "1000-0", "a", "b"}},
         RedisCommand{{"XDEL", "target", "1000-0"}}});
    StreamImporter::Result r = importFrom({path, "target", true});
    QVERIFY2(r.error.contains(QLatin1String("The file's first id, 1000-0, is not greater than the "
                                            "last id of target, 1000-0")),
             qPrintable(r.error));
    QCOMPARE(r.added, 0);
    QCOMPARE(r.notAdded, 10);
    QCOMPARE(run({RedisCommand{{"XLEN", "target"}}}).value(0).toInteger(), 0);
    // With new ids the same file goes in.
    r = importFrom({path, "target", false});
    QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
    QCOMPARE(r.added, 10);
    // Ids out of order in the file: Redis refuses the first that goes back, verbatim; the
    // chunks before it are in.
    writeFile(path, encodeLine("5-0", {{"a", "1"}}) + '\n' + encodeLine("7-0", {{"a", "2"}}) + '\n'
                        + encodeLine("6-0", {{"a", "3"}}) + '\n');
    run({RedisCommand{{"DEL", "target"}}});
    r = importFrom({path, "target", true, 1, 1});
    QVERIFY2(r.error.contains(QLatin1String("equal or smaller")), qPrintable(r.error));
    QCOMPARE(r.added, 2);
    QCOMPARE(r.notAdded, 1);
}

void TestStreamExport::importStopsAtABadLine()
{
    const QString path = file(QStringLiteral("halfbad.jsonl"));
    QByteArray text;
    for (int i = 1; i <= 1202; ++i)
        text += encodeLine(QByteArray::number(i) + "-0", {{"n", QByteArray::number(i)}}) + '\n';
    text += "{\"id\":\"1203-0\"}\n";
    for (int i = 1204; i <= 1300; ++i)
        text += encodeLine(QByteArray::number(i) + "-0", {{"n", QByteArray::number(i)}}) + '\n';
    writeFile(path, text);
    run({RedisCommand{{"DEL", "t"}}});
    // Two chunks of 500 go before the third meets the bad line; that chunk is not sent.
    const StreamImporter::Result r = importFrom({path, "t", false, 500, 2});
    QVERIFY2(r.error.startsWith(QLatin1String("Line 1203: \"fields\" must be an array")),
             qPrintable(r.error));
    QCOMPARE(r.errorLine, 1203);
    QCOMPARE(r.added, 1000);
    QCOMPARE(r.notAdded, 300);
    QCOMPARE(run({RedisCommand{{"XLEN", "t"}}}).value(0).toInteger(), 1000);
}

void TestStreamExport::cancelExportLeavesNoFile()
{
    fill("src", 5000);
    const QString path = file(QStringLiteral("cancelled.jsonl"));
    QFile::remove(path);
    StreamExporter exporter;
    exporter.setPageSize(100);
    QSignalSpy finished(&exporter, &StreamExporter::finished);
    connect(&exporter, &StreamExporter::progress, &exporter, [&](qint64 written) {
        if (written >= 1000)
            exporter.cancel();
    });
    QVERIFY(exporter.start(m_redis.connection(), Selection{"src"}, path));
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 30000);
    const auto r = finished.first().first().value<StreamExporter::Result>();
    QVERIFY(r.cancelled);
    QCOMPARE(r.entries, 1000);
    QVERIFY(!exporter.isRunning());
    QVERIFY(!QFile::exists(path));
    QCOMPARE(QDir(m_dir.path()).entryList({QStringLiteral("cancelled*")}, QDir::Files).size(), 0);
}

void TestStreamExport::cancelImportStopsBetweenChunks()
{
    fill("src", 3000);
    const QString path = file(QStringLiteral("big.jsonl"));
    QCOMPARE(exportTo(Selection{"src"}, path).entries, 3000);
    run({RedisCommand{{"DEL", "t"}}});
    StreamImporter importer;
    QSignalSpy finished(&importer, &StreamImporter::finished);
    connect(&importer, &StreamImporter::progress, &importer, [&](qint64 added) {
        if (added >= 200)
            importer.cancel();
    });
    QVERIFY(importer.start(m_redis.connection(), {path, "t", false, 100, 1}));
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 30000);
    const auto r = finished.first().first().value<StreamImporter::Result>();
    QVERIFY(r.cancelled);
    QCOMPARE(r.added, 200);
    QCOMPARE(r.notAdded, 2800);
    QCOMPARE(r.error, QString());
    QCOMPARE(run({RedisCommand{{"XLEN", "t"}}}).value(0).toInteger(), 200);
}

void TestStreamExport::redisErrorsAreVerbatim()
{
    run({RedisCommand{{"SET", "plain", "x"}}});
    const QString path = file(QStringLiteral("wrongtype.jsonl"));
    QFile::remove(path);
    const StreamExporter::Result r = exportTo(Selection{"plain"}, path);
    QVERIFY2(r.error.startsWith(QLatin1String("WRONGTYPE")), qPrintable(r.error));
    QVERIFY(!QFile::exists(path));
    writeFile(path, encodeLine("1-0", {{"a", "b"}}) + '\n');
    StreamImporter::Result i = importFrom({path, "plain", true});
    QVERIFY2(i.error.startsWith(QLatin1String("WRONGTYPE")), qPrintable(i.error));
    i = importFrom({path, "plain", false});
    QVERIFY2(i.error.startsWith(QLatin1String("WRONGTYPE")), qPrintable(i.error));
    QCOMPARE(i.added, 0);
    // A file that cannot be written.
    const StreamExporter::Result unwritable =
        exportTo(Selection{"plain"}, file(QStringLiteral("no/such/dir/x.jsonl")));
    QVERIFY2(unwritable.error.startsWith(QLatin1String("Cannot write")),
             qPrintable(unwritable.error));
}

QTEST_GUILESS_MAIN(TestStreamExport)
#include "tst_streamexport.moc"
