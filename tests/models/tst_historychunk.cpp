// The history's bucket arithmetic, its chunk and journal codecs, and the reduction of a series
// to a chart's columns (historychunk.h).

#include "historychunk.h"

#include <QTest>

#include <cmath>
#include <cstring>
#include <functional>
#include <limits>
#include <random>

namespace {

constexpr float NaN = std::numeric_limits<float>::quiet_NaN();
constexpr float Inf = std::numeric_limits<float>::infinity();

QString tierName(int tier)
{
    const char *names[] = {"raw", "minute", "hour"};
    return QString::fromLatin1(names[tier]);
}

quint32 bitsOf(float value)
{
    quint32 bits;
    std::memcpy(&bits, &value, sizeof bits);
    return bits;
}

float floatOf(quint32 bits)
{
    float value;
    std::memcpy(&value, &bits, sizeof value);
    return value;
}

// What a chunk of `tier` gives back for `bucket`: a gap's floats are NaN, and a raw sample's
// min, max and mean are its value (raw chunks keep `last` only).
HistoryBucket stored(HistoryTier tier, const HistoryBucket &bucket)
{
    if (bucket.count == 0)
        return HistoryBucket::gap(bucket.timeMs);
    HistoryBucket result = bucket;
    if (tier == HistoryTier::Raw)
        result.min = result.max = result.mean = result.last;
    return result;
}

// Bit for bit: NaN's payload, -0 and +0 told apart.
QString differenceOf(const HistoryBucket &a, const HistoryBucket &b)
{
    if (a.timeMs != b.timeMs)
        return QStringLiteral("time %1 != %2").arg(a.timeMs).arg(b.timeMs);
    if (a.count != b.count)
        return QStringLiteral("count %1 != %2").arg(a.count).arg(b.count);
    const std::pair<const char *, float HistoryBucket::*> fields[] = {
        {"min", &HistoryBucket::min},
        {"max", &HistoryBucket::max},
        {"mean", &HistoryBucket::mean},
        {"last", &HistoryBucket::last}};
    for (const auto &[name, field] : fields) {
        if (bitsOf(a.*field) != bitsOf(b.*field)) {
            return QStringLiteral("%1 %2 (0x%3) != %4 (0x%5)")
                .arg(QLatin1String(name))
                .arg(double(a.*field))
                .arg(bitsOf(a.*field), 8, 16, QLatin1Char('0'))
                .arg(double(b.*field))
                .arg(bitsOf(b.*field), 8, 16, QLatin1Char('0'));
        }
    }
    return {};
}

QString differenceOf(HistoryTier tier, const HistoryBuckets &written, const HistoryBuckets &read)
{
    if (written.size() != read.size())
        return QStringLiteral("%1 entries written, %2 read").arg(written.size()).arg(read.size());
    for (size_t i = 0; i < written.size(); ++i) {
        const QString difference = differenceOf(stored(tier, written[i]), read[i]);
        if (!difference.isEmpty())
            return QStringLiteral("entry %1: %2").arg(i).arg(difference);
    }
    return {};
}

// --- Series as Weir's monitor sees them, a value a second --------------------------------

enum class Kind { Lag, Rate, TimeLag, Pending, Idle, Gappy };

// Sample times of a monitor ticking every second from `startMs` (a phase of the monitor's
// own, not a minute's start): each tick is stamped when it is sent, a few ms late or early.
std::vector<qint64> tickTimes(std::mt19937 &random, qint64 startMs, int count)
{
    std::uniform_int_distribution<int> jitter(-4, 4);
    std::vector<qint64> times(static_cast<size_t>(count));
    for (int i = 0; i < count; ++i)
        times[size_t(i)] = startMs + qint64(i) * 1000 + jitter(random);
    return times;
}

std::vector<float> seriesOf(Kind kind, std::mt19937 &random, int count)
{
    std::vector<float> values(static_cast<size_t>(count));
    std::uniform_real_distribution<double> unit(0, 1);
    std::normal_distribution<double> noise(0, 1);
    double level = 0;
    int phase = 0;
    for (int i = 0; i < count; ++i) {
        float value = 0;
        switch (kind) {
        case Kind::Lag: // a backlog that builds up for minutes, then drains
            if (i % 600 == 0)
                phase = int(unit(random) * 3);
            level += phase == 0   ? 8 + noise(random) * 6
                     : phase == 1 ? -15 + noise(random) * 5
                                  : noise(random) * 3;
            level = std::max(0.0, level);
            value = float(std::round(level));
            break;
        case Kind::Rate: { // entries counted over a tick that lasted about a second
            const double entries = std::max(0.0, std::round(120 + noise(random) * 15));
            value = float(entries * 1000.0 / (1000.0 + noise(random) * 3));
            break;
        }
        case Kind::TimeLag: // ms behind: small while consumers keep up, climbing when stuck
            if (i % 300 == 0)
                phase = unit(random) < 0.3 ? 1 : 0;
            level = phase == 1 ? level + 1000 + std::round(noise(random) * 3)
                               : std::round(std::abs(noise(random)) * 40);
            value = float(level);
            break;
        case Kind::Pending:
            value = float(std::round(std::abs(noise(random)) * 4));
            break;
        case Kind::Idle:
            value = 0;
            break;
        case Kind::Gappy: // a lag series whose ticks fail now and then, for stretches
            level = std::max(0.0, level + noise(random) * 5);
            value = float(std::round(level));
            if (unit(random) < 0.02)
                phase = int(unit(random) * 30);
            if (phase > 0) {
                --phase;
                value = NaN;
            }
            break;
        }
        values[size_t(i)] = value;
    }
    return values;
}

HistoryBuckets rawSamples(const std::vector<qint64> &times, const std::vector<float> &values)
{
    HistoryBuckets samples;
    samples.reserve(times.size());
    for (size_t i = 0; i < times.size(); ++i)
        samples.push_back(HistoryBucket::sample(times[i], values[i]));
    return samples;
}

// The buckets of `spanMs` that `samples` add up to, one for every span from the first's to
// the last's (a gap where none had a number).
HistoryBuckets bucketsOf(const HistoryBuckets &samples, qint64 spanMs)
{
    HistoryBuckets buckets;
    if (samples.empty())
        return buckets;
    BucketAccumulator accumulator;
    qint64 start = historyAlign(samples.front().timeMs, spanMs);
    for (const HistoryBucket &sample : samples) {
        while (historyAlign(sample.timeMs, spanMs) != start) {
            buckets.push_back(accumulator.bucket(start));
            accumulator.reset();
            start += spanMs;
        }
        accumulator.add(sample);
    }
    buckets.push_back(accumulator.bucket(start));
    return buckets;
}

// Splits `entries` into the chunks of `tier` the store would write.
std::vector<HistoryBuckets> chunksOf(HistoryTier tier, const HistoryBuckets &entries)
{
    std::vector<HistoryBuckets> chunks;
    qint64 chunkStart = std::numeric_limits<qint64>::min();
    for (const HistoryBucket &entry : entries) {
        const qint64 start = historyAlign(entry.timeMs, historyChunkMs(tier));
        if (chunks.empty() || start != chunkStart) {
            chunks.emplace_back();
            chunkStart = start;
        }
        chunks.back().push_back(entry);
    }
    return chunks;
}

// Floats that codecs get wrong: signed zeros, NaNs with payloads, infinities, denormals,
// the extremes.
std::vector<float> awkwardFloats()
{
    return {0.0f,
            -0.0f,
            NaN,
            -NaN,
            floatOf(0x7fc12345),
            floatOf(0xffbfffff),
            floatOf(0x7f800001), // signalling NaN
            Inf,
            -Inf,
            std::numeric_limits<float>::denorm_min(),
            -std::numeric_limits<float>::denorm_min(),
            floatOf(0x007fffff), // the largest denormal
            std::numeric_limits<float>::min(),
            std::numeric_limits<float>::max(),
            std::numeric_limits<float>::lowest(),
            std::numeric_limits<float>::epsilon(),
            1.0f,
            -1.0f,
            1e30f,
            1e-30f,
            3.14159274f,
            16777217.0f};
}

float randomFloat(std::mt19937 &random)
{
    const std::vector<float> awkward = awkwardFloats();
    switch (random() % 4) {
    case 0:
        return awkward[random() % awkward.size()];
    case 1:
        return floatOf(quint32(random())); // any bit pattern at all
    case 2:
        return float(random() % 1000);
    default:
        return float(std::uniform_real_distribution<double>(-1e6, 1e6)(random));
    }
}

// Buckets of every kind of content: any floats, counts and times, gaps among them.
HistoryBuckets randomBuckets(std::mt19937 &random, int count, qint64 startMs, bool irregular)
{
    HistoryBuckets buckets;
    qint64 time = startMs;
    for (int i = 0; i < count; ++i) {
        if (irregular) {
            switch (random() % 5) {
            case 0:
                time += 1000;
                break;
            case 1:
                time += qint64(random() % 100000) - 50000; // backwards too
                break;
            case 2:
                time = qint64(quint64(random()) << 32 | random()); // anywhere in qint64
                break;
            default:
                time += qint64(random() % 5000);
            }
        } else {
            time += 60000;
        }
        if (random() % 6 == 0) {
            buckets.push_back(HistoryBucket::gap(time));
            continue;
        }
        HistoryBucket bucket;
        bucket.timeMs = time;
        bucket.min = randomFloat(random);
        bucket.max = randomFloat(random);
        bucket.mean = randomFloat(random);
        bucket.last = randomFloat(random);
        const quint32 counts[] = {
            1, 60, 59, 3600, std::numeric_limits<quint32>::max(), quint32(random())};
        bucket.count = counts[random() % 6];
        if (bucket.count == 0)
            bucket.count = 1;
        buckets.push_back(bucket);
    }
    return buckets;
}

// The chunks the codec tests write: realistic series of each tier, and the awkward cases.
std::vector<std::pair<QString, HistoryBuckets>> sampleChunks(HistoryTier tier)
{
    std::vector<std::pair<QString, HistoryBuckets>> chunks;
    std::mt19937 random(21);
    const qint64 start = qint64(1796601600) * 1000; // 2026-12-07
    const Kind kinds[] = {Kind::Lag,     Kind::Rate, Kind::TimeLag,
                          Kind::Pending, Kind::Idle, Kind::Gappy};
    const char *names[] = {"lag", "rate", "time lag", "pending", "idle", "gappy"};
    for (int k = 0; k < 6; ++k) {
        const int seconds = tier == HistoryTier::Raw      ? 600
                            : tier == HistoryTier::Minute ? 3600
                                                          : 86400;
        const HistoryBuckets samples =
            rawSamples(tickTimes(random, start, seconds), seriesOf(kinds[k], random, seconds));
        chunks.emplace_back(QString::fromLatin1(names[k]),
                            tier == HistoryTier::Raw ? samples
                                                     : bucketsOf(samples, historyBucketMs(tier)));
    }
    chunks.emplace_back(QStringLiteral("empty"), HistoryBuckets());
    chunks.emplace_back(QStringLiteral("one sample"),
                        HistoryBuckets{HistoryBucket::sample(start, 42.5f)});
    chunks.emplace_back(QStringLiteral("one gap"), HistoryBuckets{HistoryBucket::gap(start)});
    HistoryBuckets awkward;
    qint64 time = -5000;
    for (float value : awkwardFloats()) {
        HistoryBucket bucket = HistoryBucket::sample(time, value);
        bucket.count = 1; // NaN samples too: a NaN with a count must come back as it was
        bucket.min = -value;
        bucket.max = value;
        bucket.mean = value;
        awkward.push_back(bucket);
        time += 1000;
    }
    chunks.emplace_back(QStringLiteral("awkward floats"), awkward);
    for (int i = 0; i < 8; ++i) {
        chunks.emplace_back(
            QStringLiteral("random %1").arg(i),
            randomBuckets(random, 1 + int(random() % 300), -qint64(random()), false));
        chunks.emplace_back(QStringLiteral("random irregular %1").arg(i),
                            randomBuckets(random, 1 + int(random() % 300), qint64(random()), true));
    }
    // Shapes each of the codec's column modes is for, and what just misses them.
    auto buckets = [&](int count, const std::function<float(int)> &value, quint32 weight) {
        HistoryBuckets result;
        for (int i = 0; i < count; ++i) {
            BucketAccumulator accumulator;
            for (quint32 n = 0; n < std::min<quint32>(weight, 60); ++n)
                accumulator.add(value(i * 60 + int(n)));
            HistoryBucket bucket = accumulator.bucket(start + qint64(i) * 60000);
            if (weight > 60 && !bucket.isGap())
                bucket.count = weight;
            result.push_back(bucket);
        }
        return result;
    };
    chunks.emplace_back(QStringLiteral("constant"), buckets(
                                                        60, [](int) { return 17.0f; }, 60));
    chunks.emplace_back(QStringLiteral("ramp"), buckets(
                                                    60, [](int i) { return float(i * 1000); }, 60));
    chunks.emplace_back(QStringLiteral("whole numbers, huge steps"),
                        buckets(
                            60, [](int i) { return i % 2 ? 9.0e15f : -8.5e15f + float(i); }, 60));
    chunks.emplace_back(QStringLiteral("whole numbers and a -0"),
                        buckets(
                            60, [](int i) { return i == 100 ? -0.0f : float(i % 7); }, 60));
    chunks.emplace_back(
        QStringLiteral("whole numbers, huge counts"),
        buckets(
            60, [](int i) { return float(i % 50); }, std::numeric_limits<quint32>::max()));
    chunks.emplace_back(QStringLiteral("positive noise"),
                        buckets(
                            60, [&](int) { return float(100 + (random() % 100000) / 1e3); }, 60));
    chunks.emplace_back(QStringLiteral("sign changes"),
                        buckets(
                            60, [&](int i) { return float((i % 3) - 1) * 1e-3f; }, 60));
    chunks.emplace_back(QStringLiteral("extreme times"),
                        HistoryBuckets{HistoryBucket::sample(std::numeric_limits<qint64>::min(), 1),
                                       HistoryBucket::sample(std::numeric_limits<qint64>::max(), 2),
                                       HistoryBucket::gap(0),
                                       HistoryBucket::sample(std::numeric_limits<qint64>::min(), 3),
                                       HistoryBucket::sample(-1, 4)});
    return chunks;
}

std::vector<JournalTick> sampleJournal(std::mt19937 &random, int ticks, int series, bool awkward)
{
    std::vector<JournalTick> journal;
    std::vector<std::vector<float>> values;
    const Kind kinds[] = {Kind::Lag, Kind::Rate, Kind::TimeLag, Kind::Pending, Kind::Idle};
    values.reserve(size_t(series));
    for (int s = 0; s < series; ++s)
        values.push_back(seriesOf(kinds[s % 5], random, ticks));
    const std::vector<qint64> times = tickTimes(random, qint64(1796601600) * 1000, ticks);
    for (int t = 0; t < ticks; ++t) {
        JournalTick tick;
        tick.timeMs = awkward && t % 7 == 3 ? -qint64(random()) : times[size_t(t)];
        tick.ok = !(awkward && t % 5 == 2);
        for (int s = 0; s < series; ++s) {
            if (awkward && random() % 4 == 0)
                continue; // a series not measured this tick
            const qint64 id = awkward && s % 9 == 8 ? std::numeric_limits<qint64>::max() - s
                                                    : qint64(s) * (awkward ? 3 : 1);
            tick.values.emplace_back(id,
                                     awkward ? randomFloat(random) : values[size_t(s)][size_t(t)]);
        }
        if (awkward && t % 4 == 1)
            std::reverse(tick.values.begin(), tick.values.end());
        journal.push_back(tick);
    }
    return journal;
}

QString differenceOf(const std::vector<JournalTick> &written, const std::vector<JournalTick> &read)
{
    if (written.size() != read.size())
        return QStringLiteral("%1 ticks written, %2 read").arg(written.size()).arg(read.size());
    for (size_t t = 0; t < written.size(); ++t) {
        const JournalTick &a = written[t];
        const JournalTick &b = read[t];
        if (a.timeMs != b.timeMs || a.ok != b.ok || a.values.size() != b.values.size())
            return QStringLiteral("tick %1 differs").arg(t);
        for (size_t v = 0; v < a.values.size(); ++v) {
            if (a.values[v].first != b.values[v].first
                || bitsOf(a.values[v].second) != bitsOf(b.values[v].second)) {
                return QStringLiteral("tick %1, value %2 differs").arg(t).arg(v);
            }
        }
    }
    return {};
}

} // namespace

