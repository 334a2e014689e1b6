#include "historychunk.h"

#include <QHash>

#include <algorithm>
#include <cmath>
#include <cstring>

qint64 historyBucketMs(HistoryTier tier)
{
    switch (tier) {
    case HistoryTier::Raw:
        return 0;
    case HistoryTier::Minute:
        return qint64(60) * 1000;
    case HistoryTier::Hour:
        return qint64(3600) * 1000;
    }
    return 0;
}

qint64 historyChunkMs(HistoryTier tier)
{
    switch (tier) {
    case HistoryTier::Raw:
        return qint64(10) * 60 * 1000;
    case HistoryTier::Minute:
        return qint64(3600) * 1000;
    case HistoryTier::Hour:
        return qint64(24) * 3600 * 1000;
    }
    return 0;
}

qint64 historyAlign(qint64 timeMs, qint64 spanMs)
{
    if (spanMs <= 0)
        return timeMs;
    // Floor, not C++'s truncation toward zero: a time before the epoch belongs to the span
    // that starts before it.
    qint64 remainder = timeMs % spanMs;
    if (remainder < 0)
        remainder += spanMs;
    // The first span of qint64's range starts before it: it starts at its lowest.
    if (timeMs < std::numeric_limits<qint64>::min() + remainder)
        return std::numeric_limits<qint64>::min();
    return timeMs - remainder;
}

HistoryBucket HistoryBucket::sample(qint64 timeMs, float value)
{
    if (std::isnan(value))
        return gap(timeMs);
    HistoryBucket bucket;
    bucket.timeMs = timeMs;
    bucket.min = value;
    bucket.max = value;
    bucket.mean = value;
    bucket.last = value;
    bucket.count = 1;
    return bucket;
}

HistoryBucket HistoryBucket::gap(qint64 timeMs)
{
    HistoryBucket bucket;
    bucket.timeMs = timeMs;
    return bucket;
}

namespace {

quint32 saturatingAdd(quint32 a, quint32 b)
{
    const quint32 sum = a + b;
    return sum < a ? std::numeric_limits<quint32>::max() : sum;
}

} // namespace

void BucketAccumulator::add(float value)
{
    if (std::isnan(value))
        return;
    // m_min and m_max start as NaN, so the first value always replaces them.
    if (value < m_min || std::isnan(m_min))
        m_min = value;
    if (value > m_max || std::isnan(m_max))
        m_max = value;
    m_last = value;
    m_sum += double(value);
    m_count = saturatingAdd(m_count, 1);
}

void BucketAccumulator::add(const HistoryBucket &bucket)
{
    if (bucket.count == 0)
        return;
    // A bucket that held both infinities has a NaN mean but real bounds: each field on its
    // own, NaN fields counting for nothing.
    if (bucket.min < m_min || std::isnan(m_min))
        m_min = bucket.min;
    if (bucket.max > m_max || std::isnan(m_max))
        m_max = bucket.max;
    if (!std::isnan(bucket.last) || m_count == 0)
        m_last = bucket.last;
    m_sum += double(bucket.mean) * double(bucket.count);
    m_count = saturatingAdd(m_count, bucket.count);
}

HistoryBucket BucketAccumulator::bucket(qint64 startMs) const
{
    if (m_count == 0)
        return HistoryBucket::gap(startMs);
    HistoryBucket bucket;
    bucket.timeMs = startMs;
    bucket.min = m_min;
    bucket.max = m_max;
    bucket.mean = float(m_sum / double(m_count));
    bucket.last = m_last;
    bucket.count = m_count;
    return bucket;
}

// --- Bits ----------------------------------------------------------------------------------

