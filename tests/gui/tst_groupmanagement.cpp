// Managing consumer groups from the inspector's Groups tab, as an operator does it: each
// dialog is filled with bad input first (OK stays disabled and the hint says why), then
// with good input; the confirmation shows the exact command; and Redis is found changed
// accordingly (or unchanged after a cancel, or on a read-only connection).
#include "guitestsupport.h"
#include "serverversion.h"

#include "bulkactiondialog.h"
#include "groupdialogs.h"
#include "groupsmodel.h"
#include "groupspane.h"
#include "streaminspector.h"

#include <QClipboard>
#include <QDateTimeEdit>
#include <QGuiApplication>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QSpinBox>
#include <QTabBar>
#include <QTabWidget>
#include <QTableView>
#include <QtTest>

// The stream "q": one entry a second from Base + 1 s to Base + 20 s; group "workers",
// whose consumer w1 has read (and holds pending) the first ten.
static constexpr qint64 Base = 1700000000000;

static QByteArray at(int second)
{
    return QByteArray::number(Base + second * 1000) + "-0";
}

// Types the local date-time of `ms` into `edit` as a user who tabs into it: the first
// section is selected on the way in, and each section, once typed in full, hands on to
// the next.
static void typeDateTime(QWidget *window, QDateTimeEdit *edit, qint64 ms)
{
    QVERIFY(QTest::qWaitForWindowExposed(window));
    QApplication::setActiveWindow(window);
    QVERIFY(QTest::qWaitForWindowActive(window));
    edit->setFocus(Qt::TabFocusReason);
    QTest::keyClicks(edit, QDateTime::fromMSecsSinceEpoch(ms).toLocalTime().toString(
                               QStringLiteral("yyyyMMddHHmmss")));
}

class TestGroupManagement : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();
    void newGroupWaitsForValidInputThenCreatesIt();
    void newGroupFromADateTimeKnowsItsLag();
    void newGroupThatAppearedMeanwhileGetsBusyGroup();
    void setPositionBackByEntries();
    void setPositionToADateTimeKeepsLagKnown();
    void destroyGroupAfterConfirmation();
    void newConsumerWaitsForAFreeName();
    void deleteConsumerSaysWhatItOrphans();
    void readOnlyConnectionOffersNoGroupAction();

private:
    template<typename T> T *child(const char *name) const
    {
        return gui::child<T>(m_inspector.get(), name);
    }
    template<typename T> T *dialog(const char *name) const
    {
        return m_inspector->findChild<T *>(QLatin1String(name));
    }
    // Opens the inspector on the session, first replaced by one to `options` when given.
    void openInspector(const std::optional<ConnectionOptions> &options = std::nullopt);
    void selectGroup(const QByteArray &name);
    std::optional<GroupInfo> group(const QByteArray &name);
    qint64 countAfter(const QByteArray &id);
    // Redis' lag for the group from 7.0 on (-1 for nil); before, when Redis has none, the
    // entries after its last-delivered id.
    qint64 lagOf(const GroupInfo &g);
    // The command that places a group at `id`: with the ENTRIESREAD that keeps its lag
    // known on a server that has it.
    static QString placed(const char *command, const QByteArray &id, qint64 entriesRead);
    // Waits for the confirmation of `run` and returns its command lines.
    QString confirmedCommands(BulkActionDialog *run);
    QString report(BulkActionDialog *run);

    gui::LiveSession m_redis;
    std::unique_ptr<StreamInspector> m_inspector;
};

void TestGroupManagement::init()
{
    GUI_START_SESSION(m_redis);
    QList<RedisCommand> setup;
    for (int i = 1; i <= 20; ++i)
        setup.append(RedisCommand{{"XADD", "q", at(i), "n", QByteArray::number(i)}});
    setup.append(RedisCommand{{"XGROUP", "CREATE", "q", "workers", "0"}});
    setup.append(
        RedisCommand{{"XREADGROUP", "GROUP", "workers", "w1", "COUNT", "10", "STREAMS", "q", ">"}});
    QVERIFY(m_redis.run(setup));
    openInspector();
}

