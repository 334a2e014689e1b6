#include "recordwriter.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTextStream>

namespace {
constexpr int HeldRows = 100;

QString jsonText(const QJsonValue &value)
{
    if (value.isArray())
        return QString::fromUtf8(QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact));
    if (value.isObject())
        return QString::fromUtf8(QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact));
    // A scalar: wrap it in an array and cut the brackets off.
    const QByteArray text = QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact);
    return QString::fromUtf8(text.mid(1, text.size() - 2));
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
        m_out << key << ": " << cellText(value, QStringLiteral("-")) << '\n';
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
    switch (m_format) {
    case OutputFormat::Json:
        m_out << ',' << jsonText(name) << ":[";
        break;
    case OutputFormat::Csv:
        if (!m_csvFields.isEmpty()) {
            m_out << csvLine({QStringLiteral("field"), QStringLiteral("value")});
            for (const auto &f : std::as_const(m_csvFields))
                m_out << csvLine({f.first, cellText(f.second, {})});
            m_out << '\n';
            m_csvFields.clear();
        } else if (m_anyTable) {
            m_out << '\n';
        }
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

void RecordWriter::row(const QJsonObject &row)
{
    Q_ASSERT(m_inTable);
    if (m_format == OutputFormat::Json) {
        m_out << (m_firstRow ? "" : ",") << jsonText(row);
        m_firstRow = false;
        if (m_out.status() == QTextStream::Ok)
            m_out.flush();
        return;
    }
    QStringList cells;
    cells.reserve(m_columns.size());
    for (const Column &c : std::as_const(m_columns))
        cells << cellText(row.value(c.key),
                          m_format == OutputFormat::Table ? QStringLiteral("-") : QString());
    if (m_format == OutputFormat::Csv) {
        m_out << csvLine(cells);
        m_out.flush();
        return;
    }
    if (!m_widths.isEmpty()) {
        writeTableLine(cells);
        m_out.flush();
        return;
    }
    m_held.push_back(cells);
    if (int(m_held.size()) > HeldRows)
        flushHeldRows();
}

void RecordWriter::flushHeldRows()
{
    m_widths = QList<int>(m_columns.size(), 0);
    for (const QStringList &cells : m_held)
        for (int i = 0; i < cells.size(); ++i)
            m_widths[i] = qMax(m_widths[i], int(cells[i].size()));
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
            line += cells[i].rightJustified(m_widths[i]);
        else
            line += last ? cells[i] : cells[i].leftJustified(m_widths[i]);
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
        m_out << ']';
        break;
    case OutputFormat::Table:
        if (m_widths.isEmpty())
            flushHeldRows();
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
    else if (m_format == OutputFormat::Csv && !m_csvFields.isEmpty()) {
        m_out << csvLine({QStringLiteral("field"), QStringLiteral("value")});
        for (const auto &f : std::as_const(m_csvFields))
            m_out << csvLine({f.first, cellText(f.second, {})});
    }
    m_out.flush();
}