class TestHistoryChunk : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void tierSpans();
    void align_data();
    void align();
    void sampleAndGap();
    void accumulatorOfSamples();
    void accumulatorIgnoresNaNAndGaps();
    void accumulatorOfBuckets();
    void tiersAddUpAsRawDoes_data();
    void tiersAddUpAsRawDoes();
    void tiersKeepGapsAsGaps();

    void chunkRoundTrip_data();
    void chunkRoundTrip();
    void chunkTruncationsAreRejected_data();
    void chunkTruncationsAreRejected();
    void chunkCorruptionIsSafe();
    void chunkErrorsSayWhy();
    void chunkSizes();
    void chunkSizesOfShapes_data();
    void chunkSizesOfShapes();

    void journalRoundTrip_data();
    void journalRoundTrip();
    void journalTruncationsAreRejected();
    void journalCorruptionIsSafe();

    void reducerColumns();
    void reducerBreaksRunsAtGaps();
    void reducerBreaksRunsAtLongSteps();
    void reducerAcrossTiers();
    void reducerClampsToRange();
    void reducerPixelCounts_data();
    void reducerPixelCounts();
};

void TestHistoryChunk::tierSpans()
{
    QCOMPARE(historyBucketMs(HistoryTier::Raw), 0);
    QCOMPARE(historyBucketMs(HistoryTier::Minute), 60 * 1000);
    QCOMPARE(historyBucketMs(HistoryTier::Hour), 3600 * 1000);
    QCOMPARE(historyChunkMs(HistoryTier::Raw), 10 * 60 * 1000);
    QCOMPARE(historyChunkMs(HistoryTier::Minute), 3600 * 1000);
    QCOMPARE(historyChunkMs(HistoryTier::Hour), qint64(24) * 3600 * 1000);
}

