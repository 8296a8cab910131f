/// What a store-writer batch observer stages, following the writer's savepoints (``StoreWriterBatchObserver``):
/// the running item's elements join the batch's only when its savepoint is released, and a batch's are dropped
/// when it ends. Shared by ``DeferredStatistics``, ``PendingStates`` and ``PendingLogIndex``.
struct SavepointStaging<Element> {
    /// Of the running item.
    private(set) var item: [Element] = []
    /// Of the batch's kept items (and what the observer added for the batch itself).
    private(set) var batch: [Element] = []
    /// Items the running batch kept so far.
    private(set) var keptItems = 0

    /// Stages `element` for the running item.
    mutating func stage(_ element: Element) {
        item.append(element)
    }

    /// Adds `element` to the batch directly (work the observer does for the batch as a whole).
    mutating func addToBatch(_ element: Element) {
        batch.append(element)
    }

    /// After an item's savepoint: its elements join the batch when `kept`, and are dropped either way.
    mutating func itemEnded(kept: Bool) {
        if kept {
            batch.append(contentsOf: item)
            keptItems += 1
        }
        item.removeAll(keepingCapacity: true)
    }

    /// After the batch's COMMIT or ROLLBACK: drops everything staged.
    mutating func batchEnded() {
        item.removeAll(keepingCapacity: true)
        batch.removeAll(keepingCapacity: true)
        keptItems = 0
    }
}
