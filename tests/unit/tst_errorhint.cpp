// errorHint: the line shown under an error, for the errors Redis, Qt's sockets and Weir
// itself produce, and no misleading hint for errors it knows nothing about.

#include "errorhint.h"

#include <QtTest>

class TestErrorHint : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void hint_data();
    void hint();
};

void TestErrorHint::hint_data()
{
    QTest::addColumn<QString>("error");
    QTest::addColumn<QString>("hintContains"); // empty: no hint expected

    auto row = [](const char *name, const char *error, const char *hint) {
        QTest::newRow(name) << QString::fromUtf8(error) << QString::fromUtf8(hint);
    };
    // Authentication and ACLs, as Redis 6 and 7 word them.
    row("WRONGPASS", "WRONGPASS invalid username-password pair or user is disabled.",
        "username or password");
    row("NOAUTH", "NOAUTH Authentication required.", "requires authentication");
    row("NOAUTH HELLO",
        "NOAUTH HELLO must be called with the client already authenticated, "
        "otherwise the HELLO <proto> AUTH <user> <pass> option can be used",
        "requires authentication");
    row("NOPERM command", "NOPERM User viewer has no permissions to run the 'xadd' command", "ACL");
    row("NOPERM key", "NOPERM No permissions to access a key", "ACL");
    row("Redis 5 invalid password", "ERR invalid password", "password was not accepted");
    row("in the handshake",
        "SELECT 3: NOPERM User viewer has no permissions to run the "
        "'select' command",
        "ACL");

    // Connection failures, as Qt and the worker word them (endpoint in parentheses).
    row("refused", "Connection refused (127.0.0.1:6379)", "Nothing is listening");
    row("host not found", "Host not found (redis.invalid:6379)", "No such socket or host");
    row("socket not found", "QLocalSocket::connectToServer: Server not found (/tmp/x.sock)",
        "No such socket or host");
    row("connect timeout", "Timed out connecting to 10.0.0.1:6379 after 5000 ms",
        "did not answer in time");
    row("command timeout", "No reply from 127.0.0.1:6379 within 10000 ms", "may be busy");
    row("closed", "The server closed the connection (127.0.0.1:6380)", "rediss://");
    row("closed, while retrying",
        "The server closed the connection (127.0.0.1:6380). Retrying in 1.0 s", "rediss://");

    // TLS.
    row("self-signed", "The certificate is self-signed, and untrusted", "not trusted");
    row("unknown issuer",
        "The issuer certificate of a locally looked up certificate could not be found",
        "not trusted");
    row("name mismatch", "The host name did not match any of the valid hosts for this certificate",
        "SNI");
    row("client certificate required",
        "Error while reading: error:0A00045C:SSL routines::tlsv13 alert certificate required",
        "client certificate");
    row("handshake",
        "Error during SSL handshake: error:0A00010B:SSL routines::wrong version "
        "number",
        "TLS handshake failed");

    // Server states and stream errors.
    row("LOADING", "LOADING Redis is loading the dataset in memory", "loading");
    row("READONLY", "READONLY You can't write against a read only replica.", "replica");
    row("MASTERDOWN",
        "MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set "
        "to 'no'.",
        "lost its master");
    row("WRONGTYPE", "WRONGTYPE Operation against a key holding the wrong kind of value",
        "another type");
    row("NOGROUP",
        "NOGROUP No such key 'orders' or consumer group 'billing' in XREADGROUP "
        "with GROUP option",
        "does not exist");
    row("BUSYGROUP", "BUSYGROUP Consumer Group name already exists", "exists already");
    row("OOM", "OOM command not allowed when used memory > 'maxmemory'.", "maxmemory");
    row("DB out of range", "SELECT 99: ERR DB index is out of range", "'databases'");
    row("unknown command (Redis 7)",
        "ERR unknown command 'XAUTOCLAIM', with args beginning with: 'orders' ",
        "does not know this command");
    row("unknown command (Redis 6)",
        "ERR unknown command `XAUTOCLAIM`, with args beginning with: `orders`, ",
        "does not know this command");

    // Weir's own errors.
    row("read-only refusal",
        "XADD changes data, and this connection is read-only: nothing "
        "was sent",
        "turn that off");
    row("too deep",
        "Reply nested deeper than 8 levels, which this client's RESP parser "
        "(hiredis 0.14) cannot read: No support for nested multi bulk replies with "
        "depth > 7",
        "nested too deeply");
    row("protocol error", "Protocol error: got \"!\" as reply type byte", "could not be read");
    row("stray reply", "Protocol error: a reply arrived that nothing asked for",
        "could not be read");

    row("no such key", "ERR no such key", "does not exist (any more)");

    // Nothing useful to add.
    row("empty", "", "");
    row("syntax error", "ERR syntax error", "");
    row("bad stream id", "ERR Invalid stream ID specified as stream command argument", "");
    row("XADD id too small",
        "ERR The ID specified in XADD is equal or smaller than the target "
        "stream top item",
        "");
    row("network unreachable", "Network unreachable (10.0.0.1:6379)", "");

    // Words inside host names, key names and ordinary text do not pick a hint of their own:
    // Redis error codes and "SSL" count only as written, in capitals.
    row("'ssl' in a host name, refused", "Connection refused (redis-ssl.example.com:6379)",
        "Nothing is listening");
    row("'ssl' in a host name, unreachable", "Network unreachable (ssl-cache.internal:6379)", "");
    row("'oom' in a host name", "Network unreachable (classroom-redis:6379)", "");
    row("'loading' in prose", "ERR Error loading the extension", "");
    row("'readonly' in a host name", "Network unreachable (readonly-replica:6379)", "");
    row("'noauth' in a key name", "ERR no such key 'noauth:sessions'", "does not exist");
}

void TestErrorHint::hint()
{
    QFETCH(QString, error);
    QFETCH(QString, hintContains);
    const QString hint = errorHint(error);
    if (hintContains.isEmpty()) {
        QVERIFY2(hint.isEmpty(), qPrintable(hint));
        return;
    }
    QVERIFY2(hint.contains(hintContains), qPrintable(hint));
    QVERIFY2(hint.endsWith(QLatin1Char('.')) || hint.endsWith(QLatin1Char('?')),
             qPrintable(hint)); // a full sentence
}

QTEST_APPLESS_MAIN(TestErrorHint)
#include "tst_errorhint.moc"
