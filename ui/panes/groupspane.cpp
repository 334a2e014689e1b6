#include "groupspane.h"

#include "bulkactiondialog.h"
#include "claimdialog.h"
#include "connectionsession.h"
#include "consumersmodel.h"
#include "errorhint.h"
#include "groupdialogs.h"
#include "groupsmodel.h"
#include "movedeadlettersdialog.h"
#include "palette.h"
#include "pendingactions.h"
#include "pendingmodel.h"
#include "streamparsers.h"

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

GroupsPane::GroupsPane(ConnectionSession *session, const QByteArray &key, QWidget *parent)
    : QWidget(parent)
    , m_session(session)
    , m_key(key)
    , m_groups(new GroupsModel(this))
    , m_consumers(new ConsumersModel(this))
    , m_pending(new PendingModel(this))
    , m_groupsView(table(m_groups, QStringLiteral("groupsView"), this))
    , m_pendingView(table(m_pending, QStringLiteral("pendingView"), this))
    , m_consumerFilter(new QLineEdit(this))
    , m_idleFilter(new QSpinBox(this))
    , m_histogram(new QLabel(this))
    , m_error(new StatusLabel(this))
    , m_ackSelected(new QPushButton(tr("Ac&k selected…"), this))
    , m_ackMatching(new QPushButton(tr("Ack all &matching…"), this))
    , m_claimSelected(new QPushButton(tr("C&laim selected…"), this))
    , m_sweep(new QPushButton(tr("S&weep idle…"), this))
    , m_moveDeadLetters(new QPushButton(tr("Move to dead le&tters…"), this))
    , m_consumersView(table(m_consumers, QStringLiteral("consumersView"), this))
    , m_newGroup(new QPushButton(tr("&New group…"), this))
    , m_setPosition(new QPushButton(tr("Set &position…"), this))
    , m_destroyGroup(new QPushButton(tr("&Destroy…"), this))
    , m_newConsumer(new QPushButton(tr("New &consumer…"), this))
    , m_deleteConsumer(new QPushButton(tr("D&elete consumer…"), this))
{
    auto *refresh = new QPushButton(tr("&Refresh"), this);
    refresh->setObjectName(QStringLiteral("refreshGroups"));
    m_error->setObjectName(QStringLiteral("groupsError"));
    m_groupsView->setColumnWidth(GroupsModel::Name, 180);
    m_groupsView->setColumnWidth(GroupsModel::LastDeliveredId, 170);
    m_groupsView->setColumnWidth(GroupsModel::Lag, 220); // "unknown · ≈ 12,345 (estimated)"

    m_newGroup->setObjectName(QStringLiteral("newGroup"));
    m_newGroup->setToolTip(tr("XGROUP CREATE: a new consumer group, delivering from the end, "
                              "the start, an id or a date-time"));
    m_setPosition->setObjectName(QStringLiteral("setGroupPosition"));
    m_setPosition->setToolTip(tr("XGROUP SETID: move the selected group to another position, "
                                 "so that it delivers entries again or skips them"));
    m_destroyGroup->setObjectName(QStringLiteral("destroyGroup"));
    m_destroyGroup->setToolTip(tr("XGROUP DESTROY: the selected group, its consumers and its "
                                  "pending entries"));
    m_newConsumer->setObjectName(QStringLiteral("newConsumer"));
    m_deleteConsumer->setObjectName(QStringLiteral("deleteConsumer"));
    auto *consumersPage = new QWidget(this);
    auto *consumersLayout = new QVBoxLayout(consumersPage);
    auto *consumersBar = new QHBoxLayout;
    consumersBar->addWidget(m_newConsumer);
    consumersBar->addWidget(m_deleteConsumer);
    consumersBar->addStretch(1);
    consumersLayout->addLayout(consumersBar);
    consumersLayout->addWidget(m_consumersView, 1);

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
    m_histogram->setWordWrap(true); // never wider than the pane
    m_histogram->setMinimumHeight(2 * m_histogram->fontMetrics().lineSpacing());

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
    m_moveDeadLetters->setObjectName(QStringLiteral("moveDeadLetters"));
    m_moveDeadLetters->setToolTip(tr("Copy the selected pending entries, or every one delivered "
                                     "at least so many times, to a dead-letter stream with why, "
                                     "then ack them"));
    m_pendingView->setSelectionMode(QAbstractItemView::ExtendedSelection);
    if (session->isReadOnly()) {
        for (QPushButton *b :
             {m_ackSelected, m_ackMatching, m_claimSelected, m_sweep, m_moveDeadLetters}) {
            b->setEnabled(false);
            b->setToolTip(tr("This connection is read-only"));
        }
    }
    // The actions have a row of their own: beside the filter, at 1280 pixels wide, they
    // squeezed the consumer box to a few letters.
    m_consumerFilter->setMinimumWidth(m_consumerFilter->fontMetrics().averageCharWidth() * 16);
    auto *actionsRow = new QHBoxLayout;
    actionsRow->addWidget(m_ackSelected);
    actionsRow->addWidget(m_ackMatching);
    actionsRow->addWidget(m_claimSelected);
    actionsRow->addWidget(m_sweep);
    actionsRow->addWidget(m_moveDeadLetters);
    actionsRow->addStretch(1);
    auto *pendingPage = new QWidget(this);
    auto *pendingLayout = new QVBoxLayout(pendingPage);
    pendingLayout->addLayout(filterRow);
    pendingLayout->addLayout(actionsRow);
    pendingLayout->addWidget(m_histogram);
    pendingLayout->addWidget(m_pendingView, 1);

    auto *details = new QTabWidget(this);
    details->setObjectName(QStringLiteral("groupDetails"));
    details->addTab(consumersPage, tr("Consumers"));
    details->addTab(pendingPage, tr("Pending entries"));

    auto *top = new QWidget(this);
    auto *topLayout = new QVBoxLayout(top);
    topLayout->setContentsMargins(0, 0, 0, 0);
    auto *topBar = new QHBoxLayout;
    topBar->addWidget(new QLabel(tr("Consumer groups of %1").arg(QString::fromUtf8(key)), this), 1);
    topBar->addWidget(m_newGroup);
    topBar->addWidget(m_setPosition);
    topBar->addWidget(m_destroyGroup);
    topBar->addSpacing(12);
    topBar->addWidget(refresh);
    topLayout->addLayout(topBar);
    topLayout->addWidget(m_error);
    topLayout->addWidget(m_groupsView, 1);

    auto *splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(top);
    splitter->addWidget(details);
    splitter->setStretchFactor(1, 2);
    // A third for the groups (a stream has a few), two for its consumers or pending entries,
    // where an operator works: at 1280×800 that leaves six rows of pending entries.
    splitter->setSizes({100, 200});
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(splitter);

    const auto showError = [this](const QString &message) {
        m_error->setText(message);
        m_error->show();
    };
    connect(m_groups, &GroupsModel::errorOccurred, this, [this, showError](const QString &message) {
        m_streamMissing = message.contains(QLatin1String("no such key"));
        showError(message);
    });
    connect(m_consumers, &ConsumersModel::errorOccurred, this, showError);
    connect(m_pending, &PendingModel::errorOccurred, this, showError);
    connect(refresh, &QPushButton::clicked, this, &GroupsPane::refresh);
    connect(apply, &QPushButton::clicked, this, &GroupsPane::applyFilter);
    connect(m_consumerFilter, &QLineEdit::returnPressed, this, &GroupsPane::applyFilter);
    connect(m_groupsView->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &GroupsPane::onGroupSelected);
    connect(m_groups, &GroupsModel::loaded, this, [this] {
        const int created = m_groups->rowOf(std::exchange(m_selectOnLoad, {}));
        if (created >= 0)
            m_groupsView->selectRow(created);
        else if (!m_groupsView->currentIndex().isValid() && m_groups->rowCount() > 0)
            m_groupsView->selectRow(0);
        if (m_groups->rowCount() == 0 && !m_consumers->group().isEmpty()) {
            m_consumers->setGroup(nullptr, m_key, {}); // the last group is gone
            m_pending->setGroup(nullptr, m_key, {});
        }
        updateGroupActions();
    });
    connect(m_newGroup, &QPushButton::clicked, this, &GroupsPane::newGroup);
    connect(m_setPosition, &QPushButton::clicked, this, &GroupsPane::setGroupPosition);
    connect(m_destroyGroup, &QPushButton::clicked, this, &GroupsPane::destroyGroup);
    connect(m_newConsumer, &QPushButton::clicked, this, &GroupsPane::newConsumer);
    connect(m_deleteConsumer, &QPushButton::clicked, this, &GroupsPane::deleteConsumer);
    connect(m_consumersView->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &GroupsPane::updateGroupActions);
    connect(m_groupsView->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &GroupsPane::updateGroupActions);
    connect(m_consumers, &QAbstractItemModel::modelReset, this, &GroupsPane::updateGroupActions);
    connect(m_consumers, &QAbstractItemModel::rowsRemoved, this, &GroupsPane::updateGroupActions);
    connect(m_pending, &PendingModel::loaded, this, &GroupsPane::updateHistogram);
    connect(m_pendingView->selectionModel(), &QItemSelectionModel::selectionChanged, this, [this] {
        const bool can =
            !m_session->isReadOnly() && m_pendingView->selectionModel()->hasSelection();
        m_ackSelected->setEnabled(can);
        m_claimSelected->setEnabled(can);
    });
    connect(m_claimSelected, &QPushButton::clicked, this, &GroupsPane::claimSelected);
    connect(m_sweep, &QPushButton::clicked, this, &GroupsPane::sweep);
    connect(m_moveDeadLetters, &QPushButton::clicked, this, &GroupsPane::moveToDeadLetters);
    connect(m_ackSelected, &QPushButton::clicked, this, &GroupsPane::ackSelected);
    connect(m_ackMatching, &QPushButton::clicked, this, &GroupsPane::ackMatching);
    connect(m_pending, &QAbstractItemModel::modelReset, this, &GroupsPane::updateHistogram);
    connect(m_pending, &QAbstractItemModel::modelReset, this, &GroupsPane::restorePendingView);

    m_groups->setStream(session->connection(), key);
    updateGroupActions();
}

