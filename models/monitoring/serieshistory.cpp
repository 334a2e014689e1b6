#include "serieshistory.h"

#include "historychunk.h"
#include "threadcheck.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace {

constexpr float Gap = std::numeric_limits<float>::quiet_NaN();

int capacityFor(qint64 spanMs, int intervalMs)
{
    return int(qMax<qint64>(1, (spanMs + intervalMs - 1) / intervalMs));
}

int pagesFor(int capacity)
{
    return (capacity + SeriesHistory::PageSize - 1) / SeriesHistory::PageSize;
}

} // namespace

SeriesHistory::SeriesHistory(int intervalMs, qint64 spanMs, QObject *parent)
    : QObject(parent)
    , m_intervalMs(qMax(1, intervalMs))
    , m_spanMs(qMax<qint64>(1, spanMs))
    , m_capacity(capacityFor(m_spanMs, m_intervalMs))
    , m_dropAfterMs(m_spanMs)
    , m_metrics(chartedMetrics())
{
    m_times.assign(size_t(m_capacity), 0);
}

SeriesHistory::~SeriesHistory() = default;

QSet<Metric> SeriesHistory::chartedMetrics()
{
    return {Metric::AddedPerSecond, Metric::Lag, Metric::TimeLagMs, Metric::Pending,
            Metric::ReadPerSecond};
}

void SeriesHistory::setRecordedMetrics(const QSet<Metric> &metrics)
{
    WEIR_ASSERT_OBJECT_THREAD(this);
    m_metrics = metrics;
    m_catalogReader.reset();
}

void SeriesHistory::setInterval(int intervalMs)
{
    WEIR_ASSERT_OBJECT_THREAD(this);
    intervalMs = qMax(1, intervalMs);
    if (intervalMs == m_intervalMs)
        return;
    m_intervalMs = intervalMs;
    resize(capacityFor(m_spanMs, m_intervalMs));
}

void SeriesHistory::setSpanMs(qint64 spanMs)
{
    WEIR_ASSERT_OBJECT_THREAD(this);
    spanMs = qMax<qint64>(1, spanMs);
    if (spanMs == m_spanMs)
        return;
    m_spanMs = spanMs;
    resize(capacityFor(m_spanMs, m_intervalMs));
}

int SeriesHistory::pagesPerSeries() const
{
    return pagesFor(m_capacity);
}

void SeriesHistory::relayout(int seriesCapacity, int pages, int oldPages)
{
    std::vector<Page> fresh(size_t(seriesCapacity) * size_t(pages));
    const int keep = qMin(pages, oldPages);
    for (int p = 0; p < keep; ++p) {
        for (size_t i = 0; i < m_series.size(); ++i)
            fresh[size_t(p) * size_t(seriesCapacity) + i] = page(int(i), p);
    }
    m_pages = std::move(fresh);
    std::vector<float> stage(size_t(2 * StageTicks) * size_t(seriesCapacity), Gap);
    for (size_t row = 0; m_seriesCapacity > 0 && row < 2 * StageTicks; ++row) {
        std::copy_n(m_stage.data() + row * size_t(m_seriesCapacity), m_series.size(),
                    stage.data() + row * size_t(seriesCapacity));
    }
    m_stage = std::move(stage);
    m_seriesCapacity = seriesCapacity;
}

