#include "historywriter.h"

#include "serieshistory.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLockFile>
#include <QSqlRecord>
#include <QTimer>
#include <QVariant>

#include <algorithm>
#include <cmath>
#include <malloc.h>

namespace {

constexpr float Gap = std::numeric_limits<float>::quiet_NaN();

qint64 rawSpan()
{
    return historyChunkMs(HistoryTier::Raw);
}

qint64 minuteSpan()
{
    return historyChunkMs(HistoryTier::Minute);
}

qint64 hourSpan()
{
    return historyChunkMs(HistoryTier::Hour);
}

// Why a folder cannot be created, in the system's words: the first part of the path that
// exists but is not a folder, or what creating a file in it says.
QString folderFailure(const QString &directory)
{
    QString existing = directory;
    while (!existing.isEmpty() && !QFileInfo::exists(existing))
        existing = QFileInfo(existing).path();
    QFile probe(QDir(existing).filePath(QStringLiteral(".weir-probe")));
    if (probe.open(QIODevice::WriteOnly)) {
        probe.remove();
        return QString();
    }
    return probe.errorString();
}

} // namespace

HistoryWriter::HistoryWriter(const QString &path, const HistoryRetention &retention,
                             std::shared_ptr<HistoryShared> shared,
                             std::shared_ptr<std::atomic<int>> backlog)
    : m_path(path)
    , m_retention(retention)
    , m_shared(std::move(shared))
    , m_backlog(std::move(backlog))
    , m_metrics(SeriesHistory::chartedMetrics())
{}

HistoryWriter::~HistoryWriter()
{
    closeDatabase();
}

qint64 HistoryWriter::bytesPerSeries(int intervalMs)
{
    const qint64 ticks = rawSpan() / qMax(1, intervalMs);
    const qint64 minutes = minuteSpan() / historyBucketMs(HistoryTier::Minute);
    const qint64 hours = hourSpan() / historyBucketMs(HistoryTier::Hour);
    // The series, its values of the open raw chunk, its open minute and hour chunks, and its
    // entries in the hashes by id and by key (a key of about 40 bytes).
    return qint64(sizeof(Series)) + ticks * qint64(sizeof(float))
           + (minutes + hours) * qint64(sizeof(HistoryBucket)) + 2 * 32 + 64
           + qint64(sizeof(int)) * 2;
}

void HistoryWriter::enqueue(const MonitorFigures &figures)
{
    MonitorFigures copy = figures;
    bool wasEmpty;
    {
        QMutexLocker locker(&m_queueMutex);
        wasEmpty = m_queue.empty();
        m_queue.push_back(std::move(copy));
    }
    if (wasEmpty)
        QMetaObject::invokeMethod(this, &HistoryWriter::drain, Qt::QueuedConnection);
}

// ---- opening ----

void HistoryWriter::open()
{
    m_flushTimer = new QTimer(this);
    m_flushTimer->setSingleShot(true);
    m_flushTimer->setInterval(HistoryStore::FlushIntervalMs);
    connect(m_flushTimer, &QTimer::timeout, this, [this] { commit(); });

    const QString directory = QFileInfo(m_path).absolutePath();
    if (!QDir().mkpath(directory)) {
        fail(OpenFault,
             tr("Weir cannot keep this profile's monitoring history on disk: the folder %1 "
                "cannot be created (%2). Monitoring goes on in memory; make the folder "
                "writable or choose another data location, then reopen the profile.")
                 .arg(QDir::toNativeSeparators(directory), folderFailure(directory)),
             tr("History is kept in memory only: its folder cannot be created."));
        return;
    }

    m_lock = std::make_unique<QLockFile>(m_path + QStringLiteral(".lock"));
    // A lock is stale only when its process is gone, however long a Weir has held it.
    m_lock->setStaleLockTime(0);
    if (!m_lock->tryLock(0)) {
        if (m_lock->error() == QLockFile::LockFailedError) {
            qint64 pid = 0;
            QString host;
            QString application;
            m_lock->getLockInfo(&pid, &host, &application);
            m_lock.reset();
            setMode(HistoryStore::Mode::ReadOnly,
                    tr("Another Weir (%1, process %2 on %3) is recording this profile's "
                       "history: this window shows what it writes and keeps its own recent "
                       "ticks in memory only.")
                        .arg(application.isEmpty() ? tr("unknown program") : application)
                        .arg(pid)
                        .arg(host.isEmpty() ? tr("this computer") : host));
            return;
        }
        const QString reason = m_lock->error() == QLockFile::PermissionError
                                   ? folderFailure(directory)
                                   : tr("unknown error");
        m_lock.reset();
        fail(OpenFault,
             tr("Weir cannot keep this profile's monitoring history on disk: it cannot create "
                "the lock file in %1 (%2). Monitoring goes on in memory; make the folder "
                "writable, then reopen the profile.")
                 .arg(QDir::toNativeSeparators(directory), reason),
             tr("History is kept in memory only: its folder is not writable."));
        return;
    }

    QString failure;
    if (!openDatabase(&failure)) {
        closeDatabase();
        resetState();
        fail(OpenFault, failure, tr("History is kept in memory only: its file cannot be used."));
        return;
    }
    housekeep(m_lastTickMs);
    m_sinceCommit.start();
    if (m_mode == HistoryStore::Mode::Opening)
        setMode(HistoryStore::Mode::Writing, QString());
}

