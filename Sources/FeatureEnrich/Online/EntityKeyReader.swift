public import ServingGraph

/// Builds a feature set's ``EntityKey`` from the JSON values a request gives for its entity columns.
public enum EntityKeyReader {
    /// The key of `definition` from `values` (entity column name → value); `path` prefixes error paths.
    /// int64 columns take a JSON integer (or a string holding one), string columns a string (or an integer).
    public static func key(
        of definition: FeatureSetDefinition, from values: ValueObject, path: String
    ) throws(OnlineFeatureError) -> EntityKey {
        let entities = definition.entities
        return try key(entities: entities, path: path) { values[entities[$0].name] }
    }

    /// The key of the entity columns `entities` whose values `value(i)` gives for `entities[i]` (nil or null:
    /// missing), read as ``key(of:from:path:)`` reads them; `path` (prefixing error paths) is only built for an
    /// error, so a hot caller pays nothing for it.
    public static func key(
        entities: [EntityColumn], path: @autoclosure () -> String, value: (Int) -> Value?
    ) throws(OnlineFeatureError) -> EntityKey {
        if entities.count == 1 {
            let entity = entities[0]
            let single = value(0)
            if entity.type == .int64, case .int(let number)? = single { return EntityKey(int64: number) }
            return EntityKey(part: try part(of: entity, single, path: path()))
        }
        var parts: [String] = []
        parts.reserveCapacity(entities.count)
        for index in entities.indices {
            parts.append(try part(of: entities[index], value(index), path: path()))
        }
        return EntityKey(parts: parts)
    }

    /// The canonical text of one entity value of type `type`; `path` names it in an error.
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

    /// The part of `entity` from `value` (nil or null: missing); `path` is the parent of the entity's path.
    private static func part(
        of entity: EntityColumn, _ value: Value?, path: @autoclosure () -> String
    ) throws(OnlineFeatureError) -> String {
        guard let value, !value.isNull else { throw .missingEntityKey(path: fieldPath(path(), entity.name)) }
        return try part(value, entity.type, path: fieldPath(path(), entity.name))
    }

    private static func fieldPath(_ path: String, _ name: String) -> String {
        path.isEmpty ? name : "\(path).\(name)"
    }
}
