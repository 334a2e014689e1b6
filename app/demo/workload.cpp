#include "workload.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>

#include <cmath>

namespace {

// Reads one JSON object, remembering where it is for error messages, and refuses keys
// it does not know so that a misspelt field fails loudly instead of being ignored.
class ObjectReader
{
public:
    ObjectReader(QJsonObject object, QString path, QStringList known, QString *error)
        : m_object(std::move(object))
        , m_path(std::move(path))
        , m_error(error)
    {
        known << QStringLiteral("comment");
        for (auto it = m_object.begin(); it != m_object.end(); ++it) {
            if (!known.contains(it.key()))
                fail(QStringLiteral("unknown field \"%1\"").arg(it.key()));
        }
    }

    bool ok() const { return m_ok; }
    const QString &path() const { return m_path; }

    void fail(const QString &why)
    {
        // The first problem found is the one reported.
        if (m_ok && m_error && m_error->isEmpty())
            *m_error = m_path + QStringLiteral(": ") + why;
        m_ok = false;
    }

    bool has(const QString &key) const { return m_object.contains(key); }

    QJsonValue value(const QString &key) const { return m_object.value(key); }

    // An integer in [min, max]; `fallback` when absent.
    qint64 integer(const QString &key, qint64 fallback, qint64 min, qint64 max)
    {
        const QJsonValue v = m_object.value(key);
        if (v.isUndefined())
            return fallback;
        const double d = v.toDouble(std::nan(""));
        if (!v.isDouble() || d != std::floor(d) || d < double(min) || d > double(max)) {
            fail(QStringLiteral("\"%1\" must be an integer from %2 to %3")
                     .arg(key)
                     .arg(min)
                     .arg(max));
            return fallback;
        }
        return qint64(d);
    }

    double number(const QString &key, double fallback, double min, double max)
    {
        const QJsonValue v = m_object.value(key);
        if (v.isUndefined())
            return fallback;
        if (!v.isDouble() || v.toDouble() < min || v.toDouble() > max) {
            fail(
                QStringLiteral("\"%1\" must be a number from %2 to %3").arg(key).arg(min).arg(max));
            return fallback;
        }
        return v.toDouble();
    }

    bool boolean(const QString &key, bool fallback)
    {
        const QJsonValue v = m_object.value(key);
        if (v.isUndefined())
            return fallback;
        if (!v.isBool()) {
            fail(QStringLiteral("\"%1\" must be true or false").arg(key));
            return fallback;
        }
        return v.toBool();
    }

    QString string(const QString &key, bool required)
    {
        const QJsonValue v = m_object.value(key);
        if (v.isUndefined() && !required)
            return {};
        if (!v.isString() || v.toString().isEmpty()) {
            fail(QStringLiteral("\"%1\" must be a non-empty string").arg(key));
            return {};
        }
        return v.toString();
    }

    QJsonObject object(const QString &key)
    {
        const QJsonValue v = m_object.value(key);
        if (v.isUndefined())
            return {};
        if (!v.isObject())
            fail(QStringLiteral("\"%1\" must be an object").arg(key));
        return v.toObject();
    }

