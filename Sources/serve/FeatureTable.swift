import FeatureEnrich
import ServingGraph

/// Formats the entity rows of `serve features`: a space-aligned table (one header, then a line per entity,
/// widths fixed by the header so lines stream) or JSON Lines (entity columns typed as the set declares them,
/// then the features in order).
struct FeatureTable {
    private let definition: FeatureSetDefinition
    private let columns: [String]
    private let json: Bool
    private let widths: [Int]

    /// A formatter for rows of `columns` of `definition`.
    init(definition: FeatureSetDefinition, columns: [String], json: Bool) {
        self.definition = definition
        self.columns = columns
        self.json = json
        widths = (definition.entities.map(\.name) + columns).map { max($0.count, 12) + 2 }
    }

    /// The table's header line.
    var header: String { aligned(definition.entities.map(\.name) + columns) }

    /// The line of entity `key` with its `row` (as read with `features: columns`).
    func line(key: EntityKey, row: ValueObject) -> String {
        let parts = key.parts ?? [key.encoded]
        if json {
            var object = ValueObject(minimumCapacity: parts.count + columns.count)
            for (entity, part) in zip(definition.entities, parts) {
                object[entity.name] =
                    entity.type == .int64 ? Int64(part).map(Value.int) ?? .string(part) : .string(part)
            }
            for column in columns { object[column] = row[column] ?? .null }
            return JSONWriter.string(.object(object))
        }
        return aligned(
            parts
                + columns.map { column in
                    switch row[column] {
                    case nil, .null?: "-"
                    case .string(let text)?: text
                    case let value?: JSONWriter.string(value)
                    }
                })
    }

    private func aligned(_ fields: [String]) -> String {
        var text = ""
        for (field, width) in zip(fields, widths) {
            text += field
            text += String(repeating: " ", count: max(1, width - field.count))
        }
        while text.last == " " { text.removeLast() }
        return text
    }
}
