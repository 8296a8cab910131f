public import ServingGraph

extension ModelRouter: RoutingStep {}

extension VotingEnsemble: RoutingStep {}

extension ParallelRun: RoutingStep {}
