#pragma once

// What the benchmark programs share (the convention is in DEVELOPERS.md): `name value unit`
// lines for every figure as it is measured, the median of a few rounds, `--quick`, and at
// the end one `BENCH` line per figure that has a target.

#include "localredisserver.h"
#include "redisconnection.h"

#include <QByteArray>
#include <QEventLoop>
#include <QList>
#include <QStringList>

#include <algorithm>
#include <cstdio>

inline void figure(const QByteArray &name, double value, const char *unit)
{
    std::printf("%s %.3f %s\n", name.constData(), value, unit);
    std::fflush(stdout);
}

// The closing line of one figure against its target: `BENCH name value unit target
// PASS|MISS`, where target reads ">=0.70" (at least) or "<=1.50" (at most).
inline void benchLine(const QByteArray &name, double value, const char *unit, bool atLeast,
                      double target)
{
    const bool met = atLeast ? value >= target : value <= target;
    std::printf("BENCH %s %.2f %s %s%.2f %s\n", name.constData(), value, unit,
                atLeast ? ">=" : "<=", target, met ? "PASS" : "MISS");
    std::fflush(stdout);
}

inline double median(QList<double> values)
{
    std::sort(values.begin(), values.end());
    return values.at(values.size() / 2);
}

// The rounds of one figure: a benchmark runs Weir and its reference in alternation (Weir,
// raw, Weir, raw, ...) so that a change in the machine's load falls on both, and reports
// each figure as the median of its rounds with their spread (lowest and highest).
class Rounds
{
public:
    // At least this many rounds, for every figure that compares Weir with a reference.
    static constexpr int Minimum = 5;

    void add(double value) { m_values.append(value); }
    bool isEmpty() const { return m_values.isEmpty(); }
    int count() const { return int(m_values.size()); }
    double median() const { return ::median(m_values); }
    double low() const { return *std::min_element(m_values.begin(), m_values.end()); }
    double high() const { return *std::max_element(m_values.begin(), m_values.end()); }
    // Each round's value divided by the same round of `other` (paired by index).
    Rounds over(const Rounds &other) const
    {
        Rounds ratio;
        for (int i = 0; i < qMin(count(), other.count()); ++i)
            ratio.add(m_values.at(i) / other.m_values.at(i));
        return ratio;
    }

private:
    QList<double> m_values;
};

// `name median unit (low-high, n rounds)`.
inline void figure(const QByteArray &name, const Rounds &rounds, const char *unit)
{
    std::printf("%s %.3f %s (%.3f-%.3f, %d rounds)\n", name.constData(), rounds.median(), unit,
                rounds.low(), rounds.high(), rounds.count());
    std::fflush(stdout);
}

// BENCH lines are printed last, after every figure, so a program collects them as it goes.
// A figure given as rounds also gets a `SPREAD name low high rounds` line just before its
// BENCH line, which scripts/bench.sh puts in its table.
class BenchLines
{
public:
    void atLeast(const QByteArray &name, double value, const char *unit, double target)
    {
        m_lines.append({name, value, unit, true, target, {}});
    }
    void atMost(const QByteArray &name, double value, const char *unit, double target)
    {
        m_lines.append({name, value, unit, false, target, {}});
    }
    void atLeast(const QByteArray &name, const Rounds &rounds, const char *unit, double target)
    {
        m_lines.append({name, rounds.median(), unit, true, target, rounds});
    }
    void atMost(const QByteArray &name, const Rounds &rounds, const char *unit, double target)
    {
        m_lines.append({name, rounds.median(), unit, false, target, rounds});
    }
    void print() const
    {
        for (const Line &l : m_lines) {
            if (!l.rounds.isEmpty())
                std::printf("SPREAD %s %.2f %.2f %d\n", l.name.constData(), l.rounds.low(),
                            l.rounds.high(), l.rounds.count());
            benchLine(l.name, l.value, l.unit, l.atLeast, l.target);
        }
    }

private:
    struct Line
    {
        QByteArray name;
        double value;
        const char *unit;
        bool atLeast;
        double target;
        Rounds rounds;
    };
    QList<Line> m_lines;
};

// Takes `--quick` (smaller sizes, the same figures, under a minute) out of `args`.
inline bool takeQuick(QStringList *args)
{
    return args->removeAll(QStringLiteral("--quick")) > 0;
}

// Opens `connection` and waits (in an event loop) until it is Connected (true) or Failed
// (false, said on stderr).
inline bool openConnection(RedisConnection *connection)
{
    QEventLoop loop;
    QObject::connect(connection, &RedisConnection::stateChanged, &loop, [&](ConnectionState s) {
        if (s == ConnectionState::Connected || s == ConnectionState::Failed)
            loop.quit();
    });
    connection->open(false);
    if (connection->state() != ConnectionState::Connected
        && connection->state() != ConnectionState::Failed)
        loop.exec();
    if (connection->state() != ConnectionState::Connected) {
        std::fprintf(stderr, "Weir cannot connect: %s\n", qPrintable(connection->stateMessage()));
        return false;
    }
    return true;
}

// Starts `server` (false, said on stderr, when it did not start).
inline bool startLocalServer(LocalRedisServer &server)
{
    QString error;
    if (!server.start(&error)) {
        std::fprintf(stderr, "redis-server: %s\n", qPrintable(error));
        return false;
    }
    return true;
}
