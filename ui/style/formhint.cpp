#include "formhint.h"

#include <QLabel>

QString errorStyle()
{
    return QStringLiteral("color: #b42318");
}

void showFormProblem(QLabel *hint, const QString &why, bool asError)
{
    hint->setText(why);
    hint->setVisible(!why.isEmpty());
    hint->setStyleSheet(asError ? errorStyle() : QString());
}
