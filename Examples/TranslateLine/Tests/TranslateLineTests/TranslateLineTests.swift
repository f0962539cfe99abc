import Foundation
import S2S
import Testing

/// The example's use of the library, on the model s2s ships (models/default, English → German).
@Test func translatesALineWithTheShippedModel() throws {
    let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    let translator = try Translator(model: repository.appendingPathComponent("models/default"))
    let german = try translator.translate(["Two dogs are playing in the snow."], options: .beam(5))
    #expect(german == ["Zwei Hunde spielen im Schnee."])
}
