#include "historyreader.h"

#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QVariant>

#include <algorithm>

namespace {

// The longest step between two inputs of a tier that is not a gap. Raw gaps are samples of
// their own, and a chunk with nothing but gaps is not stored: only a step over a whole
// chunk is a gap. Buckets that are absent were empty.
qint64 gapMsFor(HistoryTier tier)
{
    if (tier == HistoryTier::Raw)
        return historyChunkMs(HistoryTier::Raw);
    return historyBucketMs(tier) * 3 / 2;
}

} // namespace

std::vector<HistoryPart> planHistoryRead(qint64 fromMs, qint64 toMs, int pixels,
                                         const HistoryRetention &retention, qint64 nowMs)
{
    const qint64 columnMs = (toMs - fromMs) / qMax(1, pixels);
    HistoryTier finest = HistoryTier::Raw;
    if (columnMs >= historyBucketMs(HistoryTier::Hour))
        finest = HistoryTier::Hour;
    else if (columnMs >= historyBucketMs(HistoryTier::Minute))
        finest = HistoryTier::Minute;

    // Where each tier's data starts: the chunk holding its retention's start (the hour tier
    // is read however far back is asked). A finer tier never reaches further back than a
    // coarser one is read from.
    qint64 reach[HistoryTierCount];
    reach[int(HistoryTier::Hour)] = std::numeric_limits<qint64>::min();
    for (int tier = int(HistoryTier::Minute); tier >= 0; --tier) {
        const qint64 start = historyAlign(nowMs - retention.forTier(HistoryTier(tier)),
                                          historyChunkMs(HistoryTier(tier)));
        reach[tier] = std::max(start, reach[tier + 1]);
    }

    std::vector<HistoryPart> parts;
    for (int tier = int(HistoryTier::Hour); tier >= int(finest); --tier) {
        const qint64 from = std::max(fromMs, reach[tier]);
        const qint64 to = tier == int(finest) ? toMs : std::min(toMs, reach[tier - 1] - 1);
        if (from <= to)
            parts.push_back({HistoryTier(tier), from, to});
    }
    return parts;
}

HistoryReader::HistoryReader(const QString &path, std::shared_ptr<HistoryShared> shared)
    : m_path(path)
    , m_shared(std::move(shared))
{}

HistoryReader::~HistoryReader()
{
    close();
}

void HistoryReader::close()
{
    m_findSeries.reset();
    m_chunks.reset();
    m_lastMs.reset();
    HistoryDb::close(&m_db);
}

void HistoryReader::shutdown()
{
    close();
}

void HistoryReader::report(const QString &message)
{
    if (m_reported)
        return;
    m_reported = true;
    Q_EMIT problem(message);
}

bool HistoryReader::ensureOpen(QString *error)
{
    const int generation = m_shared->generation.load();
    if (m_db.isValid() && generation == m_generation)
        return true;
    close();
    if (!QFileInfo::exists(m_path)) {
        error->clear();
        return false;
    }
    QSqlError failure;
    m_db = HistoryDb::open(HistoryDb::uniqueConnectionName("reader"), m_path, true, &failure);
    if (m_db.isValid()) {
        m_findSeries.emplace(m_db);
        m_chunks.emplace(m_db);
        m_lastMs.emplace(m_db);
        if (m_findSeries->prepare(QStringLiteral(
                "SELECT id FROM series WHERE stream = ? AND grp = ? AND consumer = ? "
                "AND metric = ?"))
            && m_chunks->prepare(
                QStringLiteral("SELECT start_ms, data FROM chunks WHERE series = ? AND tier = ? "
                               "AND start_ms > ? AND start_ms <= ? ORDER BY start_ms"))
            && m_lastMs->prepare(QStringLiteral("SELECT value FROM meta WHERE key = 'last_ms'"))) {
            m_generation = generation;
            return true;
        }
        for (auto *q : {&m_findSeries, &m_chunks, &m_lastMs}) {
            if ((*q)->lastError().isValid()) {
                failure = (*q)->lastError();
                break;
            }
        }
        close();
    }
    *error = tr("Weir cannot read this profile's monitoring history %1: %2.")
                 .arg(QDir::toNativeSeparators(m_path), HistoryDb::sqliteText(failure));
    return false;
}

