#pragma once

#include <QByteArray>
#include <QList>

// Whether a command only reads. This is an allow-list: anything not known to be a
// read (including every unknown command) counts as a write, and a read-only
// connection refuses it before it is sent.
bool isReadOnlyCommand(const QList<QByteArray> &argv);