void TestGroupManagement::openInspector(const std::optional<ConnectionOptions> &options)
{
    m_inspector.reset();
    if (options)
        QVERIFY2(m_redis.reopen(*options), qPrintable(m_redis.errorString()));
    gui::showGroupsPage(m_inspector, m_redis.session(), "q", {1100, 650});
    QTRY_COMPARE(child<QTableView>("groupsView")->model()->rowCount(), 1);
    QTRY_COMPARE(child<QTableView>("consumersView")->model()->rowCount(), 1);
}

void TestGroupManagement::cleanup()
{
    m_inspector.reset();
    m_redis.stop();
}

void TestGroupManagement::selectGroup(const QByteArray &name)
{
    auto *view = child<QTableView>("groupsView");
    auto *model = qobject_cast<GroupsModel *>(view->model());
    QTRY_VERIFY(model->rowOf(name) >= 0);
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {},
                      view->visualRect(model->index(model->rowOf(name), 0)).center());
    QCOMPARE(view->currentIndex().data(GroupsModel::GroupNameRole).toByteArray(), name);
}

std::optional<GroupInfo> TestGroupManagement::group(const QByteArray &name)
{
    const auto replies = m_redis.run({RedisCommand{{"XINFO", "GROUPS", "q"}}});
    if (!replies)
        return std::nullopt;
    for (const GroupInfo &g :
         parseGroupsInfo(replies->first(), nullptr).value_or(QList<GroupInfo>{})) {
        if (g.name == name)
            return g;
    }
    return std::nullopt;
}

qint64 TestGroupManagement::lagOf(const GroupInfo &g)
{
    if (testserver::isAtLeast(7, 0))
        return g.lag.value_or(-1);
    return g.lag ? -3 : countAfter(g.lastDeliveredId.toByteArray());
}

QString TestGroupManagement::placed(const char *command, const QByteArray &id, qint64 entriesRead)
{
    QString text = QString::fromLatin1(command) + QLatin1Char(' ') + QString::fromLatin1(id);
    if (testserver::isAtLeast(7, 0))
        text += QStringLiteral(" ENTRIESREAD %1").arg(entriesRead);
    return text;
}

qint64 TestGroupManagement::countAfter(const QByteArray &id)
{
    const auto replies = m_redis.run({RedisCommand{{"XRANGE", "q", "(" + id, "+"}}});
    return replies ? replies->first().size() : -1;
}

QString TestGroupManagement::confirmedCommands(BulkActionDialog *run)
{
    if (!run)
        return {};
    auto *go = gui::child<QPushButton>(run, "go");
    if (!QTest::qWaitFor([go] { return go->isVisible(); }, 10000))
        return QStringLiteral("(no confirmation: %1)")
            .arg(gui::shownText(gui::child<QLabel>(run, "report")));
    return gui::child<QPlainTextEdit>(run, "commands")->toPlainText();
}

QString TestGroupManagement::report(BulkActionDialog *run)
{
    auto *label = gui::child<QLabel>(run, "report");
    (void)QTest::qWaitFor([label] { return label->isVisible(); }, 10000);
    return gui::shownText(label) + QLatin1Char('\n')
           + gui::shownText(gui::child<QLabel>(run, "error"));
}

