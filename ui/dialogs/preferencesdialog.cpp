#include "preferencesdialog.h"

#include "connectionsession.h"
#include "formhint.h"
#include "historystore.h"
#include "serieshistory.h"
#include "sessionmanager.h"

#include <QDialogButtonBox>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QLockFile>
#include <QMessageBox>
#include <QPushButton>
#include <QSet>
#include <QSettings>
#include <QSpinBox>
#include <QThread>
#include <QTimer>
#include <QVBoxLayout>

#include <memory>

namespace {

constexpr qint64 MinuteMs = 60 * 1000;
constexpr qint64 DayMs = 24 * 3600 * 1000;
// The raw window is kept in memory for every charted series (4 bytes a tick): a day at
// 1 s is already 340 KiB a series. Below 10 minutes the raw tier would not fill one chunk.
constexpr int MinRawMinutes = 10;
constexpr int MaxRawMinutes = 24 * 60;
constexpr int MaxMinuteDays = 365;
constexpr int MaxHourDays = 10 * 365;

const QString RawKey = QStringLiteral("history/rawWindowMinutes");
const QString MinuteKey = QStringLiteral("history/minuteBucketDays");
const QString HourKey = QStringLiteral("history/hourBucketDays");

// Units without plurals: "7 d", "1 h", "90 min".
QString durationText(qint64 ms)
{
    if (ms % DayMs == 0)
        return PreferencesDialog::tr("%1 d").arg(ms / DayMs);
    if (ms % (60 * MinuteMs) == 0)
        return PreferencesDialog::tr("%1 h").arg(ms / (60 * MinuteMs));
    return PreferencesDialog::tr("%1 min").arg(ms / MinuteMs);
}

QString bytesText(qint64 bytes)
{
    return QLocale().formattedDataSize(bytes, 1, QLocale::DataSizeTraditionalFormat);
}

// A store's files, by the store they belong to (its path: "<dir>/<id>.sqlite"): the
// database, its WAL and shared memory, its lock.
QHash<QString, QFileInfoList> storeFiles(const QString &directory)
{
    QHash<QString, QFileInfoList> stores;
    const QFileInfoList files = QDir(directory).entryInfoList(
        {QStringLiteral("*.sqlite"), QStringLiteral("*.sqlite[-.]*")}, QDir::Files);
    for (const QFileInfo &file : files) {
        const QString path = file.absoluteFilePath();
        const qsizetype end = path.lastIndexOf(QLatin1String(".sqlite")) + 7;
        stores[path.left(end)].append(file);
    }
    return stores;
}

// What deleting the stores of closed connections came to.
struct Deletion
{
    QStringList inUse;  // stores another Weir records: left alone
    QStringList failed; // files that could not be removed
};

} // namespace

