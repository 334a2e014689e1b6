// weirctl's reading commands (groups, consumers, pending, entries) run as processes against
// a server the test fills; their JSON is compared with what XINFO, XPENDING and XRANGE
// say, read here through a RedisConnection of the test's own. Table and CSV are checked
// against the JSON, errors against the server's own text.

#include "../integration/integrationsupport.h"
#include "ctltestsupport.h"
#include "errorhint.h"
#include "gziptool.h"
#include "runcommands.h"
#include "serverversion.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMap>

using namespace ctltest;

namespace {

// A flat [name, value, ...] reply (XINFO's entries) by name.
QMap<QByteArray, RedisValue> byName(const RedisValue &flat)
{
    QMap<QByteArray, RedisValue> map;
    for (qsizetype i = 0; i + 1 < flat.size(); i += 2)
        map.insert(flat.at(i).bytes(), flat.at(i + 1));
    return map;
}

// A reply value as weirctl's JSON should give it: integers as numbers, nil as null, a
// missing field (an older server) as null, strings as text.
QJsonValue expectedJson(const QMap<QByteArray, RedisValue> &fields, const QByteArray &name)
{
    if (!fields.contains(name))
        return QJsonValue(QJsonValue::Null);
    const RedisValue &v = fields.value(name);
    if (v.isNil())
        return QJsonValue(QJsonValue::Null);
    if (v.isInteger())
        return QJsonValue(double(v.toInteger()));
    return QString::fromUtf8(v.bytes());
}

// The members of rows of a JSON table, by the value of `key`.
QMap<QString, QJsonObject> rowsBy(const QJsonArray &rows, const QString &key)
{
    QMap<QString, QJsonObject> map;
    for (const QJsonValue row : rows)
        map.insert(row.toObject().value(key).toString(), row.toObject());
    return map;
}

// A JSON cell as the table writes it (null: "-", booleans yes and no), or CSV (null: an
// empty field, booleans true and false).
QString cellOf(const QJsonValue &value, const QString &nullText)
{
    const bool csv = nullText.isEmpty();
    if (value.isNull() || value.isUndefined())
        return nullText;
    if (value.isBool() && csv)
        return value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    if (value.isBool())
        return value.toBool() ? QStringLiteral("yes") : QStringLiteral("no");
    if (value.isDouble())
        return QString::number(qint64(value.toDouble()));
    return value.toString();
}

// The CSV table whose header is `keys`: its rows, cell by cell.
QList<QStringList> csvTable(const QByteArray &out, const QStringList &keys)
{
    const QList<QStringList> lines = parseCsv(out);
    QList<QStringList> rows;
    bool inTable = false;
    for (const QStringList &line : lines) {
        if (line == keys) {
            inTable = true;
            continue;
        }
        if (inTable && (line.isEmpty() || line == QStringList{QString()}))
            break;
        if (inTable)
            rows << line;
    }
    return rows;
}

// The CSV's field,value table, by field.
QMap<QString, QString> csvFields(const QByteArray &out)
{
    QMap<QString, QString> fields;
    for (const QStringList &row : csvTable(out, {QStringLiteral("field"), QStringLiteral("value")}))
        if (row.size() == 2)
            fields.insert(row.at(0), row.at(1));
    return fields;
}

// CSV carries every cell of every row of the JSON table `rows` under the columns `keys`.
void compareCsvTable(const QByteArray &csv, const QJsonArray &rows, const QStringList &keys)
{
    const QList<QStringList> table = csvTable(csv, keys);
    QCOMPARE(table.size(), rows.size());
    for (qsizetype i = 0; i < rows.size(); ++i) {
        QStringList expected;
        for (const QString &key : keys)
            expected << cellOf(rows.at(i).toObject().value(key), {});
        QCOMPARE(table.at(i), expected);
    }
}

// The table format has a line per row beginning with its first cell and holding the others.
void compareTextTable(const QByteArray &table, const QJsonArray &rows, const QStringList &keys)
{
    const QStringList lines = QString::fromUtf8(table).split(QLatin1Char('\n'));
    for (const QJsonValue value : rows) {
        const QJsonObject row = value.toObject();
        const QString first = cellOf(row.value(keys.first()), QStringLiteral("-"));
        bool found = false;
        for (const QString &line : lines) {
            if (!line.startsWith(first + QLatin1Char(' ')) && line != first)
                continue;
            found = true;
            for (const QString &key : keys)
                QVERIFY2(line.contains(cellOf(row.value(key), QStringLiteral("-"))),
                         qPrintable(key + QStringLiteral(" missing in: ") + line));
        }
        QVERIFY2(found, qPrintable(first + QStringLiteral(" has no line in:\n")
                                   + QString::fromUtf8(table)));
    }
}

} // namespace

class TestCtlReads : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();

    void groupsMatchXinfo();
    void groupsTableAndCsv();
    void consumersMatchXinfo();
    void pendingMatchesXpending();
    void pendingFilters();
    void pendingTableAndCsv();
    void entriesMatchXrange();
    void entriesTimeBounds();
    void entriesReverseAndCount();
    void entriesDecode();
    void entriesTableAndCsv();
    void redisErrorsVerbatim_data();
    void redisErrorsVerbatim();
    void usageErrors_data();
    void usageErrors();

private:
    QList<RedisValue> redis(const QList<QList<QByteArray>> &commands);
    RedisValue redis1(const QList<QByteArray> &argv) { return redis({argv}).value(0); }
    CtlResult ctl(const QStringList &args, const QString &format = QStringLiteral("json"));

    std::unique_ptr<LocalRedisServer> m_server;
    std::unique_ptr<RedisConnection> m_connection;
    qint64 m_now = 0;           // when the entries of "events" were timed from
    QList<QByteArray> m_events; // their ids, oldest first
    QByteArray m_json;          // the JSON value stored in "events"
};

