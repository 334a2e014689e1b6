#pragma once

#include <QString>

// What an operator can do about an error Redis or the connection reported. The error
// itself is always shown verbatim; this is the line shown under it. Empty when there
// is nothing useful to add.
QString errorHint(const QString &error);
