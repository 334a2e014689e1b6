#include "deadletters.h"

#include "jsonmembers.h"
#include "valuedecoder.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QObject>
#include <QSet>
#include <QSettings>

#include <algorithm>
#include <climits>

namespace {

const QString kPlaceholder = QStringLiteral("{stream}");

// A pattern split around its one "{stream}": the bytes before and after it.
struct SplitPattern
{
    QByteArray prefix;
    QByteArray suffix;
};

std::optional<SplitPattern> split(const QString &pattern)
{
    const qsizetype at = pattern.indexOf(kPlaceholder);
    if (at < 0 || pattern.indexOf(kPlaceholder, at + 1) >= 0)
        return std::nullopt;
    return SplitPattern{pattern.left(at).toUtf8(), pattern.mid(at + kPlaceholder.size()).toUtf8()};
}

struct FieldKey
{
    const char *name;
    QByteArray DeadLetterFields::*member;
};

// The six metadata fields first, then the two payload ones (saved with the fields, never
// stripped).
const FieldKey kFieldKeys[] = {
    {"originalStream", &DeadLetterFields::originalStreamField},
    {"originalId", &DeadLetterFields::originalIdField},
    {"group", &DeadLetterFields::groupField},
    {"reason", &DeadLetterFields::reasonField},
    {"retryCount", &DeadLetterFields::retryCountField},
    {"failedAt", &DeadLetterFields::failedAtField},
    {"content", &DeadLetterFields::contentField},
    {"contentOriginal", &DeadLetterFields::contentOriginalField},
};
constexpr size_t MetadataKeys = 6;

void loadFields(const QSettings &settings, const QString &prefix, DeadLetterFields *fields)
{
    for (const FieldKey &f : kFieldKeys) {
        const QString key = prefix + QLatin1String(f.name);
        if (settings.contains(key))
            fields->*f.member = settings.value(key).toString().toUtf8();
    }
}

void saveFields(QSettings &settings, const QString &prefix, const DeadLetterFields &fields)
{
    for (const FieldKey &f : kFieldKeys)
        settings.setValue(prefix + QLatin1String(f.name), QString::fromUtf8(fields.*f.member));
}

QString prefixOf(const QString &group)
{
    return group.isEmpty() ? QStringLiteral("deadLetters/")
                           : group + QStringLiteral("/deadLetters/");
}

} // namespace

DeadLetterConventions DeadLetterConventions::defaults()
{
    DeadLetterConventions c;
    c.patterns = {QStringLiteral("{stream}:dlq"), QStringLiteral("{stream}.dlq"),
                  QStringLiteral("{stream}:dead"), QStringLiteral("dlq:{stream}"),
                  QStringLiteral("{stream}_dlq")};
    c.originalStreamField = "originalTopicName";
    c.originalIdField = "originalMessageId";
    c.groupField = "consumerGroupId";
    c.reasonField = "failureReason";
    c.retryCountField = "retryCount";
    c.failedAtField = "failedAt";
    c.contentField = "messageContent";
    c.contentOriginalField = "value";
    return c;
}

QList<QByteArray> DeadLetterFields::metadataFields() const
{
    QList<QByteArray> out;
    for (size_t i = 0; i < MetadataKeys; ++i) {
        const FieldKey &f = kFieldKeys[i];
        if (!(this->*f.member).isEmpty())
            out.append(this->*f.member);
    }
    return out;
}

QString DeadLetterConventions::patternProblem(const QString &pattern)
{
    const qsizetype count = pattern.count(kPlaceholder);
    if (count == 0)
        return QObject::tr("A pattern needs {stream} where the source stream's key goes.");
    if (count > 1)
        return QObject::tr("A pattern has {stream} once only.");
    if (pattern == kPlaceholder)
        return QObject::tr("A pattern needs more than {stream}: the dead-letter stream "
                           "would be the source stream itself.");
    return {};
}

QByteArray DeadLetterConventions::apply(const QString &pattern, const QByteArray &stream)
{
    const std::optional<SplitPattern> p = split(pattern);
    if (!p)
        return {};
    return p->prefix + stream + p->suffix;
}

