#pragma once

#include "connectionoptions.h"

#include <QProcess>
#include <QStringList>
#include <QTemporaryDir>

#include <memory>

// A loopback port nothing listens on right now (0 when none was found): for a server about
// to start, or for a test that needs a port where nobody answers. Another process may take
// it before it is used; LocalRedisServer::start() tries again then.
quint16 freeLoopbackPort();

// A private redis-server in a temporary directory, listening on 127.0.0.1 on a free
// port (and optionally on a unix socket and with TLS). Used by the demo and the test
// fixtures; the program is LocalServerBuild::current(), and the redis.conf written holds
// only options that build knows. The server is asked to die with this process (PR_SET_PDEATHSIG),
// so it never outlives Weir or a crashed test, and is stopped by the destructor. Use it from one
// thread that lives as long as the server: the kernel sends that signal when the *thread* that
// started the server ends (and QProcess belongs to it anyway).
class LocalRedisServer
{
public:
    struct Config
    {
        bool unixSocket = false;
        // TLS on the port instead of plain TCP; the files are PEM paths.
        bool tls = false;
        QString tlsCert, tlsKey, tlsCa;
        bool tlsAuthClients = false;
        QStringList extraLines; // more redis.conf lines, e.g. "requirepass secret"
        quint16 port = 0;       // 0: a free port
        // Run as a sentinel (redis-server --sentinel); extraLines hold its "sentinel ..."
        // lines. It rewrites its redis.conf, which lives in the temporary directory.
        bool sentinel = false;
        // The folder of another server build to run (a cluster of mixed versions, as in
        // a rolling upgrade); empty: LocalServerBuild::current().
        QString serverDir;
    };

    LocalRedisServer();
    explicit LocalRedisServer(Config config);
    ~LocalRedisServer();

    // Starts the server and waits until it accepts connections (a few ms). Blocking:
    // call it at start-up or in tests, never while a window is live.
    bool start(QString *error = nullptr);
    void stop();
    // SIGKILL, as a crash would.
    void kill();
    bool isRunning() const;

    quint16 port() const { return m_config.port; }
    QString socketPath() const;
    QString directory() const { return m_dir.path(); }
    // Options that reach this server (TCP, or the unix socket with viaSocket).
    ConnectionOptions options(bool viaSocket = false) const;
    qint64 pid() const;
    QString log() const;

private:
    Config m_config;
    QTemporaryDir m_dir;
    std::unique_ptr<QProcess> m_process;
};
