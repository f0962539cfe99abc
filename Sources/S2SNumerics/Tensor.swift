import CKernels

/// Contiguous row-major `Float` storage with a shape.
///
/// A reference type on purpose: parameters, gradients and activation buffers are long-lived
/// and shared between a layer's forward and backward pass; copying them would cost more than
/// the math. Memory is 64-byte aligned so vector loops and the GEMM engine see aligned rows.
package final class Tensor: @unchecked Sendable {
    package private(set) var shape: [Int]
    package let count: Int
    package let data: UnsafeMutablePointer<Float>
    /// Bumped by whoever rewrites the values behind the GEMM's back (the optimizer after each
    /// update, a checkpoint load). bf16 GEMMs cache a packed copy of a weight per version, so a
    /// decoder that multiplies by the same weight at every step converts it once per update.
    package private(set) var version: UInt64 = 0
    /// Packed (engine layout, fp32 or bf16) copies of this tensor, valid for `version` only.
    let packedLock = Lock()
    var packedSlot: PackedWeight?

    /// A zero-filled tensor of the given shape.
    package init(shape: [Int]) {
        precondition(shape.allSatisfy { $0 >= 0 }, "Tensor: negative dimension in shape \(shape)")
        self.shape = shape
        self.count = shape.reduce(1, *)
        guard let raw = s2s_alloc_zeroed(max(count, 1) * MemoryLayout<Float>.stride) else {
            fatalError("Tensor: out of memory for shape \(shape)")
        }
        data = raw.bindMemory(to: Float.self, capacity: max(count, 1))
    }

    package convenience init(shape: [Int], values: [Float]) {
        self.init(shape: shape)
        precondition(values.count == count, "Tensor: \(values.count) values for shape \(shape)")
        values.withUnsafeBufferPointer { data.update(from: $0.baseAddress!, count: count) }
    }

    package convenience init(shape: [Int], repeating value: Float) {
        self.init(shape: shape)
        data.update(repeating: value, count: count)
    }

    deinit { s2s_free(data) }

    package var buffer: UnsafeMutableBufferPointer<Float> { UnsafeMutableBufferPointer(start: data, count: count) }
    package var array: [Float] { Array(buffer) }

    package subscript(i: Int) -> Float {
        get { data[i] }
        set { data[i] = newValue }
    }

    /// Marks the values as changed, invalidating packed copies (call after every optimizer step).
    package func bumpVersion() {
        version &+= 1
        packedLock.withLock { packedSlot = nil }
    }

    package func zero() { data.update(repeating: 0, count: count) }

    package func copy(from other: Tensor) {
        precondition(other.count == count, "Tensor.copy: shape \(other.shape) into \(shape)")
        data.update(from: other.data, count: count)
    }

    package func clone() -> Tensor {
        let t = Tensor(shape: shape)
        t.copy(from: self)
        return t
    }

    /// Reinterpret the same elements under another shape (no copy).
    package func reshape(_ newShape: [Int]) {
        precondition(newShape.reduce(1, *) == count, "Tensor.reshape: \(shape) to \(newShape)")
        shape = newShape
    }

    /// This tensor as a matrix: the last dimension is the columns, all others fold into rows.
    package var matrix: Matrix {
        let cols = shape.last ?? 1
        return Matrix(data, rows: cols == 0 ? 0 : count / cols, cols: cols)
    }

    /// Rows `start..<start+n` of `matrix`, without copying (e.g. one time step of `[T*B, H]`).
    package func rows(_ start: Int, _ n: Int) -> Matrix { matrix.rows(start, n) }
}

/// A non-owning row-major matrix view: `rows × cols` with a row stride (leading dimension).
/// Views let the layers address one time step of a `[T, B, H]` buffer, or one gate block of
/// a `[B, 4H]` buffer, without copying.
package struct Matrix: @unchecked Sendable {
    package let base: UnsafeMutablePointer<Float>
    package let rows: Int
    package let cols: Int
    package let stride: Int

    package init(_ base: UnsafeMutablePointer<Float>, rows: Int, cols: Int, stride: Int? = nil) {
        let s = stride ?? cols
        precondition(rows >= 0 && cols >= 0 && s >= cols, "Matrix: bad view rows \(rows) cols \(cols) stride \(s)")
        self.base = base
        self.rows = rows
        self.cols = cols
        self.stride = s
    }

    package subscript(r: Int, c: Int) -> Float {
        get { base[r * stride + c] }
        nonmutating set { base[r * stride + c] = newValue }
    }

    package func row(_ r: Int) -> UnsafeMutablePointer<Float> { base + r * stride }

    package func rows(_ start: Int, _ n: Int) -> Matrix {
        precondition(start >= 0 && n >= 0 && start + n <= rows, "Matrix.rows: \(start)..<\(start + n) of \(rows) rows")
        return Matrix(base + start * stride, rows: n, cols: cols, stride: stride)
    }

    package func columns(_ start: Int, _ n: Int) -> Matrix {
        precondition(start >= 0 && n >= 0 && start + n <= cols, "Matrix.columns: \(start)..<\(start + n) of \(cols) columns")
        return Matrix(base + start, rows: rows, cols: n, stride: stride)
    }

    package var isContiguous: Bool { stride == cols || rows <= 1 }
}
