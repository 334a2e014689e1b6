#include "bulkreport.h"
#include "ctlcommand.h"
#include "ctlrun.h"
#include "entryactions.h"

#include <QCommandLineParser>
#include <QCoreApplication>

#include <algorithm>

namespace {

QString text(const QByteArray &bytes)
{
    return QString::fromUtf8(bytes);
}

// weirctl delete: the stream inspector's "Delete entries": first where the entries are
// pending (PendingRefFinder), then XDEL in chunks (with XACK in those groups on --ack).
class DeleteCommand : public CtlCommand
{
public:
    Spec spec() const override
    {
        Spec s;
        s.name = QStringLiteral("delete");
        s.arguments = QStringLiteral("STREAM ID...");
        s.summary = QStringLiteral("Delete entries from a stream (XDEL).");
        s.description = QStringLiteral(
            "Deletes the entries given. First it looks for the groups where they are\n"
            "pending: XDEL leaves those in the groups' pending lists as orphans that no\n"
            "consumer can process, unless --ack acks them there in the same MULTI/EXEC.\n"
            "XDEL goes in chunks of 1000 ids, each applied whole; Ctrl-C stops between\n"
            "chunks and prints what was done. XDEL cannot be undone.\n"
            "Exits 0 when every id is done, 1 when some are not (or failed, or are of\n"
            "unknown fate), 130 when stopped by Ctrl-C.\n\n"
            "Output: a weirctl.report document (see weirctl(1)); affected counts the\n"
            "entries XDEL removed (an id not in the stream is done, not counted).");
        s.examples = {QStringLiteral("weirctl delete orders 1700000000000-0 1700000000000-1"),
                      QStringLiteral("weirctl delete orders 1700000000000-0 --ack --yes")};
        s.writes = true;
        return s;
    }

    QList<QCommandLineOption> options() const override
    {
        return {QCommandLineOption(QStringLiteral("ack"),
                                   QStringLiteral("Also ack the entries in the groups where they "
                                                  "are pending (XACK with each XDEL).")),
                bulkRateOption()};
    }

    QString configure(const QCommandLineParser &parsed, const QStringList &arguments) override
    {
        if (arguments.size() < 2)
            return QStringLiteral("name the stream and the ids to delete");
        m_key = arguments.first().toUtf8();
        m_alsoAck = parsed.isSet(QStringLiteral("ack"));
        QString error;
        if (!idArguments(arguments.mid(1), &m_ids, &error)
            || !rateFromOption(parsed, &m_rate, &error))
            return error;
        return {};
    }

    void run(CtlRun &run) override
    {
        auto *finder = new PendingRefFinder(&run);
        QObject::connect(finder, &PendingRefFinder::finished, &run,
                         [this, &run](const EntryActions::PendingRefs &refs, const QString &error) {
            if (!error.isEmpty()) {
                run.fail(QStringLiteral("looking for the groups where the entries are pending "
                                        "on %1")
                             .arg(text(m_key)),
                         error);
                return;
            }
            remove(run, refs);
        });
        finder->start(run.connection(), m_key, m_ids);
    }

private:
    void remove(CtlRun &run, const EntryActions::PendingRefs &refs)
    {
        auto *runner = new BulkRunner(&run);
        runner->setRate(m_rate);
        const QList<BulkRunner::Chunk> chunks =
            EntryActions::deleteChunks(m_key, m_ids, refs, m_alsoAck);
        QString what =
            QStringLiteral("Delete ")
            + QCoreApplication::translate("weirctl", "%n entries", nullptr, int(m_ids.size()))
            + QStringLiteral(" from stream %1, first %2, last %3.\nXDEL cannot be "
                             "undone.")
                  .arg(text(m_key), QString::fromLatin1(m_ids.constFirst()),
                       QString::fromLatin1(m_ids.constLast()));
        QList<QByteArray> groups = refs.keys();
        std::sort(groups.begin(), groups.end());
        QStringList where;
        for (const QByteArray &group : std::as_const(groups))
            where << QStringLiteral("%1 in %2").arg(refs.value(group).size()).arg(text(group));
        if (!where.isEmpty())
            what += m_alsoAck ? QStringLiteral("\nPending entries among them: %1; they are acked "
                                               "there with their XDEL (--ack).")
                                    .arg(where.join(QLatin1String(", ")))
                              : QStringLiteral("\nWARNING: pending entries among them: %1. XDEL "
                                               "leaves those in the groups' pending lists as "
                                               "orphans that no consumer can process (--ack acks "
                                               "them too).")
                                    .arg(where.join(QLatin1String(", ")));
        if (!confirmBulkRun(run, what, chunks, *runner))
            return;
        startBulkRun(run, runner, QStringLiteral("delete"), chunks,
                     EntryActions::deleteVerifier(m_key));
    }

    QByteArray m_key;
    QList<QByteArray> m_ids;
    double m_rate = 0;
    bool m_alsoAck = false;
};

} // namespace

std::unique_ptr<CtlCommand> makeDeleteCommand()
{
    return std::make_unique<DeleteCommand>();
}
