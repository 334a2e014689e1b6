#include "groupspane.h"

#include "bulkactiondialog.h"
#include "claimdialog.h"
#include "consumersmodel.h"
#include "groupsmodel.h"
#include "pendingactions.h"
#include "pendingmodel.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QSpinBox>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QVBoxLayout>

#include <algorithm>
#include <utility>

static QTableView *table(QAbstractItemModel *model, const QString &name, QWidget *parent)
{
    auto *view = new QTableView(parent);
    view->setObjectName(name);
    view->setModel(model);
    view->setSelectionBehavior(QAbstractItemView::SelectRows);
    view->setSelectionMode(QAbstractItemView::SingleSelection);
    view->setAlternatingRowColors(true);
    view->setWordWrap(false);
    view->verticalHeader()->hide();
    view->verticalHeader()->setDefaultSectionSize(view->fontMetrics().height() + 6);
    view->horizontalHeader()->setStretchLastSection(true);
    view->horizontalHeader()->setDefaultSectionSize(130);
    return view;
}

GroupsPane::GroupsPane(RedisConnection *connection, const QByteArray &key, QWidget *parent)
    : QWidget(parent)
    , m_connection(connection)
    , m_key(key)
    , m_groups(new GroupsModel(this))
    , m_consumers(new ConsumersModel(this))
    , m_pending(new PendingModel(this))
    , m_groupsView(table(m_groups, QStringLiteral("groupsView"), this))
    , m_pendingView(table(m_pending, QStringLiteral("pendingView"), this))
    , m_consumerFilter(new QLineEdit(this))
    , m_idleFilter(new QSpinBox(this))
    , m_histogram(new QLabel(this))
    , m_error(new QLabel(this))
    , m_ackSelected(new QPushButton(tr("Ac&k selected…"), this))
    , m_ackMatching(new QPushButton(tr("Ack all &matching…"), this))
    , m_claimSelected(new QPushButton(tr("C&laim selected…"), this))
    , m_sweep(new QPushButton(tr("S&weep idle…"), this))
{
    auto *refresh = new QPushButton(tr("&Refresh"), this);
    refresh->setObjectName(QStringLiteral("refreshGroups"));
    m_error->setObjectName(QStringLiteral("groupsError"));
    m_error->setWordWrap(true);
    m_error->setStyleSheet(QStringLiteral("color: #b42318"));
    m_error->hide();
    m_groupsView->setColumnWidth(GroupsModel::Name, 180);
    m_groupsView->setColumnWidth(GroupsModel::LastDeliveredId, 170);
    m_groupsView->setColumnWidth(GroupsModel::Lag, 220); // "unknown · ≈ 12,345 (estimated)"

    auto *consumersView = table(m_consumers, QStringLiteral("consumersView"), this);

    m_consumerFilter->setObjectName(QStringLiteral("consumerFilter"));
    m_consumerFilter->setPlaceholderText(tr("any consumer"));
    m_consumerFilter->setClearButtonEnabled(true);
    m_idleFilter->setObjectName(QStringLiteral("idleFilter"));
    m_idleFilter->setRange(0, 30 * 24 * 3600);
    m_idleFilter->setSuffix(tr(" s"));
    m_idleFilter->setSpecialValueText(tr("any idle time"));
    m_idleFilter->setToolTip(tr("Only entries idle at least this long (Redis 6.2+)"));
    auto *apply = new QPushButton(tr("&Apply"), this);
    apply->setObjectName(QStringLiteral("applyFilter"));
    m_histogram->setObjectName(QStringLiteral("histogram"));

    auto *filterRow = new QHBoxLayout;
    filterRow->addWidget(new QLabel(tr("Consumer:"), this));
    filterRow->addWidget(m_consumerFilter, 1);
    filterRow->addWidget(new QLabel(tr("Idle at least:"), this));
    filterRow->addWidget(m_idleFilter);
    filterRow->addWidget(apply);
    m_ackSelected->setObjectName(QStringLiteral("ackSelected"));
    m_ackSelected->setToolTip(tr("XACK the selected pending entries"));
    m_ackSelected->setEnabled(false);
    m_ackMatching->setObjectName(QStringLiteral("ackMatching"));
    m_ackMatching->setToolTip(tr("XACK every pending entry of the group that matches the "
                                 "filter applied (consumer, idle time), loaded or not"));
    m_claimSelected->setObjectName(QStringLiteral("claimSelected"));
    m_claimSelected->setToolTip(tr("XCLAIM the selected pending entries for another consumer"));
    m_claimSelected->setEnabled(false);
    m_sweep->setObjectName(QStringLiteral("sweepPending"));
    m_sweep->setToolTip(tr("XAUTOCLAIM: hand every entry idle long enough, in the whole pending "
                           "list, to one consumer, and drop the ones whose entries are gone"));
    m_pendingView->setSelectionMode(QAbstractItemView::ExtendedSelection);
    if (connection->options().readOnly) {
        for (QPushButton *b : {m_ackSelected, m_ackMatching, m_claimSelected, m_sweep}) {
            b->setEnabled(false);
            b->setToolTip(tr("This connection is read-only"));
        }
    }
    filterRow->addSpacing(12);
    filterRow->addWidget(m_ackSelected);
    filterRow->addWidget(m_ackMatching);
    filterRow->addWidget(m_claimSelected);
    filterRow->addWidget(m_sweep);
    auto *pendingPage = new QWidget(this);
    auto *pendingLayout = new QVBoxLayout(pendingPage);
    pendingLayout->addLayout(filterRow);
    pendingLayout->addWidget(m_histogram);
    pendingLayout->addWidget(m_pendingView, 1);

    auto *details = new QTabWidget(this);
    details->setObjectName(QStringLiteral("groupDetails"));
    details->addTab(consumersView, tr("Consumers"));
    details->addTab(pendingPage, tr("Pending entries"));

    auto *top = new QWidget(this);
    auto *topLayout = new QVBoxLayout(top);
    topLayout->setContentsMargins(0, 0, 0, 0);
    auto *topBar = new QHBoxLayout;
    topBar->addWidget(new QLabel(tr("Consumer groups of %1").arg(QString::fromUtf8(key)), this), 1);
    topBar->addWidget(refresh);
    topLayout->addLayout(topBar);
    topLayout->addWidget(m_error);
    topLayout->addWidget(m_groupsView, 1);

    auto *splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(top);
    splitter->addWidget(details);
    splitter->setStretchFactor(1, 2);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(splitter);

    const auto showError = [this](const QString &message) {
        m_error->setText(message);
        m_error->show();
    };
    connect(m_groups, &GroupsModel::errorOccurred, this, showError);
    connect(m_consumers, &ConsumersModel::errorOccurred, this, showError);
    connect(m_pending, &PendingModel::errorOccurred, this, showError);
    connect(refresh, &QPushButton::clicked, this, &GroupsPane::refresh);
    connect(apply, &QPushButton::clicked, this, &GroupsPane::applyFilter);
    connect(m_consumerFilter, &QLineEdit::returnPressed, this, &GroupsPane::applyFilter);
    connect(m_groupsView->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &GroupsPane::onGroupSelected);
    connect(m_groups, &GroupsModel::loaded, this, [this] {
        if (!m_groupsView->currentIndex().isValid() && m_groups->rowCount() > 0)
            m_groupsView->selectRow(0);
    });
    connect(m_pending, &PendingModel::loaded, this, &GroupsPane::updateHistogram);
    connect(m_pendingView->selectionModel(), &QItemSelectionModel::selectionChanged, this, [this] {
        const bool can = !m_connection->options().readOnly
            && m_pendingView->selectionModel()->hasSelection();
        m_ackSelected->setEnabled(can);
        m_claimSelected->setEnabled(can);
    });
    connect(m_claimSelected, &QPushButton::clicked, this, &GroupsPane::claimSelected);
    connect(m_sweep, &QPushButton::clicked, this, &GroupsPane::sweep);
    connect(m_ackSelected, &QPushButton::clicked, this, &GroupsPane::ackSelected);
    connect(m_ackMatching, &QPushButton::clicked, this, &GroupsPane::ackMatching);
    connect(m_pending, &QAbstractItemModel::modelReset, this, &GroupsPane::updateHistogram);
    connect(m_pending, &QAbstractItemModel::modelReset, this, &GroupsPane::restorePendingView);

    m_groups->setStream(connection, key);
}

