#include "recordwriter.h"

#include "jsonmembers.h"

#include <QIODevice>
#include <QJsonArray>
#include <QLocale>
#include <QTextStream>

#include <cmath>
#include <cstdio>
#include <limits>

namespace {
constexpr int HeldRows = 100;

// JSON text written straight from the values, in UTF-8: QJsonDocument::toJson copies
// every row into a document of its own first, which costs `weirctl streams` a quarter of
// its time on 100,000 streams. Numbers as QJsonDocument writes them: whole ones without
// a fraction or exponent, others in their shortest exact form, and no NaN (null).
void appendJsonString(QByteArray &out, const QString &text)
{
    appendJsonQuoted(out, text.toUtf8());
}

void appendJson(QByteArray &out, const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::Bool:
        out += value.toBool() ? "true" : "false";
        break;
    case QJsonValue::Double: {
        constexpr qint64 NotWhole = std::numeric_limits<qint64>::min();
        const qint64 whole = value.toInteger(NotWhole);
        const double d = value.toDouble();
        if (whole != NotWhole)
            out += QByteArray::number(whole);
        else if (std::isfinite(d))
            out += QByteArray::number(d, 'g', QLocale::FloatingPointShortest);
        else
            out += "null";
        break;
    }
    case QJsonValue::String:
        appendJsonString(out, value.toString());
        break;
    case QJsonValue::Array: {
        out += '[';
        bool first = true;
        for (const auto &item : value.toArray()) {
            if (!first)
                out += ',';
            first = false;
            appendJson(out, item);
        }
        out += ']';
        break;
    }
    case QJsonValue::Object: {
        out += '{';
        const QJsonObject object = value.toObject();
        for (auto it = object.begin(); it != object.end(); ++it) {
            if (it != object.begin())
                out += ',';
            appendJsonString(out, it.key());
            out += ':';
            appendJson(out, it.value());
        }
        out += '}';
        break;
    }
    case QJsonValue::Null:
    case QJsonValue::Undefined:
        out += "null";
        break;
    }
}

QString jsonText(const QJsonValue &value)
{
    QByteArray text;
    appendJson(text, value);
    return QString::fromUtf8(text);
}

// The columns a terminal gives `text`: East Asian wide characters (the CJK that the
// queues' payloads and names often hold) take two, combining marks none.
int displayWidth(const QString &text)
{
    int width = 0;
    for (qsizetype i = 0; i < text.size(); ++i) {
        char32_t c = text.at(i).unicode();
        if (text.at(i).isHighSurrogate() && i + 1 < text.size()
            && text.at(i + 1).isLowSurrogate()) {
            c = QChar::surrogateToUcs4(text.at(i), text.at(i + 1));
            ++i;
        }
        const QChar::Category category = QChar::category(c);
        if (category == QChar::Mark_NonSpacing || category == QChar::Mark_Enclosing
            || category == QChar::Other_Format)
            continue;
        const bool wide = (c >= 0x1100 && c <= 0x115F) || (c >= 0x2E80 && c <= 0xA4CF)
                          || (c >= 0xAC00 && c <= 0xD7A3) || (c >= 0xF900 && c <= 0xFAFF)
                          || (c >= 0xFE30 && c <= 0xFE4F) || (c >= 0xFF00 && c <= 0xFF60)
                          || (c >= 0xFFE0 && c <= 0xFFE6) || (c >= 0x1F300 && c <= 0x1FAFF)
                          || (c >= 0x20000 && c <= 0x3FFFD);
        width += wide ? 2 : 1;
    }
    return width;
}

QString padded(const QString &text, int width, bool right)
{
    const QString blanks(qMax(0, width - displayWidth(text)), QLatin1Char(' '));
    return right ? blanks + text : text + blanks;
}

// A table cell stays on its line: line breaks and tabs in a value are shown escaped.
QString oneLine(QString text)
{
    text.replace(QLatin1Char('\n'), QLatin1String("\\n"));
    text.replace(QLatin1Char('\r'), QLatin1String("\\r"));
    text.replace(QLatin1Char('\t'), QLatin1String("\\t"));
    return text;
}
} // namespace

RecordWriter::RecordWriter(OutputFormat format, QTextStream &out, const QString &schema,
                           int version)
    : m_format(format)
    , m_out(out)
    , m_schema(schema)
    , m_version(version)
{}

