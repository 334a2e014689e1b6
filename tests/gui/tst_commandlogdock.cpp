// The command log dock driven as a user would: typing a filter, ticking "Errors only",
// selecting rows and copying them (button and Ctrl+C), clearing; the table follows the
// newest row only while it is scrolled to the bottom. Rows come from a real connection.
#include "guitestsupport.h"

#include "commandlogdock.h"
#include "commandlogmodel.h"

#include <QCheckBox>
#include <QClipboard>
#include <QGuiApplication>
#include <QLabel>
#include <QLineEdit>
#include <QMainWindow>
#include <QPushButton>
#include <QScrollBar>
#include <QTableView>
#include <QtTest>

class TestCommandLogDock : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();

    void showsTheRequests();
    void filterNarrowsRows_data();
    void filterNarrowsRows();
    void errorsOnly();
    void clearEmpties();
    void copyPutsSelectedRowsOnTheClipboard();
    void ctrlCCopiesWhatIsShown();
    void followsTheNewestRowOnlyAtTheBottom();

private:
    template<typename T> T *child(const char *name) const { return gui::child<T>(m_dock, name); }
    QTableView *view() const { return child<QTableView>("commandLogView"); }
    // The Command column as shown, top to bottom.
    QStringList shownCommands() const;
    // Sends the commands one request each, and waits until the log shows them all.
    void send(const QList<QList<QByteArray>> &commands);
    void fill();

    gui::LiveSession m_redis;
    std::unique_ptr<CommandLogModel> m_model;
    std::unique_ptr<QMainWindow> m_window;
    CommandLogDock *m_dock = nullptr; // owned by m_window
};

// Each test on a server of its own, empty, and a log of only the requests it sends.
void TestCommandLogDock::init()
{
    GUI_START_SESSION(m_redis);
    m_model = std::make_unique<CommandLogModel>();
    m_model->attach(m_redis.connection(), QStringLiteral("local"));
    // Docked in a window, as in Weir.
    m_window = std::make_unique<QMainWindow>();
    m_window->setCentralWidget(new QWidget);
    m_dock = new CommandLogDock(m_model.get(), m_window.get());
    m_window->addDockWidget(Qt::BottomDockWidgetArea, m_dock);
    m_window->resize(1000, 500);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    QGuiApplication::clipboard()->clear();
}

void TestCommandLogDock::cleanup()
{
    m_window.reset();
    m_model.reset();
    m_redis.stop();
}

QStringList TestCommandLogDock::shownCommands() const
{
    QStringList commands;
    const QAbstractItemModel *shown = view()->model();
    for (int row = 0; row < shown->rowCount(); ++row)
        commands.append(shown->index(row, CommandLogModel::Command).data().toString());
    return commands;
}

void TestCommandLogDock::send(const QList<QList<QByteArray>> &commands)
{
    const int before = m_model->rowCount();
    for (const QList<QByteArray> &argv : commands)
        m_redis.connection()->send({RedisCommand(argv)}, nullptr, [](const RedisResult &) {});
    QTRY_COMPARE(m_model->rowCount(), before + int(commands.size()));
}

// Six requests, two of them errors.
void TestCommandLogDock::fill()
{
    send({{"SET", "Orders:count", "5"},
          {"XADD", "orders", "*", "item", "book"},
          {"LPUSH", "Orders:count", "x"}, // WRONGTYPE
          {"GET", "Orders:count"},
          {"NOSUCHCOMMAND"},
          {"XLEN", "orders"}});
}

static QStringList strings(std::initializer_list<const char *> texts)
{
    QStringList list;
    for (const char *text : texts)
        list.append(QString::fromUtf8(text));
    return list;
}

void TestCommandLogDock::showsTheRequests()
{
    QCOMPARE(m_dock->windowTitle(), QStringLiteral("Command log"));
    fill();
    QCOMPARE(shownCommands(),
             strings({"SET Orders:count 5", "XADD orders * item book", "LPUSH Orders:count x",
                      "GET Orders:count", "NOSUCHCOMMAND", "XLEN orders"}));
    QCOMPARE(child<QLabel>("commandLogCount")->text(), QStringLiteral("6 entries"));
    QCOMPARE(view()->model()->index(0, CommandLogModel::Connection).data().toString(),
             QStringLiteral("local"));
}

