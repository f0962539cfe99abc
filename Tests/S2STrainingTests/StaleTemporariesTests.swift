import Foundation
import Testing
@testable import S2STraining

/// A kill -9 during a checkpoint write leaves `.latest.safetensors.tmp-PID-N` behind (`make
/// faults` counts them); the next checkpoint removes those of dead processes and nothing else.
struct StaleTemporariesTests {
    @Test func onlyTemporariesOfDeadProcessesAreRemoved() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("s2s-stale-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let finished = Process()
        finished.executableURL = URL(fileURLWithPath: "/bin/true")
        try finished.run()
        finished.waitUntilExit()
        let dead = finished.processIdentifier
        let names = [".latest.safetensors.tmp-\(dead)-17", ".model.safetensors.tmp-\(dead)-3",
                     ".latest.safetensors.tmp-\(getpid())-5", "latest.safetensors", "metrics.jsonl", ".notes.tmp-\(dead)-1"]
        for name in names { FileManager.default.createFile(atPath: "\(directory)/\(name)", contents: Data("x".utf8)) }
        StaleTemporaries.remove(in: directory)
        let left = try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
        #expect(left == [".latest.safetensors.tmp-\(getpid())-5", ".notes.tmp-\(dead)-1", "latest.safetensors", "metrics.jsonl"])
        #expect(StaleTemporaries.pid(in: ".latest.safetensors.tmp-4242-9") == 4242)
        #expect(StaleTemporaries.pid(in: "latest.safetensors") == nil)
    }
}
