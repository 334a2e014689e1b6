#pragma once

// Set-up and checking commands for tests that talk to a real server: what the code under
// test does goes through its own API; this is the test's own side channel.

#include "redisconnection.h"

#include <QObject>
#include <QTest>

// Sends `commands` on `connection` as one pipelined request and waits, spinning the event
// loop, up to `timeoutMs` for their replies (empty when the request failed); fails the
// running test when none come. A reply that arrives after that is dropped.
inline QList<RedisValue> runCommands(RedisConnection *connection,
                                     const QList<RedisCommand> &commands, int timeoutMs = 20000)
{
    QList<RedisValue> replies;
    bool done = false;
    QObject context;
    connection->send(commands, &context, [&](const RedisResult &r) {
        replies = r.replies;
        done = true;
    });
    [&] { QTRY_VERIFY_WITH_TIMEOUT(done, timeoutMs); }();
    return replies;
}
