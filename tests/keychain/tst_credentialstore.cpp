// CredentialStore against a real Secret Service keyring, and ProfileStore keeping
// passwords out of the settings file. Run under a private D-Bus session with an
// unlocked gnome-keyring (scripts/test.sh); without a keyring every test fails.

#include "commandlogmodel.h"
#include "connectiondialog.h"
#include "connectionprofiles.h"
#include "credentialstore.h"
#include "localredisserver.h"
#include "localsentinelset.h"
#include "mainwindow.h"

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QPushButton>
#include <QSettings>
#include <QTemporaryDir>
#include <QTimer>
#include <QUuid>
#include <QtTest>

#include <memory>
#include <optional>

namespace {

const QString Service = QStringLiteral("weir-test-keychain");
constexpr int KeychainWaitMs = 10000;

struct Outcome
{
    bool done = false;
    bool ok = false;
    std::optional<QString> password;
    QString error;
};

// Each call waits for the job's answer; `done` stays false when none came in time.
Outcome writePassword(CredentialStore &store, const QString &id, const QString &password)
{
    auto o = std::make_shared<Outcome>();
    store.writePassword(id, password, [o](bool ok, const QString &error) {
        o->done = true;
        o->ok = ok;
        o->error = error;
    });
    (void)QTest::qWaitFor([o] { return o->done; }, KeychainWaitMs); // done says if it came
    return *o;
}

Outcome readPassword(CredentialStore &store, const QString &id)
{
    auto o = std::make_shared<Outcome>();
    store.readPassword(id, [o](std::optional<QString> password, const QString &error) {
        o->done = true;
        o->ok = error.isEmpty();
        o->password = password;
        o->error = error;
    });
    (void)QTest::qWaitFor([o] { return o->done; }, KeychainWaitMs); // done says if it came
    return *o;
}

Outcome deletePassword(CredentialStore &store, const QString &id)
{
    auto o = std::make_shared<Outcome>();
    store.deletePassword(id, [o](bool ok, const QString &error) {
        o->done = true;
        o->ok = ok;
        o->error = error;
    });
    (void)QTest::qWaitFor([o] { return o->done; }, KeychainWaitMs); // done says if it came
    return *o;
}

QString newId()
{
    return QUuid::createUuid().toString(QUuid::WithoutBraces);
}

QByteArray fileBytes(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// Fills in the connection dialog once it opens (looking for it every 25 ms, for 5 s), then
// clicks OK (or Cancel when `accept` is false). The dialog is modal: this runs from inside
// its event loop. *problem is empty when the button was clicked, else it says why not.
void whenDialogOpens(QObject *context, QString *problem,
                     const std::function<void(ConnectionDialog *)> &fill, bool accept = true,
                     int attemptsLeft = 200)
{
    *problem = QStringLiteral("the dialog never opened");
    QTimer::singleShot(25, context, [context, problem, fill, accept, attemptsLeft] {
        auto *dialog = qobject_cast<ConnectionDialog *>(QApplication::activeModalWidget());
        if (!dialog) {
            if (QWidget *w = QApplication::activeModalWidget())
                w->close();
            else if (attemptsLeft > 0)
                whenDialogOpens(context, problem, fill, accept, attemptsLeft - 1);
            return;
        }
        fill(dialog);
        QPushButton *button =
            dialog->findChild<QDialogButtonBox *>(QStringLiteral("buttonBox"))
                ->button(accept ? QDialogButtonBox::Ok : QDialogButtonBox::Cancel);
        if (!button->isEnabled()) {
            *problem = QStringLiteral("OK is disabled: ")
                       + dialog->findChild<QLabel *>(QStringLiteral("hintLabel"))->text();
            dialog->reject();
            return;
        }
        problem->clear();
        QTest::mouseClick(button, Qt::LeftButton);
    });
}

QAction *actionNamed(const QWidget *window, const QString &text)
{
    for (QAction *a : window->findChildren<QAction *>()) {
        if (a->text().remove(QLatin1Char('&')).contains(text))
            return a;
    }
    return nullptr;
}

// Every cell of a model, as shown, in one text.
QString allText(const QAbstractItemModel *model)
{
    QString text;
    for (int row = 0; row < model->rowCount(); ++row) {
        for (int column = 0; column < model->columnCount(); ++column)
            text += model->index(row, column).data().toString() + QLatin1Char('\n');
    }
    return text;
}

} // namespace

#define VERIFY_ANSWERED(outcome, what)                                                             \
    QVERIFY2((outcome).done, "the keychain did not answer " what " within 10 s")

class TestCredentialStore : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();

