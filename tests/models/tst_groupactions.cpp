// Consumer-group management against a real redis-server: where PositionResolver places a
// group (end, start, id, date-time, back and forward by N entries), the ENTRIESREAD it
// works out and the lag Redis reports afterwards, the commands run through BulkRunner
// (create, SETID, destroy, create and delete consumers), errors verbatim, and the checks
// of names and positions made as the operator types.
#include "errorhint.h"
#include "groupactions.h"
#include "localredisserver.h"
#include "runcommands.h"
#include "serverversion.h"

#include <QSignalSpy>
#include <QTest>

#include <memory>

using GroupActions::Position;

// Entries of the stream "s": one a second from Base + 1 s to Base + 30 s, and a second
// entry in the 10th and the 20th second; the first four are trimmed away, so Redis has
// added 32 entries and holds 28 (entries-added differs from the length).
static constexpr quint64 Base = 1700000000000;

static QByteArray at(int second, int seq = 0)
{
    return QByteArray::number(Base + quint64(second) * 1000) + '-' + QByteArray::number(seq);
}

static QDateTime time(int second, int ms = 0)
{
    return QDateTime::fromMSecsSinceEpoch(qint64(Base) + second * 1000 + ms, Qt::UTC);
}

static Position position(Position::Kind kind, const QByteArray &id = {}, QDateTime t = {},
                         qint64 steps = 0)
{
    Position p;
    p.kind = kind;
    p.id = id;
    p.time = t;
    p.steps = steps;
    return p;
}

class TestGroupActions : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void namesAreChecked_data();
    void namesAreChecked();
    void positionsAreChecked_data();
    void positionsAreChecked();
    void createsAtEachKindOfPosition_data();
    void createsAtEachKindOfPosition();
    void createWithMkstreamMakesTheStream();
    void setIdByDateTimeKeepsLagKnown();
    void setIdStepsBackAndForward();
    void setIdStepsPastEitherEnd();
    void stepsFromAnUnknownCountAreCounted();
    void deletionAfterThePositionLeavesLagUnknown();
    void countingStopsAtTheLimit();
    void entriesReadNeedsRedis70();
    void destroysAGroup();
    void createsAndDeletesConsumers();
    void errorsReachTheUserVerbatim();
    void readOnlyConnectionChangesNothing();

private:
    QList<RedisValue> run(const QList<RedisCommand> &commands);
    RedisValue one(const RedisCommand &command) { return run({command}).value(0); }
    std::optional<GroupInfo> group(const QByteArray &name, const QByteArray &key = "s");
    // The entries of the stream after `id`, counted by reading them.
    qint64 countAfter(const QByteArray &id, const QByteArray &key = "s");
    // The group's lag as Redis reports it (-1 for nil), from 7.0 on; before, Redis has no
    // lag, and this is the count after its last-delivered id, so that where a group was
    // placed is checked on every server.
    qint64 lagOf(const QByteArray &name, const QByteArray &key = "s");
    // PositionResolver's answer, or the error it gave.
    GroupActions::Resolved resolve(const Position &p, const QByteArray &group = {},
                                   QString *error = nullptr, const QByteArray &key = "s",
                                   std::optional<ServerInfo> server = std::nullopt,
                                   qint64 countLimit = GroupActions::CountLimit);
    BulkRunner::Report apply(const RedisCommand &command, RedisConnection *on = nullptr);

    std::unique_ptr<LocalRedisServer> m_server;
    std::unique_ptr<RedisConnection> m_admin; // set-up and checks
    std::unique_ptr<RedisConnection> m_weir;  // what the actions run on
};

