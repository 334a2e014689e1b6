// weirctl's connection handling, run as operators run it: redis-cli's options and URLs
// (TCP, unix socket, TLS with CA and client certificates, Sentinel), passwords from -a,
// URLs, REDISCLI_AUTH and saved profiles (never echoed), exit codes 64 and 69, help with
// examples for every command, and the man page and bash completion kept in step with
// what `weirctl --help` lists. The subcommand that exercises a connection is `groups`.

#include "../integration/integrationsupport.h"
#include "connectionprofiles.h"
#include "ctlcommand.h"
#include "ctltestsupport.h"
#include "localrediscluster.h"
#include "localsentinelset.h"
#include "runcommands.h"

#include <QFile>
#include <QRegularExpression>
#include <QSettings>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QtTest>

#include <csignal>

using namespace ctltest;

namespace {

const QString AlicePassword = QStringLiteral("alice-Pw-7q");
const QString WrongPassword = QStringLiteral("wrong-Pw-9z");

QString arg(const char *text)
{
    return QString::fromLatin1(text);
}

QProcessEnvironment envWith(const QString &name, const QString &value)
{
    QProcessEnvironment env = ctlEnvironment();
    env.insert(name, value);
    return env;
}

// The command names `weirctl --help` lists.
QStringList listedCommands()
{
    const CtlResult help = runCtl({QStringLiteral("--help")});
    QStringList names;
    bool inCommands = false;
    for (const QByteArray &line : help.out.split('\n')) {
        if (line == "Commands:") {
            inCommands = true;
        } else if (inCommands) {
            if (!line.startsWith("  "))
                break;
            names << QString::fromUtf8(line.trimmed().split(' ').first());
        }
    }
    return names;
}

// The long option names ("--consumer") a help text lists in its Options section.
QStringList listedOptions(const QByteArray &help)
{
    QStringList names;
    static const QRegularExpression option(QStringLiteral("^  (?:-\\S, )?(--[a-z-]+)"));
    for (const QByteArray &line : help.split('\n')) {
        const QRegularExpressionMatch m = option.match(QString::fromUtf8(line));
        if (m.hasMatch())
            names << m.captured(1);
    }
    return names;
}

} // namespace

class TestCtlConnect : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void reaches_data();
    void reaches();
    void aclUserWithRedisCliAuth();
    void wrongPasswordIsRefused();
    void passwordOnCommandLine_data();
    void passwordOnCommandLine();
    void connectionRefused();
    void stoppedWhileWaiting_data();
    void stoppedWhileWaiting();
    void usageErrors_data();
    void usageErrors();
    void unknownProfile();
    void profileWithoutKeychain();
    void formats();
    void helpOfEveryCommandHasExamples();
    void manPageDocumentsEveryCommand();
    void bashCompletion_data();
    void bashCompletion();
    void bashCompletionOfEveryCommand();
    void tls_data();
    void tls();
    void sentinel();
    void cluster();

private:
    QStringList server() const { return serverArgs(*m_server); }
    bool openssl(const QStringList &arguments);
    // Runs the bash completion of weirctl on `words` (those after "weirctl", the last one
    // under the cursor); false when it could not be run.
    bool bashComplete(const QStringList &words, QStringList *answer);
    QString file(const QString &name) const { return m_dir.filePath(name); }

    std::unique_ptr<LocalRedisServer> m_server;
    std::unique_ptr<LocalRedisServer> m_tlsServer; // started by the first tls() row
    QTemporaryDir m_dir;
};

void TestCtlConnect::initTestCase()
{
    QVERIFY(m_dir.isValid());
    LocalRedisServer::Config config;
    config.unixSocket = true;
    // The default user (no password) may not read alice's keys: a connection that reads
    // them proves it authenticated as alice.
    config.extraLines << QStringLiteral("user default on nopass resetkeys ~orders* +@all")
                      << QStringLiteral("user alice on >%1 ~* +@all").arg(AlicePassword);
    m_server = std::make_unique<LocalRedisServer>(config);
    START_SERVER(*m_server);
    ConnectionOptions options = integration::quickOptions(*m_server);
    fillPending(options, "orders", "billing", 2);
    options.database = 3;
    fillPending(options, "orders3", "audit", 1);
    options.database = 0;
    options.username = QStringLiteral("alice");
    options.password = AlicePassword;
    fillPending(options, "alice-orders", "alice-group", 4);
}

