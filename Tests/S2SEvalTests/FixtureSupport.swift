import Foundation
import Testing
@testable import S2SEval

/// Locates and decodes the bundled sacrebleu fixtures.
enum Fixtures {
    static func url(_ relative: String) throws -> URL {
        let url = try #require(Bundle.module.resourceURL).appendingPathComponent("Fixtures").appendingPathComponent(relative)
        return url
    }

    static func lines(_ relative: String) throws -> [String] {
        try TextLines.read(path: try url(relative).path)
    }

    static func decode<T: Decodable>(_ type: T.Type, _ relative: String) throws -> T {
        try JSONDecoder().decode(T.self, from: Data(contentsOf: try url(relative)))
    }

    /// The shared fixture names `hyp.identical.de`, a byte-for-byte copy of `ref.de`
    /// (checked with `cmp` when the fixtures were copied); the copy is not bundled twice.
    static func hypothesisPath(_ name: String) -> String {
        name == "hyp.identical.de" ? "sacrebleu/ref.de" : "sacrebleu/\(name)"
    }
}

/// sacrebleu's BLEUScore fields as the fixture scripts dump them.
struct ExpectedBLEU: Decodable {
    let score: Double
    let counts: [Int]
    let totals: [Int]
    let precisions: [Double]
    let bp: Double
    let sys_len: Int
    let ref_len: Int
    let signature: String?
    let formatted: String
}

/// `expected.json` from the peers' sacrebleu fixtures.
struct PeerExpected: Decodable {
    struct Case: Decodable {
        struct CHRFPart: Decodable {
            let score: Double
            let signature: String
            let formatted: String
        }
        let hypothesis: String
        let bleu: ExpectedBLEU
        let chrf: CHRFPart
        let sentence_bleu_first5: [Double]
    }
    let sacrebleu_version: String
    let reference: String
    let cases: [String: Case]
}

/// `sacrebleu_edge.json`, written by scripts/make_bleu_fixtures.py.
struct EdgeExpected: Decodable {
    struct EdgeCase: Decodable {
        let name: String
        let hyp: String
        let ref: String
        let tok_hyp: String
        let tok_ref: String
        let sentence_bleu: ExpectedBLEU
        let sentence_bleu_noeff: ExpectedBLEU
        let sentence_chrf: Double
        let sentence_chrfpp: Double
    }
    struct EdgeCorpus: Decodable {
        let bleu: ExpectedBLEU
        let bleu_signature: String
        let chrf: Double
        let chrfpp: Double
    }
    struct AllEmpty: Decodable {
        let lines: Int
        let bleu: ExpectedBLEU
        let chrf: Double
    }
    struct System: Decodable {
        let hypothesis: String
        let sentence_lines: Int
        let sentence_bleu: [Double]
        let sentence_chrf: [Double]
        let corpus_bleu_effective_order: ExpectedBLEU
        let corpus_bleu_effective_order_signature: String
        let corpus_chrfpp: Double
        let corpus_chrfpp_formatted: String
    }
    let sacrebleu_version: String
    let edge_cases: [EdgeCase]
    let edge_corpus: EdgeCorpus
    let all_empty_corpus: AllEmpty
    let systems: [String: System]
    let cli_light: [String: String]
}

/// Scores agree to ~1e-9 relative (in practice they are bit-identical; see `exactMatches`).
func close(_ a: Double, _ b: Double, rel: Double = 1e-9) -> Bool {
    if a == b { return true }
    return abs(a - b) <= rel * max(abs(a), abs(b))
}

/// Every field of a BLEU result against sacrebleu's.
func expectBLEU(_ got: BLEUScore, _ want: ExpectedBLEU, _ label: String,
                sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(close(got.score, want.score), "\(label): score \(got.score) vs \(want.score)", sourceLocation: sourceLocation)
    #expect(got.counts == want.counts, "\(label): counts", sourceLocation: sourceLocation)
    #expect(got.totals == want.totals, "\(label): totals", sourceLocation: sourceLocation)
    #expect(got.precisions.count == want.precisions.count, "\(label): precisions", sourceLocation: sourceLocation)
    for (g, w) in zip(got.precisions, want.precisions) {
        #expect(close(g, w), "\(label): precision \(g) vs \(w)", sourceLocation: sourceLocation)
    }
    #expect(close(got.bp, want.bp), "\(label): bp \(got.bp) vs \(want.bp)", sourceLocation: sourceLocation)
    #expect(got.sysLen == want.sys_len, "\(label): sys_len", sourceLocation: sourceLocation)
    #expect(got.refLen == want.ref_len, "\(label): ref_len", sourceLocation: sourceLocation)
    #expect(got.formatted() == want.formatted, "\(label): formatted", sourceLocation: sourceLocation)
}
