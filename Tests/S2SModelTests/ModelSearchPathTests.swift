import Foundation
import S2SBundle
import Testing
@testable import S2SModel

/// A directory tree for one test: `dir(name)` makes a directory, `model(in:named:)` a directory
/// holding a `model.safetensors` (the resolver looks at nothing else).
private final class Tree {
    private let scratch: ScratchDirectory
    var root: String { scratch.path }
    init() throws { scratch = try ScratchDirectory() }

    @discardableResult
    func dir(_ relative: String) throws -> String { try scratch.directory(relative) }

    @discardableResult
    func model(in relative: String, named name: String) throws -> String {
        let path = try dir(relative + "/" + name)
        try Data([1, 2, 3]).write(to: URL(fileURLWithPath: path + "/" + ModelBundle.modelFileName))
        return path
    }

    /// A search path with every input inside the tree: $S2S_MODEL_PATH as given, the working
    /// directory `cwd`, $HOME `home`, the executable `prefix/bin/s2s`.
    func searchPath(modelPath: String? = nil, xdg: String? = nil) -> ModelSearchPath {
        var environment = ["HOME": root + "/home"]
        if let modelPath { environment["S2S_MODEL_PATH"] = modelPath }
        if let xdg { environment["XDG_DATA_HOME"] = xdg }
        return ModelSearchPath(environment: environment, workingDirectory: root + "/cwd", executable: root + "/prefix/bin/s2s")
    }
}

struct ModelSearchPathTests {
    @Test func directoriesComeInTheDocumentedOrder() throws {
        let t = try Tree()
        let path = t.searchPath(modelPath: "\(t.root)/a::relative:")
        #expect(path.entries.map(\.directory) == [
            t.root + "/a", t.root + "/cwd/relative", t.root + "/cwd/models",
            t.root + "/home/.local/share/s2s/models", t.root + "/prefix/share/s2s/models",
        ])
        #expect(path.entries.map(\.origin) == [.environment, .environment, .workingDirectory, .user, .installed])
    }

    @Test func xdgDataHomeReplacesTheHomeDefaultUnlessRelative() throws {
        let t = try Tree()
        #expect(t.searchPath(xdg: t.root + "/xdg").userDirectory == t.root + "/xdg/s2s/models")
        #expect(t.searchPath(xdg: "relative/xdg").userDirectory == t.root + "/home/.local/share/s2s/models")
        let homeless = ModelSearchPath(environment: [:], workingDirectory: t.root, executable: nil)
        #expect(homeless.userDirectory == nil)
        #expect(homeless.entries.map(\.origin) == [.workingDirectory])
    }

    @Test func aDirectoryListedTwiceIsSearchedOnce() throws {
        let t = try Tree()
        let path = t.searchPath(modelPath: "\(t.root)/cwd/models:\(t.root)/cwd/models/")
        #expect(path.entries.filter { $0.directory == t.root + "/cwd/models" }.map(\.origin) == [.environment])
    }

    @Test func everyPlaceOnThePathIsSearchedAndTheFirstWins() throws {
        let t = try Tree()
        let places = ["env", "cwd/models", "home/.local/share/s2s/models", "prefix/share/s2s/models"]
        // A model found only in place i resolves there; with every later place holding one too,
        // the earliest still wins.
        for (i, place) in places.enumerated().reversed() {
            let expected = try t.model(in: place, named: "m")
            #expect(try t.searchPath(modelPath: t.root + "/env").resolve("m") == expected, "place \(i)")
        }
        #expect(t.searchPath(modelPath: t.root + "/env").locations(of: "m").count == 4)
    }

    @Test func noArgumentMeansTheModelNamedDefault() throws {
        let t = try Tree()
        let installed = try t.model(in: "prefix/share/s2s/models", named: "default")
        try t.model(in: "prefix/share/s2s/models", named: "other")
        #expect(try t.searchPath().resolve(nil) == installed)
    }

    @Test func aDirectoryWithoutModelFileIsNotAModel() throws {
        let t = try Tree()
        try t.dir("cwd/models/m/vocab")
        let later = try t.model(in: "prefix/share/s2s/models", named: "m")
        #expect(try t.searchPath().resolve("m") == later)
    }

    @Test func anArgumentWithASlashIsAPathNeverLookedUp() throws {
        let t = try Tree()
        try t.model(in: "cwd/models", named: "m")
        let elsewhere = try t.dir("elsewhere/m")
        #expect(try t.searchPath().resolve(elsewhere) == elsewhere)
        #expect(throws: ModelLookupError.noSuchPath(path: "nowhere/m", workingDirectory: t.root + "/cwd")) {
            try t.searchPath().resolve("nowhere/m")
        }
        #expect(!ModelSearchPath.isName("./m") && !ModelSearchPath.isName(".") && !ModelSearchPath.isName(".."))
        #expect(!ModelSearchPath.isName("latest.safetensors") && ModelSearchPath.isName("m30k-en.de"))
    }

    @Test func aNameFoundNowhereListsEveryPlaceSearchedOnOneLine() throws {
        let t = try Tree()
        let path = t.searchPath(modelPath: t.root + "/env")
        let error = #expect(throws: ModelLookupError.self) { try path.resolve("fr-en") }
        #expect(error == .notFound(name: "fr-en", searched: path.entries.map(\.directory), localDirectory: nil))
        let line = error?.description ?? ""
        #expect(!line.contains("\n"))
        for entry in path.entries { #expect(line.contains(entry.directory)) }
        // A same-named directory in the working directory is not on the path: say how to use it.
        try t.dir("cwd/fr-en")
        #expect(throws: ModelLookupError.notFound(name: "fr-en", searched: path.entries.map(\.directory), localDirectory: "fr-en")) {
            try path.resolve("fr-en")
        }
    }

    @Test func trainOutputByNameGoesToTheUserDirectory() throws {
        let t = try Tree()
        #expect(try t.searchPath().outputDirectory(for: "mine") == t.root + "/home/.local/share/s2s/models/mine")
        #expect(try t.searchPath(xdg: t.root + "/xdg").outputDirectory(for: "mine") == t.root + "/xdg/s2s/models/mine")
        #expect(try t.searchPath().outputDirectory(for: "models/mine") == "models/mine")
        let homeless = ModelSearchPath(environment: [:], workingDirectory: t.root, executable: nil)
        #expect(throws: ModelLookupError.noUserDirectory(name: "mine")) { try homeless.outputDirectory(for: "mine") }
    }
}
