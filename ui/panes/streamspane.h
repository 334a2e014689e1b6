#pragma once

#include <QWidget>

class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class StreamSortProxy;
class QTableView;
class QToolButton;
class StreamListModel;

// The streams overview of one connection: a filterable, sortable table with a scan
// progress bar and cancel, and a banner for connection trouble.
class StreamsPane : public QWidget
{
    Q_OBJECT
public:
    explicit StreamsPane(QWidget *parent = nullptr);

    // Not owned; nullptr shows an empty pane.
    void setModel(StreamListModel *model);
    StreamListModel *model() const { return m_model; }
    QTableView *view() const { return m_view; }
    StreamSortProxy *proxy() const { return m_proxy; }

    // A line above the table: a connection problem (verbatim error, hint, and a retry
    // button), or a neutral note. An empty text hides it.
    enum class Banner { Note, Problem };
    void setBanner(const QString &text, const QString &hint = {}, Banner kind = Banner::Note);
    void refresh();
    // One auto-refresh tick: re-reads the details (length, pending, lag) of the listed
    // streams, when connected, not scanning, and listing up to AutoRefreshMaxStreams
    // (beyond, a sorted view would re-read every row on every tick).
    void refreshDetails();
    static constexpr int AutoRefreshMaxStreams = 5000;

Q_SIGNALS:
    void retryRequested();
    void streamActivated(const QByteArray &key);
    void countsChanged(int total, int shown);

private:
    void onScanStarted();
    void onScanProgress(double progress, int found);
    void onScanFinished(int found, bool cancelled, const QString &error);
    void updateCounts();

    StreamListModel *m_model = nullptr;
    StreamSortProxy *m_proxy;
    QTableView *m_view;
    QLineEdit *m_filter;
    QLabel *m_count;
    QProgressBar *m_progress;
    QPushButton *m_cancel;
    QWidget *m_banner;
    QLabel *m_bannerText;
    QPushButton *m_retry;
    QLabel *m_scanNote;
};
