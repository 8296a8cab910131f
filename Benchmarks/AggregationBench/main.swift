// In-process throughput and memory of the aggregation engine (FeatureSetAggregator + EntityState).
//
//   swift run -c release AggregationBench [events] [keys] [memoryKeys]
//
// Throughput: `events` events over `keys` keys (states in an array indexed by key, so no hashing is
// measured), 10 operations × windows 1h and 24h, sliding (period 10m) and fixed, the row of every event
// computed. Events advance over 48 h (like tools/gen_events.py); "5% late" moves 5% of them 1–90 min back.
// Memory: VmRSS before and after `memoryKeys` keys × 10 events each, per key.
import FeatureEnrich
import Glibc

// `AggregationBench --replay FS.json EVENTS.csv`: times AggregationReplay (CSV → JSON lines) instead.
if CommandLine.arguments.count == 4, CommandLine.arguments[1] == "--replay" {
    let definition = try FeatureSetDefinition(contentsOfFile: CommandLine.arguments[2])
    var bytes = 0
    let clock = ContinuousClock()
    let start = clock.now
    let summary = try AggregationReplay.run(
        featureSet: definition, csvPath: CommandLine.arguments[3], skipBadRows: false
    ) { bytes += $0.utf8.count + 1 }
    let elapsed = clock.now - start
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    print("| rows | keys | seconds | rows/s | output MB |")
    print("|---:|---:|---:|---:|---:|")
    print(
        "| \(summary.rowsRead) | \(summary.keys) | \((seconds * 1000).rounded() / 1000) "
            + "| \(Int(Double(summary.rowsRead) / seconds)) | \(bytes / 1_000_000) |")
    exit(0)
}

let arguments = CommandLine.arguments.dropFirst().compactMap { Int($0) }
let eventCount = arguments.count > 0 ? arguments[0] : 1_000_000
let keyCount = arguments.count > 1 ? arguments[1] : 10_000
let memoryKeyCount = arguments.count > 2 ? arguments[2] : 100_000

/// SplitMix64: deterministic input.
struct Generator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

func definition(sliding: Bool) throws -> FeatureSetDefinition {
    let period = sliding ? "\"10m\"" : "null"
    return try FeatureSetDefinition(
        jsonText: """
            {"name": "bench", "entities": [{"name": "key"}], "timestamp_key": "timestamp",
             "aggregations": [{"name": "amount", "column": "amount",
               "operations": ["count","sum","sqr","min","max","first","last","avg","stdvar","stddev"],
               "windows": ["1h","24h"], "period": \(period)}]}
            """)
}

struct Event {
    let key: Int
    let time: Int64
    let value: Double
}

func makeEvents(count: Int, keys: Int, lateFraction: Double, seed: UInt64) -> [Event] {
    var generator = Generator(state: seed)
    let start: Int64 = 1_767_225_600_000
    let span: Int64 = 48 * 3_600_000
    var events: [Event] = []
    events.reserveCapacity(count)
    for index in 0..<count {
        var time = start + span * Int64(index) / Int64(max(count, 1))
        if Double(generator.next() % 10_000) < lateFraction * 10_000 {
            time -= 60_000 + Int64(generator.next() % 5_340_000)
        }
        let value = Double(generator.next() % 100_000) / 100
        events.append(Event(key: Int(generator.next() % UInt64(keys)), time: time, value: value))
    }
    return events
}