void TestGroupManagement::newGroupWaitsForValidInputThenCreatesIt()
{
    QTest::mouseClick(child<QPushButton>("newGroup"), Qt::LeftButton);
    auto *options = dialog<NewGroupDialog>("newGroupDialog");
    QVERIFY(options && options->isVisible());
    auto *ok = gui::child<QPushButton>(options, "ok");
    auto *hint = gui::child<QLabel>(options, "hint");
    auto *name = gui::child<QLineEdit>(options, "groupName");
    QVERIFY(!ok->isEnabled());
    QCOMPARE(hint->text(), QStringLiteral("Name the group."));
    QCOMPARE(gui::errorStyledText(options), QString()); // a hint until the user types
    QTest::keyClicks(name, QStringLiteral("workers"));
    QVERIFY(!ok->isEnabled());
    QVERIFY2(hint->text().contains(QStringLiteral("already has a group named “workers”")),
             qPrintable(hint->text()));
    QVERIFY(gui::errorStyledText(options).contains(QLatin1String("workers"))); // typed: an error
    gui::retype(name, QString());
    QCOMPARE(gui::errorStyledText(options), QStringLiteral("Name the group."));
    gui::retype(name, QStringLiteral(" billing"));
    QVERIFY(ok->isEnabled()); // legal, but worth a word
    QVERIFY2(hint->isVisible() && hint->text().contains(QLatin1String("space")),
             qPrintable(hint->text()));
    gui::retype(name, QStringLiteral("billing"));
    QVERIFY(ok->isEnabled());
    QVERIFY(!hint->isVisible());

    // After an id: typing picks the option, and the id must be one.
    auto *id = gui::child<QLineEdit>(options, "positionIdEdit");
    QTest::keyClicks(id, QStringLiteral("1700000005000-x"));
    QVERIFY(gui::child<QRadioButton>(options, "positionId")->isChecked());
    QVERIFY(!ok->isEnabled());
    QVERIFY2(hint->text().contains(QLatin1String("is not a stream id")), qPrintable(hint->text()));
    gui::retype(id, QString());
    QVERIFY(!ok->isEnabled());
    QVERIFY2(hint->text().contains(QLatin1String("Type the id")), qPrintable(hint->text()));
    gui::retype(id, QString::fromLatin1(at(5)));
    QVERIFY(ok->isEnabled());
    QTest::mouseClick(ok, Qt::LeftButton);

    auto *run = dialog<BulkActionDialog>("newGroupRun");
    QVERIFY(run);
    // 15 entries after 5 s, of the 20 ever added.
    QCOMPARE(confirmedCommands(run), placed("XGROUP CREATE q billing", at(5), 5));
    QVERIFY(!group("billing")); // nothing sent before the click
    QTest::mouseClick(gui::child<QPushButton>(run, "go"), Qt::LeftButton);
    QTRY_VERIFY(report(run).contains(QLatin1String("Created group billing")));
    const std::optional<GroupInfo> billing = group("billing");
    QVERIFY(billing);
    QCOMPARE(billing->lastDeliveredId.toByteArray(), at(5));
    QCOMPARE(lagOf(*billing), 15);
    // The pane lists the new group and selects it.
    auto *view = child<QTableView>("groupsView");
    QTRY_COMPARE(view->model()->rowCount(), 2);
    QTRY_COMPARE(view->currentIndex().data(GroupsModel::GroupNameRole).toByteArray(),
                 QByteArray("billing"));
}

void TestGroupManagement::newGroupFromADateTimeKnowsItsLag()
{
    QTest::mouseClick(child<QPushButton>("newGroup"), Qt::LeftButton);
    auto *options = dialog<NewGroupDialog>("newGroupDialog");
    QVERIFY(options);
    QTest::keyClicks(gui::child<QLineEdit>(options, "groupName"), QStringLiteral("audit"));
    auto *time = gui::child<QDateTimeEdit>(options, "positionTimeEdit");
    // 12 s after Base, as the operator's clock shows it: entries 12 to 20 are delivered.
    typeDateTime(options, time, Base + 12000);
    QVERIFY(gui::child<QRadioButton>(options, "positionTime")->isChecked());
    QCOMPARE(time->dateTime().toMSecsSinceEpoch(), Base + 12000);
    auto *ok = gui::child<QPushButton>(options, "ok");
    QVERIFY(ok->isEnabled());
    QTest::mouseClick(ok, Qt::LeftButton);
    auto *run = dialog<BulkActionDialog>("newGroupRun");
    QCOMPARE(confirmedCommands(run), placed("XGROUP CREATE q audit", at(11), 11));
    QVERIFY2(gui::shownText(gui::child<QLabel>(run, "what")).contains(QLatin1String("9 entries")),
             qPrintable(gui::shownText(gui::child<QLabel>(run, "what"))));
    QTest::mouseClick(gui::child<QPushButton>(run, "go"), Qt::LeftButton);
    QTRY_VERIFY(report(run).contains(QLatin1String("Created group audit")));
    QCOMPARE(group("audit")->lastDeliveredId.toByteArray(), at(11));
    QCOMPARE(lagOf(*group("audit")), 9);
}

