// The Preferences dialog as an operator uses it, over real history stores (SQLite files in
// a temporary directory) of sessions on a real redis-server: the retention of each tier
// typed, refused with the reason when it cannot work, saved in the settings and applied to
// the open sessions; the stores' size on disk; "Clear history…" asking first, then
// emptying the open stores, deleting the closed ones and leaving alone a store another
// Weir records. And the window: Preferences… with the platform's shortcut, the history kept
// beside a settings file of its own, a read-only history said in the status bar and the
// overview (never in a modal dialog), and the charts given the session's store.

#include "guitestsupport.h"

#include "credentialstore.h"
#include "historystore.h"
#include "mainwindow.h"
#include "preferencesdialog.h"
#include "profilestate.h"
#include "serieshistory.h"
#include "sessionmanager.h"
#include "sessionworkspace.h"
#include "streamchart.h"
#include "streaminspector.h"
#include "streammonitor.h"

#include <QDir>
#include <QFileInfo>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QtTest>

namespace {

const QString SavedId = QStringLiteral("saved-profile");
const QString ClosedId = QStringLiteral("closed-profile");
constexpr qint64 MinuteMs = 60 * 1000;
constexpr qint64 DayMs = 24 * 3600 * 1000;

// The bytes of every file of the store at `path` (the database, its WAL, ...).
qint64 storeBytes(const QString &path)
{
    qint64 bytes = 0;
    const QFileInfo base(path);
    for (const QFileInfo &file : base.dir().entryInfoList(QDir::Files)) {
        if (file.fileName().startsWith(base.fileName()))
            bytes += file.size();
    }
    return bytes;
}

} // namespace

class TestPreferencesDialog : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void cleanupTestCase();

    void showsAndLoadsWhatIsKept();
    void refusesWhatCannotWork_data();
    void refusesWhatCannotWork();
    void typedValuesAreSavedAndApplied();
    void cancelKeepsEverything();
    void showsTheSizeOnDisk();
    void clearHistoryAsksFirst();
    void clearHistoryClearsEveryStore();
    void windowOpensPreferences();
    void windowSaysWhenHistoryIsReadOnly();

private:
    // Starts the profile `id`'s session and waits for its store to record a tick.
    ConnectionSession *startRecording(const QString &id);
    // The dialog as Preferences… opens it, shown.
    void openDialog();
    QSpinBox *spin(const char *name) const { return gui::child<QSpinBox>(m_dialog.get(), name); }
    // Opens the confirmation of Clear history… as a click on the button does.
    QMessageBox *clickClearHistory();

    std::unique_ptr<LocalRedisServer> m_server;
    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_history;
    std::unique_ptr<QSettings> m_settings;
    std::unique_ptr<CredentialStore> m_credentials;
    std::unique_ptr<ProfileState> m_profiles;
    std::unique_ptr<SessionManager> m_sessions;
    ConnectionSession *m_session = nullptr;
    std::unique_ptr<PreferencesDialog> m_dialog;
};

void TestPreferencesDialog::initTestCase()
{
    m_server = std::make_unique<LocalRedisServer>();
    GUI_START_SERVER(*m_server);
    gui::SetupClient client(m_server->options());
    QVERIFY2(client.isConnected(), qPrintable(client.stateMessage()));
    QVERIFY(client.run({RedisCommand{"XADD", "orders", "*", "n", "1"},
                        RedisCommand{"XGROUP", "CREATE", "orders", "billing", "0"}}));
}

void TestPreferencesDialog::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_history = m_dir->filePath(QStringLiteral("history"));
    m_settings = std::make_unique<QSettings>(m_dir->filePath(QStringLiteral("weir.ini")),
                                             QSettings::IniFormat);
    for (const QString &id : {SavedId, ClosedId}) {
        ConnectionProfile profile;
        profile.id = id;
        profile.options = m_server->options();
        profile.options.name = id == SavedId ? QStringLiteral("queues") : QStringLiteral("old");
        ProfileStore(m_settings.get()).save(profile);
    }
    m_credentials = std::make_unique<CredentialStore>(QStringLiteral("weir-test-preferences"));
    m_profiles = std::make_unique<ProfileState>(m_settings.get(), m_credentials.get());
    m_sessions = std::make_unique<SessionManager>(m_profiles.get());
    m_sessions->setHistoryDirectory(m_history);
    m_session = startRecording(SavedId);
    QVERIFY(m_session);
}