    void writeReadOverwriteDelete();
    void readMissingIsNulloptWithoutError();
    void deleteMissingSucceeds();
    void servicesAreSeparate();
    void passwordsAreStoredExactly_data();
    void passwordsAreStoredExactly();

    void savedProfileNeverHoldsThePassword();
    void newConnectionKeepsPasswordInKeychain();
    void profileRoundTrip();
    void sentinelPasswordKeptInKeychain();

private:
    // Keys this run wrote, removed at the end.
    QString trackedId();

    CredentialStore m_store{Service};
    QStringList m_ids;
};

QString TestCredentialStore::trackedId()
{
    m_ids << newId();
    return m_ids.last();
}

void TestCredentialStore::initTestCase()
{
    // Fail loudly, never skip: this test exists to exercise a real keyring.
    const QByteArray bus = qgetenv("DBUS_SESSION_BUS_ADDRESS");
    QVERIFY2(!bus.isEmpty(),
             "No D-Bus session (DBUS_SESSION_BUS_ADDRESS is unset), so no keychain. Run the "
             "keychain tests with scripts/test.sh, or: dbus-run-session -- bash "
             "scripts/run-tests-in-session.sh -L keychain");
    const QString id = trackedId();
    const Outcome w = writePassword(m_store, id, QStringLiteral("probe"));
    QVERIFY2(w.done, "The keychain did not answer within 10 s: is gnome-keyring-daemon "
                     "running (with --components=secrets) on this D-Bus session?");
    QVERIFY2(w.ok, qPrintable(QStringLiteral("The keychain is not usable: %1. Run the keychain "
                                             "tests under dbus-run-session with an unlocked "
                                             "gnome-keyring (scripts/test.sh).")
                                  .arg(w.error)));
    const Outcome d = deletePassword(m_store, id);
    VERIFY_ANSWERED(d, "a delete");
    QVERIFY2(d.ok, qPrintable(d.error));
}

void TestCredentialStore::cleanupTestCase()
{
    for (const QString &id : std::as_const(m_ids))
        deletePassword(m_store, id);
}

void TestCredentialStore::writeReadOverwriteDelete()
{
    const QString id = trackedId();
    Outcome o = writePassword(m_store, id, QStringLiteral("first-secret"));
    VERIFY_ANSWERED(o, "a write");
    QVERIFY2(o.ok, qPrintable(o.error));
    QVERIFY(o.error.isEmpty());

    o = readPassword(m_store, id);
    VERIFY_ANSWERED(o, "a read");
    QVERIFY2(o.ok, qPrintable(o.error));
    QCOMPARE(o.password, std::optional<QString>(QStringLiteral("first-secret")));

    o = writePassword(m_store, id, QStringLiteral("second-secret"));
    VERIFY_ANSWERED(o, "an overwrite");
    QVERIFY2(o.ok, qPrintable(o.error));
    o = readPassword(m_store, id);
    VERIFY_ANSWERED(o, "a read");
    QCOMPARE(o.password, std::optional<QString>(QStringLiteral("second-secret")));

    o = deletePassword(m_store, id);
    VERIFY_ANSWERED(o, "a delete");
    QVERIFY2(o.ok, qPrintable(o.error));
    o = readPassword(m_store, id);
    VERIFY_ANSWERED(o, "a read");
    QVERIFY2(o.error.isEmpty(), qPrintable(o.error));
    QVERIFY(!o.password.has_value());
}

void TestCredentialStore::readMissingIsNulloptWithoutError()
{
    const Outcome o = readPassword(m_store, newId());
    VERIFY_ANSWERED(o, "a read");
    QVERIFY(!o.password.has_value());
    QVERIFY2(o.error.isEmpty(), qPrintable(o.error));
}

