#pragma once

// Helpers shared by the widget tests: user-like typing, what a label shows, a blocking
// client for setting up a test server, and the server, client and session most widget
// tests start with (LiveSession). Waits spin the event loop (QTest::qWaitFor), they
// never sleep. Every widget test keeps its user data (XDG_DATA_HOME) in a temporary
// directory of its own.

#include "connectionsession.h"
#include "localredisserver.h"
#include "redisconnection.h"
#include "streaminspector.h"
#include "weirtranslations.h"

#include <QAbstractButton>
#include <QAction>
#include <QDir>
#include <QFile>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMainWindow>
#include <QStyle>
#include <QTabBar>
#include <QTabWidget>
#include <QTableView>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTextDocument>
#include <QToolBar>

#include <memory>
#include <optional>

namespace gui {

// The child of `parent` named `name`; stops the test program when there is none (a
// renamed widget, not a behaviour to check).
template<typename T> T *child(const QObject *parent, const char *name)
{
    T *w = parent->findChild<T *>(QLatin1String(name));
    if (!w)
        qFatal("no child %s", name);
    return w;
}

// Selects everything in a line edit or spin box and types `text` over it, as a user
// who presses Ctrl+A and types. An empty text just deletes.
inline void retype(QWidget *edit, const QString &text)
{
    QTest::keyClick(edit, Qt::Key_A, Qt::ControlModifier);
    QTest::keyClick(edit, Qt::Key_Backspace);
    if (!text.isEmpty())
        QTest::keyClicks(edit, text);
}

// Clicks a check box or radio button where a user would: on its indicator. (The
// middle of a wide check box can lie past its text, where a click does nothing.)
inline void clickIndicator(QAbstractButton *button)
{
    const int indicator = button->style()->pixelMetric(QStyle::PM_IndicatorWidth, nullptr, button);
    QTest::mouseClick(button, Qt::LeftButton, {},
                      QPoint(qMin(indicator / 2 + 1, button->width() / 2), button->height() / 2));
}

// The text a label shows, rich text rendered to plain text.
inline QString shownText(const QLabel *label)
{
    if (label->textFormat() == Qt::PlainText || !Qt::mightBeRichText(label->text()))
        return label->text();
    QTextDocument doc;
    doc.setHtml(label->text());
    return doc.toPlainText();
}

// Clicks the toolbar button of the action whose text contains `text` (mnemonics
// ignored), as a user would; fails the test when there is none or it is disabled.
inline void clickToolButton(QMainWindow *window, const QString &text)
{
    auto *toolbar = window->findChild<QToolBar *>(QStringLiteral("mainToolbar"));
    QVERIFY(toolbar);
    const QList<QAction *> actions = toolbar->actions();
    const auto it = std::find_if(actions.cbegin(), actions.cend(), [&text](QAction *a) {
        return a->text().remove(QLatin1Char('&')).contains(text);
    });
    QVERIFY2(it != actions.cend(), qPrintable(text));
    QVERIFY2((*it)->isEnabled(), qPrintable(text + QStringLiteral(" is disabled")));
    QWidget *button = toolbar->widgetForAction(*it);
    QVERIFY(button);
    QTest::mouseClick(button, Qt::LeftButton);
}

// Clicks the cell, presses F2 to edit it, types and presses Return, as a user fills the table.
// Clicks tab `index` of `tabs`, as the user would.
inline void clickTab(QTabWidget *tabs, int index)
{
    QTest::mouseClick(tabs->tabBar(), Qt::LeftButton, {}, tabs->tabBar()->tabRect(index).center());
}

// Inspects `key` in a window of `size`, shown, with its Groups page clicked to the front and,
// when `detailsPage` is given, that page of the group's details (1: pending entries).
inline void showGroupsPage(std::unique_ptr<StreamInspector> &inspector, ConnectionSession *session,
                           const QByteArray &key, QSize size,
                           std::optional<int> detailsPage = std::nullopt)
{
    inspector = std::make_unique<StreamInspector>(session, key);
    inspector->resize(size);
    inspector->show();
    QVERIFY(QTest::qWaitForWindowExposed(inspector.get()));
    clickTab(inspector->pages(), 1);
    if (detailsPage)
        clickTab(inspector->findChild<QTabWidget *>(QStringLiteral("groupDetails")), *detailsPage);
}

inline void typeInCell(QTableWidget *table, int row, int column, const QString &text)
{
    QTest::mouseClick(table->viewport(), Qt::LeftButton, {},
                      table->visualRect(table->model()->index(row, column)).center());
    QTest::keyClick(table, Qt::Key_F2);
    QLineEdit *editor = nullptr; // the one open (the last cell's may not be deleted yet)
    for (QLineEdit *e : table->viewport()->findChildren<QLineEdit *>()) {
        if (e->isVisible())
            editor = e;
    }
    QVERIFY(editor);
    QTest::keyClicks(editor, text);
    QTest::keyClick(editor, Qt::Key_Return);
    QTRY_COMPARE(table->item(row, column)->text(), text); // the delegate commits it queued
}

// The text of every visible label in `dialog` drawn as an error (red or orange, by style
// sheet, palette or rich text), one a line; empty when none is. A dialog must not open
// with one: before the user types, what is missing is a plain hint.
inline QString errorStyledText(const QWidget *dialog)
{
    QStringList shown;
    for (const QLabel *label : dialog->findChildren<QLabel *>()) {
        if (!label->isVisible() || label->text().isEmpty())
            continue;
        const QColor ink = label->palette().color(QPalette::WindowText);
        const bool reddish = ink.red() > 140 && ink.green() < 110 && ink.blue() < 110;
        const QString sheet = label->styleSheet() + label->text();
        if (reddish || sheet.contains(QLatin1String("#b42318"), Qt::CaseInsensitive)
            || sheet.contains(QLatin1String("darkred"), Qt::CaseInsensitive))
            shown << shownText(label);
    }
    return shown.join(QLatin1Char('\n'));
}

// The first column of `view` too narrow for its header or for what its measured rows
// show (so it cuts them with "…"), as "Title: 80 < 112"; empty when every column fits.
inline QString cutColumn(const QTableView *view)
{
    const QHeaderView *header = view->horizontalHeader();
    const QAbstractItemView *cells = view; // QTableView hides sizeHintForColumn()
    for (int column = 0; column < header->count(); ++column) {
        if (header->isSectionHidden(column))
            continue;
        const int needed = qMax(header->sectionSizeHint(column), cells->sizeHintForColumn(column));
        if (header->sectionSize(column) < needed) {
            return QStringLiteral("%1: %2 < %3")
                .arg(view->model()->headerData(column, Qt::Horizontal).toString())
                .arg(header->sectionSize(column))
                .arg(needed);
        }
    }
    return {};
}

// A connection for test set-up: runs commands and waits for their replies.
class SetupClient
{
public:
    explicit SetupClient(const ConnectionOptions &options)
        : m_connection(std::make_unique<RedisConnection>(options))
    {
        m_connection->open(false);
        // Whether it connected is for the caller to check (isConnected()).
        (void)QTest::qWaitFor(
            [this] {
            return m_connection->state() == ConnectionState::Connected
                   || m_connection->state() == ConnectionState::Failed;
            },
            10000);
    }
    bool isConnected() const { return m_connection->state() == ConnectionState::Connected; }
    QString stateMessage() const { return m_connection->stateMessage(); }
    const ServerInfo &serverInfo() const { return m_connection->serverInfo(); }

