#include "bulkreport.h"
#include "ctlcommand.h"
#include "ctlrun.h"
#include "pendingactions.h"

#include <QCommandLineParser>
#include <QCoreApplication>

namespace {

// weirctl ack: XACK in chunks, as the Groups page's "Ack" does, on the ids given or on
// every pending entry that matches a filter (read first with PendingCollector).
class AckCommand : public CtlCommand
{
public:
    Spec spec() const override
    {
        Spec s;
        s.name = QStringLiteral("ack");
        s.arguments = QStringLiteral("STREAM GROUP (ID...|--all-pending)");
        s.summary = QStringLiteral("Acknowledge pending entries of a group (XACK).");
        s.description = QStringLiteral(
            "Acknowledges the entries given, or with --all-pending every pending entry of\n"
            "the group (of one consumer with --consumer, idle at least MS with --idle). They\n"
            "leave the group's pending list and are not delivered to its consumers again;\n"
            "the entries stay in the stream. XACK goes in chunks of 1000 ids, each applied\n"
            "whole; Ctrl-C stops between chunks and prints what was done.\n"
            "Exits 0 when every id is done, 1 when some are not (or failed, or are of\n"
            "unknown fate), 130 when stopped by Ctrl-C.\n\n"
            "Output: a weirctl.report document (see weirctl(1)): done, not_done, failed,\n"
            "unknown, and the reasons.");
        s.examples = {
            QStringLiteral("weirctl ack orders billing 1700000000000-0 1700000000001-0"),
            QStringLiteral("weirctl ack orders billing --all-pending --consumer worker-7 --yes"),
            QStringLiteral("weirctl ack orders billing --all-pending --idle 3600000 --dry-run")};
        s.writes = true;
        return s;
    }

    QList<QCommandLineOption> options() const override
    {
        return {
            QCommandLineOption(QStringLiteral("all-pending"),
                               QStringLiteral("Ack every pending entry of the group that matches "
                                              "--consumer and --idle, instead of ids.")),
            QCommandLineOption(QStringLiteral("consumer"),
                               QStringLiteral("With --all-pending: only <consumer>'s entries."),
                               QStringLiteral("consumer")),
            QCommandLineOption(QStringLiteral("idle"),
                               QStringLiteral("With --all-pending: only entries idle at least "
                                              "<ms> (Redis 6.2)."),
                               QStringLiteral("ms")),
            bulkRateOption()};
    }

    QString configure(const QCommandLineParser &parsed, const QStringList &arguments) override
    {
        if (arguments.size() < 2)
            return QStringLiteral("name the stream and the group");
        m_key = arguments.at(0).toUtf8();
        m_group = arguments.at(1).toUtf8();
        m_all = parsed.isSet(QStringLiteral("all-pending"));
        QString error;
        if (!idArguments(arguments.mid(2), &m_ids, &error))
            return error;
        if (m_all == !m_ids.isEmpty())
            return m_all ? QStringLiteral("give either ids or --all-pending, not both")
                         : QStringLiteral("give the ids to ack, or --all-pending");
        if (!m_all
            && (parsed.isSet(QStringLiteral("consumer")) || parsed.isSet(QStringLiteral("idle"))))
            return QStringLiteral("--consumer and --idle choose among the pending entries: "
                                  "they go with --all-pending");
        m_consumer = parsed.value(QStringLiteral("consumer")).toUtf8();
        if (!millisecondsOption(parsed, QStringLiteral("idle"), &m_minIdleMs, &error)
            || !rateFromOption(parsed, &m_rate, &error))
            return error;
        return {};
    }

    void run(CtlRun &run) override
    {
        if (!m_all) {
            ack(run, m_ids, QString());
            return;
        }
        QStringList filter;
        if (!m_consumer.isEmpty())
            filter << QStringLiteral("of consumer %1").arg(QString::fromUtf8(m_consumer));
        if (m_minIdleMs > 0)
            filter << QStringLiteral("idle at least %1 ms").arg(m_minIdleMs);
        const QString which = filter.join(QLatin1String(", "));
        PendingRead read;
        read.consumer = m_consumer;
        read.minIdleMs = m_minIdleMs;
        collectPending(run, m_key, m_group, read,
                       [this, &run, which](const QList<QByteArray> &ids) {
            if (ids.isEmpty()) {
                run.err() << "weirctl ack: nothing to ack: group " << m_group << " on " << m_key
                          << " has no pending entries" << (which.isEmpty() ? "" : " ") << which
                          << ".\n";
                run.finish(reportBulkRun(run, QStringLiteral("ack"), BulkRunner::Report{}));
                return;
            }
            ack(run, ids, which);
        });
    }

private:
    void ack(CtlRun &run, const QList<QByteArray> &ids, const QString &which)
    {
        auto *runner = new BulkRunner(&run);
        runner->setRate(m_rate);
        const QList<BulkRunner::Chunk> chunks = PendingActions::ackChunks(m_key, m_group, ids);
        QString what =
            QStringLiteral("Ack ")
            + QCoreApplication::translate("weirctl", "%n pending entries", nullptr, int(ids.size()))
            + QStringLiteral(" of group %1 on stream %2")
                  .arg(QString::fromUtf8(m_group), QString::fromUtf8(m_key));
        if (!which.isEmpty())
            what += QStringLiteral(" (%1)").arg(which);
        what +=
            QStringLiteral(
                ", first %1, last %2.\nThey leave the group's pending list and are not delivered "
                "again; the entries stay in the stream.")
                .arg(QString::fromLatin1(ids.constFirst()), QString::fromLatin1(ids.constLast()));
        if (!confirmBulkRun(run, what, chunks, *runner))
            return;
        startBulkRun(run, runner, QStringLiteral("ack"), chunks,
                     PendingActions::ackVerifier(m_key, m_group));
    }

    QByteArray m_key;
    QByteArray m_group;
    QByteArray m_consumer;
    QList<QByteArray> m_ids;
    qint64 m_minIdleMs = 0;
    double m_rate = 0;
    bool m_all = false;
};

} // namespace

std::unique_ptr<CtlCommand> makeAckCommand()
{
    return std::make_unique<AckCommand>();
}
