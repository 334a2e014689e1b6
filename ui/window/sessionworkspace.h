#pragma once

#include <QList>
#include <QObject>
#include <QPointer>

class ConnectionSession;
class DashboardView;
class NodesView;
class ProfileState;
class QTabWidget;
class QWidget;
class StreamInspector;

// The tabs of one session in the window's tab widget, beside the overview all sessions
// share: its dashboard (from the start, after the overview), its Nodes tab on a cluster
// (with the first slot map, after the dashboard), and an inspector per stream opened
// (closable). They go with the workspace, which goes before its session.
// GUI thread only.
class SessionWorkspace : public QObject
{
    Q_OBJECT
public:
    // The dashboard is added at once.
    SessionWorkspace(ConnectionSession *session, ProfileState *profiles, QTabWidget *tabs,
                     QObject *parent = nullptr);
    ~SessionWorkspace() override;

    ConnectionSession *session() const { return m_session; }
    DashboardView *dashboard() const { return m_dashboard; }
    // On a cluster once its slot map is read, else null.
    NodesView *nodesView() const { return m_nodes; }
    // `tab` if it is one of this session's inspectors, else null.
    StreamInspector *inspectorOf(QWidget *tab) const;

    // Shows the tab inspecting `key`, opened first if needed.
    void inspect(const QByteArray &key);
    // The same, with its Charts page in front.
    void openCharts(const QByteArray &stream);

Q_SIGNALS:
    // The user asked for a stream from a tab of this session (a dashboard row, a node's
    // stream): the window shows this session before the stream's inspector opens.
    void activated();

private:
    void addDashboard();
    void showNodes();
    // Gives the open inspectors their dead-letter stream and conventions again.
    void updateDeadLetters();
    void setDeadLetters(StreamInspector *inspector);
    void replay(StreamInspector *inspector);

    ConnectionSession *m_session;
    ProfileState *m_profiles;
    QTabWidget *m_tabs;
    DashboardView *m_dashboard = nullptr; // tabs without a close button: ours until we go
    NodesView *m_nodes = nullptr;
    QList<QPointer<StreamInspector>> m_inspectors; // closable: null once closed
};
