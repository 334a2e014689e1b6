#include "jsonmembers.h"

namespace {

void appendUtf8(QByteArray &out, char32_t c)
{
    if (c < 0x80) {
        out += char(c);
    } else if (c < 0x800) {
        out += char(0xC0 | (c >> 6));
        out += char(0x80 | (c & 0x3F));
    } else if (c < 0x10000) {
        out += char(0xE0 | (c >> 12));
        out += char(0x80 | ((c >> 6) & 0x3F));
        out += char(0x80 | (c & 0x3F));
    } else {
        out += char(0xF0 | (c >> 18));
        out += char(0x80 | ((c >> 12) & 0x3F));
        out += char(0x80 | ((c >> 6) & 0x3F));
        out += char(0x80 | (c & 0x3F));
    }
}

// A strict JSON reader over [p, end) that only finds where values begin and end, and
// unescapes the strings it is asked for.
class Scanner
{
public:
    Scanner(const char *begin, const char *end)
        : m_p(begin)
        , m_end(end)
    {}

    const char *position() const { return m_p; }
    bool atEnd()
    {
        skipSpace();
        return m_p == m_end;
    }
    bool take(char c)
    {
        skipSpace();
        if (m_p == m_end || *m_p != c)
            return false;
        ++m_p;
        return true;
    }
    void skipSpace()
    {
        while (m_p != m_end && (*m_p == ' ' || *m_p == '\t' || *m_p == '\n' || *m_p == '\r'))
            ++m_p;
    }
    bool peek(char c)
    {
        skipSpace();
        return m_p != m_end && *m_p == c;
    }

    // A string at the current position; its value goes to `out` when given.
    bool string(QByteArray *out)
    {
        if (!take('"'))
            return false;
        while (m_p != m_end) {
            const unsigned char c = static_cast<unsigned char>(*m_p++);
            if (c == '"')
                return true;
            if (c < 0x20)
                return false;
            if (c != '\\') {
                if (out)
                    *out += char(c);
                continue;
            }
            if (m_p == m_end)
                return false;
            const char e = *m_p++;
            char plain = 0;
            switch (e) {
            case '"':
                plain = '"';
                break;
            case '\\':
                plain = '\\';
                break;
            case '/':
                plain = '/';
                break;
            case 'b':
                plain = '\b';
                break;
            case 'f':
                plain = '\f';
                break;
            case 'n':
                plain = '\n';
                break;
            case 'r':
                plain = '\r';
                break;
            case 't':
                plain = '\t';
                break;
            case 'u': {
                char32_t unit = 0;
                if (!hex4(&unit))
                    return false;
                if (unit >= 0xD800 && unit < 0xDC00 && m_end - m_p >= 6 && m_p[0] == '\\'
                    && m_p[1] == 'u') {
                    const char *back = m_p;
                    m_p += 2;
                    char32_t low = 0;
                    if (hex4(&low) && low >= 0xDC00 && low < 0xE000)
                        unit = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00);
                    else
                        m_p = back;
                }
                if (out)
                    appendUtf8(*out, unit);
                continue;
            }
            default:
                return false;
            }
            if (out)
                *out += plain;
        }
        return false;
    }

