// Replaying dead letters as an operator does it, against a real redis-server: pick them in
// the Dead letters view (selected, filtered, all), fill in the options (Review waits for
// valid ones, with the reason), look at the dry run (which changes nothing), read the
// exact commands, run, pause and resume, read the report and save it; and see Redis
// changed accordingly, or not at all when the ACL user may not write the target.
#include "deadletterfixtures.h"
#include "guitestsupport.h"
#include "localserverbuild.h"

#include "bulkactiondialog.h"
#include "deadlettermodel.h"
#include "deadletterview.h"
#include "replaydialog.h"
#include "streamparsers.h"

#include <QAbstractItemView>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QCompleter>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QGuiApplication>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QProcess>
#include <QProgressBar>
#include <QPushButton>
#include <QRadioButton>
#include <QSpinBox>
#include <QTableView>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QtTest>

using Fields = QList<QPair<QByteArray, QByteArray>>;

namespace {
// Dead letters in orders:dlq: 10 from orders ("timeout"), 5 from payments ("bad amount"),
// 2 that record no original stream ("lost"). Ids are <ms>-0 with ms from these bases.
constexpr qint64 OrdersMs = 1'700'000'000'000;
constexpr qint64 PaymentsMs = 1'700'000'100'000;
constexpr qint64 LostMs = 1'700'000'200'000;
constexpr int Orders = 10;
constexpr int Payments = 5;
constexpr int Lost = 2;
constexpr int Letters = Orders + Payments + Lost;

QByteArray payload(const QByteArray &stream, int i)
{
    return "{\"" + stream + "\":" + QByteArray::number(i) + "}";
}
} // namespace

class TestReplayDialog : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();
    void refusesBadInputWithTheHint();
    void hintIsPlainUntilTheOperatorTypes();
    void dryRunShowsTheMessageFieldByFieldAndNothingMoves();
    void dryRunShowsWhatWouldBeWrittenAndChangesNothing();
    void replaysTheSelected();
    void replaysWhatTheFilterShows();
    void replaysAllReportsSkipsAndSavesTheReport();
    void copiedCommandsRunInRedisCli();
    void pausesAndResumes();
    void forbiddenTargetIsReportedAndNothingIsRemoved();

private:
    ReplayDialog *openDialog(const ReplayDialog::Source &source);
    ReplayDialog *openFromView();
    // Review…, then the confirmation's button; returns the bulk dialog at its report.
    BulkActionDialog *runReviewed(ReplayDialog *d);
    QList<StreamEntry> entries(const QByteArray &key);
    QList<QByteArray> ids(const QByteArray &key);
    // Every key's entries and groups, as text: what a dry run must leave as it was.
    QString dump();
    QString shown(QWidget *w, const char *label)
    {
        return gui::shownText(gui::child<QLabel>(w, label));
    }
    void clickRow(int row, Qt::KeyboardModifiers modifiers = {});

    std::unique_ptr<LocalRedisServer> m_server;
    std::unique_ptr<gui::SetupClient> m_client;
    std::unique_ptr<ConnectionSession> m_session;
    std::unique_ptr<DeadLetterView> m_view;
    QTemporaryDir m_dir;
};

void TestReplayDialog::init()
{
    m_server = std::make_unique<LocalRedisServer>();
    QString error;
    QVERIFY2(m_server->start(&error), qPrintable(error));
    m_client = std::make_unique<gui::SetupClient>(m_server->options());
    QVERIFY(m_client->isConnected());
    QList<RedisCommand> setup{RedisCommand{{"XADD", "orders", "1-0", "value", "first"}},
                              RedisCommand{{"XGROUP", "CREATE", "orders", "billing", "0"}},
                              RedisCommand{{"XADD", "payments", "1-0", "value", "first"}}};
    const auto letter = [&](qint64 ms, const QByteArray &stream, const QByteArray &reason, int i) {
        const QByteArray id = QByteArray::number(ms) + "-0";
        QList<QByteArray> argv{"XADD", "orders:dlq", id};
        if (!stream.isEmpty())
            argv << "originalTopicName" << stream;
        argv << "originalMessageId" << QByteArray::number(i + 2) + "-0"
             << "consumerGroupId"
             << "billing"
             << "failureReason" << reason << "retryCount"
             << "3"
             << "failedAt" << QByteArray::number(ms) << "value"
             << payload(stream.isEmpty() ? "lost" : stream, i);
        setup.append(RedisCommand{argv});
    };
    for (int i = 0; i < Orders; ++i)
        letter(OrdersMs + i, "orders", "timeout", i);
    for (int i = 0; i < Payments; ++i)
        letter(PaymentsMs + i, "payments", "bad amount", i);
    for (int i = 0; i < Lost; ++i)
        letter(LostMs + i, {}, "lost", i);
    QVERIFY(m_client->run(setup));
    m_session = gui::openSession(m_server->options());
    QVERIFY(m_session);
    m_view = std::make_unique<DeadLetterView>(m_session.get(), "orders:dlq",
                                              DeadLetterConventions::defaults());
    m_view->resize(1200, 700);
    m_view->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_view.get()));
    QTRY_VERIFY(!m_view->model()->isCountingReasons());
    QTRY_COMPARE(m_view->model()->rowCount(), Letters);
    QVERIFY(m_dir.isValid());
}

