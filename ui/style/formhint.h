#pragma once

#include <QString>

class QLabel;

// The line of a dialog that says why it cannot go on. Until the operator has typed or tried
// to go on, what is missing is said as a plain hint (a dialog that opens in red reads as if
// the operator had done something wrong); after that, as an error in the palette's error
// colour (palette.h). Empty: hidden.
void showFormProblem(QLabel *hint, const QString &why, bool asError);
