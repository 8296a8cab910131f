import ServingGraph

// MARK: - Compact binary form

/// Format version 2 (little-endian): magic `FEAS`, version byte, definition hash (u64); feature count (u32) and
/// per feature a presence byte, then event time (i64) and a tagged value; aggregation count (u32) and per
/// aggregation a bucket count (u32) and per bucket a tag byte and its index (i64), then for tag 0 its count, sum,
/// Σx², Σ(x−mean)², min, max, first value and time, last value and time (81 bytes), or for tag 1 (a bucket of one
/// event, bit for bit what adding that event to an empty bucket gives) the value and time (16 bytes): sparse keys
/// mostly hold one event per bucket. Version 1 (still read) has no tag byte and every bucket in the long form.
extension EntityState {
    static let magic: [UInt8] = Array("FEAS".utf8)
    static let formatVersion: UInt8 = 2
    /// Bytes of a version-1 bucket, and the fewest bytes of a version-2 one.
    static let bytesPerBucketVersion1 = 88
    static let fewestBytesPerBucket = 25
    /// Version-2 bucket tags.
    static let fullBucketTag: UInt8 = 0
    static let singleEventBucketTag: UInt8 = 1

    /// The state as bytes; read back with ``init(serialized:)``. (A few forgotten buckets below the horizon may be
    /// included: they are dropped lazily and never counted by reads.)
    public func serialized() -> [UInt8] {
        var writer = StateByteWriter(reservingCapacity: serializedCapacity)
        for byte in Self.magic { writer.write(byte) }
        writer.write(Self.formatVersion)
        writer.write(definitionHash)
        writer.write(UInt32(truncatingIfNeeded: latestFeatures.count))
        for feature in latestFeatures {
            guard let feature else {
                writer.write(UInt8(0))
                continue
            }
            writer.write(UInt8(1))
            writer.write(feature.timestampMilliseconds)
            switch feature.value {
            case .bool(let flag): writer.write(UInt8(flag ? 2 : 1))
            case .int(let number):
                writer.write(UInt8(3))
                writer.write(number)
            case .double(let number):
                writer.write(UInt8(4))
                writer.write(number)
            case .string(let text):
                writer.write(UInt8(5))
                writer.write(text)
            case .null, .array, .object:
                // Plain features hold scalars only (ingest stores nothing else); keep the byte stream valid.
                writer.write(UInt8(0))
            }
        }
        writer.write(UInt32(truncatingIfNeeded: aggregations.count))
        for aggregation in aggregations {
            writer.write(UInt32(truncatingIfNeeded: aggregation.buckets.count))
            for stored in aggregation.buckets {
                let bucket = stored.statistics
                if Self.isSingleEvent(bucket) {
                    writer.write(Self.singleEventBucketTag)
                    writer.write(stored.index)
                    writer.write(bucket.firstValue)
                    writer.write(bucket.firstTime)
                    continue
                }
                writer.write(Self.fullBucketTag)
                writer.write(stored.index)
                writer.write(bucket.count)
                writer.write(bucket.sum)
                writer.write(bucket.sumOfSquares)
                writer.write(bucket.squaredDeviations)
                writer.write(bucket.minimum)
                writer.write(bucket.maximum)
                writer.write(bucket.firstValue)
                writer.write(bucket.firstTime)
                writer.write(bucket.lastValue)
                writer.write(bucket.lastTime)
            }
        }
        return writer.bytes
    }

    /// An upper bound of the bytes ``serialized()`` writes (every bucket in the long form), so its buffer is
    /// allocated once instead of growing several times.
    private var serializedCapacity: Int {
        var capacity = Self.magic.count + 1 + 8 + 4 + 4
        for feature in latestFeatures {
            capacity += 1 + 8 + 1 + 8
            if case .string(let text)? = feature?.value { capacity += 4 + text.utf8.count }
        }
        for aggregation in aggregations {
            capacity += 4 + aggregation.buckets.count * (1 + 8 + 80)
        }
        return capacity
    }

