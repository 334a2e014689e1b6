// Moving poison messages to a dead-letter stream and replaying them, against a real
// redis-server, on both paths (one Lua script per entry, and copy then remove): what is
// written is exactly what the dry run says, skips say why, pause holds, and a user who
// may not write the target changes nothing.
#include "deadletteractions.h"
#include "deadletterfixtures.h"
#include "gzip.h"
#include "livemodeltest.h"

#include <QSignalSpy>
#include <QTest>

using namespace DeadLetterActions;
using Fields = QList<QPair<QByteArray, QByteArray>>;

class TestDeadLetterActions : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void moveWritesDeadLettersAndAcks_data();
    void moveWritesDeadLettersAndAcks();
    void moveCanDeleteFromTheStream();
    void moveSkipsWhatIsNoLongerPending();
    void moveCopyReadsWhatIsStillPending();
    void replayWritesTheOriginalsBack_data();
    void replayWritesTheOriginalsBack();
    void replayCounterGoesUpEachRound();
    void replayKeepsMetadataWhenAsked();
    void replayWithoutOriginalStreamNeedsATarget();
    void replayGivesTheContentBackItsName_data();
    void replayGivesTheContentBackItsName();
    void replayIntoAForbiddenStreamRemovesNothing();
    void replayRestoresTheMessageFromItsContent_data();
    void replayRestoresTheMessageFromItsContent();
    void replayTenThousandWrittenByAnotherClient();
    void interruptedRemovalIsReportedAsPossibleDuplicates();
    void pauseHoldsAndResumeFinishes();
    void readOnlyConnectionSendsNoScript();
    void optionsAreValidated();

private:
    // Stream `key` with entries 1-0..n-0 (binary values, and a field named like a metadata
    // field), all read by consumer c of group g; the first `twice` delivered twice.
    void prepare(const QByteArray &key, int n, int twice = 0);
    QList<StreamEntry> entries(const QByteArray &key);
    QList<QByteArray> pending(const QByteArray &key);
    BulkRunner::Report runToEnd(BulkRunner &runner, QList<BulkRunner::Chunk> chunks,
                                BulkRunner::Verifier verifier, RedisConnection *on = nullptr);
    // Moves ids of `key` (group g) to `dlq` on the atomic path.
    BulkRunner::Report move(const QByteArray &key, const QList<QByteArray> &ids,
                            const QByteArray &dlq, bool deleteFromSource = false);
    BulkRunner::Report replay(const ReplayOptions &options, QList<ReplayItem> *plan = nullptr);

    LiveRedis m_redis;
    DeadLetterConventions m_conventions = DeadLetterConventions::defaults();
    QDateTime m_failedAt = QDateTime::fromMSecsSinceEpoch(1700000000123, Qt::UTC);
};

static QList<QByteArray> idRange(int from, int to)
{
    QList<QByteArray> ids;
    for (int i = from; i <= to; ++i)
        ids.append(QByteArray::number(i) + "-0");
    return ids;
}

static QList<QByteArray> idsOf(const QList<StreamEntry> &entries)
{
    QList<QByteArray> ids;
    for (const StreamEntry &e : entries)
        ids.append(e.id.toByteArray());
    return ids;
}

void TestDeadLetterActions::init()
{
    m_redis.start();
}

void TestDeadLetterActions::cleanup()
{
    m_redis.stop();
}

void TestDeadLetterActions::prepare(const QByteArray &key, int n, int twice)
{
    QList<RedisCommand> commands;
    for (int i = 1; i <= n; ++i) {
        commands.append(RedisCommand{{"XADD", key, QByteArray::number(i) + "-0", "value",
                                      QByteArray("{\"n\":") + QByteArray::number(i) + "}", "blob",
                                      QByteArray("\x00\xff\x01", 3) + QByteArray::number(i),
                                      "retryCount", "7"}});
    }
    commands.append(RedisCommand{{"XGROUP", "CREATE", key, "g", "0"}});
    commands.append(RedisCommand{{"XREADGROUP", "GROUP", "g", "c", "STREAMS", key, ">"}});
    if (twice > 0) {
        commands.append(RedisCommand{{"XREADGROUP", "GROUP", "g", "c", "COUNT",
                                      QByteArray::number(twice), "STREAMS", key, "0"}});
    }
    m_redis.run(commands);
}

