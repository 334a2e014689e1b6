#include "streamchart.h"

#include "decimation.h"
#include "historystore.h"
#include "serieshistory.h"

#include <QAreaSeries>
#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QDateTime>
#include <QDateTimeAxis>
#include <QDateTimeEdit>
#include <QFile>
#include <QFileDialog>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>
#include <QLocale>
#include <QMouseEvent>
#include <QPushButton>
#include <QSaveFile>
#include <QTimer>
#include <QToolTip>
#include <QVBoxLayout>
#include <QValueAxis>

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

namespace {

constexpr qint64 MinuteMs = 60'000;
constexpr qint64 HourMs = 60 * MinuteMs;
constexpr qint64 DayMs = 24 * HourMs;

// The spans of the ranges ending now, by StreamChart::Range (Custom has none).
constexpr qint64 RangeSpans[] = {15 * MinuteMs, HourMs, 6 * HourMs, DayMs, 7 * DayMs, 90 * DayMs};

// A band's fill: the line's colour made faint by mixing it with the pane's background
// beforehand. An opaque fill paints several times faster than a translucent one; the lines
// are drawn above every band, so none is hidden.
QColor bandFill(const QColor &line, const QBrush &backgroundBrush)
{
    // The chart themes paint the background with a gradient of near colours or one colour.
    const QGradient *gradient = backgroundBrush.gradient();
    const QColor background = gradient && !gradient->stops().isEmpty()
                                  ? gradient->stops().constFirst().second
                                  : backgroundBrush.color();
    constexpr double Share = 48.0 / 255.0;
    const auto mix = [](double a, double b) { return a * Share + b * (1 - Share); };
    return QColor::fromRgbF(float(mix(line.redF(), background.redF())),
                            float(mix(line.greenF(), background.greenF())),
                            float(mix(line.blueF(), background.blueF())));
}

const char *const PaneTitles[StreamChart::PaneCount] = {
    QT_TRANSLATE_NOOP("StreamChart", "Lag (entries)"),
    QT_TRANSLATE_NOOP("StreamChart", "Lag (time, seconds)"),
    QT_TRANSLATE_NOOP("StreamChart", "Pending"),
    QT_TRANSLATE_NOOP("StreamChart", "Throughput (entries per second)"),
};

// Colours that stay apart on a white chart, in the order lines are added.
const QColor Palette[] = {QColor(0x1f, 0x77, 0xb4), QColor(0xd6, 0x27, 0x28),
                          QColor(0x2c, 0xa0, 0x2c), QColor(0xff, 0x7f, 0x0e),
                          QColor(0x94, 0x67, 0xbd), QColor(0x8c, 0x56, 0x4b),
                          QColor(0xe3, 0x77, 0xc2), QColor(0x17, 0xbe, 0xcf)};

QString formatValue(StreamChart::Pane pane, double value)
{
    if (std::isnan(value))
        return QStringLiteral("–");
    const QLocale locale;
    switch (pane) {
    case StreamChart::Pane::LagTime:
        return locale.toString(value, 'f', 1) + QStringLiteral(" s");
    case StreamChart::Pane::Throughput:
        return locale.toString(value, 'f', 1) + QStringLiteral("/s");
    default:
        return locale.toString(qint64(std::llround(value)));
    }
}

QByteArray csvField(const QString &text)
{
    if (!text.contains(QLatin1Char(',')) && !text.contains(QLatin1Char('"'))
        && !text.contains(QLatin1Char('\n')))
        return text.toUtf8();
    QString quoted = text;
    quoted.replace(QStringLiteral("\""), QStringLiteral("\"\""));
    return '"' + quoted.toUtf8() + '"';
}

// A y-axis top that reads well: 1, 2 or 5 times a power of ten, at least `value`.
double niceTop(double value)
{
    if (!(value > 0))
        return 1;
    const double power = std::pow(10.0, std::floor(std::log10(value)));
    for (double step : {1.0, 2.0, 5.0, 10.0}) {
        if (step * power >= value)
            return step * power;
    }
    return 10 * power;
}

} // namespace

StreamChart::StreamChart(SeriesHistory *history, const QByteArray &stream, QWidget *parent)
    : StreamChart(history, nullptr, stream, parent)
{}

