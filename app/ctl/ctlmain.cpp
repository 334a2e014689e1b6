#include "ctlmain.h"

#include "connectionprofiles.h"
#include "credentialstore.h"
#include "ctlcommand.h"
#include "ctlrun.h"
#include "redisconnection.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QSettings>
#include <QTextStream>
#include <QTimer>

#include <cstdio>

namespace {

struct GlobalOptions
{
    QCommandLineOption url{{QStringLiteral("u"), QStringLiteral("url")},
                           QStringLiteral("Connect to <url>: redis://[[user]:password@]host"
                                          "[:port][/db], rediss:// (TLS), unix:///path, "
                                          "redis-sentinel://host[:port][,host...]/master."),
                           QStringLiteral("url")};
    QCommandLineOption host{{QStringLiteral("h"), QStringLiteral("host")},
                            QStringLiteral("Server host (default 127.0.0.1)."),
                            QStringLiteral("host")};
    QCommandLineOption port{{QStringLiteral("p"), QStringLiteral("port")},
                            QStringLiteral("Server port (default 6379)."),
                            QStringLiteral("port")};
    QCommandLineOption socket{{QStringLiteral("s"), QStringLiteral("socket")},
                              QStringLiteral("Server unix socket (overrides host and port)."),
                              QStringLiteral("path")};
    QCommandLineOption password{
        {QStringLiteral("a"), QStringLiteral("pass")},
        QStringLiteral("Password (unsafe: other users can see it; prefer REDISCLI_AUTH)."),
        QStringLiteral("password")};
    QCommandLineOption user{QStringLiteral("user"),
                            QStringLiteral("ACL user name (with -a or REDISCLI_AUTH)."),
                            QStringLiteral("name")};
    QCommandLineOption database{QStringLiteral("n"), QStringLiteral("Database number."),
                                QStringLiteral("db")};
    QCommandLineOption tls{QStringLiteral("tls"), QStringLiteral("Connect over TLS.")};
    QCommandLineOption caCert{QStringLiteral("cacert"),
                              QStringLiteral("CA certificate to verify the server with."),
                              QStringLiteral("file")};
    QCommandLineOption cert{QStringLiteral("cert"),
                            QStringLiteral("Client certificate (PEM) for TLS."),
                            QStringLiteral("file")};
    QCommandLineOption key{QStringLiteral("key"),
                           QStringLiteral("Private key (PEM) of the client certificate."),
                           QStringLiteral("file")};
    QCommandLineOption sni{QStringLiteral("sni"),
                           QStringLiteral("Server name for TLS SNI and verification."),
                           QStringLiteral("host")};
    QCommandLineOption insecure{QStringLiteral("insecure"),
                                QStringLiteral("Do not verify the server's TLS certificate.")};
    QCommandLineOption profile{QStringLiteral("profile"),
                               QStringLiteral("Use the connection saved in Weir as <name> "
                                              "(its password from the keychain)."),
                               QStringLiteral("name")};
    QCommandLineOption settings{QStringLiteral("settings"),
                                QStringLiteral("Read profiles and preferences from the INI "
                                               "<file> instead of Weir's settings."),
                                QStringLiteral("file")};
    QCommandLineOption timeout{QStringLiteral("timeout"),
                               QStringLiteral("Connect and command timeout (default 10000)."),
                               QStringLiteral("ms")};
    QCommandLineOption format{QStringLiteral("format"),
                              QStringLiteral("Output: table, json or csv (default: table on "
                                             "a terminal, json otherwise)."),
                              QStringLiteral("format")};
    QCommandLineOption yes{{QStringLiteral("y"), QStringLiteral("yes")},
                           QStringLiteral("Write without asking (needed when not on a "
                                          "terminal).")};
    QCommandLineOption dryRun{QStringLiteral("dry-run"),
                              QStringLiteral("Print what a write would do; write nothing.")};
    QCommandLineOption readOnly{QStringLiteral("read-only"), QStringLiteral("Refuse every write.")};
    QCommandLineOption help{{QStringLiteral("help"), QStringLiteral("?")},
                            QStringLiteral("Show help (for a command: weirctl COMMAND "
                                           "--help).")};
    QCommandLineOption version{{QStringLiteral("V"), QStringLiteral("version")},
                               QStringLiteral("Show the version.")};

