#pragma once

#include "monitorfigures.h"

#include <QWidget>

class DashboardModel;
class DashboardSortProxy;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QSpinBox;
class QLineEdit;
class QTableView;
class QTimer;

// The dashboard of one connection: every watched stream and group in a table, worst first
// (see DashboardModel and DashboardSortProxy), with a sparkline of each row's recent lag, a
// filter box, and a status line (what is watched, how many streams the watch cap leaves
// unwatched, the last tick, failed ticks with the error verbatim and its hint).
//
// Feed it each tick of the connection's monitor: connect StreamMonitor::sampled to
// showFigures() (or to model()->update()). Active alerts go to model()->setActiveAlerts()
// or replaceActiveAlerts(). Double-click or Enter on a row asks for its charts.
class DashboardView : public QWidget
{
    Q_OBJECT
public:
    explicit DashboardView(QWidget *parent = nullptr);
    ~DashboardView() override;

    DashboardModel *model() const { return m_model; }
    DashboardSortProxy *proxy() const { return m_proxy; }
    QTableView *table() const { return m_table; }
    QLineEdit *filterEdit() const { return m_filter; }
    QString statusText() const;

    void showFigures(const MonitorFigures &figures);
    // How many dead-letter streams the overview lists that the monitor, watching every
    // stream, leaves out (their figures are their sources' Dead letters); said in the
    // status line, so that its count of streams is not taken for the overview's.
    void setDeadLetterStreamsLeftOut(int count);
    // The stream keys typed for "only these streams" (space-separated; a key with a space
    // cannot be named here).
    QList<QByteArray> chosenStreams() const;

Q_SIGNALS:
    // The user activated a row (double-click, Enter). `group` is empty for a stream without
    // groups.
    void chartRequested(const QByteArray &stream, const QByteArray &group);
    // The user changed how the monitor samples: every `intervalMs`, watching all streams up
    // to `cap` (streams empty) or only `streams`.
    void samplingChanged(int intervalMs, int cap, const QList<QByteArray> &streams);

private:
    void updateStatus();

    DashboardModel *m_model;
    DashboardSortProxy *m_proxy;
    QLineEdit *m_filter;
    QTableView *m_table;
    QLabel *m_status;
    QTimer *m_statusTimer;
    QDoubleSpinBox *m_interval;
    QComboBox *m_watch;
    QSpinBox *m_cap;
    QLineEdit *m_chosen;
    QLabel *m_samplingHint;
    int m_deadLetterStreamsLeftOut = 0;
};
