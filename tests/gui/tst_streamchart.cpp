// The charts of a stream, offscreen, over a history fed with known figures: ranges, pause,
// legend toggling, hover values, gaps, and the PNG and CSV exports, driven as a user would;
// then over a week of history in a real HistoryStore (SQLite in a temporary directory):
// the older part loaded off the GUI thread with its min/max band, ranges switched without
// stalling the event loop, stale answers dropped, a read that fails.
#include "guitestsupport.h"

#include "historystore.h"
#include "serieshistory.h"
#include "streamchart.h"

#include <QAreaSeries>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QRegularExpression>

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

#include <cmath>

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

constexpr qint64 HourMs = 3600'000;
constexpr qint64 DayMs = 24 * HourMs;

// A week of monitoring at a 10 s tick, ending at WeekEnd: slow's lag follows the day
// (20 to 180) with a saw of 0 to 90 on top, but for one tick of 5,000 (a spike a tick wide,
// on day 3), and nothing was recorded for six hours of day 4 (Weir was closed).
constexpr int WeekIntervalMs = 10'000;
constexpr qint64 WeekEnd = T0 + 7 * DayMs;
constexpr qint64 SpikeAt = T0 + 2 * DayMs + 5 * HourMs + 30'000;
constexpr qint64 HoleFrom = T0 + 3 * DayMs + 2 * HourMs;
constexpr qint64 HoleTo = HoleFrom + 6 * HourMs;

