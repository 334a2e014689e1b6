// Redriving a range of a stream from its inspector, as an operator does it after a consumer
// bug: Review waits for a valid range and target (with the reason), Dry run counts, the
// entries are read and confirmed, and the target receives exactly the range (or the part
// the filter keeps), fields unchanged; the stream itself stays as it was.
#include "guitestsupport.h"

#include "bulkactiondialog.h"
#include "redrivedialog.h"
#include "streaminspector.h"
#include "streamparsers.h"

#include <QComboBox>
#include <QDateTimeEdit>
#include <QLineEdit>
#include <QPushButton>
#include <QtTest>

using Fields = QList<QPair<QByteArray, QByteArray>>;

namespace {
// Stream s: entries <i * 1000>-0 for i = 1..100, kind "a" for odd i and "b" for even,
// n = i.
constexpr int Entries = 100;
Fields fieldsOf(int i)
{
    return {{"kind", i % 2 ? "a" : "b"}, {"n", QByteArray::number(i)}};
}
} // namespace

class TestRedriveDialog : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();
    void refusesBadInputWithTheHint();
    void redrivesAnIdRange();
    void redrivesATimeRangeFiltered();

private:
    RedriveDialog *openDialog();
    // Review…, then the confirmation's button; the bulk dialog at its report.
    BulkActionDialog *run(RedriveDialog *d);
    QList<StreamEntry> entries(const QByteArray &key);
    QString shown(QWidget *w, const char *label)
    {
        return gui::shownText(gui::child<QLabel>(w, label));
    }

    gui::LiveSession m_redis;
    std::unique_ptr<StreamInspector> m_inspector;
};

void TestRedriveDialog::init()
{
    GUI_START_SESSION(m_redis);
    QList<RedisCommand> setup;
    for (int i = 1; i <= Entries; ++i) {
        QList<QByteArray> argv{"XADD", "s", QByteArray::number(i * 1000) + "-0"};
        for (const auto &[name, value] : fieldsOf(i))
            argv << name << value;
        setup.append(RedisCommand{argv});
    }
    QVERIFY(m_redis.run(setup));
    m_inspector = std::make_unique<StreamInspector>(m_redis.session(), "s");
    m_inspector->resize(1100, 650);
    m_inspector->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_inspector.get()));
}

void TestRedriveDialog::cleanup()
{
    m_inspector.reset();
    m_redis.stop();
}

QList<StreamEntry> TestRedriveDialog::entries(const QByteArray &key)
{
    const auto replies = m_redis.run({RedisCommand{{"XRANGE", key, "-", "+"}}});
    if (!replies)
        return {};
    QString error;
    return parseEntries(replies->first(), &error).value_or(QList<StreamEntry>{});
}

RedriveDialog *TestRedriveDialog::openDialog()
{
    QTest::mouseClick(gui::child<QPushButton>(m_inspector.get(), "redrive"), Qt::LeftButton);
    auto *d = m_inspector->findChild<RedriveDialog *>(QStringLiteral("redriveDialog"));
    if (d)
        d->setPageSize(7); // several pages, and a range end inside one
    return d && QTest::qWaitForWindowExposed(d) ? d : nullptr;
}

BulkActionDialog *TestRedriveDialog::run(RedriveDialog *d)
{
    auto *review = gui::child<QPushButton>(d, "redriveReview");
    if (!review->isEnabled())
        return nullptr;
    QTest::mouseClick(review, Qt::LeftButton);
    auto *run = d->findChild<BulkActionDialog *>(QStringLiteral("redriveRun"));
    // The entries are read first; the confirmation follows.
    if (!run || !QTest::qWaitFor([&] { return gui::child<QPushButton>(run, "go")->isVisible(); }))
        return nullptr;
    QTest::mouseClick(gui::child<QPushButton>(run, "go"), Qt::LeftButton);
    if (!QTest::qWaitFor([&] {
            return gui::child<QPushButton>(run, "close")->text() == QLatin1String("Close");
        }))
        return nullptr;
    return run;
}