void TestCredentialStore::deleteMissingSucceeds()
{
    const Outcome o = deletePassword(m_store, newId());
    VERIFY_ANSWERED(o, "a delete");
    QVERIFY2(o.ok, qPrintable(o.error));
    QVERIFY(o.error.isEmpty());
}

void TestCredentialStore::servicesAreSeparate()
{
    const QString id = trackedId();
    Outcome o = writePassword(m_store, id, QStringLiteral("mine"));
    VERIFY_ANSWERED(o, "a write");
    QVERIFY2(o.ok, qPrintable(o.error));

    CredentialStore other(Service + QStringLiteral("-other"));
    o = readPassword(other, id);
    VERIFY_ANSWERED(o, "a read");
    QVERIFY2(o.error.isEmpty(), qPrintable(o.error));
    QVERIFY(!o.password.has_value());
}

void TestCredentialStore::passwordsAreStoredExactly_data()
{
    QTest::addColumn<QString>("password");
    QTest::newRow("spaces and symbols") << QStringLiteral(" p@ss w:rd/?#%&= ");
    QTest::newRow("non-ASCII") << QStringLiteral("pässwörd-日本-🔑");
    QTest::newRow("long") << QString(4096, QLatin1Char('x'));
    QTest::newRow("newline") << QStringLiteral("line1\nline2");
}

void TestCredentialStore::passwordsAreStoredExactly()
{
    QFETCH(QString, password);
    const QString id = trackedId();
    Outcome o = writePassword(m_store, id, password);
    VERIFY_ANSWERED(o, "a write");
    QVERIFY2(o.ok, qPrintable(o.error));
    o = readPassword(m_store, id);
    VERIFY_ANSWERED(o, "a read");
    QCOMPARE(o.password, std::optional<QString>(password));
}

void TestCredentialStore::savedProfileNeverHoldsThePassword()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString ini = dir.filePath(QStringLiteral("weir.ini"));
    const QString secret = QStringLiteral("Zq7-never-on-disk-4Kp");

    // The password as a user enters it: typed, and once more in a pasted URL.
    ConnectionDialog dialog(nullptr);
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    QTest::keyClicks(dialog.findChild<QLineEdit *>(QStringLiteral("nameEdit")),
                     QStringLiteral("Orders"));
    QTest::keyClicks(dialog.findChild<QLineEdit *>(QStringLiteral("urlEdit")),
                     QStringLiteral("redis://alice:%1@db.example:6380/2").arg(secret));
    QCOMPARE(dialog.password(), secret);
    QVERIFY(dialog.rememberPassword());
    const ConnectionProfile profile = dialog.profile();
    QVERIFY(profile.passwordInKeychain);

    {
        QSettings settings(ini, QSettings::IniFormat);
        ProfileStore store(&settings);
        store.save(profile);
        // A caller that forgot to clear the password does not leak it either.
        ConnectionProfile careless = profile;
        careless.id = newId();
        careless.options.name = QStringLiteral("Careless");
        careless.options.password = secret;
        store.save(careless);
    }
    Outcome o = writePassword(m_store, profile.id, dialog.password());
    m_ids << profile.id;
    VERIFY_ANSWERED(o, "a write");
    QVERIFY2(o.ok, qPrintable(o.error));

    const QByteArray bytes = fileBytes(ini);
    QVERIFY2(bytes.contains("Orders"), "the profile was not written");
    QVERIFY2(!bytes.contains(secret.toUtf8()), bytes.constData());
    QVERIFY2(!bytes.contains(QUrl::toPercentEncoding(secret)), bytes.constData());
    QSettings reread(ini, QSettings::IniFormat);
    const QStringList keys = reread.allKeys();
    for (const QString &key : keys) {
        QVERIFY2(!key.endsWith(QLatin1String("/password")), qPrintable(key));
        QVERIFY2(!reread.value(key).toString().contains(secret), qPrintable(key));
    }

    // The keychain holds it, under the profile's id.
    o = readPassword(m_store, profile.id);
    VERIFY_ANSWERED(o, "a read");
    QCOMPARE(o.password, std::optional<QString>(secret));
    const QList<ConnectionProfile> loaded = ProfileStore(&reread).load();
    QCOMPARE(loaded.size(), 2);
    for (const ConnectionProfile &p : loaded)
        QVERIFY(p.options.password.isEmpty());
}

