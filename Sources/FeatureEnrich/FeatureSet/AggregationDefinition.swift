/// One windowed aggregation of a feature set: `operations` over `windows` of the input `column`.
///
/// Sliding when `period` is set (windows over epoch-aligned period buckets), fixed (epoch-aligned calendar
/// windows) otherwise; see `shared/oracle/README.md`. Output features are named `{name}_{op}_{window}`.
public struct AggregationDefinition: Sendable, Hashable {
    /// Prefix of the output feature names.
    public let name: String
    /// Input column the values come from.
    public let column: String
    /// Functions computed for every window, in definition order.
    public let operations: [AggregationOperation]
    /// Window lengths, in definition order.
    public let windows: [FeatureDuration]
    /// Bucket length of sliding windows; `nil` for fixed windows.
    public let period: FeatureDuration?

    /// Validates and builds an aggregation. `path` (such as `aggregations[0]`) prefixes error messages.
    public init(
        name: String,
        column: String,
        operations: [AggregationOperation],
        windows: [FeatureDuration],
        period: FeatureDuration?,
        path: String = "aggregation"
    ) throws(FeatureSetError) {
        guard !name.isEmpty else { throw .emptyValue(path: "\(path).name") }
        guard !operations.isEmpty else { throw .emptyValue(path: "\(path).operations") }
        guard let largest = windows.map(\.milliseconds).max() else { throw .emptyValue(path: "\(path).windows") }
        for (index, window) in windows.enumerated() where largest % window.milliseconds != 0 {
            throw .windowDoesNotDivideLargest(path: "\(path).windows[\(index)]", window: window.text)
        }
        if let period {
            for window in windows where window.milliseconds % period.milliseconds != 0 {
                throw .periodDoesNotDivideWindow(path: "\(path).period", period: period.text, window: window.text)
            }
        }
        self.name = name
        self.column = column
        self.operations = operations
        self.windows = windows
        self.period = period
    }

    /// True for sliding windows (a period is set).
    public var isSliding: Bool { period != nil }

    /// The largest window in milliseconds.
    public var largestWindowMilliseconds: Int64 { windows.map(\.milliseconds).max() ?? 0 }

    /// Output feature name of `operation` over `window`: `{name}_{op}_{window}` with the window as written.
    public func outputName(_ operation: AggregationOperation, _ window: FeatureDuration) -> String {
        "\(name)_\(operation.rawValue)_\(window.text)"
    }

    /// Every output feature name, operation-major, in definition order.
    public var outputNames: [String] {
        operations.flatMap { operation in windows.map { outputName(operation, $0) } }
    }
}

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
