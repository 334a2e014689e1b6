#include "streamexport.h"

#include "jsonmembers.h"

#include "replyparsers.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>
#include <QSaveFile>
#include <QStringDecoder>
#include <QTimer>

#include <utility>

namespace StreamExport {

static QString tr(const char *text)
{
    return QCoreApplication::translate("StreamExport", text);
}

// Whether the bytes are UTF-8 that reads back to the same bytes (an initial byte order
// mark, which decoders drop, does not).
static bool isExactUtf8(const QByteArray &bytes)
{
    bool ascii = true;
    for (const char c : bytes) {
        if (uchar(c) >= 0x80) {
            ascii = false;
            break;
        }
    }
    if (ascii)
        return true;
    QStringDecoder decoder(QStringDecoder::Utf8, QStringConverter::Flag::Stateless);
    const QString text = decoder(bytes);
    return !decoder.hasError() && text.toUtf8() == bytes;
}

static void appendString(QByteArray &out, const QByteArray &bytes)
{
    if (isExactUtf8(bytes))
        out += jsonQuote(bytes);
    else
        out += "{\"base64\":\"" + bytes.toBase64() + "\"}";
}

QByteArray encodeLine(const QByteArray &id, const Fields &fields)
{
    QByteArray out;
    out.reserve(32 + id.size() + fields.size() * 16);
    out += "{\"id\":";
    appendString(out, id);
    out += ",\"fields\":[";
    for (qsizetype i = 0; i < fields.size(); ++i) {
        out += i == 0 ? "[" : ",[";
        appendString(out, fields.at(i).first);
        out += ',';
        appendString(out, fields.at(i).second);
        out += ']';
    }
    out += "]}";
    return out;
}

static bool readString(const QJsonValue &value, QByteArray *bytes)
{
    if (value.isString()) {
        *bytes = value.toString().toUtf8();
        return true;
    }
    if (!value.isObject())
        return false;
    const QJsonValue base64 = value.toObject().value(QLatin1String("base64"));
    if (!base64.isString())
        return false;
    auto decoded = QByteArray::fromBase64Encoding(base64.toString().toLatin1(),
                                                  QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded)
        return false;
    *bytes = *decoded;
    return true;
}

QString decodeLine(const QByteArray &line, StreamEntry *entry)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(line, &error);
    if (error.error != QJsonParseError::NoError)
        return tr("not JSON (%1 at character %2)").arg(error.errorString()).arg(error.offset + 1);
    if (!doc.isObject())
        return tr("not a JSON object");
    const QJsonObject object = doc.object();
    const QJsonValue id = object.value(QLatin1String("id"));
    const QByteArray idText = id.toString().toLatin1();
    const std::optional<StreamId> parsed = StreamId::parse(idText);
    if (!id.isString() || !parsed || !idText.contains('-'))
        return tr("\"id\" must be an entry id, \"<milliseconds>-<sequence>\"");
    const QJsonValue fields = object.value(QLatin1String("fields"));
    if (!fields.isArray())
        return tr("\"fields\" must be an array of [name, value] pairs");
    const QJsonArray pairs = fields.toArray();
    if (pairs.isEmpty())
        return tr("\"fields\" is empty: an entry has at least one field");
    StreamEntry e;
    e.id = *parsed;
    e.fields.reserve(pairs.size());
    for (qsizetype i = 0; i < pairs.size(); ++i) {
        const QJsonArray pair = pairs.at(i).toArray();
        QByteArray name, value;
        if (!pairs.at(i).isArray() || pair.size() != 2 || !readString(pair.at(0), &name)
            || !readString(pair.at(1), &value))
            return tr("field %1 must be [name, value], each a string or {\"base64\": \"…\"}")
                .arg(i + 1);
        e.fields.append({name, value});
    }
    *entry = std::move(e);
    return {};
}

// A bound as the id it stands for: "-" the smallest, "+" the largest, "<ms>" its first id
// as a start and its last as an end.
static std::optional<StreamId> boundId(const QByteArray &bound, bool isEnd)
{
    if (bound == "-")
        return StreamId{0, 0};
    if (bound == "+")
        return StreamId::max();
    std::optional<StreamId> id = StreamId::parse(bound);
    if (id && isEnd && !bound.contains('-'))
        id = StreamId::lastOf(id->ms);
    return id;
}

