#include "deadlettersettingsdialog.h"

#include "connectionsession.h"
#include "deadletterfieldsdialog.h"
#include "deadlettermodel.h"
#include "keyformat.h"
#include "palette.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QLocale>
#include <QPushButton>
#include <QSet>
#include <QVBoxLayout>

#include <algorithm>

DeadLetterSettingsDialog::DeadLetterSettingsDialog(const QString &connectionName,
                                                   const DeadLetterConventions &conventions,
                                                   QWidget *parent)
    : QDialog(parent)
    , m_patterns(new QListWidget(this))
    , m_newPattern(new QLineEdit(this))
    , m_add(new QPushButton(tr("&Add"), this))
    , m_remove(new QPushButton(tr("&Remove"), this))
    , m_up(new QPushButton(tr("U&p"), this))
    , m_down(new QPushButton(tr("Do&wn"), this))
    , m_fields(new DeadLetterFieldsForm(this))
    , m_detect(new QPushButton(tr("&Detect"), this))
    , m_detected(new QListWidget(this))
    , m_hint(new QLabel(this))
{
    setWindowTitle(tr("Dead letters of %1").arg(connectionName));
    m_patterns->setObjectName(QStringLiteral("patterns"));
    m_newPattern->setObjectName(QStringLiteral("newPattern"));
    m_add->setObjectName(QStringLiteral("addPattern"));
    m_remove->setObjectName(QStringLiteral("removePattern"));
    m_up->setObjectName(QStringLiteral("patternUp"));
    m_down->setObjectName(QStringLiteral("patternDown"));
    m_detect->setObjectName(QStringLiteral("detect"));
    m_detected->setObjectName(QStringLiteral("detected"));
    m_hint->setObjectName(QStringLiteral("deadLetterSettingsHint"));
    m_hint->setWordWrap(true);
    m_hint->setStyleSheet(statusStyleSheet(Status::Error));

    m_patterns->setToolTip(tr("Tried in this order; {stream} stands for the source stream's "
                              "key. Double-click a pattern to edit it."));
    m_newPattern->setPlaceholderText(tr("e.g. {stream}:failed"));
    m_detect->setToolTip(tr("Pair the streams listed in the overview under the patterns above"));
    m_detected->setMaximumHeight(fontMetrics().height() * 7);

    auto *patternsBox = new QGroupBox(tr("Dead-letter stream names"), this);
    auto *patternsLayout = new QHBoxLayout(patternsBox);
    patternsLayout->addWidget(m_patterns, 1);
    auto *patternButtons = new QVBoxLayout;
    patternButtons->addWidget(m_up);
    patternButtons->addWidget(m_down);
    patternButtons->addWidget(m_remove);
    patternButtons->addStretch(1);
    patternsLayout->addLayout(patternButtons);
    auto *addRow = new QHBoxLayout;
    addRow->addWidget(m_newPattern, 1);
    addRow->addWidget(m_add);

    auto *fieldsBox = new QGroupBox(tr("Fields of a dead letter (empty: not recorded)"), this);
    auto *form = new QVBoxLayout(fieldsBox);
    m_fields->setParent(fieldsBox);
    form->addWidget(m_fields);
    connect(m_fields, &DeadLetterFieldsForm::edited, this,
            &DeadLetterSettingsDialog::updateWidgets);
    connect(m_fields, &DeadLetterFieldsForm::edited, this, &DeadLetterSettingsDialog::showDetected);
    auto *fieldsNote = new QLabel(tr("Failed at may be ISO 8601, or epoch seconds or "
                                     "milliseconds. Every field but the first six is the "
                                     "payload; replayed without the metadata, the content "
                                     "field gets back its original name."),
                                  fieldsBox);
    fieldsNote->setWordWrap(true);
    form->addWidget(fieldsNote);

    auto *detectRow = new QHBoxLayout;
    detectRow->addWidget(m_detect);
    detectRow->addStretch(1);

    auto *buttons = new QDialogButtonBox(
        QDialogButtonBox::Ok | QDialogButtonBox::Cancel | QDialogButtonBox::RestoreDefaults, this);
    m_ok = buttons->button(QDialogButtonBox::Ok);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(buttons->button(QDialogButtonBox::RestoreDefaults), &QPushButton::clicked, this,
            [this] {
        // A stream's own field names were chosen for that stream: they stay.
        DeadLetterConventions defaults = DeadLetterConventions::defaults();
        defaults.streamFields = m_streamFields;
        setConventions(defaults);
    });

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(patternsBox);
    layout->addLayout(addRow);
    layout->addWidget(fieldsBox);
    layout->addLayout(detectRow);
    layout->addWidget(m_detected);
    layout->addWidget(m_hint);
    layout->addWidget(buttons);

    connect(m_add, &QPushButton::clicked, this, &DeadLetterSettingsDialog::addPattern);
    connect(m_newPattern, &QLineEdit::returnPressed, this, &DeadLetterSettingsDialog::addPattern);
    connect(m_newPattern, &QLineEdit::textChanged, this, &DeadLetterSettingsDialog::updateWidgets);
    connect(m_remove, &QPushButton::clicked, this, &DeadLetterSettingsDialog::removePattern);
    connect(m_up, &QPushButton::clicked, this, [this] { movePattern(-1); });
    connect(m_down, &QPushButton::clicked, this, [this] { movePattern(1); });
    connect(m_detect, &QPushButton::clicked, this, &DeadLetterSettingsDialog::detect);
    connect(m_patterns, &QListWidget::currentRowChanged, this,
            &DeadLetterSettingsDialog::updateWidgets);
    connect(m_patterns, &QListWidget::itemChanged, this, &DeadLetterSettingsDialog::updateWidgets);

    setConventions(conventions);
    detect();
    resize(560, sizeHint().height());
}