namespace {

// Chunk formats (the first byte of a chunk).
constexpr quint8 ChunkFormatBits = 1; // header, then the columns as one bit stream
constexpr quint8 JournalFormatBits = 1;

quint32 floatBits(float value)
{
    quint32 bits;
    std::memcpy(&bits, &value, sizeof bits);
    return bits;
}

float bitsFloat(quint32 bits)
{
    float value;
    std::memcpy(&value, &bits, sizeof value);
    return value;
}

quint64 zigzag(qint64 value)
{
    return (quint64(value) << 1) ^ quint64(value >> 63);
}

qint64 unzigzag(quint64 value)
{
    return qint64(value >> 1) ^ -qint64(value & 1);
}

// The difference a - b as the wrapped two's complement value: every pair of times (however
// far apart, negative ones included) has one, and b + (a - b) gives a back exactly.
qint64 wrappedDifference(qint64 a, qint64 b)
{
    return qint64(quint64(a) - quint64(b));
}

qint64 wrappedSum(qint64 a, qint64 b)
{
    return qint64(quint64(a) + quint64(b));
}

// Writes bits most significant first.
class BitWriter
{
public:
    explicit BitWriter(QByteArray *out)
        : m_out(out)
    {}
    void write(quint64 value, int bits)
    {
        m_written += quint64(bits);
        if (!m_out)
            return;
        if (bits > 32) {
            m_written -= quint64(bits);
            write(value >> 32, bits - 32);
            write(value & 0xffffffffu, 32);
            return;
        }
        if (bits < 64)
            value &= (quint64(1) << bits) - 1;
        m_buffer = (m_buffer << bits) | value;
        m_pending += bits;
        while (m_pending >= 8) {
            m_pending -= 8;
            m_out->append(char(quint8(m_buffer >> m_pending)));
        }
    }
    void writeBit(bool bit) { write(bit ? 1 : 0, 1); }
    // Pads the last byte with zero bits.
    void finish()
    {
        if (m_pending > 0)
            write(0, 8 - m_pending);
    }
    // The bits written so far (all a writer without output does: it measures).
    quint64 written() const { return m_written; }

private:
    QByteArray *m_out;
    quint64 m_written = 0;
    quint64 m_buffer = 0; // only the low m_pending bits are still to be written
    int m_pending = 0;
};

// Reads what BitWriter wrote. Never reads past its end: a read that would returns 0 and
// marks the reader failed, for the caller to check once per entry or column.
class BitReader
{
public:
    BitReader(const uchar *data, qsizetype size)
        : m_data(data)
        , m_bits(quint64(size) * 8)
    {}
    quint64 read(int bits)
    {
        if (quint64(bits) > m_bits - m_position) {
            m_failed = true;
            m_position = m_bits;
            return 0;
        }
        quint64 value = 0;
        while (bits > 0) {
            const int offset = int(m_position & 7);
            const int take = std::min(bits, 8 - offset);
            const quint64 byte = m_data[m_position >> 3];
            value = (value << take) | ((byte >> (8 - offset - take)) & ((1u << take) - 1));
            m_position += quint64(take);
            bits -= take;
        }
        return value;
    }
    bool readBit()
    {
        if (m_position >= m_bits) {
            m_failed = true;
            return false;
        }
        const bool bit = (m_data[m_position >> 3] >> (7 - (m_position & 7))) & 1;
        ++m_position;
        return bit;
    }
    bool failed() const { return m_failed; }
    quint64 remainingBits() const { return m_bits - m_position; }
    // What follows the last entry: only the zero bits that pad the last byte.
    bool atPaddedEnd()
    {
        const quint64 left = remainingBits();
        return left < 8 && read(int(left)) == 0 && !m_failed;
    }

private:
    const uchar *m_data;
    quint64 m_bits;
    quint64 m_position = 0;
    bool m_failed = false;
};

// A signed integer in a prefix code for the journal, which is written a tick at a time (a
// chunk's columns measure the best Rice code instead, below): 0 (a regular step, the next
// series number) in one bit, a tick's jitter of a few ms in 7, anything in at most 69.
struct IntClass
{
    int prefixBits; // the prefix's length: ones then a zero (the last class: ones only)
    int valueBits;
};
constexpr IntClass IntClasses[] = {{2, 5}, {3, 9}, {4, 16}, {5, 32}, {5, 64}};

void writeSigned(BitWriter &writer, qint64 value)
{
    const quint64 u = zigzag(value);
    if (u == 0) {
        writer.writeBit(false);
        return;
    }
    for (const IntClass &c : IntClasses) {
        if (c.valueBits == 64 || u < (quint64(1) << c.valueBits)) {
            // Ones, then a zero unless this is the last class.
            const bool lastClass = c.valueBits == 64;
            writer.write((quint64(1) << c.prefixBits) - (lastClass ? 1 : 2), c.prefixBits);
            writer.write(u, c.valueBits);
            return;
        }
    }
}

qint64 readSigned(BitReader &reader)
{
    if (!reader.readBit())
        return 0;
    for (const IntClass &c : IntClasses) {
        if (c.valueBits == 64 || !reader.readBit())
            return unzigzag(reader.read(c.valueBits));
    }
    return 0;
}

// Floats XOR-encoded against the previous one of the same column, as Gorilla does: an equal
// value costs a bit, one whose changed bits fit the previous value's window costs 2 bits and
// the window, any other 12 bits and its changed bits.
struct XorState
{
    quint32 previous = 0;
    int leading = -1; // the window of the previous XOR; -1 before the first
    int trailing = 0;
};

// The XOR states of the journal's series, by number: in an array for the small numbers a
// store hands out (1, 2, 3...), found without hashing millions of times a journal; in a
// hash for any other (a damaged journal's).
class XorStates
{
public:
    // Valid until the next call.
    XorState &operator[](qint64 id)
    {
        if (id < 0 || id >= DenseLimit)
            return m_sparse[id];
        if (size_t(id) >= m_dense.size())
            m_dense.resize(size_t(id) + 1);
        return m_dense[size_t(id)];
    }

private:
    static constexpr qint64 DenseLimit = qint64(1) << 20;
    std::vector<XorState> m_dense;
    QHash<qint64, XorState> m_sparse;
};

void writeXor(BitWriter &writer, XorState &state, quint32 bits)
{
    const quint32 x = bits ^ state.previous;
    state.previous = bits;
    if (x == 0) {
        writer.writeBit(false);
        return;
    }
    const int leading = qCountLeadingZeroBits(x);
    const int trailing = qCountTrailingZeroBits(x);
    if (state.leading >= 0 && leading >= state.leading && trailing >= state.trailing) {
        writer.write(0b10, 2);
        writer.write(x >> state.trailing, 32 - state.leading - state.trailing);
        return;
    }
    const int length = 32 - leading - trailing; // 1..32
    writer.write(0b11, 2);
    writer.write(quint64(leading), 5);
    writer.write(quint64(length - 1), 5);
    writer.write(x >> trailing, length);
    state.leading = leading;
    state.trailing = trailing;
}

// False for a window that no encoder writes (the reader's own failure is checked apart).
bool readXor(BitReader &reader, XorState &state, quint32 *bits)
{
    if (!reader.readBit()) {
        *bits = state.previous;
        return true;
    }
    if (!reader.readBit()) {
        if (state.leading < 0)
            return false;
        const int length = 32 - state.leading - state.trailing;
        state.previous ^= quint32(reader.read(length) << state.trailing);
        *bits = state.previous;
        return true;
    }
    const int leading = int(reader.read(5));
    const int length = int(reader.read(5)) + 1;
    if (leading + length > 32)
        return false;
    const int trailing = 32 - leading - length;
    const quint64 meaningful = reader.read(length);
    // An encoder writes the window of the XOR itself: its first and last bits are ones.
    if ((meaningful >> (length - 1)) == 0 || (meaningful & 1) == 0)
        return false;
    state.previous ^= quint32(meaningful << trailing);
    state.leading = leading;
    state.trailing = trailing;
    *bits = state.previous;
    return true;
}

// Byte-aligned LEB128 for the header.
void writeVarint(QByteArray *out, quint64 value)
{
    while (value >= 0x80) {
        out->append(char(quint8(value | 0x80)));
        value >>= 7;
    }
    out->append(char(quint8(value)));
}

bool readVarint(const uchar *data, qsizetype size, qsizetype *position, quint64 *value)
{
    quint64 result = 0;
    for (int shift = 0; shift < 64; shift += 7) {
        if (*position >= size)
            return false;
        const quint8 byte = data[(*position)++];
        result |= quint64(byte & 0x7f) << shift;
        if ((byte & 0x80) == 0) {
            *value = result;
            return true;
        }
    }
    return false;
}

QString tierName(int tier)
{
    switch (tier) {
    case int(HistoryTier::Raw):
        return QStringLiteral("raw");
    case int(HistoryTier::Minute):
        return QStringLiteral("minute");
    case int(HistoryTier::Hour):
        return QStringLiteral("hour");
    }
    return QString::number(tier);
}

// The step a tier's times usually advance by, so a chunk's first step costs a bit too.
qint64 expectedStepMs(HistoryTier tier)
{
    const qint64 bucket = historyBucketMs(tier);
    return bucket > 0 ? bucket : 1000;
}

// The count a tier's buckets usually hold (a sample a second).
qint64 expectedCount(HistoryTier tier)
{
    const qint64 bucket = historyBucketMs(tier);
    return bucket > 0 ? bucket / 1000 : 1;
}

bool fail(QString *error, const QString &why)
{
    if (error)
        *error = why;
    return false;
}

} // namespace

