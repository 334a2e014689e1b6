#include "replyparsers.h"

#include <QHash>

namespace {

bool fail(QString *error, const QString &why)
{
    if (error)
        *error = why;
    return false;
}

// Walks a flat [name, value, name, value, ...] reply (the shape of XINFO replies).
template<typename Visit>
bool forEachField(const RedisValue &reply, const char *what, QString *error, Visit visit)
{
    if (reply.isError())
        return fail(error, QString::fromUtf8(reply.bytes()));
    if (!reply.isArray())
        return fail(error, QStringLiteral("%1: expected an array reply").arg(QLatin1String(what)));
    if (reply.size() % 2 != 0)
        return fail(error, QStringLiteral("%1: odd number of elements in a field list")
                               .arg(QLatin1String(what)));
    for (qsizetype i = 0; i < reply.size(); i += 2) {
        const RedisValue &name = reply.at(i);
        if (!name.isString() && !name.isStatus())
            return fail(error,
                        QStringLiteral("%1: field name is not a string").arg(QLatin1String(what)));
        if (!visit(name.bytes(), reply.at(i + 1)))
            return fail(error, QStringLiteral("%1: unexpected value for \"%2\"")
                                   .arg(QLatin1String(what), QString::fromUtf8(name.bytes())));
    }
    return true;
}

bool readInt(const RedisValue &v, qint64 *out)
{
    if (v.isInteger()) {
        *out = v.toInteger();
        return true;
    }
    if (v.isString()) { // some fields come as strings on some versions
        bool ok = false;
        *out = v.bytes().toLongLong(&ok);
        return ok;
    }
    return false;
}

bool readOptionalInt(const RedisValue &v, std::optional<qint64> *out)
{
    if (v.isNil()) {
        out->reset();
        return true;
    }
    qint64 n = 0;
    if (!readInt(v, &n))
        return false;
    *out = n;
    return true;
}

bool readId(const RedisValue &v, StreamId *out)
{
    if (!v.isString() && !v.isStatus())
        return false;
    const auto id = StreamId::parse(v.bytes());
    if (!id)
        return false;
    *out = *id;
    return true;
}

bool readOptionalId(const RedisValue &v, std::optional<StreamId> *out)
{
    StreamId id;
    if (!readId(v, &id))
        return false;
    *out = id;
    return true;
}

// An entry as XINFO STREAM gives it: [id, [field, value, ...]], or nil.
bool readEntryId(const RedisValue &v, std::optional<StreamId> *out)
{
    if (v.isNil()) {
        out->reset();
        return true;
    }
    if (!v.isArray() || v.size() != 2)
        return false;
    return readOptionalId(v.at(0), out);
}

} // namespace

std::optional<ServerInfo> parseServerInfo(const RedisValue &reply, QString *error)
{
    if (reply.isError()) {
        fail(error, QString::fromUtf8(reply.bytes()));
        return std::nullopt;
    }
    if (!reply.isString()) {
        fail(error, QStringLiteral("INFO: expected a bulk string reply"));
        return std::nullopt;
    }
    QHash<QByteArray, QByteArray> fields;
    for (const QByteArray &line : reply.bytes().split('\n')) {
        const QByteArray l = line.trimmed();
        if (l.isEmpty() || l.startsWith('#'))
            continue;
        const qsizetype colon = l.indexOf(':');
        if (colon > 0)
            fields.insert(l.left(colon), l.mid(colon + 1));
    }
    ServerInfo info;
    info.version = QString::fromLatin1(fields.value("redis_version"));
    if (info.version.isEmpty()) {
        fail(error, QStringLiteral("INFO: no redis_version field"));
        return std::nullopt;
    }
    const QList<QByteArray> parts = fields.value("redis_version").split('.');
    info.major = parts.value(0).toInt();
    info.minor = parts.value(1).toInt();
    info.patch = parts.value(2).toInt();
    info.mode = QString::fromLatin1(fields.value("redis_mode", "standalone"));
    info.role = QString::fromLatin1(fields.value("role"));
    info.os = QString::fromLatin1(fields.value("os"));
    info.uptimeSeconds = fields.value("uptime_in_seconds").toLongLong();
    bool ok = false;
    const qint64 used = fields.value("used_memory").toLongLong(&ok);
    if (ok)
        info.usedMemoryBytes = used;
    return info;
}

std::optional<QString> parseRole(const RedisValue &reply, QString *error)
{
    if (reply.isError()) {
        fail(error, QString::fromUtf8(reply.bytes()));
        return std::nullopt;
    }
    if (!reply.isArray() || reply.size() == 0 || !reply.at(0).isString()) {
        fail(error, QStringLiteral("ROLE: expected an array starting with the role"));
        return std::nullopt;
    }
    return QString::fromLatin1(reply.at(0).bytes());
}

