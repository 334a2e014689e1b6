// Acking and claiming pending entries from the inspector's Groups tab, as an operator
// does it: select rows or apply a filter, fill in the options (OK waits for valid ones),
// read the exact commands in the confirmation, run, read the report, and find Redis
// changed accordingly (and unchanged after a cancel, or on a read-only connection).
#include "guitestsupport.h"
#include "serverversion.h"

#include "bulkactiondialog.h"
#include "claimdialog.h"
#include "groupspane.h"
#include "streaminspector.h"

#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QGuiApplication>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollBar>
#include <QSpinBox>
#include <QTabBar>
#include <QTabWidget>
#include <QTableView>
#include <QtTest>

class TestPendingActions : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();
    void acksTheSelectedEntries();
    void acksEveryEntryMatchingTheFilter();
    void cancelAtTheConfirmationSendsNothing();
    void readOnlyConnectionOffersNoAck();
    void claimWaitsForAConsumerThenMovesTheEntries();
    void deleteOffersToAckWhatIsPending();
    void sweepClaimsEveryIdleEntry();
    void pendingTabCountsAllAndLoadsTheRestOnScroll();

private:
    template<typename T> T *child(const char *name) const
    {
        return gui::child<T>(m_inspector.get(), name);
    }
    // Opens the inspector on the session, first replaced by one to `options` when given.
    void openInspector(const std::optional<ConnectionOptions> &options = std::nullopt);
    BulkActionDialog *dialog() const;
    qint64 pendingCount();

    gui::LiveSession m_redis;
    std::unique_ptr<StreamInspector> m_inspector;
};

void TestPendingActions::init()
{
    GUI_START_SESSION(m_redis);
    QList<RedisCommand> setup;
    for (int i = 1; i <= 20; ++i)
        setup.append(RedisCommand{
            {"XADD", "q", QByteArray::number(i * 1000) + "-0", "n", QByteArray::number(i)}});
    setup.append(RedisCommand{{"XGROUP", "CREATE", "q", "workers", "0"}});
    setup.append(
        RedisCommand{{"XREADGROUP", "GROUP", "workers", "w1", "COUNT", "10", "STREAMS", "q", ">"}});
    // Four of the ten pending entries have been idle for ten minutes (set, not waited for).
    for (int i : {2, 4, 6, 8})
        setup.append(
            RedisCommand{{"XCLAIM", "q", "workers", "w1", "0", QByteArray::number(i * 1000) + "-0",
                          "IDLE", "600000", "JUSTID"}});
    QVERIFY(m_redis.run(setup));
    openInspector();
}

void TestPendingActions::openInspector(const std::optional<ConnectionOptions> &options)
{
    m_inspector.reset();
    if (options)
        QVERIFY2(m_redis.reopen(*options), qPrintable(m_redis.errorString()));
    gui::showGroupsPage(m_inspector, m_redis.session(), "q", {1100, 650}, 1);
    QTRY_COMPARE(child<QTableView>("pendingView")->model()->rowCount(), 10);
}

void TestPendingActions::cleanup()
{
    m_inspector.reset();
    m_redis.stop();
}

BulkActionDialog *TestPendingActions::dialog() const
{
    return m_inspector->findChild<BulkActionDialog *>(QStringLiteral("ackDialog"));
}

qint64 TestPendingActions::pendingCount()
{
    const auto replies = m_redis.run({RedisCommand{{"XPENDING", "q", "workers"}}});
    return replies ? replies->first().at(0).toInteger() : -1;
}

