#pragma once

#include "commandlog.h"

#include <QAbstractTableModel>
#include <QSortFilterProxyModel>
#include <QTimer>

#include <deque>

class RedisConnection;

// The command log: every request the attached connections report (see
// RedisConnection::requestLogged), oldest first. Entries are queued as they come and
// inserted together at most every FlushIntervalMs, so a burst of thousands of requests
// costs one insertion, not thousands. Bounded: beyond maxRows(), the oldest rows go.
// Use it from the thread the connections live on (the GUI thread).
class CommandLogModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { Time, Connection, Command, Duration, Result, ColumnCount };
    enum Role {
        ErrorRole = Qt::UserRole + 1, // bool, every column: failed, or an error reply
    };
    static constexpr int DefaultMaxRows = 5000;
    static constexpr int FlushIntervalMs = 100;

    explicit CommandLogModel(QObject *parent = nullptr);

    // Logs what `connection` sends from now on, its rows named `name`, until it is
    // destroyed or detached.
    void attach(RedisConnection *connection, const QString &name);
    void detach(RedisConnection *connection);
    // Queues an entry; it becomes a row at the next flush.
    void append(const CommandLogEntry &entry);

    void setMaxRows(int rows);
    int maxRows() const { return m_maxRows; }
    // Rows dropped because of the bound since the last clear().
    qint64 droppedCount() const { return m_dropped; }
    void clear();

    const CommandLogEntry &entryAt(int row) const { return m_rows[size_t(row)]; }
    // The rows (model rows, in the order given) as text: one line each, the columns
    // separated by tabs, for the clipboard.
    QString rowsAsText(const QList<int> &rows) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    void flush();
    QString cellText(const CommandLogEntry &entry, int column) const;

    std::deque<CommandLogEntry> m_rows;
    std::deque<CommandLogEntry> m_queued; // not yet rows; bounded by m_maxRows too
    int m_maxRows = DefaultMaxRows;
    qint64 m_dropped = 0;
    QTimer m_flushTimer;
};

// The command log as filtered for a view: rows whose Command or Result column contains a
// text (case-insensitive), and with errorsOnly only the rows marked as errors.
class CommandLogFilter : public QSortFilterProxyModel
{
    Q_OBJECT
public:
    using QSortFilterProxyModel::QSortFilterProxyModel;

    void setText(const QString &text);
    QString text() const { return m_text; }
    void setErrorsOnly(bool errorsOnly);
    bool errorsOnly() const { return m_errorsOnly; }

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    QString m_text;
    bool m_errorsOnly = false;
};
