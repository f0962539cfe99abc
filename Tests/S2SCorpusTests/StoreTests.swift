import Foundation
import Testing
@testable import S2SCorpus

@Suite struct StoreTests {
    @Test func newStoreHasCurrentSchemaWALAndForeignKeys() throws {
        let dir = TempDir()
        let store = try CorpusStore(path: dir.file("sub/dir/c.sqlite"), mode: .create)
        #expect(try store.db.scalar("PRAGMA user_version") == Int64(CorpusStore.schemaVersion))
        #expect(try store.db.scalar("PRAGMA application_id") == Schema.applicationID)
        #expect(try store.db.scalar("PRAGMA foreign_keys") == 1)
        #expect(try store.db.scalar("PRAGMA page_size") == 16384)
        let mode = try store.db.prepare("PRAGMA journal_mode")
        #expect(try mode.step() && mode.text(0) == "wal")
        mode.reset() // an unfinished statement would keep the next transaction from committing
        // Reopening an existing store migrates nothing and keeps the data.
        try store.importPairs(from: .tsv(path: Fixture.path("tatoeba-jpn-200.tsv")),
                              options: ImportOptions(corpus: "j", sourceLanguage: "en", targetLanguage: "ja"))
        let again = try CorpusStore(path: dir.file("sub/dir/c.sqlite"), mode: .existing)
        #expect(try again.count(corpus: "j") == 200)
    }

    @Test func missingDatabaseIsAnErrorForReaders() throws {
        let dir = TempDir()
        #expect(throws: CorpusError.noDatabase(path: dir.file("none.sqlite"))) {
            try CorpusStore(path: dir.file("none.sqlite"), mode: .readOnly)
        }
        #expect(throws: CorpusError.noDatabase(path: dir.file("none.sqlite"))) {
            try CorpusStore(path: dir.file("none.sqlite"), mode: .existing)
        }
        #expect(!FileManager.default.fileExists(atPath: dir.file("none.sqlite")))
    }

    @Test func notASQLiteFileIsLeftUntouched() throws {
        let dir = TempDir()
        let text = "This is not a database, it is a text file that happens to be long enough to hold a header.\n"
        let path = dir.write("notes.sqlite", String(repeating: text, count: 50))
        let before = Fixture.bytes(path)
        for mode in [OpenMode.create, .existing, .readOnly] {
            #expect(throws: CorpusError.notADatabase(path: path)) { try CorpusStore(path: path, mode: mode) }
        }
        #expect(Fixture.bytes(path) == before)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["notes.sqlite"])
    }

    @Test func newerSchemaIsRefusedAndLeftUntouched() throws {
        let dir = TempDir()
        let path = dir.file("future.sqlite")
        do {
            let store = try CorpusStore(path: path)
            try store.importPairs(from: .tsv(path: Fixture.path("tatoeba-fra-200.tsv")),
                                  options: ImportOptions(corpus: "f", sourceLanguage: "en", targetLanguage: "fr"))
            try store.db.execute("PRAGMA user_version = \(CorpusStore.schemaVersion + 1)")
        } // closing the last connection checkpoints the WAL into the file
        let before = Fixture.bytes(path)
        #expect(!before.isEmpty)
        for mode in [OpenMode.create, .existing, .readOnly] {
            #expect(throws: CorpusError.newerSchema(path: path, found: CorpusStore.schemaVersion + 1, supported: CorpusStore.schemaVersion)) {
                try CorpusStore(path: path, mode: mode)
            }
        }
        #expect(Fixture.bytes(path) == before)
    }

    @Test func foreignSQLiteDatabaseIsRefused() throws {
        let dir = TempDir()
        let path = dir.file("other.sqlite")
        do {
            let other = try Connection(path: path, mode: .create, busyTimeoutMilliseconds: 1000)
            try other.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT); INSERT INTO notes (body) VALUES ('keep me')")
        }
        let before = Fixture.bytes(path)
        #expect(throws: CorpusError.notACorpusStore(path: path)) { try CorpusStore(path: path) }
        #expect(Fixture.bytes(path) == before)
    }

    @Test func emptyFileBecomesAStore() throws {
        let dir = TempDir()
        let path = dir.write("empty.sqlite", [])
        let store = try CorpusStore(path: path, mode: .existing)
        #expect(try store.corpora().isEmpty)
        #expect(try store.db.scalar("PRAGMA user_version") == Int64(CorpusStore.schemaVersion))
    }

    @Test func removeDeletesPairsImportsAndEncodings() throws {
        let dir = TempDir()
        let store = try dir.store()
        for (name, file, lang) in [("fra", "tatoeba-fra-200.tsv", "fr"), ("jpn", "tatoeba-jpn-200.tsv", "ja")] {
            try store.importPairs(from: .tsv(path: Fixture.path(file)),
                                  options: ImportOptions(corpus: name, sourceLanguage: "en", targetLanguage: lang))
        }
        let encoder = WordEncoder(sentences: try allPairs(store, "fra").flatMap { [$0.source, $0.target] })
        try store.cacheEncodings(corpus: "fra", split: nil, encoder: encoder)
        try store.cacheEncodings(corpus: "jpn", split: nil, encoder: encoder)
        #expect(try store.db.scalar("SELECT count(*) FROM encodings") == 400)
        #expect(try store.remove(corpus: "fra") == 200)
        #expect(try store.corpora().map(\.name) == ["jpn"])
        #expect(try store.db.scalar("SELECT count(*) FROM pairs") == 200)
        #expect(try store.db.scalar("SELECT count(*) FROM encodings") == 200)
        #expect(try store.db.scalar("SELECT count(*) FROM imports") == 1)
        #expect(throws: CorpusError.corpusNotFound(name: "fra", path: store.path)) { try store.remove(corpus: "fra") }
        let check = try store.db.prepare("PRAGMA foreign_key_check")
        #expect(try !check.step())
    }

    @Test func listShowsSplitsAndMetadata() throws {
        let dir = TempDir()
        let store = try dir.store()
        let src = Fixture.path("opennmt-200.en"), tgt = Fixture.path("opennmt-200.de")
        try store.importPairs(from: .alignedFiles(source: src, target: tgt),
                              options: ImportOptions(corpus: "toy", sourceLanguage: "en", targetLanguage: "de",
                                                     origin: "OpenNMT-py toy data", license: "MIT"))
        let info = try store.corpus(named: "toy")
        #expect(info.pairs == 200 && info.pairsPerSplit == [.train: 200])
        #expect(info.origin == "OpenNMT-py toy data" && info.license == "MIT")
        #expect(info.created.hasSuffix("Z") && info.created.count == 20)
        #expect(throws: CorpusError.corpusNotFound(name: "nope", path: store.path)) { try store.corpus(named: "nope") }
    }
}
