import S2SModel
/// Why a `--model` argument (or a `train --out` name) names no model directory. `description`
/// is the one line the CLI prints.
package enum ModelLookupError: Error, CustomStringConvertible, Equatable {
    /// A name found in none of the search path's directories. `localDirectory` is set when the
    /// working directory holds a directory of that name, which a name never means.
    case notFound(name: String, searched: [String], localDirectory: String?)
    /// A path (an argument with a '/') that does not exist.
    case noSuchPath(path: String, workingDirectory: String)
    /// A bare `--out` name, but neither $XDG_DATA_HOME nor $HOME says where the user's data goes.
    case noUserDirectory(name: String)

    package var description: String {
        switch self {
        case let .notFound(name, searched, local):
            let hint = local.map { "; for the directory here, write --model ./\($0)" } ?? ""
            return "no model named '\(name)' in \(searched.joined(separator: ", "))\(hint)"
        case let .noSuchPath(path, workingDirectory):
            return "no model at \(path) (in \(workingDirectory))"
        case let .noUserDirectory(name):
            return "cannot place '\(name)' in the user's data directory: neither XDG_DATA_HOME nor HOME is an absolute path; give a path such as ./\(name)"
        }
    }
}