void TestGroupActions::init()
{
    m_server = std::make_unique<LocalRedisServer>();
    QString error;
    QVERIFY2(m_server->start(&error), qPrintable(error));
    m_admin = std::make_unique<RedisConnection>(m_server->options());
    m_admin->open(false);
    m_weir = std::make_unique<RedisConnection>(m_server->options());
    m_weir->open(false);
    QTRY_COMPARE(m_admin->state(), ConnectionState::Connected);
    QTRY_COMPARE(m_weir->state(), ConnectionState::Connected);
    QList<RedisCommand> setup;
    for (int second = 1; second <= 30; ++second) {
        setup.append(RedisCommand{{"XADD", "s", at(second), "n", QByteArray::number(second)}});
        if (second == 10 || second == 20)
            setup.append(RedisCommand{{"XADD", "s", at(second, 1), "n", "again"}});
    }
    setup.append(RedisCommand{{"XTRIM", "s", "MAXLEN", "28"}});
    run(setup);
    QCOMPARE(one(RedisCommand{{"XLEN", "s"}}).toInteger(), 28);
}

void TestGroupActions::cleanup()
{
    m_weir.reset();
    m_admin.reset();
    m_server.reset();
}

QList<RedisValue> TestGroupActions::run(const QList<RedisCommand> &commands)
{
    return runCommands(m_admin.get(), commands, 30000);
}

qint64 TestGroupActions::lagOf(const QByteArray &name, const QByteArray &key)
{
    const std::optional<GroupInfo> g = group(name, key);
    if (!g)
        return -2;
    if (testserver::isAtLeast(7, 0))
        return g->lag.value_or(-1);
    if (g->lag)
        return -3; // a lag from a server that has none to report
    return countAfter(g->lastDeliveredId.toByteArray(), key);
}

std::optional<GroupInfo> TestGroupActions::group(const QByteArray &name, const QByteArray &key)
{
    QString error;
    const auto groups = parseGroupsInfo(one(RedisCommand{{"XINFO", "GROUPS", key}}), &error);
    if (!groups)
        qWarning() << error;
    for (const GroupInfo &g : groups.value_or(QList<GroupInfo>{})) {
        if (g.name == name)
            return g;
    }
    return std::nullopt;
}

qint64 TestGroupActions::countAfter(const QByteArray &id, const QByteArray &key)
{
    const StreamId after = *StreamId::parse(id)->next();
    return one(RedisCommand{{"XRANGE", key, after.toByteArray(), "+"}}).size();
}

GroupActions::Resolved TestGroupActions::resolve(const Position &p, const QByteArray &group,
                                                 QString *error, const QByteArray &key,
                                                 std::optional<ServerInfo> server,
                                                 qint64 countLimit)
{
    PositionResolver resolver;
    QSignalSpy finished(&resolver, &PositionResolver::finished);
    resolver.start(m_weir.get(), key, group, p, server.value_or(m_weir->serverInfo()), countLimit);
    [&] { QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 20000); }();
    if (finished.isEmpty())
        return {};
    const QString e = finished.first().at(1).toString();
    if (error)
        *error = e;
    else if (!e.isEmpty())
        qWarning() << "resolving failed:" << e;
    return finished.first().at(0).value<GroupActions::Resolved>();
}

BulkRunner::Report TestGroupActions::apply(const RedisCommand &command, RedisConnection *on)
{
    BulkRunner runner;
    QSignalSpy finished(&runner, &BulkRunner::finished);
    [&] { QVERIFY(runner.start(on ? on : m_weir.get(), GroupActions::single(command, "x"))); }();
    [&] { QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 20000); }();
    return finished.isEmpty() ? BulkRunner::Report{}
                              : finished.first().at(0).value<BulkRunner::Report>();
}

void TestGroupActions::namesAreChecked_data()
{
    QTest::addColumn<bool>("consumer");
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("error");   // contained in the error; empty: none
    QTest::addColumn<QString>("warning"); // contained in the warning; empty: none
    QTest::newRow("group: empty") << false << QString() << "Name the group" << QString();
    QTest::newRow("group: taken") << false << "workers"
                                  << "already has a group named “workers”" << QString();
    QTest::newRow("group: new") << false << "billing" << QString() << QString();
    QTest::newRow("group: spaces") << false << " billing" << QString() << "starts or ends";
    QTest::newRow("group: taken, other case") << false << "Workers" << QString() << QString();
    QTest::newRow("consumer: empty") << true << QString() << "Name the consumer" << QString();
    QTest::newRow("consumer: taken") << true << "w1"
                                     << "already has a consumer named “w1”" << QString();
    QTest::newRow("consumer: trailing space") << true << "w2 " << QString() << "space";
}