void SeriesHistory::resize(int capacity)
{
    if (capacity == m_capacity)
        return;
    const qint64 oldFirst = firstTick();
    const qint64 keepFrom = qMax(oldFirst, m_ticks - capacity);
    std::vector<qint64> oldTimes = std::move(m_times);
    std::vector<Page> oldPages = std::move(m_pages);
    const int oldCapacity = m_capacity;

    m_capacity = capacity;
    m_times.assign(size_t(m_capacity), 0);
    m_pages.clear();
    m_pages.resize(size_t(m_seriesCapacity) * size_t(pagesPerSeries()));
    for (qint64 t = keepFrom; t < m_ticks; ++t)
        m_times[size_t(t % m_capacity)] = oldTimes[size_t(t % oldCapacity)];
    for (size_t i = 0; i < m_series.size(); ++i) {
        if (!m_series[i].live)
            continue;
        for (qint64 t = keepFrom; t < m_ticks; ++t) {
            const int slot = int(t % oldCapacity);
            const Page &old = oldPages[size_t(slot / PageSize) * size_t(m_seriesCapacity) + i];
            if (old.values)
                writePage(int(i), t, old.values[size_t(slot % PageSize)]);
        }
    }
    for (Page &old : oldPages)
        givePage(old);
    m_kept = keepFrom;
}

void SeriesHistory::clear()
{
    WEIR_ASSERT_OBJECT_THREAD(this);
    m_ticks = 0;
    m_kept = 0;
    m_series.clear();
    m_pages.clear();
    m_stage.clear();
    m_copied = 0;
    m_slabs.clear();
    m_freePages.clear();
    m_slabUsed = SlabPages;
    m_seriesCapacity = 0;
    m_free.clear();
    m_index.clear();
    m_catalogReader.reset();
    std::fill(m_times.begin(), m_times.end(), 0);
}

void SeriesHistory::record(const MonitorFigures &figures)
{
    WEIR_ASSERT_OBJECT_THREAD(this);
    if (m_ticks > 0) {
        const qint64 last = lastTimeMs();
        if (figures.timeMs < last)
            return;
        // Ticks that did not happen: one gap tick keeps the line from bridging them.
        if (figures.timeMs - last > m_intervalMs * 5 / 2)
            appendTick(last + m_intervalMs, nullptr);
    }
    appendTick(figures.timeMs, figures.ok ? &figures : nullptr);

    // Drop the series that stayed empty for too long.
    const qint64 newest = m_ticks - 1;
    const qint64 dropAfterTicks = qMax<qint64>(1, m_dropAfterMs / m_intervalMs);
    QList<SeriesKey> dropped;
    for (size_t i = 0; i < m_series.size(); ++i) {
        const Series &series = m_series[i];
        if (series.live
            && newest - qMax(series.lastValueTick, series.createdTick) >= dropAfterTicks) {
            dropped.append(series.key);
            dropSeries(int(i));
        }
    }
    Q_EMIT recorded(figures.timeMs);
    for (const SeriesKey &key : std::as_const(dropped))
        Q_EMIT seriesDropped(key);
}

int SeriesHistory::addSeries(const SeriesKey &key, qint64 tick)
{
    int index;
    if (!m_free.empty()) {
        index = m_free.back();
        m_free.pop_back();
    } else {
        index = int(m_series.size());
        if (index == m_seriesCapacity)
            relayout(qMax(64, 2 * m_seriesCapacity), pagesPerSeries(), pagesPerSeries());
        m_series.emplace_back();
    }
    Series &series = m_series[size_t(index)];
    series = Series();
    series.key = key;
    series.createdTick = tick;
    series.live = true;
    m_index.insert(key, index);
    return index;
}

void SeriesHistory::dropSeries(int index)
{
    Series &series = m_series[size_t(index)];
    if (series.id >= 0)
        m_byNumber[size_t(series.id)] = -1;
    m_index.remove(series.key);
    for (int p = 0; p < pagesPerSeries(); ++p)
        givePage(page(index, p));
    for (size_t row = 0; row < 2 * StageTicks; ++row)
        m_stage[row * size_t(m_seriesCapacity) + size_t(index)] = Gap;
    series = Series();
    m_free.push_back(index);
}

