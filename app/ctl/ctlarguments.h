#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <optional>

class QCommandLineOption;
class QCommandLineParser;

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

// The value of `option` (--from, --to) as rangeBound() reads it, when it is set (*bound
// is left alone otherwise); false with the reason, naming the option.
bool rangeBoundOption(const QCommandLineParser &parsed, const QCommandLineOption &option, bool end,
                      qint64 nowMs, QByteArray *bound, QString *error);

// The value of `option` as a number(), when it is set (*value is left alone otherwise);
// false with the reason, naming the option.
bool numberOption(const QCommandLineParser &parsed, const QCommandLineOption &option,
                  qint64 minimum, qint64 *value, QString *error);

// The arguments of a command on one stream (STREAM) or on one group (STREAM GROUP): the
// reason when they are not exactly that, else empty with the names set.
QString streamArgument(const QStringList &arguments, QByteArray *key);
QString streamAndGroupArguments(const QStringList &arguments, QByteArray *key, QByteArray *group);

} // namespace CtlArguments
