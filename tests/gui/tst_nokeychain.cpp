// MainWindow when no keychain is reachable: the session bus points at a socket that does
// not exist, so every QtKeychain job fails. A password typed for a new connection is
// used for the session and saved nowhere; a saved password the keychain cannot read is
// neither lost by editing nor needed to connect (Weir asks for it). The modal dialogs
// are answered as a user would, from a timer, since each runs its own event loop.

#include "guitestsupport.h"

#include "connectiondialog.h"
#include "connectionprofiles.h"
#include "credentialstore.h"
#include "localsentinelset.h"
#include "mainwindow.h"

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFile>
#include <QInputDialog>
#include <QLineEdit>
#include <QListView>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QPointer>
#include <QPushButton>
#include <QSettings>
#include <QTemporaryDir>
#include <QTimer>
#include <QToolBar>
#include <QUuid>
#include <QtTest>

#include <functional>
#include <memory>
#include <optional>

namespace {

// Where the session bus is said to be: nothing listens there, so libsecret and KWallet
// (through QtDBus) both fail at once. Set rather than unset: with no address, GLib and
// libdbus look for $XDG_RUNTIME_DIR/bus and may autolaunch a bus with dbus-launch.
constexpr char NoBus[] = "unix:path=/nonexistent/weir-tst-nokeychain/bus";
const QString Password = QStringLiteral("secret");
constexpr int KeychainWaitMs = 10000;

QByteArray fileBytes(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

QString describe(QWidget *w)
{
    QString text = QString::fromLatin1(w->metaObject()->className()) + QStringLiteral(" \"")
                   + w->windowTitle() + QLatin1Char('"');
    if (auto *box = qobject_cast<QMessageBox *>(w))
        text += QStringLiteral(": ") + box->text();
    else if (auto *input = qobject_cast<QInputDialog *>(w))
        text += QStringLiteral(": ") + input->labelText();
    return text;
}

// Answers the modal windows that open, one step per window, in the order the test
// expects them. A window that is not the one expected (or comes after the last step)
// is recorded as a problem and rejected, so a test never hangs on it. Steps run from a
// timer inside the modal window's own event loop.
class ModalDriver : public QObject
{
public:
    // Answers a window of type W. `answer` returns an empty string when it answered, or
    // why it could not (the driver then rejects the window).
    template<typename W> void expect(const QString &what, std::function<QString(W *)> answer)
    {
        m_steps.append(Step{what, [answer](QWidget *w) -> std::optional<QString> {
                                auto *typed = qobject_cast<W *>(w);
                                if (!typed)
                                    return std::nullopt;
                                return answer(typed);
                            }});
    }

    ModalDriver()
    {
        connect(&m_timer, &QTimer::timeout, this, &ModalDriver::poll);
        m_timer.start(10);
    }

    bool done() const { return m_steps.isEmpty(); }
    QString pending() const { return m_steps.isEmpty() ? QString() : m_steps.first().what; }
    QStringList problems() const { return m_problems; }

private:
    struct Step
    {
        QString what;
        // nullopt: the window is not of the expected type.
        std::function<std::optional<QString>(QWidget *)> answer;
    };

    void poll()
    {
        QWidget *modal = QApplication::activeModalWidget();
        if (!modal || !modal->isVisible() || modal == m_answered)
            return;
        m_answered = modal;
        if (m_steps.isEmpty()) {
            m_problems << QStringLiteral("unexpected window: ") + describe(modal);
            reject(modal);
            return;
        }
        const Step step = m_steps.takeFirst();
        const std::optional<QString> result = step.answer(modal);
        if (!result) {
            m_problems << QStringLiteral("expected %1, got %2").arg(step.what, describe(modal));
            reject(modal);
        } else if (!result->isEmpty()) {
            m_problems << step.what + QStringLiteral(": ") + *result;
            reject(modal);
        }
    }

    static void reject(QWidget *modal)
    {
        if (auto *dialog = qobject_cast<QDialog *>(modal))
            dialog->reject();
        else
            modal->close();
    }

    QTimer m_timer;
    QList<Step> m_steps;
    QPointer<QWidget> m_answered;
    QStringList m_problems;
};

QPushButton *okButton(QWidget *dialog)
{
    auto *box = dialog->findChild<QDialogButtonBox *>();
    return box ? box->button(QDialogButtonBox::Ok) : nullptr;
}

// What a message box showed, once it was answered.
struct ShownBox
{
    bool shown = false;
    QString title;
    QString text;
    QMessageBox::Icon icon = QMessageBox::NoIcon;
};

// A step that notes what the message box says and clicks its OK button.
std::function<QString(QMessageBox *)> readAndClickOk(ShownBox *shown)
{
    return [shown](QMessageBox *box) {
        shown->shown = true;
        shown->title = box->windowTitle();
        shown->text = box->text();
        shown->icon = box->icon();
        QAbstractButton *ok = box->button(QMessageBox::Ok);
        if (!ok)
            return QStringLiteral("the message box has no OK button");
        QTest::mouseClick(ok, Qt::LeftButton);
        return QString();
    };
}

} // namespace

class TestNoKeychain : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void init();
    void cleanup();

