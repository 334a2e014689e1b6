#include "workloadrunner.h"

#include "redisconnection.h"

#include <QDateTime>
#include <QLoggingCategory>
#include <QTimer>

#include <algorithm>

Q_LOGGING_CATEGORY(lcDemo, "weir.demo")

namespace {

constexpr int kSeedChunk = 500;       // XADDs per seed request
constexpr int kSeedTimeoutMs = 30000; // per seed request
constexpr int kPendingScan = 50;      // XPENDING COUNT when looking for poison to retry

struct Entry
{
    QByteArray id;
    Fields fields;
};

// [[id, [field, value, ...]], ...], as XRANGE and XCLAIM return them.
QList<Entry> entriesOf(const RedisValue &list)
{
    QList<Entry> out;
    for (const RedisValue &e : list.elements()) {
        if (!e.isArray() || e.size() < 2 || !e.at(0).isString())
            continue;
        Entry entry;
        entry.id = e.at(0).bytes();
        for (const RedisValue &f : e.at(1).elements())
            entry.fields.append(f.bytes());
        out.append(entry);
    }
    return out;
}

// XREADGROUP: nil, or [[stream, entries], ...].
QList<Entry> readGroupEntries(const RedisValue &reply)
{
    QList<Entry> out;
    for (const RedisValue &stream : reply.elements()) {
        if (stream.isArray() && stream.size() == 2)
            out += entriesOf(stream.at(1));
    }
    return out;
}

QByteArray streamId(qint64 ms, qint64 seq)
{
    return QByteArray::number(ms) + '-' + QByteArray::number(seq);
}

// Strictly increasing ids for entries stamped `msecs` (sorted), as XADD needs them.
QList<QByteArray> idsFor(const QList<qint64> &msecs)
{
    QList<QByteArray> ids;
    ids.reserve(msecs.size());
    qint64 lastMs = -1, seq = 0;
    for (qint64 ms : msecs) {
        if (ms <= lastMs) {
            ms = lastMs;
            ++seq;
        } else {
            seq = 0;
        }
        ids.append(streamId(ms, seq));
        lastMs = ms;
    }
    return ids;
}

} // namespace

struct WorkloadRunner::Producer
{
    QByteArray key;
    PayloadShape shape;
    int poisonEvery = 0;
    qint64 nextIndex = 0;
    bool busy = false;
};

struct WorkloadRunner::Consumer
{
    QByteArray stream;
    PayloadShape shape;
    QByteArray group;
    ConsumerSpec spec;
    QElapsedTimer clock; // for activeMs / pausedMs
    qint64 read = 0;
    bool busy = false;     // a read (and its processing and ack) is under way
    bool retrying = false; // a poison retry is under way
    bool stopped = false;  // stopAfter reached: this consumer has "died"
    QTimer *timer = nullptr;
    QTimer *retryTimer = nullptr;
};

WorkloadRunner::WorkloadRunner(Workload workload, RedisConnection *connection, QObject *parent)
    : QObject(parent)
    , m_workload(std::move(workload))
    , m_connection(connection)
    , m_payloads(m_workload.randomSeed)
{}

WorkloadRunner::~WorkloadRunner()
{
    stop();
}

void WorkloadRunner::start()
{
    if (m_running || !m_connection)
        return;
    m_running = true;
    connect(m_connection, &RedisConnection::stateChanged, this,
            [this](ConnectionState state, const QString &message) {
        if (!m_running || m_seedStarted)
            return;
        if (state == ConnectionState::Connected)
            beginSeed();
        else if (state == ConnectionState::Failed)
            Q_EMIT failed(QStringLiteral("Cannot connect to the demo server: ") + message);
    });
    if (m_connection->state() == ConnectionState::Connected)
        beginSeed();
}

void WorkloadRunner::stop()
{
    m_running = false;
    for (QTimer *t : std::as_const(m_timers))
        t->stop();
}

bool WorkloadRunner::check(const RedisResult &result, const char *what)
{
    if (!result.ok()) {
        ++m_counters.failedRequests;
        qCDebug(lcDemo) << what << "failed:" << result.error;
        return false;
    }
    for (const RedisValue &reply : result.replies) {
        if (reply.isError()) {
            ++m_counters.failedRequests;
            qCWarning(lcDemo) << what << "failed:" << reply.bytes();
            return false;
        }
    }
    return true;
}

