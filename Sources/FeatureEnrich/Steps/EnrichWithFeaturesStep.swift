public import ServingGraph

/// `EnrichWithFeatures`: fetches a feature vector for the request's entity and merges it into the body.
///
/// ```json
/// {"class_name": "EnrichWithFeatures",
///  "class_args": {"vector": "fraud-vector", "keys": {"account_id": "user.account"}, "rows": "inputs",
///                 "into": "features", "on_missing": "null"}}
/// ```
/// - `keys`: entity key column → dotted path in the body (or in each row); default each key's own name.
/// - `rows`: a path to an array of row objects (MLRun rows): each row is enriched; default the body itself.
/// - `into`: write the vector as an object at this path of the body (or row); default merge its columns in.
/// - `on_missing`: `null` (MLRun: the columns are null, imputed by the vector's policy where possible) or
///   `error` (404 naming the key).
/// - `as_of`: path in the body (or row) of the time to read the vector at (ISO 8601 or epoch seconds, as event
///   timestamps); absent there, or no `as_of`: now. With `UpdateAggregates` reading the same timestamp, the model
///   sees exactly the training row of that (key, time), even when events are replayed later than they happened.
///
/// - `key_tensors`: entity key column → name of an Open Inference Protocol input tensor holding one key per
///   row (`{"inputs": [{"name": "cid", "shape": [N], "datatype": "INT64", "data": [...]}]}`); with it the
///   vector is appended as the FP64 input tensor `output_tensor` (default `features`) of shape `[N, k]`, its
///   columns in `columns` order (default the vector's). A non-numeric or null value there is a 400.
///
/// The vector's impute policy applies. A missing or mistyped key is a 400 naming its path.
public struct EnrichWithFeaturesStep: Step {
    /// What to do with an entity the store does not have.
    public enum MissingPolicy: String, Sendable {
        /// Null columns (MLRun).
        case null
        /// Fail the request with 404.
        case error
    }

    public let name: String
    private let service: OnlineFeatureService
    private let keys: [(column: String, path: BodyPath)]
    private let rows: BodyPath?
    private let into: BodyPath?
    private let onMissing: MissingPolicy
    private var tensorInput: TensorEnrichment?
    private var asOf: BodyPath?

    /// A step over `service`.
    public init(
        name: String, service: OnlineFeatureService, keyPaths: [(String, String)], rows: String?, into: String?,
        onMissing: MissingPolicy
    ) {
        self.name = name
        self.service = service
        let given = Dictionary(keyPaths, uniquingKeysWith: { _, last in last })
        self.keys = service.vector.entityKeys.map { ($0, BodyPath(given[$0] ?? $0)) }
        self.rows = rows.map(BodyPath.init)
        self.into = into.map(BodyPath.init)
        self.onMissing = onMissing
        self.tensorInput = nil
        self.asOf = nil
    }

    /// A step over `service` reading the vector at the time found at `asOf` in the body (or row); see the
    /// type's documentation.
    public init(
        name: String, service: OnlineFeatureService, keyPaths: [(String, String)], rows: String?, into: String?,
        onMissing: MissingPolicy, asOf: String?
    ) {
        self.init(name: name, service: service, keyPaths: keyPaths, rows: rows, into: into, onMissing: onMissing)
        self.asOf = asOf.map(BodyPath.init)
    }

    /// A step reading keys from OIP input tensors and appending the vector as a tensor (see the type's docs).
    public init(
        name: String, service: OnlineFeatureService, keyTensors: [(String, String)], outputTensor: String,
        columns: [String]?, onMissing: MissingPolicy
    ) throws(OnlineFeatureError) {
        self.init(name: name, service: service, keyPaths: [], rows: nil, into: nil, onMissing: onMissing)
        let names = service.vector.columns.map(\.name)
        var positions: [Int] = []
        for column in columns ?? names {
            guard let position = names.firstIndex(of: column) else {
                throw .badRequest(path: "columns", reason: "'\(column)' is not a column of the vector")
            }
            positions.append(position)
        }
        let given = Dictionary(keyTensors, uniquingKeysWith: { _, last in last })
        tensorInput = TensorEnrichment(
            keyTensors: service.vector.entityKeys.map { ($0, given[$0] ?? $0) }, outputTensor: outputTensor,
            positions: positions)
    }

    public func run(_ event: Event) throws -> Event {
        var output = event
        let snapshots = event[EntityStateSnapshotKey.self] ?? []
        if let tensorInput {
            output.body = try tensorInput.enrich(
                event.body, service: service, snapshots: snapshots, onMissing: onMissing)
        } else if let rows {
            guard case .array(var list)? = rows.value(in: event.body) else {
                throw ServingError.invalidInput("\(rows): expected an array of rows")
            }
            for index in list.indices {
                list[index] = try enrich(list[index], path: "\(rows)[\(index)]", snapshots: snapshots)
            }
            rows.set(.array(list), in: &output.body)
        } else {
            output.body = try enrich(event.body, path: "body", snapshots: snapshots)
        }
        return output
    }

    private func enrich(_ target: Value, path: String, snapshots: [EntityStateSnapshot]) throws -> Value {
        var keyValues = ValueObject(minimumCapacity: keys.count)
        for (column, keyPath) in keys {
            guard let value = keyPath.value(in: target), !value.isNull else {
                throw ServingError.invalidInput("\(path).\(keyPath): missing entity key '\(column)'")
            }
            keyValues[column] = value
        }
        let time = try asOf.flatMap { try readTime($0, in: target, path: path) }
        let values: [Value]
        do {
            guard let found = try service.values(.object(keyValues), path: path, at: time, snapshots: snapshots)
            else {
                if onMissing == .error {
                    throw ServingError.notFound("no features for entity \(JSONWriter.string(.object(keyValues)))")
                }
                return merge(Array(repeating: .null, count: service.vector.columns.count), into: target)
            }
            values = found
        } catch let error as OnlineFeatureError {
            throw ServingError.invalidInput(error.description)
        }
        return merge(values, into: target)
    }

    /// Epoch milliseconds of the time at `timePath` in `target` (nil when absent or null).
    private func readTime(_ timePath: BodyPath, in target: Value, path: String) throws -> Int64? {
        switch timePath.value(in: target) {
        case nil, .null?:
            return nil
        case .string(let text)?:
            do {
                return try TimestampParser.epochMilliseconds(text)
            } catch {
                throw ServingError.invalidInput("\(path).\(timePath): \(error)")
            }
        case .int(let seconds)?:
            let (milliseconds, overflow) = seconds.multipliedReportingOverflow(by: 1000)
            guard !overflow else { throw ServingError.invalidInput("\(path).\(timePath): out of range") }
            return milliseconds
        case .double(let seconds)?:
            let milliseconds = (seconds * 1000).rounded(.down)
            guard milliseconds.isFinite, abs(milliseconds) < 9.0e18 else {
                throw ServingError.invalidInput("\(path).\(timePath): out of range")
            }
            return Int64(milliseconds)
        case let other?:
            throw ServingError.invalidInput(
                "\(path).\(timePath): expected an ISO 8601 string or epoch seconds, got \(other.typeName)")
        }
    }

    private func merge(_ values: [Value], into target: Value) -> Value {
        var features = ValueObject(minimumCapacity: values.count)
        for (column, value) in zip(service.vector.columns, values) { features[column.name] = value }
        var result = target
        if let into {
            into.set(.object(features), in: &result)
        } else {
            var object = target.objectValue ?? ValueObject()
            for (key, value) in features.members { object[key] = value }
            result = .object(object)
        }
        return result
    }
}
