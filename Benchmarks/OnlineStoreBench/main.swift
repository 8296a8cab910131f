// The online store in process: real-time ingest events/s through SQLiteOnlineStore (sharded memory + store
// writer + group commit, every event durable before its completion) and memory per key held in the store.
//
//   swift run -c release OnlineStoreBench [keys] [eventsPerKey]      (defaults 100000 10)
//
// Memory: VmRSS after opening the store and after `keys` keys × `eventsPerKey` events (10 minutes apart, so
// each event opens its own 10-minute bucket: the sparse worst case), divided by the keys.
import Dispatch
import FeatureEnrich
import Glibc
import ServingGraph

func residentBytes() -> Int {
    guard let file = fopen("/proc/self/status", "r") else { return 0 }
    defer { fclose(file) }
    var line = [CChar](repeating: 0, count: 256)
    while fgets(&line, Int32(line.count), file) != nil {
        let text = String(decoding: line.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        if text.hasPrefix("VmRSS:") { return (Int(text.filter(\.isNumber)) ?? 0) * 1024 }
    }
    return 0
}

func seconds() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_MONOTONIC, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
}

let arguments = CommandLine.arguments.dropFirst().compactMap { Int($0) }
let keys = arguments.first ?? 100_000
let eventsPerKey = arguments.count > 1 ? arguments[1] : 10
let directory = "/tmp/online-store-bench-\(getpid())"
mkdir(directory, 0o755)
defer {
    for suffix in ["", "-wal", "-shm"] { unlink("\(directory)/store.db\(suffix)") }
    rmdir(directory)
}

let definition = try FeatureSetDefinition(
    jsonText: """
        {"name": "transactions", "entities": [{"name": "key", "type": "string"}], "timestamp_key": "timestamp",
         "features": [{"name": "amount", "type": "double"}],
         "aggregations": [{"name": "amount", "column": "amount",
           "operations": ["count","sum","sqr","min","max","first","last","avg","stdvar","stddev"],
           "windows": ["1h", "24h"], "period": "10m"}]}
        """)
let store = try SQLiteOnlineStore(
    path: "\(directory)/store.db", featureSets: [definition],
    configuration: OnlineStoreConfiguration(maxKeysInMemory: keys * 2))
let before = residentBytes()
let inFlight = DispatchSemaphore(value: 16)
let done = DispatchGroup()
let chunk = 1_000
let start = seconds()
for round in 0..<eventsPerKey {
    for first in stride(from: 0, to: keys, by: chunk) {
        let events: [Value] = (first..<min(first + chunk, keys)).map { key in
            [
                "key": .string("c\(key)"), "timestamp": .int(1_767_225_600 + Int64(round) * 600),
                "amount": .double(Double((key * 7 + round) % 500) / 4),
            ]
        }
        inFlight.wait()
        done.enter()
        try store.ingest(events, into: "transactions") { result in
            if case .failure(let error) = result {
                let message = Array("ingest failed: \(error)\n".utf8)
                _ = message.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
            }
            inFlight.signal()
            done.leave()
        }
    }
}
done.wait()
let elapsed = seconds() - start
let after = residentBytes()
let events = keys * eventsPerKey
print("| measure | value |")
print("| --- | --- |")
print(
    "| real-time ingest, in process (\(events) events, \(keys) keys, durable) | \(Int(Double(events) / elapsed)) events/s |"
)
print(
    "| memory per key in the store (\(eventsPerKey) events, \(eventsPerKey) buckets each) | \((after - before) / keys) bytes |"
)
print("| keys in memory | \(store.keysInMemory) |")
store.close()
