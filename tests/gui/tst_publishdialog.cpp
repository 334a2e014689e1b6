// Publishing from the stream inspector as an operator does it: the dialog refuses bad
// input with the reason shown (the button disabled), publishes one entry at once and
// stays open, copies an entry byte for byte, takes raw JSON, and sends copies or
// anything that trims only after the confirmation of the exact commands.
#include "guitestsupport.h"
#include "serverversion.h"

#include "bulkactiondialog.h"
#include "publishdialog.h"
#include "streaminspector.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QSpinBox>
#include <QTabBar>
#include <QTabWidget>
#include <QTableView>
#include <QTableWidget>
#include <QtTest>

class TestPublishDialog : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();
    void refusesBadInputWithTheReason();
    void publishesOneEntryAndStaysOpen();
    void publishesACopyOfTheSelectedEntry();
    void publishesRawJson();
    void rawJsonIsPublishedExactlyAsTyped();
    void copiesAreConfirmedThenPublished();
    void redisErrorIsShownVerbatim();
    void readOnlyConnectionOffersNoPublish();

private:
    PublishDialog *openDialog(bool copy = false);
    void typeField(PublishDialog *d, int row, const QString &field, const QString &value);
    qint64 length(const QByteArray &key);

    gui::LiveSession m_redis;
    std::unique_ptr<StreamInspector> m_inspector;
};

void TestPublishDialog::init()
{
    GUI_START_SESSION(m_redis);
    QVERIFY(m_redis.run(
        {RedisCommand{{"XADD", "q", "1000-0", "type", "a", "blob", QByteArray("\x00\xff\x01", 3)}},
         RedisCommand{{"XADD", "q", "2000-0", "type", "b"}}}));
    m_inspector = std::make_unique<StreamInspector>(m_redis.session(), "q");
    m_inspector->resize(1100, 650);
    m_inspector->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_inspector.get()));
    QTRY_COMPARE(m_inspector->entriesView()->model()->rowCount(), 2);
    // The summary (with the last id the dialog checks explicit ids against) is in.
    QTRY_VERIFY(gui::child<QLabel>(m_inspector.get(), "streamSummary")
                    ->text()
                    .contains(QLatin1String("2000-0")));
}

void TestPublishDialog::cleanup()
{
    m_inspector.reset();
    m_redis.stop();
}

qint64 TestPublishDialog::length(const QByteArray &key)
{
    const auto replies = m_redis.run({RedisCommand{{"XLEN", key}}});
    return replies ? replies->first().toInteger() : -1;
}

PublishDialog *TestPublishDialog::openDialog(bool copy)
{
    QTest::mouseClick(gui::child<QPushButton>(m_inspector.get(), copy ? "publishCopy" : "publish"),
                      Qt::LeftButton);
    auto *d = m_inspector->findChild<PublishDialog *>(QStringLiteral("publishDialog"));
    if (d)
        [d] { QVERIFY(QTest::qWaitForWindowExposed(d)); }();
    return d;
}

void TestPublishDialog::typeField(PublishDialog *d, int row, const QString &field,
                                  const QString &value)
{
    auto *table = gui::child<QTableWidget>(d, "publishFields");
    if (!field.isEmpty())
        gui::typeInCell(table, row, 0, field);
    gui::typeInCell(table, row, 1, value);
}

