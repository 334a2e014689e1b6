#include "entrylistmodel.h"

#include "keyformat.h"

namespace {
constexpr int ValuePreviewBytes = 200;
constexpr int SummaryChars = 400;
} // namespace

EntryListModel::EntryListModel(QObject *parent)
    : QAbstractTableModel(parent)
{
    connect(&m_tailTimer, &QTimer::timeout, this, &EntryListModel::tail);
}

EntryListModel::~EntryListModel() = default;

void EntryListModel::setStream(RedisConnection *connection, const QByteArray &key)
{
    m_connection = connection;
    m_key = key;
    jumpToNewest();
}

void EntryListModel::setNewestFirst(bool newestFirst)
{
    if (m_newestFirst == newestFirst)
        return;
    m_newestFirst = newestFirst;
    jumpToNewest();
}

void EntryListModel::jumpToNewest()
{
    read("+", true, m_newestFirst ? Edge::Bottom : Edge::Top, true, true);
}

void EntryListModel::jumpToOldest()
{
    read("-", false, m_newestFirst ? Edge::Top : Edge::Bottom, true, true);
}

void EntryListModel::jumpToId(StreamId id)
{
    read(id.toByteArray(), m_newestFirst, Edge::Bottom, true, false);
}

void EntryListModel::jumpToTime(const QDateTime &time)
{
    const auto ms = quint64(qMax<qint64>(0, time.toMSecsSinceEpoch()));
    jumpToId(m_newestFirst ? StreamId::lastOf(ms) : StreamId{ms, 0});
}

void EntryListModel::setLiveTail(bool on, int intervalMs)
{
    if (on)
        m_tailTimer.start(intervalMs);
    else
        m_tailTimer.stop();
}

bool EntryListModel::canFetchMore(const QModelIndex &parent) const
{
    return !parent.isValid() && m_connection && !m_rows.empty() && !m_bottomReached && !isLoading();
}

void EntryListModel::fetchMore(const QModelIndex &parent)
{
    if (canFetchMore(parent))
        readBeyond(Edge::Bottom);
}

void EntryListModel::fetchUpward()
{
    if (m_connection && !m_rows.empty() && canFetchUpward())
        readBeyond(Edge::Top);
}

void EntryListModel::readBeyond(Edge edge)
{
    const StreamId last = edge == Edge::Top ? m_rows.front().id : m_rows.back().id;
    const bool older = edgeIsOlder(edge);
    const std::optional<StreamId> start = older ? last.previous() : last.next();
    if (!start) { // 0-0 or the highest id: nothing can lie beyond
        (edge == Edge::Top ? m_topReached : m_bottomReached) = true;
        return;
    }
    read(start->toByteArray(), older, edge, false, false);
}

void EntryListModel::read(const QByteArray &start, bool older, Edge edge, bool replace,
                          bool anchorIsEnd)
{
    if (!m_connection)
        return;
    if (replace) {
        m_replies.reset(); // a jump: whatever was on its way belongs to the old window
        m_jumpedTo.reset();
        m_loadingUp = m_loadingDown = true;
        m_tailRead = m_tailBehind = false;
    } else {
        (edge == Edge::Top ? m_loadingUp : m_loadingDown) = true;
    }
    const RedisCommand command =
        older ? RedisCommand{{"XREVRANGE", m_key, start, "-", "COUNT",
                              QByteArray::number(m_pageSize)},
                             m_key}
              : RedisCommand{{"XRANGE", m_key, start, "+", "COUNT", QByteArray::number(m_pageSize)},
                             m_key};
    m_replies.send(m_connection, {command},
                   [this, edge, replace, anchorIsEnd](const RedisResult &r) {
        QString error = r.error;
        auto entries = r.ok() ? parseEntries(r.replies.first(), &error) : std::nullopt;
        if (!entries) {
            if (replace)
                m_loadingUp = m_loadingDown = false;
            else
                (edge == Edge::Top ? m_loadingUp : m_loadingDown) = false;
            m_tailRead = false;
            Q_EMIT errorOccurred(error);
            Q_EMIT loaded();
            return;
        }
        onPage(std::move(*entries), edge, replace, anchorIsEnd);
    });
}

