import S2SNumerics

/// Pieces every search strategy shares: masking tokens a decoder must never emit, turning a
/// step's logits into log-probabilities, and copying a row's attention out of a step's output.
enum SearchSupport {
    /// Sets `<pad>` and `<s>` (and `</s>` while `forbidEnd`) to −∞ in every row, then log-softmax.
    static func logProbabilities(_ logits: Tensor, forbidEnd: Bool) -> Matrix {
        let m = logits.matrix
        forbid(m, forbidEnd: forbidEnd)
        Kernels.logSoftmaxRows(m)
        return m
    }

    /// Decoding never emits `<pad>` or `<s>`, nor `</s>` before the minimum length.
    static func forbid(_ m: Matrix, forbidEnd: Bool) {
        for r in 0..<m.rows {
            let row = m.row(r)
            row[Int(SpecialTokens.pad)] = -.infinity
            row[Int(SpecialTokens.bos)] = -.infinity
            if forbidEnd { row[Int(SpecialTokens.eos)] = -.infinity }
        }
    }

    /// The attention row `r` of a step, cut to the sentence's own source length.
    static func attentionRow(_ attention: Tensor, row r: Int, sourceLength: Int) -> [Float] {
        let m = attention.matrix
        return Array(UnsafeBufferPointer(start: m.row(r), count: min(sourceLength, m.cols)))
    }

    /// GNMT coverage penalty `β · Σ_i log(min(Σ_j a_ij, 1))` over the source positions.
    static func coveragePenalty(_ coverage: [Float], beta: Float) -> Float {
        guard beta != 0 else { return 0 }
        var sum: Float = 0
        for c in coverage { sum += logf(max(min(c, 1), Float.leastNormalMagnitude)) }
        return beta * sum
    }
}

#if canImport(Glibc)
import Glibc
#endif
