#pragma once

#include <QMetaType>
#include <QString>
#include <QStringList>

// Everything needed to reach one Redis server. A plain value: the passwords (of the
// server and of its sentinels) are held only in memory and only for as long as a
// connection needs them; profiles on disk keep them in the OS keychain instead.
//
// With sentinels named, Weir does not connect to host:port: it asks the sentinels, in
// turn, where the master called masterName is, connects there and checks with ROLE that
// it is the master; after a lost connection, or when the sentinels announce that the master
// moved (+switch-master), it asks again, so it follows a failover.
// host and port are then ignored (the worker fills them in with the master it found).
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

    // Sentinel discovery: "host:port" (or "host", port 26379; "[::1]:26379" for IPv6).
    QStringList sentinels;
    QString masterName;       // the name the sentinels monitor the master under
    QString sentinelUsername; // AUTH for the sentinels themselves, which may differ from
    QString sentinelPassword; // the data nodes' (empty: no AUTH to the sentinels)

    int connectTimeoutMs = 5000;
    int commandTimeoutMs = 10000;
    bool readOnly = false;
    // Talk to this one node even when it is part of a Redis Cluster: no slot map, no
    // routing, MOVED and ASK come back as the error replies they are (for tools and tests
    // that look at one node). Not saved with a connection profile.
    bool singleNode = false;

    static constexpr quint16 DefaultSentinelPort = 26379;

    bool usesSentinel() const { return !sentinels.isEmpty(); }

    // Parses the URLs redis-cli -u takes: redis://[[user]:password@]host[:port][/db],
    // rediss:// for TLS, and unix://[[user]:password@]/path/to.sock[?db=N]; and, for a
    // master found through sentinels,
    //   redis-sentinel://[[user]:password@]host1[:port1][,host2[:port2]...]/master[/db]
    // (rediss-sentinel:// for TLS to sentinels and data nodes alike; the port defaults to
    // 26379; user and password are the data nodes'; ?sentinel_username=...&
    // sentinel_password=... give the sentinels' own, percent-encoded; ?db=N works too).
    // Fields the URL does not name keep their values from `base`, except credentials.
    static bool fromUrl(const QString &url, ConnectionOptions *out, QString *error,
                        const ConnectionOptions &base);
    static bool fromUrl(const QString &url, ConnectionOptions *out, QString *error);
    // The URL of these options, without either password.
    QString toUrl() const;
    // "host:port" or the socket path, for titles and status lines; with sentinels,
    // "master via sentinel1:port,sentinel2:port".
    QString endpoint() const;
    // Splits "host:port", "host" (defaultPort) or "[v6]:port"; false with the reason.
    static bool parseHostPort(const QString &text, quint16 defaultPort, QString *host,
                              quint16 *port, QString *error = nullptr);
    // Why these options cannot be used, or an empty string when they can.
    QString validate() const;
};

Q_DECLARE_METATYPE(ConnectionOptions)
