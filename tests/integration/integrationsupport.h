#pragma once

// Helpers shared by the integration tests: they drive a RedisConnection from the test's
// thread and spin the event loop (QTest::qWaitFor) while they wait, never sleep.

#include "localredisserver.h"
#include "redisconnection.h"

#include <QCoreApplication>
#include <QFile>
#include <QProcess>
#include <QSignalSpy>
#include <QTest>

#include <cstdio>
#include <optional>
#include <unistd.h>

// Readable QCOMPARE failures.
inline char *toString(const RedisValue &value)
{
    return QTest::toString(value.toDisplayString());
}

inline char *toString(ConnectionState state)
{
    return QTest::toString(connectionStateName(state));
}

namespace integration {

// The result of one request, or nullopt when none arrived within waitMs.
inline std::optional<RedisResult> exec(RedisConnection &connection, QList<RedisCommand> commands,
                                       int requestTimeoutMs = -1, int waitMs = 15000)
{
    std::optional<RedisResult> result;
    QObject context;
    connection.send(
        std::move(commands), &context, [&result](const RedisResult &r) { result = r; },
        requestTimeoutMs);
    if (!QTest::qWaitFor([&result] { return result.has_value(); }, waitMs))
        qWarning("no result within %d ms", waitMs);
    return result;
}

// The single reply of a one-command request; an error reply is a value too. Nil when the
// request failed (the failure is printed).
inline RedisValue command(RedisConnection &connection, RedisCommand cmd)
{
    const std::optional<RedisResult> r = exec(connection, {std::move(cmd)});
    if (!r || !r->ok() || r->replies.size() != 1) {
        qWarning() << "request failed:" << (r ? r->error : QStringLiteral("no result"));
        return {};
    }
    return r->replies.first();
}

// A field of an INFO reply ("used_memory", "cmdstat_xadd"), empty when absent.
inline QByteArray infoField(const RedisValue &info, const QByteArray &name)
{
    for (const QByteArray &line : info.bytes().split('\n')) {
        const QByteArray l = line.trimmed();
        if (l.startsWith(name + ':'))
            return l.mid(name.size() + 1);
    }
    return {};
}

// The states a connection went through, from a spy on stateChanged.
inline QList<ConnectionState> states(const QSignalSpy &spy)
{
    QList<ConnectionState> out;
    for (const QList<QVariant> &args : spy)
        out.append(args.at(0).value<ConnectionState>());
    return out;
}

// Options for a server started by the fixture, with short timeouts.
inline ConnectionOptions quickOptions(const LocalRedisServer &server, bool viaSocket = false)
{
    ConnectionOptions o = server.options(viaSocket);
    o.connectTimeoutMs = 3000;
    o.commandTimeoutMs = 5000;
    return o;
}

// Whether the process is gone (or a zombie nobody has reaped yet).
inline bool processEnded(qint64 pid)
{
    QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!stat.open(QIODevice::ReadOnly))
        return true;
    const QByteArray text = stat.readAll();
    const qsizetype close = text.lastIndexOf(')');
    return close < 0 || text.mid(close + 2, 1) == "Z";
}

// For tests that servers die with a crashed parent: starts this test program again with
// `variable` set (its child mode, which starts servers and prints a line about them), and
// returns that line split at spaces; empty when none came within `timeoutMs`.
inline QList<QByteArray> startChild(QProcess &child, const char *variable, int timeoutMs)
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QLatin1String(variable), QStringLiteral("1"));
    child.setProcessEnvironment(env);
    child.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    child.start(QCoreApplication::applicationFilePath(), {});
    if (!child.waitForStarted(5000)
        || !QTest::qWaitFor(
            [&] { return child.canReadLine() || child.state() != QProcess::Running; }, timeoutMs)) {
        return {};
    }
    return child.readLine().trimmed().split(' ');
}

// The child's end after it printed its line: it waits to be killed.
[[noreturn]] inline void waitToBeKilled()
{
    std::fflush(stdout);
    for (;;)
        ::pause();
}

} // namespace integration

// Starts `server` or fails the test with the reason.
#define START_SERVER(server)                                                                       \
    do {                                                                                           \
        QString startError_;                                                                       \
        QVERIFY2((server).start(&startError_), qPrintable(startError_));                           \
    } while (false)

// Opens `connection` and waits until it is connected, or fails with its state message.
#define OPEN_CONNECTED(connection)                                                                 \
    do {                                                                                           \
        (connection).open(true);                                                                   \
        QTRY_VERIFY2_WITH_TIMEOUT((connection).state() == ConnectionState::Connected,              \
                                  qPrintable((connection).stateMessage()), 10000);                 \
    } while (false)
