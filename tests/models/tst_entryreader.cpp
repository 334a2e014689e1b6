// EntryReader against a real redis-server: a range read in pages (bounds included, the
// filter, the cap, the top id), ids read a few hundred to a request with the missing ones
// told apart, a new read or cancel() dropping the one under way, errors verbatim.
#include "entryreader.h"
#include "livemodeltest.h"

#include <QSignalSpy>
#include <QTest>

class TestEntryReader : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void init();
    void rangeReadsEveryPageWithinItsBounds();
    void filterKeepsWhatItAccepts();
    void capCutsTheReadShort_data();
    void capCutsTheReadShort();
    void topIdEndsTheRead();
    void idsComeInTheirOrderWithTheMissingApart();
    void newReadDropsTheOneUnderWay();
    void cancelSendsNoFinished();
    void errorsAreVerbatim();

private:
    QList<RedisValue> run(const QList<RedisCommand> &commands) { return m_redis.run(commands); }
    // Entries 1-0 .. n-0, each with a field "n" holding its number.
    void fill(const QByteArray &key, int n);
    static QList<QByteArray> ids(const QList<StreamEntry> &entries);

    LiveRedis m_redis;
};

void TestEntryReader::initTestCase()
{
    m_redis.start();
}

void TestEntryReader::cleanupTestCase()
{
    m_redis.stop();
}

void TestEntryReader::init()
{
    run({RedisCommand{{"FLUSHALL"}}});
}

void TestEntryReader::fill(const QByteArray &key, int n)
{
    QList<RedisCommand> adds;
    for (int i = 1; i <= n; ++i)
        adds.append(
            RedisCommand{{"XADD", key, QByteArray::number(i) + "-0", "n", QByteArray::number(i)}});
    run(adds);
}

QList<QByteArray> TestEntryReader::ids(const QList<StreamEntry> &entries)
{
    QList<QByteArray> out;
    for (const StreamEntry &e : entries)
        out.append(e.id.toByteArray());
    return out;
}

void TestEntryReader::rangeReadsEveryPageWithinItsBounds()
{
    fill("s", 25);
    EntryReader reader;
    reader.setPageSize(4);
    QSignalSpy progress(&reader, &EntryReader::progress);
    QSignalSpy finished(&reader, &EntryReader::finished);
    reader.readRange(m_redis.connection(), "s", StreamId{3, 0}, StreamId{22, 0});
    QVERIFY(reader.isRunning());
    QVERIFY(!reader.isDone());
    QTRY_COMPARE(finished.size(), 1);
    QVERIFY(reader.isDone());
    QVERIFY(!reader.isRunning());
    QCOMPARE(reader.entries().size(), 20); // 3-0 to 22-0, both ends included
    QCOMPARE(reader.entries().constFirst().id, (StreamId{3, 0}));
    QCOMPARE(reader.entries().constLast().id, (StreamId{22, 0}));
    QCOMPARE(reader.entries().at(5).fields, (QList<QPair<QByteArray, QByteArray>>{{"n", "8"}}));
    QCOMPARE(reader.scanned(), 20);
    QVERIFY(!reader.isCapped());
    QVERIFY(reader.error().isEmpty());
    // Five full pages: the last one reaches the end of the range, so no sixth is asked for.
    QCOMPARE(progress.size(), 4);
    QCOMPARE(progress.last().at(0).toLongLong(), 16);
    QCOMPARE(progress.last().at(1).toLongLong(), 16);
}

void TestEntryReader::filterKeepsWhatItAccepts()
{
    fill("s", 25);
    EntryReader reader;
    reader.setPageSize(10);
    QSignalSpy progress(&reader, &EntryReader::progress);
    QSignalSpy finished(&reader, &EntryReader::finished);
    reader.readRange(m_redis.connection(), "s", StreamId{}, StreamId::max(),
                     [](const StreamEntry &e) { return e.fields.value(0).second.endsWith('5'); });
    QTRY_COMPARE(finished.size(), 1);
    QCOMPARE(ids(reader.entries()), (QList<QByteArray>{"5-0", "15-0", "25-0"}));
    QCOMPARE(reader.scanned(), 25);
    QCOMPARE(progress.size(), 2);
    QCOMPARE(progress.at(1).at(0).toLongLong(), 20);
    QCOMPARE(progress.at(1).at(1).toLongLong(), 2);
}

void TestEntryReader::capCutsTheReadShort_data()
{
    QTest::addColumn<int>("entries");
    QTest::addColumn<int>("pageSize");
    QTest::addColumn<int>("cap");
    QTest::addColumn<int>("read");
    QTest::addColumn<bool>("capped");
    QTest::newRow("more than the cap, in pages") << 25 << 4 << 10 << 10 << true;
    QTest::newRow("more than the cap, in the last page") << 25 << 100 << 10 << 10 << true;
    QTest::newRow("exactly the cap, one short page") << 10 << 20 << 10 << 10 << false;
    QTest::newRow("fewer than the cap") << 7 << 3 << 10 << 7 << false;
}

