#include "alertrulesdialog.h"

#include "keyformat.h"
#include "palette.h"

#include <QCheckBox>
#include <QComboBox>
#include <QCompleter>
#include <QDialogButtonBox>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

#include <algorithm>

namespace {
enum OverrideColumn { StreamColumn, GroupColumn, RuleColumn, SwitchColumn, ThresholdColumn };
enum Switch { Inherit, On, Off };

QString thresholdText(double value)
{
    return QLocale().toString(value, 'g', 12).remove(QLocale().groupSeparator());
}
} // namespace

AlertRulesDialog::AlertRulesDialog(const QString &connectionName, const AlertRules &rules,
                                   QWidget *parent)
    : QDialog(parent)
    , m_rules(rules)
    , m_hint(new QLabel(this))
    , m_overrides(new QTableWidget(0, 5, this))
    , m_stream(new QLineEdit(this))
    , m_group(new QLineEdit(this))
    , m_rule(new QComboBox(this))
    , m_switch(new QComboBox(this))
    , m_overrideThreshold(new QLineEdit(this))
    , m_add(new QPushButton(tr("A&dd or update"), this))
    , m_remove(new QPushButton(tr("&Remove"), this))
    , m_overrideHint(new QLabel(this))
{
    setWindowTitle(tr("Alert rules of %1").arg(connectionName));
    const QString hintStyle = statusStyleSheet(Status::Error);

    auto *globalBox = new QGroupBox(tr("Every stream and group"), this);
    auto *grid = new QGridLayout(globalBox);
    const char *const names[AlertRuleCount] = {"Backlog", "TimeLag", "DeadLetter", "IdleConsumer"};
    const QString explain[AlertRuleCount] = {
        tr("a group's lag is above"),
        tr("a group's oldest undelivered entry is older than"),
        tr("a stream's dead-letter stream gains at least"),
        tr("a consumer holding pending entries has been idle longer than"),
    };
    for (int i = 0; i < AlertRuleCount; ++i) {
        const auto rule = AlertRule(i);
        m_enabled[i] = new QCheckBox(alertRuleName(rule), globalBox);
        m_enabled[i]->setObjectName(QStringLiteral("enabled") + QLatin1String(names[i]));
        m_threshold[i] = new QLineEdit(globalBox);
        m_threshold[i]->setObjectName(QStringLiteral("threshold") + QLatin1String(names[i]));
        m_threshold[i]->setFixedWidth(fontMetrics().horizontalAdvance(QStringLiteral("0000000000"))
                                      + 16);
        m_threshold[i]->setToolTip(
            tr("Default: %1").arg(formatAlertValue(rule, AlertRules::defaultThreshold(rule))));
        auto *before = new QLabel(explain[i], globalBox);
        auto *unit = new QLabel(alertRuleUnit(rule), globalBox);
        grid->addWidget(m_enabled[i], i, 0);
        grid->addWidget(before, i, 1);
        grid->addWidget(m_threshold[i], i, 2);
        grid->addWidget(unit, i, 3);
        connect(m_enabled[i], &QCheckBox::toggled, this, &AlertRulesDialog::updateWidgets);
        connect(m_threshold[i], &QLineEdit::textChanged, this, &AlertRulesDialog::updateWidgets);
    }
    grid->setColumnStretch(4, 1);
    auto *how = new QLabel(tr("An alert fires once when its value goes above the threshold "
                              "and clears when the value is back to 90% of it. Dead letters "
                              "already there when Weir starts watching are not new; that "
                              "alert clears after a minute without a new one."),
                           globalBox);
    how->setWordWrap(true);
    grid->addWidget(how, AlertRuleCount, 0, 1, 5);

    auto *overridesBox = new QGroupBox(
        tr("Per stream or group (a group's setting beats its stream's, which beats the above)"),
        this);
    m_overrides->setObjectName(QStringLiteral("overrides"));
    m_overrides->setHorizontalHeaderLabels(
        {tr("Stream"), tr("Group"), tr("Rule"), tr("On/off"), tr("Threshold")});
    m_overrides->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_overrides->setSelectionMode(QAbstractItemView::SingleSelection);
    m_overrides->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_overrides->verticalHeader()->hide();
    m_overrides->horizontalHeader()->setStretchLastSection(true);
    m_overrides->setMinimumHeight(fontMetrics().height() * 7);
    m_stream->setObjectName(QStringLiteral("overrideStream"));
    m_stream->setPlaceholderText(tr("stream key"));
    m_group->setObjectName(QStringLiteral("overrideGroup"));
    m_group->setPlaceholderText(tr("every group"));
    m_rule->setObjectName(QStringLiteral("overrideRule"));
    for (int i = 0; i < AlertRuleCount; ++i)
        m_rule->addItem(alertRuleName(AlertRule(i)), i);
    m_switch->setObjectName(QStringLiteral("overrideSwitch"));
    m_switch->addItems({tr("as above"), tr("on"), tr("off")});
    m_overrideThreshold->setObjectName(QStringLiteral("overrideThreshold"));
    m_overrideThreshold->setPlaceholderText(tr("as above"));
    m_add->setObjectName(QStringLiteral("addOverride"));
    m_remove->setObjectName(QStringLiteral("removeOverride"));
    m_overrideHint->setObjectName(QStringLiteral("overrideHint"));
    m_overrideHint->setStyleSheet(hintStyle);
    m_overrideHint->setWordWrap(true);

    auto *form = new QGridLayout;
    form->addWidget(new QLabel(tr("&Stream:"), overridesBox), 0, 0);
    form->addWidget(m_stream, 0, 1);
    form->addWidget(new QLabel(tr("&Group:"), overridesBox), 0, 2);
    form->addWidget(m_group, 0, 3);
    form->addWidget(new QLabel(tr("R&ule:"), overridesBox), 1, 0);
    form->addWidget(m_rule, 1, 1);
    form->addWidget(new QLabel(tr("&On/off:"), overridesBox), 1, 2);
    form->addWidget(m_switch, 1, 3);
    form->addWidget(new QLabel(tr("&Threshold:"), overridesBox), 2, 0);
    form->addWidget(m_overrideThreshold, 2, 1);
    for (QLabel *label : overridesBox->findChildren<QLabel *>()) {
        const int index = form->indexOf(label);
        if (index < 0)
            continue;
        int row, column, rs, cs;
        form->getItemPosition(index, &row, &column, &rs, &cs);
        label->setBuddy(form->itemAtPosition(row, column + 1)->widget());
    }
    auto *formButtons = new QHBoxLayout;
    formButtons->addStretch(1);
    formButtons->addWidget(m_add);
    formButtons->addWidget(m_remove);
    form->addLayout(formButtons, 2, 2, 1, 2);
    form->setColumnStretch(1, 1);
    form->setColumnStretch(3, 1);
    auto *overridesLayout = new QVBoxLayout(overridesBox);
    overridesLayout->addWidget(m_overrides, 1);
    overridesLayout->addLayout(form);
    overridesLayout->addWidget(m_overrideHint);

    m_hint->setObjectName(QStringLiteral("alertRulesHint"));
    m_hint->setStyleSheet(hintStyle);
    m_hint->setWordWrap(true);

    auto *buttons = new QDialogButtonBox(
        QDialogButtonBox::Ok | QDialogButtonBox::Cancel | QDialogButtonBox::RestoreDefaults, this);
    m_ok = buttons->button(QDialogButtonBox::Ok);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(buttons->button(QDialogButtonBox::RestoreDefaults), &QPushButton::clicked, this,
            [this] { setRules(AlertRules::defaults()); });

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(globalBox);
    layout->addWidget(m_hint);
    layout->addWidget(overridesBox, 1);
    layout->addWidget(buttons);

    connect(m_add, &QPushButton::clicked, this, &AlertRulesDialog::addOverride);
    connect(m_remove, &QPushButton::clicked, this, &AlertRulesDialog::removeOverride);
    connect(m_overrides, &QTableWidget::itemSelectionChanged, this,
            &AlertRulesDialog::loadSelectedOverride);
    for (QLineEdit *edit : {m_stream, m_group, m_overrideThreshold})
        connect(edit, &QLineEdit::textChanged, this, &AlertRulesDialog::updateWidgets);
    connect(m_rule, &QComboBox::currentIndexChanged, this, &AlertRulesDialog::updateWidgets);
    connect(m_switch, &QComboBox::currentIndexChanged, this, &AlertRulesDialog::updateWidgets);

    setRules(rules);
    resize(680, sizeHint().height());
}

