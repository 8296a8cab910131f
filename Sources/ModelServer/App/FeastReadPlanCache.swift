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
/// The last few lists are also kept by their bytes (``recentList(prefixOf:)``): a client repeats its list byte
/// for byte, so the request reader matches it in place, neither checking its strings again nor hashing it.
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

        /// True when `text` starts with these bytes.
        func isPrefix(of text: UnsafeRawBufferPointer) -> Bool {
            guard text.count >= bytes.count, let base = text.baseAddress else { return false }
            return bytes.withUnsafeBytes { own in
                guard let ownBase = own.baseAddress else { return true }
                return memcmp(base, ownBase, own.count) == 0
            }
        }

        /// Hashes the bytes at once (an array's own hashing feeds the hasher byte by byte).
        func hash(into hasher: inout Hasher) {
            bytes.withUnsafeBytes { hasher.combine(bytes: $0) }
        }
    }

    /// Distinct feature lists kept before the cache is emptied and refilled.
    static let maxPlans = 256
    /// Feature lists matched by their bytes, most recently resolved first.
    static let maxRecentLists = 4

    private struct State {
        var plans: [Request: FeastReadPlan] = [:]
        var recentLists: [(text: FeatureListText, plan: FeastReadPlan)] = []
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

    /// A recently planned feature list that `text` starts with, and its plan.
    func recentList(prefixOf text: UnsafeRawBufferPointer) -> (text: FeatureListText, plan: FeastReadPlan)? {
        state.withLock { state in state.recentLists.first { $0.text.isPrefix(of: text) } }
    }

    /// Plans currently kept.
    var count: Int { state.withLock { $0.plans.count } }

    /// Keeps a feature list among the recent ones (a list already there stays where it is).
    private func remember(_ request: Request, _ plan: FeastReadPlan) {
        guard case .features(let text) = request else { return }
        state.withLock { state in
            guard !state.recentLists.contains(where: { $0.text == text }) else { return }
            if state.recentLists.count >= Self.maxRecentLists { state.recentLists.removeLast() }
            state.recentLists.insert((text, plan), at: 0)
        }
    }
}
