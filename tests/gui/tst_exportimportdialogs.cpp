// Export and import from the stream inspector as an operator does them: bad input keeps
// Export / Review disabled with the reason, a good export lands on disk with the entries
// Redis holds, an import lands in Redis byte for byte after a confirmation with its exact
// command shape, and the confirmations of delete and trim offer "Back up first…", which
// opens the export set to the entries they touch.
#include "guitestsupport.h"

#include "bulkactiondialog.h"
#include "entrylistmodel.h"
#include "exportdialog.h"
#include "importdialog.h"
#include "streamexport.h"
#include "streaminspector.h"
#include "trimdialog.h"

#include <QComboBox>
#include <QDateTimeEdit>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QTableView>
#include <QTemporaryDir>
#include <QtTest>

class TestExportImportDialogs : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();
    void exportRefusesBadInputWithTheReason();
    void exportsAnIdRangeToDisk();
    void exportsTheSelectedEntries();
    void importRefusesBadInputWithTheReason();
    void importsIntoAnotherStreamByteForByte();
    void importsWithTheFilesIds();
    void deleteOffersABackupOfTheSelectedEntries();
    void trimOffersABackupOfWhatGoes();

private:
    ExportDialog *openExport();
    ImportDialog *openImport();
    void choose(QComboBox *combo, int index);
    QList<StreamEntry> entries(const QByteArray &key);
    QList<StreamEntry> fileEntries(const QString &path);
    void selectRows(const QList<int> &rows);
    QString file(const QString &name) const { return m_dir.filePath(name); }
    static QString shown(QWidget *dialog, const char *label)
    {
        return gui::shownText(gui::child<QLabel>(dialog, label));
    }

    QTemporaryDir m_dir;
    gui::LiveSession m_redis;
    std::unique_ptr<StreamInspector> m_inspector;
};

// 50 entries 10-0 .. 500-0, each with text, binary and an empty value; group g has read
// (and holds pending) the first 10.
void TestExportImportDialogs::init()
{
    QVERIFY(m_dir.isValid());
    GUI_START_SESSION(m_redis);
    QList<RedisCommand> setup;
    for (int i = 1; i <= 50; ++i)
        setup.append(RedisCommand{{"XADD", "s", QByteArray::number(i * 10) + "-0", "n",
                                   QByteArray::number(i), "bin",
                                   QByteArray::fromHex("00ff80") + char(i), "empty", ""}});
    setup.append(RedisCommand{{"XGROUP", "CREATE", "s", "g", "0"}});
    setup.append(
        RedisCommand{{"XREADGROUP", "GROUP", "g", "c", "COUNT", "10", "STREAMS", "s", ">"}});
    QVERIFY(m_redis.run(setup));
    m_inspector = std::make_unique<StreamInspector>(m_redis.session(), "s");
    m_inspector->resize(1200, 650);
    m_inspector->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_inspector.get()));
    QTRY_COMPARE(m_inspector->entries()->rowCount(), 50);
}

void TestExportImportDialogs::cleanup()
{
    m_inspector.reset();
    m_redis.stop();
}

QList<StreamEntry> TestExportImportDialogs::entries(const QByteArray &key)
{
    const auto replies = m_redis.run({RedisCommand{{"XRANGE", key, "-", "+"}}});
    QString error;
    const auto parsed = replies ? parseEntries(replies->first(), &error) : std::nullopt;
    return parsed.value_or(QList<StreamEntry>());
}

// The entries of an export file, read line by line with the format's decoder.
QList<StreamEntry> TestExportImportDialogs::fileEntries(const QString &path)
{
    QList<StreamEntry> read;
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return read;
    while (!f.atEnd()) {
        StreamEntry e;
        const QByteArray line = f.readLine().chopped(1);
        if (StreamExport::decodeLine(line, &e).isEmpty())
            read.append(e);
        else
            qWarning("bad line %s", line.constData());
    }
    return read;
}

