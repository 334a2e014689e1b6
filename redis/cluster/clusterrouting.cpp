#include "clusterrouting.h"

#include "keyslot.h"

namespace {

// The keys a command names besides RedisCommand::key: a script's or function's listed keys.
QList<QByteArray> scriptKeys(const QList<QByteArray> &argv)
{
    const QByteArray name = argv.value(0).toUpper();
    if (name != "EVAL" && name != "EVALSHA" && name != "EVAL_RO" && name != "EVALSHA_RO"
        && name != "FCALL" && name != "FCALL_RO")
        return {};
    bool ok = false;
    const int count = argv.value(2).toInt(&ok);
    if (!ok || count <= 0)
        return {};
    return argv.mid(3, count);
}

// Adds the slots of the command's keys to `slot`: false when they differ from it.
bool joinSlots(const RedisCommand &command, int *slot)
{
    QList<QByteArray> keys = scriptKeys(command.argv);
    if (!command.key.isEmpty())
        keys.prepend(command.key);
    for (const QByteArray &key : std::as_const(keys)) {
        const int s = keySlot(key);
        if (*slot >= 0 && *slot != s)
            return false;
        *slot = s;
    }
    return true;
}

bool isCommand(const RedisCommand &command, const char *name)
{
    return command.argv.value(0).compare(name, Qt::CaseInsensitive) == 0;
}

} // namespace

std::optional<QList<RoutedUnit>> routeUnits(const QList<RedisCommand> &commands, bool cluster,
                                            QString *error)
{
    QList<RoutedUnit> units;
    for (int i = 0; i < commands.size(); ++i) {
        RoutedUnit unit;
        unit.first = i;
        if (isCommand(commands.at(i), "MULTI")) {
            while (i + 1 < commands.size() && !isCommand(commands.at(i), "EXEC"))
                ++i;
            unit.count = i - unit.first + 1;
        }
        for (int k = unit.first; cluster && k < unit.first + unit.count; ++k) {
            if (!joinSlots(commands.at(k), &unit.slot)) {
                *error =
                    unit.count > 1
                        ? QStringLiteral(
                            "The transaction (MULTI ... EXEC) names keys in different "
                            "cluster slots, so no one node can run it: nothing was sent")
                        : QStringLiteral("%1 names keys in different cluster slots, so no one node "
                                         "can run it: nothing was sent")
                              .arg(QString::fromUtf8(commands.at(k).argv.value(0).toUpper()));
                return std::nullopt;
            }
        }
        units.append(unit);
    }
    return units;
}

RedisValue tooManyRedirects(const QByteArray &last)
{
    return RedisValue::error("ERR Weir followed " + QByteArray::number(MaxClusterRedirects)
                             + " cluster redirects for this command and gave up (the last: " + last
                             + ")");
}
