#include "dashboardmodel.h"

#include "inspectorcells.h"
#include "keyformat.h"

#include <QColor>
#include <QFont>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <tuple>

namespace {

constexpr double Unknown = std::numeric_limits<double>::quiet_NaN();
constexpr double MinusInfinity = -std::numeric_limits<double>::infinity();
constexpr double BacklogTimeLagMs = 1000; // an undelivered entry this old is a backlog
constexpr double RelativeSlack = 0.25;

bool same(double a, double b)
{
    return a == b || (std::isnan(a) && std::isnan(b));
}

bool known(double v)
{
    return !std::isnan(v);
}

QString count(double v)
{
    return QString::number(qint64(std::llround(v)));
}

QString rate(double v)
{
    return QString::number(v, 'f', v < 10 ? 1 : 0);
}

const QList<int> &valueRoles()
{
    static const QList<int> roles{Qt::DisplayRole, Qt::ToolTipRole, DashboardModel::SortRole};
    return roles;
}

const QList<int> &lagRoles()
{
    static const QList<int> roles{Qt::DisplayRole, Qt::ToolTipRole, DashboardModel::SortRole,
                                  DashboardModel::EstimatedRole};
    return roles;
}

const QList<int> &sparklineRoles()
{
    static const QList<int> roles{DashboardModel::SparklineRole, Qt::ToolTipRole,
                                  DashboardModel::SortRole};
    return roles;
}

const QList<int> &alertRoles()
{
    static const QList<int> roles{Qt::DisplayRole, Qt::ToolTipRole, Qt::ForegroundRole,
                                  DashboardModel::AlertsRole, DashboardModel::SortRole};
    return roles;
}

} // namespace

DashboardModel::Values::Values()
    : lag(Unknown)
    , timeLagMs(Unknown)
    , pending(Unknown)
    , oldestPendingIdleMs(Unknown)
    , readPerSecond(Unknown)
    , consumers(Unknown)
    , drainSeconds(Unknown)
    , length(Unknown)
    , addedPerSecond(Unknown)
    , deadLetters(Unknown)
{}

void DashboardModel::Row::push(float lag)
{
    if (ring.empty())
        ring.resize(SparklinePoints);
    if (filled < SparklinePoints) {
        ring[size_t((head + filled) % SparklinePoints)] = lag;
        ++filled;
    } else {
        ring[size_t(head)] = lag;
        head = (head + 1) % SparklinePoints;
    }
}

DashboardModel::DashboardModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

DashboardModel::~DashboardModel() = default;

void DashboardModel::mapNumbers(const SeriesCatalog &catalog)
{
    const SeriesCatalogReader::News news = m_catalogReader.read(catalog);
    if (news.restart) {
        m_targets.clear();
        m_streamSlots.clear();
        m_groupSlots.clear();
        m_streamOf.clear();
        m_slotOf.clear();
        for (Row &row : m_rows)
            row.slot = -1;
    }
    auto groupSlot = [this](int stream, const QByteArray &group) {
        const RowKey key{m_streamSlots[size_t(stream)].name, group};
        int slot = m_slotOf.value(key, -1);
        if (slot < 0) {
            slot = int(m_groupSlots.size());
            m_groupSlots.push_back(GroupSlot{group, stream, false, false, {}});
            m_slotOf.insert(key, slot);
        }
        return slot;
    };
    m_targets.resize(size_t(catalog.size()));
    for (int id = news.from; id < catalog.size(); ++id) {
        const SeriesKey &key = catalog.key(id);
        if (!key.consumer.isEmpty())
            continue;
        Target &t = m_targets[size_t(id)];
        t.metric = key.metric;
        t.stream = m_streamOf.value(key.stream, -1);
        if (t.stream < 0) {
            t.stream = int(m_streamSlots.size());
            m_streamSlots.push_back(StreamSlot{key.stream});
            m_streamOf.insert(key.stream, t.stream);
            m_streamSlots.back().ownRow = groupSlot(t.stream, {});
        }
        if (!key.group.isEmpty())
            t.group = groupSlot(t.stream, key.group);
    }
}

