/// The files the fraud demo's generator makes, as CSV bytes with a header line each.
///
/// - `accounts.csv`: `account_id,timestamp,account_age_days,credit_limit,international_enabled,home_country`
///   (one row per account, stamped the day before the first transaction): the `accounts` feature set.
/// - `transactions.csv`: `transaction_id,account_id,timestamp,amount,merchant_id,merchant_category,
///   merchant_risk,is_foreign`, in time order: the `transactions` feature set's events.
/// - `labels.csv`: `transaction_id,account_id,timestamp,is_fraud`: the entity rows of the training set.
package struct FraudDataset: Sendable, Equatable {
    /// `accounts.csv`.
    package var accountsCSV: [UInt8]
    /// `transactions.csv`.
    package var transactionsCSV: [UInt8]
    /// `labels.csv`.
    package var labelsCSV: [UInt8]
    /// Rows of `transactions.csv` (and of `labels.csv`).
    package var transactionCount: Int
    /// Transactions labelled fraudulent.
    package var fraudCount: Int

    /// The files by name, in the order they are ingested.
    package var files: [(name: String, bytes: [UInt8])] {
        [("accounts.csv", accountsCSV), ("transactions.csv", transactionsCSV), ("labels.csv", labelsCSV)]
    }
}
