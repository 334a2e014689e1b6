#pragma once

// What the benchmark programs share: one `name value unit` line per figure, and the
// median of a few rounds.

#include <QByteArray>
#include <QList>

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
