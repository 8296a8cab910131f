/// Maps field values to new values (MLRun's `MapValues`, mlrun/feature_store/steps.py): per field
/// either a value table or `{"ranges": {"label": [min, max]}}` (half-open, `"-inf"`/`"inf"` allowed).
///
/// ```json
/// {"kind": "task", "class_name": "MapValues",
///  "class_args": {"mapping": {"age": {"U": "0"}, "amount": {"ranges": {"low": ["-inf", 100], "high": [100, "inf"]}}},
///                 "with_original_features": true, "suffix": "mapped"}}
/// ```
/// As in MLRun, without `with_original_features` the output holds only the mapped fields; with it,
/// the mapped fields are named `<field>_<suffix>` and come first, followed by every original field.
/// Scalars match table keys by their JSON text (`1` matches `"1"`); unmatched values pass through.
public struct MapValuesStep: Step {
    /// How one field's values are mapped.
    public struct FieldMapping: Sendable, Equatable {
        /// Exact replacements, keyed by the value's JSON text.
        public var table: [String: Value]
        /// Labelled half-open ranges `[lower, upper)`, tried in order before the table.
        public var ranges: [(label: String, lower: Double, upper: Double)]

        /// A mapping from a table and ranges.
        public init(table: [String: Value] = [:], ranges: [(label: String, lower: Double, upper: Double)] = []) {
            self.table = table
            self.ranges = ranges
        }

        /// Equal tables and equal ranges in the same order.
        public static func == (a: FieldMapping, b: FieldMapping) -> Bool {
            a.table == b.table && a.ranges.elementsEqual(b.ranges) { $0 == $1 }
        }
    }

    /// The step's name in the graph.
    public let name: String
    /// Field → its mapping.
    public let mapping: [String: FieldMapping]
    /// Keep the original fields and name mapped ones `<field>_<suffix>`.
    public let withOriginalFeatures: Bool
    /// Suffix of mapped field names when originals are kept.
    public let suffix: String

    /// A step mapping values of the fields in `mapping`.
    public init(
        name: String, mapping: [String: FieldMapping], withOriginalFeatures: Bool = false, suffix: String = "mapped"
    ) {
        self.name = name
        self.mapping = mapping
        self.withOriginalFeatures = withOriginalFeatures
        self.suffix = suffix
    }

    /// Builds the step from `{"mapping": {...}, "with_original_features": false, "suffix": "mapped"}`.
    public init(name: String, arguments: StepArguments) throws(GraphError) {
        try arguments.rejectUnknown(["mapping", "with_original_features", "suffix"])
        guard let object = try arguments.object("mapping") else {
            throw arguments.invalid("mapping", "missing required argument")
        }
        var mapping: [String: FieldMapping] = [:]
        for (field, value) in object.members {
            guard let entries = value.objectValue else {
                throw arguments.invalid("mapping.\(field)", "expected an object of old value → new value")
            }
            var fieldMapping = FieldMapping()
            for (key, replacement) in entries.members {
                if key == "ranges", let ranges = replacement.objectValue {
                    for (label, bounds) in ranges.members {
                        guard let pair = bounds.arrayValue, pair.count == 2,
                            let lower = Self.bound(pair[0]), let upper = Self.bound(pair[1])
                        else {
                            throw arguments.invalid(
                                "mapping.\(field).ranges.\(label)", "expected [min, max] numbers (or \"-inf\"/\"inf\")")
                        }
                        fieldMapping.ranges.append((label, lower, upper))
                    }
                } else {
                    fieldMapping.table[key] = replacement
                }
            }
            mapping[field] = fieldMapping
        }
        self.init(
            name: name, mapping: mapping, withOriginalFeatures: try arguments.bool("with_original_features") ?? false,
            suffix: try arguments.string("suffix") ?? "mapped")
    }

    private static func bound(_ value: Value) -> Double? {
        switch value {
        case .string("-inf"): -Double.infinity
        case .string("inf"): Double.infinity
        default: value.doubleValue
        }
    }

    /// Applies the step to one event; see the type's documentation for what it does.
    public func run(_ event: Event) throws -> Event {
        let object = try event.bodyObject(for: name)
        var output = ValueObject()
        for (field, value) in object.members {
            guard let fieldMapping = mapping[field] else { continue }
            output[withOriginalFeatures ? "\(field)_\(suffix)" : field] = map(value, with: fieldMapping)
        }
        if withOriginalFeatures {
            for (field, value) in object.members { output[field] = value }
        }
        return event.replacingBody(with: output)
    }

    private func map(_ value: Value, with fieldMapping: FieldMapping) -> Value {
        if let number = value.doubleValue {
            for range in fieldMapping.ranges where number >= range.lower && number < range.upper {
                return .string(range.label)
            }
        }
        guard let key = Self.tableKey(value) else { return value }
        return fieldMapping.table[key] ?? value
    }

    /// A scalar's JSON text, the key it matches in a value table.
    static func tableKey(_ value: Value) -> String? {
        switch value {
        case .string(let s): s
        case .int(let i): String(i)
        case .bool(let b): b ? "true" : "false"
        case .double(let d): value.intValue.map { String($0) } ?? String(d)
        case .null, .array, .object: nil
        }
    }
}