void TestGroupActions::namesAreChecked()
{
    QFETCH(bool, consumer);
    QFETCH(QString, name);
    QFETCH(QString, error);
    QFETCH(QString, warning);
    const GroupActions::Check c =
        consumer ? GroupActions::checkConsumerName(name, {QStringLiteral("w1")})
                 : GroupActions::checkGroupName(name, {QStringLiteral("workers")});
    QCOMPARE(c.ok(), error.isEmpty());
    QVERIFY2(error.isEmpty() ? c.error.isEmpty() : c.error.contains(error), qPrintable(c.error));
    QVERIFY2(warning.isEmpty() ? c.warning.isEmpty() : c.warning.contains(warning),
             qPrintable(c.warning));
}

void TestGroupActions::positionsAreChecked_data()
{
    QTest::addColumn<Position>("position");
    QTest::addColumn<QString>("error"); // contained in the error; empty: none
    QTest::newRow("end") << position(Position::End) << QString();
    QTest::newRow("id") << position(Position::Id, "1700000000000-3") << QString();
    QTest::newRow("id, ms only") << position(Position::Id, "1700000000000") << QString();
    QTest::newRow("id, empty") << position(Position::Id) << "Type the id";
    QTest::newRow("id, letters") << position(Position::Id, "17x-0") << "is not a stream id";
    QTest::newRow("id, negative") << position(Position::Id, "-1") << "is not a stream id";
    QTest::newRow("id, too big") << position(Position::Id, "18446744073709551616-0")
                                 << "is not a stream id";
    QTest::newRow("time") << position(Position::Time, {}, time(3)) << QString();
    QTest::newRow("time, invalid") << position(Position::Time) << "Pick a date";
    QTest::newRow("time, before 1970")
        << position(Position::Time, {}, QDateTime::fromMSecsSinceEpoch(-1000, Qt::UTC)) << "1970";
    QTest::newRow("back 0") << position(Position::Back, {}, {}, 0) << "at least one";
    QTest::newRow("back 3") << position(Position::Back, {}, {}, 3) << QString();
    QTest::newRow("forward too far")
        << position(Position::Forward, {}, {}, GroupActions::MaxSteps + 1) << "at most";
}

void TestGroupActions::positionsAreChecked()
{
    QFETCH(Position, position);
    QFETCH(QString, error);
    const QString why = GroupActions::checkPosition(position);
    QVERIFY2(error.isEmpty() ? why.isEmpty() : why.contains(error), qPrintable(why));
}

void TestGroupActions::createsAtEachKindOfPosition_data()
{
    QTest::addColumn<Position>("position");
    QTest::addColumn<QByteArray>("lastDelivered");
    QTest::addColumn<bool>("sendsEntriesRead");
    QTest::newRow("end") << position(Position::End) << at(30) << false;
    QTest::newRow("start") << position(Position::Start) << QByteArray("0-0") << false;
    QTest::newRow("id of an entry") << position(Position::Id, at(12)) << at(12) << true;
    QTest::newRow("id between entries") << position(Position::Id, at(12, 7)) << at(12, 7) << true;
    QTest::newRow("id, ms only") << position(Position::Id, QByteArray::number(Base + 12000))
                                 << at(12) << true;
    // From a date-time: the entries at or after it, so after the last entry before it.
    QTest::newRow("time within a second")
        << position(Position::Time, {}, time(15, 500)) << at(15) << true;
    QTest::newRow("time of two entries")
        << position(Position::Time, {}, time(20)) << at(19) << true;
    QTest::newRow("time after a pair")
        << position(Position::Time, {}, time(20, 1)) << at(20, 1) << true;
    QTest::newRow("time before the first")
        << position(Position::Time, {}, time(5)) << QByteArray("0-0") << true;
    QTest::newRow("time in the future")
        << position(Position::Time, {}, time(1000)) << at(30) << true;
    QTest::newRow("id after the last") << position(Position::Id, at(40)) << at(40) << true;
}

