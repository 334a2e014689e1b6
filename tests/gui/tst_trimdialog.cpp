// Trimming from the stream inspector as an operator does it: bad input keeps Review
// disabled with the reason, the preview reads what would go (and what it does to each
// group) before anything is sent, the confirmation shows the exact command, and the run
// removes just that; a ~ trim loops and explains what whole nodes kept.
#include "guitestsupport.h"

#include "bulkactiondialog.h"
#include "streaminspector.h"
#include "trimdialog.h"

#include <QClipboard>
#include <QComboBox>
#include <QDateTimeEdit>
#include <QGuiApplication>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTableView>
#include <QtTest>

class TestTrimDialog : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();
    void refusesBadInputWithTheReason();
    void previewThenTrimExactly();
    void approximateTrimLoopsAndExplains();
    void keepsEntriesFromATime();
    void readOnlyConnectionOffersNoTrim();

private:
    TrimDialog *openDialog();
    void choose(QComboBox *combo, int index);
    qint64 length();
    QString shown(TrimDialog *d, const char *label)
    {
        return gui::shownText(gui::child<QLabel>(d, label));
    }

    gui::LiveSession m_redis;
    std::unique_ptr<StreamInspector> m_inspector;
};

// 1,000 entries 10-0 .. 10000-0; group early has read (and holds pending) the first 300.
void TestTrimDialog::init()
{
    GUI_START_SESSION(m_redis);
    QList<RedisCommand> setup;
    for (int i = 1; i <= 1000; ++i)
        setup.append(RedisCommand{{"XADD", "s", QByteArray::number(i * 10) + "-0", "n", "x"}});
    setup.append(RedisCommand{{"XGROUP", "CREATE", "s", "early", "0"}});
    setup.append(
        RedisCommand{{"XREADGROUP", "GROUP", "early", "c", "COUNT", "300", "STREAMS", "s", ">"}});
    QVERIFY(m_redis.run(setup));
    m_inspector = std::make_unique<StreamInspector>(m_redis.session(), "s");
    m_inspector->resize(1100, 650);
    m_inspector->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_inspector.get()));
}

void TestTrimDialog::cleanup()
{
    m_inspector.reset();
    m_redis.stop();
}

qint64 TestTrimDialog::length()
{
    const auto replies = m_redis.run({RedisCommand{{"XLEN", "s"}}});
    return replies ? replies->first().toInteger() : -1;
}

TrimDialog *TestTrimDialog::openDialog()
{
    QTest::mouseClick(gui::child<QPushButton>(m_inspector.get(), "trim"), Qt::LeftButton);
    auto *d = m_inspector->findChild<TrimDialog *>(QStringLiteral("trimDialog"));
    if (d)
        [d] { QVERIFY(QTest::qWaitForWindowExposed(d)); }();
    return d;
}

// Picks an item with the keyboard, as a user who tabs to the combo box and presses arrows.
void TestTrimDialog::choose(QComboBox *combo, int index)
{
    combo->setFocus();
    while (combo->currentIndex() < index)
        QTest::keyClick(combo, Qt::Key_Down);
    while (combo->currentIndex() > index)
        QTest::keyClick(combo, Qt::Key_Up);
}

void TestTrimDialog::refusesBadInputWithTheReason()
{
    TrimDialog *d = openDialog();
    QVERIFY(d);
    auto *ok = gui::child<QPushButton>(d, "trimOk");
    auto *hint = gui::child<QLabel>(d, "trimHint");
    auto *threshold = gui::child<QLineEdit>(d, "trimThreshold");
    const auto refused = [&](const char *why) {
        QVERIFY2(!ok->isEnabled(), why);
        QVERIFY2(hint->isVisible() && hint->text().contains(QLatin1String(why)),
                 qPrintable(hint->text()));
    };
    refused("number of entries to keep");
    // Said as a hint until the user types or presses Enter.
    QCOMPARE(gui::errorStyledText(d), QString());
    QTest::keyClick(threshold, Qt::Key_Return);
    QVERIFY(gui::errorStyledText(d).contains(QLatin1String("number of entries to keep")));
    QTest::keyClicks(threshold, QStringLiteral("-5"));
    refused("0 or more");
    gui::retype(threshold, QStringLiteral("5000"));
    // The preview finds nothing to trim: still nothing to review.
    QTRY_VERIFY(
        shown(d, "trimPreview").startsWith(QLatin1String("Nothing to remove: all 1,000 entries")));
    refused("Nothing to trim");
    QVERIFY(!gui::child<QSpinBox>(d, "trimLimit")->isEnabled()); // LIMIT goes with ~ only
    choose(gui::child<QComboBox>(d, "trimStrategy"), 1);
    gui::retype(threshold, QStringLiteral("yesterday"));
    refused("oldest id to keep");
    gui::retype(threshold, QStringLiteral("5000-0"));
    QTRY_VERIFY(ok->isEnabled());
    QVERIFY(!hint->isVisible());
    QCOMPARE(length(), 1000); // nothing was sent
}

