import Foundation
import Testing
@testable import S2SCorpus

/// Imports both Tatoeba cuts into one corpus: many English sentences with several translations.
func tatoebaStore(_ dir: TempDir) throws -> CorpusStore {
    let store = try dir.store()
    try store.importPairs(from: .tsv(path: Fixture.path("tatoeba-fra-200.tsv")),
                          options: ImportOptions(corpus: "tat", sourceLanguage: "en", targetLanguage: "fr"))
    try store.importPairs(from: .tsv(path: Fixture.path("tatoeba-jpn-200.tsv")),
                          options: ImportOptions(corpus: "tat", append: true))
    return store
}

@Suite struct SplitExportTests {
    /// For each side, the splits every sentence occurs in; a sentence in two splits is a leak.
    func leaks(_ pairs: [SentencePair]) -> [String] {
        var sourceSplits: [String: Set<Split>] = [:], targetSplits: [String: Set<Split>] = [:]
        for p in pairs {
            sourceSplits[p.source, default: []].insert(p.split)
            targetSplits[p.target, default: []].insert(p.split)
        }
        return (Array(sourceSplits.filter { $0.value.count > 1 }.keys) + Array(targetSplits.filter { $0.value.count > 1 }.keys)).sorted()
    }

    @Test func groupedSplitSharesNoSentenceBetweenSplits() throws {
        let dir = TempDir()
        let store = try tatoebaStore(dir)
        let before = try allPairs(store, "tat")
        // The data really has one-to-many translations, so a careless split could leak.
        #expect(Set(before.map(\.source)).count < before.count - 20)

        let report = try store.split(corpus: "tat", valid: 40, test: 40, seed: 1)
        #expect(report.pool == 400)
        #expect(report.pairsPerSplit == [.train: 320, .valid: 40, .test: 40])
        #expect(report.largestGroup > 1 && report.groups < 400)
        let after = try allPairs(store, "tat")
        #expect(leaks(after) == [])
        #expect(after.filter { $0.split == .valid }.count == 40)
        #expect(after.filter { $0.split == .test }.count == 40)
        // Some multi-pair group did land in a held-out split whole.
        let heldOutSources = after.filter { $0.split != .train }.map(\.source)
        #expect(Set(heldOutSources).count < heldOutSources.count)
        #expect(try store.corpus(named: "tat").pairsPerSplit == [.train: 320, .valid: 40, .test: 40])
    }

    @Test func splitIsDeterministicPerSeed() throws {
        let dir = TempDir()
        let store = try tatoebaStore(dir)
        try store.split(corpus: "tat", valid: 30, test: 30, seed: 7)
        let first = try allPairs(store, "tat").map(\.split)
        let again = try store.split(corpus: "tat", valid: 30, test: 30, seed: 7)
        #expect(again.moved == 0)
        #expect(try allPairs(store, "tat").map(\.split) == first)
        try store.split(corpus: "tat", valid: 30, test: 30, seed: 8)
        #expect(try allPairs(store, "tat").map(\.split) != first)
        // A second store with the same data and seed draws the same split.
        let other = try tatoebaStore(TempDir())
        try other.split(corpus: "tat", valid: 30, test: 30, seed: 7)
        #expect(try allPairs(other, "tat").map(\.split) == first)
    }

