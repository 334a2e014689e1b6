#pragma once

#include "publishactions.h"

#include <QDialog>

class ConnectionSession;
class QButtonGroup;
class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QRadioButton;
class QSpinBox;
class QTableWidget;
class QTabWidget;

// Publishes an entry (XADD): the target stream (existing or new), the fields as a table or
// as raw JSON, the id (automatic, explicit, or <ms>-*), trimming (MAXLEN or MINID, = or ~),
// NOMKSTREAM, and N copies at a limited rate for load tests. Validates as the user types
// and on Publish; the button stays disabled with the reason shown (a neutral hint until
// the user has changed anything). Raw JSON is published as typed: fields in their order,
// numbers, literals and nested objects by their text. One entry without trimming is published
// at once and the dialog stays open for the next; copies, and anything that trims, are
// confirmed with their exact commands first and run as a bulk action.
class PublishDialog : public QDialog
{
    Q_OBJECT
public:
    PublishDialog(ConnectionSession *session, const QStringList &streams, const QByteArray &key,
                  QWidget *parent = nullptr);

    // Fills the field table (a copy of an entry).
    void setFields(const PublishActions::Fields &fields);
    // The last id of `key`, known to the caller: an explicit id for it must be greater.
    void setLastId(const QByteArray &key, const QByteArray &lastId);
    PublishActions::Options options() const;
    // Why the options cannot be sent (empty when they can): the hint on screen.
    QString problem() const;

Q_SIGNALS:
    // Something was written to `key` (views of it can refresh).
    void published(const QByteArray &key);

private:
    void validate();
    // The user changed something: from now on a problem is shown as one.
    void edited();
    void publish();
    void showFieldsAsJson();
    void addFieldRow(const QByteArray &field = {}, const QByteArray &value = {});
    PublishActions::Fields tableFields() const;
    bool jsonMode() const;

    ConnectionSession *m_session;
    QComboBox *m_stream;
    QCheckBox *m_noMkStream;
    QTabWidget *m_fieldPages;
    QTableWidget *m_table;
    QPlainTextEdit *m_json;
    QButtonGroup *m_idMode;
    QLineEdit *m_explicitId;
    QLineEdit *m_milliseconds;
    QComboBox *m_trim;
    QComboBox *m_exactness;
    QLineEdit *m_threshold;
    QSpinBox *m_copies;
    QDoubleSpinBox *m_rate;
    QLabel *m_hint;
    QLabel *m_result;
    QPushButton *m_publish;
    QByteArray m_lastIdKey;
    QByteArray m_lastId;
    QString m_jsonProblem; // why the JSON text does not make fields
    bool m_sending = false;
    // Nothing was typed or chosen yet: what is missing is said as a neutral hint, not as
    // an error (a dialog that opens in red reads as if the user had done something wrong).
    bool m_edited = false;
};
