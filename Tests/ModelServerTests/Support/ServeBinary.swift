import Foundation

/// Runs the built `serve` executable (it sits beside the test bundle in the build folder).
enum ServeBinary {
    struct Output {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Path of the `serve` executable of this build.
    static var path: String {
        let testBinary = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var directory = testBinary.deletingLastPathComponent()
        // The test runner may be inside `<name>.xctest/...`; walk up to the build folder.
        while directory.path != "/" {
            let candidate = directory.appendingPathComponent("serve").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            directory = directory.deletingLastPathComponent()
        }
        return "serve"
    }

    /// Runs `serve` with `arguments` to completion.
    static func run(_ arguments: [String]) throws -> Output {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Output(
            status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData, as: UTF8.self))
    }
}