void TestReplayDialog::cleanup()
{
    m_view.reset();
    m_session.reset();
    m_client.reset();
    m_server.reset();
}

QList<StreamEntry> TestReplayDialog::entries(const QByteArray &key)
{
    const auto replies = m_client->run({RedisCommand{{"XRANGE", key, "-", "+"}}});
    if (!replies)
        return {};
    QString error;
    return parseEntries(replies->first(), &error).value_or(QList<StreamEntry>{});
}

QList<QByteArray> TestReplayDialog::ids(const QByteArray &key)
{
    QList<QByteArray> out;
    for (const StreamEntry &e : entries(key))
        out.append(e.id.toByteArray());
    return out;
}

QString TestReplayDialog::dump()
{
    QString out;
    const auto keys = m_client->run({RedisCommand{{"KEYS", "*"}}});
    if (!keys)
        return QStringLiteral("KEYS failed");
    QList<QByteArray> names;
    for (const RedisValue &k : keys->first().elements())
        names.append(k.bytes());
    std::sort(names.begin(), names.end());
    for (const QByteArray &key : std::as_const(names)) {
        out += QString::fromUtf8(key) + QLatin1Char('\n');
        for (const StreamEntry &e : entries(key)) {
            out += e.id.toString();
            for (const auto &[name, value] : e.fields)
                out += QLatin1Char(' ') + QString::fromUtf8(name + '=' + value);
            out += QLatin1Char('\n');
        }
        const auto groups = m_client->run({RedisCommand{{"XINFO", "GROUPS", key}}});
        if (groups) {
            for (const RedisValue &g : groups->first().elements()) {
                for (const RedisValue &v : g.elements())
                    out += QString::fromUtf8(v.isInteger() ? QByteArray::number(v.toInteger())
                                                           : v.bytes())
                           + QLatin1Char(' ');
                out += QLatin1Char('\n');
            }
        }
    }
    return out;
}

void TestReplayDialog::clickRow(int row, Qt::KeyboardModifiers modifiers)
{
    QTableView *table = m_view->table();
    const QRect cell = table->visualRect(table->model()->index(row, DeadLetterModel::Reason));
    QTest::mouseClick(table->viewport(), Qt::LeftButton, modifiers, cell.center());
}

ReplayDialog *TestReplayDialog::openDialog(const ReplayDialog::Source &source)
{
    auto *d = new ReplayDialog(source, m_view.get());
    d->setAttribute(Qt::WA_DeleteOnClose);
    d->show();
    if (!QTest::qWaitForWindowExposed(d))
        return nullptr;
    // The scope is read before anything can be reviewed.
    if (!QTest::qWaitFor(
            [&] { return !shown(d, "replayStatus").startsWith(QLatin1String("Reading")); }))
        return nullptr;
    return d;
}

// As the Replay… button of the view does it (MainWindow opens the dialog on replayRequested).
ReplayDialog *TestReplayDialog::openFromView()
{
    ReplayDialog *d = nullptr;
    const auto connection = connect(m_view.get(), &DeadLetterView::replayRequested, this,
                                    [&] { d = openDialog(m_view->replaySource()); });
    QTest::mouseClick(gui::child<QPushButton>(m_view.get(), "deadLetterReplay"), Qt::LeftButton);
    disconnect(connection);
    return d;
}