void TestPublishDialog::refusesBadInputWithTheReason()
{
    PublishDialog *d = openDialog();
    QVERIFY(d);
    auto *ok = gui::child<QPushButton>(d, "publishOk");
    auto *hint = gui::child<QLabel>(d, "publishHint");
    const auto refused = [&](const char *why) {
        QVERIFY2(!ok->isEnabled(), why);
        QVERIFY2(hint->isVisible() && hint->text().contains(QLatin1String(why)),
                 qPrintable(hint->text()));
    };
    QCOMPARE(gui::child<QComboBox>(d, "publishStream")->currentText(), QStringLiteral("q"));
    // Before any input: what to do, not an error.
    QVERIFY(!ok->isEnabled());
    QCOMPARE(hint->text(), QStringLiteral("Give the entry its fields: a name and a value each."));
    QVERIFY(!hint->isEnabled()); // drawn as secondary text
    QVERIFY(!hint->styleSheet().contains(QLatin1String("color")));
    typeField(d, 0, QString(), QStringLiteral("orphan value"));
    refused("Field 1 has a value but no name");
    QVERIFY(hint->isEnabled() && hint->styleSheet().contains(QLatin1String("color")));
    QTest::mouseClick(gui::child<QPushButton>(d, "publishRemoveField"), Qt::LeftButton);
    refused("An entry needs at least one field."); // once the user has typed, it is an error
    QVERIFY(hint->isEnabled() && hint->styleSheet().contains(QLatin1String("color")));
    QTest::mouseClick(gui::child<QPushButton>(d, "publishAddField"), Qt::LeftButton);
    typeField(d, 0, QString(), QStringLiteral("orphan value"));
    refused("Field 1 has a value but no name");
    auto *table = gui::child<QTableWidget>(d, "publishFields");
    gui::typeInCell(table, 0, 0, QStringLiteral("note"));
    QTRY_VERIFY(ok->isEnabled());
    QVERIFY(hint->text().isEmpty());

    gui::retype(gui::child<QComboBox>(d, "publishStream")->lineEdit(), QString());
    refused("Name the stream");
    gui::retype(gui::child<QComboBox>(d, "publishStream")->lineEdit(), QStringLiteral("q"));

    gui::clickIndicator(gui::child<QRadioButton>(d, "publishExplicitId"));
    refused("two whole numbers"); // empty
    QTest::keyClicks(gui::child<QLineEdit>(d, "publishId"), QStringLiteral("1500-0"));
    refused("greater than the stream's last id, 2000-0");
    gui::retype(gui::child<QLineEdit>(d, "publishId"), QStringLiteral("3000-x"));
    refused("two whole numbers");
    gui::retype(gui::child<QLineEdit>(d, "publishId"), QStringLiteral("3000-0"));
    QVERIFY(ok->isEnabled());
    gui::retype(gui::child<QSpinBox>(d, "publishCopies"), QStringLiteral("5"));
    refused("explicit id names one entry");

    auto *msId = gui::child<QRadioButton>(d, "publishMsId");
    if (!testserver::isAtLeast(7, 0)) {
        // The server has no <ms>-* ids: the choice is disabled, and says why.
        QVERIFY(!msId->isEnabled());
        QVERIFY2(msId->toolTip().contains(QLatin1String("need Redis 7.0")),
                 qPrintable(msId->toolTip()));
        gui::clickIndicator(gui::child<QRadioButton>(d, "publishAutoId"));
        QVERIFY(ok->isEnabled());
        QCOMPARE(ok->text(), QStringLiteral("&Review…")); // copies are confirmed first
    } else {
        QVERIFY(msId->isEnabled());
        gui::clickIndicator(msId);
        QTest::keyClicks(gui::child<QLineEdit>(d, "publishMs"), QStringLiteral("1999"));
        refused("must not be less than those of the stream's last id");
        gui::retype(gui::child<QLineEdit>(d, "publishMs"), QStringLiteral("2000"));
        QVERIFY(ok->isEnabled());
        QCOMPARE(ok->text(), QStringLiteral("&Review…")); // copies are confirmed first
    }

    auto *trim = gui::child<QComboBox>(d, "publishTrim");
    trim->setFocus();
    QTest::keyClick(trim, Qt::Key_Down); // MAXLEN
    refused("number of entries to keep");
    QTest::keyClicks(gui::child<QLineEdit>(d, "publishThreshold"), QStringLiteral("-3"));
    refused("0 or more");
    gui::retype(gui::child<QLineEdit>(d, "publishThreshold"), QStringLiteral("100"));
    QVERIFY(ok->isEnabled());
    QTest::keyClick(trim, Qt::Key_Down); // MINID: 100 is an id too (100-0)
    QVERIFY(ok->isEnabled());
    gui::retype(gui::child<QLineEdit>(d, "publishThreshold"), QStringLiteral("1500-"));
    refused("oldest id to keep");
    QCOMPARE(length("q"), 2); // nothing was sent all along
}