QList<RedisValue> TestCtlReads::redis(const QList<QList<QByteArray>> &commands)
{
    QList<RedisCommand> list;
    for (const QList<QByteArray> &argv : commands)
        list.append(RedisCommand{argv, argv.value(1)});
    return runCommands(m_connection.get(), list);
}

CtlResult TestCtlReads::ctl(const QStringList &args, const QString &format)
{
    return runCtl(serverArgs(*m_server) + QStringList{QStringLiteral("--format"), format} + args);
}

void TestCtlReads::initTestCase()
{
    m_server = std::make_unique<LocalRedisServer>();
    START_SERVER(*m_server);
    m_connection = std::make_unique<RedisConnection>(integration::quickOptions(*m_server));
    OPEN_CONNECTED(*m_connection);

    // "jobs": six entries; group "fast" read them all and acked four, "mid" read three,
    // "slow" none. The second entry is then deleted: before "mid"'s position (its lag is
    // still known), after "slow"'s (Redis 7.0+ reports its lag as nil).
    QList<QList<QByteArray>> fill;
    for (int i = 1; i <= 6; ++i)
        fill << QList<QByteArray>{"XADD", "jobs", QByteArray::number(i) + "-1", "n",
                                  QByteArray::number(i)};
    fill << QList<QByteArray>{"XGROUP", "CREATE", "jobs", "fast", "0"}
         << QList<QByteArray>{"XGROUP", "CREATE", "jobs", "mid", "0"}
         << QList<QByteArray>{"XGROUP", "CREATE", "jobs", "slow", "0"}
         << QList<QByteArray>{"XREADGROUP", "GROUP", "fast", "c1", "STREAMS", "jobs", ">"}
         << QList<QByteArray>{"XACK", "jobs", "fast", "1-1", "2-1", "3-1", "4-1"}
         << QList<QByteArray>{"XREADGROUP", "GROUP",   "mid",  "m1", "COUNT",
                              "2",          "STREAMS", "jobs", ">"}
         << QList<QByteArray>{"XREADGROUP", "GROUP",   "mid",  "m2", "COUNT",
                              "1",          "STREAMS", "jobs", ">"}
         << QList<QByteArray>{"XGROUP", "CREATECONSUMER", "jobs", "mid", "never"}
         << QList<QByteArray>{"XDEL", "jobs", "2-1"};

    // "tasks", group "workers": alice reads six, bob four; then some are claimed with set
    // delivery counts and idle times, and one pending entry is deleted from the stream.
    for (int i = 1; i <= 10; ++i)
        fill << QList<QByteArray>{"XADD", "tasks", QByteArray::number(i) + "-0", "job",
                                  "task " + QByteArray::number(i)};
    fill << QList<QByteArray>{"XGROUP", "CREATE", "tasks", "workers", "0"}
         << QList<QByteArray>{"XREADGROUP", "GROUP",   "workers", "alice", "COUNT",
                              "6",          "STREAMS", "tasks",   ">"}
         << QList<QByteArray>{"XREADGROUP", "GROUP",   "workers", "bob", "COUNT",
                              "4",          "STREAMS", "tasks",   ">"}
         << QList<QByteArray>{"XCLAIM", "tasks",      "workers", "bob",  "0",
                              "2-0",    "RETRYCOUNT", "7",       "IDLE", "3600000"}
         << QList<QByteArray>{"XCLAIM", "tasks",      "workers", "alice", "0",
                              "3-0",    "RETRYCOUNT", "12",      "IDLE",  "7200000"}
         << QList<QByteArray>{"XCLAIM", "tasks", "workers", "alice", "0", "4-0", "RETRYCOUNT", "2"}
         << QList<QByteArray>{"XCLAIM", "tasks", "workers", "bob", "0", "9-0", "RETRYCOUNT", "4"}
         << QList<QByteArray>{"XDEL", "tasks", "5-0"};

    // "events": entries ten minutes apart up to ten minutes ago, with JSON, gzip+base64
    // JSON, binary and text values.
    m_now = QDateTime::currentMSecsSinceEpoch();
    m_json = R"({"order":42,"items":[{"sku":"A-1","qty":2}],"note":"héllo"})";
    const QByteArray gz = gzipTool(m_json).toBase64();
    const QByteArray binary("\x00\xff\xfe\x01 raw", 8);
    const QList<QList<QByteArray>> values{{"data", m_json},
                                          {"data", gz},
                                          {"data", binary, "kind", "bin"},
                                          {"text", "plain words, with a comma"},
                                          {"data", m_json, "text", "ünïcode"}};
    for (int i = 0; i < values.size(); ++i) {
        const QByteArray id = QByteArray::number(m_now - (values.size() - i) * 600000) + "-0";
        m_events << id;
        fill << (QList<QByteArray>{"XADD", "events", id} + values.at(i));
    }
    fill << QList<QByteArray>{"SET", "plain", "not a stream"};

    const QList<RedisValue> replies = redis(fill);
    QCOMPARE(replies.size(), fill.size());
    for (qsizetype i = 0; i < replies.size(); ++i)
        QVERIFY2(!replies.at(i).isError(), replies.at(i).bytes().constData());
}

void TestCtlReads::cleanupTestCase()
{
    m_connection.reset();
    m_server.reset();
}

