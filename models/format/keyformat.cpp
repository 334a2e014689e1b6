#include "keyformat.h"

#include <QStringDecoder>

QString displayKey(const QByteArray &bytes)
{
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    QString text = decoder.decode(bytes);
    bool printable = !decoder.hasError();
    for (const QChar c : text) {
        if (!printable)
            break;
        printable = c.isPrint() || c == QLatin1Char(' ');
    }
    if (printable)
        return text;
    QString out;
    out.reserve(bytes.size() * 2);
    for (const char ch : bytes) {
        const auto b = uchar(ch);
        if (b >= 0x20 && b < 0x7f && b != '\\')
            out += QLatin1Char(char(b));
        else if (b == '\\')
            out += QLatin1String("\\\\");
        else
            out += QStringLiteral("\\x%1").arg(b, 2, 16, QLatin1Char('0'));
    }
    return out;
}
