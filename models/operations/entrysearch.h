#pragma once

#include "redisconnection.h"
#include "streamid.h"

#include <QAbstractTableModel>
#include <QPointer>
#include <QRegularExpression>

namespace EntrySearch {
// What to look for in one stream. A value: a dialog builds it, EntrySearchModel runs it.
struct Query
{
    enum Match { Equals, Contains, Regex };

    // The ids to scan, both inclusive; the defaults cover the whole stream. A time range
    // is {fromMs, 0} .. StreamId::lastOf(toMs).
    StreamId from{0, 0};
    StreamId to = StreamId::max();
    QByteArray field; // only this field's values; empty: every field
    Match match = Contains;
    // Equals and Contains compare the bytes of pattern.toUtf8() with the value's bytes
    // (so a value that is not UTF-8 can still match, and "\0" is an ordinary byte);
    // without caseSensitive, ASCII letters are folded (and, for a non-ASCII pattern,
    // values that are UTF-8 are compared as text, case-insensitively). Regex applies
    // QRegularExpression (unanchored: a match anywhere) to values that are valid UTF-8
    // and skips the others. Equals accepts an empty pattern (empty values).
    QString pattern;
    bool caseSensitive = true;
    // Also match what values decode to, as the entry view shows them decoded: gzip and
    // zlib data (raw or base64) and, inside JSON values, strings holding base64 of gzip,
    // zlib, JSON or text (decodedLayers(), within its bounds). A value matches when its
    // stored bytes or any of those texts do.
    bool searchDecoded = true;
    int maxResults = 10000; // the search stops at this many rows; see truncated()
};

// Why `query` cannot run (an empty string when it can): from > to, an empty pattern for
// Contains or Regex, an invalid regular expression, maxResults < 1.
QString validate(const Query &query);
} // namespace EntrySearch

Q_DECLARE_METATYPE(EntrySearch::Query)

// Server-side search of one stream's entries: reads the range in batches of batchSize()
// with XRANGE key <next> <to> COUNT n, one request in flight at a time, and matches on
// the client (the stored bytes, then what they decode to: see Query::searchDecoded). Rows
// are the matching entries in id order, one per entry (its first matching field),
// appended once per batch with a single insertion.
//
// Every start() that returns true ends in exactly one finished(): when the range is done,
// at maxResults, on an error, or on cancel() / a new start() (cancelled == true, emitted
// from inside that call). After that no row is added: a reply already on its way is
// dropped. Use it from the connection's thread.
class EntrySearchModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { Id, Time, Field, Value, ColumnCount };
    enum Role { EntryIdRole = Qt::UserRole + 1 }; // the id as bytes, "ms-seq"

    struct Hit
    {
        StreamId id;
        QByteArray field;
        QByteArray valuePreview; // the first bytes of the value, at most PreviewBytes
        bool valueCut = false;   // the value is longer than valuePreview
        // Where the match was found when it was not in the stored bytes but in what they
        // decode to ("$.stats.data: base64 → gzip → JSON"); the preview is then of that
        // decoded text. Empty for a match in the stored bytes.
        QString decodedWhere;
    };
    static constexpr int PreviewBytes = 200;

    explicit EntrySearchModel(QObject *parent = nullptr);
    ~EntrySearchModel() override;

    // Validates `query` first: when it cannot run, returns false with the reason in
    // `error`, sends nothing and leaves the model (and a search under way) alone.
    // Otherwise cancels the search under way, clears the rows and starts reading `key`
    // of `connection` (not owned).
    bool start(RedisConnection *connection, const QByteArray &key, const EntrySearch::Query &query,
               QString *error = nullptr);
    // Stops the search under way, keeping the rows found so far; emits finished(true, {}).
    // Does nothing when no search is running.
    void cancel();

    bool isRunning() const { return m_running; }
    // The last search stopped at maxResults before the end of its range: there may be
    // more matches than rows.
    bool truncated() const { return m_truncated; }
    qint64 scanned() const { return m_scanned; }
    QByteArray key() const { return m_key; }
    const EntrySearch::Query &query() const { return m_query; }

    void setBatchSize(int entries) { m_batchSize = qMax(1, entries); } // for the next start
    int batchSize() const { return m_batchSize; }

    const Hit &hitAt(int row) const { return m_hits.at(row); }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

Q_SIGNALS:
    // After each batch, once its rows are in. fraction (0..1) is estimated from the ids:
    // how far the last id read lies between the first and last entry of the range (1
    // when the range is done).
    void progress(qint64 scanned, qint64 matches, double fraction);
    // The search ended; error is a Redis or connection error, in words (empty otherwise).
    // A key that is missing, or disappears meanwhile, is an empty range, not an error.
    void finished(bool cancelled, const QString &error);

private:
    void request(StreamId next, bool withInfo);
    void onReply(const RedisResult &result, bool withInfo);
    void finish(bool cancelled, const QString &error);
    bool matches(const QByteArray &value) const;
    double fractionAt(StreamId id) const;

    QPointer<RedisConnection> m_connection;
    QByteArray m_key;
    EntrySearch::Query m_query;
    // Prepared from m_query at start().
    QByteArray m_needle;       // pattern.toUtf8(), ASCII-folded when not case sensitive
    bool m_asciiNeedle = true; // the pattern is ASCII: byte folding is exact
    QRegularExpression m_regex;

    QList<Hit> m_hits;
    bool m_running = false;
    bool m_truncated = false;
    qint64 m_scanned = 0;
    int m_batchSize = 1000;
    int m_runBatchSize = 1000; // m_batchSize when the search started
    quint64 m_requestId = 0;
    quint64 m_generation = 0; // bumped by start() and cancel(): older replies are dropped
    double m_lowMs = 0;       // the range, bounded by the stream's first and last entries
    double m_highMs = 0;
};
