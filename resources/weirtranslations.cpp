#include "weirtranslations.h"

#include <QCoreApplication>
#include <QTranslator>

bool installWeirTranslations()
{
    // One for the process, parented to the application so that it goes with it; a
    // second call finds it there and does not stack another.
    QCoreApplication *app = QCoreApplication::instance();
    if (!app)
        return false;
    if (app->findChild<QTranslator *>(QStringLiteral("weirEnglishPlurals"), Qt::FindDirectChildrenOnly))
        return true;
    auto *translator = new QTranslator(app);
    translator->setObjectName(QStringLiteral("weirEnglishPlurals"));
    if (!translator->load(QStringLiteral(":/i18n/weir_en.qm"))) {
        delete translator;
        return false;
    }
    return QCoreApplication::installTranslator(translator);
}
