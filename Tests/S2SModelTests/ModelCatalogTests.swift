import Foundation
import S2SBundle
import Testing
import S2SText
@testable import S2SModel

/// A real model directory (vocabulary and parameters written by the library, as `s2s train`
/// does) translating `source` → `target`, at `directory/name`.
private func saveModel(in directory: String, named name: String, source: String, target: String) throws -> String {
    let pairs = [("a small dog runs", "un petit chien court"), ("the dog sleeps", "le chien dort"),
                 ("a cat runs", "un chat court")]
    let builder = try VocabularyBuilder(options: VocabularyBuildOptions(
        source: TokenizerSettings(language: source), target: TokenizerSettings(language: target), merges: 10, joint: false))
    try builder.add(pairs: pairs)
    let vocabulary = directory + "/.vocab-\(name)"
    try builder.finish().write(to: vocabulary)
    let pipelines = try TextPipelinePair(directory: vocabulary)
    let config = ModelConfig(sourceVocabulary: pipelines.source.vocabulary.count, targetVocabulary: pipelines.target.vocabulary.count,
                             embedding: 4, hidden: 3, decoderHidden: 3, attentionSize: 2, layers: 1)
    let path = directory + "/" + name
    try ModelBundle.save(model: try Seq2SeqModel(config: config, seed: 1), pipelines: pipelines, directory: path)
    return path
}

struct ModelCatalogTests {
    @Test func listsEveryModelInSearchOrderWithLanguagesSizeAndShadowing() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("s2s-catalog-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        let first = root + "/first", second = root + "/second"
        for d in [first, second, root + "/cwd"] { try FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true) }
        let winner = try saveModel(in: first, named: "default", source: "fr", target: "en")
        let shadowed = try saveModel(in: second, named: "default", source: "en", target: "de")
        let other = try saveModel(in: second, named: "ja-en", source: "ja", target: "en")
        // Not models: a directory without model.safetensors, and a plain file.
        try FileManager.default.createDirectory(atPath: second + "/empty/vocab", withIntermediateDirectories: true)
        try Data("x".utf8).write(to: URL(fileURLWithPath: second + "/notes.txt"))

        let path = ModelSearchPath(environment: ["S2S_MODEL_PATH": "\(first):\(second)", "HOME": root + "/home"],
                                   workingDirectory: root + "/cwd", executable: nil)
        let listings = ModelCatalog.list(path)
        #expect(listings.map(\.directory) == [winner, shadowed, other])
        #expect(listings.map(\.name) == ["default", "default", "ja-en"])
        #expect(listings.map(\.shadowedBy) == [nil, winner, nil])
        #expect(listings.map { $0.languages.map { "\($0.source)>\($0.target)" } } == ["fr>en", "en>de", "ja>en"])
        #expect(listings.allSatisfy { $0.origin == .environment && $0.problem == nil })
        // The size is every file of the directory: the model file and the vocabulary.
        let modelFile = try FileManager.default.attributesOfItem(atPath: winner + "/model.safetensors")[.size] as? NSNumber
        let expected = try FileManager.default.subpathsOfDirectory(atPath: winner).reduce(Int64(0)) { sum, relative in
            var isDirectory: ObjCBool = false
            FileManager.default.fileExists(atPath: winner + "/" + relative, isDirectory: &isDirectory)
            let size = isDirectory.boolValue ? nil : try FileManager.default.attributesOfItem(atPath: winner + "/" + relative)[.size] as? NSNumber
            return sum + (size?.int64Value ?? 0)
        }
        #expect(listings[0].bytes == expected)
        #expect(listings[0].bytes > (modelFile?.int64Value ?? .max))
        // And it agrees with what `resolve` picks.
        #expect(try path.resolve(nil) == winner)
    }

    @Test func aBrokenVocabularyIsReportedOnItsRowNotFatal() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("s2s-catalog-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        let model = try saveModel(in: root, named: "m", source: "en", target: "fr")
        try Data("{".utf8).write(to: URL(fileURLWithPath: model + "/vocab/pipeline.json"))
        let listings = ModelCatalog.list(ModelSearchPath(environment: ["S2S_MODEL_PATH": root], workingDirectory: root, executable: nil))
        #expect(listings.count == 1)
        #expect(listings.first?.languages == nil)
        #expect(listings.first?.problem?.contains("pipeline.json") == true)
    }
}
