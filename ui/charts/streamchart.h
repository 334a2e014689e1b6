#pragma once

#include "monitorfigures.h"

#include <QByteArray>
#include <QColor>
#include <QList>
#include <QWidget>

#include <functional>

class SeriesHistory;
class QChart;
class QChartView;
class QComboBox;
class QDateTimeAxis;
class QDateTimeEdit;
class QLabel;
class QLineSeries;
class QPushButton;
class QTimer;
class QValueAxis;

// Charts of one stream and its groups, drawn from a SeriesHistory (not owned): four panes,
// lag in entries, lag in time, pending, and throughput (entries added per second to the
// stream, read per second by each group), over the last 5 minutes, hour, 24 hours or a
// custom from/to range.
//
// Drawing: once per redraw tick (redrawInterval(), 1 s by default), and only when the
// history recorded something or the view changed, each line is read for the range shown,
// decimated to its pane's pixel width (min and max per pixel column, one point where they
// are less than a pixel apart) and handed to QLineSeries::replace() when its points
// changed. A pane with three points per four pixels or more draws its lines 1 px wide
// without antialiasing (several times cheaper to paint, no different to see). Qt Charts
// ignores NaN points, so a line with gaps is drawn as several QLineSeries of one colour,
// one per unbroken run; the legend shows the first.
// On long ranges (two ticks or more per pixel column) the range's end is rounded up to a
// whole column, so it moves once per column of ticks rather than on every tick.
// Pause freezes the view (the history keeps recording); hovering a pane shows the values
// at the cursor's tick; clicking a legend entry hides or shows its line.
class StreamChart : public QWidget
{
    Q_OBJECT
public:
    enum class Range { Minutes5, Hour, Hours24, Custom };
    enum class Pane { LagEntries, LagTime, Pending, Throughput };
    static constexpr int PaneCount = 4;

    StreamChart(SeriesHistory *history, const QByteArray &stream, QWidget *parent = nullptr);
    ~StreamChart() override;

    QByteArray stream() const { return m_stream; }
    // The groups drawn. Until this is called: every group the history holds a series of,
    // picked up as they appear.
    void setGroups(const QList<QByteArray> &groups);
    QList<QByteArray> groups() const { return m_groups; }

    // A range ending at the newest tick (or at the moment of pausing), or from/to.
    void setRange(Range range);
    void setCustomRange(qint64 fromMs, qint64 toMs);
    Range range() const { return m_range; }
    // The time span the panes show, ms since the epoch, as of the last redraw.
    qint64 shownFromMs() const { return m_shownFrom; }
    qint64 shownToMs() const { return m_shownTo; }

    void setPaused(bool paused);
    bool isPaused() const { return m_paused; }
    void setRedrawInterval(int ms);
    int redrawInterval() const;
    // Redraws done so far.
    int redrawCount() const { return m_redraws; }

    QChartView *view(Pane pane) const;
    // The lines of a pane by name (a group's name; "added/s" and "read/s <group>" for
    // throughput), and whether each is shown.
    QStringList lineNames(Pane pane) const;
    bool isLineVisible(Pane pane, const QString &name) const;
    // Points drawn for a line now, over all its segments, and the segments.
    int pointCount(Pane pane, const QString &name) const;
    int segmentCount(Pane pane, const QString &name) const;
    // What the hover label shows.
    QString hoverText() const;

    // Writes the four panes as one PNG image, or the samples of every line over the range
    // shown as CSV: a time column (UTC, ISO 8601) and one column per line, empty for gaps.
    bool exportPng(const QString &path, QString *error);
    bool exportCsv(const QString &path, QString *error);
    // Asks for the file the Export buttons write to (a save dialog by default); returns
    // an empty string when the user cancels.
    using FileChooser = std::function<QString(const QString &caption, const QString &suggested,
                                              const QString &filter)>;
    void setFileChooser(FileChooser chooser) { m_chooseFile = std::move(chooser); }

public Q_SLOTS:
    // Draws now, paused or not.
    void redraw();

Q_SIGNALS:
    void redrawn();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;

private:
    struct Line
    {
        Pane pane;
        QString name;
        SeriesKey key;
        double scale = 1; // value drawn = stored value * scale
        QColor color;
        bool hidden = false;
        QList<QLineSeries *> segments; // the first carries the legend entry
        int points = 0;
        int usedSegments = 0;
    };
    struct PaneParts
    {
        QChart *chart = nullptr;
        QChartView *view = nullptr;
        QDateTimeAxis *x = nullptr;
        QValueAxis *y = nullptr;
    };

    void rebuildLines();
    void addLine(Pane pane, const QString &name, const SeriesKey &key, double scale);
    QLineSeries *newSegment(Line &line);
    void toggleLine(int index);
    void updateMarkers(Line &line);
    void timeRange(qint64 *fromMs, qint64 *toMs) const;
    void customEdited();
    void updateHover(Pane pane, const QPoint &viewportPos);
    void exportWith(bool png);
    Line *findLine(Pane pane, const QString &name);
    const Line *findLine(Pane pane, const QString &name) const;

    SeriesHistory *m_history;
    QByteArray m_stream;
    QList<QByteArray> m_groups;
    bool m_groupsAuto = true;
    Range m_range = Range::Minutes5;
    qint64 m_customFrom = 0;
    qint64 m_customTo = 0;
    qint64 m_frozenTo = 0; // the end of the range when paused
    qint64 m_shownFrom = 0;
    qint64 m_shownTo = 0;
    bool m_paused = false;
    bool m_dirty = true;
    int m_redraws = 0;
    QList<Line> m_lines;
    PaneParts m_panes[PaneCount];
    QWidget *m_paneBox;
    QComboBox *m_rangeBox;
    QDateTimeEdit *m_fromEdit;
    QDateTimeEdit *m_toEdit;
    QLabel *m_rangeHint;
    QPushButton *m_pauseButton;
    QLabel *m_hover;
    QLabel *m_status;
    QTimer *m_timer;
    FileChooser m_chooseFile;
};
