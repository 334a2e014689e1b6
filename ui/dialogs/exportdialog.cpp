#include "exportdialog.h"

#include "bulkactiondialog.h"
#include "connectionsession.h"
#include "formhint.h"
#include "keyformat.h"
#include "palette.h"

#include <QComboBox>
#include <QDateTimeEdit>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QProgressBar>
#include <QPushButton>
#include <QStackedWidget>
#include <QStandardPaths>
#include <QVBoxLayout>

#include <climits>

namespace {
enum Scope { All, IdRange, TimeRange, Selected };

// A file name made of the key: what could trouble a file system becomes '_'.
QString defaultFileName(const QByteArray &key)
{
    QString name = QString::fromUtf8(key);
    for (QChar &c : name) {
        if (!c.isLetterOrNumber() && c != QLatin1Char('.') && c != QLatin1Char('-'))
            c = QLatin1Char('_');
    }
    return name + QDateTime::currentDateTime().toString(QStringLiteral("-yyyyMMdd-HHmmss"))
           + QStringLiteral(".jsonl");
}
} // namespace

ExportDialog::ExportDialog(ConnectionSession *session, const QByteArray &key, QWidget *parent)
    : QDialog(parent)
    , m_session(session)
    , m_key(key)
    , m_scope(new QComboBox(this))
    , m_rangeRows(new QStackedWidget(this))
    , m_fromId(new QLineEdit(this))
    , m_toId(new QLineEdit(this))
    , m_fromTime(new QDateTimeEdit(QDateTime::currentDateTime().addDays(-1), this))
    , m_toTime(new QDateTimeEdit(QDateTime::currentDateTime(), this))
    , m_path(new QLineEdit(this))
    , m_hint(new QLabel(this))
    , m_progress(new QProgressBar(this))
    , m_outcome(new QLabel(this))
    , m_exporter(new StreamExporter(this))
{
    setWindowTitle(tr("Export %1").arg(displayKey(key)));
    setMinimumWidth(600);
    m_scope->setObjectName(QStringLiteral("exportScope"));
    m_scope->addItem(tr("All entries"), All);
    m_scope->addItem(tr("An id range"), IdRange);
    m_scope->addItem(tr("A time range"), TimeRange);
    m_fromId->setObjectName(QStringLiteral("exportFromId"));
    m_fromId->setPlaceholderText(tr("- (the oldest), or an id"));
    m_toId->setObjectName(QStringLiteral("exportToId"));
    m_toId->setPlaceholderText(tr("+ (the newest), or an id"));
    for (QDateTimeEdit *edit : {m_fromTime, m_toTime}) {
        edit->setDisplayFormat(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
        edit->setCalendarPopup(true);
    }
    m_fromTime->setObjectName(QStringLiteral("exportFromTime"));
    m_toTime->setObjectName(QStringLiteral("exportToTime"));
    auto *idRow = new QWidget(this);
    auto *idLayout = new QHBoxLayout(idRow);
    idLayout->setContentsMargins(0, 0, 0, 0);
    idLayout->addWidget(m_fromId, 1);
    idLayout->addWidget(new QLabel(tr("to"), this));
    idLayout->addWidget(m_toId, 1);
    auto *timeRow = new QWidget(this);
    auto *timeLayout = new QHBoxLayout(timeRow);
    timeLayout->setContentsMargins(0, 0, 0, 0);
    timeLayout->addWidget(m_fromTime, 1);
    timeLayout->addWidget(new QLabel(tr("to"), this));
    timeLayout->addWidget(m_toTime, 1);
    m_rangeRows->addWidget(idRow);
    m_rangeRows->addWidget(timeRow);
    m_rangeRows->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Fixed);

    m_path->setObjectName(QStringLiteral("exportPath"));
    m_path->setPlaceholderText(tr("the file to write, e.g. backup.jsonl"));
    const QString documents = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    const QDir dir(!documents.isEmpty() && QFileInfo(documents).isDir() ? documents
                                                                        : QDir::homePath());
    m_path->setText(dir.filePath(defaultFileName(key)));
    auto *browse = new QPushButton(tr("&Browse…"), this);
    browse->setObjectName(QStringLiteral("exportBrowse"));
    auto *fileRow = new QHBoxLayout;
    fileRow->addWidget(m_path, 1);
    fileRow->addWidget(browse);

    m_hint->setObjectName(QStringLiteral("exportHint"));
    m_hint->setWordWrap(true);
    m_progress->setObjectName(QStringLiteral("exportProgress"));
    m_progress->hide();
    m_outcome->setObjectName(QStringLiteral("exportOutcome"));
    m_outcome->setWordWrap(true);
    m_outcome->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *form = new QFormLayout;
    auto *stream =
        new QLabel(QStringLiteral("<b>%1</b>").arg(displayKey(key).toHtmlEscaped()), this);
    stream->setTextInteractionFlags(Qt::TextSelectableByMouse);
    form->addRow(tr("Stream:"), stream);
    form->addRow(tr("&Entries:"), m_scope);
    form->addRow(QString(), m_rangeRows);
    auto *fileLabel = new QLabel(tr("&File:"), this);
    fileLabel->setBuddy(m_path);
    form->addRow(fileLabel, fileRow);
    auto *format = new QLabel(tr("JSON Lines: one entry a line, its id and its fields in order; "
                                 "values that are not UTF-8 text as base64."),
                              this);
    format->setWordWrap(true);
    format->setEnabled(false); // secondary text
    form->addRow(QString(), format);

    auto *buttons = new QDialogButtonBox(this);
    m_export = buttons->addButton(tr("E&xport"), QDialogButtonBox::AcceptRole);
    m_export->setObjectName(QStringLiteral("exportOk"));
    m_export->setDefault(true);
    m_close = buttons->addButton(QDialogButtonBox::Close);
    m_close->setObjectName(QStringLiteral("exportClose"));
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_hint);
    layout->addWidget(m_progress);
    layout->addWidget(m_outcome);
    layout->addStretch(1);
    layout->addWidget(buttons);

    connect(m_export, &QPushButton::clicked, this, &ExportDialog::startExport);
    connect(m_close, &QPushButton::clicked, this, &ExportDialog::reject);
    connect(browse, &QPushButton::clicked, this, [this] {
        const QString chosen =
            QFileDialog::getSaveFileName(this, tr("Export to"), m_path->text(),
                                         tr("JSON Lines (*.jsonl *.ndjson);;All files (*)"));
        if (!chosen.isEmpty())
            m_path->setText(chosen);
    });
    connect(m_scope, &QComboBox::currentIndexChanged, this, [this, form] {
        const int scope = m_scope->currentData().toInt();
        m_rangeRows->setCurrentIndex(scope == TimeRange ? 1 : 0);
        form->setRowVisible(m_rangeRows, scope == IdRange || scope == TimeRange);
        validate();
    });
    for (QLineEdit *edit : {m_fromId, m_toId, m_path}) {
        connect(edit, &QLineEdit::textEdited, this, [this] { m_touched = true; });
        // Enter with Export disabled is trying to go on: say what is missing as an error.
        connect(edit, &QLineEdit::returnPressed, this, [this] {
            m_touched = true;
            validate();
        });
        connect(edit, &QLineEdit::textChanged, this, &ExportDialog::validate);
    }
    for (QDateTimeEdit *edit : {m_fromTime, m_toTime})
        connect(edit, &QDateTimeEdit::dateTimeChanged, this, &ExportDialog::validate);
    connect(m_exporter, &StreamExporter::progress, this, [this](qint64 written, qint64 total) {
        const QLocale locale;
        if (total > 0) {
            m_progress->setRange(0, 1000);
            m_progress->setValue(int(1000 * qMin(written, total) / total));
        }
        const auto count = [](qint64 n) { return int(qMin<qint64>(n, INT_MAX)); };
        m_outcome->setText(total > 0 ? tr("%1 of %Ln entries written…", nullptr, count(total))
                                           .arg(locale.toString(written))
                                     : tr("%Ln entries written…", nullptr, count(written)));
    });
    connect(m_exporter, &StreamExporter::finished, this, &ExportDialog::showResult);
    form->setRowVisible(m_rangeRows, false);
    validate();
}