void TestCtlReads::groupsMatchXinfo()
{
    const qint64 start = QDateTime::currentMSecsSinceEpoch();
    const CtlResult r = ctl({QStringLiteral("groups"), QStringLiteral("jobs")});
    QVERIFY2(r.exitCode == 0, r.describe().constData());
    const QJsonObject doc = r.json();
    QCOMPARE(doc.value(QStringLiteral("schema")).toString(), QStringLiteral("weirctl.groups"));
    QCOMPARE(doc.value(QStringLiteral("version")).toInt(), 1);
    QCOMPARE(doc.value(QStringLiteral("stream")).toString(), QStringLiteral("jobs"));

    const RedisValue xinfo = redis1({"XINFO", "GROUPS", "jobs"});
    const QMap<QString, QJsonObject> rows =
        rowsBy(doc.value(QStringLiteral("groups")).toArray(), QStringLiteral("name"));
    QCOMPARE(rows.size(), xinfo.size());
    int nilLags = 0;
    for (const RedisValue &g : xinfo.elements()) {
        const QMap<QByteArray, RedisValue> info = byName(g);
        const QString name = QString::fromUtf8(info.value("name").bytes());
        QVERIFY2(rows.contains(name), qPrintable(name));
        const QJsonObject row = rows.value(name);
        QCOMPARE(row.value(QStringLiteral("consumers")), expectedJson(info, "consumers"));
        QCOMPARE(row.value(QStringLiteral("pending")), expectedJson(info, "pending"));
        QCOMPARE(row.value(QStringLiteral("last_delivered_id")),
                 expectedJson(info, "last-delivered-id"));
        QCOMPARE(row.value(QStringLiteral("entries_read")), expectedJson(info, "entries-read"));
        QCOMPARE(row.value(QStringLiteral("lag")), expectedJson(info, "lag"));

        const QString reason = row.value(QStringLiteral("lag_unknown_reason")).toString();
        if (!row.value(QStringLiteral("lag")).isNull()) {
            QVERIFY(row.value(QStringLiteral("lag_unknown_reason")).isNull());
            QVERIFY(row.value(QStringLiteral("lag_estimate")).isNull());
            continue;
        }
        ++nilLags;
        // Why: the server has no lag at all, or (7.0+) an entry after the group's position
        // was deleted.
        if (!info.contains("lag"))
            QVERIFY2(reason.contains(testserver::info().displayName()
                                     + QStringLiteral(" reports no lag for a group")),
                     qPrintable(reason));
        else
            QVERIFY2(reason.contains(QStringLiteral("deleted (XDEL)")), qPrintable(reason));
        // Weir's estimate: the entries after the last-delivered id, as XRANGE counts them.
        const QByteArray after = "(" + info.value("last-delivered-id").bytes();
        const RedisValue rest = redis1({"XRANGE", "jobs", after, "+"});
        QCOMPARE(row.value(QStringLiteral("lag_estimate")).toInteger(-1), rest.size());
        QCOMPARE(row.value(QStringLiteral("lag_estimate_is_lower_bound")).toBool(true), false);
    }
    // "slow" sits before the deleted entry: no lag from Redis on any server.
    QVERIFY(rows.value(QStringLiteral("slow")).value(QStringLiteral("lag")).isNull());
    QCOMPARE(nilLags, testserver::isAtLeast(7, 0) ? 1 : 3);
    // Time lag: the age of the first entry after the position; "fast" has none left.
    QCOMPARE(rows.value(QStringLiteral("fast")).value(QStringLiteral("time_lag_ms")).toInteger(-1),
             0);
    QVERIFY(rows.value(QStringLiteral("slow")).value(QStringLiteral("time_lag_ms")).toInteger()
            >= start - 1); // its first entry is 1-1
}

void TestCtlReads::groupsTableAndCsv()
{
    const QJsonArray rows = ctl({QStringLiteral("groups"), QStringLiteral("jobs")})
                                .json()
                                .value(QStringLiteral("groups"))
                                .toArray();
    QCOMPARE(rows.size(), 3);
    const QStringList keys{
        QStringLiteral("name"),         QStringLiteral("consumers"),
        QStringLiteral("pending"),      QStringLiteral("last_delivered_id"),
        QStringLiteral("entries_read"), QStringLiteral("lag"),
        QStringLiteral("lag_estimate"), QStringLiteral("lag_estimate_is_lower_bound"),
        QStringLiteral("time_lag_ms"),  QStringLiteral("lag_unknown_reason")};
    const CtlResult csv =
        ctl({QStringLiteral("groups"), QStringLiteral("jobs")}, QStringLiteral("csv"));
    QVERIFY2(csv.exitCode == 0, csv.describe().constData());
    // time_lag_ms grows between runs: compared apart.
    QJsonArray stable;
    for (const QJsonValue v : rows) {
        QJsonObject o = v.toObject();
        o.remove(QStringLiteral("time_lag_ms"));
        stable.append(o);
    }
    QStringList stableKeys = keys;
    stableKeys.removeAll(QStringLiteral("time_lag_ms"));
    const QList<QStringList> table = csvTable(csv.out, keys);
    QCOMPARE(table.size(), rows.size());
    for (qsizetype i = 0; i < table.size(); ++i) {
        for (const QString &key : stableKeys)
            QCOMPARE(table.at(i).at(keys.indexOf(key)),
                     cellOf(stable.at(i).toObject().value(key), {}));
    }
    QCOMPARE(csvFields(csv.out).value(QStringLiteral("stream")), QStringLiteral("jobs"));

    const CtlResult text =
        ctl({QStringLiteral("groups"), QStringLiteral("jobs")}, QStringLiteral("table"));
    QVERIFY2(text.exitCode == 0, text.describe().constData());
    QVERIFY(text.out.startsWith("stream: jobs\n"));
    compareTextTable(text.out, stable, stableKeys);
}

