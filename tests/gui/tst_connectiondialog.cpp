// ConnectionDialog driven as a user would: typing into the fields and the URL box,
// clicking radio buttons, checkboxes and "Test connection" (against real redis-servers).

#include "guitestsupport.h"
#include "serverversion.h"

#include "connectiondialog.h"
#include "connectionprobe.h"
#include "errorhint.h"
#include "localsentinelset.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QToolButton>
#include <QtTest>

using gui::clickIndicator;
using gui::retype;
using gui::shownText;

class TestConnectionDialog : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();

    void urlFillsFields_data();
    void urlFillsFields();
    void invalidUrlShowsHintAndDisablesOk_data();
    void invalidUrlShowsHintAndDisablesOk();
    void fixingTheUrlEnablesOk();
    void emptyNameDisablesOk();
    void opensWithAHintNotAnError();
    void unixTransportDisablesHostAndPort();
    void tlsVerifyOffShowsWarning();
    void profileNeverCarriesPassword();
    void profileWithoutPasswordAsksForNothing();
    void noKeychainMeansAskOnConnect();
    void editingKeepsTheProfileId();
    void sentinelFieldsReplaceHostAndSocket();
    void invalidSentinelEntryIsNamed_data();
    void invalidSentinelEntryIsNamed();
    void sentinelUrlFillsFields();
    void sentinelProfileRoundTrips();

    void testConnectionShowsVersion();
    void testConnectionWrongPassword();
    void testConnectionRefused();
    void testConnectionViaUnixSocket();
    void testConnectionThroughSentinels();

private:
    template<typename T> T *child(const char *name) const
    {
        return gui::child<T>(m_dialog.get(), name);
    }
    QPushButton *okButton() const
    {
        return child<QDialogButtonBox>("buttonBox")->button(QDialogButtonBox::Ok);
    }
    QLabel *hint() const { return child<QLabel>("hintLabel"); }
    // Types a name, then the TCP address of `port` on 127.0.0.1 into host and port.
    void enterLocalServer(quint16 port);
    // Types a name, clicks "Sentinels" and types the sentinels and the master name.
    void enterSentinels(const QString &sentinels, const QString &master);

    std::unique_ptr<ConnectionProbe> m_probe;
    std::unique_ptr<ConnectionDialog> m_dialog;
};

void TestConnectionDialog::init()
{
    m_probe = std::make_unique<ConnectionProbe>();
    m_dialog = std::make_unique<ConnectionDialog>(m_probe.get());
    m_dialog->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_dialog.get()));
}

void TestConnectionDialog::cleanup()
{
    m_dialog.reset();
    m_probe.reset();
}

void TestConnectionDialog::enterLocalServer(quint16 port)
{
    QTest::keyClicks(child<QLineEdit>("nameEdit"), QStringLiteral("Local"));
    retype(child<QLineEdit>("hostEdit"), QStringLiteral("127.0.0.1"));
    retype(child<QSpinBox>("portSpin"), QString::number(port));
    QCOMPARE(child<QSpinBox>("portSpin")->value(), int(port));
}

void TestConnectionDialog::enterSentinels(const QString &sentinels, const QString &master)
{
    QTest::keyClicks(child<QLineEdit>("nameEdit"), QStringLiteral("Orders HA"));
    clickIndicator(child<QRadioButton>("sentinelRadio"));
    QVERIFY(child<QRadioButton>("sentinelRadio")->isChecked());
    retype(child<QLineEdit>("sentinelsEdit"), sentinels);
    retype(child<QLineEdit>("masterNameEdit"), master);
}

void TestConnectionDialog::urlFillsFields_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<bool>("viaSocket");
    QTest::addColumn<QString>("host");
    QTest::addColumn<int>("port");
    QTest::addColumn<QString>("socket");
    QTest::addColumn<QString>("username");
    QTest::addColumn<QString>("password");
    QTest::addColumn<int>("database");
    QTest::addColumn<bool>("tls");

    QTest::newRow("redis, user, password, port, db")
        << "redis://alice:s3cret@db.example:6380/2" << false << "db.example" << 6380 << ""
        << "alice"
        << "s3cret" << 2 << false;
    QTest::newRow("rediss") << "rediss://bob:pa55@cache.example:6390/1" << false << "cache.example"
                            << 6390 << ""
                            << "bob"
                            << "pa55" << 1 << true;
    QTest::newRow("rediss, default port")
        << "rediss://secure.example" << false << "secure.example" << 6379 << ""
        << ""
        << "" << 0 << true;
    QTest::newRow("password only")
        << "redis://:only-pw@10.0.0.7:7000" << false << "10.0.0.7" << 7000 << ""
        << ""
        << "only-pw" << 0 << false;
    QTest::newRow("ipv6") << "redis://[::1]:6381/4" << false << "::1" << 6381 << ""
                          << ""
                          << "" << 4 << false;
    QTest::newRow("unix, db") << "unix:///tmp/x.sock?db=3" << true << "127.0.0.1" << 6379
                              << "/tmp/x.sock"
                              << ""
                              << "" << 3 << false;
}

