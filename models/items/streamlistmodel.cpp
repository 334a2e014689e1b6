#include "streamlistmodel.h"

#include "keyformat.h"
#include "redisconnection.h"

#include <QBrush>
#include <QFont>
#include <QLocale>
#include <QPalette>
#include <QTimer>

#include <cmath>
#include <memory>

namespace {
constexpr int ScanCount = 1000;
constexpr int DetailBatchRows = 200;
constexpr int MaxDetailBatchesInFlight = 2;
constexpr int FlushIntervalMs = 100;
// Up to this many rows, dead-letter streams are paired on every flush while scanning;
// beyond, once the scan ends (pairing looks at every key).
constexpr int LiveDetectionMaxRows = 20000;
} // namespace

QList<RedisCommand> streamFigureCommands(const QByteArray &key, const QByteArray &deadLetterStream)
{
    // Shared, not allocated anew for each of a large keyspace's streams.
    static const QByteArray xinfo("XINFO"), stream("STREAM"), groups("GROUPS"), xlen("XLEN");
    QList<RedisCommand> commands{RedisCommand{{xinfo, stream, key}, key},
                                 RedisCommand{{xinfo, groups, key}, key}};
    if (!deadLetterStream.isEmpty())
        commands.append(RedisCommand{{xlen, deadLetterStream}, deadLetterStream});
    return commands;
}

StreamReadStatus readStreamFigures(const RedisValue &streamReply, const RedisValue &groupsReply,
                                   StreamFigures *figures, QString *error, StreamInfo *infoOut,
                                   QList<GroupInfo> *groupsOut)
{
    if (streamReply.isError()) {
        if (streamReply.errorCode() == "WRONGTYPE")
            return StreamReadStatus::NotStream;
        if (streamReply.bytes().contains("no such key"))
            return StreamReadStatus::Gone;
        *error = QString::fromUtf8(streamReply.bytes());
        return StreamReadStatus::Error;
    }
    std::optional<StreamInfo> info = parseStreamInfo(streamReply, error);
    std::optional<QList<GroupInfo>> groups = parseGroupsInfo(groupsReply, error);
    if (!info || !groups)
        return StreamReadStatus::Error;
    StreamFigures f;
    f.length = info->length;
    f.groups = qint32(info->groups);
    f.firstId = info->firstEntryId;
    f.lastId = info->lastEntryId;
    f.maxLag = groups->isEmpty() ? -1 : 0;
    for (const GroupInfo &g : std::as_const(*groups)) {
        f.pending += g.pending;
        if (g.lag)
            f.maxLag = qMax(f.maxLag, *g.lag);
        else
            f.lagUnknown = true;
    }
    *figures = f;
    if (infoOut)
        *infoOut = *info;
    if (groupsOut)
        *groupsOut = std::move(*groups);
    return StreamReadStatus::Ok;
}

LagKnowledge lagKnowledge(const StreamFigures &figures, const ServerInfo &server)
{
    if (figures.groups == 0)
        return LagKnowledge::NoGroups;
    if (server.major && !server.hasGroupLag())
        return LagKnowledge::NotReported;
    return figures.lagUnknown ? LagKnowledge::Nil : LagKnowledge::Known;
}

StreamListModel::StreamListModel(QObject *parent)
    : QAbstractTableModel(parent)
{
    m_flushTimer.setSingleShot(true);
    connect(&m_flushTimer, &QTimer::timeout, this, &StreamListModel::flushRows);
}

StreamListModel::~StreamListModel() = default;

void StreamListModel::setConnection(RedisConnection *connection)
{
    if (m_connection == connection)
        return;
    m_scanning = false;
    beginResetModel();
    m_connection = connection;
    clearRows();
    endResetModel();
}

void StreamListModel::clearRows()
{
    m_scanReplies.reset();
    m_detailReplies.reset();
    m_rows.clear();
    m_unannounced.clear();
    m_flushTimer.stop();
    m_rowErrors.clear();
    m_seen.clear();
    m_detailQueue.clear();
    m_detailsInFlight = 0;
    m_deadLettersOf.clear();
    m_sourceOf.clear();
}

void StreamListModel::setDeadLetterConventions(const DeadLetterConventions &conventions)
{
    if (m_conventions == conventions)
        return;
    m_conventions = conventions;
    detectDeadLetters();
}

