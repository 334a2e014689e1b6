// The inspector's search page on a real redis-server, driven as a user would: typing the
// query, choosing how to match and which range, clicking Search and Cancel, activating a
// result.
#include "guitestsupport.h"
#include "gziptool.h"

#include "entrysearch.h"
#include "searchpane.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDateTimeEdit>
#include <QLabel>
#include <QLineEdit>
#include <QProcess>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QTableView>
#include <QtTest>

class TestSearchPane : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();
    void containsFindsEveryMatchBatchByBatch();
    void fieldMatchAndCase_data();
    void fieldMatchAndCase();
    void timeRangeRestricts();
    void idRangeRestricts_data();
    void idRangeRestricts();
    void invalidRegexSendsNothing();
    void badRangeSaysWhy_data();
    void badRangeSaysWhy();
    void cancelStopsTheScan();
    void searchAgainWhileRunningStartsOver();
    void stopsAtTheLimit();
    void activatingAResultEmitsItsId_data();
    void activatingAResultEmitsItsId();
    void redisErrorShownVerbatim();
    void findsTextInsideEncodedValues();

private:
    template<typename T> T *child(const char *name) const
    {
        return gui::child<T>(m_pane.get(), name);
    }
    void makePane(const QByteArray &key);
    void fillPoison();
    void fillTimed();
    void fillMany(int count);
    // Types `pattern` and clicks Search; waits until the search has ended.
    void search(const QString &pattern);
    void clickSearch() { QTest::mouseClick(child<QPushButton>("searchStart"), Qt::LeftButton); }
    QString status() const { return child<QLabel>("searchStatus")->text(); }
    QString error() const { return child<QLabel>("searchError")->text(); }
    qint64 commandCalls(const QByteArray &command);
    QList<QByteArray> resultIds() const;

    gui::LiveSession m_redis;
    std::unique_ptr<SearchPane> m_pane;
};

// Entries at known times: Base + i * 500 ms for i = 0..100, and Base+7000-5.
static constexpr quint64 Base = 1763800000000; // a whole second

// Chooses the item `text` of `combo` with the keyboard, as a user tabbing through a form.
static void choose(QComboBox *combo, const QString &text)
{
    QTest::keyClick(combo, Qt::Key_Home);
    for (int i = 0; i < combo->count() && combo->currentText() != text; ++i)
        QTest::keyClick(combo, Qt::Key_Down);
    QCOMPARE(combo->currentText(), text);
}

// Types `time` into `edit` as a user who tabs into it: the first section is selected on
// the way in, and each section, once typed in full, hands on to the next (a separator
// typed then would skip one more).
static void typeDateTime(QDateTimeEdit *edit, const QDateTime &time)
{
    edit->setFocus(Qt::TabFocusReason);
    QTest::keyClicks(edit, time.toString(QStringLiteral("yyyyMMddHHmmss")));
}

static QString number(qint64 n)
{
    return QLocale().toString(n);
}

// As the pane says it, through tr()'s plural (numerus) form: "1 match" once the English
// translation is loaded, the source text "%Ln matches" otherwise.
static QString matches(qint64 n)
{
    return QCoreApplication::translate("SearchPane", "%Ln matches", nullptr, int(n));
}

void TestSearchPane::init()
{
    GUI_START_SESSION(m_redis);
    makePane("s");
}

void TestSearchPane::cleanup()
{
    m_pane.reset();
    m_redis.stop();
}

void TestSearchPane::makePane(const QByteArray &key)
{
    m_pane = std::make_unique<SearchPane>(m_redis.session(), key);
    m_pane->resize(1100, 600);
    m_pane->show();
    QVERIFY(QTest::qWaitForWindowActive(m_pane.get()));
}