ExportDialog *TestExportImportDialogs::openExport()
{
    QTest::mouseClick(gui::child<QPushButton>(m_inspector.get(), "export"), Qt::LeftButton);
    auto *d = m_inspector->findChild<ExportDialog *>(QStringLiteral("exportDialog"));
    if (d)
        [d] { QVERIFY(QTest::qWaitForWindowExposed(d)); }();
    return d;
}

ImportDialog *TestExportImportDialogs::openImport()
{
    QTest::mouseClick(gui::child<QPushButton>(m_inspector.get(), "import"), Qt::LeftButton);
    auto *d = m_inspector->findChild<ImportDialog *>(QStringLiteral("importDialog"));
    if (d)
        [d] { QVERIFY(QTest::qWaitForWindowExposed(d)); }();
    return d;
}

// Picks an item with the keyboard, as a user who tabs to the combo box and presses arrows.
void TestExportImportDialogs::choose(QComboBox *combo, int index)
{
    combo->setFocus();
    while (combo->currentIndex() < index)
        QTest::keyClick(combo, Qt::Key_Down);
    while (combo->currentIndex() > index)
        QTest::keyClick(combo, Qt::Key_Up);
}

// Clicks the first row, then Ctrl-clicks the others.
void TestExportImportDialogs::selectRows(const QList<int> &rows)
{
    QTableView *view = m_inspector->entriesView();
    for (int i = 0; i < rows.size(); ++i) {
        const QRect rect = view->visualRect(m_inspector->entries()->index(rows.at(i), 0));
        QTest::mouseClick(view->viewport(), Qt::LeftButton,
                          i == 0 ? Qt::KeyboardModifiers() : Qt::ControlModifier, rect.center());
    }
    QCOMPARE(view->selectionModel()->selectedRows().size(), rows.size());
}

void TestExportImportDialogs::exportRefusesBadInputWithTheReason()
{
    ExportDialog *d = openExport();
    QVERIFY(d);
    auto *ok = gui::child<QPushButton>(d, "exportOk");
    auto *hint = gui::child<QLabel>(d, "exportHint");
    auto *path = gui::child<QLineEdit>(d, "exportPath");
    const auto refused = [&](const char *why) {
        QVERIFY2(!ok->isEnabled(), why);
        QVERIFY2(hint->isVisible() && hint->text().contains(QLatin1String(why)),
                 qPrintable(hint->text()));
    };
    QVERIFY(ok->isEnabled()); // all entries, to a file named after the stream
    QVERIFY(path->text().endsWith(QLatin1String(".jsonl")));
    QCOMPARE(gui::errorStyledText(d), QString());
    gui::retype(path, QString());
    refused("Name the file to write.");
    QCOMPARE(gui::errorStyledText(d), QStringLiteral("Name the file to write."));
    gui::retype(path, file(QStringLiteral("no/such/folder/out.jsonl")));
    refused("does not exist");
    gui::retype(path, m_dir.path());
    refused("is a folder");
    gui::retype(path, file(QStringLiteral("out.jsonl")));
    QVERIFY(ok->isEnabled());
    QVERIFY(!hint->isVisible());

    choose(gui::child<QComboBox>(d, "exportScope"), 1); // an id range
    auto *from = gui::child<QLineEdit>(d, "exportFromId");
    auto *to = gui::child<QLineEdit>(d, "exportToId");
    QVERIFY(from->isVisible());
    QVERIFY(ok->isEnabled()); // empty bounds: from the oldest to the newest
    QTest::keyClicks(from, QStringLiteral("yesterday"));
    refused("The first id must be");
    gui::retype(from, QStringLiteral("300-0"));
    QTest::keyClicks(to, QStringLiteral("100-0"));
    refused("The range ends before it starts.");
    gui::retype(to, QStringLiteral("400"));
    QVERIFY(ok->isEnabled());

    choose(gui::child<QComboBox>(d, "exportScope"), 2); // a time range
    QVERIFY(!from->isVisible());
    auto *toTime = gui::child<QDateTimeEdit>(d, "exportToTime");
    toTime->setFocus();
    QTest::keyClick(toTime, Qt::Key_Home); // the year
    QTest::keyClick(toTime, Qt::Key_Down); // a year back: before the start
    refused("The time range ends before it starts.");
    QVERIFY(!QFile::exists(file(QStringLiteral("out.jsonl")))); // nothing was written
}

