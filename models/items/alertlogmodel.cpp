#include "alertlogmodel.h"

#include "keyformat.h"
#include "threadcheck.h"

#include <QBrush>
#include <QColor>
#include <QDateTime>
#include <QFont>
#include <QSet>

#include <algorithm>

AlertLogModel::AlertLogModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

AlertLogModel::Key AlertLogModel::keyOf(const AlertEvent &e)
{
    return e.connectionId + QLatin1Char('\n') + QString::fromLatin1(e.stream.toHex())
           + QLatin1Char('\n') + QString::fromLatin1(e.group.toHex()) + QLatin1Char('\n')
           + QString::fromLatin1(e.consumer.toHex()) + QLatin1Char('\n') + alertRuleKey(e.rule);
}

int AlertLogModel::rowOfSeq(qint64 seq) const
{
    if (m_rows.empty() || seq < m_rows.front().seq || seq > m_rows.back().seq)
        return -1;
    // Seqs grow by one from front to back, except across rows clear() removed.
    const auto it = std::lower_bound(m_rows.cbegin(), m_rows.cend(), seq,
                                     [](const Row &row, qint64 s) { return row.seq < s; });
    if (it == m_rows.cend() || it->seq != seq)
        return -1;
    return int(m_rows.cend() - it) - 1;
}

void AlertLogModel::append(const QList<AlertEvent> &events)
{
    WEIR_ASSERT_OBJECT_THREAD(this);
    if (events.isEmpty())
        return;
    // In the order given: an alert may fire and clear within one batch.
    QList<qint64> endedSeqs;
    std::vector<Row> added;
    added.reserve(size_t(events.size()));
    // Seqs grow from the oldest row to the newest, and the first event of a batch is shown
    // above the others: it gets the batch's highest seq.
    const qint64 base = m_nextSeq;
    m_nextSeq += events.size();
    for (int i = 0; i < events.size(); ++i) {
        const AlertEvent &e = events[i];
        const Key key = keyOf(e);
        const qint64 seq = base + (events.size() - 1 - i);
        if (e.state == AlertEvent::Cleared) {
            const auto it = m_active.find(key);
            if (it != m_active.end()) {
                endedSeqs.append(*it);
                m_active.erase(it);
                m_activeEvents.remove(key);
            }
        } else {
            m_active.insert(key, seq);
            m_activeEvents.insert(key, e);
        }
        added.push_back({e, seq});
    }
    // The batch reads top-down in the order given, above the older rows; the deque is
    // oldest first, so the first event goes in last.
    const int n = int(added.size());
    beginInsertRows({}, 0, n - 1);
    for (auto it = added.rbegin(); it != added.rend(); ++it)
        m_rows.push_back(*it);
    endInsertRows();
    for (const qint64 seq : std::as_const(endedSeqs)) {
        const int row = rowOfSeq(seq);
        if (row >= 0)
            Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1),
                               {ActiveRole, Qt::DisplayRole, Qt::ForegroundRole, Qt::FontRole});
    }
    trim();
    Q_EMIT activeChanged();
}

void AlertLogModel::endConnection(const QString &connectionId)
{
    WEIR_ASSERT_OBJECT_THREAD(this);
    QList<qint64> ended;
    for (auto it = m_activeEvents.begin(); it != m_activeEvents.end();) {
        if (it->connectionId != connectionId) {
            ++it;
            continue;
        }
        ended.append(m_active.take(it.key()));
        it = m_activeEvents.erase(it);
    }
    if (ended.isEmpty())
        return;
    for (const qint64 seq : std::as_const(ended)) {
        const int row = rowOfSeq(seq);
        if (row >= 0)
            Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1),
                               {ActiveRole, Qt::DisplayRole, Qt::ForegroundRole, Qt::FontRole});
    }
    Q_EMIT activeChanged();
}

void AlertLogModel::clear()
{
    WEIR_ASSERT_OBJECT_THREAD(this);
    QSet<qint64> keep;
    for (const qint64 seq : std::as_const(m_active))
        keep.insert(seq);
    beginResetModel();
    std::deque<Row> kept;
    for (const Row &row : m_rows) {
        if (keep.contains(row.seq))
            kept.push_back(row);
    }
    m_rows.swap(kept);
    endResetModel();
}

void AlertLogModel::setMaxRows(int rows)
{
    WEIR_ASSERT_OBJECT_THREAD(this);
    m_maxRows = std::max(1, rows);
    trim();
}