    /// Reads bytes from ``serialized()``, validating every field; corrupt or truncated bytes throw.
    public init(serialized bytes: [UInt8]) throws(EntityStateError) {
        var reader = StateByteReader(bytes)
        for byte in Self.magic where try reader.readUInt8() != byte { throw .badMagic }
        let version = try reader.readUInt8()
        guard version == 1 || version == Self.formatVersion else { throw .unsupportedVersion(version) }
        let hash = try reader.readUInt64()
        let featureCount = Int(try reader.readUInt32())
        guard featureCount <= reader.remaining else {
            throw .invalidField(offset: reader.offset - 4, reason: "feature count \(featureCount) exceeds the data")
        }
        var features: [LatestFeatureValue?] = []
        for _ in 0..<featureCount { features.append(try Self.readFeature(&reader)) }
        let aggregationCount = Int(try reader.readUInt32())
        guard aggregationCount * 4 <= reader.remaining else {
            throw .invalidField(
                offset: reader.offset - 4, reason: "aggregation count \(aggregationCount) exceeds the data")
        }
        var aggregations: [AggregationState] = []
        for _ in 0..<aggregationCount { aggregations.append(try Self.readAggregation(&reader, version: version)) }
        guard reader.remaining == 0 else { throw .trailingBytes(count: reader.remaining) }
        self.init(definitionHash: hash, latestFeatures: features, aggregations: aggregations)
    }

    /// Reads bytes from ``serialized()`` and checks they were made for `featureSet`: same definition hash, same
    /// numbers of features and aggregations, and every bucket's times inside that bucket.
    public init(serialized bytes: [UInt8], featureSet: FeatureSetDefinition) throws(EntityStateError) {
        try self.init(serialized: bytes)
        let expected = featureSet.definitionHash
        guard definitionHash == expected else { throw .definitionMismatch(expected: expected, found: definitionHash) }
        guard latestFeatures.count == featureSet.features.count else {
            throw .shapeMismatch(reason: "\(latestFeatures.count) features, expected \(featureSet.features.count)")
        }
        guard aggregations.count == featureSet.aggregations.count else {
            throw .shapeMismatch(
                reason: "\(aggregations.count) aggregations, expected \(featureSet.aggregations.count)")
        }
        for (position, (state, definition)) in zip(aggregations, featureSet.aggregations).enumerated() {
            let plan = AggregationPlan(definition)
            for bucket in state.buckets
            where plan.bucket(of: bucket.statistics.firstTime) != bucket.index
                || plan.bucket(of: bucket.statistics.lastTime) != bucket.index
            {
                throw .shapeMismatch(
                    reason: "aggregation \(position): bucket \(bucket.index) holds times of another bucket")
            }
        }
    }

    private static func readFeature(_ reader: inout StateByteReader) throws(EntityStateError) -> LatestFeatureValue? {
        let presenceOffset = reader.offset
        switch try reader.readUInt8() {
        case 0: return nil
        case 1: break
        case let other: throw .invalidField(offset: presenceOffset, reason: "feature presence byte \(other)")
        }
        let time = try reader.readInt64()
        let tagOffset = reader.offset
        let value: Value
        switch try reader.readUInt8() {
        case 0: value = .null
        case 1: value = .bool(false)
        case 2: value = .bool(true)
        case 3: value = .int(try reader.readInt64())
        case 4:
            let number = try reader.readDouble()
            guard number.isFinite else {
                throw .invalidField(offset: tagOffset + 1, reason: "non-finite feature value")
            }
            value = .double(number)
        case 5: value = .string(try reader.readString())
        case let other: throw .invalidField(offset: tagOffset, reason: "unknown feature value tag \(other)")
        }
        return LatestFeatureValue(value: value, timestampMilliseconds: time)
    }

    private static func readAggregation(
        _ reader: inout StateByteReader, version: UInt8
    ) throws(EntityStateError) -> AggregationState {
        let countOffset = reader.offset
        let count = Int(try reader.readUInt32())
        let fewestBytes = version == 1 ? bytesPerBucketVersion1 : fewestBytesPerBucket
        guard count * fewestBytes <= reader.remaining else {
            throw .invalidField(offset: countOffset, reason: "bucket count \(count) exceeds the data")
        }
        var buckets: [AggregationState.Bucket] = []
        buckets.reserveCapacity(count)
        for _ in 0..<count {
            let offset = reader.offset
            let tag = version == 1 ? fullBucketTag : try reader.readUInt8()
            let index = try reader.readInt64()
            var bucket = AggregationStatistics()
            switch tag {
            case fullBucketTag:
                bucket.count = try reader.readInt64()
                bucket.sum = try reader.readDouble()
                bucket.sumOfSquares = try reader.readDouble()
                bucket.squaredDeviations = try reader.readDouble()
                bucket.minimum = try reader.readDouble()
                bucket.maximum = try reader.readDouble()
                bucket.firstValue = try reader.readDouble()
                bucket.firstTime = try reader.readInt64()
                bucket.lastValue = try reader.readDouble()
                bucket.lastTime = try reader.readInt64()
            case singleEventBucketTag:
                let value = try reader.readDouble()
                bucket.add(value, at: try reader.readInt64())
            default:
                throw .invalidField(offset: offset, reason: "unknown bucket tag \(tag)")
            }
            if let previous = buckets.last?.index, index <= previous {
                throw .invalidField(offset: offset, reason: "bucket \(index) not after bucket \(previous)")
            }
            if let reason = Self.problem(in: bucket) { throw .invalidField(offset: offset, reason: reason) }
            buckets.append(AggregationState.Bucket(index: index, statistics: bucket))
        }
        return AggregationState(buckets: buckets)
    }

