// The monitor's history on disk (historystore.h): real SQLite files in a temporary folder,
// real child processes for a second writer, SIGKILL and a full disk. This program runs
// itself as the child: `tst_historystore child <mode> ...`.

#include "historychunk.h"
#include "historystore.h"
#include "monitorfigures.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QEventLoop>
#include <QFile>
#include <QLockFile>
#include <QProcess>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <cmath>
#include <csignal>
#include <cstdio>
#include <memory>
#include <signal.h>
#include <sys/resource.h>
#include <vector>

namespace {

constexpr float NaN = std::numeric_limits<float>::quiet_NaN();
constexpr qint64 Second = 1000;
constexpr qint64 Minute = 60 * Second;
constexpr qint64 Hour = 60 * Minute;
constexpr qint64 Day = 24 * Hour;
// A Monday, midnight UTC: buckets and chunks line up with it.
constexpr qint64 Epoch = qint64(1796601600) * 1000;

SeriesKey streamKey(const QByteArray &stream, Metric metric)
{
    SeriesKey key;
    key.stream = stream;
    key.metric = metric;
    return key;
}

SeriesKey groupKey(const QByteArray &stream, const QByteArray &group, Metric metric)
{
    SeriesKey key = streamKey(stream, metric);
    key.group = group;
    return key;
}

// Ticks over a fixed set of series, numbered by one catalog as the monitor's are.
class Feed
{
public:
    explicit Feed(const QList<SeriesKey> &keys)
        : m_catalog(std::make_shared<SeriesCatalog>())
    {
        for (const SeriesKey &key : keys)
            m_catalog->add(key);
    }
    explicit Feed(int series)
        : Feed(keysFor(series))
    {}
    static QList<SeriesKey> keysFor(int series)
    {
        QList<SeriesKey> keys;
        for (int s = 0; s < series; ++s)
            keys.append(groupKey("orders-" + QByteArray::number(s), "billing", Metric::Lag));
        return keys;
    }
    int size() const { return m_catalog->size(); }
    const SeriesKey &key(int s) const { return m_catalog->key(s); }
    MonitorFigures tick(qint64 timeMs, const std::vector<double> &values, bool ok = true) const
    {
        MonitorFigures figures;
        figures.timeMs = timeMs;
        figures.ok = ok;
        if (ok) {
            figures.values =
                SeriesFigures(m_catalog, values, std::vector<bool>(values.size(), false));
        } else {
            figures.error = QStringLiteral("Connection refused");
        }
        return figures;
    }

private:
    std::shared_ptr<SeriesCatalog> m_catalog;
};

// The value every test and child gives series `s` on tick `i`: exact as a float.
double valueOf(int s, qint64 i)
{
    return double(s * 1000 + (i * 37) % 1001) + 0.5;
}

// Every series' value on tick `i`.
std::vector<double> valuesOf(int series, qint64 i)
{
    std::vector<double> values(static_cast<size_t>(series));
    for (int s = 0; s < series; ++s)
        values[size_t(s)] = valueOf(s, i);
    return values;
}

// What the store should keep of a run of ticks, computed from the same input with the
// bucket arithmetic of historychunk.h: the samples (a gap tick where ticks were more than
// 2.5 intervals apart, gaps for failed ticks and missing values), their minute buckets and
// the hour buckets of those.
class Reference
{
public:
    Reference(int series, qint64 intervalMs)
        : m_values(size_t(series))
        , m_intervalMs(intervalMs)
    {}
    void add(const MonitorFigures &figures)
    {
        if (!m_times.empty() && figures.timeMs - m_times.back() > m_intervalMs * 5 / 2)
            append(m_times.back() + m_intervalMs, nullptr);
        append(figures.timeMs, figures.ok ? &figures : nullptr);
    }
    HistoryBuckets raw(int s) const
    {
        HistoryBuckets out;
        for (size_t i = 0; i < m_times.size(); ++i)
            out.push_back(HistoryBucket::sample(m_times[i], m_values[size_t(s)][i]));
        return out;
    }
    HistoryBuckets minutes(int s) const { return rollUp(raw(s), Minute); }
    HistoryBuckets hours(int s) const { return rollUp(minutes(s), Hour); }
    qint64 lastTime() const { return m_times.back(); }

private:
    void append(qint64 timeMs, const MonitorFigures *figures)
    {
        m_times.push_back(timeMs);
        for (size_t s = 0; s < m_values.size(); ++s) {
            const double value = figures ? figures->values.at(int(s)) : NaN;
            m_values[s].push_back(float(value));
        }
    }
    static HistoryBuckets rollUp(const HistoryBuckets &input, qint64 spanMs)
    {
        HistoryBuckets out;
        BucketAccumulator accumulator;
        qint64 start = 0;
        for (const HistoryBucket &bucket : input) {
            const qint64 bucketStart = historyAlign(bucket.timeMs, spanMs);
            if (bucketStart != start) {
                if (!accumulator.isEmpty())
                    out.push_back(accumulator.bucket(start));
                accumulator.reset();
                start = bucketStart;
            }
            accumulator.add(bucket);
        }
        if (!accumulator.isEmpty())
            out.push_back(accumulator.bucket(start));
        return out;
    }