void TestPreferencesDialog::cleanup()
{
    m_dialog.reset();
    m_sessions.reset();
    m_profiles.reset();
    m_credentials.reset();
    m_settings.reset();
    m_dir.reset();
}

void TestPreferencesDialog::cleanupTestCase()
{
    m_server.reset();
}

ConnectionSession *TestPreferencesDialog::startRecording(const QString &id)
{
    ConnectionSession *session = m_sessions->start(id, m_profiles->find(id)->options);
    HistoryStore *store = session->historyStore();
    if (!store)
        return nullptr;
    if (!QTest::qWaitFor(
            [session, store] {
        return session->monitor()->isRunning() && store->mode() == HistoryStore::Mode::Writing;
            },
            10000))
        return nullptr;
    QSignalSpy sampled(session->monitor(), &StreamMonitor::sampled);
    session->monitor()->tickNow();
    if (!sampled.wait(10000))
        return nullptr;
    store->waitForWrites();
    return session;
}

void TestPreferencesDialog::openDialog()
{
    m_dialog = std::make_unique<PreferencesDialog>(m_settings.get(), m_sessions.get(), m_session);
    m_dialog->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_dialog.get()));
}

QMessageBox *TestPreferencesDialog::clickClearHistory()
{
    QTest::mouseClick(gui::child<QPushButton>(m_dialog.get(), "clearHistory"), Qt::LeftButton);
    QMessageBox *box = nullptr;
    if (!QTest::qWaitFor(
            [this, &box] {
        box = m_dialog->findChild<QMessageBox *>(QStringLiteral("clearHistoryConfirm"));
        return box && box->isVisible();
            },
            5000))
        return nullptr;
    return box;
}

void TestPreferencesDialog::showsAndLoadsWhatIsKept()
{
    // Nothing kept: the defaults.
    QVERIFY(PreferencesDialog::loadRetention(*m_settings) == HistoryRetention());
    openDialog();
    QCOMPARE(spin("rawWindowMinutes")->value(), 60);
    QCOMPARE(spin("minuteBucketDays")->value(), 7);
    QCOMPARE(spin("hourBucketDays")->value(), 90);
    QVERIFY(m_dialog->problem().isEmpty());
    QVERIFY(gui::child<QPushButton>(m_dialog.get(), "preferencesOk")->isEnabled());
    QVERIFY2(gui::shownText(gui::child<QLabel>(m_dialog.get(), "historyDirectory"))
                 .contains(QDir::toNativeSeparators(m_history)),
             qPrintable(gui::shownText(gui::child<QLabel>(m_dialog.get(), "historyDirectory"))));

    // Kept in the settings: read back as saved; refused values (a file edited by hand)
    // give the defaults.
    m_settings->setValue(QStringLiteral("history/rawWindowMinutes"), 90);
    m_settings->setValue(QStringLiteral("history/minuteBucketDays"), 3);
    m_settings->setValue(QStringLiteral("history/hourBucketDays"), 30);
    const HistoryRetention kept = PreferencesDialog::loadRetention(*m_settings);
    QCOMPARE(kept.rawMs, 90 * MinuteMs);
    QCOMPARE(kept.minuteMs, 3 * DayMs);
    QCOMPARE(kept.hourMs, 30 * DayMs);
    m_settings->setValue(QStringLiteral("history/hourBucketDays"), 2);
    QVERIFY(PreferencesDialog::loadRetention(*m_settings) == HistoryRetention());
}

