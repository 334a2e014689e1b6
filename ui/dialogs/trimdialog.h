#pragma once

#include "trimactions.h"

#include <QDialog>

class ConnectionSession;
class QComboBox;
class QDateTimeEdit;
class QLabel;
class QLineEdit;
class QPushButton;
class QScrollArea;
class QSpinBox;
class QTimer;

// Trims a stream (XTRIM): keep the newest N entries (MAXLEN), or entries from an id or a
// time on (MINID), exactly or by whole nodes (~, with LIMIT). Before anything is sent, a
// preview read from Redis says how many entries go and, per consumer group, how many
// pending entries would be orphaned and whether unread entries would go. Review opens the
// confirmation of the exact command; a ~ trim then loops until Redis removes no more, and
// the outcome explains what whole nodes kept.
class TrimDialog : public QDialog
{
    Q_OBJECT
public:
    TrimDialog(ConnectionSession *session, const QByteArray &key, QWidget *parent = nullptr);

    TrimActions::Options options() const;

Q_SIGNALS:
    // The trim ran (views of the stream can refresh).
    void trimmed();

private:
    // The user typed in the form or tried to go on: what is missing is an error from now
    // on, not a hint (a dialog that opens in red reads as if something had gone wrong).
    bool m_touched = false;

    void optionsChanged();
    void startPreview();
    void showPreview(const TrimPreviewer::Preview &preview);
    void validate();
    void review();

    ConnectionSession *m_session;
    QByteArray m_key;
    QComboBox *m_strategy;
    QLineEdit *m_threshold;
    QDateTimeEdit *m_time;
    QComboBox *m_exactness;
    QSpinBox *m_limit;
    QLabel *m_preview;
    QScrollArea *m_previewArea;
    QLabel *m_hint;
    QPushButton *m_ok;
    TrimPreviewer *m_previewer;
    QTimer *m_debounce;                            // previews once typing pauses
    std::optional<TrimPreviewer::Preview> m_shown; // the preview of the options on screen
};
