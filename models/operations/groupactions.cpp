#include "groupactions.h"

#include <QLocale>

namespace GroupActions {

static Check checkName(const QString &name, const QStringList &existing, const QString &empty,
                       const QString &taken)
{
    Check c;
    if (name.isEmpty()) {
        c.error = empty;
        return c;
    }
    if (existing.contains(name)) {
        c.error = taken.arg(name);
        return c;
    }
    if (name.trimmed() != name)
        c.warning = QObject::tr("The name starts or ends with a space: Redis keeps it as "
                                "typed, spaces included.");
    return c;
}

Check checkGroupName(const QString &name, const QStringList &existing)
{
    return checkName(name, existing, QObject::tr("Name the group."),
                     QObject::tr("This stream already has a group named “%1” (Redis would "
                                 "answer BUSYGROUP)."));
}

Check checkConsumerName(const QString &name, const QStringList &existing)
{
    return checkName(name, existing, QObject::tr("Name the consumer."),
                     QObject::tr("The group already has a consumer named “%1”."));
}

QString checkPosition(const Position &position)
{
    switch (position.kind) {
    case Position::End:
    case Position::Start:
        return {};
    case Position::Id:
        if (position.id.trimmed().isEmpty())
            return QObject::tr("Type the id the group is to be at, such as 1700000000000-0.");
        if (!StreamId::parse(position.id.trimmed()))
            return QObject::tr("“%1” is not a stream id: an id is <milliseconds>-<sequence>, "
                               "such as 1700000000000-0, or <milliseconds> alone.")
                .arg(QString::fromUtf8(position.id));
        return {};
    case Position::Time:
        if (!position.time.isValid())
            return QObject::tr("Pick a date and time.");
        if (position.time.toMSecsSinceEpoch() < 0)
            return QObject::tr("Stream ids start at 1970-01-01 00:00 UTC: pick a later time.");
        return {};
    case Position::Back:
    case Position::Forward:
        if (position.steps < 1)
            return QObject::tr("Step over at least one entry.");
        if (position.steps > MaxSteps)
            return QObject::tr("Weir steps over at most %1 entries at a time.")
                .arg(QLocale().toString(MaxSteps));
        return {};
    }
    return {};
}

bool deletionAfter(const StreamInfo &stream, StreamId position)
{
    if (stream.length == 0 || !stream.maxDeletedEntryId || stream.maxDeletedEntryId->isZero()
        || !stream.firstEntryId)
        return false;
    // At the stream's last id Redis knows the count whatever was deleted.
    if (!(position < stream.lastGeneratedId))
        return false;
    const StreamId deleted = *stream.maxDeletedEntryId;
    return !(deleted < *stream.firstEntryId) && !(deleted < position);
}

std::optional<qint64> entriesReadFor(const StreamInfo &stream, StreamId position, qint64 after,
                                     const ServerInfo &server, QString *why)
{
    const auto say = [why](const QString &text) {
        if (why)
            *why = text;
        return std::nullopt;
    };
    if (!server.hasGroupLag())
        return say(
            QObject::tr("%1 keeps no count of the entries a group has read "
                        "(ENTRIESREAD and lag came with Redis 7.0).")
                .arg(server.isKnown() ? server.displayName() : QObject::tr("Redis before 7.0")));
    if (!stream.entriesAdded)
        return say(QObject::tr("Redis did not report the stream's entries-added."));
    if (deletionAfter(stream, position))
        return say(QObject::tr("Entries after this position were deleted (the last deleted id "
                               "is %1): Redis reports no lag for a group there, whatever its "
                               "ENTRIESREAD, until the group reads past that id. Weir shows "
                               "a counted estimate meanwhile.")
                       .arg(stream.maxDeletedEntryId->toString()));
    const qint64 read = *stream.entriesAdded - after;
    if (after < 0 || read < 0)
        return say(QObject::tr("The stream changed while Weir counted its entries."));
    return read;
}

static QList<QByteArray> withEntriesRead(QList<QByteArray> argv, const Resolved &at)
{
    if (at.entriesRead)
        argv << "ENTRIESREAD" << QByteArray::number(*at.entriesRead);
    return argv;
}

RedisCommand createCommand(const QByteArray &key, const QByteArray &group, const Resolved &at,
                           bool mkstream)
{
    QList<QByteArray> argv{"XGROUP", "CREATE", key, group, at.id};
    if (mkstream)
        argv << "MKSTREAM";
    return RedisCommand{withEntriesRead(argv, at), key};
}

RedisCommand setIdCommand(const QByteArray &key, const QByteArray &group, const Resolved &at)
{
    return RedisCommand{withEntriesRead({"XGROUP", "SETID", key, group, at.id}, at), key};
}

RedisCommand destroyCommand(const QByteArray &key, const QByteArray &group)
{
    return RedisCommand{{"XGROUP", "DESTROY", key, group}, key};
}

RedisCommand createConsumerCommand(const QByteArray &key, const QByteArray &group,
                                   const QByteArray &consumer)
{
    return RedisCommand{{"XGROUP", "CREATECONSUMER", key, group, consumer}, key};
}

RedisCommand deleteConsumerCommand(const QByteArray &key, const QByteArray &group,
                                   const QByteArray &consumer)
{
    return RedisCommand{{"XGROUP", "DELCONSUMER", key, group, consumer}, key};
}

QList<BulkRunner::Chunk> single(const RedisCommand &command, const QByteArray &what)
{
    return {BulkRunner::Chunk{{command}, {what}}};
}

void readGroup(RedisConnection *connection, const QByteArray &key, const QByteArray &group,
               QObject *context,
               std::function<void(const std::optional<GroupInfo> &, const QString &error)> done)
{
    connection->send({RedisCommand{{"XINFO", "GROUPS", key}, key}}, context,
                     [group, done = std::move(done)](const RedisResult &r) {
        QString error = r.error;
        const auto groups = r.ok() ? parseGroupsInfo(r.replies.first(), &error) : std::nullopt;
        if (!groups) {
            done(std::nullopt, error);
            return;
        }
        for (const GroupInfo &g : *groups) {
            if (g.name == group) {
                done(g, {});
                return;
            }
        }
        done(std::nullopt, {});
    });
}

void readConsumer(
    RedisConnection *connection, const QByteArray &key, const QByteArray &group,
    const QByteArray &consumer, QObject *context,
    std::function<void(const std::optional<ConsumerInfo> &, const QString &error)> done)
{
    connection->send({RedisCommand{{"XINFO", "CONSUMERS", key, group}, key}}, context,
                     [consumer, done = std::move(done)](const RedisResult &r) {
        QString error = r.error;
        const auto consumers =
            r.ok() ? parseConsumersInfo(r.replies.first(), &error) : std::nullopt;
        if (!consumers) {
            done(std::nullopt, error);
            return;
        }
        for (const ConsumerInfo &c : *consumers) {
            if (c.name == consumer) {
                done(c, {});
                return;
            }
        }
        done(std::nullopt, {});
    });
}

} // namespace GroupActions

