#include "trimactions.h"

#include "replyparsers.h"
#include "streamparsers.h"

#include <QCoreApplication>

#include <utility>

namespace TrimActions {

static QString tr(const char *text)
{
    return QCoreApplication::translate("TrimActions", text);
}

QString validate(const Options &o)
{
    if (o.key.isEmpty())
        return tr("Name the stream to trim.");
    if (o.strategy == Options::Strategy::MaxLen) {
        bool ok = false;
        const qint64 keep = o.threshold.toLongLong(&ok);
        if (!ok || keep < 0 || o.threshold.startsWith('+'))
            return tr("MAXLEN is the number of entries to keep: a whole number, 0 or more.");
    } else if (!StreamId::parse(o.threshold)) {
        return tr("MINID is the oldest id to keep: <milliseconds>-<sequence>.");
    }
    if (o.limit < 0)
        return tr("LIMIT cannot be negative.");
    if (o.limit > 0 && !o.approximate)
        return tr("LIMIT works only with ~: an exact trim removes everything in one call.");
    return {};
}

RedisCommand command(const Options &o)
{
    QList<QByteArray> argv{"XTRIM", o.key,
                           o.strategy == Options::Strategy::MaxLen ? "MAXLEN" : "MINID",
                           o.approximate ? "~" : "=", o.threshold};
    if (o.approximate && o.limit > 0)
        argv << "LIMIT" << QByteArray::number(o.limit);
    return RedisCommand{argv, o.key};
}

void readBeyondTarget(RedisConnection *connection, const Options &o, QObject *context,
                      std::function<void(std::optional<qint64>)> done)
{
    const std::optional<StreamId> before = o.strategy == Options::Strategy::MinId
                                               ? StreamId::parse(o.threshold)->previous()
                                               : std::nullopt;
    const RedisCommand check =
        o.strategy == Options::Strategy::MaxLen
            ? RedisCommand{{"XLEN", o.key}, o.key}
            : RedisCommand{{"XRANGE", o.key, "-",
                            before ? before->toByteArray() : QByteArray("0-0"), "COUNT", "100000"},
                           o.key};
    connection->send({check}, context, [o, done = std::move(done)](const RedisResult &result) {
        const RedisValue reply = result.ok() ? result.replies.first() : RedisValue();
        if (reply.isInteger())
            done(qMax<qint64>(0, reply.toInteger() - o.threshold.toLongLong()));
        else if (reply.isArray())
            done(reply.size());
        else
            done(std::nullopt);
    });
}

} // namespace TrimActions

using namespace TrimActions;

// The ids of an XRANGE or XREVRANGE reply; nullopt when it is not one.
static std::optional<QList<StreamId>> entryIds(const RedisValue &reply)
{
    if (!reply.isArray())
        return std::nullopt;
    QList<StreamId> ids;
    ids.reserve(reply.size());
    for (const RedisValue &e : reply.elements()) {
        const std::optional<StreamId> id =
            e.isArray() && e.size() > 0 ? StreamId::parse(e.at(0).bytes()) : std::nullopt;
        if (!id)
            return std::nullopt;
        ids.append(*id);
    }
    return ids;
}

TrimPreviewer::TrimPreviewer(QObject *parent)
    : QObject(parent)
{
    qRegisterMetaType<TrimPreviewer::Preview>();
}

void TrimPreviewer::start(RedisConnection *connection, const Options &options)
{
    m_replies.reset();
    m_connection = connection;
    m_options = options;
    m_preview = Preview{};
    m_read = 0;
    m_running = true;
    const QByteArray &key = options.key;
    send({RedisCommand{{"XLEN", key}, key},
          RedisCommand{{"XRANGE", key, "-", "+", "COUNT", "1"}, key},
          RedisCommand{{"XREVRANGE", key, "+", "-", "COUNT", "1"}, key},
          RedisCommand{{"XINFO", "GROUPS", key}, key}},
         [this](const QList<RedisValue> &replies) { onBasics(replies); });
}

