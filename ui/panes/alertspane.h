#pragma once

#include <QDockWidget>

class AlertLogFilter;
class AlertLogModel;
class QCheckBox;
class QLabel;
class QPushButton;
class QTableView;

// The alert log in a dock: every alert that fired or cleared, newest first, the ones
// still active in bold red; "Active only" hides the rest; Clear empties the log but for
// the active alerts; "Alert rules…" asks for the rules of the selected connection
// (rulesRequested()). The dock's title counts the active alerts. The model is not owned.
class AlertsPane : public QDockWidget
{
    Q_OBJECT
public:
    explicit AlertsPane(AlertLogModel *model, QWidget *parent = nullptr);

    QTableView *view() const { return m_view; }
    AlertLogFilter *filter() const { return m_filter; }

Q_SIGNALS:
    void rulesRequested();

protected:
    void showEvent(QShowEvent *event) override;

private:
    void updateWidgets();

    AlertLogModel *m_model;
    AlertLogFilter *m_filter;
    QCheckBox *m_activeOnly;
    QLabel *m_count;
    QPushButton *m_rules;
    QPushButton *m_clear;
    QTableView *m_view;
    bool m_columnsSized = false;
};