void StreamListModel::detectDeadLetters()
{
    QList<QByteArray> keys;
    keys.reserve(qsizetype(m_rows.size()));
    for (const Row &r : m_rows)
        keys.append(r.name);
    QHash<QByteArray, QByteArray> pairs = detectDeadLetterStreams(keys, m_conventions);
    if (pairs == m_deadLettersOf)
        return;
    // The rows whose pairing changed: sources re-read their count, dead-letter streams
    // repaint their mark.
    QSet<QByteArray> changed;
    for (auto it = pairs.cbegin(); it != pairs.cend(); ++it) {
        if (m_deadLettersOf.value(it.key()) != it.value())
            changed << it.key() << it.value();
    }
    for (auto it = m_deadLettersOf.cbegin(); it != m_deadLettersOf.cend(); ++it) {
        if (pairs.value(it.key()) != it.value())
            changed << it.key() << it.value();
    }
    m_deadLettersOf = std::move(pairs);
    m_sourceOf.clear();
    for (auto it = m_deadLettersOf.cbegin(); it != m_deadLettersOf.cend(); ++it)
        m_sourceOf.insert(it.value(), it.key());
    int top = rowCount();
    int bottom = -1;
    for (int row = 0; row < rowCount(); ++row) {
        Row &r = m_rows[size_t(row)];
        if (!changed.contains(r.name))
            continue;
        top = qMin(top, row);
        bottom = qMax(bottom, row);
        if (r.details)
            r.details->deadLetters = -1;
        if (m_deadLettersOf.contains(r.name))
            r.needsDetail = true;
    }
    if (bottom >= top)
        Q_EMIT dataChanged(index(top, 0), index(bottom, ColumnCount - 1));
    Q_EMIT deadLetterStreamsChanged();
}

void StreamListModel::refresh()
{
    if (!m_connection)
        return;
    const bool wasScanning = m_scanning;
    beginResetModel();
    clearRows();
    endResetModel();
    if (wasScanning)
        Q_EMIT scanFinished(0, true, {});
    m_dbSize = 0;
    m_progress = 0;
    m_highestCursorBit = 0;
    m_scanning = true;
    Q_EMIT scanStarted();
    // On a cluster the walk goes over every master with slots in turn: the keys of each
    // (DBSIZE is one node's) are added up, and the progress counts the masters done.
    QStringList masters;
    for (const ClusterNode &m : m_connection->topology().masters()) {
        if (!m.slots.isEmpty())
            masters.append(m.address());
    }
    m_walkNodes = int(qMax<qsizetype>(1, masters.size()));
    m_nodesWalked = 0;
    if (masters.isEmpty())
        masters.append(QString()); // not a cluster: DBSIZE of the server
    auto total = std::make_shared<qint64>(0);
    auto answers = std::make_shared<int>(0);
    for (const QString &node : std::as_const(masters)) {
        m_scanReplies.sendToNode(
            m_connection, node, {RedisCommand{"DBSIZE"}},
            [this, total, answers, count = int(masters.size())](const RedisResult &result) {
            if (!result.ok() || !result.replies.at(0).isInteger())
                return;
            *total += result.replies.at(0).toInteger();
            if (++*answers == count)
                m_dbSize = *total;
            });
    }
    sendScan();
}

void StreamListModel::cancel()
{
    if (m_scanning)
        finishScan(true, {});
}

void StreamListModel::finishScan(bool cancelled, const QString &error)
{
    m_scanReplies.reset(); // a page still on its way, or the walk cancelled
    flushRows();
    m_unannounced.squeeze();
    detectDeadLetters();
    m_scanning = false;
    m_seen.clear();
    m_seen.squeeze();
    if (!cancelled && error.isEmpty())
        m_progress = 1;
    Q_EMIT scanFinished(int(m_rows.size()), cancelled, error);
}

