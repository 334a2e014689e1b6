// The monitor's history over a simulated week: the memory it holds, the GUI thread's time
// per tick, the store on disk and its writer's CPU, a 7-day chart and a restart (issue 21).
//
//   bench_history [--quick] [streams] [days]      (default 1000 7; --quick: 100 1)
//   bench_history --fill PATH --keys FILE [--days N]
//
// The simulated monitor watches `streams` streams of 3 groups, each group with one
// consumer, at 1 s: per tick the figures StreamMonitor hands over (30 per stream: Length,
// AddedPerSecond, DeadLetters, and per group Lag, TimeLagMs, Pending, Consumers,
// ReadPerSecond, DrainSeconds, OldestPendingIdleMs and its consumer's pending and idle
// time), built as the monitor builds them: one value array over a shared SeriesCatalog.
// The history keeps the charted ones, 13 per stream (13,000 series for 1,000 streams). The
// values move as queues do: producers at rates from 0.02 to 800 entries/s that rise by day
// and fall by night, noisy and fractional as measured over a tick; one group that keeps
// up, one that falls behind at peak hours and in slow spells and drains after, one whose
// consumer crashes now and then; bursts of thousands of entries; poison messages stuck in
// pending; a 4-minute reconnect (failed ticks, then a tick without rates); and 2% of the
// streams deleted mid-way. Tick times are advanced by the benchmark, not waited for.
//
// The figures go to what the session feeds: a SeriesHistory keeping the raw window (1 h)
// and a HistoryStore in a temporary directory. The first day is fed to both; the days
// after it, but their last hour, to the store only (the ring would hold only their last
// hour anyway; feeding it costs time, not memory); the last hour to both again, so a
// chart at the end has the ring's samples and the store's buckets. The producer waits
// while the store's backlog() is above 8 ticks, so its queue stays bounded. While the ring
// is fed, the store also commits as at one tick a second: the feeder waits for its writes
// (untimed) every HistoryStore::FlushIntervalMs of tick time, so its journal, its queue
// and its commits are those of a live Weir; in between, the writer commits in the larger
// batches it makes when ticks come faster than its flush timer.
//
// Figures (targets from issue 21's Benchmark section):
// - history_rss_24h_mb: VmRSS after the first day minus VmRSS before the history and the
//   store existed, <= 300 MB; the reference is what a 24 h ring (Weir before issue 21)
//   takes by SeriesHistory::bytesPerSeries(). Printed beside: the same after malloc_trim(0)
//   (what malloc held free), and on stderr what grew, by mapping and in malloc.
// - tick_gui_median_ms, tick_gui_p95_ms: wall time of SeriesHistory::record() plus
//   HistoryStore::record() on the GUI thread, every tick of the first day, < 5 and
//   < 10 ms; the reference is SeriesHistory::record() alone in the same ticks (what Weir
//   did before), and the thread's CPU time is printed beside.
// - store_disk_7d_mb: the store's size (HistoryStore::requestSize()) after the simulated
//   days, <= 2048 MB.
// - store_write_cpu_pct: CPU time of the store's threads (every thread but this one, from
//   /proc/self/task) over the simulated days, as a share of those days' wall time, <= 5%;
//   the first day's alone (committed as live) is printed beside.
// - chart_7d_first_paint_ms: a StreamChart of one series (a stream without its groups) at
//   the 7-day range, from its construction until it has drawn the store's answer and
//   painted (grab()) with its min/max band, <= 200 ms. It is the run's first chart (Qt
//   Charts' first use included); the same again, and the stream's chart of 13 lines, follow.
// - restart_open_ms: the store destroyed and a new one opened on the same file (with a new
//   SeriesHistory), until ready() and a first 7-day load() answered, <= 1,000 ms; with the
//   longest time the GUI thread did not turn its event loop meanwhile. Printed beside: how
//   long closing the store took (it writes the open chunks, so the start need not).
// --quick: 100 streams (1,300 series) over 1 day, the same figures, under a minute.
//
// --fill writes a store at PATH with N days (default 7) of the same simulated history,
// ending now, for the streams and groups of FILE (one `stream<TAB>group` a line; a line
// with a stream alone gives only the stream's own series), and exits: it gives the demo's
// profile a week of history to show.
#include "benchsupport.h"
#include "historystore.h"
#include "serieshistory.h"
#include "streamchart.h"

#include <QApplication>
#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QMap>
#include <QPixmap>
#include <QTemporaryDir>
#include <QThread>
#include <QTimer>

#include <cmath>
#include <ctime>
#include <malloc.h>
#include <memory>
#include <unistd.h>

