import ServingGraph

// In-process overhead of the graph walk: µs per event through a 5-step flow of built-in steps
// (Rename → Defaults → Compute → Select → ToTensor), and through 5 no-op steps for the walk alone
// (event creation, walk, per-step timing into the graph's metrics). Prints a Markdown table and
// the command. Usage: swift run -c release GraphBench [events]  (scripts/bench-graph.sh pins it to a CPU)
#if canImport(Glibc)
    import Glibc
#endif

struct PassStep: Step {
    let name: String
    func run(_ event: Event) throws -> Event { event }
}

func nowNanoseconds() -> UInt64 {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
}

/// Best-of-5 µs per event through `graph`.
func measure(_ graph: CompiledGraph, body: Value, events: Int) throws -> Double {
    var checksum = 0
    for _ in 0..<1000 { checksum &+= try graph.run(Event(body: body, id: "warm")).body.typeName.count }
    var best = Double.infinity
    for _ in 0..<5 {
        let start = nowNanoseconds()
        for _ in 0..<events { checksum &+= try graph.run(Event(body: body, id: "e")).body.typeName.count }
        let micros = Double(nowNanoseconds() - start) / 1000 / Double(events)
        best = min(best, micros)
    }
    if checksum == 42 { print("") }  // keeps the results live
    return best
}

func row(_ label: String, _ micros: Double) {
    let rounded = (micros * 1000).rounded() / 1000
    print("| \(label) | \(rounded) |")
}

let events = CommandLine.arguments.count > 1 ? Int(CommandLine.arguments[1]) ?? 100_000 : 100_000
let spec = """
    {"steps": {
      "rename": {"class_name": "Rename", "class_args": {"mapping": {"amt": "amount"}}},
      "defaults": {"class_name": "Defaults", "class_args": {"values": {"amount_avg_1h": 10}}, "after": ["rename"]},
      "compute": {"class_name": "Compute", "after": ["defaults"],
                  "class_args": {"expressions": {"ratio": "amount / amount_avg_1h", "big": "amount > 100"}}},
      "select": {"class_name": "Select", "class_args": {"fields": ["amount", "ratio", "amount_avg_1h"]}, "after": ["compute"]},
      "tensor": {"class_name": "ToTensor", "class_args": {"fields": ["amount", "ratio", "amount_avg_1h"]},
                 "after": ["select"], "responder": true}}}
    """
do {
    let builtins = try GraphSpec(json: spec).makeGraph(registry: .standard).compile()
    let body: Value = ["amt": 54.21, "customer_id": "c0001", "amount_avg_1h": 20.5]
    let builtinMicros = try measure(builtins, body: body, events: events)
    let noop = Graph.flow()
    noop.to(PassStep(name: "a")).to(PassStep(name: "b")).to(PassStep(name: "c")).to(PassStep(name: "d"))
        .to(PassStep(name: "e"))
    let noopMicros = try measure(noop.compile(), body: body, events: events)
    print("| flow (in-process, best of 5 × \(events) events) | µs/event |")
    print("| --- | ---: |")
    row("5 built-in steps: Rename → Defaults → Compute → Select → ToTensor", builtinMicros)
    row("5 no-op steps (event + walk + per-step metrics)", noopMicros)
    print("")
    print("command: swift run -c release GraphBench \(events)")
} catch {
    print("GraphBench failed: \(error)")
    exit(1)
}
