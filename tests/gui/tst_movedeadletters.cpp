// Moving poison messages to a dead-letter stream from the inspector's Groups tab, as an
// operator does it: choose the entries (selected, or delivered at least N times), name the
// dead-letter stream and the reason (Review waits for valid input and says why), read the
// exact commands, run, read the report; then find in Redis the dead letters with their
// metadata and the original fields byte for byte, and the entries no longer pending.
#include "guitestsupport.h"
#include "localserverbuild.h"

#include "bulkactiondialog.h"
#include "deadletteractions.h"
#include "deadletters.h"
#include "groupspane.h"
#include "movedeadlettersdialog.h"
#include "streaminspector.h"
#include "streamparsers.h"

#include <QCheckBox>
#include <QClipboard>
#include <QGuiApplication>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QProcess>
#include <QPushButton>
#include <QRadioButton>
#include <QRegularExpression>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTabBar>
#include <QTabWidget>
#include <QTableView>
#include <QtTest>

using Fields = QList<QPair<QByteArray, QByteArray>>;

class TestMoveDeadLetters : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();
    void badInputKeepsReviewDisabled();
    void prefillsTheDeadLetterStreamFound();
    void movesTheSelectedEntries();
    void movesEveryEntryDeliveredAtLeastNTimes_data();
    void movesEveryEntryDeliveredAtLeastNTimes();
    void nothingDeliveredThatOftenSaysSo();
    void canAlsoDeleteFromTheStream();
    void entryAckedMeanwhileIsReportedSkipped();
    void copiedCommandsRunInRedisCli();
    void userWithoutWritePermissionChangesNothing();
    void readOnlyConnectionOffersNoMove();

private:
    template<typename T> T *child(const char *name) const
    {
        return gui::child<T>(m_inspector.get(), name);
    }
    void openInspector(const ConnectionOptions &options);
    void selectRows(const QList<int> &rows);
    // Clicks "Move to dead letters…" and returns its options dialog.
    MoveDeadLettersDialog *openMoveDialog();
    // Types the reason and clicks Review; returns the run dialog at its confirmation.
    BulkActionDialog *review(MoveDeadLettersDialog *options, const QString &reason);
    // Clicks the run button and waits for the report.
    QString runToReport(BulkActionDialog *run);
    QList<StreamEntry> entries(const QByteArray &key);
    QList<QByteArray> pendingIds();

    gui::LiveSession m_redis;
    std::unique_ptr<StreamInspector> m_inspector;
    QList<StreamEntry> m_originals; // orders as set up
};

static QByteArray id(int n)
{
    return QByteArray::number(n) + "-0";
}

// Entries as (id, fields), to compare.
static QList<QPair<QByteArray, Fields>> rows(const QList<StreamEntry> &entries)
{
    QList<QPair<QByteArray, Fields>> out;
    for (const StreamEntry &e : entries)
        out.append({e.id.toByteArray(), e.fields});
    return out;
}

static QList<QByteArray> ids(const QList<int> &ns)
{
    QList<QByteArray> out;
    for (int n : ns)
        out.append(id(n));
    return out;
}

// Stream orders, entries 1-0..12-0 (JSON, binary bytes, and a field named like a metadata
// field), all read by w1 of group billing; 3, 7 and 9 delivered 5 times (9 idle for ten
// minutes), 5 delivered 4 times.
void TestMoveDeadLetters::init()
{
    GUI_START_SESSION(m_redis);
    QList<RedisCommand> setup;
    for (int i = 1; i <= 12; ++i) {
        setup.append(RedisCommand{
            {"XADD", "orders", id(i), "data", "{\"order\":" + QByteArray::number(i) + "}", "blob",
             QByteArray("\x00\xff\r\n", 4) + QByteArray::number(i), "retryCount", "7"}});
    }
    setup.append(RedisCommand{{"XGROUP", "CREATE", "orders", "billing", "0"}});
    setup.append(RedisCommand{{"XREADGROUP", "GROUP", "billing", "w1", "STREAMS", "orders", ">"}});
    for (int i : {3, 7})
        setup.append(RedisCommand{
            {"XCLAIM", "orders", "billing", "w1", "0", id(i), "RETRYCOUNT", "5", "JUSTID"}});
    setup.append(RedisCommand{{"XCLAIM", "orders", "billing", "w1", "0", id(9), "IDLE", "600000",
                               "RETRYCOUNT", "5", "JUSTID"}});
    setup.append(RedisCommand{
        {"XCLAIM", "orders", "billing", "w1", "0", id(5), "RETRYCOUNT", "4", "JUSTID"}});
    QVERIFY(m_redis.run(setup));
    m_originals = entries("orders");
    QCOMPARE(m_originals.size(), 12);
    openInspector(m_redis.server()->options());
}

