#include "publishdialog.h"

#include "bulkactiondialog.h"
#include "connectionsession.h"
#include "palette.h"

#include <QButtonGroup>
#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFontDatabase>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QSpinBox>
#include <QTabWidget>
#include <QTableWidget>
#include <QVBoxLayout>

using namespace PublishActions;

namespace {
enum IdMode { AutoId, ExplicitId, MillisecondsId };
enum TrimChoice { NoTrim, MaxLenTrim, MinIdTrim };
// A cell filled from an entry keeps its bytes (which need not be UTF-8) until edited.
constexpr int BytesRole = Qt::UserRole;
constexpr int ShownRole = Qt::UserRole + 1;

QByteArray cellBytes(const QTableWidgetItem *item)
{
    if (!item)
        return {};
    if (item->data(ShownRole).toString() == item->text() && item->data(BytesRole).isValid())
        return item->data(BytesRole).toByteArray();
    return item->text().toUtf8();
}

QTableWidgetItem *cell(const QByteArray &bytes)
{
    auto *item = new QTableWidgetItem(QString::fromUtf8(bytes));
    item->setData(BytesRole, bytes);
    item->setData(ShownRole, item->text());
    return item;
}
} // namespace

PublishDialog::PublishDialog(ConnectionSession *session, const QStringList &streams,
                             const QByteArray &key, QWidget *parent)
    : QDialog(parent)
    , m_session(session)
    , m_stream(new QComboBox(this))
    , m_noMkStream(new QCheckBox(tr("&NOMKSTREAM: only if the stream exists"), this))
    , m_fieldPages(new QTabWidget(this))
    , m_table(new QTableWidget(0, 2, this))
    , m_json(new QPlainTextEdit(this))
    , m_idMode(new QButtonGroup(this))
    , m_explicitId(new QLineEdit(this))
    , m_milliseconds(new QLineEdit(this))
    , m_trim(new QComboBox(this))
    , m_exactness(new QComboBox(this))
    , m_threshold(new QLineEdit(this))
    , m_copies(new QSpinBox(this))
    , m_rate(new QDoubleSpinBox(this))
    , m_hint(new QLabel(this))
    , m_result(new QLabel(this))
{
    setWindowTitle(tr("Publish an entry (XADD)"));
    setMinimumWidth(560);
    m_stream->setObjectName(QStringLiteral("publishStream"));
    m_stream->setEditable(true);
    m_stream->addItems(streams);
    m_stream->setCurrentText(QString::fromUtf8(key));
    m_stream->lineEdit()->setPlaceholderText(tr("an existing stream, or a new name"));
    m_noMkStream->setObjectName(QStringLiteral("publishNoMkStream"));
    m_noMkStream->setToolTip(tr("Publish nothing if the stream does not exist, instead of "
                                "creating it"));

    m_table->setObjectName(QStringLiteral("publishFields"));
    m_table->setHorizontalHeaderLabels({tr("Field"), tr("Value")});
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->verticalHeader()->hide();
    m_table->setWordWrap(false);
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 8);
    m_table->setColumnWidth(0, 160);
    auto *addField = new QPushButton(tr("&Add field"), this);
    auto *removeField = new QPushButton(tr("Re&move field"), this);
    addField->setObjectName(QStringLiteral("publishAddField"));
    removeField->setObjectName(QStringLiteral("publishRemoveField"));
    auto *tablePage = new QWidget(this);
    auto *tableLayout = new QVBoxLayout(tablePage);
    tableLayout->addWidget(m_table);
    auto *tableButtons = new QHBoxLayout;
    tableButtons->addWidget(addField);
    tableButtons->addWidget(removeField);
    tableButtons->addStretch(1);
    tableLayout->addLayout(tableButtons);
    m_json->setObjectName(QStringLiteral("publishJson"));
    m_json->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_json->setPlaceholderText(QStringLiteral("{\"type\": \"order.created\", \"id\": \"42\"}"));
    m_json->setToolTip(tr("A JSON object: each member is a field, in the order typed; a "
                          "string is sent as its value, anything else exactly as typed"));
    m_fieldPages->setObjectName(QStringLiteral("publishFieldPages"));
    m_fieldPages->addTab(tablePage, tr("Fields"));
    m_fieldPages->addTab(m_json, tr("Raw JSON"));

    auto *autoId = new QRadioButton(tr("A&utomatic (*)"), this);
    auto *explicitId = new QRadioButton(tr("E&xplicit:"), this);
    auto *msId = new QRadioButton(tr("&Milliseconds, Redis picks the sequence:"), this);
    autoId->setObjectName(QStringLiteral("publishAutoId"));
    explicitId->setObjectName(QStringLiteral("publishExplicitId"));
    msId->setObjectName(QStringLiteral("publishMsId"));
    m_idMode->addButton(autoId, AutoId);
    m_idMode->addButton(explicitId, ExplicitId);
    m_idMode->addButton(msId, MillisecondsId);
    autoId->setChecked(true);
    const ServerInfo &server = m_session->serverInfo();
    if (server.isKnown() && !server.hasPartialAutoIds()) {
        msId->setEnabled(false);
        msId->setToolTip(tr("<milliseconds>-* ids need Redis 7.0; this server is %1.")
                             .arg(server.displayName()));
    }
    m_explicitId->setObjectName(QStringLiteral("publishId"));
    m_explicitId->setPlaceholderText(QStringLiteral("1700000000000-0"));
    m_milliseconds->setObjectName(QStringLiteral("publishMs"));
    m_milliseconds->setPlaceholderText(QStringLiteral("1700000000000"));
    m_explicitId->setEnabled(false);
    m_milliseconds->setEnabled(false);
    auto *idRows = new QVBoxLayout;
    idRows->addWidget(autoId);
    auto *explicitRow = new QHBoxLayout;
    explicitRow->addWidget(explicitId);
    explicitRow->addWidget(m_explicitId, 1);
    idRows->addLayout(explicitRow);
    auto *msRow = new QHBoxLayout;
    msRow->addWidget(msId);
    msRow->addWidget(m_milliseconds, 1);
    msRow->addWidget(new QLabel(QStringLiteral("-*"), this));
    idRows->addLayout(msRow);

    m_trim->setObjectName(QStringLiteral("publishTrim"));
    m_trim->addItem(tr("Do not trim"), NoTrim);
    m_trim->addItem(tr("MAXLEN: keep the newest"), MaxLenTrim);
    m_trim->addItem(tr("MINID: keep ids from"), MinIdTrim);
    m_exactness->setObjectName(QStringLiteral("publishTrimExactness"));
    m_exactness->addItem(tr("= exactly"));
    m_exactness->addItem(tr("~ about (whole nodes)"));
    m_threshold->setObjectName(QStringLiteral("publishThreshold"));
    m_exactness->setEnabled(false);
    m_threshold->setEnabled(false);
    auto *trimRow = new QHBoxLayout;
    trimRow->addWidget(m_trim);
    trimRow->addWidget(m_exactness);
    trimRow->addWidget(m_threshold, 1);

    m_copies->setObjectName(QStringLiteral("publishCopies"));
    m_copies->setRange(1, int(MaxCopies));
    m_copies->setGroupSeparatorShown(true);
    m_rate->setObjectName(QStringLiteral("publishRate"));
    m_rate->setRange(0, 1e7);
    m_rate->setDecimals(1);
    m_rate->setGroupSeparatorShown(true);
    m_rate->setSpecialValueText(tr("no limit"));
    m_rate->setSuffix(tr(" a second"));
    m_rate->setEnabled(false);
    auto *copiesRow = new QHBoxLayout;
    copiesRow->addWidget(m_copies, 1);
    copiesRow->addWidget(new QLabel(tr("at most"), this));
    copiesRow->addWidget(m_rate, 1);

    m_hint->setObjectName(QStringLiteral("publishHint"));
    m_hint->setWordWrap(true);
    m_hint->setMinimumHeight(m_hint->fontMetrics().lineSpacing() * 2);
    m_hint->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    m_result->setObjectName(QStringLiteral("publishResult"));
    m_result->setWordWrap(true);
    m_result->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *form = new QFormLayout;
    form->addRow(tr("S&tream:"), m_stream);
    form->addRow(QString(), m_noMkStream);
    form->addRow(tr("Id:"), idRows);
    // Labels of rows that are layouts name their buddy themselves (for the mnemonic).
    auto *trimLabel = new QLabel(tr("T&rim:"), this);
    trimLabel->setBuddy(m_trim);
    form->addRow(trimLabel, trimRow);
    auto *copiesLabel = new QLabel(tr("&Copies:"), this);
    copiesLabel->setBuddy(m_copies);
    form->addRow(copiesLabel, copiesRow);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    m_publish = buttons->addButton(tr("&Publish"), QDialogButtonBox::AcceptRole);
    m_publish->setObjectName(QStringLiteral("publishOk"));
    m_publish->setDefault(true);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_fieldPages, 1);
    layout->addLayout(form);
    layout->addWidget(m_hint);
    layout->addWidget(m_result);
    layout->addWidget(buttons);

    connect(buttons, &QDialogButtonBox::accepted, this, &PublishDialog::publish);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(addField, &QPushButton::clicked, this, [this] {
        addFieldRow();
        m_table->setCurrentCell(m_table->rowCount() - 1, 0);
        m_table->editItem(m_table->currentItem());
    });
    connect(removeField, &QPushButton::clicked, this, [this] {
        if (m_table->currentRow() >= 0)
            m_table->removeRow(m_table->currentRow());
        edited();
    });
    connect(m_table, &QTableWidget::itemChanged, this, &PublishDialog::edited);
    connect(m_json, &QPlainTextEdit::textChanged, this, &PublishDialog::edited);
    connect(m_fieldPages, &QTabWidget::currentChanged, this, [this](int page) {
        if (page == 1) {
            showFieldsAsJson();
        } else if (m_jsonProblem.isEmpty()) { // the JSON's fields, back in the table
            Fields fields;
            if (fieldsFromJson(m_json->toPlainText().toUtf8(), &fields).isEmpty())
                setFields(fields);
        }
        validate();
    });
    connect(m_idMode, &QButtonGroup::idToggled, this, [this] {
        m_explicitId->setEnabled(m_idMode->checkedId() == ExplicitId);
        m_milliseconds->setEnabled(m_idMode->checkedId() == MillisecondsId);
        edited();
    });
    connect(m_trim, &QComboBox::currentIndexChanged, this, [this] {
        const bool trims = m_trim->currentData().toInt() != NoTrim;
        m_exactness->setEnabled(trims);
        m_threshold->setEnabled(trims);
        m_threshold->setPlaceholderText(m_trim->currentData().toInt() == MinIdTrim
                                            ? QStringLiteral("1700000000000-0")
                                        : trims ? tr("entries")
                                                : QString());
        edited();
    });
    connect(m_copies, &QSpinBox::valueChanged, this, [this](int copies) {
        m_rate->setEnabled(copies > 1);
        edited();
    });
    for (QLineEdit *edit : {m_explicitId, m_milliseconds, m_threshold, m_stream->lineEdit()})
        connect(edit, &QLineEdit::textChanged, this, &PublishDialog::edited);
    connect(m_exactness, &QComboBox::currentIndexChanged, this, &PublishDialog::edited);
    connect(m_noMkStream, &QCheckBox::toggled, this, &PublishDialog::edited);
    connect(m_rate, &QDoubleSpinBox::valueChanged, this, &PublishDialog::edited);
    addFieldRow();
    validate();
}

