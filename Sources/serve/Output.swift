#if canImport(Glibc)
import Glibc
#endif

/// Writes a user-facing message to standard error.
func printError(_ message: String) {
    var line = message
    if !line.hasSuffix("\n") { line += "\n" }
    // fd 2 directly: the C `stderr` global is not concurrency-safe under Swift 6.
    _ = line.withCString { write(2, $0, strlen($0)) }
}