// The whole path a user takes: "New connection…", a password typed into the dialog, OK.
// The password goes to the keychain, never to the settings file, and a later session
// connects with it from the keychain.
void TestCredentialStore::newConnectionKeepsPasswordInKeychain()
{
    const QString secret = QStringLiteral("Kc9-only-in-the-keyring-2Wd");
    LocalRedisServer::Config config;
    config.extraLines << QStringLiteral("requirepass ") + secret;
    LocalRedisServer server(config);
    QString error;
    QVERIFY2(server.start(&error), qPrintable(error));

    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString ini = dir.filePath(QStringLiteral("weir.ini"));
    QString profileId;
    {
        QSettings settings(ini, QSettings::IniFormat);
        MainWindow window(&settings, &m_store);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QAction *newAction = actionNamed(&window, QStringLiteral("New connection"));
        QVERIFY(newAction);

        QString dialogProblem;
        whenDialogOpens(this, &dialogProblem, [&](ConnectionDialog *dialog) {
            QTest::keyClicks(dialog->findChild<QLineEdit *>(QStringLiteral("nameEdit")),
                             QStringLiteral("Guarded"));
            QTest::keyClicks(dialog->findChild<QLineEdit *>(QStringLiteral("urlEdit")),
                             QStringLiteral("redis://127.0.0.1:%1").arg(server.port()));
            QTest::keyClicks(dialog->findChild<QLineEdit *>(QStringLiteral("passwordEdit")),
                             secret);
        });
        newAction->trigger();
        QVERIFY2(dialogProblem.isEmpty(), qPrintable(dialogProblem));

        const QList<ConnectionProfile> saved = ProfileStore(&settings).load();
        QCOMPARE(saved.size(), 1);
        profileId = saved.first().id;
        m_ids << profileId;
        QVERIFY(saved.first().passwordInKeychain);
        QVERIFY(!saved.first().askPassword);
        QVERIFY(saved.first().options.password.isEmpty());

        // Connected with the typed password...
        auto *state = window.findChild<QLabel *>(QStringLiteral("connectionState"));
        QTRY_VERIFY2_WITH_TIMEOUT(state->text().startsWith(QLatin1String("Connected")),
                                  qPrintable(state->text()), 5000);
        // ...which reached the keychain (asynchronously) and not the file.
        QTRY_VERIFY_WITH_TIMEOUT(readPassword(m_store, profileId).password == secret, 5000);
        const QByteArray bytes = fileBytes(ini);
        QVERIFY2(bytes.contains("Guarded"), "the profile was not written");
        QVERIFY2(!bytes.contains(secret.toUtf8()), bytes.constData());
    }
    QVERIFY2(!fileBytes(ini).contains(secret.toUtf8()), "the password reached the settings");

    // A new session: the saved connection connects with the password from the keychain.
    QSettings settings(ini, QSettings::IniFormat);
    MainWindow window(&settings, &m_store);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    auto *list = window.findChild<QListView *>(QStringLiteral("connectionList"));
    QVERIFY(list);
    QCOMPARE(list->model()->rowCount(), 1);
    const QModelIndex index = list->model()->index(0, 0);
    const QPoint at = list->visualRect(index).center();
    QTest::mouseClick(list->viewport(), Qt::LeftButton, {}, at);
    QTest::mouseDClick(list->viewport(), Qt::LeftButton, {}, at);
    auto *state = window.findChild<QLabel *>(QStringLiteral("connectionState"));
    QTRY_VERIFY2_WITH_TIMEOUT(state->text().startsWith(QLatin1String("Connected")),
                              qPrintable(state->text()), 5000);
}

