#pragma once

#include "monitorfigures.h"

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QObject>
#include <QString>

#include <optional>
#include <vector>

class QSettings;

// The alert rules an operator sets for one connection, and the engine that watches the
// monitor's figures with them.
//
// Four rules, with the defaults the queues' designs name:
//   Backlog        a group's lag above 1,000 entries            (Metric::Lag)
//   TimeLag        a group's time lag above 60 s                (Metric::TimeLagMs)
//   DeadLetter     new dead letters: the count of a stream's dead-letter stream rose by at
//                  least 1 over its baseline                    (Metric::DeadLetters)
//   IdleConsumer   a consumer idle above 300 s while it holds pending entries
//                  (Metric::ConsumerIdleMs with Metric::ConsumerPending > 0)
enum class AlertRule : quint8 { Backlog, TimeLag, DeadLetter, IdleConsumer };
inline constexpr int AlertRuleCount = 4;

// What a rule compares, in the unit the user types: entries, seconds, dead letters,
// seconds.
QString alertRuleName(AlertRule rule);
QString alertRuleUnit(AlertRule rule);
// The text that stands for the rule in settings ("backlog", "timeLag", ...).
QString alertRuleKey(AlertRule rule);
std::optional<AlertRule> alertRuleFromKey(const QString &key);
// The value as the user reads it: "1,234 entries", "75 s", "2 new", "6 min 5 s".
QString formatAlertValue(AlertRule rule, double value);

// The largest value of a rule's figure, in the rule's unit, that does not fire it at
// `threshold`: the threshold itself for the level rules (they fire above it), one less for
// DeadLetter (a count of dead letters, it fires at the threshold). AlertEngine fires on a
// value above it (alertFires); `weirctl check` prints it as a plugin's threshold, which
// Nagios and Icinga read the same way.
double alertRuleLimit(AlertRule rule, double threshold);
inline bool alertFires(AlertRule rule, double value, double threshold)
{
    return value > alertRuleLimit(rule, threshold);
}

// Where an alert is, as Weir shows it: "stream › group › consumer", group and consumer
// left out when empty.
QString alertPlace(const QByteArray &stream, const QByteArray &group, const QByteArray &consumer);

// A threshold as typed: a number > 0 (a whole number for Backlog and DeadLetter), in the
// rule's unit. Returns the value, or nullopt with *why saying what is wrong.
std::optional<double> parseAlertThreshold(AlertRule rule, const QString &text, QString *why);

// What one scope (a stream, or a group of a stream) changes of a rule. Unset: inherited.
struct AlertOverride
{
    std::optional<bool> enabled;
    std::optional<double> threshold;
    bool isEmpty() const { return !enabled && !threshold; }
    friend bool operator==(const AlertOverride &a, const AlertOverride &b)
    {
        return a.enabled == b.enabled && a.threshold == b.threshold;
    }
};

// The rules of one connection: a global setting per rule, and overrides per stream or per
// group. Precedence, field by field (whether the rule is on, and its threshold, are looked
// up separately): the group's override, then the stream's, then the global setting. A
// consumer's rule (IdleConsumer) takes its group's overrides; a stream's rule (DeadLetter)
// has no group, so only stream overrides and the global setting apply to it.
class AlertRules
{
public:
    struct Scope
    {
        QByteArray stream;
        QByteArray group; // empty: the whole stream
        AlertRule rule = AlertRule::Backlog;
        friend bool operator==(const Scope &a, const Scope &b)
        {
            return a.rule == b.rule && a.stream == b.stream && a.group == b.group;
        }
    };

    static AlertRules defaults();
    static double defaultThreshold(AlertRule rule);

    bool globalEnabled(AlertRule rule) const { return m_enabled[int(rule)]; }
    double globalThreshold(AlertRule rule) const { return m_threshold[int(rule)]; }
    void setGlobalEnabled(AlertRule rule, bool enabled) { m_enabled[int(rule)] = enabled; }
    void setGlobalThreshold(AlertRule rule, double threshold);

    // An empty override removes the scope's entry.
    void setOverride(const Scope &scope, const AlertOverride &override);
    AlertOverride override(const Scope &scope) const;
    // Every scope with an override, sorted by stream, group and rule.
    QList<Scope> overriddenScopes() const;
    void clearOverrides() { m_overrides.clear(); }

    // The effective setting for a stream's or a group's figures (precedence above).
    bool isEnabled(AlertRule rule, const QByteArray &stream, const QByteArray &group = {}) const;
    double threshold(AlertRule rule, const QByteArray &stream, const QByteArray &group = {}) const;

    // Kept under `<group>/alerts` of the settings (the connection's settings group).
    void save(QSettings &settings, const QString &group) const;
    // Defaults for whatever is missing or unreadable.
    static AlertRules load(QSettings &settings, const QString &group);

    friend bool operator==(const AlertRules &a, const AlertRules &b);

private:
    bool m_enabled[AlertRuleCount] = {true, true, true, true};
    double m_threshold[AlertRuleCount] = {1000, 60, 1, 300};
    QHash<QString, AlertOverride> m_overrides; // by scopeId()
    QHash<QString, Scope> m_scopes;            // by scopeId()
};

