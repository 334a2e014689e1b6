#include "valuedecoder.h"

#include "jsonmembers.h"

#include <QByteArrayView>
#include <QCoreApplication>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QLocale>

#include <zlib.h>

#include <algorithm>
#include <cstring>
#include <vector>

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
    if (bytes.size() >= 3 && uchar(bytes[0]) == 0x1f && uchar(bytes[1]) == 0x8b
        && uchar(bytes[2]) == 0x08)
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
    if (!trimmed.startsWith("H4sI") && !trimmed.startsWith("eA") && !trimmed.startsWith("eF")
        && !trimmed.startsWith("eJ") && !trimmed.startsWith("eN"))
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

// ---- JSON strings ------------------------------------------------------------------------

bool isJsonSpace(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

// `p` at a string's opening quote: just past its closing quote (or `end`).
const char *skipJsonString(const char *p, const char *end)
{
    ++p;
    while (p < end && *p != '"')
        p += *p == '\\' ? 2 : 1;
    return std::min(p + 1, end);
}

void appendUtf8(QByteArray *out, char32_t cp)
{
    if (cp < 0x80) {
        *out += char(cp);
    } else if (cp < 0x800) {
        *out += char(0xc0 | (cp >> 6));
        *out += char(0x80 | (cp & 0x3f));
    } else if (cp < 0x10000) {
        *out += char(0xe0 | (cp >> 12));
        *out += char(0x80 | ((cp >> 6) & 0x3f));
        *out += char(0x80 | (cp & 0x3f));
    } else {
        *out += char(0xf0 | (cp >> 18));
        *out += char(0x80 | ((cp >> 12) & 0x3f));
        *out += char(0x80 | ((cp >> 6) & 0x3f));
        *out += char(0x80 | (cp & 0x3f));
    }
}

int hex4(const char *p, const char *end)
{
    if (end - p < 4)
        return -1;
    int v = 0;
    for (int i = 0; i < 4; ++i) {
        const char c = p[i];
        const int d = c >= '0' && c <= '9'   ? c - '0'
                      : c >= 'a' && c <= 'f' ? c - 'a' + 10
                      : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                             : -1;
        if (d < 0)
            return -1;
        v = v * 16 + d;
    }
    return v;
}

// The UTF-8 value of a JSON string's contents (between its quotes). A lone surrogate
// becomes U+FFFD, as Qt's parser makes it.
QByteArray unescapeJson(const char *p, const char *end)
{
    QByteArray out;
    out.reserve(end - p);
    while (p < end) {
        if (*p != '\\') {
            out += *p++;
            continue;
        }
        if (++p == end)
            break;
        const char c = *p++;
        switch (c) {
        case 'b':
            out += '\b';
            break;
        case 'f':
            out += '\f';
            break;
        case 'n':
            out += '\n';
            break;
        case 'r':
            out += '\r';
            break;
        case 't':
            out += '\t';
            break;
        case 'u': {
            int cp = hex4(p, end);
            if (cp < 0)
                return out;
            p += 4;
            if (cp >= 0xd800 && cp < 0xdc00 && end - p >= 6 && p[0] == '\\' && p[1] == 'u') {
                const int low = hex4(p + 2, end);
                if (low >= 0xdc00 && low < 0xe000) {
                    cp = 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00);
                    p += 6;
                }
            }
            if (cp >= 0xd800 && cp < 0xe000)
                cp = 0xfffd;
            appendUtf8(&out, char32_t(cp));
            break;
        }
        default: // " \ /
            out += c;
        }
    }
    return out;
}

// One step of a JSONPath: ".name" for a plain name, ["…"] for any other.
void appendPathKey(QString *path, const QByteArray &key)
{
    const bool plain = !key.isEmpty() && !(key[0] >= '0' && key[0] <= '9')
                       && std::all_of(key.begin(), key.end(), [](char c) {
                              return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
                                     || (c >= '0' && c <= '9') || c == '_' || c == '-';
                          });
    if (plain)
        *path += QLatin1Char('.') + QString::fromUtf8(key);
    else
        *path += QLatin1Char('[') + QString::fromUtf8(jsonQuote(key)) + QLatin1Char(']');
}