void TestPendingActions::acksTheSelectedEntries()
{
    auto *pending = child<QTableView>("pendingView");
    QVERIFY(!child<QPushButton>("ackSelected")->isEnabled()); // nothing selected yet
    const auto rowCenter = [pending](int row) {
        return pending->visualRect(pending->model()->index(row, 0)).center();
    };
    QTest::mouseClick(pending->viewport(), Qt::LeftButton, {}, rowCenter(0));
    QTest::mouseClick(pending->viewport(), Qt::LeftButton, Qt::ShiftModifier, rowCenter(2));
    QTest::mouseClick(pending->viewport(), Qt::LeftButton, Qt::ControlModifier, rowCenter(5));
    QVERIFY(child<QPushButton>("ackSelected")->isEnabled());
    QTest::mouseClick(child<QPushButton>("ackSelected"), Qt::LeftButton);

    BulkActionDialog *d = dialog();
    QVERIFY(d && d->isVisible());
    auto *commands = gui::child<QPlainTextEdit>(d, "commands");
    QCOMPARE(commands->toPlainText(), QStringLiteral("XACK q workers 1000-0 2000-0 3000-0 6000-0"));
    auto *go = gui::child<QPushButton>(d, "go");
    QCOMPARE(go->text(), QStringLiteral("Ack 4 entries"));
    QTest::mouseClick(gui::child<QPushButton>(d, "copyCommands"), Qt::LeftButton);
    QCOMPARE(QGuiApplication::clipboard()->text(),
             QStringLiteral("XACK q workers 1000-0 2000-0 3000-0 6000-0\n"));
    QCOMPARE(pendingCount(), 10); // nothing sent before the click

    QTest::mouseClick(go, Qt::LeftButton);
    auto *report = gui::child<QLabel>(d, "report");
    QTRY_VERIFY(gui::shownText(report).contains(QLatin1String("Done: 4 ids")));
    QVERIFY(gui::shownText(report).contains(QLatin1String("Redis counted 4")));
    QCOMPARE(pendingCount(), 6);
    QTRY_COMPARE(pending->model()->rowCount(), 6); // the pane refreshed
    QTest::mouseClick(gui::child<QPushButton>(d, "close"), Qt::LeftButton);
    QTRY_VERIFY(!dialog());
}

void TestPendingActions::acksEveryEntryMatchingTheFilter()
{
    gui::retype(child<QSpinBox>("idleFilter"), QStringLiteral("300"));
    QTest::mouseClick(child<QPushButton>("applyFilter"), Qt::LeftButton);
    QTRY_COMPARE(child<QTableView>("pendingView")->model()->rowCount(), 4);
    QTest::mouseClick(child<QPushButton>("ackMatching"), Qt::LeftButton);
    BulkActionDialog *d = dialog();
    QVERIFY(d);
    auto *go = gui::child<QPushButton>(d, "go");
    QTRY_VERIFY(go->isVisible());
    QCOMPARE(go->text(), QStringLiteral("Ack 4 entries"));
    QCOMPARE(gui::child<QPlainTextEdit>(d, "commands")->toPlainText(),
             QStringLiteral("XACK q workers 2000-0 4000-0 6000-0 8000-0"));
    QVERIFY(gui::shownText(gui::child<QLabel>(d, "what"))
                .contains(QLatin1String("idle at least 300 s")));
    QTest::mouseClick(go, Qt::LeftButton);
    QTRY_VERIFY(
        gui::shownText(gui::child<QLabel>(d, "report")).contains(QLatin1String("Done: 4 ids")));
    QCOMPARE(pendingCount(), 6);
    const auto left = m_redis.run(
        {RedisCommand{{"XPENDING", "q", "workers", "IDLE", "300000", "-", "+", "100"}}});
    QVERIFY(left);
    QCOMPARE(left->first().size(), 0);
}

void TestPendingActions::cancelAtTheConfirmationSendsNothing()
{
    auto *pending = child<QTableView>("pendingView");
    QTest::mouseClick(pending->viewport(), Qt::LeftButton, {},
                      pending->visualRect(pending->model()->index(0, 0)).center());
    QTest::mouseClick(child<QPushButton>("ackSelected"), Qt::LeftButton);
    BulkActionDialog *d = dialog();
    QVERIFY(d);
    QTest::keyClick(d, Qt::Key_Escape);
    QTRY_VERIFY(!dialog());
    QCOMPARE(pendingCount(), 10);
}