void AlertLogModel::trim()
{
    const int excess = int(m_rows.size()) - m_maxRows;
    if (excess <= 0)
        return;
    const int count = int(m_rows.size());
    beginRemoveRows({}, count - excess, count - 1);
    m_rows.erase(m_rows.begin(), m_rows.begin() + excess);
    endRemoveRows();
}

const AlertEvent &AlertLogModel::eventAt(int row) const
{
    return m_rows[m_rows.size() - 1 - size_t(row)].event;
}

QList<AlertEvent> AlertLogModel::activeAlerts(const QString &connectionId, const QByteArray &stream,
                                              const QByteArray &group) const
{
    QList<AlertEvent> found;
    for (const AlertEvent &e : m_activeEvents) {
        if (e.connectionId == connectionId && e.stream == stream
            && (group.isEmpty() || e.group == group))
            found.append(e);
    }
    std::sort(found.begin(), found.end(), [](const AlertEvent &a, const AlertEvent &b) {
        if (a.rule != b.rule)
            return a.rule < b.rule;
        if (a.group != b.group)
            return a.group < b.group;
        return a.consumer < b.consumer;
    });
    return found;
}

QList<AlertEvent> AlertLogModel::activeAlerts() const
{
    return m_activeEvents.values();
}

int AlertLogModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int AlertLogModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString AlertLogModel::cellText(const AlertEvent &e, int column, bool active) const
{
    switch (column) {
    case Time:
        return QDateTime::fromMSecsSinceEpoch(e.timeMs).toString(QStringLiteral("HH:mm:ss"));
    case Connection:
        return e.connectionName;
    case Stream:
        return displayKey(e.stream);
    case Where:
        if (!e.consumer.isEmpty())
            return displayKey(e.group) + QStringLiteral(" › ") + displayKey(e.consumer);
        return displayKey(e.group);
    case Rule:
        return alertRuleName(e.rule);
    case Value:
        return e.estimated ? tr("%1 (estimated)").arg(formatAlertValue(e.rule, e.value))
                           : formatAlertValue(e.rule, e.value);
    case Threshold:
        if (e.rule == AlertRule::DeadLetter)
            return tr("%1 new").arg(e.threshold);
        return formatAlertValue(e.rule, e.threshold);
    case State:
        if (e.state == AlertEvent::Cleared)
            return e.note.isEmpty() ? tr("Cleared") : tr("Cleared (%1)").arg(e.note);
        return active ? tr("Firing") : tr("Fired");
    }
    return {};
}

QVariant AlertLogModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const size_t at = m_rows.size() - 1 - size_t(index.row());
    const Row &row = m_rows[at];
    const AlertEvent &e = row.event;
    const bool active = e.state == AlertEvent::Fired && m_active.value(keyOf(e), -1) == row.seq;
    switch (role) {
    case Qt::DisplayRole:
        return cellText(e, index.column(), active);
    case Qt::ToolTipRole:
        return e.summary();
    case Qt::ForegroundRole:
        if (active)
            return QBrush(QColor(0xb4, 0x23, 0x18));
        if (e.state == AlertEvent::Cleared)
            return QBrush(QColor(0x2e, 0x7d, 0x32));
        return {};
    case Qt::FontRole:
        if (active) {
            QFont font;
            font.setBold(true);
            return font;
        }
        return {};
    case ActiveRole:
        return active;
    case FiredRole:
        return e.state == AlertEvent::Fired;
    case EstimatedRole:
        return e.estimated;
    }
    return {};
}

QVariant AlertLogModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Time:
        return tr("Time");
    case Connection:
        return tr("Connection");
    case Stream:
        return tr("Stream");
    case Where:
        return tr("Group › consumer");
    case Rule:
        return tr("Rule");
    case Value:
        return tr("Value");
    case Threshold:
        return tr("Threshold");
    case State:
        return tr("State");
    }
    return {};
}

AlertLogFilter::AlertLogFilter(QObject *parent)
    : QSortFilterProxyModel(parent)
{
    setDynamicSortFilter(true);
}

void AlertLogFilter::setActiveOnly(bool activeOnly)
{
    if (m_activeOnly == activeOnly)
        return;
    m_activeOnly = activeOnly;
    invalidateFilter();
}

bool AlertLogFilter::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    if (!m_activeOnly)
        return true;
    return sourceModel()
        ->index(sourceRow, 0, sourceParent)
        .data(AlertLogModel::ActiveRole)
        .toBool();
}
