#include "connectionoptions.h"

#include <QFileInfo>
#include <QUrl>
#include <QUrlQuery>

static QString decoded(const QString &s)
{
    return QUrl::fromPercentEncoding(s.toUtf8());
}

static QString hostPortText(const QString &host, quint16 port)
{
    const QString h =
        host.contains(QLatin1Char(':')) ? QLatin1Char('[') + host + QLatin1Char(']') : host;
    return h + QLatin1Char(':') + QString::number(port);
}

bool ConnectionOptions::parseHostPort(const QString &text, quint16 defaultPort, QString *host,
                                      quint16 *port, QString *error)
{
    auto fail = [error](const QString &why) {
        if (error)
            *error = why;
        return false;
    };
    const QString hostPort = text.trimmed();
    QString h = hostPort;
    QString p;
    if (hostPort.startsWith(QLatin1Char('['))) {
        const qsizetype close = hostPort.indexOf(QLatin1Char(']'));
        if (close < 0)
            return fail(QStringLiteral("An IPv6 address must end with ']'"));
        h = hostPort.mid(1, close - 1);
        const QString after = hostPort.mid(close + 1);
        if (after.startsWith(QLatin1Char(':')))
            p = after.mid(1);
        else if (!after.isEmpty())
            return fail(QStringLiteral("Unexpected \"%1\" after the address").arg(after));
    } else {
        const qsizetype colon = hostPort.lastIndexOf(QLatin1Char(':'));
        if (colon >= 0) {
            h = hostPort.left(colon);
            p = hostPort.mid(colon + 1);
        }
    }
    quint16 number = defaultPort;
    if (!p.isEmpty()) {
        bool ok = false;
        const uint value = p.toUInt(&ok);
        if (!ok || value == 0 || value > 65535)
            return fail(
                QStringLiteral("The port must be a number from 1 to 65535, not \"%1\"").arg(p));
        number = quint16(value);
    }
    *host = h;
    *port = number;
    return true;
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
        return fail(QStringLiteral("A URL starts with redis://, rediss://, unix:// or "
                                   "redis-sentinel://"));
    const QString scheme = trimmed.left(schemeEnd).toLower();
    QString rest = trimmed.mid(schemeEnd + 3);

    ConnectionOptions o = base;
    o.username.clear();
    o.password.clear();
    o.database = 0;
    // Sentinels belong to the endpoint a URL names: a redis:// URL has none.
    o.sentinels.clear();
    o.masterName.clear();
    o.sentinelUsername.clear();
    o.sentinelPassword.clear();

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
    // The database, from ?db= or, when that is not given, from the path.
    auto setDatabase = [&o, &fail](const QString &db) {
        bool ok = false;
        o.database = db.toInt(&ok);
        return (ok && o.database >= 0)
               || fail(QStringLiteral("The database must be a number of 0 or more, not \"%1\"")
                           .arg(db));
    };
    const QString dbFromQuery = QUrlQuery(query).queryItemValue(QStringLiteral("db"));
    const bool dbGiven = !dbFromQuery.isEmpty();
    if (dbGiven && !setDatabase(dbFromQuery))
        return false;

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
            if (!db.isEmpty() && !dbGiven && !setDatabase(db))
                return false;
        }
        QString host;
        quint16 port = 6379;
        QString why;
        if (!parseHostPort(hostPort, 6379, &host, &port, &why))
            return fail(why);
        if (!host.isEmpty())
            o.host = host;
        o.port = port;
    } else if (scheme == QLatin1String("redis-sentinel")
               || scheme == QLatin1String("rediss-sentinel")) {
        o.transport = Transport::Tcp;
        o.tls = scheme == QLatin1String("rediss-sentinel");
        const qsizetype slash = rest.indexOf(QLatin1Char('/'));
        const QString hosts = slash >= 0 ? rest.left(slash) : rest;
        QString path = slash >= 0 ? rest.mid(slash + 1) : QString();
        const qsizetype dbSlash = path.indexOf(QLatin1Char('/'));
        if (dbSlash >= 0) {
            const QString db = path.mid(dbSlash + 1);
            path = path.left(dbSlash);
            if (!db.isEmpty() && !dbGiven && !setDatabase(db))
                return false;
        }
        o.masterName = decoded(path);
        if (o.masterName.isEmpty())
            return fail(QStringLiteral("A sentinel URL names the master after the sentinels, "
                                       "as in redis-sentinel://host1:26379,host2:26379/mymaster"));
        o.sentinels.clear();
        for (const QString &entry : hosts.split(QLatin1Char(','))) {
            QString host;
            quint16 port = DefaultSentinelPort;
            QString why;
            if (!parseHostPort(entry, DefaultSentinelPort, &host, &port, &why))
                return fail(QStringLiteral("Sentinel \"%1\": %2").arg(entry, why));
            if (host.isEmpty())
                return fail(QStringLiteral("Sentinel \"%1\" has no host name").arg(entry));
            o.sentinels.append(hostPortText(host, port));
        }
        const QUrlQuery items(query);
        o.sentinelUsername =
            items.queryItemValue(QStringLiteral("sentinel_username"), QUrl::FullyDecoded);
        o.sentinelPassword =
            items.queryItemValue(QStringLiteral("sentinel_password"), QUrl::FullyDecoded);
    } else {
        return fail(QStringLiteral("Unknown scheme \"%1\": use redis://, rediss://, unix:// or "
                                   "redis-sentinel://")
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
    if (usesSentinel()) {
        QStringList hosts;
        for (const QString &entry : sentinels) {
            QString h;
            quint16 p = DefaultSentinelPort;
            hosts.append(parseHostPort(entry, DefaultSentinelPort, &h, &p) ? hostPortText(h, p)
                                                                           : entry.trimmed());
        }
        QString url =
            (tls ? QLatin1String("rediss-sentinel://") : QLatin1String("redis-sentinel://")) + user
            + hosts.join(QLatin1Char(',')) + QLatin1Char('/')
            + QString::fromUtf8(QUrl::toPercentEncoding(masterName));
        if (database != 0)
            url += QLatin1Char('/') + QString::number(database);
        if (!sentinelUsername.isEmpty())
            url += QLatin1String("?sentinel_username=")
                   + QString::fromUtf8(QUrl::toPercentEncoding(sentinelUsername));
        return url;
    }
    QString url = (tls ? QLatin1String("rediss://") : QLatin1String("redis://")) + user
                  + hostPortText(host, port);
    if (database != 0)
        url += QLatin1Char('/') + QString::number(database);
    return url;
}

QString ConnectionOptions::endpoint() const
{
    if (transport == Transport::Unix)
        return socketPath;
    if (usesSentinel())
        return QStringLiteral("%1 via %2").arg(masterName, sentinels.join(QLatin1Char(',')));
    return hostPortText(host, port);
}

QString ConnectionOptions::validate() const
{
    if (usesSentinel()) {
        if (transport == Transport::Unix)
            return QStringLiteral("Sentinels are reached over TCP: choose TCP, not a unix "
                                  "socket.");
        if (masterName.trimmed().isEmpty())
            return QStringLiteral("Enter the name of the master the sentinels monitor (as in "
                                  "their \"sentinel monitor <name> ...\" line).");
        if (masterName.contains(QLatin1Char(' ')))
            return QStringLiteral("A master name cannot contain spaces.");
        for (const QString &entry : sentinels) {
            QString h;
            quint16 p = 0;
            QString why;
            if (!parseHostPort(entry, DefaultSentinelPort, &h, &p, &why))
                return QStringLiteral("Sentinel \"%1\": %2.").arg(entry, why);
            if (h.trimmed().isEmpty())
                return QStringLiteral("Sentinel \"%1\": enter a host name or address, as in "
                                      "host:26379.")
                    .arg(entry);
            if (h.contains(QLatin1Char(' ')))
                return QStringLiteral("Sentinel \"%1\": a host name cannot contain spaces.")
                    .arg(entry);
        }
    } else if (!masterName.isEmpty()) {
        return QStringLiteral("A master name needs at least one sentinel (host:port) to ask.");
    } else if (transport == Transport::Unix) {
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