// ---- Seeding ----------------------------------------------------------------------------

void WorkloadRunner::beginSeed()
{
    m_seedStarted = true;
    // The history ends a second ago so that live entries (ids from the server's clock)
    // come after it.
    const qint64 nowMs = QDateTime::currentMSecsSinceEpoch() - 1000;
    const bool entriesRead = m_connection->serverInfo().hasGroupLag();

    QList<QByteArray> del{"DEL"};
    for (const StreamSpec &s : std::as_const(m_workload.streams))
        del.append(s.key);
    del += m_workload.deadLetterStreams();
    m_seedSteps.append([del] { return QList<RedisCommand>{RedisCommand(del)}; });

    for (const StreamSpec &s : std::as_const(m_workload.streams))
        planStream(s, nowMs, entriesRead);
    planDeadLetters();
    runNextSeedStep();
}

// The seed of one stream: its history of entries, then its groups as if they had been
// consuming it, then deletions. Ids are chosen here, so later steps can name entries.
void WorkloadRunner::planStream(const StreamSpec &stream, qint64 nowMs, bool entriesRead)
{
    const int n = stream.seedEntries;
    const qint64 spanMs = qint64(stream.historySeconds) * 1000;
    QList<qint64> msecs;
    msecs.reserve(n);
    for (int i = 0; i < n; ++i)
        msecs.append(nowMs - spanMs + (spanMs * i) / qMax(n, 1));
    const QList<QByteArray> ids = idsFor(msecs);
    const QByteArray key = stream.key;

    // Poison messages of the seeded history that a consumer already gave up on: those its
    // group read before the pending window. Their dead letters are written in the order
    // they failed, once every stream is in (planDeadLetters).
    struct Failing
    {
        QByteArray group;
        ConsumerSpec consumer;
        int lastProcessed; // index of the last entry the group finished with
    };
    QList<Failing> failing;
    for (const GroupSpec &g : stream.groups) {
        for (const ConsumerSpec &c : g.consumers) {
            if (c.failOnPoison)
                failing.append({g.name, c, n - g.backlog - g.pendingWindow() - 1});
        }
    }

    for (int from = 0; from < n; from += kSeedChunk) {
        const int to = qMin(n, from + kSeedChunk);
        m_seedSteps.append([this, stream, ids, msecs, failing, from, to] {
            QList<RedisCommand> commands;
            commands.reserve(to - from);
            for (int i = from; i < to; ++i) {
                const bool poison = isPoisonIndex(i, stream.producer.poisonEvery);
                const Fields fields = m_payloads.entry(stream.shape, i, msecs.at(i), poison);
                commands.append(RedisCommand(
                    QList<QByteArray>{"XADD", stream.key, ids.at(i)} + fields, stream.key));
                const QString reason = rejectionReason(stream.shape, fields);
                for (const Failing &f : failing) {
                    if (reason.isEmpty() || i > f.lastProcessed)
                        continue;
                    const qint64 failedAt =
                        msecs.at(i) + qint64(f.consumer.maxDeliveries) * f.consumer.retryAfterMs
                        + (i % 7) * 113;
                    const qint64 cappedAt = qMin(failedAt, msecs.constLast());
                    m_deadLetterSeeds[f.consumer.deadLetterStream].append(
                        {cappedAt,
                         PayloadFactory::deadLetter(stream.key, ids.at(i), f.group, reason,
                                                    f.consumer.maxDeliveries, fields, cappedAt)});
                }
            }
            return commands;
        });
    }

    for (const GroupSpec &g : stream.groups) {
        QList<RedisCommand> commands;
        const int lastDelivered = n - g.backlog - g.pendingWindow() - 1;
        QList<QByteArray> create{"XGROUP",
                                 "CREATE",
                                 key,
                                 g.name,
                                 lastDelivered >= 0 ? ids.at(lastDelivered) : QByteArray("0"),
                                 "MKSTREAM"};
        if (entriesRead)
            create << "ENTRIESREAD" << QByteArray::number(lastDelivered + 1);
        commands.append(RedisCommand(create, key));

        int next = lastDelivered + 1;
        for (const PendingSeedSpec &p : g.pending) {
            commands.append(RedisCommand({"XREADGROUP", "GROUP", g.name, p.consumer, "COUNT",
                                          QByteArray::number(p.read), "STREAMS", key, ">"},
                                         key));
            QList<QByteArray> ack{"XACK", key, g.name};
            QList<QByteArray> claim{"XCLAIM", key, g.name, p.consumer, "0"};
            for (int i = next; i < next + p.read; ++i) {
                const bool keep =
                    !p.keepPoisonOnly || isPoisonIndex(i, stream.producer.poisonEvery);
                (keep ? claim : ack).append(ids.at(i));
            }
            next += p.read;
            if (ack.size() > 3)
                commands.append(RedisCommand(ack, key));
            if (claim.size() > 5) {
                claim << "IDLE" << QByteArray::number(p.idleMs) << "RETRYCOUNT"
                      << QByteArray::number(p.deliveries) << "JUSTID";
                commands.append(RedisCommand(claim, key));
            }
        }
        m_seedSteps.append([commands] { return commands; });
    }

    // Deleting undelivered entries leaves a tombstone the group's read counter cannot
    // see past, so Redis reports its lag as nil. The entries deleted lie in the middle of
    // the group's backlog, behind every group with a smaller backlog, whose lag stays known.
    QList<QByteArray> xdel{"XDEL", key};
    for (const GroupSpec &g : stream.groups) {
        const int first = n - g.backlog + g.backlog / 2;
        for (int k = 0; k < g.deleteUndelivered; ++k) {
            if (!xdel.contains(ids.at(first + k)))
                xdel.append(ids.at(first + k));
        }
    }
    if (xdel.size() > 2)
        m_seedSteps.append([xdel, key] { return QList<RedisCommand>{RedisCommand(xdel, key)}; });
}