BulkActionDialog *TestReplayDialog::runReviewed(ReplayDialog *d)
{
    auto *review = gui::child<QPushButton>(d, "replayReview");
    if (!review->isEnabled()) {
        qWarning("Review is disabled: %s", qPrintable(shown(d, "replayHint")));
        return nullptr;
    }
    QTest::mouseClick(review, Qt::LeftButton);
    auto *run = d->findChild<BulkActionDialog *>(QStringLiteral("replayRun"));
    if (!run)
        return nullptr;
    QTest::mouseClick(gui::child<QPushButton>(run, "go"), Qt::LeftButton);
    if (!QTest::qWaitFor(
            [&] { return gui::child<QPushButton>(run, "close")->text() == QLatin1String("Close"); },
            20000))
        return nullptr;
    return run;
}

void TestReplayDialog::refusesBadInputWithTheHint()
{
    ReplayDialog *d = openFromView();
    QVERIFY(d);
    auto *review = gui::child<QPushButton>(d, "replayReview");
    auto *hint = gui::child<QLabel>(d, "replayHint");
    QVERIFY(review->isEnabled());
    QVERIFY(hint->isHidden());
    // Nothing selected, no filter: all of them, and the other scopes cannot be chosen.
    QCOMPARE(gui::child<QComboBox>(d, "replayScope")->currentData().toInt(),
             int(ReplayDialog::All));
    QCOMPARE(shown(d, "replayStatus"), QStringLiteral("17 dead letters read."));
    QVERIFY(shown(d, "replayPath").contains(QLatin1String("one Lua script")));

    gui::clickIndicator(gui::child<QRadioButton>(d, "replayToStream"));
    auto *target = gui::child<QLineEdit>(d, "replayTarget");
    QVERIFY(target->isEnabled());
    QVERIFY(!review->isEnabled());
    QCOMPARE(hint->text(), QStringLiteral("Name the stream to replay to."));
    QTest::keyClicks(target, QStringLiteral("orders:dlq"));
    QVERIFY(!review->isEnabled());
    QCOMPARE(hint->text(), QStringLiteral("The target must not be the dead-letter stream itself."));
    gui::retype(target, QStringLiteral("retry"));
    QVERIFY(review->isEnabled());
    QVERIFY(hint->isHidden());

    auto *counter = gui::child<QLineEdit>(d, "replayCounter");
    QTest::keyClicks(counter, QStringLiteral("replayCount "));
    QVERIFY(!review->isEnabled());
    QCOMPARE(hint->text(),
             QStringLiteral("The replay counter's field name must not start or end with a space."));
    gui::retype(counter, QStringLiteral("retryCount"));
    QVERIFY(!review->isEnabled());
    QCOMPARE(hint->text(), QStringLiteral("\"retryCount\" is a dead-letter metadata field: name "
                                          "the replay counter something else."));
    gui::retype(counter, QStringLiteral("replayCount"));
    QVERIFY(review->isEnabled());

    // Back to each one's original stream: the two that record none are left out, the rest go.
    gui::clickIndicator(gui::child<QRadioButton>(d, "replayToOriginal"));
    QVERIFY(!target->isEnabled());
    QVERIFY(review->isEnabled());
    d->close();
}

static bool looksRed(const QLabel *label)
{
    return label->styleSheet().contains(QLatin1String("#b42318"));
}

// A target not named yet is a hint, not an error; it turns red once the operator has typed
// and cleared it, or tries to go on.
void TestReplayDialog::hintIsPlainUntilTheOperatorTypes()
{
    ReplayDialog *d = openFromView();
    QVERIFY(d);
    auto *hint = gui::child<QLabel>(d, "replayHint");
    gui::clickIndicator(gui::child<QRadioButton>(d, "replayToStream"));
    QCOMPARE(hint->text(), QStringLiteral("Name the stream to replay to."));
    QVERIFY(hint->isVisible());
    QVERIFY(!looksRed(hint));
    auto *target = gui::child<QLineEdit>(d, "replayTarget");
    QTest::keyClicks(target, QStringLiteral("r"));
    QVERIFY(hint->isHidden());
    QTest::keyClick(target, Qt::Key_Backspace);
    QCOMPARE(hint->text(), QStringLiteral("Name the stream to replay to."));
    QVERIFY(looksRed(hint));
    d->close();

    // Tried without typing: Review is disabled, Enter does nothing but show the error.
    d = openFromView();
    QVERIFY(d);
    hint = gui::child<QLabel>(d, "replayHint");
    gui::clickIndicator(gui::child<QRadioButton>(d, "replayToStream"));
    QVERIFY(!looksRed(hint));
    QTest::keyClick(gui::child<QLineEdit>(d, "replayTarget"), Qt::Key_Return);
    QVERIFY(looksRed(hint));
    QVERIFY(d->isVisible());
    d->close();
}

