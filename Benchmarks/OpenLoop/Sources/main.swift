import Glibc

// Entry point: parse arguments, run, print the summary; exit 1 on a connection failure, 2 on bad usage.
let arguments = Array(CommandLine.arguments.dropFirst())
if arguments.contains("--help") || arguments.contains("-h") {
    print(OpenLoopConfiguration.usage)
    exit(0)
}
let configuration: OpenLoopConfiguration
do {
    configuration = try OpenLoopConfiguration(arguments: arguments)
} catch {
    writeToStandardError("OpenLoop: \(error)\n\(OpenLoopConfiguration.usage)\n")
    exit(2)
}
do {
    let report = try OpenLoopGenerator(configuration: configuration).run()
    print(report.render(configuration: configuration))
} catch {
    writeToStandardError("OpenLoop: \(error)\n")
    exit(1)
}

/// Writes `text` to file descriptor 2 (the C `stderr` global is not concurrency-safe in Swift 6).
func writeToStandardError(_ text: String) {
    var bytes = Array(text.utf8)
    var offset = 0
    while offset < bytes.count {
        let written = bytes.withUnsafeMutableBytes { write(2, $0.baseAddress?.advanced(by: offset), $0.count - offset) }
        guard written > 0 else { return }
        offset += written
    }
}
