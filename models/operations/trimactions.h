#pragma once

#include "redisconnection.h"
#include "replyguard.h"
#include "replyparsers.h"
#include "streamid.h"

#include <QObject>
#include <QPointer>

#include <optional>

// Trimming a stream (XTRIM): the options, a preview computed from what Redis holds (how
// many entries go, and what that does to each consumer group), and the run, which for `~`
// loops until Redis removes no more.
namespace TrimActions {

struct Options
{
    QByteArray key;
    enum class Strategy { MaxLen, MinId } strategy = Strategy::MaxLen;
    QByteArray threshold;     // MAXLEN: entries to keep; MINID: the oldest id to keep
    bool approximate = false; // "~": whole nodes only, at most `limit` entries a call
    qint64 limit = 0;         // LIMIT, with ~ only; 0: Redis's default (100 nodes' worth)
};

// Why `options` cannot be sent (empty when they can).
QString validate(const Options &options);
// XTRIM key MAXLEN|MINID =|~ threshold [LIMIT n]
RedisCommand command(const Options &options);
// After a ~ trim: how many entries beyond the target whole nodes kept (XLEN for MAXLEN, the
// entries before the MINID for MINID), passed to `done` on `context`'s thread; nullopt
// when it could not be read. Reads only.
void readBeyondTarget(RedisConnection *connection, const Options &options, QObject *context,
                      std::function<void(std::optional<qint64> beyond)> done);

} // namespace TrimActions

// What an exact trim with the options would remove now, read from Redis: the entries
// counted (from whichever end of the stream is nearer the cut, so the cost is the smaller
// side), and per group the pending entries that would be left pointing at nothing and
// whether the group has yet to read entries that would go. Reads only.
class TrimPreviewer : public QObject
{
    Q_OBJECT
public:
    struct Group
    {
        QByteArray name;
        qint64 pending = 0;
        qint64 orphaned = 0; // pending entries among those removed
        bool unread = false; // its last delivered id is before the last entry removed
    };
    struct Preview
    {
        qint64 length = 0;                   // XLEN when read
        qint64 removed = 0;                  // what an exact trim removes
        std::optional<StreamId> lastRemoved; // the newest entry that goes
        std::optional<StreamId> firstKept;   // the oldest that stays
        QList<Group> groups;
        QString error;
    };

    explicit TrimPreviewer(QObject *parent = nullptr);
    // Emits finished() once per start(); a new start() or cancel() drops what was under way.
    void start(RedisConnection *connection, const TrimActions::Options &options);
    void cancel();
    bool isRunning() const { return m_running; }
    void setPageSize(int entries) { m_pageSize = qMax(1, entries); }

Q_SIGNALS:
    void progress(qint64 entriesRead);
    void finished(const TrimPreviewer::Preview &preview);

private:
    void onBasics(const QList<RedisValue> &replies);
    // Reads `count` entries from one end (from the head: oldest first) and calls `done`
    // with the id of the last one read.
    void walk(bool fromHead, const QByteArray &from, qint64 count,
              std::function<void(std::optional<StreamId>)> done);
    void countBothEnds(const QByteArray &headFrom, const QByteArray &tailFrom, qint64 head,
                       qint64 tail);
    void findBoundaryNeighbour();
    void countOrphans(int group, const QByteArray &from);
    void fail(const QString &error);
    void finish();
    // Sends `commands`; the callback runs only for the current start(), and failures end it.
    void send(QList<RedisCommand> commands,
              std::function<void(const QList<RedisValue> &)> onReplies);

    QPointer<RedisConnection> m_connection;
    TrimActions::Options m_options;
    Preview m_preview;
    std::optional<StreamId> m_first, m_last; // the stream's ends when read
    QList<GroupInfo> m_groupsRead;
    qint64 m_read = 0;
    int m_pageSize = 5000;
    ReplyGuard m_replies; // reads of a cancelled or finished preview are dropped
    bool m_running = false;
};

// Runs the trim: one XTRIM for an exact trim; for `~`, XTRIM again while it removes
// something, so that the stream gets as near the target as whole nodes allow. Each call is
// a write: one that fails after it was sent is not repeated.
class TrimRun : public QObject
{
    Q_OBJECT
public:
    struct Result
    {
        qint64 removed = 0;
        int calls = 0;
        bool cancelled = false;
        bool lastCallUnknown = false; // the connection failed after the last call was sent
        QString error;
    };

    explicit TrimRun(QObject *parent = nullptr);
    void start(RedisConnection *connection, const TrimActions::Options &options);
    // Sends no further call; the one on its way finishes.
    void cancel();
    bool isRunning() const { return m_running; }

Q_SIGNALS:
    void progress(qint64 removed, int calls);
    void finished(const TrimRun::Result &result);

private:
    void call();
    void finish();

    QPointer<RedisConnection> m_connection;
    TrimActions::Options m_options;
    Result m_result;
    bool m_running = false;
    bool m_stop = false;
};

Q_DECLARE_METATYPE(TrimPreviewer::Preview)
Q_DECLARE_METATYPE(TrimRun::Result)
