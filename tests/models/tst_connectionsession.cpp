// The session layer against a real redis-server: a session started by the SessionManager
// owns its connections, overview, monitor, history and alert engine as children, lists the
// streams once connected and samples them, reports its state; ending it deletes all of it
// at once, also while requests are in flight; what is kept per connection (passwords of
// ephemeral connections, dead-letter conventions, alert rules) outlives its sessions.
// Given a history directory, a session records its monitor's ticks in the profile's store
// (a real SQLite file in a temporary directory); a second session of the profile, in this
// process or another Weir, gets a read-only view and says so.
#include "livemodeltest.h"

#include "alertlogmodel.h"
#include "alertrules.h"
#include "commandlogmodel.h"
#include "connectionsession.h"
#include "credentialstore.h"
#include "historystore.h"
#include "profilestate.h"
#include "serieshistory.h"
#include "sessionmanager.h"
#include "streamlistmodel.h"
#include "streammonitor.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QFile>
#include <QPointer>
#include <QSet>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <cmath>

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
    void ephemeralIdCanBeKept();
    void noHistoryDirectoryNoStore();
    void sessionRecordsInItsStore();
    void secondSessionOfTheProfileReadsOnly();
    void unwritableHistorySaysSoAndMonitors();
    void retentionReachesOpenSessions();

private:
    ConnectionSession *startSaved();
    // The session's store with `count` ticks the monitor sampled in it, committed.
    bool recordTicks(ConnectionSession *session, int count);

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

void TestConnectionSession::ephemeralIdCanBeKept()
{
    // The demo keeps its id from run to run (its history is found again); others get a
    // new one.
    const ConnectionProfile demo =
        m_profiles->addEphemeral(m_redis.server()->options(), QStringLiteral("demo"));
    QCOMPARE(demo.id, QStringLiteral("demo"));
    QVERIFY(demo.ephemeral);
    QVERIFY(m_profiles->find(QStringLiteral("demo")));
    const ConnectionProfile other = m_profiles->addEphemeral(m_redis.server()->options());
    QVERIFY(other.id.startsWith(QLatin1String("ephemeral-")));
}

bool TestConnectionSession::recordTicks(ConnectionSession *session, int count)
{
    if (!QTest::qWaitFor([session] { return session->monitor()->isRunning(); }, 10000))
        return false;
    for (int i = 0; i < count; ++i) {
        QSignalSpy sampled(session->monitor(), &StreamMonitor::sampled);
        session->monitor()->tickNow();
        if (!sampled.wait(10000))
            return false;
    }
    session->historyStore()->waitForWrites();
    return true;
}

void TestConnectionSession::noHistoryDirectoryNoStore()
{
    QVERIFY(m_sessions->historyDirectory().isEmpty());
    ConnectionSession *session = startSaved();
    QVERIFY(session);
    QVERIFY(!session->historyStore());
    QVERIFY(session->findChildren<HistoryStore *>().isEmpty());
    QVERIFY(session->historyNotice().isEmpty());
    // The charts' ring keeps the raw window only (1 h), not the retention.
    QCOMPARE(session->history()->spanMs(), HistoryRetention().rawMs);
    // Retention changes reach it all the same.
    HistoryRetention shorter;
    shorter.rawMs = 20 * 60 * 1000;
    m_sessions->setHistoryRetention(shorter);
    QCOMPARE(session->history()->spanMs(), shorter.rawMs);
    // A session made of a connection alone has neither.
    ConnectionSession bare(new RedisConnection(m_redis.server()->options()));
    QVERIFY(!bare.historyStore());
}

