#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Why the ``StoreWriter`` did not commit a work item (the item's own error is passed on as is).
package enum StoreWriterError: Error, CustomStringConvertible {
    /// The writer was closed before the item was submitted.
    case closed
    /// ``StoreWriterConfiguration/maxQueuedItems`` items were already waiting.
    case queueFull(limit: Int)
    /// The batch's transaction failed (BEGIN, COMMIT, or an error that made SQLite roll the whole
    /// transaction back): none of its `batchSize` items was committed.
    case transactionFailed(cause: any Error, batchSize: Int)
    /// ``StoreWriter/submitAndWait(_:)`` was called from a work item or completion, which would
    /// wait forever for itself.
    case calledFromWriterThread
    /// `pthread_create` failed with `errno` (e.g. EAGAIN: out of threads).
    case threadStartFailed(errno: Int32)

    package var description: String {
        switch self {
        case .closed:
            "the store writer is closed"
        case .queueFull(let limit):
            "the store writer queue is full (\(limit) items waiting)"
        case .transactionFailed(let cause, let batchSize):
            "the store transaction of \(batchSize) items failed, nothing was committed: \(cause)"
        case .calledFromWriterThread:
            "submitAndWait called on the store-writer thread, which would deadlock"
        case .threadStartFailed(let code):
            "could not start the store-writer thread: \(String(cString: strerror(code)))"
        }
    }
}
