#include "connectionsession.h"

#include "alertrules.h"
#include "commandlogmodel.h"
#include "historystore.h"
#include "redisconnection.h"
#include "serieshistory.h"
#include "streamlistmodel.h"
#include "streammonitor.h"
#include "threadcheck.h"

ConnectionSession::ConnectionSession(RedisConnection *connection, QObject *parent)
    : QObject(parent)
    , m_connection(connection)
{
    Q_ASSERT(connection);
    connection->setParent(this);
    connect(connection, &RedisConnection::stateChanged, this, &ConnectionSession::onStateChanged);
    connect(connection, &RedisConnection::masterChanged, this, &ConnectionSession::masterChanged);
    connect(connection, &RedisConnection::topologyChanged, this,
            &ConnectionSession::topologyChanged);
}

ConnectionSession::ConnectionSession(const QString &profileId, const ConnectionOptions &options,
                                     const QString &historyDirectory,
                                     const HistoryRetention &retention, QObject *parent)
    : ConnectionSession(new RedisConnection(options), parent)
{
    m_profileId = profileId;
    m_overview = new StreamListModel(this);
    m_overview->setConnection(m_connection);

    m_monitorConnection = new RedisConnection(options, this);
    m_monitor = new StreamMonitor(this);
    m_monitor->setConnection(m_monitorConnection);
    connect(m_monitorConnection, &RedisConnection::stateChanged, m_monitor,
            [monitor = m_monitor](ConnectionState state) {
        if (state == ConnectionState::Connected && !monitor->isRunning())
            monitor->start();
    });
    connect(m_overview, &StreamListModel::deadLetterStreamsChanged, m_monitor,
            [this] { m_monitor->setDeadLetterStreams(m_overview->deadLetterStreams()); });

    // The ring keeps the raw window only: older figures are the store's, in buckets.
    m_history = new SeriesHistory(m_monitor->interval(), retention.rawMs, this);
    connect(m_monitor, &StreamMonitor::sampled, m_history, &SeriesHistory::record);
    if (!historyDirectory.isEmpty()) {
        m_store = new HistoryStore(HistoryStore::pathFor(historyDirectory, profileId), retention,
                                   m_monitor->interval(), this);
        connect(m_monitor, &StreamMonitor::sampled, m_store, &HistoryStore::record);
        connect(m_store, &HistoryStore::modeChanged, this,
                &ConnectionSession::onHistoryModeChanged);
        connect(m_store, &HistoryStore::problem, this, &ConnectionSession::onHistoryProblem);
    }
    m_alertEngine = new AlertEngine(profileId, name(), this);
    connect(m_monitor, &StreamMonitor::sampled, m_alertEngine, &AlertEngine::evaluate);
}

// What uses the connections goes before them, and the monitor before its histories (no tick
// reaches a store that is going); the store commits what it was handed and joins its
// threads, waiting on the disk only. The connection itself goes last, with the QObject
// children (its destructor fails what is still pending and joins its thread, which never
// waits on the network).
ConnectionSession::~ConnectionSession()
{
    delete m_alertEngine;
    delete m_monitor;
    delete m_history;
    delete m_store;
    delete m_monitorConnection;
    delete m_overview;
}

QString ConnectionSession::name() const
{
    const ConnectionOptions &o = options();
    return o.name.isEmpty() ? o.endpoint() : o.name;
}

void ConnectionSession::open()
{
    WEIR_ASSERT_OBJECT_THREAD(this);
    m_connection->open(true);
    if (m_monitorConnection)
        m_monitorConnection->open(true);
}

void ConnectionSession::logTo(CommandLogModel *log)
{
    WEIR_ASSERT_OBJECT_THREAD(this);
    // A destroyed connection detaches itself.
    log->attach(m_connection, name());
}

void ConnectionSession::setSampling(int intervalMs, int watchCap, const QList<QByteArray> &streams)
{
    WEIR_ASSERT_OBJECT_THREAD(this);
    if (!m_monitor)
        return;
    m_monitor->setInterval(intervalMs);
    m_history->setInterval(m_monitor->interval());
    if (m_store)
        m_store->setInterval(m_monitor->interval());
    m_monitor->setWatchCap(watchCap);
    m_monitor->setWatched(streams);
}

void ConnectionSession::setHistoryRetention(const HistoryRetention &retention)
{
    WEIR_ASSERT_OBJECT_THREAD(this);
    if (m_store)
        m_store->setRetention(retention);
    if (m_history) {
        m_history->setSpanMs(retention.rawMs);
        m_history->setDropAfterMs(retention.rawMs);
    }
}

// Said once per change. The store's words say what happened and what to do; the hint adds
// how to do it in Weir. A fault is reported (problem()) before the mode it leads to, once
// per kind: the mode's shorter status does not replace it.
void ConnectionSession::onHistoryModeChanged(HistoryStore::Mode mode, const QString &statusText)
{
    switch (mode) {
    case HistoryStore::Mode::ReadOnly:
        setHistoryNotice(statusText, tr("To record it here instead, close the other Weir, then "
                                        "Disconnect and Connect %1.")
                                         .arg(name()));
        break;
    case HistoryStore::Mode::MemoryOnly:
        if (m_historyNotice.isEmpty())
            setHistoryNotice(statusText, reopenHint());
        break;
    case HistoryStore::Mode::Opening:
    case HistoryStore::Mode::Writing:
        setHistoryNotice({}, {});
        break;
    }
}

void ConnectionSession::onHistoryProblem(const QString &message)
{
    setHistoryNotice(message, reopenHint());
}

QString ConnectionSession::reopenHint() const
{
    return tr("Monitoring goes on. To reopen the profile once that is fixed, Disconnect and "
              "Connect %1.")
        .arg(name());
}

void ConnectionSession::setHistoryNotice(const QString &notice, const QString &hint)
{
    if (notice == m_historyNotice && hint == m_historyHint)
        return;
    m_historyNotice = notice;
    m_historyHint = hint;
    Q_EMIT historyNoticeChanged(notice, hint);
}

void ConnectionSession::refreshTopology()
{
    WEIR_ASSERT_OBJECT_THREAD(this);
    m_connection->refreshTopology();
}

// First time connected: list the streams. After a reconnect: read again what is shown.
// Before stateChanged(), so that whoever hears of the state finds the overview under way.
void ConnectionSession::onStateChanged(ConnectionState state, const QString &message)
{
    if (state == ConnectionState::Connected && m_overview) {
        if (!m_listed) {
            m_listed = true;
            m_overview->refresh();
        } else {
            m_overview->reloadDetails();
        }
    }
    Q_EMIT stateChanged(state, message);
}

const ConnectionOptions &ConnectionSession::options() const
{
    return m_connection->options();
}

const ServerInfo &ConnectionSession::serverInfo() const
{
    return m_connection->serverInfo();
}

ConnectionState ConnectionSession::state() const
{
    return m_connection->state();
}

QString ConnectionSession::stateMessage() const
{
    return m_connection->stateMessage();
}

bool ConnectionSession::isReadOnly() const
{
    return m_connection->options().readOnly;
}

bool ConnectionSession::isCluster() const
{
    return m_connection->isCluster();
}