// Dead letters another team writes (snake_case, the message as a JSON object in
// message_content): the dry run shows, in the dialog, each field and value exactly as it
// would be written and where; the dialog keeps its size, its buttons stay put and on the
// screen.
void TestReplayDialog::dryRunShowsTheMessageFieldByFieldAndNothingMoves()
{
    QVERIFY(m_client->run({RedisCommand{
        {"XADD", "events:dlq", "5-0", "original_topic_name", "events", "original_message_id", "4-0",
         "consumer_group_id", "audit", "failure_reason", "schema mismatch", "retry_count", "2",
         "message_content",
         R"({"event_id":1234567890123456789,"kind":"signup","score":1.0,"note":"caf\u00e9"})",
         "headers", "{}", "failed_at", "2026-01-02T03:04:05Z"}}}));
    DeadLetterConventions conventions = DeadLetterConventions::defaults();
    conventions.setFieldsFor("events:dlq", snakeCaseDeadLetterFields());
    DeadLetterView view(m_session.get(), "events:dlq", conventions);
    view.show();
    QTRY_COMPARE(view.model()->rowCount(), 1);

    auto *d = new ReplayDialog(view.replaySource(), &view);
    d->setAttribute(Qt::WA_DeleteOnClose);
    d->show();
    QVERIFY(QTest::qWaitForWindowExposed(d));
    QTRY_VERIFY(gui::child<QPushButton>(d, "replayDryRun")->isEnabled());
    const QRect available = d->screen()->availableGeometry();
    auto *dryRun = gui::child<QPushButton>(d, "replayDryRun");
    auto *review = gui::child<QPushButton>(d, "replayReview");
    const QSize size = d->size();
    const QPoint dryRunAt = dryRun->mapTo(d, QPoint());
    const QPoint reviewAt = review->mapTo(d, QPoint());
    QVERIFY2(size.width() <= available.width() && size.height() <= available.height(),
             qPrintable(QStringLiteral("%1x%2").arg(size.width()).arg(size.height())));

    QTest::mouseClick(dryRun, Qt::LeftButton);
    auto *preview = gui::child<QTableWidget>(d, "replayPreview");
    QCOMPARE(preview->rowCount(), 1);
    QCOMPARE(preview->item(0, 1)->text(), QStringLiteral("events"));
    const QString fields = gui::child<QPlainTextEdit>(d, "replayFields")->toPlainText();
    const QStringList lines = fields.split(QLatin1Char('\n'));
    QVERIFY2(lines.contains(QStringLiteral("event_id  1234567890123456789")), qPrintable(fields));
    QVERIFY2(lines.contains(QStringLiteral("kind      signup")), qPrintable(fields));
    QVERIFY2(lines.contains(QStringLiteral("score     1.0")), qPrintable(fields));
    QVERIFY2(lines.contains(QStringLiteral("note      caf\u00e9")), qPrintable(fields));
    QVERIFY2(fields.contains(QLatin1String("Goes to events as a new entry with 4 fields")),
             qPrintable(fields));
    QVERIFY2(fields.contains(QLatin1String("unpacked from message_content: JSON object")),
             qPrintable(fields));
    QVERIFY2(fields.contains(QLatin1String("Not written (fields of the dead letter, not of the "
                                           "message): headers")),
             qPrintable(fields));

    QCOMPARE(d->size(), size);
    QCOMPARE(dryRun->mapTo(d, QPoint()), dryRunAt);
    QCOMPARE(review->mapTo(d, QPoint()), reviewAt);
    QVERIFY(d->frameGeometry().height() <= available.height());
    d->close();
}

