#include "groupdialogs.h"

#include "palette.h"

#include <climits>

#include <QButtonGroup>
#include <QCheckBox>
#include <QDateTimeEdit>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QGridLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QRadioButton>
#include <QSpinBox>
#include <QVBoxLayout>

PositionEditor::PositionEditor(bool withSteps, QWidget *parent)
    : QWidget(parent)
    , m_kinds(new QButtonGroup(this))
    , m_id(new QLineEdit(this))
    , m_time(new QDateTimeEdit(this))
    , m_back(new QSpinBox(this))
    , m_forward(new QSpinBox(this))
{
    using GroupActions::Position;
    auto *grid = new QGridLayout(this);
    grid->setContentsMargins(0, 0, 0, 0);
    grid->setColumnStretch(1, 1);
    // Options with a value: the button, the value, what it means; the others span the row.
    const auto option = [this, grid](Position::Kind kind, const QString &name, const QString &text,
                                     QWidget *editor, const QString &after = {}) {
        auto *button = new QRadioButton(text, this);
        button->setObjectName(name);
        m_kinds->addButton(button, kind);
        const int row = grid->rowCount();
        if (!editor) {
            grid->addWidget(button, row, 0, 1, 3);
            return;
        }
        grid->addWidget(button, row, 0);
        grid->addWidget(editor, row, 1);
        if (!after.isEmpty())
            grid->addWidget(new QLabel(after, this), row, 2);
    };
    option(Position::End, QStringLiteral("positionEnd"),
           tr("At the &end ($): only entries added from now on"), nullptr);
    option(Position::Start, QStringLiteral("positionStart"),
           tr("At the &start (0): every entry in the stream"), nullptr);
    option(Position::Id, QStringLiteral("positionId"), tr("After the &id"), m_id);
    option(Position::Time, QStringLiteral("positionTime"), tr("From the date-&time"), m_time,
           tr("(its entries and later ones)"));
    if (withSteps) {
        option(Position::Back, QStringLiteral("positionBack"), tr("&Back by"), m_back,
               tr("entries (delivered again)"));
        option(Position::Forward, QStringLiteral("positionForward"), tr("&Forward by"), m_forward,
               tr("entries (skipped)"));
    } else {
        m_back->hide();
        m_forward->hide();
    }

    m_id->setObjectName(QStringLiteral("positionIdEdit"));
    m_id->setPlaceholderText(tr("such as 1700000000000-0"));
    m_id->setMinimumWidth(m_id->fontMetrics().horizontalAdvance(QStringLiteral("0")) * 28);
    m_id->setToolTip(tr("The group delivers the entries after this id"));
    m_time->setObjectName(QStringLiteral("positionTimeEdit"));
    m_time->setDisplayFormat(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
    m_time->setCalendarPopup(true);
    m_time->setMinimumDateTime(QDateTime::fromMSecsSinceEpoch(0));
    m_time->setDateTime(QDateTime::fromSecsSinceEpoch(QDateTime::currentSecsSinceEpoch() - 3600));
    m_time->setToolTip(tr("The group delivers the entries added at or after this time (local "
                          "time): it is placed after the last entry before it"));
    for (QSpinBox *steps : {m_back, m_forward}) {
        steps->setRange(0, 100'000'000);
        steps->setGroupSeparatorShown(true);
        steps->setValue(1);
    }
    m_back->setObjectName(QStringLiteral("backSteps"));
    m_forward->setObjectName(QStringLiteral("forwardSteps"));

    // Editing a value picks its option.
    const auto pick = [this](Position::Kind kind) {
        return [this, kind] {
            m_kinds->button(kind)->setChecked(true);
            Q_EMIT changed();
        };
    };
    connect(m_id, &QLineEdit::textEdited, this, pick(Position::Id));
    connect(m_time, &QDateTimeEdit::dateTimeChanged, this, pick(Position::Time));
    connect(m_back, &QSpinBox::valueChanged, this, pick(Position::Back));
    connect(m_forward, &QSpinBox::valueChanged, this, pick(Position::Forward));
    connect(m_kinds, &QButtonGroup::idToggled, this, [this](int, bool on) {
        if (on)
            Q_EMIT changed();
    });
    if (!withSteps)
        m_kinds->button(Position::End)->setChecked(true);
}

GroupActions::Position PositionEditor::position() const
{
    GroupActions::Position p;
    p.kind = GroupActions::Position::Kind(qMax(0, m_kinds->checkedId()));
    p.id = m_id->text().trimmed().toUtf8();
    p.time = m_time->dateTime();
    p.steps = p.kind == GroupActions::Position::Back ? m_back->value() : m_forward->value();
    return p;
}

QString PositionEditor::check() const
{
    if (m_kinds->checkedId() < 0)
        return tr("Choose where the group is to be.");
    return GroupActions::checkPosition(position());
}

QString PositionEditor::warning() const
{
    if (m_kinds->checkedId() == GroupActions::Position::Time
        && m_time->dateTime() > QDateTime::currentDateTime())
        return tr("This time is later than now: the group is placed after the stream's last "
                  "entry, as at the end.");
    return {};
}

ValidatedDialog::ValidatedDialog(QWidget *parent)
    : QDialog(parent)
    , m_hint(new QLabel(this))
{
    m_hint->setObjectName(QStringLiteral("hint"));
    m_hint->setWordWrap(true);
    setMinimumWidth(520);
}

void ValidatedDialog::setForm(QLayout *form)
{
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_ok = buttons->button(QDialogButtonBox::Ok);
    m_ok->setText(tr("Review…"));
    m_ok->setObjectName(QStringLiteral("ok"));
    m_ok->setToolTip(tr("Shows the exact command before anything is sent"));
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_hint);
    layout->addStretch(1);
    layout->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
}

