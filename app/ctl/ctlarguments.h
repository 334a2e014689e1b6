#pragma once

#include <QByteArray>
#include <QString>

#include <optional>

// The arguments weirctl's reading commands share, checked before anything connects: a
// malformed one is a usage error (exit 64) with the reason these functions give.
namespace CtlArguments {

// A bound of an entry range (--from, --to), as XRANGE takes it:
//   "-" or "+"                  the start or end of the stream
//   1733565600000-0, 1733565600000
//                               a stream id (a bare time in ms: its whole millisecond),
//                               "(" before one excludes it (Redis 6.2+)
//   2026-12-07T10:00:00Z        an ISO 8601 date-time (without a zone: local time)
//   -15m                        that long before `nowMs`: ms, s, m, h, d
// A time becomes the first id of its millisecond as a start (`end` false) and the last one
// as an end, so a range of times holds every entry added within it. nullopt (with the
// reason in *error) for anything else.
std::optional<QByteArray> rangeBound(const QString &text, bool end, qint64 nowMs, QString *error);

// `text` as a number of at least `minimum`; nullopt with the reason (naming `option`).
std::optional<qint64> number(const QString &option, const QString &text, qint64 minimum,
                             QString *error);

} // namespace CtlArguments
