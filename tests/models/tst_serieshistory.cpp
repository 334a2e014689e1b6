// The history of monitored figures (ring buffers per series), read as the charts read it
// (reduce() into ColumnReducer's columns), and the thinning of the lines they draw:
// wrapping, bounded memory, gaps, time ranges.
#include "decimation.h"
#include "historychunk.h"
#include "historystore.h"
#include "serieshistory.h"

#include <QRandomGenerator>
#include <QSignalSpy>
#include <QtTest>

#include <cmath>

namespace {

constexpr qint64 T0 = 1'700'000'000'000; // a fixed start, ms since the epoch

SeriesKey key(Metric metric, const QByteArray &group = {})
{
    return SeriesKey{"orders", group, {}, metric};
}

MonitorFigures tick(qint64 timeMs, const QHash<SeriesKey, double> &values)
{
    MonitorFigures f;
    f.timeMs = timeMs;
    for (auto it = values.cbegin(); it != values.cend(); ++it)
        f.values.insert(it.key(), it.value());
    return f;
}

// A bucket as text, NaN and all, for QCOMPARE of runs.
QString describe(const HistoryBucket &b)
{
    return QStringLiteral("%1 n=%2 min=%3 max=%4 mean=%5 last=%6")
        .arg(b.timeMs)
        .arg(b.count)
        .arg(double(b.min))
        .arg(double(b.max))
        .arg(double(b.mean))
        .arg(double(b.last));
}

QStringList describe(const HistoryRuns &runs)
{
    QStringList out;
    for (const QList<HistoryBucket> &run : runs) {
        out.append(QStringLiteral("run"));
        for (const HistoryBucket &b : run)
            out.append(describe(b));
    }
    return out;
}

// The plainest model of SeriesHistory::reduce(): the samples fed to a ColumnReducer one by
// one (a NaN sample is a gap), gaps longer than 2.5 intervals of 1 s breaking a run.
HistoryRuns reduceSamples(const SeriesSamples &samples, qint64 fromMs, qint64 toMs, int pixels)
{
    ColumnReducer reducer(fromMs, toMs, pixels, 2500);
    for (qsizetype i = 0; i < samples.timesMs.size(); ++i)
        reducer.add(HistoryBucket::sample(samples.timesMs.at(i), samples.values.at(i)));
    return reducer.finish();
}

// What the charts read of `key`: reduce(), straight from the ring.
HistoryRuns reduceHistory(const SeriesHistory &history, const SeriesKey &key, qint64 fromMs,
                          qint64 toMs, int pixels)
{
    ColumnReducer reducer(fromMs, toMs, pixels, 2500);
    history.reduce(key, fromMs, toMs, &reducer);
    return reducer.finish();
}

MonitorFigures failedTick(qint64 timeMs)
{
    MonitorFigures f;
    f.timeMs = timeMs;
    f.ok = false;
    f.error = QStringLiteral("Connection refused");
    return f;
}

} // namespace

class TestSeriesHistory : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void capacityIsSpanOverInterval();
    void ringWrapsAtCapacity();
    void memoryIsBoundedAsClaimed();
    void missingValuesAndFailedTicksAreGaps();
    void missedTicksBecomeAGap();
    void timeRangeQueries();
    void nearestTickAndValueAt();
    void emptySeriesAreDropped();
    void onlyRecordedMetricsAreKept();
    void intervalChangeKeepsNewestTicks();
    void reduceMakesColumnsOfTheSamples();
    void reduceReadsTheRingAsSampleBySample();
    void straightRunsLoseOnlyWhatNobodySees();
    void readsAgreeWithEveryTickKept_data();
    void readsAgreeWithEveryTickKept();
};

