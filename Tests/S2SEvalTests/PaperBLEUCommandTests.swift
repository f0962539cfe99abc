import Foundation
import S2SCommandSupport
import Testing
@testable import S2SEval

/// `s2s evaluate --paper-bleu`: the papers' BLEU from the command line, with the figure and the
/// signature the library gives (itself checked against sacremoses + sacrebleu in
/// MosesFixtureTests).
@Suite(.enabled(if: S2SCommand.isBuilt, "needs the built s2s binary (swift build)"))
struct PaperBLEUCommandTests {
    @Test func scoresAsTheLibraryDoesWithItsSignature() throws {
        let ref = try Fixtures.url("sacrebleu/ref.de").path, hyp = try Fixtures.url("sacrebleu/hyp.light.de").path
        let run = try S2SCommand.run(["evaluate", "--ref", ref, "--hyp", hyp, "--metrics", "bleu", "--paper-bleu", "--lang", "de", "-w", "4"])
        #expect(run.status == 0, "\(run.stderr)")
        let score = try BLEU.paperStyle(language: "de").corpusScore(hypotheses: try Fixtures.lines("sacrebleu/hyp.light.de"),
                                                                      references: try Fixtures.lines("sacrebleu/ref.de"))
        #expect(run.stdout.hasPrefix("BLEU|nrefs:1|case:lc|eff:no|tok:moses-de|smooth:exp|version:2.6.0 = \(String(format: "%.4f", score.score)) "),
                "\(run.stdout)")
        #expect(run.stderr.contains("Moses"))
    }

    @Test func needsTheLanguageAndRefusesAnotherTokenizer() throws {
        let ref = try Fixtures.url("sacrebleu/ref.de").path
        let noLanguage = try S2SCommand.run(["evaluate", "--ref", ref, "--hyp", ref, "--paper-bleu"])
        #expect(noLanguage.status != 0 && noLanguage.stdout.isEmpty)
        #expect(noLanguage.stderr.contains("--paper-bleu needs the target language"), "\(noLanguage.stderr)")
        let both = try S2SCommand.run(["evaluate", "--ref", ref, "--hyp", ref, "--paper-bleu", "--lang", "de", "--tokenize", "13a"])
        #expect(both.status != 0 && both.stderr.contains("cannot be combined with --tokenize"), "\(both.stderr)")
    }
}
