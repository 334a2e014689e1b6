#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

class QSettings;
class QTableView;

// What a table view shows of a model whose rows have ids (given by `idRole`), kept across
// a model reset such as a refresh: the current row, every selected row, and the row on
// top. restore() brings back what is still in the model.
struct ViewState
{
    QByteArray current;
    QList<QByteArray> selected;
    QByteArray top;

    static ViewState save(const QTableView *view, int idRole);
    // Returns false when none of the selected rows is left.
    bool restore(QTableView *view, int idRole) const;
    bool isEmpty() const { return current.isEmpty() && selected.isEmpty() && top.isEmpty(); }
};

// A read-only table of many one-line rows, as the logs show them: whole rows selected,
// alternate colours, no wrapping, scrolled by pixels, and rows of one fixed height (a
// view of thousands of rows never measures them) with no row header.
void setUpLogTable(QTableView *view);

// Columns that show what is in them and then stay where the user puts them. Call it once,
// after view->setModel() (the model may still be empty). Until the user sizes a column,
// each column grows to fit its header and what its first rows show, as rows come and
// their cells are filled in (only the first rows are measured, so a table of thousands of
// rows stays fast); the last column takes whatever room is left. A column the user resizes
// (dragging or double-clicking its edge) has its width kept under `settingsKey`, and the
// next view with the same key opens with the user's widths and keeps them.
void keepColumnWidths(QTableView *view, const QString &settingsKey);

// Where keepColumnWidths() keeps widths: the main window's settings (which the command
// line may point at a file of its own). Until one is set, the user's default QSettings.
// The settings must outlive every view, or be unset with nullptr first.
void setColumnWidthSettings(QSettings *settings);
