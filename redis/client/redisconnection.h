#pragma once

#include "clusterrouting.h"
#include "clustertopology.h"
#include "commandlog.h"
#include "connectionoptions.h"
#include "redisrequest.h"
#include "redisworker.h"
#include "replyparsers.h"

#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <QThread>
#include <QTimer>

#include <functional>
#include <map>
#include <memory>

// The GUI-side handle of one Redis connection. It owns a RedisWorker on a thread of
// its own, so nothing here ever waits on the network: send() returns at once and the
// result arrives later as a signal (or callback) on this object's thread.
// Use it from the thread that created it.
//
// On a Redis Cluster (the node opened says so in HELLO or INFO; not with
// ConnectionOptions::singleNode) the connection reads the slot map (CLUSTER SHARDS, else
// CLUSTER SLOTS) before it reports Connected, and keeps one more worker, each on a thread
// of its own, per master it has to talk to, created on demand. Every command goes to the
// master serving its key's slot, keyless ones to the node opened if it is a master (else
// to another); a request is cut into one pipelined part per node and its replies put back
// in order, so callers see one RedisResult as with one server. MOVED and ASK are followed
// (up to MaxClusterRedirects times per command; MOVED also has the map read again); a
// MULTI ... EXEC block goes whole to one node. A keyless cursor walk (SCAN) walks every
// master in turn. When a node is lost the map is read again, from any node that answers,
// until a replica has taken over; the state stays Connected meanwhile (its message tells),
// requests written to the lost node fail, and those still waiting there unsent go to the
// new master.
class RedisConnection : public QObject
{
    Q_OBJECT
public:
    using Callback = std::function<void(const RedisResult &)>;

    explicit RedisConnection(const ConnectionOptions &options, QObject *parent = nullptr);
    // Closes the connection (pending requests fail as Closed) and joins the thread.
    ~RedisConnection() override;

    const ConnectionOptions &options() const { return m_options; }
    ConnectionState state() const { return m_state; }
    QString stateMessage() const { return m_stateMessage; }
    // Known once connected; empty version before.
    const ServerInfo &serverInfo() const { return m_serverInfo; }
    // Whether the server is a Redis Cluster: its INFO said so, or a slot map was read.
    bool isCluster() const;
    // The slot map as last read; empty outside a cluster and until it is first read.
    ClusterTopology topology() const { return m_topology; }

    // autoReconnect: keep trying with backoff after a failure or a lost connection.
    void open(bool autoReconnect = true);
    void close();

    // Queues the request; its result comes back through finished() with the returned id.
    // On a cluster a request fails as a whole when any of its parts fails (a part that was
    // written may still have been applied, as always), and before anything is sent when a
    // MULTI ... EXEC block or one script names keys of several slots (ProtocolError).
    quint64 send(RedisRequest request);
    // The same, and calls onResult with the result, unless context was destroyed first
    // (with a null context, onResult is always called).
    quint64 send(QList<RedisCommand> commands, QObject *context, Callback onResult,
                 int timeoutMs = -1);
    // On a cluster: sends the commands to the node at `node` ("host:port" as topology()
    // gives it), whatever their keys: for what a node says of itself (INFO, DBSIZE). A
    // redirect it answers is followed as usual. Elsewhere the same as send().
    quint64 sendToNode(const QString &node, QList<RedisCommand> commands, QObject *context,
                       Callback onResult, int timeoutMs = -1);
    // On a cluster: reads the slot map again (topologyChanged() follows).
    void refreshTopology();
    // A cursor walk (see RedisRequest::iterate): onPage is called for every page. On a
    // cluster a keyless walk (SCAN) walks each master in turn, every page but the last
    // master's last with `more` set; a keyed one (HSCAN key ...) goes to the key's master.
    quint64 iterate(const RedisCommand &command, QObject *context, Callback onPage);

