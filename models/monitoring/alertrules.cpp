#include "alertrules.h"

#include "keyformat.h"

#include <QCoreApplication>
#include <QLocale>
#include <QSettings>

#include <algorithm>
#include <cmath>
#include <tuple>

namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("AlertRules", text);
}

const char *const kRuleKeys[AlertRuleCount] = {"backlog", "timeLag", "deadLetter", "idleConsumer"};

QString scopeId(const AlertRules::Scope &scope)
{
    return alertRuleKey(scope.rule) + QLatin1Char('/') + QString::fromLatin1(scope.stream.toHex())
           + QLatin1Char('/') + QString::fromLatin1(scope.group.toHex());
}

bool wholeNumbers(AlertRule rule)
{
    return rule == AlertRule::Backlog || rule == AlertRule::DeadLetter;
}

QString number(double value)
{
    const QLocale locale;
    if (std::abs(value - std::round(value)) < 1e-9)
        return locale.toString(qint64(std::llround(value)));
    return locale.toString(value, 'f', value < 10 ? 1 : 0);
}

QString duration(double seconds)
{
    if (seconds < 120)
        return tr("%1 s").arg(
            number(seconds < 10 ? std::round(seconds * 10) / 10 : std::round(seconds)));
    const qint64 s = std::llround(seconds);
    if (s < 3600)
        return s % 60 == 0 ? tr("%1 min").arg(s / 60) : tr("%1 min %2 s").arg(s / 60).arg(s % 60);
    const qint64 minutes = (s % 3600) / 60;
    return minutes == 0 ? tr("%1 h").arg(s / 3600) : tr("%1 h %2 min").arg(s / 3600).arg(minutes);
}
} // namespace

QString alertRuleName(AlertRule rule)
{
    switch (rule) {
    case AlertRule::Backlog:
        return tr("Backlog");
    case AlertRule::TimeLag:
        return tr("Time lag");
    case AlertRule::DeadLetter:
        return tr("New dead letters");
    case AlertRule::IdleConsumer:
        return tr("Idle consumer");
    }
    return {};
}

QString alertRuleUnit(AlertRule rule)
{
    switch (rule) {
    case AlertRule::Backlog:
        return tr("entries");
    case AlertRule::TimeLag:
    case AlertRule::IdleConsumer:
        return tr("seconds");
    case AlertRule::DeadLetter:
        return tr("new dead letters");
    }
    return {};
}

QString alertRuleKey(AlertRule rule)
{
    return QLatin1String(kRuleKeys[int(rule)]);
}

std::optional<AlertRule> alertRuleFromKey(const QString &key)
{
    for (int i = 0; i < AlertRuleCount; ++i) {
        if (key == QLatin1String(kRuleKeys[i]))
            return AlertRule(i);
    }
    return std::nullopt;
}

QString formatAlertValue(AlertRule rule, double value)
{
    switch (rule) {
    case AlertRule::Backlog:
        return tr("%1 entries").arg(number(value));
    case AlertRule::TimeLag:
    case AlertRule::IdleConsumer:
        return duration(value);
    case AlertRule::DeadLetter:
        return tr("%1 new").arg(number(value));
    }
    return {};
}

double alertRuleLimit(AlertRule rule, double threshold)
{
    return rule == AlertRule::DeadLetter ? threshold - 1 : threshold;
}

std::optional<double> parseAlertThreshold(AlertRule rule, const QString &text, QString *why)
{
    const QString trimmed = text.trimmed();
    auto fail = [&](const QString &reason) -> std::optional<double> {
        if (why)
            *why = reason;
        return std::nullopt;
    };
    if (trimmed.isEmpty())
        return fail(tr("type a threshold in %1").arg(alertRuleUnit(rule)));
    bool ok = false;
    double value = QLocale().toDouble(trimmed, &ok);
    if (!ok)
        value = trimmed.toDouble(&ok); // "1.5" in a locale whose decimal point is a comma
    if (!ok || !std::isfinite(value))
        return fail(tr("\"%1\" is not a number").arg(trimmed));
    if (wholeNumbers(rule) && std::abs(value - std::round(value)) > 1e-9)
        return fail(tr("type a whole number of %1").arg(alertRuleUnit(rule)));
    if (wholeNumbers(rule) ? value < 1 : value <= 0)
        return fail(wholeNumbers(rule) ? tr("type 1 or more") : tr("type more than 0"));
    if (value > 1e12)
        return fail(tr("%1 is too large").arg(trimmed));
    return value;
}

