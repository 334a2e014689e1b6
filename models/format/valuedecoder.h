#pragma once

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>

#include <limits>
#include <optional>

// How a stream entry's field value is shown: detected, decoded and made readable, never
// altered. Pure functions, safe on any thread.

// decodeValue()'s default display limit, and the limit that shows everything.
constexpr qint64 DefaultDisplayLimit = 1024 * 1024;
constexpr qint64 NoDisplayLimit = std::numeric_limits<qint64>::max();
// The most a value is decoded to: compressed data inflating beyond it is not inflated
// (a zip bomb is shown as stored, with a note), and larger values are not parsed as JSON.
constexpr qint64 MaxDecodedSize = 64 * 1024 * 1024;

// Bounds on decoding the strings inside JSON (design 004's {"data":"H4sI…"}): a JSON value
// is looked into at most MaxNestedDepth levels deep (a string holding JSON whose strings
// hold JSON…), at most MaxNestedValues of its strings are decoded, and all of them
// together inflate to at most MaxNestedDecodedSize bytes. What lies beyond a bound is
// shown as stored, and the value's note says so.
constexpr int MaxNestedDepth = 4;
constexpr int MaxNestedValues = 1000;
constexpr qint64 MaxNestedDecodedSize = MaxDecodedSize;
// A string inside JSON is taken for plain base64 (of JSON or text) only from this many
// characters on, so that ordinary short words and ids are never decoded.
constexpr int MinNestedBase64Length = 16;
// What search decodes of one value at most (top level and nested together): searching
// runs on the GUI thread batch by batch, so a stream of zip bombs must not stall it.
constexpr qint64 MaxSearchDecodedSize = 8 * 1024 * 1024;

// A string inside a JSON value that Weir decoded.
struct NestedDecoding
{
    QString path;  // where, in JSONPath: "$.stats.data", "$.items[2].payload"
    QString chain; // the decoders applied, in order: "base64 → gzip → JSON"
};

struct DecodedValue
{
    enum class Kind {
        Empty,
        Json,           // an object or an array
        CompressedJson, // gzip or zlib, raw or base64-encoded, holding JSON
        CompressedText, // the same, holding text
        Text,           // UTF-8 without control characters other than tab, LF and CR
        Binary,         // anything else, shown as a hex dump
    };

    Kind kind = Kind::Empty;
    // What was detected, for a badge: "JSON", "gzip + base64 → JSON", "zlib → text",
    // "UTF-8 text", "binary (hex)", "empty".
    QString label;
    // What to show: JSON re-indented (keys, numbers and escapes exactly as stored), the
    // text, or a hexDump() of the stored bytes. A string inside JSON that decodes is shown
    // decoded in its place, after a comment naming its decoders:
    //   "data": /* base64 → gzip → JSON */ {
    // so `text` is then no longer JSON; the stored bytes are the value itself.
    QString text;
    // The strings inside JSON shown decoded, in document order (a nested one after the
    // one holding it). When there are any, `label` ends with where they are.
    QList<NestedDecoding> nested;
    // Why a value that looked compressed is shown as stored (corrupt, a zip bomb, binary
    // inside); empty otherwise.
    QString note;
    qint64 originalSize = 0; // bytes stored in Redis
    qint64 decodedSize = 0;  // bytes after inflating; originalSize when not compressed
    // `text` shows only the first part: call decodeValue() again with a larger limit
    // (NoDisplayLimit) to show all of it.
    bool truncated = false;
};

// Decides what `raw` is, in this order: JSON (an object or an array; a bare number, string,
// true, false or null is shown as text, which is what it reads as), base64 text holding
// gzip or zlib data, raw gzip or zlib data, UTF-8 text, and binary. Compressed data that
// is corrupt, inflates beyond MaxDecodedSize, or inflates to binary is shown as stored.
// The kind is decided on the whole value; `limit` bounds only what `text` shows: about
// `limit` bytes of text or pretty JSON, or a hex dump of the first `limit` bytes.
DecodedValue decodeValue(const QByteArray &raw, qint64 limit = DefaultDisplayLimit);

// One text that decoding `raw` produced, for search: what a JSON value's strings decode
// to, and what compressed data inflates to.
struct DecodedLayer
{
    QString where;    // "gzip + base64 → JSON", or "$.stats.data: base64 → gzip → JSON"
    QByteArray bytes; // the decoded bytes (JSON as it was stored inside, or text)
};

// Every text decodeValue() would show decoded in `raw`, nested ones included, decoding at
// most `budget` bytes in all; empty for a value with nothing encoded in it (and cheap for
// one: plain values are not parsed).
QList<DecodedLayer> decodedLayers(const QByteArray &raw, qint64 budget = MaxSearchDecodedSize);

// The first maxBytes of `bytes`, 16 a line as `hexdump -C` shows them: an offset, the
// bytes in hex and the printable ASCII ones, "." for the others. Lines end in '\n'.
QString hexDump(const QByteArray &bytes, qint64 maxBytes = NoDisplayLimit);
// `raw` inflated, when it is gzip or zlib data, raw or as base64 text (as decodeValue()
// tells them), within `max` bytes; `how` (may be null) names it ("gzip + base64").
// nullopt when it is not compressed, is corrupt or inflates beyond `max`.
std::optional<QByteArray> inflateStored(const QByteArray &raw, QString *how = nullptr,
                                        qint64 max = MaxDecodedSize);

// One argument as redis-cli reads it back byte for byte: as it is when it is plain
// printable ASCII, otherwise in double quotes with \" \\ \n \r \t \a \b and \xNN for
// every other byte outside printable ASCII (UTF-8 included), so the result is ASCII.
QByteArray redisCliQuote(const QByteArray &argument);

// An XADD line to paste into redis-cli that recreates the entry exactly. Pass "*" as id
// to let Redis choose a new one. No trailing newline.
QByteArray redisCliXaddCommand(const QByteArray &stream, const QByteArray &id,
                               const QList<QPair<QByteArray, QByteArray>> &fields);