void GroupsPane::refresh()
{
    m_error->hide();
    m_streamMissing = false;
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
        std::exchange(m_pendingState, std::nullopt)
            ->restore(m_pendingView, PendingModel::EntryIdRole);
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
    m_consumers->setGroup(m_session->connection(), m_key, group);
    m_pending->setGroup(m_session->connection(), m_key, group);
    updateGroupActions();
}

void GroupsPane::applyFilter()
{
    QString error;
    if (m_pending->setFilter(m_consumerFilter->text().trimmed().toUtf8(),
                             qint64(m_idleFilter->value()) * 1000, &error))
        m_error->hide();
}

// Says what the bars count: every pending entry (that matches the filter) once all are
// loaded, else the ones loaded so far and how many there are in all (the rest load as
// the user scrolls down the list).
void GroupsPane::updateHistogram()
{
    const int loaded = m_pending->rowCount();
    const std::optional<qint64> matching = m_pending->matchingCount();
    const bool filtered = !m_pending->consumerFilter().isEmpty() || m_pending->minIdleFilter() > 0;
    if (m_pending->group().isEmpty()) {
        m_histogram->clear();
        return;
    }
    if (loaded == 0) {
        m_histogram->setText(!m_pending->atEnd() ? tr("Reading the pending entries…")
                             : filtered          ? tr("No pending entry matches the filter.")
                                                 : tr("No entries are pending."));
        return;
    }
    QString what;
    if (m_pending->atEnd() || (matching && loaded >= *matching)) {
        what = filtered ? tr("Delivery counts of all %n pending entries that match the filter",
                             nullptr, loaded)
                        : tr("Delivery counts of all %n pending entries", nullptr, loaded);
    } else {
        what = filtered ? tr("Delivery counts of the %n entries loaded that match the filter",
                             nullptr, loaded)
                        : tr("Delivery counts of the %n entries loaded", nullptr, loaded);
        if (matching)
            what += tr(", of %n pending", nullptr, int(*matching));
        else if (const auto all = m_pending->groupPendingCount())
            what += tr(", of %n pending in the group", nullptr, int(*all));
        what += tr(" (scroll down for the rest)");
    }
    QStringList bars;
    for (const PendingModel::DeliveryBucket &b : m_pending->deliveryHistogram())
        bars.append(tr("%1×: %2").arg(b.label).arg(b.entries));
    // Two lines, whatever is loaded: the list below does not jump as the text changes.
    m_histogram->setText(what + QStringLiteral(":\n") + bars.join(QLatin1String("   ")));
}