void DashboardModel::update(const MonitorFigures &figures)
{
    ++m_ticks;
    if (!figures.ok) {
        ++m_failedTicks;
        m_lastError = figures.error;
        m_lastErrorMs = figures.timeMs;
        m_lastTickFailed = true;
        for (Row &row : m_rows)
            row.push(float(Unknown));
        if (!m_rows.empty())
            Q_EMIT dataChanged(index(0, Sparkline), index(rowCount() - 1, Sparkline),
                               sparklineRoles());
        Q_EMIT ticked();
        return;
    }
    m_lastTickFailed = false;
    m_lastTickMs = figures.timeMs;
    m_streamsLeftOut = figures.streamsLeftOut;

    mapNumbers(figures.values.catalog());

    // The tick's figures, scattered by number onto the streams and groups seen so far.
    for (StreamSlot &s : m_streamSlots) {
        s.present = false;
        s.length = s.addedPerSecond = s.deadLetters = Unknown;
        s.groupsPresent = 0;
    }
    for (GroupSlot &g : m_groupSlots) {
        g.present = false;
        g.values = Values();
    }
    const SeriesFigures &values = figures.values;
    for (int id = 0; id < values.idCount(); ++id) {
        const Target &t = m_targets[size_t(id)];
        if (t.stream < 0 || !values.has(id))
            continue;
        const double v = values.at(id);
        StreamSlot &s = m_streamSlots[size_t(t.stream)];
        s.present = true;
        if (t.group < 0) {
            switch (t.metric) {
            case Metric::Length:
                s.length = v;
                break;
            case Metric::AddedPerSecond:
                s.addedPerSecond = v;
                break;
            case Metric::DeadLetters:
                s.deadLetters = v;
                break;
            default:
                break;
            }
            continue;
        }
        GroupSlot &gs = m_groupSlots[size_t(t.group)];
        if (!gs.present) {
            gs.present = true;
            ++s.groupsPresent;
        }
        Values &g = gs.values;
        switch (t.metric) {
        case Metric::Lag:
            g.lag = v;
            g.lagEstimated = values.estimatedAt(id);
            break;
        case Metric::TimeLagMs:
            g.timeLagMs = v;
            break;
        case Metric::Pending:
            g.pending = v;
            break;
        case Metric::ReadPerSecond:
            g.readPerSecond = v;
            break;
        case Metric::Consumers:
            g.consumers = v;
            break;
        case Metric::OldestPendingIdleMs:
            g.oldestPendingIdleMs = v;
            break;
        case Metric::DrainSeconds:
            g.drainSeconds = v;
            break;
        default:
            break;
        }
    }
    m_streamCount = 0;
    m_groupCount = 0;
    for (StreamSlot &s : m_streamSlots) {
        if (!s.present)
            continue;
        ++m_streamCount;
        m_groupCount += s.groupsPresent;
        // A stream without groups has a row of its own.
        if (s.groupsPresent == 0)
            m_groupSlots[size_t(s.ownRow)].present = true;
    }
    for (GroupSlot &g : m_groupSlots) {
        if (!g.present)
            continue;
        const StreamSlot &s = m_streamSlots[size_t(g.stream)];
        g.values.length = s.length;
        g.values.addedPerSecond = s.addedPerSecond;
        g.values.deadLetters = s.deadLetters;
    }

    // Gone rows first, then the rest in place, then the new ones at the end.
    std::vector<bool> keep(m_rows.size());
    for (size_t i = 0; i < m_rows.size(); ++i) {
        Row &row = m_rows[i];
        if (row.slot < 0) {
            row.slot = m_slotOf.value(RowKey{row.stream, row.group}, -1);
            if (row.slot >= 0)
                m_groupSlots[size_t(row.slot)].hasRow = true;
        }
        keep[i] = row.slot >= 0 && m_groupSlots[size_t(row.slot)].present;
        if (!keep[i] && row.slot >= 0)
            m_groupSlots[size_t(row.slot)].hasRow = false;
    }
    removeRows(keep);

    std::vector<quint32> changed(m_rows.size());
    for (size_t i = 0; i < m_rows.size(); ++i) {
        Row &row = m_rows[i];
        const Values &now = m_groupSlots[size_t(row.slot)].values;
        changed[i] = changedColumns(row.values, now);
        row.values = now;
        row.push(float(row.values.lag));
    }
    emitColumnRuns(changed);
    if (!m_rows.empty())
        Q_EMIT dataChanged(index(0, Sparkline), index(rowCount() - 1, Sparkline), sparklineRoles());

    std::vector<int> added;
    for (size_t i = 0; i < m_groupSlots.size(); ++i) {
        if (m_groupSlots[i].present && !m_groupSlots[i].hasRow)
            added.push_back(int(i));
    }
    if (!added.empty()) {
        auto nameOf = [this](int slot) -> std::pair<const QByteArray &, const QByteArray &> {
            const GroupSlot &g = m_groupSlots[size_t(slot)];
            return {m_streamSlots[size_t(g.stream)].name, g.name};
        };
        std::sort(added.begin(), added.end(),
                  [&nameOf](int a, int b) { return nameOf(a) < nameOf(b); });
        const int first = rowCount();
        beginInsertRows({}, first, first + int(added.size()) - 1);
        m_rows.reserve(m_rows.size() + added.size());
        for (const int slot : added) {
            GroupSlot &g = m_groupSlots[size_t(slot)];
            g.hasRow = true;
            Row row;
            row.stream = m_streamSlots[size_t(g.stream)].name;
            row.group = g.name;
            row.slot = slot;
            row.values = g.values;
            row.push(float(row.values.lag));
            m_index.insert(RowKey{row.stream, row.group}, int(m_rows.size()));
            m_rows.push_back(std::move(row));
            recountAlerts(int(m_rows.size()) - 1);
        }
        endInsertRows();
        Q_EMIT rowsAppeared();
    }
    Q_EMIT ticked();
}

