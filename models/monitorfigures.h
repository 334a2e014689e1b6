#pragma once

#include <QByteArray>
#include <QHash>
#include <QMetaType>
#include <QSet>
#include <QString>

#include <cmath>
#include <limits>

// What the live monitor hands on once per tick, flattened into figures keyed by series:
// the history keeps each series in a ring buffer, the charts draw them, the alert rules
// watch them, the dashboard shows the newest. The monitor (StreamMonitor) produces them.

enum class Metric : quint8 {
    // Per stream (group and consumer empty).
    Length,           // entries
    AddedPerSecond,   // entries added per second
    DeadLetters,      // entries in the stream's dead-letter stream (absent: none known)
    // Per group (consumer empty).
    Lag,              // entries not yet delivered to the group (estimated: see estimated)
    TimeLagMs,        // age of the oldest undelivered entry, ms (0: none undelivered)
    Pending,          // entries delivered but not acked
    ReadPerSecond,    // entries the group read per second
    Consumers,        // consumers in the group
    OldestPendingIdleMs, // idle time of the group's oldest pending entry, ms
    DrainSeconds,     // lag / net consume rate; +infinity: never (the lag grows)
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

// One tick. A series missing from `values` was not measured this tick (a rate needs two
// samples; a stream deleted while watched has no figures): the history draws a gap.
struct MonitorFigures
{
    qint64 timeMs = 0; // when the batch was sent, ms since the epoch
    bool ok = true;    // false: the tick's batch failed (error says why); values is empty
    QString error;
    QHash<SeriesKey, double> values;
    QSet<SeriesKey> estimated; // values Redis did not give but Weir estimated (nil lag)
};

Q_DECLARE_METATYPE(MonitorFigures)

inline constexpr double Never = std::numeric_limits<double>::infinity();
