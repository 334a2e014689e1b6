#pragma once

#include "redisconnection.h"
#include "replyguard.h"
#include "replyparsers.h"

#include <QObject>
#include <QPointer>

// What the inspector's header shows about one stream: XINFO STREAM (never FULL) and
// MEMORY USAGE, read in one pipelined request.
struct StreamSummary
{
    StreamInfo info;
    qint64 memoryBytes = -1; // -1: unknown (MEMORY USAGE refused, e.g. by ACL)
};

class StreamSummaryLoader : public QObject
{
    Q_OBJECT
public:
    explicit StreamSummaryLoader(QObject *parent = nullptr);

    // Reads the summary of `key`; loaded() or failed() follows (a newer load() drops the
    // older one's answer).
    void load(RedisConnection *connection, const QByteArray &key);

Q_SIGNALS:
    void loaded(const StreamSummary &summary);
    // The Redis error verbatim: "ERR no such key" when the stream is gone, WRONGTYPE...
    void failed(const QString &message);

private:
    ReplyGuard m_replies;
};

// "1.2 MB", "830 bytes": sizes as an operator reads them.
QString formatBytes(qint64 bytes);
