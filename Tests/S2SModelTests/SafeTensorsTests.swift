import Foundation
@testable import S2SBundle
import Testing
import S2SNumerics
@testable import S2SModel

/// Raw safetensors bytes: 8-byte length, header text, data.
private func rawFile(_ header: String, _ data: [UInt8] = [], length: UInt64? = nil) -> [UInt8] {
    let h = Array(header.utf8)
    let n = length ?? UInt64(h.count)
    return (0..<8).map { UInt8(truncatingIfNeeded: n >> (8 * UInt64($0))) } + h + data
}

private func bits(_ t: Tensor) -> [UInt32] { t.array.map(\.bitPattern) }

@Suite struct SafeTensorsRoundTripTests {
    @Test func everyDTypeRoundTrips() throws {
        let dir = try ScratchDirectory()
        let values: [Float] = [0, -0.0, 1, -1.5, 3.1415927, 1e-3, 6.1e-5, 1e-8, 65504, -12345.678, .infinity, Float(bitPattern: 0x0001_16C2)]  // last: a subnormal
        let t = Tensor(shape: [3, 4], values: values)
        var file = SafeTensorsFile(metadata: ["config": #"{"hidden": 256}"#, "vocab_sha256": "ab12", "ünï \"q\"": "\\ \n"])
        file.set("w.f32", t)
        file.set("w.f16", t, as: .f16)
        file.set("w.bf16", t, as: .bf16)
        file.set("w.f64", t, as: .f64)
        file.set("scalar", Tensor(shape: [], values: [2.5]))
        file.set("empty", Tensor(shape: [0, 7]))
        try file.set("step", integers: [9_000_000_000_123])
        try file.set("rng", integers: [-7, 0, Int64(Int32.max), Int64(Int32.min)], shape: [2, 2], as: .i32)
        try file.set("noints", integers: [], shape: [0])
        let path = dir.file("all.safetensors")
        try file.write(to: path)

        let back = try SafeTensorsFile.read(from: path)
        #expect(back.metadata == file.metadata)
        #expect(back.names == file.names)
        #expect(bits(try back.tensor("w.f32")) == bits(t))
        #expect(bits(try back.tensor("w.f64")) == bits(t))
        #expect(try back.tensor("w.f16").array.map { Float16($0).bitPattern } == values.map { Float16($0).bitPattern })
        #expect(bits(try back.tensor("w.f16")) == values.map { Float(Float16($0)).bitPattern })
        #expect(bits(try back.tensor("w.bf16")) == values.map { UInt32(SafeTensorsConvert.bfloat16Bits($0)) << 16 })
        #expect(try back.tensor("w.f16", shape: [3, 4]).shape == [3, 4])
        #expect(try back.tensor("scalar").shape == [] && back.tensor("scalar")[0] == 2.5)
        #expect(try back.tensor("empty").shape == [0, 7] && back.tensor("empty").count == 0)
        #expect(try back.integers("step") == [9_000_000_000_123])
        #expect(try back.integers("rng") == [-7, 0, Int64(Int32.max), Int64(Int32.min)])
        #expect(back.shape(of: "rng") == [2, 2] && back.dtype(of: "rng") == .i32)
        #expect(try back.integers("noints") == [])
        #expect(back.dtype(of: "w.f16") == .f16 && back.dtype(of: "w.bf16") == .bf16 && back.dtype(of: "w.f64") == .f64)
        #expect(dir.contents == ["all.safetensors"])  // no temp file left behind
    }

    @Test func headerIsTheReferenceLayout() throws {
        let dir = try ScratchDirectory()
        var file = SafeTensorsFile(metadata: ["k": "v\"x"])
        file.set("b", Tensor(shape: [2, 3], values: [0, 1, 2, 3, 4, 5]))
        file.set("a", Tensor(shape: [2]), as: .f16)
        try file.set("c", integers: [7])
        file.set("z", Tensor(shape: [0, 3]))
        let path = dir.file("t.safetensors")
        try file.write(to: path)
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        let n = Int(bytes[0]) | Int(bytes[1]) << 8
        #expect(n % 8 == 0 && bytes[2..<8].allSatisfy { $0 == 0 })
        let header = String(decoding: bytes[8..<(8 + n)], as: UTF8.self)
        // What safetensors 0.8.0 writes for the same tensors (I64 before F32 before F16, names in byte order).
        let expected = #"{"__metadata__":{"k":"v\"x"},"c":{"dtype":"I64","shape":[1],"data_offsets":[0,8]},"#
            + #""b":{"dtype":"F32","shape":[2,3],"data_offsets":[8,32]},"z":{"dtype":"F32","shape":[0,3],"data_offsets":[32,32]},"#
            + #""a":{"dtype":"F16","shape":[2],"data_offsets":[32,36]}}"#
        #expect(header.trimmingCharacters(in: .init(charactersIn: " ")) == expected)
        #expect(bytes.count == 8 + n + 36)
    }

    @Test func narrowingRoundsToNearestEven() {
        // fp16: 1 + 2^-11 is halfway between 1 and 1 + 2^-10: ties to even (1).
        let halfway = Float(1) + Float(pow(2.0, -11.0))
        #expect(Float16(halfway) == 1)
        // bf16: 1 + 2^-8 is halfway between 1 and 1 + 2^-7: ties to even (1); just above rounds up.
        #expect(SafeTensorsConvert.bfloat16Bits(1 + Float(pow(2.0, -8.0))) == 0x3F80)
        #expect(SafeTensorsConvert.bfloat16Bits(Float(bitPattern: 0x3F80_8001)) == 0x3F81)
        #expect(SafeTensorsConvert.bfloat16Bits(Float(bitPattern: 0x3F81_8000)) == 0x3F82)  // tie, odd → up to even
        #expect(SafeTensorsConvert.bfloat16Bits(-2) == 0xC000)
        let nan = SafeTensorsConvert.bfloat16Bits(.nan)
        #expect(nan & 0x7F80 == 0x7F80 && nan & 0x007F != 0)
    }

    @Test func overflowOnNarrowingFailsAndKeepsTheOldFile() throws {
        let dir = try ScratchDirectory()
        let path = dir.file("m.safetensors")
        var good = SafeTensorsFile()
        good.set("w", Tensor(shape: [1], values: [1]))
        try good.write(to: path)
        let before = try Data(contentsOf: URL(fileURLWithPath: path))

        var bad = SafeTensorsFile()
        bad.set("w", Tensor(shape: [3], values: [1, 70000, 2]), as: .f16)
        #expect(throws: SafeTensorsError(path: path, problem: .valueOutOfRange(tensor: "w", "value 70000.0 at index 1 overflows F16"))) {
            try bad.write(to: path)
        }
        var bad2 = SafeTensorsFile()
        bad2.set("w", Tensor(shape: [1], values: [Float.greatestFiniteMagnitude]), as: .bf16)
        #expect(throws: SafeTensorsError.self) { try bad2.write(to: path) }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
        #expect(dir.contents == ["m.safetensors"])
    }

    @Test func overwritingReplacesTheFile() throws {
        let dir = try ScratchDirectory()
        let path = dir.file("ckpt.safetensors")
        for step in 1...3 {
            var f = SafeTensorsFile(metadata: ["step": "\(step)"])
            f.set("w", Tensor(shape: [step], repeating: Float(step)))
            try f.write(to: path)
        }
        let back = try SafeTensorsFile.read(from: path)
        #expect(back.metadata == ["step": "3"])
        #expect(try back.tensor("w").array == [3, 3, 3])
        #expect(dir.contents == ["ckpt.safetensors"])
    }

    @Test func unwritableDestinationIsAnError() throws {
        var f = SafeTensorsFile()
        f.set("w", Tensor(shape: [1]))
        #expect(throws: SafeTensorsError.self) { try f.write(to: "/nonexistent-dir-s2s/x.safetensors") }
        let dir = try ScratchDirectory()
        f.set("__metadata__", Tensor(shape: [1]))
        #expect(throws: SafeTensorsError.self) { try f.write(to: dir.file("x.safetensors")) }
        #expect(dir.contents.isEmpty)
    }

    @Test func unsignedStateRoundTripsThroughBitPatterns() throws {
        let dir = try ScratchDirectory()
        let rng = PCG32(seed: 99)
        var f = SafeTensorsFile()
        try f.set("rng", integers: [Int64(bitPattern: rng.state), Int64(bitPattern: rng.increment)])
        try f.write(to: dir.file("r.safetensors"))
        let v = try SafeTensorsFile.read(from: dir.file("r.safetensors")).integers("rng")
        #expect(PCG32(state: UInt64(bitPattern: v[0]), increment: UInt64(bitPattern: v[1])) == rng)
    }

    @Test func accessorsReportWhatIsWrong() throws {
        var f = SafeTensorsFile()
        f.set("w", Tensor(shape: [2, 2]))
        try f.set("n", integers: [1])
        #expect(throws: SafeTensorsError(path: "<memory>", problem: .missingTensor("x"))) { try f.tensor("x") }
        #expect(throws: SafeTensorsError(path: "<memory>", problem: .wrongKind(tensor: "n", dtype: "I64", wanted: "a floating-point tensor"))) {
            try f.tensor("n")
        }
        #expect(throws: SafeTensorsError.self) { try f.integers("w") }
        #expect(throws: SafeTensorsError.self) { try f.tensor("w", shape: [4]) }
        #expect(throws: SafeTensorsError.self) { try f.set("big", integers: [Int64(Int32.max) + 1], as: .i32) }
        #expect(throws: SafeTensorsError.self) { try f.set("shape", integers: [1, 2, 3], shape: [2, 2]) }
        #expect(f.remove("w") && !f.remove("w"))
    }
}