    // Any value, skipped; its kind goes to `kind`.
    bool value(int depth, RawJsonMember::Kind *kind)
    {
        skipSpace();
        if (m_p == m_end || depth > MaxJsonDepth)
            return false;
        switch (*m_p) {
        case '"':
            *kind = RawJsonMember::Kind::String;
            return string(nullptr);
        case '{': {
            *kind = RawJsonMember::Kind::Object;
            ++m_p;
            if (take('}'))
                return true;
            do {
                RawJsonMember::Kind inner;
                if (!string(nullptr) || !take(':') || !value(depth + 1, &inner))
                    return false;
            } while (take(','));
            return take('}');
        }
        case '[': {
            *kind = RawJsonMember::Kind::Array;
            ++m_p;
            if (take(']'))
                return true;
            do {
                RawJsonMember::Kind inner;
                if (!value(depth + 1, &inner))
                    return false;
            } while (take(','));
            return take(']');
        }
        case 't':
            *kind = RawJsonMember::Kind::Literal;
            return word("true");
        case 'f':
            *kind = RawJsonMember::Kind::Literal;
            return word("false");
        case 'n':
            *kind = RawJsonMember::Kind::Literal;
            return word("null");
        default:
            *kind = RawJsonMember::Kind::Number;
            return number();
        }
    }

private:
    bool hex4(char32_t *out)
    {
        if (m_end - m_p < 4)
            return false;
        char32_t v = 0;
        for (int i = 0; i < 4; ++i) {
            const char c = *m_p++;
            v <<= 4;
            if (c >= '0' && c <= '9')
                v |= char32_t(c - '0');
            else if (c >= 'a' && c <= 'f')
                v |= char32_t(c - 'a' + 10);
            else if (c >= 'A' && c <= 'F')
                v |= char32_t(c - 'A' + 10);
            else
                return false;
        }
        *out = v;
        return true;
    }
    bool word(const char *w)
    {
        for (; *w; ++w) {
            if (m_p == m_end || *m_p != *w)
                return false;
            ++m_p;
        }
        return true;
    }
    bool digits()
    {
        const char *start = m_p;
        while (m_p != m_end && *m_p >= '0' && *m_p <= '9')
            ++m_p;
        return m_p != start;
    }
    bool number()
    {
        if (m_p != m_end && *m_p == '-')
            ++m_p;
        if (m_p != m_end && *m_p == '0')
            ++m_p;
        else if (!digits())
            return false;
        if (m_p != m_end && *m_p == '.') {
            ++m_p;
            if (!digits())
                return false;
        }
        if (m_p != m_end && (*m_p == 'e' || *m_p == 'E')) {
            ++m_p;
            if (m_p != m_end && (*m_p == '+' || *m_p == '-'))
                ++m_p;
            if (!digits())
                return false;
        }
        return true;
    }

    const char *m_p;
    const char *m_end;
};

} // namespace

QByteArray RawJsonMember::text() const
{
    return kind == Kind::String ? jsonUnquote(raw).value_or(raw) : raw;
}

std::optional<QList<RawJsonMember>> rawJsonObjectMembers(const QByteArray &json)
{
    Scanner s(json.constData(), json.constData() + json.size());
    if (!s.take('{'))
        return std::nullopt;
    QList<RawJsonMember> members;
    if (!s.take('}')) {
        do {
            RawJsonMember m;
            if (!s.peek('"') || !s.string(&m.name) || !s.take(':'))
                return std::nullopt;
            s.skipSpace();
            const char *start = s.position();
            if (!s.value(1, &m.kind))
                return std::nullopt;
            m.raw = QByteArray(start, s.position() - start);
            members.append(std::move(m));
        } while (s.take(','));
        if (!s.take('}'))
            return std::nullopt;
    }
    if (!s.atEnd())
        return std::nullopt;
    return members;
}

std::optional<QByteArray> jsonUnquote(const QByteArray &literal)
{
    Scanner s(literal.constData(), literal.constData() + literal.size());
    QByteArray out;
    if (!s.peek('"') || !s.string(&out) || !s.atEnd())
        return std::nullopt;
    return out;
}

void appendJsonQuoted(QByteArray &out, const QByteArray &text)
{
    static const char hex[] = "0123456789abcdef";
    out += '"';
    // Runs that need no escape (nearly all of any name or id) go in whole.
    qsizetype start = 0;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const auto c = uchar(text[i]);
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        out.append(text.constData() + start, i - start);
        start = i + 1;
        switch (c) {
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
        case '\b':
            out += "\\b";
            break;
        case '\f':
            out += "\\f";
            break;
        default:
            out += "\\u00";
            out += hex[c >> 4];
            out += hex[c & 0xf];
        }
    }
    out.append(text.constData() + start, text.size() - start);
    out += '"';
}

QByteArray jsonQuote(const QByteArray &text)
{
    QByteArray out;
    out.reserve(text.size() + 2);
    appendJsonQuoted(out, text);
    return out;
}