std::optional<QByteArray> DeadLetterConventions::sourceOf(const QByteArray &key) const
{
    for (const QString &pattern : patterns) {
        const std::optional<SplitPattern> p = split(pattern);
        if (!p || (p->prefix.isEmpty() && p->suffix.isEmpty()))
            continue;
        if (key.size() > p->prefix.size() + p->suffix.size() && key.startsWith(p->prefix)
            && key.endsWith(p->suffix)) {
            return key.mid(p->prefix.size(), key.size() - p->prefix.size() - p->suffix.size());
        }
    }
    return std::nullopt;
}

DeadLetterFields DeadLetterConventions::fieldsFor(const QByteArray &deadLetterStream) const
{
    return streamFields.value(deadLetterStream, *this);
}

DeadLetterConventions DeadLetterConventions::forStream(const QByteArray &deadLetterStream) const
{
    DeadLetterConventions c = *this;
    static_cast<DeadLetterFields &>(c) = fieldsFor(deadLetterStream);
    return c;
}

void DeadLetterConventions::setFieldsFor(const QByteArray &deadLetterStream,
                                         const DeadLetterFields &fields)
{
    if (fields == static_cast<const DeadLetterFields &>(*this))
        streamFields.remove(deadLetterStream);
    else
        streamFields.insert(deadLetterStream, fields);
}

// A stream's own fields are kept as a numbered list (keys may hold any byte, which a
// settings key cannot): streams/size, streams/<n>/key, streams/<n>/fields/<name>.
DeadLetterConventions DeadLetterConventions::load(const QSettings &settings, const QString &group)
{
    DeadLetterConventions c = defaults();
    const QString prefix = prefixOf(group);
    const QString patternsKey = prefix + QStringLiteral("patterns");
    if (settings.contains(patternsKey))
        c.patterns = settings.value(patternsKey).toStringList();
    loadFields(settings, prefix + QStringLiteral("fields/"), &c);
    const int streams = settings.value(prefix + QStringLiteral("streams/size")).toInt();
    for (int i = 1; i <= streams; ++i) {
        const QString streamPrefix = prefix + QStringLiteral("streams/%1/").arg(i);
        const QByteArray key = settings.value(streamPrefix + QStringLiteral("key")).toByteArray();
        if (key.isEmpty())
            continue;
        DeadLetterFields fields = c;
        loadFields(settings, streamPrefix + QStringLiteral("fields/"), &fields);
        c.streamFields.insert(key, fields);
    }
    return c;
}

void DeadLetterConventions::save(QSettings &settings, const QString &group) const
{
    const QString prefix = prefixOf(group);
    // A list that is empty would read back as missing; an explicit empty string list
    // keeps "no patterns" distinct from "defaults".
    settings.setValue(prefix + QStringLiteral("patterns"), patterns);
    saveFields(settings, prefix + QStringLiteral("fields/"), *this);
    settings.remove(prefix + QStringLiteral("streams"));
    int n = 0;
    for (auto it = streamFields.cbegin(); it != streamFields.cend(); ++it) {
        const QString streamPrefix = prefix + QStringLiteral("streams/%1/").arg(++n);
        settings.setValue(streamPrefix + QStringLiteral("key"), it.key());
        saveFields(settings, streamPrefix + QStringLiteral("fields/"), it.value());
    }
    settings.setValue(prefix + QStringLiteral("streams/size"), n);
}

bool operator==(const DeadLetterFields &a, const DeadLetterFields &b)
{
    for (const FieldKey &f : kFieldKeys) {
        if (a.*f.member != b.*f.member)
            return false;
    }
    return true;
}

bool operator==(const DeadLetterConventions &a, const DeadLetterConventions &b)
{
    return a.patterns == b.patterns && a.streamFields == b.streamFields
           && static_cast<const DeadLetterFields &>(a) == static_cast<const DeadLetterFields &>(b);
}