using GroupActions::Position;

PositionResolver::PositionResolver(QObject *parent)
    : QObject(parent)
{
    qRegisterMetaType<GroupActions::Resolved>();
}

void PositionResolver::start(RedisConnection *connection, const QByteArray &key,
                             const QByteArray &group, const GroupActions::Position &position,
                             const ServerInfo &server, qint64 countLimit)
{
    m_replies.reset();
    m_connection = connection;
    m_key = key;
    m_group = group;
    m_position = position;
    m_server = server;
    m_countLimit = qMax<qint64>(0, countLimit);
    m_stream = {};
    m_groupInfo.reset();
    m_resolved = {};
    QList<RedisCommand> commands{RedisCommand{{"XINFO", "STREAM", key}, key}};
    if (!group.isEmpty())
        commands.append(RedisCommand{{"XINFO", "GROUPS", key}, key});
    m_replies.send(connection, commands, [this](const RedisResult &r) { onStream(r); });
}

void PositionResolver::fail(const QString &error)
{
    m_replies.reset();
    Q_EMIT finished({}, error);
}

void PositionResolver::onStream(const RedisResult &r)
{
    if (!r.ok()) {
        fail(r.error);
        return;
    }
    const RedisValue &streamReply = r.replies.at(0);
    if (m_group.isEmpty() && streamReply.isError() && streamReply.bytes().contains("no such key")) {
        // XGROUP CREATE … MKSTREAM makes it: an empty stream, so nothing to deliver yet and,
        // at an explicit id, nothing read.
        m_resolved.streamExists = false;
        m_resolved.toDeliver = 0;
        switch (m_position.kind) {
        case Position::Id:
            m_resolved.position = *StreamId::parse(m_position.id.trimmed());
            m_resolved.id = m_resolved.position.toByteArray();
            break;
        case Position::End:
            m_resolved.id = "$";
            break;
        default:
            m_resolved.id = "0";
            break;
        }
        if (m_server.hasGroupLag()
            && (m_position.kind == Position::Id || m_position.kind == Position::Time))
            m_resolved.entriesRead = 0;
        m_resolved.note = tr("The stream does not exist: MKSTREAM creates it, empty.");
        m_replies.reset();
        Q_EMIT finished(m_resolved, {});
        return;
    }
    QString error;
    const auto stream = parseStreamInfo(streamReply, &error);
    if (!stream) {
        fail(error);
        return;
    }
    m_stream = *stream;
    if (!m_group.isEmpty()) {
        const auto groups = parseGroupsInfo(r.replies.at(1), &error);
        if (!groups) {
            fail(error);
            return;
        }
        for (const GroupInfo &g : *groups) {
            if (g.name == m_group)
                m_groupInfo = g;
        }
        if (!m_groupInfo) {
            fail(tr("The stream has no group named “%1” (any more).")
                     .arg(QString::fromUtf8(m_group)));
            return;
        }
    }

    const auto then = [this](const RedisResult &result) { step(result); };
    switch (m_position.kind) {
    case Position::End:
        m_resolved.id = "$";
        m_resolved.position = m_stream.lastGeneratedId;
        settle(0);
        return;
    case Position::Start:
        m_resolved.id = "0";
        m_resolved.position = {};
        settle(m_stream.length);
        return;
    case Position::Id:
        m_resolved.position = *StreamId::parse(m_position.id.trimmed());
        m_resolved.id = m_resolved.position.toByteArray();
        if (m_stream.lastGeneratedId < m_resolved.position)
            m_resolved.note = tr("This id is after the stream's last id (%1): entries added "
                                 "with ids up to it will not be delivered to the group.")
                                  .arg(m_stream.lastGeneratedId.toString());
        count(m_resolved.position, 0);
        return;
    case Position::Time: {
        const qint64 ms = m_position.time.toMSecsSinceEpoch();
        if (ms <= 0) {
            m_resolved.id = "0-0";
            count({}, 0);
            return;
        }
        // The last entry before the time (ms > 0, so an id lies before its first).
        const StreamId before = *StreamId{quint64(ms), 0}.previous();
        m_replies.send(
            m_connection,
            {RedisCommand{{"XREVRANGE", m_key, before.toByteArray(), "-", "COUNT", "1"}, m_key}},
            then);
        return;
    }
    case Position::Back:
        // The entries at or before the last-delivered id, newest first: the first `steps` of
        // them are delivered again; the group ends up at the next one, or at 0-0.
        m_replies.send(
            m_connection,
            {RedisCommand{{"XREVRANGE", m_key, m_groupInfo->lastDeliveredId.toByteArray(), "-",
                           "COUNT", QByteArray::number(m_position.steps + 1)},
                          m_key}},
            then);
        return;
    case Position::Forward: {
        const std::optional<StreamId> from = m_groupInfo->lastDeliveredId.next();
        if (!from || m_stream.lastGeneratedId < *from) {
            RedisResult nothing;
            nothing.replies = {RedisValue::array({})};
            step(nothing);
            return;
        }
        m_replies.send(m_connection,
                       {RedisCommand{{"XRANGE", m_key, from->toByteArray(),
                                      m_stream.lastGeneratedId.toByteArray(), "COUNT",
                                      QByteArray::number(m_position.steps)},
                                     m_key}},
                       then);
        return;
    }
    }
}