void TestConnectionDialog::urlFillsFields()
{
    QFETCH(QString, url);
    QFETCH(bool, viaSocket);
    QFETCH(QString, host);
    QFETCH(int, port);
    QFETCH(QString, socket);
    QFETCH(QString, username);
    QFETCH(QString, password);
    QFETCH(int, database);
    QFETCH(bool, tls);

    QTest::keyClicks(child<QLineEdit>("nameEdit"), QStringLiteral("Orders"));
    QTest::keyClicks(child<QLineEdit>("urlEdit"), url);

    QCOMPARE(child<QRadioButton>("unixRadio")->isChecked(), viaSocket);
    QCOMPARE(child<QRadioButton>("tcpRadio")->isChecked(), !viaSocket);
    QCOMPARE(child<QLineEdit>("hostEdit")->text(), host);
    QCOMPARE(child<QSpinBox>("portSpin")->value(), port);
    QCOMPARE(child<QLineEdit>("socketEdit")->text(), socket);
    QCOMPARE(child<QLineEdit>("usernameEdit")->text(), username);
    QCOMPARE(child<QLineEdit>("passwordEdit")->text(), password);
    QCOMPARE(child<QSpinBox>("databaseSpin")->value(), database);
    QCOMPARE(child<QGroupBox>("tlsGroup")->isChecked(), tls);

    QVERIFY2(!hint()->isVisible(), qPrintable(hint()->text()));
    QVERIFY(okButton()->isEnabled());

    const ConnectionProfile p = m_dialog->profile();
    QCOMPARE(p.options.name, QStringLiteral("Orders"));
    QCOMPARE(p.options.transport,
             viaSocket ? ConnectionOptions::Transport::Unix : ConnectionOptions::Transport::Tcp);
    QCOMPARE(p.options.database, database);
    QCOMPARE(p.options.tls, tls);
    QCOMPARE(p.options.username, username);
    QVERIFY(p.options.password.isEmpty());
    QCOMPARE(m_dialog->password(), password);
}

void TestConnectionDialog::invalidUrlShowsHintAndDisablesOk_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("hintMentions");

    QTest::newRow("port too high") << "redis://db.example:99999"
                                   << "port";
    QTest::newRow("port zero") << "redis://db.example:0"
                               << "port";
    QTest::newRow("port not a number") << "redis://db.example:63x9"
                                       << "port";
    QTest::newRow("database not a number") << "redis://db.example:6379/two"
                                           << "database";
    QTest::newRow("unknown scheme") << "http://db.example"
                                    << "scheme";
    QTest::newRow("no scheme") << "db.example:6379"
                               << "redis://";
    QTest::newRow("relative socket") << "unix://x.sock"
                                     << "absolute";
    QTest::newRow("unterminated ipv6") << "redis://[::1:6379"
                                       << "IPv6";
    QTest::newRow("sentinel URL without a master") << "redis-sentinel://s1:26379,s2:26379"
                                                   << "names the master";
    QTest::newRow("sentinel URL, bad port") << "redis-sentinel://s1:26379,s2:2637x/mymaster"
                                            << "Sentinel \"s2:2637x\"";
}

void TestConnectionDialog::invalidUrlShowsHintAndDisablesOk()
{
    QFETCH(QString, url);
    QFETCH(QString, hintMentions);

    QTest::keyClicks(child<QLineEdit>("nameEdit"), QStringLiteral("Orders"));
    QVERIFY(okButton()->isEnabled());

    QTest::keyClicks(child<QLineEdit>("urlEdit"), url);
    QVERIFY2(hint()->isVisible(), "no hint is shown for an invalid URL");
    QVERIFY2(hint()->text().contains(hintMentions, Qt::CaseInsensitive),
             qPrintable(hint()->text()));
    QVERIFY2(!okButton()->isEnabled(), "OK is enabled for an invalid URL");
}

void TestConnectionDialog::fixingTheUrlEnablesOk()
{
    QTest::keyClicks(child<QLineEdit>("nameEdit"), QStringLiteral("Orders"));
    auto *url = child<QLineEdit>("urlEdit");
    QTest::keyClicks(url, QStringLiteral("redis://db.example:99999"));
    QVERIFY(!okButton()->isEnabled());
    QVERIFY(hint()->isVisible());

    // One digit too many: delete it.
    QTest::keyClick(url, Qt::Key_Backspace);
    QCOMPARE(child<QSpinBox>("portSpin")->value(), 9999);
    QVERIFY2(!hint()->isVisible(), qPrintable(hint()->text()));
    QVERIFY(okButton()->isEnabled());

    // Breaking it again, then clearing the URL box: the fields stay as they were.
    QTest::keyClicks(url, QStringLiteral("x"));
    QVERIFY(!okButton()->isEnabled());
    retype(url, QString());
    QVERIFY(url->text().isEmpty());
    QVERIFY2(!hint()->isVisible(), qPrintable(hint()->text()));
    QVERIFY(okButton()->isEnabled());
    QCOMPARE(child<QLineEdit>("hostEdit")->text(), QStringLiteral("db.example"));
}

