public import ServingGraph

/// Builds a feature set's ``EntityKey`` from the JSON values a request gives for its entity columns.
public enum EntityKeyReader {
    /// The key of `definition` from `values` (entity column name → value); `path` prefixes error paths.
    /// int64 columns take a JSON integer (or a string holding one), string columns a string (or an integer).
    public static func key(
        of definition: FeatureSetDefinition, from values: ValueObject, path: String
    ) throws(OnlineFeatureError) -> EntityKey {
        var parts: [String] = []
        parts.reserveCapacity(definition.entities.count)
        for entity in definition.entities {
            // Built only for an error message.
            func fieldPath() -> String { path.isEmpty ? entity.name : "\(path).\(entity.name)" }
            guard let value = values[entity.name], !value.isNull else { throw .missingEntityKey(path: fieldPath()) }
            parts.append(try part(value, entity.type, path: fieldPath()))
        }
        return EntityKey(parts: parts)
    }

    /// The canonical text of one entity value of type `type`.
    public static func part(
        _ value: Value, _ type: EntityColumn.ValueType, path: @autoclosure () -> String
    ) throws(OnlineFeatureError) -> String {
        switch (type, value) {
        case (.int64, .int(let number)): return String(number)
        case (.int64, .double(let number)) where number.rounded() == number && abs(number) < 9.0e18:
            return String(Int64(number))
        case (.int64, .string(let text)):
            guard let number = Int64(text) else {
                throw .wrongEntityKeyType(path: path(), expected: "a 64-bit integer", got: "string '\(text)'")
            }
            return String(number)
        case (.int64, _): throw .wrongEntityKeyType(path: path(), expected: "a 64-bit integer", got: value.typeName)
        case (.string, .string(let text)): return text
        case (.string, .int(let number)): return String(number)
        case (.string, _): throw .wrongEntityKeyType(path: path(), expected: "a string", got: value.typeName)
        }
    }
}
