#include "commandlog.h"

#include <QStringDecoder>

namespace commandlog {

namespace {

void appendEscapedBytes(QString &out, QByteArrayView bytes)
{
    for (const char ch : bytes) {
        const auto b = uchar(ch);
        switch (b) {
        case '\\':
            out += QLatin1String("\\\\");
            break;
        case '"':
            out += QLatin1String("\\\"");
            break;
        case '\n':
            out += QLatin1String("\\n");
            break;
        case '\r':
            out += QLatin1String("\\r");
            break;
        case '\t':
            out += QLatin1String("\\t");
            break;
        case '\a':
            out += QLatin1String("\\a");
            break;
        case '\b':
            out += QLatin1String("\\b");
            break;
        default:
            if (b >= 0x20 && b < 0x7f)
                out += QLatin1Char(char(b));
            else
                out += QStringLiteral("\\x%1").arg(uint(b), 2, 16, QLatin1Char('0'));
        }
    }
}

// `bytes` bare when it needs no quotes (and !forceQuotes), else quoted and escaped.
QString quote(const QByteArray &bytes, bool forceQuotes)
{
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    QString text = decoder.decode(bytes);
    QString out;
    out.reserve(bytes.size() + 2);
    out += QLatin1Char('"');
    if (decoder.hasError()) {
        appendEscapedBytes(out, bytes); // as redis-cli: every byte outside ASCII escaped
        out += QLatin1Char('"');
        return out;
    }
    bool bare = !forceQuotes && !text.isEmpty();
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text.at(i);
        char32_t code = c.unicode();
        qsizetype length = 1;
        if (c.isHighSurrogate() && i + 1 < text.size() && text.at(i + 1).isLowSurrogate()) {
            code = QChar::surrogateToUcs4(c, text.at(i + 1));
            length = 2;
        }
        if (code < 0x80) {
            const char ascii = char(code);
            if (ascii == ' ' || ascii == '"' || ascii == '\'' || ascii == '\\' || ascii < 0x20
                || ascii == 0x7f)
                bare = false;
            appendEscapedBytes(out, QByteArrayView(&ascii, 1));
        } else if (QChar::isPrint(code)) {
            out += text.mid(i, length);
        } else {
            bare = false;
            appendEscapedBytes(out, text.mid(i, length).toUtf8());
        }
        i += length - 1;
    }
    if (bare)
        return text;
    out += QLatin1Char('"');
    return out;
}

QString shortened(const QByteArray &bytes, int maxBytes, bool forceQuotes)
{
    if (bytes.size() <= maxBytes)
        return quote(bytes, forceQuotes);
    qsizetype end = qMax(0, maxBytes);
    // Not in the middle of a UTF-8 sequence: back up to the start of its character.
    for (qsizetype back = end; back > 0 && back > end - 4; --back) {
        if ((uchar(bytes.at(back)) & 0xc0) != 0x80) {
            end = back;
            break;
        }
    }
    return quote(bytes.left(end), forceQuotes) + QStringLiteral("…(%1 bytes)").arg(bytes.size());
}

bool is(const QList<QByteArray> &argv, qsizetype i, const char *word)
{
    return i < argv.size() && argv.at(i).compare(word, Qt::CaseInsensitive) == 0;
}

// In option/value pairs from `first`, whether `index` is the value of one of `options`.
bool isValueOf(const QList<QByteArray> &argv, qsizetype index, qsizetype first,
               std::initializer_list<const char *> options)
{
    for (qsizetype i = first; i + 1 < argv.size(); i += 2) {
        if (index != i + 1)
            continue;
        for (const char *option : options) {
            if (is(argv, i, option))
                return true;
        }
    }
    return false;
}

// A command's name in capitals, with the subcommand of container commands ("XINFO STREAM").
QByteArray commandName(const QList<QByteArray> &argv)
{
    static const QList<QByteArray> containers = {
        "ACL",    "CLIENT", "CLUSTER", "COMMAND", "CONFIG",  "FUNCTION", "LATENCY", "MEMORY",
        "MODULE", "OBJECT", "PUBSUB",  "SCRIPT",  "SLOWLOG", "XGROUP",   "XINFO"};
    QByteArray name = argv.value(0).left(MaxArgumentBytes).toUpper();
    if (argv.size() > 1 && containers.contains(name))
        name += ' ' + argv.at(1).left(MaxArgumentBytes).toUpper();
    return name;
}

} // namespace