void TestConnectionSession::sessionRecordsInItsStore()
{
    // Pending entries of a group: a figure the charts draw, with a value known here.
    m_redis.run({RedisCommand{"XGROUP", "CREATE", "audit", "auditors", "0"},
                 RedisCommand{"XREADGROUP", "GROUP", "auditors", "a1", "COUNT", "1", "STREAMS",
                              "audit", ">"}});
    const QString directory = m_dir->filePath(QStringLiteral("history"));
    m_sessions->setHistoryDirectory(directory);
    ConnectionSession *session = startSaved();
    QVERIFY(session);
    HistoryStore *store = session->historyStore();
    QVERIFY(store);
    QCOMPARE(store->parent(), session);
    QCOMPARE(store->path(), HistoryStore::pathFor(directory, SavedId));
    QVERIFY(store->retention() == HistoryRetention());
    QTRY_COMPARE(store->mode(), HistoryStore::Mode::Writing);
    QVERIFY(session->historyNotice().isEmpty());
    QVERIFY(QFile::exists(store->path()));

    const qint64 before = QDateTime::currentMSecsSinceEpoch();
    QVERIFY(recordTicks(session, 3));
    // The store ticks at the monitor's interval.
    session->setSampling(2000, 10, {});
    QCOMPARE(session->monitor()->interval(), 2000);

    // What the monitor sampled of a group's pending entries, as the charts' ring has it (the
    // first tick may come before the group's figures; two ticks in one millisecond are one).
    const SeriesKey pending{"audit", "auditors", {}, Metric::Pending};
    const SeriesSamples sampled =
        session->history()->samples(pending, before - 1000, QDateTime::currentMSecsSinceEpoch());
    QSet<qint64> measured;
    for (qsizetype i = 0; i < sampled.timesMs.size(); ++i) {
        if (!std::isnan(sampled.values.at(i)))
            measured.insert(sampled.timesMs.at(i));
    }
    QVERIFY2(measured.size() >= 2, qPrintable(QString::number(measured.size())));

    // Ending the session: the monitor goes before the store (no tick reaches a store being
    // deleted), and the store's file stays for the next session.
    QStringList order;
    connect(session->monitor(), &QObject::destroyed, this,
            [&order] { order << QStringLiteral("monitor"); });
    connect(store, &QObject::destroyed, this, [&order] { order << QStringLiteral("store"); });
    m_sessions->end(SavedId);
    QCOMPARE(order, (QStringList{QStringLiteral("monitor"), QStringLiteral("store")}));
    const qint64 after = QDateTime::currentMSecsSinceEpoch();
    QVERIFY(QFile::exists(HistoryStore::pathFor(directory, SavedId)));

    // The next session of the profile reads back what this one recorded (from its reader's
    // own connection to the file).
    session = startSaved();
    QVERIFY(session);
    store = session->historyStore();
    QTRY_COMPARE(store->mode(), HistoryStore::Mode::Writing);
    QSignalSpy loaded(store, &HistoryStore::loaded);
    const quint64 request = store->load(pending, before - 1000, after, 100);
    QTRY_VERIFY(!loaded.isEmpty());
    QCOMPARE(loaded.last().at(0).value<quint64>(), request);
    const HistoryView view = loaded.last().at(1).value<HistoryView>();
    QVERIFY2(view.error.isEmpty(), qPrintable(view.error));
    QCOMPARE(view.key, pending);
    // Every one of them, and only those (the new session's own ticks come after `after`):
    // the columns count them, and each was 1.
    int stored = 0;
    for (const QList<HistoryBucket> &run : view.runs) {
        for (const HistoryBucket &bucket : run) {
            QCOMPARE(bucket.min, 1.0f);
            QCOMPARE(bucket.max, 1.0f);
            QCOMPARE(bucket.last, 1.0f);
            stored += int(bucket.count);
        }
    }
    QCOMPARE(stored, int(measured.size()));
}

