import Foundation
import Testing
@testable import S2SCorpus

@Suite struct ImportTests {
    @Test(arguments: [("tatoeba-fra-200.tsv", "en", "fr"), ("tatoeba-jpn-200.tsv", "en", "ja")])
    func importsTatoebaTSV(file: String, src: String, tgt: String) throws {
        let dir = TempDir()
        let store = try dir.store()
        let path = Fixture.path(file)
        let report = try store.importPairs(from: .tsv(path: path),
                                           options: ImportOptions(corpus: "t", sourceLanguage: src, targetLanguage: tgt))
        #expect(report.read == 200)
        #expect(report.imported == 200)
        #expect(report.duplicates == 0 && report.empty == 0 && report.badLines == 0)
        let expected = Fixture.tsvColumns(path)
        let pairs = try allPairs(store, "t")
        #expect(pairs.map { Array($0.source.utf8) } == expected.source)
        #expect(pairs.map { Array($0.target.utf8) } == expected.target)
        #expect(pairs.allSatisfy { $0.split == .train })
        let info = try store.corpus(named: "t")
        #expect(info.sourceLanguage == src && info.targetLanguage == tgt)
        #expect(info.origin == path)
    }

    @Test(arguments: [("multi30k-200.en", "multi30k-200.de"), ("opennmt-200.en", "opennmt-200.de")])
    func importsAlignedFiles(src: String, tgt: String) throws {
        let dir = TempDir()
        let store = try dir.store()
        let report = try store.importPairs(
            from: .alignedFiles(source: Fixture.path(src), target: Fixture.path(tgt)),
            options: ImportOptions(corpus: "a", sourceLanguage: "en", targetLanguage: "de", split: .valid))
        #expect(report.read == 200 && report.imported == 200)
        let pairs = try allPairs(store, "a", .valid)
        #expect(pairs.map { Array($0.source.utf8) } == Fixture.lines(Fixture.path(src)))
        #expect(pairs.map { Array($0.target.utf8) } == Fixture.lines(Fixture.path(tgt)))
        #expect(try store.count(corpus: "a", split: .train) == 0)
    }

    @Test func multi30kTabInsideSentenceIsKept() throws {
        let dir = TempDir()
        let store = try dir.store()
        try store.importPairs(from: .alignedFiles(source: Fixture.path("multi30k-200.en"), target: Fixture.path("multi30k-200.de")),
                              options: ImportOptions(corpus: "m", sourceLanguage: "en", targetLanguage: "de"))
        // Line 66 of the cut is train.de line 7366, which contains a literal TAB.
        #expect(try allPairs(store, "m")[65].target.contains("\t"))
    }

