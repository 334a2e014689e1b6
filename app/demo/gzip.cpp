#include "gzip.h"

#include <QtEndian>

#include <array>

// Qt exposes no raw deflate, but qCompress() is zlib's compress2(): a 4-byte big-endian
// length that Qt prepends, then a zlib stream, which is a 2-byte header, the raw deflate
// data and a 4-byte Adler-32. The deflate data between them is exactly what a gzip
// member carries, so we keep it and put gzip's own header and trailer around it. This
// avoids a direct zlib dependency for one function.

namespace {

constexpr std::array<quint32, 256> makeCrcTable()
{
    std::array<quint32, 256> table{};
    for (quint32 n = 0; n < 256; ++n) {
        quint32 c = n;
        for (int k = 0; k < 8; ++k)
            c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        table[n] = c;
    }
    return table;
}

constexpr auto kCrcTable = makeCrcTable();

constexpr int kQtLengthPrefix = 4;
constexpr int kZlibHeader = 2;
constexpr int kAdlerTrailer = 4;

void appendLittleEndian32(QByteArray &out, quint32 value)
{
    char bytes[4];
    qToLittleEndian(value, bytes);
    out.append(bytes, 4);
}

} // namespace

quint32 crc32(QByteArrayView data)
{
    quint32 c = 0xFFFFFFFFu;
    for (const char ch : data)
        c = kCrcTable[(c ^ quint8(ch)) & 0xFF] ^ (c >> 8);
    return c ^ 0xFFFFFFFFu;
}

QByteArray gzipCompress(QByteArrayView data, int level)
{
    QByteArray deflate;
    if (data.isEmpty()) {
        // qCompress() returns only its length prefix for empty input; this is the raw
        // deflate of nothing: one final fixed-Huffman block holding just end-of-block.
        deflate = QByteArray("\x03\x00", 2);
    } else {
        const QByteArray zlib =
            qCompress(reinterpret_cast<const uchar *>(data.data()), data.size(), level);
        const qsizetype overhead = kQtLengthPrefix + kZlibHeader + kAdlerTrailer;
        if (zlib.size() <= overhead)
            return {};
        const auto flg = quint8(zlib.at(kQtLengthPrefix + 1));
        if (flg & 0x20) // FDICT: a preset dictionary, which compress2() never sets
            return {};
        deflate = zlib.mid(kQtLengthPrefix + kZlibHeader, zlib.size() - overhead);
    }

    QByteArray out;
    out.reserve(10 + deflate.size() + 8);
    // ID1 ID2, CM = deflate, FLG = none, MTIME = 0 (unknown), XFL = 0, OS = 3 (Unix).
    out.append("\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03", 10);
    out.append(deflate);
    appendLittleEndian32(out, crc32(data));
    appendLittleEndian32(out, quint32(quint64(data.size()) & 0xFFFFFFFFu));
    return out;
}
