#pragma once

#include "redisrequest.h"

#include <QDateTime>
#include <QMetaType>
#include <QString>

// One line of the command log: what one request sent and what came of it, already
// shortened and with secrets redacted, so that it can be shown, copied or kept as it is.
struct CommandLogEntry
{
    QDateTime time;         // when the request was handed to the connection
    QString connection;     // who sent it; empty until a log names the connection
    QString command;        // describeRequest()
    QString result;         // describeResult()
    qint64 durationMs = -1; // -1: unknown
    bool error = false;     // a failure, or at least one error reply
};
Q_DECLARE_METATYPE(CommandLogEntry)

// How the command log writes requests and replies: pure functions, safe on any thread.
// Every text they return is bounded, whatever the size of the request or reply.
namespace commandlog {

// Arguments longer than this are cut, with their full size said after them.
constexpr int MaxArgumentBytes = 64;
// Arguments shown per command, its name included; the rest are counted.
constexpr int MaxArguments = 10;
// Commands of a pipeline shown one by one; longer pipelines show the first and a count.
constexpr int MaxPipelineShown = 4;
// An error reply longer than this is cut (Redis' own errors are far shorter).
constexpr int MaxErrorBytes = 1024;

inline const QString &redacted()
{
    static const QString text = QStringLiteral("(redacted)");
    return text;
}

// One argument as redis-cli would let you type it: bare when it is printable and has no
// space or quote, else in double quotes with \n, \", \\ and \xNN escapes. UTF-8 text
// stays as it is; bytes that are not valid UTF-8 are escaped. Cut after `maxBytes`, with
// "…(N bytes)" after it.
QString formatArgument(const QByteArray &bytes, int maxBytes = MaxArgumentBytes);

// Which arguments of a command are secrets: AUTH's password (the user name stays),
// HELLO's AUTH password, MIGRATE's AUTH and AUTH2 passwords, CONFIG SET requirepass and
// masterauth values, ACL SETUSER password rules (>, <, #, !), SENTINEL SET auth-pass.
bool isSecretArgument(const QList<QByteArray> &argv, qsizetype index);

// A command, its name in capitals, secrets shown as "(redacted)".
QString describeCommand(const QList<QByteArray> &argv);
// A request: its commands (" ; " between them), or for a long pipeline the first one and
// a count by name: "XACK orders g 1-0 ; … (1000 commands: XACK)".
QString describeRequest(const QList<RedisCommand> &commands);
// A reply as redis-cli prints its first line: OK, (integer) 5, "value", (nil),
// (array, 3 items), (error) WRONGTYPE ... (errors verbatim).
QString describeReply(const RedisValue &reply);
// A result: the reply (or the replies of a pipeline, the first error first, errors inside
// EXEC's reply included) or, for a failure, what happened in words. *error is set when it
// failed or any reply is an error.
QString describeResult(const RedisResult &result, bool *error = nullptr);
// Why a request failed, in a word or two: "timeout", "connection lost", …
QString failureName(RedisResult::Failure failure);

} // namespace commandlog
