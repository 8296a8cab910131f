// StoreBench: group-committed small inserts through the StoreWriter.
//
// Each of --threads submitters keeps up to --in-flight inserts waiting for their commit (as an event
// loop keeps requests waiting), until --rows rows are in `event_log`. Prints rows/s, batches and
// submit-to-completion latency percentiles. Run a release build:
//
//   swift run -c release StoreBench --rows 200000 --threads 2 --in-flight 64
//
// `--direct` is the baseline without the writer: one thread inserts the same rows straight into a
// SQLiteConnection, `--batch` rows per transaction, no savepoints, no hand-off.
import Dispatch
import FeatureEnrich
import Foundation
import Synchronization

struct Options {
    var rows = 200_000
    var threads = 2
    var inFlight = 64
    var batch = 1024
    var delayMicroseconds = 0
    var synchronous = SQLiteConfiguration.Synchronous.normal
    var directory = NSTemporaryDirectory()
    var direct = false

    static func parse(_ arguments: [String]) -> Options? {
        var options = Options()
        var iterator = arguments.makeIterator()
        while let flag = iterator.next() {
            if flag == "--direct" {
                options.direct = true
                continue
            }
            guard let value = iterator.next() else { return nil }
            switch flag {
            case "--rows": options.rows = Int(value) ?? -1
            case "--threads": options.threads = Int(value) ?? -1
            case "--in-flight": options.inFlight = Int(value) ?? -1
            case "--batch": options.batch = Int(value) ?? -1
            case "--delay-us": options.delayMicroseconds = Int(value) ?? -1
            case "--sync":
                guard let mode = SQLiteConfiguration.Synchronous(rawValue: value.uppercased()) else { return nil }
                options.synchronous = mode
            case "--dir": options.directory = value
            default: return nil
            }
        }
        let positive = [options.rows, options.threads, options.inFlight, options.batch]
        return positive.allSatisfy({ $0 > 0 }) && options.delayMicroseconds >= 0 ? options : nil
    }
}

func nowNanoseconds() -> UInt64 { DispatchTime.now().uptimeNanoseconds }

/// User + system CPU seconds of the whole process so far (all threads).
func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    let user = Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
    let system = Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
    return user + system
}

guard let options = Options.parse(Array(CommandLine.arguments.dropFirst())) else {
    print(
        "usage: StoreBench [--rows N] [--threads N] [--in-flight N] [--batch N] [--delay-us N]"
            + " [--sync normal|full] [--dir PATH] [--direct]")
    exit(2)
}

let directory = "\(options.directory)/storebench-\(UUID().uuidString)"
try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(atPath: directory) }

let insertSQL =
    "INSERT INTO event_log (feature_set, entity_key, event_ts_ms, ingested_at_ms, event) VALUES (?, ?, ?, ?, ?)"

if options.direct {
    let connection = try SQLiteConnection(
        path: "\(directory)/store.db", configuration: SQLiteConfiguration(synchronous: options.synchronous))
    try StoreSchema.migrator.migrate(connection, nowMilliseconds: 0)
    let start = nowNanoseconds()
    let startCPU = cpuSeconds()
    var item = 0
    while item < options.rows {
        let end = min(options.rows, item + options.batch)
        try connection.inTransaction {
            for row in item..<end {
                let key = "card-\(row % 10_000)"
                let event = "{\"card\":\"\(key)\",\"amount\":\(row % 977).25,\"merchant\":\"m\(row % 31)\"}"
                try connection.cachedStatement(sql: insertSQL).execute([
                    .text("transactions"), .text(key), .integer(Int64(row)),
                    .integer(Int64(nowNanoseconds() / 1_000_000)), .text(event),
                ])
            }
            return .commit
        }
        item = end
    }
    let elapsed = Double(nowNanoseconds() - start) / 1e9
    print(
        String(
            format: "direct rows=%d batch=%d sync=%@  %.0f rows/s  %.3f s  cpu %.2f us/row", options.rows,
            options.batch, options.synchronous.rawValue, Double(options.rows) / elapsed, elapsed,
            (cpuSeconds() - startCPU) * 1e6 / Double(options.rows)))
    exit(0)
}

let writer = try StoreWriter(
    path: "\(directory)/store.db",
    configuration: StoreWriterConfiguration(
        connection: SQLiteConfiguration(synchronous: options.synchronous),
        maxBatchItems: options.batch,
        maxBatchDelayMicroseconds: options.delayMicroseconds))

let latencies = Mutex<[UInt64]>([])
latencies.withLock { $0.reserveCapacity(options.rows) }
let failures = Atomic<Int>(0)

let start = nowNanoseconds()
let startCPU = cpuSeconds()
DispatchQueue.concurrentPerform(iterations: options.threads) { thread in
    let slots = DispatchSemaphore(value: options.inFlight)
    let count = options.rows / options.threads + (thread < options.rows % options.threads ? 1 : 0)
    for item in 0..<count {
        slots.wait()
        let submitted = nowNanoseconds()
        let key = "card-\(item % 10_000)"
        let event = "{\"card\":\"\(key)\",\"amount\":\(item % 977).25,\"merchant\":\"m\(item % 31)\"}"
        writer.submit({ connection in
            try connection.cachedStatement(sql: insertSQL).execute([
                .text("transactions"), .text(key), .integer(Int64(item)), .integer(Int64(submitted / 1_000_000)),
                .text(event),
            ])
        }) { result in
            let latency = nowNanoseconds() - submitted
            if case .failure = result { failures.add(1, ordering: .relaxed) }
            latencies.withLock { $0.append(latency) }
            slots.signal()
        }
    }
    // Wait for this thread's last items, then give the permits back: libdispatch traps when a
    // semaphore is released holding fewer permits than it was created with.
    for _ in 0..<options.inFlight { slots.wait() }
    for _ in 0..<options.inFlight { slots.signal() }
}
let elapsed = Double(nowNanoseconds() - start) / 1e9
let cpuMicrosecondsPerRow = (cpuSeconds() - startCPU) * 1e6 / Double(options.rows)
let statistics = writer.statistics
writer.close()

let sorted = latencies.withLock { $0.sorted() }
func percentile(_ p: Double) -> String {
    guard !sorted.isEmpty else { return "-" }
    let index = min(sorted.count - 1, Int(Double(sorted.count) * p))
    return String(format: "%.0f", Double(sorted[index]) / 1000)
}
print(
    String(
        format: "rows=%d threads=%d in_flight=%d batch=%d delay_us=%d sync=%@  %.0f rows/s  %.3f s  cpu %.2f us/row",
        options.rows, options.threads, options.inFlight, options.batch, options.delayMicroseconds,
        options.synchronous.rawValue, Double(options.rows) / elapsed, elapsed, cpuMicrosecondsPerRow))
print(
    String(
        format: "commits=%d avg_batch=%.1f largest_batch=%d failed=%d  latency_us p50=%@ p99=%@ p999=%@",
        statistics.commits, statistics.averageBatchSize, statistics.largestBatch, failures.load(ordering: .relaxed),
        percentile(0.5), percentile(0.99), percentile(0.999)))