void TestReplayDialog::dryRunShowsWhatWouldBeWrittenAndChangesNothing()
{
    const QString before = dump();
    ReplayDialog *d = openFromView();
    QVERIFY(d);
    QTest::keyClicks(gui::child<QLineEdit>(d, "replayCounter"), QStringLiteral("replayCount"));
    auto *preview = gui::child<QTableWidget>(d, "replayPreview");
    QCOMPARE(preview->rowCount(), 0);
    QTest::mouseClick(gui::child<QPushButton>(d, "replayDryRun"), Qt::LeftButton);
    QCOMPARE(preview->rowCount(), Letters);
    const QString counts = shown(d, "replayCounts");
    QVERIFY2(
        counts.contains(QLatin1String("15 copies would be written to orders (10), payments (5)")),
        qPrintable(counts));
    QVERIFY2(counts.contains(QStringLiteral(
                 "2 dead letters skipped: 2 × no original stream recorded: pick a target stream")),
             qPrintable(counts));
    QVERIFY(counts.contains(QLatin1String("nothing was sent")));

    // Row by row, in the dead-letter stream's order: where each goes and the fields written
    // (the metadata stripped, the counter added), as the dead-letter view shows payloads.
    const QList<StreamEntry> dead = entries("orders:dlq");
    QCOMPARE(dead.size(), Letters);
    for (int row = 0; row < Letters; ++row) {
        const DeadLetter letter = parseDeadLetter(dead.at(row), DeadLetterConventions::defaults());
        QCOMPARE(preview->item(row, 0)->text(), dead.at(row).id.toString());
        if (letter.originalStream.isEmpty()) {
            QCOMPARE(preview->item(row, 1)->text(), QStringLiteral("(skipped)"));
            continue;
        }
        QCOMPARE(preview->item(row, 1)->text(), QString::fromUtf8(letter.originalStream));
        QCOMPARE(preview->item(row, 2)->text(),
                 DeadLetterModel::payloadSummary(letter.payload + Fields{{"replayCount", "1"}}));
    }
    // The preview follows the options.
    gui::clickIndicator(gui::child<QCheckBox>(d, "replayStrip"));
    QVERIFY(preview->item(0, 2)->text().contains(QLatin1String("failureReason=timeout")));
    QVERIFY2(shown(d, "replayCounts").contains(QLatin1String("15 copies would be written")),
             qPrintable(shown(d, "replayCounts")));

    // Nothing changed in Redis: not a stream, not a group.
    QCOMPARE(dump(), before);
    d->close();
}

void TestReplayDialog::replaysTheSelected()
{
    // Three dead letters from orders, clicked (then Ctrl-clicked) in the view.
    QList<int> rows;
    for (int row = 0; row < m_view->model()->rowCount() && rows.size() < 3; ++row) {
        if (m_view->model()->deadLetterAt(row).originalStream == "orders")
            rows.append(row);
    }
    QCOMPARE(rows.size(), 3);
    clickRow(rows.at(0));
    clickRow(rows.at(1), Qt::ControlModifier);
    clickRow(rows.at(2), Qt::ControlModifier);
    QList<QByteArray> chosen;
    for (const DeadLetter &d : m_view->selectedDeadLetters())
        chosen.append(d.id.toByteArray());
    QCOMPARE(chosen.size(), 3);

    ReplayDialog *d = openFromView();
    QVERIFY(d);
    QCOMPARE(gui::child<QComboBox>(d, "replayScope")->currentData().toInt(),
             int(ReplayDialog::Selected));
    QCOMPARE(shown(d, "replayStatus"), QStringLiteral("3 dead letters read."));
    QTest::keyClicks(gui::child<QLineEdit>(d, "replayCounter"), QStringLiteral("replayCount"));
    QSignalSpy replayed(d, &ReplayDialog::replayed);
    BulkActionDialog *run = runReviewed(d);
    QVERIFY(run);
    QVERIFY2(shown(run, "report").contains(QLatin1String("Done: 3 dead letters")),
             qPrintable(shown(run, "report")));
    QCOMPARE(replayed.size(), 1);

    // The three are gone from the dead-letter stream, and are in orders as they were.
    const QList<QByteArray> left = ids("orders:dlq");
    QCOMPARE(left.size(), Letters - 3);
    for (const QByteArray &id : chosen)
        QVERIFY(!left.contains(id));
    const QList<StreamEntry> orders = entries("orders");
    QCOMPARE(orders.size(), 1 + 3);
    QSet<QByteArray> values;
    for (int i = 1; i < orders.size(); ++i) {
        QCOMPARE(orders.at(i).fields.size(), 2);
        QCOMPARE(orders.at(i).fields.at(1), (QPair<QByteArray, QByteArray>{"replayCount", "1"}));
        values.insert(orders.at(i).fields.at(0).second);
    }
    QSet<QByteArray> expected;
    for (const QByteArray &id : chosen)
        expected.insert(payload("orders", int(StreamId::parse(id)->ms - OrdersMs)));
    QCOMPARE(values, expected);
    QCOMPARE(entries("payments").size(), 1);
}

