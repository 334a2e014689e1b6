// Redraw time of a stream's charts over a full day of 1 s samples, and what the history
// costs in memory.
//
//   bench_chart [--quick] [groups] [rounds]     (default 3 groups: 13 series; 21 rounds;
//                                                --quick: 3 groups, 7 rounds)
//
// One stream with `groups` groups: 1 + 4 * groups series of 86,400 ticks each. A redraw is
// what the chart does once per redraw tick: read each line's samples for the range,
// decimate them to the pane's width, QLineSeries::replace(); then the four panes are
// rendered into an offscreen image (what a repaint costs). Medians of `rounds`: first of
// the same day redrawn (chart_redraw_*), then as live, a new tick recorded before each
// redraw (chart_live_redraw_*; on this range the view moves once per pixel column of
// ticks), then as live on the ticks that move the view (chart_live_step_redraw_*).
// Output: one `name value unit` line per figure, then BENCH lines: each kind of redraw
// under 16 ms (issue 6's target), and the history's measured heap per series within what
// SeriesHistory::bytesPerSeries() claims.
#include "benchsupport.h"
#include "decimation.h"
#include "serieshistory.h"
#include "streamchart.h"

#include <QApplication>
#include <QChartView>
#include <QElapsedTimer>
#include <QImage>
#include <QPainter>

#include <cmath>
#include <malloc.h>

namespace {

// Heap in use, including blocks malloc took straight from mmap (the time ring).
size_t heapInUse()
{
    malloc_trim(0);
    const struct mallinfo2 info = mallinfo2();
    return info.uordblks + info.hblkhd;
}

constexpr qint64 T0 = 1'700'000'000'000;
constexpr int Day = 86'400;

// A day of figures of a busy stream: noisy rates, a slow group whose lag climbs and
// drains, a few spikes, a five-minute reconnect.
MonitorFigures dayTick(int i, int groups)
{
    MonitorFigures f;
    f.timeMs = T0 + qint64(i) * 1000;
    if (i >= 40'000 && i < 40'300) {
        f.ok = false;
        return f;
    }
    const double wave = std::sin(i / 3000.0);
    f.values.insert(SeriesKey{"orders", {}, {}, Metric::AddedPerSecond},
                    200 + 50 * wave + (i % 17));
    for (int g = 0; g < groups; ++g) {
        const QByteArray group = "group-" + QByteArray::number(g);
        const double lag = g == 0 ? (i % 7200) * 0.5 : 20 + (i % 13) + (i % 5000 == 0 ? 9000 : 0);
        f.values.insert(SeriesKey{"orders", group, {}, Metric::Lag}, lag);
        f.values.insert(SeriesKey{"orders", group, {}, Metric::TimeLagMs}, lag * 5);
        f.values.insert(SeriesKey{"orders", group, {}, Metric::Pending}, 10 + (i % 31));
        f.values.insert(SeriesKey{"orders", group, {}, Metric::ReadPerSecond}, 195 + 40 * wave);
    }
    return f;
}

} // namespace