void TestHistoryChunk::align_data()
{
    QTest::addColumn<qint64>("time");
    QTest::addColumn<qint64>("span");
    QTest::addColumn<qint64>("start");
    QTest::newRow("zero") << qint64(0) << qint64(60000) << qint64(0);
    QTest::newRow("inside") << qint64(125000) << qint64(60000) << qint64(120000);
    QTest::newRow("on a start") << qint64(120000) << qint64(60000) << qint64(120000);
    QTest::newRow("just before a start") << qint64(119999) << qint64(60000) << qint64(60000);
    QTest::newRow("negative") << qint64(-1) << qint64(60000) << qint64(-60000);
    QTest::newRow("negative on a start") << qint64(-60000) << qint64(60000) << qint64(-60000);
    QTest::newRow("negative inside") << qint64(-60001) << qint64(60000) << qint64(-120000);
    QTest::newRow("a day") << qint64(1796605123456) << qint64(86400000) << qint64(1796601600000);
    QTest::newRow("lowest") << std::numeric_limits<qint64>::min() + 12 << qint64(10)
                            << std::numeric_limits<qint64>::min() + 8;
    QTest::newRow("lowest, in a span starting before it")
        << std::numeric_limits<qint64>::min() + 5 << qint64(10)
        << std::numeric_limits<qint64>::min();
    QTest::newRow("highest") << std::numeric_limits<qint64>::max() << qint64(10)
                             << std::numeric_limits<qint64>::max() - 7;
}

void TestHistoryChunk::align()
{
    QFETCH(qint64, time);
    QFETCH(qint64, span);
    QFETCH(qint64, start);
    QCOMPARE(historyAlign(time, span), start);
}

void TestHistoryChunk::sampleAndGap()
{
    const HistoryBucket sample = HistoryBucket::sample(1234, 5.5f);
    QCOMPARE(sample.timeMs, 1234);
    QCOMPARE(sample.count, 1u);
    QVERIFY(!sample.isGap());
    QCOMPARE(sample.min, 5.5f);
    QCOMPARE(sample.max, 5.5f);
    QCOMPARE(sample.mean, 5.5f);
    QCOMPARE(sample.last, 5.5f);

    const HistoryBucket gap = HistoryBucket::gap(-7);
    QCOMPARE(gap.timeMs, -7);
    QVERIFY(gap.isGap());
    QVERIFY(std::isnan(gap.min) && std::isnan(gap.max) && std::isnan(gap.mean)
            && std::isnan(gap.last));

    // A sample without a number is a gap.
    const HistoryBucket none = HistoryBucket::sample(99, NaN);
    QVERIFY(none.isGap());
    QCOMPARE(none.timeMs, 99);
}

