#pragma once

#include "redisconnection.h"
#include "replyguard.h"
#include "streamparsers.h"

#include <QAbstractTableModel>
#include <QPointer>

#include <vector>

// The consumers of one consumer group (XINFO CONSUMERS key group): name, pending entries,
// idle time and, from Redis 7.2 on, inactive time (before 7.2 that column says so).
// refresh() reads them again and keeps the rows: consumers are matched by name, changed
// cells are announced with the roles that changed, and only consumers that appeared or
// disappeared are inserted or removed. Replies to a superseded refresh are dropped.
class ConsumersModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { Name, Pending, Idle, Inactive, ColumnCount };
    enum Role {
        ConsumerNameRole = Qt::UserRole + 1, // bytes, every column
        // The cell as a value: qint64 (times in ms; inactive is -1 for a consumer that never
        // read successfully); invalid where not available.
        ValueRole,
    };

    explicit ConsumersModel(QObject *parent = nullptr);
    ~ConsumersModel() override;

    // Shows the consumers of `group` on `key` and reads them.
    void setGroup(RedisConnection *connection, const QByteArray &key, const QByteArray &group);
    QByteArray key() const { return m_key; }
    QByteArray group() const { return m_group; }
    void refresh();
    bool isLoading() const { return m_loading; }

    const ConsumerInfo &consumerAt(int row) const { return m_rows[size_t(row)]; }
    int rowOf(const QByteArray &name) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

Q_SIGNALS:
    void loaded(); // a refresh finished (rows may or may not have changed)
    // A Redis error (verbatim), e.g. NOGROUP.
    void errorOccurred(const QString &message);

private:
    void merge(QList<ConsumerInfo> consumers);

    QPointer<RedisConnection> m_connection;
    QByteArray m_key;
    QByteArray m_group;
    std::vector<ConsumerInfo> m_rows;
    ReplyGuard m_replies; // a superseded refresh's reply is dropped
    bool m_loading = false;
};
