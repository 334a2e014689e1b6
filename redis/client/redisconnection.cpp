#include "redisconnection.h"

#include "keyslot.h"
#include "threadcheck.h"

#include <QMetaMethod>

#include <algorithm>

#include <limits>

namespace {
void registerTypes()
{
    static const bool done = [] {
        qRegisterMetaType<RedisRequest>();
        qRegisterMetaType<RedisResult>();
        qRegisterMetaType<ServerInfo>();
        qRegisterMetaType<ConnectionState>();
        qRegisterMetaType<CommandLogEntry>();
        return true;
    }();
    Q_UNUSED(done);
}

QString pagesText(int pages)
{
    return pages == 1 ? QStringLiteral("1 page") : QStringLiteral("%1 pages").arg(pages);
}
} // namespace

RedisConnection::RedisConnection(const ConnectionOptions &options, QObject *parent)
    : QObject(parent)
    , m_options(options)
{
    registerTypes();
    ClusterNode seed;
    seed.host = options.host;
    seed.port = options.port;
    m_seedNode = options.transport == ConnectionOptions::Transport::Tcp && !options.usesSentinel()
                     ? seed.address()
                     : options.endpoint();
    m_thread.setObjectName(QStringLiteral("redis:") + options.endpoint());
    m_worker = new RedisWorker(options);
    m_worker->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    attachWorker(m_worker, seedNode());
    connect(m_worker, &RedisWorker::masterChanged, this, &RedisConnection::masterChanged);
    connect(m_worker, &RedisWorker::serverInfoChanged, this, [this](const ServerInfo &info) {
        m_serverInfo = info;
        m_serverInfoKnown = true;
        Q_EMIT serverInfoChanged(info);
    });
    m_readTimer.setSingleShot(true);
    connect(&m_readTimer, &QTimer::timeout, this, &RedisConnection::readTopology);
    m_thread.start();
}

RedisConnection::~RedisConnection()
{
    dropAllNodes();
    QMetaObject::invokeMethod(m_worker, &RedisWorker::close, Qt::BlockingQueuedConnection);
    m_thread.quit();
    m_thread.wait();
}

void RedisConnection::attachWorker(RedisWorker *worker, const QString &node)
{
    connect(worker, &RedisWorker::finished, this, &RedisConnection::onWorkerFinished);
    connect(worker, &RedisWorker::stateChanged, this,
            [this, node](ConnectionState state, const QString &message) {
        onNodeState(node, state, message);
    });
    connect(worker, &RedisWorker::handshakeLogged, this, &RedisConnection::emitLogged);
}

bool RedisConnection::isCluster() const
{
    return !m_topology.isEmpty() || m_serverInfo.mode == QLatin1String("cluster");
}

// The node opened, by the address a slot map would give it (so it gets no second worker).
QString RedisConnection::seedNode() const
{
    return m_seedNode;
}

RedisWorker *RedisConnection::workerFor(const QString &node)
{
    if (node == seedNode())
        return m_worker;
    NodeLink &link = m_nodes[node];
    if (!link.worker) {
        ConnectionOptions o = m_options;
        o.transport = ConnectionOptions::Transport::Tcp;
        o.sentinels.clear();
        ConnectionOptions::parseHostPort(node, o.port, &o.host, &o.port);
        link.thread = std::make_unique<QThread>();
        link.thread->setObjectName(QStringLiteral("redis:") + node);
        link.worker = new RedisWorker(o);
        link.worker->moveToThread(link.thread.get());
        connect(link.thread.get(), &QThread::finished, link.worker, &QObject::deleteLater);
        attachWorker(link.worker, node);
        link.thread->start();
        QMetaObject::invokeMethod(link.worker,
                                  [w = link.worker, a = m_autoReconnect] { w->open(a); });
    }
    return link.worker;
}

// Requests waiting on the node fail as Closed, unsent ones with sent == false.
void RedisConnection::dropNode(const QString &node)
{
    const auto it = m_nodes.find(node);
    if (it == m_nodes.end())
        return;
    QMetaObject::invokeMethod(it->second.worker, &RedisWorker::close, Qt::BlockingQueuedConnection);
    it->second.thread->quit();
    it->second.thread->wait();
    m_nodes.erase(it);
    m_lost.remove(node);
}

