#include "dashboardview.h"

#include "dashboardmodel.h"
#include "errorhint.h"
#include "inspectorcells.h"
#include "palette.h"
#include "sparklinedelegate.h"
#include "streammonitor.h"
#include "viewstate.h"

#include <QComboBox>
#include <QDateTime>
#include <QDoubleSpinBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QSpinBox>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

DashboardView::DashboardView(QWidget *parent)
    : QWidget(parent)
    , m_model(new DashboardModel(this))
    , m_proxy(new DashboardSortProxy(this))
    , m_filter(new QLineEdit(this))
    , m_table(new QTableView(this))
    , m_status(new QLabel(this))
    , m_statusTimer(new QTimer(this))
    , m_interval(new QDoubleSpinBox(this))
    , m_watch(new QComboBox(this))
    , m_cap(new QSpinBox(this))
    , m_chosen(new QLineEdit(this))
    , m_samplingHint(new QLabel(this))
{
    m_proxy->setSourceModel(m_model);

    m_filter->setObjectName(QStringLiteral("dashboardFilter"));
    m_filter->setPlaceholderText(tr("Filter streams and groups"));
    m_filter->setClearButtonEnabled(true);
    connect(m_filter, &QLineEdit::textChanged, this, [this](const QString &text) {
        m_proxy->setFilterText(text.trimmed());
        updateStatus();
    });

    m_table->setObjectName(QStringLiteral("dashboardTable"));
    m_table->setModel(m_proxy);
    m_table->setItemDelegateForColumn(
        DashboardModel::Sparkline, new SparklineDelegate(DashboardModel::SparklinePoints, m_table));
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    m_table->setTextElideMode(Qt::ElideRight);
    m_table->verticalHeader()->hide();
    // Fixed row heights: the view never measures 3,000 rows.
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_table->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 10);
    QHeaderView *header = m_table->horizontalHeader();
    header->setSectionResizeMode(QHeaderView::Interactive);
    header->setHighlightSections(false);
    // Sized to the first figures (the sparkline's column to its points), then as the user
    // leaves them.
    keepColumnWidths(m_table, QStringLiteral("view/dashboard/columnWidths"));
    // A sparkline narrower than its points would drop some: room for all of them from the
    // start.
    const int sparkline = DashboardModel::SparklinePoints + 16;
    if (header->sectionSize(DashboardModel::Sparkline) < sparkline)
        header->resizeSection(DashboardModel::Sparkline, sparkline);
    // Worst first, as the proxy starts.
    header->setSortIndicator(m_proxy->sortColumn(), m_proxy->sortOrder());
    m_table->setSortingEnabled(true);
    connect(m_table, &QAbstractItemView::activated, this, [this](const QModelIndex &index) {
        Q_EMIT chartRequested(index.data(DashboardModel::StreamRole).toByteArray(),
                              index.data(DashboardModel::GroupRole).toByteArray());
    });
    m_table->setToolTip(tr("Double-click a row, or press Enter, to open its charts."));

    m_status->setObjectName(QStringLiteral("dashboardStatus"));
    m_status->setTextFormat(Qt::PlainText);
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);

    // How the monitor samples: the interval, and which streams it watches.
    m_interval->setObjectName(QStringLiteral("dashboardInterval"));
    m_interval->setRange(StreamMonitor::MinIntervalMs / 1000.0,
                         StreamMonitor::MaxIntervalMs / 1000.0);
    m_interval->setDecimals(1);
    m_interval->setSingleStep(0.5);
    m_interval->setSuffix(tr(" s"));
    m_interval->setValue(StreamMonitor::DefaultIntervalMs / 1000.0);
    m_interval->setKeyboardTracking(false);
    m_watch->setObjectName(QStringLiteral("dashboardWatch"));
    m_watch->addItem(tr("all streams, at most"));
    m_watch->addItem(tr("only these streams:"));
    m_cap->setObjectName(QStringLiteral("dashboardCap"));
    m_cap->setRange(1, 100000);
    m_cap->setValue(StreamMonitor::DefaultWatchCap);
    m_cap->setKeyboardTracking(false);
    m_chosen->setObjectName(QStringLiteral("dashboardChosen"));
    m_chosen->setPlaceholderText(tr("stream keys, separated by spaces"));
    m_chosen->setClearButtonEnabled(true);
    m_samplingHint->setObjectName(QStringLiteral("dashboardSamplingHint"));
    m_samplingHint->setStyleSheet(statusStyleSheet(Status::Error));
    auto *sampling = new QHBoxLayout;
    auto *every = new QLabel(tr("Sample &every"), this);
    every->setBuddy(m_interval);
    auto *watch = new QLabel(tr("&watching"), this);
    watch->setBuddy(m_watch);
    sampling->addWidget(every);
    sampling->addWidget(m_interval);
    sampling->addWidget(watch);
    sampling->addWidget(m_watch);
    sampling->addWidget(m_cap);
    sampling->addWidget(m_chosen, 1);
    sampling->addWidget(m_samplingHint);
    sampling->addStretch(0);
    const auto changed = [this] {
        const bool chosen = m_watch->currentIndex() == 1;
        m_cap->setVisible(!chosen);
        m_chosen->setVisible(chosen);
        const QList<QByteArray> streams = chosenStreams();
        m_samplingHint->setText(chosen && streams.isEmpty() ? tr("Name at least one stream.")
                                                            : QString());
        if (chosen && streams.isEmpty())
            return; // nothing to watch: keep what is watched now
        Q_EMIT samplingChanged(int(qRound(m_interval->value() * 1000)), m_cap->value(),
                               chosen ? streams : QList<QByteArray>());
    };
    connect(m_interval, &QDoubleSpinBox::valueChanged, this, changed);
    connect(m_cap, &QSpinBox::valueChanged, this, changed);
    connect(m_watch, &QComboBox::currentIndexChanged, this, changed);
    connect(m_chosen, &QLineEdit::editingFinished, this, changed);
    m_chosen->hide();

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->addLayout(sampling);
    layout->addWidget(m_filter);
    layout->addWidget(m_table, 1);
    layout->addWidget(m_status);

    connect(m_model, &DashboardModel::ticked, this, &DashboardView::updateStatus);
    connect(m_model, &QAbstractItemModel::rowsInserted, this, &DashboardView::updateStatus);
    connect(m_model, &QAbstractItemModel::rowsRemoved, this, &DashboardView::updateStatus);
    // "n s ago" keeps counting when ticks stop coming.
    connect(m_statusTimer, &QTimer::timeout, this, &DashboardView::updateStatus);
    m_statusTimer->start(1000);
    updateStatus();
}

