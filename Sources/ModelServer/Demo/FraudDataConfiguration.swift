/// What the fraud demo's data generator makes: how many accounts and merchants, over how many days from when,
/// and the seed. The same configuration always gives byte-identical files (``FraudDataGenerator``).
package struct FraudDataConfiguration: Sendable, Equatable {
    /// The seed of the generator's ``SplitMix64``. Default 42.
    package var seed: UInt64 = 42
    /// Card accounts (entity keys `A00001`...). Default 2000.
    package var accounts = 2000
    /// Merchants (`M0001`...), spread over the categories of ``FraudMerchantCategory``. Default 300.
    package var merchants = 300
    /// Days of transactions. Default 7.
    package var days = 7
    /// The first day's midnight, epoch milliseconds (UTC). Default 2026-03-01T00:00:00Z.
    package var startMilliseconds: Int64 = 1_772_323_200_000

    /// The defaults.
    package init() {}

    /// The midnight after the last day: no generated transaction is at or after it.
    package var endMilliseconds: Int64 { startMilliseconds + Int64(days) * Self.dayMilliseconds }

    /// One line naming every field, stored beside the data so a later start can tell whether it matches.
    package var fingerprint: String {
        "fraud-demo v1 seed=\(seed) accounts=\(accounts) merchants=\(merchants) days=\(days) "
            + "start=\(startMilliseconds)"
    }

    /// Milliseconds in a day.
    static let dayMilliseconds: Int64 = 86_400_000
}