void TestPreferencesDialog::refusesWhatCannotWork_data()
{
    QTest::addColumn<QString>("raw");
    QTest::addColumn<QString>("minute");
    QTest::addColumn<QString>("hour");
    QTest::addColumn<QString>("why");
    QTest::newRow("raw too short") << "5"
                                   << "7"
                                   << "90"
                                   << "at least 10 min";
    QTest::newRow("raw too long") << "2000"
                                  << "7"
                                  << "90"
                                  << "at most 1 d";
    QTest::newRow("no minute buckets") << "60"
                                       << "0"
                                       << "90"
                                       << "at least 1 d";
    QTest::newRow("minute not past raw") << "1440"
                                         << "1"
                                         << "90"
                                         << "minute buckets longer than every tick (1 d)";
    QTest::newRow("hour not past minute") << "60"
                                          << "30"
                                          << "30"
                                          << "hour buckets longer than minute buckets (30 d)";
    QTest::newRow("hour too long") << "60"
                                   << "7"
                                   << "5000"
                                   << "at most 3650 d";
}

void TestPreferencesDialog::refusesWhatCannotWork()
{
    QFETCH(QString, raw);
    QFETCH(QString, minute);
    QFETCH(QString, hour);
    QFETCH(QString, why);
    openDialog();
    auto *ok = gui::child<QPushButton>(m_dialog.get(), "preferencesOk");
    gui::retype(spin("rawWindowMinutes"), raw);
    gui::retype(spin("minuteBucketDays"), minute);
    gui::retype(spin("hourBucketDays"), hour);
    QVERIFY2(m_dialog->problem().contains(why), qPrintable(m_dialog->problem()));
    // Said in the error colour, under the form, and OK refuses.
    QVERIFY2(gui::errorStyledText(m_dialog.get()).contains(why),
             qPrintable(gui::errorStyledText(m_dialog.get())));
    QVERIFY(!ok->isEnabled());
    QTest::keyClick(spin("hourBucketDays"), Qt::Key_Return);
    QVERIFY(m_dialog->isVisible());
    QVERIFY(!m_settings->contains(QStringLiteral("history/rawWindowMinutes")));
    QVERIFY(m_session->historyStore()->retention() == HistoryRetention());

    // Put right: the reason goes, OK takes it.
    gui::retype(spin("rawWindowMinutes"), QStringLiteral("60"));
    gui::retype(spin("minuteBucketDays"), QStringLiteral("7"));
    gui::retype(spin("hourBucketDays"), QStringLiteral("90"));
    QVERIFY(m_dialog->problem().isEmpty());
    QVERIFY(gui::errorStyledText(m_dialog.get()).isEmpty());
    QVERIFY(ok->isEnabled());
}

void TestPreferencesDialog::typedValuesAreSavedAndApplied()
{
    openDialog();
    gui::retype(spin("rawWindowMinutes"), QStringLiteral("120"));
    gui::retype(spin("minuteBucketDays"), QStringLiteral("14"));
    gui::retype(spin("hourBucketDays"), QStringLiteral("180"));
    QVERIFY2(m_dialog->problem().isEmpty(), qPrintable(m_dialog->problem()));
    QVERIFY2(
        gui::shownText(gui::child<QLabel>(m_dialog.get(), "rawWindowMemory"))
            .contains(QLocale().formattedDataSize(7200 * 4, 1, QLocale::DataSizeTraditionalFormat)),
        qPrintable(gui::shownText(gui::child<QLabel>(m_dialog.get(), "rawWindowMemory"))));
    QSignalSpy accepted(m_dialog.get(), &QDialog::accepted);
    QTest::mouseClick(gui::child<QPushButton>(m_dialog.get(), "preferencesOk"), Qt::LeftButton);
    QCOMPARE(accepted.count(), 1);
    QVERIFY(!m_dialog->isVisible());

    // Saved...
    QSettings reread(m_settings->fileName(), QSettings::IniFormat);
    QCOMPARE(reread.value(QStringLiteral("history/rawWindowMinutes")).toInt(), 120);
    QCOMPARE(reread.value(QStringLiteral("history/minuteBucketDays")).toInt(), 14);
    QCOMPARE(reread.value(QStringLiteral("history/hourBucketDays")).toInt(), 180);
    HistoryRetention typed;
    typed.rawMs = 120 * MinuteMs;
    typed.minuteMs = 14 * DayMs;
    typed.hourMs = 180 * DayMs;
    QVERIFY(PreferencesDialog::loadRetention(reread) == typed);
    // ...and in force at once: the open session's store and its window in memory, and the
    // sessions started next.
    QVERIFY(m_sessions->historyRetention() == typed);
    QVERIFY(m_session->historyStore()->retention() == typed);
    QCOMPARE(m_session->history()->spanMs(), typed.rawMs);
    ConnectionSession *next = startRecording(ClosedId);
    QVERIFY(next);
    QVERIFY(next->historyStore()->retention() == typed);
    QCOMPARE(next->history()->spanMs(), typed.rawMs);
}

