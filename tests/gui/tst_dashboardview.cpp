// The dashboard view, offscreen, fed with figures built here and driven as a user would:
// rows shown, a header clicked to sort, the filter typed into, a row double-clicked or
// Enter pressed for its charts; the sparkline drawn with its gaps; a failed tick's error in
// the status line.
#include "guitestsupport.h"
#include "serverversion.h"

#include "dashboardmodel.h"
#include "dashboardview.h"
#include "streammonitor.h"

#include <QDateTime>
#include <QHeaderView>
#include <QLineEdit>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTableView>
#include <QtTest>

#include <cmath>

namespace {

const qint64 T0 = QDateTime::currentMSecsSinceEpoch();

void group(MonitorFigures &f, const QByteArray &stream, const QByteArray &group, double lag,
           double drain)
{
    f.values.insert(SeriesKey{stream, group, {}, Metric::Lag}, lag);
    f.values.insert(SeriesKey{stream, group, {}, Metric::TimeLagMs}, lag * 100);
    f.values.insert(SeriesKey{stream, group, {}, Metric::Pending}, 1);
    f.values.insert(SeriesKey{stream, group, {}, Metric::ReadPerSecond}, 10);
    f.values.insert(SeriesKey{stream, group, {}, Metric::DrainSeconds}, drain);
    f.values.insert(SeriesKey{stream, group, {}, Metric::Consumers}, 2);
}

void stream(MonitorFigures &f, const QByteArray &stream)
{
    f.values.insert(SeriesKey{stream, {}, {}, Metric::Length}, 100);
    f.values.insert(SeriesKey{stream, {}, {}, Metric::AddedPerSecond}, 10);
}

// orders: billing (lag 50), shipping (lag 500, never drains); audit: readers (lag 5).
MonitorFigures figures(qint64 timeMs = T0, double shippingLag = 500)
{
    MonitorFigures f;
    f.timeMs = timeMs;
    stream(f, "orders");
    group(f, "orders", "billing", 50, 5);
    group(f, "orders", "shipping", shippingLag, Never);
    stream(f, "audit");
    group(f, "audit", "readers", 5, 0.5);
    return f;
}

QByteArrayList shownRows(const QTableView *table)
{
    QByteArrayList rows;
    for (int r = 0; r < table->model()->rowCount(); ++r) {
        const QModelIndex i = table->model()->index(r, DashboardModel::Group);
        rows << i.data(DashboardModel::StreamRole).toByteArray() + '/'
                    + i.data(DashboardModel::GroupRole).toByteArray();
    }
    return rows;
}

int rowShowing(const QTableView *table, const QByteArray &group)
{
    for (int r = 0; r < table->model()->rowCount(); ++r) {
        if (table->model()->index(r, 0).data(DashboardModel::GroupRole).toByteArray() == group)
            return r;
    }
    return -1;
}

} // namespace

class TestDashboardView : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();
    void showsRowsFromFigures();
    void sortsByTheClickedHeader();
    void filters();
    void doubleClickAndEnterAskForTheChart();
    void sparklineLeavesGapsAsGaps();
    void failedTickShowsTheErrorVerbatim();
    void saysWhichStreamsItLeavesOut();
    void showsALiveMonitorsGrowingLag();
    void saysWhenTheCapLeavesStreamsUnwatched();

private:
    std::unique_ptr<DashboardView> m_view;
};

void TestDashboardView::init()
{
    m_view = std::make_unique<DashboardView>();
    m_view->resize(1080, 500); // about what the main window gives it
    m_view->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_view.get()));
}

void TestDashboardView::cleanup()
{
    m_view.reset();
}

