#pragma once

#include "bulkrunner.h"
#include "replyguard.h"
#include "replyparsers.h"
#include "streamparsers.h"

#include <QDateTime>
#include <QObject>
#include <QPointer>

#include <functional>
#include <optional>

// Managing consumer groups: creating and destroying a group, moving its position
// (XGROUP SETID), creating and deleting consumers. What can be checked as the operator
// types is checked here; where a group is placed is worked out here, with the ENTRIESREAD
// that keeps Redis 7.0+ able to report the group's lag; and the commands are built here.
namespace GroupActions {

// A name the operator typed: `error` says why it cannot be used (empty: it can),
// `warning` what is legal but probably not meant (spaces around it).
struct Check
{
    QString error;
    QString warning;
    bool ok() const { return error.isEmpty(); }
};
Check checkGroupName(const QString &name, const QStringList &existing);
Check checkConsumerName(const QString &name, const QStringList &existing);

// The most entries "back" or "forward" may step in one go, and the most entries Weir
// counts to work out an ENTRIESREAD.
constexpr qint64 MaxSteps = 100000;
constexpr qint64 CountLimit = 100000;

// Where a group is to be: its last-delivered id, as the operator gives it. A group
// delivers the entries after its last-delivered id.
struct Position
{
    enum Kind {
        End,     // "$": only entries added from now on
        Start,   // "0": every entry in the stream
        Id,      // after this id
        Time,    // the entries at or after this date-time (after the last entry before it)
        Back,    // SETID only: `steps` entries before the group's last-delivered id
        Forward, // SETID only: `steps` entries after it
    };
    Kind kind = End;
    QByteArray id;
    QDateTime time;
    qint64 steps = 0;
};
// Why `position` cannot be used (empty when it can).
QString checkPosition(const Position &position);

// Whether Redis's count of a group's reads is spoilt by a deletion after `position`:
// when an entry after it was deleted (XDEL), Redis reports no lag for a group there,
// whatever its ENTRIESREAD, until the group reads past the deleted entry.
bool deletionAfter(const StreamInfo &stream, StreamId position);

// A position worked out against the stream as it was read.
struct Resolved
{
    QByteArray id;                     // the id argument sent ("$", "0" or an id)
    StreamId position;                 // the last-delivered id the group gets
    std::optional<qint64> entriesRead; // ENTRIESREAD to send (7.0+), when known exactly
    std::optional<qint64> toDeliver;   // entries after the position, when known
    qint64 stepped = 0;                // Back, Forward: entries actually stepped over
    bool streamExists = true;
    // What the operator should know: why there is no ENTRIESREAD, a short step, an id
    // past the stream's end. Plain text; empty when there is nothing to say.
    QString note;
};

// The ENTRIESREAD for a group at `position` of `stream` with `after` entries after it:
// the number of entries ever added up to the position, entries-added minus the entries
// after it. None when the server has no ENTRIESREAD (before 7.0) or when a deletion after
// the position makes Redis ignore it; `why` then says so.
std::optional<qint64> entriesReadFor(const StreamInfo &stream, StreamId position, qint64 after,
                                     const ServerInfo &server, QString *why);

RedisCommand createCommand(const QByteArray &key, const QByteArray &group, const Resolved &at,
                           bool mkstream);
RedisCommand setIdCommand(const QByteArray &key, const QByteArray &group, const Resolved &at);
RedisCommand destroyCommand(const QByteArray &key, const QByteArray &group);
RedisCommand createConsumerCommand(const QByteArray &key, const QByteArray &group,
                                   const QByteArray &consumer);
RedisCommand deleteConsumerCommand(const QByteArray &key, const QByteArray &group,
                                   const QByteArray &consumer);
// The one-command run of `command`, for BulkRunner and the confirmation; `what` names
// what it acts on (the group or consumer) in the report.
QList<BulkRunner::Chunk> single(const RedisCommand &command, const QByteArray &what);

// Reads one group of a stream (XINFO GROUPS) or one consumer of a group (XINFO CONSUMERS),
// and calls back on `context`'s thread: the info (none when there is no such group or
// consumer), or a Redis or connection error in words. Reads only.
void readGroup(RedisConnection *connection, const QByteArray &key, const QByteArray &group,
               QObject *context,
               std::function<void(const std::optional<GroupInfo> &, const QString &error)> done);
void readConsumer(
    RedisConnection *connection, const QByteArray &key, const QByteArray &group,
    const QByteArray &consumer, QObject *context,
    std::function<void(const std::optional<ConsumerInfo> &, const QString &error)> done);

} // namespace GroupActions

// Works out a Position against the stream (and, for Back and Forward, the group): reads
// XINFO STREAM (and XINFO GROUPS), the entry before a date-time or the entries stepped
// over, and, when Redis 7.0+ needs it to know the lag, counts the entries after the
// position (up to GroupActions::CountLimit) for the ENTRIESREAD. Reads only: nothing is
// changed. Counting stops at the stream's last id as first read, so entries added
// meanwhile do not spoil it. Emits finished() once per start(); a new start() drops the
// one under way.
class PositionResolver : public QObject
{
    Q_OBJECT
public:
    explicit PositionResolver(QObject *parent = nullptr);

    // `group`: the group to move (SETID); empty for a group to create. `server`: what the
    // server supports (the connection's serverInfo(), normally).
    void start(RedisConnection *connection, const QByteArray &key, const QByteArray &group,
               const GroupActions::Position &position, const ServerInfo &server,
               qint64 countLimit = GroupActions::CountLimit);

Q_SIGNALS:
    // error: a Redis or connection error, verbatim; `resolved` is meaningless then.
    void finished(const GroupActions::Resolved &resolved, const QString &error);

private:
    void onStream(const RedisResult &result);
    void step(const RedisResult &result);
    void count(StreamId from, qint64 counted);
    void settle(std::optional<qint64> after);
    void fail(const QString &error);

    QPointer<RedisConnection> m_connection;
    QByteArray m_key;
    QByteArray m_group;
    GroupActions::Position m_position;
    ServerInfo m_server;
    qint64 m_countLimit = GroupActions::CountLimit;
    StreamInfo m_stream;
    std::optional<GroupInfo> m_groupInfo;
    GroupActions::Resolved m_resolved;
    ReplyGuard m_replies; // a finished or restarted resolution's replies are dropped
};

Q_DECLARE_METATYPE(GroupActions::Position)
Q_DECLARE_METATYPE(GroupActions::Resolved)