AlertRules AlertRules::defaults()
{
    return AlertRules();
}

double AlertRules::defaultThreshold(AlertRule rule)
{
    return AlertRules().m_threshold[int(rule)];
}

void AlertRules::setGlobalThreshold(AlertRule rule, double threshold)
{
    m_threshold[int(rule)] = threshold;
}

void AlertRules::setOverride(const Scope &scope, const AlertOverride &override)
{
    const QString id = scopeId(scope);
    if (override.isEmpty()) {
        m_overrides.remove(id);
        m_scopes.remove(id);
    } else {
        m_overrides.insert(id, override);
        m_scopes.insert(id, scope);
    }
}

AlertOverride AlertRules::override(const Scope &scope) const
{
    return m_overrides.value(scopeId(scope));
}

QList<AlertRules::Scope> AlertRules::overriddenScopes() const
{
    QList<Scope> scopes = m_scopes.values();
    std::sort(scopes.begin(), scopes.end(), [](const Scope &a, const Scope &b) {
        if (a.stream != b.stream)
            return a.stream < b.stream;
        if (a.group != b.group)
            return a.group < b.group;
        return a.rule < b.rule;
    });
    return scopes;
}

bool AlertRules::isEnabled(AlertRule rule, const QByteArray &stream, const QByteArray &group) const
{
    if (m_overrides.isEmpty())
        return globalEnabled(rule);
    if (!group.isEmpty()) {
        if (const auto o = override({stream, group, rule}).enabled)
            return *o;
    }
    if (const auto o = override({stream, {}, rule}).enabled)
        return *o;
    return globalEnabled(rule);
}

double AlertRules::threshold(AlertRule rule, const QByteArray &stream,
                             const QByteArray &group) const
{
    if (m_overrides.isEmpty())
        return globalThreshold(rule);
    if (!group.isEmpty()) {
        if (const auto o = override({stream, group, rule}).threshold)
            return *o;
    }
    if (const auto o = override({stream, {}, rule}).threshold)
        return *o;
    return globalThreshold(rule);
}

void AlertRules::save(QSettings &settings, const QString &group) const
{
    settings.beginGroup(group);
    settings.remove(QStringLiteral("alerts"));
    settings.beginGroup(QStringLiteral("alerts"));
    for (int i = 0; i < AlertRuleCount; ++i) {
        const QString key = alertRuleKey(AlertRule(i));
        settings.setValue(key + QStringLiteral("/enabled"), m_enabled[i]);
        settings.setValue(key + QStringLiteral("/threshold"), m_threshold[i]);
    }
    const QList<Scope> scopes = overriddenScopes();
    settings.beginWriteArray(QStringLiteral("overrides"), int(scopes.size()));
    for (int i = 0; i < scopes.size(); ++i) {
        settings.setArrayIndex(i);
        const Scope &scope = scopes[i];
        const AlertOverride o = override(scope);
        settings.setValue(QStringLiteral("stream"), scope.stream);
        settings.setValue(QStringLiteral("group"), scope.group);
        settings.setValue(QStringLiteral("rule"), alertRuleKey(scope.rule));
        if (o.enabled)
            settings.setValue(QStringLiteral("enabled"), *o.enabled);
        if (o.threshold)
            settings.setValue(QStringLiteral("threshold"), *o.threshold);
    }
    settings.endArray();
    settings.endGroup();
    settings.endGroup();
}

