#pragma once

#include "monitorfigures.h"

#include <QAbstractTableModel>
#include <QElapsedTimer>
#include <QHash>
#include <QSortFilterProxyModel>
#include <QStringList>
#include <QTimer>

#include <array>
#include <vector>

// The dashboard: one row per watched stream and consumer group (a stream without groups
// has one row of its own, with an empty group), showing the newest figures of the live
// monitor. update() takes one tick's MonitorFigures (GUI thread, e.g. from
// StreamMonitor::sampled):
// - rows are matched by (stream, group): pairs that appeared are appended, pairs missing
//   from a successful tick are removed; the rest are updated in place;
// - dataChanged is emitted only for cells whose value changed, with the roles that
//   change, for runs of consecutive rows per column (one signal per column when every
//   row's lag moved); the sparkline column changes for every row on every tick;
// - a failed tick (figures.ok false) keeps the rows and their values, adds a gap to
//   every sparkline, and is counted in failedTicks() with its error.
// No tick resets the model.
//
// Each row keeps the lag of its last SparklinePoints ticks in a fixed ring (480 bytes a
// row), oldest first in SparklineRole; a tick without a lag for the row is a gap (NaN).
//
// Alerts: setActiveAlerts(stream, group, descriptions) says which alerts are active on
// a pair (an empty group: on the stream, shown on each of its rows); the Alerts column
// shows them. They are kept while a pair is not listed, and shown when it appears.
//
// Worst first (compareSeverity(), the proxy's default order): rows are ranked by tier:
//   3  an active alert (more alerts rank higher),
//   2  the lag grows (time to drain "never") and the oldest undelivered entry is at least
//      a second old: a backlog nobody is catching up with,
//   1  an undelivered entry at least a second old (time lag unknown: any lag),
//   0  caught up or nearly (a busy group whose lag hovers near 0), or a stream without
//      groups;
// within a tier by time lag, then time to drain, then lag, then pending; ties by stream
// and group name. With slack (how the proxy tells whether its order still holds), figures
// within 25% of each other, or within 1 s, 1 s, 10 entries, 10 entries, count as alike,
// so rows whose figures wobble keep their places.
class DashboardModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column {
        Stream,
        Group,
        Alerts,
        Lag,
        TimeLag,
        Pending,
        AddedPerSecond,
        ReadPerSecond,
        TimeToDrain,
        DeadLetters,
        Consumers,
        Sparkline,
        ColumnCount
    };
    enum Role {
        // A number for every column but Stream and Group: the value; -infinity when
        // unknown or not applicable; +infinity for a time to drain of never. Alerts: how
        // many are active. Sparkline: how much the lag changed over the sparkline.
        SortRole = Qt::UserRole + 1,
        StreamRole,    // the stream's name, bytes (every column)
        GroupRole,     // the group's name, bytes; empty on a stream's own row (every column)
        EstimatedRole, // Lag column: true when Redis gave no lag and Weir estimated it
        SparklineRole, // Sparkline column: QList<double>, oldest first, NaN for gaps
        AlertsRole,    // Alerts column: QStringList of the active alerts' descriptions
    };
    static constexpr int SparklinePoints = 120;

    explicit DashboardModel(QObject *parent = nullptr);
    ~DashboardModel() override;

    void update(const MonitorFigures &figures);
    // Replaces the alerts active on (stream, group); an empty list clears them. An empty
    // group means the stream itself: shown on every row of the stream.
    void setActiveAlerts(const QByteArray &stream, const QByteArray &group,
                         const QStringList &descriptions);
    // Replaces every active alert at once: descriptions by (stream, group), as above.
    // E.g. from AlertEngine::activeAlerts() after each AlertEngine::changed().
    void replaceActiveAlerts(const QHash<QPair<QByteArray, QByteArray>, QStringList> &alerts);
    void clearActiveAlerts();
    QStringList activeAlerts(int row) const;

    // As of the last tick.
    int streamCount() const { return m_streamCount; }
    // Streams the monitor found but leaves unwatched (its cap), as of the last good tick.
    int streamsLeftOut() const { return m_streamsLeftOut; }
    int groupCount() const { return m_groupCount; }
    qint64 lastTickMs() const { return m_lastTickMs; } // 0: none yet (or only failed ones)
    int tickCount() const { return m_ticks; }
    int failedTicks() const { return m_failedTicks; }
    QString lastError() const { return m_lastError; }
    qint64 lastErrorMs() const { return m_lastErrorMs; }
    bool lastTickFailed() const { return m_lastTickFailed; }

    int rowOf(const QByteArray &stream, const QByteArray &group) const;
    const QByteArray &stream(int row) const { return m_rows[size_t(row)].stream; }
    const QByteArray &group(int row) const { return m_rows[size_t(row)].group; }
    double sortValue(int row, int column) const;
    // < 0 when row a is less bad than row b, > 0 when worse, 0 when alike (see above).
    // With slack, the first figure that differs decides: 0 when it differs within its
    // slack (the figures after it are not looked at, as the exact order does not either).
    int compareSeverity(int a, int b, bool withSlack = false) const;
    // What compareSeverity() compares, in order: tier, alert count, time lag, time to drain,
    // lag, pending (unknown: -infinity). Without slack, rows compare as their keys do.
    using SeverityKey = std::array<double, 6>;
    SeverityKey severityKey(int row) const;
    QList<double> sparkline(int row) const;

    // Without QAbstractTableModel's virtual checks: a re-sort makes about 900,000 indexes.
    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