// Wherever a group is created, Redis reports its lag, and the lag is the number of entries
// after its last-delivered id. Before 7.0 the group is placed the same, with no ENTRIESREAD
// (Redis has none), and the confirmation's note says why.
void TestGroupActions::createsAtEachKindOfPosition()
{
    QFETCH(Position, position);
    QFETCH(QByteArray, lastDelivered);
    QFETCH(bool, sendsEntriesRead);
    const bool lagKnown = testserver::isAtLeast(7, 0);
    const GroupActions::Resolved r = resolve(position);
    QCOMPARE(r.entriesRead.has_value(), sendsEntriesRead && lagKnown);
    const RedisCommand command = GroupActions::createCommand("s", "g", r, false);
    QCOMPARE(command.argv.contains("ENTRIESREAD"), sendsEntriesRead && lagKnown);
    if (sendsEntriesRead && !lagKnown)
        QVERIFY2(r.note.contains(QLatin1String("came with Redis 7.0")), qPrintable(r.note));
    const BulkRunner::Report report = apply(command);
    QVERIFY2(report.error.isEmpty(), qPrintable(report.error));
    QCOMPARE(report.done.size(), 1);
    const std::optional<GroupInfo> g = group("g");
    QVERIFY(g);
    QCOMPARE(g->lastDeliveredId.toByteArray(), lastDelivered);
    QCOMPARE(r.position.toByteArray(), lastDelivered);
    const qint64 expected = countAfter(lastDelivered);
    QCOMPARE(lagOf("g"), expected);
    QCOMPARE(r.toDeliver.value_or(-1), expected);
    // And keeps counting as the group reads.
    run({RedisCommand{{"XREADGROUP", "GROUP", "g", "c", "COUNT", "2", "STREAMS", "s", ">"}}});
    QCOMPARE(lagOf("g"), qMax<qint64>(0, expected - 2));
}

void TestGroupActions::createWithMkstreamMakesTheStream()
{
    const bool lagKnown = testserver::isAtLeast(7, 0);
    QString error;
    const GroupActions::Resolved r =
        resolve(position(Position::Time, {}, time(3)), {}, &error, "fresh");
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QVERIFY(!r.streamExists);
    QVERIFY(r.note.contains(QLatin1String("MKSTREAM")));

    // Without MKSTREAM Redis refuses, and says so.
    BulkRunner::Report report = apply(GroupActions::createCommand("fresh", "g", r, false));
    QVERIFY(report.done.isEmpty());
    QVERIFY2(report.error.contains(QLatin1String("MKSTREAM")), qPrintable(report.error));
    QCOMPARE(one(RedisCommand{{"EXISTS", "fresh"}}).toInteger(), 0);

    const RedisCommand command = GroupActions::createCommand("fresh", "g", r, true);
    QList<QByteArray> argv{"XGROUP", "CREATE", "fresh", "g", "0", "MKSTREAM"};
    if (lagKnown)
        argv << "ENTRIESREAD"
             << "0";
    QCOMPARE(command.argv, argv);
    report = apply(command);
    QVERIFY2(report.error.isEmpty(), qPrintable(report.error));
    QCOMPARE(lagOf("g", "fresh"), 0);
    run({RedisCommand{{"XADD", "fresh", "*", "n", "1"}},
         RedisCommand{{"XADD", "fresh", "*", "n", "2"}}});
    QCOMPARE(lagOf("g", "fresh"), 2);
}

