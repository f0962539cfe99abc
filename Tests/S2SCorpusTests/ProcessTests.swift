import Foundation
import Testing
@testable import S2SCorpus

/// Two processes on one database, Ctrl-C and kill -9 during an import, and the CLI's exit codes,
/// run against the real `s2s` executable that `swift test` builds next to the test bundle.
@Suite(.enabled(if: s2sExecutable != nil, "the s2s executable was not found next to the test bundle; run `swift build` first"))
struct ProcessTests {
    init() { signal(SIGPIPE, SIG_IGN) } // a child that exits early must not kill the test runner

    /// A store with one corpus that must survive whatever the child does.
    func storeWithKeeper(_ dir: TempDir) throws -> CorpusStore {
        let store = try dir.store()
        try store.importPairs(from: .tsv(path: Fixture.path("tatoeba-fra-200.tsv")),
                              options: ImportOptions(corpus: "keep", sourceLanguage: "en", targetLanguage: "fr"))
        return store
    }

    @Test func importInOneProcessWhileAnotherReads() throws {
        let dir = TempDir()
        let store = try storeWithKeeper(dir)
        let big = dir.write("big.tsv", syntheticTSV(count: 150_000))
        let child = try Child(["corpus", "import", "big", "--tsv", big, "--src-lang", "en", "--tgt-lang", "de", "--db", store.path], in: dir)
        // Read the other corpus over and over while the child imports.
        var passes = 0
        repeat {
            let pairs = try allPairs(store, "keep")
            #expect(pairs.count == 200)
            let names = try store.corpora().map(\.name)
            #expect(names == ["keep"] || names == ["big", "keep"]) // all or nothing, never half
            passes += 1
        } while child.process.isRunning
        #expect(child.wait() == 0, "\(child.stderr)")
        #expect(passes > 1)
        #expect(child.stdout.contains("imported 150000 pairs"))
        #expect(try store.count(corpus: "big") == 150_000)
    }

    @Test func writerWaitsForAnotherWriterInsteadOfFailing() throws {
        let dir = TempDir()
        let store = try storeWithKeeper(dir)
        try store.db.execute("BEGIN IMMEDIATE") // hold the write lock
        let child = try Child(["corpus", "import", "jpn", "--tsv", Fixture.path("tatoeba-jpn-200.tsv"),
                               "--src-lang", "en", "--tgt-lang", "ja", "--db", store.path], in: dir)
        // Wait until the child has the database open (so it really meets the lock), then a bit.
        let opened = waitUntil(seconds: 20) { child.hasOpen(store.path) || !child.process.isRunning }
        #expect(opened && child.process.isRunning, "the child should be waiting on the lock: \(child.stderr)")
        usleep(300_000)
        #expect(child.process.isRunning, "the child should still be waiting on the lock: \(child.stderr)")
        try store.db.execute("COMMIT")
        #expect(child.wait() == 0, "\(child.stderr)")
        #expect(try store.count(corpus: "jpn") == 200)
    }