void DeadLetterSettingsDialog::setConventions(const DeadLetterConventions &conventions)
{
    m_patterns->clear();
    for (const QString &pattern : conventions.patterns) {
        auto *item = new QListWidgetItem(pattern, m_patterns);
        item->setFlags(item->flags() | Qt::ItemIsEditable);
    }
    m_fields->setFields(conventions);
    m_streamFields = conventions.streamFields;
    updateWidgets();
}

void DeadLetterSettingsDialog::setStreamKeys(const QList<QByteArray> &keys)
{
    m_keys = keys;
    detect();
}

DeadLetterConventions DeadLetterSettingsDialog::conventions() const
{
    DeadLetterConventions c;
    for (int i = 0; i < m_patterns->count(); ++i)
        c.patterns.append(m_patterns->item(i)->text().trimmed());
    static_cast<DeadLetterFields &>(c) = m_fields->fields();
    c.streamFields = m_streamFields;
    for (auto it = m_proposed.cbegin(); it != m_proposed.cend(); ++it)
        c.streamFields.insert(it.key(), it.value());
    return c;
}

QString DeadLetterSettingsDialog::problem() const
{
    const DeadLetterConventions c = conventions();
    QSet<QString> seen;
    for (const QString &pattern : c.patterns) {
        const QString why = DeadLetterConventions::patternProblem(pattern);
        if (!why.isEmpty())
            return tr("\"%1\": %2").arg(pattern, why);
        if (seen.contains(pattern))
            return tr("\"%1\" is listed twice.").arg(pattern);
        seen.insert(pattern);
    }
    return m_fields->problem();
}

void DeadLetterSettingsDialog::addPattern()
{
    const QString pattern = m_newPattern->text().trimmed();
    if (!DeadLetterConventions::patternProblem(pattern).isEmpty()
        || conventions().patterns.contains(pattern))
        return;
    auto *item = new QListWidgetItem(pattern, m_patterns);
    item->setFlags(item->flags() | Qt::ItemIsEditable);
    m_patterns->setCurrentItem(item);
    m_newPattern->clear();
    updateWidgets();
}

void DeadLetterSettingsDialog::removePattern()
{
    delete m_patterns->currentItem();
    updateWidgets();
}

void DeadLetterSettingsDialog::movePattern(int by)
{
    const int row = m_patterns->currentRow();
    const int to = row + by;
    if (row < 0 || to < 0 || to >= m_patterns->count())
        return;
    QListWidgetItem *item = m_patterns->takeItem(row);
    m_patterns->insertItem(to, item);
    m_patterns->setCurrentRow(to);
    updateWidgets();
}

