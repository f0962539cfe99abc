import Foundation
import Testing

/// `s2s model pack` when the disk fills up mid-write (issue 16: it used to leave `X/vocab/`
/// without a model). The full disk is a per-file size limit (`ulimit -f`, SIGXFSZ ignored, so
/// write(2) fails with EFBIG as it fails with ENOSPC on a full disk): the vocabulary files fit,
/// the model file does not. `make faults` does the same on a real, full tmpfs.
struct WholeOutputCommandTests {
    /// Runs s2s under a 2 MB file size limit (the shipped vocabulary files are < 100 kB each,
    /// the model ≥ 9 MB).
    private func limited(_ arguments: [String], in scratch: ScratchDirectory, limitKB: Int = 2000) throws -> CommandRun {
        try #require(FileManager.default.isExecutableFile(atPath: builtBinary), "build s2s first (swift build)")
        let script = "trap '' XFSZ; ulimit -f \(limitKB); exec \"$0\" \"$@\""
        return try CommandRun("/bin/bash", ["-c", script, builtBinary] + arguments,
                              environment: cleanEnvironment(home: scratch.path + "/home"), directory: scratch.path)
    }

    private func entries(_ path: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted()
    }

    @Test func aNewModelDirectoryAppearsWholeOrNotAtAll() throws {
        let scratch = try ScratchDirectory()
        let model = repositoryRoot + "/models/default"
        let out = try scratch.directory("out")
        let r = try limited(["model", "pack", model, "--out", out + "/packed"], in: scratch)
        #expect(r.status != 0)
        #expect(r.stderr.contains("packed") && r.stderr.split(separator: "\n").count == 1, "\(r.stderr)")
        #expect(entries(out).isEmpty, "left behind: \(entries(out))")

        // Without the limit the same command writes the whole directory.
        let ok = try limited(["model", "pack", model, "--out", out + "/packed"], in: scratch, limitKB: 1 << 20)
        #expect(ok.status == 0, "\(ok.stderr)")
        #expect(entries(out) == ["packed"])
        #expect(entries(out + "/packed") == ["model.safetensors", "vocab"])
    }

    @Test func anExistingModelDirectoryKeepsItsModelWhenTheNewOneDoesNotFit() throws {
        let scratch = try ScratchDirectory()
        let model = repositoryRoot + "/models/default"
        let out = try scratch.directory("out") + "/m"
        let first = try limited(["model", "pack", model, "--out", out, "--storage", "f16"], in: scratch, limitKB: 1 << 20)
        try #require(first.status == 0, "\(first.stderr)")
        let before = try Data(contentsOf: URL(fileURLWithPath: out + "/model.safetensors"))
        let r = try limited(["model", "pack", model, "--out", out, "--storage", "f32"], in: scratch, limitKB: 12_000)
        #expect(r.status != 0 && r.stderr.split(separator: "\n").count == 1, "\(r.stderr)")
        #expect(entries(out) == ["model.safetensors", "vocab"], "\(entries(out))")
        #expect(try Data(contentsOf: URL(fileURLWithPath: out + "/model.safetensors")) == before)
        let info = try limited(["model", "info", out], in: scratch, limitKB: 1 << 20)
        #expect(info.status == 0 && info.stdout.contains("F16"), "\(info.stdout)\(info.stderr)")
    }

    /// An output that cannot be written (here: under a regular file; `make faults` also tries a
    /// read-only mount) is refused before the build or the model load, with one line.
    @Test func anUnwritableOutputIsRefusedBeforeTheWork() throws {
        let scratch = try ScratchDirectory()
        let blocker = scratch.path + "/blocker"
        try Data("not a directory\n".utf8).write(to: URL(fileURLWithPath: blocker))
        let corpus = repositoryRoot + "/corpora/multi30k"
        let vocab = try limited(["vocab", "build", "--src", corpus + "/val.en", "--tgt", corpus + "/val.de", "--src-lang", "en",
                                 "--tgt-lang", "de", "--merges", "200", "--out", blocker + "/vocab"], in: scratch, limitKB: 1 << 20)
        let pack = try limited(["model", "pack", repositoryRoot + "/models/default", "--out", blocker + "/packed"], in: scratch,
                               limitKB: 1 << 20)
        for r in [vocab, pack] {
            #expect(r.status != 0)
            #expect(r.stderr.hasPrefix("Error: \(blocker)/") && r.stderr.split(separator: "\n").count == 1, "\(r.stderr)")
        }
    }
}