void AlertRulesDialog::setStreamKeys(const QList<QByteArray> &keys)
{
    QStringList names;
    for (const QByteArray &key : keys)
        names.append(QString::fromUtf8(key));
    auto *completer = new QCompleter(names, m_stream);
    completer->setCaseSensitivity(Qt::CaseInsensitive);
    m_stream->setCompleter(completer);
}

void AlertRulesDialog::setRules(const AlertRules &rules)
{
    m_rules = rules;
    for (int i = 0; i < AlertRuleCount; ++i) {
        m_enabled[i]->setChecked(rules.globalEnabled(AlertRule(i)));
        m_threshold[i]->setText(thresholdText(rules.globalThreshold(AlertRule(i))));
    }
    fillOverrides();
    updateWidgets();
}

void AlertRulesDialog::fillOverrides()
{
    const QList<AlertRules::Scope> scopes = m_rules.overriddenScopes();
    m_overrides->setRowCount(int(scopes.size()));
    for (int row = 0; row < scopes.size(); ++row) {
        const AlertRules::Scope &scope = scopes[row];
        const AlertOverride o = m_rules.override(scope);
        auto set = [this, row](int column, const QString &text) {
            m_overrides->setItem(row, column, new QTableWidgetItem(text));
        };
        set(StreamColumn, displayKey(scope.stream));
        set(GroupColumn, scope.group.isEmpty() ? tr("(every group)") : displayKey(scope.group));
        set(RuleColumn, alertRuleName(scope.rule));
        set(SwitchColumn, !o.enabled ? tr("as above") : *o.enabled ? tr("on") : tr("off"));
        set(ThresholdColumn,
            o.threshold ? formatAlertValue(scope.rule, *o.threshold) : tr("as above"));
        m_overrides->item(row, StreamColumn)->setData(Qt::UserRole, scope.stream);
        m_overrides->item(row, GroupColumn)->setData(Qt::UserRole, scope.group);
        m_overrides->item(row, RuleColumn)->setData(Qt::UserRole, int(scope.rule));
    }
    const int ch = fontMetrics().averageCharWidth();
    m_overrides->resizeColumnsToContents();
    const int minimum[] = {24 * ch, 18 * ch, 18 * ch};
    for (int column = StreamColumn; column <= RuleColumn; ++column)
        m_overrides->setColumnWidth(column,
                                    std::max(minimum[column], m_overrides->columnWidth(column)));
    m_overrides->setColumnWidth(SwitchColumn, 10 * ch);
}