    @Test func splitFromOnePoolLeavesOthersAlone() throws {
        let dir = TempDir()
        let store = try dir.store()
        let en = Fixture.path("multi30k-200.en"), de = Fixture.path("multi30k-200.de")
        try store.importPairs(from: .alignedFiles(source: en, target: de),
                              options: ImportOptions(corpus: "m", sourceLanguage: "en", targetLanguage: "de"))
        try store.importPairs(from: .tsv(path: Fixture.path("tatoeba-fra-200.tsv")),
                              options: ImportOptions(corpus: "m", split: .valid, append: true))
        let report = try store.split(corpus: "m", valid: 0, test: 25, seed: 3, pool: .train)
        #expect(report.pool == 200)
        #expect(try store.corpus(named: "m").pairsPerSplit == [.train: 175, .valid: 200, .test: 25])
        #expect(throws: CorpusError.splitTooLarge(corpus: "m", requested: 500, available: 400)) {
            try store.split(corpus: "m", valid: 250, test: 250, seed: 1)
        }
    }

    @Test(arguments: [("multi30k-200.en", "multi30k-200.de"), ("opennmt-200.en", "opennmt-200.de")])
    func exportReproducesAlignedFilesByteForByte(src: String, tgt: String) throws {
        let dir = TempDir()
        let store = try dir.store()
        try store.importPairs(from: .alignedFiles(source: Fixture.path(src), target: Fixture.path(tgt)),
                              options: ImportOptions(corpus: "c", sourceLanguage: "en", targetLanguage: "de", split: .test))
        let count = try store.export(corpus: "c", split: .test, sourcePath: dir.file("out.en"), targetPath: dir.file("out.de"))
        #expect(count == 200)
        #expect(Fixture.bytes(dir.file("out.en")) == Fixture.bytes(Fixture.path(src)))
        #expect(Fixture.bytes(dir.file("out.de")) == Fixture.bytes(Fixture.path(tgt)))
        // Other splits are empty; no temporary files are left behind.
        try store.export(corpus: "c", split: .train, sourcePath: dir.file("e.en"), targetPath: dir.file("e.de"))
        #expect(Fixture.bytes(dir.file("e.en")).isEmpty)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.contains(".tmp-") }.isEmpty)
    }

    @Test func exportOfTSVImportGivesItsColumns() throws {
        let dir = TempDir()
        let store = try dir.store()
        let path = Fixture.path("tatoeba-jpn-200.tsv")
        try store.importPairs(from: .tsv(path: path), options: ImportOptions(corpus: "j", sourceLanguage: "en", targetLanguage: "ja"))
        try store.export(corpus: "j", sourcePath: dir.file("j.en"), targetPath: dir.file("j.ja"))
        let columns = Fixture.tsvColumns(path)
        #expect(Fixture.lines(dir.file("j.en")) == columns.source)
        #expect(Fixture.lines(dir.file("j.ja")) == columns.target)
    }

    @Test func exportIntoMissingDirectoryFailsCleanly() throws {
        let dir = TempDir()
        let store = try tatoebaStore(dir)
        #expect(throws: CorpusError.self) {
            try store.export(corpus: "tat", sourcePath: dir.file("a.en"), targetPath: dir.file("no/such/b.fr"))
        }
        // The source side was already being written: its temporary file is gone, no a.en appears.
        #expect(!FileManager.default.fileExists(atPath: dir.file("a.en")))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.contains(".tmp-") }.isEmpty)
    }

    @Test func statsCountsSplitsLengthsAndRepetition() throws {
        let dir = TempDir()
        let store = try dir.store()
        let tsv = dir.write("s.tsv", "a\tA\na b\tB\na b c\tC\na b c d\tC\na b c d e\tE E\nsame\tsame\nsame\tsame\n")
        try store.importPairs(from: .tsv(path: tsv), options: ImportOptions(corpus: "s", sourceLanguage: "en", targetLanguage: "de"))
        let stats = try store.stats(corpus: "s")
        #expect(stats.pairs == 6)
        // Source word lengths 1 2 3 4 5 1: nearest-rank p50 = 2, p90 = max = 5.
        #expect(stats.source.words.min == 1 && stats.source.words.p50 == 2 && stats.source.words.p90 == 5 && stats.source.words.max == 5)
        #expect(stats.source.words.mean == 16.0 / 6)
        #expect(stats.target.chars.max == 4 && stats.target.chars.p50 == 1)
        #expect(stats.source.distinct == 6 && stats.target.distinct == 5)
        #expect(stats.target.pairsSharingSentence == 2) // the two "C"
        #expect(stats.identicalSides == 1)
        #expect(stats.duplicatesSkipped == 1)
        try store.split(corpus: "s", valid: 1, test: 0, seed: 1)
        #expect(try store.stats(corpus: "s", split: .valid).pairs == 1)
    }
}