void TestCtlReads::consumersMatchXinfo()
{
    const QList<QByteArray> argv{"XINFO", "CONSUMERS", "jobs", "mid"};
    const RedisValue before = redis1(argv);
    const CtlResult r =
        ctl({QStringLiteral("consumers"), QStringLiteral("jobs"), QStringLiteral("mid")});
    const RedisValue after = redis1(argv);
    QVERIFY2(r.exitCode == 0, r.describe().constData());
    const QJsonObject doc = r.json();
    QCOMPARE(doc.value(QStringLiteral("schema")).toString(), QStringLiteral("weirctl.consumers"));
    QCOMPARE(doc.value(QStringLiteral("group")).toString(), QStringLiteral("mid"));
    const QMap<QString, QJsonObject> rows =
        rowsBy(doc.value(QStringLiteral("consumers")).toArray(), QStringLiteral("name"));
    QCOMPARE(rows.size(), 3);
    QCOMPARE(before.size(), 3);
    for (qsizetype i = 0; i < before.size(); ++i) {
        const QMap<QByteArray, RedisValue> b = byName(before.at(i));
        const QMap<QByteArray, RedisValue> a = byName(after.at(i));
        const QJsonObject row = rows.value(QString::fromUtf8(b.value("name").bytes()));
        QCOMPARE(row.value(QStringLiteral("pending")), expectedJson(b, "pending"));
        // Times run on between the reads: weirctl's lies between the test's two.
        const qint64 idle = row.value(QStringLiteral("idle_ms")).toInteger(-2);
        QVERIFY(idle >= b.value("idle").toInteger() && idle <= a.value("idle").toInteger());
        if (!b.contains("inactive")) {
            QVERIFY(row.value(QStringLiteral("inactive_ms")).isNull());
            continue;
        }
        const qint64 inactive = row.value(QStringLiteral("inactive_ms")).toInteger(-2);
        if (b.value("inactive").toInteger() < 0)
            QCOMPARE(inactive, -1); // "never", as Redis says it
        else
            QVERIFY(inactive >= b.value("inactive").toInteger()
                    && inactive <= a.value("inactive").toInteger());
    }
    QCOMPARE(rows.value(QStringLiteral("m1")).value(QStringLiteral("pending")).toInt(), 2);
    if (testserver::isAtLeast(7, 2))
        QCOMPARE(rows.value(QStringLiteral("never")).value(QStringLiteral("inactive_ms")).toInt(),
                 -1);
}

void TestCtlReads::pendingMatchesXpending()
{
    const QList<QByteArray> extended{"XPENDING", "tasks", "workers", "-", "+", "100"};
    const RedisValue before = redis1(extended);
    const CtlResult r =
        ctl({QStringLiteral("pending"), QStringLiteral("tasks"), QStringLiteral("workers")});
    const RedisValue after = redis1(extended);
    QVERIFY2(r.exitCode == 0, r.describe().constData());
    const QJsonObject doc = r.json();
    QCOMPARE(doc.value(QStringLiteral("schema")).toString(), QStringLiteral("weirctl.pending"));

    // The summary is XPENDING's.
    const RedisValue summary = redis1({"XPENDING", "tasks", "workers"});
    const QJsonObject s = doc.value(QStringLiteral("summary")).toObject();
    QCOMPARE(s.value(QStringLiteral("total")).toInteger(), summary.at(0).toInteger());
    QCOMPARE(s.value(QStringLiteral("lowest_id")).toString().toUtf8(), summary.at(1).bytes());
    QCOMPARE(s.value(QStringLiteral("highest_id")).toString().toUtf8(), summary.at(2).bytes());
    QCOMPARE(s.value(QStringLiteral("matching")).toInteger(), summary.at(0).toInteger());
    QCOMPARE(s.value(QStringLiteral("truncated")).toBool(true), false);
    const QJsonArray consumers = s.value(QStringLiteral("consumers")).toArray();
    QCOMPARE(consumers.size(), summary.at(3).size());
    for (qsizetype i = 0; i < consumers.size(); ++i) {
        const QJsonObject c = consumers.at(i).toObject();
        QCOMPARE(c.value(QStringLiteral("name")).toString().toUtf8(),
                 summary.at(3).at(i).at(0).bytes());
        QCOMPARE(QByteArray::number(c.value(QStringLiteral("pending")).toInteger()),
                 summary.at(3).at(i).at(1).bytes());
    }

    // The entries are XPENDING's extended form, in its order.
    const QJsonArray pending = doc.value(QStringLiteral("pending")).toArray();
    QCOMPARE(pending.size(), before.size());
    QCOMPARE(pending.size(), 10);
    for (qsizetype i = 0; i < pending.size(); ++i) {
        const QJsonObject e = pending.at(i).toObject();
        QCOMPARE(e.value(QStringLiteral("id")).toString().toUtf8(), before.at(i).at(0).bytes());
        QCOMPARE(e.value(QStringLiteral("consumer")).toString().toUtf8(),
                 before.at(i).at(1).bytes());
        const qint64 idle = e.value(QStringLiteral("idle_ms")).toInteger(-1);
        QVERIFY(idle >= before.at(i).at(2).toInteger() && idle <= after.at(i).at(2).toInteger());
        QCOMPARE(e.value(QStringLiteral("deliveries")).toInteger(), before.at(i).at(3).toInteger());
        // Still in the stream: XRANGE id id finds it (5-0 was deleted while pending).
        const QByteArray id = before.at(i).at(0).bytes();
        QCOMPARE(e.value(QStringLiteral("in_stream")).toBool(),
                 redis1({"XRANGE", "tasks", id, id}).size() == 1);
    }
    QCOMPARE(rowsBy(pending, QStringLiteral("id"))
                 .value(QStringLiteral("5-0"))
                 .value(QStringLiteral("in_stream")),
             QJsonValue(false));

    // The histogram puts every entry listed in the bucket of its delivery count.
    const QJsonArray buckets = doc.value(QStringLiteral("deliveries")).toArray();
    QCOMPARE(buckets.size(), 5);
    qint64 total = 0;
    for (const QJsonValue v : buckets) {
        const QJsonObject b = v.toObject();
        const qint64 min = b.value(QStringLiteral("min_deliveries")).toInteger();
        const QJsonValue max = b.value(QStringLiteral("max_deliveries"));
        qint64 expected = 0;
        for (const RedisValue &e : before.elements())
            expected += e.at(3).toInteger() >= min
                        && (max.isNull() || e.at(3).toInteger() <= max.toInteger());
        QCOMPARE(b.value(QStringLiteral("count")).toInteger(), expected);
        total += b.value(QStringLiteral("count")).toInteger();
    }
    QCOMPARE(total, pending.size());
    // The claimed ones made the poison end non-empty: 7 deliveries and 12.
    QCOMPARE(buckets.at(3).toObject().value(QStringLiteral("bucket")).toString(),
             QStringLiteral("6-10"));
    QCOMPARE(buckets.at(3).toObject().value(QStringLiteral("count")).toInt(), 1);
    QCOMPARE(buckets.at(4).toObject().value(QStringLiteral("max_deliveries")), QJsonValue());
    QCOMPARE(buckets.at(4).toObject().value(QStringLiteral("count")).toInt(), 1);
}

