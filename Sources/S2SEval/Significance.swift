/// sacrebleu 2.6.0's statistical tests (`sacrebleu.significance`), with its NumPy random draws
/// replayed bit for bit (`NumPyRandom`) and its float32 resampling arithmetic replayed
/// (`EvalMetric.resampledScore`), so the same seed gives the same numbers:
///
/// - bootstrap confidence (`--confidence`): n resamples of the segments with replacement; the
///   95% interval is half the distance between the 2.5th and 97.5th percentile scores, the
///   mean is Python's exact `statistics.mean`;
/// - paired bootstrap resampling (Koehn 2004, as Moses' script): the same resamples for
///   baseline and system; p = (#{|Δ_s| − mean|Δ| > |Δ|} + 1) / (n + 1);
/// - paired approximate randomization (Riezler & Maxwell 2005): each trial swaps each
///   segment's baseline and system statistics with probability ½; p = (#{|Δ_trial| > |Δ|} + 1)
///   / (trials + 1).
package enum Significance {
    /// sacrebleu's default seed (`SACREBLEU_SEED`).
    package static let defaultSeed: UInt64 = 12345
    /// The p-value under which sacrebleu marks a difference significant.
    package static let threshold = 0.05

    /// One system's result for one metric.
    package struct Result: Sendable, Equatable {
        package let score: Double
        package var pValue: Double?
        /// The bootstrap mean and 95% half-interval.
        package var mean: NumPyFloat?
        package var ci: NumPyFloat?
    }

    /// `estimate_ci` (paired tests): sorted scores, the 1/40 and 39/40 order statistics, NumPy mean.
    static func estimateCI(_ scores: [NumPyFloat]) -> (mean: NumPyFloat, ci: NumPyFloat) {
        let sorted = scores.sorted { $0.value < $1.value }
        let lower = sorted.count / 40, upper = sorted.count - lower - 1
        // NumPy sums the sorted array: the order changes the rounding.
        return (NumPyReduce.mean(sorted), .double(0.5) * (unify(sorted[upper], scores) - unify(sorted[lower], scores)))
    }

    /// An element as its NumPy array holds it: a float32 array only if every score was float32.
    private static func unify(_ x: NumPyFloat, _ all: [NumPyFloat]) -> NumPyFloat {
        all.allSatisfy(\.isFloat32) ? x : .double(x.value)
    }

    /// The resample indices: `default_rng(seed).choice(n, size=(samples, n))`, row-major.
    package static func resampleIndices(lines: Int, samples: Int, seed: UInt64) -> [Int] {
        var rng = NumPyRandom(seed: seed)
        return rng.choice(lines, count: samples * lines)
    }

    /// The score of every resample: statistics as float32, summed in resample order.
    static func resampledScores(_ metric: EvalMetric, _ rows: [[Double]], _ indices: [Int], samples: Int) -> [NumPyFloat] {
        let n = rows.count
        let f32 = rows.map { $0.map { Float($0) } }
        let width = rows.first?.count ?? 0
        return (0..<samples).map { s in
            var sum = [Float](repeating: 0, count: width)
            for j in 0..<n {
                let row = f32[indices[s * n + j]]
                for k in 0..<width { sum[k] += row[k] }
            }
            return metric.resampledScore(sum)
        }
    }

    /// `corpus_score(n_bootstrap=samples)`: the score with the bootstrap mean and 95% interval
    /// (`Score.estimate_ci`: Python-sorted scores, exact mean).
    package static func confidence(_ metric: EvalMetric, rows: [[Double]], samples: Int, seed: UInt64) -> Result {
        let score = metric.score(EvalMetric.sum(rows)).score
        let scores = resampledScores(metric, rows, resampleIndices(lines: rows.count, samples: samples, seed: seed), samples: samples)
        let sorted = scores.sorted { $0.value < $1.value }
        let lower = sorted.count / 40, upper = sorted.count - lower - 1
        // Python scalars here, not an array: NumPyFloat's scalar promotion applies as it is.
        return Result(score: score, pValue: nil, mean: NumPyReduce.exactMean(scores),
                      ci: .double(0.5) * (sorted[upper] - sorted[lower]))
    }

    /// `_paired_bs_test` for each system against `baseline` (all rows of one metric); the
    /// baseline's own result comes first, with its bootstrap mean and interval.
    package static func pairedBootstrap(_ metric: EvalMetric, baseline: [[Double]], systems: [[[Double]]],
                                       samples: Int, seed: UInt64) -> [Result] {
        let indices = resampleIndices(lines: baseline.count, samples: samples, seed: seed)
        let baselineScore = metric.score(EvalMetric.sum(baseline)).score
        let baselineScores = resampledScores(metric, baseline, indices, samples: samples)
        let (bm, bci) = estimateCI(baselineScores)
        var out = [Result(score: baselineScore, pValue: nil, mean: bm, ci: bci)]
        for rows in systems {
            let score = metric.score(EvalMetric.sum(rows)).score
            let scores = resampledScores(metric, rows, indices, samples: samples)
            let (mean, ci) = estimateCI(scores)
            // np.abs(scores_sys - scores_bl), then minus its NumPy mean; compared with the real
            // difference in the array's dtype.
            // Array minus array: float32 only if both arrays are (no weak scalars here).
            let both32 = scores.allSatisfy(\.isFloat32) && baselineScores.allSatisfy(\.isFloat32)
            let diffs: [NumPyFloat] = zip(scores, baselineScores).map { s, b in
                both32 ? .float32(abs(Float(s.value) - Float(b.value))) : .double(abs(s.value - b.value))
            }
            let centre = NumPyReduce.mean(diffs)
            let real = abs(baselineScore - score)
            let float32 = diffs.allSatisfy(\.isFloat32)
            let count = diffs.filter { d in
                let c = d - centre
                return float32 ? Float(c.value) > Float(real) : c.value > real
            }.count
            out.append(Result(score: score, pValue: Double(count + 1) / Double(samples + 1), mean: mean, ci: ci))
        }
        return out
    }

    /// `_paired_ar_test` for each system against `baseline` (no confidence, as sacrebleu's
    /// command line runs it). Each system draws its own swap matrix from a fresh generator.
    package static func pairedApproximateRandomization(_ metric: EvalMetric, baseline: [[Double]], systems: [[[Double]]],
                                                      trials: Int, seed: UInt64) -> [Result] {
        let baselineScore = metric.score(EvalMetric.sum(baseline)).score
        var out = [Result(score: baselineScore, pValue: nil, mean: nil, ci: nil)]
        let n = baseline.count, width = baseline.first?.count ?? 0
        for rows in systems {
            var rng = NumPyRandom(seed: seed)
            let swap = rng.booleans(count: trials * n)
            let score = metric.score(EvalMetric.sum(rows)).score
            let real = abs(baselineScore - score)
            var count = 0
            for t in 0..<trials {
                var a = [Double](repeating: 0, count: width), b = a
                for j in 0..<n {
                    let (x, y) = swap[t * n + j] ? (baseline[j], rows[j]) : (rows[j], baseline[j])
                    for k in 0..<width { a[k] += x[k]; b[k] += y[k] }
                }
                if abs(metric.score(a).score - metric.score(b).score) > real { count += 1 }
            }
            out.append(Result(score: score, pValue: Double(count + 1) / Double(trials + 1), mean: nil, ci: nil))
        }
        return out
    }
}