void TestPendingActions::readOnlyConnectionOffersNoAck()
{
    ConnectionOptions options = m_redis.server()->options();
    options.readOnly = true;
    openInspector(options);
    auto *pending = child<QTableView>("pendingView");
    QTest::mouseClick(pending->viewport(), Qt::LeftButton, {},
                      pending->visualRect(pending->model()->index(0, 0)).center());
    QVERIFY(pending->selectionModel()->hasSelection());
    QVERIFY(!child<QPushButton>("ackSelected")->isEnabled());
    QVERIFY(!child<QPushButton>("ackMatching")->isEnabled());
    QCOMPARE(child<QPushButton>("ackMatching")->toolTip(),
             QStringLiteral("This connection is read-only"));
    QVERIFY(!child<QPushButton>("claimSelected")->isEnabled());
    QVERIFY(!child<QPushButton>("sweepPending")->isEnabled());
    QTabBar *tabs = m_inspector->pages()->tabBar();
    QTest::mouseClick(tabs, Qt::LeftButton, {}, tabs->tabRect(0).center());
    QTableView *entries = m_inspector->entriesView();
    QTRY_COMPARE(entries->model()->rowCount(), 20);
    QTest::mouseClick(entries->viewport(), Qt::LeftButton, {},
                      entries->visualRect(entries->model()->index(0, 0)).center());
    QVERIFY(!child<QPushButton>("deleteEntries")->isEnabled());
}

void TestPendingActions::claimWaitsForAConsumerThenMovesTheEntries()
{
    auto *pending = child<QTableView>("pendingView");
    const auto rowCenter = [pending](int row) {
        return pending->visualRect(pending->model()->index(row, 0)).center();
    };
    QTest::mouseClick(pending->viewport(), Qt::LeftButton, {}, rowCenter(0));
    QTest::mouseClick(pending->viewport(), Qt::LeftButton, Qt::ShiftModifier, rowCenter(1));
    QTest::mouseClick(child<QPushButton>("claimSelected"), Qt::LeftButton);
    auto *options = m_inspector->findChild<ClaimDialog *>(QStringLiteral("claimDialog"));
    QVERIFY(options && options->isVisible());
    auto *ok = gui::child<QPushButton>(options, "claimOk");
    auto *hint = gui::child<QLabel>(options, "claimHint");
    QVERIFY(!ok->isEnabled());
    QVERIFY2(hint->text().contains(QLatin1String("consumer")), qPrintable(hint->text()));
    auto *consumer = gui::child<QComboBox>(options, "claimConsumer");
    QCOMPARE(consumer->count(), 1); // w1, the group's one consumer, offered
    QTest::keyClicks(consumer->lineEdit(), QStringLiteral("rescuer"));
    QVERIFY(ok->isEnabled());
    QVERIFY(!hint->isVisible());
    gui::retype(gui::child<QSpinBox>(options, "claimMinIdle"), QStringLiteral("60000"));
    QTest::mouseClick(ok, Qt::LeftButton);

    auto *run = m_inspector->findChild<BulkActionDialog *>(QStringLiteral("claimRunDialog"));
    QVERIFY(run && run->isVisible());
    QCOMPARE(gui::child<QPlainTextEdit>(run, "commands")->toPlainText(),
             QStringLiteral("XCLAIM q workers rescuer 60000 1000-0 2000-0"));
    // 1000-0 has been idle for moments, 2000-0 for ten minutes: one is claimed.
    QTest::mouseClick(gui::child<QPushButton>(run, "go"), Qt::LeftButton);
    auto *report = gui::child<QLabel>(run, "report");
    QTRY_VERIFY(gui::shownText(report).contains(QLatin1String("Done: 1 id (")));
    QVERIFY2(gui::shownText(report).contains(QLatin1String("Not done: 1 id.")),
             qPrintable(gui::shownText(report)));
    const auto owned =
        m_redis.run({RedisCommand{{"XPENDING", "q", "workers", "-", "+", "10", "rescuer"}}});
    QVERIFY(owned);
    QCOMPARE(owned->first().size(), 1);
    QCOMPARE(owned->first().at(0).at(0).bytes(), QByteArray("2000-0"));
}

