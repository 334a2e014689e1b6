#include "deadletters.h"

#include "streamparsers.h"

#include <QObject>
#include <QSet>
#include <QSettings>

#include <algorithm>

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
    QByteArray DeadLetterConventions::*member;
};

const FieldKey kFieldKeys[] = {
    {"originalStream", &DeadLetterConventions::originalStreamField},
    {"originalId", &DeadLetterConventions::originalIdField},
    {"group", &DeadLetterConventions::groupField},
    {"reason", &DeadLetterConventions::reasonField},
    {"retryCount", &DeadLetterConventions::retryCountField},
    {"failedAt", &DeadLetterConventions::failedAtField},
};

// Payload fields, not metadata: saved with the fields, never stripped.
QByteArray DeadLetterConventions::*const kContentKeys[] = {
    &DeadLetterConventions::contentField, &DeadLetterConventions::contentOriginalField};

const char *nameOf(QByteArray DeadLetterConventions::*member)
{
    return member == &DeadLetterConventions::contentField ? "content" : "contentOriginal";
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

QList<QByteArray> DeadLetterConventions::metadataFields() const
{
    QList<QByteArray> out;
    for (const FieldKey &f : kFieldKeys) {
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

DeadLetterConventions DeadLetterConventions::load(const QSettings &settings, const QString &group)
{
    DeadLetterConventions c = defaults();
    const QString prefix = prefixOf(group);
    const QString patternsKey = prefix + QStringLiteral("patterns");
    if (settings.contains(patternsKey))
        c.patterns = settings.value(patternsKey).toStringList();
    for (const FieldKey &f : kFieldKeys) {
        const QString key = prefix + QStringLiteral("fields/") + QLatin1String(f.name);
        if (settings.contains(key))
            c.*f.member = settings.value(key).toString().toUtf8();
    }
    for (QByteArray DeadLetterConventions::*member : kContentKeys) {
        const QString key = prefix + QStringLiteral("fields/") + QLatin1String(nameOf(member));
        if (settings.contains(key))
            c.*member = settings.value(key).toString().toUtf8();
    }
    return c;
}

void DeadLetterConventions::save(QSettings &settings, const QString &group) const
{
    const QString prefix = prefixOf(group);
    // A list that is empty would read back as missing; an explicit empty string list
    // keeps "no patterns" distinct from "defaults".
    settings.setValue(prefix + QStringLiteral("patterns"), patterns);
    for (const FieldKey &f : kFieldKeys) {
        settings.setValue(prefix + QStringLiteral("fields/") + QLatin1String(f.name),
                          QString::fromUtf8(this->*f.member));
    }
    for (QByteArray DeadLetterConventions::*member : kContentKeys) {
        settings.setValue(prefix + QStringLiteral("fields/") + QLatin1String(nameOf(member)),
                          QString::fromUtf8(this->*member));
    }
}

bool operator==(const DeadLetterConventions &a, const DeadLetterConventions &b)
{
    if (a.patterns != b.patterns || a.contentField != b.contentField
        || a.contentOriginalField != b.contentOriginalField)
        return false;
    for (const FieldKey &f : kFieldKeys) {
        if (a.*f.member != b.*f.member)
            return false;
    }
    return true;
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
        return QDateTime::fromMSecsSinceEpoch(qint64(seconds * 1000.0 + 0.5), Qt::UTC);
    QDateTime iso = QDateTime::fromString(QString::fromLatin1(t), Qt::ISODateWithMs);
    if (!iso.isValid())
        return {};
    // Without an offset ISO 8601 is local time by the letter; dead letters written by
    // services without one are, in practice, UTC.
    if (iso.timeSpec() == Qt::LocalTime)
        iso.setTimeSpec(Qt::UTC);
    return iso.toUTC();
}

DeadLetter parseDeadLetter(const StreamEntry &entry, const DeadLetterConventions &conventions)
{
    DeadLetter d;
    d.id = entry.id;
    bool seen[std::size(kFieldKeys)] = {};
    QByteArray failedAt;
    QByteArray retryCount;
    for (const auto &[name, value] : entry.fields) {
        bool metadata = false;
        for (size_t i = 0; i < std::size(kFieldKeys); ++i) {
            const QByteArray &field = conventions.*kFieldKeys[i].member;
            if (seen[i] || field.isEmpty() || field != name)
                continue;
            seen[i] = true;
            metadata = true;
            switch (i) {
            case 0: d.originalStream = value; break;
            case 1: d.originalId = value; break;
            case 2: d.group = value; break;
            case 3: d.reason = value; break;
            case 4: retryCount = value; break;
            case 5: failedAt = value; break;
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
