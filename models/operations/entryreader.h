#pragma once

#include "replyguard.h"
#include "streamparsers.h"

#include <QObject>
#include <QPointer>

#include <functional>

// Reads the entries of one stream that an operation is about to act on (a redrive copies
// them, a replay writes them back), never on the GUI thread's time: a range, in pages of
// XRANGE ... COUNT, keeping the entries a filter accepts, up to a cap; or given ids, each
// read again (XRANGE id id), a few hundred to a request. Reads only.
//
// What was read stays here until the next read starts. finished() comes once per read
// (at once when there is nothing to read); a new read or cancel() cancels the request on
// its way (through a ReplyGuard), so no reply of an older read ever arrives.
// Use it on the connection's thread.
class EntryReader : public QObject
{
    Q_OBJECT
public:
    using Filter = std::function<bool(const StreamEntry &)>;

    static constexpr int IdsPerRequest = 500;

    explicit EntryReader(QObject *parent = nullptr);

    // The entries of `key` from `from` to `to`, both included, that `filter` accepts (every
    // one when it is empty): the first `cap` of them at most.
    void readRange(RedisConnection *connection, const QByteArray &key, StreamId from, StreamId to,
                   Filter filter = {}, qint64 cap = 100000);
    // The entries with `ids`, in that order; the ids no longer in the stream are missing().
    void readIds(RedisConnection *connection, const QByteArray &key, const QList<QByteArray> &ids);
    // Stops the read under way (no finished() for it). What it read so far stays.
    void cancel();
    // Entries asked for per XRANGE of a range read.
    void setPageSize(int entries) { m_pageSize = qMax(1, entries); }

    bool isRunning() const { return m_running; }
    // The last read ran to its end without an error.
    bool isDone() const { return m_done && m_error.isEmpty(); }
    const QList<StreamEntry> &entries() const { return m_entries; }
    const QList<QByteArray> &missing() const { return m_missing; }
    // Range reads: the entries read, accepted by the filter or not.
    qint64 scanned() const { return m_scanned; }
    // Range reads: the range held more than the cap accepts (entries() has the first ones).
    bool isCapped() const { return m_capped; }
    // Why the read failed: a Redis or connection error, verbatim (empty when it did not).
    const QString &error() const { return m_error; }

Q_SIGNALS:
    // Range reads, after each page but the last: entries read so far, and accepted so far.
    void progress(qint64 scanned, qint64 accepted);
    void finished();

private:
    void begin(RedisConnection *connection, const QByteArray &key);
    void readPage(StreamId from);
    void readNextIds();
    void finish(const QString &error = {});

    QPointer<RedisConnection> m_connection;
    QByteArray m_key;
    ReplyGuard m_replies;
    bool m_running = false;
    bool m_done = false;

    // A range read.
    StreamId m_to;
    Filter m_filter;
    qint64 m_cap = 0;
    int m_pageSize = 1000;
    // An id read.
    QList<QByteArray> m_ids;

    QList<StreamEntry> m_entries;
    QList<QByteArray> m_missing;
    qint64 m_scanned = 0;
    bool m_capped = false;
    QString m_error;
};