// --- Chunks --------------------------------------------------------------------------------
//
// Format 1: the format byte, the tier byte, the number of entries (LEB128) and, when there
// are any, the first time (zigzag LEB128); then one bit stream of columns, each entry after
// the one before:
//   times   the deltas of their steps (the first step's from the tier's usual step), Rice-coded;
//   counts  their deltas (the first's from the tier's usual count), Rice-coded;
//   floats  of the entries that are not gaps (count 0), each column on its own: `last` alone
//           for the raw tier (a raw sample's min, max and mean are its value), else min, max,
//           mean, last. A column with no such entry takes no bits; any other starts with its
//           mode (3 bits), the one that measured smallest for it (see ColumnMode).
// The last byte is padded with zero bits.
//
// A Rice code with parameter k (6 bits before the column) writes the zigzag of a delta as
// its high bits in unary and its k low bits as they are: the best k makes a column of
// small steps cost a few bits an entry. A value too large for the unary part is escaped: its
// length in bits, then its bits. A column of zeros only (a regular step, a steady count) takes k =
// 63 and no bits per entry.

namespace {

// 10 min of raw samples at the fastest tick (200 ms) are 3,000.
constexpr int MaxChunkEntries = 1 << 16;

constexpr int RiceEscape = 16; // this many ones: the value's length in bits, then its bits
constexpr int RiceLengthBits = 6;
constexpr int RiceParameterBits = 6;
constexpr int RiceLargestParameter = 40;
// The parameter of a column of zeros (a regular step, a steady count): no bits per entry.
constexpr int RiceAllZero = 63;

quint64 riceCost(quint64 value, int k)
{
    const quint64 high = value >> k;
    return high < RiceEscape
               ? high + 1 + quint64(k)
               : RiceEscape + RiceLengthBits + quint64(64 - qCountLeadingZeroBits(value));
}

quint64 riceCost(const std::vector<quint64> &values, int k)
{
    quint64 cost = 0;
    for (quint64 value : values)
        cost += riceCost(value, k);
    return cost;
}

int bestRiceParameter(const std::vector<quint64> &values)
{
    // Every fourth k, then the ones around the best of them: 17 measures instead of 41, which
    // spares the writer thread most of the work and finds the best k of Weir's series (a
    // column's size is not always smallest where its values' mean suggests).
    int best = 0;
    quint64 bestCost = std::numeric_limits<quint64>::max();
    auto measure = [&](int k) {
        const quint64 cost = riceCost(values, k);
        if (cost < bestCost || (cost == bestCost && k < best)) {
            bestCost = cost;
            best = k;
        }
    };
    for (int k = 0; k <= RiceLargestParameter; k += 4)
        measure(k);
    const int coarse = best;
    for (int k = std::max(0, coarse - 3); k <= std::min(RiceLargestParameter, coarse + 3); ++k)
        measure(k);
    return best;
}

// The parameter, then every value.
void writeRice(BitWriter &writer, const std::vector<quint64> &values)
{
    if (std::all_of(values.begin(), values.end(), [](quint64 value) { return value == 0; })) {
        writer.write(RiceAllZero, RiceParameterBits);
        return;
    }
    const int k = bestRiceParameter(values);
    writer.write(quint64(k), RiceParameterBits);
    for (quint64 value : values) {
        const quint64 high = value >> k;
        if (high < RiceEscape) {
            writer.write((quint64(1) << (high + 1)) - 2, int(high) + 1); // ones, then a zero
            writer.write(value, k);
        } else {
            const int length = 64 - qCountLeadingZeroBits(value);
            writer.write((quint64(1) << RiceEscape) - 1, RiceEscape);
            writer.write(quint64(length - 1), RiceLengthBits);
            writer.write(value, length);
        }
    }
}

quint64 readRice(BitReader &reader, int k)
{
    if (k == RiceAllZero)
        return 0;
    quint64 high = 0;
    while (high < RiceEscape && reader.readBit())
        ++high;
    if (high == RiceEscape)
        return reader.read(int(reader.read(RiceLengthBits)) + 1);
    return (high << k) | (k > 0 ? reader.read(k) : 0);
}

// How a float column is coded; the encoder measures every mode the column allows and
// keeps the smallest.
enum ColumnMode : quint8 {
    // Gorilla's XOR against the previous value: any floats.
    XorMode = 0,
    // The steps of the floats' bit patterns, Rice-coded. A positive float's pattern grows
    // with its value, so a noisy rate's steps cost about the bits its noise has.
    PatternStepMode = 1,
    // Whole numbers (lag, pending, time lag in ms; not -0): their steps, Rice-coded.
    IntegerStepMode = 2,
    // Whole numbers that climb or fall steadily: the changes of their steps.
    IntegerRampMode = 3,
    // Means of whole numbers: the bucket's sum (mean × count, a whole number), as its
    // distance from the middle of the bucket's min and max times its count. Only for the
    // mean column, written after min and max.
    SumMode = 4,
    // One value throughout (an idle queue's zeros): its bits once.
    ConstantMode = 5,
};
constexpr int ColumnModeBits = 3;

// The largest whole number a column may hold in the integer modes: steps between two of
// them must not overflow qint64, nor a sum of one times a count.
constexpr double LargestInteger = 9007199254740992.0; // 2^53

bool isWholeNumber(float value)
{
    return std::abs(value) <= LargestInteger && value == std::trunc(value)
           && !(value == 0 && std::signbit(value));
}

// The sum of `count` samples whose mean is `mean`, when it is a whole number that gives the
// mean back exactly.
bool sumOf(float mean, quint32 count, qint64 *sum)
{
    const double product = double(mean) * double(count);
    if (!(std::abs(product) <= LargestInteger))
        return false;
    *sum = qint64(std::llround(product));
    return floatBits(float(double(*sum) / double(count))) == floatBits(mean);
}

// The sum a bucket's mean is coded against: its count times the middle of its min and max.
bool expectedSum(float min, float max, quint32 count, qint64 *sum)
{
    const double middle = (double(min) + double(max)) / 2 * double(count);
    if (!(std::abs(middle) <= LargestInteger))
        return false;
    *sum = qint64(std::llround(middle));
    return true;
}

// The values of one float column of a chunk: the entries that are not gaps.
struct FloatColumn
{
    std::vector<quint32> bits;
    std::vector<quint32> counts; // for SumMode
    const std::vector<quint32> *mins = nullptr;
    const std::vector<quint32> *maxes = nullptr;
};

// The symbols a Rice-coded mode writes for `column`; false when the mode does not fit it.
bool riceSymbols(ColumnMode mode, const FloatColumn &column, std::vector<quint64> *symbols)
{
    symbols->clear();
    symbols->reserve(column.bits.size());
    qint64 previous = 0;
    qint64 previousStep = 0;
    for (size_t i = 0; i < column.bits.size(); ++i) {
        const quint32 bits = column.bits[i];
        switch (mode) {
        case PatternStepMode:
            symbols->push_back(zigzag(qint32(bits - quint32(previous))));
            previous = bits;
            break;
        case IntegerStepMode:
        case IntegerRampMode: {
            const float value = bitsFloat(bits);
            if (!isWholeNumber(value))
                return false;
            const auto whole = qint64(value);
            const qint64 step = whole - previous;
            symbols->push_back(zigzag(mode == IntegerStepMode ? step : step - previousStep));
            previous = whole;
            previousStep = step;
            break;
        }
        case SumMode: {
            qint64 sum = 0;
            qint64 expected = 0;
            if (!sumOf(bitsFloat(bits), column.counts[i], &sum)
                || !expectedSum(bitsFloat((*column.mins)[i]), bitsFloat((*column.maxes)[i]),
                                column.counts[i], &expected)) {
                return false;
            }
            symbols->push_back(zigzag(sum - expected));
            break;
        }
        case XorMode:
        case ConstantMode:
            return false;
        }
    }
    return true;
}

void writeXorColumn(BitWriter &writer, const std::vector<quint32> &bits)
{
    XorState state;
    for (quint32 value : bits)
        writeXor(writer, state, value);
}

void writeColumn(BitWriter &writer, const FloatColumn &column, bool sumAllowed)
{
    if (column.bits.empty())
        return;
    // Measure each mode, keep the smallest (the XOR mode fits every column).
    ColumnMode best = XorMode;
    BitWriter measure(nullptr);
    writeXorColumn(measure, column.bits);
    quint64 bestBits = measure.written();
    std::vector<quint64> symbols;
    std::vector<quint64> bestSymbols;
    for (ColumnMode mode : {PatternStepMode, IntegerStepMode, IntegerRampMode, SumMode}) {
        if (mode == SumMode && !sumAllowed)
            continue;
        if (!riceSymbols(mode, column, &symbols))
            continue;
        BitWriter rice(nullptr);
        writeRice(rice, symbols);
        if (rice.written() < bestBits) {
            bestBits = rice.written();
            best = mode;
            bestSymbols.swap(symbols);
        }
    }
    if (bestBits > 32 && std::all_of(column.bits.begin(), column.bits.end(), [&](quint32 bits) {
            return bits == column.bits.front();
        })) {
        writer.write(ConstantMode, ColumnModeBits);
        writer.write(column.bits.front(), 32);
        return;
    }
    writer.write(best, ColumnModeBits);
    if (best == XorMode)
        writeXorColumn(writer, column.bits);
    else
        writeRice(writer, bestSymbols);
}

// Reads a column written by writeColumn into the `field` of the entries that are not gaps.
// Empty for a column that reads; else why not.
QString readColumn(BitReader &reader, HistoryBuckets &buckets, float HistoryBucket::*field,
                   bool sumAllowed)
{
    size_t present = 0;
    for (const HistoryBucket &bucket : buckets)
        present += bucket.count != 0 ? 1 : 0;
    if (present == 0)
        return {};
    const auto mode = ColumnMode(reader.read(ColumnModeBits));
    if (mode > ConstantMode || (mode == SumMode && !sumAllowed))
        return QStringLiteral("corrupt chunk: unknown column mode %1").arg(int(mode));
    auto misplaced = [] {
        return QStringLiteral("corrupt chunk: a value's bits are out of place");
    };
    XorState state;
    const int k = mode == XorMode || mode == ConstantMode ? 0 : int(reader.read(RiceParameterBits));
    const auto constant = mode == ConstantMode ? quint32(reader.read(32)) : 0;
    qint64 previous = 0;
    qint64 previousStep = 0;
    for (HistoryBucket &bucket : buckets) {
        if (bucket.count == 0)
            continue;
        if (reader.failed())
            return QStringLiteral("truncated chunk");
        switch (mode) {
        case ConstantMode:
            bucket.*field = bitsFloat(constant);
            break;
        case XorMode: {
            quint32 bits = 0;
            if (!readXor(reader, state, &bits))
                return misplaced();
            bucket.*field = bitsFloat(bits);
            break;
        }
        case PatternStepMode: {
            const auto bits = quint32(previous) + quint32(unzigzag(readRice(reader, k)));
            bucket.*field = bitsFloat(bits);
            previous = bits;
            break;
        }
        case IntegerStepMode:
        case IntegerRampMode: {
            const qint64 delta = unzigzag(readRice(reader, k));
            const qint64 step = mode == IntegerStepMode ? delta : wrappedSum(previousStep, delta);
            const qint64 whole = wrappedSum(previous, step);
            // Only what the encoder writes: whole numbers within 2^53 that a float holds.
            if (std::abs(double(whole)) > LargestInteger || qint64(float(whole)) != whole)
                return misplaced();
            bucket.*field = float(whole);
            previous = whole;
            previousStep = step;
            break;
        }
        case SumMode: {
            qint64 expected = 0;
            if (!expectedSum(bucket.min, bucket.max, bucket.count, &expected))
                return misplaced();
            const qint64 sum = wrappedSum(expected, unzigzag(readRice(reader, k)));
            bucket.*field = float(double(sum) / double(bucket.count));
            break;
        }
        }
    }
    return reader.failed() ? QStringLiteral("truncated chunk") : QString();
}

} // namespace

