#include "connectiondialog.h"
#include "formhint.h"
#include "ui_connectiondialog.h"

#include "connectionprobe.h"
#include "errorhint.h"
#include "palette.h"

#include <QFileDialog>
#include <QPushButton>
#include <QRegularExpression>
#include <QUuid>

ConnectionDialog::ConnectionDialog(ConnectionProbe *probe, QWidget *parent)
    : QDialog(parent)
    , m_ui(std::make_unique<Ui::ConnectionDialog>())
    , m_probe(probe)
{
    m_ui->setupUi(this);
    setWindowTitle(tr("New connection"));
    QPalette warning = m_ui->verifyWarning->palette();
    warning.setColor(QPalette::WindowText, statusColor(Status::Warning, warning));
    m_ui->verifyWarning->setPalette(warning);

    // A test result speaks of the options it was run with: any change withdraws it.
    const auto changed = [this] {
        if (isVisible())
            m_touched = true;
        if (m_probe && m_probe->isRunning())
            m_probe->cancel();
        m_ui->testResult->clear();
        updateWidgets();
    };
    for (QLineEdit *e :
         {m_ui->nameEdit, m_ui->hostEdit, m_ui->socketEdit, m_ui->sentinelsEdit,
          m_ui->masterNameEdit, m_ui->sentinelUsernameEdit, m_ui->sentinelPasswordEdit,
          m_ui->usernameEdit, m_ui->passwordEdit, m_ui->caEdit, m_ui->certEdit, m_ui->keyEdit,
          m_ui->sniEdit, m_ui->urlEdit}) {
        if (e != m_ui->urlEdit)
            connect(e, &QLineEdit::textChanged, this, changed);
        // Enter with OK disabled is trying to go on: say what is missing as an error.
        connect(e, &QLineEdit::returnPressed, this, [this] {
            m_touched = true;
            updateWidgets();
        });
    }
    for (QSpinBox *s :
         {m_ui->portSpin, m_ui->databaseSpin, m_ui->connectTimeoutSpin, m_ui->commandTimeoutSpin})
        connect(s, &QSpinBox::valueChanged, this, changed);
    for (QAbstractButton *b : std::initializer_list<QAbstractButton *>{
             m_ui->tcpRadio, m_ui->unixRadio, m_ui->sentinelRadio, m_ui->verifyCheck,
             m_ui->readOnlyCheck, m_ui->rememberCheck})
        connect(b, &QAbstractButton::toggled, this, changed);
    connect(m_ui->tlsGroup, &QGroupBox::toggled, this, changed);
    connect(m_ui->urlEdit, &QLineEdit::textChanged, this, &ConnectionDialog::applyUrl);

    connect(m_ui->socketBrowse, &QToolButton::clicked, this,
            [this] { browse(m_ui->socketEdit, tr("Redis unix socket"), {}); });
    const QString pem = tr("PEM files (*.pem *.crt *.cert *.key);;All files (*)");
    connect(m_ui->caBrowse, &QToolButton::clicked, this,
            [this, pem] { browse(m_ui->caEdit, tr("CA certificate"), pem); });
    connect(m_ui->certBrowse, &QToolButton::clicked, this,
            [this, pem] { browse(m_ui->certEdit, tr("Client certificate"), pem); });
    connect(m_ui->keyBrowse, &QToolButton::clicked, this,
            [this, pem] { browse(m_ui->keyEdit, tr("Client private key"), pem); });

    connect(m_ui->testButton, &QPushButton::clicked, this, &ConnectionDialog::testConnection);
    if (m_probe)
        connect(m_probe, &ConnectionProbe::finished, this, &ConnectionDialog::showTestResult);
    else
        m_ui->testButton->hide();
    connect(m_ui->buttonBox, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_ui->buttonBox, &QDialogButtonBox::rejected, this, &QDialog::reject);
    updateWidgets();
}

ConnectionDialog::~ConnectionDialog()
{
    if (m_probe)
        m_probe->cancel();
}

void ConnectionDialog::setProfile(const ConnectionProfile &profile, const QString &password,
                                  const QString &sentinelPassword)
{
    setWindowTitle(tr("Edit connection"));
    m_profileId = profile.id;
    const ConnectionOptions &o = profile.options;
    m_ui->nameEdit->setText(o.name);
    kindRadio(o)->setChecked(true);
    m_ui->hostEdit->setText(o.host);
    m_ui->portSpin->setValue(o.port);
    m_ui->socketEdit->setText(o.socketPath);
    m_ui->sentinelsEdit->setText(o.sentinels.join(QLatin1String(", ")));
    m_ui->masterNameEdit->setText(o.masterName);
    m_ui->sentinelUsernameEdit->setText(o.sentinelUsername);
    m_ui->sentinelPasswordEdit->setText(sentinelPassword);
    m_ui->usernameEdit->setText(o.username);
    m_ui->passwordEdit->setText(password);
    m_ui->rememberCheck->setChecked(profile.passwordInKeychain || profile.sentinelPasswordInKeychain
                                    || !(profile.askPassword || profile.askSentinelPassword));
    m_ui->databaseSpin->setValue(o.database);
    m_ui->tlsGroup->setChecked(o.tls);
    m_ui->caEdit->setText(o.caFile);
    m_ui->certEdit->setText(o.certFile);
    m_ui->keyEdit->setText(o.keyFile);
    m_ui->sniEdit->setText(o.sniName);
    m_ui->verifyCheck->setChecked(o.verifyPeer);
    m_ui->connectTimeoutSpin->setValue(o.connectTimeoutMs);
    m_ui->commandTimeoutSpin->setValue(o.commandTimeoutMs);
    m_ui->readOnlyCheck->setChecked(o.readOnly);
    updateWidgets();
}

