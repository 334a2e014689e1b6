#pragma once

#include "deadletters.h"

#include <QCommandLineOption>
#include <QStringList>

class CtlRun;
class QCommandLineParser;

// What `weirctl streams` and `weirctl deadletters` share: how dead-letter streams are named.
namespace CtlDeadLetters {

// --dead-letter-pattern, repeatable.
QCommandLineOption patternOption();
// The patterns given with it; why one is unusable in *error.
QStringList patterns(const QCommandLineParser &parsed, QString *error);
// The conventions Weir uses for this connection: those saved with the profile --profile
// named (`profile`), else Weir's defaults; with `patterns` in place of theirs when some
// were given.
DeadLetterConventions conventions(CtlRun &run, const QString &profile, const QStringList &patterns);

} // namespace CtlDeadLetters
