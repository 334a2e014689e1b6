#pragma once

#include "historychunk.h"
#include "monitorfigures.h"

#include <QSqlDatabase>
#include <QSqlError>
#include <QString>

#include <atomic>

// What the history store's writer and reader threads share (historystore.h): the newest
// tick the writer knows, the monitor's interval, and a generation that changes whenever the
// file is replaced (cleared, or set aside as corrupt), so the reader reopens it.
struct HistoryShared
{
    std::atomic<qint64> newestMs{0};
    std::atomic<int> intervalMs{1000};
    std::atomic<int> generation{0};
};

// The SQLite side of the store, used by both threads.
namespace HistoryDb {

inline constexpr int SchemaVersion = 1;

// SQLite's primary result codes the store tells apart.
enum Code { Ok = 0, Corrupt = 11, Full = 13, CantOpen = 14, NotADatabase = 26 };

// Opens a connection named `name` (unique per thread: a QSqlDatabase is used only on the
// thread that made it). An invalid database, with why in `error`, when it fails.
QSqlDatabase open(const QString &name, const QString &path, bool readOnly, QSqlError *error);
// Drops the connection `name`; every query and copy of it must be gone.
void close(QSqlDatabase *db);
QString uniqueConnectionName(const char *role);

// The primary SQLite result code of `error` (0 when it carries none).
int sqliteCode(const QSqlError &error);
bool isCorruption(const QSqlError &error);
// SQLite's own words, as the user should read them.
QString sqliteText(const QSqlError &error);

// Key columns are NOT NULL blobs: an empty group or consumer is stored as an empty blob.
QByteArray keyBlob(const QByteArray &part);
SeriesKey keyFromColumns(const QVariant &stream, const QVariant &group, const QVariant &consumer,
                         const QVariant &metric);

QString tierName(HistoryTier tier);

} // namespace HistoryDb
