#pragma once

#include "replyparsers.h"

#include <QString>

// Why Redis reports no lag for `group` of `stream` on `server`: XINFO GROUPS' lag is nil
// (entries deleted after the group's position, or a position set to an arbitrary id), or
// the server is older than Redis 7.0 and has no lag at all. Empty when Redis reports one.
// The Groups view's tooltip and `weirctl groups`' lag_unknown_reason say the same words.
QString groupLagUnknownReason(const GroupInfo &group, const StreamInfo &stream,
                              const ServerInfo &server);