void TestExportImportDialogs::exportsAnIdRangeToDisk()
{
    ExportDialog *d = openExport();
    QVERIFY(d);
    choose(gui::child<QComboBox>(d, "exportScope"), 1);
    QTest::keyClicks(gui::child<QLineEdit>(d, "exportFromId"), QStringLiteral("100-0"));
    QTest::keyClicks(gui::child<QLineEdit>(d, "exportToId"), QStringLiteral("200"));
    const QString path = file(QStringLiteral("range.jsonl"));
    gui::retype(gui::child<QLineEdit>(d, "exportPath"), path);
    auto *ok = gui::child<QPushButton>(d, "exportOk");
    QVERIFY(ok->isEnabled());
    QTest::mouseClick(ok, Qt::LeftButton);
    QTRY_VERIFY2(shown(d, "exportOutcome").startsWith(QLatin1String("Exported 11 entries to ")),
                 qPrintable(shown(d, "exportOutcome")));
    QVERIFY(shown(d, "exportOutcome").contains(QDir::toNativeSeparators(path)));
    const QList<StreamEntry> written = fileEntries(path);
    const QList<StreamEntry> held = entries("s").mid(9, 11); // 100-0 .. 200-0
    QCOMPARE(written.size(), 11);
    for (int i = 0; i < written.size(); ++i) {
        QCOMPARE(written.at(i).id, held.at(i).id);
        QCOMPARE(written.at(i).fields, held.at(i).fields);
    }
    QCOMPARE(gui::child<QPushButton>(d, "exportClose")->text(), QStringLiteral("Close"));
}

void TestExportImportDialogs::exportsTheSelectedEntries()
{
    selectRows({0, 3, 4}); // newest first: 500-0, 470-0, 460-0
    ExportDialog *d = openExport();
    QVERIFY(d);
    auto *scope = gui::child<QComboBox>(d, "exportScope");
    QCOMPARE(scope->currentText(), QStringLiteral("The 3 selected entries"));
    const QString path = file(QStringLiteral("selected.jsonl"));
    gui::retype(gui::child<QLineEdit>(d, "exportPath"), path);
    QTest::mouseClick(gui::child<QPushButton>(d, "exportOk"), Qt::LeftButton);
    QTRY_VERIFY(shown(d, "exportOutcome").startsWith(QLatin1String("Exported 3 entries")));
    const QList<StreamEntry> written = fileEntries(path);
    QCOMPARE(written.size(), 3);
    QCOMPARE(written.at(0).id.toByteArray(), QByteArray("460-0"));
    QCOMPARE(written.at(2).id.toByteArray(), QByteArray("500-0"));
    QCOMPARE(written.at(2).fields, entries("s").last().fields);
}

