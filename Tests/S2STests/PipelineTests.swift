import Foundation
import S2S
import Testing

/// The library's stages end to end on a slice of Multi30k: import, vocabulary, a short training
/// run with progress reports, and the trained model translating.
@Suite struct PipelineTests {
    let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    @Test func importBuildTrainTranslate() throws {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("s2s-library-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        func slice(_ file: String, _ lines: Int) throws -> URL {
            let text = try String(contentsOf: repository.appendingPathComponent("corpora/multi30k/\(file)"), encoding: .utf8)
            let out = scratch.appendingPathComponent(file)
            try (text.split(separator: "\n").prefix(lines).joined(separator: "\n") + "\n").write(to: out, atomically: true, encoding: .utf8)
            return out
        }
        let db = try CorpusDatabase(path: scratch.appendingPathComponent("c.sqlite"))
        let imported = try db.importPairs(into: "t", source: slice("train.en", 300), target: slice("train.de", 300),
                                          sourceLanguage: "en", targetLanguage: "de")
        #expect(imported > 250 && imported <= 300)
        try db.importPairs(into: "t", source: slice("val.en", 40), target: slice("val.de", 40), sourceLanguage: "en",
                           targetLanguage: "de", split: .valid, append: true)
        let vocabulary = scratch.appendingPathComponent("voc")
        try db.buildVocabulary(corpus: "t", merges: 100, output: vocabulary)

        let configuration = scratch.appendingPathComponent("run.json")
        try #"{"emb": 8, "hidden": 8, "valid-every": 2, "log-every": 1}"#.write(to: configuration, atomically: true, encoding: .utf8)
        nonisolated(unsafe) var reports: [Training.Progress] = []
        let result = try Training.run(database: db, corpus: "t", vocabulary: vocabulary, output: scratch.appendingPathComponent("m"),
                                      configuration: configuration, maxSteps: 2) { reports.append($0) }
        #expect(result.steps == 2)
        #expect(reports.map(\.step).contains(2))
        #expect(reports.contains { $0.validationBLEU != nil })
        #expect(reports.allSatisfy { $0.loss.isFinite && $0.loss > 0 })

        let translator = try Translator(model: result.model)
        let out = try translator.translate(["A dog runs.", ""], options: .greedy)
        #expect(out.count == 2 && out[1] == "")
    }

    @Test func aSecondImportOfTheSameCorpusNeedsAppend() throws {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("s2s-library-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let en = scratch.appendingPathComponent("a.en"), de = scratch.appendingPathComponent("a.de")
        try "A dog.\nA cat.\n".write(to: en, atomically: true, encoding: .utf8)
        try "Ein Hund.\nEine Katze.\n".write(to: de, atomically: true, encoding: .utf8)
        let db = try CorpusDatabase(path: scratch.appendingPathComponent("c.sqlite"))
        #expect(try db.importPairs(into: "t", source: en, target: de, sourceLanguage: "en", targetLanguage: "de") == 2)
        #expect(throws: S2SError.self) {
            try db.importPairs(into: "t", source: en, target: de, sourceLanguage: "en", targetLanguage: "de")
        }
    }
}
