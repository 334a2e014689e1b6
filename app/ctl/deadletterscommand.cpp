// weirctl deadletters [STREAM]: the dead-letter streams, paired with their sources as the
// dashboard pairs them, and the reasons their dead letters record, counted.

#include "ctlarguments.h"
#include "ctlcommand.h"
#include "ctlrun.h"
#include "deadlettermodel.h"
#include "streamoverview.h"
#include "streamscommand.h"

#include <QCommandLineParser>
#include <QJsonObject>
#include <QSet>
#include <QTimer>

namespace {

constexpr qint64 DefaultReasonCap = 100000;

class DeadLettersCommand : public CtlCommand
{
public:
    Spec spec() const override
    {
        Spec s;
        s.name = QStringLiteral("deadletters");
        s.arguments = QStringLiteral("[STREAM]");
        s.summary = QStringLiteral("Dead-letter streams, their sources, and why messages died.");
        s.description = QStringLiteral(
            "Lists the dead-letter streams paired with their source streams by the\n"
            "connection's dead-letter patterns (as Weir's dashboard pairs them: both must be\n"
            "streams), with their lengths, then the reasons their dead letters record, with\n"
            "how many record each (reason null: none recorded), read with the field names of\n"
            "the connection's conventions (failureReason by default). With STREAM, only the\n"
            "pair it belongs to, as source or as dead-letter stream.");
        s.examples = {QStringLiteral("weirctl deadletters"),
                      QStringLiteral("weirctl deadletters orders --format json | jq "
                                     "'.reasons[] | select(.count > 10)'")};
        return s;
    }

    QList<QCommandLineOption> options() const override
    {
        return {m_maxOption, CtlDeadLetters::patternOption()};
    }

    QString configure(const QCommandLineParser &parsed, const QStringList &arguments) override
    {
        if (arguments.size() > 1)
            return QStringLiteral("one stream at most");
        m_stream = arguments.value(0).toUtf8();
        QString error;
        if (!CtlArguments::numberOption(parsed, m_maxOption, 1, &m_cap, &error))
            return error;
        m_patterns = CtlDeadLetters::patterns(parsed, &error);
        m_profile = parsed.value(QStringLiteral("profile"));
        return error;
    }

    void run(CtlRun &run) override
    {
        m_run = &run;
        m_conventions = CtlDeadLetters::conventions(run, m_profile, m_patterns);
        m_overview = std::make_unique<StreamOverview>(run.connection());
        if (!m_stream.isEmpty())
            m_overview->setMatch(StreamOverview::globEscape(m_stream));
        m_overview->setDeadLetterConventions(m_conventions);
        QObject::connect(m_overview.get(), &StreamOverview::rowsReady, m_overview.get(),
                         [this](const QList<StreamOverviewRow> &rows) {
            for (const StreamOverviewRow &row : rows) {
                if (row.status != StreamReadStatus::Ok)
                    continue;
                if (!row.deadLetterStream.isEmpty())
                    addPair(row.key, row.deadLetterStream, row.deadLetters.value_or(0));
                if (!row.deadLetterOf.isEmpty())
                    addPair(row.deadLetterOf, row.key, row.figures.length);
            }
        });
        QObject::connect(m_overview.get(), &StreamOverview::finished, m_overview.get(),
                         [this](const QString &error) {
            if (!error.isEmpty()) {
                m_run->fail(QStringLiteral("listing streams"), error);
                return;
            }
            QTimer::singleShot(0, m_overview.get(), [this] { countNext(); });
        });
        m_overview->start();
    }

private:
    struct Pair
    {
        QByteArray source;
        QByteArray deadLetters;
        qint64 length = 0;
        QList<DeadLetterModel::ReasonCount> reasons;
        qint64 counted = 0;
        bool capped = false;
    };

    void addPair(const QByteArray &source, const QByteArray &deadLetters, qint64 length)
    {
        if (m_listed.contains(deadLetters))
            return;
        m_listed.insert(deadLetters);
        m_pairs.append({source, deadLetters, length, {}, 0, false});
    }

