#pragma once

#include "deadletters.h"
#include "redisconnection.h"
#include "replyguard.h"
#include "streamparsers.h"

#include <QAbstractTableModel>
#include <QDateTime>
#include <QPointer>

#include <deque>
#include <functional>
#include <optional>

// The dead letters of one dead-letter stream, read with a connection's conventions.
//
// Pages lazily (canFetchMore/fetchMore), newest first by default: each fetch reads
// pageSize() entries with XREVRANGE (XRANGE oldest first) from the id next to the last
// row, so it works on every Redis version; rows are inserted when the reply arrives.
// At most rowLimit() rows are held; past that, narrow the filters.
//
// Filters: a time range, sent to Redis as an id range (the time a dead letter was written
// to the stream, which its id records), and a reason, matched exactly as each page
// arrives: one fetch goes on reading pages until one holds a match or the range ends.
//
// The reasons summary walks the filtered range in pages of its own (countReasons()), up
// to a cap, and reports progress as it goes. Changing the stream, the conventions or a
// filter drops every reply asked for before (ReplyGuard).
class DeadLetterModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column {
        FailedAt,
        OriginalStream,
        OriginalId,
        Group,
        Reason,
        Retries,
        Payload,
        Id,
        ColumnCount
    };
    enum Role {
        EntryIdRole = Qt::UserRole + 1, // the dead letter's id as bytes
        RawRole,                        // the column's stored bytes (QByteArray), or number
    };

    explicit DeadLetterModel(QObject *parent = nullptr);
    ~DeadLetterModel() override;

    // Shows `key` of `connection` (not owned), from the newest end, read with the
    // connection's conventions for that stream (DeadLetterConventions::forStream).
    void setStream(RedisConnection *connection, const QByteArray &key,
                   const DeadLetterConventions &conventions);
    QByteArray key() const { return m_key; }
    void setConventions(const DeadLetterConventions &conventions); // reloads when they change
    // The conventions in force for this stream: forStream(key()) of those given.
    const DeadLetterConventions &conventions() const { return m_conventions; }

    void setNewestFirst(bool newestFirst); // reloads
    bool newestFirst() const { return m_newestFirst; }
    void setPageSize(int entries) { m_pageSize = qMax(1, entries); }
    int pageSize() const { return m_pageSize; }
    void setRowLimit(int rows) { m_rowLimit = qMax(1, rows); }
    int rowLimit() const { return m_rowLimit; }

    // nullopt: every reason. An empty reason matches dead letters that record none.
    void setReasonFilter(const std::optional<QByteArray> &reason); // reloads
    std::optional<QByteArray> reasonFilter() const { return m_reason; }
    // Either end may be invalid (open). Reloads, and drops the reasons summary.
    void setTimeRange(const QDateTime &from, const QDateTime &to);
    QDateTime from() const { return m_from; }
    QDateTime to() const { return m_to; }
    // The id range the time range turns into, as sent to XRANGE ("-" / "+" when open).
    QByteArray rangeStart() const;
    QByteArray rangeEnd() const;

    // Reloads from the first page, keeping the filters.
    void reload();

    bool canFetchMore(const QModelIndex &parent = {}) const override;
    void fetchMore(const QModelIndex &parent = {}) override;
    bool isLoading() const { return m_loading; }
    // Every dead letter of the range (and reason) is a row.
    bool allLoaded() const { return m_endReached; }
    // Rows stopped at rowLimit() with more to read.
    bool limitReached() const { return !m_endReached && rowCount() >= m_rowLimit; }
    // Entries read for the rows so far (more than rowCount() when filtering by reason).
    qint64 entriesRead() const { return m_entriesRead; }

    const DeadLetter &deadLetterAt(int row) const { return m_rows[size_t(row)].letter; }
    // The first entries read since the last reload, as stored (up to SampleSize, whatever
    // the reason filter): what Detect proposes field names from, and what tells a stream
    // whose dead letters have none of the fields the conventions name.
    static constexpr int SampleSize = 100;
    const QList<StreamEntry> &sample() const { return m_sample; }
    // Reads the newest `count` entries of `key` for Detect, and calls `done` with them
    // (empty on an error) on `context`'s thread, unless `context` is gone.
    static void readSample(RedisConnection *connection, const QByteArray &key, int count,
                           QObject *context, std::function<void(const QList<StreamEntry> &)> done);

    // Counts dead letters per reason over the time range, reading at most `cap` entries
    // (pages of pageSize()). Replaces a count under way.
    void countReasons(qint64 cap = 100000);
    struct ReasonCount
    {
        QByteArray reason; // empty: no reason recorded
        qint64 count = 0;
    };
    // Most frequent first, then by reason.
    QList<ReasonCount> reasons() const;
    qint64 reasonsCounted() const { return m_reasonsCounted; }
    bool isCountingReasons() const { return m_counting; }
    // The count stopped at its cap with more dead letters in the range.
    bool reasonsCapped() const { return m_reasonsCapped; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    // One line for the table: the payload's values decoded (JSON compacted to a line),
    // "name=value" pairs when there are several. At most about `chars` characters.
    static QString payloadSummary(const QList<QPair<QByteArray, QByteArray>> &payload,
                                  int chars = 200);

Q_SIGNALS:
    // A fetch finished (rows may or may not have been added).
    void loaded();
    // A Redis error, verbatim (errorHint() puts it into words for the user).
    void errorOccurred(const QString &message);
    // The reasons summary changed: a page was counted, or the count finished/was dropped.
    void reasonsChanged();

private:
    struct Row
    {
        DeadLetter letter;
        QString payload; // payloadSummary(), made once
    };
    void readPage(const QByteArray &from);
    void onPage(const RedisResult &result);
    void readReasons(const QByteArray &from);
    QByteArray nextFrom(StreamId last) const; // the bound that continues past `last`
    RedisCommand rangeCommand(const QByteArray &from, int count) const;
    void clearReasons();

    QPointer<RedisConnection> m_connection;
    QByteArray m_key;
    DeadLetterConventions m_conventions = DeadLetterConventions::defaults();
    std::deque<Row> m_rows;
    QList<StreamEntry> m_sample;
    bool m_newestFirst = true;
    int m_pageSize = 500;
    int m_rowLimit = 50000;
    std::optional<QByteArray> m_reason;
    QDateTime m_from;
    QDateTime m_to;
    bool m_loading = false;
    bool m_endReached = false;
    QByteArray m_next; // where the next page starts (an inclusive bound)
    qint64 m_entriesRead = 0;
    ReplyGuard m_pageReplies; // pages asked for before the last reload() are dropped

    QHash<QByteArray, qint64> m_reasonCounts;
    qint64 m_reasonsCounted = 0;
    qint64 m_reasonCap = 0;
    bool m_counting = false;
    bool m_reasonsCapped = false;
    ReplyGuard m_reasonReplies; // so are the reason counts of an earlier count
};