void TrimPreviewer::cancel()
{
    m_replies.reset();
    m_running = false;
}

void TrimPreviewer::send(QList<RedisCommand> commands,
                         std::function<void(const QList<RedisValue> &)> onReplies)
{
    if (!m_connection) {
        fail(tr("The connection is gone."));
        return;
    }
    m_replies.send(m_connection, std::move(commands),
                   [this, onReplies = std::move(onReplies)](const RedisResult &r) {
        if (!r.ok()) {
            fail(r.error);
            return;
        }
        for (const RedisValue &reply : r.replies) {
            if (reply.isError()) {
                fail(QString::fromUtf8(reply.bytes()));
                return;
            }
        }
        onReplies(r.replies);
    });
}

void TrimPreviewer::fail(const QString &error)
{
    m_preview.error = error;
    finish();
}

void TrimPreviewer::finish()
{
    m_replies.reset();
    m_running = false;
    Q_EMIT finished(m_preview);
}

void TrimPreviewer::onBasics(const QList<RedisValue> &replies)
{
    m_preview.length = replies.at(0).toInteger();
    const auto first = entryIds(replies.at(1));
    const auto last = entryIds(replies.at(2));
    QString error;
    const auto groups = parseGroupsInfo(replies.at(3), &error);
    if (!first || !last || !groups) {
        fail(error.isEmpty() ? tr("Redis sent a reply Weir does not understand.") : error);
        return;
    }
    for (const GroupInfo &g : *groups) {
        Group group;
        group.name = g.name;
        group.pending = g.pending;
        m_preview.groups.append(group);
    }
    m_groupsRead = *groups;
    if (m_preview.length == 0 || first->isEmpty()) {
        finish();
        return;
    }
    m_first = first->first();
    m_last = last->first();
    const QByteArray &key = m_options.key;
    if (m_options.strategy == Options::Strategy::MaxLen) {
        const qint64 keep = m_options.threshold.toLongLong();
        const qint64 removed = qMax<qint64>(0, m_preview.length - keep);
        m_preview.removed = removed;
        if (removed == 0) {
            m_preview.firstKept = m_first;
            finish();
        } else if (keep == 0) {
            m_preview.lastRemoved = m_last;
            countOrphans(0, "-");
        } else if (removed <= keep) { // the removed side is the smaller: walk it
            walk(true, "-", removed, [this](std::optional<StreamId> lastRemoved) {
                m_preview.lastRemoved = lastRemoved;
                findBoundaryNeighbour();
            });
        } else {
            walk(false, "+", keep, [this](std::optional<StreamId> firstKept) {
                m_preview.firstKept = firstKept;
                findBoundaryNeighbour();
            });
        }
        return;
    }
    // MINID: the ids either side of the threshold, then how many lie before it.
    const StreamId threshold = *StreamId::parse(m_options.threshold);
    const std::optional<StreamId> before = threshold.previous();
    if (!before || *before < *m_first) { // nothing is older than the threshold
        m_preview.firstKept = m_first;
        finish();
        return;
    }
    send({RedisCommand{{"XREVRANGE", key, before->toByteArray(), "-", "COUNT", "1"}, key},
          RedisCommand{{"XRANGE", key, threshold.toByteArray(), "+", "COUNT", "1"}, key}},
         [this](const QList<RedisValue> &around) {
        const auto lastRemoved = entryIds(around.at(0));
        const auto firstKept = entryIds(around.at(1));
        if (!lastRemoved || !firstKept) {
            fail(tr("Redis sent a reply Weir does not understand."));
            return;
        }
        if (!lastRemoved->isEmpty())
            m_preview.lastRemoved = lastRemoved->first();
        if (!firstKept->isEmpty())
            m_preview.firstKept = firstKept->first();
        if (!m_preview.lastRemoved) {
            finish();
        } else if (!m_preview.firstKept) {
            m_preview.removed = m_preview.length; // everything is older
            countOrphans(0, "-");
        } else {
            countBothEnds("-", m_last->toByteArray(), 0, 0);
        }
    });
}