QList<StreamEntry> TestDeadLetterActions::entries(const QByteArray &key)
{
    const QList<RedisValue> replies = m_redis.run({RedisCommand{{"XRANGE", key, "-", "+"}}});
    QString error;
    return parseEntries(replies.value(0), &error).value_or(QList<StreamEntry>());
}

QList<QByteArray> TestDeadLetterActions::pending(const QByteArray &key)
{
    const QList<RedisValue> replies =
        m_redis.run({RedisCommand{{"XPENDING", key, "g", "-", "+", "1000000"}}});
    const RedisValue reply = replies.value(0);
    QList<QByteArray> ids;
    for (const RedisValue &e : reply.elements())
        ids.append(e.at(0).bytes());
    return ids;
}

BulkRunner::Report TestDeadLetterActions::runToEnd(BulkRunner &runner,
                                                   QList<BulkRunner::Chunk> chunks,
                                                   BulkRunner::Verifier verifier,
                                                   RedisConnection *on)
{
    QSignalSpy finished(&runner, &BulkRunner::finished);
    [&] {
        QVERIFY(
            runner.start(on ? on : m_redis.connection(), std::move(chunks), std::move(verifier)));
        }();
    [&] { QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 30000); }();
    return finished.isEmpty() ? BulkRunner::Report{}
                              : finished.first().at(0).value<BulkRunner::Report>();
}

BulkRunner::Report TestDeadLetterActions::move(const QByteArray &key, const QList<QByteArray> &ids,
                                               const QByteArray &dlq, bool deleteFromSource)
{
    MoveOptions options{key, "g", dlq, QStringLiteral("amount is not a number"), deleteFromSource};
    BulkRunner runner;
    return runToEnd(runner, moveChunks(ids, options, m_conventions, m_failedAt, 7),
                    moveVerifier(options));
}

// Plans the replay of every dead letter (the dry run), then runs it on options.path.
BulkRunner::Report TestDeadLetterActions::replay(const ReplayOptions &options,
                                                 QList<ReplayItem> *plan)
{
    QList<ReplayItem> items;
    for (const StreamEntry &e : entries(options.deadLetterStream))
        items.append(planReplay(e, options, m_conventions));
    if (plan)
        *plan = items;
    BulkRunner runner;
    runner.setStopOnError(false);
    if (options.path == Path::CopyThenRemove)
        runner.setSecondPhase(replaySecondPhase(options));
    return runToEnd(runner, replayChunks(items, options, 7),
                    options.path == Path::Atomic ? replayVerifier(options)
                                                 : BulkRunner::Verifier{});
}

void TestDeadLetterActions::moveWritesDeadLettersAndAcks_data()
{
    QTest::addColumn<Path>("path");
    QTest::newRow("atomic") << Path::Atomic;
    QTest::newRow("copy then remove") << Path::CopyThenRemove;
}

