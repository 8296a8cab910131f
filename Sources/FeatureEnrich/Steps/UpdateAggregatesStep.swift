public import ServingGraph

/// `UpdateAggregates`: the request is an event of a feature set; ingests it (plain features, aggregates, event
/// log, statistics in one commit) and puts a ``CommitTicket`` in the event so the response waits for the commit.
///
/// ```json
/// {"class_name": "UpdateAggregates",
///  "class_args": {"feature_set": "transactions", "fields": {"account_id": "user.account", "amount": "amount"},
///                 "timestamp": "ts", "rows": "inputs"}}
/// ```
/// - `fields`: feature-set column → dotted path in the body (or row); unmapped columns use their own name.
/// - `timestamp`: path of the event time; absent (or absent in the request): the server's receive time.
/// - `rows`: a path to an array of row objects: N rows are N events, in row order; default the body itself.
///
/// Place it before `EnrichWithFeatures` for the model to see aggregates including this request (read from the
/// states taken under the same shard locks as the update: no other request's event in between), after it for
/// aggregates without it. With a client event id (`X-Event-Id`, or body `id`) a retry within the store's
/// horizon is not counted twice. The set's validators apply (``ValidationPolicy``): a rejected event makes the
/// request fail with 400 naming the field, and nothing of it is written.
public struct UpdateAggregatesStep: Step {
    public let name: String
    private let store: SQLiteOnlineStore
    private let featureSet: FeatureSetDefinition
    private let fields: [(column: String, path: BodyPath)]
    private let timestamp: BodyPath?
    private let rows: BodyPath?

    /// A step writing to `featureSet` of `store`.
    public init(
        name: String, store: SQLiteOnlineStore, featureSet: FeatureSetDefinition, fieldPaths: [(String, String)],
        timestamp: String?, rows: String?
    ) {
        self.name = name
        self.store = store
        self.featureSet = featureSet
        let given = Dictionary(fieldPaths, uniquingKeysWith: { _, last in last })
        let columns =
            featureSet.entities.map(\.name) + featureSet.features.map(\.name)
            + featureSet.aggregations.map(\.column)
        var seen = Set<String>()
        self.fields = columns.filter { seen.insert($0).inserted }.map { ($0, BodyPath(given[$0] ?? $0)) }
        self.timestamp = timestamp.map(BodyPath.init)
        self.rows = rows.map(BodyPath.init)
    }

    public func run(_ event: Event) throws -> Event {
        let sources: [Value]
        if let rows {
            guard case .array(let list)? = rows.value(in: event.body) else {
                throw ServingError.invalidInput("\(rows): expected an array of rows")
            }
            sources = list
        } else {
            sources = [event.body]
        }
        let receivedAt = Value.string(RFC3339.string(epochMilliseconds: event.receivedAt))
        var events: [Value] = []
        events.reserveCapacity(sources.count)
        for source in sources {
            var object = ValueObject(minimumCapacity: fields.count + 1)
            for (column, path) in fields {
                if let value = path.value(in: source) { object[column] = value }
            }
            object[featureSet.timestampKey] = timestamp.flatMap { $0.value(in: source) } ?? receivedAt
            events.append(.object(object))
        }
        let eventID = event.header("X-Event-Id") ?? event.body["id"]?.stringValue
        let ticket = CommitTicket()
        let snapshot: EntityStateSnapshot?
        do {
            snapshot = try store.ingestAndSnapshot(
                events, into: featureSet.name, eventID: eventID.map { "\(name):\($0)" }
            ) { result in
                ticket.complete(result)
            }
        } catch {
            throw ServingError.invalidInput(error.description)
        }
        var output = event
        if let snapshot {
            output[EntityStateSnapshotKey.self] = (event[EntityStateSnapshotKey.self] ?? []) + [snapshot]
        }
        if let earlier = event[CommitTicketKey.self] {
            output[CommitTicketKey.self] = CommitTicket.all([earlier, ticket])
        } else {
            output[CommitTicketKey.self] = ticket
        }
        return output
    }
}
