// The numbered series keys of the monitor's figures (SeriesCatalog, SeriesFigures,
// SeriesCatalogReader), and the three consumers that read the figures by number: fed the
// same ticks once through one growing catalog, as the monitor hands them on (with a
// compaction that renumbers every key half-way), and once through a fresh catalog a tick,
// the history, the alert engine and the dashboard must end up with the same contents.
#include "alertrules.h"
#include "dashboardmodel.h"
#include "serieshistory.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

#include <atomic>
#include <thread>

namespace {

SeriesKey key(const QByteArray &stream, const QByteArray &group, Metric metric,
              const QByteArray &consumer = {})
{
    return SeriesKey{stream, group, consumer, metric};
}

struct Value
{
    SeriesKey key;
    double value;
    bool estimated = false;
};

// Hands on ticks the way StreamMonitor does: one lineage, a copy of the catalog when a key
// is new; compact() starts a new catalog that numbers the keys in another order.
class Producer
{
public:
    MonitorFigures tick(qint64 timeMs, const QList<Value> &values, bool compact = false)
    {
        std::shared_ptr<SeriesCatalog> next;
        if (compact) {
            next = std::make_shared<SeriesCatalog>();
            for (qsizetype i = values.size() - 1; i >= 0; --i)
                next->add(values[i].key);
        } else {
            next = std::make_shared<SeriesCatalog>(*m_catalog);
            for (const Value &v : values)
                next->add(v.key);
        }
        std::vector<double> numbers(size_t(next->size()), std::nan(""));
        std::vector<bool> estimated(numbers.size(), false);
        for (const Value &v : values) {
            numbers[size_t(next->find(v.key))] = v.value;
            estimated[size_t(next->find(v.key))] = v.estimated;
        }
        m_catalog = next;
        MonitorFigures f;
        f.timeMs = timeMs;
        f.values = SeriesFigures(m_catalog, std::move(numbers), std::move(estimated));
        return f;
    }

private:
    std::shared_ptr<const SeriesCatalog> m_catalog = std::make_shared<const SeriesCatalog>();
};

// The same values with a catalog of their own.
MonitorFigures fresh(qint64 timeMs, const QList<Value> &values)
{
    MonitorFigures f;
    f.timeMs = timeMs;
    for (const Value &v : values)
        f.values.insert(v.key, v.value, v.estimated);
    return f;
}

// Tick i of a scripted session: streams come and go, groups and consumers appear late, a
// lag crosses the backlog threshold and falls back, dead letters arrive.
QList<Value> script(int i)
{
    QList<Value> v;
    auto stream = [&](const QByteArray &name, double length) {
        v.append({key(name, {}, Metric::Length), length});
        v.append({key(name, {}, Metric::AddedPerSecond), 10});
        v.append({key(name, {}, Metric::DeadLetters), i < 10 ? 0.0 : double(i - 9)});
    };
    auto group = [&](const QByteArray &s, const QByteArray &g, double lag, bool estimated) {
        v.append({key(s, g, Metric::Lag), lag, estimated});
        v.append({key(s, g, Metric::TimeLagMs), lag * 10});
        v.append({key(s, g, Metric::Pending), 3});
        v.append({key(s, g, Metric::ReadPerSecond), 9});
        v.append({key(s, g, Metric::Consumers), 1});
    };
    stream("orders", 100 + i);
    group("orders", "billing", i < 12 ? 200.0 * i : 100, i % 3 == 0);
    if (i >= 4) {
        group("orders", "audit", 5, false);
        v.append({key("orders", "audit", Metric::ConsumerPending, "a1"), 2});
        v.append({key("orders", "audit", Metric::ConsumerIdleMs, "a1"), i >= 8 ? 400'000.0 : 1});
    }
    if (i < 6 || i >= 14) { // deleted while watched, then back
        stream("emails", 7);
        group("emails", "senders", 0, false);
    }
    if (i >= 9)
        stream("late", 1); // a stream without groups
    return v;
}

// Equal lists, NaN (a gap) equal to NaN.
template<typename T> bool sameNumbers(const QList<T> &a, const QList<T> &b)
{
    return std::equal(a.cbegin(), a.cend(), b.cbegin(), b.cend(),
                      [](T x, T y) { return x == y || (std::isnan(x) && std::isnan(y)); });
}

struct Consumers
{
    SeriesHistory history{1000};
    AlertEngine alerts{QStringLiteral("c"), QStringLiteral("local")};
    DashboardModel dashboard;
    QList<QString> events;
    Consumers()
    {
        QObject::connect(&alerts, &AlertEngine::changed, &alerts,
                         [this](const QList<AlertEvent> &list) {
            for (const AlertEvent &e : list)
                events.append(e.summary());
        });
    }
    void feed(const MonitorFigures &f)
    {
        history.record(f);
        alerts.evaluate(f);
        dashboard.update(f);
    }
};

} // namespace

class TestMonitorFigures : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void catalogNumbersKeysAndKeepsThem()
    {
        SeriesCatalog catalog;
        QCOMPARE(catalog.add(key("a", {}, Metric::Length)), 0);
        QCOMPARE(catalog.add(key("a", "g", Metric::Lag)), 1);
        QCOMPARE(catalog.add(key("a", {}, Metric::Length)), 0);
        QCOMPARE(catalog.find(key("a", "g", Metric::Lag)), 1);
        QCOMPARE(catalog.find(key("a", "g", Metric::Pending)), -1);
        QCOMPARE(catalog.size(), 2);
        QCOMPARE(catalog.key(1), key("a", "g", Metric::Lag));

        const SeriesCatalog copy(catalog);
        QCOMPARE(copy.lineage(), catalog.lineage());
        const SeriesCatalog forked = catalog.fork();
        QVERIFY(forked.lineage() != catalog.lineage());
        QCOMPARE(forked.find(key("a", "g", Metric::Lag)), 1);
        QVERIFY(SeriesCatalog().lineage() != SeriesCatalog().lineage());
    }

    // Copies share their keys: extending one leaves the older copies as they were, across
    // the storage's chunks, while another thread reads them; extending an older copy
    // after a newer one grew forks it.
    void copiesShareTheirKeys()
    {
        auto numbered = [](int n) { return key("s" + QByteArray::number(n), {}, Metric::Length); };
        SeriesCatalog older;
        for (int n = 0; n < 5000; ++n)
            older.add(numbered(n));
        SeriesCatalog newer(older);
        std::atomic<bool> agreed{true};
        std::thread reader([&older, &agreed, &numbered] {
            for (int round = 0; round < 20; ++round) {
                for (int n = 0; n < older.size(); n += 7)
                    agreed = agreed && older.key(n) == numbered(n) && older.find(numbered(n)) == n;
            }
        });
        for (int n = 5000; n < 20000; ++n)
            QCOMPARE(newer.add(numbered(n)), n);
        reader.join();
        QVERIFY(agreed);
        QCOMPARE(older.size(), 5000);
        QCOMPARE(older.find(numbered(5000)), -1);
        QCOMPARE(newer.find(numbered(19999)), 19999);
        QCOMPARE(newer.key(12345), numbered(12345));
        QCOMPARE(newer.lineage(), older.lineage());

        // The older copy may not take number 5000 too: it forks, keeping its numbers.
        QCOMPARE(older.add(key("other", {}, Metric::Length)), 5000);
        QVERIFY(older.lineage() != newer.lineage());
        QCOMPARE(older.key(4999), numbered(4999));
        QCOMPARE(older.find(key("other", {}, Metric::Length)), 5000);
        QCOMPARE(newer.key(5000), numbered(5000));
        QCOMPARE(newer.find(key("other", {}, Metric::Length)), -1);
    }

    void readerSeesOnlyWhatIsNew()
    {
        SeriesCatalog catalog;
        catalog.add(key("a", {}, Metric::Length));
        catalog.add(key("b", {}, Metric::Length));
        SeriesCatalogReader reader;
        SeriesCatalogReader::News news = reader.read(catalog);
        QVERIFY(news.restart);
        QCOMPARE(news.from, 0);

        news = reader.read(catalog);
        QVERIFY(!news.restart);
        QCOMPARE(news.from, 2);

        SeriesCatalog grown(catalog);
        grown.add(key("c", {}, Metric::Length));
        news = reader.read(grown);
        QVERIFY(!news.restart);
        QCOMPARE(news.from, 2);

        news = reader.read(grown.fork());
        QVERIFY(news.restart);
        QCOMPARE(news.from, 0);

        reader.reset();
        QVERIFY(reader.read(grown).restart);
    }

    void figuresByKey()
    {
        SeriesFigures f;
        QVERIFY(f.isEmpty());
        QVERIFY(std::isnan(f.value(key("a", {}, Metric::Length))));
        f.insert(key("a", {}, Metric::Length), 5);
        f.insert(key("a", "g", Metric::Lag), 7, true);
        f.insert(key("a", "g", Metric::DrainSeconds), Never);
        QCOMPARE(f.count(), 3);
        QCOMPARE(f.value(key("a", {}, Metric::Length)), 5.0);
        QVERIFY(f.isEstimated(key("a", "g", Metric::Lag)));
        QVERIFY(!f.isEstimated(key("a", {}, Metric::Length)));
        QCOMPARE(f.value(key("a", "g", Metric::DrainSeconds)), Never);

        f.remove(key("a", "g", Metric::Lag));
        QVERIFY(!f.contains(key("a", "g", Metric::Lag)));
        QVERIFY(!f.isEstimated(key("a", "g", Metric::Lag)));
        QCOMPARE(f.value(key("a", "g", Metric::Lag), -1), -1.0);
        QCOMPARE(f.count(), 2);
        f.setEstimated(key("a", {}, Metric::Length));
        QVERIFY(f.isEstimated(key("a", {}, Metric::Length)));

        QList<QByteArray> seen;
        f.forEach([&](const SeriesKey &k, double, bool) { seen.append(k.group); });
        QCOMPARE(seen, (QList<QByteArray>{"", "g"}));
    }

    // Figures copied and then extended apart never leave two catalogs of one lineage that
    // number a key differently (a reader would mix their numbers up).
    void copiesExtendedApartFork()
    {
        SeriesFigures f;
        f.insert(key("a", {}, Metric::Length), 1);
        SeriesFigures a = f;
        SeriesFigures b = f;
        a.insert(key("x", {}, Metric::Length), 2);
        b.insert(key("y", {}, Metric::Length), 3);
        QVERIFY(a.catalog().lineage() != b.catalog().lineage());
        QCOMPARE(f.count(), 1);
        QVERIFY(!f.contains(key("x", {}, Metric::Length)));

        SeriesCatalogReader reader;
        reader.read(a.catalog());
        QVERIFY(reader.read(b.catalog()).restart);

        // Equality is by key, whatever the numbers.
        SeriesFigures c;
        c.insert(key("x", {}, Metric::Length), 2);
        c.insert(key("a", {}, Metric::Length), 1);
        QVERIFY(a == c);
        c.setEstimated(key("x", {}, Metric::Length));
        QVERIFY(!(a == c));
        QVERIFY(!(a == b));
    }

    void consumersReadNumbersAsKeys()
    {
        Consumers byLineage;
        Consumers byFresh;
        QAbstractItemModelTester tester(&byLineage.dashboard,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        Producer producer;
        const qint64 t0 = 1'700'000'000'000;
        for (int i = 0; i < 20; ++i) {
            const QList<Value> values = script(i);
            const qint64 t = t0 + i * 1000;
            byLineage.feed(producer.tick(t, values, i == 11));
            byFresh.feed(fresh(t, values));
        }

        // The script did what it is meant to: alerts fired and cleared, rows came and went.
        QVERIFY(byFresh.events.size() >= 4);
        QCOMPARE(byLineage.events, byFresh.events);
        QCOMPARE(byLineage.alerts.activeAlerts().size(), byFresh.alerts.activeAlerts().size());

        QList<SeriesKey> keys = byFresh.history.keys();
        QVERIFY(keys.size() >= 15);
        QCOMPARE(byLineage.history.keys().size(), keys.size());
        for (const SeriesKey &k : keys) {
            const SeriesSamples a = byLineage.history.samples(k, 0, t0 + 100'000);
            const SeriesSamples b = byFresh.history.samples(k, 0, t0 + 100'000);
            QCOMPARE(a.timesMs, b.timesMs);
            QVERIFY(sameNumbers(a.values, b.values));
            QCOMPARE(byLineage.history.isEstimated(k), byFresh.history.isEstimated(k));
        }
        // emails was gone for ticks 6 to 13: a gap, then values again.
        const SeriesSamples emails =
            byLineage.history.samples(key("emails", "senders", Metric::Lag), 0, t0 + 100'000);
        QVERIFY(std::isnan(emails.values.at(8)));
        QCOMPARE(emails.values.at(15), 0.f);

        DashboardModel &a = byLineage.dashboard;
        DashboardModel &b = byFresh.dashboard;
        QCOMPARE(a.rowCount(), 4); // orders' two groups, emails' group, late's own row
        QCOMPARE(a.rowCount(), b.rowCount());
        QCOMPARE(a.streamCount(), 3);
        QCOMPARE(a.groupCount(), b.groupCount());
        for (int row = 0; row < b.rowCount(); ++row) {
            const int other = a.rowOf(b.stream(row), b.group(row));
            QVERIFY(other >= 0);
            for (int column = 0; column < DashboardModel::ColumnCount; ++column) {
                QCOMPARE(a.data(a.index(other, column), Qt::DisplayRole),
                         b.data(b.index(row, column), Qt::DisplayRole));
            }
            QVERIFY(sameNumbers(a.sparkline(other), b.sparkline(row)));
        }
    }
};

QTEST_GUILESS_MAIN(TestMonitorFigures)
#include "tst_monitorfigures.moc"