QString formatArgument(const QByteArray &bytes, int maxBytes)
{
    return shortened(bytes, maxBytes, false);
}

bool isSecretArgument(const QList<QByteArray> &argv, qsizetype index)
{
    if (index <= 0 || index >= argv.size())
        return false;
    // AUTH password | AUTH username password
    if (is(argv, 0, "AUTH"))
        return argv.size() == 2 || index >= 2;
    // HELLO [protover [AUTH username password] [SETNAME clientname]]
    if (is(argv, 0, "HELLO")) {
        for (qsizetype i = 2; i < argv.size(); ++i) {
            if (is(argv, i, "AUTH")) {
                // A lone argument after AUTH is more likely a password than a user name.
                if (index == i + 2 || (index == i + 1 && i + 2 >= argv.size()))
                    return true;
                i += 2;
            } else if (is(argv, i, "SETNAME")) {
                ++i;
            }
        }
        return false;
    }
    // MIGRATE host port key db timeout [COPY] [REPLACE] [AUTH pw | AUTH2 user pw] [KEYS ...]
    if (is(argv, 0, "MIGRATE")) {
        for (qsizetype i = 6; i < argv.size() && !is(argv, i, "KEYS"); ++i) {
            if (is(argv, i, "AUTH")) {
                if (index == i + 1)
                    return true;
                ++i;
            } else if (is(argv, i, "AUTH2")) {
                if (index == i + 2 || (index == i + 1 && i + 2 >= argv.size()))
                    return true;
                i += 2;
            }
        }
        return false;
    }
    if (is(argv, 0, "CONFIG") && is(argv, 1, "SET"))
        return isValueOf(
            argv, index, 2,
            {"requirepass", "masterauth", "tls-key-file-pass", "tls-client-key-file-pass"});
    // ACL SETUSER name [rule ...]: >pw and <pw name passwords, #hash and !hash their hashes.
    if (is(argv, 0, "ACL") && is(argv, 1, "SETUSER")) {
        const QByteArray &rule = argv.at(index);
        return index >= 3 && !rule.isEmpty()
               && (rule.front() == '>' || rule.front() == '<' || rule.front() == '#'
                   || rule.front() == '!');
    }
    if (is(argv, 0, "SENTINEL") && is(argv, 1, "SET"))
        return isValueOf(argv, index, 3, {"auth-pass"});
    if (is(argv, 0, "SENTINEL") && is(argv, 1, "CONFIG") && is(argv, 2, "SET"))
        return isValueOf(argv, index, 3, {"sentinel-pass"});
    return false;
}

QString describeCommand(const QList<QByteArray> &argv)
{
    QString out;
    const qsizetype shown = qMin<qsizetype>(argv.size(), MaxArguments);
    for (qsizetype i = 0; i < shown; ++i) {
        if (i > 0)
            out += QLatin1Char(' ');
        if (i == 0)
            out += formatArgument(argv.at(0).toUpper());
        else if (isSecretArgument(argv, i))
            out += redacted();
        else
            out += formatArgument(argv.at(i));
    }
    if (argv.size() > shown)
        out += QStringLiteral(" … (+%1 more arguments)").arg(argv.size() - shown);
    return out;
}

QString describeRequest(const QList<RedisCommand> &commands)
{
    if (commands.size() <= MaxPipelineShown) {
        QStringList parts;
        for (const RedisCommand &c : commands)
            parts.append(describeCommand(c.argv));
        return parts.join(QLatin1String(" ; "));
    }
    // The first command, then how many of each name (the first few names).
    constexpr int MaxNames = 5;
    QList<std::pair<QByteArray, qsizetype>> names;
    bool moreNames = false;
    for (const RedisCommand &c : commands) {
        const QByteArray name = commandName(c.argv);
        auto it = std::find_if(names.begin(), names.end(),
                               [&name](const auto &n) { return n.first == name; });
        if (it != names.end())
            ++it->second;
        else if (names.size() < MaxNames)
            names.append({name, 1});
        else
            moreNames = true;
    }
    QStringList counted;
    for (const auto &[name, count] : names) {
        // A subcommand is shown as one more argument.
        QStringList parts;
        for (const QByteArray &part : name.split(' '))
            parts.append(formatArgument(part));
        const QString shown = parts.join(QLatin1Char(' '));
        counted.append(names.size() == 1 || count == 1
                           ? shown
                           : QStringLiteral("%1 ×%2").arg(shown).arg(count));
    }
    if (moreNames)
        counted.append(QStringLiteral("…"));
    return QStringLiteral("%1 ; … (%2 commands: %3)")
        .arg(describeCommand(commands.first().argv))
        .arg(commands.size())
        .arg(counted.join(QLatin1String(", ")));
}