void TestPreferencesDialog::cancelKeepsEverything()
{
    openDialog();
    gui::retype(spin("rawWindowMinutes"), QStringLiteral("30"));
    QTest::keyClick(m_dialog.get(), Qt::Key_Escape);
    QVERIFY(!m_dialog->isVisible());
    QVERIFY(!m_settings->contains(QStringLiteral("history/rawWindowMinutes")));
    QVERIFY(m_session->historyStore()->retention() == HistoryRetention());
    QCOMPARE(m_session->history()->spanMs(), HistoryRetention().rawMs);
}

void TestPreferencesDialog::showsTheSizeOnDisk()
{
    // A connection that recorded and was closed: its store stays on disk.
    QVERIFY(startRecording(ClosedId));
    m_sessions->end(ClosedId);
    const QString closedPath = HistoryStore::pathFor(m_history, ClosedId);
    QVERIFY(QFileInfo::exists(closedPath));
    const qint64 closedBytes = storeBytes(closedPath);
    QVERIFY(closedBytes > 0);

    // Every connection's, read from the files; the current one's as its store counts it.
    QSignalSpy sized(m_session->historyStore(), &HistoryStore::sizeKnown);
    openDialog();
    QTRY_VERIFY(!sized.isEmpty());
    const qint64 current = sized.last().at(0).toLongLong();
    QVERIFY(current > 0);
    const auto shown = [](qint64 bytes) {
        return QLocale().formattedDataSize(bytes, 1, QLocale::DataSizeTraditionalFormat);
    };
    QTRY_VERIFY2(m_dialog->sizeText().contains(QStringLiteral("queues: ") + shown(current)),
                 qPrintable(m_dialog->sizeText()));
    const QString text = gui::shownText(gui::child<QLabel>(m_dialog.get(), "historySize"));
    QCOMPARE(text, m_dialog->sizeText());
    QVERIFY2(text.startsWith(QStringLiteral("Every connection's history: ")), qPrintable(text));
    // The total is the files'. They grow while the session records: once it stops, read
    // them as the dialog does.
    m_session->monitor()->stop();
    m_session->historyStore()->waitForWrites();
    m_dialog->refreshSize();
    const qint64 total = storeBytes(closedPath) + storeBytes(m_session->historyStore()->path());
    QVERIFY(total >= closedBytes + current);
    QVERIFY2(m_dialog->sizeText().contains(shown(total)), qPrintable(m_dialog->sizeText()));
}

