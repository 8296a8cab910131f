/// Elements put in order a slice at a time, then read back merged, in order: a flush round orders tens of
/// thousands of keys without holding one commit (and the requests waiting for it) for the whole sort.
///
/// ``sortNextRun()`` sorts the next ``runLength`` elements in place (one call per commit); once every run is
/// sorted (``isReady``), ``next(_:)`` takes the smallest remaining elements through a heap of run heads. The read
/// position can be saved and restored (``position``), so a commit that fails gives its elements back.
///
/// A class: the elements are sorted in place across calls without copy-on-write of a shared buffer.
final class IncrementalMergeSort<Element> {
    /// Where reading stands: each run's next index and the heap of runs by their next element.
    struct Position {
        fileprivate var cursors: [Int]
        fileprivate var heap: [Int]
    }

    private var elements: [Element]
    private let areInIncreasingOrder: (Element, Element) -> Bool
    /// Elements per run.
    let runLength: Int
    private var sortedRuns = 0
    private var runCount: Int { (elements.count + runLength - 1) / runLength }
    /// The read position (valid once ready).
    private(set) var position = Position(cursors: [], heap: [])

    /// `elements`, to be ordered by `areInIncreasingOrder` `runLength` at a time.
    init(_ elements: [Element], runLength: Int, by areInIncreasingOrder: @escaping (Element, Element) -> Bool) {
        self.elements = elements
        self.runLength = max(1, runLength)
        self.areInIncreasingOrder = areInIncreasingOrder
        if elements.isEmpty { startReading() }
    }

    /// All elements, read or not.
    var count: Int { elements.count }

    /// Whether every run is sorted (``next(_:)`` may be called).
    var isReady: Bool { sortedRuns == runCount }

    /// Elements not read yet.
    var remaining: Int {
        guard isReady else { return elements.count }
        var total = 0
        for run in 0..<runCount { total += end(of: run) - position.cursors[run] }
        return total
    }

    /// Sorts the next run when some are left, and tells whether every run is sorted now: one step per commit.
    func advance() -> Bool {
        sortNextRun()
        return isReady
    }

    /// Sorts the next run; the last one makes the sort ready to read.
    func sortNextRun() {
        guard !isReady else { return }
        let start = sortedRuns * runLength
        elements[start..<min(elements.count, start + runLength)].sort(by: areInIncreasingOrder)
        sortedRuns += 1
        if isReady { startReading() }
    }

    /// Up to `count` of the smallest elements not read yet, in order (none before ``isReady``).
    func next(_ count: Int) -> [Element] {
        guard isReady else { return [] }
        var taken: [Element] = []
        taken.reserveCapacity(min(count, elements.count))
        while taken.count < count, let run = position.heap.first {
            taken.append(elements[position.cursors[run]])
            position.cursors[run] += 1
            if position.cursors[run] == end(of: run) {
                let last = position.heap.removeLast()
                if !position.heap.isEmpty {
                    position.heap[0] = last
                    siftDown(0)
                }
            } else {
                siftDown(0)
            }
        }
        return taken
    }

    /// Goes back to `saved` (a ``position`` read earlier).
    func restore(_ saved: Position) {
        position = saved
    }

    private func end(of run: Int) -> Int { min(elements.count, (run + 1) * runLength) }

    private func head(_ run: Int) -> Element { elements[position.cursors[run]] }

    private func startReading() {
        position.cursors = (0..<runCount).map { $0 * runLength }
        position.heap = Array(0..<runCount)
        for index in stride(from: position.heap.count / 2 - 1, through: 0, by: -1) { siftDown(index) }
    }

    private func siftDown(_ start: Int) {
        var index = start
        let count = position.heap.count
        while true {
            let left = 2 * index + 1
            guard left < count else { return }
            var smallest = left
            let right = left + 1
            if right < count && areInIncreasingOrder(head(position.heap[right]), head(position.heap[left])) {
                smallest = right
            }
            guard areInIncreasingOrder(head(position.heap[smallest]), head(position.heap[index])) else { return }
            position.heap.swapAt(index, smallest)
            index = smallest
        }
    }
}
