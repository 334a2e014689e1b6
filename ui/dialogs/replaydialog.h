#pragma once

#include "deadletteractions.h"
#include "entryreader.h"

#include <QDateTime>
#include <QDialog>

#include <optional>

class ConnectionSession;
class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QRadioButton;
class QSpinBox;
class QTableWidget;

// Replays dead letters: the selected ones, those matching the dead-letter view's filter,
// or all, to each one's original stream or to a stream the operator names; metadata
// stripped or kept, an optional replay counter field, a rate limit. The dead letters of
// the scope are read first (XRANGE pages, or the selected ids), never on the GUI thread's
// time; Dry run then shows exactly what would be written, and where, changing nothing.
// Review… opens the bulk confirmation with the exact commands and a backup offer, then
// progress, pause and resume, and the report. Which of the two ways of replaying applies
// (one script per dead letter, or copy then remove) is said in words.
class ReplayDialog : public QDialog
{
    Q_OBJECT
public:
    // What to replay from: a dead-letter stream, the ids selected in a view, its filter.
    struct Source
    {
        ConnectionSession *session = nullptr;
        QByteArray key; // the dead-letter stream
        DeadLetterConventions conventions = DeadLetterConventions::defaults();
        QList<QByteArray> selected;
        std::optional<QByteArray> reason; // nullopt: every reason
        QDateTime from;                   // invalid: open
        QDateTime to;
        bool cluster = false; // the keys may live on different nodes
    };
    explicit ReplayDialog(const Source &source, QWidget *parent = nullptr);

    enum Scope { Selected, Filtered, All };
    DeadLetterActions::ReplayOptions options() const;
    // Why Review… is disabled (empty when it is not): the hint on screen. `fromInput` (may
    // be null) says whether it is about what the operator typed or chose.
    QString problem(bool *fromInput = nullptr) const;
    // Dead letters per page when reading the scope.
    void setPageSize(int entries) { m_reader->setPageSize(entries); }

    static constexpr int PreviewRows = 300;
    static constexpr int MaxFieldShown = 2000; // bytes of a value the dry run shows
    static constexpr qint64 ReadCap = 100000;  // dead letters read for one replay at most

Q_SIGNALS:
    // A replay ran (the dead-letter view and the target streams can refresh).
    void replayed();

private:
    void scopeChanged();
    void onRead();
    void optionsChanged();
    void plan();
    void showPreview();
    void showFields();
    void validate();
    void review();
    QString targetsInWords() const;

    Source m_source;
    QComboBox *m_scope;
    QRadioButton *m_toOriginal;
    QRadioButton *m_toStream;
    QLineEdit *m_target;
    QCheckBox *m_strip;
    QLineEdit *m_counter;
    QSpinBox *m_rate;
    QLabel *m_path;
    QLabel *m_status;
    QTableWidget *m_preview;
    QLabel *m_counts;
    QLabel *m_hint;
    QPlainTextEdit *m_fields; // the current dry-run row, field by field
    QPushButton *m_dryRun;
    QPushButton *m_review;

    // Reads the scope's dead letters (the selected ids no longer there are its missing()).
    EntryReader *m_reader;
    // What replaying the dead letters read would write.
    QList<DeadLetterActions::ReplayItem> m_plan;
    bool m_dryRunShown = false;
    bool m_typed = false; // the operator typed, or tried to go on: input errors show red
};