    QJsonArray array(const QString &key)
    {
        const QJsonValue v = m_object.value(key);
        if (v.isUndefined())
            return {};
        if (!v.isArray())
            fail(QStringLiteral("\"%1\" must be an array").arg(key));
        return v.toArray();
    }

private:
    QJsonObject m_object;
    QString m_path;
    QString *m_error;
    bool m_ok = true;
};

constexpr qint64 kMaxEntries = 1'000'000;
constexpr qint64 kMaxMs = 24 * 3600 * 1000;

bool readConsumer(const QJsonValue &json, const QString &path, ConsumerSpec *out, QString *error)
{
    ObjectReader r(json.toObject(), path,
                   {QStringLiteral("name"), QStringLiteral("everyMs"), QStringLiteral("count"),
                    QStringLiteral("ack"), QStringLiteral("processingMs"),
                    QStringLiteral("stopAfter"), QStringLiteral("activeMs"),
                    QStringLiteral("pausedMs"), QStringLiteral("failOnPoison"),
                    QStringLiteral("retryAfterMs"), QStringLiteral("maxDeliveries"),
                    QStringLiteral("deadLetterStream")},
                   error);
    if (!json.isObject())
        r.fail(QStringLiteral("a consumer must be an object"));
    out->name = r.string(QStringLiteral("name"), true).toUtf8();
    out->everyMs = int(r.integer(QStringLiteral("everyMs"), out->everyMs, 10, kMaxMs));
    out->count = int(r.integer(QStringLiteral("count"), out->count, 1, 10000));
    out->ack = r.boolean(QStringLiteral("ack"), out->ack);
    out->processingMs = int(r.integer(QStringLiteral("processingMs"), 0, 0, kMaxMs));
    out->stopAfter = int(r.integer(QStringLiteral("stopAfter"), 0, 0, kMaxEntries));
    out->activeMs = int(r.integer(QStringLiteral("activeMs"), 0, 0, kMaxMs));
    out->pausedMs = int(r.integer(QStringLiteral("pausedMs"), 0, 0, kMaxMs));
    out->failOnPoison = r.boolean(QStringLiteral("failOnPoison"), false);
    out->retryAfterMs =
        int(r.integer(QStringLiteral("retryAfterMs"), out->retryAfterMs, 100, kMaxMs));
    out->maxDeliveries =
        int(r.integer(QStringLiteral("maxDeliveries"), out->maxDeliveries, 1, 1000));
    out->deadLetterStream = r.string(QStringLiteral("deadLetterStream"), false).toUtf8();
    if ((out->activeMs == 0) != (out->pausedMs == 0))
        r.fail(QStringLiteral("\"activeMs\" and \"pausedMs\" go together"));
    if (out->failOnPoison && out->deadLetterStream.isEmpty())
        r.fail(QStringLiteral("\"failOnPoison\" needs a \"deadLetterStream\""));
    if (out->failOnPoison && !out->ack)
        r.fail(QStringLiteral("\"failOnPoison\" consumers ack what they process"));
    return r.ok();
}

bool readGroup(const QJsonValue &json, const QString &path, int seedEntries, GroupSpec *out,
               QString *error)
{
    ObjectReader r(json.toObject(), path,
                   {QStringLiteral("name"), QStringLiteral("seed"), QStringLiteral("consumers")},
                   error);
    if (!json.isObject())
        r.fail(QStringLiteral("a group must be an object"));
    out->name = r.string(QStringLiteral("name"), true).toUtf8();

    ObjectReader seed(
        r.object(QStringLiteral("seed")), path + QStringLiteral(".seed"),
        {QStringLiteral("backlog"), QStringLiteral("deleteUndelivered"), QStringLiteral("pending")},
        error);
    if (!r.ok() || !seed.ok())
        return false;
    out->backlog = int(seed.integer(QStringLiteral("backlog"), 0, 0, kMaxEntries));
    out->deleteUndelivered =
        int(seed.integer(QStringLiteral("deleteUndelivered"), 0, 0, kMaxEntries));
    const QJsonArray pending = seed.array(QStringLiteral("pending"));
    for (qsizetype i = 0; i < pending.size() && seed.ok(); ++i) {
        ObjectReader p(pending.at(i).toObject(),
                       seed.path() + QStringLiteral(".pending[%1]").arg(i),
                       {QStringLiteral("consumer"), QStringLiteral("read"), QStringLiteral("keep"),
                        QStringLiteral("idleMs"), QStringLiteral("deliveries")},
                       error);
        PendingSeedSpec spec;
        spec.consumer = p.string(QStringLiteral("consumer"), true).toUtf8();
        spec.read = int(p.integer(QStringLiteral("read"), 0, 1, kMaxEntries));
        const QString keep = p.has(QStringLiteral("keep")) ? p.string(QStringLiteral("keep"), true)
                                                           : QStringLiteral("all");
        if (keep != QLatin1String("all") && keep != QLatin1String("poison"))
            p.fail(QStringLiteral("\"keep\" is \"all\" or \"poison\""));
        spec.keepPoisonOnly = keep == QLatin1String("poison");
        spec.idleMs = p.integer(QStringLiteral("idleMs"), 0, 0, 30LL * kMaxMs);
        spec.deliveries = int(p.integer(QStringLiteral("deliveries"), 1, 1, 1000));
        if (!p.ok())
            return false;
        out->pending.append(spec);
    }
    if (!seed.ok())
        return false;
    if (out->backlog + out->pendingWindow() > seedEntries)
        seed.fail(QStringLiteral("backlog and pending need more entries than the stream is "
                                 "seeded with (%1)")
                      .arg(seedEntries));
    if (out->deleteUndelivered > out->backlog / 2)
        seed.fail(QStringLiteral("\"deleteUndelivered\" must be at most half the backlog"));
    if (!seed.ok())
        return false;

    const QJsonArray consumers = r.array(QStringLiteral("consumers"));
    for (qsizetype i = 0; i < consumers.size() && r.ok(); ++i) {
        ConsumerSpec c;
        if (!readConsumer(consumers.at(i), path + QStringLiteral(".consumers[%1]").arg(i), &c,
                          error))
            return false;
        out->consumers.append(c);
    }
    return r.ok();
}

bool readStream(const QJsonValue &json, const QString &path, StreamSpec *out, QString *error)
{
    ObjectReader r(json.toObject(), path,
                   {QStringLiteral("key"), QStringLiteral("shape"), QStringLiteral("seed"),
                    QStringLiteral("producer"), QStringLiteral("groups"), QStringLiteral("trim")},
                   error);
    if (!json.isObject())
        r.fail(QStringLiteral("a stream must be an object"));
    out->key = r.string(QStringLiteral("key"), true).toUtf8();
    const QString shape = r.string(QStringLiteral("shape"), true);
    if (!r.ok())
        return false;
    if (const auto s = payloadShapeFromName(shape))
        out->shape = *s;
    else
        r.fail(QStringLiteral("unknown shape \"%1\" (task, dashboard, order, metric)").arg(shape));

    ObjectReader seed(r.object(QStringLiteral("seed")), path + QStringLiteral(".seed"),
                      {QStringLiteral("entries"), QStringLiteral("historySeconds")}, error);
    out->seedEntries = int(seed.integer(QStringLiteral("entries"), 0, 0, kMaxEntries));
    out->historySeconds = int(
        seed.integer(QStringLiteral("historySeconds"), out->historySeconds, 1, 365 * 24 * 3600));
    ObjectReader producer(r.object(QStringLiteral("producer")), path + QStringLiteral(".producer"),
                          {QStringLiteral("perSecond"), QStringLiteral("poisonEvery")}, error);
    out->producer.perSecond = producer.number(QStringLiteral("perSecond"), 0, 0, 1000);
    out->producer.poisonEvery =
        int(producer.integer(QStringLiteral("poisonEvery"), 0, 0, kMaxEntries));
    if (out->producer.poisonEvery == 1)
        producer.fail(QStringLiteral("\"poisonEvery\": 1 would make every message poison"));
    if (out->producer.poisonEvery > 0 && out->shape != PayloadShape::Order)
        producer.fail(QStringLiteral("only the order shape has poison messages"));

    if (r.has(QStringLiteral("trim"))) {
        ObjectReader trim(
            r.object(QStringLiteral("trim")), path + QStringLiteral(".trim"),
            {QStringLiteral("maxLen"), QStringLiteral("approximate"), QStringLiteral("everyMs")},
            error);
        TrimSpec t;
        t.maxLen = trim.integer(QStringLiteral("maxLen"), 0, 1, kMaxEntries);
        t.approximate = trim.boolean(QStringLiteral("approximate"), true);
        t.everyMs = int(trim.integer(QStringLiteral("everyMs"), t.everyMs, 100, kMaxMs));
        if (!trim.has(QStringLiteral("maxLen")))
            trim.fail(QStringLiteral("\"maxLen\" is required"));
        if (!trim.ok())
            return false;
        out->trim = t;
    }
    if (!r.ok() || !seed.ok() || !producer.ok())
        return false;

    const QJsonArray groups = r.array(QStringLiteral("groups"));
    for (qsizetype i = 0; i < groups.size() && r.ok(); ++i) {
        GroupSpec g;
        if (!readGroup(groups.at(i), path + QStringLiteral(".groups[%1]").arg(i), out->seedEntries,
                       &g, error))
            return false;
        for (const GroupSpec &other : std::as_const(out->groups)) {
            if (other.name == g.name) {
                r.fail(QStringLiteral("group \"%1\" appears twice").arg(QString::fromUtf8(g.name)));
                return false;
            }
        }
        out->groups.append(g);
    }
    return r.ok();
}

} // namespace

