// Weir: a desktop console for message queues on Redis Streams.
// This file only parses the command line and wires the libraries together.
#include "credentialstore.h"
#include "demoenvironment.h"
#include "mainwindow.h"
#include "weirtranslations.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QCryptographicHash>
#include <QMessageBox>
#include <QSettings>
#include <QStatusBar>

#include <memory>

namespace {

// A connection named on the command line keeps one profile id from run to run, so that
// its history on disk is found again (and not a new store each run). From what the
// connection reaches, never from its password.
QString profileIdOf(const ConnectionOptions &options)
{
    const QString reached = options.endpoint() + QLatin1Char('\n') + options.username
                            + QLatin1Char('\n') + QString::number(options.database);
    return QStringLiteral("url-")
           + QString::fromLatin1(
               QCryptographicHash::hash(reached.toUtf8(), QCryptographicHash::Sha256)
                   .toHex()
                   .left(16));
}

} // namespace

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("Weir"));
    QApplication::setOrganizationName(QStringLiteral("Weir"));
    QApplication::setApplicationVersion(QStringLiteral(WEIR_VERSION));
    QApplication::setDesktopFileName(QStringLiteral("app.weir.Weir"));
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/weir.svg")));
    // "1 stream", "2 streams": the English plural forms, whatever the locale (Weir has no
    // other translation yet, and its source text is English).
    if (!installWeirTranslations())
        qWarning("Weir: the English plural forms could not be loaded");

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("A desktop console for message queues on Redis Streams."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption demoOption(
        QStringLiteral("demo"),
        QStringLiteral("Start a private redis-server with a live simulated workload and "
                       "connect to it. The server stops when Weir exits."));
    const QCommandLineOption urlOption(
        {QStringLiteral("u"), QStringLiteral("url")},
        QStringLiteral("Connect to <url> (redis://, rediss://, unix://, or "
                       "redis-sentinel://host:26379,host2:26379/master) without saving it."),
        QStringLiteral("url"));
    const QCommandLineOption settingsOption(
        QStringLiteral("settings"),
        QStringLiteral("Keep connection profiles in the INI <file> instead of the user's "
                       "settings (passwords still go to the keychain), and their monitoring "
                       "history in the folder history beside it."),
        QStringLiteral("file"));
    parser.addOptions({demoOption, urlOption, settingsOption});
    parser.process(app);

    std::unique_ptr<QSettings> settings =
        parser.isSet(settingsOption)
            ? std::make_unique<QSettings>(parser.value(settingsOption), QSettings::IniFormat)
            : std::make_unique<QSettings>();
    CredentialStore credentials;

    // Declared before the window so that it outlives the window's connections.
    std::unique_ptr<DemoEnvironment> demo;
    MainWindow window(settings.get(), &credentials);
    window.show();

    if (parser.isSet(demoOption)) {
        demo = std::make_unique<DemoEnvironment>();
        QString error;
        if (!demo->start(&error)) {
            QMessageBox::critical(&window, QStringLiteral("Weir"),
                                  QStringLiteral("The demo could not start:\n%1").arg(error));
            return 1;
        }
        // Connect once the queues are seeded, so that the first scan finds them all.
        window.statusBar()->showMessage(QStringLiteral("Preparing the demo queues…"));
        QObject::connect(demo.get(), &DemoEnvironment::ready, &window, [&window, &demo] {
            window.statusBar()->clearMessage();
            // The demo's history is kept as a profile's, and found again by the next demo.
            window.openEphemeral(demo->options(), QStringLiteral("demo"));
        });
        QObject::connect(demo.get(), &DemoEnvironment::failed, &window,
                         [&window](const QString &message) {
            QMessageBox::critical(
                &window, QStringLiteral("Weir"),
                QStringLiteral("The demo could not be prepared:\n%1").arg(message));
        });
    }
    if (parser.isSet(urlOption)) {
        ConnectionOptions options;
        QString error;
        if (!ConnectionOptions::fromUrl(parser.value(urlOption), &options, &error)) {
            QMessageBox::critical(&window, QStringLiteral("Weir"), error);
            return 2;
        }
        options.name = parser.value(urlOption);
        window.openEphemeral(options, profileIdOf(options));
    }
    return app.exec();
}
