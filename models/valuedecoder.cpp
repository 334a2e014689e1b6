#include "valuedecoder.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QLocale>

#include <zlib.h>

#include <algorithm>

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("ValueDecoder", text);
}

// ---- detection ---------------------------------------------------------------------------

// Whether `bytes` is valid UTF-8 (no overlong forms, surrogates or code points beyond
// U+10FFFF) without control characters other than tab, LF and CR (C0, DEL and C1).
bool isText(const QByteArray &bytes)
{
    const auto *p = reinterpret_cast<const uchar *>(bytes.constData());
    const auto *end = p + bytes.size();
    while (p < end) {
        const uchar b = *p;
        if (b < 0x80) {
            if ((b < 0x20 && b != '\t' && b != '\n' && b != '\r') || b == 0x7f)
                return false;
            ++p;
            continue;
        }
        int extra;
        char32_t cp;
        char32_t min;
        if ((b & 0xe0) == 0xc0) {
            extra = 1, cp = b & 0x1f, min = 0x80;
        } else if ((b & 0xf0) == 0xe0) {
            extra = 2, cp = b & 0x0f, min = 0x800;
        } else if ((b & 0xf8) == 0xf0) {
            extra = 3, cp = b & 0x07, min = 0x10000;
        } else {
            return false;
        }
        if (end - p <= extra)
            return false;
        for (int i = 1; i <= extra; ++i) {
            if ((p[i] & 0xc0) != 0x80)
                return false;
            cp = (cp << 6) | (p[i] & 0x3f);
        }
        if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
            return false;
        if (cp >= 0x80 && cp < 0xa0) // C1 controls
            return false;
        p += extra + 1;
    }
    return true;
}

// An object or an array, as Qt's strict parser reads it.
bool isJsonDocument(const QByteArray &bytes)
{
    if (bytes.size() > MaxDecodedSize)
        return false;
    const QByteArray trimmed = bytes.trimmed();
    if (!trimmed.startsWith('{') && !trimmed.startsWith('['))
        return false;
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(bytes, &error);
    return error.error == QJsonParseError::NoError && (doc.isObject() || doc.isArray());
}

enum class Compression { None, Gzip, Zlib };

Compression compressionOf(const QByteArray &bytes)
{
    if (bytes.size() >= 3 && uchar(bytes[0]) == 0x1f && uchar(bytes[1]) == 0x8b &&
        uchar(bytes[2]) == 0x08)
        return Compression::Gzip;
    if (bytes.size() >= 2 && uchar(bytes[0]) == 0x78) {
        const uchar flags = uchar(bytes[1]);
        if (flags == 0x01 || flags == 0x5e || flags == 0x9c || flags == 0xda)
            return Compression::Zlib;
    }
    return Compression::None;
}

// The bytes a base64 text decodes to, when it is base64 (standard or URL-safe alphabet,
// line breaks allowed) of gzip or zlib data; empty otherwise. Only text that begins as
// such base64 does ("H4sI" for gzip, "eA" "eF" "eJ" "eN" for zlib) is decoded at all.
QByteArray compressedFromBase64(const QByteArray &text)
{
    const QByteArray trimmed = text.trimmed();
    if (trimmed.size() < 8)
        return {};
    if (!trimmed.startsWith("H4sI") && !trimmed.startsWith("eA") && !trimmed.startsWith("eF") &&
        !trimmed.startsWith("eJ") && !trimmed.startsWith("eN"))
        return {};
    QByteArray compact = trimmed;
    compact.removeIf([](char c) { return c == '\n' || c == '\r'; });
    for (const auto encoding : {QByteArray::Base64Encoding, QByteArray::Base64UrlEncoding}) {
        const auto result = QByteArray::fromBase64Encoding(
            compact, encoding | QByteArray::AbortOnBase64DecodingErrors);
        if (result && compressionOf(*result) != Compression::None)
            return *result;
    }
    return {};
}

// ---- inflate -----------------------------------------------------------------------------

