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
        return fail(
            error,
            QStringLiteral("%1: odd number of elements in a field list").arg(QLatin1String(what)));
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
    const QByteArray redisVersion = fields.value("redis_version");
    if (redisVersion.isEmpty()) {
        fail(error, QStringLiteral("INFO: no redis_version field"));
        return std::nullopt;
    }
    // Valkey says server_name:valkey and valkey_version; Redis says neither.
    const QByteArray name = fields.value("server_name");
    const QByteArray own = name.isEmpty() ? QByteArray() : fields.value(name + "_version");
    ServerInfo info;
    info.identify(QString::fromUtf8(name), QString::fromLatin1(own.isEmpty() ? redisVersion : own),
                  QString::fromLatin1(redisVersion));
    info.mode =
        QString::fromLatin1(fields.value("redis_mode", fields.value("server_mode", "standalone")));
    info.role = QString::fromLatin1(fields.value("role"));
    info.os = QString::fromLatin1(fields.value("os"));
    info.uptimeSeconds = fields.value("uptime_in_seconds").toLongLong();
    bool ok = false;
    const qint64 used = fields.value("used_memory").toLongLong(&ok);
    if (ok)
        info.usedMemoryBytes = used;
    return info;
}

std::optional<ServerInfo> parseHello(const RedisValue &reply, QString *error)
{
    QString name, version;
    ServerInfo info;
    const bool ok =
        forEachField(reply, "HELLO", error, [&](const QByteArray &field, const RedisValue &value) {
            const QString text = QString::fromUtf8(value.bytes());
            if (field == "server")
                name = text;
            else if (field == "version")
                version = text;
            else if (field == "mode")
                info.mode = text;
            else if (field == "role")
                info.role = text;
            return true;
        });
    if (!ok)
        return std::nullopt;
    if (version.isEmpty()) {
        fail(error, QStringLiteral("HELLO: no version field"));
        return std::nullopt;
    }
    // Redis names itself "redis" here; its own version is then the Redis version.
    const bool redis = name.compare(QLatin1String("redis"), Qt::CaseInsensitive) == 0;
    info.identify(redis ? QString() : name, version, redis ? version : QString());
    return info;
}

void ServerInfo::identify(const QString &serverName, const QString &ownVersion,
                          const QString &compatibleVersion)
{
    const QString lower = serverName.toLower();
    if (lower.isEmpty() || lower == QLatin1String("redis")) {
        product = Product::Redis;
        productName = QStringLiteral("Redis");
    } else if (lower == QLatin1String("valkey")) {
        product = Product::Valkey;
        productName = QStringLiteral("Valkey");
    } else {
        product = Product::Other;
        productName = serverName;
    }
    version = ownVersion;
    redisVersion = compatibleVersion;
    if (redisVersion.isEmpty() && product == Product::Valkey)
        redisVersion = ownVersion.section(QLatin1Char('.'), 0, 0).toInt() >= 8
                           ? QStringLiteral("7.2.4") // what every Valkey 8 reports as redis_version
                           : ownVersion;             // Valkey 7.2 kept Redis' numbering
    const QStringList parts = redisVersion.split(QLatin1Char('.'));
    major = parts.value(0).toInt();
    minor = parts.value(1).toInt();
    patch = parts.value(2).toInt();
}

QString ServerInfo::displayName() const
{
    if (!isKnown())
        return {};
    return productName + QLatin1Char(' ') + version;
}

QString ServerInfo::compatibilityNote() const
{
    if (product == Product::Redis || redisVersion.isEmpty() || redisVersion == version)
        return {};
    return QStringLiteral(", compatible with Redis %1").arg(redisVersion);
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
