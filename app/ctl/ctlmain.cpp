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
#include <optional>

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
    QCommandLineOption noAuthWarning{
        QStringLiteral("no-auth-warning"),
        QStringLiteral("No warning about a password given with -a or in the URL.")};
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
    QCommandLineOption timeout{
        QStringLiteral("timeout"),
        QStringLiteral("Connect and command timeout (default: 5000 to connect, "
                       "10000 a command)."),
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
        return {url,     host,   port, socket, password, noAuthWarning, user,    database,
                tls,     caCert, cert, key,    sni,      insecure,      profile, settings,
                timeout, format, yes,  dryRun, readOnly, help,          version};
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
    // Descriptions wrapped to fit 80 columns, under their own column.
    const int indent = width + 4;
    const int room = qMax(30, 79 - indent);
    QString text;
    for (int i = 0; i < options.size(); ++i) {
        QStringList lines;
        QString line;
        const QStringList words = options[i].description().split(QLatin1Char(' '));
        for (const QString &word : words) {
            if (!line.isEmpty() && line.size() + 1 + word.size() > room) {
                lines << line;
                line.clear();
            }
            line += (line.isEmpty() ? QString() : QStringLiteral(" ")) + word;
        }
        lines << line;
        text += QStringLiteral("  %1  %2\n")
                    .arg(names[i].leftJustified(width),
                         lines.join(QLatin1Char('\n') + QString(indent, QLatin1Char(' '))));
    }
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

    // With a profile whose passwords are in the keychain: reads the data nodes' (when
    // readPassword) and the sentinels' (when readSentinelPassword) first. A keychain that
    // holds none, cannot be reached or does not answer in time (a locked one waits for a
    // prompt nobody sees on a server) is said on stderr, and REDISCLI_AUTH stands in for
    // the data nodes' password, as operators of a headless host expect.
    void start(const ConnectionProfile *profile, bool readPassword, bool readSentinelPassword)
    {
        if (!profile || (!readPassword && !readSentinelPassword)) {
            connectAndRun();
            return;
        }
        m_profileName = profile->options.name;
        m_profileId = profile->id;
        m_readSentinelPassword = readSentinelPassword;
        m_credentials = new CredentialStore(QStringLiteral("Weir"), this);
        QTimer::singleShot(KeychainWaitMs, this, [this] {
            if (m_keychainAnswered)
                return;
            m_keychainAnswered = true;
            const QString why = QStringLiteral("the keychain did not answer within %1 s")
                                    .arg(KeychainWaitMs / 1000);
            if (m_options.password.isEmpty())
                usePasswordFromEnvironment(why);
            else
                m_run->err() << "weirctl: " << why << "; asking the sentinels without a "
                             << "password\n";
            connectAndRun();
        });
        if (!readPassword) {
            readSentinelPasswordThenRun();
            return;
        }
        m_credentials->readPassword(m_profileId,
                                    [this](std::optional<QString> password, const QString &error) {
            if (m_keychainAnswered)
                return;
            if (password)
                m_options.password = *password;
            else if (error.isEmpty())
                usePasswordFromEnvironment(QStringLiteral("the keychain holds no password for "
                                                          "the saved connection \"%1\"")
                                               .arg(m_profileName));
            else
                usePasswordFromEnvironment(
                    QStringLiteral("no keychain is reachable (%1)").arg(error));
            readSentinelPasswordThenRun();
        });
    }

private:
    static constexpr int KeychainWaitMs = 10000;

    void readSentinelPasswordThenRun()
    {
        if (!m_readSentinelPassword) {
            m_keychainAnswered = true;
            connectAndRun();
            return;
        }
        m_credentials->readPassword(CredentialStore::sentinelKey(m_profileId),
                                    [this](std::optional<QString> password, const QString &error) {
            if (m_keychainAnswered)
                return;
            m_keychainAnswered = true;
            if (password)
                m_options.sentinelPassword = *password;
            else
                m_run->err() << "weirctl: the keychain gave no password for the sentinels of \""
                             << m_profileName << "\""
                             << (error.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(error))
                             << "; asking them without one\n";
            connectAndRun();
        });
    }

    void usePasswordFromEnvironment(const QString &why)
    {
        m_run->err() << "weirctl: " << why;
        if (qEnvironmentVariableIsSet("REDISCLI_AUTH")) {
            m_run->err() << "; using the password in REDISCLI_AUTH\n";
            m_options.password = qEnvironmentVariable("REDISCLI_AUTH");
        } else {
            m_run->err() << "; set REDISCLI_AUTH to give the password\n";
        }
        m_run->err().flush();
    }

    void connectAndRun()
    {
        auto *connection = new RedisConnection(m_options, this);
        m_run->setConnection(connection);
        connect(connection, &RedisConnection::stateChanged, this,
                [this, connection](ConnectionState state, const QString &message) {
            if (state == ConnectionState::Connected && !m_started) {
                m_started = true;
                m_command->run(*m_run);
            } else if (state == ConnectionState::Failed && !m_started) {
                m_started = true;
                m_run->printError(
                    QStringLiteral("cannot connect to %1").arg(connection->options().endpoint()),
                    message);
                m_command->connectionFailed(*m_run, connection->options().endpoint(), message);
                m_run->finish(m_command->connectionFailedExit());
            }
        });
        connection->open(false);
    }

    CtlCommand *m_command;
    CtlRun *m_run;
    ConnectionOptions m_options;
    QString m_profileName;
    QString m_profileId;
    bool m_readSentinelPassword = false;
    CredentialStore *m_credentials = nullptr;
    bool m_keychainAnswered = false;
    bool m_started = false;
};

