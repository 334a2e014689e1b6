// The stream inspector on a real redis-server: entries listed newest first, each field
// decoded in the detail pane, jumps by id and time typed as a user would, live tail.
#include "guitestsupport.h"

#include "entrylistmodel.h"
#include "streaminspector.h"

#include <QCheckBox>
#include <QDateTimeEdit>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTabBar>
#include <QTabWidget>
#include <QTableView>
#include <QtTest>

class TestStreamInspector : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();
    void decodesEachKindOfValue_data();
    void decodesEachKindOfValue();
    void jumpToTypedId();
    void badIdSaysWhy();
    void jumpToTime();
    void liveTailShowsNewEntries();
    void groupsTabFiltersPendingByIdleTime();
    void summaryAndRefreshKeepSelection();

private:
    template<typename T> T *child(const char *name) const
    {
        T *w = m_inspector->findChild<T *>(QLatin1String(name));
        if (!w)
            qFatal("no child %s", name);
        return w;
    }
    void selectRowOf(const QByteArray &id);

    std::unique_ptr<LocalRedisServer> m_server;
    std::unique_ptr<gui::SetupClient> m_client;
    std::unique_ptr<RedisConnection> m_connection;
    std::unique_ptr<StreamInspector> m_inspector;
};

static QByteArray zlibBase64(const QByteArray &data)
{
    return qCompress(data).mid(4).toBase64(); // qCompress adds a 4-byte length prefix
}

void TestStreamInspector::init()
{
    m_server = std::make_unique<LocalRedisServer>();
    QString error;
    QVERIFY2(m_server->start(&error), qPrintable(error));
    m_client = std::make_unique<gui::SetupClient>(m_server->options());
    QVERIFY(m_client->isConnected());
    QList<RedisCommand> adds;
    for (int i = 1; i <= 50; ++i)
        adds.append(RedisCommand{{"XADD", "q", QByteArray::number(i * 1000) + "-0", "n",
                                  QByteArray::number(i)}});
    adds.append(RedisCommand{{"XADD", "q", "100000-1", "data", R"({"order":42,"items":[1,2]})"}});
    adds.append(RedisCommand{
        {"XADD", "q", "100000-2", "data", zlibBase64(R"({"widget":"cpu","points":[1,2,3]})")}});
    adds.append(RedisCommand{{"XADD", "q", "100000-3", "blob", QByteArray("\x00\x01\xfe\xff", 4)}});
    adds.append(RedisCommand{{"XADD", "q", "100000-4", "text", "plain words"}});
    QVERIFY(m_client->run(adds));
    m_connection = std::make_unique<RedisConnection>(m_server->options());
    m_connection->open(false);
    QTRY_COMPARE(m_connection->state(), ConnectionState::Connected);
    m_inspector = std::make_unique<StreamInspector>(m_connection.get(), "q");
    m_inspector->resize(1100, 600);
    m_inspector->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_inspector.get()));
    QTRY_COMPARE(m_inspector->entries()->rowCount(), 54);
}

void TestStreamInspector::cleanup()
{
    m_inspector.reset();
    m_connection.reset();
    m_client.reset();
    m_server.reset();
}

void TestStreamInspector::selectRowOf(const QByteArray &id)
{
    const int row = m_inspector->entries()->rowOf(*StreamId::parse(id));
    QVERIFY(row >= 0);
    QTableView *view = m_inspector->entriesView();
    view->scrollTo(view->model()->index(row, 0));
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {},
                      view->visualRect(view->model()->index(row, 0)).center());
    QCOMPARE(view->currentIndex().row(), row);
}

void TestStreamInspector::decodesEachKindOfValue_data()
{
    QTest::addColumn<QByteArray>("id");
    QTest::addColumn<QString>("label");
    QTest::addColumn<QString>("shows");
    QTest::newRow("json") << QByteArray("100000-1") << "JSON" << "\"order\": 42";
    QTest::newRow("zlib + base64 json") << QByteArray("100000-2") << "zlib + base64 → JSON"
                                        << "\"widget\": \"cpu\"";
    QTest::newRow("binary") << QByteArray("100000-3") << "binary" << "00 01 fe ff";
    QTest::newRow("text") << QByteArray("100000-4") << "text" << "plain words";
}

void TestStreamInspector::decodesEachKindOfValue()
{
    QFETCH(QByteArray, id);
    QFETCH(QString, label);
    QFETCH(QString, shows);
    // Newest first: the four special entries are on top.
    QCOMPARE(m_inspector->entries()->entryAt(0).id.toByteArray(), QByteArray("100000-4"));
    selectRowOf(id);
    QTRY_COMPARE(child<QListWidget>("fieldList")->count(), 1);
    const QString shownLabel = gui::shownText(child<QLabel>("fieldLabel"));
    QVERIFY2(shownLabel.contains(label), qPrintable(shownLabel));
    const QString value = child<QPlainTextEdit>("fieldValue")->toPlainText();
    QVERIFY2(value.contains(shows), qPrintable(value));
}

void TestStreamInspector::jumpToTypedId()
{
    QTest::keyClicks(child<QLineEdit>("idEdit"), QStringLiteral("20000-0"));
    QSignalSpy loaded(m_inspector->entries(), &EntryListModel::loaded);
    QTest::mouseClick(child<QPushButton>("goId"), Qt::LeftButton);
    QTRY_COMPARE(loaded.size(), 1);
    // Newest first, from the id on: 20 entries, 20000-0 on top and selected.
    QCOMPARE(m_inspector->entries()->rowCount(), 20);
    QCOMPARE(m_inspector->entries()->entryAt(0).id.ms, 20000u);
    QCOMPARE(m_inspector->entriesView()->currentIndex().row(), 0);
    QVERIFY(!child<QLabel>("entriesError")->isVisible());
}