    std::vector<qint64> m_times;
    std::vector<std::vector<float>> m_values;
    qint64 m_intervalMs;
};

HistoryRuns reduce(const HistoryBuckets &input, qint64 fromMs, qint64 toMs, int pixels,
                   qint64 gapMs)
{
    ColumnReducer reducer(fromMs, toMs, pixels, gapMs);
    for (const HistoryBucket &bucket : input) {
        if (bucket.timeMs >= fromMs && bucket.timeMs <= toMs)
            reducer.add(bucket);
    }
    return reducer.finish();
}

bool same(float a, float b)
{
    return (std::isnan(a) && std::isnan(b)) || a == b;
}

QString describe(const HistoryBucket &b)
{
    return QStringLiteral("{t=%1 min=%2 max=%3 mean=%4 last=%5 n=%6}")
        .arg(b.timeMs)
        .arg(double(b.min))
        .arg(double(b.max))
        .arg(double(b.mean))
        .arg(double(b.last))
        .arg(b.count);
}

// Empty when equal, else where they differ.
QString compareRuns(const HistoryRuns &actual, const HistoryRuns &expected)
{
    if (actual.size() != expected.size())
        return QStringLiteral("%1 runs, expected %2").arg(actual.size()).arg(expected.size());
    for (qsizetype r = 0; r < actual.size(); ++r) {
        if (actual[r].size() != expected[r].size()) {
            return QStringLiteral("run %1: %2 columns, expected %3")
                .arg(r)
                .arg(actual[r].size())
                .arg(expected[r].size());
        }
        for (qsizetype c = 0; c < actual[r].size(); ++c) {
            const HistoryBucket &a = actual[r][c];
            const HistoryBucket &e = expected[r][c];
            if (a.timeMs != e.timeMs || !same(a.min, e.min) || !same(a.max, e.max)
                || !same(a.mean, e.mean) || !same(a.last, e.last) || a.count != e.count) {
                return QStringLiteral("run %1 column %2: %3, expected %4")
                    .arg(r)
                    .arg(c)
                    .arg(describe(a), describe(e));
            }
        }
    }
    return QString();
}

// Loads a range and waits for its answer.
HistoryView loadView(HistoryStore &store, const SeriesKey &key, qint64 fromMs, qint64 toMs,
                     int pixels)
{
    QSignalSpy spy(&store, &HistoryStore::loaded);
    const quint64 request = store.load(key, fromMs, toMs, pixels);
    for (int i = 0; i < 200 && spy.isEmpty(); ++i)
        spy.wait(100);
    if (spy.isEmpty())
        return HistoryView{};
    [&] { QCOMPARE(spy.first().at(0).toULongLong(), request); }();
    return spy.first().at(1).value<HistoryView>();
}

bool waitReady(HistoryStore &store)
{
    if (store.mode() != HistoryStore::Mode::Opening)
        return true;
    QSignalSpy ready(&store, &HistoryStore::ready);
    return ready.wait(10000);
}

// A connection of the test's own to a store's file.
class Sql
{
public:
    explicit Sql(const QString &path)
        : m_name(QStringLiteral("test-%1").arg(++s_next))
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_name);
        db.setDatabaseName(path);
        db.open();
    }
    ~Sql() { QSqlDatabase::removeDatabase(m_name); }
    QSqlDatabase db() const { return QSqlDatabase::database(m_name); }
    QVariant value(const QString &sql, const QVariantList &values = {}) const
    {
        QSqlQuery query(db());
        query.prepare(sql);
        for (const QVariant &value : values)
            query.addBindValue(value);
        if (!query.exec() || !query.next())
            return QVariant();
        return query.value(0);
    }

private:
    QString m_name;
    static inline int s_next = 0;
};

// ---- the child ----

// `child writer <path> <series> <startMs> <wallMsPerTick> <ticks> <ending>`: records ticks
// a second of simulated time apart, printing "tick <i> <timeMs> <wallMs>" after each; at the
// end ("exit": waitForWrites then exit without destructors; "stay": keeps recording until
// killed).
int childWriter(const QStringList &args)
{
    const QString path = args.value(0);
    const int series = args.value(1).toInt();
    const qint64 start = args.value(2).toLongLong();
    const int wallMs = args.value(3).toInt();
    const qint64 ticks = args.value(4).toLongLong();
    const QString ending = args.value(5);

    auto *store = new HistoryStore(path, HistoryRetention(), 1000);
    if (!waitReady(*store) || store->mode() != HistoryStore::Mode::Writing) {
        std::printf("mode %d %s\n", int(store->mode()), qPrintable(store->statusText()));
        return 2;
    }
    std::printf("ready %lld\n", qint64(QCoreApplication::applicationPid()));
    std::fflush(stdout);
    Feed feed(series);
    qint64 i = 0;
    QTimer timer;
    QObject::connect(&timer, &QTimer::timeout, [&] {
        const std::vector<double> values = valuesOf(series, i);
        const qint64 timeMs = start + i * Second;
        store->record(feed.tick(timeMs, values));
        std::printf("tick %lld %lld %lld\n", i, timeMs, QDateTime::currentMSecsSinceEpoch());
        std::fflush(stdout);
        if (++i == ticks && ending == QLatin1String("exit")) {
            store->waitForWrites();
            std::printf("done\n");
            std::fflush(stdout);
            std::_Exit(0);
        }
    });
    timer.start(wallMs);
    return QCoreApplication::exec();
}

