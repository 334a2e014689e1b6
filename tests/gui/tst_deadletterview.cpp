// The dead-letter view on a real redis-server, driven as a user would: the reasons with
// their counts, choosing one, a time range, the detail of a dead letter, Replay…; the
// inspector's Dead letters page and its link from the source stream; the settings dialog.
#include "guitestsupport.h"

#include "deadletterfieldsdialog.h"
#include "deadlettermodel.h"
#include "deadlettersettingsdialog.h"
#include "deadletterview.h"
#include "streaminspector.h"

#include <QCheckBox>
#include <QDateTimeEdit>
#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTableView>
#include <QtTest>

namespace {
constexpr int Letters = 300;
constexpr qint64 BaseMs = 1700000000000;
qint64 idMs(int i)
{
    return BaseMs + qint64(i) * 60000;
} // one a minute
QByteArray reasonOf(int i)
{
    static const QByteArray reasons[] = {"timeout", "amount must be positive", "schema"};
    return reasons[i % 3];
}
} // namespace

class TestDeadLetterView : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();
    void listsReasonsAndFiltersByOne();
    void filtersByTime();
    void showsTheSelectedDeadLetter();
    void inspectorShowsDeadLettersPage();
    void settingsDialogChecksAsTheUserTypes();
    void snakeCaseDeadLettersSayNoMatchAndDetectReadsThem();
    void settingsDetectSamplesEachDeadLetterStream();

private:
    void clickReason(const QString &startsWith);
    QListWidget *reasons() const { return m_view->reasonList(); }

    gui::LiveSession m_redis;
    std::unique_ptr<DeadLetterView> m_view;
};

void TestDeadLetterView::init()
{
    GUI_START_SESSION(m_redis);
    QList<RedisCommand> adds{RedisCommand{{"XADD", "orders", "*", "value", "{}"}}};
    for (int i = 0; i < Letters; ++i) {
        const QByteArray ms = QByteArray::number(idMs(i));
        adds.append(RedisCommand{{"XADD", "orders:dlq", ms + "-0", "originalTopicName", "orders",
                                  "originalMessageId", ms + "-7", "consumerGroupId", "billing",
                                  "failureReason", reasonOf(i), "retryCount",
                                  QByteArray::number(3 + i % 4), "messageContent",
                                  "{\"order\":" + QByteArray::number(i) + "}", "failedAt", ms}});
    }
    QVERIFY(m_redis.run(adds));
    m_view = std::make_unique<DeadLetterView>(m_redis.session(), "orders:dlq",
                                              DeadLetterConventions::defaults());
    m_view->resize(1200, 700);
    m_view->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_view.get()));
    QTRY_VERIFY(!m_view->model()->isCountingReasons());
    QTRY_COMPARE(m_view->model()->rowCount(), Letters);
}

void TestDeadLetterView::cleanup()
{
    m_view.reset();
    m_redis.stop();
}

void TestDeadLetterView::clickReason(const QString &startsWith)
{
    for (int row = 0; row < reasons()->count(); ++row) {
        QListWidgetItem *item = reasons()->item(row);
        if (item->text().startsWith(startsWith)) {
            QTest::mouseClick(reasons()->viewport(), Qt::LeftButton, {},
                              reasons()->visualItemRect(item).center());
            return;
        }
    }
    QFAIL(qPrintable(QStringLiteral("no reason item starting with ") + startsWith));
}

void TestDeadLetterView::listsReasonsAndFiltersByOne()
{
    QStringList shown;
    for (int row = 0; row < reasons()->count(); ++row)
        shown << reasons()->item(row)->text();
    QCOMPARE(shown, (QStringList{QStringLiteral("All reasons (300)"),
                                 QStringLiteral("amount must be positive (100)"),
                                 QStringLiteral("schema (100)"), QStringLiteral("timeout (100)")}));
    QVERIFY(!gui::child<QLabel>(m_view.get(), "deadLetterReasonsNote")->isVisible());

    clickReason(QStringLiteral("schema"));
    QCOMPARE(m_view->reasonFilter(), std::optional<QByteArray>("schema"));
    QTRY_COMPARE(m_view->model()->rowCount(), 100);
    QTRY_VERIFY(!m_view->model()->isLoading());
    const QTableView *table = m_view->table();
    for (int row = 0; row < 100; ++row)
        QCOMPARE(table->model()->index(row, DeadLetterModel::Reason).data().toString(),
                 QStringLiteral("schema"));
    // Newest first: the newest "schema" dead letter is number 299.
    QCOMPARE(table->model()->index(0, DeadLetterModel::Id).data().toString(),
             QString::number(idMs(299)) + QStringLiteral("-0"));
    const QString status = gui::child<QLabel>(m_view.get(), "deadLetterStatus")->text();
    QVERIFY2(status.startsWith(QStringLiteral("100 dead letter")), qPrintable(status));

    clickReason(QStringLiteral("All reasons"));
    QCOMPARE(m_view->reasonFilter(), std::nullopt);
    QTRY_COMPARE(m_view->model()->rowCount(), Letters);
}

