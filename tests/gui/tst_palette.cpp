// Weir's one palette (ui/style/palette.h), offscreen: every status colour stands out from
// the window it is drawn on, in a light and in a dark theme; StatusLabel shows a message
// in its status's colour, hides itself without one, and follows a change of theme; and a
// banner's tint keeps its text readable.
#include "palette.h"

#include <QtTest>

#include <algorithm>
#include <cmath>

namespace {

QPalette lightTheme()
{
    QPalette p;
    p.setColor(QPalette::Window, QColor(0xf5, 0xf5, 0xf5));
    p.setColor(QPalette::WindowText, Qt::black);
    return p;
}

QPalette darkTheme()
{
    QPalette p;
    p.setColor(QPalette::Window, QColor(0x2b, 0x2b, 0x2b));
    p.setColor(QPalette::WindowText, QColor(0xe6, 0xe6, 0xe6));
    return p;
}

// WCAG's contrast ratio of two colours (1 to 21); 4.5 is what body text needs.
double contrast(const QColor &a, const QColor &b)
{
    const auto luminance = [](const QColor &c) {
        const auto channel = [](double v) {
            return v <= 0.03928 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4);
        };
        return 0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF())
               + 0.0722 * channel(c.blueF());
    };
    const double la = luminance(a);
    const double lb = luminance(b);
    return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

} // namespace

class TestPalette : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void coloursReadOnTheirWindow_data();
    void coloursReadOnTheirWindow();
    void errorIsRedAndKeepsWeirsLightShade();
    void htmlAndStyleSheetUseTheSameColour();
    void statusLabelShowsHidesAndRecolours();
    void bannerTintKeepsTheTextReadable();
};

void TestPalette::coloursReadOnTheirWindow_data()
{
    QTest::addColumn<QPalette>("theme");
    QTest::addColumn<int>("status");
    const QList<std::pair<const char *, Status>> statuses{{"error", Status::Error},
                                                          {"warning", Status::Warning},
                                                          {"success", Status::Success},
                                                          {"information", Status::Information}};
    for (const auto &[name, status] : statuses) {
        QTest::addRow("light, %s", name) << lightTheme() << int(status);
        QTest::addRow("dark, %s", name) << darkTheme() << int(status);
    }
}

void TestPalette::coloursReadOnTheirWindow()
{
    QFETCH(QPalette, theme);
    QFETCH(int, status);
    const QColor ink = statusColor(Status(status), theme);
    const double ratio = contrast(ink, theme.color(QPalette::Window));
    QVERIFY2(ratio >= 4.5, qPrintable(QStringLiteral("%1 on %2: %3")
                                          .arg(ink.name(), theme.color(QPalette::Window).name())
                                          .arg(ratio)));
}

void TestPalette::errorIsRedAndKeepsWeirsLightShade()
{
    // The red Weir's error lines have always had, on a light window.
    QCOMPARE(statusColor(Status::Error, lightTheme()).name(), QStringLiteral("#b42318"));
    for (const QPalette &theme : {lightTheme(), darkTheme()}) {
        const QColor error = statusColor(Status::Error, theme);
        QVERIFY(error.red() > error.green() * 2 && error.red() > error.blue() * 2);
        // Each status its own colour.
        QVERIFY(error != statusColor(Status::Warning, theme));
        QVERIFY(statusColor(Status::Warning, theme) != statusColor(Status::Success, theme));
    }
    QVERIFY(statusColor(Status::Error, lightTheme()) != statusColor(Status::Error, darkTheme()));
}

void TestPalette::htmlAndStyleSheetUseTheSameColour()
{
    const QString name = statusColor(Status::Success).name();
    QCOMPARE(statusStyleSheet(Status::Success), QStringLiteral("color: ") + name);
    QCOMPARE(statusHtml(Status::Success, QStringLiteral("<b>Connected.</b>")),
             QStringLiteral("<span style='color:%1'><b>Connected.</b></span>").arg(name));
}

void TestPalette::statusLabelShowsHidesAndRecolours()
{
    QWidget window;
    window.setPalette(lightTheme());
    auto *label = new StatusLabel(&window);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QVERIFY(!label->isVisible()); // nothing to say yet
    QCOMPARE(label->status(), Status::Error);

    label->showMessage(QStringLiteral("ERR no such key"));
    QVERIFY(label->isVisible());
    QCOMPARE(label->text(), QStringLiteral("ERR no such key"));
    QCOMPARE(label->palette().color(QPalette::WindowText),
             statusColor(Status::Error, lightTheme()));

    label->showStatus(Status::Success, QStringLiteral("Copied 3 entries."));
    QCOMPARE(label->status(), Status::Success);
    QCOMPARE(label->palette().color(QPalette::WindowText),
             statusColor(Status::Success, lightTheme()));

    // A change of theme reaches the label through its parent: it takes the dark shade.
    window.setPalette(darkTheme());
    QTRY_COMPARE(label->palette().color(QPalette::WindowText),
                 statusColor(Status::Success, darkTheme()));
    QCOMPARE(label->palette().color(QPalette::Window), darkTheme().color(QPalette::Window));

    label->showMessage(QString());
    QVERIFY(!label->isVisible());
}

void TestPalette::bannerTintKeepsTheTextReadable()
{
    for (const QPalette &theme : {lightTheme(), darkTheme()}) {
        for (const Status status : {Status::Error, Status::Information}) {
            const QPalette banner = bannerPalette(status, theme);
            QCOMPARE(banner.color(QPalette::WindowText), statusColor(status, theme));
            QVERIFY(banner.color(QPalette::Window) != theme.color(QPalette::Window));
            QVERIFY(contrast(banner.color(QPalette::WindowText), banner.color(QPalette::Window))
                    >= 4.5);
        }
    }
}

QTEST_MAIN(TestPalette)
#include "tst_palette.moc"
