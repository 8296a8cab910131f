import Foundation

/// A fresh temporary directory for one test's database files, removed when released.
final class SQLiteTestDirectory {
    let path: String

    init() throws {
        let base = FileManager.default.temporaryDirectory.path
        path = "\(base)/sqlite-tests-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    /// The path of `name` inside the directory.
    func file(_ name: String) -> String { "\(path)/\(name)" }

    /// Size in bytes of `name`, or nil when it does not exist.
    func size(of name: String) -> Int? {
        (try? FileManager.default.attributesOfItem(atPath: file(name)))?[.size] as? Int
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }
}