bool HistoryWriter::openDatabase(QString *failure)
{
    for (int attempt = 0; attempt < 2; ++attempt) {
        QSqlError error;
        m_db = HistoryDb::open(HistoryDb::uniqueConnectionName("writer"), m_path, false, &error);
        if (m_db.isValid() && prepareSchema(&error) && loadSeries(&error) && replay(&error))
            return true;
        closeDatabase();
        resetState();
        // A damaged file is set aside once and a new one started; anything else (or a new
        // file that fails too) leaves history in memory.
        if (attempt == 0 && HistoryDb::isCorruption(error) && setAside(error))
            continue;
        const QString hint = HistoryDb::sqliteCode(error) == HistoryDb::Full
                                 ? tr("Free some space on that disk, then reopen the profile.")
                                 : tr("Check the file and its folder, then reopen the profile.");
        *failure = tr("Weir cannot open this profile's monitoring history %1: %2. %3 Monitoring "
                      "goes on in memory.")
                       .arg(QDir::toNativeSeparators(m_path), HistoryDb::sqliteText(error), hint);
        return false;
    }
    return false;
}

bool HistoryWriter::prepareSchema(QSqlError *error)
{
    QSqlQuery query(m_db);
    const char *statements[] = {
        "PRAGMA journal_mode=WAL",
        "PRAGMA synchronous=NORMAL",
        // The log grows to the largest commit (a chunk end's tens of MB); after a checkpoint
        // it is cut back to this rather than kept at that size.
        "PRAGMA journal_size_limit=33554432",
        "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL)",
        "CREATE TABLE IF NOT EXISTS series (id INTEGER PRIMARY KEY, stream BLOB NOT NULL, "
        "grp BLOB NOT NULL, consumer BLOB NOT NULL, metric INTEGER NOT NULL, "
        "last_ms INTEGER NOT NULL, UNIQUE (stream, grp, consumer, metric))",
        "CREATE TABLE IF NOT EXISTS chunks (series INTEGER NOT NULL, tier INTEGER NOT NULL, "
        "start_ms INTEGER NOT NULL, end_ms INTEGER NOT NULL, data BLOB NOT NULL, "
        "UNIQUE (series, tier, start_ms))",
        // Retention deletes by tier and end: this index keeps that from scanning every chunk.
        "CREATE INDEX IF NOT EXISTS chunks_by_end ON chunks (tier, end_ms)",
        "CREATE TABLE IF NOT EXISTS journal (id INTEGER PRIMARY KEY, time_ms INTEGER NOT NULL, "
        "data BLOB NOT NULL)",
        "INSERT OR IGNORE INTO meta (key, value) VALUES ('schema', 1)",
    };
    for (const char *statement : statements) {
        if (!query.exec(QString::fromLatin1(statement))) {
            *error = query.lastError();
            return false;
        }
    }
    if (!query.exec(QStringLiteral("SELECT value FROM meta WHERE key = 'schema'"))
        || !query.next()) {
        *error = query.lastError();
        return false;
    }
    if (query.value(0).toInt() > HistoryDb::SchemaVersion) {
        *error = QSqlError(tr("it was written by a newer Weir"),
                           tr("it was written by a newer Weir"), QSqlError::UnknownError);
        return false;
    }

    m_insertSeries.emplace(m_db);
    m_insertChunk.emplace(m_db);
    m_updateLastMs.emplace(m_db);
    m_insertJournal.emplace(m_db);
    m_setMeta.emplace(m_db);
    const bool prepared =
        m_insertSeries->prepare(
            QStringLiteral("INSERT INTO series (id, stream, grp, consumer, metric, last_ms) "
                           "VALUES (?, ?, ?, ?, ?, ?)"))
        && m_insertChunk->prepare(
            QStringLiteral("INSERT OR REPLACE INTO chunks (series, tier, start_ms, end_ms, data) "
                           "VALUES (?, ?, ?, ?, ?)"))
        && m_updateLastMs->prepare(
            QStringLiteral("UPDATE series SET last_ms = MAX(last_ms, ?) WHERE id = ?"))
        && m_insertJournal->prepare(
            QStringLiteral("INSERT INTO journal (time_ms, data) VALUES (?, ?)"))
        && m_setMeta->prepare(
            QStringLiteral("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)"));
    if (!prepared) {
        for (auto *q :
             {&m_insertSeries, &m_insertChunk, &m_updateLastMs, &m_insertJournal, &m_setMeta}) {
            if ((*q)->lastError().isValid()) {
                *error = (*q)->lastError();
                break;
            }
        }
        return false;
    }
    return true;
}

bool HistoryWriter::loadSeries(QSqlError *error)
{
    QSqlQuery query(m_db);
    query.setForwardOnly(true);
    if (!query.exec(QStringLiteral("SELECT id, stream, grp, consumer, metric FROM series"))) {
        *error = query.lastError();
        return false;
    }
    while (query.next()) {
        const qint64 id = query.value(0).toLongLong();
        m_idByKey.insert(HistoryDb::keyFromColumns(query.value(1), query.value(2), query.value(3),
                                                   query.value(4)),
                         id);
        m_nextId = qMax(m_nextId, id + 1);
    }
    if (query.lastError().isValid()) {
        *error = query.lastError();
        return false;
    }
    return true;
}

