#if canImport(Glibc)
import Glibc
#endif
import CKernels
import S2SText
import Testing
import S2SLayers
import S2SModel
import S2SNumerics
@testable import S2SDecode

/// The step engine (`Seq2SeqDecoder`) through row reorders, as beam search uses it, against the
/// same engine replaying each row's token history from the start without reorders: same logits
/// and attention at every step, for every decoder cell and depth, in fp32 through both the
/// streaming (few rows) and the GEMM (many rows) paths.
private func randomSources(_ n: Int, vocabulary: Int, rng: inout PCG32) -> [[Int32]] {
    (0..<n).map { _ in (0..<(1 + Int(rng.nextUInt32() % 7))).map { _ in Int32(4 + Int(rng.nextUInt32() % UInt32(vocabulary - 4))) } }
}

private func maxRelativeDifference(_ a: Matrix, _ b: Matrix) -> Float {
    var worst: Float = 0
    for r in 0..<a.rows {
        for c in 0..<a.cols { worst = max(worst, abs(a[r, c] - b[r, c]) / max(1, abs(b[r, c]))) }
    }
    return worst
}

private let engineShapes: [(RecurrentCellKind, Int, Bool, AttentionKind)] = [
    (.gru, 1, true, .additive), (.lstm, 2, true, .bilinear), (.rnn, 1, false, .concat), (.gated, 3, true, .additive),
]

@Test(arguments: [2, 12], engineShapes)
func decoderReordersAsItsReplay(sentences: Int, shape: (cell: RecurrentCellKind, layers: Int, feed: Bool, attention: AttentionKind)) throws {
    let config = ModelConfig(sourceVocabulary: 40, targetVocabulary: 37, embedding: 9, hidden: 7, decoderHidden: 11,
                             attentionSize: 5, layers: 2, decoderCell: shape.cell, decoderLayers: shape.layers,
                             inputFeeding: shape.feed, residual: shape.layers > 1, attention: shape.attention)
    let model = try Seq2SeqModel(config: config, seed: 9)
    var rng = PCG32(seed: 4)
    let sources = randomSources(sentences, vocabulary: 40, rng: &rng)
    let encoded = try model.encode(sources: sources)
    let decoder = Seq2SeqDecoder(model: model)
    decoder.begin(encoded)
    decoder.reserve(rows: 3 * sentences, sourceLength: encoded.sourceLength)
    var rows = (0..<Int32(sentences)).map { $0 }           // sentence of each row
    var history = rows.map { _ in [SpecialTokens.bos] }     // tokens each row was fed
    for step in 0..<5 {
        decoder.step(previous: history.map { $0.last! })
        let replay = Seq2SeqDecoder(model: model)
        replay.begin(encoded)
        replay.reserve(rows: rows.count, sourceLength: encoded.sourceLength)
        replay.reorder(parents: rows)
        for k in 0...step { replay.step(previous: history.map { $0[k] }) }
        #expect(maxRelativeDifference(decoder.logits, replay.logits) < 1e-5, "step \(step)")
        #expect(maxRelativeDifference(decoder.attention, replay.attention) < 1e-5, "step \(step)")
        // Reorder as a beam would: some rows vanish, some repeat.
        var parents: [Int32] = []
        for r in 0..<Int32(rows.count) where r % 3 != 1 {
            parents.append(r)
            if r % 3 == 0 { parents.append(r) }
        }
        decoder.reorder(parents: parents)
        rows = parents.map { rows[Int($0)] }
        history = parents.enumerated().map { i, p in history[Int(p)] + [Int32(4 + (i + step) % 30)] }
        #expect(Array(decoder.sourceRows) == rows)
    }
}

@Test func topKAndLogSumExpMatchASortedRow() {
    var rng = PCG32(seed: 3)
    let rows = 5, cols = 1003, k = 7
    let m = Tensor(shape: [rows, cols])
    for i in 0..<m.count { m.data[i] = Float(Int(rng.nextUInt32() % 200)) / 10 - 10 }  // many ties
    m.data[2 * cols + 500] = .nan
    m.data[3 * cols + 0] = 99   // forbidden column 0 holds the row's largest value
    let forbid: [Int32] = [0, 2]
    var idx = [Int32](repeating: 0, count: rows * k), val = [Float](repeating: 0, count: rows * k)
    var lse = [Float](repeating: 0, count: rows)
    s2s_topk_logsumexp_rows(m.data, Int64(rows), Int64(cols), Int64(cols), forbid, 2, Int32(k), &idx, &val, &lse)
    for r in 0..<rows {
        let row = (0..<cols).filter { !forbid.contains(Int32($0)) && !m.matrix[r, $0].isNaN }
        let sorted = row.sorted { m.matrix[r, $0] != m.matrix[r, $1] ? m.matrix[r, $0] > m.matrix[r, $1] : $0 < $1 }
        #expect(idx[(r * k)..<((r + 1) * k)].map(Int.init) == Array(sorted.prefix(k)))
        let mx = Double(m.matrix[r, sorted[0]])
        let expected = mx + log(row.reduce(0.0) { $0 + exp(Double(m.matrix[r, $1]) - mx) })
        #expect(abs(Double(lse[r]) - expected) < 1e-4)
    }
}

@Test(arguments: [1, 3, 5, 8, 13])
func streamingProductMatchesPlainSums(rows: Int) {
    var rng = PCG32(seed: UInt64(rows))
    let n = 37, k = 53   // odd sizes: row remainders and masked tails
    let w = Tensor(shape: [n, k]), x = Tensor(shape: [rows, k + 3]), bias = Tensor(shape: [n])
    for t in [w, x, bias] { for i in 0..<t.count { t.data[i] = rng.uniform(-1, 1) } }
    var bf = [UInt16](repeating: 0, count: n * k)
    s2s_f32_to_bf16(w.data, Int64(k), &bf, Int64(k), Int64(n), Int64(k))
    // The dot-product kernel (on a CPU with AVX512-BF16) rounds x to bf16 as well; the expected
    // sums then use that x. Each bf16 kernel is named, not taken from the process-wide preference.
    var xb = [UInt16](repeating: 0, count: rows * (k + 3))
    s2s_f32_to_bf16(x.data, Int64(k + 3), &xb, Int64(k + 3), Int64(rows), Int64(k + 3))
    let hasDot = s2s_gemv_has_bf16_dot() != 0
    for (useBF16, dot) in [(false, false), (true, false), (true, true)] {
        let roundsInput = dot && hasDot
        let y = Tensor(shape: [rows, n + 1])
        if useBF16 {
            s2s_gemv_rows_bf16_kernel(Int64(rows), Int64(n), Int64(k), x.data, Int64(k + 3), bf, Int64(k), bias.data,
                                      y.data, Int64(n + 1), dot ? 1 : 0)
        } else {
            s2s_gemv_rows_f32(Int64(rows), Int64(n), Int64(k), x.data, Int64(k + 3), w.data, Int64(k), bias.data, y.data, Int64(n + 1))
        }
        for r in 0..<rows {
            for j in 0..<n {
                var s = Double(bias.data[j])
                for c in 0..<k {
                    let wv: Float = useBF16 ? Float(bitPattern: UInt32(bf[j * k + c]) << 16) : w.data[j * k + c]
                    let xv: Float = useBF16 && roundsInput
                        ? Float(bitPattern: UInt32(xb[r * (k + 3) + c]) << 16) : x.data[r * (k + 3) + c]
                    s += Double(wv) * Double(xv)
                }
                #expect(abs(Double(y.data[r * (n + 1) + j]) - s) < 1e-4)
            }
        }
    }
}
