import Dispatch
import Foundation
import Testing

@testable import FeatureEnrich
@testable import ModelServer
@testable import ServingGraph

/// Answers exactly its `class_args` `answer` object, after waiting for gate `wait_for` (if given)
/// and before signalling gate `signal` (if given); the test's user-written step.
private struct AnswerStep: Step {
    let name: String
    let answer: Value
    let waitFor: String?
    let signal: String?

    func run(_ event: Event) throws -> Event {
        var output = event
        output.body = answer
        if let waitFor {
            // Bounded: a route that never gets its signal answers that it did not see it.
            let saw = ParallelRunTests.gates.gate(for: waitFor).release.wait(timeout: .now() + 20) == .success
            output.body = .object(
                ValueObject((answer.objectValue?.members.map { ($0, $1) } ?? []) + [("saw", .bool(saw))]))
        }
        if let signal { ParallelRunTests.gates.gate(for: signal).release.signal() }
        return output
    }
}

/// Fails the way user code fails: `kind` `bug` throws a plain error (500), `refuse` a 400.
private struct FailingStep: Step {
    struct Bug: Error, CustomStringConvertible {
        var description: String { "disk on fire" }
    }

    let name: String
    let kind: String

    func run(_ event: Event) throws -> Event {
        if kind == "refuse" { throw ServingError.invalidInput("amount is missing") }
        throw Bug()
    }
}

/// Stands for a step that wrote to the store: answers `{"wrote": true}` with a commit ticket that
/// already failed, as a failed store commit does.
private struct FailedCommitStep: Step {
    let name: String

    func run(_ event: Event) throws -> Event {
        let ticket = CommitTicket()
        ticket.complete(.failure(ServingError.internalFailure("commit failed")))
        var output = event
        output.body = ["wrote": true]
        output[CommitTicketKey.self] = ticket
        return output
    }
}

/// Triples `inputs`; declared blocking in the graphs below, so it answers through the deferred path.
private final class TripleModel: V2ModelServer {
    override func predict(_ request: InferenceRequest) throws -> [Tensor] {
        [Tensor(name: "y", shape: [1], doubles: try request.input("inputs").doubles().map { $0 * 3 })]
    }
}

/// MLRun's `ParallelRun` (reference/mlrun.md §2.2) served over real sockets: merges in declaration
/// order, reports failed routes, runs routes concurrently on the thread executor.
@Suite(.serialized)
struct ParallelRunTests {
    static let gates = GateRegistry()

    private func registry() -> StepRegistry {
        var registry = StepRegistry.serving()
        registry.register("Answer") { args, context in
            AnswerStep(
                name: context.name, answer: args.optional("answer") ?? [:], waitFor: try args.string("wait_for"),
                signal: try args.string("signal"))
        }
        registry.register("Failing") { args, context in
            FailingStep(name: context.name, kind: try args.string("kind") ?? "bug")
        }
        registry.register("FailedCommit") { _, context in FailedCommitStep(name: context.name) }
        registry.registerModel("Triple") { name, args in TripleModel(name: name, classArgs: args) }
        return registry
    }

    private func serve(_ routes: String, classArgs: String = "{}", _ body: (Int) throws -> Void) throws {
        let graph = ServingHarness.router(routes, classArgs: classArgs, className: "ParallelRun")
        try ServingHarness.withServer(graphJSON: graph, registry: registry(), loops: 1) { port, _ in try body(port) }
    }

    private let ratioAndTotal = """
        {"ratio": {"class_name": "Compute", "class_args": {"expressions": {"ratio": "a / b"}}},
         "total": {"class_name": "Compute", "class_args": {"expressions": {"total": "a + b"}}}}
        """

