// Alerts in the main window, offscreen, with a saved connection to a real redis-server:
// figures fed to the connection's alert engine fire an alert that shows in the alerts pane
// (and the dock's title), "Active only" and Clear work as clicked; the rules dialog rejects
// bad thresholds with a hint and saves good ones to the settings and the engine; the
// notifier tells the user only while the window is not active, throttled.
#include "guitestsupport.h"

#include "alertlogmodel.h"
#include "alertrules.h"
#include "alertrulesdialog.h"
#include "alertspane.h"
#include "connectionprofiles.h"
#include "connectionsession.h"
#include "credentialstore.h"
#include "mainwindow.h"
#include "notifier.h"
#include "profilestate.h"
#include "streammonitor.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QLineEdit>
#include <QListView>
#include <QMenuBar>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QTableView>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QtTest>

namespace {
const QString kId = QStringLiteral("alerts-test-profile");

MonitorFigures lagFigures(qint64 timeMs, const QByteArray &stream, const QByteArray &group,
                          double lag)
{
    MonitorFigures f;
    f.timeMs = timeMs;
    f.values.insert({stream, group, {}, Metric::Lag}, lag);
    return f;
}

QStringList column(const QAbstractItemModel *model, int column)
{
    QStringList texts;
    for (int row = 0; row < model->rowCount(); ++row)
        texts.append(model->index(row, column).data().toString());
    return texts;
}
} // namespace

class TestAlertsPane : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void cleanupTestCase();

    void firedAlertAppearsInPane();
    void rulesDialogRejectsBadThresholdsAndSavesGoodOnes();
    void overrideFormExplainsWhatIsMissing();
    void notifiesOnlyWhenWindowIsNotActive();
    void monitorTicksFireAlerts();

private:
    AlertEngine *engine() const
    {
        const ConnectionSession *session = m_window->sessions()->session(kId);
        return session ? session->alertEngine() : nullptr;
    }

    std::unique_ptr<LocalRedisServer> m_server;
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<QSettings> m_settings;
    std::unique_ptr<CredentialStore> m_credentials;
    std::unique_ptr<MainWindow> m_window;
};

void TestAlertsPane::initTestCase()
{
    m_server = std::make_unique<LocalRedisServer>();
    GUI_START_SERVER(*m_server);
    m_credentials = std::make_unique<CredentialStore>();
}

void TestAlertsPane::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_settings = std::make_unique<QSettings>(m_dir->filePath(QStringLiteral("weir.ini")),
                                             QSettings::IniFormat);
    ConnectionProfile profile;
    profile.id = kId;
    profile.options = m_server->options();
    profile.options.name = QStringLiteral("queues");
    ProfileStore(m_settings.get()).save(profile);
    m_window = std::make_unique<MainWindow>(m_settings.get(), m_credentials.get());
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    QListView *list = m_window->connectionsView();
    list->setCurrentIndex(list->model()->index(0, 0));
    gui::clickToolButton(m_window.get(), QStringLiteral("Connect"));
    QTRY_VERIFY(engine() != nullptr);
}

void TestAlertsPane::cleanup()
{
    m_window.reset();
    m_settings.reset();
    m_dir.reset();
}

void TestAlertsPane::cleanupTestCase()
{
    m_server.reset();
}