// Calls f(open, close, path) for each string value (not key) of the valid JSON `json`:
// `open` at its opening quote, `close` just past its closing quote, `path` a callable that
// makes its JSONPath below `base` (made only when asked: most strings are not looked at).
template<typename F> void forEachJsonStringValue(const QByteArray &json, const QString &base, F f)
{
    struct Frame
    {
        bool object;
        qsizetype index = 0;
        QByteArray key;
    };
    std::vector<Frame> stack;
    bool expectKey = false;
    const char *begin = json.constData();
    const char *end = begin + json.size();
    const char *p = begin;
    while (p < end) {
        const char c = *p;
        switch (c) {
        case '{':
            stack.push_back({true, 0, {}});
            expectKey = true;
            ++p;
            break;
        case '[':
            stack.push_back({false, 0, {}});
            expectKey = false;
            ++p;
            break;
        case '}':
        case ']':
            if (!stack.empty())
                stack.pop_back();
            expectKey = false;
            ++p;
            break;
        case ',':
            if (!stack.empty()) {
                if (stack.back().object)
                    expectKey = true;
                else
                    ++stack.back().index;
            }
            ++p;
            break;
        case ':':
            expectKey = false;
            ++p;
            break;
        case '"': {
            const char *close = skipJsonString(p, end);
            if (expectKey && !stack.empty()) {
                stack.back().key = unescapeJson(p + 1, close - 1);
            } else {
                const auto path = [&] {
                    QString text = base;
                    for (const Frame &frame : stack) {
                        if (frame.object)
                            appendPathKey(&text, frame.key);
                        else
                            text += QStringLiteral("[%1]").arg(frame.index);
                    }
                    return text;
                };
                f(p - begin, close - begin, path);
            }
            p = close;
            break;
        }
        default:
            ++p;
        }
    }
}

bool isBase64Char(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+'
           || c == '/' || c == '-' || c == '_' || c == '=';
}

// Whether a JSON string's contents, as stored, may be base64 worth decoding: long enough,
// and only base64 characters (and the escapes "\/" and "\n" that JSON writers put in it).
bool mayBeBase64(const char *p, const char *end)
{
    const bool compressedPrefix = end - p >= 8 && (QByteArrayView(p, 4) == "H4sI" || p[0] == 'e');
    if (end - p < (compressedPrefix ? 8 : MinNestedBase64Length))
        return false;
    for (; p < end; ++p) {
        if (*p == '\\' && p + 1 < end && (p[1] == '/' || p[1] == 'n' || p[1] == 'r')) {
            ++p;
            continue;
        }
        if (!isBase64Char(*p))
            return false;
    }
    return true;
}

// Whether valid-looking JSON holds a string value worth trying to decode, without parsing
// it: what keeps search fast on JSON values with nothing encoded in them.
bool mayHoldEncodedString(const QByteArray &json)
{
    const char *p = json.constData();
    const char *end = p + json.size();
    while ((p = static_cast<const char *>(std::memchr(p, '"', end - p)))) {
        // The closing quote: the next one not escaped (found with memchr, not byte by
        // byte, as this runs on every JSON value a search reads).
        const char *q = p;
        for (;;) {
            q = static_cast<const char *>(std::memchr(q + 1, '"', end - q - 1));
            if (!q)
                return false;
            const char *b = q;
            while (b > p + 1 && b[-1] == '\\')
                --b;
            if ((q - b) % 2 == 0)
                break;
        }
        const char *close = q + 1;
        if (close - p - 2 < 8) { // too short for any base64 Weir decodes
            p = close;
            continue;
        }
        const char *next = close;
        while (next < end && isJsonSpace(*next))
            ++next;
        if ((next == end || *next != ':') && mayBeBase64(p + 1, close - 1))
            return true;
        p = close;
    }
    return false;
}