void TestPublishDialog::publishesOneEntryAndStaysOpen()
{
    PublishDialog *d = openDialog();
    QVERIFY(d);
    typeField(d, 0, QStringLiteral("type"), QStringLiteral("order.created"));
    QTest::mouseClick(gui::child<QPushButton>(d, "publishAddField"), Qt::LeftButton);
    typeField(d, 1, QStringLiteral("id"), QStringLiteral("42"));
    auto *ok = gui::child<QPushButton>(d, "publishOk");
    QCOMPARE(ok->text(), QStringLiteral("&Publish"));
    QTest::mouseClick(ok, Qt::LeftButton);
    auto *result = gui::child<QLabel>(d, "publishResult");
    QTRY_VERIFY2(gui::shownText(result).startsWith(QLatin1String("Published ")),
                 qPrintable(result->text()));
    QVERIFY(d->isVisible());
    const auto last = m_redis.run({RedisCommand{{"XREVRANGE", "q", "+", "-", "COUNT", "1"}}});
    QVERIFY(last);
    const RedisValue e = last->first().at(0);
    QVERIFY(gui::shownText(result).contains(QString::fromLatin1(e.at(0).bytes())));
    QCOMPARE(e.at(1).size(), 4);
    QCOMPARE(e.at(1).at(1).bytes(), QByteArray("order.created"));
    QCOMPARE(e.at(1).at(3).bytes(), QByteArray("42"));
    QTRY_COMPARE(m_inspector->entriesView()->model()->rowCount(), 3); // the view refreshed

    // The same again, to a new stream this time.
    gui::retype(gui::child<QComboBox>(d, "publishStream")->lineEdit(), QStringLiteral("fresh"));
    QTest::mouseClick(ok, Qt::LeftButton);
    QTRY_VERIFY(gui::shownText(result).contains(QLatin1String("to fresh")));
    QCOMPARE(length("fresh"), 1);
}

void TestPublishDialog::publishesACopyOfTheSelectedEntry()
{
    QTableView *entries = m_inspector->entriesView();
    auto *copy = gui::child<QPushButton>(m_inspector.get(), "publishCopy");
    QVERIFY(copy->isEnabled()); // the newest entry is selected on opening
    QTest::mouseClick(entries->viewport(), Qt::LeftButton, Qt::ControlModifier,
                      entries->visualRect(entries->model()->index(0, 0)).center());
    QVERIFY(!copy->isEnabled()); // nothing selected
    // Newest first: 1000-0, with its binary field, is on row 1.
    QTest::mouseClick(entries->viewport(), Qt::LeftButton, {},
                      entries->visualRect(entries->model()->index(1, 0)).center());
    PublishDialog *d = openDialog(true);
    QVERIFY(d);
    QCOMPARE(gui::child<QTableWidget>(d, "publishFields")->rowCount(), 2);
    QTest::mouseClick(gui::child<QPushButton>(d, "publishOk"), Qt::LeftButton);
    QTRY_VERIFY(gui::shownText(gui::child<QLabel>(d, "publishResult"))
                    .startsWith(QLatin1String("Published")));
    const auto last = m_redis.run({RedisCommand{{"XREVRANGE", "q", "+", "-", "COUNT", "1"}}});
    QVERIFY(last);
    const RedisValue fields = last->first().at(0).at(1);
    QCOMPARE(fields.size(), 4);
    QCOMPARE(fields.at(0).bytes(), QByteArray("type"));
    QCOMPARE(fields.at(1).bytes(), QByteArray("a"));
    QCOMPARE(fields.at(3).bytes(), QByteArray("\x00\xff\x01", 3)); // byte for byte
}