// One alert firing or clearing.
struct AlertEvent
{
    enum State : quint8 { Fired, Cleared };
    qint64 timeMs = 0;      // the tick's time (MonitorFigures::timeMs)
    QString connectionId;   // the connection's profile id
    QString connectionName; // as the user named it
    QByteArray stream;
    QByteArray group;    // empty for a stream's alert
    QByteArray consumer; // empty unless a consumer's alert
    AlertRule rule = AlertRule::Backlog;
    double value = 0;       // in the rule's unit (new dead letters for DeadLetter)
    double threshold = 0;   // in the rule's unit, as in force when it fired
    bool estimated = false; // the value is an estimate (nil lag)
    State state = Fired;
    QString note; // why it cleared, when not by the value ("rule switched off")

    // "orders › workers › worker-2" as shown in the log.
    QString where() const;
    // One line: "Backlog on orders › workers: 1,234 entries (above 1,000, estimated)".
    QString summary() const;
};

Q_DECLARE_METATYPE(AlertEvent)

// Watches one connection's figures with its rules. Feed it every tick (connect the
// monitor's sampled(const MonitorFigures &) to evaluate()); it emits changed() with the
// alerts that fired or cleared on that tick, and nothing on a tick where none did.
//
// Firing and clearing:
// - Level rules (Backlog, TimeLag, IdleConsumer) fire once when the value goes above the
//   threshold, stay active while it is above, and clear when it falls to ClearRatio (90%)
//   of the threshold or below; between the two nothing changes, so a value hovering at
//   the threshold does not fire on every tick. IdleConsumer also clears when the
//   consumer's pending count falls to 0.
// - DeadLetter: the first tick that reports a stream's dead-letter count only sets its
//   baseline (dead letters already there when watching began are not new). It fires when
//   the count rises to baseline + threshold or more; further rises while active update
//   nothing. It clears after DeadLetterQuietMs without a rise (or when the count falls
//   back to the baseline), and the count then becomes the new baseline.
// - A failed tick (MonitorFigures::ok false) changes nothing. A figure missing from a
//   tick (not measured, stream gone) neither fires nor clears the alerts that depend on
//   it. A value the monitor estimated may fire; the alert says so (AlertEvent::estimated).
// - A rule switched off (setRules) clears its active alerts at the next tick, with a note.
// Use from one thread (the GUI thread).
class AlertEngine : public QObject
{
    Q_OBJECT
public:
    static constexpr double ClearRatio = 0.9;
    static constexpr qint64 DeadLetterQuietMs = 60 * 1000;

    AlertEngine(const QString &connectionId, const QString &connectionName,
                QObject *parent = nullptr);

    void setRules(const AlertRules &rules);
    const AlertRules &rules() const { return m_rules; }
    QString connectionId() const { return m_connectionId; }

    void evaluate(const MonitorFigures &figures);
    // The alerts active now (their Fired events, value as last seen).
    QList<AlertEvent> activeAlerts() const;

Q_SIGNALS:
    void changed(const QList<AlertEvent> &events);

private:
    struct Subject
    {
        QByteArray stream, group, consumer;
        AlertRule rule;
        friend bool operator==(const Subject &a, const Subject &b)
        {
            return a.rule == b.rule && a.stream == b.stream && a.group == b.group
                   && a.consumer == b.consumer;
        }
        friend size_t qHash(const Subject &s, size_t seed = 0)
        {
            return qHashMulti(seed, s.stream, s.group, s.consumer, int(s.rule));
        }
    };
    struct DeadLetterState
    {
        double baseline = 0;
        qint64 lastRiseMs = 0;
        double last = 0;
    };

    // What a rule watches of the figure with one number of the catalog, and the rule's
    // setting for it (looked up again when the rules change).
    struct Watch
    {
        enum Kind : quint8 { None, Level, DeadLetters, IdleConsumer };
        Kind kind = None;
        AlertRule rule = AlertRule::Backlog;
        bool active = false; // an alert of it may be active (m_active says for sure)
        bool enabled = false;
        int pendingId = -1;       // IdleConsumer: the number of the consumer's pending count
        int deadLetterState = -1; // DeadLetters: its stream's in m_deadLetterStates
        quint64 rulesVersion = 0;
        double threshold = 0;
    };
    void mapNumbers(const SeriesCatalog &catalog);
    static Subject subjectOf(const SeriesKey &key, AlertRule rule);
    // Returns whether an alert of the subject is active afterwards.
    bool level(const MonitorFigures &figures, const Subject &subject, double value,
               double threshold, bool estimated, bool clearAnyway, QList<AlertEvent> &events);
    void deadLetters(const MonitorFigures &figures, Watch &watch, const QByteArray &stream,
                     double count, QList<AlertEvent> &events);
    AlertEvent event(const MonitorFigures &figures, const Subject &subject, double value,
                     double threshold, bool estimated, AlertEvent::State state) const;

    QString m_connectionId;
    QString m_connectionName;
    AlertRules m_rules;
    quint64 m_rulesVersion = 1;
    SeriesCatalogReader m_catalogReader;
    std::vector<Watch> m_watches; // by number
    QHash<Subject, AlertEvent> m_active;
    // By stream, looked up once per watch; a baseline is set once the stream is seen.
    std::vector<DeadLetterState> m_deadLetterStates;
    QHash<QByteArray, int> m_deadLetterStateOf;
};
