// JSON benchmark: our reader/writer vs Foundation's JSONSerialization and Codable on Open Inference
// Protocol request bodies. Run with `swift run -c release JSONBench` (or scripts/bench-json.sh);
// `JSONBench "<label>"` runs only the operation with that label, e.g. "ours: parse" (for profiling).
import Foundation
import ServingGraph

/// One row of the results table.
struct Row {
    let label: String
    let microseconds: Double
}

let stopwatch = Stopwatch()
let filter = CommandLine.arguments.dropFirst().first

/// Median µs/op of `body`, or nil when a label was given on the command line and this is not it.
func measure(_ label: String, _ body: () -> Int) -> Row? {
    if let filter, label != filter { return nil }
    return Row(label: label, microseconds: stopwatch.microsecondsPerOperation(body))
}
let decoder = JSONDecoder()
let encoder = JSONEncoder()

for (name, text) in [("1x4 request", BenchmarkInput.small), ("100x50 request", BenchmarkInput.large())] {
    let bytes = Array(text.utf8)
    let data = Data(bytes)
    guard let parsed = try? JSONParser.parse(bytes), JSONWriter.bytes(parsed) == bytes else {
        print("error: \(name) does not round-trip through JSONParser/JSONWriter")
        exit(1)
    }
    var rows: [Row?] = []
    rows.append(measure("ours: parse") {
        bytes.withUnsafeBytes { buffer in
            (try? JSONParser.parse(buffer)).map { if case .object(let o) = $0 { o.count } else { 0 } } ?? -1
        }
    })
    rows.append(measure("ours: serialize") {
        JSONWriter.bytes(parsed).count
    })
    rows.append(measure("ours: parse+serialize") {
        bytes.withUnsafeBytes { buffer in
            (try? JSONParser.parse(buffer)).map { JSONWriter.bytes($0).count } ?? -1
        }
    })
    rows.append(measure("JSONSerialization: parse+serialize") {
        guard let object = try? JSONSerialization.jsonObject(with: data),
            let out = try? JSONSerialization.data(withJSONObject: object)
        else { return -1 }
        return out.count
    })
    let codable = measure("Codable: decode+encode") {
        guard let request = try? decoder.decode(InferenceRequest.self, from: data),
            let out = try? encoder.encode(request)
        else { return -1 }
        return out.count
    }
    rows.append(codable)

    print("\n### \(name) (\(bytes.count) bytes)\n")
    print("| operation | µs/op | MB/s | Codable ÷ this |")
    print("| --- | ---: | ---: | ---: |")
    for row in rows.compactMap({ $0 }) {
        let megabytesPerSecond = Double(bytes.count) / row.microseconds
        let ratio = codable.map { String(format: "%.1f×", $0.microseconds / row.microseconds) } ?? "n/a"
        print(
            "| \(row.label) | \(String(format: "%.3f", row.microseconds)) | \(String(format: "%.0f", megabytesPerSecond)) | "
                + "\(ratio) |"
        )
    }
}
print("\n(checksum \(sinkTotal))")
