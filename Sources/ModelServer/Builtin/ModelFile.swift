import Foundation
import ServingGraph

/// Reads a JSON model file at load time (never on the request path).
enum ModelFile {
    /// The parsed JSON of the file at `path`.
    static func read(_ path: String) throws -> Value {
        let bytes: [UInt8]
        do {
            bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            throw ModelFileError.unreadable(path: path, reason: error.localizedDescription)
        }
        do {
            return try JSONParser.parse(bytes)
        } catch {
            throw ModelFileError.invalidJSON(path: path, reason: "\(error)")
        }
    }

    /// An array of numbers at `key` of `object`.
    static func numbers(_ value: Value?, path: String, key: String) throws -> [Double] {
        guard let array = value?.arrayValue else {
            throw ModelFileError.invalidField(path: path, key: key, reason: "expected an array of numbers")
        }
        return try array.map { element in
            guard let number = element.doubleValue else {
                throw ModelFileError.invalidField(path: path, key: key, reason: "expected an array of numbers")
            }
            return number
        }
    }
}