    QList<QCommandLineOption> all() const
    {
        return {url,    host, port,   socket,   password, user,    database, tls,
                caCert, cert, key,    sni,      insecure, profile, settings, timeout,
                format, yes,  dryRun, readOnly, help,     version};
    }
};

QString optionsHelp(const QList<QCommandLineOption> &options)
{
    QStringList names;
    for (const QCommandLineOption &option : options) {
        QStringList forms;
        for (const QString &name : option.names())
            forms << (name.size() == 1 ? QStringLiteral("-") : QStringLiteral("--")) + name;
        QString text = forms.join(QStringLiteral(", "));
        if (!option.valueName().isEmpty())
            text += QStringLiteral(" <%1>").arg(option.valueName());
        names << text;
    }
    int width = 0;
    for (const QString &n : std::as_const(names))
        width = qMax(width, int(n.size()));
    QString text;
    for (int i = 0; i < options.size(); ++i)
        text += QStringLiteral("  %1  %2\n")
                    .arg(names[i].leftJustified(width), options[i].description());
    return text;
}

QString mainHelp(const std::vector<std::unique_ptr<CtlCommand>> &commands,
                 const GlobalOptions &global)
{
    QString text = QStringLiteral(
        "Usage: weirctl [connection options] COMMAND [options] [arguments]\n\n"
        "Reads, checks and repairs message queues on Redis Streams, as Weir does.\n\n"
        "Commands:\n");
    int width = 0;
    for (const auto &c : commands)
        width = qMax(width, int(c->spec().name.size()));
    for (const auto &c : commands)
        text += QStringLiteral("  %1  %2\n")
                    .arg(c->spec().name.leftJustified(width), c->spec().summary);
    text += QStringLiteral("\nOptions:\n") + optionsHelp(global.all());
    text += QStringLiteral(
        "\nThe password may also come from the REDISCLI_AUTH environment variable.\n"
        "Exit codes: 0 done, 1 Redis refused or some items failed, 64 usage error, 69 no\n"
        "connection, 77 a write refused (not confirmed, read-only), 130 stopped by Ctrl-C;\n"
        "check: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.\n"
        "See `weirctl COMMAND --help` and man weirctl(1).\n");
    return text;
}

QString commandHelp(const CtlCommand &command)
{
    const CtlCommand::Spec spec = command.spec();
    QString text =
        QStringLiteral("Usage: weirctl [connection options] %1 [options]%2\n\n%3\n")
            .arg(spec.name,
                 spec.arguments.isEmpty() ? QString() : QLatin1Char(' ') + spec.arguments,
                 spec.summary);
    if (!spec.description.isEmpty())
        text += QLatin1Char('\n') + spec.description.trimmed() + QLatin1Char('\n');
    const QList<QCommandLineOption> options = command.options();
    if (!options.isEmpty())
        text += QStringLiteral("\nOptions:\n") + optionsHelp(options);
    if (spec.writes)
        text += QStringLiteral(
            "\nA write: it says what it will do and asks on a terminal; --yes writes without\n"
            "asking (needed when not on a terminal), --dry-run only prints what it would\n"
            "write. Refused (exit 77) on a read-only connection.\n");
    if (!spec.examples.isEmpty()) {
        text += QStringLiteral("\nExamples:\n");
        for (const QString &example : spec.examples)
            text += QStringLiteral("  ") + example + QLatin1Char('\n');
    }
    text += QStringLiteral("\nConnection options: see `weirctl --help`.\n");
    return text;
}

// Builds the connection's options from the command line; false with the reason.
bool connectionOptions(const QCommandLineParser &parser, const GlobalOptions &g,
                       const ConnectionProfile *profile, ConnectionOptions *out, QString *error)
{
    ConnectionOptions options = profile ? profile->options : ConnectionOptions();
    if (parser.isSet(g.url)) {
        if (!ConnectionOptions::fromUrl(parser.value(g.url), &options, error, options))
            return false;
    }
    if (parser.isSet(g.host))
        options.host = parser.value(g.host);
    if (parser.isSet(g.port)) {
        bool ok = false;
        const uint port = parser.value(g.port).toUInt(&ok);
        if (!ok || port == 0 || port > 65535) {
            *error = QStringLiteral("-p: not a port number: %1").arg(parser.value(g.port));
            return false;
        }
        options.port = quint16(port);
    }
    if (parser.isSet(g.socket)) {
        options.transport = ConnectionOptions::Transport::Unix;
        options.socketPath = parser.value(g.socket);
    }
    if (parser.isSet(g.user))
        options.username = parser.value(g.user);
    if (parser.isSet(g.password))
        options.password = parser.value(g.password);
    if (parser.isSet(g.database)) {
        bool ok = false;
        options.database = parser.value(g.database).toInt(&ok);
        if (!ok || options.database < 0) {
            *error = QStringLiteral("-n: not a database number: %1").arg(parser.value(g.database));
            return false;
        }
    }
    if (parser.isSet(g.tls))
        options.tls = true;
    if (parser.isSet(g.caCert))
        options.caFile = parser.value(g.caCert);
    if (parser.isSet(g.cert))
        options.certFile = parser.value(g.cert);
    if (parser.isSet(g.key))
        options.keyFile = parser.value(g.key);
    if (parser.isSet(g.sni))
        options.sniName = parser.value(g.sni);
    if (parser.isSet(g.insecure))
        options.verifyPeer = false;
    if (parser.isSet(g.readOnly))
        options.readOnly = true;
    if (parser.isSet(g.timeout)) {
        bool ok = false;
        const int ms = parser.value(g.timeout).toInt(&ok);
        if (!ok || ms <= 0) {
            *error = QStringLiteral("--timeout: not a number of milliseconds: %1")
                         .arg(parser.value(g.timeout));
            return false;
        }
        options.connectTimeoutMs = ms;
        options.commandTimeoutMs = ms;
    }
    *error = options.validate();
    if (!error->isEmpty())
        return false;
    *out = options;
    return true;
}

// The one run of weirctl: reads the password if it must, connects, runs the command.
class Launcher : public QObject
{
public:
    Launcher(CtlCommand *command, CtlRun *run, const ConnectionOptions &options)
        : m_command(command)
        , m_run(run)
        , m_options(options)
    {}

