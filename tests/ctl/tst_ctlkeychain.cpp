// weirctl --profile NAME against a real Secret Service keyring: the password of a
// connection saved in Weir comes from the keychain, where Weir put it, and never shows on
// the command line or in any output; a profile whose password is missing from the
// keychain says so and takes REDISCLI_AUTH. Run under a private D-Bus session with an
// unlocked gnome-keyring (scripts/test.sh, label keychain); without one every test fails.

#include "../integration/integrationsupport.h"
#include "connectionprofiles.h"
#include "credentialstore.h"
#include "ctlcommand.h"
#include "ctltestsupport.h"

#include <QSettings>
#include <QUuid>
#include <QtTest>

using namespace ctltest;

namespace {

const QString AlicePassword = QStringLiteral("alice-Keychain-Pw-3");
const QString WrongPassword = QStringLiteral("wrong-Keychain-Pw-8");

QString arg(const char *text)
{
    return QString::fromLatin1(text);
}

} // namespace

class TestCtlKeychain : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void passwordFromKeychain();
    void profileById();
    void keychainBeatsRedisCliAuth();
    void commandLineBeatsKeychain();
    void passwordMissingFromKeychain();

private:
    // Saves a profile for alice on the test's server in the settings weirctl reads, its
    // password (when given) in the keychain; returns its id.
    QString saveProfile(const QString &name, const std::optional<QString> &password);
    bool writePassword(const QString &id, const QString &password);
    QStringList profileArgs(const QString &name) const
    {
        return {arg("--profile"), name, arg("groups"), arg("alice-orders")};
    }
    static void checkNoPassword(const CtlResult &result);

    std::unique_ptr<LocalRedisServer> m_server;
    CredentialStore m_credentials{QStringLiteral("Weir")}; // the service weirctl reads
    QStringList m_ids;                                     // to delete at the end
};

void TestCtlKeychain::initTestCase()
{
    LocalRedisServer::Config config;
    // Only alice may read her stream: reading it proves weirctl authenticated as her.
    config.extraLines << QStringLiteral("user default on nopass resetkeys ~nothing* +@all")
                      << QStringLiteral("user alice on >%1 ~* +@all").arg(AlicePassword);
    m_server = std::make_unique<LocalRedisServer>(config);
    START_SERVER(*m_server);
    ConnectionOptions options = integration::quickOptions(*m_server);
    options.username = QStringLiteral("alice");
    options.password = AlicePassword;
    fillPending(options, "alice-orders", "alice-group", 1);
}

void TestCtlKeychain::cleanupTestCase()
{
    int left = int(m_ids.size());
    for (const QString &id : std::as_const(m_ids))
        m_credentials.deletePassword(id, [&left](bool, const QString &) { --left; });
    QTRY_COMPARE_WITH_TIMEOUT(left, 0, 10000);
}

bool TestCtlKeychain::writePassword(const QString &id, const QString &password)
{
    std::optional<QString> error;
    m_credentials.writePassword(id, password, [&error](bool, const QString &why) { error = why; });
    if (!QTest::qWaitFor([&error] { return error.has_value(); }, 10000)) {
        qWarning("the keychain did not answer within 10 s");
        return false;
    }
    if (!error->isEmpty())
        qWarning("the keychain refused: %s", qPrintable(*error));
    return error->isEmpty();
}

QString TestCtlKeychain::saveProfile(const QString &name, const std::optional<QString> &password)
{
    ConnectionProfile profile;
    profile.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    profile.options = integration::quickOptions(*m_server);
    profile.options.name = name;
    profile.options.username = QStringLiteral("alice");
    profile.passwordInKeychain = true;
    QSettings settings(privateSettingsFile(), QSettings::IniFormat);
    ProfileStore(&settings).save(profile);
    settings.sync();
    m_ids << profile.id;
    if (password && !writePassword(profile.id, *password))
        return {};
    return profile.id;
}

void TestCtlKeychain::checkNoPassword(const CtlResult &result)
{
    for (const QString &password : {AlicePassword, WrongPassword}) {
        QVERIFY2(!result.out.contains(password.toUtf8()), result.describe());
        QVERIFY2(!result.err.contains(password.toUtf8()), result.describe());
    }
}