void TestCommandLogDock::filterNarrowsRows_data()
{
    QTest::addColumn<QString>("typed");
    QTest::addColumn<QStringList>("shown");

    QTest::newRow("command, any case")
        << QStringLiteral("orders:COUNT")
        << strings({"SET Orders:count 5", "LPUSH Orders:count x", "GET Orders:count"});
    QTest::newRow("result") << QStringLiteral("wrongtype") << strings({"LPUSH Orders:count x"});
    QTest::newRow("result value") << QStringLiteral("(integer) 1") << strings({"XLEN orders"});
    QTest::newRow("name") << QStringLiteral("xadd") << strings({"XADD orders * item book"});
    QTest::newRow("connection is not searched") << QStringLiteral("local") << QStringList();
    QTest::newRow("nothing") << QStringLiteral("no such text") << QStringList();
}

void TestCommandLogDock::filterNarrowsRows()
{
    QFETCH(QString, typed);
    QFETCH(QStringList, shown);
    fill();
    auto *filter = child<QLineEdit>("commandLogFilter");
    filter->setFocus();
    gui::retype(filter, typed);
    QCOMPARE(shownCommands(), shown);
    QCOMPARE(child<QLabel>("commandLogCount")->text(),
             QStringLiteral("%1 of 6 entries").arg(shown.size()));
    // New rows are filtered too.
    send({{"GET", "orders:COUNT:new"}});
    QCOMPARE(shownCommands().contains(QStringLiteral("GET orders:COUNT:new")),
             typed == QStringLiteral("orders:COUNT"));
    // Emptying the filter shows everything again.
    gui::retype(filter, QString());
    QCOMPARE(shownCommands().size(), 7);
}

void TestCommandLogDock::errorsOnly()
{
    fill();
    auto *errors = child<QCheckBox>("commandLogErrorsOnly");
    gui::clickIndicator(errors);
    QVERIFY(errors->isChecked());
    QCOMPARE(shownCommands(), strings({"LPUSH Orders:count x", "NOSUCHCOMMAND"}));
    const QAbstractItemModel *shown = view()->model();
    QVERIFY(shown->index(0, CommandLogModel::Result)
                .data()
                .toString()
                .startsWith(QLatin1String("(error) WRONGTYPE")));
    // With a filter as well.
    gui::retype(child<QLineEdit>("commandLogFilter"), QStringLiteral("unknown"));
    QCOMPARE(shownCommands(), strings({"NOSUCHCOMMAND"}));
    gui::clickIndicator(errors);
    QVERIFY(!errors->isChecked());
    QCOMPARE(shownCommands(), strings({"NOSUCHCOMMAND"}));
    gui::retype(child<QLineEdit>("commandLogFilter"), QString());
    QCOMPARE(shownCommands().size(), 6);
}

void TestCommandLogDock::clearEmpties()
{
    fill();
    auto *clear = child<QPushButton>("commandLogClear");
    QVERIFY(clear->isEnabled());
    QTest::mouseClick(clear, Qt::LeftButton);
    QCOMPARE(m_model->rowCount(), 0);
    QCOMPARE(view()->model()->rowCount(), 0);
    QCOMPARE(child<QLabel>("commandLogCount")->text(), QStringLiteral("0 entries"));
    QVERIFY(!clear->isEnabled());
    // Logging goes on.
    send({{"PING"}});
    QCOMPARE(shownCommands(), strings({"PING"}));
    QCOMPARE(child<QLabel>("commandLogCount")->text(), QStringLiteral("1 entry"));
}