// `child full <path>`: a file size limit stands for a full disk; records until the store
// reports it, then goes on recording, and prints what it saw.
int childFull(const QStringList &args)
{
    std::signal(SIGXFSZ, SIG_IGN);
    rlimit limit{};
    limit.rlim_cur = 600 * 1024;
    limit.rlim_max = RLIM_INFINITY;
    setrlimit(RLIMIT_FSIZE, &limit);

    HistoryStore store(args.value(0), HistoryRetention(), 1000);
    QStringList problems;
    QObject::connect(&store, &HistoryStore::problem,
                     [&](const QString &message) { problems.append(message); });
    if (!waitReady(store))
        return 2;
    Feed feed(200);
    qint64 i = 0;
    qint64 afterProblem = -1;
    while (afterProblem < 3000 && i < 200000) {
        store.record(feed.tick(Epoch + i * Second, valuesOf(feed.size(), i)));
        ++i;
        if (i % 100 == 0) {
            store.waitForWrites();
            QCoreApplication::processEvents();
        }
        if (!problems.isEmpty())
            ++afterProblem;
    }
    store.waitForWrites();
    QCoreApplication::processEvents();
    for (const QString &problem : std::as_const(problems))
        std::printf("problem %s\n", qPrintable(problem));
    std::printf("mode %d\n", int(store.mode()));
    std::printf("ticks %lld\n", i);

    // Clearing the history while the disk is still full fails and says so; once there is
    // space again (the limit lifted), clearing it makes the store write again.
    const auto clear = [&](const char *label) {
        problems.clear();
        QEventLoop loop;
        QObject::connect(&store, &HistoryStore::cleared, &loop, &QEventLoop::quit);
        QObject::connect(&store, &HistoryStore::problem, &loop, &QEventLoop::quit);
        QTimer::singleShot(10000, &loop, &QEventLoop::quit);
        store.clear();
        loop.exec();
        for (const QString &problem : std::as_const(problems))
            std::printf("%s-problem %s\n", label, qPrintable(problem));
        std::printf("%s %d\n", label, int(store.mode()));
    };
    clear("clear-full");
    limit.rlim_cur = RLIM_INFINITY;
    setrlimit(RLIMIT_FSIZE, &limit);
    clear("clear-freed");
    for (qint64 k = 0; k < 700; ++k) {
        std::vector<double> values(size_t(feed.size()), 3.0);
        store.record(feed.tick(Epoch + (i + k) * Second, values));
    }
    store.waitForWrites();
    QCoreApplication::processEvents();
    std::printf("mode-after-clear %d %lld\n", int(store.mode()), qint64(problems.size()));
    return 0;
}

int runChild(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QStringList args = app.arguments().mid(3);
    const QString mode = app.arguments().value(2);
    if (mode == QLatin1String("writer"))
        return childWriter(args);
    if (mode == QLatin1String("full"))
        return childFull(args);
    return 3;
}

// The child, started from a test.
class Child
{
public:
    explicit Child(const QStringList &args)
    {
        m_process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        m_process.start(QCoreApplication::applicationFilePath(),
                        QStringList{QStringLiteral("child")} + args);
    }
    ~Child()
    {
        if (m_process.state() != QProcess::NotRunning) {
            m_process.kill();
            m_process.waitForFinished();
        }
    }
    // Lines printed so far (read as they come).
    QStringList lines()
    {
        m_buffer += m_process.readAllStandardOutput();
        const qsizetype end = m_buffer.lastIndexOf('\n');
        if (end >= 0) {
            for (const QByteArray &line : m_buffer.left(end).split('\n'))
                m_lines.append(QString::fromUtf8(line));
            m_buffer.remove(0, end + 1);
        }
        return m_lines;
    }
    QStringList ticks()
    {
        QStringList out;
        for (const QString &line : lines()) {
            if (line.startsWith(QLatin1String("tick ")))
                out.append(line);
        }
        return out;
    }
    QProcess &process() { return m_process; }

private:
    QProcess m_process;
    QByteArray m_buffer;
    QStringList m_lines;
};

} // namespace

class TestHistoryStore : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void tierFor_data();
    void tierFor();
    void reopenGivesBackEveryTier();
    void gapsBetweenSessions();
    void closingWritesTheOpenChunks();
    void journalReplayAfterExitWithoutDestructor();
    void sigkillLosesAtMostTheLastFlush();
    void secondWriterGetsReadOnly();
    void unwritableDirectory();
    void diskFull();
    void corruptFileIsSetAside();
    void corruptChunkIsLeftOut();
    void retentionHousekeeping();
    void setRetentionAppliesAtOnce();
    void quietSeriesComesBack();
    void clearAndSize();

private:
    QString path() const { return m_dir->filePath(QStringLiteral("profile.sqlite")); }
    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestHistoryStore::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

void TestHistoryStore::tierFor_data()
{
    QTest::addColumn<qint64>("from");
    QTest::addColumn<qint64>("to");
    QTest::addColumn<int>("pixels");
    QTest::addColumn<qint64>("now");
    QTest::addColumn<int>("tier");

    const qint64 now = Epoch + 100 * Day;
    QTest::newRow("15 min, 1000 px: raw") << now - 15 * Minute << now << 1000 << now << 0;
    QTest::newRow("1 h, 1000 px: raw") << now - Hour << now << 1000 << now << 0;
    QTest::newRow("6 h, 1000 px: raw where kept") << now - 6 * Hour << now << 1000 << now << 0;
    QTest::newRow("6 h, 300 px: minute") << now - 6 * Hour << now << 300 << now << 1;
    QTest::newRow("24 h, 1000 px: minute") << now - Day << now << 1000 << now << 1;
    QTest::newRow("7 d, 1000 px: minute") << now - 7 * Day << now << 1000 << now << 1;
    QTest::newRow("90 d, 1000 px: hour") << now - 90 * Day << now << 1000 << now << 2;
    QTest::newRow("7 d, 100 px: hour") << now - 7 * Day << now << 100 << now << 2;
    QTest::newRow("15 min 3 h ago: raw gone, minute")
        << now - 3 * Hour << now - 3 * Hour + 15 * Minute << 1000 << now << 1;
    QTest::newRow("15 min 10 d ago: minute gone, hour")
        << now - 10 * Day << now - 10 * Day + 15 * Minute << 1000 << now << 2;
    QTest::newRow("15 min 200 d ago: still hour")
        << now - 200 * Day << now - 200 * Day + 15 * Minute << 1000 << now << 2;
    QTest::newRow("ending just inside raw's reach: raw")
        << now - 2 * Hour << now - Hour + Minute << 100000 << now << 0;
    QTest::newRow("ending just before raw's reach: minute")
        << now - 2 * Hour << now - Hour - Minute << 100000 << now << 1;
    QTest::newRow("no tick yet: by the column") << Epoch << Epoch + Hour << 1000 << qint64(0) << 0;
}

void TestHistoryStore::tierFor()
{
    QFETCH(qint64, from);
    QFETCH(qint64, to);
    QFETCH(int, pixels);
    QFETCH(qint64, now);
    QFETCH(int, tier);
    QCOMPARE(int(HistoryStore::tierFor(from, to, pixels, HistoryRetention(), now)), tier);
}