// `weirctl __complete WORD... CURRENT`: what the shell may put in place of CURRENT, the
// word under the cursor, after the words before it (those after "weirctl"), one a line;
// "__files__" alone when a file name fits there. installer/weirctl.bash-completion asks
// this, so completion knows every command and option weirctl knows, and the profiles
// saved in Weir (or in the --settings file named on the line).
int complete(QStringList words, const std::vector<std::unique_ptr<CtlCommand>> &commands,
             const GlobalOptions &global, QTextStream &out)
{
    QString current = words.isEmpty() ? QString() : words.takeLast();
    QList<QCommandLineOption> known = global.all();
    CtlCommand *command = nullptr;
    bool helpWord = false;
    QString settingsFile;
    std::optional<QCommandLineOption> pending; // the option the next word is the value of
    bool optionsEnded = false;
    auto findOption = [&known](const QString &word) -> std::optional<QCommandLineOption> {
        const QString name = word.startsWith(QLatin1String("--")) ? word.mid(2) : word.mid(1);
        for (const QCommandLineOption &option : std::as_const(known))
            if (option.names().contains(name.section(QLatin1Char('='), 0, 0)))
                return option;
        return std::nullopt;
    };
    for (const QString &word : std::as_const(words)) {
        // Bash splits "--format=json" into "--format", "=", "json".
        if (pending && word == QLatin1String("="))
            continue;
        if (pending) {
            if (pending->names() == global.settings.names())
                settingsFile = word;
            pending.reset();
            continue;
        }
        if (!optionsEnded && word == QLatin1String("--")) {
            optionsEnded = true;
        } else if (!optionsEnded && word.size() > 1 && word.startsWith(QLatin1Char('-'))) {
            const std::optional<QCommandLineOption> option = findOption(word);
            if (option && !option->valueName().isEmpty() && !word.contains(QLatin1Char('=')))
                pending = option;
        } else if (!command && word == QLatin1String("help")) {
            helpWord = true;
        } else if (!command) {
            for (const auto &c : commands)
                if (c->spec().name == word)
                    command = c.get();
            if (command)
                known += command->options();
        }
    }
    if (pending && current == QLatin1String("="))
        current.clear();

    QStringList candidates;
    if (pending) {
        const QString value = pending->valueName();
        if (value == QLatin1String("file") || value == QLatin1String("path")) {
            out << "__files__\n";
            return CtlExit::Ok;
        }
        if (pending->names() == global.format.names()) {
            candidates = {QStringLiteral("table"), QStringLiteral("json"), QStringLiteral("csv")};
        } else if (pending->names() == global.profile.names()) {
            QSettings defaults;
            QSettings named(settingsFile, QSettings::IniFormat);
            for (const ConnectionProfile &p :
                 ProfileStore(settingsFile.isEmpty() ? &defaults : &named).load())
                candidates << p.options.name;
        }
    } else if (!optionsEnded && current.startsWith(QLatin1Char('-'))) {
        for (const QCommandLineOption &option : std::as_const(known))
            for (const QString &name : option.names())
                if (name.size() > 1)
                    candidates << QStringLiteral("--") + name;
    } else if (!command) {
        for (const auto &c : commands)
            candidates << c->spec().name;
        if (!helpWord)
            candidates << QStringLiteral("help");
    }
    for (const QString &candidate : std::as_const(candidates))
        if (candidate.startsWith(current))
            out << candidate << '\n';
    return CtlExit::Ok;
}

} // namespace