// 5,000 entries i-0 (i = 1..5000): n = i, and note, which says "poison" on every 100th.
void TestSearchPane::fillPoison()
{
    QList<RedisCommand> adds;
    for (int i = 1; i <= 5000; ++i)
        adds.append(
            RedisCommand{{"XADD", "s", QByteArray::number(i) + "-0", "n", QByteArray::number(i),
                          "note", i % 100 == 0 ? QByteArray("has Poison inside") : "fine"}});
    QVERIFY(m_redis.run(adds));
}

void TestSearchPane::fillTimed()
{
    QList<RedisCommand> adds;
    for (quint64 i = 0; i <= 100; ++i) {
        const QByteArray ms = QByteArray::number(Base + i * 500);
        adds.append(RedisCommand{{"XADD", "s", ms + "-0", "v", "x"}});
        if (i * 500 == 7000)
            adds.append(RedisCommand{{"XADD", "s", ms + "-5", "v", "x"}});
    }
    QVERIFY(m_redis.run(adds));
}

// `count` small entries with automatic ids; every 100th says "hit".
void TestSearchPane::fillMany(int count)
{
    QList<RedisCommand> adds;
    for (int i = 1; i <= count; ++i) {
        adds.append(RedisCommand{{"XADD", "s", "*", "v", i % 100 == 0 ? QByteArray("hit") : "x"}});
        if (adds.size() == 10000 || i == count) {
            QVERIFY(m_redis.run(adds));
            adds.clear();
        }
    }
}

void TestSearchPane::search(const QString &pattern)
{
    QSignalSpy finished(m_pane->results(), &EntrySearchModel::finished);
    gui::retype(child<QLineEdit>("searchPattern"), pattern);
    clickSearch();
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 20000);
}

qint64 TestSearchPane::commandCalls(const QByteArray &command)
{
    const auto replies = m_redis.run({RedisCommand{{"INFO", "commandstats"}}});
    if (!replies || replies->isEmpty())
        return -1;
    for (const QByteArray &line : replies->first().bytes().split('\n')) {
        const QByteArray prefix = "cmdstat_" + command + ":calls=";
        if (line.startsWith(prefix))
            return line.mid(prefix.size()).split(',').first().toLongLong();
    }
    return 0;
}

QList<QByteArray> TestSearchPane::resultIds() const
{
    QList<QByteArray> ids;
    for (int row = 0; row < m_pane->results()->rowCount(); ++row)
        ids.append(m_pane->results()->hitAt(row).id.toByteArray());
    return ids;
}

void TestSearchPane::containsFindsEveryMatchBatchByBatch()
{
    fillPoison();
    m_pane->results()->setBatchSize(500);
    QVERIFY(!child<QPushButton>("searchCancel")->isEnabled());
    QVERIFY(!child<QLabel>("searchError")->isVisible());

    QSignalSpy progress(m_pane->results(), &EntrySearchModel::progress);
    QSignalSpy inserted(m_pane->results(), &QAbstractItemModel::rowsInserted);
    QSignalSpy finished(m_pane->results(), &EntrySearchModel::finished);
    QTest::keyClicks(child<QLineEdit>("searchPattern"), QStringLiteral("poison"));
    QTest::keyClick(child<QLineEdit>("searchPattern"), Qt::Key_Return); // Enter searches
    QVERIFY(child<QPushButton>("searchCancel")->isEnabled());
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 20000);

    // "Poison" with a capital: found only because the search ignores case by default.
    QList<QByteArray> expected;
    for (int i = 100; i <= 5000; i += 100)
        expected.append(QByteArray::number(i) + "-0");
    QCOMPARE(resultIds(), expected);
    QCOMPARE(m_pane->results()->hitAt(0).field, QByteArray("note"));
    QCOMPARE(finished.first().at(0).toBool(), false); // not cancelled
    // Ten batches of 500, each with its rows and its progress (and one more progress when
    // a last read finds the end).
    QVERIFY(progress.size() >= 10);
    QCOMPARE(inserted.size(), 10);
    QCOMPARE(progress.at(0).at(0).toLongLong(), 500);
    QCOMPARE(child<QProgressBar>("searchProgress")->value(), 1000);
    QCOMPARE(status(), QStringLiteral("Done: scanned %1 entries, 50 matches").arg(number(5000)));
    QVERIFY(!child<QPushButton>("searchCancel")->isEnabled());
    QVERIFY(child<QPushButton>("searchStart")->isEnabled());
    QVERIFY(!child<QLabel>("searchError")->isVisible());
}

