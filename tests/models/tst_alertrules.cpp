// AlertRules and AlertEngine fed figures built here, tick by tick: each default rule fires
// once when crossed, not again while above, clears with hysteresis and fires again after
// clearing; overrides take precedence group over stream over global; a rule switched off
// never fires; failed ticks and missing values change nothing; dead letters fire on a rise
// over the baseline only; an idle consumer needs pending entries; the rules survive a
// round trip through QSettings. AlertLogModel (under QAbstractItemModelTester) logs them
// newest first, bounded, and knows which alerts are active now.
#include "alertlogmodel.h"
#include "alertrules.h"

#include <QAbstractItemModelTester>

#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

Q_DECLARE_METATYPE(SeriesKey)

namespace {

SeriesKey key(const char *stream, const char *group, const char *consumer, Metric metric)
{
    return {QByteArray(stream), QByteArray(group), QByteArray(consumer), metric};
}

SeriesKey lag(const char *stream, const char *group)
{
    return key(stream, group, "", Metric::Lag);
}

SeriesKey deadLetters(const char *stream)
{
    return key(stream, "", "", Metric::DeadLetters);
}

MonitorFigures figures(qint64 timeMs, const QList<QPair<SeriesKey, double>> &values)
{
    MonitorFigures f;
    f.timeMs = timeMs;
    for (const auto &[k, v] : values)
        f.values.insert(k, v);
    return f;
}

// Feeds one tick and returns the events it produced (the engine emits at most once).
QList<AlertEvent> feed(AlertEngine &engine, const MonitorFigures &f)
{
    QSignalSpy spy(&engine, &AlertEngine::changed);
    engine.evaluate(f);
    if (spy.count() > 1)
        qFatal("changed() emitted %d times for one tick", int(spy.count()));
    return spy.isEmpty() ? QList<AlertEvent>() : spy.at(0).at(0).value<QList<AlertEvent>>();
}

} // namespace

class TestAlertRules : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void levelRuleFiresOnceAndClearsWithHysteresis_data();
    void levelRuleFiresOnceAndClearsWithHysteresis();
    void thresholdItselfIsNotAbove();
    void groupOverrideBeatsStreamBeatsGlobal();
    void disabledRuleNeverFires();
    void switchingRuleOffClearsItsAlerts();
    void missingValuesAndFailedTicksNeitherFireNorClear();
    void newDeadLetterFiresOnIncreaseOnly();
    void deadLettersRemovedClearAndLowerTheBaseline();
    void idleConsumerNeedsPending();
    void estimatedValueFiresAndSaysSo();
    void settingsRoundTrip();
    void unreadableSettingsFallBackToDefaults();
    void thresholdParsing_data();
    void thresholdParsing();
    void logShowsFiredAndClearedNewestFirst();
    void logIsBoundedAndKeepsActiveAlerts();
    void activeOnlyFilterAndEndConnection();
};

void TestAlertRules::levelRuleFiresOnceAndClearsWithHysteresis_data()
{
    QTest::addColumn<int>("rule");
    QTest::addColumn<SeriesKey>("series");
    QTest::addColumn<double>("scale");     // from the rule's unit to the figure's
    QTest::addColumn<double>("threshold"); // the default, in the rule's unit

    QTest::newRow("backlog") << int(AlertRule::Backlog) << lag("orders", "billing") << 1.0
                             << 1000.0;
    QTest::newRow("time lag") << int(AlertRule::TimeLag)
                              << key("orders", "billing", "", Metric::TimeLagMs) << 1000.0 << 60.0;
    QTest::newRow("idle consumer")
        << int(AlertRule::IdleConsumer)
        << key("orders", "billing", "worker-2", Metric::ConsumerIdleMs) << 1000.0 << 300.0;
}

