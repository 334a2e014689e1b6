#pragma once

#include "redisvalue.h"
#include "streamid.h"

#include <QList>
#include <QMetaType>
#include <QString>

#include <optional>

// Typed views of Redis replies. Every parser is a pure function: it never throws,
// never crashes on a malformed reply, and reports what was wrong in `error`.

// The server facts Weir switches features on.
struct ServerInfo
{
    QString version;            // "7.0.15"
    int major = 0, minor = 0, patch = 0;
    QString mode;               // "standalone", "cluster" or "sentinel"
    QString role;               // "master", "slave"/"replica", "sentinel"
    QString os;
    qint64 uptimeSeconds = 0;
    qint64 usedMemoryBytes = -1; // when the reply had the memory section

    bool isAtLeast(int maj, int min, int pat = 0) const
    {
        return major != maj ? major > maj : (minor != min ? minor > min : patch >= pat);
    }
    // Feature switches (and the version that brought them).
    bool hasScanType() const { return isAtLeast(6, 0); }
    bool hasExclusiveRanges() const { return isAtLeast(6, 2); }
    bool hasGroupLag() const { return isAtLeast(7, 0); }
    bool hasConsumerInactive() const { return isAtLeast(7, 2); }
};

struct StreamInfo
{
    qint64 length = 0;
    qint64 radixTreeKeys = 0;
    qint64 radixTreeNodes = 0;
    qint64 groups = 0;
    StreamId lastGeneratedId;
    std::optional<StreamId> maxDeletedEntryId;   // 7.0+
    std::optional<qint64> entriesAdded;          // 7.0+
    std::optional<StreamId> recordedFirstEntryId; // 7.0+
    std::optional<StreamId> firstEntryId;        // absent when the stream is empty
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
// ROLE's first element, "master", "slave" or "sentinel".
std::optional<QString> parseRole(const RedisValue &reply, QString *error);
std::optional<StreamInfo> parseStreamInfo(const RedisValue &reply, QString *error);
std::optional<QList<GroupInfo>> parseGroupsInfo(const RedisValue &reply, QString *error);
std::optional<ScanPage> parseScanPage(const RedisValue &reply, QString *error);

Q_DECLARE_METATYPE(ServerInfo)
