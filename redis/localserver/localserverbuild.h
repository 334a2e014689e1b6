#pragma once

#include "replyparsers.h"

#include <QString>

// The redis-server build that the local servers of the demo and the tests run: the one in
// the folder named by WEIR_TEST_SERVER_DIR when it is set (the test matrix sets it to each
// server of ../shared/servers in turn), else the one on PATH. Found once per process.
//
// A folder copied without its symbolic links holds small text files naming the program
// they linked to (Valkey's redis-server names valkey-server); those are followed.
struct LocalServerBuild
{
    QString directory;     // where redis-server was found
    QString serverProgram; // redis-server, or the program a text file in its place names
    QString cliProgram;    // redis-cli beside it (or on PATH); empty when there is none
    // What `redis-server --version` says: the product, its own version, and the Redis
    // version it stands for (Valkey 8.0.1: 7.2.4), as a connection would identify it.
    ServerInfo server;
    QString error; // why no usable server was found; empty when one was

    bool isValid() const { return error.isEmpty(); }
    // "Valkey 8.0.1 (/path/valkey-server)"
    QString describe() const;
    // redis.conf lines this build understands, of those Weir's local servers may write
    // (enable-debug-command and cluster-port came with Redis 7.0).
    bool knowsDebugCommandOption() const { return server.isAtLeast(7, 0); }
    bool knowsClusterPortOption() const { return server.isAtLeast(7, 0); }

    // The build in `directory` (empty: on PATH, then /usr/bin and /usr/local/bin).
    static LocalServerBuild find(const QString &directory);
    // The build for this process, from WEIR_TEST_SERVER_DIR or PATH; said once on the
    // first call (qInfo), so every test log names the server it ran on.
    static const LocalServerBuild &current();
    // Reads "Redis server v=7.0.15 sha=…" or "Valkey server v=8.0.1 …"; an identity
    // whose isKnown() is false when the text is neither.
    static ServerInfo parseVersionOutput(const QByteArray &text);
};
