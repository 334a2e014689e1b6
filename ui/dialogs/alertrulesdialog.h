#pragma once

#include "alertrules.h"

#include <QDialog>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QTableWidget;

// Edits one connection's alert rules: each rule on or off and its threshold for every
// stream and group, then overrides for a stream or for one group of a stream (a group's
// override beats its stream's, which beats the global setting; each field separately).
// An override is edited in the form under the table and put in with "Add or update";
// selecting a row brings it back into the form. Thresholds are checked as they are typed:
// OK stays disabled while a global threshold is unusable, "Add or update" while the
// override is, each with a hint saying why.
class AlertRulesDialog : public QDialog
{
    Q_OBJECT
public:
    AlertRulesDialog(const QString &connectionName, const AlertRules &rules,
                     QWidget *parent = nullptr);

    // Streams offered as the user types an override's stream (the overview's keys).
    void setStreamKeys(const QList<QByteArray> &keys);
    AlertRules rules() const;
    // Why OK is disabled, empty when it is not.
    QString problem() const;
    // Why "Add or update" is disabled, empty when it is not.
    QString overrideProblem() const;

private:
    void setRules(const AlertRules &rules);
    void fillOverrides();
    void addOverride();
    void removeOverride();
    void loadSelectedOverride();
    void updateWidgets();

    AlertRules m_rules; // the overrides as edited; the globals are read from the widgets
    QCheckBox *m_enabled[AlertRuleCount];
    QLineEdit *m_threshold[AlertRuleCount];
    QLabel *m_hint;
    QTableWidget *m_overrides;
    QLineEdit *m_stream;
    QLineEdit *m_group;
    QComboBox *m_rule;
    QComboBox *m_switch;
    QLineEdit *m_overrideThreshold;
    QPushButton *m_add;
    QPushButton *m_remove;
    QLabel *m_overrideHint;
    QPushButton *m_ok;
};