void TestSearchPane::fieldMatchAndCase_data()
{
    QTest::addColumn<QString>("field");
    QTest::addColumn<QString>("match");
    QTest::addColumn<QString>("pattern");
    QTest::addColumn<bool>("matchCase");
    QTest::addColumn<QByteArray>("firstId");
    QTest::addColumn<int>("expected");
    QTest::newRow("match case") << ""
                                << "contains"
                                << "poison" << true << QByteArray() << 0;
    QTest::newRow("match case, as written") << ""
                                            << "contains"
                                            << "Poison" << true << QByteArray("100-0") << 50;
    QTest::newRow("field n") << "n"
                             << "contains"
                             << "poison" << false << QByteArray() << 0;
    QTest::newRow("field note") << "note"
                                << "contains"
                                << "poison" << false << QByteArray("100-0") << 50;
    QTest::newRow("equals") << "n"
                            << "equals"
                            << "4200" << false << QByteArray("4200-0") << 1;
    // "42" is in n of 42, 142, ..., 4200..4299 (100) and more; equals takes only 42.
    QTest::newRow("equals, not contains") << ""
                                          << "equals"
                                          << "42" << false << QByteArray("42-0") << 1;
    QTest::newRow("regex") << "n"
                           << "matches regex"
                           << "^49[0-9]{2}$" << false << QByteArray("4900-0") << 100;
    QTest::newRow("regex, case") << "note"
                                 << "matches regex"
                                 << "p[a-z]+n" << true << QByteArray() << 0;
    QTest::newRow("no such field") << "nope"
                                   << "contains"
                                   << "i" << false << QByteArray() << 0;
}

void TestSearchPane::fieldMatchAndCase()
{
    QFETCH(QString, field);
    QFETCH(QString, match);
    QFETCH(QString, pattern);
    QFETCH(bool, matchCase);
    QFETCH(QByteArray, firstId);
    QFETCH(int, expected);
    fillPoison();
    QTest::keyClicks(child<QLineEdit>("searchField"), field);
    choose(child<QComboBox>("searchMatch"), match);
    if (matchCase)
        gui::clickIndicator(child<QCheckBox>("searchCase"));
    QCOMPARE(child<QCheckBox>("searchCase")->isChecked(), matchCase);
    search(pattern);

    QCOMPARE(m_pane->results()->rowCount(), expected);
    if (expected > 0)
        QCOMPARE(m_pane->results()->hitAt(0).id.toByteArray(), firstId);
    QCOMPARE(status(),
             QStringLiteral("Done: scanned %1 entries, %2").arg(number(5000), matches(expected)));
}