std::optional<StreamInfo> parseStreamInfo(const RedisValue &reply, QString *error)
{
    StreamInfo info;
    bool sawLength = false;
    bool sawLastId = false;
    const bool ok = forEachField(reply, "XINFO STREAM", error,
                                 [&](const QByteArray &name, const RedisValue &v) {
        if (name == "length")
            return sawLength = readInt(v, &info.length);
        if (name == "radix-tree-keys")
            return readInt(v, &info.radixTreeKeys);
        if (name == "radix-tree-nodes")
            return readInt(v, &info.radixTreeNodes);
        if (name == "groups")
            return readInt(v, &info.groups);
        if (name == "last-generated-id")
            return sawLastId = readId(v, &info.lastGeneratedId);
        if (name == "max-deleted-entry-id")
            return readOptionalId(v, &info.maxDeletedEntryId);
        if (name == "entries-added")
            return readOptionalInt(v, &info.entriesAdded);
        if (name == "recorded-first-entry-id")
            return readOptionalId(v, &info.recordedFirstEntryId);
        if (name == "first-entry")
            return readEntryId(v, &info.firstEntryId);
        if (name == "last-entry")
            return readEntryId(v, &info.lastEntryId);
        return true; // fields of newer versions are ignored, not errors
    });
    if (!ok)
        return std::nullopt;
    // Every version since 5.0 sends these; without them the view would show made-up values.
    if (!sawLength || !sawLastId) {
        fail(error, QStringLiteral("XINFO STREAM: no %1 field")
                        .arg(QLatin1String(sawLength ? "last-generated-id" : "length")));
        return std::nullopt;
    }
    return info;
}

std::optional<QList<GroupInfo>> parseGroupsInfo(const RedisValue &reply, QString *error)
{
    if (reply.isError()) {
        fail(error, QString::fromUtf8(reply.bytes()));
        return std::nullopt;
    }
    if (!reply.isArray()) {
        fail(error, QStringLiteral("XINFO GROUPS: expected an array reply"));
        return std::nullopt;
    }
    QList<GroupInfo> groups;
    groups.reserve(reply.size());
    for (const RedisValue &g : reply.elements()) {
        GroupInfo info;
        bool sawName = false;
        unsigned seen = 0; // consumers, pending, last-delivered-id: sent by every version
        const bool ok = forEachField(g, "XINFO GROUPS", error,
                                     [&](const QByteArray &name, const RedisValue &v) {
            if (name == "name") {
                info.name = v.bytes();
                return sawName = v.isString();
            }
            if (name == "consumers") {
                seen |= 1u;
                return readInt(v, &info.consumers);
            }
            if (name == "pending") {
                seen |= 2u;
                return readInt(v, &info.pending);
            }
            if (name == "last-delivered-id") {
                seen |= 4u;
                return readId(v, &info.lastDeliveredId);
            }
            if (name == "entries-read")
                return readOptionalInt(v, &info.entriesRead);
            if (name == "lag")
                return readOptionalInt(v, &info.lag);
            return true;
        });
        if (!ok)
            return std::nullopt;
        if (!sawName) {
            fail(error, QStringLiteral("XINFO GROUPS: a group without a name"));
            return std::nullopt;
        }
        if (seen != 7u) {
            fail(error, QStringLiteral("XINFO GROUPS: group \"%1\" lacks consumers, pending "
                                       "or last-delivered-id")
                            .arg(QString::fromUtf8(info.name)));
            return std::nullopt;
        }
        groups.append(info);
    }
    return groups;
}

std::optional<ScanPage> parseScanPage(const RedisValue &reply, QString *error)
{
    if (reply.isError()) {
        fail(error, QString::fromUtf8(reply.bytes()));
        return std::nullopt;
    }
    if (!reply.isArray() || reply.size() != 2 || !reply.at(0).isString()
        || !reply.at(1).isArray()) {
        fail(error, QStringLiteral("SCAN: expected [cursor, [keys...]]"));
        return std::nullopt;
    }
    bool ok = false;
    reply.at(0).bytes().toULongLong(&ok);
    if (!ok) {
        fail(error, QStringLiteral("SCAN: the cursor is not a number"));
        return std::nullopt;
    }
    ScanPage page;
    page.cursor = reply.at(0).bytes();
    page.keys.reserve(reply.at(1).size());
    for (const RedisValue &k : reply.at(1).elements()) {
        if (!k.isString()) {
            fail(error, QStringLiteral("SCAN: a key that is not a string"));
            return std::nullopt;
        }
        page.keys.append(k.bytes());
    }
    return page;
}