void RedisConnection::dropAllNodes()
{
    while (!m_nodes.empty())
        dropNode(m_nodes.begin()->first);
}

void RedisConnection::open(bool autoReconnect)
{
    WEIR_ASSERT_OBJECT_THREAD(this);
    m_open = true;
    m_autoReconnect = autoReconnect;
    QMetaObject::invokeMethod(m_worker, [w = m_worker, autoReconnect] { w->open(autoReconnect); });
}

void RedisConnection::close()
{
    WEIR_ASSERT_OBJECT_THREAD(this);
    m_open = false;
    m_readTimer.stop();
    m_topologyRead = 0;
    dropAllNodes();
    m_topology = ClusterTopology();
    m_lost.clear();
    m_seedConnected.clear();
    m_failoverNote.clear();
    QMetaObject::invokeMethod(m_worker, &RedisWorker::close);
}

quint64 RedisConnection::send(RedisRequest request)
{
    WEIR_ASSERT_OBJECT_THREAD(this);
    return start(std::move(request), {});
}

quint64 RedisConnection::sendToNode(const QString &node, QList<RedisCommand> commands,
                                    QObject *context, Callback onResult, int timeoutMs)
{
    WEIR_ASSERT_OBJECT_THREAD(this);
    RedisRequest request;
    request.commands = std::move(commands);
    request.timeoutMs = timeoutMs;
    const quint64 id = start(std::move(request), isCluster() ? node : QString());
    m_callbacks.insert(id, Pending{context, context != nullptr, std::move(onResult)});
    return id;
}

quint64 RedisConnection::start(RedisRequest request, const QString &node)
{
    request.id = m_nextId++;
    static const QMetaMethod logSignal = QMetaMethod::fromSignal(&RedisConnection::requestLogged);
    if (!request.commands.isEmpty() && isSignalConnected(logSignal)) {
        m_logged.insert(request.id, Logged{commandlog::describeRequest(request.commands),
                                           QDateTime::currentMSecsSinceEpoch(), request.iterate});
    }
    // Straight to the worker, under its own id: what it answers at once (nothing to send,
    // or refused), and everything once the node opened is known to be no cluster.
    if (m_options.singleNode || (m_serverInfoKnown && !isCluster() && node.isEmpty())
        || request.commands.isEmpty() || requestRefusal(request, m_options.readOnly)) {
        QMetaObject::invokeMethod(m_worker, [w = m_worker, request] { w->submit(request); });
        return request.id;
    }
    if (request.iterate) {
        const RedisCommand &command = request.commands.first();
        Walk walk{request, {}, 0, 0};
        if (command.key.isEmpty() && !m_topology.isEmpty()) {
            for (const ClusterNode &m : m_topology.masters()) {
                if (!m.slots.isEmpty())
                    walk.nodes.append(m.address());
            }
        }
        if (walk.nodes.isEmpty())
            walk.nodes.append(nodeForSlot(command.key.isEmpty() ? -1 : keySlot(command.key)));
        m_walks.insert(request.id, walk);
        sendWalkStep(request.id);
        return request.id;
    }
    QString error;
    std::optional<QList<RoutedUnit>> units = routeUnits(request.commands, isCluster(), &error);
    if (!units) {
        RedisResult refused;
        refused.id = request.id;
        refused.failure = RedisResult::Failure::ProtocolError;
        refused.error = error;
        QMetaObject::invokeMethod(
            this, [this, refused] { onFinished(refused); }, Qt::QueuedConnection);
        return request.id;
    }
    Job &job = m_jobs[request.id];
    job.node = node;
    job.elapsed.start();
    job.units = std::move(*units);
    job.redirects = QList<int>(job.units.size(), 0);
    job.replies.resize(request.commands.size());
    job.request = std::move(request);
    QList<Part> parts;
    parts.reserve(job.units.size());
    for (int u = 0; u < job.units.size(); ++u)
        parts.append(Part{u, false, node});
    const quint64 id = job.request.id;
    route(id, parts);
    return id;
}