QByteArray encodeHistoryChunk(HistoryTier tier, const HistoryBuckets &buckets)
{
    QByteArray out;
    out.reserve(16 + qsizetype(buckets.size()) * (tier == HistoryTier::Raw ? 3 : 10));
    out.append(char(ChunkFormatBits));
    out.append(char(quint8(tier)));
    writeVarint(&out, buckets.size());
    if (buckets.empty())
        return out;
    writeVarint(&out, zigzag(buckets.front().timeMs));

    BitWriter writer(&out);
    std::vector<quint64> symbols;
    symbols.reserve(buckets.size());
    qint64 previousStep = expectedStepMs(tier);
    for (size_t i = 1; i < buckets.size(); ++i) {
        const qint64 step = wrappedDifference(buckets[i].timeMs, buckets[i - 1].timeMs);
        symbols.push_back(zigzag(wrappedDifference(step, previousStep)));
        previousStep = step;
    }
    writeRice(writer, symbols);
    symbols.clear();
    qint64 previousCount = expectedCount(tier);
    for (const HistoryBucket &bucket : buckets) {
        symbols.push_back(zigzag(qint64(bucket.count) - previousCount));
        previousCount = bucket.count;
    }
    writeRice(writer, symbols);

    auto columnOf = [&](float HistoryBucket::*field) {
        FloatColumn column;
        column.bits.reserve(buckets.size());
        for (const HistoryBucket &bucket : buckets) {
            if (bucket.count != 0)
                column.bits.push_back(floatBits(bucket.*field));
        }
        return column;
    };
    if (tier != HistoryTier::Raw) {
        const FloatColumn min = columnOf(&HistoryBucket::min);
        const FloatColumn max = columnOf(&HistoryBucket::max);
        FloatColumn mean = columnOf(&HistoryBucket::mean);
        for (const HistoryBucket &bucket : buckets) {
            if (bucket.count != 0)
                mean.counts.push_back(bucket.count);
        }
        mean.mins = &min.bits;
        mean.maxes = &max.bits;
        writeColumn(writer, min, false);
        writeColumn(writer, max, false);
        writeColumn(writer, mean, true);
    }
    writeColumn(writer, columnOf(&HistoryBucket::last), false);
    writer.finish();
    return out;
}

