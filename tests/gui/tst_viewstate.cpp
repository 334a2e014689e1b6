// keepColumnWidths(), offscreen: a table's first rows size its columns so nothing is cut,
// a column the user drags wider stays wider in the next view with the same key, and a
// big table is measured on its first rows only.
#include "guitestsupport.h"

#include "viewstate.h"

#include <QHeaderView>
#include <QMouseEvent>
#include <QSettings>
#include <QStandardItemModel>
#include <QTableView>
#include <QTemporaryDir>
#include <QtTest>

#include <memory>

namespace {

QList<QStandardItem *> row(const QStringList &texts)
{
    QList<QStandardItem *> items;
    for (const QString &text : texts)
        items << new QStandardItem(text);
    return items;
}

void fill(QStandardItemModel *model)
{
    model->appendRow(row({QStringLiteral("orders:dead-letters"), QStringLiteral("257"),
                          QStringLiteral("1733560000000-0 (3 minutes ago)"),
                          QStringLiteral("billing, shipping, audit")}));
    model->appendRow(
        row({QStringLiteral("a"), QStringLiteral("1"), QStringLiteral("b"), QStringLiteral("c")}));
}

// The width a column needs: its widest measured cell or its header, whichever is wider.
int neededWidth(QTableView *view, int column)
{
    // QTableView hides sizeHintForColumn(); QAbstractItemView offers it.
    const QAbstractItemView *cells = view;
    return qMax(view->horizontalHeader()->sectionSizeHint(column),
                cells->sizeHintForColumn(column));
}

// Drags the right edge of `column` by `dx` pixels, as a user does with the mouse.
void dragColumnEdge(QHeaderView *header, int column, int dx)
{
    QWidget *viewport = header->viewport();
    const QPoint from(header->sectionViewportPosition(column) + header->sectionSize(column) - 1,
                      header->height() / 2);
    const QPoint to = from + QPoint(dx, 0);
    auto send = [viewport](QEvent::Type type, const QPoint &at, Qt::MouseButtons buttons) {
        QMouseEvent event(type, at, viewport->mapToGlobal(at),
                          type == QEvent::MouseMove ? Qt::NoButton : Qt::LeftButton, buttons,
                          Qt::NoModifier);
        QApplication::sendEvent(viewport, &event);
    };
    send(QEvent::MouseMove, from, Qt::NoButton);
    send(QEvent::MouseButtonPress, from, Qt::LeftButton);
    send(QEvent::MouseMove, from + QPoint(dx / 2, 0), Qt::LeftButton);
    send(QEvent::MouseMove, to, Qt::LeftButton);
    send(QEvent::MouseButtonRelease, to, Qt::NoButton);
}

} // namespace

class TestViewState : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();
    void firstRowsSizeTheColumnsToTheirContents();
    void aUserResizeIsKeptForTheNextView();
    void aBigTableIsMeasuredOnItsFirstRows();

private:
    std::unique_ptr<QTableView> makeView(QStandardItemModel *model, const QString &key);

    QTemporaryDir m_dir;
    std::unique_ptr<QSettings> m_settings;
};

void TestViewState::init()
{
    QVERIFY(m_dir.isValid());
    m_settings = std::make_unique<QSettings>(m_dir.filePath(QStringLiteral("weir.ini")),
                                             QSettings::IniFormat);
    m_settings->clear();
    setColumnWidthSettings(m_settings.get());
}

void TestViewState::cleanup()
{
    setColumnWidthSettings(nullptr);
    m_settings.reset();
}

std::unique_ptr<QTableView> TestViewState::makeView(QStandardItemModel *model, const QString &key)
{
    auto view = std::make_unique<QTableView>();
    view->setModel(model);
    keepColumnWidths(view.get(), key);
    view->resize(900, 300);
    view->show();
    if (!QTest::qWaitForWindowExposed(view.get()))
        return {};
    return view;
}

