#pragma once

#include "redisconnection.h"
#include "replyguard.h"
#include "streamparsers.h"

#include <QAbstractTableModel>
#include <QDateTime>
#include <QPointer>
#include <QTimer>

#include <deque>
#include <optional>

// The entries of one stream, for the inspector: a window of rows that pages lazily in
// both directions and never holds more than windowLimit() rows, however far the user
// scrolls (rows that fall out on one side are dropped and read again when needed).
//
// Newest first by default. fetchMore() (which views call near the bottom) reads the next
// page below the window, fetchUpward() the page above it; both read pageSize() entries
// with XRANGE / XREVRANGE from the id next to the window's edge, so they work on every
// Redis version. A jump replaces the window. With live tail on, entries newer than the
// newest row are read once per tick and inserted in one go, while the window shows the
// newest end of the stream. Replies asked for before a jump or a new stream are dropped.
class EntryListModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { Id, Time, Fields, ColumnCount };
    enum Role { EntryIdRole = Qt::UserRole + 1 }; // the id as bytes, "ms-seq"

    // How the Time column shows an entry's time (local time, to the millisecond).
    static QString timeFormat() { return QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz"); }

    explicit EntryListModel(QObject *parent = nullptr);
    ~EntryListModel() override;

    // Shows `key` of `connection` (not owned), starting from the newest end.
    void setStream(RedisConnection *connection, const QByteArray &key);
    QByteArray key() const { return m_key; }

    void setNewestFirst(bool newestFirst); // reloads from the newest end
    bool newestFirst() const { return m_newestFirst; }
    void setPageSize(int entries) { m_pageSize = qMax(1, entries); }
    int pageSize() const { return m_pageSize; }
    void setWindowLimit(int rows) { m_windowLimit = qMax(2 * m_pageSize, rows); }
    int windowLimit() const { return m_windowLimit; }

    void jumpToNewest();
    void jumpToOldest();
    // Shows the entries from `id` on, in display order: `id` (or the first entry past it)
    // is the top row.
    void jumpToId(StreamId id);
    // Go to time, to the millisecond: oldest first, the first entry at or after `time`
    // on top; newest first, the newest entry at or before it (every entry of that very
    // millisecond, then older ones, reading down), so in both orders the rows that follow
    // the one landed on are the ones the order reads on to.
    void jumpToTime(const QDateTime &time);
    // The entry the last jump landed on (the newest or the oldest entry, or the first one
    // at or past the id or time asked for, in display order): a view selects it and
    // scrolls to it, which after Oldest in newest-first order is the bottom row, not the
    // top. None while the window is empty.
    std::optional<StreamId> jumpedTo() const { return m_jumpedTo; }

    // Live tail: new entries appear as they arrive, batched per tick.
    void setLiveTail(bool on, int intervalMs = 1000);
    bool liveTail() const { return m_tailTimer.isActive(); }

    void fetchUpward();
    // One read at a time: while a page is on its way, neither edge fetches.
    bool canFetchUpward() const { return !m_topReached && !isLoading(); }
    bool canFetchMore(const QModelIndex &parent) const override;
    void fetchMore(const QModelIndex &parent) override;
    bool isLoading() const { return m_loadingUp || m_loadingDown; }
    // Whether the window reaches the newest (or oldest) entry of the stream.
    bool showsNewest() const { return m_newestFirst ? m_topReached : m_bottomReached; }
    bool showsOldest() const { return m_newestFirst ? m_bottomReached : m_topReached; }

    const StreamEntry &entryAt(int row) const { return m_rows[size_t(row)]; }
    // The row of `id`, or -1 when it is not in the window.
    int rowOf(StreamId id) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

Q_SIGNALS:
    // A page or jump finished loading (rows may or may not have changed).
    void loaded();
    // A Redis error (verbatim), e.g. WRONGTYPE when the key stopped being a stream.
    void errorOccurred(const QString &message);

private:
    enum class Edge { Top, Bottom };
    // Reads a page toward older entries (XREVRANGE from `start` down) or newer ones
    // (XRANGE from `start` up), to add at `edge` or, with replace, as the new window
    // growing toward `edge` from an anchor (at the stream's end when anchorIsEnd).
    void read(const QByteArray &start, bool older, Edge edge, bool replace, bool anchorIsEnd);
    void readBeyond(Edge edge);
    void onPage(QList<StreamEntry> entries, Edge edge, bool replace, bool anchorIsEnd);
    void insertAt(Edge edge, QList<StreamEntry> rows);
    void evict(Edge keep);
    void tail();
    bool edgeIsOlder(Edge edge) const { return (edge == Edge::Bottom) == m_newestFirst; }

    QPointer<RedisConnection> m_connection;
    QByteArray m_key;
    std::deque<StreamEntry> m_rows; // display order
    bool m_newestFirst = true;
    int m_pageSize = 1000;
    int m_windowLimit = 10000;
    bool m_topReached = false;    // nothing beyond the top row (as far as we know)
    bool m_bottomReached = false; // nothing beyond the bottom row
    bool m_loadingUp = false;
    bool m_loadingDown = false;
    bool m_tailRead = false;   // the read under way at the newest edge is the tail's
    bool m_tailBehind = false; // the last tail read a full page: more are waiting
    ReplyGuard m_replies;
    std::optional<StreamId> m_jumpedTo;
    QTimer m_tailTimer;
};
