// weirctl groups STREAM: the consumer groups of a stream, as the Groups page shows them.

#include "ctlarguments.h"
#include "ctlcommand.h"
#include "ctlrun.h"
#include "grouplag.h"
#include "groupsmodel.h"

#include <QCommandLineParser>
#include <QJsonObject>

namespace {

class GroupsCommand : public CtlCommand
{
public:
    Spec spec() const override
    {
        Spec s;
        s.name = QStringLiteral("groups");
        s.arguments = QStringLiteral("STREAM");
        s.summary = QStringLiteral("The consumer groups of a stream: pending, lag, position.");
        s.description = QStringLiteral(
            "One row per consumer group (XINFO GROUPS): consumers, pending entries, last-"
            "delivered id, entries read and lag, as Redis reports them, and the time lag: the\n"
            "age of the oldest entry not yet delivered to the group.\n\n"
            "Where Redis reports no lag (nil: entries deleted after the group's position, or a\n"
            "position set to an arbitrary id; or a server before Redis 7.0), lag is null and\n"
            "lag_unknown_reason says why; Weir then counts the entries after the last-\n"
            "delivered id (up to 100000) as lag_estimate. Before Redis 7.0 entries_read is\n"
            "null too.");
        s.examples = {QStringLiteral("weirctl groups orders"),
                      QStringLiteral("weirctl -u redis://queue-host:6379 groups orders --format "
                                     "json | jq '.groups[] | {name, lag}'")};
        return s;
    }

    QString configure(const QCommandLineParser &, const QStringList &arguments) override
    {
        return CtlArguments::streamArgument(arguments, &m_key);
    }

    void run(CtlRun &run) override
    {
        m_model = std::make_unique<GroupsModel>();
        QObject::connect(m_model.get(), &GroupsModel::errorOccurred, m_model.get(),
                         [this](const QString &message) {
            if (m_error.isEmpty())
                m_error = message;
        });
        QObject::connect(m_model.get(), &GroupsModel::loaded, m_model.get(),
                         [this, &run] { print(run); });
        m_model->setStream(run.connection(), m_key);
    }

private:
    void print(CtlRun &run)
    {
        const QString what = QStringLiteral("groups of %1").arg(QString::fromUtf8(m_key));
        if (!m_error.isEmpty() && m_model->rowCount() == 0) {
            run.fail(what, m_error);
            return;
        }
        const ServerInfo &server = run.connection()->serverInfo();
        std::unique_ptr<RecordWriter> writer = run.makeWriter(QStringLiteral("weirctl.groups"), 1);
        writer->field(QStringLiteral("stream"), QString::fromUtf8(m_key));
        writer->beginTable(
            QStringLiteral("groups"),
            {{QStringLiteral("name"), QStringLiteral("GROUP")},
             {QStringLiteral("consumers"), QStringLiteral("CONSUMERS"), true},
             {QStringLiteral("pending"), QStringLiteral("PENDING"), true},
             {QStringLiteral("last_delivered_id"), QStringLiteral("LAST DELIVERED")},
             {QStringLiteral("entries_read"), QStringLiteral("READ"), true},
             {QStringLiteral("lag"), QStringLiteral("LAG"), true},
             {QStringLiteral("lag_estimate"), QStringLiteral("LAG ESTIMATE"), true},
             {QStringLiteral("lag_estimate_is_lower_bound"), QStringLiteral("AT LEAST")},
             {QStringLiteral("time_lag_ms"), QStringLiteral("TIME LAG MS"), true},
             {QStringLiteral("lag_unknown_reason"), QStringLiteral("NO LAG BECAUSE")}});
        for (int row = 0; row < m_model->rowCount(); ++row) {
            const GroupInfo &g = m_model->groupAt(row);
            const auto value = [&](int column, int role) {
                return QJsonValue::fromVariant(m_model->data(m_model->index(row, column), role));
            };
            const QJsonValue estimate = value(GroupsModel::Lag, GroupsModel::LagEstimateRole);
            QJsonObject r{
                {QStringLiteral("name"), QString::fromUtf8(g.name)},
                {QStringLiteral("consumers"), g.consumers},
                {QStringLiteral("pending"), g.pending},
                {QStringLiteral("last_delivered_id"), g.lastDeliveredId.toString()},
                {QStringLiteral("entries_read"),
                 g.entriesRead ? QJsonValue(*g.entriesRead) : QJsonValue(QJsonValue::Null)},
                {QStringLiteral("lag"), g.lag ? QJsonValue(*g.lag) : QJsonValue(QJsonValue::Null)},
                {QStringLiteral("lag_unknown_reason"),
                 g.lag ? QJsonValue(QJsonValue::Null)
                       : QJsonValue(groupLagUnknownReason(g, m_model->streamInfo(), server))},
                {QStringLiteral("lag_estimate"), estimate},
                {QStringLiteral("lag_estimate_is_lower_bound"),
                 estimate.isNull() ? QJsonValue(QJsonValue::Null)
                                   : value(GroupsModel::Lag, GroupsModel::LagIsLowerBoundRole)},
                {QStringLiteral("time_lag_ms"),
                 value(GroupsModel::TimeLag, GroupsModel::ValueRole)},
            };
            writer->row(r);
        }
        writer->finish();
        if (!m_error.isEmpty()) {
            // The groups were read; a later read (a time lag, a lag count) was not.
            run.fail(what, m_error);
            return;
        }
        run.finish(CtlExit::Ok);
    }

    QByteArray m_key;
    std::unique_ptr<GroupsModel> m_model;
    QString m_error;
};

} // namespace

std::unique_ptr<CtlCommand> makeGroupsCommand()
{
    return std::make_unique<GroupsCommand>();
}
