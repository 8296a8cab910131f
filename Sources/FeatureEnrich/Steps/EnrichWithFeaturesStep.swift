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
/// - `timestamp`: path of the request's time in the body (or row), an ISO 8601 string or epoch seconds as
///   event times are; the vector is read as of that time (windows aged to it, ttl counted back from it), and
///   as of the receive time when the request has none. Without it the vector is read as of now. Give it the
///   same path as `UpdateAggregates`' `timestamp` to serve what a training row for that time holds
///   (docs/OFFLINE.md, "Training/serving skew").
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
    private let timestamp: BodyPath?
    private var tensorInput: TensorEnrichment?
    /// Whether no two columns of the vector share a name (then merging appends without looking each one up).
    private let columnNamesAreUnique: Bool
    /// The merged body's keys for the last body keys seen (the common shape's fast path).
    private let mergedKeys: MergedBodyKeys

    /// A step over `service`.
    public init(
        name: String, service: OnlineFeatureService, keyPaths: [(String, String)], rows: String?, into: String?,
        onMissing: MissingPolicy, timestamp: String? = nil
    ) {
        self.name = name
        self.service = service
        let given = Dictionary(keyPaths, uniquingKeysWith: { _, last in last })
        self.keys = service.vector.entityKeys.map { ($0, BodyPath(given[$0] ?? $0)) }
        self.rows = rows.map(BodyPath.init)
        self.into = into.map(BodyPath.init)
        self.onMissing = onMissing
        self.timestamp = timestamp.map(BodyPath.init)
        self.tensorInput = nil
        let names = service.vector.columns.map(\.name)
        self.columnNamesAreUnique = Set(names).count == names.count
        self.mergedKeys = MergedBodyKeys(columns: names)
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
                list[index] = try enrich(
                    list[index], path: "\(rows)[\(index)]", snapshots: snapshots, receivedAt: event.receivedAt)
            }
            rows.set(.array(list), in: &output.body)
        } else if into == nil, columnNamesAreUnique, case .object(let body) = event.body,
            let keys = mergedKeys.keys(after: body.keys)
        {
            output.body = try enrichMerged(
                event.body, values: body.values, keys: keys, snapshots: snapshots, receivedAt: event.receivedAt)
        } else {
            output.body = try enrich(event.body, path: "body", snapshots: snapshots, receivedAt: event.receivedAt)
        }
        return output
    }

    /// The common shape: the vector's columns merged into a body object (`target`, its member values `bodyValues`)
    /// none of whose keys is a column, so the merged object is the body's members then the columns (`keys`), and
    /// the values are read straight into it. Answers and errors as ``enrich(_:path:snapshots:receivedAt:)``.
    private func enrichMerged(
        _ target: Value, values bodyValues: [Value], keys: [String], snapshots: [EntityStateSnapshot],
        receivedAt: Int64
    ) throws -> Value {
        try checkKeys(in: target, path: "body")
        let time = try readTime(in: target, path: "body", receivedAt: receivedAt)
        var values = bodyValues
        values.reserveCapacity(keys.count)
        values.append(contentsOf: repeatElement(Value.null, count: keys.count - bodyValues.count))
        let found: Bool
        do {
            found = try service.fill(
                &values, offset: bodyValues.count, path: "body", at: time, snapshots: snapshots,
                key: { name in self.keys.first(where: { $0.column == name })?.path.value(in: target) })
        } catch let error as OnlineFeatureError {
            throw ServingError.invalidInput(error.description)
        }
        if !found, onMissing == .error { throw notFound(target) }
        return .object(ValueObject(distinctKeys: keys, values: values))
    }

    private func enrich(_ target: Value, path: String, snapshots: [EntityStateSnapshot], receivedAt: Int64) throws
        -> Value
    {
        try checkKeys(in: target, path: path)
        let keyValues = keyObject(in: target)
        let time = try readTime(in: target, path: path, receivedAt: receivedAt)
        let values: [Value]
        do {
            guard let found = try service.values(.object(keyValues), path: path, at: time, snapshots: snapshots)
            else {
                if onMissing == .error { throw notFound(target) }
                return merge(Array(repeating: .null, count: service.vector.columns.count), into: target)
            }
            values = found
        } catch let error as OnlineFeatureError {
            throw ServingError.invalidInput(error.description)
        }
        return merge(values, into: target)
    }

    /// Throws a 400 naming the path of the first entity key column missing or null in `target`.
    private func checkKeys(in target: Value, path: String) throws {
        for (column, keyPath) in keys {
            guard let value = keyPath.value(in: target), !value.isNull else {
                throw ServingError.invalidInput("\(path).\(keyPath): missing entity key '\(column)'")
            }
        }
    }

    /// The entity key columns' values in `target` (checked by ``checkKeys(in:path:)``), by column.
    private func keyObject(in target: Value) -> ValueObject {
        var keyValues = ValueObject(minimumCapacity: keys.count)
        for (column, keyPath) in keys { keyValues[column] = keyPath.value(in: target) }
        return keyValues
    }

    /// The time the vector is read as of: nil (now) without a `timestamp` path, else the request's time there or,
    /// when it has none, `receivedAt`.
    private func readTime(in target: Value, path: String, receivedAt: Int64) throws -> Int64? {
        guard let timestamp else { return nil }
        guard let value = timestamp.value(in: target) else { return receivedAt }
        do {
            return try FeatureEventDecoder.epochMilliseconds(value, field: "\(path).\(timestamp)")
        } catch {
            throw ServingError.invalidInput(error.description)
        }
    }

    /// The 404 of `on_missing: error` for the entity `target` names.
    private func notFound(_ target: Value) -> ServingError {
        .notFound("no features for entity \(JSONWriter.string(.object(keyObject(in: target))))")
    }

    private func merge(_ values: [Value], into target: Value) -> Value {
        if into == nil, columnNamesAreUnique, case .object(let body) = target {
            // The common shape (the vector's columns merged into a body object), built once at its final size
            // without an intermediate object: only the body's own keys can already hold a column's name.
            var object = ValueObject(minimumCapacity: body.count + values.count)
            for (key, value) in body.members { object.appendNew(key, value) }
            for (column, value) in zip(service.vector.columns, values) {
                if !body.isEmpty, body.position(of: column.name) != nil {
                    object[column.name] = value
                } else {
                    object.appendNew(column.name, value)
                }
            }
            return .object(object)
        }
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
