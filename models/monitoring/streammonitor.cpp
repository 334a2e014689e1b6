#include "streammonitor.h"

#include "threadcheck.h"

#include <QDateTime>
#include <QSet>

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <utility>

namespace monitormath {

std::optional<double> addedPerSecond(const StreamInfo &before, const StreamInfo &after,
                                     double seconds, bool *estimated)
{
    if (estimated)
        *estimated = false;
    if (!(seconds > 0))
        return std::nullopt;
    if (before.entriesAdded && after.entriesAdded) {
        const qint64 delta = *after.entriesAdded - *before.entriesAdded;
        if (delta < 0)
            return std::nullopt;
        return double(delta) / seconds;
    }
    const StreamId a = before.lastGeneratedId;
    const StreamId b = after.lastGeneratedId;
    if (b < a)
        return std::nullopt;
    if (a == b)
        return 0.0;
    if (a.ms == b.ms)
        return double(b.seq - a.seq) / seconds;
    if (estimated)
        *estimated = true;
    // At least one entry was added (the id moved); trimming may hide more.
    const qint64 grown = after.length - before.length;
    return double(std::max<qint64>(grown, 1)) / seconds;
}

Lag groupLag(const StreamInfo &stream, const GroupInfo &group, const NextEntries &next)
{
    if (group.lag)
        return {group.lag, false};
    if (!(group.lastDeliveredId < stream.lastGeneratedId) || stream.length == 0)
        return {0, true};
    if (stream.entriesAdded && group.entriesRead) {
        const qint64 lag =
            std::clamp<qint64>(*stream.entriesAdded - *group.entriesRead, 0, stream.length);
        return {lag, true};
    }
    if (!next.asked)
        return {std::nullopt, true};
    if (next.count < next.limit || !next.last)
        return {next.count, true};
    // Stopped at the limit: spread the length over the id time after the last one counted.
    const StreamId first = stream.firstEntryId.value_or(*next.first);
    const double span = double(stream.lastGeneratedId.ms) - double(first.ms) + 1.0;
    const double after = double(stream.lastGeneratedId.ms) - double(next.last->ms);
    const double more = span > 0 ? double(stream.length) * std::max(0.0, after) / span : 0.0;
    const qint64 lag = std::min<qint64>(stream.length, next.count + qint64(std::llround(more)));
    return {std::max<qint64>(lag, next.count), true};
}

std::optional<StreamId> undeliveredFrom(const StreamInfo &stream, const GroupInfo &group)
{
    // Right after the last-delivered id, which is below the stream's last id, so never the
    // top id.
    if ((group.lag && *group.lag == 0) || stream.length == 0
        || !(group.lastDeliveredId < stream.lastGeneratedId))
        return std::nullopt;
    return group.lastDeliveredId.next();
}

qint64 timeLagMs(qint64 nowMs, const std::optional<StreamId> &nextUndelivered)
{
    if (!nextUndelivered)
        return 0;
    return std::max<qint64>(0, nowMs - qint64(nextUndelivered->ms));
}

std::optional<double>
readPerSecond(const std::optional<qint64> &readBefore, const std::optional<qint64> &readAfter,
              const std::optional<qint64> &lagBefore, const std::optional<qint64> &lagAfter,
              const std::optional<double> &addedPerSecond, double seconds, bool *estimated)
{
    if (estimated)
        *estimated = false;
    if (!(seconds > 0))
        return std::nullopt;
    if (readBefore && readAfter && *readAfter >= *readBefore)
        return double(*readAfter - *readBefore) / seconds;
    if (lagBefore && lagAfter && addedPerSecond) {
        if (estimated)
            *estimated = true;
        return std::max(0.0, *addedPerSecond - double(*lagAfter - *lagBefore) / seconds);
    }
    return std::nullopt;
}

double drainSeconds(double lag, double readPerSecond, double addedPerSecond)
{
    if (lag <= 0)
        return 0;
    const double net = readPerSecond - addedPerSecond;
    if (net <= 0)
        return Never;
    return lag / net;
}

} // namespace monitormath

namespace {

// TIME: [seconds, microseconds].
std::optional<qint64> parseTimeMs(const RedisValue &reply)
{
    if (!reply.isArray() || reply.size() != 2)
        return std::nullopt;
    bool ok1 = false, ok2 = false;
    const qint64 s = reply.at(0).bytes().toLongLong(&ok1);
    const qint64 us = reply.at(1).bytes().toLongLong(&ok2);
    if (!ok1 || !ok2)
        return std::nullopt;
    return s * 1000 + us / 1000;
}

// XRANGE reply, only what the lag needs: how many entries, the first and last ids.
bool parseRangeIds(const RedisValue &reply, monitormath::NextEntries *next)
{
    if (!reply.isArray())
        return false;
    next->count = int(reply.size());
    next->first.reset();
    next->last.reset();
    if (reply.size() == 0)
        return true;
    const RedisValue &a = reply.at(0);
    const RedisValue &b = reply.at(reply.size() - 1);
    if (!a.isArray() || a.size() < 1 || !b.isArray() || b.size() < 1)
        return false;
    next->first = StreamId::parse(a.at(0).bytes());
    next->last = StreamId::parse(b.at(0).bytes());
    return next->first && next->last;
}

SeriesKey key(const QByteArray &stream, const QByteArray &group, Metric metric)
{
    return SeriesKey{stream, group, {}, metric};
}

} // namespace

