import Testing

@testable import FeatureEnrich

/// ``KeyOrder``: the byte order of keys from their first 16 bytes, falling back to the whole key.
struct KeyOrderTests {
    static func keys() -> [String] {
        var random = SplitMix(seed: 17)
        let alphabet = Array("ab0189:_é€Z")
        var keys = ["", "a", "ab", "4:acct1", "4:acct10", "4:acct100000000000", "4:acct100000000001", "4:acct99"]
        for _ in 0..<400 {
            let length = Int(random.next() % 24)
            keys.append(String((0..<length).map { _ in alphabet[Int(random.next() % UInt64(alphabet.count))] }))
        }
        return keys
    }

    @Test func ordersKeysAsTheirUTF8BytesDo() {
        let keys = Self.keys()
        for left in keys {
            for right in keys {
                let expected: Bool? =
                    left == right ? nil : left.utf8.lexicographicallyPrecedes(right.utf8)
                #expect(
                    KeyOrder.precedes(KeyOrder(left), left, KeyOrder(right), right) == expected,
                    "\(left) vs \(right)")
            }
        }
    }
}
