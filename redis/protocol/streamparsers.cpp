#include "streamparsers.h"

namespace {

// Sets the message and gives std::nullopt, so a parser can `return fail(...)`.
struct Fail
{
    template<typename T> operator std::optional<T>() const { return std::nullopt; }
};

Fail fail(QString *error, const QString &why)
{
    if (error)
        *error = why;
    return {};
}

bool failed(QString *error, const QString &why)
{
    fail(error, why);
    return false;
}

QString serverError(const RedisValue &reply)
{
    return QString::fromUtf8(reply.bytes());
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

// An integer reply, or a bulk string of digits (XPENDING sends per-consumer counts so).
bool readInt(const RedisValue &v, qint64 *out)
{
    if (v.isInteger()) {
        *out = v.toInteger();
        return true;
    }
    if (v.isString()) {
        bool ok = false;
        *out = v.bytes().toLongLong(&ok);
        return ok;
    }
    return false;
}

// [[id, fields or nil], ...], messages prefixed with `what`.
bool readEntries(const RedisValue &reply, const QString &what, QList<StreamEntry> *out,
                 QString *error)
{
    if (reply.isError())
        return failed(error, serverError(reply));
    if (!reply.isArray())
        return failed(error, QStringLiteral("%1: expected an array of entries").arg(what));
    out->reserve(out->size() + reply.size());
    for (qsizetype i = 0; i < reply.size(); ++i) {
        const RedisValue &e = reply.at(i);
        if (e.isNil())
            continue; // XCLAIM before 7.0: an entry deleted meanwhile, without its id
        if (!e.isArray() || e.size() != 2)
            return failed(error,
                          QStringLiteral("%1: entry %2 is not [id, fields]").arg(what).arg(i));
        StreamEntry entry;
        if (!readId(e.at(0), &entry.id))
            return failed(error, QStringLiteral("%1: entry %2 has no valid id").arg(what).arg(i));
        const RedisValue &fields = e.at(1);
        // Named only when something is wrong: this loop runs for every entry read.
        const auto which = [&] {
            return QStringLiteral("%1: entry %2").arg(what, entry.id.toString());
        };
        if (fields.isNil()) {
            entry.deleted = true;
        } else if (!fields.isArray()) {
            return failed(error, QStringLiteral("%1: fields are not an array").arg(which()));
        } else if (fields.size() % 2 != 0) {
            return failed(error, QStringLiteral("%1: odd number of field elements (%2)")
                                     .arg(which())
                                     .arg(fields.size()));
        } else {
            entry.fields.reserve(fields.size() / 2);
            for (qsizetype f = 0; f < fields.size(); f += 2) {
                const RedisValue &name = fields.at(f);
                const RedisValue &value = fields.at(f + 1);
                if (!name.isString() || !value.isString())
                    return failed(error, QStringLiteral("%1: field %2 is not a pair of strings")
                                             .arg(which())
                                             .arg(f / 2));
                entry.fields.append({name.bytes(), value.bytes()});
            }
        }
        out->append(std::move(entry));
    }
    return true;
}

} // namespace

std::optional<QList<StreamEntry>> parseEntries(const RedisValue &reply, QString *error)
{
    QList<StreamEntry> entries;
    if (!readEntries(reply, QStringLiteral("stream entries"), &entries, error))
        return std::nullopt;
    return entries;
}

std::optional<QList<StreamReadBatch>> parseStreamRead(const RedisValue &reply, QString *error)
{
    if (reply.isError())
        return fail(error, serverError(reply));
    if (reply.isNil())
        return QList<StreamReadBatch>{};
    if (!reply.isArray())
        return fail(error, QStringLiteral("XREAD: expected an array of [key, entries]"));
    QList<StreamReadBatch> batches;
    batches.reserve(reply.size());
    for (const RedisValue &b : reply.elements()) {
        if (!b.isArray() || b.size() != 2 || !b.at(0).isString())
            return fail(error, QStringLiteral("XREAD: a stream is not [key, entries]"));
        StreamReadBatch batch;
        batch.key = b.at(0).bytes();
        const QString what =
            QStringLiteral("XREAD: stream \"%1\"").arg(QString::fromUtf8(batch.key));
        if (!readEntries(b.at(1), what, &batch.entries, error))
            return std::nullopt;
        batches.append(batch);
    }
    return batches;
}

std::optional<QList<ConsumerInfo>> parseConsumersInfo(const RedisValue &reply, QString *error)
{
    const QString what = QStringLiteral("XINFO CONSUMERS");
    if (reply.isError())
        return fail(error, serverError(reply));
    if (!reply.isArray())
        return fail(error, QStringLiteral("%1: expected an array reply").arg(what));
    QList<ConsumerInfo> consumers;
    consumers.reserve(reply.size());
    for (const RedisValue &c : reply.elements()) {
        if (c.isError())
            return fail(error, serverError(c));
        if (!c.isArray())
            return fail(error, QStringLiteral("%1: a consumer is not a field list").arg(what));
        if (c.size() % 2 != 0)
            return fail(error,
                        QStringLiteral("%1: odd number of elements in a field list").arg(what));
        ConsumerInfo info;
        unsigned seen = 0; // name, pending, idle: sent by every version
        for (qsizetype i = 0; i < c.size(); i += 2) {
            const RedisValue &name = c.at(i);
            const RedisValue &v = c.at(i + 1);
            if (!name.isString() && !name.isStatus())
                return fail(error, QStringLiteral("%1: field name is not a string").arg(what));
            bool ok = true;
            if (name.bytes() == "name") {
                seen |= 1u;
                ok = v.isString();
                info.name = v.bytes();
            } else if (name.bytes() == "pending") {
                seen |= 2u;
                ok = readInt(v, &info.pending);
            } else if (name.bytes() == "idle") {
                seen |= 4u;
                ok = readInt(v, &info.idleMs);
            } else if (name.bytes() == "inactive") {
                qint64 n = 0;
                ok = readInt(v, &n);
                info.inactiveMs = n;
            } // fields of newer versions are ignored, not errors
            if (!ok)
                return fail(error, QStringLiteral("%1: unexpected value for \"%2\"")
                                       .arg(what, QString::fromUtf8(name.bytes())));
        }
        if (!(seen & 1u))
            return fail(error, QStringLiteral("%1: a consumer without a name").arg(what));
        if (seen != 7u)
            return fail(error, QStringLiteral("%1: consumer \"%2\" lacks pending or idle")
                                   .arg(what, QString::fromUtf8(info.name)));
        consumers.append(info);
    }
    return consumers;
}

std::optional<PendingSummary> parsePendingSummary(const RedisValue &reply, QString *error)
{
    if (reply.isError())
        return fail(error, serverError(reply));
    if (!reply.isArray() || reply.size() != 4)
        return fail(error, QStringLiteral("XPENDING: expected [count, smallest id, largest id, "
                                          "consumers]"));
    PendingSummary summary;
    if (!reply.at(0).isInteger() || reply.at(0).toInteger() < 0)
        return fail(error, QStringLiteral("XPENDING: the count is not a non-negative integer"));
    summary.count = reply.at(0).toInteger();
    const RedisValue &consumers = reply.at(3);
    if (summary.count == 0) {
        // Redis sends nil ids and a nil list; empty values are read the same way.
        if (!reply.at(1).isNil() || !reply.at(2).isNil()
            || !(consumers.isNil() || (consumers.isArray() && consumers.size() == 0)))
            return fail(error, QStringLiteral("XPENDING: ids or consumers with a count of 0"));
        return summary;
    }
    StreamId smallest, largest;
    if (!readId(reply.at(1), &smallest) || !readId(reply.at(2), &largest))
        return fail(error, QStringLiteral("XPENDING: the smallest or largest id is not an id"));
    summary.smallest = smallest;
    summary.largest = largest;
    if (!consumers.isArray())
        return fail(error, QStringLiteral("XPENDING: the consumers are not an array"));
    summary.consumers.reserve(consumers.size());
    for (const RedisValue &c : consumers.elements()) {
        qint64 n = 0;
        if (!c.isArray() || c.size() != 2 || !c.at(0).isString() || !readInt(c.at(1), &n))
            return fail(error, QStringLiteral("XPENDING: a consumer is not [name, count]"));
        summary.consumers.append({c.at(0).bytes(), n});
    }
    return summary;
}

std::optional<QList<PendingEntry>> parsePendingEntries(const RedisValue &reply, QString *error)
{
    if (reply.isError())
        return fail(error, serverError(reply));
    if (!reply.isArray())
        return fail(error, QStringLiteral("XPENDING: expected an array of pending entries"));
    QList<PendingEntry> entries;
    entries.reserve(reply.size());
    for (qsizetype i = 0; i < reply.size(); ++i) {
        const RedisValue &e = reply.at(i);
        PendingEntry entry;
        if (!e.isArray() || e.size() != 4 || !readId(e.at(0), &entry.id) || !e.at(1).isString()
            || !e.at(2).isInteger() || !e.at(3).isInteger())
            return fail(error, QStringLiteral("XPENDING: entry %1 is not [id, consumer, idle, "
                                              "deliveries]")
                                   .arg(i));
        entry.consumer = e.at(1).bytes();
        entry.idleMs = e.at(2).toInteger();
        entry.deliveries = e.at(3).toInteger();
        entries.append(entry);
    }
    return entries;
}

std::optional<AutoClaimPage> parseAutoClaim(const RedisValue &reply, QString *error)
{
    if (reply.isError())
        return fail(error, serverError(reply));
    if (!reply.isArray() || (reply.size() != 2 && reply.size() != 3))
        return fail(error, QStringLiteral("XAUTOCLAIM: expected [cursor, entries, deleted ids]"));
    AutoClaimPage page;
    if (!readId(reply.at(0), &page.nextCursor))
        return fail(error, QStringLiteral("XAUTOCLAIM: the cursor is not an id"));
    if (!readEntries(reply.at(1), QStringLiteral("XAUTOCLAIM"), &page.entries, error))
        return std::nullopt;
    if (reply.size() == 3) {
        const RedisValue &deleted = reply.at(2);
        if (!deleted.isArray())
            return fail(error, QStringLiteral("XAUTOCLAIM: the deleted ids are not an array"));
        page.deletedIds.reserve(deleted.size());
        for (const RedisValue &d : deleted.elements()) {
            StreamId id;
            if (!readId(d, &id))
                return fail(error, QStringLiteral("XAUTOCLAIM: a deleted id is not an id"));
            page.deletedIds.append(id);
        }
    }
    return page;
}