void TestDeadLetterActions::moveWritesDeadLettersAndAcks()
{
    QFETCH(Path, path);
    prepare("orders", 30, 5);
    const QList<StreamEntry> before = entries("orders");
    const QList<QByteArray> ids = idRange(1, 12);
    MoveOptions options{"orders", "g", "orders:dlq", QStringLiteral("amount is not a number"),
                        false,    path};
    QCOMPARE(validate(options), QString());
    BulkRunner runner;
    BulkRunner::Report report;
    if (path == Path::Atomic) {
        report = runToEnd(runner, moveChunks(ids, options, m_conventions, m_failedAt, 5),
                          moveVerifier(options));
    } else {
        QList<PendingToMove> toMove;
        for (int i = 0; i < 12; ++i)
            toMove.append({before.at(i), i < 5 ? 2 : 1});
        runner.setSecondPhase(moveSecondPhase(options));
        report =
            runToEnd(runner, moveCopyChunks(toMove, options, m_conventions, m_failedAt, 5), {});
    }
    QCOMPARE(report.error, QString());
    QCOMPARE(report.done, ids);
    QVERIFY(report.notDone.isEmpty());

    const QList<StreamEntry> dead = entries("orders:dlq");
    QCOMPARE(dead.size(), 12);
    for (int i = 0; i < 12; ++i) {
        const Fields expected =
            deadLetterFields(before.at(i), i < 5 ? 2 : 1, options, m_conventions, m_failedAt);
        QCOMPARE(dead.at(i).fields, expected);
        // What the dead-letter view reads back from it.
        const DeadLetter letter = parseDeadLetter(dead.at(i), m_conventions);
        QCOMPARE(letter.originalStream, QByteArray("orders"));
        QCOMPARE(letter.originalId, ids.at(i));
        QCOMPARE(letter.group, QByteArray("g"));
        QCOMPARE(letter.reason, QByteArray("amount is not a number"));
        QCOMPARE(letter.retryCount, i < 5 ? 2 : 1);
        QCOMPARE(letter.failedAt, m_failedAt);
    }
    QCOMPARE(pending("orders"), idRange(13, 30));
    QCOMPARE(entries("orders").size(), 30); // acked, not deleted
}

void TestDeadLetterActions::moveCanDeleteFromTheStream()
{
    prepare("orders", 10);
    const auto report = move("orders", idRange(2, 4), "orders:dlq", true);
    QCOMPARE(report.done, idRange(2, 4));
    QCOMPARE(idsOf(entries("orders")), idRange(1, 1) + idRange(5, 10));
    QCOMPARE(pending("orders"), idRange(1, 1) + idRange(5, 10));
    QCOMPARE(entries("orders:dlq").size(), 3);
}

void TestDeadLetterActions::moveSkipsWhatIsNoLongerPending()
{
    prepare("orders", 6);
    m_redis.run(
        {RedisCommand{{"XACK", "orders", "g", "3-0"}}, RedisCommand{{"XDEL", "orders", "4-0"}}});
    const auto report = move("orders", idRange(1, 6), "orders:dlq");
    QCOMPARE(report.done, (QList<QByteArray>{"1-0", "2-0", "5-0", "6-0"}));
    QCOMPARE(report.notDone, (QList<QByteArray>{"3-0", "4-0"}));
    QVERIFY(report.failed.isEmpty());
    QCOMPARE(report.reasons.value("3-0"), QStringLiteral("no longer pending in the group"));
    QVERIFY2(report.reasons.value("4-0").startsWith(QLatin1String("deleted from the stream")),
             qPrintable(report.reasons.value("4-0")));
    QCOMPARE(pending("orders"), QList<QByteArray>{"4-0"}); // left for the operator to ack
    QCOMPARE(entries("orders:dlq").size(), 4);
}

// The copy-then-remove path writes its dead letters from the entries read beforehand: the
// ones still in the stream and still pending, with their delivery counts.
void TestDeadLetterActions::moveCopyReadsWhatIsStillPending()
{
    prepare("orders", 6, 2);
    m_redis.run(
        {RedisCommand{{"XACK", "orders", "g", "3-0"}}, RedisCommand{{"XDEL", "orders", "4-0"}}});
    const auto read = [this](const MoveOptions &options) {
        std::optional<QPair<QList<PendingToMove>, QString>> out;
        readPendingToMove(m_redis.connection(), options, idRange(1, 6), this,
                          [&](const QList<PendingToMove> &entries, const QString &error) {
            out = qMakePair(entries, error);
        });
        [&] { QTRY_VERIFY(out.has_value()); }();
        return out.value_or(qMakePair(QList<PendingToMove>{}, QStringLiteral("no reply")));
    };
    MoveOptions options{
        "orders", "g", "orders:dlq", QStringLiteral("poison"), false, Path::CopyThenRemove};
    const auto [entries, error] = read(options);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QList<QByteArray> ids;
    QList<qint64> deliveries;
    for (const PendingToMove &p : entries) {
        ids.append(p.entry.id.toByteArray());
        deliveries.append(p.deliveries);
    }
    QCOMPARE(ids, (QList<QByteArray>{"1-0", "2-0", "5-0", "6-0"}));
    QCOMPARE(deliveries, (QList<qint64>{2, 2, 1, 1}));
    QCOMPARE(entries.constFirst().entry.fields.value(0),
             (QPair<QByteArray, QByteArray>{"value", "{\"n\":1}"}));
    QVERIFY(this->entries("orders:dlq").isEmpty()); // reads only

    // What Redis refuses for an id (not a stream here) leaves that id out, as gone.
    m_redis.run({RedisCommand{{"SET", "plain", "x"}}});
    options.stream = "plain";
    const auto [none, noError] = read(options);
    QVERIFY(none.isEmpty());
    QVERIFY(noError.isEmpty());
}

