#pragma once

#include <QByteArray>
#include <QHash>
#include <QMetaType>
#include <QSet>
#include <QString>

#include <cmath>
#include <limits>
#include <memory>
#include <vector>

// What the live monitor hands on once per tick, flattened into figures keyed by series:
// the history keeps each series in a ring buffer, the charts draw them, the alert rules
// watch them, the dashboard shows the newest. The monitor (StreamMonitor) produces them.

enum class Metric : quint8 {
    // Per stream (group and consumer empty).
    Length,         // entries
    AddedPerSecond, // entries added per second
    DeadLetters,    // entries in the stream's dead-letter stream (absent: none known)
    // Per group (consumer empty).
    Lag,                 // entries not yet delivered to the group (estimated: see estimated)
    TimeLagMs,           // age of the oldest undelivered entry, ms (0: none undelivered)
    Pending,             // entries delivered but not acked
    ReadPerSecond,       // entries the group read per second
    Consumers,           // consumers in the group
    OldestPendingIdleMs, // idle time of the group's oldest pending entry, ms
    DrainSeconds,        // lag / net consume rate; +infinity: never (the lag grows)
    // Per consumer.
    ConsumerPending,
    ConsumerIdleMs,
};

struct SeriesKey
{
    QByteArray stream;
    QByteArray group;    // empty for a stream's own figures
    QByteArray consumer; // empty unless a consumer's
    Metric metric = Metric::Length;

    friend bool operator==(const SeriesKey &a, const SeriesKey &b)
    {
        return a.metric == b.metric && a.stream == b.stream && a.group == b.group
               && a.consumer == b.consumer;
    }
};

inline size_t qHash(const SeriesKey &key, size_t seed = 0)
{
    return qHashMulti(seed, key.stream, key.group, key.consumer, int(key.metric));
}

// Series keys numbered 0, 1, 2... A tick's figures are then an array indexed by number,
// and the history, the alert rules and the dashboard, which see every figure of every tick
// (26,000 of them for 1,000 streams of 3 groups), hash a key only when it is new to them
// instead of on every tick.
//
// A catalog only grows: a key keeps its number. Catalogs of one lineage agree on every
// number they both hold, so a reader that has seen numbers below n of a lineage only has
// to look at the ones from n on (see SeriesCatalogReader). The monitor extends its lineage
// by copying its catalog, adding to the copy and never touching the old one again; a copy
// extended after another copy of the same size was starts a lineage of its own (fork()).
//
// The catalogs of a lineage share their keys: a copy costs a pointer per 4,096 keys, and
// adding to it writes only past the end of every older copy, so the monitor can extend
// its copy while another thread reads an older one. find() and add() take a lock the
// lineage shares; size(), key() and lineage() take none.
class SeriesCatalog
{
public:
    SeriesCatalog();

    int size() const { return m_size; }
    const SeriesKey &key(int id) const
    {
        return m_chunks[size_t(id) >> ChunkBits][size_t(id) & (ChunkSize - 1)];
    }
    // The key's number, or -1.
    int find(const SeriesKey &key) const;
    // The key's number, added at the end when new.
    int add(const SeriesKey &key);
    quint64 lineage() const;
    // A copy with a lineage of its own.
    SeriesCatalog fork() const;

private:
    static constexpr int ChunkBits = 12;
    static constexpr size_t ChunkSize = size_t(1) << ChunkBits;
    struct Lineage;

    std::shared_ptr<Lineage> m_lineage;
    std::vector<std::shared_ptr<SeriesKey[]>> m_chunks; // ChunkSize keys each, never moved
    int m_size = 0;
};

// What a reader of catalogs (one per consumer of the figures) has seen: which numbers of
// the current catalog are new to it.
class SeriesCatalogReader
{
public:
    // The first number not seen before, and whether everything seen before is void (a new
    // lineage: the reader forgets what it mapped and maps every number again).
    struct News
    {
        int from = 0;
        bool restart = false;
    };
    News read(const SeriesCatalog &catalog);
    // Forget everything: the next read() restarts.
    void reset() { m_seen = -1; }

private:
    quint64 m_lineage = 0;
    int m_seen = -1;
};

// One tick's values: a value per number of the catalog, NaN where the series was not
// measured, and whether Weir estimated it (nil lag). Producers that build figures by key
// (the tests) use insert(); the monitor hands over a whole array built on its own thread.
class SeriesFigures
{
public:
    SeriesFigures() = default;
    SeriesFigures(std::shared_ptr<const SeriesCatalog> catalog, std::vector<double> values,
                  std::vector<bool> estimated);

    // By key.
    void insert(const SeriesKey &key, double value, bool estimated = false);
    void remove(const SeriesKey &key);
    void setEstimated(const SeriesKey &key, bool estimated = true);
    double value(const SeriesKey &key,
                 double fallback = std::numeric_limits<double>::quiet_NaN()) const;
    bool contains(const SeriesKey &key) const;
    bool isEstimated(const SeriesKey &key) const;
    // Values measured.
    int count() const;
    bool isEmpty() const { return count() == 0; }
    // Calls f(key, value, estimated) for every value measured, in number order.
    template<typename F> void forEach(F f) const
    {
        for (int id = 0; id < idCount(); ++id) {
            if (has(id))
                f(m_catalog->key(id), m_values[size_t(id)], bool(m_estimated[size_t(id)]));
        }
    }

    // By number.
    const SeriesCatalog &catalog() const;
    int idCount() const { return int(m_values.size()); }
    bool has(int id) const { return !std::isnan(m_values[size_t(id)]); }
    double at(int id) const { return m_values[size_t(id)]; }
    bool estimatedAt(int id) const { return m_estimated[size_t(id)]; }

    // The same keys measured, with the same values and marks.
    friend bool operator==(const SeriesFigures &a, const SeriesFigures &b);

private:
    int idFor(const SeriesKey &key); // adds the key to a catalog these figures own

    std::shared_ptr<const SeriesCatalog> m_catalog;
    bool m_ownsCatalog = false; // made by insert(): extended in place while not shared
    std::vector<double> m_values;
    std::vector<bool> m_estimated;
};

// One tick. A series without a value was not measured this tick (a rate needs two
// samples; a stream deleted while watched has no figures): the history draws a gap.
struct MonitorFigures
{
    qint64 timeMs = 0; // when the batch was sent, ms since the epoch
    bool ok = true;    // false: the tick's batch failed (error says why); values is empty
    QString error;
    SeriesFigures values;
    // Watching every stream: how many streams the last scan found that the watch cap
    // leaves unwatched (0 when it leaves none, or the streams are a chosen list).
    int streamsLeftOut = 0;
};

Q_DECLARE_METATYPE(MonitorFigures)

inline constexpr double Never = std::numeric_limits<double>::infinity();
