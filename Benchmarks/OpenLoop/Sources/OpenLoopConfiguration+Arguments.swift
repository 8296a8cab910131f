extension OpenLoopConfiguration {
    /// Usage text printed on `--help` and on argument errors.
    static let usage = """
        usage: OpenLoop --url http://127.0.0.1:PORT/path --rate R [--duration S] [--connections N]
                        [--method M] [--body-file F] [--header 'Name: value']... [--drain-timeout S]
          Sends request i at start + i/R (open loop, round-robin over N keep-alive connections,
          pipelining when a connection is busy) and reports latency from each scheduled send time.
          Defaults: --duration 10, --connections 32, --method GET, --drain-timeout 2.
        """

    /// Parses the command-line arguments (without the program name).
    init(arguments: [String]) throws(OpenLoopError) {
        var url: TargetURL?
        var rate: Double?
        var duration = 10.0
        var connections = 32
        var method = "GET"
        var headers: [HTTPHeaderField] = []
        var body: [UInt8] = []
        var drainTimeout = 2.0
        var index = 0
        func value(_ option: String) throws(OpenLoopError) -> String {
            index += 1
            guard index < arguments.count else { throw .missingValue(option: option) }
            return arguments[index]
        }
        while index < arguments.count {
            let option = arguments[index]
            switch option {
            case "--url": url = try TargetURL(parsing: value(option))
            case "--rate": rate = try Self.positive(option, value(option))
            case "--duration": duration = try Self.positive(option, value(option))
            case "--connections": connections = Int(try Self.positive(option, value(option)).rounded(.up))
            case "--method": method = try value(option).uppercased()
            case "--header": headers.append(try HTTPHeaderField(parsing: value(option)))
            case "--body-file": body = try readWholeFile(atPath: value(option))
            case "--drain-timeout": drainTimeout = try Self.positive(option, value(option))
            default: throw .unknownOption(option)
            }
            index += 1
        }
        guard let url else { throw .missingOption(name: "--url") }
        guard let rate else { throw .missingOption(name: "--rate") }
        self.init(
            url: url, rate: rate, duration: duration, connections: connections, method: method,
            headers: headers, body: body, drainTimeout: drainTimeout)
    }

    private static func positive(_ option: String, _ text: String) throws(OpenLoopError) -> Double {
        guard let number = Double(text), number > 0, number.isFinite else {
            throw .invalidNumber(option: option, value: text)
        }
        return number
    }
}