void TrimPreviewer::walk(bool fromHead, const QByteArray &from, qint64 count,
                         std::function<void(std::optional<StreamId>)> done)
{
    const QByteArray &key = m_options.key;
    const qint64 page = qMin<qint64>(count, m_pageSize);
    const RedisCommand command =
        fromHead
            ? RedisCommand{{"XRANGE", key, from, "+", "COUNT", QByteArray::number(page)}, key}
            : RedisCommand{{"XREVRANGE", key, from, "-", "COUNT", QByteArray::number(page)}, key};
    send({command},
         [this, fromHead, count, page, done = std::move(done)](const QList<RedisValue> &replies) {
        const auto ids = entryIds(replies.at(0));
        if (!ids) {
            fail(tr("Redis sent a reply Weir does not understand."));
            return;
        }
        m_read += ids->size();
        Q_EMIT progress(m_read);
        const qint64 left = count - ids->size();
        if (ids->isEmpty() || left <= 0 || ids->size() < page) { // done, or the stream ended
            done(ids->isEmpty() ? std::nullopt : std::optional<StreamId>(ids->last()));
            return;
        }
        const std::optional<StreamId> onward =
            fromHead ? ids->last().next() : ids->last().previous();
        if (!onward) {
            done(ids->last());
            return;
        }
        walk(fromHead, onward->toByteArray(), left, done);
    });
}

// After a walk found one side of the cut, the entry on the other side.
void TrimPreviewer::findBoundaryNeighbour()
{
    const QByteArray &key = m_options.key;
    if (m_preview.lastRemoved && !m_preview.firstKept) {
        const std::optional<StreamId> from = m_preview.lastRemoved->next();
        send({RedisCommand{
                 {"XRANGE", key, from ? from->toByteArray() : QByteArray("+"), "+", "COUNT", "1"},
                 key}},
             [this](const QList<RedisValue> &replies) {
            const auto ids = entryIds(replies.at(0));
            if (ids && !ids->isEmpty())
                m_preview.firstKept = ids->first();
            countOrphans(0, "-");
        });
    } else if (m_preview.firstKept && !m_preview.lastRemoved) {
        const std::optional<StreamId> to = m_preview.firstKept->previous();
        if (!to) {
            countOrphans(0, "-");
            return;
        }
        send({RedisCommand{{"XREVRANGE", key, to->toByteArray(), "-", "COUNT", "1"}, key}},
             [this](const QList<RedisValue> &replies) {
            const auto ids = entryIds(replies.at(0));
            if (ids && !ids->isEmpty())
                m_preview.lastRemoved = ids->first();
            countOrphans(0, "-");
        });
    } else {
        countOrphans(0, "-");
    }
}

// Pages from the head up to lastRemoved and from the tail down to firstKept, side by side;
// the first side to reach its end gives the count.
void TrimPreviewer::countBothEnds(const QByteArray &headFrom, const QByteArray &tailFrom,
                                  qint64 head, qint64 tail)
{
    const QByteArray &key = m_options.key;
    const QByteArray page = QByteArray::number(m_pageSize);
    send(
        {RedisCommand{
             {"XRANGE", key, headFrom, m_preview.lastRemoved->toByteArray(), "COUNT", page}, key},
         RedisCommand{
             {"XREVRANGE", key, tailFrom, m_preview.firstKept->toByteArray(), "COUNT", page}, key}},
        [this, head, tail](const QList<RedisValue> &replies) {
        const auto headIds = entryIds(replies.at(0));
        const auto tailIds = entryIds(replies.at(1));
        if (!headIds || !tailIds) {
            fail(tr("Redis sent a reply Weir does not understand."));
            return;
        }
        m_read += headIds->size() + tailIds->size();
        Q_EMIT progress(m_read);
        const std::optional<StreamId> headNext =
            headIds->isEmpty() ? std::nullopt : headIds->last().next();
        const std::optional<StreamId> tailNext =
            tailIds->isEmpty() ? std::nullopt : tailIds->last().previous();
        if (headIds->size() < m_pageSize || !headNext) {
            m_preview.removed = head + headIds->size();
        } else if (tailIds->size() < m_pageSize || !tailNext) {
            m_preview.removed = m_preview.length - (tail + tailIds->size());
        } else {
            countBothEnds(headNext->toByteArray(), tailNext->toByteArray(), head + headIds->size(),
                          tail + tailIds->size());
            return;
        }
        countOrphans(0, "-");
        });
}