    func waitUntil(seconds: Double, _ condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if condition() { return true }
            usleep(5_000)
        }
        return false
    }

    @Test func stdinImportAndReadInChild() throws {
        let dir = TempDir()
        let store = try storeWithKeeper(dir)
        let child = try Child(["corpus", "import", "jp", "--tsv", "-", "--src-lang", "en", "--tgt-lang", "ja", "--db", store.path], in: dir)
        #expect(child.feed(Fixture.bytes(Fixture.path("tatoeba-jpn-200.tsv"))))
        child.closeInput()
        #expect(child.wait() == 0, "\(child.stderr)")
        #expect(try store.count(corpus: "jp") == 200)
        // And a reader process exports what this one wrote.
        let export = try Child(["corpus", "export", "jp", "--src", dir.file("x.en"), "--tgt", dir.file("x.ja"), "--db", store.path], in: dir)
        #expect(export.wait() == 0, "\(export.stderr)")
        #expect(Fixture.lines(dir.file("x.ja")) == Fixture.tsvColumns(Fixture.path("tatoeba-jpn-200.tsv")).target)
    }

    /// Starts `--tsv -`, pushes `bytes` through the pipe (so the child has read and inserted most
    /// of them), then signals it while it waits for more input.
    func interruptedImport(signal: Int32, bytes: Int) throws -> (TempDir, CorpusStore, Child, Int32, walBytes: Int) {
        let dir = TempDir()
        let store = try storeWithKeeper(dir)
        let child = try Child(["corpus", "import", "half", "--tsv", "-", "--src-lang", "en", "--tgt-lang", "de", "--db", store.path], in: dir)
        let lines = syntheticTSV(count: bytes / 50)
        #expect(child.feed(lines), "child stopped reading: \(child.stderr)")
        usleep(200_000)
        let wal = (try? FileManager.default.attributesOfItem(atPath: store.path + "-wal")[.size] as? Int) ?? 0
        kill(child.process.processIdentifier, signal)
        let status = child.wait(seconds: 20)
        child.closeInput()
        return (dir, store, child, status, wal)
    }

    @Test func ctrlCLeavesTheDatabaseAsBefore() throws {
        let (dir, store, child, status, _) = try interruptedImport(signal: SIGINT, bytes: 2_000_000)
        #expect(status == 130)
        #expect(child.stderr.contains("interrupted"))
        try expectUnchanged(store)
        withExtendedLifetime(dir) {}
    }

    @Test func killDuringImportLeavesTheDatabaseAsBefore() throws {
        // With S2S_SLOW_TESTS=1, push enough that SQLite spills uncommitted pages into the WAL.
        let slow = ProcessInfo.processInfo.environment["S2S_SLOW_TESTS"] == "1"
        let (dir, store, child, status, walBytes) = try interruptedImport(signal: SIGKILL, bytes: slow ? 120_000_000 : 2_000_000)
        #expect(child.process.terminationReason == .uncaughtSignal && status == SIGKILL)
        // The uncommitted pages really were on disk (in the WAL) when the process died.
        if slow { #expect(walBytes > 10_000_000, "WAL held \(walBytes) bytes") }
        try expectUnchanged(store)
        withExtendedLifetime(dir) {}
    }

    func expectUnchanged(_ store: CorpusStore) throws {
        let reopened = try CorpusStore(path: store.path, mode: .existing)
        #expect(try reopened.corpora().map(\.name) == ["keep"])
        #expect(try reopened.db.scalar("SELECT count(*) FROM pairs") == 200)
        let check = try reopened.db.prepare("PRAGMA integrity_check")
        #expect(try check.step() && check.text(0) == "ok")
        // And it takes a new import.
        try reopened.importPairs(from: .tsv(path: Fixture.path("tatoeba-jpn-200.tsv")),
                                 options: ImportOptions(corpus: "after", sourceLanguage: "en", targetLanguage: "ja"))
    }

    @Test func cliErrorsAreOneLineAndNonZero() throws {
        let dir = TempDir()
        let notes = dir.write("notes.txt", String(repeating: "plain text, not SQLite\n", count: 20))
        let before = Fixture.bytes(notes)
        let list = try Child(["corpus", "list", "--db", notes], in: dir)
        #expect(list.wait() != 0)
        #expect(list.stderr.contains("is not a SQLite database") && list.stderr.split(separator: "\n").count == 1)
        #expect(Fixture.bytes(notes) == before)

        let src = dir.write("a.en", "one\ntwo\n"), tgt = dir.write("a.de", "eins\n")
        let db = dir.file("c.sqlite")
        let mismatch = try Child(["corpus", "import", "x", "--src", src, "--tgt", tgt, "--src-lang", "en", "--tgt-lang", "de", "--db", db], in: dir)
        #expect(mismatch.wait() != 0)
        #expect(mismatch.stderr.contains("\(src) has 2 lines, \(tgt) has 1; \(tgt) ran out first"))

        let stats = try Child(["corpus", "stats", "nope", "--db", db], in: dir)
        #expect(stats.wait() != 0 && stats.stderr.contains("no corpus named 'nope'"))
    }
}
