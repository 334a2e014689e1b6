#include "claimdialog.h"

#include "formhint.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

#include <limits>

static QSpinBox *milliseconds(const QString &name, QWidget *parent)
{
    auto *box = new QSpinBox(parent);
    box->setObjectName(name);
    box->setRange(0, std::numeric_limits<int>::max());
    box->setSuffix(ClaimDialog::tr(" ms"));
    box->setGroupSeparatorShown(true);
    return box;
}

ClaimDialog::ClaimDialog(const QStringList &consumers, int entries, QWidget *parent)
    : QDialog(parent)
    , m_consumer(new QComboBox(this))
    , m_minIdle(milliseconds(QStringLiteral("claimMinIdle"), this))
    , m_setIdle(new QCheckBox(tr("Set &IDLE to"), this))
    , m_idle(milliseconds(QStringLiteral("claimIdle"), this))
    , m_setRetry(new QCheckBox(tr("Set &RETRYCOUNT to"), this))
    , m_retry(new QSpinBox(this))
    , m_force(new QCheckBox(tr("&FORCE: claim ids that are not pending too"), this))
    , m_justId(new QCheckBox(tr("&JUSTID: do not count a delivery, return ids only"), this))
    , m_hint(new QLabel(this))
{
    setMinimumWidth(460);
    setWindowTitle(entries < 0 ? tr("Sweep the pending entries (XAUTOCLAIM)")
                               : tr("Claim %Ln pending entries", nullptr, entries));
    m_consumer->setObjectName(QStringLiteral("claimConsumer"));
    m_consumer->setEditable(true);
    m_consumer->addItems(consumers);
    m_consumer->setCurrentIndex(-1);
    m_consumer->lineEdit()->setPlaceholderText(tr("a consumer of the group, or a new name"));
    m_minIdle->setToolTip(tr("Only entries idle at least this long are claimed: an entry that "
                             "another consumer is still working on is left alone"));
    m_setIdle->setObjectName(QStringLiteral("claimSetIdle"));
    m_setRetry->setObjectName(QStringLiteral("claimSetRetry"));
    m_retry->setObjectName(QStringLiteral("claimRetry"));
    m_retry->setRange(0, std::numeric_limits<int>::max());
    m_force->setObjectName(QStringLiteral("claimForce"));
    m_justId->setObjectName(QStringLiteral("claimJustId"));
    m_idle->setEnabled(false);
    m_retry->setEnabled(false);
    m_hint->setObjectName(QStringLiteral("claimHint"));
    m_hint->setWordWrap(true);

    auto *form = new QFormLayout;
    form->addRow(tr("&Consumer:"), m_consumer);
    form->addRow(tr("&Min idle time:"), m_minIdle);
    auto *idleRow = new QHBoxLayout;
    idleRow->addWidget(m_setIdle);
    idleRow->addWidget(m_idle, 1);
    form->addRow(idleRow);
    auto *retryRow = new QHBoxLayout;
    retryRow->addWidget(m_setRetry);
    retryRow->addWidget(m_retry, 1);
    form->addRow(retryRow);
    form->addRow(m_force);
    form->addRow(m_justId);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_ok = buttons->button(QDialogButtonBox::Ok);
    m_ok->setText(tr("Review…"));
    m_ok->setObjectName(QStringLiteral("claimOk"));
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_hint);
    layout->addWidget(buttons);

    if (entries < 0) {
        for (QWidget *w :
             std::initializer_list<QWidget *>{m_setIdle, m_idle, m_setRetry, m_retry, m_force})
            w->hide();
    }
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_setIdle, &QCheckBox::toggled, m_idle, &QWidget::setEnabled);
    connect(m_setRetry, &QCheckBox::toggled, m_retry, &QWidget::setEnabled);
    connect(m_consumer, &QComboBox::editTextChanged, this, [this] {
        if (isVisible())
            m_touched = true;
        validate();
    });
    if (QLineEdit *edit = m_consumer->lineEdit()) {
        connect(edit, &QLineEdit::returnPressed, this, [this] {
            m_touched = true;
            validate();
        });
    }
    validate();
}

PendingActions::ClaimOptions ClaimDialog::options() const
{
    PendingActions::ClaimOptions o;
    o.consumer = m_consumer->currentText().trimmed().toUtf8();
    o.minIdleMs = m_minIdle->value();
    if (m_setIdle->isChecked())
        o.idleMs = m_idle->value();
    if (m_setRetry->isChecked())
        o.retryCount = m_retry->value();
    o.force = m_force->isChecked();
    o.justId = m_justId->isChecked();
    return o;
}

void ClaimDialog::validate()
{
    const QString why = PendingActions::validate(options());
    showFormProblem(m_hint, why, m_touched);
    m_ok->setEnabled(why.isEmpty());
}