void TestHistoryChunk::accumulatorOfSamples()
{
    BucketAccumulator accumulator;
    QVERIFY(accumulator.isEmpty());
    for (float value : {3.0f, -2.0f, 10.0f, 5.0f})
        accumulator.add(value);
    QVERIFY(!accumulator.isEmpty());
    const HistoryBucket bucket = accumulator.bucket(60000);
    QCOMPARE(bucket.timeMs, 60000);
    QCOMPARE(bucket.count, 4u);
    QCOMPARE(bucket.min, -2.0f);
    QCOMPARE(bucket.max, 10.0f);
    QCOMPARE(bucket.mean, 4.0f);
    QCOMPARE(bucket.last, 5.0f);

    accumulator.reset();
    QVERIFY(accumulator.isEmpty());
    accumulator.add(HistoryBucket::sample(1, -0.5f));
    const HistoryBucket one = accumulator.bucket(0);
    QCOMPARE(one.count, 1u);
    QCOMPARE(one.min, -0.5f);
    QCOMPARE(one.max, -0.5f);
    QCOMPARE(one.mean, -0.5f);
    QCOMPARE(one.last, -0.5f);
}

void TestHistoryChunk::accumulatorIgnoresNaNAndGaps()
{
    BucketAccumulator accumulator;
    accumulator.add(NaN);
    accumulator.add(HistoryBucket::gap(5));
    QVERIFY(accumulator.isEmpty());
    const HistoryBucket empty = accumulator.bucket(120000);
    QVERIFY(empty.isGap());
    QCOMPARE(empty.timeMs, 120000);
    QVERIFY(std::isnan(empty.min) && std::isnan(empty.mean) && std::isnan(empty.last));

    accumulator.add(7.0f);
    accumulator.add(NaN); // the last number stays the last
    HistoryBucket zero = HistoryBucket::sample(3, 1000.0f);
    zero.count = 0; // a bucket that counted nothing counts for nothing, whatever it holds
    accumulator.add(zero);
    accumulator.add(HistoryBucket::gap(4));
    const HistoryBucket bucket = accumulator.bucket(0);
    QCOMPARE(bucket.count, 1u);
    QCOMPARE(bucket.min, 7.0f);
    QCOMPARE(bucket.max, 7.0f);
    QCOMPARE(bucket.mean, 7.0f);
    QCOMPARE(bucket.last, 7.0f);

    // Infinities are numbers: they bound the bucket.
    accumulator.reset();
    accumulator.add(-Inf);
    accumulator.add(1.0f);
    QCOMPARE(accumulator.bucket(0).min, -Inf);
    QCOMPARE(accumulator.bucket(0).max, 1.0f);
    QCOMPARE(accumulator.bucket(0).mean, -Inf);
}

void TestHistoryChunk::accumulatorOfBuckets()
{
    HistoryBucket a;
    a.min = 1;
    a.max = 9;
    a.mean = 4;
    a.last = 2;
    a.count = 3;
    HistoryBucket b;
    b.min = -1;
    b.max = 5;
    b.mean = 2;
    b.last = 5;
    b.count = 1;
    BucketAccumulator accumulator;
    accumulator.add(a);
    accumulator.add(b);
    const HistoryBucket bucket = accumulator.bucket(3600000);
    QCOMPARE(bucket.timeMs, 3600000);
    QCOMPARE(bucket.count, 4u);
    QCOMPARE(bucket.min, -1.0f);
    QCOMPARE(bucket.max, 9.0f);
    QCOMPARE(bucket.mean, 3.5f); // (3 * 4 + 1 * 2) / 4: weighted by count, not 3
    QCOMPARE(bucket.last, 5.0f);
}

void TestHistoryChunk::tiersAddUpAsRawDoes_data()
{
    QTest::addColumn<int>("kind");
    QTest::newRow("lag") << int(Kind::Lag);
    QTest::newRow("rate") << int(Kind::Rate);
    QTest::newRow("time lag") << int(Kind::TimeLag);
    QTest::newRow("pending") << int(Kind::Pending);
    QTest::newRow("gappy") << int(Kind::Gappy);
}

void TestHistoryChunk::tiersAddUpAsRawDoes()
{
    QFETCH(int, kind);
    std::mt19937 random(uint(kind) + 7);
    const qint64 hour = qint64(3600) * 1000;
    const qint64 start = qint64(1796601600) * 1000 - 2 * hour; // across an hour boundary
    const int seconds = 3 * 3600;
    const HistoryBuckets samples =
        rawSamples(tickTimes(random, start + 500, seconds), seriesOf(Kind(kind), random, seconds));
    const HistoryBuckets minutes = bucketsOf(samples, historyBucketMs(HistoryTier::Minute));
    const HistoryBuckets hoursFromMinutes = bucketsOf(minutes, historyBucketMs(HistoryTier::Hour));
    const HistoryBuckets hoursFromRaw = bucketsOf(samples, historyBucketMs(HistoryTier::Hour));
    QCOMPARE(minutes.size(), size_t(3 * 60));
    QCOMPARE(hoursFromRaw.size(), size_t(3));
    QCOMPARE(hoursFromMinutes.size(), hoursFromRaw.size());
    for (size_t h = 0; h < hoursFromRaw.size(); ++h) {
        const HistoryBucket &a = hoursFromMinutes[h];
        const HistoryBucket &b = hoursFromRaw[h];
        QCOMPARE(a.timeMs, b.timeMs);
        QCOMPARE(a.count, b.count);
        QCOMPARE(a.min, b.min);
        QCOMPARE(a.max, b.max);
        QCOMPARE(a.last, b.last);
        // The mean of means is rounded to float once per minute: close, not bit-equal.
        QVERIFY2(std::abs(double(a.mean) - double(b.mean)) <= 1e-6 * std::abs(double(b.mean)),
                 qPrintable(QStringLiteral("%1 vs %2").arg(double(a.mean)).arg(double(b.mean))));
    }
    // And the hour agrees with its samples taken directly.
    double sum = 0;
    quint32 count = 0;
    float min = Inf;
    float max = -Inf;
    for (const HistoryBucket &sample : samples) {
        if (historyAlign(sample.timeMs, hour) != hoursFromRaw[1].timeMs || sample.isGap())
            continue;
        sum += double(sample.last);
        ++count;
        min = std::min(min, sample.last);
        max = std::max(max, sample.last);
    }
    QCOMPARE(hoursFromRaw[1].count, count);
    QCOMPARE(hoursFromRaw[1].min, min);
    QCOMPARE(hoursFromRaw[1].max, max);
    QCOMPARE(hoursFromRaw[1].mean, float(sum / count));
}

