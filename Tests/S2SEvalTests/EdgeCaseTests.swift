import Foundation
import Testing
@testable import S2SEval

/// Edge cases scored by sacrebleu 2.6.0 itself (scripts/make_bleu_fixtures.py).
@Suite struct EdgeCaseTests {
    static let expected: EdgeExpected? = try? Fixtures.decode(EdgeExpected.self, "sacrebleu_edge.json")

    @Test func fixtureLoads() throws {
        let e = try #require(Self.expected)
        #expect(e.sacrebleu_version == SacreBLEU.version)
        #expect(e.edge_cases.count >= 25)
    }

    @Test func tokenizer13aMatchesSacrebleu() throws {
        let e = try #require(Self.expected)
        for c in e.edge_cases {
            // sacrebleu tokenizes the rstripped segment.
            #expect(Tokenizer13a.tokenize(PythonText.string(PythonText.rstrip(PythonText.scalars(c.hyp)))) == c.tok_hyp, "\(c.name) hyp")
            #expect(Tokenizer13a.tokenize(PythonText.string(PythonText.rstrip(PythonText.scalars(c.ref)))) == c.tok_ref, "\(c.name) ref")
        }
    }

    @Test func sentenceBLEU() throws {
        let e = try #require(Self.expected)
        for c in e.edge_cases {
            expectBLEU(BLEU(effectiveOrder: true).sentenceScore(hypothesis: c.hyp, reference: c.ref), c.sentence_bleu, "\(c.name) eff")
            expectBLEU(BLEU().sentenceScore(hypothesis: c.hyp, reference: c.ref), c.sentence_bleu_noeff, "\(c.name) noeff")
        }
    }

    @Test func sentenceCHRF() throws {
        let e = try #require(Self.expected)
        for c in e.edge_cases {
            let got = CHRF().sentenceScore(hypothesis: c.hyp, reference: c.ref).score
            #expect(close(got, c.sentence_chrf), "\(c.name): chrF \(got) vs \(c.sentence_chrf)")
            let pp = CHRF(wordOrder: 2).sentenceScore(hypothesis: c.hyp, reference: c.ref).score
            #expect(close(pp, c.sentence_chrfpp), "\(c.name): chrF++ \(pp) vs \(c.sentence_chrfpp)")
        }
    }

    @Test func corpusOverEdgeCases() throws {
        let e = try #require(Self.expected)
        let hyps = e.edge_cases.map(\.hyp), refs = e.edge_cases.map(\.ref)
        let bleu = BLEU()
        expectBLEU(try bleu.corpusScore(hypotheses: hyps, references: refs), e.edge_corpus.bleu, "edge corpus")
        #expect(bleu.signature == e.edge_corpus.bleu_signature)
        #expect(close(try CHRF().corpusScore(hypotheses: hyps, references: refs).score, e.edge_corpus.chrf))
        #expect(close(try CHRF(wordOrder: 2).corpusScore(hypotheses: hyps, references: refs).score, e.edge_corpus.chrfpp))
    }

    @Test func allEmptyCorpus() throws {
        let e = try #require(Self.expected)
        let empty = [String](repeating: "", count: e.all_empty_corpus.lines)
        expectBLEU(try BLEU().corpusScore(hypotheses: empty, references: empty), e.all_empty_corpus.bleu, "all empty")
        #expect(try CHRF().corpusScore(hypotheses: empty, references: empty).score == e.all_empty_corpus.chrf)
    }

    /// Sentence-level BLEU and chrF line by line on the peer systems, plus effective-order
    /// corpus BLEU and chrF++ (configurations the peer fixture does not cover).
    @Test(arguments: ["heavy", "light", "with_empty", "punct_unicode"])
    func systemSentenceScores(system: String) throws {
        let e = try #require(Self.expected)
        let s = try #require(e.systems[system])
        let refs = try Fixtures.lines("sacrebleu/ref.de")
        let hyps = try Fixtures.lines("sacrebleu/\(s.hypothesis)")
        #expect(s.sentence_bleu.count == s.sentence_lines && s.sentence_chrf.count == s.sentence_lines)
        let bleu = BLEU(effectiveOrder: true), chrf = CHRF()
        for i in 0..<s.sentence_lines {
            let b = bleu.sentenceScore(hypothesis: hyps[i], reference: refs[i]).score
            #expect(close(b, s.sentence_bleu[i]), "\(system) line \(i + 1): BLEU \(b) vs \(s.sentence_bleu[i])")
            let c = chrf.sentenceScore(hypothesis: hyps[i], reference: refs[i]).score
            #expect(close(c, s.sentence_chrf[i]), "\(system) line \(i + 1): chrF \(c) vs \(s.sentence_chrf[i])")
        }
        expectBLEU(try bleu.corpusScore(hypotheses: hyps, references: refs), s.corpus_bleu_effective_order, "\(system) eff corpus")
        #expect(bleu.signature == s.corpus_bleu_effective_order_signature)
        let pp = CHRF(wordOrder: 2)
        let ppScore = try pp.corpusScore(hypotheses: hyps, references: refs)
        #expect(close(ppScore.score, s.corpus_chrfpp))
        #expect(ppScore.formatted(signature: pp.signature) == s.corpus_chrfpp_formatted)
    }

    /// The command line's report for hyp.light.de, byte for byte, text and JSON, widths 1 and 2.
    @Test func commandLineReport() throws {
        let e = try #require(Self.expected)
        let refs = try Fixtures.lines("sacrebleu/ref.de")
        let hyps = try Fixtures.lines("sacrebleu/hyp.light.de")
        let bleu = BLEU(), chrf = CHRF()
        let results = [
            MetricResult(try bleu.corpusScore(hypotheses: hyps, references: refs), signature: bleu.signature),
            MetricResult(try chrf.corpusScore(hypotheses: hyps, references: refs), signature: chrf.signature),
        ]
        for format in SacreBLEUReport.Format.allCases {
            for width in [1, 2] {
                let want = try #require(e.cli_light["\(format.rawValue)_w\(width)"])
                #expect(SacreBLEUReport.render(results, format: format, width: width) + "\n" == want, "\(format) w\(width)")
            }
        }
    }

    @Test func lineCountMismatchIsAnError() {
        #expect(throws: EvalError.lineCountMismatch(hypotheses: 2, references: 3)) {
            try BLEU().corpusScore(hypotheses: ["a", "b"], references: ["a", "b", "c"])
        }
        #expect(throws: EvalError.lineCountMismatch(hypotheses: 1, references: 0)) {
            try CHRF().corpusScore(hypotheses: ["a"], references: [])
        }
    }
}
