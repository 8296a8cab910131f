/// A merchant category of the fraud demo, with how often honest customers shop there, how risky it is
/// (the `merchant_risk` feature) and how fraudsters favour it.
struct FraudMerchantCategory: Sendable {
    /// The `merchant_category` value.
    let name: String
    /// Relative share of honest transactions.
    let everydayWeight: Double
    /// Relative share of fraudulent transactions.
    let fraudWeight: Double
    /// Base risk score in thousandths (the merchant's `merchant_risk` is this plus a little jitter).
    let riskPerMille: Int

    /// The categories, in a fixed order (part of the generator's determinism).
    static let all: [FraudMerchantCategory] = [
        FraudMerchantCategory(name: "grocery", everydayWeight: 25, fraudWeight: 0.5, riskPerMille: 20),
        FraudMerchantCategory(name: "restaurant", everydayWeight: 20, fraudWeight: 0.5, riskPerMille: 30),
        FraudMerchantCategory(name: "fuel", everydayWeight: 12, fraudWeight: 1, riskPerMille: 40),
        FraudMerchantCategory(name: "pharmacy", everydayWeight: 8, fraudWeight: 0.5, riskPerMille: 20),
        FraudMerchantCategory(name: "clothing", everydayWeight: 10, fraudWeight: 2, riskPerMille: 60),
        FraudMerchantCategory(name: "travel", everydayWeight: 4, fraudWeight: 4, riskPerMille: 150),
        FraudMerchantCategory(name: "electronics", everydayWeight: 6, fraudWeight: 10, riskPerMille: 250),
        FraudMerchantCategory(name: "jewelry", everydayWeight: 2, fraudWeight: 6, riskPerMille: 350),
        FraudMerchantCategory(name: "gift_cards", everydayWeight: 2, fraudWeight: 8, riskPerMille: 450),
        FraudMerchantCategory(name: "online_gaming", everydayWeight: 3, fraudWeight: 6, riskPerMille: 400),
    ]
}
