#include "deadlettermodel.h"

#include "keyformat.h"
#include "valuedecoder.h"

#include <QFont>
#include <QLocale>
#include <QRegularExpression>

#include <algorithm>

namespace {
constexpr int ReasonPage = 1000;

QString timeText(const QDateTime &time)
{
    return time.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
}
} // namespace

DeadLetterModel::DeadLetterModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

DeadLetterModel::~DeadLetterModel() = default;

void DeadLetterModel::setStream(RedisConnection *connection, const QByteArray &key,
                                const DeadLetterConventions &conventions)
{
    m_connection = connection;
    m_key = key;
    m_conventions = conventions.forStream(key);
    clearReasons();
    reload();
}

void DeadLetterModel::readSample(RedisConnection *connection, const QByteArray &key, int count,
                                 QObject *context,
                                 std::function<void(const QList<StreamEntry> &)> done)
{
    connection->send(
        {RedisCommand{{"XREVRANGE", key, "+", "-", "COUNT", QByteArray::number(count)}, key}},
        context, [done = std::move(done)](const RedisResult &result) {
            QString error;
            done(result.ok()
                     ? parseEntries(result.replies.first(), &error).value_or(QList<StreamEntry>())
                     : QList<StreamEntry>());
        });
}

void DeadLetterModel::setConventions(const DeadLetterConventions &conventions)
{
    const DeadLetterConventions own = conventions.forStream(m_key);
    if (m_conventions == own)
        return;
    m_conventions = own;
    clearReasons();
    reload();
}

void DeadLetterModel::setNewestFirst(bool newestFirst)
{
    if (m_newestFirst == newestFirst)
        return;
    m_newestFirst = newestFirst;
    reload();
}

void DeadLetterModel::setReasonFilter(const std::optional<QByteArray> &reason)
{
    if (m_reason == reason)
        return;
    m_reason = reason;
    reload();
}

void DeadLetterModel::setTimeRange(const QDateTime &from, const QDateTime &to)
{
    if (m_from == from && m_to == to)
        return;
    m_from = from;
    m_to = to;
    clearReasons();
    reload();
}

QByteArray DeadLetterModel::rangeStart() const
{
    if (!m_from.isValid())
        return "-";
    return StreamId{quint64(qMax<qint64>(0, m_from.toMSecsSinceEpoch())), 0}.toByteArray();
}

QByteArray DeadLetterModel::rangeEnd() const
{
    if (!m_to.isValid())
        return "+";
    if (m_to.toMSecsSinceEpoch() < 0)
        return "0-0";
    return StreamId::lastOf(quint64(m_to.toMSecsSinceEpoch())).toByteArray();
}

void DeadLetterModel::reload()
{
    m_pageReplies.reset();
    beginResetModel();
    m_rows.clear();
    m_sample.clear();
    m_entriesRead = 0;
    m_endReached = false;
    m_next.clear();
    // Loading already while views hear of the reset: their fetchMore() waits for this page.
    m_loading = m_connection && !m_key.isEmpty();
    endResetModel();
    if (m_loading)
        readPage({});
}

bool DeadLetterModel::canFetchMore(const QModelIndex &parent) const
{
    return !parent.isValid() && m_connection && !m_key.isEmpty() && !m_loading && !m_endReached
           && rowCount() < m_rowLimit;
}

void DeadLetterModel::fetchMore(const QModelIndex &parent)
{
    if (canFetchMore(parent))
        readPage(m_next);
}

RedisCommand DeadLetterModel::rangeCommand(const QByteArray &from, int count) const
{
    const QByteArray n = QByteArray::number(count);
    if (m_newestFirst)
        return RedisCommand{
            {"XREVRANGE", m_key, from.isEmpty() ? rangeEnd() : from, rangeStart(), "COUNT", n},
            m_key};
    return RedisCommand{
        {"XRANGE", m_key, from.isEmpty() ? rangeStart() : from, rangeEnd(), "COUNT", n}, m_key};
}

QByteArray DeadLetterModel::nextFrom(StreamId last) const
{
    const std::optional<StreamId> next = m_newestFirst ? last.previous() : last.next();
    return next ? next->toByteArray() : QByteArray();
}

void DeadLetterModel::readPage(const QByteArray &from)
{
    if (!m_connection)
        return;
    m_loading = true;
    m_pageReplies.send(m_connection, {rangeCommand(from, m_pageSize)},
                       [this](const RedisResult &result) { onPage(result); });
}

