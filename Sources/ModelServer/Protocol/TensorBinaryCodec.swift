/// The binary tensor extension's element encoding (reference/v2-protocol.md §5): raw little-endian,
/// row-major, no padding; BOOL one byte; a BYTES element is a 4-byte little-endian length and the bytes.
enum TensorBinaryCodec {
    /// Bytes `count` elements of `datatype` take, or `nil` for BYTES (walk the prefixes instead).
    static func byteCount(count: Int, datatype: TensorDatatype) -> Int? {
        guard let size = datatype.elementSize else { return nil }
        let (total, overflow) = count.multipliedReportingOverflow(by: size)
        return overflow ? Int.max : total
    }

    /// Decodes `count` elements of `datatype` from exactly the bytes of `raw`.
    static func decode(
        _ raw: UnsafeRawBufferPointer, input: String, datatype: TensorDatatype, count: Int
    ) throws(InferenceProtocolError) -> Tensor.Elements {
        switch datatype {
        case .fp32:
            return .floats(
                (0..<count).map {
                    Float(bitPattern: raw.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self).littleEndian)
                })
        case .fp64:
            return .doubles(
                (0..<count).map {
                    Double(bitPattern: raw.loadUnaligned(fromByteOffset: $0 * 8, as: UInt64.self).littleEndian)
                })
        case .bool: return .bools((0..<count).map { raw[$0] != 0 })
        case .uint8: return .integers((0..<count).map { Int64(raw[$0]) })
        case .int8: return .integers((0..<count).map { Int64(Int8(bitPattern: raw[$0])) })
        case .uint16:
            return .integers(
                (0..<count).map { Int64(raw.loadUnaligned(fromByteOffset: $0 * 2, as: UInt16.self).littleEndian) })
        case .int16:
            return .integers(
                (0..<count).map { Int64(raw.loadUnaligned(fromByteOffset: $0 * 2, as: Int16.self).littleEndian) })
        case .uint32:
            return .integers(
                (0..<count).map { Int64(raw.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self).littleEndian) })
        case .int32:
            return .integers(
                (0..<count).map { Int64(raw.loadUnaligned(fromByteOffset: $0 * 4, as: Int32.self).littleEndian) })
        case .int64:
            return .integers((0..<count).map { raw.loadUnaligned(fromByteOffset: $0 * 8, as: Int64.self).littleEndian })
        case .uint64:
            return .unsigned(
                (0..<count).map { raw.loadUnaligned(fromByteOffset: $0 * 8, as: UInt64.self).littleEndian })
        case .fp16, .bf16:
            throw .unsupportedDatatype(input: input, datatype: datatype)
        case .bytes:
            var out: [[UInt8]] = []
            out.reserveCapacity(min(count, raw.count / 4))
            var offset = 0
            for index in 0..<count {
                guard raw.count - offset >= 4 else { throw .malformedBytesElement(input: input, index: index) }
                let length = Int(raw.loadUnaligned(fromByteOffset: offset, as: UInt32.self).littleEndian)
                offset += 4
                guard raw.count - offset >= length else { throw .malformedBytesElement(input: input, index: index) }
                out.append(Array(raw[offset..<offset + length]))
                offset += length
            }
            guard offset == raw.count else {
                throw .binarySizeMismatch(input: input, expected: offset, declared: raw.count)
            }
            return .bytes(out)
        }
    }

    /// Appends the binary encoding of `elements` to `out`.
    static func encode(_ elements: Tensor.Elements, datatype: TensorDatatype, into out: inout [UInt8]) {
        switch elements {
        case .floats(let a):
            if datatype == .fp64 {
                for v in a { append(Double(v).bitPattern, &out) }
            } else {
                for v in a { append(v.bitPattern, &out) }
            }
        case .doubles(let a):
            if datatype == .fp32 {
                for v in a { append(Float(v).bitPattern, &out) }
            } else {
                for v in a { append(v.bitPattern, &out) }
            }
        case .bools(let a): for v in a { out.append(v ? 1 : 0) }
        case .unsigned(let a): for v in a { append(v, &out) }
        case .integers(let a):
            switch datatype {
            case .int8, .uint8: for v in a { out.append(UInt8(truncatingIfNeeded: v)) }
            case .int16, .uint16: for v in a { append(UInt16(truncatingIfNeeded: v), &out) }
            case .int32, .uint32: for v in a { append(UInt32(truncatingIfNeeded: v), &out) }
            default: for v in a { append(UInt64(bitPattern: v), &out) }
            }
        case .bytes(let a):
            for v in a {
                append(UInt32(truncatingIfNeeded: v.count), &out)
                out.append(contentsOf: v)
            }
        }
    }

    private static func append<T: FixedWidthInteger>(_ value: T, _ out: inout [UInt8]) {
        withUnsafeBytes(of: value.littleEndian) { out.append(contentsOf: $0) }
    }
}