RecordWriter::~RecordWriter()
{
    finish();
}

bool RecordWriter::parseFormat(const QString &text, OutputFormat *format)
{
    if (text == QLatin1String("table"))
        *format = OutputFormat::Table;
    else if (text == QLatin1String("json"))
        *format = OutputFormat::Json;
    else if (text == QLatin1String("csv"))
        *format = OutputFormat::Csv;
    else
        return false;
    return true;
}

QString RecordWriter::cellText(const QJsonValue &value, const QString &nullText)
{
    switch (value.type()) {
    case QJsonValue::Null:
    case QJsonValue::Undefined:
        return nullText;
    case QJsonValue::String:
        return value.toString();
    case QJsonValue::Bool:
        return value.toBool() ? QStringLiteral("yes") : QStringLiteral("no");
    default:
        return jsonText(value);
    }
}

void RecordWriter::openDocument()
{
    if (m_opened)
        return;
    m_opened = true;
    if (m_format == OutputFormat::Json) {
        m_out << "{\"schema\":" << jsonText(m_schema) << ",\"version\":" << m_version;
        m_firstMember = false;
    }
}

void RecordWriter::field(const QString &key, const QJsonValue &value)
{
    Q_ASSERT(!m_inTable);
    openDocument();
    switch (m_format) {
    case OutputFormat::Json:
        m_out << ',' << jsonText(key) << ':' << jsonText(value);
        break;
    case OutputFormat::Table:
        if (m_afterTable)
            m_out << '\n';
        m_afterTable = false;
        m_out << key << ": " << oneLine(cellText(value, QStringLiteral("-"))) << '\n';
        m_anyTable = true;
        break;
    case OutputFormat::Csv:
        m_csvFields.append({key, value});
        break;
    }
}

void RecordWriter::beginTable(const QString &name, const QList<Column> &columns)
{
    Q_ASSERT(!m_inTable);
    openDocument();
    m_inTable = true;
    m_firstRow = true;
    m_columns = columns;
    m_widths.clear();
    m_held.clear();
    m_jsonKeys.clear();
    for (const Column &c : columns) {
        QByteArray key;
        appendJsonString(key, c.key);
        m_jsonKeys << key + ':';
    }
    switch (m_format) {
    case OutputFormat::Json:
        m_out << ',' << jsonText(name) << ":[";
        break;
    case OutputFormat::Csv:
        writeCsvFields();
        if (m_anyTable)
            m_out << "\r\n";
        {
            QStringList headers;
            for (const Column &c : columns)
                headers << c.key;
            m_out << csvLine(headers);
        }
        break;
    case OutputFormat::Table:
        if (m_anyTable)
            m_out << '\n';
        {
            QStringList headers;
            for (const Column &c : columns)
                headers << c.header;
            m_held.push_back(headers);
        }
        break;
    }
    m_anyTable = true;
}

void RecordWriter::holdFlush(bool hold)
{
    m_flushHeld = hold;
    if (!hold) {
        writeJson();
        if (m_out.status() == QTextStream::Ok)
            m_out.flush();
    }
}

// JSON rows go out as the UTF-8 they were made in, behind what the text stream holds.
void RecordWriter::writeJson()
{
    if (m_json.isEmpty())
        return;
    m_out.flush();
    if (QIODevice *device = m_out.device())
        device->write(m_json);
    else
        m_out << QString::fromUtf8(m_json);
    m_json.clear();
}

void RecordWriter::row(const QJsonObject &row)
{
    Q_ASSERT(m_inTable);
    if (m_format == OutputFormat::Json) {
        if (!m_firstRow)
            m_json += ',';
        m_firstRow = false;
        appendJson(m_json, row);
        jsonRowDone();
        return;
    }
    QList<QJsonValue> cells;
    cells.reserve(m_columns.size());
    for (const Column &c : std::as_const(m_columns))
        cells << row.value(c.key);
    writeCells(cells);
}

void RecordWriter::rowInOrder(const QList<QJsonValue> &cells)
{
    Q_ASSERT(m_inTable && cells.size() == m_columns.size());
    if (m_format != OutputFormat::Json) {
        writeCells(cells);
        return;
    }
    m_json += m_firstRow ? "{" : ",{";
    m_firstRow = false;
    for (qsizetype i = 0; i < cells.size(); ++i) {
        if (i > 0)
            m_json += ',';
        m_json += m_jsonKeys.at(i);
        appendJson(m_json, cells.at(i));
    }
    m_json += '}';
    jsonRowDone();
}