int GroupSpec::pendingWindow() const
{
    int n = 0;
    for (const PendingSeedSpec &p : pending)
        n += p.read;
    return n;
}

std::optional<PayloadShape> payloadShapeFromName(const QString &name)
{
    if (name == QLatin1String("task"))
        return PayloadShape::Task;
    if (name == QLatin1String("dashboard"))
        return PayloadShape::Dashboard;
    if (name == QLatin1String("order"))
        return PayloadShape::Order;
    if (name == QLatin1String("metric"))
        return PayloadShape::Metric;
    return std::nullopt;
}

QString Workload::builtInPath()
{
    return QStringLiteral(":/weir/demo/workload.json");
}

std::optional<Workload> Workload::fromJson(const QByteArray &json, QString *error)
{
    if (error)
        error->clear();
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    if (doc.isNull()) {
        if (error)
            *error = QStringLiteral("not JSON: %1 at offset %2")
                         .arg(parseError.errorString())
                         .arg(parseError.offset);
        return std::nullopt;
    }
    ObjectReader r(doc.object(), QStringLiteral("workload"),
                   {QStringLiteral("randomSeed"), QStringLiteral("streams")}, error);
    if (!doc.isObject())
        r.fail(QStringLiteral("the top level must be an object"));
    Workload w;
    w.randomSeed = quint32(r.integer(QStringLiteral("randomSeed"), 1, 0, 0xFFFFFFFFLL));
    const QJsonArray streams = r.array(QStringLiteral("streams"));
    if (r.ok() && streams.isEmpty())
        r.fail(QStringLiteral("no streams"));
    QSet<QByteArray> keys;
    for (qsizetype i = 0; i < streams.size() && r.ok(); ++i) {
        StreamSpec s;
        if (!readStream(streams.at(i), QStringLiteral("streams[%1]").arg(i), &s, error))
            return std::nullopt;
        if (keys.contains(s.key)) {
            r.fail(QStringLiteral("stream \"%1\" appears twice").arg(QString::fromUtf8(s.key)));
            break;
        }
        keys.insert(s.key);
        w.streams.append(s);
    }
    if (!r.ok())
        return std::nullopt;
    for (const QByteArray &dlq : w.deadLetterStreams()) {
        if (keys.contains(dlq)) {
            if (error)
                *error = QStringLiteral("dead-letter stream \"%1\" is also a seeded stream")
                             .arg(QString::fromUtf8(dlq));
            return std::nullopt;
        }
    }
    return w;
}

const StreamSpec *Workload::stream(const QByteArray &key) const
{
    for (const StreamSpec &s : streams) {
        if (s.key == key)
            return &s;
    }
    return nullptr;
}

QList<QByteArray> Workload::deadLetterStreams() const
{
    QList<QByteArray> out;
    for (const StreamSpec &s : streams) {
        for (const GroupSpec &g : s.groups) {
            for (const ConsumerSpec &c : g.consumers) {
                if (c.failOnPoison && !out.contains(c.deadLetterStream))
                    out.append(c.deadLetterStream);
            }
        }
    }
    return out;
}