quint64 RedisConnection::send(QList<RedisCommand> commands, QObject *context, Callback onResult,
                              int timeoutMs)
{
    RedisRequest request;
    request.commands = std::move(commands);
    request.timeoutMs = timeoutMs;
    const quint64 id = send(std::move(request));
    m_callbacks.insert(id, Pending{context, context != nullptr, std::move(onResult)});
    return id;
}

quint64 RedisConnection::iterate(const RedisCommand &command, QObject *context, Callback onPage)
{
    RedisRequest request;
    request.commands = {command};
    request.iterate = true;
    const quint64 id = send(std::move(request));
    m_callbacks.insert(id, Pending{context, context != nullptr, std::move(onPage)});
    return id;
}

void RedisConnection::cancel(quint64 id)
{
    WEIR_ASSERT_OBJECT_THREAD(this);
    m_callbacks.remove(id);
    if (const auto it = m_logged.constFind(id); it != m_logged.cend()) {
        CommandLogEntry entry;
        entry.time = QDateTime::fromMSecsSinceEpoch(it->sentMs);
        entry.command = it->command;
        entry.result = it->pages > 0 ? QStringLiteral("(cancelled after %1, %2 items)")
                                           .arg(pagesText(it->pages))
                                           .arg(it->items)
                                     : QStringLiteral("(cancelled)");
        entry.durationMs = QDateTime::currentMSecsSinceEpoch() - it->sentMs;
        m_logged.erase(it);
        emitLogged(std::move(entry));
    }
    // Sent straight to the worker: it forgets it.
    if (!m_jobs.remove(id) && !m_walks.remove(id)) {
        QMetaObject::invokeMethod(m_worker, [w = m_worker, id] { w->cancel(id); });
        return;
    }
    // The parts of a request, or the node a walk is on, forget it.
    for (auto it = m_subs.begin(); it != m_subs.end();) {
        if (it->owner != id || it->kind == Sub::Kind::Topology) {
            ++it;
            continue;
        }
        RedisWorker *w = it->node == seedNode() ? m_worker : nullptr;
        if (const auto link = m_nodes.find(it->node); link != m_nodes.end())
            w = link->second.worker;
        if (w)
            QMetaObject::invokeMethod(w, [w, sub = it.key()] { w->cancel(sub); });
        it = m_subs.erase(it);
    }
}

QString RedisConnection::nodeForSlot(int slot) const
{
    if (m_topology.isEmpty())
        return seedNode();
    if (const ClusterNode *owner = slot >= 0 ? m_topology.nodeForSlot(slot) : nullptr)
        return owner->address();
    // Keyless: the node opened if it is a master, else any master still reachable.
    if (m_seedServes && !m_lost.contains(seedNode()))
        return seedNode();
    for (const ClusterNode &m : m_topology.masters()) {
        if (!m.slots.isEmpty() && !m_lost.contains(m.address()))
            return m.address();
    }
    return seedNode();
}

quint64 RedisConnection::submitTo(const QString &node, RedisRequest request, Sub sub)
{
    request.id = m_nextId++;
    sub.node = node;
    m_subs.emplace(request.id, std::move(sub));
    RedisWorker *w = workerFor(node);
    QMetaObject::invokeMethod(w, [w, request] { w->submit(request); });
    return request.id;
}

// Sends the parts of a job, one pipelined request per node, each in the job's order.
void RedisConnection::route(quint64 jobId, const QList<Part> &parts)
{
    Job &job = m_jobs[jobId];
    QHash<QString, Sub> byNode;
    QStringList order;
    Sub *last = nullptr; // runs of parts for one node are the rule: one lookup per run
    QString lastNode;
    for (const Part &part : parts) {
        const QString node =
            part.node.isEmpty() ? nodeForSlot(job.units.at(part.unit).slot) : part.node;
        if (!last || node != lastNode) {
            last = &byNode[node];
            lastNode = node;
            if (last->parts.isEmpty())
                order.append(node);
        }
        last->parts.append(part);
    }
    for (const QString &node : std::as_const(order)) {
        Sub sub = byNode.take(node);
        sub.kind = Sub::Kind::Part;
        sub.owner = jobId;
        RedisRequest request;
        request.timeoutMs = job.request.timeoutMs;
        // All of it to one node, as outside a cluster: the commands as they are.
        const bool whole = sub.parts.size() == job.units.size()
                           && std::none_of(sub.parts.cbegin(), sub.parts.cend(),
                                           [](const Part &p) { return p.asking; });
        for (qsizetype i = 0; !whole && i < sub.parts.size(); ++i) {
            if (sub.parts.at(i).asking)
                request.commands.append(RedisCommand{"ASKING"});
            const RoutedUnit &unit = job.units.at(sub.parts.at(i).unit);
            for (int k = unit.first; k < unit.first + unit.count; ++k)
                request.commands.append(job.request.commands.at(k));
        }
        if (whole)
            request.commands = job.request.commands;
        ++job.outstanding;
        submitTo(node, std::move(request), std::move(sub));
    }
}