void DeadLetterModel::onPage(const RedisResult &result)
{
    QString error = result.error;
    const auto entries = result.ok() ? parseEntries(result.replies.first(), &error) : std::nullopt;
    if (!entries) {
        m_loading = false;
        m_endReached = true; // nothing more until reload(): an error is not retried by itself
        Q_EMIT errorOccurred(error);
        Q_EMIT loaded();
        return;
    }
    m_entriesRead += entries->size();
    for (qsizetype i = 0; i < entries->size() && m_sample.size() < SampleSize; ++i)
        m_sample.append(entries->at(i));
    const int room = m_rowLimit - rowCount();
    QList<Row> rows;
    std::optional<StreamId> lastTaken;
    for (const StreamEntry &e : *entries) {
        if (rows.size() >= room)
            break;
        lastTaken = e.id;
        DeadLetter letter = parseDeadLetter(e, m_conventions);
        if (m_reason && letter.reason != *m_reason)
            continue;
        Row row;
        row.payload = payloadSummary(letter.payload);
        row.letter = std::move(letter);
        rows.append(std::move(row));
    }
    const bool pageFull = entries->size() >= m_pageSize;
    const bool cut = lastTaken && entries->constLast().id != *lastTaken;
    if (cut || pageFull) {
        m_next = nextFrom(cut ? *lastTaken : entries->constLast().id);
        m_endReached = m_next.isEmpty();
    } else {
        m_endReached = true;
    }
    if (!rows.isEmpty()) {
        const int first = rowCount();
        beginInsertRows({}, first, first + int(rows.size()) - 1);
        for (Row &r : rows)
            m_rows.push_back(std::move(r));
        endInsertRows();
    } else if (!m_endReached && m_reason && rowCount() < m_rowLimit) {
        // Nothing matched in this page: read on, so that a view waiting for rows gets some.
        readPage(m_next);
        return;
    }
    m_loading = false;
    Q_EMIT loaded();
}

void DeadLetterModel::clearReasons()
{
    m_reasonReplies.reset();
    const bool had = m_counting || m_reasonsCounted > 0 || !m_reasonCounts.isEmpty();
    m_reasonCounts.clear();
    m_reasonsCounted = 0;
    m_counting = false;
    m_reasonsCapped = false;
    if (had)
        Q_EMIT reasonsChanged();
}

void DeadLetterModel::countReasons(qint64 cap)
{
    clearReasons();
    if (!m_connection || m_key.isEmpty())
        return;
    m_reasonCap = qMax<qint64>(1, cap);
    m_counting = true;
    readReasons(rangeStart());
    Q_EMIT reasonsChanged();
}

void DeadLetterModel::readReasons(const QByteArray &from)
{
    const qint64 left = m_reasonCap - m_reasonsCounted;
    // One more than is left: a reply that has it tells the count stops at the cap.
    const qint64 ask = qMin<qint64>(ReasonPage, left + 1);
    const RedisCommand command{
        {"XRANGE", m_key, from, rangeEnd(), "COUNT", QByteArray::number(ask)}, m_key};
    m_reasonReplies.send(m_connection, {command}, [this, ask, left](const RedisResult &result) {
        QString error = result.error;
        const auto entries =
            result.ok() ? parseEntries(result.replies.first(), &error) : std::nullopt;
        if (!entries) {
            m_counting = false;
            Q_EMIT errorOccurred(error);
            Q_EMIT reasonsChanged();
            return;
        }
        const qint64 take = qMin<qint64>(entries->size(), left);
        for (qint64 i = 0; i < take; ++i)
            ++m_reasonCounts[parseDeadLetter(entries->at(i), m_conventions).reason];
        m_reasonsCounted += take;
        const std::optional<StreamId> next =
            entries->isEmpty() ? std::nullopt : entries->constLast().id.next();
        if (entries->size() > left) {
            m_reasonsCapped = true;
            m_counting = false;
        } else if (entries->size() < ask || !next) {
            m_counting = false;
        } else {
            readReasons(next->toByteArray());
        }
        Q_EMIT reasonsChanged();
    });
}

QList<DeadLetterModel::ReasonCount> DeadLetterModel::reasons() const
{
    QList<ReasonCount> out;
    out.reserve(m_reasonCounts.size());
    for (auto it = m_reasonCounts.cbegin(); it != m_reasonCounts.cend(); ++it)
        out.append({it.key(), it.value()});
    std::sort(out.begin(), out.end(), [](const ReasonCount &a, const ReasonCount &b) {
        return a.count != b.count ? a.count > b.count : a.reason < b.reason;
    });
    return out;
}

