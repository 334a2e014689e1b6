#include "ctlarguments.h"

#include "streamid.h"

#include <QDateTime>
#include <QRegularExpression>

namespace CtlArguments {

std::optional<QByteArray> rangeBound(const QString &text, bool end, qint64 nowMs, QString *error)
{
    if (text == QLatin1String("-") || text == QLatin1String("+"))
        return text.toLatin1();
    const QByteArray latin = text.toLatin1();
    const bool exclusive = latin.startsWith('(');
    if (StreamId::parse(exclusive ? latin.mid(1) : latin))
        return latin;

    std::optional<qint64> ms;
    static const QRegularExpression relative(QStringLiteral("^-(\\d{1,12})(ms|s|m|h|d)$"));
    const QRegularExpressionMatch match = relative.match(text);
    if (match.hasMatch()) {
        const QString unit = match.captured(2);
        const qint64 scale = unit == QLatin1String("ms")  ? 1
                             : unit == QLatin1String("s") ? 1000
                             : unit == QLatin1String("m") ? 60 * 1000
                             : unit == QLatin1String("h") ? 3600 * 1000
                                                          : 24 * 3600 * 1000;
        ms = nowMs - match.captured(1).toLongLong() * scale;
    } else {
        const QDateTime time = QDateTime::fromString(text, Qt::ISODateWithMs);
        if (time.isValid())
            ms = time.toMSecsSinceEpoch();
    }
    if (!ms) {
        *error = QStringLiteral("not a stream id, \"-\", \"+\", an ISO 8601 time "
                                "(2026-12-07T10:00:00Z) or a time ago (-15m, -2h): %1")
                     .arg(text);
        return std::nullopt;
    }
    if (*ms < 0) {
        *error = QStringLiteral("a time before 1970: %1").arg(text);
        return std::nullopt;
    }
    const quint64 at = quint64(*ms);
    return (end ? StreamId::lastOf(at) : StreamId{at, 0}).toByteArray();
}

std::optional<qint64> number(const QString &option, const QString &text, qint64 minimum,
                             QString *error)
{
    bool ok = false;
    const qint64 value = text.toLongLong(&ok);
    if (!ok || value < minimum) {
        *error = QStringLiteral("%1: not a number of at least %2: %3")
                     .arg(option)
                     .arg(minimum)
                     .arg(text);
        return std::nullopt;
    }
    return value;
}

} // namespace CtlArguments
