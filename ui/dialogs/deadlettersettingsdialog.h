#pragma once

#include "deadletters.h"

#include <QDialog>
#include <QHash>
#include <QList>
#include <QPointer>

class DeadLetterFieldsForm;
class ConnectionSession;
class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;

// Edits one connection's dead-letter conventions: the key patterns (in the order they are
// tried) and the names of a dead letter's metadata fields. Detect pairs the streams the
// overview listed under the patterns as edited, so the user sees what they would find,
// and (given a session) reads a sample of each dead-letter stream: one whose dead
// letters carry none of the names above gets the names they do use, kept for that stream. OK stays
// disabled, with a hint saying why, while a pattern or a field name is unusable.
class DeadLetterSettingsDialog : public QDialog
{
    Q_OBJECT
public:
    DeadLetterSettingsDialog(const QString &connectionName,
                             const DeadLetterConventions &conventions, QWidget *parent = nullptr);

    // The streams Detect pairs up (the overview's keys); empty: Detect says to connect.
    void setStreamKeys(const QList<QByteArray> &keys);
    // Where Detect reads a sample of each dead-letter stream it pairs (none: it only pairs
    // streams). Not owned; the dialog itself never waits on it.
    void setSession(ConnectionSession *session);
    static constexpr int SampleSize = 50;
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
    void showDetected();
    void updateWidgets();

    QList<QByteArray> m_keys;
    QListWidget *m_patterns;
    QLineEdit *m_newPattern;
    QPushButton *m_add;
    QPushButton *m_remove;
    QPushButton *m_up;
    QPushButton *m_down;
    DeadLetterFieldsForm *m_fields;
    QMap<QByteArray, DeadLetterFields> m_streamFields; // kept as given
    QPointer<ConnectionSession> m_session;
    QHash<QByteArray, QList<StreamEntry>> m_samples; // by dead-letter stream, as read
    // Names Detect found for a dead-letter stream whose dead letters have none of the
    // connection's: kept for it on OK.
    QMap<QByteArray, DeadLetterFields> m_proposed;
    QPushButton *m_detect;
    QListWidget *m_detected;
    QLabel *m_hint;
    QPushButton *m_ok;
};