void TestAlertsPane::firedAlertAppearsInPane()
{
    AlertsPane *pane = m_window->alertsPane();
    QVERIFY(pane->isVisible());
    QTableView *view = pane->view();
    QCOMPARE(view->model()->rowCount(), 0);
    QCOMPARE(gui::shownText(gui::child<QLabel>(pane, "alertsCount")),
             QStringLiteral("No alerts yet"));

    engine()->evaluate(lagFigures(1'700'000'000'000, "orders", "billing", 400));
    QCOMPARE(view->model()->rowCount(), 0); // under the threshold
    engine()->evaluate(lagFigures(1'700'000'001'000, "orders", "billing", 1800));
    QCOMPARE(view->model()->rowCount(), 1);
    QCOMPARE(view->model()->index(0, AlertLogModel::Stream).data().toString(),
             QStringLiteral("orders"));
    QCOMPARE(view->model()->index(0, AlertLogModel::Where).data().toString(),
             QStringLiteral("billing"));
    QCOMPARE(view->model()->index(0, AlertLogModel::Connection).data().toString(),
             QStringLiteral("queues"));
    QCOMPARE(view->model()->index(0, AlertLogModel::State).data().toString(),
             QStringLiteral("Firing"));
    QVERIFY(pane->windowTitle().contains(QStringLiteral("1 active")));
    // Its columns show the whole of the row (nothing cut with "…").
    QTRY_COMPARE(gui::cutColumn(view), QString());
    QCOMPARE(m_window->alertLog()->activeAlerts(kId, "orders", "billing").size(), 1);
    // Still above: no second row.
    engine()->evaluate(lagFigures(1'700'000'002'000, "orders", "billing", 2500));
    QCOMPARE(view->model()->rowCount(), 1);

    // Back under 90% of the threshold: cleared.
    engine()->evaluate(lagFigures(1'700'000'003'000, "orders", "billing", 100));
    QCOMPARE(view->model()->rowCount(), 2);
    QCOMPARE(column(view->model(), AlertLogModel::State),
             (QStringList{QStringLiteral("Cleared"), QStringLiteral("Fired")}));
    QCOMPARE(pane->windowTitle(), QStringLiteral("Alerts"));

    engine()->evaluate(lagFigures(1'700'000'004'000, "orders", "audit", 5000));
    auto *activeOnly = gui::child<QCheckBox>(pane, "alertsActiveOnly");
    gui::clickIndicator(activeOnly);
    QVERIFY(activeOnly->isChecked());
    QCOMPARE(column(view->model(), AlertLogModel::Where), QStringList{QStringLiteral("audit")});
    gui::clickIndicator(activeOnly);
    QCOMPARE(view->model()->rowCount(), 3);

    // Clear keeps the alert still active.
    QTest::mouseClick(gui::child<QPushButton>(pane, "alertsClear"), Qt::LeftButton);
    QCOMPARE(column(view->model(), AlertLogModel::Where), QStringList{QStringLiteral("audit")});

    // Disconnecting ends the connection's alerts.
    gui::clickToolButton(m_window.get(), QStringLiteral("Disconnect"));
    QVERIFY(!engine());
    QCOMPARE(m_window->alertLog()->activeCount(), 0);
    QCOMPARE(view->model()->index(0, AlertLogModel::State).data().toString(),
             QStringLiteral("Fired"));
}

void TestAlertsPane::rulesDialogRejectsBadThresholdsAndSavesGoodOnes()
{
    // Opened as a user would: Connection > Alert rules…
    m_window->alertRulesAction()->trigger();
    AlertRulesDialog *dialog = nullptr;
    QTRY_VERIFY(
        (dialog = m_window->findChild<AlertRulesDialog *>(QStringLiteral("alertRulesDialog"))));
    QTRY_VERIFY(dialog->isVisible());
    auto *backlog = gui::child<QLineEdit>(dialog, "thresholdBacklog");
    auto *timeLag = gui::child<QLineEdit>(dialog, "thresholdTimeLag");
    auto *hint = gui::child<QLabel>(dialog, "alertRulesHint");
    QPushButton *ok = dialog->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok);
    QCOMPARE(backlog->text(), QStringLiteral("1000"));
    QVERIFY(ok->isEnabled());
    QVERIFY(!hint->isVisible());

    gui::retype(backlog, QStringLiteral("lots"));
    QVERIFY(!ok->isEnabled());
    QVERIFY(hint->isVisible());
    QVERIFY2(hint->text().contains(QStringLiteral("Backlog"))
                 && hint->text().contains(QStringLiteral("not a number")),
             qPrintable(hint->text()));
    gui::retype(backlog, QStringLiteral("12.5"));
    QVERIFY2(hint->text().contains(QStringLiteral("whole number")), qPrintable(hint->text()));
    gui::retype(backlog, QStringLiteral("0"));
    QVERIFY2(hint->text().contains(QStringLiteral("1 or more")), qPrintable(hint->text()));
    QVERIFY(!ok->isEnabled());
    gui::retype(backlog, QStringLiteral("2500"));
    QVERIFY(ok->isEnabled());
    QVERIFY(!hint->isVisible());
    gui::retype(timeLag, QString());
    QVERIFY(!ok->isEnabled());
    QVERIFY2(hint->text().contains(QStringLiteral("Time lag")), qPrintable(hint->text()));
    // Switching the rule off makes its threshold irrelevant.
    gui::clickIndicator(gui::child<QCheckBox>(dialog, "enabledTimeLag"));
    QVERIFY(ok->isEnabled());
    gui::clickIndicator(gui::child<QCheckBox>(dialog, "enabledTimeLag"));
    gui::retype(timeLag, QStringLiteral("90"));

    // An override for one group.
    QTest::keyClicks(gui::child<QLineEdit>(dialog, "overrideStream"), QStringLiteral("orders"));
    QTest::keyClicks(gui::child<QLineEdit>(dialog, "overrideGroup"), QStringLiteral("slow"));
    auto *add = gui::child<QPushButton>(dialog, "addOverride");
    auto *overrideHint = gui::child<QLabel>(dialog, "overrideHint");
    QVERIFY(!add->isEnabled());
    QVERIFY2(overrideHint->text().contains(QStringLiteral("Nothing to override")),
             qPrintable(overrideHint->text()));
    auto *overrideThreshold = gui::child<QLineEdit>(dialog, "overrideThreshold");
    QTest::keyClicks(overrideThreshold, QStringLiteral("-4"));
    QVERIFY(!add->isEnabled());
    QVERIFY2(overrideHint->text().contains(QStringLiteral("1 or more")),
             qPrintable(overrideHint->text()));
    gui::retype(overrideThreshold, QStringLiteral("5000"));
    QVERIFY(add->isEnabled());
    QTest::mouseClick(add, Qt::LeftButton);
    auto *table = gui::child<QTableWidget>(dialog, "overrides");
    QCOMPARE(table->rowCount(), 1);
    QCOMPARE(table->item(0, 0)->text(), QStringLiteral("orders"));
    QCOMPARE(table->item(0, 1)->text(), QStringLiteral("slow"));

    QTest::mouseClick(ok, Qt::LeftButton);
    QTRY_VERIFY(!m_window->findChild<AlertRulesDialog *>(QStringLiteral("alertRulesDialog")));

    const AlertRules inForce = engine()->rules();
    QCOMPARE(inForce.globalThreshold(AlertRule::Backlog), 2500.0);
    QCOMPARE(inForce.globalThreshold(AlertRule::TimeLag), 90.0);
    QCOMPARE(inForce.threshold(AlertRule::Backlog, "orders", "slow"), 5000.0);
    QCOMPARE(inForce.threshold(AlertRule::Backlog, "orders", "fast"), 2500.0);
    // Saved with the profile, as a new window reads them.
    QVERIFY(AlertRules::load(*m_settings, QStringLiteral("connections/") + kId) == inForce);
    MainWindow again(m_settings.get(), m_credentials.get());
    QVERIFY(again.profiles()->alertRules(kId) == inForce);

    // In force from the next tick: 3,000 entries is under orders/slow's 5,000.
    engine()->evaluate(lagFigures(1, "orders", "slow", 3000));
    engine()->evaluate(lagFigures(1, "orders", "fast", 3000));
    QCOMPARE(m_window->alertLog()->activeCount(), 1);
    QCOMPARE(m_window->alertLog()->activeAlerts().at(0).group, QByteArray("fast"));
}