void PublishDialog::addFieldRow(const QByteArray &field, const QByteArray &value)
{
    const QSignalBlocker blocker(m_table);
    const int row = m_table->rowCount();
    m_table->insertRow(row);
    m_table->setItem(row, 0, cell(field));
    m_table->setItem(row, 1, cell(value));
}

void PublishDialog::setFields(const Fields &fields)
{
    m_table->setRowCount(0);
    for (const auto &[field, value] : fields)
        addFieldRow(field, value);
    if (fields.isEmpty())
        addFieldRow();
    if (jsonMode())
        showFieldsAsJson();
    validate();
}

void PublishDialog::showFieldsAsJson()
{
    const Fields fields = tableFields();
    const QSignalBlocker blocker(m_json);
    m_json->setPlainText(fields.isEmpty() ? QString() : QString::fromUtf8(fieldsToJson(fields)));
}

void PublishDialog::setLastId(const QByteArray &key, const QByteArray &lastId)
{
    m_lastIdKey = key;
    m_lastId = lastId;
    validate();
}

bool PublishDialog::jsonMode() const
{
    return m_fieldPages->currentIndex() == 1;
}

// The rows with a name or a value; a row with a value but no name is kept (and refused).
Fields PublishDialog::tableFields() const
{
    Fields fields;
    for (int row = 0; row < m_table->rowCount(); ++row) {
        const QByteArray field = cellBytes(m_table->item(row, 0));
        const QByteArray value = cellBytes(m_table->item(row, 1));
        if (!field.isEmpty() || !value.isEmpty())
            fields.append({field, value});
    }
    return fields;
}