void TestHistoryChunk::tiersKeepGapsAsGaps()
{
    // Ten minutes of samples, the middle four minutes without a number.
    HistoryBuckets samples;
    for (int s = 0; s < 600; ++s) {
        const bool missing = s >= 180 && s < 420;
        samples.push_back(HistoryBucket::sample(qint64(s) * 1000, missing ? NaN : float(s)));
    }
    const HistoryBuckets minutes = bucketsOf(samples, 60000);
    QCOMPARE(minutes.size(), size_t(10));
    for (int m = 0; m < 10; ++m) {
        QCOMPARE(minutes[size_t(m)].timeMs, qint64(m) * 60000);
        QCOMPARE(minutes[size_t(m)].isGap(), m >= 3 && m < 7);
    }
    QCOMPARE(minutes[2].last, 179.0f);
    QCOMPARE(minutes[7].min, 420.0f);
    // The hour of them counts the numbers only.
    const HistoryBuckets hours = bucketsOf(minutes, 3600000);
    QCOMPARE(hours.size(), size_t(1));
    QCOMPARE(hours[0].count, 360u);
    QCOMPARE(hours[0].last, 599.0f);
    // Round trips keep them gaps.
    HistoryBuckets read;
    QString error;
    QVERIFY(decodeHistoryChunk(encodeHistoryChunk(HistoryTier::Minute, minutes),
                               HistoryTier::Minute, &read, &error));
    QCOMPARE(differenceOf(HistoryTier::Minute, minutes, read), QString());
    // An hour with no number at all is a gap in the hour tier too.
    BucketAccumulator hour;
    for (int m = 3; m < 7; ++m)
        hour.add(minutes[size_t(m)]);
    QVERIFY(hour.bucket(0).isGap());
}

void TestHistoryChunk::chunkRoundTrip_data()
{
    QTest::addColumn<int>("tier");
    QTest::addColumn<int>("index");
    for (int tier = 0; tier < HistoryTierCount; ++tier) {
        const auto chunks = sampleChunks(HistoryTier(tier));
        for (size_t i = 0; i < chunks.size(); ++i) {
            QTest::addRow("%s tier, %s", qPrintable(tierName(tier)), qPrintable(chunks[i].first))
                << tier << int(i);
        }
    }
}

void TestHistoryChunk::chunkRoundTrip()
{
    QFETCH(int, tier);
    QFETCH(int, index);
    const HistoryBuckets written = sampleChunks(HistoryTier(tier))[size_t(index)].second;
    const QByteArray chunk = encodeHistoryChunk(HistoryTier(tier), written);
    HistoryBuckets read{HistoryBucket::sample(1, 1)}; // replaced, not appended to
    QString error;
    QVERIFY2(decodeHistoryChunk(chunk, HistoryTier(tier), &read, &error), qPrintable(error));
    QCOMPARE(differenceOf(HistoryTier(tier), written, read), QString());
    // Encoding is deterministic: what was read encodes to the same bytes.
    QCOMPARE(encodeHistoryChunk(HistoryTier(tier), read), chunk);
}

void TestHistoryChunk::chunkTruncationsAreRejected_data()
{
    QTest::addColumn<int>("tier");
    for (int tier = 0; tier < HistoryTierCount; ++tier)
        QTest::addRow("%s tier", qPrintable(tierName(tier))) << tier;
}

void TestHistoryChunk::chunkTruncationsAreRejected()
{
    QFETCH(int, tier);
    int cuts = 0;
    for (const auto &[name, buckets] : sampleChunks(HistoryTier(tier))) {
        const QByteArray chunk = encodeHistoryChunk(HistoryTier(tier), buckets);
        for (qsizetype size = 0; size < chunk.size(); ++size) {
            // A copy of exactly `size` bytes, so a read past it is a read past the heap block
            // (AddressSanitizer, valgrind) and not into the rest of the chunk.
            const QByteArray cut(chunk.constData(), size);
            HistoryBuckets read{HistoryBucket::sample(1, 1)};
            QString error;
            QVERIFY2(!decodeHistoryChunk(cut, HistoryTier(tier), &read, &error),
                     qPrintable(QStringLiteral("%1 cut to %2 of %3 bytes was read")
                                    .arg(name)
                                    .arg(size)
                                    .arg(chunk.size())));
            QVERIFY(read.empty());
            QVERIFY(!error.isEmpty());
            ++cuts;
        }
    }
    QVERIFY(cuts > 1000);
}

void TestHistoryChunk::chunkCorruptionIsSafe()
{
    std::mt19937 random(2112);
    int rejected = 0;
    int read = 0;
    for (int tier = 0; tier < HistoryTierCount; ++tier) {
        for (const auto &[name, buckets] : sampleChunks(HistoryTier(tier))) {
            const QByteArray chunk = encodeHistoryChunk(HistoryTier(tier), buckets);
            for (int round = 0; round < 150; ++round) {
                QByteArray bad = chunk;
                const int edits = 1 + int(random() % 3);
                for (int e = 0; e < edits; ++e) {
                    const auto at = qsizetype(random() % quint32(bad.size() + 1));
                    switch (random() % 5) {
                    case 0: // one bit flipped
                        if (at < bad.size())
                            bad[at] = char(bad[at] ^ char(1 << (random() % 8)));
                        break;
                    case 1: // a byte replaced
                        if (at < bad.size())
                            bad[at] = char(random());
                        break;
                    case 2: // bytes inserted
                        bad.insert(at, QByteArray(1 + int(random() % 4), char(random())));
                        break;
                    case 3: // bytes dropped
                        bad.remove(at, 1 + qsizetype(random() % 4));
                        break;
                    default: // the tail replaced with noise
                        bad.truncate(at);
                        for (int n = int(random() % 16); n > 0; --n)
                            bad.append(char(random()));
                    }
                }
                bad = QByteArray(bad.constData(), bad.size()); // exactly its size
                HistoryBuckets out{HistoryBucket::sample(1, 1)};
                QString error;
                if (decodeHistoryChunk(bad, HistoryTier(tier), &out, &error)) {
                    // Read as something: never more entries than a chunk holds.
                    QVERIFY(out.size() <= size_t(65536));
                    ++read;
                } else {
                    QVERIFY(out.empty());
                    QVERIFY(!error.isEmpty());
                    ++rejected;
                }
            }
        }
    }
    // Noise of every length, with a valid header and without.
    for (int round = 0; round < 3000; ++round) {
        QByteArray noise;
        const int size = int(random() % 200);
        for (int i = 0; i < size; ++i)
            noise.append(char(random()));
        if (round % 2 == 0 && noise.size() >= 2) {
            noise[0] = 1;
            noise[1] = char(random() % 3);
        }
        HistoryBuckets out;
        QString error;
        if (decodeHistoryChunk(noise, HistoryTier(random() % 3), &out, &error))
            ++read;
        else
            ++rejected;
    }
    qInfo("corrupt chunks: %d rejected, %d read as something", rejected, read);
    QVERIFY(rejected > read);
}

