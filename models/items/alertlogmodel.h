#pragma once

#include "alertrules.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QSortFilterProxyModel>

#include <deque>

// The alert log: every alert that fired or cleared, on every connection, newest first
// (row 0). Bounded: beyond maxRows() the oldest rows go. It also keeps the set of alerts
// active now (fired, not yet cleared), which the dashboard shows per row through
// activeAlerts() and activeChanged(). Use it from the GUI thread.
class AlertLogModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { Time, Connection, Stream, Where, Rule, Value, Threshold, State, ColumnCount };
    enum Role {
        ActiveRole = Qt::UserRole + 1, // bool: a Fired row whose alert is still active
        FiredRole,                     // bool: a Fired row (else a Cleared one)
        EstimatedRole,                 // bool: the value was estimated
    };
    static constexpr int DefaultMaxRows = 5000;

    explicit AlertLogModel(QObject *parent = nullptr);

    // Adds the events (as AlertEngine::changed gives them) at the top and updates the set
    // of active alerts.
    void append(const QList<AlertEvent> &events);
    // A connection that is no longer watched (disconnected, removed): its alerts stop
    // being active. Its rows stay.
    void endConnection(const QString &connectionId);
    // Empties the log except the rows of alerts active now.
    void clear();

    void setMaxRows(int rows);
    int maxRows() const { return m_maxRows; }

    const AlertEvent &eventAt(int row) const;

    // The alerts active now on a stream of a connection: with `group` empty every one of
    // the stream (its own, its groups' and their consumers'); else those of the group and
    // its consumers. Worst first is the caller's business; these come by rule, then
    // where.
    QList<AlertEvent> activeAlerts(const QString &connectionId, const QByteArray &stream,
                                   const QByteArray &group = {}) const;
    // Every alert active now, of every connection.
    QList<AlertEvent> activeAlerts() const;
    int activeCount() const { return int(m_active.size()); }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

Q_SIGNALS:
    // The set of active alerts changed (an alert fired, cleared or ended).
    void activeChanged();

private:
    struct Row
    {
        AlertEvent event;
        qint64 seq = 0;
    };
    using Key = QString; // connection, stream, group, consumer, rule
    static Key keyOf(const AlertEvent &event);
    int rowOfSeq(qint64 seq) const; // -1: gone
    void trim();
    QString cellText(const AlertEvent &event, int column, bool active) const;

    std::deque<Row> m_rows; // oldest first; row 0 is the back
    qint64 m_nextSeq = 0;
    QHash<Key, qint64> m_active; // the seq of each active alert's Fired row
    QHash<Key, AlertEvent> m_activeEvents;
    int m_maxRows = DefaultMaxRows;
};

// The log as a view filters it: with activeOnly, only the rows of alerts active now.
class AlertLogFilter : public QSortFilterProxyModel
{
    Q_OBJECT
public:
    explicit AlertLogFilter(QObject *parent = nullptr);
    void setActiveOnly(bool activeOnly);
    bool activeOnly() const { return m_activeOnly; }

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    bool m_activeOnly = false;
};