// The bytes a string is base64 of (standard or URL-safe, line breaks allowed), when it
// is nothing but base64; nullopt otherwise.
std::optional<QByteArray> fromPlainBase64(const QByteArray &text)
{
    QByteArray compact = text.trimmed();
    compact.removeIf([](char c) { return c == '\n' || c == '\r'; });
    if (compact.size() < MinNestedBase64Length)
        return std::nullopt;
    for (const auto encoding : {QByteArray::Base64Encoding, QByteArray::Base64UrlEncoding}) {
        const auto result = QByteArray::fromBase64Encoding(
            compact, encoding | QByteArray::AbortOnBase64DecodingErrors);
        if (result)
            return *result;
    }
    return std::nullopt;
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
            if (format == Compression::Gzip && zs.avail_in >= 2 && zs.next_in[0] == 0x1f
                && zs.next_in[1] == 0x8b) {
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

// ---- nested encodings ----------------------------------------------------------------

QString compressionName(Compression format, bool base64)
{
    const QString name =
        format == Compression::Gzip ? QStringLiteral("gzip") : QStringLiteral("zlib");
    return base64 ? tr("%1 + base64").arg(name) : name;
}

QString sizeText(qint64 bytes)
{
    return QLocale::system().formattedDataSize(bytes, 1, QLocale::DataSizeTraditionalFormat);
}

const QString Arrow = QStringLiteral(" → ");

// A string inside JSON shown decoded.
struct NestedValue
{
    qsizetype open = 0;  // its opening quote, in the JSON holding it
    qsizetype close = 0; // just past its closing quote
    QString chain;       // "base64 → gzip → JSON"
    QByteArray content;
    bool json = false;
    std::vector<NestedValue> inner; // json: its own strings shown decoded
};

// What decoding the strings of one value has used up of the bounds, and what it says.
struct NestedContext
{
    qint64 budget = MaxNestedDecodedSize; // bytes left to inflate
    int valuesLeft = MaxNestedValues;
    bool countNoted = false;
    // What the display shows of the value: strings that cannot be within it are not
    // decoded (a preview of a few hundred characters inflates only what it shows).
    qint64 shownLimit = NoDisplayLimit;
    QStringList notes;
    QList<NestedDecoding> *found = nullptr; // for the display
    QList<DecodedLayer> *layers = nullptr;  // for search
};

std::vector<NestedValue> decodeNested(const QByteArray &json, const QString &base, int level,
                                      NestedContext &ctx);

// A string inside JSON at `level` (1: in the value itself): base64 of gzip or zlib data,
// or of JSON or text, decoded when it fits the bounds; nullopt (with a note when it was
// encoded but is left as stored) otherwise.
std::optional<NestedValue> decodeString(const QByteArray &s, const QString &path, int level,
                                        NestedContext &ctx)
{
    QByteArray bytes = compressedFromBase64(s);
    if (bytes.isEmpty()) {
        auto plain = fromPlainBase64(s);
        if (!plain)
            return std::nullopt;
        bytes = std::move(*plain);
    }
    QStringList steps{QStringLiteral("base64")};
    const auto stop = [&](const QString &why) -> std::optional<NestedValue> {
        ctx.notes << QStringLiteral("%1: %2").arg(path, why);
        return std::nullopt;
    };
    const auto tooDeep = [&]() -> std::optional<NestedValue> {
        return stop(tr("%1 nested more than %2 levels deep: shown as stored")
                        .arg(steps.join(Arrow))
                        .arg(MaxNestedDepth));
    };
    const auto tooMany = [&]() -> std::optional<NestedValue> {
        if (!ctx.countNoted)
            ctx.notes << QCoreApplication::translate(
                "ValueDecoder",
                "more than %n strings inside hold encoded data: the rest are shown as stored",
                nullptr, MaxNestedValues);
        ctx.countNoted = true;
        return std::nullopt;
    };
    const Compression format = compressionOf(bytes);
    if (format != Compression::None) {
        steps << (format == Compression::Gzip ? QStringLiteral("gzip") : QStringLiteral("zlib"));
        if (ctx.valuesLeft <= 0)
            return tooMany();
        if (level > MaxNestedDepth)
            return tooDeep();
        const qint64 bound = std::min(ctx.budget, MaxDecodedSize);
        Inflated inflated = inflateBounded(bytes, format, bound);
        if (inflated.status == Inflated::Status::TooLarge) {
            ctx.budget = 0;
            return stop(
                bound < MaxNestedDecodedSize
                    ? tr("%1 data inflating to more than the %2 left of the %3 Weir "
                         "inflates inside one value: not inflated, shown as stored")
                          .arg(steps.join(Arrow), sizeText(bound), sizeText(MaxNestedDecodedSize))
                    : tr("%1 data inflating to more than %2: not inflated, shown as "
                         "stored")
                          .arg(steps.join(Arrow), sizeText(bound)));
        }
        if (inflated.status == Inflated::Status::Corrupt)
            return stop(tr("%1 data that does not inflate (%2): shown as stored")
                            .arg(steps.join(Arrow), inflated.error));
        bytes = std::move(inflated.data);
        ctx.budget -= bytes.size();
    }
    const bool json = isJsonDocument(bytes);
    if (!json && !isText(bytes)) {
        if (format == Compression::None)
            return std::nullopt; // a word or an id that happens to be base64
        return stop(tr("%1 data inflating to %2 of binary: shown as stored")
                        .arg(steps.join(Arrow), sizeText(bytes.size())));
    }
    steps << (json ? QStringLiteral("JSON") : QStringLiteral("text"));
    if (ctx.valuesLeft <= 0)
        return tooMany();
    if (level > MaxNestedDepth)
        return tooDeep();
    --ctx.valuesLeft;
    NestedValue value;
    value.chain = steps.join(Arrow);
    value.content = std::move(bytes);
    value.json = json;
    if (ctx.found)
        ctx.found->append({path, value.chain});
    if (ctx.layers)
        ctx.layers->append({path + QStringLiteral(": ") + value.chain, value.content});
    if (json)
        value.inner = decodeNested(value.content, path, level + 1, ctx);
    return value;
}

// The strings of the valid JSON `json` that decode, in document order; `base` is the
// JSONPath of `json` itself.
std::vector<NestedValue> decodeNested(const QByteArray &json, const QString &base, int level,
                                      NestedContext &ctx)
{
    std::vector<NestedValue> out;
    if (!mayHoldEncodedString(json))
        return out;
    // Each byte of `json` but the spaces between tokens shows as at least one byte, but a
    // decoded string may be shorter than its base64 (about 3/4 of it, plus its comment):
    // a string that begins beyond twice the limit's worth of such bytes is never shown.
    qsizetype lastShown = json.size();
    if (ctx.shownLimit < json.size()) {
        const qint64 reach = 2 * ctx.shownLimit + 4096;
        qint64 counted = 0;
        bool inString = false;
        for (qsizetype i = 0; i < json.size(); ++i) {
            const char c = json[i];
            if (inString) {
                if (c == '\\')
                    ++i, ++counted;
                else if (c == '"')
                    inString = false;
            } else if (c == '"') {
                inString = true;
            } else if (isJsonSpace(c)) {
                continue;
            }
            if (++counted > reach) {
                lastShown = i;
                break;
            }
        }
    }
    forEachJsonStringValue(json, base, [&](qsizetype open, qsizetype close, const auto &path) {
        if (open > lastShown)
            return;
        const char *contents = json.constData() + open + 1;
        const char *contentsEnd = json.constData() + close - 1;
        if (close - open < 2 || !mayBeBase64(contents, contentsEnd))
            return;
        auto value = decodeString(unescapeJson(contents, contentsEnd), path(), level, ctx);
        if (value) {
            value->open = open;
            value->close = close;
            out.push_back(std::move(*value));
        }
    });
    return out;
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
// Strings listed in `nested` are shown decoded in their place, after a comment naming
// their decoders.
QByteArray reindentJson(const QByteArray &json, qint64 limit, bool *truncated,
                        const std::vector<NestedValue> *nested = nullptr)
{
    std::size_t nextNested = 0;
    QByteArray out;
    out.reserve(qsizetype(std::min<qint64>(json.size() + json.size() / 2, limit) + 64));
    const char *p = json.constData();
    const char *end = p + json.size();
    int depth = 0;
    auto newline = [&] {
        out += '\n';
        out.append(qsizetype(depth) * 2, ' ');
    };
    auto isSpace = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
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
            if (nested && nextNested < nested->size()
                && (*nested)[nextNested].open == start - json.constData()) {
                const NestedValue &value = (*nested)[nextNested++];
                out += "/* " + value.chain.toUtf8() + " */ ";
                const qint64 room = std::max<qint64>(limit - out.size(), 0);
                bool innerTruncated = false;
                QByteArray inner =
                    value.json ? reindentJson(value.content, room, &innerTruncated, &value.inner)
                               : jsonQuote(value.content.left(utf8Cut(value.content, room)));
                inner.replace('\n', "\n" + QByteArray(qsizetype(depth) * 2, ' '));
                out += inner;
                p = json.constData() + value.close;
                break;
            }
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

// Fills kind, label, text and truncated for content that is JSON or text; false when it
// is neither.
bool showReadable(const QByteArray &content, qint64 limit, const QString &prefix,
                  DecodedValue *value)
{
    const bool compressed = !prefix.isEmpty();
    if (isJsonDocument(content)) {
        value->kind = compressed ? DecodedValue::Kind::CompressedJson : DecodedValue::Kind::Json;
        value->label = compressed ? tr("%1 → JSON").arg(prefix) : tr("JSON");
        NestedContext context;
        context.budget = MaxNestedDecodedSize;
        context.shownLimit = limit;
        context.found = &value->nested;
        const std::vector<NestedValue> nested =
            decodeNested(content, QStringLiteral("$"), 1, context);
        value->text = QString::fromUtf8(reindentJson(content, limit, &value->truncated, &nested));
        if (value->nested.size() == 1)
            value->label =
                tr("%1, with %2 at %3")
                    .arg(value->label, value->nested.first().chain, value->nested.first().path);
        else if (!value->nested.isEmpty())
            value->label =
                QCoreApplication::translate("ValueDecoder", "%1, with %n strings inside decoded",
                                            nullptr, int(value->nested.size()))
                    .arg(value->label);
        if (!context.notes.isEmpty())
            value->note = context.notes.join(QStringLiteral("; "));
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

std::optional<QByteArray> inflateStored(const QByteArray &raw, QString *how, qint64 max)
{
    QByteArray compressed = compressedFromBase64(raw);
    const bool base64 = !compressed.isEmpty();
    if (!base64)
        compressed = raw;
    const Compression format = compressionOf(compressed);
    if (format == Compression::None)
        return std::nullopt;
    Inflated inflated = inflateBounded(compressed, format, max);
    if (inflated.status != Inflated::Status::Ok)
        return std::nullopt;
    if (how)
        *how = compressionName(format, base64);
    return std::move(inflated.data);
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

QList<DecodedLayer> decodedLayers(const QByteArray &raw, qint64 budget)
{
    QList<DecodedLayer> layers;
    NestedContext context;
    context.budget = std::min(budget, MaxNestedDecodedSize);
    context.layers = &layers;
    qsizetype first = 0;
    while (first < raw.size() && isJsonSpace(raw[first]))
        ++first;
    if (first == raw.size())
        return layers;
    // Most values a search reads are plain: its first byte rules out everything else.
    const char lead = raw[first];
    if (lead == '{' || lead == '[') {
        // Plain JSON is only parsed when one of its strings may be encoded.
        if (mayHoldEncodedString(raw) && isJsonDocument(raw))
            decodeNested(raw, QStringLiteral("$"), 1, context);
        return layers;
    }
    if (lead != 'H' && lead != 'e' && uchar(lead) != 0x1f && uchar(lead) != 0x78)
        return layers;
    QByteArray compressed = compressedFromBase64(raw);
    const bool base64 = !compressed.isEmpty();
    if (!base64 && compressionOf(raw) != Compression::None)
        compressed = raw;
    if (compressed.isEmpty())
        return layers;
    const Compression format = compressionOf(compressed);
    Inflated inflated =
        inflateBounded(compressed, format, std::min(context.budget, MaxDecodedSize));
    if (inflated.status != Inflated::Status::Ok)
        return layers;
    const QString name = compressionName(format, base64);
    context.budget -= inflated.data.size();
    if (isJsonDocument(inflated.data)) {
        layers.append({tr("%1 → JSON").arg(name), inflated.data});
        decodeNested(inflated.data, QStringLiteral("$"), 1, context);
    } else if (isText(inflated.data)) {
        layers.append({tr("%1 → text").arg(name), inflated.data});
    }
    return layers;
}