void TestDeadLetterActions::replayWritesTheOriginalsBack_data()
{
    QTest::addColumn<Path>("path");
    QTest::newRow("atomic") << Path::Atomic;
    QTest::newRow("copy then remove") << Path::CopyThenRemove;
}

// Dead letters of two streams in one dead-letter stream go back each to its own stream,
// as they were, with a replay counter; the dry run said exactly what was written.
void TestDeadLetterActions::replayWritesTheOriginalsBack()
{
    QFETCH(Path, path);
    prepare("orders", 8);
    prepare("payments", 5);
    const QList<StreamEntry> orders = entries("orders");
    const QList<StreamEntry> payments = entries("payments");
    QCOMPARE(move("orders", idRange(1, 8), "dead").done.size(), 8);
    QCOMPARE(move("payments", idRange(1, 5), "dead").done.size(), 5);
    m_redis.run({RedisCommand{{"XTRIM", "orders", "MAXLEN", "0"}},
                 RedisCommand{{"XTRIM", "payments", "MAXLEN", "0"}}});

    ReplayOptions options{"dead", {}, true, "replayCount", path};
    QCOMPARE(validate(options), QString());
    QList<ReplayItem> plan;
    const auto report = replay(options, &plan);
    QCOMPARE(report.error, QString());
    QCOMPARE(report.done.size(), 13);
    QVERIFY(entries("dead").isEmpty());

    const QList<StreamEntry> replayedOrders = entries("orders");
    const QList<StreamEntry> replayedPayments = entries("payments");
    QCOMPARE(replayedOrders.size(), 8);
    QCOMPARE(replayedPayments.size(), 5);
    for (int i = 0; i < 8; ++i) {
        QCOMPARE(replayedOrders.at(i).fields, (orders.at(i).fields + Fields{{"replayCount", "1"}}));
        QCOMPARE(plan.at(i).target, QByteArray("orders"));
        QCOMPARE(plan.at(i).fields, replayedOrders.at(i).fields);
    }
    for (int i = 0; i < 5; ++i) {
        QCOMPARE(replayedPayments.at(i).fields,
                 (payments.at(i).fields + Fields{{"replayCount", "1"}}));
        QCOMPARE(plan.at(8 + i).target, QByteArray("payments"));
        QCOMPARE(plan.at(8 + i).fields, replayedPayments.at(i).fields);
    }
}

void TestDeadLetterActions::replayCounterGoesUpEachRound()
{
    prepare("orders", 3);
    move("orders", idRange(1, 3), "orders:dlq", true);
    replay(ReplayOptions{"orders:dlq", {}, true, "replayCount"});
    // The replayed copies fail again: read, dead-lettered, replayed.
    m_redis.run({RedisCommand{{"XREADGROUP", "GROUP", "g", "c", "STREAMS", "orders", ">"}}});
    move("orders", pending("orders"), "orders:dlq", true);
    const auto report = replay(ReplayOptions{"orders:dlq", {}, true, "replayCount"});
    QCOMPARE(report.done.size(), 3);
    for (const StreamEntry &e : entries("orders"))
        QCOMPARE(e.fields.constLast(), (QPair<QByteArray, QByteArray>{"replayCount", "2"}));
}

