/// Work that the items of one store-writer batch defer to the end of that batch, on the writer thread: a row
/// every item would update (the running statistics) is then written once per transaction instead of once per
/// item, which spares a statement per item while the commit stays atomic (``StoreWriterLoop``).
///
/// Thread contract: every method runs on the writer thread, in this order for each batch: ``itemEnded(kept:)``
/// after each item's savepoint, ``beforeCommit(_:closing:)`` inside the transaction after the last item, then
/// ``batchEnded(committed:)`` after COMMIT or ROLLBACK. An implementation forgets what a rolled-back item staged,
/// so the deferred writes cover exactly the items that commit. While an observer reports deferred work
/// (``deferredWorkDelayMicroseconds``), an idle writer commits an empty batch after that delay, and one more at
/// close (`closing: true`), so the observer can write it.
package protocol StoreWriterBatchObserver: Sendable {
    /// After an item's savepoint: `kept` is false when the item failed and its savepoint was rolled back.
    func itemEnded(kept: Bool)

    /// Writes what the batch's kept items deferred, inside the transaction; a throw fails the whole batch.
    /// `closing`: the last batch before the writer stops (write everything deferred).
    func beforeCommit(_ connection: SQLiteConnection, closing: Bool) throws

    /// After the batch's COMMIT (`committed`) or ROLLBACK: drops whatever is still staged.
    func batchEnded(committed: Bool)

    /// Nil when nothing deferred is waiting beyond the batch; otherwise how long an idle writer may wait before
    /// it commits an empty batch for it.
    var deferredWorkDelayMicroseconds: Int? { get }
}

extension StoreWriterBatchObserver {
    /// Nothing deferred beyond the batch.
    package var deferredWorkDelayMicroseconds: Int? { nil }
}
