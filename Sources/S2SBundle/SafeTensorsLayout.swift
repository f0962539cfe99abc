import Foundation
import S2SModel

/// The safetensors header: JSON text in, validated tensor layout out, and back.
///
/// Validation follows the reference implementation (huggingface/safetensors `validate`): every
/// dtype known, shapes non-negative, `data_offsets` a `[begin, end]` pair inside the data
/// section whose length is exactly `elements × element size`, and the tensors, sorted by
/// offset, tile the data section with no gap, no overlap and nothing after the last one.
package enum SafeTensorsLayout {
    /// The reference implementation's cap on the header (`MAX_HEADER_SIZE`).
    static let maxHeaderSize: UInt64 = 100_000_000

    /// One tensor's place in the file.
    struct Slot: Equatable {
        var name: String
        var dtype: SafeTensorsDType
        var shape: [Int]
        /// Byte range inside the data section (after the header).
        var begin: Int
        var end: Int
        var elementCount: Int { SafeTensorsLayout.elementCount(shape) ?? 0 }
    }

    /// Product of a shape (1 for a scalar), or nil on overflow.
    static func elementCount(_ shape: [Int]) -> Int? {
        var n = 1
        for d in shape {
            let (p, overflow) = n.multipliedReportingOverflow(by: d)
            if overflow { return nil }
            n = p
        }
        return n
    }

    // MARK: Writing

    /// Data layout for writing: the reference writer's order (dtype by its `Dtype` enum order,
    /// descending — which puts 8-byte types first and keeps every tensor aligned — then name by
    /// UTF-8 bytes), packed from offset 0. Same order, same header: a file with at most one
    /// metadata key comes out byte-identical to the Python package's.
    static func plan(_ tensors: [(name: String, dtype: SafeTensorsDType, shape: [Int])]) -> [Slot] {
        let ordered = tensors.sorted { a, b in
            if a.dtype.referenceOrder != b.dtype.referenceOrder { return a.dtype.referenceOrder > b.dtype.referenceOrder }
            return Array(a.name.utf8).lexicographicallyPrecedes(Array(b.name.utf8))
        }
        var offset = 0
        return ordered.map { t in
            let bytes = (elementCount(t.shape) ?? 0) * t.dtype.byteSize
            defer { offset += bytes }
            return Slot(name: t.name, dtype: t.dtype, shape: t.shape, begin: offset, end: offset + bytes)
        }
    }

    /// The header bytes, compact JSON like the reference writer (`__metadata__` first, keys
    /// sorted, left out when empty), padded with spaces to a multiple of 8 bytes so the data
    /// section starts 8-byte aligned.
    static func encodeHeader(metadata: [String: String], slots: [Slot]) -> [UInt8] {
        var json = "{"
        var first = true
        func comma() { if !first { json += "," }; first = false }
        if !metadata.isEmpty {
            comma()
            json += "\"__metadata__\":{"
            let keys = metadata.keys.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
            json += keys.map { "\(quote($0)):\(quote(metadata[$0] ?? ""))" }.joined(separator: ",")
            json += "}"
        }
        for s in slots {
            comma()
            json += "\(quote(s.name)):{\"dtype\":\"\(s.dtype.rawValue)\",\"shape\":["
            json += s.shape.map(String.init).joined(separator: ",")
            json += "],\"data_offsets\":[\(s.begin),\(s.end)]}"
        }
        json += "}"
        var bytes = Array(json.utf8)
        while bytes.count % 8 != 0 { bytes.append(0x20) }
        return bytes
    }

    /// A JSON string literal, escaped as serde_json does it (quote, backslash, control
    /// characters; everything else verbatim UTF-8). Also the quoting of `s2s translate`'s jsonl.
    package static func quote(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u.value {
            case 0x22: out += "\\\""
            case 0x5C: out += "\\\\"
            case 0x08: out += "\\b"
            case 0x0C: out += "\\f"
            case 0x0A: out += "\\n"
            case 0x0D: out += "\\r"
            case 0x09: out += "\\t"
            case 0..<0x20:
                let hex = String(u.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(u)
            }
        }
        return out + "\""
    }

    // MARK: Reading

    /// Parses and validates a header against a data section of `dataSize` bytes. Errors carry
    /// no path; the reader adds it.
    static func decode(_ header: [UInt8], dataSize: Int) throws(SafeTensorsError.Problem) -> (metadata: [String: String], slots: [Slot]) {
        guard String(validating: header, as: UTF8.self) != nil else { throw .headerNotUTF8 }
        guard header.first == UInt8(ascii: "{") else { throw .badHeader("does not start with '{'") }
        let raw: RawHeader
        do {
            raw = try JSONDecoder().decode(RawHeader.self, from: Data(header))
        } catch let problem as SafeTensorsError.Problem {
            throw problem
        } catch {
            throw .badHeader("not a JSON object (\(describe(error)))")
        }
        var slots: [Slot] = []
        for (name, entry) in raw.tensors {
            guard let dtype = SafeTensorsDType(rawValue: entry.dtype) else { throw .unknownDType(tensor: name, dtype: entry.dtype) }
            guard dtype.isSupported else { throw .unsupportedDType(tensor: name, dtype: entry.dtype) }
            guard entry.shape.allSatisfy({ $0 >= 0 }) else { throw .badShape(tensor: name, "negative dimension in \(entry.shape)") }
            guard let count = elementCount(entry.shape) else { throw .badShape(tensor: name, "\(entry.shape) has too many elements") }
            let o = entry.data_offsets
            guard o.count == 2 else { throw .badOffsets(tensor: name, "expected [begin, end], got \(o)") }
            guard o[0] >= 0, o[1] >= o[0] else { throw .badOffsets(tensor: name, "[\(o[0]), \(o[1])] is not a range") }
            guard o[1] <= dataSize else {
                throw .badOffsets(tensor: name, "[\(o[0]), \(o[1])] ends beyond the \(dataSize) data bytes")
            }
            let (expected, overflow) = count.multipliedReportingOverflow(by: dtype.byteSize)
            guard !overflow, expected == o[1] - o[0] else {
                throw .sizeMismatch(tensor: name, shape: entry.shape, dtype: dtype.rawValue, bytes: o[1] - o[0],
                                    expected: overflow ? Int.max : expected)
            }
            slots.append(Slot(name: name, dtype: dtype, shape: entry.shape, begin: o[0], end: o[1]))
        }
        slots.sort { ($0.begin, $0.end) < ($1.begin, $1.end) }
        var position = 0
        var previous: String?
        for s in slots {
            if s.begin < position { throw .overlap(previous ?? "", s.name) }
            if s.begin > position { throw .gap(before: s.name, bytes: s.begin - position) }
            position = s.end
            previous = s.name
        }
        if position != dataSize { throw .trailingBytes(dataSize - position) }
        return (raw.metadata, slots)
    }

    static func describe(_ error: Error) -> String {
        guard let e = error as? DecodingError else { return "\(error)" }
        switch e {
        case let .dataCorrupted(ctx): return ctx.debugDescription
        case let .keyNotFound(k, _): return "missing '\(k.stringValue)'"
        case let .typeMismatch(_, ctx), let .valueNotFound(_, ctx): return ctx.debugDescription
        @unknown default: return "\(e)"
        }
    }

    /// The header as JSON gives it, before validation.
    private struct RawHeader: Decodable {
        var metadata: [String: String] = [:]
        var tensors: [(String, RawEntry)] = []

        struct Key: CodingKey {
            var stringValue: String
            var intValue: Int? { nil }
            init(stringValue: String) { self.stringValue = stringValue }
            init?(intValue: Int) { nil }
        }

        init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: Key.self)
            for key in c.allKeys {
                if key.stringValue == "__metadata__" {
                    do {
                        metadata = try c.decode([String: String].self, forKey: key)
                    } catch {
                        throw SafeTensorsError.Problem.badMetadata("must map strings to strings")
                    }
                    continue
                }
                do {
                    tensors.append((key.stringValue, try c.decode(RawEntry.self, forKey: key)))
                } catch let DecodingError.keyNotFound(k, _) {
                    throw SafeTensorsError.Problem.badHeader("tensor '\(key.stringValue)' has no '\(k.stringValue)'")
                } catch {
                    throw SafeTensorsError.Problem.badHeader(
                        "tensor '\(key.stringValue)' needs dtype (string), shape and data_offsets (non-negative integers)")
                }
            }
        }
    }

    private struct RawEntry: Decodable {
        var dtype: String
        var shape: [Int]
        var data_offsets: [Int]
    }
}

extension SafeTensorsError.Problem: Error {}
