import Foundation

/// The built `s2s` binary run as a user runs it, for the end-to-end tests of several targets:
/// bytes on stdin, stdout and stderr captured apart, the exit status.
public enum S2SCommand {
    /// `.build/debug/s2s` of this checkout (`swift build` makes it).
    public static let binary = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent(".build/debug/s2s").path

    /// Whether the binary exists (suites that need it are skipped otherwise).
    public static var isBuilt: Bool { FileManager.default.isExecutableFile(atPath: binary) }

    public struct Run: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
    }

    /// Runs s2s (or `executable`) with `arguments`; `environment` entries are added to this
    /// process's, or, with `inheritEnvironment` false, are the whole environment (so a user's
    /// S2S_MODEL_PATH, HOME or XDG_DATA_HOME never leak into a test).
    public static func run(_ arguments: [String], stdin: Data = Data(), directory: String? = nil,
                           environment: [String: String] = [:], inheritEnvironment: Bool = true,
                           executable: String = binary) throws -> Run {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        process.environment = inheritEnvironment
            ? ProcessInfo.processInfo.environment.merging(environment) { $1 } : environment
        // stderr goes to a file, so that neither of two full pipes can block the child.
        let errorFile = FileManager.default.temporaryDirectory.appendingPathComponent("s2s-stderr-\(UUID().uuidString)")
        FileManager.default.createFile(atPath: errorFile.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: errorFile) }
        let errors = try FileHandle(forWritingTo: errorFile)
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        // Feed stdin from another thread so a full output pipe cannot deadlock us.
        let writer = Thread {
            input.fileHandleForWriting.write(stdin)
            try? input.fileHandleForWriting.close()
        }
        writer.start()
        let out = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        try errors.close()
        return Run(status: process.terminationStatus, stdout: String(decoding: out, as: UTF8.self),
                   stderr: String(decoding: try Data(contentsOf: errorFile), as: UTF8.self))
    }
}
