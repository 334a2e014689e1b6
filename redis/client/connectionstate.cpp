#include "connectionstate.h"

QString connectionStateName(ConnectionState state)
{
    switch (state) {
    case ConnectionState::Disconnected:
        return QStringLiteral("Disconnected");
    case ConnectionState::Connecting:
        return QStringLiteral("Connecting");
    case ConnectionState::Connected:
        return QStringLiteral("Connected");
    case ConnectionState::Reconnecting:
        return QStringLiteral("Reconnecting");
    case ConnectionState::Failed:
        return QStringLiteral("Failed");
    }
    return {};
}