    // The replies, or nullopt when the request failed or took more than 10 s.
    std::optional<QList<RedisValue>> run(const QList<RedisCommand> &commands)
    {
        auto result = std::make_shared<std::optional<RedisResult>>();
        m_connection->send(commands, &m_context, [result](const RedisResult &r) { *result = r; });
        if (!QTest::qWaitFor([result] { return result->has_value(); }, 10000) || !(*result)->ok())
            return std::nullopt;
        return (*result)->replies;
    }

private:
    QObject m_context;
    std::unique_ptr<RedisConnection> m_connection;
};

// A ConnectionSession to `options`, opened and connected, as Weir hands one to the views
// of an open connection; null when it has not connected in 10 s (`error`, or else a
// warning, says why).
inline std::unique_ptr<ConnectionSession> openSession(const ConnectionOptions &options,
                                                      QString *error = nullptr)
{
    auto session = std::make_unique<ConnectionSession>(new RedisConnection(options));
    session->connection()->open(false);
    const auto settled = [&session] {
        return session->state() == ConnectionState::Connected
               || session->state() == ConnectionState::Failed;
    };
    if (QTest::qWaitFor(settled, 10000) && session->state() == ConnectionState::Connected)
        return session;
    const QString why = QStringLiteral("no session to %1:%2: %3")
                            .arg(options.host)
                            .arg(options.port)
                            .arg(session->connection()->stateMessage());
    if (error)
        *error = why;
    else
        qWarning("%s", qPrintable(why));
    return nullptr;
}

// What the widget tests on a live server share: a redis-server of their own on a free
// loopback port, a set-up client that fills it, and the session the widget under test is
// given. In init(): GUI_START_SESSION(m_redis); in cleanup(), after the widgets: stop().
class LiveSession
{
public:
    // Starts the server, then connects the client and the session; false, and
    // errorString() says why, when one of them fails.
    bool start(const LocalRedisServer::Config &config = {})
    {
        m_server = std::make_unique<LocalRedisServer>(config);
        if (!m_server->start(&m_error))
            return false;
        m_client = std::make_unique<SetupClient>(m_server->options());
        if (!m_client->isConnected()) {
            m_error = QStringLiteral("no set-up client: ") + m_client->stateMessage();
            return false;
        }
        return reopen(m_server->options());
    }
    // Replaces the session with one to `options` (a read-only one, say): the widgets given
    // the old one must be gone first.
    bool reopen(const ConnectionOptions &options)
    {
        m_session.reset();
        m_session = openSession(options, &m_error);
        return m_session != nullptr;
    }
    // Call after the widgets given the session are gone.
    void stop()
    {
        m_session.reset();
        m_client.reset();
        m_server.reset();
    }
    QString errorString() const { return m_error; }