void TestExportImportDialogs::importRefusesBadInputWithTheReason()
{
    ImportDialog *d = openImport();
    QVERIFY(d);
    auto *ok = gui::child<QPushButton>(d, "importOk");
    auto *hint = gui::child<QLabel>(d, "importHint");
    auto *path = gui::child<QLineEdit>(d, "importPath");
    const auto refused = [&](const char *why) {
        QTRY_VERIFY2(hint->isVisible() && hint->text().contains(QLatin1String(why)),
                     qPrintable(hint->text()));
        QVERIFY2(!ok->isEnabled(), why);
    };
    QCOMPARE(gui::child<QLineEdit>(d, "importStream")->text(), QStringLiteral("s"));
    refused("Name the file to import.");
    // A hint on opening; Enter with no file is trying to go on: an error.
    QCOMPARE(gui::errorStyledText(d), QString());
    QTest::keyClick(path, Qt::Key_Return);
    QCOMPARE(gui::errorStyledText(d), QStringLiteral("Name the file to import."));
    QTest::keyClicks(path, file(QStringLiteral("missing.jsonl")));
    refused("There is no file");

    const QString bad = file(QStringLiteral("bad.jsonl"));
    {
        QFile f(bad);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(StreamExport::encodeLine("1-0", {{"a", "b"}}) + '\n' + "\n"
                + R"({"id":"3-0","fields":[]})" + '\n');
    }
    gui::retype(path, bad);
    refused("Line 3: \"fields\" is empty");

    const QString good = file(QStringLiteral("good.jsonl"));
    {
        QFile f(good);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(StreamExport::encodeLine("100-0", {{"a", "b"}}) + '\n'
                + StreamExport::encodeLine("600-0", {{"a", "c"}}) + '\n');
    }
    gui::retype(path, good);
    QTRY_VERIFY(ok->isEnabled());
    QCOMPARE(shown(d, "importFileSummary"), QStringLiteral("2 entries, ids 100-0 … 600-0."));
    auto *stream = gui::child<QLineEdit>(d, "importStream");
    gui::retype(stream, QString());
    refused("Name the stream to import into.");
    gui::retype(stream, QStringLiteral("s"));
    QTRY_VERIFY(ok->isEnabled());
    // The file's ids: s has gone past 100-0 already.
    gui::clickIndicator(gui::child<QRadioButton>(d, "importOriginalIds"));
    refused("The file's first id, 100-0, is not greater than the last id of s, 500-0");
    gui::retype(stream, QStringLiteral("fresh"));
    QTRY_VERIFY(ok->isEnabled());
    // A key of another type: Redis's error, verbatim.
    QVERIFY(m_redis.run({RedisCommand{{"SET", "plain", "x"}}}));
    gui::retype(stream, QStringLiteral("plain"));
    refused("WRONGTYPE");
    QCOMPARE(entries("fresh").size(), 0); // nothing was sent
}

void TestExportImportDialogs::importsIntoAnotherStreamByteForByte()
{
    const QString path = file(QStringLiteral("all.jsonl"));
    ExportDialog *e = openExport();
    QVERIFY(e);
    gui::retype(gui::child<QLineEdit>(e, "exportPath"), path);
    QTest::mouseClick(gui::child<QPushButton>(e, "exportOk"), Qt::LeftButton);
    QTRY_VERIFY(shown(e, "exportOutcome").startsWith(QLatin1String("Exported 50 entries")));
    QTest::mouseClick(gui::child<QPushButton>(e, "exportClose"), Qt::LeftButton);

    ImportDialog *d = openImport();
    QVERIFY(d);
    QTest::keyClicks(gui::child<QLineEdit>(d, "importPath"), path);
    gui::retype(gui::child<QLineEdit>(d, "importStream"), QStringLiteral("copy"));
    auto *ok = gui::child<QPushButton>(d, "importOk");
    QTRY_VERIFY(ok->isEnabled());
    QTest::mouseClick(ok, Qt::LeftButton);
    auto *run = d->findChild<BulkActionDialog *>(QStringLiteral("importRun"));
    QVERIFY(run);
    QTRY_VERIFY(run->isVisible());
    const QString commands = gui::child<QPlainTextEdit>(run, "commands")->toPlainText();
    QVERIFY2(commands.startsWith(QStringLiteral("XADD copy * n 1 bin \"\\x00\\xff\\x80\\x01\" "
                                                "empty … (+1 more)\n")),
             qPrintable(commands));
    QVERIFY2(commands.endsWith(QStringLiteral("… and 46 more")), qPrintable(commands));
    QVERIFY(gui::shownText(gui::child<QLabel>(run, "what"))
                .contains(QLatin1String("Add 50 entries from all.jsonl to copy, with new ids.")));
    auto *go = gui::child<QPushButton>(run, "go");
    QCOMPARE(go->text(), QStringLiteral("Import 50 entries"));
    QCOMPARE(entries("copy").size(), 0);
    QTest::mouseClick(go, Qt::LeftButton);
    QTRY_VERIFY2(gui::shownText(gui::child<QLabel>(run, "report"))
                     .startsWith(QLatin1String("Imported 50 entries into copy, ids ")),
                 qPrintable(gui::shownText(gui::child<QLabel>(run, "report"))));
    const QList<StreamEntry> source = entries("s");
    const QList<StreamEntry> copy = entries("copy");
    QCOMPARE(copy.size(), 50);
    for (int i = 0; i < 50; ++i)
        QCOMPARE(copy.at(i).fields, source.at(i).fields);
}