void TestTrimDialog::previewThenTrimExactly()
{
    TrimDialog *d = openDialog();
    QVERIFY(d);
    QTest::keyClicks(gui::child<QLineEdit>(d, "trimThreshold"), QStringLiteral("750"));
    auto *ok = gui::child<QPushButton>(d, "trimOk");
    QTRY_VERIFY(ok->isEnabled());
    const QString preview = shown(d, "trimPreview");
    QVERIFY2(preview.contains(QLatin1String("250 of 1,000 entries go: the oldest up to 2500-0; the "
                                            "stream keeps 2510-0 on.")),
             qPrintable(preview));
    QVERIFY2(
        preview.contains(QLatin1String("Group early: 250 of its 300 pending entries would point at "
                                       "deleted entries")),
        qPrintable(preview));
    QVERIFY(!preview.contains(QLatin1String("not read all"))); // early read past the cut
    QTest::mouseClick(ok, Qt::LeftButton);

    auto *run = d->findChild<BulkActionDialog *>(QStringLiteral("trimRun"));
    QVERIFY(run);
    QTRY_VERIFY(run->isVisible());
    QCOMPARE(gui::child<QPlainTextEdit>(run, "commands")->toPlainText(),
             QStringLiteral("XTRIM s MAXLEN = 750"));
    auto *go = gui::child<QPushButton>(run, "go");
    QCOMPARE(go->text(), QStringLiteral("Trim 250 entries"));
    QCOMPARE(length(), 1000);
    QTest::mouseClick(go, Qt::LeftButton);
    auto *report = gui::child<QLabel>(run, "report");
    QTRY_VERIFY(gui::shownText(report).contains(QLatin1String("Removed 250 entries in 1 call.")));
    QCOMPARE(length(), 750);
    // Behind it, the trim dialog's preview shows what is left.
    QTRY_VERIFY(
        shown(d, "trimPreview").startsWith(QLatin1String("Nothing to remove: all 750 entries")));
}

void TestTrimDialog::approximateTrimLoopsAndExplains()
{
    QList<RedisCommand> more;
    for (int i = 1001; i <= 2500; ++i)
        more.append(RedisCommand{{"XADD", "s", QByteArray::number(i * 10) + "-0", "n", "x"}});
    QVERIFY(m_redis.run(more));
    TrimDialog *d = openDialog();
    QVERIFY(d);
    QTest::keyClicks(gui::child<QLineEdit>(d, "trimThreshold"), QStringLiteral("1050"));
    choose(gui::child<QComboBox>(d, "trimExactness"), 1);
    auto *limit = gui::child<QSpinBox>(d, "trimLimit");
    QVERIFY(limit->isEnabled());
    gui::retype(limit, QStringLiteral("300"));
    auto *ok = gui::child<QPushButton>(d, "trimOk");
    QTRY_VERIFY(ok->isEnabled());
    QVERIFY2(shown(d, "trimPreview").startsWith(QLatin1String("Up to 1,450 of 2,500 entries go")),
             qPrintable(shown(d, "trimPreview")));
    QTest::mouseClick(ok, Qt::LeftButton);
    auto *run = d->findChild<BulkActionDialog *>(QStringLiteral("trimRun"));
    QVERIFY(run);
    QTRY_VERIFY(run->isVisible());
    QCOMPARE(gui::child<QPlainTextEdit>(run, "commands")->toPlainText(),
             QStringLiteral("XTRIM s MAXLEN ~ 1050 LIMIT 300"));
    QVERIFY(gui::shownText(gui::child<QLabel>(run, "commandCount"))
                .contains(QLatin1String("at most 300 entries a call")));
    QTest::mouseClick(gui::child<QPushButton>(run, "copyCommands"), Qt::LeftButton);
    QCOMPARE(QGuiApplication::clipboard()->text(),
             QStringLiteral("XTRIM s MAXLEN ~ 1050 LIMIT 300\n"));
    QTest::mouseClick(gui::child<QPushButton>(run, "go"), Qt::LeftButton);
    auto *report = gui::child<QLabel>(run, "report");
    QTRY_VERIFY(gui::shownText(report).contains(QLatin1String("beyond the target remain")));
    const QString text = gui::shownText(report);
    // 300 a call in whole nodes: four of 300, one of 200, then one that removes nothing.
    QVERIFY2(text.contains(QLatin1String("Removed 1,400 entries in 6 calls.")), qPrintable(text));
    QVERIFY2(text.contains(QLatin1String("50 entries beyond the target remain")), qPrintable(text));
    QCOMPARE(length(), 1100);
}

void TestTrimDialog::keepsEntriesFromATime()
{
    TrimDialog *d = openDialog();
    QVERIFY(d);
    choose(gui::child<QComboBox>(d, "trimStrategy"), 2);
    auto *time = gui::child<QDateTimeEdit>(d, "trimTime");
    QVERIFY(time->isVisible());
    QVERIFY(!gui::child<QLineEdit>(d, "trimThreshold")->isVisible());
    // The ids are milliseconds since 1970: 10-0 .. 10000-0 all lie in its first 10 s.
    time->setFocus();
    time->setDateTime(QDateTime::fromMSecsSinceEpoch(5000, Qt::UTC).toLocalTime());
    QCOMPARE(d->options().threshold, QByteArray("5000-0"));
    QTRY_VERIFY(shown(d, "trimPreview").contains(QLatin1String("499 of 1,000 entries go")));
    QVERIFY(shown(d, "trimPreview")
                .contains(QLatin1String("Group early: 300 of its 300 pending entries")));
}

void TestTrimDialog::readOnlyConnectionOffersNoTrim()
{
    ConnectionOptions options = m_redis.server()->options();
    options.readOnly = true;
    m_inspector.reset();
    QVERIFY2(m_redis.reopen(options), qPrintable(m_redis.errorString()));
    m_inspector = std::make_unique<StreamInspector>(m_redis.session(), "s");
    m_inspector->show();
    auto *trim = gui::child<QPushButton>(m_inspector.get(), "trim");
    QVERIFY(!trim->isEnabled());
    QCOMPARE(trim->toolTip(), QStringLiteral("This connection is read-only"));
}

QTEST_MAIN(TestTrimDialog)
#include "tst_trimdialog.moc"