void TestDashboardView::showsRowsFromFigures()
{
    QTableView *table = gui::child<QTableView>(m_view.get(), "dashboardTable");
    auto *status = gui::child<QLabel>(m_view.get(), "dashboardStatus");
    QCOMPARE(table->model()->rowCount(), 0);
    QVERIFY(status->text().contains(QLatin1String("Waiting")));
    m_view->showFigures(figures());
    QCOMPARE(table->model()->rowCount(), 3);
    // Worst first: the group that never drains, then by time lag.
    QCOMPARE(shownRows(table),
             QByteArrayList({"orders/shipping", "orders/billing", "audit/readers"}));
    QCOMPARE(table->horizontalHeader()->sortIndicatorSection(), int(DashboardModel::Alerts));
    QCOMPARE(table->horizontalHeader()->sortIndicatorOrder(), Qt::DescendingOrder);
    QCOMPARE(table->model()->index(0, DashboardModel::TimeToDrain).data().toString(),
             QStringLiteral("never"));
    QCOMPARE(table->model()->index(0, DashboardModel::Lag).data().toString(),
             QStringLiteral("500"));
    QVERIFY2(status->text().contains(QStringLiteral("2 streams · 3 groups watched")),
             qPrintable(status->text()));
    QVERIFY(status->text().contains(QLatin1String("last sample")));
    // No column cuts its title or its values with "…".
    QTRY_COMPARE(gui::cutColumn(table), QString());
    // The row's cells are on screen.
    const QRect cell = table->visualRect(table->model()->index(0, DashboardModel::Stream));
    QVERIFY(table->viewport()->rect().contains(cell));
}

void TestDashboardView::sortsByTheClickedHeader()
{
    QTableView *table = gui::child<QTableView>(m_view.get(), "dashboardTable");
    m_view->showFigures(figures());
    QHeaderView *header = table->horizontalHeader();
    auto clickHeader = [header](int section) {
        const QPoint at(header->sectionViewportPosition(section) + header->sectionSize(section) / 2,
                        header->height() / 2);
        QTest::mouseClick(header->viewport(), Qt::LeftButton, {}, at);
    };
    clickHeader(DashboardModel::Lag);
    QCOMPARE(header->sortIndicatorSection(), int(DashboardModel::Lag));
    const Qt::SortOrder first = header->sortIndicatorOrder();
    const QByteArrayList ascending{"audit/readers", "orders/billing", "orders/shipping"};
    QByteArrayList descending = ascending;
    std::reverse(descending.begin(), descending.end());
    QCOMPARE(shownRows(table), first == Qt::AscendingOrder ? ascending : descending);
    clickHeader(DashboardModel::Lag);
    QVERIFY(header->sortIndicatorOrder() != first);
    QCOMPARE(shownRows(table), first == Qt::AscendingOrder ? descending : ascending);
    // By group name.
    clickHeader(DashboardModel::Group);
    QCOMPARE(header->sortIndicatorSection(), int(DashboardModel::Group));
    const QByteArrayList byName{"orders/billing", "audit/readers", "orders/shipping"};
    QByteArrayList byNameReversed = byName;
    std::reverse(byNameReversed.begin(), byNameReversed.end());
    QCOMPARE(shownRows(table),
             header->sortIndicatorOrder() == Qt::AscendingOrder ? byName : byNameReversed);
}

void TestDashboardView::filters()
{
    QTableView *table = gui::child<QTableView>(m_view.get(), "dashboardTable");
    auto *filter = gui::child<QLineEdit>(m_view.get(), "dashboardFilter");
    auto *status = gui::child<QLabel>(m_view.get(), "dashboardStatus");
    m_view->showFigures(figures());
    QTest::keyClicks(filter, QStringLiteral("BILL"));
    QCOMPARE(shownRows(table), QByteArrayList({"orders/billing"}));
    QVERIFY2(status->text().contains(QLatin1String("showing 1 of 3 rows")),
             qPrintable(status->text()));
    gui::retype(filter, QStringLiteral("orders"));
    QCOMPARE(shownRows(table), QByteArrayList({"orders/shipping", "orders/billing"}));
    gui::retype(filter, {});
    QCOMPARE(table->model()->rowCount(), 3);
    QVERIFY(!status->text().contains(QLatin1String("showing")));
}