// Between the confirmation and the click, someone else created the group: Redis's
// BUSYGROUP reaches the operator verbatim, with the hint.
void TestGroupManagement::newGroupThatAppearedMeanwhileGetsBusyGroup()
{
    QTest::mouseClick(child<QPushButton>("newGroup"), Qt::LeftButton);
    auto *options = dialog<NewGroupDialog>("newGroupDialog");
    QVERIFY(options);
    QTest::keyClicks(gui::child<QLineEdit>(options, "groupName"), QStringLiteral("late"));
    QTest::mouseClick(gui::child<QPushButton>(options, "ok"), Qt::LeftButton);
    auto *run = dialog<BulkActionDialog>("newGroupRun");
    QCOMPARE(confirmedCommands(run), QStringLiteral("XGROUP CREATE q late $"));
    QVERIFY(m_redis.run({RedisCommand{{"XGROUP", "CREATE", "q", "late", "0"}}}));
    QTest::mouseClick(gui::child<QPushButton>(run, "go"), Qt::LeftButton);
    const QString text = report(run);
    QVERIFY2(text.contains(QLatin1String("BUSYGROUP Consumer Group name already exists")),
             qPrintable(text));
    QVERIFY2(text.contains(QLatin1String("exists already")), qPrintable(text)); // the hint
    QVERIFY(text.contains(QLatin1String("was not created")));
    QCOMPARE(group("late")->lastDeliveredId.toByteArray(), QByteArray("0-0")); // theirs
}

void TestGroupManagement::setPositionBackByEntries()
{
    selectGroup("workers");
    QTest::mouseClick(child<QPushButton>("setGroupPosition"), Qt::LeftButton);
    auto *options = dialog<SetPositionDialog>("setPositionDialog");
    QVERIFY(options && options->isVisible());
    auto *ok = gui::child<QPushButton>(options, "ok");
    auto *hint = gui::child<QLabel>(options, "hint");
    QVERIFY(gui::shownText(gui::child<QLabel>(options, "currentPosition"))
                .contains(QString::fromLatin1(at(10))));
    QVERIFY(!ok->isEnabled());
    QCOMPARE(hint->text(), QStringLiteral("Choose where the group is to be."));
    auto *steps = gui::child<QSpinBox>(options, "backSteps");
    gui::retype(steps, QStringLiteral("0"));
    QVERIFY(gui::child<QRadioButton>(options, "positionBack")->isChecked());
    QVERIFY(!ok->isEnabled());
    QCOMPARE(hint->text(), QStringLiteral("Step over at least one entry."));
    gui::retype(steps, QStringLiteral("200000"));
    QVERIFY(!ok->isEnabled());
    QVERIFY2(hint->text().contains(QLatin1String("at most")), qPrintable(hint->text()));
    gui::retype(steps, QStringLiteral("3"));
    QVERIFY(ok->isEnabled());
    QTest::mouseClick(ok, Qt::LeftButton);

    auto *run = dialog<BulkActionDialog>("setPositionRun");
    // From 10 s back over 10, 9 and 8: the group is after 7 s, having read 7.
    const QString command = placed("XGROUP SETID q workers", at(7), 7);
    QCOMPARE(confirmedCommands(run), command);
    QTest::mouseClick(gui::child<QPushButton>(run, "copyCommands"), Qt::LeftButton);
    QCOMPARE(QGuiApplication::clipboard()->text(), command + QLatin1Char('\n'));
    QCOMPARE(group("workers")->lastDeliveredId.toByteArray(), at(10)); // not sent yet
    QTest::mouseClick(gui::child<QPushButton>(run, "go"), Qt::LeftButton);
    QTRY_VERIFY(report(run).contains(QLatin1String("Moved group workers")));
    const std::optional<GroupInfo> workers = group("workers");
    QCOMPARE(workers->lastDeliveredId.toByteArray(), at(7));
    QCOMPARE(lagOf(*workers), 13);
    QCOMPARE(workers->pending, 10); // SETID leaves the pending entries alone
    // The pane shows it.
    auto *view = child<QTableView>("groupsView");
    QTRY_COMPARE(view->model()->index(0, GroupsModel::LastDeliveredId).data().toString(),
                 QString::fromLatin1(at(7)));
}

