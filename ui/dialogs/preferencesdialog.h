#pragma once

#include "historystore.h"

#include <QDialog>
#include <QPointer>
#include <QStringList>

class ConnectionSession;
class QLabel;
class QMessageBox;
class QPushButton;
class QSettings;
class QSpinBox;
class QTimer;
class SessionManager;

// Weir's preferences: how long the monitoring history is kept, tier by tier (the raw
// window kept at the tick, in memory too; minute buckets; hour buckets), and the history
// on disk: where it is, its size (every connection's stores in the directory, and the
// current connection's as its store counts it), and "Clear history…", which asks first.
//
// OK saves the retention in the settings (history/…) and applies it to the open sessions
// at once; it stays disabled while a value is refused, and the hint under the form says
// why. Clearing empties the open sessions' stores (HistoryStore::clear()) and deletes the
// stores of connections that are not open, off the GUI thread; a store another Weir is
// recording is left alone, and the dialog says so. GUI thread only.
class PreferencesDialog : public QDialog
{
    Q_OBJECT
public:
    // `current`: the selected connection's session (null: none), whose store's size is
    // shown on its own.
    PreferencesDialog(QSettings *settings, SessionManager *sessions, ConnectionSession *current,
                      QWidget *parent = nullptr);
    ~PreferencesDialog() override;

    // The retention kept in `settings`: the defaults where none is kept, or where what is
    // kept is refused (a file edited by hand).
    static HistoryRetention loadRetention(const QSettings &settings);
    static void saveRetention(QSettings &settings, const HistoryRetention &retention);
    // Why Weir refuses `retention`, empty when it does not.
    static QString retentionProblem(const HistoryRetention &retention);

    // The retention as typed.
    HistoryRetention retention() const;
    // Why OK is disabled, empty when it is not.
    QString problem() const;
    // What the size line says (empty until first read).
    QString sizeText() const;
    // Reads the stores' size anew: the files' at once, the current store's when it answers.
    void refreshSize();
    // Asks whether to clear every connection's history; clears it if the user agrees.
    void clearHistory();
    // OK: saves and applies the retention typed, unless it is refused.
    void accept() override;

Q_SIGNALS:
    // Everything "Clear history" started has finished; sizeText() is the new size.
    void historyCleared();

private:
    void updateWidgets();
    void showSize();
    void startClearing();
    void clearingDone();

    QSettings *m_settings;
    SessionManager *m_sessions;
    QPointer<ConnectionSession> m_current;
    QSpinBox *m_rawMinutes;
    QSpinBox *m_minuteDays;
    QSpinBox *m_hourDays;
    QLabel *m_rawMemory;
    QLabel *m_hint;
    QLabel *m_directory;
    QLabel *m_size;
    QLabel *m_clearStatus;
    QPushButton *m_clear;
    QPushButton *m_ok;
    QTimer *m_sizeTimer;
    QPointer<QMessageBox> m_confirm;
    bool m_touched = false;
    // The files' bytes, as last read; the current store's bytes (-1: not known).
    qint64 m_filesBytes = 0;
    qint64 m_currentBytes = -1;
    // Clearing: stores and file deletions not finished yet, stores left to another Weir.
    int m_clearsPending = 0;
    QStringList m_leftToOthers;
    QStringList m_failedDeletes;
};
