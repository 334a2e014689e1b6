#include "streamoverview.h"

#include "grouplag.h"
#include "streammonitor.h"
#include "streamparsers.h"

#include <QCoreApplication>

#include <cmath>

namespace {
constexpr int ScanCount = 1000;

QString tr(const char *text)
{
    return QCoreApplication::translate("StreamOverview", text);
}

// Why a row's max lag says nothing, in the words the Groups view uses for a group.
QString lagReason(LagKnowledge lag, const StreamInfo &info, const QList<GroupInfo> &groups,
                  const ServerInfo &server)
{
    switch (lag) {
    case LagKnowledge::Known:
    case LagKnowledge::NoGroups: // no lag to know
        return {};
    case LagKnowledge::NotReported:
    case LagKnowledge::Nil:
        break;
    }
    for (const GroupInfo &g : groups) {
        if (g.lag)
            continue;
        const QString why = groupLagUnknownReason(g, info, server);
        return lag == LagKnowledge::NotReported
                   ? why
                   : tr("Group %1: %2").arg(QString::fromUtf8(g.name), why);
    }
    return {};
}
} // namespace

// One batch of keys on its way: the rows being filled, and what is still to ask.
struct StreamOverview::Batch
{
    // An EXISTS of some keys that the conventions could pair with some rows.
    struct Probe
    {
        QList<QByteArray> keys;
        QList<int> rows;
    };

    QList<StreamOverviewRow> rows;
    QList<StreamInfo> infos;
    QList<QList<GroupInfo>> groups;
    QList<QList<QByteArray>> candidates; // per row
    bool figuresRead = false;
    // Started once the scan was over: paired from its keys, each row's XLEN of its
    // dead-letter stream sent with its figures; nothing to probe.
    bool paired = false;

    // To send with the next step.
    QList<RedisCommand> ranges;
    QList<int> rangeRows;
    QList<Probe> probes;
    QList<QByteArray> typeKeys;
    QSet<QByteArray> typed; // asked for already

    // Sent with the step in flight.
    QList<int> sentRangeRows;
    QList<Probe> sentProbes;
    QList<QByteArray> sentTypeKeys;

    QSet<QByteArray> existing; // candidates that are streams
    QHash<QByteArray, qint64> lengths;
};

StreamOverview::StreamOverview(RedisConnection *connection, QObject *parent)
    : QObject(parent)
    , m_connection(connection)
{}

StreamOverview::~StreamOverview() = default;

void StreamOverview::setDeadLetterConventions(const DeadLetterConventions &conventions)
{
    m_conventions = conventions;
}

QByteArray StreamOverview::globEscape(const QByteArray &key)
{
    QByteArray out;
    out.reserve(key.size());
    for (char c : key) {
        if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\')
            out += '\\';
        out += c;
    }
    return out;
}

QList<StreamOverview::Affixes> StreamOverview::affixesOf(const DeadLetterConventions &conventions)
{
    QList<Affixes> out;
    for (const QString &pattern : conventions.patterns) {
        if (!DeadLetterConventions::patternProblem(pattern).isEmpty())
            continue;
        // apply() of an empty key gives the pattern's text around "{stream}".
        const QByteArray around = DeadLetterConventions::apply(pattern, {});
        const qsizetype at = pattern.indexOf(QLatin1String("{stream}"));
        const qsizetype prefix = pattern.left(at).toUtf8().size();
        out.append({around.left(prefix), around.mid(prefix)});
    }
    return out;
}

QList<QByteArray> StreamOverview::pairingCandidates(const QByteArray &key,
                                                    const QList<Affixes> &patterns)
{
    // Per pattern, both ways: the dead-letter stream `key` would have, and the source
    // `key` would be the dead-letter stream of (as DeadLetterConventions::sourceOf()).
    const auto sourceBy = [](const Affixes &a, const QByteArray &k) -> QByteArray {
        if (k.size() > a.prefix.size() + a.suffix.size() && k.startsWith(a.prefix)
            && k.endsWith(a.suffix))
            return k.mid(a.prefix.size(), k.size() - a.prefix.size() - a.suffix.size());
        return {};
    };
    QList<QByteArray> out;
    out.reserve(patterns.size() * 2);
    const auto add = [&out, &key](QByteArray k) {
        if (!k.isEmpty() && k != key && !out.contains(k))
            out.append(std::move(k));
    };
    QList<QByteArray> deadLetters;
    for (const Affixes &a : patterns) {
        deadLetters.append(a.prefix + key + a.suffix);
        add(deadLetters.constLast());
    }
    QList<QByteArray> sources;
    for (const Affixes &a : patterns) {
        QByteArray source = sourceBy(a, key);
        if (!source.isEmpty()) {
            sources.append(source);
            add(std::move(source));
        }
    }
    // A dead-letter stream of `key` may be claimed by another source first, and a source
    // of `key` may have another dead-letter stream that it takes first.
    for (const QByteArray &d : std::as_const(deadLetters)) {
        for (const Affixes &a : patterns)
            add(sourceBy(a, d));
    }
    for (const QByteArray &source : std::as_const(sources)) {
        for (const Affixes &a : patterns)
            add(a.prefix + source + a.suffix);
    }
    return out;
}

