#include "notifier.h"

#include <QApplication>
#include <QEvent>
#include <QSystemTrayIcon>
#include <QWidget>

#include <algorithm>
#include <utility>

AlertNotifier::AlertNotifier(QWidget *window, QObject *parent)
    : QObject(parent)
    , m_window(window)
{
    m_throttle.setSingleShot(true);
    m_throttle.setInterval(DefaultThrottleMs);
    connect(&m_throttle, &QTimer::timeout, this, &AlertNotifier::flush);
    if (m_window)
        m_window->installEventFilter(this);
}

AlertNotifier::~AlertNotifier()
{
    if (m_window)
        m_window->removeEventFilter(this);
}

bool AlertNotifier::isWindowActive() const
{
    if (m_isActive)
        return m_isActive();
    return m_window && m_window->isActiveWindow() && QApplication::activeWindow() != nullptr;
}

AlertNotifier::Channel AlertNotifier::channel() const
{
    return QSystemTrayIcon::isSystemTrayAvailable() ? Channel::Tray : Channel::Fallback;
}

void AlertNotifier::notify(const QList<AlertEvent> &events)
{
    QList<AlertEvent> fired;
    for (const AlertEvent &e : events) {
        if (e.state == AlertEvent::Fired)
            fired.append(e);
    }
    if (fired.isEmpty() || isWindowActive())
        return;
    if (m_throttle.isActive()) {
        m_pending += fired; // told together when the throttle period ends
        return;
    }
    show(fired);
    m_throttle.start();
}

void AlertNotifier::flush()
{
    if (m_pending.isEmpty())
        return;
    const QList<AlertEvent> fired = std::exchange(m_pending, {});
    if (isWindowActive())
        return; // the user is looking: the pane shows them
    show(fired);
    m_throttle.start();
}

void AlertNotifier::show(const QList<AlertEvent> &fired)
{
    const int n = int(fired.size());
    const QString title = n == 1 ? tr("Weir: %1").arg(alertRuleName(fired.first().rule))
                                 : tr("Weir: %n alerts", nullptr, n);
    QStringList lines;
    const int shown = std::min(n, 3);
    for (int i = 0; i < shown; ++i) {
        const AlertEvent &e = fired[i];
        lines.append(e.connectionName.isEmpty() ? e.summary()
                                                : tr("%1 (%2)").arg(e.summary(), e.connectionName));
    }
    if (n > shown)
        lines.append(tr("and %n more", nullptr, n - shown));
    const QString message = lines.join(QLatin1Char('\n'));

    const Channel how = channel();
    if (how == Channel::Tray) {
        if (!m_tray) {
            m_tray = new QSystemTrayIcon(QApplication::windowIcon(), this);
            m_tray->setToolTip(tr("Weir"));
            connect(m_tray, &QSystemTrayIcon::messageClicked, this, [this] {
                if (m_window) {
                    m_window->showNormal();
                    m_window->raise();
                    m_window->activateWindow();
                }
            });
        }
        m_tray->show();
        m_tray->showMessage(title, message, QSystemTrayIcon::Warning, 10000);
    } else if (m_window) {
        if (m_unseen == 0)
            m_baseTitle = m_window->windowTitle();
        m_unseen += n;
        m_window->setWindowTitle(tr("(%1) %2").arg(m_unseen).arg(m_baseTitle));
        QApplication::alert(m_window);
    }
    Q_EMIT notified(title, message, how);
}

void AlertNotifier::setActiveCount(int count)
{
    m_activeCount = count;
    if (m_tray && count == 0)
        m_tray->hide();
}

void AlertNotifier::seen()
{
    m_pending.clear();
    if (m_unseen == 0)
        return;
    m_unseen = 0;
    if (m_window)
        m_window->setWindowTitle(m_baseTitle);
}

bool AlertNotifier::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_window && event->type() == QEvent::WindowActivate)
        seen();
    return QObject::eventFilter(watched, event);
}