void TestAlertRules::levelRuleFiresOnceAndClearsWithHysteresis()
{
    QFETCH(int, rule);
    QFETCH(SeriesKey, series);
    QFETCH(double, scale);
    QFETCH(double, threshold);
    QCOMPARE(AlertRules::defaultThreshold(AlertRule(rule)), threshold);

    AlertEngine engine(QStringLiteral("c1"), QStringLiteral("prod"));
    SeriesKey pending = series;
    pending.metric = Metric::ConsumerPending;
    qint64 now = 1'700'000'000'000;
    // Values in units of the threshold.
    auto tick = [&](double ofThreshold) {
        now += 1000;
        QList<QPair<SeriesKey, double>> values{{series, ofThreshold * threshold * scale}};
        if (series.metric == Metric::ConsumerIdleMs)
            values.append({pending, 4});
        return feed(engine, figures(now, values));
    };

    QVERIFY(tick(0.5).isEmpty());
    const QList<AlertEvent> fired = tick(1.2);
    QCOMPARE(fired.size(), 1);
    QCOMPARE(fired[0].state, AlertEvent::Fired);
    QCOMPARE(int(fired[0].rule), rule);
    QCOMPARE(fired[0].connectionId, QStringLiteral("c1"));
    QCOMPARE(fired[0].connectionName, QStringLiteral("prod"));
    QCOMPARE(fired[0].stream, series.stream);
    QCOMPARE(fired[0].group, series.group);
    QCOMPARE(fired[0].consumer, series.consumer);
    QCOMPARE(fired[0].value, 1.2 * threshold);
    QCOMPARE(fired[0].threshold, threshold);
    QCOMPARE(fired[0].timeMs, now);
    QVERIFY(!fired[0].estimated);
    QCOMPARE(engine.activeAlerts().size(), 1);

    QVERIFY(tick(5).isEmpty()); // still above: no second firing
    QVERIFY(tick(1.01).isEmpty());
    QVERIFY(tick(0.95).isEmpty()); // under, but not under the clear level (90%)
    QVERIFY(tick(1.5).isEmpty());
    QVERIFY(tick(0.91).isEmpty());
    QCOMPARE(engine.activeAlerts().size(), 1);

    const QList<AlertEvent> cleared = tick(0.9);
    QCOMPARE(cleared.size(), 1);
    QCOMPARE(cleared[0].state, AlertEvent::Cleared);
    QCOMPARE(cleared[0].value, 0.9 * threshold);
    QVERIFY(engine.activeAlerts().isEmpty());

    QVERIFY(tick(0.95).isEmpty()); // under the threshold: not fired
    QVERIFY(tick(1.0).isEmpty());
    const QList<AlertEvent> again = tick(1.1);
    QCOMPARE(again.size(), 1);
    QCOMPARE(again[0].state, AlertEvent::Fired);
}

void TestAlertRules::thresholdItselfIsNotAbove()
{
    AlertEngine engine({}, {});
    QVERIFY(feed(engine, figures(1, {{lag("s", "g"), 1000}})).isEmpty());
    QCOMPARE(feed(engine, figures(2, {{lag("s", "g"), 1001}})).size(), 1);
}

void TestAlertRules::groupOverrideBeatsStreamBeatsGlobal()
{
    AlertRules rules;
    rules.setGlobalThreshold(AlertRule::Backlog, 1000);
    rules.setOverride({"orders", {}, AlertRule::Backlog}, {std::nullopt, 500.0});
    rules.setOverride({"orders", "slow", AlertRule::Backlog}, {std::nullopt, 2000.0});
    // On/off is looked up on its own: the stream switches the rule off, a group on again.
    rules.setOverride({"quiet", {}, AlertRule::Backlog}, {false, std::nullopt});
    rules.setOverride({"quiet", "important", AlertRule::Backlog}, {true, std::nullopt});

    QCOMPARE(rules.threshold(AlertRule::Backlog, "orders", "fast"), 500.0);
    QCOMPARE(rules.threshold(AlertRule::Backlog, "orders", "slow"), 2000.0);
    QCOMPARE(rules.threshold(AlertRule::Backlog, "orders"), 500.0);
    QCOMPARE(rules.threshold(AlertRule::Backlog, "other", "g"), 1000.0);
    QCOMPARE(rules.threshold(AlertRule::TimeLag, "orders", "slow"), 60.0); // other rule
    QVERIFY(!rules.isEnabled(AlertRule::Backlog, "quiet", "a"));
    QVERIFY(rules.isEnabled(AlertRule::Backlog, "quiet", "important"));
    QVERIFY(rules.isEnabled(AlertRule::Backlog, "orders", "slow"));

    AlertEngine engine({}, {});
    engine.setRules(rules);
    const QList<AlertEvent> events =
        feed(engine, figures(1, {{lag("orders", "fast"), 800},         // stream: 500, fires
                                 {lag("orders", "slow"), 1500},        // group: 2000, not
                                 {lag("other", "g"), 800},             // global: 1000, not
                                 {lag("quiet", "a"), 1e6},             // switched off for stream
                                 {lag("quiet", "important"), 1500}})); // on for the group
    QCOMPARE(events.size(), 2);
    QSet<QByteArray> where;
    for (const AlertEvent &e : events)
        where.insert(e.stream + '/' + e.group);
    QCOMPARE(where, (QSet<QByteArray>{"orders/fast", "quiet/important"}));
    for (const AlertEvent &e : events)
        QCOMPARE(e.threshold, e.stream == "orders" ? 500.0 : 1000.0);

    const QList<AlertEvent> slow = feed(engine, figures(2, {{lag("orders", "slow"), 2001}}));
    QCOMPARE(slow.size(), 1);
    QCOMPARE(slow[0].group, QByteArray("slow"));
    QCOMPARE(slow[0].threshold, 2000.0);

    // An empty override is no override.
    rules.setOverride({"orders", "slow", AlertRule::Backlog}, {});
    QCOMPARE(rules.threshold(AlertRule::Backlog, "orders", "slow"), 500.0);
    QCOMPARE(rules.overriddenScopes().size(), 3);
}

