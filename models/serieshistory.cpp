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

void SeriesHistory::setRecordedMetrics(const QSet<Metric> &metrics)
{
    m_metrics = metrics;
    m_catalogReader.reset();
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
    m_catalogReader.reset(); // m_byNumber pointed at the old series
}

void SeriesHistory::clear()
{
    m_ticks = 0;
    m_series.clear();
    m_catalogReader.reset();
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

    // Drop the series that stayed empty for too long.
    const qint64 newest = m_ticks - 1;
    const qint64 dropAfterTicks = qMax<qint64>(1, m_dropAfterMs / m_intervalMs);
    QList<SeriesKey> dropped;
    for (auto it = m_series.begin(); it != m_series.end();) {
        const qint64 since = qMax(it->second.lastValueTick, it->second.createdTick);
        if (newest - since >= dropAfterTicks) {
            dropped.append(it->first);
            if (it->second.id >= 0)
                m_byNumber[size_t(it->second.id)] = nullptr;
            it = m_series.erase(it);
        } else {
            ++it;
        }
    }
    Q_EMIT recorded(figures.timeMs);
    for (const SeriesKey &key : std::as_const(dropped))
        Q_EMIT seriesDropped(key);
}

void SeriesHistory::mapNumbers(const SeriesCatalog &catalog)
{
    const SeriesCatalogReader::News news = m_catalogReader.read(catalog);
    if (news.restart) {
        for (auto &entry : m_series)
            entry.second.id = -1;
        m_recordedNumber.clear();
        m_byNumber.clear();
    }
    m_recordedNumber.resize(size_t(catalog.size()), false);
    m_byNumber.resize(size_t(catalog.size()), nullptr);
    for (int id = news.from; id < catalog.size(); ++id) {
        const SeriesKey &key = catalog.key(id);
        if (!m_metrics.contains(key.metric))
            continue;
        m_recordedNumber[size_t(id)] = true;
        const auto it = m_series.find(key);
        if (it != m_series.end()) {
            it->second.id = id;
            m_byNumber[size_t(id)] = &it->second;
        }
    }
}

void SeriesHistory::appendTick(qint64 timeMs, const MonitorFigures *figures)
{
    const qint64 tick = m_ticks++;
    m_times[size_t(tick % m_capacity)] = timeMs;
    if (figures) {
        const SeriesFigures &values = figures->values;
        mapNumbers(values.catalog());
        for (int id = 0; id < values.idCount(); ++id) {
            if (!m_recordedNumber[size_t(id)])
                continue;
            Series *series = m_byNumber[size_t(id)];
            const double value = values.at(id);
            if (!series) {
                if (std::isnan(value))
                    continue;
                Series fresh;
                fresh.pages.resize(size_t(pagesFor(m_capacity)));
                fresh.createdTick = tick;
                fresh.id = id;
                series = &m_series.emplace(values.catalog().key(id), std::move(fresh))
                              .first->second;
                m_byNumber[size_t(id)] = series;
            }
            write(*series, tick, float(value));
            series->writtenTick = tick;
            series->estimated = values.estimatedAt(id);
            if (!std::isnan(value))
                series->lastValueTick = tick;
        }
    }
    // The series the tick had no value for.
    for (auto &entry : m_series) {
        Series &series = entry.second;
        if (series.writtenTick != tick) {
            write(series, tick, Gap);
            series.estimated = false;
        }
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

bool SeriesHistory::isEstimated(const SeriesKey &key) const
{
    const auto it = m_series.find(key);
    return it != m_series.cend() && it->second.estimated;
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