void TestConnectionDialog::emptyNameDisablesOk()
{
    auto *name = child<QLineEdit>("nameEdit");
    QVERIFY(name->text().isEmpty());
    QVERIFY(!okButton()->isEnabled());
    QVERIFY(hint()->isVisible());
    QVERIFY2(hint()->text().contains(QLatin1String("name")), qPrintable(hint()->text()));

    QTest::keyClicks(name, QStringLiteral("Orders"));
    QVERIFY(okButton()->isEnabled());
    QVERIFY(!hint()->isVisible());

    // Only blanks is no name.
    retype(name, QStringLiteral("   "));
    QVERIFY(!okButton()->isEnabled());
    QVERIFY(hint()->isVisible());
    QVERIFY2(hint()->text().contains(QLatin1String("name")), qPrintable(hint()->text()));

    retype(name, QString());
    QVERIFY(!okButton()->isEnabled());
    QVERIFY(hint()->isVisible());
}

// A new connection's dialog says what it needs as a plain hint; typing then clearing the
// name, or pressing Enter with no name, makes it an error.
void TestConnectionDialog::opensWithAHintNotAnError()
{
    auto *name = child<QLineEdit>("nameEdit");
    QVERIFY(hint()->isVisible());
    QCOMPARE(hint()->text(), QStringLiteral("Give the connection a name."));
    QCOMPARE(gui::errorStyledText(m_dialog.get()), QString());
    QTest::keyClicks(name, QStringLiteral("O"));
    QCOMPARE(gui::errorStyledText(m_dialog.get()), QString());
    retype(name, QString());
    QCOMPARE(gui::errorStyledText(m_dialog.get()), QStringLiteral("Give the connection a name."));

    // Enter on a fresh dialog is trying to go on.
    m_dialog = std::make_unique<ConnectionDialog>(m_probe.get());
    m_dialog->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_dialog.get()));
    QCOMPARE(gui::errorStyledText(m_dialog.get()), QString());
    QTest::keyClick(child<QLineEdit>("nameEdit"), Qt::Key_Return);
    QVERIFY(m_dialog->isVisible());
    QCOMPARE(gui::errorStyledText(m_dialog.get()), QStringLiteral("Give the connection a name."));
}

void TestConnectionDialog::unixTransportDisablesHostAndPort()
{
    QTest::keyClicks(child<QLineEdit>("nameEdit"), QStringLiteral("Local socket"));
    auto *host = child<QLineEdit>("hostEdit");
    auto *port = child<QSpinBox>("portSpin");
    auto *socket = child<QLineEdit>("socketEdit");
    auto *tls = child<QGroupBox>("tlsGroup");
    QVERIFY(host->isEnabled());
    QVERIFY(port->isEnabled());
    QVERIFY(!socket->isEnabled());

    clickIndicator(child<QRadioButton>("unixRadio"));
    QVERIFY(child<QRadioButton>("unixRadio")->isChecked());
    QVERIFY(!host->isEnabled());
    QVERIFY(!port->isEnabled());
    QVERIFY(socket->isEnabled());
    QVERIFY(child<QToolButton>("socketBrowse")->isEnabled());
    QVERIFY(!tls->isEnabled());
    // No socket path yet.
    QVERIFY(!okButton()->isEnabled());
    QVERIFY2(hint()->text().contains(QLatin1String("socket")), qPrintable(hint()->text()));

    QTest::keyClicks(socket, QStringLiteral("run/redis.sock"));
    QVERIFY(!okButton()->isEnabled());
    QVERIFY2(hint()->text().contains(QLatin1String("absolute")), qPrintable(hint()->text()));
    retype(socket, QStringLiteral("/run/redis.sock"));
    QVERIFY(okButton()->isEnabled());
    QVERIFY(!hint()->isVisible());

    const ConnectionProfile p = m_dialog->profile();
    QCOMPARE(p.options.transport, ConnectionOptions::Transport::Unix);
    QCOMPARE(p.options.socketPath, QStringLiteral("/run/redis.sock"));
    QVERIFY(!p.options.tls);

    clickIndicator(child<QRadioButton>("tcpRadio"));
    QVERIFY(host->isEnabled());
    QVERIFY(port->isEnabled());
    QVERIFY(!socket->isEnabled());
    QVERIFY(tls->isEnabled());
    QCOMPARE(m_dialog->profile().options.transport, ConnectionOptions::Transport::Tcp);
}