QString validate(const Selection &s)
{
    if (s.key.isEmpty())
        return tr("Name the stream to export.");
    if (s.isIds()) {
        for (const QByteArray &id : s.ids) {
            if (!StreamId::parse(id))
                return tr("\"%1\" is not an entry id.").arg(QString::fromLatin1(id));
        }
        return {};
    }
    const std::optional<StreamId> start = boundId(s.start, false);
    if (!start)
        return tr("The first id must be - (the oldest), <milliseconds> or "
                  "<milliseconds>-<sequence>.");
    const std::optional<StreamId> end = boundId(s.end, true);
    if (!end)
        return tr("The last id must be + (the newest), <milliseconds> or "
                  "<milliseconds>-<sequence>.");
    if (*end < *start)
        return tr("The range ends before it starts.");
    return {};
}

void readLastId(RedisConnection *connection, const QByteArray &key, QObject *context,
                std::function<void(std::optional<StreamId>, const QString &)> done)
{
    connection->send({RedisCommand{{"XINFO", "STREAM", key}, key}}, context,
                     [done = std::move(done)](const RedisResult &r) {
        if (!r.ok()) {
            done(std::nullopt, r.error);
            return;
        }
        const RedisValue &reply = r.replies.value(0);
        if (reply.isError() && reply.bytes().contains("no such key")) {
            done(StreamId{}, {});
            return;
        }
        QString error;
        const std::optional<StreamInfo> info = parseStreamInfo(reply, &error);
        if (!info)
            done(std::nullopt, error);
        else
            done(info->lastGeneratedId, {});
    });
}

} // namespace StreamExport

using namespace StreamExport;

// ---------------------------------------------------------------------------------------

StreamExporter::StreamExporter(QObject *parent)
    : QObject(parent)
{
    qRegisterMetaType<StreamExporter::Result>();
}

StreamExporter::~StreamExporter()
{
    if (m_connection && m_request)
        m_connection->cancel(m_request);
}

bool StreamExporter::start(RedisConnection *connection, const Selection &selection,
                           const QString &path)
{
    if (m_running || !connection || !validate(selection).isEmpty())
        return false;
    m_connection = connection;
    m_selection = selection;
    m_result = Result{};
    m_result.path = path;
    m_from = selection.start;
    m_nextId = 0;
    m_total = selection.isIds() ? selection.ids.size() : qMax<qint64>(0, selection.count);
    m_first = true;
    m_running = true;
    m_file = std::make_unique<QSaveFile>(path);
    if (!m_file->open(QIODevice::WriteOnly)) {
        const QString error = tr("Cannot write %1: %2").arg(path, m_file->errorString());
        QTimer::singleShot(0, this, [this, error] { finish(error); });
        return true;
    }
    nextPage();
    return true;
}

void StreamExporter::cancel()
{
    if (!m_running)
        return;
    if (m_connection && m_request)
        m_connection->cancel(m_request);
    m_request = 0;
    m_result.cancelled = true;
    finish();
}

void StreamExporter::nextPage()
{
    if (!m_connection) {
        finish(tr("The connection was closed."));
        return;
    }
    const QByteArray &key = m_selection.key;
    QList<RedisCommand> commands;
    if (m_selection.isIds()) {
        const qsizetype end = qMin(m_selection.ids.size(), m_nextId + m_pageSize);
        for (qsizetype i = m_nextId; i < end; ++i) {
            const QByteArray &id = m_selection.ids.at(i);
            commands.append(RedisCommand{{"XRANGE", key, id, id}, key});
        }
        m_nextId = end;
    } else {
        // The whole stream: its length first, for the progress bar.
        if (m_first && m_selection.start == "-" && m_selection.end == "+")
            commands.append(RedisCommand{{"XLEN", key}, key});
        commands.append(RedisCommand{
            {"XRANGE", key, m_from, m_selection.end, "COUNT", QByteArray::number(pageLimit())},
            key});
    }
    m_request =
        m_connection->send(std::move(commands), this, [this](const RedisResult &r) { onPage(r); });
}