AlertRules AlertRules::load(QSettings &settings, const QString &group)
{
    AlertRules rules;
    settings.beginGroup(group);
    settings.beginGroup(QStringLiteral("alerts"));
    auto readThreshold = [&settings](AlertRule rule, const QString &key) -> std::optional<double> {
        if (!settings.contains(key))
            return std::nullopt;
        const QString text = settings.value(key).toString();
        bool ok = false;
        const double value = text.toDouble(&ok);
        QString why;
        if (!ok || !parseAlertThreshold(rule, QLocale::c().toString(value, 'g', 15), &why))
            return std::nullopt;
        return value;
    };
    for (int i = 0; i < AlertRuleCount; ++i) {
        const auto rule = AlertRule(i);
        const QString key = alertRuleKey(rule);
        rules.m_enabled[i] = settings.value(key + QStringLiteral("/enabled"), true).toBool();
        if (const auto t = readThreshold(rule, key + QStringLiteral("/threshold")))
            rules.m_threshold[i] = *t;
    }
    const int count = settings.beginReadArray(QStringLiteral("overrides"));
    for (int i = 0; i < count; ++i) {
        settings.setArrayIndex(i);
        const auto rule = alertRuleFromKey(settings.value(QStringLiteral("rule")).toString());
        const QByteArray stream = settings.value(QStringLiteral("stream")).toByteArray();
        if (!rule || stream.isEmpty())
            continue;
        AlertOverride o;
        if (settings.contains(QStringLiteral("enabled")))
            o.enabled = settings.value(QStringLiteral("enabled")).toBool();
        o.threshold = readThreshold(*rule, QStringLiteral("threshold"));
        rules.setOverride({stream, settings.value(QStringLiteral("group")).toByteArray(), *rule},
                          o);
    }
    settings.endArray();
    settings.endGroup();
    settings.endGroup();
    return rules;
}

bool operator==(const AlertRules &a, const AlertRules &b)
{
    return std::equal(std::begin(a.m_enabled), std::end(a.m_enabled), std::begin(b.m_enabled))
           && std::equal(std::begin(a.m_threshold), std::end(a.m_threshold),
                         std::begin(b.m_threshold))
           && a.m_overrides == b.m_overrides;
}

QString alertPlace(const QByteArray &stream, const QByteArray &group, const QByteArray &consumer)
{
    QString text = displayKey(stream);
    if (!group.isEmpty())
        text += QStringLiteral(" › ") + displayKey(group);
    if (!consumer.isEmpty())
        text += QStringLiteral(" › ") + displayKey(consumer);
    return text;
}

QString AlertEvent::where() const
{
    return alertPlace(stream, group, consumer);
}

QString AlertEvent::summary() const
{
    QString detail =
        state == Fired ? tr("above %1").arg(formatAlertValue(rule, threshold)) : tr("cleared");
    if (rule == AlertRule::DeadLetter && state == Fired)
        detail = tr("threshold %1").arg(number(threshold));
    if (estimated)
        detail += tr(", estimated");
    if (!note.isEmpty())
        detail += QStringLiteral(", ") + note;
    return tr("%1 on %2: %3 (%4)")
        .arg(alertRuleName(rule), where(), formatAlertValue(rule, value), detail);
}

AlertEngine::AlertEngine(const QString &connectionId, const QString &connectionName,
                         QObject *parent)
    : QObject(parent)
    , m_connectionId(connectionId)
    , m_connectionName(connectionName)
{}

QList<AlertEvent> AlertEngine::activeAlerts() const
{
    return m_active.values();
}

AlertEvent AlertEngine::event(const MonitorFigures &figures, const Subject &subject, double value,
                              double threshold, bool estimated, AlertEvent::State state) const
{
    AlertEvent e;
    e.timeMs = figures.timeMs;
    e.connectionId = m_connectionId;
    e.connectionName = m_connectionName;
    e.stream = subject.stream;
    e.group = subject.group;
    e.consumer = subject.consumer;
    e.rule = subject.rule;
    e.value = value;
    e.threshold = threshold;
    e.estimated = estimated;
    e.state = state;
    return e;
}

void AlertEngine::setRules(const AlertRules &rules)
{
    m_rules = rules;
    ++m_rulesVersion;
}

AlertEngine::Subject AlertEngine::subjectOf(const SeriesKey &key, AlertRule rule)
{
    return {key.stream, key.group, rule == AlertRule::IdleConsumer ? key.consumer : QByteArray(),
            rule};
}