QHash<QByteArray, QByteArray> detectDeadLetterStreams(const QList<QByteArray> &keys,
                                                      const DeadLetterConventions &conventions)
{
    const QSet<QByteArray> present(keys.cbegin(), keys.cend());
    // Every (pattern, source, dead-letter stream) pairing whose both keys are present,
    // earlier patterns first. A source takes its first pairing; a dead-letter stream
    // that two sources could claim goes to the earlier pattern, then the smaller key.
    struct Pairing
    {
        int pattern;
        QByteArray source;
        QByteArray deadLetters;
    };
    QList<Pairing> pairings;
    for (int i = 0; i < conventions.patterns.size(); ++i) {
        const QString &pattern = conventions.patterns.at(i);
        if (!DeadLetterConventions::patternProblem(pattern).isEmpty())
            continue;
        const std::optional<SplitPattern> p = split(pattern);
        if (!p)
            continue;
        // From the dead-letter side: only keys with the pattern's prefix and suffix can be
        // one, so a large keyspace costs a comparison per key, not a new key and a lookup.
        const qsizetype affixes = p->prefix.size() + p->suffix.size();
        for (const QByteArray &key : present) {
            if (key.size() < affixes || !key.startsWith(p->prefix) || !key.endsWith(p->suffix))
                continue;
            const QByteArray source = key.mid(p->prefix.size(), key.size() - affixes);
            if (source != key && present.contains(source))
                pairings.append({i, source, key});
        }
    }
    std::sort(pairings.begin(), pairings.end(), [](const Pairing &a, const Pairing &b) {
        return a.pattern != b.pattern ? a.pattern < b.pattern : a.source < b.source;
    });
    QHash<QByteArray, QByteArray> out;
    QSet<QByteArray> claimed;
    for (const Pairing &p : pairings) {
        if (out.contains(p.source) || claimed.contains(p.deadLetters))
            continue;
        out.insert(p.source, p.deadLetters);
        claimed.insert(p.deadLetters);
    }
    return out;
}

QDateTime parseFailedAt(const QByteArray &text)
{
    const QByteArray t = text.trimmed();
    if (t.isEmpty())
        return {};
    bool ok = false;
    const qint64 n = t.toLongLong(&ok);
    if (ok) {
        // Epoch seconds up to the year 5138; anything larger is milliseconds.
        if (n < 0)
            return {};
        const qint64 ms = n < 100'000'000'000LL ? n * 1000 : n;
        return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC);
    }
    const double seconds = t.toDouble(&ok);
    if (ok && seconds >= 0 && seconds < 100'000'000'000.0)
        return QDateTime::fromMSecsSinceEpoch(qRound64(seconds * 1000.0), Qt::UTC);
    QDateTime iso = QDateTime::fromString(QString::fromLatin1(t), Qt::ISODateWithMs);
    if (!iso.isValid())
        return {};
    // Without an offset ISO 8601 is local time by the letter; dead letters written by
    // services without one are, in practice, UTC.
    if (iso.timeSpec() == Qt::LocalTime)
        iso.setTimeSpec(Qt::UTC);
    return iso.toUTC();
}

DeadLetter parseDeadLetter(const StreamEntry &entry, const DeadLetterFields &conventions)
{
    DeadLetter d;
    d.id = entry.id;
    bool seen[MetadataKeys] = {};
    QByteArray failedAt;
    QByteArray retryCount;
    for (const auto &[name, value] : entry.fields) {
        bool metadata = false;
        for (size_t i = 0; i < MetadataKeys; ++i) {
            const QByteArray &field = conventions.*kFieldKeys[i].member;
            if (seen[i] || field.isEmpty() || field != name)
                continue;
            seen[i] = true;
            metadata = true;
            switch (i) {
            case 0:
                d.originalStream = value;
                break;
            case 1:
                d.originalId = value;
                break;
            case 2:
                d.group = value;
                break;
            case 3:
                d.reason = value;
                break;
            case 4:
                retryCount = value;
                break;
            case 5:
                failedAt = value;
                break;
            }
        }
        if (!metadata)
            d.payload.append({name, value});
    }
    bool ok = false;
    const qint64 retries = retryCount.trimmed().toLongLong(&ok);
    d.retryCount = ok && retries >= 0 ? retries : -1;
    d.failedAt = parseFailedAt(failedAt);
    return d;
}

