#pragma once

#include "redisvalue.h"

#include <QByteArray>
#include <QList>
#include <QMetaType>
#include <QString>

// One command: its arguments, and the key it touches (empty for keyless commands),
// which is what a cluster router needs to pick the node.
struct RedisCommand
{
    QList<QByteArray> argv;
    QByteArray key;

    RedisCommand() = default;
    RedisCommand(std::initializer_list<QByteArray> args, QByteArray k = {})
        : argv(args)
        , key(std::move(k))
    {}
    RedisCommand(QList<QByteArray> args, QByteArray k = {})
        : argv(std::move(args))
        , key(std::move(k))
    {}
};

// A request is a value: its commands are written in one go (pipelined) and their
// replies come back together, in order, in one RedisResult with the same id.
struct RedisRequest
{
    quint64 id = 0; // assigned by RedisConnection::send()
    QList<RedisCommand> commands;
    int timeoutMs = -1; // -1: the connection's command timeout (per page, below)
    // A cursor walk (SCAN and its kin): one command whose argv[1] is the cursor. The
    // worker sends it again with each cursor the server returns, as soon as the page
    // arrives, until the cursor is 0; every page comes back as a RedisResult of its own
    // with this id, `more` set on all but the last. RedisConnection::cancel() stops it.
    bool iterate = false;
};

struct RedisResult
{
    // Why a request got no replies. A request that failed after it was written may
    // or may not have been applied by the server (sent == true): Weir never resends it.
    enum class Failure {
        None,
        NotConnected,   // never sent: not connected before its deadline
        Timeout,        // no complete reply within the deadline
        ConnectionLost, // the connection dropped before all replies arrived
        ProtocolError,  // the reply could not be read (malformed, or nested too deep)
        ReadOnly,       // refused before sending: a write on a read-only connection
        Closed,         // the connection was closed by Weir
    };

    quint64 id = 0;
    QList<RedisValue> replies; // one per command when failure == None
    Failure failure = Failure::None;
    QString error;     // for failures: what happened, in words
    bool sent = false; // whether any of it reached the socket
    qint64 elapsedMs = 0;
    bool more = false; // an iterating request: more pages follow

    bool ok() const { return failure == Failure::None; }
};

Q_DECLARE_METATYPE(RedisRequest)
Q_DECLARE_METATYPE(RedisResult)
