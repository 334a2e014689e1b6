// Starts the demo and prints "<redis-server pid> <port>" once it runs, then waits to be
// killed. Used by tst_demo's serverDiesWithParent().
#include "demoenvironment.h"

#include <QCoreApplication>

#include <cstdio>

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    DemoEnvironment demo;
    QString error;
    if (!demo.start(&error)) {
        std::fprintf(stderr, "%s\n", qPrintable(error));
        return 1;
    }
    QObject::connect(&demo, &DemoEnvironment::ready, &app, [&demo] {
        std::printf("%lld %u\n", static_cast<long long>(demo.serverPid()),
                    unsigned(demo.options().port));
        std::fflush(stdout);
    });
    QObject::connect(&demo, &DemoEnvironment::failed, &app, [](const QString &message) {
        std::fprintf(stderr, "%s\n", qPrintable(message));
        QCoreApplication::exit(1);
    });
    return app.exec();
}
