#pragma once

#include "redisconnection.h"
#include "replyguard.h"
#include "replyparsers.h"

#include <QAbstractTableModel>
#include <QPointer>

#include <optional>
#include <vector>

// The consumer groups of one stream: XINFO GROUPS and XINFO STREAM, read in one pipelined
// request, plus what Weir works out itself:
// - time lag: the age of the oldest entry not yet delivered to the group (the first entry
//   after its last-delivered id), read for every group in one more pipelined request;
// - a lag estimate where Redis 7.0+ reports the lag as nil (entries deleted after the
//   group's position, or a position set to an arbitrary id): the entries after the
//   last-delivered id are counted with XRANGE in batches, up to estimateLimit() entries
//   (beyond that the estimate is a lower bound).
// Before Redis 7.0 there is no entries-read or lag; those columns say so.
//
// refresh() reads everything again and keeps the rows: groups are matched by name, changed
// cells are announced with the roles that changed, and only groups that appeared or
// disappeared are inserted or removed, so a view's selection survives a refresh.
// Replies to a refresh superseded by a newer one (or by setStream()) are dropped.
class GroupsModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column {
        Name,
        Consumers,
        Pending,
        LastDeliveredId,
        EntriesRead,
        Lag,
        TimeLag,
        ColumnCount
    };
    enum Role {
        GroupNameRole = Qt::UserRole + 1, // the group's name, bytes (every column)
        // The cell as a value: qint64 for counts and the time lag (ms), the id as bytes
        // for last-delivered-id; invalid when unknown or not available.
        ValueRole,
        // Lag column, when Redis reports nil: the counted entries after the last-delivered
        // id (qint64), once counted; LagIsLowerBoundRole says whether counting stopped at
        // estimateLimit().
        LagEstimateRole,
        LagIsLowerBoundRole,
    };

    explicit GroupsModel(QObject *parent = nullptr);
    ~GroupsModel() override;

    // Shows the groups of `key` on `connection` (not owned) and reads them.
    void setStream(RedisConnection *connection, const QByteArray &key);
    QByteArray key() const { return m_key; }
    void refresh();
    bool isLoading() const { return m_outstanding > 0; }

    void setEstimateLimit(qint64 entries) { m_estimateLimit = qMax<qint64>(1, entries); }
    qint64 estimateLimit() const { return m_estimateLimit; }
    void setEstimateBatch(int entries) { m_estimateBatch = qMax(1, entries); }
    int estimateBatch() const { return m_estimateBatch; }

    // As of the last refresh.
    const StreamInfo &streamInfo() const { return m_stream; }
    const GroupInfo &groupAt(int row) const { return m_rows[size_t(row)].info; }
    int rowOf(const QByteArray &name) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

Q_SIGNALS:
    // A refresh is complete: groups, time lags and lag estimates are all in (or failed).
    void loaded();
    // A Redis error (verbatim), e.g. "ERR no such key" or WRONGTYPE.
    void errorOccurred(const QString &message);

private:
    struct Row
    {
        GroupInfo info;
        QString lagReason; // why Redis reports no lag; empty when it does
        bool timeLagKnown = false;
        std::optional<StreamId> oldestUndelivered; // none: everything was delivered
        qint64 timeLagMs = 0;
        bool counting = false;
        std::optional<qint64> estimate;
        bool estimateIsLowerBound = false;
    };

    void merge(QList<GroupInfo> groups);
    void readTimeLags();
    void countFrom(const QByteArray &name, StreamId start, qint64 counted);
    void setEstimate(const QByteArray &name, std::optional<qint64> count, bool lowerBound);
    void workDone();
    void fail(const QString &message);
    bool hasGroupLag() const;
    static const QList<int> &changeRoles();

    QPointer<RedisConnection> m_connection;
    QByteArray m_key;
    StreamInfo m_stream;
    std::vector<Row> m_rows;
    ReplyGuard m_replies;  // the reads of the current refresh
    int m_outstanding = 0; // reads of the current refresh still on their way
    qint64 m_estimateLimit = 100000;
    int m_estimateBatch = 1000;
};
