#pragma once

#include <QByteArray>
#include <QProcess>
#include <QString>

// `data` compressed by the gzip tool (-n: no name or time stamp in the header), as clients
// outside Weir write it: test samples that do not come from the code under test.
inline QByteArray gzipTool(const QByteArray &data)
{
    QProcess gzip;
    gzip.start(QStringLiteral("gzip"), {QStringLiteral("-c"), QStringLiteral("-n")});
    if (!gzip.waitForStarted(10000))
        qFatal("gzip did not start");
    gzip.write(data);
    gzip.closeWriteChannel();
    if (!gzip.waitForFinished(60000) || gzip.exitCode() != 0)
        qFatal("gzip failed");
    return gzip.readAllStandardOutput();
}