// Per group: the pending ids up to the last entry removed, a page at a time.
void TrimPreviewer::countOrphans(int group, const QByteArray &from)
{
    while (group < m_preview.groups.size()
           && (!m_preview.lastRemoved || m_preview.groups.at(group).pending == 0)) {
        m_preview.groups[group].unread =
            m_preview.lastRemoved
            && m_groupsRead.at(group).lastDeliveredId < *m_preview.lastRemoved;
        ++group;
    }
    if (group >= m_preview.groups.size()) {
        finish();
        return;
    }
    Group &g = m_preview.groups[group];
    g.unread = m_groupsRead.at(group).lastDeliveredId < *m_preview.lastRemoved;
    const QByteArray &key = m_options.key;
    send({RedisCommand{{"XPENDING", key, g.name, from, m_preview.lastRemoved->toByteArray(),
                        QByteArray::number(m_pageSize)},
                       key}},
         [this, group](const QList<RedisValue> &replies) {
        const RedisValue &page = replies.at(0);
        if (!page.isArray()) {
            fail(tr("Redis sent a reply Weir does not understand."));
            return;
        }
        m_preview.groups[group].orphaned += page.size();
        const std::optional<StreamId> last =
            page.size() > 0 ? StreamId::parse(page.at(page.size() - 1).at(0).bytes())
                            : std::nullopt;
        const std::optional<StreamId> onward = last ? last->next() : std::nullopt;
        if (page.size() == m_pageSize && onward)
            countOrphans(group, onward->toByteArray());
        else
            countOrphans(group + 1, "-");
    });
}

TrimRun::TrimRun(QObject *parent)
    : QObject(parent)
{
    qRegisterMetaType<TrimRun::Result>();
}

void TrimRun::start(RedisConnection *connection, const Options &options)
{
    if (m_running)
        return;
    m_connection = connection;
    m_options = options;
    m_result = Result{};
    m_running = true;
    m_stop = false;
    call();
}

void TrimRun::cancel()
{
    if (m_running && !m_stop) {
        m_stop = true;
        m_result.cancelled = true;
    }
}

void TrimRun::call()
{
    if (!m_connection) {
        m_result.error = tr("The connection is gone.");
        finish();
        return;
    }
    m_connection->send({command(m_options)}, this, [this](const RedisResult &r) {
        ++m_result.calls;
        if (!r.ok()) {
            m_result.error = r.error;
            m_result.lastCallUnknown = r.sent;
            finish();
            return;
        }
        const RedisValue &reply = r.replies.first();
        if (reply.isError()) {
            m_result.error = QString::fromUtf8(reply.bytes());
            finish();
            return;
        }
        const qint64 removed = reply.toInteger();
        m_result.removed += removed;
        Q_EMIT progress(m_result.removed, m_result.calls);
        if (m_options.approximate && removed > 0 && !m_stop)
            call(); // ~ stops at whole nodes and at LIMIT entries a call: go on
        else
            finish();
    });
}

void TrimRun::finish()
{
    m_running = false;
    Q_EMIT finished(m_result);
}
