#pragma once

#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QString>
#include <QStringList>

#include <vector>

class QTextStream;

enum class OutputFormat { Table, Json, Csv };

// How weirctl prints what it read, in one of three formats from the same rows:
//   table  aligned columns for a person at a terminal; null shows as "-"
//   csv    RFC 4180, a header line per table; null is an empty field
//   json   one document, {"schema": "weirctl.<command>", "version": N, <fields>,
//          <table>: [row objects]}, numbers as numbers, null as null
// A command prints one or more tables of rows (JSON objects keyed by Column::key), and
// top-level fields. Rows go out as they are added (table: the first 100 are held to size
// the columns), so a long scan shows its progress in a pipe.
class RecordWriter
{
public:
    struct Column
    {
        QString key;          // the JSON member, e.g. "max_lag"
        QString header;       // the table's and CSV's heading, e.g. "MAX LAG"
        bool numeric = false; // right-aligned in a table
    };

    RecordWriter(OutputFormat format, QTextStream &out, const QString &schema, int version);
    ~RecordWriter();

    OutputFormat format() const { return m_format; }
    // A top-level field (JSON member; "name: value" line above a table; in CSV a row of
    // a "field,value" table). Call before the first table or between tables.
    void field(const QString &key, const QJsonValue &value);
    void beginTable(const QString &name, const QList<Column> &columns);
    void row(const QJsonObject &row);
    // The same from the values of the columns, in their order (JSON members in that order
    // too): for a command printing many rows, without making an object of each.
    void rowInOrder(const QList<QJsonValue> &cells);
    void endTable();
    // While held, rows are not flushed one by one: a command that gets its rows in batches
    // (weirctl streams, 200 at a time) holds the flush over a batch, so 100,000 rows are
    // not 100,000 writes. Releasing flushes.
    void holdFlush(bool hold);
    // Ends the document (JSON's closing brace); called by the destructor if not before.
    void finish();

    // "table", "json", "csv" -> format; false for another word.
    static bool parseFormat(const QString &text, OutputFormat *format);
    // A cell as the table and CSV show it: strings as they are, numbers without
    // exponent, arrays and objects as compact JSON, null as `nullText`.
    static QString cellText(const QJsonValue &value, const QString &nullText);

private:
    void openDocument();
    void flushHeldRows();
    void writeTableLine(const QStringList &cells);
    QString csvLine(const QStringList &cells) const;
    static QString csvCell(const QJsonValue &value);
    void writeCsvFields();
    void writeJson();
    void jsonRowDone();
    void writeCells(const QList<QJsonValue> &values);

    OutputFormat m_format;
    QTextStream &m_out;
    QString m_schema;
    int m_version;
    bool m_opened = false;
    bool m_finished = false;
    bool m_flushHeld = false;     // holdFlush()
    QByteArray m_json;            // JSON rows made, not yet written
    QList<QByteArray> m_jsonKeys; // "key": of each column, as JSON
    bool m_firstMember = true;    // JSON: no comma before the next member
    bool m_inTable = false;
    bool m_firstRow = true;
    bool m_anyTable = false;   // CSV and table: a blank line before the next one
    bool m_afterTable = false; // table: a blank line before a field that follows one
    QList<Column> m_columns;
    std::vector<QStringList> m_held; // table: rows kept until the widths are known
    QList<int> m_widths;             // empty while rows are held
    QList<QPair<QString, QJsonValue>> m_csvFields;
};