struct Inflated
{
    enum class Status { Ok, TooLarge, Corrupt } status = Status::Ok;
    QByteArray data;
    QString error; // for Corrupt
};

// Inflates a gzip (all its members) or zlib stream, never to more than `max` bytes.
Inflated inflateBounded(const QByteArray &input, Compression format, qint64 max)
{
    Inflated result;
    z_stream zs = {};
    const int windowBits = format == Compression::Gzip ? MAX_WBITS + 16 : MAX_WBITS;
    if (inflateInit2(&zs, windowBits) != Z_OK) {
        result.status = Inflated::Status::Corrupt;
        result.error = tr("zlib could not start");
        return result;
    }
    const auto *in = reinterpret_cast<const Bytef *>(input.constData());
    qint64 remaining = input.size();
    constexpr qint64 MaxChunk = 1 << 30; // avail_in is 32 bits wide
    constexpr int OutChunk = 256 * 1024;
    QByteArray chunk(OutChunk, Qt::Uninitialized);
    auto feed = [&] {
        if (zs.avail_in == 0 && remaining > 0) {
            const qint64 n = std::min(remaining, MaxChunk);
            zs.next_in = const_cast<Bytef *>(in);
            zs.avail_in = uInt(n);
            in += n;
            remaining -= n;
        }
    };
    auto fail = [&](const QString &error) {
        result.status = Inflated::Status::Corrupt;
        result.error = error;
        result.data.clear();
    };
    for (;;) {
        feed();
        zs.next_out = reinterpret_cast<Bytef *>(chunk.data());
        zs.avail_out = OutChunk;
        const int rc = inflate(&zs, Z_NO_FLUSH);
        const qint64 produced = OutChunk - zs.avail_out;
        if (result.data.size() + produced > max) {
            result.status = Inflated::Status::TooLarge;
            result.data.clear();
            break;
        }
        result.data.append(chunk.constData(), produced);
        if (rc == Z_STREAM_END) {
            feed();
            if (zs.avail_in == 0)
                break;
            // Another gzip member follows (as `cat a.gz b.gz` makes); anything else is not
            // part of the stream.
            if (format == Compression::Gzip && zs.avail_in >= 2 && zs.next_in[0] == 0x1f &&
                zs.next_in[1] == 0x8b) {
                inflateReset(&zs);
                continue;
            }
            fail(tr("unexpected data after the compressed stream"));
            break;
        }
        if (rc == Z_OK)
            continue;
        if (rc == Z_BUF_ERROR && zs.avail_in == 0 && remaining == 0) {
            fail(tr("the data ends early"));
            break;
        }
        if (rc == Z_NEED_DICT) {
            fail(tr("it needs a preset dictionary"));
            break;
        }
        fail(zs.msg ? QString::fromLatin1(zs.msg) : tr("zlib error %1").arg(rc));
        break;
    }
    inflateEnd(&zs);
    return result;
}

// ---- display -----------------------------------------------------------------------------

// Where to cut UTF-8 `bytes` to keep at most `limit` of them without splitting a
// character.
qsizetype utf8Cut(const QByteArray &bytes, qint64 limit)
{
    if (limit >= bytes.size())
        return bytes.size();
    qsizetype cut = qsizetype(std::max<qint64>(limit, 0));
    while (cut > 0 && (uchar(bytes[cut]) & 0xc0) == 0x80)
        --cut;
    return cut;
}

