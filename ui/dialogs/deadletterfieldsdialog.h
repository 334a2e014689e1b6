#pragma once

#include "deadletters.h"

#include <QDialog>
#include <QList>

class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;

// The names of a dead letter's eight fields, one line each, and (given a sample of dead
// letters) how many of them carry each one. Shared by the connection's dead-letter
// settings and by one stream's field names.
class DeadLetterFieldsForm : public QWidget
{
    Q_OBJECT
public:
    explicit DeadLetterFieldsForm(QWidget *parent = nullptr);

    void setFields(const DeadLetterFields &fields);
    DeadLetterFields fields() const;
    // A name given to two fields (each field carries one thing); empty when none is.
    QString problem() const;
    // The dead letters the counts beside the names are taken from (none: no counts).
    void setSample(const QList<StreamEntry> &sample);

Q_SIGNALS:
    void edited();

private:
    void updateCounts();

    QList<QLineEdit *> m_edits; // in DeadLetterFields' order
    QList<QLabel *> m_counts;
    QList<StreamEntry> m_sample;
};

// The field names one dead-letter stream's dead letters are read and replayed with. Detect
// proposes them from a sample of the stream (snake_case, camelCase, kebab-case, usual
// synonyms); the operator sees how many sampled dead letters carry each field and which
// dead letters match, edits, and keeps them for this stream. Never talks to Redis: it is
// given the sample.
class DeadLetterFieldsDialog : public QDialog
{
    Q_OBJECT
public:
    DeadLetterFieldsDialog(const QByteArray &key, const DeadLetterConventions &conventions,
                           const QList<StreamEntry> &sample, QWidget *parent = nullptr);

    // Fills the form with what the sample suggests.
    void detect();
    DeadLetterFields fields() const;

private:
    void updateWidgets();

    DeadLetterConventions m_conventions;
    QList<StreamEntry> m_sample;
    QLabel *m_summary;
    DeadLetterFieldsForm *m_form;
    QListWidget *m_entries;
    QLabel *m_hint;
    QPushButton *m_ok;
    QString m_naming; // of the last proposal
};
