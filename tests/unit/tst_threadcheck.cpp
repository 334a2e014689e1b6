// The thread checks of threadcheck.h: silent on the object's own thread, and on another
// thread they stop Weir (in this build too, which defines NDEBUG), naming the function.
// A stopped program cannot report to QTest, so the misuse runs in a child process: this
// same program, started with WEIR_THREADCHECK_MISUSE naming what to misuse.

#include "redisconnection.h"
#include "threadcheck.h"

#include <QCoreApplication>
#include <QProcess>
#include <QTest>
#include <QThread>

#include <memory>
#include <utility>

namespace {

constexpr char MisuseVariable[] = "WEIR_THREADCHECK_MISUSE";

// Runs f on a thread of its own and waits for it.
template<typename F> void onOtherThread(F f)
{
    std::unique_ptr<QThread> thread(QThread::create(std::move(f)));
    thread->start();
    thread->wait();
}

// The child's part: what WEIR_THREADCHECK_MISUSE names, called from the wrong thread.
int misuse(const QByteArray &what)
{
    if (what == "object") {
        QObject object;
        onOtherThread([&object] { WEIR_ASSERT_OBJECT_THREAD(&object); });
    } else if (what == "connection") {
        RedisConnection connection(ConnectionOptions{});
        onOtherThread([&connection] { connection.cancel(1); });
    }
    return 0; // not stopped: the parent sees a normal exit and fails
}

} // namespace

class TestThreadCheck : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void ownThreadPasses();
    void otherThreadStops_data();
    void otherThreadStops();
};

void TestThreadCheck::ownThreadPasses()
{
    QObject object;
    WEIR_ASSERT_OBJECT_THREAD(&object);
    RedisConnection connection(ConnectionOptions{});
    connection.cancel(1);
    // An object moved to another thread is checked against that thread, not its creator's.
    QThread thread;
    QObject moved;
    moved.moveToThread(&thread);
    bool checked = false;
    QObject::connect(&thread, &QThread::started, &moved, [&] {
        WEIR_ASSERT_OBJECT_THREAD(&moved);
        checked = true;
        thread.quit();
    });
    thread.start();
    QVERIFY(thread.wait(10000));
    QVERIFY(checked);
}

void TestThreadCheck::otherThreadStops_data()
{
    QTest::addColumn<QByteArray>("misuse");
    QTest::addColumn<QString>("function");
    QTest::newRow("any object") << QByteArray("object") << QStringLiteral("lambda");
    QTest::newRow("RedisConnection")
        << QByteArray("connection") << QStringLiteral("RedisConnection::cancel");
}

void TestThreadCheck::otherThreadStops()
{
    QFETCH(QByteArray, misuse);
    QFETCH(QString, function);
    QProcess child;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QString::fromLatin1(MisuseVariable), QString::fromLatin1(misuse));
    child.setProcessEnvironment(environment);
    child.start(QCoreApplication::applicationFilePath(), {});
    QVERIFY(child.waitForFinished(30000));
    const QString output = QString::fromLocal8Bit(child.readAllStandardError());
    QCOMPARE(child.exitStatus(), QProcess::CrashExit);
    QVERIFY2(output.contains(QStringLiteral("Weir: ")) && output.contains(function),
             qPrintable(output));
    QVERIFY2(output.contains(QStringLiteral("but its object lives on thread")), qPrintable(output));
}

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    if (qEnvironmentVariableIsSet(MisuseVariable))
        return misuse(qgetenv(MisuseVariable));
    TestThreadCheck test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_threadcheck.moc"
