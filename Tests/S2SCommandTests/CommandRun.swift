import Foundation
import S2SCommandSupport

/// The repository root (for the shipped model and the built binary).
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().path

/// The `s2s` that `swift build` / `swift test` built.
let builtBinary = S2SCommand.binary

/// What a child process did.
struct CommandRun {
    var status: Int32
    var stdout: String
    var stderr: String

    /// Runs `executable` with exactly `environment` (nothing inherited, so the user's
    /// S2S_MODEL_PATH, HOME or XDG_DATA_HOME never leak into a test) in `directory`.
    init(_ executable: String, _ arguments: [String], stdin: String = "", environment: [String: String],
         directory: String) throws {
        let r = try S2SCommand.run(arguments, stdin: Data(stdin.utf8), directory: directory, environment: environment,
                                   inheritEnvironment: false, executable: executable)
        status = r.status
        stdout = r.stdout
        stderr = r.stderr
    }
}

/// The first lines of the bundled Multi30k files, e.g. [("train", 300), ("val", 40)], written to
/// `directory` as train.en, train.de, val.en, val.de.
func writeMulti30kSlices(to directory: String, _ slices: [(file: String, lines: Int)]) throws {
    let corpus = repositoryRoot + "/corpora/multi30k/"
    for (file, lines) in slices {
        for side in ["en", "de"] {
            let text = try String(contentsOfFile: corpus + "\(file).\(side)", encoding: .utf8).split(separator: "\n").prefix(lines)
            try (text.joined(separator: "\n") + "\n").write(toFile: "\(directory)/\(file).\(side)", atomically: true, encoding: .utf8)
        }
    }
}

/// The environment a test's commands run with: a PATH, one engine thread, a HOME of its own, the
/// large-GEMM kernel fixed.
func cleanEnvironment(home: String, _ extra: [String: String] = [:]) -> [String: String] {
    // S2S_SGEMM_SPEEDUP: every `train` here would otherwise run the large-GEMM probe (~0.3 s at
    // one thread) in its fresh HOME; tests' models are far below the sizes it decides.
    var environment = ["PATH": "/usr/local/bin:/usr/bin:/bin", "OMP_NUM_THREADS": "1", "HOME": home, "S2S_SGEMM_SPEEDUP": "1"]
    environment.merge(extra) { $1 }
    return environment
}

/// A scratch directory, removed when the value goes away.
final class ScratchDirectory {
    let path: String
    init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("s2s-command-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }
    deinit { try? FileManager.default.removeItem(atPath: path) }

    @discardableResult
    func directory(_ relative: String) throws -> String {
        let p = path + "/" + relative
        try FileManager.default.createDirectory(atPath: p, withIntermediateDirectories: true)
        return p
    }

    /// The shipped model (models/default) under `relative`, as symbolic links: the real files,
    /// without copying 18 MB per test.
    @discardableResult
    func linkShippedModel(at relative: String) throws -> String {
        let p = try directory(relative)
        for name in ["model.safetensors", "vocab"] {
            try FileManager.default.createSymbolicLink(atPath: p + "/" + name, withDestinationPath: repositoryRoot + "/models/default/" + name)
        }
        return p
    }
}
