#include "importdialog.h"

#include "bulkactiondialog.h"
#include "connectionsession.h"
#include "errorhint.h"
#include "formhint.h"
#include "keyformat.h"
#include "pendingactions.h"

#include <climits>

#include <QButtonGroup>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QRadioButton>
#include <QTimer>
#include <QVBoxLayout>

namespace {
// The first `count` entries of an export file, for the confirmation.
QList<StreamEntry> firstEntries(const QString &path, int count)
{
    QList<StreamEntry> entries;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return entries;
    while (entries.size() < count && !file.atEnd()) {
        const QByteArray line = file.readLine().trimmed();
        StreamEntry entry;
        if (!line.isEmpty() && StreamExport::decodeLine(line, &entry).isEmpty())
            entries.append(entry);
    }
    return entries;
}
} // namespace

ImportDialog::ImportDialog(ConnectionSession *session, const QByteArray &key, QWidget *parent)
    : QDialog(parent)
    , m_session(session)
    , m_path(new QLineEdit(this))
    , m_stream(new QLineEdit(QString::fromUtf8(key), this))
    , m_newIds(new QRadioButton(tr("&New ids: Redis gives each entry an id of now (*)"), this))
    , m_originalIds(new QRadioButton(tr("The file's &ids: only if they are greater than the "
                                        "stream's last id"),
                                     this))
    , m_fileSummary(new QLabel(this))
    , m_hint(new QLabel(this))
    , m_scanner(new StreamFileScanner(this))
    , m_scanLater(new QTimer(this))
    , m_readLater(new QTimer(this))
{
    setWindowTitle(tr("Import into a stream"));
    setMinimumWidth(600);
    m_path->setObjectName(QStringLiteral("importPath"));
    m_path->setPlaceholderText(tr("a JSON Lines file exported by Weir"));
    auto *browse = new QPushButton(tr("&Browse…"), this);
    browse->setObjectName(QStringLiteral("importBrowse"));
    auto *fileRow = new QHBoxLayout;
    fileRow->addWidget(m_path, 1);
    fileRow->addWidget(browse);
    m_stream->setObjectName(QStringLiteral("importStream"));
    m_stream->setPlaceholderText(tr("an existing stream, or a new name"));
    m_newIds->setObjectName(QStringLiteral("importNewIds"));
    m_originalIds->setObjectName(QStringLiteral("importOriginalIds"));
    m_newIds->setChecked(true);
    auto *ids = new QButtonGroup(this);
    ids->addButton(m_newIds);
    ids->addButton(m_originalIds);
    auto *idRows = new QVBoxLayout;
    idRows->addWidget(m_newIds);
    idRows->addWidget(m_originalIds);
    m_fileSummary->setObjectName(QStringLiteral("importFileSummary"));
    m_fileSummary->setWordWrap(true);
    m_hint->setObjectName(QStringLiteral("importHint"));
    m_hint->setWordWrap(true);
    m_hint->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_scanLater->setSingleShot(true);
    m_scanLater->setInterval(250);
    m_readLater->setSingleShot(true);
    m_readLater->setInterval(250);

    auto *form = new QFormLayout;
    auto *fileLabel = new QLabel(tr("&File:"), this);
    fileLabel->setBuddy(m_path);
    form->addRow(fileLabel, fileRow);
    form->addRow(QString(), m_fileSummary);
    form->addRow(tr("&Stream:"), m_stream);
    form->addRow(tr("Ids:"), idRows);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    m_review = buttons->addButton(tr("&Review…"), QDialogButtonBox::AcceptRole);
    m_review->setObjectName(QStringLiteral("importOk"));
    m_review->setDefault(true);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_hint);
    layout->addStretch(1);
    layout->addWidget(buttons);

    connect(buttons, &QDialogButtonBox::accepted, this, &ImportDialog::review);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(browse, &QPushButton::clicked, this, [this] {
        const QString chosen =
            QFileDialog::getOpenFileName(this, tr("Import from"), m_path->text(),
                                         tr("JSON Lines (*.jsonl *.ndjson);;All files (*)"));
        if (!chosen.isEmpty())
            m_path->setText(chosen);
    });
    for (QLineEdit *edit : {m_path, m_stream}) {
        connect(edit, &QLineEdit::textEdited, this, [this] { m_touched = true; });
        // Enter with Review disabled is trying to go on: say what is missing as an error.
        connect(edit, &QLineEdit::returnPressed, this, [this] {
            m_touched = true;
            validate();
        });
    }
    connect(m_path, &QLineEdit::textChanged, this, &ImportDialog::fileChanged);
    connect(m_stream, &QLineEdit::textChanged, this, &ImportDialog::targetChanged);
    connect(m_originalIds, &QRadioButton::toggled, this, &ImportDialog::targetChanged);
    connect(m_scanLater, &QTimer::timeout, this, [this] {
        m_fileSummary->setText(tr("Reading the file…"));
        m_scanner->start(options().path);
    });
    connect(m_scanner, &StreamFileScanner::finished, this,
            [this](const StreamFileScanner::Summary &s) {
        m_summary = s;
        const QLocale locale;
        m_fileSummary->setText(
            s.ok() ? (s.entries == 1 ? tr("1 entry, id %1.").arg(s.firstId->toString())
                                     : tr("%Ln entries, ids %1 … %2.", nullptr,
                                          int(qMin<qint64>(s.entries, INT_MAX)))
                                           .arg(s.firstId->toString(), s.lastId->toString()))
                   : QString());
        validate();
    });
    connect(m_readLater, &QTimer::timeout, this, [this] {
        delete m_lastIdRead; // drops the read under way
        m_lastIdRead = new QObject(this);
        const QByteArray stream = options().key;
        StreamExport::readLastId(
            m_session->connection(), stream, m_lastIdRead,
            [this, stream](std::optional<StreamId> last, const QString &error) {
            m_lastIdRead->deleteLater();
            m_lastIdRead = nullptr;
            m_lastIdKey = stream;
            m_lastId = last;
            m_lastIdError = error;
            validate();
            });
    });
    validate();
}

