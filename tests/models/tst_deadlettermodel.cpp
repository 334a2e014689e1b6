// DeadLetterModel against a real redis-server holding a few thousand dead letters, under
// QAbstractItemModelTester: paging both ways, the reason and time filters, the reasons
// summary with its cap, absent fields, the row limit and errors.
#include "deadlettermodel.h"
#include "livemodeltest.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

namespace {
constexpr int Letters = 3000;
constexpr qint64 BaseMs = 1700000000000;

// The dead letters the fixture writes: one a second, ids from BaseMs on.
QByteArray reasonOf(int i)
{
    if (i < 5)
        return "ancient";
    if (i % 100 == 42)
        return "rare";
    return i % 2 ? "timeout" : "amount must be positive";
}
bool bare(int i)
{
    return i % 500 == 7;
} // written without any metadata
qint64 idMs(int i)
{
    return BaseMs + qint64(i) * 1000;
}
QByteArray idOf(int i)
{
    return QByteArray::number(idMs(i)) + "-0";
}
QDateTime failedAtOf(int i)
{
    return QDateTime::fromMSecsSinceEpoch(idMs(i) - 250, Qt::UTC);
}
} // namespace

class TestDeadLetterModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void pagesNewestFirst();
    void pagesOldestFirst();
    void readsAbsentFields();
    void filtersByReason();
    void reasonFilterReadsOnPastEmptyPages();
    void filtersByTime();
    void countsReasons();
    void countsReasonsUpToCap();
    void stopsAtRowLimit();
    void reportsErrorsVerbatim();
    void payloadSummary_data();
    void payloadSummary();

private:
    void loadAll(DeadLetterModel &model);

    LiveRedis m_redis;
};

void TestDeadLetterModel::initTestCase()
{
    m_redis.start();
    QList<RedisCommand> commands;
    for (int i = 0; i < Letters; ++i) {
        QList<QByteArray> argv{"XADD", "orders:dlq", idOf(i)};
        if (!bare(i)) {
            argv << "originalTopicName"
                 << "orders"
                 << "originalMessageId" << QByteArray::number(idMs(i) - 60000) + "-3"
                 << "consumerGroupId"
                 << "billing"
                 << "failureReason" << reasonOf(i) << "retryCount" << QByteArray::number(i % 7);
        }
        argv << "messageContent"
             << "{\"n\":" + QByteArray::number(i) + "}"
             << "headers"
             << "{}";
        if (!bare(i))
            argv << "failedAt" << failedAtOf(i).toString(Qt::ISODateWithMs).toUtf8();
        commands.append(RedisCommand{argv, "orders:dlq"});
    }
    commands.append(RedisCommand{{"SET", "not-a-stream", "x"}, "not-a-stream"});
    QCOMPARE(m_redis.run(commands).size(), commands.size());
}

void TestDeadLetterModel::cleanupTestCase()
{
    m_redis.stop();
}

void TestDeadLetterModel::loadAll(DeadLetterModel &model)
{
    // What a view does as the user scrolls to the bottom, again and again.
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
        if (model.canFetchMore())
            model.fetchMore();
        return model.allLoaded() && !model.isLoading();
        }(),
        20000);
}

