#pragma once

#include <QByteArray>
#include <QList>

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
