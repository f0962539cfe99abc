import Foundation
import Testing
import S2SCorpus
import S2SModel
import S2SText
@testable import S2STraining

/// A real training setup in a temporary directory: a SQLite corpus store with a train and a
/// valid split cut from the bundled Multi30k (short sentences, so a tiny model learns them in
/// seconds), and a BPE vocabulary built from the train pairs with S2SText's builder.
final class TrainingFixture {
    let root: String
    let database: String
    let vocabulary: String
    let corpus = "m30k"
    let trainPairs: [(String, String)]
    let validPairs: [(String, String)]

    /// `train` short pairs (≤ `maxWords` source words) for training, `valid` the next ones.
    init(train: Int = 120, valid: Int = 20, maxWords: Int = 7, merges: Int = 150, lowercase: Bool = false,
         dropoutSymbols: Bool = false) throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("s2s-train-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        let corpusDir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("corpora/multi30k")
        let en = try String(contentsOf: corpusDir.appendingPathComponent("train.en"), encoding: .utf8).split(separator: "\n")
        let de = try String(contentsOf: corpusDir.appendingPathComponent("train.de"), encoding: .utf8).split(separator: "\n")
        var short: [(String, String)] = []
        var seen = Set<String>()
        for (s, t) in zip(en, de) where s.split(separator: " ").count <= maxWords && seen.insert(String(s)).inserted {
            short.append((String(s), String(t)))
            if short.count == train + valid { break }
        }
        trainPairs = Array(short.prefix(train))
        validPairs = Array(short.dropFirst(train))
        database = root + "/corpora/corpora.sqlite"
        vocabulary = root + "/vocab/m30k"

        let store = try CorpusStore(path: database, mode: .create)
        try importPairs(trainPairs, into: store, split: .train, append: false)
        if !validPairs.isEmpty { try importPairs(validPairs, into: store, split: .valid, append: true) }

        let options = VocabularyBuildOptions(source: TokenizerSettings(language: "en", lowercase: lowercase),
                                             target: TokenizerSettings(language: "de", lowercase: lowercase),
                                             merges: merges, joint: true, minCount: 1, dropoutSymbols: dropoutSymbols)
        let builder = try VocabularyBuilder(options: options)
        try builder.add(pairs: trainPairs)
        try builder.finish().write(to: vocabulary)
    }

    deinit { try? FileManager.default.removeItem(atPath: root) }

    private func importPairs(_ pairs: [(String, String)], into store: CorpusStore, split: Split, append: Bool) throws {
        let tsv = root + "/\(split.rawValue).tsv"
        try pairs.map { "\($0.0)\t\($0.1)\n" }.joined().write(toFile: tsv, atomically: true, encoding: .utf8)
        let options = ImportOptions(corpus: corpus, sourceLanguage: "en", targetLanguage: "de", split: split, append: append)
        try store.importPairs(from: .tsv(path: tsv), options: options, isCancelled: { false })
    }

    var data: TrainingData { TrainingData(database: database, corpus: corpus, vocabulary: vocabulary) }

    func output(_ name: String) -> String { root + "/models/" + name }

    /// Small sizes that train in a debug build in seconds.
    static func tinyOptions(dropout: Float = 0, labelSmoothing: Float = 0) -> TrainingOptions {
        var o = TrainingOptions(model: ModelConfig(sourceVocabulary: 5, targetVocabulary: 5, embedding: 24, hidden: 24,
                                                   decoderHidden: 32, attentionSize: 24, layers: 1, dropout: dropout,
                                                   labelSmoothing: labelSmoothing))
        o.batchTokens = 300
        o.learningRate = 0.01
        o.validEvery = 0
        o.logEvery = 10
        o.patience = 0
        o.threads = 0
        return o
    }

    /// A trainer that never sees the process-wide stop flag (tests run in parallel).
    func trainer(_ options: TrainingOptions, output: String, start: Trainer.Start = .fresh(overwrite: false),
                 hooks: TrainerHooks = TrainerHooks(), stop: @escaping () -> Bool = { false },
                 events: @escaping (TrainerEvent) -> Void = { _ in }) throws -> Trainer {
        try Trainer(data: data, options: options, outputDirectory: self.output(output), start: start, hooks: hooks,
                    stopRequested: stop, events: events)
    }
}

/// Every parameter's bits, by name.
func parameterBits(_ model: Seq2SeqModel) -> [String: [UInt32]] {
    Dictionary(uniqueKeysWithValues: model.parameters.all.map { ($0.name, $0.value.array.map(\.bitPattern)) })
}

/// Collects events from a trainer (tests inspect warnings and checkpoints).
final class EventLog: @unchecked Sendable {
    private let lock = NSLock()
    private var events: [TrainerEvent] = []

    func record(_ e: TrainerEvent) { lock.lock(); events.append(e); lock.unlock() }

    var warnings: [String] {
        lock.lock(); defer { lock.unlock() }
        return events.compactMap { if case let .warning(w) = $0 { return w } else { return nil } }
    }

    var checkpoints: [Int] {
        lock.lock(); defer { lock.unlock() }
        return events.compactMap { if case let .checkpoint(_, step) = $0 { return step } else { return nil } }
    }
}
