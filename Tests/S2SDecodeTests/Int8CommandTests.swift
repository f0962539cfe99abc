import Foundation
import S2SBundle
import S2SCommandSupport
import Testing

/// int8 decoding as a user meets it: `s2s model pack --int8` on the shipped model, `model info`,
/// `translate` on the packed model (int8 by default) against the shipped model's fp32 greedy
/// output, and `train --precision int8` refused.
private let binary = repositoryRoot.appendingPathComponent(".build/debug/s2s").path

private func s2s(_ arguments: [String], stdin: Data = Data()) throws -> (status: Int32, stdout: String, stderr: String) {
    let r = try S2SCommand.run(arguments, stdin: stdin, environment: ["OMP_NUM_THREADS": "1"])
    return (r.status, r.stdout, r.stderr)
}

@Suite(.enabled(if: FileManager.default.isExecutableFile(atPath: binary), "needs the built s2s binary (swift build)"))
struct Int8CommandTests {
    @Test func packedInt8ModelTranslatesCloseToFP32() throws {
        let scratch = try Scratch()
        let shipped = repositoryRoot.appendingPathComponent("models/default").path
        let packed = scratch.path + "/default-int8"
        let pack = try s2s(["model", "pack", shipped, "--int8", "--out", packed])
        #expect(pack.status == 0, "\(pack.stderr)")
        #expect(pack.stderr.contains("I8 for 4 decoder matrices"), "\(pack.stderr)")
        // The decoder's matrices dominate the model: the file shrinks by more than a quarter.
        let size = { (dir: String) in try FileManager.default.attributesOfItem(atPath: dir + "/model.safetensors")[.size] as? Int ?? 0 }
        let (packedBytes, shippedBytes) = (try size(packed), try size(shipped))
        #expect(packedBytes * 4 < shippedBytes * 3, "\(packedBytes) bytes packed, \(shippedBytes) shipped")
        let info = try s2s(["model", "info", packed])
        #expect(info.stdout.contains("int8         ") && info.stdout.contains("out.weight"), "\(info.stdout)")

        // Greedy output of the packed model (int8 unless the CPU lacks VNNI, then fp32 with a
        // notice) against the fixture of the shipped model in fp32: quantization moves a few
        // near-ties, so most sentences must come out identical, not all.
        let fixtures = try #require(Bundle.module.url(forResource: "Fixtures", withExtension: nil))
        let source = try Data(contentsOf: fixtures.appendingPathComponent("shipped-default.en"))
        let expected = try String(contentsOf: fixtures.appendingPathComponent("shipped-default.greedy.de"), encoding: .utf8)
            .split(separator: "\n")
        let r = try s2s(["translate", "--model", packed, "--threads", "1", "--greedy"], stdin: source)
        #expect(r.status == 0, "\(r.stderr)")
        let lines = r.stdout.split(separator: "\n")
        #expect(lines.count == expected.count)
        let same = zip(lines, expected).filter { $0 == $1 }.count
        #expect(same * 4 >= expected.count * 3, "only \(same) of \(expected.count) greedy outputs agree with fp32")
    }

    @Test func trainingRefusesInt8() throws {
        let r = try s2s(["train", "--precision", "int8", "--out", "unused"])
        #expect(r.status != 0)
        #expect(r.stderr.contains("--precision int8 is for decoding"), "\(r.stderr)")
    }
}
