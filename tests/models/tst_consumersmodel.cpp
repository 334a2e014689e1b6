// ConsumersModel against a real redis-server, under QAbstractItemModelTester.
#include "consumersmodel.h"
#include "livemodeltest.h"

#include <QAbstractItemModelTester>
#include <QItemSelectionModel>
#include <QSignalSpy>
#include <QTest>

class TestConsumersModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void consumersWithPendingEntriesAndIdleTimes();
    void refreshKeepsRowsAndSelection();
    void missingGroup();

private:
    void prepare(); // stream s (10 entries), group g: c1 has 3 pending, c2 5, c3 none
    void run(const QList<QByteArray> &argv) { m_redis.run({RedisCommand{argv, "s"}}); }
    void open(ConsumersModel &model, const QByteArray &group);
    void refresh(ConsumersModel &model);
    static QVariant cell(const ConsumersModel &model, const QByteArray &consumer, int column,
                         int role = Qt::DisplayRole);

    LiveRedis m_redis;
};

void TestConsumersModel::init()
{
    m_redis.start();
}

void TestConsumersModel::cleanup()
{
    m_redis.stop();
}

void TestConsumersModel::prepare()
{
    QList<RedisCommand> adds;
    for (int i = 1; i <= 10; ++i)
        adds.append(RedisCommand{{"XADD", "s", QByteArray::number(i) + "-0", "n", "x"}, "s"});
    m_redis.run(adds);
    run({"XGROUP", "CREATE", "s", "g", "0"});
    run({"XREADGROUP", "GROUP", "g", "c1", "COUNT", "3", "STREAMS", "s", ">"});
    run({"XREADGROUP", "GROUP", "g", "c2", "COUNT", "5", "STREAMS", "s", ">"});
    run({"XGROUP", "CREATECONSUMER", "s", "g", "c3"});
}

void TestConsumersModel::open(ConsumersModel &model, const QByteArray &group)
{
    QSignalSpy loaded(&model, &ConsumersModel::loaded);
    model.setGroup(m_redis.connection(), "s", group);
    QTRY_COMPARE(loaded.size(), 1);
}

void TestConsumersModel::refresh(ConsumersModel &model)
{
    QSignalSpy loaded(&model, &ConsumersModel::loaded);
    model.refresh();
    QTRY_COMPARE(loaded.size(), 1);
}

QVariant TestConsumersModel::cell(const ConsumersModel &model, const QByteArray &consumer,
                                  int column, int role)
{
    const int row = model.rowOf(consumer);
    return row < 0 ? QVariant() : model.index(row, column).data(role);
}

void TestConsumersModel::consumersWithPendingEntriesAndIdleTimes()
{
    prepare();
    ConsumersModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    open(model, "g");
    QCOMPARE(model.rowCount(), 3);
    QCOMPARE(cell(model, "c1", ConsumersModel::Pending).toLongLong(), 3);
    QCOMPARE(cell(model, "c2", ConsumersModel::Pending).toLongLong(), 5);
    QCOMPARE(cell(model, "c3", ConsumersModel::Pending).toLongLong(), 0);
    QCOMPARE(cell(model, "c1", ConsumersModel::Name).toString(), QStringLiteral("c1"));
    for (const QByteArray &c : {QByteArray("c1"), QByteArray("c2"), QByteArray("c3")}) {
        const QVariant idle = cell(model, c, ConsumersModel::Idle, ConsumersModel::ValueRole);
        QVERIFY(idle.isValid() && idle.toLongLong() >= 0);
        QVERIFY(cell(model, c, ConsumersModel::Idle).toString().endsWith(QLatin1String("s")));
    }
    if (m_redis.connection()->serverInfo().hasConsumerInactive()) {
        QCOMPARE(
            cell(model, "c3", ConsumersModel::Inactive, ConsumersModel::ValueRole).toLongLong(),
            -1);
        QCOMPARE(cell(model, "c3", ConsumersModel::Inactive).toString(),
                 QStringLiteral("never active"));
    } else {
        QCOMPARE(cell(model, "c1", ConsumersModel::Inactive).toString(),
                 QStringLiteral("n/a (Redis < 7.2)"));
        QVERIFY(!cell(model, "c1", ConsumersModel::Inactive, ConsumersModel::ValueRole).isValid());
    }

    // Idle times grow between refreshes (and come as dataChanged on the idle cells); a read
    // resets the reader's.
    QTRY_VERIFY([&] {
        model.refresh();
        return cell(model, "c1", ConsumersModel::Idle, ConsumersModel::ValueRole).toLongLong()
               >= 200;
    }());
    QTRY_VERIFY(!model.isLoading());
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    run({"XREADGROUP", "GROUP", "g", "c1", "COUNT", "1", "STREAMS", "s", ">"});
    refresh(model);
    QVERIFY(cell(model, "c1", ConsumersModel::Idle, ConsumersModel::ValueRole).toLongLong() < 200);
    QCOMPARE(cell(model, "c1", ConsumersModel::Pending).toLongLong(), 4);
    bool pendingChanged = false;
    for (const QList<QVariant> &args : changed) {
        const auto index = args.at(0).value<QModelIndex>();
        QVERIFY(index.column() != ConsumersModel::Name);
        if (index.row() == model.rowOf("c1") && index.column() == ConsumersModel::Pending) {
            pendingChanged = true;
            const auto roles = args.at(2).value<QList<int>>();
            QVERIFY(roles.contains(Qt::DisplayRole) && roles.contains(ConsumersModel::ValueRole));
        }
    }
    QVERIFY(pendingChanged);
}

void TestConsumersModel::refreshKeepsRowsAndSelection()
{
    prepare();
    ConsumersModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QItemSelectionModel selection(&model);
    open(model, "g");
    selection.setCurrentIndex(model.index(model.rowOf("c2"), 0),
                              QItemSelectionModel::SelectCurrent | QItemSelectionModel::Rows);
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
    run({"XGROUP", "DELCONSUMER", "s", "g", "c1"});
    run({"XGROUP", "CREATECONSUMER", "s", "g", "c4"});
    refresh(model);
    QCOMPARE(reset.size(), 0);
    QCOMPARE(inserted.size(), 1);
    QCOMPARE(removed.size(), 1);
    QCOMPARE(model.rowCount(), 3);
    QVERIFY(model.rowOf("c1") < 0);
    QVERIFY(model.rowOf("c4") >= 0);
    QCOMPARE(selection.currentIndex().data(ConsumersModel::ConsumerNameRole).toByteArray(),
             QByteArray("c2"));
    QCOMPARE(selection.selectedRows().size(), 1);
}

void TestConsumersModel::missingGroup()
{
    prepare();
    ConsumersModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy errors(&model, &ConsumersModel::errorOccurred);
    open(model, "nope");
    QCOMPARE(model.rowCount(), 0);
    QCOMPARE(errors.size(), 1);
    QVERIFY2(errors.at(0).at(0).toString().startsWith(QLatin1String("NOGROUP")),
             qPrintable(errors.at(0).at(0).toString()));
}

QTEST_GUILESS_MAIN(TestConsumersModel)
#include "tst_consumersmodel.moc"