    void newConnectionPasswordIsNotSavedAnywhere();
    void editKeepsUnreadableSavedPassword();
    void connectAsksForUnreadableSavedPassword();
    void connectAsksForSentinelPassword();

private:
    // Writes a profile for the test server whose password is said to be in the keychain,
    // as a previous session with a working keychain would have left it.
    QString writeKeychainProfile();
    void createWindow();
    QLabel *label(const char *name) const;
    QListView *connectionList() const;
    // Opens the menu bar's `menu` and clicks its item whose text contains `item`.
    void chooseMenuItem(const QString &menu, const QString &item);
    void clickConnectionRow(int row, bool doubleClick);
    // A key of the profile's group in the settings file, read afresh from the file.
    QVariant savedValue(const QString &id, const QString &key) const;

    std::unique_ptr<LocalRedisServer> m_server;
    // What the keychain answers to a write and to a read, as CredentialStore says it.
    QString m_writeError;
    QString m_readError;
    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_ini;
    std::unique_ptr<QSettings> m_settings;
    std::unique_ptr<CredentialStore> m_credentials;
    std::unique_ptr<MainWindow> m_window;
};

void TestNoKeychain::initTestCase()
{
    QCOMPARE(qgetenv("DBUS_SESSION_BUS_ADDRESS"), QByteArray(NoBus));

    // The premise: the keychain fails, and says so, rather than answering "no password".
    CredentialStore store(QStringLiteral("weir-test-nokeychain"));
    const QString id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    std::optional<bool> written;
    store.writePassword(id, QStringLiteral("probe"), [&](bool ok, const QString &error) {
        written = ok;
        m_writeError = error;
    });
    QTRY_VERIFY2_WITH_TIMEOUT(written.has_value(), "the keychain did not answer a write",
                              KeychainWaitMs);
    QVERIFY2(!*written, "a keychain is reachable: this test needs none");
    QVERIFY(!m_writeError.isEmpty());
    qInfo("The keychain answers a write: %s", qPrintable(m_writeError));

    bool read = false;
    std::optional<QString> password;
    store.readPassword(id, [&](std::optional<QString> p, const QString &error) {
        read = true;
        password = p;
        m_readError = error;
    });
    QTRY_VERIFY2_WITH_TIMEOUT(read, "the keychain did not answer a read", KeychainWaitMs);
    QVERIFY(!password.has_value());
    QVERIFY2(!m_readError.isEmpty(), "a failed read must say why, not look like 'no password'");
    qInfo("The keychain answers a read: %s", qPrintable(m_readError));

    LocalRedisServer::Config config;
    config.extraLines << QStringLiteral("requirepass ") + Password;
    m_server = std::make_unique<LocalRedisServer>(config);
    GUI_START_SERVER(*m_server);
}

void TestNoKeychain::cleanupTestCase()
{
    m_server.reset();
}

void TestNoKeychain::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_ini = m_dir->filePath(QStringLiteral("weir.ini"));
    m_credentials = std::make_unique<CredentialStore>(QStringLiteral("weir-test-nokeychain"));
}

void TestNoKeychain::cleanup()
{
    m_window.reset();
    m_settings.reset();
    m_credentials.reset();
    m_dir.reset();
}

QString TestNoKeychain::writeKeychainProfile()
{
    ConnectionProfile profile;
    profile.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    profile.options.name = QStringLiteral("Saved");
    profile.options.host = QStringLiteral("127.0.0.1");
    profile.options.port = m_server->port();
    profile.passwordInKeychain = true;
    profile.askPassword = false;
    QSettings settings(m_ini, QSettings::IniFormat);
    ProfileStore(&settings).save(profile);
    return profile.id;
}

void TestNoKeychain::createWindow()
{
    m_settings = std::make_unique<QSettings>(m_ini, QSettings::IniFormat);
    m_window = std::make_unique<MainWindow>(m_settings.get(), m_credentials.get());
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
}

