// weirctl streams and weirctl deadletters, run as processes against a server that other
// clients filled (this test's own connection): every figure compared with what XINFO,
// XLEN and XRANGE say of the same keys.

#include "../integration/integrationsupport.h"
#include "connectionprofiles.h"
#include "ctltestsupport.h"
#include "deadletters.h"
#include "localrediscluster.h"
#include "redisconnection.h"
#include "replyparsers.h"
#include "runcommands.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonObject>
#include <QSettings>
#include <QTest>

using namespace ctltest;

namespace {

// Ids far in the past, so that the time lag is large and exact to the second.
constexpr qint64 OldMs = 1'000'000'000'000; // 2001-09-09

QByteArray id(qint64 ms, int seq = 0)
{
    return QByteArray::number(ms) + '-' + QByteArray::number(seq);
}

// The rows of a JSON table by their "name" (or another member).
QHash<QString, QJsonObject> byName(const QJsonArray &rows,
                                   const QString &member = QStringLiteral("name"))
{
    QHash<QString, QJsonObject> out;
    for (const QJsonValue row : rows)
        out.insert(row.toObject().value(member).toString(), row.toObject());
    return out;
}

} // namespace

class TestCtlStreams : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void streamsMatchXinfo();
    void matchFilters();
    void deadLetterPatternOption();
    void tableAndCsvPrintTheSameRows();
    void deadLettersPairsAndReasons();
    void deadLettersOfOneStream();
    void clusterListsEveryMaster();

private:
    RedisValue one(RedisCommand command)
    {
        const QList<RedisValue> replies = runCommands(m_connection.get(), {std::move(command)});
        return replies.value(0);
    }
    // The server's clock now, in ms.
    qint64 serverNowMs()
    {
        const RedisValue time = one(RedisCommand{"TIME"});
        return time.at(0).bytes().toLongLong() * 1000 + time.at(1).bytes().toLongLong() / 1000;
    }

    LocalRedisServer m_server;
    std::unique_ptr<RedisConnection> m_connection;
    bool m_hasLag = false;
};

void TestCtlStreams::initTestCase()
{
    START_SERVER(m_server);
    m_connection = std::make_unique<RedisConnection>(integration::quickOptions(m_server));
    OPEN_CONNECTED(*m_connection);
    m_hasLag = m_connection->serverInfo().hasGroupLag();

    QList<RedisCommand> fill;
    // orders: 5 entries; billing read 2 of them (lag 3, 2 pending), audit is up to date.
    for (int i = 1; i <= 5; ++i)
        fill << RedisCommand{{"XADD", "orders", id(OldMs + i), "n", QByteArray::number(i)},
                             "orders"};
    fill << RedisCommand{{"XGROUP", "CREATE", "orders", "billing", "0"}, "orders"}
         << RedisCommand{{"XGROUP", "CREATE", "orders", "audit", "$"}, "orders"}
         << RedisCommand{
                {"XREADGROUP", "GROUP", "billing", "w1", "COUNT", "2", "STREAMS", "orders", ">"},
                "orders"};
    // gaps: an entry deleted after the group's position, so Redis cannot tell its lag; and
    // a group whose position was set to an arbitrary id.
    for (int i = 1; i <= 4; ++i)
        fill << RedisCommand{{"XADD", "gaps", id(OldMs + 100 + i), "n", "x"}, "gaps"};
    fill << RedisCommand{{"XGROUP", "CREATE", "gaps", "deleted", "0"}, "gaps"}
         << RedisCommand{{"XREADGROUP", "GROUP", "deleted", "w", "COUNT", "1", "STREAMS", "gaps",
                          ">"},
                         "gaps"}
         << RedisCommand{{"XDEL", "gaps", id(OldMs + 103)}, "gaps"}
         << RedisCommand{{"XGROUP", "CREATE", "gaps", "moved", "0"}, "gaps"}
         << RedisCommand{{"XGROUP", "SETID", "gaps", "moved", id(OldMs + 102)}, "gaps"};
    // empty: a stream with no entries left; plain: not a stream.
    fill << RedisCommand{{"XADD", "empty", id(OldMs), "n", "x"}, "empty"}
         << RedisCommand{{"XDEL", "empty", id(OldMs)}, "empty"}
         << RedisCommand{{"SET", "plain", "1"}, "plain"};
    // orders:dlq, paired with orders by Weir's default patterns; four dead letters.
    const QList<QByteArray> reasons{"timeout", "bad json", "timeout", {}};
    for (int i = 0; i < reasons.size(); ++i) {
        RedisCommand add{{"XADD", "orders:dlq", "*", "originalTopicName", "orders"}, "orders:dlq"};
        if (!reasons.at(i).isEmpty())
            add.argv << "failureReason" << reasons.at(i);
        add.argv << "messageContent" << QByteArray::number(i);
        fill << add;
    }
    // other.events: no group, no dead letters.
    fill << RedisCommand{{"XADD", "other.events", "*", "n", "1"}, "other.events"};
    const QList<RedisValue> replies = runCommands(m_connection.get(), fill);
    QCOMPARE(replies.size(), fill.size());
    for (const RedisValue &r : replies)
        QVERIFY2(!r.isError(), r.bytes().constData());
}

