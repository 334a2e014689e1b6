#include "sessionworkspace.h"

#include "alertrules.h"
#include "clusternodesreader.h"
#include "connectionoptions.h"
#include "connectionsession.h"
#include "dashboardmodel.h"
#include "dashboardview.h"
#include "deadletterview.h"
#include "groupspane.h"
#include "keyformat.h"
#include "nodesview.h"
#include "profilestate.h"
#include "replaydialog.h"
#include "streaminspector.h"
#include "streamlistmodel.h"
#include "streammonitor.h"

#include <QSet>
#include <QTabBar>
#include <QTabWidget>

SessionWorkspace::SessionWorkspace(ConnectionSession *session, ProfileState *profiles,
                                   QTabWidget *tabs, QObject *parent)
    : QObject(parent)
    , m_session(session)
    , m_profiles(profiles)
    , m_tabs(tabs)
{
    addDashboard();
    connect(session, &ConnectionSession::topologyChanged, this, &SessionWorkspace::showNodes);
    connect(session->overview(), &StreamListModel::deadLetterStreamsChanged, this,
            &SessionWorkspace::updateDeadLetters);
    connect(profiles, &ProfileState::deadLetterConventionsChanged, this, [this](const QString &id) {
        if (id == m_session->profileId())
            updateDeadLetters();
    });
}

// Its inspectors go first: they use the session's connection and histories.
SessionWorkspace::~SessionWorkspace()
{
    for (const QPointer<StreamInspector> &inspector : std::as_const(m_inspectors))
        delete inspector.data();
    delete m_nodes;
    delete m_dashboard;
}

// Fed by every tick of the session's monitor, showing the alerts active on its rows; a
// row's charts open in the session's inspector of that stream.
void SessionWorkspace::addDashboard()
{
    m_dashboard = new DashboardView(m_tabs);
    DashboardView *dashboard = m_dashboard;
    dashboard->setObjectName(QStringLiteral("dashboard"));
    connect(m_session->monitor(), &StreamMonitor::sampled, dashboard, &DashboardView::showFigures);
    // The overview lists the dead-letter streams the monitor leaves out: the dashboard says
    // so, so that its count of streams is not taken for a missing one.
    StreamListModel *overview = m_session->overview();
    const auto leftOut = [overview, dashboard] {
        const QList<QByteArray> dlqs = overview->deadLetterStreams().values();
        dashboard->setDeadLetterStreamsLeftOut(
            int(QSet<QByteArray>(dlqs.cbegin(), dlqs.cend()).size()));
    };
    connect(overview, &StreamListModel::deadLetterStreamsChanged, dashboard, leftOut);
    leftOut();
    AlertEngine *engine = m_session->alertEngine();
    connect(engine, &AlertEngine::changed, dashboard, [engine, dashboard] {
        QHash<QPair<QByteArray, QByteArray>, QStringList> active;
        // Short, for the cell: the rule and its value (the Alerts pane has the rest).
        for (const AlertEvent &alert : engine->activeAlerts()) {
            QString text = alertRuleName(alert.rule);
            if (!alert.consumer.isEmpty())
                text += QLatin1Char(' ') + displayKey(alert.consumer);
            active[{alert.stream, alert.group}].append(text + QStringLiteral(": ")
                                                       + formatAlertValue(alert.rule, alert.value));
        }
        dashboard->model()->replaceActiveAlerts(active);
    });
    connect(dashboard, &DashboardView::samplingChanged, m_session, &ConnectionSession::setSampling);
    connect(dashboard, &DashboardView::chartRequested, this, [this](const QByteArray &stream) {
        Q_EMIT activated();
        openCharts(stream);
    });
    const QString name = m_session->options().name;
    const int index = m_tabs->insertTab(1, dashboard, tr("Dashboard · %1").arg(name));
    m_tabs->setTabToolTip(index, tr("Every watched stream and group of %1, worst first").arg(name));
    m_tabs->tabBar()->setTabButton(index, QTabBar::RightSide, nullptr);
}