void ExportDialog::setSelectedIds(const QList<QByteArray> &ids, bool choose)
{
    m_selectedIds = ids;
    const int index = m_scope->findData(Selected);
    const QString text = ids.size() == 1 ? tr("The selected entry")
                                         : tr("The %Ln selected entries", nullptr, int(ids.size()));
    if (ids.isEmpty()) {
        if (index >= 0)
            m_scope->removeItem(index);
    } else if (index >= 0) {
        m_scope->setItemText(index, text);
    } else {
        m_scope->addItem(text, Selected);
    }
    if (choose && !ids.isEmpty())
        m_scope->setCurrentIndex(m_scope->findData(Selected));
    validate();
}

void ExportDialog::setSelection(const StreamExport::Selection &selection)
{
    if (selection.isIds()) {
        setSelectedIds(selection.ids, true);
        return;
    }
    const bool all = selection.start == "-" && selection.end == "+";
    m_fromId->setText(selection.start == "-" ? QString() : QString::fromLatin1(selection.start));
    m_toId->setText(selection.end == "+" ? QString() : QString::fromLatin1(selection.end));
    m_scope->setCurrentIndex(m_scope->findData(all ? All : IdRange));
}

void ExportDialog::setPath(const QString &path)
{
    m_path->setText(path);
}