void TestCtlStreams::streamsMatchXinfo()
{
    const CtlResult r =
        runCtl(serverArgs(m_server) << QStringLiteral("streams") << QStringLiteral("--format")
                                    << QStringLiteral("json"));
    QVERIFY2(r.finished && r.exitCode == 0, r.describe().constData());
    const QJsonObject doc = r.json();
    QCOMPARE(doc.value(QStringLiteral("schema")).toString(), QStringLiteral("weirctl.streams"));
    QCOMPARE(doc.value(QStringLiteral("version")).toInt(), 1);
    const QHash<QString, QJsonObject> rows = byName(doc.value(QStringLiteral("streams")).toArray());
    QCOMPARE(doc.value(QStringLiteral("streams")).toArray().size(), rows.size()); // no twice
    const QSet<QString> expected{QStringLiteral("orders"), QStringLiteral("gaps"),
                                 QStringLiteral("empty"), QStringLiteral("orders:dlq"),
                                 QStringLiteral("other.events")};
    QCOMPARE(QSet<QString>(rows.keyBegin(), rows.keyEnd()), expected);

    const qint64 now = serverNowMs();
    for (const QString &name : expected) {
        const QByteArray key = name.toUtf8();
        const QJsonObject row = rows.value(name);
        QString error;
        const auto info = parseStreamInfo(one(RedisCommand{{"XINFO", "STREAM", key}, key}), &error);
        const auto groups =
            parseGroupsInfo(one(RedisCommand{{"XINFO", "GROUPS", key}, key}), &error);
        QVERIFY2(info && groups, qPrintable(error));
        QCOMPARE(row.value(QStringLiteral("length")).toInteger(), info->length);
        QCOMPARE(row.value(QStringLiteral("groups")).toInteger(), groups->size());
        qint64 pending = 0;
        std::optional<qint64> maxLag;
        bool lagKnown = !groups->isEmpty();
        for (const GroupInfo &g : *groups) {
            pending += g.pending;
            if (g.lag)
                maxLag = qMax(maxLag.value_or(0), *g.lag);
            else
                lagKnown = false;
        }
        QCOMPARE(row.value(QStringLiteral("pending")).toInteger(), pending);
        if (lagKnown) {
            QCOMPARE(row.value(QStringLiteral("max_lag")).toInteger(-1), *maxLag);
            QVERIFY(row.value(QStringLiteral("lag_unknown_reason")).isNull());
        } else if (groups->isEmpty()) { // no lag to tell
            QVERIFY(row.value(QStringLiteral("max_lag")).isNull());
            QVERIFY(row.value(QStringLiteral("lag_unknown_reason")).isNull());
        } else {
            QVERIFY2(row.value(QStringLiteral("max_lag")).isNull(), qPrintable(name));
            QVERIFY(!row.value(QStringLiteral("lag_unknown_reason")).toString().isEmpty());
        }
        const auto idText = [](const std::optional<StreamId> &i) {
            return i ? QJsonValue(i->toString()) : QJsonValue(QJsonValue::Null);
        };
        QCOMPARE(row.value(QStringLiteral("first_id")), idText(info->firstEntryId));
        QCOMPARE(row.value(QStringLiteral("last_id")), idText(info->lastEntryId));
        QCOMPARE(row.value(QStringLiteral("last_entry_time")),
                 info->lastEntryId ? QJsonValue(
                     QDateTime::fromMSecsSinceEpoch(qint64(info->lastEntryId->ms), Qt::UTC)
                         .toString(Qt::ISODateWithMs))
                                   : QJsonValue(QJsonValue::Null));
        if (groups->isEmpty())
            QVERIFY(row.value(QStringLiteral("time_lag_ms")).isNull());
    }

    // Lags as Redis gives them: orders' billing lags 3 behind, audit none.
    QCOMPARE(rows.value(QStringLiteral("orders")).value(QStringLiteral("pending")).toInteger(), 2);
    if (m_hasLag) {
        QCOMPARE(rows.value(QStringLiteral("orders")).value(QStringLiteral("max_lag")).toInteger(),
                 3);
        // gaps: deleted's lag is nil (an entry deleted after its position).
        QVERIFY(rows.value(QStringLiteral("gaps")).value(QStringLiteral("max_lag")).isNull());
        QVERIFY(rows.value(QStringLiteral("gaps"))
                    .value(QStringLiteral("lag_unknown_reason"))
                    .toString()
                    .contains(QStringLiteral("deleted")));
    } else {
        QVERIFY(rows.value(QStringLiteral("orders")).value(QStringLiteral("max_lag")).isNull());
        QVERIFY(rows.value(QStringLiteral("orders"))
                    .value(QStringLiteral("lag_unknown_reason"))
                    .toString()
                    .contains(QStringLiteral("7.0")));
    }
    QVERIFY(rows.value(QStringLiteral("empty")).value(QStringLiteral("max_lag")).isNull());

    // Time lag: the oldest undelivered entry of the slowest group, by the server's clock.
    // orders: billing's next is entry 3; gaps: deleted's next is entry 2 (moved's is 4).
    const qint64 ordersLag =
        rows.value(QStringLiteral("orders")).value(QStringLiteral("time_lag_ms")).toInteger(-1);
    QVERIFY2(qAbs(ordersLag - (now - (OldMs + 3))) < 30000, qPrintable(QString::number(ordersLag)));
    const qint64 gapsLag =
        rows.value(QStringLiteral("gaps")).value(QStringLiteral("time_lag_ms")).toInteger(-1);
    QVERIFY(qAbs(gapsLag - (now - (OldMs + 102))) < 30000);
    // Both against the same server time: exactly the ids' distance apart.
    QCOMPARE(ordersLag - gapsLag, 102 - 3);

    // Dead letters: orders:dlq is orders' dead-letter stream.
    QCOMPARE(
        rows.value(QStringLiteral("orders")).value(QStringLiteral("dead_letter_stream")).toString(),
        QStringLiteral("orders:dlq"));
    QCOMPARE(rows.value(QStringLiteral("orders")).value(QStringLiteral("dead_letters")).toInteger(),
             one(RedisCommand{{"XLEN", "orders:dlq"}, "orders:dlq"}).toInteger());
    QCOMPARE(
        rows.value(QStringLiteral("orders:dlq")).value(QStringLiteral("dead_letter_of")).toString(),
        QStringLiteral("orders"));
    QVERIFY(
        rows.value(QStringLiteral("other.events")).value(QStringLiteral("dead_letters")).isNull());
    QVERIFY(rows.value(QStringLiteral("other.events"))
                .value(QStringLiteral("dead_letter_of"))
                .isNull());
}

