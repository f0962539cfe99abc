import CDNNL
import CKernels

/// Element type of a GEMM's A and B operands inside the engine (C is always fp32).
enum OperandType: Int32, Sendable {
    case f32 = 0   // S2S_MM_F32
    case bf16 = 1  // S2S_MM_BF16
}

/// Everything a oneDNN matmul primitive is specialized on. Thread count is part of it because
/// oneDNN fixes its work split when the primitive is created.
struct PrimitiveKey: Hashable, Sendable {
    var type: OperandType
    var m, n, k: Int
    var transA, transB: Bool
    var lda, ldb, ldc: Int
    var alphaBits, betaBits: UInt32
    var packedB: Bool
    var threads: Int
    /// Batched products only (0 = a single product).
    var batch = 0
    var batchStrideA = 0, batchStrideB = 0, batchStrideC = 0
}

/// One created primitive (or the memory that creating it failed, so we ask only once).
final class MatmulPrimitive: @unchecked Sendable {
    let handle: OpaquePointer?
    let status: Int32

    init(_ key: PrimitiveKey) {
        var status: Int32 = 0
        if key.batch > 0 {
            handle = s2s_mm_create_batched(
                key.type.rawValue, Int64(key.batch), Int64(key.m), Int64(key.n), Int64(key.k),
                key.transA ? 1 : 0, key.transB ? 1 : 0, Int64(key.lda), Int64(key.ldb), Int64(key.ldc),
                Int64(key.batchStrideA), Int64(key.batchStrideB), Int64(key.batchStrideC),
                Float(bitPattern: key.alphaBits), Float(bitPattern: key.betaBits), &status)
        } else {
            handle = s2s_mm_create(
                key.type.rawValue, Int64(key.m), Int64(key.n), Int64(key.k),
                key.transA ? 1 : 0, key.transB ? 1 : 0, Int64(key.lda), Int64(key.ldb), Int64(key.ldc),
                Float(bitPattern: key.alphaBits), Float(bitPattern: key.betaBits), key.packedB ? 1 : 0, &status)
        }
        self.status = status
    }

    deinit { if let handle { s2s_mm_destroy(handle) } }

    /// oneDNN's implementation name, e.g. `brg:avx512_core_bf16`.
    var implementation: String { handle.map { String(cString: s2s_mm_impl_name($0)) } ?? "unavailable" }
}

/// The process-wide primitive cache. Creating a primitive costs tens to hundreds of µs, a
/// lookup well under one; training uses a few dozen shapes, so the cache stays small
/// (it is emptied if some caller sweeps through many shapes, e.g. shrinking beams).
enum MatmulEngine {
    /// The table behind a pthread mutex (`Lock`), not `Synchronization.Mutex`: ThreadSanitizer
    /// sees pthread locks, while the standard library's futex lock is invisible to it and every
    /// lookup from two test threads would be reported as a race.
    private final class Cache: @unchecked Sendable {
        let lock = Lock()
        var table: [PrimitiveKey: MatmulPrimitive] = [:]
        func withLock<R>(_ body: (inout [PrimitiveKey: MatmulPrimitive]) -> R) -> R { lock.withLock { body(&table) } }
    }
    private static let cache = Cache()
    private static let capacity = 512

    /// Whether oneDNN can run bf16 matmuls on this CPU (decided once, on first use).
    static let bf16Available: Bool = CPUISA.effective.supportsBF16

    static func primitive(_ key: PrimitiveKey) -> MatmulPrimitive {
        if let p = cache.withLock({ $0[key] }) { return p }
        let created = MatmulPrimitive(key)
        return cache.withLock { table in
            if let p = table[key] { return p }
            if table.count >= capacity { table.removeAll(keepingCapacity: true) }
            table[key] = created
            return created
        }
    }

    static var cachedPrimitiveCount: Int { cache.withLock { $0.count } }
}