void TestSearchPane::timeRangeRestricts()
{
    fillTimed();
    auto *from = child<QDateTimeEdit>("searchFromTime");
    auto *to = child<QDateTimeEdit>("searchToTime");
    QVERIFY(!from->isVisible());
    choose(child<QComboBox>("searchRange"), QStringLiteral("time range"));
    QVERIFY(from->isVisible());
    QVERIFY(to->isVisible());
    QVERIFY(!child<QLineEdit>("searchFromId")->isVisible());
    // The defaults: the last hour.
    QVERIFY(qAbs(to->dateTime().secsTo(QDateTime::currentDateTime())) < 60);
    QCOMPARE(from->dateTime().secsTo(to->dateTime()), 3600);

    // Seconds 10 to 20 after Base, the 20th whole: Base+10000 .. Base+20500.
    typeDateTime(from, QDateTime::fromMSecsSinceEpoch(qint64(Base + 10000)));
    typeDateTime(to, QDateTime::fromMSecsSinceEpoch(qint64(Base + 20000)));
    QCOMPARE(from->dateTime().toMSecsSinceEpoch(), qint64(Base + 10000));
    QCOMPARE(to->dateTime().toMSecsSinceEpoch(), qint64(Base + 20000));
    search(QStringLiteral("x"));

    const QList<QByteArray> ids = resultIds();
    QCOMPARE(ids.size(), 22);
    QCOMPARE(ids.first(), QByteArray::number(Base + 10000) + "-0");
    QCOMPARE(ids.last(), QByteArray::number(Base + 20500) + "-0");
    QVERIFY(!child<QLabel>("searchError")->isVisible());

    // Back to the whole stream: every entry.
    choose(child<QComboBox>("searchRange"), QStringLiteral("whole stream"));
    QVERIFY(!from->isVisible());
    search(QStringLiteral("x"));
    QCOMPARE(m_pane->results()->rowCount(), 102);
}

void TestSearchPane::idRangeRestricts_data()
{
    QTest::addColumn<QString>("from");
    QTest::addColumn<QString>("to");
    QTest::addColumn<QList<QByteArray>>("expected");
    const auto id = [](quint64 offset, quint64 seq) {
        return QByteArray::number(Base + offset) + '-' + QByteArray::number(seq);
    };
    const auto ms = [](quint64 offset) { return QString::number(Base + offset); };
    // Milliseconds alone: "to" takes in every entry of its millisecond.
    QTest::newRow("milliseconds") << ms(5000) << ms(7000)
                                  << QList<QByteArray>{id(5000, 0), id(5500, 0), id(6000, 0),
                                                       id(6500, 0), id(7000, 0), id(7000, 5)};
    QTest::newRow("ids") << QString::fromLatin1(id(5000, 1)) << QString::fromLatin1(id(7000, 0))
                         << QList<QByteArray>{id(5500, 0), id(6000, 0), id(6500, 0), id(7000, 0)};
    QTest::newRow("from the first")
        << "" << ms(1000) << QList<QByteArray>{id(0, 0), id(500, 0), id(1000, 0)};
    QTest::newRow("to the last") << ms(49500) << ""
                                 << QList<QByteArray>{id(49500, 0), id(50000, 0)};
    QTest::newRow("- and +") << "-"
                             << "+" << QList<QByteArray>();
}

void TestSearchPane::idRangeRestricts()
{
    QFETCH(QString, from);
    QFETCH(QString, to);
    QFETCH(QList<QByteArray>, expected);
    fillTimed();
    choose(child<QComboBox>("searchRange"), QStringLiteral("id range"));
    QVERIFY(child<QLineEdit>("searchFromId")->isVisible());
    QVERIFY(!child<QDateTimeEdit>("searchFromTime")->isVisible());
    QTest::keyClicks(child<QLineEdit>("searchFromId"), from);
    QTest::keyClicks(child<QLineEdit>("searchToId"), to);
    search(QStringLiteral("x"));
    QVERIFY2(!child<QLabel>("searchError")->isVisible(), qPrintable(error()));
    if (expected.isEmpty()) // the whole stream
        QCOMPARE(m_pane->results()->rowCount(), 102);
    else
        QCOMPARE(resultIds(), expected);
}

