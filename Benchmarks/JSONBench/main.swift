// JSON benchmark: our reader/writer vs Foundation's JSONSerialization and Codable on Open Inference
// Protocol request bodies. Run with `swift run -c release JSONBench` (or scripts/bench-json.sh).
import Foundation
import ServingGraph

/// One row of the results table.
struct Row {
    let label: String
    let microseconds: Double
}

let stopwatch = Stopwatch()
let decoder = JSONDecoder()
let encoder = JSONEncoder()

for (name, text) in [("1x4 request", BenchmarkInput.small), ("100x50 request", BenchmarkInput.large())] {
    let bytes = Array(text.utf8)
    let data = Data(bytes)
    guard let parsed = try? JSONParser.parse(bytes), JSONWriter.bytes(parsed) == bytes else {
        print("error: \(name) does not round-trip through JSONParser/JSONWriter")
        exit(1)
    }
    var rows: [Row] = []
    rows.append(Row(label: "ours: parse", microseconds: stopwatch.microsecondsPerOperation {
        bytes.withUnsafeBytes { buffer in
            (try? JSONParser.parse(buffer)).map { if case .object(let o) = $0 { o.count } else { 0 } } ?? -1
        }
    }))
    rows.append(Row(label: "ours: serialize", microseconds: stopwatch.microsecondsPerOperation {
        JSONWriter.bytes(parsed).count
    }))
    rows.append(Row(label: "ours: parse+serialize", microseconds: stopwatch.microsecondsPerOperation {
        bytes.withUnsafeBytes { buffer in
            (try? JSONParser.parse(buffer)).map { JSONWriter.bytes($0).count } ?? -1
        }
    }))
    rows.append(Row(label: "JSONSerialization: parse+serialize", microseconds: stopwatch.microsecondsPerOperation {
        guard let object = try? JSONSerialization.jsonObject(with: data),
            let out = try? JSONSerialization.data(withJSONObject: object)
        else { return -1 }
        return out.count
    }))
    let codable = stopwatch.microsecondsPerOperation {
        guard let request = try? decoder.decode(InferenceRequest.self, from: data),
            let out = try? encoder.encode(request)
        else { return -1 }
        return out.count
    }
    rows.append(Row(label: "Codable: decode+encode", microseconds: codable))

    print("\n### \(name) (\(bytes.count) bytes)\n")
    print("| operation | µs/op | MB/s | Codable ÷ this |")
    print("| --- | ---: | ---: | ---: |")
    for row in rows {
        let megabytesPerSecond = Double(bytes.count) / row.microseconds
        print(
            "| \(row.label) | \(String(format: "%.3f", row.microseconds)) | \(String(format: "%.0f", megabytesPerSecond)) | "
                + "\(String(format: "%.1f×", codable / row.microseconds)) |"
        )
    }
}
print("\n(checksum \(sinkTotal))")