BulkActionDialog *GroupsPane::bulkDialog(const QString &title, const QString &name)
{
    auto *dialog = new BulkActionDialog(m_session, title, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setObjectName(name);
    connect(dialog, &BulkActionDialog::ran, this, &GroupsPane::refresh);
    dialog->open();
    return dialog;
}

static QString ackLabel(qint64 count)
{
    return GroupsPane::tr("Ack %Ln entries", nullptr, int(count));
}

static QString ackWhat(qint64 count, const QByteArray &group, const QByteArray &key)
{
    return GroupsPane::tr("Acknowledge %Ln pending entries of group <b>%1</b> on <b>%2</b>. "
                          "They leave the group's pending list and are not delivered to its "
                          "consumers again; the entries stay in the stream.",
                          nullptr, int(count))
        .arg(QString::fromUtf8(group).toHtmlEscaped(), QString::fromUtf8(key).toHtmlEscaped());
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
    bulkDialog(tr("Ack pending entries"), QStringLiteral("ackDialog"))
        ->confirm(ackWhat(ids.size(), group, m_key), ackLabel(ids.size()),
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
    const QString nothing =
        tr("No pending entries of group %1 match %2: nothing to ack.")
            .arg(QString::fromUtf8(group),
                 filter.isEmpty() ? tr("(no filter)") : filter.join(QLatin1Char(' ')));
    collectPending(dialog, collector, group, filter.join(QLatin1Char(' ')), nothing,
                   [this, dialog, group, filter](const QList<QByteArray> &ids) {
        dialog->confirm(ackWhat(ids.size(), group, m_key)
                            + (filter.isEmpty()
                                   ? QString()
                                   : tr("<br>Filter: %1.").arg(filter.join(QLatin1String(", ")))),
                        ackLabel(ids.size()), PendingActions::ackChunks(m_key, group, ids),
                        PendingActions::ackVerifier(m_key, group));
    });
    collector->start(m_session->connection(), m_key, group, m_pending->consumerFilter(),
                     m_pending->minIdleFilter());
}

void GroupsPane::collectPending(BulkActionDialog *dialog, PendingCollector *collector,
                                const QByteArray &group, const QString &which,
                                const QString &nothing,
                                std::function<void(const QList<QByteArray> &)> onIds)
{
    dialog->showCollecting(
        tr("Reading the pending entries of group %1 %2…").arg(QString::fromUtf8(group), which));
    connect(dialog, &BulkActionDialog::cancelRequested, collector, &PendingCollector::cancel);
    connect(collector, &PendingCollector::progress, dialog, &BulkActionDialog::setCollected);
    connect(collector, &PendingCollector::finished, dialog,
            [dialog, nothing, onIds = std::move(onIds)](const QList<QByteArray> &ids,
                                                        bool cancelled, const QString &error) {
        if (cancelled)
            return;
        if (!error.isEmpty())
            dialog->showProblem(errorWithHintHtml(error));
        else if (ids.isEmpty())
            dialog->showProblem(nothing);
        else
            onIds(ids);
    });
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
        QString what = tr("Claim %Ln pending entries of group <b>%1</b> on <b>%2</b> for "
                          "consumer <b>%3</b>: they become its pending entries",
                          nullptr, int(ids.size()))
                           .arg(QString::fromUtf8(group).toHtmlEscaped(),
                                QString::fromUtf8(m_key).toHtmlEscaped(),
                                QString::fromUtf8(o.consumer).toHtmlEscaped());
        what += o.minIdleMs > 0 ? tr(", those idle at least %1 ms.").arg(o.minIdleMs) : tr(".");
        bulkDialog(tr("Claim pending entries"), QStringLiteral("claimRunDialog"))
            ->confirm(what, tr("Claim %Ln entries", nullptr, int(ids.size())),
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
        BulkActionDialog *dialog =
            bulkDialog(tr("Sweep pending entries"), QStringLiteral("sweepDialog"));
        auto *sweep = new AutoClaimSweep(dialog);
        connect(dialog, &BulkActionDialog::cancelRequested, sweep, &AutoClaimSweep::cancel);
        connect(sweep, &AutoClaimSweep::progress, dialog, [dialog](qint64 claimed, qint64 deleted) {
            dialog->setProgressText(
                tr("%1 claimed, %Ln deleted entries dropped so far", nullptr, int(deleted))
                    .arg(QLocale().toString(claimed)));
        });
        connect(sweep, &AutoClaimSweep::finished, dialog,
                [dialog, o](const AutoClaimSweep::Result &r) {
            const QLocale locale;
            QStringList lines{
                tr("<b>Claimed for %1: %Ln entries</b>", nullptr, int(r.claimed.size()))
                    .arg(QString::fromUtf8(o.consumer).toHtmlEscaped())
                + tr(" in %Ln calls.", nullptr, int(r.calls))};
            if (!r.deleted.isEmpty())
                lines << tr("Dropped from the pending list, their entries being gone: %1.")
                             .arg(locale.toString(r.deleted.size()));
            if (r.claimedGone > 0)
                lines << tr("Also claimed, their entries being gone from the stream: %1. "
                            "They stay pending (the server names no id for them): find them "
                            "flagged in the pending list and ack them.")
                             .arg(locale.toString(r.claimedGone));
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
                          "consumer <b>%3</b>, across the whole pending list. %4")
                           .arg(QString::fromUtf8(group).toHtmlEscaped())
                           .arg(o.minIdleMs)
                           .arg(QString::fromUtf8(o.consumer).toHtmlEscaped(),
                                m_session->serverInfo().hasClaimDropsDeleted()
                                    ? tr("Entries deleted from the stream are dropped from "
                                         "the list.")
                                    : tr("Entries deleted from the stream are claimed too and "
                                         "stay pending (%1 drops none; Redis 7.0 does).")
                                          .arg(m_session->serverInfo().displayName()));
        const RedisCommand first = AutoClaimSweep::firstCommand(m_key, group, o, PerCall);
        dialog->confirmLoop(
            what, tr("Sweep"),
            PendingActions::redisCliLines({BulkRunner::Chunk{{first}, {}}}, 1).constFirst(),
            tr("… then again from each cursor it returns, until the cursor is 0-0."),
            [this, sweep, group, o] {
            sweep->start(m_session->connection(), m_key, group, o, PerCall);
            });
    });
    options->open();
}

void GroupsPane::setDeadLetters(const DeadLetterConventions &conventions,
                                const QByteArray &deadLetterStream)
{
    m_conventions = conventions;
    m_deadLetterStream = deadLetterStream;
}

void GroupsPane::moveToDeadLetters()
{
    const QByteArray group = m_pending->group();
    if (group.isEmpty())
        return;
    const QList<QByteArray> ids = selectedPendingIds();
    const QByteArray deadLetterStream =
        !m_deadLetterStream.isEmpty() || m_conventions.patterns.isEmpty()
            ? m_deadLetterStream
            : DeadLetterConventions::apply(m_conventions.patterns.constFirst(), m_key);
    // On a cluster the two keys may be on different nodes; elsewhere both are on the one
    // node, so every move can be one script per entry.
    const bool cluster = m_session->isCluster();
    auto *options =
        new MoveDeadLettersDialog(m_key, group, int(ids.size()), deadLetterStream, cluster, this);
    options->setObjectName(QStringLiteral("moveDeadLettersDialog"));
    options->setAttribute(Qt::WA_DeleteOnClose);
    connect(options, &QDialog::accepted, this, [this, options, ids, group] {
        const DeadLetterActions::MoveOptions o = options->options();
        const DeadLetterConventions conventions = m_conventions;
        BulkActionDialog *dialog =
            bulkDialog(tr("Move to dead letters"), QStringLiteral("moveDeadLettersRun"));
        dialog->setReportText([o](const BulkRunner::Report &report) {
            return MoveDeadLettersDialog::reportHtml(o, report);
        });
        // The time recorded in the dead letters is the confirmation's: the commands shown
        // are the ones sent.
        const auto confirm =
            [this, dialog, o, conventions](const QList<QByteArray> &toMove, const QString &which) {
            dialog->offerBackup(StreamExport::Selection{m_key, "-", "+", toMove});
            if (o.path == DeadLetterActions::Path::Atomic) {
                dialog->confirm(
                    MoveDeadLettersDialog::confirmationHtml(o, conventions, toMove.size(), which),
                    MoveDeadLettersDialog::actionText(toMove.size()),
                    DeadLetterActions::moveChunks(toMove, o, conventions,
                                                  QDateTime::currentDateTimeUtc()),
                    DeadLetterActions::moveVerifier(o));
                return;
            }
            // Copy then remove: the copies are written from the entries (and their delivery
            // counts) as read now; one no longer there, or no longer pending, is left out.
            DeadLetterActions::readPendingToMove(
                m_session->connection(), o, toMove, dialog,
                [dialog, o, conventions, which](
                    const QList<DeadLetterActions::PendingToMove> &entries, const QString &error) {
                if (!error.isEmpty()) {
                    dialog->showOutcome({}, error);
                    return;
                }
                dialog->runner()->setSecondPhase(DeadLetterActions::moveSecondPhase(o));
                dialog->confirm(
                    MoveDeadLettersDialog::confirmationHtml(o, conventions, entries.size(), which),
                    MoveDeadLettersDialog::actionText(entries.size()),
                    DeadLetterActions::moveCopyChunks(entries, o, conventions,
                                                      QDateTime::currentDateTimeUtc()));
                });
        };
        if (options->scope() == MoveDeadLettersDialog::Scope::Selected) {
            confirm(ids, {});
            return;
        }
        const qint64 minDeliveries = options->minDeliveries();
        const qint64 minIdleMs = options->minIdleMs();
        QString which = tr("delivered at least %1 times").arg(QLocale().toString(minDeliveries));
        if (minIdleMs > 0)
            which += tr(" and idle at least %1 s").arg(QLocale().toString(minIdleMs / 1000));
        auto *collector = new PendingCollector(dialog);
        collector->setMinDeliveries(minDeliveries);
        collectPending(dialog, collector, group, which,
                       tr("No pending entry of group %1 was %2: nothing to move.")
                           .arg(QString::fromUtf8(group).toHtmlEscaped(), which),
                       [confirm, which](const QList<QByteArray> &found) { confirm(found, which); });
        collector->start(m_session->connection(), m_key, group, {}, minIdleMs);
    });
    options->open();
}

std::optional<GroupInfo> GroupsPane::currentGroup() const
{
    const QModelIndex current = m_groupsView->currentIndex();
    if (!current.isValid() || current.row() >= m_groups->rowCount())
        return std::nullopt;
    return m_groups->groupAt(current.row());
}

QByteArray GroupsPane::currentConsumer() const
{
    const QModelIndexList rows = m_consumersView->selectionModel()->selectedRows();
    return rows.isEmpty() ? QByteArray()
                          : rows.first().data(ConsumersModel::ConsumerNameRole).toByteArray();
}

// Each action needs what it acts on selected, a connection that may write and, for
// XGROUP CREATECONSUMER, Redis 6.2.
void GroupsPane::updateGroupActions()
{
    const bool readOnly = m_session->isReadOnly();
    const bool group = currentGroup().has_value();
    const bool createConsumer = m_session->serverInfo().hasCreateConsumer();
    m_newGroup->setEnabled(!readOnly);
    m_setPosition->setEnabled(!readOnly && group);
    m_destroyGroup->setEnabled(!readOnly && group);
    m_newConsumer->setEnabled(!readOnly && group && createConsumer);
    m_deleteConsumer->setEnabled(!readOnly && group && !currentConsumer().isEmpty());
    if (readOnly) {
        for (QPushButton *b :
             {m_newGroup, m_setPosition, m_destroyGroup, m_newConsumer, m_deleteConsumer})
            b->setToolTip(tr("This connection is read-only"));
        return;
    }
    m_newConsumer->setToolTip(
        createConsumer ? tr("XGROUP CREATECONSUMER: a consumer of the selected group that has "
                            "read nothing yet")
                       : tr("XGROUP CREATECONSUMER needs Redis 6.2 or later (this server is %1); "
                            "a consumer is created when it first reads")
                             .arg(m_session->serverInfo().displayName()));
    m_deleteConsumer->setToolTip(tr("XGROUP DELCONSUMER: the selected consumer; its pending "
                                    "entries leave the group's pending list with it"));
}

static QString html(const QByteArray &bytes)
{
    return QString::fromUtf8(bytes).toHtmlEscaped();
}

// "after 1700000000000-5 (2023-11-14 22:13:20.000)", or where "$" and "0" put a group.
static QString placeText(const GroupActions::Resolved &r)
{
    if (r.id == "$")
        return GroupsPane::tr("at the end of the stream (its last id is now %1)")
            .arg(r.position.toString());
    if (r.position.isZero())
        return GroupsPane::tr("at the start of the stream (0-0)");
    return GroupsPane::tr("after <b>%1</b> (%2)")
        .arg(r.position.toString(), QLocale().toString(r.position.time().toLocalTime(),
                                                       QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz")));
}

// What the group delivers from its new place, and what ENTRIESREAD does for its lag.
static QString deliveryText(const GroupActions::Resolved &r)
{
    const QLocale locale;
    QStringList lines;
    if (r.toDeliver)
        lines << GroupsPane::tr("It delivers the %Ln entries after that, then every entry "
                                "added.",
                                nullptr, int(*r.toDeliver));
    if (r.entriesRead)
        lines << GroupsPane::tr("ENTRIESREAD %1 (the entries added to the stream up to that "
                                "place) lets Redis report the group's lag right away.")
                     .arg(locale.toString(*r.entriesRead));
    if (!r.note.isEmpty())
        lines << r.note.toHtmlEscaped();
    return lines.join(QStringLiteral("<br>"));
}

void GroupsPane::newGroup()
{
    QStringList names;
    for (int row = 0; row < m_groups->rowCount(); ++row)
        names.append(QString::fromUtf8(m_groups->groupAt(row).name));
    auto *options = new NewGroupDialog(m_key, names, !m_streamMissing, this);
    options->setObjectName(QStringLiteral("newGroupDialog"));
    options->setAttribute(Qt::WA_DeleteOnClose);
    connect(options, &QDialog::accepted, this, [this, options] {
        placeGroup(options->name(), options->position(), true, options->mkstream());
    });
    options->open();
}

void GroupsPane::setGroupPosition()
{
    const std::optional<GroupInfo> group = currentGroup();
    if (!group)
        return;
    auto *options = new SetPositionDialog(*group, this);
    options->setObjectName(QStringLiteral("setPositionDialog"));
    options->setAttribute(Qt::WA_DeleteOnClose);
    const QByteArray name = group->name;
    connect(options, &QDialog::accepted, this,
            [this, options, name] { placeGroup(name, options->position(), false, false); });
    options->open();
}

void GroupsPane::placeGroup(const QByteArray &group, const GroupActions::Position &position,
                            bool create, bool mkstream)
{
    BulkActionDialog *dialog =
        bulkDialog(create ? tr("New consumer group") : tr("Set the position of a group"),
                   create ? QStringLiteral("newGroupRun") : QStringLiteral("setPositionRun"));
    dialog->setUnit(tr("groups"));
    dialog->showCollecting(create ? tr("Working out where the group starts…")
                                  : tr("Working out where the group goes…"));
    auto *resolver = new PositionResolver(dialog);
    connect(resolver, &PositionResolver::finished, dialog,
            [this, dialog, group, create, mkstream](const GroupActions::Resolved &r,
                                                    const QString &error) {
        if (!error.isEmpty()) {
            dialog->showProblem(errorWithHintHtml(error));
            return;
        }
        const QString place = placeText(r);
        const QString delivery = deliveryText(r);
        QString what;
        if (create) {
            what = tr("Create group <b>%1</b> on <b>%2</b>, placed %3.")
                       .arg(html(group), html(m_key), place);
            if (!r.streamExists && !mkstream)
                what += tr("<br>The stream does not exist, and MKSTREAM is not set: Redis will "
                           "refuse.");
        } else {
            what = tr("Move group <b>%1</b> on <b>%2</b> %3. Its pending entries stay pending; "
                      "entries it had delivered after that place are delivered again, and "
                      "those before it that it had not delivered are skipped.")
                       .arg(html(group), html(m_key), place);
            if (r.stepped > 0)
                what += tr("<br>That steps over %Ln entries.", nullptr, int(r.stepped));
        }
        if (!delivery.isEmpty())
            what += QStringLiteral("<br>") + delivery;
        dialog->setReportText([group, place, create](const BulkRunner::Report &report) {
            if (report.done.isEmpty())
                return create ? tr("Group <b>%1</b> was not created.").arg(html(group))
                              : tr("Group <b>%1</b> was not moved.").arg(html(group));
            return create ? tr("<b>Created group %1</b>, placed %2.").arg(html(group), place)
                          : tr("<b>Moved group %1</b> %2.").arg(html(group), place);
        });
        if (create) {
            connect(dialog, &BulkActionDialog::ran, this,
                    [this, group](const BulkRunner::Report &report) {
                if (!report.done.isEmpty())
                    m_selectOnLoad = group; // by the refresh the run's end started
            });
        }
        const RedisCommand command = create ? GroupActions::createCommand(m_key, group, r, mkstream)
                                            : GroupActions::setIdCommand(m_key, group, r);
        dialog->confirm(what, create ? tr("Create group") : tr("Move group"),
                        GroupActions::single(command, group));
    });
    resolver->start(m_session->connection(), m_key, create ? QByteArray() : group, position,
                    m_session->serverInfo());
}

void GroupsPane::destroyGroup()
{
    const std::optional<GroupInfo> current = currentGroup();
    if (!current)
        return;
    const QByteArray group = current->name;
    BulkActionDialog *dialog =
        bulkDialog(tr("Destroy a consumer group"), QStringLiteral("destroyGroupRun"));
    // The group's consumers and pending entries go with it: nothing of it is to be
    // re-read once it is gone.
    dialog->setUnit(tr("groups"));
    disconnect(dialog, &BulkActionDialog::ran, this, nullptr);
    connect(dialog, &BulkActionDialog::ran, this, [this, group] {
        if (m_consumers->group() == group) {
            m_consumers->setGroup(nullptr, m_key, {});
            m_pending->setGroup(nullptr, m_key, {});
            m_groupsView->selectionModel()->clear();
        }
        refresh();
    });
    dialog->showCollecting(tr("Reading group %1…").arg(QString::fromUtf8(group)));
    GroupActions::readGroup(
        m_session->connection(), m_key, group, dialog,
        [this, dialog, group](const std::optional<GroupInfo> &info, const QString &error) {
        if (!error.isEmpty() || !info) {
            dialog->showProblem(
                error.isEmpty() ? tr("The stream has no group named %1 any more.").arg(html(group))
                                : errorWithHintHtml(error));
            return;
        }
        const QString what =
            tr("Destroy group <b>%1</b> on <b>%2</b>, with its %3 and its %4: delivered "
               "and never acknowledged, pending entries are not delivered again to anyone. "
               "The entries stay in the stream. Consumers still reading with this group get "
               "NOGROUP errors.")
                .arg(html(group), html(m_key), tr("%Ln consumers", nullptr, int(info->consumers)),
                     tr("%Ln pending entries", nullptr, int(info->pending)));
        dialog->setReportText([group](const BulkRunner::Report &report) {
            if (report.done.isEmpty())
                return tr("Group <b>%1</b> was not destroyed.").arg(html(group));
            return report.affected > 0
                       ? tr("<b>Destroyed group %1.</b>").arg(html(group))
                       : tr("Redis destroyed nothing: group %1 was gone already.").arg(html(group));
        });
        dialog->confirm(what, tr("Destroy group"),
                        GroupActions::single(GroupActions::destroyCommand(m_key, group), group));
        });
}

void GroupsPane::newConsumer()
{
    const std::optional<GroupInfo> group = currentGroup();
    if (!group)
        return;
    QStringList names;
    for (int row = 0; row < m_consumers->rowCount(); ++row)
        names.append(QString::fromUtf8(m_consumers->consumerAt(row).name));
    auto *options = new NewConsumerDialog(group->name, names, this);
    options->setObjectName(QStringLiteral("newConsumerDialog"));
    options->setAttribute(Qt::WA_DeleteOnClose);
    const QByteArray name = group->name;
    connect(options, &QDialog::accepted, this, [this, options, name] {
        const QByteArray consumer = options->name();
        BulkActionDialog *dialog = bulkDialog(tr("New consumer"), QStringLiteral("newConsumerRun"));
        dialog->setUnit(tr("consumers"));
        dialog->setReportText([consumer, name](const BulkRunner::Report &report) {
            if (report.done.isEmpty())
                return tr("Consumer <b>%1</b> was not created.").arg(html(consumer));
            return report.affected > 0
                       ? tr("<b>Created consumer %1</b> in group %2.")
                             .arg(html(consumer), html(name))
                       : tr("Redis created nothing: group %1 has a consumer %2 already.")
                             .arg(html(name), html(consumer));
        });
        dialog->confirm(
            tr("Create consumer <b>%1</b> in group <b>%2</b> on <b>%3</b>. It has read nothing "
               "and has no pending entries.")
                .arg(html(consumer), html(name), html(m_key)),
            tr("Create consumer"),
            GroupActions::single(GroupActions::createConsumerCommand(m_key, name, consumer),
                                 consumer));
    });
    options->open();
}

void GroupsPane::deleteConsumer()
{
    const std::optional<GroupInfo> current = currentGroup();
    const QByteArray consumer = currentConsumer();
    if (!current || consumer.isEmpty())
        return;
    const QByteArray group = current->name;
    BulkActionDialog *dialog =
        bulkDialog(tr("Delete a consumer"), QStringLiteral("deleteConsumerRun"));
    dialog->setUnit(tr("consumers"));
    dialog->showCollecting(tr("Reading consumer %1…").arg(QString::fromUtf8(consumer)));
    GroupActions::readConsumer(m_session->connection(), m_key, group, consumer, dialog,
                               [this, dialog, group, consumer](
                                   const std::optional<ConsumerInfo> &info, const QString &error) {
        if (!error.isEmpty() || !info) {
            dialog->showProblem(error.isEmpty() ? tr("Group %1 has no consumer named %2 any more.")
                                                      .arg(html(group), html(consumer))
                                                : errorWithHintHtml(error));
            return;
        }
        QString what = tr("Delete consumer <b>%1</b> from group <b>%2</b> on <b>%3</b>.")
                           .arg(html(consumer), html(group), html(m_key));
        if (info->pending > 0)
            what += tr("<br><b>It has %1.</b> They leave the group's pending list with it "
                       "and become orphans: delivered, never acknowledged, and no consumer "
                       "will get them again, not even by claiming. To keep them, claim them "
                       "for another consumer first (Pending entries: Claim or Sweep).")
                        .arg(tr("%Ln pending entries", nullptr, int(info->pending)));
        else
            what += tr("<br>It has no pending entries: nothing is lost.");
        dialog->setReportText([consumer](const BulkRunner::Report &report) {
            if (report.done.isEmpty())
                return tr("Consumer <b>%1</b> was not deleted.").arg(html(consumer));
            return tr("<b>Deleted consumer %1</b>: %2 dropped with it.")
                .arg(html(consumer), tr("%Ln pending entries", nullptr, int(report.affected)));
        });
        dialog->confirm(what, tr("Delete consumer"),
                        GroupActions::single(
                            GroupActions::deleteConsumerCommand(m_key, group, consumer), consumer));
    });
}
