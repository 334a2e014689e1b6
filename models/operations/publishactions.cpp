#include "publishactions.h"

#include "jsonmembers.h"
#include "streamid.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QLocale>
#include <QStringDecoder>

#include <utility>

namespace PublishActions {

static QString tr(const char *text)
{
    return QCoreApplication::translate("PublishActions", text);
}

QString validate(const Options &o, const ServerInfo &server, const QByteArray &lastId)
{
    if (o.key.isEmpty())
        return tr("Name the stream to publish to.");
    if (o.fields.isEmpty())
        return tr("An entry needs at least one field.");
    switch (o.idMode) {
    case Options::Id::Auto:
        break;
    case Options::Id::Explicit: {
        const std::optional<StreamId> id = StreamId::parse(o.id);
        if (!id)
            return tr("The id must be <milliseconds>-<sequence> (or just <milliseconds>), "
                      "two whole numbers.");
        if (id->isZero())
            return tr("The id must be greater than 0-0.");
        const std::optional<StreamId> last = StreamId::parse(lastId);
        if (last && !(*last < *id))
            return tr("The id must be greater than the stream's last id, %1.")
                .arg(last->toString());
        if (o.copies > 1)
            return tr("An explicit id names one entry: publish copies with an automatic id.");
        break;
    }
    case Options::Id::MillisecondsAuto:
        if (server.major && !server.hasPartialAutoIds())
            return tr("<milliseconds>-* ids need Redis 7.0; this server is %1.")
                .arg(server.displayName());
        if (o.id.contains('-') || !StreamId::parse(o.id))
            return tr("Give the milliseconds of the id as a whole number; Redis picks the "
                      "sequence.");
        if (const std::optional<StreamId> last = StreamId::parse(lastId);
            last && StreamId::parse(o.id)->ms < last->ms)
            return tr("The milliseconds must not be less than those of the stream's last id, "
                      "%1.")
                .arg(last->toString());
        break;
    }
    switch (o.trim) {
    case Options::Trim::None:
        break;
    case Options::Trim::MaxLen: {
        bool ok = false;
        const qint64 count = o.threshold.toLongLong(&ok);
        if (!ok || count < 0 || o.threshold.startsWith('+'))
            return tr("MAXLEN is the number of entries to keep: a whole number, 0 or more.");
        break;
    }
    case Options::Trim::MinId:
        if (!StreamId::parse(o.threshold))
            return tr("MINID is the oldest id to keep: <milliseconds>-<sequence>.");
        break;
    }
    if (o.copies < 1 || o.copies > MaxCopies)
        return tr("Publish from 1 to %1 copies.").arg(QLocale().toString(MaxCopies));
    if (o.perSecond < 0)
        return tr("The rate limit cannot be negative.");
    return {};
}

RedisCommand command(const Options &o)
{
    QList<QByteArray> argv{"XADD", o.key};
    if (o.noMkStream)
        argv << "NOMKSTREAM";
    if (o.trim != Options::Trim::None) {
        argv << (o.trim == Options::Trim::MaxLen ? "MAXLEN" : "MINID");
        argv << (o.approximate ? "~" : "=") << o.threshold;
    }
    switch (o.idMode) {
    case Options::Id::Auto:
        argv << "*";
        break;
    case Options::Id::Explicit:
        argv << o.id;
        break;
    case Options::Id::MillisecondsAuto:
        argv << o.id + "-*";
        break;
    }
    for (const auto &[field, value] : o.fields)
        argv << field << value;
    return RedisCommand{argv, o.key};
}

QList<BulkRunner::Chunk> copyChunks(const Options &o, int perChunk)
{
    if (o.perSecond > 0) // about ten chunks a second
        perChunk = int(qBound(1.0, o.perSecond / 10, double(perChunk)));
    const RedisCommand xadd = command(o);
    QList<BulkRunner::Chunk> chunks;
    chunks.reserve(int((o.copies + perChunk - 1) / perChunk));
    for (qint64 first = 0; first < o.copies; first += perChunk) {
        BulkRunner::Chunk chunk;
        const qint64 end = qMin(o.copies, first + perChunk);
        chunk.commands = QList<RedisCommand>(end - first, xadd);
        chunk.ids.reserve(end - first);
        for (qint64 n = first + 1; n <= end; ++n)
            chunk.ids.append(QByteArray::number(n));
        chunks.append(std::move(chunk));
    }
    return chunks;
}

void publish(RedisConnection *connection, const Options &options, QObject *context,
             std::function<void(const Published &)> done)
{
    connection->send({command(options)}, context, [done = std::move(done)](const RedisResult &r) {
        Published p;
        const RedisValue reply = r.ok() ? r.replies.value(0) : RedisValue();
        if (!r.ok()) {
            p.error = r.error;
            p.maybeApplied = r.sent;
        } else if (reply.isError()) {
            p.error = QString::fromUtf8(reply.bytes());
        } else if (!reply.isNil()) {
            p.id = reply.bytes();
        }
        done(p);
    });
}

QString fieldsFromJson(const QByteArray &json, Fields *fields)
{
    if (json.trimmed().isEmpty())
        return tr("An entry needs at least one field.");
    // Qt's parser says whether and where the text is not JSON; the values are taken from
    // the text itself, since QJsonDocument sorts keys, rounds integers beyond 2^53 and
    // writes 1.0 as 1.
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &error);
    if (error.error != QJsonParseError::NoError)
        return tr("The JSON is not valid: %1 at character %2.")
            .arg(error.errorString())
            .arg(error.offset + 1);
    if (!doc.isObject())
        return tr("The JSON must be an object: {\"field\": \"value\", …}.");
    const std::optional<QList<RawJsonMember>> members = rawJsonObjectMembers(json);
    if (!members)
        return tr("The JSON nests deeper than %1 levels.").arg(MaxJsonDepth);
    fields->clear();
    for (const RawJsonMember &member : *members)
        fields->append({member.name, member.text()});
    if (fields->isEmpty())
        return tr("An entry needs at least one field.");
    return {};
}

QByteArray fieldsToJson(const Fields &fields, bool *exact)
{
    // Written by hand, in the table's order: a QJsonObject would sort the fields and keep
    // only one of a repeated name.
    QByteArray json = "{";
    bool all = true;
    for (qsizetype i = 0; i < fields.size(); ++i) {
        const auto &[field, value] = fields.at(i);
        auto decode = QStringDecoder(QStringDecoder::Utf8);
        const QString name = decode(field);
        auto decodeValue = QStringDecoder(QStringDecoder::Utf8);
        const QString text = decodeValue(value);
        all = all && !decode.hasError() && !decodeValue.hasError();
        json +=
            (i ? ",\n    " : "\n    ") + jsonQuote(name.toUtf8()) + ": " + jsonQuote(text.toUtf8());
    }
    if (exact)
        *exact = all;
    return json + (fields.isEmpty() ? "}\n" : "\n}\n");
}

} // namespace PublishActions
