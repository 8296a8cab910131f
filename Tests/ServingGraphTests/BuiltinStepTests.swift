import Testing

@testable import ServingGraph

#if canImport(Glibc)
    import Glibc
#endif

/// Each built-in step run from its documented JSON example.
struct BuiltinStepTests {
    /// Runs `body` through a one-step graph `{"class_name": className, "class_args": args}`.
    private func run(_ className: String, _ args: String, _ body: Value) throws -> Value {
        let json = #"{"steps": {"s": {"class_name": "\#(className)", "class_args": \#(args)}}}"#
        return try GraphTester(spec: GraphSpec(json: json)).test(body: body)
    }

    private func loadError(_ className: String, _ args: String) -> String? {
        let json = #"{"steps": {"s": {"class_name": "\#(className)", "class_args": \#(args)}}}"#
        do {
            _ = try GraphSpec(json: json).makeGraph(registry: .standard).compile()
            return nil
        } catch {
            return "\(error)"
        }
    }

    @Test func renameKeepsFieldPositions() throws {
        let out = try run("Rename", #"{"mapping": {"amt": "amount", "cust": "customer_id"}}"#, ["amt": 5, "x": 1])
        #expect(out == ["amount": 5, "x": 1])
    }

    @Test func selectKeepsListedFieldsInListedOrder() throws {
        let out = try run(
            "Select", #"{"fields": ["amount", "customer_id", "absent"]}"#, ["customer_id": "c1", "x": 1, "amount": 5])
        #expect(out == ["amount": 5, "customer_id": "c1"])
    }

    @Test func defaultsFillMissingAndNullFieldsOnly() throws {
        let out = try run("Defaults", #"{"values": {"country": "US", "amount": 0, "n": 9}}"#, ["amount": nil, "n": 1])
        #expect(out == ["amount": 0, "n": 1, "country": "US"])
    }

    @Test func dropFeaturesRemovesListedFields() throws {
        let out = try run("DropFeatures", #"{"features": ["ssn", "raw_text"]}"#, ["ssn": "x", "amount": 5])
        #expect(out == ["amount": 5])
    }

    @Test func toTensorBuildsOneRowFromAnObject() throws {
        let out = try run(
            "ToTensor", #"{"fields": ["amount", "amount_avg_1h"], "name": "x", "datatype": "FP64"}"#,
            ["amount": 5, "amount_avg_1h": 2.5, "other": "x"])
        #expect(out == ["inputs": [["name": "x", "shape": [1, 2], "datatype": "FP64", "data": [5.0, 2.5]]]])
    }

    @Test func toTensorBuildsNRowsFromAListRowMajor() throws {
        let out = try run(
            "ToTensor", #"{"fields": ["b", "a"], "datatype": "INT64"}"#, [["a": 1, "b": 2], ["a": 3, "b": 4.0]])
        #expect(out == ["inputs": [["name": "input", "shape": [2, 2], "datatype": "INT64", "data": [2, 1, 4, 3]]]])
    }

    @Test func toTensorRejectsAMissingFieldNamingRowAndField() {
        #expect(throws: ServingError.invalidInput("step 's': row 1 has no numeric 'a' (got null)")) {
            try run("ToTensor", #"{"fields": ["a"]}"#, [["a": 1], ["a": nil]])
        }
        #expect(
            loadError("ToTensor", #"{"fields": ["a"], "datatype": "BYTES"}"#)
                == "graph.steps.s.class_args.datatype: unsupported datatype 'BYTES' (FP64, FP32 or INT64)")
    }

    @Test func appendJSONLWritesOneLinePerEventAndPassesTheEventOn() throws {
        let path = "/tmp/graph-append-\(Event.makeID()).jsonl"
        defer { unlink(path) }
        let tester = try GraphTester(
            spec: GraphSpec(
                json: #"{"steps": {"s": {"class_name": "AppendJSONL", "class_args": {"path": "\#(path)"}}}}"#))
        #expect(try tester.test(body: ["n": 1]) == ["n": 1])
        #expect(try tester.test(body: ["s": "a\nb"]) == ["s": "a\nb"])
        let text = try readFile(path)
        #expect(text == "{\"n\":1}\n{\"s\":\"a\\nb\"}\n")
    }

    @Test func appendJSONLFailsAtLoadForAnUnopenablePath() {
        #expect(
            loadError("AppendJSONL", #"{"path": "/nonexistent-dir/x.jsonl"}"#)
                == "graph.steps.s.class_args.path: cannot open '/nonexistent-dir/x.jsonl' for appending: No such file or directory"
        )
    }

    @Test func mapValuesWithOriginalFeaturesAddsSuffixedFieldsFirst() throws {
        let args =
            #"{"mapping": {"age": {"U": "0"}, "amount": {"ranges": {"low": ["-inf", 100], "high": [100, "inf"]}}}, "with_original_features": true}"#
        let out = try run("MapValues", args, ["age": "U", "amount": 150, "x": 1])
        #expect(out == ["age_mapped": "0", "amount_mapped": "high", "age": "U", "amount": 150, "x": 1])
    }

    @Test func mapValuesWithoutOriginalFeaturesKeepsOnlyMappedFieldsAsMLRunDoes() throws {
        let out = try run(
            "MapValues", #"{"mapping": {"not": {"0": 1, "1": 0}, "age": {"U": "0"}}}"#, ["not": 1, "age": "40", "x": 1])
        #expect(out == ["not": 0, "age": "40"])
    }

    @Test func imputerFillsNullsPerFieldElseWithTheDefault() throws {
        let out = try run(
            "Imputer", #"{"default_value": 0, "mapping": {"country": "US"}, "method": "avg"}"#,
            ["country": nil, "amount": nil, "n": 2])
        #expect(out == ["country": "US", "amount": 0, "n": 2])
        let untouched = try run("Imputer", #"{"mapping": {"country": "US"}}"#, ["amount": nil])
        #expect(untouched == ["amount": nil])
    }

    @Test func oneHotEncoderReplacesFieldsWithSanitizedCategoryColumns() throws {
        let args = #"{"mapping": {"category": ["food", "health care"], "code": [1, 2]}}"#
        let out = try run("OneHotEncoder", args, ["category": "health care", "n": 1, "code": 2])
        #expect(out == ["category_food": 0, "category_health_care": 1, "n": 1, "code_1": 0, "code_2": 1])
        let unknown = try run("OneHotEncoder", args, ["category": "toys"])
        #expect(unknown == ["category_food": 0, "category_health_care": 0])
        #expect(
            loadError("OneHotEncoder", #"{"mapping": {"c": [1.5]}}"#)
                == "graph.steps.s.class_args.mapping.c: expected an array of string or integer categories")
    }

    @Test func dateExtractorAddsPartsOfAnISOTimestamp() throws {
        let args =
            #"{"parts": ["hour", "day_of_week", "year", "month", "day", "day_of_year", "quarter", "week", "is_leap_year", "days_in_month"], "timestamp_col": "timestamp"}"#
        let out = try run("DateExtractor", args, ["timestamp": "2026-01-01T00:06:16+00:00"])
        #expect(out["timestamp_hour"] == 0)
        #expect(out["timestamp_day_of_week"] == 3)
        #expect(out["timestamp_year"] == 2026)
        #expect(out["timestamp_month"] == 1)
        #expect(out["timestamp_day"] == 1)
        #expect(out["timestamp_day_of_year"] == 1)
        #expect(out["timestamp_quarter"] == 1)
        #expect(out["timestamp_week"] == 1)
        #expect(out["timestamp_is_leap_year"] == false)
        #expect(out["timestamp_days_in_month"] == 31)
    }

    @Test(arguments: [
        ("2024-02-29T23:59:59Z", "day_of_week", Value.int(3)),
        ("2021-01-03", "week", Value.int(53)),
        ("2024-12-30 10:00", "week", Value.int(1)),
        ("2024-02-29", "is_month_end", Value.bool(true)),
        ("2024-09-30", "is_quarter_end", Value.bool(true)),
        ("2024-12-31T08:00:00.250-05:00", "hour", Value.int(8)),
        ("2024-12-31T08:00:00.250-05:00", "microsecond", Value.int(250_000)),
    ])
    func dateExtractorMatchesPandasParts(timestamp: String, part: String, expected: Value) throws {
        let out = try run("DateExtractor", #"{"parts": ["\#(part)"], "timestamp_col": "t"}"#, ["t": .string(timestamp)])
        #expect(out["t_\(part)"] == expected)
    }

    @Test func dateExtractorReadsEpochSecondsAsUTC() throws {
        let out = try run(
            "DateExtractor", #"{"parts": ["year", "month", "day", "hour", "minute", "second"]}"#,
            ["timestamp": 1_767_225_976])
        #expect(
            out == [
                "timestamp": 1_767_225_976, "timestamp_year": 2026, "timestamp_month": 1, "timestamp_day": 1,
                "timestamp_hour": 0, "timestamp_minute": 6, "timestamp_second": 16,
            ])
    }

    @Test func dateExtractorRejectsUnknownPartsAtLoadAndBadTimestampsPerEvent() {
        #expect(
            loadError("DateExtractor", #"{"parts": ["asm8"]}"#)
                == "graph.steps.s.class_args.parts: unsupported date part 'asm8'")
        #expect(throws: ServingError.invalidInput("step 's': 'timestamp' is not an ISO 8601 timestamp")) {
            try run("DateExtractor", #"{"parts": ["hour"]}"#, ["timestamp": "2026-13-01"])
        }
    }

    @Test func objectStepsRejectANonObjectBody() {
        #expect(throws: ServingError.invalidInput("step 's' expects an object body, got array")) {
            try run("Rename", #"{"mapping": {}}"#, [1])
        }
    }

    private func readFile(_ path: String) throws -> String {
        guard let file = fopen(path, "r") else { throw ServingError.notFound(path) }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = fread(&buffer, 1, buffer.count, file)
            if n <= 0 { break }
            bytes += buffer[0..<n]
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
