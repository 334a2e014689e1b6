#include "ctlsettings.h"

#include "connectionprofiles.h"
#include "ctlrun.h"
#include "profilestate.h"

QString ctlProfileId(const CtlRun &run, const QString &profile)
{
    if (profile.isEmpty() || !run.settings())
        return {};
    for (const ConnectionProfile &p : ProfileStore(run.settings()).load()) {
        if (p.options.name == profile || p.id == profile)
            return p.id;
    }
    return {};
}

DeadLetterConventions ctlDeadLetterConventions(CtlRun &run, const QString &profile)
{
    const QString id = ctlProfileId(run, profile);
    if (id.isEmpty())
        return DeadLetterConventions::defaults();
    return ProfileState(run.settings(), nullptr).deadLetterConventions(id);
}