// Rebuilds the open state of every tier from the one below it, as the last session left
// it: the day's hours from the partial hour chunk, the hour's minutes from its raw chunks,
// the raw chunk's ticks from the journal. Then writes the open chunks as partial ones, so
// reads see everything up to the end of that session.
bool HistoryWriter::replay(QSqlError *error)
{
    QSqlQuery query(m_db);
    query.setForwardOnly(true);
    if (!query.exec(QStringLiteral("SELECT key, value FROM meta"))) {
        *error = query.lastError();
        return false;
    }
    qint64 lastMs = 0;
    while (query.next()) {
        const QString key = query.value(0).toString();
        const qint64 value = query.value(1).toLongLong();
        if (key == QLatin1String("last_ms"))
            lastMs = value;
        else if (key == QLatin1String("raw_start"))
            m_rawStart = value;
        else if (key == QLatin1String("minute_start"))
            m_minuteChunkStart = value;
        else if (key == QLatin1String("hour_start"))
            m_hourChunkStart = value;
        else if (key == QLatin1String("partial_ms"))
            m_partialMs = value;
    }
    if (lastMs <= 0)
        return true;
    m_lastTickMs = lastMs;

    // The series of a row met in a chunk or the journal, brought into memory. By id in
    // arrays, not hashes (the journal alone names millions of values): its key, and its
    // place in m_series once brought in, NotIn before that, Unknown for an id the series
    // table does not have.
    constexpr int Unknown = -2;
    constexpr int NotIn = -1;
    std::vector<SeriesKey> keyById(static_cast<size_t>(m_nextId));
    std::vector<int> placeById(static_cast<size_t>(m_nextId), Unknown);
    for (auto it = m_idByKey.cbegin(); it != m_idByKey.cend(); ++it) {
        keyById[size_t(it.value())] = it.key();
        placeById[size_t(it.value())] = NotIn;
    }
    const auto placeOf = [&](qint64 id) {
        if (id <= 0 || id >= m_nextId || placeById[size_t(id)] == Unknown)
            return -1;
        int &place = placeById[size_t(id)];
        if (place == NotIn)
            place = addSeries(keyById[size_t(id)], lastMs);
        return place;
    };
    QString decodeError;

    // A tier's chunks starting at a time, found by their end: (tier, end_ms) is indexed,
    // start_ms only after the series.
    const auto chunksStartingAt = [&](HistoryTier tier, qint64 startMs) {
        query.prepare(
            QStringLiteral("SELECT series, data FROM chunks WHERE tier = ? AND end_ms = ?"));
        query.addBindValue(int(tier));
        query.addBindValue(startMs + historyChunkMs(tier));
        if (query.exec())
            return true;
        *error = query.lastError();
        return false;
    };

    // Hours of the day before the open minute chunk.
    if (!chunksStartingAt(HistoryTier::Hour, m_hourChunkStart))
        return false;
    HistoryBuckets buckets;
    while (query.next()) {
        const int place = placeOf(query.value(0).toLongLong());
        if (place < 0
            || !decodeHistoryChunk(query.value(1).toByteArray(), HistoryTier::Hour, &buckets,
                                   &decodeError))
            continue;
        Series &series = m_series[size_t(place)];
        for (const HistoryBucket &bucket : buckets) {
            if (bucket.timeMs < m_minuteChunkStart)
                series.hours.push_back(bucket);
        }
    }

    // The hour's minutes before the open raw chunk, as the last raw chunk's end wrote them.
    if (!chunksStartingAt(HistoryTier::Minute, m_minuteChunkStart))
        return false;
    while (query.next()) {
        const int place = placeOf(query.value(0).toLongLong());
        if (place < 0
            || !decodeHistoryChunk(query.value(1).toByteArray(), HistoryTier::Minute, &buckets,
                                   &decodeError))
            continue;
        Series &series = m_series[size_t(place)];
        for (const HistoryBucket &bucket : buckets) {
            if (bucket.timeMs >= m_rawStart)
                break;
            series.minutes.push_back(bucket);
            addToHour(series, bucket);
            series.lastValueMs = qMax(series.lastValueMs, bucket.timeMs);
        }
    }

    // The open raw chunk's ticks, from the journal.
    if (!query.exec(QStringLiteral("SELECT data FROM journal ORDER BY id"))) {
        *error = query.lastError();
        return false;
    }
    // A row at a time: ten minutes of thousands of series take a lot of memory decoded.
    std::vector<JournalTick> ticks;
    while (query.next()) {
        if (!decodeJournal(query.value(0).toByteArray(), &ticks, &decodeError))
            continue;
        for (const JournalTick &tick : ticks) {
            if (tick.timeMs < m_rawStart
                || (!m_rawTimes.empty() && tick.timeMs <= m_rawTimes.back()))
                continue;
            m_values.assign(m_series.size(), Gap);
            for (const auto &[id, value] : tick.values) {
                const int place = placeOf(id);
                if (place < 0)
                    continue;
                m_values.resize(m_series.size(), Gap);
                m_values[size_t(place)] = value;
            }
            appendTick(tick.timeMs, tick.ok, false);
        }
    }
    if (query.lastError().isValid()) {
        *error = query.lastError();
        return false;
    }
    m_lastTickMs = qMax(m_lastTickMs, lastMs);
    m_shared->newestMs.store(m_lastTickMs);

    // A clean close wrote the open chunks up to the last tick; after a crash, they are
    // written now, so reads see everything up to the end of that session.
    if (m_partialMs < m_lastTickMs)
        queuePartialChunks();
    m_metaDirty = true;
    return commit(error);
}

