#pragma once

#include <QByteArray>
#include <QByteArrayView>

// One gzip member (RFC 1952) holding `data`: what `gzip`, Node's zlib.gzipSync and
// Python's gzip module read, which qCompress()'s zlib framing (RFC 1950) is not.
// Empty when compression fails (qCompress refuses inputs it cannot allocate for).
QByteArray gzipCompress(QByteArrayView data, int level = -1);

// The CRC-32 of ISO 3309 / ITU-T V.42 that gzip's trailer carries.
quint32 crc32(QByteArrayView data);