void TestGroupManagement::setPositionToADateTimeKeepsLagKnown()
{
    selectGroup("workers");
    QTest::mouseClick(child<QPushButton>("setGroupPosition"), Qt::LeftButton);
    auto *options = dialog<SetPositionDialog>("setPositionDialog");
    QVERIFY(options);
    auto *time = gui::child<QDateTimeEdit>(options, "positionTimeEdit");
    typeDateTime(options, time, Base + 4000);
    auto *ok = gui::child<QPushButton>(options, "ok");
    QVERIFY(ok->isEnabled());
    QTest::mouseClick(ok, Qt::LeftButton);
    auto *run = dialog<BulkActionDialog>("setPositionRun");
    QCOMPARE(confirmedCommands(run), placed("XGROUP SETID q workers", at(3), 3));
    QTest::mouseClick(gui::child<QPushButton>(run, "go"), Qt::LeftButton);
    QTRY_VERIFY(report(run).contains(QLatin1String("Moved group workers")));
    const std::optional<GroupInfo> workers = group("workers");
    QCOMPARE(workers->lastDeliveredId.toByteArray(), at(3));
    QCOMPARE(lagOf(*workers), countAfter(at(3)));
    QCOMPARE(lagOf(*workers), 17);
}

void TestGroupManagement::destroyGroupAfterConfirmation()
{
    selectGroup("workers");
    QTest::mouseClick(child<QPushButton>("destroyGroup"), Qt::LeftButton);
    auto *run = dialog<BulkActionDialog>("destroyGroupRun");
    QCOMPARE(confirmedCommands(run), QStringLiteral("XGROUP DESTROY q workers"));
    const QString what = gui::shownText(gui::child<QLabel>(run, "what"));
    // Counts as tr()'s plural forms give them: "1 consumer" once the English translation
    // is loaded, the source text "1 consumers" before.
    const QString consumers =
        QCoreApplication::translate("GroupsPane", "%Ln consumers", nullptr, 1);
    QVERIFY2(what.contains(QStringLiteral("with its %1 and its 10 pending entries").arg(consumers)),
             qPrintable(what));
    QTest::keyClick(run, Qt::Key_Escape); // thought better of it
    QTRY_VERIFY(!dialog<BulkActionDialog>("destroyGroupRun"));
    QVERIFY(group("workers"));

    QTest::mouseClick(child<QPushButton>("destroyGroup"), Qt::LeftButton);
    run = dialog<BulkActionDialog>("destroyGroupRun");
    QCOMPARE(confirmedCommands(run), QStringLiteral("XGROUP DESTROY q workers"));
    QTest::mouseClick(gui::child<QPushButton>(run, "go"), Qt::LeftButton);
    QTRY_VERIFY(report(run).contains(QLatin1String("Destroyed group workers")));
    QVERIFY(!group("workers"));
    QTRY_COMPARE(child<QTableView>("groupsView")->model()->rowCount(), 0);
    QTRY_COMPARE(child<QTableView>("consumersView")->model()->rowCount(), 0);
    QVERIFY(!child<QLabel>("groupsError")->isVisible()); // no NOGROUP from a stale read
    QVERIFY(!child<QPushButton>("destroyGroup")->isEnabled());
    QVERIFY(!child<QPushButton>("setGroupPosition")->isEnabled());
}