// The window's state is brought up to date before the rows are announced, and the edge
// stays "loading" until they are in: views (and model testers) ask for more while the
// insertion signals are being delivered.
void EntryListModel::onPage(QList<StreamEntry> entries, Edge edge, bool replace, bool anchorIsEnd)
{
    const bool full = entries.size() >= m_pageSize;
    // A jump reads away from where it lands, so its first entry read is the one landed on,
    // whichever edge of the window that ends up at.
    if (replace)
        m_jumpedTo = entries.isEmpty() ? std::nullopt : std::optional(entries.first().id);
    // Pages come in the order they were read, away from the window; at the top that is
    // the reverse of display order.
    if (edge == Edge::Top)
        std::reverse(entries.begin(), entries.end());
    if (m_tailRead && !replace)
        m_tailBehind = full; // more new entries than a page: the next tick reads on
    m_tailRead = false;
    (edge == Edge::Top ? m_topReached : m_bottomReached) = !full;
    if (replace) {
        (edge == Edge::Top ? m_bottomReached : m_topReached) = anchorIsEnd;
        beginResetModel();
        m_rows.assign(std::make_move_iterator(entries.begin()),
                      std::make_move_iterator(entries.end()));
        endResetModel();
        m_loadingUp = m_loadingDown = false;
    } else {
        insertAt(edge, std::move(entries));
        evict(edge);
        (edge == Edge::Top ? m_loadingUp : m_loadingDown) = false;
    }
    Q_EMIT loaded();
}

void EntryListModel::insertAt(Edge edge, QList<StreamEntry> rows)
{
    if (rows.isEmpty())
        return;
    const int count = int(rows.size());
    if (edge == Edge::Top) {
        beginInsertRows({}, 0, count - 1);
        m_rows.insert(m_rows.begin(), std::make_move_iterator(rows.begin()),
                      std::make_move_iterator(rows.end()));
    } else {
        const int first = rowCount();
        beginInsertRows({}, first, first + count - 1);
        m_rows.insert(m_rows.end(), std::make_move_iterator(rows.begin()),
                      std::make_move_iterator(rows.end()));
    }
    endInsertRows();
}

// Keeps the window within its limit by dropping rows on the side away from `keep`.
void EntryListModel::evict(Edge keep)
{
    const int excess = rowCount() - m_windowLimit;
    if (excess <= 0)
        return;
    if (keep == Edge::Top) {
        const int first = rowCount() - excess;
        beginRemoveRows({}, first, rowCount() - 1);
        m_rows.erase(m_rows.end() - excess, m_rows.end());
        endRemoveRows();
        m_bottomReached = false;
    } else {
        beginRemoveRows({}, 0, excess - 1);
        m_rows.erase(m_rows.begin(), m_rows.begin() + excess);
        endRemoveRows();
        m_topReached = false;
    }
}

void EntryListModel::tail()
{
    if (!m_connection || m_connection->state() != ConnectionState::Connected || isLoading())
        return;
    if (m_rows.empty()) {
        jumpToNewest(); // an empty (or not yet existing) stream: look again
        return;
    }
    if (!showsNewest() && !m_tailBehind)
        return; // the user is looking at older entries: leave the window alone
    const Edge newest = m_newestFirst ? Edge::Top : Edge::Bottom;
    const StreamId last = newest == Edge::Top ? m_rows.front().id : m_rows.back().id;
    const std::optional<StreamId> start = last.next();
    if (!start)
        return;
    m_tailRead = true;
    read(start->toByteArray(), false, newest, false, false);
}

int EntryListModel::rowOf(StreamId id) const
{
    for (size_t i = 0; i < m_rows.size(); ++i) {
        if (m_rows[i].id == id)
            return int(i);
    }
    return -1;
}

int EntryListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int EntryListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant EntryListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const StreamEntry &e = m_rows[size_t(index.row())];
    if (role == EntryIdRole)
        return e.id.toByteArray();
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case Id:
        return e.id.toString();
    case Time:
        return e.id.time().toLocalTime().toString(timeFormat());
    case Fields: {
        if (e.deleted)
            return tr("(deleted)");
        QString summary;
        for (const auto &[name, value] : e.fields) {
            if (!summary.isEmpty())
                summary += QLatin1String("  ");
            summary +=
                displayKey(name) + QLatin1Char('=') + displayKey(value.left(ValuePreviewBytes));
            if (value.size() > ValuePreviewBytes)
                summary += QChar(0x2026);
            if (summary.size() > SummaryChars)
                return summary.left(SummaryChars) + QChar(0x2026);
        }
        return summary;
    }
    }
    return {};
}

QVariant EntryListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Id:
        return tr("Id");
    case Time:
        return tr("Time");
    case Fields:
        return tr("Fields");
    }
    return {};
}