quint32 DashboardModel::changedColumns(const Values &a, const Values &b) const
{
    quint32 bits = 0;
    auto mark = [&bits](bool differs, Column column) {
        if (differs)
            bits |= 1u << column;
    };
    mark(!same(a.length, b.length), Stream); // in its tooltip
    mark(!same(a.lag, b.lag) || a.lagEstimated != b.lagEstimated, Lag);
    mark(!same(a.timeLagMs, b.timeLagMs), TimeLag);
    mark(!same(a.pending, b.pending) || !same(a.oldestPendingIdleMs, b.oldestPendingIdleMs),
         Pending);
    mark(!same(a.addedPerSecond, b.addedPerSecond), AddedPerSecond);
    mark(!same(a.readPerSecond, b.readPerSecond), ReadPerSecond);
    mark(!same(a.drainSeconds, b.drainSeconds), TimeToDrain);
    mark(!same(a.deadLetters, b.deadLetters), DeadLetters);
    mark(!same(a.consumers, b.consumers), Consumers);
    return bits;
}

// One dataChanged per column for each run of consecutive rows whose cell changed.
void DashboardModel::emitColumnRuns(const std::vector<quint32> &changed)
{
    static const QList<int> streamRoles{Qt::ToolTipRole};
    const int rows = int(changed.size());
    for (int column = Stream; column < Sparkline; ++column) {
        const quint32 bit = 1u << column;
        const QList<int> &roles = column == Stream ? streamRoles
                                  : column == Lag  ? lagRoles()
                                                   : valueRoles();
        for (int row = 0; row < rows;) {
            if (!(changed[size_t(row)] & bit)) {
                ++row;
                continue;
            }
            const int first = row;
            while (row < rows && (changed[size_t(row)] & bit))
                ++row;
            Q_EMIT dataChanged(index(first, column), index(row - 1, column), roles);
        }
    }
}

bool DashboardModel::removeRows(const std::vector<bool> &keep)
{
    bool removed = false;
    for (int i = int(keep.size()) - 1; i >= 0;) {
        if (keep[size_t(i)]) {
            --i;
            continue;
        }
        const int last = i;
        while (i >= 0 && !keep[size_t(i)])
            --i;
        const int first = i + 1;
        beginRemoveRows({}, first, last);
        m_rows.erase(m_rows.begin() + first, m_rows.begin() + last + 1);
        endRemoveRows();
        removed = true;
    }
    if (removed)
        reindex();
    return removed;
}

void DashboardModel::reindex()
{
    m_index.clear();
    m_index.reserve(qsizetype(m_rows.size()));
    for (size_t i = 0; i < m_rows.size(); ++i)
        m_index.insert(RowKey{m_rows[i].stream, m_rows[i].group}, int(i));
}