void TestCtlReads::pendingFilters()
{
    // --consumer: XPENDING ... bob.
    CtlResult r =
        ctl({QStringLiteral("pending"), QStringLiteral("tasks"), QStringLiteral("workers"),
             QStringLiteral("--consumer"), QStringLiteral("bob")});
    QVERIFY2(r.exitCode == 0, r.describe().constData());
    QJsonObject doc = r.json();
    RedisValue expected = redis1({"XPENDING", "tasks", "workers", "-", "+", "100", "bob"});
    QJsonArray pending = doc.value(QStringLiteral("pending")).toArray();
    QCOMPARE(pending.size(), expected.size());
    QVERIFY(pending.size() > 0);
    for (qsizetype i = 0; i < pending.size(); ++i) {
        QCOMPARE(pending.at(i).toObject().value(QStringLiteral("id")).toString().toUtf8(),
                 expected.at(i).at(0).bytes());
        QCOMPARE(pending.at(i).toObject().value(QStringLiteral("consumer")).toString(),
                 QStringLiteral("bob"));
    }
    QCOMPARE(doc.value(QStringLiteral("summary"))
                 .toObject()
                 .value(QStringLiteral("matching"))
                 .toInteger(),
             expected.size());
    qint64 listed = 0;
    for (const QJsonValue b : doc.value(QStringLiteral("deliveries")).toArray())
        listed += b.toObject().value(QStringLiteral("count")).toInteger();
    QCOMPARE(listed, expected.size());

    // --idle: XPENDING IDLE (6.2+), the two entries claimed with an hour's idle time or more.
    r = ctl({QStringLiteral("pending"), QStringLiteral("tasks"), QStringLiteral("workers"),
             QStringLiteral("--idle"), QStringLiteral("3000000")});
    QVERIFY2(r.exitCode == 0, r.describe().constData());
    doc = r.json();
    expected = redis1({"XPENDING", "tasks", "workers", "IDLE", "3000000", "-", "+", "100"});
    pending = doc.value(QStringLiteral("pending")).toArray();
    QCOMPARE(pending.size(), expected.size());
    QCOMPARE(pending.size(), 2);
    for (qsizetype i = 0; i < pending.size(); ++i) {
        QCOMPARE(pending.at(i).toObject().value(QStringLiteral("id")).toString().toUtf8(),
                 expected.at(i).at(0).bytes());
        QVERIFY(pending.at(i).toObject().value(QStringLiteral("idle_ms")).toInteger() >= 3000000);
    }
    QVERIFY(
        doc.value(QStringLiteral("summary")).toObject().value(QStringLiteral("matching")).isNull());

    // --count cuts the list, and says so; the histogram covers what was listed.
    r = ctl({QStringLiteral("pending"), QStringLiteral("tasks"), QStringLiteral("workers"),
             QStringLiteral("--count"), QStringLiteral("3")});
    QVERIFY2(r.exitCode == 0, r.describe().constData());
    doc = r.json();
    expected = redis1({"XPENDING", "tasks", "workers", "-", "+", "3"});
    pending = doc.value(QStringLiteral("pending")).toArray();
    QCOMPARE(pending.size(), 3);
    for (qsizetype i = 0; i < pending.size(); ++i)
        QCOMPARE(pending.at(i).toObject().value(QStringLiteral("id")).toString().toUtf8(),
                 expected.at(i).at(0).bytes());
    QCOMPARE(doc.value(QStringLiteral("summary")).toObject().value(QStringLiteral("truncated")),
             QJsonValue(true));
    listed = 0;
    for (const QJsonValue b : doc.value(QStringLiteral("deliveries")).toArray())
        listed += b.toObject().value(QStringLiteral("count")).toInteger();
    QCOMPARE(listed, 3);
}