void AlertEngine::mapNumbers(const SeriesCatalog &catalog)
{
    const SeriesCatalogReader::News news = m_catalogReader.read(catalog);
    if (news.restart)
        m_watches.clear();
    m_watches.resize(size_t(catalog.size()));
    for (int id = news.from; id < catalog.size(); ++id) {
        const SeriesKey &key = catalog.key(id);
        Watch &w = m_watches[size_t(id)];
        const bool group = !key.group.isEmpty() && key.consumer.isEmpty();
        switch (key.metric) {
        case Metric::Lag:
            if (group)
                w = {Watch::Level, AlertRule::Backlog};
            break;
        case Metric::TimeLagMs:
            if (group)
                w = {Watch::Level, AlertRule::TimeLag};
            break;
        case Metric::DeadLetters:
            if (key.group.isEmpty())
                w = {Watch::DeadLetters, AlertRule::DeadLetter};
            break;
        case Metric::ConsumerIdleMs:
            if (!key.group.isEmpty() && !key.consumer.isEmpty()) {
                w = {Watch::IdleConsumer, AlertRule::IdleConsumer};
                SeriesKey pending = key;
                pending.metric = Metric::ConsumerPending;
                w.pendingId = catalog.find(pending);
            }
            break;
        default:
            break;
        }
        if (w.kind != Watch::None && !m_active.isEmpty())
            w.active = m_active.contains(subjectOf(key, w.rule));
    }
}

bool AlertEngine::level(const MonitorFigures &figures, const Subject &subject, double value,
                        double threshold, bool estimated, bool clearAnyway,
                        QList<AlertEvent> &events)
{
    const auto active = m_active.find(subject);
    if (active == m_active.end()) {
        if (clearAnyway || !alertFires(subject.rule, value, threshold))
            return false;
        const AlertEvent fired =
            event(figures, subject, value, threshold, estimated, AlertEvent::Fired);
        m_active.insert(subject, fired);
        events.append(fired);
        return true;
    }
    active->value = value;
    active->estimated = estimated;
    if (clearAnyway || value <= threshold * ClearRatio) {
        events.append(event(figures, subject, value, threshold, estimated, AlertEvent::Cleared));
        m_active.erase(active);
        return false;
    }
    return true;
}

void AlertEngine::deadLetters(const MonitorFigures &figures, Watch &watch, const QByteArray &stream,
                              double count, QList<AlertEvent> &events)
{
    if (watch.deadLetterState < 0) {
        watch.deadLetterState = m_deadLetterStateOf.value(stream, -1);
        if (watch.deadLetterState < 0) {
            // The first count seen is the baseline: those dead letters are not new.
            watch.deadLetterState = int(m_deadLetterStates.size());
            m_deadLetterStates.push_back({count, figures.timeMs, count});
            m_deadLetterStateOf.insert(stream, watch.deadLetterState);
            return;
        }
    }
    DeadLetterState &state = m_deadLetterStates[size_t(watch.deadLetterState)];
    const bool rose = count > state.last;
    if (rose)
        state.lastRiseMs = figures.timeMs;
    state.last = count;
    const double threshold = watch.threshold;
    if (!watch.enabled) {
        state.baseline = count; // switched on later: only what comes after is new
        return;                 // an active alert of a rule switched off is cleared in evaluate()
    }
    // Nothing to change while nothing changes and no alert is active.
    if (!rose && count >= state.baseline
        && !alertFires(AlertRule::DeadLetter, count - state.baseline, threshold) && !watch.active)
        return;
    const Subject subject{stream, {}, {}, AlertRule::DeadLetter};
    const auto active = m_active.find(subject);
    const double added = count - state.baseline;
    if (active == m_active.end()) {
        watch.active = false;
        if (count < state.baseline)
            state.baseline = count; // dead letters removed: new ones count from here
        if (alertFires(AlertRule::DeadLetter, added, threshold)) {
            const AlertEvent fired =
                event(figures, subject, added, threshold, false, AlertEvent::Fired);
            m_active.insert(subject, fired);
            events.append(fired);
            watch.active = true;
        }
        return;
    }
    active->value = std::max(0.0, added);
    if (count <= state.baseline || figures.timeMs - state.lastRiseMs >= DeadLetterQuietMs) {
        AlertEvent cleared = event(figures, subject, std::max(0.0, added), active->threshold, false,
                                   AlertEvent::Cleared);
        cleared.note = count <= state.baseline
                           ? tr("dead letters removed")
                           : tr("none new for %1").arg(duration(DeadLetterQuietMs / 1000.0));
        events.append(cleared);
        m_active.erase(active);
        state.baseline = count;
        watch.active = false;
    }
}