void SeriesHistory::mapNumbers(const SeriesCatalog &catalog)
{
    const SeriesCatalogReader::News news = m_catalogReader.read(catalog);
    if (news.restart) {
        for (Series &series : m_series)
            series.id = -1;
        m_recordedNumber.clear();
        m_byNumber.clear();
    }
    m_recordedNumber.resize(size_t(catalog.size()), false);
    m_byNumber.resize(size_t(catalog.size()), -1);
    for (int id = news.from; id < catalog.size(); ++id) {
        const SeriesKey &key = catalog.key(id);
        if (!m_metrics.contains(key.metric))
            continue;
        m_recordedNumber[size_t(id)] = true;
        const int index = indexOf(key);
        if (index >= 0) {
            m_series[size_t(index)].id = id;
            m_byNumber[size_t(id)] = index;
        }
    }
}

void SeriesHistory::appendTick(qint64 timeMs, const MonitorFigures *figures)
{
    const qint64 tick = m_ticks;
    if (tick % StageTicks == 0) {
        // A new stage period: its block last held the period before the one just ended,
        // copied to the pages by now; the one just ended is copied during this one.
        copyStaged(m_series.size());
        m_copied = 0;
    }
    ++m_ticks;
    m_times[size_t(tick % m_capacity)] = timeMs;
    if (figures) {
        const SeriesFigures &values = figures->values;
        mapNumbers(values.catalog());
        for (int id = 0; id < values.idCount(); ++id) {
            if (!m_recordedNumber[size_t(id)])
                continue;
            int index = m_byNumber[size_t(id)];
            const double value = values.at(id);
            if (index < 0) {
                if (std::isnan(value))
                    continue;
                index = addSeries(values.catalog().key(id), tick);
                m_series[size_t(index)].id = id;
                m_byNumber[size_t(id)] = index;
            }
            Series &series = m_series[size_t(index)];
            series.writtenTick = tick;
            series.estimated = values.estimatedAt(id);
            if (!std::isnan(value))
                series.lastValueTick = tick;
            stageCell(index, tick) = float(value);
        }
    }
    // The series the tick had no value for.
    for (size_t i = 0; i < m_series.size(); ++i) {
        Series &series = m_series[i];
        if (series.live && series.writtenTick != tick) {
            stageCell(int(i), tick) = Gap;
            series.estimated = false;
        }
    }
    // This tick's share of copying the period before.
    const size_t ticksLeft = size_t(StageTicks - tick % StageTicks);
    copyStaged(m_copied + (m_series.size() - m_copied + ticksLeft - 1) / ticksLeft);
}

void SeriesHistory::copyStaged(size_t end)
{
    end = qMin(end, m_series.size());
    const qint64 period = m_ticks == 0 ? -1 : (m_ticks - 1) / StageTicks - 1;
    const qint64 from = qMax(period * StageTicks, firstTick());
    const qint64 to = (period + 1) * StageTicks;
    if (period < 0 || from >= to) {
        m_copied = qMax(m_copied, end);
        return;
    }
    const int slot = int(from % m_capacity);
    for (; m_copied < end; ++m_copied) {
        // Each series' run lies on a page of its own: fetch a few series' ahead.
        constexpr size_t Ahead = 8;
        if (m_copied + Ahead < end) {
            const Page &ahead = page(int(m_copied + Ahead), slot / PageSize);
            if (ahead.values)
                __builtin_prefetch(ahead.values + slot % PageSize, 1);
        }
        for (qint64 t = from; t < to; ++t)
            writePage(int(m_copied), t, stageCell(int(m_copied), t));
    }
}

qint64 SeriesHistory::stagedFrom(int index) const
{
    const qint64 newest = m_ticks == 0 ? 0 : (m_ticks - 1) / StageTicks * StageTicks;
    return size_t(index) < m_copied ? newest : qMax<qint64>(0, newest - StageTicks);
}

float *SeriesHistory::takePage()
{
    if (!m_freePages.empty()) {
        float *values = m_freePages.back();
        m_freePages.pop_back();
        return values;
    }
    if (m_slabUsed == SlabPages) {
        m_slabs.push_back(std::make_unique<float[]>(size_t(SlabPages) * PageSize));
        m_slabUsed = 0;
    }
    return m_slabs.back().get() + size_t(m_slabUsed++) * PageSize;
}