void TestDashboardView::doubleClickAndEnterAskForTheChart()
{
    QTableView *table = gui::child<QTableView>(m_view.get(), "dashboardTable");
    m_view->showFigures(figures());
    QSignalSpy requested(m_view.get(), &DashboardView::chartRequested);
    const int row = rowShowing(table, "billing");
    QVERIFY(row >= 0);
    const QRect rect = table->visualRect(table->model()->index(row, DashboardModel::Lag));
    // A double click, as the window system delivers it: a click, then the second press.
    QTest::mouseClick(table->viewport(), Qt::LeftButton, {}, rect.center());
    QCOMPARE(requested.size(), 0);
    QTest::mouseDClick(table->viewport(), Qt::LeftButton, {}, rect.center());
    QCOMPARE(requested.size(), 1);
    QCOMPARE(requested.at(0).at(0).toByteArray(), QByteArray("orders"));
    QCOMPARE(requested.at(0).at(1).toByteArray(), QByteArray("billing"));

    // Enter on the current row: the one below the worst.
    table->setFocus();
    table->setCurrentIndex(table->model()->index(rowShowing(table, "readers"), 0));
    QTest::keyClick(table, Qt::Key_Return);
    QCOMPARE(requested.size(), 2);
    QCOMPARE(requested.at(1).at(0).toByteArray(), QByteArray("audit"));
    QCOMPARE(requested.at(1).at(1).toByteArray(), QByteArray("readers"));
}

// The shipping row's lag: 40 ticks measured, 30 failed, 40 measured again. The line is drawn
// in the palette's link colour; the failed ticks leave a stretch of the cell without it.
void TestDashboardView::sparklineLeavesGapsAsGaps()
{
    QTableView *table = gui::child<QTableView>(m_view.get(), "dashboardTable");
    qint64 t = T0;
    for (int i = 0; i < 40; ++i)
        m_view->showFigures(figures(t += 1000, 100 + i * 10));
    for (int i = 0; i < 30; ++i) {
        MonitorFigures failed;
        failed.timeMs = (t += 1000);
        failed.ok = false;
        failed.error = QStringLiteral("connection lost");
        m_view->showFigures(failed);
    }
    for (int i = 0; i < 40; ++i)
        m_view->showFigures(figures(t += 1000, 500 + i * 10));
    const int row = rowShowing(table, "shipping");
    QVERIFY(row >= 0);
    table->selectionModel()->clear();
    table->setCurrentIndex({});
    const QModelIndex index = table->model()->index(row, DashboardModel::Sparkline);
    const QRect cell = table->visualRect(index);
    QVERIFY(cell.width() > DashboardModel::SparklinePoints);
    QVERIFY2(
        table->viewport()->rect().contains(cell), // the whole table fits
        qPrintable(QStringLiteral("%1 in %2").arg(cell.right()).arg(table->viewport()->width())));
    const QImage image = table->viewport()->grab().toImage();
    const double scale = double(image.width()) / table->viewport()->width();
    auto pixel = [&](int x, int y) { return image.pixelColor(int(x * scale), int(y * scale)); };
    // Ink: a pixel nearer the line's colour than the cell's background (antialiased edges
    // included).
    const QColor line = table->palette().color(QPalette::Link);
    const QColor background = pixel(cell.left() + 1, cell.top() + 1);
    auto distance = [](const QColor &a, const QColor &b) {
        return std::abs(a.red() - b.red()) + std::abs(a.green() - b.green())
               + std::abs(a.blue() - b.blue());
    };
    auto inked = [&](int x) {
        for (int y = cell.top() + 1; y < cell.bottom(); ++y) {
            const QColor c = pixel(x, y);
            if (distance(c, line) < distance(c, background))
                return true;
        }
        return false;
    };
    // Columns with ink, columns without, columns with ink again, from left to right.
    QList<bool> columns;
    for (int x = cell.left() + 1; x < cell.right(); ++x)
        columns << inked(x);
    qsizetype firstInk = columns.indexOf(true);
    QVERIFY(firstInk >= 0);
    qsizetype gapStart = columns.indexOf(false, firstInk);
    QVERIFY(gapStart > firstInk);
    qsizetype gapEnd = columns.indexOf(true, gapStart);
    QVERIFY(gapEnd > gapStart);
    // 30 missing ticks: 31 steps between the points either side, less the pen's width.
    const double expected = 31.0 * (cell.width() - 8) / (DashboardModel::SparklinePoints - 1) - 2;
    QVERIFY2(
        std::abs(double(gapEnd - gapStart) - expected) < 6,
        qPrintable(
            QStringLiteral("gap %1 px, expected about %2").arg(gapEnd - gapStart).arg(expected)));
    // And the line goes on to the cell's right end (the newest tick).
    QVERIFY(columns.lastIndexOf(true) > columns.size() - 8);
}

