/// Why a feature-set definition is invalid. Every case names the JSON path of the offending field.
public enum FeatureSetError: Error, Equatable, CustomStringConvertible {
    /// The feature-set file cannot be read.
    case unreadableFile(path: String, reason: String)
    /// The text is not JSON (message from the parser).
    case notJSON(reason: String)
    /// A required field is absent.
    case missingField(path: String)
    /// A field has the wrong JSON type.
    case wrongType(path: String, expected: String, got: String)
    /// A string, list or object that must not be empty is empty.
    case emptyValue(path: String)
    /// A duration is not a positive integer and one unit of s, m, h, d.
    case badDuration(path: String, text: String)
    /// An operation name is not one of count, sum, sqr, min, max, first, last, avg, stdvar, stddev.
    case unknownOperation(path: String, name: String)
    /// An entity or feature type is not one of the allowed names.
    case unknownType(path: String, name: String, allowed: [String])
    /// The period does not divide a window.
    case periodDoesNotDivideWindow(path: String, period: String, window: String)
    /// A window does not divide the largest window of its aggregation.
    case windowDoesNotDivideLargest(path: String, window: String)
    /// Two columns (entities, features or aggregation outputs) have the same name.
    case duplicateName(path: String, name: String)
    /// A key under `validators` is not one of min, max, allowed, not_null, max_age.
    case unknownValidator(path: String, name: String)
    /// A validator cannot check a feature of this type (`min` on a string feature).
    case validatorNotApplicable(path: String, validator: String, type: String)
    /// A validator's value is inconsistent (`min` above `max`, an empty `allowed` list).
    case invalidValidator(path: String, reason: String)
    /// `validation_policy` is not one of reject, warn, drop_feature.
    case unknownPolicy(path: String, name: String)

    /// A message naming the path and the problem.
    public var description: String {
        switch self {
        case .unreadableFile(_, let reason):
            reason
        case .notJSON(let reason):
            "feature set is not valid JSON: \(reason)"
        case .missingField(let path):
            "\(path): missing required field"
        case .wrongType(let path, let expected, let got):
            "\(path): expected \(expected), got \(got)"
        case .emptyValue(let path):
            "\(path): must not be empty"
        case .badDuration(let path, let text):
            "\(path): bad duration '\(text)' (expected a positive integer and one unit of s, m, h, d)"
        case .unknownOperation(let path, let name):
            "\(path): unknown operation '\(name)' (expected one of "
                + AggregationOperation.allCases.map(\.rawValue).joined(separator: ", ") + ")"
        case .unknownType(let path, let name, let allowed):
            "\(path): unknown type '\(name)' (expected one of \(allowed.joined(separator: ", ")))"
        case .periodDoesNotDivideWindow(let path, let period, let window):
            "\(path): period \(period) does not divide window \(window)"
        case .windowDoesNotDivideLargest(let path, let window):
            "\(path): window \(window) does not divide the largest window"
        case .duplicateName(let path, let name):
            "\(path): duplicate name '\(name)'"
        case .unknownValidator(let path, let name):
            "\(path): unknown validator '\(name)' (expected one of "
                + ValidatorKind.allCases.map(\.rawValue).joined(separator: ", ") + ")"
        case .validatorNotApplicable(let path, let validator, let type):
            "\(path): validator \(validator) does not apply to a \(type) feature"
        case .invalidValidator(let path, let reason):
            "\(path): \(reason)"
        case .unknownPolicy(let path, let name):
            "\(path): unknown policy '\(name)' (expected one of "
                + ValidationPolicy.allCases.map(\.rawValue).joined(separator: ", ") + ")"
        }
    }
}