    // The reasons of one dead-letter stream after the other, through the model the
    // dead-letter view counts them with.
    void countNext()
    {
        m_model.reset();
        if (m_next >= m_pairs.size()) {
            print();
            return;
        }
        m_model = std::make_unique<DeadLetterModel>();
        m_error.clear();
        QObject::connect(m_model.get(), &DeadLetterModel::errorOccurred, m_model.get(),
                         [this](const QString &message) {
            if (m_error.isEmpty())
                m_error = message;
        });
        m_model->setStream(m_run->connection(), m_pairs.at(m_next).deadLetters, m_conventions);
        m_model->countReasons(m_cap);
        QObject::connect(m_model.get(), &DeadLetterModel::reasonsChanged, m_model.get(), [this] {
            if (m_model->isCountingReasons())
                return;
            Pair &p = m_pairs[m_next];
            if (!m_error.isEmpty()) {
                m_run->fail(QStringLiteral("reading the dead letters of %1")
                                .arg(QString::fromUtf8(p.deadLetters)),
                            m_error);
                return;
            }
            p.reasons = m_model->reasons();
            p.counted = m_model->reasonsCounted();
            p.capped = m_model->reasonsCapped();
            ++m_next;
            QTimer::singleShot(0, m_overview.get(), [this] { countNext(); });
        });
    }

    void print()
    {
        std::unique_ptr<RecordWriter> writer =
            m_run->makeWriter(QStringLiteral("weirctl.deadletters"), 1);
        writer->beginTable(
            QStringLiteral("dead_letters"),
            {{QStringLiteral("source"), QStringLiteral("SOURCE")},
             {QStringLiteral("dead_letter_stream"), QStringLiteral("DEAD-LETTER STREAM")},
             {QStringLiteral("length"), QStringLiteral("LENGTH"), true},
             {QStringLiteral("reasons_counted"), QStringLiteral("COUNTED"), true},
             {QStringLiteral("reasons_capped"), QStringLiteral("CAPPED")}});
        for (const Pair &p : std::as_const(m_pairs)) {
            writer->row(QJsonObject{
                {QStringLiteral("source"), QString::fromUtf8(p.source)},
                {QStringLiteral("dead_letter_stream"), QString::fromUtf8(p.deadLetters)},
                {QStringLiteral("length"), p.length},
                {QStringLiteral("reasons_counted"), p.counted},
                {QStringLiteral("reasons_capped"), p.capped},
            });
        }
        writer->endTable();
        writer->beginTable(
            QStringLiteral("reasons"),
            {{QStringLiteral("dead_letter_stream"), QStringLiteral("DEAD-LETTER STREAM")},
             {QStringLiteral("reason"), QStringLiteral("REASON")},
             {QStringLiteral("count"), QStringLiteral("COUNT"), true}});
        for (const Pair &p : std::as_const(m_pairs)) {
            for (const DeadLetterModel::ReasonCount &r : p.reasons) {
                writer->row(QJsonObject{
                    {QStringLiteral("dead_letter_stream"), QString::fromUtf8(p.deadLetters)},
                    {QStringLiteral("reason"),
                     r.reason.isEmpty() ? QJsonValue() : QJsonValue(QString::fromUtf8(r.reason))},
                    {QStringLiteral("count"), r.count},
                });
            }
        }
        writer->finish();
        if (!m_stream.isEmpty() && m_pairs.isEmpty())
            m_run->err() << "weirctl: " << QString::fromUtf8(m_stream)
                         << " is neither a source with a dead-letter stream nor a dead-letter "
                            "stream, by the patterns in force\n";
        m_run->finish(CtlExit::Ok);
    }

    QCommandLineOption m_maxOption{
        QStringLiteral("max-count"),
        QStringLiteral("Count the reasons of at most <n> dead letters per dead-letter stream "
                       "(default 100000)."),
        QStringLiteral("n")};
    QByteArray m_stream;
    qint64 m_cap = DefaultReasonCap;
    QStringList m_patterns;
    QString m_profile;
    CtlRun *m_run = nullptr;
    DeadLetterConventions m_conventions;
    std::unique_ptr<StreamOverview> m_overview;
    std::unique_ptr<DeadLetterModel> m_model;
    QList<Pair> m_pairs;
    QSet<QByteArray> m_listed;
    qsizetype m_next = 0;
    QString m_error;
};

} // namespace

std::unique_ptr<CtlCommand> makeDeadLettersCommand()
{
    return std::make_unique<DeadLettersCommand>();
}