void TestCredentialStore::profileRoundTrip()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString ini = dir.filePath(QStringLiteral("weir.ini"));

    ConnectionProfile tcp;
    tcp.id = newId();
    ConnectionOptions &t = tcp.options;
    t.name = QStringLiteral("Orders (prod), eu; \"main\" = ß");
    t.transport = ConnectionOptions::Transport::Tcp;
    t.host = QStringLiteral("redis-1.orders.example");
    t.port = 6390;
    t.socketPath = QStringLiteral("/unused/but/kept.sock");
    t.username = QStringLiteral("orders-reader");
    t.database = 7;
    t.tls = true;
    t.caFile = QStringLiteral("/etc/weir/ca, 2024.pem");
    t.certFile = QStringLiteral("/etc/weir/client.crt");
    t.keyFile = QStringLiteral("/etc/weir/client.key");
    t.sniName = QStringLiteral("orders.internal");
    t.verifyPeer = false;
    t.connectTimeoutMs = 1234;
    t.commandTimeoutMs = 56789;
    t.readOnly = true;
    tcp.passwordInKeychain = true;
    tcp.askPassword = false;

    ConnectionProfile socketProfile;
    socketProfile.id = newId();
    ConnectionOptions &u = socketProfile.options;
    u.name = QStringLiteral("Local socket");
    u.transport = ConnectionOptions::Transport::Unix;
    u.host = QStringLiteral("::1");
    u.port = 65535;
    u.socketPath = QStringLiteral("/run/redis/redis server.sock");
    u.database = 0;
    u.verifyPeer = true;
    socketProfile.passwordInKeychain = false;
    socketProfile.askPassword = true;

    {
        QSettings settings(ini, QSettings::IniFormat);
        ProfileStore store(&settings);
        store.save(tcp);
        store.save(socketProfile);
    }

    QSettings settings(ini, QSettings::IniFormat);
    const QList<ConnectionProfile> loaded = ProfileStore(&settings).load();
    QCOMPARE(loaded.size(), 2);
    for (const ConnectionProfile &want : {tcp, socketProfile}) {
        const auto found = std::find_if(loaded.cbegin(), loaded.cend(),
                                        [&want](const auto &p) { return p.id == want.id; });
        QVERIFY2(found != loaded.cend(), qPrintable(want.id));
        const ConnectionProfile &got = *found;
        const ConnectionOptions &w = want.options;
        const ConnectionOptions &g = got.options;
        QCOMPARE(g.name, w.name);
        QCOMPARE(g.transport, w.transport);
        QCOMPARE(g.host, w.host);
        QCOMPARE(g.port, w.port);
        QCOMPARE(g.socketPath, w.socketPath);
        QCOMPARE(g.username, w.username);
        QCOMPARE(g.password, QString());
        QCOMPARE(g.database, w.database);
        QCOMPARE(g.tls, w.tls);
        QCOMPARE(g.caFile, w.caFile);
        QCOMPARE(g.certFile, w.certFile);
        QCOMPARE(g.keyFile, w.keyFile);
        QCOMPARE(g.sniName, w.sniName);
        QCOMPARE(g.verifyPeer, w.verifyPeer);
        QCOMPARE(g.connectTimeoutMs, w.connectTimeoutMs);
        QCOMPARE(g.commandTimeoutMs, w.commandTimeoutMs);
        QCOMPARE(g.readOnly, w.readOnly);
        QCOMPARE(got.passwordInKeychain, want.passwordInKeychain);
        QCOMPARE(got.askPassword, want.askPassword);
        QCOMPARE(got.ephemeral, false);
    }

    // Saving again replaces; removing removes.
    ProfileStore store(&settings);
    ConnectionProfile renamed = socketProfile;
    renamed.options.name = QStringLiteral("Renamed");
    renamed.options.socketPath.clear();
    renamed.askPassword = false;
    store.save(renamed);
    QList<ConnectionProfile> again = store.load();
    QCOMPARE(again.size(), 2);
    const auto it = std::find_if(again.cbegin(), again.cend(),
                                 [&](const auto &p) { return p.id == socketProfile.id; });
    QVERIFY(it != again.cend());
    QCOMPARE(it->options.name, QStringLiteral("Renamed"));
    QCOMPARE(it->options.socketPath, QString());
    QVERIFY(!it->askPassword);
    store.remove(tcp.id);
    again = store.load();
    QCOMPARE(again.size(), 1);
    QCOMPARE(again.first().id, socketProfile.id);
}

