#pragma once

#include "payloads.h"
#include "redisrequest.h"
#include "workload.h"

#include <QElapsedTimer>
#include <QHash>
#include <QLoggingCategory>
#include <QObject>
#include <QPointer>

#include <functional>
#include <memory>
#include <vector>

class QTimer;
class RedisConnection;

Q_DECLARE_LOGGING_CATEGORY(lcDemo)

// Seeds a server with the streams, groups and dead letters of a Workload, then runs its
// producers, consumers and trimmers on timers. Every command goes through the
// RedisConnection it is given and every reply comes back as a callback, so nothing here
// ever waits on the network. Lives on, and is used from, the connection's thread.
class WorkloadRunner : public QObject
{
    Q_OBJECT
public:
    struct Counters
    {
        qint64 produced = 0;  // live entries added
        qint64 delivered = 0; // entries read by consumers (first deliveries)
        qint64 acked = 0;
        qint64 redelivered = 0;  // poison messages reclaimed for another try
        qint64 deadLettered = 0; // live dead-letter records written
        qint64 trimmed = 0;
        qint64 failedRequests = 0;
    };

    // The connection must outlive this object; it need not be open yet.
    WorkloadRunner(Workload workload, RedisConnection *connection, QObject *parent = nullptr);
    ~WorkloadRunner() override;

    // Seeds as soon as the connection is up, then starts the live workload. Emits
    // seeded() once every seed command succeeded, or failed() with the first problem
    // (the live workload does not start then).
    void start();
    // Stops every timer; replies still in flight are ignored.
    void stop();
    bool isRunning() const { return m_running; }
    const Counters &counters() const { return m_counters; }

Q_SIGNALS:
    void seeded();
    void failed(const QString &message);

private:
    struct Producer;
    struct Consumer;
    using Step = std::function<QList<RedisCommand>()>;

    void beginSeed();
    void planStream(const StreamSpec &stream, qint64 nowMs, bool entriesRead);
    void planDeadLetters();
    void runNextSeedStep();
    void startLive();
    QTimer *addTimer(int intervalMs);
    void produce(Producer *p);
    void consume(Consumer *c);
    void acknowledge(Consumer *c, const QList<QByteArray> &ids);
    void retryPoison(Consumer *c);
    void trim(const StreamSpec &stream);
    // Whether the request went through and no reply is an error; counts and logs it
    // when not.
    bool check(const RedisResult &result, const char *what);

    Workload m_workload;
    QPointer<RedisConnection> m_connection;
    PayloadFactory m_payloads;
    Counters m_counters;
    bool m_running = false;
    bool m_seedStarted = false;

    QList<Step> m_seedSteps;
    qsizetype m_nextSeedStep = 0;
    struct DeadLetterSeed
    {
        qint64 failedAtMs;
        QList<QByteArray> fields;
    };
    QHash<QByteArray, QList<DeadLetterSeed>> m_deadLetterSeeds; // by dead-letter stream

    std::vector<std::unique_ptr<Producer>> m_producers;
    std::vector<std::unique_ptr<Consumer>> m_consumers;
    QList<QTimer *> m_timers;
};