void TestExportImportDialogs::importsWithTheFilesIds()
{
    const QString path = file(QStringLiteral("orig.jsonl"));
    ExportDialog *e = openExport();
    QVERIFY(e);
    gui::retype(gui::child<QLineEdit>(e, "exportPath"), path);
    QTest::mouseClick(gui::child<QPushButton>(e, "exportOk"), Qt::LeftButton);
    QTRY_VERIFY(shown(e, "exportOutcome").startsWith(QLatin1String("Exported 50 entries")));
    e->close();

    ImportDialog *d = openImport();
    QVERIFY(d);
    QTest::keyClicks(gui::child<QLineEdit>(d, "importPath"), path);
    gui::retype(gui::child<QLineEdit>(d, "importStream"), QStringLiteral("restored"));
    gui::clickIndicator(gui::child<QRadioButton>(d, "importOriginalIds"));
    auto *ok = gui::child<QPushButton>(d, "importOk");
    QTRY_VERIFY(ok->isEnabled());
    QTest::mouseClick(ok, Qt::LeftButton);
    auto *run = d->findChild<BulkActionDialog *>(QStringLiteral("importRun"));
    QVERIFY(run);
    QTRY_VERIFY(run->isVisible());
    QVERIFY(gui::child<QPlainTextEdit>(run, "commands")
                ->toPlainText()
                .startsWith(QLatin1String("XADD restored 10-0 n 1 ")));
    QTest::mouseClick(gui::child<QPushButton>(run, "go"), Qt::LeftButton);
    QTRY_VERIFY2(gui::shownText(gui::child<QLabel>(run, "report"))
                     .startsWith(QStringLiteral("Imported 50 entries into restored, ids 10-0 … "
                                                "500-0.")),
                 qPrintable(gui::shownText(gui::child<QLabel>(run, "report"))
                            + gui::shownText(gui::child<QLabel>(run, "error"))
                            + gui::shownText(gui::child<QLabel>(run, "progressText"))));
    const QList<StreamEntry> source = entries("s");
    const QList<StreamEntry> restored = entries("restored");
    QCOMPARE(restored.size(), 50);
    for (int i = 0; i < 50; ++i) {
        QCOMPARE(restored.at(i).id, source.at(i).id);
        QCOMPARE(restored.at(i).fields, source.at(i).fields);
    }
    // Behind the report, the dialog has read the stream's new last id: the same file cannot
    // go in again with its ids.
    QTest::mouseClick(gui::child<QPushButton>(run, "close"), Qt::LeftButton);
    QTRY_VERIFY(gui::child<QLabel>(d, "importHint")
                    ->text()
                    .contains(QLatin1String("is not greater than the last id of restored, 500-0")));
    QVERIFY(!ok->isEnabled());
}

