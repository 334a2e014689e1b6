// The session layer against a real redis-server: a session started by the SessionManager
// owns its connections, overview, monitor, history and alert engine as children, lists the
// streams once connected and samples them, reports its state; ending it deletes all of it
// at once, also while requests are in flight; what is kept per connection (passwords of
// ephemeral connections, dead-letter conventions, alert rules) outlives its sessions.
#include "livemodeltest.h"

#include "alertlogmodel.h"
#include "alertrules.h"
#include "commandlogmodel.h"
#include "connectionsession.h"
#include "credentialstore.h"
#include "profilestate.h"
#include "serieshistory.h"
#include "sessionmanager.h"
#include "streamlistmodel.h"
#include "streammonitor.h"

#include <QElapsedTimer>
#include <QPointer>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

namespace {

const QString SavedId = QStringLiteral("saved-profile");

QList<QObject *> partsOf(const ConnectionSession *session)
{
    return {session->connection(), session->overview(), session->monitor(), session->history(),
            session->alertEngine()};
}

} // namespace

class TestConnectionSession : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void cleanupTestCase();

    void startOwnsEveryPart();
    void connectedSessionListsAndSamples();
    void refusedConnectionSaysSo();
    void endDeletesEverything();
    void endWhileRequestsAreInFlight();
    void profileStateOutlivesSessions();
    void ephemeralPasswordsStayInMemory();

private:
    ConnectionSession *startSaved();

    LiveRedis m_redis;
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<QSettings> m_settings;
    std::unique_ptr<CredentialStore> m_credentials;
    std::unique_ptr<ProfileState> m_profiles;
    std::unique_ptr<SessionManager> m_sessions;
};

void TestConnectionSession::initTestCase()
{
    m_redis.start();
    m_redis.run({RedisCommand{"XADD", "orders", "*", "n", "1"},
                 RedisCommand{"XADD", "orders", "*", "n", "2"},
                 RedisCommand{"XGROUP", "CREATE", "orders", "billing", "0"},
                 RedisCommand{"XADD", "audit", "*", "n", "1"}, RedisCommand{"SET", "plain", "x"}});
}

void TestConnectionSession::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_settings = std::make_unique<QSettings>(m_dir->filePath(QStringLiteral("weir.ini")),
                                             QSettings::IniFormat);
    ConnectionProfile profile;
    profile.id = SavedId;
    profile.options = m_redis.server()->options();
    profile.options.name = QStringLiteral("queues");
    ProfileStore(m_settings.get()).save(profile);
    m_credentials = std::make_unique<CredentialStore>(QStringLiteral("weir-test-session"));
    m_profiles = std::make_unique<ProfileState>(m_settings.get(), m_credentials.get());
    m_sessions = std::make_unique<SessionManager>(m_profiles.get());
}

void TestConnectionSession::cleanup()
{
    m_sessions.reset();
    m_profiles.reset();
    m_credentials.reset();
    m_settings.reset();
    m_dir.reset();
}

void TestConnectionSession::cleanupTestCase()
{
    m_redis.stop();
}

ConnectionSession *TestConnectionSession::startSaved()
{
    const ConnectionProfile *profile = m_profiles->find(SavedId);
    return profile ? m_sessions->start(SavedId, profile->options) : nullptr;
}

void TestConnectionSession::startOwnsEveryPart()
{
    QSignalSpy started(m_sessions.get(), &SessionManager::sessionStarted);
    ConnectionSession *session = startSaved();
    QVERIFY(session);
    QCOMPARE(started.count(), 1);
    QCOMPARE(started.at(0).at(0).value<ConnectionSession *>(), session);
    QCOMPARE(m_sessions->session(SavedId), session);
    QCOMPARE(m_sessions->sessions(), QList<ConnectionSession *>{session});
    QCOMPARE(session->profileId(), SavedId);
    QCOMPARE(session->name(), QStringLiteral("queues"));
    for (QObject *part : partsOf(session)) {
        QVERIFY(part);
        QCOMPARE(part->parent(), session);
    }
    // The monitor samples on a connection of its own, a child of the session too.
    QCOMPARE(session->findChildren<RedisConnection *>(Qt::FindDirectChildrenOnly).size(), 2);
    QVERIFY(session->monitor()->interval() == session->history()->intervalMs());
    // Starting it again replaces the session.
    QPointer<ConnectionSession> first = session;
    QVERIFY(startSaved());
    QVERIFY(first.isNull());
    QCOMPARE(m_sessions->sessions().size(), 1);
}

