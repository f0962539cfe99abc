import Foundation
import S2SBundle
import S2SModel
import S2SText

/// A scratch directory, removed when the value goes away (kept, for poking at by hand, when
/// S2S_KEEP_SCRATCH is set).
final class Scratch {
    let path: String
    init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("s2s-decode-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }
    deinit {
        if ProcessInfo.processInfo.environment["S2S_KEEP_SCRATCH"] != nil { print("kept \(path)"); return }
        try? FileManager.default.removeItem(atPath: path)
    }
}

/// The repository root (for the bundled corpus and the built `s2s` binary).
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

/// A real model directory: a BPE vocabulary built by S2SText from the first lines of the bundled
/// Multi30k (en → de) and a small randomly initialized model, saved by `ModelBundle.save`.
/// Random weights translate into nonsense, which is all the line-handling tests need.
func makeModelBundle(in directory: String, lines: Int = 120, merges: Int = 150, seed: UInt64 = 5) throws -> String {
    let corpus = repositoryRoot.appendingPathComponent("corpora/multi30k")
    let en = try String(contentsOf: corpus.appendingPathComponent("train.en"), encoding: .utf8).split(separator: "\n").prefix(lines)
    let de = try String(contentsOf: corpus.appendingPathComponent("train.de"), encoding: .utf8).split(separator: "\n").prefix(lines)
    let options = VocabularyBuildOptions(source: TokenizerSettings(language: "en"), target: TokenizerSettings(language: "de"),
                                         merges: merges, joint: true)
    let builder = try VocabularyBuilder(options: options)
    try builder.add(pairs: zip(en.map(String.init), de.map(String.init)).map { ($0, $1) })
    let vocab = directory + "/vocab-build"
    try builder.finish().write(to: vocab)
    let pipelines = try TextPipelinePair(directory: vocab)
    let config = ModelConfig(sourceVocabulary: pipelines.source.vocabulary.count,
                             targetVocabulary: pipelines.target.vocabulary.count,
                             embedding: 16, hidden: 12, decoderHidden: 10, attentionSize: 8, layers: 1)
    let model = try Seq2SeqModel(config: config, seed: seed)
    let bundle = directory + "/models/tiny"
    try ModelBundle.save(model: model, pipelines: pipelines, directory: bundle)
    return bundle
}
