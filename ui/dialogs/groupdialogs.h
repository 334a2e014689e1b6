#pragma once

#include "groupactions.h"

#include <QDialog>
#include <QLineEdit>

class QButtonGroup;
class QCheckBox;
class QDateTimeEdit;
class QLabel;
class QLineEdit;
class QPushButton;
class QRadioButton;
class QSpinBox;

// Where a group is to be: at the end, at the start, after an id, from a date-time, and
// (for a group that exists) back or forward by a number of entries. Emits changed() on
// every edit; position() and check() read it.
class PositionEditor : public QWidget
{
    Q_OBJECT
public:
    // withSteps: offer "back" and "forward" (a group that exists).
    explicit PositionEditor(bool withSteps, QWidget *parent = nullptr);

    GroupActions::Position position() const;
    // Why the position cannot be used (empty when it can).
    QString check() const;
    // Legal but probably not meant (a time in the future).
    QString warning() const;

Q_SIGNALS:
    void changed();

private:
    void update();

    QButtonGroup *m_kinds;
    QLineEdit *m_id;
    QDateTimeEdit *m_time;
    QSpinBox *m_back;
    QSpinBox *m_forward;
};

// The OK button and the hint under a form: OK ("Review…") is enabled only without an
// error; the hint shows a warning in amber, and the error as a plain hint until the user
// types in a watched field or presses Enter in it, in red after that.
class ValidatedDialog : public QDialog
{
    Q_OBJECT
public:
    explicit ValidatedDialog(QWidget *parent = nullptr);

protected:
    // Lays out `form` above the hint and the buttons.
    void setForm(QLayout *form);
    void showCheck(const QString &error, const QString &warning);
    // Typing in `edit`, or Enter in it (trying to go on), makes errors errors; Enter
    // calls `check` to show them.
    template<typename Check> void watchEdit(QLineEdit *edit, Check check)
    {
        connect(edit, &QLineEdit::textEdited, this, [this] { m_touched = true; });
        connect(edit, &QLineEdit::returnPressed, this, [this, check] {
            m_touched = true;
            check();
        });
    }
    bool m_touched = false;
    QLabel *m_hint;
    QPushButton *m_ok;
};

// A new consumer group: its name, where it starts, and MKSTREAM.
class NewGroupDialog : public ValidatedDialog
{
    Q_OBJECT
public:
    // existing: the stream's groups; streamExists: whether the stream is there (otherwise
    // MKSTREAM is checked).
    NewGroupDialog(const QByteArray &key, const QStringList &existing, bool streamExists,
                   QWidget *parent = nullptr);

    QByteArray name() const;
    GroupActions::Position position() const { return m_position->position(); }
    bool mkstream() const;

private:
    void validate();

    QStringList m_existing;
    QLineEdit *m_name;
    PositionEditor *m_position;
    QCheckBox *m_mkstream;
};

// A group's new position (XGROUP SETID).
class SetPositionDialog : public ValidatedDialog
{
    Q_OBJECT
public:
    SetPositionDialog(const GroupInfo &group, QWidget *parent = nullptr);

    GroupActions::Position position() const { return m_position->position(); }

private:
    void validate();

    PositionEditor *m_position;
};

// A new consumer of a group (XGROUP CREATECONSUMER).
class NewConsumerDialog : public ValidatedDialog
{
    Q_OBJECT
public:
    NewConsumerDialog(const QByteArray &group, const QStringList &existing,
                      QWidget *parent = nullptr);

    QByteArray name() const;

private:
    void validate();

    QStringList m_existing;
    QLineEdit *m_name;
};
