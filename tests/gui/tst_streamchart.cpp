// The charts of a stream, offscreen, over a history fed with known figures: ranges, pause,
// legend toggling, hover values, gaps, and the PNG and CSV exports, driven as a user would.
#include "guitestsupport.h"

#include "serieshistory.h"
#include "streamchart.h"

#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QDateTimeAxis>
#include <QDateTimeEdit>
#include <QGraphicsTextItem>
#include <QImage>
#include <QLabel>
#include <QLegend>
#include <QLineSeries>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QValueAxis>
#include <QtTest>

using namespace Qt::StringLiterals;

namespace {

constexpr qint64 T0 = 1'700'000'000'000; // 2023-11-14T22:13:20Z
constexpr int Ticks = 600;               // ten minutes at 1 s
constexpr qint64 Last = T0 + (Ticks - 1) * 1000;

SeriesKey key(const QByteArray &group, Metric metric)
{
    return SeriesKey{"orders", group, {}, metric};
}

// Tick i: 10 added/s; "fast" keeps up (lag 5, read 10/s); "slow" falls behind (lag i,
// i seconds old, read 9/s on even ticks and 10/s on odd ones, a line that turns at every
// tick), with i % 7 pending. Ticks 550-559 failed (a reconnect).
MonitorFigures figuresAt(int i)
{
    MonitorFigures f;
    f.timeMs = T0 + qint64(i) * 1000;
    if (i >= 550 && i < 560) {
        f.ok = false;
        f.error = QStringLiteral("Connection refused");
        return f;
    }
    f.values.insert(key({}, Metric::AddedPerSecond), 10);
    f.values.insert(key("fast", Metric::Lag), 5);
    f.values.insert(key("fast", Metric::TimeLagMs), 500);
    f.values.insert(key("fast", Metric::Pending), 1);
    f.values.insert(key("fast", Metric::ReadPerSecond), 10);
    f.values.insert(key("slow", Metric::Lag), i);
    f.values.insert(key("slow", Metric::TimeLagMs), i * 1000.0);
    f.values.insert(key("slow", Metric::Pending), i % 7);
    f.values.insert(key("slow", Metric::ReadPerSecond), 9 + i % 2);
    return f;
}

} // namespace

class TestStreamChart : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();
    void opensOverKnownFigures();
    void switchingRangesChangesTheAxis();
    void customRangeValidatesAsTyped();
    void newTicksRedrawOnTheTimer();
    void pauseStopsRedraws();
    void legendClickTogglesALine();
    void hoverShowsValuesAtTheCursor();
    void csvExportWritesTheSamples();
    void pngExportWritesAnImage();
    void newGroupsAppear();
    void unchangedLinesAreNotReplaced();
    void aMovingRangeDrawsTheNewPoints();
    void denseLinesAreDrawnThin();

private:
    QDateTimeAxis *xAxis(StreamChart::Pane pane) const
    {
        const auto axes = m_chart->view(pane)->chart()->axes(Qt::Horizontal);
        return qobject_cast<QDateTimeAxis *>(axes.value(0));
    }
    QValueAxis *yAxis(StreamChart::Pane pane) const
    {
        const auto axes = m_chart->view(pane)->chart()->axes(Qt::Vertical);
        return qobject_cast<QValueAxis *>(axes.value(0));
    }
    qint64 axisSpanMs() const
    {
        QDateTimeAxis *x = xAxis(StreamChart::Pane::LagEntries);
        return x->max().toMSecsSinceEpoch() - x->min().toMSecsSinceEpoch();
    }
    // Clicks the legend entry `name` of `pane` where it is drawn.
    void clickLegend(StreamChart::Pane pane, const QString &name);
    // The viewport position of (timeMs, value) in `pane`.
    QPoint positionOf(StreamChart::Pane pane, qint64 timeMs, double value) const;

    std::unique_ptr<SeriesHistory> m_history;
    std::unique_ptr<StreamChart> m_chart;
    QTemporaryDir m_dir;
};

void TestStreamChart::init()
{
    m_history = std::make_unique<SeriesHistory>();
    for (int i = 0; i < Ticks; ++i)
        m_history->record(figuresAt(i));
    m_chart = std::make_unique<StreamChart>(m_history.get(), "orders");
    m_chart->resize(1100, 760);
    m_chart->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_chart.get()));
    m_chart->redraw(); // at its laid-out size
}

