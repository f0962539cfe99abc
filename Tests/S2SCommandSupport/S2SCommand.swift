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

    /// Runs s2s with `arguments`; `environment` entries are added to this process's.
    public static func run(_ arguments: [String], stdin: Data = Data(), directory: String? = nil,
                           environment: [String: String] = [:]) throws -> Run {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let input = Pipe(), output = Pipe(), errors = Pipe()
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
        let err = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, stdout: String(decoding: out, as: UTF8.self),
                   stderr: String(decoding: err, as: UTF8.self))
    }
}