    // keychainId: the profile whose password to read first (empty: none).
    void start(const QString &keychainId, bool sentinelToo)
    {
        if (keychainId.isEmpty()) {
            connectAndRun();
            return;
        }
        m_credentials = new CredentialStore(QStringLiteral("Weir"), this);
        m_credentials->readPassword(
            keychainId,
            [this, keychainId, sentinelToo](std::optional<QString> password, const QString &error) {
            if (password) {
                m_options.password = *password;
            } else {
                m_run->err() << "weirctl: the keychain has no password for this profile (" << error
                             << ")";
                if (qEnvironmentVariableIsSet("REDISCLI_AUTH")) {
                    m_run->err() << "; using REDISCLI_AUTH\n";
                    m_options.password = qEnvironmentVariable("REDISCLI_AUTH");
                } else {
                    m_run->err() << "; set REDISCLI_AUTH to give it\n";
                }
                m_run->err().flush();
            }
            if (!sentinelToo) {
                connectAndRun();
                return;
            }
            m_credentials->readPassword(
                CredentialStore::sentinelKey(keychainId),
                [this](std::optional<QString> sentinelPassword, const QString &) {
                if (sentinelPassword)
                    m_options.sentinelPassword = *sentinelPassword;
                connectAndRun();
                });
            });
    }

private:
    void connectAndRun()
    {
        if (!m_command->spec().connects) {
            m_command->run(*m_run);
            return;
        }
        auto *connection = new RedisConnection(m_options, this);
        m_run->setConnection(connection);
        connect(connection, &RedisConnection::stateChanged, this,
                [this, connection](ConnectionState state, const QString &message) {
            if (state == ConnectionState::Connected && !m_started) {
                m_started = true;
                m_command->run(*m_run);
            } else if (state == ConnectionState::Failed && !m_started) {
                m_run->printError(
                    QStringLiteral("cannot connect to %1").arg(connection->options().endpoint()),
                    message);
                m_run->finish(m_command->connectionFailedExit());
            }
        });
        connection->open(false);
    }

    CtlCommand *m_command;
    CtlRun *m_run;
    ConnectionOptions m_options;
    CredentialStore *m_credentials = nullptr;
    bool m_started = false;
};

} // namespace