void TestCtlConnect::reaches_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("stream");
    QTest::addColumn<QString>("group");
    QTest::addColumn<int>("pending");
    const QString port = QString::number(m_server->port());
    const QString socket = m_server->socketPath();
    QTest::newRow("-h -p") << server() << "orders"
                           << "billing" << 2;
    QTest::newRow("-h -p -n") << server() + QStringList{arg("-n"), arg("3")} << "orders3"
                              << "audit" << 1;
    QTest::newRow("-p alone") << QStringList{arg("-p"), port} << "orders"
                              << "billing" << 2;
    QTest::newRow("redis:// URL") << QStringList{arg("-u"), arg("redis://127.0.0.1:") + port}
                                  << "orders"
                                  << "billing" << 2;
    QTest::newRow("redis:// URL with db")
        << QStringList{arg("--url"), arg("redis://127.0.0.1:") + port + arg("/3")} << "orders3"
        << "audit" << 1;
    QTest::newRow("redis:// URL, ?db=")
        << QStringList{arg("-u"), arg("redis://127.0.0.1:") + port + arg("?db=3")} << "orders3"
        << "audit" << 1;
    QTest::newRow("-s") << QStringList{arg("-s"), socket} << "orders"
                        << "billing" << 2;
    QTest::newRow("-s -n") << QStringList{arg("--socket"), socket, arg("-n"), arg("3")} << "orders3"
                           << "audit" << 1;
    QTest::newRow("unix:// URL") << QStringList{arg("-u"), arg("unix://") + socket + arg("?db=3")}
                                 << "orders3"
                                 << "audit" << 1;
}

void TestCtlConnect::reaches()
{
    QFETCH(QStringList, args);
    QFETCH(QString, stream);
    QFETCH(QString, group);
    QFETCH(int, pending);
    const CtlResult result = runCtl(args + QStringList{QStringLiteral("groups"), stream});
    QVERIFY2(result.exitCode == CtlExit::Ok, result.describe());
    QCOMPARE(pendingOf(result, group), pending);
    QVERIFY2(!result.err.contains("warning"), result.describe());
}

void TestCtlConnect::aclUserWithRedisCliAuth()
{
    const QStringList args =
        server() + QStringList{arg("--user"), arg("alice"), arg("groups"), arg("alice-orders")};
    const CtlResult result = runCtl(args, envWith(QStringLiteral("REDISCLI_AUTH"), AlicePassword));
    QVERIFY2(result.exitCode == CtlExit::Ok, result.describe());
    QCOMPARE(pendingOf(result, QStringLiteral("alice-group")), 4);
    // The environment is the safe way: no warning.
    QVERIFY2(result.err.isEmpty(), result.describe());

    // Without her password the key stays closed (not authenticated, or as the default user).
    const CtlResult without = runCtl(args);
    QVERIFY2(without.exitCode != CtlExit::Ok, without.describe());
    QVERIFY2(!without.out.contains("alice-group"), without.describe());
}

void TestCtlConnect::wrongPasswordIsRefused()
{
    const CtlResult result = runCtl(
        server() + QStringList{arg("--user"), arg("alice"), arg("groups"), arg("alice-orders")},
        envWith(QStringLiteral("REDISCLI_AUTH"), WrongPassword));
    QVERIFY2(result.exitCode == CtlExit::Unavailable, result.describe());
    QVERIFY2(result.out.isEmpty(), result.describe());
    // Redis's own words, then Weir's hint.
    QVERIFY2(result.err.contains("WRONGPASS invalid username-password pair"), result.describe());
    QVERIFY2(result.err.contains("\nhint: "), result.describe());
    QVERIFY2(!result.err.contains(WrongPassword.toUtf8()), result.describe());
}

void TestCtlConnect::passwordOnCommandLine_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("environment"); // REDISCLI_AUTH, which the command line beats
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QString>("password"); // what must not be printed
    QTest::addColumn<bool>("warned");
    const QString port = QString::number(m_server->port());
    QTest::newRow("-a") << server()
                               + QStringList{arg("--user"), arg("alice"), arg("-a"), AlicePassword}
                        << QString() << CtlExit::Ok << AlicePassword << true;
    QTest::newRow("-a --no-auth-warning")
        << server()
               + QStringList{arg("--user"), arg("alice"), arg("-a"), AlicePassword,
                             arg("--no-auth-warning")}
        << QString() << CtlExit::Ok << AlicePassword << false;
    QTest::newRow("--pass beats REDISCLI_AUTH")
        << server() + QStringList{arg("--user"), arg("alice"), arg("--pass"), AlicePassword}
        << WrongPassword << CtlExit::Ok << AlicePassword << true;
    QTest::newRow("URL")
        << QStringList{arg("-u"),
                       QStringLiteral("redis://alice:%1@127.0.0.1:%2").arg(AlicePassword, port)}
        << QString() << CtlExit::Ok << AlicePassword << true;
    QTest::newRow("-a wrong") << server()
                                     + QStringList{arg("--user"), arg("alice"), arg("-a"),
                                                   WrongPassword}
                              << QString() << CtlExit::Unavailable << WrongPassword << true;
    QTest::newRow("URL wrong")
        << QStringList{arg("-u"),
                       QStringLiteral("redis://alice:%1@127.0.0.1:%2").arg(WrongPassword, port)}
        << AlicePassword << CtlExit::Unavailable << WrongPassword << true;
}