StreamChart::StreamChart(SeriesHistory *history, HistoryStore *store, const QByteArray &stream,
                         QWidget *parent)
    : QWidget(parent)
    , m_history(history)
    , m_stream(stream)
    , m_paneBox(new QWidget(this))
    , m_rangeBox(new QComboBox(this))
    , m_fromEdit(new QDateTimeEdit(this))
    , m_toEdit(new QDateTimeEdit(this))
    , m_rangeHint(new QLabel(this))
    , m_pauseButton(new QPushButton(tr("Pause"), this))
    , m_hover(new QLabel(this))
    , m_status(new QLabel(this))
    , m_timer(new QTimer(this))
    , m_answerTimer(new QTimer(this))
    , m_chooseFile([this](const QString &caption, const QString &suggested, const QString &filter) {
        return QFileDialog::getSaveFileName(this, caption, suggested, filter);
    })
{
    m_rangeBox->setObjectName(QStringLiteral("chartRange"));
    m_rangeBox->addItems({tr("Last 15 minutes"), tr("Last hour"), tr("Last 6 hours"),
                          tr("Last 24 hours"), tr("Last 7 days"), tr("Last 90 days"),
                          tr("Custom")});
    m_fromEdit->setObjectName(QStringLiteral("chartFrom"));
    m_toEdit->setObjectName(QStringLiteral("chartTo"));
    for (QDateTimeEdit *edit : {m_fromEdit, m_toEdit}) {
        edit->setDisplayFormat(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
        edit->setCalendarPopup(true);
        edit->setVisible(false);
    }
    m_rangeHint->setObjectName(QStringLiteral("chartRangeHint"));
    m_rangeHint->setVisible(false);
    m_pauseButton->setObjectName(QStringLiteral("chartPause"));
    m_pauseButton->setCheckable(true);
    m_pauseButton->setToolTip(tr("Freeze the charts; the history keeps recording"));
    auto *pngButton = new QPushButton(tr("Export PNG…"), this);
    pngButton->setObjectName(QStringLiteral("chartExportPng"));
    auto *csvButton = new QPushButton(tr("Export CSV…"), this);
    csvButton->setObjectName(QStringLiteral("chartExportCsv"));
    m_hover->setObjectName(QStringLiteral("chartHover"));
    m_hover->setTextFormat(Qt::PlainText);
    m_hover->setText(tr("Point at a chart to read its values."));
    m_status->setObjectName(QStringLiteral("chartStatus"));
    m_status->setTextFormat(Qt::PlainText);

    auto *bar = new QHBoxLayout;
    bar->addWidget(m_rangeBox);
    bar->addWidget(m_fromEdit);
    bar->addWidget(m_toEdit);
    bar->addWidget(m_rangeHint);
    bar->addStretch(1);
    bar->addWidget(m_status);
    bar->addWidget(m_pauseButton);
    bar->addWidget(pngButton);
    bar->addWidget(csvButton);

    auto *grid = new QGridLayout(m_paneBox);
    grid->setContentsMargins(0, 0, 0, 0);
    grid->setSpacing(2);
    for (int i = 0; i < PaneCount; ++i) {
        PaneParts &p = m_panes[i];
        p.chart = new QChart;
        p.chart->setTitle(tr(PaneTitles[i]));
        p.chart->setAnimationOptions(QChart::NoAnimation);
        p.chart->setMargins(QMargins(4, 2, 4, 2));
        p.chart->legend()->setAlignment(Qt::AlignBottom);
        QFont title = p.chart->titleFont();
        title.setBold(true);
        p.chart->setTitleFont(title);
        QFont small = p.chart->legend()->font();
        small.setPointSizeF(small.pointSizeF() * 0.85);
        p.chart->legend()->setFont(small);
        p.x = new QDateTimeAxis;
        p.x->setTickCount(6);
        p.y = new QValueAxis;
        // Three labels: a pane in a crowded window is short, and Qt Charts elides labels
        // that do not fit to "...".
        p.y->setTickCount(3);
        p.y->setRange(0, 1);
        for (QAbstractAxis *axis :
             {static_cast<QAbstractAxis *>(p.x), static_cast<QAbstractAxis *>(p.y)})
            axis->setLabelsFont(small);
        p.chart->addAxis(p.x, Qt::AlignBottom);
        p.chart->addAxis(p.y, Qt::AlignLeft);
        p.view = new QChartView(p.chart, m_paneBox);
        p.view->setObjectName(QStringLiteral("chartPane%1").arg(i));
        p.view->setRenderHint(QPainter::Antialiasing);
        p.view->setMinimumSize(240, 160);
        p.view->viewport()->setMouseTracking(true);
        p.view->viewport()->installEventFilter(this);
        grid->addWidget(p.view, i / 2, i % 2);
    }

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(bar);
    layout->addWidget(m_paneBox, 1);
    layout->addWidget(m_hover);

    connect(m_rangeBox, &QComboBox::currentIndexChanged, this,
            [this](int index) { setRange(Range(index)); });
    connect(m_fromEdit, &QDateTimeEdit::dateTimeChanged, this, &StreamChart::customEdited);
    connect(m_toEdit, &QDateTimeEdit::dateTimeChanged, this, &StreamChart::customEdited);
    connect(m_pauseButton, &QPushButton::toggled, this, &StreamChart::setPaused);
    connect(pngButton, &QPushButton::clicked, this, [this] { exportWith(true); });
    connect(csvButton, &QPushButton::clicked, this, [this] { exportWith(false); });
    connect(m_history, &SeriesHistory::recorded, this, [this] { m_dirty = true; });
    connect(m_history, &SeriesHistory::seriesDropped, this, [this] { m_dirty = true; });
    connect(m_timer, &QTimer::timeout, this, [this] {
        if (m_dirty && !m_paused)
            redraw();
    });
    m_timer->start(1000);
    // Answers come one per line, close together: drawn once, soon, paused or not (they
    // belong to the range shown).
    m_answerTimer->setSingleShot(true);
    m_answerTimer->setInterval(20);
    connect(m_answerTimer, &QTimer::timeout, this, &StreamChart::redraw);

    setHistoryStore(store);
    rebuildLines();
    redraw();
}

StreamChart::~StreamChart() = default;

void StreamChart::setHistoryStore(HistoryStore *store)
{
    if (store == m_store)
        return;
    if (m_store)
        disconnect(m_store, nullptr, this, nullptr);
    m_store = store;
    m_loaded.clear();
    if (m_store) {
        connect(m_store, &HistoryStore::loaded, this, &StreamChart::storeAnswered);
        // A store closed under the chart (the connection closing) answers nothing more.
        connect(m_store, &QObject::destroyed, this, [this] {
            m_loaded.clear();
            m_dirty = true;
        });
    }
    m_dirty = true;
}

HistoryStore *StreamChart::historyStore() const
{
    return m_store;
}

void StreamChart::setGroups(const QList<QByteArray> &groups)
{
    m_groupsAuto = false;
    if (groups == m_groups)
        return;
    m_groups = groups;
    rebuildLines();
    redraw();
}

void StreamChart::setRange(Range range)
{
    m_range = range;
    if (m_rangeBox->currentIndex() != int(range))
        m_rangeBox->setCurrentIndex(int(range));
    const bool custom = range == Range::Custom;
    if (custom && m_customTo <= m_customFrom) {
        // Start from what is shown now.
        const QSignalBlocker a(m_fromEdit);
        const QSignalBlocker b(m_toEdit);
        m_fromEdit->setDateTime(QDateTime::fromMSecsSinceEpoch(m_shownFrom));
        m_toEdit->setDateTime(QDateTime::fromMSecsSinceEpoch(m_shownTo));
        m_customFrom = m_shownFrom;
        m_customTo = m_shownTo;
    }
    m_fromEdit->setVisible(custom);
    m_toEdit->setVisible(custom);
    m_rangeHint->setVisible(custom && !m_rangeHint->text().isEmpty());
    redraw();
}

void StreamChart::setCustomRange(qint64 fromMs, qint64 toMs)
{
    {
        const QSignalBlocker a(m_fromEdit);
        const QSignalBlocker b(m_toEdit);
        m_fromEdit->setDateTime(QDateTime::fromMSecsSinceEpoch(fromMs));
        m_toEdit->setDateTime(QDateTime::fromMSecsSinceEpoch(toMs));
    }
    m_customFrom = fromMs;
    m_customTo = toMs;
    setRange(Range::Custom);
}

void StreamChart::customEdited()
{
    const qint64 from = m_fromEdit->dateTime().toMSecsSinceEpoch();
    const qint64 to = m_toEdit->dateTime().toMSecsSinceEpoch();
    if (to <= from) {
        m_rangeHint->setText(tr("“From” must be before “To”; the charts keep the last "
                                "valid range."));
        m_rangeHint->setVisible(true);
        return;
    }
    m_rangeHint->clear();
    m_rangeHint->setVisible(false);
    m_customFrom = from;
    m_customTo = to;
    redraw();
}

void StreamChart::setPaused(bool paused)
{
    if (paused == m_paused)
        return;
    m_paused = paused;
    if (m_pauseButton->isChecked() != paused)
        m_pauseButton->setChecked(paused);
    m_pauseButton->setText(paused ? tr("Resume") : tr("Pause"));
    if (paused) {
        m_frozenTo = m_shownTo;
    } else {
        redraw();
    }
}

void StreamChart::setRedrawInterval(int ms)
{
    m_timer->setInterval(qMax(10, ms));
}

int StreamChart::redrawInterval() const
{
    return m_timer->interval();
}

QChartView *StreamChart::view(Pane pane) const
{
    return m_panes[int(pane)].view;
}

void StreamChart::rebuildLines()
{
    // Later, not now: Qt Charts lets go of a removed series' graphics item only with a
    // deleteLater() of its own, and a paint before that reads the series.
    for (Line &line : m_lines) {
        QChart *chart = m_panes[int(line.pane)].chart;
        for (QLineSeries *s : std::as_const(line.segments)) {
            chart->removeSeries(s);
            s->deleteLater();
        }
        for (QAreaSeries *band : std::as_const(line.bands)) {
            chart->removeSeries(band);
            band->deleteLater();
        }
        chart->removeSeries(line.entry);
        line.entry->deleteLater();
    }
    QSet<QPair<int, QString>> hidden;
    for (const Line &line : std::as_const(m_lines)) {
        if (line.hidden)
            hidden.insert({int(line.pane), line.name});
    }
    m_lines.clear();
    if (m_groupsAuto)
        m_groups = m_history->groupsOf(m_stream);

    addLine(Pane::Throughput, QStringLiteral("added/s"),
            SeriesKey{m_stream, {}, {}, Metric::AddedPerSecond}, 1);
    for (const QByteArray &group : std::as_const(m_groups)) {
        const QString name = QString::fromUtf8(group);
        addLine(Pane::LagEntries, name, SeriesKey{m_stream, group, {}, Metric::Lag}, 1);
        addLine(Pane::LagTime, name, SeriesKey{m_stream, group, {}, Metric::TimeLagMs}, 0.001);
        addLine(Pane::Pending, name, SeriesKey{m_stream, group, {}, Metric::Pending}, 1);
        addLine(Pane::Throughput, QStringLiteral("read/s ") + name,
                SeriesKey{m_stream, group, {}, Metric::ReadPerSecond}, 1);
    }
    for (Line &line : m_lines)
        line.hidden = hidden.contains({int(line.pane), line.name});
    for (int pane = 0; pane < PaneCount; ++pane)
        restack(pane, {}, {});
    m_dirty = true;
}

void StreamChart::addLine(Pane pane, const QString &name, const SeriesKey &key, double scale)
{
    int inPane = 0;
    for (const Line &line : std::as_const(m_lines))
        inPane += line.pane == pane ? 1 : 0;
    Line line;
    line.pane = pane;
    line.name = name;
    line.key = key;
    line.scale = scale;
    line.color = Palette[inPane % int(std::size(Palette))];
    // The legend entry: a series of no points, added before any segment or band of the
    // pane and never taken out by restack(), so the legend keeps one entry a line, in the
    // lines' order and clickable, however many runs the line has and however often they
    // are stacked again.
    PaneParts &p = m_panes[int(pane)];
    line.entry = new QLineSeries;
    line.entry->setName(name);
    QPen pen(line.color);
    pen.setWidthF(1.5);
    line.entry->setPen(pen);
    p.chart->addSeries(line.entry);
    line.entry->attachAxis(p.x);
    line.entry->attachAxis(p.y);
    m_lines.append(line);
    const int index = int(m_lines.size()) - 1;
    const QList<QLegendMarker *> markers = p.chart->legend()->markers(line.entry);
    for (QLegendMarker *marker : markers)
        connect(marker, &QLegendMarker::clicked, this, [this, index] { toggleLine(index); });
}

// Qt Charts stacks the series of a chart in the order they were added, so a band added
// after a line would cover it: when a line needs more series, the pane's series are all
// taken out and put back, bands first. That happens when a view first shows more runs
// than before, not on every redraw.
void StreamChart::restack(int pane, const QList<int> &segmentsNeeded, const QList<int> &bandsNeeded)
{
    PaneParts &p = m_panes[pane];
    QList<int> lines; // of the pane, in order
    bool grows = false;
    for (int l = 0; l < m_lines.size(); ++l) {
        if (int(m_lines[l].pane) != pane)
            continue;
        const Line &line = m_lines[l];
        const int i = int(lines.size());
        lines.append(l);
        grows = grows || line.segments.isEmpty()
                || line.segments.size() < segmentsNeeded.value(i, 1)
                || line.bands.size() < bandsNeeded.value(i, 0);
    }
    if (!grows)
        return;
    for (int l : std::as_const(lines)) {
        Line &line = m_lines[l];
        for (QAreaSeries *band : std::as_const(line.bands))
            p.chart->removeSeries(band);
        for (QLineSeries *segment : std::as_const(line.segments))
            p.chart->removeSeries(segment);
    }
    const auto attach = [&p](QAbstractSeries *series) {
        p.chart->addSeries(series);
        series->attachAxis(p.x);
        series->attachAxis(p.y);
    };
    for (int i = 0; i < lines.size(); ++i) {
        Line &line = m_lines[lines[i]];
        while (line.bands.size() < bandsNeeded.value(i, 0)) {
            auto *band = new QAreaSeries;
            // The band owns its bounds.
            auto *upper = new QLineSeries(band);
            auto *lower = new QLineSeries(band);
            band->setUpperSeries(upper);
            band->setLowerSeries(lower);
            band->setName(line.name);
            band->setPen(Qt::NoPen);
            band->setBrush(bandFill(line.color, p.chart->backgroundBrush()));
            line.bands.append(band);
        }
        for (QAreaSeries *band : std::as_const(line.bands)) {
            attach(band);
            band->setVisible(!line.hidden);
        }
    }
    for (int i = 0; i < lines.size(); ++i) {
        Line &line = m_lines[lines[i]];
        while (line.segments.size() < qMax(1, segmentsNeeded.value(i, 1))) {
            auto *series = new QLineSeries;
            series->setName(line.name);
            QPen pen(line.color);
            pen.setWidthF(1.5);
            series->setPen(pen);
            line.segments.append(series);
        }
        for (QLineSeries *segment : std::as_const(line.segments)) {
            attach(segment);
            segment->setVisible(!line.hidden);
        }
        updateMarkers(line);
    }
}

void StreamChart::toggleLine(int index)
{
    if (index < 0 || index >= m_lines.size())
        return;
    Line &line = m_lines[index];
    line.hidden = !line.hidden;
    for (QLineSeries *s : std::as_const(line.segments))
        s->setVisible(!line.hidden);
    for (QAreaSeries *band : std::as_const(line.bands))
        band->setVisible(!line.hidden);
    updateMarkers(line);
    redraw(); // a user's click: drawn now, paused or not (the range stays frozen)
}

// The line's entry stays in the legend, dimmed while the line is hidden; its segments and
// bands have none.
void StreamChart::updateMarkers(Line &line)
{
    QLegend *legend = m_panes[int(line.pane)].chart->legend();
    for (QAreaSeries *band : std::as_const(line.bands)) {
        const QList<QLegendMarker *> markers = legend->markers(band);
        for (QLegendMarker *marker : markers)
            marker->setVisible(false);
    }
    for (QLineSeries *segment : std::as_const(line.segments)) {
        const QList<QLegendMarker *> markers = legend->markers(segment);
        for (QLegendMarker *marker : markers)
            marker->setVisible(false);
    }
    {
        const QList<QLegendMarker *> markers = legend->markers(line.entry);
        for (QLegendMarker *marker : markers) {
            QColor text = legend->labelColor();
            QColor swatch = line.color;
            if (line.hidden) {
                text.setAlphaF(0.4);
                swatch.setAlphaF(0.25);
            }
            marker->setLabelBrush(text);
            marker->setBrush(swatch);
            marker->setPen(QPen(swatch));
        }
    }
}

void StreamChart::timeRange(qint64 *fromMs, qint64 *toMs) const
{
    if (m_range == Range::Custom) {
        *fromMs = m_customFrom;
        *toMs = m_customTo;
        return;
    }
    qint64 end = m_history->lastTimeMs();
    if (end == 0)
        end = QDateTime::currentMSecsSinceEpoch();
    if (m_paused && m_frozenTo > 0)
        end = m_frozenTo;
    const qint64 span = RangeSpans[int(m_range)];
    // Where a pixel column holds two ticks or more, the end is rounded up to a whole column
    // (less than a pixel past the newest tick): the range then stays put for a column's
    // worth of ticks, and a redraw in between hands Qt Charts only the lines whose last
    // column changed, instead of laying out every line again for a move of under a pixel.
    const double columnMs = double(span) / columnsWide();
    if (!m_paused && columnMs >= 2.0 * m_history->intervalMs())
        end = qint64(std::ceil(double(end) / columnMs) * columnMs);
    *fromMs = end - span;
    *toMs = end;
}

// Every pane is as wide as the others (a grid of two equal columns); one count of columns for
// all of them keeps a line's store answer usable in any pane, and the CSV's rows common.
// Counted from the pane's width, less what its axis labels and margins usually take, rather
// than from its plot area: that narrows when the y axis' labels grow a digit, and a count
// that changed with the data would move the columns' grid (and ask the store again) for
// nothing. A column is then within a few per cent of a pixel.
int StreamChart::columnsWide() const
{
    int pixels = std::numeric_limits<int>::max();
    for (const PaneParts &p : m_panes)
        pixels = qMin(pixels, qMax(200, p.view->width() - 100));
    return pixels;
}

StreamChart::Span StreamChart::spanFor(qint64 fromMs, qint64 toMs) const
{
    Span span;
    span.from = fromMs;
    span.to = toMs;
    span.pixels = columnsWide();
    span.columnMs = double(toMs - fromMs) / span.pixels;
    span.ringFirst = m_history->tickCount() > 0 ? m_history->firstTimeMs() : toMs + 1;
    if (m_store && span.ringFirst > fromMs) {
        // The store's part ends on a whole column, so its columns are the chart's.
        const qint64 olderEnd = qMin(span.ringFirst, toMs + 1);
        span.storeColumns =
            qMin(span.pixels, int(std::floor(double(olderEnd - fromMs) / span.columnMs)));
        span.storeTo = fromMs + qint64(std::llround(span.storeColumns * span.columnMs));
    }
    return span;
}

void StreamChart::askStore(const Line &line, const Span &span)
{
    if (span.storeColumns <= 0 || !m_store)
        return;
    Loaded &loaded = m_loaded[line.key];
    const double halfColumn = span.columnMs / 2;
    const bool asked = loaded.pixels == span.storeColumns
                       && qAbs(loaded.fromMs - span.from) < halfColumn
                       && qAbs(loaded.toMs - span.storeTo) < halfColumn;
    if (asked)
        return;
    loaded.fromMs = span.from;
    loaded.toMs = span.storeTo;
    loaded.pixels = span.storeColumns;
    loaded.request = m_store->load(line.key, span.from, span.storeTo, span.storeColumns);
    ++m_loadsRequested;
}

void StreamChart::storeAnswered(quint64 request, const HistoryView &view)
{
    const auto it = m_loaded.find(view.key);
    if (it == m_loaded.end() || it->request != request) {
        ++m_staleReplies; // a newer request of the line is under way, or none is wanted
        return;
    }
    it->request = 0;
    it->answered = true;
    it->runs = view.runs;
    it->tier = view.tier;
    it->error = view.error;
    updateStatus(); // "Loading history…" goes with the last answer, not with the redraw
    if (!m_answerTimer->isActive())
        m_answerTimer->start();
}

int StreamChart::loadsPending() const
{
    int pending = 0;
    for (const Line &line : m_lines)
        pending += m_loaded.value(line.key).request != 0 ? 1 : 0;
    return pending;
}

// The store's answer for the older columns (what it has, while a newer request is pending),
// then the ring from its first tick: one reducer, so the columns are the same throughout.
HistoryRuns StreamChart::columnsOf(const Line &line, const Span &span) const
{
    // Within the store's answer the runs already break at its gaps (its buckets may be an
    // hour apart, so no rule of steps there); between its last bucket and the ring, and
    // within the ring, a step of more than two columns (or than the ring's own gap rule)
    // is a time with no data: Weir was closed, or the store lost its last seconds.
    const qint64 joinGapMs = qint64(2 * span.columnMs) + qint64(m_history->intervalMs()) * 5 / 2;
    ColumnReducer reducer(span.from, span.to, span.pixels,
                          span.storeColumns > 0 ? std::numeric_limits<qint64>::max() : joinGapMs);
    qint64 ringFrom = span.from;
    if (span.storeColumns > 0) {
        ringFrom = qMax(span.from, span.ringFirst);
        qint64 lastTime = std::numeric_limits<qint64>::min();
        const auto it = m_loaded.constFind(line.key);
        if (it != m_loaded.cend() && it->answered) {
            for (const QList<HistoryBucket> &run : it->runs) {
                bool started = false;
                for (const HistoryBucket &bucket : run) {
                    if (bucket.timeMs < span.from || bucket.timeMs >= ringFrom)
                        continue;
                    if (!started && lastTime != std::numeric_limits<qint64>::min())
                        reducer.add(HistoryBucket::gap(bucket.timeMs));
                    reducer.add(bucket);
                    lastTime = bucket.timeMs;
                    started = true;
                }
            }
        }
        // The reducer judges the step across a change of rule by the longer one: the join
        // is judged here.
        if (lastTime != std::numeric_limits<qint64>::min() && span.ringFirst <= span.to
            && span.ringFirst - lastTime > joinGapMs)
            reducer.add(HistoryBucket::gap(lastTime));
        reducer.setGapMs(joinGapMs);
    }
    m_history->reduce(line.key, ringFrom, span.to, &reducer);
    return reducer.finish();
}

void StreamChart::updateStatus()
{
    QStringList parts;
    if (!m_resolution.isEmpty())
        parts.append(m_resolution);
    QString error;
    bool loading = false;
    for (const Line &line : std::as_const(m_lines)) {
        const Loaded loaded = m_loaded.value(line.key);
        loading = loading || loaded.request != 0;
        if (error.isEmpty() && m_span.storeColumns > 0)
            error = loaded.error;
    }
    if (loading)
        parts.append(tr("Loading history…"));
    if (!error.isEmpty()) {
        parts.append(tr("History on disk could not be read: %1 — the charts show what Weir "
                        "holds in memory; try again with another range.")
                         .arg(error));
    }
    if (!m_exportResult.isEmpty())
        parts.append(m_exportResult);
    m_status->setText(parts.join(QStringLiteral(" · ")));
    m_status->setToolTip(m_status->text());
}

QString StreamChart::statusText() const
{
    return m_status->text();
}

void StreamChart::redraw()
{
    if (m_groupsAuto && m_history->groupsOf(m_stream) != m_groups)
        rebuildLines();
    qint64 from = 0;
    qint64 to = 0;
    timeRange(&from, &to);
    m_shownFrom = from;
    m_shownTo = to;
    const Span span = spanFor(from, to);
    m_span = span;
    const qint64 shown = to - from;
    const QString format = shown <= 2 * HourMs ? QStringLiteral("HH:mm:ss")
                           : shown <= DayMs    ? QStringLiteral("HH:mm")
                           : shown < 7 * DayMs ? QStringLiteral("MMM d HH:mm")
                                               : QStringLiteral("MMM d");

    // First every line reduced to the columns (hidden ones too: cheap, and their CSV and
    // their showing again need them), the shown ones' maxima giving the panes' y ranges.
    double top[PaneCount] = {0, 0, 0, 0};
    HistoryTier coarsest = HistoryTier::Raw;
    bool fromStore = false;
    for (Line &line : m_lines) {
        askStore(line, span);
        line.columns = columnsOf(line, span);
        const Loaded loaded = m_loaded.value(line.key);
        if (span.storeColumns > 0 && loaded.answered && !loaded.runs.isEmpty()) {
            fromStore = true;
            coarsest = qMax(coarsest, loaded.tier);
        }
        if (line.hidden)
            continue;
        for (const QList<HistoryBucket> &run : std::as_const(line.columns)) {
            for (const HistoryBucket &bucket : run)
                top[int(line.pane)] = qMax(top[int(line.pane)], double(bucket.max) * line.scale);
        }
    }
    const int interval = m_history->intervalMs();
    const QString tick =
        interval % 1000 == 0 ? tr("%1 s").arg(interval / 1000) : tr("%1 ms").arg(interval);
    if (fromStore && coarsest != HistoryTier::Raw) {
        const QString buckets =
            coarsest == HistoryTier::Minute ? tr("1-minute buckets") : tr("1-hour buckets");
        m_resolution = span.ringFirst <= to
                           ? tr("%1, samples at %2 from %3")
                                 .arg(buckets, tick,
                                      QDateTime::fromMSecsSinceEpoch(span.ringFirst)
                                          .toString(QStringLiteral("HH:mm")))
                           : buckets;
    } else {
        m_resolution = tr("Samples at %1").arg(tick);
    }

    // Qt Charts lays out a line again (maps its points, builds its path and outline) when
    // its points are replaced and again when its pane's axes change range, reading the
    // points anew. Live, the range moves on every redraw; so where it moves, the new points
    // are put in place without a signal and the axes' change lays each line out once.
    const double yTop[PaneCount] = {niceTop(top[0] * 1.05), niceTop(top[1] * 1.05),
                                    niceTop(top[2] * 1.05), niceTop(top[3] * 1.05)};
    bool rangeMoves[PaneCount];
    for (int i = 0; i < PaneCount; ++i) {
        const PaneParts &p = m_panes[i];
        rangeMoves[i] = p.x->min().toMSecsSinceEpoch() != from
                        || p.x->max().toMSecsSinceEpoch() != to || p.y->min() != 0
                        || p.y->max() != yTop[i];
    }
    // Each shown line's mean, and each run's min and max where they are a pixel apart or
    // more, scaled; points within half a pixel of the line through their neighbours dropped
    // (Qt Charts lays a line out in time with its points).
    struct Drawn
    {
        Segments means;
        QList<Segments> bands; // per run: {upper, lower}, or empty when flat
        int bandsUsed = 0;
    };
    QList<Drawn> drawn(m_lines.size());
    QList<int> segmentsNeeded[PaneCount];
    QList<int> bandsNeeded[PaneCount];
    for (qsizetype l = 0; l < m_lines.size(); ++l) {
        const Line &line = m_lines[l];
        const int pane = int(line.pane);
        Drawn &d = drawn[l];
        const double height = m_panes[pane].chart->plotArea().height();
        const double pixel = height >= 10 ? yTop[pane] / height : 0;
        for (const QList<HistoryBucket> &run : line.columns) {
            QList<QPointF> means;
            QList<QPointF> upper;
            QList<QPointF> lower;
            means.reserve(run.size());
            double tallest = 0;
            for (const HistoryBucket &bucket : run) {
                const double x = double(bucket.timeMs);
                means.append(QPointF(x, double(bucket.mean) * line.scale));
                upper.append(QPointF(x, double(bucket.max) * line.scale));
                lower.append(QPointF(x, double(bucket.min) * line.scale));
                tallest = qMax(tallest, double(bucket.max - bucket.min) * line.scale);
            }
            d.means.append(means);
            Segments band;
            if (run.size() >= 2 && tallest >= pixel && tallest > 0) {
                band = {upper, lower};
                ++d.bandsUsed;
            }
            d.bands.append(band);
        }
        if (pixel > 0) {
            simplifyStraightRuns(&d.means, from, to, span.pixels, pixel / 2);
            for (Segments &band : d.bands)
                simplifyStraightRuns(&band, from, to, span.pixels, pixel / 2);
        }
        segmentsNeeded[pane].append(int(d.means.size()));
        bandsNeeded[pane].append(d.bandsUsed);
    }
    for (int pane = 0; pane < PaneCount; ++pane)
        restack(pane, segmentsNeeded[pane], bandsNeeded[pane]);

    bool dense[PaneCount] = {false, false, false, false};
    for (qsizetype l = 0; l < m_lines.size(); ++l) {
        Line &line = m_lines[l];
        if (line.hidden)
            continue; // a hidden line keeps what it drew; it is drawn again when shown
        const int pane = int(line.pane);
        Drawn &d = drawn[l];
        line.points = 0;
        for (int i = 0; i < line.segments.size(); ++i) {
            QLineSeries *series = line.segments[i];
            QList<QPointF> points = i < d.means.size() ? std::move(d.means[i]) : QList<QPointF>();
            line.points += int(points.size());
            // A run of one sample has no line to draw: show it as a point.
            if (series->pointsVisible() != (points.size() == 1))
                series->setPointsVisible(points.size() == 1);
            if (series->count() == points.size() && series->points() == points)
                continue;
            // An empty line is skipped by the layout on a range change: told as usual.
            const QSignalBlocker quiet(rangeMoves[pane] && !points.isEmpty() ? series : nullptr);
            series->replace(points);
        }
        line.usedSegments = int(d.means.size());
        // The bands, in the order of the runs that have one.
        int b = 0;
        int bandPoints = 0;
        for (const Segments &band : std::as_const(d.bands)) {
            if (band.isEmpty())
                continue;
            bandPoints += int(qMax(band[0].size(), band[1].size()));
            QAreaSeries *area = line.bands[b++];
            if (area->upperSeries()->points() != band[0])
                area->upperSeries()->replace(band[0]);
            if (area->lowerSeries()->points() != band[1])
                area->lowerSeries()->replace(band[1]);
        }
        for (; b < line.bands.size(); ++b) {
            if (line.bands[b]->upperSeries()->count() > 0) {
                line.bands[b]->upperSeries()->clear();
                line.bands[b]->lowerSeries()->clear();
            }
        }
        line.usedBands = d.bandsUsed;
        // Three points per four pixels or more, on a line or a band's edge: drawn thin,
        // without antialiasing (below). A band's faint fill looks the same aliased, and
        // costs a fraction to paint.
        dense[pane] =
            dense[pane] || line.points * 4 >= span.pixels * 3 || bandPoints * 4 >= span.pixels * 3;
    }
    // A dense line drawn 1.5 px wide and antialiased costs several times a thin one to
    // paint and looks no different, so such a pane draws every line 1 px wide, aliased.
    for (Line &line : m_lines) {
        const bool thin = dense[int(line.pane)];
        for (QLineSeries *series : std::as_const(line.segments)) {
            if ((series->pen().widthF() == 1.0) == thin)
                continue;
            QPen pen = series->pen();
            pen.setWidthF(thin ? 1.0 : 1.5);
            series->setPen(pen);
        }
    }
    for (int i = 0; i < PaneCount; ++i) {
        PaneParts &p = m_panes[i];
        p.x->setFormat(format);
        // A week: a label a day, at the same time of day (the even sixth of a week
        // lands on odd hours).
        const int ticks = shown == 7 * DayMs ? 8 : 6;
        if (p.x->tickCount() != ticks)
            p.x->setTickCount(ticks);
        p.x->setRange(QDateTime::fromMSecsSinceEpoch(from), QDateTime::fromMSecsSinceEpoch(to));
        p.y->setRange(0, yTop[i]);
        // Rates of a few per second need their decimals; from a thousand on, "%.3g" would
        // write "2e+04".
        const QString labels = i == int(Pane::Throughput) && yTop[i] < 1000
                                   ? QStringLiteral("%.3g")
                                   : QStringLiteral("%.0f");
        if (p.y->labelFormat() != labels)
            p.y->setLabelFormat(labels);
        if (p.view->renderHints().testFlag(QPainter::Antialiasing) == dense[i])
            p.view->setRenderHint(QPainter::Antialiasing, !dense[i]);
    }
    updateStatus();
    m_dirty = false;
    ++m_redraws;
    Q_EMIT redrawn();
}

bool StreamChart::eventFilter(QObject *watched, QEvent *event)
{
    if (event->type() == QEvent::MouseMove) {
        for (int i = 0; i < PaneCount; ++i) {
            if (watched == m_panes[i].view->viewport()) {
                updateHover(Pane(i), static_cast<QMouseEvent *>(event)->position().toPoint());
                break;
            }
        }
    }
    return QWidget::eventFilter(watched, event);
}

void StreamChart::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    m_dirty = true;
}

