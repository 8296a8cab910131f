import ServingGraph

/// Writes the event-log JSON of one CSV row without building a ``Value``: entity columns, the timestamp as
/// given, the aggregation inputs and plain features present — what ``FeatureEventDecoder`` reads back to the
/// same event (numbers as shortest round-tripping decimals).
struct BatchEventEncoder {
    /// `"name":` per entity column, pre-encoded.
    private let entityNames: [[UInt8]]
    private let timestampName: [UInt8]
    /// Per aggregation, `,"column":` — or nil when an earlier aggregation already wrote that column.
    private let aggregationNames: [[UInt8]?]
    /// Per plain feature, `,"name":` — or nil when it is also an aggregation input (written once).
    private let featureNames: [[UInt8]?]

    init(_ definition: FeatureSetDefinition) {
        func name(_ text: String, comma: Bool) -> [UInt8] {
            var bytes: [UInt8] = comma ? [UInt8(ascii: ",")] : []
            JSONWriter.write(.string(text), into: &bytes)
            bytes.append(UInt8(ascii: ":"))
            return bytes
        }
        entityNames = definition.entities.enumerated().map { name($1.name, comma: $0 > 0) }
        timestampName = name(definition.timestampKey, comma: true)
        var seen = Set<String>()
        aggregationNames = definition.aggregations.map {
            seen.insert($0.column).inserted ? name($0.column, comma: true) : nil
        }
        featureNames = definition.features.map { seen.contains($0.name) ? nil : name($0.name, comma: true) }
    }

    /// Appends the row's event JSON to `json`.
    func encode(_ row: ReplayLayout.Row, appendingTo json: inout [UInt8]) {
        json.append(UInt8(ascii: "{"))
        for (name, entity) in zip(entityNames, row.entities) {
            json.append(contentsOf: name)
            if entity.isNumber {
                json.append(contentsOf: entity.value.utf8)
            } else {
                JSONWriter.write(.string(entity.value), into: &json)
            }
        }
        json.append(contentsOf: timestampName)
        JSONWriter.write(.string(row.timestamp), into: &json)
        for (name, value) in zip(aggregationNames, row.aggregationValues) {
            guard let name, let value else { continue }
            json.append(contentsOf: name)
            JSONWriter.write(.double(value), into: &json)
        }
        for (name, value) in zip(featureNames, row.featureValues) {
            guard let name, let value else { continue }
            json.append(contentsOf: name)
            JSONWriter.write(value, into: &json)
        }
        json.append(UInt8(ascii: "}"))
    }
}