bool decodeHistoryChunk(const QByteArray &data, HistoryTier tier, HistoryBuckets *out,
                        QString *error)
{
    out->clear();
    const auto *bytes = reinterpret_cast<const uchar *>(data.constData());
    const qsizetype size = data.size();
    if (size < 3)
        return fail(error, QStringLiteral("truncated chunk"));
    if (bytes[0] != ChunkFormatBits)
        return fail(error, QStringLiteral("unknown chunk format %1").arg(bytes[0]));
    if (bytes[1] > quint8(HistoryTier::Hour))
        return fail(error, QStringLiteral("unknown history tier %1 in chunk").arg(bytes[1]));
    if (bytes[1] != quint8(tier)) {
        return fail(error, QStringLiteral("a chunk of the %1 tier where one of the %2 tier "
                                          "was expected")
                               .arg(tierName(bytes[1]), tierName(int(tier))));
    }
    qsizetype position = 2;
    quint64 count = 0;
    if (!readVarint(bytes, size, &position, &count))
        return fail(error, QStringLiteral("truncated chunk"));
    if (count == 0) {
        if (position != size)
            return fail(error, QStringLiteral("corrupt chunk: bytes after its end"));
        return true;
    }
    quint64 firstTime = 0;
    if (!readVarint(bytes, size, &position, &firstTime))
        return fail(error, QStringLiteral("truncated chunk"));
    // A regular, unchanging series takes no bits an entry, so a short chunk may hold many:
    // the count is capped, not measured against the bytes, before it sizes an allocation.
    if (count > quint64(MaxChunkEntries)) {
        return fail(
            error, QStringLiteral("corrupt chunk: %1 entries, more than a chunk holds").arg(count));
    }
    BitReader reader(bytes + position, size - position);

    HistoryBuckets buckets(count);
    buckets[0].timeMs = unzigzag(firstTime);
    const int timeParameter = int(reader.read(RiceParameterBits));
    qint64 previousStep = expectedStepMs(tier);
    for (size_t i = 1; i < buckets.size(); ++i) {
        const qint64 step = wrappedSum(previousStep, unzigzag(readRice(reader, timeParameter)));
        buckets[i].timeMs = wrappedSum(buckets[i - 1].timeMs, step);
        previousStep = step;
    }
    const int countParameter = int(reader.read(RiceParameterBits));
    qint64 previousCount = expectedCount(tier);
    for (HistoryBucket &bucket : buckets) {
        const qint64 value = wrappedSum(previousCount, unzigzag(readRice(reader, countParameter)));
        if (value < 0 || value > qint64(std::numeric_limits<quint32>::max()))
            return fail(error, QStringLiteral("corrupt chunk: a count out of range"));
        bucket.count = quint32(value);
        previousCount = value;
    }
    if (reader.failed())
        return fail(error, QStringLiteral("truncated chunk"));
    QString why;
    if (tier != HistoryTier::Raw) {
        why = readColumn(reader, buckets, &HistoryBucket::min, false);
        if (why.isEmpty())
            why = readColumn(reader, buckets, &HistoryBucket::max, false);
        if (why.isEmpty())
            why = readColumn(reader, buckets, &HistoryBucket::mean, true);
    }
    if (why.isEmpty())
        why = readColumn(reader, buckets, &HistoryBucket::last, false);
    if (!why.isEmpty())
        return fail(error, why);
    if (!reader.atPaddedEnd())
        return fail(error, QStringLiteral("corrupt chunk: bytes after its end"));
    if (tier == HistoryTier::Raw) {
        for (HistoryBucket &bucket : buckets) {
            if (bucket.count != 0)
                bucket.min = bucket.max = bucket.mean = bucket.last;
        }
    }
    *out = std::move(buckets);
    return true;
}

