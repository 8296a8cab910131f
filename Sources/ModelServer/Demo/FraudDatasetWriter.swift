import FeatureEnrich

/// Writes generated accounts and transactions as the demo's CSV files (see ``FraudDataset``): timestamps as
/// RFC 3339 UTC seconds, amounts and risk scores from integers, so the bytes never depend on float printing.
struct FraudDatasetWriter {
    /// Epoch milliseconds of the first day's midnight.
    let start: Int64
    let merchants: FraudMerchants

    func dataset(accounts: [Account], transactions: [Transaction]) -> FraudDataset {
        var accountsCSV = Array(
            "account_id,timestamp,account_age_days,credit_limit,international_enabled,home_country\n".utf8)
        let registered = RFC3339.string(epochMilliseconds: start - FraudDataConfiguration.dayMilliseconds)
        for account in accounts {
            let line =
                "\(account.id),\(registered),\(account.ageDays),\(account.creditLimit),"
                + "\(account.international ? 1 : 0),\(account.country)\n"
            accountsCSV.append(contentsOf: line.utf8)
        }
        var transactionsCSV = Array(
            "transaction_id,account_id,timestamp,amount,merchant_id,merchant_category,merchant_risk,is_foreign\n".utf8)
        var labelsCSV = Array("transaction_id,account_id,timestamp,is_fraud\n".utf8)
        var fraudCount = 0
        for (index, transaction) in transactions.enumerated() {
            let id = "T" + Self.padded(index + 1, 7)
            let account = accounts[transaction.account].id
            let time = RFC3339.string(epochMilliseconds: start + transaction.second * 1000)
            let merchant = transaction.merchant
            let category = FraudMerchantCategory.all[merchants.categories[merchant]].name
            let line =
                "\(id),\(account),\(time),\(Self.decimal(transaction.cents, places: 2)),M\(Self.padded(merchant + 1, 4)),"
                + "\(category),\(Self.decimal(merchants.riskPerMille[merchant], places: 3)),"
                + "\(transaction.foreign ? 1 : 0)\n"
            transactionsCSV.append(contentsOf: line.utf8)
            labelsCSV.append(contentsOf: "\(id),\(account),\(time),\(transaction.fraud ? 1 : 0)\n".utf8)
            if transaction.fraud { fraudCount += 1 }
        }
        return FraudDataset(
            accountsCSV: accountsCSV, transactionsCSV: transactionsCSV, labelsCSV: labelsCSV,
            transactionCount: transactions.count, fraudCount: fraudCount)
    }

    /// `value` zero-padded to `width` digits.
    static func padded(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    /// A non-negative integer scaled by 10^-places as decimal text (`12345, 2` → `123.45`).
    static func decimal(_ value: Int, places: Int) -> String {
        var scale = 1
        for _ in 0..<places { scale *= 10 }
        return "\(value / scale)." + padded(value % scale, places)
    }
}
