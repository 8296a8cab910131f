import ServingGraph
import Synchronization

/// The value buffer of a large training set (`count` nulls), allocated and zero-filled by the kernel on another
/// thread while the caller groups its entity rows: page faults on a few hundred megabytes take a tenth of a second
/// that would otherwise be serial. Small buffers are allocated on the calling thread.
struct NullValuesAllocation {
    /// Buffers of at least this many cells are allocated on another thread.
    static let backgroundMinimum = 1 << 20

    private let box = NullValuesBox()
    private let thread: ScanThread?

    /// Starts allocating `count` nulls.
    init(count: Int) {
        guard count >= Self.backgroundMinimum else {
            box.values.withLock { $0 = [Value](repeating: .null, count: count) }
            thread = nil
            return
        }
        let box = self.box
        thread = ScanThread {
            let values = [Value](repeating: .null, count: count)
            box.values.withLock { $0 = values }
        }
    }

    /// The buffer, once allocated; the only reference to it, so writing it copies nothing. Call exactly once.
    func take() -> [Value] {
        // The body cannot throw: joining only waits for it.
        _ = thread?.join()
        var values: [Value] = []
        box.values.withLock { swap(&values, &$0) }
        return values
    }
}

/// Where the allocating thread leaves the buffer.
private final class NullValuesBox: Sendable {
    let values = Mutex<[Value]>([])
}
