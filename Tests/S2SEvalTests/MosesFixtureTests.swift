import Foundation
import Testing
@testable import S2SEval

/// `moses/expected.json`, written by scripts/make_moses_fixtures.py with sacremoses 0.2.0.
private struct MosesExpected: Decodable {
    struct Processed: Decodable {
        let normalized: [String]
        let tokenized: [String]
        let paper: [String]
    }
    let val: [String: Processed]
    let hard: [String: Processed]
    let bleu: [String: ExpectedBLEU]

    /// Decoded once for all the test cases (half a megabyte of JSON).
    static let shared = Result { try Fixtures.decode(MosesExpected.self, "moses/expected.json") }

    static func load() throws -> MosesExpected { try shared.get() }
}

/// The first line where two lists differ, as code points, for a readable failure.
private func firstDifference(_ got: [String], _ want: [String]) -> String? {
    guard got.count == want.count else { return "\(got.count) lines, expected \(want.count)" }
    for (i, (g, w)) in zip(got, want).enumerated() where !g.unicodeScalars.elementsEqual(w.unicodeScalars) {
        return "line \(i + 1): got \(g.debugDescription), expected \(w.debugDescription)"
    }
    return nil
}

@Suite struct MosesFixtureTests {
    /// The Multi30k lines: de from Fixtures/sacrebleu/ref.de (all of val), en/fr/cs the first 300.
    private static func valLines(_ lang: String) throws -> [String] {
        try Fixtures.lines(lang == "de" ? "sacrebleu/ref.de" : "moses/val.\(lang)")
    }

    @Test(arguments: ["en", "de", "fr", "cs"])
    func multi30kLinesMatchSacremoses(_ lang: String) throws {
        let expected = try #require(try MosesExpected.load().val[lang])
        try check(lang, try Self.valLines(lang), expected)
    }

    @Test(arguments: ["en", "de", "fr", "cs", "it", "es", "ru", "zh", "ja", "xx"])
    func hardCasesMatchSacremoses(_ lang: String) throws {
        let expected = try #require(try MosesExpected.load().hard[lang])
        try check(lang, try Fixtures.lines("moses/hard.txt"), expected)
    }

    private func check(_ lang: String, _ lines: [String], _ expected: MosesExpected.Processed) throws {
        let normalizer = MosesPunctNormalizer(language: lang)
        let tokenizer = MosesTokenizer(language: lang)
        let paper = MosesBLEUPreprocessing(language: lang)
        let normalized = firstDifference(lines.map(normalizer.normalize), expected.normalized)
        #expect(normalized == nil, "normalize \(lang): \(normalized ?? "")")
        let tokenized = firstDifference(lines.map(tokenizer.tokenize), expected.tokenized)
        #expect(tokenized == nil, "tokenize \(lang): \(tokenized ?? "")")
        let processed = firstDifference(lines.map(paper.apply), expected.paper)
        #expect(processed == nil, "paper preprocessing \(lang): \(processed ?? "")")
    }

    @Test(arguments: ["de.heavy", "de.light", "de.punct_unicode", "de.with_empty", "en.edited", "fr.edited", "cs.edited"])
    func paperBLEUMatchesSacrebleuOnMosesText(_ name: String) throws {
        let want = try #require(try MosesExpected.load().bleu[name])
        let parts = name.split(separator: ".").map(String.init)
        let (lang, system) = (parts[0], parts[1])
        let refs = try Self.valLines(lang)
        let hyps = lang == "de" ? try Fixtures.lines("sacrebleu/hyp.\(system).de") : Self.edited(refs)
        let got = try BLEU.paperStyle(language: lang).corpusScore(hypotheses: hyps, references: refs)
        #expect(abs(got.score - want.score) <= 1e-9, "\(name): \(got.score) vs \(want.score)")
        #expect(abs(got.bp - want.bp) <= 1e-9)
        #expect(got.counts == want.counts && got.totals == want.totals)
        #expect(got.sysLen == want.sys_len && got.refLen == want.ref_len)
        #expect(zip(got.precisions, want.precisions).allSatisfy { abs($0 - $1) <= 1e-9 })
        #expect(got.formatted() == want.formatted)
    }

    /// The fixture script's `edited`: every third line loses its fourth word and has its last
    /// two characters swapped, every fifth is uppercased (Python `str.upper`, which for these
    /// lines Swift's `uppercased()` matches: no ß, no final sigma).
    private static func edited(_ lines: [String]) -> [String] {
        lines.enumerated().map { i, line in
            var line = line
            if i % 3 == 0 {
                var words = line.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
                if words.count > 4 { words.remove(at: 3) }
                var scalars = Array(words.joined(separator: " ").unicodeScalars)
                if scalars.count >= 2 { scalars.swapAt(scalars.count - 1, scalars.count - 2) }
                line = String(String.UnicodeScalarView(scalars))
            }
            if i % 5 == 0 { line = line.uppercased() }
            return line
        }
    }

    @Test func signatureSaysHowTheTextWasProcessed() {
        #expect(BLEU.paperStyle(language: "de").signature == "nrefs:1|case:lc|eff:no|tok:moses-de|smooth:exp|version:2.6.0")
    }
}