    @Test func lineCountMismatchImportsNothing() throws {
        let dir = TempDir()
        let store = try dir.store()
        let src = dir.write("a.en", "one\ntwo\nthree\n")
        let tgt = dir.write("a.de", "eins\nzwei\n")
        #expect(throws: CorpusError.lineCountMismatch(source: src, sourceLines: 3, target: tgt, targetLines: 2, ranOut: tgt)) {
            try store.importPairs(from: .alignedFiles(source: src, target: tgt),
                                  options: ImportOptions(corpus: "x", sourceLanguage: "en", targetLanguage: "de"))
        }
        // The other way round names the other file, and counts a last line without newline.
        let short = dir.write("b.en", "one")
        #expect(throws: CorpusError.lineCountMismatch(source: short, sourceLines: 1, target: tgt, targetLines: 2, ranOut: short)) {
            try store.importPairs(from: .alignedFiles(source: short, target: tgt),
                                  options: ImportOptions(corpus: "x", sourceLanguage: "en", targetLanguage: "de"))
        }
        #expect(try store.corpora().isEmpty)
        #expect(try store.db.scalar("SELECT count(*) FROM pairs") == 0)
        #expect(try store.db.scalar("SELECT count(*) FROM imports") == 0)
    }

    @Test func duplicatesAndEmptyAreSkippedAndCounted() throws {
        let dir = TempDir()
        let store = try dir.store()
        let tsv = dir.write("d.tsv", "a\tA\nb\tB\na\tA\n\tX\n  \tY\nZ\t\t\na\tA2\nb\tB\n")
        let report = try store.importPairs(from: .tsv(path: tsv), options: ImportOptions(corpus: "d", sourceLanguage: "en", targetLanguage: "de"))
        #expect(report.read == 8)
        #expect(report.imported == 3) // a/A, b/B, a/A2
        #expect(report.duplicates == 2)
        #expect(report.empty == 3)
        #expect(try allPairs(store, "d").map { "\($0.source)|\($0.target)" } == ["a|A", "b|B", "a|A2"])

        // Appending dedupes against what is stored; without --append the name is taken.
        let more = dir.write("e.tsv", "b\tB\nc\tC\n")
        #expect(throws: CorpusError.corpusExists(name: "d")) {
            try store.importPairs(from: .tsv(path: more), options: ImportOptions(corpus: "d", sourceLanguage: "en", targetLanguage: "de"))
        }
        let appended = try store.importPairs(from: .tsv(path: more), options: ImportOptions(corpus: "d", split: .test, append: true))
        #expect(appended.imported == 1 && appended.duplicates == 1)
        #expect(try store.count(corpus: "d") == 4)
        #expect(try store.count(corpus: "d", split: .test) == 1)
        #expect(throws: CorpusError.languageMismatch(name: "d", existing: "en-de", given: "en-fr")) {
            try store.importPairs(from: .tsv(path: more), options: ImportOptions(corpus: "d", targetLanguage: "fr", append: true))
        }
        let stats = try store.stats(corpus: "d")
        #expect(stats.duplicatesSkipped == 3)
        #expect(stats.imports.count == 2)

        // A held-out set imported verbatim keeps its duplicates, line for line.
        let verbatim = try store.importPairs(from: .tsv(path: tsv), options: ImportOptions(corpus: "d", split: .valid, append: true, keepDuplicates: true))
        #expect(verbatim.imported == 5 && verbatim.duplicates == 0 && verbatim.empty == 3)
        #expect(try allPairs(store, "d", .valid).map { "\($0.source)|\($0.target)" } == ["a|A", "b|B", "a|A", "a|A2", "b|B"])
    }

    @Test func invalidUTF8NamesFileAndLine() throws {
        let dir = TempDir()
        let store = try dir.store()
        let src = dir.write("u.en", "ok\nfine\nalso fine\n")
        let tgt = dir.write("u.de", Array("gut\nsch".utf8) + [0xC3, 0x28] + Array("n\nbad\n".utf8))
        #expect(throws: CorpusError.invalidUTF8(file: tgt, line: 2)) {
            try store.importPairs(from: .alignedFiles(source: src, target: tgt),
                                  options: ImportOptions(corpus: "u", sourceLanguage: "en", targetLanguage: "de"))
        }
        let tsv = dir.write("u.tsv", Array("a\tb\nc\td\ne\t".utf8) + [0xED, 0xA0, 0x80] + [0x0A]) // a UTF-16 surrogate
        #expect(throws: CorpusError.invalidUTF8(file: tsv, line: 3)) {
            try store.importPairs(from: .tsv(path: tsv), options: ImportOptions(corpus: "u", sourceLanguage: "en", targetLanguage: "de"))
        }
        #expect(try store.corpora().isEmpty)
    }

    @Test func tsvLineWithoutTabFailsOrIsSkipped() throws {
        let dir = TempDir()
        let store = try dir.store()
        let tsv = dir.write("t.tsv", "a\tA\nno tab here\nb\tB\tattribution\n")
        #expect(throws: CorpusError.missingTab(file: tsv, line: 2)) {
            try store.importPairs(from: .tsv(path: tsv), options: ImportOptions(corpus: "t", sourceLanguage: "en", targetLanguage: "de"))
        }
        #expect(try store.corpora().isEmpty)
        let report = try store.importPairs(from: .tsv(path: tsv),
                                           options: ImportOptions(corpus: "t", sourceLanguage: "en", targetLanguage: "de", skipBad: true))
        #expect(report.read == 3 && report.imported == 2 && report.badLines == 1)
        #expect(try allPairs(store, "t").map(\.target) == ["A", "B"]) // third column ignored
    }

    @Test func lengthAndRatioFilters() throws {
        let dir = TempDir()
        let store = try dir.store()
        let tsv = dir.write("f.tsv", "a b c\tx y z\na b c d e\tx\na\tv w x y z\nshort\tkurz\n")
        let report = try store.importPairs(from: .tsv(path: tsv), options: ImportOptions(
            corpus: "f", sourceLanguage: "en", targetLanguage: "de", maxLength: 4, maxRatio: 2))
        #expect(report.tooLong == 2 && report.badRatio == 0 && report.imported == 2)
        let ratio = try store.importPairs(from: .tsv(path: tsv), options: ImportOptions(
            corpus: "g", sourceLanguage: "en", targetLanguage: "de", maxRatio: 2))
        #expect(ratio.badRatio == 2 && ratio.imported == 2)
        // Characters instead of words: "short"/"kurz" (5 vs 4) passes, "a"/"v w x y z" (1 vs 9) does not.
        let chars = try store.importPairs(from: .tsv(path: tsv), options: ImportOptions(
            corpus: "h", sourceLanguage: "en", targetLanguage: "de", maxRatio: 2, lengthUnit: .chars))
        #expect(chars.badRatio == 2 && chars.imported == 2)
    }

    @Test func crlfAndBOMAreNotText() throws {
        let dir = TempDir()
        let store = try dir.store()
        let tsv = dir.write("c.tsv", [0xEF, 0xBB, 0xBF] + Array("Hi.\tSalut.\r\nBye.\tAu revoir.\r\n".utf8))
        try store.importPairs(from: .tsv(path: tsv), options: ImportOptions(corpus: "c", sourceLanguage: "en", targetLanguage: "fr"))
        #expect(try allPairs(store, "c").map { "\($0.source)|\($0.target)" } == ["Hi.|Salut.", "Bye.|Au revoir."])
    }

    @Test func cancellationRollsBackEverything() throws {
        let dir = TempDir()
        let store = try dir.store()
        let tsv = dir.write("big.tsv", syntheticTSV(count: 5000))
        try store.importPairs(from: .tsv(path: Fixture.path("tatoeba-fra-200.tsv")),
                              options: ImportOptions(corpus: "keep", sourceLanguage: "en", targetLanguage: "fr"))
        var polls = 0
        #expect(throws: CorpusError.interrupted) {
            try store.importPairs(from: .tsv(path: tsv), options: ImportOptions(corpus: "big", sourceLanguage: "en", targetLanguage: "fr"),
                                  isCancelled: { polls += 1; return polls >= 3 }) // after ~3000 pairs were inserted
        }
        #expect(try store.corpora().map(\.name) == ["keep"])
        #expect(try store.db.scalar("SELECT count(*) FROM pairs") == 200)
        // The store is still usable and the same import now goes through.
        let report = try store.importPairs(from: .tsv(path: tsv), options: ImportOptions(corpus: "big", sourceLanguage: "en", targetLanguage: "fr"),
                                           isCancelled: { false })
        #expect(report.imported == 5000)
    }

    @Test func badNamesAndMissingLanguages() throws {
        let dir = TempDir()
        let store = try dir.store()
        let tsv = Fixture.path("tatoeba-fra-200.tsv")
        #expect(throws: CorpusError.invalidName("a b")) {
            try store.importPairs(from: .tsv(path: tsv), options: ImportOptions(corpus: "a b", sourceLanguage: "en", targetLanguage: "fr"))
        }
        #expect(throws: CorpusError.invalidLanguage("english")) {
            try store.importPairs(from: .tsv(path: tsv), options: ImportOptions(corpus: "ok", sourceLanguage: "english", targetLanguage: "fr"))
        }
        #expect(throws: CorpusError.missingLanguages(name: "ok")) {
            try store.importPairs(from: .tsv(path: tsv), options: ImportOptions(corpus: "ok"))
        }
        #expect(throws: CorpusError.self) {
            try store.importPairs(from: .tsv(path: dir.file("missing.tsv")), options: ImportOptions(corpus: "ok", sourceLanguage: "en", targetLanguage: "fr"))
        }
        #expect(try store.corpora().isEmpty)
    }
}