void StreamChart::updateHover(Pane pane, const QPoint &viewportPos)
{
    const PaneParts &p = m_panes[int(pane)];
    const QPointF scenePos = p.view->mapToScene(viewportPos);
    const QPointF chartPos = p.chart->mapFromScene(scenePos);
    if (!p.chart->plotArea().contains(chartPos) || m_span.pixels <= 0)
        return;
    const qint64 at = qint64(p.chart->mapToValue(chartPos).x());
    if (at < m_shownFrom || at > m_shownTo)
        return;
    const auto columnOf = [this](qint64 timeMs) { return m_span.columnOf(timeMs); };
    const int column = columnOf(at);
    QStringList parts;
    qint64 sampleTime = -1; // the one sample's time, when every value is a single sample
    bool buckets = false;
    for (const Line &line : std::as_const(m_lines)) {
        if (line.pane != pane || line.hidden)
            continue;
        // A column split by a gap has a bucket in two runs: added up.
        BucketAccumulator sum;
        qint64 time = -1;
        for (const QList<HistoryBucket> &run : line.columns) {
            if (run.isEmpty() || columnOf(run.first().timeMs) > column
                || columnOf(run.last().timeMs) < column)
                continue;
            const auto it = std::lower_bound(run.cbegin(), run.cend(), column,
                                             [&](const HistoryBucket &b, int c) {
                return columnOf(b.timeMs) < c;
            });
            if (it != run.cend() && columnOf(it->timeMs) == column) {
                sum.add(*it);
                time = it->timeMs;
            }
        }
        const HistoryBucket bucket = sum.bucket(time);
        QString value;
        if (bucket.isGap()) {
            value = formatValue(pane, std::numeric_limits<double>::quiet_NaN());
        } else if (bucket.count == 1) {
            value = formatValue(pane, double(bucket.mean) * line.scale);
            sampleTime = sampleTime == -1 || sampleTime == time ? time : -2;
        } else {
            value = tr("mean %1, %2–%3")
                        .arg(formatValue(pane, double(bucket.mean) * line.scale),
                             formatValue(pane, double(bucket.min) * line.scale),
                             formatValue(pane, double(bucket.max) * line.scale));
            buckets = true;
        }
        parts.append(line.name + QStringLiteral(": ") + value);
    }
    const QString dateTime = QStringLiteral("yyyy-MM-dd HH:mm:ss");
    QString when;
    if (!buckets && sampleTime >= 0) {
        when = QDateTime::fromMSecsSinceEpoch(sampleTime).toString(dateTime);
    } else {
        const qint64 start = m_span.from + qint64(column * m_span.columnMs);
        const qint64 end = m_span.from + qint64((column + 1) * m_span.columnMs);
        when = QDateTime::fromMSecsSinceEpoch(start).toString(dateTime) + QStringLiteral("–")
               + QDateTime::fromMSecsSinceEpoch(end).toString(QStringLiteral("HH:mm:ss"));
    }
    const QString text = when + QStringLiteral("  ") + tr(PaneTitles[int(pane)])
                         + QStringLiteral(" — ") + parts.join(QStringLiteral(", "));
    m_hover->setText(text);
    if (p.view->isVisible())
        QToolTip::showText(p.view->viewport()->mapToGlobal(viewportPos), text, p.view);
}

