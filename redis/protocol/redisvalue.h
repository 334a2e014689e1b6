#pragma once

#include <QByteArray>
#include <QList>
#include <QMetaType>

// One RESP2 reply, as a value: cheap to copy (implicitly shared payloads), safe to
// hand across threads through queued signals.
class RedisValue
{
public:
    enum class Type : quint8 { Nil, Integer, String, Status, Error, Array };

    RedisValue() = default;
    static RedisValue nil() { return {}; }
    static RedisValue integer(qint64 value);
    static RedisValue string(const QByteArray &bytes);
    static RedisValue status(const QByteArray &text);
    static RedisValue error(const QByteArray &text);
    static RedisValue array(QList<RedisValue> elements);

    Type type() const { return m_type; }
    bool isNil() const { return m_type == Type::Nil; }
    bool isInteger() const { return m_type == Type::Integer; }
    bool isString() const { return m_type == Type::String; }
    bool isStatus() const { return m_type == Type::Status; }
    bool isError() const { return m_type == Type::Error; }
    bool isArray() const { return m_type == Type::Array; }

    qint64 toInteger() const { return m_integer; }
    // The payload of a string, status or error reply; empty otherwise.
    const QByteArray &bytes() const { return m_bytes; }
    const QList<RedisValue> &elements() const { return m_elements; }
    qsizetype size() const { return m_elements.size(); }
    const RedisValue &at(qsizetype i) const { return m_elements.at(i); }

    // The error code of an error reply: its first word ("WRONGTYPE", "NOPERM", "ERR").
    QByteArray errorCode() const;

    // redis-cli style rendering, for logs and tests.
    QString toDisplayString() const;

    bool operator==(const RedisValue &other) const;
    bool operator!=(const RedisValue &other) const { return !(*this == other); }

private:
    friend struct RedisValueBuilder; // the RESP decoder builds values in place

    Type m_type = Type::Nil;
    qint64 m_integer = 0;
    QByteArray m_bytes;
    QList<RedisValue> m_elements;
};

Q_DECLARE_METATYPE(RedisValue)
