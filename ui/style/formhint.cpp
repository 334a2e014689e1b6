#include "formhint.h"

#include "palette.h"

#include <QLabel>

void showFormProblem(QLabel *hint, const QString &why, bool asError)
{
    hint->setText(why);
    hint->setVisible(!why.isEmpty());
    hint->setStyleSheet(asError ? statusStyleSheet(Status::Error) : QString());
}
