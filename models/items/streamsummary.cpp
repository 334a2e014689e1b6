#include "streamsummary.h"

#include <QLocale>

StreamSummaryLoader::StreamSummaryLoader(QObject *parent)
    : QObject(parent)
{}

void StreamSummaryLoader::load(RedisConnection *connection, const QByteArray &key)
{
    if (!connection)
        return;
    m_replies.reset();
    m_replies.send(
        connection,
        {RedisCommand{{"XINFO", "STREAM", key}, key}, RedisCommand{{"MEMORY", "USAGE", key}, key}},
        [this](const RedisResult &r) {
        if (!r.ok()) {
            Q_EMIT failed(r.error);
            return;
        }
        QString error;
        const auto info = parseStreamInfo(r.replies.at(0), &error);
        if (!info) {
            Q_EMIT failed(error);
            return;
        }
        StreamSummary summary;
        summary.info = *info;
        if (r.replies.at(1).isInteger())
            summary.memoryBytes = r.replies.at(1).toInteger();
        Q_EMIT loaded(summary);
        });
}

QString formatBytes(qint64 bytes)
{
    return bytes < 0 ? QStringLiteral("unknown")
                     : QLocale().formattedDataSize(bytes, 1, QLocale::DataSizeSIFormat);
}
