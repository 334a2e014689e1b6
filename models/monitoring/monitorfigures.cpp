#include "monitorfigures.h"

#include <atomic>
#include <mutex>
#include <shared_mutex>

namespace {
quint64 nextLineage()
{
    static std::atomic<quint64> last{0};
    return ++last;
}

const SeriesCatalog &emptyCatalog()
{
    static const SeriesCatalog empty;
    return empty;
}
} // namespace

// The keys' numbers, shared by the catalogs of one lineage; `size` is the largest
// catalog's. Numbers at or past a catalog's size belong to a larger copy.
struct SeriesCatalog::Lineage
{
    quint64 id = nextLineage();
    std::shared_mutex lock;
    QHash<SeriesKey, int> ids;
    int size = 0;
};

SeriesCatalog::SeriesCatalog()
    : m_lineage(std::make_shared<Lineage>())
{}

quint64 SeriesCatalog::lineage() const
{
    return m_lineage->id;
}

int SeriesCatalog::find(const SeriesKey &key) const
{
    const std::shared_lock lock(m_lineage->lock);
    const int id = m_lineage->ids.value(key, -1);
    return id < m_size ? id : -1;
}

int SeriesCatalog::add(const SeriesKey &key)
{
    std::unique_lock lock(m_lineage->lock);
    if (const auto known = m_lineage->ids.constFind(key);
        known != m_lineage->ids.cend() && *known < m_size)
        return *known;
    if (m_lineage->size != m_size) {
        // Another copy took the numbers from m_size on.
        lock.unlock();
        *this = fork();
        return add(key);
    }
    const int id = m_size;
    if (size_t(id) % ChunkSize == 0)
        m_chunks.push_back(std::shared_ptr<SeriesKey[]>(new SeriesKey[ChunkSize]));
    m_chunks.back()[size_t(id) % ChunkSize] = key;
    m_lineage->ids.insert(key, id);
    m_lineage->size = ++m_size;
    return id;
}

SeriesCatalog SeriesCatalog::fork() const
{
    SeriesCatalog copy;
    for (int id = 0; id < m_size; ++id)
        copy.add(key(id));
    return copy;
}

SeriesCatalogReader::News SeriesCatalogReader::read(const SeriesCatalog &catalog)
{
    News news;
    if (m_seen < 0 || catalog.lineage() != m_lineage || catalog.size() < m_seen) {
        news.restart = true;
        m_lineage = catalog.lineage();
    } else {
        news.from = m_seen;
    }
    m_seen = catalog.size();
    return news;
}

SeriesFigures::SeriesFigures(std::shared_ptr<const SeriesCatalog> catalog,
                             std::vector<double> values, std::vector<bool> estimated)
    : m_catalog(std::move(catalog))
    , m_values(std::move(values))
    , m_estimated(std::move(estimated))
{
    Q_ASSERT(m_catalog && int(m_values.size()) == m_catalog->size()
             && m_estimated.size() == m_values.size());
}

const SeriesCatalog &SeriesFigures::catalog() const
{
    return m_catalog ? *m_catalog : emptyCatalog();
}

int SeriesFigures::idFor(const SeriesKey &key)
{
    if (m_catalog) {
        if (const int id = m_catalog->find(key); id >= 0)
            return id;
    }
    // Extend in place only a catalog these figures made and nobody else holds; anything
    // else is forked, so no two catalogs of one lineage ever disagree.
    if (!m_catalog) {
        m_catalog = std::make_shared<SeriesCatalog>();
    } else if (!m_ownsCatalog || m_catalog.use_count() > 1) {
        m_catalog = std::make_shared<SeriesCatalog>(m_catalog->fork());
    }
    m_ownsCatalog = true;
    const int id = const_cast<SeriesCatalog &>(*m_catalog).add(key);
    m_values.resize(size_t(m_catalog->size()), std::numeric_limits<double>::quiet_NaN());
    m_estimated.resize(m_values.size(), false);
    return id;
}

void SeriesFigures::insert(const SeriesKey &key, double value, bool estimated)
{
    const int id = idFor(key);
    m_values[size_t(id)] = value;
    m_estimated[size_t(id)] = estimated;
}

void SeriesFigures::remove(const SeriesKey &key)
{
    const int id = catalog().find(key);
    if (id >= 0 && id < idCount()) {
        m_values[size_t(id)] = std::numeric_limits<double>::quiet_NaN();
        m_estimated[size_t(id)] = false;
    }
}

void SeriesFigures::setEstimated(const SeriesKey &key, bool estimated)
{
    const int id = catalog().find(key);
    if (id >= 0 && id < idCount())
        m_estimated[size_t(id)] = estimated;
}

double SeriesFigures::value(const SeriesKey &key, double fallback) const
{
    const int id = catalog().find(key);
    return id >= 0 && id < idCount() && has(id) ? at(id) : fallback;
}

bool SeriesFigures::contains(const SeriesKey &key) const
{
    const int id = catalog().find(key);
    return id >= 0 && id < idCount() && has(id);
}

bool SeriesFigures::isEstimated(const SeriesKey &key) const
{
    const int id = catalog().find(key);
    return id >= 0 && id < idCount() && has(id) && estimatedAt(id);
}

int SeriesFigures::count() const
{
    int n = 0;
    for (int id = 0; id < idCount(); ++id)
        n += int(has(id));
    return n;
}

bool operator==(const SeriesFigures &a, const SeriesFigures &b)
{
    if (a.count() != b.count())
        return false;
    bool same = true;
    a.forEach([&](const SeriesKey &key, double value, bool estimated) {
        same = same && b.value(key) == value && b.isEstimated(key) == estimated;
    });
    return same;
}