void ImportDialog::setPath(const QString &path)
{
    m_path->setText(path);
}

StreamImporter::Options ImportDialog::options() const
{
    StreamImporter::Options o;
    o.path = m_path->text().trimmed();
    o.key = m_stream->text().toUtf8();
    o.originalIds = m_originalIds->isChecked();
    return o;
}

void ImportDialog::fileChanged()
{
    m_scanner->cancel();
    m_summary.reset();
    m_fileSummary->clear();
    if (options().path.isEmpty())
        m_scanLater->stop();
    else
        m_scanLater->start();
    validate();
}

// With the file's ids, the stream's last id decides: it is read again for each stream named.
void ImportDialog::targetChanged()
{
    m_lastIdKey.clear();
    m_lastId.reset();
    m_lastIdError.clear();
    delete m_lastIdRead;
    m_lastIdRead = nullptr;
    if (options().originalIds && !options().key.isEmpty())
        m_readLater->start();
    else
        m_readLater->stop();
    validate();
}

QString ImportDialog::problem() const
{
    const StreamImporter::Options o = options();
    if (o.path.isEmpty())
        return tr("Name the file to import.");
    if (!QFileInfo::exists(o.path))
        return tr("There is no file %1.").arg(QDir::toNativeSeparators(o.path));
    if (!m_summary)
        return tr("Reading the file…");
    if (!m_summary->ok())
        return m_summary->error;
    if (o.key.isEmpty())
        return tr("Name the stream to import into.");
    if (!o.originalIds)
        return {};
    if (m_summary->unorderedLine > 0)
        return tr("Line %1: its id is not greater than the one before it, so the file's ids "
                  "cannot all go in. Import with new ids.")
            .arg(m_summary->unorderedLine);
    if (m_lastIdKey != o.key || (!m_lastId && m_lastIdError.isEmpty()))
        return tr("Reading the last id of %1…").arg(displayKey(o.key));
    if (!m_lastId) {
        const QString hint = errorHint(m_lastIdError);
        return tr("Cannot read the last id of %1: %2").arg(displayKey(o.key), m_lastIdError)
               + (hint.isEmpty() ? QString() : QLatin1Char('\n') + hint);
    }
    if (!(*m_lastId < *m_summary->firstId))
        return tr("The file's first id, %1, is not greater than the last id of %2, %3: Redis "
                  "only adds entries with greater ids. Import with new ids, or into another "
                  "stream.")
            .arg(m_summary->firstId->toString(), displayKey(o.key), m_lastId->toString());
    return {};
}