void TestStreamChart::cleanup()
{
    m_chart.reset();
    m_history.reset();
}

void TestStreamChart::clickLegend(StreamChart::Pane pane, const QString &name)
{
    QChartView *view = m_chart->view(pane);
    const QList<QGraphicsItem *> items = view->scene()->items();
    QGraphicsItem *label = nullptr;
    for (QGraphicsItem *item : items) {
        auto *text = dynamic_cast<QGraphicsTextItem *>(item);
        if (text && text->isVisible() && text->toPlainText() == name
            && view->chart()->legend()->isAncestorOf(text))
            label = text;
    }
    QVERIFY2(label, qPrintable(name));
    const QPoint at = view->mapFromScene(label->sceneBoundingRect().center());
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, at);
}

QPoint TestStreamChart::positionOf(StreamChart::Pane pane, qint64 timeMs, double value) const
{
    QChartView *view = m_chart->view(pane);
    const QPointF chartPos = view->chart()->mapToPosition(QPointF(double(timeMs), value));
    return view->mapFromScene(view->chart()->mapToScene(chartPos));
}

void TestStreamChart::opensOverKnownFigures()
{
    using P = StreamChart::Pane;
    QCOMPARE(m_chart->lineNames(P::LagEntries), (QStringList{u"fast"_s, u"slow"_s}));
    QCOMPARE(m_chart->lineNames(P::LagTime), (QStringList{u"fast"_s, u"slow"_s}));
    QCOMPARE(m_chart->lineNames(P::Pending), (QStringList{u"fast"_s, u"slow"_s}));
    QCOMPARE(m_chart->lineNames(P::Throughput),
             (QStringList{u"added/s"_s, u"read/s fast"_s, u"read/s slow"_s}));
    // The last 5 minutes, ending at the newest tick.
    QCOMPARE(m_chart->range(), StreamChart::Range::Minutes5);
    QCOMPARE(xAxis(P::LagEntries)->max().toMSecsSinceEpoch(), Last);
    QCOMPARE(axisSpanMs(), 5 * 60'000);
    // The reconnect is a gap: two runs, 251 ticks before it (299-549) and 40 after. Every
    // tick of slow's read rate is drawn; its lag, a straight climb, takes each run's ends.
    QCOMPARE(m_chart->segmentCount(P::LagEntries, u"slow"_s), 2);
    QCOMPARE(m_chart->pointCount(P::Throughput, u"read/s slow"_s), 251 + 40);
    QCOMPARE(m_chart->pointCount(P::LagEntries, u"slow"_s), 2 + 2);
    QCOMPARE(m_chart->segmentCount(P::Throughput, u"added/s"_s), 2);
    // The y axes fit what is drawn: slow's lag reaches 599, its time lag 599 s.
    QVERIFY(yAxis(P::LagEntries)->max() >= 599);
    QVERIFY(yAxis(P::LagEntries)->max() <= 1000);
    QVERIFY(yAxis(P::LagTime)->max() >= 599);
    QVERIFY(yAxis(P::LagTime)->max() <= 1000);
    QVERIFY(yAxis(P::Throughput)->max() >= 10);
    QVERIFY(yAxis(P::Throughput)->max() <= 20);
}

void TestStreamChart::switchingRangesChangesTheAxis()
{
    auto *box = gui::child<QComboBox>(m_chart.get(), "chartRange");
    box->setFocus();
    QTest::keyClick(box, Qt::Key_Down);
    QCOMPARE(m_chart->range(), StreamChart::Range::Hour);
    QCOMPARE(axisSpanMs(), 60 * 60'000);
    // Six seconds a pixel or so: the end is the newest tick rounded up to a whole column.
    const double columnMs =
        60 * 60'000.0 / m_chart->view(StreamChart::Pane::LagEntries)->chart()->plotArea().width();
    const qint64 end = xAxis(StreamChart::Pane::Pending)->max().toMSecsSinceEpoch();
    QVERIFY2(end >= Last && end < Last + columnMs, qPrintable(QString::number(end - Last)));
    QCOMPARE(xAxis(StreamChart::Pane::Pending)->format(), QStringLiteral("HH:mm:ss"));
    // Now all ten minutes are in range, a sixth of the width: 590 samples decimated to
    // at most two points per pixel column, the gap still a gap.
    const int plotWidth =
        int(m_chart->view(StreamChart::Pane::Throughput)->chart()->plotArea().width());
    const int hourPoints = m_chart->pointCount(StreamChart::Pane::Throughput, u"read/s slow"_s);
    QVERIFY2(hourPoints <= 2 * (plotWidth / 6 + 2) && hourPoints > plotWidth / 6,
             qPrintable(QStringLiteral("%1 points, %2 px").arg(hourPoints).arg(plotWidth)));
    QCOMPARE(m_chart->segmentCount(StreamChart::Pane::LagEntries, u"slow"_s), 2);
    QVERIFY(yAxis(StreamChart::Pane::LagEntries)->max() >= 599);
    QTest::keyClick(box, Qt::Key_Down);
    QCOMPARE(m_chart->range(), StreamChart::Range::Hours24);
    QCOMPARE(axisSpanMs(), 24 * 60 * 60'000);
    QCOMPARE(xAxis(StreamChart::Pane::Pending)->format(), QStringLiteral("HH:mm"));
    // Decimated to the pane's width: ten minutes of a day is a few pixels' worth.
    QVERIFY(m_chart->pointCount(StreamChart::Pane::LagEntries, u"slow"_s) < 100);
    QTest::keyClick(box, Qt::Key_Up);
    QTest::keyClick(box, Qt::Key_Up);
    QCOMPARE(axisSpanMs(), 5 * 60'000);
}

void TestStreamChart::customRangeValidatesAsTyped()
{
    auto *box = gui::child<QComboBox>(m_chart.get(), "chartRange");
    auto *from = gui::child<QDateTimeEdit>(m_chart.get(), "chartFrom");
    auto *to = gui::child<QDateTimeEdit>(m_chart.get(), "chartTo");
    auto *hint = gui::child<QLabel>(m_chart.get(), "chartRangeHint");
    QVERIFY(!from->isVisible());
    box->setFocus();
    QTest::keyClick(box, Qt::Key_End);
    QCOMPARE(m_chart->range(), StreamChart::Range::Custom);
    QVERIFY(from->isVisible());
    QVERIFY(to->isVisible());
    // Starts as what was shown.
    QCOMPARE(axisSpanMs(), 5 * 60'000);

    // "To" an hour earlier (the hour section stepped down, as with the arrow key): before
    // "From", so refused with a reason, and the last valid range kept.
    to->setFocus();
    to->setCurrentSection(QDateTimeEdit::HourSection);
    QTest::keyClick(to, Qt::Key_Down);
    QCOMPARE(to->dateTime().toMSecsSinceEpoch(), Last - 3600'000);
    QVERIFY(hint->isVisible());
    QVERIFY(gui::shownText(hint).contains(u"before"_s));
    QCOMPARE(axisSpanMs(), 5 * 60'000);
    QCOMPARE(m_chart->shownToMs(), Last);
    // Two minutes from the start (set as the calendar popup would).
    from->setDateTime(QDateTime::fromMSecsSinceEpoch(T0));
    QVERIFY(hint->isVisible());
    to->setDateTime(QDateTime::fromMSecsSinceEpoch(T0 + 120'000));
    QVERIFY(!hint->isVisible());
    QCOMPARE(xAxis(StreamChart::Pane::LagEntries)->min().toMSecsSinceEpoch(), T0);
    QCOMPARE(axisSpanMs(), 120'000);
    QCOMPARE(m_chart->pointCount(StreamChart::Pane::Throughput, u"read/s slow"_s), 121);
    QVERIFY(yAxis(StreamChart::Pane::LagEntries)->max() < 599);
}

void TestStreamChart::newTicksRedrawOnTheTimer()
{
    m_chart->setRedrawInterval(20);
    QSignalSpy redrawn(m_chart.get(), &StreamChart::redrawn);
    // Nothing new: no redraw.
    QVERIFY(!redrawn.wait(200));
    m_history->record(figuresAt(Ticks));
    m_history->record(figuresAt(Ticks + 1));
    QTRY_COMPARE(m_chart->shownToMs(), Last + 2000);
    QCOMPARE(xAxis(StreamChart::Pane::LagEntries)->max().toMSecsSinceEpoch(), Last + 2000);
    // Both ticks in one redraw tick, or at most one redraw each.
    QVERIFY(redrawn.count() >= 1 && redrawn.count() <= 2);
}

void TestStreamChart::pauseStopsRedraws()
{
    m_chart->setRedrawInterval(20);
    auto *pause = gui::child<QPushButton>(m_chart.get(), "chartPause");
    QTest::mouseClick(pause, Qt::LeftButton);
    QVERIFY(m_chart->isPaused());
    QCOMPARE(pause->text(), QStringLiteral("Resume"));
    const int before = m_chart->redrawCount();
    QSignalSpy redrawn(m_chart.get(), &StreamChart::redrawn);
    for (int i = Ticks; i < Ticks + 30; ++i)
        m_history->record(figuresAt(i));
    QVERIFY(!redrawn.wait(300));
    QCOMPARE(m_chart->redrawCount(), before);
    QCOMPARE(xAxis(StreamChart::Pane::LagEntries)->max().toMSecsSinceEpoch(), Last);
    // Recording went on: resuming shows the newest ticks.
    QCOMPARE(m_history->lastTimeMs(), Last + 30'000);
    QTest::mouseClick(pause, Qt::LeftButton);
    QVERIFY(!m_chart->isPaused());
    QTRY_COMPARE(xAxis(StreamChart::Pane::LagEntries)->max().toMSecsSinceEpoch(), Last + 30'000);
}

void TestStreamChart::legendClickTogglesALine()
{
    using P = StreamChart::Pane;
    QVERIFY(m_chart->isLineVisible(P::LagEntries, u"slow"_s));
    const double shownTop = yAxis(P::LagEntries)->max();
    clickLegend(P::LagEntries, QStringLiteral("slow"));
    QVERIFY(!m_chart->isLineVisible(P::LagEntries, u"slow"_s));
    QVERIFY(m_chart->isLineVisible(P::LagEntries, u"fast"_s));
    QVERIFY(m_chart->isLineVisible(P::Pending, u"slow"_s)); // only that pane's line
    // Every segment of the line is hidden, and the axis fits what is left (fast: lag 5).
    int visibleSegments = 0;
    const auto series = m_chart->view(P::LagEntries)->chart()->series();
    for (QAbstractSeries *s : series)
        visibleSegments += s->isVisible() && s->name() == QStringLiteral("slow") ? 1 : 0;
    QCOMPARE(visibleSegments, 0);
    QVERIFY(yAxis(P::LagEntries)->max() < shownTop);
    QVERIFY(yAxis(P::LagEntries)->max() <= 10);
    // The legend entry stays, so it can be clicked back.
    clickLegend(P::LagEntries, QStringLiteral("slow"));
    QVERIFY(m_chart->isLineVisible(P::LagEntries, u"slow"_s));
    QCOMPARE(yAxis(P::LagEntries)->max(), shownTop);
}

void TestStreamChart::hoverShowsValuesAtTheCursor()
{
    using P = StreamChart::Pane;
    const qint64 at = T0 + 400'000;
    QTest::mouseMove(m_chart->view(P::LagEntries)->viewport(), positionOf(P::LagEntries, at, 100));
    QTRY_VERIFY(m_chart->hoverText().contains(QStringLiteral("slow: 400")));
    QVERIFY(m_chart->hoverText().contains(QStringLiteral("fast: 5")));
    QVERIFY(m_chart->hoverText().contains(
        QDateTime::fromMSecsSinceEpoch(at).toString(QStringLiteral("HH:mm:ss"))));
    // The time lag pane speaks in seconds.
    QTest::mouseMove(m_chart->view(P::LagTime)->viewport(), positionOf(P::LagTime, at, 100));
    QTRY_VERIFY(m_chart->hoverText().contains(QStringLiteral("slow: 400.0 s")));
    // In the gap there is no value.
    QTest::mouseMove(m_chart->view(P::Pending)->viewport(),
                     positionOf(P::Pending, T0 + 555'000, 1));
    QTRY_VERIFY(m_chart->hoverText().contains(QStringLiteral("slow: –")));
}

void TestStreamChart::csvExportWritesTheSamples()
{
    QVERIFY(m_dir.isValid());
    const QString path = m_dir.filePath(QStringLiteral("orders.csv"));
    QString suggested;
    m_chart->setFileChooser([&](const QString &, const QString &name, const QString &) {
        suggested = name;
        return path;
    });
    QTest::mouseClick(gui::child<QPushButton>(m_chart.get(), "chartExportCsv"), Qt::LeftButton);
    QVERIFY(suggested.startsWith(QStringLiteral("orders-")) && suggested.endsWith(u".csv"_s));
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QList<QByteArray> lines = file.readAll().split('\n');
    QCOMPARE(lines.first(), QByteArray("time,added/s,lag fast,lag_seconds fast,pending fast,"
                                       "read/s fast,lag slow,lag_seconds slow,pending slow,"
                                       "read/s slow"));
    // 5 minutes of ticks, both ends included, then the final newline.
    QCOMPARE(lines.size(), 1 + 301 + 1);
    QVERIFY(lines.last().isEmpty());
    // Tick 400 and a tick of the reconnect.
    const int row400 = 1 + (400 - 299);
    QCOMPARE(lines.at(row400), QByteArray("2023-11-14T22:20:00.000Z,10,5,0.5,1,10,400,400,1,9"));
    QCOMPARE(lines.at(row400 + 152), QByteArray("2023-11-14T22:22:32.000Z,,,,,,,,,"));
    const auto *status = gui::child<QLabel>(m_chart.get(), "chartStatus");
    QVERIFY(gui::shownText(status).contains(path));

    // A file that cannot be written: the reason is shown.
    const QString bad = m_dir.filePath(QStringLiteral("missing/dir/x.csv"));
    m_chart->setFileChooser([&](const QString &, const QString &, const QString &) { return bad; });
    QTest::mouseClick(gui::child<QPushButton>(m_chart.get(), "chartExportCsv"), Qt::LeftButton);
    QVERIFY(gui::shownText(status).startsWith(QStringLiteral("Export failed")));
}

void TestStreamChart::pngExportWritesAnImage()
{
    const QString path = m_dir.filePath(QStringLiteral("orders.png"));
    m_chart->setFileChooser(
        [&](const QString &, const QString &, const QString &) { return path; });
    const QSize panes = m_chart->view(StreamChart::Pane::LagEntries)->parentWidget()->size();
    QTest::mouseClick(gui::child<QPushButton>(m_chart.get(), "chartExportPng"), Qt::LeftButton);
    QImage image(path);
    QVERIFY(!image.isNull());
    QCOMPARE(image.size(), panes * image.devicePixelRatio());
    // The lines are in it: the first line colour of each pane (fast's lag) shows somewhere.
    int blue = 0;
    for (int y = 0; y < image.height(); ++y) {
        for (int x = 0; x < image.width(); ++x)
            blue += image.pixelColor(x, y) == QColor(0x1f, 0x77, 0xb4) ? 1 : 0;
    }
    QVERIFY2(blue > 100, QByteArray::number(blue));
}

void TestStreamChart::newGroupsAppear()
{
    m_chart->setRedrawInterval(20);
    MonitorFigures f = figuresAt(Ticks);
    f.values.insert(key("late", Metric::Lag), 3);
    m_history->record(f);
    QTRY_COMPARE(m_chart->lineNames(StreamChart::Pane::LagEntries),
                 (QStringList{u"fast"_s, u"late"_s, u"slow"_s}));
    QCOMPARE(m_chart->pointCount(StreamChart::Pane::LagEntries, u"late"_s), 1);
    // Named groups: only those.
    m_chart->setGroups({"slow"});
    QCOMPARE(m_chart->lineNames(StreamChart::Pane::Pending), QStringList{u"slow"_s});
}

void TestStreamChart::unchangedLinesAreNotReplaced()
{
    // A fixed range taking in the next tick; the y axes stay as they are.
    m_chart->setCustomRange(T0 + 300'000, Last + 60'000);
    QList<QLineSeries *> all;
    for (int p = 0; p < StreamChart::PaneCount; ++p) {
        const QList<QAbstractSeries *> series =
            m_chart->view(StreamChart::Pane(p))->chart()->series();
        for (QAbstractSeries *s : series)
            all.append(qobject_cast<QLineSeries *>(s));
    }
    QVERIFY(all.size() >= 9);
    std::vector<std::unique_ptr<QSignalSpy>> spies;
    for (QLineSeries *s : all)
        spies.push_back(std::make_unique<QSignalSpy>(s, &QXYSeries::pointsReplaced));
    // Nothing new: nothing handed to Qt Charts again.
    m_chart->redraw();
    for (const auto &spy : spies)
        QCOMPARE(spy->count(), 0);
    // A tick with only slow's lag: that line alone is replaced.
    MonitorFigures f;
    f.timeMs = Last + 1000;
    f.values.insert(key("slow", Metric::Lag), 300);
    m_history->record(f);
    m_chart->redraw();
    QLineSeries *slowLag = nullptr;
    for (size_t i = 0; i < spies.size(); ++i) {
        if (spies[i]->count() == 0)
            continue;
        QVERIFY2(!slowLag, qPrintable(all[i]->name()));
        QCOMPARE(spies[i]->count(), 1);
        slowLag = all[int(i)];
    }
    QVERIFY(slowLag);
    QCOMPARE(slowLag->name(), u"slow"_s);
    QCOMPARE(slowLag->points().last(), QPointF(double(Last + 1000), 300));
}

void TestStreamChart::aMovingRangeDrawsTheNewPoints()
{
    // slow's lag drops from 599 to 0 on the newest tick; the range moves by a second.
    MonitorFigures f = figuresAt(Ticks);
    f.values.insert(key("slow", Metric::Lag), 0);
    m_history->record(f);
    m_chart->redraw();
    QCOMPARE(xAxis(StreamChart::Pane::LagEntries)->max().toMSecsSinceEpoch(), Last + 1000);
    QCOMPARE(yAxis(StreamChart::Pane::LagEntries)->max(), 1000.0);
    // The drop is drawn in slow's colour (the second of the pane) halfway down the new
    // last step; nothing of slow was there before.
    QChartView *view = m_chart->view(StreamChart::Pane::LagEntries);
    const QImage image = view->viewport()->grab().toImage();
    const QPoint mid =
        positionOf(StreamChart::Pane::LagEntries, Last + 500, 300) * image.devicePixelRatio();
    bool red = false;
    for (int dy = -2; dy <= 2 && !red; ++dy) {
        for (int dx = -3; dx <= 3 && !red; ++dx) {
            const QColor c = image.pixelColor(mid + QPoint(dx, dy));
            red = c.red() > 150 && c.green() < 140 && c.blue() < 140;
        }
    }
    QVERIFY2(red, qPrintable(u"no line at %1,%2"_s.arg(mid.x()).arg(mid.y())));
}

void TestStreamChart::denseLinesAreDrawnThin()
{
    using P = StreamChart::Pane;
    // Five minutes of 1 s ticks, under 300 points, on a pane some 500 px wide: drawn
    // 1.5 px wide, antialiased.
    const auto penOf = [this](P pane) {
        return qobject_cast<QLineSeries *>(m_chart->view(pane)->chart()->series().first())
            ->pen()
            .widthF();
    };
    QCOMPARE(penOf(P::Throughput), 1.5);
    QVERIFY(m_chart->view(P::Throughput)->renderHints().testFlag(QPainter::Antialiasing));
    // The ten minutes held, on the same pane: more points than pixels.
    m_chart->setCustomRange(T0, Last);
    QVERIFY(m_chart->pointCount(P::Throughput, u"read/s slow"_s)
            > m_chart->view(P::Throughput)->width());
    QCOMPARE(penOf(P::Throughput), 1.0);
    QVERIFY(!m_chart->view(P::Throughput)->renderHints().testFlag(QPainter::Antialiasing));
    // Back to five minutes: wide again.
    m_chart->setRange(StreamChart::Range::Minutes5);
    QCOMPARE(penOf(P::Throughput), 1.5);
    QVERIFY(m_chart->view(P::Throughput)->renderHints().testFlag(QPainter::Antialiasing));
}

QTEST_MAIN(TestStreamChart)
#include "tst_streamchart.moc"
