#pragma once

#include "deadletters.h"

#include <QString>

class CtlRun;

// What weirctl's commands read from the saved connection --profile names (`profile`: its
// name or its id), so that they all find the same one in Weir's settings.

// The id of that saved connection: empty when `profile` is empty, names none, or weirctl
// runs without settings.
QString ctlProfileId(const CtlRun &run, const QString &profile);

// The dead-letter conventions weirctl writes and reads with: those of that saved
// connection, else Weir's defaults.
DeadLetterConventions ctlDeadLetterConventions(CtlRun &run, const QString &profile);
