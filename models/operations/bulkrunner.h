#pragma once

#include "redisconnection.h"

#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QPointer>

#include <functional>

class QTimer;

// One bulk write (ack, claim, delete, publish), run in chunks so that it goes at
// pipelined speed, shows progress, can be cancelled, and never leaves a chunk half done.
//
// Each chunk is one request: its commands are pipelined, and when there are several they
// are wrapped in MULTI/EXEC, so the server applies the chunk whole or not at all (a single
// XACK, XDEL or XCLAIM over many ids is atomic by itself). Up to window() chunks are in
// flight at once. A chunk that fails stops the run: nothing more is sent, and nothing is
// sent again. When a chunk's fate is unknown (the connection dropped after it was written,
// or its reply timed out) and the action can tell what Redis holds, the runner waits for the
// connection to come back and reads it (Action::verify), so the report says exactly which
// ids were done.
class BulkRunner : public QObject
{
    Q_OBJECT
public:
    struct Chunk
    {
        // Without MULTI/EXEC. Several commands: either one per id (in the order of ids),
        // or a first command over all the ids followed by others that go with it.
        QList<RedisCommand> commands;
        QList<QByteArray> ids; // what the chunk acts on, for the report
        // Sent first, in the same MULTI/EXEC, for the commands to rely on (SCRIPT LOAD
        // for EVALSHA); their replies are not the ids'.
        QList<RedisCommand> prelude = {};
    };

    // How an action learns, after the fact, which ids of a chunk took effect: the read
    // commands to send, and from their replies one flag per id (true: done). Without it
    // a chunk of unknown fate is reported as unknown.
    struct Verifier
    {
        std::function<QList<RedisCommand>(const QList<QByteArray> &ids)> commands;
        std::function<QList<bool>(const QList<QByteArray> &ids, const QList<RedisValue> &replies)>
            applied;
        // Optional: for a one-command chunk whose reply names what it did (XCLAIM lists
        // the entries it claimed), which of its ids were done, or an empty list when the
        // reply cannot tell (then the chunk is read back as after a lost reply); without
        // it, every id of a chunk the server accepted counts as done.
        std::function<QList<bool>(const QList<QByteArray> &ids, const RedisValue &reply)> fromReply;
        // Optional: with one command per id, the reason a reply says its id was skipped
        // (empty: done). Without it only a nil reply means skipped.
        std::function<QString(const RedisValue &reply)> skipped;
        explicit operator bool() const { return commands && applied; }
    };

    struct Report
    {
        QList<QByteArray> done; // ids the server applied the action to (or verified done)
        QList<QByteArray>
            notDone; // ids never sent (cancel, an earlier failure) or verified not done
        QList<QByteArray> unknown; // ids whose fate could not be learnt
        qint64 affected = 0;       // what the server counted (XACK, XDEL: how many it removed)
        qint64 verified = 0;       // ids of unknown fate whose outcome was read back
        // Why an id of notDone was not done, when the server said: its error verbatim
        // (the id is in `failed` too) or why it skipped it.
        QHash<QByteArray, QString> reasons;
        QList<QByteArray> failed; // ids whose command the server refused with an error
        // With a second phase: ids whose first phase was applied but whose second was
        // not, or not known to be (the copy is written, the original stays).
        QList<QByteArray> firstPhaseOnly;
        bool cancelled = false;
        QString error; // the first failure: a Redis error verbatim, or what happened
        int chunks = 0;
    };

    explicit BulkRunner(QObject *parent = nullptr);
    ~BulkRunner() override;

    void setWindow(int chunksInFlight) { m_window = qMax(1, chunksInFlight); }
    int window() const { return m_window; }
    // At most this many ids a second (0: no limit), chunk by chunk: for load tests.
    void setRate(double idsPerSecond) { m_rate = qMax(0.0, idsPerSecond); }
    // How long to wait for the connection to come back before giving up on verifying.
    void setVerifyTimeoutMs(int ms) { m_verifyTimeoutMs = ms; }
    // With one command per id: whether an id refused with an error stops the run (the
    // default) or is reported failed while the others go on.
    void setStopOnError(bool stop) { m_stopOnError = stop; }
    // A second request per chunk, sent once the chunk is applied, over the ids it did
    // (copy first, then remove: the removal goes only after the copy is known written).
    // An id counts as done when both phases are.
    using SecondPhase = std::function<QList<RedisCommand>(const QList<QByteArray> &doneIds)>;
    void setSecondPhase(SecondPhase secondPhase) { m_secondPhase = std::move(secondPhase); }

    // Starts the run on `connection` (not owned). Returns false (and does nothing) while a
    // run is under way.
    bool start(RedisConnection *connection, QList<Chunk> chunks, Verifier verifier = {});
    // Sends no further chunk; the ones in flight finish and are reported. finished()
    // follows with cancelled set.
    void cancel();
    bool isRunning() const { return m_running; }
    // Sends no further chunk until resume(); the ones in flight finish. The rate limit
    // starts afresh on resume.
    void pause();
    void resume();
    bool isPaused() const { return m_paused; }

    // Splits `ids` into chunks of at most `perChunk`, each made by `make`.
    static QList<Chunk>
    chunked(const QList<QByteArray> &ids, int perChunk,
            const std::function<QList<RedisCommand>(const QList<QByteArray> &)> &make);

Q_SIGNALS:
    void progress(qint64 idsDone, qint64 idsTotal);
    void finished(const BulkRunner::Report &report);

private:
    void sendMore();
    void onChunk(int index, const RedisResult &result);
    void verifyNext();
    void finish();
    void markUnsentNotDone();
    void sendSecondPhase(const QList<QByteArray> &ids);
    void goOn();

    QPointer<RedisConnection> m_connection;
    QList<Chunk> m_chunks;
    Verifier m_verifier;
    Report m_report;
    QList<int> m_toVerify; // chunks of unknown fate
    int m_next = 0;        // the next chunk to send
    int m_inFlight = 0;
    int m_window = 4;
    int m_verifyTimeoutMs = 15000;
    double m_rate = 0;
    qint64 m_sentIds = 0;
    qint64 m_rateBase = 0; // ids sent before the rate clock last started
    QElapsedTimer m_clock; // since the run started, for the rate limit
    QTimer *m_pace;        // sends the next chunk when the rate allows
    qint64 m_total = 0;
    qint64 m_settled = 0; // ids reported done or not done so far
    bool m_running = false;
    bool m_stop = false; // cancelled, or a chunk failed: send nothing more
    bool m_paused = false;
    bool m_stopOnError = true;
    SecondPhase m_secondPhase;
};

Q_DECLARE_METATYPE(BulkRunner::Report)
