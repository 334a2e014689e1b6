#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QMetaType>

#include <limits>
#include <optional>

// A stream entry id, "<milliseconds>-<sequence>", as two numbers: 16 bytes instead of
// a heap string, ordered as Redis orders them.
struct StreamId
{
    quint64 ms = 0;
    quint64 seq = 0;

    // The highest id Redis accepts: what "+" stands for in a range.
    static constexpr StreamId max() { return {MaxPart, MaxPart}; }
    // The last id a millisecond can hold: what "<ms>" means as the end of a range.
    static constexpr StreamId lastOf(quint64 milliseconds) { return {milliseconds, MaxPart}; }
    // The ids right after and right before this one, computed arithmetically, so a range
    // can continue past an id without "(id" (which needs Redis 6.2). Nothing lies after
    // max() or before 0-0: those return nullopt, and a caller paging past them is done.
    std::optional<StreamId> next() const;
    std::optional<StreamId> previous() const;

    static std::optional<StreamId> parse(const QByteArray &text);
    QByteArray toByteArray() const;
    QString toString() const { return QString::fromLatin1(toByteArray()); }
    // The time the id was generated (when ids are auto-generated, as they normally are).
    QDateTime time() const { return QDateTime::fromMSecsSinceEpoch(qint64(ms), Qt::UTC); }
    bool isZero() const { return ms == 0 && seq == 0; }

    friend bool operator==(StreamId a, StreamId b) { return a.ms == b.ms && a.seq == b.seq; }
    friend bool operator!=(StreamId a, StreamId b) { return !(a == b); }
    friend bool operator<(StreamId a, StreamId b)
    {
        return a.ms < b.ms || (a.ms == b.ms && a.seq < b.seq);
    }

private:
    static constexpr quint64 MaxPart = std::numeric_limits<quint64>::max();
};

Q_DECLARE_METATYPE(StreamId)
