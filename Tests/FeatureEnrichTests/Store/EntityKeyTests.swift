import FeatureEnrich
import ServingGraph
import Testing

/// The canonical text of entity keys: the single-part and int64 shortcuts spell what the general form spells.
struct EntityKeyTests {
    @Test(arguments: [0, 7, -1, 9, 10, 99_999, 123_456_789_012, -123_456_789_012, Int64.max, Int64.min])
    func int64KeyEqualsTheKeyOfItsDecimalText(_ value: Int64) {
        #expect(EntityKey(int64: value) == EntityKey(parts: [String(value)]))
        #expect(EntityKey(int64: value).encoded == "\(String(value).utf8.count):\(value)")
    }

    @Test func singlePartKeyEqualsTheOnePartKey() {
        #expect(EntityKey(part: "acct5") == EntityKey(parts: ["acct5"]))
        #expect(EntityKey(parts: ["a", "bc"]).encoded == "1:a2:bc")
        #expect(EntityKey(parts: ["ab", "c"]) != EntityKey(parts: ["a", "bc"]))
    }

    @Test(arguments: [
        "", "a", "acct42", "123456789", "1234567890", String(repeating: "x", count: 99),
        String(repeating: "y", count: 100), "ü-ß", "🙂 key",
    ])
    func singlePartKeyIsTheLengthPrefixedPart(_ part: String) {
        #expect(EntityKey(part: part) == EntityKey(parts: [part]))
        #expect(EntityKey(part: part).encoded == "\(part.utf8.count):\(part)")
    }

    @Test func readerBuildsTheSameKeyForAnIntegerItsTextAndAWholeDouble() throws {
        let entities = [EntityColumn(name: "customer_id", type: .int64)]
        let fromInt = try EntityKeyReader.key(entities: entities, path: "entities") { _ in .int(42) }
        let fromText = try EntityKeyReader.key(entities: entities, path: "entities") { _ in .string("42") }
        let fromDouble = try EntityKeyReader.key(entities: entities, path: "entities") { _ in .double(42) }
        #expect(fromInt == EntityKey(parts: ["42"]))
        #expect(fromText == fromInt && fromDouble == fromInt)
        #expect {
            try EntityKeyReader.key(entities: entities, path: "entities") { _ in .null }
        } throws: { error in
            "\(error)" == "entities.customer_id: missing entity key"
        }
    }
}