QString ExportDialog::path() const
{
    return m_path->text().trimmed();
}

StreamExport::Selection ExportDialog::selection() const
{
    StreamExport::Selection s;
    s.key = m_key;
    switch (m_scope->currentData().toInt()) {
    case IdRange: {
        const QByteArray from = m_fromId->text().trimmed().toLatin1();
        const QByteArray to = m_toId->text().trimmed().toLatin1();
        s.start = from.isEmpty() ? QByteArray("-") : from;
        s.end = to.isEmpty() ? QByteArray("+") : to;
        break;
    }
    case TimeRange:
        // Whole seconds are shown: the end takes in every millisecond of its second.
        s.start = QByteArray::number(m_fromTime->dateTime().toMSecsSinceEpoch());
        s.end = QByteArray::number(m_toTime->dateTime().toMSecsSinceEpoch() + 999);
        break;
    case Selected:
        s.ids = m_selectedIds;
        break;
    }
    return s;
}

QString ExportDialog::problem() const
{
    const StreamExport::Selection s = selection();
    if (m_scope->currentData().toInt() == TimeRange) {
        if (m_toTime->dateTime() < m_fromTime->dateTime())
            return tr("The time range ends before it starts.");
        if (m_fromTime->dateTime().toMSecsSinceEpoch() < 0)
            return tr("Entry times start at 1970-01-01 00:00 UTC.");
    }
    QString why = StreamExport::validate(s);
    if (!why.isEmpty())
        return why;
    const QString file = path();
    if (file.isEmpty())
        return tr("Name the file to write.");
    const QFileInfo info(file);
    if (info.isDir())
        return tr("%1 is a folder: name a file in it.").arg(QDir::toNativeSeparators(file));
    if (!info.absoluteDir().exists())
        return tr("The folder %1 does not exist.")
            .arg(QDir::toNativeSeparators(info.absolutePath()));
    return {};
}

bool ExportDialog::isRunning() const
{
    return m_exporter->isRunning();
}

// The height the content needs at the present width: rows and hints come and go, and a
// wrapped label squeezed below its height would be cut.
void ExportDialog::fitHeight()
{
    layout()->activate();
    resize(width(), layout()->hasHeightForWidth() ? layout()->totalHeightForWidth(width())
                                                  : sizeHint().height());
}

void ExportDialog::validate()
{
    const QString why = problem();
    showFormProblem(m_hint, why, m_touched);
    m_export->setEnabled(why.isEmpty() && !m_exporter->isRunning());
    fitHeight();
}

void ExportDialog::startExport()
{
    if (!problem().isEmpty() || m_exporter->isRunning())
        return;
    m_progress->setRange(0, 0); // busy until the total is known
    m_progress->show();
    m_outcome->setText(tr("Exporting…"));
    m_close->setText(tr("Cancel"));
    m_exporter->start(m_session->connection(), selection(), path());
    validate();
}

void ExportDialog::showResult(const StreamExporter::Result &r)
{
    const QLocale locale;
    m_progress->hide();
    m_close->setText(tr("Close"));
    QString text;
    if (r.cancelled) {
        text = tr("Cancelled: nothing was written to %1.").arg(r.path.toHtmlEscaped());
    } else if (!r.error.isEmpty()) {
        text = tr("<b>Not exported</b>: nothing was written.") + QStringLiteral("<br>")
               + statusHtml(Status::Error, errorWithHintHtml(r.error));
    } else {
        text = tr("<b>Exported %Ln entries</b> to %1 (%2).", nullptr,
                  int(qMin<qint64>(r.entries, INT_MAX)))
                   .arg(QDir::toNativeSeparators(r.path).toHtmlEscaped(),
                        locale.formattedDataSize(r.bytes));
        if (r.missing > 0)
            text += QStringLiteral("<br>")
                    + tr("%Ln of the chosen entries are no longer in the stream.", nullptr,
                         int(qMin<qint64>(r.missing, INT_MAX)));
    }
    m_outcome->setText(text);
    validate();
    Q_EMIT exported(r);
}

void ExportDialog::reject()
{
    if (m_exporter->isRunning()) {
        m_exporter->cancel();
        return;
    }
    QDialog::reject();
}
