#include "pendingmodel.h"

#include "inspectorcells.h"
#include "keyformat.h"

#include <QColor>

PendingModel::PendingModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

PendingModel::~PendingModel() = default;

void PendingModel::setGroup(RedisConnection *connection, const QByteArray &key,
                            const QByteArray &group)
{
    m_connection = connection;
    m_key = key;
    m_group = group;
    reload();
}

bool PendingModel::setFilter(const QByteArray &consumer, qint64 minIdleMs, QString *error)
{
    minIdleMs = qMax<qint64>(0, minIdleMs);
    if (minIdleMs > 0 && !(m_connection && m_connection->serverInfo().hasExclusiveRanges())) {
        const QString version = m_connection ? m_connection->serverInfo().displayName() : QString();
        const QString message =
            version.isEmpty()
                ? tr("Filtering pending entries by idle time needs Redis 6.2 or later, and the "
                     "server's version is not known yet.")
                : tr("Filtering pending entries by idle time needs Redis 6.2 or later (XPENDING "
                     "IDLE); this server is %1.")
                      .arg(version);
        if (error)
            *error = message;
        Q_EMIT errorOccurred(message);
        return false;
    }
    m_consumer = consumer;
    m_minIdleMs = minIdleMs;
    reload();
    return true;
}

void PendingModel::reload()
{
    m_replies.reset();
    beginResetModel();
    m_rows.clear();
    m_endReached = false;
    m_summary.reset();
    m_loading = true; // so nobody fetches more while the reset is announced
    endResetModel();
    m_loading = false;
    if (m_connection)
        read("-", m_pageSize, false);
}

void PendingModel::refresh()
{
    if (!m_connection)
        return;
    m_replies.reset(); // a page on its way would land in rows about to be replaced
    read("-", qMax(m_pageSize, rowCount()), true);
}

bool PendingModel::canFetchMore(const QModelIndex &parent) const
{
    return !parent.isValid() && m_connection && !m_rows.empty() && !m_endReached && !m_loading;
}

void PendingModel::fetchMore(const QModelIndex &parent)
{
    if (!canFetchMore(parent))
        return;
    const std::optional<StreamId> start = m_rows.back().entry.id.next();
    if (!start) {
        m_endReached = true;
        return;
    }
    read(start->toByteArray(), m_pageSize, false);
}

RedisCommand PendingModel::rangeCommand(const QByteArray &key, const QByteArray &group,
                                        const QByteArray &consumer, qint64 minIdleMs,
                                        const QByteArray &start, int count)
{
    QList<QByteArray> argv{"XPENDING", key, group};
    if (minIdleMs > 0)
        argv << "IDLE" << QByteArray::number(minIdleMs);
    argv << start << "+" << QByteArray::number(count);
    if (!consumer.isEmpty())
        argv << consumer;
    return RedisCommand{argv, key};
}

void PendingModel::read(const QByteArray &start, int count, bool replace)
{
    m_loading = true;
    const QList<RedisCommand> commands{
        rangeCommand(m_key, m_group, m_consumer, m_minIdleMs, start, count),
        RedisCommand{{"XPENDING", m_key, m_group}, m_key}};
    m_replies.send(m_connection, commands, [this, count, replace](const RedisResult &r) {
        QString error = r.error;
        auto entries = r.ok() ? parsePendingEntries(r.replies.first(), &error) : std::nullopt;
        if (!entries) {
            failPage(error);
            return;
        }
        QString summaryError;
        m_summary = r.replies.size() > 1 ? parsePendingSummary(r.replies.at(1), &summaryError)
                                         : std::nullopt;
        if (entries->isEmpty()) {
            finishPage({}, {}, count, replace);
            return;
        }
        checkExistence(std::move(*entries), count, replace);
    });
}

// One pipelined batch: XRANGE key id id COUNT 1 for every entry of the page.
void PendingModel::checkExistence(QList<PendingEntry> entries, int count, bool replace)
{
    QList<RedisCommand> commands;
    commands.reserve(entries.size());
    for (const PendingEntry &e : entries) {
        const QByteArray id = e.id.toByteArray();
        commands.append(RedisCommand{{"XRANGE", m_key, id, id, "COUNT", "1"}, m_key});
    }
    auto onChecked = [this, count, replace, entries = std::move(entries)](const RedisResult &r) {
        QList<std::optional<bool>> exists;
        exists.reserve(entries.size());
        for (qsizetype i = 0; i < entries.size(); ++i) {
            if (r.ok() && i < r.replies.size() && r.replies.at(i).isArray())
                exists.append(r.replies.at(i).size() > 0);
            else
                exists.append(std::nullopt);
        }
        if (!r.ok())
            Q_EMIT errorOccurred(r.error);
        finishPage(entries, exists, count, replace);
    };
    m_replies.send(m_connection, commands, onChecked);
}