void TestReplayDialog::replaysWhatTheFilterShows()
{
    QListWidget *reasons = m_view->reasonList();
    QListWidgetItem *bad = nullptr;
    for (int row = 0; row < reasons->count(); ++row) {
        if (reasons->item(row)->text().startsWith(QLatin1String("bad amount")))
            bad = reasons->item(row);
    }
    QVERIFY(bad);
    QTest::mouseClick(reasons->viewport(), Qt::LeftButton, {},
                      reasons->visualItemRect(bad).center());
    QTRY_VERIFY(!m_view->model()->isLoading() && m_view->model()->rowCount() == Payments);

    ReplayDialog *d = openFromView();
    QVERIFY(d);
    auto *scope = gui::child<QComboBox>(d, "replayScope");
    QCOMPARE(scope->currentData().toInt(), int(ReplayDialog::Filtered));
    QVERIFY2(scope->currentText().contains(QLatin1String("reason \"bad amount\"")),
             qPrintable(scope->currentText()));
    QCOMPARE(shown(d, "replayStatus"), QStringLiteral("5 dead letters read."));
    BulkActionDialog *run = runReviewed(d);
    QVERIFY(run);
    QVERIFY2(shown(run, "report").contains(QLatin1String("Done: 5 dead letters")),
             qPrintable(shown(run, "report")));

    QCOMPARE(ids("orders:dlq").size(), Letters - Payments);
    const QList<StreamEntry> payments = entries("payments");
    QCOMPARE(payments.size(), 1 + Payments);
    for (int i = 0; i < Payments; ++i)
        QCOMPARE(payments.at(1 + i).fields, (Fields{{"value", payload("payments", i)}}));
    QCOMPARE(entries("orders").size(), 1);
}

void TestReplayDialog::replaysAllReportsSkipsAndSavesTheReport()
{
    ReplayDialog *d = openFromView();
    QVERIFY(d);
    BulkActionDialog *run = runReviewed(d);
    QVERIFY(run);
    const QString report = shown(run, "report");
    QVERIFY2(report.contains(QLatin1String("Done: 15 dead letters")), qPrintable(report));
    QVERIFY2(report.contains(QLatin1String("Skipped: 2 dead letters, by reason:")),
             qPrintable(report));
    QVERIFY2(
        report.contains(QStringLiteral("2 × no original stream recorded: pick a target stream")),
        qPrintable(report));
    QVERIFY(!report.contains(QLatin1String("Failed")));
    QVERIFY(!report.contains(QLatin1String("duplicated")));
    // The two without an original stream stay; the others are back in their streams.
    QCOMPARE(ids("orders:dlq"), (QList<QByteArray>{QByteArray::number(LostMs) + "-0",
                                                   QByteArray::number(LostMs + 1) + "-0"}));
    QCOMPARE(entries("orders").size(), 1 + Orders);
    QCOMPARE(entries("payments").size(), 1 + Payments);

    // Save report…: Qt's file dialog, typed into as a user would.
    const QString path = m_dir.filePath(QStringLiteral("replay-report.txt"));
    QTest::mouseClick(gui::child<QPushButton>(run, "saveReport"), Qt::LeftButton);
    QFileDialog *files = nullptr;
    QTRY_VERIFY((files = run->findChild<QFileDialog *>(QStringLiteral("saveReportFileDialog")))
                && files->isVisible());
    // The user goes to the folder, types a name and presses Return.
    files->setDirectory(m_dir.path());
    auto *name = gui::child<QLineEdit>(files, "fileNameEdit");
    gui::retype(name, QStringLiteral("replay-report.txt"));
    QTest::keyClick(name, Qt::Key_Return);
    QTRY_COMPARE(shown(run, "saveNote"),
                 QStringLiteral("Saved to %1").arg(QDir::toNativeSeparators(path)));
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QString text = QString::fromUtf8(file.readAll());
    QVERIFY2(text.contains(QLatin1String("Done: 15\n")), qPrintable(text));
    QVERIFY(text.contains(QLatin1String("Skipped: 2\n")));
    QVERIFY(text.contains(QLatin1String("Failed: 0\n")));
    QVERIFY(text.contains(QStringLiteral(
        "Skipped, by reason:\n  2 × no original stream recorded: pick a target stream\n")));
    for (int i = 0; i < Lost; ++i)
        QVERIFY(text.contains(
            QString::number(LostMs + i)
            + QStringLiteral("-0\tno original stream recorded: pick a target stream\n")));
    // Every replayed id, under Done.
    const QString done =
        text.section(QStringLiteral("\nDone:\n"), 1).section(QStringLiteral("\n\n"), 0, 0);
    QStringList expected;
    for (int i = 0; i < Orders; ++i)
        expected << QString::number(OrdersMs + i) + QStringLiteral("-0");
    for (int i = 0; i < Payments; ++i)
        expected << QString::number(PaymentsMs + i) + QStringLiteral("-0");
    QStringList listed = done.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    listed.sort();
    QCOMPARE(listed, expected);
}

