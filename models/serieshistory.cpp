#include "serieshistory.h"

#include <algorithm>
#include <cmath>

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

void SeriesHistory::setInterval(int intervalMs)
{
    intervalMs = qMax(1, intervalMs);
    if (intervalMs == m_intervalMs)
        return;
    m_intervalMs = intervalMs;
    resize(capacityFor(m_spanMs, m_intervalMs));
}

void SeriesHistory::resize(int capacity)
{
    if (capacity == m_capacity)
        return;
    const qint64 oldFirst = firstTick();
    const qint64 keepFrom = qMax(oldFirst, m_ticks - capacity);
    std::vector<qint64> oldTimes = std::move(m_times);
    auto oldSeries = std::move(m_series);
    const int oldCapacity = m_capacity;

    m_capacity = capacity;
    m_times.assign(size_t(m_capacity), 0);
    m_series.clear();
    for (qint64 t = keepFrom; t < m_ticks; ++t)
        m_times[size_t(t % m_capacity)] = oldTimes[size_t(t % oldCapacity)];
    for (const auto &[key, old] : oldSeries) {
        Series copy;
        copy.pages.resize(size_t(pagesFor(m_capacity)));
        copy.lastValueTick = old.lastValueTick;
        copy.createdTick = old.createdTick;
        for (qint64 t = keepFrom; t < m_ticks; ++t) {
            const int slot = int(t % oldCapacity);
            const Page &page = old.pages[size_t(slot / PageSize)];
            if (page.values)
                write(copy, t, page.values[size_t(slot % PageSize)]);
        }
        m_series.emplace(key, std::move(copy));
    }
}

void SeriesHistory::clear()
{
    m_ticks = 0;
    m_series.clear();
    m_estimated.clear();
    std::fill(m_times.begin(), m_times.end(), 0);
}

void SeriesHistory::record(const MonitorFigures &figures)
{
    if (m_ticks > 0) {
        const qint64 last = lastTimeMs();
        if (figures.timeMs < last)
            return;
        // Ticks that did not happen: one gap tick keeps the line from bridging them.
        if (figures.timeMs - last > m_intervalMs * 5 / 2)
            appendTick(last + m_intervalMs, nullptr);
    }
    appendTick(figures.timeMs, figures.ok ? &figures : nullptr);
    m_estimated = figures.ok ? figures.estimated : QSet<SeriesKey>();

    // Drop the series that stayed empty for too long.
    const qint64 newest = m_ticks - 1;
    const qint64 dropAfterTicks = qMax<qint64>(1, m_dropAfterMs / m_intervalMs);
    QList<SeriesKey> dropped;
    for (auto it = m_series.begin(); it != m_series.end();) {
        const qint64 since = qMax(it->second.lastValueTick, it->second.createdTick);
        if (newest - since >= dropAfterTicks) {
            dropped.append(it->first);
            it = m_series.erase(it);
        } else {
            ++it;
        }
    }
    Q_EMIT recorded(figures.timeMs);
    for (const SeriesKey &key : std::as_const(dropped))
        Q_EMIT seriesDropped(key);
}

void SeriesHistory::appendTick(qint64 timeMs, const MonitorFigures *figures)
{
    const qint64 tick = m_ticks++;
    m_times[size_t(tick % m_capacity)] = timeMs;
    if (figures) {
        for (auto it = figures->values.cbegin(); it != figures->values.cend(); ++it) {
            if (std::isnan(it.value()) || !m_metrics.contains(it.key().metric)
                || m_series.count(it.key()))
                continue;
            Series series;
            series.pages.resize(size_t(pagesFor(m_capacity)));
            series.createdTick = tick;
            m_series.emplace(it.key(), std::move(series));
        }
    }
    for (auto &[key, series] : m_series) {
        float value = Gap;
        if (figures) {
            const auto found = figures->values.constFind(key);
            if (found != figures->values.cend())
                value = float(found.value());
        }
        write(series, tick, value);
        if (!std::isnan(value))
            series.lastValueTick = tick;
    }
}