void TestCtlReads::pendingTableAndCsv()
{
    const QStringList args{QStringLiteral("pending"), QStringLiteral("tasks"),
                           QStringLiteral("workers"), QStringLiteral("--consumer"),
                           QStringLiteral("alice")};
    const QJsonObject doc = ctl(args).json();
    const CtlResult csv = ctl(args, QStringLiteral("csv"));
    QVERIFY2(csv.exitCode == 0, csv.describe().constData());
    const QJsonObject summary = doc.value(QStringLiteral("summary")).toObject();
    const QMap<QString, QString> fields = csvFields(csv.out);
    for (const QString &key :
         {QStringLiteral("total"), QStringLiteral("lowest_id"), QStringLiteral("highest_id"),
          QStringLiteral("matching"), QStringLiteral("truncated")})
        QCOMPARE(fields.value(key), cellOf(summary.value(key), {}));
    compareCsvTable(csv.out, summary.value(QStringLiteral("consumers")).toArray(),
                    {QStringLiteral("name"), QStringLiteral("pending")});
    // Idle times run on between runs; the other cells must be the same.
    const QStringList keys{QStringLiteral("id"), QStringLiteral("consumer"),
                           QStringLiteral("idle_ms"), QStringLiteral("deliveries"),
                           QStringLiteral("in_stream")};
    const QList<QStringList> rows = csvTable(csv.out, keys);
    const QJsonArray pending = doc.value(QStringLiteral("pending")).toArray();
    QCOMPARE(rows.size(), pending.size());
    for (qsizetype i = 0; i < rows.size(); ++i) {
        const QJsonObject e = pending.at(i).toObject();
        QCOMPARE(rows.at(i).at(0), e.value(QStringLiteral("id")).toString());
        QCOMPARE(rows.at(i).at(1), QStringLiteral("alice"));
        QVERIFY(rows.at(i).at(2).toLongLong() >= e.value(QStringLiteral("idle_ms")).toInteger());
        QCOMPARE(rows.at(i).at(3), cellOf(e.value(QStringLiteral("deliveries")), {}));
        QCOMPARE(rows.at(i).at(4), cellOf(e.value(QStringLiteral("in_stream")), {}));
    }
    compareCsvTable(csv.out, doc.value(QStringLiteral("deliveries")).toArray(),
                    {QStringLiteral("bucket"), QStringLiteral("min_deliveries"),
                     QStringLiteral("max_deliveries"), QStringLiteral("count")});

    const CtlResult text = ctl(args, QStringLiteral("table"));
    QVERIFY2(text.exitCode == 0, text.describe().constData());
    QVERIFY(text.out.contains(
        "total: " + QByteArray::number(summary.value(QStringLiteral("total")).toInteger()) + '\n'));
    QJsonArray stable;
    for (const QJsonValue v : pending) {
        QJsonObject o = v.toObject();
        o.remove(QStringLiteral("idle_ms"));
        stable.append(o);
    }
    compareTextTable(text.out, stable,
                     {QStringLiteral("id"), QStringLiteral("consumer"),
                      QStringLiteral("deliveries"), QStringLiteral("in_stream")});
}

void TestCtlReads::entriesMatchXrange()
{
    const CtlResult r = ctl({QStringLiteral("entries"), QStringLiteral("events")});
    QVERIFY2(r.exitCode == 0, r.describe().constData());
    const QJsonObject doc = r.json();
    QCOMPARE(doc.value(QStringLiteral("schema")).toString(), QStringLiteral("weirctl.entries"));
    const RedisValue xrange = redis1({"XRANGE", "events", "-", "+"});
    const QJsonArray entries = doc.value(QStringLiteral("entries")).toArray();
    QCOMPARE(entries.size(), xrange.size());
    for (qsizetype i = 0; i < entries.size(); ++i) {
        const QJsonObject e = entries.at(i).toObject();
        const QByteArray id = xrange.at(i).at(0).bytes();
        QCOMPARE(e.value(QStringLiteral("id")).toString().toUtf8(), id);
        const QDateTime time =
            QDateTime::fromString(e.value(QStringLiteral("time")).toString(), Qt::ISODateWithMs);
        QCOMPARE(time.toMSecsSinceEpoch(), id.split('-').first().toLongLong());
        QCOMPARE(time.timeSpec(), Qt::UTC);
        const QJsonObject fields = e.value(QStringLiteral("fields")).toObject();
        const RedisValue stored = xrange.at(i).at(1);
        QCOMPARE(fields.size(), stored.size() / 2);
        QVERIFY(!e.contains(QStringLiteral("encodings")));
        for (qsizetype f = 0; f + 1 < stored.size(); f += 2) {
            const QByteArray value = stored.at(f + 1).bytes();
            const QString shown = fields.value(QString::fromUtf8(stored.at(f).bytes())).toString();
            // Text as stored; the binary value, which is not UTF-8, in hex after a marker.
            if (value.startsWith('\0'))
                QCOMPARE(shown, QStringLiteral("hex:") + QString::fromLatin1(value.toHex()));
            else
                QCOMPARE(shown.toUtf8(), value);
        }
    }
}

void TestCtlReads::entriesTimeBounds()
{
    // A time ago: entries are ten minutes apart, far from the bounds.
    CtlResult r =
        ctl({QStringLiteral("entries"), QStringLiteral("events"), QStringLiteral("--from"),
             QStringLiteral("-35m"), QStringLiteral("--to=-15m")});
    QVERIFY2(r.exitCode == 0, r.describe().constData());
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    QList<QByteArray> expected;
    for (const QByteArray &id : std::as_const(m_events)) {
        const qint64 ms = id.split('-').first().toLongLong();
        if (ms >= now - 35 * 60000 && ms <= now - 15 * 60000)
            expected << id;
    }
    QCOMPARE(expected.size(), 2);
    QList<QByteArray> got;
    for (const QJsonValue e : r.json().value(QStringLiteral("entries")).toArray())
        got << e.toObject().value(QStringLiteral("id")).toString().toUtf8();
    QCOMPARE(got, expected);

    // ISO 8601 times, both bounds included, as XRANGE over their milliseconds.
    const auto iso = [](const QByteArray &id) {
        return QDateTime::fromMSecsSinceEpoch(id.split('-').first().toLongLong(), Qt::UTC)
            .toString(Qt::ISODateWithMs);
    };
    r = ctl({QStringLiteral("entries"), QStringLiteral("events"), QStringLiteral("--from"),
             iso(m_events.at(1)), QStringLiteral("--to"), iso(m_events.at(3))});
    QVERIFY2(r.exitCode == 0, r.describe().constData());
    const QByteArray fromMs = m_events.at(1).split('-').first();
    const QByteArray toMs = m_events.at(3).split('-').first();
    const RedisValue xrange = redis1({"XRANGE", "events", fromMs, toMs});
    got.clear();
    for (const QJsonValue e : r.json().value(QStringLiteral("entries")).toArray())
        got << e.toObject().value(QStringLiteral("id")).toString().toUtf8();
    QCOMPARE(got.size(), 3);
    QCOMPARE(got.size(), xrange.size());
    for (qsizetype i = 0; i < got.size(); ++i)
        QCOMPARE(got.at(i), xrange.at(i).at(0).bytes());
    QCOMPARE(r.json().value(QStringLiteral("from")).toString().toUtf8(), fromMs + "-0");

    // Stream ids as they are.
    r = ctl({QStringLiteral("entries"), QStringLiteral("events"), QStringLiteral("--from"),
             QString::fromLatin1(m_events.at(3))});
    QVERIFY2(r.exitCode == 0, r.describe().constData());
    QCOMPARE(r.json().value(QStringLiteral("entries")).toArray().size(), 2);
}