void TestCtlConnect::passwordOnCommandLine()
{
    QFETCH(QStringList, args);
    QFETCH(QString, environment);
    QFETCH(int, exitCode);
    QFETCH(QString, password);
    QFETCH(bool, warned);
    const QProcessEnvironment env = environment.isEmpty()
                                        ? ctlEnvironment()
                                        : envWith(QStringLiteral("REDISCLI_AUTH"), environment);
    const CtlResult result = runCtl(args + QStringList{arg("groups"), arg("alice-orders")}, env);
    QVERIFY2(result.exitCode == exitCode, result.describe());
    if (exitCode == CtlExit::Ok)
        QCOMPARE(pendingOf(result, QStringLiteral("alice-group")), 4);
    // As redis-cli does: a warning that others can see a password given this way.
    QCOMPARE(result.err.startsWith("weirctl: warning: a password on the command line"), warned);
    QVERIFY2(!result.out.contains(password.toUtf8()), result.describe());
    QVERIFY2(!result.err.contains(password.toUtf8()), result.describe());
}

void TestCtlConnect::connectionRefused()
{
    const quint16 port = freeLoopbackPort();
    QVERIFY(port != 0);
    const CtlResult result = runCtl({arg("-p"), QString::number(port), arg("groups"), arg("x")});
    QVERIFY2(result.exitCode == CtlExit::Unavailable, result.describe());
    QVERIFY2(result.out.isEmpty(), result.describe());
    QVERIFY2(
        result.err.startsWith("weirctl: cannot connect to 127.0.0.1:" + QByteArray::number(port)),
        result.describe());
    QVERIFY2(result.err.contains("\nhint: Nothing is listening there"), result.describe());
}

void TestCtlConnect::stoppedWhileWaiting_data()
{
    QTest::addColumn<int>("signal");
    QTest::newRow("Ctrl-C") << int(SIGINT);
    QTest::newRow("SIGTERM") << int(SIGTERM);
}

void TestCtlConnect::stoppedWhileWaiting()
{
    // A server that takes the connection and never answers: weirctl waits on the event
    // loop, and a signal ends it at once, saying so, with exit 130.
    QFETCH(int, signal);
    QTcpServer silent;
    QVERIFY(silent.listen(QHostAddress::LocalHost));
    std::unique_ptr<QProcess> process =
        startCtl({arg("-p"), QString::number(silent.serverPort()), arg("--timeout"), arg("30000"),
                  arg("groups"), arg("orders")});
    QVERIFY(process->waitForStarted(10000));
    QTRY_VERIFY_WITH_TIMEOUT(silent.hasPendingConnections(), 10000);
    QCOMPARE(::kill(pid_t(process->processId()), signal), 0);
    const CtlResult result = finishCtl(*process, 10000);
    QVERIFY2(result.finished, result.describe());
    QVERIFY2(result.exitCode == CtlExit::Interrupted, result.describe());
    QVERIFY2(result.err.contains("weirctl: interrupted"), result.describe());
}