void RedisConnection::onWorkerFinished(const RedisResult &result)
{
    const auto it = m_subs.find(result.id);
    if (it == m_subs.end()) {
        onFinished(result); // sent under its own id: refused or empty
        return;
    }
    // A walk's page keeps its entry until the walk on that node ends.
    const Sub sub = result.more ? it.value() : m_subs.take(result.id);
    switch (sub.kind) {
    case Sub::Kind::Part:
        onPartFinished(sub, result);
        break;
    case Sub::Kind::WalkPage:
        onWalkPage(sub, result);
        break;
    case Sub::Kind::Topology:
        onTopology(sub, result);
        break;
    }
}

void RedisConnection::onPartFinished(const Sub &sub, const RedisResult &result)
{
    const auto it = m_jobs.find(sub.owner);
    if (it == m_jobs.end())
        return; // cancelled, or failed by another part
    Job &job = it.value();
    --job.outstanding;
    job.sent = job.sent || result.sent;
    QList<Part> again;
    if (!result.ok()) {
        // Never written, and its node dropped from the map (a failover): safe to route anew,
        // unless it was for that node alone (what a node says of itself).
        bool retry = result.failure == RedisResult::Failure::Closed && !result.sent && m_open
                     && job.node.isEmpty();
        for (const Part &part : sub.parts) {
            retry = retry && ++job.redirects[part.unit] <= MaxClusterRedirects;
            again.append(Part{part.unit, false, {}});
        }
        if (!retry) {
            endJob(sub.owner, result);
            return;
        }
    }
    bool moved = false;
    qsizetype at = 0;
    for (const Part &part : sub.parts) {
        if (!result.ok())
            break;
        if (part.asking)
            ++at; // ASKING's +OK
        const RoutedUnit &unit = job.units.at(part.unit);
        QByteArray redirectText;
        std::optional<ClusterRedirect> redirect;
        for (int k = 0; k < unit.count && !redirect; ++k) {
            const RedisValue &reply = result.replies.value(at + k);
            QString ignored;
            if (reply.isError() && !m_options.singleNode
                && (reply.errorCode() == "MOVED" || reply.errorCode() == "ASK")) {
                redirect = parseClusterRedirect(reply, sub.node.section(QLatin1Char(':'), 0, -2),
                                                &ignored);
                redirectText = reply.bytes();
            }
        }
        if (!redirect) {
            for (int k = 0; k < unit.count; ++k)
                job.replies[unit.first + k] = result.replies.value(at + k);
        } else if (++job.redirects[part.unit] > MaxClusterRedirects) {
            for (int k = 0; k < unit.count; ++k)
                job.replies[unit.first + k] = tooManyRedirects(redirectText);
        } else {
            ClusterNode target;
            target.host = redirect->host;
            target.port = redirect->port;
            const bool ask = redirect->kind == ClusterRedirect::Kind::Ask;
            moved = moved || !ask;
            again.append(Part{part.unit, ask, target.address()});
        }
        at += unit.count;
    }
    if (moved && !m_topologyRead)
        readTopology();
    if (!again.isEmpty())
        route(sub.owner, again);
    if (const auto left = m_jobs.constFind(sub.owner); left->outstanding == 0) {
        RedisResult done;
        done.sent = true;
        endJob(sub.owner, done);
    }
}

