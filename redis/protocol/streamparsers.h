#pragma once

#include "redisvalue.h"
#include "streamid.h"

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>

#include <optional>

// Typed views of the stream-reading replies (XRANGE, XREAD, XREADGROUP, XPENDING,
// XAUTOCLAIM, XINFO CONSUMERS). Like replyparsers.h: pure functions that never throw or
// crash on a malformed reply; they return std::nullopt and say what was wrong in `error`
// (when it is not null). An error reply gives its own text as the message.

// One entry of a stream. Field names and values are binary-safe bytes, in stream order.
struct StreamEntry
{
    StreamId id;
    QList<QPair<QByteArray, QByteArray>> fields;
    // The entry is still in a pending entries list but no longer in the stream (XDEL or
    // trimming): XREADGROUP with an explicit id, and XCLAIM before 7.0, send its fields as
    // nil. `fields` is empty then.
    bool deleted = false;
};

// The entries one stream contributed to an XREAD / XREADGROUP reply.
struct StreamReadBatch
{
    QByteArray key;
    QList<StreamEntry> entries;
};

// XINFO CONSUMERS, one consumer.
struct ConsumerInfo
{
    QByteArray name;
    qint64 pending = 0;
    qint64 idleMs = 0;                // since the last attempted interaction
    std::optional<qint64> inactiveMs; // 7.2+: since the last successful one; -1 if never
};

// XPENDING key group.
struct PendingSummary
{
    qint64 count = 0;
    std::optional<StreamId> smallest; // absent when count is 0
    std::optional<StreamId> largest;
    QList<QPair<QByteArray, qint64>> consumers; // consumer, entries pending; empty when count is 0
};

// XPENDING key group [IDLE ms] start end count [consumer], one pending entry.
struct PendingEntry
{
    StreamId id;
    QByteArray consumer;
    qint64 idleMs = 0;
    qint64 deliveries = 0;
};

// XAUTOCLAIM (not the JUSTID form, whose entries are bare ids).
struct AutoClaimPage
{
    StreamId nextCursor;        // 0-0 when the scan of the pending entries list is complete
    QList<StreamEntry> entries; // the claimed entries
    QList<StreamId> deletedIds; // 7.0+: pending ids whose entries were gone, now unowned
};

// XRANGE / XREVRANGE / XCLAIM replies, and the entry list of one stream in an XREAD reply:
// [[id, [field, value, ...] or nil], ...]. A nil in place of a whole entry (XCLAIM before
// 7.0 for an entry deleted meanwhile) carries no id and is skipped.
std::optional<QList<StreamEntry>> parseEntries(const RedisValue &reply, QString *error);
// A whole XREAD / XREADGROUP reply: [[key, entries], ...], or nil (nothing new, or a
// BLOCK timeout) which gives an empty list.
std::optional<QList<StreamReadBatch>> parseStreamRead(const RedisValue &reply, QString *error);
std::optional<QList<ConsumerInfo>> parseConsumersInfo(const RedisValue &reply, QString *error);
std::optional<PendingSummary> parsePendingSummary(const RedisValue &reply, QString *error);
std::optional<QList<PendingEntry>> parsePendingEntries(const RedisValue &reply, QString *error);
// Both shapes: [cursor, entries, deleted ids] (7.0+) and [cursor, entries] (6.2).
std::optional<AutoClaimPage> parseAutoClaim(const RedisValue &reply, QString *error);
