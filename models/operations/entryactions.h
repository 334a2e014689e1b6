#pragma once

#include "bulkrunner.h"

#include <QHash>
#include <QObject>
#include <QPointer>

// Deleting entries (XDEL), in chunks, with what XDEL leaves behind: an entry deleted while
// pending in a group stays in that group's pending list as an orphan unless it is acked.
namespace EntryActions {

using PendingRefs = QHash<QByteArray, QList<QByteArray>>; // group -> ids pending there

// XDEL key id... per chunk; with `alsoAck`, each chunk also acks its ids in the groups of
// `refs` where they are pending (XACK after XDEL, in one MULTI/EXEC).
QList<BulkRunner::Chunk> deleteChunks(const QByteArray &key, const QList<QByteArray> &ids,
                                      const PendingRefs &refs, bool alsoAck, int perChunk = 1000);
// An id counts as deleted when XRANGE over just that id is empty.
BulkRunner::Verifier deleteVerifier(const QByteArray &key);

} // namespace EntryActions

Q_DECLARE_METATYPE(EntryActions::PendingRefs)

// Finds in which groups of a stream some entries are pending: XINFO GROUPS, then one
// pipelined XPENDING per group and id. Reads only. Emits finished() once per start().
class PendingRefFinder : public QObject
{
    Q_OBJECT
public:
    explicit PendingRefFinder(QObject *parent = nullptr);
    void start(RedisConnection *connection, const QByteArray &key, const QList<QByteArray> &ids);

Q_SIGNALS:
    void finished(const EntryActions::PendingRefs &refs, const QString &error);

private:
    QPointer<RedisConnection> m_connection;
};