void TestPublishDialog::publishesRawJson()
{
    PublishDialog *d = openDialog();
    QVERIFY(d);
    typeField(d, 0, QStringLiteral("type"), QStringLiteral("a"));
    auto *pages = gui::child<QTabWidget>(d, "publishFieldPages");
    QTest::mouseClick(pages->tabBar(), Qt::LeftButton, {}, pages->tabBar()->tabRect(1).center());
    auto *json = gui::child<QPlainTextEdit>(d, "publishJson");
    QVERIFY(json->toPlainText().contains(QLatin1String("\"type\": \"a\""))); // the table, as JSON
    json->setFocus();
    QTest::keyClick(json, Qt::Key_A, Qt::ControlModifier);
    QTest::keyClicks(json, QStringLiteral("{\"type\": \"b\", \"n\": 7,}"));
    auto *hint = gui::child<QLabel>(d, "publishHint");
    QVERIFY2(hint->text().startsWith(QLatin1String("The JSON is not valid")),
             qPrintable(hint->text()));
    QVERIFY(!gui::child<QPushButton>(d, "publishOk")->isEnabled());
    QTest::keyClick(json, Qt::Key_End, Qt::ControlModifier);
    QTest::keyClick(json, Qt::Key_Backspace);
    QTest::keyClick(json, Qt::Key_Backspace);
    QTest::keyClicks(json, QStringLiteral("}"));
    QVERIFY2(gui::child<QPushButton>(d, "publishOk")->isEnabled(), qPrintable(hint->text()));
    QTest::mouseClick(gui::child<QPushButton>(d, "publishOk"), Qt::LeftButton);
    QTRY_VERIFY(gui::shownText(gui::child<QLabel>(d, "publishResult"))
                    .startsWith(QLatin1String("Published")));
    const auto last = m_redis.run({RedisCommand{{"XREVRANGE", "q", "+", "-", "COUNT", "1"}}});
    QVERIFY(last);
    const RedisValue fields = last->first().at(0).at(1);
    QCOMPARE(fields.size(), 4);
    QCOMPARE(fields.at(0).bytes(), QByteArray("type")); // in the order typed
    QCOMPARE(fields.at(1).bytes(), QByteArray("b"));
    QCOMPARE(fields.at(2).bytes(), QByteArray("n"));
    QCOMPARE(fields.at(3).bytes(), QByteArray("7"));
    // Back to the table: the JSON's fields.
    QTest::mouseClick(pages->tabBar(), Qt::LeftButton, {}, pages->tabBar()->tabRect(0).center());
    QCOMPARE(gui::child<QTableWidget>(d, "publishFields")->rowCount(), 2);
}

// The JSON page opened before typing says what to type, neutrally; what is typed is
// published byte for byte: fields in the order typed, a 19-digit id not rounded, 1.0 not
// made 1, a nested object as its text, escapes undone.
void TestPublishDialog::rawJsonIsPublishedExactlyAsTyped()
{
    PublishDialog *d = openDialog();
    QVERIFY(d);
    auto *pages = gui::child<QTabWidget>(d, "publishFieldPages");
    QTest::mouseClick(pages->tabBar(), Qt::LeftButton, {}, pages->tabBar()->tabRect(1).center());
    auto *json = gui::child<QPlainTextEdit>(d, "publishJson");
    auto *hint = gui::child<QLabel>(d, "publishHint");
    auto *ok = gui::child<QPushButton>(d, "publishOk");
    QVERIFY(json->toPlainText().isEmpty());
    QVERIFY(!ok->isEnabled());
    QVERIFY2(hint->text().startsWith(QLatin1String("Type the entry as a JSON object")),
             qPrintable(hint->text()));
    QVERIFY(!hint->isEnabled());
    QVERIFY(!hint->styleSheet().contains(QLatin1String("color")));

    json->setFocus();
    const QString typed =
        QStringLiteral("{\"zid\": 1234567890123456789, \"price\": 1.0, \"qty\": 1, "
                       "\"order\": {\"b\": 2, \"a\": [1.0, \"x\"]}, "
                       "\"name\": \"caf\\u00e9\\n\\\"q\\\"\"}");
    QTest::keyClicks(json, typed);
    QVERIFY2(ok->isEnabled(), qPrintable(hint->text()));
    QVERIFY(hint->text().isEmpty());
    QTest::mouseClick(ok, Qt::LeftButton);
    QTRY_VERIFY(gui::shownText(gui::child<QLabel>(d, "publishResult"))
                    .startsWith(QLatin1String("Published")));
    const auto last = m_redis.run({RedisCommand{{"XREVRANGE", "q", "+", "-", "COUNT", "1"}}});
    QVERIFY(last);
    const RedisValue fields = last->first().at(0).at(1);
    QList<QByteArray> got;
    for (int i = 0; i < fields.size(); ++i)
        got << fields.at(i).bytes();
    QCOMPARE(got,
             (QList<QByteArray>{"zid", "1234567890123456789", "price", "1.0", "qty", "1", "order",
                                R"({"b": 2, "a": [1.0, "x"]})", "name", "café\n\"q\""}));
}

