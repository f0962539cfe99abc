import S2SModel
import S2SNumerics

/// A set of named tensors plus string metadata, read from and written to the safetensors format
/// (Hugging Face): 8-byte little-endian header length, a JSON header
/// `{"__metadata__": {String: String}, name: {"dtype", "shape", "data_offsets": [begin, end]}}`
/// padded with spaces to a multiple of 8 bytes, then the raw little-endian tensor bytes.
///
/// Floating-point tensors live in memory as `Tensor` (fp32) and are stored as F32, F16, BF16 or
/// F64, converted on write and on read (F16 for a shipped model: half the size, and the
/// weights survive the rounding). Integer tensors (I64, I32) are `[Int64]` — optimizer step
/// counters, RNG state, batcher positions — so they are never squeezed through a Float.
///
/// `SafeTensorsFile.write` is atomic (temp file in the same directory, fsync, rename, fsync of
/// the directory); `SafeTensorsFile.read` checks every length, offset and shape before it trusts
/// them and throws a `SafeTensorsError` naming the file and what is wrong — never a crash.
/// Files interoperate with the Python `safetensors` package both ways (tested).
package struct SafeTensorsFile {
    /// Free-form string metadata (the header's `__metadata__`): model configuration, vocabulary
    /// hashes, training step, …
    package var metadata: [String: String]
    /// The file this value was read from (named in errors), nil when built in memory.
    package private(set) var path: String?
    private var entries: [String: Entry] = [:]

    /// How a floating-point tensor is stored on disk.
    package enum FloatStorage: String, Sendable, CaseIterable {
        case f32, f16, bf16, f64
        var dtype: SafeTensorsDType {
            switch self {
            case .f32: return .f32
            case .f16: return .f16
            case .bf16: return .bf16
            case .f64: return .f64
            }
        }
    }

    /// How an integer tensor is stored on disk.
    package enum IntegerStorage: String, Sendable, CaseIterable {
        case i64, i32, i8
        var dtype: SafeTensorsDType {
            switch self {
            case .i64: return .i64
            case .i32: return .i32
            case .i8: return .i8
            }
        }
        /// The values this storage holds.
        var range: ClosedRange<Int64> {
            switch self {
            case .i64: return Int64.min...Int64.max
            case .i32: return Int64(Int32.min)...Int64(Int32.max)
            case .i8: return Int64(Int8.min)...Int64(Int8.max)
            }
        }
    }

    /// One named tensor: its declared dtype and shape, and its values.
    struct Entry {
        enum Values {
            case float(Tensor)
            case integer([Int64])
        }
        var dtype: SafeTensorsDType
        var shape: [Int]
        var values: Values
    }

    package init(metadata: [String: String] = [:]) {
        self.metadata = metadata
    }

    /// Tensor names, sorted.
    package var names: [String] { entries.keys.sorted() }

    /// The stored dtype of `name`, or nil if there is no such tensor.
    package func dtype(of name: String) -> SafeTensorsDType? { entries[name]?.dtype }

    /// The shape of `name`, or nil if there is no such tensor.
    package func shape(of name: String) -> [Int]? { entries[name]?.shape }

    /// Adds or replaces a floating-point tensor. The tensor is kept by reference (no copy):
    /// its values at `write` time are what is written.
    package mutating func set(_ name: String, _ tensor: Tensor, as storage: FloatStorage = .f32) {
        entries[name] = Entry(dtype: storage.dtype, shape: tensor.shape, values: .float(tensor))
    }

    /// Adds or replaces an integer tensor (`shape` defaults to `[values.count]`). Throws if the
    /// shape does not hold `values.count` elements or a value does not fit the storage type.
    /// Store `UInt64` values such as `PCG32.state` as `Int64(bitPattern:)` and read them back
    /// with `UInt64(bitPattern:)`: the bits round-trip exactly.
    package mutating func set(_ name: String, integers values: [Int64], shape: [Int]? = nil,
                             as storage: IntegerStorage = .i64) throws(SafeTensorsError) {
        let shape = shape ?? [values.count]
        guard shape.allSatisfy({ $0 >= 0 }), SafeTensorsLayout.elementCount(shape) == values.count else {
            throw error(.badShape(tensor: name, "\(values.count) values for shape \(shape)"))
        }
        if let bad = values.first(where: { !storage.range.contains($0) }) {
            throw error(.valueOutOfRange(tensor: name, "\(bad) does not fit \(storage.dtype.rawValue)"))
        }
        entries[name] = Entry(dtype: storage.dtype, shape: shape, values: .integer(values))
    }

    /// Removes a tensor; returns whether it was there.
    @discardableResult
    package mutating func remove(_ name: String) -> Bool { entries.removeValue(forKey: name) != nil }

    /// The floating-point tensor `name` (a fresh `Tensor` each call when read from a file;
    /// the same object when it was `set` in memory).
    package func tensor(_ name: String) throws(SafeTensorsError) -> Tensor {
        guard let e = entries[name] else { throw error(.missingTensor(name)) }
        guard case let .float(t) = e.values else {
            throw error(.wrongKind(tensor: name, dtype: e.dtype.rawValue, wanted: "a floating-point tensor"))
        }
        return t
    }

    /// The floating-point tensor `name`, checked to have `shape` (for loading parameters).
    package func tensor(_ name: String, shape: [Int]) throws(SafeTensorsError) -> Tensor {
        let t = try tensor(name)
        guard t.shape == shape else {
            throw error(.badShape(tensor: name, "stored shape \(t.shape), expected \(shape)"))
        }
        return t
    }

    /// The integer tensor `name`, flattened in row-major order.
    package func integers(_ name: String) throws(SafeTensorsError) -> [Int64] {
        guard let e = entries[name] else { throw error(.missingTensor(name)) }
        guard case let .integer(v) = e.values else {
            throw error(.wrongKind(tensor: name, dtype: e.dtype.rawValue, wanted: "an integer tensor"))
        }
        return v
    }

    /// All entries, for the writer.
    var allEntries: [(name: String, entry: Entry)] { entries.map { ($0.key, $0.value) } }

    /// Builds a file value from decoded entries (reader).
    init(metadata: [String: String], entries: [String: Entry], path: String) {
        self.metadata = metadata
        self.entries = entries
        self.path = path
    }

    /// An error about this value's file (or "<memory>" for one built in memory).
    private func error(_ problem: SafeTensorsError.Problem) -> SafeTensorsError {
        SafeTensorsError(path: path ?? "<memory>", problem: problem)
    }
}

