#include "commandlogmodel.h"

#include "redisconnection.h"

#include <QColor>

CommandLogModel::CommandLogModel(QObject *parent)
    : QAbstractTableModel(parent)
{
    m_flushTimer.setSingleShot(true);
    m_flushTimer.setInterval(FlushIntervalMs);
    connect(&m_flushTimer, &QTimer::timeout, this, &CommandLogModel::flush);
}

void CommandLogModel::attach(RedisConnection *connection, const QString &name)
{
    connect(connection, &RedisConnection::requestLogged, this,
            [this, name](const CommandLogEntry &entry) {
        CommandLogEntry named = entry;
        named.connection = name;
        append(named);
    });
}

void CommandLogModel::detach(RedisConnection *connection)
{
    disconnect(connection, &RedisConnection::requestLogged, this, nullptr);
}

void CommandLogModel::append(const CommandLogEntry &entry)
{
    m_queued.push_back(entry);
    if (m_queued.size() > size_t(m_maxRows)) {
        m_queued.pop_front();
        ++m_dropped;
    }
    if (!m_flushTimer.isActive())
        m_flushTimer.start();
}

void CommandLogModel::flush()
{
    if (m_queued.empty())
        return;
    const size_t total = m_rows.size() + m_queued.size();
    if (total > size_t(m_maxRows)) {
        const int remove = int(qMin(m_rows.size(), total - size_t(m_maxRows)));
        if (remove > 0) {
            beginRemoveRows({}, 0, remove - 1);
            m_rows.erase(m_rows.begin(), m_rows.begin() + remove);
            endRemoveRows();
            m_dropped += remove;
        }
    }
    const int first = int(m_rows.size());
    beginInsertRows({}, first, first + int(m_queued.size()) - 1);
    std::move(m_queued.begin(), m_queued.end(), std::back_inserter(m_rows));
    m_queued.clear();
    endInsertRows();
}

void CommandLogModel::setMaxRows(int rows)
{
    m_maxRows = qMax(1, rows);
    while (m_queued.size() > size_t(m_maxRows)) {
        m_queued.pop_front();
        ++m_dropped;
    }
    if (m_rows.size() > size_t(m_maxRows)) {
        const int remove = int(m_rows.size()) - m_maxRows;
        beginRemoveRows({}, 0, remove - 1);
        m_rows.erase(m_rows.begin(), m_rows.begin() + remove);
        endRemoveRows();
        m_dropped += remove;
    }
}

void CommandLogModel::clear()
{
    m_queued.clear();
    m_dropped = 0;
    if (m_rows.empty())
        return;
    beginResetModel();
    m_rows.clear();
    endResetModel();
}

QString CommandLogModel::rowsAsText(const QList<int> &rows) const
{
    QString text;
    for (const int row : rows) {
        if (row < 0 || row >= rowCount())
            continue;
        const CommandLogEntry &entry = entryAt(row);
        QStringList cells;
        for (int column = 0; column < ColumnCount; ++column) {
            QString cell = column == Time
                               ? entry.time.toString(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz"))
                               : cellText(entry, column);
            cell.replace(QLatin1Char('\t'), QLatin1Char(' '));
            cell.replace(QLatin1Char('\n'), QLatin1Char(' '));
            cells.append(cell);
        }
        text += cells.join(QLatin1Char('\t')) + QLatin1Char('\n');
    }
    return text;
}

int CommandLogModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int CommandLogModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString CommandLogModel::cellText(const CommandLogEntry &entry, int column) const
{
    switch (column) {
    case Time:
        return entry.time.toString(QStringLiteral("HH:mm:ss.zzz"));
    case Connection:
        return entry.connection;
    case Command:
        return entry.command;
    case Duration:
        return entry.durationMs < 0 ? QString() : tr("%1 ms").arg(entry.durationMs);
    case Result:
        return entry.result;
    }
    return {};
}

QVariant CommandLogModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const CommandLogEntry &entry = entryAt(index.row());
    switch (role) {
    case Qt::DisplayRole:
        return cellText(entry, index.column());
    case Qt::ToolTipRole:
        if (index.column() == Time)
            return entry.time.toString(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz t"));
        if (index.column() == Command || index.column() == Result)
            return entry.command + QLatin1Char('\n') + entry.result;
        return {};
    case Qt::ForegroundRole:
        if (entry.error)
            return QColor(0xd0, 0x1e, 0x1e);
        return {};
    case Qt::TextAlignmentRole:
        if (index.column() == Duration)
            return QVariant(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case ErrorRole:
        return entry.error;
    }
    return {};
}

QVariant CommandLogModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return {};
    if (role == Qt::DisplayRole) {
        switch (section) {
        case Time:
            return tr("Time");
        case Connection:
            return tr("Connection");
        case Command:
            return tr("Command");
        case Duration:
            return tr("Duration");
        case Result:
            return tr("Result");
        }
    } else if (role == Qt::ToolTipRole) {
        switch (section) {
        case Time:
            return tr("When the request was sent");
        case Command:
            return tr("What was sent: long arguments shortened, passwords redacted, a long "
                      "pipeline as its first command and a count");
        case Duration:
            return tr("From sending to the last reply");
        case Result:
            return tr("The reply, the first error of a pipeline, or why the request failed");
        }
    }
    return {};
}

void CommandLogFilter::setText(const QString &text)
{
    if (text == m_text)
        return;
    m_text = text;
    invalidateFilter();
}

void CommandLogFilter::setErrorsOnly(bool errorsOnly)
{
    if (errorsOnly == m_errorsOnly)
        return;
    m_errorsOnly = errorsOnly;
    invalidateFilter();
}

bool CommandLogFilter::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    const QAbstractItemModel *source = sourceModel();
    if (m_errorsOnly
        && !source->index(sourceRow, 0, sourceParent).data(CommandLogModel::ErrorRole).toBool())
        return false;
    if (m_text.isEmpty())
        return true;
    for (const int column : {CommandLogModel::Command, CommandLogModel::Result}) {
        if (source->index(sourceRow, column, sourceParent)
                .data()
                .toString()
                .contains(m_text, Qt::CaseInsensitive))
            return true;
    }
    return false;
}