void TestSearchPane::invalidRegexSendsNothing()
{
    fillPoison();
    QSignalSpy progress(m_pane->results(), &EntrySearchModel::progress);
    choose(child<QComboBox>("searchMatch"), QStringLiteral("matches regex"));
    QTest::keyClicks(child<QLineEdit>("searchPattern"), QStringLiteral("poison(")); // unclosed
    clickSearch();

    auto *errorLabel = child<QLabel>("searchError");
    QVERIFY(errorLabel->isVisible());
    QVERIFY2(error().startsWith(QLatin1String("Invalid regular expression")), qPrintable(error()));
    QVERIFY(!m_pane->results()->isRunning());
    QVERIFY(!child<QPushButton>("searchCancel")->isEnabled());
    QCOMPARE(commandCalls("xrange"), 0);
    QCOMPARE(commandCalls("xinfo|stream"), 0);
    QCOMPARE(progress.size(), 0);
    QCOMPARE(m_pane->results()->rowCount(), 0);
    QCOMPARE(status(), QStringLiteral("Not searched yet"));

    // An empty pattern is refused too; fixed, the search runs and the error goes.
    gui::retype(child<QLineEdit>("searchPattern"), QString());
    clickSearch();
    QCOMPARE(error(), QStringLiteral("The pattern is empty."));
    search(QStringLiteral("poison\\b"));
    QVERIFY(!errorLabel->isVisible());
    QCOMPARE(m_pane->results()->rowCount(), 50);
}

void TestSearchPane::badRangeSaysWhy_data()
{
    QTest::addColumn<QString>("from");
    QTest::addColumn<QString>("to");
    QTest::addColumn<QString>("message");
    QTest::newRow("words") << "abc"
                           << ""
                           << "\"abc\" is not an entry id: use "
                              "<milliseconds>-<sequence>, e.g. 1763800000000-0, "
                              "or just the milliseconds.";
    QTest::newRow("bad to") << ""
                            << "12-x"
                            << "\"12-x\" is not an entry id";
    QTest::newRow("negative") << "-5"
                              << ""
                              << "\"-5\" is not an entry id";
    QTest::newRow("from after to") << "200-0"
                                   << "100"
                                   << "The range starts after it ends";
}

void TestSearchPane::badRangeSaysWhy()
{
    QFETCH(QString, from);
    QFETCH(QString, to);
    QFETCH(QString, message);
    fillPoison();
    choose(child<QComboBox>("searchRange"), QStringLiteral("id range"));
    QTest::keyClicks(child<QLineEdit>("searchFromId"), from);
    QTest::keyClicks(child<QLineEdit>("searchToId"), to);
    QTest::keyClicks(child<QLineEdit>("searchPattern"), QStringLiteral("poison"));
    clickSearch();
    QVERIFY(child<QLabel>("searchError")->isVisible());
    QVERIFY2(error().startsWith(message), qPrintable(error()));
    QVERIFY(!m_pane->results()->isRunning());
    QCOMPARE(commandCalls("xrange"), 0);
}

void TestSearchPane::cancelStopsTheScan()
{
    fillMany(200000);
    m_pane->results()->setBatchSize(100);
    QSignalSpy progress(m_pane->results(), &EntrySearchModel::progress);
    QSignalSpy finished(m_pane->results(), &EntrySearchModel::finished);
    QTest::keyClicks(child<QLineEdit>("searchPattern"), QStringLiteral("hit"));
    clickSearch();
    auto *cancel = child<QPushButton>("searchCancel");
    QVERIFY(cancel->isEnabled());
    QTRY_VERIFY(progress.size() >= 1);
    QTRY_VERIFY(m_pane->results()->rowCount() > 0);
    QVERIFY(m_pane->results()->isRunning());
    QTest::mouseClick(cancel, Qt::LeftButton);

    QCOMPARE(finished.size(), 1);
    QCOMPARE(finished.first().at(0).toBool(), true); // cancelled
    QVERIFY(!cancel->isEnabled());
    const qint64 scanned = m_pane->results()->scanned();
    const int rows = m_pane->results()->rowCount();
    QVERIFY2(scanned < 200000, qPrintable(QString::number(scanned)));
    QCOMPARE(status(), QStringLiteral("Cancelled after scanning %1 entries (%2)")
                           .arg(number(scanned), matches(rows)));
    QVERIFY(child<QProgressBar>("searchProgress")->value() < 1000);

    // A request sent now is answered after any batch still on its way: none adds rows.
    const int progressed = int(progress.size());
    bool answered = false;
    m_redis.connection()->send({RedisCommand{{"PING"}}}, this,
                               [&answered](const RedisResult &) { answered = true; });
    QTRY_VERIFY(answered);
    QCOMPARE(m_pane->results()->rowCount(), rows);
    QCOMPARE(progress.size(), progressed);
    QCOMPARE(finished.size(), 1);
}

