#include "respcodec.h"

#include <QIODevice>

#include <hiredis/hiredis.h>

#include <algorithm>
#include <charconv>
#include <cstring>
#include <vector>

namespace {

// hiredis 0.14 moves the rest of its buffer to the front each time a reply leaves it with
// 1 KiB consumed: fed a whole socket read at once (a monitor tick's replies are megabytes),
// that is a copy of megabytes per reply. Fed this much at a time, the copies stay small.
constexpr qsizetype FeedChunk = 4096;

} // namespace

QByteArray encodeCommand(const QList<QByteArray> &argv)
{
    // What redisFormatCommandArgv writes, without its printf per argument: a monitor tick
    // encodes tens of thousands of commands.
    char digits[24];
    auto number = [&digits](qsizetype n) {
        return qsizetype(std::to_chars(digits, digits + sizeof digits, n).ptr - digits);
    };
    qsizetype size = 1 + number(argv.size()) + 2;
    for (const QByteArray &a : argv)
        size += 1 + number(a.size()) + 2 + a.size() + 2;
    QByteArray out(size, Qt::Uninitialized);
    char *p = out.data();
    auto put = [&p](const char *data, qsizetype n) {
        std::memcpy(p, data, size_t(n));
        p += n;
    };
    auto line = [&](char type, qsizetype n) {
        *p++ = type;
        put(digits, number(n));
        put("\r\n", 2);
    };
    line('*', argv.size());
    for (const QByteArray &a : argv) {
        line('$', a.size());
        put(a.constData(), a.size());
        put("\r\n", 2);
    }
    return out;
}

// hiredis builds each reply through these functions: straight into RedisValues, with no
// intermediate redisReply tree to copy and free. The root is allocated here and handed
// out by next(); every other value is built in its slot of the parent's element list
// (sized once, when the array is created, so slot addresses stay valid). hiredis frees
// only roots (after an error, or with the reader).
struct RedisValueBuilder
{
    static RedisValue *slot(const redisReadTask *task)
    {
        if (!task->parent)
            return new RedisValue;
        auto *parent = static_cast<RedisValue *>(task->parent->obj);
        return &parent->m_elements[task->idx];
    }

    static void *createString(const redisReadTask *task, char *str, size_t len)
    {
        // hiredis 0.14 takes the two bytes after a bulk string's payload as its "\r\n"
        // without looking at them: a length that does not match the payload would go
        // unnoticed, and the reader would hand out a wrong value and lose its place in the
        // stream. Check them (for status and error lines they are the line's own "\r\n").
        auto *state = static_cast<RespDecoder::BuildState *>(task->privdata);
        if (str[len] != '\r' || str[len + 1] != '\n') {
            state->badTerminator = true;
            return nullptr; // hiredis turns this into an error; next() words it
        }
        RedisValue *v = slot(task);
        v->m_type = task->type == REDIS_REPLY_STATUS  ? RedisValue::Type::Status
                    : task->type == REDIS_REPLY_ERROR ? RedisValue::Type::Error
                                                      : RedisValue::Type::String;
        v->m_bytes = v->m_type == RedisValue::Type::String ? shared(state, str, len)
                                                           : QByteArray(str, qsizetype(len));
        return v;
    }

    // A short string equal to one lately decoded shares its copy: one allocation (and one
    // free) fewer for each field name of each entry.
    static QByteArray shared(RespDecoder::BuildState *state, const char *str, size_t len)
    {
        constexpr size_t MaxShared = 32;
        if (len == 0 || len > MaxShared)
            return QByteArray(str, qsizetype(len));
        quint32 hash = 2166136261u; // FNV-1a
        for (size_t i = 0; i < len; ++i)
            hash = (hash ^ uchar(str[i])) * 16777619u;
        QByteArray &recent = state->recent[(hash ^ (hash >> 16)) % state->recent.size()];
        if (recent.size() != qsizetype(len) || std::memcmp(recent.constData(), str, len) != 0)
            recent = QByteArray(str, qsizetype(len));
        return recent;
    }