void TestHistoryChunk::chunkErrorsSayWhy()
{
    HistoryBuckets out;
    QString error;
    QVERIFY(!decodeHistoryChunk(QByteArray(), HistoryTier::Raw, &out, &error));
    QCOMPARE(error, QStringLiteral("truncated chunk"));

    QByteArray chunk = encodeHistoryChunk(HistoryTier::Minute, {HistoryBucket::sample(0, 1)});
    chunk[0] = 7;
    QVERIFY(!decodeHistoryChunk(chunk, HistoryTier::Minute, &out, &error));
    QCOMPARE(error, QStringLiteral("unknown chunk format 7"));

    chunk = encodeHistoryChunk(HistoryTier::Minute, {HistoryBucket::sample(0, 1)});
    QVERIFY(!decodeHistoryChunk(chunk, HistoryTier::Hour, &out, &error));
    QCOMPARE(error, QStringLiteral("a chunk of the minute tier where one of the hour tier was "
                                   "expected"));

    // A header that claims more entries than the bytes could hold is not believed (nor
    // allocated for).
    QByteArray liar("\x01\x00", 2);
    liar.append("\xff\xff\xff\xff\xff\xff\xff\xff\x7f", 9);
    liar.append(QByteArray(8, '\0'));
    QVERIFY(!decodeHistoryChunk(liar, HistoryTier::Raw, &out, &error));
    QCOMPARE(error, QStringLiteral("corrupt chunk: 9223372036854775807 entries, more than a chunk "
                                   "holds"));

    // Bytes after the last entry.
    chunk = encodeHistoryChunk(HistoryTier::Raw, {HistoryBucket::sample(0, 1)});
    chunk.append('\0');
    QVERIFY(!decodeHistoryChunk(chunk, HistoryTier::Raw, &out, &error));
    QCOMPARE(error, QStringLiteral("corrupt chunk: bytes after its end"));
}

void TestHistoryChunk::chunkSizes()
{
    // Bytes a stored chunk takes (without SQLite's own per-row cost), for each kind of series
    // the monitor charts, and for the mix of 1,000 streams with 3 groups each: per stream its
    // added/s (a rate); per group its lag, time lag, pending and read/s (a rate).
    struct Figures
    {
        double raw = 0;
        double minute = 0;
        double hour = 0;
    };
    const Kind kinds[] = {Kind::Lag,     Kind::Rate, Kind::TimeLag,
                          Kind::Pending, Kind::Idle, Kind::Gappy};
    const char *names[] = {"lag", "rate", "time lag", "pending", "idle", "gappy"};
    auto bytesPerEntry = [](HistoryTier tier, const HistoryBuckets &entries) {
        qint64 bytes = 0;
        for (const HistoryBuckets &chunk : chunksOf(tier, entries)) {
            const QByteArray data = encodeHistoryChunk(tier, chunk);
            HistoryBuckets read;
            QString error;
            if (!decodeHistoryChunk(data, tier, &read, &error)
                || !differenceOf(tier, chunk, read).isEmpty()) {
                qWarning("%s tier: %s%s", qPrintable(tierName(int(tier))), qPrintable(error),
                         qPrintable(differenceOf(tier, chunk, read)));
                return -1.0;
            }
            bytes += data.size();
        }
        return double(bytes) / double(entries.size());
    };
    std::vector<Figures> figures;
    std::mt19937 random(1000);
    const qint64 start = qint64(1796601600) * 1000 + 437;
    for (int k = 0; k < 6; ++k) {
        Figures f;
        const int days = 2;
        const int seconds = days * 86400;
        const HistoryBuckets samples =
            rawSamples(tickTimes(random, start, seconds), seriesOf(kinds[k], random, seconds));
        const HistoryBuckets hourOfSamples(samples.begin(), samples.begin() + 3600);
        const HistoryBuckets minutes = bucketsOf(samples, historyBucketMs(HistoryTier::Minute));
        f.raw = bytesPerEntry(HistoryTier::Raw, hourOfSamples);
        f.minute = bytesPerEntry(HistoryTier::Minute, minutes);
        f.hour = bytesPerEntry(HistoryTier::Hour,
                               bucketsOf(minutes, historyBucketMs(HistoryTier::Hour)));
        QVERIFY2(f.raw > 0 && f.minute > 0 && f.hour > 0, names[k]);
        qInfo("%-9s %5.2f bytes per raw sample, %5.2f per minute bucket, %5.2f per hour bucket",
              names[k], f.raw, f.minute, f.hour);
        figures.push_back(f);
    }
    // Of 13 series: 4 rates, 3 each of lag, time lag and pending.
    const double weights[] = {3, 4, 3, 3, 0, 0};
    Figures mix;
    for (int k = 0; k < 6; ++k) {
        mix.raw += figures[size_t(k)].raw * weights[k] / 13;
        mix.minute += figures[size_t(k)].minute * weights[k] / 13;
        mix.hour += figures[size_t(k)].hour * weights[k] / 13;
    }
    qInfo("busy mix  %5.2f bytes per raw sample, %5.2f per minute bucket, %5.2f per hour bucket",
          mix.raw, mix.minute, mix.hour);
    // The budget: 13,000 series × 7 days of minute buckets and 1 h raw in 2 GB with SQLite's
    // overhead, every queue busy all week long.
    QVERIFY2(mix.minute <= 10, qPrintable(QString::number(mix.minute)));
    QVERIFY2(mix.raw <= 2.5, qPrintable(QString::number(mix.raw)));
    // An idle series costs next to nothing: its buckets a few bits a chunk, its samples the
    // jitter of their times.
    QVERIFY2(figures[4].minute < 0.3, qPrintable(QString::number(figures[4].minute)));
    QVERIFY2(figures[4].raw < 0.75, qPrintable(QString::number(figures[4].raw)));
}

void TestHistoryChunk::chunkSizesOfShapes_data()
{
    QTest::addColumn<int>("tier");
    QTest::addColumn<int>("index");
    QTest::addColumn<int>("largest"); // bytes
    const auto raw = sampleChunks(HistoryTier::Raw);
    const auto minute = sampleChunks(HistoryTier::Minute);
    auto find =
        [](const std::vector<std::pair<QString, HistoryBuckets>> &chunks, const char *name) {
        for (size_t i = 0; i < chunks.size(); ++i) {
            if (chunks[i].first == QLatin1String(name))
                return int(i);
        }
        return -1;
    };
    // An unchanging minute chunk: its header and each column's value once.
    QTest::newRow("constant") << 1 << find(minute, "constant") << 28;
    // Steady climbs: about a bit a column a bucket.
    QTest::newRow("ramp") << 1 << find(minute, "ramp") << 64;
    // Small whole numbers: a byte or two a bucket for all four columns.
    QTest::newRow("whole numbers") << 1 << find(minute, "whole numbers and a -0") << 150;
    // Ten minutes of an idle raw series, the times jittering: about half a byte a sample.
    QTest::newRow("idle raw") << 0 << find(raw, "idle") << 400;
}

void TestHistoryChunk::chunkSizesOfShapes()
{
    QFETCH(int, tier);
    QFETCH(int, index);
    QFETCH(int, largest);
    QVERIFY(index >= 0);
    const HistoryBuckets buckets = sampleChunks(HistoryTier(tier))[size_t(index)].second;
    const QByteArray chunk = encodeHistoryChunk(HistoryTier(tier), buckets);
    QVERIFY2(chunk.size() <= largest, qPrintable(QString::number(chunk.size())));
}

