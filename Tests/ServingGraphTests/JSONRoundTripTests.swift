import Testing
import ServingGraph

struct JSONRoundTripTests {
    @Test(arguments: [1, 2, 3, 4] as [UInt64])
    func writtenRandomValuesParseBackBitForBit(_ seed: UInt64) throws {
        var generator = JSONValueGenerator(seed: seed)
        for _ in 0..<1500 {
            let original = generator.value()
            let bytes = JSONWriter.bytes(original)
            let parsed = try JSONParser.parse(bytes)
            let expected = jsonRoundTripExpectation(original)
            #expect(bitwiseEqual(parsed, expected), "\(String(decoding: bytes, as: UTF8.self))")
            #expect(JSONWriter.bytes(parsed) == bytes)
        }
    }

    @Test func randomDoublesOfEveryKindSurviveWriteAndParse() throws {
        var generator = JSONValueGenerator(seed: 99)
        for _ in 0..<20_000 {
            let number = generator.double()
            let parsed = try JSONParser.parse(JSONWriter.bytes(.double(number)))
            if number.isFinite {
                #expect(parsed.doubleValue?.bitPattern == number.bitPattern, "\(number)")
                if case .double = parsed {} else { Issue.record("\(number) did not read back as a double") }
            } else {
                #expect(parsed == .null)
            }
        }
    }

    @Test func randomStringsWithControlAndAstralCharactersSurvive() throws {
        var generator = JSONValueGenerator(seed: 7)
        for _ in 0..<3000 {
            let text = generator.string(maxLength: 40)
            let parsed = try JSONParser.parse(JSONWriter.bytes(.string(text)))
            #expect(parsed.stringValue.map { Array($0.utf8) } == Array(text.utf8))
        }
    }

    @Test func int64ExtremesStayExactIntegers() throws {
        for integer in [Int64.min, .min + 1, -1, 0, 1, .max - 1, .max] {
            #expect(try JSONParser.parse(Value.int(integer).jsonString) == .int(integer))
        }
    }

    @Test func deeplyNestedValueSurvivesAtTheDepthLimit() throws {
        var value: Value = ["leaf": 1.5]
        for level in 1..<JSONParser.defaultMaxDepth {
            value = level.isMultiple(of: 2) ? ["k": value] : [value]
        }
        #expect(bitwiseEqual(try JSONParser.parse(JSONWriter.bytes(value)), value))
    }
}