void TestConnectionDialog::tlsVerifyOffShowsWarning()
{
    QTest::keyClicks(child<QLineEdit>("nameEdit"), QStringLiteral("Secure"));
    auto *tls = child<QGroupBox>("tlsGroup");
    auto *verify = child<QCheckBox>("verifyCheck");
    auto *warning = child<QLabel>("verifyWarning");
    QVERIFY(!tls->isChecked());
    QVERIFY(!warning->isVisible());

    // Tick the group's checkbox from the keyboard (focus it, press space).
    tls->setFocus();
    QTest::keyClick(tls, Qt::Key_Space);
    QVERIFY(tls->isChecked());
    QVERIFY(verify->isChecked());
    QVERIFY(!warning->isVisible());

    clickIndicator(verify);
    QVERIFY(!verify->isChecked());
    QVERIFY(warning->isVisible());
    QVERIFY(okButton()->isEnabled()); // a warning, not a refusal
    ConnectionProfile p = m_dialog->profile();
    QVERIFY(p.options.tls);
    QVERIFY(!p.options.verifyPeer);

    clickIndicator(verify);
    QVERIFY(verify->isChecked());
    QVERIFY(!warning->isVisible());

    // Verification off but TLS off too: nothing to warn about.
    clickIndicator(verify);
    QVERIFY(warning->isVisible());
    QTest::keyClick(tls, Qt::Key_Space);
    QVERIFY(!tls->isChecked());
    QVERIFY(!warning->isVisible());
    QVERIFY(!m_dialog->profile().options.tls);

    // A rediss:// URL turns TLS on again, and the warning with it.
    QTest::keyClicks(child<QLineEdit>("urlEdit"), QStringLiteral("rediss://secure.example"));
    QVERIFY(tls->isChecked());
    QVERIFY(warning->isVisible());
}

void TestConnectionDialog::profileNeverCarriesPassword()
{
    QTest::keyClicks(child<QLineEdit>("nameEdit"), QStringLiteral("Orders"));
    QTest::keyClicks(child<QLineEdit>("passwordEdit"), QStringLiteral("s3cret"));
    auto *remember = child<QCheckBox>("rememberCheck");
    QVERIFY(remember->isChecked()); // the default
    QVERIFY(m_dialog->rememberPassword());

    ConnectionProfile p = m_dialog->profile();
    QVERIFY(p.options.password.isEmpty());
    QCOMPARE(m_dialog->password(), QStringLiteral("s3cret"));
    QVERIFY(p.passwordInKeychain);
    QVERIFY(!p.askPassword);

    clickIndicator(remember);
    QVERIFY(!remember->isChecked());
    QVERIFY(!m_dialog->rememberPassword());
    p = m_dialog->profile();
    QVERIFY(p.options.password.isEmpty());
    QVERIFY(!p.passwordInKeychain);
    QVERIFY(p.askPassword);
    QCOMPARE(m_dialog->password(), QStringLiteral("s3cret"));

    // A password that came with a pasted URL is no different.
    clickIndicator(remember);
    QTest::keyClicks(child<QLineEdit>("urlEdit"),
                     QStringLiteral("redis://alice:from-url@db.example:6380"));
    QCOMPARE(m_dialog->password(), QStringLiteral("from-url"));
    p = m_dialog->profile();
    QVERIFY(p.options.password.isEmpty());
    QCOMPARE(p.options.username, QStringLiteral("alice"));
    QVERIFY(p.passwordInKeychain);
    QVERIFY(!p.askPassword);
    QVERIFY(!p.options.toUrl().contains(QLatin1String("from-url")));
}

void TestConnectionDialog::profileWithoutPasswordAsksForNothing()
{
    QTest::keyClicks(child<QLineEdit>("nameEdit"), QStringLiteral("Open"));
    ConnectionProfile p = m_dialog->profile();
    QVERIFY(!p.passwordInKeychain);
    QVERIFY(!p.askPassword);
    clickIndicator(child<QCheckBox>("rememberCheck"));
    p = m_dialog->profile();
    QVERIFY(!p.passwordInKeychain);
    QVERIFY(!p.askPassword);
}

void TestConnectionDialog::noKeychainMeansAskOnConnect()
{
    m_dialog->setKeychainNote(QStringLiteral("The Secret Service is not running."));
    auto *remember = child<QCheckBox>("rememberCheck");
    QVERIFY(!remember->isEnabled());
    QVERIFY(!remember->isChecked());
    QVERIFY(remember->text().contains(QLatin1String("Secret Service is not running")));
    QTest::keyClicks(child<QLineEdit>("nameEdit"), QStringLiteral("Orders"));
    QTest::keyClicks(child<QLineEdit>("passwordEdit"), QStringLiteral("s3cret"));
    // A click on the disabled box changes nothing.
    clickIndicator(remember);
    QVERIFY(!remember->isChecked());
    const ConnectionProfile p = m_dialog->profile();
    QVERIFY(!m_dialog->rememberPassword());
    QVERIFY(!p.passwordInKeychain);
    QVERIFY(p.askPassword);
    QVERIFY(p.options.password.isEmpty());
}