// The group had read part of the stream; set back to a date-time, with the ENTRIESREAD
// Weir works out, Redis reports its lag, and the lag is the true number of entries after
// its new last-delivered id. Without that ENTRIESREAD, Redis could not tell.
void TestGroupActions::setIdByDateTimeKeepsLagKnown()
{
    REQUIRE_REDIS(7, 0, "ENTRIESREAD");
    run({RedisCommand{{"XGROUP", "CREATE", "s", "g", "0"}},
         RedisCommand{{"XREADGROUP", "GROUP", "g", "c", "COUNT", "20", "STREAMS", "s", ">"}}});
    QCOMPARE(group("g")->lastDeliveredId.toByteArray(), at(22));

    const GroupActions::Resolved r = resolve(position(Position::Time, {}, time(15, 500)), "g");
    QCOMPARE(r.position.toByteArray(), at(15));
    QVERIFY(r.entriesRead);
    QCOMPARE(*r.entriesRead, 32 - countAfter(at(15)));
    const BulkRunner::Report report = apply(GroupActions::setIdCommand("s", "g", r));
    QVERIFY2(report.error.isEmpty(), qPrintable(report.error));
    std::optional<GroupInfo> g = group("g");
    QCOMPARE(g->lastDeliveredId.toByteArray(), at(15));
    QVERIFY2(g->lag.has_value(), "Redis reports no lag after SETID by date-time");
    QCOMPARE(*g->lag, countAfter(at(15)));
    QCOMPARE(*g->lag, 16); // seconds 16 to 30, and the second entry of second 20

    run({RedisCommand{{"XREADGROUP", "GROUP", "g", "c", "COUNT", "3", "STREAMS", "s", ">"}}});
    QCOMPARE(lagOf("g"), 13);

    // The same move without ENTRIESREAD: Redis has no lag to report.
    run({RedisCommand{{"XGROUP", "SETID", "s", "g", at(15)}}});
    QVERIFY(!group("g")->lag.has_value());
}

void TestGroupActions::setIdStepsBackAndForward()
{
    run({RedisCommand{{"XGROUP", "CREATE", "s", "g", "0"}},
         RedisCommand{{"XREADGROUP", "GROUP", "g", "c", "COUNT", "10", "STREAMS", "s", ">"}}});
    QCOMPARE(group("g")->lastDeliveredId.toByteArray(), at(13));
    QCOMPARE(lagOf("g"), 18);

    // Back 3 from 13: 13, 12 and 11 are delivered again; the group is after 10-1.
    GroupActions::Resolved r = resolve(position(Position::Back, {}, {}, 3), "g");
    QCOMPARE(r.position.toByteArray(), at(10, 1));
    QCOMPARE(r.stepped, 3);
    QCOMPARE(r.toDeliver.value_or(-1), 21);
    if (testserver::isAtLeast(7, 0))
        QCOMPARE(r.entriesRead.value_or(-1), 32 - 21);
    QVERIFY2(apply(GroupActions::setIdCommand("s", "g", r)).error.isEmpty(), "SETID failed");
    QCOMPARE(group("g")->lastDeliveredId.toByteArray(), at(10, 1));
    QCOMPARE(lagOf("g"), countAfter(at(10, 1)));
    QCOMPARE(lagOf("g"), 21);

    // Forward 5 from 10-1: 11 to 15 are skipped.
    r = resolve(position(Position::Forward, {}, {}, 5), "g");
    QCOMPARE(r.position.toByteArray(), at(15));
    QCOMPARE(r.stepped, 5);
    QVERIFY2(apply(GroupActions::setIdCommand("s", "g", r)).error.isEmpty(), "SETID failed");
    QCOMPARE(lagOf("g"), countAfter(at(15)));
    QCOMPARE(lagOf("g"), 16);
}