// Made on the first slot map, after the dashboard; its reader follows the later ones.
void SessionWorkspace::showNodes()
{
    if (m_nodes)
        return;
    m_nodes = new NodesView(m_tabs);
    NodesView *view = m_nodes;
    view->setObjectName(QStringLiteral("nodes"));
    auto *reader = new ClusterNodesReader(m_session, view->model(), view);
    connect(view, &NodesView::refreshRequested, reader, &ClusterNodesReader::refresh);
    connect(view, &NodesView::streamActivated, this, [this](const QByteArray &stream) {
        Q_EMIT activated();
        inspect(stream);
    });
    const QString name = m_session->options().name;
    const int index =
        m_tabs->insertTab(m_tabs->indexOf(m_dashboard) + 1, view, tr("Nodes · %1").arg(name));
    m_tabs->setTabToolTip(index,
                          tr("The nodes of the cluster %1, and the streams on each").arg(name));
    m_tabs->tabBar()->setTabButton(index, QTabBar::RightSide, nullptr);
}

StreamInspector *SessionWorkspace::inspectorOf(QWidget *tab) const
{
    for (const QPointer<StreamInspector> &inspector : m_inspectors) {
        if (inspector && inspector == tab)
            return inspector;
    }
    return nullptr;
}

void SessionWorkspace::inspect(const QByteArray &key)
{
    if (key.isEmpty())
        return;
    m_inspectors.removeIf([](const QPointer<StreamInspector> &p) { return p.isNull(); });
    for (const QPointer<StreamInspector> &open : std::as_const(m_inspectors)) {
        if (open->key() == key) {
            m_tabs->setCurrentWidget(open);
            return;
        }
    }
    auto *inspector = new StreamInspector(m_session, key, m_tabs);
    m_inspectors.append(inspector);
    const int index = m_tabs->addTab(inspector, displayKey(key));
    m_tabs->setTabToolTip(index, tr("%1 on %2").arg(displayKey(key), m_session->options().name));
    setDeadLetters(inspector);
    inspector->setHistory(m_session->history());
    inspector->setHistoryStore(m_session->historyStore()); // older than the raw window
    connect(inspector, &StreamInspector::openStreamRequested, this, &SessionWorkspace::inspect);
    connect(inspector, &StreamInspector::replayRequested, this,
            [this, inspector] { replay(inspector); });
    // Field names kept for one dead-letter stream are the connection's to save.
    if (DeadLetterView *view = inspector->deadLetterView()) {
        connect(view, &DeadLetterView::conventionsEdited, this,
                [this](const DeadLetterConventions &conventions) {
            m_profiles->setDeadLetterConventions(m_session->profileId(), conventions);
        });
    }
    m_tabs->setCurrentIndex(index);
}

void SessionWorkspace::openCharts(const QByteArray &stream)
{
    inspect(stream);
    if (StreamInspector *inspector = inspectorOf(m_tabs->currentWidget());
        inspector && inspector->key() == stream)
        inspector->showCharts();
}

void SessionWorkspace::setDeadLetters(StreamInspector *inspector)
{
    const DeadLetterConventions conventions =
        m_profiles->deadLetterConventions(m_session->profileId());
    const StreamListModel *overview = m_session->overview();
    const QByteArray key = inspector->key();
    inspector->setDeadLetters(conventions, overview->deadLetterStreams().value(key),
                              !overview->deadLetterSourceOf(key).isEmpty());
    inspector->groupsPane()->setDeadLetters(conventions, overview->deadLetterStreams().value(key));
}

void SessionWorkspace::updateDeadLetters()
{
    for (const QPointer<StreamInspector> &inspector : std::as_const(m_inspectors)) {
        if (inspector)
            setDeadLetters(inspector);
    }
}

// Replay from the Dead letters page: the view's selection and filter are the scope.
void SessionWorkspace::replay(StreamInspector *inspector)
{
    DeadLetterView *view = inspector->deadLetterView();
    if (!view)
        return;
    auto *dialog = new ReplayDialog(view->replaySource(), m_tabs->window());
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setObjectName(QStringLiteral("replayDialog"));
    const QPointer<StreamInspector> shown = inspector; // its tab may be closed meanwhile
    // The session may end meanwhile: the workspace, and this connection, go before it.
    connect(dialog, &ReplayDialog::replayed, this, [this, shown] {
        if (shown)
            shown->refresh();                   // what is left of the dead letters
        m_session->overview()->reloadDetails(); // dead-letter counts, the targets' lengths
    });
    dialog->open();
}