void TestConnectionDialog::editingKeepsTheProfileId()
{
    ConnectionProfile saved;
    saved.id = QStringLiteral("1b4e28ba-2fa1-11d2-883f-0016d3cca427");
    saved.options.name = QStringLiteral("Orders");
    saved.options.host = QStringLiteral("db.example");
    saved.options.port = 6380;
    saved.options.username = QStringLiteral("alice");
    saved.options.database = 2;
    saved.options.readOnly = true;
    saved.passwordInKeychain = true;
    m_dialog->setProfile(saved, QStringLiteral("s3cret"));
    QCOMPARE(child<QLineEdit>("passwordEdit")->text(), QStringLiteral("s3cret"));
    QVERIFY(child<QCheckBox>("readOnlyCheck")->isChecked());
    QVERIFY(okButton()->isEnabled());

    retype(child<QLineEdit>("nameEdit"), QStringLiteral("Orders (eu)"));
    const ConnectionProfile p = m_dialog->profile();
    QCOMPARE(p.id, saved.id);
    QCOMPARE(p.options.name, QStringLiteral("Orders (eu)"));
    QCOMPARE(p.options.host, saved.options.host);
    QCOMPARE(p.options.port, saved.options.port);
    QCOMPARE(p.options.username, saved.options.username);
    QCOMPARE(p.options.database, saved.options.database);
    QVERIFY(p.options.readOnly);
    QVERIFY(p.passwordInKeychain);
    QVERIFY(p.options.password.isEmpty());

    // A profile whose password is asked for on connect comes back unticked.
    ConnectionProfile asking = saved;
    asking.passwordInKeychain = false;
    asking.askPassword = true;
    m_dialog->setProfile(asking);
    QVERIFY(!child<QCheckBox>("rememberCheck")->isChecked());
}

// Choosing "Sentinels" trades the host and socket rows for the sentinels' own; OK waits for
// at least one sentinel and the master name.
void TestConnectionDialog::sentinelFieldsReplaceHostAndSocket()
{
    QTest::keyClicks(child<QLineEdit>("nameEdit"), QStringLiteral("Orders HA"));
    auto *sentinels = child<QLineEdit>("sentinelsEdit");
    auto *master = child<QLineEdit>("masterNameEdit");
    auto *host = child<QLineEdit>("hostEdit");
    auto *socket = child<QLineEdit>("socketEdit");
    QVERIFY(!sentinels->isVisible());
    QVERIFY(!master->isVisible());
    QVERIFY(host->isVisible());

    clickIndicator(child<QRadioButton>("sentinelRadio"));
    for (const char *name : {"sentinelsEdit", "masterNameEdit", "sentinelUsernameEdit",
                             "sentinelPasswordEdit", "usernameEdit", "passwordEdit"})
        QVERIFY2(child<QLineEdit>(name)->isVisible(), name);
    QVERIFY(!host->isVisible());
    QVERIFY(!socket->isVisible());
    QVERIFY(child<QGroupBox>("tlsGroup")->isEnabled());
    QCOMPARE(child<QLineEdit>("sentinelPasswordEdit")->echoMode(), QLineEdit::Password);
    QVERIFY(!okButton()->isEnabled());
    QVERIFY(!child<QPushButton>("testButton")->isEnabled());
    QVERIFY2(hint()->text().contains(QLatin1String("Enter the sentinels")),
             qPrintable(hint()->text()));

    QTest::keyClicks(sentinels, QStringLiteral("10.0.0.1:26379, s2.example:26380,"));
    QVERIFY(!okButton()->isEnabled());
    QVERIFY2(hint()->text().contains(QLatin1String("name of the master")),
             qPrintable(hint()->text()));
    QTest::keyClicks(master, QStringLiteral("orders"));
    QVERIFY2(okButton()->isEnabled(), qPrintable(hint()->text()));
    QVERIFY(!hint()->isVisible());
    QVERIFY(child<QPushButton>("testButton")->isEnabled());

    ConnectionProfile p = m_dialog->profile();
    QCOMPARE(p.options.sentinels,
             QStringList({QStringLiteral("10.0.0.1:26379"), QStringLiteral("s2.example:26380")}));
    QCOMPARE(p.options.masterName, QStringLiteral("orders"));
    QVERIFY(p.options.usesSentinel());

    // Back to TCP: the sentinels are hidden and no longer part of the profile.
    clickIndicator(child<QRadioButton>("tcpRadio"));
    QVERIFY(!sentinels->isVisible());
    QVERIFY(host->isVisible());
    p = m_dialog->profile();
    QVERIFY(!p.options.usesSentinel());
    QVERIFY(p.options.masterName.isEmpty());
    QVERIFY(okButton()->isEnabled());
}

void TestConnectionDialog::invalidSentinelEntryIsNamed_data()
{
    QTest::addColumn<QString>("sentinels");
    QTest::addColumn<QString>("master");
    QTest::addColumn<QString>("hintMentions");

    QTest::newRow("port too high") << "s1:26379, s2:99999"
                                   << "orders"
                                   << "Sentinel \"s2:99999\": The port must be a number from 1 "
                                      "to 65535, not \"99999\"";
    QTest::newRow("port not a number") << "s1:26x79"
                                       << "orders"
                                       << "Sentinel \"s1:26x79\": The port";
    QTest::newRow("no host") << "s1, :26380"
                             << "orders"
                             << "Sentinel \":26380\": enter a host name";
    QTest::newRow("unterminated ipv6") << "[::1:26379"
                                       << "orders"
                                       << "Sentinel \"[::1:26379\": An IPv6 address must end";
    QTest::newRow("no master name") << "s1:26379"
                                    << ""
                                    << "name of the master";
    QTest::newRow("master name with a space") << "s1:26379"
                                              << "my master"
                                              << "cannot contain spaces";
}

