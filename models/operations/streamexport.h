#pragma once

#include "redisconnection.h"
#include "streamid.h"
#include "streamparsers.h"

#include <QFile>
#include <QObject>
#include <QPointer>

#include <functional>
#include <memory>
#include <optional>

class QSaveFile;

// Streams to files and back: Weir's export format, JSON Lines.
//
// One entry per line, lines ending in "\n", the file UTF-8 throughout:
//
//   {"id":"1700000000000-0","fields":[["type","order.created"],["blob",{"base64":"AP8="}]]}
//
// - "id": the entry id as "<milliseconds>-<sequence>".
// - "fields": the entry's fields as [name, value] pairs, in stream order; a name that occurs
//   twice in the entry occurs twice here.
// - A name or value is written as a JSON string when its bytes are valid UTF-8 (and read
//   back to the same bytes), otherwise as {"base64":"..."}: its bytes in standard base64
//   (RFC 4648, "+/" alphabet, "=" padding). Either form is read anywhere.
// - Empty lines are skipped when reading; members other than "id" and "fields" are
//   ignored, so a file may carry more without becoming unreadable.
namespace StreamExport {

using Fields = QList<QPair<QByteArray, QByteArray>>;

// One line of the file, without its "\n".
QByteArray encodeLine(const QByteArray &id, const Fields &fields);
// Reads one line (without its line end) into `entry`. Returns why it cannot (empty when it
// can): not JSON, no valid id, no fields, a field that is not a pair of strings or base64.
QString decodeLine(const QByteArray &line, StreamEntry *entry);

// What to export from a stream: the entries between two XRANGE bounds (inclusive; "-",
// "+", "<ms>" or "<ms>-<seq>"), the first `count` of them when it is not 0, or, when `ids`
// is not empty, just those entries.
struct Selection
{
    QByteArray key = {};
    QByteArray start = "-";
    QByteArray end = "+";
    QList<QByteArray> ids = {};
    qint64 count = 0;

    bool isIds() const { return !ids.isEmpty(); }
};

// Why `selection` cannot be exported (empty when it can).
QString validate(const Selection &selection);

// Reads the last generated id of `key` (XINFO STREAM): 0-0 when there is no such key (an
// import creates it). `done` gets the id, or the error verbatim; it is not called when
// `context` is destroyed first.
void readLastId(RedisConnection *connection, const QByteArray &key, QObject *context,
                std::function<void(std::optional<StreamId> lastId, const QString &error)> done);

} // namespace StreamExport

// Exports a selection of a stream to a file, page by page (XRANGE ... COUNT n, the next
// page asked for when the previous is written), so that memory stays bounded however long
// the stream. The file is written under a temporary name and put in place only when the
// export is complete: a cancelled or failed export leaves no partial file (and an existing
// file as it was). Reads only. Use from the connection's thread; emits finished() once per
// start() that returned true.
class StreamExporter : public QObject
{
    Q_OBJECT
public:
    struct Result
    {
        QString path;
        qint64 entries = 0; // written
        qint64 missing = 0; // selected ids no longer in the stream
        qint64 bytes = 0;
        bool cancelled = false;
        QString error; // Redis's verbatim, or what went wrong with the file
        bool ok() const { return error.isEmpty() && !cancelled; }
    };

    explicit StreamExporter(QObject *parent = nullptr);
    ~StreamExporter() override;

    void setPageSize(int entries) { m_pageSize = qMax(1, entries); }
    // Returns false (and does nothing) while an export runs, or when the selection is not
    // valid (see StreamExport::validate()).
    bool start(RedisConnection *connection, const StreamExport::Selection &selection,
               const QString &path);
    // Drops the request on its way; finished() follows with `cancelled` set.
    void cancel();
    bool isRunning() const { return m_running; }

Q_SIGNALS:
    // `total`: the entries to export when known (the stream's length, or the ids), else 0.
    void progress(qint64 written, qint64 total);
    void finished(const StreamExporter::Result &result);

private:
    void nextPage();
    qint64 pageLimit() const;
    void onPage(const RedisResult &result);
    void finish(const QString &error = {});