// Ends a job: with its replies when `result` is ok, else failed as `result` says.
void RedisConnection::endJob(quint64 jobId, RedisResult result)
{
    Job job = m_jobs.take(jobId);
    result.id = jobId;
    result.more = false;
    result.sent = result.sent || job.sent;
    result.elapsedMs = job.elapsed.elapsed();
    if (result.ok())
        result.replies = std::move(job.replies);
    else
        result.replies.clear();
    onFinished(result);
}

void RedisConnection::sendWalkStep(quint64 walkId)
{
    Walk &walk = m_walks[walkId];
    RedisRequest request = walk.request;
    Sub sub;
    sub.kind = Sub::Kind::WalkPage;
    sub.owner = walkId;
    walk.page = submitTo(walk.nodes.at(walk.next), std::move(request), std::move(sub));
}

void RedisConnection::onWalkPage(const Sub &sub, RedisResult result)
{
    const auto it = m_walks.find(sub.owner);
    if (it == m_walks.end())
        return; // cancelled
    result.id = sub.owner;
    const RedisValue page = result.replies.value(0);
    if (!result.more && result.ok() && page.isArray() && it->next + 1 < it->nodes.size()) {
        ++it->next;
        sendWalkStep(sub.owner);
        result.more = true;
    }
    if (!result.more)
        m_walks.erase(it);
    onFinished(result);
}

void RedisConnection::onNodeState(const QString &node, ConnectionState state,
                                  const QString &message)
{
    const bool seed = node == seedNode();
    if (m_topology.isEmpty()) {
        if (!seed)
            return;
        if (state == ConnectionState::Connected && isCluster() && !m_options.singleNode) {
            // Connected once the slot map is read, so that walks see every master.
            m_seedConnected = message;
            readTopology();
            return;
        }
        setState(state, message);
        return;
    }
    // On a cluster the connection stays usable while a slot map can be read.
    if (state == ConnectionState::Connected) {
        // Back: read the map now, so the state message stops saying it is lost.
        if (m_lost.remove(node) && !m_topologyRead)
            readTopology();
        return;
    }
    if (state != ConnectionState::Reconnecting && state != ConnectionState::Failed)
        return; // Connecting, or Disconnected: closed by Weir
    if (m_lost.contains(node))
        return;
    m_lost.insert(node);
    m_failoverNote = QStringLiteral("Lost cluster node %1 (%2)").arg(node, message);
    setState(ConnectionState::Connected,
             m_failoverNote + QStringLiteral("; reading the slot map again"));
    m_readBackoffMs = 0;
    if (!m_topologyRead)
        readTopology();
}

void RedisConnection::refreshTopology()
{
    WEIR_ASSERT_OBJECT_THREAD(this);
    if (isCluster() && !m_options.singleNode)
        readTopology();
}

// Asks one node for the slot map: the nodes that are not lost in turn, after failures.
void RedisConnection::readTopology()
{
    m_readTimer.stop();
    if (!m_open || m_topologyRead)
        return;
    QStringList candidates{seedNode()};
    for (const ClusterNode &n : m_topology.nodes()) {
        if (!candidates.contains(n.address()) && n.health != ClusterNode::Health::Failed)
            candidates.append(n.address());
    }
    QStringList reachable;
    for (const QString &c : std::as_const(candidates)) {
        if (!m_lost.contains(c))
            reachable.append(c);
    }
    if (reachable.isEmpty())
        reachable = candidates;
    const QString node = reachable.at(m_readAttempt % reachable.size());
    Sub sub;
    sub.kind = Sub::Kind::Topology;
    const bool shards = m_serverInfo.hasClusterShards() || !m_serverInfo.isKnown();
    sub.subcommand = shards ? "SHARDS" : "SLOTS";
    RedisRequest request;
    request.commands = {RedisCommand{"CLUSTER", sub.subcommand}};
    request.timeoutMs = qMin(m_options.commandTimeoutMs, 2000);
    m_topologyRead = submitTo(node, std::move(request), std::move(sub));
}

