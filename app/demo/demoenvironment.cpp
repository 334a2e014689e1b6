#include "demoenvironment.h"

#include "localredisserver.h"
#include "localserverbuild.h"
#include "redisconnection.h"

#include <QFile>

// Outside any namespace, as Q_INIT_RESOURCE requires. The resources live in this static
// library, so they have to be pulled in by name.
static void initDemoResources()
{
    Q_INIT_RESOURCE(weir_demo);
}

DemoEnvironment::DemoEnvironment(QObject *parent)
    : DemoEnvironment(Workload::builtInPath(), parent)
{}

DemoEnvironment::DemoEnvironment(const QString &workloadPath, QObject *parent)
    : QObject(parent)
    , m_workloadPath(workloadPath)
{
    initDemoResources();
}

DemoEnvironment::~DemoEnvironment()
{
    stop();
}

bool DemoEnvironment::start(QString *error)
{
    auto fail = [error](const QString &why) {
        if (error)
            *error = why;
        return false;
    };
    if (m_server)
        return fail(QStringLiteral("The demo is already running"));

    QFile file(m_workloadPath);
    if (!file.open(QIODevice::ReadOnly))
        return fail(QStringLiteral("Cannot read the demo workload %1: %2")
                        .arg(m_workloadPath, file.errorString()));
    QString why;
    const std::optional<Workload> workload = Workload::fromJson(file.readAll(), &why);
    if (!workload)
        return fail(QStringLiteral("Invalid demo workload %1: %2").arg(m_workloadPath, why));
    m_workload = *workload;

    // What the demo and Weir's views are tested on; an older server fails in odd places.
    const LocalServerBuild &build = LocalServerBuild::current();
    if (build.isValid() && !build.server.isAtLeast(6, 2))
        return fail(QStringLiteral("The demo needs redis-server 6.2 or later; %1 is %2. "
                                   "Install a newer one, or put its folder first on PATH.")
                        .arg(build.serverProgram, build.server.displayName()));
    auto server = std::make_unique<LocalRedisServer>();
    if (!server->start(&why))
        return fail(why);
    m_server = std::move(server);
    m_ready = false;

    ConnectionOptions o = options();
    o.name = QStringLiteral("Demo workload");
    m_connection = new RedisConnection(o, this);
    m_runner = new WorkloadRunner(m_workload, m_connection, this);
    connect(m_runner, &WorkloadRunner::seeded, this, [this] {
        m_ready = true;
        Q_EMIT ready();
    });
    connect(m_runner, &WorkloadRunner::failed, this, &DemoEnvironment::failed);
    m_connection->open(true);
    m_runner->start();
    return true;
}

void DemoEnvironment::stop()
{
    // The workload first, so nothing new is sent; then its connection; then the server.
    delete m_runner;
    delete m_connection;
    m_server.reset();
    m_ready = false;
}

bool DemoEnvironment::isRunning() const
{
    return m_server && m_server->isRunning();
}

ConnectionOptions DemoEnvironment::options() const
{
    ConnectionOptions o;
    if (m_server)
        o = m_server->options();
    o.name = QStringLiteral("Demo");
    return o;
}

qint64 DemoEnvironment::serverPid() const
{
    return m_server ? m_server->pid() : 0;
}

WorkloadRunner::Counters DemoEnvironment::counters() const
{
    return m_runner ? m_runner->counters() : WorkloadRunner::Counters{};
}
