import FeatureEnrich

#if canImport(Glibc)
    import Glibc
#endif

/// Makes the fraud demo's synthetic data: accounts, merchants and several days of card transactions with
/// fraud labels, deterministically from ``FraudDataConfiguration`` (its own ``SplitMix64``, no system
/// randomness, integer cents), so the same configuration gives byte-identical CSV files.
///
/// The fraud signal is what windowed features reveal: a compromised account shows a burst of 3–8 purchases
/// within about ten minutes, often after one or two tiny "card testing" charges, for 3–12 times the account's
/// usual amount, at risky merchants and often abroad; a quarter of the episodes are quieter (2–4 ordinary
/// purchases within half an hour) and a few frauds are single large purchases. Honest customers sometimes shop
/// in bursts (everyday merchants, usual amounts) or make a large purchase, so no signal alone is enough. Young
/// accounts are compromised more often.
package struct FraudDataGenerator: Sendable {
    /// What to generate.
    package let configuration: FraudDataConfiguration

    /// A generator for `configuration`.
    package init(_ configuration: FraudDataConfiguration = FraudDataConfiguration()) {
        self.configuration = configuration
    }

    /// Generates the three files (see ``FraudDataset``).
    package func generate() -> FraudDataset {
        var random = SplitMix64(seed: configuration.seed)
        let merchants = FraudMerchants(count: configuration.merchants, random: &random)
        var accounts: [Account] = []
        var transactions: [Transaction] = []
        let lastSecond = Int64(configuration.days) * 86_400
        for index in 0..<configuration.accounts {
            let account = Account(index: index, random: &random)
            accounts.append(account)
            var schedule = AccountSchedule(account: account, merchants: merchants)
            schedule.generate(days: configuration.days, random: &random)
            transactions.append(contentsOf: schedule.transactions.filter { $0.second < lastSecond })
        }
        transactions.sort { ($0.second, $0.account) < ($1.second, $1.account) }
        return FraudDatasetWriter(
            start: configuration.startMilliseconds, merchants: merchants
        ).dataset(accounts: accounts, transactions: transactions)
    }
}

/// One generated card account.
struct Account {
    static let countries = ["US", "GB", "DE", "FR", "CA"]

    let index: Int
    let ageDays: Int
    let creditLimit: Int
    let international: Bool
    let country: String
    /// The median of the account's honest purchases, in dollars.
    let typicalAmount: Double
    /// Honest purchases per day on average.
    let dailyRate: Double

    init(index: Int, random: inout SplitMix64) {
        self.index = index
        ageDays = random.chance(0.15) ? random.integer(in: 3...90) : random.integer(in: 91...3650)
        creditLimit = [500, 1000, 2000, 5000, 10000][random.weightedIndex([1, 3, 4, 3, 1])]
        international = random.chance(0.25)
        country = Self.countries[random.weightedIndex([6, 1, 1, 1, 1])]
        typicalAmount = 15 * exp(random.uniform(0, 2))
        dailyRate = random.uniform(1, 6)
    }

    /// `A00001`...
    var id: String { "A" + FraudDatasetWriter.padded(index + 1, 5) }
}

/// One generated purchase; times are seconds after the first day's midnight.
struct Transaction {
    let account: Int
    let second: Int64
    let cents: Int
    let merchant: Int
    let foreign: Bool
    let fraud: Bool
}
