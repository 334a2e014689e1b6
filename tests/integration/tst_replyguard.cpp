// ReplyGuard against a real redis-server: after reset() (or the guard's end) no reply of a
// request sent before it is delivered, even one that arrives later; what is sent after it
// is; a cursor walk counts as in flight until its last page; and the requests are really
// cancelled on their connections (the command log says so), each on its own connection.
#include "integrationsupport.h"
#include "replyguard.h"

#include <algorithm>
#include <memory>

class TestReplyGuard : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void resetDropsTheRepliesOnTheirWay();
    void onlyTheLatestAnswersWhenEachResets();
    void destroyingTheGuardDropsTheReplies();
    void aWalkIsInFlightUntilItsLastPage();
    void resetCancelsOnEachConnection();

private:
    // A reply that cannot come before ~300 ms: the connection waits on BLPOP first, so
    // anything a test sends after it is answered after it too.
    static RedisCommand slow() { return RedisCommand{{"BLPOP", "replyguard:never", "0.3"}}; }

    LocalRedisServer m_server;
    std::unique_ptr<RedisConnection> m_connection;
};

void TestReplyGuard::initTestCase()
{
    START_SERVER(m_server);
    m_connection = std::make_unique<RedisConnection>(integration::quickOptions(m_server));
    OPEN_CONNECTED(*m_connection);
}

void TestReplyGuard::cleanupTestCase()
{
    m_connection.reset();
}

void TestReplyGuard::resetDropsTheRepliesOnTheirWay()
{
    QSignalSpy logged(m_connection.get(), &RedisConnection::requestLogged);
    ReplyGuard guard;
    QVERIFY(!guard.isBusy());
    int stale = 0;
    guard.send(m_connection.get(), {slow()}, [&stale](const RedisResult &) { ++stale; });
    guard.send(m_connection.get(), {RedisCommand{{"PING"}}},
               [&stale](const RedisResult &) { ++stale; });
    QVERIFY(guard.isBusy());

    guard.reset();
    QVERIFY(!guard.isBusy());
    std::optional<RedisResult> fresh;
    guard.send(m_connection.get(), {RedisCommand{{"ECHO", "fresh"}}},
               [&fresh](const RedisResult &r) { fresh = r; });
    QVERIFY(guard.isBusy());
    QTRY_VERIFY_WITH_TIMEOUT(fresh.has_value(), 5000);
    QVERIFY(fresh->ok());
    QCOMPARE(fresh->replies.constFirst().bytes(), QByteArray("fresh"));
    QVERIFY(!guard.isBusy());
    // The BLPOP was answered before the ECHO sent after it: its reply came and was dropped.
    QCOMPARE(stale, 0);

    // Cancelled on the connection, not merely ignored: the log says so for both.
    int cancelled = 0;
    for (const QList<QVariant> &args : std::as_const(logged)) {
        const auto entry = args.at(0).value<CommandLogEntry>();
        if (entry.result == QLatin1String("(cancelled)"))
            ++cancelled;
    }
    QCOMPARE(cancelled, 2);
}

void TestReplyGuard::onlyTheLatestAnswersWhenEachResets()
{
    // What a model does when the user clicks through streams faster than Redis answers.
    ReplyGuard guard;
    QList<QByteArray> answered;
    for (const char *key : {"a", "b", "c", "d"}) {
        guard.reset();
        guard.send(m_connection.get(), {slow(), RedisCommand{{"ECHO", QByteArray(key)}}},
                   [&answered](const RedisResult &r) {
            answered.append(r.replies.value(1).bytes());
        });
    }
    QTRY_VERIFY_WITH_TIMEOUT(!guard.isBusy(), 5000);
    QCOMPARE(answered, QList<QByteArray>{"d"});
    // Nothing of the older ones turns up later either.
    QVERIFY(integration::exec(*m_connection, {RedisCommand{{"PING"}}}));
    QCOMPARE(answered, QList<QByteArray>{"d"});
}

