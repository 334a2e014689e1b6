#include "localsentinelset.h"

#include "respcodec.h"

#include <QDeadlineTimer>
#include <QTcpSocket>
#include <QThread>

namespace {

// The value of `field` in a flat [field, value, field, value, ...] reply.
QByteArray fieldOf(const RedisValue &pairs, const QByteArray &field)
{
    if (!pairs.isArray())
        return {};
    for (qsizetype i = 0; i + 1 < pairs.size(); i += 2) {
        if (pairs.at(i).bytes() == field)
            return pairs.at(i + 1).bytes();
    }
    return {};
}

// Waits for `done` without sleeping blindly: each round blocks on a short query at most.
template<typename F> bool waitUntil(const QDeadlineTimer &deadline, F done)
{
    while (!deadline.hasExpired()) {
        if (done())
            return true;
        // Nothing to wait on but the servers' own timers: yield the CPU for a moment.
        QThread::msleep(50);
    }
    return done();
}

} // namespace

LocalSentinelSet::LocalSentinelSet()
    : LocalSentinelSet(Config{})
{}

LocalSentinelSet::LocalSentinelSet(Config config)
    : m_config(std::move(config))
{}

LocalSentinelSet::~LocalSentinelSet()
{
    stop();
}

QList<quint16> LocalSentinelSet::sentinelPorts() const
{
    QList<quint16> ports;
    for (const auto &s : m_sentinels)
        ports.append(s->port());
    return ports;
}

QStringList LocalSentinelSet::sentinelAddresses() const
{
    QStringList out;
    for (quint16 port : sentinelPorts())
        out.append(QStringLiteral("127.0.0.1:%1").arg(port));
    return out;
}

ConnectionOptions LocalSentinelSet::options() const
{
    ConnectionOptions o;
    o.name = QStringLiteral("local sentinels");
    o.sentinels = sentinelAddresses();
    o.masterName = m_config.masterName;
    o.connectTimeoutMs = 3000;
    o.commandTimeoutMs = 5000;
    return o;
}

std::optional<RedisValue> LocalSentinelSet::query(quint16 port, const QList<QByteArray> &argv,
                                                  int timeoutMs)
{
    const QDeadlineTimer deadline(timeoutMs);
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, port);
    if (!socket.waitForConnected(int(qMax<qint64>(1, deadline.remainingTime()))))
        return std::nullopt;
    socket.write(encodeCommand(argv));
    RespDecoder decoder;
    RedisValue reply;
    while (!deadline.hasExpired()) {
        if (!socket.waitForReadyRead(int(qMax<qint64>(1, deadline.remainingTime()))))
            return std::nullopt;
        decoder.feed(socket.readAll());
        const RespDecoder::Result r = decoder.next(&reply);
        if (r == RespDecoder::Result::Error)
            return std::nullopt;
        if (r != RespDecoder::Result::NeedMore)
            return reply;
    }
    return std::nullopt;
}

QString LocalSentinelSet::masterAddress(int index, int timeoutMs) const
{
    const auto reply =
        query(m_sentinels.at(size_t(index))->port(),
              {"SENTINEL", "get-master-addr-by-name", m_config.masterName.toUtf8()}, timeoutMs);
    if (!reply || !reply->isArray() || reply->size() != 2)
        return {};
    return QString::fromUtf8(reply->at(0).bytes() + ':' + reply->at(1).bytes());
}

int LocalSentinelSet::subscribers(int index) const
{
    int count = 0;
    for (int i = 0; i < int(m_sentinels.size()); ++i) {
        if (index >= 0 && i != index)
            continue;
        const auto clients = query(m_sentinels.at(size_t(i))->port(), {"CLIENT", "LIST"});
        if (clients)
            count += int(clients->bytes().count(" sub=1 "));
    }
    return count;
}

