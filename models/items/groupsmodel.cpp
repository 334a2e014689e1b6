#include "groupsmodel.h"

#include "grouplag.h"
#include "inspectorcells.h"
#include "keyformat.h"
#include "streamparsers.h"

#include <QDateTime>
#include <QSet>

GroupsModel::GroupsModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

GroupsModel::~GroupsModel() = default;

void GroupsModel::setStream(RedisConnection *connection, const QByteArray &key)
{
    m_replies.reset();
    m_connection = connection;
    m_key = key;
    m_stream = {};
    beginResetModel();
    m_rows.clear();
    endResetModel();
    refresh();
}

bool GroupsModel::hasGroupLag() const
{
    return m_connection && m_connection->serverInfo().hasGroupLag();
}

const QList<int> &GroupsModel::changeRoles()
{
    static const QList<int> roles{Qt::DisplayRole, Qt::ToolTipRole, ValueRole, LagEstimateRole,
                                  LagIsLowerBoundRole};
    return roles;
}

void GroupsModel::refresh()
{
    if (!m_connection)
        return;
    m_replies.reset();
    m_outstanding = 1;
    const QList<RedisCommand> commands{RedisCommand{{"XINFO", "GROUPS", m_key}, m_key},
                                       RedisCommand{{"XINFO", "STREAM", m_key}, m_key}};
    m_replies.send(m_connection, commands, [this](const RedisResult &r) {
        QString error = r.error;
        auto groups = r.ok() ? parseGroupsInfo(r.replies.at(0), &error) : std::nullopt;
        if (!groups) {
            fail(error);
            return;
        }
        QString streamError;
        if (auto stream = parseStreamInfo(r.replies.at(1), &streamError))
            m_stream = *stream;
        merge(std::move(*groups));
        readTimeLags();
        for (const Row &row : m_rows) {
            if (row.counting) {
                ++m_outstanding;
                if (auto start = row.info.lastDeliveredId.next()) {
                    countFrom(row.info.name, *start, 0);
                } else {
                    setEstimate(row.info.name, 0, false);
                    workDone();
                }
            }
        }
        workDone(); // the XINFO request itself
    });
}

// The rows are matched to `groups` by name: gone ones removed, known ones updated in
// place, new ones appended.
void GroupsModel::merge(QList<GroupInfo> groups)
{
    QSet<QByteArray> names;
    for (const GroupInfo &g : groups)
        names.insert(g.name);
    for (int row = int(m_rows.size()) - 1; row >= 0; --row) {
        if (!names.contains(m_rows[size_t(row)].info.name)) {
            beginRemoveRows({}, row, row);
            m_rows.erase(m_rows.begin() + row);
            endRemoveRows();
        }
    }
    const ServerInfo serverInfo = m_connection ? m_connection->serverInfo() : ServerInfo();
    std::vector<Row> added;
    for (GroupInfo &g : groups) {
        const int row = rowOf(g.name);
        Row *target = nullptr;
        RowSnapshot before;
        if (row >= 0) {
            before = snapshotRow(*this, row, changeRoles());
            target = &m_rows[size_t(row)];
        } else {
            added.emplace_back();
            target = &added.back();
        }
        // Without a lag from Redis (nil, or a server before 7.0), Weir counts it.
        target->lagReason = groupLagUnknownReason(g, m_stream, serverInfo);
        target->counting = !g.lag;
        if (g.lag) {
            target->estimate.reset();
            target->estimateIsLowerBound = false;
        }
        target->info = std::move(g);
        if (row >= 0)
            announceChanges(*this, row, before, changeRoles());
    }
    if (!added.empty()) {
        const int first = rowCount();
        beginInsertRows({}, first, first + int(added.size()) - 1);
        m_rows.insert(m_rows.end(), std::make_move_iterator(added.begin()),
                      std::make_move_iterator(added.end()));
        endInsertRows();
    }
}

// One pipelined request: the first entry after each group's last-delivered id.
void GroupsModel::readTimeLags()
{
    if (m_rows.empty())
        return;
    QList<RedisCommand> commands;
    QList<QByteArray> names;
    for (const Row &row : m_rows) {
        const std::optional<StreamId> start = row.info.lastDeliveredId.next();
        if (!start)
            continue;
        commands.append(
            RedisCommand{{"XRANGE", m_key, start->toByteArray(), "+", "COUNT", "1"}, m_key});
        names.append(row.info.name);
    }
    if (commands.isEmpty())
        return;
    ++m_outstanding;
    m_replies.send(m_connection, commands, [this, names](const RedisResult &r) {
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        for (qsizetype i = 0; r.ok() && i < names.size() && i < r.replies.size(); ++i) {
            const int row = rowOf(names.at(i));
            QString error;
            const auto entries = parseEntries(r.replies.at(i), &error);
            if (row < 0 || !entries)
                continue;
            const RowSnapshot before = snapshotRow(*this, row, changeRoles());
            Row &target = m_rows[size_t(row)];
            target.timeLagKnown = true;
            if (entries->isEmpty()) {
                target.oldestUndelivered.reset();
                target.timeLagMs = 0;
            } else {
                target.oldestUndelivered = entries->first().id;
                target.timeLagMs = qMax<qint64>(0, now - qint64(entries->first().id.ms));
            }
            announceChanges(*this, row, before, changeRoles());
        }
        if (!r.ok())
            Q_EMIT errorOccurred(r.error);
        workDone();
    });
}