void TestMoveDeadLetters::cleanup()
{
    m_inspector.reset();
    m_redis.stop();
}

void TestMoveDeadLetters::openInspector(const ConnectionOptions &options)
{
    m_inspector.reset();
    QVERIFY2(m_redis.reopen(options), qPrintable(m_redis.errorString()));
    gui::showGroupsPage(m_inspector, m_redis.session(), "orders", {1300, 700}, 1);
    QTRY_COMPARE(child<QTableView>("pendingView")->model()->rowCount(), 12);
}

void TestMoveDeadLetters::selectRows(const QList<int> &rows)
{
    auto *pending = child<QTableView>("pendingView");
    for (int i = 0; i < rows.size(); ++i) {
        const QPoint at = pending->visualRect(pending->model()->index(rows.at(i), 0)).center();
        QTest::mouseClick(pending->viewport(), Qt::LeftButton,
                          i == 0 ? Qt::KeyboardModifiers() : Qt::ControlModifier, at);
    }
    QCOMPARE(pending->selectionModel()->selectedRows().size(), rows.size());
}

MoveDeadLettersDialog *TestMoveDeadLetters::openMoveDialog()
{
    auto *move = child<QPushButton>("moveDeadLetters");
    [&] { QVERIFY(move->isEnabled()); }();
    QTest::mouseClick(move, Qt::LeftButton);
    auto *options =
        m_inspector->findChild<MoveDeadLettersDialog *>(QStringLiteral("moveDeadLettersDialog"));
    [&] { QVERIFY(options && options->isVisible()); }();
    return options;
}

BulkActionDialog *TestMoveDeadLetters::review(MoveDeadLettersDialog *options, const QString &reason)
{
    gui::retype(gui::child<QLineEdit>(options, "moveReason"), reason);
    auto *ok = gui::child<QPushButton>(options, "moveOk");
    [&] {
        QVERIFY2(ok->isEnabled(), qPrintable(gui::child<QLabel>(options, "moveHint")->text()));
        }();
    QTest::mouseClick(ok, Qt::LeftButton);
    auto *run = m_inspector->findChild<BulkActionDialog *>(QStringLiteral("moveDeadLettersRun"));
    [&] {
        QVERIFY(run && run->isVisible());
        QTRY_VERIFY(gui::child<QPushButton>(run, "go")->isVisible()); // at the confirmation
        }();
    return run;
}

QString TestMoveDeadLetters::runToReport(BulkActionDialog *run)
{
    QSignalSpy ran(run, &BulkActionDialog::ran);
    QTest::mouseClick(gui::child<QPushButton>(run, "go"), Qt::LeftButton);
    [&] { QTRY_COMPARE_WITH_TIMEOUT(ran.size(), 1, 20000); }();
    return gui::shownText(gui::child<QLabel>(run, "report"));
}

QList<StreamEntry> TestMoveDeadLetters::entries(const QByteArray &key)
{
    const auto replies = m_redis.run({RedisCommand{{"XRANGE", key, "-", "+"}}});
    if (!replies)
        return {};
    QString error;
    return parseEntries(replies->first(), &error).value_or(QList<StreamEntry>());
}