// Three hours across a day's end, with failed ticks, missing values and a pause: reopened,
// every tier reads back exactly what the bucket arithmetic makes of the same input.
void TestHistoryStore::reopenGivesBackEveryTier()
{
    const QList<SeriesKey> keys{groupKey("orders", "billing", Metric::Lag),
                                streamKey("orders", Metric::AddedPerSecond),
                                streamKey("orders", Metric::Length)}; // not charted
    Feed feed(keys);
    Reference reference(feed.size(), 1000);
    const qint64 start = Epoch + 22 * Hour + 30 * Minute + 500;
    {
        HistoryStore store(path(), HistoryRetention(), 1000);
        QVERIFY(waitReady(store));
        QCOMPARE(store.mode(), HistoryStore::Mode::Writing);
        for (qint64 i = 0; i < 3 * 3600; ++i) {
            if (i >= 5000 && i < 5300)
                continue; // not watching for five minutes
            std::vector<double> values = valuesOf(3, i);
            if (i % 97 == 5)
                values[0] = NaN; // not measured this tick
            const MonitorFigures figures = feed.tick(start + i * Second, values, i % 211 != 7);
            store.record(figures);
            reference.add(figures);
        }
        store.waitForWrites();
        QCOMPARE(store.backlog(), 0);
    }
    HistoryStore store(path(), HistoryRetention(), 1000);
    QVERIFY(waitReady(store));
    QCOMPARE(store.mode(), HistoryStore::Mode::Writing);
    const qint64 end = reference.lastTime();

    for (int s = 0; s < 2; ++s) {
        // Raw: the last 40 minutes at a column a second.
        const qint64 rawFrom = historyAlign(end - 40 * Minute, Minute);
        HistoryView view = loadView(store, keys[s], rawFrom, end, 40 * 60);
        QVERIFY2(view.error.isEmpty(), qPrintable(view.error));
        QCOMPARE(view.tier, HistoryTier::Raw);
        QString diff = compareRuns(view.runs, reduce(reference.raw(s), rawFrom, end, 40 * 60,
                                                     historyChunkMs(HistoryTier::Raw)));
        QVERIFY2(diff.isEmpty(), qPrintable(QStringLiteral("raw: ") + diff));

        // Minute: the whole run at a column a minute.
        const qint64 from = historyAlign(start, Hour);
        const qint64 to = from + 4 * Hour;
        view = loadView(store, keys[s], from, to, 4 * 60);
        QCOMPARE(view.tier, HistoryTier::Minute);
        diff = compareRuns(view.runs, reduce(reference.minutes(s), from, to, 4 * 60, 90 * Second));
        QVERIFY2(diff.isEmpty(), qPrintable(QStringLiteral("minute: ") + diff));
        QCOMPARE(view.runs.size(), 2); // the pause is a gap

        // Hour: a column an hour.
        view = loadView(store, keys[s], from, to, 4);
        QCOMPARE(view.tier, HistoryTier::Hour);
        diff = compareRuns(view.runs, reduce(reference.hours(s), from, to, 4, 5400 * Second));
        QVERIFY2(diff.isEmpty(), qPrintable(QStringLiteral("hour: ") + diff));
        QCOMPARE(view.runs.size(), 1);
        QCOMPARE(view.runs.first().size(), 4);
    }
    // The metric the charts do not draw is not kept.
    const HistoryView length = loadView(store, keys[2], start, end, 100);
    QVERIFY(length.runs.isEmpty());
    QVERIFY(length.error.isEmpty());

    // Hour buckets across the day's end are each of their own day's chunk.
    Sql sql(path());
    QCOMPARE(sql.value(QStringLiteral("SELECT count(*) FROM chunks WHERE tier = 2 "
                                      "AND series = (SELECT min(series) FROM chunks)"))
                 .toInt(),
             2);
}

// The time Weir was closed stays a gap in every tier; a raw chunk finished by the next
// session keeps the first session's samples.
void TestHistoryStore::gapsBetweenSessions()
{
    Feed feed(1);
    Reference reference(1, 1000);
    const qint64 start = Epoch + 10 * Hour + 3 * Minute;
    const auto session = [&](qint64 from, qint64 count) {
        HistoryStore store(path(), HistoryRetention(), 1000);
        QVERIFY(waitReady(store));
        for (qint64 i = from; i < from + count; ++i) {
            const MonitorFigures figures = feed.tick(start + i * Second, {valueOf(0, i)});
            store.record(figures);
            reference.add(figures);
        }
    };
    session(0, 200);    // 10:03:00 to 10:06:19
    session(300, 200);  // 10:08:00 to 10:11:19: the same raw chunk, finished by this session
    session(1900, 100); // 10:34:40, twenty minutes later

    HistoryStore store(path(), HistoryRetention(), 1000);
    QVERIFY(waitReady(store));
    const qint64 end = reference.lastTime();
    const qint64 from = historyAlign(start, Hour);
    HistoryView view = loadView(store, feed.key(0), from, end, int((end - from) / Second) + 1);
    QCOMPARE(view.tier, HistoryTier::Raw);
    QCOMPARE(view.runs.size(), 3);
    QCOMPARE(view.runs[0].size(), 200);
    QCOMPARE(view.runs[0].last().timeMs, start + 199 * Second);
    QCOMPARE(view.runs[1].first().timeMs, start + 300 * Second);
    QCOMPARE(view.runs[1].size(), 200);
    QString diff =
        compareRuns(view.runs, reduce(reference.raw(0), from, end, int((end - from) / Second) + 1,
                                      historyChunkMs(HistoryTier::Raw)));
    QVERIFY2(diff.isEmpty(), qPrintable(diff));

    view = loadView(store, feed.key(0), from, from + 3 * Hour, 180);
    QCOMPARE(view.tier, HistoryTier::Minute);
    QCOMPARE(view.runs.size(), 3);
    diff = compareRuns(view.runs,
                       reduce(reference.minutes(0), from, from + 3 * Hour, 180, 90 * Second));
    QVERIFY2(diff.isEmpty(), qPrintable(diff));

    view = loadView(store, feed.key(0), from, from + 3 * Hour, 3);
    QCOMPARE(view.tier, HistoryTier::Hour);
    diff =
        compareRuns(view.runs, reduce(reference.hours(0), from, from + 3 * Hour, 3, 5400 * Second));
    QVERIFY2(diff.isEmpty(), qPrintable(diff));
}