QList<QByteArray> StreamOverview::pairingCandidates(const QByteArray &key,
                                                    const DeadLetterConventions &conventions)
{
    return pairingCandidates(key, affixesOf(conventions));
}

void StreamOverview::start()
{
    if (!m_connection)
        return;
    m_replies.reset();
    m_scanStarted = false;
    m_running = true;
    m_scanDone = false;
    m_pairedAll = false;
    m_inFlight = 0;
    m_found = 0;
    m_rowsOut = 0;
    m_seen.clear();
    m_waiting.clear();
    m_affixes = affixesOf(m_conventions);
    if (m_connection->serverInfo().major && !m_connection->serverInfo().hasScanType()) {
        fail(tr("%1 cannot list keys by type (SCAN ... TYPE came with Redis 6.0)")
                 .arg(m_connection->serverInfo().displayName()));
        return;
    }
    // The server's clock, for the time lag: read once, then advanced by ours.
    m_replies.send(m_connection, {RedisCommand{"TIME"}}, [this](const RedisResult &result) {
        const QString error = result.ok() && result.replies.at(0).isError()
                                  ? QString::fromUtf8(result.replies.at(0).bytes())
                                  : result.error;
        const RedisValue *reply = result.ok() ? &result.replies.at(0) : nullptr;
        if (!reply || !reply->isArray() || reply->size() != 2) {
            fail(error.isEmpty() ? tr("TIME gave an unexpected reply") : error);
            return;
        }
        m_serverTimeMs =
            reply->at(0).bytes().toLongLong() * 1000 + reply->at(1).bytes().toLongLong() / 1000;
        m_sinceTime.start();
        RedisCommand scan{"SCAN", "0"};
        if (!m_match.isEmpty())
            scan.argv << "MATCH" << m_match;
        scan.argv << "TYPE"
                  << "stream"
                  << "COUNT" << QByteArray::number(ScanCount);
        // The walk on a connection of its own: on the one the batches go, each page would
        // wait behind the batches sent before it is asked for.
        m_scanConnection = std::make_unique<RedisConnection>(m_connection->options());
        connect(m_scanConnection.get(), &RedisConnection::stateChanged, this,
                [this, scan](ConnectionState state, const QString &message) {
            if (state == ConnectionState::Connected && !m_scanStarted) {
                m_scanStarted = true;
                m_replies.iterate(m_scanConnection.get(), scan,
                                  [this](const RedisResult &page) { onPage(page); });
            } else if (state == ConnectionState::Failed && !m_scanStarted) {
                fail(message);
            }
        });
        m_scanConnection->open(false);
    });
}

void StreamOverview::cancel()
{
    m_replies.reset();
    m_running = false;
    m_waiting.clear();
}

qint64 StreamOverview::serverNowMs() const
{
    return m_serverTimeMs + m_sinceTime.elapsed();
}

void StreamOverview::fail(const QString &error)
{
    cancel();
    Q_EMIT finished(error);
}

void StreamOverview::onPage(const RedisResult &result)
{
    QString error = result.error;
    const std::optional<ScanPage> page =
        result.ok() ? parseScanPage(result.replies.at(0), &error) : std::nullopt;
    if (!page) {
        if (result.ok() && result.replies.at(0).isError())
            error = QString::fromUtf8(result.replies.at(0).bytes());
        fail(error);
        return;
    }
    for (const QByteArray &key : page->keys) {
        if (m_seen.contains(key))
            continue;
        m_seen.insert(key);
        if (m_waiting.empty())
            m_waitingSince.start();
        m_waiting.push_back(key);
        ++m_found;
    }
    if (!result.more) {
        m_scanDone = true;
        // Every stream is known now (unless --match left some out): pair them all at once,
        // as the dashboard does at the end of its scan, and the batches from here on need
        // not ask Redis.
        m_pairedAll = m_match.isEmpty();
        if (m_pairedAll)
            m_deadLettersOf = detectDeadLetterStreams(
                QList<QByteArray>(m_seen.cbegin(), m_seen.cend()), m_conventions);
        for (auto it = m_deadLettersOf.cbegin(); it != m_deadLettersOf.cend(); ++it)
            m_sourceOf.insert(it.value(), it.key());
        m_seen.clear();
        m_seen.squeeze();
    }
    pump();
}