void TestDeadLetterActions::replayKeepsMetadataWhenAsked()
{
    prepare("orders", 4);
    move("orders", idRange(1, 4), "orders:dlq");
    const QList<StreamEntry> dead = entries("orders:dlq");
    const auto report = replay(ReplayOptions{"orders:dlq", "retry", false, {}});
    QCOMPARE(report.done.size(), 4);
    const QList<StreamEntry> copies = entries("retry");
    QCOMPARE(copies.size(), 4);
    for (int i = 0; i < 4; ++i)
        QCOMPARE(copies.at(i).fields, dead.at(i).fields);
}

void TestDeadLetterActions::replayWithoutOriginalStreamNeedsATarget()
{
    m_redis.run(
        {RedisCommand{{"XADD", "orders:dlq", "1-0", "failureReason", "timeout", "value", "x"}},
         RedisCommand{{"XADD", "orders:dlq", "2-0", "originalTopicName", "orders", "failureReason",
                       "timeout"}}});
    QList<ReplayItem> plan;
    const auto report = replay(ReplayOptions{"orders:dlq", {}, true, {}}, &plan);
    QCOMPARE(plan.size(), 2);
    QCOMPARE(plan.at(0).skipReason,
             QStringLiteral("no original stream recorded: pick a target stream"));
    QCOMPARE(plan.at(1).skipReason,
             QStringLiteral("nothing left to write once the metadata is stripped"));
    QCOMPARE(report.chunks, 0); // nothing sent
    QCOMPARE(entries("orders:dlq").size(), 2);

    const auto picked = replay(ReplayOptions{"orders:dlq", "retry", false, {}});
    QCOMPARE(picked.done, (QList<QByteArray>{"1-0", "2-0"}));
    QCOMPARE(entries("retry").size(), 2);
}

void TestDeadLetterActions::replayGivesTheContentBackItsName_data()
{
    QTest::addColumn<Path>("path");
    QTest::newRow("atomic") << Path::Atomic;
    QTest::newRow("copy then remove") << Path::CopyThenRemove;
}

// A dead letter in the layout most users write, whose messageContent holds the message's
// value rather than the whole message, goes back as the message it was; one that also has
// a field named value keeps both as they are.
void TestDeadLetterActions::replayGivesTheContentBackItsName()
{
    QFETCH(Path, path);
    m_redis.run({RedisCommand{{"XADD", "orders:dlq", "1-0", "originalTopicName", "orders",
                               "originalMessageId", "1700000000000-0", "consumerGroupId", "billing",
                               "failureReason", "amount is not a number", "retryCount", "4",
                               "messageContent", "[\"12,50 EUR\", 3]", "headers", "{}", "failedAt",
                               "2026-11-30T12:00:00.000Z"}},
                 RedisCommand{{"XADD", "orders:dlq", "2-0", "originalTopicName", "orders",
                               "messageContent", "kept", "value", "v"}}});
    QList<ReplayItem> plan;
    const auto report = replay(ReplayOptions{"orders:dlq", {}, true, {}, path}, &plan);
    QCOMPARE(report.done.size(), 2);
    const QList<StreamEntry> replayed = entries("orders");
    QCOMPARE(replayed.size(), 2);
    QCOMPARE(replayed.at(0).fields, (Fields{{"value", "[\"12,50 EUR\", 3]"}, {"headers", "{}"}}));
    QCOMPARE(replayed.at(1).fields, (Fields{{"messageContent", "kept"}, {"value", "v"}}));
    QCOMPARE(plan.at(0).fields, replayed.at(0).fields);
    QCOMPARE(plan.at(1).fields, replayed.at(1).fields);
}

// One dead letter as design 003's platform writes it (snake_case), its content given.
static RedisCommand snakeDeadLetter(const QByteArray &dlq, const QByteArray &content)
{
    return RedisCommand{{"XADD",
                         dlq,
                         "*",
                         "original_topic_name",
                         "orders",
                         "original_message_id",
                         "1700000000000-0",
                         "consumer_group_id",
                         "billing",
                         "failure_reason",
                         "amount must be positive",
                         "retry_count",
                         "5",
                         "message_content",
                         content,
                         "headers",
                         "{\"trace\":\"t1\"}",
                         "failed_at",
                         "2026-01-02T03:04:05Z",
                         "created_at",
                         "2026-01-02T03:04:05Z"}};
}