void TestStreamInspector::badIdSaysWhy()
{
    QTest::keyClicks(child<QLineEdit>("idEdit"), QStringLiteral("yesterday"));
    QTest::keyClick(child<QLineEdit>("idEdit"), Qt::Key_Return);
    QVERIFY(child<QLabel>("entriesError")->isVisible());
    QVERIFY(child<QLabel>("entriesError")->text().contains(QLatin1String("is not an entry id")));
    QCOMPARE(m_inspector->entries()->rowCount(), 54); // nothing was sent
}

void TestStreamInspector::jumpToTime()
{
    auto *edit = child<QDateTimeEdit>("timeEdit");
    // Entry i was added at i seconds after the epoch (ids are i*1000 ms).
    edit->setDateTime(QDateTime::fromSecsSinceEpoch(30, Qt::UTC).toLocalTime());
    QSignalSpy loaded(m_inspector->entries(), &EntryListModel::loaded);
    QTest::mouseClick(child<QPushButton>("goTime"), Qt::LeftButton);
    QTRY_COMPARE(loaded.size(), 1);
    QCOMPARE(m_inspector->entries()->entryAt(0).id.ms, 30000u);
    QCOMPARE(m_inspector->entries()->rowCount(), 30);
}

void TestStreamInspector::liveTailShowsNewEntries()
{
    gui::clickIndicator(child<QCheckBox>("live"));
    QVERIFY(m_inspector->entries()->liveTail());
    QVERIFY(m_client->run({RedisCommand{{"XADD", "q", "200000-0", "n", "new"}}}));
    QTRY_COMPARE_WITH_TIMEOUT(m_inspector->entries()->rowCount(), 55, 5000);
    QCOMPARE(m_inspector->entries()->entryAt(0).id.ms, 200000u);
    const QString status = child<QLabel>("entriesStatus")->text();
    QVERIFY2(status.contains(QLatin1String("55")), qPrintable(status));
}

void TestStreamInspector::groupsTabFiltersPendingByIdleTime()
{
    QList<RedisCommand> setup = {
        RedisCommand{{"XGROUP", "CREATE", "q", "workers", "0"}},
        RedisCommand{{"XREADGROUP", "GROUP", "workers", "w1", "COUNT", "10", "STREAMS", "q", ">"}},
    };
    // Five of the ten pending entries have been idle for ten minutes (set, not waited for).
    for (int i = 1; i <= 5; ++i)
        setup.append(RedisCommand{{"XCLAIM", "q", "workers", "w1", "0",
                                   QByteArray::number(i * 1000) + "-0", "IDLE", "600000",
                                   "JUSTID"}});
    QVERIFY(m_client->run(setup));

    QTabBar *tabs = m_inspector->pages()->tabBar();
    QTest::mouseClick(tabs, Qt::LeftButton, {}, tabs->tabRect(1).center());
    QCOMPARE(m_inspector->pages()->currentIndex(), 1);
    QTest::mouseClick(child<QPushButton>("refreshGroups"), Qt::LeftButton);
    auto *groups = child<QTableView>("groupsView");
    QTRY_COMPARE(groups->model()->rowCount(), 1);
    QTRY_VERIFY(groups->currentIndex().isValid()); // the only group is selected
    // Lag: 54 entries, 10 delivered.
    QTRY_COMPARE(groups->model()->index(0, 5).data().toString(), QStringLiteral("44"));
    auto *pending = child<QTableView>("pendingView");
    QTRY_COMPARE(pending->model()->rowCount(), 10);
    QTRY_VERIFY(gui::shownText(child<QLabel>("histogram")).contains(QStringLiteral("1×: 10")));

    gui::retype(child<QSpinBox>("idleFilter"), QStringLiteral("300"));
    QTest::mouseClick(child<QPushButton>("applyFilter"), Qt::LeftButton);
    QTRY_COMPARE(pending->model()->rowCount(), 5);
    QTRY_VERIFY(gui::shownText(child<QLabel>("histogram")).contains(QStringLiteral("1×: 5")));
    QVERIFY(!child<QLabel>("groupsError")->isVisible());
}

void TestStreamInspector::summaryAndRefreshKeepSelection()
{
    auto *summary = child<QLabel>("streamSummary");
    QTRY_VERIFY2(gui::shownText(summary).contains(QLatin1String("length 54")),
                 qPrintable(gui::shownText(summary)));
    QVERIFY(gui::shownText(summary).contains(QLatin1String("memory")));
    QVERIFY(gui::shownText(summary).contains(QLatin1String("last generated id 100000-4")));

    selectRowOf("100000-3");
    QVERIFY(m_client->run({RedisCommand{{"XADD", "q", "300000-0", "n", "later"}}}));
    m_inspector->refresh();
    QTRY_COMPARE(m_inspector->entries()->rowCount(), 55);
    QTRY_VERIFY(gui::shownText(summary).contains(QLatin1String("length 55")));
    const QModelIndex current = m_inspector->entriesView()->currentIndex();
    QVERIFY(current.isValid());
    QCOMPARE(m_inspector->entries()->entryAt(current.row()).id.toByteArray(),
             QByteArray("100000-3"));
}

QTEST_MAIN(TestStreamInspector)
#include "tst_streaminspector.moc"