// The entries are newest first: 20000-0 on row 0, 10000-0 and 9000-0 (both pending in
// workers) on rows 10 and 11.
void TestPendingActions::deleteOffersToAckWhatIsPending()
{
    QTabBar *tabs = m_inspector->pages()->tabBar();
    QTest::mouseClick(tabs, Qt::LeftButton, {}, tabs->tabRect(0).center());
    QTableView *entries = m_inspector->entriesView();
    QTRY_COMPARE(entries->model()->rowCount(), 20);
    const auto rowCenter = [entries](int row) {
        return entries->visualRect(entries->model()->index(row, 0)).center();
    };
    QTest::mouseClick(entries->viewport(), Qt::LeftButton, {}, rowCenter(0));
    QTest::mouseClick(entries->viewport(), Qt::LeftButton, Qt::ControlModifier, rowCenter(10));
    QTest::mouseClick(entries->viewport(), Qt::LeftButton, Qt::ControlModifier, rowCenter(11));
    QTest::mouseClick(child<QPushButton>("deleteEntries"), Qt::LeftButton);

    auto *d = m_inspector->findChild<BulkActionDialog *>(QStringLiteral("deleteDialog"));
    QVERIFY(d);
    auto *go = gui::child<QPushButton>(d, "go");
    QTRY_VERIFY(go->isVisible());
    QCOMPARE(go->text(), QStringLiteral("Delete 3 entries"));
    const QString what = gui::shownText(gui::child<QLabel>(d, "what"));
    QVERIFY2(what.contains(QLatin1String("2 in workers")), qPrintable(what));
    auto *commands = gui::child<QPlainTextEdit>(d, "commands");
    QCOMPARE(commands->toPlainText(), QStringLiteral("XDEL q 9000-0 10000-0 20000-0"));
    auto *option = gui::child<QCheckBox>(d, "option");
    QVERIFY(option->isVisible() && !option->isChecked());
    gui::clickIndicator(option);
    QCOMPARE(commands->toPlainText(),
             QStringLiteral("XDEL q 9000-0 10000-0 20000-0\nXACK q workers 9000-0 10000-0"));
    QCOMPARE(pendingCount(), 10); // nothing sent yet

    QTest::mouseClick(go, Qt::LeftButton);
    QTRY_VERIFY(
        gui::shownText(gui::child<QLabel>(d, "report")).contains(QLatin1String("Done: 3 ids")));
    QCOMPARE(pendingCount(), 8);
    const auto length = m_redis.run({RedisCommand{{"XLEN", "q"}}});
    QVERIFY(length);
    QCOMPARE(length->first().toInteger(), 17);
    QTRY_COMPARE(entries->model()->rowCount(), 17); // the inspector refreshed
}

// Four of the ten pending entries have been idle for ten minutes; one of those is deleted.
void TestPendingActions::sweepClaimsEveryIdleEntry()
{
    QVERIFY(m_redis.run({RedisCommand{{"XDEL", "q", "8000-0"}}}));
    QTest::mouseClick(child<QPushButton>("sweepPending"), Qt::LeftButton);
    auto *options = m_inspector->findChild<ClaimDialog *>(QStringLiteral("sweepOptions"));
    QVERIFY(options);
    QVERIFY(!gui::child<QCheckBox>(options, "claimForce")->isVisible()); // not an XAUTOCLAIM option
    QTest::keyClicks(gui::child<QComboBox>(options, "claimConsumer")->lineEdit(),
                     QStringLiteral("sweeper"));
    gui::retype(gui::child<QSpinBox>(options, "claimMinIdle"), QStringLiteral("300000"));
    QTest::mouseClick(gui::child<QPushButton>(options, "claimOk"), Qt::LeftButton);

    auto *d = m_inspector->findChild<BulkActionDialog *>(QStringLiteral("sweepDialog"));
    QVERIFY(d);
    QCOMPARE(gui::child<QPlainTextEdit>(d, "commands")->toPlainText(),
             QStringLiteral("XAUTOCLAIM q workers sweeper 300000 0-0 COUNT 1000"));
    QTest::mouseClick(gui::child<QPushButton>(d, "go"), Qt::LeftButton);
    auto *report = gui::child<QLabel>(d, "report");
    QTRY_VERIFY(gui::shownText(report).contains(QLatin1String("Claimed for sweeper: 3 entries")));
    const auto owned =
        m_redis.run({RedisCommand{{"XPENDING", "q", "workers", "-", "+", "10", "sweeper"}}});
    QVERIFY(owned);
    if (!testserver::info().hasClaimDropsDeleted()) {
        // Before 7.0 the deleted one is claimed too and stays pending: the report says so.
        QVERIFY2(gui::shownText(report).contains(
                     QLatin1String("Also claimed, their entries being gone from the stream: 1")),
                 qPrintable(gui::shownText(report)));
        QCOMPARE(owned->first().size(), 4);
        QCOMPARE(pendingCount(), 10);
        return;
    }
    QVERIFY2(gui::shownText(report).contains(QLatin1String("entries being gone: 1")),
             qPrintable(gui::shownText(report)));
    QCOMPARE(owned->first().size(), 3);
    QCOMPARE(pendingCount(), 9); // the deleted one dropped
}