// The monitor thread's half of a StreamMonitor: it alone holds the per-stream state and does
// the work of every tick; the monitor posts it each change and each reply, in order, and it
// posts back the requests to send, the watched list and the figures. Nothing here is
// touched from another thread (the monitor pointer is only used to post to).
class MonitorCruncher : public QObject
{
public:
    explicit MonitorCruncher(StreamMonitor *monitor)
        : m_monitor(monitor)
    {}

    // A chosen list (true) or every stream found (false): what a stream gone away, the cap
    // and the dead-letter streams do to the list.
    void setExplicit(bool explicitList) { m_explicit = explicitList; }
    void watch(const QList<QByteArray> &keys, bool announce)
    {
        applyWatchList(keys);
        if (announce)
            updateWatched();
    }
    void capWatch(int cap);
    void setDeadLetters(const QHash<QByteArray, QByteArray> &deadLetters);
    void reset()
    {
        m_inTick = false;
        m_pendingWatch.reset();
        m_streams.clear();
        m_structureChanged = true;
        forgetPrevious();
    }
    // The tick in flight failed or was dropped (or none was): rates start afresh.
    void abort()
    {
        endTick();
        forgetPrevious();
    }
    void forgetPrevious();

    void build(quint64 generation, int detailBudget);
    void first(quint64 generation, const RedisResult &result);
    void second(quint64 generation, const RedisResult &result);

private:
    // The numbers of a stream's, group's or consumer's series in m_catalog, found once
    // (-1: not yet), so that a tick does not hash a key per figure.
    template<Metric First, Metric Last> struct SeriesIds
    {
        std::array<int, size_t(Last) - size_t(First) + 1> ids;
        SeriesIds() { ids.fill(-1); }
        int &operator[](Metric m) { return ids[size_t(m) - size_t(First)]; }
    };
    using StreamIds = SeriesIds<Metric::Length, Metric::DeadLetters>;
    using GroupIds = SeriesIds<Metric::Lag, Metric::DrainSeconds>;
    using ConsumerIds = SeriesIds<Metric::ConsumerPending, Metric::ConsumerIdleMs>;
    struct ConsumerSample
    {
        QByteArray name;
        qint64 pending = 0;
        qint64 idleMs = 0;
        ConsumerIds ids;
    };
    struct GroupState
    {
        QByteArray name;
        GroupInfo info; // this tick's
        std::optional<qint64> prevEntriesRead, prevLag;
        bool hasPrev = false;
        monitormath::NextEntries next;
        // Slow details, read in turns.
        bool detailsKnown = false;
        QList<ConsumerSample> consumers;
        std::optional<qint64> oldestPendingIdleMs;     // absent: nothing pending
        RedisCommand consumersCommand, pendingCommand; // built once
        RedisCommand rangeCommand;                     // the last XRANGE, and its start
        StreamId rangeFrom;
        int rangeLimit = 0;
        // What the last XRANGE found (valid: it was answered), and the stream as it was
        // asked: see rangeStillHolds().
        monitormath::NextEntries rangeFound;
        bool rangeValid = false;
        qint64 rangeLength = 0;
        std::optional<qint64> rangeEntriesAdded;
        StreamId rangeLastId;
        GroupIds ids;
    };
    struct StreamState
    {
        QByteArray key;
        RedisCommand infoCommand, groupsCommand;
        StreamInfo info;
        StreamInfo prevInfo;
        bool hasPrev = false;
        bool exists = true;
        std::optional<qint64> deadLetters;
        std::vector<GroupState> groups;
        StreamIds ids;
    };
    // Where a stream's replies are in the tick's first request.
    struct Slot
    {
        int stream = 0;
        int dlqIndex = -1;              // reply index of XLEN, or -1
        QList<QByteArray> detailGroups; // groups whose details were asked, in order
        int detailIndex = -1;           // reply index of the first XINFO CONSUMERS
    };

    void finish(quint64 generation);
    void endTick();
    static bool rangeStillHolds(const StreamState &s, const GroupState &g, const StreamId &from,
                                int limit);
    void applyWatchList(const QList<QByteArray> &keys);
    void updateWatched();
    void publishCount();

    StreamMonitor *const m_monitor;
    bool m_explicit = false;
    QHash<QByteArray, QByteArray> m_deadLetterOf;
    std::vector<StreamState> m_streams;
    bool m_structureChanged = false;
    QList<WatchedStream> m_watched;                  // as last published
    std::optional<QList<QByteArray>> m_pendingWatch; // set while a tick was in flight
    int m_detailCursor = 0; // next group (in watch order) whose details are read

    // The tick in flight.
    bool m_inTick = false;
    std::vector<Slot> m_slots;
    QList<QPair<int, int>> m_rangeOf; // (stream, group) per XRANGE of the second request
    qint64 m_serverNowMs = 0;
    qint64 m_prevServerNowMs = 0;
    qint64 m_workNs = 0;
    // The numbers of the keys of the figures (see SeriesCatalog): one lineage for the
    // monitor's life, unless it is compacted.
    std::shared_ptr<const SeriesCatalog> m_catalog = std::make_shared<const SeriesCatalog>();
    // Starts a new catalog of the keys measured this tick once most numbers name keys no
    // longer measured (streams deleted, consumers gone), and renumbers the tick's values.
    void compactCatalog(std::vector<double> &values, std::vector<bool> &estimated);
    void forgetSeriesIds();
};