void DashboardModel::setActiveAlerts(const QByteArray &stream, const QByteArray &group,
                                     const QStringList &descriptions)
{
    const RowKey key{stream, group};
    const auto it = m_alerts.constFind(key);
    if (it == m_alerts.constEnd() ? descriptions.isEmpty() : *it == descriptions)
        return;
    if (descriptions.isEmpty())
        m_alerts.remove(key);
    else
        m_alerts.insert(key, descriptions);
    for (int row = 0; row < rowCount(); ++row) {
        const Row &r = m_rows[size_t(row)];
        if (r.stream != stream || (!group.isEmpty() && r.group != group))
            continue;
        recountAlerts(row);
        Q_EMIT dataChanged(index(row, Alerts), index(row, Alerts), alertRoles());
    }
    Q_EMIT alertsChanged();
}

void DashboardModel::replaceActiveAlerts(
    const QHash<QPair<QByteArray, QByteArray>, QStringList> &alerts)
{
    QHash<RowKey, QStringList> next;
    next.reserve(alerts.size());
    for (auto it = alerts.cbegin(); it != alerts.cend(); ++it) {
        if (!it->isEmpty())
            next.insert(RowKey{it.key().first, it.key().second}, *it);
    }
    if (next == m_alerts)
        return;
    std::vector<QStringList> before(m_rows.size());
    for (size_t row = 0; row < m_rows.size(); ++row) {
        if (m_rows[row].alerts > 0)
            before[row] = activeAlerts(int(row));
    }
    m_alerts = std::move(next);
    for (int row = 0; row < rowCount(); ++row) {
        recountAlerts(row);
        if (activeAlerts(row) != before[size_t(row)])
            Q_EMIT dataChanged(index(row, Alerts), index(row, Alerts), alertRoles());
    }
    Q_EMIT alertsChanged();
}

void DashboardModel::clearActiveAlerts()
{
    replaceActiveAlerts({});
}

QStringList DashboardModel::activeAlerts(int row) const
{
    const Row &r = m_rows[size_t(row)];
    QStringList alerts = m_alerts.value(RowKey{r.stream, r.group});
    if (!r.group.isEmpty())
        alerts += m_alerts.value(RowKey{r.stream, {}});
    return alerts;
}

void DashboardModel::recountAlerts(int row)
{
    m_rows[size_t(row)].alerts = m_alerts.isEmpty() ? 0 : int(activeAlerts(row).size());
}

int DashboardModel::rowOf(const QByteArray &stream, const QByteArray &group) const
{
    return m_index.value(RowKey{stream, group}, -1);
}

int DashboardModel::tier(const Row &row) const
{
    if (row.alerts > 0)
        return 3;
    if (row.group.isEmpty())
        return 0;
    const Values &v = row.values;
    const bool waiting = known(v.timeLagMs) ? v.timeLagMs >= BacklogTimeLagMs : v.lag > 0;
    if (waiting && std::isinf(v.drainSeconds) && v.drainSeconds > 0)
        return 2;
    return waiting ? 1 : 0;
}

DashboardModel::SeverityKey DashboardModel::severityKey(int row) const
{
    const Row &r = m_rows[size_t(row)];
    const Values &v = r.values;
    auto orMinus = [](double x) { return std::isnan(x) ? MinusInfinity : x; };
    return {double(tier(r)),         double(r.alerts), orMinus(v.timeLagMs),
            orMinus(v.drainSeconds), orMinus(v.lag),   orMinus(v.pending)};
}

int DashboardModel::compareSeverity(int a, int b, bool withSlack) const
{
    // The absolute difference that never counts, per figure of the key (none for the tier
    // and the alert count).
    static constexpr SeverityKey Slack{0, 0, 1000, 1, 10, 10};
    const SeverityKey ka = severityKey(a);
    const SeverityKey kb = severityKey(b);
    for (size_t i = 0; i < ka.size(); ++i) {
        const double x = ka[i];
        const double y = kb[i];
        if (x == y)
            continue;
        if (withSlack && Slack[i] > 0 && !std::isinf(x) && !std::isinf(y)) {
            // The exact order was decided by this figure; alike, either way is fine. Going
            // on to the next figure would contradict it: two groups 5 ms apart in time lag
            // but 25 and 50 in lag were "out of order" after every sort, and 30,000 rows
            // were sorted again every 2 s.
            const double diff = std::abs(x - y);
            if (diff <= Slack[i] || diff <= RelativeSlack * std::max(std::abs(x), std::abs(y)))
                return 0;
        }
        return x < y ? -1 : 1;
    }
    return 0;
}

