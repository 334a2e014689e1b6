#include "alertspane.h"

#include "alertlogmodel.h"
#include "viewstate.h"

#include <QBoxLayout>
#include <QCheckBox>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTableView>

AlertsPane::AlertsPane(AlertLogModel *model, QWidget *parent)
    : QDockWidget(tr("Alerts"), parent)
    , m_model(model)
    , m_filter(new AlertLogFilter(this))
    , m_activeOnly(new QCheckBox(tr("&Active only"), this))
    , m_count(new QLabel(this))
    , m_rules(new QPushButton(tr("Alert &rules…"), this))
    , m_clear(new QPushButton(tr("C&lear"), this))
    , m_view(new QTableView(this))
{
    setObjectName(QStringLiteral("alertsPane"));
    m_filter->setSourceModel(m_model);
    m_activeOnly->setObjectName(QStringLiteral("alertsActiveOnly"));
    m_activeOnly->setToolTip(tr("Show only the alerts that have fired and not cleared yet"));
    m_count->setObjectName(QStringLiteral("alertsCount"));
    m_rules->setObjectName(QStringLiteral("alertRulesButton"));
    m_rules->setToolTip(tr("Thresholds of the selected connection's alerts, globally and per "
                           "stream or group"));
    m_clear->setObjectName(QStringLiteral("alertsClear"));
    m_clear->setToolTip(tr("Empty the log; alerts still active stay"));

    m_view->setObjectName(QStringLiteral("alertsView"));
    m_view->setModel(m_filter);
    setUpLogTable(m_view);
    keepColumnWidths(m_view, QStringLiteral("view/alerts/columnWidths"));
    m_view->horizontalHeader()->setHighlightSections(false);

    auto *top = new QHBoxLayout;
    top->addWidget(m_activeOnly);
    top->addSpacing(12);
    top->addWidget(m_count);
    top->addStretch(1);
    top->addWidget(m_rules);
    top->addWidget(m_clear);
    auto *content = new QWidget(this);
    auto *layout = new QVBoxLayout(content);
    layout->setContentsMargins(6, 4, 6, 6);
    layout->addLayout(top);
    layout->addWidget(m_view, 1);
    setWidget(content);

    connect(m_activeOnly, &QCheckBox::toggled, this, [this](bool on) {
        m_filter->setActiveOnly(on);
        updateWidgets();
    });
    connect(m_rules, &QPushButton::clicked, this, &AlertsPane::rulesRequested);
    connect(m_clear, &QPushButton::clicked, m_model, &AlertLogModel::clear);
    connect(m_model, &AlertLogModel::activeChanged, this, &AlertsPane::updateWidgets);
    connect(m_filter, &QAbstractItemModel::rowsInserted, this, &AlertsPane::updateWidgets);
    connect(m_filter, &QAbstractItemModel::rowsRemoved, this, &AlertsPane::updateWidgets);
    connect(m_filter, &QAbstractItemModel::modelReset, this, &AlertsPane::updateWidgets);
    updateWidgets();
}

void AlertsPane::updateWidgets()
{
    const int active = m_model->activeCount();
    const int rows = m_model->rowCount();
    setWindowTitle(active == 0 ? tr("Alerts") : tr("Alerts (%n active)", nullptr, active));
    if (rows == 0)
        m_count->setText(tr("No alerts yet"));
    else
        m_count->setText(tr("%n active", nullptr, active) + QStringLiteral(" · ")
                         + tr("%n in the log", nullptr, rows));
    m_clear->setEnabled(rows > active);
}

void AlertsPane::showEvent(QShowEvent *event)
{
    QDockWidget::showEvent(event);
    if (m_columnsSized)
        return;
    m_columnsSized = true;
    const QFontMetrics fm = fontMetrics();
    const int pad = 2 * fm.averageCharWidth() + 8;
    m_view->setColumnWidth(AlertLogModel::Time,
                           fm.horizontalAdvance(QStringLiteral("00:00:00")) + pad);
    m_view->setColumnWidth(AlertLogModel::Connection, 14 * fm.averageCharWidth());
    m_view->setColumnWidth(AlertLogModel::Stream, 18 * fm.averageCharWidth());
    m_view->setColumnWidth(AlertLogModel::Where, 22 * fm.averageCharWidth());
    m_view->setColumnWidth(AlertLogModel::Rule, 23 * fm.averageCharWidth());
    m_view->setColumnWidth(AlertLogModel::Value, 22 * fm.averageCharWidth());
    m_view->setColumnWidth(AlertLogModel::Threshold, 14 * fm.averageCharWidth());
}