    @Test(arguments: ["thread", "array"])
    func mergesEveryRoutesAnswerKeyByKey(executor: String) throws {
        try serve(ratioAndTotal, classArgs: #"{"executor_type": "\#(executor)"}"#) { port in
            let (status, answer) = try ServingHarness.post(port, "/", #"{"a": 1, "b": 4}"#)
            #expect(status == 200)
            // Each Compute answers the body plus its field; the merge keeps one of each key, in first-seen order.
            #expect(answer == ["a": 1, "b": 4, "ratio": 0.25, "total": 5])
        }
    }

    @Test func extendEventStartsTheMergeFromTheRequestBody() throws {
        let routes = """
            {"first": {"class_name": "Answer", "class_args": {"answer": {"score": 1, "first": true}}},
             "second": {"class_name": "Answer", "class_args": {"answer": {"second": true}}}}
            """
        try serve(routes, classArgs: #"{"extend_event": true}"#) { port in
            let (status, answer) = try ServingHarness.post(port, "/", #"{"id": "r1", "score": 0}"#)
            #expect(status == 200)
            #expect(answer == ["id": "r1", "score": 1, "first": true, "second": true])
        }
        try serve(routes) { port in
            let (_, answer) = try ServingHarness.post(port, "/", #"{"id": "r1", "score": 0}"#)
            #expect(answer == ["score": 1, "first": true, "second": true])
        }
    }

    @Test func aLaterDeclaredRouteWinsAKeyEvenWhenItFinishesFirst() throws {
        // `slow` is declared first and waits until `fast` has run, so `fast` finishes first; MLRun's
        // completion-order merge would give `slow`'s value, declaration order gives `fast`'s.
        let routes = """
            {"slow": {"class_name": "Answer", "class_args": {"answer": {"who": "slow"}, "wait_for": "fast-ran"}},
             "fast": {"class_name": "Answer", "class_args": {"answer": {"who": "fast"}, "signal": "fast-ran"}}}
            """
        try serve(routes, classArgs: #"{"executor_type": "thread", "timeout": 60}"#) { port in
            let (status, answer) = try ServingHarness.post(port, "/", "{}")
            #expect(status == 200)
            #expect(answer == ["who": "fast", "saw": true])  // `saw`: the routes ran at the same time
        }
    }

    @Test func sequentialExecutorAlsoMergesInDeclarationOrder() throws {
        let routes = """
            {"b": {"class_name": "Answer", "class_args": {"answer": {"who": "b", "b": 1}}},
             "a": {"class_name": "Answer", "class_args": {"answer": {"who": "a", "a": 1}}}}
            """
        try serve(routes, classArgs: #"{"executor_type": "array"}"#) { port in
            let (_, answer) = try ServingHarness.post(port, "/", "{}")
            #expect(answer == ["who": "a", "b": 1, "a": 1])
        }
    }

    @Test(arguments: ["thread", "array"])
    func failedRoutesAreReportedWithTheirStatusWhileTheOthersMerge(executor: String) throws {
        let routes = """
            {"ratio": {"class_name": "Compute", "class_args": {"expressions": {"ratio": "a / b"}}},
             "broken": {"class_name": "Failing", "class_args": {"kind": "bug"}},
             "picky": {"class_name": "Failing", "class_args": {"kind": "refuse"}}}
            """
        try serve(routes, classArgs: #"{"executor_type": "\#(executor)"}"#) { port in
            let (status, answer) = try ServingHarness.post(port, "/", #"{"a": 1, "b": 2}"#)
            #expect(status == 200)
            #expect(
                answer == [
                    "a": 1, "b": 2, "ratio": 0.5,
                    "errors": [
                        "broken": ["status": 500, "error": "disk on fire"],
                        "picky": ["status": 400, "error": "amount is missing"],
                    ],
                ])
        }
    }

    @Test func whenEveryRouteFailsTheRequestFailsWithTheFirstRoutesStatus() throws {
        let routes = """
            {"picky": {"class_name": "Failing", "class_args": {"kind": "refuse"}},
             "broken": {"class_name": "Failing", "class_args": {"kind": "bug"}}}
            """
        try serve(routes) { port in
            let (status, answer) = try ServingHarness.post(port, "/", "{}")
            #expect(status == 400)
            #expect(answer["error"] == "amount is missing")
        }
    }

    @Test func aRoutePastTheTimeoutIsReportedAs504AndTheOthersStillAnswer() throws {
        let routes = """
            {"stuck": {"class_name": "Answer", "class_args": {"answer": {"late": true}, "wait_for": "unstick"}},
             "quick": {"class_name": "Answer", "class_args": {"answer": {"quick": true}}}}
            """
        try serve(routes, classArgs: #"{"timeout": 0.2}"#) { port in
            let (status, answer) = try ServingHarness.post(port, "/", "{}")
            Self.gates.gate(for: "unstick").release.signal()  // lets the stuck route finish
            #expect(status == 200)
            #expect(answer["quick"] == true)
            #expect(answer["late"] == nil)
            #expect(answer["errors"]?["stuck"]?["status"] == 504)
            let message = answer["errors"]?["stuck"]?["error"]?.stringValue ?? ""
            #expect(message.contains("route 'stuck'"))
        }
    }

    @Test(arguments: ["thread", "array"])
    func aBlockingModelRouteAnswersThroughTheDeferredPath(executor: String) throws {
        let routes = """
            {"triple": {"class_name": "Triple", "class_args": {"blocking": true}},
             "total": {"class_name": "Compute", "class_args": {"expressions": {"total": "a + b"}}}}
            """
        try serve(routes, classArgs: #"{"executor_type": "\#(executor)"}"#) { port in
            let (status, answer) = try ServingHarness.post(port, "/", #"{"id": "q1", "inputs": [2], "a": 1, "b": 2}"#)
            #expect(status == 200)
            #expect(answer["outputs"] == [6.0])
            #expect(answer["model_name"] == "triple")
            #expect(answer["total"] == 3)
            #expect(answer["id"] == "q1")
        }
    }

    @Test(arguments: [("thread", false), ("array", false), ("thread", true), ("array", true)])
    func aRoutesStoreCommitIsWaitedForAndItsFailureFailsTheRequest(executor: String, withBlockingModel: Bool) throws {
        let blocking =
            withBlockingModel ? #", "triple": {"class_name": "Triple", "class_args": {"blocking": true}}"# : ""
        let routes = #"{"writer": {"class_name": "FailedCommit"}\#(blocking)}"#
        try serve(routes, classArgs: #"{"executor_type": "\#(executor)"}"#) { port in
            let (status, answer) = try ServingHarness.post(port, "/", #"{"inputs": [1]}"#)
            #expect(status == 500)
            #expect(answer["error"] == "commit failed")
        }
    }

    @Test func modelRoutesGetTheOperationOfTheirPath() throws {
        let routes =
            #"{"m1": {"class_name": "Triple"}, "tag": {"class_name": "Answer", "class_args": {"answer": {"tag": 1}}}}"#
        try serve(routes) { port in
            let (status, answer) = try ServingHarness.post(port, "/v2/models/router/infer", #"{"inputs": [1]}"#)
            #expect(status == 200)
            #expect(answer["outputs"] == [3.0])
            #expect(answer["tag"] == 1)
            #expect(try ServingHarness.get(port, "/v2/models").1 == ["models": ["m1", "tag"]])
        }
    }

    @Test(arguments: [
        (#"{"executor_type": "process"}"#, "not supported"),
        (#"{"executor_type": "fiber"}"#, "expected thread or array"),
        (#"{"timeout": 0}"#, "timeout"), (#"{"extend": true}"#, "unknown argument"),
    ])
    func badArgumentsAreRejectedAtLoad(classArgs: String, message: String) {
        let graph = ServingHarness.router(ratioAndTotal, classArgs: classArgs, className: "ParallelRun")
        #expect {
            try ServingHarness.withServer(graphJSON: graph, registry: registry()) { _, _ in }
        } throws: { error in
            "\(error)".contains(message)
        }
    }

    @Test func theExampleGraphMergesTwoComputedFeaturesAndTheModelIntoTheRequest() throws {
        let path = ServingHarness.path("examples/graphs/parallel-run.json")
        try ServingHarness.withServer(graphPath: path, loops: 1) { port, _ in
            let (status, answer) = try ServingHarness.post(
                port, "/", #"{"id": "t1", "amount": 1500, "amount_avg": 500, "inputs": [[1, 2, 3, 4]]}"#)
            #expect(status == 200)
            #expect(answer["id"] == "t1")
            #expect(answer["amount"] == 1500)
            #expect(answer["amount_vs_avg"] == 3.0)
            #expect(answer["is_big"] == true)
            // 0.8·1 − 0.5·2 + 1.2·3 + 0.3·4 − 0.1 = 4.5
            let probability = answer["outputs"]?.arrayValue?.first?.doubleValue ?? 0
            #expect(abs(probability - 1 / (1 + exp(-4.5))) < 1e-12)
            let (_, partial) = try ServingHarness.post(port, "/", #"{"amount": 20, "amount_avg": 40}"#)
            #expect(partial["amount_vs_avg"] == 0.5)
            #expect(partial["errors"]?["fraud"]?["status"] == 400)
        }
    }

    @Test func aRouteNameUsedTwiceIsRejectedInSwift() throws {
        let step = try ComputeStep(name: "c", expressions: [("x", "1")])
        #expect(throws: GraphError.self) { try ParallelRun(name: "p", routes: [("c", step), ("c", step)]) }
    }

    @Test func aSwiftBuiltFlowContinuesAfterTheParallelRun() throws {
        let graph = Graph.flow()
        graph.to(
            try ParallelRun(
                name: "features",
                routes: [
                    ("ratio", try ComputeStep(name: "ratio", expressions: [("ratio", "a / b")])),
                    ("total", try ComputeStep(name: "total", expressions: [("total", "a + b")])),
                ], extendsEvent: true)
        ).to(try ComputeStep(name: "score", expressions: [("score", "ratio * total")])).respond()
        let answer = try GraphTester(graph: graph).test(path: "/", body: ["a": 1, "b": 4])
        #expect(answer == ["a": 1, "b": 4, "ratio": 0.25, "total": 5, "score": 1.25])
    }
}