// One cursor walk, driven by the connection's worker (it asks for each next page as
// soon as the last arrives); pages come here in order.
void StreamListModel::sendScan()
{
    const bool typed =
        !m_connection->serverInfo().major || m_connection->serverInfo().hasScanType();
    RedisCommand scan{"SCAN", "0"};
    if (typed)
        scan.argv << "TYPE"
                  << "stream";
    scan.argv << "COUNT" << QByteArray::number(ScanCount);
    m_scanReplies.iterate(m_connection, scan, [this, typed](const RedisResult &result) {
        QString error;
        const auto page = result.ok() ? parseScanPage(result.replies.at(0), &error) : std::nullopt;
        if (!page) {
            finishScan(false, result.ok() ? error : result.error);
            return;
        }
        if (typed) {
            appendStreams(page->keys);
            onScanPage(page->cursor, result.more);
            return;
        }
        // Servers before 6.0 cannot filter by type: ask TYPE of each key in one batch.
        // Those batches answer in order, after the pages before them.
        QList<RedisCommand> types;
        for (const QByteArray &k : page->keys)
            types.append(RedisCommand{{"TYPE", k}, k});
        m_scanReplies.send(m_connection, types,
                           [this, page, more = result.more](const RedisResult &r) {
            QList<QByteArray> streams;
            for (qsizetype i = 0; r.ok() && i < page->keys.size(); ++i) {
                if (r.replies.at(i).bytes() == "stream")
                    streams.append(page->keys.at(i));
            }
            appendStreams(streams);
            onScanPage(page->cursor, more);
        });
    });
}

void StreamListModel::onScanPage(const QByteArray &cursorText, bool more)
{
    const quint64 cursor = cursorText.toULongLong();
    if (!more) {
        finishScan(false, {});
        return;
    }
    double estimate = 0;
    if (cursor == 0) {
        // On a cluster: one master done, the walk goes on with the next.
        m_nodesWalked = qMin(m_nodesWalked + 1, m_walkNodes);
        m_highestCursorBit = 0;
    } else {
        m_highestCursorBit = qMax(m_highestCursorBit, int(std::log2(double(cursor))) + 1);
        estimate =
            estimateScanProgress(cursor, qMax<qint64>(m_dbSize / m_walkNodes,
                                                      qint64(1) << qMin(62, m_highestCursorBit)));
    }
    m_progress = qMax(m_progress, (m_nodesWalked + estimate) / m_walkNodes);
    Q_EMIT scanProgressChanged(m_progress, int(m_rows.size()));
}

void StreamListModel::appendStreams(const QList<QByteArray> &keys)
{
    for (const QByteArray &k : keys) {
        if (!m_seen.contains(k)) {
            m_seen.insert(k);
            m_unannounced.append(k);
        }
    }
    if (m_unannounced.isEmpty() || m_flushTimer.isActive())
        return;
    // The first rows show at once; later ones are announced once per tick, as one
    // insertion each: a sorting proxy then re-maps its rows a few times per second,
    // not once per SCAN page.
    // Each insertion costs whoever shows the rows (a sorting proxy, the view) a pass over
    // all of them: with many rows, they are announced less often (at 100,000, every
    // second), so those passes stay a small share of the GUI thread.
    if (m_rows.empty())
        flushRows();
    else
        m_flushTimer.start(qBound(FlushIntervalMs, int(m_rows.size() / 100), 10 * FlushIntervalMs));
}

void StreamListModel::flushRows()
{
    m_flushTimer.stop();
    if (m_unannounced.isEmpty())
        return;
    const int first = int(m_rows.size());
    beginInsertRows({}, first, first + int(m_unannounced.size()) - 1);
    for (const QByteArray &k : std::as_const(m_unannounced)) {
        Row r;
        r.name = k;
        m_rows.push_back(std::move(r));
    }
    endInsertRows();
    m_unannounced.clear();
    if (rowCount() <= LiveDetectionMaxRows)
        detectDeadLetters();
}

double StreamListModel::estimateScanProgress(quint64 cursor, qint64 keys)
{
    if (cursor == 0)
        return 1;
    int bits = 1;
    while (bits < 63 && (qint64(1) << bits) < keys)
        ++bits;
    while (bits < 64 && (cursor >> bits) != 0)
        ++bits;
    // Reverse the low `bits` bits: SCAN's cursor counts buckets from the high bit down.
    quint64 reversed = 0;
    for (int i = 0; i < bits; ++i)
        reversed |= ((cursor >> i) & 1u) << (bits - 1 - i);
    return double(reversed) / std::ldexp(1.0, bits);
}

