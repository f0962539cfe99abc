import S2SModel
/// Why a safetensors file could not be read or written; `description` is the one-line message
/// for the user: "models/x/model.safetensors: tensor 'enc.w' data_offsets [0, 96] end beyond
/// the 64 data bytes".
package struct SafeTensorsError: Error, Equatable, CustomStringConvertible {
    package enum Problem: Equatable, Sendable {
        /// open/read/write/rename failed (the system's reason).
        case io(String)
        /// Fewer than the 8 bytes of the header length.
        case truncated(fileSize: Int)
        /// The header length points past the end of the file.
        case headerBeyondFile(headerLength: UInt64, fileSize: Int)
        /// Header length over the format's limit (100 MB, as the reference implementation).
        case headerTooLarge(UInt64)
        case headerNotUTF8
        /// Not JSON, or not a JSON object, or an entry that is not shaped like the format says.
        case badHeader(String)
        case unknownDType(tensor: String, dtype: String)
        case unsupportedDType(tensor: String, dtype: String)
        case badShape(tensor: String, String)
        /// `data_offsets` not a [begin, end] pair within the data section.
        case badOffsets(tensor: String, String)
        /// Bytes between offsets do not match shape × element size.
        case sizeMismatch(tensor: String, shape: [Int], dtype: String, bytes: Int, expected: Int)
        case overlap(String, String)
        case gap(before: String, bytes: Int)
        case trailingBytes(Int)
        case missingTensor(String)
        case wrongKind(tensor: String, dtype: String, wanted: String)
        case valueOutOfRange(tensor: String, String)
        case badMetadata(String)
    }

    /// The file concerned ("<memory>" for a value built in memory).
    package let path: String
    package let problem: Problem

    package init(path: String, problem: Problem) {
        self.path = path
        self.problem = problem
    }

    package var description: String { "\(path): \(problem.text)" }
}

extension SafeTensorsError.Problem {
    var text: String {
        switch self {
        case let .io(why): return why
        case let .truncated(size): return "truncated: \(size) bytes, not even the 8-byte header length"
        case let .headerBeyondFile(n, size): return "header length \(n) runs past the end of the file (\(size) bytes)"
        case let .headerTooLarge(n): return "header length \(n) exceeds the 100000000-byte limit"
        case .headerNotUTF8: return "header is not valid UTF-8"
        case let .badHeader(why): return "bad header: \(why)"
        case let .unknownDType(t, d): return "tensor '\(t)' has unknown dtype '\(d)'"
        case let .unsupportedDType(t, d): return "tensor '\(t)' has dtype \(d), which s2s does not read (F32, F16, BF16, F64, I64, I32)"
        case let .badShape(t, why): return "tensor '\(t)': bad shape: \(why)"
        case let .badOffsets(t, why): return "tensor '\(t)': bad data_offsets: \(why)"
        case let .sizeMismatch(t, shape, d, bytes, expected):
            return "tensor '\(t)' (\(d) \(shape)) has \(bytes) data bytes, its shape needs \(expected)"
        case let .overlap(a, b): return "tensors '\(a)' and '\(b)' overlap"
        case let .gap(before, n): return "\(n) unaccounted bytes before tensor '\(before)'"
        case let .trailingBytes(n): return "\(n) bytes after the last tensor"
        case let .missingTensor(t): return "no tensor named '\(t)'"
        case let .wrongKind(t, d, wanted): return "tensor '\(t)' is \(d), not \(wanted)"
        case let .valueOutOfRange(t, why): return "tensor '\(t)': \(why)"
        case let .badMetadata(why): return "bad __metadata__: \(why)"
        }
    }
}