@Suite struct SafeTensorsValidationTests {
    /// Writes `bytes` and expects reading them to fail with `problem`, the message naming the file.
    private func expectRejected(_ bytes: [UInt8], _ problem: SafeTensorsError.Problem,
                                sourceLocation: SourceLocation = #_sourceLocation) throws {
        let dir = try ScratchDirectory()
        let path = dir.file("bad.safetensors")
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        do {
            _ = try SafeTensorsFile.read(from: path)
            Issue.record("accepted a bad file, expected \(problem)", sourceLocation: sourceLocation)
        } catch {
            #expect(error.problem == problem, sourceLocation: sourceLocation)
            #expect(error.description.hasPrefix(path + ": "), sourceLocation: sourceLocation)
        }
    }

    private let f32x2 = #""x":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}"#

    @Test func truncatedOrOversizedHeaders() throws {
        try expectRejected([], .truncated(fileSize: 0))
        try expectRejected([1, 0, 0, 0, 0], .truncated(fileSize: 5))
        try expectRejected(rawFile("{}", length: 1000), .headerBeyondFile(headerLength: 1000, fileSize: 10))
        try expectRejected(rawFile("{}", length: UInt64.max), .headerTooLarge(UInt64.max))
        try expectRejected(rawFile("{}", length: 100_000_001), .headerTooLarge(100_000_001))
    }

