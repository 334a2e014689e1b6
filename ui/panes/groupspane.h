#pragma once

#include "deadletters.h"
#include "groupactions.h"
#include "viewstate.h"

#include <QWidget>

#include <functional>

#include <optional>

class BulkActionDialog;
class ConnectionSession;
class ConsumersModel;
class GroupsModel;
class PendingCollector;
class PendingModel;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;
class QTableView;

// The consumer groups of one stream (lag nil-aware, with estimates), and for the
// selected group its consumers and its pending entries, filtered by consumer and idle
// time, with the delivery-count histogram that shows poison messages.
class GroupsPane : public QWidget
{
    Q_OBJECT
public:
    GroupsPane(ConnectionSession *session, const QByteArray &key, QWidget *parent = nullptr);

    GroupsModel *groups() const { return m_groups; }
    ConsumersModel *consumers() const { return m_consumers; }
    PendingModel *pending() const { return m_pending; }
    void refresh();
    // The connection's dead-letter conventions, and the stream's dead-letter stream when one
    // exists (empty: none found): "Move to dead letters" offers it, else the first pattern's.
    void setDeadLetters(const DeadLetterConventions &conventions,
                        const QByteArray &deadLetterStream);

private:
    void onGroupSelected();
    void applyFilter();
    void updateHistogram();
    void restorePendingView();
    void ackSelected();
    void ackMatching();
    // Shows `dialog` collecting with `collector` (the pending entries of `group` that are
    // `which`); once read, passes the ids on, or shows the error, or `nothing` when none.
    void collectPending(BulkActionDialog *dialog, PendingCollector *collector,
                        const QByteArray &group, const QString &which, const QString &nothing,
                        std::function<void(const QList<QByteArray> &)> onIds);
    void claimSelected();
    void sweep();
    void moveToDeadLetters();
    void newGroup();
    void setGroupPosition();
    void destroyGroup();
    void newConsumer();
    void deleteConsumer();
    void updateGroupActions();
    // The group selected in the groups table, when there is one.
    std::optional<GroupInfo> currentGroup() const;
    QByteArray currentConsumer() const;
    // Confirms and runs a change to a group worked out by a PositionResolver (create, SETID).
    void placeGroup(const QByteArray &group, const GroupActions::Position &position, bool create,
                    bool mkstream);
    QList<QByteArray> selectedPendingIds() const;
    // Opens a bulk dialog; it refreshes this pane when its run ends.
    class BulkActionDialog *bulkDialog(const QString &title, const QString &name);

    ConnectionSession *m_session;
    QByteArray m_key;
    GroupsModel *m_groups;
    ConsumersModel *m_consumers;
    PendingModel *m_pending;
    QTableView *m_groupsView;
    QTableView *m_pendingView;
    // Across a refresh of the pending entries: the selected ones and the one on top.
    std::optional<ViewState> m_pendingState;
    QLineEdit *m_consumerFilter;
    QSpinBox *m_idleFilter;
    QLabel *m_histogram;
    QLabel *m_error;
    QPushButton *m_ackSelected;
    QPushButton *m_ackMatching;
    QPushButton *m_claimSelected;
    QPushButton *m_sweep;
    QPushButton *m_moveDeadLetters;
    QTableView *m_consumersView;
    QPushButton *m_newGroup;
    QPushButton *m_setPosition;
    QPushButton *m_destroyGroup;
    QPushButton *m_newConsumer;
    QPushButton *m_deleteConsumer;
    DeadLetterConventions m_conventions = DeadLetterConventions::defaults();
    QByteArray m_deadLetterStream; // the existing one, when known
    bool m_streamMissing = false;  // the last read of the groups found no stream
    QByteArray m_selectOnLoad;     // a group just created: selected once it is listed
};
