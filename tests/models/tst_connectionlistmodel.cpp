// ConnectionListModel under QAbstractItemModelTester, and ProfileStore keeping the
// sentinel fields of a profile but never the sentinels' password.
#include "connectionprofiles.h"

#include <QAbstractItemModelTester>
#include <QFile>
#include <QIcon>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

class TestConnectionListModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void upsertRemoveAndStatus();
    void sentinelProfileKeepsNoPassword();
};

static ConnectionProfile profile(const QString &id, const QString &name, bool readOnly = false)
{
    ConnectionProfile p;
    p.id = id;
    p.options.name = name;
    p.options.port = 6380;
    p.options.readOnly = readOnly;
    return p;
}

void TestConnectionListModel::upsertRemoveAndStatus()
{
    ConnectionListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setProfiles({profile(QStringLiteral("a"), QStringLiteral("Alpha"))});
    QCOMPARE(model.rowCount(), 1);

    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QCOMPARE(model.upsert(profile(QStringLiteral("b"), QStringLiteral("Beta"), true)), 1);
    QCOMPARE(inserted.size(), 1);
    QCOMPARE(model.index(1).data().toString(), QStringLiteral("Beta (read-only)"));
    QCOMPARE(model.index(1).data(ConnectionListModel::IdRole).toString(), QStringLiteral("b"));
    QCOMPARE(model.index(1).data(ConnectionListModel::EndpointRole).toString(),
             QStringLiteral("127.0.0.1:6380"));

    // The same id replaces the row in place.
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    QCOMPARE(model.upsert(profile(QStringLiteral("a"), QStringLiteral("Alpha 2"))), 0);
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(changed.size(), 1);
    QCOMPARE(model.index(0).data().toString(), QStringLiteral("Alpha 2"));

    // A state shows as an icon and its message in the tooltip.
    const QIcon idle = model.index(0).data(Qt::DecorationRole).value<QIcon>();
    model.setStatus(QStringLiteral("a"), ConnectionState::Failed, QStringLiteral("refused"));
    QVERIFY(model.index(0).data(Qt::ToolTipRole).toString().contains(QLatin1String("refused")));
    const QIcon failed = model.index(0).data(Qt::DecorationRole).value<QIcon>();
    QVERIFY(!failed.isNull());
    QVERIFY(failed.pixmap(16).toImage() != idle.pixmap(16).toImage());

    model.remove(QStringLiteral("a"));
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(model.rowOf(QStringLiteral("b")), 0);
    QCOMPARE(model.rowOf(QStringLiteral("a")), -1);
    model.remove(QStringLiteral("missing")); // nothing happens
    QCOMPARE(model.rowCount(), 1);
}

void TestConnectionListModel::sentinelProfileKeepsNoPassword()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString ini = dir.filePath(QStringLiteral("weir.ini"));
    ConnectionProfile p = profile(QStringLiteral("s"), QStringLiteral("Queues"));
    p.options.sentinels = {QStringLiteral("10.0.0.1:26379"), QStringLiteral("10.0.0.2:26380")};
    p.options.masterName = QStringLiteral("queues");
    p.options.sentinelUsername = QStringLiteral("watcher");
    p.options.sentinelPassword = QStringLiteral("sentinel-secret-1234");
    p.options.password = QStringLiteral("data-secret-5678");
    p.sentinelPasswordInKeychain = true;
    {
        QSettings settings(ini, QSettings::IniFormat);
        ProfileStore(&settings).save(p);
    }
    QFile raw(ini);
    QVERIFY(raw.open(QIODevice::ReadOnly));
    const QByteArray text = raw.readAll();
    QVERIFY2(!text.contains("sentinel-secret-1234"), text.constData());
    QVERIFY2(!text.contains("data-secret-5678"), text.constData());
    QVERIFY2(!text.contains("sentinelPassword="), text.constData());

    QSettings settings(ini, QSettings::IniFormat);
    const QList<ConnectionProfile> loaded = ProfileStore(&settings).load();
    QCOMPARE(loaded.size(), 1);
    const ConnectionOptions &o = loaded.first().options;
    QCOMPARE(o.sentinels, p.options.sentinels);
    QCOMPARE(o.masterName, p.options.masterName);
    QCOMPARE(o.sentinelUsername, p.options.sentinelUsername);
    QCOMPARE(o.sentinelPassword, QString());
    QCOMPARE(o.password, QString());
    QCOMPARE(loaded.first().sentinelPasswordInKeychain, true);
    QVERIFY2(o.validate().isEmpty(), qPrintable(o.validate()));
}

QTEST_MAIN(TestConnectionListModel)
#include "tst_connectionlistmodel.moc"
