#include "deadletterfieldsdialog.h"

#include "keyformat.h"
#include "palette.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QLocale>
#include <QPushButton>
#include <QSet>
#include <QVBoxLayout>

namespace {
struct FieldRow
{
    const char *label;
    const char *objectName;
    QByteArray DeadLetterFields::*member;
};
const FieldRow kFieldRows[] = {
    {QT_TRANSLATE_NOOP("DeadLetterFieldsForm", "Original &stream:"), "fieldOriginalStream",
     &DeadLetterFields::originalStreamField},
    {QT_TRANSLATE_NOOP("DeadLetterFieldsForm", "Original &id:"), "fieldOriginalId",
     &DeadLetterFields::originalIdField},
    {QT_TRANSLATE_NOOP("DeadLetterFieldsForm", "&Group:"), "fieldGroup",
     &DeadLetterFields::groupField},
    {QT_TRANSLATE_NOOP("DeadLetterFieldsForm", "Rea&son:"), "fieldReason",
     &DeadLetterFields::reasonField},
    {QT_TRANSLATE_NOOP("DeadLetterFieldsForm", "Retry &count:"), "fieldRetryCount",
     &DeadLetterFields::retryCountField},
    {QT_TRANSLATE_NOOP("DeadLetterFieldsForm", "&Failed at:"), "fieldFailedAt",
     &DeadLetterFields::failedAtField},
    {QT_TRANSLATE_NOOP("DeadLetterFieldsForm", "Con&tent:"), "fieldContent",
     &DeadLetterFields::contentField},
    {QT_TRANSLATE_NOOP("DeadLetterFieldsForm", "Content replays &as:"), "fieldContentOriginal",
     &DeadLetterFields::contentOriginalField},
};
constexpr int ContentOriginalRow = 7; // names where content goes, not a field read

bool hasField(const StreamEntry &e, const QByteArray &name)
{
    for (const auto &field : e.fields) {
        if (field.first == name)
            return true;
    }
    return false;
}
} // namespace

DeadLetterFieldsForm::DeadLetterFieldsForm(QWidget *parent)
    : QWidget(parent)
{
    auto *form = new QFormLayout(this);
    form->setContentsMargins(0, 0, 0, 0);
    for (const FieldRow &row : kFieldRows) {
        auto *edit = new QLineEdit(this);
        edit->setObjectName(QLatin1String(row.objectName));
        auto *count = new QLabel(this);
        count->setObjectName(QLatin1String(row.objectName) + QStringLiteral("Count"));
        count->setEnabled(false); // drawn as a note
        count->setMinimumWidth(fontMetrics().horizontalAdvance(tr("in 100 of 100")) + 8);
        auto *line = new QHBoxLayout;
        line->addWidget(edit, 1);
        line->addWidget(count);
        auto *label = new QLabel(tr(row.label), this);
        label->setBuddy(edit); // its mnemonic reaches the line, and "&" is not drawn
        form->addRow(label, line);
        m_edits.append(edit);
        m_counts.append(count);
        connect(edit, &QLineEdit::textChanged, this, &DeadLetterFieldsForm::updateCounts);
        connect(edit, &QLineEdit::textChanged, this, &DeadLetterFieldsForm::edited);
    }
    updateCounts();
}

void DeadLetterFieldsForm::setFields(const DeadLetterFields &fields)
{
    for (qsizetype i = 0; i < m_edits.size(); ++i)
        m_edits.at(i)->setText(QString::fromUtf8(fields.*kFieldRows[i].member));
}

DeadLetterFields DeadLetterFieldsForm::fields() const
{
    DeadLetterFields f;
    for (qsizetype i = 0; i < m_edits.size(); ++i)
        f.*kFieldRows[i].member = m_edits.at(i)->text().trimmed().toUtf8();
    return f;
}

QString DeadLetterFieldsForm::problem() const
{
    const DeadLetterFields f = fields();
    QSet<QByteArray> names;
    for (int i = 0; i < ContentOriginalRow; ++i) {
        const QByteArray name = f.*kFieldRows[i].member;
        if (name.isEmpty())
            continue;
        if (names.contains(name))
            return tr("The field \"%1\" is named twice: each field carries one thing.")
                .arg(QString::fromUtf8(name));
        names.insert(name);
    }
    return {};
}

void DeadLetterFieldsForm::setSample(const QList<StreamEntry> &sample)
{
    m_sample = sample;
    updateCounts();
}

void DeadLetterFieldsForm::updateCounts()
{
    const QLocale locale;
    for (int i = 0; i < m_counts.size(); ++i) {
        const QByteArray name = m_edits.at(i)->text().trimmed().toUtf8();
        QLabel *count = m_counts.at(i);
        count->setVisible(!m_sample.isEmpty() && i != ContentOriginalRow);
        if (m_sample.isEmpty() || name.isEmpty()) {
            count->clear();
            continue;
        }
        int n = 0;
        for (const StreamEntry &e : std::as_const(m_sample))
            n += hasField(e, name) ? 1 : 0;
        count->setText(tr("in %1 of %2").arg(locale.toString(n), locale.toString(m_sample.size())));
    }
}