void DeadLetterSettingsDialog::setSession(ConnectionSession *session)
{
    m_session = session;
    detect();
}

void DeadLetterSettingsDialog::detect()
{
    if (m_session && !m_keys.isEmpty()) {
        const QHash<QByteArray, QByteArray> pairs = detectDeadLetterStreams(m_keys, conventions());
        for (const QByteArray &deadLetters : pairs) {
            if (m_samples.contains(deadLetters))
                continue;
            m_samples.insert(deadLetters, {}); // asked for once
            DeadLetterModel::readSample(m_session->connection(), deadLetters, SampleSize, this,
                                        [this, deadLetters](const QList<StreamEntry> &sample) {
                m_samples.insert(deadLetters, sample);
                showDetected();
            });
        }
    }
    showDetected();
}

// The pairs under the patterns as edited, and for each dead-letter stream sampled, the
// field names its dead letters are read with.
void DeadLetterSettingsDialog::showDetected()
{
    m_detected->clear();
    m_proposed.clear();
    if (m_keys.isEmpty()) {
        m_detected->addItem(tr("Connect and list the streams to see which pair up."));
        return;
    }
    const DeadLetterConventions c = conventions();
    const QHash<QByteArray, QByteArray> pairs = detectDeadLetterStreams(m_keys, c);
    if (pairs.isEmpty()) {
        m_detected->addItem(tr("None of the %n streams listed pairs up under these patterns.",
                               nullptr, int(m_keys.size())));
        return;
    }
    const QLocale locale;
    QList<QByteArray> sources = pairs.keys();
    std::sort(sources.begin(), sources.end());
    for (const QByteArray &source : std::as_const(sources)) {
        const QByteArray deadLetters = pairs.value(source);
        QString text = tr("%1  →  %2").arg(displayKey(source), displayKey(deadLetters));
        const QList<StreamEntry> sample = m_samples.value(deadLetters);
        if (!sample.isEmpty()) {
            const QString of = locale.toString(sample.size());
            const int matching = countMatching(sample, c.fieldsFor(deadLetters));
            const FieldMappingProposal p = proposeFieldMapping(sample, m_fields->fields());
            if (matching == 0 && p.matched > 0 && !m_streamFields.contains(deadLetters)) {
                m_proposed.insert(deadLetters, p.fields);
                QStringList names;
                for (const QByteArray &name : p.fields.metadataFields())
                    names << displayKey(name);
                text += tr("  ·  %1 names in %2 of %3 sampled, kept for it: %4")
                            .arg(p.naming, locale.toString(p.matched), of, names.join(tr(", ")));
            } else if (matching == 0) {
                text += tr("  ·  none of %1 sampled has these fields, nor any Weir knows").arg(of);
            } else {
                text += tr("  ·  %1 of %2 sampled match%3")
                            .arg(locale.toString(matching), of,
                                 m_streamFields.contains(deadLetters) ? tr(" (its own names)")
                                                                      : QString());
            }
        }
        m_detected->addItem(text);
    }
}

void DeadLetterSettingsDialog::updateWidgets()
{
    const int row = m_patterns->currentRow();
    m_remove->setEnabled(row >= 0);
    m_up->setEnabled(row > 0);
    m_down->setEnabled(row >= 0 && row < m_patterns->count() - 1);
    const QString typed = m_newPattern->text().trimmed();
    QString why = problem();
    const QString typedProblem = DeadLetterConventions::patternProblem(typed);
    m_add->setEnabled(!typed.isEmpty() && typedProblem.isEmpty()
                      && !conventions().patterns.contains(typed));
    if (why.isEmpty() && !typed.isEmpty() && !typedProblem.isEmpty())
        why = tr("New pattern: %1").arg(typedProblem);
    m_ok->setEnabled(problem().isEmpty());
    if (why.isEmpty() && m_patterns->count() == 0)
        why = tr("No patterns: no stream will be taken for a dead-letter stream.");
    m_hint->setText(why);
    m_hint->setVisible(!why.isEmpty());
}
