#include "ctlsettings.h"

#include "connectionprofiles.h"
#include "ctlrun.h"
#include "profilestate.h"

QString ctlProfileId(const CtlRun &run, const QString &profile)
{
    if (profile.isEmpty() || !run.settings())
        return {};
    // The last match, as weirctl's main picks the connection, should a name be another
    // profile's id.
    QString id;
    for (const ConnectionProfile &p : ProfileStore(run.settings()).load()) {
        if (p.options.name == profile || p.id == profile)
            id = p.id;
    }
    return id;
}

DeadLetterConventions ctlDeadLetterConventions(CtlRun &run, const QString &profile)
{
    const QString id = ctlProfileId(run, profile);
    if (id.isEmpty())
        return DeadLetterConventions::defaults();
    return ProfileState(run.settings(), nullptr).deadLetterConventions(id);
}
