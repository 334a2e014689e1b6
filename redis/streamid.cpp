#include "streamid.h"

// Digits only, as Redis reads ids: QByteArray::toULongLong alone would also take
// " 1", "1 " and "+1", which Redis rejects.
static bool readNumber(const QByteArray &digits, quint64 *out)
{
    if (digits.isEmpty())
        return false;
    for (const char c : digits) {
        if (c < '0' || c > '9')
            return false;
    }
    bool ok = false;
    *out = digits.toULongLong(&ok); // fails on overflow
    return ok;
}

std::optional<StreamId> StreamId::parse(const QByteArray &text)
{
    const qsizetype dash = text.indexOf('-');
    StreamId id;
    if (dash < 0)
        return readNumber(text, &id.ms) ? std::optional<StreamId>(id) : std::nullopt;
    if (!readNumber(text.left(dash), &id.ms) || !readNumber(text.mid(dash + 1), &id.seq))
        return std::nullopt;
    return id;
}

QByteArray StreamId::toByteArray() const
{
    return QByteArray::number(ms) + '-' + QByteArray::number(seq);
}