    // Forgets a request: its callback is not called any more and, for an iterating
    // request, no further pages are asked for. (A write already sent may still apply.)
    void cancel(quint64 id);

Q_SIGNALS:
    void finished(const RedisResult &result);
    void stateChanged(ConnectionState state, const QString &message);
    void serverInfoChanged(const ServerInfo &info);
    // For the command log, one entry per request: when its result arrives (failures
    // included), when it is cancelled, and for a cursor walk once, when its last page
    // arrives; also one per connection handshake. Secrets are redacted, and the
    // connection's own password never appears. Requests sent while nothing was connected
    // to this signal are not described (describing costs a little) and never reported.
    void requestLogged(const CommandLogEntry &entry);
    // With sentinels (ConnectionOptions::sentinels): the connection found the master at
    // `to` ("host:port") after having had it at `from`, i.e. a failover happened. Comes
    // just before the stateChanged(Connected) whose message says so too. Requests that
    // were in flight when the old master went away failed; none is sent again. On a
    // cluster: once per master whose slots its replica took over, likewise.
    void masterChanged(const QString &from, const QString &to);
    // On a cluster: the slot map was read anew (after connecting, after MOVED, after a node
    // was lost). topology() has it.
    void topologyChanged();

private:
    // The worker of one more cluster node, on its own thread.
    struct NodeLink
    {
        std::unique_ptr<QThread> thread;
        RedisWorker *worker = nullptr; // lives on *thread
    };
    // A unit of a request, as sent in one part: after ASK, to a named node, ASKING first.
    struct Part
    {
        int unit = 0;
        bool asking = false;
        QString node; // "host:port" a redirect named; empty: the master of its slot
    };
    // What a request sent to a worker under an id of its own belongs to.
    struct Sub
    {
        enum class Kind : quint8 { Part, WalkPage, Topology };
        Kind kind = Kind::Part;
        quint64 owner = 0;     // the request's id (Part, WalkPage)
        QString node;          // where it went
        QList<Part> parts;     // Part
        QByteArray subcommand; // Topology: SHARDS or SLOTS
        // Topology, SLOTS asked after an unclear SHARDS: the nodes SHARDS listed.
        QList<ClusterNode> listed;
    };
    // A request on its way: its parts go out, their replies come back into `replies`.
    struct Job
    {
        RedisRequest request;
        QString node; // sendToNode(): the only node that may answer
        QList<RoutedUnit> units;
        QList<int> redirects; // per unit
        QList<RedisValue> replies;
        int outstanding = 0; // parts sent, not answered yet
        bool sent = false;
        QElapsedTimer elapsed;
    };
    // A cursor walk over one or more nodes, one after the other.
    struct Walk
    {
        RedisRequest request;
        QStringList nodes;
        int next = 0;     // index of the node being walked
        quint64 page = 0; // the id of that node's walk
    };

    // send(), or with `node`, sendToNode(): every part of the request goes there.
    quint64 start(RedisRequest request, const QString &node);
    void attachWorker(RedisWorker *worker, const QString &node);
    RedisWorker *workerFor(const QString &node);
    void dropNode(const QString &node);
    void dropAllNodes();
    QString nodeForSlot(int slot) const;
    QString seedNode() const;
    quint64 submitTo(const QString &node, RedisRequest request, Sub sub);
    void route(quint64 jobId, const QList<Part> &parts);
    void onWorkerFinished(const RedisResult &result);
    void onPartFinished(const Sub &sub, const RedisResult &result);
    void endJob(quint64 jobId, RedisResult result);
    void sendWalkStep(quint64 walkId);
    void onWalkPage(const Sub &sub, RedisResult result);
    void onNodeState(const QString &node, ConnectionState state, const QString &message);
    void readTopology();
    void onTopology(const Sub &sub, const RedisResult &result);
    void topologyReadFailed(const QString &why);
    void installTopology(const ClusterTopology &topology, const QString &from);
    void setState(ConnectionState state, const QString &message);
    void onFinished(const RedisResult &result);
    void logResult(const RedisResult &result);
    void emitLogged(CommandLogEntry entry);

    ConnectionOptions m_options;
    QThread m_thread;
    RedisWorker *m_worker = nullptr; // lives on m_thread
    ConnectionState m_state = ConnectionState::Disconnected;
    QString m_stateMessage;
    ServerInfo m_serverInfo;
    quint64 m_nextId = 1;
    struct Pending
    {
        QPointer<QObject> context;
        bool hasContext = false;
        Callback callback;
    };
    QHash<quint64, Pending> m_callbacks;
    // What the command log needs of a request until its result arrives: a bounded text,
    // not the request itself.
    struct Logged
    {
        QString command;
        qint64 sentMs = 0; // since the epoch
        bool walk = false;
        // A cursor walk's pages so far, the items they held and the time they took.
        int pages = 0;
        qint64 items = 0;
        qint64 elapsedMs = 0;
    };
    QHash<quint64, Logged> m_logged;

    // Routing (see the class comment). Outside a cluster everything goes to m_worker.
    QString m_seedNode;             // seedNode()
    bool m_serverInfoKnown = false; // the node opened has said what it is
    bool m_open = false;
    bool m_autoReconnect = true;
    std::map<QString, NodeLink> m_nodes; // cluster nodes other than the one opened
    QHash<quint64, Sub> m_subs;
    QHash<quint64, Job> m_jobs;
    QHash<quint64, Walk> m_walks;
    ClusterTopology m_topology;
    bool m_seedServes = false;  // the node opened is a master with slots
    QSet<QString> m_lost;       // nodes whose connection dropped, until the map moves on
    quint64 m_topologyRead = 0; // the slot map request in flight; 0 when none
    int m_readAttempt = 0;      // rotates the node asked for the map after failures
    int m_readFailures = 0;     // in a row
    int m_readBackoffMs = 0;
    QTimer m_readTimer;
    QString m_failoverNote;  // what the next Connected message says about lost nodes
    QString m_seedConnected; // the node opened said Connected; said on once the map is read
};