void TestGroupActions::setIdStepsPastEitherEnd()
{
    run({RedisCommand{{"XGROUP", "CREATE", "s", "g", at(7)}}});
    GroupActions::Resolved r = resolve(position(Position::Back, {}, {}, 10), "g");
    QCOMPARE(r.position.toByteArray(), QByteArray("0-0"));
    QCOMPARE(r.stepped, 3); // 5, 6 and 7 are all there is up to 7
    QVERIFY(r.note.contains(QLatin1String("start")));
    QVERIFY2(apply(GroupActions::setIdCommand("s", "g", r)).error.isEmpty(), "SETID failed");
    QCOMPARE(lagOf("g"), 28);

    r = resolve(position(Position::Forward, {}, {}, 1000), "g");
    QCOMPARE(r.position.toByteArray(), at(30));
    QCOMPARE(r.stepped, 28);
    QVERIFY(r.note.contains(QLatin1String("last entry")));
    QVERIFY2(apply(GroupActions::setIdCommand("s", "g", r)).error.isEmpty(), "SETID failed");
    QCOMPARE(lagOf("g"), 0);

    r = resolve(position(Position::Forward, {}, {}, 1), "g");
    QCOMPARE(r.position.toByteArray(), at(30));
    QCOMPARE(r.stepped, 0);
}

// A group whose count Redis does not know (placed at an id without ENTRIESREAD): a step
// from there counts the entries after the new place, and the lag is known again.
void TestGroupActions::stepsFromAnUnknownCountAreCounted()
{
    REQUIRE_REDIS(7, 0, "ENTRIESREAD");
    run({RedisCommand{{"XGROUP", "CREATE", "s", "g", at(12)}}});
    QVERIFY(!group("g")->lag.has_value());
    const GroupActions::Resolved r = resolve(position(Position::Back, {}, {}, 2), "g");
    QCOMPARE(r.position.toByteArray(), at(10, 1));
    QVERIFY(r.entriesRead);
    QVERIFY2(apply(GroupActions::setIdCommand("s", "g", r)).error.isEmpty(), "SETID failed");
    QCOMPARE(lagOf("g"), countAfter(at(10, 1)));
}

void TestGroupActions::deletionAfterThePositionLeavesLagUnknown()
{
    REQUIRE_REDIS(7, 0, "ENTRIESREAD");
    run({RedisCommand{{"XDEL", "s", at(25)}}});
    const GroupActions::Resolved r = resolve(position(Position::Id, at(12)));
    QVERIFY(!r.entriesRead);
    QVERIFY2(r.note.contains(QLatin1String("deleted"))
                 && r.note.contains(QString::fromLatin1(at(25))),
             qPrintable(r.note));
    QVERIFY(!GroupActions::createCommand("s", "g", r, false).argv.contains("ENTRIESREAD"));
    QVERIFY2(apply(GroupActions::createCommand("s", "g", r, false)).error.isEmpty(), "failed");
    QVERIFY(!group("g")->lag.has_value()); // as the confirmation said

    // After the deleted entry, a count is possible again.
    const GroupActions::Resolved later = resolve(position(Position::Id, at(26)));
    QCOMPARE(later.entriesRead.value_or(-1), 32 - 4);
    QVERIFY2(apply(GroupActions::createCommand("s", "g2", later, false)).error.isEmpty(), "failed");
    QCOMPARE(lagOf("g2"), 4);
}

// The entries after a place are counted (for the confirmation, and for an ENTRIESREAD from
// 7.0 on) up to a limit.
void TestGroupActions::countingStopsAtTheLimit()
{
    const GroupActions::Resolved r =
        resolve(position(Position::Id, at(12)), {}, nullptr, "s", std::nullopt, 5);
    QVERIFY(!r.entriesRead);
    QVERIFY(!r.toDeliver);
    QVERIFY2(r.note.contains(QLatin1String("More than 5 entries")), qPrintable(r.note));
    // With room to count them all, in pages of at most the limit.
    const GroupActions::Resolved counted =
        resolve(position(Position::Id, at(12)), {}, nullptr, "s", std::nullopt, 19);
    QCOMPARE(counted.toDeliver.value_or(-1), 19);
    if (testserver::isAtLeast(7, 0))
        QCOMPARE(counted.entriesRead.value_or(-1), 32 - 19);
}

