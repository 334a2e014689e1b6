#include "ctlrun.h"

#include "ctlcommand.h"
#include "errorhint.h"
#include "redisconnection.h"

#include <QCoreApplication>
#include <QSocketNotifier>

#include <cmath>
#include <csignal>
#include <cstdio>
#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

namespace {
// Ctrl-C arrives as a signal; its handler only writes a byte here, and the event loop
// reads it (the one thing a signal handler may safely do). SIGTERM (timeout(1), systemd
// stopping a unit, kill) is taken the same way, so that a write stopped by it also ends
// between chunks with its report.
int s_signalPipe[2] = {-1, -1};

void onSigint(int)
{
    const char byte = 1;
    [[maybe_unused]] const ssize_t written = ::write(s_signalPipe[1], &byte, 1);
}

} // namespace

CtlRun::CtlRun(const Flags &flags, QObject *parent)
    : QObject(parent)
    , m_flags(flags)
    , m_out(stdout)
    , m_err(stderr)
{
    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, s_signalPipe) == 0) {
        ::fcntl(s_signalPipe[1], F_SETFL, O_NONBLOCK);
        m_signalNotifier = new QSocketNotifier(s_signalPipe[0], QSocketNotifier::Read, this);
        connect(m_signalNotifier, &QSocketNotifier::activated, this, &CtlRun::onSignal);
        struct sigaction action = {};
        action.sa_handler = onSigint;
        sigemptyset(&action.sa_mask);
        action.sa_flags = SA_RESTART;
        ::sigaction(SIGINT, &action, nullptr);
        ::sigaction(SIGTERM, &action, nullptr);
    }
}

CtlRun::~CtlRun()
{
    if (m_signalNotifier) {
        ::signal(SIGINT, SIG_DFL);
        ::signal(SIGTERM, SIG_DFL);
        ::close(s_signalPipe[0]);
        ::close(s_signalPipe[1]);
        s_signalPipe[0] = s_signalPipe[1] = -1;
    }
    m_out.flush();
    m_err.flush();
}

std::unique_ptr<RecordWriter> CtlRun::makeWriter(const QString &schema, int version)
{
    return std::make_unique<RecordWriter>(m_flags.format, m_out, schema, version);
}

bool CtlRun::stdoutIsTerminal()
{
    return ::isatty(STDOUT_FILENO) == 1;
}

bool CtlRun::stdinIsTerminal()
{
    return ::isatty(STDIN_FILENO) == 1;
}

bool CtlRun::stderrIsTerminal()
{
    return ::isatty(STDERR_FILENO) == 1;
}

bool CtlRun::confirmWrite(const QString &plan)
{
    m_err << plan;
    if (!plan.endsWith(QLatin1Char('\n')))
        m_err << '\n';
    if (m_flags.dryRun) {
        m_err << "Dry run: nothing was written.\n";
        m_err.flush();
        return false;
    }
    if (m_connection->options().readOnly) {
        m_err << "weirctl: refused: the connection is read-only (its profile says so, or "
                 "--read-only was given).\n";
        m_err.flush();
        return false;
    }
    if (m_flags.assumeYes)
        return true;
    if (!stdinIsTerminal()) {
        m_err << "weirctl: refused: not on a terminal, so nothing can be confirmed; give "
                 "--yes to write anyway, or --dry-run to see what would be written.\n";
        m_err.flush();
        return false;
    }
    m_err << "Proceed? [y/N] ";
    m_err.flush();
    // Nothing is under way at the prompt: Ctrl-C there ends weirctl at once, as anyone at a
    // terminal expects, with nothing written (the handler would only be read after Enter).
    struct sigaction byDefault = {};
    byDefault.sa_handler = SIG_DFL;
    struct sigaction previous = {};
    ::sigaction(SIGINT, &byDefault, &previous);
    char answer[16] = {};
    const bool read = std::fgets(answer, sizeof answer, stdin) != nullptr;
    ::sigaction(SIGINT, &previous, nullptr);
    if (read && (answer[0] == 'y' || answer[0] == 'Y'))
        return true;
    m_err << "Nothing was written.\n";
    m_err.flush();
    return false;
}

void CtlRun::finishRefused()
{
    finish(m_flags.dryRun ? CtlExit::Ok : CtlExit::Refused);
}

void CtlRun::handleInterrupts()
{
    m_handlesInterrupts = true;
}

void CtlRun::onSignal()
{
    char byte = 0;
    [[maybe_unused]] const ssize_t got = ::read(s_signalPipe[0], &byte, 1);
    if (!m_handlesInterrupts) {
        endProgress();
        m_err << "weirctl: interrupted\n";
        finish(CtlExit::Interrupted);
        return;
    }
    endProgress();
    if (m_interrupted) {
        m_err << "weirctl: still stopping: waiting for the chunk under way to finish, so "
                 "that nothing is lost\n";
    } else {
        m_err << "weirctl: stopping after the chunk under way…\n";
        m_interrupted = true;
        Q_EMIT interruptRequested();
    }
    m_err.flush();
}

void CtlRun::progress(const QString &text, double done)
{
    const bool terminal = stderrIsTerminal();
    if (m_sinceProgress.isValid() && m_sinceProgress.elapsed() < (terminal ? 100 : 1000))
        return;
    m_sinceProgress.start();
    if (terminal) {
        m_err << '\r';
        if (done >= 0) {
            constexpr int Width = 24;
            const int filled = qBound(0, int(std::lround(done * Width)), Width);
            m_err << '[' << QString(filled, QLatin1Char('#'))
                  << QString(Width - filled, QLatin1Char('.')) << "] ";
        }
        m_err << text << "\x1b[K";
        m_progressShown = true;
    } else {
        m_err << text << '\n';
    }
    m_err.flush();
}

void CtlRun::endProgress()
{
    if (m_progressShown)
        m_err << "\r\x1b[K";
    m_progressShown = false;
    m_sinceProgress.invalidate();
    m_err.flush();
}

void CtlRun::printError(const QString &what, const QString &error)
{
    endProgress();
    m_err << "weirctl: " << what << ": " << error << '\n';
    const QString hint = errorHint(error);
    if (!hint.isEmpty())
        m_err << "hint: " << hint << '\n';
    m_err.flush();
}

void CtlRun::fail(const QString &what, const RedisResult &result)
{
    fail(what, resultError(result));
}

QString CtlRun::resultError(const RedisResult &result)
{
    if (!result.ok())
        return result.error;
    for (const RedisValue &reply : result.replies)
        if (reply.isError())
            return QString::fromUtf8(reply.bytes());
    return {};
}

void CtlRun::fail(const QString &what, const QString &error)
{
    printError(what, error);
    finish(CtlExit::Failed);
}

void CtlRun::finish(int code)
{
    if (m_finished)
        return;
    m_finished = true;
    endProgress();
    m_out.flush();
    m_err.flush();
    QCoreApplication::exit(code);
}
