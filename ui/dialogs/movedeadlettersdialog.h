#pragma once

#include "deadletteractions.h"

#include <QDialog>

class QCheckBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QRadioButton;
class QSpinBox;

// What a move of poison messages to a dead-letter stream should do: which pending entries
// (the selected ones, or every one delivered at least N times and optionally idle at least
// so long), the dead-letter stream, the reason recorded with each, and whether the entries
// also leave the stream; it says how the move is done (one script per entry, or copy then
// remove). Review stays disabled, with the reason shown, until the move can be sent. The
// dialog only gathers options: the groups pane collects the entries and runs the move.
class MoveDeadLettersDialog : public QDialog
{
    Q_OBJECT
public:
    enum class Scope { Selected, Delivered };

    // `selected`: how many pending entries are selected (0: the choice is disabled).
    // `deadLetterStream`: the pre-filled dead-letter stream. `cluster`: the connection is to
    // a cluster, where the two keys may be in different slots.
    MoveDeadLettersDialog(const QByteArray &stream, const QByteArray &group, int selected,
                          const QByteArray &deadLetterStream, bool cluster,
                          QWidget *parent = nullptr);

    Scope scope() const;
    // With Scope::Delivered: the minimum delivery count, and the minimum idle time (0: any).
    qint64 minDeliveries() const;
    qint64 minIdleMs() const;
    DeadLetterActions::MoveOptions options() const;

    // The confirmation's text for moving `entries` with `options` ("which" says how they were
    // chosen, in words, or is empty), and the report of a run in the same words.
    static QString confirmationHtml(const DeadLetterActions::MoveOptions &options,
                                    const DeadLetterConventions &conventions, qint64 entries,
                                    const QString &which);
    static QString actionText(qint64 entries);
    static QString reportHtml(const DeadLetterActions::MoveOptions &options,
                              const BulkRunner::Report &report);

private:
    void validate();

    QByteArray m_stream;
    QByteArray m_group;
    bool m_cluster;
    QRadioButton *m_selected;
    QRadioButton *m_delivered;
    QLineEdit *m_minDeliveries;
    QCheckBox *m_setIdle;
    QSpinBox *m_minIdle;
    QLineEdit *m_deadLetterStream;
    QLineEdit *m_reason;
    QCheckBox *m_delete;
    QLabel *m_deleteWarning;
    QLabel *m_path;
    QLabel *m_hint;
    QPushButton *m_ok;
    bool m_typed = false; // the operator typed, or pressed Enter: a problem shows red
};