void TestConnectionDialog::invalidSentinelEntryIsNamed()
{
    QFETCH(QString, sentinels);
    QFETCH(QString, master);
    QFETCH(QString, hintMentions);

    enterSentinels(sentinels, master);
    QVERIFY(hint()->isVisible());
    QVERIFY2(hint()->text().contains(hintMentions), qPrintable(hint()->text()));
    QVERIFY(!okButton()->isEnabled());
    QVERIFY(!child<QPushButton>("testButton")->isEnabled());

    // Fixed, it is accepted.
    retype(child<QLineEdit>("sentinelsEdit"), QStringLiteral("s1:26379, [::1]:26380"));
    retype(child<QLineEdit>("masterNameEdit"), QStringLiteral("orders"));
    QVERIFY2(okButton()->isEnabled(), qPrintable(hint()->text()));
}

void TestConnectionDialog::sentinelUrlFillsFields()
{
    QTest::keyClicks(child<QLineEdit>("nameEdit"), QStringLiteral("Orders HA"));
    QTest::keyClicks(
        child<QLineEdit>("urlEdit"),
        QStringLiteral("redis-sentinel://alice:data-pw@s1:26379,s2:26380,[::1]"
                       "/orders/3?sentinel_username=watcher&sentinel_password=s%40pw"));
    QVERIFY(child<QRadioButton>("sentinelRadio")->isChecked());
    QCOMPARE(child<QLineEdit>("sentinelsEdit")->text(),
             QStringLiteral("s1:26379, s2:26380, [::1]:26379"));
    QCOMPARE(child<QLineEdit>("masterNameEdit")->text(), QStringLiteral("orders"));
    QCOMPARE(child<QLineEdit>("sentinelUsernameEdit")->text(), QStringLiteral("watcher"));
    QCOMPARE(child<QLineEdit>("sentinelPasswordEdit")->text(), QStringLiteral("s@pw"));
    QCOMPARE(child<QLineEdit>("usernameEdit")->text(), QStringLiteral("alice"));
    QCOMPARE(child<QLineEdit>("passwordEdit")->text(), QStringLiteral("data-pw"));
    QCOMPARE(child<QSpinBox>("databaseSpin")->value(), 3);
    QVERIFY(!child<QGroupBox>("tlsGroup")->isChecked());
    QVERIFY2(okButton()->isEnabled(), qPrintable(hint()->text()));

    const ConnectionProfile p = m_dialog->profile();
    QCOMPARE(p.options.sentinels.size(), 3);
    QCOMPARE(p.options.masterName, QStringLiteral("orders"));
    QCOMPARE(p.options.sentinelUsername, QStringLiteral("watcher"));
    QVERIFY(p.options.sentinelPassword.isEmpty());
    QVERIFY(p.options.password.isEmpty());
    QCOMPARE(m_dialog->sentinelPassword(), QStringLiteral("s@pw"));
    QCOMPARE(m_dialog->password(), QStringLiteral("data-pw"));
    QVERIFY(p.sentinelPasswordInKeychain);
    QVERIFY(!p.askSentinelPassword);

    // Not remembered: asked for on connect.
    clickIndicator(child<QCheckBox>("rememberCheck"));
    QVERIFY(!m_dialog->profile().sentinelPasswordInKeychain);
    QVERIFY(m_dialog->profile().askSentinelPassword);

    // rediss-sentinel:// is TLS to sentinels and master alike.
    retype(child<QLineEdit>("urlEdit"), QStringLiteral("rediss-sentinel://s9/other"));
    QVERIFY(child<QGroupBox>("tlsGroup")->isChecked());
    QCOMPARE(child<QLineEdit>("sentinelsEdit")->text(), QStringLiteral("s9:26379"));
    QCOMPARE(child<QLineEdit>("masterNameEdit")->text(), QStringLiteral("other"));
    // A plain redis:// URL goes back to TCP.
    retype(child<QLineEdit>("urlEdit"), QStringLiteral("redis://db.example:6380"));
    QVERIFY(child<QRadioButton>("tcpRadio")->isChecked());
    QVERIFY(!m_dialog->profile().options.usesSentinel());
}