void TestDeadLetterView::filtersByTime()
{
    auto *fromOn = gui::child<QCheckBox>(m_view.get(), "deadLetterFromOn");
    auto *toOn = gui::child<QCheckBox>(m_view.get(), "deadLetterToOn");
    auto *from = gui::child<QDateTimeEdit>(m_view.get(), "deadLetterFrom");
    auto *to = gui::child<QDateTimeEdit>(m_view.get(), "deadLetterTo");
    QVERIFY(!from->isEnabled());
    // Dead letters 100 to 149 (one a minute).
    from->setDateTime(QDateTime::fromMSecsSinceEpoch(idMs(100), Qt::UTC).toLocalTime());
    to->setDateTime(QDateTime::fromMSecsSinceEpoch(idMs(149), Qt::UTC).toLocalTime());
    gui::clickIndicator(fromOn);
    QVERIFY(from->isEnabled());
    QTRY_COMPARE(m_view->model()->rowCount(), Letters - 100);
    gui::clickIndicator(toOn);
    QTRY_COMPARE(m_view->model()->rowCount(), 50);
    QCOMPARE(m_view->filterFrom(), QDateTime::fromMSecsSinceEpoch(idMs(100), Qt::UTC));
    QCOMPARE(m_view->filterTo().toMSecsSinceEpoch(), idMs(149) + 999);
    QCOMPARE(m_view->model()->deadLetterAt(0).id.ms, quint64(idMs(149)));
    QCOMPARE(m_view->model()->deadLetterAt(49).id.ms, quint64(idMs(100)));
    // The reasons are counted over the range.
    QTRY_COMPARE(reasons()->item(0)->text(), QStringLiteral("All reasons (50)"));

    // With a reason too: 100..149 holds 17 "amount must be positive" (i % 3 == 1).
    clickReason(QStringLiteral("amount must be positive"));
    QTRY_COMPARE(m_view->model()->rowCount(), 17);

    // A range that ends before it starts is refused, with the reason; the rows stay.
    auto *hint = gui::child<QLabel>(m_view.get(), "deadLetterRangeHint");
    QVERIFY(!hint->isVisible());
    to->setDateTime(QDateTime::fromMSecsSinceEpoch(idMs(50), Qt::UTC).toLocalTime());
    QTRY_VERIFY(hint->isVisible());
    QVERIFY(hint->text().contains(QStringLiteral("From is after To")));
    QCOMPARE(m_view->model()->rowCount(), 17);

    // Unchecking both shows every dead letter of the reason again.
    gui::clickIndicator(fromOn);
    gui::clickIndicator(toOn);
    QTRY_COMPARE(m_view->model()->rowCount(), 100);
    QVERIFY(!hint->isVisible());
}

