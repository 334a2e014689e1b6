// weirctl entries STREAM: a range of a stream's entries, decoded as the Entries page
// decodes them when asked.

#include "ctlarguments.h"
#include "ctlcommand.h"
#include "ctlrun.h"
#include "redisconnection.h"
#include "streamparsers.h"
#include "valuedecoder.h"

#include <QCommandLineParser>
#include <QDateTime>
#include <QJsonObject>
#include <QRegularExpression>
#include <QStringDecoder>

namespace {

// A stored value that is not UTF-8 is shown as its bytes in hex after this marker.
const QString HexMarker = QStringLiteral("hex:");

struct ShownValue
{
    QString text;
    QString encoding; // with --decode: "json", "gzip+base64", "text", "hex", "empty"
};

// The stored bytes: UTF-8 text as it is, anything else in hex after the marker.
ShownValue rawValue(const QByteArray &raw)
{
    QStringDecoder utf8(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    QString text = utf8(raw);
    if (utf8.hasError())
        return {HexMarker + QString::fromLatin1(raw.toHex()), {}};
    return {text, {}};
}

// The value as Weir's decoder shows it, on one line: JSON without its indentation (inside
// JSON a line break is always between tokens, strings hold "\n" escaped), compressed data
// inflated, binary in hex after the marker.
ShownValue decodedValue(const QByteArray &raw)
{
    const DecodedValue decoded = decodeValue(raw, NoDisplayLimit);
    switch (decoded.kind) {
    case DecodedValue::Kind::Empty:
        return {QString(), QStringLiteral("empty")};
    case DecodedValue::Kind::Binary:
        return {HexMarker + QString::fromLatin1(raw.toHex()), QStringLiteral("hex")};
    case DecodedValue::Kind::Text:
        return {decoded.text, QStringLiteral("text")};
    case DecodedValue::Kind::Json:
    case DecodedValue::Kind::CompressedJson:
    case DecodedValue::Kind::CompressedText:
        break;
    }
    QString text = decoded.text;
    if (decoded.kind != DecodedValue::Kind::CompressedText) {
        static const QRegularExpression indentation(QStringLiteral("\n *"));
        text.replace(indentation, QString());
    }
    if (decoded.kind == DecodedValue::Kind::Json)
        return {text, QStringLiteral("json")};
    QString how;
    inflateStored(raw, &how);
    return {text, how.remove(QLatin1Char(' '))};
}

class EntriesCommand : public CtlCommand
{
public:
    Spec spec() const override
    {
        Spec s;
        s.name = QStringLiteral("entries");
        s.arguments = QStringLiteral("STREAM");
        s.summary = QStringLiteral("A range of a stream's entries, decoded on demand.");
        s.description = QStringLiteral(
            "The entries of STREAM from --from to --to, both included (XRANGE; with\n"
            "--reverse XREVRANGE, newest first), at most --count of them. A bound is a stream\n"
            "id (1733565600000-0, or a time in ms for its whole millisecond; \"(\" before one\n"
            "excludes it, Redis 6.2+), \"-\" or \"+\", an ISO 8601 time\n"
            "(2026-12-07T10:00:00Z; without a zone, local time) or a time ago (-30s, -15m,\n"
            "-2h, -1d).\n\n"
            "A value is printed as stored when it is UTF-8 text, else as hex:<its bytes in\n"
            "hex>. With --decode each value is decoded as Weir's Entries page does: JSON (on\n"
            "one line), gzip or zlib data, raw or base64, inflated, text, or hex:<bytes> for\n"
            "binary; encodings names what each value was. Strings inside JSON that hold\n"
            "encoded data (base64 gzip, say) are shown decoded in their place after a\n"
            "/* base64 → gzip → JSON */ comment, as on that page: such a value is then no\n"
            "longer strict JSON; without --decode it is printed as stored.");
        s.examples = {QStringLiteral("weirctl entries orders --from -15m"),
                      QStringLiteral("weirctl entries orders --reverse --count 10 --decode"),
                      QStringLiteral("weirctl entries orders --from 2026-12-07T10:00:00Z --to "
                                     "2026-12-07T10:05:00Z --format json | jq '.entries[].id'")};
        return s;
    }

    QList<QCommandLineOption> options() const override
    {
        return {m_fromOption, m_toOption, m_countOption, m_reverseOption, m_decodeOption};
    }

    QString configure(const QCommandLineParser &parsed, const QStringList &arguments) override
    {
        QString error = CtlArguments::streamArgument(arguments, &m_key);
        if (!error.isEmpty())
            return error;
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        if (!CtlArguments::rangeBoundOption(parsed, m_fromOption, false, now, &m_from, &error)
            || !CtlArguments::rangeBoundOption(parsed, m_toOption, true, now, &m_to, &error)
            || !CtlArguments::numberOption(parsed, m_countOption, 1, &m_count, &error))
            return error;
        m_reverse = parsed.isSet(m_reverseOption);
        m_decode = parsed.isSet(m_decodeOption);
        return {};
    }

    void run(CtlRun &run) override
    {
        const QList<QByteArray> argv = m_reverse
                                           ? QList<QByteArray>{"XREVRANGE", m_key, m_to, m_from}
                                           : QList<QByteArray>{"XRANGE", m_key, m_from, m_to};
        const RedisCommand command{argv + QList<QByteArray>{"COUNT", QByteArray::number(m_count)},
                                   m_key};
        run.connection()->send({command}, &m_context, [this, &run](const RedisResult &r) {
            const QString what = QStringLiteral("entries of %1").arg(QString::fromUtf8(m_key));
            QString error = CtlRun::resultError(r);
            const auto entries =
                error.isEmpty() ? parseEntries(r.replies.value(0), &error) : std::nullopt;
            if (!entries) {
                run.fail(what, error);
                return;
            }
            print(run, *entries);
        });
    }

private:
    void print(CtlRun &run, const QList<StreamEntry> &entries)
    {
        const bool json = run.format() == OutputFormat::Json;
        std::unique_ptr<RecordWriter> writer = run.makeWriter(QStringLiteral("weirctl.entries"), 1);
        writer->field(QStringLiteral("stream"), QString::fromUtf8(m_key));
        writer->field(QStringLiteral("from"), QString::fromLatin1(m_from));
        writer->field(QStringLiteral("to"), QString::fromLatin1(m_to));
        QList<RecordWriter::Column> columns{{QStringLiteral("id"), QStringLiteral("ID")},
                                            {QStringLiteral("time"), QStringLiteral("TIME")},
                                            {QStringLiteral("fields"), QStringLiteral("FIELDS")}};
        if (m_decode)
            columns.insert(2, {QStringLiteral("encodings"), QStringLiteral("ENCODINGS")});
        writer->beginTable(QStringLiteral("entries"), columns);
        for (const StreamEntry &entry : entries) {
            QJsonObject fields;
            QJsonObject encodings;
            QStringList fieldPairs;
            QStringList encodingPairs;
            for (const auto &[name, value] : entry.fields) {
                const QString field = QString::fromUtf8(name);
                const ShownValue shown = m_decode ? decodedValue(value) : rawValue(value);
                fields.insert(field, shown.text);
                encodings.insert(field, shown.encoding);
                fieldPairs << field + QLatin1Char('=') + shown.text;
                encodingPairs << field + QLatin1Char('=') + shown.encoding;
            }
            // A table and CSV have no nested objects: there the fields are name=value.
            QJsonObject row{{QStringLiteral("id"), entry.id.toString()},
                            {QStringLiteral("time"), entry.id.time().toString(Qt::ISODateWithMs)}};
            row.insert(QStringLiteral("fields"),
                       json ? QJsonValue(fields) : QJsonValue(fieldPairs.join(QLatin1Char(' '))));
            if (m_decode)
                row.insert(QStringLiteral("encodings"),
                           json ? QJsonValue(encodings)
                                : QJsonValue(encodingPairs.join(QLatin1Char(' '))));
            writer->row(row);
        }
        writer->finish();
        run.finish(CtlExit::Ok);
    }

    const QCommandLineOption m_fromOption{
        QStringLiteral("from"),
        QStringLiteral("First entry: an id, \"-\", an ISO 8601 time or a time ago (-15m)."),
        QStringLiteral("id|time")};
    const QCommandLineOption m_toOption{
        QStringLiteral("to"),
        QStringLiteral("Last entry: an id, \"+\", an ISO 8601 time or a time ago (-5m)."),
        QStringLiteral("id|time")};
    const QCommandLineOption m_countOption{
        QStringLiteral("count"), QStringLiteral("At most this many entries (default 100)."),
        QStringLiteral("n")};
    const QCommandLineOption m_reverseOption{QStringLiteral("reverse"),
                                             QStringLiteral("Newest first (XREVRANGE).")};
    const QCommandLineOption m_decodeOption{
        QStringLiteral("decode"),
        QStringLiteral("Decode values as Weir does: JSON, gzip/zlib (+base64), text, hex.")};

    QByteArray m_key;
    QByteArray m_from = "-";
    QByteArray m_to = "+";
    qint64 m_count = 100;
    bool m_reverse = false;
    bool m_decode = false;
    QObject m_context; // replies for a command already gone are dropped
};

} // namespace

std::unique_ptr<CtlCommand> makeEntriesCommand()
{
    return std::make_unique<EntriesCommand>();
}