void SeriesHistory::givePage(Page &page)
{
    if (page.values)
        m_freePages.push_back(page.values);
    page = Page();
}

void SeriesHistory::writePage(int index, qint64 tick, float value)
{
    const int slot = int(tick % m_capacity);
    Page &page = this->page(index, slot / PageSize);
    const bool isNumber = !std::isnan(value);
    if (!page.values) {
        if (!isNumber)
            return;
        page.values = takePage();
        std::fill_n(page.values, PageSize, Gap);
    }
    float &cell = page.values[size_t(slot % PageSize)];
    page.filled += int(isNumber) - int(!std::isnan(cell));
    cell = value;
    if (page.filled == 0)
        givePage(page);
}

float SeriesHistory::read(int index, qint64 tick) const
{
    if (tick >= stagedFrom(index))
        return m_stage[stageRow(tick) * size_t(m_seriesCapacity) + size_t(index)];
    const int slot = int(tick % m_capacity);
    const Page &page = this->page(index, slot / PageSize);
    return page.values ? page.values[size_t(slot % PageSize)] : Gap;
}

int SeriesHistory::tickCount() const
{
    return int(m_ticks - firstTick());
}

qint64 SeriesHistory::firstTimeMs() const
{
    return m_ticks > 0 ? timeOf(firstTick()) : 0;
}

qint64 SeriesHistory::lastTimeMs() const
{
    return m_ticks > 0 ? timeOf(m_ticks - 1) : 0;
}

QList<SeriesKey> SeriesHistory::keys() const
{
    QList<SeriesKey> keys;
    keys.reserve(m_index.size());
    for (const Series &series : m_series) {
        if (series.live)
            keys.append(series.key);
    }
    return keys;
}

QList<QByteArray> SeriesHistory::groupsOf(const QByteArray &stream) const
{
    QSet<QByteArray> groups;
    for (const Series &series : m_series) {
        if (series.live && series.key.stream == stream && !series.key.group.isEmpty())
            groups.insert(series.key.group);
    }
    QList<QByteArray> sorted(groups.cbegin(), groups.cend());
    std::sort(sorted.begin(), sorted.end());
    return sorted;
}

bool SeriesHistory::isEstimated(const SeriesKey &key) const
{
    const int index = indexOf(key);
    return index >= 0 && m_series[size_t(index)].estimated;
}

double SeriesHistory::latest(const SeriesKey &key) const
{
    const int index = indexOf(key);
    if (index < 0 || m_ticks == 0)
        return std::numeric_limits<double>::quiet_NaN();
    return double(read(index, m_ticks - 1));
}

