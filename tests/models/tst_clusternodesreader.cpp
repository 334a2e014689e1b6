// ClusterNodesReader against a real Redis Cluster (LocalRedisCluster: 3 masters, 3 replicas)
// through a session as Weir opens one: every node's INFO in the Nodes tab's model, the
// streams counted again once the overview's rows stop changing for 500 ms, a reader deleted
// while its INFO requests are in flight, and a killed replica (first unreachable, then
// marked failed by the cluster). The functions run in order and share the cluster; the
// killed node comes last.
#include "clusternodesmodel.h"
#include "clusternodesreader.h"
#include "connectionsession.h"
#include "localrediscluster.h"
#include "redisconnection.h"
#include "replyparsers.h"
#include "streamlistmodel.h"

#include <QAbstractItemModelTester>
#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTimer>
#include <QtTest>

#include <memory>
#include <optional>

class TestClusterNodesReader : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();

    void everyNodeSaysWhatItIs();
    void streamCountsFollowTheOverview();
    void deletedReaderIsNotCalledBack();
    void killedNodeIsReported();

private:
    // XADD to each stream; the result comes later.
    std::shared_ptr<std::optional<RedisResult>> add(const QList<QByteArray> &names);
    int counted() const;
    // The row of the node at `address`, master or replica; invalid when not listed.
    QModelIndex rowOf(const QString &address) const;
    QList<QModelIndex> allRows() const;

    // Node timeout high enough that a killed node is still online in the slot map when the
    // reader next asks it for INFO.
    std::unique_ptr<LocalRedisCluster> m_cluster;
    std::unique_ptr<ConnectionSession> m_session;
    std::unique_ptr<ClusterNodesModel> m_model;
    std::unique_ptr<QAbstractItemModelTester> m_tester;
    std::unique_ptr<ClusterNodesReader> m_reader;
    int m_streams = 0;
};

void TestClusterNodesReader::initTestCase()
{
    LocalRedisCluster::Config config;
    config.nodeTimeoutMs = 5000;
    m_cluster = std::make_unique<LocalRedisCluster>(config);
    QString error;
    QVERIFY2(m_cluster->start(&error), qPrintable(error));

    m_session =
        std::make_unique<ConnectionSession>(QStringLiteral("cluster"), m_cluster->options(0));
    m_session->open();
    QTRY_COMPARE_WITH_TIMEOUT(m_session->state(), ConnectionState::Connected, 15000);
    QVERIFY(m_session->isCluster());
    // Weir makes the reader with the first slot map, as here.
    QTRY_COMPARE_WITH_TIMEOUT(int(m_session->connection()->topology().nodes().size()), 6, 15000);
    QTRY_VERIFY_WITH_TIMEOUT(!m_session->overview()->isScanning(), 15000);
}

void TestClusterNodesReader::cleanupTestCase()
{
    m_reader.reset();
    m_tester.reset();
    m_model.reset();
    m_session.reset();
    m_cluster.reset();
}

std::shared_ptr<std::optional<RedisResult>>
TestClusterNodesReader::add(const QList<QByteArray> &names)
{
    QList<RedisCommand> adds;
    for (const QByteArray &name : names)
        adds.append(RedisCommand{{"XADD", name, "*", "n", "1"}, name});
    auto result = std::make_shared<std::optional<RedisResult>>();
    m_session->connection()->send(adds, this, [result](const RedisResult &r) { *result = r; });
    m_streams += int(names.size());
    return result;
}

int TestClusterNodesReader::counted() const
{
    int total = 0;
    for (int row = 0; row < m_model->rowCount(); ++row)
        total += m_model->index(row, ClusterNodesModel::StreamsColumn).data().toInt();
    return total;
}

QList<QModelIndex> TestClusterNodesReader::allRows() const
{
    QList<QModelIndex> rows;
    for (int row = 0; row < m_model->rowCount(); ++row) {
        const QModelIndex master = m_model->index(row, 0);
        rows << master;
        for (int r = 0; r < m_model->rowCount(master); ++r)
            rows << m_model->index(r, 0, master);
    }
    return rows;
}

QModelIndex TestClusterNodesReader::rowOf(const QString &address) const
{
    for (const QModelIndex &row : allRows()) {
        if (row.data(ClusterNodesModel::AddressRole).toString() == address)
            return row;
    }
    return {};
}

