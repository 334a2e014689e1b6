#include "payloads.h"

#include "gzip.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QUuid>

namespace {

QByteArray compact(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

QString isoTime(qint64 msecs)
{
    return QDateTime::fromMSecsSinceEpoch(msecs, Qt::UTC).toString(Qt::ISODateWithMs);
}

QByteArray number(qint64 n)
{
    return QByteArray::number(n);
}

// What a producer in another language would write: "12,50 EUR" where billing expects
// a number. Every shape but Order accepts anything.
const QLatin1String kPoisonAmount("12,50 EUR");

} // namespace

PayloadFactory::PayloadFactory(quint32 seed)
    : m_rng(seed)
{}

QByteArray PayloadFactory::uuid()
{
    QByteArray bytes(16, Qt::Uninitialized);
    m_rng.fillRange(reinterpret_cast<quint32 *>(bytes.data()), 4);
    bytes[6] = char((quint8(bytes[6]) & 0x0F) | 0x40); // version 4
    bytes[8] = char((quint8(bytes[8]) & 0x3F) | 0x80); // RFC 4122 variant
    return QUuid::fromRfc4122(bytes).toByteArray(QUuid::WithoutBraces);
}

QByteArray PayloadFactory::hex(int bytes)
{
    QByteArray raw(bytes, Qt::Uninitialized);
    for (char &c : raw)
        c = char(m_rng.bounded(256));
    return raw.toHex();
}

Fields PayloadFactory::entry(PayloadShape shape, qint64 index, qint64 msecs, bool poison)
{
    switch (shape) {
    case PayloadShape::Task:
        return task(index, msecs);
    case PayloadShape::Dashboard:
        return dashboard(index, msecs);
    case PayloadShape::Order:
        return order(index, msecs, poison);
    case PayloadShape::Metric:
        return metric(index, msecs);
    }
    return {};
}

// Design 000/001: the Rust task queue's Message { message_id, data, timestamp }.
Fields PayloadFactory::task(qint64 index, qint64 msecs)
{
    static const char *const kinds[] = {"resize_image", "send_email", "generate_report",
                                        "sync_inventory", "transcode_video"};
    const QString kind = QString::fromLatin1(pick(kinds));
    QJsonObject payload;
    if (kind == QLatin1String("resize_image")) {
        payload.insert(QStringLiteral("image_url"),
                       QStringLiteral("s3://uploads/img/%1.jpg").arg(100000 + index));
        payload.insert(QStringLiteral("width"), pick({320, 640, 1280}));
    } else if (kind == QLatin1String("send_email")) {
        payload.insert(QStringLiteral("to"),
                       QStringLiteral("user%1@example.com").arg(bounded(1, 9999)));
        payload.insert(QStringLiteral("template"), QStringLiteral("order_confirmation"));
    } else {
        payload.insert(QStringLiteral("object_id"), bounded(1, 99999));
    }
    const QJsonObject data{
        {QStringLiteral("task_id"), QStringLiteral("task-%1").arg(index + 1)},
        {QStringLiteral("task_type"), kind},
        {QStringLiteral("priority"), bounded(1, 5)},
        {QStringLiteral("payload"), payload},
        {QStringLiteral("submitted_by"), QStringLiteral("scheduler-%1").arg(bounded(1, 3))},
    };
    return {"message_id", uuid(), "data", compact(data), "timestamp", number(msecs / 1000)};
}

// Design 004: the Next.js broadcast; large payloads go out as gzip, then base64.
Fields PayloadFactory::dashboard(qint64 index, qint64 msecs)
{
    static const char *const events[] = {"session_update", "widget_refresh", "user_joined",
                                         "alert_raised"};
    static const char *const widgets[] = {"cpu",          "memory",      "requests",
                                          "errors",       "latency_p95", "queue_depth",
                                          "active_users", "throughput"};
    QJsonArray series;
    for (const char *w : widgets) {
        QJsonArray points;
        for (int i = 0; i < 12; ++i)
            points.append(bounded(0, 1000) / 10.0);
        series.append(QJsonObject{{QStringLiteral("widget"), QString::fromLatin1(w)},
                                  {QStringLiteral("points"), points}});
    }
    const QJsonObject message{
        {QStringLiteral("event"), QString::fromLatin1(pick(events))},
        {QStringLiteral("seq"), index + 1},
        {QStringLiteral("data"),
         QJsonObject{{QStringLiteral("sessionId"), QString::fromLatin1(hex(6))},
                     {QStringLiteral("status"),
                      bounded(0, 4) ? QStringLiteral("active") : QStringLiteral("idle")},
                     {QStringLiteral("activeUsers"), bounded(5, 500)},
                     {QStringLiteral("series"), series}}},
    };
    return {"data", gzipCompress(compact(message)).toBase64(), "timestamp", number(msecs)};
}

// Design 003: the Go platform's topic message.
Fields PayloadFactory::order(qint64 index, qint64 msecs, bool poison)
{
    static const char *const skus[] = {"SKU-1001", "SKU-1002", "SKU-2040",
                                       "SKU-3300", "SKU-4711", "SKU-5120"};
    static const char *const sources[] = {"checkout-service", "mobile-app", "partner-api"};
    const QString user = QStringLiteral("user_%1").arg(bounded(100000, 999999));
    QJsonArray items;
    const int lines = bounded(1, 3);
    for (int i = 0; i < lines; ++i)
        items.append(QJsonObject{{QStringLiteral("sku"), QString::fromLatin1(pick(skus))},
                                 {QStringLiteral("qty"), bounded(1, 4)}});
    QJsonObject value{
        {QStringLiteral("orderId"), QStringLiteral("ord-%1").arg(100000 + index)},
        {QStringLiteral("userId"), user},
        {QStringLiteral("currency"), QStringLiteral("EUR")},
        {QStringLiteral("items"), items},
        {QStringLiteral("createdAt"), isoTime(msecs)},
    };
    if (poison)
        value.insert(QStringLiteral("amount"), kPoisonAmount);
    else
        value.insert(QStringLiteral("amount"), bounded(500, 50000) / 100.0);
    const QJsonObject headers{
        {QStringLiteral("source"), QString::fromLatin1(pick(sources))},
        {QStringLiteral("version"), QStringLiteral("1.0")},
        {QStringLiteral("traceId"), QString::fromLatin1(hex(8))},
    };
    const int roll = bounded(1, 100);
    const QByteArray type = roll <= 85 ? "normal" : roll <= 95 ? "delay" : "transaction";
    // clang-format off
    return {"key",         user.toUtf8(),
            "value",       compact(value),
            "headers",     compact(headers),
            "messageType", type,
            "retryCount",  "0"};
    // clang-format on
}

// Design 004's metrics stream.
Fields PayloadFactory::metric(qint64 index, qint64 msecs)
{
    Q_UNUSED(index);
    static const char *const names[] = {"active_sessions", "requests_per_second", "p95_latency_ms",
                                        "queue_depth", "error_rate"};
    const QString name = QString::fromLatin1(pick(names));
    const double value =
        name == QLatin1String("error_rate") ? bounded(0, 500) / 10000.0 : double(bounded(0, 2000));
    const QJsonObject data{{QStringLiteral("metric"), name},
                           {QStringLiteral("value"), value},
                           {QStringLiteral("timestamp"), msecs}};
    return {"data", compact(data), "timestamp", number(msecs)};
}

Fields PayloadFactory::deadLetter(const QByteArray &topic, const QByteArray &id,
                                  const QByteArray &group, const QString &reason, int deliveries,
                                  const Fields &original, qint64 failedAtMsecs)
{
    QByteArray headers = fieldValue(original, "headers");
    if (headers.isEmpty())
        headers = "{}";
    // clang-format off
    return {"originalTopicName", topic,
            "originalMessageId", id,
            "consumerGroupId",   group,
            "failureReason",     reason.toUtf8(),
            "retryCount",        number(deliveries),
            "messageContent",    fieldValue(original, "value"),
            "headers",           headers,
            "failedAt",          isoTime(failedAtMsecs).toUtf8()};
    // clang-format on
}

bool isPoisonIndex(qint64 index, int poisonEvery)
{
    return poisonEvery > 1 && index % poisonEvery == poisonEvery - 1;
}

QString rejectionReason(PayloadShape shape, const Fields &fields)
{
    if (shape != PayloadShape::Order)
        return {};
    const QJsonDocument value = QJsonDocument::fromJson(fieldValue(fields, "value"));
    if (!value.isObject())
        return QStringLiteral("value is not a JSON object");
    const QJsonValue amount = value.object().value(QStringLiteral("amount"));
    if (amount.isUndefined())
        return QStringLiteral("amount is missing");
    if (amount.isString())
        return QStringLiteral("amount is not a number: \"%1\"").arg(amount.toString());
    if (!amount.isDouble())
        return QStringLiteral("amount is not a number");
    return {};
}

QByteArray fieldValue(const Fields &fields, const QByteArray &field)
{
    for (qsizetype i = 0; i + 1 < fields.size(); i += 2) {
        if (fields.at(i) == field)
            return fields.at(i + 1);
    }
    return {};
}
