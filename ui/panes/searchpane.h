#pragma once

#include "entrysearch.h"
#include "streamid.h"

#include <QPointer>
#include <QWidget>

#include <optional>

class QCheckBox;
class QComboBox;
class QDateTimeEdit;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QStackedWidget;
class QTableView;
class ConnectionSession;

// The search page of the stream inspector: a query (field, how to match, pattern, case,
// whole stream or an id or time range, result limit) built from the form and run by an
// EntrySearchModel, with progress, cancel and the matches listed as their batches arrive.
// The form is checked before anything is sent; what is wrong is said in words. Searching
// again while a search runs stops that search and starts over. Reads only.
class SearchPane : public QWidget
{
    Q_OBJECT
public:
    SearchPane(ConnectionSession *session, const QByteArray &key, QWidget *parent = nullptr);

    EntrySearchModel *results() const { return m_results; }
    QByteArray key() const { return m_key; }

Q_SIGNALS:
    // The user double-clicked a result or pressed Enter on it: show this entry.
    void entryActivated(StreamId id);

private:
    enum RangeKind { WholeStream, IdRange, TimeRange };

    void startSearch();
    // The query the form describes, or nullopt with the reason shown (nothing sent).
    std::optional<EntrySearch::Query> queryFromForm();
    // The id typed in `edit`: `fallback` when empty, and for an id without a sequence
    // the first (`upper` false) or the last (`upper` true) id of that millisecond.
    std::optional<StreamId> typedId(QLineEdit *edit, StreamId fallback, bool upper);
    void onProgress(qint64 scanned, qint64 matches, double fraction);
    void onFinished(bool cancelled, const QString &error);
    void showError(const QString &message, QWidget *focus = nullptr);
    void updateButtons();

    QPointer<ConnectionSession> m_session;
    QByteArray m_key;
    EntrySearchModel *m_results;
    QLineEdit *m_field;
    QComboBox *m_match;
    QLineEdit *m_pattern;
    QCheckBox *m_case;
    QComboBox *m_range;
    QStackedWidget *m_rangeInputs;
    QLineEdit *m_fromId;
    QLineEdit *m_toId;
    QDateTimeEdit *m_fromTime;
    QDateTimeEdit *m_toTime;
    QSpinBox *m_limit;
    QPushButton *m_start;
    QPushButton *m_cancel;
    QLabel *m_error;
    QProgressBar *m_progress;
    QLabel *m_status;
    QTableView *m_view;
};