void TestSeriesHistory::capacityIsSpanOverInterval()
{
    // The raw window by default: an hour, as HistoryRetention's default.
    SeriesHistory hour;
    QCOMPARE(hour.spanMs(), HistoryRetention().rawMs);
    QCOMPARE(hour.capacity(), 3600);
    SeriesHistory fast(200);
    QCOMPARE(fast.capacity(), 18'000);
    SeriesHistory day(1000, 24 * 3600'000);
    QCOMPARE(day.capacity(), 86'400);
    SeriesHistory minute(1000, 60'000);
    QCOMPARE(minute.capacity(), 60);
}

void TestSeriesHistory::ringWrapsAtCapacity()
{
    SeriesHistory history(1000, 10'000); // 10 ticks
    QSignalSpy recorded(&history, &SeriesHistory::recorded);
    const SeriesKey lag = key(Metric::Lag, "workers");
    for (int i = 0; i < 25; ++i)
        history.record(tick(T0 + i * 1000, {{lag, double(i)}}));
    QCOMPARE(recorded.count(), 25);
    QCOMPARE(history.tickCount(), 10);
    QCOMPARE(history.firstTimeMs(), T0 + 15'000);
    QCOMPARE(history.lastTimeMs(), T0 + 24'000);
    const SeriesSamples all = history.samples(lag, 0, T0 + 100'000);
    QCOMPARE(all.values.size(), 10);
    for (int i = 0; i < 10; ++i) {
        QCOMPARE(all.timesMs.at(i), T0 + (15 + i) * 1000);
        QCOMPARE(all.values.at(i), float(15 + i));
    }
    QCOMPARE(history.latest(lag), 24.0);
}

void TestSeriesHistory::memoryIsBoundedAsClaimed()
{
    // The default hour at 1 s, 9 series of one stream with two groups, for an hour and a
    // half: the ring wraps, and memory stays where the header says.
    SeriesHistory history;
    QList<SeriesKey> keys{key(Metric::AddedPerSecond)};
    for (const QByteArray group : {"a", "b"}) {
        for (Metric m : {Metric::Lag, Metric::TimeLagMs, Metric::Pending, Metric::ReadPerSecond})
            keys.append(key(m, group));
    }
    const qint64 perSeries = history.bytesPerSeries();
    // 4 pages of 900 floats, a small page table, the staging share, the key: the class
    // comment's "about 14.9 KiB a series".
    QCOMPARE(SeriesHistory::PageSize, 900);
    QVERIFY(perSeries >= 4 * 900 * 4 + 64 + 256);
    QVERIFY2(qAbs(perSeries - 14.9 * 1024) < 100, QByteArray::number(perSeries));
    const qint64 timeRing = 3600 * 8;
    const qint64 Slab = 64 * 900 * 4; // pages are cut from slabs of 64
    // The staging blocks, sized for the first 64 places.
    const qint64 stage = 64 * 2 * SeriesHistory::StageTicks * 4;
    QHash<SeriesKey, double> values;
    for (int i = 0; i < 3600 + 1800; ++i) {
        for (const SeriesKey &k : std::as_const(keys))
            values[k] = i % 1000;
        history.record(tick(T0 + qint64(i) * 1000, values));
        if (i == 600) {
            // Ten minutes in: one page of a series allocated, not the whole ring (and the
            // rest of the slab they were cut from).
            const qint64 young = history.memoryBytes() - timeRing;
            QVERIFY2(young < keys.size() * (900 * 4 + 2048) + Slab + stage,
                     QByteArray::number(young));
        }
    }
    QCOMPARE(history.tickCount(), 3600);
    const qint64 bytes = history.memoryBytes();
    const qint64 bound = timeRing + keys.size() * (perSeries + 64) + Slab + stage;
    QVERIFY2(bytes <= bound, QByteArray::number(bytes) + " > " + QByteArray::number(bound));
    QVERIFY(bytes >= timeRing + keys.size() * 3600 * 4);
}

void TestSeriesHistory::missingValuesAndFailedTicksAreGaps()
{
    SeriesHistory history;
    const SeriesKey lag = key(Metric::Lag, "workers");
    const SeriesKey added = key(Metric::AddedPerSecond);
    history.record(tick(T0, {{lag, 5}})); // no rate yet
    history.record(tick(T0 + 1000, {{lag, 6}, {added, 2}}));
    history.record(failedTick(T0 + 2000));         // reconnecting
    history.record(tick(T0 + 3000, {{added, 3}})); // the group is gone
    history.record(tick(T0 + 4000, {{lag, 1}, {added, 4}}));

    const SeriesSamples l = history.samples(lag, T0, T0 + 4000);
    QCOMPARE(l.values.size(), 5);
    QCOMPARE(l.values.at(0), 5.f);
    QCOMPARE(l.values.at(1), 6.f);
    QVERIFY(std::isnan(l.values.at(2)));
    QVERIFY(std::isnan(l.values.at(3)));
    QCOMPARE(l.values.at(4), 1.f);
    const SeriesSamples a = history.samples(added, T0, T0 + 4000);
    QVERIFY(std::isnan(a.values.at(0)));
    QCOMPARE(a.values.at(1), 2.f);
    QVERIFY(std::isnan(a.values.at(2)));
    QCOMPARE(a.values.at(3), 3.f);
    QVERIFY(std::isnan(history.latest(key(Metric::Pending, "workers"))));

    // Drawn, the lag is two lines, not one bridging the reconnect, the gaps read from the
    // ring as samples() gives them.
    const HistoryRuns runs = reduceHistory(history, lag, T0, T0 + 4000, 100);
    QCOMPARE(runs.size(), 2);
    QCOMPARE(runs.at(0).size(), 2);
    QCOMPARE(runs.at(1).size(), 1);
    QCOMPARE(runs.at(1).at(0).last, 1.f);
    QCOMPARE(describe(runs), describe(reduceSamples(l, T0, T0 + 4000, 100)));
    const HistoryRuns addedRuns = reduceHistory(history, added, T0, T0 + 4000, 100);
    QCOMPARE(addedRuns.size(), 2);
    QCOMPARE(describe(addedRuns), describe(reduceSamples(a, T0, T0 + 4000, 100)));
}

void TestSeriesHistory::missedTicksBecomeAGap()
{
    SeriesHistory history;
    const SeriesKey lag = key(Metric::Lag, "workers");
    history.record(tick(T0, {{lag, 1}}));
    history.record(tick(T0 + 1000, {{lag, 2}}));
    history.record(tick(T0 + 1000 + 2400, {{lag, 3}})); // late, not missed
    history.record(tick(T0 + 60'000, {{lag, 4}}));      // the monitor was stopped
    const SeriesSamples s = history.samples(lag, T0, T0 + 60'000);
    QCOMPARE(s.values.size(), 5);
    QCOMPARE(s.timesMs.at(3), T0 + 4400);
    QVERIFY(std::isnan(s.values.at(3)));
    QCOMPARE(s.values.at(4), 4.f);
    // Figures older than the newest tick are ignored.
    history.record(tick(T0 + 30'000, {{lag, 9}}));
    QCOMPARE(history.tickCount(), 5);
}

void TestSeriesHistory::timeRangeQueries()
{
    SeriesHistory history;
    const SeriesKey pending = key(Metric::Pending, "workers");
    for (int i = 0; i < 600; ++i)
        history.record(tick(T0 + i * 1000, {{pending, double(i * 2)}}));
    const SeriesSamples s = history.samples(pending, T0 + 100'000, T0 + 109'500);
    QCOMPARE(s.timesMs.size(), 10);
    QCOMPARE(s.timesMs.first(), T0 + 100'000);
    QCOMPARE(s.timesMs.last(), T0 + 109'000);
    QCOMPARE(s.values.first(), 200.f);
    QCOMPARE(s.values.last(), 218.f);
    QVERIFY(history.samples(pending, T0 + 700'000, T0 + 800'000).timesMs.isEmpty());
    QCOMPARE(history.samples(pending, 0, T0).values, QList<float>{0.f});
    // An unknown series: the ticks, every value a gap.
    const SeriesSamples unknown = history.samples(key(Metric::Lag, "x"), T0, T0 + 2000);
    QCOMPARE(unknown.timesMs.size(), 3);
    QVERIFY(std::isnan(unknown.values.at(1)));
    QCOMPARE(history.groupsOf("orders"), QList<QByteArray>{"workers"});
    QVERIFY(history.groupsOf("other").isEmpty());
}

void TestSeriesHistory::nearestTickAndValueAt()
{
    SeriesHistory history;
    const SeriesKey lag = key(Metric::Lag, "workers");
    qint64 at = 0;
    QVERIFY(!history.nearestTick(T0, &at));
    for (int i = 0; i < 10; ++i)
        history.record(tick(T0 + i * 1000, {{lag, double(100 + i)}}));
    QVERIFY(history.nearestTick(T0 + 3400, &at));
    QCOMPARE(at, T0 + 3000);
    QVERIFY(history.nearestTick(T0 + 3600, &at));
    QCOMPARE(at, T0 + 4000);
    QVERIFY(history.nearestTick(T0 + 99'000, &at));
    QCOMPARE(at, T0 + 9000);
    QVERIFY(history.nearestTick(0, &at));
    QCOMPARE(at, T0);
    QCOMPARE(history.valueAt(lag, T0 + 4000), 104.0);
    QVERIFY(std::isnan(history.valueAt(lag, T0 + 4500)));
}

void TestSeriesHistory::emptySeriesAreDropped()
{
    SeriesHistory history(1000, 3600'000);
    history.setDropAfterMs(60'000);
    QSignalSpy dropped(&history, &SeriesHistory::seriesDropped);
    const SeriesKey gone = key(Metric::Lag, "gone");
    const SeriesKey stays = key(Metric::Lag, "stays");
    history.record(tick(T0, {{gone, 1}, {stays, 1}}));
    for (int i = 1; i < 60; ++i)
        history.record(tick(T0 + i * 1000, {{stays, 1}}));
    QVERIFY(history.contains(gone));
    QCOMPARE(dropped.count(), 0);
    history.record(tick(T0 + 60'000, {{stays, 1}}));
    QVERIFY(!history.contains(gone));
    QVERIFY(history.contains(stays));
    QCOMPARE(dropped.count(), 1);
    QCOMPARE(dropped.at(0).at(0).value<SeriesKey>(), gone);
    QCOMPARE(history.groupsOf("orders"), QList<QByteArray>{"stays"});
}

void TestSeriesHistory::onlyRecordedMetricsAreKept()
{
    SeriesHistory history;
    const SeriesKey lag = key(Metric::Lag, "workers");
    const SeriesKey consumers = key(Metric::Consumers, "workers");
    const SeriesKey idle{"orders", "workers", "w1", Metric::ConsumerIdleMs};
    history.record(tick(T0, {{lag, 1}, {consumers, 2}, {idle, 300}}));
    QCOMPARE(history.keys(), QList<SeriesKey>{lag});
    history.setRecordedMetrics({Metric::Lag, Metric::ConsumerIdleMs});
    history.record(tick(T0 + 1000, {{lag, 1}, {consumers, 2}, {idle, 300}}));
    QVERIFY(history.contains(idle));
    QVERIFY(!history.contains(consumers));
    QCOMPARE(history.latest(idle), 300.0);
}

void TestSeriesHistory::intervalChangeKeepsNewestTicks()
{
    SeriesHistory history(1000, 20'000); // 20 ticks
    const SeriesKey lag = key(Metric::Lag, "workers");
    for (int i = 0; i < 30; ++i)
        history.record(tick(T0 + i * 1000, {{lag, double(i)}}));
    history.setInterval(4000); // 5 ticks
    QCOMPARE(history.capacity(), 5);
    QCOMPARE(history.tickCount(), 5);
    const SeriesSamples s = history.samples(lag, 0, T0 + 100'000);
    QCOMPARE(s.values, (QList<float>{25, 26, 27, 28, 29}));
    history.record(tick(T0 + 33'000, {{lag, 30}}));
    QCOMPARE(history.samples(lag, 0, T0 + 100'000).values, (QList<float>{26, 27, 28, 29, 30}));
    // A shorter raw window (the preferences' retention): the newest ticks that fit.
    history.setSpanMs(12'000);
    QCOMPARE(history.capacity(), 3);
    QCOMPARE(history.samples(lag, 0, T0 + 100'000).values, (QList<float>{28, 29, 30}));
    history.setSpanMs(40'000);
    QCOMPARE(history.capacity(), 10);
    history.record(tick(T0 + 37'000, {{lag, 31}}));
    QCOMPARE(history.samples(lag, 0, T0 + 100'000).values, (QList<float>{28, 29, 30, 31}));
}

void TestSeriesHistory::reduceMakesColumnsOfTheSamples()
{
    SeriesHistory history;
    const SeriesKey lag = key(Metric::Lag, "workers");
    // 100 ticks half a second into each second, lag i; tick 55 failed (a reconnect).
    for (int i = 0; i < 100; ++i) {
        const qint64 at = T0 + 500 + i * 1000;
        history.record(i == 55 ? failedTick(at) : tick(at, {{lag, double(i)}}));
    }
    // Ten columns of 10 s: ten ticks each, the reconnect splitting the sixth.
    ColumnReducer reducer(T0, T0 + 100'000, 10, 2500);
    history.reduce(lag, T0, T0 + 100'000, &reducer);
    const HistoryRuns runs = reducer.finish();
    QCOMPARE(runs.size(), 2);
    QCOMPARE(runs.at(0).size(), 6);
    QCOMPARE(runs.at(1).size(), 5);
    const HistoryBucket &first = runs.at(0).at(0);
    QCOMPARE(first.timeMs, T0 + 5000); // the column's middle
    QCOMPARE(first.count, 10u);
    QCOMPARE(first.min, 0.f);
    QCOMPARE(first.max, 9.f);
    QCOMPARE(first.mean, 4.5f);
    QCOMPARE(first.last, 9.f);
    const HistoryBucket &beforeGap = runs.at(0).at(5);
    QCOMPARE(beforeGap.count, 5u);
    QCOMPARE(beforeGap.min, 50.f);
    QCOMPARE(beforeGap.max, 54.f);
    const HistoryBucket &afterGap = runs.at(1).at(0);
    QCOMPARE(afterGap.count, 4u);
    QCOMPARE(afterGap.min, 56.f);
    QCOMPARE(afterGap.mean, 57.5f);
    QCOMPARE(runs.at(1).last().max, 99.f);

    // A column a second wide holds one sample: the sample itself, at its own time.
    ColumnReducer fine(T0, T0 + 100'000, 100, 2500);
    history.reduce(lag, T0, T0 + 100'000, &fine);
    const HistoryRuns samples = fine.finish();
    QCOMPARE(samples.size(), 2);
    QCOMPARE(samples.at(0).size(), 55);
    const HistoryBucket &s7 = samples.at(0).at(7);
    QCOMPARE(s7.timeMs, T0 + 7500);
    QCOMPARE(s7.count, 1u);
    QCOMPARE(s7.min, 7.f);
    QCOMPARE(s7.mean, 7.f);
    QCOMPARE(s7.max, 7.f);

    // A range of part of the ring, and a series the ring does not have.
    ColumnReducer part(T0 + 20'000, T0 + 30'000, 1, 2500);
    history.reduce(lag, T0 + 20'000, T0 + 30'000, &part);
    const HistoryRuns one = part.finish();
    QCOMPARE(one.size(), 1);
    QCOMPARE(one.at(0).size(), 1);
    QCOMPARE(one.at(0).at(0).count, 10u);
    QCOMPARE(one.at(0).at(0).min, 20.f);
    ColumnReducer none(T0, T0 + 100'000, 10, 2500);
    history.reduce(key(Metric::Lag, "none"), T0, T0 + 100'000, &none);
    QVERIFY(none.finish().isEmpty());
}

void TestSeriesHistory::reduceReadsTheRingAsSampleBySample()
{
    // An hour's ring, wrapped, with failed ticks, a page of nothing but gaps, and the
    // newest ticks still in the staging block: reduce() pages through it and agrees with
    // the samples fed one by one.
    SeriesHistory history(1000, 3600'000);
    const SeriesKey lag = key(Metric::Lag, "workers");
    for (int i = 0; i < 5000; ++i) {
        if (i % 500 < 20 || (i >= 2600 && i < 3700))
            history.record(failedTick(T0 + i * 1000));
        else
            history.record(tick(T0 + i * 1000, {{lag, double((i * 7919) % 1000)}}));
    }
    for (const int pixels : {7, 250, 1000, 4000}) {
        const qint64 from = T0 + 1500'000;
        const qint64 to = T0 + 4999'000;
        const HistoryRuns runs = reduceHistory(history, lag, from, to, pixels);
        QCOMPARE(describe(runs),
                 describe(reduceSamples(history.samples(lag, from, to), from, to, pixels)));
        // Kept from the ring: ticks 1,400 to 4,999. Runs between the failed ticks, the
        // long reconnect (2,600 to 3,699) one gap: 1,520-1,999, 2,020-2,499, 2,520-2,599,
        // 3,700-3,999, 4,020-4,499, 4,520-4,999.
        QCOMPARE(runs.size(), 6);
    }
}

// simplifyStraightRuns(): every point dropped lies within the tolerance of the line drawn
// through the points kept; a ramp takes two points, a spike and a step stay.
void TestSeriesHistory::straightRunsLoseOnlyWhatNobodySees()
{
    const qint64 from = T0;
    const qint64 to = T0 + 1000'000;
    const int pixels = 500; // 2 s a pixel
    const double tolerance = 0.5;
    auto x = [&](qint64 ms) { return double(from + ms); };

    Segments ramp{{}};
    for (int i = 0; i <= 400; ++i)
        ramp[0].append(QPointF(x(i * 2500), i * 0.25));
    simplifyStraightRuns(&ramp, from, to, pixels, tolerance);
    QCOMPARE(ramp[0], (QList<QPointF>{QPointF(x(0), 0), QPointF(x(400 * 2500), 100)}));

    Segments spike{{QPointF(x(0), 5), QPointF(x(2000), 5), QPointF(x(4000), 8), QPointF(x(6000), 5),
                    QPointF(x(8000), 5), QPointF(x(10000), 9), QPointF(x(12000), 9)}};
    const Segments before = spike;
    simplifyStraightRuns(&spike, from, to, pixels, tolerance);
    QCOMPARE(spike[0], (QList<QPointF>{QPointF(x(0), 5), QPointF(x(2000), 5), QPointF(x(4000), 8),
                                       QPointF(x(6000), 5), QPointF(x(8000), 5),
                                       QPointF(x(10000), 9), QPointF(x(12000), 9)}));
    QCOMPARE(spike, before); // every point there is a turn of more than half a pixel
    // A bump of less than half a pixel is not drawn.
    Segments bump{{QPointF(x(0), 5), QPointF(x(2000), 5.4), QPointF(x(4000), 5)}};
    simplifyStraightRuns(&bump, from, to, pixels, tolerance);
    QCOMPARE(bump[0], (QList<QPointF>{QPointF(x(0), 5), QPointF(x(4000), 5)}));

    QRandomGenerator random(11);
    for (int round = 0; round < 300; ++round) {
        Segments segments;
        for (int s = 0; s < 3; ++s) {
            QList<QPointF> points;
            qint64 t = qint64(random.bounded(1000));
            double y = random.bounded(100);
            const int n = int(random.bounded(400));
            const int kind = int(random.bounded(3));
            for (int i = 0; i < n; ++i) {
                t += 1 + qint64(random.bounded(kind == 0 ? 3000 : 800));
                y += kind == 0   ? random.bounded(2.0) - 1.0              // noise
                     : kind == 1 ? 0.1                                    // a slow ramp
                                 : (random.bounded(50) == 0 ? 20 : 0.01); // flat, steps
                points.append(QPointF(x(t), y));
            }
            segments.append(points);
        }
        Segments simplified = segments;
        simplifyStraightRuns(&simplified, from, to, pixels, tolerance);
        QCOMPARE(simplified.size(), segments.size());
        for (qsizetype s = 0; s < segments.size(); ++s) {
            const QList<QPointF> &all = segments.at(s);
            const QList<QPointF> &kept = simplified.at(s);
            if (all.size() < 3) {
                QCOMPARE(kept, all);
                continue;
            }
            QCOMPARE(kept.first(), all.first());
            QCOMPARE(kept.last(), all.last());
            // Kept points are points of the line, in order; every point is within the
            // tolerance of the kept line at its x.
            qsizetype k = 0;
            for (const QPointF &p : all) {
                while (k + 1 < kept.size() && kept.at(k + 1).x() < p.x())
                    ++k;
                if (p == kept.at(k) || (k + 1 < kept.size() && p == kept.at(k + 1)))
                    continue;
                QVERIFY(k + 1 < kept.size());
                const QPointF a = kept.at(k);
                const QPointF b = kept.at(k + 1);
                const double onLine = a.y() + (b.y() - a.y()) * (p.x() - a.x()) / (b.x() - a.x());
                QVERIFY2(std::abs(onLine - p.y()) <= tolerance + 1e-9,
                         qPrintable(QStringLiteral("round %1: %2 from the line")
                                        .arg(round)
                                        .arg(std::abs(onLine - p.y()))));
            }
            for (const QPointF &p : kept)
                QVERIFY(all.contains(p));
        }
    }
}

// The history against the plainest model of it, every tick kept in a list: series that
// come, pause, go and come back, failed and missed ticks, a change of interval, over
// rings smaller and larger than the staging blocks and several stage periods, read
// after every tick by every means (samples, reduce, latest, valueAt).
void TestSeriesHistory::readsAgreeWithEveryTickKept_data()
{
    QTest::addColumn<qint64>("spanMs");
    QTest::addColumn<int>("seriesCount");
    QTest::addColumn<quint32>("seed");
    QTest::newRow("ring of 5 ticks") << qint64(5'000) << 7 << 1u;
    QTest::newRow("ring of 45 ticks") << qint64(45'000) << 70 << 2u;
    QTest::newRow("ring of 2000 ticks") << qint64(2000'000) << 150 << 3u;
}

void TestSeriesHistory::readsAgreeWithEveryTickKept()
{
    QFETCH(qint64, spanMs);
    QFETCH(int, seriesCount);
    QFETCH(quint32, seed);
    QRandomGenerator random(seed);
    SeriesHistory history(1000, spanMs);
    history.setDropAfterMs(20'000);
    QList<SeriesKey> keys;
    for (int i = 0; i < seriesCount; ++i)
        keys.append(SeriesKey{"s" + QByteArray::number(i), "g", {}, Metric::Lag});

    // The model: every tick's time, and every series' value by tick (absent: a gap).
    QList<qint64> times;
    QHash<SeriesKey, QHash<int, float>> values;
    auto expectedSamples = [&](const SeriesKey &k, int first) {
        SeriesSamples s;
        for (int t = first; t < times.size(); ++t) {
            s.timesMs.append(times.at(t));
            s.values.append(values.value(k).value(t, std::numeric_limits<float>::quiet_NaN()));
        }
        return s;
    };
    auto same = [](const QList<float> &a, const QList<float> &b) {
        if (a.size() != b.size())
            return false;
        for (qsizetype i = 0; i < a.size(); ++i) {
            if (!(a.at(i) == b.at(i) || (std::isnan(a.at(i)) && std::isnan(b.at(i)))))
                return false;
        }
        return true;
    };

    qint64 now = T0;
    for (int step = 0; step < 400; ++step) {
        if (step == 250) {
            // Twice the ticks: what is held stays, and no tick it had lost comes back.
            const int held = history.tickCount();
            history.setInterval(500);
            QCOMPARE(history.tickCount(), held);
        }
        const int interval = history.intervalMs();
        now += random.bounded(20) == 0 ? 4 * interval : interval; // now and then a missed tick
        if (now - (times.isEmpty() ? now : times.last()) > interval * 5 / 2) {
            times.append(times.last() + interval); // the gap tick the history inserts
        }
        const bool failed = random.bounded(25) == 0;
        QHash<SeriesKey, double> figures;
        for (int i = 0; i < keys.size(); ++i) {
            // Series i is quiet for stretches that grow with i, so some are dropped.
            const bool quiet = (step / (10 + i)) % 3 == 2;
            if (!quiet && random.bounded(8) != 0)
                figures.insert(keys.at(i), double(random.bounded(100'000)));
        }
        history.record(failed ? failedTick(now) : tick(now, figures));
        times.append(now);
        const int t = int(times.size() - 1);
        if (!failed) {
            for (auto it = figures.cbegin(); it != figures.cend(); ++it)
                values[it.key()].insert(t, float(it.value()));
        }
        for (const SeriesKey &k : std::as_const(keys)) {
            if (!history.contains(k))
                values.remove(k); // dropped: a later series of that key starts afresh
        }

        const int first = int(times.size()) - history.tickCount();
        QCOMPARE(history.firstTimeMs(), times.at(first));
        // Every series after every tick would be slow on the large ring: a few each tick.
        for (int i = step % 7; i < keys.size(); i += 7) {
            const SeriesKey &k = keys.at(i);
            const SeriesSamples expected = expectedSamples(k, first);
            const SeriesSamples got = history.samples(k, 0, now);
            QCOMPARE(got.timesMs, expected.timesMs);
            QVERIFY2(same(got.values, expected.values),
                     qPrintable(QStringLiteral("series %1 after tick %2").arg(i).arg(t)));
            const int pixels = 1 + int(random.bounded(300));
            QCOMPARE(describe(reduceHistory(history, k, times.at(first), now, pixels)),
                     describe(reduceSamples(expected, times.at(first), now, pixels)));
            const double latest = history.latest(k);
            QVERIFY(history.contains(k) ? same({float(latest)}, {expected.values.last()})
                                        : std::isnan(latest));
            const int probe = first + int(random.bounded(quint32(times.size() - first)));
            QVERIFY(same({float(history.valueAt(k, times.at(probe)))},
                         {expected.values.at(probe - first)}));
        }
    }
}

QTEST_GUILESS_MAIN(TestSeriesHistory)
#include "tst_serieshistory.moc"
