import ArgumentParser
import Foundation
import S2SBundle
import S2SModel

/// `s2s model list`: the model search path and every model on it, so that a user can see
/// which `default` (or any name) `--model` would pick, and what it shadows.
struct ModelListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the models found on the model search path (name, languages, size, where).",
        discussion: ModelSearchPath.helpText
    )

    func run() throws {
        let path = ModelSearchPath.current()
        print(Self.render(path: path, listings: ModelCatalog.list(path)), terminator: "")
    }

    /// The search path, then one row per model in search order; a shadowed model names the
    /// directory that wins over it.
    static func render(path: ModelSearchPath, listings: [ModelCatalog.Listing]) -> String {
        var out = "search path (first match wins):\n"
        for (i, entry) in path.entries.enumerated() {
            let exists = FileManager.default.fileExists(atPath: entry.directory) ? "" : ", absent"
            out += "  \(i + 1). \(entry.directory) (\(entry.origin.rawValue)\(exists))\n"
        }
        guard !listings.isEmpty else { return out + "no models found\n" }
        let rows = listings.map { l -> [String] in
            let languages = l.languages.map { "\($0.source)→\($0.target)" } ?? "?"
            var place = "\(l.directory) (\(l.origin.rawValue))"
            if let winner = l.shadowedBy { place += ", shadowed by \(winner)" }
            if let problem = l.problem { place += ", unreadable vocabulary: \(problem)" }
            return [l.name, languages, formatBytes(l.bytes), place]
        }
        let header = ["NAME", "LANGS", "SIZE", "WHERE"]
        let widths = (0..<3).map { c in ([header] + rows).map { $0[c].count }.max() ?? 0 }
        out += "\n"
        for row in [header] + rows {
            out += (0..<3).map { row[$0].padding(toLength: widths[$0], withPad: " ", startingAt: 0) }.joined(separator: "  ")
            out += "  " + row[3] + "\n"
        }
        return out
    }

    /// Decimal units, as `du --si` and file managers print them.
    static func formatBytes(_ bytes: Int64) -> String {
        let units = ["B", "kB", "MB", "GB", "TB"]
        var value = Double(bytes), unit = 0
        while value >= 1000 && unit < units.count - 1 { value /= 1000; unit += 1 }
        return unit == 0 ? "\(bytes) B" : String(format: "%.1f", value) + " " + units[unit]
    }
}