void TestSearchPane::searchAgainWhileRunningStartsOver()
{
    fillMany(200000);
    m_pane->results()->setBatchSize(100);
    QSignalSpy progress(m_pane->results(), &EntrySearchModel::progress);
    QSignalSpy finished(m_pane->results(), &EntrySearchModel::finished);
    QTest::keyClicks(child<QLineEdit>("searchPattern"), QStringLiteral("nowhere"));
    clickSearch();
    QTRY_VERIFY(progress.size() >= 1);
    QVERIFY(m_pane->results()->isRunning());

    // A new query while the first runs: the first stops, its rows go, the second runs.
    m_pane->results()->setBatchSize(5000);
    gui::retype(child<QLineEdit>("searchPattern"), QStringLiteral("hit"));
    QTest::keyClick(child<QLineEdit>("searchPattern"), Qt::Key_Return);
    QCOMPARE(finished.size(), 1);
    QCOMPARE(finished.first().at(0).toBool(), true);
    QVERIFY(m_pane->results()->isRunning());
    QVERIFY(child<QPushButton>("searchCancel")->isEnabled());
    QCOMPARE(m_pane->results()->query().pattern, QStringLiteral("hit"));
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 2, 20000);
    QCOMPARE(finished.last().at(0).toBool(), false);
    QCOMPARE(m_pane->results()->rowCount(), 2000);
    QCOMPARE(status(),
             QStringLiteral("Done: scanned %1 entries, %2").arg(number(200000), matches(2000)));
}

void TestSearchPane::stopsAtTheLimit()
{
    fillPoison();
    auto *limit = child<QSpinBox>("searchLimit");
    QCOMPARE(limit->value(), 10000);
    gui::retype(limit, QStringLiteral("3"));
    QCOMPARE(limit->value(), 3);
    search(QStringLiteral("poison"));
    QCOMPARE(resultIds(), (QList<QByteArray>{"100-0", "200-0", "300-0"}));
    QVERIFY(m_pane->results()->truncated());
    QCOMPARE(status(), QStringLiteral("Stopped at the limit of 3 matches after scanning 300 "
                                      "entries; there may be more"));
}

void TestSearchPane::activatingAResultEmitsItsId_data()
{
    QTest::addColumn<bool>("doubleClick");
    QTest::newRow("double-click") << true;
    QTest::newRow("Enter") << false;
}

void TestSearchPane::activatingAResultEmitsItsId()
{
    QFETCH(bool, doubleClick);
    fillPoison();
    search(QStringLiteral("poison"));
    QCOMPARE(m_pane->results()->rowCount(), 50);
    QSignalSpy activated(m_pane.get(), &SearchPane::entryActivated);
    auto *view = child<QTableView>("searchResults");
    const QModelIndex third = view->model()->index(2, EntrySearchModel::Value);
    const QPoint at = view->visualRect(third).center();
    if (doubleClick) {
        // A double-click as the window system delivers it: a click, then the second press.
        QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, at);
        QTest::mouseDClick(view->viewport(), Qt::LeftButton, {}, at);
    } else {
        QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, at);
        QCOMPARE(view->currentIndex().row(), 2);
        QTest::keyClick(view, Qt::Key_Return);
    }
    QCOMPARE(activated.size(), 1);
    QCOMPARE(activated.first().first().value<StreamId>(), (StreamId{300, 0}));
}

