import FeatureEnrich
import Synchronization

/// Resolved ``FeastReadPlan``s by the feature list that asked for them, shared by every loop.
///
/// A Feast client sends the same feature list (or feature service) on every call; resolving it (parsing the
/// references, resolving them as a feature vector) cost more than the read itself, so it is done once. Plans
/// depend only on the store's feature sets, which are fixed while serving. Failed resolutions are not kept (a
/// bad request pays its own error). Bounded: past ``maxPlans`` distinct lists the cache starts over.
final class FeastReadPlanCache: Sendable {
    /// The features a request names: a feature service, or an explicit `view:feature` list.
    enum Request: Hashable, Sendable {
        /// `"feature_service": name` (resolved to the service's features).
        case service(String)
        /// `"features": [...]`.
        case features([String])
    }

    /// Distinct feature lists kept before the cache is emptied and refilled.
    static let maxPlans = 256

    private let plans = Mutex<[Request: FeastReadPlan]>([:])

    /// The cached plan of `request`, or `resolve()`'s result, cached when it succeeds.
    func plan(
        for request: Request, resolve: () throws(FeastError) -> FeastReadPlan
    ) throws(FeastError) -> FeastReadPlan {
        if let plan = plans.withLock({ $0[request] }) { return plan }
        let plan = try resolve()
        plans.withLock { plans in
            if plans.count >= Self.maxPlans { plans.removeAll(keepingCapacity: true) }
            plans[request] = plan
        }
        return plan
    }

    /// Plans currently kept.
    var count: Int { plans.withLock { $0.count } }
}