QString AlertRulesDialog::problem() const
{
    for (int i = 0; i < AlertRuleCount; ++i) {
        const auto rule = AlertRule(i);
        if (!m_enabled[i]->isChecked())
            continue; // an unused threshold keeps its last good value
        QString why;
        if (!parseAlertThreshold(rule, m_threshold[i]->text(), &why))
            return tr("%1 threshold: %2.").arg(alertRuleName(rule), why);
    }
    return {};
}

QString AlertRulesDialog::overrideProblem() const
{
    if (m_stream->text().isEmpty())
        return tr("To override a rule, name the stream (and a group for one group only).");
    const auto rule = AlertRule(m_rule->currentData().toInt());
    QString why;
    if (!m_overrideThreshold->text().trimmed().isEmpty()
        && !parseAlertThreshold(rule, m_overrideThreshold->text(), &why))
        return tr("Override threshold: %1.").arg(why);
    if (m_switch->currentIndex() == Inherit && m_overrideThreshold->text().trimmed().isEmpty())
        return tr("Nothing to override: switch the rule on or off, or type a threshold.");
    if (rule == AlertRule::DeadLetter && !m_group->text().isEmpty())
        return tr("Dead letters belong to a stream, not a group: leave the group empty.");
    return {};
}

void AlertRulesDialog::addOverride()
{
    if (!overrideProblem().isEmpty())
        return;
    const auto rule = AlertRule(m_rule->currentData().toInt());
    AlertOverride o;
    if (m_switch->currentIndex() != Inherit)
        o.enabled = m_switch->currentIndex() == On;
    if (!m_overrideThreshold->text().trimmed().isEmpty())
        o.threshold = parseAlertThreshold(rule, m_overrideThreshold->text(), nullptr);
    m_rules.setOverride({m_stream->text().toUtf8(), m_group->text().toUtf8(), rule}, o);
    fillOverrides();
    updateWidgets();
}

