#include "inspectorcells.h"

#include <QCoreApplication>

QString formatDurationMs(qint64 ms)
{
    if (ms < 0)
        ms = 0;
    if (ms < 1000)
        return QCoreApplication::translate("Duration", "%1 ms").arg(ms);
    if (ms < 60 * 1000)
        return QCoreApplication::translate("Duration", "%1 s").arg(double(ms) / 1000, 0, 'f', 1);
    const qint64 s = ms / 1000;
    if (s < 3600)
        return QCoreApplication::translate("Duration", "%1 min %2 s").arg(s / 60).arg(s % 60);
    if (s < 86400)
        return QCoreApplication::translate("Duration", "%1 h %2 min")
            .arg(s / 3600)
            .arg(s % 3600 / 60);
    return QCoreApplication::translate("Duration", "%1 d %2 h")
        .arg(s / 86400)
        .arg(s % 86400 / 3600);
}

RowSnapshot snapshotRow(const QAbstractItemModel &model, int row, const QList<int> &roles)
{
    RowSnapshot snapshot;
    const int columns = model.columnCount();
    snapshot.reserve(columns);
    for (int column = 0; column < columns; ++column) {
        const QModelIndex index = model.index(row, column);
        QList<QVariant> values;
        values.reserve(roles.size());
        for (int role : roles)
            values.append(index.data(role));
        snapshot.append(values);
    }
    return snapshot;
}

void announceChanges(QAbstractItemModel &model, int row, const RowSnapshot &before,
                     const QList<int> &roles)
{
    const RowSnapshot after = snapshotRow(model, row, roles);
    for (int column = 0; column < after.size() && column < before.size(); ++column) {
        QList<int> changed;
        for (int i = 0; i < roles.size(); ++i) {
            if (after[column][i] != before[column][i])
                changed.append(roles[i]);
        }
        if (!changed.isEmpty()) {
            const QModelIndex index = model.index(row, column);
            Q_EMIT model.dataChanged(index, index, changed);
        }
    }
}
