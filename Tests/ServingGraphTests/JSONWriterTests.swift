import Testing
import ServingGraph

struct JSONWriterTests {
    @Test func writesCompactObjectsAndArraysInMemberOrder() {
        let value: Value = ["id": "1", "outputs": [1, 2.5, nil, true, false], "empty": [], "o": ["z": 1, "a": 2]]
        #expect(JSONWriter.string(value) == #"{"id":"1","outputs":[1,2.5,null,true,false],"empty":[],"o":{"z":1,"a":2}}"#)
        #expect(JSONWriter.string(.object(ValueObject())) == "{}")
    }

    @Test func escapesQuotesBackslashesAndControlCharacters() {
        let value: Value = .string("q\"b\\s/n\nr\rt\tb\u{8}f\u{C}z\u{0}e\u{1F}d\u{7F}")
        #expect(value.jsonString == #""q\"b\\s/n\nr\rt\tb\bf\fz\u0000e\u001fd\#u{7F}""#)
    }

    @Test func writesNonASCIIAsRawUTF8() {
        let text = "é中😀\u{2028}"
        #expect(JSONWriter.bytes(.string(text)) == Array("\"\(text)\"".utf8))
    }

    @Test(arguments: [Int64.min, -1, 0, 7, 10, 1_000_000, .max])
    func writesIntegersExactly(_ integer: Int64) {
        #expect(JSONWriter.string(.int(integer)) == String(integer))
    }

    @Test(arguments: [
        (1.0, "1.0"), (-0.0, "-0.0"), (0.0, "0.0"), (0.1, "0.1"), (-2.5, "-2.5"), (1e15, "1000000000000000.0"),
        (1e16, "1e+16"), (1e-5, "1e-05"), (123_456.789, "123456.789"), (.leastNonzeroMagnitude, "5e-324"),
        (1.7976931348623157e308, "1.7976931348623157e+308"), (0.7341200113296509, "0.7341200113296509"),
    ])
    func writesDoublesInShortestRoundTripForm(_ number: Double, _ text: String) throws {
        let written = JSONWriter.string(.double(number))
        #expect(written == text)
        let reread = try JSONParser.parse(written)
        #expect(reread.doubleValue?.bitPattern == number.bitPattern)
    }

    /// The writer's fast paths must print exactly the digits of `Double.description`, the reference
    /// shortest round-trip form, for every kind of double (short decimals, FP32 values, full-precision
    /// bits at every scale).
    @Test func writesFiniteDoublesExactlyAsDescriptionDoes() {
        var generator = JSONValueGenerator(seed: 2024)
        var random = JSONTestRandom(seed: 5)
        for round in 0..<60_000 {
            let number: Double
            switch round % 4 {
            case 0: number = generator.double()
            case 1: number = Double(Float(bitPattern: UInt32(truncatingIfNeeded: random.next())))
            case 2:
                let digits = Double(Int64.random(in: -999_999_999_999_999...999_999_999_999_999, using: &random))
                number = digits / pow10(Int.random(in: 0...22, using: &random))
            default:
                number = Double.random(in: 1...10, using: &random) * pow10(Int.random(in: -6...17, using: &random))
            }
            guard number.isFinite else { continue }
            let written = JSONWriter.string(.double(number))
            #expect(written == number.description, "bits \(number.bitPattern)")
        }
    }

    private func pow10(_ exponent: Int) -> Double {
        (0..<abs(exponent)).reduce(1.0) { value, _ in exponent < 0 ? value / 10 : value * 10 }
    }

    @Test(arguments: [Double.nan, .infinity, -.infinity, -.nan])
    func writesNonFiniteDoublesAsNull(_ number: Double) {
        #expect(JSONWriter.string([.double(number)]) == "[null]")
    }

    @Test func appendsToAnExistingBuffer() {
        var buffer = Array("prefix:".utf8)
        JSONWriter.write(["a": [1]], into: &buffer)
        #expect(String(decoding: buffer, as: UTF8.self) == #"prefix:{"a":[1]}"#)
    }
}