QList<QByteArray> TestMoveDeadLetters::pendingIds()
{
    const auto replies =
        m_redis.run({RedisCommand{{"XPENDING", "orders", "billing", "-", "+", "100"}}});
    QList<QByteArray> out;
    if (replies) {
        for (const RedisValue &e : replies->first().elements())
            out.append(e.at(0).bytes());
    }
    return out;
}

static QList<int> allBut(const QList<int> &moved)
{
    QList<int> left;
    for (int i = 1; i <= 12; ++i) {
        if (!moved.contains(i))
            left.append(i);
    }
    return left;
}

void TestMoveDeadLetters::badInputKeepsReviewDisabled()
{
    MoveDeadLettersDialog *options = openMoveDialog();
    auto *ok = gui::child<QPushButton>(options, "moveOk");
    auto *hint = gui::child<QLabel>(options, "moveHint");
    // Nothing selected: the choice is every entry delivered at least N times.
    QVERIFY(!gui::child<QRadioButton>(options, "moveSelected")->isEnabled());
    QVERIFY(gui::child<QRadioButton>(options, "moveDelivered")->isChecked());
    auto *dlq = gui::child<QLineEdit>(options, "moveDeadLetterStream");
    QCOMPARE(dlq->text(), QStringLiteral("orders:dlq")); // the first pattern's
    QVERIFY(!ok->isEnabled());
    QCOMPARE(hint->text(), QStringLiteral("Say why these messages are dead: the reason is kept "
                                          "with each of them."));
    QVERIFY(hint->isVisible());
    // Said as a hint until the operator types: the dialog does not open in red.
    QVERIFY(!hint->styleSheet().contains(QLatin1String("color")));

    auto *reason = gui::child<QLineEdit>(options, "moveReason");
    QTest::keyClicks(reason, QStringLiteral("   "));
    QVERIFY(!ok->isEnabled());                                    // blanks are no reason
    QVERIFY(hint->styleSheet().contains(QLatin1String("color"))); // now an error
    QTest::keyClicks(reason, QStringLiteral("amount is not a number"));
    QVERIFY(ok->isEnabled());
    QVERIFY(!hint->isVisible());

    auto *n = gui::child<QLineEdit>(options, "moveMinDeliveries");
    for (const QString &bad :
         {QStringLiteral("five"), QStringLiteral("0"), QStringLiteral("2.5"), QString()}) {
        gui::retype(n, bad);
        QVERIFY2(!ok->isEnabled(), qPrintable(bad));
        QCOMPARE(hint->text(), QStringLiteral("Type how many deliveries make an entry a poison "
                                              "message: a whole number, 1 or more."));
    }
    gui::retype(n, QStringLiteral("5"));
    QVERIFY(ok->isEnabled());

    gui::retype(dlq, QStringLiteral("orders"));
    QVERIFY(!ok->isEnabled());
    QCOMPARE(hint->text(), QStringLiteral("The dead-letter stream must not be the stream itself."));
    gui::retype(dlq, QString());
    QVERIFY(!ok->isEnabled());
    QCOMPARE(hint->text(), QStringLiteral("Name the dead-letter stream."));
    gui::retype(dlq, QStringLiteral("orders:dead"));
    QVERIFY(ok->isEnabled());
    // The path in words: one node, so one script per entry.
    QVERIFY2(gui::shownText(gui::child<QLabel>(options, "movePath"))
                 .contains(QLatin1String("atomically")),
             qPrintable(gui::child<QLabel>(options, "movePath")->text()));

    auto *warning = gui::child<QLabel>(options, "moveDeleteWarning");
    QVERIFY(!warning->isVisible());
    gui::clickIndicator(gui::child<QCheckBox>(options, "moveDelete"));
    QVERIFY(warning->isVisible());
    QVERIFY(warning->text().contains(QLatin1String("only in the dead-letter stream")));

    QTest::keyClick(options, Qt::Key_Escape);
    QTRY_VERIFY(!m_inspector->findChild<MoveDeadLettersDialog *>());
    QCOMPARE(pendingIds().size(), 12);
    QVERIFY(entries("orders:dead").isEmpty());
}