// --- Journal -------------------------------------------------------------------------------
//
// Format 1: the format byte and the number of ticks (LEB128), then one bit stream: per tick
// its time (the first in full, then deltas of deltas), its ok flag, the number of its values
// (as a delta from the tick before) and the values, each as its series number (a delta from
// the one before in the tick, less one, so consecutive numbers cost a bit) and its float
// XOR-encoded against the same series' previous value in the journal.

QByteArray encodeJournal(const std::vector<JournalTick> &ticks)
{
    QByteArray out;
    out.append(char(JournalFormatBits));
    writeVarint(&out, ticks.size());
    BitWriter writer(&out);
    XorStates states;
    qint64 previousTime = 0;
    qint64 previousStep = 0;
    qint64 previousCount = 0;
    for (size_t t = 0; t < ticks.size(); ++t) {
        const JournalTick &tick = ticks[t];
        const qint64 step = wrappedDifference(tick.timeMs, previousTime);
        writeSigned(writer, t == 0 ? step : wrappedDifference(step, previousStep));
        if (t == 0)
            previousStep = 1000;
        else
            previousStep = step;
        previousTime = tick.timeMs;
        writer.writeBit(tick.ok);
        const auto count = qint64(tick.values.size());
        writeSigned(writer, count - previousCount);
        previousCount = count;
        qint64 previousId = -1;
        for (const auto &[id, value] : tick.values) {
            writeSigned(writer, wrappedDifference(wrappedDifference(id, previousId), 1));
            previousId = id;
            writeXor(writer, states[id], floatBits(value));
        }
    }
    writer.finish();
    return out;
}

