#pragma once

#include <QByteArray>
#include <QString>

// A key or value for display: UTF-8 text as it is; any byte that is not printable
// UTF-8 escaped as \xNN, as redis-cli does, so binary keys never show garbage.
QString displayKey(const QByteArray &bytes);
