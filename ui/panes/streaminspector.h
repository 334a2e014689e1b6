#pragma once

#include "viewstate.h"

#include <QByteArray>
#include <QPointer>
#include <QWidget>

#include <optional>

class DeadLetterView;
struct DeadLetterConventions;
class EntryListModel;
class StreamSummaryLoader;
struct StreamSummary;
class GroupsPane;
class SearchPane;
class HistoryStore;
class SeriesHistory;
class StreamChart;
struct StreamId;
class QTabWidget;
class QCheckBox;
class QComboBox;
class QDateTimeEdit;
class QLabel;
class QLineEdit;
class QListWidget;
class QPlainTextEdit;
class QPushButton;
class QTableView;
class ConnectionSession;

// One stream, looked into. Entries: paged lazily (newest first by default) with jumps to
// either end, an id or a time, live tail, and a detail pane that decodes each field
// (JSON, compressed JSON, text, binary as hex). Groups: lag, consumers, pending entries.
// Search: entries whose fields match, over the stream or a range. Export and import of
// entries as JSON Lines.
class StreamInspector : public QWidget
{
    Q_OBJECT
public:
    StreamInspector(ConnectionSession *session, const QByteArray &key, QWidget *parent = nullptr);
    ~StreamInspector() override;

    QByteArray key() const { return m_key; }
    ConnectionSession *session() const { return m_session; }
    EntryListModel *entries() const { return m_entries; }
    QTableView *entriesView() const { return m_view; }
    QTabWidget *pages() const { return m_pages; }
    GroupsPane *groupsPane() const { return m_groupsPane; }
    SearchPane *searchPane() const { return m_searchPane; }
    // Shows the Entries page from `id` on, with that entry selected (a search result).
    void showEntryId(StreamId id);
    // Reads everything shown again (F5): the stream's summary, its groups, and its entries
    // when the newest are shown, keeping the selected entry selected.
    void refresh();
    // Dead letters. A dead-letter stream gets a "Dead letters" page, made current; a stream
    // with a dead-letter stream gets a button that asks to open it (openStreamRequested).
    // Called again when the conventions or the pairing change.
    void setDeadLetters(const DeadLetterConventions &conventions,
                        const QByteArray &deadLetterStream, bool isDeadLetterStream);
    DeadLetterView *deadLetterView() const { return m_deadLetterView; }
    // Charts. With a history (the connection's monitor feeds it), a "Charts" page draws
    // this stream and its groups from it (see StreamChart); showCharts() makes it current.
    void setHistory(SeriesHistory *history);
    // The connection's history on disk (not owned; null: none), from which the charts read
    // what is older than the SeriesHistory's raw window. Before or after setHistory().
    void setHistoryStore(HistoryStore *store);
    void showCharts();
    StreamChart *chart() const { return m_chart; }

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

Q_SIGNALS:
    // The user asked to inspect another stream (this one's dead-letter stream).
    void openStreamRequested(const QByteArray &key);
    // The user clicked Replay… on the Dead letters page (deadLetterView() says what).
    void replayRequested();

private:
    void jumpToId();
    void showEntry();
    void showField();
    void updateStatus();
    void elideStatus(); // the status (kept whole in its tooltip), to the label's width
    void showSummary(const StreamSummary &summary);
    // Deletes the selected entries (XDEL) after the confirmation, which says where they
    // are pending and offers to ack them there too.
    void deleteSelected();
    void afterReset();
    // The export dialog for this stream, offering the selected entries.
    void openExport();
    // The publish dialog for this stream; with copySelected, filled with the selected entry.
    void openPublish(bool copySelected);
    // The page above the window, when there is one, keeping the rows on screen in place.
    void readAbove();

    QByteArray m_key;
    EntryListModel *m_entries;
    QTableView *m_view;
    QComboBox *m_order;
    QLineEdit *m_idEdit;
    QDateTimeEdit *m_timeEdit;
    QCheckBox *m_live;
    QLabel *m_status;
    QString m_statusText; // whole; the label shows it elided
    QLabel *m_error;
    bool m_idErrorShown = false; // m_error says the typed id is not one
    QListWidget *m_fields;
    QLabel *m_fieldLabel;
    QPlainTextEdit *m_value;
    QPushButton *m_loadAll;
    QTabWidget *m_pages;
    QLabel *m_summary;
    StreamSummaryLoader *m_summaryLoader;
    ConnectionSession *m_session;
    QByteArray m_reselect;                   // the entry to select after a jump
    std::optional<ViewState> m_refreshState; // what to show again after a refresh
    QByteArray m_shownId;                    // the entry in the detail pane
    QByteArray m_lastGeneratedId;            // from the summary
    bool m_keepTopOnInsert = false;          // the rows being read go above what is on screen
    int m_topBeforeRemoval = -1;
    GroupsPane *m_groupsPane;
    SearchPane *m_searchPane;
    bool m_showAll = false;
    DeadLetterView *m_deadLetterView = nullptr;
    QPushButton *m_deadLettersButton;
    QByteArray m_deadLetterStream;
    StreamChart *m_chart = nullptr;
    QPointer<HistoryStore> m_historyStore;
};
