/// One merge of the key index's recent runs into `event_log_keys` (``PendingLogIndex``), spread over commits.
///
/// Each round of the key index appends its sorted rows as a run of `event_log_keys_recent`, at the table's end, so
/// a round no longer writes about one random leaf of `event_log_keys` per event. Once the runs hold enough rows,
/// a merge walks them in key order: each commit (``moveChunk(_:rows:)``) reads the next rows of every run past the
/// last key moved (a seek per run), cuts where the shortest read ends, inserts the rows up to the cut into
/// `event_log_keys` and deletes them from their runs. Insert and delete share the commit, so a reader (base up to the
/// mark plus the listed runs) sees every row exactly once at any point; with a million rows a merge writes each
/// leaf of `event_log_keys` about once.
struct LogKeyRunMerge {
    /// A key row in index order.
    struct Row {
        let featureSet: String
        let key: String
        let time: Int64
        let seq: Int64

        /// Whether `self` comes before `other` in the index's (byte) order.
        func precedes(_ other: Row) -> Bool {
            if featureSet != other.featureSet {
                return featureSet.utf8.lexicographicallyPrecedes(other.featureSet.utf8)
            }
            if key != other.key { return key.utf8.lexicographicallyPrecedes(other.key.utf8) }
            if time != other.time { return time < other.time }
            return seq < other.seq
        }

        /// Before every row.
        static let start = Row(featureSet: "", key: "", time: .min, seq: .min)
    }

    /// The runs merged and their row counts when the merge began (the mark then bounds them all).
    let runs: [(run: Int64, rows: Int)]
    /// Runs with rows left past ``moved``, with their row counts when the merge began.
    private var active: [(run: Int64, rows: Int)]
    /// Every row of ``runs`` up to it is in `event_log_keys`.
    private(set) var moved = Row.start
    private let totalRows: Int

    /// A merge of `runs` (complete runs, each with its row count).
    init(runs: [(run: Int64, rows: Int)]) {
        self.runs = runs
        self.active = runs
        self.totalRows = max(1, runs.reduce(0) { $0 + $1.rows })
    }

    /// Whether every row of ``runs`` was moved.
    var isDone: Bool { active.isEmpty }

    /// Moves about `rows` of the next rows (in key order) from the runs into `event_log_keys`, in the running
    /// transaction; when the last are moved, drops the runs from `log_key_runs`. Returns the rows moved.
    @discardableResult
    mutating func moveChunk(_ connection: SQLiteConnection, rows: Int) throws -> Int {
        var read: [(run: (run: Int64, rows: Int), rows: [Row], exhausted: Bool)] = []
        var cut: Row?
        for run in active {
            let limit = rows * run.rows / totalRows + 8
            let next = try StoreStatements.recentKeys(connection, run: run.run, after: moved, limit: limit)
            let exhausted = next.count < limit
            if !exhausted, let last = next.last, cut.map({ last.precedes($0) }) ?? true { cut = last }
            read.append((run, next, exhausted))
        }
        var movedRows: [Row] = []
        var stillActive: [(run: Int64, rows: Int)] = []
        for (run, next, exhausted) in read {
            let taken = cut.map { cut in next.prefix { !cut.precedes($0) } } ?? next[...]
            movedRows.append(contentsOf: taken)
            try StoreStatements.deleteRecentKeys(connection, run: run.run, after: moved, through: cut)
            if !exhausted || taken.count < next.count { stillActive.append(run) }
        }
        movedRows.sort { $0.precedes($1) }
        try StoreStatements.insertMovedKeys(connection, movedRows)
        if let cut { moved = cut }
        active = stillActive
        if active.isEmpty, let last = runs.last?.run {
            try StoreStatements.dropRecentRuns(connection, through: last)
        }
        return movedRows.count
    }
}