void MonitorCruncher::capWatch(int cap)
{
    WEIR_ASSERT_OBJECT_THREAD(this);
    if (m_explicit || int(m_streams.size()) <= cap)
        return;
    QList<QByteArray> keys;
    for (const StreamState &s : m_streams)
        keys.append(s.key);
    applyWatchList(keys.mid(0, cap));
}

void MonitorCruncher::setDeadLetters(const QHash<QByteArray, QByteArray> &deadLetters)
{
    WEIR_ASSERT_OBJECT_THREAD(this);
    m_deadLetterOf = deadLetters;
    if (!m_explicit) {
        // Dead-letter streams are not watched as streams of their own.
        QSet<QByteArray> dlqs;
        for (const QByteArray &d : deadLetters)
            dlqs.insert(d);
        QList<QByteArray> keys;
        for (const StreamState &s : m_streams) {
            if (!dlqs.contains(s.key))
                keys.append(s.key);
        }
        applyWatchList(keys);
    }
    m_structureChanged = true;
    updateWatched();
}

void MonitorCruncher::forgetPrevious()
{
    m_prevServerNowMs = 0;
    for (StreamState &s : m_streams) {
        s.hasPrev = false;
        for (GroupState &g : s.groups) {
            g.hasPrev = false;
            g.rangeValid = false;
        }
    }
}

// Whether the last XRANGE of `g` still answers for this tick without asking again: it
// started from the same id with the same limit (the group read nothing since), and no
// entry was deleted from the stream since (its entries-added minus its length, or, before
// Redis 7.0, its length and last id unchanged). Entries appended later do not move the
// next undelivered one once it was found; a count, or a search that found nothing, also
// needs the last id unchanged.
bool MonitorCruncher::rangeStillHolds(const StreamState &s, const GroupState &g,
                                      const StreamId &from, int limit)
{
    if (!g.rangeValid || g.rangeFrom != from || g.rangeLimit != limit)
        return false;
    const bool sameEnd = g.rangeLastId == s.info.lastGeneratedId;
    const bool noneDeleted =
        g.rangeEntriesAdded && s.info.entriesAdded
            ? *g.rangeEntriesAdded - g.rangeLength == *s.info.entriesAdded - s.info.length
            : sameEnd && g.rangeLength == s.info.length;
    return noneDeleted && ((limit == 1 && g.rangeFound.count == 1) || sameEnd);
}

void MonitorCruncher::endTick()
{
    m_inTick = false;
    QList<QByteArray> keys;
    if (m_pendingWatch) {
        keys = *m_pendingWatch;
    } else if (!m_explicit) {
        // Watching all: a stream that went away leaves the list (a later scan finds it
        // again if it comes back).
        const bool gone = std::any_of(m_streams.begin(), m_streams.end(),
                                      [](const StreamState &s) { return !s.exists; });
        if (!gone)
            return;
        for (const StreamState &s : m_streams) {
            if (s.exists)
                keys.append(s.key);
        }
    } else {
        return;
    }
    applyWatchList(keys);
}

void MonitorCruncher::build(quint64 generation, int detailBudget)
{
    WEIR_ASSERT_OBJECT_THREAD(this);
    QElapsedTimer work;
    work.start();
    m_inTick = true;
    m_workNs = 0;

    // Which groups read their consumers and oldest pending entry this tick: all, or the
    // next detailBudget in turn.
    int totalGroups = 0;
    for (const StreamState &s : m_streams)
        totalGroups += int(s.groups.size());
    const bool allDetails = totalGroups <= detailBudget;
    if (totalGroups > 0)
        m_detailCursor %= totalGroups;
    else
        m_detailCursor = 0;
    const int detailEnd = m_detailCursor + detailBudget; // may wrap past totalGroups
    const int detailGroups = std::min(totalGroups, detailBudget);

    QList<RedisCommand> commands;
    commands.reserve(1 + qsizetype(m_streams.size()) * 3 + 2 * detailGroups);
    commands.append(RedisCommand{"TIME"});
    m_slots.clear();
    m_slots.reserve(m_streams.size());
    int flat = 0;
    for (int i = 0; i < int(m_streams.size()); ++i) {
        StreamState &s = m_streams[size_t(i)];
        Slot slot;
        slot.stream = i;
        commands.append(s.infoCommand);
        commands.append(s.groupsCommand);
        const QByteArray dlq = m_deadLetterOf.value(s.key);
        if (!dlq.isEmpty()) {
            slot.dlqIndex = int(commands.size());
            commands.append(RedisCommand{{"XLEN", dlq}, dlq});
        }
        for (GroupState &g : s.groups) {
            const bool turn = allDetails || (flat >= m_detailCursor && flat < detailEnd)
                              || (flat + totalGroups < detailEnd);
            ++flat;
            if (!turn)
                continue;
            if (slot.detailGroups.isEmpty())
                slot.detailIndex = int(commands.size());
            slot.detailGroups.append(g.name);
            commands.append(g.consumersCommand);
            commands.append(g.pendingCommand);
        }
        m_slots.push_back(std::move(slot));
    }
    if (!allDetails)
        m_detailCursor = detailEnd % std::max(1, totalGroups);
    m_workNs += work.nsecsElapsed();
    QMetaObject::invokeMethod(
        m_monitor,
        [m = m_monitor, generation, commands = std::move(commands), detailGroups]() mutable {
        m->sendFirst(generation, std::move(commands), detailGroups);
        },
        Qt::QueuedConnection);
}