bool HistoryWriter::setAside(const QSqlError &why)
{
    const QString stamp = QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmmss"));
    const QString aside = m_path + QStringLiteral(".corrupt-") + stamp;
    if (!QFile::rename(m_path, aside))
        return false;
    for (const QString &suffix : {QStringLiteral("-wal"), QStringLiteral("-shm")}) {
        if (QFile::exists(m_path + suffix) && !QFile::rename(m_path + suffix, aside + suffix))
            QFile::remove(m_path + suffix);
    }
    m_shared->generation.fetch_add(1);
    if (!(m_reported & OpenFault)) {
        m_reported |= OpenFault;
        Q_EMIT problem(tr("This profile's monitoring history %1 was damaged (%2). Weir set it "
                          "aside as %3 and started a new history; you may delete the old file.")
                           .arg(QDir::toNativeSeparators(m_path), HistoryDb::sqliteText(why),
                                QDir::toNativeSeparators(aside)));
    }
    return true;
}

void HistoryWriter::closeDatabase()
{
    m_insertSeries.reset();
    m_insertChunk.reset();
    m_updateLastMs.reset();
    m_insertJournal.reset();
    m_setMeta.reset();
    HistoryDb::close(&m_db);
}

void HistoryWriter::resetState()
{
    m_series.clear();
    m_series.shrink_to_fit();
    m_placeById.clear();
    m_idByKey.clear();
    m_catalogReader.reset();
    m_placeByNumber.clear();
    m_values.clear();
    m_lastTickMs = 0;
    m_rawStart = m_minuteChunkStart = m_hourChunkStart = m_partialMs = 0;
    m_housekeptMs = 0;
    m_rawTimes.clear();
    m_newSeries.clear();
    m_chunkWrites.clear();
    m_lastMsUpdates.clear();
    m_rawOk.clear();
    m_journaled = 0;
    m_journalReset = false;
    m_metaDirty = false;
    m_shared->newestMs.store(0);
}

// ---- ticks ----

void HistoryWriter::drain()
{
    std::deque<MonitorFigures> ticks;
    {
        QMutexLocker locker(&m_queueMutex);
        ticks.swap(m_queue);
    }
    while (!ticks.empty()) {
        ingest(ticks.front());
        ticks.pop_front();
        m_backlog->fetch_sub(1, std::memory_order_relaxed);
    }
}

void HistoryWriter::flush()
{
    drain();
    commit();
}

void HistoryWriter::ingest(const MonitorFigures &figures)
{
    if (m_mode != HistoryStore::Mode::Writing)
        return;
    const qint64 timeMs = figures.timeMs;
    if (m_lastTickMs > 0) {
        if (timeMs <= m_lastTickMs)
            return;
        // Before the tick's values are laid out by place: forgetting moves places.
        if (timeMs >= m_rawStart + rawSpan())
            forgetQuietSeries(timeMs);
        // Ticks that did not happen: one gap tick keeps a line from bridging them, as in
        // SeriesHistory.
        const int interval = qMax(1, m_shared->intervalMs.load(std::memory_order_relaxed));
        if (timeMs - m_lastTickMs > qint64(interval) * 5 / 2) {
            m_values.assign(m_series.size(), Gap);
            appendTick(m_lastTickMs + interval, false, true);
        }
    }
    m_values.assign(m_series.size(), Gap);
    if (figures.ok) {
        const SeriesFigures &values = figures.values;
        mapNumbers(values.catalog());
        for (int number = 0; number < values.idCount(); ++number) {
            int place = m_placeByNumber[size_t(number)];
            if (place == -2)
                continue;
            const double value = values.at(number);
            if (place < 0) {
                if (std::isnan(value))
                    continue;
                place = addSeries(values.catalog().key(number), timeMs);
                m_series[size_t(place)].number = number;
                m_placeByNumber[size_t(number)] = place;
                m_values.resize(m_series.size(), Gap);
            }
            m_values[size_t(place)] = float(value);
        }
    }
    appendTick(timeMs, figures.ok, true);
    if (m_mode != HistoryStore::Mode::Writing)
        return;
    const bool unjournaled = m_journaled < m_rawTimes.size();
    if ((unjournaled && m_sinceCommit.isValid()
         && m_sinceCommit.elapsed() >= HistoryStore::FlushIntervalMs)) {
        commit();
    } else if (unjournaled && !m_flushTimer->isActive()) {
        m_flushTimer->start();
    }
}