void TestEntryReader::capCutsTheReadShort()
{
    QFETCH(int, entries);
    QFETCH(int, pageSize);
    QFETCH(int, cap);
    QFETCH(int, read);
    QFETCH(bool, capped);
    fill("s", entries);
    EntryReader reader;
    reader.setPageSize(pageSize);
    QSignalSpy finished(&reader, &EntryReader::finished);
    reader.readRange(m_redis.connection(), "s", StreamId{}, StreamId::max(), {}, cap);
    QTRY_COMPARE(finished.size(), 1);
    QCOMPARE(reader.entries().size(), read);
    QCOMPARE(reader.entries().constFirst().id, (StreamId{1, 0}));
    QCOMPARE(reader.isCapped(), capped);
    QVERIFY(reader.isDone());
}

// Nothing follows the top id: a read that reaches it ends there instead of starting over.
void TestEntryReader::topIdEndsTheRead()
{
    const QByteArray top = StreamId::max().toByteArray();
    run({RedisCommand{{"XADD", "s", "1-1", "a", "1"}}, RedisCommand{{"XADD", "s", top, "b", "2"}}});
    EntryReader reader;
    reader.setPageSize(1);
    QSignalSpy finished(&reader, &EntryReader::finished);
    reader.readRange(m_redis.connection(), "s", StreamId{}, StreamId::max());
    QTRY_COMPARE(finished.size(), 1);
    QCOMPARE(ids(reader.entries()), (QList<QByteArray>{"1-1", top}));
    QVERIFY(reader.isDone());
    run({RedisCommand{{"PING"}}}); // replies come in order: nothing more is on its way
    QCOMPARE(finished.size(), 1);
}

void TestEntryReader::idsComeInTheirOrderWithTheMissingApart()
{
    fill("s", 700);
    QList<QByteArray> wanted;
    for (int i = 700; i >= 1; i -= 1)
        wanted.append(QByteArray::number(i) + "-0");
    wanted.insert(3, "9999-0"); // never there
    run({RedisCommand{{"XDEL", "s", "650-0", "2-0"}}});
    EntryReader reader;
    QSignalSpy progress(&reader, &EntryReader::progress);
    QSignalSpy finished(&reader, &EntryReader::finished);
    reader.readIds(m_redis.connection(), "s", wanted);
    QTRY_COMPARE(finished.size(), 1);
    QVERIFY(reader.isDone());
    QCOMPARE(reader.missing(), (QList<QByteArray>{"9999-0", "650-0", "2-0"}));
    QCOMPARE(reader.entries().size(), 698);
    QCOMPARE(reader.entries().constFirst().id, (StreamId{700, 0}));
    QCOMPARE(reader.entries().constLast().id, (StreamId{1, 0}));
    QCOMPARE(progress.size(), 0); // id reads tell no progress

    // No ids: finished at once.
    reader.readIds(m_redis.connection(), "s", {});
    QCOMPARE(finished.size(), 2);
    QVERIFY(reader.entries().isEmpty());
    QVERIFY(reader.missing().isEmpty());
}

void TestEntryReader::newReadDropsTheOneUnderWay()
{
    fill("s", 300);
    EntryReader reader;
    reader.setPageSize(10);
    QSignalSpy finished(&reader, &EntryReader::finished);
    QSignalSpy progress(&reader, &EntryReader::progress);
    reader.readRange(m_redis.connection(), "s", StreamId{}, StreamId::max());
    // Right after its first page, with the next one asked for: under way. (Polling for
    // that instead let a fast server finish all 30 pages first, and the old read's
    // finished() passed for the new one's.)
    QVERIFY(progress.wait());
    QVERIFY(finished.isEmpty());
    reader.readIds(m_redis.connection(), "s", {"5-0", "6-0"});
    QTRY_COMPARE(finished.size(), 1);
    QCOMPARE(ids(reader.entries()), (QList<QByteArray>{"5-0", "6-0"}));
    run({RedisCommand{{"PING"}}}); // replies come in order: no page of the range read is left
    QCOMPARE(finished.size(), 1);
    QCOMPARE(reader.entries().size(), 2);
}

void TestEntryReader::cancelSendsNoFinished()
{
    fill("s", 300);
    EntryReader reader;
    reader.setPageSize(10);
    QSignalSpy finished(&reader, &EntryReader::finished);
    reader.readRange(m_redis.connection(), "s", StreamId{}, StreamId::max());
    reader.cancel();
    QVERIFY(!reader.isRunning());
    QVERIFY(!reader.isDone());
    run({RedisCommand{{"PING"}}}); // replies come in order: the first page's has come
    QCOMPARE(finished.size(), 0);
    QCOMPARE(reader.scanned(), 0);
}

void TestEntryReader::errorsAreVerbatim()
{
    run({RedisCommand{{"SET", "plain", "x"}}});
    const QString wrongType =
        QStringLiteral("WRONGTYPE Operation against a key holding the wrong kind of value");
    EntryReader reader;
    QSignalSpy finished(&reader, &EntryReader::finished);
    reader.readRange(m_redis.connection(), "plain", StreamId{}, StreamId::max());
    QTRY_COMPARE(finished.size(), 1);
    QCOMPARE(reader.error(), wrongType);
    QVERIFY(!reader.isDone());
    reader.readIds(m_redis.connection(), "plain", {"1-0"});
    QTRY_COMPARE(finished.size(), 2);
    QCOMPARE(reader.error(), wrongType);
}

QTEST_GUILESS_MAIN(TestEntryReader)
#include "tst_entryreader.moc"