Options PublishDialog::options() const
{
    Options o;
    o.key = m_stream->currentText().toUtf8();
    o.fields = jsonMode() ? Fields() : tableFields();
    if (jsonMode())
        fieldsFromJson(m_json->toPlainText().toUtf8(), &o.fields);
    o.idMode = m_idMode->checkedId() == ExplicitId       ? Options::Id::Explicit
               : m_idMode->checkedId() == MillisecondsId ? Options::Id::MillisecondsAuto
                                                         : Options::Id::Auto;
    o.id = (o.idMode == Options::Id::Explicit ? m_explicitId : m_milliseconds)
               ->text()
               .trimmed()
               .toUtf8();
    const int trim = m_trim->currentData().toInt();
    o.trim = trim == MaxLenTrim  ? Options::Trim::MaxLen
             : trim == MinIdTrim ? Options::Trim::MinId
                                 : Options::Trim::None;
    o.approximate = m_exactness->currentIndex() == 1;
    o.threshold = m_threshold->text().trimmed().toUtf8();
    o.noMkStream = m_noMkStream->isChecked();
    o.copies = m_copies->value();
    o.perSecond = o.copies > 1 ? m_rate->value() : 0;
    return o;
}

QString PublishDialog::problem() const
{
    const Options o = options();
    if (jsonMode()) {
        Fields fields;
        QString why = fieldsFromJson(m_json->toPlainText().toUtf8(), &fields);
        if (!why.isEmpty())
            return why;
    } else {
        for (qsizetype i = 0; i < o.fields.size(); ++i) {
            if (o.fields.at(i).first.isEmpty())
                return tr("Field %1 has a value but no name.").arg(i + 1);
        }
    }
    return PublishActions::validate(o, m_session->serverInfo(),
                                    o.key == m_lastIdKey ? m_lastId : QByteArray());
}