// Closing writes the open chunks as they stand and folds the write-ahead log into the file:
// the next start reads the last ticks from the chunks, not the journal, and has no log to
// read back.
void TestHistoryStore::closingWritesTheOpenChunks()
{
    Feed feed(3);
    Reference reference(3, 1000);
    // 05:07 to 05:23:39: the last raw chunk (05:20 on) and the hour are still open.
    const qint64 start = Epoch + 5 * Hour + 7 * Minute;
    {
        HistoryStore store(path(), HistoryRetention(), 1000);
        QVERIFY(waitReady(store));
        for (qint64 i = 0; i < 1000; ++i) {
            const MonitorFigures figures = feed.tick(start + i * Second, valuesOf(3, i));
            store.record(figures);
            reference.add(figures);
        }
    }
    QVERIFY(!QFile::exists(path() + QStringLiteral("-wal")));
    {
        // Without the journal, only the chunks written at the close hold the last ticks.
        Sql sql(path());
        QVERIFY(sql.value(QStringLiteral("SELECT count(*) FROM journal")).toInt() > 0);
        QSqlQuery query(sql.db());
        QVERIFY(query.exec(QStringLiteral("DELETE FROM journal")));
    }

    HistoryStore store(path(), HistoryRetention(), 1000);
    QVERIFY(waitReady(store));
    const qint64 end = start + 999 * Second;
    for (int s = 0; s < 3; ++s) {
        HistoryView view = loadView(store, feed.key(s), start, end, 2000);
        QCOMPARE(view.tier, HistoryTier::Raw);
        QString diff = compareRuns(view.runs, reduce(reference.raw(s), start, end, 2000,
                                                     historyChunkMs(HistoryTier::Raw)));
        QVERIFY2(diff.isEmpty(), qPrintable(QStringLiteral("raw: ") + diff));
        const qint64 from = historyAlign(start, Hour);
        view = loadView(store, feed.key(s), from, from + Hour, 60);
        QCOMPARE(view.tier, HistoryTier::Minute);
        diff = compareRuns(view.runs,
                           reduce(reference.minutes(s), from, from + Hour, 60, 90 * Second));
        QVERIFY2(diff.isEmpty(), qPrintable(QStringLiteral("minute: ") + diff));
    }
}

// A Weir that ends without its destructors (a crash after its last flush) loses nothing:
// reopening replays the journal.
void TestHistoryStore::journalReplayAfterExitWithoutDestructor()
{
    const qint64 start = Epoch + 5 * Hour + 7 * Minute;
    Child child({QStringLiteral("writer"), path(), QStringLiteral("3"), QString::number(start),
                 QStringLiteral("0"), QStringLiteral("1000"), QStringLiteral("exit")});
    QVERIFY(child.process().waitForFinished(20000));
    QCOMPARE(child.process().exitStatus(), QProcess::NormalExit);
    QVERIFY2(child.lines().contains(QStringLiteral("done")),
             qPrintable(child.lines().join(QLatin1Char(0x0a))));

    HistoryStore store(path(), HistoryRetention(), 1000);
    QVERIFY(waitReady(store));
    QCOMPARE(store.mode(), HistoryStore::Mode::Writing); // the lock of the dead child is taken
    Feed feed(3);
    Reference reference(3, 1000);
    for (qint64 i = 0; i < 1000; ++i)
        reference.add(feed.tick(start + i * Second, valuesOf(3, i)));
    const qint64 end = start + 999 * Second;
    for (int s = 0; s < 3; ++s) {
        const HistoryView view = loadView(store, feed.key(s), start, end, 2000);
        const QString diff = compareRuns(view.runs, reduce(reference.raw(s), start, end, 2000,
                                                           historyChunkMs(HistoryTier::Raw)));
        QVERIFY2(diff.isEmpty(), qPrintable(diff));
    }
}

// A writer killed with SIGKILL mid-write leaves a sound file holding every tick but those of
// its last flush.
void TestHistoryStore::sigkillLosesAtMostTheLastFlush()
{
    const qint64 start = Epoch + 8 * Hour + 55 * Minute;
    Child child({QStringLiteral("writer"), path(), QStringLiteral("100"), QString::number(start),
                 QStringLiteral("2"), QStringLiteral("100000"), QStringLiteral("stay")});
    // Killed after some seconds of writing, whatever was under way.
    const auto wallOf = [](const QString &line) {
        return line.split(QLatin1Char(' ')).value(3).toLongLong();
    };
    QTRY_VERIFY_WITH_TIMEOUT(child.ticks().size() > 2
                                 && wallOf(child.ticks().last()) - wallOf(child.ticks().first())
                                        >= 5000,
                             20000);
    ::kill(pid_t(child.process().processId()), SIGKILL);
    QVERIFY(child.process().waitForFinished(5000));
    const QStringList last = child.ticks().last().split(QLatin1Char(' '));
    const qint64 lastWall = last.value(3).toLongLong();

    {
        Sql sql(path());
        QCOMPARE(sql.value(QStringLiteral("PRAGMA integrity_check")).toString(),
                 QStringLiteral("ok"));
    }
    // Every tick printed before the last flush interval (and a little) must be there.
    qint64 mustHave = -1;
    for (const QString &line : child.ticks()) {
        const QStringList parts = line.split(QLatin1Char(' '));
        if (parts.value(3).toLongLong() <= lastWall - HistoryStore::FlushIntervalMs - 500)
            mustHave = parts.value(1).toLongLong();
    }
    QVERIFY(mustHave > 500);

    HistoryStore store(path(), HistoryRetention(), 1000);
    QVERIFY(waitReady(store));
    QCOMPARE(store.mode(), HistoryStore::Mode::Writing);
    Feed feed(100);
    const qint64 end = start + mustHave * Second;
    for (int s : {0, 57, 99}) {
        const HistoryView view = loadView(store, feed.key(s), start, end, int(2 * mustHave + 2));
        QVERIFY2(view.error.isEmpty(), qPrintable(view.error));
        QCOMPARE(view.runs.size(), 1);
        const QList<HistoryBucket> &run = view.runs.first();
        QCOMPARE(run.size(), int(mustHave + 1));
        for (qint64 i = 0; i <= mustHave; ++i) {
            QCOMPARE(run[i].timeMs, start + i * Second);
            QCOMPARE(run[i].last, float(valueOf(s, i)));
        }
    }
}

