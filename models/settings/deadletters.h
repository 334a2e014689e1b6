#pragma once

#include "streamid.h"
#include "streamparsers.h"

#include <QByteArray>
#include <QDateTime>
#include <QHash>
#include <QList>
#include <QMap>
#include <QPair>
#include <QStringList>

#include <optional>

class QSettings;
// The names of a dead letter's fields: the metadata (any may be absent from a given dead
// letter; an empty name means "not recorded") and where the message itself is kept.
struct DeadLetterFields
{
    QByteArray originalStreamField;
    QByteArray originalIdField;
    QByteArray groupField;
    QByteArray reasonField;
    QByteArray retryCountField;
    QByteArray failedAtField;
    // Where a dead letter carries the message's content in a field of its own (the record
    // most users write keeps a message's `value` as `messageContent`). Replaying without
    // the metadata writes the message back from it: the fields it holds when it is the
    // whole entry (see originalFieldsFromContent), else the content itself under
    // contentOriginalField, unless the dead letter has a field of that name already.
    // Either empty: nothing is unpacked or renamed.
    QByteArray contentField;
    QByteArray contentOriginalField;

    // The metadata field names that are set, in the order above.
    QList<QByteArray> metadataFields() const;

    friend bool operator==(const DeadLetterFields &a, const DeadLetterFields &b);
    friend bool operator!=(const DeadLetterFields &a, const DeadLetterFields &b)
    {
        return !(a == b);
    }
};

// How one connection's queues name their dead-letter streams and lay out a dead letter.
// Queues differ (see QUEUES.md), so this is a per-connection setting with defaults that
// match the dead-letter record most of Weir's users write (originalTopicName, ...), and a
// dead-letter stream whose dead letters are written another way (original_topic_name, ...)
// has field names of its own.
struct DeadLetterConventions : DeadLetterFields
{
    // Key patterns, tried in order; "{stream}" stands for the source stream's key.
    QStringList patterns;
    // Field names for one dead-letter stream, where they differ from the connection's.
    QMap<QByteArray, DeadLetterFields> streamFields;

    static DeadLetterConventions defaults();

    // The field names one dead-letter stream's dead letters are read with.
    DeadLetterFields fieldsFor(const QByteArray &deadLetterStream) const;
    // These conventions with fieldsFor(deadLetterStream) in force.
    DeadLetterConventions forStream(const QByteArray &deadLetterStream) const;
    // Keeps `fields` for one dead-letter stream (forgets them when they are the
    // connection's own).
    void setFieldsFor(const QByteArray &deadLetterStream, const DeadLetterFields &fields);

    // The dead-letter stream a pattern gives for a source stream.
    // Empty when the pattern is usable (exactly one "{stream}" and something around it),
    // else why not, in words for the user. apply() gives an empty key for a bad pattern.
    static QString patternProblem(const QString &pattern);
    static QByteArray apply(const QString &pattern, const QByteArray &stream);
    // The source stream a key would be the dead-letter stream of, by the first pattern
    // it matches (nullopt when none does).
    std::optional<QByteArray> sourceOf(const QByteArray &key) const;

    // Settings under "<group>/deadLetters/..." (e.g. "connections/<id>"); missing
    // values fall back to the defaults.
    static DeadLetterConventions load(const QSettings &settings, const QString &group);
    void save(QSettings &settings, const QString &group) const;

    friend bool operator==(const DeadLetterConventions &a, const DeadLetterConventions &b);
    friend bool operator!=(const DeadLetterConventions &a, const DeadLetterConventions &b)
    {
        return !(a == b);
    }
};

// What Detect proposes for a dead-letter stream from a sample of its dead letters: for each
// metadata field, the name the sample uses for it (snake_case, camelCase, kebab-case or a
// usual synonym such as `error`, `attempts`, `topic`, `payload`), and how well it fits.
struct FieldMappingProposal
{
    DeadLetterFields fields;
    int sampled = 0;
    // Per field of `fields`, in DeadLetterFields' order (8): how many sampled dead
    // letters have it (0 for a field not proposed).
    QList<int> fieldCounts;
    // Per sampled dead letter, in order: how many of the proposed metadata fields it has.
    QList<int> entryMatches;
    // How many sampled dead letters have at least one proposed metadata field.
    int matched = 0;
    // "snake_case", "camelCase", "kebab-case" or "mixed" (empty: nothing proposed).
    QString naming;
};
FieldMappingProposal proposeFieldMapping(const QList<StreamEntry> &sample,
                                         const DeadLetterFields &fallback);
// How many of `entries` have at least one of the metadata fields `fields` names.
int countMatching(const QList<StreamEntry> &entries, const DeadLetterFields &fields);

// The message a dead letter's content holds, when it holds a whole entry: a JSON object of
// scalar values (its fields in order, strings unescaped, numbers and literals as written),
// a JSON array of [name, value] pairs or an object whose "fields" is one (as Weir's export
// writes an entry), each possibly base64 of gzip or zlib data. nullopt for anything else;
// `how` (may be null) says what was unpacked ("JSON object", "gzip + base64 → JSON object").
std::optional<QList<QPair<QByteArray, QByteArray>>>
originalFieldsFromContent(const QByteArray &content, QString *how = nullptr);

// Which of `keys` are dead-letter streams of which others, by the conventions: the map
// goes from a source stream to its dead-letter stream. A key counts as a dead-letter
// stream only when its source is among `keys` too (the first pattern that gives a key
// present wins).
QHash<QByteArray, QByteArray> detectDeadLetterStreams(const QList<QByteArray> &keys,
                                                      const DeadLetterConventions &conventions);

// One dead letter, read with the conventions. Absent metadata stay empty (retryCount -1,
// failedAt invalid); `payload` is every field that is not metadata, in order.
struct DeadLetter
{
    StreamId id; // in the dead-letter stream
    QByteArray originalStream;
    QByteArray originalId;
    QByteArray group;
    QByteArray reason;
    qint64 retryCount = -1;
    QDateTime failedAt; // UTC; parsed from ISO 8601 or epoch seconds / milliseconds
    QList<QPair<QByteArray, QByteArray>> payload;
};

// A failed-at value: ISO 8601 (UTC when it names no offset), or epoch seconds (possibly
// with a fraction) or milliseconds, told apart by size. Invalid when it is none of these.
QDateTime parseFailedAt(const QByteArray &text);

// Reads with `fields` as given: for a dead-letter stream's own names, pass
// conventions.fieldsFor(key) (or conventions that forStream() gave).
DeadLetter parseDeadLetter(const StreamEntry &entry, const DeadLetterFields &fields);