void HistoryWriter::mapNumbers(const SeriesCatalog &catalog)
{
    const SeriesCatalogReader::News news = m_catalogReader.read(catalog);
    if (news.restart) {
        for (Series &series : m_series)
            series.number = -1;
        m_placeByNumber.clear();
    }
    m_placeByNumber.resize(size_t(catalog.size()), -1);
    for (int number = news.from; number < catalog.size(); ++number) {
        const SeriesKey &key = catalog.key(number);
        if (!m_metrics.contains(key.metric)) {
            m_placeByNumber[size_t(number)] = -2;
            continue;
        }
        const auto id = m_idByKey.constFind(key);
        if (id == m_idByKey.cend())
            continue;
        const auto place = m_placeById.constFind(*id);
        if (place != m_placeById.cend()) {
            m_series[size_t(*place)].number = number;
            m_placeByNumber[size_t(number)] = *place;
        }
    }
}

int HistoryWriter::addSeries(const SeriesKey &key, qint64 timeMs)
{
    qint64 id = m_idByKey.value(key, 0);
    if (id == 0) {
        id = m_nextId++;
        m_idByKey.insert(key, id);
        m_newSeries.push_back({id, key, timeMs});
    }
    const int place = int(m_series.size());
    m_series.emplace_back();
    Series &series = m_series.back();
    series.key = key;
    series.id = id;
    series.lastValueMs = timeMs;
    m_placeById.insert(id, place);
    return place;
}

void HistoryWriter::appendTick(qint64 timeMs, bool ok, bool journal)
{
    if (!advance(timeMs))
        return;
    m_rawTimes.push_back(timeMs);
    m_rawOk.push_back(ok);
    const size_t ticks = m_rawTimes.size();
    for (size_t place = 0; place < m_series.size(); ++place) {
        Series &series = m_series[place];
        const float value = place < m_values.size() ? m_values[place] : Gap;
        if (series.raw.capacity() == 0)
            series.raw.reserve(size_t(rawSpan() / qMax(1, m_shared->intervalMs.load())) + 1);
        series.raw.resize(ticks - 1, Gap);
        series.raw.push_back(value);
        addSample(series, timeMs, value);
        if (!std::isnan(value)) {
            series.rawHasValue = true;
            series.lastValueMs = timeMs;
        }
    }
    m_lastTickMs = timeMs;
    m_shared->newestMs.store(timeMs, std::memory_order_relaxed);
    if (journal)
        m_metaDirty = true;
    else
        m_journaled = m_rawTimes.size(); // replayed from the journal: in it already
}

bool HistoryWriter::advance(qint64 timeMs)
{
    if (m_rawStart == 0) {
        m_rawStart = historyAlign(timeMs, rawSpan());
        m_minuteChunkStart = historyAlign(timeMs, minuteSpan());
        m_hourChunkStart = historyAlign(timeMs, hourSpan());
        m_metaDirty = true;
        return true;
    }
    bool passed = false;
    if (timeMs >= m_rawStart + rawSpan()) {
        const bool withinHour = timeMs < m_minuteChunkStart + minuteSpan();
        for (Series &series : m_series) {
            queueRaw(series);
            // The hour's minutes so far, written over the last ones: reopening rebuilds
            // the open minute chunk from them and the journal, not from the hour's raw
            // chunks (13,000 series' hour of samples took seconds to decode).
            if (withinHour) {
                closeMinute(series);
                queueMinutes(series, false);
            }
        }
        m_rawTimes.clear();
        m_rawOk.clear();
        // The journal held the ticks of that chunk only: they are in it now.
        m_journaled = 0;
        m_journalReset = true;
        m_rawStart = historyAlign(timeMs, rawSpan());
        passed = true;
    }
    if (timeMs >= m_minuteChunkStart + minuteSpan()) {
        const bool dayPassed = timeMs >= m_hourChunkStart + hourSpan();
        for (Series &series : m_series) {
            closeMinute(series);
            closeHour(series);
            queueMinutes(series, false);
            series.minutes.clear();
            // At every hour the day's hours so far are written over the last ones, so the
            // disk holds everything older than the hour.
            queueHours(series, !dayPassed);
            if (dayPassed)
                series.hours.clear();
        }
        m_minuteChunkStart = historyAlign(timeMs, minuteSpan());
        if (dayPassed)
            m_hourChunkStart = historyAlign(timeMs, hourSpan());
        passed = true;
    }
    if (!passed)
        return true;
    m_metaDirty = true;
    if (!commit())
        return false;
    if (timeMs - m_housekeptMs >= HousekeepingEveryMs)
        housekeep(timeMs);
    return m_mode == HistoryStore::Mode::Writing;
}

void HistoryWriter::addSample(Series &series, qint64 timeMs, float value)
{
    const qint64 minute = historyAlign(timeMs, historyBucketMs(HistoryTier::Minute));
    if (minute != series.minuteStart) {
        closeMinute(series);
        series.minuteStart = minute;
    }
    if (!std::isnan(value))
        series.minute.add(value);
}

void HistoryWriter::closeMinute(Series &series)
{
    if (series.minute.isEmpty())
        return;
    const HistoryBucket bucket = series.minute.bucket(series.minuteStart);
    if (series.minutes.capacity() == 0)
        series.minutes.reserve(size_t(minuteSpan() / historyBucketMs(HistoryTier::Minute)));
    series.minutes.push_back(bucket);
    series.minute.reset();
    addToHour(series, bucket);
}

