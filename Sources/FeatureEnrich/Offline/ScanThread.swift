import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A thread that runs one throwing body and is joined for its error: one key range of a training-set scan.
///
/// When the kernel refuses a thread (`pthread_create` fails, e.g. EAGAIN), the body runs on the calling thread
/// inside ``init(_:)`` instead, so the work is done either way.
struct ScanThread {
    private let thread: pthread_t?
    private let body: ScanThreadBody

    /// Starts `body` on a new thread (or runs it now when no thread can be started).
    init(_ body: @escaping @Sendable () throws -> Void) {
        let box = ScanThreadBody(body)
        self.body = box
        var thread = pthread_t()
        let context = Unmanaged.passRetained(box).toOpaque()
        if pthread_create(&thread, nil, scanThreadEntry, context) == 0 {
            self.thread = thread
        } else {
            Unmanaged<ScanThreadBody>.fromOpaque(context).release()
            self.thread = nil
            box.run()
        }
    }

    /// Waits for the body to finish; its error, if it threw.
    func join() -> (any Error)? {
        if let thread { pthread_join(thread, nil) }
        return body.error.withLock { $0 }
    }
}

/// The body of a ``ScanThread`` and what it threw, boxed to cross `pthread_create`'s C context pointer.
private final class ScanThreadBody: Sendable {
    let work: @Sendable () throws -> Void
    let error = Mutex<(any Error)?>(nil)

    init(_ work: @escaping @Sendable () throws -> Void) { self.work = work }

    func run() {
        do {
            try work()
        } catch {
            self.error.withLock { $0 = error }
        }
    }
}

private func scanThreadEntry(_ context: UnsafeMutableRawPointer?) -> UnsafeMutableRawPointer? {
    guard let context else { return nil }
    Unmanaged<ScanThreadBody>.fromOpaque(context).takeRetainedValue().run()
    return nil
}
