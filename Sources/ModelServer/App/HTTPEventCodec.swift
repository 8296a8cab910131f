import ServingGraph

/// Turns an HTTP request into the `Event` a graph runs, and a response event back into bytes.
///
/// Request bodies: with `Inference-Header-Content-Length` the first that many bytes are the JSON
/// header and the rest are binary tensors (carried as ``BinaryInputKey``); otherwise the whole body
/// is JSON whatever the Content-Type (tritonclient sends none). An empty body is `null`. A header
/// length of 0 is a raw binary request: a `null` body and all bytes as the binary input.
/// Responses: JSON, or with binary outputs (``BinaryOutputKey``) the JSON header followed by the
/// bytes, `Content-Type: application/octet-stream` and `Inference-Header-Content-Length`.
enum HTTPEventCodec {
    /// The header naming the JSON part's length in the binary tensor extension.
    static let headerLengthField = "Inference-Header-Content-Length"

    /// The event for `request`; throws for a body that is not JSON or bad binary framing (400).
    /// `makeID` gives the event id when the request names none (`X-Event-Id`, `MLRun-Event-Id`).
    static func event(from request: HTTPRequest, makeID: () -> String) throws -> Event {
        try event(from: request, id: eventID(of: request, makeID: makeID))
    }

    /// The event for `request` with id `id` (its ``eventID(of:makeID:)``, already read by the caller).
    static func event(from request: HTTPRequest, id: String) throws -> Event {
        var binary: BinaryTensorPayload?
        let body: Value
        if let lengthText = request.headers[headerLengthField] {
            let trimmed = lengthText.trimmingCharacters(in: " \t")
            guard let length = Int(trimmed), length >= 0, length <= request.body.count else {
                throw InferenceProtocolError.invalidHeaderLength(value: lengthText, bodyBytes: request.body.count)
            }
            // 0: a raw binary request, the body is the one input's bytes (the model decodes it).
            body =
                length == 0
                ? .null
                : try request.body.withUnsafeBytes { raw in
                    try JSONParser.parse(UnsafeRawBufferPointer(rebasing: raw[..<length]))
                }
            binary = BinaryTensorPayload(bytes: Array(request.body[length...]))
        } else if request.body.isEmpty {
            body = .null
        } else {
            body = try JSONParser.parse(request.body)
        }
        var event = Event(
            body: body, id: id, path: request.path, method: request.method.name, headers: request.headers.fields,
            contentType: request.headers["Content-Type"])
        if let binary { event[BinaryInputKey.self] = binary }
        return event
    }

    /// The id of the event for `request`: its `X-Event-Id` or `MLRun-Event-Id` header, else `makeID()`.
    static func eventID(of request: HTTPRequest, makeID: () -> String) -> String {
        request.headers["X-Event-Id"] ?? request.headers["MLRun-Event-Id"] ?? makeID()
    }

    /// The JSON part of `request`'s body and the binary part after it (nil without
    /// `Inference-Header-Content-Length`); nil for a header length that is not a valid number, which
    /// ``event(from:makeID:)`` rejects.
    static func split(_ request: HTTPRequest) -> (jsonLength: Int, binary: ArraySlice<UInt8>?)? {
        guard let lengthText = request.headers[headerLengthField] else { return (request.body.count, nil) }
        guard let length = decimal(lengthText), length <= request.body.count else { return nil }
        return (length, request.body[length...])
    }

    /// The digits of `text` between optional spaces and tabs as a number; nil for anything else
    /// (a sign, an overflow: the general path decides those).
    private static func decimal(_ text: String) -> Int? {
        var value = 0
        var digits = 0
        var trailing = false
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: " "), UInt8(ascii: "\t"):
                if digits > 0 { trailing = true }
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                guard !trailing, digits < 18 else { return nil }
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
                digits += 1
            default:
                return nil
            }
        }
        return digits > 0 ? value : nil
    }

    /// The HTTP response for a graph's response event.
    static func response(from event: Event) -> HTTPResponse {
        response(json: JSONWriter.bytes(event.body), binary: event[BinaryOutputKey.self])
    }

    /// The HTTP response of a JSON body and the binary outputs that follow it, if any.
    static func response(json: [UInt8], binary: BinaryTensorPayload?) -> HTTPResponse {
        guard let binary else { return HTTPResponse.json(.ok, json) }
        var json = json
        var headers = HTTPHeaders(minimumCapacity: 2)
        headers.add(name: "Content-Type", value: "application/octet-stream")
        headers.add(name: headerLengthField, value: String(json.count))
        json.append(contentsOf: binary.bytes)
        return HTTPResponse(status: .ok, headers: headers, body: json)
    }
}

extension String {
    /// The string without leading and trailing characters of `set`.
    fileprivate func trimmingCharacters(in set: String) -> String {
        var slice = Substring(self)
        while let first = slice.first, set.contains(first) { slice.removeFirst() }
        while let last = slice.last, set.contains(last) { slice.removeLast() }
        return String(slice)
    }
}