DashboardView::~DashboardView() = default;

QList<QByteArray> DashboardView::chosenStreams() const
{
    QList<QByteArray> streams;
    const QStringList words = m_chosen->text().split(QLatin1Char(' '), Qt::SkipEmptyParts);
    for (const QString &word : words) {
        const QByteArray key = word.toUtf8();
        if (!streams.contains(key))
            streams.append(key);
    }
    return streams;
}

void DashboardView::showFigures(const MonitorFigures &figures)
{
    m_model->update(figures);
}

void DashboardView::setDeadLetterStreamsLeftOut(int count)
{
    m_deadLetterStreamsLeftOut = count;
    updateStatus();
}

QString DashboardView::statusText() const
{
    return m_status->text();
}

void DashboardView::updateStatus()
{
    if (m_model->tickCount() == 0) {
        m_status->setText(tr("Waiting for the first sample…"));
        return;
    }
    QStringList parts;
    const int streams = m_model->streamCount();
    const int groups = m_model->groupCount();
    QString counts = tr("%Ln streams", nullptr, streams);
    // A chosen list watches its dead-letter streams like any other.
    if (m_deadLetterStreamsLeftOut > 0 && m_watch->currentIndex() != 1) {
        counts += QLatin1Char(' ')
                  + tr("(and %Ln dead-letter streams, counted in their sources' Dead letters)",
                       nullptr, m_deadLetterStreamsLeftOut);
    }
    parts << counts + QStringLiteral(" · ") + tr("%Ln groups watched", nullptr, groups);
    // The cap is the one setting that hides streams without an error: say it.
    if (m_model->streamsLeftOut() > 0) {
        parts << tr("watching %L1 of %L2 streams: raise the cap to watch all")
                     .arg(streams)
                     .arg(streams + m_model->streamsLeftOut());
    }
    if (m_proxy->rowCount() != m_model->rowCount())
        parts
            << tr("showing %1 of %Ln rows", nullptr, m_model->rowCount()).arg(m_proxy->rowCount());
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    if (m_model->lastTickMs() > 0) {
        const QDateTime last = QDateTime::fromMSecsSinceEpoch(m_model->lastTickMs());
        QString tick =
            tr("last sample %1").arg(QLocale().toString(last.time(), QStringLiteral("HH:mm:ss")));
        const qint64 age = now - m_model->lastTickMs();
        if (age >= 5000)
            tick += QLatin1Char(' ') + tr("(%1 ago)").arg(formatDurationMs(age / 1000 * 1000));
        parts << tick;
    } else {
        parts << tr("no sample yet");
    }
    if (m_model->failedTicks() > 0)
        parts << tr("%Ln ticks failed", nullptr, m_model->failedTicks());
    QString text = parts.join(QStringLiteral(" · "));
    if (m_model->lastTickFailed()
        || (m_model->failedTicks() > 0 && now - m_model->lastErrorMs() < 60 * 1000)) {
        text += QLatin1Char('\n') + tr("Last error: %1").arg(m_model->lastError());
        const QString hint = errorHint(m_model->lastError());
        if (!hint.isEmpty())
            text += QStringLiteral(" — ") + hint;
    }
    m_status->setText(text);
}
