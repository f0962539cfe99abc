import Foundation
import Testing
@testable import S2SEval

/// `parity/significance.json` (scripts/make_parity_significance.py): NumPy's draws, sacrebleu's
/// bootstrap confidence and its two paired tests on the committed fixtures, several metrics,
/// seeds and sample counts — reproduced exactly (same draws, same float32 arithmetic).
@Suite struct SignificanceTests {
    struct Draw: Decodable { let seed: UInt64; let n: Int; let choice: [Int]; let booleans: [Int] }
    struct Confidence: Decodable {
        let metric: String; let system: String; let seed: UInt64; let samples: Int
        let score: Double; let mean: Double; let ci: Double; let formatted: String
    }
    struct PairedResult: Decodable { let score: Double; let p_value: Double?; let mean: Double?; let ci: Double? }
    struct Paired: Decodable {
        let metric: String; let test: String; let seed: UInt64; let samples: Int
        let signature: String; let results: [PairedResult]
    }
    struct Expected: Decodable {
        let lines: Int; let reference: String
        let draws: [Draw]; let confidence: [Confidence]; let paired: [Paired]
    }

    static let expected: Expected? = try? Fixtures.decode(Expected.self, "parity/significance.json")
    static let systems = ["hyp.light.de", "hyp.heavy.de", "hyp.with_empty.de", "hyp.punct_unicode.de"]

    static func metric(_ key: String) -> EvalMetric {
        switch key {
        case "bleu": .bleu(BLEU())
        case "bleu-floor": .bleu(BLEU(lowercase: true, smoothing: .floor(0.1)))
        case "chrf": .chrf(CHRF())
        case "chrf++": .chrf(CHRF(wordOrder: 2))
        case "chrf-eps": .chrf(CHRF(epsSmoothing: true))
        default: .ter(TER())
        }
    }

    static func rows(_ key: String, _ system: String, _ e: Expected) throws -> [[Double]] {
        let hyps = Array(try Fixtures.lines(Fixtures.hypothesisPath(system)).prefix(e.lines)).map(TextLines.rstrip)
        let refs = Array(try Fixtures.lines("sacrebleu/\(e.reference)").prefix(e.lines)).map(TextLines.rstrip)
        return try metric(key).statistics(hypotheses: hyps, referenceSets: [refs])
    }

    @Test func numpyDrawsBitForBit() throws {
        let e = try #require(Self.expected)
        for d in e.draws {
            var rng = NumPyRandom(seed: d.seed)
            #expect(rng.choice(d.n, count: d.choice.count) == d.choice, "choice, seed \(d.seed)")
            rng = NumPyRandom(seed: d.seed)
            #expect(rng.booleans(count: d.booleans.count).map { $0 ? 1 : 0 } == d.booleans, "booleans, seed \(d.seed)")
        }
    }

    @Test func bootstrapConfidence() throws {
        let e = try #require(Self.expected)
        #expect(e.confidence.count >= 40)
        for c in e.confidence {
            let metric = Self.metric(c.metric)
            let r = Significance.confidence(metric, rows: try Self.rows(c.metric, c.system, e), samples: c.samples, seed: c.seed)
            let label = "\(c.metric) \(c.system) seed \(c.seed) n \(c.samples)"
            #expect(r.score == c.score, "\(label): score")
            #expect(r.mean?.value == c.mean, "\(label): mean \(r.mean?.value ?? .nan) vs \(c.mean)")
            #expect(r.ci?.value == c.ci, "\(label): ci \(r.ci?.value ?? .nan) vs \(c.ci)")
            let signature = metric.signature(references: 1, extra: [("bs", "\(c.samples)"), ("seed", "\(c.seed)")])
            let s = metric.score(EvalMetric.sum(try Self.rows(c.metric, c.system, e)))
            let line = MetricResult(name: s.name, score: s.score, signature: signature, verbose: s.verbose, confidence: r).line(width: 4)
            #expect(line == c.formatted, "\(label): formatted")
        }
    }

    @Test(arguments: ["bs", "ar"])
    func pairedTests(test: String) throws {
        let e = try #require(Self.expected)
        for p in e.paired where p.test == test {
            let metric = Self.metric(p.metric)
            let baseline = try Self.rows(p.metric, Self.systems[0], e)
            let others = try Self.systems.dropFirst().map { try Self.rows(p.metric, $0, e) }
            let results = test == "bs"
                ? Significance.pairedBootstrap(metric, baseline: baseline, systems: others, samples: p.samples, seed: p.seed)
                : Significance.pairedApproximateRandomization(metric, baseline: baseline, systems: others, trials: p.samples, seed: p.seed)
            let label = "\(test) \(p.metric) seed \(p.seed)"
            #expect(results.count == p.results.count)
            for (i, (got, want)) in zip(results, p.results).enumerated() {
                #expect(got.score == want.score, "\(label) system \(i): score")
                #expect(got.pValue == want.p_value, "\(label) system \(i): p \(got.pValue ?? -1) vs \(want.p_value ?? -1)")
                #expect(got.mean?.value == want.mean, "\(label) system \(i): mean \(got.mean?.value ?? -1) vs \(want.mean ?? -1)")
                #expect(got.ci?.value == want.ci, "\(label) system \(i): ci \(got.ci?.value ?? -1) vs \(want.ci ?? -1)")
            }
            #expect(metric.signature(references: 1, extra: [("seed", "\(p.seed)"), (test, "\(p.samples)")]) == p.signature,
                    "\(label): signature")
        }
    }
}
