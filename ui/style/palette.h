#pragma once

#include <QColor>
#include <QLabel>
#include <QPalette>
#include <QString>

// Weir's one palette for messages: what an error, a warning, a success or a plain piece of
// information is drawn in, in every view and dialog (never a literal colour in a view).
// Each colour is picked for the background it is drawn on, so it reads in light and in
// dark themes alike.
enum class Status { Error, Warning, Success, Information };

// The text colour of `status` on `background`'s window colour.
QColor statusColor(Status status, const QPalette &background);
// The same on the application's palette.
QColor statusColor(Status status);
// "color: #rrggbb", for a widget's style sheet (the application's palette).
QString statusStyleSheet(Status status);
// `html` in the status colour, for rich text that colours only a part of itself.
QString statusHtml(Status status, const QString &html);
// A banner's palette: `status`'s text on a tint of it, derived from `base`.
QPalette bannerPalette(Status status, const QPalette &base);

// A line that says how something went: an error, a warning, a success. It shows the text
// it is given in that status's colour and hides itself while it has none; a change of theme
// recolours it.
class StatusLabel : public QLabel
{
public:
    explicit StatusLabel(QWidget *parent = nullptr, Status status = Status::Error);

    // Shows `text` (plain or rich, as QLabel decides) in `status`'s colour; empty: hidden.
    void showStatus(Status status, const QString &text);
    // The same, keeping the current status.
    void showMessage(const QString &text) { showStatus(m_status, text); }
    Status status() const { return m_status; }

protected:
    void changeEvent(QEvent *event) override;

private:
    void recolour();

    Status m_status;
};
