// StreamSortProxy over a StreamListModel fed by a real redis-server, under
// QAbstractItemModelTester.
#include "livemodeltest.h"
#include "streamlistmodel.h"
#include "streamsortproxy.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

#include <algorithm>

class TestStreamSortProxy : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void namesSortCaseInsensitivelyOnceScanned();
    void manyNamesInBatchesAndAfterARescan();
    void sortsByLengthWhenDetailsArrive();
    void filterIsImmediate();
    void switchingSourceModels();

private:
    void scan(StreamListModel &model);
    QStringList names(const QAbstractItemModel &m) const;

    LiveRedis m_redis;
};

void TestStreamSortProxy::init()
{
    m_redis.start();
}

void TestStreamSortProxy::cleanup()
{
    m_redis.stop();
}

void TestStreamSortProxy::scan(StreamListModel &model)
{
    QSignalSpy finished(&model, &StreamListModel::scanFinished);
    model.refresh();
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 20000);
}

QStringList TestStreamSortProxy::names(const QAbstractItemModel &m) const
{
    QStringList out;
    for (int row = 0; row < m.rowCount(); ++row)
        out.append(m.index(row, StreamListModel::Name).data().toString());
    return out;
}

void TestStreamSortProxy::namesSortCaseInsensitivelyOnceScanned()
{
    QList<RedisCommand> commands;
    for (const char *name : {"beta", "Alpha", "gamma", "alpha", "Delta"})
        commands.append(RedisCommand{{"XADD", name, "*", "k", "v"}, name});
    for (int i = 0; i < 3000; ++i) // enough keys for several SCAN pages
        commands.append(RedisCommand{{"SET", "pad:" + QByteArray::number(i), "x"}});
    m_redis.run(commands);

    StreamListModel model;
    StreamSortProxy proxy;
    QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setConnection(m_redis.connection());
    proxy.setSourceModel(&model);
    proxy.sort(StreamListModel::Name);
    scan(model);
    proxy.resortNow(); // what the overview does when a scan ends
    QCOMPARE(names(proxy),
             (QStringList{QStringLiteral("Alpha"), QStringLiteral("alpha"), QStringLiteral("beta"),
                          QStringLiteral("Delta"), QStringLiteral("gamma")}));
    proxy.sort(StreamListModel::Name, Qt::DescendingOrder);
    QCOMPARE(names(proxy).first(), QStringLiteral("gamma"));
}

// Names are ranked batch by batch as the scan's rows arrive: thousands of them, over
// several batches, and again after a rescan that lists fewer and other streams.
void TestStreamSortProxy::manyNamesInBatchesAndAfterARescan()
{
    const auto nameOf = [](int i) {
        QByteArray name = "Queue:" + QByteArray::number((i * 7919) % 10007);
        if (i % 3 == 0)
            name = name.toLower();
        return name + (i % 2 ? ":EVENTS" : ":events");
    };
    QList<RedisCommand> commands;
    for (int i = 0; i < 2500; ++i)
        commands.append(RedisCommand{{"XADD", nameOf(i), "*", "k", "v"}, nameOf(i)});
    m_redis.run(commands);
    const auto expected = [](QList<QByteArray> keys) {
        std::sort(keys.begin(), keys.end(), [](const QByteArray &a, const QByteArray &b) {
            const int c = a.compare(b, Qt::CaseInsensitive);
            return c != 0 ? c < 0 : a < b;
        });
        QStringList out;
        for (const QByteArray &k : keys)
            out.append(QString::fromUtf8(k));
        return out;
    };

    StreamListModel model;
    model.setConnection(m_redis.connection());
    StreamSortProxy proxy;
    QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
    proxy.setSourceModel(&model);
    proxy.sort(StreamListModel::Name);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    scan(model);
    proxy.resortNow();
    QVERIFY2(inserted.size() >= 2, "the rows should arrive in more than one batch");
    QList<QByteArray> keys;
    for (int i = 0; i < 2500; ++i)
        keys.append(nameOf(i));
    QCOMPARE(names(proxy), expected(keys));

    commands.clear();
    for (int i = 0; i < 2500; i += 2)
        commands.append(RedisCommand{{"DEL", nameOf(i)}, nameOf(i)});
    for (int i = 2500; i < 2600; ++i)
        commands.append(RedisCommand{{"XADD", nameOf(i), "*", "k", "v"}, nameOf(i)});
    m_redis.run(commands);
    scan(model);
    proxy.resortNow();
    keys.clear();
    for (int i = 1; i < 2600; ++i) {
        if (i >= 2500 || i % 2 == 1)
            keys.append(nameOf(i));
    }
    QCOMPARE(names(proxy), expected(keys));
}