void RedisConnection::onTopology(const Sub &sub, const RedisResult &result)
{
    if (result.id != m_topologyRead)
        return;
    m_topologyRead = 0;
    if (!result.ok()) {
        topologyReadFailed(QStringLiteral("%1: %2").arg(sub.node, result.error));
        return;
    }
    const RedisValue reply = result.replies.value(0);
    const QString host = sub.node.section(QLatin1Char(':'), 0, -2);
    QString error;
    std::optional<ClusterTopology> topology;
    if (sub.subcommand == "SHARDS") {
        bool ambiguous = false;
        QList<ClusterNode> listed;
        topology = parseClusterShards(reply, host, &error, &ambiguous, &listed);
        if (reply.isError() || ambiguous) {
            // Before 7.0, or a shard whose serving master CLUSTER SHARDS does not make
            // plain: CLUSTER SLOTS, from the same node, with what SHARDS said of the nodes.
            Sub slots = sub;
            slots.subcommand = "SLOTS";
            slots.listed = listed;
            RedisRequest request;
            request.commands = {RedisCommand{"CLUSTER", "SLOTS"}};
            request.timeoutMs = qMin(m_options.commandTimeoutMs, 2000);
            m_topologyRead = submitTo(sub.node, std::move(request), std::move(slots));
            return;
        }
    } else {
        topology = parseClusterSlots(reply, host, &error);
        if (topology && !sub.listed.isEmpty())
            topology = topology->withNodesFrom(sub.listed);
    }
    if (!topology || topology->isEmpty()) {
        topologyReadFailed(QStringLiteral("%1: %2").arg(
            sub.node, topology ? QStringLiteral("no slots served") : error));
        return;
    }
    installTopology(*topology, sub.node);
}

void RedisConnection::topologyReadFailed(const QString &why)
{
    ++m_readAttempt;
    ++m_readFailures;
    m_readBackoffMs = qBound(250, m_readBackoffMs * 2, 2000);
    if (m_topology.isEmpty()) {
        // Usable still: commands go to the node opened and follow its MOVED replies, which
        // read the map again.
        if (!m_seedConnected.isEmpty())
            setState(ConnectionState::Connected,
                     QStringLiteral("%1; the cluster's slot map could not be read (%2)")
                         .arg(m_seedConnected, why));
        m_seedConnected.clear();
        return;
    }
    const int nodes = int(m_topology.nodes().size()) + 1;
    if (m_readFailures >= nodes && m_state == ConnectionState::Connected) {
        if (!m_autoReconnect) {
            setState(ConnectionState::Failed,
                     QStringLiteral("No cluster node gave its slot map (last: %1)").arg(why));
            return;
        }
        setState(ConnectionState::Reconnecting,
                 QStringLiteral("No cluster node gave its slot map (last: %1). Retrying").arg(why));
    }
    m_readTimer.start(m_readBackoffMs);
}