void TestAlertRules::disabledRuleNeverFires()
{
    AlertRules rules;
    for (int i = 0; i < AlertRuleCount; ++i)
        rules.setGlobalEnabled(AlertRule(i), false);
    AlertEngine engine({}, {});
    engine.setRules(rules);
    QSignalSpy spy(&engine, &AlertEngine::changed);
    for (qint64 t = 0; t < 5; ++t) {
        engine.evaluate(figures(t * 1000, {{lag("s", "g"), 1e6},
                                           {key("s", "g", "", Metric::TimeLagMs), 1e9},
                                           {deadLetters("s"), double(t * 10)},
                                           {key("s", "g", "c", Metric::ConsumerIdleMs), 1e9},
                                           {key("s", "g", "c", Metric::ConsumerPending), 10}}));
    }
    QCOMPARE(spy.count(), 0);
    QVERIFY(engine.activeAlerts().isEmpty());
}

void TestAlertRules::switchingRuleOffClearsItsAlerts()
{
    AlertEngine engine({}, {});
    QCOMPARE(feed(engine, figures(1, {{lag("s", "g"), 5000}})).size(), 1);
    AlertRules rules;
    rules.setOverride({"s", "g", AlertRule::Backlog}, {false, std::nullopt});
    engine.setRules(rules);
    const QList<AlertEvent> events = feed(engine, figures(2, {{lag("s", "g"), 5000}}));
    QCOMPARE(events.size(), 1);
    QCOMPARE(events[0].state, AlertEvent::Cleared);
    QVERIFY(events[0].note.contains(QStringLiteral("switched off")));
    QVERIFY(feed(engine, figures(3, {{lag("s", "g"), 9000}})).isEmpty());
}

void TestAlertRules::missingValuesAndFailedTicksNeitherFireNorClear()
{
    AlertEngine engine({}, {});
    MonitorFigures failed = figures(1, {{lag("s", "g"), 5000}});
    failed.ok = false;
    failed.error = QStringLiteral("Connection refused");
    QVERIFY(feed(engine, failed).isEmpty()); // a failed tick does not fire
    QVERIFY(feed(engine, figures(2, {{lag("s", "other"), 10}})).isEmpty());
    QCOMPARE(feed(engine, figures(3, {{lag("s", "g"), 5000}})).size(), 1);

    // Active now: neither a failed tick nor a tick without the value clears it.
    failed = figures(4, {{lag("s", "g"), 0}});
    failed.ok = false;
    QVERIFY(feed(engine, failed).isEmpty());
    QVERIFY(feed(engine, figures(5, {})).isEmpty());
    QVERIFY(feed(engine, figures(6, {{key("s", "g", "", Metric::Pending), 0}})).isEmpty());
    QVERIFY(feed(engine, figures(7, {{lag("s", "g"), std::nan("")}})).isEmpty());
    QCOMPARE(engine.activeAlerts().size(), 1);
    const QList<AlertEvent> cleared = feed(engine, figures(8, {{lag("s", "g"), 0}}));
    QCOMPARE(cleared.size(), 1);
    QCOMPARE(cleared[0].state, AlertEvent::Cleared);

    // An idle consumer without its pending count this tick: no change either way.
    const SeriesKey idle = key("s", "g", "c", Metric::ConsumerIdleMs);
    const SeriesKey pending = key("s", "g", "c", Metric::ConsumerPending);
    QVERIFY(feed(engine, figures(9, {{idle, 1e9}})).isEmpty());
    QCOMPARE(feed(engine, figures(10, {{idle, 1e9}, {pending, 1}})).size(), 1);
    QVERIFY(feed(engine, figures(11, {{idle, 0}})).isEmpty());
    QCOMPARE(engine.activeAlerts().size(), 1);
}

