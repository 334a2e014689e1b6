#pragma once

// What the tests know of the server they run on: LocalServerBuild::current(), the build in
// WEIR_TEST_SERVER_DIR or on PATH, identified as a connection identifies a server.

#include "localserverbuild.h"

#include <QTest>

namespace testserver {

inline const ServerInfo &info()
{
    return LocalServerBuild::current().server;
}

inline bool isAtLeast(int major, int minor)
{
    return info().isAtLeast(major, minor);
}

} // namespace testserver

// Skips the rest of the test on a server older than Redis MAJOR.MINOR (by the Redis version it
// is compatible with), saying which feature it needs: "needs Redis 7.0: ENTRIESREAD". For a
// test of a feature that server does not have; what Weir does there instead has a test of
// its own.
#define REQUIRE_REDIS(major, minor, feature)                                                       \
    do {                                                                                           \
        if (!testserver::isAtLeast(major, minor))                                                  \
            QSKIP("needs Redis " #major "." #minor ": " feature);                                  \
    } while (false)
