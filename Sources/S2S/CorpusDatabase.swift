import Foundation
import S2SCorpus
import S2SText

/// Parallel corpora in one SQLite file, as `s2s corpus import` keeps them.
///
/// ```swift
/// let db = try CorpusDatabase(path: URL(fileURLWithPath: "corpora/mine.sqlite"))
/// try db.importPairs(into: "m30k", source: trainEN, target: trainDE, sourceLanguage: "en", targetLanguage: "de")
/// try db.importPairs(into: "m30k", source: validEN, target: validDE, sourceLanguage: "en", targetLanguage: "de",
///                    split: .valid, append: true)
/// try db.buildVocabulary(corpus: "m30k", merges: 8000, output: URL(fileURLWithPath: "vocab/m30k"))
/// ```
public final class CorpusDatabase {
    /// Which part of a corpus a pair belongs to: training, validation during training, or test.
    public enum Split: String, Sendable, CaseIterable {
        case train, valid, test
    }

    let store: CorpusStore
    /// The database file.
    public let path: URL

    /// Opens the database at `path`, creating it (and its schema) if it does not exist.
    public init(path: URL) throws(S2SError) {
        do {
            store = try CorpusStore(path: path.path)
        } catch {
            throw S2SError(error.description)
        }
        self.path = path
    }

    /// Imports two sentence-aligned files (line i of `source` translates line i of `target`) into
    /// `corpus`, in one transaction: on any error nothing changes. Exact duplicates and pairs with
    /// an empty side are skipped. A new corpus needs `append` false; adding a split to an
    /// existing one needs it true.
    ///
    /// - Returns: The number of pairs imported.
    @discardableResult
    public func importPairs(into corpus: String, source: URL, target: URL, sourceLanguage: String, targetLanguage: String,
                            split: Split = .train, append: Bool = false) throws(S2SError) -> Int {
        let options = ImportOptions(corpus: corpus, sourceLanguage: sourceLanguage, targetLanguage: targetLanguage,
                                    split: S2SCorpus.Split(rawValue: split.rawValue) ?? .train, append: append)
        do {
            return try store.importPairs(from: .alignedFiles(source: source.path, target: target.path), options: options,
                                         isCancelled: { false }).imported
        } catch {
            throw S2SError(error.description)
        }
    }

    /// Builds the text pipeline of `corpus` into the directory `output`, as `s2s vocab build
    /// --corpus NAME` does: ICU tokenization in each side's language, `merges` BPE merges learned
    /// on the train split (jointly on both sides when `joint`), and a vocabulary per side.
    public func buildVocabulary(corpus: String, merges: Int = 8000, joint: Bool = true, output: URL) throws(S2SError) {
        do {
            let info = try store.corpus(named: corpus)
            let options = VocabularyBuildOptions(source: TokenizerSettings(language: info.sourceLanguage),
                                                 target: TokenizerSettings(language: info.targetLanguage),
                                                 merges: merges, joint: joint)
            let builder = try VocabularyBuilder(options: options)
            try store.forEachPair(corpus: corpus, split: .train) { try builder.add(source: $0.source, target: $0.target) }
            guard builder.pairs > 0 else { throw S2SError("\(path.path): corpus '\(corpus)' has no training pairs") }
            try builder.finish().write(to: output.path)
        } catch {
            throw S2SError(error)
        }
    }
}