// Saved and loaded again, a sentinel profile fills the dialog as it was, without either
// password in the settings.
void TestConnectionDialog::sentinelProfileRoundTrips()
{
    enterSentinels(QStringLiteral("s1.example:26379 s2.example:26380"), QStringLiteral("orders"));
    QTest::keyClicks(child<QLineEdit>("sentinelUsernameEdit"), QStringLiteral("watcher"));
    QTest::keyClicks(child<QLineEdit>("sentinelPasswordEdit"), QStringLiteral("Sp-7731-secret"));
    QTest::keyClicks(child<QLineEdit>("usernameEdit"), QStringLiteral("app"));
    QTest::keyClicks(child<QLineEdit>("passwordEdit"), QStringLiteral("Dp-4410-secret"));
    retype(child<QSpinBox>("databaseSpin"), QStringLiteral("2"));
    QVERIFY2(okButton()->isEnabled(), qPrintable(hint()->text()));
    const ConnectionProfile saved = m_dialog->profile();

    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString ini = dir.filePath(QStringLiteral("weir.ini"));
    {
        QSettings settings(ini, QSettings::IniFormat);
        ProfileStore(&settings).save(saved);
    }
    QFile file(ini);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray bytes = file.readAll();
    QVERIFY2(bytes.contains("s2.example:26380"), bytes.constData());
    QVERIFY2(!bytes.contains("secret"), bytes.constData());

    QSettings settings(ini, QSettings::IniFormat);
    const QList<ConnectionProfile> loaded = ProfileStore(&settings).load();
    QCOMPARE(loaded.size(), 1);
    ConnectionDialog again(nullptr);
    again.show();
    QVERIFY(QTest::qWaitForWindowExposed(&again));
    again.setProfile(loaded.first(), QStringLiteral("Dp-4410-secret"),
                     QStringLiteral("Sp-7731-secret"));
    QVERIFY(gui::child<QRadioButton>(&again, "sentinelRadio")->isChecked());
    QCOMPARE(gui::child<QLineEdit>(&again, "sentinelsEdit")->text(),
             QStringLiteral("s1.example:26379, s2.example:26380"));
    QCOMPARE(gui::child<QLineEdit>(&again, "masterNameEdit")->text(), QStringLiteral("orders"));
    QCOMPARE(gui::child<QLineEdit>(&again, "sentinelUsernameEdit")->text(),
             QStringLiteral("watcher"));
    QCOMPARE(gui::child<QLineEdit>(&again, "sentinelPasswordEdit")->text(),
             QStringLiteral("Sp-7731-secret"));
    QVERIFY(gui::child<QLineEdit>(&again, "sentinelsEdit")->isVisible());
    QVERIFY(gui::child<QCheckBox>(&again, "rememberCheck")->isChecked());

    const ConnectionProfile back = again.profile();
    QCOMPARE(back.id, saved.id);
    QCOMPARE(back.options.sentinels, saved.options.sentinels);
    QCOMPARE(back.options.masterName, saved.options.masterName);
    QCOMPARE(back.options.sentinelUsername, saved.options.sentinelUsername);
    QCOMPARE(back.options.username, saved.options.username);
    QCOMPARE(back.options.database, 2);
    QCOMPARE(back.sentinelPasswordInKeychain, true);
    QCOMPARE(back.passwordInKeychain, true);
    QCOMPARE(again.sentinelPassword(), QStringLiteral("Sp-7731-secret"));
}

void TestConnectionDialog::testConnectionShowsVersion()
{
    LocalRedisServer server;
    GUI_START_SERVER(server);
    gui::SetupClient client(server.options());
    QVERIFY2(client.isConnected(), qPrintable(client.stateMessage()));
    // "Valkey 8.0.1", not the Redis version it is compatible with.
    const QString version = client.serverInfo().displayName();
    QCOMPARE(version, testserver::info().displayName());

    enterLocalServer(server.port());
    auto *test = child<QPushButton>("testButton");
    auto *result = child<QLabel>("testResult");
    QVERIFY(test->isVisible());
    QVERIFY(test->isEnabled());
    QSignalSpy finished(m_probe.get(), &ConnectionProbe::finished);
    QTest::mouseClick(test, Qt::LeftButton);
    QVERIFY(!test->isEnabled()); // one test at a time
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 5000);
    QVERIFY2(finished.at(0).at(0).toBool(), qPrintable(finished.at(0).at(2).toString()));

    const QString shown = shownText(result);
    QVERIFY2(shown.contains(QLatin1String("Connected")), qPrintable(shown));
    QVERIFY2(shown.contains(version), qPrintable(shown));
    QVERIFY2(!shown.contains(QLatin1String("Failed")), qPrintable(shown));
    QVERIFY(test->isEnabled());
}