    static void *createArray(const redisReadTask *task, int elements)
    {
        RedisValue *v = slot(task);
        v->m_type = RedisValue::Type::Array;
        v->m_elements.resize(elements);
        return v;
    }

    static void *createInteger(const redisReadTask *task, long long value)
    {
        RedisValue *v = slot(task);
        v->m_type = RedisValue::Type::Integer;
        v->m_integer = value;
        return v;
    }

    static void *createNil(const redisReadTask *task)
    {
        return slot(task); // a default RedisValue is nil
    }

    static void freeObject(void *root) { delete static_cast<RedisValue *>(root); }
};

static redisReplyObjectFunctions s_functions = {
    RedisValueBuilder::createString,  RedisValueBuilder::createArray,
    RedisValueBuilder::createInteger, RedisValueBuilder::createNil,
    RedisValueBuilder::freeObject,
};

RespDecoder::RespDecoder()
{
    reset();
}

RespDecoder::~RespDecoder()
{
    redisReaderFree(m_reader);
}

void RespDecoder::reset()
{
    if (m_reader)
        redisReaderFree(m_reader);
    m_reader = redisReaderCreateWithFunctions(&s_functions);
    m_state = BuildState();
    m_reader->privdata = &m_state;
    m_error.clear();
    m_pending.clear();
    m_pendingFrom = 0;
}

void RespDecoder::feed(const char *data, qsizetype size)
{
    if (!m_error.isEmpty() || size <= 0)
        return;
    dropConsumed();
    m_pending.append(data, size);
}

void RespDecoder::dropConsumed()
{
    if (m_pendingFrom > 0) {
        m_pending.remove(0, m_pendingFrom);
        m_pendingFrom = 0;
    }
}

void RespDecoder::feed(QIODevice *device)
{
    if (!m_error.isEmpty())
        return;
    dropConsumed();
    // Whatever the device says it holds, and more if more arrived meanwhile.
    constexpr qint64 ReadChunk = 64 * 1024;
    while (true) {
        const qsizetype had = m_pending.size();
        const qint64 want = qMax(ReadChunk, device->bytesAvailable());
        m_pending.resize(had + qsizetype(want));
        const qint64 got = device->read(m_pending.data() + had, want);
        m_pending.resize(had + qsizetype(qMax<qint64>(0, got)));
        if (got < want)
            return;
    }
}

RespDecoder::Result RespDecoder::next(RedisValue *reply)
{
    if (!m_error.isEmpty())
        return Result::Error;
    void *raw = nullptr;
    int status = redisReaderGetReply(m_reader, &raw);
    // The reader gets more bytes only when those it has hold no whole reply.
    while (status == REDIS_OK && !raw && m_pendingFrom < m_pending.size()) {
        const qsizetype n = std::min(FeedChunk, m_pending.size() - m_pendingFrom);
        status = redisReaderFeed(m_reader, m_pending.constData() + m_pendingFrom, size_t(n));
        m_pendingFrom += n;
        if (status == REDIS_OK)
            status = redisReaderGetReply(m_reader, &raw);
    }
    if (m_pendingFrom == m_pending.size()) {
        m_pending.clear();
        m_pendingFrom = 0;
    }
    if (status != REDIS_OK) {
        m_error = QString::fromUtf8(m_reader->errstr);
        if (m_state.badTerminator)
            m_error = QStringLiteral("Protocol error: a bulk string is not followed by \\r\\n "
                                     "(its length does not match its payload)");
        else if (m_error.startsWith(QLatin1String("No support for nested")))
            m_error = QStringLiteral("Reply nested deeper than 8 levels, which this client's "
                                     "RESP parser (hiredis 0.14) cannot read: ")
                      + m_error;
        else
            m_error = QStringLiteral("Protocol error: ")
                      + m_error.mid(m_error.startsWith(QLatin1String("Protocol error, ")) ? 16 : 0);
        return Result::Error;
    }
    if (!raw)
        return Result::NeedMore;
    auto *root = static_cast<RedisValue *>(raw);
    *reply = std::move(*root);
    delete root;
    return Result::Reply;
}