void TestDashboardView::failedTickShowsTheErrorVerbatim()
{
    auto *status = gui::child<QLabel>(m_view.get(), "dashboardStatus");
    m_view->showFigures(figures());
    MonitorFigures failed;
    failed.timeMs = T0 + 1000;
    failed.ok = false;
    failed.error = QStringLiteral("NOPERM this user has no permissions to run the 'xinfo' "
                                  "command");
    m_view->showFigures(failed);
    QVERIFY2(status->text().contains(failed.error), qPrintable(status->text()));
    QVERIFY(status->text().contains(QLatin1String("1 tick failed")));
    // Rows stay.
    QCOMPARE(gui::child<QTableView>(m_view.get(), "dashboardTable")->model()->rowCount(), 3);
}

// The overview lists 3 streams (orders, audit, orders:dlq); the monitor charts 2. The
// status line says why the counts differ, in the singular for one.
void TestDashboardView::saysWhichStreamsItLeavesOut()
{
    auto *status = gui::child<QLabel>(m_view.get(), "dashboardStatus");
    m_view->showFigures(figures());
    QVERIFY(!status->text().contains(QLatin1String("dead-letter")));
    m_view->setDeadLetterStreamsLeftOut(1);
    QVERIFY2(status->text().contains(QStringLiteral(
                 "2 streams (and 1 dead-letter stream, counted in its source's Dead letters)"
                 " · 3 groups watched")),
             qPrintable(status->text()));
    m_view->setDeadLetterStreamsLeftOut(2);
    QVERIFY2(status->text().contains(QStringLiteral(
                 "(and 2 dead-letter streams, counted in their sources' Dead letters)")),
             qPrintable(status->text()));
    // Failed ticks are counted in the singular too.
    MonitorFigures failed;
    failed.timeMs = T0 + 1000;
    failed.ok = false;
    failed.error = QStringLiteral("connection lost");
    m_view->showFigures(failed);
    QVERIFY2(status->text().contains(QLatin1String("1 tick failed")), qPrintable(status->text()));
}

// A real redis-server and a real monitor: a group that reads nothing while entries are
// added shows its lag growing, entry for entry.
void TestDashboardView::showsALiveMonitorsGrowingLag()
{
    gui::LiveSession redis;
    GUI_START_SESSION(redis);
    auto add = [&redis](int n) {
        QList<RedisCommand> commands;
        for (int i = 0; i < n; ++i)
            commands.append(
                RedisCommand{{"XADD", "orders", "*", "n", QByteArray::number(i)}, "orders"});
        QVERIFY(redis.run(commands));
    };
    QVERIFY(redis.run(
        {RedisCommand{{"XGROUP", "CREATE", "orders", "slow", "$", "MKSTREAM"}, "orders"}}));
    add(10);

    StreamMonitor monitor;
    monitor.setConnection(redis.connection());
    monitor.setInterval(StreamMonitor::MinIntervalMs);
    connect(&monitor, &StreamMonitor::sampled, m_view.get(), &DashboardView::showFigures);
    monitor.start();

    QTableView *table = gui::child<QTableView>(m_view.get(), "dashboardTable");
    auto lagShown = [table]() -> QString {
        const int row = rowShowing(table, "slow");
        return row < 0 ? QString()
                       : table->model()->index(row, DashboardModel::Lag).data().toString();
    };
    // Redis' own lag from 7.0 on; before, Weir counts it, and marks it as not Redis' own.
    const QString mark = testserver::isAtLeast(7, 0) ? QString() : QStringLiteral("≈ ");
    QTRY_COMPARE(lagShown(), mark + QStringLiteral("10"));
    QCOMPARE(
        table->model()->index(rowShowing(table, "slow"), DashboardModel::Stream).data().toString(),
        QStringLiteral("orders"));
    add(25);
    QTRY_COMPARE(lagShown(), mark + QStringLiteral("35"));
    add(15);
    QTRY_COMPARE(lagShown(), mark + QStringLiteral("50"));
    // Its sparkline went up with it.
    const QList<double> points = table->model()
                                     ->index(rowShowing(table, "slow"), DashboardModel::Sparkline)
                                     .data(DashboardModel::SparklineRole)
                                     .value<QList<double>>();
    QVERIFY(points.contains(10.0));
    QVERIFY(points.contains(35.0));
    QCOMPARE(points.last(), 50.0);
    QVERIFY(gui::shownText(gui::child<QLabel>(m_view.get(), "dashboardStatus"))
                .contains(QStringLiteral("1 stream · 1 group watched")));
    monitor.stop();
}

