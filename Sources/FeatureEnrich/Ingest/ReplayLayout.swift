import ServingGraph

/// Where a feature set's columns are in an events CSV, and how one record becomes an aggregator input.
struct ReplayLayout {
    /// One parsed data row.
    struct Row {
        /// Entity values joined into one dictionary key (each length-prefixed).
        let key: String
        /// Entity columns for the output line.
        let entities: [(name: String, value: String, isNumber: Bool)]
        /// The timestamp cell exactly as given.
        let timestamp: String
        /// Event time, epoch ms.
        let time: Int64
        /// Value per aggregation (`nil` = empty cell).
        let aggregationValues: [Double?]
        /// Value per plain feature (`nil` = absent or empty).
        let featureValues: [Value?]
    }

    let file: String
    let featureSet: FeatureSetDefinition
    let entityPositions: [Int]
    /// Header position of the timestamp; nil when the CSV has none and rows take ``defaultTime``.
    let timestampPosition: Int?
    /// Event time of rows when the CSV has no timestamp column (batch ingest: the ingest time).
    let defaultTime: Int64?
    /// Per aggregation: index into `valueColumns`.
    let aggregationColumn: [Int]
    /// Distinct aggregation input columns: (name, header position).
    let valueColumns: [(name: String, position: Int)]
    /// Per plain feature: header position, if the column is present.
    let featurePositions: [Int?]

    /// Resolves every needed column in `header`; a missing one throws `events.csv:1: missing column 'x'`.
    /// With `defaultTime`, a CSV without the timestamp column is accepted and every row gets that time.
    init(featureSet: FeatureSetDefinition, header: [String], file: String, defaultTime: Int64? = nil)
        throws(IngestError)
    {
        // A repeated header name resolves to its last column, as in Python's `csv.DictReader`.
        let positions = Dictionary(header.enumerated().map { ($1, $0) }, uniquingKeysWith: { _, last in last })
        func position(_ column: String) throws(IngestError) -> Int {
            guard let position = positions[column] else { throw .missingColumn(file: file, column: column) }
            return position
        }
        var entityPositions: [Int] = []
        for entity in featureSet.entities { entityPositions.append(try position(entity.name)) }
        self.entityPositions = entityPositions
        if defaultTime != nil, positions[featureSet.timestampKey] == nil {
            timestampPosition = nil
        } else {
            timestampPosition = try position(featureSet.timestampKey)
        }
        self.defaultTime = defaultTime
        var valueColumns: [(name: String, position: Int)] = []
        var aggregationColumn: [Int] = []
        for aggregation in featureSet.aggregations {
            if let existing = valueColumns.firstIndex(where: { $0.name == aggregation.column }) {
                aggregationColumn.append(existing)
            } else {
                valueColumns.append((aggregation.column, try position(aggregation.column)))
                aggregationColumn.append(valueColumns.count - 1)
            }
        }
        self.valueColumns = valueColumns
        self.aggregationColumn = aggregationColumn
        featurePositions = featureSet.features.map { positions[$0.name] }
        self.file = file
        self.featureSet = featureSet
    }

    /// Parses one data record. Missing trailing value cells count as empty, as in Python's `csv.DictReader`.
    func parse(_ record: CSVReader.Record) throws(IngestError) -> Row {
        let fields = record.fields
        let needed = (entityPositions + [timestampPosition ?? 0]).max() ?? 0
        guard fields.count > needed else {
            throw .tooFewFields(file: file, line: record.line, expected: needed + 1, got: fields.count)
        }
        var entities: [(name: String, value: String, isNumber: Bool)] = []
        var key = ""
        for (entity, position) in zip(featureSet.entities, entityPositions) {
            var value = fields[position]
            var isNumber = false
            if entity.type == .int64 {
                let number: Int64?
                do {
                    number = try NumberParser.int64(value)
                } catch {
                    throw .badValue(file: file, line: record.line, column: entity.name, error)
                }
                guard let number else {
                    throw .badValue(
                        file: file, line: record.line, column: entity.name, .unparsableInteger(text: value))
                }
                value = String(number)
                isNumber = true
            }
            key += "\(value.utf8.count):\(value)"  // length-prefixed: no two compound keys encode alike
            entities.append((entity.name, value, isNumber))
        }
        let timestamp: String
        let time: Int64
        if let timestampPosition {
            timestamp = fields[timestampPosition]
            do {
                time = try TimestampParser.epochMilliseconds(timestamp)
            } catch {
                throw .badValue(file: file, line: record.line, column: featureSet.timestampKey, error)
            }
        } else {
            time = defaultTime ?? 0
            timestamp = RFC3339.string(epochMilliseconds: time)
        }
        var parsed: [Double?] = []
        parsed.reserveCapacity(valueColumns.count)
        for column in valueColumns {
            guard column.position < fields.count else {
                parsed.append(nil)
                continue
            }
            do {
                parsed.append(try NumberParser.double(fields[column.position]))
            } catch {
                throw .badValue(file: file, line: record.line, column: column.name, error)
            }
        }
        var features: [Value?] = []
        for (feature, position) in zip(featureSet.features, featurePositions) {
            guard let position, position < fields.count else {
                features.append(nil)
                continue
            }
            do {
                features.append(try Self.featureValue(fields[position], feature.type))
            } catch {
                throw .badValue(file: file, line: record.line, column: feature.name, error)
            }
        }
        return Row(
            key: key, entities: entities, timestamp: timestamp, time: time,
            aggregationValues: aggregationColumn.map { parsed[$0] }, featureValues: features)
    }

    private static func featureValue(_ text: String, _ type: FeatureColumn.ValueType) throws(ValueParseError) -> Value?
    {
        switch type {
        case .double: return try NumberParser.double(text).map(Value.double)
        case .int64: return try NumberParser.int64(text).map(Value.int)
        case .bool: return try NumberParser.bool(text).map(Value.bool)
        case .string: return text.isEmpty ? nil : .string(text)
        }
    }
}