QLabel *TestNoKeychain::label(const char *name) const
{
    auto *l = m_window->findChild<QLabel *>(QLatin1String(name));
    if (!l)
        qFatal("MainWindow has no label %s", name);
    return l;
}

QListView *TestNoKeychain::connectionList() const
{
    auto *list = m_window->findChild<QListView *>(QStringLiteral("connectionList"));
    if (!list)
        qFatal("MainWindow has no connectionList");
    return list;
}

void TestNoKeychain::chooseMenuItem(const QString &menu, const QString &item)
{
    QMenuBar *bar = m_window->menuBar();
    const auto byText = [](const QString &text) {
        return [text](QAction *a) { return a->text().remove(QLatin1Char('&')).contains(text); };
    };
    const QList<QAction *> menus = bar->actions();
    const auto menuIt = std::find_if(menus.cbegin(), menus.cend(), byText(menu));
    QVERIFY2(menuIt != menus.cend(), qPrintable(menu));
    QMenu *popup = (*menuIt)->menu();
    QVERIFY(popup);
    QTest::mouseClick(bar, Qt::LeftButton, {}, bar->actionGeometry(*menuIt).center());
    QTRY_VERIFY_WITH_TIMEOUT(popup->isVisible(), 2000);

    const QList<QAction *> items = popup->actions();
    const auto itemIt = std::find_if(items.cbegin(), items.cend(), byText(item));
    QVERIFY2(itemIt != items.cend(), qPrintable(item));
    QVERIFY2((*itemIt)->isEnabled(), qPrintable(item + QStringLiteral(" is disabled")));
    QTest::mouseClick(popup, Qt::LeftButton, {}, popup->actionGeometry(*itemIt).center());
    QTRY_VERIFY_WITH_TIMEOUT(!popup->isVisible(), 2000);
}

void TestNoKeychain::clickConnectionRow(int row, bool doubleClick)
{
    QListView *list = connectionList();
    const QPoint at = list->visualRect(list->model()->index(row, 0)).center();
    QTest::mouseClick(list->viewport(), Qt::LeftButton, {}, at);
    QCOMPARE(list->currentIndex().row(), row);
    if (doubleClick)
        QTest::mouseDClick(list->viewport(), Qt::LeftButton, {}, at);
}

QVariant TestNoKeychain::savedValue(const QString &id, const QString &key) const
{
    QSettings settings(m_ini, QSettings::IniFormat);
    return settings.value(QStringLiteral("connections/%1/%2").arg(id, key));
}

// "New connection…" with a password and "Remember the password" ticked: the keychain
// write fails, Weir says the password was not saved, the profile asks for it on the
// next connect, the file never holds it, and this session connects with it.
void TestNoKeychain::newConnectionPasswordIsNotSavedAnywhere()
{
    createWindow();
    ModalDriver driver;
    const quint16 port = m_server->port();
    driver.expect<ConnectionDialog>(QStringLiteral("the New connection dialog"),
                                    [port](ConnectionDialog *dialog) {
        QTest::keyClicks(dialog->findChild<QLineEdit *>(QStringLiteral("nameEdit")),
                         QStringLiteral("Guarded"));
        QTest::keyClicks(dialog->findChild<QLineEdit *>(QStringLiteral("urlEdit")),
                         QStringLiteral("redis://127.0.0.1:%1").arg(port));
        QTest::keyClicks(dialog->findChild<QLineEdit *>(QStringLiteral("passwordEdit")), Password);
        auto *remember = dialog->findChild<QCheckBox *>(QStringLiteral("rememberCheck"));
        if (!remember->isEnabled())
            return QStringLiteral("Remember the password is disabled");
        if (!remember->isChecked())
            gui::clickIndicator(remember);
        if (!remember->isChecked())
            return QStringLiteral("Remember the password cannot be ticked");
        QPushButton *ok = okButton(dialog);
        if (!ok->isEnabled())
            return QStringLiteral("OK is disabled: ")
                   + dialog->findChild<QLabel *>(QStringLiteral("hintLabel"))->text();
        QTest::mouseClick(ok, Qt::LeftButton);
        return QString();
    });
    ShownBox box;
    driver.expect<QMessageBox>(QStringLiteral("the Password not saved warning"),
                               readAndClickOk(&box));

    gui::clickToolButton(m_window.get(), QStringLiteral("New connection"));
    QTRY_VERIFY2_WITH_TIMEOUT(driver.done(), qPrintable(driver.pending()), KeychainWaitMs);
    QVERIFY2(driver.problems().isEmpty(), qPrintable(driver.problems().join(QLatin1Char('\n'))));

    QCOMPARE(box.title, QStringLiteral("Password not saved"));
    QCOMPARE(box.icon, QMessageBox::Warning);
    QVERIFY2(box.text.contains(QLatin1String("password was not saved")), qPrintable(box.text));
    QVERIFY2(box.text.contains(m_writeError), qPrintable(box.text));

    QSettings settings(m_ini, QSettings::IniFormat);
    settings.beginGroup(QStringLiteral("connections"));
    const QStringList ids = settings.childGroups();
    settings.endGroup();
    QCOMPARE(ids.size(), 1);
    const QString id = ids.first();
    QCOMPARE(savedValue(id, QStringLiteral("name")).toString(), QStringLiteral("Guarded"));
    QCOMPARE(savedValue(id, QStringLiteral("askPassword")).toString(), QStringLiteral("true"));
    QCOMPARE(savedValue(id, QStringLiteral("passwordInKeychain")).toString(),
             QStringLiteral("false"));

    // This session uses the typed password.
    QTRY_VERIFY2_WITH_TIMEOUT(
        label("connectionState")->text().startsWith(QLatin1String("Connected")),
        qPrintable(label("connectionState")->text()), 5000);
    QCOMPARE(connectionList()->currentIndex().data(ConnectionListModel::IdRole).toString(), id);

    QVERIFY2(!fileBytes(m_ini).contains(Password.toUtf8()), fileBytes(m_ini).constData());
    m_window.reset(); // writes the window geometry too
    m_settings.reset();
    QVERIFY2(fileBytes(m_ini).contains("Guarded"), "the profile was not written");
    QVERIFY2(!fileBytes(m_ini).contains(Password.toUtf8()), fileBytes(m_ini).constData());
    QVERIFY2(driver.problems().isEmpty(), qPrintable(driver.problems().join(QLatin1Char('\n'))));
}

