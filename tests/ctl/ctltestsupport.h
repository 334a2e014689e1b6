#pragma once

// Runs weirctl (the binary the build made, WEIRCTL_PATH) as a process, the way scripts
// and monitoring run it: arguments, environment and stdin in, exit code, stdout and
// stderr out. Settings go to a private INI file so that no test reads the user's.

#include "localredisserver.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
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

} // namespace ctltest