    LocalRedisServer *server() const { return m_server.get(); }
    ConnectionSession *session() const { return m_session.get(); }
    // For a model or operation a test builds beside the widget, as the widget would.
    RedisConnection *connection() const { return m_session->connection(); }
    // Set-up commands through the client (see SetupClient::run).
    std::optional<QList<RedisValue>> run(const QList<RedisCommand> &commands)
    {
        return m_client->run(commands);
    }

private:
    std::unique_ptr<LocalRedisServer> m_server;
    std::unique_ptr<SetupClient> m_client;
    std::unique_ptr<ConnectionSession> m_session;
    QString m_error;
};

// Every widget test reads Weir's wording as users do: with its English plural forms
// ("1 stream") loaded as soon as the application exists.
inline void loadWeirTranslations()
{
    if (!installWeirTranslations())
        qFatal("the English plural forms of Weir could not be loaded");
}

// The user's data location of every widget test: a directory of the test program's own,
// removed when it ends, so that no test writes Weir's history (or anything else kept under
// XDG_DATA_HOME) into the real home, whatever settings it gives a window.
inline QString privateDataHome()
{
    static QTemporaryDir home(QDir::tempPath() + QStringLiteral("/weir-gui-data-XXXXXX"));
    if (!home.isValid())
        qFatal("no temporary data location: %s", qPrintable(home.errorString()));
    return home.path();
}

} // namespace gui

namespace {
void loadWeirTranslationsAtStartup()
{
    gui::loadWeirTranslations();
    qputenv("XDG_DATA_HOME", QFile::encodeName(gui::privateDataHome()));
}
} // namespace
Q_COREAPP_STARTUP_FUNCTION(loadWeirTranslationsAtStartup)

// Starts `server` or fails the test with the reason.
#define GUI_START_SERVER(server)                                                                   \
    do {                                                                                           \
        QString startError_;                                                                       \
        QVERIFY2((server).start(&startError_), qPrintable(startError_));                           \
    } while (false)

// Starts a gui::LiveSession or fails the test with the reason.
#define GUI_START_SESSION(live) QVERIFY2((live).start(), qPrintable((live).errorString()))
