#pragma once

#include "deadletters.h"
#include "replyparsers.h"
#include "streamid.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QPointer>
#include <QSet>
#include <QTimer>

#include <deque>
#include <memory>
#include <optional>
#include <vector>

#include "redisconnection.h"
#include "replyguard.h"
struct RedisResult;

// The figures of one stream that the overview shows, read from its XINFO STREAM and
// XINFO GROUPS replies. The dashboard's rows and `weirctl streams` read them through the
// functions below, so both say the same of a stream.
struct StreamFigures
{
    qint64 length = 0;
    qint32 groups = 0;
    qint64 pending = 0;              // over all groups
    qint64 maxLag = -1;              // the highest lag Redis gave over the groups; -1: no groups
    bool lagUnknown = false;         // some group's lag is nil (always, before Redis 7.0)
    std::optional<StreamId> firstId; // absent when the stream is empty
    std::optional<StreamId> lastId;
};

// What reading a stream's figures found.
enum class StreamReadStatus : quint8 {
    Ok,
    Gone,      // the key was deleted since it was listed
    NotStream, // the key holds another type now
    Error,     // another error reply, or a reply that could not be read
};

// The commands that read one stream's figures, in this order: XINFO STREAM, XINFO GROUPS,
// and XLEN of its dead-letter stream when it has one (empty: none).
QList<RedisCommand> streamFigureCommands(const QByteArray &key, const QByteArray &deadLetterStream);
// Reads the replies of the first two; `info` and `groups` (may be null) get the parsed
// replies. On Error, `error` says why (Redis's text verbatim for an error reply).
StreamReadStatus readStreamFigures(const RedisValue &streamReply, const RedisValue &groupsReply,
                                   StreamFigures *figures, QString *error,
                                   StreamInfo *info = nullptr, QList<GroupInfo> *groups = nullptr);

// How much a stream's max lag says. NotReported: the server is older than Redis 7.0,
// whose XINFO GROUPS brought the lag; Nil: Redis cannot tell the lag of some group
// (entries deleted after its last-delivered id, or that id set to an arbitrary one).
enum class LagKnowledge : quint8 { NoGroups, Known, Nil, NotReported };
// `server` may be unknown (major 0): then only the replies count.
LagKnowledge lagKnowledge(const StreamFigures &figures, const ServerInfo &server);