void TestCtlConnect::usageErrors_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("says"); // a part of what stderr must say
    const QString port = QString::number(m_server->port());
    QTest::newRow("nothing") << QStringList() << "Usage: weirctl";
    QTest::newRow("unknown command") << QStringList{arg("frobnicate")} << "frobnicate";
    QTest::newRow("unknown option")
        << QStringList{arg("groups"), arg("orders"), arg("--frob")} << "frob";
    QTest::newRow("option of another command")
        << QStringList{arg("groups"), arg("orders"), arg("--consumer"), arg("c1")} << "consumer";
    QTest::newRow("missing argument") << QStringList{arg("groups")} << "weirctl groups --help";
    QTest::newRow("bad port") << QStringList{arg("-p"), arg("http"), arg("groups"), arg("orders")}
                              << "port";
    QTest::newRow("port out of range")
        << QStringList{arg("-p"), arg("70000"), arg("groups"), arg("orders")} << "port";
    QTest::newRow("bad database") << QStringList{arg("-n"), arg("x"), arg("groups"), arg("o")}
                                  << "database";
    QTest::newRow("bad format") << QStringList{arg("--format"), arg("yaml"), arg("groups"),
                                               arg("orders")}
                                << "yaml";
    QTest::newRow("bad scheme") << QStringList{arg("-u"), arg("http://127.0.0.1:") + port,
                                               arg("groups"), arg("orders")}
                                << "scheme";
    QTest::newRow("sentinel URL without master")
        << QStringList{arg("-u"), arg("redis-sentinel://127.0.0.1:26379"), arg("groups"),
                       arg("orders")}
        << "master";
    QTest::newRow("bad timeout") << QStringList{arg("--timeout"), arg("0"), arg("groups"),
                                                arg("orders")}
                                 << "timeout";
    QTest::newRow("certificate without key")
        << QStringList{arg("--tls"), arg("--cert"), QCoreApplication::applicationFilePath(),
                       arg("groups"), arg("orders")}
        << "key";
    QTest::newRow("missing value") << QStringList{arg("groups"), arg("orders"), arg("-p")} << "-p";
    QTest::newRow("missing value, no command") << QStringList{arg("-h")} << "after '-h'";
    QTest::newRow("password in a bad URL") << QStringList{
        arg("-u"), QStringLiteral("redis://alice:%1@127.0.0.1:notaport").arg(AlicePassword),
        arg("groups"), arg("orders")} << "notaport";
    QTest::newRow("password in a URL without master") << QStringList{
        arg("-u"), QStringLiteral("redis-sentinel://:%1@127.0.0.1:26379").arg(AlicePassword),
        arg("groups"), arg("orders")} << "master";
}

void TestCtlConnect::usageErrors()
{
    QFETCH(QStringList, args);
    QFETCH(QString, says);
    const CtlResult result = runCtl(args);
    QVERIFY2(result.exitCode == CtlExit::Usage, result.describe());
    QVERIFY2(result.out.isEmpty(), result.describe());
    QVERIFY2(result.err.contains(says.toUtf8()), result.describe());
    QVERIFY2(!result.err.contains(AlicePassword.toUtf8()), result.describe());
}

void TestCtlConnect::unknownProfile()
{
    QSettings settings(privateSettingsFile(), QSettings::IniFormat);
    ConnectionProfile profile;
    profile.id = QStringLiteral("listed-id");
    profile.options.name = QStringLiteral("staging");
    ProfileStore(&settings).save(profile);
    settings.sync();
    const CtlResult result = runCtl({arg("--profile"), arg("production"), arg("groups"), arg("o")});
    QVERIFY2(result.exitCode == CtlExit::Usage, result.describe());
    QVERIFY2(result.err.contains("\"production\""), result.describe());
    QVERIFY2(result.err.contains("saved: staging"), result.describe());
    QVERIFY2(result.err.contains(" in " + privateSettingsFile().toUtf8()), result.describe());
}

void TestCtlConnect::profileWithoutKeychain()
{
    // A profile whose password Weir put in the keychain, on a host where no keychain can
    // be reached (no session bus answers): weirctl says so and takes REDISCLI_AUTH.
    QSettings settings(privateSettingsFile(), QSettings::IniFormat);
    ConnectionProfile profile;
    profile.id = QStringLiteral("no-keychain-id");
    profile.options = integration::quickOptions(*m_server);
    profile.options.name = QStringLiteral("queues as alice");
    profile.options.username = QStringLiteral("alice");
    profile.passwordInKeychain = true;
    ProfileStore(&settings).save(profile);
    settings.sync();

    QProcessEnvironment env = ctlEnvironment();
    env.insert(QStringLiteral("DBUS_SESSION_BUS_ADDRESS"),
               QStringLiteral("unix:path=") + file(QStringLiteral("no-bus-here")));
    const QStringList args = {arg("--profile"), profile.options.name, arg("groups"),
                              arg("alice-orders")};
    const CtlResult unset = runCtl(args, env);
    QVERIFY2(unset.exitCode != CtlExit::Ok, unset.describe());
    QVERIFY2(unset.err.startsWith("weirctl: no keychain is reachable"), unset.describe());
    QVERIFY2(unset.err.contains("set REDISCLI_AUTH"), unset.describe());

    env.insert(QStringLiteral("REDISCLI_AUTH"), AlicePassword);
    const CtlResult result = runCtl(args, env);
    QVERIFY2(result.exitCode == CtlExit::Ok, result.describe());
    QCOMPARE(pendingOf(result, QStringLiteral("alice-group")), 4);
    QVERIFY2(result.err.startsWith("weirctl: no keychain is reachable"), result.describe());
    QVERIFY2(result.err.contains("using the password in REDISCLI_AUTH"), result.describe());
    QVERIFY2(!result.err.contains(AlicePassword.toUtf8()), result.describe());
}

