#pragma once

#include "pendingactions.h"

#include <QDialog>

class QCheckBox;
class QComboBox;
class QLabel;
class QPushButton;
class QSpinBox;

// What a claim of pending entries should do: the consumer that takes them over (one of
// the group's, or a new name), the minimum idle time, and XCLAIM's options. OK stays
// disabled, with the reason shown, until the options can be sent.
class ClaimDialog : public QDialog
{
    Q_OBJECT
public:
    // entries < 0: a sweep of the whole pending list (XAUTOCLAIM), which has no IDLE,
    // RETRYCOUNT or FORCE.
    ClaimDialog(const QStringList &consumers, int entries, QWidget *parent = nullptr);

    PendingActions::ClaimOptions options() const;

private:
    // The user typed in the form or tried to go on: what is missing is an error from now
    // on, not a hint (a dialog that opens in red reads as if something had gone wrong).
    bool m_touched = false;

    void validate();

    QComboBox *m_consumer;
    QSpinBox *m_minIdle;
    QCheckBox *m_setIdle;
    QSpinBox *m_idle;
    QCheckBox *m_setRetry;
    QSpinBox *m_retry;
    QCheckBox *m_force;
    QCheckBox *m_justId;
    QLabel *m_hint;
    QPushButton *m_ok;
};
