import Synchronization

/// Whether the server is ready to serve: shared by every loop, flipped once start-up work is done.
final class ServerReadiness: Sendable {
    private let ready = Atomic<Bool>(false)

    /// True once every model has loaded.
    var isReady: Bool { ready.load(ordering: .acquiring) }

    /// Marks the server ready (or not).
    func set(_ value: Bool) { ready.store(value, ordering: .releasing) }
}
