// weirctl pending STREAM GROUP: a group's pending entries, as the Pending page shows them,
// with XPENDING's summary and the delivery-count histogram of the poison-message view.

#include "ctlarguments.h"
#include "ctlcommand.h"
#include "ctlrun.h"
#include "pendingmodel.h"

#include <QCommandLineParser>
#include <QJsonArray>
#include <QJsonObject>

#include <limits>

namespace {

QJsonValue idOrNull(const std::optional<StreamId> &id)
{
    return id ? QJsonValue(id->toString()) : QJsonValue(QJsonValue::Null);
}

class PendingCommand : public CtlCommand
{
public:
    Spec spec() const override
    {
        Spec s;
        s.name = QStringLiteral("pending");
        s.arguments = QStringLiteral("STREAM GROUP");
        s.summary = QStringLiteral("A group's pending entries, with the delivery-count histogram.");
        s.description = QStringLiteral(
            "XPENDING's summary of the group (total, lowest and highest id, entries per\n"
            "consumer), then its pending entries oldest first (id, consumer, idle time,\n"
            "deliveries, and whether the entry is still in the stream: false for one deleted\n"
            "or trimmed while pending), then how many of those entries were delivered 1, 2,\n"
            "3-5, 6-10 and 11 or more times: entries delivered many times are poison messages.\n\n"
            "--consumer and --idle filter the entries (not the summary); --idle needs Redis\n"
            "6.2. summary.matching counts the entries the filter matches (null with --idle:\n"
            "Redis cannot count those), summary.truncated says --count cut the list.");
        s.examples = {QStringLiteral("weirctl pending orders billing"),
                      QStringLiteral("weirctl pending orders billing --consumer worker-7 --idle "
                                     "600000 --count 1000"),
                      QStringLiteral("weirctl pending orders billing --format json | jq "
                                     "'.deliveries'")};
        return s;
    }

    QList<QCommandLineOption> options() const override
    {
        return {m_consumerOption, m_idleOption, m_countOption};
    }

    QString configure(const QCommandLineParser &parsed, const QStringList &arguments) override
    {
        QString error = CtlArguments::streamAndGroupArguments(arguments, &m_key, &m_group);
        if (!error.isEmpty())
            return error;
        m_consumer = parsed.value(m_consumerOption).toUtf8();
        qint64 count = m_count;
        if (!CtlArguments::numberOption(parsed, m_idleOption, 0, &m_minIdleMs, &error)
            || !CtlArguments::numberOption(parsed, m_countOption, 1, &count, &error))
            return error;
        if (count > std::numeric_limits<int>::max())
            return QStringLiteral("--count: at most %1").arg(std::numeric_limits<int>::max());
        m_count = int(count);
        return {};
    }

    void run(CtlRun &run) override
    {
        m_model = std::make_unique<PendingModel>();
        m_model->setPageSize(m_count);
        QObject::connect(m_model.get(), &PendingModel::errorOccurred, m_model.get(),
                         [this](const QString &message) {
            if (m_error.isEmpty())
                m_error = message;
        });
        m_model->setGroup(run.connection(), m_key, m_group);
        if ((!m_consumer.isEmpty() || m_minIdleMs > 0)
            && !m_model->setFilter(m_consumer, m_minIdleMs)) {
            run.fail(what(), m_error);
            return;
        }
        QObject::connect(m_model.get(), &PendingModel::loaded, m_model.get(),
                         [this, &run] { print(run); });
    }

private:
    QString what() const
    {
        return QStringLiteral("pending entries of group %1 of %2")
            .arg(QString::fromUtf8(m_group), QString::fromUtf8(m_key));
    }