qint64 HistoryReader::newestMs()
{
    qint64 newest = m_shared->newestMs.load();
    // A read-only store has no writer of its own: the one writing says how far it got.
    if (m_lastMs->exec() && m_lastMs->next())
        newest = std::max(newest, m_lastMs->value(0).toLongLong());
    m_lastMs->finish();
    return newest;
}

void HistoryReader::load(quint64 request, const SeriesKey &key, qint64 fromMs, qint64 toMs,
                         int pixels, const HistoryRetention &retention)
{
    HistoryView view;
    view.key = key;
    view.fromMs = fromMs;
    view.toMs = toMs;
    view.pixels = pixels;
    const auto answer = [&] { Q_EMIT loaded(request, view); };

    QString error;
    if (!ensureOpen(&error)) {
        view.tier =
            HistoryStore::tierFor(fromMs, toMs, pixels, retention, m_shared->newestMs.load());
        view.error = error;
        if (!error.isEmpty())
            report(error);
        return answer();
    }
    const auto queryFailed = [&](QSqlQuery &query) {
        view.runs.clear();
        view.error =
            tr("Weir cannot read this profile's monitoring history %1: %2.")
                .arg(QDir::toNativeSeparators(m_path), HistoryDb::sqliteText(query.lastError()));
        query.finish();
        report(view.error);
        // A file replaced under the connection is opened anew by the next read.
        close();
        return answer();
    };

    const qint64 now = newestMs();
    const std::vector<HistoryPart> parts = planHistoryRead(fromMs, toMs, pixels, retention, now);
    view.tier = parts.empty() ? HistoryStore::tierFor(fromMs, toMs, pixels, retention, now)
                              : parts.back().tier;

    QSqlQuery &find = *m_findSeries;
    find.bindValue(0, HistoryDb::keyBlob(key.stream));
    find.bindValue(1, HistoryDb::keyBlob(key.group));
    find.bindValue(2, HistoryDb::keyBlob(key.consumer));
    find.bindValue(3, int(key.metric));
    if (!find.exec())
        return queryFailed(find);
    if (!find.next()) {
        find.finish();
        return answer(); // never recorded: nothing to draw
    }
    const qint64 id = find.value(0).toLongLong();
    find.finish();

    ColumnReducer reducer(fromMs, toMs, pixels,
                          gapMsFor(parts.empty() ? HistoryTier::Raw : parts.front().tier));
    QStringList damaged;
    HistoryBuckets buckets;
    for (size_t p = 0; p < parts.size(); ++p) {
        const HistoryPart &part = parts[p];
        const qint64 chunkMs = historyChunkMs(part.tier);
        const qint64 bucketMs = historyBucketMs(part.tier);
        // The reducer judges the step from one tier into the next by the longer gap.
        reducer.setGapMs(gapMsFor(part.tier));
        QSqlQuery &chunks = *m_chunks;
        chunks.bindValue(0, id);
        chunks.bindValue(1, int(part.tier));
        chunks.bindValue(2, part.fromMs - chunkMs);
        chunks.bindValue(3, part.toMs);
        if (!chunks.exec())
            return queryFailed(chunks);
        while (chunks.next()) {
            const qint64 startMs = chunks.value(0).toLongLong();
            QString why;
            if (!decodeHistoryChunk(chunks.value(1).toByteArray(), part.tier, &buckets, &why)) {
                damaged.append(
                    tr("the %1 chunk from %2 (%3)")
                        .arg(HistoryDb::tierName(part.tier),
                             QDateTime::fromMSecsSinceEpoch(startMs).toString(Qt::ISODate), why));
                continue;
            }
            for (const HistoryBucket &bucket : buckets) {
                const bool inPart = bucket.timeMs >= part.fromMs
                                    || (p == 0 && bucket.timeMs + bucketMs > part.fromMs);
                if (!inPart || bucket.timeMs > part.toMs)
                    continue;
                reducer.add(bucket);
            }
        }
        if (chunks.lastError().isValid())
            return queryFailed(chunks);
        chunks.finish();
    }
    view.runs = reducer.finish();
    if (!damaged.isEmpty()) {
        view.error = tr("Some of this series' history on disk is damaged and left out: %1.")
                         .arg(damaged.join(QStringLiteral("; ")));
        report(view.error);
    }
    answer();
}

void HistoryReader::measureSize()
{
    qint64 bytes = 0;
    for (const QString &suffix : {QString(), QStringLiteral("-wal"), QStringLiteral("-shm")})
        bytes += QFileInfo(m_path + suffix).size();
    Q_EMIT sizeKnown(bytes);
}
