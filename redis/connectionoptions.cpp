#include "connectionoptions.h"

#include <QFileInfo>
#include <QUrl>
#include <QUrlQuery>

static QString decoded(const QString &s)
{
    return QUrl::fromPercentEncoding(s.toUtf8());
}

bool ConnectionOptions::fromUrl(const QString &text, ConnectionOptions *out, QString *error,
                                const ConnectionOptions &base)
{
    auto fail = [error](const QString &why) {
        if (error)
            *error = why;
        return false;
    };
    const QString trimmed = text.trimmed();
    const qsizetype schemeEnd = trimmed.indexOf(QLatin1String("://"));
    if (schemeEnd < 0)
        return fail(QStringLiteral("A URL starts with redis://, rediss:// or unix://"));
    const QString scheme = trimmed.left(schemeEnd).toLower();
    QString rest = trimmed.mid(schemeEnd + 3);

    ConnectionOptions o = base;
    o.username.clear();
    o.password.clear();
    o.database = 0;

    // User info, parsed as redis-cli does: "password@" or "user:password@".
    // The last '@' ends it, so a password may itself contain '@' when percent-encoded or not.
    const qsizetype at = rest.lastIndexOf(QLatin1Char('@'));
    if (at >= 0) {
        const QString userInfo = rest.left(at);
        rest = rest.mid(at + 1);
        const qsizetype colon = userInfo.indexOf(QLatin1Char(':'));
        if (colon >= 0) {
            o.username = decoded(userInfo.left(colon));
            o.password = decoded(userInfo.mid(colon + 1));
        } else {
            o.password = decoded(userInfo);
        }
    }

    QString query;
    const qsizetype q = rest.indexOf(QLatin1Char('?'));
    if (q >= 0) {
        query = rest.mid(q + 1);
        rest = rest.left(q);
    }
    bool dbGiven = false;
    const QString dbFromQuery = QUrlQuery(query).queryItemValue(QStringLiteral("db"));
    if (!dbFromQuery.isEmpty()) {
        bool ok = false;
        o.database = dbFromQuery.toInt(&ok);
        if (!ok || o.database < 0)
            return fail(QStringLiteral("The database must be a number of 0 or more, not \"%1\"")
                            .arg(dbFromQuery));
        dbGiven = true;
    }

    if (scheme == QLatin1String("unix")) {
        if (!rest.startsWith(QLatin1Char('/')))
            return fail(QStringLiteral("A unix:// URL names an absolute socket path, "
                                       "as in unix:///run/redis/redis.sock"));
        o.transport = Transport::Unix;
        o.socketPath = decoded(rest);
        o.tls = false;
    } else if (scheme == QLatin1String("redis") || scheme == QLatin1String("rediss")) {
        o.transport = Transport::Tcp;
        o.tls = scheme == QLatin1String("rediss");
        QString hostPort = rest;
        const qsizetype slash = rest.indexOf(QLatin1Char('/'));
        if (slash >= 0) {
            hostPort = rest.left(slash);
            const QString db = rest.mid(slash + 1);
            if (!db.isEmpty() && !dbGiven) {
                bool ok = false;
                o.database = db.toInt(&ok);
                if (!ok || o.database < 0)
                    return fail(
                        QStringLiteral("The database must be a number of 0 or more, not \"%1\"")
                            .arg(db));
            }
        }
        QString host = hostPort;
        QString port;
        if (hostPort.startsWith(QLatin1Char('['))) {
            const qsizetype close = hostPort.indexOf(QLatin1Char(']'));
            if (close < 0)
                return fail(QStringLiteral("An IPv6 address must end with ']'"));
            host = hostPort.mid(1, close - 1);
            const QString after = hostPort.mid(close + 1);
            if (after.startsWith(QLatin1Char(':')))
                port = after.mid(1);
            else if (!after.isEmpty())
                return fail(QStringLiteral("Unexpected \"%1\" after the address").arg(after));
        } else {
            const qsizetype colon = hostPort.lastIndexOf(QLatin1Char(':'));
            if (colon >= 0) {
                host = hostPort.left(colon);
                port = hostPort.mid(colon + 1);
            }
        }
        if (!host.isEmpty())
            o.host = host;
        o.port = 6379;
        if (!port.isEmpty()) {
            bool ok = false;
            const uint p = port.toUInt(&ok);
            if (!ok || p == 0 || p > 65535)
                return fail(QStringLiteral("The port must be a number from 1 to 65535, not \"%1\"")
                                .arg(port));
            o.port = quint16(p);
        }
    } else {
        return fail(QStringLiteral("Unknown scheme \"%1\": use redis://, rediss:// or unix://")
                        .arg(scheme));
    }
    *out = o;
    return true;
}

bool ConnectionOptions::fromUrl(const QString &url, ConnectionOptions *out, QString *error)
{
    return fromUrl(url, out, error, ConnectionOptions());
}

QString ConnectionOptions::toUrl() const
{
    // "user:@", not "user@": fromUrl (like redis-cli) reads a lone "name@" as a password.
    QString user;
    if (!username.isEmpty())
        user = QString::fromUtf8(QUrl::toPercentEncoding(username)) + QLatin1String(":@");
    if (transport == Transport::Unix) {
        // Encoded like fromUrl decodes it, so a path with '%', '?' or '@' reads back the same.
        QString url = QLatin1String("unix://") + user
            + QString::fromUtf8(QUrl::toPercentEncoding(socketPath, "/"));
        if (database != 0)
            url += QLatin1String("?db=") + QString::number(database);
        return url;
    }
    QString h = host.contains(QLatin1Char(':')) ? QLatin1Char('[') + host + QLatin1Char(']') : host;
    QString url = (tls ? QLatin1String("rediss://") : QLatin1String("redis://")) + user + h
        + QLatin1Char(':') + QString::number(port);
    if (database != 0)
        url += QLatin1Char('/') + QString::number(database);
    return url;
}

QString ConnectionOptions::endpoint() const
{
    if (transport == Transport::Unix)
        return socketPath;
    const QString h =
        host.contains(QLatin1Char(':')) ? QLatin1Char('[') + host + QLatin1Char(']') : host;
    return h + QLatin1Char(':') + QString::number(port);
}

QString ConnectionOptions::validate() const
{
    if (transport == Transport::Unix) {
        if (socketPath.isEmpty())
            return QStringLiteral("Enter the path of the server's unix socket.");
        if (!socketPath.startsWith(QLatin1Char('/')))
            return QStringLiteral("The socket path must be absolute (start with /).");
    } else {
        if (host.trimmed().isEmpty())
            return QStringLiteral("Enter a host name or address.");
        if (host.contains(QLatin1Char(' ')))
            return QStringLiteral("A host name cannot contain spaces.");
        if (port == 0)
            return QStringLiteral("The port must be a number from 1 to 65535.");
    }
    if (database < 0)
        return QStringLiteral("The database must be a number of 0 or more.");
    if (tls) {
        if (transport == Transport::Unix)
            return QStringLiteral("TLS is for TCP connections, not unix sockets.");
        for (const QString &f : {caFile, certFile, keyFile}) {
            if (!f.isEmpty() && !QFileInfo(f).isReadable())
                return QStringLiteral("Cannot read the file %1.").arg(f);
        }
        if (certFile.isEmpty() != keyFile.isEmpty())
            return QStringLiteral("A client certificate needs its private key, and the other "
                                  "way round.");
    }
    if (connectTimeoutMs < 100 || commandTimeoutMs < 100)
        return QStringLiteral("Timeouts must be at least 100 ms.");
    return {};
}