// Replaying a dead letter whose content holds the message writes the message, field by
// field and byte for byte, on both paths; the dry run (the plan) is what gets written.
void TestDeadLetterActions::replayRestoresTheMessageFromItsContent_data()
{
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<Fields>("expected");
    QTest::addColumn<Path>("path");
    const QByteArray object =
        R"({"order_id":"o-17","amount":1.0,"big":1234567890123456789,"note":"caf\u00e9\n\"q\"","paid":false})";
    const Fields message{{"order_id", "o-17"},
                         {"amount", "1.0"},
                         {"big", "1234567890123456789"},
                         {"note", "caf\xc3\xa9\n\"q\""},
                         {"paid", "false"}};
    for (const Path path : {Path::Atomic, Path::CopyThenRemove}) {
        const char *p = path == Path::Atomic ? "atomic" : "copy then remove";
        QTest::addRow("flat JSON object, %s", p) << object << message << path;
        QTest::addRow("gzip + base64, %s", p) << gzipCompress(object).toBase64() << message << path;
        QTest::addRow("pairs, %s", p) << QByteArray(R"([["b","2"],["a","\u0000x"]])")
                                      << Fields{{"b", "2"}, {"a", QByteArray("\0x", 2)}} << path;
        // Not a whole entry: the content goes back under the field the mapping names, the
        // dead letter's other fields (not metadata) with it.
        QTest::addRow("nested JSON, %s", p) << QByteArray(R"({"a":{"b":1}})")
                                            << Fields{{"value", R"({"a":{"b":1}})"},
                                                      {"headers", "{\"trace\":\"t1\"}"},
                                                      {"created_at", "2026-01-02T03:04:05Z"}}
                                            << path;
    }
}

void TestDeadLetterActions::replayRestoresTheMessageFromItsContent()
{
    QFETCH(QByteArray, content);
    QFETCH(Fields, expected);
    QFETCH(Path, path);
    m_conventions.setFieldsFor("orders:dlq", snakeCaseDeadLetterFields());
    m_conventions = m_conventions.forStream("orders:dlq");
    m_redis.run({snakeDeadLetter("orders:dlq", content)});

    QList<ReplayItem> plan;
    const BulkRunner::Report report =
        replay(ReplayOptions{"orders:dlq", {}, true, {}, path}, &plan);
    QCOMPARE(report.error, QString());
    QCOMPARE(report.done.size(), 1);
    QCOMPARE(plan.size(), 1);
    QCOMPARE(plan.first().target, QByteArray("orders"));
    QCOMPARE(plan.first().fields, expected);
    const QList<StreamEntry> written = entries("orders");
    QCOMPARE(written.size(), 1);
    QCOMPARE(written.first().fields, expected);
    QVERIFY(entries("orders:dlq").isEmpty());
    if (!plan.first().unpacked.isEmpty()) // the record's own fields are named as left out
        QCOMPARE(plan.first().leftOut, (QList<QByteArray>{"headers", "created_at"}));
}