// The model's state is brought up to date before the rows are announced, and it stays
// "loading" until they are in: views (and model testers) ask for more meanwhile.
void PendingModel::finishPage(QList<PendingEntry> entries, const QList<std::optional<bool>> &exists,
                              int count, bool replace)
{
    m_endReached = entries.size() < count;
    std::vector<Row> rows;
    rows.reserve(size_t(entries.size()));
    for (qsizetype i = 0; i < entries.size(); ++i)
        rows.push_back(Row{std::move(entries[i]), exists.value(i)});
    if (replace) {
        beginResetModel();
        m_rows = std::move(rows);
        endResetModel();
    } else if (!rows.empty()) {
        const int first = rowCount();
        beginInsertRows({}, first, first + int(rows.size()) - 1);
        m_rows.insert(m_rows.end(), std::make_move_iterator(rows.begin()),
                      std::make_move_iterator(rows.end()));
        endInsertRows();
    }
    m_loading = false;
    Q_EMIT loaded();
}

void PendingModel::failPage(const QString &message)
{
    m_loading = false;
    Q_EMIT errorOccurred(message);
    Q_EMIT loaded();
}

std::optional<qint64> PendingModel::matchingCount() const
{
    if (!m_summary || m_minIdleMs > 0)
        return std::nullopt;
    if (m_consumer.isEmpty())
        return m_summary->count;
    for (const auto &[consumer, pending] : m_summary->consumers) {
        if (consumer == m_consumer)
            return pending;
    }
    return 0; // a consumer with nothing pending is not listed
}

std::optional<qint64> PendingModel::groupPendingCount() const
{
    return m_summary ? std::optional(m_summary->count) : std::nullopt;
}

int PendingModel::orphanCount() const
{
    int orphans = 0;
    for (const Row &row : m_rows)
        orphans += row.exists == false ? 1 : 0;
    return orphans;
}

QList<PendingModel::DeliveryBucket>
PendingModel::deliveryHistogram(const QList<qint64> &deliveryCounts)
{
    QList<DeliveryBucket> buckets{{QStringLiteral("1"), 0, 1},
                                  {QStringLiteral("2"), 2, 2},
                                  {QStringLiteral("3-5"), 3, 5},
                                  {QStringLiteral("6-10"), 6, 10},
                                  {QStringLiteral("11+"), 11, -1}};
    for (qint64 count : deliveryCounts) {
        for (DeliveryBucket &bucket : buckets) {
            if (bucket.maxDeliveries < 0 || count <= bucket.maxDeliveries) {
                ++bucket.entries;
                break;
            }
        }
    }
    return buckets;
}

QList<PendingModel::DeliveryBucket> PendingModel::deliveryHistogram() const
{
    QList<qint64> counts;
    counts.reserve(qsizetype(m_rows.size()));
    for (const Row &row : m_rows)
        counts.append(row.entry.deliveries);
    return deliveryHistogram(counts);
}

int PendingModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int PendingModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant PendingModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const Row &row = m_rows[size_t(index.row())];
    const PendingEntry &e = row.entry;
    const bool orphaned = row.exists == false;
    if (role == EntryIdRole)
        return e.id.toByteArray();
    if (role == OrphanedRole)
        return orphaned;
    switch (index.column()) {
    case Id:
        if (role == Qt::DisplayRole)
            return e.id.toString();
        if (role == ValueRole)
            return e.id.toByteArray();
        break;
    case Consumer:
        if (role == Qt::DisplayRole || role == Qt::ToolTipRole)
            return displayKey(e.consumer);
        if (role == ValueRole)
            return e.consumer;
        break;
    case Idle:
        if (role == Qt::DisplayRole)
            return formatDurationMs(e.idleMs);
        if (role == ValueRole)
            return e.idleMs;
        break;
    case Deliveries:
        if (role == Qt::DisplayRole || role == ValueRole)
            return e.deliveries;
        break;
    case Exists:
        if (role == Qt::DisplayRole)
            return !row.exists ? tr("unknown") : *row.exists ? tr("yes") : tr("orphaned");
        if (role == ValueRole && row.exists)
            return *row.exists;
        if (role == Qt::ForegroundRole && orphaned)
            return QColor(Qt::red);
        if (role == Qt::ToolTipRole) {
            if (orphaned)
                return tr("The entry is no longer in the stream (deleted with XDEL or trimmed) "
                          "but is still pending: acknowledge it to drop it.");
            if (!row.exists)
                return tr("Whether the entry is still in the stream could not be checked.");
        }
        break;
    }
    return {};
}

QVariant PendingModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Id:
        return tr("Id");
    case Consumer:
        return tr("Consumer");
    case Idle:
        return tr("Idle");
    case Deliveries:
        return tr("Deliveries");
    case Exists:
        return tr("In stream");
    }
    return {};
}