PreferencesDialog::PreferencesDialog(QSettings *settings, SessionManager *sessions,
                                     ConnectionSession *current, QWidget *parent)
    : QDialog(parent)
    , m_settings(settings)
    , m_sessions(sessions)
    , m_current(current)
    , m_rawMinutes(new QSpinBox(this))
    , m_minuteDays(new QSpinBox(this))
    , m_hourDays(new QSpinBox(this))
    , m_rawMemory(new QLabel(this))
    , m_hint(new QLabel(this))
    , m_directory(new QLabel(this))
    , m_size(new QLabel(this))
    , m_clearStatus(new QLabel(this))
    , m_clear(new QPushButton(tr("Clear history…"), this))
    , m_sizeTimer(new QTimer(this))
{
    setWindowTitle(tr("Preferences"));
    setObjectName(QStringLiteral("preferencesDialog"));

    // Wide ranges: a value out of bounds is typed, then refused with the reason, rather
    // than swallowed by the spin box.
    const auto spin = [](QSpinBox *box, const char *name) {
        box->setObjectName(QLatin1String(name));
        box->setRange(0, 99999);
        box->setAccelerated(true);
    };
    spin(m_rawMinutes, "rawWindowMinutes");
    spin(m_minuteDays, "minuteBucketDays");
    spin(m_hourDays, "hourBucketDays");
    m_rawMinutes->setToolTip(tr("Every tick's figures are kept this long, in memory and on "
                                "disk; the charts of this window show every sample"));
    m_minuteDays->setToolTip(tr("A bucket a minute (min, max, mean and last) is kept this long "
                                "on disk"));
    m_hourDays->setToolTip(tr("A bucket an hour (min, max, mean and last) is kept this long on "
                              "disk"));
    m_rawMemory->setObjectName(QStringLiteral("rawWindowMemory"));
    m_hint->setObjectName(QStringLiteral("preferencesHint"));
    m_hint->setWordWrap(true);
    m_directory->setObjectName(QStringLiteral("historyDirectory"));
    m_directory->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_directory->setWordWrap(true);
    m_size->setObjectName(QStringLiteral("historySize"));
    m_size->setWordWrap(true);
    m_clearStatus->setObjectName(QStringLiteral("clearStatus"));
    m_clearStatus->setWordWrap(true);
    m_clearStatus->hide();
    m_clear->setObjectName(QStringLiteral("clearHistory"));
    m_clear->setToolTip(tr("Forget the monitoring history of every connection, on disk and in "
                           "the open connections' charts"));

    auto *retentionBox = new QGroupBox(tr("Monitoring history kept"), this);
    auto *form = new QFormLayout(retentionBox);
    form->setFieldGrowthPolicy(QFormLayout::FieldsStayAtSizeHint);
    form->addRow(tr("&Every tick, for (minutes):"), m_rawMinutes);
    form->addRow(QString(), m_rawMemory);
    form->addRow(tr("&Minute buckets, for (days):"), m_minuteDays);
    form->addRow(tr("&Hour buckets, for (days):"), m_hourDays);

    auto *diskBox = new QGroupBox(tr("History on disk"), this);
    auto *disk = new QVBoxLayout(diskBox);
    disk->addWidget(m_directory);
    disk->addWidget(m_size);
    auto *clearRow = new QHBoxLayout;
    clearRow->addWidget(m_clear);
    clearRow->addStretch(1);
    disk->addLayout(clearRow);
    disk->addWidget(m_clearStatus);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_ok = buttons->button(QDialogButtonBox::Ok);
    m_ok->setObjectName(QStringLiteral("preferencesOk"));
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(retentionBox);
    layout->addWidget(m_hint);
    layout->addWidget(diskBox);
    layout->addStretch(1);
    layout->addWidget(buttons);
    setMinimumWidth(520);

    const HistoryRetention kept = m_sessions->historyRetention();
    m_rawMinutes->setValue(int(kept.rawMs / MinuteMs));
    m_minuteDays->setValue(int(kept.minuteMs / DayMs));
    m_hourDays->setValue(int(kept.hourMs / DayMs));

    connect(buttons, &QDialogButtonBox::accepted, this, &PreferencesDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    for (QSpinBox *box : {m_rawMinutes, m_minuteDays, m_hourDays}) {
        connect(box, &QSpinBox::valueChanged, this, [this] {
            m_touched = true;
            updateWidgets();
        });
    }
    connect(m_clear, &QPushButton::clicked, this, &PreferencesDialog::clearHistory);
    if (m_current && m_current->historyStore()) {
        connect(m_current->historyStore(), &HistoryStore::sizeKnown, this, [this](qint64 bytes) {
            m_currentBytes = bytes;
            showSize();
        });
    }
    // The stores grow while the dialog is open.
    m_sizeTimer->setInterval(5000);
    connect(m_sizeTimer, &QTimer::timeout, this, &PreferencesDialog::refreshSize);
    m_sizeTimer->start();

    const QString directory = m_sessions->historyDirectory();
    m_directory->setText(directory.isEmpty()
                             ? tr("Kept in memory only: Weir was given no place for it.")
                             : tr("In %1").arg(QDir::toNativeSeparators(directory)));
    m_clear->setEnabled(!directory.isEmpty());
    updateWidgets();
    refreshSize();
}

PreferencesDialog::~PreferencesDialog() = default;

HistoryRetention PreferencesDialog::loadRetention(const QSettings &settings)
{
    const HistoryRetention defaults;
    HistoryRetention kept;
    kept.rawMs = settings.value(RawKey, defaults.rawMs / MinuteMs).toLongLong() * MinuteMs;
    kept.minuteMs = settings.value(MinuteKey, defaults.minuteMs / DayMs).toLongLong() * DayMs;
    kept.hourMs = settings.value(HourKey, defaults.hourMs / DayMs).toLongLong() * DayMs;
    return retentionProblem(kept).isEmpty() ? kept : defaults;
}

void PreferencesDialog::saveRetention(QSettings &settings, const HistoryRetention &retention)
{
    settings.setValue(RawKey, retention.rawMs / MinuteMs);
    settings.setValue(MinuteKey, retention.minuteMs / DayMs);
    settings.setValue(HourKey, retention.hourMs / DayMs);
    settings.sync();
}

QString PreferencesDialog::retentionProblem(const HistoryRetention &retention)
{
    if (retention.rawMs < MinRawMinutes * MinuteMs)
        return tr("Keep every tick for at least %1: the charts of the recent past need it.")
            .arg(durationText(MinRawMinutes * MinuteMs));
    if (retention.rawMs > MaxRawMinutes * MinuteMs)
        return tr("Keep every tick for at most %1: every charted series keeps this window in "
                  "memory (%2 a series at a 1 s tick). Older figures are in the buckets.")
            .arg(durationText(MaxRawMinutes * MinuteMs),
                 bytesText(MaxRawMinutes * MinuteMs / 1000 * 4));
    if (retention.minuteMs <= 0)
        return tr("Keep minute buckets for at least %1.").arg(durationText(DayMs));
    if (retention.minuteMs <= retention.rawMs)
        return tr("Keep minute buckets longer than every tick (%1): they are what is left of "
                  "the ticks after that.")
            .arg(durationText(retention.rawMs));
    if (retention.minuteMs > MaxMinuteDays * DayMs)
        return tr("Keep minute buckets for at most %1; hour buckets keep what is older.")
            .arg(durationText(MaxMinuteDays * DayMs));
    if (retention.hourMs <= retention.minuteMs)
        return tr("Keep hour buckets longer than minute buckets (%1): they are what is left of "
                  "the minute buckets after that.")
            .arg(durationText(retention.minuteMs));
    if (retention.hourMs > MaxHourDays * DayMs)
        return tr("Keep hour buckets for at most %1.").arg(durationText(MaxHourDays * DayMs));
    return {};
}

HistoryRetention PreferencesDialog::retention() const
{
    HistoryRetention typed;
    typed.rawMs = m_rawMinutes->value() * MinuteMs;
    typed.minuteMs = m_minuteDays->value() * DayMs;
    typed.hourMs = m_hourDays->value() * DayMs;
    return typed;
}

QString PreferencesDialog::problem() const
{
    return retentionProblem(retention());
}

void PreferencesDialog::updateWidgets()
{
    const QString why = problem();
    showFormProblem(m_hint, why, m_touched);
    m_ok->setEnabled(why.isEmpty());
    const qint64 rawMs = retention().rawMs;
    m_rawMemory->setText(
        tr("In memory: %1 a charted series at a 1 s tick.").arg(bytesText(rawMs / 1000 * 4)));
}

void PreferencesDialog::accept()
{
    m_touched = true;
    updateWidgets();
    if (!problem().isEmpty())
        return;
    const HistoryRetention typed = retention();
    saveRetention(*m_settings, typed);
    m_sessions->setHistoryRetention(typed);
    QDialog::accept();
}

QString PreferencesDialog::sizeText() const
{
    return m_size->text();
}

void PreferencesDialog::refreshSize()
{
    const QString directory = m_sessions->historyDirectory();
    m_filesBytes = 0;
    if (!directory.isEmpty()) {
        const QHash<QString, QFileInfoList> stores = storeFiles(directory);
        for (const QFileInfoList &files : stores) {
            for (const QFileInfo &file : files)
                m_filesBytes += file.size();
        }
    }
    if (m_current && m_current->historyStore())
        m_current->historyStore()->requestSize();
    showSize();
}

void PreferencesDialog::showSize()
{
    if (m_sessions->historyDirectory().isEmpty()) {
        m_size->clear();
        return;
    }
    QString text = tr("Every connection's history: %1.").arg(bytesText(m_filesBytes));
    if (m_current && m_current->historyStore() && m_currentBytes >= 0)
        text += QLatin1Char(' ') + tr("%1: %2.").arg(m_current->name(), bytesText(m_currentBytes));
    m_size->setText(text);
}

void PreferencesDialog::clearHistory()
{
    if (m_clearsPending > 0 || m_confirm)
        return;
    refreshSize();
    m_confirm = new QMessageBox(QMessageBox::Warning, tr("Clear history"),
                                tr("Clear the monitoring history of every connection?"),
                                QMessageBox::NoButton, this);
    m_confirm->setObjectName(QStringLiteral("clearHistoryConfirm"));
    m_confirm->setAttribute(Qt::WA_DeleteOnClose);
    m_confirm->setInformativeText(
        tr("Weir forgets every sample and bucket it keeps on disk for every connection (%1, up "
           "to %2 back), and the charts of the open connections start again from now. This "
           "cannot be undone.")
            .arg(bytesText(m_filesBytes), durationText(retention().hourMs)));
    QPushButton *clear = m_confirm->addButton(tr("Clear history"), QMessageBox::DestructiveRole);
    clear->setObjectName(QStringLiteral("confirmClear"));
    m_confirm->setDefaultButton(m_confirm->addButton(QMessageBox::Cancel));
    connect(m_confirm, &QMessageBox::buttonClicked, this, [this, clear](QAbstractButton *button) {
        if (button == clear)
            startClearing();
    });
    m_confirm->open();
}

// The open stores clear themselves (on their writer threads); the stores of connections
// that are not open are deleted on a thread of their own. The lock a recording Weir holds
// on its store tells a store in use (by another Weir) from one that is not.
void PreferencesDialog::startClearing()
{
    m_clear->setEnabled(false);
    m_clearStatus->setText(tr("Clearing…"));
    m_clearStatus->show();
    m_leftToOthers.clear();
    m_failedDeletes.clear();
    m_clearsPending = 1; // the deletion thread
    QSet<QString> open;
    for (ConnectionSession *session : m_sessions->sessions()) {
        HistoryStore *store = session->historyStore();
        if (!store)
            continue;
        open.insert(QFileInfo(store->path()).absoluteFilePath());
        if (store->mode() == HistoryStore::Mode::ReadOnly) {
            m_leftToOthers.append(session->name()); // another Weir records it
            continue;
        }
        ++m_clearsPending;
        connect(store, &HistoryStore::cleared, this, &PreferencesDialog::clearingDone,
                Qt::SingleShotConnection);
        store->clear();
        session->history()->clear(); // the charts start again from now, as the user was told
    }
    QList<QPair<QString, QFileInfoList>> closed;
    const QHash<QString, QFileInfoList> stores = storeFiles(m_sessions->historyDirectory());
    for (auto it = stores.cbegin(); it != stores.cend(); ++it) {
        if (!open.contains(it.key()))
            closed.append({it.key(), it.value()});
    }
    auto result = std::make_shared<Deletion>();
    QThread *deleting = QThread::create([closed, result] {
        for (const auto &[path, files] : closed) {
            // As the store takes it: stale only when its process is gone.
            QLockFile lock(path + QStringLiteral(".lock"));
            lock.setStaleLockTime(0);
            if (!lock.tryLock(0)) {
                result->inUse.append(QFileInfo(path).fileName());
                continue;
            }
            for (const QFileInfo &file : files) {
                if (file.fileName().endsWith(QLatin1String(".lock")))
                    continue;
                if (!QFile::remove(file.absoluteFilePath()) && file.exists())
                    result->failed.append(file.fileName());
            }
        }
    });
    // Not the dialog's child: it may close before the deletion ends.
    connect(deleting, &QThread::finished, deleting, &QObject::deleteLater);
    connect(deleting, &QThread::finished, this, [this, result] {
        m_leftToOthers += result->inUse;
        m_failedDeletes += result->failed;
        clearingDone();
    });
    deleting->start();
}

void PreferencesDialog::clearingDone()
{
    if (--m_clearsPending > 0)
        return;
    m_clear->setEnabled(true);
    QStringList said{tr("History cleared.")};
    if (!m_leftToOthers.isEmpty())
        said << tr("Left alone, as another Weir records them: %1. Clear them from that Weir.")
                    .arg(m_leftToOthers.join(QStringLiteral(", ")));
    if (!m_failedDeletes.isEmpty())
        said << tr("Not deleted from %1: %2.")
                    .arg(QDir::toNativeSeparators(m_sessions->historyDirectory()),
                         m_failedDeletes.join(QStringLiteral(", ")));
    m_clearStatus->setText(said.join(QLatin1Char(' ')));
    m_currentBytes = -1;
    refreshSize();
    Q_EMIT historyCleared();
}
