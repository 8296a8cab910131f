/// A step that forwards each event to one of its named routes (a router, a voting ensemble), so
/// tools that describe a graph (``GraphPlot``) can draw its routes.
public protocol RoutingStep: Step {
    /// Routes in declaration order.
    var routes: [(name: String, step: any Step)] { get }
}

extension RouterStep: RoutingStep {}
