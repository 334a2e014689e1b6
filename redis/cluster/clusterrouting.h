#pragma once

#include "redisrequest.h"

#include <QList>
#include <QString>

#include <optional>

// How RedisConnection cuts a request for a Redis Cluster. Pure functions, no I/O.

// The commands of a request that must reach one node together: one command, or a
// MULTI ... EXEC block with everything in it (keyless commands such as SCRIPT LOAD too).
struct RoutedUnit
{
    int first = 0; // index of its first command in the request
    int count = 1;
    int slot = -1; // the hash slot of its keys; -1 when it names none (any master serves it)
};

// The units of `commands`, in order, with their slots when `cluster` (else all -1). Fails
// (nullopt, the reason in `error`) when a MULTI ... EXEC block, or one script (EVAL,
// EVALSHA, FCALL), names keys of several slots: no node could run it whole.
std::optional<QList<RoutedUnit>> routeUnits(const QList<RedisCommand> &commands, bool cluster,
                                            QString *error);

// How many redirects (MOVED, ASK) Weir follows for one unit before it gives up.
constexpr int MaxClusterRedirects = 5;

// The reply a unit gets in place of its own when it was redirected more than
// MaxClusterRedirects times; `last` is the last redirect's error text.
RedisValue tooManyRedirects(const QByteArray &last);