// Every stream of one Redis database, for the overview table.
//
// refresh() walks the keyspace with SCAN ... TYPE stream COUNT 1000, one page at a
// time; rows are appended while the scan goes on, the first page at once and later
// ones batched every 100 ms (up to a second for 100,000 rows and more). The details of a row
// (length, groups, ids, pending, lag) are fetched lazily, in pipelined batches of XINFO STREAM +
// XINFO GROUPS, for the rows someone asks data() about: the visible ones, or all of them when a
// view sorts by a detail column. Replies from before the last refresh() are dropped (ReplyGuard).
//
// Dead letters: the listed keys are paired by the connection's DeadLetterConventions
// (detectDeadLetterStreams) as rows arrive. A source stream's details batch also asks
// XLEN of its dead-letter stream, for the DeadLetters column; a dead-letter stream's row
// names its source (DeadLetterSourceRole, tooltips).
class StreamListModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column {
        Name,
        Length,
        Groups,
        Pending,
        MaxLag,
        DeadLetters,
        FirstId,
        LastId,
        LastEntry,
        ColumnCount
    };
    enum Role {
        SortRole = Qt::UserRole + 1, // numbers for numeric columns, -1 when unknown
        KeyRole,                     // the key's bytes (QByteArray)
        StatusRole,                  // RowStatus as int
        DeadLetterStreamRole,        // a source stream's dead-letter stream (QByteArray), or empty
        DeadLetterSourceRole,        // for a dead-letter stream, its source's key; else empty
    };
    enum class RowStatus : quint8 { Loading, Ok, Gone, NotStream, Error };
    Q_ENUM(RowStatus)

    explicit StreamListModel(QObject *parent = nullptr);
    ~StreamListModel() override;

    // Not owned. Setting a connection clears the model; call refresh() to list.
    void setConnection(RedisConnection *connection);
    RedisConnection *connection() const { return m_connection; }

    // How dead-letter streams are named; pairs the listed rows again and re-reads the
    // dead-letter counts. Defaults to DeadLetterConventions::defaults().
    void setDeadLetterConventions(const DeadLetterConventions &conventions);
    const DeadLetterConventions &deadLetterConventions() const { return m_conventions; }
    // The pairing of the listed keys: source stream -> its dead-letter stream.
    const QHash<QByteArray, QByteArray> &deadLetterStreams() const { return m_deadLettersOf; }
    // The source a listed key is the dead-letter stream of (empty when it is none).
    QByteArray deadLetterSourceOf(const QByteArray &key) const { return m_sourceOf.value(key); }

    // Starts a new scan (dropping the rows and any scan under way).
    void refresh();
    // Stops the scan under way; the rows found so far stay.
    void cancel();
    // Fetches the details of every row again; rows keep their place and show their
    // old values until the new ones arrive.
    void reloadDetails();
    bool isScanning() const { return m_scanning; }
    // Estimated share of the keyspace scanned so far, from 0 to 1.
    double scanProgress() const { return m_progress; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    // Without the base class's two virtual calls: a sorting proxy asks for two indexes per
    // comparison, millions of times in a sort of 100,000 rows.
    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    // Direct access for sorting, without QVariant: the key of a row, and the number a
    // detail column sorts by (-1 while unknown; asking queues the row's details).
    const QByteArray &key(int row) const { return m_rows[size_t(row)].name; }
    qint64 sortValue(int row, int column) const;

    // Estimated share of a SCAN covered once `cursor` is returned, for a keyspace of
    // about `keys` keys (SCAN walks buckets in reverse-binary order).
    static double estimateScanProgress(quint64 cursor, qint64 keys);

Q_SIGNALS:
    void scanStarted();
    void scanProgressChanged(double progress, int streamsFound);
    // cancelled: by cancel(); error: the scan failed (empty otherwise).
    void scanFinished(int streamsFound, bool cancelled, const QString &error);
    // The pairing of sources and dead-letter streams changed (see deadLetterStreams()).
    void deadLetterStreamsChanged();

private:
    // What XINFO told about a row; allocated only for rows whose details were fetched,
    // which keeps a listed-but-never-shown stream at a few dozen bytes.
    struct Details
    {
        StreamFigures figures;
        qint64 deadLetters = -1; // XLEN of the dead-letter stream; -1: none or not read
    };
    struct Row
    {
        QByteArray name;
        std::unique_ptr<Details> details;
        RowStatus status = RowStatus::Loading;
        bool needsDetail = true; // never fetched, or stale after reloadDetails()
        bool detailQueued = false;
    };

    void clearRows();
    void sendScan();
    // `more`: the walk goes on (on a cluster, also after a master's cursor 0).
    void onScanPage(const QByteArray &cursor, bool more);
    void onTypes(const QList<QByteArray> &keys, const RedisResult &result);
    void appendStreams(const QList<QByteArray> &keys);
    void flushRows();
    void finishScan(bool cancelled, const QString &error);
    void queueDetail(int row) const;
    void pumpDetails();
    void onDetails(const QList<int> &rows, const QList<QByteArray> &deadLetterKeys,
                   const RedisResult &result);
    void detectDeadLetters();
    QString deadLettersToolTip(const Row &r) const;
    QString lagText(const Details &d) const;
    QString lagToolTip(const Details &d) const;

    QPointer<RedisConnection> m_connection;
    std::deque<Row> m_rows;          // grows in chunks: no reallocation spikes on huge keyspaces
    QHash<int, QString> m_rowErrors; // only for rows in RowStatus::Error
    QSet<QByteArray> m_seen;         // during a scan: SCAN may return a key twice
    QList<QByteArray> m_unannounced; // found, not yet inserted (see flushRows())
    QTimer m_flushTimer;
    ReplyGuard m_scanReplies;   // the walk under way and its DBSIZE and TYPE requests
    ReplyGuard m_detailReplies; // details: those asked before a refresh are dropped
    qint64 m_dbSize = 0;
    double m_progress = 0;
    int m_highestCursorBit = 0;
    int m_walkNodes = 1;   // the masters a cluster's walk goes over; 1 elsewhere
    int m_nodesWalked = 0; // of those, the ones done
    bool m_scanning = false;
    DeadLetterConventions m_conventions = DeadLetterConventions::defaults();
    QHash<QByteArray, QByteArray> m_deadLettersOf; // source -> dead-letter stream
    QHash<QByteArray, QByteArray> m_sourceOf;      // dead-letter stream -> source
    mutable std::vector<int> m_detailQueue;
    mutable bool m_pumpScheduled = false;
    int m_detailsInFlight = 0;
};
