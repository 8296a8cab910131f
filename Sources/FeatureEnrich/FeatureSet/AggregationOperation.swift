/// One aggregation function over the events a window covers (semantics: `shared/oracle/README.md`, "Operations").
public enum AggregationOperation: String, Sendable, Hashable, CaseIterable {
    /// Number of events (0 for an empty window).
    case count
    /// Σx (0 for an empty window).
    case sum
    /// Σx² (0 for an empty window).
    case sqr
    /// Smallest value (NaN for an empty window).
    case min
    /// Largest value (NaN for an empty window).
    case max
    /// Value of the event with the earliest timestamp; equal timestamps: the first to arrive.
    case first
    /// Value of the event with the latest timestamp; equal timestamps: the first to arrive.
    case last
    /// sum / count (NaN for an empty window).
    case avg
    /// Sample variance Σ(x − avg)² / (n − 1); NaN when n ≤ 1.
    case stdvar
    /// √stdvar, never negative; NaN when n ≤ 1.
    case stddev
}
