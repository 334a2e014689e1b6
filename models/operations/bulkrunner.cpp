#include "bulkrunner.h"

#include <QTimer>

BulkRunner::BulkRunner(QObject *parent)
    : QObject(parent)
    , m_pace(new QTimer(this))
{
    qRegisterMetaType<BulkRunner::Report>();
    m_pace->setSingleShot(true);
    connect(m_pace, &QTimer::timeout, this, &BulkRunner::sendMore);
}

BulkRunner::~BulkRunner() = default;

QList<BulkRunner::Chunk>
BulkRunner::chunked(const QList<QByteArray> &ids, int perChunk,
                    const std::function<QList<RedisCommand>(const QList<QByteArray> &)> &make)
{
    QList<Chunk> chunks;
    perChunk = qMax(1, perChunk);
    for (qsizetype first = 0; first < ids.size(); first += perChunk) {
        const QList<QByteArray> part = ids.mid(first, perChunk);
        chunks.append(Chunk{make(part), part});
    }
    return chunks;
}

bool BulkRunner::start(RedisConnection *connection, QList<Chunk> chunks, Verifier verifier)
{
    if (m_running || !connection)
        return false;
    m_connection = connection;
    m_chunks = std::move(chunks);
    m_verifier = std::move(verifier);
    m_report = Report{};
    m_report.chunks = int(m_chunks.size());
    m_toVerify.clear();
    m_next = 0;
    m_inFlight = 0;
    m_total = 0;
    for (const Chunk &c : std::as_const(m_chunks))
        m_total += c.ids.size();
    m_settled = 0;
    m_sentIds = 0;
    m_rateBase = 0;
    m_clock.start();
    m_running = true;
    m_stop = false;
    m_paused = false;
    Q_EMIT progress(0, m_total);
    sendMore();
    if (m_inFlight == 0)
        finish(); // nothing to do
    return true;
}

void BulkRunner::cancel()
{
    if (!m_running || m_stop)
        return;
    m_stop = true;
    m_report.cancelled = true;
    m_pace->stop();
    if (m_inFlight == 0 && m_toVerify.isEmpty()) { // between paced chunks
        markUnsentNotDone();
        finish();
    }
}

void BulkRunner::pause()
{
    if (!m_running || m_stop)
        return;
    m_paused = true;
    m_pace->stop();
}

void BulkRunner::resume()
{
    if (!m_paused)
        return;
    m_paused = false;
    m_rateBase = m_sentIds;
    m_clock.restart();
    sendMore();
}

void BulkRunner::markUnsentNotDone()
{
    for (int i = m_next; i < m_chunks.size(); ++i)
        m_report.notDone += m_chunks.at(i).ids;
    m_next = int(m_chunks.size());
}

void BulkRunner::sendMore()
{
    while (!m_stop && !m_paused && m_inFlight < m_window && m_next < m_chunks.size()
           && m_connection) {
        if (m_rate > 0) { // chunk k goes when the ids before it are due
            const qint64 due = qint64(1000.0 * double(m_sentIds - m_rateBase) / m_rate);
            if (m_clock.elapsed() < due) {
                if (!m_pace->isActive())
                    m_pace->start(int(due - m_clock.elapsed()));
                return;
            }
        }
        const int index = m_next++;
        m_sentIds += m_chunks.at(index).ids.size();
        QList<RedisCommand> commands = m_chunks.at(index).prelude + m_chunks.at(index).commands;
        if (commands.size() > 1) {
            commands.prepend(RedisCommand{"MULTI"});
            commands.append(RedisCommand{"EXEC"});
        }
        ++m_inFlight;
        m_connection->send(std::move(commands), this,
                           [this, index](const RedisResult &r) { onChunk(index, r); });
    }
}

