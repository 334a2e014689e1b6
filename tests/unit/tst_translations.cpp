// Weir's English plural forms: loaded, they turn "%n streams" into "1 stream"; every
// "%n …" message of the checked-in weir_en.ts has its two forms; and lupdate run over
// today's sources finds no "%n …" message without them, so a new count fails here until
// resources/translations/weir_en.ts gives it its forms.
#include "weirtranslations.h"

#include <QCoreApplication>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QXmlStreamReader>
#include <QtTest>

namespace {

const QString TsFile = QStringLiteral(WEIR_SOURCE_DIR "/resources/translations/weir_en.ts");

struct PluralMessage
{
    QString context;
    QString source;
    bool finished = false;
    QStringList forms;
};

QList<PluralMessage> pluralMessages(const QString &path, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = file.errorString();
        return {};
    }
    QList<PluralMessage> messages;
    QString context;
    QXmlStreamReader xml(&file);
    while (!xml.atEnd()) {
        xml.readNext();
        if (!xml.isStartElement())
            continue;
        if (xml.name() == QLatin1String("name")) {
            context = xml.readElementText();
        } else if (xml.name() == QLatin1String("message")
                   && xml.attributes().value(QLatin1String("numerus")) == QLatin1String("yes")) {
            PluralMessage m;
            m.context = context;
            while (!(xml.isEndElement() && xml.name() == QLatin1String("message"))
                   && !xml.atEnd()) {
                xml.readNext();
                if (!xml.isStartElement())
                    continue;
                if (xml.name() == QLatin1String("source")) {
                    m.source = xml.readElementText();
                } else if (xml.name() == QLatin1String("translation")) {
                    const auto type = xml.attributes().value(QLatin1String("type"));
                    m.finished = type.isEmpty();
                } else if (xml.name() == QLatin1String("numerusform")) {
                    m.forms.append(xml.readElementText());
                }
            }
            messages.append(m);
        }
    }
    if (xml.hasError())
        *error = xml.errorString();
    return messages;
}

// What is wrong with a message's forms, or empty: English has two, each counting with
// the source's own %n or %Ln.
QString problem(const PluralMessage &m)
{
    if (!m.finished)
        return QStringLiteral("no English forms yet");
    if (m.forms.size() != 2)
        return QStringLiteral("%1 forms, English has 2").arg(m.forms.size());
    const QString count =
        m.source.contains(QLatin1String("%Ln")) ? QStringLiteral("%Ln") : QStringLiteral("%n");
    for (const QString &form : m.forms) {
        if (form.isEmpty() || !form.contains(count))
            return QStringLiteral("the form \"%1\" does not count with %2").arg(form, count);
    }
    return {};
}

QString problems(const QList<PluralMessage> &messages)
{
    QStringList lines;
    for (const PluralMessage &m : messages) {
        const QString why = problem(m);
        if (!why.isEmpty())
            lines << QStringLiteral("%1: \"%2\": %3").arg(m.context, m.source, why);
    }
    return lines.join(QLatin1Char('\n'));
}

} // namespace

class TestTranslations : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void countsTakeTheirEnglishForm_data();
    void countsTakeTheirEnglishForm();
    void everyPluralMessageHasItsForms();
    void everyCountInTheSourcesHasItsForms();
};

void TestTranslations::initTestCase()
{
    QVERIFY(installWeirTranslations());
    QVERIFY(installWeirTranslations()); // a second call does not stack another
}

void TestTranslations::countsTakeTheirEnglishForm_data()
{
    QTest::addColumn<QString>("context");
    QTest::addColumn<QString>("source");
    QTest::addColumn<int>("n");
    QTest::addColumn<QString>("shown");
    QTest::newRow("1 stream") << "StreamsPane"
                              << "%n streams" << 1 << "1 stream";
    QTest::newRow("2 streams") << "StreamsPane"
                               << "%n streams" << 2 << "2 streams";
    QTest::newRow("0 streams") << "StreamsPane"
                               << "%n streams" << 0 << "0 streams";
    QTest::newRow("1 dead letter") << "StreamListModel"
                                   << "%Ln dead letters in %1" << 1 << "1 dead letter in %1";
    QTest::newRow("1 master") << "NodesView"
                              << "%Ln masters" << 1 << "1 master";
    QTest::newRow("not imported: 1 entry")
        << "ImportDialog"
        << "Not imported: %Ln entries%1." << 1 << "Not imported: 1 entry%1.";
    QTest::newRow("unknown: 1 entry was")
        << "ImportDialog"
        << "Unknown: %Ln entries were sent when the connection failed; look at the stream "
           "before importing again."
        << 1
        << "Unknown: 1 entry was sent when the connection failed; look at the stream before "
           "importing again.";
    QTest::newRow("1 copy") << "ReplayDialog"
                            << "%Ln copies" << 1 << "1 copy";
    QTest::newRow("1 call") << "TrimDialog"
                            << "%1 in %Ln calls." << 1 << "%1 in 1 call.";
}

void TestTranslations::countsTakeTheirEnglishForm()
{
    QFETCH(QString, context);
    QFETCH(QString, source);
    QFETCH(int, n);
    QFETCH(QString, shown);
    QCOMPARE(QCoreApplication::translate(context.toUtf8().constData(), source.toUtf8().constData(),
                                         nullptr, n),
             shown);
}

void TestTranslations::everyPluralMessageHasItsForms()
{
    QString error;
    const QList<PluralMessage> messages = pluralMessages(TsFile, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QVERIFY(messages.size() > 20);
    const QString wrong = problems(messages);
    QVERIFY2(wrong.isEmpty(), qPrintable(wrong));
}

// lupdate reads today's sources into a copy of weir_en.ts: a "%n …" message it adds (a
// new count, or a count reworded) has no forms, and fails here with its context.
void TestTranslations::everyCountInTheSourcesHasItsForms()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString copy = dir.filePath(QStringLiteral("weir_en.ts"));
    QVERIFY(QFile::copy(TsFile, copy));
    QProcess lupdate;
    lupdate.setWorkingDirectory(QStringLiteral(WEIR_SOURCE_DIR));
    lupdate.setProcessChannelMode(QProcess::MergedChannels);
    lupdate.start(QStringLiteral(WEIR_LUPDATE),
                  {QStringLiteral("-pluralonly"), QStringLiteral("-locations"),
                   QStringLiteral("none"), QStringLiteral("-no-obsolete"), QStringLiteral("app"),
                   QStringLiteral("models"), QStringLiteral("redis"), QStringLiteral("ui"),
                   QStringLiteral("-ts"), copy});
    QVERIFY2(lupdate.waitForFinished(60000), qPrintable(lupdate.errorString()));
    const QString output = QString::fromLocal8Bit(lupdate.readAll());
    QVERIFY2(lupdate.exitStatus() == QProcess::NormalExit && lupdate.exitCode() == 0,
             qPrintable(output));
    QString error;
    const QList<PluralMessage> messages = pluralMessages(copy, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    const QString wrong = problems(messages);
    QVERIFY2(wrong.isEmpty(),
             qPrintable(QStringLiteral("Give these their forms in "
                                       "resources/translations/weir_en.ts (build the target "
                                       "update_translations, then fill them in):\n")
                        + wrong));
}

QTEST_GUILESS_MAIN(TestTranslations)
#include "tst_translations.moc"
