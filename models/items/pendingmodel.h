#pragma once

#include "redisconnection.h"
#include "replyguard.h"
#include "streamparsers.h"

#include <QAbstractTableModel>
#include <QPointer>

#include <optional>
#include <vector>

// The pending entries of one consumer group (XPENDING key group [IDLE ms] start + COUNT n
// [consumer]), oldest id first, paged lazily: fetchMore() reads the page after the last
// row (its start is computed from the last id, so paging works on every Redis version).
// Each page is checked against the stream with one pipelined batch of
// XRANGE key id id COUNT 1 before its rows are inserted: an entry that is pending but no
// longer in the stream (deleted with XDEL, or trimmed) is an orphan and is flagged.
//
// Filters: one consumer (exact name) and a minimum idle time. The idle filter is XPENDING's
// IDLE option, which needs Redis 6.2: setFilter() refuses it on older servers, before
// sending anything. A new filter or group reloads from the first page; replies to what was
// asked for before are dropped.
//
// Every page is read together with XPENDING's summary form, so the model also knows how
// many entries are pending in all (the group's count, or the filtered consumer's), which a
// view shows beside the rows it has loaded so far.
class PendingModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { Id, Consumer, Idle, Deliveries, Exists, ColumnCount };
    enum Role {
        EntryIdRole = Qt::UserRole + 1, // the id as bytes, every column
        // The cell as a value: id bytes, consumer bytes, idle ms, delivery count (qint64),
        // or for Exists whether the entry is still in the stream (bool; invalid if unknown).
        ValueRole,
        OrphanedRole, // bool, every column: pending, but no longer in the stream
    };

    // A bar of the delivery-count histogram (the poison-message view).
    struct DeliveryBucket
    {
        QString label;        // "1", "2", "3-5", "6-10", "11+"
        qint64 minDeliveries; // inclusive
        qint64 maxDeliveries; // inclusive; -1: no upper bound
        qint64 entries = 0;
    };

    // XPENDING key group [IDLE minIdleMs] start + count [consumer]: a page of the pending
    // entries list, filtered (an empty consumer or a minIdleMs of 0: no filter).
    static RedisCommand rangeCommand(const QByteArray &key, const QByteArray &group,
                                     const QByteArray &consumer, qint64 minIdleMs,
                                     const QByteArray &start, int count);

    explicit PendingModel(QObject *parent = nullptr);
    ~PendingModel() override;

    // Shows the pending entries of `group` on `key` (keeping the filter) from the first page.
    void setGroup(RedisConnection *connection, const QByteArray &key, const QByteArray &group);
    QByteArray key() const { return m_key; }
    QByteArray group() const { return m_group; }

    // An empty consumer and a minIdleMs of 0 mean no filter. Reloads and returns true; or,
    // when the idle filter needs a newer server, leaves everything as it was, emits
    // errorOccurred() and returns false (with the message in *error when not null).
    bool setFilter(const QByteArray &consumer, qint64 minIdleMs, QString *error = nullptr);
    QByteArray consumerFilter() const { return m_consumer; }
    qint64 minIdleFilter() const { return m_minIdleMs; }

    void setPageSize(int entries) { m_pageSize = qMax(1, entries); }
    int pageSize() const { return m_pageSize; }

    void reload();
    // Reads the rows shown again (as many as are loaded, at least a page) and replaces
    // them in one reset when the answer is in, so views are never left empty meanwhile.
    void refresh();
    // One read at a time; false once the last page is in.
    bool canFetchMore(const QModelIndex &parent) const override;
    void fetchMore(const QModelIndex &parent) override;
    bool isLoading() const { return m_loading; }
    bool atEnd() const { return m_endReached; }
    // How many pending entries match the filter in all, as of the last page read: the
    // group's pending count, or the filtered consumer's. Unknown before the first page, and
    // with an idle filter (short of reading them all, nothing counts those).
    std::optional<qint64> matchingCount() const;
    // The group's pending count, as of the last page read; unknown before the first.
    std::optional<qint64> groupPendingCount() const;
    // XPENDING's summary of the group, read with the last page; unknown before the first.
    const std::optional<PendingSummary> &summary() const { return m_summary; }

    const PendingEntry &entryAt(int row) const { return m_rows[size_t(row)].entry; }
    bool isOrphaned(int row) const { return m_rows[size_t(row)].exists == false; }
    int orphanCount() const;

    // Buckets 1 (and 0, after XCLAIM ... RETRYCOUNT 0), 2, 3-5, 6-10, 11+.
    static QList<DeliveryBucket> deliveryHistogram(const QList<qint64> &deliveryCounts);
    // Over the rows loaded so far.
    QList<DeliveryBucket> deliveryHistogram() const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

Q_SIGNALS:
    // A page finished loading (rows may or may not have been added).
    void loaded();
    // A Redis error (verbatim, e.g. NOGROUP), or why a filter was refused.
    void errorOccurred(const QString &message);

private:
    struct Row
    {
        PendingEntry entry;
        std::optional<bool> exists; // unknown if the check failed
    };

    // Reads `count` entries from `start`: a page to append, or with replace the rows anew.
    void read(const QByteArray &start, int count, bool replace);
    void checkExistence(QList<PendingEntry> entries, int count, bool replace);
    void finishPage(QList<PendingEntry> entries, const QList<std::optional<bool>> &exists,
                    int count, bool replace);
    void failPage(const QString &message);

    QPointer<RedisConnection> m_connection;
    QByteArray m_key;
    QByteArray m_group;
    QByteArray m_consumer;
    qint64 m_minIdleMs = 0;
    std::vector<Row> m_rows;
    int m_pageSize = 100;
    bool m_loading = false;
    bool m_endReached = false;
    std::optional<PendingSummary> m_summary; // read with the last page
    ReplyGuard m_replies; // pages of a reload or refresh that came since are dropped
};
