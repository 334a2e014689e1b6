#pragma once

#include "streamexport.h"

#include <QDialog>

class ConnectionSession;
class QComboBox;
class QDateTimeEdit;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QStackedWidget;

// Exports entries of a stream to a JSON Lines file (see streamexport.h for the format):
// all of them, an id range, a time range, or entries chosen by the caller (the selection
// of the inspector, or what a destructive action is about to touch). The file is typed or
// chosen with Browse; Export stays disabled, with the reason shown, until the range and the
// file are usable. Progress and Cancel while it runs; the outcome stays on screen.
class ExportDialog : public QDialog
{
    Q_OBJECT
public:
    ExportDialog(ConnectionSession *session, const QByteArray &key, QWidget *parent = nullptr);

    // Offers "the selected entries" (and chooses it when `choose`).
    void setSelectedIds(const QList<QByteArray> &ids, bool choose = false);
    // Pre-sets the dialog to `selection` (its key must be the dialog's): ids become the
    // selected entries, bounds an id range.
    void setSelection(const StreamExport::Selection &selection);
    void setPath(const QString &path);

    StreamExport::Selection selection() const;
    QString path() const;
    // Why Export is disabled (empty when it is not): the hint on screen.
    QString problem() const;
    bool isRunning() const;

    // Escape, Cancel, the close button: while running, cancels the export; otherwise closes.
    void reject() override;

Q_SIGNALS:
    void exported(const StreamExporter::Result &result);

private:
    // The user typed in the form or tried to go on: what is missing is an error from now
    // on, not a hint (a dialog that opens in red reads as if something had gone wrong).
    bool m_touched = false;

    void validate();
    void fitHeight();
    void startExport();
    void showResult(const StreamExporter::Result &result);

    ConnectionSession *m_session;
    QByteArray m_key;
    QList<QByteArray> m_selectedIds;
    QComboBox *m_scope;
    QStackedWidget *m_rangeRows;
    QLineEdit *m_fromId;
    QLineEdit *m_toId;
    QDateTimeEdit *m_fromTime;
    QDateTimeEdit *m_toTime;
    QLineEdit *m_path;
    QLabel *m_hint;
    QProgressBar *m_progress;
    QLabel *m_outcome;
    QPushButton *m_export;
    QPushButton *m_close;
    StreamExporter *m_exporter;
};