void AlertRulesDialog::removeOverride()
{
    const int row = m_overrides->currentRow();
    if (row < 0 || !m_overrides->item(row, StreamColumn))
        return;
    m_rules.setOverride({m_overrides->item(row, StreamColumn)->data(Qt::UserRole).toByteArray(),
                         m_overrides->item(row, GroupColumn)->data(Qt::UserRole).toByteArray(),
                         AlertRule(m_overrides->item(row, RuleColumn)->data(Qt::UserRole).toInt())},
                        {});
    fillOverrides();
    updateWidgets();
}

void AlertRulesDialog::loadSelectedOverride()
{
    const int row = m_overrides->currentRow();
    if (row < 0 || !m_overrides->item(row, StreamColumn)
        || m_overrides->selectedItems().isEmpty()) {
        updateWidgets();
        return;
    }
    const AlertRules::Scope scope{
        m_overrides->item(row, StreamColumn)->data(Qt::UserRole).toByteArray(),
        m_overrides->item(row, GroupColumn)->data(Qt::UserRole).toByteArray(),
        AlertRule(m_overrides->item(row, RuleColumn)->data(Qt::UserRole).toInt())};
    const AlertOverride o = m_rules.override(scope);
    m_stream->setText(QString::fromUtf8(scope.stream));
    m_group->setText(QString::fromUtf8(scope.group));
    m_rule->setCurrentIndex(m_rule->findData(int(scope.rule)));
    m_switch->setCurrentIndex(!o.enabled ? Inherit : *o.enabled ? On : Off);
    m_overrideThreshold->setText(o.threshold ? thresholdText(*o.threshold) : QString());
    updateWidgets();
}

AlertRules AlertRulesDialog::rules() const
{
    AlertRules rules = m_rules;
    for (int i = 0; i < AlertRuleCount; ++i) {
        const auto rule = AlertRule(i);
        rules.setGlobalEnabled(rule, m_enabled[i]->isChecked());
        if (const auto t = parseAlertThreshold(rule, m_threshold[i]->text(), nullptr))
            rules.setGlobalThreshold(rule, *t);
    }
    return rules;
}

void AlertRulesDialog::updateWidgets()
{
    for (int i = 0; i < AlertRuleCount; ++i)
        m_threshold[i]->setEnabled(m_enabled[i]->isChecked());
    const QString why = problem();
    m_hint->setText(why);
    m_hint->setVisible(!why.isEmpty());
    m_ok->setEnabled(why.isEmpty());
    const QString overrideWhy = overrideProblem();
    // Nothing typed yet is not a problem to shout about: the hint then just says how.
    m_overrideHint->setText(overrideWhy);
    m_overrideHint->setStyleSheet(m_stream->text().isEmpty()
                                      ? QStringLiteral("color: palette(window-text)")
                                      : statusStyleSheet(Status::Error));
    m_add->setEnabled(overrideWhy.isEmpty());
    m_remove->setEnabled(m_overrides->currentRow() >= 0 && !m_overrides->selectedItems().isEmpty());
}
