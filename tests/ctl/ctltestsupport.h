#pragma once

// Runs weirctl (the binary the build made, WEIRCTL_PATH) as a process, the way scripts
// and monitoring run it: arguments, environment and stdin in, exit code, stdout and
// stderr out. Settings go to a private INI file so that no test reads the user's.

#include "../integration/integrationsupport.h"
#include "localredisserver.h"
#include "runcommands.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMap>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

namespace ctltest {

struct CtlResult
{
    int exitCode = -1;
    bool finished = false; // false: it did not exit within the wait (then it was killed)
    QByteArray out;
    QByteArray err;

    // stdout as a JSON object (null object when it is not one; the parse error is printed).
    QJsonObject json() const
    {
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(out, &error);
        if (!doc.isObject())
            qWarning("weirctl's stdout is not a JSON object (%s): %s",
                     qPrintable(error.errorString()), out.left(400).constData());
        return doc.object();
    }
    // What a failed QCOMPARE/QVERIFY should show.
    QByteArray describe() const
    {
        return "exit " + QByteArray::number(exitCode) + "\nstderr: " + err.left(2000)
               + "\nstdout: " + out.left(2000);
    }
};

// The connection arguments of a server the test started: -h 127.0.0.1 -p PORT.
inline QStringList serverArgs(const LocalRedisServer &server)
{
    return {QStringLiteral("-h"), QStringLiteral("127.0.0.1"), QStringLiteral("-p"),
            QString::number(server.port())};
}

// A settings file of the test's own (kept for the test's life), for --settings.
inline QString privateSettingsFile()
{
    static QTemporaryDir dir;
    return dir.filePath(QStringLiteral("weir.ini"));
}

// The environment weirctl runs with: the test's own, without REDISCLI_AUTH.
inline QProcessEnvironment ctlEnvironment()
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove(QStringLiteral("REDISCLI_AUTH"));
    return env;
}

// Starts weirctl with `args` (after --settings FILE), not waiting for it.
inline std::unique_ptr<QProcess> startCtl(const QStringList &args,
                                          const QProcessEnvironment &env = ctlEnvironment())
{
    auto process = std::make_unique<QProcess>();
    process->setProcessEnvironment(env);
    process->start(QStringLiteral(WEIRCTL_PATH),
                   QStringList{QStringLiteral("--settings"), privateSettingsFile()} + args);
    return process;
}

// Waits for a started weirctl to exit (killing it after waitMs) and collects its output.
inline CtlResult finishCtl(QProcess &process, int waitMs = 60000)
{
    CtlResult result;
    if (!process.waitForStarted(10000)) {
        result.err = process.errorString().toUtf8();
        return result;
    }
    process.closeWriteChannel();
    result.finished = process.waitForFinished(waitMs);
    if (!result.finished) {
        process.kill();
        process.waitForFinished(5000);
    }
    result.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    result.out = process.readAllStandardOutput();
    result.err = process.readAllStandardError();
    return result;
}

// Runs weirctl with `args` to its end, stdin closed (so: not a terminal).
inline CtlResult runCtl(const QStringList &args, const QProcessEnvironment &env = ctlEnvironment(),
                        int waitMs = 60000)
{
    std::unique_ptr<QProcess> process = startCtl(args, env);
    return finishCtl(*process, waitMs);
}

// Gives `key` a group `group` with `pending` entries delivered to consumer c1 and not
// acknowledged (and one more entry, not delivered).
inline void fillPending(const ConnectionOptions &options, const QByteArray &key,
                        const QByteArray &group, int pending)
{
    RedisConnection connection(options);
    OPEN_CONNECTED(connection);
    QList<RedisCommand> commands = {{"DEL", key}};
    for (int i = 0; i < pending + 1; ++i)
        commands.append({"XADD", key, "*", "n", QByteArray::number(i)});
    commands.append({"XGROUP", "CREATE", key, group, "0"});
    commands.append({"XREADGROUP", "GROUP", group, "c1", "COUNT", QByteArray::number(pending),
                     "STREAMS", key, ">"});
    const QList<RedisValue> replies = runCommands(&connection, commands);
    QCOMPARE(replies.size(), commands.size());
    for (const RedisValue &reply : replies)
        QVERIFY2(!reply.isError(), qPrintable(reply.toDisplayString()));
}

// The pending count weirctl's groups output gives `group`; -1 when it lists no such group
// (or is no groups output).
inline int pendingOf(const CtlResult &result, const QString &group)
{
    const QJsonObject o = result.json();
    if (o.value(QStringLiteral("schema")).toString() != QLatin1String("weirctl.groups"))
        return -1;
    for (const auto &g : o.value(QStringLiteral("groups")).toArray())
        if (g.toObject().value(QStringLiteral("name")).toString() == group)
            return g.toObject().value(QStringLiteral("pending")).toInt(-1);
    return -1;
}

// Every key with its DUMP: equal snapshots mean that nothing was written (a stream's DUMP
// holds its entries, groups, pending lists with delivery times and counts, consumers).
using Snapshot = QMap<QByteArray, QByteArray>;
inline Snapshot snapshot(RedisConnection &connection)
{
    Snapshot s;
    const RedisValue keys = integration::command(connection, RedisCommand{{"KEYS", "*"}});
    for (const RedisValue &key : keys.elements())
        s.insert(key.bytes(),
                 integration::command(connection, RedisCommand{{"DUMP", key.bytes()}}).bytes());
    return s;
}

// RFC 4180 lines as weirctl writes them (quotes, doubled quotes, CRLF) into cells; a line
// counts once its line break is read.
inline QList<QStringList> parseCsv(const QByteArray &text)
{
    QList<QStringList> lines;
    QStringList cells;
    QString cell;
    bool quoted = false;
    const QString s = QString::fromUtf8(text);
    for (qsizetype i = 0; i < s.size(); ++i) {
        const QChar c = s.at(i);
        if (quoted) {
            if (c == QLatin1Char('"') && i + 1 < s.size() && s.at(i + 1) == QLatin1Char('"')) {
                cell += c;
                ++i;
            } else if (c == QLatin1Char('"')) {
                quoted = false;
            } else {
                cell += c;
            }
        } else if (c == QLatin1Char('"')) {
            quoted = true;
        } else if (c == QLatin1Char(',')) {
            cells << cell;
            cell.clear();
        } else if (c == QLatin1Char('\r')) {
            continue;
        } else if (c == QLatin1Char('\n')) {
            cells << cell;
            cell.clear();
            lines << cells;
            cells.clear();
        } else {
            cell += c;
        }
    }
    return lines;
}

} // namespace ctltest