void HistoryWriter::addToHour(Series &series, const HistoryBucket &bucket)
{
    const qint64 hour = historyAlign(bucket.timeMs, historyBucketMs(HistoryTier::Hour));
    if (hour != series.hourStart) {
        closeHour(series);
        series.hourStart = hour;
    }
    series.hour.add(bucket);
}

void HistoryWriter::closeHour(Series &series)
{
    if (series.hour.isEmpty())
        return;
    if (series.hours.capacity() == 0)
        series.hours.reserve(size_t(hourSpan() / historyBucketMs(HistoryTier::Hour)));
    series.hours.push_back(series.hour.bucket(series.hourStart));
    series.hour.reset();
}

void HistoryWriter::queueRaw(Series &series)
{
    if (series.rawHasValue && !m_rawTimes.empty()) {
        HistoryBuckets samples;
        samples.reserve(m_rawTimes.size());
        for (size_t i = 0; i < m_rawTimes.size(); ++i) {
            const float value = i < series.raw.size() ? series.raw[i] : Gap;
            samples.push_back(std::isnan(value) ? HistoryBucket::gap(m_rawTimes[i])
                                                : HistoryBucket::sample(m_rawTimes[i], value));
        }
        m_chunkWrites.push_back({series.id, HistoryTier::Raw, m_rawStart,
                                 encodeHistoryChunk(HistoryTier::Raw, samples)});
        m_lastMsUpdates.emplace_back(series.id, series.lastValueMs);
    }
    series.raw.clear();
    series.rawHasValue = false;
}

void HistoryWriter::queueMinutes(const Series &series, bool partial)
{
    HistoryBuckets buckets = series.minutes;
    if (partial && !series.minute.isEmpty())
        buckets.push_back(series.minute.bucket(series.minuteStart));
    if (!buckets.empty()) {
        m_chunkWrites.push_back({series.id, HistoryTier::Minute, m_minuteChunkStart,
                                 encodeHistoryChunk(HistoryTier::Minute, buckets)});
    }
}

void HistoryWriter::queueHours(const Series &series, bool partial)
{
    HistoryBuckets buckets = series.hours;
    if (partial) {
        // The hour under way, with its minute under way.
        BucketAccumulator hour = series.hour;
        if (!series.minute.isEmpty())
            hour.add(series.minute.bucket(series.minuteStart));
        if (!hour.isEmpty())
            buckets.push_back(hour.bucket(m_minuteChunkStart));
    }
    if (!buckets.empty()) {
        m_chunkWrites.push_back({series.id, HistoryTier::Hour, m_hourChunkStart,
                                 encodeHistoryChunk(HistoryTier::Hour, buckets)});
    }
}

void HistoryWriter::queuePartialChunks()
{
    m_partialMs = m_lastTickMs;
    m_metaDirty = true;
    for (Series &series : m_series) {
        if (series.rawHasValue && !m_rawTimes.empty()) {
            // Written without closing the chunk: its ticks stay in memory and the journal.
            std::vector<float> raw = series.raw;
            queueRaw(series);
            series.raw = std::move(raw);
            series.rawHasValue = true;
        }
        queueMinutes(series, true);
        queueHours(series, true);
    }
}

void HistoryWriter::forgetQuietSeries(qint64 nowMs)
{
    const auto quiet = [&](const Series &series) {
        return nowMs - series.lastValueMs > ForgetAfterMs && !series.rawHasValue
               && series.minute.isEmpty() && series.minutes.empty() && series.hour.isEmpty()
               && series.hours.empty();
    };
    if (std::none_of(m_series.begin(), m_series.end(), quiet))
        return;
    m_series.erase(std::remove_if(m_series.begin(), m_series.end(), quiet), m_series.end());
    m_placeById.clear();
    std::fill(m_placeByNumber.begin(), m_placeByNumber.end(), -1);
    // The metrics not kept stay marked.
    m_catalogReader.reset();
    for (size_t place = 0; place < m_series.size(); ++place) {
        Series &series = m_series[place];
        series.number = -1;
        m_placeById.insert(series.id, int(place));
    }
}

// ---- writing ----

bool HistoryWriter::exec(QSqlQuery &query, QSqlError *error)
{
    if (query.exec())
        return true;
    *error = query.lastError();
    return false;
}

std::vector<JournalTick> HistoryWriter::unjournaledTicks() const
{
    std::vector<JournalTick> ticks(m_rawTimes.size() - m_journaled);
    for (size_t k = 0; k < ticks.size(); ++k) {
        ticks[k].timeMs = m_rawTimes[m_journaled + k];
        ticks[k].ok = m_rawOk[m_journaled + k];
    }
    for (const Series &series : m_series) {
        for (size_t k = 0; k < ticks.size(); ++k) {
            const size_t tick = m_journaled + k;
            if (tick < series.raw.size() && !std::isnan(series.raw[tick]))
                ticks[k].values.emplace_back(series.id, series.raw[tick]);
        }
    }
    return ticks;
}