    @Test func headerThatIsNotJSON() throws {
        try expectRejected(rawFile("{not json"), .badHeader("not a JSON object (The given data was not valid JSON.)"))
        try expectRejected(rawFile("[1,2]   "), .badHeader("does not start with '{'"))
        try expectRejected(rawFile("        "), .badHeader("does not start with '{'"))
        try expectRejected((0..<8).map { $0 == 0 ? 4 : 0 } + [0x7B, 0xFF, 0x7D, 0x20], .headerNotUTF8)
    }

    @Test func badEntries() throws {
        try expectRejected(rawFile(#"{"x":{"dtype":"F33","shape":[2],"data_offsets":[0,8]}}"#, .init(repeating: 0, count: 8)),
                           .unknownDType(tensor: "x", dtype: "F33"))
        try expectRejected(rawFile(#"{"x":{"dtype":"U8","shape":[8],"data_offsets":[0,8]}}"#, .init(repeating: 0, count: 8)),
                           .unsupportedDType(tensor: "x", dtype: "U8"))
        try expectRejected(rawFile(#"{"x":{"dtype":"F32","shape":[-2],"data_offsets":[0,8]}}"#, .init(repeating: 0, count: 8)),
                           .badShape(tensor: "x", "negative dimension in [-2]"))
        try expectRejected(rawFile(#"{"x":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}"#, .init(repeating: 0, count: 8)),
                           .sizeMismatch(tensor: "x", shape: [3], dtype: "F32", bytes: 8, expected: 12))
        try expectRejected(rawFile(#"{"x":{"dtype":"F32","shape":[4294967296,4294967296],"data_offsets":[0,8]}}"#, .init(repeating: 0, count: 8)),
                           .badShape(tensor: "x", "[4294967296, 4294967296] has too many elements"))
        try expectRejected(rawFile(#"{"x":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#, [0, 0, 0, 0]),
                           .badOffsets(tensor: "x", "[0, 8] ends beyond the 4 data bytes"))
        try expectRejected(rawFile(#"{"x":{"dtype":"F32","shape":[2],"data_offsets":[8,0]}}"#, .init(repeating: 0, count: 8)),
                           .badOffsets(tensor: "x", "[8, 0] is not a range"))
        try expectRejected(rawFile(#"{"x":{"dtype":"F32","shape":[2],"data_offsets":[0,4,8]}}"#, .init(repeating: 0, count: 8)),
                           .badOffsets(tensor: "x", "expected [begin, end], got [0, 4, 8]"))
        try expectRejected(rawFile(#"{"x":{"shape":[2],"data_offsets":[0,8]}}"#, .init(repeating: 0, count: 8)),
                           .badHeader("tensor 'x' has no 'dtype'"))
        try expectRejected(rawFile(#"{"x":{"dtype":"F32","shape":[2.5],"data_offsets":[0,8]}}"#, .init(repeating: 0, count: 8)),
                           .badHeader("tensor 'x' needs dtype (string), shape and data_offsets (non-negative integers)"))
        try expectRejected(rawFile(#"{"__metadata__":{"a":1},"# + f32x2 + "}", .init(repeating: 0, count: 8)),
                           .badMetadata("must map strings to strings"))
    }

    @Test func offsetsMustTileTheDataExactly() throws {
        let two = #""y":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}"#
        try expectRejected(rawFile("{" + f32x2 + "," + two + "}", .init(repeating: 0, count: 8)), .overlap("x", "y"))
        let late = #""x":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}"#
        try expectRejected(rawFile("{" + late + "}", .init(repeating: 0, count: 8)), .gap(before: "x", bytes: 4))
        try expectRejected(rawFile("{" + f32x2 + "}", .init(repeating: 0, count: 12)), .trailingBytes(4))
        try expectRejected(rawFile("{}", [1, 2, 3]), .trailingBytes(3))
    }

    @Test func missingOrUnreadablePaths() throws {
        let dir = try ScratchDirectory()
        #expect(throws: SafeTensorsError.self) { try SafeTensorsFile.read(from: dir.file("nope.safetensors")) }
        #expect(throws: SafeTensorsError(path: dir.path, problem: .io("not a regular file"))) { try SafeTensorsFile.read(from: dir.path) }
    }

    /// Every truncation of a valid file, and seeded random byte corruptions, give an error or a
    /// valid file — never a crash or a hang.
    @Test func truncationsAndCorruptionsNeverCrash() throws {
        let dir = try ScratchDirectory()
        var f = SafeTensorsFile(metadata: ["step": "12"])
        f.set("a", Tensor(shape: [2, 3], values: [1, 2, 3, 4, 5, 6]))
        f.set("h", Tensor(shape: [3], values: [1, 2, 3]), as: .f16)
        try f.set("n", integers: [5, 6], as: .i32)
        let good = dir.file("good.safetensors")
        try f.write(to: good)
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: good)))
        let cut = dir.file("cut.safetensors")
        for n in 0..<bytes.count {
            try Data(bytes[0..<n]).write(to: URL(fileURLWithPath: cut))
            #expect(throws: SafeTensorsError.self, "truncated to \(n) bytes") { try SafeTensorsFile.read(from: cut) }
        }
        var rng = PCG32(seed: 2024)
        var accepted = 0
        for _ in 0..<300 {
            var b = bytes
            for _ in 0..<(1 + Int(rng.nextUInt32() % 3)) {
                b[Int(rng.nextUInt32()) % b.count] = UInt8(truncatingIfNeeded: rng.nextUInt32())
            }
            try Data(b).write(to: URL(fileURLWithPath: cut))
            if (try? SafeTensorsFile.read(from: cut)) != nil { accepted += 1 }
        }
        // Flips inside tensor data leave a valid file; flips in the length or header mostly do not.
        #expect(accepted > 0 && accepted < 300)
    }
}

@Suite struct SafeTensorsInteropTests {
    /// The file `scripts/make_safetensors_fixture.py` wrote with Python's safetensors 0.8.0.
    static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("scripts/fixtures/python_written.safetensors").path

    @Test func readsWhatPythonWrote() throws {
        let f = try SafeTensorsFile.read(from: Self.fixture)
        #expect(f.metadata == ["step": "42", "note": "ünïcode \"quoted\" \\ back"])
        #expect(f.names == ["batcher.position", "empty", "optimizer.step", "weights.bf16", "weights.f16", "weights.f32", "weights.f64"])
        let w32 = try f.tensor("weights.f32", shape: [2, 3])
        #expect(bits(w32) == [0x0000_0000, 0x8000_0000, 0x3FC0_0000, 0xC010_0000, 0x7F7F_FFFF, 0x0000_0001])
        #expect(try f.tensor("weights.f16", shape: [5]).array == [1, -0.5, 65504, Float(pow(2.0, -24.0)), .infinity])
        #expect(try f.tensor("weights.bf16", shape: [3]).array == [1, -3.140625, Float(bitPattern: 0x714A_0000)])
        #expect(try f.tensor("weights.f64", shape: [2]).array == [Float(0.1), 2.5])
        #expect(try f.integers("optimizer.step") == [123_456_789_012] && f.shape(of: "optimizer.step") == [])
        #expect(try f.integers("batcher.position") == [-1, 2_147_483_647, -2_147_483_648, 0])
        #expect(try f.tensor("empty").shape == [0, 3])
        #expect(f.dtype(of: "weights.bf16") == .bf16 && f.dtype(of: "batcher.position") == .i32)
    }

    /// Swift writes, the reference `safetensors` loads (values compared exactly), and Python's
    /// own writer's bytes equal Swift's for the same tensors. Needs S2S_PYTHON pointing at a
    /// Python with `safetensors` and `numpy` (e.g. /tmp/sbvenv/bin/python).
    @Test(.enabled(if: ProcessInfo.processInfo.environment["S2S_PYTHON"] != nil))
    func pythonLoadsWhatSwiftWrote() throws {
        let python = try #require(ProcessInfo.processInfo.environment["S2S_PYTHON"])
        let script = URL(fileURLWithPath: Self.fixture).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("check_safetensors_interop.py").path
        let dir = try ScratchDirectory()
        var rng = PCG32(seed: 7)
        let w = Tensor(shape: [4, 5], values: (0..<20).map { _ in rng.normal() * 3 })
        let cases: [(String, SafeTensorsFile)] = try {
            var all = SafeTensorsFile(metadata: ["config": "{\"layers\": 2}", "ü": "\"x\""])
            all.set("enc.w", w)
            all.set("enc.w16", w, as: .f16)
            all.set("enc.wbf", w, as: .bf16)
            all.set("dec.w64", w, as: .f64)
            all.set("scalar", Tensor(shape: [], values: [-0.25]))
            try all.set("adam.step", integers: [4242])
            try all.set("pos", integers: [1, -2, 3], as: .i32)
            var plain = SafeTensorsFile(metadata: ["step": "10"])
            plain.set("enc.w", w)
            plain.set("enc.w16", w, as: .f16)
            plain.set("dec.w64", w, as: .f64)
            try plain.set("adam.step", integers: [4242])
            try plain.set("pos", integers: [1, -2, 3], shape: [3, 1], as: .i32)
            return [("all", all), ("plain", plain)]
        }()
        for (name, file) in cases {
            let mine = dir.file("\(name).safetensors"), theirs = dir.file("\(name).py.safetensors")
            try file.write(to: mine)
            let p = Process()
            p.executableURL = URL(fileURLWithPath: python)
            p.arguments = [script, mine, theirs]
            let out = Pipe()
            p.standardOutput = out
            try p.run()
            let json = out.fileHandleForReading.readDataToEndOfFile()
            p.waitUntilExit()
            try #require(p.terminationStatus == 0, "python failed on \(name)")
            let doc = try #require(try JSONSerialization.jsonObject(with: json) as? [String: Any])
            #expect(doc["__metadata__"] as? [String: String] == file.metadata)
            let tensors = try #require(doc["tensors"] as? [String: [String: Any]])
            #expect(Set(tensors.keys) == Set(file.names))
            let back = try SafeTensorsFile.read(from: mine)
            for tname in file.names {
                let t = try #require(tensors[tname])
                #expect(t["dtype"] as? String == file.dtype(of: tname)?.rawValue, "\(name)/\(tname)")
                #expect(t["shape"] as? [Int] == file.shape(of: tname), "\(name)/\(tname)")
                if back.dtype(of: tname) == .i64 || back.dtype(of: tname) == .i32 {
                    #expect((t["values"] as? [NSNumber])?.map(\.int64Value) == (try back.integers(tname)), "\(name)/\(tname)")
                } else {
                    // What Swift reads back from its own file is what Python read: same value, bit for bit.
                    let py = (t["values"] as? [NSNumber])?.map { Float($0.doubleValue).bitPattern }
                    #expect(py == bits(try back.tensor(tname)), "\(name)/\(tname)")
                }
            }
            // Python's writer, same tensors: Swift reads it back to the same values.
            let again = try SafeTensorsFile.read(from: theirs)
            for tname in file.names where again.dtype(of: tname) != .i64 && again.dtype(of: tname) != .i32 {
                #expect(bits(try again.tensor(tname)) == bits(try back.tensor(tname)), "\(name)/\(tname) via python writer")
            }
            if name == "plain" {
                // One metadata key and no BF16: the two writers agree byte for byte.
                #expect(try Data(contentsOf: URL(fileURLWithPath: mine)) == Data(contentsOf: URL(fileURLWithPath: theirs)))
            }
        }
    }
}
