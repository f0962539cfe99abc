import Foundation
import Testing

/// `--model` by name, the default model and `s2s model list`, run as a user runs them: the
/// built binary, from a directory that is not the repository, with the shipped model placed on
/// the search path.
struct ModelPathCommandTests {
    /// The binary's own installation directory (`<exe>/../share/s2s/models`) as the binary
    /// computes it: from its real path, which for `.build/debug/s2s` is in the triple directory.
    private var installedDirectory: String {
        URL(fileURLWithPath: builtBinary).resolvingSymlinksInPath().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("share/s2s/models").path
    }

    private func s2s(_ arguments: [String], stdin: String = "", in scratch: ScratchDirectory,
                     _ environment: [String: String] = [:]) throws -> CommandRun {
        try #require(FileManager.default.isExecutableFile(atPath: builtBinary), "build s2s first (swift build)")
        return try CommandRun(builtBinary, arguments, stdin: stdin,
                              environment: cleanEnvironment(home: scratch.path + "/home", environment),
                              directory: try scratch.directory("elsewhere"))
    }

    @Test func theDefaultModelIsFoundByNameFromAnyDirectory() throws {
        let scratch = try ScratchDirectory()
        try scratch.linkShippedModel(at: "mine/default")
        let env = ["S2S_MODEL_PATH": scratch.path + "/mine"]
        let r = try s2s(["translate"], stdin: "Two dogs are playing in the snow.\n", in: scratch, env)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == "Zwei Hunde spielen im Schnee.\n")
        // The same model by another name, in the user's data directory.
        try scratch.linkShippedModel(at: "home/.local/share/s2s/models/en-de")
        let named = try s2s(["translate", "--model", "en-de", "--greedy"], stdin: "Two dogs are playing in the snow.\n", in: scratch)
        #expect(named.status == 0, "\(named.stderr)")
        #expect(named.stdout == "Zwei Hunde spielen im Schnee.\n")
    }

    @Test func aNameFoundNowhereFailsWithOneLineNamingEveryPlace() throws {
        let scratch = try ScratchDirectory()
        let env = ["S2S_MODEL_PATH": scratch.path + "/a:" + scratch.path + "/b", "XDG_DATA_HOME": scratch.path + "/xdg"]
        for arguments in [["translate", "--model", "fr-en"], ["model", "info", "fr-en"], ["attention", "--model", "fr-en", "A dog."]] {
            let r = try s2s(arguments, stdin: "A dog.\n", in: scratch, env)
            #expect(r.status == 1)
            #expect(r.stdout.isEmpty)
            let lines = r.stderr.split(separator: "\n")
            #expect(lines.count == 1, "\(r.stderr)")
            for place in [scratch.path + "/a", scratch.path + "/b", scratch.path + "/elsewhere/models",
                          scratch.path + "/xdg/s2s/models", installedDirectory] {
                #expect(r.stderr.contains(place), "\(arguments): \(r.stderr)")
            }
            #expect(r.stderr.contains("no model named 'fr-en'"))
        }
        let noDefault = try s2s(["translate"], stdin: "A dog.\n", in: scratch, env)
        #expect(noDefault.status == 1)
        #expect(noDefault.stderr.contains("no model named 'default'"))
    }

    @Test func aNameWithASlashIsAPath() throws {
        let scratch = try ScratchDirectory()
        try scratch.linkShippedModel(at: "elsewhere/models/default")
        // ./models/default is found by name (no --model) and by path; a missing path is not
        // looked up on the search path.
        let byName = try s2s(["translate", "--greedy"], stdin: "A dog runs.\n", in: scratch)
        #expect(byName.status == 0, "\(byName.stderr)")
        let byPath = try s2s(["translate", "--model", "models/default", "--greedy"], stdin: "A dog runs.\n", in: scratch)
        #expect(byPath.status == 0, "\(byPath.stderr)")
        #expect(byPath.stdout == byName.stdout && !byName.stdout.isEmpty)
        let missing = try s2s(["translate", "--model", "nowhere/default"], stdin: "A dog runs.\n", in: scratch)
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("no model at nowhere/default"))
    }

    @Test func modelListShowsThePathEachModelAndWhatIsShadowed() throws {
        let scratch = try ScratchDirectory()
        let first = try scratch.linkShippedModel(at: "a/default")
        let second = try scratch.linkShippedModel(at: "b/default")
        let other = try scratch.linkShippedModel(at: "b/other")
        try scratch.directory("b/not-a-model/vocab")
        let r = try s2s(["model", "list"], in: scratch, ["S2S_MODEL_PATH": scratch.path + "/a:" + scratch.path + "/b"])
        #expect(r.status == 0, "\(r.stderr)")
        let lines = r.stdout.split(separator: "\n").map(String.init)
        #expect(Array(lines.prefix(6)) == [
            "search path (first match wins):",
            "  1. \(scratch.path)/a (S2S_MODEL_PATH)",
            "  2. \(scratch.path)/b (S2S_MODEL_PATH)",
            "  3. \(scratch.path)/elsewhere/models (./models, absent)",
            "  4. \(scratch.path)/home/.local/share/s2s/models (user, absent)",
            "  5. \(installedDirectory) (installed, absent)",
        ])
        let rows = lines.drop { !$0.hasPrefix("NAME") }.dropFirst()
        #expect(rows.count == 3, "\(r.stdout)")
        // The shipped model, en→de; its size is that of the linked files (model and vocabulary).
        let shipped = repositoryRoot + "/models/default"
        let bytes = try ["model.safetensors"].map { shipped + "/" + $0 }
            + FileManager.default.contentsOfDirectory(atPath: shipped + "/vocab").map { shipped + "/vocab/" + $0 }
        let total = try bytes.reduce(0.0) { $0 + ((try FileManager.default.attributesOfItem(atPath: $1)[.size] as? NSNumber)?.doubleValue ?? 0) }
        let expected = [("default", first, ""), ("default", second, ", shadowed by \(first)"), ("other", other, "")]
        for (row, (name, directory, shadow)) in zip(rows, expected) {
            let columns = row.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
            #expect(columns.prefix(4) == [name, "en→de", String(format: "%.1f", total / 1e6), "MB"], "\(row)")
            #expect(row.hasSuffix("\(directory) (S2S_MODEL_PATH)\(shadow)"), "\(row)")
        }
    }

    @Test func aModelTrainedUnderABareNameIsFoundByThatName() throws {
        let scratch = try ScratchDirectory()
        let work = try scratch.directory("elsewhere")
        try writeMulti30kSlices(to: work, [("train", 300), ("val", 40)])
        let steps: [[String]] = [
            ["corpus", "import", "t", "--db", "c.sqlite", "--src", "train.en", "--tgt", "train.de", "--src-lang", "en", "--tgt-lang", "de",
             "--split", "train"],
            ["corpus", "import", "t", "--db", "c.sqlite", "--append", "--src", "val.en", "--tgt", "val.de", "--src-lang", "en",
             "--tgt-lang", "de", "--split", "valid"],
            ["vocab", "build", "--db", "c.sqlite", "--corpus", "t", "--joint", "--merges", "100", "--out", "voc"],
            ["train", "--db", "c.sqlite", "--corpus", "t", "--vocab", "voc", "--out", "mine", "--emb", "8", "--hidden", "8",
             "--max-steps", "2", "--valid-every", "2"],
        ]
        for arguments in steps {
            let r = try s2s(arguments, in: scratch)
            try #require(r.status == 0, "\(arguments): \(r.stderr)")
        }
        // Written to the user's data directory, not ./mine, and found there by name.
        let user = scratch.path + "/home/.local/share/s2s/models/mine"
        #expect(FileManager.default.fileExists(atPath: user + "/model.safetensors"))
        #expect(!FileManager.default.fileExists(atPath: work + "/mine"))
        let listed = try s2s(["model", "list"], in: scratch)
        #expect(listed.stdout.contains("\(user) (user)"), "\(listed.stdout)")
        let translated = try s2s(["translate", "--model", "mine", "--greedy"], stdin: "A dog.\n", in: scratch)
        #expect(translated.status == 0, "\(translated.stderr)")
        #expect(translated.stdout.split(separator: "\n", omittingEmptySubsequences: false).count == 2)
    }

    @Test func versionNamesTheCommitAndTheLoadedOneDNNAndICU() throws {
        let scratch = try ScratchDirectory()
        let r = try s2s(["--version"], in: scratch)
        #expect(r.status == 0)
        let lines = r.stdout.split(separator: "\n").map(String.init)
        try #require(lines.count == 4, "\(r.stdout)")
        let git = try CommandRun("/usr/bin/env", ["git", "-C", repositoryRoot, "rev-parse", "--short=12", "HEAD"],
                                 environment: ["PATH": "/usr/bin:/bin"], directory: repositoryRoot)
        let commit = git.status == 0 ? git.stdout.trimmingCharacters(in: .whitespacesAndNewlines) : "unknown"
        #expect(lines[0].hasPrefix("s2s 0.") && lines[0].contains("(commit \(commit)"), "\(lines[0])")
        // The versions must be those of the libraries the binary loads: their sonames carry the
        // major number (libdnnl.so.2, libicuuc.so.72).
        let ldd = try CommandRun("/usr/bin/ldd", [builtBinary], environment: ["PATH": "/usr/bin:/bin"], directory: repositoryRoot)
        let dnnlMajor = try #require(soname(major: "libdnnl.so.", in: ldd.stdout))
        let icuMajor = try #require(soname(major: "libicuuc.so.", in: ldd.stdout))
        #expect(lines[1].hasPrefix("oneDNN \(dnnlMajor)."), "\(lines[1])")
        #expect(lines[2].hasPrefix("ICU \(icuMajor)."), "\(lines[2])")
        #expect(lines[3].hasPrefix("precision auto: fp32") || lines[3].hasPrefix("precision auto: bf16"), "\(lines[3])")
    }

    private func soname(major prefix: String, in text: String) -> String? {
        guard let range = text.range(of: prefix) else { return nil }
        return String(text[range.upperBound...].prefix { $0.isNumber })
    }
}