void TestCtlStreams::matchFilters()
{
    const CtlResult r =
        runCtl(serverArgs(m_server) << QStringLiteral("streams") << QStringLiteral("--match")
                                    << QStringLiteral("orders*") << QStringLiteral("--format")
                                    << QStringLiteral("json"));
    QVERIFY2(r.finished && r.exitCode == 0, r.describe().constData());
    const QHash<QString, QJsonObject> rows =
        byName(r.json().value(QStringLiteral("streams")).toArray());
    QCOMPARE(QSet<QString>(rows.keyBegin(), rows.keyEnd()),
             (QSet<QString>{QStringLiteral("orders"), QStringLiteral("orders:dlq")}));
    // Pairing does not depend on the filter: orders:dlq was not asked for, yet counted.
    const CtlResult alone =
        runCtl(serverArgs(m_server)
               << QStringLiteral("streams") << QStringLiteral("--match") << QStringLiteral("orders")
               << QStringLiteral("--format") << QStringLiteral("json"));
    const QJsonArray only = alone.json().value(QStringLiteral("streams")).toArray();
    QCOMPARE(only.size(), 1);
    QCOMPARE(only.at(0).toObject().value(QStringLiteral("dead_letters")).toInteger(), 4);

    // Matching every key, the rows are read while the scan goes on (pairs asked of Redis),
    // not after it (pairs from the keys found): the same pairs and counts either way.
    const auto deadLetterFields = [](const CtlResult &run) {
        QHash<QString, QString> out;
        for (const QJsonValue v : run.json().value(QStringLiteral("streams")).toArray()) {
            const QJsonObject o = v.toObject();
            QStringList fields;
            for (const char *member : {"dead_letter_of", "dead_letter_stream", "dead_letters"})
                fields << o.value(QLatin1String(member)).toVariant().toString();
            out.insert(o.value(QStringLiteral("name")).toString(), fields.join(QLatin1Char('|')));
        }
        return out;
    };
    const QStringList json{QStringLiteral("--format"), QStringLiteral("json")};
    const CtlResult all = runCtl(serverArgs(m_server) << QStringLiteral("streams") << json);
    const CtlResult star =
        runCtl(serverArgs(m_server) << QStringLiteral("streams") << QStringLiteral("--match")
                                    << QStringLiteral("*") << json);
    QCOMPARE(deadLetterFields(star), deadLetterFields(all));
    QCOMPARE(deadLetterFields(all).size(), 5);
}

