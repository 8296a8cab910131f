/// Counters of a ``StoreWriter`` since it opened, for metrics and benchmarks.
package struct StoreWriterStatistics: Sendable, Equatable {
    /// Transactions committed.
    package var commits = 0
    /// Transactions that failed (every item in them failed).
    package var failedTransactions = 0
    /// Items whose changes were committed.
    package var committedItems = 0
    /// Items that failed, by their own error or their transaction's.
    package var failedItems = 0
    /// Items in the largest batch.
    package var largestBatch = 0
    /// Explicit WAL checkpoints run (PASSIVE and the final TRUNCATE).
    package var checkpoints = 0

    /// Empty counters.
    package init() {}

    /// Mean items per attempted transaction.
    package var averageBatchSize: Double {
        let transactions = commits + failedTransactions
        return transactions == 0 ? 0 : Double(committedItems + failedItems) / Double(transactions)
    }
}
