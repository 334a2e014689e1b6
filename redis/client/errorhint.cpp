#include "errorhint.h"

QString errorHint(const QString &error)
{
    struct Rule
    {
        const char *needle;
        const char *hint;
    };
    // First match wins: the more specific needles come first.
    static const Rule rules[] = {
        {"without any password configured", "This server has no password set: leave the "
                                            "password (and username) empty."},
        {"WRONGPASS", "The username or password was not accepted. Check both; with a password "
                      "only, Redis checks it against the 'default' user."},
        {"NOAUTH", "The server requires authentication: enter a password (and a username for an "
                   "ACL user)."},
        {"NOPERM", "The ACL user lacks permission for this. Ask for +@read +@stream (and +@write "
                   "for repairs), or connect as another user."},
        {"invalid password", "The password was not accepted."},
        {"certificate required", "The server requires a client certificate: give a "
                                 "certificate and its key."},
        {"self-signed", "The server's certificate is not trusted. Give the CA file that signed "
                        "it, or turn off verification (not recommended)."},
        {"issuer certificate", "The server's certificate is not trusted. Give the CA file that "
                               "signed it, or turn off verification (not recommended)."},
        {"not trusted", "The server's certificate is not trusted. Give the CA file that signed "
                        "it, or turn off verification (not recommended)."},
        {"host name did not match", "The certificate was issued for another name. Set the TLS "
                                    "server name (SNI) to the name in the certificate."},
        {"handshake", "The TLS handshake failed: is TLS enabled on this port, and does the server "
                      "require a client certificate?"},
        {"SSL", "The TLS handshake failed: is TLS enabled on this port, and does the server "
                "require a client certificate?"},
        {"refused", "Nothing is listening there. Is redis-server running, and is the host and "
                    "port (or socket path) right?"},
        {"not found", "No such socket or host. Check the path or the host name."},
        {"Permission denied", "Weir may not open this socket: check its permissions "
                              "(unixsocketperm) and the groups of your user."},
        {"Timed out connecting", "The server did not answer in time. Check the address, a "
                                 "firewall, or raise the connect timeout."},
        {"behind a slower request", "An earlier request on this connection is still running "
                                    "(a slow command), and this one's deadline passed while it "
                                    "waited. The connection stays up."},
        {"No reply", "The server did not answer in time: it may be busy (a slow command, "
                     "a large save) or the network is down. The connection is re-established."},
        {"max number of clients", "The server has as many clients as its maxclients setting "
                                  "allows. Close other clients or raise maxclients."},
        {"closed the connection", "The server closed the connection. If it expects TLS, use "
                                  "rediss:// (or TLS); also check maxclients and the logs."},
        {"LOADING", "Redis is loading its data set into memory. Try again shortly."},
        {"READONLY", "This node is a read-only replica. Connect to the master to change data."},
        {"MASTERDOWN", "The replica lost its master. Wait for failover or connect to the "
                       "new master."},
        {"WRONGTYPE", "The key holds another type than a stream now."},
        {"no such key", "The stream does not exist (any more): check its name; it may have "
                        "been deleted, or have expired."},
        {"NOGROUP", "The consumer group or the stream does not exist (any more): check the "
                    "names, and read the list of streams or groups again."},
        {"BUSYGROUP", "A consumer group with this name exists already."},
        {"OOM", "Redis reached maxmemory and refuses writes. Free memory or raise maxmemory."},
        {"nested deeper", "The reply is nested too deeply for Weir's parser. The connection was "
                          "reset and can be used again."},
        {"Protocol error", "The reply could not be read. The connection was reset."},
        {"read-only", "The connection is read-only (a setting of its profile, or weirctl's "
                      "--read-only): turn that off to make changes."},
        {"DB index is out of range", "The database number is higher than the server's "
                                     "'databases' setting."},
        {"unknown command", "The server does not know this command: it may be older than "
                            "Weir needs, or the command was renamed in its configuration."},
    };
    // Needles in capitals are Redis error codes and acronyms: matched as written, so that
    // "ssl" in a host name or "oom" in "classroom" does not pick the wrong hint.
    for (const Rule &r : rules) {
        const QLatin1String needle(r.needle);
        const bool code = needle == QString(needle).toUpper();
        if (error.contains(needle, code ? Qt::CaseSensitive : Qt::CaseInsensitive))
            return QString::fromLatin1(r.hint);
    }
    return {};
}
