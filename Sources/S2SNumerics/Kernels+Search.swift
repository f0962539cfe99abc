import CKernels

extension Kernels {
    /// For each row r of `logits` [R, C]: the `k` largest entries, sorted descending with ties to
    /// the lower index, into `indices`/`values` [R, k], and the row's log-sum-exp into `lse` [R].
    /// Columns in `forbidden` count as −∞. One pass over each row: greedy, beam search and
    /// sampling read this instead of a full log-softmax. `k` must be in 1...C.
    package static func topKLogSumExp(_ logits: Matrix, forbidden: UnsafeBufferPointer<Int32>, k: Int,
                                      indices: UnsafeMutablePointer<Int32>, values: UnsafeMutablePointer<Float>,
                                      lse: UnsafeMutablePointer<Float>) {
        s2s_topk_logsumexp_rows(logits.base, Int64(logits.rows), Int64(logits.cols), Int64(logits.stride),
                                forbidden.baseAddress, Int32(forbidden.count), Int32(k), indices, values, lse)
    }

    /// A 64-bit checksum of `count` floats' bit patterns (replicas of a data-parallel run compare
    /// their parameters with it).
    package static func checksum(_ x: UnsafePointer<Float>, count: Int) -> UInt64 {
        s2s_checksum_f32(x, Int64(count))
    }
}

/// 16-bit gradients for a compressed allreduce: bfloat16 or IEEE half, rounded to nearest even.
package enum HalfPrecision {
    /// `y[i] = round16(x[i])`. x, y [count]
    package static func encode(_ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<UInt16>, count: Int, bf16: Bool) {
        s2s_half_encode(x, y, Int64(count), bf16 ? 1 : 0)
    }

    /// `y[i] = widen(x[i])`. x, y [count]
    package static func decode(_ x: UnsafePointer<UInt16>, into y: UnsafeMutablePointer<Float>, count: Int, bf16: Bool) {
        s2s_half_decode(x, y, Int64(count), bf16 ? 1 : 0)
    }

    /// `accumulator[i] ← round16(widen(input[i]) + widen(accumulator[i]))`: one fp32 addition, rounded once (the
    /// body of the MPI user operator). input, accumulator [count]
    package static func sum(_ input: UnsafePointer<UInt16>, into accumulator: UnsafeMutablePointer<UInt16>, count: Int, bf16: Bool) {
        s2s_half_sum(input, accumulator, Int64(count), bf16 ? 1 : 0)
    }
}