void SeriesHistory::write(Series &series, qint64 tick, float value)
{
    const int slot = int(tick % m_capacity);
    Page &page = series.pages[size_t(slot / PageSize)];
    const bool isNumber = !std::isnan(value);
    if (!page.values) {
        if (!isNumber)
            return;
        page.values = std::make_unique<float[]>(PageSize);
        std::fill_n(page.values.get(), PageSize, Gap);
    }
    float &cell = page.values[size_t(slot % PageSize)];
    page.filled += int(isNumber) - int(!std::isnan(cell));
    cell = value;
    if (page.filled == 0)
        page.values.reset();
}

float SeriesHistory::read(const Series &series, qint64 tick) const
{
    const int slot = int(tick % m_capacity);
    const Page &page = series.pages[size_t(slot / PageSize)];
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
    keys.reserve(qsizetype(m_series.size()));
    for (const auto &entry : m_series)
        keys.append(entry.first);
    return keys;
}

QList<QByteArray> SeriesHistory::groupsOf(const QByteArray &stream) const
{
    QSet<QByteArray> groups;
    for (const auto &entry : m_series) {
        if (entry.first.stream == stream && !entry.first.group.isEmpty())
            groups.insert(entry.first.group);
    }
    QList<QByteArray> sorted(groups.cbegin(), groups.cend());
    std::sort(sorted.begin(), sorted.end());
    return sorted;
}

double SeriesHistory::latest(const SeriesKey &key) const
{
    const auto it = m_series.find(key);
    if (it == m_series.cend() || m_ticks == 0)
        return std::numeric_limits<double>::quiet_NaN();
    return double(read(it->second, m_ticks - 1));
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
    const auto it = m_series.find(key);
    for (qint64 t = begin; t < end; ++t) {
        out.timesMs.append(timeOf(t));
        out.values.append(it == m_series.cend() ? Gap : read(it->second, t));
    }
    return out;
}

Segments SeriesHistory::decimated(const SeriesKey &key, qint64 fromMs, qint64 toMs,
                                 int pixels) const
{
    const auto it = m_series.find(key);
    if (it == m_series.cend() || pixels <= 0)
        return {};
    Decimator decimator(fromMs, toMs, pixels);
    const qint64 end = tickAtOrAfter(toMs + 1);
    // A page at a time: a page never written is one gap.
    for (qint64 t = tickAtOrAfter(fromMs); t < end;) {
        const int slot = int(t % m_capacity);
        const int inPage = slot % PageSize;
        const int run = int(qMin<qint64>(end - t, qMin(PageSize - inPage, m_capacity - slot)));
        const Page &page = it->second.pages[size_t(slot / PageSize)];
        if (!page.values) {
            decimator.add(timeOf(t), Gap);
        } else {
            const float *values = page.values.get() + inPage;
            const qint64 *times = m_times.data() + slot;
            for (int i = 0; i < run; ++i)
                decimator.add(times[i], values[i]);
        }
        t += run;
    }
    return decimator.finish();
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
    const auto it = m_series.find(key);
    const qint64 t = tickAtOrAfter(tickTimeMs);
    if (it == m_series.cend() || t == m_ticks || timeOf(t) != tickTimeMs)
        return std::numeric_limits<double>::quiet_NaN();
    return double(read(it->second, t));
}

static_assert(sizeof(void *) != 8 || sizeof(std::unique_ptr<float[]>) + sizeof(int) <= 16);

static qint64 seriesOverhead(const SeriesKey &key, int pages)
{
    // The hash node with its key, the key's bytes, the page table.
    return qint64(sizeof(SeriesKey)) + 64 + key.stream.capacity() + key.group.capacity()
        + key.consumer.capacity() + qint64(pages) * 16;
}

qint64 SeriesHistory::bytesPerSeries() const
{
    const int pages = pagesFor(m_capacity);
    return qint64(pages) * PageSize * qint64(sizeof(float)) + seriesOverhead(SeriesKey(), pages);
}

qint64 SeriesHistory::memoryBytes() const
{
    qint64 bytes = qint64(m_times.capacity()) * qint64(sizeof(qint64));
    for (const auto &[key, series] : m_series) {
        bytes += seriesOverhead(key, int(series.pages.size()));
        for (const Page &page : series.pages) {
            if (page.values)
                bytes += PageSize * qint64(sizeof(float));
        }
    }
    return bytes;
}
