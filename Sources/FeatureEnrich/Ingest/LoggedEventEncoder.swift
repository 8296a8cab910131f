package import ServingGraph

/// Writes the binary `event_log.event` record of one decoded event (schema migration 5; old rows stay JSON):
/// what ``LoggedEventDecoder`` reads back to the same event without building a ``Value``.
///
/// A record is a self-describing list of the fields the feature set reads, so a changed definition (`--rebuild`)
/// still finds its fields by name. All integers are little-endian:
///
/// ```
/// record := 0xFE  field*
/// field  := nameLength:varint  name:UTF-8  tag:u8  payload     (varint: LEB128, unsigned)
/// tag 1 int64 (8 bytes) | 2 double (8 bytes, IEEE 754 bits) | 3 string (length:varint, UTF-8)
///     | 4 false | 5 true | 6 event time (int64 epoch milliseconds: the timestamp field)
///     | 7 JSON (length:varint, compact JSON text: a field the definition does not read)
/// ```
///
/// Fields come in the definition's order: entity columns, the timestamp, the aggregation inputs, the plain
/// features that are not aggregation inputs, then (for events received as JSON objects) every other non-null
/// member of the object as JSON, so a later definition reading it (`--rebuild`) finds it as the JSON log did.
/// An absent or null value writes no field, and a non-finite double none either (JSON wrote it as `null`). A
/// column both aggregated and a plain feature is written once, as the feature's typed value (the aggregation
/// reads its number back from it).
package struct LoggedEventEncoder: Sendable {
    /// The first byte of every binary record: never the first byte of UTF-8 JSON text.
    static let magic: UInt8 = 0xFE

    /// Where a field's value comes from in a decoded event.
    private enum Source: Sendable {
        case entity(Int, EntityColumn.ValueType)
        case time
        case aggregation(Int, feature: Int?)
        case feature(Int)
    }

    /// Each field's length-prefixed name, and where its value comes from.
    private let fields: [(name: [UInt8], source: Source)]
    /// The names of ``fields``: members of an event object outside it are written as JSON.
    private let names: Set<String>

    /// The encoder of `definition`'s events.
    package init(_ definition: FeatureSetDefinition) {
        var fields: [(name: [UInt8], source: Source)] = []
        var written = Set<String>()
        func add(_ name: String, _ source: Source) {
            guard written.insert(name).inserted else { return }
            var prefixed: [UInt8] = []
            Self.appendLength(name.utf8.count, into: &prefixed)
            fields.append((prefixed + Array(name.utf8), source))
        }
        for (index, entity) in definition.entities.enumerated() { add(entity.name, .entity(index, entity.type)) }
        add(definition.timestampKey, .time)
        for (index, aggregation) in definition.aggregations.enumerated() {
            add(
                aggregation.column,
                .aggregation(index, feature: definition.features.firstIndex { $0.name == aggregation.column }))
        }
        for (index, feature) in definition.features.enumerated() { add(feature.name, .feature(index)) }
        self.fields = fields
        names = written
    }

    /// Appends the record of an event (entity `parts` canonical, as in ``EntityKey``) to `bytes`, with the
    /// non-null members of `object` (the event as received) that the definition does not read.
    package func encode(
        parts: [String], time: Int64, aggregationValues: [Double?], featureValues: [Value?],
        object: ValueObject? = nil, appendingTo bytes: inout [UInt8]
    ) {
        encode(
            part: { $0 < parts.count ? parts[$0] : "" }, time: time, aggregationValues: aggregationValues,
            featureValues: featureValues, appendingTo: &bytes)
        guard let object else { return }
        for (name, value) in object.members where !value.isNull && !names.contains(name) {
            var prefixed: [UInt8] = []
            Self.appendLength(name.utf8.count, into: &prefixed)
            prefixed.append(contentsOf: name.utf8)
            Self.field(prefixed, tag: LoggedEventReader.jsonTag, into: &bytes)
            let json = JSONWriter.bytes(value)
            Self.appendLength(json.count, into: &bytes)
            bytes.append(contentsOf: json)
        }
    }

    /// Appends the record of one parsed CSV row (batch ingest) to `bytes`.
    func encode(_ row: ReplayLayout.Row, appendingTo bytes: inout [UInt8]) {
        encode(
            part: { $0 < row.entities.count ? row.entities[$0].value : "" }, time: row.time,
            aggregationValues: row.aggregationValues, featureValues: row.featureValues, appendingTo: &bytes)
    }

    /// Appends the record of an event whose entity part `i` is `part(i)` (canonical) to `bytes`.
    func encode(
        part: (Int) -> String, time: Int64, aggregationValues: [Double?], featureValues: [Value?],
        appendingTo bytes: inout [UInt8]
    ) {
        bytes.append(Self.magic)
        for (name, source) in fields {
            switch source {
            case .entity(let index, let type):
                let part = part(index)
                if type == .int64, let number = Int64(part) {
                    Self.field(name, tag: 1, into: &bytes)
                    Self.append(UInt64(bitPattern: number), into: &bytes)
                } else {
                    Self.string(name, part, into: &bytes)
                }
            case .time:
                Self.field(name, tag: 6, into: &bytes)
                Self.append(UInt64(bitPattern: time), into: &bytes)
            case .aggregation(let index, let feature):
                if let feature, let value = featureValues[feature] {
                    Self.value(name, value, into: &bytes)
                } else if let value = aggregationValues[index] {
                    Self.value(name, .double(value), into: &bytes)
                }
            case .feature(let index):
                if let value = featureValues[index] { Self.value(name, value, into: &bytes) }
            }
        }
    }

    private static func value(_ name: [UInt8], _ value: Value, into bytes: inout [UInt8]) {
        switch value {
        case .double(let number):
            guard number.isFinite else { return }
            field(name, tag: 2, into: &bytes)
            append(number.bitPattern, into: &bytes)
        case .int(let number):
            field(name, tag: 1, into: &bytes)
            append(UInt64(bitPattern: number), into: &bytes)
        case .string(let text):
            string(name, text, into: &bytes)
        case .bool(let flag):
            field(name, tag: flag ? 5 : 4, into: &bytes)
        case .null, .array, .object:
            // A decoded feature value is never one of these (FeatureEventDecoder types every feature).
            return
        }
    }

    private static func string(_ name: [UInt8], _ text: String, into bytes: inout [UInt8]) {
        field(name, tag: 3, into: &bytes)
        appendLength(text.utf8.count, into: &bytes)
        bytes.append(contentsOf: text.utf8)
    }

    private static func field(_ name: [UInt8], tag: UInt8, into bytes: inout [UInt8]) {
        bytes.append(contentsOf: name)
        bytes.append(tag)
    }

    /// Appends `count` as an unsigned LEB128 varint (one byte below 128).
    static func appendLength(_ count: Int, into bytes: inout [UInt8]) {
        var rest = UInt(bitPattern: count)
        while rest >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: rest) | 0x80)
            rest >>= 7
        }
        bytes.append(UInt8(truncatingIfNeeded: rest))
    }

    private static func append(_ word: UInt64, into bytes: inout [UInt8]) {
        for shift in stride(from: 0, to: 64, by: 8) { bytes.append(UInt8(truncatingIfNeeded: word >> UInt64(shift))) }
    }
}