// The entries the next page of a range asks for: a page, or what is left of the count.
qint64 StreamExporter::pageLimit() const
{
    if (m_selection.count <= 0)
        return m_pageSize;
    return qBound(qint64(0), m_selection.count - m_result.entries, qint64(m_pageSize));
}

void StreamExporter::onPage(const RedisResult &r)
{
    m_request = 0;
    if (!r.ok()) {
        finish(r.error);
        return;
    }
    QList<RedisValue> replies = r.replies;
    if (m_first && !m_selection.isIds() && replies.size() == 2) {
        if (replies.first().isInteger())
            m_total = m_selection.count > 0 ? qMin(m_selection.count, replies.first().toInteger())
                                            : replies.first().toInteger();
        replies.removeFirst();
    }
    m_first = false;
    const qint64 requested = pageLimit();
    QByteArray out;
    std::optional<StreamId> last;
    qint64 pageEntries = 0;
    for (const RedisValue &reply : std::as_const(replies)) {
        QString error;
        const std::optional<QList<StreamEntry>> entries = parseEntries(reply, &error);
        if (!entries) {
            finish(error);
            return;
        }
        if (m_selection.isIds() && entries->isEmpty())
            ++m_result.missing;
        for (const StreamEntry &e : *entries) {
            out += encodeLine(e.id.toByteArray(), e.fields);
            out += '\n';
            last = e.id;
            ++pageEntries;
        }
    }
    if (m_file->write(out) != out.size()) {
        finish(tr("Cannot write %1: %2").arg(m_result.path, m_file->errorString()));
        return;
    }
    m_result.entries += pageEntries;
    m_result.bytes += out.size();
    Q_EMIT progress(m_result.entries, m_total);
    if (!m_running)
        return; // cancelled from a slot of progress()
    bool more = false;
    if (m_selection.isIds()) {
        more = m_nextId < m_selection.ids.size();
    } else if (pageEntries == requested && last && pageLimit() > 0) {
        // The id just after the last one read starts the next page (works before 6.2's
        // exclusive ranges too); none after the top id ends the export.
        if (const std::optional<StreamId> next = last->next()) {
            m_from = next->toByteArray();
            more = true;
        }
    }
    if (more)
        nextPage();
    else
        finish();
}

void StreamExporter::finish(const QString &error)
{
    if (!m_running)
        return;
    m_running = false;
    m_result.error = error;
    if (m_result.ok() && !m_file->commit())
        m_result.error = tr("Cannot write %1: %2").arg(m_result.path, m_file->errorString());
    if (!m_result.ok() && m_file->isOpen())
        m_file->cancelWriting();
    m_file.reset(); // uncommitted: the temporary file goes
    Q_EMIT finished(m_result);
}

// ---------------------------------------------------------------------------------------

// Lines read per event-loop turn while scanning.
static constexpr int ScanSlice = 2000;

// The next line of `file` without its line end (LF or CRLF).
static QByteArray nextLine(QFile &file)
{
    QByteArray line = file.readLine();
    if (line.endsWith('\n'))
        line.chop(1);
    if (line.endsWith('\r'))
        line.chop(1);
    return line;
}

StreamFileScanner::StreamFileScanner(QObject *parent)
    : QObject(parent)
{
    qRegisterMetaType<StreamFileScanner::Summary>();
}

void StreamFileScanner::start(const QString &path)
{
    cancel();
    m_summary = Summary{};
    m_summary.path = path;
    m_line = 0;
    m_running = true;
    m_file.setFileName(path);
    const quint64 generation = ++m_generation;
    if (!m_file.open(QIODevice::ReadOnly))
        m_summary.error = tr("Cannot read %1: %2").arg(path, m_file.errorString());
    QTimer::singleShot(0, this, [this, generation] {
        if (generation == m_generation)
            scanSome();
    });
}

void StreamFileScanner::cancel()
{
    ++m_generation;
    m_running = false;
    m_file.close();
}