// Counts the entries from `start` on, a batch per request, until the end of the stream or
// the estimate limit.
void GroupsModel::countFrom(const QByteArray &name, StreamId start, qint64 counted)
{
    const qint64 batch = qMin<qint64>(m_estimateBatch, m_estimateLimit - counted);
    const RedisCommand command{
        {"XRANGE", m_key, start.toByteArray(), "+", "COUNT", QByteArray::number(batch)}, m_key};
    auto onBatch = [this, name, counted, batch](const RedisResult &r) {
        QString error = r.error;
        const auto entries = r.ok() ? parseEntries(r.replies.first(), &error) : std::nullopt;
        if (!entries) {
            setEstimate(name, std::nullopt, false);
            Q_EMIT errorOccurred(error);
            workDone();
            return;
        }
        const qint64 total = counted + entries->size();
        const bool full = entries->size() >= batch;
        if (full) {
            const std::optional<StreamId> next = entries->last().id.next();
            if (next && total < m_estimateLimit) {
                countFrom(name, *next, total);
                return;
            }
            setEstimate(name, total, next.has_value());
        } else {
            setEstimate(name, total, false);
        }
        workDone();
    };
    m_replies.send(m_connection, {command}, onBatch);
}

void GroupsModel::setEstimate(const QByteArray &name, std::optional<qint64> count, bool lowerBound)
{
    const int row = rowOf(name);
    if (row < 0)
        return;
    const RowSnapshot before = snapshotRow(*this, row, changeRoles());
    Row &target = m_rows[size_t(row)];
    target.counting = false;
    target.estimate = count;
    target.estimateIsLowerBound = lowerBound;
    announceChanges(*this, row, before, changeRoles());
}

void GroupsModel::workDone()
{
    if (m_outstanding > 0 && --m_outstanding == 0)
        Q_EMIT loaded();
}

void GroupsModel::fail(const QString &message)
{
    m_outstanding = 0;
    Q_EMIT errorOccurred(message);
    Q_EMIT loaded();
}

int GroupsModel::rowOf(const QByteArray &name) const
{
    for (size_t i = 0; i < m_rows.size(); ++i) {
        if (m_rows[i].info.name == name)
            return int(i);
    }
    return -1;
}

int GroupsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int GroupsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant GroupsModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const Row &row = m_rows[size_t(index.row())];
    const GroupInfo &g = row.info;
    const bool lagKnowable = hasGroupLag();
    const QString notAvailable = tr("n/a (Redis < 7.0)");
    if (role == GroupNameRole)
        return g.name;

    switch (index.column()) {
    case Name:
        if (role == Qt::DisplayRole || role == Qt::ToolTipRole)
            return displayKey(g.name);
        if (role == ValueRole)
            return g.name;
        break;
    case Consumers:
        if (role == Qt::DisplayRole || role == ValueRole)
            return g.consumers;
        break;
    case Pending:
        if (role == Qt::DisplayRole || role == ValueRole)
            return g.pending;
        break;
    case LastDeliveredId:
        if (role == Qt::DisplayRole)
            return g.lastDeliveredId.toString();
        if (role == ValueRole)
            return g.lastDeliveredId.toByteArray();
        break;
    case EntriesRead:
        if (!lagKnowable) {
            if (role == Qt::DisplayRole)
                return notAvailable;
            if (role == Qt::ToolTipRole)
                return tr("%1 reports no count of the entries a group has read (Redis 7.0 "
                          "brought it).")
                    .arg(m_connection->serverInfo().displayName());
            break;
        }
        if (role == Qt::DisplayRole)
            return g.entriesRead ? QVariant(*g.entriesRead) : QVariant(tr("unknown"));
        if (role == ValueRole && g.entriesRead)
            return *g.entriesRead;
        if (role == Qt::ToolTipRole && !g.entriesRead)
            return tr("Redis does not know how many entries this group has read: its position "
                      "was set to an arbitrary id (XGROUP CREATE or SETID without ENTRIESREAD).");
        break;
    case Lag:
        if (g.lag) {
            if (role == Qt::DisplayRole || role == ValueRole)
                return *g.lag;
            break;
        }
        if (role == Qt::DisplayRole) {
            if (row.estimate) {
                return tr("unknown · %1 %2 (estimated)")
                    .arg(row.estimateIsLowerBound ? QStringLiteral("≥") : QStringLiteral("≈"))
                    .arg(*row.estimate);
            }
            return row.counting ? tr("unknown (counting…)") : tr("unknown");
        }
        if (role == Qt::ToolTipRole) {
            QString tip = row.lagReason;
            if (row.estimate) {
                tip += QLatin1Char('\n')
                       + (row.estimateIsLowerBound
                              ? tr("Weir counted the entries after the last-delivered id and "
                                   "stopped at %1: there are at least that many.")
                                    .arg(*row.estimate)
                              : tr("Weir counted %1 entries after the last-delivered id.")
                                    .arg(*row.estimate));
            }
            return tip;
        }
        if (role == LagEstimateRole && row.estimate)
            return *row.estimate;
        if (role == LagIsLowerBoundRole && row.estimate)
            return row.estimateIsLowerBound;
        break;
    case TimeLag:
        if (!row.timeLagKnown)
            break;
        if (role == Qt::DisplayRole)
            return formatDurationMs(row.timeLagMs);
        if (role == ValueRole)
            return row.timeLagMs;
        if (role == Qt::ToolTipRole) {
            if (!row.oldestUndelivered)
                return tr("Every entry of the stream has been delivered to this group.");
            return tr("The oldest entry not yet delivered to this group, %1, is %2 old.")
                .arg(row.oldestUndelivered->toString(), formatDurationMs(row.timeLagMs));
        }
        break;
    }
    return {};
}

QVariant GroupsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Name:
        return tr("Group");
    case Consumers:
        return tr("Consumers");
    case Pending:
        return tr("Pending");
    case LastDeliveredId:
        return tr("Last delivered id");
    case EntriesRead:
        return tr("Entries read");
    case Lag:
        return tr("Lag");
    case TimeLag:
        return tr("Time lag");
    }
    return {};
}