bool decodeJournal(const QByteArray &data, std::vector<JournalTick> *out, QString *error)
{
    out->clear();
    const auto *bytes = reinterpret_cast<const uchar *>(data.constData());
    const qsizetype size = data.size();
    if (size < 2)
        return fail(error, QStringLiteral("truncated journal"));
    if (bytes[0] != JournalFormatBits)
        return fail(error, QStringLiteral("unknown journal format %1").arg(bytes[0]));
    qsizetype position = 1;
    quint64 tickCount = 0;
    if (!readVarint(bytes, size, &position, &tickCount))
        return fail(error, QStringLiteral("truncated journal"));
    BitReader reader(bytes + position, size - position);
    // A tick costs at least three bits (its step, its flag, its count), a value two.
    if (tickCount > reader.remainingBits() / 3)
        return fail(error, QStringLiteral("truncated journal"));
    std::vector<JournalTick> ticks(tickCount);
    XorStates states;
    qint64 previousTime = 0;
    qint64 previousStep = 0;
    qint64 previousCount = 0;
    for (size_t t = 0; t < ticks.size(); ++t) {
        JournalTick &tick = ticks[t];
        const qint64 delta = readSigned(reader);
        const qint64 step = t == 0 ? delta : wrappedSum(previousStep, delta);
        tick.timeMs = wrappedSum(previousTime, step);
        previousStep = t == 0 ? 1000 : step;
        previousTime = tick.timeMs;
        tick.ok = reader.readBit();
        const qint64 count = wrappedSum(previousCount, readSigned(reader));
        if (reader.failed())
            return fail(error, QStringLiteral("truncated journal"));
        if (count < 0 || quint64(count) > reader.remainingBits() / 2)
            return fail(error, QStringLiteral("corrupt journal: a tick's value count is out "
                                              "of range"));
        previousCount = count;
        tick.values.resize(size_t(count));
        qint64 previousId = -1;
        for (auto &[id, value] : tick.values) {
            id = wrappedSum(wrappedSum(previousId, readSigned(reader)), 1);
            previousId = id;
            quint32 bits = 0;
            if (!readXor(reader, states[id], &bits)) {
                if (reader.failed())
                    return fail(error, QStringLiteral("truncated journal"));
                return fail(error, QStringLiteral("corrupt journal: a value's bits are out "
                                                  "of place"));
            }
            value = bitsFloat(bits);
        }
        if (reader.failed())
            return fail(error, QStringLiteral("truncated journal"));
    }
    if (!reader.atPaddedEnd())
        return fail(error, QStringLiteral("corrupt journal: bytes after its end"));
    *out = std::move(ticks);
    return true;
}