void TestGroupManagement::newConsumerWaitsForAFreeName()
{
    selectGroup("workers");
    QTest::mouseClick(child<QPushButton>("newConsumer"), Qt::LeftButton);
    auto *options = dialog<NewConsumerDialog>("newConsumerDialog");
    QVERIFY(options && options->isVisible());
    auto *ok = gui::child<QPushButton>(options, "ok");
    auto *hint = gui::child<QLabel>(options, "hint");
    auto *name = gui::child<QLineEdit>(options, "consumerName");
    QVERIFY(!ok->isEnabled());
    QCOMPARE(hint->text(), QStringLiteral("Name the consumer."));
    QTest::keyClicks(name, QStringLiteral("w1"));
    QVERIFY(!ok->isEnabled());
    QCOMPARE(hint->text(), QStringLiteral("The group already has a consumer named “w1”."));
    gui::retype(name, QStringLiteral("w2 "));
    QVERIFY(ok->isEnabled());
    QVERIFY(hint->text().contains(QLatin1String("space")));
    gui::retype(name, QStringLiteral("w2"));
    QVERIFY(ok->isEnabled() && !hint->isVisible());
    QTest::mouseClick(ok, Qt::LeftButton);
    auto *run = dialog<BulkActionDialog>("newConsumerRun");
    QCOMPARE(confirmedCommands(run), QStringLiteral("XGROUP CREATECONSUMER q workers w2"));
    QTest::mouseClick(gui::child<QPushButton>(run, "go"), Qt::LeftButton);
    QTRY_VERIFY(report(run).contains(QLatin1String("Created consumer w2")));
    QCOMPARE(group("workers")->consumers, 2);
    QTRY_COMPARE(child<QTableView>("consumersView")->model()->rowCount(), 2);
}

void TestGroupManagement::deleteConsumerSaysWhatItOrphans()
{
    selectGroup("workers");
    auto *consumers = child<QTableView>("consumersView");
    auto *remove = child<QPushButton>("deleteConsumer");
    QVERIFY(!remove->isEnabled()); // no consumer selected
    QTest::mouseClick(consumers->viewport(), Qt::LeftButton, {},
                      consumers->visualRect(consumers->model()->index(0, 0)).center());
    QVERIFY(remove->isEnabled());
    // w1 gets two more pending entries after the pane read it: the confirmation reads again.
    QVERIFY(m_redis.run({RedisCommand{
        {"XREADGROUP", "GROUP", "workers", "w1", "COUNT", "2", "STREAMS", "q", ">"}}}));
    QTest::mouseClick(remove, Qt::LeftButton);
    auto *run = dialog<BulkActionDialog>("deleteConsumerRun");
    QCOMPARE(confirmedCommands(run), QStringLiteral("XGROUP DELCONSUMER q workers w1"));
    const QString what = gui::shownText(gui::child<QLabel>(run, "what"));
    QVERIFY2(what.contains(QLatin1String("It has 12 pending entries")), qPrintable(what));
    QVERIFY2(what.contains(QLatin1String("orphans")), qPrintable(what));
    QTest::mouseClick(gui::child<QPushButton>(run, "go"), Qt::LeftButton);
    QTRY_VERIFY(report(run).contains(QLatin1String("Deleted consumer w1: 12 pending entries")));
    const std::optional<GroupInfo> workers = group("workers");
    QCOMPARE(workers->consumers, 0);
    QCOMPARE(workers->pending, 0);
    QTRY_COMPARE(consumers->model()->rowCount(), 0);
    QVERIFY(!remove->isEnabled());
}

void TestGroupManagement::readOnlyConnectionOffersNoGroupAction()
{
    ConnectionOptions options = m_redis.server()->options();
    options.readOnly = true;
    openInspector(options);
    selectGroup("workers");
    auto *consumers = child<QTableView>("consumersView");
    QTest::mouseClick(consumers->viewport(), Qt::LeftButton, {},
                      consumers->visualRect(consumers->model()->index(0, 0)).center());
    QVERIFY(consumers->selectionModel()->hasSelection());
    for (const char *name :
         {"newGroup", "setGroupPosition", "destroyGroup", "newConsumer", "deleteConsumer"}) {
        auto *button = child<QPushButton>(name);
        QVERIFY2(!button->isEnabled(), name);
        QCOMPARE(button->toolTip(), QStringLiteral("This connection is read-only"));
    }
    // On a connection that may write, the same selection enables them all.
    openInspector(m_redis.server()->options());
    selectGroup("workers");
    consumers = child<QTableView>("consumersView");
    QTest::mouseClick(consumers->viewport(), Qt::LeftButton, {},
                      consumers->visualRect(consumers->model()->index(0, 0)).center());
    for (const char *name :
         {"newGroup", "setGroupPosition", "destroyGroup", "newConsumer", "deleteConsumer"})
        QVERIFY2(child<QPushButton>(name)->isEnabled(), name);
}

QTEST_MAIN(TestGroupManagement)
#include "tst_groupmanagement.moc"
