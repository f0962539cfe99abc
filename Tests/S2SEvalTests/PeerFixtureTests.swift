import Foundation
import Testing
@testable import S2SEval

/// The shared sacrebleu fixtures (../shared/peers/fixtures/sacrebleu): every case, every field.
@Suite struct PeerFixtureTests {
    static let expected: PeerExpected? = try? Fixtures.decode(PeerExpected.self, "sacrebleu/expected.json")

    @Test func fixtureLoads() throws {
        let e = try #require(Self.expected)
        #expect(e.sacrebleu_version == SacreBLEU.version)
        #expect(e.cases.count == 5)
    }

    @Test(arguments: ["identical", "light", "heavy", "with_empty", "punct_unicode"])
    func corpusAndSentenceScores(caseName: String) throws {
        let e = try #require(Self.expected)
        let c = try #require(e.cases[caseName])
        let refs = try Fixtures.lines("sacrebleu/\(e.reference)")
        let hyps = try Fixtures.lines(Fixtures.hypothesisPath(c.hypothesis))
        #expect(refs.count == 1014 && hyps.count == 1014)

        let bleu = BLEU()
        let b = try bleu.corpusScore(hypotheses: hyps, references: refs)
        expectBLEU(b, c.bleu, "\(caseName) corpus BLEU")
        #expect(bleu.signature == c.bleu.signature)

        // Beyond the required 1e-9: the corpus scores are bit-identical (same operations in the
        // same order as sacrebleu, glibc log/exp like CPython's math module).
        #expect(b.score == c.bleu.score, "\(caseName): BLEU not bit-identical")

        let chrf = CHRF()
        let cs = try chrf.corpusScore(hypotheses: hyps, references: refs)
        #expect(cs.score == c.chrf.score, "\(caseName): chrF not bit-identical")
        #expect(close(cs.score, c.chrf.score), "\(caseName) chrF \(cs.score) vs \(c.chrf.score)")
        #expect(cs.formatted() == c.chrf.formatted)
        #expect(chrf.signature == c.chrf.signature)

        // sacrebleu.sentence_bleu: effective order on.
        let sentence = BLEU(effectiveOrder: true)
        for (i, want) in c.sentence_bleu_first5.enumerated() {
            let got = sentence.sentenceScore(hypothesis: hyps[i], reference: refs[i]).score
            #expect(close(got, want), "\(caseName) sentence \(i): \(got) vs \(want)")
        }
    }
}