    void print(CtlRun &run)
    {
        if (!m_error.isEmpty()) {
            run.fail(what(), m_error);
            return;
        }
        std::unique_ptr<RecordWriter> writer = run.makeWriter(QStringLiteral("weirctl.pending"), 1);
        writer->field(QStringLiteral("stream"), QString::fromUtf8(m_key));
        writer->field(QStringLiteral("group"), QString::fromUtf8(m_group));
        printSummary(run, *writer);

        writer->beginTable(QStringLiteral("pending"),
                           {{QStringLiteral("id"), QStringLiteral("ID")},
                            {QStringLiteral("consumer"), QStringLiteral("CONSUMER")},
                            {QStringLiteral("idle_ms"), QStringLiteral("IDLE MS"), true},
                            {QStringLiteral("deliveries"), QStringLiteral("DELIVERIES"), true},
                            {QStringLiteral("in_stream"), QStringLiteral("IN STREAM")}});
        for (int row = 0; row < m_model->rowCount(); ++row) {
            const PendingEntry &e = m_model->entryAt(row);
            const QVariant exists =
                m_model->data(m_model->index(row, PendingModel::Exists), PendingModel::ValueRole);
            writer->row({{QStringLiteral("id"), e.id.toString()},
                         {QStringLiteral("consumer"), QString::fromUtf8(e.consumer)},
                         {QStringLiteral("idle_ms"), e.idleMs},
                         {QStringLiteral("deliveries"), e.deliveries},
                         {QStringLiteral("in_stream"), QJsonValue::fromVariant(exists)}});
        }
        writer->endTable();

        writer->beginTable(QStringLiteral("deliveries"),
                           {{QStringLiteral("bucket"), QStringLiteral("DELIVERIES")},
                            {QStringLiteral("min_deliveries"), QStringLiteral("FROM"), true},
                            {QStringLiteral("max_deliveries"), QStringLiteral("TO"), true},
                            {QStringLiteral("count"), QStringLiteral("ENTRIES"), true}});
        for (const PendingModel::DeliveryBucket &b : m_model->deliveryHistogram()) {
            writer->row(
                {{QStringLiteral("bucket"), b.label},
                 {QStringLiteral("min_deliveries"), b.minDeliveries},
                 {QStringLiteral("max_deliveries"),
                  b.maxDeliveries < 0 ? QJsonValue(QJsonValue::Null) : QJsonValue(b.maxDeliveries)},
                 {QStringLiteral("count"), b.entries}});
        }
        writer->finish();
        run.finish(CtlExit::Ok);
    }

    // JSON: one "summary" object. A table and CSV have no nested objects, so there the
    // summary is top-level fields, and its consumers a table of their own.
    void printSummary(CtlRun &run, RecordWriter &writer)
    {
        const std::optional<PendingSummary> &summary = m_model->summary();
        const std::optional<qint64> matching = m_model->matchingCount();
        const QJsonObject fields{
            {QStringLiteral("total"),
             summary ? QJsonValue(summary->count) : QJsonValue(QJsonValue::Null)},
            {QStringLiteral("lowest_id"), idOrNull(summary ? summary->smallest : std::nullopt)},
            {QStringLiteral("highest_id"), idOrNull(summary ? summary->largest : std::nullopt)},
            {QStringLiteral("matching"), matching ? QJsonValue(*matching) : QJsonValue()},
            {QStringLiteral("truncated"), !m_model->atEnd()},
        };
        QList<QJsonObject> consumers;
        if (summary) {
            for (const auto &[name, count] : summary->consumers)
                consumers.append({{QStringLiteral("name"), QString::fromUtf8(name)},
                                  {QStringLiteral("pending"), count}});
        }
        if (run.format() == OutputFormat::Json) {
            QJsonObject object = fields;
            QJsonArray array;
            for (const QJsonObject &c : std::as_const(consumers))
                array.append(c);
            object.insert(QStringLiteral("consumers"), array);
            writer.field(QStringLiteral("summary"), object);
            return;
        }
        for (const char *key : {"total", "lowest_id", "highest_id", "matching", "truncated"})
            writer.field(QLatin1String(key), fields.value(QLatin1String(key)));
        writer.beginTable(QStringLiteral("consumers"),
                          {{QStringLiteral("name"), QStringLiteral("CONSUMER")},
                           {QStringLiteral("pending"), QStringLiteral("PENDING"), true}});
        for (const QJsonObject &c : std::as_const(consumers))
            writer.row(c);
        writer.endTable();
    }

    const QCommandLineOption m_consumerOption{QStringLiteral("consumer"),
                                              QStringLiteral("Only the entries of this consumer."),
                                              QStringLiteral("name")};
    const QCommandLineOption m_idleOption{
        QStringLiteral("idle"),
        QStringLiteral("Only entries idle at least this long (Redis 6.2+)."), QStringLiteral("ms")};
    const QCommandLineOption m_countOption{
        QStringLiteral("count"), QStringLiteral("At most this many entries (default 100)."),
        QStringLiteral("n")};

    QByteArray m_key;
    QByteArray m_group;
    QByteArray m_consumer;
    qint64 m_minIdleMs = 0;
    int m_count = 100;
    std::unique_ptr<PendingModel> m_model;
    QString m_error;
};

} // namespace

std::unique_ptr<CtlCommand> makePendingCommand()
{
    return std::make_unique<PendingCommand>();
}
