import Testing

@testable import ServingGraph

struct PlotTests {
    private func sampleGraph() -> Graph {
        let graph = Graph.flow()
        let enrich = graph.to(TagStep(name: "enrich"))
        enrich.to(
            RouterStep(
                name: "router",
                routes: [("m1", EchoRouteStep(name: "model-1")), ("m2", EchoRouteStep(name: "model-2"))])
        ).onError(CatchStep(name: "catch")).respond()
        enrich.to(TagStep(name: "audit"))
        return graph
    }

    @Test func rendersDOTWithShapesPerKindRouteLabelsAndDashedErrorEdges() {
        #expect(
            GraphPlot.dot(sampleGraph()) == """
                digraph {
                  rankdir=TB;
                  "_start" [shape=circle];
                  "enrich" [shape=box];
                  "router" [shape=diamond, peripheries=2];
                  "model-1" [shape=box];
                  "model-2" [shape=box];
                  "catch" [shape=octagon];
                  "audit" [shape=box];
                  "_start" -> "enrich";
                  "enrich" -> "router";
                  "router" -> "catch" [style=dashed];
                  "router" -> "model-1" [label="m1"];
                  "router" -> "model-2" [label="m2"];
                  "enrich" -> "audit";
                }

                """)
    }

    @Test func rendersMermaidWithTheSameStructure() {
        #expect(
            GraphPlot.mermaid(sampleGraph()) == """
                flowchart TD
                  n0(("_start"))
                  n1["enrich"]
                  n2{"router"}
                  n3["model-1"]
                  n4["model-2"]
                  n5{{"catch"}}
                  n6["audit"]
                  n0 --> n1
                  n1 --> n2
                  n2 -.-> n5
                  n2 -->|"m1"| n3
                  n2 -->|"m2"| n4
                  n1 --> n6

                """)
    }

    @Test func drawsTheGraphErrorHandlerFromEveryStepWithoutItsOwn() {
        let graph = Graph.flow()
        graph.to(TagStep(name: "a")).to(TagStep(name: "b"))
        graph.errorHandler(CatchStep(name: "catch"))
        let dot = GraphPlot.dot(graph)
        #expect(dot.contains(#""a" -> "catch" [style=dashed];"#))
        #expect(dot.contains(#""b" -> "catch" [style=dashed];"#))
    }

    @Test func rendersARouterTopologyAndEscapesQuotes() {
        let graph = Graph.router(name: "r")
        graph.addRoute("say \"hi\"", EchoRouteStep(name: "m"))
        #expect(
            GraphPlot.dot(graph) == """
                digraph {
                  rankdir=TB;
                  "_start" [shape=circle];
                  "r" [shape=diamond, peripheries=2];
                  "m" [shape=box];
                  "_start" -> "r";
                  "r" -> "m" [label="say 'hi'"];
                }

                """)
    }
}
