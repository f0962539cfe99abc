import CKernels

/// Copies of one weight tensor in the engine's preferred layouts (fp32 or bf16 blocked),
/// valid for one `Tensor.version`.
///
/// oneDNN runs fastest when the weight operand is pre-reordered (`format_tag_any`); the
/// reorder (and, for bf16, the conversion) costs as much as a small GEMM, so it happens once
/// per optimizer update instead of at every time step. Primitives of different M may want
/// different layouts, so a weight keeps one copy per distinct layout.
final class PackedWeight: @unchecked Sendable {
    struct Copy {
        let layoutOwner: MatmulPrimitive   // any primitive that wants this layout
        /// Packed from W or from Wᵀ. A square weight used both ways (a recurrent W_hh forward,
        /// `h · W_hhᵀ`, and backward, `da · W_hh`) gets equal packed layouts for both, which
        /// alone would hand one use the other's copy.
        let transposed: Bool
        let buffer: UnsafeMutableRawPointer
    }

    let version: UInt64
    let checksum: UInt64?
    private let lock = Lock()
    private var copies: [Copy] = []

    init(version: UInt64, checksum: UInt64?) {
        self.version = version
        self.checksum = checksum
    }

    deinit {
        for c in copies { s2s_free(c.buffer) }
    }

    /// The packed copy that `primitive` can read, made from `source` (used as `Wᵀ` when
    /// `transposed`) if there is none yet.
    func buffer(for primitive: MatmulPrimitive, source: Matrix, transposed: Bool) -> UnsafeRawPointer {
        guard let handle = primitive.handle else { preconditionFailure("PackedWeight: primitive unavailable") }
        return lock.withLock {
            for c in copies where c.transposed == transposed
                && c.layoutOwner.handle.map({ s2s_mm_same_packed_b($0, handle) != 0 }) == true {
                return UnsafeRawPointer(c.buffer)
            }
            let size = s2s_mm_packed_b_size(handle)
            guard let buffer = s2s_alloc(max(size, 64)) else {   // the reorder writes all of it
                fatalError("PackedWeight: out of memory for a \(size)-byte packed weight")
            }
            let status = s2s_mm_pack_b(handle, source.base, Int64(source.stride), buffer)
            precondition(status == 0, "PackedWeight: oneDNN reorder failed with status \(status)")
            copies.append(Copy(layoutOwner: primitive, transposed: transposed, buffer: buffer))
            return UnsafeRawPointer(buffer)
        }
    }
}

extension Tensor {
    /// The packed copies for the current version, created on first use after each bump.
    /// In debug builds a checksum catches a weight changed without `bumpVersion()`.
    func packedWeight() -> PackedWeight {
        #if DEBUG
        let sum = s2s_checksum_f32(data, Int64(count))
        #else
        let sum: UInt64? = nil
        #endif
        return packedLock.withLock {
            if let p = packedSlot, p.version == version {
                #if DEBUG
                precondition(p.checksum == sum, "Matmul: weight \(shape) changed without bumpVersion(); its packed copy is stale")
                #endif
                return p
            }
            let p = PackedWeight(version: version, checksum: sum)
            packedSlot = p
            return p
        }
    }
}