void WorkloadRunner::planDeadLetters()
{
    // The records were collected while the XADD steps ran, so this step runs after them.
    m_seedSteps.append([this] {
        QList<RedisCommand> commands;
        for (auto it = m_deadLetterSeeds.begin(); it != m_deadLetterSeeds.end(); ++it) {
            QList<DeadLetterSeed> &seeds = it.value();
            std::stable_sort(seeds.begin(), seeds.end(),
                             [](const DeadLetterSeed &a, const DeadLetterSeed &b) {
                return a.failedAtMs < b.failedAtMs;
            });
            QList<qint64> msecs;
            for (const DeadLetterSeed &s : std::as_const(seeds))
                msecs.append(s.failedAtMs);
            const QList<QByteArray> ids = idsFor(msecs);
            for (qsizetype i = 0; i < seeds.size(); ++i)
                commands.append(RedisCommand(
                    QList<QByteArray>{"XADD", it.key(), ids.at(i)} + seeds.at(i).fields, it.key()));
        }
        m_deadLetterSeeds.clear();
        return commands;
    });
}

void WorkloadRunner::runNextSeedStep()
{
    if (!m_running || !m_connection)
        return;
    QList<RedisCommand> commands;
    while (commands.isEmpty() && m_nextSeedStep < m_seedSteps.size())
        commands = m_seedSteps.at(m_nextSeedStep++)();
    if (commands.isEmpty()) {
        m_seedSteps.clear();
        startLive();
        Q_EMIT seeded();
        return;
    }
    m_connection->send(
        commands, this,
        [this, commands](const RedisResult &result) {
        if (!m_running)
            return;
        if (!result.ok()) {
            stop();
            Q_EMIT failed(QStringLiteral("Seeding the demo failed: ") + result.error);
            return;
        }
        for (qsizetype i = 0; i < result.replies.size(); ++i) {
            if (!result.replies.at(i).isError())
                continue;
            const QByteArray command = commands.at(i).argv.join(' ');
            stop();
            Q_EMIT failed(QStringLiteral("Seeding the demo failed: %1: %2")
                              .arg(QString::fromUtf8(command.left(120)),
                                   QString::fromUtf8(result.replies.at(i).bytes())));
            return;
        }
        runNextSeedStep();
        },
        kSeedTimeoutMs);
}

// ---- The live workload ------------------------------------------------------------------