void GroupsPane::refresh()
{
    m_error->hide();
    m_groups->refresh();
    if (!m_consumers->group().isEmpty())
        m_consumers->refresh();
    if (!m_pending->group().isEmpty()) {
        if (!m_pendingState || !m_pending->isLoading()) // a refresh on its way keeps its own
            m_pendingState = ViewState::save(m_pendingView, PendingModel::EntryIdRole);
        m_pending->refresh();
    }
}

// After a refresh, the pending entries that were selected are selected again and the one
// on top is on top again, where they are still pending.
void GroupsPane::restorePendingView()
{
    if (m_pendingState)
        std::exchange(m_pendingState, std::nullopt)->restore(m_pendingView, PendingModel::EntryIdRole);
}

void GroupsPane::onGroupSelected()
{
    const QModelIndex current = m_groupsView->currentIndex();
    if (!current.isValid())
        return;
    const QByteArray group = current.data(GroupsModel::GroupNameRole).toByteArray();
    if (group == m_consumers->group())
        return;
    m_error->hide();
    m_consumers->setGroup(m_connection, m_key, group);
    m_pending->setGroup(m_connection, m_key, group);
}

void GroupsPane::applyFilter()
{
    QString error;
    if (m_pending->setFilter(m_consumerFilter->text().trimmed().toUtf8(),
                             qint64(m_idleFilter->value()) * 1000, &error))
        m_error->hide();
}