// "Copy as redis-cli commands" gives lines redis-cli runs as they are: the script is
// loaded first, then each EVALSHA finds it, and the dead letters are replayed.
void TestReplayDialog::copiedCommandsRunInRedisCli()
{
    ReplayDialog *d = openFromView();
    QVERIFY(d);
    QTest::mouseClick(gui::child<QPushButton>(d, "replayReview"), Qt::LeftButton);
    auto *run = d->findChild<BulkActionDialog *>(QStringLiteral("replayRun"));
    QVERIFY(run);
    const QString shownCommands = gui::child<QPlainTextEdit>(run, "commands")->toPlainText();
    QVERIFY2(shownCommands.startsWith(
                 QStringLiteral("SCRIPT LOAD \"-- Weir: replay one dead letter\"…")),
             qPrintable(shownCommands));
    QVERIFY(shownCommands.contains(QLatin1String("\nEVALSHA ")));
    QVERIFY(shown(run, "commandCount").contains(QLatin1String("SCRIPT LOAD")));
    QTest::mouseClick(gui::child<QPushButton>(run, "copyCommands"), Qt::LeftButton);
    const QString copied = QGuiApplication::clipboard()->text();
    QVERIFY2(copied.startsWith(QLatin1String("SCRIPT LOAD \"-- Weir: replay one dead letter\\n")),
             qPrintable(copied.left(200)));
    QCOMPARE(copied.count(QLatin1String("EVALSHA ")), Orders + Payments);
    run->reject(); // not run from Weir
    QCOMPARE(ids("orders:dlq").size(), Letters);

    QProcess cli;
    cli.start(LocalServerBuild::current().cliProgram,
              {QStringLiteral("-h"), m_server->options().host, QStringLiteral("-p"),
               QString::number(m_server->options().port)});
    QVERIFY(cli.waitForStarted());
    cli.write(copied.toUtf8());
    cli.closeWriteChannel();
    QTRY_COMPARE_WITH_TIMEOUT(cli.state(), QProcess::NotRunning, 20000);
    const QString out = QString::fromUtf8(cli.readAllStandardOutput());
    QVERIFY2(!out.contains(QLatin1String("NOSCRIPT")) && !out.contains(QLatin1String("ERR")),
             qPrintable(out));
    QCOMPARE(ids("orders:dlq").size(), Lost);
    QCOMPARE(entries("orders").size(), 1 + Orders);
    QCOMPARE(entries("payments").size(), 1 + Payments);
}