void TestCtlConnect::formats()
{
    // Piped (as here), the default is JSON.
    const CtlResult json = runCtl(server() + QStringList{arg("groups"), arg("orders")});
    QVERIFY2(json.exitCode == CtlExit::Ok, json.describe());
    QCOMPARE(json.json().value(QStringLiteral("schema")).toString(),
             QStringLiteral("weirctl.groups"));
    QVERIFY(json.json().value(QStringLiteral("version")).isDouble());
    QCOMPARE(pendingOf(json, QStringLiteral("billing")), 2);

    const CtlResult table =
        runCtl(server() + QStringList{arg("--format"), arg("table"), arg("groups"), arg("orders")});
    QVERIFY2(table.exitCode == CtlExit::Ok, table.describe());
    const QList<QByteArray> lines = table.out.split('\n');
    qsizetype header = 0;
    while (header < lines.size() && !lines.at(header).startsWith("GROUP "))
        ++header;
    QVERIFY2(header < lines.size(), table.describe());
    QVERIFY2(lines.value(header + 1).startsWith("billing "), table.describe());

    const CtlResult csv =
        runCtl(server() + QStringList{arg("groups"), arg("orders"), arg("--format"), arg("csv")});
    QVERIFY2(csv.exitCode == CtlExit::Ok, csv.describe());
    QVERIFY2(csv.out.contains("\r\nname,"), csv.describe());
    QVERIFY2(csv.out.contains("\r\nbilling,"), csv.describe());
}

void TestCtlConnect::helpOfEveryCommandHasExamples()
{
    const CtlResult main = runCtl({arg("--help")});
    QVERIFY2(main.exitCode == CtlExit::Ok, main.describe());
    QVERIFY2(main.out.startsWith("Usage: weirctl"), main.describe());
    const QStringList commands = listedCommands();
    QVERIFY2(commands.contains(QStringLiteral("groups")), main.describe());
    for (const QString &command : commands) {
        const CtlResult help = runCtl({command, arg("--help")});
        QVERIFY2(help.exitCode == CtlExit::Ok,
                 (command.toUtf8() + ' ' + help.describe()).constData());
        QVERIFY2(help.out.startsWith("Usage: weirctl [connection options] " + command.toUtf8()),
                 (command.toUtf8() + ' ' + help.describe()).constData());
        QVERIFY2(help.out.contains("\nExamples:\n  weirctl "),
                 (command.toUtf8() + ' ' + help.describe()).constData());
        QCOMPARE(runCtl({arg("help"), command}).out, help.out);
    }
}

void TestCtlConnect::manPageDocumentsEveryCommand()
{
    const QString path = QFINDTESTDATA("../../installer/weirctl.1");
    QVERIFY(!path.isEmpty());
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    // roff writes a hyphen as "\-".
    const QString man = QString::fromUtf8(file.readAll()).replace(QLatin1String("\\-"), arg("-"));
    for (const QString &option : listedOptions(runCtl({arg("--help")}).out))
        QVERIFY2(man.contains(option), qPrintable(option + QLatin1String(" is not in weirctl.1")));
    for (const QString &command : listedCommands()) {
        // A section of its own, with its usage, every option and its JSON schema.
        const qsizetype at = man.indexOf(QStringLiteral("\n.SS ") + command + QLatin1Char('\n'));
        QVERIFY2(at >= 0, qPrintable(command + QLatin1String(" has no .SS section in weirctl.1")));
        const qsizetype end = man.indexOf(QStringLiteral("\n.S"), at + 4);
        const QString section = man.mid(at, end - at);
        for (const QString &option : listedOptions(runCtl({command, arg("--help")}).out))
            QVERIFY2(section.contains(option), qPrintable(command + QLatin1Char(' ') + option
                                                          + QLatin1String(" not in "
                                                                          "weirctl.1")));
    }
}