// Re-indents valid JSON two spaces a level, copying strings, numbers and literals exactly
// as stored (Qt's QJsonDocument would sort keys, drop duplicates and round big numbers).
// Stops after about `limit` bytes of output and sets *truncated.
QByteArray reindentJson(const QByteArray &json, qint64 limit, bool *truncated)
{
    QByteArray out;
    out.reserve(qsizetype(std::min<qint64>(json.size() + json.size() / 2, limit) + 64));
    const char *p = json.constData();
    const char *end = p + json.size();
    int depth = 0;
    auto newline = [&] {
        out += '\n';
        out.append(qsizetype(depth) * 2, ' ');
    };
    auto isSpace = [](char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r';
    };
    *truncated = false;
    while (p < end) {
        if (out.size() >= limit) {
            // Anything but trailing whitespace left means the text is incomplete.
            while (p < end && isSpace(*p))
                ++p;
            *truncated = p < end;
            break;
        }
        const char c = *p++;
        switch (c) {
        case '"': {
            const char *start = p - 1;
            while (p < end && *p != '"')
                p += *p == '\\' ? 2 : 1;
            p = std::min(p + 1, end);
            out.append(start, p - start);
            break;
        }
        case '{':
        case '[': {
            const char *next = p;
            while (next < end && isSpace(*next))
                ++next;
            if (next < end && (*next == '}' || *next == ']')) {
                out += c;
                out += *next;
                p = next + 1;
            } else {
                out += c;
                ++depth;
                newline();
            }
            break;
        }
        case '}':
        case ']':
            --depth;
            newline();
            out += c;
            break;
        case ',':
            out += c;
            newline();
            break;
        case ':':
            out += ": ";
            break;
        case ' ':
        case '\t':
        case '\n':
        case '\r':
            break;
        default:
            out += c;
        }
    }
    if (*truncated && out.size() > limit) {
        // Cut at a line break near the limit, or else on a character boundary.
        const qsizetype lineEnd = out.lastIndexOf('\n', qsizetype(limit));
        out.truncate(lineEnd > limit - 4096 ? lineEnd : utf8Cut(out, limit));
    }
    return out;
}

QString compressionName(Compression format, bool base64)
{
    const QString name =
        format == Compression::Gzip ? QStringLiteral("gzip") : QStringLiteral("zlib");
    return base64 ? tr("%1 + base64").arg(name) : name;
}

// Fills kind, label, text and truncated for content that is JSON or text; false when it
// is neither.
bool showReadable(const QByteArray &content, qint64 limit, const QString &prefix,
                  DecodedValue *value)
{
    const bool compressed = !prefix.isEmpty();
    if (isJsonDocument(content)) {
        value->kind = compressed ? DecodedValue::Kind::CompressedJson : DecodedValue::Kind::Json;
        value->label = compressed ? tr("%1 → JSON").arg(prefix) : tr("JSON");
        value->text = QString::fromUtf8(reindentJson(content, limit, &value->truncated));
        return true;
    }
    if (isText(content)) {
        value->kind = compressed ? DecodedValue::Kind::CompressedText : DecodedValue::Kind::Text;
        value->label = compressed ? tr("%1 → text").arg(prefix) : tr("UTF-8 text");
        const qsizetype cut = utf8Cut(content, limit);
        value->truncated = cut < content.size();
        value->text = QString::fromUtf8(content.constData(), cut);
        return true;
    }
    return false;
}

QString sizeText(qint64 bytes)
{
    return QLocale::system().formattedDataSize(bytes, 1, QLocale::DataSizeTraditionalFormat);
}

} // namespace