void TestPreferencesDialog::clearHistoryAsksFirst()
{
    QVERIFY(startRecording(ClosedId));
    m_sessions->end(ClosedId);
    const QString closedPath = HistoryStore::pathFor(m_history, ClosedId);
    openDialog();
    QSignalSpy cleared(m_session->historyStore(), &HistoryStore::cleared);
    QMessageBox *box = clickClearHistory();
    QVERIFY(box);
    // It names what is lost, and how much.
    QCOMPARE(box->text(), QStringLiteral("Clear the monitoring history of every connection?"));
    QVERIFY2(box->informativeText().contains(QLatin1String("every sample and bucket"))
                 && box->informativeText().contains(QLatin1String("up to 90 d back"))
                 && box->informativeText().contains(QLatin1String("cannot be undone")),
             qPrintable(box->informativeText()));
    // The user thinks better of it.
    QTest::mouseClick(box->button(QMessageBox::Cancel), Qt::LeftButton);
    QTRY_VERIFY(!m_dialog->findChild<QMessageBox *>(QStringLiteral("clearHistoryConfirm")));
    QTest::qWait(200); // nothing was started that could still arrive
    QCOMPARE(cleared.count(), 0);
    QVERIFY(QFileInfo::exists(closedPath));
    QVERIFY(!gui::child<QLabel>(m_dialog.get(), "clearStatus")->isVisible());
}

void TestPreferencesDialog::clearHistoryClearsEveryStore()
{
    QVERIFY(startRecording(ClosedId));
    m_sessions->end(ClosedId);
    const QString closedPath = HistoryStore::pathFor(m_history, ClosedId);
    QVERIFY(QFileInfo::exists(closedPath));
    // Another Weir records a profile of its own here: its store is left alone.
    const QString busyPath = HistoryStore::pathFor(m_history, QStringLiteral("busy-profile"));
    auto busy = std::make_unique<HistoryStore>(busyPath, HistoryRetention(), 1000);
    QTRY_COMPARE(busy->mode(), HistoryStore::Mode::Writing);

    // The session stops ticking, so that what it holds is known.
    m_session->monitor()->stop();
    QVERIFY(m_session->history()->tickCount() > 0);
    openDialog();
    HistoryStore *store = m_session->historyStore();
    QSignalSpy cleared(store, &HistoryStore::cleared);
    QSignalSpy done(m_dialog.get(), &PreferencesDialog::historyCleared);
    QMessageBox *box = clickClearHistory();
    QVERIFY(box);
    auto *confirm = box->findChild<QPushButton *>(QStringLiteral("confirmClear"));
    QVERIFY(confirm);
    QCOMPARE(confirm->text(), QStringLiteral("Clear history"));
    QTest::mouseClick(confirm, Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(done.count(), 1, 10000);
    QCOMPARE(cleared.count(), 1);
    // The closed connection's store is gone, the busy one stays, and the dialog says why.
    QVERIFY(!QFileInfo::exists(closedPath));
    QVERIFY(QFileInfo::exists(busyPath));
    const QString status = gui::shownText(gui::child<QLabel>(m_dialog.get(), "clearStatus"));
    QVERIFY2(status.startsWith(QLatin1String("History cleared."))
                 && status.contains(QLatin1String("another Weir records them: busy-profile")),
             qPrintable(status));
    // The open session forgot what it held, in memory too; the size shown is the new one.
    QCOMPARE(m_session->history()->tickCount(), 0);
    store->waitForWrites();
    QSignalSpy sized(store, &HistoryStore::sizeKnown);
    m_dialog->refreshSize();
    QTRY_VERIFY(!sized.isEmpty());
    const qint64 total = storeBytes(busyPath) + storeBytes(store->path());
    QVERIFY2(m_dialog->sizeText().contains(
                 QLocale().formattedDataSize(total, 1, QLocale::DataSizeTraditionalFormat)),
             qPrintable(m_dialog->sizeText()));
    QVERIFY(gui::child<QPushButton>(m_dialog.get(), "clearHistory")->isEnabled());
    busy.reset();
}

void TestPreferencesDialog::windowOpensPreferences()
{
    m_sessions.reset();
    // A settings file of its own: the history beside it, unless the settings name a place.
    QCOMPARE(MainWindow::historyDirectory(*m_settings), m_history);
    MainWindow window(m_settings.get(), m_credentials.get());
    QCOMPARE(window.sessions()->historyDirectory(), m_history);
    QVERIFY(window.sessions()->historyRetention() == HistoryRetention());
    window.show();
    window.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&window));
    QAction *preferences = window.preferencesAction();
    // The platform's standard key, or Ctrl+, where it has none.
    const QKeySequence standard(QKeySequence::Preferences);
    QCOMPARE(preferences->shortcut(),
             standard.isEmpty() ? QKeySequence(Qt::CTRL | Qt::Key_Comma) : standard);
    QCOMPARE(preferences->text().remove(QLatin1Char('&')), QStringLiteral("Preferences…"));
    QTest::keySequence(&window, preferences->shortcut());
    QTRY_VERIFY(window.preferencesDialog() && window.preferencesDialog()->isVisible());
    PreferencesDialog *dialog = window.preferencesDialog();
    gui::retype(gui::child<QSpinBox>(dialog, "minuteBucketDays"), QStringLiteral("10"));
    QTest::mouseClick(gui::child<QPushButton>(dialog, "preferencesOk"), Qt::LeftButton);
    QTRY_VERIFY(!window.preferencesDialog()); // deleted once closed
    QCOMPARE(window.sessions()->historyRetention().minuteMs, 10 * DayMs);

    m_settings->setValue(QStringLiteral("history/directory"),
                         m_dir->filePath(QStringLiteral("elsewhere")));
    QCOMPARE(MainWindow::historyDirectory(*m_settings),
             m_dir->filePath(QStringLiteral("elsewhere")));
    // The next window reads what was kept.
    MainWindow next(m_settings.get(), m_credentials.get());
    QCOMPARE(next.sessions()->historyRetention().minuteMs, 10 * DayMs);
    QCOMPARE(next.sessions()->historyDirectory(), m_dir->filePath(QStringLiteral("elsewhere")));
}