Q_SIGNALS:
    // After every update(), failed or not: the status figures above changed.
    void ticked();
    // Rows were inserted by the last update (emitted before ticked()).
    void rowsAppeared();
    // setActiveAlerts() or clearActiveAlerts() changed what a row shows.
    void alertsChanged();

private:
    // The figures of a row, NaN when unknown.
    struct Values
    {
        double lag;
        double timeLagMs;
        double pending;
        double oldestPendingIdleMs;
        double readPerSecond;
        double consumers;
        double drainSeconds;
        // The stream's.
        double length;
        double addedPerSecond;
        double deadLetters;
        bool lagEstimated = false;
        Values();
    };
    struct Row
    {
        QByteArray stream;
        QByteArray group;
        Values values;
        std::vector<float> ring; // SparklinePoints lags, oldest at `head` once full
        int head = 0;
        int filled = 0;
        int alerts = 0; // active alerts on the row, its own and its stream's
        int slot = -1;  // its GroupSlot (-1: not looked up since the catalog changed)
        void push(float lag);
    };
    struct RowKey
    {
        QByteArray stream;
        QByteArray group;
        friend bool operator==(const RowKey &a, const RowKey &b)
        {
            return a.stream == b.stream && a.group == b.group;
        }
        friend size_t qHash(const RowKey &key, size_t seed = 0)
        {
            return qHashMulti(seed, key.stream, key.group);
        }
    };

    // The streams and groups the figures' catalog names, so that a tick's values are put
    // in place by number: a value's target, and the figures of the tick.
    struct Target
    {
        int stream = -1; // StreamSlot; -1: not a dashboard figure (a consumer's)
        int group = -1;  // GroupSlot; -1: the stream's own figure
        Metric metric = Metric::Length;
    };
    struct StreamSlot
    {
        QByteArray name;
        int ownRow = -1; // the GroupSlot of its row while it has no groups
        bool present = false;
        int groupsPresent = 0;
        double length = 0, addedPerSecond = 0, deadLetters = 0;
    };
    struct GroupSlot
    {
        QByteArray name; // empty: the stream's own row
        int stream = -1;
        bool present = false; // has figures this tick
        bool hasRow = false;
        Values values;
    };
    void mapNumbers(const SeriesCatalog &catalog);

    quint32 changedColumns(const Values &before, const Values &after) const;
    void emitColumnRuns(const std::vector<quint32> &changed);
    bool removeRows(const std::vector<bool> &keep); // true when any was removed
    void reindex();
    void recountAlerts(int row);
    int tier(const Row &row) const;
    QString displayValue(int row, int column) const;
    QString toolTip(int row, int column) const;

    std::vector<Row> m_rows;
    QHash<RowKey, int> m_index;
    SeriesCatalogReader m_catalogReader;
    std::vector<Target> m_targets; // by number
    std::vector<StreamSlot> m_streamSlots;
    std::vector<GroupSlot> m_groupSlots;
    QHash<QByteArray, int> m_streamOf; // StreamSlot by name
    QHash<RowKey, int> m_slotOf;       // GroupSlot by names
    QHash<RowKey, QStringList> m_alerts;
    int m_streamCount = 0;
    int m_streamsLeftOut = 0;
    int m_groupCount = 0;
    qint64 m_lastTickMs = 0;
    int m_ticks = 0;
    int m_failedTicks = 0;
    QString m_lastError;
    qint64 m_lastErrorMs = 0;
    bool m_lastTickFailed = false;
};

// The dashboard's sorting and filtering, worst first by default (sort(Alerts, Descending):
// the alert count, ties broken by DashboardModel::compareSeverity()). Any column sorts by
// its SortRole numbers with the same tie-break; names compare case-insensitively.
//
// The order is kept without rows jumping on every tick: rows are not moved one by one as
// their figures change (no dynamic sort); after a tick the proxy checks whether its order
// still holds (the sorted column exactly, the worst order's figures with slack, see
// DashboardModel) and re-sorts only when it does not, at most every resortIntervalMs()
// (default 2 s). Rows that appeared are placed at once. Filtering (a text matched against
// stream and group names) is immediate.
class DashboardSortProxy : public QSortFilterProxyModel
{
    Q_OBJECT
public:
    explicit DashboardSortProxy(QObject *parent = nullptr);

    void setSourceModel(QAbstractItemModel *source) override;
    void setFilterText(const QString &text);
    QString filterText() const { return m_filter; }
    void setResortIntervalMs(int ms) { m_resortIntervalMs = qMax(0, ms); }
    int resortIntervalMs() const { return m_resortIntervalMs; }
    // Re-sorts now if the order no longer holds.
    void resortNow();
    int sortCount() const { return m_sorts; } // how many times the rows were re-sorted

    void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;

protected:
    bool lessThan(const QModelIndex &left, const QModelIndex &right) const override;
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    // A row's order, taken once per sort: its column's value, its severity and the rank of
    // its names (stream then group, or group then stream when sorted by group).
    struct SortKey
    {
        double value;
        DashboardModel::SeverityKey severity;
        int nameRank;
    };
    void takeSortKeys(int column);
    bool less(int a, int b, int column) const;
    bool outOfOrder(int a, int b, int column) const;
    bool inOrder() const;
    void scheduleResort();

    DashboardModel *m_dashboard = nullptr;
    std::vector<SortKey> m_sortKeys; // by source row, while sort() runs
    // The name ranks by source row, stream first and group first; kept until rows come or
    // go (empty: not taken).
    std::array<std::vector<int>, 2> m_nameRanks;
    QString m_filter;
    QTimer m_resortTimer;
    QElapsedTimer m_sinceSort;
    int m_resortIntervalMs = 2000;
    int m_sorts = 0;
};