void TestAlertRules::newDeadLetterFiresOnIncreaseOnly()
{
    AlertEngine engine({}, {});
    const SeriesKey dl = deadLetters("orders");
    qint64 now = 0;
    auto tick = [&](double count, qint64 after = 1000) {
        now += after;
        return feed(engine, figures(now, {{dl, count}}));
    };
    // The first count seen is the baseline, however large.
    QVERIFY(tick(40).isEmpty());
    QVERIFY(tick(40).isEmpty());
    QVERIFY(tick(40).isEmpty());
    const QList<AlertEvent> fired = tick(41);
    QCOMPARE(fired.size(), 1);
    QCOMPARE(fired[0].rule, AlertRule::DeadLetter);
    QCOMPARE(fired[0].value, 1.0);
    QCOMPARE(fired[0].threshold, 1.0);
    QVERIFY(fired[0].group.isEmpty());
    QVERIFY(tick(45).isEmpty()); // more while active: still one alert
    // Cleared once no new dead letter came for DeadLetterQuietMs.
    QVERIFY(tick(45, AlertEngine::DeadLetterQuietMs - 1000).isEmpty());
    const QList<AlertEvent> cleared = tick(45, 1000);
    QCOMPARE(cleared.size(), 1);
    QCOMPARE(cleared[0].state, AlertEvent::Cleared);
    QCOMPARE(cleared[0].value, 5.0);
    // The count when it cleared is the new baseline.
    QVERIFY(tick(45).isEmpty());
    QCOMPARE(tick(46).size(), 1);

    // A threshold of 3 new dead letters.
    AlertRules rules;
    rules.setGlobalThreshold(AlertRule::DeadLetter, 3);
    AlertEngine three({}, {});
    three.setRules(rules);
    QVERIFY(feed(three, figures(1, {{dl, 0}})).isEmpty());
    QVERIFY(feed(three, figures(2, {{dl, 2}})).isEmpty());
    QCOMPARE(feed(three, figures(3, {{dl, 3}})).size(), 1);
}

void TestAlertRules::deadLettersRemovedClearAndLowerTheBaseline()
{
    AlertEngine engine({}, {});
    const SeriesKey dl = deadLetters("orders");
    QVERIFY(feed(engine, figures(1000, {{dl, 10}})).isEmpty());
    QCOMPARE(feed(engine, figures(2000, {{dl, 12}})).size(), 1);
    // The operator replayed them all: cleared at once.
    const QList<AlertEvent> cleared = feed(engine, figures(3000, {{dl, 0}}));
    QCOMPARE(cleared.size(), 1);
    QCOMPARE(cleared[0].state, AlertEvent::Cleared);
    QVERIFY(feed(engine, figures(4000, {{dl, 0}})).isEmpty());
    QCOMPARE(feed(engine, figures(5000, {{dl, 1}})).size(), 1);

    // Falling while not active only lowers the baseline: no alert on the way down.
    AlertEngine other({}, {});
    QVERIFY(feed(other, figures(1000, {{dl, 10}})).isEmpty());
    QVERIFY(feed(other, figures(2000, {{dl, 4}})).isEmpty());
    QCOMPARE(feed(other, figures(3000, {{dl, 5}})).size(), 1);
}