void StreamListModel::reloadDetails()
{
    m_detailReplies.reset();
    for (Row &r : m_rows) {
        r.detailQueued = false;
        r.needsDetail = true;
    }
    m_detailQueue.clear();
    m_detailsInFlight = 0;
    if (!m_rows.empty())
        Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
}

void StreamListModel::queueDetail(int row) const
{
    auto &r = const_cast<Row &>(m_rows[size_t(row)]);
    if (r.detailQueued || !r.needsDetail)
        return;
    r.detailQueued = true;
    m_detailQueue.push_back(row);
    if (!m_pumpScheduled) {
        m_pumpScheduled = true;
        QTimer::singleShot(0, const_cast<StreamListModel *>(this), &StreamListModel::pumpDetails);
    }
}

void StreamListModel::pumpDetails()
{
    m_pumpScheduled = false;
    if (!m_connection)
        return;
    while (m_detailsInFlight < MaxDetailBatchesInFlight && !m_detailQueue.empty()) {
        QList<int> rows;
        QList<QByteArray> deadLetterKeys; // per row, empty for none
        QList<RedisCommand> commands;
        const size_t take = qMin<size_t>(DetailBatchRows, m_detailQueue.size());
        for (size_t i = 0; i < take; ++i) {
            const int row = m_detailQueue[i];
            const QByteArray &name = m_rows[size_t(row)].name;
            rows.append(row);
            const QByteArray dlq = m_deadLettersOf.value(name);
            commands.append(streamFigureCommands(name, dlq));
            deadLetterKeys.append(dlq);
        }
        m_detailQueue.erase(m_detailQueue.begin(), m_detailQueue.begin() + qsizetype(take));
        ++m_detailsInFlight;
        m_detailReplies.send(m_connection, commands,
                             [this, rows, deadLetterKeys](const RedisResult &result) {
            --m_detailsInFlight;
            onDetails(rows, deadLetterKeys, result);
            pumpDetails();
        });
    }
}

void StreamListModel::onDetails(const QList<int> &rows, const QList<QByteArray> &deadLetterKeys,
                                const RedisResult &result)
{
    int top = rowCount();
    int bottom = -1;
    qsizetype at = 0; // the first reply of row i
    for (qsizetype i = 0; i < rows.size(); ++i) {
        const int row = rows.at(i);
        const qsizetype first = at;
        const QByteArray &dlq = deadLetterKeys.at(i);
        at += dlq.isEmpty() ? 2 : 3;
        if (row >= rowCount())
            continue;
        Row &r = m_rows[size_t(row)];
        top = qMin(top, row);
        bottom = qMax(bottom, row);
        m_rowErrors.remove(row);
        r.detailQueued = false;
        r.needsDetail = false;
        if (!result.ok()) {
            // The connection failed, not the key; a refresh or reload asks again.
            r.status = RowStatus::Error;
            m_rowErrors.insert(row, result.error);
            continue;
        }
        StreamFigures figures;
        QString error;
        switch (readStreamFigures(result.replies.at(first), result.replies.at(first + 1), &figures,
                                  &error)) {
        case StreamReadStatus::Ok:
            break;
        case StreamReadStatus::Gone:
            r.status = RowStatus::Gone;
            continue;
        case StreamReadStatus::NotStream:
            r.status = RowStatus::NotStream;
            continue;
        case StreamReadStatus::Error:
            r.status = RowStatus::Error;
            m_rowErrors.insert(row, error);
            continue;
        }
        if (!r.details)
            r.details = std::make_unique<Details>();
        Details &d = *r.details;
        r.status = RowStatus::Ok;
        d.figures = figures;
        d.deadLetters = -1;
        if (m_deadLettersOf.value(r.name) != dlq)
            r.needsDetail = true; // paired anew while the reply was on its way
        else if (!dlq.isEmpty() && result.replies.at(first + 2).isInteger())
            d.deadLetters = result.replies.at(first + 2).toInteger();
    }
    if (bottom >= top)
        Q_EMIT dataChanged(index(top, 0), index(bottom, ColumnCount - 1));
}