void MonitorCruncher::first(quint64 generation, const RedisResult &result)
{
    WEIR_ASSERT_OBJECT_THREAD(this);
    QElapsedTimer work;
    work.start();
    const QList<RedisValue> &replies = result.replies;
    if (const auto now = parseTimeMs(replies.value(0)))
        m_serverNowMs = *now;
    else
        m_serverNowMs = QDateTime::currentMSecsSinceEpoch();

    QList<RedisCommand> ranges;
    m_rangeOf.clear();
    int index = 1;
    for (const Slot &slot : m_slots) {
        StreamState &s = m_streams[size_t(slot.stream)];
        const RedisValue &infoReply = replies.value(index);
        const RedisValue &groupsReply = replies.value(index + 1);
        index += 2 + (slot.dlqIndex >= 0 ? 1 : 0) + 2 * int(slot.detailGroups.size());

        s.deadLetters.reset();
        if (slot.dlqIndex >= 0 && replies.value(slot.dlqIndex).isInteger())
            s.deadLetters = replies.value(slot.dlqIndex).toInteger();

        const auto info = parseStreamInfo(infoReply, nullptr);
        const auto groups = info ? parseGroupsInfo(groupsReply, nullptr) : std::nullopt;
        if (!info || !groups) {
            // Gone (or no longer a stream): no figures; rates start afresh if it comes back.
            if (s.exists || !s.groups.empty())
                m_structureChanged = true;
            s.exists = false;
            s.hasPrev = false;
            s.groups.clear();
            continue;
        }
        if (!s.exists)
            m_structureChanged = true;
        s.exists = true;
        s.info = *info;

        // Match the groups by name, keeping what the last ticks learnt (nearly always the
        // same groups in the same order: kept in place).
        const bool sameGroups =
            groups->size() == qsizetype(s.groups.size())
            && std::equal(groups->cbegin(), groups->cend(), s.groups.cbegin(),
                          [](const GroupInfo &a, const GroupState &b) { return a.name == b.name; });
        if (!sameGroups) {
            std::vector<GroupState> next;
            next.reserve(size_t(groups->size()));
            for (const GroupInfo &info_ : *groups) {
                const auto old =
                    std::find_if(s.groups.begin(), s.groups.end(),
                                 [&](const GroupState &g) { return g.name == info_.name; });
                GroupState g;
                if (old != s.groups.end()) {
                    g = std::move(*old);
                } else {
                    g.name = info_.name;
                    g.consumersCommand = RedisCommand{{"XINFO", "CONSUMERS", s.key, g.name}, s.key};
                    g.pendingCommand =
                        RedisCommand{{"XPENDING", s.key, g.name, "-", "+", "1"}, s.key};
                }
                next.push_back(std::move(g));
            }
            s.groups = std::move(next);
            m_structureChanged = true;
        }
        for (size_t gi = 0; gi < s.groups.size(); ++gi) {
            s.groups[gi].info = groups->at(qsizetype(gi));
            s.groups[gi].next = {};
        }

        // The details read this tick.
        for (qsizetype d = 0; d < slot.detailGroups.size(); ++d) {
            const QByteArray &name = slot.detailGroups.at(d);
            auto it = std::find_if(s.groups.begin(), s.groups.end(),
                                   [&](const GroupState &g) { return g.name == name; });
            if (it == s.groups.end())
                continue;
            const auto consumers =
                parseConsumersInfo(replies.value(slot.detailIndex + 2 * int(d)), nullptr);
            const auto pending =
                parsePendingEntries(replies.value(slot.detailIndex + 2 * int(d) + 1), nullptr);
            if (consumers) {
                QList<ConsumerSample> samples;
                samples.reserve(consumers->size());
                bool sameConsumers = consumers->size() == it->consumers.size();
                for (qsizetype c = 0; c < consumers->size(); ++c) {
                    const ConsumerInfo &ci = consumers->at(c);
                    if (sameConsumers && it->consumers.at(c).name != ci.name)
                        sameConsumers = false;
                    samples.append(
                        ConsumerSample{ci.name, ci.pending, ci.idleMs,
                                       sameConsumers ? it->consumers.at(c).ids : ConsumerIds()});
                }
                if (!sameConsumers || !it->detailsKnown)
                    m_structureChanged = true;
                it->consumers = std::move(samples);
                it->detailsKnown = true;
            }
            if (pending) {
                if (pending->isEmpty())
                    it->oldestPendingIdleMs.reset();
                else
                    it->oldestPendingIdleMs = pending->first().idleMs;
            }
        }

        // The next undelivered entry of every group that may have one.
        for (int gi = 0; gi < int(s.groups.size()); ++gi) {
            GroupState &g = s.groups[size_t(gi)];
            const GroupInfo &info_ = g.info;
            const std::optional<StreamId> from = monitormath::undeliveredFrom(s.info, info_);
            if (!from)
                continue;
            const bool count = !info_.lag && !(s.info.entriesAdded && info_.entriesRead);
            const int limit = count ? StreamMonitor::LagCountLimit : 1;
            if (rangeStillHolds(s, g, *from, limit)) {
                g.next = g.rangeFound;
                continue;
            }
            g.rangeValid = false;
            g.rangeLength = s.info.length;
            g.rangeEntriesAdded = s.info.entriesAdded;
            g.rangeLastId = s.info.lastGeneratedId;
            g.next.asked = true;
            g.next.limit = limit;
            // A group that read nothing since the last tick asks from the same id: its
            // command is kept.
            if (g.rangeCommand.argv.isEmpty() || g.rangeFrom != *from
                || g.rangeLimit != g.next.limit) {
                g.rangeCommand = RedisCommand{{"XRANGE", s.key, from->toByteArray(), "+", "COUNT",
                                               QByteArray::number(g.next.limit)},
                                              s.key};
                g.rangeFrom = *from;
                g.rangeLimit = g.next.limit;
            }
            ranges.append(g.rangeCommand);
            m_rangeOf.append({slot.stream, gi});
        }
    }
    m_workNs += work.nsecsElapsed();

    if (ranges.isEmpty()) {
        finish(generation);
        return;
    }
    QMetaObject::invokeMethod(
        m_monitor,
        [m = m_monitor, generation, ranges = std::move(ranges)]() mutable {
        m->sendSecond(generation, std::move(ranges));
        },
        Qt::QueuedConnection);
}

