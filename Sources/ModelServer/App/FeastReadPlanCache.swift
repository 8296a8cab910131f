import Glibc
import ServingGraph
import Synchronization

/// Resolved ``FeastReadPlan``s by the feature list that asked for them, shared by every loop.
///
/// A Feast client sends the same feature list (or feature service) on every call; resolving it (parsing the
/// references, resolving them as a feature vector) cost more than the read itself, so it is done once. Plans
/// depend only on the store's feature sets, which are fixed while serving. Failed resolutions are not kept (a
/// bad request pays its own error). Bounded: past ``maxPlans`` distinct lists the cache starts over.
///
/// The last few lists and services are also kept by their JSON text (``recent(prefixOf:)``): a client repeats
/// its `features` (or `feature_service`) value byte for byte, so the request reader matches it in place, neither
/// building nor checking its strings again nor hashing anything.
final class FeastReadPlanCache: Sendable {
    /// The features a request names: a feature service, or an explicit `view:feature` list.
    enum Request: Hashable, Sendable {
        /// `"feature_service": name` (resolved to the service's features).
        case service(String)
        /// `"features": [...]`, by its JSON text.
        case features(FeatureListText)

        /// `"features": references`, by the compact JSON text of the list.
        static func featureList(_ references: [String]) -> Request {
            .features(FeatureListText(references))
        }
    }

    /// The JSON text of a `features` list of strings: as the request spelled it (the fast reader keys by the
    /// bytes it read, never building the strings) or written compactly. Two spellings of one list are two
    /// entries with equal plans.
    struct FeatureListText: Hashable, Sendable {
        /// The text, `[` to `]`: a complete JSON array of strings.
        let bytes: [UInt8]

        /// The text `bytes`, which must be a JSON array of strings.
        init(bytes: [UInt8]) {
            self.bytes = bytes
        }

        /// The compact text of `references`.
        init(_ references: [String]) {
            bytes = JSONWriter.bytes(.array(references.map { .string($0) }))
        }

        /// The references the text lists.
        func references() throws(FeastError) -> [String] {
            guard let list = try? JSONParser.parse(bytes).arrayValue else {
                throw .badRequest(message: "features: expected a list of strings")
            }
            return try list.map { item throws(FeastError) in
                guard let text = item.stringValue else { throw .badRequest(message: "features: expected strings") }
                return text
            }
        }

        /// Hashes the bytes at once (an array's own hashing feeds the hasher byte by byte).
        func hash(into hasher: inout Hasher) {
            bytes.withUnsafeBytes { hasher.combine(bytes: $0) }
        }
    }

    /// Distinct feature lists kept before the cache is emptied and refilled.
    static let maxPlans = 256
    /// Requests matched by their JSON text, most recently resolved first.
    static let maxRecent = 4

    /// A request kept by its JSON text: the list as ``FeatureListText`` holds it, a service name as a JSON string.
    struct Recent: Sendable {
        /// The text of the `features` or `feature_service` value.
        let text: [UInt8]
        /// The request it is.
        let request: Request
        /// Its plan.
        let plan: FeastReadPlan
    }

    private struct State {
        var plans: [Request: FeastReadPlan] = [:]
        var recent: [Recent] = []
    }

    private let state = Mutex(State())

    /// The cached plan of `request`, or `resolve()`'s result, cached when it succeeds.
    func plan(
        for request: Request, resolve: () throws(FeastError) -> FeastReadPlan
    ) throws(FeastError) -> FeastReadPlan {
        if let plan = state.withLock({ $0.plans[request] }) {
            remember(request, plan)
            return plan
        }
        let plan = try resolve()
        state.withLock { state in
            if state.plans.count >= Self.maxPlans { state.plans.removeAll(keepingCapacity: true) }
            state.plans[request] = plan
        }
        remember(request, plan)
        return plan
    }

    /// A recently planned request whose JSON text `text` starts with. The text is a complete JSON value (an array
    /// or a string), so a byte-identical prefix is that same value.
    func recent(prefixOf text: UnsafeRawBufferPointer) -> Recent? {
        state.withLock { state in state.recent.first { Self.isPrefix($0.text, of: text) } }
    }

    /// Plans currently kept.
    var count: Int { state.withLock { $0.plans.count } }

    /// Keeps a request among the recent ones (one already there stays where it is).
    private func remember(_ request: Request, _ plan: FeastReadPlan) {
        state.withLock { state in
            guard !state.recent.contains(where: { $0.request == request }) else { return }
            let text: [UInt8]
            switch request {
            case .service(let name): text = JSONWriter.bytes(.string(name))
            case .features(let list): text = list.bytes
            }
            if state.recent.count >= Self.maxRecent { state.recent.removeLast() }
            state.recent.insert(Recent(text: text, request: request, plan: plan), at: 0)
        }
    }

    /// True when `text` starts with `prefix`.
    private static func isPrefix(_ prefix: [UInt8], of text: UnsafeRawBufferPointer) -> Bool {
        guard text.count >= prefix.count, let base = text.baseAddress else { return false }
        return prefix.withUnsafeBytes { own in
            guard let ownBase = own.baseAddress else { return true }
            return memcmp(base, ownBase, own.count) == 0
        }
    }
}
