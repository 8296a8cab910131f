import FeatureEnrich
import ServingGraph
import Testing

/// A training set large enough to be formatted in several blocks on two threads is written byte for byte as one
/// thread writing row after row would write it, in order, in chunks of about the writer's chunk size.
struct TrainingSetWriterTests {
    /// Rows spanning five blocks (the last one partial) of mixed values: short and long doubles, integers, nulls,
    /// strings that need quoting and booleans.
    private static func largeSet(rows: Int) -> TrainingSet {
        var random = SeededRandom(seed: 41)
        var tableRows: [EntityTable.Row] = []
        var values: [Value] = []
        for row in 0..<rows {
            let extra = row % 7 == 0 ? "a,\"b\"" : "e\(random.next(upTo: 1000))"
            tableRows.append(EntityTable.Row(fields: ["k\(row % 97)", "\(row)", extra], line: row + 2, time: 0))
            values.append(.double(Double(random.next(upTo: 1_000_000)) / 1000))
            values.append(.double(Double(random.next(upTo: 1_000_000)) / 7))
            values.append(row % 5 == 0 ? .null : .int(Int64(random.next(upTo: 100_000)) - 50_000))
            values.append(row % 11 == 0 ? .string("x\ny") : .bool(row % 2 == 0))
        }
        let table = EntityTable(source: "e.csv", columns: ["key", "timestamp", "extra"], rows: tableRows)
        return TrainingSet(table: table, featureColumns: ["f", "g", "h", "i"], values: values)
    }

    /// The CSV of `set` built field by field with the quoting rule written out, independently of the writer.
    private static func expectedCSV(_ set: TrainingSet) -> String {
        func quoted(_ field: String) -> String {
            guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return field }
            return "\"" + field.replacing("\"", with: "\"\"") + "\""
        }
        var text = set.columns.map(quoted).joined(separator: ",") + "\n"
        for index in set.table.rows.indices {
            let features = set.featureValues(ofRow: index).map { value -> String in
                switch value {
                case .null: ""
                case .string(let string): quoted(string)
                default: JSONWriter.string(value)
                }
            }
            text += (set.table.rows[index].fields.map(quoted) + features).joined(separator: ",") + "\n"
        }
        return text
    }

    @Test func csvOfSeveralBlocksEqualsTheRowByRowTextInOrder() {
        let set = Self.largeSet(rows: 4 * TrainingSetWriter.rowsPerBlock + 123)
        var chunks: [[UInt8]] = []
        TrainingSetWriter(format: .csv, chunkBytes: 4096).write(set) { chunks.append($0) }
        #expect(String(decoding: chunks.joined(), as: UTF8.self) == Self.expectedCSV(set))
        #expect(chunks.allSatisfy { !$0.isEmpty })
        // A chunk only passes the chunk size by the one row that crossed it.
        #expect(chunks.allSatisfy { $0.count < 4096 + 256 })
    }

    @Test func jsonLinesOfSeveralBlocksEqualOneObjectPerRowInOrder() {
        let set = Self.largeSet(rows: 2 * TrainingSetWriter.rowsPerBlock + 1)
        var bytes: [UInt8] = []
        TrainingSetWriter(format: .jsonl).write(set) { bytes += $0 }
        let expected = set.table.rows.indices.map { JSONWriter.string(.object(set.object(ofRow: $0))) + "\n" }
        #expect(String(decoding: bytes, as: UTF8.self) == expected.joined())
    }

    @Test func neverHandsTheSinkAnEmptyChunkWhenABlockEndsOnAChunkBoundary() {
        // With a chunk size of one byte every row fills a chunk, so each block ends exactly on a boundary.
        let set = Self.largeSet(rows: 2 * TrainingSetWriter.rowsPerBlock + 1)
        var chunks: [[UInt8]] = []
        TrainingSetWriter(format: .csv, chunkBytes: 1).write(set) { chunks.append($0) }
        #expect(chunks.allSatisfy { !$0.isEmpty })
        #expect(String(decoding: chunks.joined(), as: UTF8.self) == Self.expectedCSV(set))
    }
}
