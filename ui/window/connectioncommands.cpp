#include "connectioncommands.h"

#include "alertrulesdialog.h"
#include "connectiondialog.h"
#include "connectionprobe.h"
#include "connectionsession.h"
#include "credentialstore.h"
#include "deadlettersettingsdialog.h"
#include "profilestate.h"
#include "sessionmanager.h"
#include "streamlistmodel.h"

#include <QAction>
#include <QInputDialog>
#include <QMessageBox>
#include <QStyle>

ConnectionCommands::ConnectionCommands(ProfileState *profiles, SessionManager *sessions,
                                       QWidget *window, std::function<QString()> current)
    : QObject(window)
    , m_profiles(profiles)
    , m_sessions(sessions)
    , m_window(window)
    , m_current(std::move(current))
    , m_probe(new ConnectionProbe(this))
{
    const auto action =
        [this](const QString &text, void (ConnectionCommands::*command)(), const QIcon &icon = {}) {
        auto *a = new QAction(icon, text, this);
        connect(a, &QAction::triggered, this, command);
        return a;
    };
    const auto icon = [window](QStyle::StandardPixmap pixmap) {
        return window->style()->standardIcon(pixmap);
    };
    m_newAction = action(tr("&New connection…"), &ConnectionCommands::create,
                         icon(QStyle::SP_FileDialogNewFolder));
    m_newAction->setShortcut(QKeySequence::New);
    m_editAction = action(tr("&Edit connection…"), &ConnectionCommands::editCurrent,
                          icon(QStyle::SP_FileDialogDetailedView));
    m_removeAction = action(tr("&Remove connection"), &ConnectionCommands::removeCurrent,
                            icon(QStyle::SP_TrashIcon));
    m_deadLettersAction = action(tr("Dead &letters…"), &ConnectionCommands::editDeadLetters);
    m_deadLettersAction->setToolTip(tr("How this connection's dead-letter streams are named and "
                                       "which fields a dead letter has"));
    m_alertRulesAction = action(tr("&Alert rules…"), &ConnectionCommands::editAlertRules);
    m_alertRulesAction->setToolTip(tr("When this connection's queues raise an alert: thresholds "
                                      "globally and per stream or group"));
    // "Test connection" in the connection dialog: its handshake is logged too.
    connect(m_probe, &ConnectionProbe::connectionCreated, sessions,
            &SessionManager::logConnectionTest);
    connect(profiles, &ProfileState::secretNotSaved, this,
            [this](const ConnectionProfile &profile, bool sentinel, const QString &error) {
        const QString which = sentinel ? tr("The sentinels' password") : tr("The password");
        QMessageBox::warning(m_window, tr("Password not saved"),
                             tr("%1\n\n%2 was not saved anywhere. Weir will ask for it when "
                                "connecting to %3.")
                                 .arg(error, which, profile.options.name));
    });
}

void ConnectionCommands::create()
{
    ConnectionDialog dialog(m_probe, m_window);
    if (dialog.exec() != QDialog::Accepted)
        return;
    const ConnectionProfile profile = dialog.profile();
    m_profiles->save(profile, dialog.password(), dialog.sentinelPassword(),
                     dialog.rememberPassword());
    Q_EMIT created(profile.id);
    start(profile, dialog.password(), dialog.sentinelPassword());
}

void ConnectionCommands::editCurrent()
{
    const QString id = m_current();
    const ConnectionProfile *listed = m_profiles->find(id);
    if (!listed)
        return;
    const ConnectionProfile old = *listed;
    // An error: the saved password could not be read; it is then kept as it is unless a
    // new one is typed.
    auto open = [this, old](const QString &password, const QString &error,
                            const QString &sentinelPassword, const QString &sentinelError) {
        for (const QString &e : {error, sentinelError}) {
            if (!e.isEmpty())
                QMessageBox::warning(m_window, tr("Keychain"),
                                     tr("%1\n\nThe saved password is kept unless you type a "
                                        "new one.")
                                         .arg(e));
        }
        ConnectionDialog dialog(m_probe, m_window);
        dialog.setProfile(old, password, sentinelPassword);
        if (dialog.exec() != QDialog::Accepted)
            return;
        ConnectionProfile profile = dialog.profile();
        profile.ephemeral = old.ephemeral;
        const QString typed = dialog.password();
        const QString typedSentinel = dialog.sentinelPassword();
        m_profiles->save(profile, typed, typedSentinel, dialog.rememberPassword(),
                         !error.isEmpty() && typed.isEmpty(),
                         !sentinelError.isEmpty() && typedSentinel.isEmpty());
        if (m_sessions->session(profile.id)) {
            m_sessions->end(profile.id);
            withPasswords(
                *m_profiles->find(profile.id),
                [this, id = profile.id](const QString &p, const QString &sp) {
                if (const ConnectionProfile *current = m_profiles->find(id))
                    start(*current, p, sp);
                },
                typed, typedSentinel);
        }
    };
    m_profiles->readSecret(old, false,
                           [this, old, open](const QString &password, const QString &error) {
        m_profiles->readSecret(
            old, true,
            [open, password, error](const QString &sentinelPassword, const QString &sentinelError) {
            open(password, error, sentinelPassword, sentinelError);
            });
    });
}