// ENTRIESREAD came with Redis 7.0: to an older server Weir sends none, and says why.
void TestGroupActions::entriesReadNeedsRedis70()
{
    ServerInfo old;
    old.identify({}, QStringLiteral("6.2.14"), QStringLiteral("6.2.14"));
    const GroupActions::Resolved r =
        resolve(position(Position::Time, {}, time(15, 500)), {}, nullptr, "s", old);
    QCOMPARE(r.position.toByteArray(), at(15));
    QVERIFY(!r.entriesRead);
    QVERIFY2(r.note.contains(QLatin1String("6.2.14")) && r.note.contains(QLatin1String("7.0")),
             qPrintable(r.note));
    QCOMPARE(GroupActions::createCommand("s", "g", r, false).argv,
             (QList<QByteArray>{"XGROUP", "CREATE", "s", "g", at(15)}));

    // Counting it needs the stream's entries-added, which only a 7.0 server reports.
    if (!testserver::isAtLeast(7, 0))
        return;
    ServerInfo seven;
    seven.identify({}, QStringLiteral("7.0.0"), QStringLiteral("7.0.0"));
    const GroupActions::Resolved now =
        resolve(position(Position::Time, {}, time(15, 500)), {}, nullptr, "s", seven);
    QCOMPARE(now.entriesRead.value_or(-1), 32 - 16);
}

void TestGroupActions::destroysAGroup()
{
    run({RedisCommand{{"XGROUP", "CREATE", "s", "g", "0"}},
         RedisCommand{{"XREADGROUP", "GROUP", "g", "c", "COUNT", "4", "STREAMS", "s", ">"}}});
    BulkRunner::Report report = apply(GroupActions::destroyCommand("s", "g"));
    QVERIFY2(report.error.isEmpty(), qPrintable(report.error));
    QCOMPARE(report.affected, 1);
    QVERIFY(!group("g"));
    QCOMPARE(one(RedisCommand{{"XLEN", "s"}}).toInteger(), 28); // the entries stay
    report = apply(GroupActions::destroyCommand("s", "g"));
    QCOMPARE(report.affected, 0); // gone already
}

void TestGroupActions::createsAndDeletesConsumers()
{
    run({RedisCommand{{"XGROUP", "CREATE", "s", "g", "0"}},
         RedisCommand{{"XREADGROUP", "GROUP", "g", "w1", "COUNT", "4", "STREAMS", "s", ">"}}});
    BulkRunner::Report report = apply(GroupActions::createConsumerCommand("s", "g", "w2"));
    QVERIFY2(report.error.isEmpty(), qPrintable(report.error));
    QCOMPARE(report.affected, 1);
    QCOMPARE(group("g")->consumers, 2);
    QCOMPARE(apply(GroupActions::createConsumerCommand("s", "g", "w2")).affected, 0);

    // What the confirmation shows: the consumer's pending entries, read just before.
    std::optional<ConsumerInfo> w1;
    QString error;
    bool read = false;
    QObject context;
    GroupActions::readConsumer(m_weir.get(), "s", "g", "w1", &context,
                               [&](const std::optional<ConsumerInfo> &info, const QString &e) {
        w1 = info;
        error = e;
        read = true;
    });
    QTRY_VERIFY(read);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QVERIFY(w1);
    QCOMPARE(w1->pending, 4);

    // Deleting it drops them from the group's pending list: orphans nobody can claim.
    report = apply(GroupActions::deleteConsumerCommand("s", "g", "w1"));
    QVERIFY2(report.error.isEmpty(), qPrintable(report.error));
    QCOMPARE(report.affected, 4);
    QCOMPARE(group("g")->pending, 0);
    QCOMPARE(group("g")->consumers, 1);
    QCOMPARE(one(RedisCommand{{"XCLAIM", "s", "g", "w2", "0", at(5), "JUSTID"}}).size(), 0);

    read = false;
    GroupActions::readConsumer(m_weir.get(), "s", "g", "w1", &context,
                               [&](const std::optional<ConsumerInfo> &info, const QString &e) {
        w1 = info;
        error = e;
        read = true;
    });
    QTRY_VERIFY(read);
    QVERIFY(error.isEmpty() && !w1);
}

