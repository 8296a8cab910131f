extension HTTPRequestParser {
    // MARK: - Request line (RFC 9112 §3) and field lines (RFC 9112 §5)

    /// Parses the head in `bytes[start..<end]` (each line CRLF-terminated, the blank line excluded).
    /// `base` turns a buffer index into an offset from the first byte of the request. A target or field
    /// section equal to the previous request's is taken from `memo` instead of being parsed again.
    static func parseHead(
        _ bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int, limits: Limits, base: Int,
        memo: inout HTTPHeadMemo
    ) throws(HTTPParseError) -> (HTTPRequest, HTTPHeadFraming) {
        let lineEnd = endOfLine(bytes, from: start, to: end)
        let (method, target, version) = try parseRequestLine(
            bytes, from: start, to: lineEnd, base: base, memo: &memo)
        let fieldBytes = UnsafeBufferPointer(rebasing: bytes[min(lineEnd + 2, end)..<end])
        if let (headers, framing) = memo.fields(for: fieldBytes) {
            return (HTTPRequest(method: method, target: target, version: version, headers: headers), framing)
        }
        var headers = HTTPHeaders(minimumCapacity: Self.expectedHeaderCount)
        var framing = HTTPHeadFraming()
        let fieldsStart = lineEnd + 2
        var lengthValue: HTTPHeadMemo.LengthValue?
        var lineStart = fieldsStart
        while lineStart < end {
            let fieldEnd = endOfLine(bytes, from: lineStart, to: end)
            if bytes[lineStart] == ASCII.space || bytes[lineStart] == ASCII.tab {
                throw .obsoleteLineFolding(offset: base + lineStart)
            }
            guard headers.count < limits.maxHeaderCount else { throw .tooManyHeaders(limit: limits.maxHeaderCount) }
            if let digits = try parseField(
                bytes, from: lineStart, to: fieldEnd, base: base, into: &headers, framing: &framing)
            {
                let relative = (digits.lowerBound - fieldsStart)..<(digits.upperBound - fieldsStart)
                lengthValue = HTTPHeadMemo.LengthValue(fieldIndex: headers.count - 1, digits: relative)
            }
            lineStart = fieldEnd + 2
        }
        memo.remember(fieldBytes, headers: headers, framing: framing, lengthValue: lengthValue)
        let request = HTTPRequest(method: method, target: target, version: version, headers: headers)
        return (request, framing)
    }

    /// Header fields most requests stay within (room is reserved once; more grow the storage).
    static let expectedHeaderCount = 8

    /// Index of the CR that ends the line starting at `start` (the head always ends in CRLF).
    private static func endOfLine(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> Int {
        var index = start
        while index + 1 < end && !(bytes[index] == ASCII.cr && bytes[index + 1] == ASCII.lf) { index += 1 }
        return index
    }

    /// `method SP request-target SP HTTP-version` (RFC 9112 §3): single spaces, a token method, a target of
    /// visible ASCII, `HTTP/DIGIT.DIGIT`.
    private static func parseRequestLine(
        _ bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int, base: Int, memo: inout HTTPHeadMemo
    ) throws(HTTPParseError) -> (HTTPMethod, String, HTTPVersion) {
        var index = start
        while index < end && ASCII.isToken(bytes[index]) { index += 1 }
        guard index > start, index < end, bytes[index] == ASCII.space else {
            throw .invalidRequestLine(offset: base + index)
        }
        let methodBytes = UnsafeBufferPointer(rebasing: bytes[start..<index])
        let targetStart = index + 1
        index = targetStart
        // RFC 9112 §3.2: the request-target is visible ASCII; anything else (controls, spaces, UTF-8) is a 400.
        while index < end && bytes[index] > 0x20 && bytes[index] < 0x7F { index += 1 }
        guard index > targetStart, index < end, bytes[index] == ASCII.space else {
            throw .invalidRequestLine(offset: base + index)
        }
        let target = memo.target(UnsafeBufferPointer(rebasing: bytes[targetStart..<index]))
        let versionStart = index + 1
        guard end - versionStart == 8, bytes[versionStart] == UInt8(ascii: "H"),
            bytes[versionStart + 1] == UInt8(ascii: "T"),
            bytes[versionStart + 2] == UInt8(ascii: "T"), bytes[versionStart + 3] == UInt8(ascii: "P"),
            bytes[versionStart + 4] == UInt8(ascii: "/"), bytes[versionStart + 6] == UInt8(ascii: "."),
            isDigit(bytes[versionStart + 5]), isDigit(bytes[versionStart + 7])
        else {
            throw .invalidRequestLine(offset: base + versionStart)
        }
        let version: HTTPVersion
        switch (bytes[versionStart + 5], bytes[versionStart + 7]) {
        case (UInt8(ascii: "1"), UInt8(ascii: "1")): version = .http1_1
        case (UInt8(ascii: "1"), UInt8(ascii: "0")): version = .http1_0
        default:
            throw .unsupportedVersion(
                String(decoding: UnsafeBufferPointer(rebasing: bytes[versionStart..<end]), as: UTF8.self))
        }
        guard let method = knownMethod(methodBytes) else {
            throw .unsupportedMethod(String(decoding: methodBytes, as: UTF8.self))
        }
        return (method, target, version)
    }

    /// The method whose token is `name` (case-sensitive, RFC 9110 §9.1), compared as bytes: no `String`.
    private static func knownMethod(_ name: UnsafeBufferPointer<UInt8>) -> HTTPMethod? {
        switch name.count {
        case 3: return equals(name, "GET") ? .get : equals(name, "PUT") ? .put : nil
        case 4: return equals(name, "POST") ? .post : equals(name, "HEAD") ? .head : nil
        case 5: return equals(name, "PATCH") ? .patch : equals(name, "TRACE") ? .trace : nil
        case 6: return equals(name, "DELETE") ? .delete : nil
        case 7: return equals(name, "OPTIONS") ? .options : equals(name, "CONNECT") ? .connect : nil
        default: return nil
        }
    }

    /// Whether `bytes` is exactly the ASCII `text` (same length assumed by the caller).
    @inline(__always) private static func equals(_ bytes: UnsafeBufferPointer<UInt8>, _ text: StaticString) -> Bool {
        let expected = text.utf8Start
        for index in 0..<bytes.count where bytes[index] != expected[index] { return false }
        return true
    }

    @inline(__always) private static func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    /// `field-name ":" OWS field-value OWS` (RFC 9112 §5.1): no whitespace before the colon; a value holds no
    /// CR, LF or NUL (RFC 9110 §5.5). Returns the value's index range when the field is a Content-Length.
    private static func parseField(
        _ bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int, base: Int,
        into headers: inout HTTPHeaders, framing: inout HTTPHeadFraming
    ) throws(HTTPParseError) -> Range<Int>? {
        var index = start
        while index < end && ASCII.isToken(bytes[index]) { index += 1 }
        guard index > start, index < end, bytes[index] == ASCII.colon else {
            throw .invalidHeaderLine(offset: base + index)
        }
        let nameEnd = index
        var valueStart = index + 1
        var valueEnd = end
        while valueStart < valueEnd && (bytes[valueStart] == ASCII.space || bytes[valueStart] == ASCII.tab) {
            valueStart += 1
        }
        while valueEnd > valueStart && (bytes[valueEnd - 1] == ASCII.space || bytes[valueEnd - 1] == ASCII.tab) {
            valueEnd -= 1
        }
        for position in valueStart..<valueEnd
        where bytes[position] == ASCII.cr || bytes[position] == ASCII.lf || bytes[position] == 0 {
            throw .invalidHeaderLine(offset: base + position)
        }
        let nameBytes = UnsafeBufferPointer(rebasing: bytes[start..<nameEnd])
        let valueBytes = UnsafeBufferPointer(rebasing: bytes[valueStart..<valueEnd])
        let value = String(decoding: valueBytes, as: UTF8.self)
        headers.add(name: String(decoding: nameBytes, as: UTF8.self), value: value)
        if matches(nameBytes, "content-length") {
            let length = try parseContentLength(valueBytes, value)
            if let first = framing.contentLength {
                throw first == length
                    ? .duplicateContentLength(length) : .conflictingContentLength(first: first, second: length)
            }
            framing.contentLength = length
            return valueStart..<valueEnd
        } else if matches(nameBytes, "transfer-encoding") {
            // RFC 9112 §6.1: codings are a comma list, possibly over several fields; case-insensitive.
            for coding in value.split(separator: ",") {
                let trimmed = coding.trimmingSpaces()
                if !trimmed.isEmpty { framing.transferCodings.append(trimmed.lowercased()) }
            }
        } else if matches(nameBytes, "host") {
            framing.hostCount += 1
        } else if matches(nameBytes, "expect") {
            framing.expectsContinue = HTTPHeaders.equalsIgnoringCase(value, "100-continue")
        }
        return nil
    }

    /// `Content-Length = 1*DIGIT` (RFC 9112 §6.2); a list such as `5, 5` is rejected rather than merged.
    private static func parseContentLength(
        _ bytes: UnsafeBufferPointer<UInt8>, _ value: String
    ) throws(HTTPParseError) -> Int {
        guard !bytes.isEmpty, bytes.count <= 18 else { throw .invalidContentLength(value) }
        var length = 0
        for byte in bytes {
            guard isDigit(byte) else { throw .invalidContentLength(value) }
            length = length * 10 + Int(byte - UInt8(ascii: "0"))
        }
        return length
    }

    /// Whether `bytes` equals the lowercase ASCII `name`, ignoring case.
    @inline(__always) private static func matches(_ bytes: UnsafeBufferPointer<UInt8>, _ name: StaticString) -> Bool {
        guard bytes.count == name.utf8CodeUnitCount else { return false }
        let expected = name.utf8Start
        for index in 0..<bytes.count where ASCII.lower(bytes[index]) != expected[index] { return false }
        return true
    }
}
