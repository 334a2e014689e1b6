#include "entrysearch.h"

#include "keyformat.h"
#include "replyparsers.h"
#include "streamparsers.h"
#include "valuedecoder.h"

#include <QByteArrayView>
#include <QCoreApplication>

#include <algorithm>

namespace {
bool isAscii(const QByteArray &bytes)
{
    for (const char c : bytes) {
        if (uchar(c) >= 0x80)
            return false;
    }
    return true;
}
} // namespace

QString EntrySearch::validate(const Query &query)
{
    if (query.to < query.from)
        return QCoreApplication::translate("EntrySearch",
                                           "The range starts after it ends (%1 > %2).")
            .arg(query.from.toString(), query.to.toString());
    if (query.maxResults < 1)
        return QCoreApplication::translate("EntrySearch", "The result limit must be at least 1.");
    if (query.match != Query::Equals && query.pattern.isEmpty())
        return QCoreApplication::translate("EntrySearch", "The pattern is empty.");
    if (query.match == Query::Regex) {
        const QRegularExpression re(query.pattern);
        if (!re.isValid())
            return QCoreApplication::translate("EntrySearch",
                                               "Invalid regular expression: %1 (at offset %2).")
                .arg(re.errorString())
                .arg(re.patternErrorOffset());
    }
    return {};
}

EntrySearchModel::EntrySearchModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

EntrySearchModel::~EntrySearchModel()
{
    if (m_connection && m_running)
        m_connection->cancel(m_requestId);
}

bool EntrySearchModel::start(RedisConnection *connection, const QByteArray &key,
                             const EntrySearch::Query &query, QString *error)
{
    QString why = EntrySearch::validate(query);
    if (why.isEmpty() && !connection)
        why = tr("Not connected.");
    if (why.isEmpty() && key.isEmpty())
        why = tr("No stream to search.");
    if (!why.isEmpty()) {
        if (error)
            *error = why;
        return false;
    }
    cancel();

    m_connection = connection;
    m_key = key;
    m_query = query;
    m_needle = query.pattern.toUtf8();
    m_asciiNeedle = isAscii(m_needle);
    if (!query.caseSensitive)
        m_needle = m_needle.toLower(); // ASCII letters only
    m_regex = QRegularExpression();
    if (query.match == EntrySearch::Query::Regex) {
        m_regex = QRegularExpression(
            query.pattern, query.caseSensitive ? QRegularExpression::NoPatternOption
                                               : QRegularExpression::CaseInsensitiveOption);
        m_regex.optimize();
    }
    m_runBatchSize = m_batchSize;
    m_truncated = false;
    m_scanned = 0;
    m_lowMs = double(query.from.ms);
    m_highMs = double(query.to.ms);
    beginResetModel();
    m_hits.clear();
    endResetModel();
    m_running = true;
    ++m_generation;
    request(query.from, true);
    return true;
}

void EntrySearchModel::cancel()
{
    if (!m_running)
        return;
    if (m_connection)
        m_connection->cancel(m_requestId);
    finish(true, {});
}

void EntrySearchModel::finish(bool cancelled, const QString &error)
{
    ++m_generation;
    m_running = false;
    m_requestId = 0;
    Q_EMIT finished(cancelled, error);
}

// The first batch goes with XINFO STREAM, in the same request: the first and last
// entries bound the range for the progress estimate.
void EntrySearchModel::request(StreamId next, bool withInfo)
{
    if (!m_connection) { // the connection was destroyed meanwhile
        finish(false, tr("The connection was closed."));
        return;
    }
    QList<RedisCommand> commands;
    if (withInfo)
        commands.append(RedisCommand{{"XINFO", "STREAM", m_key}, m_key});
    commands.append(RedisCommand{{"XRANGE", m_key, next.toByteArray(), m_query.to.toByteArray(),
                                  "COUNT", QByteArray::number(m_runBatchSize)},
                                 m_key});
    const quint64 generation = m_generation;
    m_requestId =
        m_connection->send(commands, this, [this, generation, withInfo](const RedisResult &r) {
            if (generation == m_generation)
                onReply(r, withInfo);
        });
}

