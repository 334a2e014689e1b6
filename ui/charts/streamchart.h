#pragma once

#include "historychunk.h"
#include "monitorfigures.h"

#include <QByteArray>
#include <QColor>
#include <QHash>
#include <QList>
#include <QPointer>
#include <QWidget>

#include <functional>

class HistoryStore;
class SeriesHistory;
struct HistoryView;
class QAreaSeries;
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

// Charts of one stream and its groups: four panes, lag in entries, lag in time, pending,
// and throughput (entries added per second to the stream, read per second by each group),
// over the last 15 minutes, hour, 6 hours, 24 hours, 7 days, 90 days or a custom from/to
// range.
//
// Where it reads. The part of the range the SeriesHistory (not owned) still holds, its raw
// window of the last hour or so, is read from it on the GUI thread (a few thousand samples a
// line). The older part, from the range's start to the ring's first tick (cut at a whole
// column), is asked of the HistoryStore (not owned; none: the ring alone) with load(),
// answered on its reader thread in the tier that suits a column; each line keeps the last
// answer and asks again only when its part of the range has moved by half a column or more
// (in a live view, once per column of time) or the view changed (range, width, groups), not
// on every redraw. An answer to an older request than the line's latest is dropped. While
// a load is pending the chart draws what it has and its status line says "Loading
// history…"; a failed read is shown there with the store's own text. The status line also
// says what is drawn: samples at the tick, or minute or hour buckets.
//
// Drawing: once per redraw tick (redrawInterval(), 1 s by default), and only when the
// history recorded something, an answer came, or the view changed. Each line is reduced to
// its pane's pixel columns (ColumnReducer: per column the min, max, mean and last of the
// samples or buckets in it) and drawn as the line through the columns' means (a column of
// one sample: its value) over a band from the columns' minimum to their maximum, in the
// line's colour, faint: so a spike of lag one second wide still shows on a 7-day chart. A
// band under a pixel high throughout a run is left out. The points go to
// QLineSeries::replace() when they changed, never appended one by one. A pane with three
// points per four pixels or more draws its lines 1 px wide without antialiasing (several
// times cheaper to paint, no different to see). Qt Charts ignores NaN points, so a line
// with gaps is drawn as several QLineSeries of one colour (and a QAreaSeries each for the
// band), one per unbroken run; the legend shows the first. On long ranges (two ticks or
// more per pixel column) the range's end is rounded up to a whole column, so it moves once
// per column of ticks rather than on every tick.
// Pause freezes the view (the history keeps recording); hovering a pane shows the values
// of the column under the cursor (a sample's value, or a bucket's mean and min–max);
// clicking a legend entry hides or shows its line.
class StreamChart : public QWidget
{
    Q_OBJECT
public:
    enum class Range { Minutes15, Hour, Hours6, Hours24, Days7, Days90, Custom };
    enum class Pane { LagEntries, LagTime, Pending, Throughput };
    static constexpr int PaneCount = 4;

    StreamChart(SeriesHistory *history, const QByteArray &stream, QWidget *parent = nullptr);
    StreamChart(SeriesHistory *history, HistoryStore *store, const QByteArray &stream,
                QWidget *parent = nullptr);
    ~StreamChart() override;

    // The store the older part of a range is read from (not owned; null: the ring alone).
    void setHistoryStore(HistoryStore *store);
    HistoryStore *historyStore() const;

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
    // Loads asked of the store so far, those not answered yet (for the lines shown), and
    // answers dropped because a newer request of their line had been made.
    int loadsRequested() const { return m_loadsRequested; }
    int loadsPending() const;
    int staleReplies() const { return m_staleReplies; }
    // What the status line says: the resolution drawn, "Loading history…", a read's error,
    // the last export's outcome.
    QString statusText() const;

