#include "sessionmanager.h"

#include "alertlogmodel.h"
#include "commandlogmodel.h"
#include "connectionsession.h"
#include "profilestate.h"
#include "redisconnection.h"
#include "streamlistmodel.h"
#include "threadcheck.h"

SessionManager::SessionManager(ProfileState *profiles, QObject *parent)
    : QObject(parent)
    , m_profiles(profiles)
    , m_commandLog(new CommandLogModel(this))
    , m_alertLog(new AlertLogModel(this))
{
    connect(profiles, &ProfileState::deadLetterConventionsChanged, this,
            [this](const QString &id, const DeadLetterConventions &conventions) {
        if (ConnectionSession *s = session(id))
            s->overview()->setDeadLetterConventions(conventions);
    });
    connect(profiles, &ProfileState::alertRulesChanged, this,
            [this](const QString &id, const AlertRules &rules) {
        if (ConnectionSession *s = session(id))
            s->alertEngine()->setRules(rules); // in force from the next tick
    });
}

SessionManager::~SessionManager()
{
    endAll();
}

ConnectionSession *SessionManager::start(const QString &profileId, const ConnectionOptions &options)
{
    WEIR_ASSERT_OBJECT_THREAD(this);
    end(profileId);
    auto *session =
        new ConnectionSession(profileId, options, m_historyDirectory, m_historyRetention, this);
    session->overview()->setDeadLetterConventions(m_profiles->deadLetterConventions(profileId));
    session->alertEngine()->setRules(m_profiles->alertRules(profileId));
    connect(session->alertEngine(), &AlertEngine::changed, m_alertLog, &AlertLogModel::append);
    session->logTo(m_commandLog); // before anything is sent: the log misses nothing
    m_sessions.insert(profileId, session);
    Q_EMIT sessionStarted(session);
    session->open();
    return session;
}

void SessionManager::end(const QString &profileId)
{
    WEIR_ASSERT_OBJECT_THREAD(this);
    ConnectionSession *session = m_sessions.take(profileId);
    if (!session)
        return;
    Q_EMIT sessionEnding(session);
    delete session;
    m_alertLog->endConnection(profileId); // not watched any more: its alerts are not active
    Q_EMIT sessionEnded(profileId);
}

void SessionManager::endAll()
{
    WEIR_ASSERT_OBJECT_THREAD(this);
    const QStringList ids = m_sessions.keys();
    for (const QString &id : ids)
        end(id);
}

void SessionManager::setHistoryRetention(const HistoryRetention &retention)
{
    WEIR_ASSERT_OBJECT_THREAD(this);
    m_historyRetention = retention;
    for (ConnectionSession *session : std::as_const(m_sessions))
        session->setHistoryRetention(retention);
}

void SessionManager::logConnectionTest(RedisConnection *connection)
{
    WEIR_ASSERT_OBJECT_THREAD(this);
    const ConnectionOptions &o = connection->options();
    m_commandLog->attach(connection, tr("%1 (test)").arg(o.name.isEmpty() ? o.endpoint() : o.name));
}