QString StreamChart::hoverText() const
{
    return m_hover->text();
}

QStringList StreamChart::lineNames(Pane pane) const
{
    QStringList names;
    for (const Line &line : m_lines) {
        if (line.pane == pane)
            names.append(line.name);
    }
    return names;
}

const StreamChart::Line *StreamChart::findLine(Pane pane, const QString &name) const
{
    for (const Line &line : m_lines) {
        if (line.pane == pane && line.name == name)
            return &line;
    }
    return nullptr;
}

StreamChart::Line *StreamChart::findLine(Pane pane, const QString &name)
{
    return const_cast<Line *>(std::as_const(*this).findLine(pane, name));
}

bool StreamChart::isLineVisible(Pane pane, const QString &name) const
{
    const Line *line = findLine(pane, name);
    return line && !line->hidden && line->segments.first()->isVisible();
}

int StreamChart::pointCount(Pane pane, const QString &name) const
{
    const Line *line = findLine(pane, name);
    return line ? line->points : 0;
}

int StreamChart::segmentCount(Pane pane, const QString &name) const
{
    const Line *line = findLine(pane, name);
    return line ? line->usedSegments : 0;
}

int StreamChart::bandCount(Pane pane, const QString &name) const
{
    const Line *line = findLine(pane, name);
    return line ? line->usedBands : 0;
}

