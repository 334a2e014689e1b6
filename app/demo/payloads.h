#pragma once

#include "workload.h"

#include <QByteArray>
#include <QList>
#include <QRandomGenerator>
#include <QString>

// The entries the demo writes, shaped like the queues in docs QUEUES.md. Entries are
// flat field/value lists, the tail of an XADD: {"message_id", "…", "data", "…", …}.
using Fields = QList<QByteArray>;

// Makes entries of every shape. Deterministic for a given seed, so two demos seeded alike
// hold the same data (apart from the times).
class PayloadFactory
{
public:
    explicit PayloadFactory(quint32 seed);

    // Entry number `index` (counted from the first entry the demo ever wrote to the
    // stream) of a stream of `shape`, produced at `msecs` since the epoch.
    Fields entry(PayloadShape shape, qint64 index, qint64 msecs, bool poison);

    // The dead-letter record of design 003 for entry `id` of `topic`, given up by `group`
    // after `deliveries` deliveries.
    static Fields deadLetter(const QByteArray &topic, const QByteArray &id, const QByteArray &group,
                             const QString &reason, int deliveries, const Fields &original,
                             qint64 failedAtMsecs);

private:
    QByteArray uuid();
    QByteArray hex(int bytes);
    int bounded(int lowest, int highest) { return m_rng.bounded(lowest, highest + 1); }
    template<typename T, std::size_t N> const T &pick(const T (&choices)[N])
    {
        return choices[m_rng.bounded(int(N))];
    }

    Fields task(qint64 index, qint64 msecs);
    Fields dashboard(qint64 index, qint64 msecs);
    Fields order(qint64 index, qint64 msecs, bool poison);
    Fields metric(qint64 index, qint64 msecs);

    QRandomGenerator m_rng;
};

// Whether entry number `index` of a stream is a poison message.
bool isPoisonIndex(qint64 index, int poisonEvery);
// Why a consumer of a stream of `shape` fails on an entry; empty when it does not.
QString rejectionReason(PayloadShape shape, const Fields &fields);
// The value of `field` in a flat field/value list; empty when absent.
QByteArray fieldValue(const Fields &fields, const QByteArray &field);