void TestCtlStreams::deadLetterPatternOption()
{
    const auto ordersRow = [this](const QString &pattern) {
        const CtlResult r =
            runCtl(serverArgs(m_server)
                   << QStringLiteral("streams") << QStringLiteral("--match")
                   << QStringLiteral("orders*") << QStringLiteral("--format")
                   << QStringLiteral("json") << QStringLiteral("--dead-letter-pattern") << pattern);
        [&] { QVERIFY2(r.exitCode == 0, r.describe().constData()); }();
        return byName(r.json().value(QStringLiteral("streams")).toArray());
    };
    // Another naming: orders:dlq is no dead-letter stream then.
    QHash<QString, QJsonObject> rows = ordersRow(QStringLiteral("dlq:{stream}"));
    QCOMPARE(rows.size(), 2);
    QVERIFY(rows.value(QStringLiteral("orders")).value(QStringLiteral("dead_letters")).isNull());
    QVERIFY(
        rows.value(QStringLiteral("orders:dlq")).value(QStringLiteral("dead_letter_of")).isNull());
    rows = ordersRow(QStringLiteral("{stream}:dlq"));
    QCOMPARE(rows.value(QStringLiteral("orders")).value(QStringLiteral("dead_letters")).toInteger(),
             4);

    // With --profile, the patterns saved with that connection in Weir.
    {
        QSettings settings(privateSettingsFile(), QSettings::IniFormat);
        ConnectionProfile profile;
        profile.id = QStringLiteral("streams-test");
        profile.options = m_server.options();
        profile.options.name = QStringLiteral("queues");
        ProfileStore(&settings).save(profile);
        DeadLetterConventions conventions = DeadLetterConventions::defaults();
        conventions.patterns = {QStringLiteral("dlq:{stream}")};
        conventions.save(settings, QStringLiteral("connections/streams-test"));
    }
    const CtlResult saved =
        runCtl({QStringLiteral("--profile"), QStringLiteral("queues"), QStringLiteral("streams"),
                QStringLiteral("--match"), QStringLiteral("orders"), QStringLiteral("--format"),
                QStringLiteral("json")});
    QSettings(privateSettingsFile(), QSettings::IniFormat).clear();
    QVERIFY2(saved.exitCode == 0, saved.describe().constData());
    const QJsonArray savedRows = saved.json().value(QStringLiteral("streams")).toArray();
    QCOMPARE(savedRows.size(), 1);
    QVERIFY(savedRows.at(0).toObject().value(QStringLiteral("dead_letters")).isNull());

    const CtlResult bad = runCtl(serverArgs(m_server) << QStringLiteral("streams")
                                                      << QStringLiteral("--dead-letter-pattern")
                                                      << QStringLiteral("no-placeholder"));
    QCOMPARE(bad.exitCode, 64);
    QVERIFY(bad.err.contains("{stream}"));
}