void TestPreferencesDialog::windowSaysWhenHistoryIsReadOnly()
{
    m_sessions.reset();
    // Another Weir records the demo's history already.
    const QString demoPath = HistoryStore::pathFor(m_history, QStringLiteral("demo"));
    HistoryStore other(demoPath, HistoryRetention(), 1000);
    QTRY_COMPARE(other.mode(), HistoryStore::Mode::Writing);

    MainWindow window(m_settings.get(), m_credentials.get());
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    window.openEphemeral(m_server->options(), QStringLiteral("demo"));
    ConnectionSession *session = window.sessions()->session(QStringLiteral("demo"));
    QVERIFY(session);
    QCOMPARE(window.currentSession(), session);
    HistoryStore *store = session->historyStore();
    QVERIFY(store);
    QCOMPARE(store->path(), demoPath);
    QTRY_COMPARE(store->mode(), HistoryStore::Mode::ReadOnly);
    // Said once in the status bar, in the store's words; and on the overview as a note with
    // what to do, while no dialog asks anything.
    QTRY_VERIFY2(window.statusBar()->currentMessage().contains(store->statusText()),
                 qPrintable(window.statusBar()->currentMessage()));
    QVERIFY(!QApplication::activeModalWidget());
    const auto banner = [&window, store] {
        for (const QLabel *label : window.findChildren<QLabel *>()) {
            QString text = gui::shownText(label);
            if (label->isVisible() && text.contains(store->statusText()))
                return text;
        }
        return QString();
    };
    QTRY_VERIFY(!banner().isEmpty());
    QVERIFY2(banner().contains(QLatin1String("close the other Weir")), qPrintable(banner()));
    // Monitoring goes on.
    QTRY_VERIFY(session->monitor()->isRunning());

    // A stream's charts read older history from the session's store.
    SessionWorkspace *workspace = window.workspace(QStringLiteral("demo"));
    QVERIFY(workspace);
    workspace->inspect("orders");
    StreamInspector *inspector = workspace->inspectorOf(window.tabs()->currentWidget());
    QVERIFY(inspector);
    QVERIFY(inspector->chart());
    QCOMPARE(inspector->chart()->historyStore(), store);
}

QTEST_MAIN(TestPreferencesDialog)
#include "tst_preferencesdialog.moc"