void TestCtlReads::entriesReverseAndCount()
{
    const CtlResult r =
        ctl({QStringLiteral("entries"), QStringLiteral("events"), QStringLiteral("--reverse"),
             QStringLiteral("--count"), QStringLiteral("2")});
    QVERIFY2(r.exitCode == 0, r.describe().constData());
    const RedisValue xrevrange = redis1({"XREVRANGE", "events", "+", "-", "COUNT", "2"});
    const QJsonArray entries = r.json().value(QStringLiteral("entries")).toArray();
    QCOMPARE(entries.size(), 2);
    for (qsizetype i = 0; i < entries.size(); ++i)
        QCOMPARE(entries.at(i).toObject().value(QStringLiteral("id")).toString().toUtf8(),
                 xrevrange.at(i).at(0).bytes());
    QCOMPARE(xrevrange.at(0).at(0).bytes(), m_events.last());

    // Reverse within time bounds: newest first, bounds still as --from and --to.
    const CtlResult bounded =
        ctl({QStringLiteral("entries"), QStringLiteral("events"), QStringLiteral("--reverse"),
             QStringLiteral("--from"), QString::fromLatin1(m_events.at(0)), QStringLiteral("--to"),
             QString::fromLatin1(m_events.at(2))});
    QVERIFY2(bounded.exitCode == 0, bounded.describe().constData());
    const QJsonArray some = bounded.json().value(QStringLiteral("entries")).toArray();
    QCOMPARE(some.size(), 3);
    QCOMPARE(some.first().toObject().value(QStringLiteral("id")).toString().toUtf8(),
             m_events.at(2));
}

void TestCtlReads::entriesDecode()
{
    const CtlResult r =
        ctl({QStringLiteral("entries"), QStringLiteral("events"), QStringLiteral("--decode")});
    QVERIFY2(r.exitCode == 0, r.describe().constData());
    const QJsonArray entries = r.json().value(QStringLiteral("entries")).toArray();
    QCOMPARE(entries.size(), m_events.size());
    const QJsonDocument original = QJsonDocument::fromJson(m_json);
    QVERIFY(original.isObject());
    const auto fieldsOf = [&](int i) {
        return entries.at(i).toObject().value(QStringLiteral("fields")).toObject();
    };
    const auto encodingsOf = [&](int i) {
        return entries.at(i).toObject().value(QStringLiteral("encodings")).toObject();
    };
    // JSON: on one line, the same document.
    QCOMPARE(encodingsOf(0).value(QStringLiteral("data")).toString(), QStringLiteral("json"));
    const QString json = fieldsOf(0).value(QStringLiteral("data")).toString();
    QVERIFY(!json.contains(QLatin1Char('\n')));
    QCOMPARE(QJsonDocument::fromJson(json.toUtf8()), original);
    // gzip + base64 as the gzip tool wrote it: inflated to the same document.
    QCOMPARE(encodingsOf(1).value(QStringLiteral("data")).toString(),
             QStringLiteral("gzip+base64"));
    QCOMPARE(QJsonDocument::fromJson(fieldsOf(1).value(QStringLiteral("data")).toString().toUtf8()),
             original);
    // Binary: hex of the stored bytes.
    QCOMPARE(encodingsOf(2).value(QStringLiteral("data")).toString(), QStringLiteral("hex"));
    QCOMPARE(fieldsOf(2).value(QStringLiteral("data")).toString(),
             QStringLiteral("hex:00fffe0120726177"));
    QCOMPARE(encodingsOf(2).value(QStringLiteral("kind")).toString(), QStringLiteral("text"));
    QCOMPARE(fieldsOf(3).value(QStringLiteral("text")).toString(),
             QStringLiteral("plain words, with a comma"));
    QCOMPARE(fieldsOf(4).value(QStringLiteral("text")).toString(), QStringLiteral("ünïcode"));
}

void TestCtlReads::entriesTableAndCsv()
{
    const QStringList args{QStringLiteral("entries"), QStringLiteral("events"),
                           QStringLiteral("--decode")};
    const QJsonArray entries = ctl(args).json().value(QStringLiteral("entries")).toArray();
    QCOMPARE(entries.size(), m_events.size());
    // A table and CSV show the fields as name=value, in stream order.
    QJsonArray flat;
    for (const QJsonValue v : entries) {
        const QJsonObject e = v.toObject();
        const QJsonObject fields = e.value(QStringLiteral("fields")).toObject();
        const QJsonObject encodings = e.value(QStringLiteral("encodings")).toObject();
        QStringList fieldPairs;
        QStringList encodingPairs;
        const RedisValue stored =
            redis1({"XRANGE", "events", e.value(QStringLiteral("id")).toString().toUtf8(),
                    e.value(QStringLiteral("id")).toString().toUtf8()});
        for (qsizetype f = 0; f + 1 < stored.at(0).at(1).size(); f += 2) {
            const QString name = QString::fromUtf8(stored.at(0).at(1).at(f).bytes());
            fieldPairs << name + QLatin1Char('=') + fields.value(name).toString();
            encodingPairs << name + QLatin1Char('=') + encodings.value(name).toString();
        }
        flat.append(QJsonObject{{QStringLiteral("id"), e.value(QStringLiteral("id"))},
                                {QStringLiteral("time"), e.value(QStringLiteral("time"))},
                                {QStringLiteral("encodings"), encodingPairs.join(QLatin1Char(' '))},
                                {QStringLiteral("fields"), fieldPairs.join(QLatin1Char(' '))}});
    }
    const QStringList keys{QStringLiteral("id"), QStringLiteral("time"),
                           QStringLiteral("encodings"), QStringLiteral("fields")};
    const CtlResult csv = ctl(args, QStringLiteral("csv"));
    QVERIFY2(csv.exitCode == 0, csv.describe().constData());
    compareCsvTable(csv.out, flat, keys);
    const CtlResult text = ctl(args, QStringLiteral("table"));
    QVERIFY2(text.exitCode == 0, text.describe().constData());
    compareTextTable(text.out, flat, keys);
}