    /// True when `bucket` is bit for bit the summary of one event added to an empty bucket (its first value and
    /// time), so the short form restores it exactly.
    static func isSingleEvent(_ bucket: AggregationStatistics) -> Bool {
        guard bucket.count == 1 else { return false }
        var single = AggregationStatistics()
        single.add(bucket.firstValue, at: bucket.firstTime)
        return bucket.sum.bitPattern == single.sum.bitPattern
            && bucket.sumOfSquares.bitPattern == single.sumOfSquares.bitPattern
            && bucket.squaredDeviations.bitPattern == single.squaredDeviations.bitPattern
            && bucket.minimum.bitPattern == single.minimum.bitPattern
            && bucket.maximum.bitPattern == single.maximum.bitPattern
            && bucket.lastValue.bitPattern == single.lastValue.bitPattern && bucket.lastTime == single.lastTime
    }

    /// Why a bucket's statistics are impossible, or `nil` when they are consistent.
    private static func problem(in bucket: AggregationStatistics) -> String? {
        let values = [
            bucket.sum, bucket.sumOfSquares, bucket.squaredDeviations, bucket.minimum, bucket.maximum,
            bucket.firstValue, bucket.lastValue,
        ]
        if bucket.count < 1 { return "bucket count \(bucket.count) is not positive" }
        if values.contains(where: \.isNaN) { return "NaN in bucket statistics" }
        if bucket.minimum > bucket.maximum { return "bucket minimum above maximum" }
        if bucket.sumOfSquares < 0 || bucket.squaredDeviations < 0 { return "negative sum of squares" }
        if bucket.firstTime > bucket.lastTime { return "bucket first time after last time" }
        for value in [bucket.firstValue, bucket.lastValue] where value < bucket.minimum || value > bucket.maximum {
            return "first or last value outside [min, max]"
        }
        return nil
    }
}

/// Why bytes are not a valid serialised ``EntityState`` (or not one for this feature set).
public enum EntityStateError: Error, Equatable, CustomStringConvertible {
    /// The bytes end before a field that needs `needed` more bytes at `offset`.
    case truncated(offset: Int, needed: Int)
    /// The bytes do not start with the state magic.
    case badMagic
    /// A format version this build cannot read.
    case unsupportedVersion(UInt8)
    /// A field holds an impossible value.
    case invalidField(offset: Int, reason: String)
    /// Bytes are left after the state.
    case trailingBytes(count: Int)
    /// The state was made for another feature-set definition.
    case definitionMismatch(expected: UInt64, found: UInt64)
    /// The state's shape does not fit the feature set (counts of features or aggregations, bucket times).
    case shapeMismatch(reason: String)

    /// A message naming the problem and where it is.
    public var description: String {
        switch self {
        case .truncated(let offset, let needed): "entity state truncated: \(needed) more bytes needed at byte \(offset)"
        case .badMagic: "not an entity state (bad magic bytes)"
        case .unsupportedVersion(let version): "entity state format version \(version) is not supported"
        case .invalidField(let offset, let reason): "entity state invalid at byte \(offset): \(reason)"
        case .trailingBytes(let count): "entity state followed by \(count) unexpected bytes"
        case .definitionMismatch(let expected, let found):
            "entity state made for feature-set definition \(Self.hex(found)), expected \(Self.hex(expected))"
        case .shapeMismatch(let reason): "entity state does not fit the feature set: \(reason)"
        }
    }

    private static func hex(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
