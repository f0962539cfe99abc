import Foundation
import S2SModel

/// Where `--model NAME` looks for a model, in order:
///
/// 1. each directory of `$S2S_MODEL_PATH` (colon-separated, empty parts skipped),
/// 2. `./models` (the working directory's, as in the repository),
/// 3. the user's data directory, `$XDG_DATA_HOME/s2s/models` (default `~/.local/share/s2s/models`),
/// 4. the installation's, `PREFIX/share/s2s/models`, with PREFIX the directory above the one
///    holding the running executable (`/usr/local/bin/s2s` → `/usr/local/share/s2s/models`), so
///    a copied or staged installation finds its own models without being told where it is.
///
/// A model named NAME in directory D is `D/NAME` holding `model.safetensors`. The first
/// directory that has it wins; later ones are shadowed. An argument with a `/` (or `.`, `..`)
/// (or a `.safetensors` file) is a path and is never looked up, so `--model models/m30k` means what it always meant.
package struct ModelSearchPath: Sendable, Equatable {
    /// Why a directory is on the path (shown by `s2s model list`).
    package enum Origin: String, Sendable, Equatable {
        case environment = "S2S_MODEL_PATH"
        case workingDirectory = "./models"
        case user = "user"
        case installed = "installed"
    }

    package struct Entry: Sendable, Equatable {
        package let directory: String
        package let origin: Origin
    }

    /// The model used when no `--model` is given.
    package static let defaultName = "default"

    /// The search order as one paragraph, for `--help` texts (kept here so that every command
    /// and the README say the same thing).
    package static let helpText = """
        A model is a directory (any argument with a '/') or a name, looked up in order in: \
        each directory of $S2S_MODEL_PATH (colon-separated), ./models, \
        $XDG_DATA_HOME/s2s/models (default ~/.local/share/s2s/models), and PREFIX/share/s2s/models \
        of the installation (PREFIX/bin/s2s). The first match wins; `s2s model list` shows every \
        model found, and which are shadowed. Without --model, the model named 'default' is used.
        """

    /// Directories in search order, duplicates removed (the first place a directory appears
    /// is the one that counts, so a model never shadows itself).
    package let entries: [Entry]
    /// Where `s2s train --out NAME` writes a model given by bare name: the user's directory.
    package let userDirectory: String?
    /// The working directory that relative paths are reported against.
    package let workingDirectory: String

    /// A search path from explicit inputs (tests give them; `current()` reads the process's).
    /// `executable` is the real path of the running binary, or nil when unknown.
    package init(environment: [String: String], workingDirectory: String, executable: String?) {
        self.workingDirectory = workingDirectory
        var candidates: [Entry] = []
        for part in (environment["S2S_MODEL_PATH"] ?? "").split(separator: ":") where !part.isEmpty {
            candidates.append(Entry(directory: Self.absolute(String(part), in: workingDirectory), origin: .environment))
        }
        candidates.append(Entry(directory: Self.absolute("models", in: workingDirectory), origin: .workingDirectory))
        userDirectory = Self.userDataDirectory(environment).map { $0 + "/s2s/models" }
        if let userDirectory { candidates.append(Entry(directory: userDirectory, origin: .user)) }
        if let executable {
            let prefix = URL(fileURLWithPath: executable).deletingLastPathComponent().deletingLastPathComponent()
            candidates.append(Entry(directory: prefix.appendingPathComponent("share/s2s/models").standardizedFileURL.path,
                                    origin: .installed))
        }
        var seen = Set<String>()
        entries = candidates.filter { seen.insert($0.directory).inserted }
    }

    /// The search path of this process: its environment, working directory and executable.
    package static func current() -> ModelSearchPath {
        ModelSearchPath(environment: ProcessInfo.processInfo.environment,
                        workingDirectory: FileManager.default.currentDirectoryPath,
                        executable: runningExecutable())
    }

    /// True when `argument` is a name to look up rather than a path: no '/', not `.` or `..`,
    /// and not a `.safetensors` file (which `s2s model info` also takes).
    package static func isName(_ argument: String) -> Bool {
        !argument.isEmpty && !argument.contains("/") && argument != "." && argument != ".."
            && !argument.hasSuffix(".safetensors")
    }

    /// Every directory of the path holding a model called `name`, first (the one used) first.
    package func locations(of name: String) -> [Entry] {
        entries.compactMap { entry in
            let directory = entry.directory + "/" + name
            return Self.holdsModel(directory) ? Entry(directory: directory, origin: entry.origin) : nil
        }
    }

    /// The model directory for a `--model` argument: nil → the model named `default`; a name
    /// → its first location on the path; a path → itself, if it exists.
    package func resolve(_ argument: String?) throws(ModelLookupError) -> String {
        let name = argument ?? Self.defaultName
        guard Self.isName(name) else {
            guard FileManager.default.fileExists(atPath: name) else {
                throw .noSuchPath(path: name, workingDirectory: workingDirectory)
            }
            return name
        }
        if let first = locations(of: name).first { return first.directory }
        let local = Self.absolute(name, in: workingDirectory)
        throw .notFound(name: name, searched: entries.map(\.directory),
                        localDirectory: FileManager.default.fileExists(atPath: local) ? name : nil)
    }

    /// Where `s2s train --out` writes: a bare name goes to the user's directory, a path stays.
    package func outputDirectory(for argument: String) throws(ModelLookupError) -> String {
        guard Self.isName(argument) else { return argument }
        guard let userDirectory else { throw .noUserDirectory(name: argument) }
        return userDirectory + "/" + argument
    }

    /// A directory holding `model.safetensors` (what `s2s translate` loads).
    static func holdsModel(_ directory: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: directory + "/" + ModelBundle.modelFileName, isDirectory: &isDirectory)
            && !isDirectory.boolValue
    }

    /// `$XDG_DATA_HOME`, or `$HOME/.local/share`. The XDG specification says to ignore a
    /// relative value, and so do we.
    private static func userDataDirectory(_ environment: [String: String]) -> String? {
        if let xdg = environment["XDG_DATA_HOME"], xdg.hasPrefix("/") { return xdg }
        if let home = environment["HOME"], home.hasPrefix("/") { return home + "/.local/share" }
        return nil
    }

    private static func absolute(_ path: String, in directory: String) -> String {
        let url = path.hasPrefix("/") ? URL(fileURLWithPath: path) : URL(fileURLWithPath: directory).appendingPathComponent(path)
        return url.standardizedFileURL.path
    }

    /// The running binary's real path (symlinks resolved, so `/usr/bin/s2s` → its install tree).
    private static func runningExecutable() -> String? {
        if let target = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") { return target }
        return Bundle.main.executablePath
    }
}