void TestCtlReads::redisErrorsVerbatim_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QList<QByteArray>>("same");
    QTest::newRow("groups of a missing stream")
        << QStringList{QStringLiteral("groups"), QStringLiteral("nosuch")}
        << QList<QByteArray>{"XINFO", "GROUPS", "nosuch"};
    QTest::newRow("groups of a string")
        << QStringList{QStringLiteral("groups"), QStringLiteral("plain")}
        << QList<QByteArray>{"XINFO", "GROUPS", "plain"};
    QTest::newRow("consumers of a missing group")
        << QStringList{QStringLiteral("consumers"), QStringLiteral("jobs"),
                       QStringLiteral("nosuch")}
        << QList<QByteArray>{"XINFO", "CONSUMERS", "jobs", "nosuch"};
    QTest::newRow("pending of a missing group")
        << QStringList{QStringLiteral("pending"), QStringLiteral("jobs"), QStringLiteral("nosuch")}
        << QList<QByteArray>{"XPENDING", "jobs", "nosuch", "-", "+", "100"};
    QTest::newRow("pending of a string")
        << QStringList{QStringLiteral("pending"), QStringLiteral("plain"), QStringLiteral("g")}
        << QList<QByteArray>{"XPENDING", "plain", "g", "-", "+", "100"};
    QTest::newRow("entries of a string")
        << QStringList{QStringLiteral("entries"), QStringLiteral("plain")}
        << QList<QByteArray>{"XRANGE", "plain", "-", "+", "COUNT", "100"};
}

void TestCtlReads::redisErrorsVerbatim()
{
    QFETCH(QStringList, args);
    QFETCH(QList<QByteArray>, same);
    const RedisValue reply = redis1(same);
    QVERIFY2(reply.isError(), qPrintable(reply.toDisplayString()));
    const CtlResult r = ctl(args);
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.out.isEmpty(), r.describe().constData());
    QVERIFY2(r.err.contains(": " + reply.bytes() + '\n'), r.describe().constData());
    const QString hint = errorHint(QString::fromUtf8(reply.bytes()));
    if (!hint.isEmpty())
        QVERIFY2(r.err.contains("hint: " + hint.toUtf8()), r.describe().constData());
}

void TestCtlReads::usageErrors_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("says");
    QTest::newRow("groups without a stream")
        << QStringList{QStringLiteral("groups")} << QStringLiteral("which stream");
    QTest::newRow("consumers without a group")
        << QStringList{QStringLiteral("consumers"), QStringLiteral("jobs")}
        << QStringLiteral("which group");
    QTest::newRow("pending, too many")
        << QStringList{QStringLiteral("pending"), QStringLiteral("a"), QStringLiteral("b"),
                       QStringLiteral("c")}
        << QStringLiteral("one stream and one group");
    QTest::newRow("pending --count 0")
        << QStringList{QStringLiteral("pending"), QStringLiteral("a"), QStringLiteral("b"),
                       QStringLiteral("--count"), QStringLiteral("0")}
        << QStringLiteral("--count: not a number of at least 1: 0");
    QTest::newRow("pending --idle minus")
        << QStringList{QStringLiteral("pending"), QStringLiteral("a"), QStringLiteral("b"),
                       QStringLiteral("--idle=-5")}
        << QStringLiteral("--idle: not a number of at least 0: -5");
    QTest::newRow("entries bad id") << QStringList{QStringLiteral("entries"), QStringLiteral("s"),
                                                   QStringLiteral("--from"), QStringLiteral("12-x")}
                                    << QStringLiteral("--from: not a stream id");
    QTest::newRow("entries bad time")
        << QStringList{QStringLiteral("entries"), QStringLiteral("s"), QStringLiteral("--to"),
                       QStringLiteral("2026-13-40T10:00:00Z")}
        << QStringLiteral("--to: not a stream id");
    QTest::newRow("entries bad relative time")
        << QStringList{QStringLiteral("entries"), QStringLiteral("s"), QStringLiteral("--from"),
                       QStringLiteral("-15y")}
        << QStringLiteral("-15y");
    QTest::newRow("entries bad count")
        << QStringList{QStringLiteral("entries"), QStringLiteral("s"), QStringLiteral("--count"),
                       QStringLiteral("ten")}
        << QStringLiteral("--count: not a number");
}

void TestCtlReads::usageErrors()
{
    QFETCH(QStringList, args);
    QFETCH(QString, says);
    // Nothing listens on port 1: a usage error found after connecting would exit 69.
    const CtlResult r = runCtl(QStringList{QStringLiteral("-p"), QStringLiteral("1")} + args);
    QVERIFY2(r.exitCode == 64, r.describe().constData());
    QVERIFY2(QString::fromUtf8(r.err).contains(says), r.describe().constData());
    QVERIFY(r.out.isEmpty());
}

QTEST_GUILESS_MAIN(TestCtlReads)
#include "tst_ctlreads.moc"