// A second Weir on the profile reads what the first one writes and says who holds it.
void TestHistoryStore::secondWriterGetsReadOnly()
{
    const qint64 start = Epoch + 3 * Hour;
    Child child({QStringLiteral("writer"), path(), QStringLiteral("2"), QString::number(start),
                 QStringLiteral("3"), QStringLiteral("100000"), QStringLiteral("stay")});
    QTRY_VERIFY_WITH_TIMEOUT(child.lines().size() >= 1, 10000);
    QVERIFY2(child.lines().first().startsWith(QLatin1String("ready")),
             qPrintable(child.lines().first()));

    HistoryStore store(path(), HistoryRetention(), 1000);
    QSignalSpy problems(&store, &HistoryStore::problem);
    QVERIFY(waitReady(store));
    QCOMPARE(store.mode(), HistoryStore::Mode::ReadOnly);
    QVERIFY2(store.statusText().contains(QString::number(child.process().processId())),
             qPrintable(store.statusText()));
    QVERIFY(problems.isEmpty());
    store.record(Feed(2).tick(start, {1, 2})); // kept in memory only: nothing breaks
    QCOMPARE(store.backlog(), 0);

    // The child writes a raw chunk every 600 ticks: this store sees them come.
    Feed feed(2);
    const auto newest = [&] {
        const HistoryView view = loadView(store, feed.key(1), start, start + Day, 100000);
        return view.runs.isEmpty() ? qint64(0) : view.runs.last().last().timeMs;
    };
    QTRY_VERIFY_WITH_TIMEOUT(newest() >= start + 599 * Second, 15000);
    const qint64 seen = newest();
    QTRY_VERIFY_WITH_TIMEOUT(newest() > seen, 15000);
    const HistoryView view = loadView(store, feed.key(1), start, start + 10 * Minute, 1200);
    QCOMPARE(view.runs.first().first().last, float(valueOf(1, 0)));
}

// A store whose folder cannot be made says so once and keeps monitoring in memory.
void TestHistoryStore::unwritableDirectory()
{
    QFile blocker(m_dir->filePath(QStringLiteral("blocker")));
    QVERIFY(blocker.open(QIODevice::WriteOnly));
    blocker.close();
    const QString path = m_dir->filePath(QStringLiteral("blocker/history/profile.sqlite"));

    HistoryStore store(path, HistoryRetention(), 1000);
    QSignalSpy problems(&store, &HistoryStore::problem);
    QVERIFY(waitReady(store));
    QCOMPARE(store.mode(), HistoryStore::Mode::MemoryOnly);
    QVERIFY(!store.statusText().isEmpty());
    QTRY_COMPARE(problems.size(), 1);
    const QString message = problems.first().first().toString();
    QVERIFY2(message.contains(QStringLiteral("Not a directory")), qPrintable(message));
    QVERIFY2(message.contains(
                 QDir::toNativeSeparators(m_dir->filePath(QStringLiteral("blocker/history")))),
             qPrintable(message));

    Feed feed(2);
    for (qint64 i = 0; i < 100; ++i)
        store.record(feed.tick(Epoch + i * Second, {1, 2}));
    store.waitForWrites();
    const HistoryView view = loadView(store, feed.key(0), Epoch, Epoch + Hour, 100);
    QVERIFY(view.runs.isEmpty());
    QVERIFY(view.error.isEmpty());
    QCoreApplication::processEvents();
    QCOMPARE(problems.size(), 1);
}

// A disk that fills up (a file size limit in a child) is reported once, with SQLite's words,
// and the child records on in memory without crashing; once there is space again, clearing
// the history makes the store write again.
void TestHistoryStore::diskFull()
{
    Child child({QStringLiteral("full"), path()});
    QVERIFY(child.process().waitForFinished(25000));
    const QStringList lines = child.lines();
    QCOMPARE(child.process().exitStatus(), QProcess::NormalExit);
    QCOMPARE(child.process().exitCode(), 0);
    const QStringList problems = lines.filter(QRegularExpression(QStringLiteral("^problem ")));
    QCOMPARE(problems.size(), 1);
    QVERIFY2(problems.first().contains(QStringLiteral("database or disk is full"))
                 || problems.first().contains(QStringLiteral("disk I/O error")),
             qPrintable(problems.first()));
    QVERIFY(lines.contains(QStringLiteral("mode %1").arg(int(HistoryStore::Mode::MemoryOnly))));
    const QString all = lines.join(QLatin1Char(0x0a));
    QCOMPARE(lines.filter(QRegularExpression(QStringLiteral("^clear-full-problem "))).size(), 1);
    QVERIFY2(
        lines.contains(QStringLiteral("clear-full %1").arg(int(HistoryStore::Mode::MemoryOnly))),
        qPrintable(all));
    QVERIFY2(lines.filter(QStringLiteral("clear-freed-problem")).isEmpty(), qPrintable(all));
    QVERIFY2(lines.contains(QStringLiteral("clear-freed %1").arg(int(HistoryStore::Mode::Writing))),
             qPrintable(all));
    QVERIFY2(lines.contains(
                 QStringLiteral("mode-after-clear %1 0").arg(int(HistoryStore::Mode::Writing))),
             qPrintable(all));

    // What was committed before is sound and readable.
    Sql sql(path());
    QCOMPARE(sql.value(QStringLiteral("PRAGMA integrity_check")).toString(), QStringLiteral("ok"));
}