void TestHistoryChunk::journalRoundTrip_data()
{
    QTest::addColumn<int>("ticks");
    QTest::addColumn<int>("series");
    QTest::addColumn<bool>("awkward");
    QTest::newRow("empty") << 0 << 0 << false;
    QTest::newRow("a tick without values") << 1 << 0 << false;
    QTest::newRow("one value") << 1 << 1 << false;
    QTest::newRow("two seconds of 1,000 series") << 2 << 1000 << false;
    QTest::newRow("a minute of 50 series") << 60 << 50 << false;
    QTest::newRow("awkward") << 40 << 30 << true;
    QTest::newRow("awkward, long") << 300 << 20 << true;
}

void TestHistoryChunk::journalRoundTrip()
{
    QFETCH(int, ticks);
    QFETCH(int, series);
    QFETCH(bool, awkward);
    std::mt19937 random(uint(ticks * 31 + series));
    const std::vector<JournalTick> written = sampleJournal(random, ticks, series, awkward);
    const QByteArray journal = encodeJournal(written);
    std::vector<JournalTick> read(3);
    QString error;
    QVERIFY2(decodeJournal(journal, &read, &error), qPrintable(error));
    QCOMPARE(differenceOf(written, read), QString());
    QCOMPARE(encodeJournal(read), journal);
    if (!awkward && series > 0 && ticks > 1) {
        qInfo("journal: %.2f bytes per value",
              double(journal.size()) / double(ticks) / double(series));
    }
}

void TestHistoryChunk::journalTruncationsAreRejected()
{
    std::mt19937 random(5);
    int cuts = 0;
    for (bool awkward : {false, true}) {
        const QByteArray journal = encodeJournal(sampleJournal(random, 20, 15, awkward));
        for (qsizetype size = 0; size < journal.size(); ++size) {
            const QByteArray cut(journal.constData(), size);
            std::vector<JournalTick> read(2);
            QString error;
            QVERIFY2(!decodeJournal(cut, &read, &error),
                     qPrintable(QStringLiteral("cut to %1 bytes").arg(size)));
            QVERIFY(read.empty());
            QVERIFY(!error.isEmpty());
            ++cuts;
        }
    }
    QVERIFY(cuts > 500);
    std::vector<JournalTick> read;
    QString error;
    QVERIFY(!decodeJournal(QByteArray("\x09\x00", 2), &read, &error));
    QCOMPARE(error, QStringLiteral("unknown journal format 9"));
}

void TestHistoryChunk::journalCorruptionIsSafe()
{
    std::mt19937 random(77);
    int rejected = 0;
    int read = 0;
    for (bool awkward : {false, true}) {
        const QByteArray journal = encodeJournal(sampleJournal(random, 30, 20, awkward));
        for (int round = 0; round < 1500; ++round) {
            QByteArray bad = journal;
            for (int e = 1 + int(random() % 3); e > 0; --e) {
                const auto at = qsizetype(random() % quint32(bad.size()));
                if (random() % 2)
                    bad[at] = char(bad[at] ^ char(1 << (random() % 8)));
                else
                    bad.remove(at, 1 + qsizetype(random() % 8));
                if (bad.isEmpty())
                    break;
            }
            bad = QByteArray(bad.constData(), bad.size());
            std::vector<JournalTick> out(1);
            QString error;
            if (decodeJournal(bad, &out, &error)) {
                ++read;
            } else {
                QVERIFY(out.empty());
                QVERIFY(!error.isEmpty());
                ++rejected;
            }
        }
    }
    for (int round = 0; round < 2000; ++round) {
        QByteArray noise(1, char(1));
        for (int i = int(random() % 100); i > 0; --i)
            noise.append(char(random()));
        std::vector<JournalTick> out;
        QString error;
        if (decodeJournal(noise, &out, &error))
            ++read;
        else
            ++rejected;
    }
    qInfo("corrupt journals: %d rejected, %d read as something", rejected, read);
    QVERIFY(rejected > read);
}

void TestHistoryChunk::reducerColumns()
{
    // 1,000 ms in 10 columns of 100 ms; a sample every 10 ms but one lone sample in the last.
    ColumnReducer reducer(0, 1000, 10, 50);
    for (qint64 t = 0; t < 900; t += 10)
        reducer.add(HistoryBucket::sample(t, float(t)));
    reducer.add(HistoryBucket::sample(930, 5));
    const HistoryRuns runs = reducer.finish();
    QCOMPARE(runs.size(), 1);
    const QList<HistoryBucket> &run = runs.front();
    QCOMPARE(run.size(), 10);
    for (int c = 0; c < 9; ++c) {
        const HistoryBucket &column = run[c];
        QCOMPARE(column.timeMs, qint64(c) * 100 + 50); // the column's middle
        QCOMPARE(column.count, 10u);
        QCOMPARE(column.min, float(c * 100));
        QCOMPARE(column.max, float(c * 100 + 90));
        QCOMPARE(column.last, float(c * 100 + 90));
        QCOMPARE(column.mean, float(c * 100 + 45));
    }
    QCOMPARE(run[9].timeMs, 930); // alone in its column: its own time
    QCOMPARE(run[9].count, 1u);
    QCOMPARE(run[9].last, 5.0f);

    // Buckets weigh by what they counted.
    ColumnReducer buckets(0, 600000, 1, 120000);
    BucketAccumulator a;
    a.add(10.0f);
    BucketAccumulator b;
    for (int i = 0; i < 3; ++i)
        b.add(2.0f);
    buckets.add(a.bucket(0));
    buckets.add(b.bucket(60000));
    const HistoryRuns weighed = buckets.finish();
    QCOMPARE(weighed.size(), 1);
    QCOMPARE(weighed[0].size(), 1);
    QCOMPARE(weighed[0][0].count, 4u);
    QCOMPARE(weighed[0][0].mean, 4.0f);
    QCOMPARE(weighed[0][0].timeMs, 300000);

    // Nothing in, nothing out.
    QVERIFY(ColumnReducer(0, 1000, 100, 10).finish().isEmpty());
}

void TestHistoryChunk::reducerBreaksRunsAtGaps()
{
    ColumnReducer reducer(0, 10000, 10, 1500);
    reducer.add(HistoryBucket::gap(0)); // a gap first opens no empty run
    for (qint64 t = 1000; t <= 3000; t += 1000)
        reducer.add(HistoryBucket::sample(t, float(t)));
    reducer.add(HistoryBucket::gap(4000));
    reducer.add(HistoryBucket::gap(5000));
    reducer.add(HistoryBucket::sample(5500, 1)); // the same column as the gap, a new run
    reducer.add(HistoryBucket::sample(5900, 3));
    reducer.add(HistoryBucket::gap(6000));
    const HistoryRuns runs = reducer.finish();
    QCOMPARE(runs.size(), 2);
    QCOMPARE(runs[0].size(), 3);
    QCOMPARE(runs[0][0].timeMs, 1000);
    QCOMPARE(runs[0][2].timeMs, 3000);
    QCOMPARE(runs[1].size(), 1);
    QCOMPARE(runs[1][0].count, 2u);
    QCOMPARE(runs[1][0].min, 1.0f);
    QCOMPARE(runs[1][0].max, 3.0f);
    QCOMPARE(runs[1][0].timeMs, 5500);

    // A gap in the middle of a column: the column's inputs before it end the first run, those
    // after it start the second.
    ColumnReducer split(0, 1000, 1, 100);
    split.add(HistoryBucket::sample(10, 1));
    split.add(HistoryBucket::sample(20, 2));
    split.add(HistoryBucket::gap(30));
    split.add(HistoryBucket::sample(40, 7));
    const HistoryRuns halves = split.finish();
    QCOMPARE(halves.size(), 2);
    QCOMPARE(halves[0].size(), 1);
    QCOMPARE(halves[0][0].count, 2u);
    QCOMPARE(halves[0][0].last, 2.0f);
    QCOMPARE(halves[1][0].count, 1u);
    QCOMPARE(halves[1][0].timeMs, 40);
}

