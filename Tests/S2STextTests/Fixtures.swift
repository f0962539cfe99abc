import Foundation
@testable import S2SText

/// Paths of the committed fixtures and of the shared corpora (used only when present).
enum Fixture {
    static let directory: String = {
        guard let url = Bundle.module.url(forResource: "Fixtures", withExtension: nil) else {
            fatalError("test resource bundle has no Fixtures folder")
        }
        return url.path
    }()

    static func path(_ name: String) -> String { "\(directory)/\(name)" }

    static func text(_ name: String) throws -> String {
        String(decoding: try FileBytes.read(path(name)), as: UTF8.self)
    }

    /// `word count` lines (subword-nmt `--dict-input` format) → counts.
    static func wordCounts(_ name: String) throws -> [ExactString: Int] {
        var counts: [ExactString: Int] = [:]
        for line in try text(name).split(separator: "\n") {
            let parts = line.split(separator: " ")
            counts[ExactString(String(parts[0]))] = Int(parts[1])!
        }
        return counts
    }

    /// A folder with the shared corpora (multi30k/, tatoeba-eng-fra/, …) for the slow
    /// every-line checks: `S2S_CORPORA`, which nothing in the repository sets.
    static let sharedCorpora = ProcessInfo.processInfo.environment["S2S_CORPORA"] ?? ""

    /// True when slow end-to-end tests were asked for.
    static var slowTests: Bool { ProcessInfo.processInfo.environment["S2S_SLOW_TESTS"] == "1" }

    /// This test process's scratch folder, removed when the process exits.
    static let scratch: String = {
        let path = NSTemporaryDirectory() + "s2s-text-tests-\(getpid())"
        atexit { try? FileManager.default.removeItem(atPath: Fixture.scratch) }
        return path
    }()

    /// A fresh temporary directory inside `scratch`.
    static func temporaryDirectory() throws -> String {
        let path = "\(scratch)/\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}