void BulkRunner::onChunk(int index, const RedisResult &result)
{
    --m_inFlight;
    const Chunk &chunk = m_chunks.at(index);
    const auto fail = [this](const QString &error) {
        if (m_report.error.isEmpty())
            m_report.error = error;
        m_stop = true;
    };
    if (!result.ok()) {
        if (result.sent) {
            m_toVerify.append(index); // written: it may or may not have been applied
        } else {
            m_report.notDone += chunk.ids;
            m_settled += chunk.ids.size();
        }
        fail(result.error);
    } else {
        // One command: its reply. Several: MULTI's OK, a QUEUED each, and EXEC's array
        // (or EXECABORT when a command was refused while queueing: nothing applied).
        const qsizetype sent = chunk.prelude.size() + chunk.commands.size();
        QList<RedisValue> replies;
        if (sent == 1) {
            replies = result.replies;
        } else {
            const RedisValue &exec = result.replies.constLast();
            if (exec.isArray()) {
                replies = exec.elements();
            } else {
                for (const RedisValue &queued : result.replies) {
                    if (queued.isError()) {
                        replies = QList<RedisValue>(sent, queued);
                        break;
                    }
                }
                if (replies.isEmpty())
                    replies = QList<RedisValue>(sent, exec);
            }
        }
        for (qsizetype i = 0; i < chunk.prelude.size() && i < replies.size(); ++i) {
            if (replies.at(i).isError())
                fail(QString::fromUtf8(replies.at(i).bytes()));
        }
        replies = replies.mid(chunk.prelude.size());
        // A command that fails at run time inside EXEC does not undo the others. With one
        // command per id (publishing copies) each id goes by its command's reply; otherwise
        // the chunk's ids go by its first command (XDEL, with XACKs that follow it), and a
        // later command's error is reported as the run's error.
        const bool perId = chunk.commands.size() > 1 && chunk.commands.size() == chunk.ids.size();
        QList<QByteArray> applied;
        const auto skip = [this](const QList<QByteArray> &ids, const QString &reason) {
            m_report.notDone += ids;
            for (const QByteArray &id : ids)
                m_report.reasons.insert(id, reason);
        };
        for (qsizetype i = 0; i < replies.size(); ++i) {
            const RedisValue &reply = replies.at(i);
            if (!perId && i > 0) {
                if (reply.isError())
                    fail(QString::fromUtf8(reply.bytes()));
                continue;
            }
            const QList<QByteArray> ids = perId ? chunk.ids.mid(i, 1) : chunk.ids;
            const QString skipped =
                m_verifier.skipped && !reply.isError() ? m_verifier.skipped(reply) : QString();
            if (reply.isError()) {
                const QString error = QString::fromUtf8(reply.bytes());
                skip(ids, error);
                m_report.failed += ids;
                if (m_stopOnError || !perId)
                    fail(error);
            } else if (!skipped.isEmpty()) {
                skip(ids, skipped);
            } else if (reply.isNil()) { // it did nothing (XADD NOMKSTREAM, no stream)
                m_report.notDone += ids;
            } else if (m_verifier.fromReply && chunk.commands.size() == 1) {
                const QList<bool> done = m_verifier.fromReply(ids, reply);
                if (done.size() != ids.size()) { // the reply does not tell: read back
                    m_toVerify.append(index);
                    continue;
                }
                for (qsizetype k = 0; k < ids.size(); ++k) {
                    const bool ok = done.value(k, false);
                    if (ok)
                        applied += ids.at(k);
                    else
                        m_report.notDone += ids.at(k);
                    m_report.affected += ok ? 1 : 0;
                }
                continue;
            } else {
                applied += ids;
                if (reply.isInteger())
                    m_report.affected += reply.toInteger();
                else if (reply.isArray())
                    m_report.affected += reply.size();
                else
                    m_report.affected += ids.size();
                continue;
            }
            m_settled += ids.size();
        }
        if (m_secondPhase && !applied.isEmpty()) {
            sendSecondPhase(applied);
        } else {
            m_report.done += applied;
            m_settled += applied.size();
        }
    }
    goOn();
}

// After a reply: progress, the next chunks, and once nothing is in flight any more, the
// verification of chunks of unknown fate and the end.
void BulkRunner::goOn()
{
    Q_EMIT progress(m_settled, m_total);
    sendMore();
    if (m_inFlight > 0)
        return;
    if (m_stop) // whatever was never sent is not done
        markUnsentNotDone();
    if (m_next == m_chunks.size()) {
        if (!m_toVerify.isEmpty())
            verifyNext();
        else
            finish();
    }
}

// The second phase goes only for ids whose first is known applied; if its outcome is not
// known to be complete, those ids are the ones written twice should the run be repeated.
void BulkRunner::sendSecondPhase(const QList<QByteArray> &ids)
{
    ++m_inFlight;
    m_connection->send(m_secondPhase(ids), this, [this, ids](const RedisResult &r) {
        --m_inFlight;
        QString error = r.ok() ? QString() : r.error;
        for (const RedisValue &reply : r.replies) {
            if (error.isEmpty() && reply.isError())
                error = QString::fromUtf8(reply.bytes());
        }
        if (error.isEmpty()) {
            m_report.done += ids;
        } else {
            m_report.firstPhaseOnly += ids;
            if (m_report.error.isEmpty())
                m_report.error = error;
            m_stop = true;
        }
        m_settled += ids.size();
        goOn();
    });
}

// Reads what Redis holds for each chunk of unknown fate, once the connection is back.
// Reads are safe to repeat: a failed one is tried again until the timeout.
void BulkRunner::verifyNext()
{
    if (m_toVerify.isEmpty()) {
        finish();
        return;
    }
    const int index = m_toVerify.first();
    if (!m_verifier || !m_connection) {
        m_report.unknown += m_chunks.at(index).ids;
        m_toVerify.removeFirst();
        verifyNext();
        return;
    }
    auto *deadline = new QTimer(this);
    deadline->setSingleShot(true);
    deadline->start(m_verifyTimeoutMs);
    auto attempt = std::make_shared<std::function<void()>>();
    *attempt = [this, index, deadline, attempt] {
        m_connection->send(m_verifier.commands(m_chunks.at(index).ids), this,
                           [this, index, deadline, attempt](const RedisResult &r) {
            const QList<QByteArray> &ids = m_chunks.at(index).ids;
            const QList<bool> applied = r.ok() ? m_verifier.applied(ids, r.replies) : QList<bool>();
            if (applied.size() != ids.size()) {
                if (deadline->isActive() && m_connection) {
                    QTimer::singleShot(200, this, [attempt] { (*attempt)(); });
                    return;
                }
                m_report.unknown += ids;
            } else {
                for (qsizetype i = 0; i < ids.size(); ++i)
                    (applied.at(i) ? m_report.done : m_report.notDone).append(ids.at(i));
                m_report.verified += ids.size();
            }
            *attempt = nullptr; // breaks the cycle between the function and its capture
            deadline->deleteLater();
            m_settled += ids.size();
            Q_EMIT progress(m_settled, m_total);
            m_toVerify.removeFirst();
            verifyNext();
        });
    };
    (*attempt)();
}

void BulkRunner::finish()
{
    m_running = false;
    m_chunks.clear();
    Q_EMIT finished(m_report);
}
