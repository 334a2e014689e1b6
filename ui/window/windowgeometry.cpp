#include "windowgeometry.h"

#include <QMainWindow>
#include <QScreen>
#include <QSettings>
#include <QStyle>

namespace {

// What a window manager's frame and title bar add around the window, before it is shown
// and its own frame is known: generous, so that a window that fits with it fits with the
// usual frames.
const QMargins AssumedFrame(8, 40, 8, 8);

QMargins frameMargins(const QWidget *window)
{
    if (!window->isVisible())
        return AssumedFrame;
    const QRect frame = window->frameGeometry();
    const QRect inner = window->geometry();
    return QMargins(inner.left() - frame.left(), inner.top() - frame.top(),
                    frame.right() - inner.right(), frame.bottom() - inner.bottom());
}

// Roomy enough for the overview's columns, never larger than the screen the window opens
// on (a 1280×800 laptop included), with some of the desktop left around it.
void openAtDefaultSize(QWidget *window)
{
    const QRect room = window->screen()
                           ->availableGeometry()
                           .marginsRemoved(AssumedFrame)
                           .marginsRemoved(QMargins(16, 16, 16, 16));
    const QSize size = QSize(1320, 760).boundedTo(room.size());
    window->setGeometry(QStyle::alignedRect(Qt::LeftToRight, Qt::AlignCenter, size, room));
}

// A geometry kept from a bigger screen (or a screen since unplugged) is shrunk and moved
// onto the screen the window opens on, so that its status bar and right columns show.
void fitIntoScreen(QWidget *window)
{
    if (window->isMaximized() || window->isFullScreen())
        return;
    const QRect room = window->screen()->availableGeometry().marginsRemoved(frameMargins(window));
    const QRect geometry = window->geometry();
    if (room.contains(geometry))
        return;
    QRect fitted(geometry.topLeft(), geometry.size().boundedTo(room.size()));
    fitted.moveLeft(qBound(room.left(), fitted.left(), room.right() - fitted.width() + 1));
    fitted.moveTop(qBound(room.top(), fitted.top(), room.bottom() - fitted.height() + 1));
    window->setGeometry(fitted);
}

} // namespace

void restoreWindowGeometry(QMainWindow *window, const QSettings &settings)
{
    if (!window->restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray()))
        openAtDefaultSize(window);
    fitIntoScreen(window);
    window->restoreState(settings.value(QStringLiteral("window/state")).toByteArray());
}

void saveWindowGeometry(const QMainWindow *window, QSettings &settings)
{
    settings.setValue(QStringLiteral("window/geometry"), window->saveGeometry());
    settings.setValue(QStringLiteral("window/state"), window->saveState());
}