qint64 SeriesHistory::tickAtOrAfter(qint64 timeMs) const
{
    qint64 lo = firstTick();
    qint64 hi = m_ticks;
    while (lo < hi) {
        const qint64 mid = lo + (hi - lo) / 2;
        if (timeOf(mid) < timeMs)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

SeriesSamples SeriesHistory::samples(const SeriesKey &key, qint64 fromMs, qint64 toMs) const
{
    SeriesSamples out;
    const qint64 begin = tickAtOrAfter(fromMs);
    const qint64 end = tickAtOrAfter(toMs + 1);
    if (end <= begin)
        return out;
    out.timesMs.reserve(end - begin);
    out.values.reserve(end - begin);
    const int index = indexOf(key);
    for (qint64 t = begin; t < end; ++t) {
        out.timesMs.append(timeOf(t));
        out.values.append(index < 0 ? Gap : read(index, t));
    }
    return out;
}

void SeriesHistory::reduce(const SeriesKey &key, qint64 fromMs, qint64 toMs,
                           ColumnReducer *reducer) const
{
    const int index = indexOf(key);
    if (index < 0)
        return;
    const qint64 begin = tickAtOrAfter(fromMs);
    const qint64 end = tickAtOrAfter(toMs + 1);
    const qint64 staged = stagedFrom(index);
    const qint64 pagedEnd = qMin(end, staged);
    // A run of gap ticks is one gap bucket: it ends the reducer's run all the same.
    bool inGap = false;
    const auto add = [&](qint64 timeMs, float value) {
        if (std::isnan(value)) {
            if (!inGap)
                reducer->add(HistoryBucket::gap(timeMs));
            inGap = true;
            return;
        }
        inGap = false;
        reducer->add(HistoryBucket::sample(timeMs, value));
    };
    // A page at a time: a page never written is one gap.
    for (qint64 t = begin; t < pagedEnd;) {
        const int slot = int(t % m_capacity);
        const int inPage = slot % PageSize;
        const int run = int(qMin<qint64>(pagedEnd - t, qMin(PageSize - inPage, m_capacity - slot)));
        const Page &page = this->page(index, slot / PageSize);
        if (!page.values) {
            add(timeOf(t), Gap);
        } else {
            const qint64 *times = m_times.data() + slot;
            const float *values = page.values + inPage;
            for (int i = 0; i < run; ++i)
                add(times[i], values[i]);
        }
        t += run;
    }
    for (qint64 t = qMax(begin, staged); t < end; ++t)
        add(timeOf(t), read(index, t));
}

bool SeriesHistory::nearestTick(qint64 timeMs, qint64 *tickTimeMs) const
{
    if (m_ticks == 0)
        return false;
    qint64 t = tickAtOrAfter(timeMs);
    if (t == m_ticks)
        t = m_ticks - 1;
    else if (t > firstTick() && timeMs - timeOf(t - 1) < timeOf(t) - timeMs)
        t = t - 1;
    *tickTimeMs = timeOf(t);
    return true;
}

double SeriesHistory::valueAt(const SeriesKey &key, qint64 tickTimeMs) const
{
    const int index = indexOf(key);
    const qint64 t = tickAtOrAfter(tickTimeMs);
    if (index < 0 || t == m_ticks || timeOf(t) != tickTimeMs)
        return std::numeric_limits<double>::quiet_NaN();
    return double(read(index, t));
}

static_assert(sizeof(void *) != 8 || sizeof(std::unique_ptr<float[]>) + sizeof(int) <= 16);

// A series' bookkeeping besides its pages: its place in the array of series and its node in
// the index by key, each counted twice (both grow by doubling), its names' heap blocks
// (a block header and malloc's own, 32 bytes, besides the characters) and its page table.
qint64 SeriesHistory::seriesOverhead(const SeriesKey &key, int pages)
{
    const auto name = [](const QByteArray &bytes) {
        return bytes.isEmpty() ? 0 : 32 + qint64(bytes.capacity());
    };
    return 2 * (qint64(sizeof(Series)) + qint64(sizeof(SeriesKey)) + 8) + name(key.stream)
           + name(key.group) + name(key.consumer) + qint64(pages) * 16;
}

qint64 SeriesHistory::bytesPerSeries() const
{
    const int pages = pagesFor(m_capacity);
    // A typical key: a stream's and a group's name of up to 16 bytes each.
    const QByteArray typical(16, 'x');
    return qint64(pages) * PageSize * qint64(sizeof(float))
           + seriesOverhead(SeriesKey{typical, typical, {}, Metric::Lag}, pages)
           + 2 * StageTicks * qint64(sizeof(float));
}

qint64 SeriesHistory::memoryBytes() const
{
    qint64 bytes = qint64(m_times.capacity()) * qint64(sizeof(qint64))
                   + qint64(m_stage.capacity()) * qint64(sizeof(float));
    for (const Series &series : m_series)
        bytes += seriesOverhead(series.key, pagesPerSeries());
    // The slabs, whole: pages in use, pages given back and kept, and the newest slab's rest.
    return bytes + qint64(m_slabs.size()) * SlabPages * PageSize * qint64(sizeof(float));
}