void TestAlertRules::idleConsumerNeedsPending()
{
    AlertEngine engine({}, {});
    const SeriesKey idle = key("s", "g", "c", Metric::ConsumerIdleMs);
    const SeriesKey pending = key("s", "g", "c", Metric::ConsumerPending);
    // Idle for an hour with nothing pending: an idle consumer is no problem.
    QVERIFY(feed(engine, figures(1, {{idle, 3.6e6}, {pending, 0}})).isEmpty());
    const QList<AlertEvent> fired = feed(engine, figures(2, {{idle, 3.6e6}, {pending, 2}}));
    QCOMPARE(fired.size(), 1);
    QCOMPARE(fired[0].consumer, QByteArray("c"));
    QCOMPARE(fired[0].value, 3600.0);
    // Still idle, but its entries were claimed by another consumer: cleared.
    const QList<AlertEvent> cleared = feed(engine, figures(3, {{idle, 3.6e6}, {pending, 0}}));
    QCOMPARE(cleared.size(), 1);
    QCOMPARE(cleared[0].state, AlertEvent::Cleared);
}

void TestAlertRules::estimatedValueFiresAndSaysSo()
{
    AlertEngine engine({}, {});
    MonitorFigures f = figures(1, {{lag("s", "g"), 1500}});
    f.values.setEstimated(lag("s", "g"));
    const QList<AlertEvent> fired = feed(engine, f);
    QCOMPARE(fired.size(), 1);
    QVERIFY(fired[0].estimated);
    QVERIFY2(fired[0].summary().contains(QStringLiteral("estimated")),
             qPrintable(fired[0].summary()));
    QCOMPARE(engine.activeAlerts().at(0).estimated, true);
}

void TestAlertRules::settingsRoundTrip()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("weir.ini"));
    AlertRules rules;
    rules.setGlobalEnabled(AlertRule::TimeLag, false);
    rules.setGlobalThreshold(AlertRule::Backlog, 250);
    rules.setGlobalThreshold(AlertRule::IdleConsumer, 42.5);
    rules.setOverride({"orders", {}, AlertRule::Backlog}, {std::nullopt, 10.0});
    rules.setOverride({"orders", "slow", AlertRule::Backlog}, {false, 7.0});
    rules.setOverride({QByteArray("bin\xff\x00ary", 9), "g\n", AlertRule::DeadLetter},
                      {true, std::nullopt});
    QVERIFY(!(rules == AlertRules::defaults()));
    {
        QSettings settings(path, QSettings::IniFormat);
        rules.save(settings, QStringLiteral("connections/one"));
        AlertRules::defaults().save(settings, QStringLiteral("connections/two"));
        settings.sync();
        QCOMPARE(settings.status(), QSettings::NoError);
    }
    QSettings settings(path, QSettings::IniFormat);
    const AlertRules loaded = AlertRules::load(settings, QStringLiteral("connections/one"));
    QVERIFY(loaded == rules);
    QCOMPARE(loaded.overriddenScopes().size(), 3);
    QCOMPARE(loaded.override({QByteArray("bin\xff\x00ary", 9), "g\n", AlertRule::DeadLetter}),
             (AlertOverride{true, std::nullopt}));
    QVERIFY(AlertRules::load(settings, QStringLiteral("connections/two"))
            == AlertRules::defaults());
    QVERIFY(AlertRules::load(settings, QStringLiteral("connections/none"))
            == AlertRules::defaults());

    // Saving again replaces: an override removed is gone after the next load.
    AlertRules fewer = rules;
    fewer.clearOverrides();
    fewer.save(settings, QStringLiteral("connections/one"));
    QVERIFY(AlertRules::load(settings, QStringLiteral("connections/one")) == fewer);
}

void TestAlertRules::unreadableSettingsFallBackToDefaults()
{
    QTemporaryDir dir;
    QSettings settings(dir.filePath(QStringLiteral("weir.ini")), QSettings::IniFormat);
    settings.setValue(QStringLiteral("c/alerts/backlog/threshold"), QStringLiteral("lots"));
    settings.setValue(QStringLiteral("c/alerts/timeLag/threshold"), -5);
    settings.setValue(QStringLiteral("c/alerts/idleConsumer/threshold"), 90);
    const AlertRules loaded = AlertRules::load(settings, QStringLiteral("c"));
    QCOMPARE(loaded.globalThreshold(AlertRule::Backlog), 1000.0);
    QCOMPARE(loaded.globalThreshold(AlertRule::TimeLag), 60.0);
    QCOMPARE(loaded.globalThreshold(AlertRule::IdleConsumer), 90.0);
}

