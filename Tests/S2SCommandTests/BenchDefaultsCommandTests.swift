import Foundation
import Testing

/// The benchmarks' defaults point into the repository (issue 14): `s2s bench text` looks for the
/// Python side in the venv of `make bench-env` (or $S2S_BENCH_VENV), never on a path of one
/// development machine, and says how to make it when it is missing.
struct BenchDefaultsCommandTests {
    private func benchText(in scratch: ScratchDirectory, _ environment: [String: String] = [:]) throws -> CommandRun {
        try #require(FileManager.default.isExecutableFile(atPath: builtBinary), "build s2s first (swift build)")
        let dir = try scratch.directory("work")
        try "A dog runs .\nTwo dogs play .\nA man reads a book .\n".write(toFile: dir + "/a.en", atomically: true, encoding: .utf8)
        try "Ein Hund rennt .\nZwei Hunde spielen .\nEin Mann liest ein Buch .\n".write(toFile: dir + "/a.de", atomically: true, encoding: .utf8)
        return try CommandRun(builtBinary, ["bench", "text", "--input", "a.en", "--learn-tgt", "a.de", "--merges", "20", "--runs", "1"],
                              environment: cleanEnvironment(home: scratch.path + "/home", environment), directory: dir)
    }

    @Test func benchTextLooksForTheRepositorysVenvAndSaysHowToMakeIt() throws {
        let scratch = try ScratchDirectory()
        let r = try benchText(in: scratch)
        #expect(r.status != 0)
        #expect(r.stderr.contains(".build/bench-venv/bin/python"), "\(r.stderr)")
        #expect(r.stderr.contains("make bench-env"), "\(r.stderr)")
        #expect(!r.stderr.contains("/tmp/"), "\(r.stderr)")
    }

    @Test func benchTextTakesTheVenvFromTheEnvironment() throws {
        let scratch = try ScratchDirectory()
        let r = try benchText(in: scratch, ["S2S_BENCH_VENV": scratch.path + "/venv"])
        #expect(r.status != 0)
        #expect(r.stderr.contains(scratch.path + "/venv/bin/python"), "\(r.stderr)")
    }
}
