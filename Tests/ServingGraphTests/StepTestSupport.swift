import ServingGraph

/// User-written steps the graph tests compose (they are steps a user would write, not mocks).

/// Appends `tag` to the body's `trace` array.
struct TagStep: Step {
    let name: String
    func run(_ event: Event) throws -> Event {
        guard case .object(var object) = event.body else { throw ServingError.invalidInput("\(name): not an object") }
        var trace = object["trace"]?.arrayValue ?? []
        trace.append(.string(name))
        object["trace"] = .array(trace)
        var out = event
        out.body = .object(object)
        return out
    }
}

/// Adds `amount` to the number at body key `field`.
struct AddStep: Step {
    let name: String
    let field: String
    let amount: Int64
    func run(_ event: Event) throws -> Event {
        guard case .object(var object) = event.body, let value = object[field]?.intValue else {
            throw ServingError.invalidInput("\(name): '\(field)' is not an integer")
        }
        object[field] = .int(value + amount)
        var out = event
        out.body = .object(object)
        return out
    }
}

/// Always throws `error`.
struct FailStep: Step {
    let name: String
    var error: ServingError = .invalidInput("bad amount")
    func run(_ event: Event) throws -> Event { throw error }
}

/// An error handler: answers with the failing step, the error and the body it received.
struct CatchStep: Step {
    let name: String
    func run(_ event: Event) throws -> Event {
        var out = event
        out.body = [
            "caught_by": .string(name),
            "origin": event.originStep.map(Value.string) ?? .null,
            "error": event.error.map { .string("\($0)") } ?? .null,
            "entered": event.body,
        ]
        out.error = nil
        return out
    }
}

/// Marks the event terminated after tagging it.
struct StopStep: Step {
    let name: String
    func run(_ event: Event) throws -> Event {
        var out = try TagStep(name: name).run(event)
        out.isTerminated = true
        return out
    }
}

/// Records every body it sees into a shared log; lets a test see what a non-responding branch did.
final class BodyLog {
    var bodies: [Value] = []
}

struct RecordStep: Step {
    let name: String
    let log: BodyLog
    func run(_ event: Event) throws -> Event {
        log.bodies.append(event.body)
        return event
    }
}

/// Echoes the route it was given and the path it saw.
struct EchoRouteStep: Step {
    let name: String
    func run(_ event: Event) throws -> Event {
        var out = event
        out.body = ["route": .string(name), "path": .string(event.path)]
        return out
    }
}

extension StepRegistry {
    /// The standard registry plus the test steps above, as a user would register their own.
    static var withTestSteps: StepRegistry {
        var registry = StepRegistry.standard
        registry.register("Tag") { args, context in
            try args.rejectUnknown([])
            return TagStep(name: context.name)
        }
        registry.register("Add") { args, context in
            guard let field = try args.string("field") else { throw args.invalid("field", "missing required argument") }
            guard let amount = args.optional("amount")?.intValue else {
                throw args.invalid("amount", "expected an integer")
            }
            return AddStep(name: context.name, field: field, amount: amount)
        }
        registry.register("Fail") { _, context in FailStep(name: context.name) }
        registry.register("Catch") { _, context in CatchStep(name: context.name) }
        registry.register("Echo") { _, context in EchoRouteStep(name: context.name) }
        return registry
    }
}