// Where the overview found a dead-letter stream for the stream, that one is offered.
void TestMoveDeadLetters::prefillsTheDeadLetterStreamFound()
{
    m_inspector->groupsPane()->setDeadLetters(DeadLetterConventions::defaults(), "dlq:orders");
    MoveDeadLettersDialog *options = openMoveDialog();
    QCOMPARE(gui::child<QLineEdit>(options, "moveDeadLetterStream")->text(),
             QStringLiteral("dlq:orders"));
    QTest::keyClick(options, Qt::Key_Escape);
    QTRY_VERIFY(!m_inspector->findChild<MoveDeadLettersDialog *>());

    DeadLetterConventions mine = DeadLetterConventions::defaults();
    mine.patterns = QStringList{QStringLiteral("dead.{stream}")};
    m_inspector->groupsPane()->setDeadLetters(mine, {});
    options = openMoveDialog();
    QCOMPARE(gui::child<QLineEdit>(options, "moveDeadLetterStream")->text(),
             QStringLiteral("dead.orders"));
}

void TestMoveDeadLetters::movesTheSelectedEntries()
{
    selectRows({0, 4}); // 1-0, and 5-0 (delivered 4 times)
    MoveDeadLettersDialog *options = openMoveDialog();
    QVERIFY(gui::child<QRadioButton>(options, "moveSelected")->isChecked());
    QCOMPARE(gui::child<QRadioButton>(options, "moveSelected")->text().remove(QLatin1Char('&')),
             QStringLiteral("The 2 selected pending entries"));
    const QDateTime before = QDateTime::currentDateTimeUtc().addSecs(-1);
    BulkActionDialog *run = review(options, QStringLiteral("amount is not a number"));

    auto *go = gui::child<QPushButton>(run, "go");
    QCOMPARE(go->text(), QStringLiteral("Move 2 entries"));
    const QString sha =
        QString::fromLatin1(DeadLetterActions::sha1(DeadLetterActions::moveScript()));
    // The EVALSHAs, after what they rely on (the script's SCRIPT LOAD, cut short).
    const QStringList shown = gui::child<QPlainTextEdit>(run, "commands")
                                  ->toPlainText()
                                  .split(QLatin1Char('\n'))
                                  .filter(QRegularExpression(QStringLiteral("^EVALSHA ")));
    QCOMPARE(shown.size(), 2);
    QVERIFY2(shown.at(0).startsWith(
                 QStringLiteral("EVALSHA %1 2 orders orders:dlq billing 1-0 0 ").arg(sha)),
             qPrintable(shown.at(0)));
    QVERIFY2(shown.at(1).startsWith(
                 QStringLiteral("EVALSHA %1 2 orders orders:dlq billing 5-0 0 ").arg(sha)),
             qPrintable(shown.at(1)));
    const QString what = gui::shownText(gui::child<QLabel>(run, "what"));
    QVERIFY2(what.contains(QLatin1String("move script")), qPrintable(what));
    QVERIFY(what.contains(QLatin1String("originalTopicName")));
    QVERIFY(gui::child<QPushButton>(run, "backUp")->isVisible());
    QCOMPARE(pendingIds().size(), 12); // nothing sent before the click

    const QString report = runToReport(run);
    QVERIFY2(report.contains(
                 QLatin1String("Moved to orders:dlq: 2 entries (acknowledged in group billing).")),
             qPrintable(report));
    QVERIFY2(!report.contains(QLatin1String("Skipped")), qPrintable(report));
    QCOMPARE(gui::child<QLabel>(run, "error")->text(), QString());

    const QList<StreamEntry> dead = entries("orders:dlq");
    QCOMPARE(dead.size(), 2);
    const DeadLetterConventions c = DeadLetterConventions::defaults();
    const QList<int> moved{1, 5};
    for (int i = 0; i < 2; ++i) {
        const StreamEntry &original = m_originals.at(moved.at(i) - 1);
        const Fields fields = dead.at(i).fields;
        QCOMPARE(fields.size(), 6 + original.fields.size());
        QCOMPARE(fields.at(0), (QPair<QByteArray, QByteArray>{c.originalStreamField, "orders"}));
        QCOMPARE(fields.at(1), (QPair<QByteArray, QByteArray>{c.originalIdField, id(moved.at(i))}));
        QCOMPARE(fields.at(2), (QPair<QByteArray, QByteArray>{c.groupField, "billing"}));
        QCOMPARE(fields.at(3),
                 (QPair<QByteArray, QByteArray>{c.reasonField, "amount is not a number"}));
        QCOMPARE(fields.at(4),
                 (QPair<QByteArray, QByteArray>{c.retryCountField, i == 0 ? "1" : "4"}));
        QCOMPARE(fields.at(5).first, c.failedAtField);
        const QDateTime failedAt = parseFailedAt(fields.at(5).second);
        QVERIFY2(failedAt >= before && failedAt <= QDateTime::currentDateTimeUtc(),
                 fields.at(5).second.constData());
        QCOMPARE(fields.mid(6), original.fields); // byte for byte, in order
    }
    QCOMPARE(pendingIds(), ids(allBut(moved)));
    QCOMPARE(rows(entries("orders")), rows(m_originals));                    // acked, not deleted
    QTRY_COMPARE(child<QTableView>("pendingView")->model()->rowCount(), 10); // the pane refreshed
}