bool LocalSentinelSet::startFailover() const
{
    for (const auto &s : m_sentinels) {
        const auto reply = query(s->port(), {"SENTINEL", "FAILOVER", m_config.masterName.toUtf8()});
        if (reply)
            return reply->isStatus();
    }
    return false;
}

bool LocalSentinelSet::everySentinelReady(QString *why) const
{
    const QByteArray name = m_config.masterName.toUtf8();
    for (const auto &s : m_sentinels) {
        const auto master = query(s->port(), {"SENTINEL", "master", name});
        const auto replicas = query(s->port(), {"SENTINEL", "replicas", name});
        if (!master || !replicas || !replicas->isArray()) {
            *why = QStringLiteral("sentinel %1 does not answer").arg(s->port());
            return false;
        }
        const QByteArray others = fieldOf(*master, "num-other-sentinels");
        if (others.toInt() != m_config.sentinels - 1) {
            *why = QStringLiteral("sentinel %1 knows %2 other sentinels")
                       .arg(s->port())
                       .arg(QString::fromUtf8(others));
            return false;
        }
        if (replicas->size() != 1 || fieldOf(replicas->at(0), "flags") != "slave"
            || fieldOf(replicas->at(0), "master-link-status") != "ok") {
            *why = QStringLiteral("sentinel %1 sees the replicas as %2")
                       .arg(s->port())
                       .arg(replicas->toDisplayString());
            return false;
        }
    }
    return true;
}

bool LocalSentinelSet::start(QString *error, int timeoutMs)
{
    auto fail = [this, error](const QString &why) {
        if (error)
            *error = why;
        stop();
        return false;
    };
    const QDeadlineTimer deadline(timeoutMs);
    QString why;
    if (!m_master.start(&why))
        return fail(QStringLiteral("master: ") + why);

    LocalRedisServer::Config replicaConfig;
    replicaConfig.extraLines << QStringLiteral("replicaof 127.0.0.1 %1").arg(m_master.port());
    m_replica = std::make_unique<LocalRedisServer>(replicaConfig);
    if (!m_replica->start(&why))
        return fail(QStringLiteral("replica: ") + why);
    // In sync before the sentinels come, so that their first INFO of the master names it.
    const bool synced = waitUntil(deadline, [this] {
        const auto info = query(m_master.port(), {"INFO", "replication"});
        return info && info->bytes().contains("state=online");
    });
    if (!synced)
        return fail(QStringLiteral("the replica did not sync with the master in time"));

    const QString name = m_config.masterName;
    for (int i = 0; i < m_config.sentinels; ++i) {
        LocalRedisServer::Config c;
        c.sentinel = true;
        c.extraLines << QStringLiteral("sentinel monitor %1 127.0.0.1 %2 %3")
                            .arg(name)
                            .arg(m_master.port())
                            .arg(m_config.quorum)
                     << QStringLiteral("sentinel down-after-milliseconds %1 %2")
                            .arg(name)
                            .arg(m_config.downAfterMs)
                     << QStringLiteral("sentinel failover-timeout %1 %2")
                            .arg(name)
                            .arg(m_config.failoverTimeoutMs)
                     << QStringLiteral("sentinel parallel-syncs %1 1").arg(name);
        auto sentinel = std::make_unique<LocalRedisServer>(c);
        if (!sentinel->start(&why))
            return fail(QStringLiteral("sentinel %1: %2").arg(i).arg(why));
        m_sentinels.push_back(std::move(sentinel));
    }
    if (!waitUntil(deadline, [this, &why] { return everySentinelReady(&why); }))
        return fail(QStringLiteral("the sentinels were not ready in time: ") + why);
    return true;
}

void LocalSentinelSet::stop()
{
    for (auto &s : m_sentinels)
        s->stop();
    m_sentinels.clear();
    if (m_replica)
        m_replica->stop();
    m_master.stop();
}

void LocalSentinelSet::killMaster()
{
    m_master.kill();
}

void LocalSentinelSet::killSentinel(int index)
{
    m_sentinels.at(size_t(index))->kill();
}