void EntrySearchModel::onReply(const RedisResult &result, bool withInfo)
{
    if (!result.ok() || result.replies.size() != (withInfo ? 2 : 1)) {
        finish(false, result.error.isEmpty() ? tr("No reply from the server.") : result.error);
        return;
    }
    QString error;
    auto entries = parseEntries(result.replies.last(), &error);
    if (!entries) {
        finish(false, error);
        return;
    }
    if (withInfo) {
        // A missing key makes XINFO fail while XRANGE reads nothing; the bounds just
        // stay those of the query then.
        if (const auto info = parseStreamInfo(result.replies.first(), nullptr)) {
            if (info->firstEntryId)
                m_lowMs = qMax(m_lowMs, double(info->firstEntryId->ms));
            if (info->lastEntryId)
                m_highMs = qMin(m_highMs, double(info->lastEntryId->ms));
        }
    }

    const int limit = m_query.maxResults;
    QList<Hit> found;
    qsizetype consumed = 0;
    for (const StreamEntry &entry : std::as_const(*entries)) {
        if (m_hits.size() + found.size() >= limit)
            break;
        ++consumed;
        for (const auto &[name, value] : entry.fields) {
            if (!m_query.field.isEmpty() && name != m_query.field)
                continue;
            if (matches(value)) {
                found.append(
                    Hit{entry.id, name, value.left(PreviewBytes), value.size() > PreviewBytes, {}});
                break;
            }
            if (!m_query.searchDecoded)
                continue;
            // Only values with something encoded in them cost more than a few byte
            // comparisons here (decodedLayers() does not parse plain ones).
            const QList<DecodedLayer> layers = decodedLayers(value);
            const auto layer =
                std::find_if(layers.begin(), layers.end(),
                             [this](const DecodedLayer &l) { return matches(l.bytes); });
            if (layer != layers.end()) {
                found.append(Hit{entry.id, name, layer->bytes.left(PreviewBytes),
                                 layer->bytes.size() > PreviewBytes, layer->where});
                break;
            }
        }
    }
    m_scanned += consumed;
    const bool full = entries->size() >= m_runBatchSize;
    const StreamId last = consumed > 0 ? entries->at(consumed - 1).id : StreamId{};
    const std::optional<StreamId> next = consumed > 0 ? last.next() : std::nullopt;
    // Stopping at the limit inside a batch leaves entries unread; a short batch is the end.
    const bool rangeDone = consumed == entries->size() && (!full || !next || m_query.to < *next);
    const bool atLimit = m_hits.size() + found.size() >= limit;

    if (!found.isEmpty()) {
        const int first = int(m_hits.size());
        beginInsertRows({}, first, first + int(found.size()) - 1);
        m_hits.append(std::move(found));
        endInsertRows();
    }
    const quint64 generation = m_generation;
    Q_EMIT progress(m_scanned, m_hits.size(), rangeDone ? 1.0 : fractionAt(last));
    if (generation != m_generation)
        return; // cancelled or restarted from a handler
    if (rangeDone) {
        finish(false, {});
        return;
    }
    if (atLimit) {
        m_truncated = true;
        finish(false, {});
        return;
    }
    request(*next, false);
}

bool EntrySearchModel::matches(const QByteArray &value) const
{
    using Q = EntrySearch::Query;
    switch (m_query.match) {
    case Q::Equals:
    case Q::Contains: {
        const bool equals = m_query.match == Q::Equals;
        if (m_query.caseSensitive)
            return equals ? value == m_needle : value.contains(m_needle);
        if (m_asciiNeedle) {
            const QByteArray folded = value.toLower();
            return equals ? folded == m_needle : folded.contains(m_needle);
        }
        if (!QByteArrayView(value).isValidUtf8())
            return false;
        const QString text = QString::fromUtf8(value);
        return equals ? text.compare(m_query.pattern, Qt::CaseInsensitive) == 0
                      : text.contains(m_query.pattern, Qt::CaseInsensitive);
    }
    case Q::Regex:
        if (!QByteArrayView(value).isValidUtf8())
            return false;
        return m_regex.match(QString::fromUtf8(value)).hasMatch();
    }
    return false;
}

double EntrySearchModel::fractionAt(StreamId id) const
{
    if (m_highMs <= m_lowMs)
        return 0;
    return qBound(0.0, (double(id.ms) - m_lowMs) / (m_highMs - m_lowMs), 1.0);
}

int EntrySearchModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_hits.size());
}

int EntrySearchModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant EntrySearchModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const Hit &hit = m_hits.at(index.row());
    if (role == EntryIdRole)
        return hit.id.toByteArray();
    if (role == Qt::ToolTipRole && index.column() == Value && !hit.decodedWhere.isEmpty())
        return tr("Found in the decoded value: %1").arg(hit.decodedWhere);
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case Id:
        return hit.id.toString();
    case Time:
        return hit.id.time().toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz"));
    case Field:
        return displayKey(hit.field);
    case Value: {
        QString text = displayKey(hit.valuePreview); // escapes make it longer
        if (!hit.decodedWhere.isEmpty())             // said first: the stored bytes read otherwise
            text = QStringLiteral("/* %1 */ %2").arg(hit.decodedWhere, text);
        if (text.size() > PreviewBytes)
            return text.left(PreviewBytes) + QChar(0x2026);
        return hit.valueCut ? text + QChar(0x2026) : text;
    }
    }
    return {};
}

QVariant EntrySearchModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Id:
        return tr("Id");
    case Time:
        return tr("Time");
    case Field:
        return tr("Field");
    case Value:
        return tr("Value");
    }
    return {};
}
