#if canImport(Glibc)
import Glibc
#endif

extension EvalMetric {
    /// `_compute_score_from_stats` on a bootstrap resample, as sacrebleu runs it: the summed
    /// statistics are a float32 array, so with NumPy 2 every operation mixing them with Python
    /// numbers is float32 — BLEU's precisions (its log/exp stay double), all of chrF and TER.
    package func resampledScore(_ row: [Float]) -> NumPyFloat {
        switch self {
        case let .bleu(m): Self.bleu(m, row)
        case let .chrf(m): Self.chrf(m, row)
        case .ter: Self.ter(row)
        }
    }

    /// `BLEU.compute_bleu` with float32 counts and totals.
    private static func bleu(_ m: BLEU, _ row: [Float]) -> NumPyFloat {
        let order = m.maxNgramOrder
        let sysLen = Int(row[0]), refLen = Int(row[1])
        var correct = Array(row[2..<(2 + order)]), total = Array(row[(2 + order)...])
        var bp = 1.0
        if sysLen < refLen { bp = sysLen > 0 ? exp(1 - Double(refLen) / Double(sysLen)) : 0.0 }
        guard correct.contains(where: { $0 != 0 }) else { return .double(0) }
        var precisions = [NumPyFloat](repeating: .double(0), count: order)
        var smoothMteval = 1.0
        var effOrder = order
        for n in 1...order {
            if case let .addK(k) = m.smoothing, n > 1 {
                correct[n - 1] += Float(k)
                total[n - 1] += Float(k)
            }
            if total[n - 1] == 0 { break }
            if m.effectiveOrder { effOrder = n }
            if correct[n - 1] == 0 {
                switch m.smoothing {
                case .exp:
                    smoothMteval *= 2
                    precisions[n - 1] = .float32(100 / (Float(smoothMteval) * total[n - 1]))
                case let .floor(v):
                    precisions[n - 1] = .float32(Float(100 * v) / total[n - 1])
                case .none, .addK:
                    break
                }
            } else {
                precisions[n - 1] = .float32(100 * correct[n - 1] / total[n - 1])
            }
        }
        var logSum = 0.0
        for p in precisions[0..<effOrder] { logSum += p.value == 0 ? BLEU.logOfZero : log(p.value) }
        return .double(bp * exp(logSum / Double(effOrder)))
    }

    /// `CHRF._compute_f_score` with float32 statistics (Python's ε and zeros stay doubles
    /// until they meet a float32).
    private static func chrf(_ m: CHRF, _ row: [Float]) -> NumPyFloat {
        let eps = NumPyFloat.double(1e-16)
        let factor = NumPyFloat.double(Double(m.beta * m.beta))
        var score = NumPyFloat.double(0), avgPrec = NumPyFloat.double(0), avgRec = NumPyFloat.double(0)
        var effective = 0
        let orders = row.count / 3
        for i in 0..<orders {
            let nHyp = row[3 * i], nRef = row[3 * i + 1], nMatch = row[3 * i + 2]
            let prec: NumPyFloat = nHyp > 0 ? .float32(nMatch / nHyp) : eps
            let rec: NumPyFloat = nRef > 0 ? .float32(nMatch / nRef) : eps
            let denom = factor * prec + rec
            score = score + (denom.value > 0 ? (.double(1) + factor) * prec * rec / denom : eps)
            if nHyp > 0 && nRef > 0 {
                avgPrec = avgPrec + prec
                avgRec = avgRec + rec
                effective += 1
            }
        }
        if m.epsSmoothing { return .double(100) * score / .double(Double(orders)) }
        if effective == 0 {
            avgPrec = .double(0); avgRec = .double(0)
        } else {
            avgPrec = avgPrec / .double(Double(effective))
            avgRec = avgRec / .double(Double(effective))
        }
        guard (avgPrec + avgRec).value != 0 else { return .double(0) }
        var f = (.double(1) + factor) * avgPrec * avgRec
        f = f / ((factor * avgPrec) + avgRec)
        return .double(100) * f
    }

    /// `TER._compute_score_from_stats` with float32 statistics.
    private static func ter(_ row: [Float]) -> NumPyFloat {
        let edits = row[0], length = row[1]
        let score: NumPyFloat = length > 0 ? .float32(edits / length) : .double(edits > 0 ? 1 : 0)
        return .double(100) * score
    }
}
