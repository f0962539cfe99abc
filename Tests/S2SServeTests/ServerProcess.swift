import Foundation
import S2SCommandSupport
#if canImport(Glibc)
import Glibc
#endif

/// The built `s2s-serve` in a child process on a port the system picks, as a user runs it.
final class ServerProcess {
    static let binary = URL(fileURLWithPath: S2SCommand.binary).deletingLastPathComponent()
        .appendingPathComponent("s2s-serve").path
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let shippedModel = repository.appendingPathComponent("models/default").path
    static var isBuilt: Bool { FileManager.default.isExecutableFile(atPath: binary) && S2SCommand.isBuilt }

    let process = Process()
    let port: Int
    private let errorFile: URL

    /// Starts the server with `arguments` (plus `--port 0`) and waits until it listens and,
    /// unless `waitReady` is false, until `/ready` answers 200.
    init(_ arguments: [String], waitReady: Bool = true) throws {
        process.executableURL = URL(fileURLWithPath: Self.binary)
        process.arguments = arguments + ["--port", "0", "--threads", "1"]
        process.environment = ProcessInfo.processInfo.environment.merging(["OMP_NUM_THREADS": "1"]) { $1 }
        errorFile = FileManager.default.temporaryDirectory.appendingPathComponent("s2s-serve-\(UUID().uuidString).log")
        _ = FileManager.default.createFile(atPath: errorFile.path, contents: nil)
        let output = Pipe()
        process.standardOutput = output
        process.standardError = try FileHandle(forWritingTo: errorFile)
        try process.run()
        // The first stdout line: "listening on http://127.0.0.1:PORT".
        var line: [UInt8] = []
        let reader = output.fileHandleForReading
        while !line.contains(10) {
            let data = reader.availableData
            if data.isEmpty { break }
            line += data
        }
        let text = String(decoding: line, as: UTF8.self)
        guard let portText = text.split(separator: ":").last?.prefix(while: \.isNumber), let port = Int(portText) else {
            process.waitUntilExit()
            let log = (try? String(contentsOf: errorFile, encoding: .utf8)) ?? ""
            throw LoopbackHTTP.Failure(description: "s2s-serve did not start: \(text) \(log)")
        }
        self.port = port
        if waitReady {
            let deadline = Date().addingTimeInterval(120)
            while (try? LoopbackHTTP.get(port, "/ready").status) != 200 {
                guard Date() < deadline, process.isRunning else {
                    throw LoopbackHTTP.Failure(description: "s2s-serve never became ready: \(stderr)")
                }
                usleep(20_000)
            }
        }
    }

    /// Runs s2s-serve to its exit (for arguments that must make it fail).
    static func runToExit(_ arguments: [String]) throws -> S2SCommand.Run {
        try S2SCommand.run(arguments, environment: ["OMP_NUM_THREADS": "1"], executable: binary)
    }

    var stderr: String { (try? String(contentsOf: errorFile, encoding: .utf8)) ?? "" }

    /// Sends SIGTERM and waits for the exit status.
    func terminate() -> Int32 {
        if process.isRunning { kill(process.processIdentifier, SIGTERM) }
        process.waitUntilExit()
        return process.terminationStatus
    }

    deinit {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: errorFile)
    }
}