QList<double> DashboardModel::sparkline(int row) const
{
    const Row &r = m_rows[size_t(row)];
    QList<double> points;
    points.reserve(r.filled);
    for (int i = 0; i < r.filled; ++i)
        points.append(double(r.ring[size_t((r.head + i) % SparklinePoints)]));
    return points;
}

double DashboardModel::sortValue(int row, int column) const
{
    const Row &r = m_rows[size_t(row)];
    const Values &v = r.values;
    double value = Unknown;
    switch (column) {
    case Alerts:
        return r.alerts;
    case Lag:
        value = v.lag;
        break;
    case TimeLag:
        value = v.timeLagMs;
        break;
    case Pending:
        value = v.pending;
        break;
    case AddedPerSecond:
        value = v.addedPerSecond;
        break;
    case ReadPerSecond:
        value = v.readPerSecond;
        break;
    case TimeToDrain:
        value = v.drainSeconds;
        break;
    case DeadLetters:
        value = v.deadLetters;
        break;
    case Consumers:
        value = v.consumers;
        break;
    case Sparkline: {
        // The change of the lag over the sparkline: first and last known points.
        double first = Unknown;
        double last = Unknown;
        for (int i = 0; i < r.filled; ++i) {
            const double p = r.ring[size_t((r.head + i) % SparklinePoints)];
            if (!known(p))
                continue;
            if (!known(first))
                first = p;
            last = p;
        }
        value = last - first;
        break;
    }
    default:
        break;
    }
    return known(value) ? value : MinusInfinity;
}

QModelIndex DashboardModel::index(int row, int column, const QModelIndex &parent) const
{
    if (parent.isValid() || row < 0 || row >= int(m_rows.size()) || column < 0
        || column >= ColumnCount)
        return {};
    return createIndex(row, column);
}

int DashboardModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int DashboardModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString DashboardModel::displayValue(int rowIndex, int column) const
{
    const Row &row = m_rows[size_t(rowIndex)];
    const Values &v = row.values;
    const bool isGroup = !row.group.isEmpty();
    QString unknown = QStringLiteral("—");
    switch (column) {
    case Stream:
        return displayKey(row.stream);
    case Group:
        return isGroup ? displayKey(row.group) : tr("(no groups)");
    case Alerts:
        return activeAlerts(rowIndex).join(QLatin1String("; "));
    case AddedPerSecond:
        return known(v.addedPerSecond) ? rate(v.addedPerSecond) : unknown;
    case DeadLetters:
        return known(v.deadLetters) ? count(v.deadLetters) : unknown;
    default:
        break;
    }
    if (!isGroup)
        return {}; // a group's figure on a stream without groups
    switch (column) {
    case Lag:
        if (!known(v.lag))
            return unknown;
        return v.lagEstimated ? QStringLiteral("≈ %1").arg(count(v.lag)) : count(v.lag);
    case TimeLag:
        return known(v.timeLagMs) ? formatDurationMs(qint64(v.timeLagMs)) : unknown;
    case Pending:
        return known(v.pending) ? count(v.pending) : unknown;
    case ReadPerSecond:
        return known(v.readPerSecond) ? rate(v.readPerSecond) : unknown;
    case TimeToDrain:
        if (!known(v.drainSeconds))
            return unknown;
        if (std::isinf(v.drainSeconds))
            return tr("never");
        return formatDurationMs(qint64(v.drainSeconds * 1000));
    case Consumers:
        return known(v.consumers) ? count(v.consumers) : unknown;
    default:
        return {};
    }
}

