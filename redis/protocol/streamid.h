#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QMetaType>

#include <optional>

// A stream entry id, "<milliseconds>-<sequence>", as two numbers: 16 bytes instead of
// a heap string, ordered as Redis orders them.
struct StreamId
{
    quint64 ms = 0;
    quint64 seq = 0;

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
};

Q_DECLARE_METATYPE(StreamId)