void TestMoveDeadLetters::movesEveryEntryDeliveredAtLeastNTimes_data()
{
    QTest::addColumn<QString>("times");
    QTest::addColumn<int>("idleSeconds"); // 0: no idle condition
    QTest::addColumn<QList<int>>("moved");
    QTest::newRow("5 times") << QStringLiteral("5") << 0 << QList<int>{3, 7, 9};
    QTest::newRow("4 times") << QStringLiteral("4") << 0 << QList<int>{3, 5, 7, 9};
    QTest::newRow("5 times, idle 5 min") << QStringLiteral("5") << 300 << QList<int>{9};
}

void TestMoveDeadLetters::movesEveryEntryDeliveredAtLeastNTimes()
{
    QFETCH(QString, times);
    QFETCH(int, idleSeconds);
    QFETCH(QList<int>, moved);
    selectRows({0}); // a selection does not stop the operator choosing the other way
    MoveDeadLettersDialog *options = openMoveDialog();
    QTest::mouseClick(gui::child<QRadioButton>(options, "moveDelivered"), Qt::LeftButton, {},
                      QPoint(8, gui::child<QRadioButton>(options, "moveDelivered")->height() / 2));
    QVERIFY(gui::child<QRadioButton>(options, "moveDelivered")->isChecked());
    gui::retype(gui::child<QLineEdit>(options, "moveMinDeliveries"), times);
    if (idleSeconds > 0) {
        gui::clickIndicator(gui::child<QCheckBox>(options, "moveSetIdle"));
        gui::retype(gui::child<QSpinBox>(options, "moveMinIdle"), QString::number(idleSeconds));
    }
    BulkActionDialog *run = review(options, QStringLiteral("poison"));
    const QString label = moved.size() == 1 ? QStringLiteral("Move 1 entry")
                                            : QStringLiteral("Move %1 entries").arg(moved.size());
    QCOMPARE(gui::child<QPushButton>(run, "go")->text(), label);
    const QString what = gui::shownText(gui::child<QLabel>(run, "what"));
    QVERIFY2(what.contains(QStringLiteral("delivered at least %1 times").arg(times)),
             qPrintable(what));
    if (idleSeconds > 0)
        QVERIFY2(what.contains(QStringLiteral("idle at least %1 s").arg(idleSeconds)),
                 qPrintable(what));

    const QString report = runToReport(run);
    QVERIFY2(report.contains(QStringLiteral("Moved to orders:dlq: %1").arg(label.mid(5))),
             qPrintable(report));
    QList<QByteArray> deadIds;
    for (const StreamEntry &e : entries("orders:dlq")) {
        const DeadLetter letter = parseDeadLetter(e, DeadLetterConventions::defaults());
        deadIds.append(letter.originalId);
        QCOMPARE(letter.reason, QByteArray("poison"));
        QCOMPARE(letter.retryCount, id(5) == letter.originalId ? 4 : 5);
    }
    QCOMPARE(deadIds, ids(moved));
    QCOMPARE(pendingIds(), ids(allBut(moved)));
}