namespace {

constexpr qint64 TickMs = 1000;
constexpr qint64 HourTicks = 3600;
constexpr qint64 DayTicks = 24 * HourTicks;
constexpr int MaxBacklog = 8;
constexpr double Pi = 3.14159265358979323846;
constexpr double NaN = std::numeric_limits<double>::quiet_NaN();

// splitmix64: cheap next to what is measured, and the same run every time.
class Random
{
public:
    explicit Random(quint64 seed)
        : m_state(seed)
    {}
    quint64 next()
    {
        quint64 z = (m_state += 0x9E3779B97F4A7C15ULL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
        return z ^ (z >> 31);
    }
    // In [0, 1).
    double uniform() { return double(next() >> 11) * (1.0 / 9007199254740992.0); }
    double between(double low, double high) { return low + (high - low) * uniform(); }
    qint64 ticksBetween(qint64 low, qint64 high)
    {
        return low + qint64(next() % quint64(high - low));
    }
    // `x` rounded down or up, up with the probability of its fraction.
    double roundRandomly(double x) { return std::floor(x + uniform()); }

private:
    quint64 m_state;
};

struct StreamSpec
{
    QByteArray name;
    QList<QByteArray> groups; // none: only the stream's own figures
};

// Streams named the ways the queues of QUEUES.md name them.
QList<StreamSpec> benchStreams(int count)
{
    static const char *const kinds[] = {"orders",  "task-queue", "dashboard-updates",
                                        "metrics", "payments",   "notifications",
                                        "emails",  "audit"};
    QList<StreamSpec> streams;
    for (int i = 0; i < count; ++i) {
        const QByteArray name = QByteArray(kinds[i % 8]) + ':' + QByteArray::number(i / 8);
        streams.append({name, {"workers", name + "_group", "audit-service"}});
    }
    return streams;
}

// The monitor's figures of a set of streams, tick after tick (see the comment at the top).
class Workload
{
public:
    Workload(const QList<StreamSpec> &streams, qint64 startMs)
        : m_startMs(startMs)
    {
        auto catalog = std::make_shared<SeriesCatalog>();
        for (const StreamSpec &spec : streams) {
            Random r(qHash(spec.name, 21));
            Stream s;
            s.base = catalog->size();
            for (Metric m : {Metric::Length, Metric::AddedPerSecond, Metric::DeadLetters})
                catalog->add(SeriesKey{spec.name, {}, {}, m});
            s.rate = 0.02 * std::pow(40'000.0, r.uniform()); // 0.02 to 800 entries/s
            s.phase = int(r.next() % Phases);
            s.maxLength = r.uniform() < 0.3 ? 10'000 : 5'000'000;
            s.nextBurst = r.ticksBetween(HourTicks, 2 * DayTicks);
            for (int g = 0; g < spec.groups.size(); ++g) {
                const QByteArray &group = spec.groups.at(g);
                Group state;
                state.base = catalog->size();
                for (Metric m :
                     {Metric::Lag, Metric::TimeLagMs, Metric::Pending, Metric::Consumers,
                      Metric::ReadPerSecond, Metric::DrainSeconds, Metric::OldestPendingIdleMs})
                    catalog->add(SeriesKey{spec.name, group, {}, m});
                for (Metric m : {Metric::ConsumerPending, Metric::ConsumerIdleMs})
                    catalog->add(SeriesKey{spec.name, group, "worker-1", m});
                state.kind = g % 3;
                state.processSeconds = r.between(0.05, 3);
                state.consumers = 1 + int(r.next() % 4);
                state.slowPeriod = r.ticksBetween(2 * HourTicks, 6 * HourTicks);
                state.nextCrash = r.ticksBetween(2 * HourTicks, 3 * DayTicks);
                state.estimated = r.uniform() < 0.05;
                s.groups.push_back(state);
            }
            m_streams.push_back(std::move(s));
        }
        m_catalog = std::move(catalog);
        for (const StreamSpec &spec : streams)
            m_charted += 1 + 4 * int(spec.groups.size());
    }

    // The charted series (what the history keeps) and the values of a tick.
    int chartedSeries() const { return m_charted; }
    int valuesPerTick() const { return m_catalog->size(); }
    qint64 startMs() const { return m_startMs; }
    // The stream with the most entries a second that is never deleted.
    QByteArray busiestStream() const
    {
        size_t busiest = 0;
        for (size_t i = 0; i < m_streams.size(); ++i) {
            if (!isDeleted(i) && m_streams[i].rate > m_streams[busiest].rate)
                busiest = i;
        }
        return m_catalog->key(m_streams[busiest].base).stream;
    }
    // A reconnect: the ticks [from, from + count) fail.
    void addOutage(qint64 from, qint64 count) { m_outages.append({from, from + count}); }
    // Every `every`th stream is deleted at tick `tick`.
    void deleteStreams(qint64 tick, int every)
    {
        m_deleteAt = tick;
        m_deleteEvery = every;
    }

    // The figures of the next tick.
    MonitorFigures next()
    {
        const qint64 tick = m_tick++;
        MonitorFigures f;
        f.timeMs = m_startMs + tick * TickMs + qint64(m_random.next() % 8);
        const double seconds = m_previousMs ? double(f.timeMs - m_previousMs) / 1000.0 : 1.0;
        m_previousMs = f.timeMs;
        if (tick == m_deleteAt) {
            for (size_t i = 0; i < m_streams.size(); ++i)
                m_streams[i].deleted = isDeleted(i);
        }
        bool failed = false;
        for (const auto &outage : std::as_const(m_outages))
            failed = failed || (tick >= outage.first && tick < outage.second);
        // A rate needs two samples: none on the first tick, nor on the first after a failure.
        const bool rates = !failed && m_lastOk == tick - 1;
        if (!failed)
            m_lastOk = tick;
        for (int p = 0; p < Phases; ++p)
            m_wave[p] =
                1 + 0.6 * std::sin(2 * Pi * double(tick) / double(DayTicks) + p * 2 * Pi / Phases);

        std::vector<double> values;
        std::vector<bool> estimated;
        if (!failed) {
            values.assign(size_t(m_catalog->size()), NaN);
            estimated.assign(values.size(), false);
        }
        for (Stream &s : m_streams) {
            if (s.deleted)
                continue;
            step(s, tick, seconds, failed ? nullptr : values.data(), rates, &estimated);
        }
        if (failed) {
            f.ok = false;
            f.error = QStringLiteral("Connection reset by peer");
        } else {
            f.values = SeriesFigures(m_catalog, std::move(values), std::move(estimated));
        }
        return f;
    }

private:
    static constexpr int Phases = 8;
    struct Group
    {
        int base = 0;
        int kind = 0; // 0 keeps up; 1 falls behind at peaks and in slow spells; 2 crashes
        double lag = 0;
        qint64 lagSince = -1;
        double inFlight = 0;
        double stuck = 0;
        qint64 stuckSince = 0;
        double processSeconds = 1;
        int consumers = 1;
        qint64 slowPeriod = HourTicks;
        qint64 nextCrash = 0;
        qint64 downUntil = -1;
        qint64 idleMs = 0;
        bool estimated = false;
    };
    struct Stream
    {
        int base = 0;
        double rate = 1;
        int phase = 0;
        double length = 0;
        double maxLength = 0;
        double deadLetters = 0;
        qint64 nextBurst = 0;
        bool deleted = false;
        std::vector<Group> groups;
    };

    bool isDeleted(size_t stream) const
    {
        return m_deleteAt >= 0 && stream % size_t(m_deleteEvery) == size_t(m_deleteEvery / 2);
    }

    void step(Stream &s, qint64 tick, double seconds, double *values, bool rates,
              std::vector<bool> *estimated)
    {
        Random &r = m_random;
        const double now = s.rate * m_wave[s.phase];
        double produced = r.roundRandomly(now * seconds * r.between(0.75, 1.25));
        if (tick == s.nextBurst) {
            produced += std::floor(r.between(2'000, 20'000));
            s.nextBurst += r.ticksBetween(6 * HourTicks, 36 * HourTicks);
        }
        s.length = std::min(s.length + produced, s.maxLength);
        if (r.uniform() < 2e-6)
            s.deadLetters += 1;
        if (values) {
            values[s.base] = s.length;
            if (rates)
                values[s.base + 1] = produced / seconds;
            values[s.base + 2] = s.deadLetters;
        }
        for (Group &g : s.groups) {
            double capacity;
            if (g.kind == 0) {
                capacity = 2 * s.rate + 1;
            } else if (g.kind == 1) {
                capacity =
                    (tick % g.slowPeriod) < g.slowPeriod / 4 ? 0.6 * now : 1.2 * s.rate + 0.2;
            } else {
                if (tick == g.nextCrash) {
                    g.downUntil = tick + r.ticksBetween(20 * 60, 60 * 60);
                    g.nextCrash += r.ticksBetween(DayTicks, 3 * DayTicks);
                }
                capacity = tick < g.downUntil ? 0 : 2.5 * s.rate + 1;
            }
            g.lag += produced;
            const double read =
                std::min(g.lag, r.roundRandomly(capacity * seconds * r.between(0.85, 1.15)));
            g.lag -= read;
            if (g.lag <= 0)
                g.lagSince = -1;
            else if (g.lagSince < 0)
                g.lagSince = tick;
            if (read > 0) {
                g.inFlight = std::floor(read * g.processSeconds * r.between(0.8, 1.2));
                g.idleMs = qint64(r.next() % 1000);
            } else {
                g.idleMs += TickMs;
            }
            if (r.uniform() < 3e-6) {
                if (g.stuck == 0)
                    g.stuckSince = tick;
                g.stuck += double(1 + r.next() % 5);
            } else if (g.stuck > 0 && r.uniform() < 2e-5) {
                g.stuck = 0; // an operator claimed and acked them
            }
            if (!values)
                continue;
            const double pending = g.inFlight + g.stuck;
            const double timeLag = g.lagSince < 0
                                       ? 0
                                       : std::floor(1000
                                                    * std::min(double(tick - g.lagSince + 1),
                                                               g.lag / std::max(now, 0.01)))
                                             + double(r.next() % 50);
            double *v = values + g.base;
            v[0] = g.lag;
            (*estimated)[size_t(g.base)] = g.estimated;
            v[1] = timeLag;
            v[2] = pending;
            v[3] = g.consumers;
            if (rates) {
                v[4] = read / seconds;
                const double net = v[4] - produced / seconds;
                v[5] = g.lag == 0 ? 0 : net > 0 ? g.lag / net : Never;
            }
            v[6] = pending == 0  ? 0
                   : g.stuck > 0 ? double((tick - g.stuckSince) * TickMs)
                                 : std::floor(g.processSeconds * 1000 * r.uniform());
            v[7] = pending;
            v[8] = double(g.idleMs);
        }
    }

    qint64 m_startMs;
    std::shared_ptr<const SeriesCatalog> m_catalog;
    std::vector<Stream> m_streams;
    int m_charted = 0;
    QList<std::pair<qint64, qint64>> m_outages;
    qint64 m_deleteAt = -1;
    int m_deleteEvery = 1;
    qint64 m_tick = 0;
    qint64 m_lastOk = -2;
    qint64 m_previousMs = 0;
    double m_wave[Phases] = {};
    Random m_random{20261207};
};

double monotonicMs()
{
    timespec t{};
    clock_gettime(CLOCK_MONOTONIC, &t);
    return double(t.tv_sec) * 1e3 + double(t.tv_nsec) / 1e6;
}

double threadCpuMs()
{
    timespec t{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return double(t.tv_sec) * 1e3 + double(t.tv_nsec) / 1e6;
}

double percentile(std::vector<double> values, double p)
{
    if (values.empty())
        return NaN;
    std::sort(values.begin(), values.end());
    return values[std::min(values.size() - 1, size_t(p * double(values.size())))];
}

// VmRSS of this process, every thread's memory included.
double rssMb()
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return NaN;
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').first().toDouble() / 1024.0;
    }
    return NaN;
}

// Where the resident memory is, for a note on stderr: malloc's bytes in use and free in its
// arenas (every thread's), and VmRSS by kind of mapping from /proc/self/smaps.
struct MemoryParts
{
    double mallocInUseMb = 0;
    double mallocFreeMb = 0;
    QMap<QByteArray, double> rssMb; // by mapping: [heap], [anon], a file's name
};
MemoryParts memoryParts()
{
    MemoryParts parts;
    const struct mallinfo2 info = mallinfo2();
    parts.mallocInUseMb = double(info.uordblks + info.hblkhd) / 1048576.0;
    parts.mallocFreeMb = double(info.fordblks) / 1048576.0;
    QFile smaps(QStringLiteral("/proc/self/smaps"));
    if (!smaps.open(QIODevice::ReadOnly))
        return parts;
    QByteArray mapping;
    for (const QByteArray &line : smaps.readAll().split('\n')) {
        if (line.startsWith("Rss:")) {
            parts.rssMb[mapping] += line.mid(4).trimmed().split(' ').first().toDouble() / 1024;
        } else if (const auto fields = line.simplified().split(' ');
                   fields.size() >= 5 && fields.at(0).contains('-')) {
            // A mapping's first line: range, perms, offset, device, inode[, name].
            mapping = fields.size() >= 6 ? fields.at(5) : QByteArray("[anon]");
            if (mapping.startsWith('/'))
                mapping = mapping.mid(mapping.lastIndexOf('/') + 1);
        }
    }
    return parts;
}

// Says on stderr what grew between two readings.
void sayMemoryGrowth(const MemoryParts &before, const MemoryParts &after)
{
    std::fprintf(stderr, "  malloc: in use %+.1f MB, free in arenas %+.1f MB\n",
                 after.mallocInUseMb - before.mallocInUseMb,
                 after.mallocFreeMb - before.mallocFreeMb);
    for (auto it = after.rssMb.cbegin(); it != after.rssMb.cend(); ++it) {
        const double grown = it.value() - before.rssMb.value(it.key());
        if (std::abs(grown) >= 0.5)
            std::fprintf(stderr, "  rss of %s: %+.1f MB\n", it.key().constData(), grown);
    }
}

// CPU seconds of each thread of this process but the calling (main) one, by thread id,
// with the thread's name, from /proc/self/task/*/stat.
struct ThreadCpu
{
    QByteArray name;
    double seconds = 0;
};
QHash<qint64, ThreadCpu> otherThreadsCpu()
{
    QHash<qint64, ThreadCpu> threads;
    const double hz = double(sysconf(_SC_CLK_TCK));
    const QDir tasks(QStringLiteral("/proc/self/task"));
    for (const QString &tid : tasks.entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        if (tid.toLongLong() == qint64(getpid()))
            continue;
        QFile file(tasks.filePath(tid) + QStringLiteral("/stat"));
        if (!file.open(QIODevice::ReadOnly))
            continue; // it ended meanwhile
        const QByteArray stat = file.readAll();
        const auto open = stat.indexOf('(');
        const auto close = stat.lastIndexOf(')');
        if (open < 0 || close < open)
            continue;
        // After the name: the state (field 3), ... utime and stime (fields 14 and 15).
        const QList<QByteArray> fields = stat.mid(close + 2).split(' ');
        threads.insert(tid.toLongLong(),
                       {stat.mid(open + 1, close - open - 1),
                        (fields.value(11).toDouble() + fields.value(12).toDouble()) / hz});
    }
    return threads;
}

// The CPU seconds the other threads spent between two readings (a thread started since
// the first counts from zero), said thread by thread on stderr.
double cpuBetween(const QHash<qint64, ThreadCpu> &before, const QHash<qint64, ThreadCpu> &after)
{
    double total = 0;
    for (auto it = after.cbegin(); it != after.cend(); ++it) {
        const double spent = it->seconds - before.value(it.key()).seconds;
        std::fprintf(stderr, "  thread %lld (%s): %.2f s CPU\n", qlonglong(it.key()),
                     it->name.constData(), spent);
        total += spent;
    }
    return total;
}

void progress(const char *what, qint64 tick, qint64 ticks, double startedMs)
{
    std::fprintf(stderr, "%s: day %lld %02lld:00 of %lld days, %.1f s\n", what,
                 qlonglong(tick / DayTicks + 1), qlonglong(tick % DayTicks / HourTicks),
                 qlonglong(ticks / DayTicks), (monotonicMs() - startedMs) / 1000);
}

// Times of the ticks fed while timed, in ms: wall and CPU of both records (the history's
// and the store's), and of the history's alone.
struct TickTimes
{
    std::vector<double> bothMs, bothCpuMs, historyMs, historyCpuMs;
};

// Feeds `count` ticks of `workload` to `history` and `store` (either may be null), as the
// session does on the GUI thread, waiting while the store's backlog is above MaxBacklog.
// With `asLive`, the store commits as it does at one tick a second: its writer commits
// every FlushIntervalMs of its own clock, which runs far slower than the ticks here, so the
// feeder waits for the writes every FlushIntervalMs of tick time (untimed). False when the
// store reported a problem (said on stderr).
struct Feeder
{
    Workload *workload = nullptr;
    qint64 totalTicks = 0;
    double startedMs = 0;
    double waitedMs = 0; // spent waiting for the store's backlog or its writes
    QStringList problems;

