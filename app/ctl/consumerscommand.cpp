// weirctl consumers STREAM GROUP: the consumers of a group, as the Consumers page shows them.

#include "consumersmodel.h"
#include "ctlarguments.h"
#include "ctlcommand.h"
#include "ctlrun.h"

#include <QCommandLineParser>
#include <QJsonObject>

namespace {

class ConsumersCommand : public CtlCommand
{
public:
    Spec spec() const override
    {
        Spec s;
        s.name = QStringLiteral("consumers");
        s.arguments = QStringLiteral("STREAM GROUP");
        s.summary = QStringLiteral("The consumers of a group: pending entries, idle time.");
        s.description = QStringLiteral(
            "One row per consumer (XINFO CONSUMERS): its pending entries, idle_ms (since its\n"
            "last attempted read or claim) and inactive_ms (since its last successful read;\n"
            "-1 when it never read one, as Redis says). inactive_ms is null before Redis 7.2,\n"
            "which does not report it.");
        s.examples = {QStringLiteral("weirctl consumers orders billing"),
                      QStringLiteral("weirctl consumers orders billing --format json | jq "
                                     "'.consumers[] | select(.idle_ms > 600000) | .name'")};
        return s;
    }

    QString configure(const QCommandLineParser &, const QStringList &arguments) override
    {
        return CtlArguments::streamAndGroupArguments(arguments, &m_key, &m_group);
    }

    void run(CtlRun &run) override
    {
        m_model = std::make_unique<ConsumersModel>();
        QObject::connect(m_model.get(), &ConsumersModel::errorOccurred, m_model.get(),
                         [this](const QString &message) { m_error = message; });
        QObject::connect(m_model.get(), &ConsumersModel::loaded, m_model.get(),
                         [this, &run] { print(run); });
        m_model->setGroup(run.connection(), m_key, m_group);
    }

private:
    void print(CtlRun &run)
    {
        if (!m_error.isEmpty()) {
            run.fail(QStringLiteral("consumers of group %1 of %2")
                         .arg(QString::fromUtf8(m_group), QString::fromUtf8(m_key)),
                     m_error);
            return;
        }
        std::unique_ptr<RecordWriter> writer =
            run.makeWriter(QStringLiteral("weirctl.consumers"), 1);
        writer->field(QStringLiteral("stream"), QString::fromUtf8(m_key));
        writer->field(QStringLiteral("group"), QString::fromUtf8(m_group));
        writer->beginTable(QStringLiteral("consumers"),
                           {{QStringLiteral("name"), QStringLiteral("CONSUMER")},
                            {QStringLiteral("pending"), QStringLiteral("PENDING"), true},
                            {QStringLiteral("idle_ms"), QStringLiteral("IDLE MS"), true},
                            {QStringLiteral("inactive_ms"), QStringLiteral("INACTIVE MS"), true}});
        for (int row = 0; row < m_model->rowCount(); ++row) {
            const ConsumerInfo &c = m_model->consumerAt(row);
            writer->row(
                {{QStringLiteral("name"), QString::fromUtf8(c.name)},
                 {QStringLiteral("pending"), c.pending},
                 {QStringLiteral("idle_ms"), c.idleMs},
                 {QStringLiteral("inactive_ms"),
                  c.inactiveMs ? QJsonValue(*c.inactiveMs) : QJsonValue(QJsonValue::Null)}});
        }
        writer->finish();
        run.finish(CtlExit::Ok);
    }

    QByteArray m_key;
    QByteArray m_group;
    std::unique_ptr<ConsumersModel> m_model;
    QString m_error;
};

} // namespace

std::unique_ptr<CtlCommand> makeConsumersCommand()
{
    return std::make_unique<ConsumersCommand>();
}
