#pragma once

#include "entryreader.h"
#include "streamid.h"

#include <QDialog>

#include <functional>
#include <optional>

class ConnectionSession;
class QComboBox;
class QDateTimeEdit;
class QLabel;
class QLineEdit;
class QPushButton;

// Redrives a range of a stream to another stream: the entries between two ids or two
// times, optionally only those with a field that contains a text, are copied unchanged
// (XADD with new ids) for reprocessing after a consumer bug. Validates as the user types
// (a bad id, From after To, no target, the target being the stream itself); Dry run counts
// what would be copied; Review… reads the entries (asynchronously, shown as it goes) and
// opens the bulk confirmation with the exact XADDs, then progress, pause and the report.
class RedriveDialog : public QDialog
{
    Q_OBJECT
public:
    RedriveDialog(ConnectionSession *session, const QByteArray &key, QWidget *parent = nullptr);

    // What to copy, as the dialog shows it.
    struct Range
    {
        StreamId from;
        StreamId to;
        QByteArray field; // empty: any field
        QByteArray text;  // empty: every entry
        friend bool operator==(const Range &a, const Range &b)
        {
            return a.from == b.from && a.to == b.to && a.field == b.field && a.text == b.text;
        }
    };
    // The range on screen, or nullopt with the reason (when `why` is given).
    std::optional<Range> range(QString *why = nullptr) const;
    QByteArray target() const;
    // Why Review… is disabled (empty when it is not): the hint on screen.
    QString problem() const;
    void setPageSize(int entries) { m_reader->setPageSize(entries); }

    static constexpr qint64 ReadCap = 100000; // entries copied in one run at most

Q_SIGNALS:
    // Entries were copied to `target` (views of it can refresh).
    void redriven(const QByteArray &target);

private:
    void optionsChanged();
    void validate();
    // Reads the entries of `range` that match; `done` runs once they are all read (or the
    // read failed: the reader's error()).
    void read(const Range &range, std::function<void()> done);
    void dryRun();
    void review();

    ConnectionSession *m_session;
    QByteArray m_key;
    QComboBox *m_kind;
    QLineEdit *m_fromId;
    QLineEdit *m_toId;
    QDateTimeEdit *m_from;
    QDateTimeEdit *m_to;
    QLineEdit *m_field;
    QLineEdit *m_text;
    QLineEdit *m_target;
    QLabel *m_count;
    QLabel *m_hint;
    QPushButton *m_dryRun;
    QPushButton *m_review;

    // Reads the entries of m_readRange (all of them once it isDone()).
    EntryReader *m_reader;
    std::optional<Range> m_readRange;
    std::function<void()> m_afterRead;
    std::function<void(qint64 scanned)> m_onProgress;
    bool m_typed = false; // the operator typed, or pressed Enter: a problem shows red
};