void TestDeadLetterModel::pagesNewestFirst()
{
    DeadLetterModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setPageSize(500);
    QSignalSpy loaded(&model, &DeadLetterModel::loaded);
    model.setStream(m_redis.connection(), "orders:dlq", DeadLetterConventions::defaults());
    QTRY_VERIFY(!loaded.isEmpty());
    QCOMPARE(model.rowCount() % 500, 0); // whole pages (the tester fetches more too)
    QVERIFY(model.rowCount() > 0);
    const int i = Letters - 1;
    auto cell = [&](int row, int column) { return model.index(row, column).data().toString(); };
    QCOMPARE(cell(0, DeadLetterModel::Id), QString::fromLatin1(idOf(i)));
    QCOMPARE(cell(0, DeadLetterModel::FailedAt),
             failedAtOf(i).toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")));
    QCOMPARE(cell(0, DeadLetterModel::OriginalStream), QStringLiteral("orders"));
    QCOMPARE(cell(0, DeadLetterModel::OriginalId),
             QString::number(idMs(i) - 60000) + QStringLiteral("-3"));
    QCOMPARE(cell(0, DeadLetterModel::Group), QStringLiteral("billing"));
    QCOMPARE(cell(0, DeadLetterModel::Reason), QString::fromUtf8(reasonOf(i)));
    QCOMPARE(cell(0, DeadLetterModel::Retries), QString::number(i % 7));
    QCOMPARE(cell(0, DeadLetterModel::Payload),
             QStringLiteral("messageContent={\"n\": %1}  headers={}").arg(i));
    QCOMPARE(model.deadLetterAt(0).failedAt, failedAtOf(i));

    loadAll(model);
    QCOMPARE(model.rowCount(), Letters);
    QVERIFY(!model.canFetchMore());
    for (int row = 0; row < model.rowCount(); ++row)
        QCOMPARE(model.deadLetterAt(row).id.toByteArray(), idOf(Letters - 1 - row));
}

void TestDeadLetterModel::pagesOldestFirst()
{
    DeadLetterModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setPageSize(700);
    model.setStream(m_redis.connection(), "orders:dlq", DeadLetterConventions::defaults());
    model.setNewestFirst(false);
    loadAll(model);
    QCOMPARE(model.rowCount(), Letters);
    for (int row = 0; row < model.rowCount(); ++row)
        QCOMPARE(model.deadLetterAt(row).id.toByteArray(), idOf(row));
    QCOMPARE(model.entriesRead(), qint64(Letters));
}

void TestDeadLetterModel::readsAbsentFields()
{
    DeadLetterModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setNewestFirst(false);
    model.setStream(m_redis.connection(), "orders:dlq", DeadLetterConventions::defaults());
    QTRY_VERIFY(model.rowCount() > 7);
    QVERIFY(bare(7));
    const QModelIndex at = model.index(7, DeadLetterModel::FailedAt);
    // No failed-at field: the id's time, in italics, with a tooltip saying so.
    QCOMPARE(at.data().toString(), QDateTime::fromMSecsSinceEpoch(idMs(7), Qt::UTC)
                                       .toLocalTime()
                                       .toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")));
    QVERIFY(at.data(Qt::FontRole).value<QFont>().italic());
    QVERIFY(at.data(Qt::ToolTipRole).toString().contains(QStringLiteral("failedAt")));
    QCOMPARE(model.index(7, DeadLetterModel::Reason).data().toString(), QString());
    QCOMPARE(model.index(7, DeadLetterModel::Retries).data().toString(), QString());
    QCOMPARE(model.index(7, DeadLetterModel::OriginalStream).data().toString(), QString());
    QVERIFY(!model.index(6, DeadLetterModel::FailedAt).data(Qt::FontRole).value<QFont>().italic());

    // Other conventions: the fields read as payload, nothing as metadata.
    DeadLetterConventions other = DeadLetterConventions::defaults();
    other.reasonField = "why";
    other.failedAtField.clear();
    model.setConventions(other);
    QTRY_VERIFY(model.rowCount() > 7);
    QVERIFY(model.deadLetterAt(6).reason.isEmpty());
    QVERIFY(!model.deadLetterAt(6).failedAt.isValid());
    QVERIFY(model.index(6, DeadLetterModel::Payload)
                .data()
                .toString()
                .contains(QStringLiteral("failureReason=")));
}

void TestDeadLetterModel::filtersByReason()
{
    DeadLetterModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setPageSize(400);
    model.setStream(m_redis.connection(), "orders:dlq", DeadLetterConventions::defaults());
    model.setReasonFilter(QByteArray("rare"));
    loadAll(model);
    QList<QByteArray> expected;
    for (int i = Letters - 1; i >= 0; --i) {
        if (!bare(i) && reasonOf(i) == "rare")
            expected.append(idOf(i));
    }
    QVERIFY(expected.size() > 10);
    QCOMPARE(model.rowCount(), int(expected.size()));
    for (int row = 0; row < model.rowCount(); ++row) {
        QCOMPARE(model.deadLetterAt(row).id.toByteArray(), expected.at(row));
        QCOMPARE(model.index(row, DeadLetterModel::Reason).data().toString(),
                 QStringLiteral("rare"));
    }
    QCOMPARE(model.entriesRead(), qint64(Letters));

    // An empty reason: the dead letters that record none.
    model.setReasonFilter(QByteArray());
    loadAll(model);
    int bareCount = 0;
    for (int i = 0; i < Letters; ++i)
        bareCount += bare(i) ? 1 : 0;
    QCOMPARE(model.rowCount(), bareCount);

    model.setReasonFilter(std::nullopt);
    loadAll(model);
    QCOMPARE(model.rowCount(), Letters);
}

void TestDeadLetterModel::reasonFilterReadsOnPastEmptyPages()
{
    // "ancient" is in the five oldest dead letters only: newest first, the pages before
    // them hold no match, and the first fetch reads on until it finds them. (No tester
    // here: it would fetch more itself.)
    DeadLetterModel model;
    model.setPageSize(300);
    model.setReasonFilter(QByteArray("ancient"));
    QSignalSpy loaded(&model, &DeadLetterModel::loaded);
    model.setStream(m_redis.connection(), "orders:dlq", DeadLetterConventions::defaults());
    QTRY_COMPARE_WITH_TIMEOUT(loaded.size(), 1, 20000);
    QCOMPARE(model.rowCount(), 5);
    QCOMPARE(model.entriesRead(), qint64(Letters));
    loadAll(model);
    QCOMPARE(model.rowCount(), 5);
    QCOMPARE(model.deadLetterAt(0).id.toByteArray(), idOf(4));
    QCOMPARE(model.deadLetterAt(4).id.toByteArray(), idOf(0));
}

void TestDeadLetterModel::filtersByTime()
{
    DeadLetterModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setPageSize(256);
    model.setStream(m_redis.connection(), "orders:dlq", DeadLetterConventions::defaults());
    const QDateTime from = QDateTime::fromMSecsSinceEpoch(idMs(1000), Qt::UTC);
    const QDateTime to = QDateTime::fromMSecsSinceEpoch(idMs(1999), Qt::UTC);
    model.setTimeRange(from, to);
    QCOMPARE(model.rangeStart(), QByteArray::number(idMs(1000)) + "-0");
    QCOMPARE(model.rangeEnd(), QByteArray::number(idMs(1999)) + "-18446744073709551615");
    loadAll(model);
    QCOMPARE(model.rowCount(), 1000);
    QCOMPARE(model.deadLetterAt(0).id.toByteArray(), idOf(1999));
    QCOMPARE(model.deadLetterAt(999).id.toByteArray(), idOf(1000));

    // With a reason too.
    model.setReasonFilter(QByteArray("rare"));
    loadAll(model);
    QCOMPARE(model.rowCount(), 10); // 1042, 1142, ..., 1942
    QCOMPARE(model.deadLetterAt(0).id.toByteArray(), idOf(1942));

    // Open at one end.
    model.setReasonFilter(std::nullopt);
    model.setTimeRange(QDateTime(), QDateTime::fromMSecsSinceEpoch(idMs(9) + 999, Qt::UTC));
    QCOMPARE(model.rangeStart(), QByteArray("-"));
    loadAll(model);
    QCOMPARE(model.rowCount(), 10);
    model.setTimeRange(QDateTime::fromMSecsSinceEpoch(idMs(Letters - 3) - 1, Qt::UTC), {});
    QCOMPARE(model.rangeEnd(), QByteArray("+"));
    loadAll(model);
    QCOMPARE(model.rowCount(), 3);
    // A range before every dead letter.
    model.setTimeRange(QDateTime::fromMSecsSinceEpoch(1000, Qt::UTC),
                       QDateTime::fromMSecsSinceEpoch(2000, Qt::UTC));
    loadAll(model);
    QCOMPARE(model.rowCount(), 0);
}

void TestDeadLetterModel::countsReasons()
{
    DeadLetterModel model;
    model.setStream(m_redis.connection(), "orders:dlq", DeadLetterConventions::defaults());
    QSignalSpy changed(&model, &DeadLetterModel::reasonsChanged);
    model.countReasons();
    QVERIFY(model.isCountingReasons());
    QTRY_VERIFY_WITH_TIMEOUT(!model.isCountingReasons(), 20000);
    QVERIFY(changed.size() >= 3); // started, one per page of 1,000, finished
    QHash<QByteArray, qint64> expected;
    for (int i = 0; i < Letters; ++i)
        ++expected[bare(i) ? QByteArray() : reasonOf(i)];
    const QList<DeadLetterModel::ReasonCount> reasons = model.reasons();
    QCOMPARE(reasons.size(), expected.size());
    for (const auto &r : reasons)
        QCOMPARE(r.count, expected.value(r.reason));
    for (qsizetype i = 1; i < reasons.size(); ++i)
        QVERIFY(reasons.at(i - 1).count >= reasons.at(i).count);
    QCOMPARE(model.reasonsCounted(), qint64(Letters));
    QVERIFY(!model.reasonsCapped());

    // Over a time range only; changing the range drops the summary.
    model.setTimeRange(QDateTime::fromMSecsSinceEpoch(idMs(0), Qt::UTC),
                       QDateTime::fromMSecsSinceEpoch(idMs(99), Qt::UTC));
    QVERIFY(model.reasons().isEmpty());
    model.countReasons();
    QTRY_VERIFY(!model.isCountingReasons());
    QCOMPARE(model.reasonsCounted(), 100);
    qint64 ancient = 0;
    for (const auto &r : model.reasons())
        ancient += r.reason == "ancient" ? r.count : 0;
    QCOMPARE(ancient, 5);
}

void TestDeadLetterModel::countsReasonsUpToCap()
{
    DeadLetterModel model;
    model.setStream(m_redis.connection(), "orders:dlq", DeadLetterConventions::defaults());
    model.countReasons(1500);
    QTRY_VERIFY_WITH_TIMEOUT(!model.isCountingReasons(), 20000);
    QCOMPARE(model.reasonsCounted(), 1500);
    QVERIFY(model.reasonsCapped());
    qint64 sum = 0;
    for (const auto &r : model.reasons())
        sum += r.count;
    QCOMPARE(sum, 1500);

    // A cap the stream does not reach is no cap.
    model.countReasons(Letters);
    QTRY_VERIFY_WITH_TIMEOUT(!model.isCountingReasons(), 20000);
    QCOMPARE(model.reasonsCounted(), qint64(Letters));
    QVERIFY(!model.reasonsCapped());
}

void TestDeadLetterModel::stopsAtRowLimit()
{
    DeadLetterModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setPageSize(500);
    model.setRowLimit(1200);
    model.setStream(m_redis.connection(), "orders:dlq", DeadLetterConventions::defaults());
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
        if (model.canFetchMore())
            model.fetchMore();
        return model.limitReached() && !model.isLoading();
        }(),
        20000);
    QCOMPARE(model.rowCount(), 1200);
    QVERIFY(!model.canFetchMore());
    QVERIFY(!model.allLoaded());
    QCOMPARE(model.deadLetterAt(1199).id.toByteArray(), idOf(Letters - 1200));
}