void TestConnectionSession::secondSessionOfTheProfileReadsOnly()
{
    const QString directory = m_dir->filePath(QStringLiteral("history"));
    m_sessions->setHistoryDirectory(directory);
    ConnectionSession *first = startSaved();
    QVERIFY(first);
    QTRY_COMPARE(first->historyStore()->mode(), HistoryStore::Mode::Writing);

    // Another session of the same profile (as a second Weir would open it) reads only.
    ConnectionSession second(SavedId, m_profiles->find(SavedId)->options, directory,
                             HistoryRetention());
    QSignalSpy notices(&second, &ConnectionSession::historyNoticeChanged);
    HistoryStore *store = second.historyStore();
    QVERIFY(store);
    QCOMPARE(store->path(), first->historyStore()->path());
    QTRY_COMPARE(store->mode(), HistoryStore::Mode::ReadOnly);
    QTRY_COMPARE(notices.count(), 1);
    // The store's words, verbatim, and what to do in Weir.
    QVERIFY(!store->statusText().isEmpty());
    QCOMPARE(second.historyNotice(), store->statusText());
    QVERIFY2(second.historyNotice().contains(QLatin1String("Another Weir")),
             qPrintable(second.historyNotice()));
    QCOMPARE(notices.first().at(0).toString(), second.historyNotice());
    QVERIFY2(second.historyHint().contains(QLatin1String("close the other Weir"))
                 && second.historyHint().contains(QLatin1String("queues")),
             qPrintable(second.historyHint()));
    // The first one records on, unbothered.
    QCOMPARE(first->historyStore()->mode(), HistoryStore::Mode::Writing);
    QVERIFY(first->historyNotice().isEmpty());

    // Monitoring goes on in the read-only session: its charts' ring records.
    second.open();
    QTRY_VERIFY(second.monitor()->isRunning());
    QSignalSpy recorded(second.history(), &SeriesHistory::recorded);
    second.monitor()->tickNow();
    QTRY_VERIFY(!recorded.isEmpty());
    QCOMPARE(notices.count(), 1); // said once
}

void TestConnectionSession::unwritableHistorySaysSoAndMonitors()
{
    // The history's folder cannot be made: a file stands where it should be.
    const QString blocker = m_dir->filePath(QStringLiteral("not-a-folder"));
    QFile file(blocker);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.close();
    m_sessions->setHistoryDirectory(blocker);
    ConnectionSession *session = startSaved();
    QVERIFY(session);
    QSignalSpy notices(session, &ConnectionSession::historyNoticeChanged);
    QSignalSpy problems(session->historyStore(), &HistoryStore::problem);
    QTRY_COMPARE(session->historyStore()->mode(), HistoryStore::Mode::MemoryOnly);
    QTRY_COMPARE(problems.count(), 1);
    // The store's own words, said once (not again by the mode that followed).
    QCOMPARE(session->historyNotice(), problems.first().at(0).toString());
    QVERIFY2(session->historyNotice().contains(QDir::toNativeSeparators(blocker)),
             qPrintable(session->historyNotice()));
    QCOMPARE(notices.count(), 1);
    QVERIFY2(session->historyHint().contains(QLatin1String("Disconnect and Connect queues")),
             qPrintable(session->historyHint()));
    // Monitoring goes on.
    QTRY_VERIFY(session->monitor()->isRunning());
    QSignalSpy recorded(session->history(), &SeriesHistory::recorded);
    session->monitor()->tickNow();
    QTRY_VERIFY(!recorded.isEmpty());
    QCOMPARE(notices.count(), 1);
}

void TestConnectionSession::retentionReachesOpenSessions()
{
    m_sessions->setHistoryDirectory(m_dir->filePath(QStringLiteral("history")));
    ConnectionSession *session = startSaved();
    QVERIFY(session);
    HistoryRetention longer;
    longer.rawMs = 2 * 3600 * 1000;
    longer.minuteMs = qint64(14) * 24 * 3600 * 1000;
    longer.hourMs = qint64(180) * 24 * 3600 * 1000;
    m_sessions->setHistoryRetention(longer);
    QVERIFY(m_sessions->historyRetention() == longer);
    QVERIFY(session->historyStore()->retention() == longer);
    QCOMPARE(session->history()->spanMs(), longer.rawMs);
    // And the next session starts with it.
    m_sessions->end(SavedId);
    session = startSaved();
    QVERIFY(session->historyStore()->retention() == longer);
    QCOMPARE(session->history()->spanMs(), longer.rawMs);
}

QTEST_GUILESS_MAIN(TestConnectionSession)
#include "tst_connectionsession.moc"
