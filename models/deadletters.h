#pragma once

#include "streamid.h"

#include <QByteArray>
#include <QDateTime>
#include <QHash>
#include <QList>
#include <QPair>
#include <QStringList>

#include <optional>

class QSettings;
struct StreamEntry;

// How one connection's queues name their dead-letter streams and lay out a dead letter.
// Queues differ (see QUEUES.md), so this is a per-connection setting with defaults that
// match the dead-letter record most of Weir's users write (originalTopicName, ...).
struct DeadLetterConventions
{
    // Key patterns, tried in order; "{stream}" stands for the source stream's key.
    QStringList patterns;
    // The fields of a dead letter that carry its metadata. Any may be absent from a
    // given dead letter; an empty name means "not recorded".
    QByteArray originalStreamField;
    QByteArray originalIdField;
    QByteArray groupField;
    QByteArray reasonField;
    QByteArray retryCountField;
    QByteArray failedAtField;
    // Where a dead letter carries the message's content in a field of its own (the record
    // most users write keeps a message's `value` as `messageContent`): replaying without
    // the metadata writes it back under contentOriginalField, unless the dead letter has a
    // field of that name already. Either empty: nothing is renamed.
    QByteArray contentField;
    QByteArray contentOriginalField;

    static DeadLetterConventions defaults();

    // The metadata field names that are set, in the order above.
    QList<QByteArray> metadataFields() const;
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
};

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

DeadLetter parseDeadLetter(const StreamEntry &entry, const DeadLetterConventions &conventions);