void TestRedriveDialog::refusesBadInputWithTheHint()
{
    RedriveDialog *d = openDialog();
    QVERIFY(d);
    auto *review = gui::child<QPushButton>(d, "redriveReview");
    auto *hint = gui::child<QLabel>(d, "redriveHint");
    auto *target = gui::child<QLineEdit>(d, "redriveTarget");
    QVERIFY(!review->isEnabled());
    QCOMPARE(hint->text(), QStringLiteral("Name the stream to copy the entries to."));
    QVERIFY(!hint->styleSheet().contains(QLatin1String("color"))); // a hint, not an error
    QTest::keyClick(target, Qt::Key_Return);
    QVERIFY(hint->styleSheet().contains(QLatin1String("color"))); // tried: now an error
    QTest::keyClicks(target, QStringLiteral("s"));
    QVERIFY(!review->isEnabled());
    QVERIFY2(hint->text().startsWith(QLatin1String("The target must be another stream")),
             qPrintable(hint->text()));
    QTest::keyClicks(target, QStringLiteral("-retry"));
    QVERIFY(review->isEnabled());
    QVERIFY(hint->text().isEmpty());

    auto *from = gui::child<QLineEdit>(d, "redriveFromId");
    QTest::keyClicks(from, QStringLiteral("12x"));
    QVERIFY(!review->isEnabled());
    QVERIFY2(hint->text().startsWith(QLatin1String("From is not a stream id")),
             qPrintable(hint->text()));
    gui::retype(from, QStringLiteral("5000"));
    QTest::keyClicks(gui::child<QLineEdit>(d, "redriveToId"), QStringLiteral("4000-0"));
    QVERIFY(!review->isEnabled());
    QCOMPARE(hint->text(), QStringLiteral("From is after To: the range holds nothing."));
    gui::retype(gui::child<QLineEdit>(d, "redriveToId"), QStringLiteral("+"));
    QVERIFY(review->isEnabled());

    QTest::keyClicks(gui::child<QLineEdit>(d, "redriveField"), QStringLiteral("kind"));
    QVERIFY(!review->isEnabled());
    QCOMPARE(hint->text(), QStringLiteral("Say what the field \"kind\" must contain, or clear the "
                                          "field name."));
    QTest::keyClicks(gui::child<QLineEdit>(d, "redriveText"), QStringLiteral("b"));
    QVERIFY(review->isEnabled());
    d->close();
    QCOMPARE(entries("s-retry").size(), 0);
}

void TestRedriveDialog::redrivesAnIdRange()
{
    RedriveDialog *d = openDialog();
    QVERIFY(d);
    QTest::keyClicks(gui::child<QLineEdit>(d, "redriveFromId"), QStringLiteral("10000"));
    QTest::keyClicks(gui::child<QLineEdit>(d, "redriveToId"), QStringLiteral("30000-0"));
    QTest::keyClicks(gui::child<QLineEdit>(d, "redriveTarget"), QStringLiteral("s-retry"));
    QTest::mouseClick(gui::child<QPushButton>(d, "redriveDryRun"), Qt::LeftButton);
    QTRY_VERIFY2(
        shown(d, "redriveCount").contains(QLatin1String("21 entries in the range would be copied")),
        qPrintable(shown(d, "redriveCount")));
    QCOMPARE(entries("s-retry").size(), 0); // a dry run writes nothing

    QSignalSpy redriven(d, &RedriveDialog::redriven);
    BulkActionDialog *bulk = run(d);
    QVERIFY(bulk);
    QVERIFY2(shown(bulk, "report").contains(QLatin1String("Done: 21 entries")),
             qPrintable(shown(bulk, "report")));
    QCOMPARE(redriven.size(), 1);
    QCOMPARE(redriven.first().first().toByteArray(), QByteArray("s-retry"));
    const QList<StreamEntry> copied = entries("s-retry");
    QCOMPARE(copied.size(), 21);
    for (int k = 0; k < 21; ++k)
        QCOMPARE(copied.at(k).fields, fieldsOf(10 + k));
    QCOMPARE(entries("s").size(), Entries);
}

void TestRedriveDialog::redrivesATimeRangeFiltered()
{
    RedriveDialog *d = openDialog();
    QVERIFY(d);
    auto *kind = gui::child<QComboBox>(d, "redriveKind");
    QTest::mouseClick(kind, Qt::LeftButton);
    QTest::keyClick(kind, Qt::Key_Down);
    QTest::keyClick(kind, Qt::Key_Return);
    QCOMPARE(kind->currentIndex(), 1);
    auto *from = gui::child<QDateTimeEdit>(d, "redriveFrom");
    auto *to = gui::child<QDateTimeEdit>(d, "redriveTo");
    QVERIFY(from->isVisible());
    // Seconds 40 to 60 since the epoch: entries 40 .. 60 (To takes in its whole second,
    // so 60,999 ms would count too).
    from->setDateTime(QDateTime::fromMSecsSinceEpoch(40'000, Qt::UTC).toLocalTime());
    to->setDateTime(QDateTime::fromMSecsSinceEpoch(60'000, Qt::UTC).toLocalTime());
    QTest::keyClicks(gui::child<QLineEdit>(d, "redriveField"), QStringLiteral("kind"));
    QTest::keyClicks(gui::child<QLineEdit>(d, "redriveText"), QStringLiteral("b"));
    QTest::keyClicks(gui::child<QLineEdit>(d, "redriveTarget"), QStringLiteral("s-retry"));
    QTest::mouseClick(gui::child<QPushButton>(d, "redriveDryRun"), Qt::LeftButton);
    QTRY_VERIFY2(
        shown(d, "redriveCount").contains(QLatin1String("11 of the 21 entries in the range match")),
        qPrintable(shown(d, "redriveCount")));

    BulkActionDialog *bulk = run(d);
    QVERIFY(bulk);
    QVERIFY2(shown(bulk, "report").contains(QLatin1String("Done: 11 entries")),
             qPrintable(shown(bulk, "report")));
    const QList<StreamEntry> copied = entries("s-retry");
    QCOMPARE(copied.size(), 11);
    for (int k = 0; k < 11; ++k)
        QCOMPARE(copied.at(k).fields, fieldsOf(40 + 2 * k));
    QCOMPARE(entries("s").size(), Entries);
}

QTEST_MAIN(TestRedriveDialog)
#include "tst_redrivedialog.moc"