DecodedValue decodeValue(const QByteArray &raw, qint64 limit)
{
    DecodedValue value;
    value.originalSize = raw.size();
    value.decodedSize = raw.size();
    if (raw.isEmpty()) {
        value.kind = DecodedValue::Kind::Empty;
        value.label = tr("empty");
        return value;
    }
    limit = std::max<qint64>(limit, 0);

    if (isJsonDocument(raw)) {
        showReadable(raw, limit, {}, &value);
        return value;
    }

    bool base64 = false;
    QByteArray compressed;
    if (isText(raw)) {
        compressed = compressedFromBase64(raw);
        base64 = !compressed.isEmpty();
    }
    if (!base64 && compressionOf(raw) != Compression::None)
        compressed = raw;
    if (!compressed.isEmpty()) {
        const Compression format = compressionOf(compressed);
        const QString name = compressionName(format, base64);
        const Inflated inflated = inflateBounded(compressed, format, MaxDecodedSize);
        if (inflated.status == Inflated::Status::Ok) {
            if (showReadable(inflated.data, limit, name, &value)) {
                value.decodedSize = inflated.data.size();
                return value;
            }
            value.note = tr("%1 data inflating to %2 of binary: shown as stored")
                             .arg(name, sizeText(inflated.data.size()));
        } else if (inflated.status == Inflated::Status::TooLarge) {
            value.note = tr("%1 data inflating to more than %2: not inflated, shown as stored")
                             .arg(name, sizeText(MaxDecodedSize));
        } else if (format == Compression::Gzip || !isText(raw)) {
            // (Text that merely begins like a zlib header, "x^2" say, gets no note.)
            value.note =
                tr("%1 data that does not inflate (%2): shown as stored").arg(name, inflated.error);
        }
    }

    if (showReadable(raw, limit, {}, &value))
        return value;
    value.kind = DecodedValue::Kind::Binary;
    value.label = tr("binary (hex)");
    value.text = hexDump(raw, limit);
    value.truncated = raw.size() > limit;
    return value;
}

QString hexDump(const QByteArray &bytes, qint64 maxBytes)
{
    static const char digits[] = "0123456789abcdef";
    const qsizetype n = qsizetype(std::clamp<qint64>(maxBytes, 0, bytes.size()));
    const auto *data = reinterpret_cast<const uchar *>(bytes.constData());
    QByteArray out;
    constexpr int LineLength = 8 + 2 + 16 * 3 + 1 + 2 + 16 + 1 + 1;
    out.reserve((n / 16 + 1) * LineLength);
    for (qsizetype line = 0; line < n; line += 16) {
        for (int shift = 28; shift >= 0; shift -= 4)
            out += digits[(quint64(line) >> shift) & 0xf];
        out += ' ';
        const qsizetype count = std::min<qsizetype>(16, n - line);
        for (qsizetype i = 0; i < 16; ++i) {
            out += ' ';
            if (i == 8)
                out += ' ';
            if (i < count) {
                out += digits[data[line + i] >> 4];
                out += digits[data[line + i] & 0xf];
            } else {
                out += "  ";
            }
        }
        out += "  |";
        for (qsizetype i = 0; i < count; ++i) {
            const uchar b = data[line + i];
            out += b >= 0x20 && b < 0x7f ? char(b) : '.';
        }
        out += "|\n";
    }
    return QString::fromLatin1(out);
}

QByteArray redisCliQuote(const QByteArray &argument)
{
    // redis-cli splits a line with sdssplitargs(): outside quotes only a space ends an
    // argument, but a quote anywhere starts a quoted part, so those stay quoted.
    const bool plain =
        !argument.isEmpty() && std::all_of(argument.begin(), argument.end(), [](char c) {
            return c > 0x20 && c < 0x7f && c != '"' && c != '\'' && c != '\\';
        });
    if (plain)
        return argument;
    static const char digits[] = "0123456789abcdef";
    QByteArray out;
    out.reserve(argument.size() + 2);
    out += '"';
    for (const char ch : argument) {
        const auto b = uchar(ch);
        switch (b) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\r':
            out += "\\r";
            break;
        case '\t':
            out += "\\t";
            break;
        case '\a':
            out += "\\a";
            break;
        case '\b':
            out += "\\b";
            break;
        default:
            if (b >= 0x20 && b < 0x7f) {
                out += char(b);
            } else {
                out += "\\x";
                out += digits[b >> 4];
                out += digits[b & 0xf];
            }
        }
    }
    out += '"';
    return out;
}

QByteArray redisCliXaddCommand(const QByteArray &stream, const QByteArray &id,
                               const QList<QPair<QByteArray, QByteArray>> &fields)
{
    QByteArray line = "XADD " + redisCliQuote(stream) + ' ' + redisCliQuote(id);
    for (const auto &[field, value] : fields)
        line += ' ' + redisCliQuote(field) + ' ' + redisCliQuote(value);
    return line;
}
