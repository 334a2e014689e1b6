#pragma once

#include "streamexport.h"

#include <QDialog>

class ConnectionSession;
class QLabel;
class QLineEdit;
class QPushButton;
class QRadioButton;
class QTimer;

// Imports a JSON Lines export file (see streamexport.h) into a stream: the current one or
// another, new or existing, with new ids (`*`) or the file's own ids. Every line of the file
// is read and checked as soon as it is named; with the file's ids, the stream's last id is
// read too. Review stays disabled, with the reason (the first bad line, ids that cannot go
// in), until the import can run; it then opens the confirmation of the exact command shape
// and count, and the run reports what went in.
class ImportDialog : public QDialog
{
    Q_OBJECT
public:
    ImportDialog(ConnectionSession *session, const QByteArray &key, QWidget *parent = nullptr);

    void setPath(const QString &path);
    StreamImporter::Options options() const;
    // Why Review is disabled (empty when it is not): the hint on screen.
    QString problem() const;

Q_SIGNALS:
    // Entries were written to `key` (views of it can refresh).
    void imported(const QByteArray &key);

private:
    // The user typed in the form or tried to go on: what is missing is an error from now
    // on, not a hint (a dialog that opens in red reads as if something had gone wrong).
    bool m_touched = false;

    void fileChanged();
    void targetChanged();
    void validate();
    void fitHeight();
    void review();

    ConnectionSession *m_session;
    QLineEdit *m_path;
    QLineEdit *m_stream;
    QRadioButton *m_newIds;
    QRadioButton *m_originalIds;
    QLabel *m_fileSummary;
    QLabel *m_hint;
    QPushButton *m_review;
    StreamFileScanner *m_scanner;
    QTimer *m_scanLater;                                 // scans once typing pauses
    QTimer *m_readLater;                                 // reads the last id once typing pauses
    QObject *m_lastIdRead = nullptr;                     // the context of the read under way
    std::optional<StreamFileScanner::Summary> m_summary; // of the file named now
    QByteArray m_lastIdKey;                              // the stream m_lastId was read from
    std::optional<StreamId> m_lastId;                    // its last id, once read
    QString m_lastIdError;
};