void TestCtlStreams::tableAndCsvPrintTheSameRows()
{
    const auto run = [this](const char *format) {
        return runCtl(serverArgs(m_server)
                      << QStringLiteral("streams") << QStringLiteral("--format")
                      << QString::fromLatin1(format));
    };
    const CtlResult json = run("json");
    const CtlResult csv = run("csv");
    const CtlResult table = run("table");
    QVERIFY2(csv.exitCode == 0 && table.exitCode == 0, csv.describe() + table.describe());
    const QHash<QString, QJsonObject> rows =
        byName(json.json().value(QStringLiteral("streams")).toArray());

    const QList<QStringList> lines = parseCsv(csv.out);
    QCOMPARE(lines.size(), rows.size() + 1);
    const QStringList &header = lines.first();
    QVERIFY(header.contains(QStringLiteral("name")) && header.contains(QStringLiteral("max_lag")));
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QStringList &cells = lines.at(i);
        QCOMPARE(cells.size(), header.size());
        const QJsonObject row = rows.value(cells.at(header.indexOf(QStringLiteral("name"))));
        QVERIFY(!row.isEmpty());
        for (qsizetype c = 0; c < header.size(); ++c) {
            const QJsonValue v = row.value(header.at(c));
            if (header.at(c) == QLatin1String("time_lag_ms")) { // it grew between the runs
                QVERIFY(qAbs(cells.at(c).toDouble() - v.toDouble()) < 60000);
                continue;
            }
            const QString expected = v.isNull()     ? QString()
                                     : v.isString() ? v.toString()
                                     : v.isDouble() ? QString::number(v.toDouble(), 'g', 15)
                                                    : QString();
            QCOMPARE(cells.at(c), expected);
        }
    }

    // The table: a heading, then one line per stream, its name first and its length next.
    QList<QByteArray> tableLines = table.out.split('\n');
    tableLines.removeAll(QByteArray());
    QCOMPARE(tableLines.size(), rows.size() + 1);
    QVERIFY(tableLines.first().startsWith("STREAM"));
    for (qsizetype i = 1; i < tableLines.size(); ++i) {
        const QList<QByteArray> cells = tableLines.at(i).simplified().split(' ');
        const QJsonObject row = rows.value(QString::fromUtf8(cells.at(0)));
        QVERIFY2(!row.isEmpty(), tableLines.at(i).constData());
        QCOMPARE(cells.at(1).toLongLong(), row.value(QStringLiteral("length")).toInteger());
        QCOMPARE(cells.at(2).toLongLong(), row.value(QStringLiteral("groups")).toInteger());
        QCOMPARE(cells.at(3).toLongLong(), row.value(QStringLiteral("pending")).toInteger());
    }
}

void TestCtlStreams::deadLettersPairsAndReasons()
{
    const CtlResult r =
        runCtl(serverArgs(m_server) << QStringLiteral("deadletters") << QStringLiteral("--format")
                                    << QStringLiteral("json"));
    QVERIFY2(r.finished && r.exitCode == 0, r.describe().constData());
    const QJsonObject doc = r.json();
    QCOMPARE(doc.value(QStringLiteral("schema")).toString(), QStringLiteral("weirctl.deadletters"));
    const QJsonArray pairs = doc.value(QStringLiteral("dead_letters")).toArray();
    QCOMPARE(pairs.size(), 1);
    const QJsonObject pair = pairs.at(0).toObject();
    QCOMPARE(pair.value(QStringLiteral("source")).toString(), QStringLiteral("orders"));
    QCOMPARE(pair.value(QStringLiteral("dead_letter_stream")).toString(),
             QStringLiteral("orders:dlq"));
    QCOMPARE(pair.value(QStringLiteral("length")).toInteger(),
             one(RedisCommand{{"XLEN", "orders:dlq"}, "orders:dlq"}).toInteger());

    // The reasons, counted from the entries as XRANGE gives them.
    QHash<QString, qint64> expected;
    const RedisValue entries = one(RedisCommand{{"XRANGE", "orders:dlq", "-", "+"}, "orders:dlq"});
    for (qsizetype i = 0; i < entries.size(); ++i) {
        const RedisValue &fields = entries.at(i).at(1);
        QString reason; // none recorded
        for (qsizetype f = 0; f + 1 < fields.size(); f += 2) {
            if (fields.at(f).bytes() == "failureReason")
                reason = QString::fromUtf8(fields.at(f + 1).bytes());
        }
        ++expected[reason];
    }
    QHash<QString, qint64> printed;
    for (const QJsonValue v : doc.value(QStringLiteral("reasons")).toArray()) {
        const QJsonObject o = v.toObject();
        QCOMPARE(o.value(QStringLiteral("dead_letter_stream")).toString(),
                 QStringLiteral("orders:dlq"));
        const QJsonValue reason = o.value(QStringLiteral("reason"));
        printed.insert(reason.isNull() ? QString() : reason.toString(),
                       o.value(QStringLiteral("count")).toInteger());
    }
    QCOMPARE(printed, expected);
    QCOMPARE(printed.value(QStringLiteral("timeout")), 2);
}