// The reply that places the group: the entry before a date-time, or the entries stepped
// over.
void PositionResolver::step(const RedisResult &r)
{
    QString error = r.error;
    const auto entries = r.ok() ? parseEntries(r.replies.first(), &error) : std::nullopt;
    if (!entries) {
        fail(error);
        return;
    }
    const QLocale locale;
    switch (m_position.kind) {
    case Position::Time:
        m_resolved.position = entries->isEmpty() ? StreamId{} : entries->first().id;
        break;
    case Position::Back:
        if (entries->size() > m_position.steps) {
            m_resolved.position = entries->last().id;
            m_resolved.stepped = m_position.steps;
        } else {
            m_resolved.position = {};
            m_resolved.stepped = entries->size();
            m_resolved.note = tr("Only %1 entries are at or before the group's position: it "
                                 "goes back to the start (0-0).")
                                  .arg(locale.toString(m_resolved.stepped));
        }
        break;
    case Position::Forward:
        m_resolved.stepped = entries->size();
        m_resolved.position =
            entries->isEmpty() ? m_groupInfo->lastDeliveredId : entries->last().id;
        if (m_resolved.stepped < m_position.steps)
            m_resolved.note = tr("Only %1 entries are after the group's position: it goes "
                                 "forward to the last entry.")
                                  .arg(locale.toString(m_resolved.stepped));
        break;
    default:
        break;
    }
    m_resolved.id = m_resolved.position.toByteArray();
    // Redis's own count, when it has one, moves by the entries stepped over.
    if ((m_position.kind == Position::Back || m_position.kind == Position::Forward)
        && m_groupInfo->lag && m_groupInfo->entriesRead && m_stream.entriesAdded
        && !GroupActions::deletionAfter(m_stream, m_resolved.position)) {
        const qint64 sign = m_position.kind == Position::Back ? 1 : -1;
        const qint64 read = *m_groupInfo->entriesRead - sign * m_resolved.stepped;
        settle(*m_stream.entriesAdded - read);
        return;
    }
    count(m_resolved.position, 0);
}

