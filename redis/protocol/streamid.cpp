#include "streamid.h"

#include <algorithm>
#include <limits>

// Digits only, as Redis reads ids (no sign, no spaces), without overflow; read in place,
// since this runs for every entry of every page.
static bool readNumber(const char *begin, const char *end, quint64 *out)
{
    if (begin == end)
        return false;
    quint64 value = 0;
    for (const char *p = begin; p != end; ++p) {
        if (*p < '0' || *p > '9')
            return false;
        const quint64 digit = quint64(*p - '0');
        if (value > (std::numeric_limits<quint64>::max() - digit) / 10)
            return false;
        value = value * 10 + digit;
    }
    *out = value;
    return true;
}

std::optional<StreamId> StreamId::parse(const QByteArray &text)
{
    const char *begin = text.constData();
    const char *end = begin + text.size();
    const char *dash = std::find(begin, end, '-');
    StreamId id;
    if (!readNumber(begin, dash, &id.ms))
        return std::nullopt;
    if (dash != end && !readNumber(dash + 1, end, &id.seq))
        return std::nullopt;
    return id;
}

QByteArray StreamId::toByteArray() const
{
    return QByteArray::number(ms) + '-' + QByteArray::number(seq);
}

std::optional<StreamId> StreamId::next() const
{
    if (seq != MaxPart)
        return StreamId{ms, seq + 1};
    if (ms != MaxPart)
        return StreamId{ms + 1, 0};
    return std::nullopt;
}

std::optional<StreamId> StreamId::previous() const
{
    if (seq != 0)
        return StreamId{ms, seq - 1};
    if (ms != 0)
        return StreamId{ms - 1, MaxPart};
    return std::nullopt;
}