void ValidatedDialog::showCheck(const QString &error, const QString &warning)
{
    const QString text = error.isEmpty() ? warning : error;
    m_hint->setText(text);
    const QString errorInk = m_touched ? statusStyleSheet(Status::Error) : QString();
    m_hint->setStyleSheet(!error.isEmpty() ? errorInk : statusStyleSheet(Status::Warning));
    m_hint->setVisible(!text.isEmpty());
    m_ok->setEnabled(error.isEmpty());
}

NewGroupDialog::NewGroupDialog(const QByteArray &key, const QStringList &existing,
                               bool streamExists, QWidget *parent)
    : ValidatedDialog(parent)
    , m_existing(existing)
    , m_name(new QLineEdit(this))
    , m_position(new PositionEditor(false, this))
    , m_mkstream(new QCheckBox(tr("Create the stream if it does not exist (&MKSTREAM)"), this))
{
    setWindowTitle(tr("New consumer group on %1").arg(QString::fromUtf8(key)));
    m_name->setObjectName(QStringLiteral("groupName"));
    m_name->setPlaceholderText(tr("such as workers"));
    m_mkstream->setObjectName(QStringLiteral("mkstream"));
    m_mkstream->setChecked(!streamExists);
    auto *form = new QFormLayout;
    form->addRow(tr("&Name:"), m_name);
    form->addRow(tr("Deliver:"), m_position);
    form->addRow(m_mkstream);
    setForm(form);
    watchEdit(m_name, [this] { validate(); });
    connect(m_name, &QLineEdit::textChanged, this, &NewGroupDialog::validate);
    connect(m_position, &PositionEditor::changed, this, &NewGroupDialog::validate);
    validate();
}

QByteArray NewGroupDialog::name() const
{
    return m_name->text().toUtf8();
}

bool NewGroupDialog::mkstream() const
{
    return m_mkstream->isChecked();
}

void NewGroupDialog::validate()
{
    const GroupActions::Check name = GroupActions::checkGroupName(m_name->text(), m_existing);
    showCheck(name.ok() ? m_position->check() : name.error,
              name.warning.isEmpty() ? m_position->warning() : name.warning);
}

SetPositionDialog::SetPositionDialog(const GroupInfo &group, QWidget *parent)
    : ValidatedDialog(parent)
    , m_position(new PositionEditor(true, this))
{
    const QLocale locale;
    setWindowTitle(tr("Set the position of group %1").arg(QString::fromUtf8(group.name)));
    auto *now = new QLabel(this);
    now->setObjectName(QStringLiteral("currentPosition"));
    now->setWordWrap(true);
    now->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QString text = tr("Last delivered: %1").arg(group.lastDeliveredId.toString());
    if (!group.lastDeliveredId.isZero())
        text += tr(" (%1)").arg(locale.toString(group.lastDeliveredId.time().toLocalTime(),
                                                QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz")));
    text += group.lag
                ? tr(", %Ln entries to deliver", nullptr, int(qMin<qint64>(*group.lag, INT_MAX)))
                : tr(", lag unknown");
    text += tr(", %1 pending.").arg(locale.toString(group.pending));
    now->setText(text);
    auto *form = new QFormLayout;
    form->addRow(now);
    form->addRow(tr("Move to:"), m_position);
    setForm(form);
    connect(m_position, &PositionEditor::changed, this, &SetPositionDialog::validate);
    validate();
}

void SetPositionDialog::validate()
{
    showCheck(m_position->check(), m_position->warning());
}

NewConsumerDialog::NewConsumerDialog(const QByteArray &group, const QStringList &existing,
                                     QWidget *parent)
    : ValidatedDialog(parent)
    , m_existing(existing)
    , m_name(new QLineEdit(this))
{
    setWindowTitle(tr("New consumer in group %1").arg(QString::fromUtf8(group)));
    m_name->setObjectName(QStringLiteral("consumerName"));
    m_name->setPlaceholderText(tr("such as worker-1"));
    auto *form = new QFormLayout;
    form->addRow(tr("&Name:"), m_name);
    setForm(form);
    watchEdit(m_name, [this] { validate(); });
    connect(m_name, &QLineEdit::textChanged, this, &NewConsumerDialog::validate);
    validate();
}

QByteArray NewConsumerDialog::name() const
{
    return m_name->text().toUtf8();
}

void NewConsumerDialog::validate()
{
    const GroupActions::Check c = GroupActions::checkConsumerName(m_name->text(), m_existing);
    showCheck(c.error, c.warning);
}
