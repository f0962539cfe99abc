import Foundation
import S2S
import Testing

/// The library's `Translator` on the shipped model (models/default, en → de).
@Suite struct TranslatorTests {
    let shipped = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("models/default")

    @Test func translatesLikeTheCommandLine() throws {
        let translator = try Translator(model: shipped)
        #expect(translator.sourceLanguage == "en" && translator.targetLanguage == "de")
        // The same line `s2s translate` gives in the README, greedy and beam 5 alike.
        let lines = ["Two dogs are playing in the snow.", "   ", "A man is reading a newspaper."]
        let beam = try translator.translate(lines, options: .beam(5))
        #expect(beam.count == 3)
        #expect(beam[0] == "Zwei Hunde spielen im Schnee.")
        #expect(beam[1] == "")
        #expect(!beam[2].isEmpty)
        #expect(try translator.translate([lines[0]], options: .greedy) == ["Zwei Hunde spielen im Schnee."])
    }

    @Test func aMissingModelIsOneLineNamingIt() throws {
        do {
            _ = try Translator(model: URL(fileURLWithPath: "/nonexistent/model"))
            Issue.record("loaded a model that does not exist")
        } catch {
            #expect(error.description.contains("/nonexistent/model"), "\(error)")
            #expect(!error.description.contains("\n"))
        }
    }

    @Test func aBeamOfZeroIsRefused() throws {
        let translator = try Translator(model: shipped)
        #expect(throws: S2SError.self) { try translator.translate(["A dog."], options: .beam(0)) }
    }
}
