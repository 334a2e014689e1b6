#pragma once

#include <QAbstractItemModel>
#include <QList>
#include <QString>
#include <QVariant>

// Helpers shared by the stream inspector's models (groups, consumers, pending entries).

// A duration for display: "850 ms", "12.3 s", "5 min 3 s", "2 h 4 min", "3 d 2 h".
QString formatDurationMs(qint64 ms);

// The values of `roles` for every column of one row, taken before the row changes so
// that announceChanges() can tell which cells (and which of their roles) changed.
using RowSnapshot = QList<QList<QVariant>>;
RowSnapshot snapshotRow(const QAbstractItemModel &model, int row, const QList<int> &roles);
// Emits dataChanged for each cell of `row` whose value differs from `before`, with only
// the roles that changed. Nothing is emitted for an unchanged row.
void announceChanges(QAbstractItemModel &model, int row, const RowSnapshot &before,
                     const QList<int> &roles);
