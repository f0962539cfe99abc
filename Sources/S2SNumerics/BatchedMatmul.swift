import CKernels

/// `count` matrices of the same shape laid out at a fixed distance: e.g. the per-sentence
/// `[S, D]` blocks of a time-major encoder output `[S, B, D]` (batch stride D, row stride B·D),
/// or attention weights `[B, 1, S]` (batch stride S). A non-owning view, like `Matrix`.
package struct BatchedMatrix: @unchecked Sendable {
    package let base: UnsafeMutablePointer<Float>
    package let count: Int
    package let rows: Int
    package let cols: Int
    /// Distance between rows of one matrix.
    package let stride: Int
    /// Distance between matrix b and matrix b + 1.
    package let batchStride: Int

    package init(_ base: UnsafeMutablePointer<Float>, count: Int, rows: Int, cols: Int, stride: Int? = nil, batchStride: Int? = nil) {
        let s = stride ?? cols
        let bs = batchStride ?? rows * s
        precondition(count >= 0 && rows >= 0 && cols >= 0 && s >= cols && bs >= 0,
                     "BatchedMatrix: bad view count \(count) rows \(rows) cols \(cols) stride \(s) batchStride \(bs)")
        self.base = base
        self.count = count
        self.rows = rows
        self.cols = cols
        self.stride = s
        self.batchStride = bs
    }

    /// Matrix b of the batch.
    package func matrix(_ b: Int) -> Matrix {
        precondition(b >= 0 && b < count, "BatchedMatrix.matrix: \(b) outside 0..<\(count)")
        return Matrix(base + b * batchStride, rows: rows, cols: cols, stride: stride)
    }

    package subscript(b: Int, r: Int, c: Int) -> Float {
        get { base[b * batchStride + r * stride + c] }
        nonmutating set { base[b * batchStride + r * stride + c] = newValue }
    }
}

extension Matmul {
    /// `C[b] = alpha · op(A[b]) · op(B[b]) + beta · C[b]` for every b, as one engine call
    /// (attention: context `[B,1,S]·[B,S,2H]`, and its backward products).
    package static func batchedGemm(
        _ a: BatchedMatrix, transA: Bool = false,
        _ b: BatchedMatrix, transB: Bool = false,
        into c: BatchedMatrix, alpha: Float = 1, beta: Float = 0,
        precision: Precision = .fp32
    ) {
        precondition(a.count == b.count && a.count == c.count,
                     "batchedGemm: batch counts differ: A \(a.count), B \(b.count), C \(c.count)")
        let m = transA ? a.cols : a.rows, k = transA ? a.rows : a.cols
        let kb = transB ? b.cols : b.rows, n = transB ? b.rows : b.cols
        precondition(k == kb, "batchedGemm: inner dimensions differ: op(A) is \(m)x\(k), op(B) is \(kb)x\(n)")
        precondition(c.rows == m && c.cols == n, "batchedGemm: C is \(c.rows)x\(c.cols), op(A)·op(B) is \(m)x\(n)")
        if c.count == 0 || m == 0 || n == 0 { return }
        if k == 0 || alpha == 0 {
            for i in 0..<c.count { scaleInPlace(c.matrix(i), beta) }
            return
        }
        let type = operandType(precision)
        let bf16 = type == .bf16
        let key = PrimitiveKey(
            type: type, m: m, n: n, k: k, transA: transA, transB: transB,
            lda: bf16 ? a.cols : a.stride, ldb: bf16 ? b.cols : b.stride, ldc: c.stride,
            alphaBits: alpha.bitPattern, betaBits: beta.bitPattern, packedB: false,
            threads: EngineThreads.current, batch: c.count,
            batchStrideA: bf16 ? a.rows * a.cols : a.batchStride,
            batchStrideB: bf16 ? b.rows * b.cols : b.batchStride,
            batchStrideC: c.batchStride)
        let prim = MatmulEngine.primitive(key)
        guard prim.handle != nil else {
            // No batched primitive for this layout: one product per batch entry.
            for i in 0..<c.count {
                gemm(a.matrix(i), transA: transA, b.matrix(i), transB: transB, into: c.matrix(i),
                     alpha: alpha, beta: beta, precision: precision)
            }
            return
        }
        if bf16 {
            execute(prim, UnsafeRawPointer(toBF16(a, slot: 0)), UnsafeRawPointer(toBF16(b, slot: 1)), c.base)
        } else {
            execute(prim, UnsafeRawPointer(a.base), UnsafeRawPointer(b.base), c.base)
        }
    }

    /// Every matrix of the batch rounded to bf16, packed densely ([count, rows, cols]).
    static func toBF16(_ x: BatchedMatrix, slot: Int32) -> UnsafeMutablePointer<UInt16> {
        let per = x.rows * x.cols
        guard let buf = s2s_bf16_scratch(slot, x.count * per) else {
            preconditionFailure("batchedGemm: cannot allocate a \(x.count)x\(x.rows)x\(x.cols) bf16 buffer")
        }
        for i in 0..<x.count {
            s2s_f32_to_bf16(x.base + i * x.batchStride, Int64(x.stride), buf + i * per, Int64(x.cols), Int64(x.rows), Int64(x.cols))
        }
        return buf
    }
}