void TestMoveDeadLetters::nothingDeliveredThatOftenSaysSo()
{
    MoveDeadLettersDialog *options = openMoveDialog();
    gui::retype(gui::child<QLineEdit>(options, "moveMinDeliveries"), QStringLiteral("6"));
    gui::retype(gui::child<QLineEdit>(options, "moveReason"), QStringLiteral("poison"));
    QTest::mouseClick(gui::child<QPushButton>(options, "moveOk"), Qt::LeftButton);
    auto *run = m_inspector->findChild<BulkActionDialog *>(QStringLiteral("moveDeadLettersRun"));
    QVERIFY(run);
    auto *report = gui::child<QLabel>(run, "report");
    QTRY_COMPARE(gui::shownText(report),
                 QStringLiteral("No pending entry of group billing was delivered at least 6 "
                                "times: nothing to move."));
    QVERIFY(!gui::child<QPushButton>(run, "go")->isVisible());
    QVERIFY(entries("orders:dlq").isEmpty());
}

void TestMoveDeadLetters::canAlsoDeleteFromTheStream()
{
    selectRows({2}); // 3-0
    MoveDeadLettersDialog *options = openMoveDialog();
    gui::clickIndicator(gui::child<QCheckBox>(options, "moveDelete"));
    BulkActionDialog *run = review(options, QStringLiteral("bad payload"));
    QVERIFY(gui::shownText(gui::child<QLabel>(run, "what"))
                .contains(QLatin1String("deleted from orders")));
    QVERIFY(gui::child<QPlainTextEdit>(run, "commands")
                ->toPlainText()
                .contains(QLatin1String(" 3-0 1 ")));
    const QString report = runToReport(run);
    QVERIFY2(report.contains(
                 QLatin1String("Moved to orders:dlq: 1 entry (acknowledged in group billing and "
                               "deleted from orders).")),
             qPrintable(report));

    QList<StreamEntry> left = m_originals;
    left.removeAt(2);
    QCOMPARE(rows(entries("orders")), rows(left));
    QCOMPARE(pendingIds(), ids(allBut({3})));
    const QList<StreamEntry> dead = entries("orders:dlq");
    QCOMPARE(dead.size(), 1);
    QCOMPARE(dead.first().fields.mid(6), m_originals.at(2).fields); // the only copy now
}

// Between the confirmation and the run, a consumer acks one of the entries: it is skipped,
// the report says why, and it is not written to the dead-letter stream.
void TestMoveDeadLetters::entryAckedMeanwhileIsReportedSkipped()
{
    selectRows({1, 3}); // 2-0, 4-0
    BulkActionDialog *run = review(openMoveDialog(), QStringLiteral("poison"));
    QVERIFY(m_redis.run({RedisCommand{{"XACK", "orders", "billing", "4-0"}}}));
    const QString report = runToReport(run);
    QVERIFY2(report.contains(
                 QLatin1String("Moved to orders:dlq: 1 entry (acknowledged in group billing).")),
             qPrintable(report));
    QVERIFY2(
        report.contains(QLatin1String("Skipped 1 entry, no longer pending in the group: 4-0.")),
        qPrintable(report));
    const QList<StreamEntry> dead = entries("orders:dlq");
    QCOMPARE(dead.size(), 1);
    QCOMPARE(parseDeadLetter(dead.first(), DeadLetterConventions::defaults()).originalId, id(2));
    QCOMPARE(pendingIds(), ids(allBut({2, 4})));
}

