import ServingGraph

// In-process overhead of the graph walk: µs per event through a 5-step flow of built-in steps
// (Rename → Defaults → Compute → Select → ToTensor), and through 5 no-op steps for the walk alone.
// Usage: swift run -c release GraphBench [events]
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

func measure(_ label: String, _ graph: CompiledGraph, body: Value, events: Int) throws {
    var checksum = 0
    for _ in 0..<1000 { checksum &+= try graph.run(Event(body: body, id: "warm")).body.typeName.count }
    var best = Double.infinity
    for _ in 0..<5 {
        let start = nowNanoseconds()
        for _ in 0..<events { checksum &+= try graph.run(Event(body: body, id: "e")).body.typeName.count }
        let micros = Double(nowNanoseconds() - start) / 1000 / Double(events)
        best = min(best, micros)
    }
    print("\(label): \(String(best).prefix(6)) µs/event (best of 5 × \(events) events; checksum \(checksum % 10))")
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
    try measure("5 built-in steps", builtins, body: body, events: events)
    let noop = Graph.flow()
    noop.to(PassStep(name: "a")).to(PassStep(name: "b")).to(PassStep(name: "c")).to(PassStep(name: "d"))
        .to(PassStep(name: "e"))
    try measure("5 no-op steps   ", noop.compile(), body: body, events: events)
} catch {
    print("GraphBench failed: \(error)")
    exit(1)
}