bool HistoryWriter::commit(QSqlError *failure)
{
    if (m_flushTimer)
        m_flushTimer->stop();
    if (m_mode != HistoryStore::Mode::Writing && m_mode != HistoryStore::Mode::Opening)
        return false;
    const size_t unjournaled = m_rawTimes.size() - m_journaled;
    if (m_newSeries.empty() && m_chunkWrites.empty() && m_lastMsUpdates.empty() && unjournaled == 0
        && !m_journalReset && !m_metaDirty)
        return true;

    QSqlError error;
    const auto failed = [&] {
        if (!error.isValid())
            error = m_db.lastError();
        m_db.rollback();
        if (failure)
            *failure = error;
        else
            writeFailed(error);
        return false;
    };
    if (!m_db.transaction())
        return failed();
    for (const SeriesRow &row : m_newSeries) {
        QSqlQuery &q = *m_insertSeries;
        q.bindValue(0, row.id);
        q.bindValue(1, HistoryDb::keyBlob(row.key.stream));
        q.bindValue(2, HistoryDb::keyBlob(row.key.group));
        q.bindValue(3, HistoryDb::keyBlob(row.key.consumer));
        q.bindValue(4, int(row.key.metric));
        q.bindValue(5, row.lastMs);
        if (!exec(q, &error))
            return failed();
    }
    QSqlQuery deleteJournal(m_db);
    if (m_journalReset && !deleteJournal.exec(QStringLiteral("DELETE FROM journal"))) {
        error = deleteJournal.lastError();
        return failed();
    }
    for (const ChunkWrite &write : m_chunkWrites) {
        QSqlQuery &q = *m_insertChunk;
        q.bindValue(0, write.series);
        q.bindValue(1, int(write.tier));
        q.bindValue(2, write.startMs);
        q.bindValue(3, write.startMs + historyChunkMs(write.tier));
        q.bindValue(4, write.data);
        if (!exec(q, &error))
            return failed();
    }
    for (const auto &[id, lastMs] : m_lastMsUpdates) {
        QSqlQuery &q = *m_updateLastMs;
        q.bindValue(0, lastMs);
        q.bindValue(1, id);
        if (!exec(q, &error))
            return failed();
    }
    if (unjournaled > 0) {
        QSqlQuery &q = *m_insertJournal;
        q.bindValue(0, m_rawTimes.back());
        q.bindValue(1, encodeJournal(unjournaledTicks()));
        if (!exec(q, &error))
            return failed();
    }
    const std::pair<const char *, qint64> meta[] = {{"last_ms", m_lastTickMs},
                                                    {"raw_start", m_rawStart},
                                                    {"minute_start", m_minuteChunkStart},
                                                    {"hour_start", m_hourChunkStart},
                                                    {"partial_ms", m_partialMs}};
    for (const auto &[key, value] : meta) {
        QSqlQuery &q = *m_setMeta;
        q.bindValue(0, QString::fromLatin1(key));
        q.bindValue(1, value);
        if (!exec(q, &error))
            return failed();
    }
    if (!m_db.commit())
        return failed();

    // Encoding thousands of chunks leaves this thread's malloc arena with tens of MB free
    // that glibc keeps unless asked: give them back, once per chunk end (every 10 min).
    const bool wroteChunks = !m_chunkWrites.empty();
    m_newSeries.clear();
    m_chunkWrites.clear();
    m_lastMsUpdates.clear();
    m_journaled = m_rawTimes.size();
    m_journalReset = false;
    m_metaDirty = false;
    m_sinceCommit.start();
    if (wroteChunks)
        malloc_trim(0);
    return true;
}

// Drops the chunks older than their tier's retention and the series with nothing left, by
// the newest tick's time (never the wall clock: a benchmark's ticks run ahead of it).
void HistoryWriter::housekeep(qint64 now)
{
    if (m_mode == HistoryStore::Mode::ReadOnly || m_mode == HistoryStore::Mode::MemoryOnly
        || now <= 0 || !m_db.isValid())
        return;
    m_housekeptMs = now;
    QSqlError error;
    if (!m_db.transaction()) {
        writeFailed(m_db.lastError());
        return;
    }
    QSqlQuery query(m_db);
    const auto run = [&](const QString &sql, const QVariantList &values) {
        query.prepare(sql);
        for (const QVariant &value : values)
            query.addBindValue(value);
        if (query.exec())
            return true;
        error = query.lastError();
        return false;
    };
    bool ok = true;
    for (int tier = 0; tier < HistoryTierCount && ok; ++tier) {
        const qint64 cutoff = now - m_retention.forTier(HistoryTier(tier));
        ok = run(QStringLiteral("DELETE FROM chunks WHERE tier = ? AND end_ms <= ?"),
                 {tier, cutoff});
    }
    // A series is gone once nothing of it is kept: it had no value for the longest
    // retention (and at least as long as the writer keeps a quiet series in memory).
    const qint64 longest = std::max(
        {m_retention.rawMs, m_retention.minuteMs, m_retention.hourMs, ForgetAfterMs + hourSpan()});
    const qint64 seriesCutoff = now - longest;
    std::vector<qint64> gone;
    if (ok
        && (ok = run(QStringLiteral("SELECT id FROM series WHERE last_ms < ?"), {seriesCutoff}))) {
        while (query.next()) {
            const qint64 id = query.value(0).toLongLong();
            if (!m_placeById.contains(id))
                gone.push_back(id);
        }
    }
    for (qint64 id : gone) {
        if (!ok)
            break;
        ok = run(QStringLiteral("DELETE FROM chunks WHERE series = ?"), {id})
             && run(QStringLiteral("DELETE FROM series WHERE id = ?"), {id});
    }
    if (!ok || !m_db.commit()) {
        if (!error.isValid())
            error = m_db.lastError();
        m_db.rollback();
        writeFailed(error);
        return;
    }
    if (!gone.empty()) {
        for (auto it = m_idByKey.begin(); it != m_idByKey.end();) {
            if (std::find(gone.begin(), gone.end(), it.value()) != gone.end())
                it = m_idByKey.erase(it);
            else
                ++it;
        }
    }
}

