#pragma once

#include "alertrules.h"

#include <QObject>
#include <QPointer>
#include <QTimer>

#include <functional>

class QSystemTrayIcon;
class QWidget;

// Tells the user about alerts that fired while they were not looking at Weir. Feed it
// every engine's AlertEngine::changed; only Fired events count.
//
// - While the window is active, nothing is shown here: the alert pane shows the alerts.
// - Otherwise the first alert is told at once, and whatever fires in the next
//   throttleMs() (5 s) is summarised in one more message when that time is up: never more
//   than one message per throttle period, however many streams alert at once.
// - With a system tray (QSystemTrayIcon::isSystemTrayAvailable()), a tray balloon
//   (QSystemTrayIcon::showMessage; the tray icon is shown while alerts are active).
//   Without one (as under Xvfb or offscreen), the window's title counts the alerts not
//   yet seen ("(3) Weir") and QApplication::alert() asks the desktop for attention; the
//   count goes when the window is activated.
// Every message it gives is also emitted as notified(), which is what tests watch.
class AlertNotifier : public QObject
{
    Q_OBJECT
public:
    enum class Channel { Tray, Fallback };
    Q_ENUM(Channel)
    static constexpr int DefaultThrottleMs = 5000;

    explicit AlertNotifier(QWidget *window, QObject *parent = nullptr);
    ~AlertNotifier() override;

    void notify(const QList<AlertEvent> &events);
    // How many alerts are active (AlertLogModel::activeCount()): the tray icon is shown
    // while there are some.
    void setActiveCount(int count);

    void setThrottleMs(int ms) { m_throttle.setInterval(ms); }
    int throttleMs() const { return m_throttle.interval(); }
    // Whether the window counts as looked at; by default, whether it is the active window.
    void setWindowActiveCheck(std::function<bool()> check) { m_isActive = std::move(check); }
    bool isWindowActive() const;
    Channel channel() const;
    // Alerts told by the fallback since the window was last active.
    int unseenCount() const { return m_unseen; }

Q_SIGNALS:
    void notified(const QString &title, const QString &message, AlertNotifier::Channel channel);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void flush();
    void show(const QList<AlertEvent> &fired);
    void seen();

    QPointer<QWidget> m_window;
    QSystemTrayIcon *m_tray = nullptr; // made when first needed, if there is a tray
    QTimer m_throttle;
    QList<AlertEvent> m_pending;
    std::function<bool()> m_isActive;
    int m_unseen = 0;
    int m_activeCount = 0;
    QString m_baseTitle;
};