DeadLetterFieldsDialog::DeadLetterFieldsDialog(const QByteArray &key,
                                               const DeadLetterConventions &conventions,
                                               const QList<StreamEntry> &sample, QWidget *parent)
    : QDialog(parent)
    , m_conventions(conventions)
    , m_sample(sample)
    , m_summary(new QLabel(this))
    , m_form(new DeadLetterFieldsForm(this))
    , m_entries(new QListWidget(this))
    , m_hint(new QLabel(this))
{
    setWindowTitle(tr("Fields of the dead letters in %1").arg(displayKey(key)));
    m_summary->setObjectName(QStringLiteral("deadLetterFieldsSummary"));
    m_entries->setObjectName(QStringLiteral("deadLetterFieldsSample"));
    m_hint->setObjectName(QStringLiteral("deadLetterFieldsHint"));
    m_summary->setWordWrap(true);
    m_hint->setWordWrap(true);
    m_hint->setStyleSheet(statusStyleSheet(Status::Error));
    m_entries->setMinimumHeight(fontMetrics().lineSpacing() * 6);
    m_form->setSample(sample);

    auto *detect = new QPushButton(tr("&Detect"), this);
    detect->setObjectName(QStringLiteral("deadLetterFieldsDetect"));
    detect->setToolTip(tr("Propose the names these dead letters use: snake_case, camelCase, "
                          "kebab-case, or the usual synonyms (error, attempts, topic, payload…)"));
    detect->setEnabled(!sample.isEmpty());
    auto *connectionNames = new QPushButton(tr("&Connection's names"), this);
    connectionNames->setObjectName(QStringLiteral("deadLetterFieldsConnection"));
    connectionNames->setToolTip(tr("The names every other dead-letter stream of this connection "
                                   "is read with"));
    connect(detect, &QPushButton::clicked, this, &DeadLetterFieldsDialog::detect);
    connect(connectionNames, &QPushButton::clicked, this, [this] {
        m_naming.clear();
        m_form->setFields(m_conventions);
    });

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_ok = buttons->button(QDialogButtonBox::Ok);
    m_ok->setText(tr("&Keep for this stream"));
    buttons->addButton(detect, QDialogButtonBox::ActionRole);
    buttons->addButton(connectionNames, QDialogButtonBox::ResetRole);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *sampleTitle = new QLabel(tr("Dead letters &sampled (newest first)"), this);
    sampleTitle->setBuddy(m_entries);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_summary);
    layout->addWidget(m_form);
    layout->addWidget(sampleTitle);
    layout->addWidget(m_entries, 1);
    layout->addWidget(m_hint);
    layout->addWidget(buttons);

    connect(m_form, &DeadLetterFieldsForm::edited, this, &DeadLetterFieldsDialog::updateWidgets);
    m_form->setFields(conventions.fieldsFor(key));
    updateWidgets();
}

void DeadLetterFieldsDialog::detect()
{
    const FieldMappingProposal p = proposeFieldMapping(m_sample, m_conventions);
    m_naming = p.naming;
    m_form->setFields(p.fields);
    updateWidgets();
}

DeadLetterFields DeadLetterFieldsDialog::fields() const
{
    return m_form->fields();
}

void DeadLetterFieldsDialog::updateWidgets()
{
    const QLocale locale;
    const DeadLetterFields f = fields();
    const QList<QByteArray> metadata = f.metadataFields();
    int matched = 0;
    m_entries->clear();
    for (const StreamEntry &e : std::as_const(m_sample)) {
        int n = 0;
        for (const QByteArray &name : metadata)
            n += hasField(e, name) ? 1 : 0;
        matched += n > 0 ? 1 : 0;
        QString text;
        if (n > 0) {
            text = tr("%1   %2 of the %3 metadata fields")
                       .arg(e.id.toString(), locale.toString(n), locale.toString(metadata.size()));
        } else {
            QStringList names;
            for (const auto &field : e.fields)
                names << displayKey(field.first);
            text = tr("%1   none: it has %2").arg(e.id.toString(), names.join(tr(", ")));
        }
        auto *item = new QListWidgetItem(text, m_entries);
        item->setData(Qt::UserRole, n);
        if (n == 0)
            item->setForeground(statusColor(Status::Error, m_entries->palette()));
    }
    QString summary;
    if (m_sample.isEmpty()) {
        summary = tr("No dead letters were read to propose names from.");
    } else {
        summary = tr("%1 of the %n dead letters sampled have at least one of these metadata "
                     "fields.",
                     nullptr, int(m_sample.size()))
                      .arg(locale.toString(matched));
        if (!m_naming.isEmpty())
            summary = tr("Detect found %1 names.").arg(m_naming) + QLatin1Char(' ') + summary;
    }
    m_summary->setText(summary);
    const QString why = m_form->problem();
    m_hint->setText(why);
    m_hint->setVisible(!why.isEmpty());
    m_ok->setEnabled(why.isEmpty());
}
