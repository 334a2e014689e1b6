#include "streamid.h"

std::optional<StreamId> StreamId::parse(const QByteArray &text)
{
    const qsizetype dash = text.indexOf('-');
    bool ok = false;
    StreamId id;
    if (dash < 0) {
        id.ms = text.toULongLong(&ok);
        return ok ? std::optional<StreamId>(id) : std::nullopt;
    }
    id.ms = text.left(dash).toULongLong(&ok);
    if (!ok)
        return std::nullopt;
    id.seq = text.mid(dash + 1).toULongLong(&ok);
    if (!ok)
        return std::nullopt;
    return id;
}

QByteArray StreamId::toByteArray() const
{
    return QByteArray::number(ms) + '-' + QByteArray::number(seq);
}