void TestExportImportDialogs::deleteOffersABackupOfTheSelectedEntries()
{
    selectRows({1, 2}); // 490-0, 480-0
    QTest::mouseClick(gui::child<QPushButton>(m_inspector.get(), "deleteEntries"), Qt::LeftButton);
    auto *confirm = m_inspector->findChild<BulkActionDialog *>(QStringLiteral("deleteDialog"));
    QVERIFY(confirm);
    auto *backUp = gui::child<QPushButton>(confirm, "backUp");
    QTRY_VERIFY(backUp->isVisible());
    QTest::mouseClick(backUp, Qt::LeftButton);
    auto *d = confirm->findChild<ExportDialog *>(QStringLiteral("backupDialog"));
    QVERIFY(d);
    QVERIFY(QTest::qWaitForWindowExposed(d));
    QCOMPARE(gui::child<QComboBox>(d, "exportScope")->currentText(),
             QStringLiteral("The 2 selected entries"));
    const QString path = file(QStringLiteral("before-delete.jsonl"));
    gui::retype(gui::child<QLineEdit>(d, "exportPath"), path);
    QTest::mouseClick(gui::child<QPushButton>(d, "exportOk"), Qt::LeftButton);
    QTRY_VERIFY(shown(d, "exportOutcome").startsWith(QLatin1String("Exported 2 entries")));
    const QList<StreamEntry> saved = fileEntries(path);
    QCOMPARE(saved.size(), 2);
    QCOMPARE(saved.at(0).id.toByteArray(), QByteArray("480-0"));
    QCOMPARE(saved.at(1).id.toByteArray(), QByteArray("490-0"));
    d->close();
    // The deletion still waits for its own button.
    QCOMPARE(entries("s").size(), 50);
    QTest::mouseClick(gui::child<QPushButton>(confirm, "go"), Qt::LeftButton);
    QTRY_COMPARE(entries("s").size(), 48);
    QVERIFY(!backUp->isVisible()); // the report offers no backup of what is gone
}

void TestExportImportDialogs::trimOffersABackupOfWhatGoes()
{
    QTest::mouseClick(gui::child<QPushButton>(m_inspector.get(), "trim"), Qt::LeftButton);
    auto *trim = m_inspector->findChild<TrimDialog *>(QStringLiteral("trimDialog"));
    QVERIFY(trim);
    QTest::keyClicks(gui::child<QLineEdit>(trim, "trimThreshold"), QStringLiteral("40"));
    auto *ok = gui::child<QPushButton>(trim, "trimOk");
    QTRY_VERIFY(ok->isEnabled());
    QTest::mouseClick(ok, Qt::LeftButton);
    auto *confirm = trim->findChild<BulkActionDialog *>(QStringLiteral("trimRun"));
    QVERIFY(confirm);
    auto *backUp = gui::child<QPushButton>(confirm, "backUp");
    QTRY_VERIFY(backUp->isVisible());
    QTest::mouseClick(backUp, Qt::LeftButton);
    auto *d = confirm->findChild<ExportDialog *>(QStringLiteral("backupDialog"));
    QVERIFY(d);
    QCOMPARE(gui::child<QComboBox>(d, "exportScope")->currentText(), QStringLiteral("An id range"));
    QCOMPARE(gui::child<QLineEdit>(d, "exportFromId")->text(), QString());
    QCOMPARE(gui::child<QLineEdit>(d, "exportToId")->text(), QStringLiteral("100-0"));
    const QString path = file(QStringLiteral("before-trim.jsonl"));
    gui::retype(gui::child<QLineEdit>(d, "exportPath"), path);
    QTest::mouseClick(gui::child<QPushButton>(d, "exportOk"), Qt::LeftButton);
    QTRY_VERIFY(shown(d, "exportOutcome").startsWith(QLatin1String("Exported 10 entries")));
    d->close();
    QTest::mouseClick(gui::child<QPushButton>(confirm, "go"), Qt::LeftButton);
    QTRY_COMPARE(entries("s").size(), 40);
    // What the trim removed is what the backup holds.
    const QList<StreamEntry> saved = fileEntries(path);
    QCOMPARE(saved.size(), 10);
    QCOMPARE(saved.last().id.toByteArray(), QByteArray("100-0"));
    QCOMPARE(entries("s").first().id.toByteArray(), QByteArray("110-0"));
}

QTEST_MAIN(TestExportImportDialogs)
#include "tst_exportimportdialogs.moc"