QString DashboardModel::toolTip(int rowIndex, int column) const
{
    const Row &row = m_rows[size_t(rowIndex)];
    const Values &v = row.values;
    const bool isGroup = !row.group.isEmpty();
    switch (column) {
    case Stream:
        return known(v.length) ? tr("%1: %2 entries").arg(displayKey(row.stream), count(v.length))
                               : displayKey(row.stream);
    case Group:
        return isGroup ? displayKey(row.group) : tr("This stream has no consumer groups.");
    case Alerts:
        return activeAlerts(rowIndex).join(QLatin1Char('\n'));
    case Lag:
        if (!isGroup)
            return {};
        if (v.lagEstimated)
            return tr("Redis reports no lag for this group; Weir estimated it by counting the "
                      "entries after its last-delivered id.");
        return tr("Entries not yet delivered to this group.");
    case TimeLag:
        return isGroup ? tr("Age of the oldest entry not yet delivered to this group.") : QString();
    case Pending:
        if (!isGroup)
            return {};
        if (known(v.oldestPendingIdleMs) && v.pending > 0)
            return tr("Delivered but not acknowledged; the oldest pending entry has been idle "
                      "for %1.")
                .arg(formatDurationMs(qint64(v.oldestPendingIdleMs)));
        return tr("Delivered but not acknowledged.");
    case TimeToDrain:
        if (!isGroup)
            return {};
        if (std::isinf(v.drainSeconds))
            return tr("The lag grows: at the current rates this group never catches up.");
        if (!known(v.drainSeconds))
            return tr("Not known yet: rates need two samples.");
        return tr("The lag divided by the rate at which the group gains on the stream.");
    case DeadLetters:
        return known(v.deadLetters) ? tr("Entries in this stream's dead-letter stream.")
                                    : tr("No dead-letter stream is known for this stream.");
    case Sparkline: {
        const QList<double> points = sparkline(rowIndex);
        double lo = Unknown;
        double hi = Unknown;
        for (double p : points) {
            if (!known(p))
                continue;
            lo = known(lo) ? std::min(lo, p) : p;
            hi = known(hi) ? std::max(hi, p) : p;
        }
        if (!known(lo))
            return isGroup ? tr("No lag measured yet.") : tr("A stream without groups has no lag.");
        return tr("Lag over the last %n ticks: from %1 to %2", nullptr, int(points.size()))
            .arg(count(lo), count(hi));
    }
    default:
        return {};
    }
}

QVariant DashboardModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const Row &row = m_rows[size_t(index.row())];
    const int column = index.column();
    switch (role) {
    case StreamRole:
        return row.stream;
    case GroupRole:
        return row.group;
    case Qt::DisplayRole:
        if (column == Sparkline)
            return {};
        return displayValue(index.row(), column);
    case Qt::ToolTipRole:
        return toolTip(index.row(), column);
    case SortRole:
        if (column == Stream || column == Group)
            return column == Stream ? row.stream : row.group;
        return sortValue(index.row(), column);
    case EstimatedRole:
        if (column == Lag)
            return row.values.lagEstimated;
        break;
    case SparklineRole:
        if (column == Sparkline)
            return QVariant::fromValue(sparkline(index.row()));
        break;
    case AlertsRole:
        if (column == Alerts)
            return activeAlerts(index.row());
        break;
    case Qt::ForegroundRole:
        if (column == Alerts && row.alerts > 0)
            return QColor(0xc0, 0x39, 0x2b);
        break;
    case Qt::FontRole:
        if (column == Group && row.group.isEmpty()) {
            QFont italic;
            italic.setItalic(true);
            return italic;
        }
        break;
    case Qt::TextAlignmentRole:
        if (column >= Lag && column < Sparkline)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        break;
    default:
        break;
    }
    return {};
}

QVariant DashboardModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return {};
    if (role == Qt::DisplayRole) {
        switch (section) {
        case Stream:
            return tr("Stream");
        case Group:
            return tr("Group");
        case Alerts:
            return tr("Alerts");
        case Lag:
            return tr("Lag");
        case TimeLag:
            return tr("Time lag");
        case Pending:
            return tr("Pending");
        case AddedPerSecond:
            return tr("Added/s");
        case ReadPerSecond:
            return tr("Read/s");
        case TimeToDrain:
            return tr("Time to drain");
        case DeadLetters:
            return tr("Dead letters");
        case Consumers:
            return tr("Consumers");
        case Sparkline:
            return tr("Recent lag");
        }
    }
    if (role == Qt::ToolTipRole) {
        switch (section) {
        case Alerts:
            return tr("Active alerts. Sorted descending, this column puts the worst first: "
                      "rows with alerts, then groups whose lag grows, then those with a "
                      "backlog, by time to drain, time lag and lag.");
        case Lag:
            return tr("Entries not yet delivered to the group; ≈ marks an estimate (Redis "
                      "reported none).");
        case TimeLag:
            return tr("Age of the oldest entry not yet delivered to the group.");
        case Pending:
            return tr("Entries delivered to the group's consumers but not acknowledged.");
        case AddedPerSecond:
            return tr("Entries added to the stream per second.");
        case ReadPerSecond:
            return tr("Entries the group read per second.");
        case TimeToDrain:
            return tr("The lag divided by the net consume rate; never when the lag grows.");
        case DeadLetters:
            return tr("Entries in the stream's dead-letter stream.");
        case Sparkline:
            return tr("The lag over the last %1 ticks. Sorted by how much it changed.")
                .arg(SparklinePoints);
        default:
            break;
        }
    }
    return {};
}