ConnectionOptions ConnectionDialog::options() const
{
    ConnectionOptions o;
    o.name = m_ui->nameEdit->text().trimmed();
    o.transport = m_ui->unixRadio->isChecked() ? ConnectionOptions::Transport::Unix
                                               : ConnectionOptions::Transport::Tcp;
    o.host = m_ui->hostEdit->text().trimmed();
    o.port = quint16(m_ui->portSpin->value());
    o.socketPath = m_ui->socketEdit->text().trimmed();
    if (m_ui->sentinelRadio->isChecked()) {
        // Commas or blanks between them; a trailing comma is no sentinel.
        static const QRegularExpression separators(QStringLiteral("[,\\s]+"));
        o.sentinels = m_ui->sentinelsEdit->text().split(separators, Qt::SkipEmptyParts);
        o.masterName = m_ui->masterNameEdit->text().trimmed();
        o.sentinelUsername = m_ui->sentinelUsernameEdit->text();
        o.sentinelPassword = m_ui->sentinelPasswordEdit->text();
    }
    o.username = m_ui->usernameEdit->text();
    o.password = m_ui->passwordEdit->text();
    o.database = m_ui->databaseSpin->value();
    o.tls = m_ui->tlsGroup->isChecked() && o.transport == ConnectionOptions::Transport::Tcp;
    o.caFile = m_ui->caEdit->text().trimmed();
    o.certFile = m_ui->certEdit->text().trimmed();
    o.keyFile = m_ui->keyEdit->text().trimmed();
    o.sniName = m_ui->sniEdit->text().trimmed();
    o.verifyPeer = m_ui->verifyCheck->isChecked();
    o.connectTimeoutMs = m_ui->connectTimeoutSpin->value();
    o.commandTimeoutMs = m_ui->commandTimeoutSpin->value();
    o.readOnly = m_ui->readOnlyCheck->isChecked();
    return o;
}

ConnectionProfile ConnectionDialog::profile() const
{
    ConnectionProfile p;
    p.id = m_profileId.isEmpty() ? QUuid::createUuid().toString(QUuid::WithoutBraces) : m_profileId;
    p.options = options();
    p.options.password.clear();
    p.options.sentinelPassword.clear();
    const bool hasPassword = !password().isEmpty();
    p.passwordInKeychain = hasPassword && rememberPassword();
    p.askPassword = hasPassword && !rememberPassword();
    const bool hasSentinelPassword = !sentinelPassword().isEmpty();
    p.sentinelPasswordInKeychain = hasSentinelPassword && rememberPassword();
    p.askSentinelPassword = hasSentinelPassword && !rememberPassword();
    return p;
}

QString ConnectionDialog::password() const
{
    return m_ui->passwordEdit->text();
}

QString ConnectionDialog::sentinelPassword() const
{
    return m_ui->sentinelRadio->isChecked() ? m_ui->sentinelPasswordEdit->text() : QString();
}

QRadioButton *ConnectionDialog::kindRadio(const ConnectionOptions &o) const
{
    if (o.usesSentinel())
        return m_ui->sentinelRadio;
    return o.transport == ConnectionOptions::Transport::Unix ? m_ui->unixRadio : m_ui->tcpRadio;
}

bool ConnectionDialog::rememberPassword() const
{
    return m_ui->rememberCheck->isChecked() && m_ui->rememberCheck->isEnabled();
}

void ConnectionDialog::setKeychainNote(const QString &note)
{
    m_ui->rememberCheck->setEnabled(note.isEmpty());
    m_ui->rememberCheck->setToolTip(note);
    if (!note.isEmpty()) {
        m_ui->rememberCheck->setChecked(false);
        m_ui->rememberCheck->setText(tr("No keychain: %1 Passwords are asked for on "
                                        "connect and never saved.")
                                         .arg(note));
    }
}