qint64 StreamListModel::sortValue(int row, int column) const
{
    const Row &r = m_rows[size_t(row)];
    if (r.needsDetail)
        queueDetail(row);
    const Details *d = r.status == RowStatus::Ok ? r.details.get() : nullptr;
    if (!d)
        return -1;
    const StreamFigures &f = d->figures;
    switch (column) {
    case Length:
        return f.length;
    case Groups:
        return f.groups;
    case Pending:
        return f.pending;
    case MaxLag:
        return f.lagUnknown ? -1 : f.maxLag;
    case FirstId:
        return f.firstId ? qint64(f.firstId->ms) : -1;
    case LastId:
    case LastEntry:
        return f.lastId ? qint64(f.lastId->ms) : -1;
    case DeadLetters:
        return d->deadLetters;
    }
    return -1;
}

int StreamListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int StreamListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QModelIndex StreamListModel::index(int row, int column, const QModelIndex &parent) const
{
    if (parent.isValid() || row < 0 || row >= int(m_rows.size()) || column < 0
        || column >= ColumnCount)
        return {};
    return createIndex(row, column);
}

QString StreamListModel::lagText(const Details &d) const
{
    const StreamFigures &f = d.figures;
    switch (lagKnowledge(f, m_connection ? m_connection->serverInfo() : ServerInfo())) {
    case LagKnowledge::NoGroups:
        return QStringLiteral("–");
    case LagKnowledge::NotReported:
        return tr("unknown");
    case LagKnowledge::Nil:
        return f.maxLag > 0 ? QStringLiteral("≥ %1").arg(QLocale().toString(f.maxLag))
                            : QStringLiteral("unknown");
    case LagKnowledge::Known:
        break;
    }
    return QLocale().toString(f.maxLag);
}

QString StreamListModel::lagToolTip(const Details &d) const
{
    const StreamFigures &f = d.figures;
    switch (lagKnowledge(f, m_connection ? m_connection->serverInfo() : ServerInfo())) {
    case LagKnowledge::NotReported:
        return tr("%1 reports no lag for a group (Redis 7.0 brought it). The stream "
                  "inspector's Groups tab counts it.")
            .arg(m_connection->serverInfo().displayName());
    case LagKnowledge::Nil:
        return tr("Redis cannot tell the lag of at least one group: entries were deleted, or the "
                  "group's last id was set to an arbitrary id. %1The stream inspector estimates "
                  "it.")
            .arg(f.maxLag > 0
                     ? tr("The other groups lag by up to %1. ").arg(QLocale().toString(f.maxLag))
                     : QString());
    case LagKnowledge::NoGroups:
    case LagKnowledge::Known:
        break;
    }
    return tr("The highest lag over the stream's groups: entries not yet delivered");
}

QString StreamListModel::deadLettersToolTip(const Row &r) const
{
    const QByteArray source = m_sourceOf.value(r.name);
    if (!source.isEmpty())
        return tr("A dead-letter stream: the dead letters of %1").arg(displayKey(source));
    const QByteArray dlq = m_deadLettersOf.value(r.name);
    if (dlq.isEmpty())
        return tr("No dead-letter stream named by this connection's patterns "
                  "(Connection > Dead letters…)");
    const qint64 n = r.details && r.status == RowStatus::Ok ? r.details->deadLetters : -1;
    if (n < 0)
        return tr("Dead-letter stream: %1").arg(displayKey(dlq));
    return tr("%Ln dead letters in %1", nullptr, int(qMin<qint64>(n, INT_MAX)))
        .arg(displayKey(dlq));
}