void MonitorCruncher::second(quint64 generation, const RedisResult &result)
{
    WEIR_ASSERT_OBJECT_THREAD(this);
    QElapsedTimer work;
    work.start();
    for (qsizetype i = 0; i < m_rangeOf.size() && i < result.replies.size(); ++i) {
        GroupState &g =
            m_streams[size_t(m_rangeOf.at(i).first)].groups[size_t(m_rangeOf.at(i).second)];
        if (!parseRangeIds(result.replies.at(i), &g.next)) {
            g.next.asked = false; // the stream went away between the two requests
            continue;
        }
        g.rangeFound = g.next;
        g.rangeValid = true;
    }
    m_workNs += work.nsecsElapsed();
    finish(generation);
}

void MonitorCruncher::compactCatalog(std::vector<double> &values, std::vector<bool> &estimated)
{
    const auto measured = size_t(
        std::count_if(values.cbegin(), values.cend(), [](double v) { return !std::isnan(v); }));
    if (values.size() <= 2 * measured + 4096)
        return;
    auto fresh = std::make_shared<SeriesCatalog>();
    std::vector<double> freshValues;
    std::vector<bool> freshEstimated;
    freshValues.reserve(measured);
    freshEstimated.reserve(measured);
    for (size_t id = 0; id < values.size(); ++id) {
        if (std::isnan(values[id]))
            continue;
        fresh->add(m_catalog->key(int(id)));
        freshValues.push_back(values[id]);
        freshEstimated.push_back(estimated[id]);
    }
    m_catalog = std::move(fresh);
    values = std::move(freshValues);
    estimated = std::move(freshEstimated);
    forgetSeriesIds();
}

void MonitorCruncher::forgetSeriesIds()
{
    for (StreamState &s : m_streams) {
        s.ids = {};
        for (GroupState &g : s.groups) {
            g.ids = {};
            for (ConsumerSample &c : g.consumers)
                c.ids = {};
        }
    }
}

void MonitorCruncher::finish(quint64 generation)
{
    QElapsedTimer work;
    work.start();
    const double seconds =
        m_prevServerNowMs > 0 ? double(m_serverNowMs - m_prevServerNowMs) / 1000.0 : 0.0;

    // The tick's values by the keys' numbers. The catalog is copied, keeping its lineage,
    // the first time a key is new, and the copy replaces it: the old one may be read on
    // the GUI thread and is never changed.
    constexpr double NaN = std::numeric_limits<double>::quiet_NaN();
    std::shared_ptr<SeriesCatalog> grown;
    std::vector<double> values(size_t(m_catalog->size()), NaN);
    std::vector<bool> estimatedValues(values.size(), false);
    // A series' number is found once (see SeriesIds); its key is built only until then.
    auto put = [&](int &id, double value, bool estimated, const auto &makeKey) {
        if (id < 0) {
            const SeriesKey key = makeKey();
            id = grown ? grown->find(key) : m_catalog->find(key);
            if (id < 0) {
                if (!grown)
                    grown = std::make_shared<SeriesCatalog>(*m_catalog);
                id = grown->add(key);
                values.resize(size_t(grown->size()), NaN);
                estimatedValues.resize(values.size(), false);
            }
        }
        values[size_t(id)] = value;
        estimatedValues[size_t(id)] = estimated;
    };
    int groupCount = 0;
    for (StreamState &s : m_streams) {
        if (!s.exists)
            continue;
        const QByteArray &k = s.key;
        auto streamPut = [&](Metric m, double value, bool estimated = false) {
            put(s.ids[m], value, estimated, [&] { return key(k, {}, m); });
        };
        streamPut(Metric::Length, double(s.info.length));
        std::optional<double> added;
        if (s.hasPrev && seconds > 0) {
            bool estimated = false;
            added = monitormath::addedPerSecond(s.prevInfo, s.info, seconds, &estimated);
            if (added)
                streamPut(Metric::AddedPerSecond, *added, estimated);
        }
        if (s.deadLetters)
            streamPut(Metric::DeadLetters, double(*s.deadLetters));

        for (GroupState &g : s.groups) {
            ++groupCount;
            const QByteArray &gn = g.name;
            auto groupPut = [&](Metric m, double value, bool estimated = false) {
                put(g.ids[m], value, estimated, [&] { return key(k, gn, m); });
            };
            const monitormath::Lag lag = monitormath::groupLag(s.info, g.info, g.next);
            if (lag.entries)
                groupPut(Metric::Lag, double(*lag.entries), lag.estimated);
            if (!g.next.asked || g.next.count == 0 || g.next.first) {
                groupPut(Metric::TimeLagMs,
                         double(monitormath::timeLagMs(
                             m_serverNowMs, g.next.asked ? g.next.first : std::nullopt)));
            }
            groupPut(Metric::Pending, double(g.info.pending));
            groupPut(Metric::Consumers, double(g.info.consumers));
            std::optional<double> read;
            if (g.hasPrev && seconds > 0) {
                bool estimated = false;
                read = monitormath::readPerSecond(g.prevEntriesRead, g.info.entriesRead, g.prevLag,
                                                  lag.entries, added, seconds, &estimated);
                if (read)
                    groupPut(Metric::ReadPerSecond, *read, estimated);
            }
            if (lag.entries && (*lag.entries == 0 || (read && added))) {
                groupPut(Metric::DrainSeconds,
                         monitormath::drainSeconds(double(*lag.entries), read.value_or(0),
                                                   added.value_or(0)));
            }
            if (g.info.pending == 0)
                groupPut(Metric::OldestPendingIdleMs, 0);
            else if (g.detailsKnown && g.oldestPendingIdleMs)
                groupPut(Metric::OldestPendingIdleMs, double(*g.oldestPendingIdleMs));
            for (ConsumerSample &c : g.consumers) {
                auto consumerPut = [&](Metric m, double value) {
                    put(c.ids[m], value, false, [&] { return SeriesKey{k, gn, c.name, m}; });
                };
                consumerPut(Metric::ConsumerPending, double(c.pending));
                consumerPut(Metric::ConsumerIdleMs, double(c.idleMs));
            }
            g.prevEntriesRead = g.info.entriesRead;
            g.prevLag = lag.entries;
            g.hasPrev = true;
        }
        s.prevInfo = s.info;
        s.hasPrev = true;
    }
    m_prevServerNowMs = m_serverNowMs;
    if (grown)
        m_catalog = std::move(grown);
    compactCatalog(values, estimatedValues);
    MonitorFigures figures;
    figures.values = SeriesFigures(m_catalog, std::move(values), std::move(estimatedValues));
    const int streams = int(m_streams.size());
    endTick();
    updateWatched(); // posted before the figures: watched() is current in sampled()'s slots
    m_workNs += work.nsecsElapsed();
    const double workMs = m_workNs / 1e6;
    QMetaObject::invokeMethod(
        m_monitor,
        [m = m_monitor, generation, figures = std::move(figures), streams, groupCount,
         workMs]() mutable {
        m->onTickDone(generation, std::move(figures), streams, groupCount, workMs);
        },
        Qt::QueuedConnection);
}