func residentBytes() -> Int {
    guard let file = fopen("/proc/self/status", "r") else { return 0 }
    defer { fclose(file) }
    var line = [CChar](repeating: 0, count: 256)
    while fgets(&line, Int32(line.count), file) != nil {
        let text = String(decoding: line.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        if text.hasPrefix("VmRSS:") {
            let digits = text.filter(\.isNumber)
            return (Int(digits) ?? 0) * 1024
        }
    }
    return 0
}

struct Throughput {
    let label: String
    let eventsPerSecond: Double
    let microsecondsPerEvent: Double
    let bucketsPerKey: Double
    let serializedBytesPerKey: Double
}

func measure(sliding: Bool, lateFraction: Double) throws -> Throughput {
    let aggregator = FeatureSetAggregator(try definition(sliding: sliding))
    let events = makeEvents(count: eventCount, keys: keyCount, lateFraction: lateFraction, seed: 1)
    var states = Array(repeating: aggregator.makeState(), count: keyCount)
    var output: [Double?] = []
    var checksum = 0.0
    let clock = ContinuousClock()
    let start = clock.now
    for event in events {
        aggregator.ingest(at: event.time, aggregationValues: [event.value], into: &states[event.key], output: &output)
        checksum += output[0] ?? 0
    }
    let elapsed = clock.now - start
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    let buckets = states.reduce(0) { $0 + $1.bucketCount }
    let serialized = states.reduce(0) { $0 + $1.serialized().count }
    if checksum.isNaN { print("checksum NaN") }
    return Throughput(
        label: "\(sliding ? "sliding 10m" : "fixed") \(lateFraction > 0 ? "5% late" : "in order")",
        eventsPerSecond: Double(events.count) / seconds, microsecondsPerEvent: seconds * 1e6 / Double(events.count),
        bucketsPerKey: Double(buckets) / Double(keyCount), serializedBytesPerKey: Double(serialized) / Double(keyCount))
}

func memoryPerKey(sliding: Bool) throws -> (bytes: Double, buckets: Double, states: [EntityState]) {
    let aggregator = FeatureSetAggregator(try definition(sliding: sliding))
    let before = residentBytes()
    var states: [EntityState] = []
    states.reserveCapacity(memoryKeyCount)
    var output: [Double?] = []
    var generator = Generator(state: 9)
    for _ in 0..<memoryKeyCount {
        var state = aggregator.makeState()
        var time: Int64 = 1_767_225_600_000 + Int64(generator.next() % 3_600_000)
        for _ in 0..<10 {
            time += Int64(generator.next() % 7_200_000)  // about 10 min–2 h apart: mostly distinct buckets
            aggregator.ingest(
                at: time, aggregationValues: [Double(generator.next() % 1000)], into: &state, output: &output)
        }
        states.append(state)
    }
    let after = residentBytes()
    let buckets = Double(states.reduce(0) { $0 + $1.bucketCount }) / Double(memoryKeyCount)
    return (Double(after - before) / Double(memoryKeyCount), buckets, states)
}

func format(_ value: Double, _ decimals: Int) -> String {
    var scaled = (value * pow(10, Double(decimals))).rounded()
    if !scaled.isFinite { scaled = 0 }
    let text = String(Int64(scaled))
    guard decimals > 0 else { return text }
    let padded = String(repeating: "0", count: max(0, decimals + 1 - text.count)) + text
    return String(padded.dropLast(decimals)) + "." + String(padded.suffix(decimals))
}

// Measured first, in a fresh heap, and each set of states kept alive so freed memory is not reused.
var memoryLines: [String] = []
var keptAlive: [[EntityState]] = []
for sliding in [true, false] {
    let memory = try memoryPerKey(sliding: sliding)
    keptAlive.append(memory.states)
    memoryLines.append(
        "| \(sliding ? "sliding 10m" : "fixed") | \(format(memory.bytes, 0)) | \(format(memory.buckets, 1)) |")
}
print(
    "## Aggregation engine: \(eventCount) events, \(keyCount) keys, 10 ops × (1h, 24h), row computed per event "
        + "(best of 3)\n")
print("| windows | events/s | µs/event | buckets/key at end | serialized bytes/key |")
print("|---|---:|---:|---:|---:|")
for (sliding, late) in [(true, 0.0), (true, 0.05), (false, 0.0), (false, 0.05)] {
    // Best of three: the machine is shared, and the fastest run is the least disturbed one.
    var result = try measure(sliding: sliding, lateFraction: late)
    for _ in 0..<2 {
        let again = try measure(sliding: sliding, lateFraction: late)
        if again.eventsPerSecond > result.eventsPerSecond { result = again }
    }
    print(
        "| \(result.label) | \(format(result.eventsPerSecond, 0)) | \(format(result.microsecondsPerEvent, 3)) "
            + "| \(format(result.bucketsPerKey, 1)) | \(format(result.serializedBytesPerKey, 0)) |")
}
print("\n## Memory: \(memoryKeyCount) keys × 10 events (VmRSS after − before, per key)\n")
print("| windows | bytes/key | buckets/key |")
print("|---|---:|---:|")
for line in memoryLines { print(line) }
print("\ncommand: swift run -c release AggregationBench \(eventCount) \(keyCount) \(memoryKeyCount)")