MonitorFigures weekTick(qint64 timeMs)
{
    MonitorFigures f;
    f.timeMs = timeMs;
    const qint64 i = (timeMs - T0) / WeekIntervalMs;
    f.values.insert(key({}, Metric::AddedPerSecond), 10);
    f.values.insert(key("fast", Metric::Lag), 5);
    f.values.insert(key("fast", Metric::TimeLagMs), 500);
    f.values.insert(key("fast", Metric::Pending), 1);
    f.values.insert(key("fast", Metric::ReadPerSecond), 10);
    const double day = std::sin(double(timeMs - T0) / DayMs * 2 * M_PI);
    f.values.insert(key("slow", Metric::Lag),
                    timeMs == SpikeAt ? 5000 : 100 + 80 * day + double(i % 10) * 10);
    f.values.insert(key("slow", Metric::TimeLagMs), 20'000);
    f.values.insert(key("slow", Metric::Pending), double(i % 7));
    f.values.insert(key("slow", Metric::ReadPerSecond), 9);
    return f;
}

// The QAreaSeries bands of a line of `pane` (named after it), and the points of its lines.
QList<QAreaSeries *> bandsOf(QChartView *view, const QString &name)
{
    QList<QAreaSeries *> bands;
    const QList<QAbstractSeries *> series = view->chart()->series();
    for (QAbstractSeries *s : series) {
        auto *band = qobject_cast<QAreaSeries *>(s);
        if (band && band->name() == name && band->upperSeries()->count() > 0)
            bands.append(band);
    }
    return bands;
}

QList<QPointF> linePoints(QChartView *view, const QString &name)
{
    QList<QPointF> points;
    const QList<QAbstractSeries *> series = view->chart()->series();
    for (QAbstractSeries *s : series) {
        auto *line = qobject_cast<QLineSeries *>(s);
        if (line && line->name() == name)
            points += line->points();
    }
    return points;
}

double maxY(const QList<QPointF> &points)
{
    double top = -std::numeric_limits<double>::infinity();
    for (const QPointF &p : points)
        top = qMax(top, p.y());
    return top;
}

// The pen of the first line drawn in a pane (not a band, not a legend entry).
QPen linePen(QChartView *view)
{
    const QList<QAbstractSeries *> series = view->chart()->series();
    for (QAbstractSeries *s : series) {
        auto *line = qobject_cast<QLineSeries *>(s);
        if (line && line->count() > 0)
            return line->pen();
    }
    return {};
}

double minY(const QList<QPointF> &points)
{
    double bottom = std::numeric_limits<double>::infinity();
    for (const QPointF &p : points)
        bottom = qMin(bottom, p.y());
    return bottom;
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
    void aWeekLoadsFromTheStoreWithItsBand();
    void rangesSwitchWithoutStallingAndStaleAnswersAreDropped();
    void aFailedReadIsShown();

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

    // Picks `range` in the range box as a user would, with the keyboard.
    void chooseRange(StreamChart::Range range);
    // A week recorded into a store, the last hour into a ring too (built once).
    struct Week
    {
        QTemporaryDir dir;
        std::unique_ptr<HistoryStore> store;
        std::unique_ptr<SeriesHistory> ring;
    };
    static void record(Week *week, qint64 fromMs, qint64 toMs);
    Week *week();
    // A chart of the week's ring and store, shown at 1280 x 800.
    void openWeekChart(HistoryStore *store, SeriesHistory *ring);

    std::unique_ptr<SeriesHistory> m_history;
    std::unique_ptr<StreamChart> m_chart;
    std::unique_ptr<Week> m_week;
    QTemporaryDir m_dir;
};

void TestStreamChart::chooseRange(StreamChart::Range range)
{
    auto *box = gui::child<QComboBox>(m_chart.get(), "chartRange");
    box->setFocus();
    while (box->currentIndex() != int(range))
        QTest::keyClick(box, box->currentIndex() < int(range) ? Qt::Key_Down : Qt::Key_Up);
    QCOMPARE(m_chart->range(), range);
}

void TestStreamChart::record(Week *week, qint64 fromMs, qint64 toMs)
{
    for (qint64 t = fromMs; t < toMs; t += WeekIntervalMs) {
        if (t >= HoleFrom && t < HoleTo)
            continue;
        const MonitorFigures f = weekTick(t);
        week->store->record(f);
        if (week->ring && t >= WeekEnd - HourMs)
            week->ring->record(f);
    }
}

TestStreamChart::Week *TestStreamChart::week()
{
    if (m_week)
        return m_week.get();
    auto week = std::make_unique<Week>();
    if (!week->dir.isValid())
        return nullptr;
    week->store = std::make_unique<HistoryStore>(
        HistoryStore::pathFor(week->dir.path(), QStringLiteral("week")), HistoryRetention(),
        WeekIntervalMs);
    QSignalSpy ready(week->store.get(), &HistoryStore::ready);
    if (!ready.wait(10'000) || week->store->mode() != HistoryStore::Mode::Writing)
        return nullptr;
    week->ring = std::make_unique<SeriesHistory>(WeekIntervalMs, HourMs);
    record(week.get(), T0, WeekEnd);
    week->store->waitForWrites();
    m_week = std::move(week);
    return m_week.get();
}

void TestStreamChart::openWeekChart(HistoryStore *store, SeriesHistory *ring)
{
    m_chart = std::make_unique<StreamChart>(ring, store, "orders");
    m_chart->resize(1280, 800);
    m_chart->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_chart.get()));
    m_chart->redraw();
}

void TestStreamChart::init()
{
    m_history = std::make_unique<SeriesHistory>();
    for (int i = 0; i < Ticks; ++i)
        m_history->record(figuresAt(i));
    m_chart = std::make_unique<StreamChart>(m_history.get(), "orders");
    m_chart->resize(1280, 800);
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
    // The last 15 minutes, ending at the newest tick; no store, so the ring alone, at the
    // tick's resolution.
    QCOMPARE(m_chart->range(), StreamChart::Range::Minutes15);
    QCOMPARE(xAxis(P::LagEntries)->max().toMSecsSinceEpoch(), Last);
    QCOMPARE(axisSpanMs(), 15 * 60'000);
    QCOMPARE(m_chart->statusText(), u"Samples at 1 s"_s);
    QCOMPARE(m_chart->loadsRequested(), 0);
    // The reconnect is a gap: two runs.
    QCOMPARE(m_chart->segmentCount(P::LagEntries, u"slow"_s), 2);
    QCOMPARE(m_chart->segmentCount(P::Throughput, u"added/s"_s), 2);
    // Some 1.6 s a column: a column holds one tick or two. slow's read rate turns at every
    // tick (9, 10), so the columns of two are 9 to 10: a band behind the line, in each run;
    // its lag climbs a unit a tick, under a pixel per column: no band. Constant lines none.
    QCOMPARE(m_chart->bandCount(P::Throughput, u"read/s slow"_s), 2);
    QCOMPARE(m_chart->bandCount(P::LagEntries, u"slow"_s), 0);
    QCOMPARE(m_chart->bandCount(P::Throughput, u"added/s"_s), 0);
    const QList<QAreaSeries *> bands = bandsOf(m_chart->view(P::Throughput), u"read/s slow"_s);
    QCOMPARE(bands.size(), 2);
    for (QAreaSeries *band : bands) {
        // A column of one tick is 9 or 10 from top to bottom; one of two, 9 to 10.
        const QList<QPointF> upper = band->upperSeries()->points();
        const QList<QPointF> lower = band->lowerSeries()->points();
        QCOMPARE(maxY(upper), 10.0);
        QCOMPARE(minY(lower), 9.0);
        QVERIFY(minY(upper) >= 9.0);
        QVERIFY(maxY(lower) <= 10.0);
        // In the line's colour, faint: mixed into the pane's white beforehand, so opaque,
        // each channel a fifth of the way from white to the line's.
        const QColor fill = band->brush().color();
        const QColor line(0x2c, 0xa0, 0x2c);
        QCOMPARE(fill.alpha(), 255);
        for (int (QColor::*channel)() const : {&QColor::red, &QColor::green, &QColor::blue}) {
            const int toLine = 255 - (line.*channel)();
            const int toFill = 255 - (fill.*channel)();
            QVERIFY2(qAbs(toFill - toLine * 48 / 255) <= 1,
                     qPrintable(fill.name() + QLatin1Char(' ') + line.name()));
        }
    }
    // A straight climb takes each run's ends.
    QCOMPARE(m_chart->pointCount(P::LagEntries, u"slow"_s), 2 + 2);
    // The y axes fit what is drawn: slow's lag reaches 599, its time lag 599 s.
    QVERIFY(yAxis(P::LagEntries)->max() >= 599);
    QVERIFY(yAxis(P::LagEntries)->max() <= 1000);
    QVERIFY(yAxis(P::LagTime)->max() >= 599);
    QVERIFY(yAxis(P::LagTime)->max() <= 1000);
    QVERIFY(yAxis(P::Throughput)->max() >= 10);
    QVERIFY(yAxis(P::Throughput)->max() <= 20);

    // Five minutes: a column is under a tick wide, so every tick is its own column, drawn
    // as it is (slow's read rate, turning at each tick, keeps every point).
    m_chart->setCustomRange(Last - 300'000, Last);
    QCOMPARE(m_chart->pointCount(P::Throughput, u"read/s slow"_s), 251 + 40);
    QCOMPARE(m_chart->bandCount(P::Throughput, u"read/s slow"_s), 0);
}

void TestStreamChart::switchingRangesChangesTheAxis()
{
    using P = StreamChart::Pane;
    chooseRange(StreamChart::Range::Hour);
    QCOMPARE(axisSpanMs(), 60 * 60'000);
    // Seven seconds a column or so: the end is the newest tick rounded up to a whole column.
    const double plotWidth = m_chart->view(P::LagEntries)->chart()->plotArea().width();
    const double columnMs = 60 * 60'000.0 / plotWidth;
    const qint64 end = xAxis(P::Pending)->max().toMSecsSinceEpoch();
    QVERIFY2(end >= Last && end < Last + columnMs, qPrintable(QString::number(end - Last)));
    QCOMPARE(xAxis(P::Pending)->format(), QStringLiteral("HH:mm:ss"));
    // The ten minutes held are a sixth of the width, a point per column at most (the mean),
    // over the band of each column's min and max: 9 to 10 for slow's read rate throughout,
    // the gap still a gap.
    const int points = m_chart->pointCount(P::Throughput, u"read/s slow"_s);
    QVERIFY2(points <= plotWidth / 6 + 2 && points >= 2,
             qPrintable(QStringLiteral("%1 points, %2 px").arg(points).arg(plotWidth)));
    QCOMPARE(m_chart->segmentCount(P::LagEntries, u"slow"_s), 2);
    QCOMPARE(m_chart->bandCount(P::Throughput, u"read/s slow"_s), 2);
    const QList<QAreaSeries *> bands = bandsOf(m_chart->view(P::Throughput), u"read/s slow"_s);
    QCOMPARE(bands.size(), 2);
    QCOMPARE(maxY(bands.first()->upperSeries()->points()), 10.0);
    QCOMPARE(minY(bands.first()->lowerSeries()->points()), 9.0);
    // The means lie between, about 9.5 but where a run's end leaves a column one tick.
    int middling = 0;
    const QList<QPointF> means = linePoints(m_chart->view(P::Throughput), u"read/s slow"_s);
    for (const QPointF &p : means) {
        QVERIFY2(p.y() >= 9 && p.y() <= 10, qPrintable(QString::number(p.y())));
        middling += p.y() > 9.3 && p.y() < 9.7 ? 1 : 0;
    }
    QVERIFY2(middling >= means.size() - 4, qPrintable(QString::number(middling)));
    // slow's lag: each column's mean, its band a few entries high (a pixel or more now).
    QVERIFY(yAxis(P::LagEntries)->max() >= 599);
    QCOMPARE(m_chart->statusText(), u"Samples at 1 s"_s);

    chooseRange(StreamChart::Range::Hours6);
    QCOMPARE(axisSpanMs(), 6 * 60 * 60'000);
    QCOMPARE(xAxis(P::Pending)->format(), QStringLiteral("HH:mm"));
    chooseRange(StreamChart::Range::Hours24);
    QCOMPARE(axisSpanMs(), 24 * 60 * 60'000);
    QCOMPARE(xAxis(P::Pending)->format(), QStringLiteral("HH:mm"));
    // Reduced to the pane's width: ten minutes of a day is a few columns' worth.
    QVERIFY(m_chart->pointCount(P::LagEntries, u"slow"_s) < 20);
    chooseRange(StreamChart::Range::Days7);
    QCOMPARE(axisSpanMs(), 7 * DayMs);
    QCOMPARE(xAxis(P::Pending)->format(), QStringLiteral("MMM d"));
    chooseRange(StreamChart::Range::Days90);
    QCOMPARE(axisSpanMs(), 90 * DayMs);
    QCOMPARE(xAxis(P::Pending)->format(), QStringLiteral("MMM d"));
    // Without a store nothing is loaded: the ring is all there is.
    QCOMPARE(m_chart->loadsRequested(), 0);
    QVERIFY(m_chart->pointCount(P::LagEntries, u"slow"_s) >= 1);
    chooseRange(StreamChart::Range::Minutes15);
    QCOMPARE(axisSpanMs(), 15 * 60'000);
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
    QCOMPARE(axisSpanMs(), 15 * 60'000);

    // "To" an hour earlier (the hour section stepped down, as with the arrow key): before
    // "From", so refused with a reason, and the last valid range kept.
    to->setFocus();
    to->setCurrentSection(QDateTimeEdit::HourSection);
    QTest::keyClick(to, Qt::Key_Down);
    QCOMPARE(to->dateTime().toMSecsSinceEpoch(), Last - 3600'000);
    QVERIFY(hint->isVisible());
    QVERIFY(gui::shownText(hint).contains(u"before"_s));
    QCOMPARE(axisSpanMs(), 15 * 60'000);
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
    for (QAbstractSeries *s : series) {
        // Its segments and bands; its legend entry (no points) stays.
        auto *line = qobject_cast<QLineSeries *>(s);
        const bool drawn = !line || line->count() > 0;
        visibleSegments += s->isVisible() && drawn && s->name() == QStringLiteral("slow") ? 1 : 0;
    }
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
    // Five minutes: a column per tick, so the values are the samples.
    m_chart->setCustomRange(Last - 300'000, Last);
    const qint64 at = T0 + 400'000;
    QTest::mouseMove(m_chart->view(P::LagEntries)->viewport(), positionOf(P::LagEntries, at, 100));
    QTRY_VERIFY(m_chart->hoverText().contains(QStringLiteral("slow: 400")));
    QVERIFY(m_chart->hoverText().contains(QStringLiteral("fast: 5")));
    QVERIFY(!m_chart->hoverText().contains(QStringLiteral("mean")));
    QVERIFY(m_chart->hoverText().contains(
        QDateTime::fromMSecsSinceEpoch(at).toString(QStringLiteral("HH:mm:ss"))));
    // The time lag pane speaks in seconds.
    QTest::mouseMove(m_chart->view(P::LagTime)->viewport(), positionOf(P::LagTime, at, 100));
    QTRY_VERIFY(m_chart->hoverText().contains(QStringLiteral("slow: 400.0 s")));
    // In the gap there is no value.
    QTest::mouseMove(m_chart->view(P::Pending)->viewport(),
                     positionOf(P::Pending, T0 + 555'000, 1));
    QTRY_VERIFY(m_chart->hoverText().contains(QStringLiteral("slow: –")));

    // An hour: some seven ticks a column, so a column's mean and its min–max, over the
    // column's span of time.
    m_chart->setRange(StreamChart::Range::Hour);
    QTest::mouseMove(m_chart->view(P::LagEntries)->viewport(), positionOf(P::LagEntries, at, 100));
    QTRY_VERIFY(m_chart->hoverText().contains(QStringLiteral("slow: mean ")));
    const QRegularExpression bucket(QStringLiteral("slow: mean (\\d+), (\\d+)–(\\d+)"));
    const QRegularExpressionMatch match = bucket.match(m_chart->hoverText());
    QVERIFY2(match.hasMatch(), qPrintable(m_chart->hoverText()));
    const int mean = match.captured(1).toInt();
    const int low = match.captured(2).toInt();
    const int high = match.captured(3).toInt();
    QVERIFY2(low < high && high - low <= 9 && low <= mean && mean <= high && qAbs(low - 400) <= 9,
             qPrintable(m_chart->hoverText()));
    // fast's lag is 5 throughout: a mean of 5 between 5 and 5.
    QVERIFY2(m_chart->hoverText().contains(QStringLiteral("fast: mean 5, 5–5")),
             qPrintable(m_chart->hoverText()));
}

void TestStreamChart::csvExportWritesTheSamples()
{
    QVERIFY(m_dir.isValid());
    // Five minutes of the ring: its samples, a row per tick.
    m_chart->setCustomRange(Last - 300'000, Last);
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
    QVERIFY(gui::shownText(status).contains(QStringLiteral("Export failed")));
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
    QList<QXYSeries *> all; // every line's segments and every band's bounds
    for (int p = 0; p < StreamChart::PaneCount; ++p) {
        const QList<QAbstractSeries *> series =
            m_chart->view(StreamChart::Pane(p))->chart()->series();
        for (QAbstractSeries *s : series) {
            if (auto *line = qobject_cast<QLineSeries *>(s))
                all.append(line);
            if (auto *band = qobject_cast<QAreaSeries *>(s))
                all << band->upperSeries() << band->lowerSeries();
        }
    }
    QVERIFY(all.size() >= 9);
    std::vector<std::unique_ptr<QSignalSpy>> spies;
    for (QXYSeries *s : all)
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
    QXYSeries *slowLag = nullptr;
    for (size_t i = 0; i < spies.size(); ++i) {
        if (spies[i]->count() == 0)
            continue;
        QVERIFY2(!slowLag, qPrintable(all[int(i)]->name()));
        QCOMPARE(spies[i]->count(), 1);
        slowLag = all[int(i)];
    }
    QVERIFY(slowLag);
    QCOMPARE(slowLag->name(), u"slow"_s);
    QVERIFY(qobject_cast<QLineSeries *>(slowLag));
    QCOMPARE(slowLag->points().last(), QPointF(double(Last + 1000), 300));
}

void TestStreamChart::aMovingRangeDrawsTheNewPoints()
{
    // slow's lag drops from 599 to 300 on the newest tick; the range moves by a second.
    MonitorFigures f = figuresAt(Ticks);
    f.values.insert(key("slow", Metric::Lag), 300);
    m_history->record(f);
    m_chart->redraw();
    QCOMPARE(xAxis(StreamChart::Pane::LagEntries)->max().toMSecsSinceEpoch(), Last + 1000);
    QCOMPARE(yAxis(StreamChart::Pane::LagEntries)->max(), 1000.0);
    // The newest column holds the drop (alone, or with the tick before: its mean), and the
    // line reaches it, drawn in slow's colour (the second of the pane).
    QChartView *view = m_chart->view(StreamChart::Pane::LagEntries);
    const QList<QPointF> points = linePoints(view, u"slow"_s);
    QVERIFY(!points.isEmpty());
    QPointF newest = points.first();
    for (const QPointF &p : points)
        newest = p.x() > newest.x() ? p : newest;
    QVERIFY2(newest.y() >= 300 && newest.y() <= 449.5, qPrintable(QString::number(newest.y())));
    QVERIFY(newest.x() >= double(Last - 2000));
    const QImage image = view->viewport()->grab().toImage();
    const QPoint at = positionOf(StreamChart::Pane::LagEntries, qint64(newest.x()), newest.y())
                      * image.devicePixelRatio();
    bool red = false;
    for (int dy = -2; dy <= 2 && !red; ++dy) {
        for (int dx = -3; dx <= 0 && !red; ++dx) {
            const QColor c = image.pixelColor(at + QPoint(dx, dy));
            red = c.red() > 150 && c.green() < 140 && c.blue() < 140;
        }
    }
    QVERIFY2(red, qPrintable(u"no line at %1,%2"_s.arg(at.x()).arg(at.y())));
}

void TestStreamChart::denseLinesAreDrawnThin()
{
    using P = StreamChart::Pane;
    // Five minutes of 1 s ticks, under 300 points, on a pane some 560 px wide: drawn
    // 1.5 px wide, antialiased.
    const auto penOf = [this](P pane) { return linePen(m_chart->view(pane)).widthF(); };
    m_chart->setCustomRange(Last - 300'000, Last);
    QCOMPARE(penOf(P::Throughput), 1.5);
    QVERIFY(m_chart->view(P::Throughput)->renderHints().testFlag(QPainter::Antialiasing));
    // The ten minutes held, on the same pane: a point for most columns.
    m_chart->setCustomRange(T0, Last);
    const double plotWidth = m_chart->view(P::Throughput)->chart()->plotArea().width();
    QVERIFY(m_chart->pointCount(P::Throughput, u"read/s slow"_s) * 4 >= plotWidth * 3);
    QCOMPARE(penOf(P::Throughput), 1.0);
    QVERIFY(!m_chart->view(P::Throughput)->renderHints().testFlag(QPainter::Antialiasing));
    // Back to five minutes: wide again.
    m_chart->setCustomRange(Last - 300'000, Last);
    QCOMPARE(penOf(P::Throughput), 1.5);
    QVERIFY(m_chart->view(P::Throughput)->renderHints().testFlag(QPainter::Antialiasing));
}

void TestStreamChart::aWeekLoadsFromTheStoreWithItsBand()
{
    using P = StreamChart::Pane;
    Week *w = week();
    QVERIFY(w);
    openWeekChart(w->store.get(), w->ring.get());
    // The last 15 minutes: the ring holds them, the store is not asked.
    QCOMPARE(m_chart->loadsRequested(), 0);
    QCOMPARE(m_chart->statusText(), u"Samples at 10 s"_s);

    // Seven days: the last hour from the ring at once, the rest asked of the store (a
    // request a line) and drawn when it answers.
    m_chart->setRange(StreamChart::Range::Days7);
    QCOMPARE(axisSpanMs(), 7 * DayMs);
    QCOMPARE(xAxis(P::LagEntries)->format(), QStringLiteral("MMM d"));
    QCOMPARE(m_chart->loadsRequested(), 9);
    QVERIFY(m_chart->loadsPending() > 0);
    QVERIFY2(m_chart->statusText().contains(u"Loading history…"_s),
             qPrintable(m_chart->statusText()));
    QVERIFY(linePoints(m_chart->view(P::LagEntries), u"slow"_s).size() >= 1);
    QTRY_COMPARE_WITH_TIMEOUT(m_chart->loadsPending(), 0, 10'000);
    QTRY_VERIFY(!m_chart->statusText().contains(u"Loading"_s));
    // Drawn soon after the last answer.
    QTRY_VERIFY2(m_chart->statusText().startsWith(u"1-minute buckets, samples at 10 s from"_s),
                 qPrintable(m_chart->statusText()));

    // The week is drawn: from its first day to the ring's last tick.
    QChartView *lag = m_chart->view(P::LagEntries);
    const QList<QPointF> means = linePoints(lag, u"slow"_s);
    QVERIFY2(means.size() > 10, QByteArray::number(means.size()));
    double first = means.first().x();
    double last = first;
    for (const QPointF &p : means) {
        first = qMin(first, p.x());
        last = qMax(last, p.x());
    }
    const double columnMs = 7.0 * DayMs / lag->chart()->plotArea().width();
    QVERIFY2(first < double(T0) + 2 * columnMs, qPrintable(QString::number(first - T0)));
    // The newest column's middle, or its one tick.
    QVERIFY2(last >= double(w->ring->lastTimeMs()) - columnMs
                 && last <= double(m_chart->shownToMs()),
             qPrintable(QString::number(last - double(w->ring->lastTimeMs()))));
    // The spike of one tick: its column's band reaches 5,000, the line through the means
    // stays low (a column holds some 100 ticks).
    const QList<QAreaSeries *> bands = bandsOf(lag, u"slow"_s);
    QVERIFY(!bands.isEmpty());
    double bandTop = 0;
    double spikeAt = 0;
    for (QAreaSeries *band : bands) {
        for (const QPointF &p : band->upperSeries()->points()) {
            if (p.y() > bandTop) {
                bandTop = p.y();
                spikeAt = p.x();
            }
        }
    }
    QCOMPARE(bandTop, 5000.0);
    QVERIFY2(qAbs(spikeAt - double(SpikeAt)) <= columnMs, qPrintable(QString::number(spikeAt)));
    QVERIFY2(maxY(means) < 300, qPrintable(QString::number(maxY(means))));
    QVERIFY(yAxis(P::LagEntries)->max() >= 5000);
    // Hovering the spike's column: its mean, and its min–max up to the spike.
    QTest::mouseMove(lag->viewport(), positionOf(P::LagEntries, SpikeAt, 100));
    QTRY_VERIFY(m_chart->hoverText().contains(QStringLiteral("slow: mean ")));
    QVERIFY2(m_chart->hoverText().contains(QRegularExpression(u"slow: mean \\d+, \\d+–5,?000"_s)),
             qPrintable(m_chart->hoverText()));
    // The six hours nothing was recorded are a gap: two runs, no point inside it.
    QCOMPARE(m_chart->segmentCount(P::LagEntries, u"slow"_s), 2);
    for (const QPointF &p : means) {
        QVERIFY2(p.x() < double(HoleFrom) + columnMs || p.x() > double(HoleTo) - columnMs,
                 qPrintable(QDateTime::fromMSecsSinceEpoch(qint64(p.x())).toString()));
    }
    // Flat lines have no band: fast's lag is 5 all week.
    QCOMPARE(m_chart->bandCount(P::LagEntries, u"fast"_s), 0);
    QVERIFY(m_chart->bandCount(P::LagEntries, u"slow"_s) >= 1);

    // Live: a new tick redraws from the ring without asking the store again (the range has
    // not moved by a column).
    const int asked = m_chart->loadsRequested();
    m_chart->setRedrawInterval(20);
    QSignalSpy redrawn(m_chart.get(), &StreamChart::redrawn);
    w->ring->record(weekTick(WeekEnd));
    QVERIFY(redrawn.wait(2000));
    QCOMPARE(m_chart->loadsRequested(), asked);

    // The CSV of a range from buckets: a row per column, min, max and mean per line.
    const QString path = m_dir.filePath(QStringLiteral("week.csv"));
    QString error;
    QVERIFY2(m_chart->exportCsv(path, &error), qPrintable(error));
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QList<QByteArray> lines = file.readAll().split('\n');
    QVERIFY(lines.first().startsWith("time,added/s min,added/s max,added/s mean,lag fast min,"));
    QVERIFY(lines.size() > 300 && lines.size() < 1300);
    bool spikeRow = false;
    const int slowLagMax = int(lines.first().split(',').indexOf("lag slow max"));
    QVERIFY(slowLagMax > 0);
    for (const QByteArray &line : lines)
        spikeRow = spikeRow || line.split(',').value(slowLagMax) == "5000";
    QVERIFY(spikeRow);
}

void TestStreamChart::rangesSwitchWithoutStallingAndStaleAnswersAreDropped()
{
    using P = StreamChart::Pane;
    Week *w = week();
    QVERIFY(w);
    openWeekChart(w->store.get(), w->ring.get());

    // 90 days, then back to 7 before the store could answer: the 90-day answers are stale
    // when they come, and dropped; what is drawn is the week in minute buckets.
    m_chart->setRange(StreamChart::Range::Days90);
    QVERIFY2(m_chart->statusText().contains(u"Loading history…"_s),
             qPrintable(m_chart->statusText()));
    m_chart->setRange(StreamChart::Range::Days7);
    QCOMPARE(m_chart->loadsRequested(), 18);
    QTRY_COMPARE_WITH_TIMEOUT(m_chart->loadsPending(), 0, 10'000);
    QTRY_COMPARE(m_chart->staleReplies(), 9);
    QTRY_VERIFY2(m_chart->statusText().startsWith(u"1-minute buckets"_s),
                 qPrintable(m_chart->statusText()));
    QCOMPARE(maxY(linePoints(m_chart->view(P::LagEntries), u"slow"_s)) < 300, true);
    QCOMPARE(bandsOf(m_chart->view(P::LagEntries), u"slow"_s).isEmpty(), false);

    // A user going through the ranges fast, a key press every 15 ms, while a 5 ms timer measures
    // the longest time the event loop did not turn: the loads go on off the GUI thread.
    qint64 longestMs = 0;
    QElapsedTimer sinceTick;
    QTimer ticker;
    ticker.setTimerType(Qt::PreciseTimer);
    ticker.setInterval(5);
    connect(&ticker, &QTimer::timeout, &ticker,
            [&] { longestMs = qMax(longestMs, sinceTick.restart()); });
    const QList<StreamChart::Range> ranges = {
        StreamChart::Range::Days90, StreamChart::Range::Hours24, StreamChart::Range::Days7,
        StreamChart::Range::Hours6, StreamChart::Range::Days90,  StreamChart::Range::Hour,
        StreamChart::Range::Days7};
    QEventLoop loop;
    QTimer switcher;
    switcher.setInterval(15);
    int step = 0;
    auto *box = gui::child<QComboBox>(m_chart.get(), "chartRange");
    box->setFocus();
    // One key press a turn of the event loop, as a user's presses come.
    connect(&switcher, &QTimer::timeout, &switcher, [&] {
        if (step < 3 * ranges.size()) {
            const int target = int(ranges.at(step % ranges.size()));
            if (box->currentIndex() == target)
                ++step;
            else
                QTest::keyClick(box, box->currentIndex() < target ? Qt::Key_Down : Qt::Key_Up);
        } else if (m_chart->loadsPending() == 0) {
            loop.quit();
        }
    });
    QTimer::singleShot(20'000, &loop, &QEventLoop::quit); // a safety net
    sinceTick.start();
    ticker.start();
    switcher.start();
    loop.exec();
    ticker.stop();
    qInfo("longest event-loop stall while switching ranges: %lld ms", longestMs);
    QCOMPARE(step, 3 * int(ranges.size()));
    QCOMPARE(m_chart->loadsPending(), 0);
    // A redraw of four panes takes some milliseconds; the bound is generous for a machine
    // busy with other work. Reading weeks from disk is not waited on here.
    QVERIFY2(longestMs < 500,
             qPrintable(QStringLiteral("the event loop stalled %1 ms").arg(longestMs)));
    QTRY_VERIFY(m_chart->statusText().startsWith(u"1-minute buckets"_s));
    QCOMPARE(axisSpanMs(), 7 * DayMs);
    // The last answer is drawn on the chart's answer timer, a moment after it came.
    const auto bandTop = [&] {
        QList<QPointF> tops;
        for (QAreaSeries *band : bandsOf(m_chart->view(P::LagEntries), u"slow"_s))
            tops += band->upperSeries()->points();
        return maxY(tops);
    };
    QTRY_COMPARE(bandTop(), 5000.0);
}

void TestStreamChart::aFailedReadIsShown()
{
    using P = StreamChart::Pane;
    // A store with a day of history, whose file is then replaced by one that is not a
    // database (the store's writer keeps the old one open; its reader opens the path anew).
    auto failing = std::make_unique<Week>();
    QVERIFY(failing->dir.isValid());
    const QString path = HistoryStore::pathFor(failing->dir.path(), QStringLiteral("broken"));
    failing->store = std::make_unique<HistoryStore>(path, HistoryRetention(), WeekIntervalMs);
    QSignalSpy ready(failing->store.get(), &HistoryStore::ready);
    QVERIFY(ready.wait(10'000));
    failing->ring = std::make_unique<SeriesHistory>(WeekIntervalMs, HourMs);
    record(failing.get(), WeekEnd - DayMs, WeekEnd);
    failing->store->waitForWrites();
    for (const QString &suffix : {QString(), u"-wal"_s, u"-shm"_s}) {
        if (QFile::exists(path + suffix))
            QVERIFY(QFile::rename(path + suffix, path + suffix + u".moved"_s));
    }
    QFile garbage(path);
    QVERIFY(garbage.open(QIODevice::WriteOnly));
    garbage.write(QByteArray(8192, 'x'));
    garbage.close();

    QSignalSpy problem(failing->store.get(), &HistoryStore::problem);
    openWeekChart(failing->store.get(), failing->ring.get());
    chooseRange(StreamChart::Range::Hours24);
    QTRY_COMPARE_WITH_TIMEOUT(m_chart->loadsPending(), 0, 10'000);
    // The store's own words, in the status line, with what the chart does about it.
    QTRY_COMPARE(problem.count(), 1);
    const QString error = problem.at(0).at(0).toString();
    QVERIFY(!error.isEmpty());
    QTRY_VERIFY2(m_chart->statusText().contains(error), qPrintable(m_chart->statusText()));
    QVERIFY(m_chart->statusText().contains(u"what Weir holds in memory"_s));
    QTRY_VERIFY(!m_chart->statusText().contains(u"Loading"_s));
    // The last hour is drawn from the ring all the same.
    QVERIFY(m_chart->pointCount(P::LagEntries, u"slow"_s) >= 2);
    QCOMPARE(m_chart->segmentCount(P::LagEntries, u"slow"_s), 1);

    // The store closed while a load is pending (its connection closed): nothing is waited
    // for any more, and the ring is still drawn.
    m_chart->setRange(StreamChart::Range::Days7);
    QVERIFY(m_chart->loadsPending() > 0);
    failing->store.reset();
    QCOMPARE(m_chart->historyStore(), nullptr);
    QCOMPARE(m_chart->loadsPending(), 0);
    m_chart->redraw();
    QVERIFY(!m_chart->statusText().contains(u"Loading"_s));
    QCOMPARE(m_chart->statusText(), u"Samples at 10 s"_s);
    QVERIFY(m_chart->pointCount(P::LagEntries, u"slow"_s) >= 2);
    m_chart.reset();
}

QTEST_MAIN(TestStreamChart)
#include "tst_streamchart.moc"
