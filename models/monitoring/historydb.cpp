#include "historydb.h"

#include <QCoreApplication>
#include <QSqlQuery>
#include <QVariant>

namespace HistoryDb {

QSqlDatabase open(const QString &name, const QString &path, bool readOnly, QSqlError *error)
{
    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
    db.setDatabaseName(path);
    if (readOnly)
        db.setConnectOptions(QStringLiteral("QSQLITE_OPEN_READONLY"));
    if (!db.open()) {
        *error = db.lastError();
        close(&db);
        return QSqlDatabase();
    }
    return db;
}

void close(QSqlDatabase *db)
{
    const QString name = db->connectionName();
    if (name.isEmpty())
        return;
    db->close();
    *db = QSqlDatabase();
    QSqlDatabase::removeDatabase(name);
}

QString uniqueConnectionName(const char *role)
{
    static std::atomic<int> next{0};
    return QStringLiteral("weir-history-%1-%2").arg(QLatin1String(role)).arg(++next);
}

int sqliteCode(const QSqlError &error)
{
    bool ok = false;
    const int code = error.nativeErrorCode().toInt(&ok);
    return ok ? code & 0xff : 0;
}

bool isCorruption(const QSqlError &error)
{
    const int code = sqliteCode(error);
    return code == Corrupt || code == NotADatabase;
}

QString sqliteText(const QSqlError &error)
{
    const QString text = error.databaseText().trimmed();
    return text.isEmpty() ? error.text().trimmed() : text;
}

QByteArray keyBlob(const QByteArray &part)
{
    return part.isNull() ? QByteArray("") : part;
}

SeriesKey keyFromColumns(const QVariant &stream, const QVariant &group, const QVariant &consumer,
                         const QVariant &metric)
{
    SeriesKey key;
    key.stream = stream.toByteArray();
    key.group = group.toByteArray();
    key.consumer = consumer.toByteArray();
    key.metric = Metric(metric.toInt());
    return key;
}

QString tierName(HistoryTier tier)
{
    switch (tier) {
    case HistoryTier::Raw:
        return QCoreApplication::translate("HistoryStore", "raw");
    case HistoryTier::Minute:
        return QCoreApplication::translate("HistoryStore", "minute");
    case HistoryTier::Hour:
        return QCoreApplication::translate("HistoryStore", "hour");
    }
    return QString();
}

} // namespace HistoryDb