    QChartView *view(Pane pane) const;
    // The lines of a pane by name (a group's name; "added/s" and "read/s <group>" for
    // throughput), and whether each is shown.
    QStringList lineNames(Pane pane) const;
    bool isLineVisible(Pane pane, const QString &name) const;
    // Points drawn for a line now, over all its segments, and the segments.
    int pointCount(Pane pane, const QString &name) const;
    int segmentCount(Pane pane, const QString &name) const;
    // Runs of the line drawn with a min/max band (the others are flat).
    int bandCount(Pane pane, const QString &name) const;
    // What the hover label shows.
    QString hoverText() const;

    // Writes the four panes as one PNG image, or what is shown as CSV: a time column (UTC,
    // ISO 8601) and, where the whole range came from the ring, a row per tick and a column
    // per line (its samples); where part came from the store, a row per pixel column (its
    // start) and min, max and mean columns per line. Empty cells for gaps.
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
        QLineSeries *entry = nullptr;  // no points: the legend's entry
        QList<QLineSeries *> segments; // one per run
        QList<QAreaSeries *> bands;    // behind the segments, one per run at most
        int points = 0;
        int usedSegments = 0;
        int usedBands = 0;
        HistoryRuns columns; // as drawn, unscaled
    };
    struct PaneParts
    {
        QChart *chart = nullptr;
        QChartView *view = nullptr;
        QDateTimeAxis *x = nullptr;
        QValueAxis *y = nullptr;
    };
    // The range of a redraw: its columns, and the part asked of the store.
    struct Span
    {
        qint64 from = 0;
        qint64 to = 0;
        int pixels = 0;
        double columnMs = 1;
        qint64 ringFirst = 0; // the ring's first tick (past `to` when it is empty)
        int storeColumns = 0; // the first columns, read from the store (0: none)
        qint64 storeTo = 0;   // their end: from + storeColumns * columnMs
        // The column of `timeMs`, as ColumnReducer counts (a time outside: the nearest).
        int columnOf(qint64 timeMs) const
        {
            if (timeMs <= from || to <= from)
                return 0;
            return int(qMin<qint64>(pixels - 1, (timeMs - from) * pixels / (to - from)));
        }
    };
    // A line's part of a range asked of the store, and the last answer.
    struct Loaded
    {
        quint64 request = 0; // the latest request; 0 once answered
        qint64 fromMs = 0;
        qint64 toMs = 0;
        int pixels = 0;
        bool answered = false;
        HistoryRuns runs;
        HistoryTier tier = HistoryTier::Raw;
        QString error;
    };

    void rebuildLines();
    void addLine(Pane pane, const QString &name, const SeriesKey &key, double scale);
    // Gives the lines of `pane` the segments and bands they need, stacking every band of
    // the pane behind every line.
    void restack(int pane, const QList<int> &segmentsNeeded, const QList<int> &bandsNeeded);
    void toggleLine(int index);
    void updateMarkers(Line &line);
    void timeRange(qint64 *fromMs, qint64 *toMs) const;
    int columnsWide() const;
    Span spanFor(qint64 fromMs, qint64 toMs) const;
    // Asks the store for the line's older part when what it holds does not fit the span.
    void askStore(const Line &line, const Span &span);
    void storeAnswered(quint64 request, const HistoryView &view);
    HistoryRuns columnsOf(const Line &line, const Span &span) const;
    void updateStatus();
    void customEdited();
    void updateHover(Pane pane, const QPoint &viewportPos);
    void exportWith(bool png);
    QByteArray samplesCsv() const;
    QByteArray columnsCsv() const;
    Line *findLine(Pane pane, const QString &name);
    const Line *findLine(Pane pane, const QString &name) const;

    SeriesHistory *m_history;
    QByteArray m_stream;
    QList<QByteArray> m_groups;
    bool m_groupsAuto = true;
    QPointer<HistoryStore> m_store;
    QHash<SeriesKey, Loaded> m_loaded;
    Span m_span; // as of the last redraw
    int m_loadsRequested = 0;
    int m_staleReplies = 0;
    QString m_resolution; // the status line's parts
    QString m_exportResult;
    Range m_range = Range::Minutes15;
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
    QTimer *m_answerTimer; // a redraw soon after the store answers, once for a burst
    FileChooser m_chooseFile;
};
