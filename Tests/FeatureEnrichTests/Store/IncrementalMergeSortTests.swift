import Testing

@testable import FeatureEnrich

/// ``IncrementalMergeSort``: sorted a run per call, read back merged in order, its read position restorable.
struct IncrementalMergeSortTests {
    static func values(_ count: Int, seed: UInt64) -> [Int] {
        var random = SplitMix(seed: seed)
        return (0..<count).map { _ in Int(random.next() % 1_000) }
    }

    @Test(arguments: [(0, 4), (1, 4), (7, 3), (64, 64), (65, 64), (1_000, 17), (5_000, 2_048)])
    func readsEveryElementInOrderAfterOneSortedRunPerCall(count: Int, runLength: Int) {
        let input = Self.values(count, seed: UInt64(count * 31 + runLength))
        let sort = IncrementalMergeSort(input, runLength: runLength, by: <)
        var calls = 0
        while !sort.isReady {
            #expect(sort.next(10).isEmpty)
            sort.sortNextRun()
            calls += 1
        }
        #expect(calls == (count + runLength - 1) / runLength)
        var output: [Int] = []
        while sort.remaining > 0 {
            let chunk = sort.next(37)
            #expect(!chunk.isEmpty)
            output += chunk
        }
        #expect(output == input.sorted())
        #expect(sort.next(5).isEmpty)
    }

    @Test func aRestoredPositionReadsTheSameElementsAgain() {
        let input = Self.values(300, seed: 9)
        let sort = IncrementalMergeSort(input, runLength: 50, by: <)
        while !sort.isReady { sort.sortNextRun() }
        let first = sort.next(40)
        let saved = sort.position
        let taken = sort.next(100)
        #expect(sort.remaining == 160)
        sort.restore(saved)
        #expect(sort.remaining == 260)
        #expect(sort.next(100) == taken)
        #expect(first + taken + sort.next(1_000) == input.sorted())
    }
}