void TestDeadLetterView::showsTheSelectedDeadLetter()
{
    QTableView *table = m_view->table();
    QVERIFY(m_view->selectedDeadLetters().isEmpty());
    auto clickRow = [&](int row, Qt::KeyboardModifiers modifiers = {}) {
        const QRect cell = table->visualRect(table->model()->index(row, DeadLetterModel::Reason));
        QTest::mouseClick(table->viewport(), Qt::LeftButton, modifiers, cell.center());
    };
    clickRow(2);
    const QList<DeadLetter> one = m_view->selectedDeadLetters();
    QCOMPARE(one.size(), 1);
    QCOMPARE(one.first().id.ms, quint64(idMs(Letters - 3)));
    QCOMPARE(one.first().reason, reasonOf(Letters - 3));
    QCOMPARE(one.first().retryCount, 3 + (Letters - 3) % 4);
    // The detail: metadata, and the payload decoded (JSON pretty-printed).
    const QString detail =
        gui::child<QPlainTextEdit>(m_view.get(), "deadLetterDetail")->toPlainText();
    QVERIFY2(detail.contains(QStringLiteral("Reason"))
                 && detail.contains(QString::fromUtf8(reasonOf(Letters - 3))),
             qPrintable(detail));
    QVERIFY2(detail.contains(QStringLiteral("messageContent · JSON")), qPrintable(detail));
    QVERIFY2(detail.contains(QStringLiteral("\"order\": %1").arg(Letters - 3)), qPrintable(detail));

    clickRow(5, Qt::ControlModifier);
    const QList<DeadLetter> two = m_view->selectedDeadLetters();
    QCOMPARE(two.size(), 2);
    QCOMPARE(two.at(1).id.ms, quint64(idMs(Letters - 6)));

    // A refresh (F5, auto-refresh) keeps the selection.
    m_view->refresh();
    QTRY_VERIFY(!m_view->model()->isLoading() && m_view->model()->rowCount() == Letters);
    QTRY_COMPARE(m_view->selectedDeadLetters().size(), 2);
    QCOMPARE(m_view->selectedDeadLetters().at(1).id.ms, quint64(idMs(Letters - 6)));

    QSignalSpy replay(m_view.get(), &DeadLetterView::replayRequested);
    QSignalSpy exportSpy(m_view.get(), &DeadLetterView::exportRequested);
    QTest::mouseClick(gui::child<QPushButton>(m_view.get(), "deadLetterReplay"), Qt::LeftButton);
    QCOMPARE(replay.size(), 1);
    QCOMPARE(exportSpy.size(), 0);
    QTest::mouseClick(gui::child<QPushButton>(m_view.get(), "deadLetterExport"), Qt::LeftButton);
    QCOMPARE(exportSpy.size(), 1);
}

void TestDeadLetterView::inspectorShowsDeadLettersPage()
{
    StreamInspector dlq(m_redis.session(), "orders:dlq");
    dlq.resize(1100, 600);
    dlq.show();
    QVERIFY(!dlq.deadLetterView());
    dlq.setDeadLetters(DeadLetterConventions::defaults(), {}, true);
    QVERIFY(dlq.deadLetterView());
    QCOMPARE(dlq.pages()->currentWidget(), dlq.deadLetterView());
    QCOMPARE(dlq.deadLetterView()->key(), QByteArray("orders:dlq"));
    QTRY_COMPARE(dlq.deadLetterView()->model()->rowCount(), Letters);
    QVERIFY(!gui::child<QPushButton>(&dlq, "openDeadLetters")->isVisible());

    StreamInspector source(m_redis.session(), "orders");
    source.resize(1100, 600);
    source.show();
    auto *open = gui::child<QPushButton>(&source, "openDeadLetters");
    QVERIFY(!open->isVisible());
    source.setDeadLetters(DeadLetterConventions::defaults(), "orders:dlq", false);
    QVERIFY(!source.deadLetterView());
    QVERIFY(open->isVisible());
    QVERIFY(open->text().contains(QStringLiteral("orders:dlq")));
    QSignalSpy asked(&source, &StreamInspector::openStreamRequested);
    QTest::mouseClick(open, Qt::LeftButton);
    QCOMPARE(asked.size(), 1);
    QCOMPARE(asked.first().first().toByteArray(), QByteArray("orders:dlq"));
}

