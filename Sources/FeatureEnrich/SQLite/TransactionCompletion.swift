/// What a transaction or savepoint body asks for when it returns normally.
package enum TransactionCompletion: Sendable {
    /// Make the changes permanent (COMMIT, or RELEASE for a savepoint).
    case commit
    /// Undo the changes (ROLLBACK, or ROLLBACK TO + RELEASE for a savepoint).
    case rollback
}
