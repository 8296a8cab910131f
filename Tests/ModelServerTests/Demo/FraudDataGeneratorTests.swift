import FeatureEnrich
import Foundation
import Testing

@testable import ModelServer

/// The fraud demo's data generator: determinism, file shapes, and a fraud signal windows can see.
struct FraudDataGeneratorTests {
    static func small(seed: UInt64 = 42) -> FraudDataConfiguration {
        var configuration = FraudDataConfiguration()
        configuration.seed = seed
        configuration.accounts = 150
        configuration.merchants = 40
        configuration.days = 4
        return configuration
    }

    /// The rows of a CSV (header dropped), split on commas (the demo's files quote nothing).
    static func rows(_ bytes: [UInt8]) -> [[String]] {
        String(decoding: bytes, as: UTF8.self).split(separator: "\n").dropFirst().map {
            $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        }
    }

    @Test func splitMix64MatchesTheReferenceSequenceForSeedZero() {
        // Vigna's reference splitmix64.c, x = 0: the first two outputs.
        var random = SplitMix64(seed: 0)
        #expect(random.next() == 0xE220_A839_7B1D_CDAF)
        #expect(random.next() == 0x6E78_9E6A_A1B9_65F4)
    }

    @Test func sameSeedGivesByteIdenticalFilesAndAnotherSeedDifferentOnes() {
        let first = FraudDataGenerator(Self.small()).generate()
        let second = FraudDataGenerator(Self.small()).generate()
        let other = FraudDataGenerator(Self.small(seed: 43)).generate()
        #expect(first == second)
        #expect(first.transactionsCSV != other.transactionsCSV)
        #expect(first.labelsCSV != other.labelsCSV)
    }

    @Test func transactionsAreInTimeOrderWithinTheDaysAndUniquePerAccountSecond() throws {
        let configuration = Self.small()
        let dataset = FraudDataGenerator(configuration).generate()
        let transactions = Self.rows(dataset.transactionsCSV)
        let labels = Self.rows(dataset.labelsCSV)
        #expect(transactions.count == dataset.transactionCount)
        #expect(labels.count == transactions.count)
        #expect(Self.rows(dataset.accountsCSV).count == configuration.accounts)
        var previous = Int64.min
        var seen = Set<String>()
        for (transaction, label) in zip(transactions, labels) {
            let time = try TimestampParser.epochMilliseconds(transaction[2])
            #expect(time >= previous)
            #expect(time >= configuration.startMilliseconds && time < configuration.endMilliseconds)
            previous = time
            #expect(seen.insert(transaction[1] + "@" + transaction[2]).inserted)
            #expect(label[0] == transaction[0] && label[1] == transaction[1] && label[2] == transaction[2])
        }
        let frauds = labels.filter { $0[3] == "1" }.count
        #expect(frauds == dataset.fraudCount)
        #expect(frauds > 0 && frauds * 20 < labels.count)
    }

    @Test func fraudulentTransactionsFollowMoreRecentActivityOnTheirAccount() throws {
        let dataset = FraudDataGenerator(Self.small()).generate()
        var recent: [String: [Int64]] = [:]
        var fraudBursts = 0.0
        var honestBursts = 0.0
        var frauds = 0.0
        var honest = 0.0
        for label in Self.rows(dataset.labelsCSV) {
            let time = try TimestampParser.epochMilliseconds(label[2])
            let window = (recent[label[1]] ?? []).filter { time - $0 <= 600_000 }
            recent[label[1]] = window + [time]
            if label[3] == "1" {
                frauds += 1
                fraudBursts += Double(window.count)
            } else {
                honest += 1
                honestBursts += Double(window.count)
            }
        }
        // Transactions in the account's previous ten minutes: what `amount_count_10m` counts.
        #expect(fraudBursts / frauds > 5 * (honestBursts / honest))
    }
}