void TestConnectionDialog::testConnectionWrongPassword()
{
    LocalRedisServer::Config config;
    config.extraLines << QStringLiteral("requirepass secret");
    LocalRedisServer server(config);
    GUI_START_SERVER(server);

    enterLocalServer(server.port());
    QTest::keyClicks(child<QLineEdit>("passwordEdit"), QStringLiteral("not-the-secret"));
    auto *result = child<QLabel>("testResult");
    QSignalSpy finished(m_probe.get(), &ConnectionProbe::finished);
    QTest::mouseClick(child<QPushButton>("testButton"), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 5000);
    QVERIFY(!finished.at(0).at(0).toBool());
    const QString error = finished.at(0).at(2).toString();

    // The server's words, verbatim, and what to do about them.
    const QString wrongPass =
        QStringLiteral("WRONGPASS invalid username-password pair or user is disabled.");
    QCOMPARE(error, wrongPass);
    const QString hintText = errorHint(error);
    QVERIFY(!hintText.isEmpty());
    QTRY_VERIFY_WITH_TIMEOUT(shownText(result).contains(wrongPass), 2000);
    const QString shown = shownText(result);
    QVERIFY2(shown.contains(hintText), qPrintable(shown));
    QVERIFY2(!shown.contains(QLatin1String("Connected.")), qPrintable(shown));
    QVERIFY(child<QPushButton>("testButton")->isEnabled());

    // The right password connects.
    retype(child<QLineEdit>("passwordEdit"), QStringLiteral("secret"));
    QTest::mouseClick(child<QPushButton>("testButton"), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 2, 5000);
    QVERIFY2(finished.at(1).at(0).toBool(), qPrintable(finished.at(1).at(2).toString()));
    QVERIFY2(shownText(result).contains(QLatin1String("Connected")), qPrintable(shownText(result)));
}

void TestConnectionDialog::testConnectionRefused()
{
    const quint16 port = freeLoopbackPort();
    QVERIFY(port != 0);
    enterLocalServer(port);
    auto *result = child<QLabel>("testResult");
    QSignalSpy finished(m_probe.get(), &ConnectionProbe::finished);
    QTest::mouseClick(child<QPushButton>("testButton"), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 5000);
    QVERIFY(!finished.at(0).at(0).toBool());
    const QString error = finished.at(0).at(2).toString();
    QVERIFY2(error.contains(QLatin1String("refused"), Qt::CaseInsensitive), qPrintable(error));
    QVERIFY2(error.contains(QString::number(port)), qPrintable(error));

    const QString shown = shownText(result);
    QVERIFY2(shown.contains(error), qPrintable(shown));
    const QString hintText = errorHint(error);
    QVERIFY(hintText.contains(QLatin1String("Nothing is listening")));
    QVERIFY2(shown.contains(hintText), qPrintable(shown));
    QVERIFY(child<QPushButton>("testButton")->isEnabled());

    // The result speaks of the address it was run with: editing the address withdraws it.
    QTest::keyClicks(child<QLineEdit>("hostEdit"), QStringLiteral("x"));
    QCOMPARE(shownText(result), QString());
}

void TestConnectionDialog::testConnectionViaUnixSocket()
{
    LocalRedisServer::Config config;
    config.unixSocket = true;
    LocalRedisServer server(config);
    GUI_START_SERVER(server);

    QTest::keyClicks(child<QLineEdit>("nameEdit"), QStringLiteral("Socket"));
    QTest::keyClicks(child<QLineEdit>("urlEdit"),
                     QStringLiteral("unix://") + server.socketPath() + QStringLiteral("?db=2"));
    QVERIFY(child<QRadioButton>("unixRadio")->isChecked());
    QCOMPARE(child<QLineEdit>("socketEdit")->text(), server.socketPath());
    QVERIFY(okButton()->isEnabled());
    QSignalSpy finished(m_probe.get(), &ConnectionProbe::finished);
    QTest::mouseClick(child<QPushButton>("testButton"), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 5000);
    QVERIFY2(finished.at(0).at(0).toBool(), qPrintable(finished.at(0).at(2).toString()));
    const QString shown = shownText(child<QLabel>("testResult"));
    QVERIFY2(shown.contains(QLatin1String("Connected")), qPrintable(shown));
}

// "Test connection" through a real sentinel set: the master is found and its ROLE shown; an
// unknown master name fails with what every sentinel said.
void TestConnectionDialog::testConnectionThroughSentinels()
{
    LocalSentinelSet set;
    QString error;
    QVERIFY2(set.start(&error), qPrintable(error));

    enterSentinels(set.sentinelAddresses().join(QLatin1String(", ")), set.masterName());
    auto *test = child<QPushButton>("testButton");
    QVERIFY2(test->isEnabled(), qPrintable(hint()->text()));
    QSignalSpy finished(m_probe.get(), &ConnectionProbe::finished);
    QTest::mouseClick(test, Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 10000);
    QVERIFY2(finished.at(0).at(0).toBool(), qPrintable(finished.at(0).at(2).toString()));
    QString shown = shownText(child<QLabel>("testResult"));
    QVERIFY2(shown.contains(QLatin1String("Connected")), qPrintable(shown));
    QVERIFY2(shown.contains(QLatin1String("role master")), qPrintable(shown));

    retype(child<QLineEdit>("masterNameEdit"), QStringLiteral("nosuchmaster"));
    QTest::mouseClick(test, Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 2, 10000);
    QVERIFY(!finished.at(1).at(0).toBool());
    shown = shownText(child<QLabel>("testResult"));
    QVERIFY2(shown.contains(QLatin1String("No sentinel led to the master nosuchmaster")),
             qPrintable(shown));
}

QTEST_MAIN(TestConnectionDialog)
#include "tst_connectiondialog.moc"