// A file that is not a database is set aside, once reported, and a new history started.
void TestHistoryStore::corruptFileIsSetAside()
{
    QFile file(path());
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(QByteArray(16384, 'x'));
    file.close();

    HistoryStore store(path(), HistoryRetention(), 1000);
    QSignalSpy problems(&store, &HistoryStore::problem);
    QVERIFY(waitReady(store));
    QCOMPARE(store.mode(), HistoryStore::Mode::Writing);
    QTRY_COMPARE(problems.size(), 1);
    const QString message = problems.first().first().toString();
    QVERIFY2(message.contains(QStringLiteral("file is not a database")), qPrintable(message));
    const QStringList aside =
        QDir(m_dir->path()).entryList({QStringLiteral("profile.sqlite.corrupt-*")});
    QCOMPARE(aside.size(), 1);
    QVERIFY(message.contains(aside.first()));

    Feed feed(1);
    for (qint64 i = 0; i < 700; ++i)
        store.record(feed.tick(Epoch + i * Second, {valueOf(0, i)}));
    store.waitForWrites();
    const HistoryView view = loadView(store, feed.key(0), Epoch, Epoch + 599 * Second, 1200);
    QCOMPARE(view.runs.size(), 1);
    QCOMPARE(view.runs.first().size(), 600);
    QCOMPARE(problems.size(), 1);
}

// A damaged chunk is named and left out; the rest of the range is read.
void TestHistoryStore::corruptChunkIsLeftOut()
{
    Feed feed(2);
    const qint64 start = Epoch + 2 * Hour;
    {
        HistoryStore store(path(), HistoryRetention(), 1000);
        QVERIFY(waitReady(store));
        for (qint64 i = 0; i < 1800; ++i)
            store.record(feed.tick(start + i * Second, valuesOf(2, i)));
    }
    {
        Sql sql(path());
        QSqlQuery query(sql.db());
        query.prepare(QStringLiteral(
            "UPDATE chunks SET data = ? WHERE tier = 0 AND start_ms = ? AND series = "
            "(SELECT id FROM series WHERE stream = ?)"));
        query.addBindValue(QByteArray("\x01\x02\x03 not a chunk at all", 24));
        query.addBindValue(start + 10 * Minute);
        query.addBindValue(feed.key(0).stream);
        QVERIFY2(query.exec(), qPrintable(query.lastError().text()));
        QCOMPARE(query.numRowsAffected(), 1);
    }
    HistoryStore store(path(), HistoryRetention(), 1000);
    QSignalSpy problems(&store, &HistoryStore::problem);
    QVERIFY(waitReady(store));
    const qint64 end = start + 1799 * Second;
    HistoryView view = loadView(store, feed.key(0), start, end, 3600);
    QVERIFY2(
        view.error.contains(
            QStringLiteral("raw chunk from %1")
                .arg(QDateTime::fromMSecsSinceEpoch(start + 10 * Minute).toString(Qt::ISODate))),
        qPrintable(view.error));
    QCOMPARE(view.runs.size(), 2); // before and after the chunk left out
    QCOMPARE(view.runs[0].size(), 600);
    QCOMPARE(view.runs[1].size(), 600);
    QCOMPARE(view.runs[1].first().timeMs, start + 20 * Minute);
    QCOMPARE(problems.size(), 1);
    // The other series is whole.
    view = loadView(store, feed.key(1), start, end, 3600);
    QVERIFY(view.error.isEmpty());
    QCOMPARE(view.runs.size(), 1);
    QCOMPARE(view.runs[0].size(), 1800);
}

// Old chunks go by their tier's retention and a series that stopped goes once nothing of it
// is kept, by the ticks' own times.
void TestHistoryStore::retentionHousekeeping()
{
    HistoryRetention retention;
    retention.rawMs = 20 * Minute;
    retention.minuteMs = 3 * Hour;
    retention.hourMs = 2 * Day;
    Feed feed(2);
    const qint64 interval = Minute;
    qint64 last = 0;
    {
        HistoryStore store(path(), retention, int(interval));
        QVERIFY(waitReady(store));
        for (qint64 i = 0; i < 4 * Day / interval; ++i) {
            last = Epoch + i * interval;
            // The second series' stream was deleted after two hours.
            store.record(feed.tick(last, {valueOf(0, i), i < 120 ? valueOf(1, i) : NaN}));
        }
        store.waitForWrites();
    }
    Sql sql(path());
    const auto count = [&](const QString &where, const QVariantList &values = {}) {
        return sql.value(QStringLiteral("SELECT count(*) FROM chunks WHERE ") + where, values)
            .toInt();
    };
    const qint64 slack = 10 * Minute; // housekeeping runs every few minutes of ticks
    QCOMPARE(count(QStringLiteral("tier = 0 AND end_ms <= ?"),
                   {qMin(last - retention.rawMs, historyAlign(last, Hour)) - slack}),
             0);
    QCOMPARE(count(QStringLiteral("tier = 1 AND end_ms <= ?"), {last - retention.minuteMs - slack}),
             0);
    QCOMPARE(count(QStringLiteral("tier = 2 AND end_ms <= ?"), {last - retention.hourMs - slack}),
             0);
    // What the retention still covers is there.
    QVERIFY(count(QStringLiteral("tier = 0 AND start_ms <= ?"), {last - retention.rawMs}) > 0);
    QVERIFY(count(QStringLiteral("tier = 1 AND start_ms <= ?"), {last - retention.minuteMs}) > 0);
    QVERIFY(count(QStringLiteral("tier = 2 AND start_ms <= ?"), {last - retention.hourMs}) > 0);
    // The stopped series and its chunks are gone; the live one stays.
    QCOMPARE(sql.value(QStringLiteral("SELECT count(*) FROM series")).toInt(), 1);
    QCOMPARE(sql.value(QStringLiteral("SELECT stream FROM series")).toByteArray(),
             feed.key(0).stream);
    QCOMPARE(count(QStringLiteral("series NOT IN (SELECT id FROM series)")), 0);
}