void StreamOverview::pump()
{
    if (!m_running)
        return;
    // Several full batches at a time. While the scan goes on, a short batch only when keys
    // have waited a while with nothing in flight (a sparse --match still shows its rows as
    // it goes): every batch then has to ask Redis about dead-letter streams, and short
    // ones, each a round trip, left Redis idle between them (weirctl streams took 1.25
    // times the raw reference's time over 100,000 streams, against 1.1 with full ones).
    const auto ready = [this] {
        return int(m_waiting.size()) >= m_batchSize || m_scanDone
               || (m_inFlight == 0 && m_waitingSince.elapsed() >= ShortBatchAfterMs);
    };
    while (m_inFlight < MaxBatchesInFlight && !m_waiting.empty() && ready())
        startBatch();
    if (m_scanDone && m_waiting.empty() && m_inFlight == 0) {
        m_running = false;
        m_deadLettersOf.clear();
        m_sourceOf.clear();
        Q_EMIT finished({});
    }
}

void StreamOverview::startBatch()
{
    auto batch = std::make_shared<Batch>();
    const int n = qMin(m_batchSize, int(m_waiting.size()));
    batch->rows.reserve(n);
    for (int i = 0; i < n; ++i) {
        StreamOverviewRow row;
        row.key = std::move(m_waiting.front());
        m_waiting.pop_front();
        batch->rows.append(std::move(row));
    }
    batch->infos.resize(n);
    batch->groups.resize(n);
    ++m_inFlight;
    if (m_pairedAll) {
        batch->paired = true;
        for (StreamOverviewRow &row : batch->rows) {
            row.deadLetterStream = m_deadLettersOf.value(row.key);
            row.deadLetterOf = m_sourceOf.value(row.key);
        }
        sendStep(batch);
        return;
    }
    // Outside a cluster one EXISTS asks about every key the batch could pair with; in
    // one, keys of different slots cannot share a command, so each is asked alone.
    const bool cluster = m_connection->isCluster();
    Batch::Probe all;
    for (int i = 0; i < n; ++i) {
        const QList<QByteArray> candidates = pairingCandidates(batch->rows.at(i).key, m_affixes);
        batch->candidates.append(candidates);
        for (const QByteArray &c : candidates) {
            if (m_seen.contains(c)) { // a stream: only its length is to read
                if (!batch->typed.contains(c)) {
                    batch->typed.insert(c);
                    batch->typeKeys.append(c);
                }
            } else if (cluster) {
                batch->probes.append({{c}, {i}});
            } else {
                all.keys.append(c);
                if (all.rows.isEmpty() || all.rows.constLast() != i)
                    all.rows.append(i);
            }
        }
    }
    if (!all.keys.isEmpty())
        batch->probes.append(all);
    sendStep(batch);
}

void StreamOverview::sendStep(const std::shared_ptr<Batch> &batch)
{
    QList<RedisCommand> commands;
    if (!batch->figuresRead) {
        commands.reserve(batch->rows.size() * 2 + batch->probes.size());
        for (const StreamOverviewRow &row : std::as_const(batch->rows))
            commands.append(streamFigureCommands(row.key, row.deadLetterStream));
    }
    commands.append(batch->ranges);
    batch->sentRangeRows = std::exchange(batch->rangeRows, {});
    batch->ranges.clear();
    for (const Batch::Probe &p : std::as_const(batch->probes)) {
        RedisCommand exists{"EXISTS"};
        exists.argv.append(p.keys);
        exists.key = p.keys.first();
        commands.append(std::move(exists));
    }
    batch->sentProbes = std::exchange(batch->probes, {});
    for (const QByteArray &k : std::as_const(batch->typeKeys)) {
        commands.append(RedisCommand{{"TYPE", k}, k});
        commands.append(RedisCommand{{"XLEN", k}, k});
    }
    batch->sentTypeKeys = std::exchange(batch->typeKeys, {});
    if (commands.isEmpty()) {
        completeBatch(batch);
        return;
    }
    m_replies.send(m_connection, std::move(commands),
                   [this, batch](const RedisResult &result) { onStep(batch, result); });
}

