import Foundation

/// A scratch directory for one test, removed when the value goes away.
final class ScratchDirectory {
    let path: String

    init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("s2s-model-tests-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// The path of `name` inside (not created).
    func file(_ name: String) -> String { path + "/" + name }

    /// The names of the entries inside.
    var contents: [String] { (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? [] }

    /// Creates `relative` (and its parents) inside and returns its path.
    @discardableResult
    func directory(_ relative: String) throws -> String {
        let p = file(relative)
        try FileManager.default.createDirectory(atPath: p, withIntermediateDirectories: true)
        return p
    }
}