void TestViewState::firstRowsSizeTheColumnsToTheirContents()
{
    QStandardItemModel model(0, 4);
    model.setHorizontalHeaderLabels({QStringLiteral("Stream"), QStringLiteral("Dead letters"),
                                     QStringLiteral("Last entry"), QStringLiteral("Groups")});
    const auto view = makeView(&model, QStringLiteral("test/overview"));
    QVERIFY(view);
    fill(&model); // the rows come after the view is on screen, as a scan's do
    QHeaderView *header = view->horizontalHeader();
    QTRY_VERIFY2(header->sectionSize(2) >= neededWidth(view.get(), 2),
                 qPrintable(QString::number(header->sectionSize(2))));
    for (int column = 0; column < model.columnCount(); ++column) {
        QVERIFY2(header->sectionSize(column) >= neededWidth(view.get(), column),
                 qPrintable(QStringLiteral("column %1: %2 < %3")
                                .arg(column)
                                .arg(header->sectionSize(column))
                                .arg(neededWidth(view.get(), column))));
    }
    // The table is narrower than the view: the last column takes the rest.
    QCOMPARE(header->sectionViewportPosition(3) + header->sectionSize(3),
             view->viewport()->width());
    // A detail filled in later (the overview loads a stream's last entry after listing it)
    // widens its column again.
    model.item(1, 1)->setText(QStringLiteral("12 345 678 dead letters"));
    QTRY_VERIFY(header->sectionSize(1) >= neededWidth(view.get(), 1));
    QVERIFY(header->sectionSize(1)
            > view->fontMetrics().horizontalAdvance(QStringLiteral("12 345 678 dead letters")));
    // Sizing to contents is not the user's choice: nothing is kept.
    QVERIFY(!m_settings->contains(QStringLiteral("test/overview")));
}

void TestViewState::aUserResizeIsKeptForTheNextView()
{
    QStandardItemModel model(0, 4);
    fill(&model);
    int widened = 0;
    {
        const auto view = makeView(&model, QStringLiteral("test/kept"));
        QVERIFY(view);
        QHeaderView *header = view->horizontalHeader();
        QTRY_VERIFY(header->sectionSize(0) >= neededWidth(view.get(), 0));
        const int before = header->sectionSize(0);
        dragColumnEdge(header, 0, 60);
        widened = header->sectionSize(0);
        QVERIFY2(widened >= before + 50,
                 qPrintable(QStringLiteral("%1 -> %2").arg(before).arg(widened)));
        QVERIFY(m_settings->contains(QStringLiteral("test/kept")));
    }
    // The next view with the key, before it has any rows.
    QStandardItemModel empty(0, 4);
    const auto next = makeView(&empty, QStringLiteral("test/kept"));
    QVERIFY(next);
    QCOMPARE(next->horizontalHeader()->sectionSize(0), widened);
    // Its rows coming do not undo the user's width.
    fill(&empty);
    QTest::qWait(50); // the queued first sizing would have run by now; there is none to wait for
    QCOMPARE(next->horizontalHeader()->sectionSize(0), widened);
    // Another key knows nothing of it.
    QStandardItemModel other(0, 4);
    fill(&other);
    const auto third = makeView(&other, QStringLiteral("test/other"));
    QVERIFY(third);
    QTRY_COMPARE(third->horizontalHeader()->sectionSize(0), neededWidth(third.get(), 0));
    QVERIFY(third->horizontalHeader()->sectionSize(0) != widened);
}

// A stream of 20 000 entries whose 500th holds a very long value (Qt alone would measure
// 1000 rows): the first sizing measures the first rows, not a row nobody sees yet.
void TestViewState::aBigTableIsMeasuredOnItsFirstRows()
{
    QStandardItemModel model(0, 2);
    const auto view = makeView(&model, QStringLiteral("test/big"));
    QVERIFY(view);
    QList<QStandardItem *> values;
    QList<QStandardItem *> ids;
    for (int i = 0; i < 20000; ++i) {
        values << new QStandardItem(i == 500 ? QString(500, QLatin1Char('x'))
                                             : QStringLiteral("an ordinary payload"));
        ids << new QStandardItem(QStringLiteral("1733560000000-%1").arg(i));
    }
    model.setColumnCount(0);
    model.appendColumn(values);
    model.appendColumn(ids);
    QCOMPARE(model.rowCount(), 20000);
    QHeaderView *header = view->horizontalHeader();
    QTRY_VERIFY(header->sectionSize(0)
                >= view->fontMetrics().horizontalAdvance(QStringLiteral("an ordinary payload")));
    const int longValue = view->fontMetrics().horizontalAdvance(QString(500, QLatin1Char('x')));
    QVERIFY2(header->sectionSize(0) < longValue / 2,
             qPrintable(QString::number(header->sectionSize(0))));
}

QTEST_MAIN(TestViewState)
#include "tst_viewstate.moc"
