#include "redisvalue.h"

#include <QStringList>

RedisValue RedisValue::integer(qint64 value)
{
    RedisValue v;
    v.m_type = Type::Integer;
    v.m_integer = value;
    return v;
}

RedisValue RedisValue::string(const QByteArray &bytes)
{
    RedisValue v;
    v.m_type = Type::String;
    v.m_bytes = bytes;
    return v;
}

RedisValue RedisValue::status(const QByteArray &text)
{
    RedisValue v = string(text);
    v.m_type = Type::Status;
    return v;
}

RedisValue RedisValue::error(const QByteArray &text)
{
    RedisValue v = string(text);
    v.m_type = Type::Error;
    return v;
}

RedisValue RedisValue::array(QList<RedisValue> elements)
{
    RedisValue v;
    v.m_type = Type::Array;
    v.m_elements = std::move(elements);
    return v;
}

QByteArray RedisValue::errorCode() const
{
    if (m_type != Type::Error)
        return {};
    const qsizetype space = m_bytes.indexOf(' ');
    return space < 0 ? m_bytes : m_bytes.left(space);
}

static void render(const RedisValue &v, QString &out, int indent)
{
    switch (v.type()) {
    case RedisValue::Type::Nil:
        out += QLatin1String("(nil)");
        break;
    case RedisValue::Type::Integer:
        out += QLatin1String("(integer) ") + QString::number(v.toInteger());
        break;
    case RedisValue::Type::String:
        out += QLatin1Char('"') + QString::fromUtf8(v.bytes()) + QLatin1Char('"');
        break;
    case RedisValue::Type::Status:
        out += QString::fromUtf8(v.bytes());
        break;
    case RedisValue::Type::Error:
        out += QLatin1String("(error) ") + QString::fromUtf8(v.bytes());
        break;
    case RedisValue::Type::Array:
        if (v.size() == 0) {
            out += QLatin1String("(empty array)");
            break;
        }
        for (qsizetype i = 0; i < v.size(); ++i) {
            if (i > 0)
                out += QLatin1Char('\n') + QString(indent, QLatin1Char(' '));
            const QString prefix = QString::number(i + 1) + QLatin1String(") ");
            out += prefix;
            render(v.at(i), out, indent + int(prefix.size()));
        }
        break;
    }
}

QString RedisValue::toDisplayString() const
{
    QString out;
    render(*this, out, 0);
    return out;
}

bool RedisValue::operator==(const RedisValue &other) const
{
    return m_type == other.m_type && m_integer == other.m_integer && m_bytes == other.m_bytes
           && m_elements == other.m_elements;
}