void TestCtlConnect::bashCompletion_data()
{
    QTest::addColumn<QStringList>("words"); // after "weirctl"; the last is under the cursor
    QTest::addColumn<QStringList>("expected");
    QTest::addColumn<bool>("exact"); // false: expected is a part of the answer
    QTest::newRow("commands") << QStringList{arg("")} << QStringList{arg("groups"), arg("help")}
                              << false;
    QTest::newRow("a command") << QStringList{arg("gro")} << QStringList{arg("groups")} << true;
    QTest::newRow("after options") << QStringList{arg("-h"), arg("db1"), arg("--tls"), arg("gr")}
                                   << QStringList{arg("groups")} << true;
    QTest::newRow("global options")
        << QStringList{arg("--u")} << QStringList{arg("--url"), arg("--user")} << true;
    QTest::newRow("after a command") << QStringList{arg("groups"), arg("orders"), arg("--for")}
                                     << QStringList{arg("--format")} << true;
    QTest::newRow("format values") << QStringList{arg("--format"), arg("")}
                                   << QStringList{arg("table"), arg("json"), arg("csv")} << true;
    QTest::newRow("format=") << QStringList{arg("--format"), arg("="), arg("j")}
                             << QStringList{arg("json")} << true;
    QTest::newRow("no command after one")
        << QStringList{arg("groups"), arg("gr")} << QStringList() << true;
    QTest::newRow("a host is not guessed")
        << QStringList{arg("-h"), arg("")} << QStringList() << true;
    QTest::newRow("profiles") << QStringList{arg("--settings"), privateSettingsFile(),
                                             arg("--profile"), arg("")}
                              << QStringList{arg("staging-eu")} << false;
    QTest::newRow("profile with a blank, quoted as typed")
        << QStringList{arg("--settings"), privateSettingsFile(), arg("--profile"),
                       arg("queues\\ o")}
        << QStringList{arg("queues\\ of\\ bob")} << true;
    const QString program = QCoreApplication::applicationFilePath();
    QTest::newRow("file names") << QStringList{arg("--cacert"), program.chopped(3)}
                                << QStringList{program} << false;
    QTest::newRow("profile with a blank")
        << QStringList{arg("--settings"), privateSettingsFile(), arg("--profile"), arg("queues")}
        << QStringList{arg("queues\\ of\\ bob")} << false;
}

void TestCtlConnect::bashCompletion()
{
    QFETCH(QStringList, words);
    QFETCH(QStringList, expected);
    QFETCH(bool, exact);
    {
        QSettings settings(privateSettingsFile(), QSettings::IniFormat);
        for (const QString &name :
             {QStringLiteral("staging-eu"), QStringLiteral("queues of bob")}) {
            ConnectionProfile profile;
            profile.id = name + QStringLiteral("-id");
            profile.options.name = name;
            ProfileStore(&settings).save(profile);
        }
    }
    QStringList answer;
    QVERIFY(bashComplete(words, &answer));
    if (exact) {
        std::sort(answer.begin(), answer.end());
        std::sort(expected.begin(), expected.end());
        QCOMPARE(answer, expected);
    } else {
        for (const QString &e : std::as_const(expected))
            QVERIFY2(answer.contains(e),
                     qPrintable(e + QLatin1String(" not in ") + answer.join(QLatin1Char(' '))));
    }
}

void TestCtlConnect::bashCompletionOfEveryCommand()
{
    // What each command's --help lists, completion offers after it: nothing to keep in step.
    const QStringList globals = listedOptions(runCtl({arg("--help")}).out);
    QVERIFY(globals.contains(QStringLiteral("--url")));
    QStringList commands;
    QVERIFY(bashComplete({QString()}, &commands));
    QCOMPARE(commands, listedCommands() + QStringList{arg("help")});
    for (const QString &command : listedCommands()) {
        QStringList answer;
        QVERIFY(bashComplete({command, arg("x"), arg("--")}, &answer));
        for (const QString &option : listedOptions(runCtl({command, arg("--help")}).out) + globals)
            QVERIFY2(answer.contains(option), qPrintable(command + QLatin1Char(' ') + option));
    }
}

