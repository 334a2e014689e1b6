#include "localredisserver.h"

#include "localserverbuild.h"

#include <QDeadlineTimer>
#include <QFile>
#include <QTcpServer>

#include <csignal>
#include <sys/prctl.h>
#include <unistd.h>

quint16 freeLoopbackPort()
{
    QTcpServer probe;
    return probe.listen(QHostAddress::LocalHost, 0) ? probe.serverPort() : 0;
}

LocalRedisServer::LocalRedisServer()
    : LocalRedisServer(Config{})
{}

LocalRedisServer::LocalRedisServer(Config config)
    : m_config(std::move(config))
    , m_dir(QDir::tempPath() + QStringLiteral("/weir-redis-XXXXXX"))
{}

LocalRedisServer::~LocalRedisServer()
{
    stop();
}

QString LocalRedisServer::socketPath() const
{
    return m_dir.filePath(QStringLiteral("redis.sock"));
}

ConnectionOptions LocalRedisServer::options(bool viaSocket) const
{
    ConnectionOptions o;
    o.name = QStringLiteral("local");
    if (viaSocket) {
        o.transport = ConnectionOptions::Transport::Unix;
        o.socketPath = socketPath();
    } else {
        o.host = QStringLiteral("127.0.0.1");
        o.port = m_config.port;
        o.tls = m_config.tls;
        o.caFile = m_config.tlsCa;
    }
    return o;
}

qint64 LocalRedisServer::pid() const
{
    return m_process ? m_process->processId() : 0;
}

QString LocalRedisServer::log() const
{
    QFile f(m_dir.filePath(QStringLiteral("redis.log")));
    return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QString();
}

bool LocalRedisServer::isRunning() const
{
    return m_process && m_process->state() == QProcess::Running;
}

bool LocalRedisServer::start(QString *error)
{
    auto fail = [error](const QString &why) {
        if (error)
            *error = why;
        return false;
    };
    const LocalServerBuild build = m_config.serverDir.isEmpty()
                                       ? LocalServerBuild::current()
                                       : LocalServerBuild::find(m_config.serverDir);
    if (!build.isValid())
        return fail(build.error);
    const QString binary = build.serverProgram;
    if (!m_dir.isValid())
        return fail(QStringLiteral("Cannot create a temporary directory"));
    const bool fixedPort = m_config.port != 0;

    for (int attempt = 0; attempt < 5; ++attempt) {
        if (!fixedPort)
            m_config.port = freeLoopbackPort();
        QStringList lines = {
            QStringLiteral("bind 127.0.0.1"),
            QStringLiteral("dir ") + m_dir.path(),
            QStringLiteral("logfile ") + m_dir.filePath(QStringLiteral("redis.log")),
            QStringLiteral("save \"\""),
            QStringLiteral("appendonly no"),
            QStringLiteral("daemonize no"),
            QStringLiteral("protected-mode no"),
        };
        // DEBUG is refused from 7.0 on unless enabled; 6.2 allows it and knows no option.
        if (build.knowsDebugCommandOption())
            lines << QStringLiteral("enable-debug-command local");
        if (m_config.tls) {
            lines << QStringLiteral("port 0") << QStringLiteral("tls-port %1").arg(m_config.port)
                  << QStringLiteral("tls-cert-file ") + m_config.tlsCert
                  << QStringLiteral("tls-key-file ") + m_config.tlsKey
                  << QStringLiteral("tls-ca-cert-file ") + m_config.tlsCa
                  << QStringLiteral("tls-auth-clients ")
                         + (m_config.tlsAuthClients ? QStringLiteral("yes") : QStringLiteral("no"));
        } else {
            lines << QStringLiteral("port %1").arg(m_config.port);
        }
        if (m_config.unixSocket)
            lines << QStringLiteral("unixsocket ") + socketPath()
                  << QStringLiteral("unixsocketperm 700");
        lines << m_config.extraLines;
        QFile conf(m_dir.filePath(QStringLiteral("redis.conf")));
        if (!conf.open(QIODevice::WriteOnly | QIODevice::Truncate))
            return fail(QStringLiteral("Cannot write %1").arg(conf.fileName()));
        conf.write(lines.join(QLatin1Char('\n')).toUtf8() + '\n');
        conf.close();
        QFile::remove(m_dir.filePath(QStringLiteral("redis.log")));
        // Errors in redis.conf are reported on stderr, before the log file is opened.
        const QString stderrPath = m_dir.filePath(QStringLiteral("redis.stderr"));

        m_process = std::make_unique<QProcess>();
        m_process->setProgram(binary);
        QStringList arguments{conf.fileName()};
        if (m_config.sentinel)
            arguments << QStringLiteral("--sentinel");
        m_process->setArguments(arguments);
        m_process->setStandardErrorFile(stderrPath);
        m_process->setStandardOutputFile(QProcess::nullDevice());
        const pid_t parent = ::getpid();
        m_process->setChildProcessModifier([parent] {
            // Die with the process that started us, however it ends; and at once if it
            // ended already, between the fork and here, when no signal would come.
            ::prctl(PR_SET_PDEATHSIG, SIGTERM);
            if (::getppid() != parent)
                ::_exit(1);
        });
        m_process->start();
        if (!m_process->waitForStarted(5000))
            return fail(
                QStringLiteral("Cannot start %1: %2").arg(binary, m_process->errorString()));

        // Ready when the log says so (a sentinel says its id once it listens); a failed
        // bind ends the process instead. (Waiting on
        // the process, not sleeping: without an event loop, only waitForFinished() lets
        // QProcess notice that it exited.)
        const QDeadlineTimer deadline(10000);
        while (!deadline.hasExpired() && m_process->state() == QProcess::Running) {
            const QString text = log();
            if (text.contains(QLatin1String("Ready to accept connections"))
                || (m_config.sentinel && text.contains(QLatin1String("Sentinel ID is"))))
                return true;
            m_process->waitForFinished(5);
        }
        QFile stderrFile(stderrPath);
        const QString why =
            log()
            + (stderrFile.open(QIODevice::ReadOnly) ? QString::fromUtf8(stderrFile.readAll())
                                                    : QString());
        stop();
        if (fixedPort || !why.contains(QLatin1String("Address already in use")))
            return fail(QStringLiteral("redis-server did not start: %1").arg(why.right(600)));
    }
    return fail(QStringLiteral("redis-server found no free port"));
}

void LocalRedisServer::stop()
{
    if (!m_process)
        return;
    if (m_process->state() != QProcess::NotRunning) {
        m_process->terminate();
        if (!m_process->waitForFinished(5000)) {
            m_process->kill();
            m_process->waitForFinished(2000);
        }
    }
    m_process.reset();
}

void LocalRedisServer::kill()
{
    if (!m_process)
        return;
    m_process->kill();
    m_process->waitForFinished(5000);
    m_process.reset();
}
