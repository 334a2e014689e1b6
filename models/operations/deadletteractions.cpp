#include "deadletteractions.h"

#include "keyslot.h"

#include <QCoreApplication>
#include <QCryptographicHash>

#include <algorithm>
#include <utility>

namespace DeadLetterActions {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("DeadLetterActions", text);
}

// A script's skip: a status reply "SKIP <reason>".
constexpr char SkipPrefix[] = "SKIP ";

QString skipReason(const RedisValue &reply)
{
    if (reply.isStatus() && reply.bytes().startsWith(SkipPrefix))
        return QString::fromUtf8(reply.bytes().mid(int(sizeof SkipPrefix) - 1));
    return {};
}

// For verifiers whose reads (XPENDING or XRANGE over one id) come back empty once the
// id's work is done.
QList<bool> goneMeansDone(const QList<QByteArray> &ids, const QList<RedisValue> &replies)
{
    QList<bool> done;
    if (replies.size() != ids.size())
        return done;
    for (const RedisValue &r : replies) {
        if (!r.isArray())
            return {};
        done.append(r.size() == 0);
    }
    return done;
}

RedisCommand scriptLoad(const QByteArray &script)
{
    return RedisCommand{{"SCRIPT", "LOAD", script}};
}

// Chunks of consecutive items that share a key (a chunk's commands must all reach one
// node, in one slot), at most perChunk each.
template<typename Item, typename KeyOf, typename Make>
QList<BulkRunner::Chunk> chunksByKey(const QList<Item> &items, int perChunk, KeyOf keyOf, Make make)
{
    QList<BulkRunner::Chunk> chunks;
    perChunk = qMax(1, perChunk);
    for (const Item &item : items) {
        const QByteArray key = keyOf(item);
        if (chunks.isEmpty() || chunks.constLast().ids.size() >= perChunk
            || chunks.constLast().commands.constLast().key != key)
            chunks.append(BulkRunner::Chunk{});
        BulkRunner::Chunk &chunk = chunks.last();
        auto [id, command] = make(item);
        command.key = key;
        chunk.ids.append(id);
        chunk.commands.append(std::move(command));
    }
    return chunks;
}

QList<QByteArray> flatten(const QList<QPair<QByteArray, QByteArray>> &fields)
{
    QList<QByteArray> out;
    out.reserve(fields.size() * 2);
    for (const auto &[name, value] : fields)
        out << name << value;
    return out;
}

QByteArray isoTime(const QDateTime &time)
{
    return time.toUTC().toString(Qt::ISODateWithMs).toUtf8();
}

} // namespace

Path pathFor(const QByteArray &a, const QByteArray &b, bool cluster)
{
    return !cluster || keySlot(a) == keySlot(b) ? Path::Atomic : Path::CopyThenRemove;
}

QString describe(Path path)
{
    if (path == Path::Atomic)
        return tr("Each one is done by one Lua script on the server, atomically: its copy is "
                  "written and the original removed together, or not at all.");
    return tr("The two streams are in different cluster slots, so no one script can reach both: "
              "each copy is written first, and the original removed once the copy is known "
              "written. If the run is interrupted, a message may end up in both places; none is "
              "lost, and the report names the ones that may be twice.");
}

