#pragma once

#include <QMetaType>
#include <QString>

// Everything needed to reach one Redis server. A plain value: the password is
// held only in memory and only for as long as a connection needs it; profiles on
// disk keep it in the OS keychain instead.
struct ConnectionOptions
{
    enum class Transport { Tcp, Unix };

    QString name;
    Transport transport = Transport::Tcp;
    QString host = QStringLiteral("127.0.0.1");
    quint16 port = 6379;
    QString socketPath;
    QString username; // empty: password-only AUTH (or no AUTH without a password)
    QString password;
    int database = 0;

    bool tls = false;
    QString caFile;   // empty: the system's trusted CAs
    QString certFile; // client certificate (PEM), optional
    QString keyFile;  // its private key (PEM)
    QString sniName;  // empty: the host name
    bool verifyPeer = true;

    int connectTimeoutMs = 5000;
    int commandTimeoutMs = 10000;
    bool readOnly = false;

    // Parses the URLs redis-cli -u takes: redis://[[user]:password@]host[:port][/db],
    // rediss:// for TLS, and unix://[[user]:password@]/path/to.sock[?db=N].
    // Fields the URL does not name keep their values from `base`.
    static bool fromUrl(const QString &url, ConnectionOptions *out, QString *error,
                        const ConnectionOptions &base);
    static bool fromUrl(const QString &url, ConnectionOptions *out, QString *error);
    // The URL of these options, without the password.
    QString toUrl() const;
    // "host:port" or the socket path, for titles and status lines.
    QString endpoint() const;
    // Why these options cannot be used, or an empty string when they can.
    QString validate() const;
};

Q_DECLARE_METATYPE(ConnectionOptions)
