#pragma once

// Helpers shared by the integration tests: they drive a RedisConnection from the test's
// thread and spin the event loop (QTest::qWaitFor) while they wait, never sleep.

#include "localredisserver.h"
#include "redisconnection.h"

#include <QSignalSpy>
#include <QTcpServer>
#include <QTest>

#include <optional>

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

inline quint16 unusedLoopbackPort()
{
    QTcpServer probe;
    return probe.listen(QHostAddress::LocalHost, 0) ? probe.serverPort() : 0;
}

// Options for a server started by the fixture, with short timeouts.
inline ConnectionOptions quickOptions(const LocalRedisServer &server, bool viaSocket = false)
{
    ConnectionOptions o = server.options(viaSocket);
    o.connectTimeoutMs = 3000;
    o.commandTimeoutMs = 5000;
    return o;
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