// A connection through sentinels with a sentinels' password, entered in the dialog: the
// password goes to the keychain under the sentinel key, never to the settings file or the
// command log, and comes back from the keychain to edit and to connect with. (These
// sentinels have no password: their refusal shows that Weir sent one.)
void TestCredentialStore::sentinelPasswordKeptInKeychain()
{
    const QString secret = QStringLiteral("Sn4-sentinel-keyring-only-8Rt");
    LocalSentinelSet set;
    QString error;
    QVERIFY2(set.start(&error), qPrintable(error));
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString ini = dir.filePath(QStringLiteral("weir.ini"));
    const QString refused = QStringLiteral("ERR AUTH");
    QString profileId;
    {
        QSettings settings(ini, QSettings::IniFormat);
        MainWindow window(&settings, &m_store);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QString dialogProblem;
        whenDialogOpens(this, &dialogProblem, [&](ConnectionDialog *dialog) {
            QTest::keyClicks(dialog->findChild<QLineEdit *>(QStringLiteral("nameEdit")),
                             QStringLiteral("Guarded HA"));
            QTest::keyClicks(dialog->findChild<QLineEdit *>(QStringLiteral("urlEdit")),
                             set.options().toUrl());
            QTest::keyClicks(dialog->findChild<QLineEdit *>(QStringLiteral("sentinelPasswordEdit")),
                             secret);
        });
        actionNamed(&window, QStringLiteral("New connection"))->trigger();
        QVERIFY2(dialogProblem.isEmpty(), qPrintable(dialogProblem));

        const QList<ConnectionProfile> saved = ProfileStore(&settings).load();
        QCOMPARE(saved.size(), 1);
        profileId = saved.first().id;
        m_ids << profileId << CredentialStore::sentinelKey(profileId);
        QVERIFY(saved.first().options.usesSentinel());
        QVERIFY(saved.first().sentinelPasswordInKeychain);
        QVERIFY(!saved.first().askSentinelPassword);
        QVERIFY(!saved.first().passwordInKeychain);

        QTRY_VERIFY_WITH_TIMEOUT(
            readPassword(m_store, CredentialStore::sentinelKey(profileId)).password == secret,
            5000);
        // The data nodes' password is another entry, and there is none.
        QVERIFY(!readPassword(m_store, profileId).password.has_value());
        auto *list = window.findChild<QListView *>(QStringLiteral("connectionList"));
        QTRY_VERIFY_WITH_TIMEOUT(
            list->model()->index(0, 0).data(Qt::ToolTipRole).toString().contains(refused), 10000);
        QVERIFY(!allText(window.commandLog()).contains(secret));
        QVERIFY(allText(window.commandLog()).contains(QLatin1String("get-master-addr-by-name")));
    }
    QVERIFY2(!fileBytes(ini).contains(secret.toUtf8()), "the password reached the settings");
    QVERIFY2(fileBytes(ini).contains("Guarded HA"), "the profile was not written");

    // A new session: Edit shows the password from the keychain, Connect sends it.
    QSettings settings(ini, QSettings::IniFormat);
    MainWindow window(&settings, &m_store);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    auto *list = window.findChild<QListView *>(QStringLiteral("connectionList"));
    QCOMPARE(list->model()->rowCount(), 1);
    const QPoint at = list->visualRect(list->model()->index(0, 0)).center();
    QTest::mouseClick(list->viewport(), Qt::LeftButton, {}, at);
    QString shownPassword;
    QString dialogProblem;
    whenDialogOpens(
        this, &dialogProblem,
        [&](ConnectionDialog *dialog) {
        shownPassword =
            dialog->findChild<QLineEdit *>(QStringLiteral("sentinelPasswordEdit"))->text();
        },
        false);
    actionNamed(&window, QStringLiteral("Edit connection"))->trigger();
    // The keychain answers first, then the dialog opens.
    QTRY_VERIFY_WITH_TIMEOUT(dialogProblem.isEmpty(), 5000);
    QCOMPARE(shownPassword, secret);

    QTest::mouseDClick(list->viewport(), Qt::LeftButton, {}, at);
    QTRY_VERIFY_WITH_TIMEOUT(
        list->model()->index(0, 0).data(Qt::ToolTipRole).toString().contains(refused), 10000);
    QVERIFY(!allText(window.commandLog()).contains(secret));
    QVERIFY2(!fileBytes(ini).contains(secret.toUtf8()), "the password reached the settings");
}

QTEST_MAIN(TestCredentialStore)
#include "tst_credentialstore.moc"