void TestGroupActions::errorsReachTheUserVerbatim()
{
    run({RedisCommand{{"XGROUP", "CREATE", "s", "g", "0"}}, RedisCommand{{"SET", "text", "x"}}});
    const auto check = [](const QString &error, const char *code, bool hint) {
        QVERIFY2(error.startsWith(QLatin1String(code)), qPrintable(error));
        QCOMPARE(!errorHint(error).isEmpty(), hint);
    };
    GroupActions::Resolved r = resolve(position(Position::End));
    check(apply(GroupActions::createCommand("s", "g", r, false)).error, "BUSYGROUP", true);
    check(apply(GroupActions::setIdCommand("s", "nobody", r)).error, "NOGROUP", true);
    check(apply(GroupActions::createConsumerCommand("s", "nobody", "c")).error, "NOGROUP", true);
    QString error;
    resolve(position(Position::End), {}, &error, "text");
    check(error, "WRONGTYPE", true);
    resolve(position(Position::Back, {}, {}, 1), "nobody", &error);
    QVERIFY2(error.contains(QStringLiteral("no group named “nobody”")), qPrintable(error));
    // An id Redis does not take (bypassing the dialog's check): its syntax error verbatim.
    GroupActions::Resolved bad;
    bad.id = "12-x";
    check(apply(GroupActions::createCommand("s", "g3", bad, false)).error, "ERR Invalid stream ID",
          false);

    // An ACL user who may read but not write.
    run({RedisCommand{{"ACL", "SETUSER", "reader", "on", ">reader-secret", "~*", "+@read",
                       "+@connection", "-@write"}}});
    ConnectionOptions options = m_server->options();
    options.username = QStringLiteral("reader");
    options.password = QStringLiteral("reader-secret");
    RedisConnection reader(options);
    reader.open(false);
    QTRY_COMPARE(reader.state(), ConnectionState::Connected);
    r = resolve(position(Position::Id, at(12)));
    check(apply(GroupActions::createCommand("s", "g4", r, false), &reader).error, "NOPERM", true);
    QVERIFY(!group("g4"));

    // Out of memory: Redis refuses the write.
    run({RedisCommand{{"CONFIG", "SET", "maxmemory", "1"}}});
    check(apply(GroupActions::createCommand("s", "g5", r, false)).error, "OOM", true);
    run({RedisCommand{{"CONFIG", "SET", "maxmemory", "0"}}});
    QVERIFY(!group("g5"));
}

void TestGroupActions::readOnlyConnectionChangesNothing()
{
    ConnectionOptions options = m_server->options();
    options.readOnly = true;
    RedisConnection readOnly(options);
    readOnly.open(false);
    QTRY_COMPARE(readOnly.state(), ConnectionState::Connected);
    // Working out a position only reads: it works on a read-only connection.
    PositionResolver resolver;
    QSignalSpy finished(&resolver, &PositionResolver::finished);
    resolver.start(&readOnly, "s", {}, position(Position::Time, {}, time(15, 500)),
                   readOnly.serverInfo());
    QTRY_COMPARE(finished.size(), 1);
    QCOMPARE(finished.first().at(1).toString(), QString());
    const auto r = finished.first().at(0).value<GroupActions::Resolved>();
    QCOMPARE(r.position.toByteArray(), at(15));
    for (const RedisCommand &command :
         {GroupActions::createCommand("s", "g", r, true), GroupActions::destroyCommand("s", "g"),
          GroupActions::createConsumerCommand("s", "g", "c")}) {
        const BulkRunner::Report report = apply(command, &readOnly);
        QVERIFY2(report.error.contains(QLatin1String("read-only")), qPrintable(report.error));
        QVERIFY(report.done.isEmpty());
    }
    QVERIFY(!group("g"));
}

QTEST_GUILESS_MAIN(TestGroupActions)
#include "tst_groupactions.moc"