QTimer *WorkloadRunner::addTimer(int intervalMs)
{
    auto *timer = new QTimer(this);
    timer->setInterval(qMax(1, intervalMs));
    m_timers.append(timer);
    return timer;
}

void WorkloadRunner::startLive()
{
    for (const StreamSpec &s : std::as_const(m_workload.streams)) {
        if (s.producer.perSecond > 0) {
            auto p = std::make_unique<Producer>();
            p->key = s.key;
            p->shape = s.shape;
            p->poisonEvery = s.producer.poisonEvery;
            p->nextIndex = s.seedEntries;
            QTimer *t = addTimer(qRound(1000.0 / s.producer.perSecond));
            connect(t, &QTimer::timeout, this, [this, raw = p.get()] { produce(raw); });
            m_producers.push_back(std::move(p));
        }
        for (const GroupSpec &g : s.groups) {
            for (const ConsumerSpec &spec : g.consumers) {
                auto c = std::make_unique<Consumer>();
                c->stream = s.key;
                c->shape = s.shape;
                c->group = g.name;
                c->spec = spec;
                c->clock.start();
                c->timer = addTimer(spec.everyMs);
                connect(c->timer, &QTimer::timeout, this, [this, raw = c.get()] { consume(raw); });
                if (spec.failOnPoison) {
                    c->retryTimer = addTimer(spec.retryAfterMs / 2);
                    connect(c->retryTimer, &QTimer::timeout, this,
                            [this, raw = c.get()] { retryPoison(raw); });
                }
                m_consumers.push_back(std::move(c));
            }
        }
        if (s.trim) {
            QTimer *t = addTimer(s.trim->everyMs);
            connect(t, &QTimer::timeout, this, [this, s] { trim(s); });
        }
    }
    for (QTimer *t : std::as_const(m_timers))
        t->start();
    // A first round now rather than one interval from now.
    for (const auto &c : m_consumers)
        consume(c.get());
}

void WorkloadRunner::produce(Producer *p)
{
    if (p->busy || !m_connection)
        return;
    const qint64 index = p->nextIndex++;
    const bool poison = isPoisonIndex(index, p->poisonEvery);
    const QList<QByteArray> argv =
        QList<QByteArray>{"XADD", p->key, "*"}
        + m_payloads.entry(p->shape, index, QDateTime::currentMSecsSinceEpoch(), poison);
    p->busy = true;
    m_connection->send({RedisCommand(argv, p->key)}, this, [this, p](const RedisResult &r) {
        p->busy = false;
        if (check(r, "XADD"))
            ++m_counters.produced;
    });
}

void WorkloadRunner::consume(Consumer *c)
{
    if (c->busy || c->stopped || !m_running || !m_connection)
        return;
    const ConsumerSpec &spec = c->spec;
    if (spec.activeMs > 0 && c->clock.elapsed() % (spec.activeMs + spec.pausedMs) >= spec.activeMs)
        return; // resting
    qint64 count = spec.count;
    if (spec.stopAfter > 0)
        count = qMin<qint64>(count, spec.stopAfter - c->read);
    c->busy = true;
    const RedisCommand read({"XREADGROUP", "GROUP", c->group, spec.name, "COUNT",
                             QByteArray::number(count), "STREAMS", c->stream, ">"},
                            c->stream);
    m_connection->send({read}, this, [this, c](const RedisResult &r) {
        if (!check(r, "XREADGROUP")) {
            c->busy = false;
            return;
        }
        const QList<Entry> entries = readGroupEntries(r.replies.constFirst());
        c->read += entries.size();
        m_counters.delivered += entries.size();
        if (c->spec.stopAfter > 0 && c->read >= c->spec.stopAfter) {
            // The consumer "crashes": what it read stays pending, for someone to claim.
            c->stopped = true;
            c->timer->stop();
            qCInfo(lcDemo) << "consumer" << c->spec.name << "of" << c->group << "stopped with"
                           << c->read << "entries pending";
        }
        QList<QByteArray> ack;
        for (const Entry &e : entries) {
            if (!c->spec.failOnPoison || rejectionReason(c->shape, e.fields).isEmpty())
                ack.append(e.id);
        }
        if (!c->spec.ack || ack.isEmpty()) {
            c->busy = false;
            return;
        }
        if (c->spec.processingMs > 0) {
            QTimer::singleShot(c->spec.processingMs, this, [this, c, ack] { acknowledge(c, ack); });
        } else {
            acknowledge(c, ack);
        }
    });
}