// The height the content needs at the present width: rows and hints come and go, and a
// wrapped label squeezed below its height would be cut.
void ImportDialog::fitHeight()
{
    layout()->activate();
    resize(width(), layout()->hasHeightForWidth() ? layout()->totalHeightForWidth(width())
                                                  : sizeHint().height());
}

void ImportDialog::validate()
{
    const QString why = problem();
    showFormProblem(m_hint, why, m_touched);
    m_review->setEnabled(why.isEmpty());
    fitHeight();
}

void ImportDialog::review()
{
    if (!problem().isEmpty())
        return;
    const StreamImporter::Options o = options();
    const qint64 total = m_summary->entries;
    const QLocale locale;
    const QString stream = displayKey(o.key).toHtmlEscaped();
    auto *dialog = new BulkActionDialog(m_session, tr("Import"), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setObjectName(QStringLiteral("importRun"));
    auto *importer = new StreamImporter(dialog);
    connect(dialog, &BulkActionDialog::cancelRequested, importer, &StreamImporter::cancel);
    connect(importer, &StreamImporter::progress, dialog, [dialog, total, locale](qint64 added) {
        dialog->setProgressText(
            tr("%1 of %2 entries added").arg(locale.toString(added), locale.toString(total)));
    });
    connect(importer, &StreamImporter::finished, dialog,
            [this, dialog, o, stream](const StreamImporter::Result &r) {
        QStringList lines;
        lines << tr("<b>Imported %Ln entries</b> into <b>%1</b>", nullptr,
                    int(qMin<qint64>(r.added, INT_MAX)))
                         .arg(stream)
                     + (r.added > 0 ? tr(", ids %1 … %2.")
                                          .arg(QString::fromLatin1(r.firstId),
                                               QString::fromLatin1(r.lastId))
                                    : QStringLiteral("."));
        if (r.notAdded > 0)
            lines << tr("Not imported: %Ln entries%1.", nullptr,
                        int(qMin<qint64>(r.notAdded, INT_MAX)))
                         .arg(r.cancelled ? tr(", cancelled before they were sent") : QString());
        if (r.unknown > 0)
            lines << tr("Unknown: %Ln entries were sent when the connection failed; look at the "
                        "stream before importing again.",
                        nullptr, int(qMin<qint64>(r.unknown, INT_MAX)));
        dialog->showOutcome(lines.join(QStringLiteral("<br>")), r.error);
        if (r.added > 0 || r.unknown > 0)
            Q_EMIT imported(o.key);
        targetChanged(); // the stream's last id has moved
    });

    QList<BulkRunner::Chunk> shown;
    for (const StreamEntry &e : firstEntries(o.path, BulkActionDialog::ShownCommands - 1))
        shown.append(BulkRunner::Chunk{{StreamImporter::command(o.key, e, o.originalIds)}, {}});
    QStringList commands =
        PendingActions::redisCliLines(shown, int(shown.size()), BulkActionDialog::ShownArguments);
    if (total > shown.size())
        commands << tr("… and %1 more").arg(locale.toString(total - shown.size()));
    const QString what =
        tr("Add %Ln entries from %1 to <b>%2</b>, %3.", nullptr, int(qMin<qint64>(total, INT_MAX)))
            .arg(QDir::toNativeSeparators(QFileInfo(o.path).fileName()).toHtmlEscaped(), stream,
                 o.originalIds ? tr("with the file's ids") : tr("with new ids"));
    const QString note = tr("One XADD a line, %1 in all, in MULTI/EXEC chunks of %2 (each chunk "
                            "goes in whole or not at all), up to %3 chunks at once. A chunk that "
                            "fails stops the import.")
                             .arg(locale.toString(total))
                             .arg(o.perChunk)
                             .arg(o.window);
    dialog->open();
    dialog->confirmLoop(what, tr("Import %Ln entries", nullptr, int(qMin<qint64>(total, INT_MAX))),
                        commands.join(QLatin1Char('\n')), note,
                        [this, importer, o] { importer->start(m_session->connection(), o); });
}
