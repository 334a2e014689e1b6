#pragma once

#include "redisvalue.h"
#include "streamid.h"

#include <QList>
#include <QMetaType>
#include <QString>

#include <optional>

// Typed views of Redis replies. Every parser is a pure function: it never throws,
// never crashes on a malformed reply, and reports what was wrong in `error`.

// What a server is, identified once (from INFO, or HELLO where INFO is not allowed), and
// the facts Weir switches features on. Features follow the Redis version the server is
// compatible with, never the product's name: Valkey 8.0.1 says redis_version:7.2.4 and
// has what Redis 7.2.4 has.
struct ServerInfo
{
    enum class Product : quint8 { Unknown, Redis, Valkey, Other };
    Product product = Product::Unknown;
    QString productName;  // "Redis", "Valkey", or another product's own name for itself
    QString version;      // the product's own version: "8.0.1" for Valkey 8.0.1
    QString redisVersion; // the Redis version it is compatible with: "7.2.4" for Valkey 8.0.1
    int major = 0, minor = 0, patch = 0; // of redisVersion; 0 while it is not known
    QString mode;                        // "standalone", "cluster" or "sentinel"
    QString role;                        // "master", "slave"/"replica", "sentinel"
    QString os;
    qint64 uptimeSeconds = 0;
    qint64 usedMemoryBytes = -1; // when the reply had the memory section

    // Sets the product and versions from what the server calls itself (INFO's server_name
    // or HELLO's "server"; empty for Redis, which names itself only in HELLO), its own
    // version, and the Redis version it reports (empty when unknown: then, for Valkey, the
    // 7.2.4 that every Valkey 8 reports).
    void identify(const QString &serverName, const QString &ownVersion,
                  const QString &compatibleVersion);
    bool isKnown() const { return !version.isEmpty(); }
    // "Valkey 8.0.1", "Redis 7.0.15"; empty while the server is not known.
    QString displayName() const;
    // ", compatible with Redis 7.2.4" for a product that is not Redis; else empty.
    QString compatibilityNote() const;

    bool isAtLeast(int maj, int min, int pat = 0) const
    {
        return major != maj ? major > maj : (minor != min ? minor > min : patch >= pat);
    }
    // Feature switches (and the Redis version that brought them).
    bool hasScanType() const { return isAtLeast(6, 0); }
    bool hasExclusiveRanges() const { return isAtLeast(6, 2); }
    bool hasCreateConsumer() const { return isAtLeast(6, 2); }
    // XINFO GROUPS' entries-read and lag, XGROUP ... ENTRIESREAD, XSETID ENTRIESADDED.
    bool hasGroupLag() const { return isAtLeast(7, 0); }
    // XADD with an id of "<ms>-*".
    bool hasPartialAutoIds() const { return isAtLeast(7, 0); }
    // CLUSTER SHARDS.
    bool hasClusterShards() const { return isAtLeast(7, 0); }
    // XCLAIM and XAUTOCLAIM drop a pending entry whose stream entry is gone (XAUTOCLAIM
    // names it); before, they claim it and name it by a nil.
    bool hasClaimDropsDeleted() const { return isAtLeast(7, 0); }
    bool hasConsumerInactive() const { return isAtLeast(7, 2); }
};

struct StreamInfo
{
    qint64 length = 0;
    qint64 radixTreeKeys = 0;
    qint64 radixTreeNodes = 0;
    qint64 groups = 0;
    StreamId lastGeneratedId;
    std::optional<StreamId> maxDeletedEntryId;    // 7.0+
    std::optional<qint64> entriesAdded;           // 7.0+
    std::optional<StreamId> recordedFirstEntryId; // 7.0+
    std::optional<StreamId> firstEntryId;         // absent when the stream is empty
    std::optional<StreamId> lastEntryId;
};

struct GroupInfo
{
    QByteArray name;
    qint64 consumers = 0;
    qint64 pending = 0;
    StreamId lastDeliveredId;
    std::optional<qint64> entriesRead; // 7.0+, nil when unknown
    std::optional<qint64> lag;         // 7.0+, nil when Redis cannot tell
};

struct ScanPage
{
    QByteArray cursor; // "0" when the iteration is complete
    QList<QByteArray> keys;
};

// INFO (any sections): the key:value lines, with the fields of ServerInfo filled.
std::optional<ServerInfo> parseServerInfo(const RedisValue &reply, QString *error);
// HELLO's map (RESP2: a flat [name, value, ...] array): product, version, mode and role,
// for users who may not run INFO.
std::optional<ServerInfo> parseHello(const RedisValue &reply, QString *error);
// ROLE's first element, "master", "slave" or "sentinel".
std::optional<QString> parseRole(const RedisValue &reply, QString *error);
std::optional<StreamInfo> parseStreamInfo(const RedisValue &reply, QString *error);
std::optional<QList<GroupInfo>> parseGroupsInfo(const RedisValue &reply, QString *error);
std::optional<ScanPage> parseScanPage(const RedisValue &reply, QString *error);

Q_DECLARE_METATYPE(ServerInfo)
