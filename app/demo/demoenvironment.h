#pragma once

#include "connectionoptions.h"
#include "workload.h"
#include "workloadrunner.h"

#include <QObject>
#include <QPointer>

#include <memory>

class LocalRedisServer;
class RedisConnection;

// What `weir --demo` connects to: a private redis-server on a free loopback port, seeded
// with queues shaped like those in docs QUEUES.md and kept busy by a live workload
// (producers, fast, slow and crashing consumers, poison messages that end in a
// dead-letter stream), all described by a JSON workload definition.
//
// Lives on the GUI thread. start() blocks for the few milliseconds redis-server takes to
// come up; everything after that (seeding, the workload) is asynchronous. The server
// is stopped by stop() and the destructor, and dies with the process if Weir crashes
// (PR_SET_PDEATHSIG, armed for the thread that calls start(): call it from the main
// thread).
class DemoEnvironment : public QObject
{
    Q_OBJECT
public:
    // The built-in workload (resources/demo/workload.json).
    explicit DemoEnvironment(QObject *parent = nullptr);
    // The workload in this file (or Qt resource path) instead.
    explicit DemoEnvironment(const QString &workloadPath, QObject *parent = nullptr);
    ~DemoEnvironment() override;

    // Reads the workload and starts the server; false, with the reason in `error`, when
    // either fails. Seeding then runs in the background: ready() once the queues are in
    // place and the live workload runs, failed() if seeding goes wrong.
    bool start(QString *error = nullptr);
    // Stops the workload and the server (waiting for it to exit). Safe to call twice.
    void stop();

    bool isRunning() const;
    bool isReady() const { return m_ready; }
    // How to reach the server: 127.0.0.1 and its port, named "Demo". Valid after start().
    ConnectionOptions options() const;
    qint64 serverPid() const;
    const Workload &workload() const { return m_workload; }
    // What the live workload has done so far; zeros before ready().
    WorkloadRunner::Counters counters() const;

Q_SIGNALS:
    void ready();
    void failed(const QString &message);

private:
    QString m_workloadPath;
    Workload m_workload;
    std::unique_ptr<LocalRedisServer> m_server;
    QPointer<RedisConnection> m_connection;
    QPointer<WorkloadRunner> m_runner;
    bool m_ready = false;
};
