import ServingGraph

/// Reads binary `event_log.event` records (``LoggedEventEncoder``) for one feature set, with the rules of
/// ``FeatureEventDecoder``: a field of the type the definition expects is taken as is, any other goes through the
/// JSON decoder's conversion (so a record written under an older definition decodes as its JSON would have).
///
/// Fields are found by name; a record written for this definition has them in the expected order, so each name is
/// compared once. ``decodeValues(_:aggregationValues:featureValues:)`` reads only what the aggregator
/// takes, without a ``Value`` for numbers and without the entity key.
package struct LoggedEventDecoder: Sendable {
    /// What one field name feeds. Plain data (no arrays), so the per-field work retains nothing.
    private struct Target: Sendable {
        /// Its name: `names[nameStart..<nameEnd]`.
        var nameStart = 0
        var nameEnd = 0
        var entity: Int?
        var isTime = false
        /// The aggregations reading it: `aggregationIndices[aggregationStart..<aggregationEnd]`.
        var aggregationStart = 0
        var aggregationEnd = 0
        var feature: Int?
        /// The type of ``feature``.
        var featureType = FeatureColumn.ValueType.double
    }

    /// The feature set records are decoded for.
    package let featureSet: FeatureSetDefinition
    private let targets: [Target]
    /// Every target's name, back to back.
    private let names: [UInt8]
    /// Aggregation indices, grouped by target.
    private let aggregationIndices: [Int]
    private let aggregationCount: Int
    private let featureCount: Int

    /// The decoder of records for `featureSet`.
    package init(featureSet: FeatureSetDefinition) {
        self.featureSet = featureSet
        var order: [String] = []
        var targets: [String: Target] = [:]
        var aggregations: [String: [Int]] = [:]
        func add(_ name: String, _ change: (inout Target) -> Void) {
            if targets[name] == nil { order.append(name) }
            change(&targets[name, default: Target()])
        }
        for (index, entity) in featureSet.entities.enumerated() { add(entity.name) { $0.entity = index } }
        add(featureSet.timestampKey) { $0.isTime = true }
        for (index, aggregation) in featureSet.aggregations.enumerated() {
            add(aggregation.column) { _ in }
            aggregations[aggregation.column, default: []].append(index)
        }
        for (index, feature) in featureSet.features.enumerated() {
            add(feature.name) {
                $0.feature = index
                $0.featureType = feature.type
            }
        }
        var names: [UInt8] = []
        var aggregationIndices: [Int] = []
        self.targets = order.map { name in
            var target = targets[name] ?? Target()
            target.nameStart = names.count
            names.append(contentsOf: name.utf8)
            target.nameEnd = names.count
            target.aggregationStart = aggregationIndices.count
            aggregationIndices.append(contentsOf: aggregations[name] ?? [])
            target.aggregationEnd = aggregationIndices.count
            return target
        }
        self.names = names
        self.aggregationIndices = aggregationIndices
        aggregationCount = featureSet.aggregations.count
        featureCount = featureSet.features.count
    }

    /// The offset of each target's field in `record` (-1 when absent) into `slots`, and of an event-time field
    /// under another name into the last slot (a renamed timestamp key still finds the time).
    private func locate(_ record: UnsafeRawBufferPointer, slots: inout [Int]) throws(FeatureEventError) {
        slots.removeAll(keepingCapacity: true)
        slots.append(contentsOf: repeatElement(-1, count: targets.count + 1))
        var reader = LoggedEventReader(record)
        guard try reader.byte() == LoggedEventEncoder.magic else { throw reader.corrupt("unknown record format") }
        var next = 0
        while !reader.isAtEnd {
            let nameLength = try reader.length()
            let nameStart = try reader.skip(nameLength)
            let fieldStart = reader.offset
            let tag = try reader.byte()
            try reader.skipPayload(tag: tag)
            let name = UnsafeRawBufferPointer(rebasing: record[nameStart..<nameStart + nameLength])
            let found = target(named: name, guess: next)
            if found >= 0 {
                slots[found] = fieldStart
                next = found + 1
            } else if tag == LoggedEventReader.timeTag {
                slots[targets.count] = fieldStart
            }
        }
    }

    /// Decodes a whole record into a ``FeatureEvent`` (read back from the log: its `logged` bytes stay empty).
    package func decode(_ record: UnsafeRawBufferPointer) throws(FeatureEventError) -> FeatureEvent {
        var slots: [Int] = []
        try locate(record, slots: &slots)
        var parts = [String](repeating: "", count: featureSet.entities.count)
        var time: Int64?
        var aggregationValues = [Double?](repeating: nil, count: featureSet.aggregations.count)
        var featureValues = [Value?](repeating: nil, count: featureSet.features.count)
        for (index, target) in targets.enumerated() {
            let offset = slots[index]
            if let entity = target.entity {
                let column = featureSet.entities[entity]
                guard offset >= 0 else { throw .missingEntityKey(field: column.name) }
                parts[entity] = try entityPart(record, at: offset, column)
            }
            if target.isTime, offset >= 0 { time = try self.time(record, at: offset) }
            try fill(target, record, at: offset, &aggregationValues, &featureValues)
        }
        if time == nil, slots[targets.count] >= 0 { time = try self.time(record, at: slots[targets.count]) }
        guard let time else { throw .missingTimestamp(field: featureSet.timestampKey) }
        return FeatureEvent(
            key: EntityKey(parts: parts), time: time, aggregationValues: aggregationValues,
            featureValues: featureValues, logged: [])
    }

    /// Decodes only the aggregation inputs and plain features of `record` into the given arrays (resized to the
    /// definition's counts), in one pass over its fields.
    func decodeValues(
        _ record: UnsafeRawBufferPointer, aggregationValues: inout [Double?], featureValues: inout [Value?]
    ) throws(FeatureEventError) {
        if aggregationValues.count == aggregationCount {
            for index in aggregationValues.indices { aggregationValues[index] = nil }
        } else {
            aggregationValues = Array(repeating: nil, count: aggregationCount)
        }
        if featureValues.count == featureCount {
            for index in featureValues.indices { featureValues[index] = nil }
        } else {
            featureValues = Array(repeating: nil, count: featureCount)
        }
        var reader = LoggedEventReader(record)
        guard try reader.byte() == LoggedEventEncoder.magic else { throw reader.corrupt("unknown record format") }
        var next = 0
        while !reader.isAtEnd {
            let nameLength = try reader.length()
            let nameStart = try reader.skip(nameLength)
            let fieldStart = reader.offset
            try reader.skipPayload(tag: try reader.byte())
            let found = target(
                named: UnsafeRawBufferPointer(rebasing: record[nameStart..<nameStart + nameLength]), guess: next)
            guard found >= 0 else { continue }
            next = found + 1
            try fill(targets[found], record, at: fieldStart, &aggregationValues, &featureValues)
        }
    }

    /// The index of the target named `name` (tried at `guess` first: a record of this definition has its fields
    /// in target order), or -1.
    private func target(named name: UnsafeRawBufferPointer, guess: Int) -> Int {
        names.withUnsafeBytes { names in
            targets.withUnsafeBufferPointer { targets in
                func matches(_ target: Target) -> Bool {
                    guard target.nameEnd - target.nameStart == name.count else { return false }
                    for index in 0..<name.count where names[target.nameStart + index] != name[index] { return false }
                    return true
                }
                if guess < targets.count, matches(targets[guess]) { return guess }
                return targets.firstIndex(where: matches) ?? -1
            }
        }
    }

    private func fill(
        _ target: Target, _ record: UnsafeRawBufferPointer, at offset: Int, _ aggregationValues: inout [Double?],
        _ featureValues: inout [Value?]
    ) throws(FeatureEventError) {
        guard offset >= 0, target.aggregationEnd > target.aggregationStart || target.feature != nil else { return }
        var reader = LoggedEventReader(record, at: offset)
        let tag = try reader.byte()
        if target.aggregationEnd > target.aggregationStart {
            let first = aggregationIndices[target.aggregationStart]
            let number: Double?
            switch tag {
            case LoggedEventReader.doubleTag: number = Double(bitPattern: try reader.word())
            case LoggedEventReader.intTag: number = Double(Int64(bitPattern: try reader.word()))
            default:
                number = try FeatureEventDecoder.number(
                    try reader.value(tag: tag), field: featureSet.aggregations[first].column)
            }
            aggregationValues[first] = number
            for position in target.aggregationStart + 1..<target.aggregationEnd {
                aggregationValues[aggregationIndices[position]] = number
            }
            reader = LoggedEventReader(record, at: offset + 1)
        }
        guard let feature = target.feature else { return }
        switch (target.featureType, tag) {
        case (.double, LoggedEventReader.doubleTag):
            featureValues[feature] = .double(Double(bitPattern: try reader.word()))
        case (.int64, LoggedEventReader.intTag): featureValues[feature] = .int(Int64(bitPattern: try reader.word()))
        default:
            featureValues[feature] = try FeatureEventDecoder.feature(
                try reader.value(tag: tag), featureSet.features[feature])
        }
    }

    private func entityPart(
        _ record: UnsafeRawBufferPointer, at offset: Int, _ column: EntityColumn
    ) throws(FeatureEventError) -> String {
        var reader = LoggedEventReader(record, at: offset)
        let tag = try reader.byte()
        return try FeatureEventDecoder.entityPart(try reader.value(tag: tag), column)
    }

    private func time(_ record: UnsafeRawBufferPointer, at offset: Int) throws(FeatureEventError) -> Int64 {
        var reader = LoggedEventReader(record, at: offset)
        let tag = try reader.byte()
        if tag == LoggedEventReader.timeTag { return Int64(bitPattern: try reader.word()) }
        return try FeatureEventDecoder.epochMilliseconds(try reader.value(tag: tag), field: featureSet.timestampKey)
    }
}