void StreamFileScanner::scanSome()
{
    for (int i = 0; i < ScanSlice && m_summary.ok() && !m_file.atEnd(); ++i) {
        const QByteArray line = nextLine(m_file);
        ++m_line;
        if (line.trimmed().isEmpty())
            continue;
        StreamEntry entry;
        const QString why = decodeLine(line, &entry);
        if (!why.isEmpty()) {
            m_summary.badLine = m_line;
            m_summary.error = tr("Line %1: %2.").arg(m_line).arg(why);
            break;
        }
        if (m_summary.lastId && !(*m_summary.lastId < entry.id) && m_summary.unorderedLine == 0)
            m_summary.unorderedLine = m_line;
        if (!m_summary.firstId)
            m_summary.firstId = entry.id;
        m_summary.lastId = entry.id;
        ++m_summary.entries;
    }
    if (m_summary.ok() && !m_file.atEnd()) {
        const quint64 generation = m_generation;
        QTimer::singleShot(0, this, [this, generation] {
            if (generation == m_generation)
                scanSome();
        });
        return;
    }
    if (m_summary.ok() && m_file.error() != QFileDevice::NoError)
        m_summary.error = tr("Cannot read %1: %2").arg(m_summary.path, m_file.errorString());
    if (m_summary.ok() && m_summary.entries == 0)
        m_summary.error = tr("The file holds no entries.");
    m_file.close();
    m_running = false;
    Q_EMIT finished(m_summary);
}

// ---------------------------------------------------------------------------------------

StreamImporter::StreamImporter(QObject *parent)
    : QObject(parent)
{
    qRegisterMetaType<StreamImporter::Result>();
}

RedisCommand StreamImporter::command(const QByteArray &key, const StreamEntry &entry,
                                     bool originalId)
{
    QList<QByteArray> argv{"XADD", key, originalId ? entry.id.toByteArray() : QByteArray("*")};
    argv.reserve(3 + 2 * entry.fields.size());
    for (const auto &[name, value] : entry.fields)
        argv << name << value;
    return RedisCommand{std::move(argv), key};
}

bool StreamImporter::start(RedisConnection *connection, const Options &options)
{
    if (m_running || !connection)
        return false;
    m_connection = connection;
    m_options = options;
    m_options.perChunk = qMax(1, m_options.perChunk);
    m_options.window = qMax(1, m_options.window);
    m_result = Result{};
    m_line = 0;
    m_inFlight = 0;
    m_eof = false;
    m_stop = false;
    m_running = true;
    const quint64 generation = ++m_generation;
    m_file.close();
    m_file.setFileName(options.path);
    if (!m_file.open(QIODevice::ReadOnly)) {
        const QString error = tr("Cannot read %1: %2").arg(options.path, m_file.errorString());
        QTimer::singleShot(0, this, [this, error] { stop(error); });
        return true;
    }
    if (!options.originalIds) {
        QTimer::singleShot(0, this, [this, generation] {
            if (generation == m_generation)
                sendMore();
        });
        return true;
    }
    // With the file's ids, the first must be greater than the stream's last: check it
    // before anything is sent.
    StreamEntry first;
    QString why;
    qint64 line = 0;
    bool found = false;
    while (!found && !m_file.atEnd()) {
        const QByteArray text = nextLine(m_file);
        ++line;
        if (text.trimmed().isEmpty())
            continue;
        why = decodeLine(text, &first);
        found = true;
    }
    m_file.seek(0);
    if (!found || !why.isEmpty()) { // nothing to send, or the first line is bad
        QTimer::singleShot(0, this, [this, why, line, generation] {
            if (generation != m_generation)
                return;
            if (why.isEmpty())
                sendMore();
            else
                stop(why, line);
        });
        return true;
    }
    StreamExport::readLastId(
        connection, options.key, this,
        [this, generation, first](std::optional<StreamId> last, const QString &error) {
        if (generation != m_generation)
            return;
        if (!last) {
            stop(error);
        } else if (!(*last < first.id)) {
            stop(tr("The file's first id, %1, is not greater than the last id of %2, %3: Redis "
                    "only adds entries with greater ids. Import with new ids, or into another "
                    "stream.")
                     .arg(first.id.toString(), QString::fromUtf8(m_options.key), last->toString()));
        } else {
            sendMore();
        }
        });
    return true;
}