void RedisConnection::installTopology(const ClusterTopology &topology, const QString &from)
{
    const ClusterTopology before = m_topology;
    m_topology = topology;
    m_readFailures = 0;
    QSet<QString> serving;
    for (const ClusterNode &m : topology.masters()) {
        if (!m.slots.isEmpty())
            serving.insert(m.address());
    }
    // Workers of nodes that no longer serve slots go; requests queued there come back
    // unsent and are routed anew (onPartFinished).
    QStringList gone;
    for (const auto &[node, link] : m_nodes) {
        if (!serving.contains(node))
            gone.append(node);
    }
    for (const QString &node : std::as_const(gone))
        dropNode(node);
    m_seedServes = serving.contains(seedNode());
    // The node opened cannot go like the others: when it is lost and no master any more,
    // its worker starts over, so that requests waiting there come back unsent and are
    // routed anew.
    const bool seedWaits = std::any_of(m_subs.cbegin(), m_subs.cend(), [this](const Sub &sub) {
        return sub.kind == Sub::Kind::Part && sub.node == seedNode();
    });
    if (!m_seedServes && m_lost.contains(seedNode()) && seedWaits) {
        QMetaObject::invokeMethod(m_worker, [w = m_worker, again = m_autoReconnect] {
            w->close();
            w->open(again);
        });
    }
    bool waiting = false; // a lost node still serves slots: its failover is not done yet
    for (const QString &node : std::as_const(m_lost))
        waiting = waiting || serving.contains(node);
    Q_EMIT topologyChanged();
    if (waiting) {
        m_readBackoffMs = qBound(250, m_readBackoffMs * 2, 2000);
        m_readTimer.start(m_readBackoffMs);
        return;
    }
    m_readBackoffMs = 0;
    QString message;
    if (!m_failoverNote.isEmpty()) {
        QStringList moved;
        for (const ClusterNode &m : topology.masters()) {
            if (!m.slots.isEmpty() && !before.isEmpty()) {
                const ClusterNode *was = before.nodeForSlot(m.slots.first().first);
                if (was && was->address() != m.address()) {
                    moved.append(
                        QStringLiteral("%1 took over from %2").arg(m.address(), was->address()));
                    Q_EMIT masterChanged(was->address(), m.address());
                }
            }
        }
        message = moved.isEmpty() ? QStringLiteral("Connected to the cluster via %1 (after: %2)")
                                        .arg(from, m_failoverNote)
                                  : QStringLiteral("Connected to the cluster via %1. Failover: %2")
                                        .arg(from, moved.join(QLatin1String(", ")));
        m_failoverNote.clear();
    } else if (!m_seedConnected.isEmpty()) {
        message =
            QStringLiteral("%1, a cluster of %2 masters").arg(m_seedConnected).arg(serving.size());
    } else if (m_state != ConnectionState::Connected) {
        message = QStringLiteral("Connected to the cluster via %1").arg(from);
    }
    m_seedConnected.clear();
    if (!message.isEmpty())
        setState(ConnectionState::Connected, message);
}

void RedisConnection::setState(ConnectionState state, const QString &message)
{
    m_state = state;
    m_stateMessage = message;
    Q_EMIT stateChanged(state, message);
}

void RedisConnection::onFinished(const RedisResult &result)
{
    logResult(result);
    const auto it = m_callbacks.find(result.id);
    if (it != m_callbacks.end()) {
        // Iterating requests keep their callback until the last page.
        Pending p = result.more ? it.value() : std::move(it.value());
        if (!result.more)
            m_callbacks.erase(it);
        if ((p.context || !p.hasContext) && p.callback)
            p.callback(result);
    }
    Q_EMIT finished(result);
}

void RedisConnection::logResult(const RedisResult &result)
{
    const auto it = m_logged.find(result.id);
    if (it == m_logged.end())
        return;
    // A cursor page: [cursor, [items]].
    const RedisValue page = result.replies.value(0);
    const qint64 items = it->walk && page.isArray() && page.size() == 2 ? page.at(1).size() : 0;
    if (result.more) {
        ++it->pages;
        it->items += items;
        it->elapsedMs += result.elapsedMs;
        return;
    }
    const Logged logged = std::move(it.value());
    m_logged.erase(it);
    CommandLogEntry entry;
    entry.time = QDateTime::fromMSecsSinceEpoch(logged.sentMs);
    entry.command = logged.command;
    entry.durationMs = logged.elapsedMs + result.elapsedMs;
    entry.result = commandlog::describeResult(result, &entry.error);
    if (logged.walk && !entry.error) {
        entry.result = QStringLiteral("(cursor walk: %1, %2 items)")
                           .arg(pagesText(logged.pages + 1))
                           .arg(logged.items + items);
    } else if (logged.walk && logged.pages > 0) {
        entry.result += QStringLiteral(" (after %1)").arg(pagesText(logged.pages));
    }
    emitLogged(std::move(entry));
}

// The redaction in describeCommand() is what keeps secrets out; this is a second line
// for the secrets known here (the server's and the sentinels' passwords), should a server
// ever echo one back in an error.
void RedisConnection::emitLogged(CommandLogEntry entry)
{
    for (const QString *password : {&m_options.password, &m_options.sentinelPassword}) {
        if (password->size() < 4)
            continue;
        for (QString *text : {&entry.command, &entry.result}) {
            text->replace(*password, commandlog::redacted());
            text->replace(
                commandlog::formatArgument(password->toUtf8(), std::numeric_limits<int>::max()),
                commandlog::redacted());
        }
    }
    Q_EMIT requestLogged(entry);
}