    QPointer<RedisConnection> m_connection;
    StreamExport::Selection m_selection;
    std::unique_ptr<QSaveFile> m_file;
    Result m_result;
    QByteArray m_from;      // the next page's first bound
    qsizetype m_nextId = 0; // with ids: the next to ask for
    qint64 m_total = 0;
    quint64 m_request = 0;
    int m_pageSize = 1000;
    bool m_running = false;
    bool m_first = true;
};

// Reads an export file and checks every line, a slice of lines per event-loop turn so that
// a long file keeps the window responsive. Emits finished() once per start().
class StreamFileScanner : public QObject
{
    Q_OBJECT
public:
    struct Summary
    {
        QString path;
        qint64 entries = 0;
        std::optional<StreamId> firstId, lastId;
        // The first line whose id is not greater than the line before it (0: none): such
        // a file cannot be imported with its original ids.
        qint64 unorderedLine = 0;
        qint64 badLine = 0; // the first line that is not an entry (0: none)
        QString error;      // why: the line's problem, or the file's
        bool ok() const { return error.isEmpty(); }
    };

    explicit StreamFileScanner(QObject *parent = nullptr);
    void start(const QString &path);
    void cancel();
    bool isRunning() const { return m_running; }

Q_SIGNALS:
    void finished(const StreamFileScanner::Summary &summary);

private:
    void scanSome();

    QFile m_file;
    Summary m_summary;
    qint64 m_line = 0;
    quint64 m_generation = 0;
    bool m_running = false;
};

// Imports an export file into a stream: one XADD per line, with `*` (Redis gives new ids)
// or with the file's ids, in chunks of MULTI/EXEC (each chunk is applied whole, or not at
// all), up to a window of chunks in flight. The file is read as chunks are sent, so memory
// stays bounded. With the file's ids, the stream's last id is read first and, when the
// file's first id is not greater, nothing is sent. A chunk that fails stops the import;
// nothing is sent again.
class StreamImporter : public QObject
{
    Q_OBJECT
public:
    struct Options
    {
        QString path;
        QByteArray key;
        bool originalIds = false;
        int perChunk = 500;
        int window = 4;
    };
    struct Result
    {
        qint64 added = 0;
        qint64 notAdded = 0;        // refused, or never sent (cancel, an earlier failure)
        qint64 unknown = 0;         // sent when the connection failed: may or may not be in
        QByteArray firstId, lastId; // of the entries added, as Redis gave them
        bool cancelled = false;
        QString error;        // Redis's verbatim, or what went wrong with the file
        qint64 errorLine = 0; // when the file is at fault: the line
    };

    explicit StreamImporter(QObject *parent = nullptr);
    // Returns false while an import runs. finished() follows every start() that returned true.
    bool start(RedisConnection *connection, const Options &options);
    // Sends no further chunk; those in flight finish and are reported.
    void cancel();
    bool isRunning() const { return m_running; }

    // The XADD an entry makes.
    static RedisCommand command(const QByteArray &key, const StreamEntry &entry, bool originalId);

Q_SIGNALS:
    void progress(qint64 added, qint64 settled);
    void finished(const StreamImporter::Result &result);

private:
    void sendMore();
    void onChunk(qint64 entries, const RedisResult &result);
    void stop(const QString &error, qint64 line = 0);
    void finishIfDone();

    QPointer<RedisConnection> m_connection;
    Options m_options;
    QFile m_file;
    Result m_result;
    qint64 m_line = 0;
    int m_inFlight = 0;
    bool m_eof = false;
    bool m_running = false;
    bool m_stop = false;
    quint64 m_generation = 0;
};

Q_DECLARE_METATYPE(StreamExporter::Result)
Q_DECLARE_METATYPE(StreamFileScanner::Summary)
Q_DECLARE_METATYPE(StreamImporter::Result)
