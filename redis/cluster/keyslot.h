#pragma once

#include <QByteArray>

// The Redis Cluster hash slot of a key (0..16383): CRC16 (XMODEM) of the key, or of
// its hash tag, the part between the first '{' and the next '}' when that is not empty.
quint16 keySlot(const QByteArray &key);