void StreamImporter::cancel()
{
    if (!m_running || m_stop)
        return;
    m_result.cancelled = true;
    m_stop = true;
    if (m_inFlight == 0) {
        ++m_generation; // a pending check of the last id is dropped
        finishIfDone();
    }
}

void StreamImporter::stop(const QString &error, qint64 line)
{
    if (m_result.error.isEmpty()) {
        m_result.error = line > 0 ? tr("Line %1: %2.").arg(line).arg(error) : error;
        m_result.errorLine = line;
    }
    m_stop = true;
    finishIfDone();
}

void StreamImporter::sendMore()
{
    while (!m_stop && !m_eof && m_inFlight < m_options.window && m_connection) {
        QList<RedisCommand> commands;
        while (commands.size() < m_options.perChunk) {
            if (m_file.atEnd()) {
                m_eof = true;
                break;
            }
            const QByteArray line = nextLine(m_file);
            ++m_line;
            if (line.trimmed().isEmpty())
                continue;
            StreamEntry entry;
            const QString why = decodeLine(line, &entry);
            if (!why.isEmpty()) {
                m_result.notAdded += commands.size() + 1; // this chunk is not sent
                stop(why, m_line);
                return;
            }
            commands.append(command(m_options.key, entry, m_options.originalIds));
        }
        if (commands.isEmpty())
            break;
        const qint64 entries = commands.size();
        if (commands.size() > 1) {
            commands.prepend(RedisCommand{"MULTI"});
            commands.append(RedisCommand{"EXEC"});
        }
        ++m_inFlight;
        const quint64 generation = m_generation;
        m_connection->send(std::move(commands), this,
                           [this, entries, generation](const RedisResult &r) {
            if (generation == m_generation)
                onChunk(entries, r);
        });
    }
    finishIfDone();
}

void StreamImporter::onChunk(qint64 entries, const RedisResult &r)
{
    --m_inFlight;
    QString error;
    if (!r.ok()) {
        (r.sent ? m_result.unknown : m_result.notAdded) += entries;
        error = r.error;
    } else {
        // One XADD: its reply. Several: MULTI's OK, a QUEUED each, and EXEC's array (or
        // EXECABORT when a command was refused while queueing: nothing was applied).
        QList<RedisValue> replies = r.replies;
        if (entries > 1) {
            const RedisValue exec = r.replies.value(r.replies.size() - 1);
            if (exec.isArray()) {
                replies = exec.elements();
            } else {
                replies.clear();
                m_result.notAdded += entries;
                for (const RedisValue &queued : r.replies) {
                    if (queued.isError()) {
                        error = QString::fromUtf8(queued.bytes());
                        break;
                    }
                }
                if (error.isEmpty())
                    error = QString::fromUtf8(exec.bytes());
            }
        }
        for (const RedisValue &reply : std::as_const(replies)) {
            if (reply.isString()) {
                ++m_result.added;
                if (m_result.firstId.isEmpty())
                    m_result.firstId = reply.bytes();
                m_result.lastId = reply.bytes();
            } else {
                ++m_result.notAdded;
                if (error.isEmpty())
                    error = reply.isError()
                                ? QString::fromUtf8(reply.bytes())
                                : tr("Unexpected reply: %1").arg(reply.toDisplayString());
            }
        }
    }
    Q_EMIT progress(m_result.added, m_result.added + m_result.notAdded + m_result.unknown);
    if (!error.isEmpty()) {
        stop(error);
        return;
    }
    sendMore();
}

void StreamImporter::finishIfDone()
{
    if (!m_running || m_inFlight > 0 || (!m_stop && !m_eof))
        return;
    // What was never sent is not added: the rest of the file's entries.
    if (m_stop && m_file.isOpen()) {
        while (!m_file.atEnd()) {
            if (!nextLine(m_file).trimmed().isEmpty())
                ++m_result.notAdded;
        }
    }
    m_file.close();
    m_running = false;
    Q_EMIT finished(m_result);
}