void TestReplyGuard::destroyingTheGuardDropsTheReplies()
{
    int calls = 0;
    auto guard = std::make_unique<ReplyGuard>();
    guard->send(m_connection.get(), {slow()}, [&calls](const RedisResult &) { ++calls; });
    guard->send(m_connection.get(), {RedisCommand{{"PING"}}},
                [&calls](const RedisResult &) { ++calls; });
    guard.reset();
    // Answered after everything sent before it: the guard's replies had their turn.
    QVERIFY(integration::exec(*m_connection, {RedisCommand{{"PING"}}}));
    QCOMPARE(calls, 0);

    // Its owner's end is the usual way: a guard that is the child of an object.
    auto owner = std::make_unique<QObject>();
    auto *child = new ReplyGuard(owner.get());
    child->send(m_connection.get(), {slow()}, [&calls](const RedisResult &) { ++calls; });
    owner.reset();
    QVERIFY(integration::exec(*m_connection, {RedisCommand{{"PING"}}}));
    QCOMPARE(calls, 0);
}

void TestReplyGuard::aWalkIsInFlightUntilItsLastPage()
{
    QList<RedisCommand> fill;
    for (int i = 0; i < 300; ++i)
        fill.append(RedisCommand{{"SET", "replyguard:key:" + QByteArray::number(i), "x"}});
    QVERIFY(integration::exec(*m_connection, fill));

    ReplyGuard guard;
    int pages = 0;
    bool last = false;
    bool busyOnEveryPageButTheLast = true;
    guard.iterate(m_connection.get(),
                  RedisCommand{{"SCAN", "0", "MATCH", "replyguard:key:*", "COUNT", "20"}},
                  [&](const RedisResult &r) {
        QVERIFY(r.ok());
        ++pages;
        if (r.more)
            busyOnEveryPageButTheLast = busyOnEveryPageButTheLast && guard.isBusy();
        else
            last = true;
    });
    QTRY_VERIFY_WITH_TIMEOUT(last, 10000);
    QVERIFY2(pages > 1, "the walk should take several pages");
    QVERIFY(busyOnEveryPageButTheLast);
    QVERIFY(!guard.isBusy());

    // A walk reset halfway asks for no more pages and delivers none.
    pages = 0;
    guard.iterate(m_connection.get(),
                  RedisCommand{{"SCAN", "0", "MATCH", "replyguard:key:*", "COUNT", "20"}},
                  [&](const RedisResult &) {
        if (++pages == 2)
            guard.reset();
    });
    QTRY_COMPARE_WITH_TIMEOUT(pages, 2, 10000);
    QVERIFY(!guard.isBusy());
    QVERIFY(integration::exec(*m_connection, {RedisCommand{{"PING"}}}));
    QCOMPARE(pages, 2);
}

void TestReplyGuard::resetCancelsOnEachConnection()
{
    RedisConnection other(integration::quickOptions(m_server));
    OPEN_CONNECTED(other);
    QSignalSpy loggedHere(m_connection.get(), &RedisConnection::requestLogged);
    QSignalSpy loggedThere(&other, &RedisConnection::requestLogged);

    ReplyGuard guard;
    std::optional<RedisResult> answered;
    guard.send(&other, {RedisCommand{{"ECHO", "answered"}}},
               [&answered](const RedisResult &r) { answered = r; });
    QTRY_VERIFY_WITH_TIMEOUT(answered.has_value(), 5000);
    QVERIFY(!guard.isBusy());

    int calls = 0;
    guard.send(m_connection.get(), {slow()}, [&calls](const RedisResult &) { ++calls; });
    guard.send(&other, {slow()}, [&calls](const RedisResult &) { ++calls; });
    QVERIFY(guard.isBusy());
    guard.reset();
    QVERIFY(!guard.isBusy());
    QVERIFY(integration::exec(*m_connection, {RedisCommand{{"PING"}}}));
    QVERIFY(integration::exec(other, {RedisCommand{{"PING"}}}));
    QCOMPARE(calls, 0);
    for (QSignalSpy *logged : {&loggedHere, &loggedThere}) {
        QVERIFY(std::any_of(logged->cbegin(), logged->cend(), [](const QList<QVariant> &args) {
            return args.at(0).value<CommandLogEntry>().result == QLatin1String("(cancelled)");
        }));
    }
}

QTEST_GUILESS_MAIN(TestReplyGuard)
#include "tst_replyguard.moc"
