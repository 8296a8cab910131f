/// Limits on what one inference request may declare, checked before anything is allocated.
public struct InferenceLimits: Sendable, Equatable {
    /// Elements in one tensor; a shape with more is refused with 400 before its data is read.
    /// Default 2^26 (64 Mi elements, the count a 64 MiB body of BOOL could carry).
    public var maxTensorElements: Int = 1 << 26
    /// Dimensions in one shape. Default 16.
    public var maxRank: Int = 16

    /// The defaults.
    public init() {}
}