void TestClusterNodesReader::everyNodeSaysWhatItIs()
{
    m_model = std::make_unique<ClusterNodesModel>();
    m_tester = std::make_unique<QAbstractItemModelTester>(
        m_model.get(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    m_reader = std::make_unique<ClusterNodesReader>(m_session.get(), m_model.get());

    // The slot map at once, before any node has answered.
    QCOMPARE(m_model->rowCount(), 3);
    QCOMPARE(allRows().size(), 6);
    const QString expected = m_session->serverInfo().displayName();
    QVERIFY(!expected.isEmpty());
    QStringList addresses;
    for (const QModelIndex &row : allRows()) {
        const QString address = row.data(ClusterNodesModel::AddressRole).toString();
        addresses << address;
        QTRY_COMPARE_WITH_TIMEOUT(
            row.siblingAtColumn(ClusterNodesModel::VersionColumn).data().toString(), expected,
            ClusterNodesReader::NodeTimeoutMs);
        const QModelIndex memory = row.siblingAtColumn(ClusterNodesModel::MemoryColumn);
        QVERIFY2(memory.data().toString() != QStringLiteral("…")
                     && memory.data().toString() != QStringLiteral("—"),
                 qPrintable(address));
        QVERIFY(!memory.data(Qt::ToolTipRole).isValid());
    }
    // Each of the six nodes was asked itself: every port of the cluster is listed.
    QStringList ports;
    for (quint16 port : m_cluster->ports())
        ports << QStringLiteral("127.0.0.1:%1").arg(port);
    addresses.sort();
    ports.sort();
    QCOMPARE(addresses, ports);

    // Refreshing reads the slot map anew and asks every node again.
    QSignalSpy topology(m_session.get(), &ConnectionSession::topologyChanged);
    QSignalSpy changed(m_model.get(), &QAbstractItemModel::dataChanged);
    m_reader->refresh();
    QTRY_VERIFY_WITH_TIMEOUT(topology.count() >= 1, 10000);
    QTRY_VERIFY_WITH_TIMEOUT(changed.count() >= 6, ClusterNodesReader::NodeTimeoutMs);
    QCOMPARE(m_model->rowCount(), 3);
    for (const QModelIndex &row : allRows()) {
        QTRY_COMPARE_WITH_TIMEOUT(
            row.siblingAtColumn(ClusterNodesModel::VersionColumn).data().toString(), expected,
            ClusterNodesReader::NodeTimeoutMs);
    }
}

void TestClusterNodesReader::streamCountsFollowTheOverview()
{
    QVERIFY(m_reader);
    QTRY_COMPARE_WITH_TIMEOUT(counted(), 0, 2000);
    QList<QByteArray> names;
    for (int i = 0; i < 30; ++i)
        names << "orders:" + QByteArray::number(i);
    const auto added = add(names);
    QTRY_VERIFY_WITH_TIMEOUT(added->has_value(), 10000);
    QVERIFY2((*added)->ok(), qPrintable((*added)->error));

    StreamListModel *overview = m_session->overview();
    // What the model counts while the overview's rows are still coming in: never the new
    // rows at once, only after the overview has been quiet for the reader's 500 ms.
    QList<int> whenInserted;
    QElapsedTimer sinceLastRows;
    connect(overview, &QAbstractItemModel::rowsInserted, this, [&] {
        whenInserted << counted();
        sinceLastRows.start();
    });
    QSignalSpy finished(overview, &StreamListModel::scanFinished);
    overview->refresh();
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 15000);
    QCOMPARE(overview->rowCount(), m_streams);
    QVERIFY(!whenInserted.isEmpty());
    QCOMPARE(whenInserted.first(), 0);

    QTRY_COMPARE_WITH_TIMEOUT(counted(), m_streams, 3000);
    QVERIFY2(sinceLastRows.elapsed() >= 400, qPrintable(QString::number(sinceLastRows.elapsed())));
    disconnect(overview, nullptr, this, nullptr);

    // Each stream on the master serving its slot, and on that master's replica too.
    for (int row = 0; row < m_model->rowCount(); ++row) {
        const QModelIndex master = m_model->index(row, 0);
        const auto streams = master.data(ClusterNodesModel::StreamsRole).value<QByteArrayList>();
        for (const QByteArray &name : streams) {
            const ClusterNode *owner = m_model->topology().masterForKey(name);
            QVERIFY(owner);
            QCOMPARE(owner->address(), master.data(ClusterNodesModel::AddressRole).toString());
        }
        QCOMPARE(m_model->index(0, ClusterNodesModel::StreamsColumn, master).data().toInt(),
                 int(streams.size()));
    }
}

void TestClusterNodesReader::deletedReaderIsNotCalledBack()
{
    QVERIFY(m_reader);
    // A second reader, deleted while its INFO (one per node) is in flight and its recount
    // is pending: its model must stay as it was left.
    ClusterNodesModel orphan;
    QAbstractItemModelTester tester(&orphan,
                                    QAbstractItemModelTester::FailureReportingMode::QtTest);
    auto *reader = new ClusterNodesReader(m_session.get(), &orphan);
    QCOMPARE(orphan.rowCount(), 3);
    QSignalSpy changed(&orphan, &QAbstractItemModel::dataChanged);
    QSignalSpy reset(&orphan, &QAbstractItemModel::modelReset);
    delete reader;

    // Every node answers in order on its own link: once a PING sent after the INFO has come
    // back from each of them, every INFO has been answered too.
    int pongs = 0;
    const QList<ClusterNode> nodes = m_session->connection()->topology().nodes();
    for (const ClusterNode &node : nodes) {
        m_session->connection()->sendToNode(node.address(), {RedisCommand{"PING"}}, this,
                                            [&pongs](const RedisResult &result) {
            if (result.ok())
                ++pongs;
        });
    }
    QTRY_COMPARE_WITH_TIMEOUT(pongs, int(nodes.size()), ClusterNodesReader::NodeTimeoutMs);

    // And the overview changing again: the live reader recounts, the deleted one does not.
    const auto added = add({"late"});
    QTRY_VERIFY_WITH_TIMEOUT(added->has_value(), 10000);
    QVERIFY2((*added)->ok(), qPrintable((*added)->error));
    QSignalSpy finished(m_session->overview(), &StreamListModel::scanFinished);
    m_session->overview()->refresh();
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 15000);
    QTRY_COMPARE_WITH_TIMEOUT(counted(), m_streams, 3000);

    QCOMPARE(changed.count(), 0);
    QCOMPARE(reset.count(), 0);
    for (int row = 0; row < orphan.rowCount(); ++row) {
        const QModelIndex master = orphan.index(row, ClusterNodesModel::VersionColumn);
        QCOMPARE(master.data().toString(), QStringLiteral("…"));
        QCOMPARE(orphan.index(row, ClusterNodesModel::StreamsColumn).data().toInt(), 0);
    }
}