void TestCtlStreams::deadLettersOfOneStream()
{
    for (const QString &stream : {QStringLiteral("orders"), QStringLiteral("orders:dlq")}) {
        const CtlResult r =
            runCtl(serverArgs(m_server) << QStringLiteral("deadletters") << stream
                                        << QStringLiteral("--format") << QStringLiteral("json"));
        QVERIFY2(r.exitCode == 0, r.describe().constData());
        const QJsonArray pairs = r.json().value(QStringLiteral("dead_letters")).toArray();
        QCOMPARE(pairs.size(), 1);
        QCOMPARE(pairs.at(0).toObject().value(QStringLiteral("source")).toString(),
                 QStringLiteral("orders"));
    }
    const CtlResult none = runCtl(serverArgs(m_server)
                                  << QStringLiteral("deadletters") << QStringLiteral("other.events")
                                  << QStringLiteral("--format") << QStringLiteral("json"));
    QCOMPARE(none.exitCode, 0);
    QVERIFY(none.json().value(QStringLiteral("dead_letters")).toArray().isEmpty());
    QVERIFY(none.err.contains("other.events"));
}

void TestCtlStreams::clusterListsEveryMaster()
{
    LocalRedisCluster::Config config;
    config.replicasPerMaster = 0;
    LocalRedisCluster cluster(config);
    QString error;
    QVERIFY2(cluster.start(&error), qPrintable(error));
    RedisConnection connection(cluster.options(0));
    OPEN_CONNECTED(connection);

    // Streams on every master (keys hash all over the slots), each with i + 1 entries,
    // and one dead-letter stream on another node than its source.
    QList<RedisCommand> fill;
    QSet<QString> names;
    for (int i = 0; i < 30; ++i) {
        const QByteArray key = "queue-" + QByteArray::number(i);
        names.insert(QString::fromLatin1(key));
        for (int e = 0; e <= i; ++e)
            fill << RedisCommand{{"XADD", key, "*", "n", "1"}, key};
    }
    const ClusterTopology topology = connection.topology();
    QByteArray source; // the first stream whose dead-letter stream is on another master
    for (int i = 0; i < 30 && source.isEmpty(); ++i) {
        const QByteArray key = "queue-" + QByteArray::number(i);
        if (topology.masterForKey(key)->address() != topology.masterForKey(key + ":dlq")->address())
            source = key;
    }
    QVERIFY(!source.isEmpty());
    const QByteArray deadLetters = source + ":dlq";
    fill << RedisCommand{{"XADD", deadLetters, "*", "failureReason", "x"}, deadLetters};
    names.insert(QString::fromLatin1(deadLetters));
    const QList<RedisValue> replies = runCommands(&connection, fill);
    QCOMPARE(replies.size(), fill.size());
    // The keys are spread over every master.
    QSet<QString> holders;
    for (const QString &n : std::as_const(names))
        holders.insert(topology.masterForKey(n.toUtf8())->address());
    QCOMPARE(holders.size(), topology.masters().size());

    const CtlResult r =
        runCtl({QStringLiteral("-h"), QStringLiteral("127.0.0.1"), QStringLiteral("-p"),
                QString::number(cluster.port(0)), QStringLiteral("streams"),
                QStringLiteral("--format"), QStringLiteral("json")});
    QVERIFY2(r.finished && r.exitCode == 0, r.describe().constData());
    const QHash<QString, QJsonObject> rows =
        byName(r.json().value(QStringLiteral("streams")).toArray());
    QCOMPARE(QSet<QString>(rows.keyBegin(), rows.keyEnd()), names);
    for (const QString &name : std::as_const(names)) {
        const QByteArray key = name.toUtf8();
        const QList<RedisValue> len = runCommands(&connection, {RedisCommand{{"XLEN", key}, key}});
        QCOMPARE(rows.value(name).value(QStringLiteral("length")).toInteger(),
                 len.value(0).toInteger());
    }
    QCOMPARE(
        rows.value(QString::fromLatin1(source)).value(QStringLiteral("dead_letters")).toInteger(),
        1);
    QCOMPARE(rows.value(QString::fromLatin1(deadLetters))
                 .value(QStringLiteral("dead_letter_of"))
                 .toString(),
             QString::fromLatin1(source));
}

QTEST_GUILESS_MAIN(TestCtlStreams)
#include "tst_ctlstreams.moc"
