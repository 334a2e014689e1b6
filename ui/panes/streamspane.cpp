#include "streamspane.h"

#include "palette.h"
#include "viewstate.h"

#include "streamlistmodel.h"
#include "streamsortproxy.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QVBoxLayout>

StreamsPane::StreamsPane(QWidget *parent)
    : QWidget(parent)
    , m_proxy(new StreamSortProxy(this))
    , m_view(new QTableView(this))
    , m_filter(new QLineEdit(this))
    , m_count(new QLabel(this))
    , m_progress(new QProgressBar(this))
    , m_cancel(new QPushButton(tr("Cancel scan"), this))
    , m_banner(new QWidget(this))
    , m_bannerText(new QLabel(m_banner))
    , m_retry(new QPushButton(tr("Retry now"), m_banner))
    , m_scanNote(new QLabel(this))
{
    m_banner->setObjectName(QStringLiteral("connectionBanner"));
    m_banner->setAutoFillBackground(true);
    m_bannerText->setWordWrap(true);
    m_bannerText->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *bannerLayout = new QHBoxLayout(m_banner);
    bannerLayout->addWidget(m_bannerText, 1);
    bannerLayout->addWidget(m_retry);
    m_banner->hide();
    connect(m_retry, &QPushButton::clicked, this, &StreamsPane::retryRequested);

    m_filter->setObjectName(QStringLiteral("streamFilter"));
    m_filter->setPlaceholderText(tr("Filter streams by name"));
    m_filter->setClearButtonEnabled(true);
    m_progress->setObjectName(QStringLiteral("scanProgress"));
    m_progress->setRange(0, 1000);
    m_progress->setTextVisible(false);
    m_progress->setMaximumWidth(160);
    m_progress->hide();
    m_cancel->setObjectName(QStringLiteral("cancelScan"));
    m_cancel->hide();
    m_count->setObjectName(QStringLiteral("streamCount"));
    m_scanNote->setObjectName(QStringLiteral("scanNote"));

    auto *top = new QHBoxLayout;
    top->addWidget(m_filter, 1);
    top->addWidget(m_scanNote);
    top->addWidget(m_progress);
    top->addWidget(m_cancel);
    top->addWidget(m_count);

    m_view->setObjectName(QStringLiteral("streamTable"));
    m_view->setModel(m_proxy);
    m_view->setSortingEnabled(true);
    m_view->sortByColumn(StreamListModel::Name, Qt::AscendingOrder);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setAlternatingRowColors(true);
    m_view->setWordWrap(false);
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 8);
    m_view->horizontalHeader()->setHighlightSections(false);
    m_view->horizontalHeader()->setDefaultSectionSize(90);
    // One set of widths for every connection's overview: its columns are the same.
    keepColumnWidths(m_view, QStringLiteral("view/overview/columnWidths"));

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_banner);
    layout->addLayout(top);
    layout->addWidget(m_view, 1);

    connect(m_filter, &QLineEdit::textChanged, this, [this](const QString &text) {
        m_proxy->setFilterFixedString(text);
        updateCounts();
    });
    connect(m_cancel, &QPushButton::clicked, this, [this] {
        if (m_model)
            m_model->cancel();
    });
    connect(m_view, &QTableView::activated, this, [this](const QModelIndex &index) {
        Q_EMIT streamActivated(index.data(StreamListModel::KeyRole).toByteArray());
    });
    connect(m_proxy, &QAbstractItemModel::rowsInserted, this, &StreamsPane::updateCounts);
    connect(m_proxy, &QAbstractItemModel::rowsRemoved, this, &StreamsPane::updateCounts);
    connect(m_proxy, &QAbstractItemModel::modelReset, this, &StreamsPane::updateCounts);
    updateCounts();
}

void StreamsPane::setModel(StreamListModel *model)
{
    if (m_model)
        m_model->disconnect(this);
    m_model = model;
    m_proxy->setSourceModel(model);
    if (model) {
        connect(model, &StreamListModel::scanStarted, this, &StreamsPane::onScanStarted);
        connect(model, &StreamListModel::scanProgressChanged, this, &StreamsPane::onScanProgress);
        connect(model, &StreamListModel::scanFinished, this, &StreamsPane::onScanFinished);
    }
    const bool scanning = model && model->isScanning();
    m_progress->setVisible(scanning);
    m_cancel->setVisible(scanning);
    m_scanNote->clear();
    updateCounts();
}

void StreamsPane::setBanner(const QString &text, const QString &hint, Banner kind)
{
    const bool problem = kind == Banner::Problem;
    m_banner->setPalette(bannerPalette(problem ? Status::Error : Status::Information, palette()));
    m_banner->setVisible(!text.isEmpty());
    m_bannerText->setText(
        hint.isEmpty()
            ? text.toHtmlEscaped()
            : QStringLiteral("<b>%1</b><br>%2").arg(text.toHtmlEscaped(), hint.toHtmlEscaped()));
    m_retry->setVisible(problem);
}

void StreamsPane::refreshDetails()
{
    if (m_model && !m_model->isScanning() && m_model->connection()
        && m_model->connection()->state() == ConnectionState::Connected
        && m_model->rowCount() <= AutoRefreshMaxStreams)
        m_model->reloadDetails();
}

void StreamsPane::refresh()
{
    if (m_model)
        m_model->refresh();
}

void StreamsPane::onScanStarted()
{
    m_progress->setValue(0);
    m_progress->show();
    m_cancel->show();
    m_scanNote->setText(tr("Scanning…"));
}

void StreamsPane::onScanProgress(double progress, int found)
{
    m_progress->setValue(int(progress * 1000));
    m_scanNote->setText(tr("Scanning… %Ln streams", nullptr, found));
}

void StreamsPane::onScanFinished(int found, bool cancelled, const QString &error)
{
    m_proxy->resortNow();
    m_progress->hide();
    m_cancel->hide();
    if (!error.isEmpty())
        m_scanNote->setText(tr("Scan failed: %1").arg(error));
    else if (cancelled)
        m_scanNote->setText(tr("Scan cancelled after %Ln streams", nullptr, found));
    else
        m_scanNote->clear();
    updateCounts();
}

void StreamsPane::updateCounts()
{
    const int total = m_model ? m_model->rowCount() : 0;
    const int shown = m_proxy->rowCount();
    m_count->setText(shown == total ? tr("%n streams", nullptr, total)
                                    : tr("%1 of %n streams", nullptr, total).arg(shown));
    Q_EMIT countsChanged(total, shown);
}
