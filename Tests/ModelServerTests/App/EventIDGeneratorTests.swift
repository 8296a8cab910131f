import Testing

@testable import ModelServer

/// Per-loop event ids: MLRun's shape, distinct, no system call per id.
struct EventIDGeneratorTests {
    @Test func idsAre32LowercaseHexDigitsAndDistinct() {
        var generator = EventIDGenerator()
        let ids = (0..<1000).map { _ in generator.next() }
        #expect(Set(ids).count == ids.count)
        for id in ids.prefix(20) {
            #expect(id.utf8.count == 32)
            #expect(id.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) })
        }
        #expect(ids[0].hasSuffix("0000000000000001"))
        #expect(ids[0].prefix(16) == ids[999].prefix(16))
    }
}