// "Copy as redis-cli commands" gives lines redis-cli runs as they are: the script is loaded
// first, and the EVALSHAs then move the entries. Cancelling the confirmation sent nothing.
void TestMoveDeadLetters::copiedCommandsRunInRedisCli()
{
    const QString cli = LocalServerBuild::current().cliProgram;
    QVERIFY2(!cli.isEmpty(), "redis-cli (Debian package redis-tools) is needed");
    selectRows({6, 8}); // 7-0, 9-0
    BulkActionDialog *run = review(openMoveDialog(), QStringLiteral("stuck \"for good\""));
    QTest::mouseClick(gui::child<QPushButton>(run, "copyCommands"), Qt::LeftButton);
    const QString copied = QGuiApplication::clipboard()->text();
    const QStringList lines = copied.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 3);
    QVERIFY(lines.at(0).startsWith(QLatin1String("SCRIPT LOAD \"-- Weir: move")));
    QTest::keyClick(run, Qt::Key_Escape);
    QTRY_VERIFY(!m_inspector->findChild<BulkActionDialog *>());
    QCOMPARE(pendingIds().size(), 12);

    m_redis.run({RedisCommand{{"SCRIPT", "FLUSH"}}}); // as a restarted server would be
    QProcess process;
    process.start(cli, {QStringLiteral("-h"), QStringLiteral("127.0.0.1"), QStringLiteral("-p"),
                        QString::number(m_redis.server()->port())});
    process.write(copied.toUtf8());
    process.closeWriteChannel();
    QSignalSpy finished(&process, &QProcess::finished);
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 10000);
    const QByteArray output = process.readAllStandardOutput();
    QCOMPARE(process.exitCode(), 0);
    QVERIFY2(!output.contains("ERR") && !output.contains("NOSCRIPT"), output.constData());
    QList<QByteArray> deadIds;
    for (const StreamEntry &e : entries("orders:dlq")) {
        const DeadLetter letter = parseDeadLetter(e, DeadLetterConventions::defaults());
        QCOMPARE(letter.reason, QByteArray("stuck \"for good\""));
        deadIds.append(letter.originalId);
    }
    QCOMPARE(deadIds, ids({7, 9}));
    QCOMPARE(pendingIds(), ids(allBut({7, 9})));
}

// An operator whose ACL user may touch the stream but not the dead-letter stream: NOPERM
// reaches the report verbatim with the hint, and nothing changes anywhere.
void TestMoveDeadLetters::userWithoutWritePermissionChangesNothing()
{
    QVERIFY(m_redis.run(
        {RedisCommand{{"ACL", "SETUSER", "operator", "on", ">op-secret", "~orders", "+@all"}}}));
    ConnectionOptions o = m_redis.server()->options();
    o.username = QStringLiteral("operator");
    o.password = QStringLiteral("op-secret");
    openInspector(o);
    selectRows({0, 1, 2});
    BulkActionDialog *run = review(openMoveDialog(), QStringLiteral("poison"));
    const QString report = runToReport(run);
    QVERIFY2(report.contains(QLatin1String("Moved to orders:dlq: 0 entries")), qPrintable(report));
    const QString error = gui::shownText(gui::child<QLabel>(run, "error"));
    QVERIFY2(error.startsWith(QLatin1String("NOPERM")), qPrintable(error));
    QVERIFY2(error.contains(QLatin1String("The ACL user lacks permission")), qPrintable(error));
    QCOMPARE(pendingIds().size(), 12);
    QCOMPARE(rows(entries("orders")), rows(m_originals));
    QVERIFY(entries("orders:dlq").isEmpty());
}

void TestMoveDeadLetters::readOnlyConnectionOffersNoMove()
{
    ConnectionOptions options = m_redis.server()->options();
    options.readOnly = true;
    openInspector(options);
    selectRows({0});
    auto *move = child<QPushButton>("moveDeadLetters");
    QVERIFY(!move->isEnabled());
    QCOMPARE(move->toolTip(), QStringLiteral("This connection is read-only"));
    QTest::mouseClick(move, Qt::LeftButton);
    QVERIFY(!m_inspector->findChild<MoveDeadLettersDialog *>());
    // On a writable connection the same button is there and enabled.
    openInspector(m_redis.server()->options());
    QVERIFY(child<QPushButton>("moveDeadLetters")->isEnabled());
}

QTEST_MAIN(TestMoveDeadLetters)
#include "tst_movedeadletters.moc"