void TestAlertsPane::overrideFormExplainsWhatIsMissing()
{
    AlertRules rules;
    rules.setOverride({"orders", {}, AlertRule::DeadLetter}, {false, std::nullopt});
    AlertRulesDialog dialog(QStringLiteral("queues"), rules);
    dialog.show();
    auto *add = gui::child<QPushButton>(&dialog, "addOverride");
    auto *hint = gui::child<QLabel>(&dialog, "overrideHint");
    auto *table = gui::child<QTableWidget>(&dialog, "overrides");
    QCOMPARE(table->rowCount(), 1);
    QVERIFY(!add->isEnabled());
    QVERIFY2(hint->text().contains(QStringLiteral("name the stream")), qPrintable(hint->text()));

    // Selecting the row brings it back into the form; a group makes no sense for it.
    QTest::mouseClick(table->viewport(), Qt::LeftButton, {},
                      table->visualItemRect(table->item(0, 0)).center());
    QCOMPARE(gui::child<QLineEdit>(&dialog, "overrideStream")->text(), QStringLiteral("orders"));
    QCOMPARE(gui::child<QComboBox>(&dialog, "overrideSwitch")->currentText(),
             QStringLiteral("off"));
    QVERIFY(add->isEnabled());
    QTest::keyClicks(gui::child<QLineEdit>(&dialog, "overrideGroup"), QStringLiteral("g"));
    QVERIFY(!add->isEnabled());
    QVERIFY2(hint->text().contains(QStringLiteral("not a group")), qPrintable(hint->text()));

    auto *remove = gui::child<QPushButton>(&dialog, "removeOverride");
    QVERIFY(remove->isEnabled());
    QTest::mouseClick(remove, Qt::LeftButton);
    QCOMPARE(table->rowCount(), 0);
    QVERIFY(dialog.rules().overriddenScopes().isEmpty());
}