bool TestCtlConnect::bashComplete(const QStringList &words, QStringList *answer)
{
    const QString bash = QStandardPaths::findExecutable(QStringLiteral("bash"));
    const QString script = QFINDTESTDATA("../../installer/weirctl.bash-completion");
    if (bash.isEmpty() || script.isEmpty()) {
        qWarning("no bash, or no installer/weirctl.bash-completion");
        return false;
    }
    // As bash calls a completion function: COMP_WORDS and COMP_CWORD set, COMPREPLY read.
    QProcess process;
    process.start(bash, QStringList{arg("--norc"), arg("--noprofile"), arg("-c"),
                                    arg("source \"$1\" || exit 9; shift; COMP_WORDS=(\"$@\"); "
                                        "COMP_CWORD=$(($# - 1)); COMP_LINE=\"$*\"; "
                                        "COMP_POINT=${#COMP_LINE}; _weirctl weirctl; "
                                        "printf '%s\\n' \"${COMPREPLY[@]}\""),
                                    arg("bash"), script, QStringLiteral(WEIRCTL_PATH)}
                            + words);
    if (!process.waitForFinished(20000) || process.exitCode() != 0) {
        qWarning("bash: %s", process.readAllStandardError().constData());
        return false;
    }
    *answer = QString::fromUtf8(process.readAllStandardOutput())
                  .split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    return true;
}

bool TestCtlConnect::openssl(const QStringList &arguments)
{
    QProcess process;
    process.setProcessChannelMode(QProcess::MergedChannels);
    process.start(QStringLiteral("openssl"), arguments);
    if (!process.waitForFinished(30000) || process.exitCode() != 0) {
        qWarning() << "openssl" << arguments << process.readAll();
        return false;
    }
    return true;
}

void TestCtlConnect::tls_data()
{
    QTest::addColumn<QStringList>("args"); // {PORT} stands for the server's port
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QString>("says"); // on stderr, when it fails
    const QStringList ca = {arg("--cacert"), file(arg("ca.crt"))};
    const QStringList client = {arg("--cert"), file(arg("client.crt")), arg("--key"),
                                file(arg("client.key"))};
    const QStringList hostPort = {arg("-h"), arg("127.0.0.1"), arg("-p"), arg("{PORT}")};
    QTest::newRow("--tls --cacert --cert --key")
        << hostPort + QStringList{arg("--tls")} + ca + client << CtlExit::Ok << QString();
    QTest::newRow("rediss:// URL")
        << QStringList{arg("-u"), arg("rediss://127.0.0.1:{PORT}")} + ca + client << CtlExit::Ok
        << QString();
    QTest::newRow("--sni") << hostPort + QStringList{arg("--tls"), arg("--sni"), arg("localhost")}
                                  + ca + client
                           << CtlExit::Ok << QString();
    QTest::newRow("--sni of another name")
        << hostPort + QStringList{arg("--tls"), arg("--sni"), arg("queues.example.org")} + ca
               + client
        << CtlExit::Unavailable << "hint: The certificate was issued for another name";
    QTest::newRow("no client certificate")
        << hostPort + QStringList{arg("--tls")} + ca << CtlExit::Unavailable << "hint: ";
    QTest::newRow("CA not given") << hostPort + QStringList{arg("--tls")} + client
                                  << CtlExit::Unavailable
                                  << "hint: The server's certificate is "
                                     "not trusted";
    QTest::newRow("plain to a TLS port") << hostPort + QStringList{arg("--timeout"), arg("2000")}
                                         << CtlExit::Unavailable << "hint: ";
}