// --- DashboardSortProxy ---

DashboardSortProxy::DashboardSortProxy(QObject *parent)
    : QSortFilterProxyModel(parent)
{
    setDynamicSortFilter(false);
    setSortRole(DashboardModel::SortRole);
    m_resortTimer.setSingleShot(true);
    connect(&m_resortTimer, &QTimer::timeout, this, &DashboardSortProxy::resortNow);
    m_sinceSort.start();
}

void DashboardSortProxy::setSourceModel(QAbstractItemModel *source)
{
    if (sourceModel())
        sourceModel()->disconnect(this);
    m_dashboard = qobject_cast<DashboardModel *>(source);
    m_nameRanks = {};
    const int column = sortColumn() >= 0 ? sortColumn() : int(DashboardModel::Alerts);
    const Qt::SortOrder order = sortColumn() >= 0 ? sortOrder() : Qt::DescendingOrder;
    QSortFilterProxyModel::setSourceModel(source);
    m_resortTimer.stop();
    if (!m_dashboard)
        return;
    sort(column, order);
    // Rows that come or go change the names' ranks.
    for (const auto signal : {&QAbstractItemModel::rowsInserted, &QAbstractItemModel::rowsRemoved})
        connect(m_dashboard, signal, this, [this] { m_nameRanks = {}; });
    connect(m_dashboard, &QAbstractItemModel::modelReset, this, [this] { m_nameRanks = {}; });
    connect(m_dashboard, &DashboardModel::ticked, this, &DashboardSortProxy::scheduleResort);
    connect(m_dashboard, &DashboardModel::alertsChanged, this, &DashboardSortProxy::scheduleResort);
    // New rows arrive at the end: placed at once.
    connect(m_dashboard, &DashboardModel::rowsAppeared, this,
            [this] { sort(sortColumn(), sortOrder()); });
}

void DashboardSortProxy::setFilterText(const QString &text)
{
    if (text == m_filter)
        return;
    m_filter = text;
    invalidateFilter();
    if (sortColumn() >= 0)
        sort(sortColumn(), sortOrder()); // rows shown again come back unsorted
}

void DashboardSortProxy::sort(int column, Qt::SortOrder order)
{
    // QSortFilterProxyModel compares rows about n log n times: what decides is taken once.
    if (m_dashboard && column >= 0)
        takeSortKeys(column);
    QSortFilterProxyModel::sort(column, order);
    m_sortKeys.clear();
    m_sinceSort.restart();
    m_resortTimer.stop();
    ++m_sorts;
}

void DashboardSortProxy::resortNow()
{
    m_resortTimer.stop();
    if (sortColumn() >= 0 && !inOrder())
        sort(sortColumn(), sortOrder());
}

void DashboardSortProxy::scheduleResort()
{
    if (sortColumn() < 0 || m_resortTimer.isActive())
        return;
    const qint64 since = m_sinceSort.elapsed();
    if (since >= m_resortIntervalMs)
        resortNow();
    else
        m_resortTimer.start(int(m_resortIntervalMs - since));
}

bool DashboardSortProxy::inOrder() const
{
    if (!m_dashboard)
        return true;
    const int rows = rowCount();
    const int column = sortColumn();
    const bool descending = sortOrder() == Qt::DescendingOrder;
    int previous = rows > 0 ? mapToSource(index(0, 0)).row() : -1;
    for (int i = 1; i < rows; ++i) {
        const int current = mapToSource(index(i, 0)).row();
        if (descending ? outOfOrder(current, previous, column)
                       : outOfOrder(previous, current, column))
            return false;
        previous = current;
    }
    return true;
}

