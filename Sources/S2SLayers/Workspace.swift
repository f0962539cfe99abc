import S2SNumerics

/// Grow-only activation buffers, reused from one batch to the next.
///
/// A training step needs a few dozen buffers whose sizes depend on the batch shape; allocating
/// (and zero-filling) them every step costs page faults on hundreds of MB. A workspace hands out
/// views of tensors that only grow, keyed by name: the same key returns the same memory as long
/// as the request fits, so what forward stores under a key is still there for backward.
package final class Workspace: @unchecked Sendable {
    private var tensors: [String: Tensor] = [:]

    package init() {}

    /// A `[rows, cols]` contiguous view under `key`. Contents are whatever was left there
    /// unless `zeroed` is set.
    package func matrix(_ key: String, rows: Int, cols: Int, zeroed: Bool = false) -> Matrix {
        let p = pointer(key, count: rows * cols)
        if zeroed { p.update(repeating: 0, count: rows * cols) }
        return Matrix(p, rows: rows, cols: cols)
    }

    /// Raw storage of at least `count` floats under `key`.
    package func pointer(_ key: String, count: Int) -> UnsafeMutablePointer<Float> {
        if let t = tensors[key], t.count >= count { return t.data }
        let t = Tensor(shape: [max(count, 1)])
        tensors[key] = t
        return t.data
    }

    /// Bytes held (for memory reports).
    package var byteCount: Int { tensors.values.reduce(0) { $0 + $1.count * MemoryLayout<Float>.stride } }

    /// Drops every buffer (e.g. after a much larger batch than usual).
    package func removeAll() { tensors.removeAll() }
}

/// Grow-only Int32 buffers (token ids, lengths) for the same reason.
package final class IndexBuffer: @unchecked Sendable {
    package private(set) var pointer: UnsafeMutablePointer<Int32>
    package private(set) var capacity: Int

    package init(capacity: Int = 16) {
        self.capacity = max(capacity, 1)
        pointer = .allocate(capacity: self.capacity)
        pointer.initialize(repeating: 0, count: self.capacity)
    }

    deinit { pointer.deallocate() }

    /// Ensures room for `count` values and returns the storage.
    @discardableResult
    package func reserve(_ count: Int) -> UnsafeMutablePointer<Int32> {
        if count > capacity {
            pointer.deallocate()
            capacity = count
            pointer = .allocate(capacity: count)
            pointer.initialize(repeating: 0, count: count)
        }
        return pointer
    }

    /// Copies `values` in and returns the storage.
    @discardableResult
    package func set(_ values: [Int32]) -> UnsafeMutablePointer<Int32> {
        let p = reserve(values.count)
        values.withUnsafeBufferPointer { if let b = $0.baseAddress { p.update(from: b, count: values.count) } }
        return p
    }
}
