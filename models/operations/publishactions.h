#pragma once

#include "bulkrunner.h"
#include "replyparsers.h"

#include <QPair>

// Publishing entries (XADD): what an operator asks for, why it cannot be sent yet, the
// command it makes, and the chunks that publish N copies of it.
namespace PublishActions {

using Fields = QList<QPair<QByteArray, QByteArray>>;

struct Options
{
    QByteArray key;
    Fields fields;
    enum class Id { Auto, Explicit, MillisecondsAuto } idMode = Id::Auto;
    QByteArray id; // Explicit: "<ms>-<seq>" or "<ms>"; MillisecondsAuto: "<ms>"
    enum class Trim { None, MaxLen, MinId } trim = Trim::None;
    bool approximate = false; // "~": whole nodes only, cheaper, may keep a few more
    QByteArray threshold;     // MAXLEN: a count; MINID: an id
    bool noMkStream = false;  // NOMKSTREAM: publish only if the stream exists
    qint64 copies = 1;
    double perSecond = 0; // a rate limit for copies; 0: as fast as Redis takes them
};

constexpr qint64 MaxCopies = 10'000'000;

// Why `options` cannot be sent to `server` (empty when they can). `lastId`, when known,
// is the target stream's last id: an explicit id must be greater.
QString validate(const Options &options, const ServerInfo &server, const QByteArray &lastId = {});

// XADD key [NOMKSTREAM] [MAXLEN|MINID [=|~] threshold] id field value...
RedisCommand command(const Options &options);
// `options.copies` XADDs, `perChunk` to a chunk (fewer when rate limited, so that the
// pace stays even); each copy's report id is its number, from 1.
QList<BulkRunner::Chunk> copyChunks(const Options &options, int perChunk = 1000);

// What publishing one entry came to.
struct Published
{
    QByteArray id; // the new entry's id; empty when nothing was published
    QString error; // a Redis or connection error, verbatim; empty when there was none
    // The connection failed after the XADD was written: it may or may not have been applied.
    bool maybeApplied = false;
    // Neither an id nor an error: NOMKSTREAM, and the stream does not exist.
    bool notCreated() const { return id.isEmpty() && error.isEmpty(); }
};
// Publishes one entry (command(options), whatever options.copies says) and calls `done` on
// `context`'s thread, unless `context` is destroyed first.
void publish(RedisConnection *connection, const Options &options, QObject *context,
             std::function<void(const Published &)> done);

// Fields from a JSON object, in the order its members are typed (a repeated name kept
// twice): a string as its value (escapes undone), anything else exactly as typed (a
// 19-digit integer, 1.0, a nested object with its spaces). Returns why it cannot (empty
// on success), with the position of a syntax error.
QString fieldsFromJson(const QByteArray &json, Fields *fields);
// The fields as an indented JSON object of strings, in their order (a value that is not
// UTF-8 is not shown exactly: `exact` is set to false).
QByteArray fieldsToJson(const Fields &fields, bool *exact = nullptr);

} // namespace PublishActions