void TestStreamSortProxy::sortsByLengthWhenDetailsArrive()
{
    m_redis.run({RedisCommand{{"XADD", "three", "*", "k", "1"}},
                 RedisCommand{{"XADD", "three", "*", "k", "2"}},
                 RedisCommand{{"XADD", "three", "*", "k", "3"}},
                 RedisCommand{{"XADD", "one", "*", "k", "1"}},
                 RedisCommand{{"XADD", "two", "*", "k", "1"}},
                 RedisCommand{{"XADD", "two", "*", "k", "2"}}});
    StreamListModel model;
    StreamSortProxy proxy;
    QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setConnection(m_redis.connection());
    proxy.setSourceModel(&model);
    scan(model);
    // Sorting by a detail column asks for the details of every row, and the table
    // re-sorts itself (in bulk) when they have arrived. Both orders are checked, so
    // that the order SCAN happened to return cannot pass for a sorted one.
    proxy.sort(StreamListModel::Length, Qt::AscendingOrder);
    const auto lengths = [&proxy] {
        QStringList out;
        for (int row = 0; row < proxy.rowCount(); ++row)
            out.append(proxy.index(row, StreamListModel::Length).data().toString());
        return out;
    };
    QTRY_COMPARE(lengths(),
                 (QStringList{QStringLiteral("1"), QStringLiteral("2"), QStringLiteral("3")}));
    QCOMPARE(names(proxy),
             (QStringList{QStringLiteral("one"), QStringLiteral("two"), QStringLiteral("three")}));
    proxy.sort(StreamListModel::Length, Qt::DescendingOrder);
    QCOMPARE(names(proxy),
             (QStringList{QStringLiteral("three"), QStringLiteral("two"), QStringLiteral("one")}));
}

void TestStreamSortProxy::filterIsImmediate()
{
    m_redis.run({RedisCommand{{"XADD", "orders", "*", "k", "v"}},
                 RedisCommand{{"XADD", "Orders:dlq", "*", "k", "v"}},
                 RedisCommand{{"XADD", "tasks", "*", "k", "v"}}});
    StreamListModel model;
    StreamSortProxy proxy;
    QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setConnection(m_redis.connection());
    proxy.setSourceModel(&model);
    proxy.sort(StreamListModel::Name);
    scan(model);
    proxy.setFilterFixedString(QStringLiteral("ORDERS"));
    QCOMPARE(proxy.rowCount(), 2);
    proxy.setFilterFixedString(QString());
    QCOMPARE(proxy.rowCount(), 3);
}

void TestStreamSortProxy::switchingSourceModels()
{
    m_redis.run({RedisCommand{{"XADD", "b", "*", "k", "v"}},
                 RedisCommand{{"XADD", "a", "*", "k", "v"}},
                 RedisCommand{{"XADD", "c", "*", "k", "v"}}});
    StreamListModel first;
    StreamListModel second;
    first.setConnection(m_redis.connection());
    second.setConnection(m_redis.connection());
    scan(first);
    scan(second);
    StreamSortProxy proxy;
    QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
    proxy.sort(StreamListModel::Name);
    for (int i = 0; i < 4; ++i) {
        proxy.setSourceModel(i % 2 ? &second : &first);
        QCOMPARE(names(proxy),
                 (QStringList{QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c")}));
    }
    proxy.setSourceModel(nullptr);
    QCOMPARE(proxy.rowCount(), 0);
}

QTEST_GUILESS_MAIN(TestStreamSortProxy)
#include "tst_streamsortproxy.moc"