void TestDeadLetterView::settingsDialogChecksAsTheUserTypes()
{
    DeadLetterSettingsDialog dialog(QStringLiteral("local"), DeadLetterConventions::defaults());
    dialog.setStreamKeys({"orders", "orders:dlq", "payments", "dlq:payments", "other"});
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    QPushButton *okButton = dialog.findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok);
    auto *hint = gui::child<QLabel>(&dialog, "deadLetterSettingsHint");
    auto *patterns = gui::child<QListWidget>(&dialog, "patterns");
    auto *detected = gui::child<QListWidget>(&dialog, "detected");
    QVERIFY(okButton->isEnabled());
    QVERIFY(!hint->isVisible());
    QCOMPARE(detected->count(), 2);
    QCOMPARE(detected->item(0)->text(), QStringLiteral("orders  →  orders:dlq"));

    // A new pattern without {stream}: Add stays disabled and the hint says why.
    auto *newPattern = gui::child<QLineEdit>(&dialog, "newPattern");
    auto *add = gui::child<QPushButton>(&dialog, "addPattern");
    QTest::keyClicks(newPattern, QStringLiteral("failed-"));
    QVERIFY(!add->isEnabled());
    QVERIFY(hint->isVisible());
    QVERIFY2(hint->text().contains(QStringLiteral("{stream}")), qPrintable(hint->text()));
    QTest::keyClicks(newPattern, QStringLiteral("{stream}"));
    QVERIFY(add->isEnabled());
    QVERIFY(!hint->isVisible());
    QTest::mouseClick(add, Qt::LeftButton);
    QCOMPARE(patterns->count(), 6);
    QCOMPARE(patterns->currentItem()->text(), QStringLiteral("failed-{stream}"));
    QVERIFY(newPattern->text().isEmpty());

    // Moved up to be tried first.
    for (int i = 0; i < 5; ++i)
        QTest::mouseClick(gui::child<QPushButton>(&dialog, "patternUp"), Qt::LeftButton);
    QCOMPARE(patterns->item(0)->text(), QStringLiteral("failed-{stream}"));
    QVERIFY(!gui::child<QPushButton>(&dialog, "patternUp")->isEnabled());

    // Only ":dlq"-style names: Detect pairs what they name.
    patterns->setCurrentRow(5); // {stream}_dlq
    QTest::mouseClick(gui::child<QPushButton>(&dialog, "removePattern"), Qt::LeftButton);
    patterns->setCurrentRow(4); // dlq:{stream}
    QTest::mouseClick(gui::child<QPushButton>(&dialog, "removePattern"), Qt::LeftButton);
    QTest::mouseClick(gui::child<QPushButton>(&dialog, "detect"), Qt::LeftButton);
    QCOMPARE(detected->count(), 1);

    // The same field for two things: OK off, hint on.
    auto *group = gui::child<QLineEdit>(&dialog, "fieldGroup");
    gui::retype(group, QStringLiteral("failureReason"));
    QVERIFY(!okButton->isEnabled());
    QVERIFY2(hint->text().contains(QStringLiteral("named twice")), qPrintable(hint->text()));
    gui::retype(group, QString()); // not recorded
    QVERIFY(okButton->isEnabled());
    QVERIFY(!hint->isVisible());

    const DeadLetterConventions c = dialog.conventions();
    QCOMPARE(c.patterns,
             (QStringList{QStringLiteral("failed-{stream}"), QStringLiteral("{stream}:dlq"),
                          QStringLiteral("{stream}.dlq"), QStringLiteral("{stream}:dead")}));
    QVERIFY(c.groupField.isEmpty());
    QCOMPARE(c.reasonField, QByteArray("failureReason"));
}

// Dead letters as design 003's platform writes them in bson (snake_case): 4 of them.
static QList<RedisCommand> snakeCaseDeadLetters(const QByteArray &key)
{
    QList<RedisCommand> adds;
    for (int i = 0; i < 4; ++i) {
        const QByteArray n = QByteArray::number(i + 1);
        adds.append(RedisCommand{{"XADD", key, n + "-0", "original_topic_name", "events",
                                  "original_message_id", n + "-9", "consumer_group_id", "audit",
                                  "failure_reason", i % 2 ? "schema" : "timeout", "retry_count",
                                  "2", "message_content", "{\"n\":" + n + "}", "failed_at",
                                  "2026-01-02T03:04:05Z"}});
    }
    return adds;
}

