#include "entryreader.h"

#include "redisconnection.h"

EntryReader::EntryReader(QObject *parent)
    : QObject(parent)
{}

void EntryReader::begin(RedisConnection *connection, const QByteArray &key)
{
    cancel();
    m_connection = connection;
    m_key = key;
    m_running = true;
    m_done = false;
    m_entries.clear();
    m_missing.clear();
    m_scanned = 0;
    m_capped = false;
    m_error.clear();
}

void EntryReader::readRange(RedisConnection *connection, const QByteArray &key, StreamId from,
                            StreamId to, Filter filter, qint64 cap)
{
    begin(connection, key);
    m_ids.clear();
    m_to = to;
    m_filter = std::move(filter);
    m_cap = cap;
    readPage(from);
}

void EntryReader::readIds(RedisConnection *connection, const QByteArray &key,
                          const QList<QByteArray> &ids)
{
    begin(connection, key);
    m_ids = ids;
    readNextIds();
}

void EntryReader::cancel()
{
    m_replies.reset();
    m_running = false;
}

void EntryReader::finish(const QString &error)
{
    m_running = false;
    m_done = true;
    m_error = error;
    Q_EMIT finished();
}

void EntryReader::readPage(StreamId from)
{
    if (!m_connection) {
        finish(tr("The connection is closed."));
        return;
    }
    const RedisCommand command{{"XRANGE", m_key, from.toByteArray(), m_to.toByteArray(), "COUNT",
                                QByteArray::number(m_pageSize)},
                               m_key};
    m_replies.send(m_connection, {command}, [this](const RedisResult &result) {
        QString error = result.ok() ? QString() : result.error;
        std::optional<QList<StreamEntry>> page;
        if (error.isEmpty())
            page = parseEntries(result.replies.constFirst(), &error);
        if (!page) {
            finish(error);
            return;
        }
        m_scanned += page->size();
        for (const StreamEntry &e : std::as_const(*page)) {
            if (!m_filter || m_filter(e))
                m_entries.append(e);
        }
        // A short page, or one that reached the end of the range (or the top id, which
        // nothing follows), was the last.
        const std::optional<StreamId> after =
            page->isEmpty() ? std::nullopt : page->constLast().id.next();
        const bool end = page->size() < m_pageSize || !after || m_to < *after;
        if (m_entries.size() > m_cap || (!end && m_entries.size() == m_cap)) {
            m_capped = true;
            m_entries.resize(m_cap);
            finish();
            return;
        }
        if (end) {
            finish();
            return;
        }
        Q_EMIT progress(m_scanned, m_entries.size());
        readPage(*after);
    });
}

void EntryReader::readNextIds()
{
    const qsizetype first = m_entries.size() + m_missing.size();
    const QList<QByteArray> ids = m_ids.mid(first, IdsPerRequest);
    if (ids.isEmpty()) {
        finish();
        return;
    }
    if (!m_connection) {
        finish(tr("The connection is closed."));
        return;
    }
    QList<RedisCommand> commands;
    commands.reserve(ids.size());
    for (const QByteArray &id : ids)
        commands.append(RedisCommand{{"XRANGE", m_key, id, id}, m_key});
    m_replies.send(m_connection, commands, [this, ids](const RedisResult &result) {
        if (!result.ok()) {
            finish(result.error);
            return;
        }
        for (qsizetype i = 0; i < ids.size(); ++i) {
            QString error;
            const auto entries = parseEntries(result.replies.value(i), &error);
            if (!entries) {
                finish(error);
                return;
            }
            if (entries->isEmpty())
                m_missing.append(ids.at(i));
            else
                m_entries.append(entries->constFirst());
        }
        readNextIds();
    });
}
