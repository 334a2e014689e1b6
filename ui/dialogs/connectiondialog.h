#pragma once

#include "connectionprofiles.h"
#include "replyparsers.h"

#include <QDialog>

#include <memory>

namespace Ui {
class ConnectionDialog;
}
class ConnectionProbe;
class QLineEdit;
class QRadioButton;

// Creates or edits a connection profile. It validates as the user types (OK stays
// disabled, and a hint says why) and never talks to Redis itself: "Test connection"
// goes through the ConnectionProbe it is given.
class ConnectionDialog : public QDialog
{
    Q_OBJECT
public:
    explicit ConnectionDialog(ConnectionProbe *probe, QWidget *parent = nullptr);
    ~ConnectionDialog() override;

    // Fills the dialog from a profile (and its passwords, when known).
    void setProfile(const ConnectionProfile &profile, const QString &password = {},
                    const QString &sentinelPassword = {});
    // The profile as entered; options.password and options.sentinelPassword are empty (see
    // password() and sentinelPassword()).
    ConnectionProfile profile() const;
    QString password() const;
    // The sentinels' password; empty unless the connection goes through sentinels.
    QString sentinelPassword() const;
    // Whether the passwords are to be kept in the keychain.
    bool rememberPassword() const;
    // Shown under the password, e.g. that no keychain is available.
    void setKeychainNote(const QString &note);

private:
    // The user typed in the form or tried to go on: what is missing is an error from now
    // on, not a hint (a dialog that opens in red reads as if something had gone wrong).
    bool m_touched = false;
    void updateWidgets();
    void applyUrl();
    void testConnection();
    void showTestResult(bool ok, const ServerInfo &info, const QString &error);
    void browse(QLineEdit *edit, const QString &title, const QString &filter);
    ConnectionOptions options() const;
    // Why the options cannot be tried, or an empty string.
    QString optionsProblem(const ConnectionOptions &o) const;
    QRadioButton *kindRadio(const ConnectionOptions &o) const;

    std::unique_ptr<Ui::ConnectionDialog> m_ui;
    ConnectionProbe *m_probe;
    QString m_profileId;
    QString m_urlError; // why the text in the URL box cannot be used; empty when it can
};