// Counts the entries after `from` up to the stream's last id as first read, in pages, for
// the confirmation and for an ENTRIESREAD; what needs no counting is settled at once.
void PositionResolver::count(StreamId from, qint64 counted)
{
    const StreamId position = m_resolved.position;
    if (counted == 0) {
        if (GroupActions::deletionAfter(m_stream, position)) {
            settle(std::nullopt); // no ENTRIESREAD would help: not worth counting
            return;
        }
        if (m_stream.length == 0 || !m_stream.firstEntryId || !m_stream.lastEntryId
            || !(position < *m_stream.lastEntryId)) {
            settle(0);
            return;
        }
        if (position < *m_stream.firstEntryId) {
            settle(m_stream.length);
            return;
        }
    }
    const std::optional<StreamId> start = from.next();
    if (!start) {
        settle(counted);
        return;
    }
    const qint64 page = qBound(qint64(1), m_countLimit - counted + 1, qint64(1000));
    m_replies.send(
        m_connection,
        {RedisCommand{{"XRANGE", m_key, start->toByteArray(),
                       m_stream.lastGeneratedId.toByteArray(), "COUNT", QByteArray::number(page)},
                      m_key}},
        [this, counted, page](const RedisResult &r) {
        QString error = r.error;
        const auto entries = r.ok() ? parseEntries(r.replies.first(), &error) : std::nullopt;
        if (!entries) {
            fail(error);
            return;
        }
        const qint64 total = counted + entries->size();
        if (total > m_countLimit) {
            m_resolved.note =
                m_server.hasGroupLag()
                    ? tr("More than %1 entries are after this position, too many for Weir to "
                         "count: no ENTRIESREAD is sent, and Redis reports the group's lag as "
                         "unknown until the group reads to the end (Weir shows a counted "
                         "estimate meanwhile).")
                          .arg(QLocale().toString(m_countLimit))
                    : tr("More than %1 entries are after this position, too many for Weir to "
                         "count.")
                          .arg(QLocale().toString(m_countLimit));
            settle(std::nullopt);
        } else if (entries->size() < page) {
            settle(total);
        } else {
            count(entries->last().id, total);
        }
        });
}

void PositionResolver::settle(std::optional<qint64> after)
{
    m_resolved.toDeliver = after;
    const bool redisKnows = m_position.kind == Position::End || m_position.kind == Position::Start;
    QString why;
    std::optional<qint64> read;
    if (after || !m_server.hasGroupLag()
        || GroupActions::deletionAfter(m_stream, m_resolved.position))
        read = GroupActions::entriesReadFor(m_stream, m_resolved.position, after.value_or(0),
                                            m_server, &why);
    // At "$" and "0" Redis works out the count itself, exactly where it can.
    if (!redisKnows)
        m_resolved.entriesRead = read;
    if (!why.isEmpty()
        && (!redisKnows || GroupActions::deletionAfter(m_stream, m_resolved.position)))
        m_resolved.note =
            m_resolved.note.isEmpty() ? why : m_resolved.note + QLatin1Char(' ') + why;
    m_replies.reset();
    Q_EMIT finished(m_resolved, {});
}
