#pragma once

#include <QByteArray>
#include <QList>

#include <optional>

// A JSON object read for its members in the order they are written, each value kept as
// the exact text that holds it: a 19-digit id or 1.0 stays what it was typed as, where
// QJsonDocument would round the one and print the other as 1, and sort the keys.
struct RawJsonMember
{
    enum class Kind { String, Number, Literal, Object, Array };
    QByteArray name; // unescaped, UTF-8
    QByteArray raw;  // the value's source text, quotes and escapes included
    Kind kind = Kind::Literal;

    // A string's value unescaped (UTF-8), anything else's source text.
    QByteArray text() const;
    bool isScalar() const { return kind != Kind::Object && kind != Kind::Array; }
};

// The members of `json` when it is one JSON object (whitespace around it allowed), nullopt
// when it is anything else or not valid JSON. Nesting deeper than MaxJsonDepth is refused.
constexpr int MaxJsonDepth = 64;
std::optional<QList<RawJsonMember>> rawJsonObjectMembers(const QByteArray &json);
// A JSON string literal's value (quotes included in `literal`), UTF-8; nullopt when it is
// not one.
std::optional<QByteArray> jsonUnquote(const QByteArray &literal);
// A JSON string literal of UTF-8 `text`: quotes, backslashes and control characters
// escaped (\n, \t, … or \u00XX), every other byte as it is.
QByteArray jsonQuote(const QByteArray &text);
// The same, appended to `out`.
void appendJsonQuoted(QByteArray &out, const QByteArray &text);