// Whether `a`, placed before `b`, should come after it by more than the slack: the
// column's values compare exactly, the worst order's figures with slack, names not at all.
bool DashboardSortProxy::outOfOrder(int a, int b, int column) const
{
    const DashboardModel &m = *m_dashboard;
    if (column == DashboardModel::Stream || column == DashboardModel::Group)
        return less(b, a, column);
    const double va = m.sortValue(a, column);
    const double vb = m.sortValue(b, column);
    if (va != vb)
        return vb < va;
    return m.compareSeverity(b, a, true) < 0;
}

namespace {
// The names' order: case-insensitive, then exact (a stream and group are unique); the
// stream's first unless `groupFirst`.
bool namesLess(const DashboardModel &m, int x, int y, bool groupFirst)
{
    const QByteArray &fx = groupFirst ? m.group(x) : m.stream(x);
    const QByteArray &fy = groupFirst ? m.group(y) : m.stream(y);
    const QByteArray &sx = groupFirst ? m.stream(x) : m.group(x);
    const QByteArray &sy = groupFirst ? m.stream(y) : m.group(y);
    if (const int c = fx.compare(fy, Qt::CaseInsensitive); c != 0)
        return c < 0;
    if (const int c = sx.compare(sy, Qt::CaseInsensitive); c != 0)
        return c < 0;
    return std::tie(fx, sx) < std::tie(fy, sy);
}
} // namespace

void DashboardSortProxy::takeSortKeys(int column)
{
    const DashboardModel &m = *m_dashboard;
    const int rows = m.rowCount();
    m_sortKeys.resize(size_t(rows));
    const bool groupFirst = column == DashboardModel::Group;
    std::vector<int> &ranks = m_nameRanks[groupFirst ? 1 : 0];
    if (int(ranks.size()) != rows) {
        std::vector<int> byName(static_cast<size_t>(rows));
        std::iota(byName.begin(), byName.end(), 0);
        std::sort(byName.begin(), byName.end(),
                  [&m, groupFirst](int x, int y) { return namesLess(m, x, y, groupFirst); });
        ranks.resize(size_t(rows));
        for (int rank = 0; rank < rows; ++rank)
            ranks[size_t(byName[size_t(rank)])] = rank;
    }
    for (int row = 0; row < rows; ++row) {
        SortKey &k = m_sortKeys[size_t(row)];
        k.value = m.sortValue(row, column);
        k.severity = m.severityKey(row);
        k.nameRank = ranks[size_t(row)];
    }
}

bool DashboardSortProxy::lessThan(const QModelIndex &left, const QModelIndex &right) const
{
    if (!m_dashboard)
        return QSortFilterProxyModel::lessThan(left, right);
    return less(left.row(), right.row(), left.column());
}

bool DashboardSortProxy::less(int a, int b, int column) const
{
    // In sort(), the keys taken for it; else (QSortFilterProxyModel placing a row on its
    // own) the two rows' figures.
    const DashboardModel &m = *m_dashboard;
    const bool taken = !m_sortKeys.empty();
    auto keyOf = [&](int row) {
        return taken ? m_sortKeys[size_t(row)]
                     : SortKey{m.sortValue(row, column), m.severityKey(row), -1};
    };
    auto namesFirst = [&](int x, int y, bool groupFirst) {
        return taken ? m_sortKeys[size_t(x)].nameRank < m_sortKeys[size_t(y)].nameRank
                     : namesLess(m, x, y, groupFirst);
    };
    if (column == DashboardModel::Stream || column == DashboardModel::Group)
        return namesFirst(a, b, column == DashboardModel::Group);
    const SortKey ka = keyOf(a);
    const SortKey kb = keyOf(b);
    if (ka.value != kb.value)
        return ka.value < kb.value;
    if (ka.severity != kb.severity)
        return ka.severity < kb.severity;
    // Ties read by name, A to Z, whichever way the column is sorted.
    return sortOrder() == Qt::DescendingOrder ? namesFirst(b, a, false) : namesFirst(a, b, false);
}

bool DashboardSortProxy::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    if (m_filter.isEmpty() || !m_dashboard || sourceParent.isValid())
        return true;
    return displayKey(m_dashboard->stream(sourceRow)).contains(m_filter, Qt::CaseInsensitive)
           || displayKey(m_dashboard->group(sourceRow)).contains(m_filter, Qt::CaseInsensitive);
}