void TestClusterNodesReader::killedNodeIsReported()
{
    QVERIFY(m_reader);
    int replica = -1;
    for (int node = 0; node < m_cluster->nodeCount() && replica < 0; ++node) {
        QString error;
        if (m_cluster->masterOf(node, &error) >= 0)
            replica = node;
    }
    QVERIFY(replica >= 0);
    const QString address = QStringLiteral("127.0.0.1:%1").arg(m_cluster->port(replica));
    m_cluster->kill(replica);

    // Asked again before the cluster has noticed (its node timeout is 5 s): the node is still
    // in the slot map, and its INFO fails.
    m_reader->refresh();
    const auto version = [this, &address] {
        return rowOf(address).siblingAtColumn(ClusterNodesModel::VersionColumn);
    };
    QTRY_COMPARE_WITH_TIMEOUT(version().data().toString(), QStringLiteral("unreachable"),
                              ClusterNodesReader::NodeTimeoutMs + 2000);
    const QString why = version().data(Qt::ToolTipRole).toString();
    QVERIFY(!why.isEmpty());
    QVERIFY2(why != QStringLiteral("The cluster marks this node failed"), qPrintable(why));
    QCOMPARE(version().siblingAtColumn(ClusterNodesModel::MemoryColumn).data().toString(),
             QStringLiteral("—"));
    QCOMPARE(version().data(Qt::ForegroundRole).value<QBrush>().color(), QColor(Qt::darkRed));
    // The other nodes still answer.
    for (const QModelIndex &row : allRows()) {
        if (row.data(ClusterNodesModel::AddressRole).toString() != address) {
            QCOMPARE(row.siblingAtColumn(ClusterNodesModel::VersionColumn).data().toString(),
                     m_session->serverInfo().displayName());
        }
    }

    // Once the cluster marks it failed, it is not asked any more. CLUSTER SHARDS (7.0) keeps
    // it listed, and the model says why; CLUSTER SLOTS, before, leaves a failed replica out.
    QTimer again;
    again.setInterval(500);
    connect(&again, &QTimer::timeout, m_reader.get(), &ClusterNodesReader::refresh);
    again.start();
    if (m_session->serverInfo().hasClusterShards()) {
        QTRY_COMPARE_WITH_TIMEOUT(version().data(Qt::ToolTipRole).toString(),
                                  QStringLiteral("The cluster marks this node failed"), 30000);
        QCOMPARE(version().data().toString(), QStringLiteral("unreachable"));
    } else {
        QTRY_VERIFY_WITH_TIMEOUT(!rowOf(address).isValid(), 30000);
    }
    again.stop();
}

QTEST_MAIN(TestClusterNodesReader)
#include "tst_clusternodesreader.moc"