void ConnectionCommands::removeCurrent()
{
    const QString id = m_current();
    const ConnectionProfile *profile = m_profiles->find(id);
    if (!profile)
        return;
    if (QMessageBox::question(
            m_window, tr("Remove connection"),
            tr("Remove the connection \"%1\" and its saved password?").arg(profile->options.name))
        != QMessageBox::Yes)
        return;
    m_sessions->end(id);
    m_profiles->remove(id);
}

void ConnectionCommands::connectTo(const QString &id)
{
    const ConnectionProfile *profile = m_profiles->find(id);
    if (!profile)
        return;
    withPasswords(*profile, [this, id](const QString &password, const QString &sentinelPassword) {
        if (const ConnectionProfile *current = m_profiles->find(id))
            start(*current, password, sentinelPassword);
    });
}

void ConnectionCommands::start(const ConnectionProfile &profile, const QString &password,
                               const QString &sentinelPassword)
{
    ConnectionOptions options = profile.options;
    options.password = password;
    options.sentinelPassword = sentinelPassword;
    m_sessions->start(profile.id, options);
}

void ConnectionCommands::withSecret(const ConnectionProfile &profile, bool sentinel,
                                    const QString &typed,
                                    const std::function<void(const QString &)> &go)
{
    auto ask = [this, name = profile.options.name, sentinel, go](const QString &why) {
        bool ok = false;
        const QString what = sentinel ? tr("Sentinels' password for %1:").arg(name)
                                      : tr("Password for %1:").arg(name);
        const QString label = why.isEmpty() ? what : tr("%1\n\n%2").arg(why, what);
        const QString password =
            QInputDialog::getText(m_window, tr("Password"), label, QLineEdit::Password, {}, &ok);
        if (ok)
            go(password);
    };
    if (!typed.isEmpty()) {
        go(typed);
    } else if (profile.ephemeral) {
        m_profiles->readSecret(profile, sentinel,
                               [go](const QString &secret, const QString &) { go(secret); });
    } else if (sentinel ? profile.sentinelPasswordInKeychain : profile.passwordInKeychain) {
        m_profiles->readSecret(profile, sentinel,
                               [ask, go](const QString &secret, const QString &error) {
            if (!secret.isEmpty())
                go(secret);
            else
                ask(error.isEmpty() ? tr("The keychain holds no such password for this "
                                         "connection.")
                                    : error);
        });
    } else if (sentinel ? profile.askSentinelPassword : profile.askPassword) {
        ask({});
    } else {
        go({});
    }
}

void ConnectionCommands::withPasswords(const ConnectionProfile &profile, const Go &go,
                                       const QString &typed, const QString &typedSentinel)
{
    withSecret(profile, false, typed, [this, profile, go, typedSentinel](const QString &password) {
        withSecret(profile, true, typedSentinel, [go, password](const QString &sentinelPassword) {
            go(password, sentinelPassword);
        });
    });
}

QList<QByteArray> ConnectionCommands::streamKeys(const QString &id) const
{
    QList<QByteArray> keys;
    if (const ConnectionSession *session = m_sessions->session(id)) {
        const StreamListModel *overview = session->overview();
        for (int row = 0; row < overview->rowCount(); ++row)
            keys.append(overview->key(row));
    }
    return keys;
}

void ConnectionCommands::editDeadLetters()
{
    const QString id = m_current();
    const ConnectionProfile *profile = m_profiles->find(id);
    if (!profile)
        return;
    DeadLetterSettingsDialog dialog(profile->options.name, m_profiles->deadLetterConventions(id),
                                    m_window);
    dialog.setObjectName(QStringLiteral("deadLetterSettings"));
    if (ConnectionSession *session = m_sessions->session(id)) {
        dialog.setStreamKeys(streamKeys(id));
        dialog.setSession(session); // Detect samples the dead letters
    }
    if (dialog.exec() == QDialog::Accepted)
        m_profiles->setDeadLetterConventions(id, dialog.conventions());
}

void ConnectionCommands::editAlertRules()
{
    const QString id = m_current();
    const ConnectionProfile *profile = m_profiles->find(id);
    if (!profile)
        return;
    auto *dialog =
        new AlertRulesDialog(profile->options.name, m_profiles->alertRules(id), m_window);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setObjectName(QStringLiteral("alertRulesDialog"));
    if (m_sessions->session(id))
        dialog->setStreamKeys(streamKeys(id));
    connect(dialog, &QDialog::accepted, this,
            [this, id, dialog] { m_profiles->setAlertRules(id, dialog->rules()); });
    dialog->open();
}