bool StreamChart::exportPng(const QString &path, QString *error)
{
    const QPixmap image = m_paneBox->grab();
    if (!image.save(path, "PNG")) {
        *error = tr("Could not write %1.").arg(path);
        return false;
    }
    return true;
}

namespace {

const char *const ColumnPrefix[StreamChart::PaneCount] = {"lag", "lag_seconds", "pending", ""};

QByteArray isoTime(qint64 timeMs)
{
    return QDateTime::fromMSecsSinceEpoch(timeMs, Qt::UTC).toString(Qt::ISODateWithMs).toLatin1();
}

QByteArray number(float value, double scale)
{
    return std::isnan(value) ? QByteArray() : QByteArray::number(double(value) * scale, 'g', 9);
}

} // namespace

bool StreamChart::exportCsv(const QString &path, QString *error)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        *error = file.errorString();
        return false;
    }
    file.write(m_span.storeColumns > 0 ? columnsCsv() : samplesCsv());
    if (!file.commit()) {
        *error = file.errorString();
        return false;
    }
    return true;
}

// The whole range came from the ring: its samples, a row per tick.
QByteArray StreamChart::samplesCsv() const
{
    QByteArray text = "time";
    QList<SeriesSamples> columns;
    for (const Line &line : std::as_const(m_lines)) {
        QString header = QString::fromLatin1(ColumnPrefix[int(line.pane)]);
        header = header.isEmpty() ? line.name : header + QLatin1Char(' ') + line.name;
        text += ',' + csvField(header);
        columns.append(m_history->samples(line.key, m_shownFrom, m_shownTo));
    }
    text += '\n';
    const qsizetype rows = columns.isEmpty() ? 0 : columns.first().timesMs.size();
    for (qsizetype r = 0; r < rows; ++r) {
        text += isoTime(columns.first().timesMs.at(r));
        for (int c = 0; c < columns.size(); ++c) {
            text += ',';
            text += number(columns.at(c).values.value(r, std::numeric_limits<float>::quiet_NaN()),
                           m_lines.at(c).scale);
        }
        text += '\n';
    }
    return text;
}

