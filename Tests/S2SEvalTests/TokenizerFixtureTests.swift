import Foundation
import Testing
@testable import S2SEval

/// `sacrebleu_tokenizers.json`, written by scripts/make_tokenizer_fixtures.py.
struct TokenizerExpected: Decodable {
    struct PerTokenizer: Decodable {
        let corpus: ExpectedBLEU
        let signature: String
        let sentence: [Double]
        let tok_hyp: [String]
        let tok_ref: [String]
    }
    struct CHRFPart: Decodable {
        let score: Double
        let formatted: String
        let signature: String
        let sentence: [Double]
    }
    struct LanguageSet: Decodable {
        let lines: Int
        let tokenizers: [String: PerTokenizer]
        let chrf: CHRFPart
    }
    let sacrebleu_version: String
    let sets: [String: LanguageSet]
    let unicode_classes: [[Int]]
    let zh_chinese_ranges: [[UInt32]]
}

/// Japanese, Chinese, Thai, Korean and mixed-script pairs scored by sacrebleu 2.6.0 with every
/// tokenizer s2s offers.
@Suite struct TokenizerFixtureTests {
    static let expected: TokenizerExpected? = try? Fixtures.decode(TokenizerExpected.self, "sacrebleu_tokenizers.json")

    static func pairs(_ set: String) throws -> (hyps: [String], refs: [String]) {
        (try Fixtures.lines("languages/\(set).hyp"), try Fixtures.lines("languages/\(set).ref"))
    }

    @Test func fixtureCoversEveryOfferedTokenizerAndLanguage() throws {
        let e = try #require(Self.expected)
        #expect(e.sacrebleu_version == SacreBLEU.version)
        #expect(Set(e.sets.keys) == ["ja", "zh", "th", "ko", "mixed"])
        for (name, set) in e.sets {
            #expect(Set(set.tokenizers.keys) == Set(BLEUTokenizer.available.map(\.rawValue)), "\(name)")
            #expect(try Self.pairs(name).hyps.count == set.lines, "\(name)")
        }
    }

    /// The tokens BLEU counts: sacrebleu's tokenizer output split on whitespace (`char` keeps
    /// the line's own spaces as runs of three, which the split drops).
    static func tokens(_ sacrebleuOutput: String) -> String {
        PythonText.split(PythonText.scalars(sacrebleuOutput)).map { PythonText.string(Array($0)) }.joined(separator: " ")
    }

    /// Every language set with sacrebleu's figures for `tokenizer` and the lines they score.
    static func cases(_ tokenizer: BLEUTokenizer) throws
        -> [(name: String, want: TokenizerExpected.PerTokenizer, hyps: [String], refs: [String])] {
        let e = try #require(expected)
        return try e.sets.sorted { $0.key < $1.key }.map { name, set in
            let (hyps, refs) = try pairs(name)
            return (name, try #require(set.tokenizers[tokenizer.rawValue]), hyps, refs)
        }
    }

    @Test(arguments: BLEUTokenizer.available)
    func tokenizationMatchesSacrebleu(_ tokenizer: BLEUTokenizer) throws {
        for (name, want, hyps, refs) in try Self.cases(tokenizer) {
            for (i, line) in hyps.enumerated() where i < want.tok_hyp.count {
                #expect(tokenizer.tokenize(line) == Self.tokens(want.tok_hyp[i]), "\(name) hyp \(i + 1) \(tokenizer.rawValue)")
            }
            for (i, line) in refs.enumerated() where i < want.tok_ref.count {
                #expect(tokenizer.tokenize(line) == Self.tokens(want.tok_ref[i]), "\(name) ref \(i + 1) \(tokenizer.rawValue)")
            }
        }
    }

    @Test(arguments: BLEUTokenizer.available)
    func corpusAndSentenceBLEU(_ tokenizer: BLEUTokenizer) throws {
        for (name, want, hyps, refs) in try Self.cases(tokenizer) {
            let bleu = BLEU(tokenizer: tokenizer)
            let got = try bleu.corpusScore(hypotheses: hyps, references: refs)
            expectBLEU(got, want.corpus, "\(name) \(tokenizer.rawValue)")
            #expect(bleu.signature == want.signature)
            // What `s2s evaluate` prints, to the printed digit.
            #expect(MetricResult(got, signature: bleu.signature).line(width: 1)
                        == "BLEU|\(want.signature) = \(ScoreFormat.fixed(want.corpus.score, 1)) \(got.verbose)")
            let sentence = BLEU(effectiveOrder: true, tokenizer: tokenizer)
            for (i, (h, r)) in zip(hyps, refs).enumerated() {
                let s = sentence.sentenceScore(hypothesis: h, reference: r).score
                #expect(close(s, want.sentence[i]), "\(name) line \(i + 1) \(tokenizer.rawValue): \(s) vs \(want.sentence[i])")
            }
        }
    }

    @Test func chrF() throws {
        let e = try #require(Self.expected)
        for (name, set) in e.sets {
            let (hyps, refs) = try Self.pairs(name)
            let chrf = CHRF()
            let got = try chrf.corpusScore(hypotheses: hyps, references: refs)
            #expect(close(got.score, set.chrf.score), "\(name): \(got.score) vs \(set.chrf.score)")
            #expect(MetricResult(got, signature: chrf.signature).line(width: 1)
                        == "chrF2|\(set.chrf.signature) = \(ScoreFormat.fixed(set.chrf.score, 1))")
            for (i, (h, r)) in zip(hyps, refs).enumerated() {
                #expect(close(chrf.sentenceScore(hypothesis: h, reference: r).score, set.chrf.sentence[i]), "\(name) line \(i + 1)")
            }
        }
    }

    /// ICU's general categories give the `regex` module's \p{P}, \p{S}, \p{N} on every code
    /// point both Unicode versions have assigned.
    @Test func unicodeClassesMatchRegexModule() throws {
        let e = try #require(Self.expected)
        var mismatches: [String] = []
        for (k, run) in e.unicode_classes.enumerated() where run[1] >= 0 {
            let end = k + 1 < e.unicode_classes.count ? e.unicode_classes[k + 1][0] : 0x110000
            for c in UInt32(run[0])..<UInt32(end) {
                let got = (UnicodeClass.isPunctuation(c) ? 1 : 0) | (UnicodeClass.isSymbol(c) ? 2 : 0) | (UnicodeClass.isNumber(c) ? 4 : 0)
                if got != run[1] { mismatches.append("U+\(String(c, radix: 16, uppercase: true)): \(got) vs \(run[1])") }
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.count) code points differ: \(mismatches.prefix(20))")
    }

    @Test func chineseRangesAreSacrebleus() throws {
        let e = try #require(Self.expected)
        #expect(TokenizerZh.chineseRanges.map { [$0.lowerBound, $0.upperBound] } == e.zh_chinese_ranges)
        for r in e.zh_chinese_ranges {
            #expect(TokenizerZh.isChinese(r[0]) && TokenizerZh.isChinese(r[1]))
            #expect(!TokenizerZh.isChinese(r[0] - 1) && !TokenizerZh.isChinese(r[1] + 1))
        }
    }
}