int runWeirctl()
{
    QTextStream out(stdout);
    QTextStream err(stderr);
    std::vector<std::unique_ptr<CtlCommand>> commands = makeCommands();
    const GlobalOptions global;
    const QStringList arguments = QCoreApplication::arguments();
    if (arguments.size() > 1 && arguments.at(1) == QLatin1String("__complete"))
        return complete(arguments.mid(2), commands, global, out);

    // First pass: the global options alone, to find the command's name.
    QCommandLineParser parser;
    parser.addOptions(global.all());
    // Errors here may be the command's own options, known only in the second pass.
    const bool globalsParsed = parser.parse(QCoreApplication::arguments());
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
        if (!globalsParsed && !helpAsked)
            err << "weirctl: " << parser.errorText() << "\n\n";
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
            // The file too: a profile saved by another user or in another HOME is a
            // usual reason.
            err << "weirctl: no saved connection called \"" << wanted << "\" in "
                << settings->fileName()
                << (names.isEmpty()
                        ? QStringLiteral("; none is saved there")
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
    // As redis-cli: a password on the command line wins over REDISCLI_AUTH, and is
    // warned about, since `ps` and the shell's history show it to others.
    const bool passwordGiven = !options.password.isEmpty();
    if ((passwordGiven || !options.sentinelPassword.isEmpty())
        && !parser.isSet(global.noAuthWarning))
        err << "weirctl: warning: a password on the command line (-a or in the URL) can be "
               "seen by other users of this machine; prefer REDISCLI_AUTH or --profile.\n";
    const bool fromKeychain = profile && profile->passwordInKeychain && !passwordGiven;
    // A sentinel_password in a -u URL wins over the keychain too.
    const bool sentinelFromKeychain = profile && profile->sentinelPasswordInKeychain
                                      && options.sentinelPassword.isEmpty()
                                      && options.usesSentinel();
    if (!passwordGiven && !fromKeychain) {
        if (qEnvironmentVariableIsSet("REDISCLI_AUTH"))
            options.password = qEnvironmentVariable("REDISCLI_AUTH");
        else if (profile && profile->askPassword)
            err << "weirctl: the saved connection \"" << profile->options.name
                << "\" asks for its password on connect; set REDISCLI_AUTH to give it\n";
    }

    const QString usage = command->configure(parser, positional);
    if (!usage.isEmpty()) {
        err << "weirctl " << name << ": " << usage << "\nSee weirctl " << name << " --help\n";
        return CtlExit::Usage;
    }
    err.flush();

    CtlRun run(flags);
    run.setSettings(settings.get());
    Launcher launcher(command, &run, options);
    QTimer::singleShot(0, &launcher, [&] {
        launcher.start(profile ? &*profile : nullptr, fromKeychain, sentinelFromKeychain);
    });
    return QCoreApplication::exec();
}