// A real server with five streams and a monitor watching all of them up to the cap typed
// into the dashboard: a cap of 3 leaves two unwatched and the status line says so; a cap
// of 10 watches all five and the words go.
void TestDashboardView::saysWhenTheCapLeavesStreamsUnwatched()
{
    gui::LiveSession redis;
    GUI_START_SESSION(redis);
    QList<RedisCommand> commands;
    for (const QByteArray key : {"a", "b", "c", "d", "e"})
        commands.append(RedisCommand{{"XADD", key, "*", "n", "1"}, key});
    QVERIFY(redis.run(commands));

    StreamMonitor monitor;
    monitor.setConnection(redis.connection());
    monitor.setInterval(StreamMonitor::MinIntervalMs);
    connect(&monitor, &StreamMonitor::sampled, m_view.get(), &DashboardView::showFigures);
    // As the session does with the dashboard's settings.
    connect(m_view.get(), &DashboardView::samplingChanged, &monitor,
            [&monitor](int intervalMs, int cap, const QList<QByteArray> &streams) {
        monitor.setInterval(intervalMs);
        monitor.setWatchCap(cap);
        monitor.setWatched(streams);
    });
    auto *status = gui::child<QLabel>(m_view.get(), "dashboardStatus");
    auto *cap = gui::child<QSpinBox>(m_view.get(), "dashboardCap");
    gui::retype(cap, QStringLiteral("3"));
    QTest::keyClick(cap, Qt::Key_Return);
    QCOMPARE(cap->value(), 3);
    monitor.start();

    QTRY_VERIFY2(gui::shownText(status).contains(
                     QStringLiteral("watching 3 of 5 streams: raise the cap to watch all")),
                 qPrintable(gui::shownText(status)));
    QCOMPARE(monitor.watched().size(), 3);
    QVERIFY(gui::shownText(status).contains(QStringLiteral("3 streams · 0 groups watched")));

    gui::retype(cap, QStringLiteral("4"));
    QTest::keyClick(cap, Qt::Key_Return);
    QTRY_VERIFY2(gui::shownText(status).contains(QStringLiteral("watching 4 of 5 streams")),
                 qPrintable(gui::shownText(status)));

    gui::retype(cap, QStringLiteral("10"));
    QTest::keyClick(cap, Qt::Key_Return);
    QTRY_VERIFY2(gui::shownText(status).contains(QStringLiteral("5 streams · 0 groups watched")),
                 qPrintable(gui::shownText(status)));
    QVERIFY2(!gui::shownText(status).contains(QStringLiteral("raise the cap")),
             qPrintable(gui::shownText(status)));
    QCOMPARE(monitor.watched().size(), 5);
    monitor.stop();
}

QTEST_MAIN(TestDashboardView)
#include "tst_dashboardview.moc"
