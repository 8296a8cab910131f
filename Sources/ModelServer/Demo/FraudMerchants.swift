/// The demo's merchants: each has a category (every category has at least one merchant) and a risk score.
struct FraudMerchants {
    /// Category index of each merchant.
    let categories: [Int]
    /// Risk score of each merchant, in thousandths.
    let riskPerMille: [Int]
    /// Merchants of each category.
    let byCategory: [[Int]]

    init(count: Int, random: inout SplitMix64) {
        let all = FraudMerchantCategory.all
        let weights = all.map(\.everydayWeight)
        var categories: [Int] = []
        var risks: [Int] = []
        var byCategory = [[Int]](repeating: [], count: all.count)
        for merchant in 0..<max(count, all.count) {
            let category = merchant < all.count ? merchant : random.weightedIndex(weights)
            categories.append(category)
            risks.append(max(1, all[category].riskPerMille + random.integer(in: -20...20)))
            byCategory[category].append(merchant)
        }
        self.categories = categories
        self.riskPerMille = risks
        self.byCategory = byCategory
    }

    /// A merchant of a category drawn by honest shoppers' preferences.
    func everyday(_ random: inout SplitMix64) -> Int {
        pick(category: random.weightedIndex(FraudMerchantCategory.all.map(\.everydayWeight)), &random)
    }

    /// A merchant of a category drawn by fraudsters' preferences.
    func risky(_ random: inout SplitMix64) -> Int {
        pick(category: random.weightedIndex(FraudMerchantCategory.all.map(\.fraudWeight)), &random)
    }

    /// A merchant of one of `names` (categories), uniformly.
    func among(_ names: [String], _ random: inout SplitMix64) -> Int {
        let indices = names.compactMap { name in FraudMerchantCategory.all.firstIndex { $0.name == name } }
        return pick(category: indices[random.integer(in: 0...(indices.count - 1))], &random)
    }

    private func pick(category: Int, _ random: inout SplitMix64) -> Int {
        let list = byCategory[category]
        return list[random.integer(in: 0...(list.count - 1))]
    }
}
