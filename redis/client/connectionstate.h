#pragma once

#include <QMetaType>
#include <QString>

// The state of one connection, as RedisConnection reports it.
enum class ConnectionState {
    Disconnected, // not connected and not trying
    Connecting,   // first attempt under way
    Connected,    // handshake done, requests flow
    Reconnecting, // lost, waiting to try again (with backoff)
    Failed,       // gave up: authentication refused, or a single attempt failed
};
Q_DECLARE_METATYPE(ConnectionState)

// The state in a word, for the status bar.
QString connectionStateName(ConnectionState state);