void TestAlertsPane::notifiesOnlyWhenWindowIsNotActive()
{
    AlertNotifier *notifier = m_window->alertNotifier();
    notifier->setThrottleMs(300);
    QSignalSpy notified(notifier, &AlertNotifier::notified);
    const QString title = m_window->windowTitle();

    m_window->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
    QVERIFY(notifier->isWindowActive());
    engine()->evaluate(lagFigures(1, "orders", "billing", 5000));
    QCOMPARE(m_window->alertLog()->activeCount(), 1);
    QCOMPARE(notified.count(), 0); // the user is looking: the pane is enough

    // Another window in front.
    QWidget other;
    other.setWindowTitle(QStringLiteral("another application"));
    other.show();
    other.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&other));
    QVERIFY(!notifier->isWindowActive());
    engine()->evaluate(lagFigures(2, "orders", "audit", 5000));
    QCOMPARE(notified.count(), 1);
    QVERIFY2(notified.at(0).at(1).toString().contains(QStringLiteral("orders › audit")),
             qPrintable(notified.at(0).at(1).toString()));
    const auto channel = notified.at(0).at(2).value<AlertNotifier::Channel>();
    QCOMPARE(channel, notifier->channel());
    if (channel == AlertNotifier::Channel::Fallback) {
        QCOMPARE(m_window->windowTitle(), QStringLiteral("(1) ") + title);
        QCOMPARE(notifier->unseenCount(), 1);
    }

    // Three more within the throttle period: one message for the three, when it ends.
    engine()->evaluate(lagFigures(3, "a", "g", 5000));
    engine()->evaluate(lagFigures(4, "b", "g", 5000));
    engine()->evaluate(lagFigures(5, "c", "g", 5000));
    QCOMPARE(notified.count(), 1);
    QTRY_COMPARE(notified.count(), 2);
    QCOMPARE(notified.at(1).at(0).toString(), QStringLiteral("Weir: 3 alerts"));
    const QString summary = notified.at(1).at(1).toString();
    for (const char *stream : {"a › g", "b › g", "c › g"})
        QVERIFY2(summary.contains(QString::fromUtf8(stream)), qPrintable(summary));
    if (channel == AlertNotifier::Channel::Fallback)
        QCOMPARE(m_window->windowTitle(), QStringLiteral("(4) ") + title);
    QVERIFY(!notified.wait(2 * notifier->throttleMs())); // nothing more was pending

    // Back to Weir: the count goes, and new alerts are not notified.
    m_window->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
    QCOMPARE(m_window->windowTitle(), title);
    QCOMPARE(notifier->unseenCount(), 0);
    engine()->evaluate(lagFigures(6, "d", "g", 5000));
    QVERIFY(!notified.wait(2 * notifier->throttleMs()));
    QCOMPARE(m_window->alertLog()->activeCount(), 6);
}

void TestAlertsPane::monitorTicksFireAlerts()
{
    // A group 12 entries behind, with a backlog threshold of 10 for its stream.
    gui::SetupClient client(m_server->options());
    QVERIFY2(client.isConnected(), qPrintable(client.stateMessage()));
    QList<RedisCommand> commands{
        RedisCommand{"DEL", "alerted"},
        RedisCommand{"XGROUP", "CREATE", "alerted", "workers", "0", "MKSTREAM"}};
    for (int i = 0; i < 12; ++i)
        commands.append(RedisCommand{"XADD", "alerted", "*", "n", QByteArray::number(i)});
    QVERIFY(client.run(commands));
    AlertRules rules;
    rules.setOverride({"alerted", {}, AlertRule::Backlog}, {std::nullopt, 10.0});
    m_window->profiles()->setAlertRules(kId, rules);
    // Made after the monitor's first scan: watched by name rather than waiting for a rescan.
    QVERIFY(m_window->sessions()->session(kId));
    m_window->sessions()->session(kId)->monitor()->setWatched({"alerted"});

    QTRY_COMPARE_WITH_TIMEOUT(m_window->alertLog()->activeAlerts(kId, "alerted", "workers").size(),
                              1, 15000);
    const AlertEvent fired = m_window->alertLog()->activeAlerts(kId, "alerted").at(0);
    QCOMPARE(fired.rule, AlertRule::Backlog);
    QCOMPARE(fired.value, 12.0);
    QCOMPARE(fired.threshold, 10.0);
    QCOMPARE(
        m_window->alertsPane()->view()->model()->index(0, AlertLogModel::Stream).data().toString(),
        QStringLiteral("alerted"));

    // The group reads them all: the next ticks clear the alert.
    QVERIFY(client.run({RedisCommand{"XREADGROUP", "GROUP", "workers", "c1", "COUNT", "100",
                                     "STREAMS", "alerted", ">"}}));
    QTRY_COMPARE_WITH_TIMEOUT(m_window->alertLog()->activeCount(), 0, 15000);
    QVERIFY(client.run({RedisCommand{"DEL", "alerted"}}));
}

QTEST_MAIN(TestAlertsPane)
#include "tst_alertspane.moc"
