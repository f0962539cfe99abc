import Foundation
import Testing
@testable import S2SEval

/// `parity/sacrebleu_api.json` (scripts/make_parity_fixtures.py): every metric option of
/// sacrebleu 2.6.0 — its own test vectors and an option grid over the committed fixture files,
/// one and two references — against the Swift metrics: corpus score, formatted line, long and
/// short signatures, sentence scores.
@Suite struct SacreBLEUOptionTests {
    struct Options: Decodable {
        var lowercase: Bool?
        var smooth_method: String?
        var smooth_value: Double?
        var max_ngram_order: Int?
        var effective_order: Bool?
        var char_order: Int?
        var word_order: Int?
        var beta: Int?
        var whitespace: Bool?
        var eps_smoothing: Bool?
        var normalized: Bool?
        var no_punct: Bool?
        var asian_support: Bool?
        var case_sensitive: Bool?
    }
    struct Files: Decodable {
        let hyp: String
        let refs: [String]
        let lines: Int
    }
    struct Case: Decodable {
        let name: String
        let metric: String
        let options: Options
        let corpus_score: Double
        let formatted: String
        let signature: String
        let short_signature: String
        let verbose: String?
        let files: Files?
        let hyps: [String]?
        let refs: [[String]]?
        let sentence_scores: [Double]
    }
    struct Tercom: Decodable {
        let options: Options
        let inputs: [String]
        let outputs: [String]
    }
    struct Lower: Decodable {
        let input: String
        let output: String
    }
    struct Expected: Decodable {
        let sacrebleu_version: String
        let vectors: [Case]
        let tercom: [Tercom]
        let grid: [Case]
        let lower: [Lower]
    }

    static let expected: Expected? = try? Fixtures.decode(Expected.self, "parity/sacrebleu_api.json")

    /// The metric a case describes, built the way `s2s evaluate` builds it from its options.
    static func metric(_ c: Case) throws -> EvalMetric {
        let o = c.options
        switch c.metric {
        case "bleu":
            let method = try #require(BLEUSmoothing.Method(rawValue: o.smooth_method ?? "exp"))
            return .bleu(BLEU(effectiveOrder: o.effective_order ?? false, lowercase: o.lowercase ?? false,
                              smoothing: BLEUSmoothing(method, value: o.smooth_value), maxNgramOrder: o.max_ngram_order ?? 4))
        case "chrf":
            return .chrf(CHRF(charOrder: o.char_order ?? 6, wordOrder: o.word_order ?? 0, beta: o.beta ?? 2,
                              lowercase: o.lowercase ?? false, whitespace: o.whitespace ?? false, epsSmoothing: o.eps_smoothing ?? false))
        default:
            return .ter(TER(normalized: o.normalized ?? false, noPunct: o.no_punct ?? false,
                            asianSupport: o.asian_support ?? false, caseSensitive: o.case_sensitive ?? false))
        }
    }

    /// The committed fixture files, each read once (rstripped as sacrebleu's command line reads them).
    static let files: [String: [String]] = {
        var out: [String: [String]] = [:]
        for name in ["ref.de", "hyp.heavy.de", "hyp.light.de", "hyp.with_empty.de", "hyp.punct_unicode.de"] {
            out[name] = (try? Fixtures.lines(Fixtures.hypothesisPath(name)))?.map(TextLines.rstrip)
        }
        return out
    }()

    /// The case's lines: inline, or a prefix of committed files.
    static func lines(_ c: Case) throws -> (hyps: [String], refs: [[String]]) {
        if let f = c.files {
            func read(_ name: String) throws -> [String] { Array(try #require(files[name]).prefix(f.lines)) }
            return (try read(f.hyp), try f.refs.map(read))
        }
        return (try #require(c.hyps), try #require(c.refs))
    }

    static func check(_ c: Case) throws {
        let metric = try metric(c)
        let (hyps, refs) = try lines(c)
        let rows = try metric.statistics(hypotheses: hyps, referenceSets: refs)
        let corpus = metric.score(EvalMetric.sum(rows))
        // Bit-identical: same operations in the same order as sacrebleu.
        #expect(corpus.score == c.corpus_score, "\(c.name): \(corpus.score) vs \(c.corpus_score)")
        let line = MetricResult(name: corpus.name, score: corpus.score, signature: metric.signature(references: refs.count),
                                verbose: corpus.verbose).line(width: 4)
        #expect(line == c.formatted, "\(c.name): formatted")
        #expect(metric.signature(references: refs.count) == c.signature, "\(c.name): signature")
        #expect(metric.signature(references: refs.count, short: true) == c.short_signature, "\(c.name): short signature")
        if let verbose = c.verbose { #expect(corpus.verbose == verbose, "\(c.name): verbose") }
        for (i, want) in c.sentence_scores.enumerated() {
            let got = metric.score(rows[i]).score
            #expect(close(got, want, rel: 1e-12), "\(c.name): sentence \(i): \(got) vs \(want)")
        }
    }

    @Test func fixtureLoads() throws {
        let e = try #require(Self.expected)
        #expect(e.sacrebleu_version == SacreBLEU.version)
        #expect(e.vectors.count > 50 && e.grid.count > 250 && e.tercom.count == 16)
    }

    @Test func sacrebleuTestVectors() throws {
        for c in try #require(Self.expected).vectors { try Self.check(c) }
    }

    @Test(arguments: ["bleu", "chrf", "ter"])
    func optionGrid(metric: String) throws {
        let cases = try #require(Self.expected).grid.filter { $0.metric == metric }
        #expect(!cases.isEmpty)
        for c in cases { try Self.check(c) }
    }

    @Test func tercomTokenizerEveryOption() throws {
        for t in try #require(Self.expected).tercom {
            let o = t.options
            let tok = TercomTokenizer(normalized: o.normalized ?? false, noPunct: o.no_punct ?? false,
                                      asianSupport: o.asian_support ?? false, caseSensitive: o.case_sensitive ?? false)
            for (input, want) in zip(t.inputs, t.outputs) {
                #expect(tok.tokenize(input) == want, "\(o): \(input.debugDescription)")
            }
        }
    }

    /// Python's `str.lower()` (what `--lowercase`, `--chrf-lowercase` and TER apply) beyond ASCII.
    @Test func pythonLower() throws {
        let cases = try #require(Self.expected).lower
        #expect(cases.count >= 10)
        for c in cases {
            #expect(PythonText.string(PythonText.lower(PythonText.scalars(c.input))) == c.output, "\(c.input.debugDescription)")
        }
    }
}