// Editing a profile whose password is in the keychain, which cannot be read: Weir says
// what the keychain reported, the dialog shows no password, and OK without typing one
// keeps the saved password rather than turning the profile into "no password".
void TestNoKeychain::editKeepsUnreadableSavedPassword()
{
    const QString id = writeKeychainProfile();
    createWindow();
    QCOMPARE(connectionList()->model()->rowCount(), 1);
    clickConnectionRow(0, false);

    ModalDriver driver;
    ShownBox box;
    driver.expect<QMessageBox>(QStringLiteral("the keychain warning"), readAndClickOk(&box));
    std::optional<QString> shownPassword;
    driver.expect<ConnectionDialog>(QStringLiteral("the Edit connection dialog"),
                                    [&shownPassword](ConnectionDialog *dialog) {
        shownPassword = dialog->findChild<QLineEdit *>(QStringLiteral("passwordEdit"))->text();
        QPushButton *ok = okButton(dialog);
        if (!ok->isEnabled())
            return QStringLiteral("OK is disabled: ")
                   + dialog->findChild<QLabel *>(QStringLiteral("hintLabel"))->text();
        QTest::mouseClick(ok, Qt::LeftButton);
        return QString();
    });

    chooseMenuItem(QStringLiteral("Connection"), QStringLiteral("Edit connection"));
    QTRY_VERIFY2_WITH_TIMEOUT(driver.done(), qPrintable(driver.pending()), KeychainWaitMs);
    QVERIFY2(driver.problems().isEmpty(), qPrintable(driver.problems().join(QLatin1Char('\n'))));

    QCOMPARE(box.icon, QMessageBox::Warning);
    QVERIFY2(box.text.contains(m_readError), qPrintable(box.text));
    QVERIFY2(box.text.contains(QLatin1String("saved password is kept")), qPrintable(box.text));
    QCOMPARE(shownPassword, std::optional<QString>(QString()));

    QCOMPARE(savedValue(id, QStringLiteral("name")).toString(), QStringLiteral("Saved"));
    QCOMPARE(savedValue(id, QStringLiteral("passwordInKeychain")).toString(),
             QStringLiteral("true"));
    QCOMPARE(savedValue(id, QStringLiteral("askPassword")).toString(), QStringLiteral("false"));
    // Nothing was connected by the edit.
    QCOMPARE(label("connectionState")->text(), QStringLiteral("Not connected"));
    QVERIFY2(driver.problems().isEmpty(), qPrintable(driver.problems().join(QLatin1Char('\n'))));
}

