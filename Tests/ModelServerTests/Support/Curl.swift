import Foundation

/// Runs the real `curl` client against a test server and returns status, headers and body.
struct CurlResult {
    var status: Int
    var headers: [String: String]
    var body: String
}

enum Curl {
    /// Runs `curl -s -i` with `arguments` followed by `url`.
    static func run(_ url: String, _ arguments: [String] = []) throws -> CurlResult {
        parse(try output(of: "/usr/bin/env", ["curl", "-s", "-i", "--max-time", "10"] + arguments + [url]))
    }

    /// Runs `executable` with `arguments` to completion and returns its standard output.
    static func output(of executable: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    /// POSTs `body` as JSON to `path` on 127.0.0.1:`port`, with extra `headers` (`Name: value`).
    static func postJSON(_ port: Int, _ path: String, _ body: String, headers: [String] = []) throws -> CurlResult {
        try run(
            "http://127.0.0.1:\(port)\(path)",
            ["-X", "POST", "-H", "Content-Type: application/json", "-d", body] + headers.flatMap { ["-H", $0] })
    }

    /// Splits curl's `-i` output into the last response's status, headers and body.
    static func parse(_ text: String) -> CurlResult {
        var rest = Substring(text)
        var result = CurlResult(status: 0, headers: [:], body: "")
        // Interim responses (100 Continue) come first; keep the last head.
        while let range = rest.range(of: "\r\n\r\n") {
            let head = rest[..<range.lowerBound]
            rest = rest[range.upperBound...]
            let lines = head.split(separator: "\r\n")
            guard let statusLine = lines.first else { break }
            let parts = statusLine.split(separator: " ")
            result.status = parts.count > 1 ? Int(parts[1]) ?? 0 : 0
            result.headers = [:]
            for line in lines.dropFirst() {
                guard let colon = line.firstIndex(of: ":") else { continue }
                let name = line[..<colon].lowercased()
                result.headers[name] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            }
            if result.status != 100 { break }
        }
        result.body = String(rest)
        return result
    }
}