    bool feed(qint64 count, SeriesHistory *history, HistoryStore *store, TickTimes *times,
              const char *what, qint64 *tick, bool asLive = false)
    {
        const qint64 flushTicks = std::max<qint64>(1, HistoryStore::FlushIntervalMs / TickMs);
        for (qint64 i = 0; i < count; ++i, ++*tick) {
            const MonitorFigures f = workload->next();
            if (store && asLive && *tick % flushTicks == 0) {
                const double before = monotonicMs();
                store->waitForWrites();
                waitedMs += monotonicMs() - before;
            }
            if (store && store->backlog() > MaxBacklog) {
                const double before = monotonicMs();
                while (store->backlog() > MaxBacklog)
                    QThread::usleep(100);
                waitedMs += monotonicMs() - before;
            }
            const double w0 = monotonicMs();
            const double c0 = threadCpuMs();
            if (history)
                history->record(f);
            const double w1 = monotonicMs();
            const double c1 = threadCpuMs();
            if (store)
                store->record(f);
            const double w2 = monotonicMs();
            const double c2 = threadCpuMs();
            if (times) {
                times->bothMs.push_back(w2 - w0);
                times->bothCpuMs.push_back(c2 - c0);
                times->historyMs.push_back(w1 - w0);
                times->historyCpuMs.push_back(c1 - c0);
            }
            if (*tick % 256 == 0) {
                QCoreApplication::processEvents();
                if (!problems.isEmpty())
                    return false;
            }
            if (*tick % (6 * HourTicks) == 0)
                progress(what, *tick, totalTicks, startedMs);
        }
        QCoreApplication::processEvents();
        return problems.isEmpty();
    }
};

// Runs an event loop until `done()` or `timeoutMs` have passed; false on timeout. A loop
// of its own, as in Weir, not processEvents(): objects a widget deletes later (Qt Charts'
// items of a series removed) are deleted only inside one.
template<typename Done> bool waitUntil(Done done, int timeoutMs)
{
    if (done())
        return true;
    QEventLoop loop;
    QTimer poll;
    poll.setInterval(1);
    QObject::connect(&poll, &QTimer::timeout, &loop, [&] {
        if (done())
            loop.quit();
    });
    QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    poll.start();
    loop.exec();
    return done();
}

// Opens the store at `path` and waits until it is ready for writing; null (said on stderr)
// when it is not.
std::unique_ptr<HistoryStore> openStore(const QString &path, QStringList *problems)
{
    auto store = std::make_unique<HistoryStore>(path, HistoryRetention(), int(TickMs));
    QObject::connect(store.get(), &HistoryStore::problem, store.get(),
                     [problems](const QString &message) {
        std::fprintf(stderr, "store problem: %s\n", qPrintable(message));
        problems->append(message);
    });
    if (!waitUntil([&] { return store->mode() != HistoryStore::Mode::Opening; }, 60'000)
        || store->mode() != HistoryStore::Mode::Writing) {
        std::fprintf(stderr, "the store at %s is not writable: %s\n", qPrintable(path),
                     qPrintable(store->statusText()));
        return nullptr;
    }
    return store;
}

// The store's size on disk as it reports it; -1 when it does not answer.
qint64 storeSize(HistoryStore *store)
{
    qint64 bytes = -1;
    const QMetaObject::Connection c = QObject::connect(store, &HistoryStore::sizeKnown, store,
                                                       [&](qint64 size) { bytes = size; });
    store->requestSize();
    waitUntil([&] { return bytes >= 0; }, 60'000);
    QObject::disconnect(c);
    return bytes;
}

qint64 directoryBytes(const QString &path)
{
    qint64 bytes = 0;
    const QFileInfoList files = QDir(path).entryInfoList(QDir::Files | QDir::Hidden);
    for (const QFileInfo &file : files) {
        std::fprintf(stderr, "  %s: %.1f MB\n", qPrintable(file.fileName()),
                     double(file.size()) / 1048576.0);
        bytes += file.size();
    }
    return bytes;
}

// A StreamChart of `stream` at the 7-day range, from its construction until it has drawn
// the store's answers and painted: the time, and what it drew.
struct ChartOpen
{
    double ms = 0;
    double shownMs = 0;    // constructed, set to 7 days and shown
    double answeredMs = 0; // the store's last answer came
    double drawnMs = 0;    // drawn with every answer
    int answers = 0;
    int lines = 0;
    int bands = 0;
    int points = 0;
    int loads = 0;
    QString status;
};
ChartOpen openChart(SeriesHistory *history, HistoryStore *store, const QByteArray &stream,
                    bool streamAlone)
{
    ChartOpen open;
    const double startMs = monotonicMs();
    StreamChart chart(history, store, stream);
    if (streamAlone)
        chart.setGroups({});
    chart.resize(1280, 800);
    chart.setRange(StreamChart::Range::Days7);
    chart.show();
    open.shownMs = monotonicMs() - startMs;
    bool drawn = false;
    QObject::connect(&chart, &StreamChart::redrawn, &chart, [&] {
        if (!drawn && chart.loadsRequested() > 0 && chart.loadsPending() == 0) {
            drawn = true;
            open.drawnMs = monotonicMs() - startMs;
        }
    });
    QObject::connect(store, &HistoryStore::loaded, &chart, [&] {
        ++open.answers;
        open.answeredMs = monotonicMs() - startMs;
    });
    if (!waitUntil([&] { return drawn; }, 60'000)) {
        open.ms = -1;
        return open;
    }
    const QPixmap painted = chart.grab();
    open.ms = monotonicMs() - startMs;
    Q_UNUSED(painted);
    open.loads = chart.loadsRequested();
    open.status = chart.statusText();
    for (int p = 0; p < StreamChart::PaneCount; ++p) {
        const auto pane = StreamChart::Pane(p);
        for (const QString &name : chart.lineNames(pane)) {
            ++open.lines;
            open.bands += chart.bandCount(pane, name);
            open.points += chart.pointCount(pane, name);
        }
    }
    return open;
}

// --fill PATH --keys FILE [--days N]
int fill(const QStringList &args)
{
    const QString path = args.value(args.indexOf(QStringLiteral("--fill")) + 1);
    const auto keysAt = args.indexOf(QStringLiteral("--keys"));
    const auto daysAt = args.indexOf(QStringLiteral("--days"));
    const QString keysPath = keysAt >= 0 ? args.value(keysAt + 1) : QString();
    const int days = daysAt >= 0 ? args.value(daysAt + 1).toInt() : 7;
    if (path.isEmpty() || keysPath.isEmpty() || days < 1) {
        std::fprintf(stderr, "usage: bench_history --fill PATH --keys FILE [--days N]\n");
        return 2;
    }
    QFile keys(keysPath);
    if (!keys.open(QIODevice::ReadOnly)) {
        std::fprintf(stderr, "%s: %s\n", qPrintable(keysPath), qPrintable(keys.errorString()));
        return 1;
    }
    QList<StreamSpec> streams;
    for (QByteArray line : keys.readAll().split('\n')) {
        if (line.endsWith('\r'))
            line.chop(1);
        const auto tab = line.indexOf('\t');
        const QByteArray stream = tab < 0 ? line : line.left(tab);
        const QByteArray group = tab < 0 ? QByteArray() : line.mid(tab + 1);
        if (stream.isEmpty())
            continue;
        auto spec = std::find_if(streams.begin(), streams.end(),
                                 [&](const StreamSpec &s) { return s.name == stream; });
        if (spec == streams.end())
            spec = streams.insert(streams.end(), StreamSpec{stream, {}});
        if (!group.isEmpty() && !spec->groups.contains(group))
            spec->groups.append(group);
    }
    const qint64 ticks = days * DayTicks;
    Workload workload(streams, QDateTime::currentMSecsSinceEpoch() - (ticks - 1) * TickMs);
    workload.addOutage(10 * HourTicks + 17 * 60, 4 * 60);
    std::fprintf(stderr, "filling %s: %lld streams, %d series, %d days\n", qPrintable(path),
                 qlonglong(streams.size()), workload.chartedSeries(), days);
    Feeder feeder;
    const std::unique_ptr<HistoryStore> store = openStore(path, &feeder.problems);
    if (!store)
        return 1;
    feeder.workload = &workload;
    feeder.totalTicks = ticks;
    feeder.startedMs = monotonicMs();
    qint64 tick = 0;
    if (!feeder.feed(ticks, nullptr, store.get(), nullptr, "fill", &tick))
        return 1;
    store->waitForWrites();
    std::fprintf(stderr, "filled in %.1f s: %.1f MB\n", (monotonicMs() - feeder.startedMs) / 1000,
                 double(storeSize(store.get())) / 1048576.0);
    return 0;
}

} // namespace

int main(int argc, char **argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QStringList args = app.arguments().mid(1);
    if (args.contains(QStringLiteral("--fill")))
        return fill(args);
    const bool quick = takeQuick(&args);
    const int streamCount =
        std::max(1, args.value(0, quick ? QStringLiteral("100") : QStringLiteral("1000")).toInt());
    const int days =
        std::max(1, args.value(1, quick ? QStringLiteral("1") : QStringLiteral("7")).toInt());
    const qint64 ticks = days * DayTicks;
    const double startedMs = monotonicMs();

    QTemporaryDir directory;
    if (!directory.isValid()) {
        std::fprintf(stderr, "no temporary directory: %s\n", qPrintable(directory.errorString()));
        return 1;
    }
    const QString path = HistoryStore::pathFor(directory.path(), QStringLiteral("bench"));
    // The simulated days end now, so the store's retention keeps them all.
    const qint64 nowMs = QDateTime::currentMSecsSinceEpoch() / 60'000 * 60'000;
    Workload workload(benchStreams(streamCount), nowMs - ticks * TickMs);
    workload.addOutage(10 * HourTicks + 17 * 60, 4 * 60);
    workload.addOutage(4 * DayTicks + 3 * HourTicks + 40 * 60, 4 * 60);
    workload.deleteStreams(14 * HourTicks, 50);
    const int series = workload.chartedSeries();
    figure("history_streams", streamCount, "streams");
    figure("history_series", series, "series");
    figure("history_values_per_tick", workload.valuesPerTick(), "values");
    figure("history_simulated_days", days, "days");

    // The first day, to the history and the store, every tick timed.
    const double rssBefore = rssMb();
    const MemoryParts memoryBefore = memoryParts();
    auto history = std::make_unique<SeriesHistory>(int(TickMs), HistoryRetention().rawMs);
    Feeder feeder;
    feeder.workload = &workload;
    feeder.totalTicks = ticks;
    feeder.startedMs = startedMs;
    std::unique_ptr<HistoryStore> store = openStore(path, &feeder.problems);
    if (!store)
        return 1;
    const QHash<qint64, ThreadCpu> cpuBefore = otherThreadsCpu();
    qint64 tick = 0;
    TickTimes times;
    double phaseMs = monotonicMs();
    if (!feeder.feed(std::min(ticks, DayTicks), history.get(), store.get(), &times, "day 1", &tick,
                     true))
        return 1;
    store->waitForWrites();
    const double firstDayWriteCpu = cpuBetween(cpuBefore, otherThreadsCpu());
    const double rss24h = rssMb() - rssBefore;
    std::fprintf(stderr, "memory after the first day:\n");
    sayMemoryGrowth(memoryBefore, memoryParts());
    // How much of it is memory malloc holds free (what the writer's chunks and commits
    // left), for the note: given back, what remains is what the history keeps.
    malloc_trim(0);
    const double rss24hTrimmed = rssMb() - rssBefore;
    figure("phase_first_day", (monotonicMs() - phaseMs) / 1000, "s");

    // The days after, to the store only but their last hour; the last hour to both.
    phaseMs = monotonicMs();
    const qint64 storeOnly = std::max<qint64>(0, ticks - tick - HourTicks);
    if (!feeder.feed(storeOnly, nullptr, store.get(), nullptr, "store only", &tick))
        return 1;
    if (!feeder.feed(ticks - tick, history.get(), store.get(), nullptr, "last hour", &tick, true))
        return 1;
    store->waitForWrites();
    const double writeCpu = cpuBetween(cpuBefore, otherThreadsCpu());
    figure("phase_other_days", (monotonicMs() - phaseMs) / 1000, "s");
    figure("producer_waited_for_store", feeder.waitedMs / 1000, "s");
    const double rssEnd = rssMb() - rssBefore;
    const double diskMb = double(storeSize(store.get())) / 1048576.0;
    const double filesMb = double(directoryBytes(directory.path())) / 1048576.0;

    // Memory.
    // The ring of Weir before issue 21: every tick of the last 24 h in memory.
    const SeriesHistory dayRing(int(TickMs), DayTicks * TickMs);
    const double dayRingMb =
        (double(dayRing.bytesPerSeries()) * series + 8.0 * dayRing.capacity()) / 1048576.0;
    figure("history_rss_24h_mb", rss24h, "MB");
    figure("history_rss_24h_reference_24h_ring_claimed_mb", dayRingMb, "MB");
    figure("history_rss_24h_after_malloc_trim_mb", rss24hTrimmed, "MB");
    figure("history_rss_end_mb", rssEnd, "MB");
    figure("history_rss_per_series", rss24h * 1024 / series, "KiB");
    figure("history_ring_counted_mb", double(history->memoryBytes()) / 1048576.0, "MB");
    figure("store_memory_claimed_mb", double(HistoryStore::bytesPerSeries()) * series / 1048576.0,
           "MB");

    // The GUI thread per tick.
    const double tickMedian = percentile(times.bothMs, 0.5);
    const double tickP95 = percentile(times.bothMs, 0.95);
    figure("tick_gui_median_ms", tickMedian, "ms");
    figure("tick_gui_p95_ms", tickP95, "ms");
    figure("tick_gui_max_ms", percentile(times.bothMs, 1), "ms");
    figure("tick_gui_reference_history_only_median_ms", percentile(times.historyMs, 0.5), "ms");
    figure("tick_gui_reference_history_only_p95_ms", percentile(times.historyMs, 0.95), "ms");
    figure("tick_gui_cpu_median_ms", percentile(times.bothCpuMs, 0.5), "ms");
    figure("tick_gui_cpu_p95_ms", percentile(times.bothCpuMs, 0.95), "ms");
    figure("tick_gui_cpu_reference_history_only_median_ms", percentile(times.historyCpuMs, 0.5),
           "ms");
    figure("tick_gui_cpu_reference_history_only_p95_ms", percentile(times.historyCpuMs, 0.95),
           "ms");
    std::vector<double> storeMs(times.bothMs.size());
    for (size_t i = 0; i < storeMs.size(); ++i)
        storeMs[i] = times.bothMs[i] - times.historyMs[i];
    figure("tick_gui_store_record_median_ms", percentile(storeMs, 0.5), "ms");
    figure("tick_gui_store_record_p95_ms", percentile(storeMs, 0.95), "ms");

    // The disk and the writer.
    const double simulatedSeconds = double(ticks) * TickMs / 1000;
    figure("store_disk_7d_mb", diskMb, "MB");
    figure("store_files_mb", filesMb, "MB");
    figure("store_disk_per_series_day", diskMb * 1024 / series / days, "KiB");
    figure("store_write_cpu_first_day_pct", 100 * firstDayWriteCpu / (DayTicks * TickMs / 1000.0),
           "%_of_one_core");
    figure("store_write_cpu", writeCpu, "s");
    figure("store_write_cpu_pct", 100 * writeCpu / simulatedSeconds, "%_of_one_core");

    // A 7-day chart of one series (the stream alone), then of the stream and its groups.
    const QByteArray chartStream = workload.busiestStream();
    const ChartOpen one = openChart(history.get(), store.get(), chartStream, true);
    const ChartOpen again = openChart(history.get(), store.get(), chartStream, true);
    const ChartOpen all = openChart(history.get(), store.get(), chartStream, false);
    if (one.ms < 0 || again.ms < 0 || all.ms < 0) {
        std::fprintf(stderr, "the 7-day chart did not draw the store's answers in 60 s\n");
        return 1;
    }
    std::fprintf(stderr, "chart of one series: \"%s\"; of %d: \"%s\"\n", qPrintable(one.status),
                 all.lines, qPrintable(all.status));
    figure("chart_7d_first_paint_ms", one.ms, "ms");
    figure("chart_7d_first_paint_shown_ms", one.shownMs, "ms");
    figure("chart_7d_first_paint_last_answer_ms", one.answeredMs, "ms");
    figure("chart_7d_first_paint_drawn_ms", one.drawnMs, "ms");
    figure("chart_7d_first_paint_answers", one.answers, "answers");
    figure("chart_7d_one_series_bands", one.bands, "runs");
    figure("chart_7d_one_series_points", one.points, "points");
    figure("chart_7d_first_paint_again_ms", again.ms, "ms");
    figure("chart_7d_first_paint_again_last_answer_ms", again.answeredMs, "ms");
    figure("chart_7d_stream_first_paint_ms", all.ms, "ms");
    figure("chart_7d_stream_last_answer_ms", all.answeredMs, "ms");
    figure("chart_7d_stream_lines", all.lines, "lines");
    figure("chart_7d_stream_bands", all.bands, "runs");
    figure("chart_7d_stream_loads", all.loads, "loads");

    // Restart: the store closed, then opened again on the same file with a new ring, until
    // it is ready and has answered a 7-day load; meanwhile a 1 ms timer on this thread
    // measures the longest time the event loop did not turn.
    const qint64 lastMs = history->lastTimeMs();
    const double closingMs = monotonicMs();
    store.reset();
    const double closeMs = monotonicMs() - closingMs;
    history.reset();
    double longestStallMs = 0;
    double lastTurnMs = monotonicMs();
    QTimer turns;
    turns.setTimerType(Qt::PreciseTimer);
    turns.setInterval(1);
    QObject::connect(&turns, &QTimer::timeout, &turns, [&] {
        const double now = monotonicMs();
        longestStallMs = std::max(longestStallMs, now - lastTurnMs);
        lastTurnMs = now;
    });
    const double restartMs = monotonicMs();
    lastTurnMs = restartMs;
    turns.start();
    auto reopened = std::make_unique<HistoryStore>(path, HistoryRetention(), int(TickMs));
    auto ring = std::make_unique<SeriesHistory>(int(TickMs), HistoryRetention().rawMs);
    bool answered = false;
    HistoryView answer;
    QObject::connect(reopened.get(), &HistoryStore::loaded, reopened.get(),
                     [&](quint64, const HistoryView &view) {
        answered = true;
        answer = view;
    });
    double readyMs = -1;
    if (waitUntil([&] { return reopened->mode() != HistoryStore::Mode::Opening; }, 60'000)) {
        readyMs = monotonicMs() - restartMs;
        reopened->load(SeriesKey{chartStream, {}, {}, Metric::AddedPerSecond},
                       lastMs - 7 * DayTicks * TickMs, lastMs, 1000);
        waitUntil([&] { return answered; }, 60'000);
    }
    const double openMs = monotonicMs() - restartMs;
    turns.stop();
    longestStallMs = std::max(longestStallMs, monotonicMs() - lastTurnMs);
    if (!answered) {
        std::fprintf(stderr, "the reopened store did not answer in 60 s\n");
        return 1;
    }
    qsizetype answerColumns = 0;
    for (const auto &run : std::as_const(answer.runs))
        answerColumns += run.size();
    std::fprintf(stderr, "reopened: %s; the load: %lld columns of tier %d%s%s\n",
                 reopened->mode() == HistoryStore::Mode::Writing ? "writing" : "not writing",
                 qlonglong(answerColumns), int(answer.tier), answer.error.isEmpty() ? "" : ": ",
                 qPrintable(answer.error));
    figure("restart_close_ms", closeMs, "ms");
    figure("restart_ready_ms", readyMs, "ms");
    figure("restart_open_ms", openMs, "ms");
    figure("restart_longest_gui_stall_ms", longestStallMs, "ms");
    figure("restart_load_columns", double(answerColumns), "columns");
    reopened.reset();

    BenchLines bench;
    bench.atMost("history_rss_24h_mb", rss24h, "MB", 300);
    bench.atMost("tick_gui_median_ms", tickMedian, "ms", 5);
    bench.atMost("tick_gui_p95_ms", tickP95, "ms", 10);
    bench.atMost("store_disk_7d_mb", diskMb, "MB", 2048);
    bench.atMost("store_write_cpu_pct", 100 * writeCpu / simulatedSeconds, "%_of_one_core", 5);
    bench.atMost("chart_7d_first_paint_ms", one.ms, "ms", 200);
    bench.atMost("restart_open_ms", openMs, "ms", 1000);
    figure("run_time", (monotonicMs() - startedMs) / 1000, "s");
    bench.print();
    return 0;
}
