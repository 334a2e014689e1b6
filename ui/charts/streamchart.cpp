#include "streamchart.h"

#include "decimation.h"
#include "serieshistory.h"

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

#include <cmath>

namespace {

constexpr qint64 MinuteMs = 60'000;

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
    , m_chooseFile([this](const QString &caption, const QString &suggested, const QString &filter) {
        return QFileDialog::getSaveFileName(this, caption, suggested, filter);
    })
{
    m_rangeBox->setObjectName(QStringLiteral("chartRange"));
    m_rangeBox->addItems(
        {tr("Last 5 minutes"), tr("Last hour"), tr("Last 24 hours"), tr("Custom")});
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
    m_status->setVisible(false);

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
        p.y->setLabelFormat(i == int(Pane::Throughput) ? QStringLiteral("%.3g")
                                                       : QStringLiteral("%.0f"));
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

    rebuildLines();
    redraw();
}

StreamChart::~StreamChart() = default;

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
    for (Line &line : m_lines) {
        for (QLineSeries *s : std::as_const(line.segments)) {
            m_panes[int(line.pane)].chart->removeSeries(s);
            delete s;
        }
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
    for (Line &line : m_lines) {
        if (!hidden.contains({int(line.pane), line.name}))
            continue;
        line.hidden = true;
        line.segments.first()->setVisible(false);
        updateMarkers(line);
    }
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
    m_lines.append(line);
    Line &added = m_lines.last();
    QLineSeries *first = newSegment(added);
    const int index = int(m_lines.size()) - 1;
    const QList<QLegendMarker *> markers = m_panes[int(pane)].chart->legend()->markers(first);
    for (QLegendMarker *marker : markers)
        connect(marker, &QLegendMarker::clicked, this, [this, index] { toggleLine(index); });
}

QLineSeries *StreamChart::newSegment(Line &line)
{
    PaneParts &p = m_panes[int(line.pane)];
    auto *series = new QLineSeries;
    series->setName(line.name);
    QPen pen(line.color);
    pen.setWidthF(1.5);
    series->setPen(pen);
    p.chart->addSeries(series);
    series->attachAxis(p.x);
    series->attachAxis(p.y);
    series->setVisible(!line.hidden);
    line.segments.append(series);
    updateMarkers(line);
    return series;
}

void StreamChart::toggleLine(int index)
{
    if (index < 0 || index >= m_lines.size())
        return;
    Line &line = m_lines[index];
    line.hidden = !line.hidden;
    for (QLineSeries *s : std::as_const(line.segments))
        s->setVisible(!line.hidden);
    updateMarkers(line);
    redraw(); // a user's click: drawn now, paused or not (the range stays frozen)
}

// The first segment's legend entry stays, dimmed while the line is hidden; the other
// segments have none.
void StreamChart::updateMarkers(Line &line)
{
    QLegend *legend = m_panes[int(line.pane)].chart->legend();
    for (int i = 0; i < line.segments.size(); ++i) {
        const QList<QLegendMarker *> markers = legend->markers(line.segments[i]);
        for (QLegendMarker *marker : markers) {
            marker->setVisible(i == 0);
            if (i != 0)
                continue;
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
    const qint64 span = m_range == Range::Minutes5 ? 5 * MinuteMs
                        : m_range == Range::Hour   ? 60 * MinuteMs
                                                   : 24 * 60 * MinuteMs;
    // Where a pixel column holds two ticks or more, the end is rounded up to a whole column
    // (less than a pixel past the newest tick): the range then stays put for a column's
    // worth of ticks, and a redraw in between hands Qt Charts only the lines whose last
    // column changed, instead of laying out every line again for a move of under a pixel.
    const PaneParts &p = m_panes[0];
    int pixels = int(p.chart->plotArea().width());
    if (pixels < 10)
        pixels = qMax(200, p.view->width() - 80);
    const double columnMs = double(span) / pixels;
    if (!m_paused && columnMs >= 2.0 * m_history->intervalMs())
        end = qint64(std::ceil(double(end) / columnMs) * columnMs);
    *fromMs = end - span;
    *toMs = end;
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
    const qint64 span = to - from;
    const QString format = span <= 2 * 60 * MinuteMs    ? QStringLiteral("HH:mm:ss")
                           : span <= 24 * 60 * MinuteMs ? QStringLiteral("HH:mm")
                                                        : QStringLiteral("MMM d HH:mm");

    // First every shown line decimated and scaled, for the panes' y ranges; then a min and
    // max less than a pixel apart merged (they draw nothing more), points within half a
    // pixel of the line through their neighbours dropped (Qt Charts lays a line out in time
    // with its points), and only the segments whose points changed handed to replace().
    double top[PaneCount] = {0, 0, 0, 0};
    int pixels[PaneCount] = {0, 0, 0, 0};
    for (int i = 0; i < PaneCount; ++i) {
        const PaneParts &p = m_panes[i];
        pixels[i] = int(p.chart->plotArea().width());
        if (pixels[i] < 10)
            pixels[i] = qMax(200, p.view->width() - 80);
    }
    QList<Segments> drawn(m_lines.size());
    for (qsizetype l = 0; l < m_lines.size(); ++l) {
        Line &line = m_lines[l];
        Segments &segments = drawn[l];
        // A hidden line keeps what it drew; it is read again when shown.
        if (line.hidden) {
            segments.clear();
            continue;
        }
        segments = m_history->decimated(line.key, from, to, pixels[int(line.pane)]);
        for (QList<QPointF> &points : segments) {
            for (QPointF &pt : points) {
                pt.setY(pt.y() * line.scale);
                if (std::isfinite(pt.y()))
                    top[int(line.pane)] = qMax(top[int(line.pane)], pt.y());
            }
        }
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
    bool dense[PaneCount] = {false, false, false, false};
    for (qsizetype l = 0; l < m_lines.size(); ++l) {
        Line &line = m_lines[l];
        if (line.hidden)
            continue;
        const int pane = int(line.pane);
        Segments &segments = drawn[l];
        const double height = m_panes[pane].chart->plotArea().height();
        if (height >= 10) {
            const double pixel = yTop[pane] / height;
            mergeFlatColumns(&segments, from, to, pixels[pane], pixel);
            simplifyStraightRuns(&segments, from, to, pixels[pane], pixel / 2);
        }
        while (line.segments.size() < segments.size())
            newSegment(line);
        line.points = 0;
        for (int i = 0; i < line.segments.size(); ++i) {
            QLineSeries *series = line.segments[i];
            QList<QPointF> points = i < segments.size() ? std::move(segments[i]) : QList<QPointF>();
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
        line.usedSegments = int(segments.size());
        // Three points per four pixels or more: drawn thin, without antialiasing (below).
        dense[pane] = dense[pane] || line.points * 4 >= pixels[pane] * 3;
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
        p.x->setRange(QDateTime::fromMSecsSinceEpoch(from), QDateTime::fromMSecsSinceEpoch(to));
        p.y->setRange(0, yTop[i]);
        if (p.view->renderHints().testFlag(QPainter::Antialiasing) == dense[i])
            p.view->setRenderHint(QPainter::Antialiasing, !dense[i]);
    }
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
    if (!p.chart->plotArea().contains(chartPos))
        return;
    const QPointF value = p.chart->mapToValue(chartPos);
    qint64 tick = 0;
    if (!m_history->nearestTick(qint64(value.x()), &tick) || tick < m_shownFrom || tick > m_shownTo)
        return;
    QStringList parts;
    for (const Line &line : std::as_const(m_lines)) {
        if (line.pane != pane || line.hidden)
            continue;
        const double v = m_history->valueAt(line.key, tick) * line.scale;
        parts.append(line.name + QStringLiteral(": ") + formatValue(pane, v));
    }
    const QString text =
        QDateTime::fromMSecsSinceEpoch(tick).toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"))
        + QStringLiteral("  ") + tr(PaneTitles[int(pane)]) + QStringLiteral(" — ")
        + parts.join(QStringLiteral(", "));
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

bool StreamChart::exportPng(const QString &path, QString *error)
{
    const QPixmap image = m_paneBox->grab();
    if (!image.save(path, "PNG")) {
        *error = tr("Could not write %1.").arg(path);
        return false;
    }
    return true;
}

bool StreamChart::exportCsv(const QString &path, QString *error)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        *error = file.errorString();
        return false;
    }
    static const char *const ColumnPrefix[PaneCount] = {"lag", "lag_seconds", "pending", ""};
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
        text += QDateTime::fromMSecsSinceEpoch(columns.first().timesMs.at(r), Qt::UTC)
                    .toString(Qt::ISODateWithMs)
                    .toLatin1();
        for (int c = 0; c < columns.size(); ++c) {
            text += ',';
            const float v = columns.at(c).values.value(r, std::numeric_limits<float>::quiet_NaN());
            if (!std::isnan(v))
                text += QByteArray::number(double(v) * m_lines.at(c).scale, 'g', 9);
        }
        text += '\n';
    }
    file.write(text);
    if (!file.commit()) {
        *error = file.errorString();
        return false;
    }
    return true;
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
    m_status->setText(ok ? tr("Saved %1.").arg(path) : tr("Export failed: %1").arg(error));
    m_status->setVisible(true);
}