QString describeReply(const RedisValue &reply)
{
    switch (reply.type()) {
    case RedisValue::Type::Nil:
        return QStringLiteral("(nil)");
    case RedisValue::Type::Integer:
        return QStringLiteral("(integer) %1").arg(reply.toInteger());
    case RedisValue::Type::String:
        return shortened(reply.bytes(), MaxArgumentBytes, true);
    case RedisValue::Type::Status:
        return QString::fromUtf8(reply.bytes().left(MaxErrorBytes));
    case RedisValue::Type::Error: {
        QString text =
            QStringLiteral("(error) ") + QString::fromUtf8(reply.bytes().left(MaxErrorBytes));
        if (reply.bytes().size() > MaxErrorBytes)
            text += QStringLiteral("…(%1 bytes)").arg(reply.bytes().size());
        return text;
    }
    case RedisValue::Type::Array:
        if (reply.size() == 0)
            return QStringLiteral("(empty array)");
        return reply.size() == 1 ? QStringLiteral("(array, 1 item)")
                                 : QStringLiteral("(array, %1 items)").arg(reply.size());
    }
    return {};
}

QString describeResult(const RedisResult &result, bool *error)
{
    bool failed = false;
    QString text;
    const QList<RedisValue> &replies = result.replies;
    if (!result.ok()) {
        failed = true;
        text = QStringLiteral("(%1) %2").arg(failureName(result.failure), result.error);
    } else if (replies.isEmpty()) {
        text = QStringLiteral("(no reply)");
    } else {
        // Errors, and errors one level down: what EXEC returns for the commands it ran.
        qsizetype errors = 0;
        RedisValue firstError;
        qsizetype firstErrorReply = -1;
        auto count = [&](const RedisValue &v, qsizetype reply) {
            if (v.isError() && errors++ == 0) {
                firstError = v;
                firstErrorReply = reply;
            }
        };
        for (qsizetype i = 0; i < replies.size(); ++i) {
            count(replies.at(i), i);
            for (const RedisValue &element : replies.at(i).elements())
                count(element, i);
        }
        if (errors > 0) {
            failed = true;
            text = describeReply(firstError);
            QStringList where;
            if (replies.size() > 1)
                where.append(
                    QStringLiteral("reply %1 of %2").arg(firstErrorReply + 1).arg(replies.size()));
            if (errors > 1)
                where.append(QStringLiteral("%1 errors in all").arg(errors));
            if (!where.isEmpty())
                text += QStringLiteral(" (%1)").arg(where.join(QLatin1String("; ")));
        } else if (replies.size() == 1) {
            text = describeReply(replies.first());
        } else if (replies.size() <= MaxPipelineShown) {
            QStringList parts;
            for (const RedisValue &reply : replies)
                parts.append(describeReply(reply));
            text = parts.join(QLatin1String(" ; "));
        } else {
            const QString first = describeReply(replies.first());
            const bool same = std::all_of(replies.cbegin() + 1, replies.cend(),
                                          [&first, &replies](const RedisValue &reply) {
                return reply == replies.first() || describeReply(reply) == first;
            });
            if (same) {
                text = QStringLiteral("%1 ×%2").arg(first).arg(replies.size());
            } else {
                QStringList parts;
                for (qsizetype i = 0; i < MaxPipelineShown - 1; ++i)
                    parts.append(describeReply(replies.at(i)));
                text = parts.join(QLatin1String(" ; "))
                       + QStringLiteral(" ; … (%1 replies)").arg(replies.size());
            }
        }
    }
    if (error)
        *error = failed;
    return text;
}

QString failureName(RedisResult::Failure failure)
{
    switch (failure) {
    case RedisResult::Failure::None:
        return {};
    case RedisResult::Failure::NotConnected:
        return QStringLiteral("not connected");
    case RedisResult::Failure::Timeout:
        return QStringLiteral("timeout");
    case RedisResult::Failure::ConnectionLost:
        return QStringLiteral("connection lost");
    case RedisResult::Failure::ProtocolError:
        return QStringLiteral("protocol error");
    case RedisResult::Failure::ReadOnly:
        return QStringLiteral("refused: read-only");
    case RedisResult::Failure::Closed:
        return QStringLiteral("closed");
    }
    return {};
}

} // namespace commandlog