void GroupsPane::updateHistogram()
{
    QStringList bars;
    for (const PendingModel::DeliveryBucket &b : m_pending->deliveryHistogram())
        bars.append(tr("%1×: %2").arg(b.label).arg(b.entries));
    m_histogram->setText(tr("Delivery counts of the %n entries loaded — ", nullptr,
                            m_pending->rowCount())
                         + bars.join(QLatin1String("   ")));
}

BulkActionDialog *GroupsPane::bulkDialog(const QString &title, const QString &name)
{
    auto *dialog = new BulkActionDialog(m_connection, title, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setObjectName(name);
    connect(dialog, &BulkActionDialog::ran, this, &GroupsPane::refresh);
    dialog->open();
    return dialog;
}

static QString ackLabel(qint64 count)
{
    return count == 1 ? GroupsPane::tr("Ack 1 entry")
                      : GroupsPane::tr("Ack %1 entries").arg(QLocale().toString(count));
}

static QString ackWhat(qint64 count, const QByteArray &group, const QByteArray &key)
{
    return GroupsPane::tr("Acknowledge %1 pending entries of group <b>%2</b> on <b>%3</b>. They "
                          "leave the group's pending list and are not delivered to its "
                          "consumers again; the entries stay in the stream.")
        .arg(QLocale().toString(count), QString::fromUtf8(group).toHtmlEscaped(),
             QString::fromUtf8(key).toHtmlEscaped());
}

// In id order.
QList<QByteArray> GroupsPane::selectedPendingIds() const
{
    QList<QByteArray> ids;
    const QModelIndexList rows = m_pendingView->selectionModel()->selectedRows();
    for (const QModelIndex &row : rows)
        ids.append(row.data(PendingModel::EntryIdRole).toByteArray());
    std::sort(ids.begin(), ids.end(), [](const QByteArray &a, const QByteArray &b) {
        return *StreamId::parse(a) < *StreamId::parse(b);
    });
    return ids;
}

void GroupsPane::ackSelected()
{
    const QList<QByteArray> ids = selectedPendingIds();
    if (ids.isEmpty())
        return;
    const QByteArray group = m_pending->group();
    bulkDialog(tr("Ack pending entries"), QStringLiteral("ackDialog"))->confirm(ackWhat(ids.size(), group, m_key),
                         ackLabel(ids.size()),
                         PendingActions::ackChunks(m_key, group, ids),
                         PendingActions::ackVerifier(m_key, group));
}

void GroupsPane::ackMatching()
{
    const QByteArray group = m_pending->group();
    if (group.isEmpty())
        return;
    BulkActionDialog *dialog = bulkDialog(tr("Ack pending entries"), QStringLiteral("ackDialog"));
    auto *collector = new PendingCollector(dialog);
    QStringList filter;
    if (!m_pending->consumerFilter().isEmpty())
        filter << tr("of consumer %1").arg(QString::fromUtf8(m_pending->consumerFilter()));
    if (m_pending->minIdleFilter() > 0)
        filter << tr("idle at least %1 s").arg(m_pending->minIdleFilter() / 1000);
    dialog->showCollecting(tr("Reading the pending entries of group %1 %2…")
                               .arg(QString::fromUtf8(group), filter.join(QLatin1Char(' '))));
    connect(dialog, &BulkActionDialog::cancelRequested, collector, &PendingCollector::cancel);
    connect(collector, &PendingCollector::progress, dialog, &BulkActionDialog::setCollected);
    connect(collector, &PendingCollector::finished, dialog,
            [this, dialog, group, filter](const QList<QByteArray> &ids, bool cancelled,
                                          const QString &error) {
        if (cancelled)
            return;
        if (!error.isEmpty()) {
            dialog->showProblem(errorWithHintHtml(error));
            return;
        }
        if (ids.isEmpty()) {
            dialog->showProblem(tr("No pending entries of group %1 match %2: nothing to ack.")
                                    .arg(QString::fromUtf8(group),
                                         filter.isEmpty() ? tr("(no filter)") : filter.join(QLatin1Char(' '))));
            return;
        }
        dialog->confirm(ackWhat(ids.size(), group, m_key)
                            + (filter.isEmpty() ? QString()
                                                : tr("<br>Filter: %1.").arg(filter.join(QLatin1String(", ")))),
                        ackLabel(ids.size()),
                        PendingActions::ackChunks(m_key, group, ids),
                        PendingActions::ackVerifier(m_key, group));
    });
    collector->start(m_connection, m_key, group, m_pending->consumerFilter(),
                     m_pending->minIdleFilter());
}

void GroupsPane::claimSelected()
{
    const QList<QByteArray> ids = selectedPendingIds();
    if (ids.isEmpty())
        return;
    QStringList consumers;
    for (int row = 0; row < m_consumers->rowCount(); ++row)
        consumers.append(m_consumers->index(row, 0).data().toString());
    auto *options = new ClaimDialog(consumers, int(ids.size()), this);
    options->setObjectName(QStringLiteral("claimDialog"));
    options->setAttribute(Qt::WA_DeleteOnClose);
    const QByteArray group = m_pending->group();
    connect(options, &QDialog::accepted, this, [this, options, ids, group] {
        const PendingActions::ClaimOptions o = options->options();
        QString what = tr("Claim %1 pending entries of group <b>%2</b> on <b>%3</b> for consumer "
                          "<b>%4</b>: they become its pending entries")
                           .arg(QLocale().toString(ids.size()),
                                QString::fromUtf8(group).toHtmlEscaped(),
                                QString::fromUtf8(m_key).toHtmlEscaped(),
                                QString::fromUtf8(o.consumer).toHtmlEscaped());
        what += o.minIdleMs > 0 ? tr(", those idle at least %1 ms.").arg(o.minIdleMs) : tr(".");
        bulkDialog(tr("Claim pending entries"), QStringLiteral("claimRunDialog"))
            ->confirm(what,
                      ids.size() == 1 ? tr("Claim 1 entry")
                                      : tr("Claim %1 entries").arg(QLocale().toString(ids.size())),
                      PendingActions::claimChunks(m_key, group, ids, o),
                      PendingActions::claimVerifier(m_key, group, o.consumer));
    });
    options->open();
}

void GroupsPane::sweep()
{
    const QByteArray group = m_pending->group();
    if (group.isEmpty())
        return;
    QStringList consumers;
    for (int row = 0; row < m_consumers->rowCount(); ++row)
        consumers.append(m_consumers->index(row, 0).data().toString());
    auto *options = new ClaimDialog(consumers, -1, this);
    options->setObjectName(QStringLiteral("sweepOptions"));
    options->setAttribute(Qt::WA_DeleteOnClose);
    connect(options, &QDialog::accepted, this, [this, options, group] {
        const PendingActions::ClaimOptions o = options->options();
        constexpr int PerCall = 1000;
        BulkActionDialog *dialog = bulkDialog(tr("Sweep pending entries"), QStringLiteral("sweepDialog"));
        auto *sweep = new AutoClaimSweep(dialog);
        connect(dialog, &BulkActionDialog::cancelRequested, sweep, &AutoClaimSweep::cancel);
        connect(sweep, &AutoClaimSweep::progress, dialog, [dialog](qint64 claimed, qint64 deleted) {
            dialog->setProgressText(tr("%1 claimed, %2 deleted entries dropped so far")
                                        .arg(QLocale().toString(claimed), QLocale().toString(deleted)));
        });
        connect(sweep, &AutoClaimSweep::finished, dialog, [dialog, o](const AutoClaimSweep::Result &r) {
            const QLocale locale;
            QStringList lines{tr("<b>Claimed for %1: %2 entries</b> in %3 calls.")
                                  .arg(QString::fromUtf8(o.consumer).toHtmlEscaped(),
                                       locale.toString(r.claimed.size()))
                                  .arg(r.calls)};
            if (!r.deleted.isEmpty())
                lines << tr("Dropped from the pending list, their entries being gone: %1.")
                             .arg(locale.toString(r.deleted.size()));
            if (r.cancelled)
                lines << tr("Cancelled: the rest of the pending list was not swept.");
            if (r.lastCallUnknown)
                lines << tr("The last call was sent when the connection failed: up to %1 more "
                            "entries may have been claimed. Look at the pending list before "
                            "sweeping again.")
                             .arg(locale.toString(PerCall));
            dialog->showOutcome(lines.join(QStringLiteral("<br>")), r.error);
        });
        QString what = tr("Hand every pending entry of group <b>%1</b> idle at least %2 ms to "
                          "consumer <b>%3</b>, across the whole pending list. Entries deleted "
                          "from the stream are dropped from the list.")
                           .arg(QString::fromUtf8(group).toHtmlEscaped())
                           .arg(o.minIdleMs)
                           .arg(QString::fromUtf8(o.consumer).toHtmlEscaped());
        const RedisCommand first = AutoClaimSweep::firstCommand(m_key, group, o, PerCall);
        dialog->confirmLoop(
            what, tr("Sweep"),
            PendingActions::redisCliLines({BulkRunner::Chunk{{first}, {}}}, 1).constFirst(),
            tr("… then again from each cursor it returns, until the cursor is 0-0."),
            [this, sweep, group, o] { sweep->start(m_connection, m_key, group, o, PerCall); });
    });
    options->open();
}
