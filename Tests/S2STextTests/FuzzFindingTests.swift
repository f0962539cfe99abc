import Foundation
import Testing
@testable import S2SText

/// Inputs the fuzzers (`make fuzz`, Fuzz/Sources) found, replayed with the property they broke.
/// Each is also in the target's seed corpus (Fuzz/Corpus), so fuzzing starts from it.
@Suite struct FuzzFindingTests {
    /// FuzzBPECodes: a 0.1 codes file (no header: the first line starts with spaces) whose first
    /// merge is `#version: 0.2`, as subword-nmt reads it too; it used to serialize to a file
    /// that reads back as a 0.2 header, losing the merge.
    @Test func versionLikeFirstMergeSurvivesSerialization() throws {
        let bytes = Array(try #require(Data(base64Encoded: "ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICN2ZXJzaW9uOiAwLjINCmkgbg0KaSBuIA==")))
        let codes = try BPECodes.parse(bytes, file: "crash")
        #expect(codes.version == .v01)
        #expect(codes.merges == [BPEMerge("#version:", "0.2"), BPEMerge("i", "n"), BPEMerge("i", "n")])
        #expect(try BPECodes.parse(codes.serialized(), file: "again") == codes)
    }
}