void MonitorCruncher::applyWatchList(const QList<QByteArray> &keys)
{
    // A tick in flight names streams by index: the new list waits for its end.
    if (m_inTick) {
        m_pendingWatch = keys;
        return;
    }
    m_pendingWatch.reset();
    bool same = qsizetype(m_streams.size()) == keys.size();
    for (size_t i = 0; same && i < m_streams.size(); ++i)
        same = m_streams[i].key == keys.at(qsizetype(i));
    std::vector<StreamState> next;
    next.reserve(size_t(keys.size()));
    QHash<QByteArray, int> old;
    old.reserve(qsizetype(m_streams.size()));
    for (int i = 0; i < int(m_streams.size()); ++i)
        old.insert(m_streams[size_t(i)].key, i);
    QSet<QByteArray> seen;
    for (const QByteArray &k : keys) {
        if (seen.contains(k))
            continue;
        seen.insert(k);
        const auto it = old.constFind(k);
        if (it != old.cend()) {
            next.push_back(std::move(m_streams[size_t(it.value())]));
            continue;
        }
        StreamState s;
        s.key = k;
        s.infoCommand = RedisCommand{{"XINFO", "STREAM", k}, k};
        s.groupsCommand = RedisCommand{{"XINFO", "GROUPS", k}, k};
        next.push_back(std::move(s));
    }
    m_streams = std::move(next);
    if (!same)
        m_structureChanged = true;
    publishCount();
}

void MonitorCruncher::publishCount()
{
    QMetaObject::invokeMethod(
        m_monitor, [m = m_monitor, n = int(m_streams.size())] { m->m_stats.streams = n; },
        Qt::QueuedConnection);
}

void MonitorCruncher::updateWatched()
{
    if (!m_structureChanged)
        return;
    m_structureChanged = false;
    QList<WatchedStream> watched;
    watched.reserve(qsizetype(m_streams.size()));
    for (const StreamState &s : m_streams) {
        WatchedStream w;
        w.key = s.key;
        w.deadLetterStream = m_deadLetterOf.value(s.key);
        w.exists = s.exists;
        for (const GroupState &g : s.groups) {
            WatchedGroup wg;
            wg.name = g.name;
            for (const ConsumerSample &c : g.consumers)
                wg.consumers.append(c.name);
            w.groups.append(wg);
        }
        watched.append(w);
    }
    if (watched == m_watched)
        return;
    m_watched = watched;
    QMetaObject::invokeMethod(
        m_monitor,
        [m = m_monitor, watched = std::move(watched)]() mutable {
        m->onWatchedChanged(std::move(watched));
        },
        Qt::QueuedConnection);
}

StreamMonitor::StreamMonitor(QObject *parent)
    : QObject(parent)
{
    qRegisterMetaType<MonitorFigures>();
    m_timer.setInterval(m_interval);
    m_timer.setTimerType(Qt::PreciseTimer);
    connect(&m_timer, &QTimer::timeout, this, &StreamMonitor::onTimer);
    m_thread.setObjectName(QStringLiteral("weir-monitor"));
    m_cruncher = new MonitorCruncher(this);
    m_cruncher->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_cruncher, &QObject::deleteLater);
    m_thread.start();
}

