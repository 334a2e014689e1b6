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

inline double median(QList<double> values)
{
    std::sort(values.begin(), values.end());
    return values.at(values.size() / 2);
}
