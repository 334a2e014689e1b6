#pragma once

#include <QDockWidget>

class CommandLogFilter;
class CommandLogModel;
class QCheckBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QTableView;

// The command log in a dock: a filter on the command and result text, "errors only", the
// table (following the newest row while the user is at the bottom), Copy (Ctrl+C) for
// the selected rows and Clear. The model is not owned: several views may share it.
class CommandLogDock : public QDockWidget
{
    Q_OBJECT
public:
    explicit CommandLogDock(CommandLogModel *model, QWidget *parent = nullptr);

    QTableView *view() const { return m_view; }
    // Puts the selected rows, top to bottom, on the clipboard as tab-separated text.
    void copySelection();

protected:
    void showEvent(QShowEvent *event) override;

private:
    void updateWidgets();
    // Shares the width left by the narrow columns between Command and Result.
    void sizeColumns();

    CommandLogModel *m_model;
    CommandLogFilter *m_filter;
    QLineEdit *m_filterEdit;
    QCheckBox *m_errorsOnly;
    QLabel *m_count;
    QPushButton *m_copy;
    QPushButton *m_clear;
    QTableView *m_view;
    bool m_following = true;     // the view was at the bottom when rows started arriving
    bool m_columnsSized = false; // once, when first shown; then they are the user's
};
