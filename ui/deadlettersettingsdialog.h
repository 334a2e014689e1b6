#pragma once

#include "deadletters.h"

#include <QDialog>
#include <QList>

class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;

// Edits one connection's dead-letter conventions: the key patterns (in the order they are
// tried) and the names of a dead letter's metadata fields. Detect pairs the streams the
// overview listed under the patterns as edited, so the user sees what they would find.
// The dialog never talks to Redis: it is given the keys. OK stays disabled, with a hint
// saying why, while a pattern or a field name is unusable.
class DeadLetterSettingsDialog : public QDialog
{
    Q_OBJECT
public:
    DeadLetterSettingsDialog(const QString &connectionName,
                             const DeadLetterConventions &conventions,
                             QWidget *parent = nullptr);

    // The streams Detect pairs up (the overview's keys); empty: Detect says to connect.
    void setStreamKeys(const QList<QByteArray> &keys);
    // The conventions as edited.
    DeadLetterConventions conventions() const;
    // Why OK is disabled, empty when it is not.
    QString problem() const;

private:
    void setConventions(const DeadLetterConventions &conventions);
    void addPattern();
    void removePattern();
    void movePattern(int by);
    void detect();
    void updateWidgets();

    QList<QByteArray> m_keys;
    QListWidget *m_patterns;
    QLineEdit *m_newPattern;
    QPushButton *m_add;
    QPushButton *m_remove;
    QPushButton *m_up;
    QPushButton *m_down;
    QList<QLineEdit *> m_fields; // in DeadLetterConventions' order
    QPushButton *m_detect;
    QListWidget *m_detected;
    QLabel *m_hint;
    QPushButton *m_ok;
};