/// The element types of the safetensors format. Those this module can read and write are
/// F64, F32, F16, BF16, I64, I32 and I8 (int8-packed decoder weights); the rest are recognised so that a file holding them gets
/// a precise "unsupported dtype" error instead of "unknown".
package enum SafeTensorsDType: String, Sendable, CaseIterable {
    case f64 = "F64", f32 = "F32", f16 = "F16", bf16 = "BF16", i64 = "I64", i32 = "I32"
    case bool = "BOOL", u8 = "U8", i8 = "I8", i16 = "I16", u16 = "U16", u32 = "U32", u64 = "U64"
    case f8e5m2 = "F8_E5M2", f8e4m3 = "F8_E4M3"

    /// Bytes per element.
    package var byteSize: Int {
        switch self {
        case .f64, .i64, .u64: return 8
        case .f32, .i32, .u32: return 4
        case .f16, .bf16, .i16, .u16: return 2
        case .bool, .u8, .i8, .f8e5m2, .f8e4m3: return 1
        }
    }

    /// Whether this module converts the type to and from `Tensor` / `[Int64]`.
    package var isSupported: Bool {
        switch self {
        case .f64, .f32, .f16, .bf16, .i64, .i32, .i8: return true
        default: return false
        }
    }

    /// Position in the reference implementation's `Dtype` enum (its derived ordering decides
    /// the order tensors are laid out in).
    var referenceOrder: Int {
        switch self {
        case .bool: return 0
        case .u8: return 1
        case .i8: return 2
        case .f8e5m2: return 3
        case .f8e4m3: return 4
        case .i16: return 5
        case .u16: return 6
        case .f16: return 7
        case .bf16: return 8
        case .i32: return 9
        case .u32: return 10
        case .f32: return 11
        case .f64: return 12
        case .i64: return 13
        case .u64: return 14
        }
    }

    var isFloatingPoint: Bool { self == .f64 || self == .f32 || self == .f16 || self == .bf16 }
}