void TestCommandLogDock::copyPutsSelectedRowsOnTheClipboard()
{
    fill();
    auto *copy = child<QPushButton>("commandLogCopy");
    QVERIFY(!copy->isEnabled()); // nothing selected
    // Click row 4, then Ctrl+click row 1: copied top to bottom all the same.
    QTableView *table = view();
    auto clickRow = [table](int row, Qt::KeyboardModifiers modifiers) {
        const QRect cell = table->visualRect(table->model()->index(row, CommandLogModel::Command));
        QTest::mouseClick(table->viewport(), Qt::LeftButton, modifiers, cell.center());
    };
    clickRow(4, Qt::NoModifier);
    clickRow(1, Qt::ControlModifier);
    QVERIFY(copy->isEnabled());
    QTest::mouseClick(copy, Qt::LeftButton);

    const QStringList lines = QGuiApplication::clipboard()->text().split(QLatin1Char('\n'));
    QCOMPARE(lines.size(), 3); // and a newline after the last
    QVERIFY(lines.last().isEmpty());
    const QStringList xadd = lines.at(0).split(QLatin1Char('\t'));
    const QStringList unknown = lines.at(1).split(QLatin1Char('\t'));
    QCOMPARE(xadd.size(), 5);
    QCOMPARE(unknown.size(), 5);
    QCOMPARE(xadd.at(0),
             m_model->entryAt(1).time.toString(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz")));
    QCOMPARE(xadd.at(1), QStringLiteral("local"));
    QCOMPARE(xadd.at(2), QStringLiteral("XADD orders * item book"));
    QCOMPARE(xadd.at(3), QStringLiteral("%1 ms").arg(m_model->entryAt(1).durationMs));
    QVERIFY2(QRegularExpression(QStringLiteral("^\"\\d+-\\d+\"$")).match(xadd.at(4)).hasMatch(),
             qPrintable(xadd.at(4)));
    QCOMPARE(unknown.at(2), QStringLiteral("NOSUCHCOMMAND"));
    QVERIFY(unknown.at(4).startsWith(QLatin1String("(error) ERR unknown command")));
}

void TestCommandLogDock::ctrlCCopiesWhatIsShown()
{
    fill();
    gui::retype(child<QLineEdit>("commandLogFilter"), QStringLiteral("orders:count"));
    QTableView *table = view();
    table->setFocus();
    QTest::keyClick(table, Qt::Key_A, Qt::ControlModifier);
    QCOMPARE(table->selectionModel()->selectedRows().size(), 3);
    QTest::keyClick(table, Qt::Key_C, Qt::ControlModifier);
    QStringList commands;
    const QStringList lines =
        QGuiApplication::clipboard()->text().split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    for (const QString &line : lines)
        commands.append(line.section(QLatin1Char('\t'), 2, 2));
    QCOMPARE(commands, strings({"SET Orders:count 5", "LPUSH Orders:count x", "GET Orders:count"}));
}

void TestCommandLogDock::followsTheNewestRowOnlyAtTheBottom()
{
    QList<QList<QByteArray>> many;
    for (int i = 0; i < 100; ++i)
        many.append({"ECHO", QByteArray::number(i)});
    send(many);
    QScrollBar *bar = view()->verticalScrollBar();
    QTRY_VERIFY(bar->maximum() > 0);
    QTRY_COMPARE(bar->value(), bar->maximum());
    // More rows: still at the bottom, the newest in view.
    send({{"ECHO", "newest"}});
    QTRY_COMPARE(bar->value(), bar->maximum());
    const QModelIndex newest = view()->model()->index(100, 0);
    QTRY_VERIFY(view()->viewport()->rect().intersects(view()->visualRect(newest)));
    // Scrolled up by the user: stays put.
    QTest::keyClick(view(), Qt::Key_Home, Qt::ControlModifier);
    QTRY_COMPARE(bar->value(), 0);
    send({{"ECHO", "more"}, {"ECHO", "and more"}});
    QCOMPARE(bar->value(), 0);
    // Back at the bottom: follows again.
    QTest::keyClick(view(), Qt::Key_End, Qt::ControlModifier);
    QTRY_COMPARE(bar->value(), bar->maximum());
    send({{"ECHO", "last"}});
    QTRY_COMPARE(bar->value(), bar->maximum());
    const QModelIndex last = view()->model()->index(view()->model()->rowCount() - 1, 0);
    QTRY_VERIFY(view()->viewport()->rect().intersects(view()->visualRect(last)));
}

QTEST_MAIN(TestCommandLogDock)
#include "tst_commandlogdock.moc"