void TestAlertRules::thresholdParsing_data()
{
    QTest::addColumn<int>("rule");
    QTest::addColumn<QString>("text");
    QTest::addColumn<double>("expected"); // 0: rejected
    QTest::addColumn<QString>("why");

    const int backlog = int(AlertRule::Backlog);
    const int timeLag = int(AlertRule::TimeLag);
    QTest::newRow("backlog") << backlog << QStringLiteral("2500") << 2500.0 << QString();
    QTest::newRow("spaces") << backlog << QStringLiteral(" 10 ") << 10.0 << QString();
    QTest::newRow("empty") << backlog << QString() << 0.0 << QStringLiteral("type a threshold");
    QTest::newRow("word") << backlog << QStringLiteral("lots") << 0.0
                          << QStringLiteral("not a number");
    QTest::newRow("fraction of entries")
        << backlog << QStringLiteral("1.5") << 0.0 << QStringLiteral("whole number");
    QTest::newRow("zero entries") << backlog << QStringLiteral("0") << 0.0
                                  << QStringLiteral("1 or more");
    QTest::newRow("seconds fraction") << timeLag << QStringLiteral("1.5") << 1.5 << QString();
    QTest::newRow("zero seconds") << timeLag << QStringLiteral("0") << 0.0
                                  << QStringLiteral("more than 0");
    QTest::newRow("negative") << timeLag << QStringLiteral("-3") << 0.0
                              << QStringLiteral("more than 0");
}

void TestAlertRules::thresholdParsing()
{
    QFETCH(int, rule);
    QFETCH(QString, text);
    QFETCH(double, expected);
    QFETCH(QString, why);
    QString reason;
    const std::optional<double> value = parseAlertThreshold(AlertRule(rule), text, &reason);
    if (expected == 0) {
        QVERIFY(!value);
        QVERIFY2(reason.contains(why), qPrintable(reason));
    } else {
        QVERIFY(value);
        QCOMPARE(*value, expected);
    }
}

namespace {
AlertEvent alert(const char *stream, const char *group, AlertRule rule, AlertEvent::State state,
                 qint64 timeMs = 0, const QString &connection = QStringLiteral("c1"))
{
    AlertEvent e;
    e.timeMs = timeMs;
    e.connectionId = connection;
    e.connectionName = connection + QStringLiteral(" name");
    e.stream = stream;
    e.group = group;
    e.rule = rule;
    e.value = 1500;
    e.threshold = 1000;
    e.state = state;
    return e;
}

QString cell(const QAbstractItemModel &model, int row, int column)
{
    return model.index(row, column).data().toString();
}
} // namespace

void TestAlertRules::logShowsFiredAndClearedNewestFirst()
{
    AlertLogModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy active(&model, &AlertLogModel::activeChanged);
    AlertEngine engine(QStringLiteral("c1"), QStringLiteral("prod"));
    connect(&engine, &AlertEngine::changed, &model, &AlertLogModel::append);

    MonitorFigures f = figures(1'700'000'000'000,
                               {{lag("orders", "billing"), 1500}, {lag("orders", "audit"), 2500}});
    f.values.setEstimated(lag("orders", "audit"));
    engine.evaluate(f);
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(active.count(), 1);
    QCOMPARE(model.activeCount(), 2);
    // Sorted by group within the tick; both newest, in the order they came.
    QCOMPARE(cell(model, 0, AlertLogModel::Where), QStringLiteral("audit"));
    QCOMPARE(cell(model, 0, AlertLogModel::Connection), QStringLiteral("prod"));
    QCOMPARE(cell(model, 0, AlertLogModel::Stream), QStringLiteral("orders"));
    QCOMPARE(cell(model, 0, AlertLogModel::Rule), alertRuleName(AlertRule::Backlog));
    QVERIFY(cell(model, 0, AlertLogModel::Value).contains(QStringLiteral("estimated")));
    QVERIFY(!cell(model, 1, AlertLogModel::Value).contains(QStringLiteral("estimated")));
    QVERIFY(cell(model, 0, AlertLogModel::Threshold).contains(QStringLiteral("1")));
    QCOMPARE(cell(model, 0, AlertLogModel::State), QStringLiteral("Firing"));
    QVERIFY(model.index(0, 0).data(AlertLogModel::ActiveRole).toBool());

    engine.evaluate(figures(1'700'000'001'000,
                            {{lag("orders", "billing"), 10}, {lag("orders", "audit"), 2500}}));
    QCOMPARE(model.rowCount(), 3);
    QCOMPARE(active.count(), 2);
    QCOMPARE(cell(model, 0, AlertLogModel::State), QStringLiteral("Cleared"));
    QCOMPARE(cell(model, 0, AlertLogModel::Where), QStringLiteral("billing"));
    // The billing alert's Fired row is no longer active; audit's still is.
    QCOMPARE(cell(model, 2, AlertLogModel::Where), QStringLiteral("billing"));
    QCOMPARE(cell(model, 2, AlertLogModel::State), QStringLiteral("Fired"));
    QVERIFY(!model.index(2, 0).data(AlertLogModel::ActiveRole).toBool());
    QVERIFY(model.index(1, 0).data(AlertLogModel::ActiveRole).toBool());

    const QList<AlertEvent> now = model.activeAlerts(QStringLiteral("c1"), "orders");
    QCOMPARE(now.size(), 1);
    QCOMPARE(now[0].group, QByteArray("audit"));
    QCOMPARE(model.activeAlerts(QStringLiteral("c1"), "orders", "audit").size(), 1);
    QVERIFY(model.activeAlerts(QStringLiteral("c1"), "orders", "billing").isEmpty());
    QVERIFY(model.activeAlerts(QStringLiteral("c2"), "orders").isEmpty());
}

