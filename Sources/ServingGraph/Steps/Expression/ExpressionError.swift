/// Why an expression's text does not parse; `position` is the 1-based character where it failed.
public struct ExpressionError: Error, Equatable, CustomStringConvertible {
    /// 1-based character position in the expression text.
    public let position: Int
    /// What was wrong there.
    public let reason: String

    /// An error at `position` (1-based) for `reason`.
    public init(position: Int, reason: String) {
        self.position = position
        self.reason = reason
    }

    /// A message naming the problem and its subject.
    public var description: String { "at character \(position): \(reason)" }
}