void TestReplayDialog::pausesAndResumes()
{
    // 1,200 more dead letters from orders, replayed 300 a second: 12 chunks of 100.
    QList<RedisCommand> more;
    for (int i = 0; i < 1200; ++i)
        more.append(
            RedisCommand{{"XADD", "orders:dlq", "*", "originalTopicName", "orders", "failureReason",
                          "timeout", "value", payload("orders", 100 + i)}});
    QVERIFY(m_client->run(more));
    const qsizetype total = Letters + 1200;
    ReplayDialog *d = openFromView();
    QVERIFY(d);
    QCOMPARE(shown(d, "replayStatus"),
             QStringLiteral("%1 dead letters read.").arg(QLocale().toString(total)));
    gui::retype(gui::child<QSpinBox>(d, "replayRate"), QStringLiteral("300"));
    QTest::mouseClick(gui::child<QPushButton>(d, "replayReview"), Qt::LeftButton);
    auto *run = d->findChild<BulkActionDialog *>(QStringLiteral("replayRun"));
    QVERIFY(run);
    auto *pause = gui::child<QPushButton>(run, "pause");
    QVERIFY(pause->isHidden());
    QTest::mouseClick(gui::child<QPushButton>(run, "go"), Qt::LeftButton);
    QVERIFY(pause->isVisible());
    QTRY_VERIFY(entries("orders").size() > 1 + 200);
    QTest::mouseClick(pause, Qt::LeftButton);
    QCOMPARE(pause->text(), QStringLiteral("&Resume"));
    QVERIFY(run->runner()->isPaused());
    QVERIFY(shown(run, "progressText").contains(QLatin1String("paused")));
    // The chunks already sent finish: a request sent now, on the same connection, is
    // answered after them. Then nothing more goes, however long one waits.
    bool pinged = false;
    m_session->connection()->send({RedisCommand{{"PING"}}}, this,
                                  [&](const RedisResult &) { pinged = true; });
    QTRY_VERIFY(pinged);
    const qsizetype atPause = entries("orders").size();
    QVERIFY2(!QTest::qWaitFor([&] { return entries("orders").size() > atPause; }, 1500),
             "entries kept coming while paused");
    QVERIFY(atPause < 1 + Orders + 1200);
    QVERIFY(run->runner()->isRunning());
    const qsizetype payments = entries("payments").size();
    QCOMPARE(ids("orders:dlq").size(), total - (atPause - 1) - (payments - 1));
    QVERIFY(gui::child<QProgressBar>(run, "progress")->value() < 1000);

    QTest::mouseClick(pause, Qt::LeftButton);
    QCOMPARE(pause->text(), QStringLiteral("&Pause"));
    QTRY_COMPARE_WITH_TIMEOUT(gui::child<QPushButton>(run, "close")->text(),
                              QStringLiteral("Close"), 20000);
    QVERIFY(pause->isHidden());
    QVERIFY2(shown(run, "report")
                 .contains(QStringLiteral("Done: %1 dead letters")
                               .arg(QLocale().toString(Orders + Payments + 1200))),
             qPrintable(shown(run, "report")));
    QCOMPARE(entries("orders").size(), 1 + Orders + 1200);
    QCOMPARE(ids("orders:dlq").size(), Lost);
}

// An operator whose ACL user may use the dead-letter stream but not write the streams the
// dead letters came from: each replay is refused with NOPERM, shown verbatim with the
// hint, and no dead letter is removed.
void TestReplayDialog::forbiddenTargetIsReportedAndNothingIsRemoved()
{
    QVERIFY(m_client->run({RedisCommand{
        {"ACL", "SETUSER", "operator", "on", ">op-secret", "~orders:dlq", "+@all"}}}));
    ConnectionOptions o = m_server->options();
    o.username = QStringLiteral("operator");
    o.password = QStringLiteral("op-secret");
    const std::unique_ptr<ConnectionSession> operatorSession = gui::openSession(o);
    QVERIFY(operatorSession);
    const QString before = dump();

    ReplayDialog::Source source;
    source.session = operatorSession.get();
    source.key = "orders:dlq";
    ReplayDialog *d = openDialog(source);
    QVERIFY(d);
    QCOMPARE(shown(d, "replayStatus"), QStringLiteral("17 dead letters read."));
    BulkActionDialog *run = runReviewed(d);
    QVERIFY(run);
    const QString report = shown(run, "report");
    QVERIFY2(report.contains(QLatin1String("Done: 0 dead letters")), qPrintable(report));
    QVERIFY2(report.contains(QLatin1String("Failed: 15 dead letters, refused by Redis:")),
             qPrintable(report));
    QVERIFY2(report.contains(QStringLiteral("15 × NOPERM")), qPrintable(report));
    QVERIFY2(report.contains(QLatin1String("The ACL user lacks permission")), qPrintable(report));
    QVERIFY(report.contains(QLatin1String("Skipped: 2 dead letters")));
    QCOMPARE(dump(), before);
}

QTEST_MAIN(TestReplayDialog)
#include "tst_replaydialog.moc"