// 10,000 dead letters written by another team's client (snake_case, the message as a JSON
// object in message_content, every third one gzip + base64), mapped by Detect from a
// sample, replayed: the stream gets back exactly the entries that failed, field by field.
void TestDeadLetterActions::replayTenThousandWrittenByAnotherClient()
{
    constexpr int Count = 10000;
    QList<Fields> originals;
    QList<RedisCommand> commands;
    for (int i = 0; i < Count; ++i) {
        const QByteArray n = QByteArray::number(i);
        const Fields fields{{"event_id", "9" + QByteArray::number(1000000000000000000LL + i)},
                            {"kind", i % 2 ? "refund" : "order"},
                            {"amount", QByteArray::number(i % 100) + ".50"},
                            {"text", "line " + n + "\n\"quoted\" \xe6\xb1\x89\xe5\xad\x97"},
                            {"flag", i % 3 ? "true" : "null"}};
        // The JSON a client serialises: strings escaped, the rest as literals.
        QByteArray json = "{";
        for (const auto &[name, value] : fields) {
            const bool literal = name == "event_id" || name == "amount" || name == "flag";
            QByteArray v = value;
            if (!literal) {
                v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
                v = "\"" + v + "\"";
            }
            json += (json.size() > 1 ? "," : "") + ("\"" + name + "\":") + v;
        }
        json += "}";
        originals.append(fields);
        commands.append(
            snakeDeadLetter("orders:dlq", i % 3 == 0 ? gzipCompress(json).toBase64() : json));
    }
    m_redis.run(commands);

    const QList<StreamEntry> dead = entries("orders:dlq");
    QCOMPARE(dead.size(), Count);
    const FieldMappingProposal detected = proposeFieldMapping(dead.mid(0, 50), m_conventions);
    QCOMPARE(detected.fields, snakeCaseDeadLetterFields());
    QCOMPARE(detected.matched, 50);
    m_conventions.setFieldsFor("orders:dlq", detected.fields);
    m_conventions = m_conventions.forStream("orders:dlq");

    const BulkRunner::Report report =
        replay(ReplayOptions{"orders:dlq", {}, true, {}, Path::Atomic});
    QCOMPARE(report.error, QString());
    QCOMPARE(report.done.size(), Count);
    const QList<StreamEntry> restored = entries("orders");
    QCOMPARE(restored.size(), Count);
    for (int i = 0; i < Count; ++i)
        QCOMPARE(restored.at(i).fields, originals.at(i));
    QVERIFY(entries("orders:dlq").isEmpty());
}

// An operator whose ACL user may read and write the dead-letter stream but not the stream
// the dead letters came from: every replay is refused with NOPERM, nothing is removed.
void TestDeadLetterActions::replayIntoAForbiddenStreamRemovesNothing()
{
    prepare("orders", 5);
    move("orders", idRange(1, 5), "orders:dlq");
    const QList<StreamEntry> before = entries("orders:dlq");
    m_redis.run(
        {RedisCommand{{"ACL", "SETUSER", "operator", "on", ">op-secret", "~orders:dlq", "+@all"}}});
    ConnectionOptions o = m_redis.server()->options();
    o.username = QStringLiteral("operator");
    o.password = QStringLiteral("op-secret");
    RedisConnection operatorConnection(o);
    operatorConnection.open(false);
    QTRY_COMPARE(operatorConnection.state(), ConnectionState::Connected);

    const ReplayOptions options{"orders:dlq", {}, true, {}};
    QList<ReplayItem> items;
    for (const StreamEntry &e : before)
        items.append(planReplay(e, options, m_conventions));
    BulkRunner runner;
    runner.setStopOnError(false);
    const auto report = runToEnd(runner, replayChunks(items, options), replayVerifier(options),
                                 &operatorConnection);
    QVERIFY(report.done.isEmpty());
    QCOMPARE(report.failed.size(), 5);
    for (const QByteArray &id : report.failed)
        QVERIFY2(report.reasons.value(id).startsWith(QLatin1String("NOPERM")),
                 qPrintable(report.reasons.value(id)));
    QCOMPARE(entries("orders:dlq").size(), 5);
    QCOMPARE(idsOf(entries("orders:dlq")), idsOf(before));
    QCOMPARE(entries("orders").size(), 5); // nothing added
}

// Copy then remove, where the removal is refused: the copies are written, the dead letters
// stay, and the report names them as the ones a second run would write twice.
void TestDeadLetterActions::interruptedRemovalIsReportedAsPossibleDuplicates()
{
    prepare("orders", 6);
    move("orders", idRange(1, 6), "orders:dlq");
    m_redis.run({RedisCommand{{"ACL", "SETUSER", "nodel", "on", ">pw", "~*", "+@all", "-xdel"}}});
    ConnectionOptions o = m_redis.server()->options();
    o.username = QStringLiteral("nodel");
    o.password = QStringLiteral("pw");
    RedisConnection connection(o);
    connection.open(false);
    QTRY_COMPARE(connection.state(), ConnectionState::Connected);

    ReplayOptions options{"orders:dlq", "retry", true, {}, Path::CopyThenRemove};
    QList<ReplayItem> items;
    for (const StreamEntry &e : entries("orders:dlq"))
        items.append(planReplay(e, options, m_conventions));
    BulkRunner runner;
    runner.setSecondPhase(replaySecondPhase(options));
    const auto report = runToEnd(runner, replayChunks(items, options, 4), {}, &connection);
    QVERIFY2(report.error.startsWith(QLatin1String("NOPERM")), qPrintable(report.error));
    QVERIFY(report.done.isEmpty());
    QVERIFY(!report.firstPhaseOnly.isEmpty());
    QCOMPARE(entries("retry").size(), report.firstPhaseOnly.size());
    QCOMPARE(entries("orders:dlq").size(), 6);
    QCOMPARE(report.firstPhaseOnly.size() + report.notDone.size(), 6);
}