void PublishDialog::edited()
{
    m_edited = true;
    validate();
}

void PublishDialog::validate()
{
    const QString why = problem();
    // Its room is kept, so that the rows above do not move.
    if (why.isEmpty() || m_edited) {
        m_hint->setText(why);
        m_hint->setStyleSheet(why.isEmpty() ? QString() : statusStyleSheet(Status::Error));
        m_hint->setEnabled(true);
    } else {
        // Before any input: what to do, drawn as secondary text.
        const bool noFields =
            jsonMode() ? m_json->toPlainText().trimmed().isEmpty() : tableFields().isEmpty();
        m_hint->setText(!noFields    ? why
                        : jsonMode() ? tr("Type the entry as a JSON object: {\"field\": "
                                          "\"value\", …}. Values are sent as typed.")
                                     : tr("Give the entry its fields: a name and a value "
                                          "each."));
        m_hint->setStyleSheet(QString());
        m_hint->setEnabled(false);
    }
    const Options o = options();
    // One entry is simply published; copies, and trimming, are confirmed first.
    m_publish->setText(o.copies > 1 || o.trim != Options::Trim::None ? tr("&Review…")
                                                                     : tr("&Publish"));
    m_publish->setEnabled(why.isEmpty() && !m_sending);
}

void PublishDialog::publish()
{
    if (!problem().isEmpty() || m_sending) {
        edited(); // says what is wrong, as an error now
        return;
    }
    const Options o = options();
    const QString stream = QString::fromUtf8(o.key).toHtmlEscaped();
    if (o.copies > 1 || o.trim != Options::Trim::None) {
        auto *dialog = new BulkActionDialog(m_session, tr("Publish"), this);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        dialog->setObjectName(QStringLiteral("publishBulk"));
        dialog->setUnit(tr("entries"));
        dialog->runner()->setRate(o.perSecond);
        const QLocale locale;
        QString what =
            o.copies == 1
                ? tr("Publish the entry to <b>%1</b>.").arg(stream)
                : tr("Publish %Ln copies of this entry to <b>%1</b>%2.", nullptr, int(o.copies))
                      .arg(stream,
                           o.perSecond > 0
                               ? tr(", at most %1 a second").arg(locale.toString(o.perSecond))
                               : QString());
        if (o.trim != Options::Trim::None)
            what += QLatin1Char(' ')
                    + (o.trim == Options::Trim::MaxLen
                           ? tr("Each XADD trims the stream to %1 its newest %2 entries: older "
                                "ones are deleted.")
                           : tr("Each XADD deletes the entries %1 older than %2."))
                          .arg(o.approximate ? tr("about") : tr("exactly"),
                               QString::fromUtf8(o.threshold).toHtmlEscaped());
        connect(dialog, &BulkActionDialog::ran, this,
                [this, key = o.key] { Q_EMIT published(key); });
        dialog->open();
        dialog->confirm(what,
                        o.copies == 1 ? tr("Publish the entry")
                                      : tr("Publish %Ln entries", nullptr, int(o.copies)),
                        copyChunks(o));
        return;
    }
    m_sending = true;
    m_result->setText(tr("Publishing…"));
    validate();
    const auto shown = [this, key = o.key, stream](const Published &p) {
        m_sending = false;
        validate();
        if (!p.error.isEmpty()) {
            m_result->setText(
                errorWithHintHtml(p.error)
                + (p.maybeApplied
                       ? tr("<br>The connection failed after the entry was sent: it may or may "
                            "not have been published. Look at the stream before publishing "
                            "again.")
                       : QString()));
        } else if (p.notCreated()) {
            m_result->setText(tr("Nothing published: <b>%1</b> does not exist, and NOMKSTREAM "
                                 "says not to create it.")
                                  .arg(stream));
        } else {
            m_result->setText(tr("Published <b>%1</b> to <b>%2</b>.")
                                  .arg(QString::fromUtf8(p.id).toHtmlEscaped(), stream));
            if (key == m_lastIdKey)
                m_lastId = p.id;
            Q_EMIT published(key);
        }
    };
    PublishActions::publish(m_session->connection(), o, this, shown);
}
