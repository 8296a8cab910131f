#if canImport(Glibc)
    import Glibc
#endif

/// Generates one account's transactions over the demo's days: honest daily purchases, occasional honest
/// bursts and large purchases, and, for some accounts, one fraud episode (see ``FraudDataGenerator``).
/// Each transaction of an account gets its own second, so (account, time) identifies it.
struct AccountSchedule {
    private static let secondsPerDay: Int64 = 86_400

    let account: Account
    let merchants: FraudMerchants
    private(set) var transactions: [Transaction] = []
    private var usedSeconds = Set<Int64>()

    init(account: Account, merchants: FraudMerchants) {
        self.account = account
        self.merchants = merchants
    }

    /// Fills ``transactions`` for `days` days.
    mutating func generate(days: Int, random: inout SplitMix64) {
        for day in 0..<days {
            let midnight = Int64(day) * Self.secondsPerDay
            for _ in 0..<random.poisson(mean: account.dailyRate) {
                let second = random.chance(0.8) ? random.integer(in: 28_800...79_199) : random.integer(in: 0...86_399)
                honestPurchase(at: midnight + Int64(second), random: &random)
            }
            if random.chance(0.03) { honestBurst(from: midnight + Int64(random.integer(in: 32_400...72_000)), &random) }
        }
        guard days > 1 else { return }
        let fraudChance = account.ageDays <= 90 ? 0.12 : 0.035
        if random.chance(fraudChance) {
            let day = Int64(random.integer(in: 1...(days - 1)))
            fraudBurst(from: day * Self.secondsPerDay + Int64(random.integer(in: 0...84_000)), &random)
        }
        if random.chance(0.015) {
            let second = random.integer(in: Int(Self.secondsPerDay)...(days * Int(Self.secondsPerDay) - 1))
            let merchant = merchants.risky(&random)
            let amount = account.typicalAmount * random.uniform(4, 15)
            add(Int64(second), amount: amount, merchant: merchant, foreign: random.chance(0.5), fraud: true)
        }
    }

    private mutating func honestPurchase(at second: Int64, random: inout SplitMix64) {
        if random.chance(0.03) {
            let merchant = merchants.among(["travel", "electronics", "jewelry", "clothing"], &random)
            let amount = account.typicalAmount * random.uniform(3, 8)
            add(second, amount: amount, merchant: merchant, foreign: honestForeign(&random), fraud: false)
            return
        }
        let amount = account.typicalAmount * exp(0.5 * random.normal())
        add(
            second, amount: amount, merchant: merchants.everyday(&random), foreign: honestForeign(&random), fraud: false
        )
    }

    /// A shopping spree: 3–6 everyday purchases within about forty minutes.
    private mutating func honestBurst(from start: Int64, _ random: inout SplitMix64) {
        var second = start
        for _ in 0..<random.integer(in: 3...6) {
            let merchant = merchants.among(["grocery", "restaurant", "clothing", "pharmacy"], &random)
            let amount = account.typicalAmount * exp(0.4 * random.normal())
            add(second, amount: amount, merchant: merchant, foreign: false, fraud: false)
            second += Int64(random.integer(in: 60...600))
        }
    }

    /// A compromised card: maybe tiny test charges, then 3–8 large purchases within about ten minutes; or, for
    /// a quarter of the episodes, 2–4 unremarkable purchases within half an hour (hard to tell from honest use).
    private mutating func fraudBurst(from start: Int64, _ random: inout SplitMix64) {
        var second = start
        if random.chance(0.25) {
            for _ in 0..<random.integer(in: 2...4) {
                let amount = account.typicalAmount * random.uniform(1, 2.5)
                add(second, amount: amount, merchant: merchants.everyday(&random), foreign: false, fraud: true)
                second += Int64(random.integer(in: 120...600))
            }
            return
        }
        let foreign = random.chance(0.6)
        if random.chance(0.5) {
            for _ in 0..<random.integer(in: 1...2) {
                add(
                    second, amount: random.uniform(1, 3), merchant: merchants.risky(&random), foreign: foreign,
                    fraud: true)
                second += Int64(random.integer(in: 20...90))
            }
        }
        for _ in 0..<random.integer(in: 3...8) {
            let amount = min(Double(account.creditLimit), account.typicalAmount * random.uniform(3, 12))
            add(second, amount: amount, merchant: merchants.risky(&random), foreign: foreign, fraud: true)
            second += Int64(random.integer(in: 15...150))
        }
    }

    private func honestForeign(_ random: inout SplitMix64) -> Bool {
        random.chance(account.international ? 0.08 : 0.01)
    }

    /// Records a purchase at the first free second from `second` on (amounts in whole cents, at least $1).
    private mutating func add(_ second: Int64, amount: Double, merchant: Int, foreign: Bool, fraud: Bool) {
        var free = second
        while !usedSeconds.insert(free).inserted { free += 1 }
        let cents = max(100, Int((amount * 100).rounded()))
        transactions.append(
            Transaction(
                account: account.index, second: free, cents: cents, merchant: merchant, foreign: foreign, fraud: fraud))
    }
}
