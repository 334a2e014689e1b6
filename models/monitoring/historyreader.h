#pragma once

#include "historychunk.h"
#include "historydb.h"
#include "historystore.h"

#include <QObject>
#include <QSqlDatabase>
#include <QSqlQuery>

#include <memory>
#include <optional>
#include <vector>

// One part of a read: the stretch [fromMs, toMs] of a range, read from `tier`.
struct HistoryPart
{
    HistoryTier tier;
    qint64 fromMs;
    qint64 toMs;
};

// How a range of `pixels` columns is read, oldest part first: the finest tier a column
// needs, and coarser ones for the older parts that tier's retention (by `nowMs`, the newest
// tick) no longer reaches. Each tier's reach starts on a whole chunk, so a part never asks
// for what retention dropped.
std::vector<HistoryPart> planHistoryRead(qint64 fromMs, qint64 toMs, int pixels,
                                         const HistoryRetention &retention, qint64 nowMs);

// The history store's reader (historystore.h): lives in the store's reader thread with a
// read-only connection of its own, so a long write never delays a chart.
class HistoryReader : public QObject
{
    Q_OBJECT
public:
    HistoryReader(const QString &path, std::shared_ptr<HistoryShared> shared);
    ~HistoryReader() override;

    // Reader thread.
    void load(quint64 request, const SeriesKey &key, qint64 fromMs, qint64 toMs, int pixels,
              const HistoryRetention &retention);
    void measureSize();
    void shutdown();

Q_SIGNALS:
    void loaded(quint64 request, const HistoryView &view);
    void sizeKnown(qint64 bytes);
    void problem(const QString &message);

private:
    // False with why in `error` (empty: there is no file yet, so nothing to read).
    bool ensureOpen(QString *error);
    void close();
    void report(const QString &message);
    qint64 newestMs();

    QString m_path;
    std::shared_ptr<HistoryShared> m_shared;
    QSqlDatabase m_db;
    int m_generation = -1;
    std::optional<QSqlQuery> m_findSeries;
    std::optional<QSqlQuery> m_chunks;
    std::optional<QSqlQuery> m_lastMs;
    bool m_reported = false;
};