// A shorter retention set in the preferences drops what it no longer covers straight away.
void TestHistoryStore::setRetentionAppliesAtOnce()
{
    Feed feed(1);
    HistoryStore store(path(), HistoryRetention(), int(Minute));
    QVERIFY(waitReady(store));
    const qint64 last = Epoch + 6 * Hour;
    for (qint64 time = Epoch; time <= last; time += Minute)
        store.record(feed.tick(time, {valueOf(0, time / Minute)}));
    store.waitForWrites();
    Sql sql(path());
    const auto minuteChunks = [&] {
        return sql.value(QStringLiteral("SELECT count(*) FROM chunks WHERE tier = 1")).toInt();
    };
    QCOMPARE(minuteChunks(), 6);

    HistoryRetention retention;
    retention.minuteMs = 2 * Hour;
    store.setRetention(retention);
    QCOMPARE(store.retention(), retention);
    store.waitForWrites();
    QCOMPARE(minuteChunks(), 2); // 04:00 and 05:00; 06:00 is not written yet
    const HistoryView view = loadView(store, feed.key(0), Epoch, last, 6 * 60);
    QCOMPARE(view.tier, HistoryTier::Minute);
    QCOMPARE(view.runs.size(), 1);
    // Before 04:00 the hour tier stands in, an hour a bucket; the minute tier from then on.
    const QList<HistoryBucket> &run = view.runs.first();
    for (int hour = 0; hour < 4; ++hour) {
        QCOMPARE(run[hour].timeMs, Epoch + hour * Hour);
        QCOMPARE(run[hour].count, 60u);
    }
    QCOMPARE(run[4].timeMs, Epoch + 4 * Hour);
    QCOMPARE(run[4].count, 1u);
}

// A series without values for more than a day leaves the writer's memory; when its stream
// comes back, it goes on as the same series on disk.
void TestHistoryStore::quietSeriesComesBack()
{
    Feed feed(2);
    HistoryStore store(path(), HistoryRetention(), int(Minute));
    QVERIFY(waitReady(store));
    const qint64 last = Epoch + 2 * Day + 3 * Hour - Minute;
    for (qint64 time = Epoch; time <= last; time += Minute) {
        const qint64 i = (time - Epoch) / Minute;
        const bool deleted = time >= Epoch + 2 * Hour && time < Epoch + 2 * Day;
        store.record(feed.tick(time, {valueOf(0, i), deleted ? NaN : valueOf(1, i)}));
    }
    store.waitForWrites();
    Sql sql(path());
    QCOMPARE(sql.value(QStringLiteral("SELECT count(*) FROM series")).toInt(), 2);

    const HistoryView view = loadView(store, feed.key(1), Epoch, Epoch + 3 * Day, 72);
    QCOMPARE(view.tier, HistoryTier::Hour);
    QCOMPARE(view.runs.size(), 2);
    QCOMPARE(view.runs[0].size(), 2); // 00:00 and 01:00 of the first day
    QCOMPARE(view.runs[1].first().timeMs, Epoch + 2 * Day);
    QCOMPARE(view.runs[1].size(), 2); // 00:00 and 01:00 of the third day (02:00 is open)
    QCOMPARE(view.runs[1].last().last, float(valueOf(1, (Hour + 2 * Day) / Minute + 59)));
}

// Clearing forgets every series on disk and gives the space back; the store records on.
void TestHistoryStore::clearAndSize()
{
    Feed feed(50);
    HistoryStore store(path(), HistoryRetention(), 1000);
    QVERIFY(waitReady(store));
    for (qint64 i = 0; i < 3000; ++i) {
        store.record(feed.tick(Epoch + i * Second, valuesOf(50, i)));
    }
    store.waitForWrites();
    QSignalSpy sizes(&store, &HistoryStore::sizeKnown);
    store.requestSize();
    QTRY_COMPARE(sizes.size(), 1);
    const qint64 full = sizes.first().first().toLongLong();
    QVERIFY(full > 100 * 1024);

    QSignalSpy cleared(&store, &HistoryStore::cleared);
    store.clear();
    QTRY_COMPARE(cleared.size(), 1);
    store.requestSize();
    QTRY_COMPARE(sizes.size(), 2);
    const qint64 empty = sizes.last().first().toLongLong();
    QVERIFY2(empty < full / 4, qPrintable(QStringLiteral("%1 then %2").arg(full).arg(empty)));
    HistoryView view = loadView(store, feed.key(3), Epoch, Epoch + Hour, 3600);
    QVERIFY(view.runs.isEmpty());
    QVERIFY(view.error.isEmpty());

    // Recording goes on after it, from the next tick.
    for (qint64 i = 3000; i < 3700; ++i) {
        std::vector<double> values(50, 7.0);
        store.record(feed.tick(Epoch + i * Second, values));
    }
    store.waitForWrites();
    view = loadView(store, feed.key(3), Epoch, Epoch + Hour, 3600);
    QVERIFY2(view.error.isEmpty(), qPrintable(view.error));
    QCOMPARE(view.runs.size(), 1);
    QCOMPARE(view.runs.first().first().timeMs, Epoch + 3000 * Second);
}

int main(int argc, char **argv)
{
    if (argc > 2 && qstrcmp(argv[1], "child") == 0)
        return runChild(argc, argv);
    QCoreApplication app(argc, argv);
    TestHistoryStore test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_historystore.moc"