void TestConnectionSession::connectedSessionListsAndSamples()
{
    ConnectionSession *session = startSaved();
    QVERIFY(session);
    QSignalSpy states(session, &ConnectionSession::stateChanged);
    QTRY_COMPARE(session->state(), ConnectionState::Connected);
    QVERIFY(!states.isEmpty());
    QCOMPARE(states.last().at(0).value<ConnectionState>(), ConnectionState::Connected);
    QVERIFY(session->serverInfo().isKnown());
    QVERIFY(!session->isCluster());
    QVERIFY(!session->isReadOnly());
    // Listed once connected: the streams only.
    StreamListModel *overview = session->overview();
    QTRY_COMPARE(overview->rowCount(), 2);
    QTRY_VERIFY(session->monitor()->isRunning());
    // Its history records the charted figures of every tick.
    QSignalSpy recorded(session->history(), &SeriesHistory::recorded);
    session->monitor()->tickNow();
    QTRY_VERIFY(!recorded.isEmpty());
    QVERIFY(session->history()->recordedMetrics() == SeriesHistory::chartedMetrics());
    QTRY_VERIFY_WITH_TIMEOUT(
        session->history()->contains(SeriesKey{"orders", {}, {}, Metric::AddedPerSecond}), 10000);
    // Every request of the session's own connection, in the log under its name; none of
    // the monitor's.
    const CommandLogModel *log = m_sessions->commandLog();
    QTRY_VERIFY(log->rowCount() >= 2);
    for (int row = 0; row < log->rowCount(); ++row) {
        QCOMPARE(log->index(row, CommandLogModel::Connection).data().toString(),
                 QStringLiteral("queues"));
        QVERIFY(!log->index(row, CommandLogModel::Command)
                     .data()
                     .toString()
                     .contains(QLatin1String("XINFO STREAM")));
    }
    // How the dashboard sets sampling reaches the monitor and the history.
    session->setSampling(2500, 10, {"orders"});
    QCOMPARE(session->monitor()->interval(), 2500);
    QCOMPARE(session->history()->intervalMs(), 2500);
    QCOMPARE(session->monitor()->watchedList(), QList<QByteArray>{"orders"});
}

void TestConnectionSession::refusedConnectionSaysSo()
{
    const quint16 port = freeLoopbackPort();
    QVERIFY(port != 0);
    ConnectionOptions options = m_redis.server()->options();
    options.port = port;
    ConnectionSession *session = m_sessions->start(QStringLiteral("nowhere"), options);
    QVERIFY(session);
    QSignalSpy states(session, &ConnectionSession::stateChanged);
    QTRY_VERIFY(session->state() == ConnectionState::Reconnecting
                || session->state() == ConnectionState::Failed);
    QVERIFY(!states.isEmpty());
    QVERIFY2(session->stateMessage().contains(QLatin1String("refused"), Qt::CaseInsensitive),
             qPrintable(session->stateMessage()));
    QCOMPARE(session->overview()->rowCount(), 0);
}

void TestConnectionSession::endDeletesEverything()
{
    ConnectionSession *session = startSaved();
    QVERIFY(session);
    QTRY_COMPARE(session->state(), ConnectionState::Connected);
    QTRY_VERIFY(session->monitor()->isRunning());
    QList<QObject *> parts = partsOf(session);
    parts.append(session->findChildren<RedisConnection *>(Qt::FindDirectChildrenOnly).constLast());
    parts.append(session);
    std::vector<std::unique_ptr<QSignalSpy>> destroyed;
    for (QObject *part : std::as_const(parts))
        destroyed.push_back(std::make_unique<QSignalSpy>(part, &QObject::destroyed));

    QStringList order;
    connect(m_sessions.get(), &SessionManager::sessionEnding, this,
            [&order](ConnectionSession *ending) {
        // Still whole: whoever shows it lets go of it now.
        QVERIFY(ending->overview() && ending->monitor());
        order << QStringLiteral("ending");
    });
    connect(m_sessions.get(), &SessionManager::sessionEnded, this,
            [&order](const QString &id) { order << QStringLiteral("ended ") + id; });
    m_sessions->end(SavedId);
    QCOMPARE(order, (QStringList{QStringLiteral("ending"), QStringLiteral("ended ") + SavedId}));
    for (const auto &spy : destroyed)
        QCOMPARE(spy->count(), 1);
    QVERIFY(!m_sessions->session(SavedId));
    QVERIFY(m_sessions->sessions().isEmpty());
    // Ending what has no session does nothing.
    m_sessions->end(SavedId);
    QCOMPARE(order.size(), 2);
}

