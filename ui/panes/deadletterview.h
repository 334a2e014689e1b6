#pragma once

#include "deadletters.h"
#include "replaydialog.h"

#include <QDateTime>
#include <QList>
#include <QSet>
#include <QTimer>
#include <QWidget>

#include <optional>

class DeadLetterModel;
class QCheckBox;
class QComboBox;
class QDateTimeEdit;
class QLabel;
class QListWidget;
class QPlainTextEdit;
class QPushButton;
class QTableView;
class ConnectionSession;

// The dead letters of one dead-letter stream: the reasons with their counts on the left
// (choosing one filters the table), a time range, the table (newest first, paged as the
// user scrolls), and the selected dead letter in full with its payload decoded as the
// inspector decodes values. Dead letters that carry none of the fields they are read with
// say so above the table, with Detect; Field names… sets this stream's own names.
// Replay… and Export… are for other dialogs: the view only says
// what is selected and filtered, and emits replayRequested() / exportRequested().
class DeadLetterView : public QWidget
{
    Q_OBJECT
public:
    DeadLetterView(ConnectionSession *session, const QByteArray &key,
                   const DeadLetterConventions &conventions, QWidget *parent = nullptr);
    ~DeadLetterView() override;

    // The dead-letter stream shown, and the connection's conventions (model()->conventions()
    // are this stream's: its own field names when it has some).
    QByteArray key() const { return m_key; }
    ConnectionSession *session() const { return m_session; }
    const DeadLetterConventions &conventions() const { return m_conventions; }
    void setConventions(const DeadLetterConventions &conventions); // reloads when they change

    // The selected rows' dead letters, in table order.
    QList<DeadLetter> selectedDeadLetters() const;
    // What Replay… replays: this stream, the selection and the filter.
    ReplayDialog::Source replaySource() const;
    // The filter in force: a reason (nullopt: every reason; empty: none recorded) and a
    // time range of when the dead letters were written (invalid: open at that end).
    std::optional<QByteArray> reasonFilter() const;
    QDateTime filterFrom() const;
    QDateTime filterTo() const;

    DeadLetterModel *model() const { return m_model; }
    QTableView *table() const { return m_table; }
    QListWidget *reasonList() const { return m_reasons; }

    // Reads the dead letters and their reasons again, keeping the filters.
    void refresh();

Q_SIGNALS:
    // The user clicked Replay… (selectedDeadLetters() and the filter say what to replay).
    void replayRequested();
    // The user clicked Export….
    void exportRequested();
    // The user kept field names of their own for this stream (Field names… or Detect):
    // the connection's conventions, with them, to save.
    void conventionsEdited(const DeadLetterConventions &conventions);

private:
    void applyTimeRange();
    void onReasonChosen();
    void updateReasons();
    void updateStatus();
    void showDetail();
    void showError(const QString &message);
    void reselect();
    void updateNoMatch();
    void editFieldNames(bool detect);

    ConnectionSession *m_session;
    QByteArray m_key;
    DeadLetterConventions m_conventions;
    DeadLetterModel *m_model;
    QListWidget *m_reasons;
    QLabel *m_reasonsNote;
    QCheckBox *m_fromOn;
    QDateTimeEdit *m_from;
    QCheckBox *m_toOn;
    QDateTimeEdit *m_to;
    QComboBox *m_order;
    QLabel *m_rangeHint;
    QLabel *m_status;
    QLabel *m_error;
    QTableView *m_table;
    QPlainTextEdit *m_detail;
    QPushButton *m_replay;
    QPushButton *m_export;
    QPushButton *m_fieldNames;
    QWidget *m_noMatchBar = nullptr;
    QLabel *m_noMatch;
    QPushButton *m_detect;
    QTimer m_rangeTimer;         // applies the time range once typing pauses
    QSet<QByteArray> m_reselect; // ids selected before a refresh
};