// The connection reads dead letters in camelCase; this stream's are snake_case. The view
// says none matches (not a table of empty columns), Detect proposes their names, and once
// kept the table, the reasons and the detail read them; the names are handed up to save.
void TestDeadLetterView::snakeCaseDeadLettersSayNoMatchAndDetectReadsThem()
{
    QVERIFY(m_redis.run(snakeCaseDeadLetters("events:dlq")));
    DeadLetterView view(m_redis.session(), "events:dlq", DeadLetterConventions::defaults());
    view.resize(1200, 700);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QTRY_COMPARE(view.model()->rowCount(), 4);
    auto *bar = gui::child<QWidget>(&view, "deadLetterNoMatchBar");
    QTRY_VERIFY(bar->isVisible());
    const QString said = gui::child<QLabel>(&view, "deadLetterNoMatch")->text();
    QVERIFY2(said.startsWith(QLatin1String("None of the 4 dead letters read has a field")),
             qPrintable(said));
    QVERIFY2(said.contains(QLatin1String("originalTopicName")), qPrintable(said));

    QSignalSpy edited(&view, &DeadLetterView::conventionsEdited);
    QTest::mouseClick(gui::child<QPushButton>(&view, "deadLetterDetect"), Qt::LeftButton);
    auto *dialog = view.findChild<DeadLetterFieldsDialog *>();
    QVERIFY(dialog);
    QTRY_VERIFY(dialog->isVisible());
    QCOMPARE(gui::child<QLineEdit>(dialog, "fieldOriginalStream")->text(),
             QStringLiteral("original_topic_name"));
    QCOMPARE(gui::child<QLineEdit>(dialog, "fieldReason")->text(),
             QStringLiteral("failure_reason"));
    QCOMPARE(gui::child<QLineEdit>(dialog, "fieldContent")->text(),
             QStringLiteral("message_content"));
    QCOMPARE(gui::child<QLabel>(dialog, "fieldReasonCount")->text(), QStringLiteral("in 4 of 4"));
    const QString summary = gui::child<QLabel>(dialog, "deadLetterFieldsSummary")->text();
    QVERIFY2(summary.contains(QLatin1String("snake_case")), qPrintable(summary));
    QVERIFY2(summary.contains(QLatin1String("4 of the 4 dead letters sampled")),
             qPrintable(summary));
    auto *sample = gui::child<QListWidget>(dialog, "deadLetterFieldsSample");
    QCOMPARE(sample->count(), 4);
    QVERIFY2(sample->item(0)->text().contains(QLatin1String("6 of the 6 metadata fields")),
             qPrintable(sample->item(0)->text()));
    // A name no dead letter has: its count says so as it is typed.
    auto *group = gui::child<QLineEdit>(dialog, "fieldGroup");
    gui::retype(group, QStringLiteral("group_id"));
    QCOMPARE(gui::child<QLabel>(dialog, "fieldGroupCount")->text(), QStringLiteral("in 0 of 4"));
    gui::retype(group, QStringLiteral("consumer_group_id"));
    QTest::mouseClick(dialog->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok),
                      Qt::LeftButton);

    QCOMPARE(edited.size(), 1);
    const auto saved = edited.first().first().value<DeadLetterConventions>();
    QCOMPARE(saved.fieldsFor("events:dlq").reasonField, QByteArray("failure_reason"));
    QCOMPARE(saved.fieldsFor("orders:dlq").reasonField, QByteArray("failureReason"));
    QTRY_VERIFY(!view.model()->isLoading());
    QTRY_COMPARE(view.model()->rowCount(), 4);
    QVERIFY(bar->isHidden());
    const QAbstractItemModel *m = view.table()->model();
    QCOMPARE(m->index(0, DeadLetterModel::OriginalStream).data().toString(),
             QStringLiteral("events"));
    QCOMPARE(m->index(0, DeadLetterModel::Reason).data().toString(), QStringLiteral("schema"));
    QTRY_VERIFY(!view.model()->isCountingReasons());
    QStringList reasonsShown;
    for (int row = 0; row < view.reasonList()->count(); ++row)
        reasonsShown << view.reasonList()->item(row)->text();
    QCOMPARE(reasonsShown,
             (QStringList{QStringLiteral("All reasons (4)"), QStringLiteral("schema (2)"),
                          QStringLiteral("timeout (2)")}));
}

// Detect in the connection's settings reads a sample of each dead-letter stream it pairs:
// the snake_case one gets its names kept for it, the camelCase one keeps the connection's.
void TestDeadLetterView::settingsDetectSamplesEachDeadLetterStream()
{
    QVERIFY(m_redis.run(snakeCaseDeadLetters("events:dlq")
                        + QList<RedisCommand>{RedisCommand{{"XADD", "events", "*", "a", "b"}}}));
    DeadLetterSettingsDialog dialog(QStringLiteral("local"), DeadLetterConventions::defaults());
    dialog.setStreamKeys({"orders", "orders:dlq", "events", "events:dlq"});
    dialog.setSession(m_redis.session());
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    auto *detected = gui::child<QListWidget>(&dialog, "detected");
    QTRY_VERIFY(detected->count() == 2
                && detected->item(0)->text().contains(QLatin1String("sampled")));
    QVERIFY2(detected->item(0)->text().startsWith(QStringLiteral(
                 "events  →  events:dlq  ·  snake_case names in 4 of 4 sampled, kept for it: "
                 "original_topic_name, original_message_id")),
             qPrintable(detected->item(0)->text()));
    QTRY_VERIFY(detected->item(1)->text().contains(QLatin1String("sampled")));
    QCOMPARE(detected->item(1)->text(),
             QStringLiteral("orders  →  orders:dlq  ·  50 of 50 sampled match"));
    const DeadLetterConventions c = dialog.conventions();
    QCOMPARE(c.fieldsFor("events:dlq").originalStreamField, QByteArray("original_topic_name"));
    QCOMPARE(c.fieldsFor("events:dlq").contentField, QByteArray("message_content"));
    QCOMPARE(c.fieldsFor("orders:dlq").originalStreamField, QByteArray("originalTopicName"));
    QCOMPARE(c.streamFields.size(), 1);
}

QTEST_MAIN(TestDeadLetterView)
#include "tst_deadletterview.moc"
