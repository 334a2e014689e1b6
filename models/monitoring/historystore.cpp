#include "historystore.h"

#include "historychunk.h"
#include "historyreader.h"
#include "historywriter.h"

#include <QDir>
#include <QStandardPaths>
#include <QThread>

qint64 HistoryRetention::forTier(HistoryTier tier) const
{
    switch (tier) {
    case HistoryTier::Raw:
        return rawMs;
    case HistoryTier::Minute:
        return minuteMs;
    case HistoryTier::Hour:
        return hourMs;
    }
    return hourMs;
}

HistoryStore::HistoryStore(const QString &path, const HistoryRetention &retention, int intervalMs,
                           QObject *parent)
    : QObject(parent)
    , m_path(path)
    , m_retention(retention)
    , m_intervalMs(intervalMs)
    , m_backlog(std::make_shared<std::atomic<int>>(0))
{
    qRegisterMetaType<HistoryView>();
    qRegisterMetaType<HistoryStore::Mode>();
    auto shared = std::make_shared<HistoryShared>();
    shared->intervalMs.store(qMax(1, intervalMs));

    m_writerThread = new QThread(this);
    m_writerThread->setObjectName(QStringLiteral("history writer"));
    m_writer = new HistoryWriter(path, retention, shared, m_backlog);
    m_writer->moveToThread(m_writerThread);
    connect(m_writerThread, &QThread::finished, m_writer, &QObject::deleteLater);
    connect(m_writer, &HistoryWriter::modeChanged, this, &HistoryStore::setMode);
    connect(m_writer, &HistoryWriter::problem, this, &HistoryStore::problem);
    connect(m_writer, &HistoryWriter::cleared, this, &HistoryStore::cleared);

    m_readerThread = new QThread(this);
    m_readerThread->setObjectName(QStringLiteral("history reader"));
    m_reader = new HistoryReader(path, shared);
    m_reader->moveToThread(m_readerThread);
    connect(m_readerThread, &QThread::finished, m_reader, &QObject::deleteLater);
    connect(m_reader, &HistoryReader::loaded, this, &HistoryStore::loaded);
    connect(m_reader, &HistoryReader::sizeKnown, this, &HistoryStore::sizeKnown);
    connect(m_reader, &HistoryReader::problem, this, &HistoryStore::problem);

    m_writerThread->start();
    m_readerThread->start();
    QMetaObject::invokeMethod(m_writer, &HistoryWriter::open, Qt::QueuedConnection);
}

HistoryStore::~HistoryStore()
{
    // Both close their connections in their threads, the reader first: the writer's is then
    // the last, and closing it folds the write-ahead log into the file and removes it, so
    // the next start need not read it back. The writer commits what it was handed.
    QMetaObject::invokeMethod(m_reader, &HistoryReader::shutdown, Qt::BlockingQueuedConnection);
    QMetaObject::invokeMethod(m_writer, &HistoryWriter::shutdown, Qt::BlockingQueuedConnection);
    m_writerThread->quit();
    m_readerThread->quit();
    m_writerThread->wait();
    m_readerThread->wait();
}

QString HistoryStore::defaultDirectory()
{
    return QDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation))
        .filePath(QStringLiteral("history"));
}

QString HistoryStore::pathFor(const QString &directory, const QString &profileId)
{
    return QDir(directory).filePath(profileId + QStringLiteral(".sqlite"));
}

void HistoryStore::setRetention(const HistoryRetention &retention)
{
    if (retention == m_retention)
        return;
    m_retention = retention;
    QMetaObject::invokeMethod(
        m_writer, [writer = m_writer, retention] { writer->setRetention(retention); },
        Qt::QueuedConnection);
}

void HistoryStore::setInterval(int intervalMs)
{
    m_intervalMs = intervalMs;
    m_writer->shared()->intervalMs.store(qMax(1, intervalMs));
}

void HistoryStore::record(const MonitorFigures &figures)
{
    // Read-only and in-memory stores keep nothing of a tick: the monitor's own history has it.
    if (m_mode == Mode::ReadOnly || m_mode == Mode::MemoryOnly)
        return;
    m_backlog->fetch_add(1, std::memory_order_relaxed);
    m_writer->enqueue(figures);
}

quint64 HistoryStore::load(const SeriesKey &key, qint64 fromMs, qint64 toMs, int pixels)
{
    const quint64 request = ++m_nextRequest;
    QMetaObject::invokeMethod(
        m_reader,
        [reader = m_reader, request, key, fromMs, toMs, pixels, retention = m_retention] {
        reader->load(request, key, fromMs, toMs, pixels, retention);
        },
        Qt::QueuedConnection);
    return request;
}

HistoryTier HistoryStore::tierFor(qint64 fromMs, qint64 toMs, int pixels,
                                  const HistoryRetention &retention, qint64 nowMs)
{
    const std::vector<HistoryPart> parts = planHistoryRead(fromMs, toMs, pixels, retention, nowMs);
    return parts.empty() ? HistoryTier::Raw : parts.back().tier;
}

void HistoryStore::requestSize()
{
    QMetaObject::invokeMethod(m_reader, &HistoryReader::measureSize, Qt::QueuedConnection);
}

void HistoryStore::clear()
{
    QMetaObject::invokeMethod(m_writer, &HistoryWriter::clear, Qt::QueuedConnection);
}

void HistoryStore::waitForWrites()
{
    QMetaObject::invokeMethod(m_writer, &HistoryWriter::flush, Qt::BlockingQueuedConnection);
}

qint64 HistoryStore::bytesPerSeries()
{
    return HistoryWriter::bytesPerSeries(1000);
}

void HistoryStore::setMode(Mode mode, const QString &statusText)
{
    const bool opening = m_mode == Mode::Opening;
    if (mode == m_mode && statusText == m_statusText)
        return;
    m_mode = mode;
    m_statusText = statusText;
    Q_EMIT modeChanged(mode, statusText);
    if (opening)
        Q_EMIT ready();
}
