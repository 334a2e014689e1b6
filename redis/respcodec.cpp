#include "respcodec.h"

#include <hiredis/hiredis.h>

#include <vector>

QByteArray encodeCommand(const QList<QByteArray> &argv)
{
    std::vector<const char *> args;
    std::vector<size_t> lengths;
    args.reserve(argv.size());
    lengths.reserve(argv.size());
    for (const QByteArray &a : argv) {
        args.push_back(a.constData());
        lengths.push_back(size_t(a.size()));
    }
    char *out = nullptr;
    const int len = redisFormatCommandArgv(&out, int(args.size()), args.data(), lengths.data());
    if (len < 0)
        return {};
    QByteArray result(out, len);
    redisFreeCommand(out);
    return result;
}

static RedisValue toValue(const redisReply *r)
{
    switch (r->type) {
    case REDIS_REPLY_STRING:
        return RedisValue::string(QByteArray(r->str, qsizetype(r->len)));
    case REDIS_REPLY_STATUS:
        return RedisValue::status(QByteArray(r->str, qsizetype(r->len)));
    case REDIS_REPLY_ERROR:
        return RedisValue::error(QByteArray(r->str, qsizetype(r->len)));
    case REDIS_REPLY_INTEGER:
        return RedisValue::integer(r->integer);
    case REDIS_REPLY_ARRAY: {
        QList<RedisValue> elements;
        elements.reserve(qsizetype(r->elements));
        for (size_t i = 0; i < r->elements; ++i)
            elements.append(toValue(r->element[i]));
        return RedisValue::array(std::move(elements));
    }
    default:
        return RedisValue::nil();
    }
}

// hiredis 0.14 takes the two bytes after a bulk string's payload as its "\r\n" without
// looking at them: a length that does not match the payload would go unnoticed, and the
// reader would hand out a wrong value and lose its place in the stream. This createString
// checks them (for status and error lines they are the line's own "\r\n") and fails the
// read when they are wrong.
static void *(*s_createString)(const redisReadTask *, char *, size_t) = nullptr;

static void *createCheckedString(const redisReadTask *task, char *str, size_t len)
{
    if (str[len] != '\r' || str[len + 1] != '\n') {
        *static_cast<bool *>(task->privdata) = true;
        return nullptr; // hiredis turns this into an error; next() words it
    }
    return s_createString(task, str, len);
}

static redisReplyObjectFunctions *checkedFunctions()
{
    static redisReplyObjectFunctions functions = [] {
        redisReader *plain = redisReaderCreate();
        redisReplyObjectFunctions f = *plain->fn;
        redisReaderFree(plain);
        s_createString = f.createString;
        f.createString = createCheckedString;
        return f;
    }();
    return &functions;
}

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
    m_reader = redisReaderCreateWithFunctions(checkedFunctions());
    m_badTerminator = false;
    m_reader->privdata = &m_badTerminator;
    m_error.clear();
}

void RespDecoder::feed(const char *data, qsizetype size)
{
    if (m_error.isEmpty() && size > 0 && redisReaderFeed(m_reader, data, size_t(size)) != REDIS_OK)
        m_error = QString::fromUtf8(m_reader->errstr);
}

RespDecoder::Result RespDecoder::next(RedisValue *reply)
{
    if (!m_error.isEmpty())
        return Result::Error;
    void *raw = nullptr;
    if (redisReaderGetReply(m_reader, &raw) != REDIS_OK) {
        m_error = QString::fromUtf8(m_reader->errstr);
        if (m_badTerminator)
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
    *reply = toValue(static_cast<redisReply *>(raw));
    freeReplyObject(raw);
    return Result::Reply;
}