void TestDeadLetterModel::reportsErrorsVerbatim()
{
    DeadLetterModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy errors(&model, &DeadLetterModel::errorOccurred);
    model.setStream(m_redis.connection(), "not-a-stream", DeadLetterConventions::defaults());
    QTRY_COMPARE(errors.size(), 1);
    QVERIFY2(errors.first().first().toString().startsWith(QStringLiteral("WRONGTYPE")),
             qPrintable(errors.first().first().toString()));
    QCOMPARE(model.rowCount(), 0);
    QVERIFY(!model.canFetchMore());
    model.countReasons();
    QTRY_COMPARE(errors.size(), 2);
    QVERIFY(!model.isCountingReasons());
}

void TestDeadLetterModel::payloadSummary_data()
{
    using Fields = QList<QPair<QByteArray, QByteArray>>;
    QTest::addColumn<Fields>("payload");
    QTest::addColumn<QString>("expected");
    QTest::newRow("one JSON value")
        << Fields{{"data", "{\"a\":1,\"b\":[1,2]}"}} << QStringLiteral("{\"a\": 1, \"b\": [1, 2]}");
    QTest::newRow("text with a newline")
        << Fields{{"data", "two\nlines"}} << QStringLiteral("two lines");
    QTest::newRow("several fields") << Fields{{"k", "v"}, {"n", "1"}} << QStringLiteral("k=v  n=1");
    QTest::newRow("binary") << Fields{{"blob", QByteArray("\x00\x01\x02\xff", 4)}}
                            << QStringLiteral("binary, 4 bytes");
    QTest::newRow("nothing") << Fields{} << QString();
    QTest::newRow("long") << Fields{{"data", QByteArray(500, 'x')}}
                          << QString(200, QLatin1Char('x')) + QChar(0x2026);
}

void TestDeadLetterModel::payloadSummary()
{
    using Fields = QList<QPair<QByteArray, QByteArray>>;
    QFETCH(Fields, payload);
    QFETCH(QString, expected);
    QCOMPARE(DeadLetterModel::payloadSummary(payload), expected);
}

QTEST_GUILESS_MAIN(TestDeadLetterModel)
#include "tst_deadlettermodel.moc"
