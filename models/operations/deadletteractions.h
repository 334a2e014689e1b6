#pragma once

#include "bulkrunner.h"
#include "deadletters.h"
#include "streamparsers.h"

#include <QDateTime>

// Moving poison messages to a dead-letter stream, and replaying dead letters, as bulk
// runs that lose no message.
//
// Where the two keys live on one node (always, outside a cluster) each entry goes in one
// Lua script, atomically: moving reads the pending entry, writes its dead letter and acks
// it; replaying reads the dead letter, writes its copy and deletes it. A script that finds
// its work already done (the entry no longer pending, the dead letter gone) skips, so a
// run can simply be started again over what is left after a crash. Where they cannot be
// (keys in different cluster slots), the copy is written first and the original removed
// only once the copy is known written: after a crash a message may be there twice, never
// lost, and the report names the ones that may.
namespace DeadLetterActions {

constexpr int EntriesPerChunk = 100;

// How a run is done: one script per entry, or copy then remove (see above).
enum class Path { Atomic, CopyThenRemove };
// The path two keys allow: atomic unless they hash to different cluster slots.
Path pathFor(const QByteArray &a, const QByteArray &b, bool cluster);
QString describe(Path path);

// The Lua scripts, and the SHA1 EVALSHA calls them by. Each chunk loads its script
// first (SCRIPT LOAD in the chunk's MULTI), so a server restarted half-way, which forgot
// its scripts, never answers NOSCRIPT.
QByteArray moveScript();
QByteArray replayScript();
QByteArray sha1(const QByteArray &script);

// ---- Move poison messages

struct MoveOptions
{
    QByteArray stream = {};
    QByteArray group = {};
    QByteArray deadLetterStream = {};
    QString reason = {};           // recorded in the reason field of every dead letter
    bool deleteFromSource = false; // XDEL the entry from the stream after acking it
    Path path = Path::Atomic;
};
// Why `options` cannot be run (empty when they can).
QString validate(const MoveOptions &options);

// The dead letter written for one pending entry: the metadata fields the conventions
// name (original stream, id, group, reason, delivery count, the time), then the entry's
// own fields, unchanged and in order. The move script writes exactly this.
QList<QPair<QByteArray, QByteArray>> deadLetterFields(const StreamEntry &entry, qint64 deliveries,
                                                      const MoveOptions &options,
                                                      const DeadLetterConventions &conventions,
                                                      const QDateTime &failedAt);

// Atomic path: EVALSHA of the move script per id.
QList<BulkRunner::Chunk> moveChunks(const QList<QByteArray> &ids, const MoveOptions &options,
                                    const DeadLetterConventions &conventions,
                                    const QDateTime &failedAt, int perChunk = EntriesPerChunk);
// Copy-then-remove path, from the entries read beforehand: XADD of each dead letter; the
// second phase (moveSecondPhase) acks them (and deletes them from the stream).
struct PendingToMove
{
    StreamEntry entry;
    qint64 deliveries = 0;
};
QList<BulkRunner::Chunk> moveCopyChunks(const QList<PendingToMove> &entries,
                                        const MoveOptions &options,
                                        const DeadLetterConventions &conventions,
                                        const QDateTime &failedAt, int perChunk = EntriesPerChunk);
// Reads the entries with `ids` and their delivery counts (XRANGE id id, XPENDING ... id id 1
// each, in one request), for moveCopyChunks: an id no longer in the stream, or no longer
// pending, is left out. Calls `done` on `context`'s thread with them, or with a Redis or
// connection error, verbatim. Reads only.
void readPendingToMove(
    RedisConnection *connection, const MoveOptions &options, const QList<QByteArray> &ids,
    QObject *context,
    std::function<void(const QList<PendingToMove> &entries, const QString &error)> done);
BulkRunner::SecondPhase moveSecondPhase(const MoveOptions &options);
// An entry counts as moved once its group no longer holds it as pending; the script's
// "SKIP ..." replies are skips with their reason.
BulkRunner::Verifier moveVerifier(const MoveOptions &options);

// ---- Replay dead letters

struct ReplayOptions
{
    QByteArray deadLetterStream = {};
    QByteArray target = {};       // empty: each dead letter's original stream
    bool stripMetadata = true;    // leave out the metadata fields the conventions name
    QByteArray counterField = {}; // set to 1, or incremented when present; empty: none
    Path path = Path::Atomic;
};
QString validate(const ReplayOptions &options);

// What replaying one dead letter writes, worked out here exactly as the replay script
// does it: the dry run shows these, and the copy-then-remove path sends them.
struct ReplayItem
{
    QByteArray id;     // in the dead-letter stream
    QByteArray target; // where the copy goes
    QList<QPair<QByteArray, QByteArray>> fields;
    QString skipReason; // not replayed, and why (no target known, nothing to write)
    // How the message was unpacked from the content field ("gzip + base64 → JSON
    // object"); empty when the fields are the dead letter's own, metadata stripped.
    QString unpacked;
    // The dead letter's fields not written because the content held the whole message.
    QList<QByteArray> leftOut;
};
// With the metadata stripped, the message comes back as it was: from the content field
// when it holds the whole entry (see originalFieldsFromContent), else the dead letter's
// other fields with the content under its original name. `conventions` are the
// dead-letter stream's (forStream()).
ReplayItem planReplay(const StreamEntry &deadLetter, const ReplayOptions &options,
                      const DeadLetterFields &conventions);

// The path a replay of `items` takes: that of options.target when one is set, else copy
// then remove as soon as one item's target lies where no script reaches it and the
// dead-letter stream (another slot of a cluster).
Path replayPath(const QList<ReplayItem> &items, const ReplayOptions &options, bool cluster);

// What a replay of `items` sends and what it leaves out beforehand, with why: the items
// skipped, then `missing` (ids asked for that are no longer in the dead-letter stream).
struct ReplaySelection
{
    QList<QByteArray> toSend;
    QList<QPair<QByteArray, QString>> skipped;
};
ReplaySelection selectReplay(const QList<ReplayItem> &items, const QList<QByteArray> &missing);

// Where the copies of `items` go (skipped ones left out): each target with how many copies
// it receives, in the order the targets are first met.
QList<QPair<QByteArray, qsizetype>> replayTargets(const QList<ReplayItem> &items);

// The items to send (skipped ones left out), in chunks of one target each. The script
// writes exactly the fields planned.
QList<BulkRunner::Chunk> replayChunks(const QList<ReplayItem> &items, const ReplayOptions &options,
                                      int perChunk = EntriesPerChunk);
BulkRunner::SecondPhase replaySecondPhase(const ReplayOptions &options);
// A dead letter counts as replayed once it is gone from the dead-letter stream.
BulkRunner::Verifier replayVerifier(const ReplayOptions &options);

// ---- Redrive: copy entries of an ordinary stream to another, unchanged (XADD per entry).

QList<BulkRunner::Chunk> copyChunks(const QList<StreamEntry> &entries, const QByteArray &target,
                                    int perChunk = EntriesPerChunk);

} // namespace DeadLetterActions