void TestSearchPane::redisErrorShownVerbatim()
{
    QVERIFY(m_redis.run({RedisCommand{{"SET", "str", "not a stream"}}}));
    makePane("str");
    QSignalSpy finished(m_pane->results(), &EntrySearchModel::finished);
    QTest::keyClicks(child<QLineEdit>("searchPattern"), QStringLiteral("x"));
    clickSearch();
    QTRY_COMPARE(finished.size(), 1);
    const QString redisError = finished.first().at(1).toString();
    QVERIFY2(redisError.startsWith(QLatin1String("WRONGTYPE")), qPrintable(redisError));
    QVERIFY(child<QLabel>("searchError")->isVisible());
    const QStringList lines = error().split(QLatin1Char('\n'));
    QCOMPARE(lines.size(), 2);
    QCOMPARE(lines.at(0), redisError);
    QVERIFY2(lines.at(1).contains(QLatin1String("another type than a stream")),
             qPrintable(lines.at(1)));
    QVERIFY(status().startsWith(QLatin1String("Failed")));
    QVERIFY(!child<QPushButton>("searchCancel")->isEnabled());
}

// Design 004's payloads: text inside gzip + base64, itself inside JSON, is found; the
// pane says that it searches there, and a result found decoded says where.
void TestSearchPane::findsTextInsideEncodedValues()
{
    const QByteArray stats = R"({"type":"session_created","sessionId":"abc123"})";
    const QByteArray nested = R"({"channel":"dashboard-updates","stats":{"data":")"
                              + gzipTool(stats).toBase64() + R"("}})";
    QVERIFY(!nested.contains("session_created"));
    QVERIFY(m_redis.run(
        {RedisCommand{{"XADD", "s", "1-0", "data", nested, "timestamp", "1763800000000"}},
         RedisCommand{{"XADD", "s", "2-0", "data", "session_ended"}},
         RedisCommand{{"XADD", "s", "3-0", "data", gzipTool("Session_Created by hand").toBase64()}},
         RedisCommand{{"XADD", "s", "4-0", "data", "{\"type\":\"session_created\"}"}},
         RedisCommand{{"XADD", "s", "5-0", "data", gzipTool("nothing").toBase64()}}}));

    auto *hint = child<QLabel>("searchDecodedHint");
    QVERIFY(hint->isVisible());
    QVERIFY2(hint->text().contains(QLatin1String("inside base64, gzip and zlib")),
             qPrintable(hint->text()));

    search(QStringLiteral("session_created"));
    QCOMPARE(resultIds(), (QList<QByteArray>{"1-0", "3-0", "4-0"}));
    EntrySearchModel *results = m_pane->results();
    QCOMPARE(results->hitAt(0).decodedWhere, QStringLiteral("$.stats.data: base64 → gzip → JSON"));
    QCOMPARE(results->index(0, EntrySearchModel::Value).data().toString(),
             QStringLiteral("/* $.stats.data: base64 → gzip → JSON */ ")
                 + QString::fromUtf8(stats));
    QCOMPARE(results->hitAt(1).decodedWhere, QStringLiteral("gzip + base64 → text"));
    QCOMPARE(results->hitAt(1).valuePreview, QByteArray("Session_Created by hand"));
    QCOMPARE(results->hitAt(2).decodedWhere, QString()); // found as stored
    QCOMPARE(
        status(),
        QStringLiteral("Done: scanned %1, %2")
            .arg(QCoreApplication::translate("SearchPane", "%Ln entries", nullptr, 5), matches(3)));

    // Match case applies to the decoded text as well.
    gui::clickIndicator(child<QCheckBox>("searchCase"));
    QVERIFY(child<QCheckBox>("searchCase")->isChecked());
    search(QStringLiteral("Session_Created"));
    QCOMPARE(resultIds(), (QList<QByteArray>{"3-0"}));
}

QTEST_MAIN(TestSearchPane)
#include "tst_searchpane.moc"