void TestCtlKeychain::passwordFromKeychain()
{
    QVERIFY(!saveProfile(QStringLiteral("queues"), AlicePassword).isEmpty());
    // The settings file holds no password: the keychain does.
    QFile settings(privateSettingsFile());
    QVERIFY(settings.open(QIODevice::ReadOnly));
    QVERIFY(!settings.readAll().contains(AlicePassword.toUtf8()));

    const CtlResult result = runCtl(profileArgs(QStringLiteral("queues")));
    QVERIFY2(result.exitCode == CtlExit::Ok, result.describe());
    QCOMPARE(pendingOf(result, QStringLiteral("alice-group")), 1);
    QVERIFY2(result.err.isEmpty(), result.describe()); // no warning, no keychain complaint
    checkNoPassword(result);
}

void TestCtlKeychain::profileById()
{
    const QString id = saveProfile(QStringLiteral("queues by id"), AlicePassword);
    QVERIFY(!id.isEmpty());
    const CtlResult result = runCtl(profileArgs(id));
    QVERIFY2(result.exitCode == CtlExit::Ok, result.describe());
    QCOMPARE(pendingOf(result, QStringLiteral("alice-group")), 1);
}

void TestCtlKeychain::keychainBeatsRedisCliAuth()
{
    // The profile's own password is the one Weir saved; REDISCLI_AUTH only stands in
    // when the keychain has none.
    QVERIFY(!saveProfile(QStringLiteral("queues env"), AlicePassword).isEmpty());
    QProcessEnvironment env = ctlEnvironment();
    env.insert(QStringLiteral("REDISCLI_AUTH"), WrongPassword);
    const CtlResult result = runCtl(profileArgs(QStringLiteral("queues env")), env);
    QVERIFY2(result.exitCode == CtlExit::Ok, result.describe());
    QCOMPARE(pendingOf(result, QStringLiteral("alice-group")), 1);
    checkNoPassword(result);
}

void TestCtlKeychain::commandLineBeatsKeychain()
{
    // -a wins over the keychain, as over REDISCLI_AUTH, and is warned about.
    QVERIFY(!saveProfile(QStringLiteral("queues stale"), WrongPassword).isEmpty());
    const CtlResult stale = runCtl(profileArgs(QStringLiteral("queues stale")));
    QVERIFY2(stale.exitCode == CtlExit::Unavailable, stale.describe());
    QVERIFY2(stale.err.contains("WRONGPASS"), stale.describe());
    checkNoPassword(stale);

    const CtlResult given =
        runCtl(QStringList{arg("-a"), AlicePassword} + profileArgs(QStringLiteral("queues stale")));
    QVERIFY2(given.exitCode == CtlExit::Ok, given.describe());
    QCOMPARE(pendingOf(given, QStringLiteral("alice-group")), 1);
    QVERIFY2(given.err.startsWith("weirctl: warning: a password on the command line"),
             given.describe());
    checkNoPassword(given);
}

void TestCtlKeychain::passwordMissingFromKeychain()
{
    // Weir says the password is in the keychain, but this keychain has none (another
    // machine, a keyring that was reset): weirctl says so and takes REDISCLI_AUTH.
    QVERIFY(!saveProfile(QStringLiteral("queues elsewhere"), std::nullopt).isEmpty());
    const QStringList args = profileArgs(QStringLiteral("queues elsewhere"));
    const CtlResult unset = runCtl(args);
    QVERIFY2(unset.exitCode != CtlExit::Ok, unset.describe());
    QVERIFY2(unset.err.startsWith("weirctl: the keychain holds no password for the saved "
                                  "connection \"queues elsewhere\"; set REDISCLI_AUTH"),
             unset.describe());

    QProcessEnvironment env = ctlEnvironment();
    env.insert(QStringLiteral("REDISCLI_AUTH"), AlicePassword);
    const CtlResult result = runCtl(args, env);
    QVERIFY2(result.exitCode == CtlExit::Ok, result.describe());
    QCOMPARE(pendingOf(result, QStringLiteral("alice-group")), 1);
    QVERIFY2(result.err.startsWith("weirctl: the keychain holds no password for the saved "
                                   "connection \"queues elsewhere\"; using the password in "
                                   "REDISCLI_AUTH"),
             result.describe());
    checkNoPassword(result);
}

QTEST_GUILESS_MAIN(TestCtlKeychain)
#include "tst_ctlkeychain.moc"