void AlertEngine::evaluate(const MonitorFigures &figures)
{
    if (!figures.ok)
        return; // a failed tick says nothing about the queues
    const SeriesFigures &values = figures.values;
    const SeriesCatalog &catalog = values.catalog();
    mapNumbers(catalog);
    QList<AlertEvent> events;
    // A number costs a look at its watch; names are hashed only for a value above its
    // threshold or an alert that may be active.
    for (int id = 0; id < values.idCount(); ++id) {
        Watch &w = m_watches[size_t(id)];
        if (w.kind == Watch::None || !values.has(id))
            continue;
        const SeriesKey &key = catalog.key(id);
        if (w.rulesVersion != m_rulesVersion) {
            w.enabled = m_rules.isEnabled(w.rule, key.stream, key.group);
            w.threshold = m_rules.threshold(w.rule, key.stream, key.group);
            w.rulesVersion = m_rulesVersion;
        }
        const double value = values.at(id);
        switch (w.kind) {
        case Watch::None:
            break;
        case Watch::DeadLetters:
            deadLetters(figures, w, key.stream, value, events);
            break;
        case Watch::Level: {
            const double v = w.rule == AlertRule::TimeLag ? value / 1000.0 : value;
            if (w.enabled && (w.active || alertFires(w.rule, v, w.threshold)))
                w.active = level(figures, subjectOf(key, w.rule), v, w.threshold,
                                 values.estimatedAt(id), false, events);
            break;
        }
        case Watch::IdleConsumer: {
            if (w.pendingId < 0) {
                SeriesKey pendingKey = key;
                pendingKey.metric = Metric::ConsumerPending;
                w.pendingId = catalog.find(pendingKey);
            }
            if (!w.enabled || w.pendingId < 0 || !values.has(w.pendingId))
                break; // without its pending count the rule cannot say either way
            const double seconds = value / 1000.0;
            const bool noPending = values.at(w.pendingId) <= 0;
            if (w.active || (!noPending && alertFires(w.rule, seconds, w.threshold)))
                w.active = level(figures, subjectOf(key, w.rule), seconds, w.threshold,
                                 values.estimatedAt(id) || values.estimatedAt(w.pendingId),
                                 noPending, events);
            break;
        }
        }
    }
    // Rules switched off since they fired: their alerts end now.
    for (auto it = m_active.begin(); it != m_active.end();) {
        if (m_rules.isEnabled(it.key().rule, it.key().stream, it.key().group)) {
            ++it;
            continue;
        }
        AlertEvent cleared = *it;
        cleared.timeMs = figures.timeMs;
        cleared.state = AlertEvent::Cleared;
        cleared.note = tr("rule switched off");
        events.append(cleared);
        if (it.key().rule == AlertRule::DeadLetter) {
            if (const int dl = m_deadLetterStateOf.value(it.key().stream, -1); dl >= 0) {
                DeadLetterState &state = m_deadLetterStates[size_t(dl)];
                state.baseline = state.last;
            }
        }
        it = m_active.erase(it);
    }
    if (events.isEmpty())
        return;
    // In the order the log reads best: by stream, group, consumer, then rule.
    std::sort(events.begin(), events.end(), [](const AlertEvent &a, const AlertEvent &b) {
        return std::tie(a.stream, a.group, a.consumer, a.rule)
               < std::tie(b.stream, b.group, b.consumer, b.rule);
    });
    Q_EMIT changed(events);
}