void WorkloadRunner::acknowledge(Consumer *c, const QList<QByteArray> &ids)
{
    if (!m_running || !m_connection) {
        c->busy = false;
        return;
    }
    const RedisCommand ack(QList<QByteArray>{"XACK", c->stream, c->group} + ids, c->stream);
    m_connection->send({ack}, this, [this, c](const RedisResult &r) {
        c->busy = false;
        if (check(r, "XACK"))
            m_counters.acked += r.replies.constFirst().toInteger();
    });
}

// A failing consumer's second, third... attempts: take back its own entries that have
// waited retryAfterMs (XCLAIM counts the delivery), try again, and once an entry has
// been delivered maxDeliveries times, write its dead letter and ack it.
void WorkloadRunner::retryPoison(Consumer *c)
{
    if (c->retrying || !m_running || !m_connection)
        return;
    c->retrying = true;
    const RedisCommand pending(
        {"XPENDING", c->stream, c->group, "-", "+", QByteArray::number(kPendingScan), c->spec.name},
        c->stream);
    m_connection->send({pending}, this, [this, c](const RedisResult &r) {
        if (!check(r, "XPENDING")) {
            c->retrying = false;
            return;
        }
        QHash<QByteArray, qint64> deliveries;
        QList<QByteArray> claim{"XCLAIM", c->stream, c->group, c->spec.name,
                                QByteArray::number(c->spec.retryAfterMs)};
        for (const RedisValue &p : r.replies.constFirst().elements()) {
            if (p.size() < 4 || p.at(2).toInteger() < c->spec.retryAfterMs)
                continue;
            claim.append(p.at(0).bytes());
            deliveries.insert(p.at(0).bytes(), p.at(3).toInteger() + 1);
        }
        if (claim.size() == 5) {
            c->retrying = false;
            return;
        }
        m_connection->send({RedisCommand(claim, c->stream)}, this,
                           [this, c, deliveries](const RedisResult &claimed) {
            if (!check(claimed, "XCLAIM")) {
                c->retrying = false;
                return;
            }
            QList<RedisCommand> commands;
            QList<QByteArray> ack{"XACK", c->stream, c->group};
            qint64 deadLetters = 0;
            for (const Entry &e : entriesOf(claimed.replies.constFirst())) {
                ++m_counters.redelivered;
                const QString reason = rejectionReason(c->shape, e.fields);
                const qint64 count = deliveries.value(e.id, 1);
                if (!reason.isEmpty() && count < c->spec.maxDeliveries)
                    continue; // failed again; stays pending for the next round
                if (!reason.isEmpty()) {
                    const Fields record =
                        PayloadFactory::deadLetter(c->stream, e.id, c->group, reason, int(count),
                                                   e.fields, QDateTime::currentMSecsSinceEpoch());
                    commands.append(RedisCommand(
                        QList<QByteArray>{"XADD", c->spec.deadLetterStream, "*"} + record,
                        c->spec.deadLetterStream));
                    ++deadLetters;
                }
                ack.append(e.id);
            }
            if (ack.size() == 3) {
                c->retrying = false;
                return;
            }
            // The dead letter first: if the ack were lost, the entry would be retried and
            // dead-lettered twice, never lost.
            commands.append(RedisCommand(ack, c->stream));
            m_connection->send(commands, this, [this, c, deadLetters](const RedisResult &written) {
                c->retrying = false;
                if (check(written, "dead-letter")) {
                    m_counters.deadLettered += deadLetters;
                    m_counters.acked += written.replies.constLast().toInteger();
                }
            });
        });
    });
}

void WorkloadRunner::trim(const StreamSpec &stream)
{
    if (!m_running || !m_connection)
        return;
    QList<QByteArray> argv{"XTRIM", stream.key, "MAXLEN"};
    if (stream.trim->approximate)
        argv.append("~");
    argv.append(QByteArray::number(stream.trim->maxLen));
    m_connection->send({RedisCommand(argv, stream.key)}, this, [this](const RedisResult &r) {
        if (check(r, "XTRIM"))
            m_counters.trimmed += r.replies.constFirst().toInteger();
    });
}
