#pragma once

#include "connectionstate.h"
#include "historystore.h"

#include <QObject>

class AlertEngine;
class CommandLogModel;
class RedisConnection;
class SeriesHistory;
class StreamListModel;
class StreamMonitor;
struct ConnectionOptions;
struct ServerInfo;

// One open connection and everything Weir keeps for it while it is open. Widgets hold a
// session, never the connection itself: they read what the server is and can do from
// here, and hand connection() on to the models and operations they create.
//
// A session of a connection profile (as SessionManager starts one) owns, as children: the
// connection, the overview of its streams, the live monitor on a connection of its own
// (same options, not in the command log, never queued behind the user's requests), the
// monitor's history in memory (the charted figures over the retention's raw window, 1 h by
// default, so memory is bounded by that window and not by the retention), the profile's
// history on disk (a HistoryStore, when the session is given a directory for it) and the
// alert engine that evaluates every tick. Once connected it lists the streams; after a
// reconnect it reads their details again; the monitor starts when its connection is up.
// Deleting the session ends all of it; the connections' threads join without waiting on
// the network, the store's commit what was handed over.
// A session made of a connection alone (panes' and dialogs' tests) has none of the rest.
// GUI thread only.
class ConnectionSession : public QObject
{
    Q_OBJECT
public:
    // Takes `connection` over (it becomes a child of the session).
    explicit ConnectionSession(RedisConnection *connection, QObject *parent = nullptr);
    // The session of the profile `profileId`: nothing is sent before open(). Its history is
    // kept for `retention`, on disk in HistoryStore::pathFor(historyDirectory, profileId),
    // or in memory only when `historyDirectory` is empty (then the charts have the raw
    // window alone).
    ConnectionSession(const QString &profileId, const ConnectionOptions &options,
                      const QString &historyDirectory = {}, const HistoryRetention &retention = {},
                      QObject *parent = nullptr);
    ~ConnectionSession() override;

    // For the models and operations of this session: widgets pass it on, never use it.
    RedisConnection *connection() const { return m_connection; }

    const ConnectionOptions &options() const;
    // Known once connected; empty version before.
    const ServerInfo &serverInfo() const;
    ConnectionState state() const;
    // What the state is about (the error of a failure, a failover followed, ...).
    QString stateMessage() const;
    bool isReadOnly() const;
    bool isCluster() const;

    QString profileId() const { return m_profileId; }
    // The connection's name, or its endpoint when it has none: how logs and alerts call it.
    QString name() const;
    // Null in a session made of a connection alone.
    StreamListModel *overview() const { return m_overview; }
    StreamMonitor *monitor() const { return m_monitor; }
    SeriesHistory *history() const { return m_history; }
    // The profile's history on disk; null without a history directory.
    HistoryStore *historyStore() const { return m_store; }
    AlertEngine *alertEngine() const { return m_alertEngine; }

    // How long the history is kept, from now on: the store's tiers and the raw window kept
    // in memory.
    void setHistoryRetention(const HistoryRetention &retention);
    // What the operator should know of the history on disk, once it is not recorded there
    // as usual: the store's own words (another Weir records this profile; SQLite's text of
    // a fault), empty while it records. historyHint() says what to do about it.
    QString historyNotice() const { return m_historyNotice; }
    QString historyHint() const { return m_historyHint; }

    // Opens the connection and the monitor's, reconnecting with backoff when lost.
    void open();
    // Every request of the session's connection goes to `log` under name() from now on;
    // call before open() so that the handshake is logged too.
    void logTo(CommandLogModel *log);
    // How the monitor samples (and the history's tick with it).
    void setSampling(int intervalMs, int watchCap, const QList<QByteArray> &streams);
    // On a cluster: reads the slot map again (topologyChanged() follows).
    void refreshTopology();

Q_SIGNALS:
    void stateChanged(ConnectionState state, const QString &message);
    // A failover the connection followed: the master (of a sentinel set, or a cluster's
    // master) at `to` ("host:port") instead of `from`.
    void masterChanged(const QString &from, const QString &to);
    // On a cluster: the slot map was read anew.
    void topologyChanged();
    // historyNotice() changed: said once per change, monitoring goes on either way.
    void historyNoticeChanged(const QString &notice, const QString &hint);

private:
    void onStateChanged(ConnectionState state, const QString &message);
    void onHistoryModeChanged(HistoryStore::Mode mode, const QString &statusText);
    void onHistoryProblem(const QString &message);
    void setHistoryNotice(const QString &notice, const QString &hint);
    QString reopenHint() const;

    RedisConnection *m_connection;
    QString m_profileId;
    StreamListModel *m_overview = nullptr;
    bool m_listed = false; // the first scan has been started
    RedisConnection *m_monitorConnection = nullptr;
    StreamMonitor *m_monitor = nullptr;
    SeriesHistory *m_history = nullptr;
    HistoryStore *m_store = nullptr;
    AlertEngine *m_alertEngine = nullptr;
    QString m_historyNotice;
    QString m_historyHint;
};