void TestPublishDialog::copiesAreConfirmedThenPublished()
{
    PublishDialog *d = openDialog();
    QVERIFY(d);
    typeField(d, 0, QStringLiteral("type"), QStringLiteral("load"));
    gui::retype(gui::child<QSpinBox>(d, "publishCopies"), QStringLiteral("2500"));
    auto *trim = gui::child<QComboBox>(d, "publishTrim");
    trim->setFocus();
    QTest::keyClick(trim, Qt::Key_Down); // MAXLEN
    QTest::keyClicks(gui::child<QLineEdit>(d, "publishThreshold"), QStringLiteral("1000"));
    QTest::mouseClick(gui::child<QPushButton>(d, "publishOk"), Qt::LeftButton);
    auto *run = d->findChild<BulkActionDialog *>(QStringLiteral("publishBulk"));
    QVERIFY(run);
    QTRY_VERIFY(run->isVisible());
    const QStringList commands =
        gui::child<QPlainTextEdit>(run, "commands")->toPlainText().split(QLatin1Char('\n'));
    QCOMPARE(commands.size(), BulkActionDialog::ShownCommands);
    QCOMPARE(commands.first(), QStringLiteral("XADD q MAXLEN = 1000 * type load"));
    const QString what = gui::shownText(gui::child<QLabel>(run, "what"));
    QVERIFY2(what.contains(QLatin1String("2,500 copies"))
                 && what.contains(QLatin1String("exactly its newest 1000")),
             qPrintable(what));
    auto *go = gui::child<QPushButton>(run, "go");
    QCOMPARE(go->text(), QStringLiteral("Publish 2,500 entries"));
    QCOMPARE(length("q"), 2); // nothing before the click
    QTest::mouseClick(go, Qt::LeftButton);
    auto *report = gui::child<QLabel>(run, "report");
    QTRY_VERIFY(gui::shownText(report).contains(QLatin1String("Done: 2,500 entries")));
    QCOMPARE(length("q"), 1000);
}

void TestPublishDialog::redisErrorIsShownVerbatim()
{
    QVERIFY(m_redis.run({RedisCommand{{"SET", "plain", "x"}}}));
    PublishDialog *d = openDialog();
    QVERIFY(d);
    typeField(d, 0, QStringLiteral("type"), QStringLiteral("a"));
    gui::retype(gui::child<QComboBox>(d, "publishStream")->lineEdit(), QStringLiteral("plain"));
    QTest::mouseClick(gui::child<QPushButton>(d, "publishOk"), Qt::LeftButton);
    auto *result = gui::child<QLabel>(d, "publishResult");
    QTRY_VERIFY2(gui::shownText(result).startsWith(QLatin1String(
                     "WRONGTYPE Operation against a key holding the wrong kind of value")),
                 qPrintable(result->text()));
    QVERIFY(gui::shownText(result).count(QLatin1Char('\n')) >= 1); // and a hint under it
}

void TestPublishDialog::readOnlyConnectionOffersNoPublish()
{
    ConnectionOptions options = m_redis.server()->options();
    options.readOnly = true;
    m_inspector.reset();
    QVERIFY2(m_redis.reopen(options), qPrintable(m_redis.errorString()));
    m_inspector = std::make_unique<StreamInspector>(m_redis.session(), "q");
    m_inspector->show();
    QTableView *entries = m_inspector->entriesView();
    QTRY_COMPARE(entries->model()->rowCount(), 2);
    QTest::mouseClick(entries->viewport(), Qt::LeftButton, {},
                      entries->visualRect(entries->model()->index(0, 0)).center());
    QVERIFY(!gui::child<QPushButton>(m_inspector.get(), "publish")->isEnabled());
    QVERIFY(!gui::child<QPushButton>(m_inspector.get(), "publishCopy")->isEnabled());
    QCOMPARE(gui::child<QPushButton>(m_inspector.get(), "publish")->toolTip(),
             QStringLiteral("This connection is read-only"));
}

QTEST_MAIN(TestPublishDialog)
#include "tst_publishdialog.moc"