// ---- Detecting field names

namespace {

// A field name with case and separators folded away: "original_topic_name",
// "originalTopicName" and "original-topic-name" all read "originaltopicname".
QByteArray folded(const QByteArray &name)
{
    QByteArray out;
    out.reserve(name.size());
    for (char c : name) {
        if (c == '_' || c == '-' || c == '.' || c == ' ')
            continue;
        out += (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c;
    }
    return out;
}

// For each field of DeadLetterFields (content-original aside), the names dead letters use
// for it, folded, the likelier first.
const QList<QByteArray> kSynonyms[] = {
    {"originaltopicname", "originaltopic", "originalstream", "originalstreamname", "sourcestream",
     "sourcetopic", "topicname", "streamname", "topic", "stream", "source", "queue", "origin"},
    {"originalmessageid", "originalid", "originalentryid", "originalmsgid", "sourcemessageid",
     "sourceid", "messageid", "entryid", "msgid"},
    {"consumergroupid", "consumergroup", "consumergroupname", "groupid", "groupname", "group"},
    {"failurereason", "reason", "error", "errormessage", "errormsg", "exception", "lasterror",
     "cause", "failure"},
    {"retrycount", "retries", "attempts", "attemptcount", "deliverycount", "deliveries", "retry",
     "attempt"},
    {"failedat", "failedtime", "failuretime", "failedtimestamp", "deadat", "erroredat"},
    {"messagecontent", "content", "originalmessage", "payload", "body", "message", "data"},
};

QString namingOf(const QList<QByteArray> &names)
{
    bool snake = false, kebab = false, camel = false;
    for (const QByteArray &n : names) {
        snake |= n.contains('_');
        kebab |= n.contains('-');
        for (qsizetype i = 1; i < n.size(); ++i)
            camel |= n.at(i) >= 'A' && n.at(i) <= 'Z';
    }
    if (int(snake) + int(kebab) + int(camel) > 1)
        return QStringLiteral("mixed");
    if (snake)
        return QStringLiteral("snake_case");
    if (kebab)
        return QStringLiteral("kebab-case");
    if (camel)
        return QStringLiteral("camelCase");
    return names.isEmpty() ? QString() : QStringLiteral("one-word names");
}

int metadataPresent(const StreamEntry &entry, const QList<QByteArray> &metadata)
{
    int n = 0;
    for (const QByteArray &name : metadata) {
        for (const auto &field : entry.fields) {
            if (field.first == name) {
                ++n;
                break;
            }
        }
    }
    return n;
}

} // namespace

FieldMappingProposal proposeFieldMapping(const QList<StreamEntry> &sample,
                                         const DeadLetterFields &fallback)
{
    FieldMappingProposal p;
    p.sampled = int(sample.size());
    // How many dead letters have each name, by the name as written.
    QHash<QByteArray, int> seen;
    QList<QByteArray> order; // first seen first
    for (const StreamEntry &e : sample) {
        QSet<QByteArray> once;
        for (const auto &field : e.fields) {
            if (once.contains(field.first))
                continue;
            once.insert(field.first);
            if (!seen.contains(field.first))
                order.append(field.first);
            ++seen[field.first];
        }
    }
    QSet<QByteArray> taken;
    QList<QByteArray> chosen;
    for (size_t role = 0; role < std::size(kSynonyms); ++role) {
        QByteArray best;
        int bestCount = 0;
        int bestRank = INT_MAX;
        for (const QByteArray &name : std::as_const(order)) {
            if (taken.contains(name))
                continue;
            const qsizetype rank = kSynonyms[role].indexOf(folded(name));
            if (rank < 0)
                continue;
            const int count = seen.value(name);
            if (count > bestCount || (count == bestCount && rank < bestRank)) {
                best = name;
                bestCount = count;
                bestRank = int(rank);
            }
        }
        p.fields.*kFieldKeys[role].member = best;
        if (!best.isEmpty()) {
            taken.insert(best);
            chosen.append(best);
        }
    }
    // Content named for what it is goes back under the connection's name for it (the
    // record's `messageContent` was the message's `value`); content named `payload`,
    // `data` and the like was the message's field of that name.
    const QByteArray content = folded(p.fields.contentField);
    if (!p.fields.contentField.isEmpty())
        p.fields.contentOriginalField = (content == "messagecontent" || content == "content")
                                            ? fallback.contentOriginalField
                                            : p.fields.contentField;
    for (const FieldKey &f : kFieldKeys)
        p.fieldCounts.append(seen.value(p.fields.*f.member));
    p.fieldCounts.last() = 0; // content-original names where content goes, not a field read
    const QList<QByteArray> metadata = p.fields.metadataFields();
    for (const StreamEntry &e : sample) {
        const int n = metadataPresent(e, metadata);
        p.entryMatches.append(n);
        p.matched += n > 0 ? 1 : 0;
    }
    p.naming = namingOf(chosen);
    return p;
}

int countMatching(const QList<StreamEntry> &entries, const DeadLetterFields &fields)
{
    const QList<QByteArray> metadata = fields.metadataFields();
    int n = 0;
    for (const StreamEntry &e : entries)
        n += metadataPresent(e, metadata) > 0 ? 1 : 0;
    return n;
}

// ---- A message kept whole in a dead letter's content

namespace {

using Fields = QList<QPair<QByteArray, QByteArray>>;

std::optional<Fields> pairsFrom(const QJsonArray &pairs)
{
    Fields out;
    for (const QJsonValue p : pairs) {
        const QJsonArray pair = p.toArray();
        if (pair.size() != 2 || !pair.at(0).isString() || !pair.at(1).isString())
            return std::nullopt;
        out.append({pair.at(0).toString().toUtf8(), pair.at(1).toString().toUtf8()});
    }
    if (out.isEmpty())
        return std::nullopt;
    return out;
}

std::optional<Fields> fieldsFromJson(const QByteArray &json, QString *shape)
{
    const QByteArray t = json.trimmed();
    if (t.startsWith('[')) {
        const QJsonDocument doc = QJsonDocument::fromJson(t);
        *shape = QObject::tr("[name, value] pairs");
        return doc.isArray() ? pairsFrom(doc.array()) : std::nullopt;
    }
    const std::optional<QList<RawJsonMember>> members = rawJsonObjectMembers(t);
    if (!members || members->isEmpty())
        return std::nullopt;
    // Weir's export line: {"id": ..., "fields": [[name, value], ...]}.
    if (members->size() == 2 && members->at(0).name == "id" && members->at(1).name == "fields"
        && members->at(1).kind == RawJsonMember::Kind::Array) {
        *shape = QObject::tr("an exported entry");
        return pairsFrom(QJsonDocument::fromJson(members->at(1).raw).array());
    }
    Fields out;
    for (const RawJsonMember &m : *members) {
        if (!m.isScalar())
            return std::nullopt;
        out.append({m.name, m.text()});
    }
    *shape = QObject::tr("JSON object");
    return out;
}

} // namespace

std::optional<Fields> originalFieldsFromContent(const QByteArray &content, QString *how)
{
    QString shape;
    QString unpacked;
    QByteArray data = content;
    const QByteArray t = content.trimmed();
    if (!t.startsWith('{') && !t.startsWith('[')) {
        std::optional<QByteArray> inflated = inflateStored(content, &unpacked);
        if (!inflated)
            return std::nullopt;
        data = std::move(*inflated);
        unpacked += QStringLiteral(" → ");
    }
    std::optional<Fields> fields = fieldsFromJson(data, &shape);
    if (fields && how)
        *how = unpacked + shape;
    return fields;
}