void TestAlertRules::logIsBoundedAndKeepsActiveAlerts()
{
    AlertLogModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setMaxRows(10);
    model.append({alert("keep", "g", AlertRule::TimeLag, AlertEvent::Fired, 1)});
    for (int i = 0; i < 30; ++i) {
        model.append({alert("s", "g", AlertRule::Backlog, AlertEvent::Fired, 10 + 2 * i),
                      alert("s", "g", AlertRule::Backlog, AlertEvent::Cleared, 11 + 2 * i)});
    }
    QCOMPARE(model.rowCount(), 10);
    // The newest batch on top, each batch in the order it came.
    QCOMPARE(model.eventAt(0).timeMs, qint64(68));
    QCOMPARE(model.eventAt(1).timeMs, qint64(69));
    QCOMPARE(model.eventAt(8).timeMs, qint64(60));
    QCOMPARE(model.eventAt(9).timeMs, qint64(61));
    // The alert whose row was dropped is still active.
    QCOMPARE(model.activeCount(), 1);
    QCOMPARE(model.activeAlerts().at(0).stream, QByteArray("keep"));

    model.append({alert("s", "g", AlertRule::Backlog, AlertEvent::Fired, 100)});
    model.clear(); // keeps the rows of alerts active now
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(model.eventAt(0).timeMs, qint64(100));
    QCOMPARE(model.activeCount(), 2);
    model.append({alert("s", "g", AlertRule::Backlog, AlertEvent::Cleared, 101)});
    QCOMPARE(cell(model, 1, AlertLogModel::State), QStringLiteral("Fired"));
    QCOMPARE(model.activeCount(), 1);
}

void TestAlertRules::activeOnlyFilterAndEndConnection()
{
    AlertLogModel model;
    AlertLogFilter filter;
    filter.setSourceModel(&model);
    QAbstractItemModelTester tester(&filter,
                                    QAbstractItemModelTester::FailureReportingMode::QtTest);
    filter.setActiveOnly(true);
    model.append({alert("a", "g", AlertRule::Backlog, AlertEvent::Fired, 1),
                  alert("b", "g", AlertRule::Backlog, AlertEvent::Fired, 1, QStringLiteral("c2"))});
    QCOMPARE(filter.rowCount(), 2);
    model.append({alert("a", "g", AlertRule::Backlog, AlertEvent::Cleared, 2)});
    QCOMPARE(model.rowCount(), 3);
    QCOMPARE(filter.rowCount(), 1);
    QCOMPARE(filter.index(0, AlertLogModel::Stream).data().toString(), QStringLiteral("b"));

    QSignalSpy active(&model, &AlertLogModel::activeChanged);
    model.endConnection(QStringLiteral("c2"));
    QCOMPARE(active.count(), 1);
    QCOMPARE(filter.rowCount(), 0);
    QCOMPARE(model.activeCount(), 0);
    filter.setActiveOnly(false);
    QCOMPARE(filter.rowCount(), 3);
}

QTEST_GUILESS_MAIN(TestAlertRules)
#include "tst_alertrules.moc"