void ConnectionDialog::applyUrl()
{
    if (isVisible())
        m_touched = true;
    const QString url = m_ui->urlEdit->text().trimmed();
    if (url.isEmpty()) {
        m_urlError.clear();
        m_ui->urlEdit->setToolTip({});
        updateWidgets();
        return;
    }
    ConnectionOptions parsed;
    QString error;
    if (!ConnectionOptions::fromUrl(url, &parsed, &error, options())) {
        // The fields keep their values; updateWidgets() shows why and disables OK.
        m_urlError = error;
        m_ui->urlEdit->setToolTip(error);
        updateWidgets();
        return;
    }
    m_urlError.clear();
    m_ui->urlEdit->setToolTip({});
    kindRadio(parsed)->setChecked(true);
    if (parsed.usesSentinel()) {
        m_ui->sentinelsEdit->setText(parsed.sentinels.join(QLatin1String(", ")));
        m_ui->masterNameEdit->setText(parsed.masterName);
        m_ui->sentinelUsernameEdit->setText(parsed.sentinelUsername);
        if (!parsed.sentinelPassword.isEmpty())
            m_ui->sentinelPasswordEdit->setText(parsed.sentinelPassword);
        m_ui->tlsGroup->setChecked(parsed.tls);
    } else if (parsed.transport == ConnectionOptions::Transport::Tcp) {
        m_ui->hostEdit->setText(parsed.host);
        m_ui->portSpin->setValue(parsed.port);
        m_ui->tlsGroup->setChecked(parsed.tls);
    } else {
        m_ui->socketEdit->setText(parsed.socketPath);
    }
    m_ui->usernameEdit->setText(parsed.username);
    if (!parsed.password.isEmpty())
        m_ui->passwordEdit->setText(parsed.password);
    m_ui->databaseSpin->setValue(parsed.database);
    updateWidgets();
}

void ConnectionDialog::updateWidgets()
{
    const bool viaSocket = m_ui->unixRadio->isChecked();
    const bool viaSentinels = m_ui->sentinelRadio->isChecked();
    for (QWidget *w : std::initializer_list<QWidget *>{m_ui->hostLabel, m_ui->hostEdit,
                                                       m_ui->portLabel, m_ui->portSpin})
        w->setEnabled(!viaSocket);
    for (QWidget *w :
         std::initializer_list<QWidget *>{m_ui->socketLabel, m_ui->socketEdit, m_ui->socketBrowse})
        w->setEnabled(viaSocket);
    // Through sentinels, the master's address is theirs to say: the rows of the other two
    // ways to connect give way to the sentinels' own.
    for (QLayout *row : std::initializer_list<QLayout *>{m_ui->hostRow, m_ui->socketEditRow})
        m_ui->generalForm->setRowVisible(row, !viaSentinels);
    for (QWidget *row :
         std::initializer_list<QWidget *>{m_ui->sentinelsEdit, m_ui->masterNameEdit,
                                          m_ui->sentinelUsernameEdit, m_ui->sentinelPasswordEdit})
        m_ui->generalForm->setRowVisible(row, viaSentinels);
    m_ui->tlsGroup->setEnabled(!viaSocket);
    m_ui->verifyWarning->setVisible(m_ui->tlsGroup->isChecked() && !m_ui->verifyCheck->isChecked());

    const ConnectionOptions o = options();
    // An invalid URL first: it is what the user is typing, and it filled no field.
    QString why = m_urlError.isEmpty() ? optionsProblem(o) : tr("URL: %1").arg(m_urlError);
    if (why.isEmpty() && o.name.isEmpty())
        why = tr("Give the connection a name.");
    showFormProblem(m_ui->hintLabel, why, m_touched);
    m_ui->buttonBox->button(QDialogButtonBox::Ok)->setEnabled(why.isEmpty());
    m_ui->testButton->setEnabled(optionsProblem(o).isEmpty());
}

QString ConnectionDialog::optionsProblem(const ConnectionOptions &o) const
{
    if (m_ui->sentinelRadio->isChecked() && o.sentinels.isEmpty())
        return tr("Enter the sentinels to ask, as host:port, separated by commas.");
    return o.validate();
}

void ConnectionDialog::testConnection()
{
    m_ui->testResult->setText(tr("Connecting to %1…").arg(options().endpoint()));
    m_ui->testButton->setEnabled(false);
    m_probe->test(options());
}

void ConnectionDialog::showTestResult(bool ok, const ServerInfo &info, const QString &error)
{
    m_ui->testButton->setEnabled(optionsProblem(options()).isEmpty());
    if (ok) {
        m_ui->testResult->setText(tr("<b style='color:%5'>Connected.</b> %1%2, %3, role %4.")
                                      .arg(info.isKnown() ? info.displayName().toHtmlEscaped()
                                                          : tr("Server version unknown"),
                                           info.compatibilityNote().toHtmlEscaped(),
                                           info.mode.toHtmlEscaped(), info.role.toHtmlEscaped(),
                                           statusColor(Status::Success).name()));
        return;
    }
    const QString hint = errorHint(error);
    m_ui->testResult->setText(
        tr("<b style='color:%3'>Failed:</b> %1%2")
            .arg(error.toHtmlEscaped(),
                 hint.isEmpty() ? QString() : QStringLiteral("<br>") + hint.toHtmlEscaped(),
                 statusColor(Status::Error).name()));
}

void ConnectionDialog::browse(QLineEdit *edit, const QString &title, const QString &filter)
{
    const QString file = QFileDialog::getOpenFileName(this, title, edit->text(), filter);
    if (!file.isEmpty())
        edit->setText(file);
}