void TestDeadLetterActions::pauseHoldsAndResumeFinishes()
{
    prepare("orders", 200);
    MoveOptions options{"orders", "g", "orders:dlq", QStringLiteral("stuck")};
    BulkRunner runner;
    runner.setWindow(2);
    QSignalSpy progress(&runner, &BulkRunner::progress);
    QSignalSpy finished(&runner, &BulkRunner::finished);
    QVERIFY(runner.start(m_redis.connection(),
                         moveChunks(idRange(1, 200), options, m_conventions, m_failedAt, 10),
                         moveVerifier(options)));
    runner.pause(); // the two chunks already sent finish; no third goes
    QVERIFY(runner.isPaused());
    QTRY_VERIFY(!progress.isEmpty() && progress.constLast().at(0).toLongLong() == 20);
    // A request sent now is answered after anything the runner could have sent before it.
    m_redis.run({RedisCommand{{"PING"}}});
    QCOMPARE(entries("orders:dlq").size(), 20);
    QCOMPARE(progress.constLast().at(0).toLongLong(), 20);
    QVERIFY(runner.isRunning());
    QVERIFY(finished.isEmpty());

    runner.resume();
    QTRY_COMPARE(finished.size(), 1);
    QCOMPARE(finished.first().at(0).value<BulkRunner::Report>().done.size(), 200);
    QCOMPARE(entries("orders:dlq").size(), 200);
    QVERIFY(pending("orders").isEmpty());
}

void TestDeadLetterActions::readOnlyConnectionSendsNoScript()
{
    prepare("orders", 3);
    ConnectionOptions o = m_redis.server()->options();
    o.readOnly = true;
    RedisConnection readOnly(o);
    readOnly.open(false);
    QTRY_COMPARE(readOnly.state(), ConnectionState::Connected);
    MoveOptions options{"orders", "g", "orders:dlq", QStringLiteral("stuck")};
    BulkRunner runner;
    const auto report =
        runToEnd(runner, moveChunks(idRange(1, 3), options, m_conventions, m_failedAt),
                 moveVerifier(options), &readOnly);
    QVERIFY(!report.error.isEmpty());
    QCOMPARE(report.notDone.size(), 3);
    QCOMPARE(pending("orders").size(), 3);
    QVERIFY(entries("orders:dlq").isEmpty());
}

void TestDeadLetterActions::optionsAreValidated()
{
    QVERIFY(!validate(MoveOptions{"orders", "g", "", QStringLiteral("x")}).isEmpty());
    QVERIFY(!validate(MoveOptions{"orders", "g", "orders", QStringLiteral("x")}).isEmpty());
    QCOMPARE(
        validate(MoveOptions{"orders", "g", "orders:dlq", QStringLiteral("  ")}),
        QStringLiteral("Say why these messages are dead: the reason is kept with each of them."));
    QVERIFY(!validate(ReplayOptions{"orders:dlq", "orders:dlq"}).isEmpty());
    QCOMPARE(validate(ReplayOptions{"orders:dlq", "orders"}), QString());
    // Atomic unless a cluster puts the two keys in different slots.
    QCOMPARE(pathFor("orders", "orders:dlq", false), Path::Atomic);
    QCOMPARE(pathFor("orders", "orders:dlq", true), Path::CopyThenRemove);
    QCOMPARE(pathFor("{orders}", "{orders}:dlq", true), Path::Atomic);
}

QTEST_GUILESS_MAIN(TestDeadLetterActions)
#include "tst_deadletteractions.moc"