void TestHistoryChunk::reducerBreaksRunsAtLongSteps()
{
    ColumnReducer reducer(0, 100000, 100, 2000);
    reducer.add(HistoryBucket::sample(0, 1));
    reducer.add(HistoryBucket::sample(2000, 2)); // exactly the gap: not one
    reducer.add(HistoryBucket::sample(4001, 3)); // longer: Weir was not watching
    reducer.setGapMs(10000);
    reducer.add(HistoryBucket::sample(13000, 4)); // judged by the new rule: not a gap
    reducer.add(HistoryBucket::sample(23001, 5));
    const HistoryRuns runs = reducer.finish();
    QCOMPARE(runs.size(), 3);
    QCOMPARE(runs[0].size(), 2);
    QCOMPARE(runs[1].size(), 2);
    QCOMPARE(runs[1][0].last, 3.0f);
    QCOMPARE(runs[1][1].last, 4.0f);
    QCOMPARE(runs[2].size(), 1);
    QCOMPARE(runs[2][0].timeMs, 23001);
}

void TestHistoryChunk::reducerAcrossTiers()
{
    // An hour of minute buckets, then the raw samples of the ten minutes after it: one line.
    const qint64 hour = 3600000;
    const qint64 end = hour + 600000;
    auto reduce = [&](bool rawFirst, qint64 holeMs) {
        ColumnReducer reducer(0, end, 70, 120000);
        auto minutes = [&]() {
            reducer.setGapMs(120000);
            for (qint64 t = 0; t < hour; t += 60000) {
                BucketAccumulator accumulator;
                for (int s = 0; s < 60; ++s)
                    accumulator.add(float(s));
                reducer.add(accumulator.bucket(rawFirst ? t + holeMs + 600000 : t));
            }
        };
        auto raw = [&]() {
            reducer.setGapMs(2000);
            const qint64 from = rawFirst ? 0 : hour + holeMs;
            for (qint64 t = from; t < from + 600000; t += 1000)
                reducer.add(HistoryBucket::sample(t, float(t % 60000) / 1000.0f));
        };
        if (rawFirst) {
            raw();
            minutes();
        } else {
            minutes();
            raw();
        }
        return reducer.finish();
    };
    for (bool rawFirst : {false, true}) {
        const HistoryRuns runs = reduce(rawFirst, 0);
        QCOMPARE(runs.size(), 1);
        quint32 count = 0;
        for (const HistoryBucket &column : runs[0]) {
            count += column.count;
            QCOMPARE(column.min, 0.0f);
            QCOMPARE(column.max, 59.0f);
            QCOMPARE(column.mean, 29.5f);
        }
        QCOMPARE(count, 60u * 60u + 600u);
        QCOMPARE(runs[0].size(), 70);
        // A hole of five minutes between the tiers is a gap.
        QCOMPARE(reduce(rawFirst, 300000).size(), 2);
    }
}

void TestHistoryChunk::reducerClampsToRange()
{
    ColumnReducer reducer(1000, 2000, 4, 100000);
    reducer.add(HistoryBucket::sample(-5000, 1)); // before the range: the first column
    reducer.add(HistoryBucket::sample(500, 2));
    reducer.add(HistoryBucket::sample(1100, 3));
    reducer.add(HistoryBucket::sample(1600, 4));
    reducer.add(HistoryBucket::sample(2000, 5)); // the end: the last column
    reducer.add(HistoryBucket::sample(9000, 6)); // after it: the last column too
    const HistoryRuns runs = reducer.finish();
    QCOMPARE(runs.size(), 1);
    const QList<HistoryBucket> &run = runs[0];
    QCOMPARE(run.size(), 3);
    QCOMPARE(run[0].count, 3u);
    QCOMPARE(run[0].min, 1.0f);
    QCOMPARE(run[0].max, 3.0f);
    QCOMPARE(run[0].timeMs, 1125);
    QCOMPARE(run[1].count, 1u);
    QCOMPARE(run[1].timeMs, 1600);
    QCOMPARE(run[2].count, 2u);
    QCOMPARE(run[2].last, 6.0f);
    QCOMPARE(run[2].timeMs, 1875);

    // A single input outside the range keeps its own time.
    ColumnReducer lone(1000, 2000, 4, 100000);
    lone.add(HistoryBucket::sample(-5000, 1));
    QCOMPARE(lone.finish()[0][0].timeMs, -5000);
}

void TestHistoryChunk::reducerPixelCounts_data()
{
    QTest::addColumn<int>("pixels");
    QTest::addColumn<int>("columns"); // expected, for 3,600 samples a second apart over 1 h
    QTest::newRow("none") << 0 << 1;
    QTest::newRow("one") << 1 << 1;
    QTest::newRow("two") << 2 << 2;
    QTest::newRow("a chart") << 900 << 900;
    QTest::newRow("more than samples") << 100000 << 3600;
}

void TestHistoryChunk::reducerPixelCounts()
{
    QFETCH(int, pixels);
    QFETCH(int, columns);
    const qint64 from = qint64(1796601600) * 1000;
    ColumnReducer reducer(from, from + 3600000, pixels, 1500);
    double sum = 0;
    for (int s = 0; s < 3600; ++s) {
        const float value = float((s * 37) % 101);
        sum += double(value);
        reducer.add(HistoryBucket::sample(from + qint64(s) * 1000, value));
    }
    const HistoryRuns runs = reducer.finish();
    QCOMPARE(runs.size(), 1);
    QCOMPARE(runs[0].size(), columns);
    quint32 count = 0;
    double weighted = 0;
    qint64 previous = std::numeric_limits<qint64>::min();
    for (const HistoryBucket &column : runs[0]) {
        count += column.count;
        weighted += double(column.mean) * column.count;
        QVERIFY(column.timeMs > previous);
        previous = column.timeMs;
    }
    QCOMPARE(count, 3600u);
    QVERIFY(std::abs(weighted - sum) < 1e-3 * sum);
    if (columns == 1) {
        QCOMPARE(runs[0][0].min, 0.0f);
        QCOMPARE(runs[0][0].max, 100.0f);
        QCOMPARE(runs[0][0].last, float((3599 * 37) % 101));
        QCOMPARE(runs[0][0].timeMs, from + 1800000);
    }
    if (columns == 3600) {
        for (int s = 0; s < 3600; ++s)
            QCOMPARE(runs[0][s].timeMs, from + qint64(s) * 1000);
    }
}

QTEST_APPLESS_MAIN(TestHistoryChunk)
#include "tst_historychunk.moc"
