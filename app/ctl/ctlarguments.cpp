#include "ctlarguments.h"

#include "streamid.h"

#include <QCommandLineParser>
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

bool rangeBoundOption(const QCommandLineParser &parsed, const QCommandLineOption &option, bool end,
                      qint64 nowMs, QByteArray *bound, QString *error)
{
    if (!parsed.isSet(option))
        return true;
    QString why;
    const std::optional<QByteArray> value = rangeBound(parsed.value(option), end, nowMs, &why);
    if (!value) {
        *error = QStringLiteral("--%1: %2").arg(option.names().constFirst(), why);
        return false;
    }
    *bound = *value;
    return true;
}

bool numberOption(const QCommandLineParser &parsed, const QCommandLineOption &option,
                  qint64 minimum, qint64 *value, QString *error)
{
    if (!parsed.isSet(option))
        return true;
    const std::optional<qint64> n = number(QStringLiteral("--") + option.names().constFirst(),
                                           parsed.value(option), minimum, error);
    if (n)
        *value = *n;
    return n.has_value();
}

QString streamArgument(const QStringList &arguments, QByteArray *key)
{
    if (arguments.size() != 1)
        return arguments.isEmpty() ? QStringLiteral("which stream? give its key")
                                   : QStringLiteral("one stream only");
    *key = arguments.constFirst().toUtf8();
    return {};
}

QString streamAndGroupArguments(const QStringList &arguments, QByteArray *key, QByteArray *group)
{
    if (arguments.size() < 2)
        return arguments.isEmpty() ? QStringLiteral("which stream and group? give both")
                                   : QStringLiteral("which group? give its name");
    if (arguments.size() > 2)
        return QStringLiteral("one stream and one group only");
    *key = arguments.at(0).toUtf8();
    *group = arguments.at(1).toUtf8();
    return {};
}

} // namespace CtlArguments