// Connecting to a profile whose password is in the keychain, which cannot be read: Weir
// asks for the password, saying what the keychain reported, and connects with it.
void TestNoKeychain::connectAsksForUnreadableSavedPassword()
{
    const QString id = writeKeychainProfile();
    createWindow();
    QCOMPARE(connectionList()->model()->rowCount(), 1);

    ModalDriver driver;
    QString askedWith;
    driver.expect<QInputDialog>(QStringLiteral("the password prompt"),
                                [&askedWith](QInputDialog *input) {
        askedWith = input->labelText();
        if (input->textEchoMode() != QLineEdit::Password)
            return QStringLiteral("the password is echoed");
        auto *edit = input->findChild<QLineEdit *>();
        if (!edit)
            return QStringLiteral("the prompt has no line edit");
        QTest::keyClicks(edit, Password);
        QPushButton *ok = okButton(input);
        if (!ok || !ok->isEnabled())
            return QStringLiteral("the prompt has no enabled OK button");
        QTest::mouseClick(ok, Qt::LeftButton);
        return QString();
    });

    clickConnectionRow(0, true);
    QTRY_VERIFY2_WITH_TIMEOUT(driver.done(), qPrintable(driver.pending()), KeychainWaitMs);
    QVERIFY2(driver.problems().isEmpty(), qPrintable(driver.problems().join(QLatin1Char('\n'))));
    QVERIFY2(askedWith.contains(m_readError), qPrintable(askedWith));
    QVERIFY2(askedWith.contains(QLatin1String("Saved")), qPrintable(askedWith));

    QTRY_VERIFY2_WITH_TIMEOUT(
        label("connectionState")->text().startsWith(QLatin1String("Connected")),
        qPrintable(label("connectionState")->text()), 5000);
    // Still one prompt only, and the saved password is still where it was said to be.
    QVERIFY2(driver.problems().isEmpty(), qPrintable(driver.problems().join(QLatin1Char('\n'))));
    QCOMPARE(savedValue(id, QStringLiteral("passwordInKeychain")).toString(),
             QStringLiteral("true"));
    QVERIFY(!fileBytes(m_ini).contains(Password.toUtf8()));
}

// A saved sentinel profile whose sentinels' password is asked for on connect (there was no
// keychain to keep it): Weir asks for it as the sentinels' password and sends it to them.
// (These sentinels have none, so their refusal shows it was sent.)
void TestNoKeychain::connectAsksForSentinelPassword()
{
    LocalSentinelSet set;
    QString error;
    QVERIFY2(set.start(&error), qPrintable(error));
    ConnectionProfile profile;
    profile.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    profile.options = set.options();
    profile.options.name = QStringLiteral("Guarded HA");
    profile.askSentinelPassword = true;
    {
        QSettings settings(m_ini, QSettings::IniFormat);
        ProfileStore(&settings).save(profile);
    }
    createWindow();
    QCOMPARE(connectionList()->model()->rowCount(), 1);

    const QString typed = QStringLiteral("Sp-typed-5521");
    ModalDriver driver;
    QString askedWith;
    driver.expect<QInputDialog>(QStringLiteral("the sentinels' password prompt"),
                                [&](QInputDialog *input) {
        askedWith = input->labelText();
        if (input->textEchoMode() != QLineEdit::Password)
            return QStringLiteral("the password is echoed");
        QTest::keyClicks(input->findChild<QLineEdit *>(), typed);
        QTest::mouseClick(okButton(input), Qt::LeftButton);
        return QString();
    });
    clickConnectionRow(0, true);
    QTRY_VERIFY2_WITH_TIMEOUT(driver.done(), qPrintable(driver.pending()), KeychainWaitMs);
    QVERIFY2(driver.problems().isEmpty(), qPrintable(driver.problems().join(QLatin1Char('\n'))));
    QCOMPARE(askedWith, QStringLiteral("Sentinels' password for Guarded HA:"));

    const QModelIndex row = connectionList()->model()->index(0, 0);
    QTRY_VERIFY_WITH_TIMEOUT(
        row.data(Qt::ToolTipRole).toString().contains(QLatin1String("ERR AUTH")), 10000);
    QVERIFY(!fileBytes(m_ini).contains(typed.toUtf8()));
    QVERIFY2(driver.problems().isEmpty(), qPrintable(driver.problems().join(QLatin1Char('\n'))));
}

// QTEST_MAIN, with the session bus made unreachable before anything can connect to it.
int main(int argc, char *argv[])
{
    qputenv("DBUS_SESSION_BUS_ADDRESS", NoBus);
    QApplication app(argc, argv);
    app.setAttribute(Qt::AA_Use96Dpi, true);
    TestNoKeychain test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}

#include "tst_nokeychain.moc"