void StreamOverview::onStep(const std::shared_ptr<Batch> &batch, const RedisResult &result)
{
    if (!result.ok()) {
        fail(result.error);
        return;
    }
    qsizetype at = 0;
    const ServerInfo &server = m_connection->serverInfo();
    if (!batch->figuresRead) {
        batch->figuresRead = true;
        for (int i = 0; i < batch->rows.size(); ++i) {
            StreamOverviewRow &row = batch->rows[i];
            StreamInfo &info = batch->infos[i];
            QList<GroupInfo> &groups = batch->groups[i];
            row.status = readStreamFigures(result.replies.at(at), result.replies.at(at + 1),
                                           &row.figures, &row.error, &info, &groups);
            at += 2;
            if (!row.deadLetterStream.isEmpty()) {
                const RedisValue &length = result.replies.at(at++);
                if (length.isInteger())
                    row.deadLetters = length.toInteger();
            }
            if (row.status != StreamReadStatus::Ok)
                continue;
            row.lag = lagKnowledge(row.figures, server);
            row.lagUnknownReason = lagReason(row.lag, info, groups, server);
            if (groups.isEmpty())
                continue;
            row.timeLagMs = 0;
            for (const GroupInfo &g : std::as_const(groups)) {
                const std::optional<StreamId> from = monitormath::undeliveredFrom(info, g);
                if (!from)
                    continue;
                batch->ranges.append(RedisCommand{
                    {"XRANGE", row.key, from->toByteArray(), "+", "COUNT", "1"}, row.key});
                batch->rangeRows.append(i);
            }
        }
    }
    const qint64 now = serverNowMs();
    for (int row : std::as_const(batch->sentRangeRows)) {
        QString error;
        const auto entries = parseEntries(result.replies.at(at++), &error);
        // An error: the stream went away since its figures were read.
        if (entries && !entries->isEmpty()) {
            StreamOverviewRow &r = batch->rows[row];
            r.timeLagMs =
                qMax(r.timeLagMs.value_or(0), monitormath::timeLagMs(now, entries->first().id));
        }
    }
    for (const Batch::Probe &p : std::as_const(batch->sentProbes)) {
        const RedisValue &reply = result.replies.at(at++);
        if (reply.isError()) {
            fail(QString::fromUtf8(reply.bytes()));
            return;
        }
        if (reply.toInteger() <= 0)
            continue;
        if (p.rows.size() > 1) {
            // Narrow down to the rows it concerns (outside a cluster only): into about
            // sqrt(n) parts of as many rows each, which finds the one or two rows of a
            // batch that have dead-letter streams in a few EXISTS, not one per row.
            const qsizetype n = p.rows.size();
            const auto per =
                qMin(n - 1, qsizetype(std::ceil(std::sqrt(double(n))))); // never n: no progress
            for (qsizetype first = 0; first < n; first += per) {
                Batch::Probe part;
                part.rows = p.rows.mid(first, per);
                for (int row : std::as_const(part.rows))
                    part.keys.append(batch->candidates.at(row));
                batch->probes.append(std::move(part));
            }
            continue;
        }
        for (const QByteArray &k : p.keys) {
            if (!batch->typed.contains(k)) {
                batch->typed.insert(k);
                batch->typeKeys.append(k);
            }
        }
    }
    for (const QByteArray &k : std::as_const(batch->sentTypeKeys)) {
        const RedisValue &type = result.replies.at(at++);
        const RedisValue &length = result.replies.at(at++);
        if (type.bytes() == "stream" && length.isInteger()) {
            batch->existing.insert(k);
            batch->lengths.insert(k, length.toInteger());
        }
    }
    sendStep(batch);
}

void StreamOverview::completeBatch(const std::shared_ptr<Batch> &batch)
{
    // Pair as the dashboard does, over the batch's streams and the ones found for them.
    QList<QByteArray> keys(batch->existing.cbegin(), batch->existing.cend());
    for (const StreamOverviewRow &row : std::as_const(batch->rows)) {
        if (row.status == StreamReadStatus::Ok)
            keys.append(row.key);
    }
    if (!batch->paired && !batch->existing.isEmpty()) {
        const QHash<QByteArray, QByteArray> pairs = detectDeadLetterStreams(keys, m_conventions);
        QHash<QByteArray, QByteArray> sourceOf;
        for (auto it = pairs.cbegin(); it != pairs.cend(); ++it)
            sourceOf.insert(it.value(), it.key());
        for (StreamOverviewRow &row : batch->rows) {
            if (row.status != StreamReadStatus::Ok)
                continue;
            row.deadLetterStream = pairs.value(row.key);
            if (!row.deadLetterStream.isEmpty()) {
                const auto length = batch->lengths.constFind(row.deadLetterStream);
                if (length != batch->lengths.cend())
                    row.deadLetters = *length;
            }
            row.deadLetterOf = sourceOf.value(row.key);
        }
    }
    --m_inFlight;
    m_rowsOut += batch->rows.size();
    Q_EMIT rowsReady(batch->rows);
    pump();
}
