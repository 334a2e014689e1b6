#include "localserverbuild.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>

namespace {

// `name` in `dir`: the program itself, or the one a text file in its place names (what a
// symbolic link becomes when a folder is copied without links). Empty when neither runs.
QString programIn(const QString &dir, const QString &name, int depth = 0)
{
    const QFileInfo info(QDir(dir).filePath(name));
    if (!info.isFile())
        return {};
    // The link's own name, not its target's: Debian's redis-server is a link to
    // redis-check-rdb, a program that acts by the name it is run under.
    if (info.isExecutable())
        return info.absoluteFilePath();
    if (depth > 2 || info.size() > 256)
        return {};
    QFile file(info.filePath());
    if (!file.open(QIODevice::ReadOnly))
        return {};
    const QString target = QString::fromUtf8(file.readAll()).trimmed();
    if (target.isEmpty() || target.contains(QLatin1Char('\n')) || target == name)
        return {};
    // A relative target is relative to the link's folder, as a symbolic link's is.
    const QFileInfo resolved(QDir(dir).filePath(target));
    return programIn(resolved.absolutePath(), resolved.fileName(), depth + 1);
}

QString programOnPath(const QString &name)
{
    QString path = QStandardPaths::findExecutable(name);
    if (path.isEmpty())
        path = QStandardPaths::findExecutable(
            name, {QStringLiteral("/usr/bin"), QStringLiteral("/usr/local/bin")});
    return path;
}

} // namespace

QString LocalServerBuild::describe() const
{
    if (!isValid())
        return error;
    return QStringLiteral("%1 (%2)").arg(server.displayName(), serverProgram);
}

ServerInfo LocalServerBuild::parseVersionOutput(const QByteArray &text)
{
    static const QRegularExpression pattern(
        QStringLiteral("^(\\S+) server v=(\\d+\\.\\d+\\.\\d+)"));
    const QRegularExpressionMatch m = pattern.match(QString::fromUtf8(text));
    ServerInfo info;
    if (!m.hasMatch())
        return info;
    const QString product = m.captured(1);
    const bool redis = product.compare(QLatin1String("redis"), Qt::CaseInsensitive) == 0;
    info.identify(redis ? QString() : product, m.captured(2), redis ? m.captured(2) : QString());
    return info;
}

LocalServerBuild LocalServerBuild::find(const QString &directory)
{
    LocalServerBuild build;
    const QString server = QStringLiteral("redis-server");
    if (directory.isEmpty()) {
        build.serverProgram = programOnPath(server);
        if (build.serverProgram.isEmpty()) {
            build.error = QStringLiteral("redis-server is not installed (apt-get install "
                                         "redis-server)");
            return build;
        }
        build.directory = QFileInfo(build.serverProgram).absolutePath();
    } else {
        build.directory = QDir(directory).absolutePath();
        build.serverProgram = programIn(build.directory, server);
        if (build.serverProgram.isEmpty()) {
            build.error = QStringLiteral("No redis-server in %1").arg(build.directory);
            return build;
        }
    }
    // redis-cli of the same build, so a cluster is created by its own tools.
    build.cliProgram = programIn(build.directory, QStringLiteral("redis-cli"));
    if (build.cliProgram.isEmpty())
        build.cliProgram = programOnPath(QStringLiteral("redis-cli"));

    QProcess process;
    process.setProcessChannelMode(QProcess::MergedChannels);
    process.start(build.serverProgram, {QStringLiteral("--version")});
    if (!process.waitForFinished(10000)) {
        process.kill();
        process.waitForFinished(1000);
        build.error = QStringLiteral("%1 --version did not answer").arg(build.serverProgram);
        return build;
    }
    const QByteArray output = process.readAll();
    build.server = parseVersionOutput(output);
    if (!build.server.isKnown())
        build.error = QStringLiteral("%1 --version said \"%2\", not which server it is")
                          .arg(build.serverProgram, QString::fromUtf8(output.trimmed()));
    return build;
}

const LocalServerBuild &LocalServerBuild::current()
{
    static const LocalServerBuild build = [] {
        const QString dir = qEnvironmentVariable("WEIR_TEST_SERVER_DIR");
        LocalServerBuild found = find(dir);
        qInfo().noquote() << "Local servers:" << found.describe()
                          << (dir.isEmpty() ? "(from PATH)" : "(from WEIR_TEST_SERVER_DIR)");
        return found;
    }();
    return build;
}