// Part of the range came from the store's buckets: the columns drawn, a row per pixel column
// that holds anything, with each line's min, max and mean.
QByteArray StreamChart::columnsCsv() const
{
    QByteArray text = "time";
    const int pixels = m_span.pixels;
    std::vector<std::vector<HistoryBucket>> columns;
    std::vector<bool> used(static_cast<size_t>(pixels), false);
    for (const Line &line : std::as_const(m_lines)) {
        QString header = QString::fromLatin1(ColumnPrefix[int(line.pane)]);
        header = header.isEmpty() ? line.name : header + QLatin1Char(' ') + line.name;
        for (const char *part : {" min", " max", " mean"})
            text += ',' + csvField(header + QLatin1String(part));
        // A column split by a gap has a bucket in two runs: added up.
        std::vector<BucketAccumulator> sums(static_cast<size_t>(pixels));
        for (const QList<HistoryBucket> &run : line.columns) {
            for (const HistoryBucket &bucket : run) {
                const int c = m_span.columnOf(bucket.timeMs);
                sums[size_t(c)].add(bucket);
                used[size_t(c)] = true;
            }
        }
        std::vector<HistoryBucket> buckets;
        buckets.reserve(size_t(pixels));
        for (const BucketAccumulator &sum : sums)
            buckets.push_back(sum.bucket(0));
        columns.push_back(std::move(buckets));
    }
    text += '\n';
    for (int c = 0; c < pixels; ++c) {
        if (!used[size_t(c)])
            continue;
        text += isoTime(m_span.from + qint64(c * m_span.columnMs));
        for (size_t l = 0; l < columns.size(); ++l) {
            const HistoryBucket &b = columns[l][size_t(c)];
            const double scale = m_lines.at(qsizetype(l)).scale;
            text += ',' + number(b.min, scale) + ',' + number(b.max, scale) + ','
                    + number(b.mean, scale);
        }
        text += '\n';
    }
    return text;
}

void StreamChart::exportWith(bool png)
{
    const QString stamp = QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmmss"));
    const QString base = QString::fromUtf8(m_stream).replace(QLatin1Char('/'), QLatin1Char('_'))
                         + QLatin1Char('-') + stamp;
    const QString path = png ? m_chooseFile(tr("Export chart as PNG"),
                                            base + QStringLiteral(".png"), tr("PNG images (*.png)"))
                             : m_chooseFile(tr("Export chart data as CSV"),
                                            base + QStringLiteral(".csv"), tr("CSV files (*.csv)"));
    if (path.isEmpty())
        return;
    QString error;
    const bool ok = png ? exportPng(path, &error) : exportCsv(path, &error);
    m_exportResult = ok ? tr("Saved %1.").arg(path) : tr("Export failed: %1").arg(error);
    updateStatus();
}
