/// Connection deadlines in a binary min-heap: O(log n) to arm, O(1) to find the next one, no scan of all
/// connections per tick (redis `ae` scans; we do not).
///
/// Entries are not removed when a deadline moves: a connection keeps at most one live entry (the earliest
/// it asked for), and when an entry fires the connection's state machine says whether its deadline really
/// passed or moved later (then it is re-armed). Stale entries of closed connections are recognised by the
/// connection id and dropped. Loop-confined.
struct HTTPTimerHeap {
    /// One armed deadline.
    struct Entry: Equatable {
        let deadline: Int64
        let token: HTTPConnectionToken
    }

    private var entries: [Entry] = []

    /// Number of entries, stale ones included.
    var count: Int { entries.count }

    /// The earliest deadline, if any.
    var nextDeadline: Int64? { entries.first?.deadline }

    /// Adds a deadline.
    mutating func schedule(_ token: HTTPConnectionToken, at deadline: Int64) {
        entries.append(Entry(deadline: deadline, token: token))
        var child = entries.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard entries[child].deadline < entries[parent].deadline else { break }
            entries.swapAt(child, parent)
            child = parent
        }
    }

    /// Removes and returns the earliest entry if its deadline is at or before `now`.
    mutating func popExpired(now: Int64) -> Entry? {
        guard let first = entries.first, first.deadline <= now else { return nil }
        let last = entries.removeLast()
        guard !entries.isEmpty else { return first }
        entries[0] = last
        var parent = 0
        while true {
            let left = 2 * parent + 1
            let right = left + 1
            var smallest = parent
            if left < entries.count && entries[left].deadline < entries[smallest].deadline { smallest = left }
            if right < entries.count && entries[right].deadline < entries[smallest].deadline { smallest = right }
            guard smallest != parent else { break }
            entries.swapAt(parent, smallest)
            parent = smallest
        }
        return first
    }
}