// KEYS: the stream, the dead-letter stream. ARGV: group, id, delete from the stream
// ("1"), failed-at, reason, then the six metadata field names (empty: not written).
QByteArray moveScript()
{
    return QByteArrayLiteral(R"LUA(-- Weir: move one pending entry to a dead-letter stream
local p = redis.call('XPENDING', KEYS[1], ARGV[1], ARGV[2], ARGV[2], 1)
if #p == 0 then return redis.status_reply('SKIP no longer pending in the group') end
local e = redis.call('XRANGE', KEYS[1], ARGV[2], ARGV[2])
if #e == 0 then
  return redis.status_reply('SKIP deleted from the stream: only its pending reference is left')
end
local f = {}
local values = {KEYS[1], ARGV[2], ARGV[1], ARGV[5], tostring(p[1][4]), ARGV[4]}
for i = 1, 6 do
  if ARGV[5 + i] ~= '' then
    f[#f + 1] = ARGV[5 + i]
    f[#f + 1] = values[i]
  end
end
for _, v in ipairs(e[1][2]) do f[#f + 1] = v end
local id = redis.call('XADD', KEYS[2], '*', unpack(f))
redis.call('XACK', KEYS[1], ARGV[1], ARGV[2])
if ARGV[3] == '1' then redis.call('XDEL', KEYS[1], ARGV[2]) end
return id
)LUA");
}

// KEYS: the dead-letter stream, the target. ARGV: the dead letter's id, then the fields
// to write, as planReplay() worked them out (the message unpacked from the content with
// its bytes exactly as they were, which Lua's JSON could not promise).
QByteArray replayScript()
{
    return QByteArrayLiteral(R"LUA(-- Weir: replay one dead letter
local e = redis.call('XRANGE', KEYS[1], ARGV[1], ARGV[1])
if #e == 0 then return redis.status_reply('SKIP no longer in the dead-letter stream') end
local id = redis.call('XADD', KEYS[2], '*', unpack(ARGV, 2))
redis.call('XDEL', KEYS[1], ARGV[1])
return id
)LUA");
}

QByteArray sha1(const QByteArray &script)
{
    return QCryptographicHash::hash(script, QCryptographicHash::Sha1).toHex();
}

// ---- Move

QString validate(const MoveOptions &options)
{
    if (options.stream.isEmpty() || options.group.isEmpty())
        return tr("Choose a stream and a consumer group.");
    if (options.deadLetterStream.isEmpty())
        return tr("Name the dead-letter stream.");
    if (options.deadLetterStream == options.stream)
        return tr("The dead-letter stream must not be the stream itself.");
    if (options.reason.trimmed().isEmpty())
        return tr("Say why these messages are dead: the reason is kept with each of them.");
    return {};
}

QList<QPair<QByteArray, QByteArray>> deadLetterFields(const StreamEntry &entry, qint64 deliveries,
                                                      const MoveOptions &options,
                                                      const DeadLetterConventions &c,
                                                      const QDateTime &failedAt)
{
    const QByteArray names[] = {c.originalStreamField, c.originalIdField, c.groupField,
                                c.reasonField,         c.retryCountField, c.failedAtField};
    const QByteArray values[] = {
        options.stream,          entry.id.toByteArray(),         options.group,
        options.reason.toUtf8(), QByteArray::number(deliveries), isoTime(failedAt)};
    QList<QPair<QByteArray, QByteArray>> fields;
    for (int i = 0; i < 6; ++i) {
        if (!names[i].isEmpty())
            fields.append({names[i], values[i]});
    }
    return fields + entry.fields;
}

QList<BulkRunner::Chunk> moveChunks(const QList<QByteArray> &ids, const MoveOptions &options,
                                    const DeadLetterConventions &c, const QDateTime &failedAt,
                                    int perChunk)
{
    const QByteArray script = moveScript();
    const QByteArray sha = sha1(script);
    QList<BulkRunner::Chunk> chunks =
        BulkRunner::chunked(ids, perChunk, [&](const QList<QByteArray> &part) {
            QList<RedisCommand> commands;
            for (const QByteArray &id : part) {
                commands.append(RedisCommand{
                    {"EVALSHA", sha, "2", options.stream, options.deadLetterStream, options.group,
                     id, options.deleteFromSource ? "1" : "0", isoTime(failedAt),
                     options.reason.toUtf8(), c.originalStreamField, c.originalIdField,
                     c.groupField, c.reasonField, c.retryCountField, c.failedAtField},
                    options.stream});
            }
            return commands;
        });
    for (BulkRunner::Chunk &chunk : chunks)
        chunk.prelude = {scriptLoad(script)};
    return chunks;
}

QList<BulkRunner::Chunk> moveCopyChunks(const QList<PendingToMove> &entries,
                                        const MoveOptions &options, const DeadLetterConventions &c,
                                        const QDateTime &failedAt, int perChunk)
{
    return chunksByKey(
        entries, perChunk, [&](const PendingToMove &) { return options.deadLetterStream; },
        [&](const PendingToMove &p) {
        return std::pair{
            p.entry.id.toByteArray(),
            RedisCommand{QList<QByteArray>{"XADD", options.deadLetterStream, "*"}
                         + flatten(deadLetterFields(p.entry, p.deliveries, options, c, failedAt))}};
        });
}

void readPendingToMove(
    RedisConnection *connection, const MoveOptions &options, const QList<QByteArray> &ids,
    QObject *context,
    std::function<void(const QList<PendingToMove> &entries, const QString &error)> done)
{
    QList<RedisCommand> reads;
    for (const QByteArray &id : ids) {
        reads.append(RedisCommand({"XRANGE", options.stream, id, id}, options.stream));
        reads.append(
            RedisCommand({"XPENDING", options.stream, options.group, id, id, "1"}, options.stream));
    }
    connection->send(reads, context, [done = std::move(done)](const RedisResult &r) {
        if (!r.ok()) {
            done({}, r.error);
            return;
        }
        QList<PendingToMove> entries;
        for (qsizetype i = 0; i + 1 < r.replies.size(); i += 2) {
            QString error;
            const auto entry = parseEntries(r.replies.at(i), &error);
            const RedisValue &pending = r.replies.at(i + 1);
            if (entry && !entry->isEmpty() && pending.size() == 1)
                entries.append({entry->first(), pending.at(0).at(3).toInteger()});
        }
        done(entries, {});
    });
}

BulkRunner::SecondPhase moveSecondPhase(const MoveOptions &options)
{
    return [options](const QList<QByteArray> &ids) {
        QList<RedisCommand> commands{RedisCommand{
            QList<QByteArray>{"XACK", options.stream, options.group} + ids, options.stream}};
        if (options.deleteFromSource)
            commands.append(
                RedisCommand{QList<QByteArray>{"XDEL", options.stream} + ids, options.stream});
        return commands;
    };
}

BulkRunner::Verifier moveVerifier(const MoveOptions &options)
{
    BulkRunner::Verifier v;
    v.commands = [options](const QList<QByteArray> &ids) {
        QList<RedisCommand> commands;
        for (const QByteArray &id : ids)
            commands.append(RedisCommand{{"XPENDING", options.stream, options.group, id, id, "1"},
                                         options.stream});
        return commands;
    };
    v.applied = goneMeansDone;
    v.skipped = skipReason;
    return v;
}

// ---- Replay

QString validate(const ReplayOptions &options)
{
    if (options.deadLetterStream.isEmpty())
        return tr("Choose the dead-letter stream to replay from.");
    if (!options.target.isEmpty() && options.target == options.deadLetterStream)
        return tr("The target must not be the dead-letter stream itself.");
    if (options.counterField.contains('\n'))
        return tr("The replay counter's field name must be one line.");
    return {};
}

ReplayItem planReplay(const StreamEntry &deadLetter, const ReplayOptions &options,
                      const DeadLetterFields &c)
{
    ReplayItem item;
    item.id = deadLetter.id.toByteArray();
    item.target = options.target;
    if (item.target.isEmpty()) {
        for (const auto &[name, value] : deadLetter.fields) {
            if (!c.originalStreamField.isEmpty() && name == c.originalStreamField) {
                item.target = value;
                break;
            }
        }
        if (item.target.isEmpty()) {
            item.skipReason = tr("no original stream recorded: pick a target stream");
            return item;
        }
        if (item.target == options.deadLetterStream) {
            item.skipReason = tr("its original stream is the dead-letter stream itself");
            return item;
        }
    }
    QList<QByteArray> strip = options.stripMetadata ? c.metadataFields() : QList<QByteArray>();
    QByteArray rename;
    if (options.stripMetadata && !c.contentField.isEmpty()) {
        // A content that holds the whole message is the message: its fields are written,
        // and the dead letter's own other fields (its headers, when it was created) are
        // left out, and named in the dry run.
        for (const auto &[name, value] : deadLetter.fields) {
            if (name != c.contentField)
                continue;
            if (std::optional<QList<QPair<QByteArray, QByteArray>>> message =
                    originalFieldsFromContent(value, &item.unpacked)) {
                item.fields = *message;
                for (const auto &field : deadLetter.fields) {
                    if (field.first != c.contentField && !strip.removeOne(field.first))
                        item.leftOut.append(field.first);
                }
            }
            break;
        }
        if (item.unpacked.isEmpty() && !c.contentOriginalField.isEmpty()) {
            rename = c.contentField;
            for (const auto &field : deadLetter.fields) {
                if (field.first == c.contentOriginalField)
                    rename.clear();
            }
        }
    }
    if (item.unpacked.isEmpty()) {
        for (auto [name, value] : deadLetter.fields) {
            if (const qsizetype at = strip.indexOf(name); at >= 0) {
                strip.removeAt(at);
                continue;
            }
            if (!rename.isEmpty() && name == rename) {
                name = c.contentOriginalField;
                rename.clear();
            }
            item.fields.append({name, value});
        }
    }
    if (!options.counterField.isEmpty()) {
        bool counted = false;
        for (auto &[name, value] : item.fields) {
            if (name != options.counterField)
                continue;
            bool isNumber = false;
            const qint64 n = value.toLongLong(&isNumber);
            value = QByteArray::number((isNumber ? n : 0) + 1);
            counted = true;
            break;
        }
        if (!counted)
            item.fields.append({options.counterField, "1"});
    }
    if (item.fields.isEmpty())
        item.skipReason = tr("nothing left to write once the metadata is stripped");
    return item;
}

Path replayPath(const QList<ReplayItem> &items, const ReplayOptions &options, bool cluster)
{
    if (!options.target.isEmpty())
        return pathFor(options.deadLetterStream, options.target, cluster);
    for (const ReplayItem &item : items) {
        if (item.skipReason.isEmpty()
            && pathFor(options.deadLetterStream, item.target, cluster) == Path::CopyThenRemove)
            return Path::CopyThenRemove;
    }
    return Path::Atomic;
}

ReplaySelection selectReplay(const QList<ReplayItem> &items, const QList<QByteArray> &missing)
{
    ReplaySelection selection;
    for (const ReplayItem &item : items) {
        if (item.skipReason.isEmpty())
            selection.toSend.append(item.id);
        else
            selection.skipped.append({item.id, item.skipReason});
    }
    for (const QByteArray &id : missing)
        selection.skipped.append({id, tr("no longer in the dead-letter stream")});
    return selection;
}

QList<QPair<QByteArray, qsizetype>> replayTargets(const QList<ReplayItem> &items)
{
    QList<QPair<QByteArray, qsizetype>> targets;
    for (const ReplayItem &item : items) {
        if (!item.skipReason.isEmpty())
            continue;
        auto it = std::find_if(targets.begin(), targets.end(),
                               [&](const auto &t) { return t.first == item.target; });
        if (it == targets.end())
            targets.append({item.target, 1});
        else
            ++it->second;
    }
    return targets;
}

QList<BulkRunner::Chunk> replayChunks(const QList<ReplayItem> &items, const ReplayOptions &options,
                                      int perChunk)
{
    QList<ReplayItem> toSend;
    for (const ReplayItem &item : items) {
        if (item.skipReason.isEmpty())
            toSend.append(item);
    }
    const auto targetOf = [](const ReplayItem &item) { return item.target; };
    if (options.path == Path::CopyThenRemove) {
        return chunksByKey(toSend, perChunk, targetOf, [](const ReplayItem &item) {
            return std::pair{item.id, RedisCommand{QList<QByteArray>{"XADD", item.target, "*"}
                                                   + flatten(item.fields)}};
        });
    }
    const QByteArray script = replayScript();
    const QByteArray sha = sha1(script);
    QList<BulkRunner::Chunk> chunks = chunksByKey(toSend, perChunk, targetOf,
                                                  [&](const ReplayItem &item) {
        return std::pair{
            item.id, RedisCommand{QList<QByteArray>{"EVALSHA", sha, "2", options.deadLetterStream,
                                                    item.target, item.id}
                                  + flatten(item.fields)}};
    });
    for (BulkRunner::Chunk &chunk : chunks)
        chunk.prelude = {scriptLoad(script)};
    return chunks;
}

BulkRunner::SecondPhase replaySecondPhase(const ReplayOptions &options)
{
    return [options](const QList<QByteArray> &ids) {
        return QList<RedisCommand>{RedisCommand{
            QList<QByteArray>{"XDEL", options.deadLetterStream} + ids, options.deadLetterStream}};
    };
}

BulkRunner::Verifier replayVerifier(const ReplayOptions &options)
{
    BulkRunner::Verifier v;
    v.commands = [options](const QList<QByteArray> &ids) {
        QList<RedisCommand> commands;
        for (const QByteArray &id : ids)
            commands.append(RedisCommand{{"XRANGE", options.deadLetterStream, id, id},
                                         options.deadLetterStream});
        return commands;
    };
    v.applied = goneMeansDone;
    v.skipped = skipReason;
    return v;
}

// ---- Redrive

QList<BulkRunner::Chunk> copyChunks(const QList<StreamEntry> &entries, const QByteArray &target,
                                    int perChunk)
{
    return chunksByKey(
        entries, perChunk, [&](const StreamEntry &) { return target; },
        [&](const StreamEntry &e) {
        return std::pair{e.id.toByteArray(),
                         RedisCommand{QList<QByteArray>{"XADD", target, "*"} + flatten(e.fields)}};
        });
}

} // namespace DeadLetterActions