StreamMonitor::~StreamMonitor()
{
    m_scanReplies.reset();
    // What the monitor thread posts meanwhile is dropped with this object.
    m_thread.quit();
    m_thread.wait();
}

template<typename F> void StreamMonitor::post(F &&f)
{
    QMetaObject::invokeMethod(
        m_cruncher, [c = m_cruncher, f = std::forward<F>(f)]() mutable { f(*c); },
        Qt::QueuedConnection);
}

void StreamMonitor::setConnection(RedisConnection *connection)
{
    WEIR_ASSERT_OBJECT_THREAD(this);
    if (m_connection == connection)
        return;
    if (m_connection) {
        disconnect(m_connection, nullptr, this, nullptr);
        m_scanReplies.reset();
    }
    ++m_generation;
    m_inFlight = false;
    m_scanning = false;
    m_scanned = false;
    m_connection = connection;
    m_stats.streams = 0;
    post([explicitList = m_explicit](MonitorCruncher &c) {
        c.reset();
        c.setExplicit(!explicitList.isEmpty());
        c.watch(explicitList, false);
    });
    if (m_connection) {
        connect(m_connection, &RedisConnection::stateChanged, this,
                [this](ConnectionState state) { onStateChanged(state); });
    }
    if (m_running && !m_paused && m_connection
        && m_connection->state() == ConnectionState::Connected) {
        if (m_explicit.isEmpty())
            startScan();
        tickNow();
    }
}

void StreamMonitor::setInterval(int ms)
{
    WEIR_ASSERT_OBJECT_THREAD(this);
    m_interval = std::clamp(ms, MinIntervalMs, MaxIntervalMs);
    m_timer.setInterval(m_interval);
}

void StreamMonitor::setWatched(const QList<QByteArray> &streams)
{
    WEIR_ASSERT_OBJECT_THREAD(this);
    m_explicit = streams;
    m_scanReplies.reset();
    m_scanning = false;
    m_scanned = false;
    if (m_explicit.isEmpty()) {
        post([](MonitorCruncher &c) { c.setExplicit(false); });
        if (m_running && m_connection && m_connection->state() == ConnectionState::Connected)
            startScan();
    } else {
        post([streams](MonitorCruncher &c) {
            c.setExplicit(true);
            c.watch(streams, false);
        });
    }
}

void StreamMonitor::setWatchCap(int streams)
{
    WEIR_ASSERT_OBJECT_THREAD(this);
    const int before = m_watchCap;
    m_watchCap = std::max(1, streams);
    post([cap = m_watchCap](MonitorCruncher &c) { c.capWatch(cap); });
    // Raised over streams the last scan left out: find them now, not at the next rescan.
    if (m_watchCap > before && before < m_stats.streamsFound && m_explicit.isEmpty() && m_running
        && m_connection && m_connection->state() == ConnectionState::Connected)
        startScan();
}

void StreamMonitor::setDeadLetterStreams(const QHash<QByteArray, QByteArray> &deadLetters)
{
    WEIR_ASSERT_OBJECT_THREAD(this);
    if (deadLetters == m_deadLetterOf)
        return;
    m_deadLetterOf = deadLetters;
    post([deadLetters](MonitorCruncher &c) { c.setDeadLetters(deadLetters); });
}

void StreamMonitor::setDetailGroupsPerTick(int groups)
{
    WEIR_ASSERT_OBJECT_THREAD(this);
    m_detailBudget = std::max(1, groups);
}

void StreamMonitor::start()
{
    WEIR_ASSERT_OBJECT_THREAD(this);
    if (m_running)
        return;
    m_running = true;
    m_paused = false;
    m_timer.start();
    if (m_connection && m_connection->state() == ConnectionState::Connected) {
        if (m_explicit.isEmpty() && !m_scanned)
            startScan();
        else
            tickNow();
    }
}

void StreamMonitor::stop()
{
    WEIR_ASSERT_OBJECT_THREAD(this);
    m_running = false;
    m_paused = false;
    m_timer.stop();
    ++m_generation; // a tick in flight is dropped
    m_inFlight = false;
    post([](MonitorCruncher &c) { c.abort(); });
}

void StreamMonitor::setPaused(bool paused)
{
    WEIR_ASSERT_OBJECT_THREAD(this);
    if (m_paused == paused)
        return;
    m_paused = paused;
    if (!m_running)
        return;
    if (paused) {
        m_timer.stop();
    } else {
        // Rates over the pause would be averages over a gap the history does not draw.
        post([](MonitorCruncher &c) { c.forgetPrevious(); });
        m_timer.start();
        tickNow();
    }
}

void StreamMonitor::tickNow()
{
    WEIR_ASSERT_OBJECT_THREAD(this);
    if (m_inFlight) {
        ++m_stats.skippedTicks;
        return;
    }
    sendTick();
}

void StreamMonitor::onTimer()
{
    if (!m_running || m_paused)
        return;
    tickNow();
}

void StreamMonitor::onStateChanged(ConnectionState state)
{
    if (state != ConnectionState::Connected || !m_running || m_paused)
        return;
    // Back (or connected for the first time): sample at once, and find the streams again.
    if (m_explicit.isEmpty() && !m_scanning)
        startScan();
    if (!m_inFlight)
        sendTick();
}

