#pragma once

#include "redisvalue.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <array>

class QIODevice;

struct redisReader;

// RESP encoding of one command (binary safe): the bytes hiredis' redisFormatCommandArgv
// writes.
QByteArray encodeCommand(const QList<QByteArray> &argv);

// Incremental RESP2 decoder on hiredis' redisReader. Feed it bytes as they arrive
// and take complete replies out with next(). After a protocol error (malformed
// input, or nesting deeper than hiredis 0.14 supports) the decoder stays failed:
// the byte stream can no longer be trusted, so the owner must drop the connection.
class RespDecoder
{
public:
    enum class Result { Reply, NeedMore, Error };

    RespDecoder();
    ~RespDecoder();
    RespDecoder(const RespDecoder &) = delete;
    RespDecoder &operator=(const RespDecoder &) = delete;

    void feed(const char *data, qsizetype size);
    void feed(const QByteArray &data) { feed(data.constData(), data.size()); }
    // Reads what `device` has now straight into the buffer, with no copy in between (a page
    // of entries is hundreds of KiB). A device that fails says so itself (a socket's
    // errorOccurred).
    void feed(QIODevice *device);
    Result next(RedisValue *reply);
    QString errorString() const { return m_error; }
    // Starts again with an empty buffer, e.g. on a new connection.
    void reset();

private:
    void dropConsumed(); // from the front of m_pending, what the reader already has

    redisReader *m_reader = nullptr;
    // Bytes fed but not yet handed to the reader: it gets them a few KiB at a time, see
    // next().
    QByteArray m_pending;
    qsizetype m_pendingFrom = 0;
    friend struct RedisValueBuilder; // the reader's callbacks, in respcodec.cpp

    // What the reader's callbacks share with the decoder.
    struct BuildState
    {
        bool badTerminator = false;
        // Short bulk strings lately decoded, by a hash of their bytes: field names repeat in
        // every entry of a reply, and each one read again shares the copy kept here.
        std::array<QByteArray, 256> recent;
    };
    BuildState m_state;
    QString m_error;
};