int main(int argc, char **argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QStringList args = app.arguments().mid(1);
    const bool quick = takeQuick(&args);
    const int groups = std::max(1, args.value(0, QStringLiteral("3")).toInt());
    const int rounds =
        std::max(1, args.value(1, quick ? QStringLiteral("7") : QStringLiteral("21")).toInt());
    const int seriesCount = 1 + 4 * groups;

    // Filling the history: the GUI thread's cost of record() per tick.
    const size_t heapBefore = heapInUse();
    SeriesHistory history;
    QElapsedTimer timer;
    QList<double> recordUs;
    for (int i = 0; i < Day; ++i) {
        const MonitorFigures f = dayTick(i, groups);
        timer.start();
        history.record(f);
        if (i % 100 == 0)
            recordUs.append(timer.nsecsElapsed() / 1000.0);
    }
    const size_t heapAfter = heapInUse();
    figure("history_series", seriesCount, "series");
    figure("history_points_per_series", history.tickCount(), "points");
    figure("history_record_per_tick", median(recordUs), "us");
    figure("history_bytes_per_series_claimed", history.bytesPerSeries() / 1024.0, "KiB");
    const double timeRing = history.capacity() * 8.0;
    figure("history_bytes_per_series_counted",
           (history.memoryBytes() - timeRing) / seriesCount / 1024.0, "KiB");
    const double heapPerSeries = (double(heapAfter - heapBefore) - timeRing) / seriesCount;
    figure("history_heap_per_series_measured", heapPerSeries / 1024.0, "KiB");
    figure("history_time_ring", timeRing / 1024.0, "KiB");

    // Decimation alone, one series of a day to 1,000 px.
    const SeriesKey lag{"orders", "group-0", {}, Metric::Lag};
    QList<double> decimateMs;
    qsizetype decimatedPoints = 0;
    for (int r = 0; r < rounds; ++r) {
        timer.start();
        const Segments segments = history.decimated(lag, T0, T0 + Day * 1000LL, 1000);
        decimateMs.append(timer.nsecsElapsed() / 1e6);
        decimatedPoints = pointCount(segments);
    }
    figure("decimate_day_to_1000px", median(decimateMs), "ms");
    figure("decimate_day_to_1000px_points", double(decimatedPoints), "points");

    // The chart over the whole day, 1280 x 800, every pane shown.
    StreamChart chart(&history, "orders");
    chart.resize(1280, 800);
    chart.show();
    QApplication::processEvents();
    chart.setRange(StreamChart::Range::Hours24);
    QWidget *panes = chart.view(StreamChart::Pane::LagEntries)->parentWidget();
    QImage image(panes->size(), QImage::Format_ARGB32_Premultiplied);
    // A redraw, timed in two parts: reading, decimating and handing the lines to Qt Charts;
    // then painting the four panes into an offscreen image.
    struct Times
    {
        QList<double> replaceMs;
        QList<double> renderMs;
        QList<double> totalMs;
    };
    const auto timedRedraw = [&](Times *times) {
        QElapsedTimer total;
        total.start();
        timer.start();
        chart.redraw();
        times->replaceMs.append(timer.nsecsElapsed() / 1e6);
        timer.start();
        image.fill(Qt::white);
        QPainter painter(&image);
        panes->render(&painter);
        painter.end();
        times->renderMs.append(timer.nsecsElapsed() / 1e6);
        times->totalMs.append(total.nsecsElapsed() / 1e6);
    };
    const auto pointsDrawn = [&] {
        int drawn = 0;
        for (int p = 0; p < StreamChart::PaneCount; ++p) {
            const auto pane = StreamChart::Pane(p);
            for (const QString &name : chart.lineNames(pane))
                drawn += chart.pointCount(pane, name);
        }
        return drawn;
    };
    figure("chart_series", seriesCount, "series");

    // The same day redrawn again and again (a paused chart, a fixed range).
    Times same;
    for (int r = 0; r < rounds; ++r)
        timedRedraw(&same);
    figure("chart_points_drawn", pointsDrawn(), "points");
    figure("chart_redraw_decimate_replace", median(same.replaceMs), "ms");
    figure("chart_redraw_render", median(same.renderMs), "ms");
    figure("chart_redraw_total", median(same.totalMs), "ms");

    // As live: a new tick recorded before each redraw (not timed), so the range moves on
    // and every line is read, decimated and handed to Qt Charts again.
    Times live;
    for (int r = 0; r < rounds; ++r) {
        history.record(dayTick(Day + r, groups));
        timedRedraw(&live);
    }
    figure("chart_live_points_drawn", pointsDrawn(), "points");
    figure("chart_live_redraw_decimate_replace", median(live.replaceMs), "ms");
    figure("chart_live_redraw_render", median(live.renderMs), "ms");
    figure("chart_live_redraw_total", median(live.totalMs), "ms");

    // As live, on the ticks where the range moves on (once per pixel column's worth of
    // ticks on this range): every line laid out again.
    const qint64 columnTicks =
        24 * 3600
            / qMax(1, int(chart.view(StreamChart::Pane::LagEntries)->chart()->plotArea().width()))
        + 1;
    Times moving;
    int tick = Day + rounds;
    for (int r = 0; r < rounds; ++r) {
        const qint64 before = chart.shownToMs();
        for (qint64 i = 0; i < columnTicks; ++i)
            history.record(dayTick(tick++, groups));
        timedRedraw(&moving);
        if (chart.shownToMs() == before)
            qFatal("the range did not move");
    }
    figure("chart_live_step_redraw_decimate_replace", median(moving.replaceMs), "ms");
    figure("chart_live_step_redraw_render", median(moving.renderMs), "ms");
    figure("chart_live_step_redraw_total", median(moving.totalMs), "ms");

    BenchLines bench;
    bench.atMost("chart_redraw", median(same.totalMs), "ms", 16);
    bench.atMost("chart_live_redraw", median(live.totalMs), "ms", 16);
    bench.atMost("chart_live_step_redraw", median(moving.totalMs), "ms", 16);
    bench.atMost("history_heap_per_series", heapPerSeries / 1024.0, "KiB",
                 history.bytesPerSeries() / 1024.0);
    bench.print();
    return 0;
}
