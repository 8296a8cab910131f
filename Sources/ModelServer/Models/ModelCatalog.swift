import Synchronization

/// The models of one server, shared by every event loop: each model's state and what its `load()`
/// returned, keyed by the model's step name, so a model is loaded once and held once however many
/// loops serve it.
///
/// The first ``V2ModelServer`` built under a key registers its `load()`; instances built later on
/// other loops (``ModelCatalog/current`` set by the server while it builds each loop's graph) share
/// the slot. Thread-safe.
public final class ModelCatalog: Sendable {
    /// The catalog new ``V2ModelServer`` instances join; set while a server builds a graph.
    /// Without one, each instance has a private slot and loads on its first request.
    @TaskLocal public static var current: ModelCatalog?

    private let slots = Mutex<[(key: String, owner: ObjectIdentifier, slot: ModelSlot)]>([])
    /// Whether a request may run a model's `load()` when nobody has yet (see ``init(loadsOnFirstUse:)``).
    let loadsOnFirstUse: Bool

    /// An empty catalog. With `loadsOnFirstUse` false (a server: it loads through ``loadAll()`` at
    /// start-up or on its loader thread), a request that finds a model not loaded answers 503 instead
    /// of running `load()` on its event loop.
    public init(loadsOnFirstUse: Bool = true) {
        self.loadsOnFirstUse = loadsOnFirstUse
    }

    /// The slot of `key` for models of class `owner`, created with `loader` when new (the loader is
    /// then kept; otherwise dropped). Two classes under one name (a route and an ensemble child)
    /// get separate slots.
    func slot(
        for key: String, owner: ObjectIdentifier, loader: @escaping @Sendable () throws -> (any Sendable)?
    ) -> ModelSlot {
        slots.withLock { slots in
            if let found = slots.first(where: { $0.key == key && $0.owner == owner }) { return found.slot }
            let slot = ModelSlot(loader: loader, loadsOnFirstUse: loadsOnFirstUse)
            slots.append((key, owner, slot))
            return slot
        }
    }

    /// Model keys in registration order.
    public var keys: [String] { slots.withLock { $0.map(\.key) } }

    /// The state of every model, in registration order.
    public var states: [(key: String, state: ModelState)] {
        let all = slots.withLock { $0 }
        return all.map { ($0.key, $0.slot.state) }
    }

    /// The shared metrics of every model, in registration order.
    public var metrics: [(key: String, metrics: ModelMetrics)] {
        slots.withLock { $0.map { ($0.key, $0.slot.metrics) } }
    }

    /// True when every model has loaded (and there is at least none failing or loading).
    public var allReady: Bool { states.allSatisfy { $0.state.isReady } }

    /// Runs every `load()` not run yet, in registration order, on the calling thread. Returns the
    /// failures (the server refuses to start on any unless loading in the background).
    @discardableResult
    public func loadAll() -> [(key: String, error: any Error)] {
        let all = slots.withLock { $0 }
        var failures: [(key: String, error: any Error)] = []
        for (key, _, slot) in all {
            if case .failed(let error) = slot.loadIfNeeded() { failures.append((key, error)) }
        }
        return failures
    }
}

/// One model's shared state: its loader until it runs, then what it returned or how it failed.
final class ModelSlot: Sendable {
    private enum Phase {
        case notStarted(@Sendable () throws -> (any Sendable)?)
        case loading
        case ready((any Sendable)?)
        case failed(any Error)
    }

    private let phase: Mutex<Phase>
    /// Request counts and stage latencies of the model, from every loop.
    let metrics = ModelMetrics()

    /// Whether ``loadIfNeeded(onFirstUse:)`` from a request may run the loader.
    private let loadsOnFirstUse: Bool

    init(loader: @escaping @Sendable () throws -> (any Sendable)?, loadsOnFirstUse: Bool = true) {
        phase = Mutex(.notStarted(loader))
        self.loadsOnFirstUse = loadsOnFirstUse
    }

    /// For a request: loads only when this slot allows loading on first use; otherwise reports the state.
    func loadOnFirstUse() -> ModelState {
        loadsOnFirstUse ? loadIfNeeded() : state
    }

    /// The public view of the phase.
    var state: ModelState {
        phase.withLock { phase in
            switch phase {
            case .notStarted, .loading: .loading
            case .ready: .ready
            case .failed(let error): .failed(error)
            }
        }
    }

    /// What `load()` returned, once ready.
    var model: (any Sendable)? {
        phase.withLock { phase in
            if case .ready(let model) = phase { return model }
            return nil
        }
    }

    /// Runs the loader when nobody has; returns the state afterwards (`.loading` if another thread is loading).
    @discardableResult
    func loadIfNeeded() -> ModelState {
        let loader: (@Sendable () throws -> (any Sendable)?)? = phase.withLock { phase in
            guard case .notStarted(let loader) = phase else { return nil }
            phase = .loading
            return loader
        }
        guard let loader else { return state }
        let outcome: Phase
        do {
            outcome = .ready(try loader())
        } catch {
            outcome = .failed(error)
        }
        phase.withLock { $0 = outcome }
        return state
    }
}
