#include "palette.h"

#include <QEvent>
#include <QGuiApplication>

namespace {
// A window darker than this reads as a dark theme.
bool isDark(const QPalette &palette)
{
    return palette.color(QPalette::Window).lightness() < 128;
}
} // namespace

QColor statusColor(Status status, const QPalette &background)
{
    // Light themes: the error red, warning amber and success green Weir has always used;
    // dark themes: lighter shades of the same hues, with enough contrast on a dark window.
    const bool dark = isDark(background);
    switch (status) {
    case Status::Error:
        return dark ? QColor(0xf9, 0x70, 0x66) : QColor(0xb4, 0x23, 0x18);
    case Status::Warning:
        return dark ? QColor(0xfd, 0xb0, 0x22) : QColor(0xb5, 0x47, 0x08);
    case Status::Success:
        return dark ? QColor(0x47, 0xcd, 0x89) : QColor(0x1a, 0x7f, 0x37);
    case Status::Information:
        return dark ? QColor(0x84, 0xca, 0xff) : QColor(0x1b, 0x3a, 0x5c);
    }
    return background.color(QPalette::WindowText);
}

QColor statusColor(Status status)
{
    return statusColor(status, QGuiApplication::palette());
}

QString statusStyleSheet(Status status)
{
    return QStringLiteral("color: %1").arg(statusColor(status).name());
}

QString statusHtml(Status status, const QString &html)
{
    return QStringLiteral("<span style='color:%1'>%2</span>").arg(statusColor(status).name(), html);
}

QPalette bannerPalette(Status status, const QPalette &base)
{
    QPalette palette = base;
    const QColor ink = statusColor(status, base);
    const QColor window = base.color(QPalette::Window);
    // A sixteenth of the status colour over the window: a tint that keeps the text readable
    // (contrast 4.5:1 or more) on light and dark windows alike.
    const auto mix = [](int a, int b) { return (a * 15 + b) / 16; };
    palette.setColor(QPalette::Window,
                     QColor(mix(window.red(), ink.red()), mix(window.green(), ink.green()),
                            mix(window.blue(), ink.blue())));
    palette.setColor(QPalette::WindowText, ink);
    return palette;
}

StatusLabel::StatusLabel(QWidget *parent, Status status)
    : QLabel(parent)
    , m_status(status)
{
    setWordWrap(true);
    hide();
    recolour();
}

void StatusLabel::showStatus(Status status, const QString &text)
{
    m_status = status;
    recolour();
    setText(text);
    setVisible(!text.isEmpty());
}

void StatusLabel::changeEvent(QEvent *event)
{
    QLabel::changeEvent(event);
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::StyleChange)
        recolour();
}

void StatusLabel::recolour()
{
    // Through the palette, not a style sheet: a style sheet would hide the theme's changes.
    QPalette p = palette();
    const QColor ink = statusColor(m_status, p);
    if (p.color(QPalette::WindowText) == ink)
        return;
    p.setColor(QPalette::WindowText, ink);
    setPalette(p);
}