void RecordWriter::jsonRowDone()
{
    if (!m_flushHeld || m_json.size() > 256 * 1024)
        writeJson();
}

void RecordWriter::writeCells(const QList<QJsonValue> &values)
{
    QStringList cells;
    cells.reserve(values.size());
    for (const QJsonValue &value : values)
        cells << (m_format == OutputFormat::Table ? oneLine(cellText(value, QStringLiteral("-")))
                                                  : csvCell(value));
    if (m_format == OutputFormat::Csv) {
        m_out << csvLine(cells);
        if (!m_flushHeld)
            m_out.flush();
        return;
    }
    if (!m_widths.isEmpty()) {
        writeTableLine(cells);
        if (!m_flushHeld)
            m_out.flush();
        return;
    }
    m_held.push_back(cells);
    if (int(m_held.size()) > HeldRows + 1) // the header is held too
        flushHeldRows();
}

void RecordWriter::flushHeldRows()
{
    m_widths = QList<int>(m_columns.size(), 0);
    for (const QStringList &cells : m_held)
        for (int i = 0; i < cells.size(); ++i)
            m_widths[i] = qMax(m_widths[i], displayWidth(cells[i]));
    for (const QStringList &cells : m_held)
        writeTableLine(cells);
    m_held.clear();
    m_out.flush();
}

void RecordWriter::writeTableLine(const QStringList &cells)
{
    QString line;
    for (int i = 0; i < cells.size(); ++i) {
        const bool last = i == cells.size() - 1;
        if (i > 0)
            line += QLatin1String("  ");
        if (m_columns[i].numeric)
            line += padded(cells[i], m_widths[i], true);
        else
            line += last ? cells[i] : padded(cells[i], m_widths[i], false);
    }
    // Trailing blanks of a short last cell (right-aligned numbers have none).
    while (line.endsWith(QLatin1Char(' ')))
        line.chop(1);
    m_out << line << '\n';
}

QString RecordWriter::csvLine(const QStringList &cells) const
{
    QStringList quoted;
    quoted.reserve(cells.size());
    for (const QString &cell : cells) {
        if (cell.contains(QLatin1Char(',')) || cell.contains(QLatin1Char('"'))
            || cell.contains(QLatin1Char('\n')) || cell.contains(QLatin1Char('\r'))) {
            QString escaped = cell;
            escaped.replace(QLatin1String("\""), QLatin1String("\"\""));
            quoted << QLatin1Char('"') + escaped + QLatin1Char('"');
        } else {
            quoted << cell;
        }
    }
    return quoted.join(QLatin1Char(',')) + QStringLiteral("\r\n");
}

void RecordWriter::endTable()
{
    Q_ASSERT(m_inTable);
    m_inTable = false;
    switch (m_format) {
    case OutputFormat::Json:
        writeJson();
        m_out << ']';
        break;
    case OutputFormat::Table:
        if (m_widths.isEmpty())
            flushHeldRows();
        m_afterTable = true;
        break;
    case OutputFormat::Csv:
        break;
    }
    m_out.flush();
}

void RecordWriter::finish()
{
    if (m_finished)
        return;
    if (m_inTable)
        endTable();
    m_finished = true;
    openDocument();
    if (m_format == OutputFormat::Json)
        m_out << "}\n";
    else if (m_format == OutputFormat::Csv)
        writeCsvFields();
    m_out.flush();
}

// CSV is read by programs: booleans as true/false, null as an empty field.
QString RecordWriter::csvCell(const QJsonValue &value)
{
    if (value.isBool())
        return value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    return cellText(value, QString());
}

// The top-level fields, in CSV a "field,value" table of their own, apart from the
// tables around it by a blank line.
void RecordWriter::writeCsvFields()
{
    if (m_csvFields.isEmpty())
        return;
    if (m_anyTable)
        m_out << "\r\n";
    m_out << csvLine({QStringLiteral("field"), QStringLiteral("value")});
    for (const auto &f : std::as_const(m_csvFields))
        m_out << csvLine({f.first, csvCell(f.second)});
    m_csvFields.clear();
    m_anyTable = true;
}