QString DeadLetterModel::payloadSummary(const QList<QPair<QByteArray, QByteArray>> &payload,
                                        int chars)
{
    // Pretty JSON back on one line: no space inside brackets, one between items.
    static const QRegularExpression open(QStringLiteral("([\\[{])\\s*\\n\\s*"));
    static const QRegularExpression close(QStringLiteral("\\s*\\n\\s*([\\]}])"));
    static const QRegularExpression space(QStringLiteral("\\s*\\n\\s*"));
    auto oneLine = [&](const QByteArray &value) {
        const DecodedValue d = decodeValue(value, chars + 64);
        if (d.kind == DecodedValue::Kind::Binary)
            return tr("binary, %n bytes", nullptr, int(qMin<qint64>(d.originalSize, INT_MAX)));
        QString text = d.text;
        if (d.kind == DecodedValue::Kind::Json || d.kind == DecodedValue::Kind::CompressedJson)
            text.replace(open, QStringLiteral("\\1"))
                .replace(close, QStringLiteral("\\1"))
                .replace(space, QStringLiteral(" "));
        else
            text.replace(QLatin1Char('\n'), QLatin1Char(' '));
        return text;
    };
    QString out;
    if (payload.size() == 1) {
        out = oneLine(payload.first().second);
    } else {
        for (const auto &[name, value] : payload) {
            if (!out.isEmpty())
                out += QLatin1String("  ");
            out += displayKey(name) + QLatin1Char('=') + oneLine(value);
            if (out.size() > chars)
                break;
        }
    }
    if (out.size() > chars)
        out = out.left(chars) + QChar(0x2026);
    return out;
}

int DeadLetterModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int DeadLetterModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant DeadLetterModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const Row &row = m_rows[size_t(index.row())];
    const DeadLetter &d = row.letter;
    const int column = index.column();
    if (role == EntryIdRole)
        return d.id.toByteArray();
    if (role == RawRole) {
        switch (column) {
        case FailedAt:
            return d.failedAt.isValid() ? d.failedAt : d.id.time();
        case OriginalStream:
            return d.originalStream;
        case OriginalId:
            return d.originalId;
        case Group:
            return d.group;
        case Reason:
            return d.reason;
        case Retries:
            return d.retryCount;
        case Payload:
            return row.payload;
        case Id:
            return d.id.toByteArray();
        }
        return {};
    }
    if (role == Qt::DisplayRole) {
        switch (column) {
        case FailedAt:
            return timeText(d.failedAt.isValid() ? d.failedAt : d.id.time());
        case OriginalStream:
            return displayKey(d.originalStream);
        case OriginalId:
            return displayKey(d.originalId);
        case Group:
            return displayKey(d.group);
        case Reason:
            return displayKey(d.reason);
        case Retries:
            return d.retryCount < 0 ? QString() : QLocale().toString(d.retryCount);
        case Payload:
            return row.payload;
        case Id:
            return d.id.toString();
        }
        return {};
    }
    if (role == Qt::ToolTipRole) {
        if (column == FailedAt && !d.failedAt.isValid())
            return m_conventions.failedAtField.isEmpty()
                       ? tr("No failed-at field is set for this connection: the time the dead "
                            "letter was written (from its id)")
                       : tr("No readable \"%1\" field: the time the dead letter was written (from "
                            "its id)")
                             .arg(QString::fromUtf8(m_conventions.failedAtField));
        if (column == FailedAt)
            return d.failedAt.toLocalTime().toString(Qt::ISODateWithMs);
        if (column == Reason || column == Payload || column == OriginalStream)
            return data(index, Qt::DisplayRole);
        return {};
    }
    if (role == Qt::FontRole && column == FailedAt && !d.failedAt.isValid()) {
        QFont f;
        f.setItalic(true);
        return f;
    }
    if (role == Qt::TextAlignmentRole && column == Retries)
        return int(Qt::AlignRight | Qt::AlignVCenter);
    return {};
}

QVariant DeadLetterModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return {};
    if (role == Qt::DisplayRole) {
        switch (section) {
        case FailedAt:
            return tr("Failed at");
        case OriginalStream:
            return tr("Original stream");
        case OriginalId:
            return tr("Original id");
        case Group:
            return tr("Group");
        case Reason:
            return tr("Reason");
        case Retries:
            return tr("Retries");
        case Payload:
            return tr("Payload");
        case Id:
            return tr("Id");
        }
    }
    if (role == Qt::ToolTipRole) {
        auto field = [](const QByteArray &name) {
            return name.isEmpty() ? tr("not recorded (see Dead letters… in the connection's menu)")
                                  : tr("from the field \"%1\"").arg(QString::fromUtf8(name));
        };
        switch (section) {
        case FailedAt:
            return tr("When the message failed, %1; in italics, when the dead letter was "
                      "written (from its id)")
                .arg(field(m_conventions.failedAtField));
        case OriginalStream:
            return tr("The stream the message came from, %1")
                .arg(field(m_conventions.originalStreamField));
        case OriginalId:
            return tr("The message's id in its stream, %1")
                .arg(field(m_conventions.originalIdField));
        case Group:
            return tr("The consumer group that failed it, %1").arg(field(m_conventions.groupField));
        case Reason:
            return tr("Why it failed, %1").arg(field(m_conventions.reasonField));
        case Retries:
            return tr("How often it was tried, %1").arg(field(m_conventions.retryCountField));
        case Payload:
            return tr("Every other field, decoded");
        case Id:
            return tr("The dead letter's id in this stream");
        }
    }
    return {};
}
