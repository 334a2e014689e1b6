#pragma once

// Helpers shared by the tests of recorded replies: exact byte strings, RESP built piece by
// piece, readable QCOMPARE output for RedisValue, and decoding recorded RESP through
// RespDecoder.

#include "redisvalue.h"
#include "respcodec.h"

#include <QByteArray>
#include <QString>
#include <QtTest>

// The bytes of a string literal, embedded NULs included ("a\0b" is three bytes).
template<qsizetype N> QByteArray raw(const char (&text)[N])
{
    return QByteArray(text, N - 1);
}

// RESP2 as a server writes it, for replies built in a test rather than recorded.
namespace wire {

inline QByteArray bulk(const QByteArray &payload)
{
    return '$' + QByteArray::number(payload.size()) + "\r\n" + payload + "\r\n";
}

// The header of an array of `n` elements; the elements follow it.
inline QByteArray arr(int n)
{
    return '*' + QByteArray::number(n) + "\r\n";
}

inline QByteArray num(qint64 n)
{
    return ':' + QByteArray::number(n) + "\r\n";
}

inline const QByteArray nil = "$-1\r\n";
inline const QByteArray nilArray = "*-1\r\n";

} // namespace wire

// An unambiguous one-line form: types are visible, bytes are escaped.
inline QByteArray describe(const RedisValue &v)
{
    auto escaped = [](const QByteArray &bytes) {
        QByteArray out;
        for (const char c : bytes) {
            const auto u = uchar(c);
            if (c == '\\' || c == '"')
                out += '\\' + QByteArray(1, c);
            else if (u >= 0x20 && u < 0x7f)
                out += c;
            else
                out += "\\x" + QByteArray::number(u, 16).rightJustified(2, '0');
        }
        return out;
    };
    switch (v.type()) {
    case RedisValue::Type::Nil:
        return "nil";
    case RedisValue::Type::Integer:
        return ':' + QByteArray::number(v.toInteger());
    case RedisValue::Type::String:
        return '"' + escaped(v.bytes()) + '"';
    case RedisValue::Type::Status:
        return '+' + escaped(v.bytes());
    case RedisValue::Type::Error:
        return '-' + escaped(v.bytes());
    case RedisValue::Type::Array: {
        QByteArrayList parts;
        for (const RedisValue &e : v.elements())
            parts.append(describe(e));
        return '[' + parts.join(", ") + ']';
    }
    }
    return "?";
}

// Found by argument-dependent lookup, so QCOMPARE prints both sides.
inline char *toString(const RedisValue &v)
{
    return qstrdup(describe(v).constData());
}

inline char *toString(RespDecoder::Result r)
{
    switch (r) {
    case RespDecoder::Result::Reply:
        return qstrdup("Reply");
    case RespDecoder::Result::NeedMore:
        return qstrdup("NeedMore");
    case RespDecoder::Result::Error:
        return qstrdup("Error");
    }
    return qstrdup("?");
}

// Decodes `wire`, which must hold exactly one complete reply.
inline bool decodeOne(const QByteArray &wire, RedisValue *value, QString *why)
{
    RespDecoder decoder;
    decoder.feed(wire);
    switch (decoder.next(value)) {
    case RespDecoder::Result::NeedMore:
        *why = QStringLiteral("incomplete reply");
        return false;
    case RespDecoder::Result::Error:
        *why = decoder.errorString();
        return false;
    case RespDecoder::Result::Reply:
        break;
    }
    RedisValue extra;
    if (decoder.next(&extra) != RespDecoder::Result::NeedMore) {
        *why = QStringLiteral("bytes left after the reply");
        return false;
    }
    return true;
}

// QVERIFY that `wire` decodes to exactly one reply, stored in `value`.
#define DECODE_ONE(wire, value)                                                                    \
    do {                                                                                           \
        QString why_;                                                                              \
        QVERIFY2(decodeOne((wire), &(value), &why_), qPrintable(why_));                            \
    } while (false)

// Every reply that differs from `v` in one place: a node replaced by another type, or an
// element dropped from an array. Parsers must refuse each one, or accept it, never crash.
inline QList<RedisValue> mutations(const RedisValue &v)
{
    static const QList<RedisValue> replacements{
        RedisValue::nil(),         RedisValue::integer(-1),
        RedisValue::string("x"),   RedisValue::string(""),
        RedisValue::status("OK"),  RedisValue::error("ERR injected"),
        RedisValue::array({}),     RedisValue::array({RedisValue::string("x")}),
        RedisValue::string("1-1"), RedisValue::array({RedisValue::nil(), RedisValue::nil()})};
    QList<RedisValue> out;
    for (const RedisValue &r : replacements) {
        if (r != v)
            out.append(r);
    }
    for (qsizetype i = 0; i < v.size(); ++i) {
        QList<RedisValue> dropped = v.elements();
        dropped.removeAt(i);
        out.append(RedisValue::array(dropped));
        for (const RedisValue &m : mutations(v.at(i))) {
            QList<RedisValue> changed = v.elements();
            changed[i] = m;
            out.append(RedisValue::array(changed));
        }
    }
    return out;
}
