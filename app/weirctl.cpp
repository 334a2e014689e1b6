// weirctl: Weir's views, checks and repairs of Redis Streams queues from the command line,
// for scripts, cron and on-call. Links the models and the Redis layer only: no widgets.
#include "ctlmain.h"
#include "weirtranslations.h"

#include <QCoreApplication>

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("Weir"));
    QCoreApplication::setOrganizationName(QStringLiteral("Weir"));
    QCoreApplication::setApplicationVersion(QStringLiteral(WEIR_VERSION));
    // "1 entry", "2 entries": the English plural forms, for the models' messages and ours.
    if (!installWeirTranslations())
        qWarning("weirctl: the English plural forms could not be loaded");
    return runWeirctl();
}