QVariant StreamListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const Row &r = m_rows[size_t(index.row())];
    const int column = index.column();
    if (role == KeyRole)
        return r.name;
    if (role == StatusRole)
        return int(r.status);
    if (role == DeadLetterStreamRole)
        return m_deadLettersOf.value(r.name);
    if (role == DeadLetterSourceRole)
        return m_sourceOf.value(r.name);
    if (column != Name && r.needsDetail && role == Qt::DisplayRole)
        queueDetail(index.row());

    if (role == Qt::DisplayRole) {
        if (column == Name)
            return displayKey(r.name);
        if (column == DeadLetters && m_sourceOf.contains(r.name))
            return tr("of %1").arg(displayKey(m_sourceOf.value(r.name)));
        switch (r.status) {
        case RowStatus::Loading:
            return column == Length ? QStringLiteral("…") : QVariant();
        case RowStatus::Gone:
            return column == Length ? tr("deleted since the scan") : QVariant();
        case RowStatus::NotStream:
            return column == Length ? tr("no longer a stream") : QVariant();
        case RowStatus::Error:
            return column == Length ? tr("error") : QVariant();
        case RowStatus::Ok:
            break;
        }
        const Details &d = *r.details;
        const StreamFigures &f = d.figures;
        const QLocale locale;
        switch (column) {
        case Length:
            return locale.toString(f.length);
        case Groups:
            return locale.toString(f.groups);
        case Pending:
            return f.groups == 0 ? QStringLiteral("–") : locale.toString(f.pending);
        case MaxLag:
            return lagText(d);
        case FirstId:
            return f.firstId ? f.firstId->toString() : QString();
        case LastId:
            return f.lastId ? f.lastId->toString() : QString();
        case LastEntry:
            return f.lastId ? f.lastId->time().toLocalTime().toString(
                       QStringLiteral("yyyy-MM-dd HH:mm:ss"))
                            : QString();
        case DeadLetters:
            if (!m_deadLettersOf.contains(r.name))
                return QString();
            return d.deadLetters < 0 ? QStringLiteral("…") : locale.toString(d.deadLetters);
        }
        return {};
    }
    if (role == SortRole)
        return column == Name ? QVariant(r.name) : QVariant(sortValue(index.row(), column));
    if (role == Qt::TextAlignmentRole) {
        if (column == Length || column == Groups || column == Pending || column == MaxLag
            || (column == DeadLetters && !m_sourceOf.contains(r.name)))
            return int(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    }
    if (role == Qt::ToolTipRole) {
        if (r.status == RowStatus::Gone)
            return tr("The key was deleted between the scan and reading its details. "
                      "Refresh (F5) to drop it.");
        if (r.status == RowStatus::NotStream)
            return tr("The key now holds another type than a stream.");
        if (r.status == RowStatus::Error)
            return m_rowErrors.value(index.row());
        if (column == MaxLag && r.status == RowStatus::Ok)
            return lagToolTip(*r.details);
        if (column == Name && m_sourceOf.contains(r.name))
            return displayKey(r.name) + QLatin1Char('\n') + deadLettersToolTip(r);
        if (column == Name)
            return displayKey(r.name);
        if (column == DeadLetters)
            return deadLettersToolTip(r);
        return {};
    }
    if (role == Qt::ForegroundRole) {
        if (r.status == RowStatus::Gone || r.status == RowStatus::NotStream)
            return QBrush(QPalette().color(QPalette::Disabled, QPalette::Text));
        if (r.status == RowStatus::Error && column == Length)
            return QBrush(Qt::red);
        if (column == DeadLetters && m_sourceOf.contains(r.name))
            return QBrush(QPalette().color(QPalette::Disabled, QPalette::Text));
        if (column == DeadLetters && r.details && r.details->deadLetters > 0)
            return QBrush(QColor(0xb0, 0x20, 0x20));
        return {};
    }
    if (role == Qt::FontRole) {
        if (r.status == RowStatus::Gone || r.status == RowStatus::NotStream
            || (column == MaxLag && r.details && r.details->figures.lagUnknown)
            || (column == DeadLetters && m_sourceOf.contains(r.name))) {
            QFont f;
            f.setItalic(true);
            return f;
        }
        return {};
    }
    return {};
}

QVariant StreamListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return {};
    if (role == Qt::DisplayRole) {
        switch (section) {
        case Name:
            return tr("Stream");
        case Length:
            return tr("Length");
        case Groups:
            return tr("Groups");
        case Pending:
            return tr("Pending");
        case MaxLag:
            return tr("Max lag");
        case DeadLetters:
            return tr("Dead letters");
        case FirstId:
            return tr("First id");
        case LastId:
            return tr("Last id");
        case LastEntry:
            return tr("Last entry");
        }
    }
    if (role == Qt::ToolTipRole) {
        switch (section) {
        case Pending:
            return tr("Entries delivered but not yet acknowledged, over all groups");
        case MaxLag:
            return tr("Entries not yet delivered to the slowest group (Redis 7.0+)");
        case DeadLetters:
            return tr("Entries in the stream's dead-letter stream, found by the connection's "
                      "dead-letter patterns");
        case LastEntry:
            return tr("When the last entry was added (from its id)");
        }
    }
    return {};
}
