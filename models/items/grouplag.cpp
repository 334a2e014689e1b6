#include "grouplag.h"

#include <QCoreApplication>
#include <QStringList>

namespace {
// The texts keep the Groups view's translation context, where they were first written.
QString tr(const char *text)
{
    return QCoreApplication::translate("GroupsModel", text);
}
} // namespace

QString groupLagUnknownReason(const GroupInfo &group, const StreamInfo &stream,
                              const ServerInfo &server)
{
    if (group.lag)
        return {};
    if (!server.hasGroupLag())
        return tr("%1 reports no lag for a group (Redis 7.0 brought it).")
            .arg(server.displayName());
    QStringList why;
    if (stream.maxDeletedEntryId && !stream.maxDeletedEntryId->isZero()
        && group.lastDeliveredId < *stream.maxDeletedEntryId) {
        why << tr("entries were deleted (XDEL) after its last-delivered id (the last deleted "
                  "id is %1)")
                   .arg(stream.maxDeletedEntryId->toString());
    }
    if (!group.entriesRead) {
        why << tr("its position was set to an arbitrary id (XGROUP CREATE or SETID without "
                  "ENTRIESREAD), so Redis does not know how many entries it has read");
    }
    if (why.isEmpty())
        why << tr("Redis cannot tell how many entries are left to deliver");
    return tr("Redis reports no lag for this group: %1.").arg(why.join(QLatin1String("; ")));
}