// A request that the server holds for seconds, and more queued behind it: ending the
// session returns at once, the requests' callbacks are not called (their context went
// with the session), and nothing arrives later.
void TestConnectionSession::endWhileRequestsAreInFlight()
{
    ConnectionSession *session = startSaved();
    QVERIFY(session);
    QTRY_COMPARE(session->state(), ConnectionState::Connected);
    int called = 0;
    session->connection()->send({RedisCommand{"XREAD", "BLOCK", "5000", "STREAMS", "orders", "$"}},
                                session->overview(), [&called](const RedisResult &) { ++called; });
    for (int i = 0; i < 50; ++i)
        session->connection()->send({RedisCommand{"XLEN", "orders"}}, session->overview(),
                                    [&called](const RedisResult &) { ++called; });
    session->overview()->refresh(); // a scan under way too
    QElapsedTimer ending;
    ending.start();
    QSignalSpy destroyed(session, &QObject::destroyed);
    m_sessions->end(SavedId);
    QCOMPARE(destroyed.count(), 1);
    QVERIFY2(ending.elapsed() < 2000, qPrintable(QString::number(ending.elapsed())));
    // The server is still fine, and nothing of the old session comes back.
    QCOMPARE(m_redis.run({RedisCommand{"XLEN", "orders"}}).value(0).toInteger(), 2);
    QCOMPARE(called, 0);
}

void TestConnectionSession::profileStateOutlivesSessions()
{
    AlertRules rules;
    rules.setOverride({"orders", {}, AlertRule::Backlog}, {std::nullopt, 10.0});
    m_profiles->setAlertRules(SavedId, rules);
    DeadLetterConventions conventions = DeadLetterConventions::defaults();
    conventions.patterns = QStringList{QStringLiteral("{stream}.failed")};
    m_profiles->setDeadLetterConventions(SavedId, conventions);

    ConnectionSession *session = startSaved();
    QVERIFY(session);
    QVERIFY(session->alertEngine()->rules() == rules);
    QCOMPARE(session->overview()->deadLetterConventions().patterns, conventions.patterns);
    // Changed while the session is open: in force at once.
    AlertRules stricter = rules;
    stricter.setOverride({"orders", {}, AlertRule::Backlog}, {std::nullopt, 5.0});
    m_profiles->setAlertRules(SavedId, stricter);
    QVERIFY(session->alertEngine()->rules() == stricter);
    conventions.patterns = QStringList{QStringLiteral("{stream}:dead")};
    m_profiles->setDeadLetterConventions(SavedId, conventions);
    QCOMPARE(session->overview()->deadLetterConventions().patterns, conventions.patterns);

    m_sessions->end(SavedId);
    session = startSaved();
    QVERIFY(session);
    QVERIFY(session->alertEngine()->rules() == stricter);
    QCOMPARE(session->overview()->deadLetterConventions().patterns, conventions.patterns);

    // Saved with the profile: the next run reads them back.
    m_sessions.reset();
    m_profiles = std::make_unique<ProfileState>(m_settings.get(), m_credentials.get());
    QVERIFY(m_profiles->alertRules(SavedId) == stricter);
    QCOMPARE(m_profiles->deadLetterConventions(SavedId).patterns, conventions.patterns);
}

void TestConnectionSession::ephemeralPasswordsStayInMemory()
{
    ConnectionOptions options = m_redis.server()->options();
    options.password = QStringLiteral("in-memory");
    const ConnectionProfile profile = m_profiles->addEphemeral(options);
    QVERIFY(profile.ephemeral);
    QVERIFY(profile.options.password.isEmpty());
    QVERIFY(m_profiles->find(profile.id));
    AlertRules rules;
    rules.setOverride({"audit", {}, AlertRule::Backlog}, {std::nullopt, 3.0});
    m_profiles->setAlertRules(profile.id, rules);

    // A session comes and goes; the password and the rules stay, never in the settings.
    options.password.clear();
    const ConnectionSession *session = m_sessions->start(profile.id, options);
    QVERIFY(session);
    QCOMPARE(m_sessions->session(profile.id), session);
    QVERIFY(session->alertEngine()->rules() == rules);
    m_sessions->end(profile.id);
    QString secret;
    m_profiles->readSecret(profile, false,
                           [&secret](const QString &s, const QString &) { secret = s; });
    QCOMPARE(secret, QStringLiteral("in-memory"));
    QVERIFY(m_profiles->alertRules(profile.id) == rules);
    m_settings->sync();
    QVERIFY(!m_settings->childGroups().isEmpty());
    for (const QString &key : m_settings->allKeys())
        QVERIFY2(!key.contains(profile.id), qPrintable(key));

    // Removed: forgotten.
    m_profiles->remove(profile.id);
    QVERIFY(!m_profiles->find(profile.id));
    m_profiles->readSecret(profile, false,
                           [&secret](const QString &s, const QString &) { secret = s; });
    QCOMPARE(secret, QString());
    QVERIFY(m_profiles->alertRules(profile.id) == AlertRules::defaults());
}

QTEST_GUILESS_MAIN(TestConnectionSession)
#include "tst_connectionsession.moc"