void HistoryWriter::setRetention(const HistoryRetention &retention)
{
    m_retention = retention;
    if (m_mode == HistoryStore::Mode::Writing) {
        commit();
        housekeep(m_lastTickMs);
    }
}

void HistoryWriter::clear()
{
    {
        QMutexLocker locker(&m_queueMutex);
        m_backlog->fetch_sub(int(m_queue.size()), std::memory_order_relaxed);
        m_queue.clear();
    }
    if (m_mode == HistoryStore::Mode::ReadOnly) {
        Q_EMIT problem(tr("This window cannot clear the history: %1 Clear it from that Weir.")
                           .arg(m_statusText));
        return;
    }
    // A store that stopped writing (a full disk) is cleared too when the user asks: that is
    // how space is given back, and writing resumes once it is.
    const bool resuming = m_mode == HistoryStore::Mode::MemoryOnly;
    if (m_db.isValid()
        && (m_mode == HistoryStore::Mode::Writing || m_mode == HistoryStore::Mode::Opening
            || resuming)) {
        const qint64 nextId = m_nextId;
        QSqlQuery query(m_db);
        bool ok = m_db.transaction();
        for (const char *sql : {"DELETE FROM chunks", "DELETE FROM series", "DELETE FROM journal",
                                "DELETE FROM meta WHERE key <> 'schema'"}) {
            ok = ok && query.exec(QString::fromLatin1(sql));
        }
        if (!ok || !m_db.commit()) {
            const QSqlError error =
                query.lastError().isValid() ? query.lastError() : m_db.lastError();
            m_db.rollback();
            if (!resuming) {
                writeFailed(error);
            } else {
                Q_EMIT problem(
                    tr("Weir could not clear this profile's monitoring history %1: "
                       "%2.")
                        .arg(QDir::toNativeSeparators(m_path), HistoryDb::sqliteText(error)));
            }
            return;
        }
        resetState();
        // Ids are never reused: a chart's read under way cannot mix two series.
        m_nextId = nextId;
        m_shared->generation.fetch_add(1);
        // Gives the space back: the file shrinks to its empty tables.
        query.exec(QStringLiteral("VACUUM"));
        query.exec(QStringLiteral("PRAGMA wal_checkpoint(TRUNCATE)"));
        if (resuming)
            setMode(HistoryStore::Mode::Writing, QString());
    }
    Q_EMIT cleared();
}

void HistoryWriter::shutdown()
{
    drain();
    if (m_mode == HistoryStore::Mode::Writing && m_partialMs < m_lastTickMs)
        queuePartialChunks();
    commit();
    if (m_flushTimer)
        m_flushTimer->stop();
    closeDatabase();
    if (m_lock)
        m_lock->unlock();
    m_lock.reset();
}

// ---- faults ----

void HistoryWriter::fail(Fault kind, const QString &message, const QString &status)
{
    if (!(m_reported & kind)) {
        m_reported |= kind;
        Q_EMIT problem(message);
    }
    setMode(HistoryStore::Mode::MemoryOnly, status);
}

void HistoryWriter::writeFailed(const QSqlError &error)
{
    const int code = HistoryDb::sqliteCode(error);
    QString hint;
    QString status;
    if (code == HistoryDb::Full) {
        hint = tr("Free some space on that disk, then reopen the profile to record history "
                  "again.");
        status = tr("History is kept in memory only: the disk is full.");
    } else if (HistoryDb::isCorruption(error)) {
        hint = tr("The file is damaged: reopen the profile and Weir sets it aside and starts "
                  "a new history.");
        status = tr("History is kept in memory only: its file is damaged.");
    } else {
        hint = tr("Check the disk and the folder's permissions, then reopen the profile.");
        status = tr("History is kept in memory only: its file cannot be written.");
    }
    m_newSeries.clear();
    m_chunkWrites.clear();
    m_lastMsUpdates.clear();
    // No blind retry: what is in memory now is all this session keeps.
    fail(WriteFault,
         tr("Weir could not write this profile's monitoring history to %1: %2. %3 Monitoring "
            "goes on in memory.")
             .arg(QDir::toNativeSeparators(m_path), HistoryDb::sqliteText(error), hint),
         status);
    m_series.clear();
    m_series.shrink_to_fit();
    m_placeById.clear();
    m_rawTimes.clear();
    m_rawOk.clear();
    m_journaled = 0;
}

void HistoryWriter::setMode(HistoryStore::Mode mode, const QString &statusText)
{
    m_mode = mode;
    m_statusText = statusText;
    Q_EMIT modeChanged(mode, statusText);
}