int runWeirctl()
{
    QTextStream out(stdout);
    QTextStream err(stderr);
    std::vector<std::unique_ptr<CtlCommand>> commands = makeCommands();
    const GlobalOptions global;

    // First pass: the global options alone, to find the command's name.
    QCommandLineParser parser;
    parser.addOptions(global.all());
    parser.parse(QCoreApplication::arguments());
    QStringList positional = parser.positionalArguments();
    if (parser.isSet(global.version)) {
        out << "weirctl " << QCoreApplication::applicationVersion() << '\n';
        return CtlExit::Ok;
    }
    bool helpAsked = parser.isSet(global.help);
    if (!positional.isEmpty() && positional.first() == QLatin1String("help")) {
        positional.removeFirst();
        helpAsked = true;
    }
    if (positional.isEmpty()) {
        (helpAsked ? out : err) << mainHelp(commands, global);
        return helpAsked ? CtlExit::Ok : CtlExit::Usage;
    }
    const QString name = positional.takeFirst();
    CtlCommand *command = nullptr;
    for (const auto &c : commands)
        if (c->spec().name == name)
            command = c.get();
    if (!command) {
        err << "weirctl: no command called \"" << name << "\"; see weirctl --help\n";
        return CtlExit::Usage;
    }
    if (helpAsked) {
        out << commandHelp(*command);
        return CtlExit::Ok;
    }

    // Second pass, with the command's own options too.
    parser.addOptions(command->options());
    if (!parser.parse(QCoreApplication::arguments())) {
        err << "weirctl " << name << ": " << parser.errorText() << "\n";
        return CtlExit::Usage;
    }
    positional = parser.positionalArguments();
    positional.removeFirst();

    CtlRun::Flags flags;
    flags.format = CtlRun::stdoutIsTerminal() ? OutputFormat::Table : OutputFormat::Json;
    if (parser.isSet(global.format)
        && !RecordWriter::parseFormat(parser.value(global.format), &flags.format)) {
        err << "weirctl: --format: not table, json or csv: " << parser.value(global.format) << '\n';
        return CtlExit::Usage;
    }
    flags.assumeYes = parser.isSet(global.yes);
    flags.dryRun = parser.isSet(global.dryRun);

    std::unique_ptr<QSettings> settings =
        parser.isSet(global.settings)
            ? std::make_unique<QSettings>(parser.value(global.settings), QSettings::IniFormat)
            : std::make_unique<QSettings>();
    std::optional<ConnectionProfile> profile;
    if (parser.isSet(global.profile)) {
        const QString wanted = parser.value(global.profile);
        const QList<ConnectionProfile> saved = ProfileStore(settings.get()).load();
        for (const ConnectionProfile &p : saved)
            if (p.options.name == wanted || p.id == wanted)
                profile = p;
        if (!profile) {
            QStringList names;
            for (const ConnectionProfile &p : saved)
                names << p.options.name;
            err << "weirctl: no saved connection called \"" << wanted << "\""
                << (names.isEmpty()
                        ? QStringLiteral("; Weir has none saved")
                        : QStringLiteral("; saved: ") + names.join(QStringLiteral(", ")))
                << '\n';
            return CtlExit::Usage;
        }
    }

    ConnectionOptions options;
    QString error;
    if (!connectionOptions(parser, global, profile ? &*profile : nullptr, &options, &error)) {
        err << "weirctl: " << error << '\n';
        return CtlExit::Usage;
    }
    if (parser.isSet(global.password) || (parser.isSet(global.url) && !options.password.isEmpty()))
        err << "weirctl: warning: a password on the command line can be seen by other users "
               "of this machine (ps, shell history); prefer REDISCLI_AUTH or --profile.\n";
    if (options.password.isEmpty() && qEnvironmentVariableIsSet("REDISCLI_AUTH")
        && !(profile && profile->passwordInKeychain))
        options.password = qEnvironmentVariable("REDISCLI_AUTH");

    const QString usage = command->configure(parser, positional);
    if (!usage.isEmpty()) {
        err << "weirctl " << name << ": " << usage << "\nSee weirctl " << name << " --help\n";
        return CtlExit::Usage;
    }
    err.flush();

    CtlRun run(flags);
    run.setSettings(settings.get());
    Launcher launcher(command, &run, options);
    const bool fromKeychain =
        profile && profile->passwordInKeychain && !parser.isSet(global.password);
    QTimer::singleShot(0, &launcher, [&] {
        launcher.start(fromKeychain ? profile->id : QString(),
                       fromKeychain && profile->sentinelPasswordInKeychain);
    });
    return QCoreApplication::exec();
}