// --- Columns -------------------------------------------------------------------------------

namespace {

// Columns are counted in integers: a sample exactly on a column's edge must fall in the
// same column on every redraw, whatever the range. 128 bits where a range of many years
// times a wide chart would overflow 64.
__extension__ using WideUnsigned = unsigned __int128;

} // namespace

ColumnReducer::ColumnReducer(qint64 fromMs, qint64 toMs, int pixels, qint64 gapMs)
    : m_from(fromMs)
    , m_to(std::max(toMs, fromMs))
    , m_pixels(std::max(1, pixels))
    , m_gapMs(gapMs)
    , m_previousGapMs(gapMs)
{
    m_span = std::max<quint64>(1, quint64(m_to) - quint64(m_from));
    m_narrow = m_span <= std::numeric_limits<quint64>::max() / quint64(m_pixels);
}

int ColumnReducer::columnOf(qint64 timeMs) const
{
    if (timeMs <= m_from)
        return 0;
    if (timeMs >= m_to)
        return m_pixels - 1;
    const quint64 offset = quint64(timeMs) - quint64(m_from);
    const quint64 column = m_narrow ? offset * quint64(m_pixels) / m_span
                                    : quint64(WideUnsigned(offset) * quint64(m_pixels) / m_span);
    return int(std::min<quint64>(column, quint64(m_pixels - 1)));
}

void ColumnReducer::flushColumn()
{
    if (m_inColumn == 0)
        return;
    const auto middle = qint64(
        quint64(m_from)
        + quint64(WideUnsigned(2 * quint64(m_column) + 1) * m_span / (2 * quint64(m_pixels))));
    m_run.append(m_accumulator.bucket(m_inColumn == 1 ? m_singleTime : middle));
    m_accumulator.reset();
    m_inColumn = 0;
    m_column = -1;
}

void ColumnReducer::endRun()
{
    flushColumn();
    if (!m_run.isEmpty()) {
        m_runs.append(m_run);
        m_run.clear();
    }
}

void ColumnReducer::add(const HistoryBucket &bucket)
{
    if (bucket.isGap()) {
        endRun();
        m_previousTime = std::numeric_limits<qint64>::min();
        return;
    }
    // The step from the last input of one tier to the first of another is judged by the
    // coarser tier's rule, whichever came first; unsigned, so a step across most of qint64's
    // range does not overflow.
    const qint64 gapMs = std::max<qint64>(0, std::max(m_gapMs, m_previousGapMs));
    if (m_previousTime != std::numeric_limits<qint64>::min() && bucket.timeMs > m_previousTime
        && quint64(bucket.timeMs) - quint64(m_previousTime) > quint64(gapMs)) {
        endRun();
    }
    m_previousTime = bucket.timeMs;
    m_previousGapMs = m_gapMs;
    const int column = columnOf(bucket.timeMs);
    if (column != m_column) {
        flushColumn();
        m_column = column;
    }
    m_accumulator.add(bucket);
    ++m_inColumn;
    m_singleTime = bucket.timeMs;
}

HistoryRuns ColumnReducer::finish()
{
    endRun();
    HistoryRuns runs = std::move(m_runs);
    m_runs.clear();
    m_previousTime = std::numeric_limits<qint64>::min();
    return runs;
}