void TestCtlConnect::tls()
{
    QFETCH(QStringList, args);
    QFETCH(int, exitCode);
    QFETCH(QString, says);
    std::unique_ptr<LocalRedisServer> &server = m_tlsServer;
    if (!server) {
        // A CA, and a server and a client certificate it signed (EC keys: quick to make).
        const QStringList ec = {arg("-newkey"), arg("ec"), arg("-pkeyopt"),
                                arg("ec_paramgen_curve:prime256v1"), arg("-nodes")};
        QVERIFY(openssl(QStringList{arg("req"), arg("-x509"), arg("-new")} + ec
                        + QStringList{arg("-keyout"), file(arg("ca.key")), arg("-out"),
                                      file(arg("ca.crt")), arg("-days"), arg("2"), arg("-subj"),
                                      arg("/CN=weirctl test CA")}));
        for (const QString &name : {arg("server"), arg("client")}) {
            const QString ext = file(name + arg(".ext"));
            QFile extFile(ext);
            QVERIFY(extFile.open(QIODevice::WriteOnly));
            extFile.write(name == QLatin1String("server")
                              ? "extendedKeyUsage=serverAuth\n"
                                "subjectAltName=DNS:localhost,IP:127.0.0.1\n"
                              : "extendedKeyUsage=clientAuth\n");
            extFile.close();
            QVERIFY(
                openssl(QStringList{arg("req"), arg("-new")} + ec
                        + QStringList{arg("-keyout"), file(name + arg(".key")), arg("-out"),
                                      file(name + arg(".csr")), arg("-subj"), arg("/CN=") + name}));
            QVERIFY(openssl({arg("x509"), arg("-req"), arg("-in"), file(name + arg(".csr")),
                             arg("-CA"), file(arg("ca.crt")), arg("-CAkey"), file(arg("ca.key")),
                             arg("-CAcreateserial"), arg("-days"), arg("2"), arg("-extfile"), ext,
                             arg("-out"), file(name + arg(".crt"))}));
        }
        LocalRedisServer::Config config;
        config.tls = true;
        config.tlsCert = file(arg("server.crt"));
        config.tlsKey = file(arg("server.key"));
        config.tlsCa = file(arg("ca.crt"));
        config.tlsAuthClients = true;
        server = std::make_unique<LocalRedisServer>(config);
        START_SERVER(*server);
        ConnectionOptions options = integration::quickOptions(*server);
        options.certFile = file(arg("client.crt"));
        options.keyFile = file(arg("client.key"));
        fillPending(options, "tls-orders", "tls-group", 3);
    }
    args.replaceInStrings(QStringLiteral("{PORT}"), QString::number(server->port()));
    const CtlResult result = runCtl(args + QStringList{arg("groups"), arg("tls-orders")});
    QVERIFY2(result.exitCode == exitCode, result.describe());
    if (exitCode == CtlExit::Ok) {
        QCOMPARE(pendingOf(result, QStringLiteral("tls-group")), 3);
    } else {
        QVERIFY2(result.err.startsWith("weirctl: cannot connect to "), result.describe());
        QVERIFY2(result.err.contains(says.toUtf8()), result.describe());
    }
}

void TestCtlConnect::sentinel()
{
    // Two sentinels: enough for a list in the URL, and quicker to meet than three.
    LocalSentinelSet::Config config;
    config.sentinels = 2;
    config.quorum = 1;
    LocalSentinelSet set(config);
    QString error;
    QVERIFY2(set.start(&error), qPrintable(error));
    fillPending(set.master().options(), "sentinel-orders", "sentinel-group", 2);
    const QStringList sentinels = set.sentinelAddresses();
    const QString url = QStringLiteral("redis-sentinel://%1/%2")
                            .arg(sentinels.join(QLatin1Char(',')), set.masterName());
    const CtlResult result = runCtl({arg("-u"), url, arg("groups"), arg("sentinel-orders")});
    QVERIFY2(result.exitCode == CtlExit::Ok, result.describe());
    QCOMPARE(pendingOf(result, QStringLiteral("sentinel-group")), 2);

    // A master name the sentinels do not know: no connection.
    const CtlResult unknown =
        runCtl({arg("--timeout"), arg("2000"), arg("-u"),
                QStringLiteral("redis-sentinel://%1/nosuchmaster").arg(sentinels.first()),
                arg("groups"), arg("sentinel-orders")});
    QVERIFY2(unknown.exitCode == CtlExit::Unavailable, unknown.describe());
    QVERIFY2(unknown.err.contains("nosuchmaster"), unknown.describe());
}

void TestCtlConnect::cluster()
{
    // Any node of a cluster will do, as in Weir: each key is read where its slot is served.
    LocalRedisCluster::Config config;
    config.replicasPerMaster = 0;
    LocalRedisCluster cluster(config);
    QString error;
    QVERIFY2(cluster.start(&error), qPrintable(error));
    const QList<QByteArray> keys = {"cluster-a", "cluster-b", "cluster-c", "cluster-d"};
    for (int i = 0; i < keys.size(); ++i)
        fillPending(cluster.options(0), keys.at(i), "cluster-group", i + 1);
    for (int node = 0; node < cluster.nodeCount(); ++node) {
        for (int i = 0; i < keys.size(); ++i) {
            const CtlResult result = runCtl({arg("-p"), QString::number(cluster.port(node)),
                                             arg("groups"), QString::fromLatin1(keys.at(i))});
            QVERIFY2(result.exitCode == CtlExit::Ok, result.describe());
            QCOMPARE(pendingOf(result, QStringLiteral("cluster-group")), i + 1);
        }
    }
}

QTEST_GUILESS_MAIN(TestCtlConnect)
#include "tst_ctlconnect.moc"