// More pending entries than a page: the pane says how many are pending in all beside
// the ones loaded, and loads the rest as the user scrolls down, after which the
// histogram counts all of them; the same under a consumer filter.
void TestPendingActions::pendingTabCountsAllAndLoadsTheRestOnScroll()
{
    QList<RedisCommand> setup;
    for (int i = 21; i <= 126; ++i)
        setup.append(RedisCommand{
            {"XADD", "q", QByteArray::number(i * 1000) + "-0", "n", QByteArray::number(i)}});
    setup.append(RedisCommand{
        {"XREADGROUP", "GROUP", "workers", "w2", "COUNT", "500", "STREAMS", "q", ">"}});
    QVERIFY(m_redis.run(setup));
    QCOMPARE(pendingCount(), 126);
    QTest::mouseClick(child<QPushButton>("refreshGroups"), Qt::LeftButton);
    auto *pending = child<QTableView>("pendingView");
    auto *histogram = child<QLabel>("histogram");
    QTRY_COMPARE(pending->model()->rowCount(), 100);
    QTRY_COMPARE(
        gui::shownText(histogram),
        QStringLiteral("Delivery counts of the 100 entries loaded, of 126 pending (scroll "
                       "down for the rest):\n1×: 100   2×: 0   3-5×: 0   6-10×: 0   11+×: 0"));

    const auto scrollToTheEnd = [pending](int rows) {
        QScrollBar *bar = pending->verticalScrollBar();
        QTRY_VERIFY(bar->maximum() > 0);
        bar->setValue(bar->maximum()); // as a user drags the bar down
        QTRY_COMPARE(pending->model()->rowCount(), rows);
    };
    scrollToTheEnd(126);
    QTRY_COMPARE(gui::shownText(histogram),
                 QStringLiteral("Delivery counts of all 126 pending entries:\n"
                                "1×: 126   2×: 0   3-5×: 0   6-10×: 0   11+×: 0"));
    for (int row = 0; row < 126; ++row)
        QCOMPARE(pending->model()->index(row, 0).data().toString(),
                 QStringLiteral("%1-0").arg((row + 1) * 1000));

    QTest::keyClicks(child<QLineEdit>("consumerFilter"), QStringLiteral("w2"));
    QTest::mouseClick(child<QPushButton>("applyFilter"), Qt::LeftButton);
    QTRY_COMPARE(gui::shownText(histogram),
                 QStringLiteral("Delivery counts of the 100 entries loaded that match the filter, "
                                "of 116 pending (scroll down for the rest):\n"
                                "1×: 100   2×: 0   3-5×: 0   6-10×: 0   11+×: 0"));
    scrollToTheEnd(116);
    QTRY_COMPARE(gui::shownText(histogram),
                 QStringLiteral("Delivery counts of all 116 pending entries that match the "
                                "filter:\n1×: 116   2×: 0   3-5×: 0   6-10×: 0   11+×: 0"));
}

QTEST_MAIN(TestPendingActions)
#include "tst_pendingactions.moc"
