#if canImport(Glibc)
import Glibc
#endif
import S2SNumerics
import S2SText

/// Pieces every search strategy shares: which tokens a decoder may emit, and the GNMT coverage
/// penalty.
enum SearchSupport {
    /// Decoding never emits `<pad>` or `<s>`, nor `</s>` before the minimum length.
    static let forbidden: [Int32] = [SpecialTokens.pad, SpecialTokens.bos]
    static let forbiddenWithEnd: [Int32] = [SpecialTokens.pad, SpecialTokens.bos, SpecialTokens.eos]

    /// GNMT coverage penalty `β · Σ_i log(min(Σ_j a_ij, 1))` over the source positions.
    static func coveragePenalty(_ coverage: UnsafePointer<Float>, count: Int, beta: Float) -> Float {
        guard beta != 0 else { return 0 }
        var sum: Float = 0
        for i in 0..<count { sum += logf(max(min(coverage[i], 1), Float.leastNormalMagnitude)) }
        return beta * sum
    }
}

/// Per-row summaries of a step's logits, computed in one fused pass (C kernel) without writing
/// a log-softmax back: the k best tokens with their logits, and the row's log-sum-exp, so
/// `log p(token) = logit − lse`. Buffers grow and are reused, so a search allocates nothing per
/// step.
final class RowScores {
    private(set) var rows = 0
    private(set) var k = 0
    private var capacity = 0
    private var indices = UnsafeMutablePointer<Int32>.allocate(capacity: 1)
    private var values = UnsafeMutablePointer<Float>.allocate(capacity: 1)
    private var lse = UnsafeMutablePointer<Float>.allocate(capacity: 1)

    deinit {
        indices.deallocate()
        values.deallocate()
        lse.deallocate()
    }

    /// Scores `logits` [R, V]: top `k` (clamped to V) per row, `<pad>`/`<s>` (and `</s>` when
    /// `forbidEnd`) excluded from both the top-k and the normalizer.
    func compute(_ logits: Matrix, k requested: Int, forbidEnd: Bool) {
        let kk = min(max(requested, 1), logits.cols)
        if logits.rows * kk > capacity || logits.rows > capacity {
            indices.deallocate(); values.deallocate(); lse.deallocate()
            capacity = max(logits.rows * kk, logits.rows) * 2
            indices = .allocate(capacity: capacity)
            values = .allocate(capacity: capacity)
            lse = .allocate(capacity: capacity)
        }
        rows = logits.rows
        k = kk
        let list = forbidEnd ? SearchSupport.forbiddenWithEnd : SearchSupport.forbidden
        list.withUnsafeBufferPointer { f in
            Kernels.topKLogSumExp(logits, forbidden: f, k: kk, indices: indices, values: values, lse: lse)
        }
    }

    /// The j-th best token of row r (j < k).
    @inline(__always) func token(_ r: Int, _ j: Int) -> Int32 { indices[r * k + j] }
    /// Its logit.
    @inline(__always) func logit(_ r: Int, _ j: Int) -> Float { values[r * k + j] }
    /// Its log-probability.
    @inline(__always) func logProb(_ r: Int, _ j: Int) -> Float { values[r * k + j] - lse[r] }
    /// Row r's log-sum-exp over the allowed tokens.
    @inline(__always) func logSumExp(_ r: Int) -> Float { lse[r] }
}
