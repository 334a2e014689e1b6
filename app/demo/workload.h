#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

#include <optional>

// The demo's workload as plain values, read from a JSON definition (the built-in one is
// resources/demo/workload.json; its "comment" explains every field). Parsing is a pure
// function that validates as it goes, so a bad definition fails start-up with a reason.

// What the entries of a stream look like; the shapes follow docs QUEUES.md.
enum class PayloadShape {
    Task,      // design 000/001: message_id (uuid), data (JSON), timestamp (unix seconds)
    Dashboard, // design 004: data (gzip+base64 JSON), timestamp (unix ms)
    Order,     // design 003: key, value (JSON), headers (JSON), messageType, retryCount
    Metric,    // design 004: data (JSON), timestamp (unix ms)
};

struct ProducerSpec
{
    double perSecond = 0; // 0: no live producer
    int poisonEvery = 0;  // every n-th entry (seeded and live) is a poison message; 0: none
};

struct PendingSeedSpec
{
    QByteArray consumer;
    int read = 0;                // entries this consumer read
    bool keepPoisonOnly = false; // ack all but the poison messages among them
    qint64 idleMs = 0;
    int deliveries = 1;
};

struct ConsumerSpec
{
    QByteArray name;
    int everyMs = 1000;
    int count = 1; // XREADGROUP COUNT
    bool ack = true;
    int processingMs = 0; // delay between reading and acking
    int stopAfter = 0;    // stop ("die") after reading this many entries; 0: never
    int activeMs = 0;     // with pausedMs: work activeMs, rest pausedMs, repeat
    int pausedMs = 0;
    bool failOnPoison = false;
    int retryAfterMs = 2000; // reclaim a failed entry once it has been idle this long
    int maxDeliveries = 4;   // dead-letter a poison message delivered this many times
    QByteArray deadLetterStream;
};

struct GroupSpec
{
    QByteArray name;
    int backlog = 0;           // seeded entries left undelivered
    int deleteUndelivered = 0; // XDELs inside the undelivered range: lag becomes nil
    QList<PendingSeedSpec> pending;
    QList<ConsumerSpec> consumers;

    int pendingWindow() const;
};

struct TrimSpec
{
    qint64 maxLen = 0;
    bool approximate = true;
    int everyMs = 5000;
};

struct StreamSpec
{
    QByteArray key;
    PayloadShape shape = PayloadShape::Task;
    int seedEntries = 0;
    int historySeconds = 3600;
    ProducerSpec producer;
    std::optional<TrimSpec> trim;
    QList<GroupSpec> groups;
};

struct Workload
{
    quint32 randomSeed = 1;
    QList<StreamSpec> streams;

    static std::optional<Workload> fromJson(const QByteArray &json, QString *error);
    // The built-in definition (compiled in from resources/demo/workload.json).
    static QString builtInPath();

    const StreamSpec *stream(const QByteArray &key) const;
    // Every dead-letter stream a consumer writes to.
    QList<QByteArray> deadLetterStreams() const;
};

std::optional<PayloadShape> payloadShapeFromName(const QString &name);