void StreamMonitor::failTick(const QString &error)
{
    ++m_stats.failedTicks;
    m_inFlight = false;
    post([](MonitorCruncher &c) { c.abort(); });
    MonitorFigures figures;
    figures.timeMs = m_tickSentMs ? m_tickSentMs : QDateTime::currentMSecsSinceEpoch();
    figures.ok = false;
    figures.error = error;
    m_last = figures;
    Q_EMIT sampled(m_last);
}

void StreamMonitor::sendTick()
{
    QElapsedTimer gui;
    gui.start();
    m_tickSentMs = QDateTime::currentMSecsSinceEpoch();
    if (!m_connection || m_connection->state() != ConnectionState::Connected) {
        failTick(m_connection ? tr("Not connected: %1").arg(m_connection->stateMessage())
                              : tr("No connection"));
        return;
    }
    ++m_stats.ticks;
    ++m_ticksSinceScan;
    if (m_explicit.isEmpty() && !m_scanning && m_ticksSinceScan >= RescanEveryTicks)
        startScan();
    m_inFlight = true;
    post([generation = m_generation, budget = m_detailBudget](MonitorCruncher &c) {
        c.build(generation, budget);
    });
    m_guiNs = gui.nsecsElapsed();
}

void StreamMonitor::sendFirst(quint64 generation, QList<RedisCommand> commands, int detailGroups)
{
    if (generation != m_generation)
        return;
    m_stats.detailGroupsPerTick = detailGroups;
    m_batchTimer.start();
    send(generation, std::move(commands), true);
}

void StreamMonitor::sendSecond(quint64 generation, QList<RedisCommand> ranges)
{
    if (generation == m_generation)
        send(generation, std::move(ranges), false);
}

// A tick's first request (the XINFO batch) or second (the next undelivered entries); the
// reply goes to the cruncher.
void StreamMonitor::send(quint64 generation, QList<RedisCommand> commands, bool first)
{
    QElapsedTimer gui;
    gui.start();
    if (!m_connection) {
        failTick(tr("No connection"));
        return;
    }
    m_stats.lastRanges = first ? 0 : int(commands.size());
    m_connection->send(std::move(commands), this, [this, generation, first](const RedisResult &r) {
        if (generation == m_generation)
            onReply(r, first);
    });
    m_guiNs += gui.nsecsElapsed();
}

void StreamMonitor::onReply(const RedisResult &result, bool first)
{
    QElapsedTimer gui;
    gui.start();
    m_stats.lastBatchMs = m_batchTimer.nsecsElapsed() / 1e6;
    if (!result.ok()) {
        failTick(result.error);
        return;
    }
    post([generation = m_generation, result, first](MonitorCruncher &c) {
        if (first)
            c.first(generation, result);
        else
            c.second(generation, result);
    });
    m_guiNs += gui.nsecsElapsed();
}

void StreamMonitor::onTickDone(quint64 generation, MonitorFigures figures, int streams, int groups,
                               double workerMs)
{
    if (generation != m_generation)
        return;
    QElapsedTimer gui;
    gui.start();
    m_inFlight = false;
    figures.timeMs = m_tickSentMs;
    figures.streamsLeftOut =
        m_explicit.isEmpty() ? std::max(0, m_stats.streamsFound - m_watchCap) : 0;
    m_stats.streams = streams;
    m_stats.groups = groups;
    m_stats.lastWorkerMs = workerMs;
    // The previous tick's figures are freed on the monitor thread: 26,000 series take a
    // millisecond or two (receivers that kept a copy keep theirs).
    post([previous = std::exchange(m_last, std::move(figures))](MonitorCruncher &) {});
    m_guiNs += gui.nsecsElapsed();
    m_stats.lastGuiMs = m_guiNs / 1e6;
    Q_EMIT sampled(m_last);
}

void StreamMonitor::onWatchedChanged(QList<WatchedStream> watched)
{
    m_watched = std::move(watched);
    Q_EMIT watchedChanged(m_watched);
}

void StreamMonitor::startScan()
{
    if (!m_connection || m_scanning)
        return;
    m_scanning = true;
    m_ticksSinceScan = 0;
    m_scanFound.clear();
    RedisCommand scan{"SCAN", "0", "TYPE", "stream", "COUNT", "1000"};
    m_scanReplies.reset();
    m_scanReplies.iterate(m_connection, scan, [this](const RedisResult &r) {
        if (!m_scanning)
            return;
        QString error;
        const auto page = r.ok() ? parseScanPage(r.replies.value(0), &error) : std::nullopt;
        if (!page) {
            m_scanning = false; // the list found before stays; tried again later
            return;
        }
        m_scanFound.append(page->keys);
        if (r.more)
            return;
        m_scanning = false;
        m_scanned = true;
        if (!m_explicit.isEmpty())
            return;
        std::sort(m_scanFound.begin(), m_scanFound.end());
        m_scanFound.erase(std::unique(m_scanFound.begin(), m_scanFound.end()), m_scanFound.end());
        QSet<QByteArray> dlqs;
        for (const QByteArray &d : std::as_const(m_deadLetterOf))
            dlqs.insert(d);
        QList<QByteArray> keys;
        for (const QByteArray &k : std::as_const(m_scanFound)) {
            if (!dlqs.contains(k))
                keys.append(k);
        }
        m_stats.streamsFound = int(keys.size());
        const bool first = m_stats.streams == 0;
        m_scanFound.clear();
        post([keys = keys.mid(0, m_watchCap)](MonitorCruncher &c) { c.watch(keys, true); });
        if (first && m_running && !m_paused && !m_inFlight)
            sendTick();
    });
}
